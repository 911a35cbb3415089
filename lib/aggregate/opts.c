/*
 * opts.c - kpi-aggregate's options as the aggregation sees them: each
 * option's value parsed (--compare, --every, --cumulative, --rolling,
 * --max-points, the calendar's, the dates of --from and --to) and which
 * options go together, so that the face only hands them on.  Messages
 * name the valid values.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"

void
kpi_agg_opts_init(struct kpi_agg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cal.grain = KPI_WEEK;
	o->cal.week_start = 1;
	o->cal.fy_start = 1;
	o->max_points = 1000000;
	o->from = LLONG_MIN;
	o->to = LLONG_MAX;
}

/* A count from 1 to max, digits only: 0, or -1. */
static int
count_parse(const char *s, long long max, long long *n)
{
	char *end;

	*n = strtoll(s, &end, 10);
	return *s < '1' || *s > '9' || *end != '\0' || *n > max ? -1 : 0;
}

static int
compare_parse(const char *s, struct kpi_agg_opts *o, struct kpi_err *err)
{
	if (strcmp(s, "previous") == 0)
		o->compare = KPI_CMP_PREVIOUS;
	else if (strcmp(s, "year") == 0)
		o->compare = KPI_CMP_YEAR;
	else if (count_parse(s, 100000, &o->compare_n) == 0)
		o->compare = KPI_CMP_BACK;
	else
		return kpi_err_set(err, NULL, 0, 0, "bad comparison '%s' (one of "
		    "previous, year, or n periods back, 1 to 100000)", s);
	return 0;
}

static int
every_parse(const char *s, struct kpi_agg_opts *o, struct kpi_err *err)
{
	if (kpi_grain_parse(s, &o->cal.grain) < 0)
		return kpi_err_set(err, NULL, 0, 0, "bad period '%s' (one of "
		    "day, week, month, quarter, year, all)", s);
	return 0;
}

static int
cumulative_parse(const char *s, struct kpi_agg_opts *o,
    struct kpi_err *err)
{
	enum kpi_grain g;

	if (kpi_grain_parse(s, &g) < 0 || g < KPI_MONTH || g > KPI_YEAR)
		return kpi_err_set(err, NULL, 0, 0, "bad cumulative period "
		    "'%s' (one of month, quarter, year)", s);
	o->cumulative = (int)g;
	return 0;
}

static int
rolling_parse(const char *s, struct kpi_agg_opts *o, struct kpi_err *err)
{
	if (count_parse(s, 1000, &o->rolling) < 0)
		return kpi_err_set(err, NULL, 0, 0, "bad number of periods '%s'",
		    s);
	return 0;
}

static int
max_points_parse(const char *s, struct kpi_agg_opts *o,
    struct kpi_err *err)
{
	char *end;

	o->max_points = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || o->max_points < 0 ||
	    o->max_points == LLONG_MAX)
		return kpi_err_set(err, NULL, 0, 0, "bad number of points '%s'",
		    s);
	return 0;
}

/* "what 'opt'", as the face's other usage errors read. */
static int
refuse(struct kpi_err *err, const char *what, const char *opt)
{
	return kpi_err_set(err, NULL, 0, 0, "%s '%s'", what, opt);
}

/*
 * --partial writes what --merge adds up: what looks across periods goes
 * to the --merge run, where every period is there.
 */
static int
partial_check(const struct kpi_agg_opts *o, int range, struct kpi_err *err)
{
	const char *opt = o->compare != KPI_CMP_NONE ? "--compare" :
	    o->fill ? "--fill" : range ? "--from and --to" : o->rolling ?
	    "--rolling" : o->cumulative ? "--cumulative" : NULL;

	return opt ? refuse(err, "--partial: give the --merge run", opt) : 0;
}

/*
 * The options that do not go together (range: --from or --to given):
 * 0, or -1 with err set on the first.
 */
static int
opts_check(const struct kpi_agg_opts *o, int range,
    struct kpi_err *err)
{
	if (o->partial && partial_check(o, range, err) < 0)
		return -1;
	if (o->merge && (o->nby || o->total))
		return refuse(err, "--merge takes the groups of the --partial "
		    "points, not", o->total ? "--total" : "--by");
	if (o->compare != KPI_CMP_NONE && o->cal.grain == KPI_ALL)
		return refuse(err, "--compare needs periods, not",
		    "--every all");
	if (o->rolling && o->cumulative)
		return refuse(err, "--rolling goes without", "--cumulative");
	if ((o->rolling || o->cumulative) && o->cal.grain == KPI_ALL)
		return refuse(err, "--rolling and --cumulative need periods, "
		    "not", "--every all");
	if (o->cumulative && o->cumulative <= (int)o->cal.grain)
		return refuse(err, "--cumulative needs a longer period than",
		    "--every");
	return 0;
}

/*
 * --from and --to (local day numbers, NULL when not given) into o->from
 * and o->to in o->cal.tz, which must be set: 0, or -1 with err set when
 * --from is after --to, or with --every all a --merge run, whose points
 * have no times, is to pick rows by them.
 */
