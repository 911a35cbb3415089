/*
 * opt.c - the command line of every tool: one table of options per tool,
 * one parser over getopt_long, one --help, one --version, one wording for
 * what does not parse.
 *
 * This and face.c are the one lib room that prints, and this file the one
 * that exits: --help, --version and misuse end the program before any
 * work, as git's parse-options does, so that no face repeats the branches
 * (they drifted when each tool had its own).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "face/face.h"

/*
 * getopt_long's val for the long option at table index i: above any
 * letter, so that optopt tells a long option (a value given to a flag)
 * from a short one and from none (an unknown long option).
 */
#define LONG_VAL 256

/* What every tool takes besides its own options, after them in --help. */
enum { KEY_HELP = -2, KEY_VERSION = -3 };
static const struct kpi_opt common[] = {
	{ KEY_HELP, "help", 'h', NULL, "print this help and exit" },
	{ KEY_VERSION, "version", 0, NULL, "print the version and exit" },
};
#define NCOMMON (sizeof(common) / sizeof(common[0]))

static size_t
count(const struct kpi_tool *t)
{
	size_t n = 0;

	while (t->opts[n].key != 0)
		n++;
	return n;
}

/* Option i of tool t followed by the common ones. */
static const struct kpi_opt *
opt_at(const struct kpi_tool *t, size_t i)
{
	size_t n = count(t);

	return i < n ? &t->opts[i] : &common[i - n];
}

void
kpi_face_start(struct kpi_face *f, const struct kpi_tool *tool, int argc,
    char *argv[])
{
	size_t i, n = count(tool) + NCOMMON, nl = 0;
	struct option *lo;
	char *s;

	kpi_setprogname(tool->name);
	/* A reader that leaves must show as EPIPE, whatever the parent set. */
	signal(SIGPIPE, SIG_IGN);
	memset(f, 0, sizeof(*f));
	f->tool = tool;
	f->argc = argc;
	f->argv = argv;
	lo = kpi_xmalloc((n + 1) * sizeof(*lo));
	s = f->shorts = kpi_xmalloc(2 * n + 3);
	/* "+" (f->stop) ends the options at the first operand; ":" tells a
	   missing argument from an unknown option. */
	*s++ = '+';
	*s++ = ':';
	for (i = 0; i < n; i++) {
		const struct kpi_opt *o = opt_at(tool, i);

		if (o->name) {
			lo[nl].name = o->name;
			lo[nl].has_arg = o->arg ? required_argument :
			    no_argument;
			lo[nl].flag = NULL;
			lo[nl++].val = LONG_VAL + (int)i;
		}
		if (o->letter) {
			*s++ = (char)o->letter;
			if (o->arg)
				*s++ = ':';
		}
	}
	*s = '\0';
	memset(&lo[nl], 0, sizeof(*lo));
	f->longopts = lo;
	opterr = 0;	/* our messages name the program as kpi(7) says */
	optind = 1;
}

void
kpi_face_end(struct kpi_face *f)
{
	free(f->longopts);
	free(f->shorts);
	free(f->catalogue);
	f->longopts = NULL;
	f->shorts = NULL;
	f->catalogue = NULL;
}

/* The usage on fp. */
static void
usage(const struct kpi_tool *t, FILE *fp)
{
	fputs(t->usage, fp);
}

void
kpi_face_bad(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	exit(KPI_EXIT_ERROR);
}

void
kpi_face_bad_name(const char *what, const char *arg,
    const char *(*name)(size_t i), const char *see)
{
	struct kpi_near near;
	struct kpi_buf b;
	const char *s;
	size_t i;

	kpi_near_init(&near, arg);
	for (i = 0; (s = name(i)) != NULL; i++)
		kpi_near_try(&near, s);
	kpi_buf_init(&b);
	kpi_buf_addf(&b, "%s '%s'", what, arg);
	if (near.best != NULL)
		kpi_buf_addf(&b, ": did you mean '%s'?", near.best);
	if (see != NULL)
		kpi_buf_addf(&b, " (%s)", see);
	else
		for (i = 0; (s = name(i)) != NULL; i++)
			kpi_buf_addf(&b, "%s%s", i ? ", " : " (one of ", s);
	if (see == NULL && i > 0)
		kpi_buf_addc(&b, ')');
	kpi_msg("%s", b.p);
	kpi_buf_release(&b);
	exit(KPI_EXIT_ERROR);
}

