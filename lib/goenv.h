/* goenv.h: what the planner and the tests use of the Go toolchain's
 * answers (goenv.c) beyond xbuild.h, private to them: its version and
 * ports, what a package needs, the cgo link inputs. */
#ifndef XB_GOENV_H
#define XB_GOENV_H

#include "xbuild.h"

/* Set the version from "go1.21.3" / "devel go1.22-abc" (for tests and
 * open). */
xb_code xb_goenv_set_version(xb_goenv *g, const char *version, xb_err *err);
/* Add a port (for tests and open). */
xb_code xb_goenv_add_port(xb_goenv *g, const char *goos, const char *goarch,
			  bool cgo, bool first_class);
/* True when the toolchain is at least major.minor. */
bool xb_goenv_at_least(const xb_goenv *g, int major, int minor);
/* The port, or NULL when this Go does not support it. */
const xb_goport *xb_goenv_port(const xb_goenv *g, const char *goos,
			       const char *goarch);
/*
 * What pkg needs on goos/goarch with tags (comma-separated, may be NULL).
 * Cached: the same question never runs go list twice in a run, and an
 * earlier run's answer is taken from the go list cache (listcache.h)
 * while nothing it depends on changed (the answer's cache says "hit").
 * The answer is owned by g.  A package go list cannot load is not a
 * failure here: the answer has ok false and the error.
 */
xb_code xb_goenv_pkginfo(xb_goenv *g, const char *pkg, const char *goos,
			 const char *goarch, const char *tags,
			 const xb_pkginfo **out, xb_err *err);
void xb_pkginfo_release(xb_pkginfo *i);
/* The question xb_goenv_pkginfo asks: go list's arguments after the go
 * command, NULL-terminated in args. */
void xb_goenv_list_args(const xb_goenv *g, const char *pkg, const char *tags,
			const char *args[12]);
/* Its answer: go list's output text (taken, freed here) into info, which
 * is marked ok.  XB_ERR_NOMEM when a piece could not be kept. */
xb_code xb_goenv_list_parse(char *text, xb_pkginfo *info);

struct xb_cgolink;
/*
 * The cgo link inputs of pkg (xb_cgolink_query, cgolink.c) for
 * goos/goarch with tags (comma-separated, may be NULL) and the C compiler
 * cc: go list -deps -json runs in g->dir with envp (the build's
 * environment; NULL: g->envp) with GOOS, GOARCH, CGO_ENABLED=1, CC and
 * GOFLAGS=-tags=... set over it.  Cached like xb_goenv_pkginfo: many
 * targets with the same answer run go list once.  A package go list
 * cannot load is an answer, not a failure: *out is NULL and *error its
 * message.  Both are owned by g.
 */
xb_code xb_goenv_cgolink(xb_goenv *g, const char *pkg, const char *goos,
			 const char *goarch, const char *tags, const char *cc,
			 const char *const *envp, const struct xb_cgolink **out,
			 const char **error, xb_err *err);
/* Put an answer into that cache (for tests): q (NULL with error: a
 * failure) is moved in and left empty. */
xb_code xb_goenv_cgolink_put(xb_goenv *g, const char *pkg, const char *goos,
			     const char *goarch, const char *tags,
			     const char *cc, struct xb_cgolink *q,
			     const char *error);

#endif
