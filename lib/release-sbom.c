/* release-sbom.c: the release's SBOMs: one beside each binary, as its
 * plan's sbom setting says, written by sbom.c from the binary's facts,
 * recorded in the manifest and listed with the release's files. */
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "release.h"
#include "sbom.h"

/* Whether path is already one of the release's files. */
static bool taken(const xb_release *r, const char *path)
{
	for (size_t i = 0; i < r->nartifacts; i++)
		if (!strcmp(r->artifacts[i].path, path))
			return true;
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rels[i], path))
			return true;
	for (size_t a = 0; a < r->narchives; a++)
		if (!strcmp(r->archives[a].path, path))
			return true;
	return false;
}

/* The SBOM of binary i, written as rel (owned by the caller, kept in
 * r->artifacts until the release is released: see xb_release_sboms). */
static xb_code release_one(xb_release *r, size_t i, const char *rel,
			   const char *dir, const xb_plan *pl,
			   const xb_run_target *rt, long long epoch,
			   xb_manifest *m, xb_err *err)
{
	xb_sbom_opts o = { pl->sbom, r->rels[i], rt->sha256, epoch, pl };
	xb_buf doc = XB_BUF_INIT, path = XB_BUF_INIT, det = XB_BUF_INIT;
	xb_release_artifact *a;
	unsigned char d[32];
	xb_json j;
	xb_code rc;

	xb_json_init(&j, &det, false);
	xb_json_obj_begin(&j);
	xb_json_kstr(&j, "format", pl->sbom);
	xb_json_kstr(&j, "artifact", r->rels[i]);
	/* as its binary: a merge tells one target's several binaries (of
	 * several builds or packages) apart by these */
	xb_json_kstr(&j, "build", pl->build_id);
	xb_json_kstr(&j, "package", pl->pkg);
	xb_json_obj_end(&j);
	xb_buf_addf(&path, "%s/%s", dir, rel);
	if ((rc = xb_sbom_write(&rt->facts, &o, &doc, err)))
		goto out;
	if (xb_json_finish(&j) || xb_buf_failed(&path)) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = xb_write_file_atomic(xb_buf_str(&path), doc.data, doc.len,
				       0644, err)) ||
	    (rc = xb_manifest_add(m, dir, rel, pl->target, "sbom",
				  xb_buf_str(&det), err)) ||
	    (rc = xb_sha256_file(xb_buf_str(&path), d, err)))
		goto out;
	if (!(a = xb_release_add_artifact(r, rel, pl->target, "sbom"))) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto out;
	}
	a->size = doc.len;
	xb_hex(d, 32, a->sha256);
out:
	xb_buf_release(&doc);
	xb_buf_release(&path);
	xb_buf_release(&det);
	return rc;
}

xb_code xb_release_sboms(xb_release *r, const char *dir, const xb_plan *plans,
			  const xb_run_target *rt, long long epoch,
			  xb_manifest *m, xb_err *err)
{
	xb_code rc = XB_OK;

	for (size_t i = 0; i < r->n && !rc; i++) {
		const xb_plan *pl = &plans[i];
		xb_buf rel = XB_BUF_INIT;

		if (!pl->sbom || !strcmp(pl->sbom, "none"))
			continue;
		xb_buf_addf(&rel, "%s%s", r->rels[i], xb_sbom_suffix(pl->sbom));
		if (xb_buf_failed(&rel) ||
		    xb_strv_push(&r->sbom_paths, xb_buf_str(&rel))) {
			xb_buf_release(&rel);
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		}
		if (taken(r, xb_buf_str(&rel)))
			rc = xb_fail(err, XB_ERR_USAGE, "the SBOM of '%s' would "
				     "overwrite '%s'", r->rels[i],
				     xb_buf_str(&rel));
		else
			rc = release_one(r, i, r->sbom_paths.v[r->sbom_paths.n - 1],
					 dir, pl, &rt[i], epoch, m, err);
		xb_buf_release(&rel);
	}
	return rc;
}
