/* facts.c: what the readers learn about a binary (xb_facts): its life
 * cycle, the problems the readers record, the check every reader makes of
 * a machine against Go's ports, and the JSON form of xbuild(1). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"
#include "json.h"

void xb_facts_init(xb_facts *f)
{
	memset(f, 0, sizeof(*f));
	xb_strv_init(&f->needed);
	xb_strv_init(&f->problems);
	f->stripped = XB_NA;
	f->pie = f->bind_now = f->nx_stack = f->textrel = XB_NA;
	f->stack_protector = XB_NA;
}

void xb_facts_release(xb_facts *f)
{
	free(f->path);
	free(f->abi);
	free(f->interpreter);
	xb_strv_release(&f->needed);
	free(f->rpath);
	free(f->runpath);
	free(f->soname);
	free(f->gnu_build_id);
	free(f->go_build_id);
	free(f->uuid);
	free(f->min_os);
	free(f->glibc_max);
	if (f->go) {
		xb_goinfo_release(f->go);
		free(f->go);
	}
	xb_strv_release(&f->problems);
	for (size_t i = 0; i < f->nslices; i++)
		xb_facts_release(&f->slices[i]);
	free(f->slices);
	xb_facts_init(f);
}

bool xb_facts_take_go(xb_facts *f, xb_goinfo *g, xb_code rc,
		      const xb_err *err)
{
	if (rc == XB_OK) {
		f->go = g;
		return true;
	}
	if (rc != XB_ERR_NOTFOUND)
		xb_facts_problem(f, "Go build info: %s", xb_errmsg(err));
	xb_goinfo_release(g);
	free(g);
	return false;
}

void xb_facts_problem(xb_facts *f, const char *fmt, ...)
{
	va_list ap;
	xb_buf b;

	if (f->problems.n >= 32) /* enough to say what is wrong */
		return;
	xb_buf_init(&b, 4096);
	va_start(ap, fmt);
	xb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	xb_strv_push(&f->problems, xb_buf_str(&b));
	xb_buf_release(&b);
}

bool xb_goarch_fits(const char *goarch, int bits, bool big_endian)
{
	static const struct {
		const char *arch;
		int bits;
		bool be;
	} ports[] = {
		{ "386", 32, false }, { "amd64", 64, false }, { "arm", 32, false },
		{ "arm64", 64, false }, { "loong64", 64, false },
		{ "mips", 32, true }, { "mipsle", 32, false },
		{ "mips64", 64, true }, { "mips64le", 64, false },
		{ "ppc64", 64, true }, { "ppc64le", 64, false },
		{ "riscv64", 64, false }, { "s390x", 64, true },
	};

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (!strcmp(goarch, ports[i].arch))
			return ports[i].bits == bits && ports[i].be == big_endian;
	return false;
}

/* ---- JSON -------------------------------------------------------------- */

/* (XB_JSON_KSTR writes NULL as null) */
#define kstr_or_null(j, k, v) XB_JSON_KSTR(j, k, v)

/* A yes, no or n/a (null): each a literal with its key. */
#define ktri(j, k, v)                                                 \
	do {                                                          \
		int v_ = (v);                                         \
		if (v_ == XB_NA)                                      \
			XB_JSON_KVAL(j, k, "null");                   \
		else if (v_)                                          \
			XB_JSON_KVAL(j, k, "true");                   \
		else                                                  \
			XB_JSON_KVAL(j, k, "false");                  \
	} while (0)
#define kbool(j, k, v) ktri(j, k, (v) ? 1 : 0)

static void json_mod(xb_json *j, const xb_gomod *m)
{
	xb_json_obj_begin(j);
	XB_JSON_KSTR(j, "path", m->path);
	XB_JSON_KSTR(j, "version", m->version);
	XB_JSON_KSTR(j, "sum", m->sum);
	if (m->replace)
		XB_JSON_KSTR(j, "replace", m->replace);
	xb_json_obj_end(j);
}

