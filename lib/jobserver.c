/* jobserver.c: a client of GNU make's jobserver, in both of its forms
 * (make 4.3's pipe fds, make 4.4's named FIFO).  The fds make names are
 * checked before a byte is read from them, and tokens are read without
 * blocking through a file description of our own, so a poll loop can wait
 * for them alongside everything else. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobserver.h"

void xb_jobserver_init(xb_jobserver *js)
{
	memset(js, 0, sizeof(*js));
	js->rfd = js->wfd = -1;
}

/*
 * The next word of MAKEFLAGS into w: words are split on blanks and a
 * backslash quotes the next character (make writes "a\ b" for a space).
 * Returns the position after the word, or NULL at the end.
 */
static const char *next_word(const char *p, xb_buf *w)
{
	xb_buf_reset(w);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	for (; *p && *p != ' ' && *p != '\t'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (xb_buf_addc(w, *p))
			return NULL;
	}
	return p;
}

/* A whole non-negative decimal int, or -1. */
static int parse_int(const char *s, const char **end)
{
	long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	if (end)
		*end = p;
	else if (*p)
		return -1;
	return (int)v;
}

/* The pipe form "R,W": two fds of one pipe, open for reading and for
 * writing.  make 4.3 leaves MAKEFLAGS alone but closes the fds for a
 * recipe that is not marked recursive, and another file may then hold
 * those numbers, so each is checked before a byte is read from it. */
static xb_code open_pipe(xb_jobserver *js, const char *auth, xb_err *err)
{
	struct stat rst, wst, ost;
	const char *comma;
	char proc[64];
	int r, w, rfl, wfl;

	r = parse_int(auth, &comma);
	w = r >= 0 && *comma == ',' ? parse_int(comma + 1, NULL) : -1;
	if (r < 0 || w < 0) {
		if (auth[0] == '-')
			return xb_fail(err, XB_ERR_UNSUPPORTED,
				       "make did not pass its jobserver to this command (mark the recipe with '+' or use $(MAKE))");
		return xb_fail(err, XB_ERR_FORMAT,
			       "malformed jobserver '%s' in MAKEFLAGS (expected R,W or fifo:PATH)",
			       auth);
	}
	rfl = fcntl(r, F_GETFL);
	wfl = fcntl(w, F_GETFL);
	if (rfl < 0 || wfl < 0)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fd %d is closed (mark the recipe that runs xbuild with '+')",
			       rfl < 0 ? r : w);
	if (fstat(r, &rst) < 0 || fstat(w, &wst) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot stat jobserver fds %d,%d:",
			       r, w);
	if (!S_ISFIFO(rst.st_mode) || !S_ISFIFO(wst.st_mode) ||
	    rst.st_dev != wst.st_dev || rst.st_ino != wst.st_ino)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fds %d,%d are not the two ends of one pipe (mark the recipe that runs xbuild with '+')",
			       r, w);
	if ((rfl & O_ACCMODE) == O_WRONLY || (wfl & O_ACCMODE) == O_RDONLY)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fds %d,%d are open the wrong way round",
			       r, w);
	/*
	 * The read end's file description is shared with make and every
	 * other client, so making it non-blocking would change it for them,
	 * and a blocking read after poll can hang when another client takes
	 * the token first.  Opening the pipe again through /proc gives a
	 * description of our own, non-blocking.
	 */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", r);
	js->rfd = open(proc, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (js->rfd < 0)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "cannot reopen jobserver fd %d through /proc:", r);
	if (fstat(js->rfd, &ost) < 0 || ost.st_ino != rst.st_ino ||
	    ost.st_dev != rst.st_dev) {
		close(js->rfd);
		js->rfd = -1;
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fd %d changed while being opened", r);
	}
	/* our children have no business with make's tokens */
	fcntl(r, F_SETFD, fcntl(r, F_GETFD) | FD_CLOEXEC);
	fcntl(w, F_SETFD, fcntl(w, F_GETFD) | FD_CLOEXEC);
	js->wfd = w;
	js->own_wfd = false;
	return XB_OK;
}

/* make 4.4's "fifo:PATH": opened read-write, which never blocks and keeps
 * the FIFO alive while we hold tokens. */
