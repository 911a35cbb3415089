/*
 * escape.c - text into the formats' grammars: HTML, XML, CSV fields,
 * Prometheus names and label values, Markdown table cells.  Every string a
 * report shows comes from the input, so every one goes through here.
 */
#include <string.h>

#include "render/room.h"

/* The entity for c in HTML and XML, or NULL. */
static const char *
entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

void
kpi_esc_html(struct kpi_buf *b, const char *s, size_t n)
{
	const char *e;
	size_t i;

	for (i = 0; i < n; i++)
		if ((e = entity(s[i])) != NULL)
			kpi_buf_adds(b, e);
		else
			kpi_buf_addc(b, s[i]);
}

void
kpi_esc_xml(struct kpi_buf *b, const char *s, size_t n)
{
	const char *e;
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((e = entity(s[i])) != NULL)
			kpi_buf_adds(b, e);
		else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			/* XML 1.0 has no way to write these at all. */
			kpi_buf_adds(b, "\xEF\xBF\xBD");
		else
			kpi_buf_addc(b, s[i]);
	}
}

void
kpi_esc_csv(struct kpi_buf *b, const char *s, size_t n, int sep)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			break;
	if (i == n) {
		kpi_buf_add(b, s, n);
		return;
	}
	kpi_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			kpi_buf_addc(b, '"');
		kpi_buf_addc(b, s[i]);
	}
	kpi_buf_addc(b, '"');
}

void
kpi_esc_prom(struct kpi_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\\')
			kpi_buf_adds(b, "\\\\");
		else if (s[i] == '"')
			kpi_buf_adds(b, "\\\"");
		else if (s[i] == '\n')
			kpi_buf_adds(b, "\\n");
		else
			kpi_buf_addc(b, s[i]);
}

void
kpi_prom_name(struct kpi_buf *b, const char *s, size_t n)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		kpi_buf_addc(b, (c >= 'a' && c <= 'z') || (c >= 'A' &&
		    c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
	}
}

void
kpi_esc_md(struct kpi_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '|')
			kpi_buf_adds(b, "\\|");
		else if (s[i] == '\n' || s[i] == '\r')
			kpi_buf_addc(b, ' ');
		else if (s[i] == '\\' || s[i] == '*' || s[i] == '_' ||
		    s[i] == '`' || s[i] == '[' || s[i] == ']') {
			kpi_buf_addc(b, '\\');
			kpi_buf_addc(b, s[i]);
		} else
			kpi_esc_html(b, s + i, 1);
}
