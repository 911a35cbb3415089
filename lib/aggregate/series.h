/*
 * series.h - the series of a balance (series.c), private to
 * lib/aggregate/: per series the value at the latest time, and the sum
 * of those values, kept as they change.
 *
 * A series is its group's dimensions and an id: the entity's id as JSON
 * text ("\"c1\"", "null"), or "" for balance(field).  The dimensions are
 * the group's own, so a state keeps only the id, and not its text but
 * its number in a kpi_ents table (entity.h) that every state of the
 * metric shares: each id's bytes are kept once.  A --total group keeps
 * none of its own: its series are its period's groups' (window.c).
 *
 * A state is one of two forms:
 *
 *   a set, a group's state: 16 bytes a series (number, time, value) in
 *   one array, sorted by number, one per series, and after
 *   them the ones added since, unsorted, numbers repeated.  That run is
 *   sorted in (the greatest time, then value, of each number kept) when
 *   it fills the room left, an eighth of the set, as kpi_eset does: a row
 *   costs an append, no lookup and no allocation of its own, and memory
 *   is 16 to 20 bytes a series of the group.  A time is kept as seconds
 *   from the set's first, in 32 bits: a set whose times span more (68
 *   years, which only --every all may see) becomes a level;
 *
 *   a level, the running state of window_balances: a hash table by key
 *   (the number, and above it, for smap_merge_as, a number of the
 *   series' dimensions), and the sum of the values, exact, kept as they
 *   change: 24 to 64 bytes a series of the level's dimensions.  A
 *   --total's level holds no series: it adds up the sums of its groups'
 *   levels' changes, period by period (window.c).
 */
#ifndef KPI_SERIES_H
#define KPI_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate/aggregate.h"
#include "aggregate/entity.h"

/* A set's series: its id's number, its time and value. */
struct series {
	uint32_t id;
	int32_t dt;		/* its time less the set's base */
	double x;
};

/* A level's series: its key, (dimensions' number << 32) | id's number. */
struct slevel {
	uint64_t key;		/* SLEVEL_FREE for a free slot */
	long long t;
	double x;
};

#define SLEVEL_FREE	UINT64_MAX

struct series_sum;

/* The series of one state: zeroed is an empty set without ids. */
struct smap {
	struct kpi_ents *ids;	/* the ids' texts: borrowed, or owned when
				   own; NULL until the first id */
	int own;
	struct series *e;	/* a set: [0, len) sorted by id, one per
				   series; [len, len + npend) added since;
				   owned */
	uint32_t len;
	uint32_t npend;
	uint32_t cap;
	long long base;		/* the time of the set's first series */
	struct slevel *lv;	/* a level: open addressing; NULL for a
				   set; owned */
	size_t nlv;
	size_t lvcap;		/* a power of two */
	struct series_sum *sum;	/* a level's sum; owned; NULL while empty */
	struct series_sum *also; /* a level: another sum its changes go to
				   too, or NULL; borrowed */
};

/* Frees what m holds (not borrowed ids); m is then to be zeroed. */
void smap_release(struct smap *m);

/* m, empty, becomes a level. */
void smap_level(struct smap *m);

/* m, without ids, numbers its ids in ids (borrowed, shared). */
void smap_share(struct smap *m, struct kpi_ents *ids);

/*
 * Series number id (of m's ids) is x at time t, unless it holds a value
 * of a later time, or of the same time and greater or equal: so that the
 * result does not depend on the order of the calls.  x finite, not -0.
 */
void smap_put(struct smap *m, uint32_t id, long long t, double x);

/* The same for the series of id text s[0..n), numbered when new. */
void smap_put_key(struct smap *m, const char *s, size_t n, long long t,
    double x);

/*
 * Puts every series of o into m; into a level m with dims (above the id's
 * number in its key), so that series of other dimensions stay apart.
 * o is not a level of several dimensions.
 */
void smap_merge(struct smap *m, const struct smap *o);
void smap_merge_as(struct smap *m, const struct smap *o, uint32_t dims);

/* A sum of series' values, empty; ssum_free frees it. */
struct series_sum *ssum_new(void);
void ssum_free(struct series_sum *s);

/*
 * Adds the series of sum o (a level's changes, through its also) to
 * level m's sum: m's value and emptiness are then as if it held them,
 * though it holds no series to merge or write.
 */
void smap_add_sum(struct smap *m, const struct series_sum *o);

/* Whether m has no series. */
int smap_empty(const struct smap *m);

/*
 * The sum of the series: 1 with *out set, 0 for none (or a sum beyond a
 * double).  A function of the set of series alone; a level has it at
 * hand, a set works it out.
 */
int smap_value(const struct smap *m, double *out);

/*
 * Appends m's series as JSON members "KEY":[T,X], sorted by the key's
 * bytes; KEY is dims[0..dlen) and the id, or the id alone when it is a
 * whole key (a text that starts with '{': a state of other dimensions
 * read by --merge).  k members came before: a comma then.  Returns k
 * plus the members written.
 */
size_t smap_put_members(struct kpi_buf *b, const struct smap *m,
    const char *dims, size_t dlen, size_t k);

/* ---- in reduce.c ---- */

/* A balance state's series; NULL for another reducer's. */
struct smap *rstate_series(struct kpi_rstate *st);

/*
 * kpi_rstate_load for a balance of a group of dims[0..dlen), numbering
 * the ids in ids: a key that starts with dims is its series' id there.
 */
int rstate_series_load(struct kpi_rstate *st, struct kpi_ents *ids,
    const char *dims, size_t dlen, const char *json, size_t n,
    struct kpi_err *err);

#endif
