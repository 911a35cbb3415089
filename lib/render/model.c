/*
 * model.c - the report: points and evaluations as they stream in, kept as
 * series (one metric over one combination of dims) of periods, oldest
 * first, and handed to the format's operations.
 *
 * A format that streams (csv, tsv) gets each record as one row of a
 * series of its own and nothing is kept.  The others get the model at the
 * end; it holds at most --last periods per series, so its size is bounded
 * by the number of series, not by the length of the input.  A point and
 * the evaluations of the same period share one row, whichever comes
 * first: kpi-render reads points and evaluations mixed or not.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/room.h"

static const struct render_ops *const formats[] = {
	&kpi_render_table, &kpi_render_markdown, &kpi_render_csv,
	&kpi_render_tsv, &kpi_render_html, &kpi_render_junit,
	&kpi_render_openmetrics, &kpi_render_json
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const char *
kpi_render_formats(void)
{
	return "table, markdown, csv, tsv, html, junit, openmetrics, json";
}

int
kpi_render_known(const char *name)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return 1;
	return 0;
}

struct kpi_render *
kpi_render_new(const struct kpi_render_opts *opts, struct kpi_out *o,
    struct kpi_err *err)
{
	struct kpi_render *r;
	const char *p, *q;
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i]->name, opts->format) == 0)
			break;
	if (i == NFORMATS) {
		kpi_err_set(err, NULL, 0, 0, "unknown format '%s'",
		    opts->format);
		return NULL;
	}
	r = kpi_xmalloc(sizeof(*r));
	memset(r, 0, sizeof(*r));
	r->opts = *opts;
	r->ops = formats[i];
	r->o = o;
	kpi_buf_init(&r->b);
	kpi_rec_init(&r->scratch);
	for (p = opts->metrics; p && *p; p = *q ? q + 1 : q) {
		q = p + strcspn(p, ",");
		if (q == p)
			continue;
		r->want = kpi_xrealloc(r->want, (r->nwant + 1) *
		    sizeof(*r->want));
		r->want[r->nwant++] = kpi_xmemdup(p, (size_t)(q - p));
	}
	if (r->ops->begin)
		r->ops->begin(r);
	return r;
}

static void
eval_release(struct kpi_reval *e)
{
	free(e->goal);
	free(e->kind);
	free(e->deadline);
	free(e->projection);
}

static void
row_release(struct kpi_rrow *row)
{
	size_t i;

	free(row->period);
	for (i = 0; i < row->nev; i++)
		eval_release(&row->ev[i]);
	free(row->ev);
}

static void
series_free(struct kpi_series *s)
{
	size_t i;

	for (i = 0; i < s->nrows; i++)
		row_release(&s->rows[i]);
	free(s->rows);
	free(s->metric);
	free(s->dims);
	free(s->unit);
	free(s->group);
	free(s->description);
	free(s);
}

void
kpi_render_free(struct kpi_render *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->ops->free)
		r->ops->free(r);
	for (i = 0; i < r->nseries; i++)
		series_free(r->series[i]);
	for (i = 0; i < r->nwant; i++)
		free(r->want[i]);
	free(r->want);
	free(r->series);
	free(r->slot);
	kpi_buf_release(&r->b);
	kpi_rec_release(&r->scratch);
	free(r);
}

/* Sends what is written to o; -2 when that fails. */
static int
send(struct kpi_render *r, int force)
{
	if (r->o->err_no)
		return -2;
	int rc = 0;

	if (r->b.len > 0 && (force || r->b.len >= 65536)) {
		rc = kpi_out_write(r->o, r->b.p, r->b.len) < 0 ? -2 : 0;
		kpi_buf_reset(&r->b);
	}
	return rc;
}

/* A copy of s[0..n), NUL added; NULL for NULL. */
static char *
dup(const char *s, size_t n)
{
	return s ? kpi_xmemdup(s, n) : NULL;
}

static const struct kpi_field *
field(const struct kpi_rec *rec, const char *key)
{
	return kpi_rec_find(rec, key, strlen(key));
}

