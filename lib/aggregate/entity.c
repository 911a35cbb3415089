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

/* The entry at offset / 4 o: its number and length, then the bytes. */
static const char *
entry(const struct kpi_ents *t, uint32_t o, uint32_t *num, uint32_t *len)
{
	const char *p = t->store + (size_t)o * 4;

	memcpy(num, p, sizeof(*num));
	memcpy(len, p + 4, sizeof(*len));
	return p + 8;
}

/*
 * The table slot of id s[0..n) of hash h: the one holding it or the empty
 * one.  A slot's top half is its id's hash's: most slots of other ids are
 * passed over without reading their entries.
 */
static uint64_t *
ents_slot(const struct kpi_ents *t, const char *s, size_t n, uint64_t h)
{
	uint32_t mask = t->tcap - 1, i, num, len;
	uint64_t tag = h >> 32 << 32, v;
	const char *p;

	for (i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		v = t->tab[i];
		if (v == 0)
			return &t->tab[i];
		if ((v & 0xffffffff00000000u) != tag)
			continue;
		p = entry(t, (uint32_t)v - 1, &num, &len);
		if (len == n && memcmp(p, s, n) == 0)
			return &t->tab[i];
	}
}

/* Doubles the table, walking the entries in the order they were made. */
static void
ents_grow(struct kpi_ents *t)
{
	uint32_t e, num, len;
	const char *p;
	uint64_t h;

	free(t->tab);
	t->tcap = t->tcap ? t->tcap * 2 : 64;
	t->tab = kpi_xmalloc(t->tcap * sizeof(*t->tab));
	memset(t->tab, 0, t->tcap * sizeof(*t->tab));
	for (e = 0; e < t->n; e++) {
		p = entry(t, t->off[e], &num, &len);
		h = kpi_hash(0, p, len);
		*ents_slot(t, p, len, h) = h >> 32 << 32 | (t->off[e] + 1);
	}
}

