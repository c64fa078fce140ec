/* uptodate.c: records of what `xbuild build` built each artifact from, and
 * the check that makes a rebuild with nothing changed cost less than
 * go build's own.
 *
 * A record is a JSON file in the cache, uptodate/<sha256 of the output's
 * absolute path>: the plan's identity (environment, argv, toolchains,
 * expectation, hooks), the artifact's sha256, and every input go list
 * names outside the standard library and the module cache with its size
 * and mtime (absent ones too), and the folders whose names decide which
 * files go build reads, by a hash of those names.  The check reads the
 * record, stats the files, lists the folders and hashes the artifact: no
 * go command runs.
 *
 * An input whose mtime is not clearly older than the moment of the check
 * (made before the build started) may have changed while the build read
 * it: then no record is written, and the next run builds again. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "profile.h"
#include "uptodate.h"
#include "uptodate-int.h"

#define RECORD_VERSION 1
#define RECORD_MAX (64u << 20)   /* bytes of a record */
/* how far an mtime must be before the check: the kernel stamps files
 * from a clock that lags the one read here by a tick; a file system
 * with whole seconds (no nanoseconds) gets two */
#define SLOP_NS 20000000LL
#define SLOP_COARSE_NS 2000000000LL

void xb_uptodate_init(xb_uptodate *u)
{
	memset(u, 0, sizeof(*u));
	xb_strv_init(&u->outdir_names);
}

void xb_uptodate_release(xb_uptodate *u)
{
	if (u->list_pid > 0) { /* a build that came to nothing */
		kill(u->list_pid, SIGKILL);
		xb_wait(u->list_pid, NULL, NULL);
	}
	if (u->list_out)
		unlink(u->list_out);
	free(u->list_out);
	free(u->list_text);
	free(u->output);
	free(u->outdir);
	free(u->record);
	xb_strv_release(&u->outdir_names);
	xb_uptodate_init(u);
}

static void hex_of(const void *data, size_t len, char hex[65])
{
	xb_sha256 h;
	unsigned char d[32];

	memset(d, 0, sizeof(d));
	if (!xb_sha256_init(&h)) {
		xb_sha256_update(&h, data, len);
		xb_sha256_final(&h, d);
	}
	xb_hex(d, 32, hex);
}

/* ---- folders ------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static xb_code read_names(const char *dir, xb_strv *names)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			xb_strv_push(names, e->d_name);
	closedir(d);
	return xb_strv_failed(names);
}

/* What go build reads of a package's folder: sources of every language
 * it compiles, its objects, never tests nor names it ignores. */
static bool go_name(const char *name)
{
	static const char *const ext[] = {
		".go", ".c", ".cc", ".cxx", ".cpp", ".m", ".h", ".hh", ".hpp",
		".hxx", ".f", ".F", ".for", ".f90", ".s", ".S", ".sx", ".swig",
		".swigcxx", ".syso", NULL,
	};
	const char *dot = strrchr(name, '.');
	size_t n = strlen(name);

	if (name[0] == '.' || name[0] == '_' || !dot)
		return false;
	if (n >= 8 && !strcmp(name + n - 8, "_test.go"))
		return false;
	return xb_str_in(dot, ext);
}

static bool passes(const char *name, const char *spec)
{
	const char *p;

	if (!strcmp(spec, "*"))
		return true;
	if (go_name(name))
		return true;
	/* "go\nPATTERN\nPATTERN" */
	for (p = strchr(spec, '\n'); p; p = strchr(p + 1, '\n')) {
		char pat[512];
		size_t n = strcspn(p + 1, "\n");

		if (n >= sizeof(pat))
			continue;
		memcpy(pat, p + 1, n);
		pat[n] = '\0';
		if (fnmatch(pat, name, 0) == 0)
			return true;
	}
	return false;
}

