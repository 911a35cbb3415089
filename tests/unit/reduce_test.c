/*
 * reduce_test.c - reducers: hand-computed values, nulls, JSON states, and
 * the property kpi-aggregate stands on: any split of the rows, each part's
 * state sent through JSON and merged, gives the serial value bit for bit.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

#define NOVAL	(-1e308)	/* a null row in the tables below */
#define END	(-1.5e308)	/* the tables' end */

static const char *const names[] = {
	"sum", "count", "count", "mean", "min", "max", "median",
	"pct", "first", "last", "stddev", "balance"
};

static struct kpi_val
num(double x)
{
	struct kpi_val v;

	memset(&v, 0, sizeof(v));
	v.type = KPI_NUM;
	v.num = x;
	return v;
}

static struct kpi_val
str(const char *s, size_t n)
{
	struct kpi_val v;

	memset(&v, 0, sizeof(v));
	v.type = KPI_STR;
	v.s = s;
	v.len = n;
	return v;
}

/* A state of red with the numbers xs (to END; NOVAL: null), times 0, 1, ... */
static struct kpi_rstate *
make(enum kpi_red red, double pct, const double *xs)
{
	struct kpi_rstate *st = kpi_rstate_new(red, pct);
	struct kpi_val v, nul = { KPI_NULL, NULL, 0, 0, 0 };
	long long t;

	for (t = 0; xs[t] != END; t++) {
		v = num(xs[t]);
		CHECK(kpi_rstate_add(st, xs[t] == NOVAL ? &nul : &v, t) == 0,
		    "add %g", xs[t]);
	}
	return st;
}

/* The value, or NAN for null. */
static double
value(const struct kpi_rstate *st)
{
	double x;

	return kpi_rstate_value(st, &x) ? x : NAN;
}

/* The state's JSON; static, valid until the next call. */
static const char *
put(const struct kpi_rstate *st)
{
	static struct kpi_buf b;

	kpi_buf_reset(&b);
	kpi_rstate_put(&b, st);
	kpi_buf_addc(&b, '\0');
	return b.p;
}

static const double d1to10[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, END };
static const double d1to4[] = { 4, 1, 3, 2, END };
static const double dsd[] = { 2, 4, 4, 4, 5, 5, 7, 9, END };
static const double dtenths[] = { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
	0.1, 0.1, END };
static const double dnulls[] = { NOVAL, 3, NOVAL, -1.5, END };
static const double dallnull[] = { NOVAL, NOVAL, END };
static const double dnone[] = { END };
static const double dzeros[] = { 0.0, -0.0, END };
static const double dnzeros[] = { -0.0, 0.0, END };

