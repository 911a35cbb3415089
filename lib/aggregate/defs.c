/*
 * defs.c - metric definitions: the KPI catalogue (kpi(7) KPI CATALOGUE)
 * and -m formulas, checked once and put in the order they are computed.
 *
 * A formula that is one reducer over one field ("sum(revenue)") is a base
 * metric, reduced row by row; any other formula is derived from metrics of
 * the same group once the rows are in, so ratios come from their totals at
 * every grain and never from averaged ratios.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "defs.h"

struct kpi_defs *
kpi_defs_new(void)
{
	struct kpi_defs *d;

	d = kpi_xmalloc(sizeof(*d));
	memset(d, 0, sizeof(*d));
	return d;
}

static void
metric_release(struct metric *m)
{
	free(m->name);
	free(m->formula);
	free(m->where);
	free(m->field);
	free(m->by);
	free(m->dataset);
	kpi_expr_free(m->expr);
	free(m->refs);
	free(m->unit);
	free(m->description);
	free(m->group);
	memset(m, 0, sizeof(*m));
}

void
kpi_defs_free(struct kpi_defs *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		metric_release(&d->m[i]);
	free(d->m);
	free(d->order);
	free(d);
}

/* Metric names are snake_case: [a-z_][a-z0-9_]*. */
static int
valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return 0;
	return 1;
}

/* The metric called name, replacing an earlier one of that name. */
static struct metric *
metric_slot(struct kpi_defs *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->m[i].name, name) == 0) {
			metric_release(&d->m[i]);
			return &d->m[i];
		}
	d->m = kpi_xrealloc(d->m, (d->n + 1) * sizeof(*d->m));
	memset(&d->m[d->n], 0, sizeof(d->m[d->n]));
	return &d->m[d->n++];
}

static struct metric *
metric_new(struct kpi_defs *d, const char *name, const char *formula,
    const char *where)
{
	struct metric *m = metric_slot(d, name);

	m->name = kpi_xstrdup(name);
	m->nlen = strlen(name);
	m->formula = kpi_xstrdup(formula);
	m->where = kpi_xstrdup(where);
	m->emit = 1;
	return m;
}

int
kpi_defs_add(struct kpi_defs *d, const char *def, struct kpi_err *err)
{
	const char *eq = strchr(def, '=');
	char *name;
	int ok;

	if (eq == NULL)
		return kpi_err_set(err, NULL, 0, 0, "-m '%s': NAME=FORMULA "
		    "expected", def);
	name = kpi_xmemdup(def, (size_t)(eq - def));
	while (*name && isspace((unsigned char)name[strlen(name) - 1]))
		name[strlen(name) - 1] = '\0';
	ok = valid_name(name);
	if (ok)
		metric_new(d, name, eq + 1, "-m");
	else
		kpi_err_set(err, NULL, 0, 0, "-m '%s': bad metric name '%s'",
		    def, name);
	free(name);
	return ok ? 0 : -1;
}