static char *
str_field(const struct kpi_rec *rec, const char *key)
{
	const struct kpi_field *f = field(rec, key);

	return f && f->v.type == KPI_STR ? dup(f->v.s, f->v.len) : NULL;
}

static struct kpi_maybe
num_field(const struct kpi_rec *rec, const char *key)
{
	const struct kpi_field *f = field(rec, key);
	struct kpi_maybe m = { 0, 1 };

	if (f && f->v.type == KPI_NUM && isfinite(f->v.num)) {
		m.v = f->v.num;
		m.null = 0;
	}
	return m;
}

/*
 * The goal fields of kpi(7) Evaluation into e: 1 when rec is an
 * evaluation, 0 when it is a plain point, -1 with err set when its status
 * is not one kpi(7) names.
 */
static int
read_eval(struct kpi_render *r, const struct kpi_rec *rec,
    struct kpi_reval *e, struct kpi_err *err)
{
	const struct kpi_field *f = field(rec, "status");
	struct kpi_err gerr;

	memset(e, 0, sizeof(*e));
	if (f == NULL)
		return 0;
	if (f->v.type != KPI_STR ||
	    kpi_goal_status_parse(f->v.s, f->v.len, &e->status) < 0)
		return kpi_err_set(err, NULL, 0, 0, "bad evaluation: "
		    "unknown 'status'");
	f = field(rec, "goal");
	if (f && f->v.type == KPI_RAW && kpi_json_parse_object(&r->scratch,
	    f->v.s, f->v.len, 0, &gerr) == 0) {
		e->goal = str_field(&r->scratch, "name");
		e->kind = str_field(&r->scratch, "kind");
		e->deadline = str_field(&r->scratch, "deadline");
		if (field(rec, "low") == NULL)
			e->low = num_field(&r->scratch, "low");
		if (field(rec, "high") == NULL)
			e->high = num_field(&r->scratch, "high");
	} else if (f && f->v.type == KPI_STR)
		e->goal = dup(f->v.s, f->v.len);
	if (e->goal == NULL)
		e->goal = kpi_xstrdup("goal");
	e->target = num_field(rec, "target");
	e->gap = num_field(rec, "gap");
	e->progress = num_field(rec, "progress");
	e->expected = num_field(rec, "expected");
	e->projected = num_field(rec, "projected");
	e->projection = str_field(rec, "projection");
	e->score = num_field(rec, "score");
	e->baseline = num_field(rec, "baseline");
	if (field(rec, "low"))
		e->low = num_field(rec, "low");
	if (field(rec, "high"))
		e->high = num_field(rec, "high");
	return 1;
}

/* The series' metadata: the catalogue wins over the point's own keys. */
static void
fill_meta(struct kpi_render *r, struct kpi_series *s,
    const struct kpi_point *p)
{
	struct kpi_metric_info info;
	long i = r->opts.defs ? kpi_defs_find(r->opts.defs, p->metric,
	    p->mlen) : -1;

	if (i < 0) {
		s->unit = dup(p->unit, p->ulen);
		s->format = p->format;
		s->lower_better = p->lower_better;
		return;
	}
	kpi_defs_info(r->opts.defs, (size_t)i, &info);
	s->unit = info.unit ? kpi_xstrdup(info.unit) : NULL;
	s->group = info.group ? kpi_xstrdup(info.group) : NULL;
	s->description = info.description ?
	    kpi_xstrdup(info.description) : NULL;
	s->format = info.format;
	s->lower_better = info.lower_better;
}

static void
fill_row(struct kpi_rrow *row, const struct kpi_point *p)
{
	row->period = dup(p->period, p->plen);
	row->start = p->start;
	row->end = p->end;
	row->has_range = p->has_range;
	row->value = p->value;
	row->prev = p->prev;
	row->change = p->change;
	row->pct_change = p->pct_change;
	row->pp_change = p->pp_change;
	row->has_compare = p->has_compare;
	row->has_pp = p->has_pp;
}

/* The position of metric m in --metrics, nwant when not there, -1 when
   --metrics leaves it out. */
