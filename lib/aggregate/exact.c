/*
 * exact.c - exact sums: 512-bit integers and sums of decimal-like values
 * (see the top of reduce.c for why).
 *
 * 512 bits hold every sum this file can build: k < 10^27 < 2^90 and fewer
 * than 2^63 values give |K| < 2^153 and Q < 2^243, and n * Q and K * K
 * (for stddev) stay below 2^320.  Loaded strings are held to the same
 * bounds, so no operation below can overflow.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/exact.h"

#define IS_DIGIT(c)	((unsigned int)((unsigned char)(c) - '0') < 10u)
#define FAST_MAX	4294967296.0	/* 2^32: see to_fixed */
#define SLOW_MAX	1e21

/* ---- 512-bit integers ---- */

static void
big_set_i64(struct big *a, long long v)
{
	uint64_t u = (uint64_t)v;
	uint32_t ext = v < 0 ? 0xffffffffU : 0;
	int i;

	a->w[0] = (uint32_t)u;
	a->w[1] = (uint32_t)(u >> 32);
	for (i = 2; i < BIGW; i++)
		a->w[i] = ext;
}

int
big_isneg(const struct big *a)
{
	return a->w[BIGW - 1] >> 31;
}

static int
big_iszero(const struct big *a)
{
	int i;

	for (i = 0; i < BIGW; i++)
		if (a->w[i] != 0)
			return 0;
	return 1;
}

static void
big_add(struct big *a, const struct big *b)
{
	uint64_t c = 0;
	int i;

	for (i = 0; i < BIGW; i++) {
		c += (uint64_t)a->w[i] + b->w[i];
		a->w[i] = (uint32_t)c;
		c >>= 32;
	}
}

/*
 * a += v: big_add of big_set_i64(v)'s words, stopping once the carry
 * leaves the words above as they are (0 into v's zeros, 1 into a
 * negative v's ones), as a sum's every value takes the first two words
 * or three.
 */
static void
big_add_i64(struct big *a, long long v)
{
	uint64_t u = (uint64_t)v, c, ext = v < 0 ? 0xffffffffU : 0;
	int i;

	c = (uint64_t)a->w[0] + (uint32_t)u;
	a->w[0] = (uint32_t)c;
	c = (c >> 32) + a->w[1] + (uint32_t)(u >> 32);
	a->w[1] = (uint32_t)c;
	c >>= 32;
	for (i = 2; i < BIGW && c != (ext & 1); i++) {
		c += a->w[i] + ext;
		a->w[i] = (uint32_t)c;
		c >>= 32;
	}
}

static void
big_neg(struct big *a)
{
	uint64_t c = 1;
	int i;

	for (i = 0; i < BIGW; i++) {
		c += (uint32_t)~a->w[i];
		a->w[i] = (uint32_t)c;
		c >>= 32;
	}
}

/*
 * r = a * b modulo 2^512, which is the signed product when it fits.  Zero
 * words of a are skipped: the callers pass small non-negative numbers.
 */
static void
big_mul(struct big *r, const struct big *a, const struct big *b)
{
	struct big t;
	uint64_t c;
	int i, j;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < BIGW; i++) {
		if (a->w[i] == 0)
			continue;
		c = 0;
		for (j = 0; i + j < BIGW; j++) {
			c += (uint64_t)a->w[i] * b->w[j] + t.w[i + j];
			t.w[i + j] = (uint32_t)c;
			c >>= 32;
		}
	}
	*r = t;
}

/* a = a * m + d, for a >= 0. */
static void
big_muladd(struct big *a, uint32_t m, uint32_t d)
{
	uint64_t c = d;
	int i;

	for (i = 0; i < BIGW; i++) {
		c += (uint64_t)a->w[i] * m;
		a->w[i] = (uint32_t)c;
		c >>= 32;
	}
}

