/*
 * point.c - the point of kpi(7): one metric over one period and one
 * combination of dimensions, read from a record and written as one.
 *
 * kpi-aggregate writes points and its --merge reads them back; kpi-goal
 * reads them and writes evaluations (a point with goal fields after it);
 * kpi-render reads both.  The key order is kpi(7)'s: metric, period, start,
 * end, dims, value, then prev, change, pct_change, pp_change (--compare),
 * unit, format, direction (when the catalogue says so) and state
 * (--partial).
 */
#include <math.h>
#include <string.h>

#include "aggregate/aggregate.h"

void
kpi_point_init(struct kpi_point *p)
{
	memset(p, 0, sizeof(*p));
	p->value.null = 1;
	p->prev.null = p->change.null = p->pct_change.null = 1;
	p->pp_change.null = 1;
	p->format = KPI_MFMT_NUMBER;
}

/* The field key of r, or NULL. */
static const struct kpi_field *
field(const struct kpi_rec *r, const char *key)
{
	return kpi_rec_find(r, key, strlen(key));
}

/* A string field that must be there. */
static int
need_str(const struct kpi_rec *r, const char *key, const char **s,
    size_t *n, struct kpi_err *err)
{
	const struct kpi_field *f = field(r, key);

	if (f == NULL || f->v.type != KPI_STR)
		return kpi_err_set(err, NULL, 0, 0, "not a point: %s '%s'",
		    f == NULL ? "no" : "bad", key);
	*s = f->v.s;
	*n = f->v.len;
	return 0;
}

/* A number or null; absent is null. */
static int
maybe(const struct kpi_rec *r, const char *key, struct kpi_maybe *m,
    int *present, struct kpi_err *err)
{
	const struct kpi_field *f = field(r, key);

	m->v = 0;
	m->null = 1;
	if (present)
		*present = f != NULL;
	if (f == NULL || f->v.type == KPI_NULL)
		return 0;
	if (f->v.type != KPI_NUM)
		return kpi_err_set(err, NULL, 0, 0, "bad point: '%s' is not "
		    "a number", key);
	m->v = f->v.num;
	m->null = !isfinite(m->v);
	return 0;
}

/* start or end: an RFC 3339 string, or null for the period "all". */
static int
instant(const struct kpi_rec *r, const char *key, struct kpi_time *t,
    int *is_null, struct kpi_err *err)
{
	const struct kpi_field *f = field(r, key);

	*is_null = f != NULL && f->v.type == KPI_NULL;
	if (*is_null)
		return 0;
	if (f == NULL || f->v.type != KPI_STR ||
	    kpi_time_rfc3339(f->v.s, f->v.len, t) < 0)
		return kpi_err_set(err, NULL, 0, 0, "not a point: %s '%s'",
		    f == NULL ? "no" : "bad", key);
	return 0;
}

/* unit, format, direction: what the catalogue says, when it says it. */
static int
read_meta(struct kpi_point *p, const struct kpi_rec *r, struct kpi_err *err)
{
	const struct kpi_field *f;
	char name[16];

	if ((f = field(r, "unit")) != NULL && f->v.type == KPI_STR) {
		p->unit = f->v.s;
		p->ulen = f->v.len;
	}
	if ((f = field(r, "format")) != NULL) {
		if (f->v.type != KPI_STR || f->v.len >= sizeof(name))
			return kpi_err_set(err, NULL, 0, 0, "bad point: bad "
			    "'format'");
		memcpy(name, f->v.s, f->v.len);
		name[f->v.len] = '\0';
		if (kpi_mformat_parse(name, &p->format) < 0)
			return kpi_err_set(err, NULL, 0, 0, "bad point: "
			    "format '%s'", name);
	}
	if ((f = field(r, "direction")) != NULL) {
		if (f->v.type == KPI_STR && f->v.len == 5 &&
		    memcmp(f->v.s, "lower", 5) == 0)
			p->lower_better = 1;
		else if (!(f->v.type == KPI_STR && f->v.len == 6 &&
		    memcmp(f->v.s, "higher", 6) == 0))
			return kpi_err_set(err, NULL, 0, 0, "bad point: "
			    "direction is 'higher' or 'lower'");
	}
	if ((f = field(r, "state")) != NULL && f->v.type == KPI_RAW) {
		p->state = f->v.s;
		p->slen = f->v.len;
	}
	return 0;
}

