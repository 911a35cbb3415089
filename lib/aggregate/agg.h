/*
 * agg.h - the aggregation's groups, shared by agg.c (groups and emit),
 * window.c (rolling, cumulative, compare), merge.c (partial states and
 * --merge) and input.c (the input loop, --stats).  Not part of the public
 * API.
 */
#ifndef KPI_AGG_H
#define KPI_AGG_H

#include "aggregate/aggregate.h"
#include "aggregate/defs.h"
#include "aggregate/entity.h"

/*
 * agg.c - typed rows to metric points: a hash table of groups, one per
 * period and set of dimension values, each holding one reducer state per
 * base metric.  Derived metrics are computed per group from those states
 * at the end, so every grain (and the --total rollup) gets its ratios from
 * its own totals.  Memory grows with groups, not rows.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "defs.h"
#include "entity.h"

struct group {
	struct kpi_period per;
	char *dims;			/* the dims object as JSON, in the
					   group's block */
	size_t dlen;
	uint64_t hash;
	struct kpi_rstate **st;		/* per base metric, in the block;
					   owned unless filled; NULL for the
					   entity reducers */
	struct kpi_eset *es;		/* per entity set, in the block */
	unsigned char *loaded;		/* --merge: per base metric, whether
					   a point gave its state, in the
					   block */
	struct group *next;		/* hash chain */
	size_t pos;			/* its place in the sorted output */
	int filled;			/* made by --fill: no rows */
};

/*
 * One row's id for one entity set, waiting for its table's memory (see
 * ents_defer in agg.c).
 */
struct ent_row {
	struct kpi_buf id;		/* the id's text */
	uint64_t hash;			/* kpi_hash(0, id) */
	long guess;			/* its number, most likely, or -1 */
	struct group *g[2];		/* its groups: dims, --total (or NULL) */
	long long period;		/* their period index */
	int has;			/* the row has an id for the set */
};

#define EROWS	4			/* rows in the ring: a power of two, above 3 */

/*
 * A set of dims values met in the rows, and the dims text it makes (see
 * row_dims in agg.c): both in struct dims's store.
 */
struct dims_ent {
	size_t raw, rlen;		/* the values, as row_dims keys them */
	size_t text, tlen;		/* their dims text */
	uint64_t rh;			/* the values' hash; 0: a free slot */
	uint64_t th;			/* kpi_hash(0, text) */
};

#define DIMS_MAX	4096		/* sets of dims values remembered, */
#define DIMS_BYTES	(1 << 20)	/* and their bytes, at most */

/*
 * The rows' dims: each --by field's place in the last row, and the texts
 * of the sets of values met so far, looked up by the values, for a text
 * costs more to make (escaped, hashed) than the values to look up.
 */
struct dims {
	size_t *hint;			/* per --by field: its index */
	size_t *len;			/* per --by field: strlen */
	const struct kpi_field **f;	/* per --by field: the row's, or NULL */
	struct kpi_buf raw;		/* the row's values, keyed */
	struct dims_ent *tab;		/* open addressing; owned */
	size_t cap, n;			/* cap a power of two */
	struct kpi_buf store;		/* keys and texts of tab */
	const char *text;		/* the row's dims text, in store or
					   the agg's key */
	size_t tlen;
	uint64_t th;			/* kpi_hash(0, text) */
	size_t ent;			/* the row's entry in tab, or cap */
	struct group *last;		/* the last row's group, or NULL */
	size_t last_ent;		/* its entry in tab */
	struct group *total;		/* the last row's --total group */
};

struct kpi_agg {
	const struct kpi_defs *d;	/* borrowed */
	struct kpi_agg_opts o;
	struct group **tab;		/* owned, chains owned */
	size_t cap;
	size_t n;
	size_t points;
	struct kpi_timefmt *tf;		/* owned */
	struct kpi_period_memo pmemo;	/* the rows' periods in o.cal */
	struct kpi_period per;		/* the last row's period */
	int phave;			/* per is set */
	struct kpi_buf key;		/* the row's dims */
	struct dims dm;			/* the rows' dims, remembered */
	size_t htime, hend, hds;	/* "time", "end_date", "_dataset":
					   their indexes in the last row */
	int anyds;			/* a base metric has a data set */
	struct kpi_buf rtext;		/* a span rejection's words */
	struct kpi_buf pt;		/* a point being written */
	size_t *hint;			/* per base metric: its field's index */
	const struct kpi_val **vals;	/* per base metric: the row's value */
	unsigned char *skip;		/* per base metric: not the row's dataset */
	unsigned char *seen;		/* per base metric: a row (or with
					   --merge a state) of its dataset came;
					   when not, its values are null */
	struct kpi_ents *ents;		/* per entity set: its ids; owned */
	size_t *erep;			/* per entity set: a metric using it */
	struct ent_row *erow;		/* EROWS rows of nent ids each, the
					   entity sets' rows three behind the
					   input (see ents_defer); owned */
	unsigned long eput, etaken;	/* rows put there, rows taken */
	unsigned char *efirst;		/* per entity set: new or returning
					   asks for its entities' first
					   periods */
	struct kpi_buf etext;		/* an id's text */
	const struct metric **bal;	/* per base metric: itself when it
					   is a balance, else NULL */
	const struct kpi_val **bent;	/* per balance: the row's entity */
	struct kpi_buf skey;		/* a balance's series: the row's
					   entity's id */
	struct kpi_ents *sids;		/* per base metric: a balance's
					   series' ids (series.h); owned */
	struct dgroup *byper;		/* at emit, with --by: the groups but
					   the --total, by period, then dims
					   (series_index); owned */
	size_t nbyper;
	struct series_sum **tsum;	/* at emit, with --by and --total:
					   [slot * ntot + k], the sum of the
					   changes of balance slot's series in
					   the period of total gs[k]; owned */
	size_t ntot;
	size_t **carry;			/* --partial: per metric, the base
					   metrics whose states its points
					   carry; owned */
	size_t *ncarry;
	unsigned char *dep;		/* [metric * nbase + slot]: the metric
					   uses that base metric's state */
	struct kpi_rec srec;		/* --merge: a point's state */
	struct kpi_rstate **tmp;	/* --merge: per base metric, a state
					   being read */
	struct kpi_rstate **empty;	/* per base metric, an empty state:
					   the filled groups' */
	long long lo, hi;		/* the first and last period indexes
					   of the rows, for --fill */
	struct kpi_err lo_at, hi_at;	/* the rows that gave them */
	unsigned long in, rejected;	/* rows (or points) read, rejected */
	unsigned long outside;		/* of them, outside --from and --to */
	long long first, last;		/* the period indexes --from and --to
					   report, or LLONG_MIN and MAX */
	long long tfrom, tto;		/* --every all: the instants of the
					   rows counted, [tfrom, tto) */
	unsigned char *write;		/* per metric: written (emit, and
					   with opts.present its data sets
					   in the input); set by emit */
	size_t shown;			/* groups written */
};

