/* profile-layer.c: one profile file's tree walked against the schema into
 * a layer: every problem is reported with its file:line:col and the walk
 * goes on, so that one run lists them all; ${VAR} is expanded here. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"
#include "tmpl.h"
#include "expect.h"

extern char **environ;

#define MAX_TARGETS 256      /* targets, matrices expanded */

const char *const xb_top_keys[] = { "version", "name", "main", "output",
	"extends", "defaults", "targets", "ignore", "builds", "before",
	"universal", "archives", "checksum", "packages", NULL };
/* The keys of an item of builds: */
static const char *const build_keys[] = { "id", "name", "main", "output",
	"defaults", "targets", "ignore", "hooks", "universal", NULL };
static const char *const target_keys[] = { "target", "os", "arch", "variant",
	NULL };
static const char *const expect_keys[] = { "linkage", "max_glibc", "needed",
	"stripped", "pie", "relro", "go_settings", "format", "arch", "libc",
	"interpreter", "go_version", NULL };

void xb_layer_init(struct layer *l)
{
	memset(l, 0, sizeof(*l));
	xb_strv_init(&l->main);
	xb_strv_init(&l->ignore);
	xb_settings_init(&l->defaults);
	xb_strv_init(&l->hooks_pre);
	xb_strv_init(&l->hooks_post);
	xb_strv_init(&l->before);
}

void xb_layer_release(struct layer *l)
{
	free(l->name);
	free(l->output);
	free(l->extends);
	xb_strv_release(&l->main);
	xb_strv_release(&l->ignore);
	xb_settings_release(&l->defaults);
	for (size_t i = 0; i < l->ntargets; i++)
		xb_target_release(&l->targets[i]);
	free(l->targets);
	for (size_t i = 0; i < l->nbuilds; i++)
		xb_layer_release(&l->builds[i]);
	free(l->builds);
	free(l->id);
	free(l->snapshot_version);
	xb_pkgconf_free(l->packages);
	xb_strv_release(&l->hooks_pre);
	xb_strv_release(&l->hooks_post);
	xb_strv_release(&l->before);
	xb_archive_specs_free(l->archives, l->narchives);
	xb_checksum_spec_free(l->checksum);
	xb_layer_init(l);
}

static xb_pos npos(struct lctx *c, const xb_ynode *n)
{
	return (xb_pos){ c->file, n->line, n->col };
}

