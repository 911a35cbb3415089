/*
 * entity.h - the entities (customers, or any id field) behind kpi-aggregate's
 * entity reducers new, returning, retained, churned, repeat and distinct.
 * Shared by entity.c, which keeps them, and agg.c, window.c and merge.c,
 * which count, merge and write them.  Not part of the public API.
 *
 * Every id of one field (and dataset) is kept once, in a kpi_ents table
 * that gives it a number; a group (period and dims) holds only the numbers
 * of the entities its rows name, in a kpi_eset, each with one bit: seen in
 * two rows or more.  Memory: about 40 bytes and the id's length per entity,
 * and 4 to 8 bytes per entity and group it is seen in.
 */
#ifndef KPI_ENTITY_H
#define KPI_ENTITY_H

#include <stdint.h>

#include "aggregate/aggregate.h"

/* Every id of one entity slot: text, number, the first period it was in. */
struct kpi_ents {
	struct kpi_arena mem;	/* the ids' bytes */
	const char **id;	/* [number]: the id, NUL-terminated; in mem */
	uint32_t *len;		/* [number]: its length */
	long long *first;	/* [number]: the lowest period index seen */
	uint32_t n;
	uint32_t cap;
	uint32_t *tab;		/* open addressing: number + 1, or 0 */
	uint32_t tcap;		/* a power of two */
};

void kpi_ents_init(struct kpi_ents *t);
void kpi_ents_release(struct kpi_ents *t);

/* The number of id s[0..n), given it when new (first: LLONG_MAX). */
uint32_t kpi_ents_intern(struct kpi_ents *t, const char *s, size_t n);

/* A set of entity numbers, each with its "two rows or more" bit. */
struct kpi_eset {
	uint32_t *tab;		/* (number + 1) | MANY, or 0; owned */
	uint32_t cap;		/* a power of two, or 0 */
	uint32_t len;
};

#define KPI_ESET_MANY	0x80000000u	/* seen in two rows or more */

void kpi_eset_init(struct kpi_eset *s);
void kpi_eset_release(struct kpi_eset *s);

/* Adds one row's entity e: e joins, or gets its MANY bit when there. */
void kpi_eset_add(struct kpi_eset *s, uint32_t e);

/* Adds the rows of o: a number in both, or MANY in either, is MANY. */
void kpi_eset_merge(struct kpi_eset *s, const struct kpi_eset *o);

/* Whether e is in s. */
int kpi_eset_has(const struct kpi_eset *s, uint32_t e);

/*
 * Calls fn(arg, e, many) for each entity of s, in no order.
 */
void kpi_eset_each(const struct kpi_eset *s,
    void (*fn)(void *arg, uint32_t e, int many), void *arg);

/*
 * Appends s as JSON for --partial: {"set":[ids],"many":[ids]}, each list
 * sorted by the ids' bytes, so equal sets give equal text.
 */
void kpi_eset_put(struct kpi_buf *b, const struct kpi_eset *s,
    const struct kpi_ents *t);

/*
 * Reads such JSON (json[0..n)) into s, which must be empty, interning the
 * ids in t and lowering their first period to period.  Returns 0, or -1
 * with err->msg set (then s may hold some of the ids).
 */
int kpi_eset_load(struct kpi_eset *s, struct kpi_ents *t, long long period,
    const char *json, size_t n, struct kpi_err *err);

#endif
