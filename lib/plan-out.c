/* plan-out.c: a plan in the forms other tools read: the environment a
 * build runs with, a shell line, make variables and JSON.  The shell and
 * make forms quote every word, so that a value from a profile is never
 * read as shell syntax. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "profile.h"
#include "plan.h"

xb_code xb_plan_envp(const xb_plan *pl, xb_strv *envp)
{
	xb_code rc = XB_OK;
	const xb_strv *parts[] = { &pl->pass, &pl->env, &pl->cc.env };

	for (size_t i = 0; i < 3 && !rc; i++) {
		/* a part with a variable missing fails the whole */
		rc = xb_strv_failed(parts[i]);
		for (size_t j = 0; j < parts[i]->n && !rc; j++) {
			const char *kv = parts[i]->v[j], *eq = strchr(kv, '=');
			char *k = strndup(kv, (size_t)(eq - kv));
			rc = k ? xb_strv_setenv(envp, k, eq + 1) : XB_ERR_NOMEM;
			free(k);
		}
	}
	return rc;
}

xb_code xb_shell_quote(xb_buf *out, const char *s)
{
	bool plain = *s != '\0';

	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("@%+=:,./-_", *p))
			plain = false;
	if (plain)
		return xb_buf_adds(out, s);
	xb_buf_addc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			xb_buf_adds(out, "'\\''");
		else
			xb_buf_addc(out, *s);
	}
	return xb_buf_addc(out, '\'');
}

xb_code xb_plan_shell(const xb_plan *pl, xb_buf *out)
{
	xb_strv e = XB_STRV_INIT;
	xb_code rc = xb_plan_envp(pl, &e);

	if (!rc)
		rc = xb_strv_failed(&pl->argv);
	xb_buf_adds(out, "env -i");
	for (size_t i = 0; !rc && i < e.n; i++) {
		xb_buf_addc(out, ' ');
		xb_shell_quote(out, e.v[i]);
	}
	for (size_t i = 0; !rc && i < pl->argv.n; i++) {
		xb_buf_addc(out, ' ');
		xb_shell_quote(out, pl->argv.v[i]);
	}
	xb_strv_release(&e);
	return rc ? rc : xb_buf_addc(out, '\n');
}

static void make_value(xb_buf *out, const char *s)
{
	xb_buf q = XB_BUF_INIT;

	xb_shell_quote(&q, s);
	if (xb_buf_failed(&q))
		xb_buf_addb(out, &q); /* out takes the failure */
	for (const char *p = xb_buf_str(&q); *p; p++)
		xb_buf_adds(out, *p == '$' ? "$$" : *p == '#' ? "\\#" :
			    (char[2]){ *p, 0 });
	xb_buf_release(&q);
}

xb_code xb_plan_make(const xb_plan *pl, const char *prefix, xb_buf *out)
{
	xb_strv e = XB_STRV_INIT;
	xb_code rc = xb_plan_envp(pl, &e);

	xb_buf_addf(out, "%sTARGET := %s\n", prefix, pl->target);
	xb_buf_addf(out, "%sOUTPUT := ", prefix);
	make_value(out, pl->output ? pl->output : "");
	xb_buf_addf(out, "\n%sENV :=", prefix);
	for (size_t i = 0; i < pl->env.n; i++) {
		xb_buf_addc(out, ' ');
		make_value(out, pl->env.v[i]);
	}
	xb_buf_addf(out, "\n%sCMD := env -i", prefix);
	for (size_t i = 0; i < e.n; i++) {
		xb_buf_addc(out, ' ');
		make_value(out, e.v[i]);
	}
	for (size_t i = 0; i < pl->argv.n; i++) {
		xb_buf_addc(out, ' ');
		make_value(out, pl->argv.v[i]);
	}
	xb_strv_release(&e);
	return rc ? rc : xb_buf_adds(out, "\n");
}

static void json_env(xb_json *j, const char *key, const xb_strv *v)
{
	xb_json_key(j, key);
	xb_json_obj_begin(j);
	for (size_t i = 0; i < v->n; i++) {
		const char *eq = strchr(v->v[i], '=');
		char k[256];
		snprintf(k, sizeof(k), "%.*s", (int)(eq - v->v[i]), v->v[i]);
		xb_json_kstr(j, k, eq + 1);
	}
	xb_json_obj_end(j);
}

void xb_plan_json(const xb_plan *pl, xb_json *j)
{
	xb_json_obj_begin(j);
	xb_json_kstr(j, "target", pl->target);
	xb_json_kstr(j, "build", pl->build_id);
	xb_json_kstr(j, "os", pl->goos);
	xb_json_kstr(j, "arch", pl->goarch);
	xb_json_kstr(j, "variant", pl->variant);
	xb_json_kstr(j, "package", pl->pkg);
	xb_json_kstr(j, "output", pl->output);
	xb_json_kbool(j, "cgo", pl->cgo);
	xb_json_kstr(j, "linkmode", pl->linkmode);
	xb_json_kstr(j, "linkage", pl->linkage);
	xb_json_kstr(j, "buildmode", pl->buildmode);
	xb_json_kstrv(j, "tags", &pl->tags);
	json_env(j, "env", &pl->env);
	json_env(j, "pass", &pl->pass);
	xb_json_kstrv(j, "argv", &pl->argv);
	xb_json_key(j, "toolchain");
	if (pl->has_cc) {
		xb_json_obj_begin(j);
		xb_json_kstr(j, "cc", pl->cc.cc);
		xb_json_kstr(j, "cxx", pl->cc.cxx);
		xb_json_kstr(j, "kind", pl->cc.kind);
		xb_json_kstr(j, "libc", pl->cc.libc);
		xb_json_kstr(j, "triplet", pl->cc.triplet);
		xb_json_kbool(j, "static_pie", pl->cc.static_pie);
		xb_json_obj_end(j);
	} else {
		xb_json_null(j);
	}
	xb_json_key(j, "link");
	if (pl->cgo && pl->has_cc) {
		xb_json_obj_begin(j);
		xb_json_kstrv(j, "extldflags", &pl->extldflags);
		xb_json_kstr(j, "sysroot", pl->sysroot);
		xb_json_kstr(j, "triplet", pl->triplet);
		xb_json_kstrv(j, "lib_dirs", &pl->lib_dirs);
		xb_json_obj_end(j);
	} else {
		xb_json_null(j);
	}
	xb_json_key(j, "expect");
	xb_expect_json(&pl->expect, j);
	xb_json_kstrv(j, "smoke", &pl->smoke);
	xb_json_kstr(j, "golist_cache", pl->golist_cache);
	xb_json_kstr(j, "golist", pl->golist_note);
	xb_json_kstrv(j, "reasons", &pl->reasons);
	xb_json_kstrv(j, "warnings", &pl->warnings);
	xb_json_kstrv(j, "errors", &pl->errors);
	xb_json_obj_end(j);
}
