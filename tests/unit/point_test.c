/*
 * point_test.c - the point of kpi(7) read from a record and written back:
 * the same bytes for every point kpi-aggregate writes (with and without
 * --compare, null values, the period "all", format and direction, a
 * --partial state), and each error of a line that is not a point.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kpi.h"
#include "unit.h"

#define W10	"\"period\":\"2024-W10\",\"start\":\"2024-03-04T00:00:00Z\"," \
		"\"end\":\"2024-03-11T00:00:00Z\""

/* Points that read and write back as the same text. */
static const char *const trips[] = {
	"{\"metric\":\"revenue\"," W10 ",\"dims\":{},\"value\":40}",
	"{\"metric\":\"revenue\"," W10 ",\"dims\":{\"channel\":\"email\"},"
	    "\"value\":1234.5,\"unit\":\"GBP\",\"format\":\"money\"}",
	"{\"metric\":\"churn_rate\"," W10 ",\"dims\":{},\"value\":null,"
	    "\"format\":\"percent\",\"direction\":\"lower\"}",
	"{\"metric\":\"cpc\"," W10 ",\"dims\":{},\"value\":0.4,"
	    "\"direction\":\"lower\"}",
	"{\"metric\":\"revenue\"," W10 ",\"dims\":{},\"value\":15,\"prev\":10,"
	    "\"change\":5,\"pct_change\":0.5}",
	"{\"metric\":\"revenue\"," W10 ",\"dims\":{},\"value\":5,\"prev\":0,"
	    "\"change\":5,\"pct_change\":null}",
	"{\"metric\":\"cr\"," W10 ",\"dims\":{\"ch\":\"a\"},\"value\":0.025,"
	    "\"prev\":0.02,\"change\":0.005000000000000001,"
	    "\"pct_change\":0.25000000000000006,"
	    "\"pp_change\":0.5000000000000001,\"format\":\"percent\"}",
	"{\"metric\":\"cr\"," W10 ",\"dims\":{},\"value\":null,\"prev\":null,"
	    "\"change\":null,\"pct_change\":null,\"pp_change\":null,"
	    "\"format\":\"percent\"}",
	"{\"metric\":\"aov\",\"period\":\"all\",\"start\":null,\"end\":null,"
	    "\"dims\":{},\"value\":30,\"format\":\"money\"}",
	"{\"metric\":\"s\",\"period\":\"2024-03\","
	    "\"start\":\"2024-03-01T00:00:00-05:00\","
	    "\"end\":\"2024-04-01T00:00:00-04:00\",\"dims\":{},\"value\":-0.5}",
	"{\"metric\":\"orders\"," W10 ",\"dims\":{},\"value\":2,"
	    "\"state\":{\"orders\":{\"n\":2}}}",
	"{\"metric\":\"r\"," W10 ",\"dims\":{},\"value\":1,\"unit\":\"GBP\","
	    "\"format\":\"money\",\"direction\":\"lower\",\"state\":{}}",
};

/* Parses json into r and reads it as a point: its status. */
static int
read_point(struct kpi_rec *r, struct kpi_point *p, const char *json,
    struct kpi_err *err)
{
	kpi_err_clear(err);
	if (kpi_json_parse_object(r, json, strlen(json), 0, err) != 0) {
		CHECK(0, "%s: does not parse: %s", json, err->msg);
		return -1;
	}
	return kpi_point_read(p, r, err);
}

static void
test_round_trip(void)
{
	struct kpi_rec r;
	struct kpi_point p;
	struct kpi_err err;
	struct kpi_buf b;
	size_t i;

	kpi_rec_init(&r);
	kpi_buf_init(&b);
	for (i = 0; i < sizeof(trips) / sizeof(trips[0]); i++) {
		if (read_point(&r, &p, trips[i], &err) != 0) {
			CHECK(0, "%s: %s", trips[i], err.msg);
			continue;
		}
		kpi_buf_reset(&b);
		kpi_point_put_open(&b, &p);
		kpi_buf_adds(&b, "}");
		CHECK_STR(b.p, trips[i], "round trip");
	}
	kpi_buf_release(&b);
	kpi_rec_release(&r);
}

