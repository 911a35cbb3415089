/*
 * cond_test.c - the conditions of count_if and share_if (expr.c) and
 * their states (reduce.c): parsing, testing a value, hand-computed
 * values, JSON states, and any split of the answers merged back giving
 * the serial state byte for byte, as --partial and --merge need.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

static const struct {
	const char *s;
	const char *field;	/* NULL: an error */
	int op;
	double x;
	const char *msg;	/* the error, and its column */
	unsigned long col;
} parse_cases[] = {
	{ "score >= 9", "score", KPI_COND_GE, 9, NULL, 0 },
	{ "score<=6", "score", KPI_COND_LE, 6, NULL, 0 },
	{ " rating > 4.5 ", "rating", KPI_COND_GT, 4.5, NULL, 0 },
	{ "rating<4", "rating", KPI_COND_LT, 4, NULL, 0 },
	{ "x == -1", "x", KPI_COND_EQ, -1, NULL, 0 },
	{ "x != - -2e1", "x", KPI_COND_NE, 20, NULL, 0 },
	{ "x == -0", "x", KPI_COND_EQ, 0, NULL, 0 },
	{ "verified", "verified", KPI_COND_TRUE, 0, NULL, 0 },
	{ "\tmin ", "min", KPI_COND_TRUE, 0, NULL, 0 },
	{ "", NULL, 0, 0, "empty condition", 1 },
	{ "   ", NULL, 0, 0, "empty condition", 1 },
	{ "9 <= score", NULL, 0, 0, "unexpected '9'", 1 },
	{ "score = 9", NULL, 0, 0, "'=' is not a comparison: write '=='", 7 },
	{ "score => 9", NULL, 0, 0, "'=' is not a comparison: write '=='", 7 },
	{ "score >= ", NULL, 0, 0, "expected a number", 10 },
	{ "score >= x", NULL, 0, 0, "unexpected 'x'", 10 },
	{ "score >= 9 and", NULL, 0, 0, "unexpected 'and'", 12 },
	{ "score 9", NULL, 0, 0, "expected a comparison (<, <=, >, >=, ==, "
	    "!=) or the end of the condition", 7 },
	{ "score >= 1.2.3", NULL, 0, 0, "bad number '1.2.3'", 10 },
	{ "a b", NULL, 0, 0, "expected a comparison (<, <=, >, >=, ==, "
	    "!=) or the end of the condition", 3 },
};

static void
test_parse(void)
{
	struct kpi_cond c;
	struct kpi_err err;
	char *field;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		kpi_err_clear(&err);
		rc = kpi_cond_parse(parse_cases[i].s, strlen(parse_cases[i].s),
		    &field, &c, &err);
		if (parse_cases[i].field == NULL) {
			CHECK(rc == -1 && field == NULL, "'%s': %d",
			    parse_cases[i].s, rc);
			CHECK_STR(err.msg, parse_cases[i].msg, parse_cases[i].s);
			CHECK(err.col == parse_cases[i].col, "'%s': col %lu",
			    parse_cases[i].s, err.col);
			continue;
		}
		CHECK(rc == 0, "'%s': %s", parse_cases[i].s, err.msg);
		if (rc != 0)
			continue;
		CHECK_STR(field, parse_cases[i].field, parse_cases[i].s);
		CHECK((int)c.op == parse_cases[i].op && c.x == parse_cases[i].x &&
		    (c.x != 0 || !signbit(c.x)), "'%s': op %d x %g",
		    parse_cases[i].s,
		    (int)c.op, c.x);
		free(field);
	}
	/* Only the n bytes given are read: the ')' after is not. */
	rc = kpi_cond_parse("score>=9)", 8, &field, &c, &err);
	CHECK(rc == 0 && c.x == 9, "n bytes: %d", rc);
	free(field);
}

static struct kpi_val
num(double x)
{
	struct kpi_val v;

	memset(&v, 0, sizeof(v));
	v.type = KPI_NUM;
	v.num = x;
	return v;
}

