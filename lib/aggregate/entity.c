/*
 * entity.c - the ids behind the entity reducers, kept once each, and the
 * compact per-group sets of their numbers; see entity.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity.h"

void
kpi_ents_init(struct kpi_ents *t)
{
	memset(t, 0, sizeof(*t));
}

void
kpi_ents_release(struct kpi_ents *t)
{
	free(t->store);
	free(t->off);
	free(t->first);
	free(t->tab);
	memset(t, 0, sizeof(*t));
}

/* The top bits of hash h a slot of t keeps above its number. */
static uint32_t
ents_tag(const struct kpi_ents *t, uint64_t h)
{
	return (uint32_t)(h >> 32) & ~(t->tcap - 1);
}

/*
 * The table slot of id s[0..n) of hash h: the one holding it or the empty
 * one.  Most slots of other ids differ in the tag: their ids are not read.
 */
static uint32_t *
ents_slot(const struct kpi_ents *t, const char *s, size_t n, uint64_t h)
{
	uint32_t mask = t->tcap - 1, tag = ents_tag(t, h), i, v, e;

	for (i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		v = t->tab[i];
		if (v == 0)
			return &t->tab[i];
		if ((v & ~mask) != tag)
			continue;
		e = (v & mask) - 1;
		if (t->off[e + 1] - t->off[e] == n &&
		    memcmp(t->store + t->off[e], s, n) == 0)
			return &t->tab[i];
	}
}

/*
 * Doubles the table, walking the ids in number order.  The old one goes
 * first: the two are never held at once.
 */
static void
ents_grow(struct kpi_ents *t)
{
	uint32_t e, mask, i;
	uint64_t h;

	if (t->tcap >= (uint32_t)1 << 31)
		kpi_xmalloc(SIZE_MAX);	/* out of memory, as far as ids go */
	free(t->tab);
	t->tcap = t->tcap ? t->tcap * 2 : 64;
	t->tab = kpi_xmalloc(t->tcap * sizeof(*t->tab));
	memset(t->tab, 0, t->tcap * sizeof(*t->tab));
	mask = t->tcap - 1;
	for (e = 0; e < t->n; e++) {
		h = kpi_hash(0, t->store + t->off[e], t->off[e + 1] - t->off[e]);
		for (i = (uint32_t)h & mask; t->tab[i] != 0; i = (i + 1) & mask)
			;
		t->tab[i] = ents_tag(t, h) | (e + 1);
	}
}

/* Gives s[0..n) the number t->n. */
static void
ents_add(struct kpi_ents *t, const char *s, size_t n)
{
	size_t used = t->n > 0 ? t->off[t->n] : 0;

	/* Places are 32 bits. */
	if (n > UINT32_MAX - used)
		kpi_xmalloc(SIZE_MAX);	/* out of memory, as far as ids go */
	if (t->store == NULL || used + n > t->scap) {
		t->scap = t->scap ? t->scap * 2 : 4096;
		while (used + n > t->scap)
			t->scap *= 2;
		t->store = kpi_xrealloc(t->store, t->scap);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->off = kpi_xrealloc(t->off, (t->cap + (size_t)1) *
		    sizeof(*t->off));
		t->off[t->n] = (uint32_t)used;
		if (t->first != NULL)
			t->first = kpi_xrealloc(t->first,
			    t->cap * sizeof(*t->first));
	}
	memcpy(t->store + used, s, n);
	t->off[t->n + 1] = (uint32_t)(used + n);
	if (t->first != NULL)
		t->first[t->n] = LLONG_MAX;
	t->n++;
}

uint32_t
kpi_ents_intern(struct kpi_ents *t, const char *s, size_t n)
{
	return kpi_ents_intern_hashed(t, s, n, kpi_hash(0, s, n));
}

uint32_t
kpi_ents_intern_hashed(struct kpi_ents *t, const char *s, size_t n,
    uint64_t h)
{
	uint32_t *slot;

	/* At most 3/4 full: the tags keep long runs cheap.  Numbers + 1
	   stay below tcap, under the tag. */
	if (t->tcap == 0 || ((uint64_t)t->n + 1) * 4 > (uint64_t)t->tcap * 3)
		ents_grow(t);
	slot = ents_slot(t, s, n, h);
	if (*slot != 0)
		return (*slot & (t->tcap - 1)) - 1;
	ents_add(t, s, n);
	*slot = ents_tag(t, h) | t->n;
	return t->n - 1;
}