/* A string member of a catalogue entry, or NULL; -1 if not a string. */
static int
entry_str(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* One entry of "kpis". */
static int
entry_load(struct kpi_defs *d, json_t *o, size_t i, const char *where,
    const char **at, struct kpi_err *err)
{
	static const char *const keys[] = { "name", "formula", "dataset",
	    "unit", "format", "direction", "description", "group" };
	enum { NKEYS = sizeof(keys) / sizeof(keys[0]) };
	const char *v[NKEYS], *key;
	struct metric *m;
	json_t *val;
	size_t k;

	if (!json_is_object(o))
		return kpi_err_set(err, where, 0, 0, "kpi %zu: not an object",
		    i + 1);
	json_object_foreach(o, key, val) {
		for (k = 0; k < NKEYS && strcmp(key, keys[k]) != 0; k++)
			;
		if (k == NKEYS) {
			*at = key;
			return kpi_err_set(err, where, 0, 0, "kpi %zu: unknown "
			    "key '%s'", i + 1, key);
		}
	}
	for (k = 0; k < NKEYS; k++)
		if (entry_str(o, keys[k], &v[k]) < 0) {
			*at = keys[k];
			return kpi_err_set(err, where, 0, 0, "kpi %zu: '%s' "
			    "must be a string", i + 1, keys[k]);
		}
	if (v[0] == NULL || !valid_name(v[0]) || v[1] == NULL)
		return kpi_err_set(err, where, 0, 0, "kpi %zu: needs a 'name' "
		    "([a-z_][a-z0-9_]*) and a 'formula'", i + 1);
	for (k = 0; k < d->n; k++)
		if (strcmp(d->m[k].name, v[0]) == 0)
			return kpi_err_set(err, where, 0, 0, "%s: duplicate name",
			    v[0]);
	m = metric_new(d, v[0], v[1], where);
	m->dataset = v[2] ? kpi_xstrdup(v[2]) : NULL;
	m->unit = v[3] ? kpi_xstrdup(v[3]) : NULL;
	m->description = v[6] ? kpi_xstrdup(v[6]) : NULL;
	m->group = v[7] ? kpi_xstrdup(v[7]) : NULL;
	if (v[4] && kpi_mformat_parse(v[4], &m->format) < 0) {
		*at = "format";
		return kpi_err_set(err, where, 0, 0, "%s: unknown format '%s'",
		    v[0], v[4]);
	}
	if (v[5] && strcmp(v[5], "higher") != 0) {
		*at = "direction";
		if (strcmp(v[5], "lower") != 0)
			return kpi_err_set(err, where, 0, 0, "%s: direction "
			    "must be 'higher' or 'lower'", v[0]);
		m->lower_better = 1;
	}
	return 0;
}

/*
 * One entry, and where it is in the text: an error points at the entry or
 * its key at fault; each metric keeps the place of its formula, for the
 * errors kpi_defs_finish finds later.
 */
static int
entry_load_at(struct kpi_defs *d, json_t *o, size_t i, const char *where,
    const char *text, size_t len, struct kpi_err *err)
{
	const char *at = NULL;
	size_t n = d->n;

	if (entry_load(d, o, i, where, &at, err) < 0) {
		kpi_json_pos(text, len, "kpis", (long)i, at, &err->line,
		    &err->col);
		return -1;
	}
	if (d->n > n)
		kpi_json_pos(text, len, "kpis", (long)i, "formula",
		    &d->m[n].line, &d->m[n].col);
	return 0;
}

int
kpi_defs_load(struct kpi_defs *d, const char *text, size_t len,
    const char *name, struct kpi_err *err)
{
	json_t *root, *kpis, *v;
	json_error_t je;
	const char *key;
	size_t i;
	int rc = 0;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return kpi_err_set(err, name, je.line > 0 ?
		    (unsigned long)je.line : 0, je.column > 0 ?
		    (unsigned long)je.column : 0, "%s", je.text);
	kpis = json_object_get(root, "kpis");
	if (!json_is_object(root) || !json_is_array(kpis))
		rc = kpi_err_set(err, name, 0, 0, "a catalogue is an object "
		    "with an array \"kpis\"");
	json_object_foreach(root, key, v)
		if (rc == 0 && strcmp(key, "kpis") != 0 &&
		    strcmp(key, "goals") != 0 && strcmp(key, "description") != 0)
			rc = kpi_err_set(err, name, 0, 0, "unknown key '%s'",
			    key);
	for (i = 0; rc == 0 && i < json_array_size(kpis); i++)
		rc = entry_load_at(d, json_array_get(kpis, i), i, name, text,
		    len, err);
	json_decref(root);
	return rc;
}

/* Reads an identifier at *p into buf (size 64); its length, 0 if none. */
static size_t
ident(const char **p, char *buf)
{
	size_t n = 0;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (!isalpha((unsigned char)**p) && **p != '_')
		return 0;
	while ((isalnum((unsigned char)**p) || **p == '_') && n < 63)
		buf[n++] = *(*p)++;
	buf[n] = '\0';
	while (**p == ' ' || **p == '\t')
		(*p)++;
	return n;
}

/*
 * "name(arg" at s: fn and arg set (arg "" for none); returns what follows
 * arg, or NULL when s does not start so.
 */
static const char *
call_open(const char *s, char *fn, char *arg)
{
	size_t n;

	arg[0] = '\0';
	if ((n = ident(&s, fn)) == 0)
		return NULL;
	while (n < 63 && (*s == '.' || isdigit((unsigned char)*s)))
		fn[n++] = *s++;
	fn[n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s++ != '(')
		return NULL;
	ident(&s, arg);
	return s;
}

/*
 * Whether the formula is one call "f(field)", "f(field, by)" or "f()":
 * then fn, arg and by are set (arg and by "" for none) and 1 is returned.
 * A reducer name may hold a point: p99.9.
 */
static int
one_call(const char *s, char *fn, char *arg, char *by)
{
	by[0] = '\0';
	if ((s = call_open(s, fn, arg)) == NULL)
		return 0;
	if (*s == ',' && (s++, arg[0] == '\0' || ident(&s, by) == 0))
		return 0;
	if (*s++ != ')')
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/*
 * Whether s is a reducer call left open, "sum(revenue": the formula
 * parser knows no reducers and would call sum an unknown function.
 */
static int
open_call(const char *s, char *fn)
{
	char arg[64];
	double pct;

	if ((s = call_open(s, fn, arg)) == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0' && red_find(fn, strlen(fn), arg[0] != '\0',
	    &pct) != NULL;
}

/* Whether two base metrics read the same field of the same rows. */
static int
same_rows(const struct metric *a, const struct metric *b)
{
	return strcmp(a->field, b->field) == 0 && (a->dataset == NULL ?
	    b->dataset == NULL : b->dataset != NULL &&
	    strcmp(a->dataset, b->dataset) == 0);
}

/*
 * A reducer that takes a condition, when s is one call of it, "share_if(x
 * > 1)": fn is set, and *off and *n say where the condition is in s, *n
 * being (size_t)-1 when no ')' closes the call.  NULL for anything else:
 * a call inside an expression is the formula parser's to refuse, as
 * "sum(x) + 1" is.  A condition holds no parentheses, so the first ')'
 * closes the call.
 */
static const struct reducer *
cond_call(const char *s, char *fn, size_t *off, size_t *n)
{
	const struct reducer *r;
	const char *p = s, *q;
	double pct;

	if (ident(&p, fn) == 0 || *p != '(')
		return NULL;
	r = red_find(fn, strlen(fn), 1, &pct);
	if (r == NULL || r->ent != ENT_NONE || (r->red != KPI_R_COUNT_IF &&
	    r->red != KPI_R_SHARE_IF))
		return NULL;
	*off = (size_t)(++p - s);
	if ((q = strchr(p, ')')) == NULL) {
		*n = (size_t)-1;
		return r;
	}
	*n = (size_t)(q - p);
	for (q++; *q == ' ' || *q == '\t'; q++)
		;
	return *q == '\0' ? r : NULL;
}

/* count_if(cond), share_if(cond): a base metric over the cond's field. */
static int
classify_cond(struct metric *m, const struct reducer *r, const char *fn,
    size_t off, size_t n, struct kpi_err *err)
{
	char msg[sizeof(err->msg)];
	unsigned long col;

	m->base = 1;
	m->red = r->red;
	if (n == (size_t)-1)
		return kpi_err_set(err, m->where, m->line, m->col, "%s: "
		    "expected ')' after '%s(' at column %zu", m->name, fn,
		    strlen(m->formula) + 1);
	if (kpi_cond_parse(m->formula + off, n, &m->field, &m->cond,
	    err) < 0) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		col = err->col + off;
		return kpi_err_set(err, m->where, m->line, m->col, "%s: %s at "
		    "column %lu", m->name, msg, col);
	}
	m->flen = strlen(m->field);
	return 0;
}

/* Base or derived; a base metric's reducer and field. */
static int
classify(struct metric *m, struct kpi_err *err)
{
	const struct reducer *r;
	char fn[64], arg[64], by[64];
	size_t off, n;

	if ((r = cond_call(m->formula, fn, &off, &n)) != NULL)
		return classify_cond(m, r, fn, off, n, err);
	/* Of two arguments, only balance's are a field and an entity:
	   min(a, b) is a formula. */
	if (one_call(m->formula, fn, arg, by) && strcmp(fn, "abs") != 0 &&
	    ((strcmp(fn, "min") != 0 && strcmp(fn, "max") != 0) || arg[0]) &&
	    (by[0] == '\0' || strcmp(fn, "balance") == 0)) {
		m->base = 1;
		if ((r = red_find(fn, strlen(fn), arg[0] != '\0',
		    &m->pct)) == NULL)
			return kpi_err_set(err, m->where, m->line, m->col, "%s: unknown "
			    "reducer '%s'", m->name, fn);
		if (arg[0] == '\0' && !r->nofield)
			return kpi_err_set(err, m->where, m->line, m->col, "%s: '%s' needs "
			    "a field", m->name, fn);
		if ((m->ent = r->ent) == ENT_NONE)
			m->red = r->red;
		if (by[0])
			m->by = kpi_xstrdup(by);
		if (arg[0]) {
			m->field = kpi_xstrdup(arg);
			m->flen = strlen(arg);
		}
		return 0;
	}
	if (m->dataset)
		return kpi_err_set(err, m->where, m->line, m->col, "%s: 'dataset' is for "
		    "base metrics, not formulas", m->name);
	if (call_open(m->formula, fn, arg) != NULL &&
	    strcmp(fn, "balance") == 0)
		return kpi_err_set(err, m->where, m->line, m->col, "%s: expected "
		    "balance(field) or balance(field, entity)", m->name);
	if (open_call(m->formula, fn))
		return kpi_err_set(err, m->where, m->line, m->col, "%s: expected ')' "
		    "after '%s(' at column %zu", m->name, fn,
		    strlen(m->formula) + 1);
	if ((m->expr = kpi_expr_parse(m->formula, err)) == NULL) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return kpi_err_set(err, m->where, m->line, m->col, "%s: %s at column %lu",
		    m->name, msg, err->col);
	}
	return 0;
}

