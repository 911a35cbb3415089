/*
 * value.h - values as people and platforms write them (lib/value/):
 * numbers, money and booleans (num.c), time zones (tz.c), times and dates
 * (time.c), calendar periods (period.c), values for people (show.c).
 *
 * Uses base/ only: a value room knows nothing of records.
 */
#ifndef KPI_VALUE_H
#define KPI_VALUE_H

#include "base/base.h"

/* ---- numbers as people and platforms write them (num.c) ---- */

enum kpi_numkind {
	KPI_NUMBER,		/* 1,234.50  1e21  (12.00) */
	KPI_INTEGER,		/* as number, but integral and no exponent */
	KPI_MONEY,		/* as number, with a currency symbol or code */
	KPI_PERCENT		/* as number; "2.35%" is 0.0235 */
};

/*
 * Whether s[0..n) is a null marker: empty or blank, "-", "--", "N/A" and
 * the others kpi(7) lists.  Extra markers come from the mapping spec.
 */
int kpi_null_marker(const char *s, size_t n);

/*
 * Parses s[0..n) as a number of the given kind, with decimal mark '.' or
 * ','.  Returns 1 with *out set, 0 for a null marker (*out untouched), -1
 * when the text is not a number of that kind, KPI_NUM_HUGE for a whole
 * number written without an exponent whose magnitude is KPI_EXACT_INT or
 * more (a double may not hold it exactly: 9007199254740993), KPI_NUM_TINY
 * for a nonzero number below DBL_MIN in magnitude (1e-400 would be 0),
 * KPI_NUM_RANGE for one beyond a double's range (1e400).
 * Never depends on the locale.
 */
#define KPI_EXACT_INT 9007199254740992.0	/* 2^53 */
enum { KPI_NUM_HUGE = -2, KPI_NUM_TINY = -3, KPI_NUM_RANGE = -4 };
int kpi_num_parse(const char *s, size_t n, enum kpi_numkind kind,
    int decimal, double *out);

/*
 * a - b, exact where both are decimals of at most six places, as money
 * and the reducers' exact sums are: 20135.05 - 18450.95 is 1684.1, not
 * the 1684.0999999999985 of their doubles.  Otherwise a - b.
 */
double kpi_dec_sub(double a, double b);

/*
 * a * b rounded to places decimals (0 to 6), half away from zero: a money
 * amount converted at a rate.  Exact where a is a decimal of at most six
 * places and b one of at most nine, as amounts and a rates file's rates
 * are: 39.15 * 1.1655 = 45.629325 gives 45.63, 10.05 * 0.5 = 5.025 gives
 * 5.03 (the doubles' product, 5.02499..., would give 5.02).  Otherwise
 * the doubles' product, rounded.
 */
double kpi_dec_mul_round(double a, double b, int places);

/*
 * The places of currency code[0..n)'s minor unit by ISO 4217: 0 for JPY,
 * KRW and the others without one, 3 for KWD, BHD..., 4 for CLF and UYW,
 * else 2 (GBP, EUR, USD and any code not known).
 */
int kpi_currency_places(const char *code, size_t n);

/*
 * Parses s[0..n) as a boolean (true/false, yes/no, y/n, t/f, 1/0, any
 * case).  Returns 1 with *out set to 0 or 1, 0 for a null marker, -1 if not.
 */
int kpi_bool_parse(const char *s, size_t n, int *out);

/* ---- time zones and times (tz.c, time.c) ---- */

/* A time zone read from the system's zoneinfo (TZif), or UTC. */
struct kpi_tz;

/*
 * Opens zone name ("UTC", "Europe/London").  Returns NULL with err set
 * when there is no such zone.  Caller frees with kpi_tz_free.
 */
struct kpi_tz *kpi_tz_open(const char *name, struct kpi_err *err);
void kpi_tz_free(struct kpi_tz *tz);

/* The zone's offset from UTC, in seconds, at instant t (Unix seconds). */
long kpi_tz_offset(const struct kpi_tz *tz, long long t);

