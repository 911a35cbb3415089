/*
 * entity.h - the entities (customers, or any id field) behind kpi-aggregate's
 * entity reducers new, returning, retained, churned, repeat and distinct.
 * Shared by entity.c, which keeps them, and agg.c, window.c and merge.c,
 * which count, merge and write them.  Not part of the public API.
 *
 * Every id of one field (and dataset) is kept once, in a kpi_ents table
 * that gives it a number; a group (period and dims) holds only the numbers
 * of the entities its rows name, in a kpi_eset, each with one bit: seen in
 * two rows or more.  Memory: the id's bytes and 9 to 15 bytes per entity
 * (8 more when first periods are kept), and 1 to 3 bytes per entity and
 * group it is seen in, up to 6 in a group of fewer than one entity in
 * 8000 (see kpi_eset).
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
 * The ids' bytes lie one after the other in number order, with nothing
 * between them: where id e starts and where the next one does give its
 * bytes and length.  The table's slots hold numbers, not ids, with the top
 * of the id's hash in the bits the numbers leave free, so that most slots
 * of other ids are passed over without reading further.  A row's lookup
 * costs three reads of memory it may not have in cache: the slot, the
 * id's place and the id's bytes.
 *
 * Memory: the id's bytes, 4 for its place and 5 to 11 for its slot (the
 * table is 3/8 to 3/4 full): 9 to 15 bytes an entity, 8 more once first
 * periods are kept.  The ids' bytes together stay below 4 GiB.
 */
struct kpi_ents {
	char *store;		/* the ids' bytes, in number order; owned */
	size_t scap;
	uint32_t *off;		/* [number]: where its id starts in store;
				   [n]: the bytes used; owned */
	long long *first;	/* [number]: the lowest period index given,
				   or LLONG_MAX; NULL until one is given */
	uint32_t n;
	uint32_t cap;		/* numbers off and first have room for */
	uint32_t *tab;		/* open addressing: the hash's top bits
				   above the number + 1 (tcap - 1 masks
				   it), or 0; owned */
	uint32_t tcap;		/* a power of two, at most 2^31 */
};

void kpi_ents_init(struct kpi_ents *t);
void kpi_ents_release(struct kpi_ents *t);

/* The number of id s[0..n), given it when new. */
uint32_t kpi_ents_intern(struct kpi_ents *t, const char *s, size_t n);

/*
 * The same, given h = kpi_hash(0, s, n).  A caller that knows its ids a
 * few rows ahead hides the three reads: kpi_ents_prefetch(t, h) when it
 * has an id; g = kpi_ents_prefetch_place(t, h) a row later (the slot is
 * in cache by then, naming the number it returns as a guess, or -1);
 * kpi_ents_prefetch_id(t, g, n) a row after that (the place is in cache,
 * naming the bytes); and kpi_ents_intern_hashed a row after that.  The
 * prefetches are hints: they change nothing.
 */
uint32_t kpi_ents_intern_hashed(struct kpi_ents *t, const char *s, size_t n,
    uint64_t h);
void kpi_ents_prefetch(const struct kpi_ents *t, uint64_t h);
long kpi_ents_prefetch_place(const struct kpi_ents *t, uint64_t h);
void kpi_ents_prefetch_id(const struct kpi_ents *t, long guess, size_t n);

/* The bytes of id e (borrowed, not NUL-terminated), and their length. */
static inline const char *
kpi_ents_id(const struct kpi_ents *t, uint32_t e, uint32_t *len)
{
	*len = t->off[e + 1] - t->off[e];
	return t->store + t->off[e];
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
 * append to a pending run, and kpi_eset_settle sorts that run and merges
 * it into the set, one pass in memory order that copies most of the set
 * as it is.  A run is settled when it fills its room (a quarter of the
 * set), so the work per number added stays a constant.
 *
 * The set itself is its numbers' gaps, in increasing order: per number,
 * (number - the one before - 1) << 1 | many (the first counts from 0),
 * 7 bits a byte, low first, the top bit set on every byte but the last.
 * Numbers are given in the order ids are first met, so a group's are
 * spread over all of them: a group of one entity in 200 has gaps about
 * 200, and takes 1 to 2 bytes a number (1.7 in issue 19's reference
 * job); its pending room, 4 bytes a slot for a quarter of the set, adds
 * up to 1 more until it is settled.
 *
 * Reading a set (len, each, has, the iterator, put, or merging it into
 * another) needs it settled first.
 */
struct kpi_eset {
	unsigned char *b;	/* the set's gaps; owned */
	uint32_t *pend;		/* the pending run: number << 1 | many,
				   unsorted, numbers repeated; owned, NULL
				   when settled */
	size_t blen;		/* bytes of b */
	uint32_t len;		/* numbers in the set, when settled */
	uint32_t npend;
	uint32_t pcap;		/* room of pend */
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

/* Sorts what was added into the set: len, each and put read it. */
void kpi_eset_settle(struct kpi_eset *s);

/* A walk over a settled set, by increasing number. */
struct kpi_eset_iter {
	const unsigned char *p;	/* the next gap */
	uint32_t left;		/* numbers not yet given */
	uint32_t next;		/* the least number the next can be */
};

static inline void
kpi_eset_iter_init(struct kpi_eset_iter *it, const struct kpi_eset *s)
{
	it->p = s->b;
	it->left = s->len;
	it->next = 0;
}

/* The next entity of the walk into *e and *many; 0 at the end. */
static inline int
kpi_eset_next(struct kpi_eset_iter *it, uint32_t *e, int *many)
{
	uint64_t c = 0;
	unsigned shift = 0;

	if (it->left == 0)
		return 0;
	while (*it->p & 0x80) {
		c |= (uint64_t)(*it->p++ & 0x7f) << shift;
		shift += 7;
	}
	c |= (uint64_t)*it->p++ << shift;
	*e = it->next + (uint32_t)(c >> 1);
	*many = (int)(c & 1);
	it->next = *e + 1;
	it->left--;
	return 1;
}

/* Whether e is in s: a walk, for tests and small sets. */
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
