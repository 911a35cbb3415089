/*
 * jsonpos.c - where a value sits in the text of a JSON document, for
 * definition errors found after jansson parsed it (jansson keeps positions
 * only for syntax errors).  Specs (normalize/spec.c), catalogues
 * (aggregate/defs.c) and goals files point at the value at fault this way.
 */
#include <string.h>

#include "base/base.h"

/* A cursor over the document's text. */
struct cur {
	const char *p, *end;
};

static void
cur_ws(struct cur *c)
{
	while (c->p < c->end && strchr(" \t\r\n", *c->p) != NULL)
		c->p++;
}

/* Skips one JSON value (the text already parsed, so it is well formed). */
static void
cur_skip(struct cur *c)
{
	int depth = 0, str = 0;

	for (; c->p < c->end; c->p++) {
		if (str) {
			if (*c->p == '\\')
				c->p++;
			else if (*c->p == '"' && (str = 0) == 0 && depth == 0) {
				c->p++;
				return;
			}
		} else if (*c->p == '"')
			str = 1;
		else if (*c->p == '{' || *c->p == '[')
			depth++;
		else if (*c->p == '}' || *c->p == ']') {
			if (--depth <= 0) {
				c->p += depth == 0;
				return;
			}
		} else if (depth == 0 && strchr(", \t\r\n", *c->p) != NULL)
			return;
	}
}

/* Moves to the value of member key of the object at c->p; 0, or -1. */
static int
cur_member(struct cur *c, const char *key)
{
	size_t n = strlen(key);
	const char *k;

	cur_ws(c);
	if (c->p >= c->end || *c->p != '{')
		return -1;
	for (c->p++;;) {
		cur_ws(c);
		if (c->p >= c->end || *c->p != '"')
			return -1;
		k = c->p + 1;
		cur_skip(c);
		cur_ws(c);
		c->p++;			/* ':' */
		cur_ws(c);
		if ((size_t)(c->p - k) >= n + 1 && memcmp(k, key, n) == 0 &&
		    k[n] == '"')
			return 0;
		cur_skip(c);
		cur_ws(c);
		if (c->p >= c->end || *c->p != ',')
			return -1;
		c->p++;
	}
}

/* Moves to element i of the array at c->p; 0, or -1. */
static int
cur_element(struct cur *c, long i)
{
	cur_ws(c);
	if (c->p >= c->end || *c->p != '[')
		return -1;
	for (c->p++; ; i--) {
		cur_ws(c);
		if (i == 0)
			return c->p < c->end && *c->p != ']' ? 0 : -1;
		cur_skip(c);
		cur_ws(c);
		if (c->p >= c->end || *c->p != ',')
			return -1;
		c->p++;
	}
}

void
kpi_json_pos(const char *text, size_t len, const char *top, long idx,
    const char *sub, unsigned long *line, unsigned long *col)
{
	struct cur c = { text, text + len };
	const char *at = text, *q;

	if (top && cur_member(&c, top) == 0) {
		at = c.p;
		if (idx >= 0 && cur_element(&c, idx) == 0) {
			at = c.p;
			if (sub && cur_member(&c, sub) == 0)
				at = c.p;
		}
	}
	*line = 1;
	*col = 1;
	for (q = text; q < at; q++) {
		if (*q == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)*q & 0xc0) != 0x80)
			++*col;
	}
}
