/* cgolink.c: the C libraries a static cgo link needs, and from where.
 *
 * A dynamic link gets a library's dependencies from its DT_NEEDED; a
 * static one must name them all, in order, on the command line.  The
 * package graph says which libraries the Go code asks for (go list);
 * pkg-config says what each of them needs in turn (Libs.private,
 * Requires.private).  For a cross target pkg-config sees only the
 * sysroot's .pc files, and no host library folder may reach the link.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "xbuild.h"

extern char **environ;

#define GO_LIST_MAX (256u << 20)     /* bytes of go list output */
#define PKG_CONFIG_OUT_MAX (1u << 20)
#define STDERR_MAX (256u << 10)

/* Libraries no .pc file describes: no pkg-config lookup for these. */
static const char *const system_libs[] = {
	"c", "m", "dl", "pthread", "rt", "util", "resolv", "gcc", "gcc_s",
	"gcc_eh", "stdc++", "atomic", "crypt", "anl", "gfortran", "quadmath",
	NULL };

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
	xb_buf_init(&errb, STDERR_MAX);
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

xb_code xb_cgolink_lib_dirs(const char *sysroot, const char *triplet,
			    xb_strv *dirs)
{
	const char *root = sysroot && *sysroot ? sysroot : "/";
	char rel[512];
	xb_code rc = XB_OK, r2;

	if (triplet && *triplet && strlen(triplet) < 256) {
		snprintf(rel, sizeof(rel), "usr/lib/%s", triplet);
		rc = push_if_dir(dirs, root, rel);
	}
	if ((r2 = push_if_dir(dirs, root, "usr/lib")) && !rc)
		rc = r2;
	if (triplet && *triplet && strlen(triplet) < 256) {
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

/* ---- the resolver --------------------------------------------------------- */

void xb_cgolink_out_init(xb_cgolink_out *r)
{
	xb_strv_init(&r->extldflags);
	xb_strv_init(&r->env);
	xb_strv_init(&r->reasons);
	xb_strv_init(&r->errors);
}

void xb_cgolink_out_release(xb_cgolink_out *r)
{
	xb_strv_release(&r->extldflags);
	xb_strv_release(&r->env);
	xb_strv_release(&r->reasons);
	xb_strv_release(&r->errors);
}

/* A pkg-config answer, kept so each module is asked once. */
typedef struct pc_module {
	char *name;     /* as asked: "sqlite3" */
	char *module;   /* the module found ("libfoo"), NULL: none */
	char *pcfile;   /* its .pc path */
	xb_strv libs;   /* --static --libs */
	xb_strv shared; /* --libs */
} pc_module;

typedef struct resolver {
	const xb_cgolink_opts *o;
	xb_cgolink_out *r;
	xb_strv env;     /* pkg-config's environment */
	xb_strv flags;   /* the link flags, before deduplication */
	xb_strv origin;  /* flags.n: where each came from */
	pc_module *mods;
	size_t nmods;
	xb_code rc;      /* first failure that stops the run */
	xb_err *err;
} resolver;

static void flag(resolver *rs, const char *f, const char *origin)
{
	if (xb_strv_push(&rs->flags, f) || xb_strv_push(&rs->origin, origin))
		rs->rc = XB_ERR_NOMEM;
}

/* The failure of a vector or buffer filled without a check each: it
 * stops the run (the first failure wins). */
static void keep_failure(resolver *rs, xb_code rc)
{
	if (rc && !rs->rc)
		rs->rc = rc;
}

static void reason(resolver *rs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void reason(resolver *rs, const char *fmt, ...)
{
	xb_buf b = XB_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	xb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!xb_strv_contains(&rs->r->reasons, xb_buf_str(&b)))
		xb_strv_push(&rs->r->reasons, xb_buf_str(&b));
	xb_buf_release(&b);
}

/* Split pkg-config output on blanks (it quotes nothing we accept). */
static void split_words(const char *s, xb_strv *out)
{
	while (*s) {
		size_t n;
		while (*s && strchr(" \t\r\n", *s))
			s++;
		n = strcspn(s, " \t\r\n");
		if (n) {
			char *w = strndup(s, n);
			if (w) {
				xb_strv_push(out, w);
				free(w);
			}
		}
		s += n;
	}
}

static const char *pkg_config_prog(const resolver *rs)
{
	const char *p = rs->o->pkg_config;

	if (!p || !*p)
		p = xb_strv_getenv(&rs->env, "PKG_CONFIG");
	return p && *p ? p : "pkg-config";
}

/* Run pkg-config ARGS... -- names; 0 when it exited 0. */
static int run_pc(resolver *rs, const char *const *args,
		  const char *const *names, xb_buf *out)
{
	xb_strv argv = XB_STRV_INIT;
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_buf errb;
	xb_err e = XB_ERR_INIT;
	int code = -1;

	xb_buf_init(&errb, STDERR_MAX);
	xb_strv_push(&argv, pkg_config_prog(rs));
	xb_strv_pushv(&argv, args);
	xb_strv_push(&argv, "--");
	xb_strv_pushv(&argv, names);
	so.envp = xb_strv_argv(&rs->env);
	xb_buf_reset(out);
	if (xb_run(xb_strv_argv(&argv), &so, out, &errb, &code, &e)) {
		if (!rs->rc) {
			rs->rc = xb_fail(rs->err, XB_ERR_SPAWN,
					 "cannot run pkg-config: %s", e.msg);
		}
		code = -1;
	}
	xb_strv_release(&argv);
	xb_buf_release(&errb);
	return code;
}

/* The module for -lX: X.pc or libX.pc, asked once. */
static pc_module *module_for(resolver *rs, const char *name, bool exact)
{
	const char *args_dir[] = { "--variable=pcfiledir", NULL };
	const char *args_static[] = { "--static", "--libs", NULL };
	const char *args_shared[] = { "--libs", NULL };
	pc_module *m, *grown;
	xb_buf out;
	char *cand[2] = { NULL, NULL };

	for (size_t i = 0; i < rs->nmods; i++)
		if (strcmp(rs->mods[i].name, name) == 0)
			return &rs->mods[i];
	grown = realloc(rs->mods, (rs->nmods + 1) * sizeof(*grown));
	if (!grown) {
		rs->rc = XB_ERR_NOMEM;
		return NULL;
	}
	rs->mods = grown;
	m = &rs->mods[rs->nmods++];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	xb_strv_init(&m->libs);
	xb_strv_init(&m->shared);
	xb_buf_init(&out, PKG_CONFIG_OUT_MAX);
	cand[0] = strdup(name);
	if (!exact && strncmp(name, "lib", 3) != 0) {
		xb_buf b = XB_BUF_INIT;
		xb_buf_addf(&b, "lib%s", name);
		cand[1] = xb_buf_take(&b);
		if (!cand[1])
			rs->rc = XB_ERR_NOMEM;
	}
	for (int i = 0; i < 2 && cand[i] && !m->module && !rs->rc; i++) {
		const char *names[] = { cand[i], NULL };
		if (run_pc(rs, args_dir, names, &out) != 0)
			continue;
		char *dir = strndup(xb_buf_str(&out), strcspn(xb_buf_str(&out), "\r\n"));
		xb_buf p = XB_BUF_INIT;
		xb_buf_addf(&p, "%s/%s.pc", dir ? dir : "", cand[i]);
		free(dir);
		m->pcfile = xb_buf_take(&p);
		m->module = strdup(cand[i]);
		if (!m->pcfile || !m->module)
			keep_failure(rs, XB_ERR_NOMEM);
		if (run_pc(rs, args_static, names, &out) == 0)
			split_words(xb_buf_str(&out), &m->libs);
		if (run_pc(rs, args_shared, names, &out) == 0)
			split_words(xb_buf_str(&out), &m->shared);
		keep_failure(rs, xb_strv_failed(&m->libs));
		keep_failure(rs, xb_strv_failed(&m->shared));
	}
	free(cand[0]);
	free(cand[1]);
	xb_buf_release(&out);
	return m;
}

static bool is_system_lib(const char *name)
{
	for (int i = 0; system_libs[i]; i++)
		if (strcmp(system_libs[i], name) == 0)
			return true;
	return false;
}

/* "-lm -lz": the words of libs not in shared. */
static void private_part(const pc_module *m, xb_buf *b)
{
	for (size_t i = 0; i < m->libs.n; i++)
		if (!xb_strv_contains(&m->shared, m->libs.v[i]))
			xb_buf_addf(b, "%s%s", b->len ? " " : "", m->libs.v[i]);
}

/* A cross link's -lX without a .pc: say so when no libX.a is in the
 * sysroots (the compiler's own folders may still have it). */
static void check_archive(resolver *rs, const char *name, const char *lflag)
{
	xb_strv dirs = XB_STRV_INIT;
	bool found = false;

	if (rs->o->sysroot)
		xb_cgolink_lib_dirs(rs->o->sysroot, rs->o->triplet, &dirs);
	if (rs->o->toolchain_sysroot)
		xb_cgolink_lib_dirs(rs->o->toolchain_sysroot, rs->o->triplet, &dirs);
	for (size_t i = 0; i < dirs.n && !found; i++) {
		xb_buf p = XB_BUF_INIT;
		struct stat st;
		xb_buf_addf(&p, "%s/lib%s.a", dirs.v[i], name);
		found = stat(xb_buf_str(&p), &st) == 0;
		xb_buf_release(&p);
	}
	if (!found)
		reason(rs, "%s: no lib%s.a in the sysroot's library folders; "
		       "only the compiler's own search path can still provide it",
		       lflag, name);
	xb_strv_release(&dirs);
}

static void expand_lib(resolver *rs, const char *name, const char *from)
{
	xb_buf o = XB_BUF_INIT, priv = XB_BUF_INIT;
	char lflag[300];
	pc_module *m;

	if (!*name || strlen(name) > 256)
		return;
	snprintf(lflag, sizeof(lflag), "-l%s", name);
	xb_buf_addf(&o, "%s in %s", lflag, from);
	if (is_system_lib(name) || !(m = module_for(rs, name, false)) ||
	    !m->module) {
		flag(rs, lflag, xb_buf_str(&o));
		if (!is_system_lib(name))
			reason(rs, "%s: from %s (no %s.pc or lib%s.pc)", lflag,
			       from, name, name);
		else
			reason(rs, "%s: from %s", lflag, from);
		if (rs->o->cross && !is_system_lib(name))
			check_archive(rs, name, lflag);
		xb_buf_release(&o);
		return;
	}
	if (!xb_strv_contains(&m->libs, lflag))
		flag(rs, lflag, xb_buf_str(&o));
	for (size_t i = 0; i < m->libs.n; i++)
		flag(rs, m->libs.v[i], xb_buf_str(&o));
	private_part(m, &priv);
	if (priv.len)
		reason(rs, "%s: Libs.private of %s (from %s)", xb_buf_str(&priv),
		       m->pcfile, xb_buf_str(&o));
	else
		reason(rs, "%s: from %s (%s has no private libraries)", lflag,
		       from, m->pcfile);
	xb_buf_release(&o);
	xb_buf_release(&priv);
}

/* #cgo pkg-config: words of one package. */
static void expand_pkg_config(resolver *rs, const xb_cgolink_pkg *p)
{
	xb_strv args = XB_STRV_INIT, names = XB_STRV_INIT, libs = XB_STRV_INIT;
	xb_buf out, priv = XB_BUF_INIT, from = XB_BUF_INIT;

	for (size_t i = 0; i < p->pkg_config.n; i++) {
		const char *w = p->pkg_config.v[i];
		if (strcmp(w, "--") == 0)
			continue;
		xb_strv_push(w[0] == '-' ? &args : &names, w);
	}
	if (!names.n)
		goto out;
	xb_buf_init(&out, PKG_CONFIG_OUT_MAX);
	xb_buf_adds(&from, "#cgo pkg-config:");
	for (size_t i = 0; i < names.n; i++)
		xb_buf_addf(&from, " %s", names.v[i]);
	xb_buf_addf(&from, " in %s", p->import_path);
	xb_strv_push(&args, "--static");
	xb_strv_push(&args, "--libs");
	if (run_pc(rs, xb_strv_argv(&args), xb_strv_argv(&names), &out) != 0) {
		if (!rs->rc)
			xb_strv_pushf(&rs->r->errors,
				      "pkg-config cannot find %s (for %s)%s",
				      names.n == 1 ? names.v[0] : "the modules",
				      xb_buf_str(&from),
				      (rs->o->cross || rs->o->sysroot)
					      ? " among the target's .pc files"
					      : "");
		xb_buf_release(&out);
		goto out;
	}
	split_words(xb_buf_str(&out), &libs);
	keep_failure(rs, xb_strv_failed(&libs));
	for (size_t i = 0; i < libs.n; i++)
		flag(rs, libs.v[i], xb_buf_str(&from));
	/* which of them are private: the same modules without --static */
	for (size_t i = 0; i < names.n; i++) {
		pc_module *m = module_for(rs, names.v[i], true);
		if (m && m->module)
			private_part(m, &priv);
	}
	{
		xb_buf t = XB_BUF_INIT;
		for (size_t i = 0; i < libs.n; i++)
			xb_buf_addf(&t, "%s%s", i ? " " : "", libs.v[i]);
		reason(rs, "%s: pkg-config --static --libs (from %s)%s%s",
		       t.len ? xb_buf_str(&t) : "(nothing)", xb_buf_str(&from),
		       priv.len ? "; Libs.private/Requires.private: " : "",
		       xb_buf_str(&priv));
		xb_buf_release(&t);
	}
	xb_buf_release(&out);
out:
	xb_strv_release(&args);
	xb_strv_release(&names);
	xb_strv_release(&libs);
	xb_buf_release(&priv);
	xb_buf_release(&from);
}

/* A word that names a library: -lX, or a path to an archive or object. */
static bool is_lib(const char *f)
{
	size_t n = strlen(f);

	if (strncmp(f, "-l", 2) == 0 && n > 2)
		return true;
	return f[0] != '-' && n > 2 &&
	       (strcmp(f + n - 2, ".a") == 0 || strcmp(f + n - 2, ".o") == 0 ||
		strstr(f, ".so") != NULL);
}

/* Flags that mark a region of the command line where order is meaning
 * (groups, whole archives, -Bstatic): libraries inside are left alone. */
static int region_delta(const char *f)
{
	if (strstr(f, "--start-group") || strstr(f, "--whole-archive") ||
	    strstr(f, "-Bstatic") || strstr(f, "--push-state"))
		return 1;
	if (strstr(f, "--end-group") || strstr(f, "--no-whole-archive") ||
	    strstr(f, "-Bdynamic") || strstr(f, "--pop-state"))
		return -1;
	return 0;
}

/* Libraries: keep the last occurrence (what needs it comes before); -L
 * and every other repeated flag: keep the first; positional flags and
 * libraries inside their regions stay as they are. */
static void dedup(resolver *rs)
{
	size_t n = rs->flags.n;
	bool *keep = calloc(n ? n : 1, sizeof(bool)), *pinned = calloc(n ? n : 1, sizeof(bool));
	int depth = 0;

	if (!keep || !pinned) {
		rs->rc = XB_ERR_NOMEM;
		free(keep);
		free(pinned);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int d = region_delta(rs->flags.v[i]);
		pinned[i] = d != 0 || depth > 0;
		depth += d;
		if (depth < 0)
			depth = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const char *f = rs->flags.v[i];
		keep[i] = true;
		if (pinned[i])
			continue;
		if (is_lib(f)) {
			for (size_t j = i + 1; j < n; j++)
				if (!pinned[j] && strcmp(rs->flags.v[j], f) == 0)
					keep[i] = false;
		} else {
			for (size_t j = 0; j < i; j++)
				if (!pinned[j] && strcmp(rs->flags.v[j], f) == 0)
					keep[i] = false;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (keep[i] && xb_strv_push(&rs->r->extldflags, rs->flags.v[i]))
			rs->rc = XB_ERR_NOMEM;
	free(keep);
	free(pinned);
}

/* p is under root (a folder), lexically. */
static bool under(const char *p, const char *root)
{
	size_t n;

	if (!root || !*root)
		return false;
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(p, root, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

/* A host library folder: /usr/lib..., /lib..., /usr/local/lib... that is
 * neither in a sysroot nor a multiarch or cross folder of the target. */
static bool host_path(const xb_cgolink_opts *o, const char *p)
{
	static const char *const host[] = {
		"/lib", "/lib32", "/lib64", "/libx32", "/usr/lib", "/usr/lib32",
		"/usr/lib64", "/usr/libx32", "/usr/local/lib", "/usr/local/lib64",
		"/opt/local/lib", "/opt/homebrew/lib", NULL };
	bool hit = false;

	if (p[0] != '/' || strstr(p, "/../") || strstr(p, "/./"))
		hit = p[0] == '/'; /* unnormalized absolute: judge strictly */
	for (int i = 0; host[i] && !hit; i++)
		hit = under(p, host[i]);
	if (!hit)
		return false;
	if (o->sysroot && strcmp(o->sysroot, "/") != 0 && under(p, o->sysroot))
		return false;
	if (o->toolchain_sysroot && strcmp(o->toolchain_sysroot, "/") != 0 &&
	    under(p, o->toolchain_sysroot))
		return false;
	if (o->triplet && *o->triplet) {
		/* /usr/lib/aarch64-linux-gnu, /usr/lib/gcc-cross/aarch64-... */
		const char *t = strstr(p, o->triplet);
		size_t k = strlen(o->triplet);
		if (t && t > p && t[-1] == '/' && (t[k] == '/' || t[k] == '\0') &&
		    !strstr(p, "/../"))
			return false;
	}
	return true;
}

static void check_cross(resolver *rs)
{
	for (size_t i = 0; i < rs->flags.n; i++) {
		const char *f = rs->flags.v[i], *p = NULL;
		if (strncmp(f, "-L", 2) == 0)
			p = f + 2;
		else if (strncmp(f, "-Wl,-L", 6) == 0)
			p = f + 6;
		else if (f[0] == '/')
			p = f;
		if (!p || !host_path(rs->o, p))
			continue;
		xb_buf b = XB_BUF_INIT;
		xb_buf_addf(&b, "host library path '%s' in a cross link (%s from %s); "
			    "the target's libraries must come from the sysroot%s%s",
			    p, f, rs->origin.v[i], rs->o->sysroot ? " " : "",
			    rs->o->sysroot ? rs->o->sysroot : "");
		if (!xb_strv_contains(&rs->r->errors, xb_buf_str(&b)))
			xb_strv_push(&rs->r->errors, xb_buf_str(&b));
		xb_buf_release(&b);
	}
}

/* pkg-config's environment, and the same for the go build. */
static void setup_env(resolver *rs)
{
	const xb_cgolink_opts *o = rs->o;
	const char *const *base = o->envp ? o->envp : (const char *const *)environ;
	xb_buf path = XB_BUF_INIT;

	xb_strv_pushv(&rs->env, base);
	for (size_t i = 0; o->pkg_config_path && o->pkg_config_path[i]; i++)
		xb_buf_addf(&path, "%s%s", path.len ? ":" : "", o->pkg_config_path[i]);
	if (o->cross || o->sysroot) {
		if (o->sysroot) {
			char rel[512];
			const char *dirs[] = { "usr/lib/pkgconfig", rel,
					       "usr/share/pkgconfig", NULL };
			snprintf(rel, sizeof(rel), "usr/lib/%s/pkgconfig",
				 o->triplet && *o->triplet && strlen(o->triplet) < 256
					 ? o->triplet : "-");
			for (int i = 0; dirs[i]; i++) {
				if (dirs[i] == rel && rel[8] == '-')
					continue;
				char *d = xb_path_join(o->sysroot, dirs[i]);
				if (d)
					xb_buf_addf(&path, "%s%s", path.len ? ":" : "", d);
				free(d);
			}
		}
		/* LIBDIR replaces the default search path; PKG_CONFIG_PATH
		 * would still be searched first, so it is emptied */
		xb_strv_setenv(&rs->r->env, "PKG_CONFIG_LIBDIR", xb_buf_str(&path));
		xb_strv_setenv(&rs->r->env, "PKG_CONFIG_PATH", "");
		if (o->sysroot && strcmp(o->sysroot, "/") != 0)
			xb_strv_setenv(&rs->r->env, "PKG_CONFIG_SYSROOT_DIR", o->sysroot);
		else
			xb_strv_setenv(&rs->r->env, "PKG_CONFIG_SYSROOT_DIR", "");
		reason(rs, "pkg-config searches only %s (PKG_CONFIG_LIBDIR%s%s)",
		       path.len ? xb_buf_str(&path) : "nothing",
		       o->sysroot ? ", PKG_CONFIG_SYSROOT_DIR=" : "",
		       o->sysroot ? o->sysroot : "");
	} else if (path.len) {
		const char *old = xb_strv_getenv(&rs->env, "PKG_CONFIG_PATH");
		if (old && *old)
			xb_buf_addf(&path, ":%s", old);
		xb_strv_setenv(&rs->r->env, "PKG_CONFIG_PATH", xb_buf_str(&path));
	}
	if (o->pkg_config && *o->pkg_config)
		xb_strv_setenv(&rs->r->env, "PKG_CONFIG", o->pkg_config);
	/* a search path with a folder missing would find the host's */
	keep_failure(rs, xb_buf_failed(&path));
	for (size_t i = 0; i < rs->r->env.n; i++) {
		const char *kv = rs->r->env.v[i], *eq = strchr(kv, '=');
		char *k = eq ? strndup(kv, (size_t)(eq - kv)) : NULL;
		if (k)
			xb_strv_setenv(&rs->env, k, eq + 1);
		free(k);
	}
	xb_buf_release(&path);
}

static void cxx_runtime(resolver *rs, const xb_cgolink *q, bool is_static)
{
	const char *who = "";

	for (size_t i = 0; i < q->n; i++)
		if (q->pkgs[i].cxx) {
			who = q->pkgs[i].import_path;
			break;
		}
	if (is_static) {
		flag(rs, "-static-libstdc++", "C++ files");
		flag(rs, "-static-libgcc", "C++ files");
		flag(rs, "-lstdc++", "C++ files");
		flag(rs, "-lm", "C++ files");
		reason(rs, "-static-libstdc++ -static-libgcc -lstdc++ -lm: the C++ "
		       "runtime is linked statically (C++ files in %s; go links "
		       "with $CXX, which must be the target's g++)", who);
	} else if (rs->o->static_libstdcxx) {
		flag(rs, "-static-libstdc++", "static_libstdcxx");
		flag(rs, "-static-libgcc", "static_libstdcxx");
		reason(rs, "-static-libstdc++ -static-libgcc: the C++ runtime is "
		       "linked statically into the dynamic binary (profile "
		       "static_libstdcxx; C++ files in %s)", who);
	} else {
		reason(rs, "the C++ runtime stays dynamic: libstdc++.so.6 and "
		       "libgcc_s.so.1 are needed at run time (C++ files in %s; "
		       "profile static_libstdcxx links them in)", who);
	}
}

xb_code xb_cgolink_resolve(const xb_cgolink *q, const xb_cgolink_opts *o,
			   xb_cgolink_out *r, xb_err *err)
{
	bool is_static = o->linkage == XB_CGOLINK_STATIC ||
			 o->linkage == XB_CGOLINK_STATIC_PIE;
	resolver rs;

	memset(&rs, 0, sizeof(rs));
	rs.o = o;
	rs.r = r;
	rs.err = err;
	setup_env(&rs);
	if (is_static) {
		const char *f = o->linkage == XB_CGOLINK_STATIC ? "-static"
								: "-static-pie";
		flag(&rs, f, "the linkage");
		reason(&rs, "%s: %s linkage%s", f, f + 1,
		       o->linkage == XB_CGOLINK_STATIC_PIE
			       ? " (with -buildmode=pie)" : "");
	}
	if (o->sysroot && strcmp(o->sysroot, "/") != 0 && (o->cross || is_static)) {
		xb_strv dirs = XB_STRV_INIT;
		keep_failure(&rs, xb_cgolink_lib_dirs(o->sysroot, o->triplet,
						      &dirs));
		for (size_t i = 0; i < dirs.n; i++) {
			xb_buf b = XB_BUF_INIT;
			xb_buf_addf(&b, "-L%s", dirs.v[i]);
			keep_failure(&rs, xb_buf_failed(&b));
			flag(&rs, xb_buf_str(&b), "the sysroot");
			reason(&rs, "%s: a library folder of the sysroot %s",
			       xb_buf_str(&b), o->sysroot);
			xb_buf_release(&b);
		}
		xb_strv_release(&dirs);
	}
	/* dependents before their dependencies: go list lists them after */
	for (size_t k = q->n; k-- > 0 && !rs.rc;) {
		const xb_cgolink_pkg *p = &q->pkgs[k];
		xb_buf from = XB_BUF_INIT;
		xb_buf_addf(&from, "%s", p->import_path);
		for (size_t i = 0; i < p->ldflags.n; i++) {
			const char *f = p->ldflags.v[i];
			if (is_static && strncmp(f, "-l", 2) == 0 && f[2])
				expand_lib(&rs, f + 2, p->import_path);
			else if (is_static || o->cross) {
				xb_buf b = XB_BUF_INIT;
				xb_buf_addf(&b, "#cgo LDFLAGS in %s", p->import_path);
				keep_failure(&rs, xb_buf_failed(&b));
				/* a dynamic link gets these from go itself;
				 * they are kept only to be checked */
				if (is_static)
					flag(&rs, f, xb_buf_str(&b));
				else {
					xb_strv_push(&rs.flags, f);
					xb_strv_push(&rs.origin, xb_buf_str(&b));
				}
				xb_buf_release(&b);
			}
		}
		if (is_static)
			expand_pkg_config(&rs, p);
		xb_buf_release(&from);
	}
	if (q->cxx)
		cxx_runtime(&rs, q, is_static);
	if (q->fortran && is_static) {
		flag(&rs, "-lgfortran", "Fortran files");
		flag(&rs, "-lquadmath", "Fortran files");
		flag(&rs, "-lm", "Fortran files");
		reason(&rs, "-lgfortran -lquadmath -lm: the Fortran runtime, "
		       "linked statically (Fortran files)");
	}
	for (size_t i = 0; o->extra_libs && o->extra_libs[i] && !rs.rc; i++) {
		const char *e = o->extra_libs[i];
		if (strncmp(e, "-l", 2) == 0 && e[2] && is_static)
			expand_lib(&rs, e + 2, "the profile's extra_libs");
		else if (e[0] == '-' || e[0] == '/' || !is_static) {
			flag(&rs, e, "the profile's extra_libs");
			reason(&rs, "%s: from the profile's extra_libs", e);
		} else
			expand_lib(&rs, e, "the profile's extra_libs");
	}
	if (o->cross)
		check_cross(&rs);
	if (!rs.rc) {
		if (!is_static) {
			/* a dynamic link: only what go does not add itself */
			xb_strv kept = XB_STRV_INIT;
			for (size_t i = 0; i < rs.flags.n; i++)
				if (strncmp(rs.origin.v[i], "#cgo LDFLAGS", 12) != 0)
					xb_strv_push(&kept, rs.flags.v[i]);
			xb_strv_release(&rs.flags);
			rs.flags = kept;
			xb_strv_release(&rs.origin);
			for (size_t i = 0; i < rs.flags.n; i++)
				xb_strv_push(&rs.origin, "");
		}
		dedup(&rs);
	}
	for (size_t i = 0; i < rs.nmods; i++) {
		free(rs.mods[i].name);
		free(rs.mods[i].module);
		free(rs.mods[i].pcfile);
		xb_strv_release(&rs.mods[i].libs);
		xb_strv_release(&rs.mods[i].shared);
	}
	free(rs.mods);
	/* what was pushed without a check each, checked once */
	keep_failure(&rs, xb_strv_failed(&rs.env));
	keep_failure(&rs, xb_strv_failed(&rs.flags));
	keep_failure(&rs, xb_strv_failed(&rs.origin));
	keep_failure(&rs, xb_strv_failed(&r->extldflags));
	keep_failure(&rs, xb_strv_failed(&r->env));
	keep_failure(&rs, xb_strv_failed(&r->reasons));
	keep_failure(&rs, xb_strv_failed(&r->errors));
	xb_strv_release(&rs.env);
	xb_strv_release(&rs.flags);
	xb_strv_release(&rs.origin);
	if (rs.rc) {
		if (rs.rc != XB_ERR_SPAWN) /* run_pc said why */
			xb_fail(err, rs.rc, "cannot resolve the C libraries: %s",
				xb_strerror(rs.rc));
		return rs.rc;
	}
	if (r->errors.n)
		return xb_fail(err, XB_ERR_CONFLICT, "%s%s", r->errors.v[0],
			       r->errors.n > 1 ? " (and more)" : "");
	return XB_OK;
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
