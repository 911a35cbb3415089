/*
 * goal_test.c - the arithmetic of kpi-goal: verdicts of every kind in both
 * directions at the edges of their bands, run rate, least-squares trend,
 * median and MAD bands.  Every expected number is worked out beside it.
 * And streaming: evaluation passes every few points write what a pass at
 * the end writes.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "kpi.h"
#include "unit.h"

#define N	NAN
#define AL	KPI_GOAL_AT_LEAST
#define AM	KPI_GOAL_AT_MOST
#define BT	KPI_GOAL_BETWEEN
#define TG	KPI_GOAL_TARGET
#define TT	KPI_GOAL_TOTAL
#define CH	KPI_GOAL_CHANGE

static const struct {
	const char *what;
	int kind, dir;
	double value, target, low, high, baseline, elapsed, projected;
	int open, final;
	int want;
	double gap, progress;
} cases[] = {
	/* ROAS >= 4.0, closed: 4 met, 3.99 missed (gap -0.01). */
	{ "roas at 4", AL, 1, 4, 4, N, N, N, 1, N, 0, 0, KPI_ST_MET, 0, N },
	{ "roas 3.99", AL, 1, 3.99, 4, N, N, N, 1, N, 0, 0, KPI_ST_MISSED,
	    -0.01, N },
	/* open: 4.1 on track; at-risk line 4 - 0.1 * 4 = 3.6 */
	{ "roas open 4.1", AL, 1, 4.1, 4, N, N, N, 0.5, 4.1, 1, 0,
	    KPI_ST_ON_TRACK, 0.1, N },
	{ "roas open 3.6", AL, 1, 3.6, 4, N, N, N, 0.5, 3.6, 1, 0,
	    KPI_ST_AT_RISK, -0.4, N },
	{ "roas open 3.59", AL, 1, 3.59, 4, N, N, N, 0.5, 3.59, 1, 0,
	    KPI_ST_OFF_TRACK, -0.41, N },
	/* early window: 3.59 at 10% elapsed is only at risk */
	{ "roas early", AL, 1, 3.59, 4, N, N, N, 0.1, 3.59, 1, 0,
	    KPI_ST_AT_RISK, -0.41, N },
	/* CPC <= 0.90: gap = 0.90 - v; at-risk line 0.90 + 0.09 = 0.99 */
	{ "cpc 0.75", AM, -1, 0.75, 0.9, N, N, N, 1, N, 0, 0, KPI_ST_MET,
	    0.15, N },
	{ "cpc at 0.90", AM, -1, 0.9, 0.9, N, N, N, 1, N, 0, 0, KPI_ST_MET,
	    0, N },
	{ "cpc 0.95 closed", AM, -1, 0.95, 0.9, N, N, N, 1, N, 0, 0,
	    KPI_ST_MISSED, -0.05, N },
	{ "cpc open 0.99", AM, -1, 0.99, 0.9, N, N, N, 0.5, 0.99, 1, 0,
	    KPI_ST_AT_RISK, -0.09, N },
	{ "cpc open 1.00", AM, -1, 1, 0.9, N, N, N, 0.5, 1, 1, 0,
	    KPI_ST_OFF_TRACK, -0.1, N },
	/* between 0.25 and 0.35: margin min(v - 0.25, 0.35 - v) */
	{ "in range", BT, 1, 0.3, N, 0.25, 0.35, N, 1, N, 0, 0, KPI_ST_MET,
	    0.05, N },
	{ "at low", BT, 1, 0.25, N, 0.25, 0.35, N, 1, N, 0, 0, KPI_ST_MET,
	    0, N },
	{ "below, closed", BT, 1, 0.2, N, 0.25, 0.35, N, 1, N, 0, 0,
	    KPI_ST_MISSED, -0.05, N },
	/* open, 0.225 is 0.025 = 10% of 0.25 below: at risk */
	{ "below, open", BT, 1, 0.225, N, 0.25, 0.35, N, 0.5, 0.225, 1, 0,
	    KPI_ST_AT_RISK, -0.025, N },
	/* 15,000 visits a month: 6,000 after 10 of 31 days runs at
	   6000 / (10/31) = 18,600; progress 6000 / 15000 = 0.4 */
	{ "visits paced", TT, 1, 6000, 15000, N, N, N, 10.0 / 31, 18600, 1,
	    0, KPI_ST_ON_TRACK, 3600, 0.4 },
	/* 4,000 after 10 days: 12,400, short 2,600 > 1,500: off track */
	{ "visits slow", TT, 1, 4000, 15000, N, N, N, 10.0 / 31, 12400, 1,
	    0, KPI_ST_OFF_TRACK, -2600, 4000.0 / 15000 },
	/* 13,500 at the month's end: exactly 10% short, closed: missed */
	{ "visits closed", TT, 1, 13500, 15000, N, N, N, 1, N, 0, 0,
	    KPI_ST_MISSED, -1500, 0.9 },
	/* open at 13,500 projected: exactly on the at-risk line */
	{ "visits line", TT, 1, 4354.8, 15000, N, N, N, 10.0 / 31, 13500,
	    1, 0, KPI_ST_AT_RISK, -1500, 4354.8 / 15000 },
	/* a spend budget (lower): 600 of 1000 at half time runs at 1200 */
	{ "budget", TT, -1, 600, 1000, N, N, N, 0.5, 1200, 1, 0,
	    KPI_ST_OFF_TRACK, -200, 0.6 },
	/* CR 1.8% -> 2.2%: at 2.0% progress (2.0-1.8)/(2.2-1.8) = 0.5 */
	{ "cr on track", TG, 1, 0.02, 0.022, N, N, 0.018, 0.5, N, 1, 0,
	    KPI_ST_ON_TRACK, -0.002, 0.5 },
	/* progress 0.5 against 0.55 elapsed: 0.9 * 0.55 = 0.495 <= 0.5 */
	{ "cr at risk", TG, 1, 0.02, 0.022, N, N, 0.018, 0.55, N, 1, 0,
	    KPI_ST_AT_RISK, -0.002, 0.5 },
	/* progress 0.5 against 0.6: 0.54 > 0.5 */
	{ "cr off track", TG, 1, 0.02, 0.022, N, N, 0.018, 0.6, N, 1, 0,
	    KPI_ST_OFF_TRACK, -0.002, 0.5 },
	{ "cr reached", TG, 1, 0.022, 0.022, N, N, 0.018, 0.6, N, 1, 0,
	    KPI_ST_MET, 0, 1 },
	{ "cr deadline", TG, 1, 0.021, 0.022, N, N, 0.018, 1, N, 0, 1,
	    KPI_ST_MISSED, -0.001, 0.75 },
	/* CPM down from 6 to 5: at 5.5 half way, gap -(5.5 - 5) */
	{ "cpm down", TG, -1, 5.5, 5, N, N, 6, 0.5, N, 1, 0, KPI_ST_ON_TRACK,
	    -0.5, 0.5 },
	/* a zero baseline: 0 -> 75, at 30: progress 0.4 */
	{ "zero base", TG, 1, 30, 75, N, N, 0, 0.4, N, 1, 0, KPI_ST_ON_TRACK,
	    -45, 0.4 },
	/* no baseline: by the gap, 70 is 5 short of 75 (<= 7.5) */
	{ "no base", TG, 1, 70, 75, N, N, N, 0.5, N, 1, 0, KPI_ST_AT_RISK,
	    -5, N },
	/* +20% on 100 is 120: 125 met, progress (125-100)/(120-100) */
	{ "change met", CH, 1, 125, 120, N, N, 100, 1, N, 0, 0, KPI_ST_MET,
	    5, 1.25 },
	/* no baseline: no target */
	{ "change no base", CH, 1, 125, N, N, N, N, 1, N, 0, 0,
	    KPI_ST_INSUFFICIENT, N, N },
	{ "no value", AL, 1, N, 4, N, N, N, 1, N, 0, 0, KPI_ST_NO_DATA, N,
	    N },
};

