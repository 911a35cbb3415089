/*
 * time_test.c - time zones (TZif and footer rules, DST gaps and overlaps),
 * time formats, RFC 3339 output and the calendar.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

/* The zones the cases use, opened once. */
static const char *const zone_names[] = {
	"UTC", "Europe/London", "America/New_York", "America/Nuuk",
	"Asia/Jerusalem", "America/Santiago", "Europe/Dublin",
	"Australia/Sydney", "Asia/Kolkata"
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

/* Formats t with kpi_time_put (or kpi_date_put) into a static buffer. */
static const char *
put(const struct kpi_time *t, int date)
{
	static char out[64];
	struct kpi_buf b;

	kpi_buf_init(&b);
	if (date)
		kpi_date_put(&b, t);
	else
		kpi_time_put(&b, t);
	snprintf(out, sizeof(out), "%s", b.p);
	kpi_buf_release(&b);
	return out;
}

/* An instant written in RFC 3339, as Unix seconds. */
static long long
instant(const char *s)
{
	struct kpi_timefmt *f;
	struct kpi_time t = { 0, 0, 0 };
	struct kpi_err err;

	f = kpi_timefmt_compile("rfc3339", &err);
	if (kpi_time_parse(f, s, strlen(s), NULL, 0, &t) != 1)
		abort();
	kpi_timefmt_free(f);
	return t.t;
}

static const struct {
	const char *fmt;
	const char *zone;	/* NULL: none given */
	const char *in;
	int r;
	const char *want;	/* kpi_time_put of the result */
} parse_cases[] = {
	/* auto: each shape */
	{ "auto", NULL, "2024-01-05T14:02:11-05:00", 1,
	    "2024-01-05T14:02:11-05:00" },
	{ "auto", NULL, "2024-01-05T14:02:11Z", 1, "2024-01-05T14:02:11Z" },
	{ "auto", NULL, "2024-01-05t14:02:11z", 1, "2024-01-05T14:02:11Z" },
	{ "auto", NULL, "2024-01-05 14:02:11 -0500", 1,
	    "2024-01-05T14:02:11-05:00" },
	{ "auto", NULL, "2024-01-05 14:02:11-0500", 1,
	    "2024-01-05T14:02:11-05:00" },
	{ "auto", NULL, "2024-01-05T14:02:11+0530", 1,
	    "2024-01-05T14:02:11+05:30" },
	{ "auto", NULL, "2024-01-05T14:02:11+01", 1,
	    "2024-01-05T14:02:11+01:00" },
	{ "auto", NULL, "2024-01-05 14:02:11 UTC", 1, "2024-01-05T14:02:11Z" },
	{ "auto", NULL, "2024-01-05T14:02Z", 1, "2024-01-05T14:02:00Z" },
	{ "auto", NULL, "2024-01-05 14:02", 1, "2024-01-05T14:02:00Z" },
	{ "auto", NULL, "2024-01-05 9:05:00", 1, "2024-01-05T09:05:00Z" },
	{ "auto", NULL, "2024-01-05T14:02:11.25Z", 1,
	    "2024-01-05T14:02:11.250Z" },
	{ "auto", NULL, "2024-01-05T14:02:11.123456789123+02:00", 1,
	    "2024-01-05T14:02:11.123+02:00" },
	{ "auto", NULL, "2024-01-05T14:02:11.0009Z", 1,
	    "2024-01-05T14:02:11Z" },
	{ "auto", NULL, "  2024-01-05T14:02:11Z\t", 1,
	    "2024-01-05T14:02:11Z" },
	{ "auto", NULL, "2024-01-05", 1, "2024-01-05T00:00:00Z" },
	{ "auto", NULL, "2024-1-5", 1, "2024-01-05T00:00:00Z" },
	{ "auto", NULL, "20240105", 1, "2024-01-05T00:00:00Z" },
	{ "auto", "America/New_York", "2024-01-05", 1,
	    "2024-01-05T00:00:00-05:00" },
	{ "auto", "America/New_York", "2024-07-05 14:02:11", 1,
	    "2024-07-05T14:02:11-04:00" },
	{ "auto", "America/New_York", "2024-01-05T14:02:11+01:00", 1,
	    "2024-01-05T14:02:11+01:00" },
	{ "auto", NULL, "2024-01-05T14:02:11 Z junk", -1, NULL },
	{ "auto", NULL, "2024-01-05T14:02:11  -0500", -1, NULL },
	{ "auto", NULL, "2024-01-05x", -1, NULL },
	{ "auto", NULL, "2024/01/05", -1, NULL },
	{ "auto", NULL, "05/01/2024", -1, NULL },
	{ "auto", NULL, "2024-01-05T14", -1, NULL },
	{ "auto", NULL, "2024-01-05T14:02:11+24:00", -1, NULL },
	{ "auto", NULL, "202401051", -1, NULL },
	{ "auto", NULL, "2024-13-01", -1, NULL },
	{ "auto", NULL, "2024-04-31", -1, NULL },
	{ "auto", NULL, "20240230", -1, NULL },
	/* leap days, 24:00, leap seconds */
	{ "auto", NULL, "2024-02-29", 1, "2024-02-29T00:00:00Z" },
	{ "auto", NULL, "2000-02-29", 1, "2000-02-29T00:00:00Z" },
	{ "auto", NULL, "2023-02-29", -1, NULL },
	{ "auto", NULL, "1900-02-29", -1, NULL },
	{ "auto", NULL, "2024-12-31T24:00:00Z", 1, "2025-01-01T00:00:00Z" },
	{ "auto", NULL, "2024-12-31T24:00:00.0Z", 1, "2025-01-01T00:00:00Z" },
	{ "auto", NULL, "2024-12-31T24:00:01Z", -1, NULL },
	{ "auto", NULL, "2024-12-31T24:00:00.5Z", -1, NULL },
	{ "auto", NULL, "2024-12-31T25:00:00Z", -1, NULL },
	{ "auto", NULL, "2024-12-31T23:59:60Z", -1, NULL },
	{ "auto", NULL, "2024-12-31T23:60:00Z", -1, NULL },
	/* null markers */
	{ "auto", NULL, "", 0, NULL },
	{ "auto", NULL, "N/A", 0, NULL },
	{ "auto", NULL, " - ", 0, NULL },
	{ "%d/%m/%Y", NULL, "null", 0, NULL },
	{ "epoch", NULL, "", 0, NULL },
	/* rfc3339: strict */
	{ "rfc3339", NULL, "2024-01-05T14:02:11-05:00", 1,
	    "2024-01-05T14:02:11-05:00" },
	{ "rfc3339", NULL, "2024-01-05 14:02:11.5Z", 1,
	    "2024-01-05T14:02:11.500Z" },
	{ "rfc3339", NULL, "2024-01-05T14:02:11", -1, NULL },
	{ "rfc3339", NULL, "2024-01-05T14:02Z", -1, NULL },
	{ "rfc3339", NULL, "2024-01-05T14:02:11-0500", -1, NULL },
	{ "rfc3339", NULL, "2024-01-05 14:02:11 -05:00", -1, NULL },
	{ "rfc3339", NULL, "2024-1-5T14:02:11Z", -1, NULL },
	{ "rfc3339", NULL, "2024-01-05", -1, NULL },
	/* yyyymmdd */
	{ "yyyymmdd", NULL, "20240105", 1, "2024-01-05T00:00:00Z" },
	{ "yyyymmdd", "Europe/London", "20240705", 1,
	    "2024-07-05T00:00:00+01:00" },
	{ "yyyymmdd", NULL, "2024-01-05", -1, NULL },
	{ "yyyymmdd", NULL, "20241305", -1, NULL },
	/* epoch, epoch_ms */
	{ "epoch", NULL, "1704481331", 1, "2024-01-05T19:02:11Z" },
	{ "epoch", NULL, "0", 1, "1970-01-01T00:00:00Z" },
	{ "epoch", NULL, "-1", 1, "1969-12-31T23:59:59Z" },
	{ "epoch", NULL, "-1.5", 1, "1969-12-31T23:59:58.500Z" },
	{ "epoch", NULL, "1704481331.25", 1, "2024-01-05T19:02:11.250Z" },
	{ "epoch", "America/New_York", "1704481331", 1,
	    "2024-01-05T14:02:11-05:00" },
	{ "epoch", "UTC", "1704481331", 1, "2024-01-05T19:02:11Z" },
	{ "epoch", NULL, "17e8", -1, NULL },
	{ "epoch", NULL, "1.", -1, NULL },
	{ "epoch", NULL, "9999999999999", -1, NULL },
	{ "epoch_ms", NULL, "1704481331250", 1, "2024-01-05T19:02:11.250Z" },
	{ "epoch_ms", NULL, "-1", 1, "1969-12-31T23:59:59.999Z" },
	{ "epoch_ms", NULL, "-1500", 1, "1969-12-31T23:59:58.500Z" },
	{ "epoch_ms", NULL, "1704481331250.9", 1,
	    "2024-01-05T19:02:11.250Z" },
	{ "epoch_ms", NULL, "12ms", -1, NULL },
	/* patterns: the order of day and month is the pattern's */
	{ "%d/%m/%Y", NULL, "05/01/2024", 1, "2024-01-05T00:00:00Z" },
	{ "%m/%d/%Y", NULL, "05/01/2024", 1, "2024-05-01T00:00:00Z" },
	{ "%d/%m/%Y", NULL, "5/1/2024", 1, "2024-01-05T00:00:00Z" },
	{ "%m/%d/%Y", NULL, "13/01/2024", -1, NULL },
	{ "%d/%m/%Y %H:%M", NULL, "31/12/2023 22:36", 1,
	    "2023-12-31T22:36:00Z" },
	{ "%d/%m/%Y %H:%M", NULL, "31/12/2023   22:36", 1,
	    "2023-12-31T22:36:00Z" },
	{ "%d/%m/%Y %H:%M", NULL, "31/12/202322:36", -1, NULL },
	{ "%d/%m/%Y %H:%M", NULL, "31/12/2023 22:36:10", -1, NULL },
	{ "%m/%d/%y %H:%M", "America/New_York", "12/25/25 20:18", 1,
	    "2025-12-25T20:18:00-05:00" },
	{ "%m/%d/%y", NULL, "01/02/69", 1, "1969-01-02T00:00:00Z" },
	{ "%m/%d/%y", NULL, "01/02/68", 1, "2068-01-02T00:00:00Z" },
	{ "%d %b %Y", NULL, "10 Mar 2024", 1, "2024-03-10T00:00:00Z" },
	{ "%d %b %Y", NULL, "10 MARCH 2024", 1, "2024-03-10T00:00:00Z" },
	{ "%d %b %Y", NULL, "10 sept 2024", 1, "2024-09-10T00:00:00Z" },
	{ "%d %b %Y", NULL, "10 Mrz 2024", -1, NULL },
	{ "%d %b %Y", NULL, "10 Marc 2024", -1, NULL },
	{ "%B %e, %Y", NULL, "January  5, 2024", 1, "2024-01-05T00:00:00Z" },
	{ "%a, %d %b %Y %T %z", NULL, "Fri, 05 Jan 2024 14:02:11 -0500", 1,
	    "2024-01-05T14:02:11-05:00" },
	{ "%A %F", NULL, "friday 2024-01-05", 1, "2024-01-05T00:00:00Z" },
	{ "%A %F", NULL, "fri 2024-01-05", 1, "2024-01-05T00:00:00Z" },
	{ "%A %F", NULL, "fr 2024-01-05", -1, NULL },
	{ "%m/%d/%Y %I:%M %p", NULL, "01/05/2024 2:02 PM", 1,
	    "2024-01-05T14:02:00Z" },
	{ "%m/%d/%Y %I:%M %p", NULL, "01/05/2024 12:02 am", 1,
	    "2024-01-05T00:02:00Z" },
	{ "%m/%d/%Y %I:%M %p", NULL, "01/05/2024 12:02 pm", 1,
	    "2024-01-05T12:02:00Z" },
	{ "%m/%d/%Y %I:%M%p", NULL, "01/05/2024 11:59PM", 1,
	    "2024-01-05T23:59:00Z" },
	{ "%m/%d/%Y %I:%M %p", NULL, "01/05/2024 13:02 PM", -1, NULL },
	{ "%m/%d/%Y %I:%M %p", NULL, "01/05/2024 0:02 AM", -1, NULL },
	{ "%m/%d/%Y %I:%M %p", NULL, "01/05/2024 2:02 PX", -1, NULL },
	{ "%Y-%m-%d %H:%M:%S.%f", NULL, "2024-01-05 14:02:11.5", 1,
	    "2024-01-05T14:02:11.500Z" },
	{ "%Y%m%d%H%M%S", NULL, "20240105140211", 1,
	    "2024-01-05T14:02:11Z" },
	{ "%Y-%j", NULL, "2024-060", 1, "2024-02-29T00:00:00Z" },
	{ "%Y-%j", NULL, "2023-366", -1, NULL },
	{ "%Y-%m", NULL, "2024-03", 1, "2024-03-01T00:00:00Z" },
	{ "%d.%m.%Y %H:%M %z", NULL, "05.01.2024 14:02 Z", 1,
	    "2024-01-05T14:02:00Z" },
	{ "%d.%m.%Y %H:%M %z", NULL, "05.01.2024 14:02 +01:00", 1,
	    "2024-01-05T14:02:00+01:00" },
	{ "100%% %Y", NULL, "100% 2024", 1, "2024-01-01T00:00:00Z" },
	{ "%d/%m/%Y", NULL, "05/01/2024 x", -1, NULL },
	{ "%d/%m/%Y", NULL, "29/02/2023", -1, NULL },
	{ "%d/%m/%Y", NULL, "29/02/2024", 1, "2024-02-29T00:00:00Z" },
	{ "%d/%m/%Y", NULL, "05/01/24", -1, NULL },
	{ "%d/%m/%Y %T", NULL, "31/12/2023 24:00:00", 1,
	    "2024-01-01T00:00:00Z" },
	/* DST: spring-forward gaps move forward by the gap */
	{ "auto", "Europe/London", "2024-03-31 01:30", 1,
	    "2024-03-31T02:30:00+01:00" },
	{ "auto", "America/New_York", "2024-03-10 02:30", 1,
	    "2024-03-10T03:30:00-04:00" },
	{ "auto", "America/New_York", "2024-03-10 01:59:59", 1,
	    "2024-03-10T01:59:59-05:00" },
	{ "auto", "America/New_York", "2024-03-10 03:00", 1,
	    "2024-03-10T03:00:00-04:00" },
	/* fall-back overlaps take the earlier instant */
	{ "auto", "Europe/London", "2024-10-27 01:30", 1,
	    "2024-10-27T01:30:00+01:00" },
	{ "auto", "America/New_York", "2024-11-03 01:30", 1,
	    "2024-11-03T01:30:00-04:00" },
	{ "auto", "America/New_York", "2024-11-03 02:00", 1,
	    "2024-11-03T02:00:00-05:00" },
	/* ordinary summer and winter, and the footer's years */
	{ "auto", "Europe/London", "2024-07-01 12:00", 1,
	    "2024-07-01T12:00:00+01:00" },
	{ "auto", "Europe/London", "2024-01-15 12:00", 1,
	    "2024-01-15T12:00:00Z" },
	{ "auto", "America/New_York", "1990-06-01 12:00", 1,
	    "1990-06-01T12:00:00-04:00" },
	{ "auto", "America/New_York", "2040-03-11 02:30", 1,
	    "2040-03-11T03:30:00-04:00" },
	{ "auto", "America/New_York", "2040-11-04 01:30", 1,
	    "2040-11-04T01:30:00-04:00" },
	{ "auto", "Europe/London", "2040-10-28 01:30", 1,
	    "2040-10-28T01:30:00+01:00" },
	{ "auto", "Asia/Kolkata", "2024-01-05 14:02", 1,
	    "2024-01-05T14:02:00+05:30" },
	/*
	 * Local mean time, -4:56:02: the offset is shown rounded to minutes
	 * and the clock with it, so the text still names the instant.
	 */
	{ "auto", "America/New_York", "1800-01-01 12:00", 1,
	    "1800-01-01T12:00:02-04:56" },
	{ "auto", "UTC", "2024-07-01 12:00", 1, "2024-07-01T12:00:00Z" },
};

static void
test_parse(void)
{
	struct kpi_timefmt *f;
	struct kpi_time t;
	struct kpi_err err;
	size_t i;
	int r;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		kpi_err_clear(&err);
		f = kpi_timefmt_compile(parse_cases[i].fmt, &err);
		CHECK(f != NULL, "%s: %s", parse_cases[i].fmt, err.msg);
		if (f == NULL)
			continue;
		memset(&t, 0, sizeof(t));
		r = kpi_time_parse(f, parse_cases[i].in,
		    strlen(parse_cases[i].in), zone(parse_cases[i].zone), 0,
		    &t);
		CHECK(r == parse_cases[i].r, "%s '%s': got %d, want %d",
		    parse_cases[i].fmt, parse_cases[i].in, r, parse_cases[i].r);
		if (r == 1 && parse_cases[i].want != NULL)
			CHECK_STR(put(&t, 0), parse_cases[i].want,
			    parse_cases[i].in);
		kpi_timefmt_free(f);
	}
}

