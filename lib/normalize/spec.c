/*
 * spec.c - mapping specs: JSON text (a user's file or a preset) compiled
 * once into what norm.c applies to every row, so that no row pays for
 * looking at the spec again.  jansson reads the JSON: a spec is small, and
 * its error positions are what a user needs.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize/normalize.h"
#include "spec.h"

/*
 * Where a problem is: the spec's name, the field or rule in words, and its
 * place in the text as a path (top-level key, array index, key) that
 * locate() turns into a line and column: jansson keeps no positions for
 * values, only for syntax errors.
 */
struct ctx {
	const char *name;
	char where[160];
	struct kpi_err *err;
	const char *text;
	size_t len;
	const char *top;	/* top-level key, or NULL */
	long idx;		/* element of its array, or -1 */
	const char *sub;	/* key in that element, or NULL */
};

/* The line and column of the ctx's path, as far as it can be followed. */
static void
locate(const struct ctx *x, unsigned long *line, unsigned long *col)
{
	kpi_json_pos(x->text, x->len, x->top, x->idx, x->sub, line, col);
}

static int get_name(struct ctx *, json_t *, const char *, char **);
static int fail(struct ctx *, const char *, const char *);

/*
 * What a field names of other fields or of a reference, kept as the spec
 * gives it (borrowed from the JSON) until every field is known.
 */
struct pend {
	const char *cur;		/* "currency_field" */
	const char *times;		/* "times" */
	const char *since, *until;	/* "between" */
	json_t *lookup;			/* "lookup", checked in shape */
	int unit;			/* "unit" given */
};

/* What a JSON value is, in words, for "is a string where ...". */
static const char *
json_kind(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	default:
		return "null";
	}
}

/* Key's value v is of the wrong JSON type: say what it is and what is due. */
static int
wrong(struct ctx *c, const char *key, json_t *v, const char *want)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "'%s' is %s where %s is expected", key,
	    json_kind(v), want);
	return fail(c, "%s", msg);
}

static int
fail(struct ctx *c, const char *fmt, const char *arg)
{
	char msg[400];

	unsigned long line = 0, col = 0;

	snprintf(msg, sizeof(msg), fmt, arg);
	if (c->text != NULL)
		locate(c, &line, &col);
	return kpi_err_set(c->err, c->name, line, col, "%s%s", c->where, msg);
}

static void
strlist_add(struct strlist *l, const char *s)
{
	l->s = kpi_xrealloc(l->s, (l->n + 1) * sizeof(*l->s));
	l->len = kpi_xrealloc(l->len, (l->n + 1) * sizeof(*l->len));
	l->s[l->n] = kpi_xstrdup(s);
	l->len[l->n] = strlen(s);
	l->n++;
}

static void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	free(l->len);
}

/* A string or an array of strings into l; key names it for errors. */
static int
get_strings(struct ctx *c, json_t *v, const char *key, struct strlist *l)
{
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		strlist_add(l, json_string_value(v));
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(c, "'%s' must be a string or an array of strings",
		    key);
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return fail(c, "'%s' must hold strings", key);
		strlist_add(l, json_string_value(e));
	}
	return 0;
}

/*
 * An unknown name among n valid ones: "unknown type 'numbr': did you mean
 * 'number'? (one of string, integer, ...)".
 */
static int
unknown(struct ctx *c, const char *what, const char *s,
    const char *const *names, size_t n)
{
	struct kpi_near near;
	struct kpi_buf b;
	size_t i;
	int rc;

	kpi_near_init(&near, s);
	for (i = 0; i < n; i++)
		kpi_near_try(&near, names[i]);
	kpi_buf_init(&b);
	kpi_buf_addf(&b, "unknown %s '%.100s'", what, s);
	if (near.best)
		kpi_buf_addf(&b, ": did you mean '%s'?", near.best);
	for (i = 0; i < n; i++)
		kpi_buf_addf(&b, "%s%s", i ? ", " : " (one of ", names[i]);
	kpi_buf_addc(&b, ')');
	rc = fail(c, "%s", b.p);
	kpi_buf_release(&b);
	return rc;
}

static int
get_type(struct ctx *c, json_t *v, struct spec_field *f)
{
	static const char *const names[] = {
		"string", "integer", "number", "money", "percent", "boolean",
		"time", "date"
	};
	static const char *const all[] = {
		"string", "integer", "number", "money", "percent", "boolean",
		"time", "date", "channel"
	};
	size_t i;

	if (!json_is_string(v))
		return wrong(c, "type", v, "a string");
	if (strcmp(json_string_value(v), "channel") == 0) {
		f->type = SPEC_T_CHANNEL;
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(json_string_value(v), names[i]) == 0) {
			f->type = (enum spec_type)i;
			return 0;
		}
	return unknown(c, "type", json_string_value(v), all,
	    sizeof(all) / sizeof(all[0]));
}

