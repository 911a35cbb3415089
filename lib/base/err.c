/*
 * err.c - where and what went wrong, filled by lib, printed by the faces.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"

void
kpi_err_clear(struct kpi_err *err)
{
	err->file[0] = '\0';
	err->line = 0;
	err->col = 0;
	err->msg[0] = '\0';
}

static void
err_vset(struct kpi_err *err, const char *file, unsigned long line,
    unsigned long col, const char *fmt, va_list ap)
{
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int
kpi_err_set(struct kpi_err *err, const char *file, unsigned long line,
    unsigned long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

char *
kpi_err_format(const struct kpi_err *err, char *buf, size_t size)
{
	char pos[64] = "";

	if (err->line && err->col)
		snprintf(pos, sizeof(pos), ":%lu:%lu", err->line, err->col);
	else if (err->line)
		snprintf(pos, sizeof(pos), ":%lu", err->line);
	if (err->file[0])
		snprintf(buf, size, "%s%s: %s", err->file, pos, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
	return buf;
}

void
kpi_warn(const struct kpi_warn *w, const char *file, unsigned long line,
    unsigned long col, const char *fmt, ...)
{
	struct kpi_err err;
	va_list ap;

	if (w == NULL || w->fn == NULL)
		return;
	va_start(ap, fmt);
	err_vset(&err, file, line, col, fmt, ap);
	va_end(ap);
	w->fn(w->arg, &err);
}

/* The one global: set once by the face, read by diagnostics and kpi_xmalloc. */
static const char *progname = "kpi";

void
kpi_setprogname(const char *name)
{
	progname = name;
}

const char *
kpi_getprogname(void)
{
	return progname;
}
