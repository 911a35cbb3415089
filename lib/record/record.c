/*
 * record.c - a record: an ordered list of fields over borrowed or arena text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record.h"

void
kpi_rec_init(struct kpi_rec *r)
{
	r->f = NULL;
	r->n = 0;
	r->cap = 0;
	kpi_arena_init(&r->arena);
}

void
kpi_rec_release(struct kpi_rec *r)
{
	free(r->f);
	kpi_arena_release(&r->arena);
	kpi_rec_init(r);
}

void
kpi_rec_clear(struct kpi_rec *r)
{
	r->n = 0;
	kpi_arena_reset(&r->arena);
}

struct kpi_field *
kpi_rec_add(struct kpi_rec *r, const char *key, size_t klen,
    const struct kpi_val *v)
{
	struct kpi_field *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = kpi_xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	f = &r->f[r->n++];
	f->key = key;
	f->klen = klen;
	f->v = *v;
	f->kclean = 0;
	return f;
}

void
kpi_rec_add_str(struct kpi_rec *r, const char *key, size_t klen,
    const char *s, size_t len)
{
	struct kpi_val v = { KPI_STR, s, len, 0, 0 };

	kpi_rec_add(r, key, klen, &v);
}

void
kpi_rec_add_num(struct kpi_rec *r, const char *key, size_t klen, double num)
{
	struct kpi_val v = { KPI_NUM, NULL, 0, num, 0 };

	kpi_rec_add(r, key, klen, &v);
}

void
kpi_rec_add_null(struct kpi_rec *r, const char *key, size_t klen)
{
	struct kpi_val v = { KPI_NULL, NULL, 0, 0, 0 };

	kpi_rec_add(r, key, klen, &v);
}

struct kpi_field *
kpi_rec_find(const struct kpi_rec *r, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (kpi_field_is(&r->f[i], key, klen))
			return &r->f[i];
	return NULL;
}

void
kpi_rec_where(const struct kpi_rec *r, struct kpi_err *err)
{
	const struct kpi_field *src = kpi_rec_find(r, "_src", 4);
	const struct kpi_field *line = kpi_rec_find(r, "_line", 5);
	int ok = src != NULL && src->v.type == KPI_STR;

	snprintf(err->file, sizeof(err->file), "%.*s", ok ? (int)src->v.len : 0,
	    ok ? src->v.s : "");
	err->line = line && line->v.type == KPI_NUM && line->v.num > 0 ?
	    (unsigned long)line->v.num : 0;
	err->col = 0;
}

static int
is_provenance(const struct kpi_field *f)
{
	return strcmp(f->key, "_src") == 0 || strcmp(f->key, "_line") == 0;
}

void
kpi_rec_with_error(const struct kpi_rec *r, const struct kpi_rec_error *e,
    struct kpi_rec *out, struct kpi_buf *b)
{
	struct kpi_val v = { KPI_RAW, NULL, 0, 0, 0 };
	size_t i;

	kpi_rec_clear(out);
	for (i = 0; i < r->n; i++)
		if (!is_provenance(&r->f[i]))
			kpi_rec_add(out, r->f[i].key, r->f[i].klen, &r->f[i].v);
	kpi_buf_reset(b);
	kpi_buf_adds(b, "{\"field\":");
	kpi_json_put_str(b, e->field, strlen(e->field));
	kpi_buf_adds(b, ",\"column\":");
	kpi_json_put_str(b, e->column, strlen(e->column));
	kpi_buf_adds(b, ",\"value\":");
	kpi_json_put_str(b, e->value, e->vlen);
	kpi_buf_adds(b, ",\"expected\":");
	kpi_json_put_str(b, e->expected, strlen(e->expected));
	kpi_buf_addc(b, '}');
	v.s = b->p;
	v.len = b->len;
	kpi_rec_add(out, "_error", 6, &v);
	for (i = 0; i < r->n; i++)
		if (is_provenance(&r->f[i]))
			kpi_rec_add(out, r->f[i].key, r->f[i].klen, &r->f[i].v);
}