static const char *getenv_in(struct lctx *c, const char *name, size_t len)
{
	const char *const *e = c->o && c->o->envp ? c->o->envp :
		(const char *const *)environ;
	const char *v;
	char n[128];

	/* the caller's own value first (o->var) */
	if (c->o && c->o->var && len < sizeof(n)) {
		memcpy(n, name, len);
		n[len] = '\0';
		if ((v = c->o->var(c->o->var_ctx, n)))
			return v;
	}

	for (; e && *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/* ${VAR} and ${VAR:-default} in v; "$$" is a '$'.  NULL after an error
 * (reported).  Caller frees. */
static char *expand(struct lctx *c, const xb_ynode *n, const char *v)
{
	xb_buf b = XB_BUF_INIT;
	const char *p = v;

	xb_buf_init(&b, 1u << 20);
	xb_buf_adds(&b, "");
	while (*p) {
		const char *name, *end, *def = NULL, *val;
		size_t nlen;

		if (*p != '$') {
			xb_buf_addc(&b, *p++); /* a failure is checked below */
			continue;
		}
		if (p[1] == '$') {
			xb_buf_addc(&b, '$');
			p += 2;
			continue;
		}
		if (p[1] != '{') {
			xb_diag(c->d, 'e', npos(c, n), "'$' must start ${VAR} "
				"(write $$ for a dollar sign)");
			goto fail;
		}
		name = p + 2;
		nlen = 0;
		while (isalnum((unsigned char)name[nlen]) || name[nlen] == '_')
			nlen++;
		end = name + nlen;
		if (end[0] == ':' && end[1] == '-') {
			def = end + 2;
			end = strchr(def, '}');
		} else if (*end != '}') {
			end = NULL;
		}
		if (!end || nlen == 0 || isdigit((unsigned char)name[0])) {
			xb_diag(c->d, 'e', npos(c, n), "invalid variable reference "
				"in '%s' (expected ${NAME} or ${NAME:-default})",
				v);
			goto fail;
		}
		val = getenv_in(c, name, nlen);
		if (val && *val)
			xb_buf_adds(&b, val);
		else if (def)
			xb_buf_add(&b, def, (size_t)(end - def));
		else {
			xb_diag(c->d, 'e', npos(c, n), "environment variable "
				"%.*s is not set (write ${%.*s:-default} for a "
				"fallback)", (int)nlen, name, (int)nlen, name);
			goto fail;
		}
		p = end + 1;
	}
	if (xb_buf_failed(&b)) {
		xb_diag(c->d, 'e', npos(c, n), "value longer than %zu bytes once "
			"its ${VAR} are expanded", xb_buf_limit(&b));
		goto fail;
	}
	return xb_buf_take(&b);
fail:
	xb_buf_release(&b);
	return NULL;
}

static bool is_null(const xb_ynode *n)
{
	return n->type == XB_Y_SCALAR && n->plain &&
	       (!*n->val || !strcmp(n->val, "~") || !strcmp(n->val, "null"));
}

static const char *type_name(const xb_ynode *n)
{
	return n->type == XB_Y_MAP ? "a mapping" : n->type == XB_Y_SEQ ? "a list" :
		"a value";
}

/* A scalar, or a reported error. */
static const char *want_scalar(struct lctx *c, const char *key,
			       const xb_ynode *n)
{
	if (n->type != XB_Y_SCALAR) {
		xb_diag(c->d, 'e', npos(c, n), "%s must be a single value, not %s",
			key, type_name(n));
		return NULL;
	}
	if (is_null(n)) {
		xb_diag(c->d, 'e', npos(c, n), "%s needs a value", key);
		return NULL;
	}
	return n->val;
}

static void unknown_key(struct lctx *c, const xb_ynode *k,
			const char *where_, const char *const *known,
			const char *const *also)
{
	const char *near = xb_closest(k->val, known);

	if (!near && also)
		near = xb_closest(k->val, also);
	if (near)
		xb_diag(c->d, 'e', npos(c, k), "unknown key '%s' in %s (did "
			"you mean '%s'?)", k->val, where_, near);
	else
		xb_diag(c->d, 'e', npos(c, k), "unknown key '%s' in %s",
			k->val, where_);
}

static void parse_expect(struct lctx *c, xb_settings *s, const xb_ynode *n)
{
	xb_err err = XB_ERR_INIT;

	if (n->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', npos(c, n), "expect must be a mapping, not %s",
			type_name(n));
		return;
	}
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const xb_ynode *k = n->kid[i], *v = n->kid[i + 1];
		const char *val;

		if (!xb_str_in(k->val, expect_keys)) {
			unknown_key(c, k, "expect", expect_keys, NULL);
			continue;
		}
		if (!strcmp(k->val, "needed")) {
			xb_buf b = XB_BUF_INIT;
			if (v->type == XB_Y_SEQ) {
				for (size_t j = 0; j < v->n; j++) {
					if (!(val = want_scalar(c, "needed item", v->kid[j])))
						continue;
					if (strchr(val, ':') || strchr(val, ','))
						xb_diag(c->d, 'e', npos(c, v->kid[j]),
							"invalid library name '%s'", val);
					xb_buf_addf(&b, "%s%s", j ? ":" : "", val);
				}
			} else if (is_null(v)) {
				xb_buf_adds(&b, "");
			} else {
				xb_diag(c->d, 'e', npos(c, v), "expect.needed must be "
					"a list of shared libraries ([] for none)");
			}
			if (xb_buf_check(&b, &err, "expect.needed") ||
			    xb_expect_set(&s->expect, "needed", xb_buf_str(&b), &err))
				xb_diag(c->d, 'e', npos(c, v), "%s", xb_errmsg(&err));
			xb_buf_release(&b);
			continue;
		}
		if (!strcmp(k->val, "go_settings")) {
			if (v->type != XB_Y_MAP) {
				xb_diag(c->d, 'e', npos(c, v), "expect.go_settings "
					"must be a mapping (KEY: VALUE)");
				continue;
			}
			for (size_t j = 0; j + 1 < v->n; j += 2) {
				char key[160];
				if (!(val = want_scalar(c, v->kid[j]->val, v->kid[j + 1])))
					continue;
				if (!*v->kid[j]->val) {
					xb_diag(c->d, 'e', npos(c, v->kid[j]),
						"empty go_settings key");
					continue;
				}
				snprintf(key, sizeof(key), "go:%s", v->kid[j]->val);
				if (xb_expect_set(&s->expect, key, val, &err))
					xb_diag(c->d, 'e', npos(c, v->kid[j + 1]),
						"%s", xb_errmsg(&err));
			}
			continue;
		}
		if (!(val = want_scalar(c, k->val, v)))
			continue;
		if (xb_expect_set(&s->expect, k->val, val, &err)) {
			/* "in expectation" reads oddly in a profile */
			char *in = strstr(err.msg, " in expectation");
			if (in)
				memmove(in, in + 15, strlen(in + 15) + 1);
			xb_diag(c->d, 'e', npos(c, v), "expect.%s", err.msg +
				(strncmp(err.msg, "invalid ", 8) ? 0 : 8));
		}
	}
}