static int
get_fold(struct ctx *c, json_t *v, struct spec_field *f)
{
	static const char *const names[] = {
		"first", "sum", "last", "max", "min", "count"
	};
	size_t i;

	for (i = 0; json_is_string(v) && i < sizeof(names) / sizeof(names[0]);
	    i++)
		if (strcmp(json_string_value(v), names[i]) == 0) {
			f->fold = (enum spec_fold)i;
			return 0;
		}
	if (!json_is_string(v))
		return wrong(c, "fold", v, "a string");
	return unknown(c, "fold", json_string_value(v), names,
	    sizeof(names) / sizeof(names[0]));
}

static int
get_decimal(struct ctx *c, json_t *v, int *decimal)
{
	const char *s = json_is_string(v) ? json_string_value(v) : "";

	if (strcmp(s, ".") != 0 && strcmp(s, ",") != 0)
		return fail(c, "'decimal' must be \".\" or \",\"%s", "");
	*decimal = s[0];
	return 0;
}

static int
get_bool(struct ctx *c, json_t *v, const char *key, int *out)
{
	if (!json_is_boolean(v))
		return wrong(c, key, v, "true or false");
	*out = json_is_true(v);
	return 0;
}

/* "format": one pattern or several, compiled now. */
static int
get_formats(struct ctx *c, json_t *v, struct spec_field *f)
{
	struct strlist l = { NULL, NULL, 0 };
	size_t i;
	int rc = 0;

	if (get_strings(c, v, "format", &l) < 0)
		return -1;
	f->fmts = kpi_xmalloc(l.n * sizeof(*f->fmts));
	for (i = 0; i < l.n && rc == 0; i++) {
		if ((f->fmts[i] = kpi_timefmt_compile(l.s[i], c->err)) == NULL)
			rc = fail(c, "bad time format '%s'", l.s[i]);
		else
			f->nfmts++;
	}
	strlist_free(&l);
	return rc;
}

static int
get_monthly(struct ctx *c, json_t *v, struct spec_field *f)
{
	json_t *iv = json_object_get(v, "interval");
	json_t *cv = json_object_get(v, "count");
	json_t *qv = json_object_get(v, "quantity");

	if (!json_is_object(v) || !json_is_string(iv) ||
	    (cv != NULL && !json_is_string(cv)) ||
	    (qv != NULL && !json_is_string(qv)) ||
	    json_object_size(v) != 1 + (size_t)(cv != NULL) +
	    (size_t)(qv != NULL))
		return fail(c, "'monthly' must be {\"interval\": COLUMN, "
		    "\"count\": COLUMN, \"quantity\": COLUMN}%s", "");
	f->interval_col = kpi_xstrdup(json_string_value(iv));
	f->count_col = cv ? kpi_xstrdup(json_string_value(cv)) : NULL;
	f->qty_col = qv ? kpi_xstrdup(json_string_value(qv)) : NULL;
	return 0;
}

/* "currency_from_header": "Amount spent (XXX)", the code in a column name. */
static int
get_header(struct ctx *c, json_t *v, struct spec_field *f)
{
	const char *s = json_is_string(v) ? json_string_value(v) : "", *x;

	if ((x = strstr(s, "XXX")) == NULL)
		return fail(c, "'currency_from_header' needs XXX where the "
		    "code stands%s", "");
	f->type = SPEC_T_HEADER;
	f->hpre = kpi_xmemdup(s, (size_t)(x - s));
	f->hsuf = kpi_xstrdup(x + 3);
	return 0;
}

/* A constant: kept as a record value with its own text. */
static int
get_const(struct ctx *c, json_t *v, struct spec_field *f)
{
	f->type = SPEC_T_CONST;
	if (json_is_string(v)) {
		f->ctext = kpi_xstrdup(json_string_value(v));
		f->cval.type = KPI_STR;
	} else {
		f->ctext = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (f->ctext == NULL)
			return fail(c, "bad 'value'%s", "");
		f->cval.type = json_is_number(v) ? KPI_NUM : json_is_true(v) ?
		    KPI_TRUE : json_is_false(v) ? KPI_FALSE : json_is_null(v) ?
		    KPI_NULL : KPI_RAW;
		f->cval.num = json_is_number(v) ? json_number_value(v) : 0;
	}
	f->cval.s = f->ctext;
	f->cval.len = strlen(f->ctext);
	return 0;
}

/* "lookup": {"name", "file", "key", "value", "required"}, in shape. */
static int
get_lookup(struct ctx *c, json_t *v, struct spec_field *f, struct pend *p)
{
	static const char *const keys[] = {
		"name", "file", "key", "value", "required"
	};
	const char *key;
	json_t *e;
	size_t i;

	if (!json_is_object(v))
		return wrong(c, "lookup", v, "an object");
	json_object_foreach(v, key, e) {
		for (i = 0; i < 5 && strcmp(key, keys[i]) != 0; i++)
			;
		if (i == 5)
			return unknown(c, "key of 'lookup'", key, keys, 5);
		if (i < 4 && (!json_is_string(e) || json_string_length(e) == 0))
			return fail(c, "'lookup.%s' must be a non-empty string",
			    key);
		if (i == 4 && get_bool(c, e, "lookup.required",
		    &f->ref_required) < 0)
			return -1;
	}
	if (!json_object_get(v, "key") || !json_object_get(v, "value"))
		return fail(c, "'lookup' needs \"key\" and \"value\", the "
		    "reference's columns%s", "");
	p->lookup = v;
	return 0;
}

