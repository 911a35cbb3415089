/*
 * entity.h - the entities (customers, or any id field) behind kpi-aggregate's
 * entity reducers new, returning, retained, churned, repeat and distinct.
 * Shared by entity.c, which keeps them, and agg.c, window.c and merge.c,
 * which count, merge and write them.  Not part of the public API.
 *
 * Every id of one field (and dataset) is kept once, in a kpi_ents table
 * that gives it a number; a group (period and dims) holds only the numbers
 * of the entities its rows name, in a kpi_eset, each with one bit: seen in
 * two rows or more.  Memory: about 30 bytes and the id's length per entity
 * (8 more when first periods are kept), and 4 to 5 bytes per entity and
 * group it is seen in.
 */
#ifndef KPI_ENTITY_H
#define KPI_ENTITY_H

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "aggregate/aggregate.h"

/*
 * Every id of one entity slot, each given a number (0, 1, 2... in the
 * order first met) and, once lowered, the first period it was in.
 *
 * A row's lookup costs two reads of memory it may not have in cache: a
 * table slot, holding the top of the id's hash beside where its entry
 * is, and the entry, holding the id's number, length and bytes together.
 * Memory: the id's bytes and about 30 bytes an entity (its entry's header
 * and padding, 4 for its offset, 11 to 21 for its slot), 8 more once first
 * periods are kept.
 */
struct kpi_ents {
	char *store;		/* entries: number, length (uint32_t each),
				   the bytes, a NUL, padded to 4; owned */
	size_t slen;		/* bytes of store used */
	size_t scap;
	uint32_t *off;		/* [number]: its entry's offset / 4 */
	long long *first;	/* [number]: the lowest period index given,
				   or LLONG_MAX; NULL until one is given */
	uint32_t n;
	uint32_t cap;
	uint64_t *tab;		/* open addressing: hash >> 32 << 32 |
				   offset / 4 + 1, or 0; owned */
	uint32_t tcap;		/* a power of two */
};

void kpi_ents_init(struct kpi_ents *t);
void kpi_ents_release(struct kpi_ents *t);

/* The number of id s[0..n), given it when new. */
uint32_t kpi_ents_intern(struct kpi_ents *t, const char *s, size_t n);

/*
 * The same, given h = kpi_hash(0, s, n).  A caller that knows its ids a
 * row or two ahead hides the two reads: kpi_ents_prefetch(t, h) when it
 * has an id, kpi_ents_prefetch_entry(t, h, n) a row later (the slot is in
 * cache by then, naming the entry), and kpi_ents_intern_hashed a row
 * after that.  The prefetches are hints: they change nothing.
 */
uint32_t kpi_ents_intern_hashed(struct kpi_ents *t, const char *s, size_t n,
    uint64_t h);
void kpi_ents_prefetch(const struct kpi_ents *t, uint64_t h);
void kpi_ents_prefetch_entry(const struct kpi_ents *t, uint64_t h, size_t n);

/* The bytes of id e, NUL-terminated (borrowed), and their length. */
static inline const char *
kpi_ents_id(const struct kpi_ents *t, uint32_t e, uint32_t *len)
{
	const char *p = t->store + (size_t)t->off[e] * 4;

	memcpy(len, p + 4, sizeof(*len));
	return p + 8;
}

/* The lowest period given e (kpi_ents_lower), or LLONG_MAX. */
static inline long long
kpi_ents_first(const struct kpi_ents *t, uint32_t e)
{
	return t->first != NULL ? t->first[e] : LLONG_MAX;
}

/* Lowers e's first period to period. */
void kpi_ents_lower(struct kpi_ents *t, uint32_t e, long long period);

/*
 * A set of entity numbers, each with its "two rows or more" bit, for one
 * group.  Rows come in any order of groups, so a set is not touched per
 * row where it would miss the cache: kpi_eset_add and kpi_eset_merge
 * append to a pending run at the end of the array, and kpi_eset_settle
 * sorts that run and merges it into the sorted part, one pass in memory
 * order.  A run is settled when it fills the room left (a quarter of the
 * set), so the work per number added stays a constant, and memory 4 to 5
 * bytes a number.
 *
 * Reading a set (len, has, each, put, or merging it into another) needs it
 * settled first.
 */
struct kpi_eset {
	uint32_t *v;		/* [0, len): number << 1 | many, sorted;
				   [len, len + npend): the pending run,
				   the same way but unsorted, numbers
				   repeated; owned */
	uint32_t len;		/* numbers in the set, when settled */
	uint32_t npend;
	uint32_t cap;
};

void kpi_eset_init(struct kpi_eset *s);
void kpi_eset_release(struct kpi_eset *s);

/* Adds one row's entity e: e joins, or is MANY when there already. */
void kpi_eset_add(struct kpi_eset *s, uint32_t e);

/*
 * Adds the rows of o (settled): a number in both, or MANY in either, is
 * MANY once s is settled.
 */
void kpi_eset_merge(struct kpi_eset *s, const struct kpi_eset *o);

/* Sorts what was added into the set: len, has, each and put read it. */
void kpi_eset_settle(struct kpi_eset *s);

/* Whether e is in s. */
int kpi_eset_has(const struct kpi_eset *s, uint32_t e);

/*
 * Calls fn(arg, e, many) for each entity of s, by increasing number.
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
 * ids in t and lowering their first periods to period; s is left settled.
 * Returns 0, or -1 with err->msg set (then s may hold some of the ids).
 */
int kpi_eset_load(struct kpi_eset *s, struct kpi_ents *t, long long period,
    const char *json, size_t n, struct kpi_err *err);

#endif
