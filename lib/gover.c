/* gover.c: Go releases.  Their names and order, the toolchain line of
 * go.mod, which release a run uses (the profile's go_version, else a newer
 * release go.mod's toolchain line names, else the local go), and the
 * releases this machine has: installed ones and those go downloaded into
 * the module cache. */
#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gover.h"
#include "tcdata.h"

extern char **environ;

#define GOMOD_MAX (16u << 20)

/* ---- names and order ---------------------------------------------------- */

/* A version as Go orders it: 1.21rc1 < 1.21.0 < 1.21.1. */
struct gv {
	long major, minor, patch; /* patch -1: none written */
	int kind;                 /* 0 beta, 1 rc, 2 release */
	long pre;                 /* the N of betaN, rcN */
};

static const char *num(const char *p, long *v)
{
	char *end;

	if (!isdigit((unsigned char)*p))
		return NULL;
	*v = strtol(p, &end, 10);
	return *v < 0 || *v > 100000 ? NULL : end;
}

/* Read "[go]1.N[.P|rcK|betaK]" at v; the end of what was read, or NULL. */
static const char *scan(const char *v, struct gv *g)
{
	const char *p = v;

	memset(g, 0, sizeof(*g));
	g->patch = -1;
	g->kind = 2;
	if (!strncmp(p, "go", 2))
		p += 2;
	if (!(p = num(p, &g->major)) || *p != '.' || !(p = num(p + 1, &g->minor)))
		return NULL;
	if (*p == '.' && isdigit((unsigned char)p[1]))
		return num(p + 1, &g->patch);
	if (!strncmp(p, "rc", 2) || !strncmp(p, "beta", 4)) {
		g->kind = *p == 'r' ? 1 : 0;
		return num(p + (*p == 'r' ? 2 : 4), &g->pre);
	}
	return p;
}

bool xb_gover_release(const char *v, char *out, size_t n)
{
	struct gv g;
	const char *end = v ? scan(v, &g) : NULL;

	if (!end || *end || g.major != 1 || g.kind != 2)
		return false;
	/* Go 1.21 and later name releases 1.N.P from 1.N.0 on; before, the
	 * first release of 1.N was plain 1.N */
	if (g.minor >= 21 ? g.patch < 0 : g.patch == 0)
		return false;
	if (g.patch < 0)
		return (size_t)snprintf(out, n, "go1.%ld", g.minor) < n;
	return (size_t)snprintf(out, n, "go1.%ld.%ld", g.minor, g.patch) < n;
}

int xb_gover_cmp(const char *a, const char *b)
{
	struct gv x, y;
	const char *pa = strstr(a, "go1"), *pb = strstr(b, "go1");
	bool okx = scan(pa ? pa : a, &x) != NULL;
	bool oky = scan(pb ? pb : b, &y) != NULL;

	if (!okx || !oky)
		return okx - oky; /* what cannot be read sorts first */
#define CMP(f) if (x.f != y.f) return x.f < y.f ? -1 : 1
	CMP(major);
	CMP(minor);
	CMP(kind);
	if (x.kind != 2)
		CMP(pre);
	if (x.patch < 0)
		x.patch = 0;
	if (y.patch < 0)
		y.patch = 0;
	CMP(patch);
#undef CMP
	return 0;
}

/* ---- go.mod's toolchain line ---------------------------------------------- */

/* The toolchain line's value in text, or NULL; *line its number. */
static char *toolchain_line(const char *text, unsigned *line)
{
	unsigned n = 0;

	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		const char *q = p, *end = p + len, *c;

		n++;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		/* a comment ends the line */
		for (c = q; c + 1 < end; c++)
			if (c[0] == '/' && c[1] == '/') {
				end = c;
				break;
			}
		if (end - q > 9 && !strncmp(q, "toolchain", 9) &&
		    (q[9] == ' ' || q[9] == '\t')) {
			q += 9;
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			len = 0;
			while (q + len < end && !isspace((unsigned char)q[len]))
				len++;
			/* the module file syntax allows a quoted string */
			if (len >= 2 && q[0] == '"' && q[len - 1] == '"') {
				q++;
				len -= 2;
			}
			if (len) {
				*line = n;
				return strndup(q, len);
			}
		}
		p += len + (p[len] == '\n');
	}
	return NULL;
}