/* "between": [FIELD, FIELD], the two times of a duration. */
static int
get_between(struct ctx *c, json_t *v, struct pend *p)
{
	if (!json_is_array(v) || json_array_size(v) != 2 ||
	    !json_is_string(json_array_get(v, 0)) ||
	    !json_is_string(json_array_get(v, 1)))
		return fail(c, "'between' must be [FIELD, FIELD], two time "
		    "fields%s", "");
	p->since = json_string_value(json_array_get(v, 0));
	p->until = json_string_value(json_array_get(v, 1));
	return 0;
}

/* "unit": what a duration is counted in. */
static int
get_unit(struct ctx *c, json_t *v, struct spec_field *f, struct pend *p)
{
	static const char *const names[] = {
		"seconds", "minutes", "hours", "days"
	};
	static const double secs[] = { 1, 60, 3600, 86400 };
	size_t i;

	if (!json_is_string(v))
		return wrong(c, "unit", v, "a string");
	for (i = 0; i < 4; i++)
		if (strcmp(json_string_value(v), names[i]) == 0) {
			f->unit = secs[i];
			p->unit = 1;
			return 0;
		}
	return unknown(c, "unit", json_string_value(v), names, 4);
}

/* One key of a field object. */
static int
field_key(struct ctx *c, const char *key, json_t *v, struct spec_field *f,
    struct pend *p)
{
	c->sub = key;
	if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0)
		return 0;	/* the name is taken by field_load */
	if (strcmp(key, "from") == 0)
		return get_strings(c, v, key, &f->from);
	if (strcmp(key, "type") == 0)
		return get_type(c, v, f);
	if (strcmp(key, "value") == 0)
		return get_const(c, v, f);
	if (strcmp(key, "format") == 0)
		return get_formats(c, v, f);
	if (strcmp(key, "decimal") == 0)
		return get_decimal(c, v, &f->decimal);
	if (strcmp(key, "null") == 0)
		return get_strings(c, v, key, &f->nulls);
	if (strcmp(key, "true") == 0)
		return get_strings(c, v, key, &f->trues);
	if (strcmp(key, "false") == 0)
		return get_strings(c, v, key, &f->falses);
	if (strcmp(key, "scale") == 0) {
		if (!json_is_number(v))
			return wrong(c, key, v, "a number");
		if (json_number_value(v) == 0)
			return fail(c, "'%s' is 0 where a number other than 0 "
			    "is expected", key);
		f->scale = json_number_value(v);
		return 0;
	}
	if (strcmp(key, "apostrophe") == 0)
		return get_bool(c, v, key, &f->apostrophe);
	if (strcmp(key, "lower") == 0)
		return get_bool(c, v, key, &f->lower);
	if (strcmp(key, "upper") == 0)
		return get_bool(c, v, key, &f->upper);
	if (strcmp(key, "carry") == 0)
		return get_name(c, v, key, &f->carry);
	if (strcmp(key, "currency_from_header") == 0)
		return get_header(c, v, f);
	if (strcmp(key, "required") == 0)
		return get_bool(c, v, key, &f->required);
	if (strcmp(key, "fold") == 0)
		return get_fold(c, v, f);
	if (strcmp(key, "monthly") == 0)
		return get_monthly(c, v, f);
	if (strcmp(key, "minus") == 0)
		return get_strings(c, v, key, &f->minus);
	if (strcmp(key, "source") == 0)
		return get_strings(c, v, key, &f->ch_source);
	if (strcmp(key, "medium") == 0)
		return get_strings(c, v, key, &f->ch_medium);
	if (strcmp(key, "campaign") == 0)
		return get_strings(c, v, key, &f->ch_campaign);
	if (strcmp(key, "utm") == 0)
		return get_strings(c, v, key, &f->ch_utm);
	if (strcmp(key, "default") == 0)
		return get_name(c, v, key, &f->dflt);
	if (strcmp(key, "currency_field") == 0 || strcmp(key, "times") == 0) {
		if (!json_is_string(v))
			return fail(c, "'%s' must be a string", key);
		*(key[0] == 'c' ? &p->cur : &p->times) = json_string_value(v);
		return 0;
	}
	if (strcmp(key, "lookup") == 0)
		return get_lookup(c, v, f, p);
	if (strcmp(key, "between") == 0)
		return get_between(c, v, p);
	if (strcmp(key, "unit") == 0)
		return get_unit(c, v, f, p);
	return fail(c, "unknown key '%s'", key);
}

