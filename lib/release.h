/* release.h: what the files of the release module (release.c,
 * release-archive.c) share, private to them and the tests. */
#ifndef XB_RELEASE_H
#define XB_RELEASE_H

#include "xbuild.h"

/* The archive at path of r, made (empty, of format and target) when r has
 * none; NULL when out of memory. */
xb_release_archive *xb_release_archive_at(xb_release *r, const char *path,
					  const char *format,
					  const char *target);
/* Free what the archives of r own, and forget them. */
void xb_release_archives_clear(xb_release *r);
/* The name the archives setting gives an archive of the binary at rel:
 * "DIR" of "DIR/FILE", else rel less ".exe"; appended to path. */
void xb_release_default_name(const char *rel, xb_buf *path);
/* A path that stays inside the release folder: relative, no empty, "."
 * or ".." part. */
bool xb_release_inside(const char *path);

#endif