static const struct {
	enum kpi_red red;
	double pct;
	const double *xs;
	double want;		/* NAN: null */
	const char *state;	/* the JSON, or NULL */
} value_cases[] = {
	{ KPI_R_SUM, 0, d1to10, 55, "{\"n\":10,\"sum\":\"55000000\"}" },
	{ KPI_R_SUM, 0, dtenths, 1, "{\"n\":10,\"sum\":\"1000000\"}" },
	{ KPI_R_SUM, 0, dnulls, 1.5, "{\"n\":2,\"sum\":\"1500000\"}" },
	{ KPI_R_SUM, 0, dallnull, NAN, "{\"n\":0,\"sum\":\"0\"}" },
	{ KPI_R_SUM, 0, dzeros, 0, "{\"n\":2,\"sum\":\"0\"}" },
	{ KPI_R_SUM, 0, dnone, NAN, NULL },
	{ KPI_R_COUNT, 0, dnulls, 4, "{\"n\":4}" },
	{ KPI_R_COUNT, 0, dnone, 0, "{\"n\":0}" },
	{ KPI_R_COUNT_FIELD, 0, dnulls, 2, "{\"n\":2}" },
	{ KPI_R_COUNT_FIELD, 0, dallnull, 0, NULL },
	{ KPI_R_MEAN, 0, d1to4, 2.5, "{\"n\":4,\"sum\":\"10000000\"}" },
	{ KPI_R_MEAN, 0, dnulls, 0.75, NULL },
	{ KPI_R_MEAN, 0, dallnull, NAN, NULL },
	{ KPI_R_MIN, 0, dnulls, -1.5, "{\"v\":-1.5}" },
	{ KPI_R_MIN, 0, dallnull, NAN, "{}" },
	{ KPI_R_MAX, 0, d1to4, 4, "{\"v\":4}" },
	{ KPI_R_MIN, 0, dnzeros, 0, "{\"v\":0}" },
	{ KPI_R_MEDIAN, 50, d1to4, 2.5, "{\"v\":[1,2,3,4]}" },
	{ KPI_R_MEDIAN, 50, d1to10, 5.5, NULL },
	{ KPI_R_MEDIAN, 50, dsd, 4.5, NULL },
	{ KPI_R_MEDIAN, 50, dnulls, 0.75, "{\"v\":[-1.5,3]}" },
	{ KPI_R_MEDIAN, 50, dallnull, NAN, "{\"v\":[]}" },
	{ KPI_R_PCT, 90, d1to10, 9.1, NULL },
	{ KPI_R_PCT, 10, d1to10, 1.9, NULL },
	{ KPI_R_PCT, 25, d1to4, 1.75, NULL },
	{ KPI_R_PCT, 99.9, d1to10, 9.991, NULL },
	{ KPI_R_PCT, 1, dsd, 2.14, NULL },
	{ KPI_R_FIRST, 0, d1to4, 4, "{\"t\":0,\"v\":4}" },
	{ KPI_R_LAST, 0, d1to4, 2, "{\"t\":3,\"v\":2}" },
	{ KPI_R_LAST, 0, dnulls, -1.5, "{\"t\":3,\"v\":-1.5}" },
	{ KPI_R_FIRST, 0, dallnull, NAN, "{}" },
	{ KPI_R_STDDEV, 0, dsd, 2.1380899352993952,
	    "{\"n\":8,\"sum\":\"40000000\",\"sq\":\"232000000000000\"}" },
	{ KPI_R_STDDEV, 0, dnulls, 3.181980515339464, NULL },
	{ KPI_R_STDDEV, 0, dtenths, 0, NULL },
	{ KPI_R_STDDEV, 0, dallnull, NAN, NULL },
	{ KPI_R_STDDEV, 0, dnone + 0, NAN, NULL },
	/* kpi_rstate_add: one series, "", its value at the latest time */
	{ KPI_R_BALANCE, 0, d1to4, 2, "{\"s\":{\"\":[3,2]}}" },
	{ KPI_R_BALANCE, 0, dnulls, -1.5, "{\"s\":{\"\":[3,-1.5]}}" },
	{ KPI_R_BALANCE, 0, dallnull, NAN, "{}" },
};

/* Same double, bits and all; NAN matches NAN (both null). */
static int
same(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void
test_values(void)
{
	struct kpi_rstate *st;
	size_t i;

	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++) {
		st = make(value_cases[i].red, value_cases[i].pct,
		    value_cases[i].xs);
		CHECK(same(value(st), value_cases[i].want),
		    "case %zu %s: got %.17g, want %.17g", i,
		    names[value_cases[i].red], value(st),
		    value_cases[i].want);
		if (value_cases[i].state)
			CHECK_STR(put(st), value_cases[i].state,
			    names[value_cases[i].red]);
		kpi_rstate_free(st);
	}
}

