/*
 * aggregate.h - typed rows to points (lib/aggregate/): mergeable reducer
 * states (reduce.c, over exact sums in exact.c), formulas (expr.c), the KPI
 * catalogue (defs.c), entity sets (entity.c), the aggregation itself
 * (agg.c: groups and points; window.c: rolling, cumulative, compare;
 * merge.c: partial states and --merge), kpi-aggregate's command line
 * (opts.c), the input loop and --stats (input.c) and the point (point.c).
 *
 * Uses base/, record/ and value/.
 */
#ifndef KPI_AGGREGATE_H
#define KPI_AGGREGATE_H

#include "base/base.h"
#include "record/record.h"
#include "value/value.h"

/* ---- reducers: mergeable per-group state (reduce.c) ---- */

enum kpi_red {
	KPI_R_SUM,		/* sum(field) */
	KPI_R_COUNT,		/* count(): rows */
	KPI_R_COUNT_FIELD,	/* count(field): rows where field is not null */
	KPI_R_MEAN,		/* mean(field) */
	KPI_R_MIN,		/* min(field) */
	KPI_R_MAX,		/* max(field) */
	KPI_R_MEDIAN,		/* median(field), exact */
	KPI_R_PCT,		/* pNN(field), exact, NN in (0, 100) */
	KPI_R_FIRST,		/* first(field): the value at the earliest time */
	KPI_R_LAST,		/* last(field): the value at the latest time */
	KPI_R_STDDEV,		/* stddev(field): sample standard deviation */
	KPI_R_BALANCE,		/* balance(field[, entity]): per series the
				   value at the latest time, summed */
	KPI_R_COUNT_IF,		/* count_if(cond): values that meet it */
	KPI_R_SHARE_IF		/* share_if(cond): their share of the values */
};

/*
 * Parses a reducer name ("sum", "p90", ...): 0 with *red (and *pct for
 * pNN) set, or -1.
 */
int kpi_red_parse(const char *name, size_t n, enum kpi_red *red, double *pct);

/* One reducer's state for one group; see reduce.c for each kind's state. */
struct kpi_rstate;

/* A new empty state.  Caller frees with kpi_rstate_free. */
struct kpi_rstate *kpi_rstate_new(enum kpi_red red, double pct);
void kpi_rstate_free(struct kpi_rstate *st);

/*
 * Adds one row's value (v may be NULL for count(); a null value counts
 * only for count()), seen at time t (Unix seconds; for first and last, and
 * ties there go to the earlier row for first and the later row for last).
 * Numbers are KPI_NUM; count_if and share_if take KPI_TRUE or KPI_FALSE,
 * whether the row met the condition (kpi_cond_test).  Returns 0, or -1
 * when the value has the wrong type (a string for sum).
 */
int kpi_rstate_add(struct kpi_rstate *st, const struct kpi_val *v,
    long long t);

/*
 * As kpi_rstate_add, for the series key[0..n) (its bytes; any length):
 * a balance keeps the value at the latest time of each series and sums
 * them; every other reducer ignores the key.  kpi_rstate_add puts a
 * balance's values in one series, "".
 */
int kpi_rstate_add_series(struct kpi_rstate *st, const struct kpi_val *v,
    long long t, const char *key, size_t n);

/* Adds other's rows to st (same kind): the merge of --partial runs. */
void kpi_rstate_merge(struct kpi_rstate *st, const struct kpi_rstate *other);

/*
 * The value: 1 with *out set, 0 when it is null (no rows, or mean of
 * none, or stddev of fewer than 2).
 */
int kpi_rstate_value(const struct kpi_rstate *st, double *out);

/*
 * Appends the state as compact JSON (deterministic: values sorted) for
 * --partial, and reads it back.  kpi_rstate_load returns 0, or -1 with
 * err->msg set when the text is not such a state.
 */
void kpi_rstate_put(struct kpi_buf *b, const struct kpi_rstate *st);
int kpi_rstate_load(struct kpi_rstate *st, const char *json, size_t n,
    struct kpi_err *err);

/* ---- conditions of count_if and share_if (expr.c) ---- */

