/*
 * unit.h - the smallest test harness: a table of cases and one check helper
 * per file (see git t/unit-tests).  Each test program ends with
 * "return unit_done();", which prints "NAME: N passed, N failed".
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond, ...) do { \
	if (cond) \
		unit_pass++; \
	else { \
		unit_fail++; \
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
		    __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

/* Compares two strings, saying both when they differ. */
#define CHECK_STR(got, want, ctx) CHECK(strcmp((got), (want)) == 0, \
	"%s: got '%s', want '%s'", (ctx), (got), (want))

static inline int
unit_done_named(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_pass, unit_fail);
	return unit_fail != 0;
}
#define unit_done() unit_done_named(__FILE__)

#endif
