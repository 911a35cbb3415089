/*
 * face.c - what the commands share at their edge with the user: the
 * program name, diagnostics on stderr, and closing stdout.
 *
 * With opt.c, the one lib room that prints: the faces would otherwise
 * repeat it five times.  Only opt.c exits (for --help, --version and
 * misuse); here the faces get the status back and return it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "face/face.h"

void
kpi_msg(const char *fmt, ...)
{
	va_list ap;

	kpi_meter_clear();
	fprintf(stderr, "%s: ", kpi_getprogname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
kpi_msg_err(const struct kpi_err *err)
{
	char buf[1200];

	kpi_msg("%s", kpi_err_format(err, buf, sizeof(buf)));
}

void
kpi_warn_print(void *arg, const struct kpi_err *err)
{
	(void)arg;
	kpi_msg_err(err);
}

/* Closes stdout; err_no is the first write error seen before, or 0. */
static int
finish(int err_no, int status)
{
	/* stdout may hold stdio output too (usage); fclose also closes fd 1. */
	if (fflush(stdout) == EOF && err_no == 0)
		err_no = errno;
	if (fclose(stdout) == EOF && err_no == 0 && errno != EBADF)
		err_no = errno;
	if (err_no == EPIPE)
		return status;
	if (err_no) {
		kpi_msg("write error: %s", strerror(err_no));
		return KPI_EXIT_ERROR;
	}
	return status;
}

int
kpi_out_finish(struct kpi_out *o, int status)
{
	kpi_out_release(o);
	return finish(o->err_no, status);
}

int
kpi_stdout_finish(int status)
{
	return finish(0, status);
}

struct kpi_rin *
kpi_face_input(const struct kpi_face *f, const struct kpi_source_opts *so,
    const struct kpi_reader_opts *ro)
{
	struct kpi_warn tell = { kpi_warn_print, NULL };

	return kpi_rin_open(f->files, f->nfiles, so, ro, &tell);
}

struct kpi_rin *
kpi_face_records(const struct kpi_face *f)
{
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_reader_opts ro;

	kpi_reader_opts_init(&ro);
	ro.format = KPI_FMT_JSON;
	ro.records = 1;
	return kpi_face_input(f, &so, &ro);
}

int
kpi_face_color(const char *when, int fd)
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
