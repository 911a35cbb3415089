/*
 * series.c - the series of a balance: per group a set of each series'
 * value at the latest time, and the levels made from them, with their
 * sums (series.h tells the two forms).
 *
 * A balance's value is wanted at every period of every group, over a
 * level that holds all series of its dimensions to date, and from one
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
#include <stdint.h>
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

/* Adds sign * x to sum s. */
static void
ssum_add(struct series_sum *s, double x, int sign)
{
	struct big k;

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

struct series_sum *
ssum_new(void)
{
	struct series_sum *s = kpi_xmalloc(sizeof(*s));

	memset(s, 0, sizeof(*s));
	return s;
}

void
ssum_free(struct series_sum *s)
{
	if (s != NULL)
		free(s->bin);
	free(s);
}

/* Adds sign * x to the sum of m's series, and to m->also. */
static void
sum_add(struct smap *m, double x, int sign)
{
	if (m->sum == NULL)
		m->sum = ssum_new();
	ssum_add(m->sum, x, sign);
	if (m->also != NULL)
		ssum_add(m->also, x, sign);
}

/*
 * Exact sums add up: the integers of the decimal-like values, and the
 * accumulators word by word, o's normalised first so that each word adds
 * less than one sacc_add does.
 */
void
smap_add_sum(struct smap *m, const struct series_sum *o)
{
	struct sacc b;
	size_t i;

	if (m->sum == NULL)
		m->sum = ssum_new();
	exact_merge(&m->sum->dec, &o->dec, 0);
	m->sum->ndec += o->ndec;
	m->sum->nbin += o->nbin;
	if (o->bin == NULL)
		return;
	if (m->sum->bin == NULL) {
		m->sum->bin = kpi_xmalloc(sizeof(*m->sum->bin));
		memset(m->sum->bin, 0, sizeof(*m->sum->bin));
	}
	b = *o->bin;
	sacc_norm(&b);
	for (i = 0; i < SACC_W; i++)
		m->sum->bin->w[i] += b.w[i];
	if (++m->sum->bin->adds >= 1L << 30)
		sacc_norm(m->sum->bin);
}

/* ---- the ids ---- */

/* m's ids, made (owned) when it has none. */
static struct kpi_ents *
ids_of(struct smap *m)
{
	if (m->ids == NULL) {
		m->ids = kpi_xmalloc(sizeof(*m->ids));
		kpi_ents_init(m->ids);
		m->own = 1;
	}
	return m->ids;
}

void
smap_share(struct smap *m, struct kpi_ents *ids)
{
	if (m->ids == NULL) {
		m->ids = ids;
		m->own = 0;
	}
}

/* e's time in m. */
static long long
ser_t(const struct smap *m, const struct series *e)
{
	return m->base + e->dt;
}

/* Whether (t, x) is kept over (u, y): the later, then the greater. */
static int
better(long long t, double x, long long u, double y)
{
	return t > u || (t == u && x > y);
}

/* ---- a set ---- */

#define RUN_MIN		4	/* the least run sorted in */
#define RUN_SHIFT	3	/* a run fills an eighth of the set */

/* By number, then time and value: each number's kept one last. */
static int
ser_cmp(const void *p, const void *q)
{
	const struct series *a = p, *b = q;

	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (better(a->dt, a->x, b->dt, b->x))
		return 1;
	return better(b->dt, b->x, a->dt, a->x) ? -1 : 0;
}

/* Sorts v[0..n) and keeps each number's last: returns how many. */
static uint32_t
sort_unique(struct series *v, uint32_t n)
{
	uint32_t i, k = 0;

	qsort(v, n, sizeof(*v), ser_cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && v[k - 1].id == v[i].id)
			k--;
		v[k++] = v[i];
	}
	return k;
}

/*
 * Sorts the run in: the run sorted and made unique in a copy, then merged
 * with the sorted part from the top down, the one kept of a number in
 * both, and the result moved down over the numbers dropped.
 */
static void
set_settle(struct smap *m)
{
	struct series *a = m->e, *p;
	uint32_t i = m->len, j, w;

	if (m->npend == 0)
		return;
	j = sort_unique(a + m->len, m->npend);
	p = kpi_xmalloc(j * sizeof(*p));
	memcpy(p, a + m->len, j * sizeof(*p));
	w = m->len + j;
	while (j > 0) {
		if (i > 0 && a[i - 1].id > p[j - 1].id)
			a[--w] = a[--i];
		else if (i > 0 && a[i - 1].id == p[j - 1].id) {
			j--;
			a[--w] = better(p[j].dt, p[j].x, a[i - 1].dt,
			    a[i - 1].x) ? p[j] : a[i - 1];
			i--;
		} else
			a[--w] = p[--j];
	}
	free(p);
	memmove(a + i, a + w, (m->len + m->npend - w) * sizeof(*a));
	m->len = i + (m->len + m->npend - w);
	m->npend = 0;
}

