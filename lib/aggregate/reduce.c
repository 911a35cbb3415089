/*
 * reduce.c - reducers: one state per metric and group that takes rows,
 * merges with other states, gives the value, and travels as JSON from
 * kpi-aggregate --partial to --merge.
 *
 * kpi-aggregate must print the same bytes whether it reads all rows in one
 * run or merges the states of runs over parts of them.  So a state is made
 * to depend on the multiset of values it saw, not on their order, and its
 * JSON reads back to the same state.  Floating-point addition is not
 * associative, so sums are not kept as doubles:
 *
 *   A value that is the double nearest to a multiple of 10^-6 (money,
 *   counts, percentages: "decimal-like") is added as that multiple, an
 *   exact integer k, to a 512-bit integer.  The value is that integer over
 *   10^6, rounded once, so any split and any order of merges give the same
 *   bits, and a sum of 0.1 ten times is 1.  Below 2^32 the test is
 *   arithmetic; from there to 10^21 the value's shortest text is read, and
 *   beyond that no value is decimal-like.
 *
 *   Other values (a third, 1e-7, 1e300) go to a compensated (Neumaier)
 *   double sum beside the integer.  That part is accurate but depends on
 *   the order of the values: a sum, mean or stddev over them is exact
 *   across splits only when all values are decimal-like.
 *
 * The states and their JSON ("K" is a decimal integer string):
 *
 *   count, count(field)  {"n":N}            rows; non-null values
 *   sum, mean            {"n":N,"sum":"K"}  N decimal-like values, whose
 *                                           sum times 10^6 is K; and
 *                        ,"f":[M,S,C]       when M other values were seen:
 *                                           their Neumaier sum S + C
 *   stddev               {"n":N,"sum":"K","sq":"Q"}  as sum, and Q the sum
 *                                           of squares times 10^12; and
 *                        ,"w":[M,A,B]       for M other values, their mean
 *                                           A and sum of squared deviations
 *                                           B (Welford; merged by Chan et
 *                                           al.'s formula)
 *   min, max             {"v":X} or {}
 *   median, pNN          {"v":[X,...]}      every value, sorted
 *   first, last          {"t":T,"v":X} or {}
 *   balance              {"s":{"KEY":[T,X],...}} or {}  per series (KEY,
 *                                           sorted by its bytes) the value
 *                                           X at the latest time T
 *   count_if             {"n":K}            K values met the condition
 *   share_if             {"n":N,"k":K}      of N values, K met it
 *
 * Doubles are written in the shortest form that reads back as the same
 * double.  Memory: a state is about 180 bytes; median and pNN grow with
 * the number of values.
 * Quantiles interpolate between closest ranks (R-7, Excel's
 * PERCENTILE.INC); stddev is the sample standard deviation (n - 1).
 *
 * kpi_rstate_add takes nulls (counted by count() only) and finite
 * numbers; count(field) counts any other value too.  Anything else is -1
 * and changes nothing: a string for a numeric reducer, or a number that is
 * not finite (JSON's 1e999 reads as infinity).
 * kpi_rstate_load replaces the state; on error it leaves it empty.
 *
 * count_if and share_if take true or false: agg.c tests the row's value
 * with the metric's condition (kpi_cond_test), so the state is two
 * integers, exact under any split, and share_if's value, K / N, is
 * worked out from them at every grain, never from averaged shares.
 *
 * first and last: a later row replaces first only when its time is earlier,
 * and replaces last when its time is the same or later.  A merge treats
 * other's rows as coming after st's, so merging the states of consecutive
 * parts in their order gives exactly the serial result, ties included;
 * merging them in another order may pick another of rows with equal times.
 *
 * balance: a series is what kpi_rstate_add_series names (agg.c: the row's
 * dims and entity); of two values of one series the one at the later time
 * is kept, and at the same time the greater, so that unlike first and last
 * its state depends on the set of rows only and merges in any order.  Its
 * value is the sum over the series, kept exact as they change (series.c).
 * Memory: 16 to 20 bytes per series of a group, each id's text once per
 * metric (series.h).
 *
 * Each reducer is one entry of the table "reducers" below (reducer.h):
 * its name, what it computes with (init, add, merge, value, put, load),
 * and for the entity reducers only where agg.c counts them.  The public
 * kpi_rstate_* functions pass each call to the state's entry.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/exact.h"
#include "aggregate/reducer.h"
#include "aggregate/series.h"

#define IS_DIGIT(c)	((unsigned int)((unsigned char)(c) - '0') < 10u)

/* Every value of median or pNN. */
struct vals {
	double *v;
	size_t len;
	size_t cap;
	int sorted;
};