xb_code xb_uptodate_dir_hash(const char *dir, const char *spec,
			     const xb_strv *names, char hex[65])
{
	xb_strv own = XB_STRV_INIT, keep = XB_STRV_INIT;
	xb_buf b = XB_BUF_INIT;
	xb_code rc = XB_OK;

	if (!names && (rc = read_names(dir, &own)) == XB_ERR_NOTFOUND) {
		/* a folder that is gone: its own hash */
		hex_of("-", 1, hex);
		xb_strv_release(&own);
		return XB_OK;
	}
	if (!names)
		names = &own;
	for (size_t i = 0; !rc && i < names->n; i++)
		if (passes(names->v[i], spec))
			xb_strv_push(&keep, names->v[i]);
	if (!rc && !(rc = xb_strv_failed(&keep))) {
		qsort(keep.v, keep.n, sizeof(*keep.v), cmp_str);
		for (size_t i = 0; i < keep.n; i++)
			xb_buf_add(&b, keep.v[i], strlen(keep.v[i]) + 1);
		if (!(rc = xb_buf_failed(&b)))
			hex_of(b.data ? b.data : "", b.len, hex);
	}
	xb_strv_release(&own);
	xb_strv_release(&keep);
	xb_buf_release(&b);
	return rc;
}

/* ---- the plan's identity ------------------------------------------------ */

/* Everything of the plan that decides the artifact or its proof, and the
 * folder the build runs in (relative packages), as a sha256.  Hooks count
 * by their text: the fields they are expanded with hold the time. */
static xb_code identity(const xb_plan *pl, bool smoke, const char *cwd,
			char hex[65])
{
	xb_buf b = XB_BUF_INIT;
	xb_json j;
	xb_code rc;

	xb_json_init(&j, &b, false);
	xb_json_obj_begin(&j);
	xb_json_kint(&j, "record", RECORD_VERSION);
	xb_json_kstr(&j, "xbuild", XB_VERSION);
	xb_json_kstr(&j, "cwd", cwd);
	xb_json_kstr(&j, "target", pl->target);
	xb_json_kstr(&j, "package", pl->pkg);
	xb_json_kstr(&j, "linkage", pl->linkage);
	xb_json_kstrv(&j, "env", &pl->env);
	xb_json_kstrv(&j, "pass", &pl->pass);
	xb_json_kstrv(&j, "argv", &pl->argv);
	xb_json_kbool(&j, "has_cc", pl->has_cc);
	xb_json_kstr(&j, "cc", pl->cc.cc);
	xb_json_kstr(&j, "cxx", pl->cc.cxx);
	xb_json_kstr(&j, "cc_sha256", pl->cc.hash);
	xb_json_kstr(&j, "cflags", pl->cc.cflags);
	xb_json_kstrv(&j, "cc_env", &pl->cc.env);
	xb_json_kstrv(&j, "extldflags", &pl->extldflags);
	xb_json_key(&j, "expect");
	xb_expect_json(&pl->expect, &j);
	xb_json_kbool(&j, "smoke", smoke || pl->smoke.n);
	xb_json_kstrv(&j, "smoke_args", &pl->smoke);
	xb_json_kbool(&j, "nss_fatal", pl->nss_fatal);
	xb_json_kstrv(&j, "pre", &pl->hooks_pre);
	xb_json_kstrv(&j, "post", &pl->hooks_post);
	xb_json_obj_end(&j);
	if (!(rc = xb_json_finish(&j)))
		hex_of(b.data, b.len, hex);
	xb_buf_release(&b);
	return rc;
}

/* ---- the check ----------------------------------------------------------- */

/* The output's absolute path, its folder and the record's path. */
static xb_code locate(xb_uptodate *u, const xb_plan *pl, char *cwd)
{
	xb_buf b = XB_BUF_INIT;
	char *cache = xb_cache_dir(), *slash, key[65];

	u->output = pl->output[0] == '/' ? strdup(pl->output) :
		xb_path_join(cwd, pl->output);
	if (!u->output || !(u->outdir = strdup(u->output))) {
		free(cache);
		return XB_ERR_NOMEM;
	}
	slash = strrchr(u->outdir, '/');
	slash[slash == u->outdir ? 1 : 0] = '\0';
	if (cache) {
		hex_of(u->output, strlen(u->output), key);
		xb_buf_addf(&b, "%s/uptodate/%s", cache, key);
		u->record = xb_buf_take(&b);
		free(cache);
		if (!u->record)
			return XB_ERR_NOMEM;
	}
	return XB_OK;
}

