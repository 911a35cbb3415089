/*
 * json.c - the record codec: one JSON object in, one compact object out.
 *
 * The parser is the hot path of every tool downstream of kpi-extract, so it
 * works on the bytes in place: string contents are found eight bytes at a
 * time, copied once into the record's arena (decoded there when they hold
 * escapes), and nothing is malloc'd per field once the arena has grown to a
 * record's size.  It is strict RFC 8259, so what it accepts any JSON reader
 * accepts, and what the writer emits it reads back unchanged.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record.h"
#include "record/readers.h"

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
#define IS_DIGIT(c)	((unsigned int)((unsigned char)(c) - '0') < 10u)

enum {
	MAX_DEPTH = 512,	/* deeper nesting is refused, not recursed */
	HASH_FROM = 16		/* fields before keys are looked up by hash */
};

struct parser {
	const char *s;		/* the text, for error positions */
	const char *p;		/* next byte */
	const char *end;
	struct kpi_rec *r;
	int fallback;		/* read non-UTF-8 strings as Windows-1252 */
	struct kpi_err *err;
	struct kpi_buf tmp;	/* Windows-1252 decoding; rarely used */
	uint32_t *ht;		/* field index + 1 by key hash, or NULL */
	size_t htcap;		/* a power of two */
	int borrow;		/* plain strings stay in the text */
	struct kpi_json_keys *keys;	/* the last row's keys, or NULL */
	size_t nkeys;		/* keys read so far, duplicates included */
	size_t same;		/* the leading ones that are keys's */
	int plain;		/* every key read so far is its own bytes */
};

/* A string literal as found: its raw bytes between the quotes. */
struct rawstr {
	const char *a;
	size_t n;
	int esc;		/* holds a backslash */
	int high;		/* holds a byte >= 0x80 */
};

/* Output growing in the record's arena: a nested value's compact text. */
struct sink {
	char *p;
	size_t len;
	size_t cap;
	struct kpi_arena *a;
};

static int emit_value(struct parser *, struct sink *, int);

/* Sets the error at byte at, counting lines and byte columns from ps->s. */
static int
fail(struct parser *ps, const char *at, const char *msg)
{
	const char *q, *bol = ps->s;
	unsigned long line = 1;

	for (q = ps->s; q < at; q++)
		if (*q == '\n') {
			line++;
			bol = q + 1;
		}
	ps->err->line = line;
	ps->err->col = (unsigned long)(at - bol) + 1;
	snprintf(ps->err->msg, sizeof(ps->err->msg), "%s", msg);
	return -1;
}

/* The input ended where msg's byte was wanted, or that byte is wrong. */
static int
want(struct parser *ps, const char *msg)
{
	if (ps->p == ps->end)
		return fail(ps, ps->p, "unexpected end of input");
	return fail(ps, ps->p, msg);
}

static void
skip_ws_run(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' ||
	    *ps->p == '\r' || *ps->p == '\t'))
		ps->p++;
}

/* Skips whitespace; most JSON has none between tokens: that is tried first. */
static inline void
skip_ws(struct parser *ps)
{
	if (ps->p < ps->end && (unsigned char)*ps->p <= ' ')
		skip_ws_run(ps);
}

/*
 * Nonzero when one of the 8 bytes in w is '"', '\\' or below 0x20: the
 * "has a zero byte" test of the Bit Twiddling Hacks, three times over,
 * exact for "any", which is all the callers ask.
 */
static inline uint64_t
word_special(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');

	return ((w - ONES * 0x20) | (q - ONES) | (b - ONES)) & ~w & HIGHS;
}

/*
 * The first of q[0..end) that is '"', '\\' or a control byte, or end;
 * ORs the bytes before it into *high.  Inline: every string of every row
 * goes through it.
 */
static inline const char *
plain_end(const char *q, const char *end, uint64_t *high)
{
	uint64_t w, x;
	unsigned char c;

	while (end - q >= 8) {
		memcpy(&w, q, 8);
		if ((x = word_special(w)) != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/*
			 * The lowest flag is exact (a borrow runs only up from
			 * a byte that is special): the first special byte is
			 * there, and most strings, keys above all, end in
			 * their first word.
			 */
			unsigned k = (unsigned)__builtin_ctzll(x) / 8;

			*high |= w & ((1ULL << (k * 8)) - 1);
			return q + k;
#else
			break;
#endif
		}
		*high |= w;
		q += 8;
	}
	for (; q < end; q++) {
		c = (unsigned char)*q;
		if (c < 0x20 || c == '"' || c == '\\')
			break;
		*high |= c;
	}
	return q;
}

/* Length of the prefix of s[0..n) with no '"', '\\' or control byte. */
static inline size_t
clean_len(const char *s, size_t n, uint64_t *high)
{
	return (size_t)(plain_end(s, s + n, high) - s);
}

/* Finds the string literal at ps->p and moves past it; decodes nothing. */
static int
scan_string(struct parser *ps, struct rawstr *st)
{
	const char *q = ps->p + 1;
	uint64_t high = 0;

	st->a = q;
	st->esc = 0;
	for (;;) {
		q = plain_end(q, ps->end, &high);
		if (q == ps->end)
			return fail(ps, ps->p,
			    "invalid JSON: unterminated string");
		if (*q == '"')
			break;
		if (*q != '\\')
			return fail(ps, q, *q == '\n' ?
			    "invalid JSON: newline in string" :
			    "invalid JSON: control character in string");
		/* The escaped byte is judged when decoding. */
		if (ps->end - q < 2)
			return fail(ps, ps->p,
			    "invalid JSON: unterminated string");
		st->esc = 1;
		q += 2;
	}
	st->n = (size_t)(q - st->a);
	st->high = (high & HIGHS) != 0;
	ps->p = q + 1;
	return 0;
}

