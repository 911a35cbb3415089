/*
 * kpi.h - the library behind the kpi-* filters.
 *
 * The data's way through the rooms of lib/:
 *
 *   source.c  a path or "-", archives and compressed streams  -> kpi_input
 *   text.c    byte order marks, UTF-16, 8-bit text             -> UTF-8 bytes
 *   csv.c     RFC 4180 records, header, sniffing               -> kpi_rec rows
 *   jsonin.c  NDJSON, arrays of objects, --path                -> kpi_rec rows
 *   reader.c  picks csv or json for an input, adds provenance  -> kpi_rec rows
 *   json.c    the record codec: parse one object, write one    <-> bytes
 *   out.c     buffered, checked record output
 *
 * Lower rooms know nothing of the higher ones.  Nothing in lib prints or exits,
 * except face.c (the face the commands share: program name, diagnostics,
 * closing stdout) and kpi_xmalloc, which stops the program when memory runs
 * out, as git's xmalloc does: no caller could do anything better.
 *
 * Ownership is said at each declaration.  "Borrowed" pointers stay valid
 * until the owner's next call that the declaration names.
 */
#ifndef KPI_H
#define KPI_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define KPI_VERSION "0.1.0"

/* Exit statuses of every tool; see kpi(7) EXIT STATUS. */
enum kpi_exit {
	KPI_EXIT_OK = 0,	/* success */
	KPI_EXIT_FAIL = 1,	/* a documented negative answer (goal missed) */
	KPI_EXIT_ERROR = 2	/* usage, input, definition or I/O error */
};

/* ---- errors (err.c) ---- */

/*
 * Where and what went wrong.  file is the display name ("orders.csv",
 * "exports.zip:2024-01.csv", "<stdin>"), empty when no file is concerned;
 * line and col count from 1, 0 when unknown.
 */
struct kpi_err {
	char file[512];
	unsigned long line;
	unsigned long col;
	char msg[512];
};

/* Clears err. */
void kpi_err_clear(struct kpi_err *err);

