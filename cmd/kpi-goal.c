/*
 * kpi-goal - points against their goals: status, progress, pacing,
 * projection, anomaly bands; a SMART lint and a CI gate.
 * See kpi-goal(1) and kpi(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

struct run {
	struct kpi_goal_run *gr;
	struct kpi_rec rec;
	struct kpi_buf fails;	/* --check: the lines for stderr */
	size_t nfail;
	int status;
};

enum {
	OPT_AS_OF = 1, OPT_AT_RISK, OPT_CHECK, OPT_CUMULATIVE, OPT_DEFS,
	OPT_EARLY, OPT_FAIL_ON, OPT_GOALS, OPT_LINT
};

static const struct kpi_opt opts[] = {
	{ OPT_AS_OF, "as-of", 0, "date",
	    "the clock: the end of date (YYYY-MM-DD)" },
	{ OPT_AT_RISK, "at-risk", 0, "ratio",
	    "at risk: short by 1 - ratio at most (0.9)" },
	{ OPT_CHECK, "check", 0, NULL,
	    "exit 1 when a goal is off track or missed" },
	{ OPT_CUMULATIVE, "cumulative", 0, "period",
	    "values to date in the month, quarter or year" },
	{ OPT_DEFS, "defs", 0, "file", "read the KPI catalogue and its goals" },
	{ OPT_EARLY, "early", 0, "share",
	    "not off track in this first share (0.2)" },
	{ OPT_FAIL_ON, "fail-on", 0, "status[,status...]",
	    "with --check, also fail on these statuses" },
	{ OPT_GOALS, "goals", 0, "file", "read goals from file" },
	{ OPT_LINT, "lint", 0, NULL, "check the goals, read no points" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct kpi_tool tool = {
	"kpi-goal",
	"usage: kpi-goal [--check] [--lint] [--as-of date] "
	"[--at-risk ratio]\n"
	"                [--cumulative period] [--defs file] "
	"[--early share]\n"
	"                [--fail-on status[,status...]] [--goals file] "
	"[file ...]\n",
	opts
};

/* What the command line asks for, besides go. */
struct args {
	struct kpi_goal_opts go;
	const char *defs, *goals;
	int check, lint;
};

/* A share in (0, 1) for --at-risk, [0, 1) for --early. */
static double
parse_share(const char *s, int zero_ok, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= 0 && v < 1) ||
	    (!zero_ok && v == 0))
		kpi_face_bad(what, s);
	return v;
}

/* --fail-on: statuses added to off_track and missed. */
static unsigned
parse_fail_on(const char *s)
{
	unsigned set = 1u << KPI_ST_OFF_TRACK | 1u << KPI_ST_MISSED;
	const char *bad;

	if (kpi_goal_status_list(s, &set, &bad) < 0)
		kpi_face_bad("bad status in --fail-on", bad);
	return set;
}

/* One failing evaluation: a line for stderr at the end. */
static void
failed(void *arg, const struct kpi_goal_fail *f)
{
	struct run *run = arg;

	kpi_goal_fail_line(&run->fails, f);
	run->nfail++;
}

/* Every goal of --defs and --goals; exits 2 on the first error. */
static struct kpi_defs *
definitions(const struct args *a, struct kpi_goals *gs)
{
	const struct kpi_warn w = { kpi_warn_print, NULL };
	struct kpi_defs *defs;
	struct kpi_err err;

	kpi_err_clear(&err);
	if (kpi_goals_define(a->defs, a->goals, a->lint, gs, &defs, &w,
	    &err) < 0) {
		kpi_msg_err(&err);
		exit(kpi_stdout_finish(KPI_EXIT_ERROR));
	}
	return defs;
}

