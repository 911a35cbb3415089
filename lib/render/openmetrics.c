/*
 * openmetrics.c - the Prometheus text exposition, for node_exporter's
 * textfile collector: a gauge family kpi_<name> per KPI with a sample per
 * series (its dims as labels), the latest period by default or every
 * period kept with --all-periods (then a "period" label tells them apart:
 * a sample twice would be refused), and the goals' targets and statuses
 * as families of their own.  No timestamps: the collector refuses them.
 * It ends with "# EOF", which OpenMetrics parsers need and the Prometheus
 * text parsers read as a comment.  A null value has no sample.
 */
#include <stdlib.h>
#include <string.h>

#include "render/room.h"

struct labels {
	struct kpi_buf *b;
	int n;
	int ours;		/* the labels after the dims: period, goal... */
};

/* Whether a dim named k[0..n) would take the name of one of our labels. */
static int
taken(const char *k, size_t n)
{
	return (n == 6 && (memcmp(k, "period", 6) == 0 ||
	    memcmp(k, "status", 6) == 0)) || (n == 4 && memcmp(k, "goal", 4) == 0);
}

static void
label(void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
	struct labels *l = arg;

	if (l->n++)
		kpi_buf_addc(l->b, ',');
	/* A label name may not begin with a digit, nor with "__", nor be
	   one of ours: a label twice is refused. */
	if (kn == 0 || (k[0] >= '0' && k[0] <= '9') ||
	    (kn > 1 && k[0] == '_' && k[1] == '_') || (!l->ours && taken(k, kn)))
		kpi_buf_adds(l->b, "dim_");
	kpi_prom_name(l->b, k, kn);
	kpi_buf_adds(l->b, "=\"");
	kpi_esc_prom(l->b, v, vn);
	kpi_buf_addc(l->b, '"');
}

/* name{dims,period,extra} value */
static void
sample(struct kpi_render *r, const char *name, const char *suffix,
    const struct kpi_series *s, const struct kpi_rrow *row,
    const struct kpi_reval *e, double v)
{
	struct labels l = { &r->b, 0, 0 };

	kpi_buf_adds(&r->b, "kpi_");
	kpi_prom_name(&r->b, name, strlen(name));
	kpi_buf_adds(&r->b, suffix);
	kpi_buf_addc(&r->b, '{');
	kpi_dims_each(s->dims, label, &l);
	l.ours = 1;
	if (r->opts.all_periods)
		label(&l, "period", 6, row->period, strlen(row->period));
	if (e) {
		label(&l, "goal", 4, e->goal, strlen(e->goal));
		if (*suffix == '_' && strcmp(suffix, "_status") == 0)
			label(&l, "status", 6, kpi_goal_status_name(e->status),
			    strlen(kpi_goal_status_name(e->status)));
	}
	if (l.n == 0)
		r->b.len--;	/* no labels: no braces */
	else
		kpi_buf_addc(&r->b, '}');
	kpi_buf_addc(&r->b, ' ');
	kpi_json_put_num(&r->b, v);
	kpi_buf_addc(&r->b, '\n');
}

static void
family(struct kpi_render *r, const struct kpi_series *s, const char *suffix,
    const char *help)
{
	size_t i;

	kpi_buf_adds(&r->b, "# HELP kpi_");
	kpi_prom_name(&r->b, s->metric, strlen(s->metric));
	kpi_buf_adds(&r->b, suffix);
	kpi_buf_addc(&r->b, ' ');
	for (i = 0; help[i]; i++)
		if (help[i] == '\\')
			kpi_buf_adds(&r->b, "\\\\");
		else if (help[i] == '\n')
			kpi_buf_adds(&r->b, "\\n");
		else if (help[i] == '"')
			kpi_buf_addc(&r->b, '\'');
		else
			kpi_buf_addc(&r->b, help[i]);
	kpi_buf_adds(&r->b, "\n# TYPE kpi_");
	kpi_prom_name(&r->b, s->metric, strlen(s->metric));
	kpi_buf_adds(&r->b, suffix);
	kpi_buf_adds(&r->b, " gauge\n");
}