static bool eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* ["path", size, mtime_ns]: the file as it was (size -1: absent). */
static bool file_same(json_t *e)
{
	const char *p = json_string_value(json_array_get(e, 0));
	json_t *size = json_array_get(e, 1), *mt = json_array_get(e, 2);
	struct stat st;

	if (!p || !json_is_integer(size) || !json_is_integer(mt))
		return false;
	if (stat(p, &st) < 0)
		return errno == ENOENT && json_integer_value(size) == -1;
	return json_integer_value(size) == (json_int_t)st.st_size &&
	       json_integer_value(mt) == (json_int_t)mtime_ns(&st);
}

/* ["path", "spec", "hash"]: the folder's names as they were. */
static bool dir_same(json_t *e)
{
	const char *p = json_string_value(json_array_get(e, 0));
	const char *spec = json_string_value(json_array_get(e, 1));
	const char *h = json_string_value(json_array_get(e, 2));
	char now[65];

	return p && spec && h && !xb_uptodate_dir_hash(p, spec, NULL, now) &&
	       !strcmp(now, h);
}

static bool inputs_same(json_t *rec)
{
	json_t *files = json_object_get(rec, "files");
	json_t *dirs = json_object_get(rec, "dirs");
	size_t i;
	json_t *e;

	if (!json_is_array(files) || !json_is_array(dirs))
		return false;
	json_array_foreach(files, i, e)
		if (!file_same(e))
			return false;
	json_array_foreach(dirs, i, e)
		if (!dir_same(e))
			return false;
	return true;
}

/* The artifact in place is the record's: size first, then its sha256. */
static bool artifact_same(json_t *rec, const char *output, xb_run_target *t)
{
	const char *sha = json_string_value(json_object_get(rec, "sha256"));
	const char *linkage = json_string_value(json_object_get(rec, "linkage"));
	json_t *size = json_object_get(rec, "size");
	static const char *const linkages[] = { "static", "static-pie",
						"dynamic", NULL };
	unsigned char d[32];
	char hex[65];
	struct stat st;

	if (!sha || !json_is_integer(size) || stat(output, &st) < 0 ||
	    !S_ISREG(st.st_mode) || json_integer_value(size) != st.st_size ||
	    xb_sha256_file(output, d, NULL))
		return false;
	xb_hex(d, 32, hex);
	if (strcmp(hex, sha))
		return false;
	memcpy(t->sha256, hex, sizeof(t->sha256));
	t->size = (uint64_t)st.st_size;
	/* the checker's static words, as the table shows them */
	for (size_t i = 0; linkage && linkages[i]; i++)
		if (!strcmp(linkage, linkages[i]))
			t->facts.linkage = linkages[i];
	return true;
}

bool xb_uptodate_check(xb_uptodate *u, const xb_plan *pl, bool smoke,
		       bool force, xb_run_target *t)
{
	char *cwd = getcwd(NULL, 0);
	xb_buf b;
	json_t *rec = NULL;
	bool same = false;

	xb_uptodate_release(u);
	clock_gettime(CLOCK_REALTIME, &u->since);
	if (!cwd || locate(u, pl, cwd) || identity(pl, smoke, cwd, u->identity)) {
		free(cwd);
		return false;
	}
	free(cwd);
	u->checked = true;
	/* a folder the build makes for the output changes its parent */
	while (!xb_is_dir(u->outdir) && strrchr(u->outdir, '/') > u->outdir)
		*strrchr(u->outdir, '/') = '\0';
	if (read_names(u->outdir, &u->outdir_names) == XB_ERR_IO)
		xb_strv_push(&u->outdir_names, "/"); /* never equal */
	if (!u->record || force)
		return false;
	xb_buf_init(&b, RECORD_MAX);
	if (!xb_buf_read_file(&b, u->record, NULL))
		rec = json_loadb(b.data ? b.data : "", b.len, 0, NULL);
	xb_buf_release(&b);
	if (json_is_object(rec) &&
	    json_integer_value(json_object_get(rec, "record")) == RECORD_VERSION &&
	    eq(json_string_value(json_object_get(rec, "identity")), u->identity) &&
	    eq(json_string_value(json_object_get(rec, "output")), u->output))
		same = inputs_same(rec) && artifact_same(rec, u->output, t);
	json_decref(rec);
	return same;
}

