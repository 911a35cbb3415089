/*
 * near_test.c - edit distance and the nearest-name hint (lib/base/near.c).
 */
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

static const struct {
	const char *a, *b;
	size_t d;
} dist_cases[] = {
	{ "", "", 0 },
	{ "", "abc", 3 },
	{ "abc", "", 3 },
	{ "week", "week", 0 },
	{ "Week", "week", 0 },		/* case ignored */
	{ "weekly", "week", 2 },
	{ "mnoth", "month", 1 },	/* a swap costs one */
	{ "kitten", "sitting", 3 },
	{ "shopify-order", "shopify-orders", 1 },
	{ "last", "day", 3 },
};

static const struct {
	const char *want;
	const char *best;		/* NULL: no hint */
} near_cases[] = {
	{ "shopify-order", "shopify-orders" },
	{ "shopify", "shopify-orders" },	/* a prefix: the first wins */
	{ "weekly", "week" },
	{ "qurter", "quarter" },
	{ "GA4", NULL },			/* exact but for case: no hint */
	{ "last", NULL },			/* least bad is not near */
	{ "x", NULL },
	{ "", NULL },
	{ "googleads", "google-ads" },
	{ "meta", "meta-ads" },
};

static const char *const names[] = {
	"day", "week", "month", "quarter", "year", "ga4", "google-ads",
	"meta-ads", "shopify-orders", "shopify-line-items", NULL
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(dist_cases) / sizeof(dist_cases[0]); i++) {
		size_t got = kpi_near_distance(dist_cases[i].a, dist_cases[i].b);

		CHECK(got == dist_cases[i].d, "distance('%s', '%s') = %zu, "
		    "want %zu", dist_cases[i].a, dist_cases[i].b, got,
		    dist_cases[i].d);
	}
	for (i = 0; i < sizeof(near_cases) / sizeof(near_cases[0]); i++) {
		const char *got = kpi_near_find(near_cases[i].want, names);
		const char *want = near_cases[i].best;

		CHECK(got == want || (got && want && strcmp(got, want) == 0),
		    "near('%s') = '%s', want '%s'", near_cases[i].want,
		    got ? got : "(none)", want ? want : "(none)");
	}
	return unit_done();
}