static long
wanted(const struct kpi_render *r, const char *m, size_t n)
{
	size_t i;

	if (r->nwant == 0)
		return 0;
	for (i = 0; i < r->nwant; i++)
		if (strlen(r->want[i]) == n && memcmp(r->want[i], m, n) == 0)
			return (long)i;
	return -1;
}

static uint64_t
series_hash(const char *m, size_t mn, const char *d, size_t dn)
{
	return kpi_hash(kpi_hash(0, m, mn), d, dn);
}

static void
rehash(struct kpi_render *r)
{
	size_t i, j, n = r->nslot ? r->nslot * 2 : 64;
	struct kpi_series *s;

	free(r->slot);
	r->slot = kpi_xmalloc(n * sizeof(*r->slot));
	memset(r->slot, 0, n * sizeof(*r->slot));
	r->nslot = n;
	for (i = 0; i < r->nseries; i++) {
		s = r->series[i];
		j = series_hash(s->metric, strlen(s->metric), s->dims,
		    strlen(s->dims)) & (n - 1);
		while (r->slot[j])
			j = (j + 1) & (n - 1);
		r->slot[j] = i + 1;
	}
}

/* The series of p, made when new. */
static struct kpi_series *
series_of(struct kpi_render *r, const struct kpi_point *p, long pos)
{
	size_t j;
	struct kpi_series *s;

	if (r->nseries * 2 >= r->nslot)
		rehash(r);
	j = series_hash(p->metric, p->mlen, p->dims, p->dlen) &
	    (r->nslot - 1);
	for (; r->slot[j]; j = (j + 1) & (r->nslot - 1)) {
		s = r->series[r->slot[j] - 1];
		if (strlen(s->metric) == p->mlen && strlen(s->dims) ==
		    p->dlen && memcmp(s->metric, p->metric, p->mlen) == 0 &&
		    memcmp(s->dims, p->dims, p->dlen) == 0)
			return s;
	}
	s = kpi_xmalloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->metric = dup(p->metric, p->mlen);
	s->dims = dup(p->dims, p->dlen);
	fill_meta(r, s, p);
	s->order = (size_t)pos * ((size_t)1 << 40) + r->nseries;
	if (r->nseries == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->series = kpi_xrealloc(r->series, r->cap *
		    sizeof(*r->series));
	}
	r->series[r->nseries++] = s;
	r->slot[j] = r->nseries;
	return s;
}

static long long
row_key(const struct kpi_rrow *row)
{
	return row->has_range ? row->start.t : LLONG_MIN;
}

/*
 * The row of s for p's period: the one there, or a new one in start
 * order.  NULL when s is full and the period is older than all it keeps.
 */
static struct kpi_rrow *
row_of(struct kpi_render *r, struct kpi_series *s, const struct kpi_point *p)
{
	struct kpi_rrow tmp, *row;
	long long key = p->has_range ? p->start.t : LLONG_MIN;
	size_t i, last = r->opts.last ? r->opts.last : 1;

	for (i = s->nrows; i > 0; i--) {
		row = &s->rows[i - 1];
		if (strlen(row->period) == p->plen &&
		    memcmp(row->period, p->period, p->plen) == 0)
			return row;
		if (row_key(row) < key)
			break;
	}
	if (s->nrows == last) {
		if (i == 0)
			return NULL;
		row_release(&s->rows[0]);
		memmove(s->rows, s->rows + 1, (s->nrows - 1) *
		    sizeof(*s->rows));
		s->nrows--;
		i--;
	}
	if (s->nrows == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1;
		s->rows = kpi_xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	memmove(s->rows + i + 1, s->rows + i, (s->nrows - i) *
	    sizeof(*s->rows));
	s->nrows++;
	memset(&tmp, 0, sizeof(tmp));
	fill_row(&tmp, p);
	s->rows[i] = tmp;
	return &s->rows[i];
}

static void
add_eval(struct kpi_rrow *row, struct kpi_reval *e)
{
	size_t i;

	for (i = 0; i < row->nev; i++)
		if (strcmp(row->ev[i].goal, e->goal) == 0) {
			eval_release(&row->ev[i]);
			row->ev[i] = *e;
			return;
		}
	row->ev = kpi_xrealloc(row->ev, (row->nev + 1) * sizeof(*row->ev));
	row->ev[row->nev++] = *e;
}

/* A streaming format's row: a series of its own, dropped after the call. */
static int
stream_one(struct kpi_render *r, const struct kpi_point *p,
    struct kpi_reval *e, int is_eval, struct kpi_err *err)
{
	struct kpi_series s;
	struct kpi_rrow row;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&row, 0, sizeof(row));
	s.metric = dup(p->metric, p->mlen);
	s.dims = dup(p->dims, p->dlen);
	fill_meta(r, &s, p);
	fill_row(&row, p);
	if (is_eval) {
		row.ev = e;
		row.nev = 1;
	}
	s.rows = &row;
	s.nrows = 1;
	rc = r->ops->row(r, &s, &row, err);
	row.ev = NULL;
	row.nev = 0;
	row_release(&row);
	if (is_eval)
		eval_release(e);
	s.rows = NULL;
	s.nrows = 0;
	free(s.metric);
	free(s.dims);
	free(s.unit);
	free(s.group);
	free(s.description);
	return rc;
}

