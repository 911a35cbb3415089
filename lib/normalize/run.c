/*
 * run.c - the normaliser's row loop: rows from a record input through
 * kpi_norm_feed to the output and the rejects, with the bookkeeping that
 * lies between rows (sources that end, inputs that stop early, the entity
 * still being folded at the end).  The face only opens and prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize/normalize.h"

struct run {
	struct kpi_norm *n;
	struct kpi_norm_sink *sink;
	int failed;		/* something told makes the run fail */
	struct kpi_rec rec;	/* a rejected row with its _error */
	struct kpi_buf error;	/* the _error object's text */
};

/*
 * A rejected row: as read, with "_error" before its provenance, to
 * --rejects; without it, told.  -1 when the write failed.
 */
static int
rejected(struct run *run, const struct kpi_rec *r,
    const struct kpi_reject *rej)
{
	struct kpi_norm_sink *sink = run->sink;
	struct kpi_err err;

	if (sink->rejects != NULL && sink->rejects->fd >= 0) {
		kpi_reject_row(r, rej, &run->rec, &run->error);
		return kpi_out_rec(sink->rejects, &run->rec);
	}
	kpi_rec_where(r, &err);
	if (kpi_reject_msg(rej, err.msg, sizeof(err.msg)) != NULL)
		sink->tell.fn(sink->tell.arg, &err);
	sink->told++;
	return 0;
}

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
	struct kpi_norm_sink *sink = run->sink;
	struct kpi_reject rej;
	struct kpi_err err;
	int ready = 0;

	kpi_err_clear(&err);
	switch (kpi_norm_feed(run->n, r, &ready, &rej, &err)) {
	case KPI_NORM_REJECTED:
		if (rejected(run, r, &rej) < 0)
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
    struct kpi_norm_sink *sink)
{
	unsigned long failures = kpi_rin_failures(in);
	struct kpi_rec rec;
	struct run run;
	int rc = 0, ready;

	memset(&run, 0, sizeof(run));
	run.n = n;
	run.sink = sink;
	kpi_rec_init(&rec);
	kpi_rec_init(&run.rec);
	kpi_buf_init(&run.error);
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
	kpi_rec_release(&run.rec);
	kpi_buf_release(&run.error);
	return run.failed ? -1 : 0;
}

const char *
kpi_norm_stats_line(const struct kpi_norm *n, char *buf, size_t size)
{
	const struct kpi_norm_stats *st = kpi_norm_stats(n);
	unsigned long missed;
	char more[64];

	/* Rows that missed a lookup are counted apart: not in the sum. */
	more[0] = '\0';
	if (kpi_norm_lookups(n, &missed) > 0)
		snprintf(more, sizeof(more), "; %lu missed a lookup", missed);
	snprintf(buf, size, "%lu row%s in, %lu out, %lu rejected, %lu dropped, "
	    "%lu folded, %lu duplicate%s%s", st->in, st->in == 1 ? "" : "s",
	    st->out, st->rejected, st->dropped, st->folded, st->duplicates,
	    st->duplicates == 1 ? "" : "s", more);
	return buf;
}

/*
 * NAME=VALUE split at its first '=' into *name and *value (both in arg,
 * which is changed); -1 without a name, or with an empty value unless
 * empty_ok.
 */
static int
split_pair(char *arg, int empty_ok, char **name, char **value)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || (!empty_ok && eq[1] == '\0'))
		return -1;
	*eq = '\0';
	*name = arg;
	*value = eq + 1;
	return 0;
}

int
kpi_norm_lookup_arg(struct kpi_norm_opts *o, char *arg)
{
	struct kpi_lookup_arg *l;
	char *name, *path;

	if (split_pair(arg, 0, &name, &path) < 0)
		return -1;
	l = kpi_xrealloc((void *)o->lookups, (o->nlookups + 1) * sizeof(*l));
	l[o->nlookups].name = name;
	l[o->nlookups++].path = path;
	o->lookups = l;
	return 0;
}

int
kpi_norm_set_arg(struct kpi_norm_opts *o, char *arg)
{
	struct kpi_set_arg *l;
	char *name, *value;

	if (split_pair(arg, 1, &name, &value) < 0)
		return -1;
	l = kpi_xrealloc((void *)o->sets, (o->nsets + 1) * sizeof(*l));
	l[o->nsets].name = name;
	l[o->nsets++].value = value;
	o->sets = l;
	return 0;
}
