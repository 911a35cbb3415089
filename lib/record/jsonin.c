/*
 * jsonin.c - JSON inputs as rows: NDJSON, JSON Lines, concatenated or
 * pretty-printed objects, one array of objects, or the array of objects a
 * --path names inside one top-level object.
 *
 * A byte scanner finds where each object ends (it follows strings, escapes
 * and nesting, and counts lines); only that object's bytes are held, and
 * kpi_json_parse_row turns them into a row that borrows its plain strings
 * from the buffer, with the last row's keys as a guide to this row's.
 * NDJSON, by far the most common input (every tool writes it), skips the
 * scan: a line that parses as one object is a record.  The buffer is
 * refilled and compacted, so memory is bounded by the largest record,
 * never by the file; members passed over on the way to --path stream
 * through without being held.  The scanner checks little: whatever it
 * lets through, the parser judges, and its errors are moved to file
 * positions here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record.h"
#include "record/readers.h"

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

enum {
	CHUNK = 65536,		/* first buffer size */
	MIN_READ = 4096		/* grow rather than read less than this */
};

enum state {
	ST_START,		/* nothing read yet */
	ST_SEQ,			/* in a sequence of objects */
	ST_ARRAY,		/* in the array, before its first element */
	ST_ARRAY_NEXT,		/* in the array, after an element */
	ST_DONE
};

/* What scan_value found. */
enum scan {
	SCAN_ERR = -1,		/* a read error; err is set */
	SCAN_EOF,		/* the input ended inside the value */
	SCAN_DONE,		/* the value is complete */
	SCAN_CTRL,		/* a control byte inside a string ends it */
	SCAN_LONG		/* the value grew past max_field */
};

/* Bytes that matter to the scanner outside strings. */
enum { C_NONE, C_QUOTE, C_OPEN, C_CLOSE, C_NL };
static const unsigned char cls[256] = {
	['"'] = C_QUOTE, ['{'] = C_OPEN, ['['] = C_OPEN,
	['}'] = C_CLOSE, [']'] = C_CLOSE, ['\n'] = C_NL
};

/* Peek results besides a byte. */
enum { PEEK_EOF = -1, PEEK_ERR = -2 };

struct kpi_jsonin {
	struct kpi_text *t;	/* borrowed */
	char *name;
	size_t max_field;
	struct kpi_warn warn;
	char *path;		/* --path as given, or NULL */
	char *pathbuf;		/* a copy split at the dots */
	char **comp;		/* its keys, into pathbuf */
	size_t ncomp;
	char *buf;
	size_t cap;
	size_t pos;		/* next byte to look at */
	size_t len;		/* bytes in buf */
	uint64_t base;		/* offset in the text of buf[0] */
	uint64_t bol;		/* offset in the text of the current line */
	unsigned long line;	/* the line of buf[pos] */
	int eof;
	uint64_t slow_to;	/* lines before this offset: scan, not parse */
	enum state state;
	size_t open;		/* objects around the --path array still open */
	struct kpi_buf fix;	/* a record converted from 8-bit text */
	struct kpi_buf kbuf;	/* a --path key as {KEY:0}; renamed keys */
	struct kpi_rec key;	/* the --path key, decoded */
	int records;		/* kpi records: '_' keys are the toolkit's */
	struct kpi_json_keys keys;	/* the last row's, for the next */
};

static unsigned long
col_at(const struct kpi_jsonin *j, size_t pos)
{
	return (unsigned long)(j->base + pos - j->bol) + 1;
}

static void
newline(struct kpi_jsonin *j, size_t at)
{
	j->line++;
	j->bol = j->base + at + 1;
}

/* Sets err at buf[at]. */
static int
fail_at(struct kpi_jsonin *j, size_t at, struct kpi_err *err, const char *msg)
{
	return kpi_err_set(err, j->name, j->line, col_at(j, at), "%s", msg);
}

