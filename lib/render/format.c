/*
 * format.c - a series' values and changes as the report shows them, over
 * value/show.c's numbers for people, and the dims of a point as text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/room.h"

void
render_value(struct kpi_buf *b, const struct kpi_series *s,
    struct kpi_maybe m)
{
	if (m.null)
		kpi_buf_adds(b, "–");
	else
		kpi_fmt_value(b, m.v, s->format, s->unit,
		    s->unit ? strlen(s->unit) : 0);
}

/*
 * The change of row against the period before: percentage points for
 * percent metrics, else the relative change.  Returns the sign (-1, 0,
 * 1) or -2 when there is none; *good says whether it goes the KPI's way.
 */
int
render_change(struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_rrow *row, int *good)
{
	struct kpi_maybe m = row->pct_change;
	int pp = 0, sign;

	if (s->format == KPI_MFMT_PERCENT && row->has_pp) {
		m = row->pp_change;
		pp = 1;
	}
	if (m.null || !row->has_compare)
		return -2;
	sign = fabs(m.v) < 0.0005 ? 0 : m.v > 0 ? 1 : -1;
	*good = s->lower_better ? sign < 0 : sign > 0;
	kpi_fmt_change(b, m.v, pp);
	return sign;
}

size_t
render_width(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

struct dims_text {
	struct kpi_buf *b;
	const char *sep;
	int n;
};

static void
dims_text_one(void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
	struct dims_text *t = arg;

	if (t->n++)
		kpi_buf_adds(t->b, t->sep);
	kpi_buf_add(t->b, k, kn);
	kpi_buf_addc(t->b, '=');
	kpi_buf_add(t->b, v, vn);
}

void
kpi_dims_text(struct kpi_buf *b, const char *dims, const char *sep)
{
	struct dims_text t = { b, sep, 0 };

	kpi_dims_each(dims, dims_text_one, &t);
}

void
kpi_dims_each(const char *dims, void (*fn)(void *arg, const char *k,
    size_t kn, const char *v, size_t vn), void *arg)
{
	struct kpi_rec rec;
	struct kpi_err err;
	size_t i;
	const struct kpi_val *v;

	if (dims == NULL || strcmp(dims, "{}") == 0)
		return;
	kpi_rec_init(&rec);
	if (kpi_json_parse_object(&rec, dims, strlen(dims), 0, &err) == 0)
		for (i = 0; i < rec.n; i++) {
			v = &rec.f[i].v;
			if (v->type == KPI_NULL)
				fn(arg, rec.f[i].key, rec.f[i].klen, "", 0);
			else
				fn(arg, rec.f[i].key, rec.f[i].klen, v->s,
				    v->s ? v->len : 0);
		}
	kpi_rec_release(&rec);
}
