/* pkg-deb.c: a Debian binary package: an ar archive of "debian-binary"
 * ("2.0\n"), control.tar.gz (control, md5sums) and data.tar.gz (the
 * files, under their folders), in that order.  Every time is the
 * package's, every owner root, entries sorted: the same package gives the
 * same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <archive.h>

#include "pkg.h"

/* A field's value on one line: control characters made spaces. */
static void add_field(xb_buf *b, const char *key, const char *v)
{
	xb_buf_addf(b, "%s: ", key);
	for (; *v; v++)
		xb_buf_addc(b, (unsigned char)*v < 0x20 ? ' ' : *v);
	xb_buf_addc(b, '\n');
}

/* Description: its first line, then the rest, each line indented and an
 * empty one as " .". */
static void add_description(xb_buf *b, const xb_pkg *p)
{
	const char *d = p->description && *p->description ? p->description :
		p->name;
	size_t n = strcspn(d, "\n");

	xb_buf_adds(b, "Description: ");
	xb_buf_add(b, d, n);
	xb_buf_addc(b, '\n');
	for (d += n; *d == '\n';) {
		d++;
		n = strcspn(d, "\n");
		if (!n && !d[n])
			break;
		xb_buf_adds(b, n ? " " : " .");
		xb_buf_add(b, d, n);
		xb_buf_addc(b, '\n');
		d += n;
	}
}

static void control_text(const xb_pkg *p, xb_buf *b)
{
	uint64_t kib = 0;

	for (size_t i = 0; i < p->nfiles; i++)
		kib += (p->files[i].size + 1023) / 1024;
	add_field(b, "Package", p->name);
	add_field(b, "Version", p->version);
	add_field(b, "Architecture", p->arch);
	add_field(b, "Maintainer", p->maintainer ? p->maintainer :
		  "unknown <unknown@localhost>");
	xb_buf_addf(b, "Installed-Size: %llu\n", (unsigned long long)kib);
	if (p->ndeps) {
		xb_buf_adds(b, "Depends: ");
		for (size_t i = 0; i < p->ndeps; i++) {
			const xb_pkg_dep *d = &p->deps[i];
			xb_buf_addf(b, "%s%s", i ? ", " : "", d->name);
			if (*d->op)
				xb_buf_addf(b, " (%s %s)", d->op, d->ver);
		}
		xb_buf_addc(b, '\n');
	}
	xb_buf_adds(b, "Section: utils\nPriority: optional\n");
	if (p->homepage)
		add_field(b, "Homepage", p->homepage);
	add_description(b, p);
}

/* The MD5 of f's bytes, for md5sums. */
static xb_code md5_of(const xb_pkg_file *f, char hex[33], xb_err *err)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char d[16];
	xb_buf b = XB_BUF_INIT;
	xb_code rc = XB_OK;

	if (!c)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (f->src)
		rc = xb_buf_read_file(&b, f->src, err);
	if (!rc) {
		if (EVP_DigestInit_ex(c, EVP_md5(), NULL) != 1 ||
		    EVP_DigestUpdate(c, f->src ? b.data : f->data,
				     f->src ? b.len : f->size) != 1 ||
		    EVP_DigestFinal_ex(c, d, NULL) != 1)
			rc = xb_fail(err, XB_ERR_IO, "cannot hash '%s'", f->dst);
		else
			xb_hex(d, 16, hex);
	}
	EVP_MD_CTX_free(c);
	xb_buf_release(&b);
	return rc;
}

