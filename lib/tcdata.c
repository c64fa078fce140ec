/* tcdata.c: toolchains/NAME.yaml, which compilers serve which Go target and
 * which archives xbuild may fetch.  Read into the bounded tree of
 * lib/yamltree.c first, then checked key by key so that every error is
 * reported with its line and column. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "yamltree.h"
#include "tcdata.h"

/* The caps on one data file.  Data has no use for aliases, and they are
 * how YAML bombs are made. */
static const xb_ylimits limits = {
	.depth = 16,
	.nodes = 50000,
	.keys = SIZE_MAX,   /* bounded by .nodes */
	.items = SIZE_MAX,
	.aliases = false,
	.what = "toolchain data",
};

#define MAX_ERRORS 8

struct parser {
	const char *name;
	xb_buf errs;
	int nerrs;
	xb_code code;
};

/* Count one more error; false when it is past the ones listed, else its
 * "name:line:col: " is written and the message follows. */
static bool err_start(struct parser *p, unsigned line, unsigned col)
{
	p->code = XB_ERR_FORMAT;
	if (++p->nerrs > MAX_ERRORS)
		return false;
	if (p->errs.len)
		xb_buf_addc(&p->errs, '\n');
	if (line)
		xb_buf_addf(&p->errs, "%s:%u:%u: ", p->name, line, col);
	else
		xb_buf_addf(&p->errs, "%s: ", p->name);
	return true;
}

static void perr(struct parser *p, const xb_ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parser *p, const xb_ynode *n, const char *fmt, ...)
{
	va_list ap;

	if (!err_start(p, n ? n->line : 0, n ? n->col : 0))
		return;
	va_start(ap, fmt);
	xb_buf_vaddf(&p->errs, fmt, ap);
	va_end(ap);
}

/* The tree's problems, among the others (pos.file is p->name). */
static void tree_problem(void *ctx, xb_pos pos, const char *msg)
{
	if (err_start(ctx, pos.line, pos.col))
		xb_buf_adds(&((struct parser *)ctx)->errs, msg);
}

static const xb_ynode *map_get(const xb_ynode *m, const char *key)
{
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (!strcmp(m->kid[i]->val, key))
			return m->kid[i + 1];
	return NULL;
}

/* Every key of m must be in allowed (NULL-terminated); the tree has
 * made sure that keys are scalars and distinct. */
static void check_keys(struct parser *p, const xb_ynode *m,
		       const char *what, const char *const *allowed)
{
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const xb_ynode *k = m->kid[i];
		const char *const *a;

		for (a = allowed; *a && strcmp(*a, k->val); a++)
			;
		if (!*a) {
			xb_buf list = XB_BUF_INIT;
			for (a = allowed; *a; a++)
				xb_buf_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
			perr(p, k, "unknown key '%s' in %s (expected %s)", k->val,
			     what, xb_buf_str(&list));
			xb_buf_release(&list);
		}
	}
}

static char *get_str(struct parser *p, const xb_ynode *m, const char *key,
		     bool required, const char *what)
{
	const xb_ynode *v = map_get(m, key);
	char *s;

	if (!v) {
		if (required)
			perr(p, m, "%s needs '%s'", what, key);
		return NULL;
	}
	if (v->type != XB_Y_SCALAR || !v->val[0]) {
		perr(p, v, "'%s' must be a non-empty string", key);
		return NULL;
	}
	s = strdup(v->val);
	if (!s)
		p->code = XB_ERR_NOMEM;
	return s;
}

/* A string or a list of strings. */
static void get_list(struct parser *p, const xb_ynode *m, const char *key,
		     xb_strv *out)
{
	const xb_ynode *v = map_get(m, key);

	if (!v)
		return;
	if (v->type == XB_Y_SCALAR) {
		if (xb_strv_push(out, v->val))
			p->code = XB_ERR_NOMEM;
		return;
	}
	if (v->type != XB_Y_SEQ) {
		perr(p, v, "'%s' must be a string or a list of strings", key);
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (v->kid[i]->type != XB_Y_SCALAR || !v->kid[i]->val[0]) {
			perr(p, v->kid[i], "'%s' items must be strings", key);
			continue;
		}
		if (xb_strv_push(out, v->kid[i]->val))
			p->code = XB_ERR_NOMEM;
	}
}

