/*
 * num_test.c - numbers, money, percentages, booleans and null markers.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

#define N	KPI_NUMBER
#define I	KPI_INTEGER
#define M	KPI_MONEY
#define P	KPI_PERCENT

#define NBSP	"\xC2\xA0"
#define NNBSP	"\xE2\x80\xAF"
#define MINUS	"\xE2\x88\x92"

/* Shows bytes as text with \xNN for the rest, for failure messages. */
static const char *
show(const char *s, size_t n)
{
	static char out[1024];
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(out); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o,
			    "\\x%02X", c);
	}
	out[o] = '\0';
	return out;
}

static const struct {
	const char *s;
	enum kpi_numkind kind;
	char dec;
	int ret;		/* 1 number, 0 null marker, -1 not a number */
	double want;
} num_cases[] = {
	/* plain, the fast path */
	{ "123.45", N, '.', 1, 123.45 },
	{ "-7", I, '.', 1, -7 },
	{ "0", I, '.', 1, 0 },
	{ "007", I, '.', 1, 7 },
	{ "123,45", N, ',', 1, 123.45 },
	{ "0.1", N, '.', 1, 0.1 },
	{ "999999999999999", I, '.', 1, 999999999999999.0 },
	/* Whole numbers from 2^53 up may not be what a double holds. */
	{ "12345678901234567890", N, '.', KPI_NUM_HUGE, 0 },
	{ "9007199254740993", I, '.', KPI_NUM_HUGE, 0 },
	{ "-9007199254740992", N, '.', KPI_NUM_HUGE, 0 },
	{ "9007199254740991", I, '.', 1, 9007199254740991.0 },
	{ "1.2345678901234567890e19", N, '.', 1, 12345678901234567890.0 },
	{ "49.37149037612573", N, '.', 1, 49.37149037612573 },
	{ "4.19763158", N, '.', 1, 4.19763158 },
	{ "+5", N, '.', 1, 5 },
	{ ".5", N, '.', 1, 0.5 },
	{ "5.", N, '.', 1, 5 },
	{ "-.5", N, '.', 1, -0.5 },
	{ ",5", N, ',', 1, 0.5 },
	{ ".", N, '.', -1, 0 },
	{ "-.", N, '.', -1, 0 },
	{ "1.2.3", N, '.', -1, 0 },

	/* thousands separators */
	{ "1,234.50", N, '.', 1, 1234.5 },
	{ "1.234,50", N, ',', 1, 1234.5 },
	{ "1 234,50", N, ',', 1, 1234.5 },
	{ "1" NBSP "234,50", N, ',', 1, 1234.5 },
	{ "1" NNBSP "234,50", N, ',', 1, 1234.5 },
	{ "1 234.50", N, '.', 1, 1234.5 },
	{ "1'234.50", N, '.', 1, 1234.5 },
	{ "1'000'000", I, '.', 1, 1000000 },
	{ "1'234,50", N, ',', -1, 0 },		/* apostrophe only with '.' */
	{ "795,836", I, '.', 1, 795836 },
	{ "4,838.80", N, '.', 1, 4838.8 },
	{ "1,234,567", I, '.', 1, 1234567 },
	{ "1 234 567", I, '.', 1, 1234567 },
	{ "1,00,000", I, '.', 1, 100000 },	/* Indian lakh */
	{ "12,34,567.89", N, '.', 1, 1234567.89 },
	{ "1,234", N, ',', 1, 1.234 },
	{ "1,234.5e3", N, '.', 1, 1234500 },
	{ "1,00", N, '.', -1, 0 },		/* German 1.00: not 100 */
	{ "1,00", N, ',', 1, 1 },
	{ "1.5", N, ',', -1, 0 },		/* not 15 */
	{ "1,2.3", N, '.', -1, 0 },		/* last group must be 3 */
	{ "12,3", N, '.', -1, 0 },
	{ "12 3", N, '.', -1, 0 },
	{ "1,,2", N, '.', -1, 0 },
	{ "1,,234", N, '.', -1, 0 },
	{ "1,.5", N, '.', -1, 0 },		/* separator before the mark */
	{ "1,234,.5", N, '.', -1, 0 },
	{ ",123", N, '.', -1, 0 },
	{ "1,234,", N, '.', -1, 0 },
	{ "1234,567", N, '.', -1, 0 },		/* first group of 4 */
	{ "1,2,345", N, '.', -1, 0 },		/* inner group of 1 */
	{ "1,234 567", N, '.', -1, 0 },		/* two kinds */
	{ "1.234.567,8", N, ',', 1, 1234567.8 },
	{ "1,234.567,8", N, '.', -1, 0 },
	{ "1.234,5", N, '.', -1, 0 },

	/* signs and parentheses */
	{ MINUS "5", N, '.', 1, -5 },
	{ "(12.00)", N, '.', 1, -12 },
	{ "( 12.00 )", N, '.', 1, -12 },
	{ "(12.00", N, '.', -1, 0 },
	{ "12.00)", N, '.', -1, 0 },
	{ "(-12)", N, '.', -1, 0 },
	{ "-(12)", N, '.', -1, 0 },
	{ "()", N, '.', -1, 0 },
	{ "+-5", N, '.', -1, 0 },
	{ "--5", N, '.', -1, 0 },
	{ "5-", N, '.', -1, 0 },
	{ "-0", N, '.', 1, 0 },
	{ "-0.00", M, '.', 1, 0 },
	{ "-$0.00", M, '.', 1, 0 },
	{ "(0)", N, '.', 1, 0 },
	{ "-0e5", N, '.', 1, 0 },
	{ "'-42", N, '.', 1, -42 },
	{ "'-12.50", M, '.', 1, -12.5 },
	{ "'", N, '.', -1, 0 },
	{ "\t-123", I, '.', 1, -123 },
	{ "  12.5  ", N, '.', 1, 12.5 },
	{ "12.5\r", N, '.', 1, 12.5 },
	{ NBSP "12.5" NNBSP, N, '.', 1, 12.5 },

	/* exponent */
	{ "1e21", N, '.', 1, 1e21 },
	{ "1e21", I, '.', -1, 0 },
	{ "1E+21", M, '.', 1, 1e21 },
	{ "2.5e-3", N, '.', 1, 2.5e-3 },
	{ "2,5e-3", N, ',', 1, 2.5e-3 },
	{ "1.20253E+17", I, '.', -1, 0 },
	{ "1.20253E+17", N, '.', 1, 1.20253e17 },
	{ "1e", N, '.', -1, 0 },
	{ "1e+", N, '.', -1, 0 },
	{ "1e5x", N, '.', -1, 0 },
	{ "e5", N, '.', -1, 0 },
	{ "1e400", N, '.', KPI_NUM_RANGE, 0 },	/* overflows */
	{ "-1e400", N, '.', KPI_NUM_RANGE, 0 },
	{ "1e99999999999999999999", N, '.', KPI_NUM_RANGE, 0 },
	/* Refused, not rounded to 0 (or to a subnormal's few digits). */
	{ "1e-400", N, '.', KPI_NUM_TINY, 0 },
	{ "1e-99999999999999999999", N, '.', KPI_NUM_TINY, 0 },
	{ "1e-310", N, '.', KPI_NUM_TINY, 0 },
	{ "0e-400", N, '.', 1, 0 },
	{ "2.3e-308", N, '.', 1, 2.3e-308 },
	{ "123456789012345678901234567890e-10", N, '.', 1,
	    123456789012345678901234567890e-10 },

	/* integer */
	{ "64517.0", I, '.', 1, 64517 },
	{ "64517.000", I, '.', 1, 64517 },
	{ "64517,0", I, ',', 1, 64517 },
	{ "1.5", I, '.', -1, 0 },
	{ "1.0000000000000000000001", I, '.', -1, 0 },
	{ "$5", I, '.', -1, 0 },

	/* money */
	{ "\xC2\xA3" "1,234.50", M, '.', 1, 1234.5 },	/* £ */
	{ "\xC2\xA3" "1,234.50", N, '.', -1, 0 },
	{ "$1,299.50", M, '.', 1, 1299.5 },
	{ "$-12.00", M, '.', 1, -12 },
	{ "-$3.00", M, '.', 1, -3 },
	{ MINUS "$3.00", M, '.', 1, -3 },
	{ "$" MINUS "3.00", M, '.', 1, -3 },
	{ "- $3.00", M, '.', 1, -3 },
	{ "-$-3.00", M, '.', -1, 0 },
	{ "(\xC2\xA3" "12.00)", M, '.', 1, -12 },
	{ "$(12.00)", M, '.', 1, -12 },
	{ "(12,00 \xE2\x82\xAC)", M, ',', 1, -12 },
	{ "\xE2\x82\xB9" "38,165.00", M, '.', 1, 38165 },	/* ₹ */
	{ "MX$2,000.00", M, '.', 1, 2000 },
	{ "R$ 1.234,56", M, ',', 1, 1234.56 },
	{ "US$5", M, '.', 1, 5 },
	{ "HK$5", M, '.', 1, 5 },
	{ "NZ$5", M, '.', 1, 5 },
	{ "A$5", M, '.', 1, 5 },
	{ "C$ 5", M, '.', 1, 5 },
	{ "\xC2\xA5" "1,000", M, '.', 1, 1000 },		/* ¥ */
	{ "\xE2\x82\xA9" "1,000", M, '.', 1, 1000 },		/* ₩ */
	{ "\xE2\x82\xBD" "5", M, '.', 1, 5 },			/* ₽ */
	{ "\xE2\x82\xBA" "5", M, '.', 1, 5 },			/* ₺ */
	{ "CHF 1'234.50", M, '.', 1, 1234.5 },
	{ "kr 1.234,50", M, ',', 1, 1234.5 },
	{ "1.234,50 kr.", M, ',', 1, 1234.5 },
	{ "12,50 z\xC5\x82", M, ',', 1, 12.5 },
	{ "USD 12", M, '.', 1, 12 },
	{ "USD12", M, '.', 1, 12 },
	{ "12 EUR", M, '.', 1, 12 },
	{ "12EUR", M, '.', 1, 12 },
	{ "-12 EUR", M, '.', 1, -12 },
	{ "1e3 EUR", M, '.', 1, 1000 },
	{ "12 eur", M, '.', -1, 0 },
	{ "12 EURO", M, '.', -1, 0 },
	{ "12 EU", M, '.', -1, 0 },
	{ "1 234,50 \xE2\x82\xAC", M, ',', 1, 1234.5 },
	{ "1" NBSP "234,50" NBSP "\xE2\x82\xAC", M, ',', 1, 1234.5 },
	{ "$1,299.50 USD", M, '.', 1, 1299.5 },
	{ "$12 EUR USD", M, '.', -1, 0 },
	{ "$$12", M, '.', -1, 0 },
	{ "12,3x", M, '.', -1, 0 },
	{ "12,3x", M, ',', -1, 0 },
	{ "$", M, '.', -1, 0 },
	{ "12%", M, '.', -1, 0 },
	{ "INF", M, '.', -1, 0 },
	{ "NAN", M, '.', -1, 0 },

	/* percent */
	{ "2.35%", P, '.', 1, 0.0235 },
	{ "2.35 %", P, '.', 1, 0.0235 },
	{ "12,5" NNBSP "%", P, ',', 1, 0.125 },
	{ "0.67", P, '.', 1, 0.67 },
	{ "0.670124481", P, '.', 1, 0.670124481 },
	{ "100.00%", P, '.', 1, 1 },
	{ "0.00%", P, '.', 1, 0 },
	{ "-1.5%", P, '.', 1, -0.015 },
	{ "1e-5%", P, '.', 1, 1e-7 },
	{ "1,234.5%", P, '.', 1, 12.345 },
	{ "2.35%", N, '.', -1, 0 },
	{ "2.35%%", P, '.', -1, 0 },
	{ "%2.35", P, '.', -1, 0 },
	{ "%", P, '.', -1, 0 },
	{ "$2%", P, '.', -1, 0 },
	{ "< 10%", P, '.', -1, 0 },
	{ "> 90%", P, '.', -1, 0 },
	{ "<10%", P, '.', -1, 0 },

	/* null markers */
	{ "", N, '.', 0, 0 },
	{ "   ", M, '.', 0, 0 },
	{ "\t" NBSP, N, '.', 0, 0 },
	{ "-", N, '.', 0, 0 },
	{ "--", I, '.', 0, 0 },
	{ " --", P, '.', 0, 0 },
	{ "\xE2\x80\x94", N, '.', 0, 0 },
	{ "N/A", M, '.', 0, 0 },
	{ "n/a", N, '.', 0, 0 },
	{ "NA", N, '.', 0, 0 },
	{ "null", N, '.', 0, 0 },
	{ "NULL", N, '.', 0, 0 },
	{ " N/A ", N, '.', 0, 0 },
	{ "Null", N, '.', -1, 0 },
	{ "---", N, '.', -1, 0 },

	/* not numbers at all */
	{ "0x10", N, '.', -1, 0 },
	{ "inf", N, '.', -1, 0 },
	{ "-inf", N, '.', -1, 0 },
	{ "Infinity", N, '.', -1, 0 },
	{ "nan", N, '.', -1, 0 },
	{ "NaN", N, '.', -1, 0 },
	{ "abc", N, '.', -1, 0 },
	{ "1 2 3 4", N, '.', -1, 0 },
	{ "12 345.67", N, '.', 1, 12345.67 },
	{ "12\t345", N, '.', -1, 0 },
};

