/*
 * keys_test.c - the keys of kpi-normalize's dedup (normalize/keys.h): what
 * makes two keys one, the set's first-source rule, growth past many
 * thousands of keys, and keys forgotten when their entity was never
 * written.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kpi.h"
#include "normalize/keys.h"
#include "unit.h"

static struct kpi_val
str(const char *s)
{
	struct kpi_val v = { KPI_STR, s, strlen(s), 0, 1 };

	return v;
}

static struct kpi_val
num(double d)
{
	struct kpi_val v = { KPI_NUM, NULL, 0, d, 0 };

	return v;
}

static const struct kpi_val null = { KPI_NULL, NULL, 0, 0, 0 };

/* The key of two values. */
static struct kpi_key
key2(struct kpi_val a, struct kpi_val b)
{
	struct kpi_val v[2] = { a, b };
	static const size_t idx[2] = { 0, 1 };
	struct kpi_key k;

	kpi_key_of(v, idx, 2, &k);
	return k;
}

static int
same(struct kpi_key x, struct kpi_key y)
{
	return x.a == y.a && x.b == y.b;
}

static void
test_key_of(void)
{
	static const size_t idx[2] = { 0, 1 };
	struct kpi_val v[2] = { { KPI_NULL, NULL, 0, 0, 0 },
	    { KPI_NULL, NULL, 0, 0, 0 } };
	struct kpi_key k;

	CHECK(same(key2(str("ab"), str("c")), key2(str("ab"), str("c"))),
	    "one key, one hash");
	CHECK(!same(key2(str("ab"), str("c")), key2(str("a"), str("bc"))),
	    "\"ab\",\"c\" is not \"a\",\"bc\"");
	CHECK(!same(key2(str(""), str("x")), key2(null, str("x"))),
	    "\"\" is not null");
	CHECK(!same(key2(num(1), str("x")), key2(str("1"), str("x"))),
	    "1 is not \"1\"");
	CHECK(!same(key2(num(1), null), key2(num(2), null)), "1 is not 2");
	CHECK(!same(key2(str("x"), null), key2(null, str("x"))),
	    "the order of the fields counts");
	CHECK(kpi_key_of(v, idx, 2, &k) == -1, "all null: no key");
	v[1] = str("x");
	CHECK(kpi_key_of(v, idx, 2, &k) == 0 && k.a != 0,
	    "one value: a key, never 0");
}

static void
test_sources(void)
{
	struct kpi_keys s;
	struct kpi_key k = key2(str("#1001"), null);
	struct kpi_key o = key2(str("#1002"), null);

	kpi_keys_init(&s);
	CHECK(kpi_keys_find(&s, &k) == 0, "an empty set has no key");
	CHECK(kpi_keys_add(&s, &k, 1) == 0, "a new key");
	CHECK(kpi_keys_find(&s, &k) == 1, "source 1 had it");
	CHECK(kpi_keys_find(&s, &o) == 0, "another key is not there");
	CHECK(kpi_keys_add(&s, &k, 2) == 1, "source 1 had it before");
	CHECK(kpi_keys_find(&s, &k) == 1, "the first source keeps it");
	kpi_keys_forget(&s, &k, 2);
	CHECK(kpi_keys_find(&s, &k) == 1, "only its own source forgets it");
	kpi_keys_forget(&s, &k, 1);
	CHECK(kpi_keys_find(&s, &k) == 0, "forgotten");
	CHECK(kpi_keys_add(&s, &k, 3) == 0, "a forgotten key is new again");
	CHECK(kpi_keys_find(&s, &k) == 3, "and source 3's");
	kpi_keys_forget(&s, &o, 1);
	CHECK(kpi_keys_find(&s, &o) == 0, "forgetting an absent key: nothing");
	kpi_keys_release(&s);
}

/* Many keys: every one found with its source after the table grew. */
static void
test_growth(void)
{
	enum { N = 200000 };
	struct kpi_keys s;
	struct kpi_key k;
	char id[32];
	int i, bad = 0, absent = 0;

	kpi_keys_init(&s);
	for (i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "#%d", i);
		k = key2(str(id), num(i % 7));
		kpi_keys_add(&s, &k, (uint32_t)(i % 5 + 1));
	}
	CHECK(s.n == N, "%zu keys held, %d added", s.n, N);
	CHECK(s.n * 4 <= s.cap * 3, "at most three quarters full: %zu of %zu",
	    s.n, s.cap);
	for (i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "#%d", i);
		k = key2(str(id), num(i % 7));
		bad += kpi_keys_find(&s, &k) != (uint32_t)(i % 5 + 1);
		k = key2(str(id), num(i % 7 + 1));
		absent += kpi_keys_find(&s, &k) != 0;
	}
	CHECK(bad == 0, "%d keys lost or with the wrong source", bad);
	CHECK(absent == 0, "%d keys never added were found", absent);
	kpi_keys_release(&s);
}

int
main(void)
{
	test_key_of();
	test_sources();
	test_growth();
	return unit_done();
}
