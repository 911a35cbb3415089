/*
 * --set fields of the normaliser (set.c): private to lib/normalize.
 */
#ifndef KPI_NORMALIZE_SET_H
#define KPI_NORMALIZE_SET_H

/* The --set fields; the arguments borrowed from kpi_norm_opts. */
struct norm_sets {
	const struct kpi_set_arg *a;	/* borrowed */
	long *part;			/* per field: its _src part, 0 for a
					   constant; owned */
	size_t n;
};

/*
 * Checks the n arguments against spec sp (a name a spec field has, or
 * starting with '_', or given twice; a bad {src:N}) and sets s up.
 * Returns 0, or -1 with err set.
 */
int norm_sets_init(struct norm_sets *s, const struct kpi_spec *sp,
    const struct kpi_set_arg *a, size_t n, struct kpi_err *err);
void norm_sets_release(struct norm_sets *s);

/* Whether a --set field is called key: --keep leaves such a column out. */
int norm_sets_has(const struct norm_sets *s, const char *key, size_t klen);

/*
 * Appends the fields to out, from the row's _src (src; NULL when it has
 * none): a part _src does not have is null.  Parts are copied to out's
 * arena; constants borrowed from the arguments.
 */
void norm_sets_put(const struct norm_sets *s, const struct kpi_val *src,
    struct kpi_rec *out);

/*
 * Mixes the row's {src:N} parts of src (its _src) into its key k, so that
 * the same key under two clients' paths is no duplicate.
 */
void norm_sets_key(const struct norm_sets *s, const char *src, size_t slen,
    struct kpi_key *k);

#endif