/*
 * The instant of a wall-clock time in the zone, given as seconds since
 * 1970-01-01T00:00 of the wall clock.  A time in a DST gap moves forward by
 * the gap; a time in an overlap takes the earlier instant.
 */
long long kpi_tz_from_local(const struct kpi_tz *tz, long long local);

/* An instant with the offset it is shown in. */
struct kpi_time {
	long long t;		/* Unix seconds */
	long nsec;		/* 0 to 999999999 */
	long off;		/* offset to show, seconds east of UTC */
};

/* Compiled time formats (a spec's "format"); see kpi-normalize(1). */
struct kpi_timefmt;

/*
 * Compiles one format ("auto", "rfc3339", "yyyymmdd", "epoch", "epoch_ms"
 * or a pattern such as "%d/%m/%Y %H:%M").  Returns NULL with err->msg set
 * for a bad pattern.  Caller frees with kpi_timefmt_free.
 */
struct kpi_timefmt *kpi_timefmt_compile(const char *fmt, struct kpi_err *err);
void kpi_timefmt_free(struct kpi_timefmt *f);

/*
 * Parses s[0..n) with f.  A value without an offset is read in zone tz.
 * Returns 1 with *out set, 0 for a null marker, -1 if it does not parse,
 * -2 if it falls outside the years 1 to 9999 (in its offset), which RFC
 * 3339 cannot write.
 * With date_only, the value's calendar date is the result, as 00:00 UTC
 * of that date (t) with off 0: no zone is applied.
 */
int kpi_time_parse(const struct kpi_timefmt *f, const char *s, size_t n,
    const struct kpi_tz *tz, int date_only, struct kpi_time *out);

/* Room for any text kpi_time_text writes, its NUL included. */
#define KPI_TIME_TEXT	64

/*
 * kpi_time_parse, and on 1 the value written into buf (KPI_TIME_TEXT
 * bytes) as kpi_time_put writes *out, or kpi_date_put with date_only,
 * NUL-terminated, with its length in *len.  Faster than the two: the
 * fields read are written as they are when they are what would be shown.
 */
int kpi_time_text(const struct kpi_timefmt *f, const char *s, size_t n,
    const struct kpi_tz *tz, int date_only, struct kpi_time *out, char *buf,
    size_t *len);

/*
 * Parses s[0..n) as a strict RFC 3339 time with its offset, as the tools
 * write them ("2024-03-04T00:00:00Z").  Returns 0 with *out set, or -1.
 */
int kpi_time_rfc3339(const char *s, size_t n, struct kpi_time *out);

/*
 * Parses s[0..n) as a calendar date, strictly "YYYY-MM-DD" (a day that
 * the month has: 2024-02-30 is no date).  Returns 0 with *days set to
 * days since 1970-01-01, or -1.  Every option and file that takes a date
 * reads it here.
 */
int kpi_date_parse(const char *s, size_t n, long long *days);

/*
 * Appends t as RFC 3339, "2024-01-05T14:02:11-05:00": seconds always,
 * milliseconds only when not zero (".250"), "Z" for offset 0.
 */
void kpi_time_put(struct kpi_buf *b, const struct kpi_time *t);

/* Appends the calendar date of t in its offset, "2024-01-05". */
void kpi_date_put(struct kpi_buf *b, const struct kpi_time *t);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long long kpi_days_from_civil(long long y, unsigned m, unsigned d);
void kpi_civil_from_days(long long days, long long *y, unsigned *m,
    unsigned *d);

/* ---- calendar periods (period.c) ---- */

enum kpi_grain {
	KPI_DAY, KPI_WEEK, KPI_MONTH, KPI_QUARTER, KPI_YEAR, KPI_ALL
};

/* How time is cut into periods; see kpi-aggregate(1) PERIODS. */
struct kpi_calendar {
	enum kpi_grain grain;
	int week_start;			/* 1 Monday (ISO) ... 7 Sunday */
	int fy_start;			/* first month of the fiscal year, 1-12 */
	const struct kpi_tz *tz;	/* borrowed; periods are local to it */
};

