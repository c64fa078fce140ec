/* universal.h: universal (fat) Mach-O binaries (universal.c), private to
 * lib/ (the release) and the tests. */
#ifndef XB_UNIVERSAL_H
#define XB_UNIVERSAL_H

#include "xbuild.h"

#define XB_UNIVERSAL_MAX 8 /* slices of one fat file */

/*
 * Write out as a fat Mach-O of the thin 64-bit Mach-O files paths[0..n),
 * as `lipo -create` does: each slice at an offset aligned to its
 * architecture's page (2^14 for arm64, else 2^12), ordered by alignment.
 * Written beside out and renamed into place.  XB_ERR_FORMAT for a file
 * that is not a thin 64-bit Mach-O, XB_ERR_USAGE for two of one CPU.
 */
xb_code xb_universal_write(const char *out, const char *const *paths, size_t n,
			   xb_err *err);

/* The universal binaries of a release's plans (those of a universal
 * build): each darwin/amd64 plan with the darwin/arm64 plan of its build
 * and package; the path is the amd64 one's with "amd64" and a level
 * after it ("_v1", "-v3") replaced by "all".  XB_ERR_USAGE when a
 * universal build lacks one of the two, or a path clashes. */
xb_code xb_release_universal_layout(xb_release *r, const xb_plan *plans,
				    size_t n, xb_err *err);
/* Write each into dir, prove it (a fat Mach-O of both slices) and record
 * it in m and r->artifacts. */
xb_code xb_release_universal_write(xb_release *r, const char *dir,
				   const xb_plan *plans, xb_manifest *m,
				   xb_err *err);

#endif
