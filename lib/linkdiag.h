/* linkdiag.h: what a failed or warned link means (linkdiag.c), private
 * to lib/ (the run engine) and the tests. */
#ifndef XB_LINKDIAG_H
#define XB_LINKDIAG_H

#include "xbuild.h"

#define XB_LINKDIAG_MAX 20 /* default cap on diagnoses */

typedef struct xb_linkdiag_opts {
	const char *const *lib_dirs; /* folders whose lib*.a are searched for
				      * undefined symbols, in order (see
				      * xb_cgolink_lib_dirs); NULL: none */
	const char *sysroot;   /* when lib_dirs is NULL: its folders */
	const char *triplet;
	size_t max;            /* cap on diagnoses; 0: XB_LINKDIAG_MAX */
} xb_linkdiag_opts;

/*
 * Read linker output (GNU ld, gold, lld, zig, ld64) and append one line
 * per finding to diagnoses, deduplicated and capped: undefined symbols
 * of well-known libraries ("needs -lm"), others looked up in the static
 * archives of lib_dirs ("defined in /sysroot/usr/lib/libfoo.a; add
 * -lfoo", or in none), missing and wrong-architecture libraries, and
 * glibc's static-link warnings with their run-time consequence and fix.
 * Returns the number of error findings (undefined symbols, missing
 * libraries), 0 when only warnings or nothing were found.
 */
size_t xb_linkdiag(const char *out, size_t len, const xb_linkdiag_opts *o,
		   xb_strv *diagnoses);
/* Is this line of xb_linkdiag a glibc NSS warning (name lookups that
 * need the build machine's glibc at run time: what nss_warnings: error
 * refuses)?  dlopen's warning and every other finding are not. */
bool xb_linkdiag_nss(const char *diagnosis);

#endif
