/* cgolink.c: the C libraries a static cgo link needs, and from where.
 *
 * A dynamic link gets a library's dependencies from its DT_NEEDED; a
 * static one must name them all, in order, on the command line.  The
 * package graph says which libraries the Go code asks for (go list);
 * pkg-config says what each of them needs in turn (Libs.private,
 * Requires.private).  For a cross target pkg-config sees only the
 * sysroot's .pc files, and no host library folder may reach the link.
 * This file has the package graph, the library folders of a sysroot and
 * the -ldflags word; cgolink-resolve.c turns the graph into the link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cgolink.h"

#define GO_LIST_MAX (256u << 20)     /* bytes of go list output */

/* ---- the package graph ------------------------------------------------ */

void xb_cgolink_init(xb_cgolink *q)
{
	memset(q, 0, sizeof(*q));
}

void xb_cgolink_release(xb_cgolink *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->pkgs[i].import_path);
		xb_strv_release(&q->pkgs[i].ldflags);
		xb_strv_release(&q->pkgs[i].pkg_config);
	}
	free(q->pkgs);
	xb_cgolink_init(q);
}

static bool nonempty_array(json_t *o, const char *key)
{
	json_t *a = json_object_get(o, key);

	return json_is_array(a) && json_array_size(a) > 0;
}

static xb_code strings_of(json_t *o, const char *key, xb_strv *sv,
			  xb_err *err)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;

	if (!a)
		return XB_OK;
	if (!json_is_array(a))
		return xb_fail(err, XB_ERR_FORMAT, "go list: %s is not an array", key);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return xb_fail(err, XB_ERR_FORMAT,
				       "go list: %s[%zu] is not a string", key, i);
		if (xb_strv_push(sv, json_string_value(v)))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	return XB_OK;
}

static xb_code add_package(xb_cgolink *q, json_t *o, xb_err *err)
{
	json_t *ip = json_object_get(o, "ImportPath");
	xb_cgolink_pkg *p;
	bool cgo, cxx, fortran;
	xb_code rc;

	if (!json_is_string(ip))
		return xb_fail(err, XB_ERR_FORMAT, "go list: a package without ImportPath");
	static const char *const arrays[] = {
		"CgoFiles", "CgoLDFLAGS", "CgoPkgConfig", "CXXFiles",
		"SwigCXXFiles", "FFiles", NULL };
	for (int i = 0; arrays[i]; i++) {
		json_t *a = json_object_get(o, arrays[i]);
		if (a && !json_is_array(a))
			return xb_fail(err, XB_ERR_FORMAT,
				       "go list: %s of %s is not an array",
				       arrays[i], json_string_value(ip));
	}
	cgo = nonempty_array(o, "CgoFiles");
	if (strcmp(json_string_value(ip), "runtime/cgo") == 0)
		q->runtime_cgo = true;
	if (json_is_true(json_object_get(o, "Standard")))
		return XB_OK; /* go links the standard library's own flags */
	cxx = nonempty_array(o, "CXXFiles") || nonempty_array(o, "SwigCXXFiles");
	fortran = nonempty_array(o, "FFiles");
	if (!cgo && !cxx && !fortran && !nonempty_array(o, "CgoLDFLAGS") &&
	    !nonempty_array(o, "CgoPkgConfig"))
		return XB_OK;
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;
		xb_cgolink_pkg *v = realloc(q->pkgs, cap * sizeof(*v));
		if (!v)
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		q->pkgs = v;
		q->cap = cap;
	}
	p = &q->pkgs[q->n];
	memset(p, 0, sizeof(*p));
	p->import_path = strdup(json_string_value(ip));
	if (!p->import_path)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	q->n++;
	p->cxx = cxx;
	p->fortran = fortran;
	q->cgo |= cgo;
	q->cxx |= cxx;
	q->fortran |= fortran;
	if ((rc = strings_of(o, "CgoLDFLAGS", &p->ldflags, err)) ||
	    (rc = strings_of(o, "CgoPkgConfig", &p->pkg_config, err)))
		return xb_prefix(err, rc, "package %s", p->import_path);
	return XB_OK;
}

xb_code xb_cgolink_parse(const char *js, size_t len, xb_cgolink *q,
			 xb_err *err)
{
	size_t pos = 0;

	while (pos < len) {
		json_error_t je;
		json_t *o;
		xb_code rc;

		while (pos < len && strchr(" \t\r\n", js[pos]))
			pos++;
		if (pos == len)
			break;
		o = json_loadb(js + pos, len - pos, JSON_DISABLE_EOF_CHECK, &je);
		if (!o)
			return xb_fail(err, XB_ERR_FORMAT,
				       "go list output: byte %zu: %s",
				       pos + (size_t)je.position, je.text);
		if (!json_is_object(o)) {
			json_decref(o);
			return xb_fail(err, XB_ERR_FORMAT,
				       "go list output: byte %zu: not an object", pos);
		}
		rc = add_package(q, o, err);
		json_decref(o);
		if (rc)
			return rc;
		if (je.position <= 0)
			return xb_fail(err, XB_ERR_FORMAT, "go list output: no progress");
		pos += (size_t)je.position;
	}
	return XB_OK;
}

/* The last few lines of a child's stderr, for a message. */
static const char *tail_of(const xb_buf *b)
{
	const char *s = xb_buf_str(b);
	size_t n = b->len;

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return n > 600 ? s + n - 600 : s;
}

