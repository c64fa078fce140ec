/* uptodate-int.h: what uptodate.c and uptodate-list.c share, private to
 * them. */
#ifndef XB_UPTODATE_INT_H
#define XB_UPTODATE_INT_H

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

#endif
