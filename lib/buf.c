/* buf.c: growable byte buffers with a size cap, for anything read from
 * outside (profiles, downloads, process output).  A buffer remembers its
 * first failed append, so that a string built in many appends is checked
 * once, where it is used. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xbuild.h"

static size_t limit(const xb_buf *b)
{
	return b->max ? b->max : SIZE_MAX / 2;
}

void xb_buf_init(xb_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->status = XB_OK;
}

void xb_buf_release(xb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->status = XB_OK;
}

void xb_buf_reset(xb_buf *b)
{
	b->len = 0;
	b->status = XB_OK;
	if (b->data)
		b->data[0] = '\0';
}

/* Remember the first failure; every append after it does nothing. */
static xb_code failed(xb_buf *b, xb_code rc)
{
	if (!b->status)
		b->status = rc;
	return b->status;
}

xb_code xb_buf_grow(xb_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->status)
		return b->status;
	if (extra > limit(b) - b->len)
		return failed(b, XB_ERR_TOO_BIG);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return XB_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 4 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return failed(b, XB_ERR_NOMEM);
	b->data = p;
	b->cap = cap;
	return XB_OK;
}

xb_code xb_buf_add(xb_buf *b, const void *data, size_t len)
{
	xb_code rc;

	/* most appends fit: no call, the same checks as xb_buf_grow's */
	if (b->status || len >= b->cap - b->len || len > limit(b) - b->len) {
		rc = xb_buf_grow(b, len);
		if (rc)
			return rc;
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return XB_OK;
}

xb_code xb_buf_adds(xb_buf *b, const char *s)
{
	return xb_buf_add(b, s, strlen(s));
}

xb_code xb_buf_addc(xb_buf *b, char c)
{
	if (!b->status && b->cap - b->len > 1 && b->len < limit(b)) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return XB_OK;
	}
	return xb_buf_add(b, &c, 1);
}

xb_code xb_buf_addb(xb_buf *b, const xb_buf *from)
{
	if (!b->status && from->status)
		return failed(b, from->status);
	return xb_buf_add(b, xb_buf_str(from), from->len);
}

xb_code xb_buf_vaddf(xb_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	xb_code rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (b->status)
		return b->status;
	if (n < 0)
		return failed(b, XB_ERR_FORMAT);
	rc = xb_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return XB_OK;
}

xb_code xb_buf_addf(xb_buf *b, const char *fmt, ...)
{
	va_list ap;
	xb_code rc;

	va_start(ap, fmt);
	rc = xb_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

size_t xb_buf_limit(const xb_buf *b)
{
	return limit(b);
}

const char *xb_buf_str(const xb_buf *b)
{
	return b->data ? b->data : "";
}

xb_code xb_buf_failed(const xb_buf *b)
{
	return b->status;
}

xb_code xb_buf_check(const xb_buf *b, xb_err *err, const char *what)
{
	if (!b->status)
		return XB_OK;
	if (b->status == XB_ERR_TOO_BIG)
		return xb_fail(err, b->status, "%s is larger than %zu bytes",
			       what, limit(b));
	return xb_fail(err, b->status, "%s: %s", what,
		       xb_strerror(b->status));
}

char *xb_buf_take(xb_buf *b)
{
	char *p = b->data;

	if (b->status) {
		free(p);
		p = NULL;
	} else if (!p) {
		p = calloc(1, 1);
	}
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

xb_code xb_buf_read_fd(xb_buf *b, int fd, xb_err *err)
{
	char chunk[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return xb_fail(err, XB_ERR_IO, "read failed:");
		}
		if (n == 0)
			return XB_OK;
		if (xb_buf_add(b, chunk, (size_t)n))
			return xb_buf_check(b, err, "input");
	}
}
