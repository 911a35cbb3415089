/*
 * keys.c - the set of keys written so far (keys.h): one hash a key, not
 * the key, so that a million orders cost a few tens of megabytes however
 * long their ids, and no row allocates.
 */
#include <stdlib.h>
#include <string.h>

#include "keys.h"

/* Two start states for kpi_hash: two hashes of one key, far apart. */
#define SEED_A	0x6b70692d6b657921ULL
#define SEED_B	0x9e3779b97f4a7c15ULL

int
kpi_key_of(const struct kpi_val *vals, const size_t *idx, size_t n,
    struct kpi_key *k)
{
	const struct kpi_val *v;
	const void *p;
	uint64_t a = SEED_A, b = SEED_B, tag, bits;
	size_t i, len;
	int any = 0;

	for (i = 0; i < n; i++) {
		v = &vals[idx[i]];
		p = v->s;
		len = v->len;
		if (v->type == KPI_NUM) {
			memcpy(&bits, &v->num, sizeof(bits));
			p = &bits;
			len = sizeof(bits);
		} else if (v->type != KPI_STR && v->type != KPI_RAW)
			len = 0;
		any |= v->type != KPI_NULL;
		/* The type and length start each value's hash. */
		tag = (uint64_t)len * 0x100000001b3ULL + (uint64_t)v->type + 1;
		a = kpi_hash(a ^ tag, p, len);
		b = kpi_hash(b ^ (tag << 17), p, len);
	}
	k->a = a ? a : 1;
	k->b = b;
	return any ? 0 : -1;
}

void
kpi_keys_init(struct kpi_keys *s)
{
	memset(s, 0, sizeof(*s));
}

void
kpi_keys_release(struct kpi_keys *s)
{
	free(s->slot);
	kpi_keys_init(s);
}

/* The slot of k: its own, or the empty one where it would go. */
static uint64_t *
slot_of(uint64_t *slot, size_t cap, const struct kpi_key *k)
{
	size_t mask = cap - 1, i;
	uint64_t *e;

	for (i = (size_t)k->a & mask;; i = (i + 1) & mask) {
		e = &slot[2 * i];
		if (e[0] == 0 || (e[0] == k->a &&
		    (e[1] >> 32) == (k->b >> 32)))
			return e;
	}
}

static void
grow(struct kpi_keys *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i;
	struct kpi_key k;
	uint64_t *slot, *e;

	slot = kpi_xmalloc(cap * 2 * sizeof(*slot));
	memset(slot, 0, cap * 2 * sizeof(*slot));
	for (i = 0; i < s->cap; i++) {
		if (s->slot[2 * i] == 0)
			continue;
		k.a = s->slot[2 * i];
		k.b = s->slot[2 * i + 1];
		e = slot_of(slot, cap, &k);
		e[0] = k.a;
		e[1] = k.b;
	}
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
}

uint32_t
kpi_keys_find(const struct kpi_keys *s, const struct kpi_key *k)
{
	if (s->cap == 0)
		return 0;
	return (uint32_t)slot_of(s->slot, s->cap, k)[1];
}

uint32_t
kpi_keys_add(struct kpi_keys *s, const struct kpi_key *k, uint32_t src)
{
	uint64_t *e;

	if ((s->n + 1) * 4 > s->cap * 3)
		grow(s);
	e = slot_of(s->slot, s->cap, k);
	if (e[0] == 0) {
		e[0] = k->a;
		s->n++;
	} else if ((uint32_t)e[1] != 0)
		return (uint32_t)e[1];	/* the first source keeps it */
	e[1] = (k->b & 0xffffffff00000000ULL) | src;
	return 0;
}

void
kpi_keys_forget(struct kpi_keys *s, const struct kpi_key *k, uint32_t src)
{
	uint64_t *e;

	if (s->cap == 0)
		return;
	e = slot_of(s->slot, s->cap, k);
	/* The slot stays, so that the keys placed after it are found. */
	if (e[0] != 0 && (uint32_t)e[1] == src)
		e[1] &= 0xffffffff00000000ULL;
}
