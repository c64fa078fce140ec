/* verify.c: an artifact's facts against what was asked of it.  Every
 * violation is one line a person reads without a manual. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"

static const char *or_unknown(const char *s)
{
	return s ? s : "unknown";
}

/* "interpreter /lib/ld-linux-aarch64.so.1, needs libc.so.6, libm.so.6" */
static void why_linkage(const xb_facts *f, xb_buf *b)
{
	if (f->interpreter)
		xb_buf_addf(b, "interpreter %s", f->interpreter);
	if (f->needed.n) {
		xb_buf_adds(b, b->len ? ", needs " : "needs ");
		for (size_t i = 0; i < f->needed.n; i++)
			xb_buf_addf(b, "%s%s", i ? ", " : "", f->needed.v[i]);
	}
	if (!b->len && f->linkage && !strcmp(f->linkage, "static-pie"))
		xb_buf_adds(b, "a dynamic section but no interpreter");
	if (!b->len && f->linkage && !strcmp(f->linkage, "static"))
		xb_buf_adds(b, "no interpreter and no needed library");
}

static xb_code one(const xb_facts *f, const xb_expect *e, const char *pre,
		   bool check_arch, xb_strv *out)
{
	xb_code rc = XB_OK;

#define V(...) do { if (!rc) rc = xb_strv_pushf(out, __VA_ARGS__); } while (0)
	if (e->format) {
		const char *fmt = f->format && !strcmp(f->format, "macho-fat") ? "macho" : f->format;

		if (!fmt || strcmp(fmt, e->format))
			V("%sexpected format %s, got %s", pre, e->format, or_unknown(f->format));
	}
	if (check_arch && e->arch && (!f->arch || strcmp(f->arch, e->arch)))
		V("%sexpected arch %s, got %s%s%s%s", pre, e->arch, or_unknown(f->arch),
		  f->machine_name ? " (" : "", f->machine_name ? f->machine_name : "",
		  f->machine_name ? ")" : "");
	if (e->linkage && (!f->linkage || strcmp(f->linkage, e->linkage))) {
		xb_buf why;

		xb_buf_init(&why, 1 << 16);
		why_linkage(f, &why);
		V("%sexpected %s, got %s%s%s", pre, e->linkage, or_unknown(f->linkage),
		  why.len ? ": " : "", xb_buf_str(&why));
		xb_buf_release(&why);
	}
	if (e->libc && (!f->libc || strcmp(f->libc, e->libc)))
		V("%sexpected libc %s, got %s", pre, e->libc, or_unknown(f->libc));
	if (e->interpreter && (!f->interpreter || strcmp(f->interpreter, e->interpreter)))
		V("%sexpected interpreter %s, got %s", pre, e->interpreter,
		  f->interpreter ? f->interpreter : "none");
	if (e->max_glibc && f->glibc_max && xb_version_cmp(f->glibc_max, e->max_glibc) > 0)
		V("%sexpected glibc %s or older, needs GLIBC_%s", pre, e->max_glibc, f->glibc_max);
	if (e->needed_set) {
		xb_buf allowed;

		xb_buf_init(&allowed, 1 << 16);
		for (size_t i = 0; i < e->needed.n; i++)
			xb_buf_addf(&allowed, "%s%s", i ? ", " : "", e->needed.v[i]);
		for (size_t i = 0; i < f->needed.n; i++)
			if (!xb_strv_contains(&e->needed, f->needed.v[i]))
				V("%sneeds %s, which is not allowed (allowed: %s)", pre,
				  f->needed.v[i], e->needed.n ? xb_buf_str(&allowed) : "none");
		xb_buf_release(&allowed);
	}
	if (e->stripped >= 0 && f->stripped != e->stripped)
		V("%sexpected %s, got %s", pre, e->stripped ? "stripped" : "not stripped",
		  f->stripped == XB_NA ? "unknown (no section headers)"
		  : f->stripped ? "stripped" : f->debug_info ? "symbols and debug info"
		  : "a symbol table");
	if (e->pie >= 0 && f->pie != e->pie)
		V("%sexpected %s, got %s", pre, e->pie ? "PIE" : "not PIE",
		  f->pie == XB_NA ? "not applicable" : f->pie ? "PIE" : "not PIE");
	if (e->relro && (!f->relro || strcmp(f->relro, e->relro)))
		V("%sexpected relro %s, got %s", pre, e->relro,
		  f->relro ? f->relro : "not applicable (Go's internal linker)");
	if (e->go_version) {
		const char *got = f->go ? f->go->version : NULL;
		size_t n = strlen(e->go_version);

		/* go appends " X:exp,..." when built with GOEXPERIMENT: the
		 * release is still the one asked for */
		if (!f->go)
			V("%sexpected Go %s, got no Go build info", pre, e->go_version);
		else if (!got || strncmp(got, e->go_version, n) ||
			 (got[n] && got[n] != ' '))
			V("%sexpected Go %s, built by %s", pre, e->go_version,
			  or_unknown(got));
	}
	for (size_t i = 0; i < e->go_settings.n; i++) {
		const char *kv = e->go_settings.v[i];
		const char *eq = strchr(kv + (kv[0] == '-'), '=');
		char key[256];
		const char *got;

		if (!eq || (size_t)(eq - kv) >= sizeof(key))
			continue;
		memcpy(key, kv, (size_t)(eq - kv));
		key[eq - kv] = '\0';
		if (!f->go) {
			V("%sexpected Go build setting %s, got no Go build info", pre, kv);
			continue;
		}
		got = xb_goinfo_setting(f->go, key);
		if (!got)
			V("%sexpected Go build setting %s, not recorded", pre, kv);
		else if (strcmp(got, eq + 1))
			V("%sexpected Go build setting %s, got %s=%s", pre, kv, key, got);
	}
#undef V
	return rc;
}

xb_code xb_verify(const xb_facts *f, const xb_expect *e, xb_strv *violations)
{
	size_t before = violations->n;
	xb_code rc = XB_OK;

	if (!f->nslices) {
		rc = one(f, e, "", true, violations);
	} else {
		bool have_arch = !e->arch;

		for (size_t i = 0; i < f->nslices && !rc; i++) {
			const xb_facts *s = &f->slices[i];
			char pre[64];

			snprintf(pre, sizeof(pre), "slice %s: ",
				 s->arch ? s->arch : s->machine_name ? s->machine_name : "?");
			if (e->arch && s->arch && !strcmp(s->arch, e->arch))
				have_arch = true;
			rc = one(s, e, pre, false, violations);
		}
		if (!rc && !have_arch)
			rc = xb_strv_pushf(violations, "expected a slice for arch %s, got none", e->arch);
	}
	if (rc)
		return rc;
	return violations->n > before ? XB_ERR_EXPECT : XB_OK;
}
