/*
 * run.c - the normaliser's row loop: rows from a record input through
 * kpi_norm_feed to the output and the rejects, with the bookkeeping that
 * lies between rows (sources that end, inputs that stop early, the entity
 * still being folded at the end).  The face only opens and prints.
 */
#include <string.h>

#include "normalize/normalize.h"

struct run {
	struct kpi_norm *n;
	const struct kpi_norm_sink *sink;
	int failed;		/* something told makes the run fail */
};

/*
 * An input stopped before its end: the entity being folded is not written
 * (kpi_norm_cut says why), told even with --rejects, which has no copy of
 * its rows.
 */
static void
cut(struct run *run)
{
	struct kpi_reject rej;
	struct kpi_err where;
	unsigned long rows;

	if ((rows = kpi_norm_cut(run->n, &rej, &where)) == 0)
		return;
	kpi_reject_cut_msg(&rej, rows, where.msg, sizeof(where.msg));
	run->sink->tell.fn(run->sink->tell.arg, &where);
}

/* A source every row of which was dropped is an error (kpi_norm_source). */
static void
source(struct run *run, const struct kpi_rec *next)
{
	struct kpi_err err;

	kpi_err_clear(&err);
	if (kpi_norm_source(run->n, next, &err) < 0) {
		run->sink->tell.fn(run->sink->tell.arg, &err);
		run->failed = 1;
	}
}

/*
 * One input row through the normaliser; 1 to stop this input (the spec
 * does not fit it), -1 to stop everything (a write failed).
 */
static int
feed(struct run *run, const struct kpi_rec *r)
{
	const struct kpi_norm_sink *sink = run->sink;
	struct kpi_reject rej;
	struct kpi_err err;
	int ready = 0;

	kpi_err_clear(&err);
	switch (kpi_norm_feed(run->n, r, &ready, &rej, &err)) {
	case KPI_NORM_REJECTED:
		if (sink->reject(sink->arg, r, &rej) < 0)
			return -1;
		break;
	case KPI_NORM_ERROR:
		kpi_rec_where(r, &err);
		sink->tell.fn(sink->tell.arg, &err);
		run->failed = 1;
		return 1;
	default:
		break;
	}
	if (ready && kpi_out_rec(sink->out, kpi_norm_row(run->n)) < 0)
		return -1;
	return 0;
}

int
kpi_norm_run(struct kpi_norm *n, struct kpi_rin *in,
    const struct kpi_norm_sink *sink)
{
	struct run run = { n, sink, 0 };
	unsigned long failures = kpi_rin_failures(in);
	struct kpi_rec rec;
	int rc = 0, ready;

	kpi_rec_init(&rec);
	while (kpi_rin_next(in, &rec) == 1) {
		if (sink->row != NULL)
			sink->row(sink->row_arg);
		if (kpi_rin_failures(in) != failures) {
			failures = kpi_rin_failures(in);
			cut(&run);
		}
		source(&run, &rec);
		if ((rc = feed(&run, &rec)) < 0)
			break;
		if (rc > 0) {
			kpi_rin_skip(in);
			cut(&run);
		}
	}
	if (rc >= 0 && kpi_rin_failures(in) != failures)
		cut(&run);
	if (rc >= 0)
		source(&run, NULL);
	if (sink->out->err_no == 0) {
		kpi_norm_finish(n, &ready);
		if (ready)
			kpi_out_rec(sink->out, kpi_norm_row(n));
	}
	kpi_rec_release(&rec);
	return run.failed ? -1 : 0;
}