/* ---- what the artifact was built from ------------------------------------ */

struct inputs {
	xb_strv files;   /* absolute paths, those absent too */
	xb_strv dirs;    /* folders whose names matter ... */
	xb_strv specs;   /* ... and which of them (xb_uptodate_dir_hash) */
	char *goroot;    /* where the standard library came from */
	char *root;      /* the folder of the package built */
};

static void inputs_release(struct inputs *in)
{
	xb_strv_release(&in->files);
	xb_strv_release(&in->dirs);
	xb_strv_release(&in->specs);
	free(in->goroot);
	free(in->root);
}

/* A vector with a piece missing is never written. */
static void broken(xb_strv *sv)
{
	if (!sv->status)
		sv->status = XB_ERR_NOMEM;
}

static void add_file(struct inputs *in, const char *dir, const char *name,
		     bool unique)
{
	char *p = name ? xb_path_join(dir, name) : strdup(dir);

	if (!p)
		broken(&in->files);
	else if (!unique || !xb_strv_contains(&in->files, p))
		xb_strv_push(&in->files, p);
	free(p);
}

/* A folder, or more of it: one listed twice with two filters keeps
 * every name. */
static void add_dir(struct inputs *in, const char *dir, const char *spec)
{
	for (size_t i = 0; i < in->dirs.n; i++)
		if (!strcmp(in->dirs.v[i], dir)) {
			if (strcmp(in->specs.v[i], spec) &&
			    xb_set_str(&in->specs.v[i], "*"))
				broken(&in->specs);
			return;
		}
	xb_strv_push(&in->dirs, dir);
	xb_strv_push(&in->specs, spec);
}

/* The module's go.mod; the main module's go.sum and vendor list too. */
static void add_module(struct inputs *in, json_t *m)
{
	const char *gomod = json_string_value(json_object_get(m, "GoMod"));
	char *dir;

	if (!gomod)
		return;
	add_file(in, gomod, NULL, true);
	if (!json_is_true(json_object_get(m, "Main")) || !(dir = strdup(gomod)))
		return;
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	add_file(in, dir, "go.sum", true);
	add_file(in, dir, "vendor/modules.txt", true);
	free(dir);
}

/* Embedded files: every folder on the way to one (a pattern that names a
 * folder takes what comes into it), and the package folder's names that
 * a pattern matches. */
static void add_embeds(struct inputs *in, json_t *pkg, const char *dir,
		       xb_buf *spec)
{
	json_t *files = json_object_get(pkg, "EmbedFiles"), *e;
	json_t *pats = json_object_get(pkg, "EmbedPatterns");
	size_t i;

	json_array_foreach(pats, i, e) {
		const char *p = json_string_value(e);

		if (p && !strncmp(p, "all:", 4))
			p += 4;
		if (p && !strchr(p, '/'))
			xb_buf_addf(spec, "\n%s", p);
	}
	json_array_foreach(files, i, e) {
		const char *f = json_string_value(e), *s;

		for (s = f ? strchr(f, '/') : NULL; s; s = strchr(s + 1, '/')) {
			xb_buf sub = XB_BUF_INIT;

			xb_buf_addf(&sub, "%s/%.*s", dir, (int)(s - f), f);
			if (xb_buf_failed(&sub))
				broken(&in->dirs);
			else
				add_dir(in, xb_buf_str(&sub), "*");
			xb_buf_release(&sub);
		}
	}
}

