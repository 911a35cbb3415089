/*
 * norm.c - rows to typed rows by a compiled spec: drop rules, typed values,
 * currency conversion, and the folding of entities spread over rows.
 *
 * Each row is first parsed into n->vals (strings borrowed from the row or
 * made in n->rowarena), so that a rejection leaves nothing half done; the
 * values are then put into the output record.  Without folding that record
 * is written before the next row is read, so it borrows; a folded entity
 * outlives its rows and copies.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "normalize/normalize.h"
#include "keys.h"
#include "spec.h"
#include "set.h"

struct rate {
	char cur[8];
	long long day;
	double rate;
};

struct kpi_rates {
	struct rate *r;		/* sorted by currency, then day; owned */
	size_t n;
};

struct kpi_norm {
	const struct kpi_spec *sp;	/* borrowed, or own_spec */
	struct kpi_spec *own_spec;	/* kpi_norm_open's: owned, */
	struct kpi_buf own_text;	/* with its text, */
	struct kpi_rates *own_rates;	/* and its rates */
	struct kpi_norm_stats st;	/* what became of the rows */
	struct kpi_tz *tz;		/* owned */
	const struct kpi_rates *rates;	/* borrowed */
	const char *currency;		/* borrowed */
	int places;			/* of its minor unit */
	const char *srccur;		/* borrowed; or NULL */
	int keep;
	int carries, derives;		/* the spec has "carry"; "between"
					   or "times" fields */
	struct norm_sets sets;		/* --set */
	size_t *hint;			/* per field: its column's index */
	size_t *drop_hint;		/* per drop rule: its column's index */
	size_t *req_hint;		/* per required column: its index */
	size_t fold_hint;		/* the fold key column's index */
	struct kpi_val *vals;		/* per field: this row's value */
	const char **cols;		/* per field: the column it came from */
	const char **stext;		/* per field: the source text, or NULL */
	size_t *slen;
	struct kpi_buf *carry_key;	/* per field: "carry" column's last value */
	struct kpi_buf *carry_val;	/* and the field's last text */
	struct kpi_val *carry_v;
	unsigned char *used;		/* per column of this row: mapped */
	size_t usedcap;
	struct kpi_arena rowarena;	/* strings made for this row */
	long long row_day;		/* local date of this row's time */
	int row_has_day;
	struct kpi_rec cur;		/* the entity being folded */
	struct kpi_rec ready;		/* the output row handed out */
	int ready_shape;		/* its shape (see shape()), or 0 */
	int have_cur;
	struct kpi_buf cur_key;
	unsigned long cur_rows;		/* input rows in the entity */
	struct kpi_err cur_where;	/* its first row's file and line */
	struct kpi_buf where_src;	/* the "_src" cur_where.file is of */
	long long cur_day;
	int cur_has_day;
	uint32_t cur_src;		/* the source it is of */
	struct kpi_key cur_k;		/* its key, when cur_keyed */
	int cur_keyed;
	struct kpi_buf skip_key;	/* the entity whose rows are skipped: */
	enum kpi_norm_fate skip;	/* REJECTED (its first row was),
					   DUPLICATE, or TAKEN: none */
	uint32_t skip_src;
	struct kpi_keys keys;		/* the keys written (spec "key") */
	int dedup;
	long key_time;			/* the time field, when in the key */
	const char *why;		/* a reject's reason, if not its type */
	char whybuf[64];
	struct kpi_buf src;		/* the "_src" of the source being read */
	int have_src;
	uint32_t src_no;		/* its number, from 1 */
	double src_line;		/* its last row's "_line" */
	size_t src_hint, line_hint;
	unsigned long src_in, src_dropped; /* its rows fed, and dropped */
	struct kpi_rec src_head;	/* its first row's keys (values null) */
	struct lookup_table **tables;	/* per spec_ref, or NULL when no file
					   is given it; owned */
	size_t ntables;			/* how many were read */
	unsigned long missed;		/* rows a lookup found nothing for */
};

static int same_key(const struct kpi_buf *, const char *, size_t);
static void hint(const struct kpi_spec *, const struct kpi_rec *,
    struct kpi_err *);

static const char *const type_names[] = {
	"string", "integer", "number", "money", "percent", "boolean", "time",
	"date", "constant", "currency code", "channel", "duration"
};

/* The string value of column key in r, or NULL when absent or not text. */
static const struct kpi_field *
column(const struct kpi_rec *r, const char *key, size_t klen)
{
	return kpi_rec_find(r, key, klen);
}

/*
 * kpi_rec_find_hint with the hint tried here: the rows of one file put
 * their keys in the same places, so a column is nearly always found where
 * it was in the last row (a record's keys are unique: the same answer).
 */
static const struct kpi_field *
column_at(const struct kpi_rec *r, const char *key, size_t klen,
    size_t *hint)
{
	size_t h = *hint;

	if (h < r->n && r->f[h].klen == klen &&
	    kpi_same_bytes(r->f[h].key, key, klen))
		return &r->f[h];
	return kpi_rec_find_hint(r, key, klen, hint);
}

/* A value as text: strings and numbers as written; else NULL. */
static const char *
val_text(const struct kpi_val *v, size_t *len)
{
	if ((v->type == KPI_STR || v->type == KPI_NUM || v->type == KPI_RAW) &&
	    v->s != NULL) {
		*len = v->len;
		return v->s;
	}
	*len = 0;
	return NULL;
}

/*
 * The column field fi reads in r: the first of its candidates present.
 * A hint remembers where the first candidate was, as rows of one file all
 * share a layout.
 */
static const struct kpi_field *
lookup(struct kpi_norm *n, size_t fi, const struct kpi_rec *r, size_t *at)
{
	const struct spec_field *f = &n->sp->f[fi];
	const struct kpi_field *found;
	size_t c;

	if (f->from.n == 0)
		return NULL;
	found = column_at(r, f->from.s[0], f->from.len[0], &n->hint[fi]);
	for (c = 1; found == NULL && c < f->from.n; c++)
		found = kpi_rec_find(r, f->from.s[c], f->from.len[c]);
	if (found != NULL)
		*at = (size_t)(found - r->f);
	return found;
}

static int
in_list(const struct strlist *l, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->len[i] == len && memcmp(l->s[i], s, len) == 0)
			return 1;
	return 0;
}

/* Whether a drop rule matches row r. */
static int
dropped(struct kpi_norm *n, const struct kpi_rec *r)
{
	const struct kpi_spec *sp = n->sp;
	const struct spec_drop *d;
	const struct kpi_field *c;
	const char *s;
	size_t i, k, len;

	for (d = sp->drop, i = 0; i < sp->ndrop; i++, d++) {
		if (d->field == NULL) {
			for (k = 0; k < r->n; k++)
				if (r->f[k].key[0] != '_' &&
				    (s = val_text(&r->f[k].v, &len)) != NULL &&
				    len >= d->vals.len[0] &&
				    memcmp(s, d->vals.s[0], d->vals.len[0]) == 0)
					return 1;
			continue;
		}
		c = column_at(r, d->field, strlen(d->field), &n->drop_hint[i]);
		s = c ? val_text(&c->v, &len) : NULL;
		if ((d->kind == SPEC_D_MISSING && c == NULL) ||
		    (d->kind == SPEC_D_EMPTY && c && (s == NULL ||
		    kpi_null_marker(s, len)) && c->v.type != KPI_TRUE &&
		    c->v.type != KPI_FALSE) ||
		    (d->kind == SPEC_D_IN && s && in_list(&d->vals, s, len)) ||
		    (d->kind == SPEC_D_PREFIX && s && len >= d->vals.len[0] &&
		    memcmp(s, d->vals.s[0], d->vals.len[0]) == 0))
			return 1;
	}
	return 0;
}

static void
set_null(struct kpi_val *v)
{
	memset(v, 0, sizeof(*v));
	v->type = KPI_NULL;
}

static void
set_num(struct kpi_val *v, double num)
{
	memset(v, 0, sizeof(*v));
	v->type = KPI_NUM;
	v->num = num == 0 ? 0 : num;	/* never -0 */
}

/* A string field: one leading apostrophe off (Excel's guard), lowercase. */
static void
to_string(struct kpi_norm *n, const struct spec_field *f, const char *s,
    size_t len, int clean, struct kpi_val *v)
{
	char *p;
	size_t i;

	if (f->apostrophe && len > 1 && s[0] == '\'') {
		s++;
		len--;
	}
	memset(v, 0, sizeof(*v));
	v->type = KPI_STR;
	v->s = s;
	v->len = len;
	v->clean = (unsigned char)clean;
	if (f->lower || f->upper) {
		p = kpi_arena_strndup(&n->rowarena, s, len);
		for (i = 0; i < len; i++)
			p[i] = (char)(f->lower ? tolower((unsigned char)p[i]) :
			    toupper((unsigned char)p[i]));
		v->s = p;
	}
}

