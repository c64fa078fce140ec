/* pkg-write.c: the Linux packages of a release (packages: in a profile):
 * one per format and linux target, holding the target's binaries and the
 * profile's contents, with the dependencies the profile names and those
 * the checker proved of each binary (a dynamic glibc binary needs its
 * libc at the highest GLIBC_x.y it uses), written through libarchive in
 * memory by the formats, pkg-deb.c and pkg-rpm.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "pkg.h"
#include "manifest.h"

/* ---- archives in memory ------------------------------------------------- */

static la_ssize_t mem_write(struct archive *a, void *ud, const void *data,
			    size_t n)
{
	if (xb_buf_add(ud, data, n)) {
		archive_set_error(a, ENOMEM, "package too large");
		return -1;
	}
	return (la_ssize_t)n;
}

static xb_code ar_fail(struct archive *a, const char *what, xb_err *err)
{
	const char *e = archive_error_string(a);

	return xb_fail(err, XB_ERR_IO, "cannot write %s: %s", what,
		       e ? e : "unknown error");
}

struct archive *xb_pkg_mem_open(xb_buf *out, const char *format, bool gzip,
				xb_err *err)
{
	struct archive *a = archive_write_new();

	if (!a) {
		xb_fail(err, XB_ERR_NOMEM, "out of memory");
		return NULL;
	}
	/* no padding after the end: ar members and RPM's payload are read
	 * to the end of their bytes */
	if (archive_write_set_format_by_name(a, format) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    (gzip && (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		      archive_write_set_options(a, "gzip:!timestamp") !=
			      ARCHIVE_OK)) ||
	    archive_write_open(a, out, NULL, mem_write, NULL) != ARCHIVE_OK) {
		ar_fail(a, format, err);
		archive_write_free(a);
		return NULL;
	}
	return a;
}