static xb_code open_fifo(xb_jobserver *js, const char *path, xb_err *err)
{
	struct stat st;
	int fd;

	if (!*path)
		return xb_fail(err, XB_ERR_FORMAT,
			       "jobserver fifo in MAKEFLAGS has no path");
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			       "cannot open jobserver fifo '%s':", path);
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver '%s' is not a fifo", path);
	}
	js->rfd = js->wfd = fd;
	js->own_wfd = true;
	return XB_OK;
}

bool xb_makeflags_parse(const char *makeflags, int *make_jobs, xb_buf *auth)
{
	xb_buf w = XB_BUF_INIT;
	const char *p = makeflags;
	bool have_auth = false, first = true;

	*make_jobs = 0;
	xb_buf_reset(auth);
	if (!p)
		return false;
	xb_buf_init(&w, 4096);
	while ((p = next_word(p, &w))) {
		const char *s = xb_buf_str(&w);

		if (strcmp(s, "--") == 0)
			break; /* variable definitions follow */
		if (first && s[0] != '-') {
			first = false; /* make's single-letter flags: "ks" */
			continue;
		}
		first = false;
		if (strncmp(s, "-j", 2) == 0) {
			/* the last -j wins; a bare -j means no limit */
			*make_jobs = s[2] ? parse_int(s + 2, NULL) : 0;
			if (*make_jobs < 0)
				*make_jobs = 0;
		} else if (strncmp(s, "--jobserver-auth=", 17) == 0 ||
			   strncmp(s, "--jobserver-fds=", 16) == 0) {
			/* make documents that the last one counts */
			xb_buf_reset(auth);
			have_auth = xb_buf_adds(auth, strchr(s, '=') + 1) == XB_OK;
		}
	}
	xb_buf_release(&w);
	return have_auth;
}

xb_code xb_jobserver_open(xb_jobserver *js, const char *makeflags,
			  xb_err *err)
{
	xb_buf auth = XB_BUF_INIT;
	bool have_auth;
	xb_code rc = XB_OK;

	xb_jobserver_init(js);
	xb_buf_init(&auth, 4096);
	have_auth = xb_makeflags_parse(makeflags, &js->make_jobs, &auth);
	if (have_auth) {
		const char *a = xb_buf_str(&auth);

		if (strncmp(a, "fifo:", 5) == 0)
			rc = open_fifo(js, a + 5, err);
		else
			rc = open_pipe(js, a, err);
		if (rc) {
			js->make_jobs = 1; /* what make does without one */
		} else {
			js->active = true;
		}
	}
	xb_buf_release(&auth);
	return rc;
}

int xb_jobserver_take(xb_jobserver *js)
{
	char c;
	ssize_t r;

	if (js->held == js->cap) {
		size_t cap = js->cap ? js->cap * 2 : 16;
		char *t = realloc(js->tokens, cap);

		if (!t)
			return -1; /* run with what we hold */
		js->tokens = t;
		js->cap = cap;
	}
	do
		r = read(js->rfd, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r == 1) {
		js->tokens[js->held++] = c;
		return 1;
	}
	if (r < 0 && errno == EAGAIN)
		return 0;
	return -1;
}

/* The pipe holds far more than make's tokens, so a write waits only if
 * some client misbehaves; then we retry for a while. */
void xb_jobserver_put(xb_jobserver *js)
{
	char c;

	if (!js->held)
		return;
	c = js->tokens[--js->held];
	for (int tries = 0; tries < 100; tries++) {
		struct pollfd p = { js->wfd, POLLOUT, 0 };
		ssize_t r = write(js->wfd, &c, 1);

		if (r == 1)
			return;
		if (r < 0 && errno != EINTR && errno != EAGAIN)
			return; /* make is gone; nobody needs the token */
		if (r < 0 && errno == EAGAIN)
			poll(&p, 1, 100);
	}
}

void xb_jobserver_release(xb_jobserver *js)
{
	while (js->held)
		xb_jobserver_put(js);
	if (js->rfd >= 0)
		close(js->rfd);
	if (js->own_wfd && js->wfd >= 0 && js->wfd != js->rfd)
		close(js->wfd);
	free(js->tokens);
	xb_jobserver_init(js);
}
