/*
 * input.c - the record input: every row of a list of paths, through their
 * sources (files, archives, members) and readers, as one stream.
 *
 * bsdcat's way: a path or member that cannot be read is told to the
 * caller's callback, remembered, and the next one read; the status comes
 * at the close.  The caller may also stop the current input (a spec that
 * does not fit it) and go on with the next.
 */
#include <stdlib.h>
#include <string.h>

#include "record/record.h"

struct kpi_rin {
	struct kpi_source_opts so;
	struct kpi_reader_opts ro;
	struct kpi_warn fail;
	char *const *paths;		/* borrowed */
	size_t npaths, next;		/* next: index of the next path */
	struct kpi_source *src;		/* owned; NULL between paths */
	struct kpi_input *in;		/* borrowed from src */
	struct kpi_reader *rd;		/* owned; NULL between inputs */
	unsigned long inputs;
	unsigned long failed;		/* failures told so far */
	unsigned long long bytes;	/* read from the inputs done */
	struct kpi_err err;		/* the failure being told */
};

struct kpi_rin *
kpi_rin_open(char *const *paths, size_t npaths,
    const struct kpi_source_opts *so, const struct kpi_reader_opts *ro,
    const struct kpi_warn *fail)
{
	static char *const stdin_only[] = { "-" };
	struct kpi_rin *ri = kpi_xmalloc(sizeof(*ri));

	memset(ri, 0, sizeof(*ri));
	ri->so = *so;
	ri->ro = *ro;
	ri->fail = *fail;
	ri->paths = npaths ? paths : stdin_only;
	ri->npaths = npaths ? npaths : 1;
	kpi_err_clear(&ri->err);
	return ri;
}

/* One input or path failed, as ri->err says: tell it and remember. */
static void
failed(struct kpi_rin *ri)
{
	ri->failed++;
	if (ri->fail.fn)
		ri->fail.fn(ri->fail.arg, &ri->err);
	kpi_err_clear(&ri->err);
}

void
kpi_rin_skip(struct kpi_rin *ri)
{
	kpi_reader_free(ri->rd);
	ri->rd = NULL;
}

/* Opens a reader on the next input; 0 when a path is done, else 1. */
static int
next_input(struct kpi_rin *ri)
{
	struct kpi_err *err = &ri->err;
	int r;

	if (ri->src == NULL) {
		if (ri->next == ri->npaths)
			return 0;
		ri->src = kpi_source_open(ri->paths[ri->next++], &ri->so, err);
		if (ri->src == NULL)
			failed(ri);
		return 1;
	}
	/* The input ends here: its bytes are counted before it goes. */
	if (ri->in != NULL)
		ri->bytes += kpi_input_bytes(ri->in);
	ri->in = NULL;
	r = kpi_source_next(ri->src, &ri->in, err);
	if (r == 1) {
		if ((ri->rd = kpi_reader_open(ri->in, &ri->ro, err)) == NULL)
			failed(ri);
		else
			ri->inputs++;
		return 1;
	}
	if (r < 0)
		failed(ri);
	kpi_source_free(ri->src);
	ri->src = NULL;
	ri->in = NULL;
	return 1;
}

int
kpi_rin_next(struct kpi_rin *ri, struct kpi_rec *rec)
{
	int r;

	for (;;) {
		if (ri->rd != NULL) {
			if ((r = kpi_reader_next(ri->rd, rec, &ri->err)) == 1)
				return 1;
			if (r < 0)
				failed(ri);
			kpi_rin_skip(ri);
		}
		if (next_input(ri) == 0)
			return 0;
	}
}

const char *
kpi_rin_name(const struct kpi_rin *ri)
{
	if (ri->in != NULL)
		return kpi_input_name(ri->in);
	if (ri->next > 0)
		return ri->paths[ri->next - 1];
	return "";
}

unsigned long
kpi_rin_inputs(const struct kpi_rin *ri)
{
	return ri->inputs;
}

unsigned long long
kpi_rin_bytes(const struct kpi_rin *ri)
{
	return ri->bytes + (ri->in != NULL ? kpi_input_bytes(ri->in) : 0);
}

unsigned long
kpi_rin_failures(const struct kpi_rin *ri)
{
	return ri->failed;
}

int
kpi_rin_close(struct kpi_rin *ri)
{
	unsigned long failed;

	if (ri == NULL)
		return 0;
	kpi_rin_skip(ri);
	kpi_source_free(ri->src);
	failed = ri->failed;
	free(ri);
	return failed ? -1 : 0;
}
