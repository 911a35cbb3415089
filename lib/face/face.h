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
	char *catalogue;	/* kpi_face_catalogue's installed path, or
				   NULL; owned */
	/*
	 * Set by the face after kpi_face_start, before kpi_face_next:
	 * more is printed by --help after the options, before "See ...(1).",
	 * (kpi(1)'s list of the tools); with stop, the options end at the
	 * first operand, as POSIX has it, instead of being taken from
	 * anywhere on the line (kpi(1)'s options come before the command,
	 * whose own options are not kpi's).
	 */
	const char *more;
	int stop;
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
 * Prints --help on stdout (the usage, a line per option, f->more, "See
 * kpi-TOOL(1).") and exits with status, or 2 if stdout fails.
 */
void kpi_face_help(const struct kpi_face *f, int status)
    __attribute__((noreturn));

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

/* ---- what was installed with the program (where.c) ---- */

/*
 * The directory the running program is in: from /proc/self/exe, else from
 * argv0 when it holds a '/'; NULL when neither tells.  Caller frees.
 */
char *kpi_face_exec_dir(const char *argv0);

/*
 * The readable file rel ("share/kpi/kpis.json") relative to the parent of
 * the program's directory, as installed by make install; NULL when there
 * is none.  Caller frees.
 */
char *kpi_face_data_path(const char *argv0, const char *rel);

/*
 * The KPI catalogue a tool reads when its command line names none (no
 * --defs): $KPI_DEFS when set (none when it is set but empty), else the
 * catalogue installed beside the program (bin/../share/kpi/kpis.json,
 * kpi_face_data_path), else none (NULL).  The current directory is not
 * searched: a kpis.json left there would change the numbers unseen.
 * Borrowed from the environment or f, until kpi_face_end.
 */
const char *kpi_face_catalogue(struct kpi_face *f);

/* ---- progress on stderr (meter.c) ---- */

/*
 * A progress meter for long batch work: inputs, rows, bytes and the rate on
 * stderr.  By default only when stderr is a terminal and the work has run
 * a second, redrawn in place; with forced (--progress) always, from the
 * start, as a line every few seconds where stderr is not a terminal, and a
 * final line at the end.  Nothing otherwise: pipes and CI logs stay clean.
 *
 * The hot path is kpi_meter_row, an increment and a compare: the clock is
 * read every KPI_METER_ROWS rows only, so a meter that is off or quiet
 * costs the row loop nothing measurable.  Caller-owned.
 */
#define KPI_METER_ROWS 1024
struct kpi_meter {
	unsigned long rows;		/* rows so far */
	unsigned long next;		/* rows when the clock is read next;
					   ULONG_MAX when off */
	const struct kpi_rin *in;	/* borrowed: inputs and bytes */
	int tty;			/* redraw one line in place */
	int forced;			/* --progress */
	int shown;			/* something was drawn */
	double start, last;		/* monotonic seconds: begun, drawn */
};

/*
 * Starts m over the record input in (borrowed; NULL to count rows only),
 * forced for --progress.
 */
void kpi_meter_start(struct kpi_meter *m, const struct kpi_rin *in,
    int forced);

/* Reads the clock and draws when it is time; kpi_meter_row calls it. */
void kpi_meter_tick(struct kpi_meter *m);

/* Counts one row. */
static inline void
kpi_meter_row(struct kpi_meter *m)
{
	if (++m->rows >= m->next)
		kpi_meter_tick(m);
}

/*
 * Ends m: with ok, the final line ("N inputs, N rows, N MB in N s, N
 * rows/s ...") when forced or when the meter was shown, else nothing;
 * without ok (the reader left, the output failed) only clears the line.
 * Call before the input closes.
 */
void kpi_meter_end(struct kpi_meter *m, int ok);

/*
 * Clears the meter's line on a terminal before a diagnostic is printed on
 * it (kpi_msg does); the meter draws again at its next tick.
 */
void kpi_meter_clear(void);

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