/*
 * A test of one field's value: "score >= 9", "rating<4", "verified".
 * With an operator, the value is a number compared with x; without one
 * (KPI_COND_TRUE) it is a boolean, or a number that is not 0.
 */
struct kpi_cond {
	enum {
		KPI_COND_TRUE, KPI_COND_LT, KPI_COND_LE, KPI_COND_GT,
		KPI_COND_GE, KPI_COND_EQ, KPI_COND_NE
	} op;
	double x;
};

/*
 * Parses the condition s[0..n): a field name, then optionally one of
 * < <= > >= == != and a number (signed, as formulas write numbers).
 * Returns 0 with *field (caller frees) and *c set, or -1 with err->msg
 * and err->col (1-based, in s) set.
 */
int kpi_cond_parse(const char *s, size_t n, char **field, struct kpi_cond *c,
    struct kpi_err *err);

/*
 * Whether v meets c: 1 or 0; -1 when v is null or not a value c tests
 * (a string; a boolean under a comparison; a number not finite).
 */
int kpi_cond_test(const struct kpi_cond *c, const struct kpi_val *v);

/* ---- formulas over metrics (expr.c) ---- */

/* A derived-metric formula: + - * /, parentheses, numbers, names, min,
   max, abs. */
struct kpi_expr;

/*
 * Parses s.  Returns NULL with err->msg and err->col (1-based, in s) set
 * on a syntax error.  Caller frees with kpi_expr_free.
 */
struct kpi_expr *kpi_expr_parse(const char *s, struct kpi_err *err);
void kpi_expr_free(struct kpi_expr *e);

/* The names the formula uses, in first-use order.  Borrowed from e. */
size_t kpi_expr_nrefs(const struct kpi_expr *e);
const char *kpi_expr_ref(const struct kpi_expr *e, size_t i);

/*
 * Evaluates e with name i's value in vals[i] (isnull[i] set when null).
 * Returns 1 with *out set, or 0 for null: a null operand, a division by
 * zero, or any result that is not finite.  Never NaN or infinity.
 */
int kpi_expr_eval(const struct kpi_expr *e, const double *vals,
    const unsigned char *isnull, double *out);

/* ---- metric definitions (defs.c) ---- */

/* Metric definitions: a KPI catalogue and -m formulas; see kpi(7). */
struct kpi_defs;

/* Empty definitions.  Caller frees with kpi_defs_free. */
struct kpi_defs *kpi_defs_new(void);
void kpi_defs_free(struct kpi_defs *d);

/*
 * Adds the catalogue in text[0..len), named name for errors.  Returns 0,
 * or -1 with err set (with the line and column where jansson knows them).
 */
int kpi_defs_load(struct kpi_defs *d, const char *text, size_t len,
    const char *name, struct kpi_err *err);

/* Adds "NAME=FORMULA" (-m); a later definition replaces an earlier one. */
int kpi_defs_add(struct kpi_defs *d, const char *def, struct kpi_err *err);

/*
 * Checks every formula and orders the derived ones; select ("a,b") names
 * the metrics to write, NULL for all.  Returns 0, or -1 with err set
 * (unknown reducer or metric, a cycle, a syntax error).
 */
int kpi_defs_finish(struct kpi_defs *d, const char *select,
    struct kpi_err *err);

/*
 * The definitions of a catalogue file (NULL for none) and of the nm -m
 * arguments ms, finished with select: kpi_defs_load, kpi_defs_add and
 * kpi_defs_finish in one.  NULL with err set when one is bad.  Caller
 * frees with kpi_defs_free.
 */
struct kpi_defs *kpi_defs_read(const char *file, char *const *ms, size_t nm,
    const char *select, struct kpi_err *err);

/* ---- aggregation (agg.c, window.c, merge.c) ---- */