/* Fills err; file may be NULL.  Always returns -1, for "return kpi_err_set()". */
int kpi_err_set(struct kpi_err *err, const char *file, unsigned long line,
    unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Formats err as "FILE:LINE:COL: msg" (the parts that are known) into buf.
 * Returns buf.
 */
char *kpi_err_format(const struct kpi_err *err, char *buf, size_t size);

/*
 * Something worth saying that does not stop the work (a ragged row, a
 * replaced byte).  Readers call fn(arg, err) once per such event; fn may be
 * NULL to ignore warnings.
 */
struct kpi_warn {
	void (*fn)(void *arg, const struct kpi_err *err);
	void *arg;
};

/* Calls w->fn if set, with an error built like kpi_err_set(). */
void kpi_warn(const struct kpi_warn *w, const char *file, unsigned long line,
    unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- memory and buffers (buf.c) ---- */

/* malloc/realloc that stop the program with status 2 when memory runs out. */
void *kpi_xmalloc(size_t n);		/* Caller frees. */
void *kpi_xrealloc(void *p, size_t n);	/* Caller frees the result. */
char *kpi_xstrdup(const char *s);	/* Caller frees. */
char *kpi_xmemdup(const void *p, size_t n); /* NUL added; caller frees. */

/* A growable byte string, always NUL-terminated when p != NULL. */
struct kpi_buf {
	char *p;
	size_t len;
	size_t cap;
};

void kpi_buf_init(struct kpi_buf *b);			/* empty, no allocation */
void kpi_buf_release(struct kpi_buf *b);		/* frees what b holds */
void kpi_buf_reset(struct kpi_buf *b);			/* len = 0, keeps memory */
void kpi_buf_grow(struct kpi_buf *b, size_t extra);	/* room for extra more */
void kpi_buf_add(struct kpi_buf *b, const void *p, size_t n);
void kpi_buf_addc(struct kpi_buf *b, int c);
void kpi_buf_adds(struct kpi_buf *b, const char *s);
void kpi_buf_addf(struct kpi_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * An arena: many small allocations freed at once.  Memory handed out never
 * moves, so pointers into it stay valid until kpi_arena_reset or
 * kpi_arena_release.  Reset keeps one block for reuse, so a record built
 * per row costs no malloc in the steady state.
 */
struct kpi_arena {
	struct kpi_arena_block *head;
	size_t used;		/* bytes used in head */
};

void kpi_arena_init(struct kpi_arena *a);
void kpi_arena_release(struct kpi_arena *a);
void kpi_arena_reset(struct kpi_arena *a);
void *kpi_arena_alloc(struct kpi_arena *a, size_t n);	/* owned by a; aligned */
char *kpi_arena_strndup(struct kpi_arena *a, const char *s, size_t n); /* NUL added */

/* ---- UTF-8 (utf8.c) ---- */

/* Returns the length of the longest valid UTF-8 prefix of s[0..n). */
size_t kpi_utf8_valid_prefix(const char *s, size_t n);

/* Appends s[0..n), read as Windows-1252, to b as UTF-8. */
void kpi_cp1252_to_utf8(struct kpi_buf *b, const char *s, size_t n);

/* Appends s[0..n), read as ISO-8859-1, to b as UTF-8. */
void kpi_latin1_to_utf8(struct kpi_buf *b, const char *s, size_t n);

/* Appends s[0..n) to b with each invalid UTF-8 sequence replaced by U+FFFD. */
void kpi_utf8_repair(struct kpi_buf *b, const char *s, size_t n);

/* Appends code point cp to b as UTF-8 (U+FFFD for surrogates and > 0x10FFFF). */
void kpi_utf8_put(struct kpi_buf *b, unsigned long cp);

/* ---- records (record.c) ---- */

/* The JSON types a record field can hold. */
enum kpi_vtype {
	KPI_NULL,
	KPI_FALSE,
	KPI_TRUE,
	KPI_NUM,	/* s/len: the number as written, or NULL when computed; num */
	KPI_STR,	/* s/len: the decoded UTF-8 string (no escapes) */
	KPI_RAW		/* s/len: a nested object or array as compact JSON text */
};

struct kpi_val {
	enum kpi_vtype type;
	const char *s;		/* borrowed; see kpi_rec */
	size_t len;
	double num;		/* KPI_NUM only */
	unsigned char clean;	/* KPI_STR: no byte of s needs escaping in
				   JSON (no '"', '\\' or control byte), so
				   writers may copy it as it is */
};

struct kpi_field {
	const char *key;	/* borrowed; see kpi_rec; NUL-terminated */
	size_t klen;
	struct kpi_val v;
	unsigned char kclean;	/* the key needs no escaping (as clean) */
};

/*
 * One record: an ordered list of fields.  The field array and the arena are
 * the record's own.  Keys and string values are either borrowed from whoever
 * added them (they must outlive the record's use; readers document how long
 * theirs live) or copied into the record's arena by the *_copy functions.
 * kpi_rec_clear empties the record and its arena and keeps the memory.
 */
struct kpi_rec {
	struct kpi_field *f;
	size_t n;
	size_t cap;
	struct kpi_arena arena;
};

void kpi_rec_init(struct kpi_rec *r);
void kpi_rec_release(struct kpi_rec *r);
void kpi_rec_clear(struct kpi_rec *r);

/*
 * Appends a field; key and v->s are borrowed.  Returns the new field, its
 * kclean unset (set it when the key is known to need no escaping).
 */
struct kpi_field *kpi_rec_add(struct kpi_rec *r, const char *key, size_t klen,
    const struct kpi_val *v);

/* Appends a string field; key and s are borrowed. */
void kpi_rec_add_str(struct kpi_rec *r, const char *key, size_t klen,
    const char *s, size_t len);

/* Appends a computed number (written in shortest round-trip form); key borrowed. */
void kpi_rec_add_num(struct kpi_rec *r, const char *key, size_t klen, double num);

/* Appends a null field; key borrowed. */
void kpi_rec_add_null(struct kpi_rec *r, const char *key, size_t klen);

/*
 * Sets err->file and err->line from the record's "_src" and "_line" (where
 * its row began), for a message about it; err->col is cleared.
 */
void kpi_rec_where(const struct kpi_rec *r, struct kpi_err *err);

/* Returns the field named key, or NULL.  Borrowed from r. */
struct kpi_field *kpi_rec_find(const struct kpi_rec *r, const char *key,
    size_t klen);

/* ---- the record codec (json.c) ---- */

/*
 * Parses the JSON object in s[0..n) (surrounding whitespace allowed) into r,
 * which is cleared first.  Keys and strings are decoded into r's arena;
 * nested objects and arrays become KPI_RAW compact text; numbers keep their
 * text.  A string that is not valid UTF-8 is read as Windows-1252 when
 * cp1252_fallback is set, else is an error.  Duplicate keys: the last value
 * wins, at the first key's position.  On error returns -1 and sets err->line
 * (1-based, counted from s) and err->col and err->msg; err->file is left as is.
 */
int kpi_json_parse_object(struct kpi_rec *r, const char *s, size_t n,
    int cp1252_fallback, struct kpi_err *err);

/*
 * Parses the JSON array in s[0..n) into r, cleared first: one field per
 * element, in order, each with the key "", decoded as an object's values
 * are.  Returns 0, or -1 with err set as kpi_json_parse_object does.
 */
int kpi_json_parse_array(struct kpi_rec *r, const char *s, size_t n,
    struct kpi_err *err);

/* Whether s[0..n) can be written in JSON as it is (no '"', '\\', < 0x20). */
int kpi_json_clean(const char *s, size_t n);

/* Appends s[0..n) as a JSON string literal (with quotes) to b. */
void kpi_json_put_str(struct kpi_buf *b, const char *s, size_t n);

/*
 * Appends num in the shortest form that reads back as the same double;
 * integral values below 2^53 as integers; -0 as 0; NaN and infinities as null.
 */
void kpi_json_put_num(struct kpi_buf *b, double num);

/* Appends v as JSON to b. */
void kpi_json_put_val(struct kpi_buf *b, const struct kpi_val *v);

/* Appends r as one compact JSON object, without a newline, to b. */
void kpi_json_put_rec(struct kpi_buf *b, const struct kpi_rec *r);

/* ---- output (out.c) ---- */

/*
 * Buffered record output to a file descriptor.  Every write is checked; the
 * first failure is kept in err_no and later writes do nothing.  EPIPE (the
 * reader left, as with "| head") is told apart so faces can exit quietly.
 */
struct kpi_out {
	int fd;
	struct kpi_buf buf;
	int err_no;		/* 0, or the errno of the first failed write */
};

void kpi_out_init(struct kpi_out *o, int fd);

/* Writes r and a newline.  Returns 0, or -1 with o->err_no set. */
int kpi_out_rec(struct kpi_out *o, const struct kpi_rec *r);

/* Writes s[0..n) as is.  Returns 0, or -1 with o->err_no set. */
int kpi_out_write(struct kpi_out *o, const char *s, size_t n);

/* Writes what is buffered.  Returns 0, or -1 with o->err_no set. */
int kpi_out_flush(struct kpi_out *o);

/* Flushes and frees the buffer (the fd stays open).  Returns as kpi_out_flush. */
int kpi_out_release(struct kpi_out *o);

/* ---- inputs: files, archives, compressed streams (source.c) ---- */

struct kpi_source_opts {
	const char *const *members;	/* --member globs; borrowed */
	size_t nmembers;
	struct kpi_warn warn;
};

/* One readable text stream: a plain file, stdin, or an archive member. */
struct kpi_input;

/*
 * Reads up to n bytes.  Returns the count, 0 at the end, or -1 with err set
 * (err->file names the input).
 */
ssize_t kpi_input_read(struct kpi_input *in, void *buf, size_t n,
    struct kpi_err *err);

/* The display name, "orders.csv" or "exports.zip:jan.csv".  Borrowed from in. */
const char *kpi_input_name(const struct kpi_input *in);

/* The name used to guess the format, without compression suffix.  Borrowed. */
const char *kpi_input_format_name(const struct kpi_input *in);

/*
 * One command-line argument: a path or "-" (standard input, named
 * "<stdin>").  Compression and archives are detected by content.
 * Returns NULL with err set when the path cannot be opened.  Caller frees
 * with kpi_source_free.
 */
struct kpi_source *kpi_source_open(const char *path,
    const struct kpi_source_opts *opts, struct kpi_err *err);

/*
 * Moves to the next text input of the source: the file itself, or the next
 * selected archive member (nested archives are walked).  Returns 1 and sets
 * *in (borrowed, valid until the next kpi_source_next or kpi_source_free),
 * 0 when there is no more, -1 with err set when the source is damaged; after
 * -1 the source yields nothing more.
 */
int kpi_source_next(struct kpi_source *src, struct kpi_input **in,
    struct kpi_err *err);

void kpi_source_free(struct kpi_source *src);

/*
 * Reads the whole file at path into b (a definition file, a spec: small by
 * nature).  Returns 0, or -1 with err set.
 */
int kpi_slurp(const char *path, struct kpi_buf *b, struct kpi_err *err);

/*
 * An input over the bytes p[0..n) (borrowed for the input's life), named
 * name (copied): for tests and for text already in memory.  Caller frees
 * with kpi_input_free; only inputs made here may be freed that way.
 */
struct kpi_input *kpi_input_mem(const char *name, const void *p, size_t n);
void kpi_input_free(struct kpi_input *in);

/* ---- text decoding (text.c) ---- */

enum kpi_enc {
	KPI_ENC_AUTO,		/* BOM sniffing; UTF-8 with Windows-1252 fallback */
	KPI_ENC_UTF8,		/* UTF-8; invalid sequences become U+FFFD */
	KPI_ENC_CP1252,
	KPI_ENC_LATIN1,
	KPI_ENC_UTF16LE,
	KPI_ENC_UTF16BE
};

/* Parses an --encoding name.  Returns 0, or -1 for an unknown name. */
int kpi_enc_parse(const char *name, enum kpi_enc *enc);

/*
 * A decoding stream over an input.  UTF-16 (by BOM or by choice) is
 * transcoded to UTF-8 and a UTF-8 BOM is dropped.  8-bit encodings are passed
 * through as bytes: their per-field conversion is kpi_text_fix's job, so that
 * plain UTF-8 costs no copy.  A NUL byte in 8-bit text is an error ("not a
 * text file").
 */
struct kpi_text;

/* Caller frees with kpi_text_free; in is borrowed for the text's life. */
struct kpi_text *kpi_text_open(struct kpi_input *in, enum kpi_enc enc);

/* Reads decoded bytes: count, 0 at the end, -1 with err set. */
ssize_t kpi_text_read(struct kpi_text *t, char *buf, size_t n,
    struct kpi_err *err);

/*
 * Makes s[0..n), a field read from t, valid UTF-8.  Returns s itself when it
 * already is (the common case), else a pointer into scratch (reset first)
 * holding the converted text, with *outlen set either way.  *replaced is set
 * when bytes were replaced by U+FFFD (KPI_ENC_UTF8 only).
 */
const char *kpi_text_fix(const struct kpi_text *t, const char *s, size_t n,
    struct kpi_buf *scratch, size_t *outlen, int *replaced);

/*
 * Reads ahead up to n (at most 4096) decoded bytes without taking them:
 * later kpi_text_read calls return them first.  Sets *p (borrowed from t,
 * valid until the next read) and returns the count, or -1 with err set.
 */
ssize_t kpi_text_peek(struct kpi_text *t, const char **p, size_t n,
    struct kpi_err *err);

/* The encoding in effect after BOM sniffing. */
enum kpi_enc kpi_text_enc(const struct kpi_text *t);

void kpi_text_free(struct kpi_text *t);

/* ---- readers: CSV and JSON inputs as rows (csv.c, jsonin.c, reader.c) ---- */

enum kpi_format {
	KPI_FMT_AUTO,
	KPI_FMT_CSV,
	KPI_FMT_TSV,
	KPI_FMT_JSON		/* NDJSON, JSON Lines, arrays of objects */
};

/* Parses a --format name (csv, tsv, ndjson, jsonl, json).  0, or -1. */
int kpi_format_parse(const char *name, enum kpi_format *fmt);

struct kpi_reader_opts {
	enum kpi_format format;
	enum kpi_enc enc;
	int delim;		/* 0: sniff */
	long skip;		/* -1: detect the preamble; else lines to skip */
	int strict;		/* ragged rows are errors */
	size_t max_field;	/* longest field or JSON record, bytes */
	const char *path;	/* --path "a.b": the array of objects; or NULL */
	int records;		/* kpi records: keys kept as they are, and
				   "_src"/"_line" added only when absent */
	struct kpi_warn warn;
};

/* Sets the defaults: auto format and encoding, sniffing, 16 MiB fields. */
void kpi_reader_opts_init(struct kpi_reader_opts *o);

struct kpi_reader;

/*
 * Opens a reader of rows over in (borrowed for the reader's life).  Returns
 * NULL with err set when the input cannot be read at all.  Caller frees.
 */
struct kpi_reader *kpi_reader_open(struct kpi_input *in,
    const struct kpi_reader_opts *opts, struct kpi_err *err);

/*
 * Reads the next row into r (cleared first) with its "_src" and "_line".
 * r's strings are borrowed from the reader until its next call.  Returns 1
 * for a row, 0 at the end, -1 with err set; after -1 the reader is done.
 */
int kpi_reader_next(struct kpi_reader *rd, struct kpi_rec *r,
    struct kpi_err *err);

void kpi_reader_free(struct kpi_reader *rd);

/* The CSV and JSON readers behind kpi_reader; same contracts. */
struct kpi_csv;
struct kpi_csv *kpi_csv_open(struct kpi_text *t, const char *name,
    const struct kpi_reader_opts *opts, struct kpi_err *err);
/* Sets *line to the line the row starts on. */
int kpi_csv_next(struct kpi_csv *c, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err);
void kpi_csv_free(struct kpi_csv *c);

struct kpi_jsonin;
struct kpi_jsonin *kpi_jsonin_open(struct kpi_text *t, const char *name,
    const struct kpi_reader_opts *opts, struct kpi_err *err);
int kpi_jsonin_next(struct kpi_jsonin *j, struct kpi_rec *r,
    unsigned long *line, struct kpi_err *err);
void kpi_jsonin_free(struct kpi_jsonin *j);

/* ---- numbers as people and platforms write them (num.c) ---- */

enum kpi_numkind {
	KPI_NUMBER,		/* 1,234.50  1e21  (12.00) */
	KPI_INTEGER,		/* as number, but integral and no exponent */
	KPI_MONEY,		/* as number, with a currency symbol or code */
	KPI_PERCENT		/* as number; "2.35%" is 0.0235 */
};

/*
 * Whether s[0..n) is a null marker: empty or blank, "-", "--", "N/A" and
 * the others kpi(7) lists.  Extra markers come from the mapping spec.
 */
int kpi_null_marker(const char *s, size_t n);

/*
 * Parses s[0..n) as a number of the given kind, with decimal mark '.' or
 * ','.  Returns 1 with *out set, 0 for a null marker (*out untouched), -1
 * when the text is not a number of that kind.  Never depends on the locale.
 */
int kpi_num_parse(const char *s, size_t n, enum kpi_numkind kind,
    int decimal, double *out);

/*
 * Parses s[0..n) as a boolean (true/false, yes/no, y/n, t/f, 1/0, any
 * case).  Returns 1 with *out set to 0 or 1, 0 for a null marker, -1 if not.
 */
int kpi_bool_parse(const char *s, size_t n, int *out);

/* ---- time zones and times (tz.c, time.c) ---- */

/* A time zone read from the system's zoneinfo (TZif), or UTC. */
struct kpi_tz;

/*
 * Opens zone name ("UTC", "Europe/London").  Returns NULL with err set
 * when there is no such zone.  Caller frees with kpi_tz_free.
 */
struct kpi_tz *kpi_tz_open(const char *name, struct kpi_err *err);
void kpi_tz_free(struct kpi_tz *tz);

/* The zone's offset from UTC, in seconds, at instant t (Unix seconds). */
long kpi_tz_offset(const struct kpi_tz *tz, long long t);

/*
 * The instant of a wall-clock time in the zone, given as seconds since
 * 1970-01-01T00:00 of the wall clock.  A time in a DST gap moves forward by
 * the gap; a time in an overlap takes the earlier instant.
 */
long long kpi_tz_from_local(const struct kpi_tz *tz, long long local);

/* An instant with the offset it is shown in. */
struct kpi_time {
	long long t;		/* Unix seconds */
	long nsec;		/* 0 to 999999999 */
	long off;		/* offset to show, seconds east of UTC */
};

/* Compiled time formats (a spec's "format"); see kpi-normalize(1). */
struct kpi_timefmt;

/*
 * Compiles one format ("auto", "rfc3339", "yyyymmdd", "epoch", "epoch_ms"
 * or a pattern such as "%d/%m/%Y %H:%M").  Returns NULL with err->msg set
 * for a bad pattern.  Caller frees with kpi_timefmt_free.
 */
struct kpi_timefmt *kpi_timefmt_compile(const char *fmt, struct kpi_err *err);
void kpi_timefmt_free(struct kpi_timefmt *f);

/*
 * Parses s[0..n) with f.  A value without an offset is read in zone tz.
 * Returns 1 with *out set, 0 for a null marker, -1 if it does not parse.
 * With date_only, the value's calendar date is the result, as 00:00 UTC
 * of that date (t) with off 0: no zone is applied.
 */
int kpi_time_parse(const struct kpi_timefmt *f, const char *s, size_t n,
    const struct kpi_tz *tz, int date_only, struct kpi_time *out);

/*
 * Appends t as RFC 3339, "2024-01-05T14:02:11-05:00": seconds always,
 * milliseconds only when not zero (".250"), "Z" for offset 0.
 */
void kpi_time_put(struct kpi_buf *b, const struct kpi_time *t);

/* Appends the calendar date of t in its offset, "2024-01-05". */
void kpi_date_put(struct kpi_buf *b, const struct kpi_time *t);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long long kpi_days_from_civil(long long y, unsigned m, unsigned d);
void kpi_civil_from_days(long long days, long long *y, unsigned *m,
    unsigned *d);

/* ---- calendar periods (period.c) ---- */

enum kpi_grain {
	KPI_DAY, KPI_WEEK, KPI_MONTH, KPI_QUARTER, KPI_YEAR, KPI_ALL
};

/* How time is cut into periods; see kpi-aggregate(1) PERIODS. */
struct kpi_calendar {
	enum kpi_grain grain;
	int week_start;			/* 1 Monday (ISO) ... 7 Sunday */
	int fy_start;			/* first month of the fiscal year, 1-12 */
	const struct kpi_tz *tz;	/* borrowed; periods are local to it */
};

/* One period: [start, end) in Unix seconds, and its label. */
struct kpi_period {
	long long start;
	long long end;
	long long index;		/* consecutive periods differ by 1 */
	char label[24];			/* "2024-W10", "2024-03", "FY2025-Q1" */
};

/* Parses day, week, month, quarter, year, all: 0, or -1. */
int kpi_grain_parse(const char *name, enum kpi_grain *grain);

/* The name of grain, as kpi_grain_parse takes it.  Static. */
const char *kpi_grain_name(enum kpi_grain grain);

/* The period holding instant t. */
void kpi_period_of(const struct kpi_calendar *cal, long long t,
    struct kpi_period *out);

/* The period n periods after p (before, for n < 0). */
void kpi_period_shift(const struct kpi_calendar *cal,
    const struct kpi_period *p, long long n, struct kpi_period *out);

/* ---- reducers: mergeable per-group state (reduce.c) ---- */

enum kpi_red {
	KPI_R_SUM,		/* sum(field) */
	KPI_R_COUNT,		/* count(): rows */
	KPI_R_COUNT_FIELD,	/* count(field): rows where field is not null */
	KPI_R_DISTINCT,		/* distinct(field): exact number of values */
	KPI_R_MEAN,		/* mean(field) */
	KPI_R_MIN,		/* min(field) */
	KPI_R_MAX,		/* max(field) */
	KPI_R_MEDIAN,		/* median(field), exact */
	KPI_R_PCT,		/* pNN(field), exact, NN in (0, 100) */
	KPI_R_FIRST,		/* first(field): the value at the earliest time */
	KPI_R_LAST,		/* last(field): the value at the latest time */
	KPI_R_STDDEV		/* stddev(field): sample standard deviation */
};

/*
 * Parses a reducer name ("sum", "p90", ...): 0 with *red (and *pct for
 * pNN) set, or -1.
 */
int kpi_red_parse(const char *name, size_t n, enum kpi_red *red, double *pct);

/* One reducer's state for one group; see reduce.c for each kind's state. */
struct kpi_rstate;

/* A new empty state.  Caller frees with kpi_rstate_free. */
struct kpi_rstate *kpi_rstate_new(enum kpi_red red, double pct);
void kpi_rstate_free(struct kpi_rstate *st);

/*
 * Adds one row's value (v may be NULL for count(); a null value counts
 * only for count()), seen at time t (Unix seconds; for first and last, and
 * ties there go to the earlier row for first and the later row for last).
 * Numbers are KPI_NUM; distinct also takes strings.  Returns 0, or -1 when
 * the value has the wrong type (a string for sum).
 */
int kpi_rstate_add(struct kpi_rstate *st, const struct kpi_val *v,
    long long t);

/* Adds other's rows to st (same kind): the merge of --partial runs. */
void kpi_rstate_merge(struct kpi_rstate *st, const struct kpi_rstate *other);

/*
 * The value: 1 with *out set, 0 when it is null (no rows, or mean of
 * none, or stddev of fewer than 2).
 */
int kpi_rstate_value(const struct kpi_rstate *st, double *out);

/*
 * Appends the state as compact JSON (deterministic: sorted sets) for
 * --partial, and reads it back.  kpi_rstate_load returns 0, or -1 with
 * err->msg set when the text is not such a state.
 */
void kpi_rstate_put(struct kpi_buf *b, const struct kpi_rstate *st);
int kpi_rstate_load(struct kpi_rstate *st, const char *json, size_t n,
    struct kpi_err *err);

/* ---- formulas over metrics (expr.c) ---- */

/* A derived-metric formula: + - * /, parentheses, numbers, names, min,
   max, abs. */
struct kpi_expr;

/*
 * Parses s.  Returns NULL with err->msg and err->col (1-based, in s) set
 * on a syntax error.  Caller frees with kpi_expr_free.
 */
struct kpi_expr *kpi_expr_parse(const char *s, struct kpi_err *err);
void kpi_expr_free(struct kpi_expr *e);

/* The names the formula uses, in first-use order.  Borrowed from e. */
size_t kpi_expr_nrefs(const struct kpi_expr *e);
const char *kpi_expr_ref(const struct kpi_expr *e, size_t i);

/*
 * Evaluates e with name i's value in vals[i] (isnull[i] set when null).
 * Returns 1 with *out set, or 0 for null: a null operand, a division by
 * zero, or any result that is not finite.  Never NaN or infinity.
 */
int kpi_expr_eval(const struct kpi_expr *e, const double *vals,
    const unsigned char *isnull, double *out);

/* ---- metric definitions (defs.c) ---- */

/* Metric definitions: a KPI catalogue and -m formulas; see kpi(7). */
struct kpi_defs;

/* Empty definitions.  Caller frees with kpi_defs_free. */
struct kpi_defs *kpi_defs_new(void);
void kpi_defs_free(struct kpi_defs *d);

/*
 * Adds the catalogue in text[0..len), named name for errors.  Returns 0,
 * or -1 with err set (with the line and column where jansson knows them).
 */
int kpi_defs_load(struct kpi_defs *d, const char *text, size_t len,
    const char *name, struct kpi_err *err);

/* Adds "NAME=FORMULA" (-m); a later definition replaces an earlier one. */
int kpi_defs_add(struct kpi_defs *d, const char *def, struct kpi_err *err);

/*
 * Checks every formula and orders the derived ones; select ("a,b") names
 * the metrics to write, NULL for all.  Returns 0, or -1 with err set
 * (unknown reducer or metric, a cycle, a syntax error).
 */
int kpi_defs_finish(struct kpi_defs *d, const char *select,
    struct kpi_err *err);

/* ---- aggregation (agg.c) ---- */

struct kpi_agg_opts {
	struct kpi_calendar cal;	/* cal.tz borrowed */
	const char *const *by;		/* --by fields; borrowed */
	size_t nby;
	int total;			/* --total: the all-dimensions rollup */
	enum {
		KPI_CMP_NONE,
		KPI_CMP_PREVIOUS,	/* the period before */
		KPI_CMP_YEAR,		/* the same period a year before */
		KPI_CMP_BACK		/* compare_n periods before */
	} compare;
	long long compare_n;
	int fill;			/* --fill: every period of the range */
	long long rolling;		/* --rolling N: trailing N periods; 0 */
	int cumulative;			/* --cumulative: to date within this
					   grain (KPI_MONTH ...); 0 for none */
	long long from, to;		/* --from/--to instants, or LLONG_MIN/MAX */
	int partial;			/* --partial: points carry states */
	int merge;			/* --merge: input is --partial points */
};

struct kpi_agg;

/* An aggregation of rows by d (finished; borrowed).  Caller frees. */
struct kpi_agg *kpi_agg_new(const struct kpi_defs *d,
    const struct kpi_agg_opts *opts);
void kpi_agg_free(struct kpi_agg *a);

/*
 * Adds one typed row.  Returns 0, or -1 with err->msg set when the row is
 * rejected (no time, a bad time, a value of the wrong type); a rejected
 * row changes nothing.
 */
int kpi_agg_add(struct kpi_agg *a, const struct kpi_rec *row,
    struct kpi_err *err);

/*
 * Adds one point of a --partial run (opts.merge): its states merged into
 * its group's.  Returns 0, or -1 with err->msg set when the point does not
 * merge (not a --partial point, a metric or period these definitions and
 * this calendar do not have, a bad state); then the aggregation is no
 * longer whole and must not be emitted.
 */
int kpi_agg_add_point(struct kpi_agg *a, const struct kpi_rec *point,
    struct kpi_err *err);

/*
 * Writes every point, in kpi(7) order, to o.  Returns 0, or -1: a failed
 * write (o->err_no set), or before writing anything (opts.merge) with
 * err->msg set when a written metric needs a state that no point gave.
 */
int kpi_agg_emit(struct kpi_agg *a, struct kpi_out *o, struct kpi_err *err);

/* The number of groups and of points written, for --stats. */
size_t kpi_agg_groups(const struct kpi_agg *a);
size_t kpi_agg_points(const struct kpi_agg *a);

/* ---- mapping specs and presets (spec.c, presets.c) ---- */

/* A preset: a mapping spec shipped in the binary (lib/presets/NAME.json). */
struct kpi_preset {
	const char *name;
	const char *json;
};

/* All presets, sorted by name, ended by { NULL, NULL }. */
extern const struct kpi_preset kpi_presets[];

/* The preset called name, or NULL.  Borrowed (static). */
const struct kpi_preset *kpi_preset_find(const char *name);

/* A compiled mapping spec; see kpi-normalize(1) MAPPING SPECS. */
struct kpi_spec;

/*
 * Compiles the spec in text[0..len); name is its file name for errors
 * ("kpis.json", or "preset shopify-orders").  Returns NULL with err set
 * (with the line and column where known).  Caller frees.
 */
struct kpi_spec *kpi_spec_load(const char *text, size_t len,
    const char *name, struct kpi_err *err);
void kpi_spec_free(struct kpi_spec *spec);

/* ---- normalising rows (norm.c) ---- */

/* Currency rates, from a CSV file of date,currency,rate. */
struct kpi_rates;

/*
 * Reads rates from in (a CSV input).  Returns NULL with err set.  Caller
 * frees with kpi_rates_free.
 */
struct kpi_rates *kpi_rates_load(struct kpi_input *in, struct kpi_err *err);
void kpi_rates_free(struct kpi_rates *rates);

struct kpi_norm_opts {
	const char *tz;			/* --tz, overrides the spec's; or NULL */
	const char *currency;		/* --currency, with rates */
	const struct kpi_rates *rates;	/* borrowed; or NULL */
	int keep;			/* --keep: unmapped columns too */
};

/* Why a row was rejected; strings borrowed until the next feed. */
struct kpi_reject {
	const char *field;		/* the spec field */
	const char *column;		/* the source column, or "" */
	const char *value;		/* the source value as text */
	size_t vlen;
	char expected[96];		/* "money", "rate for EUR on 2024-01-05" */
};

/* What became of one input row. */
enum kpi_norm_fate {
	KPI_NORM_TAKEN,		/* it is, or starts, an output row */
	KPI_NORM_FOLDED,	/* folded into the entity before it */
	KPI_NORM_DROPPED,	/* a drop rule matched */
	KPI_NORM_REJECTED,	/* see the kpi_reject */
	KPI_NORM_ERROR		/* the row cannot be mapped at all: see err */
};

struct kpi_norm;

/*
 * A normaliser of rows by spec (borrowed for its life).  Returns NULL with
 * err set when an option is bad (an unknown --tz).  Caller frees.
 */
struct kpi_norm *kpi_norm_new(const struct kpi_spec *spec,
    const struct kpi_norm_opts *opts, struct kpi_err *err);

/*
 * Feeds one input row; returns its fate, filling *rej for a rejection and
 * err for KPI_NORM_ERROR (a required column is missing: the spec does not
 * fit the input).  When an output row is complete (at once without
 * folding, or when the next entity starts) *ready is set and kpi_norm_row
 * returns it until the next feed.
 */
enum kpi_norm_fate kpi_norm_feed(struct kpi_norm *n, const struct kpi_rec *in,
    int *ready, struct kpi_reject *rej, struct kpi_err *err);

/* Ends the input: sets *ready when a last folded entity is pending. */
void kpi_norm_finish(struct kpi_norm *n, int *ready);

/* The output row that is ready.  Borrowed from n until the next feed. */
const struct kpi_rec *kpi_norm_row(const struct kpi_norm *n);

void kpi_norm_free(struct kpi_norm *n);

/* ---- the face the commands share (face.c) ---- */

/* Sets the program name used in diagnostics ("kpi-extract"). */
void kpi_setprogname(const char *name);
const char *kpi_getprogname(void);

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

#endif /* KPI_H */