static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || fabs(a - b) <= 1e-9 * fmax(1,
	    fabs(b));
}

static void
verdicts(void)
{
	struct kpi_verdict_in in;
	struct kpi_verdict out;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		in.kind = (enum kpi_goal_kind)cases[i].kind;
		in.dir = cases[i].dir;
		in.value = cases[i].value;
		in.target = cases[i].target;
		in.low = cases[i].low;
		in.high = cases[i].high;
		in.baseline = cases[i].baseline;
		in.elapsed = cases[i].elapsed;
		in.projected = cases[i].projected;
		in.open = cases[i].open;
		in.final = cases[i].final;
		in.at_risk = KPI_GOAL_AT_RISK;
		in.early = KPI_GOAL_EARLY;
		kpi_goal_verdict(&in, &out);
		CHECK_STR(kpi_goal_status_name(out.status),
		    kpi_goal_status_name((enum kpi_goal_status)cases[i].want),
		    cases[i].what);
		CHECK(same(out.gap, cases[i].gap), "%s: gap %.17g",
		    cases[i].what, out.gap);
		CHECK(same(out.progress, cases[i].progress),
		    "%s: progress %.17g", cases[i].what, out.progress);
	}
}

static void
projections(void)
{
	/* visits to date at 1/4, 1/2, 3/4 of a month: 3000, 7000, 11000:
	   slope 16000 per month, mean (0.5, 7000): at 1, 7000 + 8000 */
	static const double x[] = { 0.25, 0.5, 0.75 }, y[] = { 3000, 7000,
	    11000 };
	static const double same_x[] = { 0.5, 0.5 };

	CHECK(same(kpi_goal_trend(x, y, 3, 1), 15000), "trend");
	CHECK(isnan(kpi_goal_trend(x, y, 1, 1)), "trend of one point");
	CHECK(isnan(kpi_goal_trend(same_x, y, 2, 1)), "trend, one x");
	CHECK(same(kpi_goal_runrate(6000, N, 10.0 / 31), 18600), "run rate");
	/* from a baseline: 0.018 + (0.019 - 0.018) / 0.25 = 0.022 */
	CHECK(same(kpi_goal_runrate(0.019, 0.018, 0.25), 0.022),
	    "run rate from a baseline");
	CHECK(isnan(kpi_goal_runrate(10, N, 0)), "run rate at 0");
}

