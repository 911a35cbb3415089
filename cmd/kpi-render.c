/*
 * kpi-render - points and evaluations to one report: a terminal table,
 * Markdown, CSV, TSV, an HTML dashboard, JUnit XML, OpenMetrics or JSON.
 * See kpi-render(1) and kpi(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpi.h"

struct run {
	struct kpi_render *render;
	struct kpi_rec rec;
	int status;
	int stop;		/* a write failed */
};

#define USAGE "usage: kpi-render [--all-periods] [--color when] " \
	"[--defs file]\n" \
	"                  [--fail-on status[,status...]] " \
	"[--format name] [--last n]\n" \
	"                  [--metrics name[,name...]] [--output file] " \
	"[--title text]\n" \
	"                  [file ...]\n"

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
	fputs(USAGE, stderr);
	exit(KPI_EXIT_ERROR);
}

/* --fail-on a,b: a bit per status. */
static unsigned
parse_fail_on(const char *s)
{
	enum kpi_status st;
	unsigned bits = 0;
	const char *p, *q;

	for (p = s; *p; p = *q ? q + 1 : q) {
		q = p + strcspn(p, ",");
		if (kpi_status_parse(p, (size_t)(q - p), &st) < 0)
			bad("bad status", s);
		bits |= 1u << st;
	}
	if (bits == 0)
		bad("bad status", s);
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
		bad("bad --color", when);
	return isatty(fd) && (no == NULL || *no == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

/* Every record of one argument. */
static void
feed_arg(struct run *run, const char *path)
{
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_reader_opts ro;
	struct kpi_source *src;
	struct kpi_reader *rd;
	struct kpi_input *in;
	struct kpi_err err;
	int r = 0, rc;

	kpi_reader_opts_init(&ro);
	ro.format = KPI_FMT_JSON;
	ro.records = 1;
	kpi_err_clear(&err);
	if ((src = kpi_source_open(path, &so, &err)) == NULL) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
		return;
	}
	while (!run->stop && (r = kpi_source_next(src, &in, &err)) == 1) {
		if ((rd = kpi_reader_open(in, &ro, &err)) == NULL) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
			continue;
		}
		while (!run->stop &&
		    (r = kpi_reader_next(rd, &run->rec, &err)) == 1) {
			if ((rc = kpi_render_add(run->render, &run->rec,
			    &err)) == -2)
				run->stop = 1;
			else if (rc < 0) {
				kpi_rec_where(&run->rec, &err);
				kpi_msg_err(&err);
				run->status = KPI_EXIT_ERROR;
			}
		}
		kpi_reader_free(rd);
		if (!run->stop && r < 0) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
		}
	}
	if (!run->stop && r < 0) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
	}
	kpi_source_free(src);
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
		bad("not a regular file:", path);

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

/* The command line, read and checked before any output. */
struct cli {
	struct kpi_render_opts ro;
	const char *defs, *color, *output;
};

/* Exits 0 after --help and --version, wherever stdout goes. */
static void
say(const char *text)
{
	struct kpi_out out;

	kpi_out_init(&out, STDOUT_FILENO);
	kpi_out_write(&out, text, strlen(text));
	exit(kpi_out_finish(&out, KPI_EXIT_OK));
}

/* The options into c; returns the index of the first file. */
static int
parse_args(int argc, char *argv[], struct cli *c)
{
	static const struct option longopts[] = {
		{ "all-periods", no_argument, NULL, 'A' },
		{ "color", required_argument, NULL, 'c' },
		{ "defs", required_argument, NULL, 'd' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "last", required_argument, NULL, 'l' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	long n;
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'A':
			c->ro.all_periods = 1;
			break;
		case 'c':
			c->color = optarg;
			break;
		case 'd':
			c->defs = optarg;
			break;
		case 'f':
			c->ro.format = optarg;
			break;
		case 'F':
			c->ro.fail_on = parse_fail_on(optarg);
			break;
		case 'h':
			say(USAGE);
			break;
		case 'l':
			n = strtol(optarg, &end, 10);
			if (*optarg < '1' || *optarg > '9' || *end != '\0' ||
			    n > 10000)
				bad("bad number of periods", optarg);
			c->ro.last = (size_t)n;
			break;
		case 'M':
			c->ro.metrics = optarg;
			break;
		case 'o':
			c->output = optarg;
			break;
		case 't':
			c->ro.title = optarg;
			break;
		case 'V':
			say("kpi-render " KPI_VERSION "\n");
			break;
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
	return optind;
}

int
main(int argc, char *argv[])
{
	static char *stdin_only[] = { "-", NULL };
	struct kpi_defs *defs;
	struct kpi_out out;
	struct kpi_err err;
	struct run run;
	struct cli c;
	char **files, *tmp = NULL;
	int first, fd = STDOUT_FILENO;

	kpi_face_init("kpi-render");
	memset(&run, 0, sizeof(run));
	memset(&c, 0, sizeof(c));
	c.ro.format = "table";
	c.ro.last = 12;
	c.ro.width = 80;
	c.color = "auto";
	first = parse_args(argc, argv, &c);
	files = first < argc ? argv + first : stdin_only;
	defs = load_defs(c.defs);
	c.ro.defs = defs;
	c.ro.color = parse_color(c.color, c.output ? -1 : STDOUT_FILENO);
	kpi_err_clear(&err);
	if (c.output)
		fd = open_output(c.output, &tmp);
	kpi_out_init(&out, fd);
	if ((run.render = kpi_render_new(&c.ro, &out, &err)) == NULL) {
		kpi_msg("%s; formats: %s", err.msg, kpi_render_formats());
		if (c.output)
			return close_output(&out, KPI_EXIT_ERROR, c.output, tmp);
		return kpi_out_finish(&out, KPI_EXIT_ERROR);
	}
	kpi_rec_init(&run.rec);
	for (; *files && !run.stop; files++)
		feed_arg(&run, *files);
	if (!run.stop)
		kpi_render_finish(run.render);
	kpi_render_free(run.render);
	kpi_rec_release(&run.rec);
	if (defs)
		kpi_defs_free(defs);
	if (c.output)
		return close_output(&out, run.status, c.output, tmp);
	return kpi_out_finish(&out, run.status);
}
