/*
 * defs.h - compiled metric definitions, shared by defs.c (which builds
 * them) and agg.c, window.c and merge.c (which compute them).  Not part of
 * the public API.
 */
#ifndef KPI_DEFS_H
#define KPI_DEFS_H

#include "aggregate/aggregate.h"
#include "aggregate/reducer.h"

struct metric {
	char *name;			/* owned */
	size_t nlen;
	char *formula;			/* owned */
	char *where;			/* "kpis.json" or "-m"; owned */
	unsigned long line, col;	/* of its formula in the file; 0 for -m */
	int base;			/* a reducer over a field */
	enum kpi_red red;		/* base, when not ent */
	enum metric_ent ent;		/* base: an entity reducer, or ENT_NONE */
	size_t eslot;			/* ent: its set among the entity sets;
					   one per field and dataset */
	double pct;
	struct kpi_cond cond;		/* count_if, share_if: the test */
	char *field;			/* base; NULL for count(); owned */
	size_t flen;
	char *by;			/* balance(field, by): the entity whose
					   series it sums; NULL; owned */
	char *dataset;			/* base: only these rows; owned */
	struct kpi_expr *expr;		/* derived; owned */
	size_t *refs;			/* derived: metric index of each ref */
	char *unit;			/* owned; or NULL */
	char *description;		/* owned; or NULL */
	char *group;			/* owned; or NULL: funnel stage */
	enum kpi_mformat format;
	int lower_better;
	int emit;			/* written (--metrics) */
	size_t slot;			/* base: index among the base metrics */
};

struct kpi_defs {
	struct metric *m;		/* owned */
	size_t n;
	size_t nbase;
	size_t nent;			/* entity sets */
	size_t *order;			/* derived metrics, operands first */
	size_t norder;
};

#endif
