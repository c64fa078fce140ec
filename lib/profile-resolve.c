/* profile-resolve.c: a target's settings from its layers (built-in <
 * defaults < the target's own < the command line), the command line's
 * overrides, and the conflicts between settings that no single check of
 * a value can see. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"

static const char *where(xb_pos pos, char *buf, size_t n)
{
	if (pos.line)
		snprintf(buf, n, "line %u", pos.line);
	else
		snprintf(buf, n, "%s", pos.file ? pos.file : "?");
	return buf;
}

static bool is(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

/* Where setting id was set, for a message (each check has its P and w). */
#define W(id) where(P[id], w, sizeof(w))

/* Linkage, linker, build mode and libc that cannot go together. */
static void check_link(xb_diags *d, const xb_target *t, bool cgo_off)
{
	const xb_settings *s = &t->s;
	const xb_pos *P = s->pos;
	char w[256];
	bool lib = is(s->buildmode, "c-archive") || is(s->buildmode, "c-shared") ||
		is(s->buildmode, "plugin");

	if (is(s->linkage, "static-pie") && cgo_off)
		xb_diag(d, 'e', P[XB_S_LINKAGE], "%s: linkage static-pie needs cgo, "
			"but cgo is off (%s): an external static-pie link without "
			"runtime/cgo crashes at start (set cgo: auto, or use "
			"linkage: static)", t->name, W(XB_S_CGO));
	if (is(s->linkage, "static-pie") && is(s->linker, "internal"))
		xb_diag(d, 'e', P[XB_S_LINKAGE], "%s: linkage static-pie needs the "
			"external linker, but linker is internal (%s)", t->name,
			W(XB_S_LINKER));
	if (is(s->linkage, "dynamic") && cgo_off)
		xb_diag(d, 'e', P[XB_S_LINKAGE], "%s: linkage dynamic needs cgo, "
			"but cgo is off (%s): without cgo Go links every program "
			"statically (set cgo: on or auto)", t->name, W(XB_S_CGO));
	if (is(s->linker, "external") && cgo_off)
		xb_diag(d, 'e', P[XB_S_LINKER], "%s: linker external needs cgo, "
			"but cgo is off (%s): an external static link without "
			"runtime/cgo crashes at start (set cgo: on, or linker: auto)",
			t->name, W(XB_S_CGO));
	if (s->extldflags.n && is(s->linker, "internal"))
		xb_diag(d, 'e', P[XB_S_EXTLDFLAGS], "%s: extldflags are ignored by "
			"the internal linker (linker: internal at %s; use linker: "
			"auto or external)", t->name, W(XB_S_LINKER));
	if (lib && cgo_off)
		xb_diag(d, 'e', P[XB_S_BUILDMODE], "%s: buildmode %s needs cgo, but "
			"cgo is off (%s): without runtime/cgo the library is unusable",
			t->name, s->buildmode, W(XB_S_CGO));
	if (lib && is(s->linker, "internal"))
		xb_diag(d, 'e', P[XB_S_BUILDMODE], "%s: buildmode %s needs the "
			"external linker, but linker is internal (%s)", t->name,
			s->buildmode, W(XB_S_LINKER));
	if (is(s->linkage, "static-pie") && !is(s->buildmode, "default") &&
	    !is(s->buildmode, "pie"))
		xb_diag(d, 'e', P[XB_S_LINKAGE], "%s: linkage static-pie builds a "
			"PIE executable, but buildmode is %s (%s)", t->name,
			s->buildmode, W(XB_S_BUILDMODE));
	if (is(s->linkage, "static") && is(s->buildmode, "pie"))
		xb_diag(d, 'e', P[XB_S_LINKAGE], "%s: buildmode pie (%s) with "
			"linkage static gives a plain static executable, not a PIE "
			"(use linkage: static-pie)", t->name, W(XB_S_BUILDMODE));
	if ((is(s->libc, "glibc") || is(s->libc, "musl")) && cgo_off)
		xb_diag(d, 'e', P[XB_S_LIBC], "%s: libc %s has no effect with cgo "
			"off (%s): no C library is linked", t->name, s->libc,
			W(XB_S_CGO));
}

/* Debug information, reproducibility and expectations that contradict
 * the settings. */
