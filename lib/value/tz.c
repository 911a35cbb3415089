/*
 * tz.c - time zones from the system's zoneinfo (TZif, RFC 8536).
 *
 * Each zone is read into a private table rather than through setenv("TZ")
 * and localtime(): those share one zone per process, and a run may read
 * several zones at once.  After the table's last transition the file's
 * footer (a POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0") rules, which
 * matters for "slim" files that stop listing transitions in 2007.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "value/value.h"

#define ZONEINFO	"/usr/share/zoneinfo/"
#define TZIF_MAX	(1L << 20)	/* real files are under 10 KiB */
#define TZIF_HDR	44
#define DAY		86400LL

enum { RULE_J, RULE_N, RULE_M };

/* One end of a POSIX TZ rule's DST period, as in "M3.5.0/1". */
struct tzrule {
	int kind;
	int mon, week, wday;	/* RULE_M */
	int day;		/* RULE_J: 1-365, RULE_N: 0-365 */
	long time;		/* local seconds after midnight; may be < 0 */
};

/* The footer's rule for instants after the last transition. */
struct tzfooter {
	long std_off;		/* seconds east of UTC */
	long dst_off;
	int has_dst;
	struct tzrule start, end;
};

/*
 * The span of the last offset looked up in the table: rows come in runs of
 * times months apart at most, and kpi_tz_from_local asks four times a
 * row, so most answers are in it.  Not the footer's years: a span there
 * would take more working out than the answer.
 */
struct tzmemo {
	long long lo, hi;	/* off holds for lo <= t < hi; none: lo > hi */
	long off;
};

struct kpi_tz {
	struct tzmemo *memo;	/* owned; changed by lookups of a const zone */
	size_t ntrans;
	long long *trans;	/* transition instants, ascending */
	long *off;		/* the offset from trans[i] on */
	long first_off;		/* before trans[0]: time type 0 */
	int has_footer;
	struct tzfooter ft;
};

/* The counts of a TZif header. */
struct tzcounts {
	size_t isut, isstd, leap, time, type, chr;
};

static long long
floordiv(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static long long
get64(const unsigned char *p)
{
	uint64_t v = (uint64_t)get32(p) << 32 | get32(p + 4);

	/* Two's complement by arithmetic, not by an implementation's cast. */
	return v > INT64_MAX ? -(long long)(~v) - 1 : (long long)v;
}

static long
sget32(const unsigned char *p)
{
	uint32_t v = get32(p);

	return v > INT32_MAX ? -(long)(~v) - 1 : (long)v;
}

/* Only names that stay inside the zoneinfo folder are opened. */
static int
name_ok(const char *name)
{
	const char *p;

	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
	    strlen(name) > 255)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '+' ||
		    *p == '/' || *p == '-'))
			return 0;
	return 1;
}

