/*
 * num.c - numbers, money, percentages, booleans and null markers as people
 * and platforms write them: "1,234.50", "1 234,50", "(£12.00)", "$-12.00",
 * "MX$2,000.00", "12.91%", "'-42", " --".
 *
 * kpi-normalize calls these for every field of every row, so nothing here
 * allocates.  A plain "123.45" takes a short fast path; anything else is
 * read in one pass that checks the grammar and writes the digits as plain
 * ASCII ("-1234.5e-2") into a stack buffer for strtod.  strtod only ever
 * sees '.' as the decimal mark, so the result does not depend on the
 * locale, which the tools never set anyway.
 *
 * When the value has at most 15 significant digits and a power of ten of
 * at most 22 applies, it is computed as m * 10^e or m / 10^-e instead:
 * both operands are exact doubles, so the one rounding IEEE 754 does is the
 * correct one (Clinger's fast path) and matches strtod bit for bit.  That
 * only holds when double arithmetic is evaluated in double (not x87 long
 * double), hence the FLT_EVAL_METHOD test.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "value/value.h"

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define EXACT_POW10	1
#else
#define EXACT_POW10	0
#endif

#define MAXFAST		15	/* digits whose integer is below 2^53, exact */
#define MAXPOW		22	/* 10^22 is the largest exact power of ten */
#define EXPCAP		100000	/* past this strtod gives inf or 0 anyway */
#define NUMBUF		96	/* digits strtod sees; longer text is refused */

static const double pow10tab[MAXPOW + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * Currency symbols and the codes that are not three capital letters, the
 * longer before the shorter that ends them ("MX$" before "$").  Any three
 * capital letters ("USD", "CHF") are taken as an ISO 4217 code besides.
 */
static const struct {
	const char *sym;
	size_t len;
} currencies[] = {
	{ "MX$", 3 }, { "NZ$", 3 }, { "HK$", 3 }, { "US$", 3 },
	{ "R$", 2 }, { "A$", 2 }, { "C$", 2 }, { "$", 1 },
	{ "\xC2\xA3", 2 },		/* £ */
	{ "\xE2\x82\xAC", 3 },		/* € */
	{ "\xC2\xA5", 2 },		/* ¥ */
	{ "\xE2\x82\xB9", 3 },		/* ₹ */
	{ "\xE2\x82\xA9", 3 },		/* ₩ */
	{ "\xE2\x82\xBD", 3 },		/* ₽ */
	{ "\xE2\x82\xBA", 3 },		/* ₺ */
	{ "kr.", 3 }, { "kr", 2 },
	{ "z\xC5\x82", 3 }		/* zł */
};

/* Separator classes: one number uses one class throughout. */
enum sepclass {
	SEP_NONE,
	SEP_PUNCT,		/* ',' or '.', whichever is not the mark */
	SEP_APOS,		/* Swiss 1'234.50 */
	SEP_BLANK		/* space, U+00A0, U+202F */
};

/* What one pass over a number has found so far. */
struct scan {
	const char *p, *end;
	char buf[NUMBUF];	/* the digits, for strtod */
	size_t len;
	uint64_t m;		/* the first 19 significant digits */
	int sig;		/* significant digits seen */
	long e10;		/* the power of ten m stands under */
	long exp;		/* the exponent as written, capped */
	int neg, sign, paren, closed;
	int precur, sufcur, pct;
	int fracnz;		/* a nonzero digit after the mark */
	int hasexp;
};

/*
 * Length of a group-separating blank at p: a space, U+00A0 or U+202F (the
 * narrow one French and Swiss typography put between groups), else 0.
 */
static size_t
space_at(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n >= 1 && p[0] == ' ')
		return 1;
	if (n >= 2 && p[0] == '\xC2' && p[1] == '\xA0')
		return 2;
	if (n >= 3 && memcmp(p, "\xE2\x80\xAF", 3) == 0)
		return 3;
	return 0;
}

/* Length of any blank at p: the above, and the ASCII control blanks. */
static size_t
blank_at(const char *p, const char *end)
{
	if (p < end && (*p == '\t' || *p == '\r' || *p == '\n' ||
	    *p == '\v' || *p == '\f'))
		return 1;
	return space_at(p, end);
}

