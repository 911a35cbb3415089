/*
 * csv.c - RFC 4180 records as rows: the header, the delimiter and the
 * preamble found from the first lines, GA4 multi-table downloads, ragged
 * rows reported and kept.
 *
 * The lexer copies each record's fields, unquoted, into one row buffer and
 * remembers offsets, so the input window can be refilled in the middle of a
 * field and a record may be any length up to max_field per field.  Rows
 * hand out pointers into that buffer: valid until the next kpi_csv_next.
 */
#include <stdlib.h>
#include <string.h>

#include "record/record.h"
#include "record/readers.h"

enum {
	WINDOW = 1 << 16,	/* bytes looked at to sniff the layout */
	BUFSZ = 1 << 18,
	SNIFF_LINES = 20
};

enum term { T_DELIM, T_EOL, T_EOF };

enum { C_STOP = 1, C_ESC = 2, C_HIGH = 4 };

enum state { ST_START, ST_TITLES, ST_HEADER, ST_ROWS };

struct kpi_csv {
	struct kpi_text *t;		/* borrowed */
	char *name;			/* owned */
	int delim;
	long skip;
	int strict;
	size_t max_field;
	struct kpi_warn warn;
	/*
	 * What each byte is, found in the one pass that copies fields:
	 * C_STOP ends an unquoted run; C_ESC must be escaped in JSON; C_HIGH
	 * is not ASCII.  A field with neither C_ESC nor C_HIGH is written as it
	 * is and needs no UTF-8 check: most cells of most exports.
	 */
	unsigned char cls[256];
	unsigned char fl;		/* the field being read: C_ESC | C_HIGH */

	char *buf;			/* the input window; owned */
	size_t len, pos;
	int eof;
	int pending;			/* perr happened while sniffing */
	struct kpi_err perr;
	unsigned long line;		/* line of buf[pos] */

	struct kpi_buf row;		/* the record's fields, unquoted */
	size_t *foff, *flen;		/* owned */
	unsigned char *fquoted;		/* owned */
	unsigned char *fflags;		/* owned: C_ESC | C_HIGH per field */
	size_t nf, fcap;
	unsigned long rec_line;		/* where the record started */

	char **keys;			/* header names; owned */
	size_t *klens;
	unsigned char *kclean;		/* the name needs no JSON escaping */
	size_t nkeys;

	enum state state;
	long titles;			/* title lines still to drop */
	int after_blank;
	struct kpi_buf scratch;		/* text repairs */
	struct kpi_buf extra;		/* the row's _extra array */
	struct kpi_range range;		/* the preamble's, for the rows */
};

/*
 * Whether the line at p (n bytes available, more if !complete) is a comment:
 * '#' and then a blank or the end of the line (Excel pads "# Account: x"
 * to "# Account: x,,,"), or '#' and delimiters alone (a bare "#" padded).
 * GA4 comments look like that; Shopify order names (#1001, #AP-5160)
 * never do, so they stay data, nor does a header whose first column is
 * named "#" (Typeform's "#,How likely...").  Returns 1 or 0, or -1 when
 * more bytes are needed to tell.
 */
static int
comment_at(const char *p, size_t n, int complete)
{
	size_t i;

	if (n == 0 || p[0] != '#')
		return 0;
	if (n == 1)
		return complete ? 1 : -1;
	if (strchr(" \t\r\n", p[1]) != NULL)
		return 1;
	if (strchr(",;|", p[1]) == NULL)
		return 0;
	/* A line of padding is short: past 256 bytes it is taken as one. */
	for (i = 2; i < n && i < 256; i++) {
		if (p[i] == '\n' || p[i] == '\r')
			return 1;
		if (p[i] != p[1] && p[i] != ' ' && p[i] != '\t')
			return 0;
	}
	return i == n && !complete ? -1 : 1;
}

/* Reads more input after compacting; 1 more data, 0 at the end, -1 error. */
static int
fill(struct kpi_csv *c, struct kpi_err *err)
{
	ssize_t n;

	if (c->pending) {
		*err = c->perr;
		if (err->line == 0)
			err->line = c->line;
		return -1;
	}
	if (c->eof)
		return 0;
	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	n = kpi_text_read(c->t, c->buf + c->len, BUFSZ - c->len, err);
	if (n < 0) {
		if (err->line == 0)
			err->line = c->line;
		return -1;
	}
	if (n == 0) {
		c->eof = 1;
		return 0;
	}
	c->len += (size_t)n;
	return 1;
}