/* Checks what the keys say together. */
static int
field_check(struct ctx *c, struct spec_field *f, int has_type,
    const struct pend *p)
{
	if (p->since && (f->from.n || has_type || p->lookup || f->ctext ||
	    f->hpre))
		return fail(c, "'between' goes without 'from', 'type', 'value', "
		    "'lookup' and 'currency_from_header'%s", "");
	if (p->unit && !p->since)
		return fail(c, "'unit' is for 'between' fields%s", "");
	if (p->since) {		/* a number: every fold fits */
		f->type = SPEC_T_DURATION;
		return 0;
	}
	if (p->lookup && (f->type == SPEC_T_CONST ||
	    f->type == SPEC_T_HEADER))
		return fail(c, "'lookup' needs 'from' and 'type', not 'value' "
		    "or 'currency_from_header'%s", "");
	if ((f->type == SPEC_T_CONST || f->type == SPEC_T_HEADER) &&
	    (f->from.n || has_type))
		return fail(c, "'value' and 'currency_from_header' go without "
		    "'from' and 'type'%s", "");
	if (f->type == SPEC_T_HEADER)
		return 0;
	if ((f->ch_source.n || f->ch_medium.n || f->ch_campaign.n ||
	    f->ch_utm.n || f->dflt) && f->type != SPEC_T_CHANNEL)
		return fail(c, "'source', 'medium', 'campaign', 'utm' and "
		    "'default' are for channel fields%s", "");
	if (f->minus.n && f->type != SPEC_T_INTEGER &&
	    f->type != SPEC_T_NUMBER && f->type != SPEC_T_MONEY)
		return fail(c, "'minus' is for integer, number and money "
		    "fields%s", "");
	if (f->type == SPEC_T_CHANNEL && f->from.n == 0 &&
	    f->ch_source.n + f->ch_medium.n + f->ch_campaign.n +
	    f->ch_utm.n == 0)
		return fail(c, "a channel field needs 'from', 'source', "
		    "'medium', 'campaign' or 'utm'%s", "");
	if (f->type == SPEC_T_CHANNEL)
		return 0;
	if (f->type != SPEC_T_CONST && f->from.n == 0)
		return fail(c, "'from', 'value' or 'currency_from_header' is "
		    "needed%s", "");
	if (f->type != SPEC_T_CONST && !has_type)
		return fail(c, "'type' is needed%s", "");
	if ((f->type == SPEC_T_TIME || f->type == SPEC_T_DATE) &&
	    f->nfmts == 0) {
		f->fmts = kpi_xmalloc(sizeof(*f->fmts));
		if ((f->fmts[0] = kpi_timefmt_compile("auto", c->err)) == NULL)
			return -1;
		f->nfmts = 1;
	}
	if (f->nfmts && f->type != SPEC_T_TIME && f->type != SPEC_T_DATE)
		return fail(c, "'format' is for time and date fields%s", "");
	if (f->interval_col && f->type != SPEC_T_MONEY &&
	    f->type != SPEC_T_NUMBER)
		return fail(c, "'monthly' is for money and number fields%s", "");
	if (f->fold == SPEC_F_SUM && f->type != SPEC_T_INTEGER &&
	    f->type != SPEC_T_NUMBER && f->type != SPEC_T_MONEY &&
	    f->type != SPEC_T_PERCENT)
		return fail(c, "fold 'sum' needs a numeric type%s", "");
	return 0;
}

static int
field_load(struct ctx *c, json_t *o, size_t i, struct spec_field *f,
    struct pend *p)
{
	json_t *name = json_object_get(o, "name"), *v;
	const char *key;

	snprintf(c->where, sizeof(c->where), "field %zu: ", i + 1);
	c->top = "fields";
	c->idx = (long)i;
	c->sub = NULL;
	if (!json_is_object(o))
		return fail(c, "a field must be an object%s", "");
	if (!json_is_string(name) || json_string_length(name) == 0)
		return fail(c, "'name' is needed%s", "");
	f->name = kpi_xstrdup(json_string_value(name));
	f->nlen = strlen(f->name);
	f->nclean = (unsigned char)kpi_json_clean(f->name, f->nlen);
	f->scale = 1;
	f->apostrophe = 1;
	f->currency_field = -1;
	f->ref = f->times = f->since = f->until = -1;
	f->unit = 1;
	f->type = SPEC_T_STRING;
	snprintf(c->where, sizeof(c->where), "field %zu ('%.100s'): ", i + 1,
	    f->name);
	if (f->name[0] == '_')
		return fail(c, "names beginning with '_' are the toolkit's%s",
		    "");
	json_object_foreach(o, key, v)
		if (field_key(c, key, v, f, p) < 0)
			return -1;
	c->sub = NULL;
	return field_check(c, f, json_object_get(o, "type") != NULL, p);
}

/* The field named name, or -1. */
static long
field_index(const struct kpi_spec *sp, const char *name)
{
	size_t k;

	for (k = 0; k < sp->nf; k++)
		if (strcmp(sp->f[k].name, name) == 0)
			return (long)k;
	return -1;
}

/* Field i's place in ctx, for a key that names something. */
static void
at_field(struct ctx *c, const struct kpi_spec *sp, size_t i, const char *key)
{
	snprintf(c->where, sizeof(c->where), "field %zu ('%.100s'): ", i + 1,
	    sp->f[i].name);
	c->top = "fields";
	c->idx = (long)i;
	c->sub = key;
}

/*
 * A field that "times" or "between" names: one before field i (values are
 * made in spec order, so it has its value by then) of a fitting type.
 */
