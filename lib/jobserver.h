/* jobserver.h: a client of GNU make's jobserver (jobserver.c), private
 * to lib/ (the run engine and exec.c) and the tests. */
#ifndef XB_JOBSERVER_H
#define XB_JOBSERVER_H

#include "xbuild.h"

/*
 * A client of GNU make's jobserver.  make -jN passes N-1 tokens through a
 * pipe (make 4.3: MAKEFLAGS has --jobserver-auth=R,W) or a named FIFO
 * (make 4.4: --jobserver-auth=fifo:PATH); a client may always run one
 * job (the token make spent on starting it) and one more for each token it
 * reads, and writes every token back when done.
 */
typedef struct xb_jobserver {
	bool active;   /* tokens come from make */
	int make_jobs; /* the job limit make implies without a jobserver:
			* N of a "-jN" in MAKEFLAGS (make -j1 passes no
			* jobserver), 1 when the jobserver is unusable (as
			* make does); 0: no limit from make */
	int rfd;       /* ours, non-blocking, for reading tokens; -1 */
	int wfd;       /* for writing tokens back; -1 */
	bool own_wfd;  /* wfd is ours to close (the fifo form) */
	char *tokens;  /* the tokens held now, to give back byte for byte */
	size_t held;
	size_t cap;
} xb_jobserver;

void xb_jobserver_init(xb_jobserver *js);
/*
 * Find the jobserver in a MAKEFLAGS value (NULL or "" means none: XB_OK,
 * not active).  When MAKEFLAGS names one that cannot be used (the fds are
 * closed or are not one pipe, as when a recipe without '+' or $(MAKE)
 * runs us; the FIFO is missing), fails with the reason in err and leaves
 * js inactive with make_jobs = 1: the caller should warn and go on.
 */
xb_code xb_jobserver_open(xb_jobserver *js, const char *makeflags,
			  xb_err *err);
/* The parsing part of xb_jobserver_open, which does nothing else: make's
 * -jN into *make_jobs (0 for none, or a bare -j) and the value of the
 * last --jobserver-auth= (or make 4.1's --jobserver-fds=) into auth;
 * returns whether there was one.  auth should have a cap. */
bool xb_makeflags_parse(const char *makeflags, int *make_jobs, xb_buf *auth);
/* Read one token without blocking, into js->tokens: 1 got one, 0 none
 * free now (poll rfd for POLLIN), -1 the jobserver is broken. */
int xb_jobserver_take(xb_jobserver *js);
/* Write the last token taken back (the same byte: make 4.4 tells tokens
 * apart); nothing when none is held. */
void xb_jobserver_put(xb_jobserver *js);
/* Write back every token still held and close what is ours. */
void xb_jobserver_release(xb_jobserver *js);

#endif
