/* strv.c: NULL-terminated string vectors for argv and envp.  A vector
 * remembers its first failed push, and hands xb_spawn and xb_run a vector
 * they refuse (XB_STRV_FAILED) instead of a shortened one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"

const char *const xb_strv_failed_argv[1] = { NULL };

void xb_strv_init(xb_strv *sv)
{
	xb_strv_init_max(sv, 0);
}

void xb_strv_init_max(xb_strv *sv, size_t max)
{
	sv->v = NULL;
	sv->n = 0;
	sv->cap = 0;
	sv->max = max;
	sv->status = XB_OK;
}

void xb_strv_release(xb_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	xb_strv_init_max(sv, sv->max);
}

/* Remember the first failure; every push after it does nothing. */
static xb_code failed(xb_strv *sv, xb_code rc)
{
	if (!sv->status)
		sv->status = rc;
	return sv->status;
}

static xb_code push_owned(xb_strv *sv, char *s)
{
	if (sv->status) {
		free(s);
		return sv->status;
	}
	if (!s)
		return failed(sv, XB_ERR_NOMEM);
	if (sv->max && sv->n >= sv->max) {
		free(s);
		return failed(sv, XB_ERR_TOO_BIG);
	}
	if (sv->n + 2 > sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			return failed(sv, XB_ERR_NOMEM);
		}
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return XB_OK;
}

xb_code xb_strv_push(xb_strv *sv, const char *s)
{
	if (sv->status)
		return sv->status;
	return push_owned(sv, strdup(s));
}

xb_code xb_strv_pushf(xb_strv *sv, const char *fmt, ...)
{
	xb_buf b = XB_BUF_INIT;
	va_list ap;
	xb_code rc;

	if (sv->status)
		return sv->status;
	va_start(ap, fmt);
	rc = xb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rc) {
		xb_buf_release(&b);
		return failed(sv, rc);
	}
	return push_owned(sv, xb_buf_take(&b));
}

xb_code xb_strv_push_buf(xb_strv *sv, const xb_buf *b)
{
	if (!sv->status && xb_buf_failed(b))
		return failed(sv, xb_buf_failed(b));
	return xb_strv_push(sv, xb_buf_str(b));
}

xb_code xb_strv_pushv(xb_strv *sv, const char *const *v)
{
	xb_code rc;

	/* the vector of a failed xb_strv: its failure becomes sv's */
	if (v == xb_strv_failed_argv)
		return failed(sv, XB_ERR_NOMEM);
	for (; v && *v; v++)
		if ((rc = xb_strv_push(sv, *v)))
			return rc;
	return sv->status;
}

xb_code xb_strv_pushsv(xb_strv *sv, const xb_strv *from)
{
	for (size_t i = 0; i < from->n; i++)
		xb_strv_push(sv, from->v[i]);
	if (from->status)
		failed(sv, from->status);
	return sv->status;
}

xb_code xb_strv_failed(const xb_strv *sv)
{
	return sv->status;
}

xb_code xb_strv_check(const xb_strv *sv, xb_err *err, const char *what)
{
	if (!sv->status)
		return XB_OK;
	if (sv->status == XB_ERR_TOO_BIG)
		return xb_fail(err, sv->status, "%s has more than %zu items",
			       what, sv->max);
	return xb_fail(err, sv->status, "%s: %s", what,
		       xb_strerror(sv->status));
}

static int key_match(const char *entry, const char *key, size_t klen)
{
	return strncmp(entry, key, klen) == 0 && entry[klen] == '=';
}

const char *xb_strv_getenv(const xb_strv *sv, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = sv->n; i-- > 0;)
		if (key_match(sv->v[i], key, klen))
			return sv->v[i] + klen + 1;
	return NULL;
}

