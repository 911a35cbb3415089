/*
 * show.c - values as people read them: thousands separators, money in its
 * currency, percents from fractions, and no float noise; the formats a
 * catalogue gives a metric.  kpi-render shows every value with it, and
 * kpi-goal its --check lines.
 *
 * A double that came out of a sum of money is rarely the decimal people
 * think of: 32.175 is stored as 32.17499999999999715783, and a sum may give
 * 32.175000000000004.  Both are meant as 32.175, so values are first read
 * at 15 significant digits (all a double holds faithfully) and only then
 * rounded, half away from zero, on the decimal digits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/value.h"

static const char *const mformat_names[] = { "number", "money", "percent" };

int
kpi_mformat_parse(const char *name, enum kpi_mformat *fmt)
{
	size_t i;

	for (i = 0; i < sizeof(mformat_names) / sizeof(mformat_names[0]); i++)
		if (strcmp(name, mformat_names[i]) == 0) {
			*fmt = (enum kpi_mformat)i;
			return 0;
		}
	return -1;
}

const char *
kpi_mformat_name(enum kpi_mformat fmt)
{
	return mformat_names[fmt];
}

/*
 * The digits of |v| rounded to places decimals, into digits[] (room for
 * 64) without a point, *intlen of them before it.  Returns their number.
 */
static size_t
round_digits(double v, int places, char *digits, size_t *intlen)
{
	char tmp[40], sig[20];
	int exp, i, n = 0, point, len, carry;

	snprintf(tmp, sizeof(tmp), "%.14e", fabs(v));
	for (i = 0; tmp[i] && tmp[i] != 'e'; i++)
		if (tmp[i] != '.')
			sig[n++] = tmp[i];
	exp = atoi(tmp + i + 1);
	/* The exact decimal 0.sig x 10^(exp+1), one lead zero for the carry,
	   as digits from 10^point down to 10^-(places+1). */
	point = exp + 1 > 1 ? exp + 1 : 1;
	len = 1 + point + places + 1;
	for (i = 0; i < len; i++) {
		/* digit i stands for 10^(point - i); sig[k] for 10^(exp - k) */
		int k = exp - (point - i);

		digits[i] = k >= 0 && k < n ? sig[k] : '0';
	}
	carry = digits[len - 1] >= '5';
	len--;
	for (i = len - 1; carry && i >= 0; i--) {
		if (digits[i] == '9')
			digits[i] = '0';
		else {
			digits[i]++;
			carry = 0;
		}
	}
	*intlen = (size_t)point + 1;
	return (size_t)len;
}

void
kpi_fmt_decimal(struct kpi_buf *b, double v, int places, int fixed)
{
	char digits[64];
	size_t len, intlen, i, skip = 0, start;
	int neg = v < 0, zero = 1;

	if (!isfinite(v) || fabs(v) >= 1e21) {
		kpi_buf_addf(b, "%.15g", v);
		return;
	}
	len = round_digits(v, places, digits, &intlen);
	while (skip + 1 < intlen && digits[skip] == '0')
		skip++;
	for (i = skip; i < len; i++)
		if (digits[i] != '0')
			zero = 0;
	if (!fixed)
		while (len > intlen && digits[len - 1] == '0')
			len--;
	if (neg && !zero)
		kpi_buf_addc(b, '-');
	start = b->len;
	for (i = skip; i < intlen; i++) {
		if (b->len > start && (intlen - i) % 3 == 0)
			kpi_buf_addc(b, ',');
		kpi_buf_addc(b, digits[i]);
	}
	if (len > intlen) {
		kpi_buf_addc(b, '.');
		kpi_buf_add(b, digits + intlen, len - intlen);
	}
}

static const struct {
	const char *code, *sym;
} currencies[] = {
	{ "GBP", "£" }, { "USD", "$" }, { "EUR", "€" }
};

/* ISO 4217's currencies whose minor unit is not a hundredth. */
static const struct {
	char code[4];
	int places;
} minor[] = {
	{ "BHD", 3 }, { "BIF", 0 }, { "CLF", 4 }, { "CLP", 0 }, { "DJF", 0 },
	{ "GNF", 0 }, { "IQD", 3 }, { "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 },
	{ "KMF", 0 }, { "KRW", 0 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 },
	{ "PYG", 0 }, { "RWF", 0 }, { "TND", 3 }, { "UGX", 0 }, { "UYI", 0 },
	{ "UYW", 4 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 },
	{ "XPF", 0 }
};

int
kpi_currency_places(const char *code, size_t n)
{
	size_t i;

	if (code == NULL || n != 3)
		return 2;
	for (i = 0; i < sizeof(minor) / sizeof(minor[0]); i++)
		if (memcmp(code, minor[i].code, 3) == 0)
			return minor[i].places;
	return 2;
}

void
kpi_fmt_value(struct kpi_buf *b, double v, enum kpi_mformat fmt,
    const char *unit, size_t ulen)
{
	size_t i;

	switch (fmt) {
	case KPI_MFMT_PERCENT:
		kpi_fmt_decimal(b, v * 100, 2, 0);
		kpi_buf_addc(b, '%');
		return;
	case KPI_MFMT_MONEY:
		for (i = 0; unit && i < 3; i++)
			if (ulen == 3 && memcmp(unit, currencies[i].code, 3) == 0)
				break;
		if (unit && i < 3) {
			if (v < 0 && fabs(v) >= 0.005)
				kpi_buf_addc(b, '-');
			kpi_buf_adds(b, currencies[i].sym);
			kpi_fmt_decimal(b, fabs(v), 2, 1);
			return;
		}
		/* In the currency's minor unit: 1,576 JPY, 12.345 KWD. */
		kpi_fmt_decimal(b, v, kpi_currency_places(unit, unit ? ulen : 0),
		    1);
		break;
	case KPI_MFMT_NUMBER:
		kpi_fmt_decimal(b, v, 2, 0);
		break;
	}
	if (unit && ulen) {
		kpi_buf_addc(b, ' ');
		kpi_buf_add(b, unit, ulen);
	}
}

void
kpi_fmt_change(struct kpi_buf *b, double v, int pp)
{
	double shown = pp ? v : v * 100;

	if (shown >= 0.05)
		kpi_buf_addc(b, '+');
	kpi_fmt_decimal(b, shown, 1, 0);
	kpi_buf_adds(b, pp ? " pp" : "%");
}