xb_code xb_gomod_toolchain(const char *dir, char **gomod, unsigned *line,
			   char **toolchain, xb_err *err)
{
	char *cur = dir ? realpath(dir, NULL) : getcwd(NULL, 0);
	xb_buf path = XB_BUF_INIT, text;
	struct stat st;
	unsigned up = 0;
	xb_code rc = XB_OK;

	*gomod = *toolchain = NULL;
	*line = 0;
	if (!cur)
		return xb_fail(err, XB_ERR_IO, "cannot find the folder '%s':",
			       dir ? dir : ".");
	/* as go does: this folder, then each parent up to the root */
	for (;;) {
		char *slash;

		xb_buf_reset(&path);
		if (xb_buf_addf(&path, "%s/go.mod", strcmp(cur, "/") ? cur : "")) {
			xb_buf_release(&path);
			free(cur);
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		}
		if (stat(xb_buf_str(&path), &st) == 0 && S_ISREG(st.st_mode))
			break;
		slash = strrchr(cur, '/');
		if (!slash || !strcmp(cur, "/")) {
			xb_buf_release(&path);
			free(cur);
			return XB_OK;
		}
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
		up++;
	}
	free(cur);
	xb_buf_init(&text, GOMOD_MAX);
	rc = xb_buf_read_file(&text, xb_buf_str(&path), err);
	if (!rc) {
		*toolchain = toolchain_line(xb_buf_str(&text), line);
		/* named from dir, as a person there would: "../go.mod" */
		xb_buf_reset(&path);
		if (dir)
			xb_buf_addf(&path, "%s/", dir);
		while (up--)
			xb_buf_adds(&path, "../");
		xb_buf_adds(&path, "go.mod");
		*gomod = xb_buf_take(&path);
		if (!*gomod)
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	xb_buf_release(&text);
	xb_buf_release(&path);
	return rc;
}

/* ---- the release a run uses ----------------------------------------------- */

void xb_gochoice_init(xb_gochoice *c)
{
	memset(c, 0, sizeof(*c));
	c->source = "local";
}

void xb_gochoice_release(xb_gochoice *c)
{
	free(c->version);
	free(c->origin);
	free(c->why);
	xb_gochoice_init(c);
}

static xb_code set_choice(xb_gochoice *c, const char *version,
			  const char *source, const char *origin, xb_buf *why)
{
	c->version = strdup(version);
	c->source = source;
	c->origin = origin ? strdup(origin) : NULL;
	c->why = xb_buf_take(why);
	if (!c->version || (origin && !c->origin) || !c->why)
		return XB_ERR_NOMEM;
	return XB_OK;
}

xb_code xb_gover_choose(const xb_profile *p, const char *dir,
			const char *local, xb_gochoice *c, xb_err *err)
{
	const xb_settings *from = NULL;
	char *gomod = NULL, *tc = NULL, rel[32];
	xb_buf why = XB_BUF_INIT, where = XB_BUF_INIT;
	unsigned line = 0;
	xb_code rc;

	xb_gochoice_release(c);
	/* the command line, else the defaults, else the first target that
	 * asks: every target's resolved settings hold the first two */
	if (p->cli.go_version)
		from = &p->cli;
	else if (p->defaults.go_version)
		from = &p->defaults;
	for (size_t i = 0; !from && i < p->ntargets; i++)
		if (p->targets[i].s.go_version)
			from = &p->targets[i].s;
	if (from) {
		xb_pos pos = from->pos[XB_S_GO_VERSION];
		bool cli = pos.line == 0 && pos.file &&
			!strcmp(pos.file, "<command line>");

		if (cli) {
			xb_buf_addf(&why, "--set go_version=%s", from->go_version);
		} else {
			xb_buf_addf(&where, "%s", pos.file ? pos.file : "<profile>");
			if (pos.line)
				xb_buf_addf(&where, ":%u:%u", pos.line, pos.col);
			xb_buf_addf(&why, "go_version: %s at %s", from->go_version,
				    xb_buf_str(&where));
		}
		rc = set_choice(c, from->go_version, cli ? "--set" : "profile",
				cli ? NULL : xb_buf_str(&where), &why);
		goto out;
	}
	if ((rc = xb_gomod_toolchain(dir, &gomod, &line, &tc, err)))
		goto fail;
	if (tc)
		xb_buf_addf(&where, "%s:%u", gomod, line);
	if (tc && !strncmp(tc, "go", 2) && xb_gover_release(tc, rel, sizeof(rel)) &&
	    xb_gover_cmp(rel, local) > 0) {
		/* go itself would switch: GOTOOLCHAIN=auto runs a newer
		 * release that the toolchain line names */
		xb_buf_addf(&why, "toolchain %s in %s, newer than the local %s",
			    rel, xb_buf_str(&where), local);
		rc = set_choice(c, rel, "go.mod", xb_buf_str(&where), &why);
		goto out;
	}
	xb_buf_adds(&why, "the local go");
	if (tc && (strncmp(tc, "go", 2) || !xb_gover_release(tc, rel, sizeof(rel))))
		xb_buf_addf(&why, " (toolchain %s in %s is not a Go release: "
			    "ignored)", tc, xb_buf_str(&where));
	else if (tc)
		xb_buf_addf(&why, " (toolchain %s in %s is not newer)", tc,
			    xb_buf_str(&where));
	rc = set_choice(c, local, "local", NULL, &why);
out:
	if (!rc)
		rc = xb_buf_failed(&where); /* the origin has a piece missing */
	if (rc)
		xb_fail(err, rc, "out of memory");
fail:
	free(gomod);
	free(tc);
	xb_buf_release(&why);
	xb_buf_release(&where);
	return rc;
}

/* ---- the releases this machine has ---------------------------------------- */

/* Where go keeps a release it fetched for GOTOOLCHAIN, in its module
 * cache: golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64 */
#define TOOLCHAIN_DIR "golang.org"
#define TOOLCHAIN_MOD "toolchain@v0.0.1-"

char *xb_gover_cached_go(const char *modcache, const char *release,
			 const char *host)
{
	xb_buf go = XB_BUF_INIT;

	xb_buf_addf(&go, "%s/%s/%s%s.%s/bin/go", modcache, TOOLCHAIN_DIR,
		    TOOLCHAIN_MOD, release, host);
	if (!xb_buf_failed(&go) && access(xb_buf_str(&go), X_OK) == 0)
		return xb_buf_take(&go);
	xb_buf_release(&go);
	return NULL;
}

void xb_goinst_free(xb_goinst *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].version);
		free(v[i].path);
	}
	free(v);
}

