/*
 * keys.h - the keys kpi-normalize has written, to tell a copy of a row
 * from the row (spec "key"; kpi-normalize(1) DUPLICATES).  Shared by
 * keys.c, which keeps them, and norm.c, which asks.  Not part of the
 * public API.
 *
 * A key is the values of the spec's key fields; only a hash of it is
 * kept, 96 bits, with the number of the source whose row had it first, in
 * one 16-byte slot of an open-addressing table kept at most three quarters
 * full: 21 to 43 bytes a key, whatever its length.  Two keys that differ
 * share a hash with odds of about n^2 / 2^97 among n keys: 1 in 10^16 for
 * ten million.
 */
#ifndef KPI_KEYS_H
#define KPI_KEYS_H

#include <stdint.h>

#include "normalize/normalize.h"

/* A key's hash: a (never 0) places it; b's high 32 bits check it. */
struct kpi_key {
	uint64_t a, b;
};

/*
 * The key of the values vals[idx[0]], ..., vals[idx[n - 1]] into *k:
 * each value's type and bytes, so that "ab","c" and "a","bc", null and
 * "", 1 and "1" all differ.  Returns 0, or -1 (no key) when every value
 * is null.
 */
int kpi_key_of(const struct kpi_val *vals, const size_t *idx, size_t n,
    struct kpi_key *k);

/* A set of keys, each with the source that had it first. */
struct kpi_keys {
	uint64_t *slot;		/* 2 words a slot: a (0: empty), and b's
				   high half | source (0: forgotten); owned */
	size_t cap;		/* slots: a power of two, or 0 */
	size_t n;		/* slots in use */
};

void kpi_keys_init(struct kpi_keys *s);
void kpi_keys_release(struct kpi_keys *s);

/*
 * The source (not 0) that had key k first, or 0 when none has: the key is
 * new, or was forgotten.
 */
uint32_t kpi_keys_find(const struct kpi_keys *s, const struct kpi_key *k);

/*
 * Notes that source src (not 0) has key k, unless one had it before.
 * Returns the source that had it before, or 0 when it is new (or was
 * forgotten) and src's now: one look into the table for both.
 */
uint32_t kpi_keys_add(struct kpi_keys *s, const struct kpi_key *k,
    uint32_t src);

/*
 * Forgets key k, which source src added: its row was never written (an
 * entity cut short), so a later copy is no duplicate.
 */
void kpi_keys_forget(struct kpi_keys *s, const struct kpi_key *k,
    uint32_t src);

#endif /* KPI_KEYS_H */