/* Reads 4 hex digits at q (before lim) into *cp; ps NULL: just say no. */
static int
hex4(struct parser *ps, const char *q, const char *lim, unsigned long *cp)
{
	int i, c;

	*cp = 0;
	for (i = 0; i < 4; i++) {
		c = q + i < lim ? (unsigned char)q[i] : -1;
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else if (ps == NULL)
			return -1;
		else
			return fail(ps, q + i,
			    "invalid JSON: invalid \\u escape");
		*cp = *cp << 4 | (unsigned long)c;
	}
	return 0;
}

/*
 * Decodes the escape at *qp (a backslash; the scanner saw a byte after it
 * before lim) into o, at most 4 bytes, never more than the escape's own
 * length.  A surrogate not part of a pair becomes U+FFFD, as the JSON text
 * is still well formed and refusing the record would lose the rest of it.
 */
static int
unescape(struct parser *ps, const char **qp, const char *lim, char *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *q = *qp, *c;
	unsigned long cp, lo;

	if (q[1] != 'u') {
		if (q[1] == '\0' || (c = strchr(from, q[1])) == NULL)
			return fail(ps, q + 1, "invalid JSON: invalid escape");
		*o = to[c - from];
		*qp = q + 2;
		return 1;
	}
	if (hex4(ps, q + 2, lim, &cp) < 0)
		return -1;
	q += 6;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (lim - q >= 6 && q[0] == '\\' && q[1] == 'u' &&
		    hex4(NULL, q + 2, lim, &lo) == 0 &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			q += 6;
		} else
			cp = 0xFFFD;
	} else if (cp >= 0xDC00 && cp <= 0xDFFF)
		cp = 0xFFFD;
	*qp = q;
	return (int)kpi_utf8_encode(o, cp);
}

/* Decodes a string with escapes: the output is never longer than the input. */
static int
decode_escaped(struct parser *ps, const struct rawstr *st, const char **out,
    size_t *len)
{
	const char *q = st->a, *lim = st->a + st->n, *bs;
	char *o, *start;
	int k;

	start = o = kpi_arena_alloc(&ps->r->arena, st->n + 1);
	while (q < lim) {
		if ((bs = memchr(q, '\\', (size_t)(lim - q))) == NULL)
			bs = lim;
		memcpy(o, q, (size_t)(bs - q));
		o += bs - q;
		if ((q = bs) == lim)
			break;
		if ((k = unescape(ps, &q, lim, o)) < 0)
			return -1;
		o += k;
	}
	*o = '\0';
	*out = start;
	*len = (size_t)(o - start);
	return 0;
}

/* Decodes a string that is not UTF-8 as Windows-1252, escapes and all. */
static int
decode_cp1252(struct parser *ps, const struct rawstr *st, const char **out,
    size_t *len)
{
	const char *q = st->a, *lim = st->a + st->n, *bs;
	char u[4];
	int k;

	kpi_buf_reset(&ps->tmp);
	while (q < lim) {
		if ((bs = memchr(q, '\\', (size_t)(lim - q))) == NULL)
			bs = lim;
		kpi_cp1252_to_utf8(&ps->tmp, q, (size_t)(bs - q));
		if ((q = bs) == lim)
			break;
		if ((k = unescape(ps, &q, lim, u)) < 0)
			return -1;
		kpi_buf_add(&ps->tmp, u, (size_t)k);
	}
	*len = ps->tmp.len;
	*out = kpi_arena_strndup(&ps->r->arena, ps->tmp.p ? ps->tmp.p : "",
	    *len);
	return 0;
}

/*
 * Decodes st into the record's arena: *out is NUL-terminated, *len long.
 * When borrowing, a string that needs no decoding is left where it is,
 * and terminated after the parse (terminate).
 */
static int
decode_string(struct parser *ps, const struct rawstr *st, const char **out,
    size_t *len)
{
	size_t k;

	if (st->high && (k = kpi_utf8_valid_prefix(st->a, st->n)) < st->n) {
		if (!ps->fallback)
			return fail(ps, st->a + k, "invalid UTF-8 in string");
		return decode_cp1252(ps, st, out, len);
	}
	if (st->esc)
		return decode_escaped(ps, st, out, len);
	*len = st->n;
	*out = ps->borrow ? st->a :
	    kpi_arena_strndup(&ps->r->arena, st->a, st->n);
	return 0;
}

/* Consumes literal word (true, false, null) at ps->p. */
static int
scan_literal(struct parser *ps, const char *word, size_t n)
{
	size_t have = (size_t)(ps->end - ps->p);

	if (have >= n && memcmp(ps->p, word, n) == 0) {
		ps->p += n;
		return 0;
	}
	if (have < n && memcmp(ps->p, word, have) == 0)
		return fail(ps, ps->end, "unexpected end of input");
	return fail(ps, ps->p, "invalid JSON: invalid literal");
}

/* Consumes a run of digits at *qp, at least one; adds them to *mant. */
static int
scan_digits(struct parser *ps, const char **qp, uint64_t *mant, int *ndig)
{
	const char *q = *qp;

	if (q == ps->end)
		return fail(ps, q, "unexpected end of input");
	if (!IS_DIGIT(*q))
		return fail(ps, q, "invalid JSON: invalid number");
	for (; q < ps->end && IS_DIGIT(*q); q++)
		if ((*ndig)++ < 19)
			*mant = *mant * 10 + (uint64_t)(*q - '0');
	*qp = q;
	return 0;
}

