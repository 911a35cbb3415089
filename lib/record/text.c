/*
 * text.c - bytes to UTF-8: byte order marks, UTF-16, and 8-bit text.
 *
 * UTF-16 is transcoded here, as a stream.  8-bit text (UTF-8 or not) passes
 * through untouched and is repaired field by field with kpi_text_fix: a
 * Latin-1 byte in one cell then costs one cell's conversion, and clean UTF-8
 * costs no copy at all.  A NUL byte cannot occur in 8-bit text: the stream
 * ends just before it, and the next read reports "not a text file", so the
 * reader above knows the line it is on.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record/record.h"

enum { RAW = 1 << 16, PEEK_MAX = 4096 };

struct kpi_text {
	struct kpi_input *in;	/* borrowed */
	enum kpi_enc enc;
	int started;
	int nul;		/* a NUL byte was found: report it next */
	unsigned char raw[RAW];	/* undecoded bytes (UTF-16, or after a BOM) */
	size_t rawlen;
	size_t rawoff;
	int eof;
	char ahead[PEEK_MAX];	/* decoded bytes read ahead by kpi_text_peek */
	size_t aheadlen;
	size_t aheadoff;
};

static const struct {
	const char *name;
	enum kpi_enc enc;
} enc_tab[] = {
	{ "auto", KPI_ENC_AUTO }, { "utf-8", KPI_ENC_UTF8 },
	{ "utf8", KPI_ENC_UTF8 }, { "windows-1252", KPI_ENC_CP1252 },
	{ "cp1252", KPI_ENC_CP1252 }, { "latin-1", KPI_ENC_LATIN1 },
	{ "latin1", KPI_ENC_LATIN1 }, { "iso-8859-1", KPI_ENC_LATIN1 },
	{ "utf-16le", KPI_ENC_UTF16LE }, { "utf-16be", KPI_ENC_UTF16BE },
};

int
kpi_enc_parse(const char *name, enum kpi_enc *enc)
{
	size_t i;

	for (i = 0; i < sizeof(enc_tab) / sizeof(enc_tab[0]); i++)
		if (strcasecmp(name, enc_tab[i].name) == 0) {
			*enc = enc_tab[i].enc;
			return 0;
		}
	return -1;
}

const char *
kpi_enc_name(size_t i)
{
	return i < sizeof(enc_tab) / sizeof(enc_tab[0]) ? enc_tab[i].name :
	    NULL;
}

