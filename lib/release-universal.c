/* release-universal.c: universal (fat) Mach-O binaries, as `lipo -create` writes
 * them: a big-endian fat header, one entry per slice (its CPU type and
 * subtype from the slice's own header, offset, size and alignment), and
 * each slice whole at an offset aligned to its page size.  A release makes
 * one of a build's darwin/amd64 and darwin/arm64 artifacts when the build
 * asks (universal: true), proves it with the checker and records it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "release.h"

#define FAT_MAGIC 0xcafebabeu
#define MH_MAGIC_64 0xfeedfacfu
#define CPU_TYPE_ARM64 0x0100000cu
#define SLICE_MAX (1ull << 32) /* a fat entry's offset and size are 32-bit */

struct slice {
	const char *path;
	int fd;
	uint32_t cputype, cpusubtype, align;
	uint64_t size, offset;
};

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Open one thin 64-bit Mach-O and read its CPU from the header. */
static xb_code slice_open(struct slice *s, xb_err *err)
{
	unsigned char h[12];
	struct stat st;

	if ((s->fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(s->fd, &st) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot read '%s':", s->path);
	if (pread(s->fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    le32(h) != MH_MAGIC_64)
		return xb_fail(err, XB_ERR_FORMAT, "'%s' is not a thin 64-bit "
			       "Mach-O", s->path);
	if ((uint64_t)st.st_size >= SLICE_MAX)
		return xb_fail(err, XB_ERR_FORMAT, "'%s' is too large for a fat "
			       "file (4 GiB)", s->path);
	s->size = (uint64_t)st.st_size;
	s->cputype = le32(h + 4);
	s->cpusubtype = le32(h + 8);
	/* the page size of the architecture, as lipo aligns them */
	s->align = s->cputype == CPU_TYPE_ARM64 ? 14 : 12;
	return XB_OK;
}

static xb_code write_all(int fd, const void *p, size_t n, const char *path,
			 xb_err *err)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return xb_fail(err, XB_ERR_IO, "cannot write '%s':", path);
		c += w;
		n -= (size_t)w;
	}
	return XB_OK;
}

/* Slice s at its offset of fd (written up to at): zeros, then its bytes. */
static xb_code copy_slice(int fd, const struct slice *s, uint64_t *at,
			  const char *out, xb_err *err)
{
	static const unsigned char zero[4096];
	char buf[65536];
	uint64_t left = s->size;
	xb_code rc = XB_OK;

	while (*at < s->offset && !rc) {
		size_t k = s->offset - *at < sizeof(zero) ?
			(size_t)(s->offset - *at) : sizeof(zero);
		rc = write_all(fd, zero, k, out, err);
		*at += k;
	}
	for (off_t off = 0; left && !rc;) {
		ssize_t r = pread(s->fd, buf, left < sizeof(buf) ? (size_t)left :
				  sizeof(buf), off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return xb_fail(err, XB_ERR_IO, "cannot read '%s':", s->path);
		rc = write_all(fd, buf, (size_t)r, out, err);
		off += r;
		left -= (uint64_t)r;
		*at += (uint64_t)r;
	}
	return rc;
}

/* Lay the slices out: by alignment, then as given (lipo's order). */
static xb_code layout(struct slice *s, size_t n, xb_err *err)
{
	uint64_t at = 8 + 20 * (uint64_t)n;

	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && s[k - 1].align > s[k].align; k--) {
			struct slice t = s[k - 1];
			s[k - 1] = s[k];
			s[k] = t;
		}
	for (size_t i = 0; i < n; i++) {
		uint64_t a = 1ull << s[i].align;

		for (size_t k = 0; k < i; k++)
			if (s[k].cputype == s[i].cputype)
				return xb_fail(err, XB_ERR_USAGE, "'%s' and '%s' "
					       "are the same architecture",
					       s[k].path, s[i].path);
		s[i].offset = (at + a - 1) / a * a;
		at = s[i].offset + s[i].size;
		if (at >= SLICE_MAX)
			return xb_fail(err, XB_ERR_FORMAT, "the fat file would "
				       "pass 4 GiB");
	}
	return XB_OK;
}

xb_code xb_universal_write(const char *out, const char *const *paths, size_t n,
			   xb_err *err)
{
	struct slice s[XB_UNIVERSAL_MAX];
	unsigned char h[8 + 20 * XB_UNIVERSAL_MAX];
	xb_buf tmp = XB_BUF_INIT;
	uint64_t at;
	xb_code rc = XB_OK;
	int fd = -1;

	if (n < 1 || n > XB_UNIVERSAL_MAX)
		return xb_fail(err, XB_ERR_USAGE, "a fat file holds 1 to %d "
			       "slices, not %zu", XB_UNIVERSAL_MAX, n);
	memset(s, 0, sizeof(s));
	for (size_t i = 0; i < n; i++)
		s[i].fd = -1;
	for (size_t i = 0; i < n && !rc; i++) {
		s[i].path = paths[i];
		rc = slice_open(&s[i], err);
	}
	if (!rc)
		rc = layout(s, n, err);
	if (!rc) {
		put32(h, FAT_MAGIC);
		put32(h + 4, (uint32_t)n);
		for (size_t i = 0; i < n; i++) {
			unsigned char *e = h + 8 + 20 * i;
			put32(e, s[i].cputype);
			put32(e + 4, s[i].cpusubtype);
			put32(e + 8, (uint32_t)s[i].offset);
			put32(e + 12, (uint32_t)s[i].size);
			put32(e + 16, s[i].align);
		}
		if ((fd = xb_create_beside(out, 0755, &tmp, err)) < 0)
			rc = err->code;
	}
	if (!rc)
		rc = write_all(fd, h, 8 + 20 * n, out, err);
	at = 8 + 20 * n;
	for (size_t i = 0; i < n && !rc; i++)
		rc = copy_slice(fd, &s[i], &at, out, err);
	if (!rc && (fsync(fd) < 0 || close(fd) < 0))
		rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", out);
	else if (fd >= 0 && rc)
		close(fd);
	fd = -1;
	if (!rc && rename(xb_buf_str(&tmp), out) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot rename '%s' to '%s':",
			     xb_buf_str(&tmp), out);
	if (rc && tmp.len)
		unlink(xb_buf_str(&tmp));
	for (size_t i = 0; i < n; i++)
		if (s[i].fd >= 0)
			close(s[i].fd);
	xb_buf_release(&tmp);
	return rc;
}

/* ---- in a release ---------------------------------------------------------- */

/* rel with its last "amd64" (and a level after it) made "all". */
static char *all_path(const char *rel)
{
	const char *a = NULL, *p = rel, *end;
	xb_buf b = XB_BUF_INIT;

	while ((p = strstr(p, "amd64")))
		a = p++;
	if (!a)
		return NULL;
	end = a + 5;
	if ((end[0] == '_' || end[0] == '-') && end[1] == 'v' &&
	    end[2] >= '1' && end[2] <= '4' && !strchr("0123456789", end[3]))
		end += 3;
	xb_buf_add(&b, rel, (size_t)(a - rel));
	xb_buf_addf(&b, "all%s", end);
	return xb_buf_take(&b);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The darwin plan of arch with pl's build and package; n when none. */
static size_t partner(const xb_plan *plans, size_t n, const xb_plan *pl,
		      const char *arch)
{
	for (size_t k = 0; k < n; k++)
		if (plans[k].universal && !strcmp(plans[k].goos, "darwin") &&
		    !strcmp(plans[k].goarch, arch) &&
		    same(plans[k].build_id, pl->build_id) &&
		    !strcmp(plans[k].pkg, pl->pkg))
			return k;
	return n;
}

static xb_code clash(const xb_release *r, const char *path, xb_err *err)
{
	for (size_t k = 0; k < r->n; k++)
		if (!strcmp(r->rels[k], path))
			return xb_fail(err, XB_ERR_USAGE, "the universal binary "
				       "'%s' would overwrite a binary", path);
	for (size_t k = 0; k < r->narchives; k++)
		if (!strcmp(r->archives[k].path, path))
			return xb_fail(err, XB_ERR_USAGE, "the universal binary "
				       "'%s' would overwrite an archive", path);
	return XB_OK;
}

xb_code xb_release_universal_layout(xb_release *r, const xb_plan *plans,
				    size_t n, xb_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const xb_plan *pl = &plans[i];
		xb_release_universal *u;
		size_t amd, arm;
		char *path;

		if (!pl->universal || strcmp(pl->goos, "darwin") ||
		    (strcmp(pl->goarch, "amd64") && strcmp(pl->goarch, "arm64")))
			continue;
		amd = partner(plans, n, pl, "amd64");
		arm = partner(plans, n, pl, "arm64");
		if (amd == n || arm == n)
			return xb_fail(err, XB_ERR_USAGE, "%s%s%s: universal: true "
				       "needs darwin/amd64 and darwin/arm64, and "
				       "%s is not a target", pl->target,
				       pl->build_id ? " of build " : "",
				       pl->build_id ? pl->build_id : "",
				       amd == n ? "darwin/amd64" : "darwin/arm64");
		if (i != amd)
			continue; /* one per pair, from its amd64 plan */
		if (!(path = all_path(r->rels[amd])))
			return xb_fail(err, XB_ERR_USAGE, "%s: the path '%s' does "
				       "not name amd64, so the universal binary "
				       "has no name (put {arch} or {target} in the "
				       "output template)", pl->target, r->rels[amd]);
		if (clash(r, path, err)) {
			free(path);
			return err->code;
		}
		u = realloc(r->universals, (r->nuniversals + 1) * sizeof(*u));
		if (!u) {
			free(path);
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		}
		r->universals = u;
		u[r->nuniversals++] = (xb_release_universal){ path, amd, arm };
	}
	return XB_OK;
}

/* The fat file at full must hold the two slices, amd64 and arm64. */
static xb_code prove(const char *full, const char *rel, xb_err *err)
{
	xb_facts f;
	xb_code rc;
	bool amd = false, arm = false;

	xb_facts_init(&f);
	rc = xb_inspect(full, &f, err);
	for (size_t i = 0; !rc && i < f.nslices; i++) {
		amd = amd || same(f.slices[i].arch, "amd64");
		arm = arm || same(f.slices[i].arch, "arm64");
	}
	if (!rc && (!same(f.format, "macho-fat") || f.nslices != 2 || !amd ||
		    !arm))
		rc = xb_fail(err, XB_ERR_EXPECT, "%s: expected a fat Mach-O of "
			     "amd64 and arm64, got %s with %zu slices", rel,
			     f.format ? f.format : "an unknown format",
			     f.nslices);
	xb_facts_release(&f);
	return rc;
}

/* Write, prove and record universal binary u. */
static xb_code write_one(xb_release *r, const xb_release_universal *u,
			 const char *dir, const xb_plan *plans, xb_manifest *m,
			 xb_err *err)
{
	xb_buf full = XB_BUF_INIT, a = XB_BUF_INIT, b = XB_BUF_INIT;
	xb_buf js = XB_BUF_INIT;
	xb_release_artifact *o;
	const char *paths[2];
	unsigned char d[32];
	struct stat st;
	xb_json j;
	xb_code rc;

	xb_buf_addf(&full, "%s/%s", dir, u->path);
	xb_buf_addf(&a, "%s/%s", dir, r->rels[u->amd64]);
	xb_buf_addf(&b, "%s/%s", dir, r->rels[u->arm64]);
	xb_json_init(&j, &js, false);
	xb_json_obj_begin(&j);
	xb_json_kstr(&j, "build", plans[u->amd64].build_id);
	xb_json_kstr(&j, "package", plans[u->amd64].pkg);
	xb_json_key(&j, "from");
	xb_json_arr_begin(&j);
	xb_json_str(&j, r->rels[u->amd64]);
	xb_json_str(&j, r->rels[u->arm64]);
	xb_json_arr_end(&j);
	xb_json_obj_end(&j);
	if ((rc = xb_json_finish(&j)) || (rc = xb_buf_failed(&full)) ||
	    (rc = xb_buf_failed(&a)) || (rc = xb_buf_failed(&b))) {
		rc = xb_fail(err, rc, "out of memory");
		goto out;
	}
	paths[0] = xb_buf_str(&a);
	paths[1] = xb_buf_str(&b);
	if ((rc = xb_release_mkparent(xb_buf_str(&full), err)) ||
	    (rc = xb_universal_write(xb_buf_str(&full), paths, 2, err)) ||
	    (rc = prove(xb_buf_str(&full), u->path, err)) ||
	    (rc = xb_manifest_add(m, dir, u->path, "darwin/all", "universal",
				  xb_buf_str(&js), err)) ||
	    /* released as it is: the checksum file lists it */
	    (r->assets && (rc = xb_manifest_set_asset(m, u->path, NULL, err))) ||
	    (rc = xb_sha256_file(xb_buf_str(&full), d, err)))
		goto out;
	if (!(o = xb_release_add_artifact(r, u->path, "darwin/all",
					  "universal"))) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto out;
	}
	xb_hex(d, 32, o->sha256);
	if (stat(xb_buf_str(&full), &st) == 0)
		o->size = (uint64_t)st.st_size;
out:
	xb_buf_release(&full);
	xb_buf_release(&a);
	xb_buf_release(&b);
	xb_buf_release(&js);
	return rc;
}

xb_code xb_release_universal_write(xb_release *r, const char *dir,
				   const xb_plan *plans, xb_manifest *m,
				   xb_err *err)
{
	xb_code rc = XB_OK;

	for (size_t i = 0; i < r->nuniversals && !rc; i++)
		rc = write_one(r, &r->universals[i], dir, plans, m, err);
	return rc;
}