/* What a point reads as, field by field. */
static void
test_fields(void)
{
	struct kpi_rec r;
	struct kpi_point p;
	struct kpi_err err;

	kpi_rec_init(&r);
	CHECK(read_point(&r, &p, trips[2], &err) == 0, "%s", err.msg);
	CHECK(p.mlen == 10 && memcmp(p.metric, "churn_rate", 10) == 0,
	    "metric");
	CHECK(p.plen == 8 && memcmp(p.period, "2024-W10", 8) == 0, "period");
	CHECK(p.has_range && p.start.t == 1709510400 &&
	    p.end.t == 1709510400 + 7 * 86400, "range %lld %lld", p.start.t,
	    p.end.t);
	CHECK(p.value.null && !p.has_compare && p.unit == NULL, "value");
	CHECK(p.format == KPI_MFMT_PERCENT && p.lower_better, "meta");
	CHECK(p.state == NULL, "state");
	CHECK(read_point(&r, &p, trips[8], &err) == 0, "%s", err.msg);
	CHECK(!p.has_range && p.value.v == 30 && !p.value.null, "all");
	CHECK(read_point(&r, &p, trips[6], &err) == 0, "%s", err.msg);
	CHECK(p.has_compare && p.has_pp && p.prev.v == 0.02, "compare");
	/* The defaults, written out, read as when left out. */
	CHECK(read_point(&r, &p, "{\"metric\":\"m\"," W10 ",\"dims\":{},"
	    "\"value\":1,\"format\":\"number\",\"direction\":\"higher\"}",
	    &err) == 0, "%s", err.msg);
	CHECK(p.format == KPI_MFMT_NUMBER && !p.lower_better, "defaults");
	/* An evaluation's keys are left for the caller. */
	CHECK(read_point(&r, &p, "{\"metric\":\"m\"," W10 ",\"dims\":{},"
	    "\"value\":1,\"goal\":{},\"status\":\"met\"}", &err) == 0, "%s",
	    err.msg);
	kpi_rec_release(&r);
}

/* Lines that are not points, and what each one is told. */
static const struct {
	const char *json;
	const char *msg;
} bad[] = {
	{ "{" W10 ",\"dims\":{},\"value\":1}", "not a point: no 'metric'" },
	{ "{\"metric\":7," W10 ",\"dims\":{},\"value\":1}",
	    "not a point: bad 'metric'" },
	{ "{\"metric\":\"m\",\"start\":null,\"end\":null,\"dims\":{},"
	    "\"value\":1}", "not a point: no 'period'" },
	{ "{\"metric\":\"m\",\"period\":null,\"start\":null,\"end\":null,"
	    "\"dims\":{},\"value\":1}", "not a point: bad 'period'" },
	{ "{\"metric\":\"m\",\"period\":\"all\",\"end\":null,\"dims\":{},"
	    "\"value\":1}", "not a point: no 'start'" },
	{ "{\"metric\":\"m\",\"period\":\"x\",\"start\":\"2024-03-04\","
	    "\"end\":null,\"dims\":{},\"value\":1}",
	    "not a point: bad 'start'" },
	{ "{\"metric\":\"m\",\"period\":\"all\",\"start\":null,\"dims\":{},"
	    "\"value\":1}", "not a point: no 'end'" },
	{ "{\"metric\":\"m\",\"period\":\"x\",\"start\":null,\"end\":5,"
	    "\"dims\":{},\"value\":1}", "not a point: bad 'end'" },
	{ "{\"metric\":\"m\",\"period\":\"x\",\"start\":null,"
	    "\"end\":\"2024-03-11T00:00:00Z\",\"dims\":{},\"value\":1}",
	    "not a point: 'start' and 'end' are both null or both times" },
	{ "{\"metric\":\"m\"," W10 ",\"value\":1}", "not a point: no 'dims'" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":[],\"value\":1}",
	    "not a point: bad 'dims'" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":{}}", "not a point: no 'value'" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":{},\"value\":\"1\"}",
	    "bad point: 'value' is not a number" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":{},\"value\":1,\"prev\":true}",
	    "bad point: 'prev' is not a number" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":{},\"value\":1,\"prev\":1,"
	    "\"change\":0,\"pct_change\":0,\"pp_change\":\"x\"}",
	    "bad point: 'pp_change' is not a number" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":{},\"value\":1,\"format\":1}",
	    "bad point: bad 'format'" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":{},\"value\":1,"
	    "\"format\":\"euros\"}", "bad point: format 'euros'" },
	{ "{\"metric\":\"m\"," W10 ",\"dims\":{},\"value\":1,"
	    "\"direction\":\"down\"}",
	    "bad point: direction is 'higher' or 'lower'" },
};

static void
test_bad(void)
{
	struct kpi_rec r;
	struct kpi_point p;
	struct kpi_err err;
	size_t i;

	kpi_rec_init(&r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(read_point(&r, &p, bad[i].json, &err) == -1, "%s",
		    bad[i].json);
		CHECK_STR(err.msg, bad[i].msg, bad[i].json);
	}
	kpi_rec_release(&r);
}

int
main(void)
{
	test_round_trip();
	test_fields();
	test_bad();
	return unit_done();
}