void
kpi_face_fatal(const struct kpi_err *err)
{
	kpi_msg_err(err);
	exit(KPI_EXIT_ERROR);
}

void
kpi_face_misuse(const struct kpi_face *f, const char *msg)
{
	kpi_msg("%s", msg);
	usage(f->tool, stderr);
	exit(KPI_EXIT_ERROR);
}

/* "prog: what 'name'", the usage, exit 2. */
static void
misuse(const struct kpi_face *f, const char *what, const char *name)
{
	kpi_msg("%s '%s'", what, name);
	usage(f->tool, stderr);
	exit(KPI_EXIT_ERROR);
}

/* The left column of o's --help line: "  -h, --help", "      --by field". */
static void
help_left(const struct kpi_opt *o, char *buf, size_t size)
{
	char lt[8] = "    ";

	if (o->letter)
		snprintf(lt, sizeof(lt), "-%c%s", o->letter,
		    o->name ? ", " : "");
	snprintf(buf, size, "  %s%s%s%s%s", lt, o->name ? "--" : "",
	    o->name ? o->name : "", o->arg ? " " : "", o->arg ? o->arg : "");
}

void
kpi_face_help(const struct kpi_face *f, int status)
{
	const struct kpi_tool *t = f->tool;
	size_t i, n = count(t) + NCOMMON, w = 0;
	char left[128];

	for (i = 0; i < n; i++) {
		help_left(opt_at(t, i), left, sizeof(left));
		if (strlen(left) > w)
			w = strlen(left);
	}
	usage(t, stdout);
	putchar('\n');
	for (i = 0; i < n; i++) {
		help_left(opt_at(t, i), left, sizeof(left));
		printf("%-*s  %s\n", (int)w, left, opt_at(t, i)->help);
	}
	if (f->more != NULL)
		printf("\n%s", f->more);
	printf("\nSee %s(1).\n", t->name);
	exit(kpi_stdout_finish(status));
}

/* The option getopt stopped at, as "--name" or "-x". */
static const char *
typed(const struct kpi_face *f, int val, char *buf, size_t size)
{
	const char *arg;

	if (val >= LONG_VAL)
		snprintf(buf, size, "--%s",
		    opt_at(f->tool, (size_t)(val - LONG_VAL))->name);
	else if (val != 0)
		snprintf(buf, size, "-%c", val);
	else {
		/* An unknown long option: as typed, without its "=value". */
		arg = optind > 0 && optind <= f->argc ? f->argv[optind - 1] : "";
		snprintf(buf, size, "%.*s", (int)strcspn(arg, "="), arg);
	}
	return buf;
}

/* The table entry for getopt's val. */
static const struct kpi_opt *
find(const struct kpi_tool *t, int val)
{
	size_t i, n = count(t) + NCOMMON;

	if (val >= LONG_VAL)
		return opt_at(t, (size_t)(val - LONG_VAL));
	for (i = 0; i < n; i++)
		if (opt_at(t, i)->letter == val)
			return opt_at(t, i);
	abort();	/* getopt returns only letters of the option string */
}

int
kpi_face_next(struct kpi_face *f)
{
	static char *none[] = { NULL };
	const struct kpi_opt *o;
	char name[128];
	int ch;

	ch = getopt_long(f->argc, f->argv, f->shorts + (f->stop ? 0 : 1),
	    f->longopts, NULL);
	if (ch == -1) {
		f->files = optind < f->argc ? f->argv + optind : none;
		f->nfiles = optind < f->argc ? (size_t)(f->argc - optind) : 0;
		return -1;
	}
	if (ch == ':')
		misuse(f, "missing argument to", typed(f, optopt, name,
		    sizeof(name)));
	if (ch == '?')
		misuse(f, optopt >= LONG_VAL ? "no argument allowed to" :
		    "unknown option", typed(f, optopt, name, sizeof(name)));
	o = find(f->tool, ch);
	f->arg = optarg;
	if (o->key == KEY_HELP)
		kpi_face_help(f, KPI_EXIT_OK);
	if (o->key == KEY_VERSION) {
		printf("%s %s\n", f->tool->name, KPI_VERSION);
		exit(kpi_stdout_finish(KPI_EXIT_OK));
	}
	return o->key;
}

int
kpi_parse_size(const char *s, size_t *size)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (*end != '\0' || v == 0 || v > (unsigned long long)SIZE_MAX / mul)
		return -1;
	*size = (size_t)(v * mul);
	return 0;
}
