/* profile-schema.c: the settings a profile may set, their kinds and
 * allowed values, and the checks that the loader and the command line
 * (--set) share, with a "did you mean" for near misses. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"
#include "expect.h"
#include "gover.h"

/* ---- small helpers ---------------------------------------------------- */

/* "a, b or c" into b */
void xb_list_words(xb_buf *b, const char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	for (size_t i = 0; i < n; i++)
		xb_buf_addf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
			    list[i]);
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* The xb_closest of list to v, or NULL when nothing is close. */
const char *xb_closest(const char *v, const char *const *list)
{
	const char *best = NULL;
	size_t bd = 99, lim = strlen(v) <= 4 ? 1 : strlen(v) <= 8 ? 2 : 3;

	for (; *list; list++) {
		size_t dd = edit_distance(v, *list);
		if (dd < bd) {
			bd = dd;
			best = *list;
		}
	}
	return bd <= lim ? best : NULL;
}

/* ---- the schema ---------------------------------------------------------- */

static const char *const linkages[] = { "auto", "static", "static-pie",
					"dynamic", NULL };
static const char *const cgos[] = { "auto", "on", "off", NULL };
static const char *const linkers[] = { "auto", "internal", "external", NULL };
static const char *const libcs[] = { "auto", "glibc", "musl", NULL };
static const char *const buildmodes[] = { "default", "exe", "pie",
					  "c-archive", "c-shared", "plugin",
					  NULL };
static const char *const nss_values[] = { "warn", "error", NULL };
static const char *const archive_formats[] = { "tar.gz", "tar.xz",
					       "tar.zst", "zip", NULL };
static const char *const sbom_formats[] = { "cyclonedx", "spdx", "none",
					    NULL };
static const char *const bools[] = { "true", "false", NULL };

#define OFF(f) offsetof(xb_settings, f)
const struct sdef xb_sdefs[XB_S_COUNT] = {
	[XB_S_LINKAGE] = { "linkage", K_ENUM, OFF(linkage), linkages, 0, false },
	[XB_S_CGO] = { "cgo", K_ENUM, OFF(cgo), cgos, 0, false },
	[XB_S_LINKER] = { "linker", K_ENUM, OFF(linker), linkers, 0, false },
	[XB_S_LIBC] = { "libc", K_ENUM, OFF(libc), libcs, 0, false },
	[XB_S_BUILDMODE] = { "buildmode", K_ENUM, OFF(buildmode), buildmodes, 0, false },
	[XB_S_STRIP] = { "strip", K_BOOL, OFF(strip), bools, 0, false },
	[XB_S_DEBUG] = { "debug", K_BOOL, OFF(debug), bools, 0, false },
	[XB_S_TRIMPATH] = { "trimpath", K_BOOL, OFF(trimpath), bools, 0, false },
	[XB_S_REPRODUCIBLE] = { "reproducible", K_BOOL, OFF(reproducible), bools, 0, false },
	[XB_S_TAGS] = { "tags", K_LIST, OFF(tags), NULL, SPLIT_COMMA, false },
	[XB_S_LDFLAGS] = { "ldflags", K_LIST, OFF(ldflags), NULL, SPLIT_SPACE, true },
	[XB_S_GCFLAGS] = { "gcflags", K_LIST, OFF(gcflags), NULL, SPLIT_SPACE, true },
	[XB_S_EXTLDFLAGS] = { "extldflags", K_LIST, OFF(extldflags), NULL, SPLIT_SPACE, true },
	[XB_S_ENV] = { "env", K_ENV, OFF(env), NULL, 0, true },
	[XB_S_GO] = { "go", K_STR, OFF(go), NULL, 0, true },
	[XB_S_GO_VERSION] = { "go_version", K_STR, OFF(go_version), NULL, 0, true },
	[XB_S_TOOLCHAIN] = { "toolchain", K_TOOLCHAIN, OFF(toolchain), NULL, SPLIT_COMMA, false },
	[XB_S_FETCH] = { "fetch", K_BOOL, OFF(fetch), bools, 0, false },
	[XB_S_SYSROOT] = { "sysroot", K_STR, OFF(sysroot), NULL, 0, true },
	[XB_S_PKG_CONFIG_PATH] = { "pkg_config_path", K_STR, OFF(pkg_config_path), NULL, 0, true },
	[XB_S_EXTRA_LIBS] = { "extra_libs", K_LIST, OFF(extra_libs), NULL, SPLIT_COMMA, false },
	[XB_S_STATIC_LIBSTDCXX] = { "static_libstdcxx", K_BOOL, OFF(static_libstdcxx), bools, 0, false },
	[XB_S_NSS_WARNINGS] = { "nss_warnings", K_ENUM, OFF(nss_warnings), nss_values, 0, false },
	[XB_S_SMOKE] = { "smoke", K_LIST, OFF(smoke), NULL, SPLIT_SPACE, true },
	[XB_S_ARCHIVES] = { "archives", K_LIST, OFF(archives), archive_formats, SPLIT_COMMA, false },
	[XB_S_SBOM] = { "sbom", K_ENUM, OFF(sbom), sbom_formats, 0, false },
	[XB_S_EXPECT] = { "expect", K_EXPECT, OFF(expect), NULL, 0, false },
};
#undef OFF