/* The lines in buf[pos..len), for the line of a NUL byte the text found. */
static unsigned long
lines_ahead(const struct kpi_jsonin *j)
{
	const char *q = j->buf + j->pos, *end = j->buf + j->len;
	unsigned long n = 0;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		n++;
		q++;
	}
	return n;
}

/*
 * Reads more text, first dropping the bytes before buf[keep], which are
 * not looked at again.  Returns 1 when bytes came, 0 at the end, -1.
 */
static int
fill(struct kpi_jsonin *j, size_t keep, struct kpi_err *err)
{
	ssize_t n;

	if (j->eof)
		return 0;
	if (keep > 0) {
		memmove(j->buf, j->buf + keep, j->len - keep);
		j->len -= keep;
		j->pos -= keep;
		j->base += keep;
	}
	if (j->cap - j->len < MIN_READ) {
		j->cap *= 2;
		j->buf = kpi_xrealloc(j->buf, j->cap);
	}
	if ((n = kpi_text_read(j->t, j->buf + j->len, j->cap - j->len,
	    err)) < 0) {
		if (err->line == 0)
			err->line = j->line + lines_ahead(j);
		return -1;
	}
	if (n == 0) {
		j->eof = 1;
		return 0;
	}
	j->len += (size_t)n;
	return 1;
}

/*
 * Skips whitespace, counting lines.  Returns the next byte, not consumed,
 * or PEEK_EOF at the end of the text, or PEEK_ERR with err set.
 */
static int
peek(struct kpi_jsonin *j, struct kpi_err *err)
{
	unsigned char c;
	int rc;

	for (;;) {
		for (; j->pos < j->len; j->pos++) {
			c = (unsigned char)j->buf[j->pos];
			if (c == '\n')
				newline(j, j->pos);
			else if (c != ' ' && c != '\t' && c != '\r')
				return c;
		}
		if ((rc = fill(j, j->pos, err)) < 0)
			return PEEK_ERR;
		if (rc == 0)
			return PEEK_EOF;
	}
}

/* Like peek, for where the text must go on: the end is an error. */
static int
peek_more(struct kpi_jsonin *j, struct kpi_err *err)
{
	int c;

	if ((c = peek(j, err)) == PEEK_EOF) {
		fail_at(j, j->pos, err, "unexpected end of input");
		return PEEK_ERR;
	}
	return c;
}

/* Nonzero when one of the 8 bytes in w is '"', '\\' or below 0x20. */
static inline uint64_t
word_special(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');

	return ((w - ONES * 0x20) | (q - ONES) | (b - ONES)) & ~w & HIGHS;
}

/*
 * Moves *off (from pos) past plain string bytes.  Returns the byte that
 * stopped it ('"', '\\' or a control byte), or -1 at the buffer's end.
 */
static int
str_run(const struct kpi_jsonin *j, size_t *off)
{
	const char *p = j->buf + j->pos;
	size_t i = *off, lim = j->len - j->pos;
	unsigned char c;
	uint64_t w;

	while (lim - i >= 8) {
		memcpy(&w, p + i, 8);
		if (word_special(w))
			break;
		i += 8;
	}
	for (; i < lim; i++) {
		c = (unsigned char)p[i];
		if (c < 0x20 || c == '"' || c == '\\') {
			*off = i;
			return c;
		}
	}
	*off = i;
	return -1;
}

/*
 * Nonzero when one of the 8 bytes in w may matter outside strings: '"',
 * '\n', or (w | 0x26) == 0x7F, which holds for '{' '}' '[' ']' and for
 * 'Y' 'y' '_' DEL, rare there; the caller checks byte by byte.
 */
static inline uint64_t
word_struct(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), nl = w ^ (ONES * '\n');
	uint64_t br = (w | (ONES * 0x26)) ^ (ONES * 0x7F);

	return ((q - ONES) | (nl - ONES) | (br - ONES)) & ~w & HIGHS;
}