/* a = a / d, for a >= 0; returns the remainder. */
static uint32_t
big_divmod(struct big *a, uint32_t d)
{
	uint64_t rem = 0;
	int i;

	for (i = BIGW - 1; i >= 0; i--) {
		rem = rem << 32 | a->w[i];
		a->w[i] = (uint32_t)(rem / d);
		rem %= d;
	}
	return (uint32_t)rem;
}

/* Writes a in decimal to t (BIGDIG + 2 bytes at least); returns the length. */
size_t
big_to_dec(const struct big *a, char *t)
{
	struct big m = *a;
	char rev[BIGDIG];
	size_t n = 0, len = 0;
	uint32_t r;
	int i;

	if (big_isneg(&m)) {
		big_neg(&m);
		t[len++] = '-';
	}
	do {
		r = big_divmod(&m, 1000000000);
		for (i = 0; i < 9; i++, r /= 10)
			rev[n++] = (char)('0' + r % 10);
	} while (!big_iszero(&m));
	while (n > 1 && rev[n - 1] == '0')
		n--;
	while (n > 0)
		t[len++] = rev[--n];
	t[len] = '\0';
	return len;
}

/* Reads "-123" with at most maxdig digits: 0, or -1. */
int
big_from_dec(struct big *a, const char *s, size_t n, size_t maxdig)
{
	size_t i = 0;
	int neg;

	neg = n > 0 && s[0] == '-';
	i = neg;
	if (i == n || n - i > maxdig)
		return -1;
	memset(a, 0, sizeof(*a));
	for (; i < n; i++) {
		if (!IS_DIGIT(s[i]))
			return -1;
		big_muladd(a, 10, (uint32_t)(s[i] - '0'));
	}
	if (neg)
		big_neg(a);
	return 0;
}

/* a / 10^scale, rounded once (strtod is correctly rounded). */
static double
big_to_double(const struct big *a, int scale)
{
	char t[BIGDIG + 16];
	size_t n;

	n = big_to_dec(a, t);
	snprintf(t + n, sizeof(t) - n, "e-%d", scale);
	return strtod(t, NULL);
}

/* ---- decimal-like values ---- */

/*
 * Reads x's shortest text, "12345678901.23" or "1.2345678901234568e+17",
 * as digits d times 10^e.  The text names the decimal x was read from, and
 * it is a function of x alone, as the split/merge exactness needs.
 */
static int
fixed_from_text(double x, struct big *k)
{
	struct kpi_buf b;
	const char *p;
	unsigned long long d = 0;
	long e = 0;
	int nd = 0, neg, ok = 0;

	kpi_buf_init(&b);
	kpi_json_put_num(&b, x);
	p = b.p;
	if ((neg = *p == '-'))
		p++;
	for (; IS_DIGIT(*p); p++, nd++)
		d = d * 10 + (unsigned)(*p - '0');
	if (*p == '.')
		for (p++; IS_DIGIT(*p); p++, nd++, e--)
			d = d * 10 + (unsigned)(*p - '0');
	if (*p == 'e' || *p == 'E')
		e += strtol(p + 1, (char **)&p, 10);
	if (*p == '\0' && nd > 0 && nd <= 18 && e >= -6 && e <= 21) {
		big_set_i64(k, (long long)d);
		for (e += 6; e > 0; e--)
			big_muladd(k, 10, 0);
		if (neg)
			big_neg(k);
		ok = 1;
	}
	kpi_buf_release(&b);
	return ok;
}

/*
 * to_fixed's first case, |x| below FAST_MAX: below 2^32, x * 10^6 is below
 * 2^52 and within 0.49 of k (0.24 from x's own rounding, 0.25 from the
 * product's), so rounding finds k, and k / 10^6 rounds back to x exactly
 * when x is that nearest double.
 */
static int
small_fixed(double x, long long *k)
{
	double d = nearbyint(x * 1e6);

	if (d / 1e6 != x)
		return 0;
	*k = (long long)d;
	return 1;
}