/* The instants of the spec's DST examples, in UTC. */
static const struct {
	const char *zone, *local, *utc;
} local_cases[] = {
	{ "Europe/London", "2024-03-31 01:30", "2024-03-31T01:30:00Z" },
	{ "America/New_York", "2024-03-10 02:30", "2024-03-10T07:30:00Z" },
	{ "Europe/London", "2024-10-27 01:30", "2024-10-27T00:30:00Z" },
	{ "America/New_York", "2024-11-03 01:30", "2024-11-03T05:30:00Z" },
	{ "America/Santiago", "2040-09-02 00:30", "2040-09-02T04:30:00Z" },
	{ "America/Santiago", "2040-04-07 23:30", "2040-04-08T02:30:00Z" },
	{ "Australia/Sydney", "2040-10-07 02:30", "2040-10-06T16:30:00Z" },
};

static void
test_from_local(void)
{
	struct kpi_timefmt *f;
	struct kpi_time t, u;
	struct kpi_err err;
	size_t i;

	f = kpi_timefmt_compile("auto", &err);
	for (i = 0; i < sizeof(local_cases) / sizeof(local_cases[0]); i++) {
		CHECK(kpi_time_parse(f, local_cases[i].local,
		    strlen(local_cases[i].local), zone(local_cases[i].zone), 0,
		    &t) == 1, "%s", local_cases[i].local);
		u.t = t.t;
		u.nsec = 0;
		u.off = 0;
		CHECK_STR(put(&u, 0), local_cases[i].utc, local_cases[i].local);
	}
	kpi_timefmt_free(f);
}