/*
 * Moves *off past bytes that do not matter outside strings, counting
 * lines.  Returns the class of the byte that stopped it, or -1 at the
 * buffer's end.
 */
static int
plain_run(struct kpi_jsonin *j, size_t *off)
{
	const char *p = j->buf + j->pos;
	size_t i = *off, lim = j->len - j->pos, stop;
	uint64_t w;
	int c;

	for (;;) {
		while (lim - i >= 8) {
			memcpy(&w, p + i, 8);
			if (word_struct(w))
				break;
			i += 8;
		}
		stop = lim - i >= 8 ? i + 8 : lim;
		for (; i < stop; i++) {
			if ((c = cls[(unsigned char)p[i]]) == C_NONE)
				continue;
			if (c != C_NL) {
				*off = i;
				return c;
			}
			newline(j, j->pos + i);
		}
		if (i == lim) {
			*off = i;
			return -1;
		}
	}
}

/*
 * Finds the end of the string, object or array at buf[pos].  With keep,
 * its bytes stay in the buffer from pos and *n is their count; without,
 * they are dropped as they pass (members skipped on the way to --path) and
 * *n counts what is left from the new pos.
 */
static enum scan
scan_value(struct kpi_jsonin *j, int keep, size_t *n, struct kpi_err *err)
{
	size_t off = 0, depth = 0;
	int instr = 0, esc = 0, c, rc;

	for (;;) {
		if (j->pos + off == j->len) {
			if (!keep) {
				j->pos += off;
				off = 0;
			} else if (off > j->max_field)
				return SCAN_LONG;
			if ((rc = fill(j, j->pos, err)) <= 0) {
				*n = off;
				return rc < 0 ? SCAN_ERR : SCAN_EOF;
			}
		} else if (esc) {
			esc = 0;
			off++;
		} else if (instr) {
			if ((c = str_run(j, &off)) < 0)
				continue;
			*n = ++off;
			if (c == '\\')
				esc = 1;
			else if (c != '"')
				return SCAN_CTRL;
			else {
				instr = 0;
				if (depth == 0)
					return SCAN_DONE;
			}
		} else if ((c = plain_run(j, &off)) >= 0) {
			off++;
			if (c == C_QUOTE)
				instr = 1;
			else if (c == C_OPEN)
				depth++;
			else if (--depth == 0) {
				*n = off;
				return SCAN_DONE;
			}
		}
	}
}

/*
 * Moves a parser error (positions counted from the record's first byte,
 * which is at line0:col0 of the text) to the file.
 */
static int
parse_error(struct kpi_jsonin *j, unsigned long line0, unsigned long col0,
    struct kpi_err *err)
{
	char msg[sizeof(err->msg)];
	unsigned long line, col;

	memcpy(msg, err->msg, sizeof(msg));
	line = line0 + err->line - 1;
	col = err->line == 1 ? col0 + err->col - 1 : err->col;
	return kpi_err_set(err, j->name, line, col, "%s", msg);
}

/*
 * Parses one record's bytes.  Under auto, a string that is not UTF-8 is
 * read as Windows-1252, string by string, by the parser itself; a chosen
 * 8-bit encoding converts the whole record first (so that bytes which
 * happen to look like UTF-8 are still read as that encoding), and chosen
 * UTF-8 replaces bad bytes with U+FFFD and says so.
 */
static int
parse(struct kpi_jsonin *j, struct kpi_rec *r, char *s, size_t n,
    struct kpi_json_keys *keys, unsigned long line0, struct kpi_err *err)
{
	enum kpi_enc enc = kpi_text_enc(j->t);
	size_t len;
	int replaced;

	if (enc == KPI_ENC_AUTO)
		return kpi_json_parse_row(r, s, n, 1, keys, err);
	/* s itself or j->fix: ours to change either way. */
	s = (char *)kpi_text_fix(j->t, s, n, &j->fix, &len, &replaced);
	if (kpi_json_parse_row(r, s, len, 0, keys, err) < 0)
		return -1;
	if (replaced)
		kpi_warn(&j->warn, j->name, line0, 0, "invalid UTF-8 replaced");
	return 0;
}

