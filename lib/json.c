/* json.c: a streaming JSON writer.  Output is always valid JSON: strings
 * are escaped and invalid UTF-8 is replaced, so bytes from hostile binaries
 * can be reported as they are. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

void xb_json_init(xb_json *j, xb_buf *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	j->first[0] = true;
}

/* Room for n more bytes at the end of b: where to write them (then
 * b->len grows by what was written, with a NUL after it), or NULL when b
 * cannot hold them (its failure recorded).  Most writes fit: no call
 * then, xb_buf_grow's checks made here. */
static inline char *room(xb_buf *b, size_t n)
{
	if (!b->status && b->data && n < b->cap - b->len &&
	    (!b->max || n <= b->max - b->len))
		return b->data + b->len;
	return xb_buf_grow(b, n) ? NULL : b->data + b->len;
}

static inline void wrote(xb_buf *b, const char *end)
{
	b->len = (size_t)(end - b->data);
	b->data[b->len] = '\0';
}

static void put(xb_json *j, const char *s, size_t n)
{
	char *p;

	if (j->status)
		return;
	if (!(p = room(j->out, n))) {
		j->status = xb_buf_failed(j->out);
		return;
	}
	memcpy(p, s, n);
	wrote(j->out, p + n);
}

static void indent(xb_json *j)
{
	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (int i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Called before every value or key: separators and indentation. */
static void before_value(xb_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		put(j, ",", 1);
	if (j->depth > 0)
		indent(j);
	j->first[j->depth] = false;
}

static inline char *comma(xb_json *j, char *p);

/* A value that needs no escaping (a number, true, false, null, a
 * bracket): with its separator in one write when compact. */
static void value_raw(xb_json *j, const char *s, size_t n)
{
	char *p;

	if (!j->pretty && !j->status && (p = room(j->out, n + 1))) {
		if (j->after_key)
			j->after_key = false;
		else
			p = comma(j, p);
		memcpy(p, s, n);
		wrote(j->out, p + n);
		return;
	}
	before_value(j);
	put(j, s, n);
}

static void open_(xb_json *j, char c)
{
	value_raw(j, &c, 1);
	if (j->depth + 1 >= XB_JSON_MAX_DEPTH) {
		if (!j->status)
			j->status = XB_ERR_TOO_BIG;
		return;
	}
	j->depth++;
	j->first[j->depth] = true;
}

static void close_(xb_json *j, char c)
{
	bool empty;

	if (j->depth == 0) {
		if (!j->status)
			j->status = XB_ERR_FORMAT;
		return;
	}
	empty = j->first[j->depth];
	j->depth--;
	if (!empty)
		indent(j);
	put(j, &c, 1);
}

void xb_json_obj_begin(xb_json *j) { open_(j, '{'); }
void xb_json_obj_end(xb_json *j) { close_(j, '}'); }
void xb_json_arr_begin(xb_json *j) { open_(j, '['); }
void xb_json_arr_end(xb_json *j) { close_(j, ']'); }

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* The bytes that go into a JSON string as they are: printable ASCII but
 * the quote and the backslash. */
#define ROW16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char plain[256] = {
	ROW16(0), ROW16(0),
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20: '"' */
	ROW16(1), ROW16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50: '\\' */
	ROW16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x7f: DEL */
};
#undef ROW16

xb_code xb_json_quote(xb_buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	xb_code rc;
	char esc[8], *p;
	size_t i = 0, run;

	/* most strings have nothing to escape: in at once, quotes and all */
	while (i < n && plain[s[i]])
		i++;
	if (i == n) {
		/* (n + 2 cannot wrap: the n bytes are in memory) */
		if (!(p = room(b, n + 2)))
			return xb_buf_failed(b);
		*p++ = '"';
		memcpy(p, s, n);
		p[n] = '"';
		wrote(b, p + n + 1);
		return XB_OK;
	}
	rc = xb_buf_addc(b, '"');
	i = 0;
	while (!rc && i < n) {
		unsigned char c = s[i];
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		default: break;
		}
		if (e) {
			rc = xb_buf_adds(b, e);
			i++;
		} else if (c >= 0x20 && c < 0x7f) {
			/* a run of plain ASCII goes in at once */
			run = 1;
			while (i + run < n && plain[s[i + run]])
				run++;
			rc = xb_buf_add(b, s + i, run);
			i += run;
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			rc = xb_buf_adds(b, esc);
			i++;
		} else if ((run = utf8_len(s + i, n - i)) == 0) {
			rc = xb_buf_adds(b, "\\ufffd");
			i++;
		} else {
			rc = xb_buf_add(b, s + i, run);
			i += run;
		}
	}
	return rc ? rc : xb_buf_addc(b, '"');
}

/* Compact output, outside a key: the separator of the next value or key
 * goes in with it. */
static inline bool fast(const xb_json *j)
{
	return !j->pretty && !j->after_key && !j->status;
}

/* The comma before the next element, if one is due, at p: past it. */
static inline char *comma(xb_json *j, char *p)
{
	if (!j->first[j->depth])
		*p++ = ',';
	j->first[j->depth] = false;
	return p;
}

/* Bytes of s before its NUL when all are plain, else SIZE_MAX: one pass
 * (plain['\0'] is 0). */
