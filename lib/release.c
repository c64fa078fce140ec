/* release.c: the release folder of `xbuild release`: where each binary
 * goes inside it, which archives hold them, the shard a machine builds,
 * and the manifest, archives and checksums written once every artifact
 * is proven.  Nothing here prints; the caller shows the results. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bin/reprodiff.h"
#include "pack.h"
#include "pkg.h"
#include "manifest.h"
#include "sbom.h"
#include "release.h"

void xb_release_init(xb_release *r)
{
	memset(r, 0, sizeof(*r));
}

void xb_release_archives_clear(xb_release *r)
{
	for (size_t i = 0; i < r->narchives; i++) {
		xb_release_archive *a = &r->archives[i];
		free(a->path);
		xb_strv_release(&a->srcs);
		xb_strv_release(&a->names);
		xb_strv_release(&a->files);
		xb_strv_release(&a->file_names);
		free(a->file_modes);
		free(a->file_mtimes);
	}
	free(r->archives);
	r->archives = NULL;
	r->narchives = 0;
}

void xb_release_release(xb_release *r)
{
	for (size_t i = 0; r->rels && i < r->n; i++)
		free(r->rels[i]);
	free(r->rels);
	xb_release_archives_clear(r);
	for (size_t i = 0; i < r->nuniversals; i++)
		free(r->universals[i].path);
	free(r->universals);
	free(r->artifacts);
	xb_strv_release(&r->sbom_paths);
	free(r->raw);
	free(r->sums);
	xb_strv_release(&r->pkg_paths);
	xb_release_init(r);
}

/* ---- the shard ----------------------------------------------------------- */