const char *const xb_setting_names[] = {
	"linkage", "cgo", "linker", "libc", "buildmode", "strip", "debug",
	"trimpath", "reproducible", "tags", "ldflags", "gcflags", "extldflags",
	"env", "go", "go_version", "toolchain", "fetch", "sysroot", "pkg_config_path", "extra_libs",
	"static_libstdcxx", "nss_warnings", "smoke", "archives", "sbom", "expect", NULL,
};

const char *xb_setting_name(xb_setting_id id)
{
	return (unsigned)id < XB_S_COUNT ? xb_sdefs[id].name : NULL;
}

void xb_settings_init(xb_settings *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < XB_S_COUNT; i++) {
		if (xb_sdefs[i].kind == K_LIST || xb_sdefs[i].kind == K_ENV ||
		    xb_sdefs[i].kind == K_TOOLCHAIN)
			xb_strv_init(CSTRV(s, i));
		else if (xb_sdefs[i].kind == K_BOOL)
			CINT(s, i) = -1;
	}
	xb_expect_init(&s->expect);
}

void xb_settings_release(xb_settings *s)
{
	for (int i = 0; i < XB_S_COUNT; i++) {
		switch (xb_sdefs[i].kind) {
		case K_ENUM:
		case K_STR:
			free(CSTR(s, i));
			break;
		case K_LIST:
		case K_ENV:
		case K_TOOLCHAIN:
			xb_strv_release(CSTRV(s, i));
			break;
		default:
			break;
		}
	}
	xb_expect_release(&s->expect);
	xb_settings_init(s);
}

static xb_code env_merge(xb_strv *dst, const xb_strv *src)
{
	if (xb_strv_failed(src)) /* a variable is missing from it */
		return xb_strv_failed(src);
	for (size_t i = 0; i < src->n; i++) {
		const char *eq = strchr(src->v[i], '=');
		char *key;
		xb_code rc;

		if (!eq)
			continue;
		key = strndup(src->v[i], (size_t)(eq - src->v[i]));
		if (!key)
			return XB_ERR_NOMEM;
		rc = xb_strv_setenv(dst, key, eq + 1);
		free(key);
		if (rc)
			return rc;
	}
	return XB_OK;
}

xb_code xb_settings_merge(xb_settings *dst, const xb_settings *src)
{
	xb_code rc = XB_OK;

	for (int i = 0; i < XB_S_COUNT && !rc; i++) {
		if (!XB_SETTING_SET(src, i))
			continue;
		switch (xb_sdefs[i].kind) {
		case K_ENUM:
		case K_STR:
			rc = xb_set_str(str_field(dst, i), CSTR(src, i));
			break;
		case K_BOOL:
			CINT(dst, i) = CINT(src, i);
			break;
		case K_LIST:
		case K_TOOLCHAIN:
			xb_strv_release(CSTRV(dst, i));
			rc = xb_strv_pushsv(CSTRV(dst, i), CSTRV(src, i));
			break;
		case K_ENV:
			rc = env_merge(CSTRV(dst, i), CSTRV(src, i));
			break;
		case K_EXPECT:
			rc = xb_expect_merge(&dst->expect, &src->expect);
			break;
		}
		dst->set |= 1u << i;
		dst->pos[i] = src->pos[i];
	}
	/* strip: true drops what debug: true keeps: the layer that says one
	 * of them overrides the other from a layer below (a conflict is
	 * only two settings of the same layer) */
	if (!rc && XB_SETTING_SET(src, XB_S_STRIP) != XB_SETTING_SET(src, XB_S_DEBUG) &&
	    dst->strip == 1 && dst->debug == 1) {
		int won = XB_SETTING_SET(src, XB_S_STRIP) ? XB_S_STRIP : XB_S_DEBUG;
		int lost = won == XB_S_STRIP ? XB_S_DEBUG : XB_S_STRIP;

		CINT(dst, lost) = 0;
		dst->pos[lost] = src->pos[won];
	}
	return rc;
}

