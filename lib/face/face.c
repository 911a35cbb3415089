/*
 * face.c - what the five commands share at their edge with the user:
 * the program name, diagnostics on stderr, and closing stdout.
 *
 * This is the one lib room that prints: the faces would otherwise repeat it
 * five times.  It still never exits; the faces return the status it gives.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "face/face.h"

void
kpi_face_init(const char *name)
{
	kpi_setprogname(name);
	/* A reader that leaves must show as EPIPE, whatever the parent set. */
	signal(SIGPIPE, SIG_IGN);
}

void
kpi_msg(const char *fmt, ...)
{
	va_list ap;

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

int
kpi_out_finish(struct kpi_out *o, int status)
{
	int err_no;

	kpi_out_release(o);
	err_no = o->err_no;
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

const char *
kpi_opt_name(char *argv[], int optind, int opt)
{
	static char name[64];
	const char *arg = argv[optind - 1];

	if (strncmp(arg, "--", 2) == 0)
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="),
		    arg);
	else
		snprintf(name, sizeof(name), "-%c", opt);
	return name;
}
