/*
 * csv.c - csv and tsv: one line per point or evaluation, every field, the
 * dims flattened into columns, numbers as kpi(7) writes them (for
 * spreadsheets to compute with, not formatted), fields quoted as RFC 4180
 * says (the tab-separated form too).
 *
 * It streams.  The dims columns are those of the first record that has
 * dims; records without dims before it (the --total rows kpi-aggregate
 * writes first) wait for it.  A later record with a dim the header lacks
 * is refused with a message rather than shown without it.
 */
#include <stdlib.h>
#include <string.h>

#include "render/room.h"

struct csv {
	int sep;
	int header;		/* written */
	char **keys;		/* the dims columns */
	size_t nkeys;
	char **held;		/* lines without dims, before the header */
	size_t *split;		/* where their dims cells go */
	size_t nheld;
	char **vals;		/* one row's dims, by column; owned */
	int unknown;		/* a dim not in the header */
};

static const char *const head[] = { "metric", "period", "start", "end" };
static const char *const tail[] = { "value", "prev", "change",
	"pct_change", "pp_change", "unit", "format", "direction", "goal",
	"kind", "deadline", "status", "target", "gap", "progress", "expected",
	"projected", "projection", "score", "baseline", "low", "high" };

static void
begin_csv(struct kpi_render *r, int sep)
{
	struct csv *c = kpi_xmalloc(sizeof(*c));

	memset(c, 0, sizeof(*c));
	c->sep = sep;
	r->fmt = c;
}

static void begin_comma(struct kpi_render *r) { begin_csv(r, ','); }
static void begin_tab(struct kpi_render *r) { begin_csv(r, '\t'); }

static void
cell(struct kpi_buf *b, struct csv *c, const char *s, size_t n, int first)
{
	if (!first)
		kpi_buf_addc(b, c->sep);
	kpi_esc_csv(b, s ? s : "", s ? n : 0, c->sep);
}

static void
cells(struct kpi_buf *b, struct csv *c, const char *const *names, size_t n,
    int first)
{
	size_t i;

	for (i = 0; i < n; i++)
		cell(b, c, names[i], strlen(names[i]), first && i == 0);
}

static void
num(struct kpi_buf *b, struct csv *c, struct kpi_maybe m)
{
	kpi_buf_addc(b, c->sep);
	if (!m.null)
		kpi_json_put_num(b, m.v);
}

static void
str(struct kpi_buf *b, struct csv *c, const char *s)
{
	cell(b, c, s, s ? strlen(s) : 0, 0);
}

static void
time_cell(struct kpi_buf *b, struct csv *c, int has, const struct kpi_time *t)
{
	kpi_buf_addc(b, c->sep);
	if (has)
		kpi_time_put(b, t);
}

static void
write_header(struct kpi_render *r, struct csv *c)
{
	size_t i, j;

	cells(&r->b, c, head, sizeof(head) / sizeof(head[0]), 1);
	for (i = 0; i < c->nkeys; i++)
		str(&r->b, c, c->keys[i]);
	cells(&r->b, c, tail, sizeof(tail) / sizeof(tail[0]), 0);
	kpi_buf_addc(&r->b, '\n');
	for (i = 0; i < c->nheld; i++) {
		kpi_buf_add(&r->b, c->held[i], c->split[i]);
		for (j = 0; j < c->nkeys; j++)
			kpi_buf_addc(&r->b, c->sep);
		kpi_buf_adds(&r->b, c->held[i] + c->split[i]);
		free(c->held[i]);
	}
	free(c->held);
	free(c->split);
	c->held = NULL;
	c->split = NULL;
	c->nheld = 0;
	c->header = 1;
}

static void
add_key(void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
	struct csv *c = arg;

	(void)v;
	(void)vn;
	c->keys = kpi_xrealloc(c->keys, (c->nkeys + 1) * sizeof(*c->keys));
	c->keys[c->nkeys++] = kpi_xmemdup(k, kn);
}

static void
set_val(void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
	struct csv *c = arg;
	size_t i;

	for (i = 0; i < c->nkeys; i++)
		if (strlen(c->keys[i]) == kn && memcmp(c->keys[i], k, kn) == 0) {
			free(c->vals[i]);
			c->vals[i] = kpi_xmemdup(v, vn);
			return;
		}
	c->unknown = 1;
}