static void check_build(xb_diags *d, const xb_target *t)
{
	const xb_settings *s = &t->s;
	const xb_pos *P = s->pos;
	char w[256];

	if (s->strip == 1 && s->debug == 1 &&
	    (P[XB_S_STRIP].line || P[XB_S_DEBUG].line))
		xb_diag(d, 'e', P[XB_S_STRIP], "%s: strip: true removes the debug "
			"information that debug: true (%s) keeps", t->name,
			W(XB_S_DEBUG));
	if (s->reproducible == 1 && s->trimpath == 0)
		xb_diag(d, 'e', P[XB_S_TRIMPATH], "%s: reproducible: true (%s) "
			"needs trimpath: builds in different directories differ "
			"without it", t->name, W(XB_S_REPRODUCIBLE));
	if (s->expect.linkage && s->linkage && !is(s->linkage, "auto") &&
	    strcmp(s->expect.linkage, s->linkage))
		xb_diag(d, 'e', P[XB_S_EXPECT], "%s: expect.linkage %s contradicts "
			"linkage %s (%s)", t->name, s->expect.linkage, s->linkage,
			W(XB_S_LINKAGE));
	if (s->expect.go_version && s->go_version &&
	    strcmp(s->expect.go_version, s->go_version))
		xb_diag(d, 'e', P[XB_S_EXPECT], "%s: expect.go_version %s "
			"contradicts go_version %s (%s)", t->name,
			s->expect.go_version, s->go_version, W(XB_S_GO_VERSION));
	if (s->expect.stripped >= 0 && s->strip >= 0 &&
	    s->expect.stripped != s->strip)
		xb_diag(d, 'e', P[XB_S_EXPECT], "%s: expect.stripped %s contradicts "
			"strip: %s (%s)", t->name, s->expect.stripped ? "true" :
			"false", s->strip ? "true" : "false", W(XB_S_STRIP));
}

/* Settings that only a cgo build uses, set with cgo off. */
static void warn_cgo_off(xb_diags *d, const xb_target *t)
{
	static const int cgo_only[] = { XB_S_SYSROOT, XB_S_PKG_CONFIG_PATH,
					XB_S_EXTRA_LIBS };
	const xb_settings *s = &t->s;
	const xb_pos *P = s->pos;
	char w[256];

	for (size_t i = 0; i < 3; i++) {
		int id = cgo_only[i];
		if (P[id].line && (id == XB_S_EXTRA_LIBS ?
				   s->extra_libs.n > 0 : CSTR(s, id) != NULL))
			xb_diag(d, 'w', P[id], "%s: %s has no effect with "
				"cgo off (%s)", t->name, xb_sdefs[id].name,
				W(XB_S_CGO));
	}
	if (s->static_libstdcxx == 1 && P[XB_S_STATIC_LIBSTDCXX].line)
		xb_diag(d, 'w', P[XB_S_STATIC_LIBSTDCXX], "%s: "
			"static_libstdcxx has no effect with cgo off (%s)",
			t->name, W(XB_S_CGO));
}
#undef W

/* What the target's OS allows, known before anything is built. */
static void check_os(xb_diags *d, const xb_target *t)
{
	const xb_settings *s = &t->s;
	const xb_osinfo *os = xb_os_info(t->os);

	if (os && !os->format)
		xb_diag(d, 'e', t->pos, "%s: Go builds %s for %s, which xbuild's "
			"checker cannot read (it reads ELF, Mach-O and PE): xbuild "
			"builds only what it can verify (build it with go build)",
			t->name, os->what, t->os);
	else if (os && os->dynamic &&
		 (is(s->linkage, "static") || is(s->linkage, "static-pie")))
		xb_diag(d, 'e', s->pos[XB_S_LINKAGE], "%s: %s has no static "
			"executables: every program is dynamic, %s (use linkage: "
			"auto)", t->name, t->os, os->dynamic);
	else if (is(s->linkage, "static-pie") && strcmp(t->os, "linux"))
		xb_diag(d, 'e', s->pos[XB_S_LINKAGE], "%s: linkage static-pie is "
			"for linux only", t->name);
}