static void lv_put(struct smap *, uint64_t, long long, double);
static void lv_grow(struct smap *);

/*
 * A set whose times span more than 32 bits (68 years: only a group of
 * --every all can) becomes a level, exactly as it was.
 */
static void
set_to_level(struct smap *m)
{
	struct series *e = m->e;
	uint32_t i, n = m->len + m->npend;

	m->e = NULL;
	m->len = m->npend = m->cap = 0;
	lv_grow(m);
	for (i = 0; i < n; i++)
		lv_put(m, e[i].id, m->base + e[i].dt, e[i].x);
	free(e);
}

static void
set_add(struct smap *m, uint32_t id, long long t, double x)
{
	struct series *e;
	uint32_t room;

	if (m->e == NULL)
		m->base = t;
	if (t >= m->base ? (unsigned long long)t - (unsigned long long)m->base >
	    INT32_MAX : (unsigned long long)m->base - (unsigned long long)t >
	    (unsigned long long)INT32_MAX + 1) {
		set_to_level(m);
		lv_put(m, id, t, x);
		return;
	}
	if (m->len + m->npend == m->cap) {
		room = m->len >> RUN_SHIFT;
		if (m->npend >= RUN_MIN && m->npend >= room)
			set_settle(m);
		room = room > RUN_MIN ? room : RUN_MIN;
		if (m->len + m->npend + room > m->cap) {
			m->cap = m->len + m->npend + room;
			m->e = kpi_xrealloc(m->e, (size_t)m->cap * sizeof(*m->e));
		}
	}
	e = &m->e[m->len + m->npend++];
	e->id = id;
	e->dt = (int32_t)(t - m->base);
	e->x = x;
}

/* ---- a level ---- */

static struct slevel *
lv_slot(const struct smap *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) &
	    (m->lvcap - 1);

	while (m->lv[i].key != SLEVEL_FREE && m->lv[i].key != key)
		i = (i + 1) & (m->lvcap - 1);
	return &m->lv[i];
}

static void
lv_grow(struct smap *m)
{
	struct slevel *old = m->lv;
	size_t i, cap = m->lvcap;

	m->lvcap = cap ? cap * 2 : 8;
	m->lv = kpi_xmalloc(m->lvcap * sizeof(*m->lv));
	memset(m->lv, 0xff, m->lvcap * sizeof(*m->lv));
	for (i = 0; i < cap; i++)
		if (old[i].key != SLEVEL_FREE)
			*lv_slot(m, old[i].key) = old[i];
	free(old);
}

void
smap_level(struct smap *m)
{
	if (m->lv == NULL)
		lv_grow(m);
}

static void
lv_put(struct smap *m, uint64_t key, long long t, double x)
{
	struct slevel *e;

	if ((m->nlv + 1) * 4 > m->lvcap * 3)
		lv_grow(m);
	e = lv_slot(m, key);
	if (e->key == SLEVEL_FREE) {
		e->key = key;
		m->nlv++;
	} else if (!better(t, x, e->t, e->x))
		return;
	else
		sum_add(m, e->x, -1);
	e->t = t;
	e->x = x;
	sum_add(m, x, 1);
}

/* ---- either ---- */

void
smap_release(struct smap *m)
{
	if (m->own) {
		kpi_ents_release(m->ids);
		free(m->ids);
	}
	free(m->e);
	free(m->lv);
	ssum_free(m->sum);
}

void
smap_put(struct smap *m, uint32_t id, long long t, double x)
{
	if (m->lv != NULL)
		lv_put(m, id, t, x);
	else
		set_add(m, id, t, x);
}

void
smap_put_key(struct smap *m, const char *s, size_t n, long long t, double x)
{
	smap_put(m, kpi_ents_intern(ids_of(m), s, n), t, x);
}

/* One series of o, numbered in o's ids, into m with dims. */
static void
merge_one(struct smap *m, const struct smap *o, uint32_t dims, uint32_t id,
    long long t, double x)
{
	const char *s;
	uint32_t len;

	if (m->ids != o->ids) {
		s = kpi_ents_id(o->ids, id, &len);
		id = kpi_ents_intern(m->ids, s, len);
	}
	if (m->lv != NULL)
		lv_put(m, (uint64_t)dims << 32 | id, t, x);
	else
		set_add(m, id, t, x);
}