static bool get_uint(struct parser *p, const xb_ynode *m, const char *key,
		     uint64_t max, uint64_t *out)
{
	const xb_ynode *v = map_get(m, key);
	char *end;
	unsigned long long x;

	if (!v)
		return false;
	if (v->type != XB_Y_SCALAR || !v->val[0] || v->val[0] == '-') {
		perr(p, v, "'%s' must be a number", key);
		return false;
	}
	errno = 0;
	x = strtoull(v->val, &end, 0);
	if (errno || *end || x > max) {
		perr(p, v, "'%s' must be a number up to %llu", key,
		     (unsigned long long)max);
		return false;
	}
	*out = x;
	return true;
}

/* goos/goarch: lowercase letters and digits only; they end up in paths. */
static bool word_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* Names that end up in cache paths and wrapper scripts: a safe alphabet. */
static bool name_ok(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		      *s == '_' || *s == '+'))
			return false;
	return true;
}

/* A relative path with no '..' component and no empty one. */
static bool relpath_ok(const char *s)
{
	const char *c = s;

	if (!*s || *s == '/')
		return false;
	while (*c) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 2 && c[0] == '.' && c[1] == '.') ||
		    (n == 1 && c[0] == '.'))
			return false;
		c += n;
		if (*c == '/')
			c++;
	}
	return true;
}

static bool split_target(const char *t, char **goos, char **goarch)
{
	const char *slash = strchr(t, '/');

	if (!slash || strchr(slash + 1, '/'))
		return false;
	*goos = strndup(t, (size_t)(slash - t));
	*goarch = strdup(slash + 1);
	if (!*goos || !*goarch || !word_ok(*goos) || !word_ok(*goarch)) {
		free(*goos);
		free(*goarch);
		*goos = *goarch = NULL;
		return false;
	}
	return true;
}

static const char *const libc_names[] = { "glibc", "musl", "mingw", "macos",
					  NULL };

static void libc_release(xb_tc_libc *l)
{
	free(l->libc);
	xb_strv_release(&l->triplets);
	xb_strv_release(&l->wrappers);
	free(l->zig);
	free(l->clang);
}

static void target_release(xb_tc_target *t)
{
	free(t->goos);
	free(t->goarch);
	free(t->variant);
	free(t->format);
	for (size_t i = 0; i < t->nlibcs; i++)
		libc_release(&t->libcs[i]);
	free(t->libcs);
}

static void archive_release(xb_tc_archive *a)
{
	free(a->id);
	free(a->kind);
	free(a->version);
	free(a->host);
	free(a->strip);
	free(a->bin);
	free(a->target);
	free(a->libc);
	free(a->triplet);
	xb_strv_release(&a->urls);
}

void xb_tc_data_init(xb_tc_data *d)
{
	memset(d, 0, sizeof(*d));
}

void xb_tc_data_release(xb_tc_data *d)
{
	for (size_t i = 0; i < d->ntargets; i++)
		target_release(&d->targets[i]);
	for (size_t i = 0; i < d->narchives; i++)
		archive_release(&d->archives[i]);
	free(d->targets);
	free(d->archives);
	free(d->dir);
	xb_tc_data_init(d);
}

static void names_check(struct parser *p, const xb_ynode *at,
			const xb_strv *v, const char *key)
{
	for (size_t i = 0; i < v->n; i++)
		if (!name_ok(v->v[i]))
			perr(p, at, "'%s' has an unsafe name '%s' (letters, digits, "
			     "'.', '-', '_', '+')", key, v->v[i]);
}

