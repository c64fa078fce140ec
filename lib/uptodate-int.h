/* uptodate-int.h: what uptodate.c and uptodate-list.c share, private to
 * them. */
#ifndef XB_UPTODATE_INT_H
#define XB_UPTODATE_INT_H

#include <jansson.h>

#include "uptodate.h"

/* The most go list's answer may hold. */
#define XB_UPTODATE_LIST_MAX (256u << 20)

/*
 * What go list says t's package was built from (go list -deps -json with
 * the build's flags, under envp) into out: the go list cache's answer
 * xb_uptodate_start found, else the go list it started, else go list run
 * now; an answer go gave is remembered in the cache (ur: NULL when the
 * run shares nothing).
 */
xb_code xb_uptodate_list(xb_uptodate *u, const xb_plan *pl,
			 const char *const *envp, xb_uptodate_run *ur,
			 xb_buf *out, xb_err *err);

/* A package of go list's answer, as a record sees it. */
enum xb_uptodate_pkg {
	XB_UPTODATE_PKG_NONE,     /* no folder or import path: none */
	XB_UPTODATE_PKG_STD,      /* of the standard library */
	XB_UPTODATE_PKG_MODCACHE, /* from the module cache: read-only,
				   * named by its version */
	XB_UPTODATE_PKG_USER,     /* the user's own files */
};

/* What pkg (one object of go list -json) is; its "Dir" and "ImportPath"
 * into *dir and *ip (pointing into pkg). */
enum xb_uptodate_pkg xb_uptodate_pkg_kind(json_t *pkg, const char **dir,
					  const char **ip);
/* GOROOT, from the folder of a standard package (GOROOT/src/<ip>); NULL
 * when dir is not that.  The caller frees it. */
char *xb_uptodate_goroot(const char *dir, const char *ip);

#endif
