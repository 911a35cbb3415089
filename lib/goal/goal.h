/*
 * goal.h - KPIs against their targets (lib/goal/): goal definitions and
 * their SMART lint (goals.c), the arithmetic of a verdict (eval.c) and the
 * evaluation of a stream of points (run.c), and what the commands read
 * (load.c: status lists, goal files, the --check line).  See kpi-goal(1) and kpi(7)
 * Evaluation.
 *
 * Uses aggregate/ (points, metric metadata), value/, record/ and base/.
 */
#ifndef KPI_GOAL_H
#define KPI_GOAL_H

#include "base/base.h"
#include "record/record.h"
#include "value/value.h"
#include "aggregate/aggregate.h"

/* ---- the arithmetic of a verdict (eval.c): numbers in, numbers out ---- */

enum kpi_goal_kind {
	KPI_GOAL_AT_LEAST,	/* value >= target, every period */
	KPI_GOAL_AT_MOST,	/* value <= target, every period */
	KPI_GOAL_BETWEEN,	/* low <= value <= high, every period */
	KPI_GOAL_TARGET,	/* from a baseline to a target by a deadline */
	KPI_GOAL_TOTAL,		/* a per-period total, paced by run rate */
	KPI_GOAL_CHANGE,	/* a relative change on a baseline period */
	KPI_GOAL_BAND		/* inside the normal band of its history */
};

enum kpi_goal_status {
	KPI_ST_MET, KPI_ST_ON_TRACK, KPI_ST_AT_RISK, KPI_ST_OFF_TRACK,
	KPI_ST_MISSED, KPI_ST_NO_DATA, KPI_ST_INSUFFICIENT
};

/* Parses a kind's name ("at_least"): 0, or -1.  Names are kpi(7)'s. */
int kpi_goal_kind_parse(const char *name, enum kpi_goal_kind *kind);
/* The names of a kind and of a status, as kpi(7) writes them.  Static. */
const char *kpi_goal_kind_name(enum kpi_goal_kind kind);
const char *kpi_goal_status_name(enum kpi_goal_status st);
/* Parses a status name: 0, or -1. */
int kpi_goal_status_parse(const char *name, size_t n,
    enum kpi_goal_status *st);

/*
 * Adds the statuses of the list s ("at_risk,no_data", as --fail-on gives
 * it) to *set, a bit (1u << status) each.  Returns 0, or -1 with *bad at
 * the first name that is no status (s itself is borrowed).
 */
int kpi_goal_status_list(const char *s, unsigned *set, const char **bad);

/* Defaults documented in kpi-goal(1). */
#define KPI_GOAL_AT_RISK	0.9	/* at_risk within 10% of the target */
#define KPI_GOAL_EARLY		0.2	/* the first 20% of a timeframe */
#define KPI_GOAL_WINDOW		8	/* band history: the last 8 periods */
#define KPI_GOAL_Z		3.5	/* band: modified z-score limit */
#define KPI_GOAL_TREND_MIN	3	/* trend from 3 points up */

/*
 * What one verdict needs.  NAN stands for null throughout.  dir is +1 when
 * higher is better, -1 when lower is.
 */
struct kpi_verdict_in {
	enum kpi_goal_kind kind;
	int dir;
	double value;		/* the value so far */
	double target;		/* at_least, at_most, total, target, change */
	double low, high;	/* between */
	double baseline;	/* target, change: the value at the start */
	double elapsed;		/* share of the timeframe gone, 0..1 */
	double projected;	/* paced value, or NAN: see kpi_goal_runrate */
	int open;		/* the clock is inside the timeframe */
	int final;		/* target: the deadline's period is closed */
	double at_risk;		/* e.g. 0.9 */
	double early;		/* e.g. 0.2 */
};

struct kpi_verdict {
	enum kpi_goal_status status;
	double gap;		/* dir * (x - target): positive is good */
	double progress;	/* share of the way from baseline to target */
};

/* The verdict of in for every kind but band (see kpi_goal_band). */
void kpi_goal_verdict(const struct kpi_verdict_in *in, struct kpi_verdict *out);

/*
 * The run rate: the value the timeframe ends with if it goes on as so far.
 * From a baseline b (NAN: 0, a total): b + (v - b) / elapsed.  NAN when
 * elapsed is 0 or v is NAN.
 */
double kpi_goal_runrate(double v, double b, double elapsed);

/*
 * The least-squares line through (x[i], y[i]), i < n, at x = at: NAN when
 * n < 2 or every x is the same.
 */
double kpi_goal_trend(const double *x, const double *y, size_t n, double at);

/* The median of v[0..n) (n > 0); sorts v. */
double kpi_goal_median(double *v, size_t n);

/* A band over a history: median, MAD, score and limits. */
struct kpi_band {
	double median, mad;
	double score;		/* 0.6745 (x - median) / MAD; NAN when MAD 0 */
	double low, high;	/* median -+ z MAD / 0.6745 */
	int flag;		/* 0 inside, -1 out on the bad side, +1 good */
};

/*
 * The band of x against hist[0..n) (n > 0; hist is sorted in place) with
 * limit z, in direction dir; both flags the good side too.
 */
void kpi_goal_band(double x, double *hist, size_t n, double z, int dir,
    int both, struct kpi_band *out);

/* ---- goal definitions (goals.c) ---- */