static int
named_field(struct ctx *c, struct kpi_spec *sp, size_t i, const char *name,
    int want_time, long *out)
{
	enum spec_type t;

	if ((*out = field_index(sp, name)) < 0)
		return fail(c, "no field '%s'", name);
	if ((size_t)*out >= i)
		return fail(c, "field '%s' comes after this one: name a field "
		    "before it", name);
	t = sp->f[*out].type;
	if (want_time ? t != SPEC_T_TIME && t != SPEC_T_DATE :
	    t != SPEC_T_INTEGER && t != SPEC_T_NUMBER && t != SPEC_T_PERCENT)
		return fail(c, want_time ? "field '%s' is not of type time or "
		    "date" : "field '%s' is not of type integer, number or "
		    "percent", name);
	return 0;
}

/* "times" and "between" become field indexes. */
static int
named_fields(struct ctx *c, struct kpi_spec *sp, size_t i,
    const struct pend *p)
{
	struct spec_field *f = &sp->f[i];

	if (p->times) {
		at_field(c, sp, i, "times");
		if (f->type != SPEC_T_NUMBER && f->type != SPEC_T_MONEY &&
		    f->type != SPEC_T_INTEGER && f->type != SPEC_T_DURATION)
			return fail(c, "'times' is for number, money, integer "
			    "and duration fields%s", "");
		if (named_field(c, sp, i, p->times, 0, &f->times) < 0)
			return -1;
		if (f->type == SPEC_T_INTEGER &&
		    sp->f[f->times].type != SPEC_T_INTEGER)
			return fail(c, "an integer field is 'times' an integer "
			    "field only%s", "");
	}
	if (f->type != SPEC_T_DURATION)
		return 0;
	at_field(c, sp, i, "between");
	if (named_field(c, sp, i, p->since, 1, &f->since) < 0 ||
	    named_field(c, sp, i, p->until, 1, &f->until) < 0)
		return -1;
	if (sp->f[f->since].type != sp->f[f->until].type)
		return fail(c, "'between' needs two time fields or two date "
		    "fields%s", "");
	return 0;
}

/*
 * A "lookup" joins its reference, by name (the field's own by default):
 * fields that share a name share the file and the key column.
 */
static int
lookup_ref(struct ctx *c, struct kpi_spec *sp, size_t i, json_t *lk)
{
	json_t *nv = json_object_get(lk, "name"), *fv = json_object_get(lk,
	    "file");
	const char *name = nv ? json_string_value(nv) : sp->f[i].name;
	const char *file = fv ? json_string_value(fv) : NULL;
	const char *key = json_string_value(json_object_get(lk, "key"));
	struct spec_ref *r;
	size_t k;

	at_field(c, sp, i, "lookup");
	for (k = 0; k < sp->nref && strcmp(sp->ref[k].name, name) != 0; k++)
		;
	if (k == sp->nref) {
		sp->ref = kpi_xrealloc(sp->ref, (k + 1) * sizeof(*sp->ref));
		r = &sp->ref[sp->nref++];
		memset(r, 0, sizeof(*r));
		r->name = kpi_xstrdup(name);
		r->file = file ? kpi_xstrdup(file) : NULL;
		r->key = kpi_xstrdup(key);
	}
	r = &sp->ref[k];
	if ((file == NULL) != (r->file == NULL) || (file &&
	    strcmp(file, r->file) != 0) || strcmp(key, r->key) != 0)
		return fail(c, "lookup '%s' is given another file or key by a "
		    "field before", name);
	sp->f[i].ref = (long)k;
	sp->f[i].refcol = r->values.n;
	strlist_add(&r->values, json_string_value(json_object_get(lk,
	    "value")));
	return 0;
}

/* What fields name of each other and of references, now all are known. */
static int
fields_resolve(struct ctx *c, struct kpi_spec *sp, const struct pend *p)
{
	size_t i;

	for (i = 0; i < sp->nf; i++) {
		if (p[i].cur != NULL) {
			at_field(c, sp, i, "currency_field");
			sp->f[i].currency_field = field_index(sp, p[i].cur);
			if (sp->f[i].currency_field < 0)
				return fail(c, "no field '%s' for "
				    "'currency_field'", p[i].cur);
			if (sp->f[i].type != SPEC_T_MONEY)
				return fail(c, "'currency_field' is for money "
				    "fields%s", "");
		}
		if (named_fields(c, sp, i, &p[i]) < 0 ||
		    (p[i].lookup && lookup_ref(c, sp, i, p[i].lookup) < 0))
			return -1;
	}
	return 0;
}

