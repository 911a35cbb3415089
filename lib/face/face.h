/*
 * face.h - the face the commands share (lib/face/): the command line
 * (opt.c), diagnostics on stderr and closing stdout (face.c).  Only cmd/
 * uses it.
 *
 * This is the one lib room that prints and exits: --help, --version and a
 * command line that does not parse end the program here, before any work,
 * as git's parse-options does.  Everywhere else lib returns a status.
 */
#ifndef KPI_FACE_H
#define KPI_FACE_H

#include "base/base.h"
#include "record/record.h"

/* ---- the command line (opt.c) ---- */

/*
 * One option of a tool.  A table of them, ended by an entry whose key is
 * 0, is the tool's whole command line: the parser, the --help text and
 * face.bats are all read from it.
 */
struct kpi_opt {
	int key;		/* what kpi_face_next returns for it; not 0 */
	const char *name;	/* long name without "--", or NULL */
	int letter;		/* short letter, or 0 */
	const char *arg;	/* its argument's name, or NULL: takes none */
	const char *help;	/* one line for --help */
};

/* A tool: its name, its usage text and its options. */
struct kpi_tool {
	const char *name;	/* "kpi-extract" */
	/*
	 * The man page SYNOPSIS, "usage: kpi-extract [--stats] ...", lines
	 * ending in "\n" (tests/face.bats checks it against the man page).
	 */
	const char *usage;
	const struct kpi_opt *opts;
};

/*
 * The command-line parser of one run, over getopt_long.  Every tool gets
 * -h/--help and --version besides its own options.  Caller-owned; set up
 * by kpi_face_start, freed by kpi_face_end.
 */
struct kpi_face {
	const struct kpi_tool *tool;
	int argc;
	char **argv;
	void *longopts;		/* struct option[], built from the table */
	char *shorts;		/* getopt's option string */
	char *arg;		/* the argument of the option just returned
				   (borrowed from argv) */
	char **files;		/* after the options: the operands (borrowed
				   from argv), NULL-terminated */
	size_t nfiles;
};

/*
 * Sets the program name to tool->name, ignores SIGPIPE (a reader that
 * leaves then shows as EPIPE on write) and prepares to parse argv.
 * tool and argv are borrowed for f's life.
 */
void kpi_face_start(struct kpi_face *f, const struct kpi_tool *tool,
    int argc, char *argv[]);

/*
 * The next option's key, with its argument in f->arg; -1 when the options
 * end, with f->files and f->nfiles set.  Handles --help (the usage, a line
 * per option, "See kpi-TOOL(1).", on stdout, exit 0) and --version
 * ("kpi-TOOL 0.1.0", exit 0) itself, and exits 2 with a message and the
 * usage on stderr for an unknown option ("unknown option '--x'"), a
 * missing argument ("missing argument to '--x'") or a value given to a
 * flag ("no argument allowed to '--x'").
 */
int kpi_face_next(struct kpi_face *f);

/* Frees what f holds (not the strings it borrowed). */
void kpi_face_end(struct kpi_face *f);

/*
 * A bad option value: prints "prog: what 'arg'" on stderr and exits 2,
 * before any output.
 */
void kpi_face_bad(const char *what, const char *arg)
    __attribute__((noreturn));

/*
 * A value that is none of the names name(0), name(1), ... (NULL after the
 * last) takes: prints "prog: what 'arg'", then ": did you mean 'x'?" when
 * one is near (kpi_near), then "(see)" or, when see is NULL, "(one of a,
 * b, c)", on stderr and exits 2, before any output.
 */
void kpi_face_bad_name(const char *what, const char *arg,
    const char *(*name)(size_t i), const char *see)
    __attribute__((noreturn));

/*
 * A definition, spec or file the run needs cannot be had (before any
 * output): prints err as kpi_msg_err does and exits 2.
 */
void kpi_face_fatal(const struct kpi_err *err) __attribute__((noreturn));

/*
 * A command line that parses but does not make sense ("give one of
 * --preset and --spec"): prints "prog: msg", then the usage, on stderr and
 * exits 2.  Needs kpi_face_start first.
 */
void kpi_face_misuse(const struct kpi_face *f, const char *msg)
    __attribute__((noreturn));

/*
 * The files of the command line (f->files; none is standard input) as one
 * record input read with so and ro, each failing file told on stderr.
 * so and ro are copied.  Caller frees with kpi_rin_close.
 */
struct kpi_rin *kpi_face_input(const struct kpi_face *f,
    const struct kpi_source_opts *so, const struct kpi_reader_opts *ro);

/*
 * kpi_face_input for kpi(7) records, as every tool after kpi-extract reads
 * them: JSON, keys kept as they are, archive warnings told on stderr.
 */
struct kpi_rin *kpi_face_records(const struct kpi_face *f);

/*
 * Colour for --color when: 1 for "always", 0 for "never"; for "auto", 1
 * when fd is a terminal, NO_COLOR is unset or empty and TERM is not
 * "dumb".  Any other when: "prog: bad --color 'when'" on stderr, exit 2.
 */
int kpi_face_color(const char *when, int fd);

/* Parses a size ("16M", "512k", "100"): 0, or -1 if bad. */
int kpi_parse_size(const char *s, size_t *size);

/* ---- diagnostics and stdout (face.c) ---- */

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

/* kpi_out_finish for a face that wrote with stdio only (--help). */
int kpi_stdout_finish(int status);

#endif /* KPI_FACE_H */
