/*
 * room.h - what the format rooms of lib/render/ share with the model:
 * the report under construction and the table of a format's operations.
 * Private to lib/render/.
 */
#ifndef KPI_RENDER_ROOM_H
#define KPI_RENDER_ROOM_H

#include "render/render.h"

/*
 * A format: begin writes the head; row takes each period of each series
 * as it is read when the format streams (the series and row are
 * borrowed for the call; -1 with err set refuses the record); end writes the body from the model (r->series,
 * in report order) when it does not, and the tail either way.  free
 * releases r->fmt.  Any may be NULL.
 */
struct render_ops {
	const char *name;
	int stream;
	void (*begin)(struct kpi_render *r);
	int (*row)(struct kpi_render *r, const struct kpi_series *s,
	    const struct kpi_rrow *row, struct kpi_err *err);
	void (*end)(struct kpi_render *r);
	void (*free)(struct kpi_render *r);
};

struct kpi_render {
	struct kpi_render_opts opts;
	const struct render_ops *ops;
	struct kpi_out *o;
	struct kpi_buf b;		/* written, not yet sent to o */
	void *fmt;			/* the format's own state */
	struct kpi_series **series;	/* report order once finished */
	size_t nseries, cap;
	size_t *slot;			/* hash of metric and dims -> series+1 */
	size_t nslot;
	char **want;			/* --metrics, in order */
	size_t nwant;
	size_t nrec;
	struct kpi_rec scratch;		/* the goal object, dims */
};

extern const struct render_ops kpi_render_table, kpi_render_markdown,
    kpi_render_csv, kpi_render_tsv, kpi_render_html, kpi_render_junit,
    kpi_render_openmetrics, kpi_render_json;

/*
 * Sends what is written to the output once there is a block of it, so that
 * a long report is not held whole; -2 once a write has failed (then the
 * room may stop).
 */
int render_send(struct kpi_render *r);

/* The title, or the default one.  Borrowed. */
const char *render_title(const struct kpi_render *r);

/* The display width of UTF-8 s[0..n): one column per character. */
size_t render_width(const char *s, size_t n);

/* Whether any series has an evaluation, and whether any has dims. */
int render_has_goals(const struct kpi_render *r);

/* The evaluation of row shown first (the first goal's), or NULL. */
const struct kpi_reval *render_eval(const struct kpi_rrow *row);

/* The latest row of s that a goal evaluated, or NULL. */
const struct kpi_rrow *render_latest_eval(const struct kpi_series *s);

/* Appends the value m of s as people read it, or "–" when null. */
void render_value(struct kpi_buf *b, const struct kpi_series *s,
    struct kpi_maybe m);

/* Appends the change of row (pp for percent metrics), or "" when none. */
int render_change(struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_rrow *row, int *good);

/* The status in words for people ("on track"); "" for none.  Static. */
const char *render_status_words(enum kpi_goal_status st);

/* Appends the target of e: one value, or low–high for a range. */
void render_target(struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_reval *e);

/* Appends a sparkline of the periods of s (▁ to █; a space for null). */
void render_spark(struct kpi_buf *b, const struct kpi_series *s);

#endif /* KPI_RENDER_ROOM_H */
