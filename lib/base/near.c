/*
 * near.c - the nearest name, for "did you mean" hints.
 *
 * A word that matched none of a set of names (a preset, a metric, a
 * period) is compared with each of them by edit distance: insertions,
 * deletions, substitutions and swaps of two neighbours each cost one
 * (the "optimal string alignment" distance), ASCII case ignored.  A name
 * counts as near only when fewer than half of the longer word's bytes need
 * an edit, or when one is a prefix of the other ("shopify" for
 * "shopify-orders"): a hint that is merely the least bad of unrelated
 * names misleads more than no hint.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Three rows of the distance table: row i-2 for swaps, i-1 and i.  Each
 * row is n+1 entries; memory is O(n), time O(m n).
 */
size_t
kpi_near_distance(const char *a, const char *b)
{
	size_t m = strlen(a), n = strlen(b), i, j, d;
	size_t *rows, *r0, *r1, *r2, *t;

	rows = r0 = kpi_xmalloc(3 * (n + 1) * sizeof(*r0));
	r1 = r0 + n + 1;
	r2 = r1 + n + 1;
	for (j = 0; j <= n; j++)
		r1[j] = j;
	for (i = 1; i <= m; i++) {
		r2[0] = i;
		for (j = 1; j <= n; j++) {
			int same = fold((unsigned char)a[i - 1]) ==
			    fold((unsigned char)b[j - 1]);

			r2[j] = min3(r1[j] + 1, r2[j - 1] + 1,
			    r1[j - 1] + !same);
			if (i > 1 && j > 1 && fold((unsigned char)a[i - 1]) ==
			    fold((unsigned char)b[j - 2]) &&
			    fold((unsigned char)a[i - 2]) ==
			    fold((unsigned char)b[j - 1]) && r0[j - 2] + 1 < r2[j])
				r2[j] = r0[j - 2] + 1;
		}
		t = r0, r0 = r1, r1 = r2, r2 = t;
	}
	d = r1[n];
	free(rows);
	return d;
}

/* Whether the shorter of a and b, three bytes or more, begins the other. */
static int
prefix_of(const char *a, const char *b)
{
	size_t m = strlen(a), n = strlen(b), k = m < n ? m : n, i;

	if (k < 3)
		return 0;
	for (i = 0; i < k; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return 0;
	return 1;
}

void
kpi_near_init(struct kpi_near *near, const char *want)
{
	near->want = want;
	near->best = NULL;
	near->dist = (size_t)-1;
}

void
kpi_near_try(struct kpi_near *near, const char *name)
{
	size_t d = kpi_near_distance(near->want, name);
	size_t m = strlen(near->want), n = strlen(name);
	size_t longer = m > n ? m : n;

	if (d == 0 || d >= near->dist)
		return;
	if (2 * d < longer || prefix_of(near->want, name)) {
		near->best = name;
		near->dist = d;
	}
}

const char *
kpi_near_find(const char *want, const char *const *names)
{
	struct kpi_near near;

	kpi_near_init(&near, want);
	for (; *names != NULL; names++)
		kpi_near_try(&near, *names);
	return near.best;
}
