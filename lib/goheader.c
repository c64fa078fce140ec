/* goheader.c: what go list reads of a Go source file.  Go reads a file's
 * build constraints, package clause, imports and cgo preamble, which all
 * come before its first declaration other than an import, and its
 * //go:embed lines; nothing else in the file changes go list's answer.  A
 * remembered answer (listcache.c) is kept across an edit that leaves
 * those alone. */
#include <stdio.h>
#include <string.h>

#include "listcache.h"

/* A declaration other than an import starts at p (a line's start):
 * func, type, var or const, then a blank or '(' (a method's receiver, a
 * group). */
static bool decl_at(const char *p, size_t n)
{
	static const char *const words[] = { "func", "type", "var", "const",
					      NULL };

	for (size_t i = 0; words[i]; i++) {
		size_t k = strlen(words[i]);

		if (n > k && !memcmp(p, words[i], k) &&
		    (p[k] == ' ' || p[k] == '\t' || p[k] == '('))
			return true;
	}
	return false;
}

size_t xb_goheader_len(const char *p, size_t n, bool *cut)
{
	enum { CODE, LINE, BLOCK, STRING, RAW, RUNE } st = CODE;
	bool bol = true;

	*cut = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		switch (st) {
		case CODE:
			if (bol && decl_at(p + i, n - i)) {
				*cut = true;
				return i;
			}
			if (c == '/' && i + 1 < n && p[i + 1] == '/')
				st = LINE, i++;
			else if (c == '/' && i + 1 < n && p[i + 1] == '*')
				st = BLOCK, i++;
			else if (c == '"')
				st = STRING;
			else if (c == '`')
				st = RAW;
			else if (c == '\'')
				st = RUNE;
			break;
		case LINE:
			if (c == '\n')
				st = CODE;
			break;
		case BLOCK:
			if (c == '*' && i + 1 < n && p[i + 1] == '/')
				st = CODE, i++;
			break;
		case STRING:
		case RUNE:
			/* a newline ends a broken literal as go's scanner does */
			if (c == '\\' && i + 1 < n && p[i + 1] != '\n')
				i++;
			else if (c == (st == STRING ? '"' : '\'') || c == '\n')
				st = CODE;
			break;
		case RAW:
			if (c == '`')
				st = CODE;
			break;
		}
		bol = p[i] == '\n';
	}
	return n;
}

xb_code xb_goheader_digest(const char *p, size_t n, unsigned char out[32])
{
	static const char embed[] = "//go:embed";
	bool cut;
	size_t len = xb_goheader_len(p, n, &cut);
	char head[48];
	xb_sha256 h;
	xb_code rc;

	if ((rc = xb_sha256_init(&h)))
		return rc;
	/* where it ends counts: a file cut short at the place another was
	 * cut is not the same header */
	snprintf(head, sizeof(head), "%s %zu\n", cut ? "cut" : "whole", len);
	rc = xb_sha256_update(&h, head, strlen(head));
	if (!rc)
		rc = xb_sha256_update(&h, p, len);
	/* every line that holds //go:embed, wherever it is (one in a
	 * comment or a string too: more misses, never a stale answer) */
	for (size_t i = 0; !rc && i < n;) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - p) : n;

		if (end - i >= sizeof(embed) - 1 &&
		    memmem(p + i, end - i, embed, sizeof(embed) - 1)) {
			rc = xb_sha256_update(&h, "\nembed ", 7);
			if (!rc)
				rc = xb_sha256_update(&h, p + i, end - i);
		}
		i = end + 1;
	}
	if (rc) {
		xb_sha256_release(&h);
		return rc;
	}
	return xb_sha256_final(&h, out) ? XB_ERR_IO : XB_OK;
}
