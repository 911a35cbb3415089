/*
 * expr_test.c - formulas over metrics: precedence, signs, numbers, names,
 * functions, null and non-finite results, syntax errors with their exact
 * messages and columns, and random bytes that must never crash the parser.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

#define NUL	(-1)		/* want: the result is null */

/*
 * The values of the names the cases may use; a name a case uses that is
 * not here, or NaN here, is given as null.
 */
static const struct {
	const char *name;
	double val;
} names[] = {
	{ "revenue", 1200 }, { "orders", 40 }, { "cost", 900 },
	{ "spend", 250 }, { "impressions", 50000 }, { "clicks", 750 },
	{ "purchase_value", 1000 }, { "a", 7 }, { "b", 2 }, { "zero", 0 },
	{ "neg", -3.5 }, { "big", 1e300 }, { "Rev2", 5 }, { "_x", 1 },
	{ "missing", NAN }, { "change", -0.25 }
};

static const struct {
	const char *s;
	int ret;		/* 1 a value, NUL null */
	double want;
} eval_cases[] = {
	/* the KPIs the tool is for */
	{ "revenue / orders", 1, 30 },
	{ "purchase_value / spend", 1, 4 },
	{ "clicks / impressions", 1, 0.015 },
	{ "(revenue - cost) / revenue", 1, 0.25 },
	{ "spend / impressions * 1000", 1, 5 },
	{ "max(0, a - b)", 1, 5 },
	{ "max(0, b - a)", 1, 0 },
	{ "abs(change)", 1, 0.25 },

	/* precedence and associativity */
	{ "1+2*3", 1, 7 },
	{ "(1+2)*3", 1, 9 },
	{ "1-2-3", 1, -4 },
	{ "1-(2-3)", 1, 2 },
	{ "8/4/2", 1, 1 },
	{ "8/(4/2)", 1, 4 },
	{ "2*3+4*5", 1, 26 },
	{ "a - b * a / b + 1", 1, 1 },
	{ "((((a))))", 1, 7 },

	/* signs */
	{ "-3", 1, -3 },
	{ "--3", 1, 3 },
	{ "---3", 1, -3 },
	{ "- - 3", 1, 3 },
	{ "+3", 1, 3 },
	{ "-+-+3", 1, 3 },
	{ "-a", 1, -7 },
	{ "--a", 1, 7 },
	{ "-a*b", 1, -14 },
	{ "2*-3", 1, -6 },
	{ "a - -b", 1, 9 },
	{ "-(a+b)", 1, -9 },
	{ "-2*-2", 1, 4 },
	{ "-zero", 1, 0 },
	{ "0 * -1", 1, 0 },		/* -0 comes out as 0 */

	/* numbers */
	{ "1000", 1, 1000 },
	{ "0.5", 1, 0.5 },
	{ ".5", 1, 0.5 },
	{ "5.", 1, 5 },
	{ "1e3", 1, 1000 },
	{ "1E3", 1, 1000 },
	{ "1e+3", 1, 1000 },
	{ "2.5e-1", 1, 0.25 },
	{ ".5e1", 1, 5 },
	{ "007", 1, 7 },
	{ "1e-400", 1, 0 },

	/* names, functions, whitespace */
	{ "Rev2 + _x", 1, 6 },
	{ "min(a, b)", 1, 2 },
	{ "max(a, b)", 1, 7 },
	{ "min(a)", 1, 7 },
	{ "max(3, 9, 4, -1)", 1, 9 },
	{ "min(3, 9, 4, -1)", 1, -1 },
	{ "abs(neg)", 1, 3.5 },
	{ "abs(-a) + abs(b)", 1, 9 },
	{ "max(min(a, b), abs(neg))", 1, 3.5 },
	{ " \t a\n+\r\nb\f*\v2 ", 1, 11 },
	{ "min (a,b)", 1, 2 },
	{ "abs ( neg )", 1, 3.5 },

	/* null in, null out; never NaN or infinity */
	{ "a / zero", NUL, 0 },
	{ "zero / zero", NUL, 0 },
	{ "a / (b - 2)", NUL, 0 },
	{ "zero / a", 1, 0 },
	{ "missing", NUL, 0 },
	{ "missing + 1", NUL, 0 },
	{ "0 * missing", NUL, 0 },
	{ "max(0, missing)", NUL, 0 },
	{ "min(missing, 0)", NUL, 0 },
	{ "max(1, 2, missing, 3)", NUL, 0 },
	{ "abs(missing)", NUL, 0 },
	{ "-missing", NUL, 0 },
	{ "unset * 0", NUL, 0 },
	{ "1e300 * 1e300", NUL, 0 },
	{ "big * big", NUL, 0 },
	{ "big * big - big * big", NUL, 0 },
	{ "1 / (big * big)", NUL, 0 },	/* not 0: the inside is not finite */
	{ "-big * 10 * big", NUL, 0 },
	{ "big / 1e-300", NUL, 0 },
	{ "1e308 + 1e308", NUL, 0 },
	{ "big * 1e8", 1, 1e308 }
};