/* Narrows [*p, *end) to leave out blanks on both sides. */
static void
trim(const char **p, const char **end)
{
	const char *s = *p, *e = *end;
	size_t k;

	while ((k = blank_at(s, e)) != 0)
		s += k;
	while (e > s) {
		if (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
		    e[-1] == '\n' || e[-1] == '\v' || e[-1] == '\f')
			e--;
		else if (e - s >= 2 && e[-2] == '\xC2' && e[-1] == '\xA0')
			e -= 2;
		else if (e - s >= 3 && memcmp(e - 3, "\xE2\x80\xAF", 3) == 0)
			e -= 3;
		else
			break;
	}
	*p = s;
	*end = e;
}

/* Whether s[0..n), already trimmed, is one of the null markers. */
static int
is_null(const char *s, size_t n)
{
	switch (n) {
	case 0:
		return 1;
	case 1:
		return s[0] == '-';
	case 2:
		return memcmp(s, "--", 2) == 0 || memcmp(s, "NA", 2) == 0;
	case 3:
		return memcmp(s, "\xE2\x80\x94", 3) == 0 ||	/* — */
		    memcmp(s, "N/A", 3) == 0 || memcmp(s, "n/a", 3) == 0;
	case 4:
		return memcmp(s, "null", 4) == 0 || memcmp(s, "NULL", 4) == 0;
	}
	return 0;
}

/* Whether c may begin a blank (blank_at) or end one (trim). */
static int
blank_first(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == '\xC2' ||
	    c == '\xE2';
}

static int
blank_last(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == '\xA0' ||
	    c == '\xAF';
}

int
kpi_null_marker(const char *s, size_t n)
{
	const char *end = s + n;

	/* Most values have no blank to trim: no need to look for one. */
	if (n > 0 && !blank_first(s[0]) && !blank_last(s[n - 1]))
		return is_null(s, n);
	trim(&s, &end);
	return is_null(s, (size_t)(end - s));
}

/* Length of a sign at p, '+', '-' or U+2212 '−', setting *neg; else 0. */
static size_t
sign_at(const char *p, const char *end, int *neg)
{
	if (p < end && (*p == '+' || *p == '-')) {
		*neg = *p == '-';
		return 1;
	}
	if (end - p >= 3 && memcmp(p, "\xE2\x88\x92", 3) == 0) {
		*neg = 1;
		return 3;
	}
	return 0;
}

/* Length of a currency symbol or code at p, else 0. */
static size_t
currency_at(const char *p, const char *end)
{
	size_t i, n = (size_t)(end - p);

	for (i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++)
		if (currencies[i].len <= n &&
		    memcmp(p, currencies[i].sym, currencies[i].len) == 0)
			return currencies[i].len;
	if (n >= 3 && p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' &&
	    p[1] <= 'Z' && p[2] >= 'A' && p[2] <= 'Z')
		return 3;
	return 0;
}

/*
 * Length of a thousands separator at p for decimal mark dec, with its class
 * in *cls; else 0.  The apostrophe goes only with a '.' mark, as in
 * Switzerland.
 */
static size_t
sep_at(const char *p, const char *end, int dec, enum sepclass *cls)
{
	size_t k;

	if (p >= end)
		return 0;
	if (*p == (dec == '.' ? ',' : '.')) {
		*cls = SEP_PUNCT;
		return 1;
	}
	if (dec == '.' && *p == '\'') {
		*cls = SEP_APOS;
		return 1;
	}
	if ((k = space_at(p, end)) != 0)
		*cls = SEP_BLANK;
	return k;
}

/*
 * Takes digit c into the buffer and into m.  Leading zeros are left out of
 * both, so "000001" neither fills the buffer nor counts as significant.
 * Returns -1 when the buffer is full.
 */