/* "monthly": an amount per N intervals as an amount per month. */
static int
to_monthly(const struct kpi_rec *r, const struct spec_field *f, double *num)
{
	static const struct {
		const char *name;
		double months;		/* months in one interval */
	} tab[] = {
		{ "day", 12 / 365.2425 }, { "daily", 12 / 365.2425 },
		{ "week", 7 * 12 / 365.2425 }, { "weekly", 7 * 12 / 365.2425 },
		{ "month", 1 }, { "monthly", 1 }, { "year", 12 },
		{ "yearly", 12 }, { "annual", 12 }, { "annually", 12 },
	};
	const struct kpi_field *iv, *cv;
	const char *s, *cs;
	size_t len, clen, i;
	double count = 1, qty = 1;

	iv = column(r, f->interval_col, strlen(f->interval_col));
	if (iv == NULL || (s = val_text(&iv->v, &len)) == NULL)
		return -1;
	if (f->count_col != NULL &&
	    (cv = column(r, f->count_col, strlen(f->count_col))) != NULL &&
	    (cs = val_text(&cv->v, &clen)) != NULL && clen > 0 &&
	    (kpi_num_parse(cs, clen, KPI_INTEGER, '.', &count) != 1 ||
	    count <= 0))
		return -1;
	if (f->qty_col != NULL &&
	    (cv = column(r, f->qty_col, strlen(f->qty_col))) != NULL &&
	    (cs = val_text(&cv->v, &clen)) != NULL && clen > 0) {
		if (kpi_num_parse(cs, clen, KPI_INTEGER, '.', &qty) != 1 ||
		    qty < 0)
			return -1;
	}
	if (len > 1 && s[len - 1] == 's')	/* "months" */
		len--;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == len &&
		    strncasecmp(tab[i].name, s, len) == 0) {
			*num = *num * qty / (tab[i].months * count);
			return 0;
		}
	return -1;
}

/*
 * A number, money or percent field: 1, 0 for null, -1 when the value is
 * not one (JSON true and false are not: a 1 or 0 guessed from them would
 * be counted as if written), -2 when it is one too big for a double, or
 * becomes one by its scale or "monthly" (1e400): written as null it would
 * pass for a missing value.
 */
static int
to_number(const struct kpi_rec *r, const struct spec_field *f, const char *s,
    size_t len, const struct kpi_val *src, struct kpi_val *v)
{
	static const enum kpi_numkind kinds[] = {
		[SPEC_T_INTEGER] = KPI_INTEGER, [SPEC_T_NUMBER] = KPI_NUMBER,
		[SPEC_T_MONEY] = KPI_MONEY, [SPEC_T_PERCENT] = KPI_PERCENT
	};
	double num, chk;
	int rc;

	if (src->type == KPI_TRUE || src->type == KPI_FALSE)
		return -1;
	if (src->type == KPI_NUM) {
		num = src->num;
		rc = !isfinite(num) ? KPI_NUM_RANGE :
		    f->type == SPEC_T_INTEGER && (fabs(num) >= KPI_EXACT_INT ||
		    num != floor(num)) ? -1 : 1;
		/* JSON's digits too: the double may have lost some. */
		if (rc == 1 && src->s != NULL && kpi_num_parse(src->s,
		    src->len, KPI_NUMBER, '.', &chk) < -1)
			rc = kpi_num_parse(src->s, src->len, KPI_NUMBER, '.',
			    &chk);
		else if (rc != KPI_NUM_RANGE && f->type == SPEC_T_INTEGER &&
		    fabs(num) >= KPI_EXACT_INT)
			rc = KPI_NUM_HUGE;
	} else
		rc = kpi_num_parse(s, len, kinds[f->type], f->decimal, &num);
	if (rc <= 0) {
		if (rc == 0)
			set_null(v);
		return rc;
	}
	num *= f->scale;
	if (f->interval_col && to_monthly(r, f, &num) < 0)
		return -1;
	if (!isfinite(num))
		return KPI_NUM_RANGE;
	set_num(v, num);
	return 1;
}

/* A time or date field, written out in the row arena. */
static int
to_time(struct kpi_norm *n, const struct spec_field *f, const char *s,
    size_t len, int is_time_field, struct kpi_val *v)
{
	struct kpi_time t;
	size_t i, tlen = 0;
	int rc = -1, range = 0;
	char *text = kpi_arena_alloc(&n->rowarena, KPI_TIME_TEXT);

	for (i = 0; i < f->nfmts && rc < 0; i++) {
		rc = kpi_time_text(f->fmts[i], s, len, n->tz,
		    f->type == SPEC_T_DATE, &t, text, &tlen);
		range |= rc == -2;
	}
	if (rc <= 0) {
		if (rc == 0)
			set_null(v);
		else if (range)
			n->why = f->type == SPEC_T_DATE ?
			    "date in the years 1 to 9999" :
			    "time in the years 1 to 9999";
		return rc < 0 ? -1 : rc;
	}
	memset(v, 0, sizeof(*v));
	v->type = KPI_STR;
	v->s = text;
	v->len = tlen;
	v->clean = 1;		/* digits, '-', ':', 'T', 'Z', '+', '.' */
	if (is_time_field) {
		/* The row's local date, which picks its currency rate. */
		n->row_day = (t.t + t.off) / 86400 - ((t.t + t.off) % 86400 < 0);
		n->row_has_day = 1;
	}
	return 1;
}

static int
to_boolean(const struct spec_field *f, const char *s, size_t len,
    const struct kpi_val *src, struct kpi_val *v)
{
	int b, rc;

	if (src->type == KPI_TRUE || src->type == KPI_FALSE) {
		*v = *src;
		return 1;
	}
	if (in_list(&f->trues, s, len) || in_list(&f->falses, s, len)) {
		b = in_list(&f->trues, s, len);
		rc = 1;
	} else if ((rc = kpi_bool_parse(s, len, &b)) <= 0) {
		if (rc == 0)
			set_null(v);
		return rc;
	}
	memset(v, 0, sizeof(*v));
	v->type = b ? KPI_TRUE : KPI_FALSE;
	return 1;
}

/*
 * "currency_from_header": the three capitals standing for XXX in the first
 * column name that fits, as Meta's "Amount spent (GBP)"; else null.
 */
static int
header_code(const struct spec_field *f, const struct kpi_rec *r,
    struct kpi_val *v)
{
	size_t i, pl = strlen(f->hpre), sl = strlen(f->hsuf);
	const char *k;

	set_null(v);
	for (i = 0; i < r->n; i++) {
		k = r->f[i].key;
		if (r->f[i].klen != pl + 3 + sl || memcmp(k, f->hpre, pl) != 0 ||
		    memcmp(k + pl + 3, f->hsuf, sl) != 0 ||
		    strspn(k + pl, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") < 3)
			continue;
		v->type = KPI_STR;
		v->s = k + pl;
		v->len = 3;
		v->clean = 1;
		break;
	}
	return 1;
}

/* The text of the first of cols that r has with a value, or NULL. */
static const char *
first_text(const struct kpi_rec *r, const struct strlist *cols, size_t *len)
{
	const struct kpi_field *c;
	const char *s;
	size_t i;

	for (i = 0; i < cols->n; i++)
		if ((c = column(r, cols->s[i], cols->len[i])) != NULL &&
		    (s = val_text(&c->v, len)) != NULL && *len > 0 &&
		    !kpi_null_marker(s, *len))
			return s;
	*len = 0;
	return NULL;
}

static void
set_word(struct kpi_val *v, const char *name)
{
	memset(v, 0, sizeof(*v));
	v->type = KPI_STR;
	v->s = name;
	v->len = strlen(name);
	v->clean = 1;		/* GA4's names: ASCII letters, '-', ' ' */
}

/*
 * A channel written as WooCommerce's order attribution writes it ("Organic:
 * Google", "Referral: example.com", "Source: newsletter"): by the rules,
 * with the medium the word before the colon says; NULL if not one.
 */
static const char *
attribution(const char *s, size_t len)
{
	static const struct {
		const char *prefix, *medium;
	} kinds[] = {
		{ "Organic: ", "organic" }, { "Referral: ", "referral" },
		{ "Source: ", "" }
	};
	size_t i, pl;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		pl = strlen(kinds[i].prefix);
		if (len > pl && strncasecmp(s, kinds[i].prefix, pl) == 0)
			return kpi_channel_rules(s + pl, len - pl,
			    kinds[i].medium, strlen(kinds[i].medium), "", 0);
	}
	return NULL;
}

/*
 * A channel field (kpi-normalize(1) CHANNELS): a channel group the row
 * names; else GA4's rules over the utm_* keys of its notes, or over its
 * source, medium and campaign columns; else the default, or null.
 */
static int
to_channel(struct kpi_norm *n, const struct spec_field *f,
    const struct kpi_rec *r, const struct kpi_field *src, struct kpi_val *v)
{
	const char *s = NULL, *u[3] = { "", "", "" }, *name;
	size_t len = 0, ul[3] = { 0, 0, 0 }, i, k;
	static const char *const keys[] = {
		"utm_source", "utm_medium", "utm_campaign"
	};

	if (src != NULL && (s = val_text(&src->v, &len)) != NULL && len > 0 &&
	    !kpi_null_marker(s, len)) {
		if ((name = kpi_channel_name(s, len)) != NULL ||
		    (name = attribution(s, len)) != NULL ||
		    (name = f->dflt) != NULL)
			set_word(v, name);
		else
			to_string(n, f, s, len, src->v.clean, v);
		return 1;
	}
	for (i = 0; i < f->ch_utm.n; i++) {
		if ((s = first_text(r, &(struct strlist){ &f->ch_utm.s[i],
		    &f->ch_utm.len[i], 1 }, &len)) == NULL)
			continue;
		for (k = 0; k < 3; k++)
			if (kpi_channel_utm(s, len, keys[k], &u[k], &ul[k]) < 0)
				u[k] = "", ul[k] = 0;
		if (ul[0] + ul[1] + ul[2] > 0) {
			set_word(v, kpi_channel_rules(u[0], ul[0], u[1],
			    ul[1], u[2], ul[2]));
			return 1;
		}
	}
	if ((u[0] = first_text(r, &f->ch_source, &ul[0])) == NULL)
		u[0] = "";
	if ((u[1] = first_text(r, &f->ch_medium, &ul[1])) == NULL)
		u[1] = "";
	if ((u[2] = first_text(r, &f->ch_campaign, &ul[2])) == NULL)
		u[2] = "";
	if (ul[0] + ul[1] + ul[2] > 0)
		set_word(v, kpi_channel_rules(u[0], ul[0], u[1], ul[1],
		    u[2], ul[2]));
	else if (f->dflt != NULL)
		set_word(v, f->dflt);
	else
		set_null(v);
	return 1;
}

/*
 * The digits after the decimal mark of the number written in s (0 to 9):
 * what a difference of amounts keeps.
 */
static int
decimals(const char *s, size_t len, int mark)
{
	const char *p = memchr(s, mark, len);
	int d = 0;

	if (p == NULL)
		return 0;
	for (p++; p < s + len && *p >= '0' && *p <= '9' && d < 9; p++)
		d++;
	return d;
}

/*
 * "minus": the number v less the values of the field's minus columns, of
 * its type (an empty one is 0).  1, or what kpi_num_parse says of a value
 * that is not a number, with the rejection naming that column.
 */
static int
minus(struct kpi_norm *n, size_t fi, const struct kpi_rec *r,
    struct kpi_val *v)
{
	static const enum kpi_numkind kinds[] = {
		[SPEC_T_INTEGER] = KPI_INTEGER, [SPEC_T_NUMBER] = KPI_NUMBER,
		[SPEC_T_MONEY] = KPI_MONEY
	};
	const struct spec_field *f = &n->sp->f[fi];
	const struct kpi_field *c;
	const char *s;
	size_t i, len;
	double x;
	int rc, places;