static int
fields_load(struct ctx *c, json_t *arr, struct kpi_spec *sp, int decimal)
{
	struct pend *p;
	size_t i, k;
	int rc = 0;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return fail(c, "'fields' must be a non-empty array%s", "");
	sp->f = kpi_xmalloc(json_array_size(arr) * sizeof(*sp->f));
	memset(sp->f, 0, json_array_size(arr) * sizeof(*sp->f));
	p = kpi_xmalloc(json_array_size(arr) * sizeof(*p));
	memset(p, 0, json_array_size(arr) * sizeof(*p));
	for (i = 0; i < json_array_size(arr) && rc == 0; i++) {
		sp->nf++;
		rc = field_load(c, json_array_get(arr, i), i, &sp->f[i], &p[i]);
		if (sp->f[i].decimal == 0)
			sp->f[i].decimal = decimal;
		for (k = 0; rc == 0 && k < i; k++)
			if (strcmp(sp->f[k].name, sp->f[i].name) == 0)
				rc = fail(c, "the name is taken by field %s",
				    sp->f[k].name);
	}
	if (rc == 0)
		rc = fields_resolve(c, sp, p);
	free(p);
	return rc;
}

static int
drop_load(struct ctx *c, json_t *o, size_t i, struct spec_drop *d)
{
	json_t *field = json_object_get(o, "field");
	json_t *any = json_object_get(o, "any_field"), *v;
	int kinds = 0;

	snprintf(c->where, sizeof(c->where), "drop rule %zu: ", i + 1);
	c->top = "drop";
	c->idx = (long)i;
	c->sub = NULL;
	if (!json_is_object(o))
		return fail(c, "a drop rule must be an object%s", "");
	if ((field == NULL) == (any == NULL) || (any && !json_is_true(any)) ||
	    (field && !json_is_string(field)))
		return fail(c, "needs \"field\": NAME or \"any_field\": "
		    "true%s", "");
	d->field = field ? kpi_xstrdup(json_string_value(field)) : NULL;
	if ((v = json_object_get(o, "in")) != NULL) {
		kinds++;
		d->kind = SPEC_D_IN;
		if (get_strings(c, v, "in", &d->vals) < 0)
			return -1;
	}
	if ((v = json_object_get(o, "prefix")) != NULL) {
		kinds++;
		d->kind = SPEC_D_PREFIX;
		if (!json_is_string(v))
			return fail(c, "'prefix' must be a string%s", "");
		strlist_add(&d->vals, json_string_value(v));
	}
	if ((v = json_object_get(o, "empty")) != NULL && json_is_true(v)) {
		kinds++;
		d->kind = SPEC_D_EMPTY;
	}
	if ((v = json_object_get(o, "missing")) != NULL && json_is_true(v)) {
		kinds++;
		d->kind = SPEC_D_MISSING;
	}
	if (kinds != 1 || json_object_size(o) != 2)
		return fail(c, "needs exactly one of 'in', 'prefix', 'empty': "
		    "true, 'missing': true%s", "");
	if (d->field == NULL && d->kind != SPEC_D_PREFIX)
		return fail(c, "'any_field' goes with 'prefix' only%s", "");
	return 0;
}

static int
drops_load(struct ctx *c, json_t *arr, struct kpi_spec *sp)
{
	size_t i;

	if (!json_is_array(arr))
		return fail(c, "'drop' must be an array%s", "");
	sp->drop = kpi_xmalloc((json_array_size(arr) + 1) * sizeof(*sp->drop));
	memset(sp->drop, 0, (json_array_size(arr) + 1) * sizeof(*sp->drop));
	for (i = 0; i < json_array_size(arr); i++) {
		sp->ndrop++;
		if (drop_load(c, json_array_get(arr, i), i, &sp->drop[i]) < 0)
			return -1;
	}
	return 0;
}

/* The index of the output field called name, or -1 with err set. */
static long
cond_field(struct ctx *c, const struct kpi_spec *sp, json_t *name)
{
	long i;

	if (!json_is_string(name))
		return fail(c, "needs \"field\": NAME%s", "");
	if ((i = field_index(sp, json_string_value(name))) < 0)
		return fail(c, "no field '%s'", json_string_value(name));
	return i;
}

/* One condition of "void": {"field": F, "in"|"null"|"below": ...}. */
static int
cond_load(struct ctx *c, json_t *o, const struct kpi_spec *sp,
    struct spec_cond *k)
{
	json_t *v;
	long fi;

	if (!json_is_object(o) || json_object_size(o) != 2)
		return fail(c, "a condition is {\"field\": NAME, and one of "
		    "'in', 'null' or 'below'}%s", "");
	if ((fi = cond_field(c, sp, json_object_get(o, "field"))) < 0)
		return -1;
	k->field = (size_t)fi;
	if ((v = json_object_get(o, "in")) != NULL) {
		k->kind = SPEC_C_IN;
		return get_strings(c, v, "in", &k->vals);
	}
	if ((v = json_object_get(o, "null")) != NULL) {
		if (!json_is_boolean(v))
			return wrong(c, "null", v, "true or false");
		k->kind = json_is_true(v) ? SPEC_C_NULL : SPEC_C_SET;
		return 0;
	}
	if ((v = json_object_get(o, "below")) != NULL) {
		if (!json_is_number(v))
			return wrong(c, "below", v, "a number");
		k->kind = SPEC_C_BELOW;
		k->num = json_number_value(v);
		return 0;
	}
	return fail(c, "a condition needs one of 'in', 'null' or 'below'%s",
	    "");
}