static inline size_t plain_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (plain[u[i]])
		i++;
	return u[i] ? SIZE_MAX : i;
}

void xb_json_key(xb_json *j, const char *key)
{
	size_t n = plain_len(key);
	char *p;

	/* compact output and a key with nothing to escape (all of ours):
	 * the comma, the key and the colon in at once */
	if (n < 4096 && fast(j)) {
		if (!(p = room(j->out, n + 4))) {
			j->status = xb_buf_failed(j->out);
			return;
		}
		p = comma(j, p);
		*p++ = '"';
		memcpy(p, key, n);
		p += n;
		*p++ = '"';
		*p++ = ':';
		wrote(j->out, p);
		j->after_key = true;
		return;
	}
	before_value(j);
	if (!j->status)
		j->status = xb_json_quote(j->out, key, n == SIZE_MAX ? strlen(key) : n);
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = true;
}

void xb_json_lit_slow(xb_json *j, const char *lit, size_t n, bool key)
{
	/* the key ends at its second quote (a key known when compiling
	 * holds none) */
	const char *q = memchr(lit + 1, '"', n - 1);
	size_t kn = q ? (size_t)(q - lit) + 1 : n;

	before_value(j);
	put(j, lit, kn);
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = true;
	if (key || kn + 1 >= n)
		return;
	before_value(j);
	put(j, lit + kn + 1, n - kn - 1);
}

void xb_json_kstr_lit(xb_json *j, const char *quoted, size_t n, const char *s)
{
	size_t len;
	char *p;

	if (fast(j) && (len = s ? plain_len(s) : 0) < 4096) {
		/* the comma, the key and the string (or null) in at once */
		if (!(p = room(j->out, 1 + n + (s ? len + 2 : 4)))) {
			j->status = xb_buf_failed(j->out);
			return;
		}
		p = comma(j, p);
		memcpy(p, quoted, n);
		p += n;
		if (s) {
			*p++ = '"';
			memcpy(p, s, len);
			p += len;
			*p++ = '"';
		} else {
			memcpy(p, "null", 4);
			p += 4;
		}
		wrote(j->out, p);
		return;
	}
	xb_json_lit(j, quoted, n, true);
	xb_json_str(j, s);
}

void xb_json_strn(xb_json *j, const char *s, size_t len)
{
	before_value(j);
	if (!j->status)
		j->status = xb_json_quote(j->out, s, len);
}

void xb_json_str(xb_json *j, const char *s)
{
	size_t n;
	char *p;

	if (!s) {
		xb_json_null(j);
		return;
	}
	n = plain_len(s);
	if (n == SIZE_MAX || j->pretty || j->status) {
		xb_json_strn(j, s, n == SIZE_MAX ? strlen(s) : n);
		return;
	}
	/* compact and nothing to escape: the separator and the string in
	 * at once */
	if (!(p = room(j->out, n + 3))) {
		j->status = xb_buf_failed(j->out);
		return;
	}
	if (j->after_key)
		j->after_key = false;
	else
		p = comma(j, p);
	*p++ = '"';
	memcpy(p, s, n);
	p += n;
	*p++ = '"';
	wrote(j->out, p);
}

/* v in decimal, after a '-' when neg, ending at end: where it starts. */
static char *decimal(char *end, unsigned long long v, bool neg)
{
	do
		*--end = (char)('0' + v % 10);
	while ((v /= 10));
	if (neg)
		*--end = '-';
	return end;
}

void xb_json_int(xb_json *j, long long v)
{
	char tmp[32], *s;

	/* the magnitude of LLONG_MIN fits an unsigned long long */
	s = decimal(tmp + sizeof(tmp), v < 0 ? 0ULL - (unsigned long long)v
					    : (unsigned long long)v, v < 0);
	value_raw(j, s, (size_t)(tmp + sizeof(tmp) - s));
}

void xb_json_uint(xb_json *j, unsigned long long v)
{
	char tmp[32], *s = decimal(tmp + sizeof(tmp), v, false);

	value_raw(j, s, (size_t)(tmp + sizeof(tmp) - s));
}

void xb_json_bool(xb_json *j, bool v)
{
	value_raw(j, v ? "true" : "false", v ? 4 : 5);
}

void xb_json_null(xb_json *j)
{
	value_raw(j, "null", 4);
}

void xb_json_kstr(xb_json *j, const char *key, const char *s)
{
	xb_json_key(j, key);
	xb_json_str(j, s);
}

void xb_json_kint(xb_json *j, const char *key, long long v)
{
	xb_json_key(j, key);
	xb_json_int(j, v);
}

void xb_json_kbool(xb_json *j, const char *key, bool v)
{
	xb_json_key(j, key);
	xb_json_bool(j, v);
}

void xb_json_kstrv(xb_json *j, const char *key, const xb_strv *v)
{
	xb_json_key(j, key);
	xb_json_arr_begin(j);
	for (size_t i = 0; i < v->n; i++)
		xb_json_str(j, v->v[i]);
	xb_json_arr_end(j);
}

xb_code xb_json_finish(xb_json *j)
{
	if (!j->status && j->depth != 0)
		j->status = XB_ERR_FORMAT;
	if (j->pretty)
		put(j, "\n", 1);
	return j->status;
}
