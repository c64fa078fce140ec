/* toolchain.c: `xbuild toolchain list|find|fetch|path|verify|gc`: the C
 * cross compilers cgo needs, found, proved, fetched and cached.  Both
 * programs run list, find and path here (a toolchain already in the
 * cache costs no start-up of libcurl and libarchive); the actions that
 * fetch, verify or remove are toolchain-full.c's, in xbuild-full. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "toolchain.h"


int tc_load_data(xb_tc_data *d)
{
	xb_err err = XB_ERR_INIT;

	xb_tc_data_init(d);
	if (xb_tc_data_load(d, NULL, &err)) {
		/* what was read before the error is the caller's no more */
		xb_tc_data_release(d);
		return cmd_report(&err);
	}
	return EXIT_OK;
}

static void tc_opts_from(const struct tc_args *a, xb_tc_opts *o)
{
	*o = (xb_tc_opts)XB_TC_OPTS_INIT;
	o->cc = a->cc;
	o->glibc = a->glibc;
	o->fetch = a->fetch;
	o->fetcher = cmd_fetcher;
	o->no_probe_cache = a->no_probe_cache;
	o->fetch_opts.offline = a->offline;
}

/* The Go releases a profile's go_version can use without a download:
 * installed ones, and those go already fetched into its module cache. */
static int list_go(const struct tc_args *args, xb_buf *out, xb_json *j)
{
	xb_goinst *v;
	xb_err err = XB_ERR_INIT;
	size_t n;

	if (xb_go_installed(NULL, &v, &n, &err))
		return cmd_report(&err);
	if (args->json) {
		xb_json_key(j, "go");
		xb_json_arr_begin(j);
	} else {
		xb_buf_addf(out, "\n%-12s %-7s %s\n", "GO", "KIND", "PATH");
	}
	for (size_t i = 0; i < n; i++) {
		const char *kind = v[i].cached ? "cached" : "local";

		if (args->json) {
			xb_json_obj_begin(j);
			xb_json_kstr(j, "version", v[i].version);
			xb_json_kstr(j, "path", v[i].path);
			xb_json_kstr(j, "kind", kind);
			xb_json_kbool(j, "on_path", v[i].on_path);
			xb_json_obj_end(j);
		} else {
			xb_buf_addf(out, "%-12s %-7s %s%s\n", v[i].version, kind,
				    v[i].path, v[i].on_path ? " (on PATH)" : "");
		}
	}
	if (!n && !args->json)
		xb_buf_adds(out, "-\n");
	if (args->json)
		xb_json_arr_end(j);
	xb_goinst_free(v, n);
	return EXIT_OK;
}

/* One libc of the target name: the compilers for it on PATH, and zig's
 * target when there is none. */
static void list_libc(const xb_tc_libc *l, const char *name, const char *zig,
		      bool json, xb_buf *out, xb_json *j)
{
	xb_strv found = XB_STRV_INIT;

	for (size_t n = 0; n < l->triplets.n; n++) {
		char exe[256], *p;
		snprintf(exe, sizeof(exe), "%s-gcc", l->triplets.v[n]);
		if ((p = xb_which(exe, NULL)))
			xb_strv_push(&found, p);
		free(p);
	}
	for (size_t n = 0; n < l->wrappers.n; n++) {
		char *p = xb_which(l->wrappers.v[n], NULL);
		if (p)
			xb_strv_push(&found, p);
		free(p);
	}
	if (json) {
		xb_json_obj_begin(j);
		xb_json_kstr(j, "target", name);
		xb_json_kstr(j, "libc", l->libc);
		xb_json_kstr(j, "zig", l->zig);
		xb_json_key(j, "on_path");
		xb_json_arr_begin(j);
		for (size_t n = 0; n < found.n; n++)
			xb_json_str(j, found.v[n]);
		xb_json_arr_end(j);
		xb_json_obj_end(j);
	} else {
		xb_buf_addf(out, "%-16s %-6s ", name, l->libc);
		for (size_t n = 0; n < found.n; n++)
			xb_buf_addf(out, "%s%s", n ? " " : "", found.v[n]);
		if (!found.n)
			xb_buf_addf(out, "-%s%s", l->zig && zig ? "  (zig cc -target " : "",
				    l->zig && zig ? l->zig : "");
		if (!found.n && l->zig && zig)
			xb_buf_addc(out, ')');
		xb_buf_addc(out, '\n');
	}
	xb_strv_release(&found);
}