/* A pinned toolchain, {archive: ID, sha256: HEX}, as the item ID@HEX of
 * setting id.  -1 when out of memory. */
static int parse_pin(struct lctx *c, xb_settings *s, int id,
		     const xb_ynode *it)
{
	static const char *const tk[] = { "archive", "sha256", NULL };
	const char *arch_id = NULL, *sha = NULL;
	char msg[512];
	char *x;

	for (size_t j = 0; j + 1 < it->n; j += 2) {
		const char *kk = it->kid[j]->val;
		const char *vv = want_scalar(c, kk, it->kid[j + 1]);
		if (!strcmp(kk, "archive"))
			arch_id = vv;
		else if (!strcmp(kk, "sha256"))
			sha = vv;
		else
			unknown_key(c, it->kid[j], "toolchain", tk, NULL);
	}
	if (!arch_id || !sha) {
		xb_diag(c->d, 'e', npos(c, it), "a pinned toolchain needs both "
			"archive: and sha256:");
		return 0;
	}
	x = malloc(strlen(arch_id) + strlen(sha) + 2);
	if (!x)
		return -1;
	sprintf(x, "%s@%s", arch_id, sha);
	if (xb_setting_push(s, id, x, msg, sizeof(msg)))
		xb_diag(c->d, 'e', npos(c, it), "%s", msg);
	free(x);
	return 0;
}

/* The template in node n's text (its fields, functions, syntax), checked
 * now so that a mistake is reported at its line and column. */
