/* manifest.h: what the release (release.c) and the tests use of the
 * manifest (manifest.c) beyond xbuild.h, private to them: recording
 * artifacts, writing the manifest and SHA256SUMS, loading one. */
#ifndef XB_MANIFEST_H
#define XB_MANIFEST_H

#include "xbuild.h"

/* Record dir/path (path relative to the release folder) with its size and
 * sha256; details_json, an object, adds keys (facts, argv, env...). kind is
 * "binary" or "archive". */
xb_code xb_manifest_add(xb_manifest *m, const char *dir, const char *path,
			const char *target, const char *kind,
			const char *details_json, xb_err *err);
/* Record the binary dir/path, built by plan pl, with its facts: package,
 * Go version, facts, C toolchain, env, argv (go by name, -o naming path)
 * and the plan's reasons.  Nothing names dir or this machine's Go cache. */
xb_code xb_manifest_add_binary(xb_manifest *m, const char *dir,
			       const char *path, const xb_plan *pl,
			       const xb_facts *f, const char *go_version,
			       xb_err *err);
/* Record the archive dir/path of target with its format, the names inside
 * it and their time. */
xb_code xb_manifest_add_archive(xb_manifest *m, const char *dir,
				const char *path, const char *target,
				const char *format, const xb_strv *contents,
				long long mtime, xb_err *err);
/* Mark the artifact at path as a released asset (the checksum file lists
 * it), of the archives: entry id (NULL: none). */
xb_code xb_manifest_set_asset(xb_manifest *m, const char *path,
			      const char *id, xb_err *err);
/* The checksum file: name (NULL: none at all) of the assets' algorithm
 * ("sha256", "sha512") digests.  Unset, SHA256SUMS lists every file. */
xb_code xb_manifest_set_checksum(xb_manifest *m, const char *name,
				 const char *algorithm, xb_err *err);
/* Write the checksum file (SHA256SUMS of every artifact, or as
 * xb_manifest_set_checksum said, itself then an artifact of kind
 * "checksum"), then dir/manifest.json, each atomically and sorted by
 * path. */
xb_code xb_manifest_write(xb_manifest *m, const char *dir, xb_err *err);
/* Set a top-level key to json (text of any JSON value); when both the old
 * and the new value are objects, the new keys are added to the old ones
 * ("source" gains "dirty").  Keys the merge compares must agree across
 * shards. */
xb_code xb_manifest_set(xb_manifest *m, const char *key, const char *json,
			xb_err *err);
/* Load dir/manifest.json; NULL with err set when it cannot be read. */
xb_manifest *xb_manifest_load(const char *dir, xb_err *err);

#endif