static void
test_test(void)
{
	struct kpi_cond ge9 = { KPI_COND_GE, 9 }, le6 = { KPI_COND_LE, 6 };
	struct kpi_cond yes = { KPI_COND_TRUE, 0 }, ne0 = { KPI_COND_NE, 0 };
	struct kpi_cond lt = { KPI_COND_LT, 4.5 }, gt = { KPI_COND_GT, 4.5 };
	struct kpi_cond eq = { KPI_COND_EQ, 0.3 };
	struct kpi_val t = { KPI_TRUE, NULL, 0, 0, 0 };
	struct kpi_val f = { KPI_FALSE, NULL, 0, 0, 0 };
	struct kpi_val s = { KPI_STR, "9", 1, 0, 1 };
	struct kpi_val nul = { KPI_NULL, NULL, 0, 0, 0 };
	struct kpi_val v;

	v = num(9);
	CHECK(kpi_cond_test(&ge9, &v) == 1, "9 >= 9");
	CHECK(kpi_cond_test(&le6, &v) == 0, "9 <= 6");
	v = num(8.999);
	CHECK(kpi_cond_test(&ge9, &v) == 0, "8.999 >= 9");
	v = num(6);
	CHECK(kpi_cond_test(&le6, &v) == 1, "6 <= 6");
	v = num(4.5);
	CHECK(kpi_cond_test(&lt, &v) == 0 && kpi_cond_test(&gt, &v) == 0,
	    "4.5 against 4.5");
	v = num(0.1 + 0.2);
	CHECK(kpi_cond_test(&eq, &v) == 0, "0.1 + 0.2 is not 0.3 in binary");
	v = num(-0.0);
	CHECK(kpi_cond_test(&ne0, &v) == 0 && kpi_cond_test(&yes, &v) == 0,
	    "-0 is 0");
	v = num(2);
	CHECK(kpi_cond_test(&yes, &v) == 1, "2 is true");
	CHECK(kpi_cond_test(&yes, &t) == 1 && kpi_cond_test(&yes, &f) == 0,
	    "booleans");
	CHECK(kpi_cond_test(&ge9, &t) == -1, "a boolean is no number");
	CHECK(kpi_cond_test(&ge9, &s) == -1 && kpi_cond_test(&yes, &s) == -1,
	    "a string is neither");
	CHECK(kpi_cond_test(&ge9, &nul) == -1, "null");
	v = num(INFINITY);
	CHECK(kpi_cond_test(&ge9, &v) == -1, "infinity");
}

/* 1 true, 0 false, -1 null. */
static struct kpi_rstate *
make(enum kpi_red red, const int *xs, size_t n)
{
	struct kpi_val t = { KPI_TRUE, NULL, 0, 0, 0 };
	struct kpi_val f = { KPI_FALSE, NULL, 0, 0, 0 };
	struct kpi_rstate *st = kpi_rstate_new(red, 0);
	size_t i;

	for (i = 0; i < n; i++)
		CHECK(kpi_rstate_add(st, xs[i] < 0 ? NULL : xs[i] ? &t : &f,
		    (long long)i) == 0, "add %d", xs[i]);
	return st;
}

static const char *
put(const struct kpi_rstate *st)
{
	static struct kpi_buf b;

	kpi_buf_reset(&b);
	kpi_rstate_put(&b, st);
	kpi_buf_addc(&b, '\0');
	return b.p;
}

static void
test_values(void)
{
	/* NPS answers 10 9 9 8 7 6 3 0 and a blank: 3 promoters. */
	static const int prom[] = { 1, 1, 1, 0, 0, 0, 0, 0, -1 };
	struct kpi_val s = { KPI_STR, "a", 1, 0, 1 }, n = num(1);
	struct kpi_rstate *c, *sh;
	double x;

	c = make(KPI_R_COUNT_IF, prom, 9);
	sh = make(KPI_R_SHARE_IF, prom, 9);
	CHECK(kpi_rstate_value(c, &x) == 1 && x == 3, "count_if %g", x);
	CHECK(kpi_rstate_value(sh, &x) == 1 && x == 3.0 / 8, "share_if %g", x);
	CHECK_STR(put(c), "{\"n\":3}", "count_if state");
	CHECK_STR(put(sh), "{\"n\":8,\"k\":3}", "share_if state");
	/* Anything but true, false and null is the wrong type. */
	CHECK(kpi_rstate_add(c, &s, 0) == -1 && kpi_rstate_add(c, &n, 0) == -1,
	    "count_if types");
	CHECK(kpi_rstate_add(sh, &s, 0) == -1 &&
	    kpi_rstate_add(sh, &n, 0) == -1, "share_if types");
	CHECK_STR(put(sh), "{\"n\":8,\"k\":3}", "unchanged");
	kpi_rstate_free(c);
	kpi_rstate_free(sh);
	/* No answers: no share, but a count of 0. */
	c = make(KPI_R_COUNT_IF, prom, 0);
	sh = make(KPI_R_SHARE_IF, prom + 8, 1);
	CHECK(kpi_rstate_value(c, &x) == 1 && x == 0, "count_if of none");
	CHECK(kpi_rstate_value(sh, &x) == 0, "share_if of none is null");
	CHECK_STR(put(sh), "{\"n\":0,\"k\":0}", "empty share_if state");
	kpi_rstate_free(c);
	kpi_rstate_free(sh);
}

