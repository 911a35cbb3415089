/*
 * --set NAME=VALUE: a field every typed row gets that no source column
 * gives, such as the client an agency's archives are filed under.  The
 * value is a constant or, written {src:N}, the Nth '/'-separated part of
 * the row's _src.  See kpi-normalize(1) SETTING FIELDS.
 */
#include <stdlib.h>
#include <string.h>

#include "normalize/normalize.h"
#include "keys.h"
#include "spec.h"
#include "set.h"

/* "{src:N}" with N from 1: N; 0 for any other text (a constant). */
static long
src_part(const char *v)
{
	char *end;
	long n;

	if (strncmp(v, "{src:", 5) != 0 || v[5] < '1' || v[5] > '9')
		return 0;
	n = strtol(v + 5, &end, 10);
	if (strcmp(end, "}") != 0 || n > 1000)
		return 0;
	return n;
}

/* Checks one --set against the spec and the ones before it. */
static int
set_check(const struct kpi_spec *sp, const struct kpi_set_arg *a, size_t i,
    struct kpi_err *err)
{
	size_t k;

	if (a[i].name[0] == '\0' || a[i].name[0] == '_')
		return kpi_err_set(err, NULL, 0, 0, "bad --set name '%s' "
		    "(empty or starting with '_')", a[i].name);
	for (k = 0; k < sp->nf; k++)
		if (strcmp(sp->f[k].name, a[i].name) == 0)
			return kpi_err_set(err, NULL, 0, 0, "--set %s: the "
			    "spec has a field of that name", a[i].name);
	for (k = 0; k < i; k++)
		if (strcmp(a[k].name, a[i].name) == 0)
			return kpi_err_set(err, NULL, 0, 0, "--set %s given "
			    "twice", a[i].name);
	if (strncmp(a[i].value, "{src:", 5) == 0 && src_part(a[i].value) == 0)
		return kpi_err_set(err, NULL, 0, 0, "--set %s: bad '%s' "
		    "(expected {src:N}, N from 1)", a[i].name, a[i].value);
	return 0;
}

int
norm_sets_init(struct norm_sets *s, const struct kpi_spec *sp,
    const struct kpi_set_arg *a, size_t n, struct kpi_err *err)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++)
		if (set_check(sp, a, i, err) < 0)
			return -1;
	if (n == 0)
		return 0;
	s->part = kpi_xmalloc(n * sizeof(*s->part));
	for (i = 0; i < n; i++)
		s->part[i] = src_part(a[i].value);
	s->a = a;
	s->n = n;
	return 0;
}

void
norm_sets_release(struct norm_sets *s)
{
	free(s->part);
	memset(s, 0, sizeof(*s));
}

int
norm_sets_has(const struct norm_sets *s, const char *key, size_t klen)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->a[i].name) == klen &&
		    memcmp(s->a[i].name, key, klen) == 0)
			return 1;
	return 0;
}

/* Part n (from 1) of the '/'-separated src: *len set; NULL if it has none. */
static const char *
path_part(const char *src, size_t slen, long n, size_t *len)
{
	const char *p = src, *end = src + slen, *slash;

	for (; n > 1; n--) {
		if ((slash = memchr(p, '/', (size_t)(end - p))) == NULL)
			return NULL;
		p = slash + 1;
	}
	slash = memchr(p, '/', (size_t)(end - p));
	*len = (size_t)((slash ? slash : end) - p);
	return *len > 0 ? p : NULL;
}

void
norm_sets_put(const struct norm_sets *s, const struct kpi_val *src,
    struct kpi_rec *out)
{
	const struct kpi_set_arg *a;
	const char *p;
	size_t i, len;

	for (i = 0; i < s->n; i++) {
		a = &s->a[i];
		if (s->part[i] == 0) {
			kpi_rec_add_str(out, a->name, strlen(a->name),
			    a->value, strlen(a->value));
			continue;
		}
		p = NULL;
		if (src != NULL && src->type == KPI_STR)
			p = path_part(src->s, src->len, s->part[i], &len);
		if (p == NULL)
			kpi_rec_add_null(out, a->name, strlen(a->name));
		else
			kpi_rec_add_str(out, a->name, strlen(a->name),
			    kpi_arena_strndup(&out->arena, p, len), len);
	}
}

void
norm_sets_key(const struct norm_sets *s, const char *src, size_t slen,
    struct kpi_key *k)
{
	const char *p;
	size_t i, len;

	for (i = 0; i < s->n; i++) {
		if (s->part[i] == 0)
			continue;	/* the same in every row */
		if ((p = path_part(src, slen, s->part[i], &len)) == NULL)
			len = 0;
		/* The length first, so that a missing part and "" differ. */
		k->a = kpi_hash(k->a ^ (p ? len + 1 : 0), p, len);
		k->b = kpi_hash(k->b ^ ((p ? len + 1 : 0) << 17), p, len);
		if (k->a == 0)
			k->a = 1;
	}
}