/* control.tar.gz into out */
static xb_code control_tar(const xb_pkg *p, xb_buf *out, xb_err *err)
{
	xb_buf control = XB_BUF_INIT, sums = XB_BUF_INIT;
	struct archive *a;
	char hex[33];
	xb_code rc = XB_OK;

	control_text(p, &control);
	for (size_t i = 0; !rc && i < p->nfiles; i++)
		if (!(rc = md5_of(&p->files[i], hex, err)))
			xb_buf_addf(&sums, "%s  %s\n", hex, p->files[i].dst + 1);
	if (!rc && !(rc = xb_buf_check(&control, err, "control")) &&
	    !(rc = xb_buf_check(&sums, err, "md5sums"))) {
		xb_pkg_entry e[3] = {
			{ "./", S_IFDIR | 0755, 0, NULL, NULL, 0, true, p->mtime },
			{ "./control", S_IFREG | 0644, control.len, NULL,
			  control.data, 0, true, p->mtime },
			{ "./md5sums", S_IFREG | 0644, sums.len, NULL, sums.data,
			  0, true, p->mtime },
		};
		if (!(a = xb_pkg_mem_open(out, "paxr", true, err)))
			rc = err ? err->code : XB_ERR_IO;
		for (size_t i = 0; a && !rc && i < 3; i++)
			rc = xb_pkg_mem_entry(a, &e[i], err);
		if (a)
			rc = xb_pkg_mem_close(a, rc, err);
	}
	xb_buf_release(&control);
	xb_buf_release(&sums);
	return rc;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of data.tar: "./", each file's folders ("./usr/", with the
 * '/'), the files ("./usr/bin/x"), sorted, so a folder comes before what
 * it holds. */
static xb_code data_names(const xb_pkg *p, xb_strv *names, xb_err *err)
{
	xb_strv_push(names, "./");
	for (size_t i = 0; i < p->nfiles; i++) {
		const char *dst = p->files[i].dst;
		for (const char *s = strchr(dst + 1, '/'); s; s = strchr(s + 1, '/')) {
			char dir[4096];
			snprintf(dir, sizeof(dir), ".%.*s/", (int)(s - dst), dst);
			if (!xb_strv_contains(names, dir))
				xb_strv_push(names, dir);
		}
		xb_strv_pushf(names, ".%s", dst);
	}
	if (xb_strv_failed(names))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	qsort(names->v, names->n, sizeof(*names->v), by_str);
	return XB_OK;
}

/* data.tar.gz into out */
static xb_code data_tar(const xb_pkg *p, xb_buf *out, xb_err *err)
{
	xb_strv names = XB_STRV_INIT;
	struct archive *a = NULL;
	xb_code rc;

	if (!(rc = data_names(p, &names, err)) &&
	    !(a = xb_pkg_mem_open(out, "paxr", true, err)))
		rc = err ? err->code : XB_ERR_IO;
	for (size_t i = 0; !rc && i < names.n; i++) {
		const char *n = names.v[i];
		xb_pkg_entry e = { n, S_IFDIR | 0755, 0, NULL, NULL, 0, true,
				   p->mtime };
		if (n[strlen(n) - 1] != '/') {
			const xb_pkg_file *f = NULL;
			for (size_t k = 0; !f && k < p->nfiles; k++)
				if (!strcmp(p->files[k].dst, n + 1))
					f = &p->files[k];
			e.mode = S_IFREG | f->mode;
			e.size = f->size;
			e.src = f->src;
			e.data = f->data;
		}
		rc = xb_pkg_mem_entry(a, &e, err);
	}
	if (a)
		rc = xb_pkg_mem_close(a, rc, err);
	xb_strv_release(&names);
	return rc;
}

xb_code xb_pkg_write_deb(const xb_pkg *p, const char *path, xb_err *err)
{
	xb_buf control = XB_BUF_INIT, data = XB_BUF_INIT, out = XB_BUF_INIT;
	struct archive *a = NULL;
	xb_code rc;

	if (!(rc = control_tar(p, &control, err)) &&
	    !(rc = data_tar(p, &data, err)) &&
	    !(a = xb_pkg_mem_open(&out, "arbsd", false, err)))
		rc = err ? err->code : XB_ERR_IO;
	if (a) {
		xb_pkg_entry e[3] = {
			{ "debian-binary", S_IFREG | 0644, 4, NULL, "2.0\n", 0,
			  false, p->mtime },
			{ "control.tar.gz", S_IFREG | 0644, control.len, NULL,
			  control.data, 0, false, p->mtime },
			{ "data.tar.gz", S_IFREG | 0644, data.len, NULL, data.data,
			  0, false, p->mtime },
		};
		for (size_t i = 0; !rc && i < 3; i++)
			rc = xb_pkg_mem_entry(a, &e[i], err);
		rc = xb_pkg_mem_close(a, rc, err);
	}
	if (!rc && !(rc = xb_buf_check(&out, err, "the package")))
		rc = xb_write_file_atomic(path, out.data, out.len, 0644, err);
	xb_buf_release(&control);
	xb_buf_release(&data);
	xb_buf_release(&out);
	return rc;
}