/*
 * A zone remembers the span of its last answer: a zone asked in any order
 * answers as one opened afresh for each question, across transitions.
 */
static void
test_offset_memo(void)
{
	struct kpi_tz *fresh;
	struct kpi_err err;
	long long t, at;
	size_t z;
	int i, bad = 0;

	for (z = 0; z < NZONES; z++)
		for (i = 0; i < 400; i++) {
			/* Back and forth over 1970 to 2100, in steps that
			   land near and far from the last. */
			at = 1700000000LL + (long long)(i % 7) * 3 * 3600 +
			    (long long)(i / 7) * 9 * 86400;
			t = i % 3 == 0 ? at : i % 3 == 1 ? at - 3000000000LL :
			    at + 1000000000LL;
			fresh = kpi_tz_open(zone_names[z], &err);
			if (kpi_tz_offset(zones[z], t) != kpi_tz_offset(fresh, t))
				bad++;
			kpi_tz_free(fresh);
		}
	CHECK(bad == 0, "a remembered offset differed %d times", bad);
}

/* Offsets at instants, around transitions and in the footer's years. */
static const struct {
	const char *zone, *at;
	long off;
} offset_cases[] = {
	{ "UTC", "2024-07-01T00:00:00Z", 0 },
	{ "Europe/London", "1990-07-01T12:00:00Z", 3600 },
	{ "Europe/London", "1990-01-15T12:00:00Z", 0 },
	{ "Europe/London", "2040-03-25T00:59:59Z", 0 },
	{ "Europe/London", "2040-03-25T01:00:00Z", 3600 },
	{ "Europe/London", "2040-10-28T00:59:59Z", 3600 },
	{ "Europe/London", "2040-10-28T01:00:00Z", 0 },
	{ "Europe/London", "1800-01-01T00:00:00Z", -75 },
	{ "America/New_York", "1990-04-01T06:59:59Z", -18000 },
	{ "America/New_York", "1990-04-01T07:00:00Z", -14400 },
	{ "America/New_York", "2040-03-11T06:59:59Z", -18000 },
	{ "America/New_York", "2040-03-11T07:00:00Z", -14400 },
	{ "America/New_York", "2040-11-04T05:59:59Z", -14400 },
	{ "America/New_York", "2040-11-04T06:00:00Z", -18000 },
	{ "America/New_York", "2100-07-01T00:00:00Z", -14400 },
	{ "America/New_York", "1800-01-01T00:00:00Z", -17762 },
	/* "M3.5.0/-1,M10.5.0/0": a start time before midnight */
	{ "America/Nuuk", "2040-03-25T00:59:59Z", -7200 },
	{ "America/Nuuk", "2040-03-25T01:00:00Z", -3600 },
	{ "America/Nuuk", "2040-10-28T00:59:59Z", -3600 },
	{ "America/Nuuk", "2040-10-28T01:00:00Z", -7200 },
	/* "M3.4.4/26": past the end of the day */
	{ "Asia/Jerusalem", "2040-03-22T23:59:59Z", 7200 },
	{ "Asia/Jerusalem", "2040-03-23T00:00:00Z", 10800 },
	/* southern hemisphere, "/24" */
	{ "America/Santiago", "2040-09-02T03:59:59Z", -14400 },
	{ "America/Santiago", "2040-09-02T04:00:00Z", -10800 },
	{ "America/Santiago", "2040-04-08T02:59:59Z", -10800 },
	{ "America/Santiago", "2040-04-08T03:00:00Z", -14400 },
	{ "Australia/Sydney", "2040-01-01T00:00:00Z", 39600 },
	{ "Australia/Sydney", "2040-07-01T00:00:00Z", 36000 },
	/* negative DST: "IST-1GMT0,M10.5.0,M3.5.0/1" */
	{ "Europe/Dublin", "2040-03-25T00:59:59Z", 0 },
	{ "Europe/Dublin", "2040-03-25T01:00:00Z", 3600 },
	{ "Europe/Dublin", "2040-10-28T00:59:59Z", 3600 },
	{ "Europe/Dublin", "2040-10-28T01:00:00Z", 0 },
	{ "Asia/Kolkata", "2040-07-01T00:00:00Z", 19800 },
};