#if defined(__GNUC__)
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

void
kpi_ents_prefetch(const struct kpi_ents *t, uint64_t h)
{
	if (t->tcap != 0)
		PREFETCH(&t->tab[(uint32_t)h & (t->tcap - 1)]);
}

/* The number in the first slot of h's tag, most often the id's; or -1. */
static long
ents_guess(const struct kpi_ents *t, uint64_t h)
{
	uint32_t mask = t->tcap - 1, tag, i, v;

	if (t->tcap == 0)
		return -1;
	tag = ents_tag(t, h);
	for (i = (uint32_t)h & mask; (v = t->tab[i]) != 0; i = (i + 1) & mask)
		if ((v & ~mask) == tag)
			return (long)(v & mask) - 1;
	return -1;
}

long
kpi_ents_prefetch_place(const struct kpi_ents *t, uint64_t h)
{
	long e = ents_guess(t, h);

	if (e >= 0)
		PREFETCH(&t->off[e]);
	return e;
}

void
kpi_ents_prefetch_id(const struct kpi_ents *t, long guess, size_t n)
{
	const char *p;

	/* Numbers are never taken back: a guess made rows ago still names
	   an id of t, whatever the table did since. */
	if (guess >= 0) {
		p = t->store + t->off[guess];
		PREFETCH(p);
		PREFETCH(p + n);	/* it may cross a line */
	}
}

void
kpi_ents_lower(struct kpi_ents *t, uint32_t e, long long period)
{
	uint32_t i;

	if (t->first == NULL) {
		t->first = kpi_xmalloc((t->cap + 1) * sizeof(*t->first));
		for (i = 0; i < t->n; i++)
			t->first[i] = LLONG_MAX;
	}
	if (period < t->first[e])
		t->first[e] = period;
}

void
kpi_eset_init(struct kpi_eset *s)
{
	memset(s, 0, sizeof(*s));
}

void
kpi_eset_release(struct kpi_eset *s)
{
	free(s->b);
	free(s->pend);
	memset(s, 0, sizeof(*s));
}

