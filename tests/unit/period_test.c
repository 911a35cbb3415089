/*
 * period_test.c - calendar periods: ISO and other weeks at year edges,
 * months, calendar and fiscal quarters and years, DST-length days and
 * weeks, boundaries, and shifting by n periods.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

/* The zones the cases use, opened once. */
static const char *const zone_names[] = {
	"UTC", "Europe/London", "America/New_York", "Australia/Sydney",
	"Asia/Kolkata", "America/Santiago", "America/Havana"
};
#define NZONES (sizeof(zone_names) / sizeof(zone_names[0]))
static struct kpi_tz *zones[NZONES];

static const struct kpi_tz *
zone(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NZONES; i++)
		if (strcmp(zone_names[i], name) == 0)
			return zones[i];
	abort();
}

/* An instant written in RFC 3339, as Unix seconds. */
static long long
instant(const char *s)
{
	struct kpi_timefmt *f;
	struct kpi_time t = { 0, 0, 0 };
	struct kpi_err err;

	f = kpi_timefmt_compile("rfc3339", &err);
	if (f == NULL || kpi_time_parse(f, s, strlen(s), NULL, 0, &t) != 1)
		abort();
	kpi_timefmt_free(f);
	return t.t;
}

/* Formats t in UTC, "2024-03-31T00:00:00Z", into buf. */
static const char *
utc(long long t, char *buf, size_t size)
{
	struct kpi_time kt = { t, 0, 0 };
	struct kpi_buf b;

	kpi_buf_init(&b);
	kpi_time_put(&b, &kt);
	snprintf(buf, size, "%s", b.p);
	kpi_buf_release(&b);
	return buf;
}

/* ---- labels ---- */