/* Hand-checked special values. */
static void
test_special(void)
{
	static const double one[] = { 7.25, END };
	static const double third[] = { 1.0 / 3, 1.0 / 3, 1.0 / 3, END };
	struct kpi_rstate *st;
	double x;

	st = make(KPI_R_STDDEV, 0, dsd);
	CHECK(same(value(st), sqrt(32.0 / 7)), "stddev %.17g", value(st));
	CHECK(fabs(value(st) - 2.138089935299395) < 1e-15, "stddev");
	kpi_rstate_free(st);
	st = make(KPI_R_STDDEV, 0, one);
	CHECK(kpi_rstate_value(st, &x) == 0, "stddev of one is null");
	kpi_rstate_free(st);

	/* A third is not decimal-like: the compensated double sum. */
	st = make(KPI_R_SUM, 0, third);
	CHECK(same(value(st), 1.0), "sum of thirds %.17g", value(st));
	CHECK(strncmp(put(st), "{\"n\":0,\"sum\":\"0\",\"f\":[3,",
	    strlen("{\"n\":0,\"sum\":\"0\",\"f\":[3,")) == 0, "%s", put(st));
	kpi_rstate_free(st);
	st = make(KPI_R_STDDEV, 0, third);
	CHECK(value(st) == 0, "stddev of equal thirds %.17g", value(st));
	kpi_rstate_free(st);

	/* Money with more digits than a double's 2^53 holds at 10^-6. */
	{
		static const double big[] = { 12345678901.23, 98765432109.77,
		    1e20, -1e20, 0.01, END };
		st = make(KPI_R_SUM, 0, big);
		CHECK(same(value(st), 111111111011.01), "big sum %.17g",
		    value(st));
		CHECK_STR(put(st), "{\"n\":5,\"sum\":\"111111111011010000\"}",
		    "big sum state");
		kpi_rstate_free(st);
	}
}

static void
test_types(void)
{
	struct kpi_rstate *st;
	struct kpi_val s = str("a", 1), t = { KPI_TRUE, NULL, 0, 0, 0 };
	struct kpi_val inf = num(INFINITY), n = num(1);
	enum kpi_red r;
	double x;

	for (r = KPI_R_SUM; r <= KPI_R_STDDEV; r++) {
		st = kpi_rstate_new(r, 50);
		CHECK(kpi_rstate_add(st, NULL, 0) == 0, "%s NULL", names[r]);
		CHECK(kpi_rstate_add(st, &s, 0) == (r == KPI_R_COUNT ||
		    r == KPI_R_COUNT_FIELD ? 0 : -1),
		    "%s string", names[r]);
		CHECK(kpi_rstate_add(st, &inf, 0) == (r == KPI_R_COUNT ||
		    r == KPI_R_COUNT_FIELD ? 0 : -1), "%s inf", names[r]);
		CHECK(kpi_rstate_add(st, &t, 0) == (r == KPI_R_COUNT ||
		    r == KPI_R_COUNT_FIELD ? 0 : -1),
		    "%s true", names[r]);
		CHECK(kpi_rstate_add(st, &n, 0) == 0, "%s 1", names[r]);
		if (r == KPI_R_COUNT)
			CHECK(kpi_rstate_value(st, &x) && x == 5, "count %g", x);
		if (r == KPI_R_COUNT_FIELD)
			CHECK(kpi_rstate_value(st, &x) && x == 4, "cf %g", x);
		if (r == KPI_R_SUM)
			CHECK(kpi_rstate_value(st, &x) && x == 1, "sum %g", x);
		kpi_rstate_free(st);
	}
}

/* first and last when times tie, in one state and across a merge. */
static void
test_ties(void)
{
	static const long long ts[] = { 10, 5, 5, 10, 7 };
	static const double xs[] = { 1, 2, 3, 4, 5 };
	struct kpi_rstate *f, *l, *f2, *l2;
	struct kpi_val v;
	size_t i;

	f = kpi_rstate_new(KPI_R_FIRST, 0);
	l = kpi_rstate_new(KPI_R_LAST, 0);
	for (i = 0; i < 5; i++) {
		v = num(xs[i]);
		kpi_rstate_add(f, &v, ts[i]);
		kpi_rstate_add(l, &v, ts[i]);
	}
	CHECK(value(f) == 2, "first keeps the earlier row: %g", value(f));
	CHECK(value(l) == 4, "last takes the later row: %g", value(l));
	CHECK_STR(put(f), "{\"t\":5,\"v\":2}", "first state");

	/* Parts [0, 2) and [2, 5) merged in order give the same. */
	f2 = kpi_rstate_new(KPI_R_FIRST, 0);
	l2 = kpi_rstate_new(KPI_R_LAST, 0);
	kpi_rstate_free(f);
	kpi_rstate_free(l);
	f = kpi_rstate_new(KPI_R_FIRST, 0);
	l = kpi_rstate_new(KPI_R_LAST, 0);
	for (i = 0; i < 5; i++) {
		v = num(xs[i]);
		kpi_rstate_add(i < 2 ? f : f2, &v, ts[i]);
		kpi_rstate_add(i < 2 ? l : l2, &v, ts[i]);
	}
	kpi_rstate_merge(f, f2);
	kpi_rstate_merge(l, l2);
	CHECK(value(f) == 2, "merged first %g", value(f));
	CHECK(value(l) == 4, "merged last %g", value(l));
	kpi_rstate_free(f);
	kpi_rstate_free(l);
	kpi_rstate_free(f2);
	kpi_rstate_free(l2);
}

