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
	kpi_arena_init(&t->mem);
}

void
kpi_ents_release(struct kpi_ents *t)
{
	kpi_arena_release(&t->mem);
	free(t->id);
	free(t->len);
	free(t->first);
	free(t->tab);
	memset(t, 0, sizeof(*t));
}

/* The table slot of id s[0..n): the one holding it or the empty one. */
static uint32_t *
ents_slot(const struct kpi_ents *t, const char *s, size_t n, uint32_t h)
{
	uint32_t mask = t->tcap - 1, e;

	for (h &= mask;; h = (h + 1) & mask) {
		if (t->tab[h] == 0)
			return &t->tab[h];
		e = t->tab[h] - 1;
		if (t->len[e] == n && memcmp(t->id[e], s, n) == 0)
			return &t->tab[h];
	}
}

static void
ents_grow(struct kpi_ents *t)
{
	uint32_t e;

	free(t->tab);
	t->tcap = t->tcap ? t->tcap * 2 : 64;
	t->tab = kpi_xmalloc(t->tcap * sizeof(*t->tab));
	memset(t->tab, 0, t->tcap * sizeof(*t->tab));
	for (e = 0; e < t->n; e++)
		*ents_slot(t, t->id[e], t->len[e],
		    (uint32_t)kpi_hash(0, t->id[e], t->len[e])) = e + 1;
}

uint32_t
kpi_ents_intern(struct kpi_ents *t, const char *s, size_t n)
{
	uint32_t *slot, e;

	if (t->tcap == 0 || (t->n + 1) * 2 > t->tcap)
		ents_grow(t);
	slot = ents_slot(t, s, n, (uint32_t)kpi_hash(0, s, n));
	if (*slot != 0)
		return *slot - 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->id = kpi_xrealloc(t->id, t->cap * sizeof(*t->id));
		t->len = kpi_xrealloc(t->len, t->cap * sizeof(*t->len));
		t->first = kpi_xrealloc(t->first, t->cap * sizeof(*t->first));
	}
	e = t->n++;
	t->id[e] = kpi_arena_strndup(&t->mem, s, n);
	t->len[e] = (uint32_t)n;
	t->first[e] = LLONG_MAX;
	*slot = e + 1;
	return e;
}

void
kpi_eset_init(struct kpi_eset *s)
{
	memset(s, 0, sizeof(*s));
}

void
kpi_eset_release(struct kpi_eset *s)
{
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

/* Numbers are spread by a multiplicative hash: they come in runs. */
static uint32_t *
eset_slot(const struct kpi_eset *s, uint32_t e)
{
	uint32_t mask = s->cap - 1, h = ((e + 1) * 2654435761u) & mask;

	for (;; h = (h + 1) & mask)
		if (s->tab[h] == 0 || (s->tab[h] & ~KPI_ESET_MANY) == e + 1)
			return &s->tab[h];
}

static void
eset_grow(struct kpi_eset *s)
{
	uint32_t *old = s->tab, ocap = s->cap, i;

	s->cap = s->cap ? s->cap * 2 : 8;
	s->tab = kpi_xmalloc(s->cap * sizeof(*s->tab));
	memset(s->tab, 0, s->cap * sizeof(*s->tab));
	for (i = 0; i < ocap; i++)
		if (old[i] != 0)
			*eset_slot(s, (old[i] & ~KPI_ESET_MANY) - 1) = old[i];
	free(old);
}

/* Adds e with the bit many; a number already there becomes MANY. */
static void
eset_put(struct kpi_eset *s, uint32_t e, uint32_t many)
{
	uint32_t *slot;

	/* At most 3/4 full: linear probing stays short, 5.3 bytes a number. */
	if ((s->len + 1) * 4 > s->cap * 3)
		eset_grow(s);
	slot = eset_slot(s, e);
	if (*slot != 0)
		*slot |= KPI_ESET_MANY;
	else {
		*slot = (e + 1) | many;
		s->len++;
	}
}

void
kpi_eset_add(struct kpi_eset *s, uint32_t e)
{
	eset_put(s, e, 0);
}

void
kpi_eset_merge(struct kpi_eset *s, const struct kpi_eset *o)
{
	uint32_t i;

	for (i = 0; i < o->cap; i++)
		if (o->tab[i] != 0)
			eset_put(s, (o->tab[i] & ~KPI_ESET_MANY) - 1,
			    o->tab[i] & KPI_ESET_MANY);
}

int
kpi_eset_has(const struct kpi_eset *s, uint32_t e)
{
	return s->cap != 0 && *eset_slot(s, e) != 0;
}

void
kpi_eset_each(const struct kpi_eset *s,
    void (*fn)(void *arg, uint32_t e, int many), void *arg)
{
	uint32_t i;

	for (i = 0; i < s->cap; i++)
		if (s->tab[i] != 0)
			fn(arg, (s->tab[i] & ~KPI_ESET_MANY) - 1,
			    (s->tab[i] & KPI_ESET_MANY) != 0);
}

/* Sorting numbers by their ids' bytes. */
static const struct kpi_ents *sort_ents;

static int
id_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	uint32_t la = sort_ents->len[a], lb = sort_ents->len[b];
	int c = memcmp(sort_ents->id[a], sort_ents->id[b], la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

static void
put_list(struct kpi_buf *b, const struct kpi_ents *t, const uint32_t *v,
    uint32_t n)
{
	uint32_t i;

	kpi_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			kpi_buf_addc(b, ',');
		kpi_json_put_str(b, t->id[v[i]], t->len[v[i]]);
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
	for (i = 0; i < s->cap; i++)
		if (s->tab[i] != 0) {
			v[n++] = (s->tab[i] & ~KPI_ESET_MANY) - 1;
			if (s->tab[i] & KPI_ESET_MANY)
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
		if (period < t->first[e])
			t->first[e] = period;
		kpi_eset_add(s, e);
	}
	if (s->len != set.n)
		goto out;		/* an id twice */
	for (i = 0; i < many.n; i++) {
		v = &many.f[i].v;
		e = kpi_ents_intern(t, v->s ? v->s : "", v->len);
		if (!kpi_eset_has(s, e))
			goto out;
		slot = eset_slot(s, e);
		if (*slot & KPI_ESET_MANY)
			goto out;	/* an id twice */
		*slot |= KPI_ESET_MANY;
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