static const struct {
	enum kpi_grain grain;
	int week_start;
	int fy_start;
	const char *in;
	const char *label;
} label_cases[] = {
	/* ISO weeks at year edges */
	{ KPI_WEEK, 1, 1, "2020-12-31T12:00:00Z", "2020-W53" },
	{ KPI_WEEK, 1, 1, "2021-01-03T23:59:59Z", "2020-W53" },
	{ KPI_WEEK, 1, 1, "2021-01-04T00:00:00Z", "2021-W01" },
	{ KPI_WEEK, 1, 1, "2024-01-01T00:00:00Z", "2024-W01" },
	{ KPI_WEEK, 1, 1, "2024-03-04T10:00:00Z", "2024-W10" },
	{ KPI_WEEK, 1, 1, "2024-12-29T23:59:59Z", "2024-W52" },
	{ KPI_WEEK, 1, 1, "2024-12-30T00:00:00Z", "2025-W01" },
	{ KPI_WEEK, 1, 1, "2026-01-01T00:00:00Z", "2026-W01" },
	{ KPI_WEEK, 1, 1, "2025-12-29T00:00:00Z", "2026-W01" },
	{ KPI_WEEK, 1, 1, "2027-01-01T00:00:00Z", "2026-W53" },
	{ KPI_WEEK, 1, 1, "2027-01-04T00:00:00Z", "2027-W01" },
	{ KPI_WEEK, 1, 1, "2015-12-31T00:00:00Z", "2015-W53" },
	{ KPI_WEEK, 1, 1, "1969-12-31T00:00:00Z", "1970-W01" },
	{ KPI_WEEK, 1, 1, "1900-01-01T00:00:00Z", "1900-W01" },
	/* Sunday weeks: the year of the Wednesday */
	{ KPI_WEEK, 7, 1, "2020-12-26T23:59:59Z", "2020-W52" },
	{ KPI_WEEK, 7, 1, "2020-12-31T12:00:00Z", "2020-W53" },
	{ KPI_WEEK, 7, 1, "2021-01-02T23:59:59Z", "2020-W53" },
	{ KPI_WEEK, 7, 1, "2021-01-03T00:00:00Z", "2021-W01" },
	{ KPI_WEEK, 7, 1, "2021-01-04T00:00:00Z", "2021-W01" },
	{ KPI_WEEK, 7, 1, "2024-12-28T23:59:59Z", "2024-W52" },
	{ KPI_WEEK, 7, 1, "2024-12-29T00:00:00Z", "2025-W01" },
	{ KPI_WEEK, 7, 1, "2024-12-30T00:00:00Z", "2025-W01" },
	{ KPI_WEEK, 7, 1, "2026-01-01T00:00:00Z", "2025-W53" },
	{ KPI_WEEK, 7, 1, "2026-01-04T00:00:00Z", "2026-W01" },
	{ KPI_WEEK, 7, 1, "2027-01-01T00:00:00Z", "2026-W52" },
	{ KPI_WEEK, 7, 1, "2027-01-03T00:00:00Z", "2027-W01" },
	/* Saturday weeks: the year of the Tuesday */
	{ KPI_WEEK, 6, 1, "2024-12-27T23:59:59Z", "2024-W52" },
	{ KPI_WEEK, 6, 1, "2024-12-28T00:00:00Z", "2024-W53" },
	{ KPI_WEEK, 6, 1, "2025-01-03T23:59:59Z", "2024-W53" },
	{ KPI_WEEK, 6, 1, "2025-01-04T00:00:00Z", "2025-W01" },
	/* leap day */
	{ KPI_DAY, 1, 1, "2024-02-29T13:00:00Z", "2024-02-29" },
	{ KPI_WEEK, 1, 1, "2024-02-29T13:00:00Z", "2024-W09" },
	{ KPI_MONTH, 1, 1, "2024-02-29T13:00:00Z", "2024-02" },
	{ KPI_DAY, 1, 1, "2000-02-29T00:00:00Z", "2000-02-29" },
	/* days and months, far from 1970 */
	{ KPI_DAY, 1, 1, "2024-03-04T00:00:00Z", "2024-03-04" },
	{ KPI_DAY, 1, 1, "1969-12-31T23:59:59Z", "1969-12-31" },
	{ KPI_DAY, 1, 1, "1850-06-01T00:00:00Z", "1850-06-01" },
	{ KPI_DAY, 1, 1, "2100-02-28T23:59:59Z", "2100-02-28" },
	{ KPI_MONTH, 1, 1, "2024-03-31T23:59:59Z", "2024-03" },
	{ KPI_MONTH, 1, 1, "2038-01-19T03:14:08Z", "2038-01" },
	{ KPI_MONTH, 1, 1, "1901-12-13T20:45:52Z", "1901-12" },
	{ KPI_MONTH, 1, 1, "9999-12-31T23:59:59Z", "9999-12" },
	/* calendar quarters and years */
	{ KPI_QUARTER, 1, 1, "2024-01-01T00:00:00Z", "2024-Q1" },
	{ KPI_QUARTER, 1, 1, "2024-03-31T23:59:59Z", "2024-Q1" },
	{ KPI_QUARTER, 1, 1, "2024-04-01T00:00:00Z", "2024-Q2" },
	{ KPI_QUARTER, 1, 1, "2024-09-30T23:59:59Z", "2024-Q3" },
	{ KPI_QUARTER, 1, 1, "2024-12-31T23:59:59Z", "2024-Q4" },
	{ KPI_QUARTER, 1, 1, "1969-11-01T00:00:00Z", "1969-Q4" },
	{ KPI_YEAR, 1, 1, "2024-12-31T23:59:59Z", "2024" },
	{ KPI_YEAR, 1, 1, "1969-12-31T23:59:59Z", "1969" },
	/* fiscal years from April: named by the year they end in */
	{ KPI_QUARTER, 1, 4, "2024-03-31T23:59:59Z", "FY2024-Q4" },
	{ KPI_QUARTER, 1, 4, "2024-04-01T00:00:00Z", "FY2025-Q1" },
	{ KPI_QUARTER, 1, 4, "2024-04-15T00:00:00Z", "FY2025-Q1" },
	{ KPI_QUARTER, 1, 4, "2024-06-30T23:59:59Z", "FY2025-Q1" },
	{ KPI_QUARTER, 1, 4, "2024-07-01T00:00:00Z", "FY2025-Q2" },
	{ KPI_QUARTER, 1, 4, "2024-12-31T23:59:59Z", "FY2025-Q3" },
	{ KPI_QUARTER, 1, 4, "2025-01-01T00:00:00Z", "FY2025-Q4" },
	{ KPI_QUARTER, 1, 4, "2025-03-31T00:00:00Z", "FY2025-Q4" },
	{ KPI_QUARTER, 1, 4, "2025-04-01T00:00:00Z", "FY2026-Q1" },
	{ KPI_YEAR, 1, 4, "2024-03-31T23:59:59Z", "FY2024" },
	{ KPI_YEAR, 1, 4, "2024-04-01T00:00:00Z", "FY2025" },
	{ KPI_YEAR, 1, 4, "2025-03-31T23:59:59Z", "FY2025" },
	/* fiscal years from July */
	{ KPI_QUARTER, 1, 7, "2024-06-30T23:59:59Z", "FY2024-Q4" },
	{ KPI_QUARTER, 1, 7, "2024-07-01T00:00:00Z", "FY2025-Q1" },
	{ KPI_QUARTER, 1, 7, "2024-10-01T00:00:00Z", "FY2025-Q2" },
	{ KPI_QUARTER, 1, 7, "2025-01-01T00:00:00Z", "FY2025-Q3" },
	{ KPI_QUARTER, 1, 7, "2025-04-01T00:00:00Z", "FY2025-Q4" },
	{ KPI_YEAR, 1, 7, "2024-06-30T23:59:59Z", "FY2024" },
	{ KPI_YEAR, 1, 7, "2024-07-01T00:00:00Z", "FY2025" },
	{ KPI_YEAR, 1, 7, "1969-07-01T00:00:00Z", "FY1970" },
	/* the whole of time */
	{ KPI_ALL, 1, 1, "2024-03-04T00:00:00Z", "all" },
	{ KPI_ALL, 1, 4, "1800-03-04T00:00:00Z", "all" },
};