static const struct {
	const char *name;
	int ok;
	enum kpi_red red;
	double pct;
} parse_cases[] = {
	{ "sum", 1, KPI_R_SUM, 0 },
	{ "count", 1, KPI_R_COUNT, 0 },
	{ "distinct", 0, KPI_R_SUM, 0 },	/* an entity reducer: defs.c */
	{ "mean", 1, KPI_R_MEAN, 0 },
	{ "avg", 1, KPI_R_MEAN, 0 },
	{ "min", 1, KPI_R_MIN, 0 },
	{ "max", 1, KPI_R_MAX, 0 },
	{ "median", 1, KPI_R_MEDIAN, 50 },
	{ "first", 1, KPI_R_FIRST, 0 },
	{ "last", 1, KPI_R_LAST, 0 },
	{ "stddev", 1, KPI_R_STDDEV, 0 },
	{ "balance", 1, KPI_R_BALANCE, 0 },
	{ "p1", 1, KPI_R_PCT, 1 },
	{ "p50", 1, KPI_R_PCT, 50 },
	{ "p90", 1, KPI_R_PCT, 90 },
	{ "p99", 1, KPI_R_PCT, 99 },
	{ "p99.9", 1, KPI_R_PCT, 99.9 },
	{ "p99.99", 1, KPI_R_PCT, 99.99 },
	{ "p0.5", 1, KPI_R_PCT, 0.5 },
	{ "p0", 0, 0, 0 },
	{ "p0.0", 0, 0, 0 },
	{ "p100", 0, 0, 0 },
	{ "p05", 0, 0, 0 },
	{ "p", 0, 0, 0 },
	{ "p9.", 0, 0, 0 },
	{ "p.5", 0, 0, 0 },
	{ "p-5", 0, 0, 0 },
	{ "p9x", 0, 0, 0 },
	{ "Sum", 0, 0, 0 },
	{ "sums", 0, 0, 0 },
	{ "", 0, 0, 0 },
	{ "count_field", 0, 0, 0 },
};

static void
test_parse(void)
{
	enum kpi_red red;
	double pct;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		pct = -1;
		rc = kpi_red_parse(parse_cases[i].name,
		    strlen(parse_cases[i].name), &red, &pct);
		CHECK(rc == (parse_cases[i].ok ? 0 : -1), "'%s': %d",
		    parse_cases[i].name, rc);
		if (rc == 0 && parse_cases[i].ok)
			CHECK(red == parse_cases[i].red &&
			    pct == parse_cases[i].pct, "'%s': %d %g",
			    parse_cases[i].name, (int)red, pct);
	}
	/* The length counts, not a NUL. */
	CHECK(kpi_red_parse("sumx", 3, &red, &pct) == 0 && red == KPI_R_SUM,
	    "length");
}