/*
 * Checks the number at ps->p against RFC 8259 and moves past it.  When num
 * is not NULL and the number is simple enough, sets *num and *exact: up to
 * 15 digits scaled by at most 10^22 are both exact doubles, so one IEEE
 * multiply or divide rounds correctly (Clinger's fast path); the rest is
 * left to strtod.
 */
static int
scan_number(struct parser *ps, double *num, int *exact)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	const char *q = ps->p;
	uint64_t mant = 0, ex = 0;
	int ndig = 0, fdig = 0, xdig = 0, neg = 0, eneg = 0;
	long e10;

	if (*q == '-') {
		neg = 1;
		q++;
	}
	if (q < ps->end && *q == '0') {
		if (++q < ps->end && IS_DIGIT(*q))
			return fail(ps, q,
			    "invalid JSON: leading zero in number");
	} else if (scan_digits(ps, &q, &mant, &ndig) < 0)
		return -1;
	if (q < ps->end && *q == '.') {
		q++;
		fdig = ndig;
		if (scan_digits(ps, &q, &mant, &ndig) < 0)
			return -1;
		fdig = ndig - fdig;
	}
	if (q < ps->end && (*q == 'e' || *q == 'E')) {
		if (++q < ps->end && (*q == '+' || *q == '-'))
			eneg = *q++ == '-';
		if (scan_digits(ps, &q, &ex, &xdig) < 0)
			return -1;
	}
	ps->p = q;
	if (num == NULL)
		return 0;
	e10 = xdig > 4 ? 9999 : (long)ex;
	e10 = (eneg ? -e10 : e10) - fdig;
#if FLT_EVAL_METHOD == 0
	*exact = ndig <= 15 && e10 >= -22 && e10 <= 22;
#else
	*exact = 0;
#endif
	if (*exact) {
		*num = e10 < 0 ? (double)mant / p10[-e10] :
		    (double)mant * p10[e10];
		if (neg)
			*num = -*num;
	}
	return 0;
}

/*
 * The common number, -?(0|[1-9][0-9]*)(.[0-9]+)? of at most 15 digits and
 * followed by a byte that cannot go on with it, read in one pass: its
 * value is then the quotient of two exact doubles, correctly rounded as
 * scan_number's would be.  Returns 0, moving nothing, for any other text,
 * which scan_number judges.
 */
static inline int
simple_number(struct parser *ps, double *num)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *q = ps->p, *end = ps->end, *d;
	uint64_t m = 0;		/* wraps past 19 digits: not used then */
	size_t nd, nf = 0;
	int neg = *q == '-';

	d = q += neg;
	while (q < end && IS_DIGIT(*q))
		m = m * 10 + (uint64_t)(*q++ - '0');
	if ((nd = (size_t)(q - d)) == 0 || (nd > 1 && *d == '0'))
		return 0;
	if (q < end && *q == '.') {
		d = ++q;
		while (q < end && IS_DIGIT(*q))
			m = m * 10 + (uint64_t)(*q++ - '0');
		if ((nf = (size_t)(q - d)) == 0)
			return 0;
		nd += nf;
	}
	if (q == end || *q == 'e' || *q == 'E' || nd > 15)
		return 0;
	*num = (double)m / p10[nf];
	if (neg)
		*num = -*num;
	ps->p = q;
	return 1;
}

/* The number at ps->p as KPI_NUM: its text kept, its value converted. */
static int
parse_number(struct parser *ps, struct kpi_val *v)
{
	const char *start = ps->p;
	int exact = 0;

	if (simple_number(ps, &v->num)) {
		v->len = (size_t)(ps->p - start);
		v->s = ps->borrow ? start :
		    kpi_arena_strndup(&ps->r->arena, start, v->len);
		return 0;
	}
	if (scan_number(ps, &v->num, &exact) < 0)
		return -1;
	v->len = (size_t)(ps->p - start);
	/* strtod wants a terminated copy: the text may end at the number. */
	v->s = ps->borrow && exact ? start :
	    kpi_arena_strndup(&ps->r->arena, start, v->len);
	if (!exact)
		v->num = strtod(v->s, NULL);
	return 0;
}

/* Bytes the escapes in s[0..n) add to it as a JSON string. */
static size_t
escape_extra(const char *s, size_t n)
{
	uint64_t high = 0;
	size_t i = 0, extra = 0;
	unsigned char c;

	while ((i += clean_len(s + i, n - i, &high)) < n) {
		c = (unsigned char)s[i++];
		if (c == '"' || c == '\\' || c == '\b' || c == '\f' ||
		    c == '\n' || c == '\r' || c == '\t')
			extra += 1;
		else
			extra += 5;
	}
	return extra;
}

/* Writes s[0..n) escaped at o, which has the room; returns the new end. */
static char *
escape_to(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t high = 0;
	size_t i = 0, k;
	unsigned char c;

	for (;;) {
		k = clean_len(s + i, n - i, &high);
		memcpy(o, s + i, k);
		o += k;
		if ((i += k) == n)
			return o;
		c = (unsigned char)s[i++];
		*o++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*o++ = (char)c;
			break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 15];
			o += 5;
			break;
		}
	}
}