struct kpi_agg_opts {
	struct kpi_calendar cal;	/* cal.tz borrowed */
	const char *const *by;		/* --by fields; borrowed */
	size_t nby;
	int total;			/* --total: the all-dimensions rollup */
	enum {
		KPI_CMP_NONE,
		KPI_CMP_PREVIOUS,	/* the period before */
		KPI_CMP_YEAR,		/* the same period a year before */
		KPI_CMP_BACK		/* compare_n periods before */
	} compare;
	long long compare_n;
	int fill;			/* --fill: every period of the range */
	long long rolling;		/* --rolling N: trailing N periods; 0 */
	int cumulative;			/* --cumulative: to date within this
					   grain (KPI_MONTH ...); 0 for none */
	long long from, to;		/* --from/--to instants, or LLONG_MIN/MAX */
	int partial;			/* --partial: points carry states */
	int merge;			/* --merge: input is --partial points */
	long long max_points;		/* --max-points: the most points
					   --fill may make the run write */
	int present;			/* write only the metrics whose data
					   sets the input has (no --metrics);
					   not with partial */
	struct kpi_warn warn;		/* notes at emit: a value beyond a
					   double's range, a data set with no
					   rows */
};

/* The defaults: weeks from Monday, years from January, 1000000 points. */
void kpi_agg_opts_init(struct kpi_agg_opts *o);

/*
 * kpi-aggregate's command line as the aggregation takes it (opts.c): the
 * face's option table uses these keys, and kpi_agg_args_set interprets
 * each option's value, so that the face only hands them on.
 */
enum kpi_agg_key {
	KPI_AGG_BY = 1, KPI_AGG_COMPARE, KPI_AGG_CUMULATIVE, KPI_AGG_DEFS,
	KPI_AGG_EVERY, KPI_AGG_FILL, KPI_AGG_FY_START, KPI_AGG_FROM,
	KPI_AGG_MAX_POINTS, KPI_AGG_METRIC, KPI_AGG_MERGE, KPI_AGG_METRICS,
	KPI_AGG_PARTIAL, KPI_AGG_ROLLING, KPI_AGG_STATS, KPI_AGG_TO,
	KPI_AGG_TOTAL, KPI_AGG_TZ, KPI_AGG_WEEK_START, KPI_AGG_REJECTS,
	KPI_AGG_LIST
};

/*
 * What the command line asks for.  Caller-owned: kpi_agg_args_init sets
 * it up, kpi_agg_args_release frees what it holds.  Strings are borrowed
 * from the command line (argv).
 */
struct kpi_agg_args {
	struct kpi_agg_opts ao;		/* ao.by is by; ao.cal.tz is tz */
	const char **by;		/* --by fields; owned array, or NULL */
	char **ms;			/* -m definitions; owned array */
	size_t nm;
	const char *defs;		/* --defs, or NULL */
	const char *select;		/* --metrics, or NULL */
	const char *zone;		/* --tz, "UTC" by default */
	long long from, to;		/* --from and --to, local day numbers */
	int has_from, has_to;
	const char *rejects;		/* --rejects, or NULL */
	int stats;			/* --stats */
	int list;			/* --list-metrics */
	struct kpi_tz *tz;		/* owned; set by kpi_agg_args_finish */
};

/* The defaults, with room for max definitions of -m (argc will do). */
void kpi_agg_args_init(struct kpi_agg_args *a, size_t max);

/*
 * The option key with its value arg (NULL for a flag; --by's is cut at
 * its commas).  Returns 0, or -1 with err naming the bad value
 * ("bad date '2024-02-31'").
 */
int kpi_agg_args_set(struct kpi_agg_args *a, int key, char *arg,
    struct kpi_err *err);

/*
 * After the last option: the options that do not go together, the zone,
 * and --from and --to in it; without --metrics, ao.present.  Returns 0,
 * or -1 with err set.
 */
int kpi_agg_args_finish(struct kpi_agg_args *a, struct kpi_err *err);

void kpi_agg_args_release(struct kpi_agg_args *a);

struct kpi_agg;

/* An aggregation of rows by d (finished; borrowed).  Caller frees. */
struct kpi_agg *kpi_agg_new(const struct kpi_defs *d,
    const struct kpi_agg_opts *opts);
void kpi_agg_free(struct kpi_agg *a);