static const struct {
	enum kpi_red red;
	double pct;
	const char *json;
	int ok;
} load_cases[] = {
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"-15\"}", 1 },
	{ KPI_R_SUM, 0, " { \"sum\" : \"7\" , \"n\" : 1 } ", 1 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1\",\"f\":[1,0.5,1e-17]}", 1 },
	{ KPI_R_SUM, 0, "{\"n\":2}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":15}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1.5\"}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"\"}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2.0,\"sum\":\"1\"}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":-2,\"sum\":\"1\"}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1\",\"x\":1}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1\",\"f\":[1,0.5]}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1\",\"f\":[1,0.5,1,2]}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1\",\"f\":[1,\"a\",1]}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1\",\"f\":[0,1,1]}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":"
	    "\"1234567890123456789012345678901234567890123456789\"}", 0 },
	{ KPI_R_SUM, 0, "{\"n\":2,\"sum\":\"1\"", 0 },
	{ KPI_R_SUM, 0, "[]", 0 },
	{ KPI_R_STDDEV, 0, "{\"n\":2,\"sum\":\"1\",\"sq\":\"5\"}", 1 },
	{ KPI_R_STDDEV, 0, "{\"n\":2,\"sum\":\"1\",\"sq\":\"-5\"}", 0 },
	{ KPI_R_STDDEV, 0, "{\"n\":2,\"sum\":\"1\"}", 0 },
	{ KPI_R_STDDEV, 0, "{\"n\":2,\"sum\":\"1\",\"sq\":\"1\","
	    "\"f\":[1,2,3]}", 0 },
	{ KPI_R_COUNT, 0, "{\"n\":12}", 1 },
	{ KPI_R_COUNT, 0, "{\"n\":\"12\"}", 0 },
	{ KPI_R_COUNT, 0, "{}", 0 },
	{ KPI_R_MIN, 0, "{}", 1 },
	{ KPI_R_MIN, 0, "{\"v\":null}", 0 },
	{ KPI_R_MIN, 0, "{\"v\":1,\"t\":1}", 0 },
	{ KPI_R_FIRST, 0, "{\"t\":1,\"v\":2}", 1 },
	{ KPI_R_FIRST, 0, "{\"v\":2}", 0 },
	{ KPI_R_FIRST, 0, "{\"t\":1.5,\"v\":2}", 0 },
	{ KPI_R_PCT, 90, "{\"v\":[3,1,2]}", 1 },
	{ KPI_R_PCT, 90, "{\"v\":[]}", 1 },
	{ KPI_R_PCT, 90, "{\"v\":[1,\"2\"]}", 0 },
	{ KPI_R_PCT, 90, "{\"v\":[1,[2]]}", 0 },
	{ KPI_R_PCT, 90, "{\"v\":[1,null]}", 0 },
	{ KPI_R_PCT, 90, "{\"v\":3}", 0 },
	{ KPI_R_BALANCE, 0, "{}", 1 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":[1,2],\"\":[-3,0.5]}}", 1 },
	{ KPI_R_BALANCE, 0, "{\"s\":{}}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":[]}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":[1]}}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":[1,2,3]}}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":[1.5,2]}}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":[1,\"2\"]}}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":[1,null]}}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":3}}", 0 },
	{ KPI_R_BALANCE, 0, "{\"s\":{\"a\":[1,2]},\"n\":1}", 0 },
	{ KPI_R_BALANCE, 0, "{\"v\":2}", 0 },
};

static void
test_load(void)
{
	struct kpi_rstate *st;
	struct kpi_err err;
	size_t i;
	int rc;
	char want[64];

	for (i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		st = kpi_rstate_new(load_cases[i].red, load_cases[i].pct);
		kpi_err_clear(&err);
		rc = kpi_rstate_load(st, load_cases[i].json,
		    strlen(load_cases[i].json), &err);
		CHECK(rc == (load_cases[i].ok ? 0 : -1), "%s: %d %s",
		    load_cases[i].json, rc, err.msg);
		if (rc != 0) {
			snprintf(want, sizeof(want), "bad state for %s",
			    load_cases[i].red == KPI_R_PCT ? "p90" :
			    names[load_cases[i].red]);
			CHECK_STR(err.msg, want, load_cases[i].json);
		}
		kpi_rstate_free(st);
	}
	st = kpi_rstate_new(KPI_R_PCT, 90);
	kpi_rstate_load(st, "{\"v\":[3,1,2]}", 13, &err);
	CHECK_STR(put(st), "{\"v\":[1,2,3]}", "sorted on put");
	CHECK(same(value(st), 2.8), "p90 %.17g", value(st));
	/* A failed load leaves the state empty. */
	kpi_rstate_load(st, "{\"v\":[1,null]}", 14, &err);
	CHECK_STR(put(st), "{\"v\":[]}", "emptied");
	kpi_rstate_free(st);
}

/* ---- the split/merge property ---- */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

enum dataset { MONEY, COUNTS, BIGMONEY, MIXED, NDATASETS };
static const char *const dsnames[] = { "money", "counts", "big money",
	"mixed" };

struct row {
	int null;
	double x;
	long long t;
};