/* Makes room for n more bytes; the old text is copied, its block left. */
static void
sink_need(struct sink *k, size_t n)
{
	size_t cap;
	char *p;

	if (k->cap - k->len >= n)
		return;
	cap = k->cap ? k->cap * 2 : 64;
	while (cap - k->len < n)
		cap *= 2;
	p = kpi_arena_alloc(k->a, cap);
	if (k->len)
		memcpy(p, k->p, k->len);
	k->p = p;
	k->cap = cap;
}

static void
sink_add(struct sink *k, const char *s, size_t n)
{
	sink_need(k, n);
	memcpy(k->p + k->len, s, n);
	k->len += n;
}

/*
 * Copies the string at ps->p into k canonically.  A string without escapes
 * that is valid UTF-8 already is canonical (the scanner refused raw control
 * bytes), so only the others are decoded and escaped again.
 */
static int
emit_string(struct parser *ps, struct sink *k)
{
	const char *start = ps->p, *s;
	struct rawstr st;
	size_t n;
	char *o;

	if (scan_string(ps, &st) < 0)
		return -1;
	if (!st.esc && (!st.high ||
	    kpi_utf8_valid_prefix(st.a, st.n) == st.n)) {
		sink_add(k, start, (size_t)(ps->p - start));
		return 0;
	}
	if (decode_string(ps, &st, &s, &n) < 0)
		return -1;
	sink_need(k, n + escape_extra(s, n) + 2);
	o = k->p + k->len;
	*o++ = '"';
	o = escape_to(o, s, n);
	*o++ = '"';
	k->len = (size_t)(o - k->p);
	return 0;
}

/* Copies the object or array at ps->p into k without its whitespace. */
static int
emit_container(struct parser *ps, struct sink *k, int depth)
{
	char close = *ps->p == '{' ? '}' : ']';

	sink_add(k, ps->p++, 1);
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close)
		goto out;
	for (;;) {
		if (ps->p < ps->end && *ps->p == close)
			return fail(ps, ps->p, "invalid JSON: trailing comma");
		if (close == '}') {
			if (ps->p == ps->end || *ps->p != '"')
				return want(ps, "invalid JSON: expected key");
			if (emit_string(ps, k) < 0)
				return -1;
			skip_ws(ps);
			if (ps->p == ps->end || *ps->p != ':')
				return want(ps,
				    "invalid JSON: expected ':' after key");
			sink_add(k, ps->p++, 1);
			skip_ws(ps);
		}
		if (emit_value(ps, k, depth + 1) < 0)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			sink_add(k, ps->p++, 1);
			skip_ws(ps);
		} else if (ps->p < ps->end && *ps->p == close)
			break;
		else
			return want(ps, close == '}' ?
			    "invalid JSON: expected ',' or '}'" :
			    "invalid JSON: expected ',' or ']'");
	}
out:
	sink_add(k, ps->p++, 1);
	return 0;
}

/* Copies any value at ps->p into k, compactly; numbers keep their text. */
static int
emit_value(struct parser *ps, struct sink *k, int depth)
{
	const char *start = ps->p;
	int rc;

	if (ps->p == ps->end)
		return fail(ps, ps->p, "unexpected end of input");
	switch (*ps->p) {
	case '{':
	case '[':
		if (depth > MAX_DEPTH)
			return fail(ps, ps->p,
			    "invalid JSON: nesting too deep");
		return emit_container(ps, k, depth);
	case '"':
		return emit_string(ps, k);
	case 't':
		rc = scan_literal(ps, "true", 4);
		break;
	case 'f':
		rc = scan_literal(ps, "false", 5);
		break;
	case 'n':
		rc = scan_literal(ps, "null", 4);
		break;
	default:
		if (*ps->p != '-' && !IS_DIGIT(*ps->p))
			return fail(ps, ps->p,
			    "invalid JSON: expected a value");
		rc = scan_number(ps, NULL, NULL);
		break;
	}
	if (rc == 0)
		sink_add(k, start, (size_t)(ps->p - start));
	return rc;
}

/*
 * A string value at ps->p that is left where it is: no escapes, ASCII,
 * ended.  Returns 0, moving nothing, for any other, which parse_string
 * decodes.
 */
static inline int
borrow_string(struct parser *ps, struct kpi_val *v)
{
	const char *a = ps->p + 1, *q;
	uint64_t high = 0;

	q = plain_end(a, ps->end, &high);
	if (q == ps->end || *q != '"' || (high & HIGHS) != 0)
		return 0;
	v->s = a;
	v->len = (size_t)(q - a);
	v->clean = 1;
	ps->p = q + 1;
	return 1;
}

/* A string value at ps->p, decoded as decode_string does. */
static int
parse_string(struct parser *ps, struct kpi_val *v)
{
	struct rawstr st;

	if (scan_string(ps, &st) < 0)
		return -1;
	v->clean = !st.esc;
	return decode_string(ps, &st, &v->s, &v->len);
}

/* A nested object or array at ps->p, as compact text in the arena. */
static int
parse_raw(struct parser *ps, struct kpi_val *v)
{
	struct sink k = { NULL, 0, 0, &ps->r->arena };

	if (emit_container(ps, &k, 1) < 0)
		return -1;
	sink_add(&k, "", 1);	/* NUL-terminated, as strings are */
	v->s = k.p;
	v->len = k.len - 1;
	return 0;
}

