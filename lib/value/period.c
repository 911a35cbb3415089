/*
 * period.c - cutting time into calendar periods (days, weeks, months,
 * quarters, years) in the local time of a zone, and naming them.
 *
 * Every grain is worked out on local calendar days.  A period is first an
 * index; the index gives a range of local days [first, next) by plain
 * arithmetic, and the instants of local midnight at both ends are its start
 * and end.  So a day is 23 or 25 hours long across a DST change, and moving
 * n periods is a sum of indexes that no change of offset can disturb.
 *
 * The indexes, each counting up by 1 from one period to the next:
 *   day      days since 1970-01-01
 *   week     weeks since the first week_start day on or after 1970-01-05
 *   month    year * 12 + month - 1
 *   quarter  months since the fiscal year start of year 0, divided by 3
 *   year     the year that names the (fiscal) year
 *
 * Weeks start on cal->week_start (1 Monday ... 7 Sunday).  A week belongs
 * to the year its fourth day falls in, and is numbered from that year's
 * first such week, the one holding January 4.  With Monday this is ISO 8601
 * (the fourth day is the Thursday); with another first day it is the same
 * rule shifted: a Sunday week belongs to the year of its Wednesday.
 *
 * A fiscal year (fy_start other than 1) is named by the calendar year it
 * ends in: with fy_start 4, April 2024 to March 2025 is "FY2025", and its
 * quarters count from April ("FY2025-Q1" is April to June 2024).
 *
 * A date a zone skipped (Samoa's 2011-12-30) is an empty period, start ==
 * end: kpi_period_of never returns it, but kpi_period_shift may, so that
 * indexes stay consecutive.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "value/value.h"

#define DAY	86400LL

/*
 * Instants are held within about 95 million years of 1970, and indexes
 * within the periods there: far beyond any data, and near enough that no
 * sum below overflows a long long.
 */
#define TMAX	3000000000000000LL
#define DMAX	(TMAX / DAY)

static const char *const grain_names[] = {
	"day", "week", "month", "quarter", "year", "all"
};