void xb_check_tmpl(struct lctx *c, const xb_ynode *n, const char *text)
{
	xb_err err = XB_ERR_INIT;
	xb_pos pos = npos(c, n);
	size_t at;

	if (!xb_tmpl_has_action(text) || !xb_tmpl_expand(text, NULL, NULL,
							 &at, &err))
		return;
	pos.col += !n->plain; /* the quote */
	for (size_t i = 0; i < at && text[i]; i++) {
		if (text[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else {
			pos.col++;
		}
	}
	xb_diag(c->d, 'e', pos, "%s", xb_errmsg(&err));
}

/* A list setting: one value, split as the setting splits, or a list.
 * -1 when out of memory. */
static int parse_list(struct lctx *c, xb_settings *s, int id,
		      const xb_ynode *v)
{
	const struct sdef *sd = &xb_sdefs[id];
	char msg[512];
	const char *val;
	char *x;

	xb_strv_release(CSTRV(s, id));
	if (v->type == XB_Y_SCALAR && !is_null(v)) {
		if (id == XB_S_LDFLAGS)
			xb_check_tmpl(c, v, v->val);
		x = sd->expand ? expand(c, v, v->val) : strdup(v->val);
		if (!x)
			return -1;
		if (xb_setting_split(s, id, x, msg, sizeof(msg)))
			xb_diag(c->d, 'e', npos(c, v), "%s", msg);
		free(x);
	} else if (v->type == XB_Y_SEQ) {
		for (size_t i = 0; i < v->n; i++) {
			const xb_ynode *it = v->kid[i];
			if (id == XB_S_TOOLCHAIN && it->type == XB_Y_MAP) {
				if (parse_pin(c, s, id, it))
					return -1;
				continue;
			}
			if (!(val = want_scalar(c, "a list item", it)))
				continue;
			if (id == XB_S_LDFLAGS)
				xb_check_tmpl(c, it, val);
			x = sd->expand ? expand(c, it, val) : strdup(val);
			if (!x)
				continue;
			if (xb_setting_push(s, id, x, msg, sizeof(msg)))
				xb_diag(c->d, 'e', npos(c, it), "%s", msg);
			free(x);
		}
	} else if (!is_null(v)) {
		xb_diag(c->d, 'e', npos(c, v), "%s must be a list or a single "
			"value, not %s", sd->name, type_name(v));
	}
	return 0;
}

/* env: NAME: value, each checked.  -1 when out of memory. */
static int parse_env(struct lctx *c, xb_settings *s, const xb_ynode *v)
{
	char msg[512];

	if (v->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', npos(c, v), "env must be a mapping (NAME: "
			"value), not %s", type_name(v));
		return 0;
	}
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const xb_ynode *ek = v->kid[i], *ev = v->kid[i + 1];
		char *kv, *x;
		if (ev->type != XB_Y_SCALAR) {
			xb_diag(c->d, 'e', npos(c, ev), "env %s must be a "
				"single value, not %s", ek->val, type_name(ev));
			continue;
		}
		xb_check_tmpl(c, ev, ev->val);
		x = expand(c, ev, ev->val);
		if (!x)
			continue;
		kv = malloc(strlen(ek->val) + strlen(x) + 2);
		if (!kv) {
			free(x);
			return -1;
		}
		sprintf(kv, "%s=%s", ek->val, x);
		if (xb_env_check(kv, msg, sizeof(msg)))
			xb_diag(c->d, 'e', npos(c, ek), "%s", msg);
		else
			xb_strv_setenv(&s->env, ek->val, x);
		free(kv);
		free(x);
	}
	return 0;
}

static void parse_setting(struct lctx *c, xb_settings *s, int id,
			  const xb_ynode *k, const xb_ynode *v)
{
	const struct sdef *sd = &xb_sdefs[id];
	char msg[512];
	const char *val;
	char *x;

	switch (sd->kind) {
	case K_ENUM:
	case K_BOOL:
	case K_STR:
		if (!(val = want_scalar(c, sd->name, v)))
			return;
		x = sd->expand ? expand(c, v, val) : strdup(val);
		if (!x)
			return;
		if (xb_setting_scalar(s, id, x, msg, sizeof(msg)))
			xb_diag(c->d, 'e', npos(c, v), "%s", msg);
		free(x);
		break;
	case K_LIST:
	case K_TOOLCHAIN:
		if (parse_list(c, s, id, v))
			return;
		break;
	case K_ENV:
		if (parse_env(c, s, v))
			return;
		break;
	case K_EXPECT:
		parse_expect(c, s, v);
		break;
	}
	s->set |= 1u << id;
	s->pos[id] = npos(c, k);
}

