/*
 * eval.c - the arithmetic of a verdict: status, gap, progress, pacing,
 * run rate, least-squares trend, median/MAD bands.  Pure functions over
 * numbers: the times were turned into shares of a timeframe by run.c, so
 * every number here can be worked out by hand from kpi-goal(1).
 *
 * NAN stands for null.  Comparisons at an edge are exact to within 1e-9 of
 * the size of the number compared with, so that 3.6 is exactly 10% short
 * of 4 although 4 - 3.6 is not 0.4 in binary.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "goal/goal.h"

static const char *const kind_names[] = {
	"at_least", "at_most", "between", "target", "total", "change", "band"
};

static const char *const status_names[] = {
	"met", "on_track", "at_risk", "off_track", "missed", "no_data",
	"insufficient_history"
};

int
kpi_goal_kind_parse(const char *name, enum kpi_goal_kind *kind)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum kpi_goal_kind)i;
			return 0;
		}
	return -1;
}

const char *
kpi_goal_kind_name(enum kpi_goal_kind kind)
{
	return kind_names[kind];
}

const char *
kpi_goal_status_name(enum kpi_goal_status st)
{
	return status_names[st];
}

int
kpi_goal_status_parse(const char *name, size_t n, enum kpi_goal_status *st)
{
	size_t i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strlen(status_names[i]) == n &&
		    memcmp(name, status_names[i], n) == 0) {
			*st = (enum kpi_goal_status)i;
			return 0;
		}
	return -1;
}

/* The slack of a comparison with a number of this size. */
static double
tol(double scale)
{
	return 1e-9 * fmax(1, fabs(scale));
}

/* A gap that reaches the target. */
static int
reached(double gap, double scale)
{
	return gap >= -tol(scale);
}

/* A gap short of the target by at most the at-risk band. */
static int
risky(double gap, double scale, double at_risk)
{
	return gap < 0 && -gap <= (1 - at_risk) * fabs(scale) + tol(scale);
}

/* The status of an open or closed period by its gap alone. */
static enum kpi_goal_status
by_gap(const struct kpi_verdict_in *in, double gap, double scale)
{
	if (reached(gap, scale))
		return in->open ? KPI_ST_ON_TRACK : KPI_ST_MET;
	if (!in->open)
		return KPI_ST_MISSED;
	return risky(gap, scale, in->at_risk) ? KPI_ST_AT_RISK :
	    KPI_ST_OFF_TRACK;
}

/* between: the margin inside the range, negative outside it. */
static void
between(const struct kpi_verdict_in *in, double x, struct kpi_verdict *out)
{
	double scale = x < in->low ? in->low : in->high;

	out->gap = fmin(kpi_dec_sub(x, in->low), kpi_dec_sub(in->high, x));
	out->status = by_gap(in, out->gap, scale);
}

/* target: met once reached, missed after the deadline, else paced. */
static void
by_deadline(const struct kpi_verdict_in *in, struct kpi_verdict *out)
{
	double p = out->progress, e = in->elapsed;

	if (reached(out->gap, in->target))
		out->status = KPI_ST_MET;
	else if (in->final)
		out->status = KPI_ST_MISSED;
	else if (isnan(p))
		out->status = risky(out->gap, in->target, in->at_risk) ?
		    KPI_ST_AT_RISK : KPI_ST_OFF_TRACK;
	else if (p >= e - tol(e))
		out->status = KPI_ST_ON_TRACK;
	else if (p >= in->at_risk * e - tol(e))
		out->status = KPI_ST_AT_RISK;
	else
		out->status = KPI_ST_OFF_TRACK;
}

void
kpi_goal_verdict(const struct kpi_verdict_in *in, struct kpi_verdict *out)
{
	double x = in->value, t = in->target, b = in->baseline;

	out->gap = out->progress = NAN;
	out->status = KPI_ST_NO_DATA;
	if (isnan(in->value))
		return;
	if (in->open && !isnan(in->projected))
		x = in->projected;
	else if (in->open && in->kind == KPI_GOAL_TOTAL)
		x = NAN;	/* nothing elapsed: no run rate yet */
	if (in->kind == KPI_GOAL_TOTAL && t != 0 && !isnan(t))
		out->progress = in->value / t;
	else if ((in->kind == KPI_GOAL_TARGET || in->kind == KPI_GOAL_CHANGE)
	    && !isnan(b) && !isnan(t) && t != b)
		out->progress = (in->value - b) / (t - b);
	if (in->kind == KPI_GOAL_BETWEEN) {
		if (!isnan(x))
			between(in, x, out);
		else
			out->status = KPI_ST_AT_RISK;
	} else if (isnan(t)) {
		out->status = KPI_ST_INSUFFICIENT;
		return;
	} else if (in->kind == KPI_GOAL_TARGET) {
		out->gap = in->dir * kpi_dec_sub(in->value, t);
		by_deadline(in, out);
	} else if (isnan(x)) {
		out->status = KPI_ST_AT_RISK;
	} else {
		out->gap = in->dir * kpi_dec_sub(x, t);
		out->status = by_gap(in, out->gap, t);
	}
	/* A timeframe just begun says little: never off track in it. */
	if (out->status == KPI_ST_OFF_TRACK && in->elapsed < in->early)
		out->status = KPI_ST_AT_RISK;
}

double
kpi_goal_runrate(double v, double b, double elapsed)
{
	if (isnan(v) || !(elapsed > 0))
		return NAN;
	if (isnan(b))
		b = 0;
	return b + (v - b) / elapsed;
}

double
kpi_goal_trend(const double *x, const double *y, size_t n, double at)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0;
	size_t i;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	if (sxx == 0)
		return NAN;
	return my + sxy / sxx * (at - mx);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
kpi_goal_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void
kpi_goal_band(double x, double *hist, size_t n, double z, int dir,
    int both, struct kpi_band *out)
{
	double *dev = kpi_xmalloc(n * sizeof(*dev));
	double m, d;
	size_t i;
	int outside;

	m = out->median = kpi_goal_median(hist, n);
	for (i = 0; i < n; i++)
		dev[i] = fabs(hist[i] - m);
	out->mad = kpi_goal_median(dev, n);
	free(dev);
	out->low = m - z * out->mad / 0.6745;
	out->high = m + z * out->mad / 0.6745;
	d = dir * (x - m);
	if (out->mad > 0) {
		out->score = 0.6745 * (x - m) / out->mad;
		outside = fabs(out->score) > z + tol(z);
	} else {
		/* A flat history: any other value is out of the band. */
		out->score = NAN;
		outside = fabs(x - m) > tol(m);
	}
	out->flag = !outside ? 0 : d < 0 ? -1 : both ? 1 : 0;
}