struct kpi_rstate {
	const struct reducer *r;	/* its entry in the table */
	double pct;		/* median (50) and pNN */
	long long n;		/* count: rows; count(field): values; min,
				   max, first, last: values seen */
	union {
		struct exact ex;	/* sum, mean, stddev */
		double x;		/* min, max */
		struct vals q;		/* median, pNN */
		long long k;		/* share_if: values that met it */
		struct {
			long long t;
			double x;
		} fl;			/* first, last */
		struct smap bal;	/* balance */
	} u;
};

/* ---- median and pNN: every value ---- */

static void
vals_push(struct vals *q, const double *x, size_t n)
{
	size_t cap;

	if (n == 0)
		return;
	if (q->len + n > q->cap) {
		cap = q->cap ? q->cap : 8;
		while (cap < q->len + n)
			cap *= 2;
		q->v = kpi_xrealloc(q->v, cap * sizeof(*q->v));
		q->cap = cap;
	}
	memcpy(q->v + q->len, x, n * sizeof(*x));
	q->len += n;
	q->sorted = 0;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Sorting changes the order of the values, not the multiset the state
 * stands for, so value and put, which take a const state, sort in place
 * rather than copy what may be millions of values.
 */
static void
vals_sort(const struct vals *cq)
{
	struct vals *q = (struct vals *)cq;

	if (!q->sorted && q->len > 1)
		qsort(q->v, q->len, sizeof(*q->v), dbl_cmp);
	q->sorted = 1;
}

/*
 * The pct-th percentile by linear interpolation between closest ranks
 * (Hyndman and Fan's R-7, Excel's PERCENTILE.INC): rank h = (n - 1) * p,
 * counted from 0.
 */
static double
vals_pct(const struct vals *q, double pct)
{
	double h, f, lo, hi, r;
	size_t i;

	vals_sort(q);
	h = (double)(q->len - 1) * pct / 100;
	i = (size_t)h;
	if (i + 1 >= q->len)
		return q->v[q->len - 1];
	f = h - (double)i;
	lo = q->v[i];
	hi = q->v[i + 1];
	if (f == 0 || lo == hi)
		return lo;
	r = lo + f * (hi - lo);
	if (!isfinite(r))	/* hi - lo overflowed */
		r = lo * (1 - f) + hi * f;
	return r;
}

/* ---- reading states back ---- */

/* What a loader needs: the parsed object and how many fields it used. */
struct loader {
	const struct kpi_rec *r;
	size_t used;
	const char *dims;	/* balance: its group's dims, or "" */
	size_t dlen;
};

/* The field key, counted as used; NULL when absent. */
static const struct kpi_val *
ld_get(struct loader *ld, const char *key)
{
	const struct kpi_field *f;

	f = kpi_rec_find(ld->r, key, strlen(key));
	if (f == NULL)
		return NULL;
	ld->used++;
	return &f->v;
}

/* A whole number written as such ("12", "-3"): 0, or -1. */
static int
parse_ll(const char *s, size_t n, long long *out)
{
	long long v = 0;
	size_t i;
	int neg;

	neg = n > 0 && s[0] == '-';
	if ((size_t)neg == n || n - neg > 18)
		return -1;
	for (i = neg; i < n; i++) {
		if (!IS_DIGIT(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static int
ld_ll(struct loader *ld, const char *key, long long *out)
{
	const struct kpi_val *v = ld_get(ld, key);

	if (v == NULL || v->type != KPI_NUM || v->s == NULL)
		return -1;
	return parse_ll(v->s, v->len, out);
}

static int
ld_num(struct loader *ld, const char *key, double *out)
{
	const struct kpi_val *v = ld_get(ld, key);

	if (v == NULL || v->type != KPI_NUM || !isfinite(v->num))
		return -1;
	*out = v->num == 0 ? 0 : v->num;
	return 0;
}

static int
ld_big(struct loader *ld, const char *key, size_t maxdig, struct big *a)
{
	const struct kpi_val *v = ld_get(ld, key);

	if (v == NULL || v->type != KPI_STR)
		return -1;
	return big_from_dec(a, v->s, v->len, maxdig);
}

/*
 * Calls fn(ld, arg, s, n) for each element of the array v, compact JSON
 * text that the codec has checked, so only the elements' kinds are left
 * to check: numbers and strings are taken, anything nested is refused.
 */
static int
ld_array(struct loader *ld, const struct kpi_val *v, void *arg,
    int (*fn)(struct loader *, void *, const char *, size_t))
{
	const char *p, *q, *end;

	if (v == NULL || v->type != KPI_RAW || v->len < 2 || v->s[0] != '[')
		return -1;
	p = v->s + 1;
	end = v->s + v->len - 1;	/* the closing ']' */
	while (p < end) {
		q = p;
		if (*q == '"') {
			for (q++; q < end && *q != '"'; q++)
				if (*q == '\\')
					q++;
			q++;
		} else
			while (q < end && *q != ',') {
				if (*q == '[' || *q == '{')
					return -1;
				q++;
			}
		if (q > end || fn(ld, arg, p, (size_t)(q - p)) != 0)
			return -1;
		p = q < end ? q + 1 : q;
	}
	return 0;
}

/* A number element, strictly as JSON writes it. */
static int
elem_num(const char *s, size_t n, double *out)
{
	char *e;

	if (n == 0 || !(s[0] == '-' || IS_DIGIT(s[0])))
		return -1;
	*out = strtod(s, &e);
	if (e != s + n || !isfinite(*out))
		return -1;
	if (*out == 0)
		*out = 0;
	return 0;
}

/* The three elements of a fallback pair: [M,A,B]. */
struct triple {
	int i;
	long long m;
	double a, b;
};

static int
elem_triple(struct loader *ld, void *arg, const char *s, size_t n)
{
	struct triple *t = arg;

	(void)ld;
	switch (t->i++) {
	case 0:
		return parse_ll(s, n, &t->m) != 0 || t->m <= 0 ? -1 : 0;
	case 1:
		return elem_num(s, n, &t->a);
	case 2:
		return elem_num(s, n, &t->b);
	}
	return -1;
}

static int
load_exact(struct loader *ld, struct exact *ex, int squares)
{
	const struct kpi_val *v;
	struct triple t = { 0, 0, 0, 0 };

	if (ld_ll(ld, "n", &ex->n) != 0 || ex->n < 0 ||
	    ld_big(ld, "sum", SUM_DIGITS, &ex->k) != 0)
		return -1;
	if (squares && (ld_big(ld, "sq", SQ_DIGITS, &ex->q) != 0 ||
	    big_isneg(&ex->q)))
		return -1;
	if ((v = ld_get(ld, squares ? "w" : "f")) == NULL)
		return 0;
	if (ld_array(ld, v, &t, elem_triple) != 0 || t.i != 3)
		return -1;
	ex->nf = t.m;
	ex->a = t.a;
	ex->b = t.b;
	return 0;
}

static int
elem_val(struct loader *ld, void *arg, const char *s, size_t n)
{
	double x;

	(void)ld;
	if (elem_num(s, n, &x) != 0)
		return -1;
	vals_push(arg, &x, 1);
	return 0;
}

/* ---- the reducers, each as its entry in the table below uses it ---- */

/*
 * A numeric reducer's value: 1 with *x set (a finite number, -0 made 0
 * so that min's bits are fixed), 0 for null, -1 for anything else.
 */
static int
num_of(const struct kpi_val *v, double *x)
{
	if (v->type == KPI_NULL)
		return 0;
	if (v->type != KPI_NUM || !isfinite(v->num))
		return -1;
	*x = v->num == 0 ? 0 : v->num;
	return 1;
}

/*
 * The add of every numeric reducer: a number goes to its take, a null
 * changes nothing, anything else is -1.
 */
static int
num_add(struct kpi_rstate *st, const struct kpi_val *v, long long t)
{
	double x;
	int rc;

	if ((rc = num_of(v, &x)) > 0)
		st->r->take(st, x, t);
	return rc < 0 ? -1 : 0;
}

static void
no_init(struct kpi_rstate *st)
{
	(void)st;
}

/* count(): rows, null or not; count(field): values that are not null. */
static int
count_add(struct kpi_rstate *st, const struct kpi_val *v, long long t)
{
	(void)v;
	(void)t;
	st->n++;
	return 0;
}

static int
count_field_add(struct kpi_rstate *st, const struct kpi_val *v, long long t)
{
	(void)t;
	if (v->type != KPI_NULL)
		st->n++;
	return 0;
}

static void
count_merge(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	st->n += o->n;
}

static int
count_value(const struct kpi_rstate *st, double *out)
{
	*out = (double)st->n;
	return 1;
}

static void
count_put(struct kpi_buf *b, const struct kpi_rstate *st)
{
	kpi_buf_addf(b, "{\"n\":%lld}", st->n);
}

static int
count_load(struct kpi_rstate *st, struct loader *ld)
{
	return ld_ll(ld, "n", &st->n) != 0 || st->n < 0 ? -1 : 0;
}

/* sum, mean, stddev: exact sums (exact.c); stddev keeps squares too. */
static int
squares(const struct kpi_rstate *st)
{
	return st->r->red == KPI_R_STDDEV;
}

static void
exact_take(struct kpi_rstate *st, double x, long long t)
{
	(void)t;
	exact_add(&st->u.ex, x, squares(st));
}

static void
exact_merge_st(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	exact_merge(&st->u.ex, &o->u.ex, squares(st));
}

static int
sum_value(const struct kpi_rstate *st, double *out)
{
	const struct exact *ex = &st->u.ex;

	if (ex->n + ex->nf == 0)
		return 0;
	*out = exact_sum(ex);
	return isfinite(*out);
}

static int
mean_value(const struct kpi_rstate *st, double *out)
{
	if (!sum_value(st, out))
		return 0;
	*out /= (double)(st->u.ex.n + st->u.ex.nf);
	return isfinite(*out);
}

static int
stddev_value(const struct kpi_rstate *st, double *out)
{
	return exact_stddev(&st->u.ex, out);
}

/* ,"key":"K" */
static void
put_big(struct kpi_buf *b, const char *key, const struct big *a)
{
	char t[BIGDIG + 2];

	big_to_dec(a, t);
	kpi_buf_addf(b, ",\"%s\":\"%s\"", key, t);
}

static void
exact_put(struct kpi_buf *b, const struct kpi_rstate *st)
{
	const struct exact *ex = &st->u.ex;
	int sq = squares(st);

	kpi_buf_addf(b, "{\"n\":%lld", ex->n);
	put_big(b, "sum", &ex->k);
	if (sq)
		put_big(b, "sq", &ex->q);
	if (ex->nf > 0) {
		kpi_buf_addf(b, sq ? ",\"w\":[%lld," : ",\"f\":[%lld,", ex->nf);
		kpi_json_put_num(b, ex->a);
		kpi_buf_addc(b, ',');
		kpi_json_put_num(b, ex->b);
		kpi_buf_addc(b, ']');
	}
	kpi_buf_addc(b, '}');
}

static int
exact_load(struct kpi_rstate *st, struct loader *ld)
{
	return load_exact(ld, &st->u.ex, squares(st));
}

/* min, max: the least or greatest value, and how many were seen. */
static void
extreme(struct kpi_rstate *st, double x, long long n)
{
	if (st->n == 0 || (st->r->red == KPI_R_MIN ? x < st->u.x :
	    x > st->u.x))
		st->u.x = x;
	st->n += n;
}

static void
extreme_take(struct kpi_rstate *st, double x, long long t)
{
	(void)t;
	extreme(st, x, 1);
}

static void
extreme_merge(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	if (o->n > 0)
		extreme(st, o->u.x, o->n);
}

static int
extreme_value(const struct kpi_rstate *st, double *out)
{
	*out = st->u.x;
	return st->n > 0;
}

static void
extreme_put(struct kpi_buf *b, const struct kpi_rstate *st)
{
	kpi_buf_adds(b, st->n > 0 ? "{\"v\":" : "{");
	if (st->n > 0)
		kpi_json_put_num(b, st->u.x);
	kpi_buf_addc(b, '}');
}

static int
extreme_load(struct kpi_rstate *st, struct loader *ld)
{
	if (ld->r->n == 0)
		return 0;
	st->n = 1;
	return ld_num(ld, "v", &st->u.x);
}

/* median, pNN: every value. */
static void
quant_init(struct kpi_rstate *st)
{
	st->u.q.sorted = 1;
}

static void
quant_release(struct kpi_rstate *st)
{
	free(st->u.q.v);
}

static void
quant_take(struct kpi_rstate *st, double x, long long t)
{
	(void)t;
	vals_push(&st->u.q, &x, 1);
}

static void
quant_merge(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	vals_push(&st->u.q, o->u.q.v, o->u.q.len);
}

static int
quant_value(const struct kpi_rstate *st, double *out)
{
	if (st->u.q.len == 0)
		return 0;
	*out = vals_pct(&st->u.q, st->pct);
	return 1;
}

static void
quant_put(struct kpi_buf *b, const struct kpi_rstate *st)
{
	const struct vals *q = &st->u.q;
	size_t i;

	vals_sort(q);
	kpi_buf_adds(b, "{\"v\":[");
	for (i = 0; i < q->len; i++) {
		if (i > 0)
			kpi_buf_addc(b, ',');
		kpi_json_put_num(b, q->v[i]);
	}
	kpi_buf_adds(b, "]}");
}

static int
quant_load(struct kpi_rstate *st, struct loader *ld)
{
	return ld_array(ld, ld_get(ld, "v"), &st->u.q, elem_val);
}

/*
 * first, last: the value at time t takes the place of the one held when
 * it is the first seen, or earlier (first), or the same or later (last).
 * A merge treats o's value as a later row: see the top of the file.
 */
static void
timed(struct kpi_rstate *st, double x, long long t, long long n)
{
	if (st->n == 0 || (st->r->red == KPI_R_FIRST ? t < st->u.fl.t :
	    t >= st->u.fl.t)) {
		st->u.fl.t = t;
		st->u.fl.x = x;
	}
	st->n += n;
}

static void
timed_take(struct kpi_rstate *st, double x, long long t)
{
	timed(st, x, t, 1);
}

static void
timed_merge(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	if (o->n > 0)
		timed(st, o->u.fl.x, o->u.fl.t, o->n);
}

static int
timed_value(const struct kpi_rstate *st, double *out)
{
	*out = st->u.fl.x;
	return st->n > 0;
}

static void
timed_put(struct kpi_buf *b, const struct kpi_rstate *st)
{
	if (st->n == 0) {
		kpi_buf_adds(b, "{}");
		return;
	}
	kpi_buf_addf(b, "{\"t\":%lld,\"v\":", st->u.fl.t);
	kpi_json_put_num(b, st->u.fl.x);
	kpi_buf_addc(b, '}');
}

static int
timed_load(struct kpi_rstate *st, struct loader *ld)
{
	if (ld->r->n == 0)
		return 0;
	st->n = 1;
	if (ld_ll(ld, "t", &st->u.fl.t) != 0)
		return -1;
	return ld_num(ld, "v", &st->u.fl.x);
}

/*
 * balance: per series the value at the latest time, and their sum
 * (series.c).  Of two values at the same time the greater is kept, so
 * that the state depends on the set of values it saw and not on their
 * order: any split of the rows, merged in any order, gives the same state.
 */
static int
bal_add_key(struct kpi_rstate *st, const struct kpi_val *v, long long t,
    const char *key, size_t n)
{
	double x;
	int rc;

	if ((rc = num_of(v, &x)) > 0)
		smap_put_key(&st->u.bal, key, n, t, x);
	return rc < 0 ? -1 : 0;
}

static int
bal_add(struct kpi_rstate *st, const struct kpi_val *v, long long t)
{
	return bal_add_key(st, v, t, "", 0);
}

static void
bal_release(struct kpi_rstate *st)
{
	smap_release(&st->u.bal);
}

static void
bal_merge(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	smap_merge(&st->u.bal, &o->u.bal);
}

static int
bal_value(const struct kpi_rstate *st, double *out)
{
	return smap_value(&st->u.bal, out);
}

static void
bal_put_st(struct kpi_buf *b, const struct kpi_rstate *st)
{
	if (smap_empty(&st->u.bal)) {
		kpi_buf_adds(b, "{}");
		return;
	}
	kpi_buf_adds(b, "{\"s\":{");
	(void)smap_put_members(b, &st->u.bal, "", 0, 0);
	kpi_buf_adds(b, "}}");
}

/*
 * One series, "key":[T,X], of a balance's state; a key that starts with
 * the group's dims (ld->dims) is its series' id there.
 */
static int
bal_load_one(struct kpi_rstate *st, const struct loader *ld,
    const struct kpi_field *f)
{
	struct kpi_rec a;
	struct kpi_err err;
	size_t skip = 0;
	long long t;
	double x;
	int rc = -1;

	if (f->v.type != KPI_RAW)
		return -1;
	if (ld->dlen > 0 && f->klen >= ld->dlen &&
	    memcmp(f->key, ld->dims, ld->dlen) == 0)
		skip = ld->dlen;
	kpi_rec_init(&a);
	if (kpi_json_parse_array(&a, f->v.s, f->v.len, &err) == 0 &&
	    a.n == 2 && a.f[0].v.type == KPI_NUM && a.f[0].v.s != NULL &&
	    parse_ll(a.f[0].v.s, a.f[0].v.len, &t) == 0 &&
	    a.f[1].v.type == KPI_NUM && isfinite(a.f[1].v.num)) {
		x = a.f[1].v.num == 0 ? 0 : a.f[1].v.num;
		smap_put_key(&st->u.bal, f->key + skip, f->klen - skip, t, x);
		rc = 0;
	}
	kpi_rec_release(&a);
	return rc;
}

static int
bal_load(struct kpi_rstate *st, struct loader *ld)
{
	const struct kpi_val *v;
	struct kpi_rec r;
	struct kpi_err err;
	size_t i;
	int rc;

	if (ld->r->n == 0)
		return 0;
	v = ld_get(ld, "s");
	if (v == NULL || v->type != KPI_RAW || v->len < 2 || v->s[0] != '{')
		return -1;
	kpi_rec_init(&r);
	rc = kpi_json_parse_object(&r, v->s, v->len, 0, &err);
	if (rc == 0 && r.n == 0)
		rc = -1;		/* written as {} */
	for (i = 0; rc == 0 && i < r.n; i++)
		rc = bal_load_one(st, ld, &r.f[i]);
	kpi_rec_release(&r);
	return rc;
}

struct smap *
rstate_series(struct kpi_rstate *st)
{
	return st->r->red == KPI_R_BALANCE ? &st->u.bal : NULL;
}

/*
 * count_if, share_if: of the values, true or false as the condition
 * found them, how many were true; share_if counts all of them in n, and
 * count_if keeps count()'s state, the true ones in n.
 */
static int
cond_of(const struct kpi_val *v)
{
	if (v->type == KPI_TRUE || v->type == KPI_FALSE)
		return v->type == KPI_TRUE;
	return v->type == KPI_NULL ? -2 : -1;
}

static int
count_if_add(struct kpi_rstate *st, const struct kpi_val *v, long long t)
{
	int c = cond_of(v);

	(void)t;
	if (c >= 0)
		st->n += c;
	return c == -1 ? -1 : 0;
}

static int
share_add(struct kpi_rstate *st, const struct kpi_val *v, long long t)
{
	int c = cond_of(v);

	(void)t;
	if (c >= 0) {
		st->n++;
		st->u.k += c;
	}
	return c == -1 ? -1 : 0;
}

static void
share_merge(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	st->n += o->n;
	st->u.k += o->u.k;
}

static int
share_value(const struct kpi_rstate *st, double *out)
{
	if (st->n == 0)
		return 0;
	*out = (double)st->u.k / (double)st->n;
	return 1;
}

static void
share_put(struct kpi_buf *b, const struct kpi_rstate *st)
{
	kpi_buf_addf(b, "{\"n\":%lld,\"k\":%lld}", st->n, st->u.k);
}

static int
share_load(struct kpi_rstate *st, struct loader *ld)
{
	if (ld_ll(ld, "n", &st->n) != 0 || ld_ll(ld, "k", &st->u.k) != 0)
		return -1;
	return st->u.k < 0 || st->u.k > st->n ? -1 : 0;
}

/* ---- the table ---- */

#define COUNT_OPS(add) no_init, no_init, add, NULL, count_merge, \
			count_value, count_put, count_load
#define EXACT_OPS(value) no_init, no_init, num_add, exact_take, \
			exact_merge_st, value, exact_put, exact_load
#define EXTREME_OPS	no_init, no_init, num_add, extreme_take, extreme_merge, \
			extreme_value, extreme_put, extreme_load
#define QUANT_OPS	quant_init, quant_release, num_add, quant_take, \
			quant_merge, quant_value, quant_put, quant_load
#define TIMED_OPS	no_init, no_init, num_add, timed_take, timed_merge, \
			timed_value, timed_put, timed_load
#define BALANCE_OPS	no_init, bal_release, bal_add, NULL, bal_merge, \
			bal_value, bal_put_st, bal_load
#define ENTITY(name, ent) { name, 0, KPI_R_COUNT, ent, NULL, NULL, NULL, \
			NULL, NULL, NULL, NULL, NULL }

/*
 * Every reducer a formula may call.  The first entry of a kind names it
 * in messages ("bad state for mean"); "p" stands for every pNN.
 */
static const struct reducer reducers[] = {
	{ "sum", 0, KPI_R_SUM, ENT_NONE, EXACT_OPS(sum_value) },
	{ "count", 1, KPI_R_COUNT, ENT_NONE, COUNT_OPS(count_add) },
	{ "count", 0, KPI_R_COUNT_FIELD, ENT_NONE, COUNT_OPS(count_field_add) },
	{ "mean", 0, KPI_R_MEAN, ENT_NONE, EXACT_OPS(mean_value) },
	{ "avg", 0, KPI_R_MEAN, ENT_NONE, EXACT_OPS(mean_value) },
	{ "min", 0, KPI_R_MIN, ENT_NONE, EXTREME_OPS },
	{ "max", 0, KPI_R_MAX, ENT_NONE, EXTREME_OPS },
	{ "median", 0, KPI_R_MEDIAN, ENT_NONE, QUANT_OPS },
	{ "p", 0, KPI_R_PCT, ENT_NONE, QUANT_OPS },
	{ "first", 0, KPI_R_FIRST, ENT_NONE, TIMED_OPS },
	{ "last", 0, KPI_R_LAST, ENT_NONE, TIMED_OPS },
	{ "stddev", 0, KPI_R_STDDEV, ENT_NONE, EXACT_OPS(stddev_value) },
	{ "balance", 0, KPI_R_BALANCE, ENT_NONE, BALANCE_OPS },
	{ "count_if", 0, KPI_R_COUNT_IF, ENT_NONE, COUNT_OPS(count_if_add) },
	{ "share_if", 0, KPI_R_SHARE_IF, ENT_NONE, no_init, no_init,
	    share_add, NULL, share_merge, share_value, share_put, share_load },
	ENTITY("new", ENT_NEW),
	ENTITY("returning", ENT_RETURNING),
	ENTITY("retained", ENT_RETAINED),
	ENTITY("churned", ENT_CHURNED),
	ENTITY("repeat", ENT_REPEAT),
	ENTITY("distinct", ENT_DISTINCT),
};

#define NREDUCERS	(sizeof(reducers) / sizeof(reducers[0]))

/* ---- names ---- */

/*
 * "90", "99.9", "0.5": one or two integer digits without a leading zero
 * (except "0.5"), up to six decimals, strictly between 0 and 100.  Worked
 * out as digits / 10^decimals, one rounding and no locale.
 */
static int
parse_pct(const char *s, size_t n, double *pct)
{
	double num = 0, den = 1;
	size_t i = 0, ni, nf = 0;

	while (i < n && IS_DIGIT(s[i]))
		num = num * 10 + (s[i++] - '0');
	ni = i;
	if (ni == 0 || ni > 2 || (ni == 2 && s[0] == '0'))
		return -1;
	if (i < n && s[i] == '.') {
		for (i++; i < n && IS_DIGIT(s[i]); i++, nf++) {
			num = num * 10 + (s[i] - '0');
			den *= 10;
		}
		if (nf == 0 || nf > 6)
			return -1;
	}
	if (i != n || num == 0)
		return -1;
	*pct = num / den;
	return 0;
}

const struct reducer *
red_find(const char *name, size_t n, int has_field, double *pct)
{
	const struct reducer *r, *found = NULL;

	for (r = reducers; r < reducers + NREDUCERS; r++) {
		if (r->red == KPI_R_PCT && r->ent == ENT_NONE) {
			if (n < 2 || name[0] != 'p' ||
			    parse_pct(name + 1, n - 1, pct) != 0)
				continue;
		} else if (strlen(r->name) != n ||
		    memcmp(r->name, name, n) != 0)
			continue;
		if (r->red == KPI_R_MEDIAN && r->ent == ENT_NONE)
			*pct = 50;
		if (r->nofield == !has_field)
			return r;
		if (found == NULL)
			found = r;
	}
	return found;
}

int
kpi_red_parse(const char *name, size_t n, enum kpi_red *red, double *pct)
{
	const struct reducer *r;
	double p = 0;

	r = red_find(name, n, 0, &p);
	if (r == NULL || r->ent != ENT_NONE)
		return -1;
	*red = r->red;
	*pct = p;
	return 0;
}

/* The state reducer of kind red: the first entry of that kind. */
static const struct reducer *
red_of(enum kpi_red red)
{
	const struct reducer *r;

	for (r = reducers; r < reducers + NREDUCERS; r++)
		if (r->ent == ENT_NONE && r->red == red)
			return r;
	return NULL;
}

/* ---- states ---- */

/*
 * A state's bytes: sum and mean never touch the squares stddev keeps, so
 * a group of a --by over a million values holds 64 bytes less per sum.
 */
static size_t
state_size(const struct reducer *r)
{
	if (r->red == KPI_R_SUM || r->red == KPI_R_MEAN)
		return offsetof(struct kpi_rstate, u.ex.q);
	return sizeof(struct kpi_rstate);
}

static void
state_init(struct kpi_rstate *st)
{
	st->n = 0;
	memset(&st->u, 0, state_size(st->r) - offsetof(struct kpi_rstate, u));
	st->r->init(st);
}

struct kpi_rstate *
kpi_rstate_new(enum kpi_red red, double pct)
{
	struct kpi_rstate *st;

	st = kpi_xmalloc(state_size(red_of(red)));
	st->r = red_of(red);
	st->pct = red == KPI_R_MEDIAN ? 50 : red == KPI_R_PCT ? pct : 0;
	state_init(st);
	return st;
}

void
kpi_rstate_free(struct kpi_rstate *st)
{
	if (st == NULL)
		return;
	st->r->release(st);
	free(st);
}

int
kpi_rstate_add(struct kpi_rstate *st, const struct kpi_val *v, long long t)
{
	static const struct kpi_val null = { KPI_NULL, NULL, 0, 0, 0 };

	return st->r->add(st, v != NULL ? v : &null, t);
}

/* Only a balance keeps series: see the table's entry. */
int
kpi_rstate_add_series(struct kpi_rstate *st, const struct kpi_val *v,
    long long t, const char *key, size_t n)
{
	static const struct kpi_val null = { KPI_NULL, NULL, 0, 0, 0 };

	if (st->r->red != KPI_R_BALANCE)
		return kpi_rstate_add(st, v, t);
	return bal_add_key(st, v != NULL ? v : &null, t, key, n);
}

void
kpi_rstate_merge(struct kpi_rstate *st, const struct kpi_rstate *o)
{
	st->r->merge(st, o);
}

int
kpi_rstate_value(const struct kpi_rstate *st, double *out)
{
	return st->r->value(st, out);
}

void
kpi_rstate_put(struct kpi_buf *b, const struct kpi_rstate *st)
{
	st->r->put(b, st);
}

/*
 * kpi_rstate_load, for a balance in a group of dims[0..dlen) that
 * numbers its ids in ids (or NULL, ""), 0).
 */
static int
rstate_load(struct kpi_rstate *st, struct kpi_ents *ids, const char *dims,
    size_t dlen, const char *json, size_t n, struct kpi_err *err)
{
	struct kpi_rec r;
	struct loader ld;
	struct kpi_buf name;
	int rc;

	st->r->release(st);
	state_init(st);
	if (ids != NULL)
		smap_share(&st->u.bal, ids);
	kpi_rec_init(&r);
	ld.r = &r;
	ld.used = 0;
	ld.dims = dims;
	ld.dlen = dlen;
	rc = kpi_json_parse_object(&r, json, n, 0, err);
	if (rc == 0)
		rc = st->r->load(st, &ld);
	if (rc == 0 && ld.used != r.n)
		rc = -1;		/* a field no state of this kind has */
	kpi_rec_release(&r);
	if (rc == 0)
		return 0;
	st->r->release(st);
	state_init(st);
	/*
	 * Positions inside the state's text mean nothing to the caller, who
	 * knows the file and line the state came from: only msg is said.
	 */
	err->line = 0;
	err->col = 0;
	kpi_buf_init(&name);
	kpi_buf_adds(&name, st->r->name);
	if (st->r->red == KPI_R_PCT)
		kpi_json_put_num(&name, st->pct);
	snprintf(err->msg, sizeof(err->msg), "bad state for %s", name.p);
	kpi_buf_release(&name);
	return -1;
}

int
kpi_rstate_load(struct kpi_rstate *st, const char *json, size_t n,
    struct kpi_err *err)
{
	return rstate_load(st, NULL, "", 0, json, n, err);
}

int
rstate_series_load(struct kpi_rstate *st, struct kpi_ents *ids,
    const char *dims, size_t dlen, const char *json, size_t n,
    struct kpi_err *err)
{
	return rstate_load(st, ids, dims, dlen, json, n, err);
}