/* Every point of the inputs. */
static void
run_inputs(struct run *run, const struct kpi_face *f)
{
	struct kpi_rin *in = kpi_face_records(f);
	struct kpi_err err;

	while (kpi_rin_next(in, &run->rec) == 1) {
		kpi_err_clear(&err);
		if (kpi_goal_run_add(run->gr, &run->rec, &err) < 0) {
			kpi_rec_where(&run->rec, &err);
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
		}
	}
	if (kpi_rin_close(in) < 0)
		run->status = KPI_EXIT_ERROR;
}

static void
option(struct args *a, int ch, char *arg)
{
	switch (ch) {
	case OPT_AS_OF:
		if (kpi_date_parse(arg, strlen(arg), &a->go.as_of_day) < 0)
			kpi_face_bad("bad date", arg);
		a->go.has_as_of = 1;
		break;
	case OPT_AT_RISK:
		a->go.at_risk = parse_share(arg, 0, "bad at-risk ratio");
		break;
	case OPT_CHECK: a->check = 1; break;
	case OPT_CUMULATIVE:
		if (kpi_grain_parse(arg, &a->go.cumulative) < 0 ||
		    a->go.cumulative < KPI_MONTH || a->go.cumulative > KPI_YEAR)
			kpi_face_bad("bad cumulative period", arg);
		break;
	case OPT_DEFS: a->defs = arg; break;
	case OPT_EARLY:
		a->go.early = parse_share(arg, 1, "bad early share");
		break;
	case OPT_FAIL_ON:
		a->go.fail_on = parse_fail_on(arg);
		a->check = 1;
		break;
	case OPT_GOALS: a->goals = arg; break;
	case OPT_LINT: a->lint = 1; break;
	}
}

static void
options(struct kpi_face *f, struct args *a)
{
	int ch;

	memset(a, 0, sizeof(*a));
	a->go.cumulative = KPI_ALL;
	a->go.at_risk = KPI_GOAL_AT_RISK;
	a->go.early = KPI_GOAL_EARLY;
	a->go.fail_on = 1u << KPI_ST_OFF_TRACK | 1u << KPI_ST_MISSED;
	while ((ch = kpi_face_next(f)) != -1)
		option(a, ch, f->arg);
	if (a->defs == NULL && a->goals == NULL)
		a->defs = kpi_face_catalogue(f);
	if (a->defs == NULL && a->goals == NULL)
		kpi_face_misuse(f, "no goals: give --defs or --goals");
	if (a->lint && f->nfiles > 0)
		kpi_face_misuse(f, "--lint reads no input");
}

int
main(int argc, char *argv[])
{
	struct kpi_face face;
	struct kpi_goals gs;
	struct kpi_defs *defs;
	struct kpi_out out;
	struct args a;
	struct run run;

	kpi_face_start(&face, &tool, argc, argv);
	options(&face, &a);
	kpi_goals_init(&gs);
	defs = definitions(&a, &gs);
	kpi_out_init(&out, STDOUT_FILENO);
	memset(&run, 0, sizeof(run));
	if (!a.lint) {
		run.gr = kpi_goal_run_new(&gs, defs, &a.go, &out,
		    a.check ? failed : NULL, &run);
		kpi_rec_init(&run.rec);
		kpi_buf_init(&run.fails);
		run_inputs(&run, &face);
		/* The failures follow every evaluation, on stdout first. */
		if (kpi_goal_run_end(run.gr) == 0 && kpi_out_flush(&out) == 0 &&
		    run.fails.len > 0)
			fwrite(run.fails.p, 1, run.fails.len, stderr);
		/* A reader that left saw no verdict: no negative answer. */
		if (run.status == KPI_EXIT_OK && run.nfail > 0 && !out.err_no)
			run.status = KPI_EXIT_FAIL;
		kpi_buf_release(&run.fails);
		kpi_rec_release(&run.rec);
		kpi_goal_run_free(run.gr);
	}
	kpi_goals_release(&gs);
	kpi_defs_free(defs);
	kpi_face_end(&face);
	return kpi_out_finish(&out, run.status);
}