static int do_list(const struct tc_args *args)
{
	xb_tc_data d;
	xb_buf out = XB_BUF_INIT;
	xb_json j;
	char *zig;
	int rc;

	if ((rc = tc_load_data(&d)))
		return rc;
	zig = xb_which("zig", NULL);
	xb_json_init(&j, &out, true);
	if (args->json) {
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "datadir", d.dir);
		xb_json_kstr(&j, "zig", zig);
		xb_json_key(&j, "targets");
		xb_json_arr_begin(&j);
	} else {
		xb_buf_addf(&out, "data: %s/toolchains\nzig on PATH: %s\n\n"
			    "%-16s %-6s %s\n", d.dir, zig ? zig : "(none)", "TARGET",
			    "LIBC", "ON PATH");
	}
	for (size_t i = 0; i < d.ntargets; i++) {
		const xb_tc_target *t = &d.targets[i];
		char name[64];

		snprintf(name, sizeof(name), "%s/%s%s%s", t->goos, t->goarch,
			 t->variant ? "/v" : "", t->variant ? t->variant : "");
		for (size_t k = 0; k < t->nlibcs; k++)
			list_libc(&t->libcs[k], name, zig, args->json, &out, &j);
	}
	if (args->json) {
		xb_json_arr_end(&j);
		xb_json_key(&j, "archives");
		xb_json_arr_begin(&j);
	} else {
		xb_buf_addf(&out, "\n%-12s %-5s %-12s %-10s %s\n", "ARCHIVE", "KIND",
			    "HOST", "VERSION", "CACHED");
	}
	for (size_t i = 0; i < d.narchives; i++) {
		const xb_tc_archive *a = &d.archives[i];
		char *dir = xb_fetch_installed(a, NULL);

		if (args->json) {
			xb_json_obj_begin(&j);
			xb_json_kstr(&j, "id", a->id);
			xb_json_kstr(&j, "kind", a->kind);
			xb_json_kstr(&j, "host", a->host);
			xb_json_kstr(&j, "version", a->version);
			xb_json_kstr(&j, "sha256", a->sha256);
			xb_json_kstr(&j, "path", dir);
			xb_json_obj_end(&j);
		} else {
			xb_buf_addf(&out, "%-12s %-5s %-12s %-10s %s\n", a->id, a->kind,
				    a->host, a->version ? a->version : "-",
				    dir ? dir : "no");
		}
		free(dir);
	}
	if (args->json)
		xb_json_arr_end(&j);
	rc = list_go(args, &out, &j);
	if (args->json) {
		xb_json_obj_end(&j);
		xb_json_finish(&j);
	}
	if (!rc)
		rc = cmd_write_out(&out);
	xb_buf_release(&out);
	xb_tc_data_release(&d);
	free(zig);
	return rc;
}

/* xb_target_parse names only: free them */
static void target_names_free(xb_target *t)
{
	free(t->os);
	free(t->arch);
	free(t->variant);
	free(t->name);
}