/* The next byte without taking it, or -1 at the end (-2 on error). */
static int
peekc(struct kpi_csv *c, struct kpi_err *err)
{
	int r;

	if (c->pos == c->len && (r = fill(c, err)) <= 0)
		return r < 0 ? -2 : -1;
	return (unsigned char)c->buf[c->pos];
}

static void
count_lines(struct kpi_csv *c, const char *p, size_t n)
{
	const char *e = p + n;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		c->line++;
		p++;
	}
}

static inline int
append(struct kpi_csv *c, size_t start, const char *p, size_t n,
    struct kpi_err *err)
{
	if (c->row.len - start + n > c->max_field)
		return kpi_err_set(err, c->name, c->rec_line, 0,
		    "field longer than %zu bytes", c->max_field);
	/* The row buffer needs no NUL: fields are offsets and lengths. */
	if (c->row.len + n + 1 > c->row.cap)
		kpi_buf_grow(&c->row, n);
	memcpy(c->row.p + c->row.len, p, n);
	c->row.len += n;
	return 0;
}

/* Notes what the bytes of a quoted run hold. */
static void
run_flags(struct kpi_csv *c, const char *p, size_t n)
{
	unsigned char fl = 0;
	size_t i;

	for (i = 0; i < n; i++)
		fl |= c->cls[(unsigned char)p[i]];
	c->fl |= fl & (C_ESC | C_HIGH);
}

/* The quoted part of a field, after its opening quote. */
static int
lex_quoted(struct kpi_csv *c, size_t start, struct kpi_err *err)
{
	const char *q;
	size_t end;
	int r;

	for (;;) {
		q = memchr(c->buf + c->pos, '"', c->len - c->pos);
		end = q ? (size_t)(q - c->buf) : c->len;
		count_lines(c, c->buf + c->pos, end - c->pos);
		run_flags(c, c->buf + c->pos, end - c->pos);
		if (append(c, start, c->buf + c->pos, end - c->pos, err) < 0)
			return -1;
		c->pos = end;
		if (q == NULL) {
			if ((r = fill(c, err)) < 0)
				return -1;
			if (r == 0)
				return kpi_err_set(err, c->name, c->rec_line, 0,
				    "unterminated quoted field");
			continue;
		}
		c->pos++;
		if ((r = peekc(c, err)) == -2)
			return -1;
		if (r != '"')
			return 0;
		kpi_buf_addc(&c->row, '"');
		c->fl |= C_ESC;
		c->pos++;
	}
}

static inline void
push_field(struct kpi_csv *c, size_t start, int quoted)
{
	if (c->nf == c->fcap) {
		c->fcap = c->fcap ? c->fcap * 2 : 64;
		c->foff = kpi_xrealloc(c->foff, c->fcap * sizeof(*c->foff));
		c->flen = kpi_xrealloc(c->flen, c->fcap * sizeof(*c->flen));
		c->fquoted = kpi_xrealloc(c->fquoted, c->fcap);
		c->fflags = kpi_xrealloc(c->fflags, c->fcap);
	}
	c->foff[c->nf] = start;
	c->flen[c->nf] = c->row.len - start;
	c->fquoted[c->nf] = (unsigned char)quoted;
	c->fflags[c->nf] = c->fl;
	c->nf++;
}