static const struct {
	enum kpi_red red;
	const char *json;
	int ok;
} load_cases[] = {
	{ KPI_R_COUNT_IF, "{\"n\":3}", 1 },
	{ KPI_R_COUNT_IF, "{\"n\":-3}", 0 },
	{ KPI_R_COUNT_IF, "{\"n\":3,\"k\":1}", 0 },
	{ KPI_R_SHARE_IF, "{\"n\":8,\"k\":3}", 1 },
	{ KPI_R_SHARE_IF, "{\"n\":0,\"k\":0}", 1 },
	{ KPI_R_SHARE_IF, "{\"n\":3,\"k\":8}", 0 },
	{ KPI_R_SHARE_IF, "{\"n\":3,\"k\":-1}", 0 },
	{ KPI_R_SHARE_IF, "{\"n\":3}", 0 },
	{ KPI_R_SHARE_IF, "{\"n\":3,\"k\":1.5}", 0 },
	{ KPI_R_SHARE_IF, "{\"n\":3,\"k\":1,\"v\":1}", 0 },
	{ KPI_R_SHARE_IF, "{\"n\":\"3\",\"k\":1}", 0 },
};

static void
test_load(void)
{
	struct kpi_rstate *st;
	struct kpi_err err;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		st = kpi_rstate_new(load_cases[i].red, 0);
		kpi_err_clear(&err);
		rc = kpi_rstate_load(st, load_cases[i].json,
		    strlen(load_cases[i].json), &err);
		CHECK(rc == (load_cases[i].ok ? 0 : -1), "%s: %d",
		    load_cases[i].json, rc);
		if (rc == 0)
			CHECK_STR(put(st), load_cases[i].json, "round trip");
		else
			CHECK_STR(err.msg, load_cases[i].red == KPI_R_COUNT_IF ?
			    "bad state for count_if" : "bad state for share_if",
			    load_cases[i].json);
		kpi_rstate_free(st);
	}
}

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* st through JSON into a fresh state. */
static struct kpi_rstate *
roundtrip(const struct kpi_rstate *st, enum kpi_red red)
{
	struct kpi_rstate *o = kpi_rstate_new(red, 0);
	struct kpi_err err;
	const char *j = put(st);

	CHECK(kpi_rstate_load(o, j, strlen(j), &err) == 0, "load %s", j);
	return o;
}

/*
 * Answers dealt at random to four parts, each sent through JSON and
 * merged in a random order, give the serial state and value exactly.
 */
static void
test_split_merge(void)
{
	static const size_t sizes[] = { 0, 1, 2, 5, 77, 1000 };
	static const enum kpi_red reds[] = { KPI_R_COUNT_IF, KPI_R_SHARE_IF };
	struct kpi_rstate *serial, *part[4], *merged, *o;
	int xs[1000], a, b;
	size_t s, r, i, p, k;
	double x, y;
	char *want;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (r = 0; r < 2; r++) {
			for (i = 0; i < sizes[s]; i++)
				xs[i] = (int)(rng() % 12) - 1;	/* 0-10, -1 */
			for (i = 0; i < sizes[s]; i++)
				xs[i] = xs[i] < 0 ? -1 : xs[i] >= 9;
			serial = make(reds[r], xs, sizes[s]);
			for (p = 0; p < 4; p++)
				part[p] = kpi_rstate_new(reds[r], 0);
			for (i = 0; i < sizes[s]; i++) {
				o = make(reds[r], xs + i, 1);
				kpi_rstate_merge(part[rng() % 4], o);
				kpi_rstate_free(o);
			}
			merged = kpi_rstate_new(reds[r], 0);
			for (k = rng() % 4, p = 0; p < 4; p++) {
				o = roundtrip(part[(k + p) % 4], reds[r]);
				kpi_rstate_merge(merged, o);
				kpi_rstate_free(o);
			}
			want = strdup(put(serial));
			CHECK_STR(put(merged), want, "merged state");
			a = kpi_rstate_value(serial, &x);
			b = kpi_rstate_value(merged, &y);
			CHECK(a == b && (!a || x == y), "n=%zu: %g %g",
			    sizes[s], x, y);
			free(want);
			kpi_rstate_free(serial);
			kpi_rstate_free(merged);
			for (p = 0; p < 4; p++)
				kpi_rstate_free(part[p]);
		}
}

int
main(void)
{
	test_parse();
	test_test();
	test_values();
	test_load();
	test_split_merge();
	return unit_done();
}