static void
test_offsets(void)
{
	size_t i;
	long off;

	for (i = 0; i < sizeof(offset_cases) / sizeof(offset_cases[0]); i++) {
		off = kpi_tz_offset(zone(offset_cases[i].zone),
		    instant(offset_cases[i].at));
		CHECK(off == offset_cases[i].off, "%s at %s: got %ld, want %ld",
		    offset_cases[i].zone, offset_cases[i].at, off,
		    offset_cases[i].off);
	}
}

static void
test_zone_errors(void)
{
	static const char *const bad[] = {
		"Mars/Olympus", "../etc/passwd", "/etc/localtime",
		"Europe/../../etc/passwd", "Europe/London ", "Europe",
		"zone.tab", "", "Europe/Lon$don"
	};
	struct kpi_tz *tz;
	struct kpi_err err;
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kpi_err_clear(&err);
		tz = kpi_tz_open(bad[i], &err);
		CHECK(tz == NULL, "'%s' opened", bad[i]);
		snprintf(want, sizeof(want), "unknown time zone '%s'", bad[i]);
		CHECK_STR(err.msg, want, bad[i]);
		kpi_tz_free(tz);
	}
	/* UTC needs no file. */
	tz = kpi_tz_open("Z", &err);
	CHECK(tz != NULL && kpi_tz_offset(tz, 1700000000) == 0, "Z");
	CHECK(tz != NULL && kpi_tz_from_local(tz, 1700000000) == 1700000000,
	    "Z local");
	kpi_tz_free(tz);
	tz = kpi_tz_open("Etc/UTC", &err);
	CHECK(tz != NULL, "Etc/UTC");
	kpi_tz_free(tz);
}