static void
test_num_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(num_cases) / sizeof(num_cases[0]); i++) {
		const char *s = num_cases[i].s;
		double v = 42.5;
		int r;

		r = kpi_num_parse(s, strlen(s), num_cases[i].kind,
		    num_cases[i].dec, &v);
		CHECK(r == num_cases[i].ret, "'%s' kind %d dec '%c': "
		    "returned %d, want %d", show(s, strlen(s)),
		    (int)num_cases[i].kind, num_cases[i].dec, r,
		    num_cases[i].ret);
		if (r != num_cases[i].ret)
			continue;
		if (r == 1) {
			CHECK(v == num_cases[i].want && !signbit(v) ==
			    !signbit(num_cases[i].want), "'%s': got %.17g, "
			    "want %.17g", show(s, strlen(s)), v,
			    num_cases[i].want);
		} else
			CHECK(v == 42.5, "'%s': *out changed to %g",
			    show(s, strlen(s)), v);
	}
}

/* Fields are slices of a line: nothing past n may be looked at. */
static void
test_slices(void)
{
	double v = 0;
	int b = -1;

	CHECK(kpi_num_parse("12345", 3, N, '.', &v) == 1 && v == 123,
	    "fast path slice: %g", v);
	CHECK(kpi_num_parse("$1,234.5", 4, M, '.', &v) == -1,
	    "'$1,2' is a bad group");
	CHECK(kpi_num_parse("$1,234.5", 7, M, '.', &v) == 1 && v == 1234,
	    "slow path slice: %g", v);
	CHECK(kpi_num_parse("1e5", 2, N, '.', &v) == -1, "'1e' is not");
	CHECK(kpi_num_parse("2%", 1, P, '.', &v) == 1 && v == 2,
	    "'2' of '2%%': %g", v);
	CHECK(kpi_num_parse("--5", 2, N, '.', &v) == 0, "'--' of '--5'");
	CHECK(kpi_num_parse("£", 1, M, '.', &v) == -1, "half a pound");
	CHECK(kpi_num_parse("1", 1, N, 'x', &v) == -1, "bad decimal mark");
	CHECK(kpi_bool_parse("yess", 3, &b) == 1 && b == 1, "'yes' of 'yess'");
}