/* A goal as a catalogue or a goals file defines it; see kpi-goal(1). */
struct kpi_goal {
	char *name;
	char *metric;
	enum kpi_goal_kind kind;
	int dir;		/* +1 higher, -1 lower, 0 from the metric */
	double target;		/* NAN when not given */
	double low, high;	/* between */
	double baseline;	/* NAN: from the data */
	double change;		/* change: +0.2 for +20% */
	int against_year;	/* change: a year before, not the period before */
	long long start_day;	/* target: days since 1970, or LLONG_MIN */
	long long deadline_day;	/* target: days since 1970, or LLONG_MIN */
	char deadline[11];	/* "2025-06-30", or "" */
	enum kpi_grain every;	/* KPI_ALL: any period */
	int has_every;
	int pace_runrate;	/* pace open periods by run rate */
	char *dims;		/* compact JSON object, "{}" */
	char *per;		/* a dimension name, or NULL */
	char *objective;	/* or NULL */
	size_t ntargets;	/* period label -> target */
	char **tlabel;
	double *tvalue;
	long window;		/* band */
	double z;
	int both;
};

struct kpi_goals {
	struct kpi_goal *g;
	size_t n;
};

void kpi_goals_init(struct kpi_goals *gs);
void kpi_goals_release(struct kpi_goals *gs);

/*
 * Adds the goals of the "goals" array of the JSON text[0..len), named name
 * (a catalogue or a goals file; no such key is no goal).  Returns 0, or -1
 * with err set: file, line and column where jansson gives them, else the
 * goal and what is wrong with it.
 */
int kpi_goals_load(struct kpi_goals *gs, const char *text, size_t len,
    const char *name, struct kpi_err *err);

/*
 * The SMART lint of every goal: errors (not specific, not time-bound, not
 * achievable as written; with defs, not measurable when defs lacks the
 * metric) fill err and return -1 at the first; advice goes to w.  file
 * names the definitions in messages.
 */
int kpi_goals_lint(const struct kpi_goals *gs, const struct kpi_defs *defs,
    int measurable, const char *file, const struct kpi_warn *w,
    struct kpi_err *err);

/*
 * Moves the goals of more (named name) to the end of gs (from file other),
 * leaving more empty.  Returns 0, or -1 with err set, more untouched, when
 * a goal of more has the name of one in gs: names are one namespace.
 */
int kpi_goals_merge(struct kpi_goals *gs, struct kpi_goals *more,
    const char *name, const char *other, struct kpi_err *err);

/*
 * Reads file: with d, as a catalogue whose metrics go into d (finished);
 * with gs, its goals go into gs.  Returns 0, or -1 with err set.
 */
int kpi_goals_read(const char *file, struct kpi_goals *gs,
    struct kpi_defs *d, struct kpi_err *err);

/*
 * Every goal of the catalogue defsfile and of goalsfile (either may be
 * NULL) into gs, linted as kpi_goals_lint does (measurable with lint),
 * advice to w.  *defs is the catalogue (NULL without defsfile; caller frees
 * with kpi_defs_free, even on error).  Returns 0, or -1 with err set at
 * the first error.
 */
int kpi_goals_define(const char *defsfile, const char *goalsfile, int lint,
    struct kpi_goals *gs, struct kpi_defs **defs, const struct kpi_warn *w,
    struct kpi_err *err);

/* The target of g for a period label (the table, else target), or NAN. */
double kpi_goal_target_for(const struct kpi_goal *g, const char *label,
    size_t n);

/* ---- evaluating points (run.c) ---- */

struct kpi_goal_opts {
	int has_as_of;
	long long as_of_day;	/* --as-of: days since 1970; the clock is the
				   end of that day in each point's offset */
	enum kpi_grain cumulative; /* --cumulative: KPI_ALL for none */
	double at_risk, early;
	unsigned fail_on;	/* 1 << status: what --check fails on */
	size_t hold;		/* points read between evaluation passes, on
				   top of those held; 0: KPI_GOAL_HOLD */
};

#define KPI_GOAL_HOLD	4096

/* One failing evaluation, for --check. */
struct kpi_goal_fail {
	const char *goal, *dims, *period;	/* borrowed for the call */
	double value, target;
	enum kpi_goal_status status;
	enum kpi_mformat format;		/* how to show value, target */
	const char *unit;			/* borrowed; or NULL */
	size_t ulen;
};

/*
 * A failure worded as --check tells it on stderr, appended to b:
 * "prog: goal 'g' dims period: value 1.88%, target 2%: off_track\n".
 */
void kpi_goal_fail_line(struct kpi_buf *b, const struct kpi_goal_fail *f);

struct kpi_goal_run;

/*
 * An evaluation of goals gs (borrowed) with metric metadata from defs
 * (borrowed; may be NULL), written to o (borrowed); fail(arg, f) (may be
 * NULL) hears of each evaluation whose status is in opts->fail_on.
 * Caller frees with kpi_goal_run_free.
 */
struct kpi_goal_run *kpi_goal_run_new(const struct kpi_goals *gs,
    const struct kpi_defs *defs, const struct kpi_goal_opts *opts,
    struct kpi_out *o, void (*fail)(void *, const struct kpi_goal_fail *),
    void *arg);
void kpi_goal_run_free(struct kpi_goal_run *run);

/*
 * Adds one record of the input: a point.  Points are held until their
 * verdicts are known, then written in input order, evaluated or passed
 * through (see run.c); a write error is kept for kpi_goal_run_end.
 * Returns 0, or -1 with err->msg set when it is not a point.
 */
int kpi_goal_run_add(struct kpi_goal_run *run, const struct kpi_rec *r,
    struct kpi_err *err);

/*
 * At the end of the input: writes the points still held, then the no_data
 * evaluations.  Returns 0, or -1 on a write error (o->err_no set), now or
 * in an earlier kpi_goal_run_add.
 */
int kpi_goal_run_end(struct kpi_goal_run *run);

#endif /* KPI_GOAL_H */