/* The nearest metric name to want, or NULL; borrowed. */
static const char *
nearest(const struct kpi_defs *d, const char *want)
{
	struct kpi_near near;
	size_t k;

	kpi_near_init(&near, want);
	for (k = 0; k < d->n; k++)
		kpi_near_try(&near, d->m[k].name);
	return near.best;
}

/* "unknown metric 'x'", with the nearest name when one is near. */
static int
unknown_metric(const struct kpi_defs *d, const struct metric *m,
    const char *want, struct kpi_err *err)
{
	const char *best = nearest(d, want);

	return kpi_err_set(err, m ? m->where : NULL, m ? m->line : 0,
	    m ? m->col : 0, "%s%sunknown "
	    "metric '%s'%s%s%s", m ? m->name : "--metrics", ": ", want,
	    best ? " (did you mean '" : "", best ? best : "", best ? "'?)" :
	    "");
}

/* A derived metric's names, as metric indexes. */
static int
resolve(struct kpi_defs *d, struct metric *m, struct kpi_err *err)
{
	size_t i, k, n = kpi_expr_nrefs(m->expr);

	m->refs = kpi_xmalloc((n ? n : 1) * sizeof(*m->refs));
	for (i = 0; i < n; i++) {
		for (k = 0; k < d->n; k++)
			if (strcmp(d->m[k].name, kpi_expr_ref(m->expr, i)) == 0)
				break;
		if (k == d->n)
			return unknown_metric(d, m, kpi_expr_ref(m->expr, i),
			    err);
		m->refs[i] = k;
	}
	return 0;
}