/* A field's value at ps->p; v's text goes to the record's arena. */
static int
parse_value(struct parser *ps, struct kpi_val *v)
{
	v->s = NULL;
	v->len = 0;
	v->num = 0;
	v->clean = 0;
	if (ps->p == ps->end)
		return fail(ps, ps->p, "unexpected end of input");
	switch (*ps->p) {
	case '"':
		v->type = KPI_STR;
		if (ps->borrow && borrow_string(ps, v))
			return 0;
		return parse_string(ps, v);
	case '{':
	case '[':
		v->type = KPI_RAW;
		return parse_raw(ps, v);
	case 't':
		v->type = KPI_TRUE;
		return scan_literal(ps, "true", 4);
	case 'f':
		v->type = KPI_FALSE;
		return scan_literal(ps, "false", 5);
	case 'n':
		v->type = KPI_NULL;
		return scan_literal(ps, "null", 4);
	}
	if (*ps->p != '-' && !IS_DIGIT(*ps->p))
		return fail(ps, ps->p, "invalid JSON: expected a value");
	v->type = KPI_NUM;
	return parse_number(ps, v);
}

/* The index slot of key: the one holding it, or the empty one for it. */
static uint32_t *
index_slot(struct parser *ps, const char *key, size_t klen)
{
	size_t mask = ps->htcap - 1, h = kpi_hash(0, key, klen) & mask;
	struct kpi_field *f;

	for (;; h = (h + 1) & mask) {
		if (ps->ht[h] == 0)
			return &ps->ht[h];
		f = &ps->r->f[ps->ht[h] - 1];
		if (f->klen == klen && memcmp(f->key, key, klen) == 0)
			return &ps->ht[h];
	}
}

/* (Re)builds the key index with room for the fields, in the record's arena. */
static void
index_build(struct parser *ps)
{
	size_t i, cap = ps->htcap ? ps->htcap : 64;

	while (ps->r->n * 2 > cap)
		cap *= 2;
	ps->ht = kpi_arena_alloc(&ps->r->arena, cap * sizeof(*ps->ht));
	memset(ps->ht, 0, cap * sizeof(*ps->ht));
	ps->htcap = cap;
	for (i = 0; i < ps->r->n; i++)
		*index_slot(ps, ps->r->f[i].key, ps->r->f[i].klen) =
		    (uint32_t)i + 1;
}

/*
 * Makes the field kpi_rec_slot gave, its value parsed there before its key
 * was known to be new, the record's, named key.
 */
static inline void
take_field(struct parser *ps, const char *key, size_t klen, int kclean)
{
	struct kpi_rec *r = ps->r;
	struct kpi_field *f = &r->f[r->n++];

	f->key = key;
	f->klen = klen;
	f->kclean = (unsigned char)kclean;
	if (ps->ht == NULL)
		return;
	if (r->n * 2 > ps->htcap)
		index_build(ps);
	else
		*index_slot(ps, key, klen) = (uint32_t)r->n;
}

/*
 * Takes kpi_rec_slot's field, or gives its value to an earlier one of the
 * same key (the last wins, at the first one's place).  Narrow records are
 * searched in a line; wide ones through a hash index, built when first
 * needed, or a 1000-column row would cost half a million key comparisons.
 */
static void
set_field(struct parser *ps, const char *key, size_t klen, int kclean)
{
	struct kpi_rec *r = ps->r;
	uint32_t *slot;
	size_t i;

	if (ps->ht == NULL && r->n >= HASH_FROM)
		index_build(ps);
	if (ps->ht != NULL) {
		slot = index_slot(ps, key, klen);
		if (*slot != 0) {
			r->f[*slot - 1].v = r->f[r->n].v;
			return;
		}
	} else
		for (i = 0; i < r->n; i++)
			if (r->f[i].klen == klen && r->f[i].key[0] == key[0] &&
			    memcmp(r->f[i].key, key, klen) == 0) {
				r->f[i].v = r->f[r->n].v;
				return;
			}
	take_field(ps, key, klen, kclean);
}

/*
 * The key at ps->p, when it is the last row's key at this place, byte for
 * byte up to its closing quote, and every key before it was the last row's
 * too: then it is a plain string, the same decoded, and none of the row's
 * earlier keys (the last row's keys are distinct), so it is neither
 * scanned nor looked for among them.  Sets *key (in the text) and *klen.
 * The first 8 bytes are one masked compare of words (k->w, k->m), as most
 * keys with their quote fit in them.
 */
static int
same_key(struct parser *ps, const char **key, size_t *klen)
{
	const struct kpi_json_keys *kk = ps->keys;
	const char *a = ps->p + 1, *k;
	uint64_t x;
	size_t n, i = ps->same;

	if (kk == NULL || i != ps->nkeys || i == kk->n)
		return 0;
	n = kk->k[i].len + 1;
	k = kk->text.p + kk->k[i].off;
	if ((size_t)(ps->end - a) < n)
		return 0;
	if (ps->end - a >= 8) {
		memcpy(&x, a, 8);
		if (((x ^ kk->k[i].w) & kk->k[i].m) != 0 ||
		    (n > 8 && !kpi_same_bytes(a + 8, k + 8, n - 8)))
			return 0;
	} else if (!kpi_same_bytes(a, k, n))
		return 0;
	*key = a;
	*klen = n - 1;
	ps->p = a + n;
	ps->same++;
	return 1;
}

