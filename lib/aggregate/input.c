/*
 * input.c - a run's records into the aggregation: the loop over a record
 * input, rows or --merge points, what becomes of each (counted, rejected),
 * and the --stats line that counts them.  The face opens the input and
 * says what it is told; the words are here, once.
 */
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/agg.h"

/* One row, or with --merge one point: 0, or -1 when a point did not merge. */
static int
feed(struct kpi_agg *a, const struct kpi_rec *r, struct kpi_err *err)
{
	struct kpi_err e;

	kpi_err_clear(&e);
	a->in++;
	if (a->o.merge) {
		if (kpi_agg_add_point(a, r, &e) == 0)
			return 0;
		/* Merged numbers missing a part would be wrong. */
		kpi_rec_where(r, &e);
		*err = e;
		return -1;
	}
	if (kpi_agg_add(a, r, &e) < 0) {
		a->rejected++;
		kpi_rec_where(r, &e);
		kpi_warn(&a->o.warn, e.file, e.line, e.col, "%s", e.msg);
	}
	return 0;
}

int
kpi_agg_read(struct kpi_agg *a, struct kpi_rin *in, struct kpi_err *err)
{
	struct kpi_rec rec;
	int rc = 0;

	kpi_rec_init(&rec);
	while (rc == 0 && kpi_rin_next(in, &rec) == 1)
		rc = feed(a, &rec, err);
	kpi_rec_release(&rec);
	return rc;
}

unsigned long
kpi_agg_in(const struct kpi_agg *a)
{
	return a->in;
}

unsigned long
kpi_agg_rejected(const struct kpi_agg *a)
{
	return a->rejected;
}

static const char *
plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void
kpi_agg_stats(const struct kpi_agg *a, struct kpi_buf *b)
{
	size_t groups = kpi_agg_groups(a), points = kpi_agg_points(a);

	kpi_buf_reset(b);
	kpi_buf_addf(b, "%lu %s in, %lu rejected, %zu %s, %zu %s", a->in,
	    a->o.merge ? plural(a->in, "point", "points") :
	    plural(a->in, "row", "rows"), a->rejected, groups,
	    plural(groups, "group", "groups"), points,
	    plural(points, "point", "points"));
}