struct found {
	xb_goinst *v;
	size_t n;
	xb_strv real; /* realpath of each, for duplicates */
};

static xb_code add(struct found *f, const char *version, const char *path,
		   bool cached, bool on_path)
{
	char *real = realpath(path, NULL);
	xb_goinst *a;
	xb_code rc = XB_OK;

	if (!real)
		return XB_OK; /* gone meanwhile */
	if (xb_strv_contains(&f->real, real))
		goto out;
	a = realloc(f->v, (f->n + 1) * sizeof(*a));
	if (!a || xb_strv_push(&f->real, real)) {
		if (a)
			f->v = a;
		rc = XB_ERR_NOMEM;
		goto out;
	}
	f->v = a;
	a[f->n].version = strdup(version);
	a[f->n].path = strdup(path);
	a[f->n].cached = cached;
	a[f->n].on_path = on_path;
	if (!a[f->n].version || !a[f->n].path) {
		free(a[f->n].version);
		free(a[f->n].path);
		rc = XB_ERR_NOMEM;
		goto out;
	}
	f->n++;
out:
	free(real);
	return rc;
}

/* Ask go its release (and, when *modcache is still NULL, where its module
 * cache is); false when it cannot say. */
static bool ask(const char *go, const xb_strv *env, char **version,
		char **modcache)
{
	const char *argv[] = { go, "env", "GOVERSION", "GOMODCACHE", NULL };
	xb_spawn_opts o = XB_SPAWN_OPTS_INIT;
	xb_buf out;
	int code = -1;
	const char *p;
	size_t n;

	xb_buf_init(&out, 1u << 16);
	o.envp = xb_strv_argv(env);
	if (xb_run(argv, &o, &out, NULL, &code, NULL) || code != 0) {
		xb_buf_release(&out);
		return false;
	}
	p = xb_buf_str(&out);
	n = strcspn(p, "\n");
	*version = strncmp(p, "go", 2) && !strstr(p, "go1") ? NULL :
		strndup(p, n);
	p += n + (p[n] == '\n');
	if (*version && !*modcache && *p && *p != '\n')
		*modcache = strndup(p, strcspn(p, "\n"));
	xb_buf_release(&out);
	return *version != NULL;
}

/* Add each of cands that is a go command able to say its release. */
static xb_code probe(struct found *f, const xb_strv *env, const xb_strv *cands,
		     const char *onpath, char **modcache)
{
	xb_code rc = XB_OK;

	for (size_t i = 0; !rc && i < cands->n; i++) {
		char *version = NULL;
		if (access(cands->v[i], X_OK) == 0 &&
		    ask(cands->v[i], env, &version, modcache))
			rc = add(f, version, cands->v[i], false,
				 onpath && !strcmp(onpath, cands->v[i]));
		free(version);
	}
	return rc;
}