static int
put_digit(struct scan *sc, char c, int frac)
{
	if (c == '0' && sc->sig == 0 && !frac)
		return 0;
	if (sc->len >= NUMBUF - 16)	/* room for "e-100000" and NUL */
		return -1;
	sc->buf[sc->len++] = c;
	if (c != '0' || sc->sig > 0) {
		if (sc->sig < 19)
			sc->m = sc->m * 10 + (uint64_t)(c - '0');
		else if (!frac)
			sc->e10++;	/* a dropped digit of the integer part */
		sc->sig++;
	}
	if (frac) {
		if (sc->sig <= 19)
			sc->e10--;
		if (c != '0')
			sc->fracnz = 1;
	}
	return 0;
}

/*
 * Signs, an opening parenthesis and (for money) a currency before the
 * digits, in any order, blanks between: "-$3.00", "$-12.00", "(£12.00)",
 * "USD 12".  One sign at most, '(' counting as one.
 */
static void
scan_prefix(struct scan *sc, enum kpi_numkind kind)
{
	size_t k;
	int neg;

	while (sc->p < sc->end) {
		if ((k = blank_at(sc->p, sc->end)) != 0)
			;
		else if (!sc->sign && (k = sign_at(sc->p, sc->end, &neg))) {
			sc->sign = 1;
			sc->neg = neg;
		} else if (!sc->sign && *sc->p == '(') {
			sc->sign = sc->paren = sc->neg = 1;
			k = 1;
		} else if (kind == KPI_MONEY && !sc->precur &&
		    (k = currency_at(sc->p, sc->end)) != 0)
			sc->precur = 1;
		else
			return;
		sc->p += k;
	}
}

/*
 * The integer part with its thousands separators.  A separator stands
 * between digits; all are of one class; the first group has 1 to 3 digits,
 * the others 2 (Indian lakh grouping, 1,00,000) or 3, and the last exactly
 * 3.  So "1,2.3" is not 12.3 but an error, and with mark '.' the German
 * "1,00" is refused instead of being read as 100: a 100-fold error that
 * passes silently into a KPI is worse than a rejected row.  A blank not
 * followed by a digit ends the number ("12 EUR").
 */
static int
scan_int(struct scan *sc, int dec)
{
	enum sepclass cls = SEP_NONE, c = SEP_NONE;
	size_t k;
	int glen = 0, groups = 0;

	while (sc->p < sc->end) {
		if (*sc->p >= '0' && *sc->p <= '9') {
			if (put_digit(sc, *sc->p++, 0) == -1)
				return -1;
			glen++;
			continue;
		}
		if ((k = sep_at(sc->p, sc->end, dec, &c)) == 0)
			break;
		if (sc->p + k == sc->end || sc->p[k] < '0' || sc->p[k] > '9') {
			if (c == SEP_BLANK && glen > 0)
				break;
			return -1;
		}
		if (glen == 0 || (groups > 0 && c != cls) ||
		    (groups == 0 ? glen > 3 : glen < 2 || glen > 3))
			return -1;
		cls = c;
		groups++;
		glen = 0;
		sc->p += k;
	}
	if (groups > 0 && glen != 3)
		return -1;
	return 0;
}

/*
 * The exponent, if an 'e' followed by an optional sign and a digit is
 * there; else the 'e' is left for the suffix to refuse ("1e").  "12EUR" is
 * no exponent but a currency.
 */
static void
scan_exp(struct scan *sc)
{
	const char *q = sc->p + 1;
	long e = 0;
	int neg = 0;

	if (sc->p >= sc->end || (*sc->p != 'e' && *sc->p != 'E'))
		return;
	if (q < sc->end && (*q == '+' || *q == '-'))
		neg = *q++ == '-';
	if (q >= sc->end || *q < '0' || *q > '9')
		return;
	while (q < sc->end && *q >= '0' && *q <= '9') {
		if (e < EXPCAP)
			e = e * 10 + (*q - '0');
		q++;
	}
	sc->exp = neg ? -e : e;
	sc->e10 += sc->exp;
	sc->hasexp = 1;
	sc->p = q;
}

/*
 * The number itself: integer part, mark and fraction ("5." and ".5" both
 * count), exponent.
 */