xb_code xb_release_shard(xb_plan *plans, size_t *n, const xb_profile *p,
			 const xb_strv *matrix, int k, int count, xb_err *err)
{
	unsigned *w = calloc(matrix->n ? matrix->n : 1, sizeof(*w));
	int *of = calloc(matrix->n ? matrix->n : 1, sizeof(*of));
	size_t keep = 0;
	xb_code rc;

	if (!w || !of) {
		free(w);
		free(of);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	/* the matrix lists the profile's targets in its order */
	for (size_t m = 0; m < matrix->n && m < p->ntargets; m++)
		w[m] = xb_shard_weight(&p->targets[m]);
	if ((rc = xb_shard_split_profile(p, matrix, w, count, of, err))) {
		free(w);
		free(of);
		return rc;
	}
	for (size_t i = 0; i < *n; i++) {
		int mine = 0;
		for (size_t m = 0; m < matrix->n; m++)
			if (!strcmp(matrix->v[m], plans[i].target))
				mine = of[m] == k;
		if (mine)
			plans[keep++] = plans[i];
		else
			xb_plan_release(&plans[i]);
	}
	*n = keep;
	free(w);
	free(of);
	return XB_OK;
}

/* ---- the layout ---------------------------------------------------------- */

/* Archive formats xb_pack writes. */
static bool pack_format(const char *f)
{
	return !strcmp(f, "tar.gz") || !strcmp(f, "tar.xz") ||
	       !strcmp(f, "tar.zst") || !strcmp(f, "zip");
}

bool xb_release_inside(const char *out)
{
	if (!*out || *out == '/')
		return false;
	for (const char *p = out; *p;) {
		size_t k = strcspn(p, "/");
		if (k == 0 || (k == 2 && !strncmp(p, "..", 2)) ||
		    (k == 1 && *p == '.'))
			return false;
		p += k + (p[k] == '/');
	}
	return true;
}

/* Where plan output `out` goes inside the release folder: the template's
 * path less a leading "dist/" (or "DIR/" of -o).  NULL when it would leave
 * the folder. */
static const char *relpath(const char *out, const char *dist)
{
	size_t n = strlen(dist);

	while (n > 1 && dist[n - 1] == '/')
		n--;
	while (!strncmp(out, "./", 2))
		out += 2;
	if (!strncmp(out, dist, n) && out[n] == '/')
		out += n + 1;
	else if (!strncmp(out, "dist/", 5))
		out += 5;
	return xb_release_inside(out) ? out : NULL;
}

void xb_release_default_name(const char *rel, xb_buf *path)
{
	const char *slash = strrchr(rel, '/');
	size_t k = slash ? (size_t)(slash - rel) : strlen(rel);

	if (!slash && k > 4 && !strcmp(rel + k - 4, ".exe"))
		k -= 4;
	xb_buf_add(path, rel, k);
}

xb_release_archive *xb_release_archive_at(xb_release *r, const char *path,
					  const char *format,
					  const char *target)
{
	xb_release_archive *a;

	for (size_t i = 0; i < r->narchives; i++)
		if (!strcmp(r->archives[i].path, path))
			return &r->archives[i];
	a = realloc(r->archives, (r->narchives + 1) * sizeof(*a));
	if (!a)
		return NULL;
	r->archives = a;
	a = &a[r->narchives];
	memset(a, 0, sizeof(*a));
	if (!(a->path = strdup(path)))
		return NULL;
	r->narchives++;
	a->format = format;
	a->target = target;
	xb_strv_init(&a->srcs);
	xb_strv_init(&a->names);
	xb_strv_init(&a->files);
	xb_strv_init(&a->file_names);
	return a;
}

/* The binary at rel goes into "DIR.FORMAT" as "BASE/FILE" when rel is
 * "PARENT/DIR/FILE" ("BASE" the last part of DIR), else "NAME.FORMAT"
 * beside it (NAME: rel without its .exe). */
static xb_code archive_add(xb_release *r, const char *rel, const char *format,
			   const char *target, xb_err *err)
{
	const char *slash = strrchr(rel, '/'), *name = rel;
	xb_buf path = XB_BUF_INIT;
	xb_release_archive *a;

	xb_release_default_name(rel, &path);
	if (slash) {
		name = slash;
		while (name > rel && name[-1] != '/')
			name--;
	}
	xb_buf_addf(&path, ".%s", format);
	a = xb_buf_failed(&path) ? NULL :
		xb_release_archive_at(r, xb_buf_str(&path), format, target);
	xb_buf_release(&path);
	if (!a || xb_strv_push(&a->srcs, rel) || xb_strv_push(&a->names, name))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

/* Where plan i goes, refusing what would leave the folder, clash with the
 * release's own files or with another plan. */
static xb_code layout_one(xb_release *r, const xb_plan *plans, size_t i,
			  const char *dist, xb_err *err)
{
	const xb_plan *pl = &plans[i];
	const char *rel = relpath(pl->output ? pl->output : "", dist);

	if (!rel)
		return xb_fail(err, XB_ERR_USAGE, "%s: output '%s' is not a path "
			       "inside the release folder (fix the profile's "
			       "output template)", pl->target,
			       pl->output ? pl->output : "");
	if (!strcmp(rel, "manifest.json") || !strcmp(rel, "SHA256SUMS"))
		return xb_fail(err, XB_ERR_USAGE, "%s: output '%s' is a name the "
			       "release uses itself", pl->target, rel);
	for (size_t k = 0; k < i; k++)
		if (!strcmp(r->rels[k], rel))
			return xb_fail(err, XB_ERR_USAGE, "%s and %s both write "
				       "'%s' (put {target} in the profile's "
				       "output template)", plans[k].target,
				       pl->target, rel);
	if (!(r->rels[i] = strdup(rel)))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (size_t a = 0; a < pl->archives.n; a++) {
		const char *f = pl->archives.v[a];
		xb_code rc;
		if (!pack_format(f))
			return xb_fail(err, XB_ERR_USAGE, "%s: archive format '%s' "
				       "is not supported by release (expected "
				       "tar.gz, tar.xz, tar.zst or zip)",
				       pl->target, f);
		if ((rc = archive_add(r, r->rels[i], f, pl->target, err)))
			return rc;
	}
	return XB_OK;
}

xb_code xb_release_layout(xb_release *r, const xb_plan *plans, size_t n,
			  const char *dist, xb_err *err)
{
	xb_code rc;

	r->rels = calloc(n ? n : 1, sizeof(*r->rels));
	if (!r->rels)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	r->n = n;
	for (size_t i = 0; i < n; i++)
		if ((rc = layout_one(r, plans, i, dist, err)))
			return rc;
	for (size_t a = 0; a < r->narchives; a++)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(r->archives[a].path, r->rels[i]))
				return xb_fail(err, XB_ERR_USAGE, "archive '%s' "
					       "would overwrite a binary",
					       r->archives[a].path);
	return xb_release_universal_layout(r, plans, n, err);
}

xb_code xb_release_mkparent(const char *path, xb_err *err)
{
	char *d = strdup(path), *slash;
	xb_code rc = XB_OK;

	if (!d)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if ((slash = strrchr(d, '/')) && slash != d) {
		*slash = '\0';
		rc = xb_mkdir_p(d, err);
	}
	free(d);
	return rc;
}

xb_code xb_release_retarget(const xb_release *r, xb_plan *plans,
			    const char *folder, bool mkdirs, xb_err *err)
{
	for (size_t i = 0; i < r->n; i++) {
		xb_plan *pl = &plans[i];
		xb_buf b = XB_BUF_INIT;

		if (xb_buf_addf(&b, "%s/%s", folder, r->rels[i]))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		free(pl->output);
		pl->output = xb_buf_take(&b);
		for (size_t k = 0; k + 1 < pl->argv.n; k++) {
			if (strcmp(pl->argv.v[k], "-o"))
				continue;
			free(pl->argv.v[k + 1]);
			pl->argv.v[k + 1] = strdup(pl->output);
			if (!pl->argv.v[k + 1])
				return xb_fail(err, XB_ERR_NOMEM, "out of memory");
			break;
		}
		if (mkdirs && xb_release_mkparent(pl->output, err))
			return XB_ERR_IO;
	}
	return XB_OK;
}

/* ---- reproducibility ----------------------------------------------------- */

size_t xb_release_compare(const xb_release *r, const xb_plan *plans,
			  const char *a, const char *b, xb_strv *probs)
{
	size_t bad = 0;

	for (size_t i = 0; i < r->n; i++) {
		xb_buf pa = XB_BUF_INIT, pb = XB_BUF_INIT;
		xb_err err = XB_ERR_INIT;
		bool same = false;
		uint64_t off = 0;
		char *where = NULL;

		xb_buf_addf(&pa, "%s/%s", a, r->rels[i]);
		xb_buf_addf(&pb, "%s/%s", b, r->rels[i]);
		if (xb_file_diff(xb_buf_str(&pa), xb_buf_str(&pb), &same, &off,
				 &where, &err)) {
			xb_strv_push(probs, xb_errmsg(&err));
			bad++;
		} else if (!same) {
			xb_strv_pushf(probs, "not reproducible: %s (%s): the two "
				      "builds differ first at byte %llu, in %s",
				      r->rels[i], plans[i].target,
				      (unsigned long long)off,
				      where ? where : "no known section");
			bad++;
		}
		free(where);
		xb_buf_release(&pa);
		xb_buf_release(&pb);
	}
	return bad;
}

/* ---- writing ------------------------------------------------------------- */

static xb_code set_time(const char *path, long long epoch, xb_err *err)
{
	struct timespec t[2] = { { (time_t)epoch, 0 }, { (time_t)epoch, 0 } };

	if (utimensat(AT_FDCWD, path, t, 0) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot set the time of '%s':",
			       path);
	return XB_OK;
}

xb_release_artifact *xb_release_add_artifact(xb_release *r, const char *path,
					     const char *target,
					     const char *kind)
{
	xb_release_artifact *a = realloc(r->artifacts, (r->nartifacts + 1) *
					 sizeof(*a)), *o;

	if (!a)
		return NULL;
	r->artifacts = a;
	o = &a[r->nartifacts++];
	memset(o, 0, sizeof(*o));
	o->path = path;
	o->target = target;
	o->kind = kind;
	return o;
}

/* The entries of archive ar of the release in dir: its binaries, then its
 * project files; full holds the binaries' paths. */
static xb_pack_entry *entries_of(const xb_release_archive *ar,
				 const char *dir, xb_strv *full, size_t *n)
{
	xb_pack_entry *e;

	*n = ar->srcs.n + ar->files.n;
	if (!(e = calloc(*n ? *n : 1, sizeof(*e))))
		return NULL;
	for (size_t k = 0; k < ar->srcs.n; k++)
		xb_strv_pushf(full, "%s/%s", dir, ar->srcs.v[k]);
	if (full->n != ar->srcs.n) {
		free(e);
		return NULL;
	}
	for (size_t k = 0; k < ar->srcs.n; k++) {
		e[k].src = full->v[k];
		e[k].name = ar->names.v[k];
		e[k].executable = true;
	}
	for (size_t k = 0; k < ar->files.n; k++) {
		xb_pack_entry *f = &e[ar->srcs.n + k];
		f->src = ar->files.v[k];
		f->name = ar->file_names.v[k];
		f->mode = ar->file_modes[k];
		f->has_mtime = ar->file_mtimes[k] >= 0;
		f->mtime = ar->file_mtimes[k];
	}
	return e;
}

/* Format binary: the binary copied to the archive's path, with its time. */
static xb_code copy_raw(const xb_release_archive *ar, const char *dir,
			const char *out, long long epoch, xb_err *err)
{
	xb_buf src = XB_BUF_INIT;
	xb_code rc;

	if (xb_buf_addf(&src, "%s/%s", dir, ar->srcs.v[0]))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	rc = xb_copy_file(xb_buf_str(&src), out, err);
	if (!rc && chmod(out, 0755) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot chmod '%s':", out);
	if (!rc)
		rc = set_time(out, epoch, err);
	xb_buf_release(&src);
	return rc;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pack one archive in dir and record it. */
static xb_code write_archive(xb_release *r, xb_release_archive *ar,
			     const char *dir, long long epoch, xb_manifest *m,
			     xb_err *err)
{
	xb_strv full = XB_STRV_INIT, contents = XB_STRV_INIT;
	xb_buf path = XB_BUF_INIT;
	xb_release_artifact *o;
	xb_pack_entry *e;
	unsigned char d[32];
	struct stat st;
	size_t n = 0;
	xb_code rc;

	e = entries_of(ar, dir, &full, &n);
	xb_strv_pushsv(&contents, &ar->names);
	xb_strv_pushsv(&contents, &ar->file_names);
	if (!xb_strv_failed(&contents) && contents.n > 1)
		qsort(contents.v, contents.n, sizeof(*contents.v), by_str);
	if (!e || xb_strv_failed(&contents) ||
	    xb_buf_addf(&path, "%s/%s", dir, ar->path))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	else if (!strcmp(ar->format, "binary"))
		rc = copy_raw(ar, dir, xb_buf_str(&path), epoch, err);
	else
		rc = xb_pack(xb_buf_str(&path), ar->format, e, n, epoch, err);
	if (!rc)
		rc = xb_manifest_add_archive(m, dir, ar->path, ar->target,
					     ar->format, &contents, epoch, err);
	if (!rc && r->assets && ar->asset)
		rc = xb_manifest_set_asset(m, ar->path, ar->id, err);
	if (!rc)
		rc = xb_sha256_file(xb_buf_str(&path), d, err);
	if (!rc && !(o = xb_release_add_artifact(r, ar->path, ar->target,
						 "archive")))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (!rc) {
		xb_hex(d, 32, o->sha256);
		if (stat(xb_buf_str(&path), &st) == 0)
			o->size = (uint64_t)st.st_size;
	}
	free(e);
	xb_strv_release(&full);
	xb_strv_release(&contents);
	xb_buf_release(&path);
	return rc;
}

/* Each binary's time is the release's (the commit's), as in its
 * archives. */
static xb_code set_times(const xb_release *r, const char *dir,
			 long long epoch, xb_err *err)
{
	xb_code rc = XB_OK;

	for (size_t i = 0; !rc && i < r->n; i++) {
		xb_buf p = XB_BUF_INIT;
		if (xb_buf_addf(&p, "%s/%s", dir, r->rels[i]))
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		else
			rc = set_time(xb_buf_str(&p), epoch, err);
		xb_buf_release(&p);
	}
	return rc;
}

/* The checksum file (named by xb_release_assets) in the listing. */
static xb_code list_sums(xb_release *r, const char *dir, xb_err *err)
{
	xb_buf p = XB_BUF_INIT;
	xb_release_artifact *o;
	unsigned char d[32];
	struct stat st;
	xb_code rc;

	if (!r->assets || !r->sums)
		return XB_OK;
	if (xb_buf_addf(&p, "%s/%s", dir, r->sums))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (!(rc = xb_sha256_file(xb_buf_str(&p), d, err)) &&
	    !(o = xb_release_add_artifact(r, r->sums, "", "checksum")))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (!rc) {
		xb_hex(d, 32, o->sha256);
		if (stat(xb_buf_str(&p), &st) == 0)
			o->size = (uint64_t)st.st_size;
	}
	xb_buf_release(&p);
	return rc;
}

/* The Linux packages of r->packages, written and recorded. */
static xb_code write_packages(xb_release *r, const char *dir,
			      const xb_plan *plans, const xb_run_target *rt,
			      long long epoch, xb_manifest *m, xb_err *err)
{
	size_t max = xb_pkg_count(r->packages, plans, r->n), n = 0;
	xb_pkg_out *out = calloc(max + 1, sizeof(*out));
	xb_code rc;

	if (!out)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	rc = xb_pkg_write_all(r->packages, dir, plans, r->rels, rt, r->n,
			      r->version ? r->version : "dev", epoch, m, out,
			      &n, err);
	for (size_t i = 0; i < n; i++) {
		xb_release_artifact *o = NULL;

		/* a package is released as it is: the checksum file lists it */
		if (!rc && r->assets)
			rc = xb_manifest_set_asset(m, out[i].path, NULL, err);
		if (!rc && !xb_strv_push(&r->pkg_paths, out[i].path) &&
		    (o = xb_release_add_artifact(r,
				r->pkg_paths.v[r->pkg_paths.n - 1],
				out[i].target, "package"))) {
			o->size = out[i].size;
			memcpy(o->sha256, out[i].sha256, sizeof(o->sha256));
		} else if (!rc) {
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		}
		free(out[i].path);
	}
	free(out);
	return rc;
}

xb_code xb_release_write(xb_release *r, const char *dir, const xb_plan *plans,
			 const xb_run_target *rt, const char *go_version,
			 long long epoch, xb_manifest *m, xb_err *err)
{
	xb_code rc;

	free(r->artifacts);
	r->artifacts = NULL;
	r->nartifacts = 0;
	if ((rc = set_times(r, dir, epoch, err)))
		return rc;
	for (size_t i = 0; i < r->n; i++) {
		xb_release_artifact *o;

		if ((rc = xb_manifest_add_binary(m, dir, r->rels[i], &plans[i],
						 &rt[i].facts, go_version, err)) ||
		    (r->assets && r->raw[i] &&
		     (rc = xb_manifest_set_asset(m, r->rels[i], NULL, err))))
			return rc;
		if (!(o = xb_release_add_artifact(r, r->rels[i], plans[i].target,
						  "binary")))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		o->size = rt[i].size;
		memcpy(o->sha256, rt[i].sha256, sizeof(o->sha256));
	}
	for (size_t a = 0; a < r->narchives; a++)
		if ((rc = write_archive(r, &r->archives[a], dir, epoch, m, err)))
			return rc;
	if ((rc = xb_release_universal_write(r, dir, plans, m, err)) ||
	    (rc = xb_release_sboms(r, dir, plans, rt, epoch, m, err)) ||
	    (rc = write_packages(r, dir, plans, rt, epoch, m, err)))
		return rc;
	if (r->assets && (rc = xb_manifest_set_checksum(m, r->sums,
							r->algorithm, err)))
		return rc;
	if ((rc = xb_manifest_write(m, dir, err)))
		return rc;
	return list_sums(r, dir, err);
}