static int by_version_desc(const void *a, const void *b)
{
	return xb_gover_cmp(((const xb_goinst *)b)->version,
			    ((const xb_goinst *)a)->version);
}

xb_code xb_go_installed(const char *const *envp, xb_goinst **out, size_t *n,
			xb_err *err)
{
	struct found f = { NULL, 0, XB_STRV_INIT };
	xb_strv env = XB_STRV_INIT, cands = XB_STRV_INIT;
	const char *path = NULL;
	char *onpath, *modcache = NULL;
	char host[64], suffix[80];
	size_t nlocal, nfixed;
	glob_t gl;
	xb_code rc = XB_OK;

	*out = NULL;
	*n = 0;
	if (!envp)
		envp = (const char *const *)environ;
	/* each go says its own release: no GOROOT from outside, no switch */
	if (xb_strv_pushv(&env, envp) ||
	    xb_strv_setenv(&env, "GOTOOLCHAIN", "local") ||
	    xb_strv_setenv(&env, "GOFLAGS", "")) {
		rc = XB_ERR_NOMEM;
		goto out;
	}
	xb_strv_unsetenv(&env, "GOROOT");
	path = xb_strv_getenv(&env, "PATH");
	onpath = xb_which("go", path ? path : "");
	if (onpath && xb_strv_push(&cands, onpath))
		rc = XB_ERR_NOMEM;
	if (!rc && xb_strv_push(&cands, "/usr/local/go/bin/go"))
		rc = XB_ERR_NOMEM;
	if (!rc)
		rc = probe(&f, &env, &cands, onpath, &modcache);
	nfixed = f.n;
	xb_strv_release(&cands);
	if (!rc && glob("/usr/lib/go-1.*/bin/go", 0, NULL, &gl) == 0) {
		for (size_t i = 0; !rc && i < gl.gl_pathc; i++)
			if (xb_strv_push(&cands, gl.gl_pathv[i]))
				rc = XB_ERR_NOMEM;
		globfree(&gl);
	}
	if (!rc)
		rc = probe(&f, &env, &cands, onpath, &modcache);
	free(onpath);
	nlocal = f.n;
	/* Debian's folders (glob's order puts go-1.9 after go-1.22): the
	 * newest first, after go on PATH and /usr/local/go */
	if (nlocal > nfixed + 1)
		qsort(f.v + nfixed, nlocal - nfixed, sizeof(*f.v),
		      by_version_desc);

	/* go's downloads for this host, named for their release */
	snprintf(host, sizeof(host), "%s", xb_host_target());
	for (char *s = host; *s; s++)
		if (*s == '/')
			*s = '-';
	snprintf(suffix, sizeof(suffix), ".%s", host);
	if (!rc && modcache) {
		xb_buf dir = XB_BUF_INIT;
		DIR *d;
		struct dirent *de;

		if (xb_buf_addf(&dir, "%s/%s", modcache, TOOLCHAIN_DIR))
			rc = XB_ERR_NOMEM;
		d = rc ? NULL : opendir(xb_buf_str(&dir));
		while (!rc && d && (de = readdir(d))) {
			size_t len = strlen(de->d_name), sl = strlen(suffix);
			size_t pl = strlen(TOOLCHAIN_MOD);
			char *v, *go;

			if (strncmp(de->d_name, TOOLCHAIN_MOD, pl) ||
			    len <= pl + sl || strcmp(de->d_name + len - sl, suffix))
				continue;
			if (!(v = strndup(de->d_name + pl, len - pl - sl))) {
				rc = XB_ERR_NOMEM;
				break;
			}
			if ((go = xb_gover_cached_go(modcache, v, host)))
				rc = add(&f, v, go, true, false);
			free(go);
			free(v);
		}
		if (d)
			closedir(d);
		xb_buf_release(&dir);
		if (f.n > nlocal + 1)
			qsort(f.v + nlocal, f.n - nlocal, sizeof(*f.v),
			      by_version_desc);
	}
out:
	free(modcache);
	xb_strv_release(&env);
	xb_strv_release(&cands);
	xb_strv_release(&f.real);
	if (rc) {
		xb_goinst_free(f.v, f.n);
		return xb_fail(err, rc, "out of memory");
	}
	*out = f.v;
	*n = f.n;
	return XB_OK;
}