static void parse_target(struct parser *p, const xb_ynode *m,
			 xb_tc_target *t)
{
	static const char *const keys[] = { "target", "variant", "format",
		"machine", "bits", "glibc", "musl", "mingw", "macos", NULL };
	static const char *const lkeys[] = { "triplets", "wrappers", "zig",
					     "clang", NULL };
	char *target;
	uint64_t u;

	check_keys(p, m, "a target", keys);
	target = get_str(p, m, "target", true, "a target");
	if (target && !split_target(target, &t->goos, &t->goarch))
		perr(p, map_get(m, "target"),
		     "invalid target '%s' (expected GOOS/GOARCH)", target);
	free(target);
	t->variant = get_str(p, m, "variant", false, "a target");
	t->format = get_str(p, m, "format", false, "a target");
	if (!t->format && !p->code)
		t->format = strdup("elf");
	if (t->format && strcmp(t->format, "elf") && strcmp(t->format, "pe") &&
	    strcmp(t->format, "macho"))
		perr(p, map_get(m, "format"),
		     "invalid format '%s' (expected elf, pe, macho)", t->format);
	if (get_uint(p, m, "machine", 0xffffffffu, &u))
		t->machine = (unsigned)u;
	else if (!map_get(m, "machine"))
		perr(p, m, "a target needs 'machine'");
	if (get_uint(p, m, "bits", 64, &u) && (u == 32 || u == 64))
		t->bits = (int)u;
	else
		perr(p, map_get(m, "bits") ? map_get(m, "bits") : m,
		     "a target needs 'bits' (32 or 64)");
	for (const char *const *ln = libc_names; *ln; ln++) {
		const xb_ynode *l = map_get(m, *ln);
		xb_tc_libc *grown, *lc;

		if (!l)
			continue;
		if (l->type != XB_Y_MAP) {
			perr(p, l, "'%s' must be a mapping", *ln);
			continue;
		}
		grown = realloc(t->libcs, (t->nlibcs + 1) * sizeof(*grown));
		if (!grown) {
			p->code = XB_ERR_NOMEM;
			return;
		}
		t->libcs = grown;
		lc = &t->libcs[t->nlibcs++];
		memset(lc, 0, sizeof(*lc));
		lc->libc = strdup(*ln);
		check_keys(p, l, *ln, lkeys);
		get_list(p, l, "triplets", &lc->triplets);
		get_list(p, l, "wrappers", &lc->wrappers);
		names_check(p, l, &lc->triplets, "triplets");
		names_check(p, l, &lc->wrappers, "wrappers");
		lc->zig = get_str(p, l, "zig", false, *ln);
		lc->clang = get_str(p, l, "clang", false, *ln);
		if (lc->zig && !name_ok(lc->zig))
			perr(p, map_get(l, "zig"), "unsafe zig target '%s'", lc->zig);
		if (lc->clang && !name_ok(lc->clang))
			perr(p, map_get(l, "clang"), "unsafe clang target '%s'",
			     lc->clang);
	}
	if (!t->nlibcs)
		perr(p, m, "a target needs at least one of glibc, musl, mingw, macos");
}

static bool url_ok(const char *u)
{
	if (strncmp(u, "https://", 8) && strncmp(u, "http://", 7))
		return false;
	for (; *u; u++)
		if ((unsigned char)*u <= ' ' || (unsigned char)*u >= 0x7f)
			return false;
	return true;
}

