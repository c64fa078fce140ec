/* release.h: what the files of the release module (release.c,
 * release-archive.c, release-universal.c) share, private to them and the
 * tests. */
#ifndef XB_RELEASE_H
#define XB_RELEASE_H

#include "xbuild.h"

/* The archive at path of r, made (empty, of format and target) when r has
 * none; NULL when out of memory. */
xb_release_archive *xb_release_archive_at(xb_release *r, const char *path,
					  const char *format,
					  const char *target);
/* release-universal.c: universal (fat) Mach-O binaries --------------------- */

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

/* release-sbom.c: the release's SBOMs --------------------------------------- */

/*
 * For each binary of the release (r->rels, built by plans, results rt)
 * whose plan asks for one (pl->sbom not "none"), write its SBOM beside it
 * as REL.cdx.json or REL.spdx.json, record it in m (kind "sbom", with its
 * format and the artifact it describes) and in r->artifacts.  epoch is the
 * documents' time.  XB_ERR_USAGE when an SBOM's name is already one of
 * the release's files.
 */
xb_code xb_release_sboms(xb_release *r, const char *dir, const xb_plan *plans,
			  const xb_run_target *rt, long long epoch,
			  xb_manifest *m, xb_err *err);

/* release.c ---------------------------------------------------------------- */

/* A new entry at the end of r->artifacts (the listing of a written
 * release), zeroed but for path, target and kind; NULL when out of
 * memory. */
xb_release_artifact *xb_release_add_artifact(xb_release *r, const char *path,
					     const char *target,
					     const char *kind);
/* Make the folders on the way to path (its parent, with mkdir -p). */
xb_code xb_release_mkparent(const char *path, xb_err *err);
/* Free what the archives of r own, and forget them. */
void xb_release_archives_clear(xb_release *r);
/* The name the archives setting gives an archive of the binary at rel:
 * "DIR" of "DIR/FILE", else rel less ".exe"; appended to path. */
void xb_release_default_name(const char *rel, xb_buf *path);
/* A path that stays inside the release folder: relative, no empty, "."
 * or ".." part. */
bool xb_release_inside(const char *path);

#endif
