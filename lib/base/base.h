/*
 * base.h - the ground floor of lib: errors and warnings, the program's
 * name, memory, buffers and arenas, UTF-8, the nearest name (err.c, buf.c,
 * utf8.c, near.c).
 *
 * Knows nothing of records, values, metrics or output.  Ownership is said
 * at each declaration.  "Borrowed" pointers stay valid until the owner's
 * next call that the declaration names.
 */
#ifndef KPI_BASE_H
#define KPI_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define KPI_VERSION "0.1.0"

/* Exit statuses of every tool; see kpi(7) EXIT STATUS. */
enum kpi_exit {
	KPI_EXIT_OK = 0,	/* success */
	KPI_EXIT_FAIL = 1,	/* a documented negative answer (goal missed) */
	KPI_EXIT_ERROR = 2	/* usage, input, definition or I/O error */
};

/* ---- the program's name (err.c) ---- */

/* Sets the program name used in diagnostics ("kpi-extract"). */
void kpi_setprogname(const char *name);
const char *kpi_getprogname(void);

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

/*
 * Writes code point cp as UTF-8 to o, which has room for 4 bytes (U+FFFD
 * for surrogates and > 0x10FFFF); returns the bytes written, 1 to 4.
 */
size_t kpi_utf8_encode(char *o, unsigned long cp);

/* Appends code point cp to b as UTF-8, as kpi_utf8_encode writes it. */
void kpi_utf8_put(struct kpi_buf *b, unsigned long cp);

/* ---- the nearest name (near.c) ---- */

/*
 * For "did you mean" hints: among names offered one at a time, the one
 * nearest to a word that matched none of them.  Nearness is the edit
 * distance (insert, delete, substitute, swap two neighbours; ASCII case
 * ignored); a name is near only when fewer than half the longer word's
 * bytes need an edit, or when one word, three bytes or more, begins the
 * other.  The first of equally near names wins, so hints are stable.
 *
 *	struct kpi_near near;
 *	kpi_near_init(&near, word);
 *	for (each name) kpi_near_try(&near, name);
 *	if (near.best) ... "did you mean '%s'", near.best
 */
struct kpi_near {
	const char *want;	/* borrowed: the word that matched nothing */
	const char *best;	/* borrowed from the names tried; NULL: none near */
	size_t dist;		/* best's distance; (size_t)-1 while none */
};

void kpi_near_init(struct kpi_near *near, const char *want);

/* Offers one name; name must outlive the use of near->best.  An exact match
 * (distance 0) is not a hint and is ignored. */
void kpi_near_try(struct kpi_near *near, const char *name);

/* The nearest of a NULL-terminated array of names, or NULL; borrowed. */
const char *kpi_near_find(const char *want, const char *const *names);

/* The edit distance between a and b as kpi_near measures it. */
size_t kpi_near_distance(const char *a, const char *b);

/* ---- places in JSON text (jsonpos.c) ---- */

/*
 * The line and column (from 1) in text[0..len), a well-formed JSON
 * document, of the value at top-level key top, element idx of its array
 * (-1: none) and key sub of that element (NULL: none), as far as that path
 * can be followed; the document's start when top is NULL or absent.
 */
void kpi_json_pos(const char *text, size_t len, const char *top, long idx,
    const char *sub, unsigned long *line, unsigned long *col);

/* ---- comparing ---- */

/*
 * Whether a[0..n) and b[0..n) are the same bytes: memcmp(a, b, n) == 0
 * for the few bytes of a key, without a call.  Words compared, the last
 * one overlapping the one before rather than a loop over the bytes left.
 * Inline: the JSON reader and the normaliser match every row's keys.
 */
static inline int
kpi_same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return 0;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* ---- hashing ---- */

/*
 * The one string hash of lib: 64-bit FNV-1a of p[0..n) from a seed (0, or
 * anything that tells tables apart, such as a group's period), with the
 * high bits folded down so that a table indexed by the low bits sees them.
 * Inline: the JSON reader hashes every key of every row with it.
 */
static inline uint64_t
kpi_hash(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;

	while (n-- > 0)
		h = (h ^ *s++) * 1099511628211ULL;
	return h ^ (h >> 29);
}

#endif /* KPI_BASE_H */
