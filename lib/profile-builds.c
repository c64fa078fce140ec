/* profile-builds.c: several builds in one profile (builds:).  Each item is
 * read into a layer of its own (profile-layer.c for a profile,
 * profile-goreleaser.c for a GoReleaser file) and made into a whole
 * profile of one build: the top level's keys with the item's over them,
 * resolved as a profile is.  The top level's targets become the union of
 * the builds', for what asks about the run as a whole (the matrix and its
 * shards, the Go release, the toolchains). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"

#define MAX_BUILDS 64

size_t xb_profile_nbuilds(const xb_profile *p)
{
	return p->nbuilds ? p->nbuilds : 1;
}

const xb_profile *xb_profile_build(const xb_profile *p, size_t i)
{
	return p->nbuilds ? &p->builds[i < p->nbuilds ? i : 0] : p;
}

void xb_layer_builds(struct lctx *c, struct layer *l, const xb_ynode *v,
		     void (*parse_item)(struct lctx *, struct layer *,
					const xb_ynode *, void *), void *arg)
{
	xb_pos at = { c->file, v->line, v->col };

	l->has_builds = true;
	if (v->type != XB_Y_SEQ) {
		xb_diag(c->d, 'e', at, "builds must be a list of builds");
		return;
	}
	if (v->n > MAX_BUILDS) {
		xb_diag(c->d, 'e', at, "too many builds (%zu; at most %d)", v->n,
			MAX_BUILDS);
		return;
	}
	for (size_t i = 0; i < l->nbuilds; i++)
		xb_layer_release(&l->builds[i]);
	free(l->builds);
	l->nbuilds = 0;
	l->builds = calloc(v->n ? v->n : 1, sizeof(*l->builds));
	if (!l->builds) {
		xb_diag(c->d, 'e', at, "builds: out of memory");
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		struct layer *b = &l->builds[l->nbuilds++];

		xb_layer_init(b);
		parse_item(c, b, v->kid[i], arg);
		if (!b->id_pos.line)
			b->id_pos = (xb_pos){ c->file, v->kid[i]->line,
					      v->kid[i]->col };
	}
}


/* The quoting of a hook's command line, its template actions aside. */
void xb_check_hook_words(struct lctx *c, const xb_ynode *n, const char *text)
{
	xb_buf b = XB_BUF_INIT;
	xb_strv words = XB_STRV_INIT;
	const char *why = NULL, *end;
	xb_pos at = { c->file, n->line, n->col };

	for (const char *p = text; *p;) {
		if (p[0] == '{' && p[1] == '{' && (end = strstr(p + 2, "}}"))) {
			xb_buf_addc(&b, 'x');
			p = end + 2;
		} else {
			xb_buf_addc(&b, *p++);
		}
	}
	if (!xb_buf_failed(&b) &&
	    !xb_strv_split_words(&words, xb_buf_str(&b), &why) && why)
		xb_diag(c->d, 'e', at, "hook '%s': %s", text, why);
	else if (!why && !words.n && !xb_buf_failed(&b))
		xb_diag(c->d, 'e', at, "empty hook");
	xb_strv_release(&words);
	xb_buf_release(&b);
}

/* dst: src's names and place, with src's own settings (resolved: its
 * resolved ones). */
static xb_code target_copy(xb_target *dst, const xb_target *src, bool resolved)
{
	xb_err err = XB_ERR_INIT;
	xb_code rc;

	memset(dst, 0, sizeof(*dst));
	xb_settings_init(&dst->over);
	xb_settings_init(&dst->s);
	dst->pos = src->pos;
	dst->optional = src->optional;
	if ((rc = xb_target_set(dst, src->os, src->arch, src->variant, &err)))
		return rc;
	return xb_settings_merge(&dst->over, resolved ? &src->s : &src->over);
}

static xb_code targets_push(xb_profile *p, const xb_target *t, bool resolved)
{
	xb_target *a = realloc(p->targets, (p->ntargets + 1) * sizeof(*a));

	if (!a)
		return XB_ERR_NOMEM;
	p->targets = a;
	if (target_copy(&a[p->ntargets], t, resolved)) {
		xb_target_release(&a[p->ntargets]);
		return XB_ERR_NOMEM;
	}
	p->ntargets++;
	return XB_OK;
}