/*
 * Random values written as %.*f, %.*e and with separators must read back
 * exactly as strtod reads them: the fast paths may not lose a bit.
 */
static void
test_against_strtod(void)
{
	uint64_t x = 88172645463325252ULL;
	char txt[64], alt[96], pct[80];
	double want, got, r;
	int i, fails = 0, shown = 0, prec;

	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = (double)(x >> 11) / 9007199254740992.0 *
		    pow(10, (int)(x % 17) - 6);
		prec = (int)(x >> 58) % 16;
		if (i % 3 == 0)
			snprintf(txt, sizeof(txt), "%.*e", prec, r);
		else
			snprintf(txt, sizeof(txt), "%.*f", prec, r);
		want = strtod(txt, NULL);
		got = -1;
		if (kpi_num_parse(txt, strlen(txt), N, '.', &got) != 1 ||
		    got != want)
			fails++;
		/* "+" sends it down the slow path. */
		snprintf(alt, sizeof(alt), "+%s", txt);
		if (kpi_num_parse(alt, strlen(alt), N, '.', &got) != 1 ||
		    got != want)
			fails++;
		snprintf(pct, sizeof(pct), "%se-2", txt);
		if (strchr(txt, 'e') == NULL) {
			want = strtod(pct, NULL);
			snprintf(pct, sizeof(pct), "%s%%", txt);
			if (kpi_num_parse(pct, strlen(pct), P, '.',
			    &got) != 1 || got != want)
				fails++;
		}
		if (fails > 0 && !shown) {
			fprintf(stderr, "first mismatch: %s\n", txt);
			shown = 1;
		}
	}
	CHECK(fails == 0, "%d mismatches with strtod", fails);
}