static void add_package(struct inputs *in, json_t *pkg)
{
	static const char *const keys[] = {
		"GoFiles", "CgoFiles", "IgnoredGoFiles", "IgnoredOtherFiles",
		"CFiles", "CXXFiles", "MFiles", "HFiles", "FFiles", "SFiles",
		"SwigFiles", "SwigCXXFiles", "SysoFiles", "EmbedFiles",
	};
	const char *dir, *ip;
	json_t *m = json_object_get(pkg, "Module");
	xb_buf spec = XB_BUF_INIT;
	enum xb_uptodate_pkg kind = xb_uptodate_pkg_kind(pkg, &dir, &ip);

	if (kind == XB_UPTODATE_PKG_NONE)
		return;
	xb_set_str(&in->root, dir); /* the last one is the package built */
	if (kind == XB_UPTODATE_PKG_STD && !in->goroot)
		in->goroot = xb_uptodate_goroot(dir, ip);
	if (kind != XB_UPTODATE_PKG_USER)
		return;
	if (json_is_object(m))
		add_module(in, m);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		json_t *v = json_object_get(pkg, keys[k]), *e;
		size_t i;

		json_array_foreach(v, i, e)
			if (json_string_value(e))
				add_file(in, dir, json_string_value(e), false);
	}
	xb_buf_adds(&spec, "go");
	add_embeds(in, pkg, dir, &spec);
	if (xb_buf_failed(&spec))
		broken(&in->dirs);
	else
		add_dir(in, dir, xb_buf_str(&spec));
	xb_buf_release(&spec);
}

static xb_code go_list(xb_uptodate *u, const xb_plan *pl,
		       const char *const *envp, xb_uptodate_run *ur,
		       struct inputs *in, xb_err *err)
{
	xb_buf out;
	size_t pos = 0;
	xb_code rc;

	xb_buf_init(&out, XB_UPTODATE_LIST_MAX);
	rc = xb_uptodate_list(u, pl, envp, ur, &out, err);
	while (!rc && pos < out.len) {
		json_error_t je;
		json_t *o = json_loadb(out.data + pos, out.len - pos,
				       JSON_DISABLE_EOF_CHECK, &je);

		if (!json_is_object(o) || je.position <= 0)
			rc = xb_fail(err, XB_ERR_FORMAT, "go list output: byte "
				     "%zu: not an object", pos);
		else
			add_package(in, o);
		json_decref(o);
		pos += je.position > 0 ? (size_t)je.position : 0;
		while (pos < out.len && strchr(" \t\r\n", out.data[pos]))
			pos++;
	}
	xb_buf_release(&out);
	return rc;
}