/* One member's key at ps->p, and the ':' after it. */
static int
member_key(struct parser *ps, const char **key, size_t *klen, int *known,
    int *kclean)
{
	struct rawstr st;

	if (ps->p == ps->end || *ps->p != '"')
		return want(ps, "invalid JSON: expected key");
	if ((*known = same_key(ps, key, klen)) != 0)
		*kclean = 1;
	else {
		if (scan_string(ps, &st) < 0 ||
		    decode_string(ps, &st, key, klen) < 0)
			return -1;
		/* Unescaped JSON text holds no byte that needs escaping. */
		*kclean = !st.esc;
		ps->plain &= *key == st.a;
	}
	ps->nkeys++;
	if (ps->p < ps->end && *ps->p == ':') {
		ps->p++;
		return 0;
	}
	skip_ws(ps);
	if (ps->p == ps->end || *ps->p != ':')
		return want(ps, "invalid JSON: expected ':' after key");
	ps->p++;
	return 0;
}

/* The members of the top-level object at ps->p, as fields of ps->r. */
static int
parse_members(struct parser *ps)
{
	const char *key;
	size_t klen;
	int known, kclean;

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}')
		goto out;
	for (;;) {
		if (ps->p < ps->end && *ps->p == '}')
			return fail(ps, ps->p, "invalid JSON: trailing comma");
		if (member_key(ps, &key, &klen, &known, &kclean) < 0)
			return -1;
		skip_ws(ps);
		if (parse_value(ps, &kpi_rec_slot(ps->r)->v) < 0)
			return -1;
		if (known)
			take_field(ps, key, klen, kclean);
		else
			set_field(ps, key, klen, kclean);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
		} else if (ps->p < ps->end && *ps->p == '}')
			break;
		else
			return want(ps, "invalid JSON: expected ',' or '}'");
	}
out:
	ps->p++;
	return 0;
}

static void
parser_init(struct parser *ps, struct kpi_rec *r, const char *s, size_t n,
    int cp1252_fallback, struct kpi_err *err)
{
	memset(ps, 0, sizeof(*ps));
	ps->s = ps->p = s;
	ps->end = s + n;
	ps->r = r;
	ps->fallback = cp1252_fallback;
	ps->err = err;
	ps->plain = 1;
	kpi_buf_init(&ps->tmp);
	kpi_rec_clear(r);
}

/* One object, the whole of s[0..n) but for whitespace. */
static int
parse_object(struct parser *ps)
{
	int rc;

	skip_ws(ps);
	if (ps->p == ps->end || *ps->p != '{')
		rc = fail(ps, ps->p, "expected an object");
	else if ((rc = parse_members(ps)) == 0) {
		skip_ws(ps);
		if (ps->p != ps->end)
			rc = fail(ps, ps->p,
			    "invalid JSON: unexpected text after the object");
	}
	kpi_buf_release(&ps->tmp);
	if (rc != 0)
		kpi_rec_clear(ps->r);
	return rc;
}

int
kpi_json_parse_object(struct kpi_rec *r, const char *s, size_t n,
    int cp1252_fallback, struct kpi_err *err)
{
	struct parser ps;

	parser_init(&ps, r, s, n, cp1252_fallback, err);
	return parse_object(&ps);
}

/* Whether p points into s[0..n). */
static int
within(const char *p, const char *s, size_t n)
{
	return (uintptr_t)p - (uintptr_t)s < n;
}

/*
 * Ends with a NUL each key and value that was left in s: the byte after
 * it (a closing quote, or what ended a number) was read and is not needed.
 */
static void
terminate(struct kpi_rec *r, char *s, size_t n)
{
	struct kpi_field *f;
	size_t i;

	for (i = 0; i < r->n; i++) {
		f = &r->f[i];
		if (within(f->key, s, n))
			s[f->key + f->klen - s] = '\0';
		if ((f->v.type == KPI_STR || f->v.type == KPI_NUM) &&
		    within(f->v.s, s, n))
			s[f->v.s + f->v.len - s] = '\0';
	}
}

/* The first 8 bytes of k[0..n) as a word, and the mask of those of k. */
static void
key_word(uint64_t *w, uint64_t *m, const char *k, size_t n)
{
	unsigned char b[8] = { 0 }, mb[8] = { 0 };

	if (n > 8)
		n = 8;
	memcpy(b, k, n);
	memset(mb, 0xFF, n);
	memcpy(w, b, 8);
	memcpy(m, mb, 8);
}

/* The row's keys become keys. */
static void
keys_remember(struct kpi_json_keys *kk, const struct kpi_rec *r)
{
	size_t i;

	if (kk->cap < r->n) {
		kk->cap = r->n;
		kk->k = kpi_xrealloc(kk->k, kk->cap * sizeof(*kk->k));
	}
	kpi_buf_reset(&kk->text);
	for (i = 0; i < r->n; i++) {
		kk->k[i].off = kk->text.len;
		kk->k[i].len = r->f[i].klen;
		kpi_buf_add(&kk->text, r->f[i].key, r->f[i].klen);
		kpi_buf_addc(&kk->text, '"');
		key_word(&kk->k[i].w, &kk->k[i].m, kk->text.p + kk->k[i].off,
		    r->f[i].klen + 1);
	}
	kk->n = r->n;
}

int
kpi_json_parse_row(struct kpi_rec *r, char *s, size_t n, int cp1252_fallback,
    struct kpi_json_keys *keys, struct kpi_err *err)
{
	struct parser ps;

	parser_init(&ps, r, s, n, cp1252_fallback, err);
	ps.borrow = 1;
	ps.keys = keys;
	if (parse_object(&ps) < 0)
		return -1;
	if (keys != NULL && (ps.same != ps.nkeys || ps.same != keys->n)) {
		if (ps.plain && r->n == ps.nkeys)
			keys_remember(keys, r);
		else	/* the row's keys are not worth remembering */
			keys->n = 0;
	}
	terminate(r, s, n);
	return 0;
}