static int
range_set(struct kpi_agg_opts *o, const long long *from,
    const long long *to, struct kpi_err *err)
{
	if ((from || to) && o->merge && o->cal.grain == KPI_ALL)
		return refuse(err, "--merge with --every all has no times for",
		    from ? "--from" : "--to");
	if (from && to && *from > *to)
		return refuse(err, "--from is after --to:", "--from");
	/* --from and --to are local dates: midnight in the zone. */
	o->from = from ? kpi_tz_from_local(o->cal.tz, *from * 86400) :
	    LLONG_MIN;
	o->to = to ? kpi_tz_from_local(o->cal.tz, *to * 86400) : LLONG_MAX;
	return 0;
}

void
kpi_agg_args_init(struct kpi_agg_args *a, size_t max)
{
	memset(a, 0, sizeof(*a));
	kpi_agg_opts_init(&a->ao);
	a->zone = "UTC";
	a->ms = kpi_xmalloc((max + 1) * sizeof(*a->ms));
}

/*
 * --by's "a,b" into a->by (pointers into s, which is cut at the commas),
 * room made for every field: the number of fields.
 */
static size_t
split_by(struct kpi_agg_args *a, char *s)
{
	size_t n = 1;
	char *p;

	for (p = s; *p; p++)
		n += *p == ',';
	a->by = kpi_xrealloc(a->by, (n + 1) * sizeof(*a->by));
	a->ao.by = a->by;
	n = 0;
	for (p = strtok(s, ","); p; p = strtok(NULL, ","))
		a->by[n++] = p;
	return n;
}

/* A YYYY-MM-DD date as its day number: 0, or -1 with err set. */
static int
date_parse(const char *s, long long *days, int *has, struct kpi_err *err)
{
	if (kpi_date_parse(s, strlen(s), days) < 0)
		return refuse(err, "bad date", s);
	*has = 1;
	return 0;
}

/* The options that set a calendar, a date or a file. */
static int
calendar_set(struct kpi_agg_args *a, int key, const char *arg,
    struct kpi_err *err)
{
	switch (key) {
	case KPI_AGG_FY_START:
		if (kpi_month_parse(arg, &a->ao.cal.fy_start) < 0)
			return refuse(err, "bad month", arg);
		return 0;
	case KPI_AGG_FROM:
		return date_parse(arg, &a->from, &a->has_from, err);
	case KPI_AGG_TO:
		return date_parse(arg, &a->to, &a->has_to, err);
	case KPI_AGG_TZ:
		a->zone = arg;
		return 0;
	case KPI_AGG_REJECTS:
		a->rejects = arg;
		return 0;
	case KPI_AGG_LIST:
		a->list = 1;
		return 0;
	case KPI_AGG_WEEK_START:
		if (kpi_week_start_parse(arg, &a->ao.cal.week_start) < 0)
			return refuse(err, "bad week start", arg);
		return 0;
	}
	return 0;
}

int
kpi_agg_args_set(struct kpi_agg_args *a, int key, char *arg,
    struct kpi_err *err)
{
	struct kpi_agg_opts *o = &a->ao;

	switch (key) {
	case KPI_AGG_BY:
		if ((o->nby = split_by(a, arg)) == 0)
			return refuse(err, "bad --by", arg);
		return 0;
	case KPI_AGG_COMPARE: return compare_parse(arg, o, err);
	case KPI_AGG_CUMULATIVE: return cumulative_parse(arg, o, err);
	case KPI_AGG_DEFS: a->defs = arg; return 0;
	case KPI_AGG_EVERY: return every_parse(arg, o, err);
	case KPI_AGG_FILL: o->fill = 1; return 0;
	case KPI_AGG_MAX_POINTS: return max_points_parse(arg, o, err);
	case KPI_AGG_METRIC: a->ms[a->nm++] = arg; return 0;
	case KPI_AGG_MERGE: o->merge = 1; return 0;
	case KPI_AGG_METRICS: a->select = arg; return 0;
	case KPI_AGG_PARTIAL: o->partial = 1; return 0;
	case KPI_AGG_ROLLING: return rolling_parse(arg, o, err);
	case KPI_AGG_STATS: a->stats = 1; return 0;
	case KPI_AGG_TOTAL: o->total = 1; return 0;
	}
	return calendar_set(a, key, arg, err);
}

int
kpi_agg_args_finish(struct kpi_agg_args *a, struct kpi_err *err)
{
	a->ao.present = a->select == NULL;
	if (opts_check(&a->ao, a->has_from || a->has_to, err) < 0 ||
	    (a->ao.cal.tz = a->tz = kpi_tz_open(a->zone, err)) == NULL)
		return -1;
	return range_set(&a->ao, a->has_from ? &a->from : NULL,
	    a->has_to ? &a->to : NULL, err);
}

void
kpi_agg_args_release(struct kpi_agg_args *a)
{
	free(a->ms);
	free(a->by);
	kpi_tz_free(a->tz);
	a->ms = NULL;
	a->by = NULL;
	a->tz = NULL;
}
