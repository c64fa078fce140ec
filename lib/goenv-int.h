/* goenv-int.h: what goenv.c and goenv-list.c share, private to them. */
#ifndef XB_GOENV_INT_H
#define XB_GOENV_INT_H

#include "xbuild.h"

/* The most go's standard output may hold. */
#define XB_GOENV_OUT_MAX (16u << 20)

/* Run g->go with args under g->envp in g->dir; stdout into out, stderr
 * into errb.  A non-zero exit is an XB_ERR_CHILD with stderr's first
 * line. */
xb_code xb_goenv_run_go(xb_goenv *g, const char *const *args, xb_buf *out,
			xb_buf *errb, xb_err *err);
/* The same under envp; g is only read (several threads may call it).  go
 * is stopped (XB_ERR_INTERRUPTED) once cancel_fd is readable (-1: never). */
xb_code xb_goenv_run_go_env(const xb_goenv *g, const char *const *envp,
			    const char *const *args, int cancel_fd, xb_buf *out,
			    xb_buf *errb, xb_err *err);
/* The first line of go's stderr e that says what went wrong (after its
 * "go: downloading ..." progress lines); points into e. */
const char *xb_goenv_go_error(const char *e);

#endif