static const struct {
	const char *s;
	const char *msg;
	unsigned long col;
} error_cases[] = {
	{ "", "empty formula", 1 },
	{ "   \t", "empty formula", 1 },
	{ "2^3", "unexpected '^'", 2 },
	{ "-2^2", "unexpected '^'", 3 },
	{ "a +", "unexpected end of formula", 4 },
	{ "a + ", "unexpected end of formula", 5 },
	{ "-", "unexpected end of formula", 2 },
	{ "a *", "unexpected end of formula", 4 },
	{ "(a + b", "missing ')'", 1 },
	{ "x * ((a + b)", "missing ')'", 5 },
	{ "max(a, b", "missing ')'", 4 },
	{ "max (a, b", "missing ')'", 5 },
	{ "max(a, ", "unexpected end of formula", 8 },
	{ "(a b)", "unexpected 'b'", 4 },
	{ "a b", "unexpected 'b'", 3 },
	{ "revenue orders", "unexpected 'orders'", 9 },
	{ "1 000", "unexpected '000'", 3 },
	{ "a)", "unexpected ')'", 2 },
	{ ")", "unexpected ')'", 1 },
	{ "()", "unexpected ')'", 2 },
	{ "max()", "unexpected ')'", 5 },
	{ "max(a,)", "unexpected ')'", 7 },
	{ "max(,a)", "unexpected ','", 5 },
	{ "a, b", "unexpected ','", 2 },
	{ "(a, b)", "unexpected ','", 3 },
	{ "a * / b", "unexpected '/'", 5 },
	{ "a ** b", "unexpected '*'", 4 },
	{ "a % b", "unexpected '%'", 3 },
	{ "a.b", "unexpected '.'", 2 },
	{ ".", "unexpected '.'", 1 },
	{ "a = b", "unexpected '='", 3 },
	{ "revenue \xE2\x80\x93 cost", "unexpected '\xE2\x80\x93'", 9 },
	{ "a \x01", "unexpected byte 0x01", 3 },
	{ "a \xFF", "unexpected byte 0xff", 3 },
	{ "a \xE2\x80", "unexpected byte 0xe2", 3 },
	{ "foo(a)", "unknown function 'foo'", 1 },
	{ "1 + sum (a)", "unknown function 'sum'", 5 },
	{ "MAX(a, b)", "unknown function 'MAX'", 1 },
	{ "a (b)", "unknown function 'a'", 1 },
	{ "min", "'min' is a function", 1 },
	{ "a + max", "'max' is a function", 5 },
	{ "abs * 2", "'abs' is a function", 1 },
	{ "abs(a, b)", "'abs' takes one argument", 6 },
	{ "1.2.3", "bad number '1.2.3'", 1 },
	{ "a + 2x", "bad number '2x'", 5 },
	{ "1e", "bad number '1e'", 1 },
	{ "1e+", "bad number '1e+'", 1 },
	{ "1e+x", "bad number '1e+x'", 1 },
	{ "0x10", "bad number '0x10'", 1 },
	{ "1e999", "number out of range '1e999'", 1 },
	{ "1 + 1234567890123456789012345678901234567890"
	    "12345678901234567890123456", "number too long", 5 }
};

