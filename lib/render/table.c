/*
 * table.c - the terminal report: one line per series, its latest period,
 * in aligned columns KPI, dims, period, value, target, status, change and
 * trend (a sparkline of the periods kept), fitted to opts.width columns by
 * cutting the widest text columns.  Colour, when asked for, marks the
 * status and whether the change goes the KPI's way: a falling CPC is good.
 */
#include <stdlib.h>
#include <string.h>

#include "render/room.h"

enum { C_KPI, C_DIMS, C_PERIOD, C_VALUE, C_TARGET, C_STATUS, C_CHANGE,
	C_TREND, NCOLS };

static const char *const titles[NCOLS] = { "KPI", "DIMS", "PERIOD", "VALUE",
	"TARGET", "STATUS", "CHANGE", "TREND" };
static const int right[NCOLS] = { 0, 0, 0, 1, 1, 0, 1, 0 };

struct line {
	char *cell[NCOLS];
	const char *color[NCOLS];	/* ANSI SGR for the cell, or NULL */
};

static const char *const words[] = { "met", "on track", "at risk",
	"off track", "missed", "no data", "too little history" };

const char *
render_status_words(enum kpi_goal_status st)
{
	return words[st];
}

static const char *
status_color(enum kpi_goal_status st)
{
	switch (st) {
	case KPI_ST_MET:
	case KPI_ST_ON_TRACK:
		return "32";
	case KPI_ST_AT_RISK:
		return "33";
	case KPI_ST_OFF_TRACK:
	case KPI_ST_MISSED:
		return "31";
	default:
		return "2";
	}
}

void
render_target(struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_reval *e)
{
	if (e->target.null && !e->low.null && !e->high.null) {
		render_value(b, s, e->low);
		kpi_buf_adds(b, "–");
		render_value(b, s, e->high);
	} else if (!e->target.null)
		render_value(b, s, e->target);
}

void
render_spark(struct kpi_buf *b, const struct kpi_series *s)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇",
		"█" };
	double lo = 0, hi = 0;
	size_t i;
	int seen = 0, k;

	for (i = 0; i < s->nrows; i++) {
		if (s->rows[i].value.null)
			continue;
		if (!seen || s->rows[i].value.v < lo)
			lo = s->rows[i].value.v;
		if (!seen || s->rows[i].value.v > hi)
			hi = s->rows[i].value.v;
		seen = 1;
	}
	if (s->nrows < 2)
		return;
	for (i = 0; i < s->nrows; i++) {
		if (s->rows[i].value.null) {
			kpi_buf_addc(b, ' ');
			continue;
		}
		k = hi > lo ? (int)((s->rows[i].value.v - lo) / (hi - lo) * 7 +
		    0.5) : 3;
		kpi_buf_adds(b, bars[k]);
	}
}

static void
dim_value(void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
	struct kpi_buf *b = arg;

	(void)k;
	(void)kn;
	if (b->len)
		kpi_buf_addc(b, '/');
	kpi_buf_add(b, v, vn);
}

static char *
take(struct kpi_buf *b)
{
	char *s = kpi_xstrdup(b->p ? b->p : "");

	kpi_buf_reset(b);
	return s;
}

static void
fill_line(struct line *l, const struct kpi_series *s)
{
	const struct kpi_rrow *row = kpi_series_latest(s);
	const struct kpi_reval *e = render_eval(row);
	struct kpi_buf b;
	int good = 0, sign;

	kpi_buf_init(&b);
	memset(l, 0, sizeof(*l));
	l->cell[C_KPI] = kpi_xstrdup(s->metric);
	/* The values alone, "email/GB": the keys would crowd 80 columns. */
	kpi_dims_each(s->dims, dim_value, &b);
	l->cell[C_DIMS] = take(&b);
	l->cell[C_PERIOD] = kpi_xstrdup(row->period);
	render_value(&b, s, row->value);
	l->cell[C_VALUE] = take(&b);
	if (e)
		render_target(&b, s, e);
	l->cell[C_TARGET] = take(&b);
	l->cell[C_STATUS] = kpi_xstrdup(e ? words[e->status] : "");
	l->color[C_STATUS] = e ? status_color(e->status) : NULL;
	if ((sign = render_change(&b, s, row, &good)) != -2) {
		l->cell[C_CHANGE] = kpi_xmalloc(b.len + 8);
		strcpy(l->cell[C_CHANGE], sign > 0 ? "▲ " : sign < 0 ? "▼ " :
		    "= ");
		strcat(l->cell[C_CHANGE], b.p);
		kpi_buf_reset(&b);
		l->color[C_CHANGE] = sign == 0 ? NULL : good ? "32" : "31";
	} else
		l->cell[C_CHANGE] = kpi_xstrdup("");
	render_spark(&b, s);
	l->cell[C_TREND] = take(&b);
	kpi_buf_release(&b);
}

