/*
 * exact_test.c - the exact sums under sum, mean and stddev: 512-bit
 * decimal text both ways, which doubles are decimal-like, sums that do not
 * depend on order or split, and the sample standard deviation.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "aggregate/exact.h"
#include "unit.h"

/* Decimal text that reads back as the same text (or is refused). */
static const struct {
	const char *s;
	size_t maxdig;
	int ok;
} dec_cases[] = {
	{ "0", 48, 1 },
	{ "-1", 48, 1 },
	{ "123456789012345678901234567890", 48, 1 },
	{ "-999999999999999999999999999999999999999999999999", 48, 1 },
	{ "1000000000000000000000000000000000000000000000000", 48, 0 },
	{ "", 48, 0 },
	{ "-", 48, 0 },
	{ "12a", 48, 0 },
	{ "+1", 48, 0 },
	{ "1.5", 48, 0 },
};

static void
test_dec(void)
{
	struct big a;
	char t[BIGDIG + 2];
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(dec_cases) / sizeof(dec_cases[0]); i++) {
		n = strlen(dec_cases[i].s);
		rc = big_from_dec(&a, dec_cases[i].s, n, dec_cases[i].maxdig);
		CHECK((rc == 0) == dec_cases[i].ok, "'%s': rc %d",
		    dec_cases[i].s, rc);
		if (rc != 0)
			continue;
		CHECK(big_to_dec(&a, t) == n, "'%s' length", dec_cases[i].s);
		CHECK_STR(t, dec_cases[i].s, "decimal round trip");
		CHECK(big_isneg(&a) == (dec_cases[i].s[0] == '-'), "'%s' sign",
		    dec_cases[i].s);
	}
}

/* Which doubles are decimal-like, and the multiple of 10^-6 each is. */
static const struct {
	double x;
	const char *k;		/* NULL: not decimal-like */
} fixed_cases[] = {
	{ 0, "0" },
	{ 0.1, "100000" },
	{ -12.34, "-12340000" },
	{ 0.000001, "1" },
	{ 1e-7, NULL },
	{ 1.0 / 3, NULL },
	{ 4294967296.5, "4294967296500000" },		/* the text path */
	{ 1e20, "100000000000000000000000000" },
	{ 1e21, NULL },
	{ 1e300, NULL },
};

static void
test_fixed(void)
{
	struct big k;
	char t[BIGDIG + 2];
	size_t i;
	int ok;

	for (i = 0; i < sizeof(fixed_cases) / sizeof(fixed_cases[0]); i++) {
		ok = to_fixed(fixed_cases[i].x, &k);
		CHECK(ok == (fixed_cases[i].k != NULL), "%.17g: %d",
		    fixed_cases[i].x, ok);
		if (!ok || fixed_cases[i].k == NULL)
			continue;
		big_to_dec(&k, t);
		CHECK_STR(t, fixed_cases[i].k, "to_fixed");
	}
}

static void
test_sum(void)
{
	struct exact a, b, all;
	double x;
	int i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < 10; i++)
		exact_add(&a, 0.1, 0);
	CHECK(exact_sum(&a) == 1, "0.1 ten times: %.17g", exact_sum(&a));

	/* The same values split two ways and merged give the same bits. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&all, 0, sizeof(all));
	for (i = 0; i < 1000; i++) {
		x = ((i % 7) * 101 - (i % 3) * 37) / 100.0;
		exact_add(&all, x, 1);
		exact_add(i % 2 ? &a : &b, x, 1);
	}
	exact_merge(&b, &a, 1);
	CHECK(exact_sum(&b) == exact_sum(&all), "merged %.17g, serial %.17g",
	    exact_sum(&b), exact_sum(&all));
	CHECK(exact_stddev(&b, &x) == 1, "stddev of 1000");

	/* A third is not decimal-like: kept beside the integer. */
	memset(&a, 0, sizeof(a));
	exact_add(&a, 1.0 / 3, 0);
	exact_add(&a, 1, 0);
	CHECK(a.n == 1 && a.nf == 1, "n %lld nf %lld", a.n, a.nf);
	CHECK(fabs(exact_sum(&a) - 4.0 / 3) < 1e-15, "%.17g", exact_sum(&a));
}

/*
 * A sum adds its values two words at a time, stopping at the carry; a
 * stddev adds them as whole bigs: the sums' words must agree, through
 * carries up many words and back down, positive and negative.
 */
static void
test_carry(void)
{
	static const double v[] = {
		4294.967295, 4294.967295, 1, -1, -4294.967295, 0.000001,
		-0.000001, -4294.967296, -4294.967296, -4294.967296, 0.5,
		4294967295.0, -4294967295.0, 4294967.295, -3.25, 7,
	};
	struct exact s, q;
	size_t i, k;

	memset(&s, 0, sizeof(s));
	memset(&q, 0, sizeof(q));
	for (k = 0; k < 3000; k++)
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			/* Far into the negative, then back up past 0. */
			exact_add(&s, k < 1000 ? -fabs(v[i]) : fabs(v[i]), 0);
			exact_add(&q, k < 1000 ? -fabs(v[i]) : fabs(v[i]), 1);
			CHECK(memcmp(&s.k, &q.k, sizeof(s.k)) == 0 &&
			    s.n == q.n && s.nf == q.nf, "sum words differ at "
			    "%zu, %zu", k, i);
		}
	CHECK(exact_sum(&s) == exact_sum(&q), "%.17g %.17g", exact_sum(&s),
	    exact_sum(&q));
}

static void
test_stddev(void)
{
	static const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct exact ex;
	double sd;
	size_t i;

	memset(&ex, 0, sizeof(ex));
	CHECK(exact_stddev(&ex, &sd) == 0, "stddev of none");
	exact_add(&ex, 2, 1);
	CHECK(exact_stddev(&ex, &sd) == 0, "stddev of one");
	memset(&ex, 0, sizeof(ex));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		exact_add(&ex, v[i], 1);
	/* Sum of squared deviations 32 over 7. */
	CHECK(exact_stddev(&ex, &sd) == 1 && sd == sqrt(32.0 / 7), "%.17g",
	    sd);
	/* One value that is not decimal-like joins by Chan's formula. */
	exact_add(&ex, 1.0 / 3, 1);
	CHECK(exact_stddev(&ex, &sd) == 1 && sd > 2 && sd < 3, "%.17g", sd);
}

int
main(void)
{
	test_dec();
	test_fixed();
	test_sum();
	test_carry();
	test_stddev();
	return unit_done();
}