/* Evaluates s with the values of names[], which it must parse. */
static int
eval(const char *s, double *out)
{
	double vals[64];
	unsigned char isnull[64];
	struct kpi_expr *e;
	struct kpi_err err;
	size_t i, j, n;
	int ret;

	kpi_err_clear(&err);
	if ((e = kpi_expr_parse(s, &err)) == NULL) {
		CHECK(0, "'%s': %s at %lu", s, err.msg, err.col);
		return -2;
	}
	n = kpi_expr_nrefs(e);
	for (i = 0; i < n && i < 64; i++) {
		vals[i] = 12345;	/* a value that must go unused */
		isnull[i] = 1;
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++)
			if (strcmp(names[j].name, kpi_expr_ref(e, i)) == 0 &&
			    !isnan(names[j].val)) {
				vals[i] = names[j].val;
				isnull[i] = 0;
			}
	}
	ret = kpi_expr_eval(e, vals, isnull, out);
	kpi_expr_free(e);
	return ret;
}

static void
test_eval(void)
{
	size_t i;
	double got;
	int ret;

	for (i = 0; i < sizeof(eval_cases) / sizeof(eval_cases[0]); i++) {
		got = -999;
		ret = eval(eval_cases[i].s, &got);
		if (ret == -2)
			continue;
		if (eval_cases[i].ret == NUL) {
			CHECK(ret == 0, "'%s': want null, got %.17g",
			    eval_cases[i].s, got);
			continue;
		}
		CHECK(ret == 1 && got == eval_cases[i].want && !signbit(got) ==
		    !signbit(eval_cases[i].want), "'%s': want %.17g, got %d %.17g",
		    eval_cases[i].s, eval_cases[i].want, ret, got);
	}
}

static void
test_errors(void)
{
	struct kpi_expr *e;
	struct kpi_err err;
	char ctx[256];
	size_t i;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		kpi_err_clear(&err);
		snprintf(err.file, sizeof(err.file), "kpis.json");
		err.line = 3;
		e = kpi_expr_parse(error_cases[i].s, &err);
		snprintf(ctx, sizeof(ctx), "'%s'", error_cases[i].s);
		CHECK(e == NULL, "%s: parsed", ctx);
		kpi_expr_free(e);
		CHECK_STR(err.msg, error_cases[i].msg, ctx);
		CHECK(err.col == error_cases[i].col, "%s: col %lu, want %lu",
		    ctx, err.col, error_cases[i].col);
		/* Where the formula was written is the caller's to say. */
		CHECK_STR(err.file, "kpis.json", ctx);
		CHECK(err.line == 3, "%s: line %lu", ctx, err.line);
	}
}

/* Names are collected once each, in the order they are first used. */
static void
test_refs(void)
{
	static const char *const want[] = { "revenue", "cost", "orders", "c" };
	struct kpi_expr *e;
	struct kpi_err err;
	double vals[4] = { 100, 60, 8, 2 }, got = 0;
	unsigned char isnull[4] = { 0, 0, 0, 0 };
	size_t i;

	e = kpi_expr_parse("(revenue - cost) / orders + max(revenue, c) * 0"
	    " + cost - cost", &err);
	CHECK(e != NULL, "parse: %s", err.msg);
	if (e == NULL)
		return;
	CHECK(kpi_expr_nrefs(e) == 4, "nrefs %zu", kpi_expr_nrefs(e));
	for (i = 0; i < 4 && i < kpi_expr_nrefs(e); i++)
		CHECK_STR(kpi_expr_ref(e, i), want[i], "ref");
	CHECK(kpi_expr_ref(e, 4) == NULL, "ref past the end");
	CHECK(kpi_expr_eval(e, vals, isnull, &got) == 1 && got == 5,
	    "got %g", got);
	isnull[3] = 1;
	CHECK(kpi_expr_eval(e, vals, isnull, &got) == 0, "null c");
	kpi_expr_free(e);

	e = kpi_expr_parse("2 * (3 + 4)", &err);
	CHECK(e != NULL && kpi_expr_nrefs(e) == 0, "no names");
	CHECK(e != NULL && kpi_expr_eval(e, NULL, NULL, &got) == 1 &&
	    got == 14, "constant");
	kpi_expr_free(e);
	kpi_expr_free(NULL);
}