/* One period: [start, end) in Unix seconds, and its label. */
struct kpi_period {
	long long start;
	long long end;
	long long index;		/* consecutive periods differ by 1 */
	char label[24];			/* "2024-W10", "2024-03", "FY2025-Q1" */
};

/* Parses day, week, month, quarter, year, all: 0, or -1. */
int kpi_grain_parse(const char *name, enum kpi_grain *grain);

/* The name of grain, as kpi_grain_parse takes it.  Static. */
const char *kpi_grain_name(enum kpi_grain grain);

/*
 * Parses a month, 1 to 12 or its English name or the first three or more
 * letters of it ("apr", "april"), in any case.  0 with *month set, or -1.
 */
int kpi_month_parse(const char *s, int *month);

/*
 * Parses the day weeks start on: monday or mon (ISO 8601 weeks), sunday
 * or sun (as in the US), in any case.  0 with *day set to 1 or 7, or -1.
 */
int kpi_week_start_parse(const char *s, int *day);

/* The period holding instant t. */
void kpi_period_of(const struct kpi_calendar *cal, long long t,
    struct kpi_period *out);

/*
 * The periods kpi_period_in has found, by index, for one calendar: a
 * period's label and bounds cost far more to work out than to look up, and
 * rows come back to the same few periods, in whatever order.
 */
#define KPI_PERIOD_MEMO	256		/* a power of two */
struct kpi_period_memo {
	struct kpi_period p[KPI_PERIOD_MEMO];	/* p[index % KPI_PERIOD_MEMO] */
	unsigned char have[KPI_PERIOD_MEMO];	/* p[i] is a period */
};

/* Empties m. */
void kpi_period_memo_init(struct kpi_period_memo *m);

/* As kpi_period_of, remembering in m, which serves cal and no other. */
void kpi_period_in(const struct kpi_calendar *cal, struct kpi_period_memo *m,
    long long t, struct kpi_period *out);

/* The period n periods after p (before, for n < 0). */
void kpi_period_shift(const struct kpi_calendar *cal,
    const struct kpi_period *p, long long n, struct kpi_period *out);

/* ---- values for people (show.c) ---- */

/* How a metric's value is shown; see kpi(7) KPI CATALOGUE. */
enum kpi_mformat {
	KPI_MFMT_NUMBER,		/* 1234.5 as 1,234.5 */
	KPI_MFMT_MONEY,		/* in the unit's currency */
	KPI_MFMT_PERCENT		/* a fraction: 0.018 shows as 1.8% */
};

/* Parses number, money, percent: 0, or -1.  name is NUL-terminated. */
int kpi_mformat_parse(const char *name, enum kpi_mformat *fmt);

/* The name of fmt, as kpi_mformat_parse takes it.  Static. */
const char *kpi_mformat_name(enum kpi_mformat fmt);


/*
 * Appends v rounded half away from zero to at most places decimals, read
 * at 15 significant digits so that float noise goes (32.175000000000004
 * and 32.175 both give 32.18), with ',' between thousands; trailing zeros
 * are dropped unless fixed is set.
 */
void kpi_fmt_decimal(struct kpi_buf *b, double v, int places, int fixed);

/*
 * Appends v as fmt shows it: a number as 1,234.5 (then " UNIT" when unit
 * is given), money as -£1,234.50 for GBP, USD ($) and EUR (€), else as
 * 1,234.50 JPY, a percent fraction 0.018 as 1.8%.  unit may be NULL.
 */
void kpi_fmt_value(struct kpi_buf *b, double v, enum kpi_mformat fmt,
    const char *unit, size_t ulen);

/*
 * Appends a change: a percent change (a fraction) as +12.5%, or for
 * percent metrics the change in percentage points as +1.2 pp.
 */
void kpi_fmt_change(struct kpi_buf *b, double v, int pp);

#endif /* KPI_VALUE_H */