/*
 * A "void" rule, {"if": [CONDITION, ...], "fields": [NAME, ...]}: the
 * fields are null in an output row where any condition holds (a cancelled
 * order keeps its row, but its amounts do not count).
 */
static int
void_rule(struct ctx *c, json_t *o, const struct kpi_spec *sp,
    struct spec_void *vd)
{
	json_t *conds = json_object_get(o, "if");
	json_t *names = json_object_get(o, "fields"), *e;
	size_t i;
	long fi;

	if (!json_is_object(o) || json_object_size(o) != 2 ||
	    !json_is_array(conds) || json_array_size(conds) == 0 ||
	    !json_is_array(names) || json_array_size(names) == 0)
		return fail(c, "a void rule is {\"if\": [CONDITION, ...], "
		    "\"fields\": [NAME, ...]}%s", "");
	vd->vif = kpi_xmalloc(json_array_size(conds) * sizeof(*vd->vif));
	memset(vd->vif, 0, json_array_size(conds) * sizeof(*vd->vif));
	json_array_foreach(conds, i, e) {
		vd->nvif++;
		if (cond_load(c, e, sp, &vd->vif[i]) < 0)
			return -1;
	}
	vd->vfields = kpi_xmalloc(json_array_size(names) *
	    sizeof(*vd->vfields));
	json_array_foreach(names, i, e) {
		if ((fi = cond_field(c, sp, e)) < 0)
			return -1;
		vd->vfields[vd->nvfields++] = (size_t)fi;
	}
	return 0;
}

/* "void": a rule, or an array of rules. */
static int
void_load(struct ctx *c, json_t *v, struct kpi_spec *sp)
{
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;

	if (n == 0 || n > KPI_SPEC_MAXVOID)
		return fail(c, "'void' holds 1 to 64 rules%s", "");
	sp->voids = kpi_xmalloc(n * sizeof(*sp->voids));
	memset(sp->voids, 0, n * sizeof(*sp->voids));
	for (i = 0; i < n; i++) {
		snprintf(c->where, sizeof(c->where), "void rule %zu: ", i + 1);
		c->idx = json_is_array(v) ? (long)i : -1;
		sp->nvoids++;
		if (void_rule(c, json_is_array(v) ? json_array_get(v, i) : v,
		    sp, &sp->voids[i]) < 0)
			return -1;
	}
	return 0;
}

static int
get_name(struct ctx *c, json_t *v, const char *key, char **out)
{
	if (!json_is_string(v) || json_string_length(v) == 0)
		return fail(c, "'%s' must be a non-empty string", key);
	*out = kpi_xstrdup(json_string_value(v));
	return 0;
}

/*
 * "key": the fields, by name, whose values tell one entity from another;
 * read once the fields are known.
 */
static int
key_load(struct ctx *c, json_t *v, struct kpi_spec *sp)
{
	struct strlist names = { NULL, NULL, 0 };
	size_t i, j, k;
	int rc;

	c->where[0] = '\0';
	c->top = "key";
	c->idx = -1;
	c->sub = NULL;
	rc = get_strings(c, v, "key", &names);
	sp->key = kpi_xmalloc((names.n + 1) * sizeof(*sp->key));
	for (i = 0; rc == 0 && i < names.n; i++) {
		c->idx = json_is_array(v) ? (long)i : -1;
		for (k = 0; k < sp->nf; k++)
			if (strcmp(sp->f[k].name, names.s[i]) == 0)
				break;
		if (k == sp->nf)
			rc = fail(c, "'key' names no field '%s'", names.s[i]);
		for (j = 0; rc == 0 && j < sp->nkey; j++)
			if (sp->key[j] == k)
				rc = fail(c, "'key' names field '%s' twice",
				    names.s[i]);
		sp->key[sp->nkey++] = k;
	}
	strlist_free(&names);
	return rc;
}

/* The top-level keys. */
static int
spec_keys(struct ctx *c, json_t *root, struct kpi_spec *sp)
{
	json_t *v, *fields = NULL, *keyv = NULL, *voids = NULL;
	const char *key;
	int decimal = '.';

	json_object_foreach(root, key, v) {
		c->where[0] = '\0';
		c->top = key;
		c->idx = -1;
		c->sub = NULL;
		if (strcmp(key, "dataset") == 0 || strcmp(key, "tz") == 0) {
			if (get_name(c, v, key, key[0] == 'd' ? &sp->dataset :
			    &sp->tz) < 0)
				return -1;
		} else if (strcmp(key, "decimal") == 0) {
			if (get_decimal(c, v, &decimal) < 0)
				return -1;
		} else if (strcmp(key, "fold") == 0) {
			if (!json_is_object(v) || json_object_size(v) != 1 ||
			    get_name(c, json_object_get(v, "key"), "fold.key",
			    &sp->fold_key) < 0)
				return fail(c, "'fold' must be {\"key\": "
				    "COLUMN}%s", "");
		} else if (strcmp(key, "drop") == 0) {
			if (drops_load(c, v, sp) < 0)
				return -1;
		} else if (strcmp(key, "require") == 0) {
			if (get_strings(c, v, key, &sp->require) < 0)
				return -1;
		} else if (strcmp(key, "fields") == 0)
			fields = v;
		else if (strcmp(key, "key") == 0)
			keyv = v;
		else if (strcmp(key, "void") == 0)
			voids = v;
		else if (strcmp(key, "description") != 0)
			return fail(c, "unknown key '%s'", key);
	}
	c->where[0] = '\0';
	c->top = "fields";
	c->idx = -1;
	if (fields == NULL)
		return fail(c, "'fields' is needed%s", "");
	if (fields_load(c, fields, sp, decimal) < 0)
		return -1;
	if (keyv && key_load(c, keyv, sp) < 0)
		return -1;
	c->top = "void";
	return voids ? void_load(c, voids, sp) : 0;
}

