/*
 * reject.c - a rejected row as --rejects writes it: the row as it was read,
 * with an "_error" object before its provenance (kpi-normalize(1) REJECTED
 * ROWS).  "_error" is data for the next program, so it lives here, beside
 * the normaliser that rejects; the English of a message on stderr is the
 * face's.
 */
#include <stdio.h>
#include <string.h>

#include "normalize/normalize.h"

const char *
kpi_reject_expected(const struct kpi_reject *rej, char *buf, size_t size)
{
	long long y;
	unsigned m, d;

	switch (rej->kind) {
	case KPI_REJ_TYPE:
		return rej->type;
	case KPI_REJ_RANGE:
		/* Every rejected value is beyond DBL_MAX, so beyond this. */
		snprintf(buf, size, "%s within \u00b11.797e308", rej->type);
		return buf;
	case KPI_REJ_NO_TIME:
		return "a time to pick a rate by";
	case KPI_REJ_NO_RATE:
		kpi_civil_from_days(rej->day, &y, &m, &d);
		snprintf(buf, size, "rate for %.*s on %04lld-%02u-%02u",
		    (int)(rej->clen < 8 ? rej->clen : 8), rej->currency, y, m,
		    d);
		return buf;
	case KPI_REJ_CUT:
		return "the rest of its rows, which an input stopped before";
	case KPI_REJ_LOOKUP:
		snprintf(buf, size, "key with a '%.40s' in %.40s", rej->refcol,
		    rej->ref);
		return buf;
	case KPI_REJ_ENTITY:
		break;
	}
	return "its first row, which was rejected";
}

/* At most this much of a value goes into a message. */
static int
clip(size_t len)
{
	return (int)(len > 200 ? 200 : len);
}

const char *
kpi_reject_msg(const struct kpi_reject *rej, char *buf, size_t size)
{
	char exp[96];

	switch (rej->kind) {
	case KPI_REJ_ENTITY:
		snprintf(buf, size, "belongs to an entity whose first row was "
		    "rejected");
		break;
	case KPI_REJ_CUT:
		return NULL;
	case KPI_REJ_NO_TIME:
	case KPI_REJ_NO_RATE:
		snprintf(buf, size, "field '%s': no %s", rej->field,
		    kpi_reject_expected(rej, exp, sizeof(exp)));
		break;
	case KPI_REJ_TYPE:
		snprintf(buf, size, "field '%s': '%.*s' is not %s", rej->field,
		    clip(rej->vlen), rej->value, rej->type);
		break;
	case KPI_REJ_RANGE:
		snprintf(buf, size, "field '%s': '%.*s' is out of range: "
		    "expected %s", rej->field, clip(rej->vlen), rej->value,
		    kpi_reject_expected(rej, exp, sizeof(exp)));
		break;
	case KPI_REJ_LOOKUP:
		snprintf(buf, size, "field '%s': no '%s' for '%.*s' in %s",
		    rej->field, rej->refcol, clip(rej->vlen), rej->value,
		    rej->ref);
		break;
	}
	return buf;
}

const char *
kpi_reject_cut_msg(const struct kpi_reject *rej, unsigned long rows,
    char *buf, size_t size)
{
	snprintf(buf, size, "entity '%.*s' of '%s' (%lu row%s) not written: "
	    "an input stopped before its end", clip(rej->vlen), rej->value,
	    rej->column, rows, rows == 1 ? "" : "s");
	return buf;
}

void
kpi_reject_row(const struct kpi_rec *r, const struct kpi_reject *rej,
    struct kpi_rec *out, struct kpi_buf *b)
{
	struct kpi_rec_error e;
	char exp[96];

	e.field = rej->field ? rej->field : "";
	e.column = rej->column;
	e.value = rej->value;
	e.vlen = rej->vlen;
	e.expected = kpi_reject_expected(rej, exp, sizeof(exp));
	kpi_rec_with_error(r, &e, out, b);
}
