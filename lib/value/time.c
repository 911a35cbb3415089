/*
 * time.c - reading times and dates in the shapes exports use, writing them
 * as RFC 3339, and the calendar arithmetic under both.
 *
 * kpi_time_parse runs once per row and field, so it allocates nothing and
 * reads each byte once: the formats are compiled to a list of steps, and
 * "auto" tells its shapes apart as it goes instead of trying each in turn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/value.h"

#define DAY	86400LL

enum { FMT_AUTO, FMT_RFC3339, FMT_YYYYMMDD, FMT_EPOCH, FMT_EPOCH_MS,
    FMT_PATTERN };

/* The steps of a pattern. */
enum {
	OP_LIT, OP_BLANK, OP_YEAR, OP_YEAR2, OP_MON, OP_DAY, OP_DAY_E,
	OP_HOUR, OP_HOUR12, OP_MIN, OP_SEC, OP_FRAC, OP_MONNAME, OP_DAYNAME,
	OP_AMPM, OP_ZONE, OP_YDAY
};

struct fmt_op {
	unsigned char op;
	char c;			/* OP_LIT */
};

struct kpi_timefmt {
	int kind;
	size_t nops;
	struct fmt_op ops[];
};

/* The fields read from one value; -1 where not given. */
struct tfields {
	int year, mon, day, yday;
	int hour, min, sec;
	long nsec;
	int ampm;		/* 0 none, 1 AM, 2 PM */
	int has_off;
	long off;
	int resolved;		/* finish has checked the fields and set days */
	long long days;		/* the date's days since 1970-01-01 */
};

/* The fields before a value is read: none given. */
#define TFIELDS_INIT	{ -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0 }

/* Days since 1970 of 0001-01-01 and 10000-01-01: RFC 3339's years. */
#define YEAR1_DAY	(-719162LL)
#define YEAR10000_DAY	2932897LL

static const char month_names[12][10] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};
static const char day_names[7][10] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

