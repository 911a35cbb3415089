/*
 * range_test.c - a report's range from its preamble lines
 * (lib/record/range.c): GA4's comments, Google Ads' title line.
 */
#include <string.h>

#include "kpi.h"
#include "record/readers.h"
#include "unit.h"

static const struct {
	const char *line;
	int comment;
	int set;		/* kpi_range_line's answer */
	const char *start, *end;	/* after the line, from empty; NULL: all */
} cases[] = {
	{ "# Start date: 20231208", 1, 1, "2023-12-08", "" },
	{ "# End date: 20240104", 1, 1, "", "2024-01-04" },
	{ "# Start date: 20230625,,,,,,,,,,", 1, 1, "2023-06-25", "" },
	{ "# End date: 20230702\r", 1, 1, "", "2023-07-02" },
	{ "# 20251001-20260228", 1, 1, "2025-10-01", "2026-02-28" },
	{ "# Start date: 20230230", 1, 0, "", "" },	/* no such day */
	{ "# Account: Example Shop", 1, 0, "", "" },
	{ "# All Users", 1, 0, "", "" },
	{ "# All time", 1, 0, "", "" },		/* only a title says it */
	{ "#1001,12.50", 1, 0, "", "" },
	{ "July 8, 2025 - July 31, 2025", 0, 1, "2025-07-08", "2025-07-31" },
	{ "November 1, 2023 - November 30, 2023", 0, 1, "2023-11-01",
	    "2023-11-30" },
	{ "January 17, 2024 - February 15, 2024", 0, 1, "2024-01-17",
	    "2024-02-15" },
	{ "1 May 2026 - 8 May 2026", 0, 1, "2026-05-01", "2026-05-08" },
	{ "1 Mar 2024 - 2 Mar 2024", 0, 1, "2024-03-01", "2024-03-02" },
	{ "Sept. 3, 2024 - Oct 2, 2024", 0, 1, "2024-09-03", "2024-10-02" },
	{ "\"July 8, 2025 - July 31, 2025\"", 0, 1, "2025-07-08",
	    "2025-07-31" },			/* raw, as --skip sees it */
	{ "1 May 2026 \xe2\x80\x93 8 May 2026", 0, 1, "2026-05-01",
	    "2026-05-08" },			/* an en dash */
	{ "2024-03-01 - 2024-03-31", 0, 1, "2024-03-01", "2024-03-31" },
	{ "All time", 0, 1, NULL, NULL },
	{ "all time ", 0, 1, NULL, NULL },
	{ "Campaign report", 0, 0, "", "" },
	{ "Search terms report", 0, 0, "", "" },
	{ "May 8, 2026 - May 1, 2026", 0, 0, "", "" },	/* backwards */
	{ "February 30, 2024 - March 2, 2024", 0, 0, "", "" },
	{ "1 Mai 2026 - 8 Mai 2026", 0, 0, "", "" },	/* German: not read */
	{ "July 8, 2025 - July 31, 2025 (compared)", 0, 0, "", "" },
};

int
main(void)
{
	struct kpi_range r;
	size_t i;
	int got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		got = kpi_range_line(&r, cases[i].line, strlen(cases[i].line),
		    cases[i].comment);
		CHECK(got == cases[i].set, "'%s': got %d", cases[i].line, got);
		if (cases[i].start == NULL) {
			CHECK(r.all && kpi_range_known(&r), "'%s': not all time",
			    cases[i].line);
			continue;
		}
		CHECK(!r.all, "'%s': all time", cases[i].line);
		CHECK_STR(r.start, cases[i].start, cases[i].line);
		CHECK_STR(r.end, cases[i].end, cases[i].line);
	}
	/* Both ends make a range; a later block's lines replace them. */
	memset(&r, 0, sizeof(r));
	kpi_range_line(&r, "# Start date: 20240301", 22, 1);
	CHECK(!kpi_range_known(&r), "a start alone is no range");
	kpi_range_line(&r, "# End date: 20240302", 20, 1);
	CHECK(kpi_range_known(&r), "start and end");
	kpi_range_line(&r, "All time", 8, 0);
	CHECK(r.all && kpi_range_known(&r), "all time after a range");
	kpi_range_line(&r, "1 May 2026 - 8 May 2026", 23, 0);
	CHECK(!r.all && strcmp(r.start, "2026-05-01") == 0,
	    "a range after all time");
	return unit_done();
}
