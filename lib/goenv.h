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
/* Many such questions (tags may be NULL), asked at once: an answer the
 * go list cache has is taken, and go list runs for the others, at most
 * jobs at a time (worker threads); xb_goenv_pkginfo then finds every
 * answer in g.  A question asked twice runs once.  The caller goes on
 * while go list runs. */
typedef struct xb_pkgq {
	const char *pkg, *goos, *goarch, *tags;
} xb_pkgq;
typedef struct xb_prefetch xb_prefetch;
/* Start asking qs[0..n) (which must outlive *pf): the cache's answers
 * are looked up here, go list starts for the others. */
xb_code xb_goenv_prefetch_start(xb_goenv *g, const xb_pkgq *qs, size_t n,
				int jobs, xb_prefetch **pf, xb_err *err);
/* Readable when another go list has ended. */
int xb_goenv_prefetch_fd(const xb_prefetch *pf);
/* Take the answers that came, in order, into g (never waits for a go
 * list): *upto is how many of the first questions g now answers.  A go
 * list that could not run is a failure. */
xb_code xb_goenv_prefetch_take(xb_prefetch *pf, size_t *upto, xb_err *err);
/* Start no more go list, wait for those running, free (NULL: nothing). */
void xb_goenv_prefetch_end(xb_prefetch *pf);

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