static int
scan_number(struct scan *sc, int dec)
{
	const char *start = sc->p;
	size_t keep;

	if (scan_int(sc, dec) == -1)
		return -1;
	if (sc->len == 0)
		sc->buf[sc->len++] = '0';
	if (sc->p < sc->end && *sc->p == dec) {
		sc->buf[sc->len++] = '.';
		sc->p++;
		keep = sc->len;
		while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9') {
			if (put_digit(sc, *sc->p, 1) == -1)
				return -1;
			if (*sc->p++ != '0')
				keep = sc->len;
		}
		sc->len = keep;		/* trailing zeros say nothing */
	}
	if (sc->p == start || (sc->p - start == 1 && *start == dec))
		return -1;		/* no digit at all */
	scan_exp(sc);
	return 0;
}

/*
 * After the digits: the closing parenthesis, a currency (money) or '%'
 * (percent), blanks between, and nothing else.
 */
static int
scan_suffix(struct scan *sc, enum kpi_numkind kind)
{
	size_t k;

	while (sc->p < sc->end) {
		if ((k = blank_at(sc->p, sc->end)) != 0)
			;
		else if (sc->paren && !sc->closed && *sc->p == ')') {
			sc->closed = 1;
			k = 1;
		} else if (kind == KPI_PERCENT && !sc->pct && *sc->p == '%') {
			sc->pct = 1;
			k = 1;
		} else if (kind == KPI_MONEY && !sc->sufcur &&
		    (k = currency_at(sc->p, sc->end)) != 0)
			sc->sufcur = 1;
		else
			return -1;
		sc->p += k;
	}
	return sc->paren && !sc->closed ? -1 : 0;
}

/* Appends "e<exp>" to the buffer; there is room, put_digit saw to it. */
static void
put_exp(struct scan *sc, long e)
{
	char tmp[12];
	int i = 0;

	sc->buf[sc->len++] = 'e';
	if (e < 0) {
		sc->buf[sc->len++] = '-';
		e = -e;
	}
	do
		tmp[i++] = (char)('0' + e % 10);
	while ((e /= 10) != 0);
	while (i > 0)
		sc->buf[sc->len++] = tmp[--i];
	sc->buf[sc->len] = '\0';
}

/* Turns what the scan found into the value. */
static int
finish(struct scan *sc, enum kpi_numkind kind, double *out)
{
	double v;

	if (kind == KPI_INTEGER && (sc->hasexp || sc->fracnz))
		return -1;
	if (sc->pct)
		sc->e10 -= 2;
	if (sc->m == 0)
		v = 0.0;
	else if (EXACT_POW10 && sc->sig <= MAXFAST && sc->e10 >= -MAXPOW &&
	    sc->e10 <= MAXPOW)
		v = sc->e10 < 0 ? (double)sc->m / pow10tab[-sc->e10] :
		    (double)sc->m * pow10tab[sc->e10];
	else {
		put_exp(sc, sc->exp - (sc->pct ? 2 : 0));
		v = strtod(sc->buf, NULL);
	}
	if (isinf(v) || isnan(v))
		return KPI_NUM_RANGE;	/* a number, beyond a double's range */
	/* Digits a double cannot hold are refused, not rounded away. */
	if (sc->m != 0 && v < DBL_MIN)
		return KPI_NUM_TINY;
	if (!sc->hasexp && !sc->fracnz && v >= KPI_EXACT_INT)
		return KPI_NUM_HUGE;
	*out = sc->neg && v != 0.0 ? -v : v;
	return 1;
}

/*
 * Most fields are plain "123.45" or "-7": digits, at most one mark, at most
 * 15 digits.  Those are read here without trimming or looking for signs,
 * currencies and separators.  Returns 0 to hand anything else on.
 */
static int
fast_path(const char *s, size_t n, enum kpi_numkind kind, int dec,
    double *out)
{
	uint64_t m = 0;
	size_t i = 0;
	int digits = 0, frac = -1;
	double v;

	if (!EXACT_POW10 || n == 0 || n > MAXFAST + 2)
		return 0;
	if (s[0] == '-')
		i = 1;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			m = m * 10 + (uint64_t)(s[i] - '0');
			digits++;
			if (frac >= 0)
				frac++;
		} else if (s[i] == dec && frac < 0)
			frac = 0;
		else
			return 0;
	}
	if (digits == 0 || digits > MAXFAST ||
	    (kind == KPI_INTEGER && frac > 0))
		return 0;
	v = frac > 0 ? (double)m / pow10tab[frac] : (double)m;
	*out = s[0] == '-' && m != 0 ? -v : v;
	return 1;
}