xb_code xb_cgolink_query(const char *go, const char *dir, const char *pkg,
			 const char *const *envp, xb_cgolink *q, xb_err *err)
{
	const char *argv[] = {
		go ? go : "go", "list", "-deps",
		"-json=ImportPath,Standard,CgoFiles,CgoLDFLAGS,CgoPkgConfig,"
		"CXXFiles,SwigCXXFiles,FFiles",
		"--", pkg ? pkg : ".", NULL };
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_buf out, errb;
	int code = 0;
	xb_code rc;

	so.envp = envp;
	so.cwd = dir;
	xb_buf_init(&out, GO_LIST_MAX);
	xb_buf_init(&errb, CGOLINK_STDERR_MAX);
	rc = xb_run(argv, &so, &out, &errb, &code, err);
	if (!rc && code != 0)
		rc = xb_fail(err, XB_ERR_CHILD, "go list -deps %s failed (exit %d): %s",
			     argv[5], code, tail_of(&errb));
	if (!rc)
		rc = xb_cgolink_parse(xb_buf_str(&out), out.len, q, err);
	xb_buf_release(&out);
	xb_buf_release(&errb);
	return rc;
}

/* ---- folders ------------------------------------------------------------ */

/* Add root/rel when it is a folder not listed yet, also under another
 * name. */
static xb_code push_if_dir(xb_strv *dirs, const char *root, const char *rel)
{
	char *p = xb_path_join(root, rel);
	xb_code rc = p ? xb_push_dir_once(dirs, p) : XB_ERR_NOMEM;

	free(p);
	return rc;
}

void xb_cgolink_multiarch(const char *triplet, char *out, size_t n)
{
	const char *f[4];
	size_t len[4], k = 0;
	const char *p = triplet ? triplet : "";
	bool x86;

	out[0] = '\0';
	while (*p && k < 4) { /* the fields: arch[-vendor]-os-abi */
		f[k] = p;
		len[k] = strcspn(p, "-");
		p += len[k] + (p[len[k]] == '-');
		k++;
	}
	if (k < 3 || *p || n < 8) { /* not a triplet Debian names: as is */
		snprintf(out, n, "%s", triplet ? triplet : "");
		return;
	}
	if (k == 4) { /* Debian's names have no vendor field */
		f[1] = f[2], len[1] = len[2];
		f[2] = f[3], len[2] = len[3];
	}
	/* every 32-bit x86 Linux (i486 ... i686) shares i386-linux-gnu */
	x86 = (len[0] == 4 && f[0][0] == 'i' && f[0][1] >= '3' &&
	       f[0][1] <= '7' && !strncmp(f[0] + 2, "86", 2)) ||
	      (len[0] == 3 && !strncmp(f[0], "x86", 3));
	if (x86 && len[1] == 5 && !strncmp(f[1], "linux", 5))
		f[0] = "i386", len[0] = 4;
	snprintf(out, n, "%.*s-%.*s-%.*s", (int)len[0], f[0], (int)len[1], f[1],
		 (int)len[2], f[2]);
}

xb_code xb_cgolink_lib_dirs(const char *sysroot, const char *gnu,
			    xb_strv *dirs)
{
	const char *root = sysroot && *sysroot ? sysroot : "/";
	char rel[512], triplet[256];
	xb_code rc = XB_OK, r2;

	xb_cgolink_multiarch(gnu, triplet, sizeof(triplet));
	if (*triplet) {
		snprintf(rel, sizeof(rel), "usr/lib/%s", triplet);
		rc = push_if_dir(dirs, root, rel);
	}
	if ((r2 = push_if_dir(dirs, root, "usr/lib")) && !rc)
		rc = r2;
	if (*triplet) {
		snprintf(rel, sizeof(rel), "lib/%s", triplet);
		if ((r2 = push_if_dir(dirs, root, rel)) && !rc)
			rc = r2;
	}
	if ((r2 = push_if_dir(dirs, root, "lib")) && !rc)
		rc = r2;
	if (strcmp(root, "/") == 0 &&
	    (r2 = push_if_dir(dirs, root, "usr/local/lib")) && !rc)
		rc = r2;
	return rc;
}

/* ---- the -ldflags word ------------------------------------------------------ */

xb_code xb_cgolink_ldflag(const xb_strv *extldflags, xb_buf *b, xb_err *err)
{
	xb_buf inner = XB_BUF_INIT;
	bool quote = false;
	xb_code rc = XB_OK;

	for (size_t i = 0; i < extldflags->n; i++) {
		const char *f = extldflags->v[i];
		bool blank = strpbrk(f, " \t\r\n") != NULL;
		if (strpbrk(f, "'\"")) {
			rc = xb_fail(err, XB_ERR_USAGE,
				     "linker flag '%s' has a quote (go's -ldflags "
				     "cannot carry it)", f);
			break;
		}
		if (i)
			xb_buf_addc(&inner, ' ');
		if (blank) {
			xb_buf_addf(&inner, "'%s'", f);
			quote = true;
		} else {
			xb_buf_adds(&inner, f);
		}
		quote |= i > 0;
	}
	if (!rc)
		rc = xb_buf_check(&inner, err, "the linker flags");
	if (!rc) {
		if (quote)
			rc = xb_buf_addf(b, "\"-extldflags=%s\"", xb_buf_str(&inner));
		else
			rc = xb_buf_addf(b, "-extldflags=%s", xb_buf_str(&inner));
		if (rc)
			xb_fail(err, rc, "linker flags too long");
	}
	xb_buf_release(&inner);
	return rc;
}