/* Whether x is the double nearest to some k / 10^6, setting *k if so. */
int
to_fixed(double x, struct big *k)
{
	long long v;

	if (fabs(x) < FAST_MAX) {
		if (!small_fixed(x, &v))
			return 0;
		big_set_i64(k, v);
		return 1;
	}
	if (fabs(x) >= SLOW_MAX)
		return 0;
	return fixed_from_text(x, k);
}

/* Neumaier's compensated addition of x to *s with compensation *c. */
static void
neumaier(double *s, double *c, double x)
{
	double t = *s + x;

	if (fabs(*s) >= fabs(x))
		*c += (*s - t) + x;
	else
		*c += (x - t) + *s;
	*s = t;
}

/* Chan et al.: folds (n2, mean2, m2_2) into (*n, *mean, *m2). */
static void
chan(double *n, double *mean, double *m2, double n2, double mean2,
    double m2_2)
{
	double tot = *n + n2, d = mean2 - *mean;

	if (n2 == 0)
		return;
	*m2 += m2_2 + d * d * (*n * n2 / tot);
	*mean += d * (n2 / tot);
	*n = tot;
}

void
exact_add(struct exact *ex, double x, int squares)
{
	struct big k, kk;
	long long v;
	double d;

	if (!squares && fabs(x) < FAST_MAX) {
		/* to_fixed's first case, added without a whole big. */
		if (small_fixed(x, &v)) {
			ex->n++;
			big_add_i64(&ex->k, v);
			return;
		}
	} else if (to_fixed(x, &k)) {
		ex->n++;
		big_add(&ex->k, &k);
		if (squares) {
			if (big_isneg(&k))
				big_neg(&k);
			big_mul(&kk, &k, &k);
			big_add(&ex->q, &kk);
		}
		return;
	}
	ex->nf++;
	if (!squares) {
		neumaier(&ex->a, &ex->b, x);
		return;
	}
	d = x - ex->a;
	ex->a += d / (double)ex->nf;
	ex->b += d * (x - ex->a);
}

void
exact_merge(struct exact *ex, const struct exact *o, int squares)
{
	double n;

	ex->n += o->n;
	big_add(&ex->k, &o->k);
	if (squares)
		big_add(&ex->q, &o->q);
	if (squares && o->nf > 0) {
		n = (double)ex->nf;
		chan(&n, &ex->a, &ex->b, (double)o->nf, o->a, o->b);
	} else if (o->nf > 0) {
		neumaier(&ex->a, &ex->b, o->a);
		neumaier(&ex->a, &ex->b, o->b);
	}
	ex->nf += o->nf;
}

/* The sum of all values, as a double. */
double
exact_sum(const struct exact *ex)
{
	double s, c = 0;

	s = big_to_double(&ex->k, 6);
	if (ex->nf > 0) {
		neumaier(&s, &c, ex->a);
		neumaier(&s, &c, ex->b);
		s += c;
	}
	return s;
}

/*
 * The sample standard deviation.  Of the decimal-like values, n * Q - K^2
 * is exact, so their variance is rounded only at the end; the others join
 * by Chan's formula.
 */
int
exact_stddev(const struct exact *ex, double *out)
{
	struct big nq, kk, k = ex->k;
	double n, mean, m2, var;

	if (ex->n + ex->nf < 2)
		return 0;
	big_set_i64(&nq, ex->n);
	big_mul(&nq, &nq, &ex->q);
	if (big_isneg(&k))
		big_neg(&k);
	big_mul(&kk, &k, &k);
	big_neg(&kk);
	big_add(&nq, &kk);
	n = (double)ex->n;
	if (ex->nf == 0)
		var = big_to_double(&nq, 12) / (n * (n - 1));
	else {
		mean = ex->n > 0 ? big_to_double(&ex->k, 6) / n : 0;
		m2 = ex->n > 0 ? big_to_double(&nq, 12) / n : 0;
		chan(&n, &mean, &m2, (double)ex->nf, ex->a, ex->b);
		var = m2 / (n - 1);
	}
	if (!(var >= 0) || !isfinite(var))
		return 0;
	*out = sqrt(var);
	return 1;
}