void
smap_merge_as(struct smap *m, const struct smap *o, uint32_t dims)
{
	size_t i;

	if (smap_empty(o))
		return;
	/* A state without ids shares o's, unless o's are its own. */
	if (m->ids == NULL && !o->own)
		smap_share(m, o->ids);
	(void)ids_of(m);
	for (i = 0; o->lv == NULL && i < (size_t)o->len + o->npend; i++)
		merge_one(m, o, dims, o->e[i].id, ser_t(o, &o->e[i]),
		    o->e[i].x);
	for (i = 0; o->lv != NULL && i < o->lvcap; i++)
		if (o->lv[i].key != SLEVEL_FREE)
			merge_one(m, o, dims, (uint32_t)o->lv[i].key,
			    o->lv[i].t, o->lv[i].x);
}

void
smap_merge(struct smap *m, const struct smap *o)
{
	smap_merge_as(m, o, 0);
}

/* A level's series each count in ndec or nbin: so do a sum's. */
int
smap_empty(const struct smap *m)
{
	if (m->lv != NULL)
		return m->sum == NULL || m->sum->ndec + m->sum->nbin == 0;
	return m->len + m->npend == 0;
}

int
smap_value(const struct smap *m, double *out)
{
	const struct series_sum *s = m->sum;
	struct smap tmp;
	int rc;

	if (smap_empty(m))
		return 0;
	if (m->lv == NULL) {
		memset(&tmp, 0, sizeof(tmp));
		smap_share(&tmp, m->ids);
		smap_level(&tmp);
		smap_merge(&tmp, m);
		rc = smap_value(&tmp, out);
		smap_release(&tmp);
		return rc;
	}
	*out = s->ndec > 0 ? exact_sum(&s->dec) : 0;
	if (s->nbin > 0)
		*out += sacc_value(s->bin);
	*out = *out == 0 ? 0 : *out;
	return isfinite(*out);
}

/* ---- JSON ---- */

/* A member to write: its key, time and value. */
struct member {
	const char *key;	/* in the keys' text */
	size_t off;		/* its offset there */
	size_t len;
	long long t;
	double x;
};

static int
member_cmp(const void *p, const void *q)
{
	const struct member *a = p, *b = q;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->key, b->key, n);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Member k of v: series id of m at t, x, its key appended to text. */
static void
member_set(struct member *v, const struct smap *m, uint32_t id, long long t,
    double x, const char *dims, size_t dlen, struct kpi_buf *text)
{
	const char *s;
	uint32_t len;

	s = kpi_ents_id(m->ids, id, &len);
	v->off = text->len;
	if (len == 0 || s[0] != '{')
		kpi_buf_add(text, dims, dlen);
	kpi_buf_add(text, s, len);
	v->len = text->len - v->off;
	v->t = t;
	v->x = x;
}

/* m's series, one per id, with their keys in text: *n.  Caller frees. */
static struct member *
members(const struct smap *m, const char *dims, size_t dlen,
    struct kpi_buf *text, size_t *n)
{
	size_t i, k = 0, cap = m->lv ? m->lvcap : (size_t)m->len + m->npend;
	struct member *v = kpi_xmalloc((cap + 1) * sizeof(*v));
	struct series *s;
	uint32_t sn;

	if (m->lv != NULL) {
		for (i = 0; i < cap; i++)
			if (m->lv[i].key != SLEVEL_FREE)
				member_set(&v[k++], m, (uint32_t)m->lv[i].key,
				    m->lv[i].t, m->lv[i].x, dims, dlen, text);
	} else {
		s = kpi_xmalloc((cap + 1) * sizeof(*s));
		memcpy(s, m->e, cap * sizeof(*s));
		sn = sort_unique(s, (uint32_t)cap);
		for (i = 0; i < sn; i++)
			member_set(&v[k++], m, s[i].id, ser_t(m, &s[i]),
			    s[i].x, dims, dlen, text);
		free(s);
	}
	for (i = 0; i < k; i++)
		v[i].key = text->p != NULL ? text->p + v[i].off : "";
	*n = k;
	return v;
}

size_t
smap_put_members(struct kpi_buf *b, const struct smap *m, const char *dims,
    size_t dlen, size_t k)
{
	struct kpi_buf text;
	struct member *v;
	size_t i, n;

	if (smap_empty(m))
		return k;
	kpi_buf_init(&text);
	v = members(m, dims, dlen, &text, &n);
	qsort(v, n, sizeof(*v), member_cmp);
	for (i = 0; i < n; i++, k++) {
		if (k > 0)
			kpi_buf_addc(b, ',');
		kpi_json_put_str(b, v[i].key, v[i].len);
		kpi_buf_addf(b, ":[%lld,", v[i].t);
		kpi_json_put_num(b, v[i].x);
		kpi_buf_addc(b, ']');
	}
	free(v);
	kpi_buf_release(&text);
	return k;
}
