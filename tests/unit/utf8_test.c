/*
 * utf8_test.c - UTF-8 validation and repair, Windows-1252 and Latin-1.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

#define FFFD "\xEF\xBF\xBD"

/* Shows bytes as text with \xNN for the rest, for failure messages. */
static const char *
show(const char *s, size_t n)
{
	static char out[1024];
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(out); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o,
			    "\\x%02X", c);
	}
	out[o] = '\0';
	return out;
}

static const struct {
	const char *s;
	size_t valid;		/* the expected valid prefix; (size_t)-1: all */
} valid_cases[] = {
	{ "", (size_t)-1 },
	{ "plain ascii", (size_t)-1 },
	{ "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80", (size_t)-1 },
	{ "\xC2\x80", (size_t)-1 },			/* U+0080 */
	{ "\xDF\xBF", (size_t)-1 },			/* U+07FF */
	{ "\xE0\xA0\x80", (size_t)-1 },			/* U+0800 */
	{ "\xED\x9F\xBF", (size_t)-1 },			/* U+D7FF */
	{ "\xEE\x80\x80", (size_t)-1 },			/* U+E000 */
	{ "\xEF\xBF\xBF", (size_t)-1 },			/* U+FFFF */
	{ "\xF0\x90\x80\x80", (size_t)-1 },		/* U+10000 */
	{ "\xF4\x8F\xBF\xBF", (size_t)-1 },		/* U+10FFFF */
	{ "\xC0\x80", 0 },				/* overlong NUL */
	{ "\xC1\xBF", 0 },				/* overlong */
	{ "\xE0\x80\x80", 0 },				/* overlong */
	{ "\xE0\x9F\xBF", 0 },				/* overlong */
	{ "\xF0\x80\x80\x80", 0 },			/* overlong */
	{ "\xF0\x8F\xBF\xBF", 0 },			/* overlong */
	{ "\xED\xA0\x80", 0 },				/* U+D800 */
	{ "\xED\xBF\xBF", 0 },				/* U+DFFF */
	{ "\xF4\x90\x80\x80", 0 },			/* U+110000 */
	{ "\xF5\x80\x80\x80", 0 },
	{ "\xFE", 0 },
	{ "\xFF", 0 },
	{ "\x80", 0 },					/* lone continuation */
	{ "a\xC3", 1 },					/* cut short */
	{ "ab\xE2\x82", 2 },
	{ "abc\xF0\x9F\x98", 3 },
	{ "\xC3\xA9\xC3", 2 },
	{ "abcdefgh\xE9", 8 },				/* after a fast word */
	{ "abcdefghijklmnop\xE9xyz", 16 },
	{ "abcdefg\xC3\xA9hijklmnop\xC3", 18 },		/* across words */
	{ "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3(", 10 },
};

static void
test_valid_prefix(void)
{
	size_t i, n, want, got;

	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		n = strlen(valid_cases[i].s);
		want = valid_cases[i].valid == (size_t)-1 ? n :
		    valid_cases[i].valid;
		got = kpi_utf8_valid_prefix(valid_cases[i].s, n);
		CHECK(got == want, "valid_prefix('%s') = %zu, want %zu",
		    show(valid_cases[i].s, n), got, want);
	}
	/* A NUL byte is ASCII: valid, and n is the length, not strlen. */
	CHECK(kpi_utf8_valid_prefix("a\0b", 3) == 3, "embedded NUL");
}

enum conv { CP1252, LATIN1, REPAIR };

static const struct {
	enum conv conv;
	const char *in;
	const char *want;
} conv_cases[] = {
	{ CP1252, "plain", "plain" },
	{ CP1252, "\x80", "\xE2\x82\xAC" },			/* € */
	{ CP1252, "caf\xE9", "caf\xC3\xA9" },			/* é */
	{ CP1252, "\x81\x8D\x8F\x90\x9D",
	    "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D" },
	{ CP1252, "\x82\x83\x84\x85",
	    "\xE2\x80\x9A\xC6\x92\xE2\x80\x9E\xE2\x80\xA6" },
	{ CP1252, "\x8A\x8C\x8E", "\xC5\xA0\xC5\x92\xC5\xBD" },
	{ CP1252, "\x91\x92\x93\x94",
	    "\xE2\x80\x98\xE2\x80\x99\xE2\x80\x9C\xE2\x80\x9D" },
	{ CP1252, "\x96\x97\x99", "\xE2\x80\x93\xE2\x80\x94\xE2\x84\xA2" },
	{ CP1252, "\x9F", "\xC5\xB8" },				/* Ÿ */
	{ CP1252, "\xA0\xFF", "\xC2\xA0\xC3\xBF" },
	{ LATIN1, "\x80\xE9", "\xC2\x80\xC3\xA9" },
	{ LATIN1, "abc", "abc" },
	{ REPAIR, "ok \xC3\xA9", "ok \xC3\xA9" },
	{ REPAIR, "a\xC3", "a" FFFD },
	{ REPAIR, "\xF1\x80\x80", FFFD },		/* one subpart */
	{ REPAIR, "\xE1\x80\x41", FFFD "A" },
	{ REPAIR, "\xED\xA0\x80", FFFD FFFD FFFD },		/* surrogate */
	{ REPAIR, "\xC0\xAF", FFFD FFFD },			/* overlong */
	{ REPAIR, "\xF0\x80\x80", FFFD FFFD FFFD },
	/* Unicode 15, table 3-8. */
	{ REPAIR, "a\xF1\x80\x80\xE1\x80\xC2" "b\x80" "c\x80\xBF" "d",
	    "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d" },
};

