/*
 * lookup.c - the references of a spec's "lookup" fields: a small table
 * (a products export, a mapping file the user keeps) read once, whole,
 * into a hash of its key column, so that each row of the big input, which
 * streams, finds its value in one probe.  This is a hash join with the
 * small side built first, as a database does it and as Miller's join does
 * unsorted: the input is never held, only the reference.
 *
 * A reference is read as kpi-extract reads a file: CSV, TSV or JSON by
 * content, compressed or in an archive (every member, in order), its
 * preamble skipped.  Keys are compared as text, byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize/normalize.h"
#include "spec.h"

/* A value as text: strings and numbers as written; else NULL. */
static const char *
text_of(const struct kpi_val *v, size_t *len)
{
	if ((v->type == KPI_STR || v->type == KPI_NUM || v->type == KPI_RAW) &&
	    v->s != NULL) {
		*len = v->len;
		return v->s;
	}
	*len = 0;
	return NULL;
}

/* The slot of key s[0..n): the one holding it, or the empty one. */
static uint32_t *
slot(const struct lookup_table *t, const char *s, size_t n)
{
	uint32_t mask = (uint32_t)t->tcap - 1, e;
	uint32_t h = (uint32_t)kpi_hash(0, s, n);

	for (h &= mask;; h = (h + 1) & mask) {
		if (t->tab[h] == 0)
			return &t->tab[h];
		e = t->tab[h] - 1;
		if (t->e[e].klen == n && memcmp(t->e[e].key, s, n) == 0)
			return &t->tab[h];
	}
}

/* Doubles the hash, kept at most half full. */
static void
grow(struct lookup_table *t)
{
	uint32_t e;

	free(t->tab);
	t->tcap = t->tcap ? t->tcap * 2 : 64;
	t->tab = kpi_xmalloc(t->tcap * sizeof(*t->tab));
	memset(t->tab, 0, t->tcap * sizeof(*t->tab));
	for (e = 0; e < t->n; e++)
		*slot(t, t->e[e].key, t->e[e].klen) = e + 1;
}

/* Whether two values read the same: a key given twice alike is one. */
static int
same_val(const struct kpi_val *a, const struct kpi_val *b)
{
	size_t al, bl;
	const char *as = text_of(a, &al), *bs = text_of(b, &bl);

	if (as == NULL || bs == NULL)
		return a->type == b->type && as == bs;
	return al == bl && memcmp(as, bs, al) == 0;
}

/* v into dst, its text copied into the table's arena. */
static void
keep_val(struct lookup_table *t, struct kpi_val *dst, const struct kpi_val *v)
{
	*dst = *v;
	if (v->s != NULL)
		dst->s = kpi_arena_strndup(&t->mem, v->s, v->len);
}

/*
 * An entry whose key is there already: the same values again are one
 * entry, as a products export repeats nothing but may list a variant
 * twice; other values are an error, since either would be a guess.
 */
static int
again(struct lookup_table *t, uint32_t e, const struct kpi_field *const *vf,
    const char *name, unsigned long line, struct kpi_err *err)
{
	struct kpi_val null = { KPI_NULL, NULL, 0, 0, 0 };
	const struct kpi_val *have, *v;
	size_t c;

	for (c = 0; c < t->ref->values.n; c++) {
		have = &t->val[e * t->ref->values.n + c];
		v = vf[c] ? &vf[c]->v : &null;
		if (!same_val(have, v))
			return kpi_err_set(err, name, line, 0, "key '%.*s' has "
			    "another '%s' than on line %lu", (int)(t->e[e].klen >
			    100 ? 100 : t->e[e].klen), t->e[e].key,
			    t->ref->values.s[c], t->e[e].line);
	}
	return 0;
}

/* One row of the reference into t; rows without a key are skipped. */
static int
add_row(struct lookup_table *t, const struct kpi_rec *r, const char *name,
    struct kpi_err *err)
{
	const struct kpi_field *kf, *lf, **vf = t->vf;
	size_t c, nv = t->ref->values.n, klen;
	unsigned long line;
	const char *key;
	uint32_t *s, e;

