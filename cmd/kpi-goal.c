/*
 * kpi-goal - points against their goals: status, progress, pacing,
 * projection, anomaly bands; a SMART lint and a CI gate.
 * See kpi-goal(1) and kpi(7).
 */
#include <getopt.h>
#include <math.h>
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

static void
usage(FILE *fp)
{
	fputs("usage: kpi-goal [--check] [--lint] [--as-of date] "
	    "[--at-risk ratio]\n"
	    "                [--cumulative period] [--defs file] "
	    "[--early share]\n"
	    "                [--fail-on status[,status...]] [--goals file] "
	    "[file ...]\n", fp);
}

static void
bad(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	exit(KPI_EXIT_ERROR);
}

static void
misuse(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	usage(stderr);
	exit(KPI_EXIT_ERROR);
}

/* A share in (0, 1) for --at-risk, [0, 1) for --early. */
static double
parse_share(const char *s, int zero_ok, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= 0 && v < 1) ||
	    (!zero_ok && v == 0))
		bad(what, s);
	return v;
}

/* --fail-on: statuses added to off_track and missed. */
static unsigned
parse_fail_on(const char *s)
{
	enum kpi_goal_status st;
	unsigned set = 1u << KPI_ST_OFF_TRACK | 1u << KPI_ST_MISSED;
	size_t n;

	for (; *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (kpi_goal_status_parse(s, n, &st) < 0)
			bad("bad status in --fail-on", s);
		set |= 1u << st;
	}
	return set;
}

/* One failing evaluation: a line for stderr at the end. */
static void
failed(void *arg, const struct kpi_goal_fail *f)
{
	struct run *run = arg;
	struct kpi_buf *b = &run->fails;

	kpi_buf_addf(b, "%s: goal '%s' %s %s: value ", kpi_getprogname(),
	    f->goal, f->dims, f->period);
	if (isnan(f->value))
		kpi_buf_adds(b, "null");
	else
		kpi_json_put_num(b, f->value);
	kpi_buf_adds(b, ", target ");
	if (isnan(f->target))
		kpi_buf_adds(b, "null");
	else
		kpi_json_put_num(b, f->target);
	kpi_buf_addf(b, ": %s\n", kpi_goal_status_name(f->status));
	run->nfail++;
}

/* The catalogue of --defs: its metrics, and its goals into gs. */
static struct kpi_defs *
load_defs(const char *file, struct kpi_goals *gs, struct kpi_err *err)
{
	struct kpi_defs *d = kpi_defs_new();
	struct kpi_buf text;
	int rc;

	kpi_buf_init(&text);
	if ((rc = kpi_slurp(file, &text, err)) == 0)
		rc = kpi_defs_load(d, text.p ? text.p : "", text.len, file,
		    err);
	if (rc == 0)
		rc = kpi_defs_finish(d, NULL, err);
	if (rc == 0)
		rc = kpi_goals_load(gs, text.p ? text.p : "", text.len, file,
		    err);
	kpi_buf_release(&text);
	if (rc < 0) {
		kpi_defs_free(d);
		return NULL;
	}
	return d;
}

/* The goals of --goals into gs. */
static int
load_goals(const char *file, struct kpi_goals *gs, struct kpi_err *err)
{
	struct kpi_buf text;
	int rc;

	kpi_buf_init(&text);
	if ((rc = kpi_slurp(file, &text, err)) == 0)
		rc = kpi_goals_load(gs, text.p ? text.p : "", text.len, file,
		    err);
	kpi_buf_release(&text);
	return rc;
}

/*
 * Every goal of --defs and --goals, linted; exits 2 on the first error,
 * before any output.  lint adds the check that the catalogue defines each
 * goal's metric: an evaluation takes any metric the points have.
 */
static struct kpi_defs *
definitions(const char *defsfile, const char *goalsfile, int lint,
    struct kpi_goals *gs)
{
	const struct kpi_warn w = { kpi_warn_print, NULL };
	struct kpi_defs *defs = NULL;
	struct kpi_goals more;
	struct kpi_err err;
	int rc = 0;

