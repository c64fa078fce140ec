/* gover.h: what the rest of lib/ and the tests use of Go releases
 * (gover.c) beyond xbuild.h, private to them: release names and their
 * order, go.mod's toolchain line, releases in the module cache. */
#ifndef XB_GOVER_H
#define XB_GOVER_H

#include "xbuild.h"

/*
 * A Go release name, "1.27.3" or "go1.27.3", as "go1.27.3" in out (n
 * bytes).  Releases of Go 1.21 and later have three numbers (1.21.0 is
 * the first of 1.21); older ones are 1.N or 1.N.P with P from 1.  False
 * for anything else: 1.27, go1.27rc1, devel builds.
 */
bool xb_gover_release(const char *v, char *out, size_t n);
/* Order two Go versions ("go1.27.3", "1.21rc2", "devel go1.23-abc"): <0,
 * 0, >0; a prerelease comes before its release. */
int xb_gover_cmp(const char *a, const char *b);
/*
 * The go.mod that governs dir (NULL: the current directory), found as go
 * finds it: in dir, else in the nearest parent.  *gomod is its path from
 * dir ("go.mod", "../go.mod"; NULL when there is none); *toolchain and
 * *line are its toolchain line's value
 * ("go1.27.3") and number (NULL, 0 when it has none).  Caller frees both.
 */
xb_code xb_gomod_toolchain(const char *dir, char **gomod, unsigned *line,
			   char **toolchain, xb_err *err);

/* The go command of release ("go1.27.3") for host ("linux-amd64") that go
 * fetched into the module cache modcache for GOTOOLCHAIN, or NULL when it
 * is not there.  Caller frees. */
char *xb_gover_cached_go(const char *modcache, const char *release,
			 const char *host);

#endif
