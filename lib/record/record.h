/*
 * record.h - records and where they come from (lib/record/).
 *
 *   source.c  a path or "-", archives and compressed streams  -> kpi_input
 *   text.c    byte order marks, UTF-16, 8-bit text             -> UTF-8 bytes
 *   csv.c     RFC 4180 records, header, sniffing               -> kpi_rec rows
 *   jsonin.c  NDJSON, arrays of objects, --path                -> kpi_rec rows
 *   reader.c  picks csv or json for an input, adds provenance  -> kpi_rec rows
 *   json.c    the record codec: parse one object, write one    <-> bytes
 *   out.c     buffered, checked record output
 *   input.c   a list of paths as one stream of rows            -> kpi_rec rows
 *
 * Uses base/ only.
 */
#ifndef KPI_RECORD_H
#define KPI_RECORD_H

#include "base/base.h"

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

/* Why a row was rejected, as its "_error" object says (kpi(7)). */
struct kpi_rec_error {
	const char *field;		/* the output field; borrowed */
	const char *column;		/* the source column; borrowed */
	const char *value;		/* the value at fault; borrowed */
	size_t vlen;
	const char *expected;		/* what it should have been; borrowed */
};

/*
 * out = r with an "_error" object of e before its provenance ("_src",
 * "_line"): the rows --rejects writes (kpi(7) Reserved keys).  b holds the
 * object's text; out borrows from r and b.
 */
void kpi_rec_with_error(const struct kpi_rec *r, const struct kpi_rec_error *e,
    struct kpi_rec *out, struct kpi_buf *b);

/* Returns the field named key, or NULL.  Borrowed from r. */
struct kpi_field *kpi_rec_find(const struct kpi_rec *r, const char *key,
    size_t klen);

/*
 * Whether field f's key is key[0..klen): the length and the first byte
 * before the bytes, as most keys differ in one of those, and the bytes
 * without a call.
 */
static inline int
kpi_field_is(const struct kpi_field *f, const char *key, size_t klen)
{
	return f->klen == klen && (klen == 0 || (f->key[0] == key[0] &&
	    kpi_same_bytes(f->key, key, klen)));
}

/*
 * kpi_rec_find for a caller that looks up one key in record after record:
 * the rows of one input share a layout, so the field is looked for first
 * at *hint, where it was last found, and *hint is moved when it is found
 * elsewhere.  Start *hint at any value ((size_t)-1 is never a field's).
 * Inline: the readers and the aggregation ask it for every row.
 */
static inline struct kpi_field *
kpi_rec_find_hint(const struct kpi_rec *r, const char *key, size_t klen,
    size_t *hint)
{
	struct kpi_field *f;

	if (*hint < r->n && kpi_field_is(&r->f[*hint], key, klen))
		return &r->f[*hint];
	if ((f = kpi_rec_find(r, key, klen)) != NULL)
		*hint = (size_t)(f - r->f);
	return f;
}

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

/*
 * Opens path for writing (created or truncated) as o's fd; with path NULL,
 * o writes nowhere (fd -1).  Returns 0, or -1 with err ("path: reason").
 */
int kpi_out_create(struct kpi_out *o, const char *path, struct kpi_err *err);

/*
 * Releases o and closes the fd kpi_out_create opened (none when -1).
 * Returns 0, or -1 with err ("write error: path: reason") when a write or
 * the close failed.
 */
int kpi_out_close(struct kpi_out *o, const char *path, struct kpi_err *err);

/*
 * Output to path whole: o writes a temporary file beside it (*tmp, caller
 * hands it to kpi_out_rename), renamed over path at the end, so that a
 * reader sees the old file or the new one, never half of one.  Returns 0;
 * -2 when path exists and is not a regular file (a rename would replace a
 * device or a pipe, not write to it); -1 with err ("path: reason").
 */
int kpi_out_temp(struct kpi_out *o, const char *path, char **tmp,
    struct kpi_err *err);

/*
 * Ends kpi_out_temp's o: with ok, renames tmp over path, else removes it;
 * frees tmp.  Returns 0, or -1 with err ("path: write error: reason" or
 * "path: reason"), tmp removed.
 */
int kpi_out_rename(struct kpi_out *o, int ok, const char *path, char *tmp,
    struct kpi_err *err);

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

/* The bytes read from in so far, decompressed (for progress). */
unsigned long long kpi_input_bytes(const struct kpi_input *in);

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

/* The i-th name kpi_enc_parse takes, NULL past the last (for messages). */
const char *kpi_enc_name(size_t i);

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

/* The i-th name kpi_format_parse takes, NULL past the last. */
const char *kpi_format_name(size_t i);

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

/* ---- the record input: every row of a list of paths (input.c) ---- */

/*
 * One stream of rows over paths ("-" is standard input; no paths at all
 * means standard input), each read through kpi_source_open and
 * kpi_reader_open with so and ro.  A path, member or input that cannot be
 * read is passed to fail->fn (the face prints it), remembered, and the
 * stream goes on with the next one, as bsdcat does.
 */
struct kpi_rin;

/*
 * Opens the stream; nothing is read yet.  paths and the strings so and ro
 * point to are borrowed for the stream's life; so, ro and fail are
 * copied.  Caller frees with kpi_rin_close.
 */
struct kpi_rin *kpi_rin_open(char *const *paths, size_t npaths,
    const struct kpi_source_opts *so, const struct kpi_reader_opts *ro,
    const struct kpi_warn *fail);

/*
 * Reads the next row into rec (as kpi_reader_next: its strings are
 * borrowed until the next call).  Returns 1 for a row, 0 when every path
 * is done.  Failures go to the fail callback, never to the caller.
 */
int kpi_rin_next(struct kpi_rin *ri, struct kpi_rec *rec);

/*
 * Stops the current input (the row just read stays valid until the next
 * kpi_rin_next); the next call reads the next input.  Not a failure: a
 * caller that stops an input for an error says so itself.
 */
void kpi_rin_skip(struct kpi_rin *ri);

/*
 * The current input's display name ("orders.csv", "exports.zip:jan.csv",
 * "<stdin>").  Borrowed until the next kpi_rin_next.
 */
const char *kpi_rin_name(const struct kpi_rin *ri);

/* How many inputs were opened as rows so far (for --stats). */
unsigned long kpi_rin_inputs(const struct kpi_rin *ri);

/* The bytes read so far from every input, decompressed (for progress). */
unsigned long long kpi_rin_bytes(const struct kpi_rin *ri);

/*
 * How many failures were told so far.  A caller that holds rows across
 * inputs (kpi-normalize's folded entity) compares it after each
 * kpi_rin_next to learn that an input stopped before its end.
 */
unsigned long kpi_rin_failures(const struct kpi_rin *ri);

/*
 * Frees the stream (NULL is fine).  Returns 0 when every input was read
 * to its end or skipped, -1 when one failed.
 */
int kpi_rin_close(struct kpi_rin *ri);

#endif /* KPI_RECORD_H */