static int setting_id(const char *key)
{
	for (int i = 0; i < XB_S_COUNT; i++)
		if (!strcmp(xb_sdefs[i].name, key))
			return i;
	return -1;
}

void xb_layer_settings(struct lctx *c, xb_settings *s, const xb_ynode *n,
		       const char *where_)
{
	if (n->type != XB_Y_MAP) {
		if (!is_null(n))
			xb_diag(c->d, 'e', npos(c, n), "%s must be a mapping of "
				"settings, not %s", where_, type_name(n));
		return;
	}
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		int id = setting_id(n->kid[i]->val);
		if (id < 0)
			unknown_key(c, n->kid[i], where_, xb_setting_names, NULL);
		else
			parse_setting(c, s, id, n->kid[i], n->kid[i + 1]);
	}
}

static xb_target *layer_add_target(struct layer *l)
{
	xb_target *a = realloc(l->targets, (l->ntargets + 1) * sizeof(*a));

	if (!a)
		return NULL;
	l->targets = a;
	memset(&a[l->ntargets], 0, sizeof(*a));
	xb_settings_init(&a[l->ntargets].over);
	xb_settings_init(&a[l->ntargets].s);
	return &a[l->ntargets++];
}

/* Values of a matrix key (os: [linux, darwin]) */
static size_t matrix_values(struct lctx *c, const xb_ynode *v,
			    const char **out, size_t max)
{
	size_t n = 0;

	if (v->type == XB_Y_SCALAR) {
		if (want_scalar(c, "a target part", v))
			out[n++] = v->val;
		return n;
	}
	if (v->type != XB_Y_SEQ) {
		xb_diag(c->d, 'e', npos(c, v), "a target part must be a value or "
			"a list, not %s", type_name(v));
		return 0;
	}
	for (size_t i = 0; i < v->n && n < max; i++)
		if (want_scalar(c, "a target part", v->kid[i]))
			out[n++] = v->kid[i]->val;
	return n;
}

static void add_target(struct lctx *c, struct layer *l, const xb_ynode *at,
		       const char *os, const char *arch, const char *variant,
		       const xb_settings *over)
{
	xb_err err = XB_ERR_INIT;
	xb_target *t;
	xb_target tmp;

	memset(&tmp, 0, sizeof(tmp));
	if (xb_target_set(&tmp, os, arch, variant, &err)) {
		xb_diag(c->d, 'e', npos(c, at), "%s", xb_errmsg(&err));
		xb_target_free_names(&tmp);
		return;
	}
	for (size_t i = 0; i < l->ntargets; i++) {
		if (!strcmp(l->targets[i].name, tmp.name)) {
			xb_diag(c->d, 'e', npos(c, at), "target %s is listed "
				"twice (first at line %u)", tmp.name,
				l->targets[i].pos.line);
			xb_target_free_names(&tmp);
			return;
		}
	}
	if (l->ntargets >= MAX_TARGETS) {
		xb_diag(c->d, 'e', npos(c, at), "more than %d targets",
			MAX_TARGETS);
		xb_target_free_names(&tmp);
		return;
	}
	t = layer_add_target(l);
	if (!t) {
		xb_target_free_names(&tmp);
		return;
	}
	t->os = tmp.os;
	t->arch = tmp.arch;
	t->variant = tmp.variant;
	t->name = tmp.name;
	t->pos = npos(c, at);
	if (over)
		xb_settings_merge(&t->over, over);
}