/* One field and what ended it; -1 on error. */
static int
lex_field(struct kpi_csv *c, struct kpi_err *err)
{
	size_t start = c->row.len, run;
	int quoted = 0, ch;
	unsigned char k, fl = 0;

	c->fl = 0;
	if ((ch = peekc(c, err)) == -2)
		return -1;
	if (ch == '"') {
		quoted = 1;
		c->pos++;
		if (lex_quoted(c, start, err) < 0)
			return -1;
	}
	/* Unquoted text, or text after a closing quote (kept, as Excel does). */
	for (;;) {
		for (run = c->pos; run < c->len; run++) {
			k = c->cls[(unsigned char)c->buf[run]];
			if (k & C_STOP)
				break;
			fl |= k;
		}
		c->fl |= fl;
		if (append(c, start, c->buf + c->pos, run - c->pos, err) < 0)
			return -1;
		c->pos = run;
		if ((ch = peekc(c, err)) == -2)
			return -1;
		if (ch == -1) {
			push_field(c, start, quoted);
			return T_EOF;
		}
		if (c->cls[ch] & C_STOP)
			break;
	}
	c->pos++;
	push_field(c, start, quoted);
	if (ch == c->delim)
		return T_DELIM;
	c->line++;
	if (ch == '\r') {
		if ((ch = peekc(c, err)) == -2)
			return -1;
		if (ch == '\n')
			c->pos++;
	}
	return T_EOL;
}

/* One record into c->row; 1 record, 0 at the end of input, -1 error. */
static int
lex_record(struct kpi_csv *c, struct kpi_err *err)
{
	int ch, t;

	kpi_buf_reset(&c->row);
	c->nf = 0;
	c->rec_line = c->line;
	if ((ch = peekc(c, err)) < 0)
		return ch == -1 ? 0 : -1;
	while ((t = lex_field(c, err)) == T_DELIM)
		;
	return t < 0 ? -1 : 1;
}

static int
record_blank(const struct kpi_csv *c)
{
	size_t i;

	for (i = 0; i < c->nf; i++)
		if (c->flen[i] || c->fquoted[i])
			return 0;
	return 1;
}

/* Skips the rest of the physical line; 0, or -1 on error. */
static int
skip_line(struct kpi_csv *c, struct kpi_err *err)
{
	const char *nl;
	int r;

	for (;;) {
		nl = memchr(c->buf + c->pos, '\n', c->len - c->pos);
		if (nl) {
			c->pos = (size_t)(nl - c->buf) + 1;
			c->line++;
			return 0;
		}
		c->pos = c->len;
		if ((r = fill(c, err)) <= 0)
			return r;
	}
}

/* Whether a comment line starts at c->pos; 1, 0, or -1 on error. */
static int
at_comment(struct kpi_csv *c, struct kpi_err *err)
{
	int r;

	while ((r = comment_at(c->buf + c->pos, c->len - c->pos, c->eof)) < 0)
		if (fill(c, err) < 0)
			return -1;
	return r;
}

/*
 * Reads the range a preamble line at c->pos may give (GA4's "# Start
 * date: ...", or with --skip a title line): the line, or its first 256
 * bytes, is brought into the window and handed to kpi_range_line.  0, or
 * -1 on error.
 */
static int
note_line(struct kpi_csv *c, int comment, struct kpi_err *err)
{
	const char *nl;
	size_t n;
	int r;

	while ((nl = memchr(c->buf + c->pos, '\n', c->len - c->pos)) == NULL &&
	    c->len - c->pos < 256)
		if ((r = fill(c, err)) <= 0) {
			if (r < 0)
				return -1;
			break;
		}
	n = nl ? (size_t)(nl - (c->buf + c->pos)) : c->len - c->pos;
	kpi_range_line(&c->range, c->buf + c->pos, n > 256 ? 256 : n, comment);
	return 0;
}

/* Skips comment lines and blank lines; 0, or -1 on error. */
static int
skip_comments(struct kpi_csv *c, struct kpi_err *err)
{
	int ch, r;

	for (;;) {
		if ((ch = peekc(c, err)) == -2 || (r = at_comment(c, err)) < 0)
			return -1;
		if (!r && ch != '\n' && ch != '\r')
			return 0;
		if ((r && note_line(c, 1, err) < 0) || skip_line(c, err) < 0)
			return -1;
	}
}

/*
 * Counts the fields of the record at p[*off..n) split by delim, as the lexer
 * would, and moves *off past it.  Returns the count, 0 for a blank record,
 * or -1 when the window ends inside the record.
 */