static double
draw(enum dataset ds)
{
	switch (ds) {
	case MONEY:
		return (double)((long long)(rng() % 2000001) - 500000) / 100;
	case COUNTS:
		return (double)(rng() % 1000);
	case BIGMONEY:
		return (double)(long long)(rng() % 100000000000000ULL) / 100;
	default:
		if (rng() % 4 == 0)
			return (double)(rng() % 1000000) /
			    (double)(rng() % 997 + 1) * (rng() % 2 ? 1 : -1);
		return (double)(rng() % 100000) / 100;
	}
}

/* Whether split/merge must give the serial bits for this reducer. */
static int
must_be_exact(enum kpi_red red, enum dataset ds)
{
	if (ds != MIXED)
		return 1;
	return red != KPI_R_SUM && red != KPI_R_MEAN && red != KPI_R_STDDEV;
}

/* st's state sent through JSON into a fresh state. */
static struct kpi_rstate *
roundtrip(const struct kpi_rstate *st, enum kpi_red red, double pct)
{
	struct kpi_rstate *o = kpi_rstate_new(red, pct);
	struct kpi_buf b;
	struct kpi_err err;

	kpi_buf_init(&b);
	kpi_rstate_put(&b, st);
	CHECK(kpi_rstate_load(o, b.p, b.len, &err) == 0, "load %s: %s",
	    b.p, err.msg);
	kpi_buf_release(&b);
	return o;
}

/* Three sorted cut points in [0, n]: four consecutive parts, some empty. */
static void
random_cuts(size_t cut[3], size_t n)
{
	size_t i, j, tmp;

	for (i = 0; i < 3; i++)
		cut[i] = rng() % (n + 1);
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if (cut[j] < cut[i]) {
				tmp = cut[j];
				cut[j] = cut[i];
				cut[i] = tmp;
			}
}

/*
 * Splits rows into 4 parts: consecutive runs merged in order when
 * ordered, else rows dealt at random and parts merged in random order.
 */
static void
split_merge(const struct row *rows, size_t n, enum kpi_red red, double pct,
    enum dataset ds, int ordered)
{
	struct kpi_rstate *serial, *part[4], *merged, *o;
	struct kpi_val v, nul = { KPI_NULL, NULL, 0, 0, 0 };
	size_t i, cut[3], p, order[4] = { 0, 1, 2, 3 }, tmp;
	double a, b;

	serial = kpi_rstate_new(red, pct);
	for (p = 0; p < 4; p++)
		part[p] = kpi_rstate_new(red, pct);
	random_cuts(cut, n);
	for (i = 0; i < n; i++) {
		v = num(rows[i].x);
		if (ordered)
			p = (i >= cut[0]) + (i >= cut[1]) + (i >= cut[2]);
		else
			p = rng() % 4;
		kpi_rstate_add(serial, rows[i].null ? &nul : &v, rows[i].t);
		kpi_rstate_add(part[p], rows[i].null ? &nul : &v, rows[i].t);
	}
	if (!ordered)
		for (p = 3; p > 0; p--) {
			i = rng() % (p + 1);
			tmp = order[p], order[p] = order[i], order[i] = tmp;
		}
	merged = kpi_rstate_new(red, pct);
	for (p = 0; p < 4; p++) {
		o = roundtrip(part[order[p]], red, pct);
		kpi_rstate_merge(merged, o);
		kpi_rstate_free(o);
	}
	o = roundtrip(merged, red, pct);
	a = value(serial);
	b = value(o);
	if (must_be_exact(red, ds)) {
		CHECK(same(a, b), "%s %s %s n=%zu: serial %.17g, merged %.17g",
		    names[red], dsnames[ds], ordered ? "ordered" : "dealt", n,
		    a, b);
		if (ds != MIXED) {
			char *want = strdup(put(serial));

			CHECK_STR(put(o), want, names[red]);
			free(want);
		}
	} else
		CHECK(same(a, b) || fabs(a - b) <= 1e-9 * fabs(a) + 1e-12,
		    "%s mixed n=%zu: serial %.17g, merged %.17g",
		    names[red], n, a, b);
	kpi_rstate_free(serial);
	kpi_rstate_free(merged);
	kpi_rstate_free(o);
	for (p = 0; p < 4; p++)
		kpi_rstate_free(part[p]);
}