	kpi_err_clear(&err);
	kpi_goals_init(&more);
	if (defsfile && (defs = load_defs(defsfile, gs, &err)) == NULL)
		rc = -1;
	if (rc == 0 && defsfile)
		rc = kpi_goals_lint(gs, defs, lint, defsfile, &w, &err);
	if (rc == 0 && goalsfile && (rc = load_goals(goalsfile, &more,
	    &err)) == 0)
		rc = kpi_goals_lint(&more, defs, lint, goalsfile, &w, &err);
	if (rc == 0 && more.n > 0) {
		gs->g = kpi_xrealloc(gs->g, (gs->n + more.n) * sizeof(*gs->g));
		memcpy(gs->g + gs->n, more.g, more.n * sizeof(*gs->g));
		gs->n += more.n;
		more.n = 0;
	}
	kpi_goals_release(&more);
	if (rc < 0) {
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
	return defs;
}

/* Every point of one argument. */
static void
feed_arg(struct run *run, const char *path)
{
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_reader_opts ro;
	struct kpi_source *src;
	struct kpi_reader *rd;
	struct kpi_input *in;
	struct kpi_err err;
	int r = 0;

	kpi_reader_opts_init(&ro);
	ro.format = KPI_FMT_JSON;
	ro.records = 1;
	kpi_err_clear(&err);
	if ((src = kpi_source_open(path, &so, &err)) == NULL) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
		return;
	}
	while ((r = kpi_source_next(src, &in, &err)) == 1) {
		if ((rd = kpi_reader_open(in, &ro, &err)) == NULL) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
			continue;
		}
		while ((r = kpi_reader_next(rd, &run->rec, &err)) == 1)
			if (kpi_goal_run_add(run->gr, &run->rec, &err) < 0) {
				kpi_rec_where(&run->rec, &err);
				kpi_msg_err(&err);
				run->status = KPI_EXIT_ERROR;
			}
		kpi_reader_free(rd);
		if (r < 0) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
		}
	}
	if (r < 0) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
	}
	kpi_source_free(src);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "at-risk", required_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'c' },
		{ "cumulative", required_argument, NULL, 'C' },
		{ "defs", required_argument, NULL, 'd' },
		{ "early", required_argument, NULL, 'e' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "goals", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ "lint", no_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static char *stdin_only[] = { "-", NULL };
	struct kpi_goal_opts go;
	struct kpi_goals gs;
	struct kpi_defs *defs;
	struct kpi_out out;
	struct run run;
	const char *defsfile = NULL, *goalsfile = NULL;
	char **files;
	int ch, check = 0, lint = 0;

	kpi_face_init("kpi-goal");
	opterr = 0;
	memset(&run, 0, sizeof(run));
	memset(&go, 0, sizeof(go));
	go.cumulative = KPI_ALL;
	go.at_risk = KPI_GOAL_AT_RISK;
	go.early = KPI_GOAL_EARLY;
	go.fail_on = 1u << KPI_ST_OFF_TRACK | 1u << KPI_ST_MISSED;
	kpi_out_init(&out, STDOUT_FILENO);
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (kpi_goal_date(optarg, &go.as_of_day) < 0)
				bad("bad date", optarg);
			go.has_as_of = 1;
			break;
		case 'c':
			check = 1;
			break;
		case 'C':
			if (kpi_grain_parse(optarg, &go.cumulative) < 0 ||
			    go.cumulative < KPI_MONTH ||
			    go.cumulative > KPI_YEAR)
				bad("bad cumulative period", optarg);
			break;
		case 'd':
			defsfile = optarg;
			break;
		case 'e':
			go.early = parse_share(optarg, 1, "bad early share");
			break;
		case 'f':
			go.fail_on = parse_fail_on(optarg);
			check = 1;
			break;
		case 'g':
			goalsfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return kpi_out_finish(&out, KPI_EXIT_OK);
		case 'l':
			lint = 1;
			break;
		case 'r':
			go.at_risk = parse_share(optarg, 0, "bad at-risk ratio");
			break;
		case 'V':
			puts("kpi-goal " KPI_VERSION);
			return kpi_out_finish(&out, KPI_EXIT_OK);
		case ':':
			misuse("missing argument to",
			    kpi_opt_name(argv, optind, optopt));
			break;
		default:
			misuse("unknown option",
			    kpi_opt_name(argv, optind, optopt));
			break;
		}
	}
	files = optind < argc ? argv + optind : stdin_only;
	if (defsfile == NULL && goalsfile == NULL)
		misuse("no goals: give", "--defs or --goals");
	if (lint && optind < argc)
		misuse("--lint reads no input:", argv[optind]);
	kpi_goals_init(&gs);
	defs = definitions(defsfile, goalsfile, lint, &gs);
	if (lint) {
		kpi_goals_release(&gs);
		kpi_defs_free(defs);
		return kpi_out_finish(&out, KPI_EXIT_OK);
	}
	run.gr = kpi_goal_run_new(&gs, defs, &go);
	kpi_rec_init(&run.rec);
	kpi_buf_init(&run.fails);
	for (; *files; files++)
		feed_arg(&run, *files);
	if (kpi_goal_run_emit(run.gr, &out, check ? failed : NULL, &run) == 0
	    && run.fails.len > 0)
		fwrite(run.fails.p, 1, run.fails.len, stderr);
	if (run.status == KPI_EXIT_OK && run.nfail > 0)
		run.status = KPI_EXIT_FAIL;
	kpi_buf_release(&run.fails);
	kpi_rec_release(&run.rec);
	kpi_goal_run_free(run.gr);
	kpi_goals_release(&gs);
	kpi_defs_free(defs);
	return kpi_out_finish(&out, run.status);
}