int
kpi_num_parse(const char *s, size_t n, enum kpi_numkind kind,
    int decimal, double *out)
{
	struct scan sc;
	const char *end = s + n;

	if (decimal != '.' && decimal != ',')
		return -1;
	if (fast_path(s, n, kind, decimal, out))
		return 1;
	trim(&s, &end);
	if (is_null(s, (size_t)(end - s)))
		return 0;
	/* WooCommerce wrote negatives as "'-42" to keep spreadsheets from
	 * taking them for formulas. */
	if (s < end && *s == '\'')
		s++;
	sc = (struct scan){ .p = s, .end = end };
	scan_prefix(&sc, kind);
	if (scan_number(&sc, decimal) == -1 || scan_suffix(&sc, kind) == -1)
		return -1;
	return finish(&sc, kind, out);
}

int
kpi_bool_parse(const char *s, size_t n, int *out)
{
	static const struct {
		const char *word;
		int val;
	} words[] = {
		{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
		{ "y", 1 }, { "n", 0 }, { "t", 1 }, { "f", 0 },
		{ "1", 1 }, { "0", 0 }, { "on", 1 }, { "off", 0 }
	};
	const char *end = s + n;
	char low[6];
	size_t i, len;

	trim(&s, &end);
	len = (size_t)(end - s);
	if (is_null(s, len))
		return 0;
	if (len >= sizeof(low))
		return -1;
	/* By hand, not tolower(3): that one follows the locale. */
	for (i = 0; i < len; i++)
		low[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i];
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == len &&
		    memcmp(low, words[i].word, len) == 0) {
			*out = words[i].val;
			return 1;
		}
	return -1;
}

/*
 * k for x = k / 10^6: whether x is the double nearest such a k, with
 * |k| < 2^53 so that k / 10^6 has one rounding, the division's.
 */
static int
micros(double x, long long *k)
{
	if (!(fabs(x) < 9e9))
		return 0;
	*k = llround(x * 1e6);
	return (double)*k / 1e6 == x;
}

double
kpi_dec_sub(double a, double b)
{
	long long ka, kb;

	if (micros(a, &ka) && micros(b, &kb))
		return (double)(ka - kb) / 1e6;
	return a - b;
}

/*
 * k and scale for x = k / 10^scale, scale at most maxp and as small as
 * it can be: whether x is the double nearest such a k (as micros()).
 */
static int
decimal_of(double x, int maxp, long long *k, int *scale)
{
	double p = pow10tab[maxp];

	if (!(fabs(x) * p < KPI_EXACT_INT))
		return 0;
	*k = llround(x * p);
	if ((double)*k / p != x)
		return 0;
	for (*scale = maxp; *scale > 0 && *k % 10 == 0; (*scale)--)
		*k /= 10;
	return 1;
}

double
kpi_dec_mul_round(double a, double b, int places)
{
	long long ka, kb, q, r, d;
	int sa, sb, s;
	double f;

	if (decimal_of(a, 6, &ka, &sa) && decimal_of(b, 9, &kb, &sb) &&
	    (ka == 0 || llabs(kb) <= LLONG_MAX / llabs(ka))) {
		/* The exact product is q / 10^s: cut to places, then
		   away from zero when what is cut is half or more. */
		q = ka * kb;
		s = sa + sb;
		if (s <= places)
			return (double)q / pow10tab[s];
		for (d = 1; s > places; s--)
			d *= 10;
		r = q % d;
		q /= d;
		if (2 * llabs(r) >= d)
			q += (ka < 0) != (kb < 0) ? -1 : 1;
		return (double)q / pow10tab[places];
	}
	f = a * b * pow10tab[places];
	if (!(fabs(f) < KPI_EXACT_INT))
		return a * b;
	return (double)llround(f) / pow10tab[places];
}