static void
test_split_merge(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 50, 333, 2000 };
	struct row rows[2000];
	enum dataset ds;
	enum kpi_red red;
	size_t s, i, n;
	int round;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (round = 0; round < 6; round++)
		for (ds = MONEY; ds < NDATASETS; ds++)
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				n = sizes[s];
				for (i = 0; i < n; i++) {
					rows[i].null = rng() % 20 == 0;
					rows[i].x = draw(ds);
					rows[i].t = (long long)(rng() % 50);
				}
				for (red = KPI_R_SUM; red <= KPI_R_STDDEV;
				    red++) {
					split_merge(rows, n, red, 90, ds, 1);
					/*
					 * first and last are exact for
					 * parts merged in order only.
					 */
					if (red != KPI_R_FIRST &&
					    red != KPI_R_LAST)
						split_merge(rows, n, red, 90,
						    ds, 0);
				}
			}
}


/* ---- balance: series, ties, and merges in any order ---- */

/* Adds x at time t to series key of st. */
static void
bal_add(struct kpi_rstate *st, const char *key, long long t, double x)
{
	struct kpi_val v = num(x);

	CHECK(kpi_rstate_add_series(st, &v, t, key, strlen(key)) == 0,
	    "add %s", key);
}

static void
test_balance(void)
{
	struct kpi_rstate *st, *o;
	struct kpi_val s = str("x", 1);

	/* Channel a: 100 then 120; b: 50 then 60: 180, not the last 60. */
	st = kpi_rstate_new(KPI_R_BALANCE, 0);
	bal_add(st, "a", 5, 100);
	bal_add(st, "b", 10, 50);
	bal_add(st, "a", 20, 120);
	bal_add(st, "b", 25, 60);
	CHECK(value(st) == 180, "balance %g", value(st));
	CHECK_STR(put(st), "{\"s\":{\"a\":[20,120],\"b\":[25,60]}}",
	    "balance state");
	/* An earlier value of a series changes nothing; a null neither. */
	bal_add(st, "a", 19, 1000);
	CHECK(kpi_rstate_add_series(st, NULL, 30, "a", 1) == 0, "null");
	CHECK(value(st) == 180, "earlier %g", value(st));
	CHECK(kpi_rstate_add_series(st, &s, 30, "a", 1) == -1, "string");
	/* At the same time the greater value wins, in either order. */
	bal_add(st, "b", 25, 59);
	bal_add(st, "b", 25, 61);
	CHECK(value(st) == 181, "tie %g", value(st));
	o = kpi_rstate_new(KPI_R_BALANCE, 0);
	bal_add(o, "b", 25, 61);
	bal_add(o, "b", 25, 59);
	bal_add(o, "a", 20, 120);
	kpi_rstate_merge(o, st);
	CHECK_STR(put(o), put(st), "tie merged");
	/* A later part's value of a series replaces an earlier one's. */
	kpi_rstate_free(o);
	o = kpi_rstate_new(KPI_R_BALANCE, 0);
	bal_add(o, "a", 40, 0);
	kpi_rstate_merge(o, st);
	CHECK(value(o) == 61, "merged later zero %g", value(o));
	kpi_rstate_merge(st, o);
	CHECK_STR(put(st), "{\"s\":{\"a\":[40,0],\"b\":[25,61]}}",
	    "merged later");
	kpi_rstate_free(o);
	/* A value that leaves the sum leaves it exactly. */
	kpi_rstate_free(st);
	st = kpi_rstate_new(KPI_R_BALANCE, 0);
	bal_add(st, "a", 1, 1.0 / 3);
	bal_add(st, "b", 1, 1e300);
	bal_add(st, "c", 1, -1e300);
	bal_add(st, "d", 1, 4.9406564584124654e-324);
	bal_add(st, "e", 1, 0.1);
	CHECK(same(value(st), 1.0 / 3 + 0.1), "exact %.17g", value(st));
	bal_add(st, "a", 2, 0.5);
	bal_add(st, "e", 2, 0.2);
	CHECK(same(value(st), 0.7), "replaced %.17g", value(st));
	bal_add(st, "d", 2, 0);
	bal_add(st, "b", 2, 0);
	CHECK(same(value(st), -1e300), "huge %.17g", value(st));
	bal_add(st, "c", 2, 0);
	bal_add(st, "a", 3, 0);
	bal_add(st, "e", 3, 0);
	CHECK(same(value(st), 0) && !signbit(value(st)), "zero %.17g",
	    value(st));
	/* Other reducers ignore the series. */
	o = kpi_rstate_new(KPI_R_SUM, 0);
	bal_add(o, "a", 1, 2);
	bal_add(o, "a", 2, 3);
	CHECK(value(o) == 5, "sum ignores series %g", value(o));
	kpi_rstate_free(o);
	kpi_rstate_free(st);
}