/* Builds n levels of wrapper around "a": "(((a)))" or "abs(abs(a))". */
static char *
nested(size_t n, const char *open)
{
	struct kpi_buf b;
	size_t i;

	kpi_buf_init(&b);
	for (i = 0; i < n; i++)
		kpi_buf_adds(&b, open);
	kpi_buf_adds(&b, "a");
	for (i = 0; i < n; i++)
		kpi_buf_addc(&b, ')');
	return b.p;
}

static void
test_limits(void)
{
	struct kpi_expr *e;
	struct kpi_err err;
	struct kpi_buf b;
	double v = 3, got = 0;
	unsigned char nul = 0;
	char *s;
	size_t i;

	s = nested(64, "(");
	e = kpi_expr_parse(s, &err);
	CHECK(e != NULL && kpi_expr_eval(e, &v, &nul, &got) == 1 && got == 3,
	    "64 deep");
	kpi_expr_free(e);
	free(s);
	s = nested(65, "(");
	CHECK(kpi_expr_parse(s, &err) == NULL, "65 deep");
	CHECK_STR(err.msg, "nesting deeper than 64", "65 deep");
	CHECK(err.col == 65, "65 deep: col %lu", err.col);
	free(s);
	s = nested(65, "max(1, ");
	CHECK(kpi_expr_parse(s, &err) == NULL && err.col == 65 * 7 - 3,
	    "65 calls: %s at %lu", err.msg, err.col);
	free(s);

	/* The deepest stack the grammar allows, right-leaning everywhere. */
	kpi_buf_init(&b);
	for (i = 0; i < 64; i++)
		kpi_buf_adds(&b, "a + a * max(a, ");
	kpi_buf_adds(&b, "a + a * -a");
	for (i = 0; i < 64; i++)
		kpi_buf_addc(&b, ')');
	e = kpi_expr_parse(b.p, &err);
	CHECK(e != NULL && kpi_expr_eval(e, &v, &nul, &got) == 1,
	    "deep stack: %s", e ? "" : err.msg);
	kpi_expr_free(e);
	kpi_buf_release(&b);

	/* Long formulas are fine as long as they are flat. */
	kpi_buf_init(&b);
	kpi_buf_adds(&b, "-a");
	for (i = 0; i < 10000; i++)
		kpi_buf_adds(&b, " + a * 2 - --a / 1");
	e = kpi_expr_parse(b.p, &err);
	CHECK(e != NULL && kpi_expr_eval(e, &v, &nul, &got) == 1 &&
	    got == 3 * 10000 - 3, "long: %g", got);
	kpi_expr_free(e);
	kpi_buf_release(&b);
}

/*
 * Random formulas, from bytes that are mostly the grammar's own: each must
 * parse or fail with a message and a column inside it, and evaluate
 * without trouble.  ASan and UBSan builds do the real checking.
 */
static void
test_fuzz(void)
{
	static const char alpha[] = "0123456789.eE+-*/(),  abminx_\t^\x80\xE2";
	char s[48];
	double vals[64], got;
	unsigned char isnull[64];
	struct kpi_expr *e;
	struct kpi_err err;
	size_t i, j, n, bad = 0;
	int r;

	srand(1);
	for (i = 0; i < 64; i++) {
		vals[i] = i % 5 == 0 ? 0 : (double)i - 20;
		isnull[i] = i % 7 == 3;
	}
	for (i = 0; i < 200000; i++) {
		n = (size_t)rand() % (sizeof(s) - 1);
		for (j = 0; j < n; j++)
			s[j] = rand() % 4 == 0 ? (char)(rand() % 255 + 1) :
			    alpha[rand() % (sizeof(alpha) - 1)];
		s[n] = '\0';
		err.msg[0] = '\0';
		if ((e = kpi_expr_parse(s, &err)) == NULL) {
			bad += err.msg[0] == '\0' || err.col < 1 ||
			    err.col > n + 1;
			continue;
		}
		bad += kpi_expr_nrefs(e) > 64;
		if (kpi_expr_nrefs(e) <= 64) {
			r = kpi_expr_eval(e, vals, isnull, &got);
			bad += r == 1 && !isfinite(got);
		}
		kpi_expr_free(e);
	}
	CHECK(bad == 0, "%zu bad outcomes", bad);
}

int
main(void)
{
	test_eval();
	test_errors();
	test_refs();
	test_limits();
	test_fuzz();
	return unit_done();
}