	lf = kpi_rec_find(r, "_line", 5);
	line = lf && lf->v.type == KPI_NUM ? (unsigned long)lf->v.num : 0;
	if ((kf = kpi_rec_find(r, t->ref->key, strlen(t->ref->key))) == NULL)
		return kpi_err_set(err, name, line, 0, "no column '%s', the key "
		    "of lookup '%s'", t->ref->key, t->ref->name);
	if ((key = text_of(&kf->v, &klen)) == NULL || klen == 0 ||
	    kpi_null_marker(key, klen))
		return 0;
	for (c = 0; c < nv; c++)
		vf[c] = kpi_rec_find(r, t->ref->values.s[c],
		    t->ref->values.len[c]);
	if (t->tcap == 0 || (t->n + 1) * 2 > t->tcap)
		grow(t);
	s = slot(t, key, klen);
	if (*s != 0)
		return again(t, *s - 1, vf, name, line, err);
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->e = kpi_xrealloc(t->e, t->cap * sizeof(*t->e));
		t->val = kpi_xrealloc(t->val, t->cap * nv * sizeof(*t->val));
	}
	e = (uint32_t)t->n++;
	t->e[e].key = kpi_arena_strndup(&t->mem, key, klen);
	t->e[e].klen = klen;
	t->e[e].line = line;
	for (c = 0; c < nv; c++) {
		memset(&t->val[e * nv + c], 0, sizeof(*t->val));
		if (vf[c] != NULL)
			keep_val(t, &t->val[e * nv + c], &vf[c]->v);
	}
	*s = e + 1;
	return 0;
}

/* Every row of in, a member of the reference, into t. */
static int
load_input(struct lookup_table *t, struct kpi_input *in,
    const struct kpi_warn *warn, struct kpi_err *err)
{
	struct kpi_reader_opts o;
	struct kpi_reader *rd;
	struct kpi_rec r;
	int rc;

	kpi_reader_opts_init(&o);
	o.warn = *warn;
	if ((rd = kpi_reader_open(in, &o, err)) == NULL)
		return -1;
	kpi_rec_init(&r);
	while ((rc = kpi_reader_next(rd, &r, err)) == 1)
		if (add_row(t, &r, kpi_input_name(in), err) < 0) {
			rc = -1;
			break;
		}
	kpi_rec_release(&r);
	kpi_reader_free(rd);
	return rc;
}

struct lookup_table *
lookup_load(const struct spec_ref *ref, const char *path,
    const struct kpi_warn *warn, struct kpi_err *err)
{
	struct kpi_source_opts so = { NULL, 0, { NULL, NULL } };
	struct lookup_table *t;
	struct kpi_source *src;
	struct kpi_input *in;
	int rc;

	t = kpi_xmalloc(sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->ref = ref;
	t->vf = kpi_xmalloc(ref->values.n * sizeof(*t->vf));
	t->path = kpi_xstrdup(path);
	kpi_arena_init(&t->mem);
	so.warn = *warn;
	if ((src = kpi_source_open(path, &so, err)) == NULL) {
		lookup_free(t);
		return NULL;
	}
	while ((rc = kpi_source_next(src, &in, err)) == 1)
		if (load_input(t, in, warn, err) < 0) {
			rc = -1;
			break;
		}
	kpi_source_free(src);
	if (rc < 0) {
		lookup_free(t);
		return NULL;
	}
	return t;
}

long
lookup_find(const struct lookup_table *t, const char *key, size_t len)
{
	uint32_t *s;

	if (t->n == 0)
		return -1;
	s = slot(t, key, len);
	return *s ? (long)*s - 1 : -1;
}

void
lookup_free(struct lookup_table *t)
{
	if (t == NULL)
		return;
	free(t->path);
	free(t->e);
	free(t->val);
	free(t->tab);
	free(t->vf);
	kpi_arena_release(&t->mem);
	free(t);
}