static void
test_null_markers(void)
{
	static const struct {
		const char *s;
		int null;
	} cases[] = {
		{ "", 1 }, { " ", 1 }, { "\t\t", 1 }, { NBSP, 1 },
		{ NNBSP " " NBSP, 1 }, { "-", 1 }, { "--", 1 }, { " --", 1 },
		{ "-- ", 1 }, { "\xE2\x80\x94", 1 }, { " \xE2\x80\x94 ", 1 },
		{ "N/A", 1 }, { "n/a", 1 }, { "NA", 1 }, { "null", 1 },
		{ "NULL", 1 }, { "  null\t", 1 },
		{ "0", 0 }, { "na", 0 }, { "N/a", 0 }, { "Null", 0 },
		{ "nil", 0 }, { "- -", 0 }, { "---", 0 }, { "(not set)", 0 },
		{ "\xE2\x80\x93", 0 }, { "\xE2\x88\x92", 0 }, { "x", 0 }
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(kpi_null_marker(cases[i].s, strlen(cases[i].s)) ==
		    cases[i].null, "'%s' should %sbe a null marker",
		    show(cases[i].s, strlen(cases[i].s)),
		    cases[i].null ? "" : "not ");
}

static void
test_bools(void)
{
	static const struct {
		const char *s;
		int ret, val;
	} cases[] = {
		{ "true", 1, 1 }, { "TRUE", 1, 1 }, { "True", 1, 1 },
		{ "false", 1, 0 }, { "FaLsE", 1, 0 }, { "yes", 1, 1 },
		{ "no", 1, 0 }, { "Y", 1, 1 }, { "n", 1, 0 }, { "t", 1, 1 },
		{ "F", 1, 0 }, { "1", 1, 1 }, { "0", 1, 0 }, { "on", 1, 1 },
		{ "OFF", 1, 0 }, { " yes ", 1, 1 }, { "\tno", 1, 0 },
		{ "", 0, 0 }, { " ", 0, 0 }, { "-", 0, 0 }, { " --", 0, 0 },
		{ "N/A", 0, 0 }, { "null", 0, 0 },
		{ "2", -1, 0 }, { "truth", -1, 0 }, { "yess", -1, 0 },
		{ "ja", -1, 0 }, { "01", -1, 0 }, { "1.0", -1, 0 },
		{ "falsey", -1, 0 }, { "o", -1, 0 }
	};
	size_t i;
	int r, v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 7;
		r = kpi_bool_parse(cases[i].s, strlen(cases[i].s), &v);
		CHECK(r == cases[i].ret, "bool '%s': returned %d, want %d",
		    show(cases[i].s, strlen(cases[i].s)), r, cases[i].ret);
		CHECK(v == (r == 1 ? cases[i].val : 7), "bool '%s': got %d",
		    show(cases[i].s, strlen(cases[i].s)), v);
	}
}