/*
 * Keys beginning with '_' are the toolkit's: a source's "_id" becomes
 * "raw_id", or, if the record has that key too, "raw_id_2" (then _3, ...,
 * as duplicate CSV headers are named), so that no key is written twice.
 * Each new name is checked against the keys as they are then; the '_' keys
 * not yet renamed cannot clash with a name that begins "raw".
 */
static void
rename_reserved(struct kpi_rec *r, struct kpi_buf *name)
{
	struct kpi_field *f;
	unsigned long k;
	size_t i, base;

	for (i = 0; i < r->n; i++) {
		f = &r->f[i];
		if (f->klen == 0 || f->key[0] != '_')
			continue;
		kpi_buf_reset(name);
		kpi_buf_add(name, "raw", 3);
		kpi_buf_add(name, f->key, f->klen);
		base = name->len;
		for (k = 2; kpi_rec_find(r, name->p, name->len) != NULL; k++) {
			name->len = base;
			kpi_buf_addf(name, "_%lu", k);
		}
		f->key = kpi_arena_strndup(&r->arena, name->p, name->len);
		f->klen = name->len;
	}
}

/*
 * NDJSON, the common case: when the rest of the line parses as one object,
 * that is the record, and its bytes are read once, not scanned first.
 * Anything else (a pretty-printed object, objects run together, an error)
 * returns 0 for the scanner to take, and the rest of that line is not
 * tried again: objects run together on one long line would else be
 * searched for a newline once each.
 */
static int
read_line(struct kpi_jsonin *j, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err)
{
	const char *nl;
	size_t off = 0, n;

	if (j->base + j->pos < j->slow_to)
		return 0;
	for (;;) {
		nl = memchr(j->buf + j->pos + off, '\n', j->len - j->pos - off);
		n = nl ? (size_t)(nl - (j->buf + j->pos)) : j->len - j->pos;
		if (n > j->max_field || nl != NULL || j->eof)
			break;
		off = n;
		if (fill(j, j->pos, err) < 0)
			return -1;
	}
	if (n > j->max_field ||
	    parse(j, r, j->buf + j->pos, n, &j->keys, j->line, err) < 0) {
		j->slow_to = j->base + j->pos + n;
		return 0;
	}
	j->pos += n;
	if (!j->records)
		rename_reserved(r, &j->kbuf);
	*line = j->line;
	return 1;
}

/* Reads the object at buf[pos] as a row. */
static int
read_record(struct kpi_jsonin *j, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err)
{
	unsigned long line0 = j->line, col0 = col_at(j, j->pos);
	enum scan sc;
	size_t n = 0;

	if ((sc = scan_value(j, 1, &n, err)) == SCAN_ERR)
		return -1;
	if (sc == SCAN_LONG || n > j->max_field)
		return kpi_err_set(err, j->name, line0, 0,
		    "field longer than %zu bytes", j->max_field);
	if (parse(j, r, j->buf + j->pos, n, &j->keys, line0, err) < 0)
		return parse_error(j, line0, col0, err);
	if (sc != SCAN_DONE)	/* the parser should have said why */
		return fail_at(j, j->pos + n, err, "unexpected end of input");
	j->pos += n;
	if (!j->records)
		rename_reserved(r, &j->kbuf);
	*line = line0;
	return 1;
}

/* Skips the scalar at buf[pos], checking little: it is not read. */
static int
skip_scalar(struct kpi_jsonin *j, struct kpi_err *err)
{
	unsigned char c = (unsigned char)j->buf[j->pos];
	int rc;

	if (c != '-' && (c < '0' || c > '9') && c != 't' && c != 'f' &&
	    c != 'n')
		return fail_at(j, j->pos, err,
		    "invalid JSON: expected a value");
	for (;;) {
		for (; j->pos < j->len; j->pos++) {
			c = (unsigned char)j->buf[j->pos];
			if (c == ',' || c == '}' || c == ']' || c == ' ' ||
			    c == '\n' || c == '\r' || c == '\t')
				return 0;
		}
		if ((rc = fill(j, j->pos, err)) <= 0)
			return rc;
	}
}