static void
test_conversions(void)
{
	struct kpi_buf b;
	const char *in;
	size_t i;

	kpi_buf_init(&b);
	for (i = 0; i < sizeof(conv_cases) / sizeof(conv_cases[0]); i++) {
		in = conv_cases[i].in;
		kpi_buf_reset(&b);
		kpi_buf_adds(&b, "<");
		if (conv_cases[i].conv == CP1252)
			kpi_cp1252_to_utf8(&b, in, strlen(in));
		else if (conv_cases[i].conv == LATIN1)
			kpi_latin1_to_utf8(&b, in, strlen(in));
		else
			kpi_utf8_repair(&b, in, strlen(in));
		CHECK(b.len == strlen(conv_cases[i].want) + 1 &&
		    memcmp(b.p + 1, conv_cases[i].want, b.len - 1) == 0 &&
		    b.p[b.len] == '\0', "case %zu: '%s'", i, show(b.p, b.len));
		CHECK(kpi_utf8_valid_prefix(b.p, b.len) == b.len,
		    "case %zu: output is UTF-8", i);
	}
	kpi_buf_release(&b);
}

/* Every byte value decodes to valid UTF-8 under both 8-bit encodings. */
static void
test_all_bytes(void)
{
	struct kpi_buf b;
	char all[256];
	int i;

	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	kpi_buf_init(&b);
	kpi_cp1252_to_utf8(&b, all, sizeof(all));
	CHECK(kpi_utf8_valid_prefix(b.p, b.len) == b.len, "cp1252 all bytes");
	kpi_buf_reset(&b);
	kpi_latin1_to_utf8(&b, all, sizeof(all));
	CHECK(b.len == 128 + 2 * 128, "latin1 length %zu", b.len);
	CHECK(kpi_utf8_valid_prefix(b.p, b.len) == b.len, "latin1 all bytes");
	kpi_buf_release(&b);
}

static const struct {
	unsigned long cp;
	const char *want;
	size_t len;
} put_cases[] = {
	{ 0, "\0", 1 },
	{ 0x41, "A", 1 },
	{ 0x7F, "\x7F", 1 },
	{ 0x80, "\xC2\x80", 2 },
	{ 0xE9, "\xC3\xA9", 2 },
	{ 0x7FF, "\xDF\xBF", 2 },
	{ 0x800, "\xE0\xA0\x80", 3 },
	{ 0x20AC, "\xE2\x82\xAC", 3 },
	{ 0xFFFF, "\xEF\xBF\xBF", 3 },
	{ 0x10000, "\xF0\x90\x80\x80", 4 },
	{ 0x1F600, "\xF0\x9F\x98\x80", 4 },
	{ 0x10FFFF, "\xF4\x8F\xBF\xBF", 4 },
	{ 0xD800, FFFD, 3 },
	{ 0xDFFF, FFFD, 3 },
	{ 0x110000, FFFD, 3 },
};

static void
test_put(void)
{
	struct kpi_buf b;
	char o[5];
	size_t i, n;

	kpi_buf_init(&b);
	for (i = 0; i < sizeof(put_cases) / sizeof(put_cases[0]); i++) {
		kpi_buf_reset(&b);
		kpi_utf8_put(&b, put_cases[i].cp);
		CHECK(b.len == put_cases[i].len &&
		    memcmp(b.p, put_cases[i].want, b.len) == 0,
		    "put U+%04lX: '%s'", put_cases[i].cp, show(b.p, b.len));
		/* kpi_utf8_encode writes the same bytes, and no more. */
		memset(o, 'x', sizeof(o));
		n = kpi_utf8_encode(o, put_cases[i].cp);
		CHECK(n == put_cases[i].len && n <= 4 && o[n] == 'x' &&
		    memcmp(o, put_cases[i].want, n) == 0, "encode U+%04lX",
		    put_cases[i].cp);
	}
	kpi_buf_release(&b);
}

/*
 * Strings of 1 to 4 bytes drawn from the boundary values: the validator
 * agrees with a decoder written from the definition (decode, then refuse
 * overlongs, surrogates and what is past U+10FFFF), and repair always
 * yields UTF-8.
 */
static int
ref_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xC0 && s[i] < 0xE0) {
			k = 2;
			cp = s[i] & 0x1F;
		} else if (s[i] >= 0xE0 && s[i] < 0xF0) {
			k = 3;
			cp = s[i] & 0x0F;
		} else if (s[i] >= 0xF0 && s[i] < 0xF8) {
			k = 4;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
		    (k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k;
	}
	return 1;
}

static void
test_exhaustive(void)
{
	static const unsigned char pick[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F,
	    0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
	    0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF };
	const size_t np = sizeof(pick);
	unsigned char s[4];
	struct kpi_buf b;
	size_t i, k, n, x, bad = 0, badrep = 0;

	kpi_buf_init(&b);
	for (i = 0; i < np * np * np * np; i++) {
		for (k = 0, x = i; k < 4; k++, x /= np)
			s[k] = pick[x % np];
		for (n = 1; n <= 4; n++) {
			if ((kpi_utf8_valid_prefix((char *)s, n) == n) !=
			    ref_valid(s, n))
				bad++;
			kpi_buf_reset(&b);
			kpi_utf8_repair(&b, (char *)s, n);
			if (kpi_utf8_valid_prefix(b.p, b.len) != b.len)
				badrep++;
		}
	}
	CHECK(bad == 0, "%zu strings judged unlike the reference", bad);
	CHECK(badrep == 0, "%zu repairs not UTF-8", badrep);
	kpi_buf_release(&b);
}

int
main(void)
{
	test_valid_prefix();
	test_conversions();
	test_all_bytes();
	test_put();
	test_exhaustive();
	return unit_done();
}
