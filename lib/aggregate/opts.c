/*
 * opts.c - kpi-aggregate's options as the aggregation sees them: parsing
 * the values that are the aggregation's own (--compare, --every,
 * --cumulative, --rolling, --max-points) and which options go together,
 * so that the face only hands them on.  Messages name the valid values.
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

int
kpi_compare_parse(const char *s, struct kpi_agg_opts *o, struct kpi_err *err)
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

int
kpi_every_parse(const char *s, struct kpi_agg_opts *o, struct kpi_err *err)
{
	if (kpi_grain_parse(s, &o->cal.grain) < 0)
		return kpi_err_set(err, NULL, 0, 0, "bad period '%s' (one of "
		    "day, week, month, quarter, year, all)", s);
	return 0;
}

int
kpi_cumulative_parse(const char *s, struct kpi_agg_opts *o,
    struct kpi_err *err)
{
	enum kpi_grain g;

	if (kpi_grain_parse(s, &g) < 0 || g < KPI_MONTH || g > KPI_YEAR)
		return kpi_err_set(err, NULL, 0, 0, "bad cumulative period "
		    "'%s' (one of month, quarter, year)", s);
	o->cumulative = (int)g;
	return 0;
}

int
kpi_rolling_parse(const char *s, struct kpi_agg_opts *o, struct kpi_err *err)
{
	if (count_parse(s, 1000, &o->rolling) < 0)
		return kpi_err_set(err, NULL, 0, 0, "bad number of periods '%s'",
		    s);
	return 0;
}

int
kpi_max_points_parse(const char *s, struct kpi_agg_opts *o,
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

int
kpi_agg_opts_check(const struct kpi_agg_opts *o, int range,
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

int
kpi_agg_range(struct kpi_agg_opts *o, const long long *from,
    const long long *to, struct kpi_err *err)
{
	if ((from || to) && !o->fill)
		return refuse(err, "--from and --to give the range of",
		    "--fill");
	if (from && to && *from > *to)
		return refuse(err, "--from is after --to:", "--from");
	/* --from and --to are local dates: midnight in the zone. */
	o->from = from ? kpi_tz_from_local(o->cal.tz, *from * 86400) :
	    LLONG_MIN;
	o->to = to ? kpi_tz_from_local(o->cal.tz, *to * 86400) : LLONG_MAX;
	return 0;
}