/* Skips the value at buf[pos], however big, holding none of it. */
static int
skip_value(struct kpi_jsonin *j, struct kpi_err *err)
{
	char c = j->buf[j->pos];
	size_t n = 0;

	if (c != '"' && c != '{' && c != '[')
		return skip_scalar(j, err);
	switch (scan_value(j, 0, &n, err)) {
	case SCAN_ERR:
		return -1;
	case SCAN_DONE:
		j->pos += n;
		return 0;
	case SCAN_CTRL:
		return fail_at(j, j->pos + n - 1, err,
		    j->buf[j->pos + n - 1] == '\n' ?
		    "invalid JSON: newline in string" :
		    "invalid JSON: control character in string");
	default:
		return fail_at(j, j->pos + n, err, "unexpected end of input");
	}
}

/*
 * Reads the key at buf[pos] and says whether it is name (never, for NULL).
 * The key is decoded by the record parser, wrapped as {KEY:0}, so that
 * escapes and encodings are read exactly as in rows.
 */
static int
read_key(struct kpi_jsonin *j, const char *name, int *match,
    struct kpi_err *err)
{
	unsigned long line0 = j->line, col0 = col_at(j, j->pos);
	const struct kpi_field *f;
	enum scan sc;
	size_t n = 0;

	if ((sc = scan_value(j, 1, &n, err)) == SCAN_ERR)
		return -1;
	if (sc == SCAN_LONG || n > j->max_field)
		return kpi_err_set(err, j->name, line0, 0,
		    "field longer than %zu bytes", j->max_field);
	kpi_buf_reset(&j->kbuf);
	kpi_buf_addc(&j->kbuf, '{');
	kpi_buf_add(&j->kbuf, j->buf + j->pos, n);
	kpi_buf_add(&j->kbuf, ":0}", 3);
	if (parse(j, &j->key, j->kbuf.p, j->kbuf.len, NULL, line0, err) < 0)
		return parse_error(j, line0, col0 - 1, err);
	if (sc != SCAN_DONE)
		return fail_at(j, j->pos + n, err, "unexpected end of input");
	j->pos += n;
	f = &j->key.f[0];
	*match = name != NULL && f->klen == strlen(name) &&
	    memcmp(f->key, name, f->klen) == 0;
	return 0;
}

/* Reads a member's key and ':' and peeks at its value. */
static int
member_head(struct kpi_jsonin *j, const char *name, int *match,
    struct kpi_err *err)
{
	int c;

	if ((c = peek_more(j, err)) == PEEK_ERR)
		return -1;
	if (c != '"')
		return fail_at(j, j->pos, err, c == '}' ?
		    "invalid JSON: trailing comma" :
		    "invalid JSON: expected key");
	if (read_key(j, name, match, err) < 0 ||
	    (c = peek_more(j, err)) == PEEK_ERR)
		return -1;
	if (c != ':')
		return fail_at(j, j->pos, err,
		    "invalid JSON: expected ':' after key");
	j->pos++;
	return peek_more(j, err) == PEEK_ERR ? -1 : 0;
}

/* After a member's value: 1 when another member follows, 0 at '}'. */
static int
next_member(struct kpi_jsonin *j, struct kpi_err *err)
{
	int c;

	if ((c = peek_more(j, err)) == PEEK_ERR)
		return -1;
	j->pos++;
	if (c == '}')
		return 0;
	if (c == ',')
		return 1;
	j->pos--;
	return fail_at(j, j->pos, err, "invalid JSON: expected ',' or '}'");
}