/*
 * The value kept as series change is the value of the final series
 * alone: a state loaded from the text, whose sum is built in key order,
 * gives the same bits; with decimal-like values, so does sum().
 */
static void
check_fresh(const struct kpi_rstate *st)
{
	struct kpi_rstate *o = roundtrip(st, KPI_R_BALANCE, 0);

	CHECK(same(value(st), value(o)), "fresh %.17g %.17g", value(st),
	    value(o));
	kpi_rstate_free(o);
}

/*
 * Rows of a few series with few times (many ties), dealt at random to
 * four parts merged through JSON in random order: the serial state's text
 * and value.
 */
static void
test_balance_split(void)
{
	static const char *const keys[] = { "", "a", "b", "{\"c\":\"\\\"q\"}",
	    "\xc3\xa9", "z" };
	struct kpi_rstate *serial, *part[4], *merged, *o;
	size_t i, n, p, order[4], tmp, k;
	long long t;
	double x;
	char *want;
	int round;

	rng_state = 0x2545f4914f6cdd1dULL;
	for (round = 0; round < 200; round++) {
		n = rng() % (round < 190 ? 60 : 5000);
		serial = kpi_rstate_new(KPI_R_BALANCE, 0);
		for (p = 0; p < 4; p++) {
			part[p] = kpi_rstate_new(KPI_R_BALANCE, 0);
			order[p] = p;
		}
		for (i = 0; i < n; i++) {
			k = rng() % 6;
			t = (long long)(rng() % 5) - 2;
			x = round % 2 ? draw(MIXED) : draw(MONEY);
			p = rng() % 4;
			bal_add(serial, keys[k], t, x);
			bal_add(part[p], keys[k], t, x);
		}
		for (p = 3; p > 0; p--) {
			i = rng() % (p + 1);
			tmp = order[p], order[p] = order[i], order[i] = tmp;
		}
		merged = kpi_rstate_new(KPI_R_BALANCE, 0);
		for (p = 0; p < 4; p++) {
			o = roundtrip(part[order[p]], KPI_R_BALANCE, 0);
			kpi_rstate_merge(merged, o);
			kpi_rstate_free(o);
		}
		want = strdup(put(serial));
		CHECK_STR(put(merged), want, "balance split");
		check_fresh(merged);
		CHECK(same(value(serial), value(merged)), "balance n=%zu: "
		    "%.17g %.17g", n, value(serial), value(merged));
		free(want);
		kpi_rstate_free(serial);
		kpi_rstate_free(merged);
		for (p = 0; p < 4; p++)
			kpi_rstate_free(part[p]);
	}
}

/* Sums of money are the sums of the decimals, not of binary doubles. */
static void
test_money_sum(void)
{
	struct kpi_rstate *st;
	struct kpi_val v;
	long long cents = 0, c;
	int i;

	rng_state = 42;
	st = kpi_rstate_new(KPI_R_SUM, 0);
	for (i = 0; i < 100000; i++) {
		c = (long long)(rng() % 100000) - 20000;
		cents += c;
		v = num((double)c / 100);
		kpi_rstate_add(st, &v, 0);
	}
	CHECK(same(value(st), (double)cents / 100), "sum %.17g want %.17g",
	    value(st), (double)cents / 100);
	kpi_rstate_free(st);
}

int
main(void)
{
	test_parse();
	test_values();
	test_special();
	test_types();
	test_ties();
	test_load();
	test_money_sum();
	test_split_merge();
	test_balance();
	test_balance_split();
	return unit_done();
}