static void parse_archive(struct parser *p, const xb_ynode *m,
			  xb_tc_archive *a)
{
	static const char *const keys[] = { "id", "kind", "version", "host",
		"sha256", "size", "unpacked_size", "strip", "bin", "target", "libc",
		"triplet", "urls", NULL };
	char *sha, *host, *g1 = NULL, *g2 = NULL;
	unsigned char raw[32];

	check_keys(p, m, "an archive", keys);
	a->id = get_str(p, m, "id", true, "an archive");
	if (a->id && !name_ok(a->id))
		perr(p, map_get(m, "id"), "unsafe archive id '%s'", a->id);
	a->kind = get_str(p, m, "kind", true, "an archive");
	if (a->kind && strcmp(a->kind, "zig") && strcmp(a->kind, "gcc") &&
	    strcmp(a->kind, "go"))
		perr(p, map_get(m, "kind"), "invalid kind '%s' (expected zig, gcc, go)",
		     a->kind);
	a->version = get_str(p, m, "version", false, "an archive");
	host = get_str(p, m, "host", true, "an archive");
	if (host && !split_target(host, &g1, &g2))
		perr(p, map_get(m, "host"),
		     "invalid host '%s' (expected GOOS/GOARCH)", host);
	free(g1);
	free(g2);
	a->host = host;
	sha = get_str(p, m, "sha256", true, "an archive");
	if (sha) {
		if (xb_unhex32(sha, raw))
			perr(p, map_get(m, "sha256"),
			     "invalid sha256 '%s' (expected 64 hex digits)", sha);
		else
			xb_hex(raw, 32, a->sha256);
	}
	free(sha);
	get_uint(p, m, "size", UINT64_MAX / 2, &a->size);
	get_uint(p, m, "unpacked_size", XB_TC_MAX_UNPACKED, &a->unpacked);
	a->strip = get_str(p, m, "strip", false, "an archive");
	if (a->strip && !relpath_ok(a->strip))
		perr(p, map_get(m, "strip"), "invalid strip '%s' (a relative path)",
		     a->strip);
	a->bin = get_str(p, m, "bin", true, "an archive");
	if (a->bin && !relpath_ok(a->bin))
		perr(p, map_get(m, "bin"), "invalid bin '%s' (a relative path)",
		     a->bin);
	a->target = get_str(p, m, "target", false, "an archive");
	a->libc = get_str(p, m, "libc", false, "an archive");
	a->triplet = get_str(p, m, "triplet", false, "an archive");
	if (a->triplet && !name_ok(a->triplet))
		perr(p, map_get(m, "triplet"), "unsafe triplet '%s'", a->triplet);
	if (a->kind && !strcmp(a->kind, "gcc") &&
	    (!a->target || !a->libc || !a->triplet))
		perr(p, m, "a gcc archive needs 'target', 'libc' and 'triplet'");
	get_list(p, m, "urls", &a->urls);
	if (!a->urls.n)
		perr(p, m, "an archive needs 'urls'");
	for (size_t i = 0; i < a->urls.n; i++)
		if (!url_ok(a->urls.v[i]))
			perr(p, map_get(m, "urls"),
			     "invalid URL '%s' (http or https, no spaces)", a->urls.v[i]);
}