static const char *env_of(const char *const *envp, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; envp && envp[i]; i++)
		if (!strncmp(envp[i], key, n) && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

/* The program a command line runs, found as the build finds it. */
static void add_program(struct inputs *in, const char *line, const char *path)
{
	xb_strv w = XB_STRV_INIT;
	const char *why = NULL;
	char *p;

	if (line && !xb_strv_split_words(&w, line, &why) && !why && w.n &&
	    (p = xb_which(w.v[0], path))) {
		add_file(in, p, NULL, true);
		free(p);
	}
	xb_strv_release(&w);
}

/* The archives the C link takes: -lX as the first libX.a of its folders
 * (the folders before it hold none: one that comes is another library),
 * and archives and objects named by path. */
static void add_archives(struct inputs *in, const xb_plan *pl)
{
	xb_strv dirs = XB_STRV_INIT;

	for (size_t i = 0; i < pl->extldflags.n; i++)
		if (!strncmp(pl->extldflags.v[i], "-L", 2) && pl->extldflags.v[i][2])
			xb_strv_push(&dirs, pl->extldflags.v[i] + 2);
	xb_strv_pushsv(&dirs, &pl->lib_dirs);
	for (size_t i = 0; i < pl->extldflags.n; i++) {
		const char *w = pl->extldflags.v[i];
		size_t n = strlen(w);
		xb_buf name = XB_BUF_INIT;
		struct stat st;

		if (!strncmp(w, "-l", 2) && n > 2) {
			if (w[2] == ':')
				xb_buf_adds(&name, w + 3);
			else
				xb_buf_addf(&name, "lib%s.a", w + 2);
			for (size_t k = 0; k < dirs.n && !xb_buf_failed(&name); k++) {
				char *p = xb_path_join(dirs.v[k], xb_buf_str(&name));

				add_file(in, p ? p : "", NULL, true);
				if (p && stat(p, &st) == 0)
					k = dirs.n;
				free(p);
			}
		} else if (w[0] != '-' && n > 2 && (!strcmp(w + n - 2, ".a") ||
						    !strcmp(w + n - 2, ".o"))) {
			add_file(in, w, NULL, true);
		}
		if (xb_buf_failed(&name))
			broken(&in->files);
		xb_buf_release(&name);
	}
	xb_strv_release(&dirs);
}

/* go.work (GOWORK, else the first in the folders up from here) and go's
 * own settings file (GOENV, else its place under the config folder). */
static void add_go_settings(struct inputs *in, const char *const *envp,
			    const char *cwd)
{
	const char *gw = env_of(envp, "GOWORK"), *ge = env_of(envp, "GOENV");
	const char *cfg = env_of(envp, "XDG_CONFIG_HOME");
	const char *home = env_of(envp, "HOME");
	char *dir = strdup(cwd), *slash;
	struct stat st;
	xb_buf b = XB_BUF_INIT;

	if (gw && *gw && strcmp(gw, "off")) {
		add_file(in, gw, NULL, true);
		xb_buf_addf(&b, "%s.sum", gw);
		add_file(in, xb_buf_str(&b), NULL, true);
	}
	while (!gw && dir && *dir) {
		char *p = xb_path_join(dir, "go.work");
		bool found = p && stat(p, &st) == 0;

		add_file(in, p ? p : "", NULL, true);
		free(p);
		if (found) {
			add_file(in, dir, "go.work.sum", true);
			break;
		}
		slash = strrchr(dir, '/');
		*slash = '\0';
	}
	free(dir);
	xb_buf_reset(&b);
	if (ge && *ge && strcmp(ge, "off"))
		xb_buf_adds(&b, ge);
	else if (!ge && cfg && cfg[0] == '/')
		xb_buf_addf(&b, "%s/go/env", cfg);
	else if (!ge && home && *home)
		xb_buf_addf(&b, "%s/.config/go/env", home);
	if (b.len)
		add_file(in, xb_buf_str(&b), NULL, true);
	xb_buf_release(&b);
}

/* The Go and C toolchains' programs, beyond what the plan says of them. */
static void add_toolchains(struct inputs *in, const xb_plan *pl,
			   const char *const *envp, const char *hostos,
			   const char *hostarch)
{
	static const char *const tools[] = { "compile", "link", "asm", "cgo" };
	const char *path = env_of(envp, "PATH");

	add_program(in, pl->argv.v[0], path);
	if (pl->has_cc) {
		add_program(in, pl->cc.cc, path);
		add_program(in, pl->cc.cxx, path);
	}
	if (!in->goroot)
		return;
	add_file(in, in->goroot, "VERSION", true);
	for (size_t i = 0; hostos && hostarch && i < 4; i++) {
		xb_buf b = XB_BUF_INIT;

		xb_buf_addf(&b, "%s/pkg/tool/%s_%s/%s", in->goroot, hostos,
			    hostarch, tools[i]);
		add_file(in, xb_buf_failed(&b) ? "" : xb_buf_str(&b), NULL, true);
		xb_buf_release(&b);
	}
}

/* ---- the record ---------------------------------------------------------- */

/* Changed after the check (or too close to it to tell). */
static bool racy(const xb_uptodate *u, const struct stat *st)
{
	long long since = (long long)u->since.tv_sec * 1000000000LL +
		u->since.tv_nsec;

	return mtime_ns(st) > since - (st->st_mtim.tv_nsec ? SLOP_NS :
				       SLOP_COARSE_NS);
}

static xb_code write_inputs(const xb_uptodate *u, const struct inputs *in,
			    xb_json *j, xb_err *err)
{
	struct stat st;

	xb_json_key(j, "files");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < in->files.n; i++) {
		const char *p = in->files.v[i];
		bool here = stat(p, &st) == 0;

		if (!here && errno != ENOENT)
			return xb_fail(err, XB_ERR_IO, "cannot read '%s':", p);
		if (here && racy(u, &st))
			return xb_fail(err, XB_ERR_CONFLICT, "'%s' changed while "
				       "building", p);
		xb_json_arr_begin(j);
		xb_json_str(j, p);
		xb_json_int(j, here ? (long long)st.st_size : -1);
		xb_json_int(j, here ? mtime_ns(&st) : 0);
		xb_json_arr_end(j);
	}
	xb_json_arr_end(j);
	xb_json_key(j, "dirs");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < in->dirs.n; i++) {
		const char *d = in->dirs.v[i], *spec = in->specs.v[i];
		char now[65], before[65];
		bool out = !strcmp(d, u->outdir);

		/* the output's folder changes with each build: its names
		 * before it are compared instead of its mtime */
		if (xb_uptodate_dir_hash(d, spec, NULL, now) ||
		    (out && (xb_uptodate_dir_hash(d, spec, &u->outdir_names,
						  before) || strcmp(before, now))) ||
		    (!out && (stat(d, &st) < 0 || racy(u, &st))))
			return xb_fail(err, XB_ERR_CONFLICT, "'%s' changed while "
				       "building", d);
		xb_json_arr_begin(j);
		xb_json_str(j, d);
		xb_json_str(j, spec);
		xb_json_str(j, now);
		xb_json_arr_end(j);
	}
	xb_json_arr_end(j);
	return XB_OK;
}