/* Depth-first: operands before the formulas that use them. */
static int
visit(struct kpi_defs *d, size_t i, unsigned char *mark, struct kpi_err *err)
{
	struct metric *m = &d->m[i];
	size_t k;

	if (m->base || mark[i] == 2)
		return 0;
	if (mark[i] == 1)
		return kpi_err_set(err, m->where, m->line, m->col, "%s: formula depends "
		    "on itself", m->name);
	mark[i] = 1;
	for (k = 0; k < kpi_expr_nrefs(m->expr); k++)
		if (visit(d, m->refs[k], mark, err) < 0)
			return -1;
	mark[i] = 2;
	d->order[d->norder++] = i;
	return 0;
}

static int
select_metrics(struct kpi_defs *d, const char *select, struct kpi_err *err)
{
	const char *p = select, *e;
	size_t i, n;
	int found;

	for (i = 0; i < d->n; i++)
		d->m[i].emit = 0;
	for (; *p; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		n = (size_t)(e - p);
		for (found = 0, i = 0; i < d->n; i++)
			if (d->m[i].nlen == n && memcmp(d->m[i].name, p, n) == 0)
				found = d->m[i].emit = 1;
		if (!found) {
			char want[128];

			snprintf(want, sizeof(want), "%.*s", (int)(n < 100 ? n :
			    100), p);
			return unknown_metric(d, NULL, want, err);
		}
	}
	return 0;
}