/* Why a row was rejected: a kind and its data, worded by reject.c. */
enum kpi_agg_rej {
	KPI_AGG_REJ_NO_TIME,		/* no "time", or null */
	KPI_AGG_REJ_TIME,		/* a "time" that is not RFC 3339 */
	KPI_AGG_REJ_NUMBER,		/* a reducer that needs numbers met
					   another value */
	KPI_AGG_REJ_FINITE,		/* a number beyond a double's range,
					   as JSON's 1e999 */
	KPI_AGG_REJ_ALL_TIME,		/* "end_date" but no time: a report
					   over all time, outside --every all */
	KPI_AGG_REJ_END_DATE,		/* an "end_date" that is no date */
	KPI_AGG_REJ_END_BEFORE,		/* one before the day of the time */
	KPI_AGG_REJ_SPAN,		/* a range across the periods asked
					   for: text says which */
	KPI_AGG_REJ_CONDITION		/* count_if(field) or share_if(field)
					   met no boolean or number */
};

struct kpi_agg_reject {
	enum kpi_agg_rej kind;
	const char *field;		/* the row's field at fault: "time",
					   or a reducer's field; static or
					   borrowed from the definitions */
	const struct kpi_val *value;	/* its value, NULL when the row has
					   none; borrowed from the row */
	const char *text;		/* KPI_AGG_REJ_SPAN: the words;
					   borrowed until the next row */
};

/*
 * Adds one typed row.  Returns 0; 1 when the row lies outside the periods
 * --from and --to report (a row before them still counts in the windows
 * of --rolling, --cumulative and --compare and in the entities' first
 * periods; one after them, or with --every all outside the dates, in
 * nothing); or -1 with *rej set when the row is rejected (no time, a bad
 * time, a value of the wrong type): a rejected row changes nothing.
 */
int kpi_agg_add(struct kpi_agg *a, const struct kpi_rec *row,
    struct kpi_agg_reject *rej);

/*
 * The rejection worded for stderr into buf ("field 'v': 'x' is not a
 * number"), as kpi-aggregate(1) DIAGNOSTICS gives it.  Returns buf.
 */
const char *kpi_agg_reject_msg(const struct kpi_agg_reject *rej, char *buf,
    size_t size);

/*
 * The rejected row r as --rejects writes it into out (cleared first): r's
 * fields, then "_error" {field, column, value, expected} as kpi(7) says,
 * then r's "_src" and "_line".  out borrows from r and from b, which holds
 * the "_error" text (reset first): write out before either changes.
 */
void kpi_agg_reject_row(const struct kpi_rec *r,
    const struct kpi_agg_reject *rej, struct kpi_rec *out, struct kpi_buf *b);

/*
 * Adds one point of a --partial run (opts.merge): its states merged into
 * its group's.  Returns 0; 1 when its period is outside those --from and
 * --to report (merged when before them, for the windows); or -1 with
 * err->msg set when the point does not merge (not a --partial point, a metric or period these definitions and
 * this calendar do not have, a bad state); then the aggregation is no
 * longer whole and must not be emitted.
 */
int kpi_agg_add_point(struct kpi_agg *a, const struct kpi_rec *point,
    struct kpi_err *err);

/*
 * Writes every point, in kpi(7) order, to o.  Returns 0, or -1: a failed
 * write (o->err_no set), or before writing anything (opts.merge) with
 * err->msg set when a written metric needs a state that no point gave.
 */
int kpi_agg_emit(struct kpi_agg *a, struct kpi_out *o, struct kpi_err *err);

/*
 * Reads every record of in into a: typed rows, or with opts.merge the
 * points of --partial runs.  A rejected row is counted and written to
 * rejects with its "_error" (kpi_agg_reject_row), or, when rejects is NULL
 * or writes nowhere (fd -1), told through opts.warn with its file and
 * line; the aggregation goes on.  Returns 0, or -1 when it must not be
 * emitted: with err set (its file and line) when a point does not merge,
 * with err->msg empty when writing to rejects failed (rejects->err_no).
 * in is the caller's to close.
 */
int kpi_agg_read(struct kpi_agg *a, struct kpi_rin *in,
    struct kpi_out *rejects, struct kpi_err *err);

/*
 * How many rows (or points) came in, how many were rejected, and how many
 * lay outside the periods of --from and --to.
 */
unsigned long kpi_agg_in(const struct kpi_agg *a);
unsigned long kpi_agg_rejected(const struct kpi_agg *a);
unsigned long kpi_agg_outside(const struct kpi_agg *a);