static int do_find(const struct tc_args *args, const char *target)
{
	xb_target t;
	xb_tc_opts o;
	xb_tc_result r;
	xb_err err = XB_ERR_INIT;
	xb_buf out = XB_BUF_INIT;
	xb_code code;
	int rc;

	if (args->libc && strcmp(args->libc, "glibc") && strcmp(args->libc, "musl") &&
	    strcmp(args->libc, "mingw") && strcmp(args->libc, "macos") &&
	    strcmp(args->libc, "auto"))
		return cmd_usage_error(&toolchain_help,
				       "invalid libc '%s' (expected glibc, musl, "
				       "mingw, macos, auto)", args->libc);
	memset(&t, 0, sizeof(t));
	if ((code = xb_target_parse(&t, target, &err))) {
		target_names_free(&t);
		if (code == XB_ERR_NOMEM)
			return cmd_report(&err);
		return cmd_usage_error(&toolchain_help, "%s", xb_errmsg(&err));
	}
	tc_opts_from(args, &o);
	xb_tc_result_init(&r);
	code = xb_toolchain_find(t.os, t.arch, t.variant, args->libc,
				 args->need_static, &o, &r, &err);
	target_names_free(&t);
	if (args->json) {
		xb_json j;
		xb_json_init(&j, &out, true);
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "target", target);
		xb_json_kbool(&j, "found", code == XB_OK);
		if (code)
			xb_json_kstr(&j, "error", xb_errmsg(&err));
		xb_json_kstr(&j, "cc", r.cc);
		xb_json_kstr(&j, "cxx", r.cxx);
		xb_json_kstr(&j, "kind", r.kind);
		xb_json_kstr(&j, "source", r.source);
		xb_json_kstr(&j, "libc", r.libc);
		xb_json_kstr(&j, "libc_version", r.libc_version);
		xb_json_kstr(&j, "interpreter", r.interp);
		xb_json_kstr(&j, "machine", r.machine);
		xb_json_kstr(&j, "sysroot", r.sysroot);
		xb_json_kbool(&j, "static", r.can_static);
		xb_json_kstr(&j, "id", r.id);
		xb_json_kstr(&j, "sha256", r.hash[0] ? r.hash : NULL);
		xb_json_key(&j, "rejected");
		xb_json_arr_begin(&j);
		for (size_t i = 0; i < r.nrejected; i++) {
			xb_json_obj_begin(&j);
			xb_json_kstr(&j, "cc", r.rejected[i].cc);
			xb_json_kstr(&j, "why", r.rejected[i].why);
			xb_json_obj_end(&j);
		}
		xb_json_arr_end(&j);
		xb_json_obj_end(&j);
		xb_json_finish(&j);
		rc = cmd_write_out(&out);
		if (code)
			rc = err.code == XB_ERR_USAGE ? EXIT_USAGE : EXIT_FAIL;
	} else if (code) {
		rc = cmd_report(&err);
	} else {
		xb_buf_addf(&out, "%s: %s (%s from %s, %s%s%s, %s)\n", target, r.cc,
			    r.kind, r.source, r.libc, r.libc_version ? " " : "",
			    r.libc_version ? r.libc_version : "",
			    r.can_static ? "static link ok" : "no static link");
		xb_buf_addf(&out, "  CC=%s\n", r.cc);
		if (r.cxx)
			xb_buf_addf(&out, "  CXX=%s\n", r.cxx);
		xb_buf_addf(&out, "  CGO_ENABLED=1\n");
		if (r.machine)
			xb_buf_addf(&out, "  machine: %s\n", r.machine);
		if (r.interp)
			xb_buf_addf(&out, "  interpreter: %s\n", r.interp);
		if (r.sysroot)
			xb_buf_addf(&out, "  sysroot: %s\n", r.sysroot);
		if (r.id)
			xb_buf_addf(&out, "  archive: %s\n", r.id);
		if (r.hash[0])
			xb_buf_addf(&out, "  sha256: %s\n", r.hash);
		if (r.nrejected)
			xb_buf_addf(&out, "rejected:\n");
		for (size_t i = 0; i < r.nrejected; i++)
			xb_buf_addf(&out, "  %s: %s\n", r.rejected[i].cc,
				    r.rejected[i].why);
		rc = cmd_write_out(&out);
	}
	xb_buf_release(&out);
	xb_tc_result_release(&r);
	return rc;
}

const xb_tc_archive *tc_find_archive(const xb_tc_data *d, const char *id,
				      int *rc)
{
	const xb_tc_archive *a = NULL;
	xb_err err = XB_ERR_INIT;

	if (xb_tc_pin(d, id, NULL, &a, &err)) {
		*rc = cmd_report(&err);
		return NULL;
	}
	return a;
}

const xb_tc_archive *tc_load_archive(xb_tc_data *d, const char *id, int *rc)
{
	const xb_tc_archive *a;

	if ((*rc = tc_load_data(d)))
		return NULL;
	if (!(a = tc_find_archive(d, id, rc)))
		xb_tc_data_release(d);
	return a;
}

