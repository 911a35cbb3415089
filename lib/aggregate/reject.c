/*
 * reject.c - a row kpi-aggregate rejects, in words for stderr and as the
 * row --rejects writes: the row as it was read, with an "_error" object
 * before its provenance, the shape kpi-normalize's rejects have (kpi(7)
 * Reserved keys).  The aggregation says what is wrong as a kind and its
 * data (kpi_agg_add); the words are here, once.
 */
#include <stdio.h>
#include <string.h>

#include "aggregate/aggregate.h"

/* A value as text: a string's or number's as written, else its name. */
static const char *
value_text(const struct kpi_val *v, size_t *len)
{
	const char *s;

	if (v != NULL && v->s != NULL) {
		*len = v->len;
		return v->s;
	}
	s = v == NULL || v->type == KPI_NULL ? "" : v->type == KPI_TRUE ?
	    "true" : v->type == KPI_FALSE ? "false" : v->type == KPI_NUM ?
	    "inf" : "";
	*len = strlen(s);
	return s;
}

/* At most this much of a value goes into a message. */
static int
clip(size_t len)
{
	return (int)(len > 64 ? 64 : len);
}

const char *
kpi_agg_reject_msg(const struct kpi_agg_reject *rej, char *buf, size_t size)
{
	const char *s;
	size_t n;
	int q;

	s = value_text(rej->value, &n);
	q = rej->value != NULL && rej->value->type == KPI_STR;
	switch (rej->kind) {
	case KPI_AGG_REJ_NO_TIME:
		snprintf(buf, size, "no time");
		break;
	case KPI_AGG_REJ_TIME:
		snprintf(buf, size, "bad time '%.*s'", clip(n), s);
		break;
	case KPI_AGG_REJ_NUMBER:
		snprintf(buf, size, "field '%s': %s%.*s%s is not a number",
		    rej->field, q ? "'" : "", clip(n), s, q ? "'" : "");
		break;
	case KPI_AGG_REJ_FINITE:
		snprintf(buf, size, "field '%s': %.*s is not a finite number",
		    rej->field, clip(n), s);
		break;
	case KPI_AGG_REJ_ALL_TIME:
		snprintf(buf, size, "no time: a report over all time, or "
		    "without its dates, fits only --every all");
		break;
	case KPI_AGG_REJ_END_DATE:
		snprintf(buf, size, "bad end_date '%.*s'", clip(n), s);
		break;
	case KPI_AGG_REJ_END_BEFORE:
		snprintf(buf, size, "end_date '%.*s' is before the day of its "
		    "time", clip(n), s);
		break;
	case KPI_AGG_REJ_SPAN:
		snprintf(buf, size, "%s", rej->text);
		break;
	case KPI_AGG_REJ_CONDITION:
		snprintf(buf, size, "field '%s': %s%.*s%s is not a boolean or "
		    "number", rej->field, q ? "'" : "", clip(n), s, q ? "'" : "");
		break;
	}
	return buf;
}

/* What the field should have held, as "_error" says it. */
static const char *
expected(const struct kpi_agg_reject *rej)
{
	switch (rej->kind) {
	case KPI_AGG_REJ_NO_TIME:
	case KPI_AGG_REJ_TIME:
	case KPI_AGG_REJ_ALL_TIME:
		return "RFC 3339 time";
	case KPI_AGG_REJ_NUMBER:
		return "number";
	case KPI_AGG_REJ_CONDITION:
		return "boolean or number";
	case KPI_AGG_REJ_END_DATE:
		return "date";
	case KPI_AGG_REJ_END_BEFORE:
		return "date on or after the day of the time";
	case KPI_AGG_REJ_SPAN:
		return "a range within one period";
	case KPI_AGG_REJ_FINITE:
		break;
	}
	return "finite number";
}

/*
 * A typed row's fields are its columns: "field" and "column" both name
 * the key at fault, so that a reader of kpi-normalize's rejects reads
 * these too.
 */
void
kpi_agg_reject_row(const struct kpi_rec *r, const struct kpi_agg_reject *rej,
    struct kpi_rec *out, struct kpi_buf *b)
{
	struct kpi_rec_error e;

	e.field = e.column = rej->field;
	e.value = value_text(rej->value, &e.vlen);
	e.expected = expected(rej);
	kpi_rec_with_error(r, &e, out, b);
}