static void
bands(void)
{
	/* ROAS over 5 weeks 4.0 4.2 3.8 4.1 3.9: median 4.0, deviations
	   0 .2 .2 .1 .1: MAD 0.1; limits 4 -+ 3.5 * 0.1 / 0.6745 */
	double h[5] = { 4.0, 4.2, 3.8, 4.1, 3.9 };
	double flat[4] = { 5, 5, 5, 5 };
	struct kpi_band b;
	double lim = 3.5 * 0.1 / 0.6745;

	kpi_goal_band(3.4, h, 5, 3.5, 1, 0, &b);
	/* score 0.6745 * (3.4 - 4) / 0.1 = -4.047: bad side */
	CHECK(same(b.median, 4) && same(b.mad, 0.1), "median, MAD");
	CHECK(same(b.score, -4.047) && b.flag == -1, "low spike %g", b.score);
	CHECK(same(b.low, 4 - lim) && same(b.high, 4 + lim), "limits");
	kpi_goal_band(4.6, h, 5, 3.5, 1, 0, &b);
	CHECK(b.flag == 0, "good spike, bad side only");
	kpi_goal_band(4.6, h, 5, 3.5, 1, 1, &b);
	CHECK(b.flag == 1, "good spike, both sides");
	kpi_goal_band(4.6, h, 5, 3.5, -1, 0, &b);
	CHECK(b.flag == -1, "high is bad for a cost");
	/* exactly on the limit is inside: |score| = 3.5 */
	kpi_goal_band(4 - lim, h, 5, 3.5, 1, 0, &b);
	CHECK(b.flag == 0, "on the limit %g", b.score);
	kpi_goal_band(5, flat, 4, 3.5, 1, 1, &b);
	CHECK(isnan(b.score) && b.flag == 0 && b.mad == 0, "flat, same");
	kpi_goal_band(4.9, flat, 4, 3.5, 1, 0, &b);
	CHECK(isnan(b.score) && b.flag == -1 && same(b.low, 5), "flat, low");
	/* an even count: median of 1 2 3 10 is 2.5 */
	{
		double e[4] = { 10, 1, 3, 2 };
		CHECK(same(kpi_goal_median(e, 4), 2.5), "even median");
	}
}

static void
names(void)
{
	enum kpi_goal_kind k;
	enum kpi_goal_status st;

	CHECK(kpi_goal_kind_parse("at_least", &k) == 0 && k == AL, "kind");
	CHECK(kpi_goal_kind_parse("atleast", &k) < 0, "bad kind");
	CHECK(kpi_goal_status_parse("no_data", 7, &st) == 0 &&
	    st == KPI_ST_NO_DATA, "status");
	CHECK(kpi_goal_status_parse("no_dat", 6, &st) < 0, "bad status");
}