static void
test_formats(void)
{
	static const char *const good[] = {
		"auto", "rfc3339", "yyyymmdd", "epoch", "epoch_ms", "%Y",
		"%d/%m/%Y", " %F %T ", "%y%j"
	};
	static const char *const bad[] = {
		"", "%q", "%Y %", "%H:%M", "AUTO", "  ", "%Y%Q"
	};
	struct kpi_timefmt *f;
	struct kpi_err err;
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		f = kpi_timefmt_compile(good[i], &err);
		CHECK(f != NULL, "'%s': %s", good[i], err.msg);
		kpi_timefmt_free(f);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kpi_err_clear(&err);
		f = kpi_timefmt_compile(bad[i], &err);
		CHECK(f == NULL, "'%s' compiled", bad[i]);
		snprintf(want, sizeof(want), "bad time format '%s'", bad[i]);
		CHECK_STR(err.msg, want, bad[i]);
		kpi_timefmt_free(f);
	}
}

/* date_only: the date as written, whatever the time and offset. */
static const struct {
	const char *fmt, *zone, *in, *want;
} date_cases[] = {
	{ "auto", NULL, "2024-01-05", "2024-01-05" },
	{ "auto", "America/New_York", "2024-01-05", "2024-01-05" },
	{ "auto", NULL, "2023-12-31T23:30:00-01:00", "2023-12-31" },
	{ "auto", NULL, "2024-01-01T00:30:00+14:00", "2024-01-01" },
	{ "auto", NULL, "2024-12-31T24:00:00", "2024-12-31" },
	{ "%d/%m/%Y %H:%M", "Asia/Kolkata", "31/12/2023 22:36", "2023-12-31" },
	{ "epoch", NULL, "1704067199", "2023-12-31" },
	{ "epoch", "Asia/Kolkata", "1704067199", "2024-01-01" },
	{ "epoch", "America/New_York", "-1", "1969-12-31" },
};

