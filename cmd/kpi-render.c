/*
 * kpi-render - points and evaluations to one report: a terminal table,
 * Markdown, CSV, TSV, an HTML dashboard, JUnit XML, OpenMetrics or JSON.
 * See kpi-render(1) and kpi(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	enum kpi_goal_status st;
	unsigned bits = 0;
	const char *p, *q;

	for (p = s; *p; p = *q ? q + 1 : q) {
		q = p + strcspn(p, ",");
		if (kpi_goal_status_parse(p, (size_t)(q - p), &st) < 0)
			kpi_face_bad("bad status", s);
		bits |= 1u << st;
	}
	if (bits == 0)
		kpi_face_bad("bad status", s);
	return bits;
}

/* Colour for --color when: always, never, or auto (a terminal, and no
   NO_COLOR in the environment, which --color always overrides). */
static int
parse_color(const char *when, int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	if (strcmp(when, "auto") != 0)
		kpi_face_bad("bad --color", when);
	return isatty(fd) && (no == NULL || *no == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

/* The catalogue of --defs; exits 2 when it is bad. */
static struct kpi_defs *
load_defs(const char *file)
{
	struct kpi_defs *d;
	struct kpi_buf text;
	struct kpi_err err;
	int rc;

	if (file == NULL)
		return NULL;
	d = kpi_defs_new();
	kpi_err_clear(&err);
	kpi_buf_init(&text);
	if ((rc = kpi_slurp(file, &text, &err)) == 0)
		rc = kpi_defs_load(d, text.p ? text.p : "", text.len, file, &err);
	if (rc == 0)
		rc = kpi_defs_finish(d, NULL, &err);
	kpi_buf_release(&text);
	if (rc < 0) {
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
	return d;
}

/*
 * --output FILE: a temporary file beside it, renamed over it at the end,
 * so that a reader (the textfile collector) sees the old report or the
 * new one, never half of one.  Sets *tmp (caller frees).
 */
static int
open_output(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	struct stat st;
	mode_t mask;
	int fd;

	/* A rename would replace a device or a pipe, not write to it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		kpi_face_bad("not a regular file:", path);

	*tmp = kpi_xmalloc(strlen(path) + 16);
	memcpy(*tmp, path, dir);
	sprintf(*tmp + dir, ".%s.XXXXXX", path + dir);
	if ((fd = mkstemp(*tmp)) < 0) {
		kpi_msg("%s: %s", path, strerror(errno));
		exit(KPI_EXIT_ERROR);
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	return fd;
}

/* Renames the finished temporary file over path, or removes it. */
static int
close_output(struct kpi_out *o, int status, const char *path, char *tmp)
{
	int err = 0;

	if (kpi_out_release(o) < 0)
		err = o->err_no;
	if (close(o->fd) < 0 && err == 0)
		err = errno;
	if (err)
		kpi_msg("%s: write error: %s", path, strerror(err));
	else if (status == KPI_EXIT_OK && rename(tmp, path) < 0) {
		kpi_msg("%s: %s", path, strerror(errno));
		err = errno;
	}
	if (err || status != KPI_EXIT_OK)
		unlink(tmp);
	free(tmp);
	return err ? KPI_EXIT_ERROR : status;
}

/* Every record of the inputs; a write that fails stops them. */
static void
run_inputs(struct run *run, const struct kpi_face *f)
{
	struct kpi_warn tell = { kpi_warn_print, NULL };
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_reader_opts ro;
	struct kpi_rin *in;
	struct kpi_err err;
	int rc = 0;

	kpi_reader_opts_init(&ro);
	ro.format = KPI_FMT_JSON;
	ro.records = 1;
	in = kpi_rin_open(f->files, f->nfiles, &so, &ro, &tell);
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
	int fd = STDOUT_FILENO;

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
	defs = load_defs(c.defs);
	c.ro.defs = defs;
	c.ro.color = parse_color(c.color, c.output ? -1 : STDOUT_FILENO);
	if (c.output)
		fd = open_output(c.output, &tmp);
	kpi_out_init(&out, fd);
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