int
kpi_point_read(struct kpi_point *p, const struct kpi_rec *r,
    struct kpi_err *err)
{
	const struct kpi_field *f;
	int snull, enull;

	kpi_point_init(p);
	if (need_str(r, "metric", &p->metric, &p->mlen, err) < 0 ||
	    need_str(r, "period", &p->period, &p->plen, err) < 0 ||
	    instant(r, "start", &p->start, &snull, err) < 0 ||
	    instant(r, "end", &p->end, &enull, err) < 0)
		return -1;
	if (snull != enull)
		return kpi_err_set(err, NULL, 0, 0, "not a point: 'start' "
		    "and 'end' are both null or both times");
	p->has_range = !snull;
	if ((f = field(r, "dims")) == NULL || f->v.type != KPI_RAW ||
	    f->v.s[0] != '{')
		return kpi_err_set(err, NULL, 0, 0, "not a point: %s 'dims'",
		    f == NULL ? "no" : "bad");
	p->dims = f->v.s;
	p->dlen = f->v.len;
	if (field(r, "value") == NULL)
		return kpi_err_set(err, NULL, 0, 0, "not a point: no 'value'");
	if (maybe(r, "value", &p->value, NULL, err) < 0 ||
	    maybe(r, "prev", &p->prev, &p->has_compare, err) < 0 ||
	    maybe(r, "change", &p->change, NULL, err) < 0 ||
	    maybe(r, "pct_change", &p->pct_change, NULL, err) < 0 ||
	    maybe(r, "pp_change", &p->pp_change, &p->has_pp, err) < 0)
		return -1;
	return read_meta(p, r, err);
}

void
kpi_maybe_put(struct kpi_buf *b, struct kpi_maybe m)
{
	if (m.null || !isfinite(m.v))
		kpi_buf_add(b, "null", 4);
	else
		kpi_json_put_num(b, m.v);
}

static void
put_instant(struct kpi_buf *b, int has, const struct kpi_time *t)
{
	if (!has) {
		kpi_buf_add(b, "null", 4);
		return;
	}
	kpi_buf_addc(b, '"');
	kpi_time_put(b, t);
	kpi_buf_addc(b, '"');
}

static void
put_key_num(struct kpi_buf *b, const char *key, struct kpi_maybe m)
{
	kpi_buf_adds(b, key);
	kpi_maybe_put(b, m);
}

void
kpi_point_put_open(struct kpi_buf *b, const struct kpi_point *p)
{
	kpi_buf_adds(b, "{\"metric\":");
	kpi_json_put_str(b, p->metric, p->mlen);
	kpi_buf_adds(b, ",\"period\":");
	kpi_json_put_str(b, p->period, p->plen);
	kpi_buf_adds(b, ",\"start\":");
	put_instant(b, p->has_range, &p->start);
	kpi_buf_adds(b, ",\"end\":");
	put_instant(b, p->has_range, &p->end);
	kpi_buf_adds(b, ",\"dims\":");
	kpi_buf_add(b, p->dims, p->dlen);
	put_key_num(b, ",\"value\":", p->value);
	if (p->has_compare) {
		put_key_num(b, ",\"prev\":", p->prev);
		put_key_num(b, ",\"change\":", p->change);
		put_key_num(b, ",\"pct_change\":", p->pct_change);
		if (p->has_pp)
			put_key_num(b, ",\"pp_change\":", p->pp_change);
	}
	if (p->unit != NULL) {
		kpi_buf_adds(b, ",\"unit\":");
		kpi_json_put_str(b, p->unit, p->ulen);
	}
	if (p->format != KPI_MFMT_NUMBER) {
		kpi_buf_adds(b, ",\"format\":\"");
		kpi_buf_adds(b, kpi_mformat_name(p->format));
		kpi_buf_addc(b, '"');
	}
	if (p->lower_better)
		kpi_buf_adds(b, ",\"direction\":\"lower\"");
	if (p->state != NULL) {
		kpi_buf_adds(b, ",\"state\":");
		kpi_buf_add(b, p->state, p->slen);
	}
}