void
kpi_json_keys_init(struct kpi_json_keys *kk)
{
	memset(kk, 0, sizeof(*kk));
	kpi_buf_init(&kk->text);
}

void
kpi_json_keys_release(struct kpi_json_keys *kk)
{
	free(kk->k);
	kpi_buf_release(&kk->text);
	kpi_json_keys_init(kk);
}

int
kpi_json_parse_array(struct kpi_rec *r, const char *s, size_t n,
    struct kpi_err *err)
{
	struct parser ps;
	struct kpi_val v;
	int rc = 0;

	parser_init(&ps, r, s, n, 0, err);
	skip_ws(&ps);
	if (ps.p == ps.end || *ps.p != '[')
		rc = fail(&ps, ps.p, "expected an array");
	else {
		ps.p++;
		skip_ws(&ps);
		while (rc == 0 && ps.p < ps.end && *ps.p != ']') {
			if ((rc = parse_value(&ps, &v)) < 0)
				break;
			kpi_rec_add(r, "", 0, &v)->kclean = 1;
			skip_ws(&ps);
			if (ps.p < ps.end && *ps.p == ',') {
				ps.p++;
				skip_ws(&ps);
				if (ps.p < ps.end && *ps.p == ']')
					rc = fail(&ps, ps.p,
					    "invalid JSON: trailing comma");
			} else if (ps.p == ps.end || *ps.p != ']')
				rc = want(&ps, "invalid JSON: expected ',' or ']'");
		}
		if (rc == 0 && ps.p == ps.end)
			rc = fail(&ps, ps.p, "unexpected end of input");
		if (rc == 0) {
			ps.p++;
			skip_ws(&ps);
			if (ps.p != ps.end)
				rc = fail(&ps, ps.p,
				    "invalid JSON: unexpected text after the array");
		}
	}
	kpi_buf_release(&ps.tmp);
	if (rc != 0)
		kpi_rec_clear(r);
	return rc;
}

void
kpi_json_put_str(struct kpi_buf *b, const char *s, size_t n)
{
	uint64_t high = 0;
	size_t k, need;
	char *o;

	k = clean_len(s, n, &high);
	need = n + 2 + (k < n ? escape_extra(s + k, n - k) : 0);
	if (b->len + need + 1 > b->cap)
		kpi_buf_grow(b, need);
	o = b->p + b->len;
	*o++ = '"';
	if (k > 0)		/* s may be NULL when n is 0 */
		memcpy(o, s, k);
	o += k;
	if (k < n)
		o = escape_to(o, s + k, n - k);
	*o++ = '"';
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

/*
 * Copies s[0..n) to o (s may be NULL when n is 0); returns the end.  Keys
 * and values are mostly a few bytes: two loads and two stores that may
 * overlap cost less than a call.
 */
static inline char *
copy_to(char *o, const char *s, size_t n)
{
	char *e = o + n;
	uint64_t a, b;
	uint32_t c, d;

	if (n >= 8 && n <= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(o, &a, 8);
		memcpy(o + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&c, s, 4);
		memcpy(&d, s + n - 4, 4);
		memcpy(o, &c, 4);
		memcpy(o + n - 4, &d, 4);
	} else if (n > 16)
		memcpy(o, s, n);
	else
		while (o < e)
			*o++ = *s++;
	return e;
}

/* Writes an integer below 2^53 in magnitude at o, digits by hand. */
static char *
int_to(char *o, double num)
{
	char d[24], *e = d + sizeof(d), *q = e;
	uint64_t u = (uint64_t)fabs(num);

	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (num < 0)
		*--q = '-';
	return copy_to(o, q, (size_t)(e - q));
}

/*
 * x rounded to an integer, for |x| < 2^51: adding 1.5 * 2^52 leaves no
 * bits below the units, so the sum is x rounded to nearest (even at a
 * tie), exactly, and so is the difference.  llround, which put_decimal
 * used, rounds a tie away from zero instead, but at a tie neither
 * neighbour passes put_decimal's test (see there), so the bytes are the
 * same, at a sixth of the cost.
 */
static inline long long
round_int(double x)
{
#if FLT_EVAL_METHOD == 0
	return (long long)((x + 6755399441055744.0) - 6755399441055744.0);
#else
	return llround(x);	/* wider arithmetic would not round the sum */
#endif
}

/*
 * Money and rates: a value with at most 6 decimals below 1e9 is written
 * without printf.  When m / 10^d is exactly num, the text of m with the
 * point d places in reads back as num, and the smallest such d gives what
 * "%.15g" would (at most 15 digits, no exponent above 1e-4): same bytes,
 * a fifth of the time.  A tie in rounding num * 10^d (x.5 exactly) passes
 * for neither neighbour: they are 0.5 / 10^d >= 5e-7 from num, many ulps
 * of a num below 1e9 (1.2e-7 at most).  Returns NULL when num is not such
 * a value, else the end of what it wrote at o.
 */
static char *
decimal_to(char *o, double num)
{
	static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	char d[32], *e = d + sizeof(d), *q = e;
	long long m;
	int k, places;

	if (!(fabs(num) >= 1e-4 && fabs(num) < 1e9))
		return NULL;
	for (places = 1; places <= 6; places++) {
		m = round_int(num * p10[places]);
		if ((double)m / p10[places] == num)
			break;
	}
	if (places > 6)
		return NULL;
	m = m < 0 ? -m : m;
	for (k = 0; k < places; k++, m /= 10)
		*--q = (char)('0' + m % 10);
	*--q = '.';
	do
		*--q = (char)('0' + m % 10);
	while ((m /= 10) != 0);
	if (num < 0)
		*--q = '-';
	return copy_to(o, q, (size_t)(e - q));
}

enum { NUM_ROOM = 32 };		/* the longest a number is written */

/* kpi_json_put_num at o, which has NUM_ROOM bytes; returns the end. */
static char *
num_to(char *o, double num)
{
	char t[NUM_ROOM], *e;
	int prec, n = 0;

	if (isnan(num) || isinf(num)) {
		memcpy(o, "null", 4);
		return o + 4;
	}
	if (num == 0) {		/* also -0 */
		*o = '0';
		return o + 1;
	}
	if (fabs(num) < 9007199254740992.0 && num == floor(num))
		return int_to(o, num);
	if ((e = decimal_to(o, num)) != NULL)
		return e;
	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(t, sizeof(t), "%.*g", prec, num);
		if (strtod(t, NULL) == num)
			break;
	}
	memcpy(o, t, (size_t)n);
	return o + n;
}