/*
 * kpi_dec_sub: the exact difference of decimals of six places or fewer,
 * and the plain one otherwise (thirds, huge values, infinities).
 */
static void
test_dec_sub(void)
{
	static const struct {
		double a, b, want;
	} cases[] = {
		{ 20135.05, 18450.95, 1684.1 }, { 0.95, 0.9, 0.05 },
		{ 0.9, 0.75, 0.15 }, { 4.8, 4.5, 0.3 }, { 0.025, 0.02, 0.005 },
		{ 0.1, 0.3, -0.2 }, { -1.000001, 2, -3.000001 }, { 7, 7, 0 },
		{ 1e9, 0.000001, 999999999.999999 },
		{ 1.0 / 3, 0.1, 1.0 / 3 - 0.1 }, { 1e10, 0.1, 1e10 - 0.1 },
		{ 2.0 / 3, 1.0 / 3, 2.0 / 3 - 1.0 / 3 }
	};
	size_t i;
	double d;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = kpi_dec_sub(cases[i].a, cases[i].b);
		CHECK(d == cases[i].want, "dec_sub %.17g - %.17g: %.17g, want %.17g",
		    cases[i].a, cases[i].b, d, cases[i].want);
	}
	CHECK(isinf(kpi_dec_sub(INFINITY, 1)), "dec_sub inf - 1");
	CHECK(isnan(kpi_dec_sub(NAN, 1)), "dec_sub nan - 1");
}

