/*
 * kpi-aggregate - typed rows to metric points per period and dimensions.
 * See kpi-aggregate(1) and kpi(7).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

struct run {
	struct kpi_agg *agg;
	struct kpi_rec rec;
	unsigned long in, rejected;
	int merge;		/* --merge: the input is --partial points */
	int broken;		/* a point did not merge: no output */
	int status;
};

enum {
	OPT_BY = 1, OPT_COMPARE, OPT_CUMULATIVE, OPT_DEFS, OPT_EVERY,
	OPT_FILL, OPT_FY_START, OPT_FROM, OPT_MAX_POINTS, OPT_METRIC, OPT_MERGE,
	OPT_METRICS,
	OPT_PARTIAL, OPT_ROLLING, OPT_STATS, OPT_TO, OPT_TOTAL, OPT_TZ,
	OPT_WEEK_START
};

static const struct kpi_opt opts[] = {
	{ OPT_BY, "by", 0, "field[,field...]",
	    "group by these fields too, the dimensions" },
	{ OPT_COMPARE, "compare", 0, "how",
	    "compare with previous, year or n periods back" },
	{ OPT_CUMULATIVE, "cumulative", 0, "period",
	    "values to date in the month, quarter or year" },
	{ OPT_DEFS, "defs", 0, "file", "read the KPI catalogue file" },
	{ OPT_EVERY, "every", 0, "period",
	    "day, week (default), month, quarter, year, all" },
	{ OPT_FILL, "fill", 0, NULL,
	    "write every period, not only those with rows" },
	{ OPT_FY_START, "fiscal-year-start", 0, "month",
	    "start years in month (1-12 or a name)" },
	{ OPT_FROM, "from", 0, "date",
	    "with --fill, fill from date (YYYY-MM-DD)" },
	{ OPT_MAX_POINTS, "max-points", 0, "n",
	    "at most n points from --fill (0: no limit)" },
	{ OPT_METRIC, NULL, 'm', "name=formula", "define the metric name" },
	{ OPT_MERGE, "merge", 0, NULL, "read --partial points and merge them" },
	{ OPT_METRICS, "metrics", 0, "name[,name...]",
	    "write the points of these metrics only" },
	{ OPT_PARTIAL, "partial", 0, NULL,
	    "add the reducers' states, for a --merge run" },
	{ OPT_ROLLING, "rolling", 0, "n",
	    "values over the period and the n - 1 before it" },
	{ OPT_STATS, "stats", 0, NULL,
	    "say how many rows, groups and points on stderr" },
	{ OPT_TO, "to", 0, "date", "with --fill, fill to date (YYYY-MM-DD)" },
	{ OPT_TOTAL, "total", 0, NULL,
	    "also write points over all dimension values" },
	{ OPT_TZ, "tz", 0, "zone", "cut periods on the calendar of zone" },
	{ OPT_WEEK_START, "week-start", 0, "day",
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
	"                     [--rolling n] [--to date] [--tz zone] "
	"[--week-start day]\n"
	"                     [-m name=formula] [file ...]\n",
	opts
};

/* A YYYY-MM-DD date as its day number; exits 2 when it is not one. */
static long long
parse_date(const char *s)
{
	long long days;

	if (kpi_date_parse(s, strlen(s), &days) < 0)
		kpi_face_bad("bad date", s);
	return days;
}

/* "a,b" into fields (pointers into s, which is cut at the commas). */
static size_t
split(char *s, const char **fields, size_t max)
{
	size_t n = 0;
	char *p;

	for (p = strtok(s, ","); p && n < max; p = strtok(NULL, ","))
		fields[n++] = p;
	return n;
}

/* One row, or with --merge one point; 0, or -1 when a point did not merge. */
static int
feed(struct run *run)
{
	struct kpi_err err;

	kpi_err_clear(&err);
	run->in++;
	if (run->merge) {
		if (kpi_agg_add_point(run->agg, &run->rec, &err) < 0) {
			/* Merged numbers missing a part would be wrong:
			   nothing is written. */
			kpi_rec_where(&run->rec, &err);
			kpi_msg_err(&err);
			run->broken = 1;
			run->status = KPI_EXIT_ERROR;
			return -1;
		}
	} else if (kpi_agg_add(run->agg, &run->rec, &err) < 0) {
		run->rejected++;
		kpi_rec_where(&run->rec, &err);
		kpi_msg_err(&err);
	}
	return 0;
}

/* Every row of the inputs. */
static void
run_inputs(struct run *run, const struct kpi_face *f)
{
	struct kpi_rin *in = kpi_face_records(f);

	while (kpi_rin_next(in, &run->rec) == 1)
		if (feed(run) < 0)
			break;
	if (kpi_rin_close(in) < 0)
		run->status = KPI_EXIT_ERROR;
}

static const char *
plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* What the command line asks for, besides ao. */
struct args {
	struct kpi_agg_opts ao;
	const char **by;
	char **ms;
	size_t nm;
	const char *defs, *select, *zone;
	long long from, to;
	int has_from, has_to, stats;
};

/* An option's value the aggregation parses; exits 2 when it is bad. */
static void
agg_value(int (*parse)(const char *, struct kpi_agg_opts *,
    struct kpi_err *), const char *arg, struct kpi_agg_opts *ao)
{
	struct kpi_err err;

	kpi_err_clear(&err);
	if (parse(arg, ao, &err) < 0)
		kpi_face_fatal(&err);
}

static void
option(struct args *a, int ch, char *arg, size_t max)
{
	switch (ch) {
	case OPT_BY:
		if ((a->ao.nby = split(arg, a->by, max)) == 0)
			kpi_face_bad("bad --by", arg);
		break;
	case OPT_COMPARE: agg_value(kpi_compare_parse, arg, &a->ao); break;
	case OPT_CUMULATIVE:
		agg_value(kpi_cumulative_parse, arg, &a->ao);
		break;
	case OPT_DEFS: a->defs = arg; break;
	case OPT_EVERY: agg_value(kpi_every_parse, arg, &a->ao); break;
	case OPT_FILL: a->ao.fill = 1; break;
	case OPT_FY_START:
		if (kpi_month_parse(arg, &a->ao.cal.fy_start) < 0)
			kpi_face_bad("bad month", arg);
		break;
	case OPT_FROM: a->from = parse_date(arg); a->has_from = 1; break;
	case OPT_MAX_POINTS:
		agg_value(kpi_max_points_parse, arg, &a->ao);
		break;
	case OPT_METRIC: a->ms[a->nm++] = arg; break;
	case OPT_MERGE: a->ao.merge = 1; break;
	case OPT_METRICS: a->select = arg; break;
	case OPT_PARTIAL: a->ao.partial = 1; break;
	case OPT_ROLLING: agg_value(kpi_rolling_parse, arg, &a->ao); break;
	case OPT_STATS: a->stats = 1; break;
	case OPT_TO: a->to = parse_date(arg); a->has_to = 1; break;
	case OPT_TOTAL: a->ao.total = 1; break;
	case OPT_TZ: a->zone = arg; break;
	case OPT_WEEK_START:
		if (kpi_week_start_parse(arg, &a->ao.cal.week_start) < 0)
			kpi_face_bad("bad week start", arg);
		break;
	}
}

/*
 * The options, the zone, and --from and --to in it; exits 2 when they
 * are bad or do not go together.
 */
static struct kpi_tz *
options(struct kpi_face *f, struct args *a, int argc)
{
	struct kpi_err err;
	struct kpi_tz *tz;
	int ch;

	memset(a, 0, sizeof(*a));
	kpi_agg_opts_init(&a->ao);
	a->ao.warn.fn = kpi_warn_print;
	a->zone = "UTC";
	a->ms = kpi_xmalloc((size_t)argc * sizeof(*a->ms));
	a->by = kpi_xmalloc((size_t)argc * sizeof(*a->by));
	a->ao.by = a->by;
	while ((ch = kpi_face_next(f)) != -1)
		option(a, ch, f->arg, (size_t)argc);
	kpi_err_clear(&err);
	if (kpi_agg_opts_check(&a->ao, a->has_from || a->has_to, &err) < 0 ||
	    (a->ao.cal.tz = tz = kpi_tz_open(a->zone, &err)) == NULL ||
	    kpi_agg_range(&a->ao, a->has_from ? &a->from : NULL,
	    a->has_to ? &a->to : NULL, &err) < 0)
		kpi_face_fatal(&err);
	return tz;
}

int
main(int argc, char *argv[])
{
	struct kpi_face face;
	struct kpi_defs *defs;
	struct kpi_tz *tz;
	struct kpi_out out;
	struct kpi_err err;
	struct args a;
	struct run run;
	int rc;

	kpi_face_start(&face, &tool, argc, argv);
	tz = options(&face, &a, argc);
	kpi_err_clear(&err);
	if (a.defs == NULL && a.nm == 0)
		a.defs = kpi_face_catalogue(&face);
	if ((defs = kpi_defs_read(a.defs, a.ms, a.nm, a.select, &err)) == NULL)
		kpi_face_fatal(&err);
	memset(&run, 0, sizeof(run));
	run.agg = kpi_agg_new(defs, &a.ao);
	run.merge = a.ao.merge;
	kpi_rec_init(&run.rec);
	kpi_out_init(&out, STDOUT_FILENO);

	run_inputs(&run, &face);
	kpi_err_clear(&err);
	/* A merge missing a part (a file, a line) would give wrong numbers. */
	if (run.merge && run.status != KPI_EXIT_OK)
		run.broken = 1;
	if (run.broken)
		;
	else if ((rc = kpi_agg_emit(run.agg, &out, &err)) < 0 && err.msg[0]) {
		kpi_msg_err(&err);
		run.status = KPI_EXIT_ERROR;
	} else if (rc == 0 && a.stats)
		kpi_msg("%lu %s in, %lu rejected, %zu %s, %zu %s", run.in,
		    run.merge ? plural(run.in, "point", "points") :
		    plural(run.in, "row", "rows"), run.rejected,
		    kpi_agg_groups(run.agg), plural(kpi_agg_groups(run.agg),
		    "group", "groups"), kpi_agg_points(run.agg),
		    plural(kpi_agg_points(run.agg), "point", "points"));
	if (run.status == KPI_EXIT_OK && run.rejected)
		run.status = KPI_EXIT_FAIL;

	kpi_rec_release(&run.rec);
	kpi_agg_free(run.agg);
	kpi_defs_free(defs);
	kpi_tz_free(tz);
	free(a.ms);
	free(a.by);
	kpi_face_end(&face);
	return kpi_out_finish(&out, run.status);
}