xb_code xb_tc_data_parse(xb_tc_data *d, const char *name, const char *text,
			 size_t len, xb_err *err)
{
	static const char *const keys[] = { "version", "targets", "archives",
					    NULL };
	struct parser p = { name ? name : "toolchains", XB_BUF_INIT, 0, XB_OK };
	const xb_ynode *v, *ts, *as, *root;
	xb_ytree t;
	xb_code rc;

	if (len > XB_TC_DATA_MAX)
		return xb_fail(err, XB_ERR_TOO_BIG, "%s: larger than %u bytes",
			       p.name, XB_TC_DATA_MAX);
	xb_buf_init(&p.errs, 4096);
	rc = xb_ytree_parse(&t, p.name, text, len, &limits, tree_problem, &p);
	if (rc == XB_ERR_NOMEM)
		p.code = rc;
	root = rc == XB_OK ? t.root : NULL;
	if (!root)
		goto out; /* an empty file, or the tree said why not */
	if (root->type != XB_Y_MAP) {
		perr(&p, root, "expected a mapping with targets and archives");
		goto out;
	}
	check_keys(&p, root, "the top level", keys);
	v = map_get(root, "version");
	if (!v || v->type != XB_Y_SCALAR || strcmp(v->val, "1"))
		perr(&p, v ? v : root, "expected 'version: 1'");
	ts = map_get(root, "targets");
	if (ts && ts->type != XB_Y_SEQ)
		perr(&p, ts, "'targets' must be a list");
	else if (ts) {
		for (size_t i = 0; i < ts->n && p.code != XB_ERR_NOMEM; i++) {
			xb_tc_target *g;
			if (ts->kid[i]->type != XB_Y_MAP) {
				perr(&p, ts->kid[i], "a target must be a mapping");
				continue;
			}
			g = realloc(d->targets, (d->ntargets + 1) * sizeof(*g));
			if (!g) {
				p.code = XB_ERR_NOMEM;
				break;
			}
			d->targets = g;
			memset(&g[d->ntargets], 0, sizeof(*g));
			parse_target(&p, ts->kid[i], &g[d->ntargets++]);
		}
	}
	as = map_get(root, "archives");
	if (as && as->type != XB_Y_SEQ)
		perr(&p, as, "'archives' must be a list");
	else if (as) {
		for (size_t i = 0; i < as->n && p.code != XB_ERR_NOMEM; i++) {
			xb_tc_archive *g;
			if (as->kid[i]->type != XB_Y_MAP) {
				perr(&p, as->kid[i], "an archive must be a mapping");
				continue;
			}
			g = realloc(d->archives, (d->narchives + 1) * sizeof(*g));
			if (!g) {
				p.code = XB_ERR_NOMEM;
				break;
			}
			d->archives = g;
			memset(&g[d->narchives], 0, sizeof(*g));
			xb_strv_init(&g[d->narchives].urls);
			parse_archive(&p, as->kid[i], &g[d->narchives++]);
		}
	}
out:
	xb_ytree_release(&t);
	rc = p.code;
	if (rc == XB_ERR_NOMEM)
		xb_fail(err, rc, "%s: out of memory", p.name);
	else if (rc) {
		if (p.nerrs > MAX_ERRORS)
			xb_buf_addf(&p.errs, "\n%s: %d more errors", p.name,
				    p.nerrs - MAX_ERRORS);
		xb_fail(err, rc, "%s", xb_buf_str(&p.errs));
	}
	xb_buf_release(&p.errs);
	return rc;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

xb_code xb_tc_data_load(xb_tc_data *d, const char *dir, xb_err *err)
{
	xb_buf path = XB_BUF_INIT, text;
	xb_strv names = XB_STRV_INIT;
	struct dirent *de;
	xb_code rc = XB_OK;
	DIR *dh;

	if (!dir)
		dir = xb_datadir();
	if (xb_buf_addf(&path, "%s/toolchains", dir)) {
		xb_buf_release(&path);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	dh = opendir(xb_buf_str(&path));
	if (!dh) {
		rc = xb_fail(err, XB_ERR_NOTFOUND,
			     "cannot open toolchain data '%s' (set XBUILD_DATADIR):",
			     xb_buf_str(&path));
		xb_buf_release(&path);
		return rc;
	}
	while ((de = readdir(dh))) {
		size_t n = strlen(de->d_name);
		if (de->d_name[0] != '.' && n > 5 &&
		    !strcmp(de->d_name + n - 5, ".yaml") &&
		    xb_strv_push(&names, de->d_name)) {
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
			break;
		}
	}
	closedir(dh);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmpstr);
	xb_buf_init(&text, XB_TC_DATA_MAX);
	for (size_t i = 0; !rc && i < names.n; i++) {
		xb_buf file = XB_BUF_INIT;
		xb_buf_reset(&text);
		if (xb_buf_addf(&file, "%s/%s", xb_buf_str(&path), names.v[i]))
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		else
			rc = xb_buf_read_file(&text, xb_buf_str(&file), err);
		if (rc == XB_ERR_TOO_BIG)
			rc = xb_fail(err, rc, "'%s' is larger than %u bytes",
				     xb_buf_str(&file), XB_TC_DATA_MAX);
		if (!rc)
			rc = xb_tc_data_parse(d, xb_buf_str(&file),
					      xb_buf_str(&text), text.len, err);
		xb_buf_release(&file);
	}
	if (!rc && !d->dir)
		d->dir = strdup(dir);
	xb_buf_release(&text);
	xb_buf_release(&path);
	xb_strv_release(&names);
	return rc;
}

static bool has_toolchains(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;

	return (size_t)snprintf(p, sizeof(p), "%s/toolchains", dir) < sizeof(p) &&
	       stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *xb_datadir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("XBUILD_DATADIR");

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	/* Run from the source tree: the data sits next to the binary. */
	if (*xb_self_dir() && has_toolchains(xb_self_dir())) {
		snprintf(dir, sizeof(dir), "%s", xb_self_dir());
		return dir;
	}
#ifdef XB_DATADIR
	snprintf(dir, sizeof(dir), "%s", XB_DATADIR);
#else
	snprintf(dir, sizeof(dir), "/usr/local/share/xbuild");
#endif
	return dir;
}

const xb_tc_target *xb_tc_target_find(const xb_tc_data *d, const char *goos,
				      const char *goarch, const char *variant)
{
	const xb_tc_target *first = NULL;

	for (size_t i = 0; i < d->ntargets; i++) {
		const xb_tc_target *t = &d->targets[i];
		if (!t->goos || !t->goarch || strcmp(t->goos, goos) ||
		    strcmp(t->goarch, goarch))
			continue;
		if (!variant || !*variant)
			return t;
		if (t->variant && !strcmp(t->variant, variant))
			return t;
		if (!t->variant && !first)
			first = t;
	}
	return first;
}

const char *xb_host_target(void)
{
	static char host[64];
	struct utsname u;
	const char *arch = "unknown";

	if (host[0])
		return host;
	if (uname(&u) == 0) {
		if (!strcmp(u.machine, "x86_64"))
			arch = "amd64";
		else if (!strcmp(u.machine, "aarch64") || !strcmp(u.machine, "arm64"))
			arch = "arm64";
		else if (!strncmp(u.machine, "armv", 4))
			arch = "arm";
		else if (u.machine[0] == 'i' && strstr(u.machine, "86"))
			arch = "386";
		else if (!strcmp(u.machine, "riscv64"))
			arch = "riscv64";
		else if (!strcmp(u.machine, "ppc64le"))
			arch = "ppc64le";
		else if (!strcmp(u.machine, "s390x"))
			arch = "s390x";
	}
#if defined(__APPLE__)
	snprintf(host, sizeof(host), "darwin/%s", arch);
#else
	snprintf(host, sizeof(host), "linux/%s", arch);
#endif
	return host;
}

const xb_tc_archive *xb_tc_archive_find(const xb_tc_data *d, const char *id,
					const char *host)
{
	if (!host)
		host = xb_host_target();
	for (size_t i = 0; i < d->narchives; i++) {
		const xb_tc_archive *a = &d->archives[i];
		if (a->id && a->host && !strcmp(a->id, id) && !strcmp(a->host, host))
			return a;
	}
	return NULL;
}

xb_code xb_tc_pin(const xb_tc_data *d, const char *id, const char *sha256,
		  const xb_tc_archive **out, xb_err *err)
{
	const xb_tc_archive *a = xb_tc_archive_find(d, id, NULL);
	unsigned char raw[32];
	char hex[65];

	if (!a) {
		for (size_t i = 0; i < d->narchives; i++)
			if (d->archives[i].id && !strcmp(d->archives[i].id, id))
				return xb_fail(err, XB_ERR_NOTFOUND,
					       "toolchain '%s' has no archive for "
					       "host %s", id, xb_host_target());
		return xb_fail(err, XB_ERR_NOTFOUND,
			       "unknown toolchain '%s' (see xbuild toolchain list)",
			       id);
	}
	if (sha256) {
		if (xb_unhex32(sha256, raw))
			return xb_fail(err, XB_ERR_USAGE,
				       "invalid sha256 '%s' for toolchain '%s' "
				       "(expected 64 hex digits)", sha256, id);
		xb_hex(raw, 32, hex);
		if (strcmp(hex, a->sha256))
			return xb_fail(err, XB_ERR_HASH,
				       "toolchain '%s' is pinned to sha256 %s but "
				       "the data says %s (update the pin or the data)",
				       id, hex, a->sha256);
	}
	if (out)
		*out = a;
	return XB_OK;
}