	places = n->stext[fi] ? decimals(n->stext[fi], n->slen[fi],
	    f->decimal) : 0;
	for (i = 0; i < f->minus.n; i++) {
		c = column(r, f->minus.s[i], f->minus.len[i]);
		if (c == NULL || (s = val_text(&c->v, &len)) == NULL ||
		    kpi_null_marker(s, len))
			continue;
		if (decimals(s, len, f->decimal) > places)
			places = decimals(s, len, f->decimal);
		if ((rc = kpi_num_parse(s, len, kinds[f->type], f->decimal,
		    &x)) < 0) {
			n->cols[fi] = c->key;
			n->stext[fi] = s;
			n->slen[fi] = len;
			return rc;
		}
		if (rc == 1)
			v->num -= x * f->scale;
	}
	if (!isfinite(v->num))
		return KPI_NUM_RANGE;
	/* 77.94 - 20 - 2.56 is 55.38, not the double's 55.379999999999995. */
	if (places > 0 && f->scale == 1 && fabs(v->num) < 1e15)
		v->num = round(v->num * pow(10, places)) / pow(10, places);
	if (v->num == 0)
		v->num = 0;	/* never -0 */
	return 1;
}

/*
 * Field fi of row r into n->vals[fi]; -1 when the value does not parse,
 * -2 when it is a number out of range.
 */
static int
parse_field(struct kpi_norm *n, size_t fi, const struct kpi_rec *r,
    const struct kpi_field *src)
{
	const struct spec_field *f = &n->sp->f[fi];
	struct kpi_val *v = &n->vals[fi];
	const char *s;
	size_t len;
	int rc;

	if (f->type == SPEC_T_CONST) {
		*v = f->cval;
		return 1;
	}
	if (f->type == SPEC_T_HEADER)
		return header_code(f, r, v);
	if (f->type == SPEC_T_CHANNEL)
		return to_channel(n, f, r, src, v);
	if (src == NULL || src->v.type == KPI_NULL) {
		set_null(v);
		return 1;
	}
	s = val_text(&src->v, &len);
	if (s != NULL && (kpi_null_marker(s, len) || in_list(&f->nulls, s, len))) {
		set_null(v);
		return 1;
	}
	switch (f->type) {
	case SPEC_T_STRING:
		if (s == NULL) {	/* a JSON true/false: its text */
			s = src->v.type == KPI_TRUE ? "true" : "false";
			len = strlen(s);
		}
		to_string(n, f, s, len, src->v.clean, v);
		return 1;
	case SPEC_T_BOOLEAN:
		return to_boolean(f, s ? s : "", len, &src->v, v);
	case SPEC_T_TIME:
	case SPEC_T_DATE:
		return s ? to_time(n, f, s, len, (long)fi == n->sp->time_field,
		    v) : -1;
	default:
		rc = to_number(r, f, s ? s : "", len, &src->v, v);
		if (rc == 1 && f->minus.n)
			rc = minus(n, fi, r, v);
		if (rc == KPI_NUM_HUGE || rc == KPI_NUM_TINY) {
			snprintf(n->whybuf, sizeof(n->whybuf), rc == KPI_NUM_HUGE ?
			    "%s below 2^53 in magnitude" : "%s of magnitude 0 or "
			    "at least 2.2e-308", type_names[f->type]);
			n->why = n->whybuf;
			return -1;
		}
		return rc;	/* KPI_NUM_RANGE goes up as it is */
	}
}

/*
 * "carry": a null value takes the last row's when the carry column (an
 * order's Name) is the same, as Shopify leaves Currency empty on every line
 * item row but the first.
 */
static void
carry(struct kpi_norm *n, const struct kpi_rec *r)
{
	const struct spec_field *f;
	const struct kpi_field *k;
	const char *s;
	size_t fi, len;

	for (fi = 0; fi < n->sp->nf; fi++) {
		f = &n->sp->f[fi];
		if (f->carry == NULL)
			continue;
		k = column(r, f->carry, strlen(f->carry));
		s = k ? val_text(&k->v, &len) : NULL;
		if (s == NULL || len == 0)
			continue;
		if (n->vals[fi].type == KPI_NULL &&
		    same_key(&n->carry_key[fi], s, len)) {
			n->vals[fi] = n->carry_v[fi];
			continue;
		}
		kpi_buf_reset(&n->carry_key[fi]);
		kpi_buf_add(&n->carry_key[fi], s, len);
		n->carry_v[fi] = n->vals[fi];
		if (n->vals[fi].s != NULL) {
			kpi_buf_reset(&n->carry_val[fi]);
			kpi_buf_add(&n->carry_val[fi], n->vals[fi].s,
			    n->vals[fi].len);
			n->carry_v[fi].s = n->carry_val[fi].p;
		}
	}
}

/* Fills rej for field fi of the row, of the given kind. */
static void
reject(const struct kpi_norm *n, size_t fi, enum kpi_reject_kind kind,
    struct kpi_reject *rej)
{
	memset(rej, 0, sizeof(*rej));
	rej->kind = kind;
	rej->field = n->sp->f[fi].name;
	rej->column = n->cols[fi];
	rej->value = n->stext[fi] ? n->stext[fi] : "";
	rej->vlen = n->stext[fi] ? n->slen[fi] : 0;
}

/*
 * The lookup fields of the row, once its other values have read: each
 * key (the field's source text) finds its value in the field's reference.
 * A miss, by a null key, a key the reference lacks or a null value there,
 * makes the field null and counts the row once, or rejects the row when
 * the lookup is required.  A lookup whose reference was given no file is
 * null and counts nothing.  Returns -1 with rej filled for a rejection.
 */
static int
lookups(struct kpi_norm *n, struct kpi_reject *rej)
{
	const struct spec_field *f;
	const struct lookup_table *t;
	const struct kpi_val *v;
	int missed = 0;
	size_t fi;
	long e;

	for (fi = 0; n->ntables > 0 && fi < n->sp->nf; fi++) {
		f = &n->sp->f[fi];
		if (f->ref < 0 || (t = n->tables[f->ref]) == NULL)
			continue;
		e = n->stext[fi] == NULL || kpi_null_marker(n->stext[fi],
		    n->slen[fi]) ? -1 : lookup_find(t, n->stext[fi],
		    n->slen[fi]);
		v = e >= 0 ? &t->val[(size_t)e * t->ref->values.n +
		    f->refcol] : NULL;
		if (v != NULL && v->type != KPI_NULL) {
			n->vals[fi] = *v;
			continue;
		}
		missed = 1;
		if (f->ref_required) {
			n->missed++;
			reject(n, fi, KPI_REJ_LOOKUP, rej);
			rej->ref = t->path;
			rej->refcol = t->ref->values.s[f->refcol];
			return -1;
		}
	}
	n->missed += (unsigned long)missed;
	return 0;
}

/* A time or date field's value as seconds since 1970; -1 when null. */
static int
instant(const struct spec_field *f, const struct kpi_val *v, double *secs)
{
	struct kpi_time t;
	long long day;

	if (v->type != KPI_STR)
		return -1;
	if (f->type == SPEC_T_DATE) {
		if (kpi_date_parse(v->s, v->len, &day) < 0)
			return -1;
		*secs = (double)day * 86400;
		return 0;
	}
	if (kpi_time_rfc3339(v->s, v->len, &t) < 0)
		return -1;
	*secs = (double)t.t + (double)t.nsec / 1e9;
	return 0;
}

/*
 * The values made of others, in spec order: "between", the time from one
 * field to another in the field's unit, and "times", a number multiplied
 * by another field's.  Either is null when a value it needs is.  Returns
 * -1 with rej filled when a product is beyond a double.
 */
static int
derive(struct kpi_norm *n, struct kpi_reject *rej)
{
	const struct spec_field *f;
	double a, b;
	size_t fi;

	for (fi = 0; fi < n->sp->nf; fi++) {
		f = &n->sp->f[fi];
		if (f->type == SPEC_T_DURATION) {
			if (instant(&n->sp->f[f->since], &n->vals[f->since],
			    &a) < 0 || instant(&n->sp->f[f->until],
			    &n->vals[f->until], &b) < 0)
				set_null(&n->vals[fi]);
			else
				set_num(&n->vals[fi], (b - a) / f->unit);
		}
		if (f->times < 0 || n->vals[fi].type != KPI_NUM)
			continue;
		if (n->vals[f->times].type != KPI_NUM) {
			set_null(&n->vals[fi]);
			continue;
		}
		set_num(&n->vals[fi], n->vals[fi].num * n->vals[f->times].num);
		if (!isfinite(n->vals[fi].num)) {
			reject(n, fi, KPI_REJ_RANGE, rej);
			rej->type = type_names[f->type];
			return -1;
		}
	}
	return 0;
}

/*
 * Parses every field of r.  Returns the fate: KPI_NORM_TAKEN when all
 * parse, else a rejection or error with rej/err filled.
 */
static enum kpi_norm_fate
parse_row(struct kpi_norm *n, const struct kpi_rec *r, struct kpi_reject *rej,
    struct kpi_err *err)
{
	const struct kpi_field *src;
	size_t fi, at;
	int rc;

