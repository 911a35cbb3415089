/*
 * meter.c - progress on stderr for long batch work (kpi-extract,
 * kpi-normalize): inputs, rows, bytes and the rate.
 *
 * Quiet unless asked or watched: on a terminal it shows after a second, in
 * one line redrawn in place and ended at the end; with --progress it shows
 * from the start, and where stderr is not a terminal (a CI log) as a plain
 * line every few seconds, never a carriage return.  A pipe or a log without
 * --progress gets nothing, so output stays the same bytes.
 *
 * The row loop pays an increment and a compare (kpi_meter_row in face.h);
 * the clock is read every KPI_METER_ROWS rows.
 */
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "face/face.h"

#define SHOW_AFTER 1.0		/* seconds before a terminal sees it */
#define REDRAW 0.25		/* seconds between redraws on a terminal */
#define LOG_EVERY 5.0		/* seconds between lines in a log */

/*
 * Whether the meter's line is on the terminal, unfinished.  Global as
 * stderr is: kpi_msg clears the line before a diagnostic, whichever meter
 * drew it.
 */
static int line_open;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
kpi_meter_start(struct kpi_meter *m, const struct kpi_rin *in, int forced)
{
	m->rows = 0;
	m->in = in;
	m->forced = forced;
	m->tty = isatty(STDERR_FILENO);
	m->shown = 0;
	m->start = m->last = now();
	m->next = forced || m->tty ? KPI_METER_ROWS : ULONG_MAX;
}

/* n bytes as "812 B", "85.3 MB": powers of 1000, as disks are sold. */
static void
size_text(unsigned long long n, char *buf, size_t size)
{
	static const char *unit[] = { "kB", "MB", "GB", "TB" };
	double v = (double)n;
	int i = -1;

	while (v >= 1000 && i < 3) {
		v /= 1000;
		i++;
	}
	if (i < 0)
		snprintf(buf, size, "%llu B", n);
	else
		snprintf(buf, size, "%.1f %s", v, unit[i]);
}

/* The line: "kpi-extract: 3 inputs, 1200000 rows, 85.3 MB[ in 2.9 s], ..." */
static void
draw(struct kpi_meter *m, double t, int final)
{
	unsigned long inputs = m->in ? kpi_rin_inputs(m->in) : 0;
	unsigned long long bytes = m->in ? kpi_rin_bytes(m->in) : 0;
	double secs = t - m->start > 0.001 ? t - m->start : 0.001;
	char sz[32], rate[32];

	size_text(bytes, sz, sizeof(sz));
	size_text((unsigned long long)((double)bytes / secs), rate,
	    sizeof(rate));
	if (m->tty)
		fputc('\r', stderr);
	fprintf(stderr, "%s: %lu input%s, %lu row%s, %s", kpi_getprogname(),
	    inputs, inputs == 1 ? "" : "s", m->rows, m->rows == 1 ? "" : "s",
	    sz);
	if (final)
		fprintf(stderr, " in %.1f s", t - m->start);
	fprintf(stderr, ", %.0f rows/s, %s/s", (double)m->rows / secs, rate);
	if (m->tty)
		fputs("\033[K", stderr);
	line_open = m->tty && !final;
	if (!line_open)
		fputc('\n', stderr);
	fflush(stderr);
	m->shown = 1;
	m->last = t;
}

void
kpi_meter_tick(struct kpi_meter *m)
{
	double t = now();

	m->next = m->rows + KPI_METER_ROWS;
	if (!m->forced && t - m->start < SHOW_AFTER)
		return;
	if (t - m->last < (m->tty ? REDRAW : LOG_EVERY))
		return;
	draw(m, t, 0);
}

void
kpi_meter_end(struct kpi_meter *m, int ok)
{
	if (!ok)
		kpi_meter_clear();
	else if (m->forced || m->shown)
		draw(m, now(), 1);
	m->next = ULONG_MAX;
}

void
kpi_meter_clear(void)
{
	if (line_open)
		fputs("\r\033[K", stderr);
	line_open = 0;
}
