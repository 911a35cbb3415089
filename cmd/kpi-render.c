/*
 * kpi-render - points and evaluations to one report: a terminal table,
 * Markdown, CSV, TSV, an HTML dashboard, JUnit XML, OpenMetrics or JSON.
 * See kpi-render(1) and kpi(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

enum {
	OPT_ALL = 1, OPT_COLOR, OPT_DEFS, OPT_FAIL_ON, OPT_FORMAT, OPT_LAST,
	OPT_METRICS, OPT_OUTPUT, OPT_TITLE
};

static const struct kpi_opt opts[] = {
	{ OPT_ALL, "all-periods", 0, NULL,
	    "openmetrics: a sample for every period kept" },
	{ OPT_COLOR, "color", 0, "when",
	    "colour the table: auto, always or never" },
	{ OPT_DEFS, "defs", 0, "file",
	    "take formats, units and stages from the KPI catalogue" },
	{ OPT_FAIL_ON, "fail-on", 0, "status",
	    "junit: fail these statuses too (at_risk,no_data)" },
	{ OPT_FORMAT, "format", 0, "name",
	    "table markdown csv tsv html junit openmetrics json" },
	{ OPT_LAST, "last", 0, "n", "keep the last n periods of a series (12)" },
	{ OPT_METRICS, "metrics", 0, "list",
	    "show only these KPIs, in this order" },
	{ OPT_OUTPUT, "output", 0, "file",
	    "write to file whole, by a temporary file and a rename" },
	{ OPT_TITLE, "title", 0, "text", "the report's title" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct kpi_tool tool = {
	"kpi-render",
	"usage: kpi-render [--all-periods] [--color when] [--defs file]\n"
	"                  [--fail-on status[,status...]] [--format name] "
	"[--last n]\n"
	"                  [--metrics name[,name...]] [--output file] "
	"[--title text]\n"
	"                  [file ...]\n",
	opts
};

struct run {
	struct kpi_render *render;
	struct kpi_rec rec;
	int status;
};

/* --fail-on a,b: a bit per status. */
static unsigned
parse_fail_on(const char *s)
{
	unsigned bits = 0;
	const char *bad;

	if (kpi_goal_status_list(s, &bits, &bad) < 0 || bits == 0)
		kpi_face_bad("bad status", s);
	return bits;
}

/* The catalogue of --defs; exits 2 when it is bad. */
static struct kpi_defs *
load_defs(const char *file)
{
	struct kpi_defs *d;
	struct kpi_err err;

	if (file == NULL)
		return NULL;
	d = kpi_defs_new();
	kpi_err_clear(&err);
	if (kpi_goals_read(file, NULL, d, &err) < 0) {
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
	return d;
}

/* --output FILE, written whole (kpi_out_temp); exits 2 when it cannot be. */
static void
open_output(struct kpi_out *o, const char *path, char **tmp)
{
	struct kpi_err err;
	int rc;

	kpi_err_clear(&err);
	if ((rc = kpi_out_temp(o, path, tmp, &err)) == -2)
		kpi_face_bad("not a regular file:", path);
	if (rc < 0) {
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
}

/* Renames the finished report over --output, or removes it. */
static int
close_output(struct kpi_out *o, int status, const char *path, char *tmp)
{
	struct kpi_err err;

	kpi_err_clear(&err);
	if (kpi_out_rename(o, status == KPI_EXIT_OK, path, tmp, &err) < 0) {
		kpi_msg_err(&err);
		return KPI_EXIT_ERROR;
	}
	return status;
}

/* Every record of the inputs; a write that fails stops them. */
static void
run_inputs(struct run *run, const struct kpi_face *f)
{
	struct kpi_rin *in = kpi_face_records(f);
	struct kpi_err err;
	int rc = 0;

	while (rc != -2 && kpi_rin_next(in, &run->rec) == 1) {
		kpi_err_clear(&err);
		if ((rc = kpi_render_add(run->render, &run->rec, &err)) == -1) {
			kpi_rec_where(&run->rec, &err);
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
		}
	}
	if (kpi_rin_close(in) < 0)
		run->status = KPI_EXIT_ERROR;
	if (rc != -2)
		kpi_render_finish(run->render);
}

/* The command line, read and checked before any output. */
struct cli {
	struct kpi_render_opts ro;
	const char *defs, *color, *output;
};

static void
options(struct kpi_face *f, struct cli *c)
{
	char *end;
	long n;
	int ch;

	while ((ch = kpi_face_next(f)) != -1) {
		switch (ch) {
		case OPT_ALL:
			c->ro.all_periods = 1;
			break;
		case OPT_COLOR:
			c->color = f->arg;
			break;
		case OPT_DEFS:
			c->defs = f->arg;
			break;
		case OPT_FAIL_ON:
			c->ro.fail_on = parse_fail_on(f->arg);
			break;
		case OPT_FORMAT:
			c->ro.format = f->arg;
			break;
		case OPT_LAST:
			n = strtol(f->arg, &end, 10);
			if (*f->arg < '1' || *f->arg > '9' || *end != '\0' ||
			    n > 10000)
				kpi_face_bad("bad number of periods", f->arg);
			c->ro.last = (size_t)n;
			break;
		case OPT_METRICS:
			c->ro.metrics = f->arg;
			break;
		case OPT_OUTPUT:
			c->output = f->arg;
			break;
		case OPT_TITLE:
			c->ro.title = f->arg;
			break;
		}
	}
}

int
main(int argc, char *argv[])
{
	struct kpi_defs *defs;
	struct kpi_face face;
	struct kpi_out out;
	struct kpi_err err;
	struct run run;
	struct cli c;
	char *tmp = NULL;

	kpi_face_start(&face, &tool, argc, argv);
	memset(&run, 0, sizeof(run));
	memset(&c, 0, sizeof(c));
	c.ro.format = "table";
	c.ro.last = 12;
	c.ro.width = 80;
	c.color = "auto";
	options(&face, &c);
	if (!kpi_render_known(c.ro.format))
		kpi_face_bad("unknown format", c.ro.format);
	defs = load_defs(c.defs ? c.defs : kpi_face_catalogue(&face));
	c.ro.defs = defs;
	c.ro.color = kpi_face_color(c.color, c.output ? -1 : STDOUT_FILENO);
	if (c.output)
		open_output(&out, c.output, &tmp);
	else
		kpi_out_init(&out, STDOUT_FILENO);
	kpi_err_clear(&err);
	run.render = kpi_render_new(&c.ro, &out, &err);
	kpi_rec_init(&run.rec);
	run_inputs(&run, &face);
	kpi_render_free(run.render);
	kpi_rec_release(&run.rec);
	kpi_defs_free(defs);
	kpi_face_end(&face);
	if (c.output)
		return close_output(&out, run.status, c.output, tmp);
	return kpi_out_finish(&out, run.status);
}