/* The point's fields, then the evaluation's. */
static void
write_rest(struct kpi_buf *b, struct csv *c, const struct kpi_series *s,
    const struct kpi_rrow *row)
{
	const struct kpi_reval *e = render_eval(row);
	static const struct kpi_reval none = { NULL, NULL, NULL,
	    KPI_ST_MET, { 0, 1 }, { 0, 1 }, { 0, 1 }, { 0, 1 }, { 0, 1 },
	    { 0, 1 }, { 0, 1 }, { 0, 1 }, { 0, 1 }, NULL };

	num(b, c, row->value);
	num(b, c, row->prev);
	num(b, c, row->change);
	num(b, c, row->pct_change);
	num(b, c, row->pp_change);
	str(b, c, s->unit);
	str(b, c, kpi_mformat_name(s->format));
	str(b, c, s->lower_better ? "lower" : "higher");
	if (e == NULL)
		e = &none;
	str(b, c, e->goal);
	str(b, c, e->kind);
	str(b, c, e->deadline);
	str(b, c, e == &none ? NULL : kpi_goal_status_name(e->status));
	num(b, c, e->target);
	num(b, c, e->gap);
	num(b, c, e->progress);
	num(b, c, e->expected);
	num(b, c, e->projected);
	str(b, c, e->projection);
	num(b, c, e->score);
	num(b, c, e->baseline);
	num(b, c, e->low);
	num(b, c, e->high);
	kpi_buf_addc(b, '\n');
}

static int
row_csv(struct kpi_render *r, const struct kpi_series *s,
    const struct kpi_rrow *row, struct kpi_err *err)
{
	struct csv *c = r->fmt;
	struct kpi_buf line;
	size_t i, split;
	int dimless = strcmp(s->dims, "{}") == 0;

	if (!c->header && !dimless) {
		kpi_dims_each(s->dims, add_key, c);
		c->vals = kpi_xmalloc((c->nkeys + 1) * sizeof(*c->vals));
		memset(c->vals, 0, (c->nkeys + 1) * sizeof(*c->vals));
		write_header(r, c);
	}
	for (i = 0; i < c->nkeys; i++) {
		free(c->vals[i]);
		c->vals[i] = NULL;
	}
	c->unknown = 0;
	kpi_dims_each(s->dims, set_val, c);
	if (c->unknown)
		return kpi_err_set(err, NULL, 0, 0, "dims %s do not fit the "
		    "columns of the first", s->dims);
	kpi_buf_init(&line);
	cell(&line, c, s->metric, strlen(s->metric), 1);
	str(&line, c, row->period);
	time_cell(&line, c, row->has_range, &row->start);
	time_cell(&line, c, row->has_range, &row->end);
	split = line.len;
	for (i = 0; i < c->nkeys; i++)
		str(&line, c, c->vals[i]);
	write_rest(&line, c, s, row);
	if (c->header)
		kpi_buf_add(&r->b, line.p, line.len);
	else {
		c->held = kpi_xrealloc(c->held, (c->nheld + 1) *
		    sizeof(*c->held));
		c->split = kpi_xrealloc(c->split, (c->nheld + 1) *
		    sizeof(*c->split));
		c->split[c->nheld] = split;
		c->held[c->nheld++] = kpi_xstrdup(line.p);
	}
	kpi_buf_release(&line);
	return 0;
}

/* No record had dims: the header has no dims columns; or no record at
   all: the header alone says what the columns would be. */
static void
end_csv(struct kpi_render *r)
{
	struct csv *c = r->fmt;

	if (!c->header)
		write_header(r, c);
}

static void
free_csv(struct kpi_render *r)
{
	struct csv *c = r->fmt;
	size_t i;

	for (i = 0; i < c->nkeys; i++) {
		free(c->keys[i]);
		if (c->vals)
			free(c->vals[i]);
	}
	for (i = 0; i < c->nheld; i++)
		free(c->held[i]);
	free(c->held);
	free(c->split);
	free(c->keys);
	free(c->vals);
	free(c);
}

const struct render_ops kpi_render_csv = {
	"csv", 1, begin_comma, row_csv, end_csv, free_csv
};

const struct render_ops kpi_render_tsv = {
	"tsv", 1, begin_tab, row_csv, end_csv, free_csv
};
