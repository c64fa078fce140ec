/* expect.c: expectations an artifact must meet, and their text form
 * (`--expect linkage=static,arch=arm64,cgo=0`). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "gover.h"

void xb_expect_init(xb_expect *e)
{
	memset(e, 0, sizeof(*e));
	e->stripped = -1;
	e->pie = -1;
	xb_strv_init(&e->needed);
	xb_strv_init(&e->go_settings);
}

void xb_expect_release(xb_expect *e)
{
	free(e->format);
	free(e->arch);
	free(e->linkage);
	free(e->libc);
	free(e->interpreter);
	free(e->max_glibc);
	free(e->relro);
	free(e->go_version);
	xb_strv_release(&e->needed);
	xb_strv_release(&e->go_settings);
	xb_expect_init(e);
}

static xb_code bad_value(xb_err *err, const char *key, const char *v,
			 const char *allowed)
{
	return xb_fail(err, XB_ERR_USAGE,
		       "invalid %s '%s' in expectation (expected %s)", key, v,
		       allowed);
}

static int parse_bool(const char *v)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		return 0;
	return -1;
}

static int valid_version(const char *v)
{
	int digits = 0;

	for (; *v; v++) {
		if (isdigit((unsigned char)*v))
			digits++;
		else if (*v != '.' || digits == 0)
			return 0;
		else
			digits = 0;
	}
	return digits > 0;
}

static xb_code set_go(xb_expect *e, const char *key, const char *value)
{
	xb_strv_unsetenv(&e->go_settings, key);
	return xb_strv_pushf(&e->go_settings, "%s=%s", key, value);
}

xb_code xb_expect_set(xb_expect *e, const char *key, const char *v,
		      xb_err *err)
{
	static const char *const formats[] = { "elf", "macho", "pe", NULL };
	static const char *const linkages[] = { "static", "static-pie",
						"dynamic", NULL };
	static const char *const libcs[] = { "glibc", "musl", "none", NULL };
	static const char *const relros[] = { "none", "partial", "full", NULL };
	int b;

	if (!strcmp(key, "format")) {
		if (!xb_str_in(v, formats))
			return bad_value(err, key, v, "elf, macho or pe");
		return xb_set_str(&e->format, v);
	}
	if (!strcmp(key, "arch")) {
		if (!*v)
			return bad_value(err, key, v, "a Go GOARCH name");
		return xb_set_str(&e->arch, v);
	}
	if (!strcmp(key, "linkage")) {
		if (!xb_str_in(v, linkages))
			return bad_value(err, key, v,
					 "static, static-pie or dynamic");
		return xb_set_str(&e->linkage, v);
	}
	if (!strcmp(key, "libc")) {
		if (!xb_str_in(v, libcs))
			return bad_value(err, key, v, "glibc, musl or none");
		return xb_set_str(&e->libc, v);
	}
	if (!strcmp(key, "interpreter"))
		return xb_set_str(&e->interpreter, v);
	if (!strcmp(key, "max-glibc") || !strcmp(key, "max_glibc")) {
		if (!valid_version(v))
			return bad_value(err, key, v, "a version such as 2.17");
		return xb_set_str(&e->max_glibc, v);
	}
	if (!strcmp(key, "needed")) {
		const char *p = v, *q;
		xb_strv_release(&e->needed);
		e->needed_set = true;
		while (*p) {
			q = strchr(p, ':');
			if (!q)
				q = p + strlen(p);
			if (q > p && xb_strv_pushf(&e->needed, "%.*s",
						   (int)(q - p), p))
				return XB_ERR_NOMEM;
			p = *q ? q + 1 : q;
		}
		return XB_OK;
	}
	if (!strcmp(key, "stripped") || !strcmp(key, "pie")) {
		if ((b = parse_bool(v)) < 0)
			return bad_value(err, key, v, "true or false");
		*(key[0] == 's' ? &e->stripped : &e->pie) = b;
		return XB_OK;
	}
	if (!strcmp(key, "relro")) {
		if (!xb_str_in(v, relros))
			return bad_value(err, key, v, "none, partial or full");
		return xb_set_str(&e->relro, v);
	}
	if (!strcmp(key, "cgo")) {
		if ((b = parse_bool(v)) < 0)
			return bad_value(err, key, v, "0 or 1");
		return set_go(e, "CGO_ENABLED", b ? "1" : "0");
	}
	if (!strcmp(key, "go-version") || !strcmp(key, "go_version") ||
	    !strcmp(key, "go")) {
		char rel[32];
		if (!xb_gover_release(v, rel, sizeof(rel)))
			return bad_value(err, key, v, "a Go release such as "
					 "1.27.3 or go1.27.3");
		return xb_set_str(&e->go_version, rel);
	}
	if (!strncmp(key, "go:", 3) && key[3])
		return set_go(e, key + 3, v);
	return xb_fail(err, XB_ERR_USAGE,
		       "unknown expectation '%s' (expected format, arch, "
		       "linkage, libc, interpreter, max-glibc, needed, "
		       "stripped, pie, relro, cgo, go-version or go:SETTING)",
		       key);
}

xb_code xb_expect_parse(xb_expect *e, const char *spec, xb_err *err)
{
	char *copy = strdup(spec), *item, *save = NULL, *eq;
	xb_code rc = XB_OK;

	if (!copy)
		return XB_ERR_NOMEM;
	for (item = strtok_r(copy, ",", &save); item && !rc;
	     item = strtok_r(NULL, ",", &save)) {
		/* go:-ldflags=... values may hold '='; split at the first
		 * '=' after the key */
		eq = strchr(!strncmp(item, "go:", 3) ? item + 3 : item, '=');
		if (!eq) {
			rc = xb_fail(err, XB_ERR_USAGE,
				     "expectation '%s' is not key=value", item);
			break;
		}
		*eq = '\0';
		rc = xb_expect_set(e, item, eq + 1, err);
	}
	free(copy);
	return rc;
}

xb_code xb_expect_merge(xb_expect *dst, const xb_expect *src)
{
	xb_code rc = XB_OK;

#define MERGE(f) if (!rc && src->f) rc = xb_set_str(&dst->f, src->f)
	MERGE(format);
	MERGE(arch);
	MERGE(linkage);
	MERGE(libc);
	MERGE(interpreter);
	MERGE(max_glibc);
	MERGE(relro);
	MERGE(go_version);
#undef MERGE
	if (!rc && src->needed_set) {
		xb_strv_release(&dst->needed);
		dst->needed_set = true;
		rc = xb_strv_pushv(&dst->needed, xb_strv_argv(&src->needed));
	}
	if (src->stripped >= 0)
		dst->stripped = src->stripped;
	if (src->pie >= 0)
		dst->pie = src->pie;
	for (size_t i = 0; !rc && i < src->go_settings.n; i++) {
		const char *kv = src->go_settings.v[i];
		const char *eq = strchr(kv + (kv[0] == '-'), '=');
		char key[256];

		if (!eq || (size_t)(eq - kv) >= sizeof(key))
			continue;
		memcpy(key, kv, (size_t)(eq - kv));
		key[eq - kv] = '\0';
		rc = set_go(dst, key, eq + 1);
	}
	return rc;
}