static void remove_from(xb_strv *sv, const char *key, size_t from)
{
	size_t klen = strlen(key), o = from;

	for (size_t i = from; i < sv->n; i++) {
		if (key_match(sv->v[i], key, klen))
			free(sv->v[i]);
		else
			sv->v[o++] = sv->v[i];
	}
	sv->n = o;
	if (sv->v)
		sv->v[o] = NULL;
}

xb_code xb_strv_setenv(xb_strv *sv, const char *key, const char *value)
{
	size_t klen = strlen(key);
	xb_buf b = XB_BUF_INIT;
	char *s;

	if (sv->status)
		return sv->status;
	if (xb_buf_addf(&b, "%s=%s", key, value)) {
		xb_buf_release(&b);
		return failed(sv, XB_ERR_NOMEM);
	}
	s = xb_buf_take(&b);
	if (!s)
		return failed(sv, XB_ERR_NOMEM);
	for (size_t i = 0; i < sv->n; i++) {
		if (key_match(sv->v[i], key, klen)) {
			free(sv->v[i]);
			sv->v[i] = s;
			remove_from(sv, key, i + 1);
			return XB_OK;
		}
	}
	return push_owned(sv, s);
}

void xb_strv_unsetenv(xb_strv *sv, const char *key)
{
	remove_from(sv, key, 0);
}

const char *const *xb_strv_argv(const xb_strv *sv)
{
	static const char *const empty[1] = { NULL };

	if (sv->status)
		return xb_strv_failed_argv;
	return sv->v ? (const char *const *)sv->v : empty;
}

int xb_strv_contains(const xb_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

void xb_strv_add_lines(xb_buf *b, const xb_strv *v, const char *indent,
		       size_t room)
{
	/* what "and N more" takes, so that it always fits; N counts lines */
	size_t tail = strlen(indent) + 32, left = 0;

	for (size_t i = 0, k; i < v->n; i = k) {
		size_t before = b->len;

		for (k = i + 1; k < v->n && !strcmp(v->v[k], v->v[i]); k++)
			;
		if (left) {
			left++;
			continue;
		}
		xb_buf_addf(b, "\n%s%s", indent, v->v[i]);
		if (k - i > 1)
			xb_buf_addf(b, " (%zu times)", k - i);
		if (b->len + tail > room) {
			b->len = before;
			if (b->data)
				b->data[before] = '\0';
			left = 1;
		}
	}
	if (left)
		xb_buf_addf(b, "\n%sand %zu more", indent, left);
}

bool xb_str_in(const char *v, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

xb_code xb_set_str(char **dst, const char *v)
{
	char *s = v ? strdup(v) : NULL;

	if (v && !s)
		return XB_ERR_NOMEM;
	free(*dst);
	*dst = s;
	return XB_OK;
}

xb_code xb_strv_split_words(xb_strv *sv, const char *line, const char **why)
{
	xb_buf w = XB_BUF_INIT;
	const char *p = line;
	xb_code rc = XB_OK;

	*why = NULL;
	while (*p && !rc && !*why) {
		bool any = false;

		p += strspn(p, " \t\r\n");
		if (!*p)
			break;
		xb_buf_reset(&w);
		while (*p && !strchr(" \t\r\n", *p) && !*why) {
			char q = *p;

			any = true;
			if (q == '\'' || q == '"') {
				const char *s = p + 1;

				for (; *s && *s != q; s++) {
					if (q == '"' && *s == '\\' &&
					    (s[1] == '"' || s[1] == '\\'))
						s++;
					xb_buf_addc(&w, *s);
				}
				if (!*s)
					*why = q == '"' ? "unterminated \" string" :
						"unterminated ' string";
				p = *s ? s + 1 : s;
			} else {
				if (q == '\\' && p[1])
					p++;
				xb_buf_addc(&w, *p++);
			}
		}
		if (any && !*why)
			rc = xb_buf_failed(&w) ? xb_buf_failed(&w) :
				xb_strv_push(sv, w.data ? w.data : "");
	}
	xb_buf_release(&w);
	return rc;
}