static size_t
total_width(const size_t *w)
{
	size_t total = 0, i, shown = 0;

	for (i = 0; i < NCOLS; i++)
		if (w[i]) {
			total += w[i];
			shown++;
		}
	return total + 2 * (shown - 1);
}

static void
shrink(size_t *w, size_t width, int col, size_t min)
{
	while (total_width(w) > width && w[col] > min)
		w[col]--;
}

/*
 * Fits the line to width, cutting what matters least first: dims to 8
 * columns, the trend to its last 5 periods, the KPI to 10, then the trend
 * goes, then dims to 5 and the KPI to 6.  Periods, numbers and statuses
 * are never cut.
 */
static void
fit(size_t *w, size_t width)
{
	shrink(w, width, C_DIMS, 8);
	shrink(w, width, C_TREND, 5);
	shrink(w, width, C_KPI, 10);
	if (total_width(w) > width)
		w[C_TREND] = 0;
	shrink(w, width, C_DIMS, 5);
	shrink(w, width, C_KPI, 6);
}

/* Appends s cut to w columns (an ellipsis marks the cut), padded. */
static void
put_cell(struct kpi_buf *b, const char *s, size_t w, int right_align,
    const char *color, int last, int trend)
{
	size_t n = strlen(s), sw = render_width(s, n), i, cut;

	if (sw > w && trend) {
		/* The latest periods are the ones to keep. */
		for (cut = sw; cut > w; cut--)
			while (((unsigned char)*++s & 0xC0) == 0x80)
				;
		n = strlen(s);
		sw = w;
	} else if (sw > w) {
		for (cut = 0, i = 0; i < n; i++)
			if (((unsigned char)s[i] & 0xC0) != 0x80 &&
			    ++cut == w)
				break;
		n = i;
		sw = w;
	}
	if (right_align)
		for (i = sw; i < w; i++)
			kpi_buf_addc(b, ' ');
	if (color && n)
		kpi_buf_addf(b, "\033[%sm", color);
	kpi_buf_add(b, s, n);
	if (!trend && sw == w && n < strlen(s))
		kpi_buf_adds(b, "…");
	if (color && n)
		kpi_buf_adds(b, "\033[0m");
	if (!right_align && !last)
		for (i = sw; i < w; i++)
			kpi_buf_addc(b, ' ');
}

static void
put_line(struct kpi_render *r, char *const *cell, const char *const *color,
    const size_t *w)
{
	size_t i, last = NCOLS - 1;

	while (last > 0 && (cell[last][0] == '\0' || w[last] == 0))
		last--;
	for (i = 0; i <= last; i++) {
		if (w[i] == 0)
			continue;
		if (i)
			kpi_buf_adds(&r->b, "  ");
		put_cell(&r->b, cell[i], w[i], right[i],
		    r->opts.color && color ? color[i] : NULL, i == last,
		    i == C_TREND && color != NULL);
	}
	kpi_buf_addc(&r->b, '\n');
}

/* A column with nothing in it (no dims, no goals) is left out. */
static void
hide_empty(size_t *w, const struct line *lines, size_t n)
{
	static const int optional[] = { C_DIMS, C_TARGET, C_STATUS, C_CHANGE,
		C_TREND };
	size_t i, k;

	for (k = 0; k < sizeof(optional) / sizeof(optional[0]); k++) {
		for (i = 0; i < n; i++)
			if (lines[i].cell[optional[k]][0] != '\0')
				break;
		if (i == n)
			w[optional[k]] = 0;
	}
}

static void
end_table(struct kpi_render *r)
{
	struct line *lines;
	size_t w[NCOLS], i, j, n = 0;

	if (r->opts.title)
		kpi_buf_addf(&r->b, "%s\n\n", r->opts.title);
	if (r->nseries == 0) {
		kpi_buf_adds(&r->b, "no KPIs in the input\n");
		return;
	}
	lines = kpi_xmalloc(r->nseries * sizeof(*lines));
	for (j = 0; j < NCOLS; j++)
		w[j] = strlen(titles[j]);
	for (i = 0; i < r->nseries; i++) {
		fill_line(&lines[n], r->series[i]);
		for (j = 0; j < NCOLS; j++)
			if (render_width(lines[n].cell[j],
			    strlen(lines[n].cell[j])) > w[j])
				w[j] = render_width(lines[n].cell[j],
				    strlen(lines[n].cell[j]));
		n++;
	}
	hide_empty(w, lines, n);
	fit(w, r->opts.width ? r->opts.width : 80);
	put_line(r, (char *const *)titles, NULL, w);
	for (i = 0; i < n; i++) {
		put_line(r, lines[i].cell, lines[i].color, w);
		for (j = 0; j < NCOLS; j++)
			free(lines[i].cell[j]);
	}
	free(lines);
}

const struct render_ops kpi_render_table = {
	"table", 0, NULL, NULL, end_table, NULL
};