/* The bytes of src (size bytes) into a. */
static xb_code copy_file(struct archive *a, const char *src, uint64_t size,
			 xb_err *err)
{
	char chunk[65536];
	uint64_t left = size;
	xb_code rc = XB_OK;
	ssize_t n;
	int fd = open(src, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open '%s':", src);
	while (!rc && left) {
		n = read(fd, chunk, left < sizeof(chunk) ? left : sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = xb_fail(err, XB_ERR_IO, "cannot read '%s'%s", src,
				     n < 0 ? ":" : " (it changed size)");
		else if (archive_write_data(a, chunk, (size_t)n) != n)
			rc = ar_fail(a, src, err);
		else
			left -= (uint64_t)n;
	}
	close(fd);
	return rc;
}

xb_code xb_pkg_mem_entry(struct archive *a, const xb_pkg_entry *e,
			 xb_err *err)
{
	struct archive_entry *ae = archive_entry_new();
	xb_code rc = XB_OK;

	if (!ae)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	archive_entry_set_pathname(ae, e->name);
	archive_entry_set_mode(ae, e->mode);
	archive_entry_set_size(ae, (la_int64_t)e->size);
	archive_entry_set_mtime(ae, (time_t)e->mtime, 0);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	if (e->owner_names) {
		archive_entry_set_uname(ae, "root");
		archive_entry_set_gname(ae, "root");
	}
	if (e->ino) {
		archive_entry_set_ino(ae, (la_int64_t)e->ino);
		archive_entry_set_nlink(ae, 1);
	}
	if (archive_write_header(a, ae) != ARCHIVE_OK)
		rc = ar_fail(a, e->name, err);
	else if (e->src)
		rc = copy_file(a, e->src, e->size, err);
	else if (e->size && archive_write_data(a, e->data, e->size) !=
		 (la_ssize_t)e->size)
		rc = ar_fail(a, e->name, err);
	archive_entry_free(ae);
	return rc;
}

xb_code xb_pkg_mem_close(struct archive *a, xb_code rc, xb_err *err)
{
	if (archive_write_close(a) != ARCHIVE_OK && !rc)
		rc = ar_fail(a, "package", err);
	archive_write_free(a);
	return rc;
}

/* ---- what goes in -------------------------------------------------------- */

static bool linux_plan(const xb_plan *pl)
{
	return pl->goos && !strcmp(pl->goos, "linux");
}

/* The first plan of target i's, or i itself. */
static bool first_of_target(const xb_plan *plans, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (linux_plan(&plans[k]) && !strcmp(plans[k].target, plans[i].target))
			return false;
	return true;
}

size_t xb_pkg_count(const xb_pkgconf *c, const xb_plan *plans, size_t n)
{
	size_t t = 0;

	if (!c)
		return 0;
	for (size_t i = 0; i < n; i++)
		t += linux_plan(&plans[i]) && first_of_target(plans, i);
	return t * c->formats.n;
}

static void pkg_release(xb_pkg *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		free(p->files[i].src);
		free(p->files[i].data);
		free(p->files[i].dst);
	}
	free(p->files);
	free(p->deps);
	free(p->name);
	free(p->version);
	memset(p, 0, sizeof(*p));
}

/* A new file dst of p, zeroed but for dst and mode. */
static xb_pkg_file *new_file(xb_pkg *p, const char *dst, unsigned mode,
			     xb_err *err)
{
	xb_pkg_file *f;
	char *copy;

	for (size_t i = 0; i < p->nfiles; i++)
		if (!strcmp(p->files[i].dst, dst)) {
			xb_fail(err, XB_ERR_CONFLICT, "package %s would hold "
				"'%s' twice", p->name, dst);
			return NULL;
		}
	if (p->nfiles >= XB_PKG_MAX_FILES) {
		xb_fail(err, XB_ERR_USAGE, "package %s has more than %d files",
			p->name, XB_PKG_MAX_FILES);
		return NULL;
	}
	f = realloc(p->files, (p->nfiles + 1) * sizeof(*f));
	if (!f || !(copy = strdup(dst))) {
		if (f)
			p->files = f;
		xb_fail(err, XB_ERR_NOMEM, "out of memory");
		return NULL;
	}
	p->files = f;
	f = &f[p->nfiles++];
	memset(f, 0, sizeof(*f));
	f->dst = copy;
	f->mode = mode & 07777;
	return f;
}

/* The file src on disk as dst. */
static xb_code add_file(xb_pkg *p, const char *src, const char *dst,
			unsigned mode, xb_err *err)
{
	xb_pkg_file *f;
	unsigned char d[32];
	struct stat st;
	xb_code rc;

	if (stat(src, &st) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot read '%s':", src);
	if (!S_ISREG(st.st_mode))
		return xb_fail(err, XB_ERR_IO, "'%s' is not a regular file "
			       "(packages hold files)", src);
	if ((rc = xb_sha256_file(src, d, err)))
		return rc;
	if (!(f = new_file(p, dst, mode, err)))
		return err ? err->code : XB_ERR_NOMEM;
	if (!(f->src = strdup(src)))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	f->size = (uint64_t)st.st_size;
	xb_hex(d, 32, f->sha256);
	return XB_OK;
}

/* text, which xbuild writes, as dst (mode 0644); b is released. */
static xb_code add_text(xb_pkg *p, const char *dst, xb_buf *b, xb_err *err)
{
	xb_pkg_file *f;
	unsigned char d[32];
	xb_sha256 h;
	xb_code rc;

	if ((rc = xb_buf_check(b, err, dst)) || !(f = new_file(p, dst, 0644, err))) {
		xb_buf_release(b);
		return rc ? rc : err ? err->code : XB_ERR_NOMEM;
	}
	f->size = b->len;
	if (xb_sha256_init(&h) || xb_sha256_update(&h, b->data, b->len) ||
	    xb_sha256_final(&h, d))
		rc = xb_fail(err, XB_ERR_NOMEM, "cannot hash '%s'", dst);
	xb_sha256_release(&h);
	xb_hex(d, 32, f->sha256);
	if (!(f->data = xb_buf_take(b)))
		f->data = strdup("");
	return rc;
}

/* A Debian package's /usr/share/doc/NAME/copyright, which names the
 * license, unless contents holds one. */
static xb_code deb_copyright(xb_pkg *p, xb_err *err)
{
	xb_buf dst = XB_BUF_INIT, b = XB_BUF_INIT;
	xb_code rc = XB_OK;

	xb_buf_addf(&dst, "/usr/share/doc/%s/copyright", p->name);
	if ((rc = xb_buf_check(&dst, err, "a path")))
		return rc;
	for (size_t i = 0; i < p->nfiles; i++)
		if (!strcmp(p->files[i].dst, xb_buf_str(&dst)))
			goto done;
	xb_buf_addf(&b, "Upstream-Name: %s\n", p->name);
	if (p->homepage)
		xb_buf_addf(&b, "Source: %s\n", p->homepage);
	xb_buf_adds(&b, "\nFiles: *\n");
	if (p->vendor || p->maintainer)
		xb_buf_addf(&b, "Copyright: %s\n", p->vendor ? p->vendor :
			    p->maintainer);
	xb_buf_addf(&b, "License: %s\n", p->license);
	rc = add_text(p, xb_buf_str(&dst), &b, err);
done:
	xb_buf_release(&dst);
	xb_buf_release(&b);
	return rc;
}

static xb_code add_dep(xb_pkg *p, const char *name, const char *op,
		       const char *ver, xb_err *err)
{
	xb_pkg_dep *d;

	for (size_t i = 0; i < p->ndeps; i++)
		if (!strcmp(p->deps[i].name, name) && !strcmp(p->deps[i].op, op) &&
		    !strcmp(p->deps[i].ver, ver))
			return XB_OK;
	if (p->ndeps >= XB_PKG_MAX_DEPS)
		return xb_fail(err, XB_ERR_USAGE, "package %s has more than %d "
			       "dependencies", p->name, XB_PKG_MAX_DEPS);
	if (strlen(name) >= sizeof(d->name) || strlen(ver) >= sizeof(d->ver))
		return xb_fail(err, XB_ERR_USAGE, "dependency '%s' is too long",
			       name);
	d = realloc(p->deps, (p->ndeps + 1) * sizeof(*d));
	if (!d)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	p->deps = d;
	d = &d[p->ndeps++];
	memset(d, 0, sizeof(*d));
	strcpy(d->name, name);
	strcpy(d->op, op);
	strcpy(d->ver, ver);
	return XB_OK;
}

/* What the binaries' facts say they need: the C library, for a dynamic
 * one (RPM: each library by soname and the GLIBC_x.y version, as rpm's
 * own dependency generator names them; Debian: the package libc6 at the
 * version, as its shlibs file would). */
static xb_code facts_deps(xb_pkg *p, const xb_facts *const *fs, size_t nf,
			  xb_err *err)
{
	bool rpm = !strcmp(p->format, "rpm"), glibc = false, musl = false;
	const char *suffix = p->bits64 ? "(64bit)" : "";
	const char *max = NULL;
	char name[128];
	xb_code rc = XB_OK;

	for (size_t i = 0; i < nf; i++) {
		const xb_facts *f = fs[i];
		if (!f->linkage || strcmp(f->linkage, "dynamic") || !f->libc)
			continue;
		musl |= !strcmp(f->libc, "musl");
		if (strcmp(f->libc, "glibc"))
			continue;
		glibc = true;
		if (f->glibc_max && (!max || xb_version_cmp(f->glibc_max, max) > 0))
			max = f->glibc_max;
		for (size_t k = 0; rpm && !rc && k < f->needed.n; k++) {
			snprintf(name, sizeof(name), "%s()%s", f->needed.v[k], suffix);
			rc = add_dep(p, name, "", "", err);
		}
	}
	if (!rc && musl)
		rc = add_dep(p, "musl", "", "", err);
	if (rc || !glibc)
		return rc;
	if (!rpm)
		return add_dep(p, "libc6", max ? ">=" : "", max ? max : "", err);
	if (!max)
		return XB_OK;
	snprintf(name, sizeof(name), "libc.so.6(GLIBC_%s)%s", max, suffix);
	return add_dep(p, name, "", "", err);
}

static int by_dst(const void *a, const void *b)
{
	return strcmp(((const xb_pkg_file *)a)->dst,
		      ((const xb_pkg_file *)b)->dst);
}

/* The last part of rel. */
static const char *base_name(const char *rel)
{
	const char *b = strrchr(rel, '/');

	return b ? b + 1 : rel;
}

struct pctx {
	const xb_pkgconf *c;
	const char *dir;
	const xb_plan *plans;
	char *const *rels;
	const xb_run_target *rt;
	size_t n;
	const char *version;
	long long epoch;
};

/* The package of format for target t (plans[t] the first of it). */
static xb_code pkg_fill(struct pctx *x, const char *format, size_t t,
			xb_pkg *p, xb_err *err)
{
	const xb_plan *pl = &x->plans[t];
	const xb_pkgconf *c = x->c;
	const xb_facts *fs[64];
	size_t nf = 0;
	xb_buf b = XB_BUF_INIT, dst = XB_BUF_INIT;
	xb_pkg_dep d;
	xb_code rc = XB_OK;

	memset(p, 0, sizeof(*p));
	p->format = format;
	p->mtime = x->epoch;
	p->maintainer = c->maintainer;
	p->license = c->license;
	p->vendor = c->vendor;
	p->homepage = c->homepage;
	p->description = c->description;
	if (!(p->arch = xb_pkg_arch(format, pl->goarch, pl->variant)))
		return xb_fail(err, XB_ERR_UNSUPPORTED, "%s: no %s architecture "
			       "for it", pl->target, format);
	p->name = strdup(c->name ? c->name : base_name(x->rels[t]));
	p->version = xb_pkg_version(format, x->version);
	if (!p->name || !p->version)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (!xb_pkg_name_ok(p->name))
		return xb_fail(err, XB_ERR_USAGE, "'%s' is not a package name "
			       "(lowercase letters, digits, '+', '-', '.': set "
			       "packages: name)", p->name);
	for (size_t i = t; !rc && i < x->n; i++) {
		if (!linux_plan(&x->plans[i]) ||
		    strcmp(x->plans[i].target, pl->target))
			continue;
		p->bits64 |= x->rt[i].facts.bits == 64;
		if (nf < sizeof(fs) / sizeof(fs[0]))
			fs[nf++] = &x->rt[i].facts;
		xb_buf_reset(&b);
		xb_buf_reset(&dst);
		xb_buf_addf(&b, "%s/%s", x->dir, x->rels[i]);
		xb_buf_addf(&dst, "/usr/bin/%s", base_name(x->rels[i]));
		if (!(rc = xb_buf_check(&b, err, "a path")) &&
		    !(rc = xb_buf_check(&dst, err, "a path")))
			rc = add_file(p, xb_buf_str(&b), xb_buf_str(&dst), 0755,
				      err);
	}
	xb_buf_release(&dst);
	xb_buf_release(&b);
	for (size_t i = 0; !rc && i < c->ncontents; i++)
		rc = add_file(p, c->contents[i].src, c->contents[i].dst,
			      c->contents[i].mode, err);
	if (!rc && p->license && !strcmp(format, "deb"))
		rc = deb_copyright(p, err);
	for (size_t i = 0; !rc && i < c->depends.n; i++)
		if (!(rc = xb_pkg_dep_parse(c->depends.v[i], &d, err)))
			rc = add_dep(p, d.name, d.op, d.ver, err);
	if (!rc)
		rc = facts_deps(p, fs, nf, err);
	if (!rc)
		qsort(p->files, p->nfiles, sizeof(*p->files), by_dst);
	return rc;
}

/* "NAME_VERSION_ARCH.deb", "NAME-VERSION-1.ARCH.rpm" */
static char *pkg_file_name(const xb_pkg *p)
{
	xb_buf b = XB_BUF_INIT;

	if (!strcmp(p->format, "deb"))
		xb_buf_addf(&b, "%s_%s_%s.deb", p->name, p->version, p->arch);
	else
		xb_buf_addf(&b, "%s-%s-1.%s.rpm", p->name, p->version, p->arch);
	return xb_buf_take(&b);
}

static xb_code record(struct pctx *x, const xb_pkg *p, size_t t,
		      xb_pkg_out *o, xb_manifest *m, xb_err *err)
{
	xb_buf b = XB_BUF_INIT, path = XB_BUF_INIT;
	xb_json j;
	unsigned char d[32];
	struct stat st;
	xb_code rc;

	xb_json_init(&j, &b, false);
	xb_json_obj_begin(&j);
	xb_json_kstr(&j, "format", p->format);
	xb_json_kstr(&j, "name", p->name);
	xb_json_kstr(&j, "version", p->version);
	xb_json_kstr(&j, "arch", p->arch);
	xb_json_key(&j, "from");
	xb_json_arr_begin(&j);
	for (size_t i = t; i < x->n; i++)
		if (linux_plan(&x->plans[i]) &&
		    !strcmp(x->plans[i].target, x->plans[t].target))
			xb_json_str(&j, x->rels[i]);
	xb_json_arr_end(&j);
	xb_json_key(&j, "depends");
	xb_json_arr_begin(&j);
	for (size_t i = 0; i < p->ndeps; i++) {
		char dep[256];
		const xb_pkg_dep *dp = &p->deps[i];
		if (*dp->op)
			snprintf(dep, sizeof(dep), "%s (%s %s)", dp->name,
				 dp->op, dp->ver);
		else
			snprintf(dep, sizeof(dep), "%s", dp->name);
		xb_json_str(&j, dep);
	}
	xb_json_arr_end(&j);
	xb_json_obj_end(&j);
	if ((rc = xb_json_finish(&j)) == XB_OK)
		rc = xb_manifest_add(m, x->dir, o->path, x->plans[t].target,
				     "package", xb_buf_str(&b), err);
	else
		rc = xb_fail(err, rc, "out of memory");
	xb_buf_addf(&path, "%s/%s", x->dir, o->path);
	if (!rc && !(rc = xb_buf_check(&path, err, "a path")) &&
	    !(rc = xb_sha256_file(xb_buf_str(&path), d, err))) {
		xb_hex(d, 32, o->sha256);
		if (stat(xb_buf_str(&path), &st) == 0)
			o->size = (uint64_t)st.st_size;
	}
	xb_buf_release(&b);
	xb_buf_release(&path);
	return rc;
}

/* Write one package and record it; refuses a name already written. */
static xb_code write_one(struct pctx *x, const char *format, size_t t,
			 xb_manifest *m, xb_pkg_out *out, size_t *nout,
			 xb_err *err)
{
	xb_pkg_out *o = &out[*nout];
	xb_buf path = XB_BUF_INIT;
	xb_pkg p;
	xb_code rc;

	if ((rc = pkg_fill(x, format, t, &p, err)))
		goto done;
	memset(o, 0, sizeof(*o));
	o->target = x->plans[t].target;
	if (!(o->path = pkg_file_name(&p))) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto done;
	}
	++*nout;
	for (size_t i = 0; i + 1 < *nout; i++)
		if (!strcmp(out[i].path, o->path)) {
			rc = xb_fail(err, XB_ERR_CONFLICT, "%s and %s would both "
				     "be the package '%s' (one %s architecture "
				     "for both)", out[i].target, o->target,
				     o->path, format);
			goto done;
		}
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->rels[i], o->path)) {
			rc = xb_fail(err, XB_ERR_CONFLICT, "package '%s' would "
				     "overwrite a binary", o->path);
			goto done;
		}
	xb_buf_addf(&path, "%s/%s", x->dir, o->path);
	if ((rc = xb_buf_check(&path, err, "a path")))
		goto done;
	rc = !strcmp(format, "deb") ?
		xb_pkg_write_deb(&p, xb_buf_str(&path), err) :
		xb_pkg_write_rpm(&p, xb_buf_str(&path), err);
	if (!rc)
		rc = record(x, &p, t, o, m, err);
done:
	if (rc)
		xb_prefix(err, rc, "package of %s", x->plans[t].target);
	pkg_release(&p);
	xb_buf_release(&path);
	return rc;
}

xb_code xb_pkg_write_all(const xb_pkgconf *c, const char *dir,
			 const xb_plan *plans, char *const *rels,
			 const xb_run_target *rt, size_t n,
			 const char *version, long long epoch, xb_manifest *m,
			 xb_pkg_out *out, size_t *nout, xb_err *err)
{
	struct pctx x = { c, dir, plans, rels, rt, n, version, epoch };
	xb_code rc;

	*nout = 0;
	if (!c)
		return XB_OK;
	for (size_t f = 0; f < c->formats.n; f++)
		for (size_t i = 0; i < n; i++) {
			if (!linux_plan(&plans[i]) || !first_of_target(plans, i))
				continue;
			if ((rc = write_one(&x, c->formats.v[f], i, m, out, nout,
					    err)))
				return rc;
		}
	return XB_OK;
}