/* A new entry for s[0..n), numbered t->n; returns its offset / 4. */
static uint32_t
ents_add(struct kpi_ents *t, const char *s, size_t n)
{
	size_t need = (8 + n + 1 + 3) & ~(size_t)3;
	uint32_t num = t->n, len = (uint32_t)n;
	char *p;

	/* Offsets / 4 fit 32 bits, less one for the empty slot: 16 GiB. */
	if (t->slen + need > ((size_t)UINT32_MAX - 1) * 4 || n > UINT32_MAX)
		kpi_xmalloc(SIZE_MAX);	/* out of memory, as far as ids go */
	if (t->slen + need > t->scap) {
		t->scap = t->scap ? t->scap * 2 : 4096;
		while (t->slen + need > t->scap)
			t->scap *= 2;
		t->store = kpi_xrealloc(t->store, t->scap);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->off = kpi_xrealloc(t->off, t->cap * sizeof(*t->off));
		if (t->first != NULL)
			t->first = kpi_xrealloc(t->first,
			    t->cap * sizeof(*t->first));
	}
	p = t->store + t->slen;
	memcpy(p, &num, sizeof(num));
	memcpy(p + 4, &len, sizeof(len));
	memcpy(p + 8, s, n);
	memset(p + 8 + n, 0, need - 8 - n);
	t->off[num] = (uint32_t)(t->slen / 4);
	if (t->first != NULL)
		t->first[num] = LLONG_MAX;
	t->slen += need;
	t->n++;
	return t->off[num];
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
	uint64_t *slot;
	uint32_t o, num, len;

	/* At most 3/4 full: the hashes' tops keep long runs cheap. */
	if (t->tcap == 0 || ((uint64_t)t->n + 1) * 4 > (uint64_t)t->tcap * 3)
		ents_grow(t);
	slot = ents_slot(t, s, n, h);
	if (*slot != 0) {
		entry(t, (uint32_t)*slot - 1, &num, &len);
		return num;
	}
	o = ents_add(t, s, n);
	*slot = h >> 32 << 32 | (o + 1);
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

void
kpi_ents_prefetch_entry(const struct kpi_ents *t, uint64_t h, size_t n)
{
	uint32_t mask = t->tcap - 1, i;
	uint64_t tag = h >> 32 << 32, v;
	const char *p;

	if (t->tcap == 0)
		return;
	/* The first entry of the id's hash: most often the id's own. */
	for (i = (uint32_t)h & mask; (v = t->tab[i]) != 0; i = (i + 1) & mask)
		if ((v & 0xffffffff00000000u) == tag) {
			p = t->store + (size_t)((uint32_t)v - 1) * 4;
			PREFETCH(p);
			PREFETCH(p + 8 + n);	/* it may cross a line */
			return;
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
	free(s->v);
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

/* Room left for a pending run after the set's n numbers. */
static size_t
eset_room(size_t n)
{
	return n / 4 > 16 ? n / 4 : 16;
}

void
kpi_eset_settle(struct kpi_eset *s)
{
	size_t na = s->len, nb = s->npend, i = 0, j = 0, k = 0, cap;
	uint32_t *a = s->v, *b = s->v + s->len, *nv;

	if (nb == 0)
		return;
	cap = na + nb + eset_room(na + nb);
	nv = kpi_xmalloc(cap * sizeof(*nv));
	sort_run(b, nv, nb);
	nb = fold_runs(b, nb);
	while (i < na && j < nb)
		if (a[i] >> 1 < b[j] >> 1)
			nv[k++] = a[i++];
		else if (b[j] >> 1 < a[i] >> 1)
			nv[k++] = b[j++];
		else {
			nv[k++] = a[i++] | 1;
			j++;
		}
	while (i < na)
		nv[k++] = a[i++];
	while (j < nb)
		nv[k++] = b[j++];
	free(s->v);
	/* Many numbers already there: give back what the room does not need. */
	if (k + eset_room(k) < cap) {
		cap = k + eset_room(k);
		nv = kpi_xrealloc(nv, cap * sizeof(*nv));
	}
	s->v = nv;
	s->len = (uint32_t)k;
	s->npend = 0;
	s->cap = (uint32_t)cap;
}

/* Appends x[0..n) to the pending run, settling when it fills the room. */
static void
eset_append(struct kpi_eset *s, const uint32_t *x, size_t n)
{
	size_t room, m;

	while (n > 0) {
		if (s->cap == 0) {
			s->cap = (uint32_t)eset_room(0);
			s->v = kpi_xmalloc(s->cap * sizeof(*s->v));
		}
		room = s->cap - s->len - s->npend;
		if (room == 0) {
			kpi_eset_settle(s);
			continue;
		}
		m = n < room ? n : room;
		memcpy(s->v + s->len + s->npend, x, m * sizeof(*x));
		s->npend += (uint32_t)m;
		x += m;
		n -= m;
	}
}

void
kpi_eset_add(struct kpi_eset *s, uint32_t e)
{
	uint32_t x = e << 1;

	if (s->cap - s->len - s->npend > 0)
		s->v[s->len + s->npend++] = x;	/* the one hot step */
	else
		eset_append(s, &x, 1);
}

void
kpi_eset_merge(struct kpi_eset *s, const struct kpi_eset *o)
{
	eset_append(s, o->v, o->len);
}

/* The place of e in s's sorted part, or NULL. */
static uint32_t *
eset_find(const struct kpi_eset *s, uint32_t e)
{
	size_t lo = 0, hi = s->len, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->v[mid] >> 1 < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->len && s->v[lo] >> 1 == e ? &s->v[lo] : NULL;
}

int
kpi_eset_has(const struct kpi_eset *s, uint32_t e)
{
	return eset_find(s, e) != NULL;
}

void
kpi_eset_each(const struct kpi_eset *s,
    void (*fn)(void *arg, uint32_t e, int many), void *arg)
{
	uint32_t i;

	for (i = 0; i < s->len; i++)
		fn(arg, s->v[i] >> 1, s->v[i] & 1);
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
	uint32_t *v, *many, i, n = 0, nm = 0;

	v = kpi_xmalloc((s->len + 1) * sizeof(*v));
	many = kpi_xmalloc((s->len + 1) * sizeof(*many));
	for (i = 0; i < s->len; i++) {
		v[n++] = s->v[i] >> 1;
		if (s->v[i] & 1)
			many[nm++] = v[n - 1];
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

int
kpi_eset_load(struct kpi_eset *s, struct kpi_ents *t, long long period,
    const char *json, size_t n, struct kpi_err *err)
{
	struct kpi_rec r, set, many;
	const struct kpi_val *v;
	uint32_t e, *slot;
	size_t i;
	int rc = -1;

	kpi_rec_init(&r);
	kpi_rec_init(&set);
	kpi_rec_init(&many);
	if (kpi_json_parse_object(&r, json, n, 0, err) < 0 || r.n != 2 ||
	    load_list(&set, kpi_rec_find(&r, "set", 3), err) < 0 ||
	    load_list(&many, kpi_rec_find(&r, "many", 4), err) < 0)
		goto out;
	for (i = 0; i < set.n; i++) {
		v = &set.f[i].v;
		e = kpi_ents_intern(t, v->s ? v->s : "", v->len);
		kpi_ents_lower(t, e, period);
		kpi_eset_add(s, e);
	}
	kpi_eset_settle(s);
	if (s->len != set.n)
		goto out;		/* an id twice */
	for (i = 0; i < many.n; i++) {
		v = &many.f[i].v;
		e = kpi_ents_intern(t, v->s ? v->s : "", v->len);
		if ((slot = eset_find(s, e)) == NULL || (*slot & 1))
			goto out;	/* not in the set, or an id twice */
		*slot |= 1;
	}
	rc = 0;
out:
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