void
kpi_json_put_num(struct kpi_buf *b, double num)
{
	if (b->len + NUM_ROOM + 1 > b->cap)
		kpi_buf_grow(b, NUM_ROOM);
	b->len = (size_t)(num_to(b->p + b->len, num) - b->p);
	b->p[b->len] = '\0';
}

void
kpi_json_put_val(struct kpi_buf *b, const struct kpi_val *v)
{
	switch (v->type) {
	case KPI_FALSE:
		kpi_buf_add(b, "false", 5);
		break;
	case KPI_TRUE:
		kpi_buf_add(b, "true", 4);
		break;
	case KPI_NUM:
		if (v->s != NULL && v->len > 0)
			kpi_buf_add(b, v->s, v->len);
		else
			kpi_json_put_num(b, v->num);
		break;
	case KPI_STR:
		kpi_json_put_str(b, v->s ? v->s : "", v->s ? v->len : 0);
		break;
	case KPI_RAW:
		if (v->s != NULL && v->len > 0) {
			kpi_buf_add(b, v->s, v->len);
			break;
		}
		/* Empty raw text would be invalid JSON: write null. */
		/* FALLTHROUGH */
	default:
		kpi_buf_add(b, "null", 4);
		break;
	}
}

/*
 * The most s[0..n) takes as a JSON string: every byte might become
 * \u00XX; past a few KiB the escapes are counted instead, so that a long
 * string does not ask for six times its size.
 */
static size_t
str_room(const char *s, size_t n)
{
	return 2 + (n <= 4096 ? 6 * n : n + escape_extra(s, n));
}

/* The most v takes as JSON (put_val's bytes). */
static size_t
val_room(const struct kpi_val *v)
{
	switch (v->type) {
	case KPI_NUM:
		return v->s != NULL && v->len > 0 ? v->len : NUM_ROOM;
	case KPI_STR:
		return v->clean ? v->len + 2 : str_room(v->s, v->len);
	case KPI_RAW:
		return v->s != NULL && v->len > 0 ? v->len : 4;
	default:
		return 5;
	}
}

/* s[0..n) as a JSON string at o, escaped unless clean; returns the end. */
static inline char *
str_to(char *o, const char *s, size_t n, int clean)
{
	*o++ = '"';
	if (clean)
		o = copy_to(o, s, n);
	else if (n > 0)
		o = escape_to(o, s, n);
	*o++ = '"';
	return o;
}

/* kpi_json_put_val at o, which has val_room bytes; returns the end. */
static char *
val_to(char *o, const struct kpi_val *v)
{
	switch (v->type) {
	case KPI_STR:
		return str_to(o, v->s, v->s ? v->len : 0, v->clean);
	case KPI_NUM:
		if (v->s != NULL && v->len > 0)
			return copy_to(o, v->s, v->len);
		return num_to(o, v->num);
	case KPI_FALSE:
		return copy_to(o, "false", 5);
	case KPI_TRUE:
		return copy_to(o, "true", 4);
	case KPI_RAW:
		if (v->s != NULL && v->len > 0)
			return copy_to(o, v->s, v->len);
		/* Empty raw text would be invalid JSON: write null. */
		/* FALLTHROUGH */
	default:
		return copy_to(o, "null", 4);
	}
}

/*
 * Room for the whole record is made first, so that its fields are
 * written without a check each: the hot path of every tool's output.
 */
void
kpi_json_put_rec(struct kpi_buf *b, const struct kpi_rec *r)
{
	const struct kpi_field *f;
	size_t i, need = 2;
	char *o;

	for (i = 0; i < r->n; i++) {
		f = &r->f[i];
		need += (f->kclean ? f->klen + 2 : str_room(f->key, f->klen)) +
		    val_room(&f->v) + 2;
	}
	if (b->len + need + 1 > b->cap)
		kpi_buf_grow(b, need);
	o = b->p + b->len;
	*o++ = '{';
	for (i = 0; i < r->n; i++) {
		f = &r->f[i];
		if (i > 0)
			*o++ = ',';
		o = str_to(o, f->key, f->klen, f->kclean);
		*o++ = ':';
		o = val_to(o, &f->v);
	}
	*o++ = '}';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

int
kpi_json_clean(const char *s, size_t n)
{
	uint64_t high = 0;

	return clean_len(s, n, &high) == n;
}
