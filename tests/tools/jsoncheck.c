/*
 * jsoncheck - checks that standard input is NDJSON as kpi(7) writes it:
 * every line one complete JSON object, valid UTF-8, no duplicate key.
 * Prints the first line at fault and exits 1; exits 0 when all are good.
 *
 * The tests' assert_records uses it in place of jq, which a fresh machine
 * lacks; jansson is there already, and it is strict.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

int
main(void)
{
	json_error_t e;
	json_t *v;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long no = 0;
	int ok = 1;

	while (ok && (n = getline(&line, &cap, stdin)) != -1) {
		no++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		v = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &e);
		if (v == NULL)
			printf("line %lu: not JSON: %s (column %d)\n", no, e.text,
			    e.column);
		else if (!json_is_object(v))
			printf("line %lu: not an object\n", no);
		ok = v != NULL && json_is_object(v);
		json_decref(v);
	}
	free(line);
	return ok ? 0 : 1;
}
