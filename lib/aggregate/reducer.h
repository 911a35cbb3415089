/*
 * reducer.h - the table of reducers (reduce.c), private to
 * lib/aggregate/: every name a formula may call, each with what it
 * takes and what computes it.  A new reducer is one entry in reduce.c's
 * table plus its functions.
 */
#ifndef KPI_REDUCER_H
#define KPI_REDUCER_H

#include "aggregate/aggregate.h"

/* The entity reducers: counts over the ids of a field; see entity.h. */
enum metric_ent {
	ENT_NONE,
	ENT_NEW,			/* new(f): first seen in this period */
	ENT_RETURNING,			/* returning(f): seen before it */
	ENT_RETAINED,			/* retained(f): also in the one before */
	ENT_CHURNED,			/* churned(f): in the one before only */
	ENT_REPEAT,			/* repeat(f): in two rows or more */
	ENT_DISTINCT			/* distinct(f): all of them; kept as an
					   entity set (4 bytes a value per
					   group) and shared with the others */
};

struct loader;

/*
 * One reducer.  A state reducer (ent ENT_NONE) has its state in a
 * kpi_rstate and these operations on it, as kpi_rstate_* describe them
 * in aggregate.h; an entity reducer has none here: agg.c counts it in
 * entity sets.
 */
struct reducer {
	const char *name;		/* as a formula calls it; "p" for pNN */
	int nofield;			/* takes no field: count() */
	enum kpi_red red;		/* a state reducer's kind */
	enum metric_ent ent;		/* or an entity reducer */
	void (*init)(struct kpi_rstate *st);	/* st zeroed before */
	void (*release)(struct kpi_rstate *st);
	/* v: a value or null (never NULL); 0, or -1 for the wrong type. */
	int (*add)(struct kpi_rstate *st, const struct kpi_val *v,
	    long long t);
	void (*merge)(struct kpi_rstate *st, const struct kpi_rstate *o);
	int (*value)(const struct kpi_rstate *st, double *out);
	void (*put)(struct kpi_buf *b, const struct kpi_rstate *st);
	/* The state's fields from ld: 0, or -1. */
	int (*load)(struct kpi_rstate *st, struct loader *ld);
};

/*
 * The reducer a formula calls as name[0..n)(field), has_field saying
 * whether it names a field: the entry taking no field when has_field is
 * 0 and one does, else the first of that name, so that the caller can
 * say "needs a field".  NULL for an unknown name.  *pct is set for
 * median (50) and pNN.  Static.
 */
const struct reducer *red_find(const char *name, size_t n, int has_field,
    double *pct);

#endif