/* The rows of s shown: the latest, or every one with --all-periods. */
static size_t
first_row(const struct kpi_render *r, const struct kpi_series *s)
{
	return r->opts.all_periods ? 0 : s->nrows - 1;
}

/* One family over the series [from, to) of one metric. */
static void
values(struct kpi_render *r, size_t from, size_t to)
{
	const struct kpi_series *s;
	const struct kpi_rrow *row;
	struct kpi_buf help;
	size_t i, j;

	kpi_buf_init(&help);
	s = r->series[from];
	kpi_buf_addf(&help, "%s", s->description ? s->description : s->metric);
	if (s->unit)
		kpi_buf_addf(&help, " (%s)", s->unit);
	family(r, s, "", help.p);
	kpi_buf_release(&help);
	for (i = from; i < to; i++) {
		s = r->series[i];
		for (j = first_row(r, s); j < s->nrows; j++) {
			row = &s->rows[j];
			if (!row->value.null)
				sample(r, s->metric, "", s, row, NULL,
				    row->value.v);
		}
	}
}

/* The target (status: 1) of every goal of the series [from, to). */
static void
goals(struct kpi_render *r, size_t from, size_t to, int status)
{
	const struct kpi_series *s;
	const struct kpi_rrow *row;
	const struct kpi_reval *e;
	size_t i, j, k;
	int head = 0;

	for (i = from; i < to; i++) {
		s = r->series[i];
		for (j = first_row(r, s); j < s->nrows; j++) {
			row = &s->rows[j];
			for (k = 0; k < row->nev; k++) {
				e = &row->ev[k];
				if (!status && e->target.null)
					continue;
				if (!head++)
					family(r, s, status ? "_status" :
					    "_target", status ? "goal status "
					    "(1 for the status of the label)" :
					    "goal target");
				sample(r, s->metric, status ? "_status" :
				    "_target", s, row, e, status ? 1 :
				    e->target.v);
			}
		}
	}
}

static void
end_openmetrics(struct kpi_render *r)
{
	size_t i, j;

	if (r->nseries == 0)
		kpi_buf_adds(&r->b, "# no KPIs in the input\n");
	/* A family's samples must be together: series of one metric are
	   taken together, in the order of the first of them. */
	for (i = 0; i < r->nseries; i = j) {
		for (j = i + 1; j < r->nseries &&
		    strcmp(r->series[j]->metric, r->series[i]->metric) == 0;
		    j++)
			;
		values(r, i, j);
		goals(r, i, j, 0);
		goals(r, i, j, 1);
		if (render_send(r) < 0)
			return;
	}
	kpi_buf_adds(&r->b, "# EOF\n");
}

struct ranked {
	struct kpi_series *s;
	size_t rank;		/* the order of its metric's first series */
};

static int
by_name(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->s->metric, y->s->metric);

	return c ? c : x->s->order < y->s->order ? -1 : 1;
}

static int
by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->s->order < y->s->order ? -1 : x->s->order > y->s->order;
}

/* Puts the series of one metric together, keeping the report order of
   metrics (by their first series) and of series within one. */
static void
group_metrics(struct kpi_render *r)
{
	struct ranked *v;
	size_t i, first = 0;

	if (r->nseries < 2)
		return;
	v = kpi_xmalloc(r->nseries * sizeof(*v));
	for (i = 0; i < r->nseries; i++)
		v[i].s = r->series[i];
	qsort(v, r->nseries, sizeof(*v), by_name);
	for (i = 0; i < r->nseries; i++) {
		if (i == 0 || strcmp(v[i].s->metric, v[i - 1].s->metric) != 0)
			first = i;
		v[i].rank = v[first].s->order;
	}
	qsort(v, r->nseries, sizeof(*v), by_rank);
	for (i = 0; i < r->nseries; i++)
		r->series[i] = v[i].s;
	free(v);
}

static void
end_grouped(struct kpi_render *r)
{
	group_metrics(r);
	end_openmetrics(r);
}

const struct render_ops kpi_render_openmetrics = {
	"openmetrics", 0, NULL, NULL, end_grouped, NULL
};
