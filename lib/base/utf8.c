/*
 * utf8.c - UTF-8 validation and repair, Windows-1252 and Latin-1 decoding.
 *
 * Validation follows Unicode 15 table 3-7 (well-formed byte sequences): no
 * overlong forms, no surrogates (ED A0..BF), nothing above U+10FFFF.  Repair
 * replaces each maximal subpart of an ill-formed sequence by one U+FFFD, the
 * "best practice" of Unicode chapter 3 that the WHATWG decoder also follows.
 */
#include <stdint.h>
#include <string.h>

#include "base/base.h"

#define HIGH_BITS	0x8080808080808080ULL

/*
 * Windows-1252 0x80..0x9F as the WHATWG encoding standard maps them; the
 * five bytes Microsoft leaves undefined (81 8D 8F 90 9D) map to the C1
 * control of the same value, so every byte decodes to something.
 */
static const unsigned short cp1252_c1[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

/*
 * Looks at the sequence starting with the non-ASCII byte s[0] (n >= 1).
 * Returns its length when it is well formed; else 0, with *sub set to the
 * length of its maximal subpart (at least 1), the bytes one U+FFFD stands for.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n, size_t *sub)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;	/* overlong below U+0800 */
		else if (c == 0xED)
			hi = 0x9F;	/* surrogates D800..DFFF */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;	/* overlong below U+10000 */
		else if (c == 0xF4)
			hi = 0x8F;	/* above U+10FFFF */
	} else {
		*sub = 1;
		return 0;
	}
	for (i = 1; i < need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*sub = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return need;
}

/*
 * Called on every CSV field and JSON string, which are mostly ASCII: eight
 * bytes are tested at once for a high bit before going byte by byte.
 */
size_t
kpi_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t w;
	size_t i = 0, k, sub;

	while (i < n) {
		while (n - i >= 8) {
			memcpy(&w, u + i, 8);
			if (w & HIGH_BITS)
				break;
			i += 8;
		}
		while (i < n && u[i] < 0x80)
			i++;
		if (i == n)
			break;
		if ((k = utf8_seq(u + i, n - i, &sub)) == 0)
			return i;
		i += k;
	}
	return n;
}

size_t
kpi_utf8_encode(char *o, unsigned long cp)
{
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void
kpi_utf8_put(struct kpi_buf *b, unsigned long cp)
{
	char o[4];

	kpi_buf_add(b, o, kpi_utf8_encode(o, cp));
}

/*
 * Both 8-bit decoders copy ASCII runs whole and reserve the worst case (three
 * bytes per input byte, for the euro sign) once, so the loop only stores.
 */
static void
decode_8bit(struct kpi_buf *b, const char *s, size_t n, int cp1252)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned int cp;
	size_t i = 0, run;
	char *o;

	kpi_buf_grow(b, n * 3);
	o = b->p + b->len;
	while (i < n) {
		for (run = i; run < n && u[run] < 0x80; run++)
			;
		memcpy(o, u + i, run - i);
		o += run - i;
		if ((i = run) == n)
			break;
		cp = u[i++];
		if (cp1252 && cp < 0xA0)
			cp = cp1252_c1[cp - 0x80];
		if (cp < 0x800) {
			*o++ = (char)(0xC0 | cp >> 6);
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xE0 | cp >> 12);
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

void
kpi_cp1252_to_utf8(struct kpi_buf *b, const char *s, size_t n)
{
	decode_8bit(b, s, n, 1);
}

void
kpi_latin1_to_utf8(struct kpi_buf *b, const char *s, size_t n)
{
	decode_8bit(b, s, n, 0);
}

void
kpi_utf8_repair(struct kpi_buf *b, const char *s, size_t n)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	size_t i = 0, k, sub;

	while (i < n) {
		k = kpi_utf8_valid_prefix(s + i, n - i);
		kpi_buf_add(b, s + i, k);
		if ((i += k) == n)
			break;
		utf8_seq((const unsigned char *)s + i, n - i, &sub);
		kpi_buf_add(b, fffd, 3);
		i += sub;
	}
}