struct kpi_text *
kpi_text_open(struct kpi_input *in, enum kpi_enc enc)
{
	struct kpi_text *t;

	t = kpi_xmalloc(sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->in = in;
	t->enc = enc;
	return t;
}

void
kpi_text_free(struct kpi_text *t)
{
	free(t);
}

enum kpi_enc
kpi_text_enc(const struct kpi_text *t)
{
	return t->enc;
}

/* Tops up t->raw; returns -1 on error, else 0 (t->eof set at the end). */
static int
raw_fill(struct kpi_text *t, struct kpi_err *err)
{
	ssize_t n;

	if (t->rawoff > 0) {
		memmove(t->raw, t->raw + t->rawoff, t->rawlen - t->rawoff);
		t->rawlen -= t->rawoff;
		t->rawoff = 0;
	}
	while (!t->eof && t->rawlen < RAW) {
		n = kpi_input_read(t->in, t->raw + t->rawlen, RAW - t->rawlen,
		    err);
		if (n < 0)
			return -1;
		if (n == 0)
			t->eof = 1;
		t->rawlen += (size_t)n;
		if (t->rawlen >= 4)
			break;
	}
	return 0;
}

/* Looks at the first bytes once: byte order marks decide or are dropped. */
static int
sniff(struct kpi_text *t, struct kpi_err *err)
{
	const unsigned char *p = t->raw;

	t->started = 1;
	if (raw_fill(t, err) < 0)
		return -1;
	if (t->rawlen >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf &&
	    (t->enc == KPI_ENC_AUTO || t->enc == KPI_ENC_UTF8))
		t->rawoff = 3;
	else if (t->rawlen >= 2 && p[0] == 0xff && p[1] == 0xfe &&
	    (t->enc == KPI_ENC_AUTO || t->enc == KPI_ENC_UTF16LE)) {
		t->enc = KPI_ENC_UTF16LE;
		t->rawoff = 2;
	} else if (t->rawlen >= 2 && p[0] == 0xfe && p[1] == 0xff &&
	    (t->enc == KPI_ENC_AUTO || t->enc == KPI_ENC_UTF16BE)) {
		t->enc = KPI_ENC_UTF16BE;
		t->rawoff = 2;
	}
	return 0;
}

/*
 * Decodes UTF-16 from t->raw into buf (room for n >= 4 bytes).  Unpaired
 * surrogates become U+FFFD; a trailing odd byte at the end of input too.
 */
static ssize_t
utf16_read(struct kpi_text *t, char *buf, size_t n, struct kpi_err *err)
{
	int be = t->enc == KPI_ENC_UTF16BE;
	const unsigned char *p;
	unsigned long u, v;
	size_t out = 0;

	while (out + 4 <= n) {
		if (t->rawlen - t->rawoff < 4 && !t->eof) {
			if (out > 0)
				break;
			if (raw_fill(t, err) < 0)
				return -1;
			continue;
		}
		if (t->rawlen - t->rawoff < 2) {
			if (t->rawlen > t->rawoff) {
				t->rawoff = t->rawlen;
				out += kpi_utf8_encode(buf + out, 0xfffd);
			}
			break;
		}
		p = t->raw + t->rawoff;
		u = be ? (unsigned long)p[0] << 8 | p[1] : (unsigned long)p[1] << 8 | p[0];
		t->rawoff += 2;
		if (u >= 0xd800 && u < 0xdc00 && t->rawlen - t->rawoff >= 2) {
			p += 2;
			v = be ? (unsigned long)p[0] << 8 | p[1] : (unsigned long)p[1] << 8 | p[0];
			if (v >= 0xdc00 && v < 0xe000) {
				t->rawoff += 2;
				u = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
			} else
				u = 0xfffd;
		} else if (u >= 0xd800 && u < 0xe000)
			u = 0xfffd;
		if (u == 0) {
			t->nul = 1;
			break;
		}
		out += kpi_utf8_encode(buf + out, u);
	}
	return (ssize_t)out;
}

/* 8-bit text: leftover sniffed bytes first, then straight into buf. */
static ssize_t
bytes_read(struct kpi_text *t, char *buf, size_t n, struct kpi_err *err)
{
	ssize_t got;
	char *z;

	if (t->rawoff < t->rawlen) {
		got = (ssize_t)(t->rawlen - t->rawoff < n ? t->rawlen - t->rawoff : n);
		memcpy(buf, t->raw + t->rawoff, (size_t)got);
		t->rawoff += (size_t)got;
	} else if (t->eof)
		return 0;
	else if ((got = kpi_input_read(t->in, buf, n, err)) < 0)
		return -1;
	if ((z = memchr(buf, '\0', (size_t)got)) != NULL) {
		t->nul = 1;
		got = z - buf;
	}
	return got;
}

static ssize_t decode(struct kpi_text *, char *, size_t, struct kpi_err *);

ssize_t
kpi_text_read(struct kpi_text *t, char *buf, size_t n, struct kpi_err *err)
{
	size_t k;

	if (t->aheadoff < t->aheadlen) {
		k = t->aheadlen - t->aheadoff;
		k = k < n ? k : n;
		memcpy(buf, t->ahead + t->aheadoff, k);
		t->aheadoff += k;
		return (ssize_t)k;
	}
	return decode(t, buf, n, err);
}

ssize_t
kpi_text_peek(struct kpi_text *t, const char **p, size_t n,
    struct kpi_err *err)
{
	ssize_t got;
	const char *q;

	if (n > PEEK_MAX)
		n = PEEK_MAX;
	if (t->aheadoff > 0) {
		memmove(t->ahead, t->ahead + t->aheadoff,
		    t->aheadlen - t->aheadoff);
		t->aheadlen -= t->aheadoff;
		t->aheadoff = 0;
	}
	while (t->aheadlen + 4 <= n) {
		got = decode(t, t->ahead + t->aheadlen, n - t->aheadlen, err);
		if (got < 0 && !t->nul)
			return -1;
		if (got < 0) {
			/* The line of a NUL byte: the lines read ahead, plus one. */
			err->line = 1;
			for (q = t->ahead; (q = memchr(q, '\n',
			    (size_t)(t->ahead + t->aheadlen - q))) != NULL; q++)
				err->line++;
			return -1;
		}
		if (got == 0)
			break;
		t->aheadlen += (size_t)got;
	}
	*p = t->ahead;
	return (ssize_t)t->aheadlen;
}

/* Decodes the next bytes of the input into buf. */
static ssize_t
decode(struct kpi_text *t, char *buf, size_t n, struct kpi_err *err)
{
	ssize_t got;

	if (!t->started && sniff(t, err) < 0)
		return -1;
	if (t->nul)
		return kpi_err_set(err, kpi_input_name(t->in), 0, 0,
		    "not a text file (NUL byte)");
	if (n < 4)
		return kpi_err_set(err, kpi_input_name(t->in), 0, 0,
		    "read buffer too small");
	if (t->enc == KPI_ENC_UTF16LE || t->enc == KPI_ENC_UTF16BE)
		got = utf16_read(t, buf, n, err);
	else
		got = bytes_read(t, buf, n, err);
	if (got == 0 && t->nul)
		return kpi_err_set(err, kpi_input_name(t->in), 0, 0,
		    "not a text file (NUL byte)");
	return got;
}

static int
is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

const char *
kpi_text_fix(const struct kpi_text *t, const char *s, size_t n,
    struct kpi_buf *scratch, size_t *outlen, int *replaced)
{
	*outlen = n;
	*replaced = 0;
	switch (t->enc) {
	case KPI_ENC_UTF16LE:
	case KPI_ENC_UTF16BE:
		return s;
	case KPI_ENC_AUTO:
	case KPI_ENC_UTF8:
		if (kpi_utf8_valid_prefix(s, n) == n)
			return s;
		break;
	case KPI_ENC_CP1252:
	case KPI_ENC_LATIN1:
		if (is_ascii(s, n))
			return s;
		break;
	}
	kpi_buf_reset(scratch);
	if (t->enc == KPI_ENC_UTF8) {
		kpi_utf8_repair(scratch, s, n);
		*replaced = 1;
	} else if (t->enc == KPI_ENC_LATIN1)
		kpi_latin1_to_utf8(scratch, s, n);
	else
		kpi_cp1252_to_utf8(scratch, s, n);
	*outlen = scratch->len;
	return scratch->p;
}