/*
 * A group of some dims (not the --total), with the number of its dims
 * among all: a --total's balance is its period's groups' series.
 */
struct dgroup {
	struct group *g;
	uint32_t dims;
};

/* Every group's values, for points and their comparisons. */
struct emit {
	struct group *const *gs;	/* the groups in point order */
	const double *vals;		/* [group pos * nm + metric] */
	const unsigned char *null;
	size_t nm;
	size_t mi;			/* the metric being written */
};

/* ---- groups (agg.c) ---- */

/* The group of period p and dims text s, made when new. */
struct group *group_get(struct kpi_agg *a, const struct kpi_period *p,
    const char *s, size_t n);

/* The group of period index idx and dims text s, or NULL. */
const struct group *group_find(const struct kpi_agg *a, long long idx,
    const char *s, size_t n);

/* Keeps where the rows of the first and last periods came from. */
void agg_range(struct kpi_agg *a, const struct kpi_rec *r, long long idx);

/* Whether base metric m's data set is missing from the whole input. */
int agg_absent(const struct kpi_agg *a, const struct metric *m);

/* Whether period index idx is one --from and --to report. */
int agg_reported(const struct kpi_agg *a, long long idx);

/* ---- windows (window.c) ---- */

/*
 * --rolling and --cumulative: the states of the groups whose rows a point
 * of g covers, merged into st[slot] per base metric (new states, NULL for
 * entity reducers; the caller frees them); w is room for max groups.
 */
void window_states(const struct kpi_agg *a, const struct group *g,
    struct kpi_rstate **st, const struct group **w, size_t max);

/*
 * A balance is as of the end of a point's period, whatever its window:
 * run[slot] becomes, per balance, the merge of the states of gs[0..k]
 * that have gs[k]'s dims (gs sorted by dims, then period; run[slot] NULL
 * or a state, which this frees when the dims change).
 */
void window_balances(const struct kpi_agg *a, struct group *const *gs,
    size_t k, struct kpi_rstate **run);

/*
 * At emit, for the n groups gs in point order, with --by: a->byper, the
 * groups but the --total by period, whose series a --total's balance
 * state is (it keeps none of its own, unless a --merge gave it some),
 * and a->tsum, its level's sums (window.c).  series_index_free frees
 * them.
 */
void series_index(struct kpi_agg *a, struct group *const *gs, size_t n);
void series_index_free(struct kpi_agg *a);

/*
 * Whether g is a --total whose balance slot's series are its period's
 * other groups': then they are a->byper[*lo, *lo + *n).
 */
int series_total(const struct kpi_agg *a, const struct group *g, size_t slot,
    size_t *lo, size_t *n);

/* The entity reducers' values (and nulls) for a point of g. */
void window_ent_values(const struct kpi_agg *a, const struct group *g,
    double *vals, unsigned char *null);

/*
 * --compare: the value of metric e->mi in the period g is compared with,
 * and the changes from it, into p (whose value and format are set).
 */
void compare_fill(const struct kpi_agg *a, const struct group *g,
    const struct emit *e, struct kpi_point *p);

/* ---- partial states and --merge (merge.c) ---- */

/* Works out a->dep, a->carry and a->ncarry: what --partial points carry. */
void agg_carry(struct kpi_agg *a);

/* --partial: appends the states metric mi's point of g carries to a->pt. */
void partial_put_states(struct kpi_agg *a, size_t mi, const struct group *g);

/*
 * --merge: 0 when every state the written metrics need came from some
 * point, in every one of the n groups gs; else -1 with err set.
 */
int merge_check_loaded(const struct kpi_agg *a, struct group *const *gs,
    size_t n, struct kpi_err *err);

#endif