/*
 * kpi_dec_mul_round: a converted amount in the currency's minor unit,
 * halves away from zero on the exact product (the doubles' product of
 * 10.05 and 0.5 is 5.0249999..., the decimals' 5.025), and
 * kpi_currency_places: ISO 4217's places.
 */
static void
test_dec_mul_round(void)
{
	static const struct {
		double a, b;
		int places;
		double want;
	} cases[] = {
		{ 39.15, 1.1655, 2, 45.63 }, { 10.05, 0.5, 2, 5.03 },
		{ -10.05, 0.5, 2, -5.03 }, { 10.05, -0.5, 2, -5.03 },
		{ 36, 1.169, 2, 42.08 }, { 0.01, 0.5, 2, 0.01 },
		{ 0.01, 0.49, 2, 0 }, { -0.01, 0.49, 2, 0 }, { 7.5, 2, 2, 15 },
		{ 10, 157.625, 0, 1576 }, { 1, 157.5, 0, 158 },
		{ 2.5, 0.3775, 3, 0.944 }, { 1.001, 1.0005, 4, 1.0015 },
		{ 0, 1.1655, 2, 0 }, { 123456789.99, 1.123456789, 2, 138698368.86 },
		/* beyond 64 bits, or rates of more than nine places: the
		   doubles' product */
		{ 100, 1.0 / 3, 2, 33.33 }, { 2, 2.0 / 3, 2, 1.33 },
		/* an amount of more than six places */
		{ 0.0000005, 1, 6, 0.000001 }, { 1e12, 1.5, 2, 1.5e12 }
	};
	size_t i;
	double d;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = kpi_dec_mul_round(cases[i].a, cases[i].b, cases[i].places);
		CHECK(d == cases[i].want,
		    "dec_mul_round %.17g * %.17g to %d: %.17g, want %.17g",
		    cases[i].a, cases[i].b, cases[i].places, d, cases[i].want);
	}
	CHECK(!signbit(kpi_dec_mul_round(-0.01, 0.49, 2)), "no -0");
	CHECK(kpi_currency_places("GBP", 3) == 2, "GBP");
	CHECK(kpi_currency_places("JPY", 3) == 0, "JPY");
	CHECK(kpi_currency_places("KWD", 3) == 3, "KWD");
	CHECK(kpi_currency_places("CLF", 3) == 4, "CLF");
	CHECK(kpi_currency_places("XYZ", 3) == 2, "unknown code");
	CHECK(kpi_currency_places("JPYX", 4) == 2, "not a code");
	CHECK(kpi_currency_places(NULL, 0) == 2, "none");
}

int
main(void)
{
	test_num_cases();
	test_slices();
	test_against_strtod();
	test_null_markers();
	test_bools();
	test_dec_sub();
	test_dec_mul_round();
	return unit_done();
}
