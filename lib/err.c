/* err.c: result codes and caller-owned error messages. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xbuild.h"

static const char *const texts[XB_CODE_MAX] = {
	[XB_OK] = "success",
	[XB_ERR_NOMEM] = "out of memory",
	[XB_ERR_IO] = "input/output error",
	[XB_ERR_FORMAT] = "malformed input",
	[XB_ERR_UNSUPPORTED] = "not supported",
	[XB_ERR_TOO_BIG] = "input too large",
	[XB_ERR_USAGE] = "invalid argument",
	[XB_ERR_PROFILE] = "invalid profile",
	[XB_ERR_SPAWN] = "cannot start process",
	[XB_ERR_CHILD] = "child process failed",
	[XB_ERR_NET] = "network transfer failed",
	[XB_ERR_HASH] = "checksum mismatch",
	[XB_ERR_NOTFOUND] = "not found",
	[XB_ERR_EXPECT] = "artifact does not meet its expectation",
	[XB_ERR_INTERRUPTED] = "interrupted",
	[XB_ERR_TIMEOUT] = "timed out",
	[XB_ERR_OFFLINE] = "offline mode forbids network access",
	[XB_ERR_CONFLICT] = "conflicting inputs",
};

const char *xb_strerror(xb_code code)
{
	if ((unsigned)code < XB_CODE_MAX && texts[code])
		return texts[code];
	return "unknown error";
}

xb_code xb_vfail(xb_err *err, xb_code code, const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n, len;

	if (!err)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	len = strlen(fmt);
	if (len && fmt[len - 1] == ':') {
		n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, " %s",
			 strerror(saved));
	}
	errno = saved;
	return code;
}

xb_code xb_fail(xb_err *err, xb_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xb_vfail(err, code, fmt, ap);
	va_end(ap);
	return code;
}

xb_code xb_prefix(xb_err *err, xb_code code, const char *fmt, ...)
{
	char head[512];
	size_t hl, room = sizeof(err->msg);
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	hl = strlen(head) + 2; /* "head: " */
	/* shift the old message right, dropping what no longer fits */
	memmove(err->msg + hl, err->msg, room - hl - 1);
	err->msg[room - 1] = '\0';
	memcpy(err->msg, head, hl - 2);
	memcpy(err->msg + hl - 2, ": ", 2);
	return code;
}

const char *xb_errmsg(const xb_err *err)
{
	if (!err)
		return "unknown error";
	return err->msg[0] ? err->msg : xb_strerror(err->code);
}