static long long
floordiv(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* ---- the calendar (Howard Hinnant, "chrono-Compatible Low-Level Date
 * Algorithms"): March-based years make February's length the last thing
 * in a year, and 400-year eras make the rest plain arithmetic. ---- */

long long
kpi_days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
kpi_civil_from_days(long long days, long long *y, unsigned *m, unsigned *d)
{
	long long era, doe, yoe, doy, mp;

	days += 719468;
	era = floordiv(days, 146097);
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
month_days(long long y, int m)
{
	static const unsigned char len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return len[m - 1];
}

/* ---- compiling formats ---- */

/* The step for conversion c; 'T' and 'F' expand to several.  -1: unknown. */
static int
compile_conv(char c, struct fmt_op *ops, size_t *n)
{
	static const char conv[] = "YymdeHIMSfbBaApzj";
	static const unsigned char conv_op[] = {
		OP_YEAR, OP_YEAR2, OP_MON, OP_DAY, OP_DAY_E, OP_HOUR,
		OP_HOUR12, OP_MIN, OP_SEC, OP_FRAC, OP_MONNAME, OP_MONNAME,
		OP_DAYNAME, OP_DAYNAME, OP_AMPM, OP_ZONE, OP_YDAY
	};
	const char *hit;

	if (c == 'T' || c == 'F') {
		ops[*n].op = c == 'T' ? OP_HOUR : OP_YEAR;
		ops[*n + 1] = (struct fmt_op){ OP_LIT, c == 'T' ? ':' : '-' };
		ops[*n + 2].op = c == 'T' ? OP_MIN : OP_MON;
		ops[*n + 3] = ops[*n + 1];
		ops[*n + 4].op = c == 'T' ? OP_SEC : OP_DAY;
		*n += 5;
		return 0;
	}
	if (c == '%') {
		ops[(*n)++] = (struct fmt_op){ OP_LIT, '%' };
		return 0;
	}
	if (c == '\0' || (hit = strchr(conv, c)) == NULL)
		return -1;
	ops[(*n)++].op = conv_op[hit - conv];
	return 0;
}

/*
 * Compiles a strptime-like pattern.  A run of blanks matches one or more
 * blanks; blanks at either end are dropped, as values are trimmed.  A
 * pattern without a year names no instant and is refused.
 */
static struct kpi_timefmt *
compile_pattern(const char *fmt, struct kpi_err *err)
{
	struct kpi_timefmt *f;
	const char *p;
	size_t n = 0, i;
	int year = 0;

	/* Each byte makes at most one step, but "%T" (2 bytes) makes 5. */
	f = kpi_xmalloc(sizeof(*f) + (3 * strlen(fmt) + 1) * sizeof(f->ops[0]));
	f->kind = FMT_PATTERN;
	for (p = fmt; *p != '\0'; p++) {
		if (*p == '%') {
			if (compile_conv(*++p, f->ops, &n) == -1)
				goto bad;
		} else if (is_blank(*p)) {
			if (n == 0 || f->ops[n - 1].op != OP_BLANK)
				f->ops[n++].op = OP_BLANK;
		} else
			f->ops[n++] = (struct fmt_op){ OP_LIT, *p };
	}
	if (n > 0 && f->ops[n - 1].op == OP_BLANK)
		n--;
	i = n > 0 && f->ops[0].op == OP_BLANK;
	memmove(f->ops, f->ops + i, (n - i) * sizeof(f->ops[0]));
	f->nops = n - i;
	for (i = 0; i < f->nops; i++)
		year |= f->ops[i].op == OP_YEAR || f->ops[i].op == OP_YEAR2;
	if (year)
		return f;
bad:
	kpi_err_set(err, NULL, 0, 0, "bad time format '%s'", fmt);
	free(f);
	return NULL;
}

struct kpi_timefmt *
kpi_timefmt_compile(const char *fmt, struct kpi_err *err)
{
	static const struct {
		const char *name;
		int kind;
	} named[] = {
		{ "auto", FMT_AUTO }, { "rfc3339", FMT_RFC3339 },
		{ "yyyymmdd", FMT_YYYYMMDD }, { "epoch", FMT_EPOCH },
		{ "epoch_ms", FMT_EPOCH_MS }
	};
	struct kpi_timefmt *f;
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcmp(fmt, named[i].name) == 0) {
			f = kpi_xmalloc(sizeof(*f));
			f->kind = named[i].kind;
			f->nops = 0;
			return f;
		}
	return compile_pattern(fmt, err);
}

void
kpi_timefmt_free(struct kpi_timefmt *f)
{
	free(f);
}

/* ---- scanning ---- */

/* Reads min to max digits.  Returns the value, or -1 leaving *pp alone. */
static long
digits(const char **pp, const char *e, int min, int max)
{
	const char *p = *pp;
	long v = 0;
	int n = 0;

	while (p < e && n < max && is_digit(*p)) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n < min)
		return -1;
	*pp = p;
	return v;
}

/* Whether p[0] and p[1] are digits (the caller knows both are there). */
static int
is_digit2(const char *p)
{
	return is_digit(p[0]) && is_digit(p[1]);
}

static int
num2(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Reads exactly two digits, as digits(pp, e, 2, 2) but with no loop. */
static long
two(const char **pp, const char *e)
{
	const char *p = *pp;

	if (e - p < 2 || !is_digit2(p))
		return -1;
	*pp = p + 2;
	return num2(p);
}

/* Reads one or more digits of a fraction as nanoseconds (the rest dropped). */
static long
fraction(const char **pp, const char *e)
{
	const char *p = *pp;
	long v = 0;
	int n = 0;

	for (; p < e && is_digit(*p); p++, n++)
		if (n < 9)
			v = v * 10 + (*p - '0');
	if (n == 0)
		return -1;
	for (; n < 9; n++)
		v *= 10;
	*pp = p;
	return v;
}

/*
 * Reads "Z", "+HH:MM", "+HHMM" or "+HH" (strict, for RFC 3339: "Z" or
 * "+HH:MM" only) as seconds east of UTC.
 */
static int
scan_offset(const char **pp, const char *e, int strict, long *off)
{
	const char *p = *pp;
	long h, m = 0;
	int sign;

	if (p < e && (*p == 'Z' || *p == 'z')) {
		*off = 0;
		*pp = p + 1;
		return 0;
	}
	if (p == e || (*p != '+' && *p != '-'))
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((h = two(&p, e)) < 0 || h > 23)
		return -1;
	if (p < e && *p == ':') {
		p++;
		if ((m = two(&p, e)) < 0)
			return -1;
	} else if (strict)
		return -1;
	else if (p < e && is_digit(*p) && (m = two(&p, e)) < 0)
		return -1;
	if (m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	*pp = p;
	return 0;
}

/*
 * The clock of an ISO time, "14:02" or "14:02:11.25" (strict: seconds
 * needed), leaving *pp after it.  The usual "HH:MM:SS" is read at its fixed
 * places first, as the general reading would read it, with no loop.
 */
static int
scan_clock(const char **pp, const char *e, int strict, struct tfields *f)
{
	const char *p = *pp;

	if (e - p >= 8 && p[2] == ':' && p[5] == ':' && is_digit2(p) &&
	    is_digit2(p + 3) && is_digit2(p + 6)) {
		f->hour = num2(p);
		f->min = num2(p + 3);
		f->sec = num2(p + 6);
		p += 8;
	} else {
		if ((f->hour = digits(&p, e, strict ? 2 : 1, 2)) < 0 ||
		    p == e || *p++ != ':' || (f->min = two(&p, e)) < 0)
			return -1;
		if (p == e || *p != ':') {
			*pp = p;
			return strict ? -1 : 0;
		}
		p++;
		if ((f->sec = two(&p, e)) < 0)
			return -1;
	}
	if (p < e && (*p == '.' || (!strict && *p == ',')) &&
	    (p++, f->nsec = fraction(&p, e)) < 0)
		return -1;
	*pp = p;
	return 0;
}

/* The time after an ISO date: "T14:02", " 14:02:11.25 -0500". */
static int
scan_iso_time(const char *p, const char *e, int strict, struct tfields *f)
{
	if (*p == 'T' || *p == 't' || *p == ' ')
		p++;
	else
		return -1;
	while (!strict && p < e && p[-1] == ' ' && is_blank(*p))
		p++;
	if (scan_clock(&p, e, strict, f) < 0)
		return -1;
	if (p == e)
		return strict ? -1 : 0;
	if (!strict && *p == ' ')
		p++;
	f->has_off = 1;
	if (!strict && e - p == 3 &&
	    (memcmp(p, "UTC", 3) == 0 || memcmp(p, "GMT", 3) == 0)) {
		f->off = 0;
		return 0;
	}
	if (scan_offset(&p, e, strict, &f->off) == -1 || p != e)
		return -1;
	return 0;
}

/*
 * ISO 8601 and RFC 3339 in one pass: "YYYYMMDD", or "YYYY-M-D" (padded when
 * strict) and maybe a time.  The usual "YYYY-MM-DD" is read at its fixed
 * places first, as the general reading would read it.
 */
static int
scan_iso(const char *p, const char *e, int strict, struct tfields *f)
{
	const char *q = p;
	long v;

	if (e - p >= 10 && p[4] == '-' && p[7] == '-' && is_digit2(p) &&
	    is_digit2(p + 2) && is_digit2(p + 5) && is_digit2(p + 8)) {
		f->year = num2(p) * 100 + num2(p + 2);
		f->mon = num2(p + 5);
		f->day = num2(p + 8);
		p += 10;
		return p == e ? (strict ? -1 : 0) : scan_iso_time(p, e, strict, f);
	}
	if ((v = digits(&p, e, 4, 8)) < 0)
		return -1;
	if (p - q == 8 && p == e && !strict) {
		f->year = (int)(v / 10000);
		f->mon = (int)(v / 100 % 100);
		f->day = (int)(v % 100);
		return 0;
	}
	if (p - q != 4 || p == e || *p++ != '-')
		return -1;
	f->year = (int)v;
	if ((f->mon = digits(&p, e, strict ? 2 : 1, 2)) < 0 || p == e ||
	    *p++ != '-' || (f->day = digits(&p, e, strict ? 2 : 1, 2)) < 0)
		return -1;
	if (p == e)
		return strict ? -1 : 0;
	return scan_iso_time(p, e, strict, f);
}

/* Which of names[0..count) the letters p[0..n) are, full or 3 letters. */
static int
name_index(const char *p, size_t n, const char (*names)[10], int count)
{
	size_t i, len;
	int k;

	for (k = 0; k < count; k++) {
		len = strlen(names[k]);
		/* "Sept" is common enough to take. */
		if (n != len && n != 3 && !(k == 8 && count == 12 && n == 4))
			continue;
		for (i = 0; i < n && (p[i] | 0x20) == names[k][i]; i++)
			continue;
		if (i == n)
			return k;
	}
	return -1;
}

/* A run of letters naming a month (1-12) or a day (0-6); -1 if not. */
static int
scan_name(const char **pp, const char *e, const char (*names)[10], int count)
{
	const char *p = *pp;
	int k;

	while (p < e && is_alpha(*p))
		p++;
	if ((k = name_index(*pp, (size_t)(p - *pp), names, count)) >= 0)
		*pp = p;
	return k;
}

/* "AM" or "PM", any case: 1 or 2; -1 if neither. */
static int
scan_ampm(const char **pp, const char *e)
{
	const char *p = *pp;
	int k;

	if (e - p < 2 || (p[1] | 0x20) != 'm' || (e - p > 2 && is_alpha(p[2])))
		return -1;
	if ((k = (p[0] | 0x20) == 'a' ? 1 : (p[0] | 0x20) == 'p' ? 2 : -1) > 0)
		*pp = p + 2;
	return k;
}

/* A step that reads a name or an offset.  Returns where it ends, or NULL. */
static const char *
scan_word_op(const struct fmt_op *op, const char *p, const char *e,
    struct tfields *f)
{
	int v = -1;

	switch (op->op) {
	case OP_MONNAME:
		if ((v = scan_name(&p, e, month_names, 12)) >= 0)
			f->mon = v + 1;
		break;
	case OP_DAYNAME:
		v = scan_name(&p, e, day_names, 7);
		break;
	case OP_AMPM:
		v = f->ampm = scan_ampm(&p, e);
		break;
	case OP_ZONE:
		v = scan_offset(&p, e, 0, &f->off);
		f->has_off = 1;
		break;
	}
	return v < 0 ? NULL : p;
}

/* One step of a pattern.  Returns where it ends, or NULL. */
static const char *
scan_op(const struct fmt_op *op, const char *p, const char *e,
    struct tfields *f)
{
	long v = 0;

	switch (op->op) {
	case OP_LIT:
		return p < e && *p == op->c ? p + 1 : NULL;
	case OP_BLANK:
		if (p == e || !is_blank(*p))
			return NULL;
		while (p < e && is_blank(*p))
			p++;
		return p;
	case OP_YEAR:
		v = f->year = digits(&p, e, 4, 4);
		break;
	case OP_YEAR2:
		if ((v = two(&p, e)) >= 0)
			f->year = (int)v + (v >= 69 ? 1900 : 2000);
		break;
	case OP_MON:
		v = f->mon = digits(&p, e, 1, 2);
		break;
	case OP_DAY_E:
		if (p < e && *p == ' ')
			p++;
		/* FALLTHROUGH */
	case OP_DAY:
		v = f->day = digits(&p, e, 1, 2);
		break;
	case OP_HOUR:
		v = f->hour = digits(&p, e, 1, 2);
		break;
	case OP_HOUR12:
		if ((v = f->hour = digits(&p, e, 1, 2)) == 0 || v > 12)
			return NULL;
		break;
	case OP_MIN:
		v = f->min = digits(&p, e, 1, 2);
		break;
	case OP_SEC:
		v = f->sec = digits(&p, e, 1, 2);
		break;
	case OP_FRAC:
		v = f->nsec = fraction(&p, e);
		break;
	default:
		return scan_word_op(op, p, e, f);
	case OP_YDAY:
		v = f->yday = digits(&p, e, 1, 3);
		break;
	}
	return v < 0 ? NULL : p;
}

static int
scan_pattern(const struct kpi_timefmt *fmt, const char *p, const char *e,
    struct tfields *f)
{
	size_t i;

	for (i = 0; i < fmt->nops; i++)
		if ((p = scan_op(&fmt->ops[i], p, e, f)) == NULL)
			return -1;
	return p == e ? 0 : -1;
}

/*
 * Seconds (ms: milliseconds) since the epoch, maybe negative, maybe with a
 * fraction.  Twelve digits of seconds reach the year 33000: enough, and
 * no overflow later.
 */
static int
scan_epoch(const char *p, const char *e, int ms, struct kpi_time *out)
{
	const char *q;
	long long v;
	long frac = 0;
	int neg = 0;

	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	q = p;
	for (v = 0; p < e && is_digit(*p) && p - q < 12 + 3 * ms; p++)
		v = v * 10 + (*p - '0');
	if (p == q || (p < e && *p == '.' && (++p, frac = fraction(&p, e)) < 0)
	    || p != e)
		return -1;
	out->t = ms ? v / 1000 : v;
	out->nsec = ms ? v % 1000 * 1000000 + frac / 1000 : frac;
	if (neg && out->nsec != 0) {
		out->t = -out->t - 1;
		out->nsec = 1000000000 - out->nsec;
	} else if (neg)
		out->t = -out->t;
	return 0;
}

/* ---- from fields to an instant ---- */

/* Fills in a missing month and day, from %j or as 1, and checks them. */
static int
resolve_date(struct tfields *f)
{
	long long days, y;
	unsigned m, d;

	if (f->yday >= 0) {
		if (f->yday < 1 ||
		    f->yday > 365 + (month_days(f->year, 2) == 29))
			return -1;
		days = kpi_days_from_civil(f->year, 1, 1) + f->yday - 1;
		kpi_civil_from_days(days, &y, &m, &d);
		if ((f->mon >= 0 && f->mon != (int)m) ||
		    (f->day >= 0 && f->day != (int)d))
			return -1;
		f->mon = (int)m;
		f->day = (int)d;
	}
	if (f->mon < 0)
		f->mon = 1;
	if (f->day < 0)
		f->day = 1;
	if (f->mon < 1 || f->mon > 12 || f->day < 1 ||
	    f->day > month_days(f->year, f->mon))
		return -1;
	return 0;
}

/* Applies AM/PM and checks the clock; 24:00:00 is the next day's 00:00. */
static int
resolve_clock(struct tfields *f)
{
	if (f->hour < 0)
		f->hour = 0;
	if (f->min < 0)
		f->min = 0;
	if (f->sec < 0)
		f->sec = 0;
	if (f->nsec < 0)
		f->nsec = 0;
	if (f->ampm) {
		if (f->hour < 1 || f->hour > 12)
			return -1;
		f->hour = f->hour % 12 + (f->ampm == 2 ? 12 : 0);
	}
	if (f->hour == 24 && (f->min != 0 || f->sec != 0 || f->nsec != 0))
		return -1;
	return f->hour > 24 || f->min > 59 || f->sec > 59 ? -1 : 0;
}

static int
finish(struct tfields *f, const struct kpi_tz *tz, int date_only,
    struct kpi_time *out)
{
	long long days, local;

	if (resolve_date(f) == -1 || resolve_clock(f) == -1)
		return -1;
	days = kpi_days_from_civil(f->year, (unsigned)f->mon,
	    (unsigned)f->day);
	f->resolved = 1;
	f->days = days;
	if (date_only) {
		out->t = days * DAY;
		out->nsec = 0;
		out->off = 0;
		return 1;
	}
	local = days * DAY + f->hour * 3600L + f->min * 60L + f->sec;
	if (f->has_off) {
		out->t = local - f->off;
		out->off = f->off;
	} else {
		/* No zone is UTC. */
		out->t = tz != NULL ? kpi_tz_from_local(tz, local) : local;
		out->off = kpi_tz_offset(tz, out->t);
	}
	out->nsec = f->nsec;
	return 1;
}

static int
finish_epoch(const struct kpi_tz *tz, int date_only, struct kpi_time *out)
{
	out->off = kpi_tz_offset(tz, out->t);
	if (date_only) {
		out->t = floordiv(out->t + out->off, DAY) * DAY;
		out->nsec = 0;
		out->off = 0;
	}
	return 1;
}

static long shown_offset(long off);

/*
 * Whether t, shown in its offset, falls in the years 1 to 9999: RFC 3339
 * has four digits of year and no sign, so nothing else can be written.
 */
static int
in_years(const struct kpi_time *t)
{
	long long local = t->t + shown_offset(t->off);

	return local >= YEAR1_DAY * DAY && local < YEAR10000_DAY * DAY;
}

/*
 * Whether the 8 bytes at p are digits where dmask's bytes are 0xff and
 * tmpl's bytes elsewhere (tmpl 0 at the digits): one word's compare.
 */
static int
word_is(const char *p, const char *dmask, const char *tmpl)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t w, d, t, x;

	memcpy(&w, p, 8);
	memcpy(&d, dmask, 8);
	memcpy(&t, tmpl, 8);
	x = w & d;
	/* Each digit byte 0x30 to 0x3f, then below 0x3a: + 6 stays 0x3?. */
	return (w & ~d) == t && (x & ones * 0xf0) == (d & ones * 0x30) &&
	    ((x + (d & ones * 0x06)) & ones * 0xf0) == (d & ones * 0x30);
}

/*
 * The form nearly every time a tool reads comes in, as the tools write it:
 * "YYYY-MM-DDTHH:MM:SS" and "Z" or "+HH:MM", read at its fixed places with
 * a few word compares.  1 with *out and *f set as the general reading
 * sets them, or 0 when s is not in that form, valid and plain (no 24:00,
 * no leap second, years 1 to 9999): then the general reading decides.
 */
static int
fast_rfc3339(const char *s, size_t n, struct tfields *f,
    struct kpi_time *out)
{
	long off = 0;

	if ((n != 20 || s[19] != 'Z') && (n != 25 || (s[19] != '+' &&
	    s[19] != '-') || s[22] != ':' || !is_digit2(s + 20) ||
	    !is_digit2(s + 23)))
		return 0;
	if (!word_is(s, "\xff\xff\xff\xff\0\xff\xff\0", "\0\0\0\0-\0\0-") ||
	    !word_is(s + 8, "\xff\xff\0\xff\xff\0\xff\xff", "\0\0T\0\0:\0\0") ||
	    !word_is(s + 11, "\xff\xff\0\xff\xff\0\xff\xff", "\0\0:\0\0:\0\0"))
		return 0;
	f->year = num2(s) * 100 + num2(s + 2);
	f->mon = num2(s + 5);
	f->day = num2(s + 8);
	f->hour = num2(s + 11);
	f->min = num2(s + 14);
	f->sec = num2(s + 17);
	if (n == 25) {
		if (num2(s + 20) > 23 || num2(s + 23) > 59)
			return 0;
		off = (s[19] == '-' ? -1 : 1) * (num2(s + 20) * 3600L +
		    num2(s + 23) * 60L);
	}
	if (f->year < 1 || f->mon < 1 || f->mon > 12 || f->day < 1 ||
	    f->day > month_days(f->year, f->mon) || f->hour > 23 ||
	    f->min > 59 || f->sec > 59)
		return 0;
	f->nsec = 0;
	f->has_off = 1;
	f->off = off;
	f->days = kpi_days_from_civil(f->year, (unsigned)f->mon,
	    (unsigned)f->day);
	f->resolved = 1;
	out->t = f->days * DAY + f->hour * 3600L + f->min * 60L + f->sec - off;
	out->nsec = 0;
	out->off = off;
	return 1;
}

/* kpi_time_parse, with the fields read (f->resolved when there are). */
static int
parse(const struct kpi_timefmt *fmt, const char *s, size_t n,
    const struct kpi_tz *tz, int date_only, struct kpi_time *out,
    struct tfields *f)
{
	const char *p = s, *e = s + n;
	struct kpi_time t;
	int r = -1;

	if ((fmt->kind == FMT_AUTO || fmt->kind == FMT_RFC3339) && !date_only &&
	    fast_rfc3339(s, n, f, out))
		return 1;
	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	switch (fmt->kind) {
	case FMT_AUTO:
	case FMT_RFC3339:
		if (scan_iso(p, e, fmt->kind == FMT_RFC3339, f) == 0)
			r = finish(f, tz, date_only, out);
		break;
	case FMT_YYYYMMDD:
		if (e - p == 8 && scan_iso(p, e, 0, f) == 0)
			r = finish(f, tz, date_only, out);
		break;
	case FMT_EPOCH:
	case FMT_EPOCH_MS:
		if (scan_epoch(p, e, fmt->kind == FMT_EPOCH_MS, &t) == 0) {
			*out = t;
			r = finish_epoch(tz, date_only, out);
		}
		break;
	default:
		if (scan_pattern(fmt, p, e, f) == 0)
			r = finish(f, tz, date_only, out);
		break;
	}
	/* Only what fails to parse can be a null marker ("N/A", ""). */
	if (r == -1 && kpi_null_marker(s, n))
		return 0;
	return r == 1 && !in_years(out) ? -2 : r;
}

int
kpi_time_parse(const struct kpi_timefmt *fmt, const char *s, size_t n,
    const struct kpi_tz *tz, int date_only, struct kpi_time *out)
{
	struct tfields f = TFIELDS_INIT;

	return parse(fmt, s, n, tz, date_only, out, &f);
}

static char *put_time(char *s, const struct kpi_time *t);
static char *put_date(char *s, long long days);
static char *put2(char *s, long v);

/*
 * The fields as kpi_time_put (date_only: kpi_date_put) writes the instant
 * they name, when it shows the clock they were read with (nearly always:
 * not "24:00", a time in a DST gap, or an offset of seconds); else NULL.
 * Writing them saves going from the instant back to the calendar.
 */
static char *
put_fields(char *s, const struct tfields *f, const struct kpi_time *t,
    int date_only)
{
	long off = shown_offset(t->off), ms;

	if (!f->resolved || (!date_only && (f->hour >= 24 || t->t + off !=
	    f->days * DAY + f->hour * 3600LL + f->min * 60LL + f->sec)))
		return NULL;
	s = put2(s, f->year / 100);	/* in_years: 1 to 9999 */
	s = put2(s, f->year % 100);
	*s++ = '-';
	s = put2(s, f->mon);
	*s++ = '-';
	s = put2(s, f->day);
	if (date_only)
		return s;
	*s++ = 'T';
	s = put2(s, f->hour);
	*s++ = ':';
	s = put2(s, f->min);
	*s++ = ':';
	s = put2(s, f->sec);
	if ((ms = t->nsec / 1000000) > 0) {
		*s++ = '.';
		*s++ = (char)('0' + ms / 100);
		s = put2(s, ms % 100);
	}
	if (off == 0) {
		*s++ = 'Z';
		return s;
	}
	*s++ = off < 0 ? '-' : '+';
	off = off < 0 ? -off : off;
	s = put2(s, off / 3600);
	*s++ = ':';
	return put2(s, off / 60 % 60);
}

int
kpi_time_text(const struct kpi_timefmt *fmt, const char *s, size_t n,
    const struct kpi_tz *tz, int date_only, struct kpi_time *out, char *buf,
    size_t *len)
{
	struct tfields f = TFIELDS_INIT;
	char *end;
	int r;

	if ((r = parse(fmt, s, n, tz, date_only, out, &f)) != 1)
		return r;
	if ((end = put_fields(buf, &f, out, date_only)) == NULL)
		end = date_only ? put_date(buf, floordiv(out->t +
		    shown_offset(out->off), DAY)) : put_time(buf, out);
	*end = '\0';
	*len = (size_t)(end - buf);
	return 1;
}

int
kpi_time_rfc3339(const char *s, size_t n, struct kpi_time *out)
{
	struct tfields f = TFIELDS_INIT;

	if (scan_iso(s, s + n, 1, &f) != 0 || finish(&f, NULL, 0, out) != 1 ||
	    !in_years(out))
		return -1;
	return 0;
}

int
kpi_date_parse(const char *s, size_t n, long long *days)
{
	const char *p = s, *e = s + n;
	int y, m, d;

	/* digits() takes exactly the widths given: no sign, no blank. */
	if (n != 10 || (y = digits(&p, e, 4, 4)) < 0 || *p++ != '-' ||
	    (m = two(&p, e)) < 1 || m > 12 || *p++ != '-' ||
	    (d = two(&p, e)) < 1 || d > month_days(y, m))
		return -1;
	*days = kpi_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

/* ---- writing ---- */

static char *
put2(char *s, long v)
{
	s[0] = (char)('0' + v / 10);
	s[1] = (char)('0' + v % 10);
	return s + 2;
}

/* Writes the date of days as "YYYY-MM-DD"; returns the end. */
static char *
put_date(char *s, long long days)
{
	long long y;
	unsigned m, d;

	kpi_civil_from_days(days, &y, &m, &d);
	if (y >= 0 && y <= 9999) {
		s = put2(s, (long)(y / 100));
		s = put2(s, (long)(y % 100));
	} else
		s += snprintf(s, 24, "%lld", y);
	*s++ = '-';
	s = put2(s, (long)m);
	*s++ = '-';
	return put2(s, (long)d);
}

/*
 * Offsets with seconds (local mean time before 1900) are shown rounded to
 * minutes, as RFC 3339 has no seconds there; the clock shown moves with
 * them, so the text still names the same instant.
 */
static long
shown_offset(long off)
{
	return off >= 0 ? (off + 30) / 60 * 60 : -((-off + 30) / 60 * 60);
}

/* Writes t as kpi_time_put does; returns the end. */
static char *
put_time(char *s, const struct kpi_time *t)
{
	long off = shown_offset(t->off), sec, ms;
	long long local = t->t + off;

	s = put_date(s, floordiv(local, DAY));
	sec = (long)(local - floordiv(local, DAY) * DAY);
	*s++ = 'T';
	s = put2(s, sec / 3600);
	*s++ = ':';
	s = put2(s, sec / 60 % 60);
	*s++ = ':';
	s = put2(s, sec % 60);
	if ((ms = t->nsec / 1000000) > 0) {
		*s++ = '.';
		*s++ = (char)('0' + ms / 100);
		s = put2(s, ms % 100);
	}
	if (off == 0)
		*s++ = 'Z';
	else {
		*s++ = off < 0 ? '-' : '+';
		off = off < 0 ? -off : off;
		s = put2(s, off / 3600);
		*s++ = ':';
		s = put2(s, off / 60 % 60);
	}
	return s;
}

void
kpi_time_put(struct kpi_buf *b, const struct kpi_time *t)
{
	char buf[KPI_TIME_TEXT];

	kpi_buf_add(b, buf, (size_t)(put_time(buf, t) - buf));
}

void
kpi_date_put(struct kpi_buf *b, const struct kpi_time *t)
{
	char buf[32], *s;

	s = put_date(buf, floordiv(t->t + shown_offset(t->off), DAY));
	kpi_buf_add(b, buf, (size_t)(s - buf));
}