	n->row_has_day = 0;
	for (fi = 0; fi < n->sp->nf; fi++) {
		src = NULL;
		n->cols[fi] = "";
		if (n->sp->f[fi].type != SPEC_T_CONST &&
		    (src = lookup(n, fi, r, &at)) != NULL) {
			n->used[at] = 1;
			n->cols[fi] = src->key;
		} else if (n->sp->f[fi].required) {
			kpi_err_set(err, NULL, 0, 0, "no column '%s' for field "
			    "'%s'", n->sp->f[fi].from.s[0], n->sp->f[fi].name);
			hint(n->sp, r, err);
			n->src_in = 0;
			return KPI_NORM_ERROR;
		}
		n->stext[fi] = src ? val_text(&src->v, &n->slen[fi]) : NULL;
		n->why = NULL;
		if (src && (src->v.type == KPI_TRUE || src->v.type == KPI_FALSE)) {
			n->stext[fi] = src->v.type == KPI_TRUE ? "true" : "false";
			n->slen[fi] = strlen(n->stext[fi]);
		}
		if (n->sp->f[fi].ref >= 0) {	/* a key: see lookups() */
			set_null(&n->vals[fi]);
			continue;
		}
		if ((rc = parse_field(n, fi, r, src)) < 0) {
			reject(n, fi, rc == KPI_NUM_RANGE ? KPI_REJ_RANGE :
			    KPI_REJ_TYPE, rej);
			/* The type, or what the value lacked as one. */
			rej->type = n->why ? n->why :
			    type_names[n->sp->f[fi].type];
			return KPI_NORM_REJECTED;
		}
	}
	if (lookups(n, rej) < 0)
		return KPI_NORM_REJECTED;
	if (n->carries)
		carry(n, r);
	if (n->derives && derive(n, rej) < 0)
		return KPI_NORM_REJECTED;
	return KPI_NORM_TAKEN;
}

/* The latest rate for cur on or before day; 0, or -1 when there is none. */
static int
rate_find(const struct kpi_rates *rs, const char *cur, size_t len,
    long long day, double *rate)
{
	size_t lo = 0, hi = rs->n, mid;
	int c;

	/* The first entry not before (cur, day + 1), then one back. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strncasecmp(rs->r[mid].cur, cur, len);
		if (c == 0 && rs->r[mid].cur[len] != '\0')
			c = 1;
		if (c < 0 || (c == 0 && rs->r[mid].day <= day))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strncasecmp(rs->r[lo - 1].cur, cur, len) != 0 ||
	    rs->r[lo - 1].cur[len] != '\0')
		return -1;
	*rate = rs->r[lo - 1].rate;
	return 0;
}

/*
 * Converts the row's money fields to --currency.  A continuation row of a
 * folded entity takes the entity's currency and date where it has none.
 */
static enum kpi_norm_fate
convert(struct kpi_norm *n, int cont, struct kpi_reject *rej)
{
	const struct spec_field *f;
	struct kpi_val *cv;
	long long day;
	double rate;
	size_t fi;

	for (fi = 0; fi < n->sp->nf; fi++) {
		f = &n->sp->f[fi];
		if (f->currency_field < 0 || n->vals[fi].type != KPI_NUM)
			continue;
		cv = &n->vals[f->currency_field];
		if (cv->type != KPI_STR && cont)
			cv = &n->cur.f[f->currency_field].v;
		if (cv->type != KPI_STR || (strlen(n->currency) == cv->len &&
		    strncasecmp(cv->s, n->currency, cv->len) == 0))
			continue;
		day = n->row_has_day ? n->row_day : n->cur_day;
		if ((!n->row_has_day && !(cont && n->cur_has_day)) ||
		    rate_find(n->rates, cv->s, cv->len, day, &rate) < 0) {
			if (!n->row_has_day && !(cont && n->cur_has_day))
				reject(n, fi, KPI_REJ_NO_TIME, rej);
			else {
				reject(n, fi, KPI_REJ_NO_RATE, rej);
				rej->currency = cv->s;
				rej->clen = cv->len;
				rej->day = day;
			}
			return KPI_NORM_REJECTED;
		}
		/* Money in --currency is in its minor unit, as the
		   platforms convert it: a charge of 39.15 EUR at 1.1655
		   is 45.63, not 45.629325. */
		n->vals[fi].num = kpi_dec_mul_round(n->vals[fi].num, rate,
		    n->places);
	}
	/* Converted amounts are in --currency now. */
	for (fi = 0; fi < n->sp->nf; fi++) {
		f = &n->sp->f[fi];
		if (f->currency_field >= 0 &&
		    n->vals[f->currency_field].type == KPI_STR) {
			n->vals[f->currency_field].s = n->currency;
			n->vals[f->currency_field].len = strlen(n->currency);
		}
	}
	return KPI_NORM_TAKEN;
}

/*
 * --source-currency: a money field's currency field that is null (the
 * export names no currency, as WooCommerce's and GA4's) is the code given.
 * Not on an entity's later rows: those take its first row's currency.
 */
static void
source_currency(struct kpi_norm *n)
{
	const struct spec_field *f;
	size_t fi;

	for (fi = 0; fi < n->sp->nf; fi++) {
		f = &n->sp->f[fi];
		if (f->currency_field >= 0 &&
		    n->vals[f->currency_field].type == KPI_NULL)
			set_word(&n->vals[f->currency_field], n->srccur);
	}
}

/* v into field slot dst of rec; copied into rec's arena when copy is set. */
static void
put_val(struct kpi_rec *rec, struct kpi_val *dst, const struct kpi_val *v,
    int copy)
{
	*dst = *v;
	if (copy && v->s != NULL)
		dst->s = kpi_arena_strndup(&rec->arena, v->s, v->len);
}

/*
 * The strings of rec's values copied into its arena, in one block: a
 * folded entity outlives the row it was made of.
 */
static void
copy_values(struct kpi_rec *rec)
{
	struct kpi_val *v;
	size_t i, total = 0;
	char *p;

	for (i = 0; i < rec->n; i++)
		if (rec->f[i].v.s != NULL)
			total += rec->f[i].v.len + 1;
	if (total == 0)
		return;
	p = kpi_arena_alloc(&rec->arena, total);
	for (i = 0; i < rec->n; i++) {
		v = &rec->f[i].v;
		if (v->s == NULL)
			continue;
		memcpy(p, v->s, v->len);
		p[v->len] = '\0';
		v->s = p;
		p += v->len + 1;
	}
}

/*
 * The shape of the output row materialize makes of a row with provenance
 * src and line, when only the values change from row to row (no --keep,
 * no --set): 1, 2 with "_src", 4 with "_line".  0: it depends on more.
 */
static int
shape(const struct kpi_norm *n, const struct kpi_field *src,
    const struct kpi_field *line)
{
	if (n->keep || n->sets.n > 0)
		return 0;
	return 1 | (src != NULL) << 1 | (line != NULL) << 2;
}

/*
 * The row's values into the record made for the last row, which has the
 * same keys in the same places (shape): no record built anew.
 */
static void
refill(struct kpi_norm *n, const struct kpi_field *src,
    const struct kpi_field *line, struct kpi_rec *out)
{
	size_t i, at = n->sp->nf + 1;	/* after "_dataset" */

	for (i = 0; i < n->sp->nf; i++)
		out->f[i].v = n->vals[i];
	if (src != NULL)
		out->f[at++].v = src->v;
	if (line != NULL)
		out->f[at].v = line->v;
}

/*
 * The row's values as a new output record (an entity's first row), its
 * strings copied when copy is set; else borrowed from the row.
 */
static void
materialize(struct kpi_norm *n, const struct kpi_rec *r, struct kpi_rec *out,
    int copy)
{
	const struct kpi_field *src, *line;
	struct kpi_field *f;
	size_t i;
	int sh;

	src = column_at(r, "_src", 4, &n->src_hint);
	line = column_at(r, "_line", 5, &n->line_hint);
	sh = copy ? 0 : shape(n, src, line);
	if (sh != 0 && sh == n->ready_shape) {
		refill(n, src, line, out);
		return;
	}
	n->ready_shape = 0;
	kpi_rec_clear(out);
	for (i = 0; i < n->sp->nf; i++) {
		f = kpi_rec_add(out, n->sp->f[i].name, n->sp->f[i].nlen,
		    &n->vals[i]);
		f->kclean = n->sp->f[i].nclean;
	}
	norm_sets_put(&n->sets, src ? &src->v : NULL, out);
	for (i = 0; n->keep && i < r->n; i++)
		if (!n->used[i] && r->f[i].key[0] != '_' &&
		    !norm_sets_has(&n->sets, r->f[i].key, r->f[i].klen)) {
			f = kpi_rec_add(out, copy ? kpi_arena_strndup(
			    &out->arena, r->f[i].key, r->f[i].klen) :
			    r->f[i].key, r->f[i].klen, &r->f[i].v);
			f->kclean = r->f[i].kclean;
		}
	kpi_rec_add_str(out, "_dataset", 8, n->sp->dataset,
	    strlen(n->sp->dataset));
	out->f[out->n - 1].kclean = 1;
	if (src != NULL) {
		f = kpi_rec_add(out, "_src", 4, &src->v);
		f->kclean = 1;
	}
	if (line != NULL) {
		f = kpi_rec_add(out, "_line", 5, &line->v);
		f->kclean = 1;
	}
	if (copy)
		copy_values(out);
	n->ready_shape = sh;
}

/* Folds the row's values into the entity, by each field's fold. */
static void
fold_into(struct kpi_norm *n)
{
	struct kpi_val *have, *v;
	size_t i;

	for (i = 0; i < n->sp->nf; i++) {
		have = &n->cur.f[i].v;
		v = &n->vals[i];
		if (n->sp->f[i].fold == SPEC_F_COUNT) {
			have->num += v->type != KPI_NULL;
			continue;
		}
		if (v->type == KPI_NULL)
			continue;
		switch (n->sp->f[i].fold) {
		case SPEC_F_FIRST:
			if (have->type == KPI_NULL)
				put_val(&n->cur, have, v, 1);
			break;
		case SPEC_F_LAST:
			put_val(&n->cur, have, v, 1);
			break;
		case SPEC_F_SUM:
			if (have->type == KPI_NUM)
				have->num += v->num;
			else
				put_val(&n->cur, have, v, 1);
			break;
		case SPEC_F_MAX:
		case SPEC_F_MIN:
			if (have->type != KPI_NUM || v->type != KPI_NUM ||
			    (n->sp->f[i].fold == SPEC_F_MAX ?
			    v->num > have->num : v->num < have->num))
				put_val(&n->cur, have, v, 1);
			break;
		case SPEC_F_COUNT:
			break;
		}
	}
}

/* An entity's first row: counts start from its values. */
static void
start_counts(struct kpi_norm *n)
{
	size_t i;

	for (i = 0; i < n->sp->nf; i++)
		if (n->sp->f[i].fold == SPEC_F_COUNT)
			set_num(&n->cur.f[i].v, n->vals[i].type != KPI_NULL);
}

/* Whether condition k holds of the output row rec. */
static int
cond_holds(const struct spec_cond *k, const struct kpi_rec *rec)
{
	const struct kpi_val *v = &rec->f[k->field].v;
	const char *s;
	size_t len;

	switch (k->kind) {
	case SPEC_C_NULL:
		return v->type == KPI_NULL;
	case SPEC_C_SET:
		return v->type != KPI_NULL;
	case SPEC_C_BELOW:
		return v->type == KPI_NUM && v->num < k->num;
	case SPEC_C_IN:
		break;
	}
	if (v->type == KPI_TRUE || v->type == KPI_FALSE) {
		s = v->type == KPI_TRUE ? "true" : "false";
		len = strlen(s);
	} else if ((s = val_text(v, &len)) == NULL)
		return 0;
	return in_list(&k->vals, s, len);
}

/*
 * "void": when a condition holds of the output row, its void fields are
 * null.  Judged on the whole row, so a folded entity is judged by what
 * its first row said (the order's status) and loses every row's amounts.
 */
static void
void_row(const struct kpi_spec *sp, struct kpi_rec *rec)
{
	const struct spec_void *vd;
	int hit[KPI_SPEC_MAXVOID];
	size_t i, k;

	if (sp->nvoids == 0)
		return;
	memset(hit, 0, sizeof(hit));
	/* All rules judge the row as it came, before any voids a field. */
	for (vd = sp->voids, i = 0; i < sp->nvoids; i++, vd++)
		for (k = 0; k < vd->nvif && !hit[i]; k++)
			hit[i] = cond_holds(&vd->vif[k], rec);
	for (vd = sp->voids, i = 0; i < sp->nvoids; i++, vd++)
		for (k = 0; hit[i] && k < vd->nvfields; k++)
			set_null(&rec->f[vd->vfields[k]].v);
}

static void
swap_out(struct kpi_norm *n)
{
	struct kpi_rec t = n->ready;

	n->ready = n->cur;
	n->cur = t;
	kpi_rec_clear(&n->cur);
	n->have_cur = 0;
	void_row(n->sp, &n->ready);
}

/* The fold key of r, or NULL (then the row is an entity of its own). */
static const char *
fold_key(struct kpi_norm *n, const struct kpi_rec *r, size_t *len)
{
	const struct kpi_field *k;

	if (n->sp->fold_key == NULL || (k = column_at(r, n->sp->fold_key,
	    strlen(n->sp->fold_key), &n->fold_hint)) == NULL)
		return NULL;
	return val_text(&k->v, len);
}

static int
same_key(const struct kpi_buf *b, const char *key, size_t len)
{
	return key != NULL && len > 0 && b->len == len &&
	    memcmp(b->p, key, len) == 0;
}

/* A column the spec requires that r lacks: 1 with err set, else 0. */
static int
missing_column(struct kpi_norm *n, const struct kpi_rec *r,
    struct kpi_err *err)
{
	const struct kpi_spec *sp = n->sp;
	size_t i;

	for (i = 0; i < sp->require.n; i++)
		if (column_at(r, sp->require.s[i], sp->require.len[i],
		    &n->req_hint[i]) == NULL) {
			kpi_err_set(err, NULL, 0, 0, "no column '%s', which the "
			    "spec requires", sp->require.s[i]);
			return 1;
		}
	return 0;
}

/*
 * How well spec sp fits a source whose rows have head's keys: the share of
 * its fields that find a column, or, when need is set, -1 when a column it
 * requires (by "require" or by a drop rule for rows that lack it) is
 * missing.
 */
static double
fit(const struct kpi_spec *sp, const struct kpi_rec *head, int need)
{
	size_t i, c, total = 0, found = 0;

	for (i = 0; need && i < sp->require.n; i++)
		if (!column(head, sp->require.s[i], sp->require.len[i]))
			return -1;
	for (i = 0; need && i < sp->ndrop; i++)
		if (sp->drop[i].kind == SPEC_D_MISSING && !column(head,
		    sp->drop[i].field, strlen(sp->drop[i].field)))
			return -1;
	for (i = 0; i < sp->nf; i++) {
		if (sp->f[i].from.n == 0)
			continue;
		total++;
		for (c = 0; c < sp->f[i].from.n; c++)
			if (column(head, sp->f[i].from.s[c],
			    sp->f[i].from.len[c])) {
				found++;
				break;
			}
	}
	return total ? (double)found / (double)total : 0;
}

/*
 * Appends to err's message the presets that fit a source with head's keys
 * better than sp does, half their fields found or more, best first (at
 * most two): "; try --preset shopify-orders".
 */
static void
hint(const struct kpi_spec *sp, const struct kpi_rec *head,
    struct kpi_err *err)
{
	const struct kpi_preset *p, *best[2] = { NULL, NULL };
	double mine = fit(sp, head, 1), f, bf[2] = { 0, 0 };
	struct kpi_spec *ps;
	struct kpi_err e;
	size_t len;

	for (p = kpi_presets; p->name; p++) {
		if ((ps = kpi_spec_load(p->json, strlen(p->json), p->name,
		    &e)) == NULL)
			continue;
		f = fit(ps, head, 1);
		kpi_spec_free(ps);
		if (f < 0.5 || f <= mine || f <= bf[1])
			continue;
		if (f > bf[0]) {
			best[1] = best[0], bf[1] = bf[0];
			best[0] = p, bf[0] = f;
		} else
			best[1] = p, bf[1] = f;
	}
	len = strlen(err->msg);
	if (best[0] != NULL)
		snprintf(err->msg + len, sizeof(err->msg) - len,
		    "; try --preset %s%s%s", best[0]->name,
		    best[1] ? " or --preset " : "", best[1] ? best[1]->name : "");
}

/*
 * The first row of a source: when it has none of the columns the spec
 * reads, the spec is not for this input (--preset google-ads on a Shopify
 * export would write rows of nulls).  1 with err set, else 0.
 */
/* Whether a field before i reads first the column field i reads first
   (time and end_date both from "Day"): the message names it once. */
static int
first_named_before(const struct kpi_spec *sp, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (sp->f[k].from.n > 0 &&
		    strcmp(sp->f[k].from.s[0], sp->f[i].from.s[0]) == 0)
			return 1;
	return 0;
}

static int
no_column_shared(const struct kpi_spec *sp, const struct kpi_rec *r,
    struct kpi_err *err)
{
	struct kpi_buf list;
	size_t i, named = 0, total = 0;

	if (fit(sp, r, 0) != 0)
		return 0;
	kpi_buf_init(&list);
	for (i = 0; i < sp->nf; i++) {
		if (sp->f[i].from.n == 0 || first_named_before(sp, i))
			continue;
		if (total++ < 5) {
			kpi_buf_addf(&list, "%s'%.60s'", named ? ", " : "",
			    sp->f[i].from.s[0]);
			named++;
		}
	}
	if (total == 0) {	/* a spec of constants reads no column */
		kpi_buf_release(&list);
		return 0;
	}
	if (total > named)
		kpi_buf_addf(&list, " and %zu more", total - named);
	kpi_err_set(err, NULL, 0, 0, "none of the spec's columns is here "
	    "(%s)", list.p);
	kpi_buf_release(&list);
	return 1;
}

/* The row r's "_src" (every record has one), or "". */
static const char *
row_src(struct kpi_norm *n, const struct kpi_rec *r, size_t *len)
{
	const struct kpi_field *f = column_at(r, "_src", 4, &n->src_hint);

	if (f == NULL || f->v.type != KPI_STR) {
		*len = 0;
		return "";
	}
	*len = f->v.len;
	return f->v.s;
}

/* The row r's "_line", or 0. */
static double
row_line(struct kpi_norm *n, const struct kpi_rec *r)
{
	const struct kpi_field *f = column_at(r, "_line", 5, &n->line_hint);

	return f != NULL && f->v.type == KPI_NUM ? f->v.num : 0;
}

/*
 * Whether next goes on the source being read: the same "_src", and a
 * "_line" not before the last (the same export read twice under one name,
 * as by kpi-extract a.csv a.csv, is two sources).
 */
static int
same_source(struct kpi_norm *n, const struct kpi_rec *next, const char *s,
    size_t len)
{
	double line = row_line(n, next), last = n->src_line;

	n->src_line = line;
	return n->have_src && n->src.len == len &&
	    memcmp(n->src.p, s, len) == 0 && line >= last;
}

int
kpi_norm_source(struct kpi_norm *n, const struct kpi_rec *next,
    struct kpi_err *err)
{
	const char *s = "";
	size_t len = 0, i;
	int rc = 0;

	if (next != NULL) {
		s = row_src(n, next, &len);
		if (same_source(n, next, s, len))
			return 0;
	}
	if (n->have_src && n->src_in > 0 && n->src_dropped == n->src_in) {
		kpi_err_set(err, n->src.p, 0, 0, "every row (%lu) was dropped "
		    "by the spec's drop rules; nothing of it is written",
		    n->src_in);
		hint(n->sp, &n->src_head, err);
		rc = -1;
	}
	n->have_src = next != NULL;
	n->src_no++;
	n->src_in = n->src_dropped = 0;
	kpi_buf_reset(&n->src);
	kpi_buf_add(&n->src, s, len);
	kpi_rec_clear(&n->src_head);
	for (i = 0; next != NULL && i < next->n; i++)
		kpi_rec_add_null(&n->src_head, kpi_arena_strndup(
		    &n->src_head.arena, next->f[i].key, next->f[i].klen),
		    next->f[i].klen);
	return rc;
}

/*
 * Whether the row is for this spec at all: KPI_NORM_ERROR with err set
 * (and the presets that fit) when the spec does not fit its source,
 * KPI_NORM_DROPPED when a drop rule matches, else KPI_NORM_TAKEN.
 */
static enum kpi_norm_fate
screen(struct kpi_norm *n, const struct kpi_rec *r, struct kpi_err *err)
{
	if (n->src_in == 0 && no_column_shared(n->sp, r, err))
		goto unfit;
	n->src_in++;
	if (dropped(n, r)) {
		n->src_dropped++;
		return KPI_NORM_DROPPED;
	}
	if (!missing_column(n, r, err))
		return KPI_NORM_TAKEN;
unfit:
	hint(n->sp, r, err);
	n->src_in = 0;
	return KPI_NORM_ERROR;
}

/*
 * Whether r is a row of an entity being skipped (its first row was
 * rejected, or is a duplicate): its fate, with rej filled for a rejection;
 * else KPI_NORM_TAKEN.
 */
static enum kpi_norm_fate
skipped(const struct kpi_norm *n, const char *key, size_t klen,
    struct kpi_reject *rej)
{
	if (n->skip == KPI_NORM_TAKEN || n->skip_src != n->src_no ||
	    !same_key(&n->skip_key, key, klen))
		return KPI_NORM_TAKEN;
	if (n->skip == KPI_NORM_REJECTED) {
		memset(rej, 0, sizeof(*rej));
		rej->kind = KPI_REJ_ENTITY;
		rej->column = n->sp->fold_key;
		rej->value = key;
		rej->vlen = klen;
	}
	return n->skip;
}

/* The rows of the entity of fold key key that follow are skipped so. */
static void
skip(struct kpi_norm *n, enum kpi_norm_fate why, const char *key,
    size_t klen)
{
	if (key == NULL)
		return;
	n->skip = why;
	n->skip_src = n->src_no;
	kpi_buf_reset(&n->skip_key);
	kpi_buf_add(&n->skip_key, key, klen);
}

/*
 * Whether the parsed row, which starts an entity, is a copy of one an
 * earlier source had (kpi-normalize(1) DUPLICATES): 1, else 0 with its
 * key, if any, in *k (*keyed set) and noted in n->keys.  Rows that share
 * a key within one source are all kept: an order's line items, an ad's
 * breakdown rows.
 */
static int
duplicate(struct kpi_norm *n, struct kpi_key *k, int *keyed)
{
	uint32_t first;

	*keyed = 0;
	/* A row of no known day is no copy of one of a known day. */
	if (!n->dedup || (n->key_time >= 0 &&
	    n->vals[n->key_time].type == KPI_NULL) ||
	    kpi_key_of(n->vals, n->sp->key, n->sp->nkey, k) < 0)
		return 0;
	norm_sets_key(&n->sets, n->src.p, n->src.len, k);
	if ((first = kpi_keys_add(&n->keys, k, n->src_no)) != 0)
		return first != n->src_no;
	*keyed = 1;		/* new: forgotten again if never written */
	return 0;
}

/*
 * cur_where, as kpi_rec_where would fill it from r, the entity's first
 * row.  Every row of a source has the same "_src", so the file is copied
 * only when it changes, not formatted for every entity.
 */
static void
entity_where(struct kpi_norm *n, const struct kpi_rec *r)
{
	const struct kpi_field *src = column_at(r, "_src", 4, &n->src_hint);
	const struct kpi_field *line = column_at(r, "_line", 5,
	    &n->line_hint);
	struct kpi_err *w = &n->cur_where;
	int ok = src != NULL && src->v.type == KPI_STR;
	const char *s = ok ? src->v.s : "";
	size_t len = ok ? src->v.len : 0;

	if (n->where_src.len != len ||
	    (len > 0 && memcmp(n->where_src.p, s, len) != 0)) {
		kpi_buf_reset(&n->where_src);
		kpi_buf_add(&n->where_src, s, len);
		snprintf(w->file, sizeof(w->file), "%.*s", (int)len, s);
	}
	w->line = line && line->v.type == KPI_NUM && line->v.num > 0 ?
	    (unsigned long)line->v.num : 0;
	w->col = 0;
}

/* A taken row that starts an entity of fold key key. */
static enum kpi_norm_fate
start(struct kpi_norm *n, const struct kpi_rec *r, const char *key,
    size_t klen, int *ready)
{
	struct kpi_key k;
	int keyed;

	if (duplicate(n, &k, &keyed)) {
		skip(n, KPI_NORM_DUPLICATE, key, klen);
		return KPI_NORM_DUPLICATE;
	}
	if (n->sp->fold_key == NULL) {
		materialize(n, r, &n->ready, 0);
		void_row(n->sp, &n->ready);
		*ready = 1;
		return KPI_NORM_TAKEN;
	}
	if (n->have_cur) {
		swap_out(n);
		*ready = 1;
	}
	n->skip = KPI_NORM_TAKEN;
	materialize(n, r, &n->cur, 1);
	start_counts(n);
	n->have_cur = 1;
	n->cur_rows = 1;
	n->cur_src = n->src_no;
	n->cur_k = k;
	n->cur_keyed = keyed;
	entity_where(n, r);
	n->cur_day = n->row_day;
	n->cur_has_day = n->row_has_day;
	kpi_buf_reset(&n->cur_key);
	if (key != NULL)
		kpi_buf_add(&n->cur_key, key, klen);
	else
		n->have_cur = 2;	/* no key: nothing folds into it */
	return KPI_NORM_TAKEN;
}

/* kpi_norm_feed without the counting. */
static enum kpi_norm_fate
feed(struct kpi_norm *n, const struct kpi_rec *r, int *ready,
    struct kpi_reject *rej, struct kpi_err *err)
{
	enum kpi_norm_fate fate;
	const char *key;
	size_t klen = 0;
	int cont;

	*ready = 0;
	kpi_arena_reset(&n->rowarena);
	if ((fate = screen(n, r, err)) != KPI_NORM_TAKEN)
		return fate;
	if (r->n > n->usedcap) {
		n->usedcap = r->n * 2;
		n->used = kpi_xrealloc(n->used, n->usedcap);
	}
	memset(n->used, 0, r->n);
	key = fold_key(n, r, &klen);
	/* An entity ends with its source: a copy of it may come next. */
	cont = n->have_cur && n->cur_src == n->src_no &&
	    same_key(&n->cur_key, key, klen);
	if ((fate = skipped(n, key, klen, rej)) != KPI_NORM_TAKEN)
		return fate;
	fate = parse_row(n, r, rej, err);
	if (fate == KPI_NORM_TAKEN && n->srccur && !cont)
		source_currency(n);
	if (fate == KPI_NORM_TAKEN && n->rates)
		fate = convert(n, cont, rej);
	if (fate != KPI_NORM_TAKEN) {
		if (fate == KPI_NORM_REJECTED && !cont)
			skip(n, KPI_NORM_REJECTED, key, klen);
		return fate;
	}
	if (!cont)
		return start(n, r, key, klen, ready);
	fold_into(n);
	n->cur_rows++;
	return KPI_NORM_FOLDED;
}

enum kpi_norm_fate
kpi_norm_feed(struct kpi_norm *n, const struct kpi_rec *r, int *ready,
    struct kpi_reject *rej, struct kpi_err *err)
{
	enum kpi_norm_fate fate = feed(n, r, ready, rej, err);

	switch (fate) {
	case KPI_NORM_TAKEN: n->st.out++; break;
	case KPI_NORM_FOLDED: n->st.folded++; break;
	case KPI_NORM_DROPPED: n->st.dropped++; break;
	case KPI_NORM_REJECTED: n->st.rejected++; break;
	case KPI_NORM_DUPLICATE: n->st.duplicates++; break;
	case KPI_NORM_ERROR: return fate;	/* not a row of this spec */
	}
	n->st.in++;
	return fate;
}

const struct kpi_norm_stats *
kpi_norm_stats(const struct kpi_norm *n)
{
	return &n->st;
}

unsigned long
kpi_norm_cut(struct kpi_norm *n, struct kpi_reject *rej,
    struct kpi_err *where)
{
	unsigned long rows = n->cur_rows;

	n->src_in = 0;		/* a source cut short: not "all dropped" */
	if (n->have_cur != 1)	/* none, or one with no key: whole */
		return 0;
	memset(rej, 0, sizeof(*rej));
	rej->kind = KPI_REJ_CUT;
	rej->column = n->sp->fold_key;
	rej->value = n->cur_key.p ? n->cur_key.p : "";
	rej->vlen = n->cur_key.len;
	*where = n->cur_where;
	if (n->cur_keyed)	/* never written: a later copy is none */
		kpi_keys_forget(&n->keys, &n->cur_k, n->cur_src);
	kpi_rec_clear(&n->cur);
	n->have_cur = 0;
	n->cur_rows = 0;
	/* Its rows were counted out and folded; none is written. */
	n->st.out--;
	n->st.folded -= rows - 1;
	n->st.rejected += rows;
	return rows;
}

size_t
kpi_norm_lookups(const struct kpi_norm *n, unsigned long *missed)
{
	*missed = n->missed;
	return n->ntables;
}

void
kpi_norm_finish(struct kpi_norm *n, int *ready)
{
	*ready = 0;
	if (n->have_cur) {
		swap_out(n);
		*ready = 1;
	}
}

const struct kpi_rec *
kpi_norm_row(const struct kpi_norm *n)
{
	return &n->ready;
}

/*
 * The values of a reference as the types of the fields that take them,
 * once, so that a bad one is an error about the reference, at its line,
 * rather than a rejection of every row that meets it.
 */
static int
type_table(struct kpi_norm *n, struct lookup_table *t, struct kpi_err *err)
{
	struct kpi_rec none;
	struct kpi_field src;
	struct kpi_val *v;
	size_t fi, e;

	kpi_rec_init(&none);
	memset(&src, 0, sizeof(src));
	for (fi = 0; fi < n->sp->nf; fi++) {
		if (n->sp->f[fi].ref < 0 ||
		    &n->sp->ref[n->sp->f[fi].ref] != t->ref)
			continue;
		src.key = t->ref->values.s[n->sp->f[fi].refcol];
		for (e = 0; e < t->n; e++) {
			v = &t->val[e * t->ref->values.n + n->sp->f[fi].refcol];
			src.v = *v;
			kpi_arena_reset(&n->rowarena);
			n->why = NULL;
			if (parse_field(n, fi, &none, &src) < 0) {
				kpi_rec_release(&none);
				return kpi_err_set(err, t->path, t->e[e].line, 0,
				    "column '%s': '%.*s' is not %s", src.key,
				    (int)(v->len > 100 ? 100 : v->len),
				    v->s ? v->s : "", n->why ? n->why :
				    type_names[n->sp->f[fi].type]);
			}
			*v = n->vals[fi];
			if (v->s != NULL)
				v->s = kpi_arena_strndup(&t->mem, v->s, v->len);
		}
	}
	kpi_rec_release(&none);
	n->row_has_day = 0;
	return 0;
}

/* The file of reference i: --lookup's, else the spec's, beside it. */
static const char *
ref_path(const struct kpi_spec *sp, size_t i, const struct kpi_norm_opts *o,
    struct kpi_buf *b)
{
	size_t k;

	for (k = o->nlookups; k-- > 0;)	/* the last --lookup wins */
		if (strcmp(o->lookups[k].name, sp->ref[i].name) == 0)
			return o->lookups[k].path;
	if (sp->ref[i].file == NULL)
		return NULL;
	kpi_buf_reset(b);
	if (sp->dir != NULL && sp->ref[i].file[0] != '/')
		kpi_buf_adds(b, sp->dir);
	kpi_buf_adds(b, sp->ref[i].file);
	return b->p;
}

/* Reads the references of the spec's lookups into n->tables. */
static int
load_tables(struct kpi_norm *n, const struct kpi_norm_opts *o,
    struct kpi_err *err)
{
	const struct kpi_spec *sp = n->sp;
	struct kpi_buf path;
	const char *p;
	size_t i, k;
	int rc = 0;

	for (k = 0; k < o->nlookups; k++) {
		for (i = 0; i < sp->nref; i++)
			if (strcmp(sp->ref[i].name, o->lookups[k].name) == 0)
				break;
		if (i == sp->nref)
			return kpi_err_set(err, NULL, 0, 0, "no lookup '%s' in "
			    "the spec%s%s", o->lookups[k].name, sp->nref ?
			    "; its lookups: " : "", sp->nref ? sp->ref[0].name :
			    "");
	}
	if (sp->nref == 0)
		return 0;
	n->tables = kpi_xmalloc(sp->nref * sizeof(*n->tables));
	memset(n->tables, 0, sp->nref * sizeof(*n->tables));
	kpi_buf_init(&path);
	for (i = 0; i < sp->nref && rc == 0; i++) {
		if ((p = ref_path(sp, i, o, &path)) == NULL)
			continue;
		if ((n->tables[i] = lookup_load(&sp->ref[i], p, &o->warn,
		    err)) == NULL || type_table(n, n->tables[i], err) < 0)
			rc = -1;
		else
			n->ntables++;
	}
	kpi_buf_release(&path);
	return rc;
}

struct kpi_norm *
kpi_norm_new(const struct kpi_spec *sp, const struct kpi_norm_opts *o,
    struct kpi_err *err)
{
	struct kpi_norm *n;

	n = kpi_xmalloc(sizeof(*n));
	memset(n, 0, sizeof(*n));
	n->sp = sp;
	if ((n->tz = kpi_tz_open(o->tz ? o->tz : sp->tz, err)) == NULL) {
		free(n);
		return NULL;
	}
	n->rates = o->rates;
	n->currency = o->currency;
	if (n->currency)
		n->places = kpi_currency_places(n->currency,
		    strlen(n->currency));
	n->srccur = o->source_currency;
	n->keep = o->keep;
	if (norm_sets_init(&n->sets, sp, o->sets, o->nsets, err) < 0) {
		kpi_tz_free(n->tz);
		free(n);
		return NULL;
	}
	n->hint = kpi_xmalloc(sp->nf * sizeof(*n->hint));
	memset(n->hint, 0xff, sp->nf * sizeof(*n->hint));
	n->drop_hint = kpi_xmalloc((sp->ndrop + 1) * sizeof(*n->drop_hint));
	memset(n->drop_hint, 0xff, (sp->ndrop + 1) * sizeof(*n->drop_hint));
	n->req_hint = kpi_xmalloc((sp->require.n + 1) * sizeof(*n->req_hint));
	memset(n->req_hint, 0xff, (sp->require.n + 1) * sizeof(*n->req_hint));
	n->fold_hint = n->src_hint = n->line_hint = (size_t)-1;
	n->vals = kpi_xmalloc(sp->nf * sizeof(*n->vals));
	n->cols = kpi_xmalloc(sp->nf * sizeof(*n->cols));
	n->stext = kpi_xmalloc(sp->nf * sizeof(*n->stext));
	n->slen = kpi_xmalloc(sp->nf * sizeof(*n->slen));
	n->carry_key = kpi_xmalloc(sp->nf * sizeof(*n->carry_key));
	n->carry_val = kpi_xmalloc(sp->nf * sizeof(*n->carry_val));
	n->carry_v = kpi_xmalloc(sp->nf * sizeof(*n->carry_v));
	for (size_t i = 0; i < sp->nf; i++) {
		kpi_buf_init(&n->carry_key[i]);
		kpi_buf_init(&n->carry_val[i]);
		n->carries |= sp->f[i].carry != NULL;
		n->derives |= sp->f[i].type == SPEC_T_DURATION ||
		    sp->f[i].times >= 0;
	}
	kpi_arena_init(&n->rowarena);
	kpi_buf_init(&n->cur_key);
	kpi_buf_init(&n->where_src);
	kpi_buf_init(&n->skip_key);
	n->skip = KPI_NORM_TAKEN;
	kpi_keys_init(&n->keys);
	n->dedup = sp->nkey > 0 && !o->no_dedup;
	n->key_time = -1;
	for (size_t i = 0; i < sp->nkey; i++)
		if ((long)sp->key[i] == sp->time_field)
			n->key_time = sp->time_field;
	kpi_rec_init(&n->cur);
	kpi_rec_init(&n->ready);
	kpi_buf_init(&n->src);
	kpi_rec_init(&n->src_head);
	kpi_buf_init(&n->own_text);
	if (load_tables(n, o, err) < 0) {
		kpi_norm_free(n);
		return NULL;
	}
	return n;
}

void
kpi_norm_free(struct kpi_norm *n)
{
	if (n == NULL)
		return;
	kpi_tz_free(n->tz);
	norm_sets_release(&n->sets);
	free(n->hint);
	free(n->drop_hint);
	free(n->req_hint);
	free(n->vals);
	free(n->cols);
	free(n->stext);
	free(n->slen);
	for (size_t i = 0; i < n->sp->nf; i++) {
		kpi_buf_release(&n->carry_key[i]);
		kpi_buf_release(&n->carry_val[i]);
	}
	free(n->carry_key);
	free(n->carry_val);
	free(n->carry_v);
	free(n->used);
	kpi_arena_release(&n->rowarena);
	kpi_buf_release(&n->cur_key);
	kpi_buf_release(&n->where_src);
	kpi_buf_release(&n->skip_key);
	kpi_keys_release(&n->keys);
	kpi_rec_release(&n->cur);
	kpi_rec_release(&n->ready);
	kpi_buf_release(&n->src);
	kpi_rec_release(&n->src_head);
	/* The tables first: how many there are is the spec's. */
	for (size_t i = 0; n->tables && i < n->sp->nref; i++)
		lookup_free(n->tables[i]);
	free(n->tables);
	kpi_spec_free(n->own_spec);
	kpi_buf_release(&n->own_text);
	kpi_rates_free(n->own_rates);
	free(n);
}

struct kpi_norm *
kpi_norm_open(const struct kpi_preset *p, const char *spec_path,
    const char *rates_path, const struct kpi_norm_opts *o,
    const struct kpi_warn *warn, struct kpi_err *err)
{
	struct kpi_norm_opts no = *o;
	struct kpi_rates *rates = NULL;
	struct kpi_spec *spec;
	struct kpi_norm *n;
	struct kpi_buf text;

	kpi_buf_init(&text);
	kpi_err_clear(err);
	if ((spec = kpi_spec_open(p, spec_path, &text, err)) == NULL)
		goto out_free_text;
	if (rates_path && (no.rates = rates = kpi_rates_open(rates_path,
	    warn, err)) == NULL)
		goto out_free_spec;
	if ((n = kpi_norm_new(spec, &no, err)) == NULL)
		goto out_free_rates;
	n->own_spec = spec;
	n->own_text = text;
	n->own_rates = rates;
	return n;

out_free_rates:
	kpi_rates_free(rates);
out_free_spec:
	kpi_spec_free(spec);
out_free_text:
	kpi_buf_release(&text);
	return NULL;
}

static int
rate_cmp(const void *a, const void *b)
{
	const struct rate *x = a, *y = b;
	int c = strcasecmp(x->cur, y->cur);

	if (c != 0)
		return c;
	return x->day < y->day ? -1 : x->day > y->day;
}

/* One line of the rates file into rs; -1 with err set when it is bad. */
static int
rate_add(struct kpi_rates *rs, const struct kpi_rec *r, const char *name,
    unsigned long line, struct kpi_err *err)
{
	const struct kpi_field *d = kpi_rec_find(r, "date", 4);
	const struct kpi_field *c = kpi_rec_find(r, "currency", 8);
	const struct kpi_field *v = kpi_rec_find(r, "rate", 4);
	long long day;
	struct rate *p;
	double rate;

	if (d == NULL || c == NULL || v == NULL)
		return kpi_err_set(err, name, line, 0,
		    "rates need the columns date, currency, rate");
	if (d->v.type != KPI_STR || kpi_date_parse(d->v.s, d->v.len,
	    &day) < 0)
		return kpi_err_set(err, name, line, 0, "bad date '%.*s'",
		    (int)d->v.len, d->v.s ? d->v.s : "");
	if (c->v.type != KPI_STR || c->v.len == 0 || c->v.len > 7)
		return kpi_err_set(err, name, line, 0, "bad currency '%.*s'",
		    (int)c->v.len, c->v.s ? c->v.s : "");
	if (v->v.type != KPI_STR || kpi_num_parse(v->v.s, v->v.len,
	    KPI_NUMBER, '.', &rate) != 1 || rate <= 0)
		return kpi_err_set(err, name, line, 0, "bad rate '%.*s'",
		    (int)v->v.len, v->v.s ? v->v.s : "");
	rs->r = kpi_xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
	p = &rs->r[rs->n++];
	memcpy(p->cur, c->v.s, c->v.len);
	p->cur[c->v.len] = '\0';
	p->day = day;
	p->rate = rate;
	return 0;
}

/* Reads rates from in, a CSV input.  Returns NULL with err set. */
static struct kpi_rates *
rates_load(struct kpi_input *in, struct kpi_err *err)
{
	struct kpi_reader_opts o;
	struct kpi_reader *rd;
	struct kpi_rates *rs;
	struct kpi_rec r;
	const struct kpi_field *lf;
	int rc;

	kpi_reader_opts_init(&o);
	o.format = KPI_FMT_CSV;
	o.strict = 1;
	if ((rd = kpi_reader_open(in, &o, err)) == NULL)
		return NULL;
	rs = kpi_xmalloc(sizeof(*rs));
	memset(rs, 0, sizeof(*rs));
	kpi_rec_init(&r);
	while ((rc = kpi_reader_next(rd, &r, err)) == 1) {
		lf = kpi_rec_find(&r, "_line", 5);
		if (rate_add(rs, &r, kpi_input_name(in),
		    lf ? (unsigned long)lf->v.num : 0, err) < 0) {
			rc = -1;
			break;
		}
	}
	kpi_rec_release(&r);
	kpi_reader_free(rd);
	if (rc < 0) {
		kpi_rates_free(rs);
		return NULL;
	}
	qsort(rs->r, rs->n, sizeof(*rs->r), rate_cmp);
	return rs;
}

struct kpi_rates *
kpi_rates_open(const char *path, const struct kpi_warn *warn,
    struct kpi_err *err)
{
	struct kpi_source_opts so = { NULL, 0, { NULL, NULL } };
	struct kpi_rates *rates = NULL;
	struct kpi_source *src;
	struct kpi_input *in;

	kpi_err_clear(err);
	so.warn = *warn;
	if ((src = kpi_source_open(path, &so, err)) != NULL &&
	    kpi_source_next(src, &in, err) == 1)
		rates = rates_load(in, err);
	kpi_source_free(src);
	/* An archive with no member, an empty compressed stream. */
	if (rates == NULL && err->msg[0] == '\0')
		kpi_err_set(err, path, 0, 0, "no rates");
	return rates;
}

void
kpi_rates_free(struct kpi_rates *rs)
{
	if (rs == NULL)
		return;
	free(rs->r);
	free(rs);
}
