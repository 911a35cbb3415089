/*
 * render.h - points and evaluations to reports (lib/render/): one model of
 * the report (model.c) and one room per format over it (table.c,
 * markdown.c, csv.c, html.c, junit.c, openmetrics.c, json.c), with the
 * number formatter (format.c) and the escapes (escape.c) they share.
 *
 * Uses aggregate/ (points, catalogue), record/, value/ and base/.  The
 * evaluation fields of kpi(7) are read here from the record, by name.
 */
#ifndef KPI_RENDER_H
#define KPI_RENDER_H

#include "base/base.h"
#include "record/record.h"
#include "value/value.h"
#include "aggregate/aggregate.h"
#include "goal/goal.h"

/* ---- escapes (escape.c) ---- */

/* s[0..n) for HTML text and attribute values: & < > " ' as entities. */
void kpi_esc_html(struct kpi_buf *b, const char *s, size_t n);

/* s[0..n) for XML 1.0: as for HTML, and control bytes as U+FFFD. */
void kpi_esc_xml(struct kpi_buf *b, const char *s, size_t n);

/* s[0..n) as one RFC 4180 field: quoted when it holds sep, '"', CR or LF. */
void kpi_esc_csv(struct kpi_buf *b, const char *s, size_t n, int sep);

/* s[0..n) as a Prometheus label value (without quotes): \\ \" \n. */
void kpi_esc_prom(struct kpi_buf *b, const char *s, size_t n);

/* s[0..n) as a Prometheus name: bytes outside [A-Za-z0-9_] become '_'. */
void kpi_prom_name(struct kpi_buf *b, const char *s, size_t n);

/* s[0..n) for a Markdown table cell: '|' escaped, HTML escaped, no newline. */
void kpi_esc_md(struct kpi_buf *b, const char *s, size_t n);

/* ---- the report model (model.c) ---- */

/* One goal's verdict on one period: kpi(7) Evaluation.  Strings owned. */
struct kpi_reval {
	char *goal;			/* the goal's name */
	char *kind;			/* at_least, between, band, ... */
	char *deadline;			/* or NULL */
	enum kpi_goal_status status;
	struct kpi_maybe target, gap, progress, expected, projected;
	struct kpi_maybe low, high, score, baseline;
	char *projection;		/* or NULL */
};

/* One period of a series: a point and the goals' verdicts on it. */
struct kpi_rrow {
	char *period;			/* owned */
	struct kpi_time start, end;
	int has_range;
	struct kpi_maybe value, prev, change, pct_change, pp_change;
	int has_compare, has_pp;
	struct kpi_reval *ev;		/* owned, nev of them */
	size_t nev;
	unsigned long line;		/* where it was read, for messages */
};

/* One metric over one combination of dims: its periods, oldest first. */
struct kpi_series {
	char *metric;			/* owned */
	char *dims;			/* compact JSON object; owned */
	char *unit;			/* owned, or NULL */
	char *group;			/* funnel stage, or NULL; owned */
	char *description;		/* or NULL; owned */
	enum kpi_mformat format;
	int lower_better;
	struct kpi_rrow *rows;		/* the last --last periods; owned */
	size_t nrows, cap;
	size_t order;			/* --metrics position, then first seen */
};

/* The series' latest period, or NULL when it has none. */
const struct kpi_rrow *kpi_series_latest(const struct kpi_series *s);

/* The dims of s as "k=v, k=v" (for people); "" for none.  Appends to b. */
void kpi_dims_text(struct kpi_buf *b, const char *dims, const char *sep);

/*
 * Calls fn(arg, key, klen, val, vlen) for each dim of the JSON object dims,
 * with val the value as text (a string's characters, a number as written).
 */
void kpi_dims_each(const char *dims, void (*fn)(void *arg, const char *k,
    size_t kn, const char *v, size_t vn), void *arg);

/* ---- rendering (model.c and the format rooms) ---- */

enum kpi_color { KPI_COLOR_NEVER, KPI_COLOR_ALWAYS };

struct kpi_render_opts {
	const char *format;		/* "table" ...; see kpi_render_new */
	const char *title;		/* or NULL */
	const char *metrics;		/* "a,b": choose and order; or NULL */
	size_t last;			/* periods kept per series */
	int color;			/* table: ANSI colours */
	int all_periods;		/* openmetrics: every period */
	unsigned fail_on;		/* junit: statuses that fail, a bit
					   per enum kpi_goal_status */
	const struct kpi_defs *defs;	/* catalogue, or NULL; borrowed */
	size_t width;			/* table: columns to fit */
};

struct kpi_render;

/* The names of the formats, for usage and errors: "table, markdown, ...". */
const char *kpi_render_formats(void);

/* Whether name is the name of a format. */
int kpi_render_known(const char *name);

/*
 * A report in opts->format written to o (borrowed; the caller finishes
 * it).  Returns NULL with err->msg set for an unknown format.  Caller
 * frees with kpi_render_free.
 */
struct kpi_render *kpi_render_new(const struct kpi_render_opts *opts,
    struct kpi_out *o, struct kpi_err *err);
void kpi_render_free(struct kpi_render *r);

/*
 * Adds one point or evaluation.  Returns 0; -1 with err->msg set when the
 * record is not one (the report goes on without it); -2 when a write
 * failed (o->err_no set): stop.
 */
int kpi_render_add(struct kpi_render *r, const struct kpi_rec *rec,
    struct kpi_err *err);

/* Writes the report (or its end).  Returns 0, or -2 on a failed write. */
int kpi_render_finish(struct kpi_render *r);

/* The number of records added and of series seen. */
size_t kpi_render_records(const struct kpi_render *r);

#endif /* KPI_RENDER_H */