/* Reads the zone's file.  Returns its length, or -1.  Caller frees *out. */
static long
read_zone(const char *name, unsigned char **out)
{
	char path[sizeof(ZONEINFO) + 256];
	struct stat st;
	unsigned char *buf;
	ssize_t r;
	long len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s%s", ZONEINFO, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > TZIF_MAX) {
		close(fd);
		return -1;
	}
	buf = kpi_xmalloc((size_t)st.st_size + 1);
	while (len < (long)st.st_size &&
	    (r = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += r;
	close(fd);
	*out = buf;
	return len;
}

static int
read_counts(const unsigned char *p, size_t n, struct tzcounts *c)
{
	if (n < TZIF_HDR || memcmp(p, "TZif", 4) != 0)
		return -1;
	c->isut = get32(p + 20);
	c->isstd = get32(p + 24);
	c->leap = get32(p + 28);
	c->time = get32(p + 32);
	c->type = get32(p + 36);
	c->chr = get32(p + 40);
	if (c->type == 0 || c->type > 256 || c->chr == 0 ||
	    (c->isut != 0 && c->isut != c->type) ||
	    (c->isstd != 0 && c->isstd != c->type))
		return -1;
	return 0;
}

/* The length of a data block with times of tsize bytes. */
static size_t
block_len(const struct tzcounts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chr +
	    c->leap * (tsize + 4) + c->isstd + c->isut;
}

/* Fills the transition table from one data block. */
static int
load_block(struct kpi_tz *tz, const unsigned char *p,
    const struct tzcounts *c, size_t tsize)
{
	const unsigned char *idx = p + c->time * tsize;
	const unsigned char *types = idx + c->time;
	size_t i;

	tz->trans = kpi_xmalloc(c->time * sizeof(*tz->trans));
	tz->off = kpi_xmalloc(c->time * sizeof(*tz->off));
	tz->ntrans = c->time;
	tz->first_off = sget32(types);
	for (i = 0; i < c->time; i++) {
		tz->trans[i] = tsize == 8 ? get64(p + i * 8) :
		    (long long)sget32(p + i * 4);
		if (idx[i] >= c->type ||
		    (i > 0 && tz->trans[i] <= tz->trans[i - 1]))
			return -1;
		tz->off[i] = sget32(types + idx[i] * 6);
	}
	return 0;
}

static int parse_footer(const char *s, struct tzfooter *ft);

/*
 * Reads a TZif file: version 1 has 32-bit times only; versions 2 and 3
 * repeat the data with 64-bit times and add the footer, which we use.
 */
static int
load_tzif(struct kpi_tz *tz, const unsigned char *p, size_t n)
{
	struct tzcounts c;
	size_t at, tsize = 4, end, len;
	const unsigned char *nl;
	char footer[256];

	if (read_counts(p, n, &c) == -1)
		return -1;
	at = TZIF_HDR;
	if (p[4] >= '2') {
		at += block_len(&c, 4);
		if (at > n || read_counts(p + at, n - at, &c) == -1)
			return -1;
		at += TZIF_HDR;
		tsize = 8;
	}
	end = at + block_len(&c, tsize);
	if (end > n || load_block(tz, p + at, &c, tsize) == -1)
		return -1;
	if (tsize == 4 || end == n)
		return 0;
	/* The footer: "\nTZ\n"; an empty TZ means none. */
	if (p[end] != '\n' ||
	    (nl = memchr(p + end + 1, '\n', n - end - 1)) == NULL)
		return -1;
	if ((len = (size_t)(nl - (p + end + 1))) == 0)
		return 0;
	if (len >= sizeof(footer))
		return -1;
	memcpy(footer, p + end + 1, len);
	footer[len] = '\0';
	tz->has_footer = 1;
	return parse_footer(footer, &tz->ft);
}

struct kpi_tz *
kpi_tz_open(const char *name, struct kpi_err *err)
{
	struct kpi_tz *tz;
	unsigned char *buf = NULL;
	long len;

	tz = kpi_xmalloc(sizeof(*tz));
	memset(tz, 0, sizeof(*tz));
	tz->memo = kpi_xmalloc(sizeof(*tz->memo));
	tz->memo->lo = 1;
	tz->memo->hi = 0;
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
	    strcmp(name, "Z") == 0)
		return tz;
	if (!name_ok(name) || (len = read_zone(name, &buf)) < 0) {
		kpi_err_set(err, NULL, 0, 0, "unknown time zone '%s'", name);
		goto out_free;
	}
	buf[len] = '\0';
	if (len < 4 || memcmp(buf, "TZif", 4) != 0) {
		kpi_err_set(err, NULL, 0, 0, "unknown time zone '%s'", name);
		goto out_free;
	}
	if (load_tzif(tz, buf, (size_t)len) == -1) {
		kpi_err_set(err, NULL, 0, 0, "bad time zone file '%s%s'",
		    ZONEINFO, name);
		goto out_free;
	}
	free(buf);
	return tz;
out_free:
	free(buf);
	kpi_tz_free(tz);
	return NULL;
}

void
kpi_tz_free(struct kpi_tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->memo);
	free(tz->trans);
	free(tz->off);
	free(tz);
}

/* ---- the footer's POSIX TZ string ---- */

/* Reads 1 to 3 digits in [min, max]. */
static const char *
tz_num(const char *p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < 3 && *p >= '0' && *p <= '9') {
		*v = *v * 10 + (*p++ - '0');
		n++;
	}
	return n == 0 || *v < min || *v > max ? NULL : p;
}

/* A zone abbreviation: "EST" or quoted, "<+0330>". */
static const char *
tz_abbr(const char *p)
{
	const char *q = p;

	if (*p == '<') {
		while (*p != '\0' && *p != '>')
			p++;
		return *p == '>' ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - q >= 3 ? p : NULL;
}

/*
 * "[+-]hh[:mm[:ss]]" as seconds.  Offsets allow 24 hours; rule times, as
 * TZif version 3 extends POSIX, -167 to 167.
 */
static const char *
tz_hms(const char *p, int maxh, long *out)
{
	int sign = 1, h, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if ((p = tz_num(p, 0, maxh, &h)) == NULL)
		return NULL;
	if (*p == ':' && (p = tz_num(p + 1, 0, 59, &m)) != NULL && *p == ':')
		p = tz_num(p + 1, 0, 59, &s);
	if (p != NULL)
		*out = sign * (h * 3600L + m * 60L + s);
	return p;
}

/* "Jn", "n" or "Mm.w.d", then an optional "/time" (default 02:00). */
static const char *
tz_rule(const char *p, struct tzrule *r)
{
	if (*p == 'J') {
		r->kind = RULE_J;
		p = tz_num(p + 1, 1, 365, &r->day);
	} else if (*p == 'M') {
		r->kind = RULE_M;
		if ((p = tz_num(p + 1, 1, 12, &r->mon)) == NULL ||
		    *p != '.' ||
		    (p = tz_num(p + 1, 1, 5, &r->week)) == NULL ||
		    *p != '.')
			return NULL;
		p = tz_num(p + 1, 0, 6, &r->wday);
	} else {
		r->kind = RULE_N;
		p = tz_num(p, 0, 365, &r->day);
	}
	r->time = 7200;
	if (p != NULL && *p == '/')
		p = tz_hms(p + 1, 167, &r->time);
	return p;
}

/* Parses "std offset [dst [offset] [,rule,rule]]". */
static int
parse_footer(const char *s, struct tzfooter *ft)
{
	const char *p = s;
	long off;

	if ((p = tz_abbr(p)) == NULL || (p = tz_hms(p, 24, &off)) == NULL)
		return -1;
	ft->std_off = -off;	/* POSIX counts west of Greenwich */
	if (*p == '\0')
		return 0;
	if ((p = tz_abbr(p)) == NULL)
		return -1;
	ft->has_dst = 1;
	ft->dst_off = ft->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((p = tz_hms(p, 24, &off)) == NULL)
			return -1;
		ft->dst_off = -off;
	}
	if (*p == '\0')
		/* No rule: the US one, as tzcode assumes. */
		p = ",M3.2.0,M11.1.0";
	if (*p != ',' || (p = tz_rule(p + 1, &ft->start)) == NULL ||
	    *p != ',' || (p = tz_rule(p + 1, &ft->end)) == NULL)
		return -1;
	return *p == '\0' ? 0 : -1;
}

