/*
 * series.h - the series of a balance (series.c), private to
 * lib/aggregate/: per key the value at the latest time, and the sum of
 * those values, kept as they change.
 */
#ifndef KPI_SERIES_H
#define KPI_SERIES_H

#include <stddef.h>
#include <stdint.h>

/* One series: its key, and its value at the latest time. */
struct series {
	char *key;		/* owned; NULL for a free slot */
	size_t klen;
	uint64_t h;
	long long t;
	double x;
};

struct series_sum;

/* The series of one state: zeroed is empty. */
struct smap {
	struct series *e;	/* open addressing; owned */
	size_t n;
	size_t cap;		/* a power of two, or 0 */
	struct series_sum *sum;	/* owned; NULL while empty */
};

/* Frees what m holds; m is then to be zeroed before use. */
void smap_release(struct smap *m);

/*
 * Series key[0..n) is x at time t, unless it holds a value of a later
 * time, or of the same time and greater or equal: so that the result does
 * not depend on the order of the calls.  x finite, not -0.
 */
void smap_put(struct smap *m, const char *key, size_t n, long long t,
    double x);

/* Puts every series of o into m. */
void smap_merge(struct smap *m, const struct smap *o);

/*
 * The sum of the series: 1 with *out set, 0 for none (or a sum beyond a
 * double).  A function of the set of series alone.
 */
int smap_value(const struct smap *m, double *out);

/* The m->n series sorted by key bytes.  Caller frees the array. */
const struct series **smap_sorted(const struct smap *m);

#endif
