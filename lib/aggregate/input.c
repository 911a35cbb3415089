/*
 * input.c - a run's records into the aggregation: the loop over a record
 * input, rows or --merge points, what becomes of each (counted, rejected,
 * outside --from and --to), the --stats line that counts them, and the
 * catalogue's lines for --list-metrics.  The face opens the input and
 * prints what it is given; the words are here, once.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/agg.h"

/* Where rejected rows go, and the room to build one in. */
struct sink {
	struct kpi_out *rejects;	/* NULL: told through opts.warn */
	struct kpi_rec row;		/* the row with its "_error" */
	struct kpi_buf error;		/* the "_error" text */
};

/* A rejected row to --rejects, or told: 0, or -1 when the write failed. */
static int
rejected(struct kpi_agg *a, struct sink *k, const struct kpi_rec *r,
    const struct kpi_agg_reject *rej)
{
	struct kpi_err e;

	a->rejected++;
	if (k->rejects != NULL) {
		kpi_agg_reject_row(r, rej, &k->row, &k->error);
		return kpi_out_rec(k->rejects, &k->row);
	}
	kpi_rec_where(r, &e);
	kpi_agg_reject_msg(rej, e.msg, sizeof(e.msg));
	kpi_warn(&a->o.warn, e.file, e.line, e.col, "%s", e.msg);
	return 0;
}

/*
 * One row, or with --merge one point: 0, or -1 when a point did not merge
 * (err set) or a rejected row could not be written (err->msg empty).
 */
static int
feed(struct kpi_agg *a, struct sink *k, const struct kpi_rec *r,
    struct kpi_err *err)
{
	struct kpi_agg_reject rej;
	int rc;

	a->in++;
	if (a->o.merge) {
		kpi_err_clear(err);
		if ((rc = kpi_agg_add_point(a, r, err)) < 0) {
			/* Merged numbers missing a part would be wrong. */
			kpi_rec_where(r, err);
			return -1;
		}
	} else if ((rc = kpi_agg_add(a, r, &rej)) < 0) {
		kpi_err_clear(err);
		return rejected(a, k, r, &rej);
	}
	a->outside += rc == 1;
	return 0;
}

int
kpi_agg_read(struct kpi_agg *a, struct kpi_rin *in, struct kpi_out *rejects,
    struct kpi_err *err)
{
	struct kpi_rec rec;
	struct sink k;
	int rc = 0;

	k.rejects = rejects != NULL && rejects->fd >= 0 ? rejects : NULL;
	kpi_rec_init(&k.row);
	kpi_buf_init(&k.error);
	kpi_rec_init(&rec);
	while (rc == 0 && kpi_rin_next(in, &rec) == 1)
		rc = feed(a, &k, &rec, err);
	kpi_rec_release(&rec);
	kpi_rec_release(&k.row);
	kpi_buf_release(&k.error);
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

unsigned long
kpi_agg_outside(const struct kpi_agg *a)
{
	return a->outside;
}

static const char *
plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

const char *
kpi_agg_stats(const struct kpi_agg *a, char *buf, size_t size)
{
	size_t groups = kpi_agg_groups(a), points = kpi_agg_points(a);
	char outside[64] = "";

	if (a->o.from != LLONG_MIN || a->o.to != LLONG_MAX)
		snprintf(outside, sizeof(outside), "%lu outside the range, ",
		    a->outside);
	snprintf(buf, size, "%lu %s in, %lu rejected, %s%zu %s, %zu %s",
	    a->in, a->o.merge ? plural(a->in, "point", "points") :
	    plural(a->in, "row", "rows"), a->rejected, outside, groups,
	    plural(groups, "group", "groups"), points,
	    plural(points, "point", "points"));
	return buf;
}

/* A description on one line: a tab or line break becomes a space. */
static void
add_line(struct kpi_buf *b, const char *s)
{
	for (; s != NULL && *s; s++)
		kpi_buf_addc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
}

int
kpi_defs_list(const struct kpi_defs *d, struct kpi_out *o)
{
	struct kpi_metric_info m;
	struct kpi_buf b;
	size_t i;
	int rc = 0;

	kpi_buf_init(&b);
	for (i = 0; rc == 0 && i < kpi_defs_count(d); i++) {
		kpi_defs_info(d, i, &m);
		kpi_buf_reset(&b);
		kpi_buf_addf(&b, "%s\t%s\t%s\t", m.name,
		    kpi_mformat_name(m.format), m.lower_better ? "lower" :
		    "higher");
		add_line(&b, m.group);
		kpi_buf_addc(&b, '\t');
		add_line(&b, m.description);
		kpi_buf_addc(&b, '\n');
		rc = kpi_out_write(o, b.p, b.len);
	}
	kpi_buf_release(&b);
	return rc;
}