static void parse_target(struct lctx *c, struct layer *l, const xb_ynode *n)
{
	const xb_ynode *tnode = NULL, *osn = NULL, *archn = NULL, *varn = NULL;
	const char *oses[16], *arches[16], *vars[16];
	size_t nos, narch, nvar;
	xb_settings over;
	xb_target tmp;
	xb_err err = XB_ERR_INIT;

	if (n->type == XB_Y_SCALAR) {
		if (!want_scalar(c, "a target", n))
			return;
		memset(&tmp, 0, sizeof(tmp));
		if (xb_target_parse(&tmp, n->val, &err))
			xb_diag(c->d, 'e', npos(c, n), "%s", xb_errmsg(&err));
		else
			add_target(c, l, n, tmp.os, tmp.arch, tmp.variant, NULL);
		xb_target_free_names(&tmp);
		return;
	}
	if (n->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', npos(c, n), "a target must be os/arch or a "
			"mapping, not %s", type_name(n));
		return;
	}
	xb_settings_init(&over);
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const xb_ynode *k = n->kid[i], *v = n->kid[i + 1];
		int id;

		if (!strcmp(k->val, "target"))
			tnode = v;
		else if (!strcmp(k->val, "os"))
			osn = v;
		else if (!strcmp(k->val, "arch"))
			archn = v;
		else if (!strcmp(k->val, "variant"))
			varn = v;
		else if ((id = setting_id(k->val)) >= 0)
			parse_setting(c, &over, id, k, v);
		else
			unknown_key(c, k, "a target", target_keys, xb_setting_names);
	}
	if (tnode && (osn || archn || varn)) {
		xb_diag(c->d, 'e', npos(c, n), "a target has either target: or "
			"os:/arch:, not both");
	} else if (tnode) {
		if (want_scalar(c, "target", tnode)) {
			memset(&tmp, 0, sizeof(tmp));
			if (xb_target_parse(&tmp, tnode->val, &err))
				xb_diag(c->d, 'e', npos(c, tnode), "%s",
					xb_errmsg(&err));
			else
				add_target(c, l, tnode, tmp.os, tmp.arch,
					   tmp.variant, &over);
			xb_target_free_names(&tmp);
		}
	} else if (osn && archn) {
		nos = matrix_values(c, osn, oses, 16);
		narch = matrix_values(c, archn, arches, 16);
		nvar = varn ? matrix_values(c, varn, vars, 16) : 0;
		for (size_t i = 0; i < nos; i++)
			for (size_t j = 0; j < narch; j++) {
				if (!nvar)
					add_target(c, l, osn, oses[i], arches[j],
						   NULL, &over);
				for (size_t v = 0; v < nvar; v++)
					add_target(c, l, osn, oses[i], arches[j],
						   vars[v], &over);
			}
	} else {
		xb_diag(c->d, 'e', npos(c, n), "a target needs target: os/arch, "
			"or os: and arch:");
	}
	xb_settings_release(&over);
}