static void json_go(xb_json *j, const xb_goinfo *g)
{
	xb_json_obj_begin(j);
	XB_JSON_KSTR(j, "version", g->version);
	XB_JSON_KSTR(j, "path", g->path);
	XB_JSON_KEY(j, "main");
	if (g->main.path)
		json_mod(j, &g->main);
	else
		xb_json_null(j);
	XB_JSON_KEY(j, "settings");
	xb_json_obj_begin(j);
	for (size_t i = 0; i < g->settings.n; i++) {
		const char *kv = g->settings.v[i];
		/* the key ends at the first '=' (keys never hold one) */
		const char *eq = strchr(kv, '=');
		char *key = strndup(kv, eq ? (size_t)(eq - kv) : strlen(kv));

		xb_json_key(j, key ? key : "");
		free(key);
		xb_json_str(j, eq ? eq + 1 : "");
	}
	xb_json_obj_end(j);
	XB_JSON_KEY(j, "deps");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < g->ndeps; i++)
		json_mod(j, &g->deps[i]);
	xb_json_arr_end(j);
	xb_json_obj_end(j);
}

void xb_facts_json(const xb_facts *f, xb_json *j)
{
	xb_facts_json_err(f, NULL, j);
}

void xb_facts_json_err(const xb_facts *f, const xb_err *err, xb_json *j)
{
	xb_json_obj_begin(j);
	XB_JSON_KSTR(j, "path", f->path);
	kstr_or_null(j, "format", f->format);
	if (f->bits) {
		XB_JSON_KEY(j, "class");
		xb_json_int(j, f->bits);
	} else {
		XB_JSON_KVAL(j, "class", "null");
	}
	kstr_or_null(j, "endian", f->endian);
	kstr_or_null(j, "type", f->type);
	kstr_or_null(j, "arch", f->arch);
	if (f->format) {
		XB_JSON_KEY(j, "machine");
		xb_json_uint(j, f->machine);
	} else {
		XB_JSON_KVAL(j, "machine", "null");
	}
	kstr_or_null(j, "machine_name", f->machine_name);
	kstr_or_null(j, "abi", f->abi);
	kstr_or_null(j, "linkage", f->linkage);
	kstr_or_null(j, "interpreter", f->interpreter);
	XB_JSON_KEY(j, "needed");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < f->needed.n; i++)
		xb_json_str(j, f->needed.v[i]);
	xb_json_arr_end(j);
	kstr_or_null(j, "rpath", f->rpath);
	kstr_or_null(j, "runpath", f->runpath);
	kstr_or_null(j, "soname", f->soname);
	ktri(j, "stripped", f->stripped);
	kbool(j, "debug_info", f->debug_info);
	XB_JSON_KEY(j, "build_ids");
	xb_json_obj_begin(j);
	XB_JSON_KSTR(j, "gnu", f->gnu_build_id);
	XB_JSON_KSTR(j, "go", f->go_build_id);
	if (f->uuid)
		XB_JSON_KSTR(j, "uuid", f->uuid);
	xb_json_obj_end(j);
	kstr_or_null(j, "glibc_max", f->glibc_max);
	kstr_or_null(j, "min_os", f->min_os);
	kstr_or_null(j, "libc", f->libc);
	ktri(j, "pie", f->pie);
	kstr_or_null(j, "relro", f->relro);
	ktri(j, "bind_now", f->bind_now);
	ktri(j, "nx_stack", f->nx_stack);
	ktri(j, "textrel", f->textrel);
	ktri(j, "stack_protector", f->stack_protector);
	kbool(j, "ld_preload", f->ld_preload);
	if (f->debug_only)
		kbool(j, "debug_only", true);
	XB_JSON_KEY(j, "size");
	xb_json_uint(j, f->size);
	if (f->go) {
		XB_JSON_KEY(j, "go");
		json_go(j, f->go);
	} else {
		XB_JSON_KVAL(j, "go", "null");
	}
	if (f->nslices) {
		XB_JSON_KEY(j, "slices");
		xb_json_arr_begin(j);
		for (size_t i = 0; i < f->nslices; i++)
			xb_facts_json(&f->slices[i], j);
		xb_json_arr_end(j);
	}
	if (f->problems.n) {
		XB_JSON_KEY(j, "problems");
		xb_json_arr_begin(j);
		for (size_t i = 0; i < f->problems.n; i++)
			xb_json_str(j, f->problems.v[i]);
		xb_json_arr_end(j);
	}
	if (err && err->code)
		XB_JSON_KSTR(j, "error", xb_errmsg(err));
	xb_json_obj_end(j);
}