static xb_code gather(xb_uptodate *u, const xb_plan *pl,
		      const char *const *envp, const char *hostos,
		      const char *hostarch, xb_uptodate_run *ur,
		      struct inputs *in, xb_err *err)
{
	char *cwd = getcwd(NULL, 0);
	xb_code rc;

	if (!cwd)
		return xb_fail(err, XB_ERR_IO, "getcwd:");
	if (!(rc = go_list(u, pl, envp, ur, in, err))) {
		add_go_settings(in, envp, cwd);
		add_toolchains(in, pl, envp, hostos, hostarch);
		add_archives(in, pl);
		if (in->root)
			add_file(in, in->root, "default.pgo", true);
		if (xb_strv_failed(&in->files) || xb_strv_failed(&in->dirs) ||
		    xb_strv_failed(&in->specs))
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	free(cwd);
	return rc;
}

xb_code xb_uptodate_record(xb_uptodate *u, const xb_plan *pl,
			   const char *const *envp, const char *hostos,
			   const char *hostarch, xb_uptodate_run *ur,
			   const xb_run_target *t, xb_err *err)
{
	struct inputs in;
	xb_buf b = XB_BUF_INIT;
	xb_json j;
	char *dir;
	xb_code rc;

	if (!u->checked || !u->record)
		return XB_OK;
	memset(&in, 0, sizeof(in));
	xb_strv_init(&in.files);
	xb_strv_init(&in.dirs);
	xb_strv_init(&in.specs);
	unlink(u->record); /* it was another artifact's */
	if ((rc = gather(u, pl, envp, hostos, hostarch, ur, &in, err)))
		goto done;
	xb_json_init(&j, &b, false);
	xb_json_obj_begin(&j);
	xb_json_kint(&j, "record", RECORD_VERSION);
	xb_json_kstr(&j, "identity", u->identity);
	xb_json_kstr(&j, "output", u->output);
	xb_json_kstr(&j, "sha256", t->sha256);
	xb_json_kint(&j, "size", (long long)t->size);
	xb_json_kstr(&j, "linkage", t->facts.linkage);
	if ((rc = write_inputs(u, &in, &j, err)))
		goto done;
	xb_json_obj_end(&j);
	if ((rc = xb_json_finish(&j)))
		goto done;
	dir = strdup(u->record);
	if (!dir) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto done;
	}
	*strrchr(dir, '/') = '\0';
	if (!(rc = xb_mkdir_p(dir, err)))
		rc = xb_write_cache_file(u->record, b.data, b.len, err);
	free(dir);
done:
	inputs_release(&in);
	xb_buf_release(&b);
	return rc;
}