int
kpi_render_add(struct kpi_render *r, const struct kpi_rec *rec,
    struct kpi_err *err)
{
	struct kpi_point p;
	struct kpi_reval e;
	struct kpi_rrow *row;
	struct kpi_series *s;
	long pos;
	int is_eval;

	if (kpi_point_read(&p, rec, err) < 0 ||
	    (is_eval = read_eval(r, rec, &e, err)) < 0)
		return -1;
	r->nrec++;
	if ((pos = wanted(r, p.metric, p.mlen)) < 0) {
		if (is_eval)
			eval_release(&e);
		return 0;
	}
	if (r->ops->stream) {
		if (stream_one(r, &p, &e, is_eval, err) < 0)
			return send(r, 0) < 0 ? -2 : -1;
		return send(r, 0);
	}
	s = series_of(r, &p, pos);
	if ((row = row_of(r, s, &p)) == NULL) {
		if (is_eval)
			eval_release(&e);
		return 0;
	}
	if (!p.value.null || row->value.null) {
		row->value = p.value;
		if (p.has_compare) {
			row->has_compare = 1;
			row->prev = p.prev;
			row->change = p.change;
			row->pct_change = p.pct_change;
		}
		if (p.has_pp) {
			row->has_pp = 1;
			row->pp_change = p.pp_change;
		}
	}
	if (is_eval)
		add_eval(row, &e);
	return 0;
}

static int
by_order(const void *a, const void *b)
{
	const struct kpi_series *x = *(struct kpi_series *const *)a;
	const struct kpi_series *y = *(struct kpi_series *const *)b;

	return x->order < y->order ? -1 : x->order > y->order;
}

int
kpi_render_finish(struct kpi_render *r)
{
	if (r->nseries > 1)
		qsort(r->series, r->nseries, sizeof(*r->series), by_order);
	if (r->ops->end)
		r->ops->end(r);
	return send(r, 1);
}

int
render_send(struct kpi_render *r)
{
	return send(r, 0);
}

size_t
kpi_render_records(const struct kpi_render *r)
{
	return r->nrec;
}

const struct kpi_rrow *
kpi_series_latest(const struct kpi_series *s)
{
	return s->nrows ? &s->rows[s->nrows - 1] : NULL;
}

const struct kpi_reval *
render_eval(const struct kpi_rrow *row)
{
	return row && row->nev ? &row->ev[0] : NULL;
}

const struct kpi_rrow *
render_latest_eval(const struct kpi_series *s)
{
	size_t i;

	for (i = s->nrows; i > 0; i--)
		if (s->rows[i - 1].nev)
			return &s->rows[i - 1];
	return NULL;
}

int
render_has_goals(const struct kpi_render *r)
{
	size_t i;

	for (i = 0; i < r->nseries; i++)
		if (render_latest_eval(r->series[i]))
			return 1;
	return 0;
}

const char *
render_title(const struct kpi_render *r)
{
	return r->opts.title ? r->opts.title : "KPI report";
}