static void parse_strlist(struct lctx *c, xb_strv *out, const char *key,
			  const xb_ynode *v)
{
	if (v->type == XB_Y_SCALAR) {
		if (want_scalar(c, key, v))
			xb_strv_push(out, v->val);
		return;
	}
	if (v->type != XB_Y_SEQ) {
		xb_diag(c->d, 'e', npos(c, v), "%s must be a list, not %s", key,
			type_name(v));
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		if (want_scalar(c, "a list item", v->kid[i]))
			xb_strv_push(out, v->kid[i]->val);
}

/* output: (key k, value v, its text val): the placeholders known, the
 * expanded value kept. */
static void parse_output(struct lctx *c, struct layer *l, const xb_ynode *k,
			 const xb_ynode *v, const char *val)
{
	char *x = expand(c, v, val);
	const char *b = x;

	xb_check_tmpl(c, v, val);
	while (x && (b = strchr(b, '{'))) {
		if (b[1] == '{') { /* a template action, checked above */
			const char *end = strstr(b + 2, "}}");
			if (!end)
				break;
			b = end + 2;
			continue;
		}
		static const char *const ph[] = { "name",
			"os", "arch", "variant", "version",
			"ext", "target", NULL };
		const char *e = strchr(b, '}');
		char w[32];
		if (!e || (size_t)(e - b) > sizeof(w)) {
			xb_diag(c->d, 'e', npos(c, v), "unclosed "
				"'{' in output");
			break;
		}
		snprintf(w, sizeof(w), "%.*s", (int)(e - b - 1), b + 1);
		if (!xb_str_in(w, ph)) {
			xb_buf pb = XB_BUF_INIT;
			xb_list_words(&pb, ph);
			xb_diag(c->d, 'e', npos(c, v), "unknown "
				"placeholder '{%s}' in output "
				"(expected %s)", w, xb_buf_str(&pb));
			xb_buf_release(&pb);
		}
		b = e + 1;
	}
	if (x) {
		l->has_output = true;
		free(l->output);
		l->output = x;
		l->output_pos = npos(c, k);
	}
}

/* A key both the top level and an item of builds: take; false when key
 * is none of them. */
static bool parse_common(struct lctx *c, struct layer *l, const xb_ynode *k,
			 const xb_ynode *v)
{
	const char *key = k->val, *val;

	if (!strcmp(key, "name")) {
		if ((val = want_scalar(c, key, v))) {
			if (!xb_valid_word(val, "_.+-"))
				xb_diag(c->d, 'e', npos(c, v), "invalid name "
					"'%s' (letters, digits, '_', '.', "
					"'+' and '-' only: it goes into file "
					"names)", val);
			l->has_name = true;
			xb_set_str(&l->name, val);
			l->name_pos = npos(c, k);
		}
	} else if (!strcmp(key, "main")) {
		l->has_main = true;
		l->main_pos = npos(c, k);
		parse_strlist(c, &l->main, key, v);
		for (size_t j = 0; j < l->main.n; j++)
			if (l->main.v[j][0] == '-')
				xb_diag(c->d, 'e', npos(c, v), "invalid "
					"package '%s'", l->main.v[j]);
	} else if (!strcmp(key, "output")) {
		if ((val = want_scalar(c, key, v)))
			parse_output(c, l, k, v, val);
	} else if (!strcmp(key, "defaults")) {
		xb_layer_settings(c, &l->defaults, v, "defaults");
	} else if (!strcmp(key, "targets")) {
		l->has_targets = true;
		if (v->type == XB_Y_SEQ) {
			for (size_t j = 0; j < v->n; j++)
				parse_target(c, l, v->kid[j]);
		} else if (!is_null(v)) {
			xb_diag(c->d, 'e', npos(c, v), "targets must be a "
				"list, not %s", type_name(v));
		}
	} else if (!strcmp(key, "ignore")) {
		l->has_ignore = true;
		l->ignore_pos = npos(c, k);
		parse_strlist(c, &l->ignore, key, v);
	} else if (!strcmp(key, "universal")) {
		if ((val = want_scalar(c, key, v))) {
			if (strcmp(val, "true") && strcmp(val, "false"))
				xb_diag(c->d, 'e', npos(c, v), "universal must be "
					"true or false, not '%s'", val);
			l->has_universal = true;
			l->universal = !strcmp(val, "true");
		}
	} else {
		return false;
	}
	return true;
}

void xb_layer_hooks(struct lctx *c, xb_strv *out, const char *key,
		    const xb_ynode *v)
{
	size_t from = out->n;

	parse_strlist(c, out, key, v);
	for (size_t i = from; i < out->n; i++) {
		const xb_ynode *n = v->type == XB_Y_SEQ && i - from < v->n ?
			v->kid[i - from] : v;

		xb_check_tmpl(c, n, out->v[i]);
		xb_check_hook_words(c, n, out->v[i]);
	}
}

/* hooks: {pre: [...], post: [...]} of an item of builds: */
static void parse_hooks(struct lctx *c, struct layer *l, const xb_ynode *v)
{
	static const char *const keys[] = { "pre", "post", NULL };

	if (v->type != XB_Y_MAP) {
		if (!is_null(v))
			xb_diag(c->d, 'e', npos(c, v), "hooks must be a mapping "
				"(pre:, post:), not %s", type_name(v));
		return;
	}
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const char *key = v->kid[i]->val;

		if (!strcmp(key, "pre"))
			xb_layer_hooks(c, &l->hooks_pre, key, v->kid[i + 1]);
		else if (!strcmp(key, "post"))
			xb_layer_hooks(c, &l->hooks_post, key, v->kid[i + 1]);
		else
			unknown_key(c, v->kid[i], "hooks", keys, NULL);
	}
}