/* Goals of every kind that looks back, on daily points of metric m. */
static const char streaming_goals[] = "{\"goals\":["
    "{\"name\":\"floor\",\"metric\":\"m\",\"kind\":\"at_least\","
    "\"target\":45,\"every\":\"day\",\"per\":\"ch\"},"
    "{\"name\":\"usual\",\"metric\":\"m\",\"kind\":\"band\","
    "\"every\":\"day\",\"per\":\"ch\"},"
    "{\"name\":\"up\",\"metric\":\"m\",\"kind\":\"change\",\"change\":0.1,"
    "\"every\":\"day\",\"per\":\"ch\"},"
    "{\"name\":\"yoy\",\"metric\":\"m\",\"kind\":\"change\",\"change\":0.1,"
    "\"against\":\"year\",\"every\":\"day\",\"per\":\"ch\"},"
    "{\"name\":\"reach\",\"metric\":\"m\",\"kind\":\"target\",\"target\":90,"
    "\"deadline\":\"2000-02-29\",\"per\":\"ch\"},"
    "{\"name\":\"pace\",\"metric\":\"m\",\"kind\":\"total\",\"target\":900,"
    "\"every\":\"month\",\"pace\":\"run_rate\",\"per\":\"ch\"}]}";

/* Evaluates 4 series x 1500 days (gaps, nulls) with opts; caller frees. */
static char *
stream_run(const struct kpi_goals *gs, struct kpi_goal_opts *opts,
    size_t *len)
{
	struct kpi_goal_run *run;
	struct kpi_out o;
	struct kpi_rec r;
	struct kpi_err err;
	char line[400], a[16], b[16], v[16], *text;
	FILE *f = tmpfile();
	long long y, y2, t;
	unsigned m, d, m2, d2, s, n;

	kpi_out_init(&o, fileno(f));
	kpi_rec_init(&r);
	run = kpi_goal_run_new(gs, NULL, opts, &o, NULL, NULL);
	for (t = 0; t < 1500; t++)
		for (s = 0; s < 4; s++) {
			if ((n = (unsigned)t * 4 + s) % 37 == 3)
				continue;
			kpi_civil_from_days(10957 + t, &y, &m, &d);
			kpi_civil_from_days(10958 + t, &y2, &m2, &d2);
			snprintf(a, sizeof(a), "%04lld-%02u-%02u", y, m, d);
			snprintf(b, sizeof(b), "%04lld-%02u-%02u", y2, m2, d2);
			snprintf(v, sizeof(v), "%u", 40 + (n * 7) % 23);
			snprintf(line, sizeof(line), "{\"metric\":\"m\",\"period\""
			    ":\"%s\",\"start\":\"%sT00:00:00Z\",\"end\":\"%sT00:"
			    "00:00Z\",\"dims\":{\"ch\":\"c%u\"},\"value\":%s}",
			    a, a, b, s, n % 41 == 0 ? "null" : v);
			kpi_json_parse_object(&r, line, strlen(line), 0, &err);
			CHECK(kpi_goal_run_add(run, &r, &err) == 0, "%s", line);
		}
	CHECK(kpi_goal_run_end(run) == 0 && kpi_out_release(&o) == 0,
	    "write");
	kpi_goal_run_free(run);
	kpi_rec_release(&r);
	*len = (size_t)ftell(f);
	text = malloc(*len + 1);
	rewind(f);
	CHECK(fread(text, 1, *len, f) == *len, "read back");
	fclose(f);
	return text;
}

/* Passes every few points write what one pass at the end writes. */
static void
streaming(void)
{
	static const char *const what[] = { "clock at the end", "--as-of",
	    "--cumulative month" };
	struct kpi_goal_opts opts;
	struct kpi_goals gs;
	struct kpi_err err;
	char *once, *often;
	size_t n1, n2;
	int v;

	kpi_goals_init(&gs);
	CHECK(kpi_goals_load(&gs, streaming_goals, strlen(streaming_goals),
	    "g", &err) == 0, "goals: %s", err.msg);
	for (v = 0; v < 3; v++) {
		memset(&opts, 0, sizeof(opts));
		opts.cumulative = v == 2 ? KPI_MONTH : KPI_ALL;
		opts.has_as_of = v == 1;
		opts.as_of_day = 10957 + 1300;
		opts.at_risk = KPI_GOAL_AT_RISK;
		opts.early = KPI_GOAL_EARLY;
		opts.hold = SIZE_MAX;
		once = stream_run(&gs, &opts, &n1);
		opts.hold = 1;
		often = stream_run(&gs, &opts, &n2);
		CHECK(n1 > 100000 && n1 == n2 && memcmp(once, often, n1) == 0,
		    "streaming, %s: %zu bytes, %zu streamed", what[v], n1, n2);
		free(once);
		free(often);
	}
	kpi_goals_release(&gs);
}

int
main(void)
{
	verdicts();
	projections();
	bands();
	names();
	streaming();
	return unit_done();
}