xb_code xb_settings_builtin(xb_settings *s)
{
	static const struct { int id; const char *v; } d[] = {
		{ XB_S_LINKAGE, "auto" }, { XB_S_CGO, "auto" },
		{ XB_S_LINKER, "auto" }, { XB_S_LIBC, "auto" },
		{ XB_S_BUILDMODE, "default" }, { XB_S_STRIP, "false" },
		{ XB_S_DEBUG, "true" }, { XB_S_TRIMPATH, "true" },
		{ XB_S_REPRODUCIBLE, "true" }, { XB_S_STATIC_LIBSTDCXX, "false" },
		{ XB_S_NSS_WARNINGS, "error" },
	};
	xb_pos pos = { "<built-in>", 0, 0 };

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		xb_code rc = xb_settings_set(s, xb_sdefs[d[i].id].name, d[i].v,
					     pos, NULL);
		if (rc)
			return rc;
	}
	/* empty lists, set, so --print shows them */
	for (int i = 0; i < XB_S_COUNT; i++) {
		if (!XB_SETTING_SET(s, i)) {
			s->set |= 1u << i;
			s->pos[i] = pos;
		}
	}
	return XB_OK;
}

/* ---- value checks shared by the loader and the command line ------------ */

int xb_valid_word(const char *v, const char *extra)
{
	if (!*v)
		return 0;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && !strchr(extra, *v))
			return 0;
	return 1;
}

static int valid_env_key(const char *k)
{
	if (!*k || isdigit((unsigned char)*k))
		return 0;
	return xb_valid_word(k, "_");
}