/*
 * Walks the object just entered to the member name, skipping the others.
 * Returns 1 with its value next, 0 when there is none, -1.
 */
static int
find_member(struct kpi_jsonin *j, const char *name, struct kpi_err *err)
{
	int c, match, rc;

	if ((c = peek_more(j, err)) == PEEK_ERR)
		return -1;
	if (c == '}')
		return 0;
	for (;;) {
		if (member_head(j, name, &match, err) < 0)
			return -1;
		if (match)
			return 1;
		if (skip_value(j, err) < 0)
			return -1;
		if ((rc = next_member(j, err)) <= 0)
			return rc;
	}
}

/* Descends from the top-level '{' at pos along --path to its array. */
static int
find_path(struct kpi_jsonin *j, struct kpi_err *err)
{
	unsigned long line, col;
	size_t i, plen;
	int c, rc;

	for (i = 0; i < j->ncomp; i++) {
		line = j->line;
		col = col_at(j, j->pos++);
		j->open++;
		if ((rc = find_member(j, j->comp[i], err)) < 0)
			return -1;
		if (rc == 0)
			return kpi_err_set(err, j->name, line, col,
			    "no member '%s'", j->path);
		c = j->buf[j->pos];
		plen = (size_t)(j->comp[i] - j->pathbuf) + strlen(j->comp[i]);
		if (i + 1 < j->ncomp && c != '{')
			return kpi_err_set(err, j->name, j->line,
			    col_at(j, j->pos), "'%.*s' is not an object",
			    (int)plen, j->path);
		if (i + 1 == j->ncomp && c != '[')
			return kpi_err_set(err, j->name, j->line,
			    col_at(j, j->pos), "'%s' is not an array", j->path);
	}
	j->pos++;
	j->state = ST_ARRAY;
	return 0;
}

/* After the array: closes the objects around a --path array; then the end. */
static int
end_array(struct kpi_jsonin *j, struct kpi_err *err)
{
	int c, rc, match;

	while (j->open > 0) {
		if ((rc = next_member(j, err)) < 0)
			return -1;
		if (rc == 0)
			j->open--;
		else if (member_head(j, NULL, &match, err) < 0 ||
		    skip_value(j, err) < 0)
			return -1;
	}
	if ((c = peek(j, err)) == PEEK_ERR)
		return -1;
	if (c != PEEK_EOF)
		return fail_at(j, j->pos, err, j->ncomp > 0 ?
		    "invalid JSON: unexpected text after the object" :
		    "invalid JSON: unexpected text after the array");
	return 0;
}

/* Looks at the first byte: which shape the input has. */
static int
start(struct kpi_jsonin *j, struct kpi_err *err)
{
	int c;

	if ((c = peek(j, err)) == PEEK_ERR)
		return -1;
	if (c == PEEK_EOF)
		return 0;
	if (j->ncomp > 0) {
		if (c != '{')
			return kpi_err_set(err, j->name, j->line,
			    col_at(j, j->pos),
			    "expected an object with member '%s'", j->path);
		return find_path(j, err) < 0 ? -1 : 1;
	}
	if (c == '{')
		j->state = ST_SEQ;
	else if (c == '[') {
		j->pos++;
		j->state = ST_ARRAY;
	} else if (j->records)	/* a tool after kpi-extract given raw data */
		return fail_at(j, j->pos, err, "not kpi records, one JSON "
		    "object a line: read CSV and other exports with "
		    "kpi-extract first");
	else
		return fail_at(j, j->pos, err,
		    "expected an object or an array of objects");
	return 1;
}

static int
seq_next(struct kpi_jsonin *j, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err)
{
	int c, rc;

	if ((c = peek(j, err)) == PEEK_ERR)
		return -1;
	if (c == PEEK_EOF)
		return 0;
	if (c != '{')
		return fail_at(j, j->pos, err, "expected an object");
	if ((rc = read_line(j, r, line, err)) != 0)
		return rc;
	return read_record(j, r, line, err);
}

