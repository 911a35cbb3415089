/*
 * exact.h - exact sums for the reducers (exact.c): 512-bit integers and
 * sums of decimal-like values, private to lib/aggregate/.  See the top of
 * reduce.c for why sums are kept this way and exact.c for the bounds.
 */
#ifndef KPI_EXACT_H
#define KPI_EXACT_H

#include <stddef.h>
#include <stdint.h>

#define BIGW		16		/* 32-bit words */
#define BIGDIG		160		/* decimal digits of 2^512, and some */
#define SUM_DIGITS	48		/* > 2^153: a loaded sum's digits */
#define SQ_DIGITS	96		/* > 2^243: a loaded sum of squares' */

/* A signed integer, two's complement, least significant word first. */
struct big {
	uint32_t w[BIGW];
};

/*
 * A sum of values, exact where they are decimal-like: zeroed is empty.
 * squares (stddev) also keeps the sum of squares and, for the others,
 * Welford's mean and M2 in a and b.
 */
struct exact {
	long long n;		/* decimal-like values */
	long long nf;		/* the others */
	struct big k;		/* sum of the decimal-like times 10^6 */
	double a, b;		/* the others: sum, mean: Neumaier sum and
				   compensation; stddev: mean and M2 */
	struct big q;		/* stddev: sum of their squares times 10^12;
				   last, so that sum and mean states, which
				   never touch it, are allocated without it */
};

/* Whether a is negative. */
int big_isneg(const struct big *a);

/* Writes a in decimal to t (BIGDIG + 2 bytes at least); returns the length. */
size_t big_to_dec(const struct big *a, char *t);

/* Reads "-123" (s[0..n)) with at most maxdig digits: 0, or -1. */
int big_from_dec(struct big *a, const char *s, size_t n, size_t maxdig);

/*
 * Whether x is the double nearest to some k / 10^6 (decimal-like), with
 * *k set if so.
 */
int to_fixed(double x, struct big *k);

/* Adds the finite x; squares for stddev (the same for every call). */
void exact_add(struct exact *ex, double x, int squares);

/* Adds o's values to ex. */
void exact_merge(struct exact *ex, const struct exact *o, int squares);

/* The sum of all values, as a double. */
double exact_sum(const struct exact *ex);

/*
 * The sample standard deviation of a squares sum: 1 with *out set, or 0
 * for fewer than two values (or no finite answer).
 */
int exact_stddev(const struct exact *ex, double *out);

#endif
