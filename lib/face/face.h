/*
 * face.h - the face the commands share (lib/face/): diagnostics on stderr,
 * options, closing stdout.  Only cmd/ uses it; the one lib room that prints.
 */
#ifndef KPI_FACE_H
#define KPI_FACE_H

#include "base/base.h"
#include "record/record.h"

/* ---- the face the commands share (face.c) ---- */


/* Ignores SIGPIPE so that a closed reader shows as EPIPE on write. */
void kpi_face_init(const char *progname);

/* Prints "prog: message" on stderr. */
void kpi_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "prog: FILE:LINE:COL: msg" for err on stderr. */
void kpi_msg_err(const struct kpi_err *err);

/* A kpi_warn.fn that prints the warning with kpi_msg_err; arg unused. */
void kpi_warn_print(void *arg, const struct kpi_err *err);

/*
 * Flushes and releases o, closes stdout, and returns the exit status the
 * face should use: status as given, KPI_EXIT_OK if the reader left early
 * (EPIPE), or KPI_EXIT_ERROR after printing "write error: ..." on any other
 * write failure.
 */
int kpi_out_finish(struct kpi_out *o, int status);

/*
 * The option getopt_long stopped at, as the user typed it: "-x" for a
 * short one (opt is getopt's optopt), else "--name" without "=value".
 * Borrowed (static): valid until the next call.
 */
const char *kpi_opt_name(char *argv[], int optind, int opt);

/* Parses a size ("16M", "512k", "100"): 0, or -1 if bad. */
int kpi_parse_size(const char *s, size_t *size);

#endif /* KPI_FACE_H */