/* before: {hooks: [...]}: commands run once before any build */
static void parse_before(struct lctx *c, struct layer *l, const xb_ynode *v)
{
	static const char *const keys[] = { "hooks", NULL };

	l->has_before = true;
	if (v->type != XB_Y_MAP) {
		if (!is_null(v))
			xb_diag(c->d, 'e', npos(c, v), "before must be a mapping "
				"(hooks:), not %s", type_name(v));
		return;
	}
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		if (!strcmp(v->kid[i]->val, "hooks"))
			xb_layer_hooks(c, &l->before, "hooks", v->kid[i + 1]);
		else
			unknown_key(c, v->kid[i], "before", keys, NULL);
	}
}

/* One item of builds: in a profile. */
static void parse_build(struct lctx *c, struct layer *b, const xb_ynode *n,
			void *arg)
{
	(void)arg;
	if (n->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', npos(c, n), "a build must be a mapping (id:, "
			"main:, targets: ...), not %s", type_name(n));
		return;
	}
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const xb_ynode *k = n->kid[i], *v = n->kid[i + 1];
		const char *val;

		if (parse_common(c, b, k, v))
			continue;
		if (!strcmp(k->val, "id")) {
			if ((val = want_scalar(c, "id", v))) {
				xb_set_str(&b->id, val);
				b->id_pos = npos(c, v);
			}
		} else if (!strcmp(k->val, "hooks")) {
			parse_hooks(c, b, v);
		} else if (setting_id(k->val) >= 0) {
			xb_diag(c->d, 'e', npos(c, k), "'%s' is a setting: put it "
				"under the build's defaults: or in a target",
				k->val);
		} else {
			unknown_key(c, k, "a build", build_keys, NULL);
		}
	}
}

void xb_layer_parse(struct lctx *c, struct layer *l, const xb_ynode *root)
{
	if (root->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', npos(c, root), "a profile must be a mapping "
			"(version: 1, targets: ...), not %s", type_name(root));
		return;
	}
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const xb_ynode *k = root->kid[i], *v = root->kid[i + 1];
		const char *key = k->val, *val;

		if (parse_common(c, l, k, v))
			continue;
		if (!strcmp(key, "version")) {
			l->has_version = true;
			l->version_pos = npos(c, k);
			if ((val = want_scalar(c, key, v))) {
				if (strcmp(val, "1"))
					xb_diag(c->d, 'e', npos(c, v), "unsupported "
						"profile version '%s' (expected 1)", val);
				else
					l->version = 1;
			}
		} else if (!strcmp(key, "extends")) {
			if ((val = want_scalar(c, key, v))) {
				xb_set_str(&l->extends, val);
				l->extends_pos = npos(c, v);
			}
		} else if (!strcmp(key, "builds")) {
			xb_layer_builds(c, l, v, parse_build, NULL);
		} else if (!strcmp(key, "before")) {
			parse_before(c, l, v);
		} else if (!strcmp(key, "archives")) {
			xb_parse_archives(c, l, v, AD_XBUILD);
		} else if (!strcmp(key, "checksum")) {
			xb_parse_checksum(c, l, v, AD_XBUILD);
		} else if (!strcmp(key, "packages")) {
			xb_layer_packages(c, &l->packages, v);
		} else if (setting_id(key) >= 0) {
			xb_diag(c->d, 'e', npos(c, k), "'%s' is a setting: put it "
				"under defaults: or in a target", key);
		} else {
			unknown_key(c, k, "the profile", xb_top_keys, NULL);
		}
	}
	if (!l->has_version)
		xb_diag(c->d, 'e', npos(c, root), "missing 'version' (add "
			"'version: 1' at the top)");
}