int
kpi_defs_finish(struct kpi_defs *d, const char *select, struct kpi_err *err)
{
	unsigned char *mark;
	size_t i;
	int rc = 0;

	if (d->n == 0)
		return kpi_err_set(err, NULL, 0, 0, "no metrics: give -m or "
		    "--defs");
	for (i = 0; rc == 0 && i < d->n; i++)
		rc = classify(&d->m[i], err);
	for (i = 0; rc == 0 && i < d->n; i++)
		if (!d->m[i].base)
			rc = resolve(d, &d->m[i], err);
	if (rc < 0)
		return -1;
	d->order = kpi_xmalloc(d->n * sizeof(*d->order));
	mark = kpi_xmalloc(d->n);
	memset(mark, 0, d->n);
	for (i = 0; rc == 0 && i < d->n; i++)
		rc = visit(d, i, mark, err);
	free(mark);
	for (i = 0; i < d->n; i++)
		if (d->m[i].base)
			d->m[i].slot = d->nbase++;
	/* Entity reducers of one field and dataset share one set. */
	for (i = 0; i < d->n; i++) {
		size_t k;

		if (d->m[i].ent == ENT_NONE)
			continue;
		for (k = 0; k < i; k++)
			if (d->m[k].ent != ENT_NONE &&
			    same_rows(&d->m[k], &d->m[i]))
				break;
		d->m[i].eslot = k < i ? d->m[k].eslot : d->nent++;
	}
	if (rc == 0 && select != NULL)
		rc = select_metrics(d, select, err);
	return rc;
}

size_t
kpi_defs_count(const struct kpi_defs *d)
{
	return d->n;
}

void
kpi_defs_info(const struct kpi_defs *d, size_t i,
    struct kpi_metric_info *info)
{
	const struct metric *m = &d->m[i];

	info->name = m->name;
	info->formula = m->formula;
	info->dataset = m->dataset;
	info->unit = m->unit;
	info->description = m->description;
	info->group = m->group;
	info->format = m->format;
	info->lower_better = m->lower_better;
	info->base = m->base;
}

long
kpi_defs_find(const struct kpi_defs *d, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->m[i].nlen == n && memcmp(d->m[i].name, name, n) == 0)
			return (long)i;
	return -1;
}

struct kpi_defs *
kpi_defs_read(const char *file, char *const *ms, size_t nm,
    const char *select, struct kpi_err *err)
{
	struct kpi_defs *d = kpi_defs_new();
	struct kpi_buf text;
	size_t i;
	int rc = 0;

	kpi_buf_init(&text);
	if (file && (rc = kpi_slurp(file, &text, err)) == 0)
		rc = kpi_defs_load(d, text.p ? text.p : "", text.len, file, err);
	for (i = 0; rc == 0 && i < nm; i++)
		rc = kpi_defs_add(d, ms[i], err);
	if (rc == 0)
		rc = kpi_defs_finish(d, select, err);
	kpi_buf_release(&text);
	if (rc < 0) {
		kpi_defs_free(d);
		return NULL;
	}
	return d;
}