static void
test_labels(void)
{
	struct kpi_calendar cal;
	struct kpi_period p;
	size_t i;

	for (i = 0; i < sizeof(label_cases) / sizeof(label_cases[0]); i++) {
		cal.grain = label_cases[i].grain;
		cal.week_start = label_cases[i].week_start;
		cal.fy_start = label_cases[i].fy_start;
		cal.tz = NULL;
		kpi_period_of(&cal, instant(label_cases[i].in), &p);
		CHECK_STR(p.label, label_cases[i].label, label_cases[i].in);
	}
}

/* ---- start and end, DST ---- */

static const struct {
	enum kpi_grain grain;
	int week_start;
	int fy_start;
	const char *zone;
	const char *in;
	const char *label;
	const char *start;
	const char *end;
} span_cases[] = {
	/* Europe/London: a 23-hour and a 25-hour day */
	{ KPI_DAY, 1, 1, "Europe/London", "2024-03-31T12:00:00Z",
	    "2024-03-31", "2024-03-31T00:00:00Z", "2024-03-31T23:00:00Z" },
	{ KPI_DAY, 1, 1, "Europe/London", "2024-10-27T12:00:00Z",
	    "2024-10-27", "2024-10-26T23:00:00Z", "2024-10-28T00:00:00Z" },
	/* local midnight is the boundary, not UTC's */
	{ KPI_DAY, 1, 1, "Europe/London", "2024-06-30T23:30:00Z",
	    "2024-07-01", "2024-06-30T23:00:00Z", "2024-07-01T23:00:00Z" },
	/* America/New_York: 23 and 25 hours */
	{ KPI_DAY, 1, 1, "America/New_York", "2024-03-10T12:00:00Z",
	    "2024-03-10", "2024-03-10T05:00:00Z", "2024-03-11T04:00:00Z" },
	{ KPI_DAY, 1, 1, "America/New_York", "2024-11-03T12:00:00Z",
	    "2024-11-03", "2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z" },
	{ KPI_DAY, 1, 1, "America/New_York", "2024-11-04T04:30:00Z",
	    "2024-11-03", "2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z" },
	/* weeks across a DST change */
	{ KPI_WEEK, 1, 1, "Europe/London", "2024-03-28T12:00:00Z",
	    "2024-W13", "2024-03-25T00:00:00Z", "2024-03-31T23:00:00Z" },
	{ KPI_WEEK, 1, 1, "Europe/London", "2024-10-27T23:59:59Z",
	    "2024-W43", "2024-10-20T23:00:00Z", "2024-10-28T00:00:00Z" },
	{ KPI_WEEK, 7, 1, "America/New_York", "2024-03-12T00:00:00Z",
	    "2024-W11", "2024-03-10T05:00:00Z", "2024-03-17T04:00:00Z" },
	{ KPI_WEEK, 7, 1, "America/New_York", "2024-11-03T04:00:00Z",
	    "2024-W45", "2024-11-03T04:00:00Z", "2024-11-10T05:00:00Z" },
	/* months, quarters and years in a zone */
	{ KPI_MONTH, 1, 1, "Europe/London", "2024-03-15T00:00:00Z",
	    "2024-03", "2024-03-01T00:00:00Z", "2024-03-31T23:00:00Z" },
	{ KPI_MONTH, 1, 1, "America/New_York", "2024-03-01T04:59:59Z",
	    "2024-02", "2024-02-01T05:00:00Z", "2024-03-01T05:00:00Z" },
	{ KPI_QUARTER, 1, 4, "Europe/London", "2024-04-01T00:00:00Z",
	    "FY2025-Q1", "2024-03-31T23:00:00Z", "2024-06-30T23:00:00Z" },
	{ KPI_QUARTER, 1, 4, "Europe/London", "2024-03-31T22:59:59Z",
	    "FY2024-Q4", "2024-01-01T00:00:00Z", "2024-03-31T23:00:00Z" },
	{ KPI_YEAR, 1, 7, "Australia/Sydney", "2024-06-30T14:00:00Z",
	    "FY2025", "2024-06-30T14:00:00Z", "2025-06-30T14:00:00Z" },
	{ KPI_YEAR, 1, 1, "Asia/Kolkata", "2023-12-31T18:29:59Z",
	    "2023", "2022-12-31T18:30:00Z", "2023-12-31T18:30:00Z" },
	/* tz NULL is UTC; a leap day week and month */
	{ KPI_WEEK, 1, 1, NULL, "2024-02-29T00:00:00Z",
	    "2024-W09", "2024-02-26T00:00:00Z", "2024-03-04T00:00:00Z" },
	{ KPI_MONTH, 1, 1, NULL, "2024-02-29T23:59:59Z",
	    "2024-02", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z" },
	{ KPI_DAY, 1, 1, "UTC", "1969-07-20T20:17:40Z",
	    "1969-07-20", "1969-07-20T00:00:00Z", "1969-07-21T00:00:00Z" },
	{ KPI_DAY, 1, 1, "Europe/London", "2100-07-01T12:00:00Z",
	    "2100-07-01", "2100-06-30T23:00:00Z", "2100-07-01T23:00:00Z" },
	/* Santiago's spring change is at midnight: the day starts at 01:00 */
	{ KPI_DAY, 1, 1, "America/Santiago", "2024-09-08T12:00:00Z",
	    "2024-09-08", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z" },
	/*
	 * Its autumn change turns 24:00 back to 23:00: April 6 has 25
	 * hours, and the repeated hour belongs to it.
	 */
	{ KPI_DAY, 1, 1, "America/Santiago", "2024-04-06T12:00:00Z",
	    "2024-04-06", "2024-04-06T03:00:00Z", "2024-04-07T04:00:00Z" },
	{ KPI_DAY, 1, 1, "America/Santiago", "2024-04-07T03:30:00Z",
	    "2024-04-06", "2024-04-06T03:00:00Z", "2024-04-07T04:00:00Z" },
	/* Havana turns 01:00 back to 00:00: midnight comes twice */
	{ KPI_DAY, 1, 1, "America/Havana", "2024-11-03T04:30:00Z",
	    "2024-11-03", "2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z" },
	{ KPI_DAY, 1, 1, "America/Havana", "2024-11-03T03:59:59Z",
	    "2024-11-02", "2024-11-02T04:00:00Z", "2024-11-03T04:00:00Z" },
};

static void
test_spans(void)
{
	struct kpi_calendar cal;
	struct kpi_period p;
	char a[64], b[64];
	size_t i;

	for (i = 0; i < sizeof(span_cases) / sizeof(span_cases[0]); i++) {
		cal.grain = span_cases[i].grain;
		cal.week_start = span_cases[i].week_start;
		cal.fy_start = span_cases[i].fy_start;
		cal.tz = zone(span_cases[i].zone);
		kpi_period_of(&cal, instant(span_cases[i].in), &p);
		CHECK_STR(p.label, span_cases[i].label, span_cases[i].in);
		CHECK_STR(utc(p.start, a, sizeof(a)), span_cases[i].start,
		    span_cases[i].in);
		CHECK_STR(utc(p.end, b, sizeof(b)), span_cases[i].end,
		    span_cases[i].in);
	}
}

/* Start is in the period, end is in the next one, end - 1 is not. */
static void
test_boundaries(void)
{
	static const enum kpi_grain grains[] = {
		KPI_DAY, KPI_WEEK, KPI_MONTH, KPI_QUARTER, KPI_YEAR
	};
	struct kpi_calendar cal = { KPI_DAY, 1, 1, NULL };
	struct kpi_period p, q, r;
	size_t g, z;

	for (z = 0; z < NZONES; z++)
		for (g = 0; g < sizeof(grains) / sizeof(grains[0]); g++) {
			cal.grain = grains[g];
			cal.tz = zones[z];
			kpi_period_of(&cal, instant("2024-03-31T01:30:00Z"),
			    &p);
			kpi_period_of(&cal, p.start, &q);
			CHECK(q.index == p.index && q.start == p.start,
			    "%s %s: start", zone_names[z], p.label);
			kpi_period_of(&cal, p.end - 1, &q);
			CHECK(q.index == p.index, "%s %s: end - 1",
			    zone_names[z], p.label);
			kpi_period_of(&cal, p.end, &r);
			CHECK(r.index == p.index + 1 && r.start == p.end,
			    "%s %s: end is next (%s)", zone_names[z],
			    p.label, r.label);
			kpi_period_of(&cal, p.start - 1, &r);
			CHECK(r.index == p.index - 1 && r.end == p.start,
			    "%s %s: start - 1 is previous (%s)",
			    zone_names[z], p.label, r.label);
		}
}

static void
test_all(void)
{
	struct kpi_calendar cal = { KPI_ALL, 1, 1, NULL };
	struct kpi_period p, q;

	kpi_period_of(&cal, -5000000000LL, &p);
	CHECK(p.start == LLONG_MIN && p.end == LLONG_MAX && p.index == 0,
	    "all: %lld %lld %lld", p.start, p.end, p.index);
	CHECK_STR(p.label, "all", "all");
	kpi_period_shift(&cal, &p, -1, &q);
	CHECK(q.index == 0 && q.start == LLONG_MIN, "all shifted");
}

/* ---- shifting ---- */

static const struct {
	enum kpi_grain grain;
	int fy_start;
	const char *zone;
	const char *in;
	long long n;
	const char *label;
	const char *start;
} shift_cases[] = {
	{ KPI_DAY, 1, "Europe/London", "2024-03-30T12:00:00Z", 1,
	    "2024-03-31", "2024-03-31T00:00:00Z" },
	{ KPI_DAY, 1, "Europe/London", "2024-04-01T12:00:00Z", -1,
	    "2024-03-31", "2024-03-31T00:00:00Z" },
	{ KPI_DAY, 1, "Europe/London", "2024-03-31T12:00:00Z", 1,
	    "2024-04-01", "2024-03-31T23:00:00Z" },
	{ KPI_DAY, 1, NULL, "2024-02-28T00:00:00Z", 366,
	    "2025-02-28", "2025-02-28T00:00:00Z" },
	{ KPI_WEEK, 1, "Europe/London", "2024-03-04T12:00:00Z", 52,
	    "2025-W10", "2025-03-03T00:00:00Z" },
	{ KPI_WEEK, 1, "Europe/London", "2024-03-04T12:00:00Z", -52,
	    "2023-W10", "2023-03-06T00:00:00Z" },
	{ KPI_WEEK, 1, "Europe/London", "2024-03-28T12:00:00Z", 1,
	    "2024-W14", "2024-03-31T23:00:00Z" },
	{ KPI_WEEK, 1, NULL, "2020-12-28T00:00:00Z", 1,
	    "2021-W01", "2021-01-04T00:00:00Z" },
	{ KPI_MONTH, 1, "America/New_York", "2024-01-31T12:00:00Z", 1,
	    "2024-02", "2024-02-01T05:00:00Z" },
	{ KPI_MONTH, 1, "America/New_York", "2024-03-15T12:00:00Z", 12,
	    "2025-03", "2025-03-01T05:00:00Z" },
	{ KPI_MONTH, 1, "America/New_York", "2024-03-15T12:00:00Z", -12,
	    "2023-03", "2023-03-01T05:00:00Z" },
	{ KPI_MONTH, 1, NULL, "2024-01-15T00:00:00Z", -1,
	    "2023-12", "2023-12-01T00:00:00Z" },
	{ KPI_QUARTER, 1, NULL, "2024-01-15T00:00:00Z", -1,
	    "2023-Q4", "2023-10-01T00:00:00Z" },
	{ KPI_QUARTER, 4, NULL, "2024-04-15T00:00:00Z", -1,
	    "FY2024-Q4", "2024-01-01T00:00:00Z" },
	{ KPI_QUARTER, 4, NULL, "2024-04-15T00:00:00Z", 4,
	    "FY2026-Q1", "2025-04-01T00:00:00Z" },
	{ KPI_YEAR, 7, NULL, "2024-07-15T00:00:00Z", -1,
	    "FY2024", "2023-07-01T00:00:00Z" },
	{ KPI_YEAR, 1, NULL, "2024-07-15T00:00:00Z", -100,
	    "1924", "1924-01-01T00:00:00Z" },
	{ KPI_YEAR, 1, NULL, "2024-07-15T00:00:00Z", 100,
	    "2124", "2124-01-01T00:00:00Z" },
};

static void
test_shift(void)
{
	struct kpi_calendar cal = { KPI_DAY, 1, 1, NULL };
	struct kpi_period p, q;
	char a[64];
	size_t i;

	for (i = 0; i < sizeof(shift_cases) / sizeof(shift_cases[0]); i++) {
		cal.grain = shift_cases[i].grain;
		cal.fy_start = shift_cases[i].fy_start;
		cal.tz = zone(shift_cases[i].zone);
		kpi_period_of(&cal, instant(shift_cases[i].in), &p);
		kpi_period_shift(&cal, &p, shift_cases[i].n, &q);
		CHECK_STR(q.label, shift_cases[i].label, shift_cases[i].in);
		CHECK_STR(utc(q.start, a, sizeof(a)), shift_cases[i].start,
		    shift_cases[i].in);
		CHECK(q.index - p.index == shift_cases[i].n,
		    "%s: index moved %lld", shift_cases[i].in,
		    q.index - p.index);
	}
}

/* A small generator, so that runs repeat. */
static unsigned long long
next_rand(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static int
same_period(const struct kpi_period *a, const struct kpi_period *b)
{
	return a->start == b->start && a->end == b->end &&
	    a->index == b->index && strcmp(a->label, b->label) == 0;
}

/* One instant, one calendar: the round trips and the tiling. */
static int
check_trip(const struct kpi_calendar *cal, long long t, long long n)
{
	struct kpi_period p, q, r, s;

	kpi_period_of(cal, t, &p);
	if (!(p.start <= t && t < p.end))
		return 0;
	kpi_period_shift(cal, &p, n, &q);
	kpi_period_shift(cal, &q, -n, &r);
	kpi_period_of(cal, q.start, &s);
	if (!same_period(&p, &r) || !same_period(&q, &s) ||
	    q.index - p.index != n || q.start >= q.end)
		return 0;
	kpi_period_shift(cal, &p, 1, &q);
	return q.start == p.end;
}

static void
test_random(void)
{
	static const enum kpi_grain grains[] = {
		KPI_DAY, KPI_WEEK, KPI_MONTH, KPI_QUARTER, KPI_YEAR
	};
	static const long long steps[] = { 1, -1, 52, -52, 12, -12, 0 };
	/* 1800-01-01 to 2200-01-01 */
	const long long lo = -5364662400LL, span = 12623040000LL;
	struct kpi_calendar cal;
	unsigned long long seed = 20240229;
	long long t, n;
	int i, bad;
	size_t s, z;

	for (i = 0, bad = 0; i < 20000; i++) {
		cal.grain = grains[next_rand(&seed) % 5];
		cal.week_start = (int)(next_rand(&seed) % 7) + 1;
		cal.fy_start = (int)(next_rand(&seed) % 12) + 1;
		z = next_rand(&seed) % NZONES;
		cal.tz = zones[z];
		t = lo + (long long)((next_rand(&seed) << 20 ^
		    next_rand(&seed)) % (unsigned long long)span);
		s = next_rand(&seed) % (sizeof(steps) / sizeof(steps[0]));
		n = steps[s] != 0 ? steps[s] :
		    (long long)(next_rand(&seed) % 2001) - 1000;
		if (!check_trip(&cal, t, n) && bad++ < 10)
			CHECK(0, "grain %d ws %d fy %d %s t %lld n %lld",
			    (int)cal.grain, cal.week_start, cal.fy_start,
			    zone_names[z], t, n);
	}
	CHECK(bad == 0, "%d random round trips failed", bad);
}

/*
 * A memo gives what kpi_period_of gives, whatever order the instants come
 * in: over a few years, so that indexes share slots, and near each period's
 * bounds, in every zone and grain.
 */
static void
test_memo(void)
{
	static const enum kpi_grain grains[] = {
		KPI_DAY, KPI_WEEK, KPI_MONTH, KPI_QUARTER, KPI_YEAR, KPI_ALL
	};
	/* 2022-01-01, four years */
	const long long lo = 1640995200LL, span = 4 * 31557600LL;
	static struct kpi_period_memo m;
	struct kpi_calendar cal;
	struct kpi_period p, q;
	unsigned long long seed = 19;
	long long t;
	int i, bad = 0;
	size_t g, z;

	for (g = 0; g < sizeof(grains) / sizeof(grains[0]); g++)
		for (z = 0; z < NZONES; z++) {
			cal.grain = grains[g];
			cal.week_start = (int)(z % 7) + 1;
			cal.fy_start = (int)(g * 5 % 12) + 1;
			cal.tz = zones[z];
			kpi_period_memo_init(&m);
			for (i = 0; i < 3000; i++) {
				t = lo + (long long)(next_rand(&seed) %
				    (unsigned long long)span);
				/* all has no bounds to step over. */
				if (cal.grain == KPI_ALL)
					;
				else if (i % 3 == 1)
					t = p.start - 1 + (i % 2);
				else if (i % 3 == 2)
					t = p.end - 1 + (i % 2);
				kpi_period_of(&cal, t, &p);
				kpi_period_in(&cal, &m, t, &q);
				if (!same_period(&p, &q) && bad++ < 10)
					CHECK(0, "grain %d %s t %lld: %s, "
					    "memo %s", (int)cal.grain,
					    zone_names[z], t, p.label,
					    q.label);
			}
		}
	CHECK(bad == 0, "%d memo lookups differ", bad);
}

/* Far instants and huge steps stay defined (UBSan watches). */
static void
test_extremes(void)
{
	struct kpi_calendar cal = { KPI_YEAR, 1, 4, NULL };
	struct kpi_period p, q;

	kpi_period_of(&cal, LLONG_MAX, &p);
	CHECK(p.start < p.end, "LLONG_MAX: %s", p.label);
	kpi_period_shift(&cal, &p, LLONG_MAX, &q);
	CHECK(q.index == p.index, "LLONG_MAX shifted: %s", q.label);
	kpi_period_of(&cal, LLONG_MIN, &p);
	CHECK(p.start < p.end, "LLONG_MIN: %s", p.label);
	kpi_period_shift(&cal, &p, LLONG_MIN, &q);
	CHECK(q.index == p.index, "LLONG_MIN shifted: %s", q.label);
	cal.grain = KPI_DAY;
	cal.tz = zone("Europe/London");
	kpi_period_of(&cal, 253402300799LL, &p);
	CHECK_STR(p.label, "9999-12-31", "9999");
	kpi_period_shift(&cal, &p, 1, &q);
	CHECK_STR(q.label, "10000-01-01", "10000");
	kpi_period_of(&cal, -62135596800LL, &p);
	CHECK_STR(p.label, "0000-12-31", "year 1 in London (LMT)");
}

static void
test_grain_parse(void)
{
	static const struct {
		const char *name;
		int r;
		enum kpi_grain grain;
	} cases[] = {
		{ "day", 0, KPI_DAY }, { "week", 0, KPI_WEEK },
		{ "month", 0, KPI_MONTH }, { "quarter", 0, KPI_QUARTER },
		{ "year", 0, KPI_YEAR }, { "all", 0, KPI_ALL },
		{ "Day", -1, KPI_DAY }, { "", -1, KPI_DAY },
		{ "weeks", -1, KPI_DAY }, { "yea", -1, KPI_DAY },
	};
	enum kpi_grain g;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		g = KPI_DAY;
		CHECK(kpi_grain_parse(cases[i].name, &g) == cases[i].r &&
		    g == cases[i].grain, "'%s'", cases[i].name);
		/* A name read back is the name written. */
		CHECK(cases[i].r != 0 || strcmp(kpi_grain_name(g),
		    cases[i].name) == 0, "name of '%s'", cases[i].name);
	}
}

/* --fiscal-year-start and --week-start; 0 in want: refused. */
static void
test_month_and_week_start(void)
{
	static const struct {
		const char *s;
		int want;
	} months[] = {
		{ "1", 1 }, { "01", 1 }, { "12", 12 }, { "4", 4 },
		{ "apr", 4 }, { "April", 4 }, { "SEPT", 9 }, { "september", 9 },
		{ "may", 5 }, { "jun", 6 }, { "july", 7 },
		{ "0", 0 }, { "13", 0 }, { "-1", 0 }, { "+4", 0 }, { " 4", 0 },
		{ "4x", 0 }, { "ma", 0 }, { "ju", 0 }, { "aprils", 0 },
		{ "", 0 },
	}, days[] = {
		{ "monday", 1 }, { "Mon", 1 }, { "SUNDAY", 7 }, { "sun", 7 },
		{ "tuesday", 0 }, { "mo", 0 }, { "", 0 }, { "1", 0 },
	};
	size_t i;
	int v;

	for (i = 0; i < sizeof(months) / sizeof(months[0]); i++) {
		v = 0;
		CHECK(kpi_month_parse(months[i].s, &v) == (months[i].want ?
		    0 : -1) && v == months[i].want, "month '%s': %d",
		    months[i].s, v);
	}
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		v = 0;
		CHECK(kpi_week_start_parse(days[i].s, &v) == (days[i].want ?
		    0 : -1) && v == days[i].want, "week start '%s': %d",
		    days[i].s, v);
	}
}

int
main(void)
{
	struct kpi_err err;
	size_t i;

	for (i = 0; i < NZONES; i++)
		if ((zones[i] = kpi_tz_open(zone_names[i], &err)) == NULL) {
			fprintf(stderr, "%s: %s\n", zone_names[i], err.msg);
			return 1;
		}
	test_labels();
	test_spans();
	test_boundaries();
	test_all();
	test_shift();
	test_random();
	test_memo();
	test_extremes();
	test_grain_parse();
	test_month_and_week_start();
	for (i = 0; i < NZONES; i++)
		kpi_tz_free(zones[i]);
	return unit_done();
}
