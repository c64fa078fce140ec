/* json.h: JSON keys known when compiling, written as literals: what the
 * writers of big documents in lib/ (the facts of xbuild inspect --json)
 * share with json.c, private to lib/ and the tests. */
#ifndef XB_JSON_H
#define XB_JSON_H

#include <string.h>

#include "xbuild.h"

/*
 * Keys known when compiling, with nothing to escape, written as literals:
 * XB_JSON_KEY(j, "key"), XB_JSON_KSTR(j, "key", s) (NULL writes null)
 * and XB_JSON_KVAL(j, "key", "null") (a key and a literal value).  In
 * compact output with room in the buffer, the comma due and the literal
 * go in with no call and no scan; else xb_json_lit_slow writes what
 * xb_json_key and a value would.  lit is "\"key\":" or "\"key\":value",
 * n bytes; key says which.
 */
void xb_json_lit_slow(xb_json *j, const char *lit, size_t n, bool key);
static inline void xb_json_lit(xb_json *j, const char *lit, size_t n, bool key)
{
	xb_buf *b = j->out;
	char *p;

	if (j->pretty || j->after_key || j->status || b->status || !b->data ||
	    n + 1 >= b->cap - b->len || (b->max && n + 1 > b->max - b->len)) {
		xb_json_lit_slow(j, lit, n, key);
		return;
	}
	p = b->data + b->len;
	if (!j->first[j->depth])
		*p++ = ',';
	j->first[j->depth] = false;
	memcpy(p, lit, n);
	p += n;
	*p = '\0';
	b->len = (size_t)(p - b->data);
	j->after_key = key;
}
void xb_json_kstr_lit(xb_json *j, const char *quoted, size_t n, const char *s);
#define XB_JSON_KEY(j, k) xb_json_lit((j), "\"" k "\":", sizeof(k) + 2, true)
#define XB_JSON_KVAL(j, k, v) \
	xb_json_lit((j), "\"" k "\":" v, sizeof(k) + sizeof(v) + 1, false)
#define XB_JSON_KSTR(j, k, s) \
	xb_json_kstr_lit((j), "\"" k "\":", sizeof(k) + 2, (s))

#endif
