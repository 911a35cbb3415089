/*
 * spec.h - the compiled mapping spec, shared by spec.c (which builds it)
 * and norm.c (which applies it).  Not part of the public API.
 */
#ifndef KPI_SPEC_H
#define KPI_SPEC_H

#include "normalize/normalize.h"

enum spec_type {
	SPEC_T_STRING, SPEC_T_INTEGER, SPEC_T_NUMBER, SPEC_T_MONEY,
	SPEC_T_PERCENT, SPEC_T_BOOLEAN, SPEC_T_TIME, SPEC_T_DATE,
	SPEC_T_CONST, SPEC_T_HEADER, SPEC_T_CHANNEL, SPEC_T_DURATION
};

enum spec_fold {
	SPEC_F_FIRST, SPEC_F_SUM, SPEC_F_LAST, SPEC_F_MAX, SPEC_F_MIN,
	SPEC_F_COUNT
};

enum drop_kind { SPEC_D_IN, SPEC_D_PREFIX, SPEC_D_EMPTY, SPEC_D_MISSING };

/* A list of strings, each with its length; all owned. */
struct strlist {
	char **s;
	size_t *len;
	size_t n;
};

struct spec_field {
	char *name;			/* output key; owned */
	size_t nlen;
	unsigned char nclean;		/* name needs no JSON escaping */
	struct strlist from;		/* candidate source columns */
	enum spec_type type;
	struct kpi_timefmt **fmts;	/* time, date; owned */
	size_t nfmts;
	int decimal;			/* '.' or ',' */
	struct strlist nulls;		/* extra null markers */
	struct strlist trues, falses;	/* extra boolean words */
	double scale;			/* 1 unless given */
	int apostrophe;			/* strip one leading "'" (strings) */
	int lower;			/* lowercase (strings) */
	int upper;			/* uppercase (strings) */
	char *carry;			/* null: the last row's value when this
					   column is the same; owned */
	char *hpre, *hsuf;		/* a header type: "Amount spent (" and ")"
					   around XXX; owned */
	int required;			/* no column: the spec does not fit */
	enum spec_fold fold;
	long currency_field;		/* index of the currency field, or -1 */
	char *interval_col;		/* "monthly": columns, or NULL; owned */
	char *count_col;
	char *qty_col;
	struct kpi_val cval;		/* SPEC_T_CONST: the value */
	char *ctext;			/* its text; owned */
	struct strlist minus;		/* columns subtracted (numeric types) */
	/* SPEC_T_CHANNEL: columns of the source, medium, campaign and of
	   notes holding utm_* keys; the channel when nothing says. */
	struct strlist ch_source, ch_medium, ch_campaign, ch_utm;
	char *dflt;			/* owned; or NULL */
	long ref;			/* "lookup": its spec_ref, or -1 */
	size_t refcol;			/* the value column's index there */
	int ref_required;		/* a row whose lookup misses is rejected */
	long times;			/* "times": the factor's field, or -1 */
	long since, until;		/* SPEC_T_DURATION: "between" fields */
	double unit;			/* seconds in its "unit" */
};

/* A condition on an output field, of a "void" rule. */
enum cond_kind { SPEC_C_IN, SPEC_C_NULL, SPEC_C_SET, SPEC_C_BELOW };

struct spec_cond {
	size_t field;			/* index into the fields */
	enum cond_kind kind;
	struct strlist vals;		/* SPEC_C_IN */
	double num;			/* SPEC_C_BELOW */
};

/* A "void" rule: when any condition holds, the fields are null. */
#define KPI_SPEC_MAXVOID 64
struct spec_void {
	struct spec_cond *vif;		/* owned */
	size_t nvif;
	size_t *vfields;		/* owned */
	size_t nvfields;
};

/*
 * A reference of "lookup" fields: the fields that give it the same name
 * share it, so one file is read once for all the columns they take.
 */
struct spec_ref {
	char *name;			/* --lookup NAME=FILE; owned */
	char *file;			/* as the spec gives it, or NULL; owned */
	char *key;			/* the reference's key column; owned */
	struct strlist values;		/* its value columns, one per field */
};

struct spec_drop {
	char *field;			/* NULL: any field (prefix only); owned */
	enum drop_kind kind;
	struct strlist vals;		/* "in" values, or the one prefix */
};

struct kpi_spec {
	char *dataset;			/* owned */
	char *tz;			/* owned; "UTC" by default */
	struct spec_field *f;		/* owned */
	size_t nf;
	struct spec_drop *drop;		/* owned */
	size_t ndrop;
	char *fold_key;			/* owned; or NULL */
	size_t *key;			/* the key's fields, by index; owned */
	size_t nkey;			/* 0: no key, no duplicates */
	struct strlist require;		/* columns every kept row must have */
	long time_field;		/* the field named "time", or -1 */
	struct spec_void *voids;	/* owned */
	size_t nvoids;
	struct spec_ref *ref;		/* owned */
	size_t nref;
	char *dir;			/* the spec file's folder, for a lookup's
					   relative "file"; or NULL; owned */
};

/* ---- references (lookup.c) ---- */

/* One key of a reference: where it is and what it is. */
struct lookup_entry {
	const char *key;		/* in the table's arena */
	size_t klen;
	unsigned long line;		/* its row's line in the file */
};

/*
 * A reference read whole: its entries, their values (ref->values.n a
 * key, as read, until kpi_norm_new types them by their fields) and a hash
 * of the keys (open addressing, at most half full; entry + 1, 0 empty).
 */
struct lookup_table {
	const struct spec_ref *ref;	/* borrowed from the spec */
	char *path;			/* the file, as given; owned */
	struct lookup_entry *e;		/* owned */
	size_t n, cap;
	struct kpi_val *val;		/* n * ref->values.n; owned */
	uint32_t *tab;			/* owned */
	size_t tcap;
	struct kpi_arena mem;		/* keys and value texts */
	const struct kpi_field **vf;	/* a row's value columns; scratch */
};

/*
 * Reads the reference ref (borrowed for the table's life) from path.
 * Returns NULL with err set when it cannot be read, a row lacks the key
 * column, or a key comes again with other values.  Caller frees.
 */
struct lookup_table *lookup_load(const struct spec_ref *ref, const char *path,
    const struct kpi_warn *warn, struct kpi_err *err);

/* The entry of key[0..len), or -1. */
long lookup_find(const struct lookup_table *t, const char *key, size_t len);

void lookup_free(struct lookup_table *t);

#endif