/* Why a variable may not be set through env:, or NULL. */
static const char *env_reserved(const char *k)
{
	static const struct { const char *k, *use; } r[] = {
		{ "CGO_ENABLED", "the cgo setting" },
		{ "GOOS", "targets" }, { "GOARCH", "targets" },
		{ "GOARM", "a target variant such as linux/arm/7" },
		{ "GOAMD64", "a target variant such as linux/amd64/v3" },
		{ "GO386", "a target variant such as linux/386/sse2" },
		{ "GOARM64", "a target variant" }, { "GORISCV64", "a target variant" },
		{ "GOMIPS", "a target variant" }, { "GOMIPS64", "a target variant" },
		{ "GOPPC64", "a target variant" },
		{ "CC", "the toolchain setting" }, { "CXX", "the toolchain setting" },
		{ "GOFLAGS", "the tags, ldflags and gcflags settings" },
		{ "GOTOOLCHAIN", "the go_version setting" },
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (!strcmp(k, r[i].k))
			return r[i].use;
	return NULL;
}

static int valid_sha256(const char *h)
{
	size_t n = 0;

	for (; h[n]; n++)
		if (!isxdigit((unsigned char)h[n]) || isupper((unsigned char)h[n]))
			return 0;
	return n == 64;
}

/* Check one list item of setting id; a message into msg when bad. */
static int check_item(int id, const char *v, char *msg, size_t n)
{
	const struct sdef *sd = &xb_sdefs[id];

	if (!*v) {
		snprintf(msg, n, "empty item in %s", sd->name);
		return 0;
	}
	if (sd->allowed && !xb_str_in(v, sd->allowed)) {
		xb_buf b = XB_BUF_INIT;
		xb_list_words(&b, sd->allowed);
		snprintf(msg, n, "invalid %s '%s' (expected %s)", sd->name, v,
			 xb_buf_str(&b));
		xb_buf_release(&b);
		return 0;
	}
	/* go reads these as quoted words: one that needs quotes (a blank,
	 * or a quote first) cannot hold both kinds */
	if ((id == XB_S_LDFLAGS || id == XB_S_GCFLAGS) &&
	    (strpbrk(v, " \t\r\n") || *v == '\'' || *v == '"') &&
	    strchr(v, '\'') && strchr(v, '"')) {
		snprintf(msg, n, "%s word '%s' cannot be passed to go (a word "
			 "with a blank holds one kind of quote only)", sd->name, v);
		return 0;
	}
	if (id == XB_S_TAGS && !xb_valid_word(v, "_.-")) {
		snprintf(msg, n, "invalid build tag '%s' (letters, digits, "
			 "'_', '.' and '-' only)", v);
		return 0;
	}
	if (id == XB_S_EXTRA_LIBS &&
	    !xb_valid_word(v[0] == '-' && v[1] == 'l' ? v + 2 : v, "_.+-")) {
		snprintf(msg, n, "invalid library '%s' (a name such as ssl or "
			 "-lssl)", v);
		return 0;
	}
	if (id == XB_S_TOOLCHAIN && strcmp(v, "system") && strcmp(v, "zig")) {
		const char *at = strchr(v, '@');
		if (!at || at == v || !valid_sha256(at + 1)) {
			snprintf(msg, n, "invalid toolchain '%s' (expected system, "
				 "zig, or an archive as {archive: ID, sha256: "
				 "HEX})", v);
			return 0;
		}
	}
	return 1;
}

xb_code xb_setting_push(xb_settings *s, int id, const char *v, char *msg,
			size_t n)
{
	if (!check_item(id, v, msg, n))
		return XB_ERR_PROFILE;
	return xb_strv_push(CSTRV(s, id), v);
}

/* The length of the word at p: up to one of seps, outside of template
 * actions ("-X main.v={{ .Version }}" is one word). */
static size_t split_word(const char *p, const char *seps)
{
	size_t i = 0;

	while (p[i] && !strchr(seps, p[i])) {
		const char *end;
		if (p[i] != '{' || p[i + 1] != '{') {
			i++;
			continue;
		}
		if (!(end = strstr(p + i + 2, "}}")))
			return strlen(p);
		i = (size_t)(end + 2 - p);
	}
	return i;
}

/* Split text into list items of setting id.  Flags split as go splits
 * -ldflags and -gcflags (cmd/go's quoted words): a word that starts with
 * ' or " runs to the same quote, with no escapes, so that
 * -X 'main.version=1.0 beta' is two words. */
xb_code xb_setting_split(xb_settings *s, int id, const char *text,
			 char *msg, size_t n)
{
	const char *seps = xb_sdefs[id].split == SPLIT_SPACE ? " \t\r\n" :
		xb_sdefs[id].split == SPLIT_COMMA ? ", \t\n" : "";
	const char *p = text;
	xb_code rc = XB_OK;

	if (!*seps)
		return xb_setting_push(s, id, text, msg, n);
	while (*p && !rc) {
		size_t len, skip = 0;
		char *w;

		p += strspn(p, seps);
		if (xb_sdefs[id].split == SPLIT_SPACE && (*p == '\'' || *p == '"')) {
			const char *end = strchr(p + 1, *p);
			if (!end) {
				snprintf(msg, n, "unterminated %c string in %s '%s'",
					 *p, xb_sdefs[id].name, text);
				return XB_ERR_PROFILE;
			}
			p++;
			len = (size_t)(end - p);
			skip = 1;
		} else {
			len = split_word(p, seps);
			if (!len)
				break;
		}
		w = strndup(p, len);
		if (!w)
			return XB_ERR_NOMEM;
		rc = xb_setting_push(s, id, w, msg, n);
		free(w);
		p += len + skip;
	}
	return rc;
}

xb_code xb_env_check(const char *kv, char *msg, size_t n)
{
	const char *eq = strchr(kv, '=');
	char key[128];
	const char *why;

	if (!eq || (size_t)(eq - kv) >= sizeof(key)) {
		snprintf(msg, n, "env entry '%s' is not KEY=VALUE", kv);
		return XB_ERR_PROFILE;
	}
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	if (!valid_env_key(key)) {
		snprintf(msg, n, "invalid environment variable name '%s'", key);
		return XB_ERR_PROFILE;
	}
	if ((why = env_reserved(key))) {
		snprintf(msg, n, "env %s is set by xbuild (use %s)", key, why);
		return XB_ERR_PROFILE;
	}
	return XB_OK;
}

/* A scalar value for setting id; msg explains a failure. */
xb_code xb_setting_scalar(xb_settings *s, int id, const char *v, char *msg,
			  size_t n)
{
	const struct sdef *sd = &xb_sdefs[id];
	xb_buf b = XB_BUF_INIT;

	switch (sd->kind) {
	case K_ENUM:
	case K_BOOL:
		if (!xb_str_in(v, sd->allowed)) {
			const char *near = xb_closest(v, sd->allowed);
			xb_list_words(&b, sd->allowed);
			snprintf(msg, n, "invalid %s '%s' (expected %s)%s%s%s",
				 sd->name, v, xb_buf_str(&b),
				 near ? "; did you mean '" : "", near ? near : "",
				 near ? "'?" : "");
			xb_buf_release(&b);
			return XB_ERR_PROFILE;
		}
		if (sd->kind == K_BOOL)
			CINT(s, id) = !strcmp(v, "true");
		else if (xb_set_str(str_field(s, id), v))
			return XB_ERR_NOMEM;
		return XB_OK;
	case K_STR:
		if (!*v) {
			snprintf(msg, n, "%s needs a value", sd->name);
			return XB_ERR_PROFILE;
		}
		if (id == XB_S_GO_VERSION) {
			char rel[32];
			/* kept as go spells it, so that every comparison
			 * (other targets, go.mod, build info) is exact */
			if (!xb_gover_release(v, rel, sizeof(rel))) {
				snprintf(msg, n, "invalid go_version '%s' (expected "
					 "a Go release such as 1.27.3 or go1.27.3: "
					 "three numbers from Go 1.21 on, no rc or "
					 "beta)", v);
				return XB_ERR_PROFILE;
			}
			return xb_set_str(str_field(s, id), rel);
		}
		return xb_set_str(str_field(s, id), v);
	default:
		snprintf(msg, n, "%s is not a single value", sd->name);
		return XB_ERR_PROFILE;
	}
}

xb_code xb_settings_set(xb_settings *s, const char *key, const char *value,
			xb_pos pos, xb_err *err)
{
	char msg[512] = "";
	xb_code rc = XB_OK;
	int id = -1;

	for (int i = 0; i < XB_S_COUNT; i++)
		if (!strcmp(xb_sdefs[i].name, key))
			id = i;
	if (id < 0) {
		const char *near = xb_closest(key, xb_setting_names);
		return xb_fail(err, XB_ERR_USAGE, "unknown setting '%s'%s%s%s",
			       key, near ? " (did you mean '" : "",
			       near ? near : "", near ? "'?)" : "");
	}
	switch (xb_sdefs[id].kind) {
	case K_LIST:
	case K_TOOLCHAIN:
		xb_strv_release(CSTRV(s, id));
		rc = xb_setting_split(s, id, value, msg, sizeof(msg));
		break;
	case K_ENV:
		rc = xb_env_check(value, msg, sizeof(msg));
		if (!rc) {
			const char *eq = strchr(value, '=');
			char *k = strndup(value, (size_t)(eq - value));
			rc = k ? xb_strv_setenv(&s->env, k, eq + 1) : XB_ERR_NOMEM;
			free(k);
		}
		break;
	case K_EXPECT:
		rc = xb_expect_parse(&s->expect, value, err);
		if (rc)
			return rc;
		break;
	default:
		rc = xb_setting_scalar(s, id, value, msg, sizeof(msg));
	}
	if (rc == XB_ERR_NOMEM)
		return xb_fail(err, rc, "out of memory");
	if (rc)
		return xb_fail(err, XB_ERR_USAGE, "%s", msg);
	s->set |= 1u << id;
	s->pos[id] = pos;
	return XB_OK;
}