static int do_path(const struct tc_args *args, const char *id)
{
	xb_tc_data d;
	const xb_tc_archive *a;
	char *dir;
	int rc;

	if (!(a = tc_load_archive(&d, id, &rc)))
		return rc;
	dir = xb_fetch_installed(a, NULL);
	if (!dir) {
		cmd_error("toolchain '%s' is not in the cache (run 'xbuild toolchain "
			  "fetch %s')", id, id);
		rc = EXIT_FAIL;
	} else if (args->json) {
		printf("{\"id\":\"%s\",\"path\":", a->id);
		{
			xb_buf q = XB_BUF_INIT;
			xb_json_quote(&q, dir, strlen(dir));
			printf("%s,\"bin\":", xb_buf_str(&q));
			xb_buf_reset(&q);
			xb_buf_addf(&q, "%s/%s", dir, a->bin);
			{
				xb_buf q2 = XB_BUF_INIT;
				xb_json_quote(&q2, q.data, q.len);
				printf("%s}\n", xb_buf_str(&q2));
				xb_buf_release(&q2);
			}
			xb_buf_release(&q);
		}
	} else {
		printf("%s\n", dir);
	}
	free(dir);
	xb_tc_data_release(&d);
	if (!rc && fflush(stdout))
		rc = EXIT_FAIL;
	return rc;
}

int cmd_toolchain(int argc, char **argv)
{
	struct cmd_getopt g;
	struct tc_args a;
	const char *action;
	int c, rest, full;

	memset(&a, 0, sizeof(a));
	cmd_getopt_init(&g, toolchain_help.opts);
	while ((c = cmd_getopt(argc, argv, &toolchain_help, &g)) != -1) {
		switch (c) {
		case OPT_JSON: a.json = true; break;
		case OPT_OFFLINE: a.offline = true; break;
		case OPT_LIBC: a.libc = optarg; break;
		case OPT_STATIC: a.need_static = true; break;
		case OPT_GLIBC: a.glibc = optarg; break;
		case OPT_CC: a.cc = optarg; break;
		case OPT_FETCH: a.fetch = true; break;
		case OPT_FROM: a.from = optarg; break;
		case OPT_ALL: a.all = true; break;
		case OPT_NO_PROBE_CACHE: a.no_probe_cache = true; break;
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&toolchain_help, "missing action (list, find, "
				       "fetch, path, verify, gc)");
	/* the action and its operands */
	argc -= optind;
	argv += optind;
	action = argv[0];
	rest = 1;
	if (a.glibc) {
		for (const char *p = a.glibc; *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '.'))
				return cmd_usage_error(&toolchain_help,
						       "invalid glibc version '%s' "
						       "(expected e.g. 2.17)", a.glibc);
	}
	if (!strcmp(action, "list") || !strcmp(action, "gc")) {
		if (rest != argc)
			return cmd_usage_error(&toolchain_help, "unexpected argument '%s'",
					       argv[rest]);
		return action[0] == 'l' ? do_list(&a) : cmd_toolchain_full(&a, action, 0, NULL);
	}
	if (!strcmp(action, "verify"))
		return cmd_toolchain_full(&a, action, argc - rest, argv + rest);
	if (!strcmp(action, "find") || !strcmp(action, "fetch") ||
	    !strcmp(action, "path")) {
		if (rest + 1 != argc)
			return cmd_usage_error(&toolchain_help, "'%s' takes one %s",
					       action, action[1] == 'i' && action[2] == 'n'
							       ? "TARGET" : "ID");
		/* a find that may download is the complete program's too */
		if (!strcmp(action, "find") && a.fetch &&
		    (full = cmd_need_full("xbuild toolchain find --fetch")))
			return full;
		if (!strcmp(action, "find"))
			return do_find(&a, argv[rest]);
		if (!strcmp(action, "fetch"))
			return cmd_toolchain_full(&a, action, 1, argv + rest);
		return do_path(&a, argv[rest]);
	}
	return cmd_usage_error(&toolchain_help,
			       "unknown action '%s' (expected list, find, fetch, "
			       "path, verify, gc)", action);
}
