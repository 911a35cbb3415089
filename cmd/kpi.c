/*
 * kpi - the front door: "kpi extract ..." runs kpi-extract, "kpi help
 * extract" opens its manual, "kpi" alone shows the pipeline and the tools.
 * See kpi(1).
 *
 * Commands are found as git finds its own (exec_cmd.c, setup_path): the
 * directory kpi lives in goes first on PATH, so a kpi-extract beside kpi
 * wins over another one on PATH, and what it runs finds its siblings too.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

static const struct kpi_opt opts[] = {
	{ 0, NULL, 0, NULL, NULL }
};

static const struct kpi_tool tool = {
	"kpi",
	"usage: kpi [--help] [--version] command [arg ...]\n"
	"       kpi help [topic]\n",
	opts
};

/* What --help and "kpi" alone show after the options: one screen. */
static const char overview[] =
	"The pipeline, one filter a stage, NDJSON records between them:\n"
	"  kpi extract orders.zip | kpi normalize --preset shopify-orders |\n"
	"      kpi aggregate --every month | kpi goal | kpi render\n"
	"\n"
	"Commands (kpi CMD runs kpi-CMD, found beside kpi or on PATH):\n"
	"  extract    files, archives, compressed streams -> a JSON row a line\n"
	"  normalize  raw rows -> typed rows, by a preset or a mapping spec\n"
	"  aggregate  typed rows -> KPI points per period and dimensions\n"
	"  goal       points -> verdicts: met, on track, at risk, missed ...\n"
	"  render     points and verdicts -> table, Markdown, HTML, CSV ...\n"
	"  help       a manual: kpi help goal; kpi help records for kpi(7)\n";

/* The commands kpi knows; NULL after the last. */
static const char *const commands[] = {
	"extract", "normalize", "aggregate", "goal", "render", "help", NULL
};

static const char *
command_name(size_t i)
{
	return commands[i];
}

/* A name that could be a command: letters, digits and '-'. */
static int
plausible(const char *s)
{
	return *s != '\0' && *s != '-' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s);
}

/* Puts the directory of kpi first on PATH, as git's setup_path does. */
static void
setup_path(const struct kpi_face *f)
{
	char *dir = kpi_face_exec_dir(f->argv[0]);
	const char *old = getenv("PATH");
	struct kpi_buf b;

	if (dir == NULL)
		return;
	kpi_buf_init(&b);
	kpi_buf_addf(&b, "%s%s%s", dir, old && *old ? ":" : "",
	    old ? old : "");
	setenv("PATH", b.p, 1);
	kpi_buf_release(&b);
	free(dir);
}

/* Runs kpi-CMD with the arguments after CMD; returns only on failure. */
static int
run(const struct kpi_face *f)
{
	const char *cmd = f->files[0];
	struct kpi_buf prog;
	int e;

	if (!plausible(cmd))
		kpi_face_bad_name("unknown command", cmd, command_name,
		    "kpi --help lists them");
	kpi_buf_init(&prog);
	kpi_buf_addf(&prog, "kpi-%s", cmd);
	setup_path(f);
	f->files[0] = prog.p;
	fflush(stdout);
	signal(SIGPIPE, SIG_DFL);	/* as the parent had it, for scripts */
	execvp(prog.p, f->files);
	e = errno;
	signal(SIGPIPE, SIG_IGN);
	f->files[0] = (char *)cmd;
	if (e == ENOENT)
		kpi_face_bad_name("unknown command", cmd, command_name,
		    "kpi --help lists them");
	kpi_msg("%s: %s", prog.p, strerror(e));
	kpi_buf_release(&prog);
	return KPI_EXIT_ERROR;
}

/* The manual pages there are, a topic each. */
static const struct { const char *topic, *page, *section; } pages[] = {
	{ "extract", "kpi-extract", "1" },
	{ "normalize", "kpi-normalize", "1" },
	{ "aggregate", "kpi-aggregate", "1" },
	{ "goal", "kpi-goal", "1" },
	{ "render", "kpi-render", "1" },
	{ "help", "kpi", "1" },
	{ "kpi", "kpi", "7" },
	{ "records", "kpi", "7" },
	{ NULL, NULL, NULL }
};

static const char *
topic_name(size_t i)
{
	return pages[i].topic;
}

/*
 * "kpi help TOPIC": man(1) on the page installed beside kpi
 * (bin/../share/man) or in the source tree beside cmd/ (man/), else on
 * the page man finds on its own path.  Returns only on failure.
 */
static int
help(const struct kpi_face *f)
{
	const char *topic = f->files[1];
	struct kpi_buf rel;
	char *path;
	size_t i;

	if (topic == NULL)
		kpi_face_help(f, KPI_EXIT_OK);
	if (strncmp(topic, "kpi-", 4) == 0)
		topic += 4;
	for (i = 0; pages[i].topic && strcmp(pages[i].topic, topic) != 0; i++)
		;
	if (pages[i].topic == NULL)
		kpi_face_bad_name("no manual for", f->files[1], topic_name,
		    NULL);
	kpi_buf_init(&rel);
	kpi_buf_addf(&rel, "share/man/man%s/%s.%s", pages[i].section,
	    pages[i].page, pages[i].section);
	if ((path = kpi_face_data_path(f->argv[0], rel.p)) == NULL) {
		kpi_buf_reset(&rel);
		kpi_buf_addf(&rel, "man/%s.%s", pages[i].page,
		    pages[i].section);
		path = kpi_face_data_path(f->argv[0], rel.p);
	}
	kpi_buf_release(&rel);
	fflush(stdout);
	signal(SIGPIPE, SIG_DFL);
	if (path != NULL)
		execlp("man", "man", "-l", path, (char *)NULL);
	else
		execlp("man", "man", pages[i].section, pages[i].page,
		    (char *)NULL);
	kpi_msg("man: %s", strerror(errno));
	free(path);
	return KPI_EXIT_ERROR;
}

int
main(int argc, char *argv[])
{
	struct kpi_face face;
	int status;

	kpi_face_start(&face, &tool, argc, argv);
	face.more = overview;
	face.stop = 1;
	while (kpi_face_next(&face) != -1)
		;	/* --help and --version only: kpi_face_next ends them */
	/* Like git alone: the overview on stdout, but no command ran. */
	if (face.nfiles == 0)
		kpi_face_help(&face, KPI_EXIT_ERROR);
	if (strcmp(face.files[0], "help") == 0)
		status = help(&face);
	else
		status = run(&face);
	kpi_face_end(&face);
	return status;
}