static void
test_date_only(void)
{
	struct kpi_timefmt *f;
	struct kpi_time t;
	struct kpi_err err;
	size_t i;

	for (i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
		f = kpi_timefmt_compile(date_cases[i].fmt, &err);
		CHECK(kpi_time_parse(f, date_cases[i].in,
		    strlen(date_cases[i].in), zone(date_cases[i].zone), 1,
		    &t) == 1, "%s", date_cases[i].in);
		CHECK_STR(put(&t, 1), date_cases[i].want, date_cases[i].in);
		CHECK(t.off == 0 && t.nsec == 0 && t.t % 86400 == 0, "%s",
		    date_cases[i].in);
		kpi_timefmt_free(f);
	}
	f = kpi_timefmt_compile("auto", &err);
	CHECK(kpi_time_parse(f, "2023-02-29", 10, NULL, 1, &t) == -1,
	    "date_only validates");
	kpi_timefmt_free(f);
}

/* kpi_date_parse: YYYY-MM-DD, only days the month has. */
/*
 * kpi_time_text is kpi_time_parse then kpi_time_put (kpi_date_put): the
 * same result, instant and text, whichever way it writes the text.
 */
static void
check_text(const struct kpi_timefmt *f, const char *fname, const char *in,
    const struct kpi_tz *tz, int date_only)
{
	struct kpi_time t, u;
	char buf[KPI_TIME_TEXT], want[64];
	size_t len = 0;
	int r, q;

	memset(&t, 0, sizeof(t));
	memset(&u, 0, sizeof(u));
	r = kpi_time_parse(f, in, strlen(in), tz, date_only, &t);
	q = kpi_time_text(f, in, strlen(in), tz, date_only, &u, buf, &len);
	CHECK(r == q, "%s '%s' %d: text %d, parse %d", fname, in, date_only,
	    q, r);
	if (r != 1 || q != 1)
		return;
	CHECK(t.t == u.t && t.nsec == u.nsec && t.off == u.off,
	    "%s '%s': another instant", fname, in);
	snprintf(want, sizeof(want), "%s", put(&t, date_only));
	CHECK(len == strlen(buf), "%s '%s': length %zu", fname, in, len);
	CHECK_STR(buf, want, in);
}

/* Values at the edges the fast writing must leave to the calendar. */
static const char *const text_cases[] = {
	"2024-01-05T14:02:11Z", "2024-01-05T14:02:11+00:00",
	"2024-01-05T14:02:11-00:00", "2024-01-05T14:02:11.5-00:30",
	"2024-01-05 14:02:11 +0000", "2024-01-05 14:02:11", "2024-01-05",
	"2024-12-31T24:00:00", "2024-12-31T24:00:00+01:00",
	"9999-12-31T23:59:59Z", "9999-12-31T23:59:59-01:00",
	"9999-12-31T24:00:00Z", "0001-01-01T00:00:00+01:00",
	"0001-01-01T00:30:00Z", "0000-12-31T24:00:00Z", "0000-12-31",
	"0001-01-01", "9999-12-31", "2024-03-10 02:30", "2024-03-31 01:30",
	"2024-10-27 01:30", "2024-11-03 01:30:00", "1800-01-01 12:00",
	"2024-02-29T12:00:00.999999999+05:45", "2023-02-29T12:00:00Z",
	"2024-01-05T14:02:60Z", "2024-01-05t14:02:11z", "20240105",
	"2024-1-5 9:05", "  2024-01-05T14:02:11Z ", "N/A", "", "1704067199",
	"2040-09-02 00:30", "2040-10-07 02:30", "2024-01-05 14:02:11 UTC",
};

static void
test_text(void)
{
	static const char *const fmts[] = {
		"auto", "rfc3339", "yyyymmdd", "epoch", "%Y-%m-%d %H:%M",
		"%d/%m/%Y %H:%M"
	};
	struct kpi_timefmt *f;
	struct kpi_err err;
	size_t i, k, z;
	int d;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		f = kpi_timefmt_compile(parse_cases[i].fmt, &err);
		for (d = 0; f != NULL && d < 2; d++)
			check_text(f, parse_cases[i].fmt, parse_cases[i].in,
			    zone(parse_cases[i].zone), d);
		kpi_timefmt_free(f);
	}
	for (i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
		f = kpi_timefmt_compile(date_cases[i].fmt, &err);
		check_text(f, date_cases[i].fmt, date_cases[i].in,
		    zone(date_cases[i].zone), 1);
		kpi_timefmt_free(f);
	}
	for (k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		f = kpi_timefmt_compile(fmts[k], &err);
		for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]);
		    i++)
			for (z = 0; z <= NZONES; z++)
				for (d = 0; d < 2; d++)
					check_text(f, fmts[k], text_cases[i],
					    z < NZONES ? zones[z] : NULL, d);
		kpi_timefmt_free(f);
	}
}

