/* cgolink-resolve.c: from the package graph to the link (the other half
 * of cgolink.c).  pkg-config is asked what each library needs in turn
 * (Libs.private, Requires.private), every -l is checked against the
 * archives a static link would take, the flags are deduplicated keeping
 * their order, and for a cross target no host library folder may reach
 * the link. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgolink.h"

extern char **environ;

#define PKG_CONFIG_OUT_MAX (1u << 20)

/* Libraries no .pc file describes: no pkg-config lookup for these. */
static const char *const system_libs[] = {
	"c", "m", "dl", "pthread", "rt", "util", "resolv", "gcc", "gcc_s",
	"gcc_eh", "stdc++", "atomic", "crypt", "anl", "gfortran", "quadmath",
	NULL };

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

	xb_buf_init(&errb, CGOLINK_STDERR_MAX);
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
	for (int i = 0; o->triplet && *o->triplet && i < 2; i++) {
		/* /usr/lib/aarch64-linux-gnu, /usr/lib/gcc-cross/aarch64-...,
		 * and the multiarch name: /usr/lib/i386-linux-gnu for i686 */
		char ma[256];
		const char *name = o->triplet, *t;
		size_t k;

		if (i == 1) {
			xb_cgolink_multiarch(o->triplet, ma, sizeof(ma));
			name = ma;
		}
		t = *name ? strstr(p, name) : NULL;
		k = strlen(name);
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
			char rel[512], ma[256];
			const char *dirs[] = { "usr/lib/pkgconfig", rel,
					       "usr/share/pkgconfig", NULL };
			xb_cgolink_multiarch(o->triplet, ma, sizeof(ma));
			snprintf(rel, sizeof(rel), "usr/lib/%s/pkgconfig",
				 *ma ? ma : "-");
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

/* -L for each library folder of the sysroot. */
static void sysroot_flags(resolver *rs)
{
	xb_strv dirs = XB_STRV_INIT;

	keep_failure(rs, xb_cgolink_lib_dirs(rs->o->sysroot, rs->o->triplet,
					     &dirs));
	for (size_t i = 0; i < dirs.n; i++) {
		xb_buf b = XB_BUF_INIT;
		xb_buf_addf(&b, "-L%s", dirs.v[i]);
		keep_failure(rs, xb_buf_failed(&b));
		flag(rs, xb_buf_str(&b), "the sysroot");
		reason(rs, "%s: a library folder of the sysroot %s",
		       xb_buf_str(&b), rs->o->sysroot);
		xb_buf_release(&b);
	}
	xb_strv_release(&dirs);
}

/* One package's #cgo LDFLAGS, and for a static link what pkg-config
 * says its libraries need. */
static void package_flags(resolver *rs, const xb_cgolink_pkg *p,
			  bool is_static)
{
	xb_buf from = XB_BUF_INIT;

	xb_buf_addf(&from, "%s", p->import_path);
	for (size_t i = 0; i < p->ldflags.n; i++) {
		const char *f = p->ldflags.v[i];
		if (is_static && strncmp(f, "-l", 2) == 0 && f[2])
			expand_lib(rs, f + 2, p->import_path);
		else if (is_static || rs->o->cross) {
			xb_buf b = XB_BUF_INIT;
			xb_buf_addf(&b, "#cgo LDFLAGS in %s", p->import_path);
			keep_failure(rs, xb_buf_failed(&b));
			/* a dynamic link gets these from go itself;
			 * they are kept only to be checked */
			if (is_static)
				flag(rs, f, xb_buf_str(&b));
			else {
				xb_strv_push(&rs->flags, f);
				xb_strv_push(&rs->origin, xb_buf_str(&b));
			}
			xb_buf_release(&b);
		}
	}
	if (is_static)
		expand_pkg_config(rs, p);
	xb_buf_release(&from);
}

static void resolver_release(resolver *rs)
{
	for (size_t i = 0; i < rs->nmods; i++) {
		free(rs->mods[i].name);
		free(rs->mods[i].module);
		free(rs->mods[i].pcfile);
		xb_strv_release(&rs->mods[i].libs);
		xb_strv_release(&rs->mods[i].shared);
	}
	free(rs->mods);
	/* what was pushed without a check each, checked once */
	keep_failure(rs, xb_strv_failed(&rs->env));
	keep_failure(rs, xb_strv_failed(&rs->flags));
	keep_failure(rs, xb_strv_failed(&rs->origin));
	keep_failure(rs, xb_strv_failed(&rs->r->extldflags));
	keep_failure(rs, xb_strv_failed(&rs->r->env));
	keep_failure(rs, xb_strv_failed(&rs->r->reasons));
	keep_failure(rs, xb_strv_failed(&rs->r->errors));
	xb_strv_release(&rs->env);
	xb_strv_release(&rs->flags);
	xb_strv_release(&rs->origin);
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
	if (o->sysroot && strcmp(o->sysroot, "/") != 0 && (o->cross || is_static))
		sysroot_flags(&rs);
	/* dependents before their dependencies: go list lists them after */
	for (size_t k = q->n; k-- > 0 && !rs.rc;)
		package_flags(&rs, &q->pkgs[k], is_static);
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
	resolver_release(&rs);
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