static long long
floordiv(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static long long
floormod(long long a, long long b)
{
	return a - floordiv(a, b) * b;
}

/* Out-of-range settings fall back to ISO weeks and calendar years. */
static int
week_start(const struct kpi_calendar *cal)
{
	return cal->week_start >= 1 && cal->week_start <= 7 ?
	    cal->week_start : 1;
}

static int
fy_start(const struct kpi_calendar *cal)
{
	return cal->fy_start >= 1 && cal->fy_start <= 12 ? cal->fy_start : 1;
}

/*
 * The day (since 1970-01-01) on which week 0 starts.  1970-01-05 was a
 * Monday, so day 3 + ws has ISO weekday ws.
 */
static long long
week_origin(const struct kpi_calendar *cal)
{
	return 3 + week_start(cal);
}

/* The first day of month am (year * 12 + month - 1). */
static long long
month_first_day(long long am)
{
	return kpi_days_from_civil(floordiv(am, 12),
	    (unsigned)floormod(am, 12) + 1, 1);
}

/* The index of the period holding local day d. */
static long long
index_of_day(const struct kpi_calendar *cal, long long d)
{
	long long y, fm;
	unsigned m, dd;

	if (cal->grain == KPI_DAY)
		return d;
	if (cal->grain == KPI_WEEK)
		return floordiv(d - week_origin(cal), 7);
	kpi_civil_from_days(d, &y, &m, &dd);
	/* Months counted from the fiscal year start in year 0. */
	fm = y * 12 + m - 1 - (fy_start(cal) - 1);
	switch (cal->grain) {
	case KPI_MONTH:
		return y * 12 + m - 1;
	case KPI_QUARTER:
		return floordiv(fm, 3);
	default:
		/* A fiscal year is named by the year after it starts. */
		return floordiv(fm, 12) + (fy_start(cal) != 1);
	}
}

/* The local days [*first, *next) of period idx. */
static void
span_of_index(const struct kpi_calendar *cal, long long idx,
    long long *first, long long *next)
{
	long long am, len;

	switch (cal->grain) {
	case KPI_DAY:
		*first = idx;
		*next = idx + 1;
		return;
	case KPI_WEEK:
		*first = week_origin(cal) + idx * 7;
		*next = *first + 7;
		return;
	case KPI_MONTH:
		am = idx;
		len = 1;
		break;
	case KPI_QUARTER:
		am = idx * 3 + fy_start(cal) - 1;
		len = 3;
		break;
	default:
		am = (idx - (fy_start(cal) != 1)) * 12 + fy_start(cal) - 1;
		len = 12;
		break;
	}
	*first = month_first_day(am);
	*next = month_first_day(am + len);
}

/* Appends year y as put_date does: four digits at least, sign if any. */
static int
put_year(char *s, size_t size, const char *prefix, long long y)
{
	return snprintf(s, size, y < 0 ? "%s%lld" : "%s%04lld", prefix, y);
}

/* The ISO-style week label of the week starting on local day first. */
static void
week_label(const struct kpi_calendar *cal, long long first, char *s,
    size_t size)
{
	long long y, jan4, week1;
	unsigned m, d;
	int n;

	kpi_civil_from_days(first + 3, &y, &m, &d);
	jan4 = kpi_days_from_civil(y, 1, 4);
	week1 = jan4 - floormod(jan4 - week_origin(cal), 7);
	n = put_year(s, size, "", y);
	snprintf(s + n, size - (size_t)n, "-W%02lld", (first - week1) / 7 + 1);
}

/* Names period idx, whose first local day is first. */
static void
put_label(const struct kpi_calendar *cal, long long idx, long long first,
    char *s, size_t size)
{
	long long y;
	unsigned m, d;
	int n, fiscal = fy_start(cal) != 1;

	kpi_civil_from_days(first, &y, &m, &d);
	switch (cal->grain) {
	case KPI_DAY:
		n = put_year(s, size, "", y);
		snprintf(s + n, size - (size_t)n, "-%02u-%02u", m, d);
		break;
	case KPI_WEEK:
		week_label(cal, first, s, size);
		break;
	case KPI_MONTH:
		n = put_year(s, size, "", y);
		snprintf(s + n, size - (size_t)n, "-%02u", m);
		break;
	case KPI_QUARTER:
		n = put_year(s, size, fiscal ? "FY" : "",
		    floordiv(idx, 4) + fiscal);
		snprintf(s + n, size - (size_t)n, "-Q%lld",
		    floormod(idx, 4) + 1);
		break;
	default:
		put_year(s, size, fiscal ? "FY" : "", idx);
		break;
	}
}

static void
all_period(struct kpi_period *out)
{
	out->start = LLONG_MIN;
	out->end = LLONG_MAX;
	out->index = 0;
	snprintf(out->label, sizeof(out->label), "all");
}

/* Fills out with period idx of a grain other than KPI_ALL. */
static void
fill(const struct kpi_calendar *cal, long long idx, struct kpi_period *out)
{
	long long first, next;

	span_of_index(cal, idx, &first, &next);
	out->start = kpi_tz_from_local(cal->tz, first * DAY);
	out->end = kpi_tz_from_local(cal->tz, next * DAY);
	out->index = idx;
	put_label(cal, idx, first, out->label, sizeof(out->label));
}

const char *
kpi_grain_name(enum kpi_grain grain)
{
	return (size_t)grain < sizeof(grain_names) / sizeof(grain_names[0]) ?
	    grain_names[grain] : "period";
}

int
kpi_grain_parse(const char *name, enum kpi_grain *grain)
{
	size_t i;

	for (i = 0; i < sizeof(grain_names) / sizeof(grain_names[0]); i++)
		if (strcmp(name, grain_names[i]) == 0) {
			*grain = (enum kpi_grain)i;
			return 0;
		}
	return -1;
}

int
kpi_month_parse(const char *s, int *month)
{
	static const char *const names[] = { "january", "february", "march",
	    "april", "may", "june", "july", "august", "september", "october",
	    "november", "december" };
	size_t len = strlen(s);
	char *end;
	long n;
	int i;

	n = strtol(s, &end, 10);
	if (*s >= '0' && *s <= '9' && *end == '\0' && n >= 1 && n <= 12) {
		*month = (int)n;
		return 0;
	}
	for (i = 0; i < 12; i++)
		if (len >= 3 && strncasecmp(names[i], s, len) == 0) {
			*month = i + 1;
			return 0;
		}
	return -1;
}

int
kpi_week_start_parse(const char *s, int *day)
{
	if (strcasecmp(s, "monday") == 0 || strcasecmp(s, "mon") == 0)
		*day = 1;
	else if (strcasecmp(s, "sunday") == 0 || strcasecmp(s, "sun") == 0)
		*day = 7;
	else
		return -1;
	return 0;
}

/* fill, through m when there is one. */
static void
fill_memo(const struct kpi_calendar *cal, struct kpi_period_memo *m,
    long long idx, struct kpi_period *out)
{
	size_t i = (size_t)((unsigned long long)idx % KPI_PERIOD_MEMO);

	if (m == NULL) {
		fill(cal, idx, out);
		return;
	}
	if (!m->have[i] || m->p[i].index != idx) {
		fill(cal, idx, &m->p[i]);
		m->have[i] = 1;
	}
	*out = m->p[i];
}

static void
period_of(const struct kpi_calendar *cal, struct kpi_period_memo *m,
    long long t, struct kpi_period *out)
{
	long long idx;
	int i;

	if (cal->grain == KPI_ALL) {
		all_period(out);
		return;
	}
	if (t > TMAX)
		t = TMAX;
	if (t < -TMAX)
		t = -TMAX;
	idx = index_of_day(cal, floordiv(t + kpi_tz_offset(cal->tz, t), DAY));
	fill_memo(cal, m, idx, out);
	/*
	 * Were a zone to turn its clock back across midnight (00:30 to
	 * 23:30), the repeated half hour would read as the day before by its
	 * own clock yet come after that day's end, the first midnight.  No
	 * zone in tzdata does, but the periods must tile time whatever the
	 * zone file says, so an instant goes to the period it falls in.
	 */
	for (i = 0; i < 4 && t < out->start; i++)
		fill_memo(cal, m, --idx, out);
	for (i = 0; i < 4 && t >= out->end; i++)
		fill_memo(cal, m, ++idx, out);
}

void
kpi_period_of(const struct kpi_calendar *cal, long long t,
    struct kpi_period *out)
{
	period_of(cal, NULL, t, out);
}

void
kpi_period_memo_init(struct kpi_period_memo *m)
{
	memset(m->have, 0, sizeof(m->have));
}

void
kpi_period_in(const struct kpi_calendar *cal, struct kpi_period_memo *m,
    long long t, struct kpi_period *out)
{
	period_of(cal, m, t, out);
}

void
kpi_period_shift(const struct kpi_calendar *cal, const struct kpi_period *p,
    long long n, struct kpi_period *out)
{
	long long idx, lo, hi;

	if (cal->grain == KPI_ALL) {
		all_period(out);
		return;
	}
	lo = index_of_day(cal, -DMAX - 1);
	hi = index_of_day(cal, DMAX);
	if (n > 0 && p->index > hi - n)
		idx = hi;
	else if (n < 0 && p->index < lo - n)
		idx = lo;
	else
		idx = p->index + n;
	if (idx < lo)
		idx = lo;
	if (idx > hi)
		idx = hi;
	fill(cal, idx, out);
}