static const struct {
	const char *in;
	int ok;
	long long want;		/* days since 1970-01-01 */
} date_parse_cases[] = {
	{ "1970-01-01", 1, 0 },
	{ "1969-12-31", 1, -1 },
	{ "2024-02-29", 1, 19782 },
	{ "2024-03-01", 1, 19783 },
	{ "2000-02-29", 1, 11016 },
	{ "2024-12-31", 1, 20088 },
	{ "0001-01-01", 1, -719162 },
	{ "9999-12-31", 1, 2932896 },
	{ "2024-02-30", 0, 0 },
	{ "2024-02-31", 0, 0 },
	{ "2024-04-31", 0, 0 },
	{ "2023-02-29", 0, 0 },
	{ "1900-02-29", 0, 0 },
	{ "2024-13-01", 0, 0 },
	{ "2024-00-10", 0, 0 },
	{ "2024-01-00", 0, 0 },
	{ "2024-01-32", 0, 0 },
	{ "2024-1-01", 0, 0 },
	{ "2024-01-1", 0, 0 },
	{ " 024-01-01", 0, 0 },
	{ "+024-01-01", 0, 0 },
	{ "2024-01-01T", 0, 0 },
	{ "2024-01-0 ", 0, 0 },
	{ "2024/01/01", 0, 0 },
	{ "20240101", 0, 0 },
	{ "", 0, 0 },
};

static void
test_date_parse(void)
{
	long long days;
	size_t i;
	int r;

	for (i = 0; i < sizeof(date_parse_cases) / sizeof(date_parse_cases[0]);
	    i++) {
		const char *in = date_parse_cases[i].in;

		days = 12345;
		r = kpi_date_parse(in, strlen(in), &days);
		if (date_parse_cases[i].ok)
			CHECK(r == 0 && days == date_parse_cases[i].want,
			    "'%s': %d, %lld", in, r, days);
		else
			CHECK(r == -1 && days == 12345, "'%s' taken as %lld",
			    in, days);
	}
	/* Only n bytes are read: a date at the start of a longer text. */
	CHECK(kpi_date_parse("2024-03-04T10:00", 10, &days) == 0 &&
	    days == 19786, "prefix: %lld", days);
}

/* kpi_time_put and kpi_date_put, and reading the text back. */
static const struct {
	long long t;
	long nsec, off;
	const char *want, *date;
} put_cases[] = {
	{ 1704481331, 0, -18000, "2024-01-05T14:02:11-05:00", "2024-01-05" },
	{ 1704481331, 250000000, 0, "2024-01-05T19:02:11.250Z",
	    "2024-01-05" },
	{ 1704481331, 999999, 0, "2024-01-05T19:02:11Z", "2024-01-05" },
	{ 1704481331, 1999999, 19800, "2024-01-06T00:32:11.001+05:30",
	    "2024-01-06" },
	{ 1704069000, 0, -3600, "2023-12-31T23:30:00-01:00", "2023-12-31" },
	{ 0, 0, 0, "1970-01-01T00:00:00Z", "1970-01-01" },
	{ -1, 0, 0, "1969-12-31T23:59:59Z", "1969-12-31" },
	{ -62135596800LL, 0, 0, "0001-01-01T00:00:00Z", "0001-01-01" },
	{ 253402300799LL, 0, 0, "9999-12-31T23:59:59Z", "9999-12-31" },
	{ -5364662400LL, 0, -17762, "1799-12-31T19:04:00-04:56",
	    "1799-12-31" },
	{ 0, 0, 29, "1970-01-01T00:00:00Z", "1970-01-01" },
	{ 0, 0, -30, "1969-12-31T23:59:00-00:01", "1969-12-31" },
};

static void
test_put(void)
{
	struct kpi_timefmt *f;
	struct kpi_time t, back;
	struct kpi_err err;
	const char *s;
	size_t i;

	f = kpi_timefmt_compile("rfc3339", &err);
	for (i = 0; i < sizeof(put_cases) / sizeof(put_cases[0]); i++) {
		t.t = put_cases[i].t;
		t.nsec = put_cases[i].nsec;
		t.off = put_cases[i].off;
		CHECK_STR(put(&t, 1), put_cases[i].date, put_cases[i].want);
		s = put(&t, 0);
		CHECK_STR(s, put_cases[i].want, put_cases[i].want);
		/* What was written names the same instant. */
		CHECK(kpi_time_parse(f, s, strlen(s), NULL, 0, &back) == 1 &&
		    back.t == t.t && back.nsec == t.nsec / 1000000 * 1000000,
		    "round trip %s", s);
	}
	kpi_timefmt_free(f);
}