static void check_target(xb_diags *d, const xb_target *t)
{
	bool cgo_off = is(t->s.cgo, "off");

	check_link(d, t, cgo_off);
	check_build(d, t);
	check_os(d, t);
	if (cgo_off)
		warn_cgo_off(d, t);
}

xb_code xb_profile_resolve(xb_profile *p, xb_diags *d)
{
	xb_code rc;

	xb_settings_release(&p->defaults);
	if ((rc = xb_settings_builtin(&p->defaults)) ||
	    (rc = xb_settings_merge(&p->defaults, &p->raw_defaults)))
		return rc;
	/* ignore: matrix holes */
	for (size_t j = 0; j < p->ignore.n; j++) {
		size_t hits = 0;
		for (size_t i = 0; i < p->ntargets;) {
			if (xb_target_match(p->ignore.v[j], &p->targets[i])) {
				xb_target_release(&p->targets[i]);
				memmove(&p->targets[i], &p->targets[i + 1],
					(p->ntargets - i - 1) * sizeof(*p->targets));
				p->ntargets--;
				hits++;
			} else {
				i++;
			}
		}
		if (!hits)
			xb_diag(d, 'w', (xb_pos){ p->files.n ? p->files.v[p->files.n - 1]
						  : NULL, 0, 0 },
				"ignore pattern '%s' matches no target",
				p->ignore.v[j]);
	}
	xb_strv_release(&p->ignore);
	for (size_t i = 0; i < p->ntargets; i++) {
		xb_target *t = &p->targets[i];
		xb_settings_release(&t->s);
		if ((rc = xb_settings_merge(&t->s, &p->defaults)) ||
		    (rc = xb_settings_merge(&t->s, &t->over)) ||
		    (rc = xb_settings_merge(&t->s, &p->cli)))
			return rc;
		check_target(d, t);
		check_os(d, t);
	}
	return XB_OK;
}

xb_code xb_profile_override(xb_profile *p, const xb_settings *cli,
			    const xb_strv *targets, xb_diags *d, xb_err *err)
{
	size_t before = d->errors;
	xb_code rc;

	/* every build takes them; the top level's targets are their union */
	for (size_t i = 0; i < p->nbuilds; i++)
		if ((rc = xb_profile_override(&p->builds[i], cli, targets, d,
					      err)) && rc != XB_ERR_PROFILE)
			return rc;
	if (cli && (rc = xb_settings_merge(&p->cli, cli)))
		return xb_fail(err, rc, "out of memory");
	if (p->nbuilds) {
		if ((rc = xb_profile_union(p, d)))
			return xb_fail(err, rc, "out of memory");
	} else if (targets && targets->n) {
		xb_target *nt = calloc(targets->n, sizeof(*nt));
		size_t n = 0;

		if (!nt)
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		for (size_t i = 0; i < targets->n; i++) {
			xb_target *t = &nt[n];
			xb_err e = XB_ERR_INIT;

			xb_settings_init(&t->over);
			xb_settings_init(&t->s);
			if (xb_target_parse(t, targets->v[i], &e)) {
				xb_diag(d, 'e', (xb_pos){ "<command line>", 0, 0 },
					"--target: %s", xb_errmsg(&e));
				xb_target_release(t);
				continue;
			}
			t->pos = (xb_pos){ "<command line>", 0, 0 };
			for (size_t j = 0; j < n; j++)
				if (!strcmp(nt[j].name, t->name)) {
					xb_target_release(t);
					t = NULL;
					break;
				}
			if (!t)
				continue;
			/* a target the profile lists keeps its overrides */
			for (size_t j = 0; j < p->ntargets; j++)
				if (!strcmp(p->targets[j].name, t->name)) {
					xb_settings_merge(&t->over, &p->targets[j].over);
					t->pos = p->targets[j].pos;
				}
			n++;
		}
		for (size_t i = 0; i < p->ntargets; i++)
			xb_target_release(&p->targets[i]);
		free(p->targets);
		p->targets = nt;
		p->ntargets = n;
	}
	if (!p->nbuilds && (rc = xb_profile_resolve(p, d)))
		return xb_fail(err, rc, "out of memory");
	if (d->errors > before)
		return xb_fail(err, XB_ERR_PROFILE, "%zu error%s in the settings",
			       d->errors - before, d->errors - before == 1 ? "" : "s");
	return XB_OK;
}
