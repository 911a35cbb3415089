/*
 * buf.c - memory: checked allocation, growable strings, arenas.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

/*
 * Out of memory is the one error lib does not hand back: no caller could do
 * better than stop, and checking every small allocation would bury the
 * logic (git's xmalloc makes the same choice).
 */
static void
oom(size_t n)
{
	char msg[96];
	int len;

	len = snprintf(msg, sizeof(msg), "%s: out of memory (%zu bytes)\n",
	    kpi_getprogname(), n);
	if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0)
		len = 0;
	_exit(KPI_EXIT_ERROR);
}

void *
kpi_xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom(n);
	return p;
}

void *
kpi_xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom(n);
	return p;
}

char *
kpi_xstrdup(const char *s)
{
	return kpi_xmemdup(s, strlen(s));
}

char *
kpi_xmemdup(const void *p, size_t n)
{
	char *s;

	s = kpi_xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

void
kpi_buf_init(struct kpi_buf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

void
kpi_buf_release(struct kpi_buf *b)
{
	free(b->p);
	kpi_buf_init(b);
}

void
kpi_buf_reset(struct kpi_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
kpi_buf_grow(struct kpi_buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > SIZE_MAX - b->len - 1)
		oom(SIZE_MAX);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->p = kpi_xrealloc(b->p, cap);
	b->cap = cap;
}

void
kpi_buf_add(struct kpi_buf *b, const void *p, size_t n)
{
	kpi_buf_grow(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
kpi_buf_addc(struct kpi_buf *b, int c)
{
	if (b->len + 2 > b->cap)
		kpi_buf_grow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

void
kpi_buf_adds(struct kpi_buf *b, const char *s)
{
	kpi_buf_add(b, s, strlen(s));
}

void
kpi_buf_addf(struct kpi_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	/* Most texts fit the small buffer: one formatting pass. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		kpi_buf_add(b, small, (size_t)n);
		return;
	}
	kpi_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Arena blocks; the newest is the head, the data follows the header. */
struct kpi_arena_block {
	struct kpi_arena_block *next;
	size_t size;
	max_align_t data[];
};

enum { ARENA_BLOCK = 16384 };

void
kpi_arena_init(struct kpi_arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void
kpi_arena_release(struct kpi_arena *a)
{
	struct kpi_arena_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	kpi_arena_init(a);
}

/* Keeps the largest block (the head after growth) and frees the rest. */
void
kpi_arena_reset(struct kpi_arena *a)
{
	struct kpi_arena_block *b, *next, *keep;

	keep = a->head;
	for (b = a->head; b; b = b->next)
		if (b->size > keep->size)
			keep = b;
	for (b = a->head; b; b = next) {
		next = b->next;
		if (b != keep)
			free(b);
	}
	if (keep)
		keep->next = NULL;
	a->head = keep;
	a->used = 0;
}

void *
kpi_arena_alloc(struct kpi_arena *a, size_t n)
{
	struct kpi_arena_block *b;
	size_t align = sizeof(max_align_t), size;
	void *p;

	n = (n + align - 1) / align * align;
	if (a->head == NULL || a->head->size - a->used < n) {
		/*
		 * Grow geometrically, so that after a few records the block
		 * kept by kpi_arena_reset holds a whole record.
		 */
		size = a->head ? a->head->size * 2 : ARENA_BLOCK;
		if (size < n)
			size = n;
		b = kpi_xmalloc(sizeof(*b) + size);
		b->size = size;
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	p = (char *)a->head->data + a->used;
	a->used += n;
	return p;
}

char *
kpi_arena_strndup(struct kpi_arena *a, const char *s, size_t n)
{
	char *p;

	p = kpi_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