static void
test_civil(void)
{
	static const struct {
		long long y;
		unsigned m, d;
		long long days;
	} fixed[] = {
		{ 1970, 1, 1, 0 }, { 2000, 2, 29, 11016 },
		{ 1600, 3, 1, -135080 }, { 1969, 12, 31, -1 },
		{ 2024, 1, 5, 19727 }, { 0, 3, 1, -719468 },
		{ -1, 12, 31, -719529 }, { 10000, 1, 1, 2932897 },
	};
	long long days, y, py;
	unsigned m, d, pm, pd;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		days = kpi_days_from_civil(fixed[i].y, fixed[i].m, fixed[i].d);
		CHECK(days == fixed[i].days, "%lld-%u-%u: got %lld, want %lld",
		    fixed[i].y, fixed[i].m, fixed[i].d, days, fixed[i].days);
		kpi_civil_from_days(fixed[i].days, &y, &m, &d);
		CHECK(y == fixed[i].y && m == fixed[i].m && d == fixed[i].d,
		    "%lld: got %lld-%u-%u", fixed[i].days, y, m, d);
	}
	/*
	 * Every day from 2000 BC to AD 3000 there and back: each is the day
	 * after the one before.
	 */
	kpi_civil_from_days(kpi_days_from_civil(-2001, 12, 31), &py, &pm, &pd);
	for (days = kpi_days_from_civil(-2000, 1, 1);
	    days < kpi_days_from_civil(3000, 1, 1) && bad < 5; days++) {
		kpi_civil_from_days(days, &y, &m, &d);
		if (kpi_days_from_civil(y, m, d) != days)
			bad++;
		else if (!(y == py && m == pm && d == pd + 1) &&
		    !(y == py && m == pm + 1 && d == 1 && pd >= 28) &&
		    !(y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31))
			bad++;
		py = y;
		pm = m;
		pd = d;
	}
	CHECK(bad == 0, "civil round trip broke %d times", bad);
}

/*
 * The canonical form is read at its fixed places (fast_rfc3339 in time.c):
 * each case must read as the general reading reads it, which a leading
 * blank forces, in result, instant, offset and the text written back.
 */
static const char *const fast_cases[] = {
	"2024-01-05T14:02:11Z", "2024-01-05T14:02:11+01:00",
	"2024-01-05T14:02:11-05:00", "2024-06-13T12:50:44+01:00",
	"2024-02-29T23:59:59Z", "2023-02-29T12:00:00Z", "2100-02-29T00:00:00Z",
	"2000-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z",
	"2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-12-31T23:59:59Z",
	"2024-01-05T24:00:00Z", "2024-01-05T23:60:00Z", "2024-01-05T23:59:60Z",
	"2024-01-05T14:02:11+24:00", "2024-01-05T14:02:11+23:59",
	"2024-01-05T14:02:11-23:59", "2024-01-05T14:02:11+05:60",
	"0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
	"0001-01-01T00:30:00+01:00", "9999-12-31T23:59:59Z",
	"9999-12-31T23:30:00-01:00", "1969-12-31T23:59:59Z",
	"2024-01-05t14:02:11z", "2024-01-05T14:02:11z", "2024-01-05 14:02:11Z",
	"2024-01-05T14:02:1aZ", "2024-01-05T14:0:111Z", "2024/01/05T14:02:11Z",
	"2024-01-05T14:02:11+0100", "2024-01-05T14:02:11+01:0:",
	"2024-01-05T14:02:11.5Z", "2024-01-05T14:02:11 ", "2024-01-05T14:02:11X",
	"2024-01-05T14:02:11+01:00 ", "2O24-01-05T14:02:11Z",
	"2024-01-05T14:02:1:Z", "2024-01-05T14:02:11+\xff" "1:00",
	"\xb4" "024-01-05T14:02:11Z",
};

static void
test_fast(void)
{
	struct kpi_err err;
	struct kpi_timefmt *f[2];
	struct kpi_time t, u;
	char buf[64], a[KPI_TIME_TEXT], b[KPI_TIME_TEXT];
	size_t i, k, na, nb;
	int r, q;

	f[0] = kpi_timefmt_compile("auto", &err);
	f[1] = kpi_timefmt_compile("rfc3339", &err);
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(fast_cases) / sizeof(fast_cases[0]);
		    i++) {
			snprintf(buf, sizeof(buf), " %s", fast_cases[i]);
			memset(&t, 0, sizeof(t));
			memset(&u, 0, sizeof(u));
			r = kpi_time_text(f[k], fast_cases[i],
			    strlen(fast_cases[i]), NULL, 0, &t, a, &na);
			q = kpi_time_text(f[k], buf, strlen(buf), NULL, 0, &u,
			    b, &nb);
			CHECK(r == q && (r != 1 || (t.t == u.t &&
			    t.nsec == u.nsec && t.off == u.off && na == nb &&
			    memcmp(a, b, na) == 0)), "fast %s %s: %d %lld, "
			    "general %d %lld", k ? "rfc3339" : "auto",
			    fast_cases[i], r, t.t, q, u.t);
			q = kpi_time_parse(f[k], fast_cases[i],
			    strlen(fast_cases[i]), NULL, 0, &u);
			CHECK(r == q && (r != 1 || t.t == u.t), "parse %s",
			    fast_cases[i]);
		}
	kpi_timefmt_free(f[0]);
	kpi_timefmt_free(f[1]);
}

int
main(void)
{
	struct kpi_err err;
	size_t i;

	for (i = 0; i < NZONES; i++) {
		zones[i] = kpi_tz_open(zone_names[i], &err);
		if (zones[i] == NULL) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
	}
	test_parse();
	test_from_local();
	test_offsets();
	test_offset_memo();
	test_zone_errors();
	test_formats();
	test_date_only();
	test_text();
	test_date_parse();
	test_put();
	test_civil();
	test_fast();
	for (i = 0; i < NZONES; i++)
		kpi_tz_free(zones[i]);
	return unit_done();
}