/* The top level's keys under b, then the item's. */
static xb_code build_base(xb_profile *b, const xb_profile *top)
{
	xb_code rc = XB_OK;

	b->version = top->version;
	b->universal = top->universal;
	b->name_pos = top->name_pos;
	b->main_pos = top->main_pos;
	b->output_pos = top->output_pos;
	if ((top->name && !(b->name = strdup(top->name))) ||
	    (top->output && !(b->output = strdup(top->output))))
		return XB_ERR_NOMEM;
	xb_strv_pushsv(&b->main, &top->main);
	xb_strv_pushsv(&b->ignore, &top->ignore);
	if ((rc = xb_strv_failed(&b->main)) || (rc = xb_strv_failed(&b->ignore)) ||
	    (rc = xb_settings_merge(&b->raw_defaults, &top->raw_defaults)))
		return rc;
	for (size_t i = 0; i < top->ntargets && !rc; i++)
		rc = targets_push(b, &top->targets[i], false);
	return rc;
}

/* The id of build i: as written, else its name, else "build-N". */
static xb_code build_id(xb_profile *b, const struct layer *l, size_t i)
{
	char dflt[32];

	snprintf(dflt, sizeof(dflt), "build-%zu", i + 1);
	b->id = strdup(l->id ? l->id : b->name ? b->name : dflt);
	return b->id ? XB_OK : XB_ERR_NOMEM;
}

/* Build i from the top level and its layer (whose targets it takes). */
static xb_code build_one(xb_profile *top, xb_profile *b, struct layer *l,
			 size_t i, xb_diags *d)
{
	xb_code rc;

	xb_profile_init(b);
	if ((rc = build_base(b, top)))
		return rc;
	xb_layer_apply(b, l);
	if ((rc = build_id(b, l, i)))
		return rc;
	for (size_t j = 0; j < i; j++)
		if (!strcmp(top->builds[j].id, b->id))
			xb_diag(d, 'e', l->id_pos, "build id '%s' is used twice "
				"(give each build its own id:)", b->id);
	if (!xb_valid_word(b->id, "_.-"))
		xb_diag(d, 'e', l->id_pos, "invalid build id '%s' (letters, "
			"digits, '_', '.' and '-' only)", b->id);
	xb_strv_pushsv(&b->hooks_pre, &l->hooks_pre);
	xb_strv_pushsv(&b->hooks_post, &l->hooks_post);
	if (!b->output && !(b->output = strdup(XB_DEFAULT_OUTPUT)))
		return XB_ERR_NOMEM;
	if ((rc = xb_strv_failed(&b->hooks_pre)) ||
	    (rc = xb_strv_failed(&b->hooks_post)) ||
	    (rc = xb_strv_failed(&b->main)) || (rc = xb_strv_failed(&b->ignore)))
		return rc;
	return xb_profile_resolve(b, d);
}

xb_code xb_profile_builds(xb_profile *p, struct layer *builds, size_t n,
			  xb_diags *d)
{
	xb_code rc = XB_OK;

	if (n == 0)
		return XB_OK;
	if (!(p->builds = calloc(n, sizeof(*p->builds))))
		return XB_ERR_NOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		rc = build_one(p, &p->builds[i], &builds[i], i, d);
		p->nbuilds = i + 1;
	}
	return rc;
}

xb_code xb_profile_union(xb_profile *p, xb_diags *d)
{
	xb_code rc = XB_OK;

	if (!p->nbuilds)
		return XB_OK;
	for (size_t i = 0; i < p->ntargets; i++)
		xb_target_release(&p->targets[i]);
	free(p->targets);
	p->targets = NULL;
	p->ntargets = 0;
	for (size_t i = 0; i < p->nbuilds && !rc; i++) {
		const xb_profile *b = &p->builds[i];

		for (size_t k = 0; k < b->ntargets && !rc; k++) {
			bool have = false;

			for (size_t j = 0; j < p->ntargets && !have; j++)
				have = !strcmp(p->targets[j].name,
					       b->targets[k].name);
			if (!have)
				rc = targets_push(p, &b->targets[k], true);
		}
	}
	return rc ? rc : xb_profile_resolve(p, d);
}
