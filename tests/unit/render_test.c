/*
 * render_test.c - numbers for people (lib/render/format.c) and the escapes
 * of the report formats (lib/render/escape.c).
 */
#include <string.h>

#include "kpi.h"
#include "unit.h"

static const struct {
	double v;
	enum kpi_mformat fmt;
	const char *unit;
	const char *want;
} value_cases[] = {
	/* float noise goes, and halves round away from zero */
	{ 32.175000000000004, KPI_MFMT_NUMBER, NULL, "32.18" },
	{ 32.175, KPI_MFMT_NUMBER, NULL, "32.18" },
	{ 0.1 + 0.2, KPI_MFMT_NUMBER, NULL, "0.3" },
	{ -2.675, KPI_MFMT_NUMBER, NULL, "-2.68" },
	{ 1.005, KPI_MFMT_NUMBER, NULL, "1.01" },
	{ 0.004, KPI_MFMT_NUMBER, NULL, "0" },
	{ -0.004, KPI_MFMT_NUMBER, NULL, "0" },
	{ 0.006, KPI_MFMT_NUMBER, NULL, "0.01" },
	{ 0.096, KPI_MFMT_NUMBER, NULL, "0.1" },
	{ 0.995, KPI_MFMT_NUMBER, NULL, "1" },
	{ 999.995, KPI_MFMT_NUMBER, NULL, "1,000" },
	/* thousands */
	{ 0, KPI_MFMT_NUMBER, NULL, "0" },
	{ 1234.5, KPI_MFMT_NUMBER, NULL, "1,234.5" },
	{ 123, KPI_MFMT_NUMBER, NULL, "123" },
	{ 1234567.891, KPI_MFMT_NUMBER, NULL, "1,234,567.89" },
	{ -1234567, KPI_MFMT_NUMBER, NULL, "-1,234,567" },
	{ 100000, KPI_MFMT_NUMBER, NULL, "100,000" },
	{ 1e20, KPI_MFMT_NUMBER, NULL, "100,000,000,000,000,000,000" },
	{ 48210, KPI_MFMT_NUMBER, "visits", "48,210 visits" },
	/* money */
	{ 12932.175, KPI_MFMT_MONEY, "GBP", "£12,932.18" },
	{ 1.1, KPI_MFMT_MONEY, "USD", "$1.10" },
	{ -5, KPI_MFMT_MONEY, "EUR", "-€5.00" },
	{ -0.001, KPI_MFMT_MONEY, "EUR", "€0.00" },
	/* in the currency's minor unit: a yen has none, a dinar 1000 fils */
	{ -1500, KPI_MFMT_MONEY, "JPY", "-1,500 JPY" },
	{ 1576.5, KPI_MFMT_MONEY, "JPY", "1,577 JPY" },
	{ 12.3456, KPI_MFMT_MONEY, "KWD", "12.346 KWD" },
	{ 3.5, KPI_MFMT_MONEY, "CHF", "3.50 CHF" },
	{ 7, KPI_MFMT_MONEY, NULL, "7.00" },
	/* percent from fractions */
	{ 0.018, KPI_MFMT_PERCENT, NULL, "1.8%" },
	{ 0.5, KPI_MFMT_PERCENT, NULL, "50%" },
	{ 0.123456, KPI_MFMT_PERCENT, NULL, "12.35%" },
	{ 1.25, KPI_MFMT_PERCENT, NULL, "125%" },
	{ -0.0005, KPI_MFMT_PERCENT, NULL, "-0.05%" },
};

static const struct {
	double v;
	int pp;
	const char *want;
} change_cases[] = {
	{ 0.09594703389830509, 0, "+9.6%" },
	{ -0.16666666666666666, 0, "-16.7%" },
	{ 0, 0, "0%" },
	{ -0.3, 1, "-0.3 pp" },
	{ 0.4, 1, "+0.4 pp" },
	{ 12.5, 0, "+1,250%" },
};

static const struct {
	const char *in;
	int kind;		/* 0 html, 1 xml, 2 csv, 3 tsv, 4 prom, 5 name, 6 md */
	const char *want;
} esc_cases[] = {
	{ "<b>a & \"b\" 'c'</b>", 0, "&lt;b&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/b&gt;" },
	{ "Köln 東京", 0, "Köln 東京" },
	{ "a\x01" "b<", 1, "a\xEF\xBF\xBD" "b&lt;" },
	{ "tab\tok", 1, "tab\tok" },
	{ "plain", 2, "plain" },
	{ "a,b", 2, "\"a,b\"" },
	{ "say \"hi\"", 2, "\"say \"\"hi\"\"\"" },
	{ "two\nlines", 2, "\"two\nlines\"" },
	{ "a,b", 3, "a,b" },
	{ "a\tb", 3, "\"a\tb\"" },
	{ "a\\b \"c\"\nd", 4, "a\\\\b \\\"c\\\"\\nd" },
	{ "Köln", 4, "Köln" },
	{ "cart-rate.7d", 5, "cart_rate_7d" },
	{ "a|b <i>_x_</i>", 6, "a\\|b &lt;i&gt;\\_x\\_&lt;/i&gt;" },
};

static void
check_values(void)
{
	struct kpi_buf b;
	size_t i;

	kpi_buf_init(&b);
	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++) {
		kpi_buf_reset(&b);
		kpi_fmt_value(&b, value_cases[i].v, value_cases[i].fmt,
		    value_cases[i].unit, value_cases[i].unit ?
		    strlen(value_cases[i].unit) : 0);
		CHECK_STR(b.p, value_cases[i].want, "kpi_fmt_value");
	}
	for (i = 0; i < sizeof(change_cases) / sizeof(change_cases[0]); i++) {
		kpi_buf_reset(&b);
		kpi_fmt_change(&b, change_cases[i].v, change_cases[i].pp);
		CHECK_STR(b.p, change_cases[i].want, "kpi_fmt_change");
	}
	kpi_buf_release(&b);
}

static void
check_escapes(void)
{
	struct kpi_buf b;
	const char *s;
	size_t i, n;

	kpi_buf_init(&b);
	for (i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		kpi_buf_reset(&b);
		kpi_buf_adds(&b, "");
		s = esc_cases[i].in;
		n = strlen(s);
		switch (esc_cases[i].kind) {
		case 0: kpi_esc_html(&b, s, n); break;
		case 1: kpi_esc_xml(&b, s, n); break;
		case 2: kpi_esc_csv(&b, s, n, ','); break;
		case 3: kpi_esc_csv(&b, s, n, '\t'); break;
		case 4: kpi_esc_prom(&b, s, n); break;
		case 5: kpi_prom_name(&b, s, n); break;
		default: kpi_esc_md(&b, s, n); break;
		}
		CHECK_STR(b.p, esc_cases[i].want, s);
	}
	kpi_buf_release(&b);
}

int
main(void)
{
	check_values();
	check_escapes();
	return unit_done();
}