/* The number of groups and of points written, for --stats. */
size_t kpi_agg_groups(const struct kpi_agg *a);
size_t kpi_agg_points(const struct kpi_agg *a);

/*
 * The --stats line after kpi_agg_emit, into buf: "1200 rows in, 3
 * rejected, 14 groups, 56 points", with --from or --to "1200 rows in, 3
 * rejected, 40 outside the range, 14 groups, 56 points".  Returns buf.
 */
const char *kpi_agg_stats(const struct kpi_agg *a, char *buf, size_t size);

/*
 * Writes the metrics of d to o, one line each in definition order: name,
 * format, direction, group and description, separated by tabs; an unset
 * group or description is empty, and a tab or a line break in a
 * description becomes a space.  For --list-metrics.  Returns 0, or -1
 * with o->err_no set.
 */
int kpi_defs_list(const struct kpi_defs *d, struct kpi_out *o);

/* ---- metric metadata: what the catalogue says of a metric (defs.c) ---- */

/*
 * A metric as the catalogue (or -m) defines it; read-only.  Every pointer
 * is borrowed from the kpi_defs and NULL where the entry has no such key.
 */
struct kpi_metric_info {
	const char *name;
	const char *formula;
	const char *dataset;		/* base metrics only */
	const char *unit;
	const char *description;
	const char *group;		/* funnel stage: "traffic", ... */
	enum kpi_mformat format;
	int lower_better;		/* direction "lower" */
	int base;			/* one reducer over a field */
};

/* How many metrics d defines; their indexes run from 0, in definition order. */
size_t kpi_defs_count(const struct kpi_defs *d);

/* Fills *info for metric i of d (i < kpi_defs_count). */
void kpi_defs_info(const struct kpi_defs *d, size_t i,
    struct kpi_metric_info *info);

/* The index of the metric named name[0..n), or -1. */
long kpi_defs_find(const struct kpi_defs *d, const char *name, size_t n);

/* ---- points: one metric over one period and dims (point.c) ---- */

/* A number that may be null. */
struct kpi_maybe {
	double v;
	int null;			/* null, or not finite */
};

/*
 * A point as kpi(7) Point defines it.  kpi_point_read fills one from a
 * record, every string borrowed from that record (valid while it is);
 * kpi_point_put writes one, every string borrowed from the caller.
 * Strings are not NUL-terminated: use the lengths.
 */
struct kpi_point {
	const char *metric;
	size_t mlen;
	const char *period;		/* the label, "2024-W10" */
	size_t plen;
	int has_range;			/* 0 for the period "all" */
	struct kpi_time start, end;	/* [start, end), with their offsets */
	const char *dims;		/* a JSON object as compact text, "{}" */
	size_t dlen;
	struct kpi_maybe value;
	int has_compare;		/* --compare: prev, change, pct_change */
	struct kpi_maybe prev, change, pct_change;
	int has_pp;			/* percent metrics under --compare */
	struct kpi_maybe pp_change;
	const char *unit;		/* or NULL */
	size_t ulen;
	enum kpi_mformat format;	/* "format"; number when not written */
	int lower_better;		/* "direction": "lower" */
	const char *state;		/* --partial: the state object, or NULL */
	size_t slen;
};

/* Sets p to an empty point: no strings, value null, format number. */
void kpi_point_init(struct kpi_point *p);

/*
 * Reads the point keys of r into p; keys other than a point's (an
 * evaluation's goal fields) are left for the caller.  Returns 0, or -1
 * with err->msg saying what is wrong ("not a point: no 'metric'").
 */
int kpi_point_read(struct kpi_point *p, const struct kpi_rec *r,
    struct kpi_err *err);

/*
 * Appends p to b as one JSON object in kpi(7)'s key order, without the
 * closing brace, so that an evaluation can add its fields: finish with
 * kpi_buf_adds(b, "}\n").
 */
void kpi_point_put_open(struct kpi_buf *b, const struct kpi_point *p);

/* Appends a number that may be null ("null" for null or not finite). */
void kpi_maybe_put(struct kpi_buf *b, struct kpi_maybe m);

#endif /* KPI_AGGREGATE_H */