/* Sorts v[0..n) with tmp[0..n) as room: by bytes, low first; small by insertion. */
static void
sort_run(uint32_t *v, uint32_t *tmp, size_t n)
{
	size_t count[256], i, k, sum, c;
	uint32_t *from = v, *to = tmp, *t, x;
	unsigned shift;

	if (n < 64) {
		for (i = 1; i < n; i++) {
			x = v[i];
			for (k = i; k > 0 && v[k - 1] > x; k--)
				v[k] = v[k - 1];
			v[k] = x;
		}
		return;
	}
	for (shift = 0; shift < 32; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[from[i] >> shift & 0xff]++;
		if (count[from[0] >> shift & 0xff] == n)
			continue;	/* one byte in all: nothing to move */
		for (sum = 0, k = 0; k < 256; k++) {
			c = count[k];
			count[k] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[from[i] >> shift & 0xff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
}

/*
 * Folds each run of one number in the sorted v[0..n) into one, MANY when
 * the run is longer than one or any of it is; returns how many are left.
 */
static size_t
fold_runs(uint32_t *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (k > 0 && v[k - 1] >> 1 == v[i] >> 1)
			v[k - 1] |= 1;
		else
			v[k++] = v[i];
	return k;
}

/* Room for a pending run beside a set of n numbers. */
static size_t
eset_room(size_t n)
{
	return n / 4 > 16 ? n / 4 : 16;
}

/*
 * Writes number x (<< 1 | many) at p as its gap from next, the least it
 * could be; returns the end.
 */
static unsigned char *
put_gap(unsigned char *p, uint32_t next, uint32_t x)
{
	uint64_t c = (uint64_t)((x >> 1) - next) << 1 | (x & 1);

	while (c >= 0x80) {
		*p++ = (unsigned char)(c | 0x80);
		c >>= 7;
	}
	*p++ = (unsigned char)c;
	return p;
}

/* Reads a code of three bytes or more at p into *c; returns its bytes. */
static size_t
get_long_gap(const unsigned char *p, uint64_t *c)
{
	size_t k = 0;
	unsigned shift = 0;

	*c = 0;
	while (p[k] & 0x80) {
		*c |= (uint64_t)(p[k++] & 0x7f) << shift;
		shift += 7;
	}
	*c |= (uint64_t)p[k++] << shift;
	return k;
}

/* Reads the code at p into *c; returns its bytes. */
static inline size_t
get_gap(const unsigned char *p, uint64_t *c)
{
	if (p[0] < 0x80) {	/* most gaps are below 8192 */
		*c = p[0];
		return 1;
	}
	if (p[1] < 0x80) {
		*c = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
		return 2;
	}
	return get_long_gap(p, c);
}

/* The state of a merge: where it reads the set and writes the new one. */
struct emerge {
	const unsigned char *p;	/* the set's next code */
	uint32_t left;		/* numbers of the set not yet read */
	uint32_t onext;		/* what the next code's gap counts from */
	unsigned char *w;	/* where the next code goes */
	uint32_t wnext;		/* what the next code written counts from */
};

/*
 * Writes the set's numbers below t.  The first is coded again when what
 * was written last was not the set's (its gap changes); the rest are
 * copied as they are, decoded only to find t.
 */
static void
emerge_below(struct emerge *m, uint32_t t)
{
	const unsigned char *p = m->p, *q;
	uint32_t left = m->left, onext = m->onext, v;
	uint64_t c;
	size_t l;

	if (left > 0 && m->wnext != onext) {
		l = get_gap(p, &c);
		if ((v = onext + (uint32_t)(c >> 1)) >= t)
			return;
		m->w = put_gap(m->w, m->wnext, v << 1 | (uint32_t)(c & 1));
		m->wnext = onext = v + 1;
		p += l;
		left--;
	}
	if (m->wnext == onext) {
		for (q = p; left > 0; p += l, left--) {
			l = get_gap(p, &c);
			if ((v = onext + (uint32_t)(c >> 1)) >= t)
				break;
			onext = v + 1;
		}
		if (p > q) {	/* an empty set has no code at all */
			memcpy(m->w, q, (size_t)(p - q));
			m->w += p - q;
		}
		m->wnext = onext;	/* the codes copied count from it */
	}			/* else the set is read to its end */
	m->p = p;
	m->left = left;
	m->onext = onext;
}

/*
 * Merges the sorted numbers b[0..nb) (<< 1 | many, one each) with s into
 * out, which has room for them all; returns the bytes written, and the
 * numbers in *n.  Most of the set is copied as it is: a run of a
 * quarter of its size changes a few of its codes.
 */
static size_t
eset_merge_into(unsigned char *out, const struct kpi_eset *s,
    const uint32_t *b, size_t nb, size_t *n)
{
	struct emerge m = { s->b, s->len, 0, out, 0 };
	uint64_t c = 0;
	uint32_t t;
	size_t j, l = 0;

	*n = s->len;
	for (j = 0; j < nb; j++) {
		t = b[j] >> 1;
		emerge_below(&m, t);
		if (m.left > 0)
			l = get_gap(m.p, &c);
		if (m.left > 0 && m.onext + (c >> 1) == t) {
			/* In both: MANY, the same gap. */
			m.w = put_gap(m.w, m.wnext, t << 1 | 1);
			m.p += l;
			m.left--;
			m.onext = t + 1;
		} else {
			m.w = put_gap(m.w, m.wnext, b[j]);
			++*n;
		}
		m.wnext = t + 1;
	}
	/* The rest as it is, once its first is coded again if need be. */
	if (m.left > 0 && m.wnext != m.onext) {
		l = get_gap(m.p, &c);
		m.w = put_gap(m.w, m.wnext, (m.onext + (uint32_t)(c >> 1)) << 1 |
		    (uint32_t)(c & 1));
		m.p += l;
		m.left--;
	}
	if (m.left > 0) {
		l = (size_t)(s->b + s->blen - m.p);
		memcpy(m.w, m.p, l);
		m.w += l;
	}
	return (size_t)(m.w - out);
}

void
kpi_eset_settle(struct kpi_eset *s)
{
	size_t nb = s->npend, bytes, n;
	unsigned char *nv;

	if (nb > 0) {
		/* A number takes 5 bytes at most: room for them all, and
		   for sorting the run in. */
		nv = kpi_xmalloc(s->blen + nb * 5);
		sort_run(s->pend, (uint32_t *)(void *)nv, nb);
		nb = fold_runs(s->pend, nb);
		bytes = eset_merge_into(nv, s, s->pend, nb, &n);
		free(s->b);
		s->b = kpi_xrealloc(nv, bytes);
		s->blen = bytes;
		s->len = (uint32_t)n;
	}
	/* The room goes too: a settled set holds only its gaps. */
	free(s->pend);
	s->pend = NULL;
	s->npend = 0;
	s->pcap = 0;
}

/* Appends x[0..n) to the pending run, settling when it fills the room. */
static void
eset_append(struct kpi_eset *s, const uint32_t *x, size_t n)
{
	size_t room, m;

	while (n > 0) {
		if (s->pend == NULL) {
			s->pcap = (uint32_t)eset_room(s->len);
			s->pend = kpi_xmalloc(s->pcap * sizeof(*s->pend));
		}
		room = s->pcap - s->npend;
		if (room == 0) {
			kpi_eset_settle(s);
			continue;
		}
		m = n < room ? n : room;
		memcpy(s->pend + s->npend, x, m * sizeof(*x));
		s->npend += (uint32_t)m;
		x += m;
		n -= m;
	}
}

void
kpi_eset_add(struct kpi_eset *s, uint32_t e)
{
	uint32_t x = e << 1;

	if (s->npend < s->pcap)
		s->pend[s->npend++] = x;	/* the one hot step */
	else
		eset_append(s, &x, 1);
}

void
kpi_eset_merge(struct kpi_eset *s, const struct kpi_eset *o)
{
	struct kpi_eset_iter it;
	uint32_t x[256], e;
	size_t n = 0;
	int many;

	kpi_eset_iter_init(&it, o);
	while (kpi_eset_next(&it, &e, &many)) {
		x[n++] = e << 1 | (uint32_t)many;
		if (n == sizeof(x) / sizeof(x[0])) {
			eset_append(s, x, n);
			n = 0;
		}
	}
	eset_append(s, x, n);
}

int
kpi_eset_has(const struct kpi_eset *s, uint32_t e)
{
	struct kpi_eset_iter it;
	uint32_t x;
	int many;

	kpi_eset_iter_init(&it, s);
	while (kpi_eset_next(&it, &x, &many))
		if (x >= e)
			return x == e;
	return 0;
}

void
kpi_eset_each(const struct kpi_eset *s,
    void (*fn)(void *arg, uint32_t e, int many), void *arg)
{
	struct kpi_eset_iter it;
	uint32_t e;
	int many;

	kpi_eset_iter_init(&it, s);
	while (kpi_eset_next(&it, &e, &many))
		fn(arg, e, many);
}

/* Sorting numbers by their ids' bytes. */
static const struct kpi_ents *sort_ents;

static int
id_cmp(const void *x, const void *y)
{
	uint32_t la, lb;
	const char *a = kpi_ents_id(sort_ents, *(const uint32_t *)x, &la);
	const char *b = kpi_ents_id(sort_ents, *(const uint32_t *)y, &lb);
	int c = memcmp(a, b, la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

static void
put_list(struct kpi_buf *b, const struct kpi_ents *t, const uint32_t *v,
    uint32_t n)
{
	uint32_t i, len;
	const char *id;

	kpi_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			kpi_buf_addc(b, ',');
		id = kpi_ents_id(t, v[i], &len);
		kpi_json_put_str(b, id, len);
	}
	kpi_buf_addc(b, ']');
}

void
kpi_eset_put(struct kpi_buf *b, const struct kpi_eset *s,
    const struct kpi_ents *t)
{
	uint32_t *v, *many, e, n = 0, nm = 0;
	struct kpi_eset_iter it;
	int m;

	v = kpi_xmalloc((s->len + (size_t)1) * sizeof(*v));
	many = kpi_xmalloc((s->len + (size_t)1) * sizeof(*many));
	kpi_eset_iter_init(&it, s);
	while (kpi_eset_next(&it, &e, &m)) {
		v[n++] = e;
		if (m)
			many[nm++] = e;
	}
	/* qsort has no argument for its comparison: one sort at a time. */
	sort_ents = t;
	qsort(v, n, sizeof(*v), id_cmp);
	qsort(many, nm, sizeof(*many), id_cmp);
	sort_ents = NULL;
	kpi_buf_adds(b, "{\"set\":");
	put_list(b, t, v, n);
	kpi_buf_adds(b, ",\"many\":");
	put_list(b, t, many, nm);
	kpi_buf_addc(b, '}');
	free(v);
	free(many);
}

/* The strings of a JSON array text, as a record of ""-keyed fields. */
static int
load_list(struct kpi_rec *r, const struct kpi_field *f, struct kpi_err *err)
{
	size_t i;

	if (f == NULL || f->v.type != KPI_RAW ||
	    kpi_json_parse_array(r, f->v.s, f->v.len, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++)
		if (r->f[i].v.type != KPI_STR)
			return -1;
	return 0;
}

/*
 * The numbers of the ids of list (interned in t, lowered to period when
 * period is not LLONG_MAX), << 1, sorted, into *v (caller frees); -1 when
 * an id is there twice.
 */
static int
load_numbers(const struct kpi_rec *list, struct kpi_ents *t, long long period,
    uint32_t **v)
{
	const struct kpi_val *x;
	uint32_t e, *tmp;
	size_t i;

	*v = kpi_xmalloc((list->n + 1) * sizeof(**v));
	for (i = 0; i < list->n; i++) {
		x = &list->f[i].v;
		e = kpi_ents_intern(t, x->s ? x->s : "", x->len);
		if (period != LLONG_MAX)
			kpi_ents_lower(t, e, period);
		(*v)[i] = e << 1;
	}
	tmp = kpi_xmalloc((list->n + 1) * sizeof(*tmp));
	sort_run(*v, tmp, list->n);
	free(tmp);
	for (i = 1; i < list->n; i++)
		if ((*v)[i - 1] == (*v)[i])
			return -1;
	return 0;
}

/* Sets the many bit of v[0..n) for each of m[0..nm), all sorted: -1 when
   one is not in v. */
static int
load_many(uint32_t *v, size_t n, const uint32_t *m, size_t nm)
{
	size_t i, j = 0;

	for (i = 0; i < nm; i++) {
		while (j < n && v[j] < m[i])
			j++;
		if (j == n || v[j] != m[i])
			return -1;
		v[j++] |= 1;
	}
	return 0;
}

int
kpi_eset_load(struct kpi_eset *s, struct kpi_ents *t, long long period,
    const char *json, size_t n, struct kpi_err *err)
{
	struct kpi_rec r, set, many;
	uint32_t *v = NULL, *m = NULL;
	int rc = -1;

	kpi_rec_init(&r);
	kpi_rec_init(&set);
	kpi_rec_init(&many);
	if (kpi_json_parse_object(&r, json, n, 0, err) < 0 || r.n != 2 ||
	    load_list(&set, kpi_rec_find(&r, "set", 3), err) < 0 ||
	    load_list(&many, kpi_rec_find(&r, "many", 4), err) < 0 ||
	    load_numbers(&set, t, period, &v) < 0 ||
	    load_numbers(&many, t, LLONG_MAX, &m) < 0 ||
	    load_many(v, set.n, m, many.n) < 0)
		goto out;		/* an id twice, or many not in set */
	/* Sorted, once each: the set's pending run, settled. */
	s->pend = v;
	s->npend = s->pcap = (uint32_t)set.n;
	v = NULL;
	kpi_eset_settle(s);
	rc = 0;
out:
	free(v);
	free(m);
	kpi_rec_release(&r);
	kpi_rec_release(&set);
	kpi_rec_release(&many);
	if (rc < 0) {
		err->line = 0;
		err->col = 0;
		snprintf(err->msg, sizeof(err->msg), "bad state for an entity "
		    "reducer");
	}
	return rc;
}
