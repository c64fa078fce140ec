/* zig.h: zig's compiler wrappers (zig.c), private to lib/ (the toolchain
 * search) and the tests. */
#ifndef XB_ZIG_H
#define XB_ZIG_H

#include "xbuild.h"

/*
 * Write (or reuse) the zig wrappers for a zig target ("aarch64-linux-musl")
 * under cache/zig/<target>/: cc and c++, small sh scripts that exec
 * `zig cc -target T` with flags zig rejects dropped or translated, and
 * ZIG_GLOBAL_CACHE_DIR/ZIG_LOCAL_CACHE_DIR pointed into the cache unless
 * already set.  *cc and *cxx: caller frees.
 */
xb_code xb_zig_wrappers(const char *zig, const char *zig_target,
			const char *cache, char **cc, char **cxx, xb_err *err);

#endif
