/*
 * kpi-aggregate - typed rows to metric points per period and dimensions.
 * See kpi-aggregate(1) and kpi(7).
 */
#include <stdio.h>
#include <unistd.h>

#include "kpi.h"

static const struct kpi_opt opts[] = {
	{ KPI_AGG_BY, "by", 0, "field[,field...]",
	    "group by these fields too, the dimensions" },
	{ KPI_AGG_COMPARE, "compare", 0, "how",
	    "compare with previous, year or n periods back" },
	{ KPI_AGG_CUMULATIVE, "cumulative", 0, "period",
	    "values to date in the month, quarter or year" },
	{ KPI_AGG_DEFS, "defs", 0, "file", "read the KPI catalogue file" },
	{ KPI_AGG_EVERY, "every", 0, "period",
	    "day, week (default), month, quarter, year, all" },
	{ KPI_AGG_FILL, "fill", 0, NULL,
	    "write every period, not only those with rows" },
	{ KPI_AGG_FY_START, "fiscal-year-start", 0, "month",
	    "start years in month (1-12 or a name)" },
	{ KPI_AGG_FROM, "from", 0, "date",
	    "report from the period of date (YYYY-MM-DD)" },
	{ KPI_AGG_LIST, "list-metrics", 0, NULL,
	    "print the metrics of the definitions and exit" },
	{ KPI_AGG_MAX_POINTS, "max-points", 0, "n",
	    "at most n points from --fill (0: no limit)" },
	{ KPI_AGG_METRIC, NULL, 'm', "name=formula", "define the metric name" },
	{ KPI_AGG_MERGE, "merge", 0, NULL,
	    "read --partial points and merge them" },
	{ KPI_AGG_METRICS, "metrics", 0, "name[,name...]",
	    "write the points of these metrics only" },
	{ KPI_AGG_PARTIAL, "partial", 0, NULL,
	    "add the reducers' states, for a --merge run" },
	{ KPI_AGG_REJECTS, "rejects", 0, "file",
	    "write rejected rows to file, with their _error" },
	{ KPI_AGG_ROLLING, "rolling", 0, "n",
	    "values over the period and the n - 1 before it" },
	{ KPI_AGG_STATS, "stats", 0, NULL,
	    "say how many rows, groups and points on stderr" },
	{ KPI_AGG_TO, "to", 0, "date",
	    "report to the period of date (YYYY-MM-DD)" },
	{ KPI_AGG_TOTAL, "total", 0, NULL,
	    "also write points over all dimension values" },
	{ KPI_AGG_TZ, "tz", 0, "zone", "cut periods on the calendar of zone" },
	{ KPI_AGG_WEEK_START, "week-start", 0, "day",
	    "start weeks on monday (default) or sunday" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct kpi_tool tool = {
	"kpi-aggregate",
	"usage: kpi-aggregate [--fill] [--merge] [--partial] [--stats] "
	"[--total]\n"
	"                     [--by field[,field...]] [--compare how] "
	"[--cumulative period]\n"
	"                     [--defs file] [--every period] "
	"[--fiscal-year-start month]\n"
	"                     [--from date] [--max-points n] "
	"[--metrics name[,name...]]\n"
	"                     [--rejects file] [--rolling n] [--to date] "
	"[--tz zone]\n"
	"                     [--week-start day] [-m name=formula] "
	"[file ...]\n"
	"       kpi-aggregate --list-metrics [--defs file] "
	"[-m name=formula]\n",
	opts
};

/* The options; exits 2 when one is bad or they do not go together. */
static void
options(struct kpi_face *f, struct kpi_agg_args *a, int argc)
{
	struct kpi_err err;
	int ch;

	kpi_agg_args_init(a, (size_t)argc);
	a->ao.warn.fn = kpi_warn_print;
	kpi_err_clear(&err);
	while ((ch = kpi_face_next(f)) != -1)
		if (kpi_agg_args_set(a, ch, f->arg, &err) < 0)
			kpi_face_fatal(&err);
	if (kpi_agg_args_finish(a, &err) < 0)
		kpi_face_fatal(&err);
	if (a->list && f->nfiles > 0)
		kpi_face_misuse(f, "--list-metrics reads no input");
}

/*
 * The rows (or --merge points) of the inputs into agg, then its points to
 * out and with stats the --stats line: the exit status.
 */
static int
run(struct kpi_agg *agg, const struct kpi_face *f, struct kpi_out *out,
    struct kpi_out *rejects, const struct kpi_agg_args *a)
{
	struct kpi_rin *in = kpi_face_records(f);
	struct kpi_err err;
	char line[256];
	int rc, status = KPI_EXIT_OK;

	kpi_err_clear(&err);
	/* A --rejects that cannot be written is told when it is closed. */
	if ((rc = kpi_agg_read(agg, in, rejects, &err)) < 0 && err.msg[0])
		kpi_msg_err(&err);
	/* A failed input was told; a merge missing a part (a file, a line)
	   would give wrong numbers: nothing is written. */
	if (kpi_rin_close(in) < 0 || rc < 0)
		status = KPI_EXIT_ERROR;
	if (rc < 0 || (a->ao.merge && status != KPI_EXIT_OK))
		return status;
	if ((rc = kpi_agg_emit(agg, out, &err)) < 0 && err.msg[0]) {
		kpi_msg_err(&err);
		return KPI_EXIT_ERROR;
	}
	if (rc == 0 && a->stats)
		kpi_msg("%s", kpi_agg_stats(agg, line, sizeof(line)));
	/* Rejected rows --rejects took are accounted for. */
	if (status == KPI_EXIT_OK && kpi_agg_rejected(agg) > 0 && !a->rejects)
		status = KPI_EXIT_FAIL;
	return status;
}

/* The aggregation of the inputs by defs, with its --rejects file. */
static int
aggregate(const struct kpi_defs *defs, const struct kpi_face *f,
    struct kpi_out *out, const struct kpi_agg_args *a)
{
	struct kpi_out rejects;
	struct kpi_agg *agg;
	struct kpi_err err;
	int status;

	if (kpi_out_create(&rejects, a->rejects, &err) < 0)
		kpi_face_fatal(&err);
	agg = kpi_agg_new(defs, &a->ao);
	status = run(agg, f, out, &rejects, a);
	if (kpi_out_close(&rejects, a->rejects, &err) < 0) {
		kpi_msg_err(&err);
		status = KPI_EXIT_ERROR;
	}
	kpi_agg_free(agg);
	return status;
}

int
main(int argc, char *argv[])
{
	struct kpi_agg_args a;
	struct kpi_face face;
	struct kpi_defs *defs;
	struct kpi_out out;
	struct kpi_err err;
	int status;

	kpi_face_start(&face, &tool, argc, argv);
	options(&face, &a, argc);
	kpi_err_clear(&err);
	if (a.defs == NULL && a.nm == 0)
		a.defs = kpi_face_catalogue(&face);
	if ((defs = kpi_defs_read(a.defs, a.ms, a.nm, a.select, &err)) == NULL)
		kpi_face_fatal(&err);
	kpi_out_init(&out, STDOUT_FILENO);
	if (a.list)	/* the definitions' metrics, and nothing read */
		status = kpi_defs_list(defs, &out) == 0 ? KPI_EXIT_OK :
		    KPI_EXIT_ERROR;
	else
		status = aggregate(defs, &face, &out, &a);
	kpi_defs_free(defs);
	kpi_agg_args_release(&a);
	kpi_face_end(&face);
	return kpi_out_finish(&out, status);
}