static long
sniff_count(const char *p, size_t n, size_t *off, int delim, int complete)
{
	size_t i = *off;
	long fields = 1;
	int quoted = 0, content = 0;

	for (; i < n; i++) {
		if (quoted) {
			if (p[i] == '"') {
				if (i + 1 < n && p[i + 1] == '"')
					i++;
				else
					quoted = 0;
			}
			continue;
		}
		if (p[i] == '"')
			quoted = content = 1;
		else if (p[i] == delim)
			fields++;
		else if (p[i] == '\n' || p[i] == '\r')
			break;
		else
			content = 1;
	}
	if (i == n && !complete)
		return -1;
	if (i < n && p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
		i++;
	*off = i < n ? i + 1 : n;
	return content ? fields : 0;
}

/* The offset after the preamble's comment lines (or --skip lines). */
static size_t
sniff_start(const struct kpi_csv *c)
{
	const char *p = c->buf, *nl;
	size_t off = c->pos;
	long k;

	for (k = 0; off < c->len; k++) {
		if (c->skip >= 0 ? k >= c->skip :
		    comment_at(p + off, c->len - off, 1) == 0 &&
		    p[off] != '\n' && p[off] != '\r')
			break;
		nl = memchr(p + off, '\n', c->len - off);
		off = nl ? (size_t)(nl - p) + 1 : c->len;
	}
	return off;
}

/*
 * A reading of the first block of records with one delimiter: t leading
 * single-field records taken for title lines (when a wider record follows),
 * then a header of h fields and rows, agree of which have h fields too.
 */
struct reading {
	int delim;
	long n;			/* records in the sample */
	long t, h, agree;
	int contradicted;	/* a single-field row after the header */
};

/* Reads the sample from start under delim: up to SNIFF_LINES records of
 * the first block (a blank or comment line after a record ends it). */
static void
sniff_read(const struct kpi_csv *c, size_t start, int delim,
    struct reading *rd)
{
	long counts[SNIFF_LINES], n, i, wide = 0;
	size_t off = start;

	memset(rd, 0, sizeof(*rd));
	rd->delim = delim;
	while (rd->n < SNIFF_LINES && off < c->len) {
		if (rd->n > 0 &&
		    comment_at(c->buf + off, c->len - off, 1) == 1)
			break;
		if ((n = sniff_count(c->buf, c->len, &off, delim, c->eof)) < 0)
			break;
		if (n == 0 && rd->n > 0)
			break;
		if (n > 0)
			counts[rd->n++] = n;
	}
	for (i = 0; i < rd->n; i++)
		wide |= counts[i] > 1;
	while (wide && rd->t < rd->n && counts[rd->t] == 1)
		rd->t++;
	rd->h = rd->t < rd->n ? counts[rd->t] : 1;
	for (i = rd->t + 1; i < rd->n; i++) {
		rd->agree += counts[i] == rd->h;
		rd->contradicted |= rd->t > 0 && counts[i] == 1;
	}
}

/*
 * Whether title lines may be skipped under rd when the sample also reads
 * as one clean column (every record one field).  Export tools write one or
 * two title lines; a column of values that hold ';', TAB or '|' looks like
 * a title then a table, so those need two titles, ',' one, and never more
 * than three.
 */
static int
titles_plausible(const struct reading *rd, int one_column)
{
	if (!one_column || rd->t == 0)
		return 1;
	return rd->t <= 3 && (rd->delim == ',' || rd->t >= 2);
}

/* Whether reading a is better than b: more rows agree with the header,
 * then fewer titles, then more fields; ties keep the earlier candidate. */
static int
reading_better(const struct reading *a, const struct reading *b)
{
	if (a->agree != b->agree)
		return a->agree > b->agree;
	if (a->t != b->t)
		return a->t < b->t;
	return a->h > b->h;
}

/*
 * Chooses the delimiter among the candidates (or takes c->delim) and the
 * title lines to drop.  A reading whose titles the rows contradict, or that
 * is less plausible than one plain column, is not taken.
 */
static void
sniff_choose(struct kpi_csv *c, size_t start)
{
	static const int cand[] = { ',', '\t', ';', '|' };
	struct reading rd, best;
	int one_column = 0, have = 0;
	size_t i, ncand = sizeof(cand) / sizeof(cand[0]);

	if (c->delim != 0) {
		sniff_read(c, start, c->delim, &best);
		c->titles = c->skip < 0 && !best.contradicted ? best.t : 0;
		return;
	}
	for (i = 0; i < ncand; i++) {
		sniff_read(c, start, cand[i], &rd);
		one_column |= rd.h == 1 && rd.t == 0 && rd.agree == rd.n - 1;
	}
	for (i = 0; i < ncand; i++) {
		sniff_read(c, start, cand[i], &rd);
		if (rd.h < 2 || rd.contradicted ||
		    (c->skip < 0 && !titles_plausible(&rd, one_column)))
			continue;
		if (!have || reading_better(&rd, &best))
			best = rd;
		have = 1;
	}
	c->delim = have ? best.delim : ',';
	c->titles = have && c->skip < 0 ? best.t : 0;
}

/* Chooses the delimiter and counts title lines from the first window. */
static int
sniff(struct kpi_csv *c, struct kpi_err *err)
{
	int r;

	/*
	 * An error inside the window (a NUL byte, a damaged member) is told
	 * when the rows before it have been read, with its line.
	 */
	while (c->len < WINDOW && (r = fill(c, err)) != 0)
		if (r < 0) {
			c->pending = 1;
			c->perr = *err;
			c->perr.line = 0;	/* known when the lexer gets there */
			break;
		}
	sniff_choose(c, sniff_start(c));
	return 0;
}

static void
free_keys(struct kpi_csv *c)
{
	size_t i;

	for (i = 0; i < c->nkeys; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->klens);
	free(c->kclean);
	c->keys = NULL;
	c->klens = NULL;
	c->kclean = NULL;
	c->nkeys = 0;
}

/*
 * The header's names as an open-addressing hash set, so that making them
 * unique is linear: each name is looked up once, and each repeated name
 * goes on from the suffix it last reached (a,a,a,... costs no rescans).
 */
struct name_set {
	struct name_slot {
		const char *name;	/* borrowed from c->keys */
		size_t len;
		size_t next;		/* the next suffix to try for it */
		int seen;		/* a column already has this name */
	} *slot;
	size_t mask;
};

static void
names_init(struct name_set *ns, size_t n)
{
	size_t cap = 16;

	while (cap < 4 * n)
		cap *= 2;
	ns->slot = kpi_xmalloc(cap * sizeof(*ns->slot));
	memset(ns->slot, 0, cap * sizeof(*ns->slot));
	ns->mask = cap - 1;
}

/* The slot of name: its own, or the empty one where it would go. */
static struct name_slot *
names_find(const struct name_set *ns, const char *name, size_t len)
{
	size_t h = (size_t)kpi_hash(0, name, len);
	struct name_slot *sl;

	for (;; h++) {
		sl = &ns->slot[h & ns->mask];
		if (sl->name == NULL || (sl->len == len &&
		    memcmp(sl->name, name, len) == 0))
			return sl;
	}
}

/* Adds name (borrowed) unless there; returns its slot. */
static struct name_slot *
names_add(struct name_set *ns, const char *name)
{
	size_t len = strlen(name);
	struct name_slot *sl = names_find(ns, name, len);

	if (sl->name == NULL) {
		sl->name = name;
		sl->len = len;
		sl->next = 2;
	}
	return sl;
}

/*
 * The name of column i: trimmed, valid UTF-8, "col_N" when empty, "raw"
 * before a leading '_' (the toolkit's).  Caller frees.
 */
static char *
column_name(struct kpi_csv *c, size_t i)
{
	const char *s = c->row.p + c->foff[i];
	size_t n = c->flen[i], len;
	int replaced;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s = kpi_text_fix(c->t, s, n, &c->scratch, &len, &replaced);
	if (len == 0) {
		kpi_buf_reset(&c->scratch);
		kpi_buf_addf(&c->scratch, "col_%zu", i + 1);
		return kpi_xstrdup(c->scratch.p);
	}
	if (s[0] == '_') {
		char *k = kpi_xmalloc(len + 4);

		memcpy(k, "raw", 3);
		memcpy(k + 3, s, len);
		k[len + 3] = '\0';
		return k;
	}
	return kpi_xmemdup(s, len);
}

/* Takes the record in c->row as the header. */
static void
set_header(struct kpi_csv *c)
{
	struct name_set ns;
	struct name_slot *sl;
	struct kpi_buf b;
	size_t i;
	char *name;

	free_keys(c);
	c->keys = kpi_xmalloc(c->nf * sizeof(*c->keys));
	c->klens = kpi_xmalloc(c->nf * sizeof(*c->klens));
	for (i = 0; i < c->nf; i++)
		c->keys[i] = column_name(c, i);
	/*
	 * Duplicates become Name_2, Name_3, ..., past every name already
	 * there: the set holds all the header's names from the start.
	 */
	names_init(&ns, c->nf);
	for (i = 0; i < c->nf; i++)
		names_add(&ns, c->keys[i]);
	kpi_buf_init(&b);
	for (i = 0; i < c->nf; i++) {
		sl = names_add(&ns, c->keys[i]);
		if (!sl->seen) {
			sl->seen = 1;
			continue;
		}
		do {
			kpi_buf_reset(&b);
			kpi_buf_addf(&b, "%s_%zu", c->keys[i], sl->next++);
		} while (names_find(&ns, b.p, b.len)->name != NULL);
		name = kpi_xstrdup(b.p);
		free(c->keys[i]);
		c->keys[i] = name;
		names_add(&ns, name)->seen = 1;
	}
	kpi_buf_release(&b);
	free(ns.slot);
	c->kclean = kpi_xmalloc(c->nf);
	for (i = 0; i < c->nf; i++) {
		c->klens[i] = strlen(c->keys[i]);
		c->kclean[i] = (unsigned char)kpi_json_clean(c->keys[i],
		    c->klens[i]);
	}
	c->nkeys = c->nf;
}

/* Field i as valid UTF-8, into r (copied only when it had to be repaired). */
static void
add_value(struct kpi_csv *c, struct kpi_rec *r, size_t i, size_t key)
{
	const char *s = c->row.p + c->foff[i], *v = s;
	size_t len = c->flen[i];
	int replaced = 0;
	struct kpi_field *f;

	/* ASCII is valid in every encoding we read: no check, no copy. */
	if (c->fflags[i] & C_HIGH)
		v = kpi_text_fix(c->t, s, len, &c->scratch, &len, &replaced);
	if (v != s)
		v = kpi_arena_strndup(&r->arena, v, len);
	if (replaced)
		kpi_warn(&c->warn, c->name, c->rec_line, 0,
		    "invalid UTF-8 replaced in field '%s'", c->keys[key]);
	f = kpi_rec_slot(r);
	f->key = c->keys[key];
	f->klen = c->klens[key];
	f->kclean = c->kclean[key];
	f->v.type = KPI_STR;
	f->v.s = v;
	f->v.len = len;
	f->v.num = 0;
	/* Repairs add no byte that needs escaping. */
	f->v.clean = !(c->fflags[i] & C_ESC);
	r->n++;
}

/* Fields past the header, as "_extra"; spreadsheet padding is dropped. */
static int
add_extra(struct kpi_csv *c, struct kpi_rec *r)
{
	struct kpi_val v = { KPI_RAW, NULL, 0, 0, 0 };
	const char *s;
	size_t i, last = c->nkeys, len;
	int replaced;

	for (i = c->nkeys; i < c->nf; i++)
		if (c->flen[i] || c->fquoted[i])
			last = i + 1;
	if (last == c->nkeys)
		return 0;
	kpi_buf_reset(&c->extra);
	kpi_buf_addc(&c->extra, '[');
	for (i = c->nkeys; i < last; i++) {
		if (i > c->nkeys)
			kpi_buf_addc(&c->extra, ',');
		s = kpi_text_fix(c->t, c->row.p + c->foff[i], c->flen[i],
		    &c->scratch, &len, &replaced);
		kpi_json_put_str(&c->extra, s, len);
	}
	kpi_buf_addc(&c->extra, ']');
	v.s = c->extra.p;
	v.len = c->extra.len;
	kpi_rec_add(r, "_extra", 6, &v);
	return 1;
}

/* The record in c->row as a row of r; -1 for a ragged row under --strict. */
static int
build_row(struct kpi_csv *c, struct kpi_rec *r, struct kpi_err *err)
{
	size_t i;
	int ragged;

	kpi_rec_clear(r);
	for (i = 0; i < c->nkeys; i++) {
		if (i < c->nf)
			add_value(c, r, i, i);
		else {
			kpi_rec_add_null(r, c->keys[i], c->klens[i]);
			r->f[r->n - 1].kclean = c->kclean[i];
		}
	}
	ragged = c->nf < c->nkeys;
	if (c->nf > c->nkeys)
		ragged = add_extra(c, r);
	if (!ragged)
		return 0;
	if (c->strict)
		return kpi_err_set(err, c->name, c->rec_line, 0,
		    "row has %zu fields, header has %zu", c->nf, c->nkeys);
	kpi_warn(&c->warn, c->name, c->rec_line, 0,
	    "row has %zu fields, header has %zu", c->nf, c->nkeys);
	return 0;
}

/* Moves past the preamble: --skip lines, or comments; titles come later. */
static int
preamble(struct kpi_csv *c, struct kpi_err *err)
{
	long k;
	int ch;

	if (c->skip < 0)
		return skip_comments(c, err);
	for (k = 0; k < c->skip; k++)
		if ((ch = at_comment(c, err)) < 0 ||
		    note_line(c, ch, err) < 0 || skip_line(c, err) < 0)
			return -1;
	return 0;
}

int
kpi_csv_next(struct kpi_csv *c, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err)
{
	int rc, ch;

	if (c->state == ST_START) {
		if (preamble(c, err) < 0)
			return -1;
		c->state = c->titles > 0 ? ST_TITLES : ST_HEADER;
	}
	for (;;) {
		/* After a blank line, '#' lines start a new table (GA4). */
		if (c->after_blank && c->skip < 0) {
			if ((ch = at_comment(c, err)) < 0)
				return -1;
			if (ch) {
				if (skip_comments(c, err) < 0)
					return -1;
				c->state = ST_HEADER;
			}
		}
		if ((rc = lex_record(c, err)) <= 0)
			return rc;
		if ((c->after_blank = record_blank(c)))
			continue;
		if (c->state == ST_TITLES) {
			/* Google Ads says its range in a title line. */
			if (c->nf == 1)
				kpi_range_line(&c->range, c->row.p +
				    c->foff[0], c->flen[0], 0);
			if (--c->titles == 0)
				c->state = ST_HEADER;
			continue;
		}
		if (c->state == ST_HEADER) {
			set_header(c);
			c->state = ST_ROWS;
			continue;
		}
		*line = c->rec_line;
		return build_row(c, r, err) < 0 ? -1 : 1;
	}
}

struct kpi_csv *
kpi_csv_open(struct kpi_text *t, const char *name,
    const struct kpi_reader_opts *o, struct kpi_err *err)
{
	struct kpi_csv *c;
	size_t i;

	c = kpi_xmalloc(sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->name = kpi_xstrdup(name);
	c->delim = o->format == KPI_FMT_TSV && o->delim == 0 ? '\t' : o->delim;
	c->skip = o->skip;
	c->strict = o->strict;
	c->max_field = o->max_field;
	c->warn = o->warn;
	c->buf = kpi_xmalloc(BUFSZ);
	c->line = 1;
	kpi_buf_init(&c->row);
	kpi_buf_init(&c->scratch);
	kpi_buf_init(&c->extra);
	if (sniff(c, err) < 0) {
		kpi_csv_free(c);
		return NULL;
	}
	for (i = 0; i < 256; i++)
		c->cls[i] = i < 0x20 || i == '"' || i == '\\' ? C_ESC :
		    i >= 0x80 ? C_HIGH : 0;
	c->cls[(unsigned char)c->delim] |= C_STOP;
	c->cls['\n'] |= C_STOP;
	c->cls['\r'] |= C_STOP;
	return c;
}

const struct kpi_range *
kpi_csv_range(const struct kpi_csv *c)
{
	return kpi_range_known(&c->range) ? &c->range : NULL;
}

void
kpi_csv_free(struct kpi_csv *c)
{
	if (c == NULL)
		return;
	free_keys(c);
	free(c->name);
	free(c->buf);
	free(c->foff);
	free(c->flen);
	free(c->fquoted);
	free(c->fflags);
	kpi_buf_release(&c->row);
	kpi_buf_release(&c->scratch);
	kpi_buf_release(&c->extra);
	free(c);
}