/* The local date of rule r in year y, as days since 1970-01-01. */
static long long
rule_day(const struct tzrule *r, long long y)
{
	long long jan1, first, d, next;
	int leap;

	jan1 = kpi_days_from_civil(y, 1, 1);
	if (r->kind == RULE_N)
		return jan1 + r->day;
	if (r->kind == RULE_J) {
		/* Jn never counts February 29. */
		leap = kpi_days_from_civil(y, 3, 1) -
		    kpi_days_from_civil(y, 2, 1) == 29;
		return jan1 + r->day - 1 + (leap && r->day >= 60);
	}
	first = kpi_days_from_civil(y, (unsigned)r->mon, 1);
	next = r->mon == 12 ? kpi_days_from_civil(y + 1, 1, 1) :
	    kpi_days_from_civil(y, (unsigned)r->mon + 1, 1);
	/* 1970-01-01 was a Thursday (4); Sunday is 0. */
	d = first + ((r->wday - (first % 7 + 11) % 7) + 7) % 7 +
	    (r->week - 1) * 7;
	while (d >= next)
		d -= 7;
	return d;
}

/*
 * The footer's offset at t.  The latest DST start or end at or before t
 * decides; looking at the years around t's covers rules whose times spill
 * into the next or the last year.  A start and an end at the same instant
 * (DST all year, "0/0,J365/25") leave DST on.
 */
static long
footer_offset(const struct tzfooter *ft, long long t)
{
	long long y, s, e, best = LLONG_MIN;
	unsigned m, d;
	int i, dst = 0;

	if (!ft->has_dst)
		return ft->std_off;
	kpi_civil_from_days(floordiv(t + ft->std_off, DAY), &y, &m, &d);
	for (y -= 1, i = 0; i < 3; y++, i++) {
		e = rule_day(&ft->end, y) * DAY + ft->end.time - ft->dst_off;
		s = rule_day(&ft->start, y) * DAY + ft->start.time -
		    ft->std_off;
		if (e <= t && e > best) {
			best = e;
			dst = 0;
		}
		if (s <= t && s >= best) {
			best = s;
			dst = 1;
		}
	}
	return dst ? ft->dst_off : ft->std_off;
}

long
kpi_tz_offset(const struct kpi_tz *tz, long long t)
{
	struct tzmemo *m;
	size_t lo, hi, mid;

	if (tz == NULL)
		return 0;
	if (tz->ntrans == 0)
		return tz->has_footer ? footer_offset(&tz->ft, t) :
		    tz->first_off;
	if (t < tz->trans[0])
		return tz->first_off;
	if (t >= tz->trans[tz->ntrans - 1])
		return tz->has_footer ? footer_offset(&tz->ft, t) :
		    tz->off[tz->ntrans - 1];
	m = tz->memo;
	if (m->lo <= t && t < m->hi)
		return m->off;
	/* The last transition at or before t: trans[lo] <= t < trans[hi]. */
	lo = 0;
	hi = tz->ntrans - 1;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	m->lo = tz->trans[lo];
	m->hi = tz->trans[hi];
	m->off = tz->off[lo];
	return m->off;
}

/*
 * Zones change offset at most once in a day (nearly all of history), so the
 * offsets a day before and after bracket the answer: each gives a candidate
 * instant, valid when the zone really has that offset then.  Two valid ones
 * are an overlap (take the earlier); none, a gap: read with the offset in
 * force before it, which moves the time forward by the gap.
 */
long long
kpi_tz_from_local(const struct kpi_tz *tz, long long local)
{
	long oa, ob;
	long long ta, tb;
	int va, vb;

	oa = kpi_tz_offset(tz, local - DAY);
	ob = kpi_tz_offset(tz, local + DAY);
	ta = local - oa;
	tb = local - ob;
	va = kpi_tz_offset(tz, ta) == oa;
	vb = kpi_tz_offset(tz, tb) == ob;
	if (va && vb)
		return ta < tb ? ta : tb;
	return vb ? tb : ta;
}
