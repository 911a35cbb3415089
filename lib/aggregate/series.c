/*
 * series.c - the series of a balance: a hash table from each series' key
 * to its value at the latest time, and their sum.
 *
 * A balance's value is wanted at every period of every group, over a
 * state that holds all series of its dimensions to date, and from one
 * period to the next few series change.  So the sum is kept as the series
 * change, never summed anew, and it must not depend on the order of the
 * changes (the merge of --partial runs makes them in another order than
 * one run): a sum that a value leaves must be exactly as if it had never
 * come.  Two exact sums do that:
 *
 *   the decimal-like values (reduce.c) as sum() adds them, an integer
 *   count of millionths (exact.c), and
 *
 *   the others in a fixed-point accumulator wide enough for every double
 *   (2^-1074 to 2^1024): 70 words of 32 bits, each held in 64 so that
 *   2^30 additions go before the carries must be propagated.  A
 *   normalised accumulator (every word but the top in [0, 2^32)) is one
 *   text of its number, so the double made from it depends on the sum
 *   alone.
 *
 * The value is the first plus the second, rounded once each.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/exact.h"
#include "aggregate/series.h"

#define SACC_W		70
#define SACC_EMIN	1074		/* 2^-1074: the least double */

/* The exact sum of the values that are not decimal-like. */
struct sacc {
	int64_t w[SACC_W];	/* word i weighs 2^(32 i - 1074) */
	long adds;		/* since the last normalisation */
};

struct series_sum {
	struct exact dec;	/* decimal-like values: dec.k */
	long long ndec;		/* series holding one */
	struct sacc *bin;	/* the others; NULL until one comes */
	long long nbin;		/* series holding one */
};

/* Carries propagated: every word but the top in [0, 2^32). */
static void
sacc_norm(struct sacc *a)
{
	int64_t lo, c;
	size_t i;

	for (i = 0; i + 1 < SACC_W; i++) {
		lo = (int64_t)((uint64_t)a->w[i] & 0xffffffffu);
		c = (a->w[i] - lo) / 4294967296;
		a->w[i] = lo;
		a->w[i + 1] += c;
	}
	a->adds = 0;
}

/* Adds sign * x, x finite: its 53-bit integer mantissa at its place. */
static void
sacc_add(struct sacc *a, double x, int sign)
{
	uint64_t u, chunk[3];
	int e, p, s, j;
	double f;

	f = frexp(fabs(x), &e);		/* |x| = f 2^e, f in [0.5, 1) */
	if (e - 53 < -SACC_EMIN) {
		u = (uint64_t)ldexp(fabs(x), SACC_EMIN);
		p = 0;
	} else {
		u = (uint64_t)ldexp(f, 53);
		p = e - 53 + SACC_EMIN;
	}
	if (x < 0)
		sign = -sign;
	s = p % 32;
	chunk[0] = (u << s) & 0xffffffffu;
	chunk[1] = (u >> (32 - s)) & 0xffffffffu;
	chunk[2] = s == 0 ? 0 : (u >> (64 - s)) & 0xffffffffu;
	for (j = 0; j < 3; j++)
		a->w[p / 32 + j] += sign * (int64_t)chunk[j];
	if (++a->adds >= 1L << 30)
		sacc_norm(a);
}

/*
 * The accumulator's number as a double, from the normal form of its
 * magnitude (a negative number's normal form has words beyond a double's
 * range that cancel), lowest words first.
 */
static double
sacc_value(const struct sacc *ca)
{
	struct sacc a = *ca;
	double s = 0;
	int i, neg;

	sacc_norm(&a);
	if ((neg = a.w[SACC_W - 1] < 0) != 0) {
		for (i = 0; i < SACC_W; i++)
			a.w[i] = -a.w[i];
		sacc_norm(&a);
	}
	for (i = 0; i < SACC_W; i++)
		if (a.w[i] != 0)
			s += ldexp((double)a.w[i], 32 * i - SACC_EMIN);
	return neg ? -s : s;
}

/* Adds sign * x to the sum of m's series. */
static void
sum_add(struct smap *m, double x, int sign)
{
	struct series_sum *s;
	struct big k;

	if (m->sum == NULL) {
		m->sum = kpi_xmalloc(sizeof(*m->sum));
		memset(m->sum, 0, sizeof(*m->sum));
	}
	s = m->sum;
	if (to_fixed(x, &k)) {
		exact_add(&s->dec, sign * x, 0);
		s->ndec += sign;
		return;
	}
	if (s->bin == NULL) {
		s->bin = kpi_xmalloc(sizeof(*s->bin));
		memset(s->bin, 0, sizeof(*s->bin));
	}
	sacc_add(s->bin, x, sign);
	s->nbin += sign;
}

void
smap_release(struct smap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	if (m->sum != NULL)
		free(m->sum->bin);
	free(m->sum);
}

static struct series *
slot(const struct smap *m, const char *key, size_t n, uint64_t h)
{
	size_t i = h & (m->cap - 1);

	while (m->e[i].key != NULL && (m->e[i].h != h || m->e[i].klen != n ||
	    memcmp(m->e[i].key, key, n) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->e[i];
}

static void
grow(struct smap *m)
{
	struct series *old = m->e;
	size_t i, cap = m->cap;

	m->cap = cap ? cap * 2 : 8;
	m->e = kpi_xmalloc(m->cap * sizeof(*m->e));
	memset(m->e, 0, m->cap * sizeof(*m->e));
	for (i = 0; i < cap; i++)
		if (old[i].key != NULL)
			*slot(m, old[i].key, old[i].klen, old[i].h) = old[i];
	free(old);
}

void
smap_put(struct smap *m, const char *key, size_t n, long long t, double x)
{
	uint64_t h = kpi_hash(0, key, n);
	struct series *e;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	e = slot(m, key, n, h);
	if (e->key == NULL) {
		e->key = kpi_xmemdup(key, n);
		e->klen = n;
		e->h = h;
		m->n++;
	} else if (t < e->t || (t == e->t && x <= e->x))
		return;
	else
		sum_add(m, e->x, -1);
	e->t = t;
	e->x = x;
	sum_add(m, x, 1);
}

void
smap_merge(struct smap *m, const struct smap *o)
{
	size_t i;

	for (i = 0; i < o->cap; i++)
		if (o->e[i].key != NULL)
			smap_put(m, o->e[i].key, o->e[i].klen, o->e[i].t,
			    o->e[i].x);
}

int
smap_value(const struct smap *m, double *out)
{
	const struct series_sum *s = m->sum;

	if (m->n == 0)
		return 0;
	*out = s->ndec > 0 ? exact_sum(&s->dec) : 0;
	if (s->nbin > 0)
		*out += sacc_value(s->bin);
	*out = *out == 0 ? 0 : *out;
	return isfinite(*out);
}

static int
series_cmp(const void *x, const void *y)
{
	const struct series *a = *(const struct series *const *)x;
	const struct series *b = *(const struct series *const *)y;
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(a->key, b->key, n);

	return c ? c : (a->klen > b->klen) - (a->klen < b->klen);
}

const struct series **
smap_sorted(const struct smap *m)
{
	const struct series **v;
	size_t i, k = 0;

	v = kpi_xmalloc((m->n + 1) * sizeof(*v));
	for (i = 0; i < m->cap; i++)
		if (m->e[i].key != NULL)
			v[k++] = &m->e[i];
	qsort(v, k, sizeof(*v), series_cmp);
	return v;
}