static int
array_next(struct kpi_jsonin *j, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err)
{
	int c;

	if ((c = peek_more(j, err)) == PEEK_ERR)
		return -1;
	if (j->state == ST_ARRAY_NEXT) {
		if (c == ',') {
			j->pos++;
			if ((c = peek_more(j, err)) == PEEK_ERR)
				return -1;
			if (c == ']')
				return fail_at(j, j->pos, err,
				    "invalid JSON: trailing comma");
		} else if (c != ']')
			return fail_at(j, j->pos, err,
			    "invalid JSON: expected ',' or ']'");
	}
	if (c == ']') {
		j->pos++;
		return end_array(j, err);
	}
	if (c != '{')
		return fail_at(j, j->pos, err,
		    "array element is not an object");
	j->state = ST_ARRAY_NEXT;
	return read_record(j, r, line, err);
}

/* Splits --path at its dots; an empty key is an error. */
static int
split_path(struct kpi_jsonin *j, const char *path, struct kpi_err *err)
{
	size_t i, n = 1;
	char *p;

	for (p = strchr(path, '.'); p != NULL; p = strchr(p + 1, '.'))
		n++;
	j->path = kpi_xstrdup(path);
	j->pathbuf = kpi_xstrdup(path);
	j->comp = kpi_xmalloc(n * sizeof(*j->comp));
	p = j->pathbuf;
	for (i = 0; i < n; i++) {
		j->comp[i] = p;
		if ((p = strchr(p, '.')) != NULL)
			*p++ = '\0';
		if (j->comp[i][0] == '\0')
			return kpi_err_set(err, j->name, 0, 0,
			    "empty key in path '%s'", path);
	}
	j->ncomp = n;
	return 0;
}

/* Caller frees with kpi_jsonin_free; t is borrowed, name and opts copied. */
struct kpi_jsonin *
kpi_jsonin_open(struct kpi_text *t, const char *name,
    const struct kpi_reader_opts *opts, struct kpi_err *err)
{
	struct kpi_jsonin *j;

	j = kpi_xmalloc(sizeof(*j));
	memset(j, 0, sizeof(*j));
	j->t = t;
	j->name = kpi_xstrdup(name);
	j->max_field = opts->max_field > 0 ? opts->max_field : SIZE_MAX;
	j->records = opts->records;
	j->warn = opts->warn;
	j->cap = CHUNK;
	j->buf = kpi_xmalloc(j->cap);
	j->line = 1;
	j->state = ST_START;
	kpi_buf_init(&j->fix);
	kpi_buf_init(&j->kbuf);
	kpi_rec_init(&j->key);
	kpi_json_keys_init(&j->keys);
	if (opts->path != NULL && split_path(j, opts->path, err) < 0) {
		kpi_jsonin_free(j);
		return NULL;
	}
	return j;
}

/*
 * Rows' strings are mostly borrowed from the buffer, which moves only when
 * it is refilled, in the next call.  After -1 the reader is done: later
 * calls return 0.
 */
int
kpi_jsonin_next(struct kpi_jsonin *j, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err)
{
	int rc = 1;

	if (j->state == ST_DONE)
		return 0;
	if (j->state == ST_START)
		rc = start(j, err);
	if (rc > 0)
		rc = j->state == ST_SEQ ? seq_next(j, r, line, err) :
		    array_next(j, r, line, err);
	if (rc <= 0)
		j->state = ST_DONE;
	return rc;
}

void
kpi_jsonin_free(struct kpi_jsonin *j)
{
	if (j == NULL)
		return;
	free(j->name);
	free(j->path);
	free(j->pathbuf);
	free(j->comp);
	free(j->buf);
	kpi_buf_release(&j->fix);
	kpi_buf_release(&j->kbuf);
	kpi_rec_release(&j->key);
	kpi_json_keys_release(&j->keys);
	free(j);
}
