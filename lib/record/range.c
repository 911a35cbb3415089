/*
 * range.c - the range of days a report covers, read from its preamble.
 *
 * Most report downloads carry no date per row: the range is said once,
 * above the table.  GA4 writes it in comment lines ("# Start date:
 * 20231208", "# End date: 20240104"; an exploration "# 20251001-20260228"),
 * Google Ads in its second title line ("November 1, 2023 - November 30,
 * 2023", "1 May 2026 - 8 May 2026", "All time").  The CSV reader hands each
 * such line here; what reads as a range is kept as two ISO dates, so that
 * the rows can say which days they cover (kpi(7), Row).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "record/readers.h"

/* The text between the bounds, blanks and Excel's padding cut off. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && strchr(" \t", **s) != NULL) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && strchr(" \t\r\n,;|", (*s)[*n - 1]) != NULL)
		(*n)--;
}

static int
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Whether y-m-d is a day of the calendar (years 1 to 9999). */
static int
valid_day(long y, long m, long d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* Reads n digits at *s; -1 when they are not all digits. */
static long
digits(const char **s, const char *e, size_t n)
{
	long v = 0;

	if ((size_t)(e - *s) < n)
		return -1;
	for (; n > 0; n--, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (**s - '0');
	}
	return v;
}

/* Reads 1 to 4 digits at *s: a day or a year in words; -1 when none. */
static long
number(const char **s, const char *e)
{
	long v = 0;
	int k = 0;

	while (*s < e && k < 4 && isdigit((unsigned char)**s)) {
		v = v * 10 + (**s - '0');
		(*s)++;
		k++;
	}
	return k ? v : -1;
}

/* An English month name or its first three letters; 0 when none. */
static int
month(const char **s, const char *e)
{
	static const char *const names[] = { "january", "february", "march",
	    "april", "may", "june", "july", "august", "september", "october",
	    "november", "december" };
	const char *p = *s;
	size_t n, i;

	while (p < e && isalpha((unsigned char)*p))
		p++;
	n = (size_t)(p - *s);
	if (p < e && *p == '.')		/* "Sept." */
		p++;
	for (i = 0; n >= 3 && i < 12; i++)
		if (n <= strlen(names[i]) && strncasecmp(*s, names[i], n) == 0) {
			*s = p;
			return (int)i + 1;
		}
	return 0;
}

static void
skip_blanks(const char **s, const char *e)
{
	while (*s < e && (**s == ' ' || **s == '\t'))
		(*s)++;
}

/* Writes y-m-d into out ("YYYY-MM-DD"); 0, or -1 when it is no day. */
static int
put_day(char *out, long y, long m, long d)
{
	if (!valid_day(y, m, d))
		return -1;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

/* Whether p (8 bytes or more) starts "YYYYMMDD" or "YYYY-". */
static int
iso_start(const char *p)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	return p[4] == '-' || isdigit((unsigned char)p[4]);
}

/*
 * One date at *s, moved past it: "20231208", "2023-12-08", "December 8,
 * 2023", "Dec 8, 2023" or "8 December 2023".  0, or -1.
 */
static int
date(const char **s, const char *e, char *out)
{
	const char *p = *s;
	long y, m, d;

	if ((m = month(&p, e)) != 0) {
		skip_blanks(&p, e);
		if ((d = number(&p, e)) < 0)
			return -1;
		if (p < e && *p == ',')
			p++;
		skip_blanks(&p, e);
		y = number(&p, e);
	} else if (e - p >= 8 && iso_start(p)) {
		y = digits(&p, e, 4);
		if (p < e && *p == '-' && e - p >= 6 && p[3] == '-') {
			p++;
			m = digits(&p, e, 2);
			p++;
		} else
			m = digits(&p, e, 2);
		d = digits(&p, e, 2);
	} else {
		if ((d = number(&p, e)) < 0)
			return -1;
		skip_blanks(&p, e);
		if ((m = month(&p, e)) == 0)
			return -1;
		skip_blanks(&p, e);
		y = number(&p, e);
	}
	if (y < 0 || m < 0 || d < 0 || put_day(out, y, m, d) < 0)
		return -1;
	*s = p;
	return 0;
}

/* "A - B" (or an en dash, or "A-B" for eight-digit dates) into r. */
static int
two_dates(struct kpi_range *r, const char *s, size_t n)
{
	const char *e = s + n;
	char a[11], b[11];

	if (date(&s, e, a) < 0)
		return 0;
	skip_blanks(&s, e);
	if (e - s >= 3 && memcmp(s, "\xe2\x80\x93", 3) == 0)	/* U+2013 */
		s += 3;
	else if (s < e && *s == '-')
		s++;
	else
		return 0;
	skip_blanks(&s, e);
	if (date(&s, e, b) < 0 || s != e || strcmp(a, b) > 0)
		return 0;
	memcpy(r->start, a, sizeof(a));
	memcpy(r->end, b, sizeof(b));
	r->all = 0;
	return 1;
}

/* "Start date: 20231208" or "End date: 20240104" into r. */
static int
labelled(struct kpi_range *r, const char *s, size_t n)
{
	static const struct {
		const char *label;
		int end;
	} tab[] = { { "start date:", 0 }, { "end date:", 1 } };
	const char *p, *e = s + n;
	char d[11];
	size_t i, k;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		k = strlen(tab[i].label);
		if (n <= k || strncasecmp(s, tab[i].label, k) != 0)
			continue;
		p = s + k;
		skip_blanks(&p, e);
		if (date(&p, e, d) < 0 || p != e)
			return 0;
		memcpy(tab[i].end ? r->end : r->start, d, sizeof(d));
		r->all = 0;
		return 1;
	}
	return 0;
}

int
kpi_range_line(struct kpi_range *r, const char *s, size_t n, int comment)
{
	if (comment) {
		if (n == 0 || *s != '#')
			return 0;
		s++;
		n--;
	}
	trim(&s, &n);
	/* A title line skipped by --skip is raw: "July 8, 2025 - ...". */
	if (!comment && n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (!comment && n == 8 && strncasecmp(s, "all time", 8) == 0) {
		r->start[0] = r->end[0] = '\0';
		r->all = 1;
		return 1;
	}
	return comment ? labelled(r, s, n) || two_dates(r, s, n) :
	    two_dates(r, s, n);
}

int
kpi_range_known(const struct kpi_range *r)
{
	return r->all || (r->start[0] != '\0' && r->end[0] != '\0' &&
	    strcmp(r->start, r->end) <= 0);
}