struct kpi_spec *
kpi_spec_load(const char *text, size_t len, const char *name,
    struct kpi_err *err)
{
	struct ctx c = { name, "", err, text, len, NULL, -1, NULL };
	struct kpi_spec *sp;
	json_error_t je;
	json_t *root;
	size_t i;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		kpi_err_set(err, name, je.line > 0 ? (unsigned long)je.line : 0,
		    je.column > 0 ? (unsigned long)je.column : 0, "%s", je.text);
		return NULL;
	}
	sp = kpi_xmalloc(sizeof(*sp));
	memset(sp, 0, sizeof(*sp));
	sp->time_field = -1;
	if (!json_is_object(root) ? fail(&c, "a spec is a JSON object%s", "") :
	    spec_keys(&c, root, sp)) {
		json_decref(root);
		kpi_spec_free(sp);
		return NULL;
	}
	json_decref(root);
	if (sp->dataset == NULL)
		sp->dataset = kpi_xstrdup("rows");
	if (sp->tz == NULL)
		sp->tz = kpi_xstrdup("UTC");
	for (i = 0; i < sp->nf; i++)
		if (strcmp(sp->f[i].name, "time") == 0 &&
		    sp->f[i].type == SPEC_T_TIME)
			sp->time_field = (long)i;
	return sp;
}

static void
field_free(struct spec_field *f)
{
	size_t i;

	free(f->name);
	strlist_free(&f->from);
	for (i = 0; i < f->nfmts; i++)
		kpi_timefmt_free(f->fmts[i]);
	free(f->fmts);
	strlist_free(&f->nulls);
	strlist_free(&f->trues);
	strlist_free(&f->falses);
	free(f->interval_col);
	free(f->count_col);
	free(f->qty_col);
	free(f->carry);
	free(f->hpre);
	free(f->hsuf);
	free(f->ctext);
	strlist_free(&f->minus);
	strlist_free(&f->ch_source);
	strlist_free(&f->ch_medium);
	strlist_free(&f->ch_campaign);
	strlist_free(&f->ch_utm);
	free(f->dflt);
}

void
kpi_spec_free(struct kpi_spec *sp)
{
	size_t i, k;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->nf; i++)
		field_free(&sp->f[i]);
	free(sp->f);
	for (i = 0; i < sp->ndrop; i++) {
		free(sp->drop[i].field);
		strlist_free(&sp->drop[i].vals);
	}
	free(sp->drop);
	free(sp->dataset);
	free(sp->tz);
	free(sp->fold_key);
	free(sp->key);
	strlist_free(&sp->require);
	for (i = 0; i < sp->nvoids; i++) {
		for (k = 0; k < sp->voids[i].nvif; k++)
			strlist_free(&sp->voids[i].vif[k].vals);
		free(sp->voids[i].vif);
		free(sp->voids[i].vfields);
	}
	free(sp->voids);
	for (i = 0; i < sp->nref; i++) {
		free(sp->ref[i].name);
		free(sp->ref[i].file);
		free(sp->ref[i].key);
		strlist_free(&sp->ref[i].values);
	}
	free(sp->ref);
	free(sp->dir);
	free(sp);
}

const char *
kpi_preset_name(size_t i)
{
	size_t n = 0;

	while (kpi_presets[n].name != NULL)
		n++;
	return i < n ? kpi_presets[i].name : NULL;
}

struct kpi_spec *
kpi_spec_open(const struct kpi_preset *p, const char *path,
    struct kpi_buf *text, struct kpi_err *err)
{
	struct kpi_spec *sp;
	const char *slash;
	char name[300];

	if (p) {
		snprintf(name, sizeof(name), "preset %s", p->name);
		kpi_buf_adds(text, p->json);
	} else {
		snprintf(name, sizeof(name), "%s", path);
		if (kpi_slurp(path, text, err) < 0)
			return NULL;
	}
	sp = kpi_spec_load(text->p ? text->p : "", text->len, name, err);
	/* A lookup's "file" is read beside the spec that names it. */
	if (sp && path && (slash = strrchr(path, '/')) != NULL)
		sp->dir = kpi_xmemdup(path, (size_t)(slash - path + 1));
	return sp;
}

const struct kpi_preset *
kpi_preset_find(const char *name)
{
	const struct kpi_preset *p;

	for (p = kpi_presets; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
