/* env.c: `xbuild env --target T [options] [PKG]`: the variables a shell or
 * a Makefile needs to build for one target, Go or plain C: what the plan
 * decides (GOOS, GOARCH, CGO_ENABLED, flags) and a C compiler for the
 * target from the toolchain manager, even when the Go build needs none. */
#include <stdlib.h>
#include <string.h>

#include "buildopt.h"

enum { OPT_FORMAT = 256 };

static const struct cmd_opt env_opts[] = {
	BUILD_OPTS,
	{ "format", OPT_FORMAT, required_argument, "shell|make|json",
	  "output form (default shell)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help env_help = {
	"env", "--target OS/ARCH[/VARIANT] [options] [PKG]",
	"print the variables a shell or Makefile needs to build for one target",
	env_opts,
	"  eval \"$(xbuild env --target linux/arm64 --static)\" && make\n\n"
	"Go: GOOS, GOARCH, CGO_ENABLED, GOFLAGS and the rest of the plan's\n"
	"environment; XBUILD_LDFLAGS, XBUILD_TAGS, XBUILD_BUILDFLAGS.  C: CC,\n"
	"CXX, CFLAGS, CXXFLAGS, LDFLAGS (-static when asked) and SYSROOT, from\n"
	"the toolchain manager (found, proved, or fetched).  Without PKG, a\n"
	"profile main or Go files here, the target is described alone.\n",
};

struct env_ctx {
	const char *format;
};

static int env_option(int key, const char *arg, void *ctx)
{
	static struct cmd_once once;

	if (key != OPT_FORMAT)
		return 0;
	cmd_once(&env_help, &once, "--format", arg);
	((struct env_ctx *)ctx)->format = arg;
	return 1;
}

static void oom(void)
{
	cmd_error("out of memory");
	exit(EXIT_FAIL);
}

static void set(xb_strv *v, const char *k, const char *val)
{
	if (xb_strv_setenv(v, k, val ? val : ""))
		oom();
}

/* KEY=VALUE's key; caller frees. */
static char *key_of(const char *kv)
{
	char *k = strndup(kv, (size_t)(strchr(kv, '=') - kv));

	if (!k)
		oom();
	return k;
}

/* The C compiler for the plan's target: the plan's own when it has one,
 * else the toolchain manager's, asked with the same preference, sysroot,
 * C library and linkage.  *from says which; 1 when there is none. */
static int find_cc(const struct build_session *s, const xb_plan *pl,
		   xb_plan_cc *cc, const char **from, xb_err *err)
{
	static xb_tc_opts tc = XB_TC_OPTS_INIT;
	const xb_settings *st = &s->profile.targets[0].s;
	const char *linkage = st->linkage ? st->linkage : "auto";
	const char *libc = st->libc && (!strcmp(st->libc, "glibc") ||
		!strcmp(st->libc, "musl")) ? st->libc : NULL;

	if (pl->has_cc) {
		*from = "plan";
		return 0;
	}
	*from = "toolchain";
	cc->prefer = (const char *const *)st->toolchain.v;
	cc->fetch = st->fetch == 1;
	tc.fetcher = cmd_fetcher;
	cc->sysroot = st->sysroot;
	cc->want_static_pie = !strcmp(linkage, "static-pie");
	cc->want_static = cc->want_static_pie || !strcmp(linkage, "static");
	return xb_cc_lookup_toolchain(&tc, pl->goos, pl->goarch, pl->variant,
				      libc, cc, err) ? 1 : 0;
}

/* Every variable, in output order, as KEY=VALUE. */
static void collect(const struct build_session *s, const xb_plan *pl,
		    const xb_plan_cc *cc, xb_strv *v)
{
	const xb_settings *st = &s->profile.targets[0].s;
	const char *linkage = st->linkage ? st->linkage : "auto";
	xb_buf goflags = XB_BUF_INIT, all = XB_BUF_INIT, tags = XB_BUF_INIT;
	xb_buf cflags = XB_BUF_INIT, ldflags = XB_BUF_INIT;
	const char *ld = "", *cgo_cflags;
	size_t n = pl->argv.n;

	/* go build -o OUTPUT FLAGS... PKG: the flags alone.  GOFLAGS cannot
	 * quote (Go splits it at spaces), so it takes the one-word flags
	 * and leaves -ldflags and -gcflags to XBUILD_BUILDFLAGS. */
	for (size_t i = 4; n > 5 && i < n - 1; i++) {
		const char *a = pl->argv.v[i];
		if (!strncmp(a, "-ldflags=", 9))
			ld = a + 9;
		if (strncmp(a, "-ldflags=", 9) && strncmp(a, "-gcflags=", 9) &&
		    !strpbrk(a, " \t\n"))
			xb_buf_addf(&goflags, "%s%s", goflags.len ? " " : "", a);
		if (all.len)
			xb_buf_addc(&all, ' ');
		xb_shell_quote(&all, a);
	}
	for (size_t i = 0; i < pl->tags.n; i++)
		xb_buf_addf(&tags, "%s%s", i ? "," : "", pl->tags.v[i]);
	/* built without a check each: none goes out with a piece missing */
	if (xb_buf_failed(&goflags) || xb_buf_failed(&all) || xb_buf_failed(&tags))
		oom();

	set(v, "XBUILD_TARGET", pl->target);
	for (size_t i = 0; i < pl->env.n; i++) {
		const char *kv = pl->env.v[i], *eq = strchr(kv, '=');
		char *k = key_of(kv);
		set(v, k, strcmp(k, "GOFLAGS") ? eq + 1 : xb_buf_str(&goflags));
		free(k);
	}
	if (!xb_strv_getenv(v, "GOFLAGS"))
		set(v, "GOFLAGS", xb_buf_str(&goflags));

	if (cc) {
		for (size_t i = 0; i < cc->env.n; i++) {
			char *k = key_of(cc->env.v[i]);
			set(v, k, strchr(cc->env.v[i], '=') + 1);
			free(k);
		}
		set(v, "CC", cc->cc);
		set(v, "CXX", cc->cxx);
		/* the flags cgo compiles with, for the project's own C */
		cgo_cflags = xb_strv_getenv(&pl->env, "CGO_CFLAGS");
		if (cgo_cflags) {
			xb_buf_adds(&cflags, cgo_cflags);
		} else {
			xb_buf_adds(&cflags, "-O2 -g");
			if (cc->cflags)
				xb_buf_addf(&cflags, " %s", cc->cflags);
			if (st->sysroot)
				xb_buf_addf(&cflags, " --sysroot=%s", st->sysroot);
		}
		if (!strcmp(linkage, "static-pie")) {
			xb_buf_adds(&cflags, " -fPIE");
			xb_buf_adds(&ldflags, "-static-pie");
		} else if (!strcmp(linkage, "static")) {
			xb_buf_adds(&ldflags, "-static");
		}
		if (st->sysroot)
			xb_buf_addf(&ldflags, "%s--sysroot=%s",
				    ldflags.len ? " " : "", st->sysroot);
		if (xb_buf_failed(&cflags) || xb_buf_failed(&ldflags))
			oom();
		set(v, "CFLAGS", xb_buf_str(&cflags));
		set(v, "CXXFLAGS", xb_buf_str(&cflags));
		set(v, "LDFLAGS", xb_buf_str(&ldflags));
		set(v, "SYSROOT", st->sysroot ? st->sysroot : cc->libc_sysroot);
	}
	set(v, "XBUILD_LINKAGE", pl->linkage);
	set(v, "XBUILD_LIBC", cc ? cc->libc : NULL);
	set(v, "XBUILD_TAGS", xb_buf_str(&tags));
	set(v, "XBUILD_LDFLAGS", ld);
	set(v, "XBUILD_BUILDFLAGS", xb_buf_str(&all));
	if (!s->no_pkg)
		set(v, "XBUILD_OUTPUT", pl->output);
	xb_buf_release(&goflags);
	xb_buf_release(&all);
	xb_buf_release(&tags);
	xb_buf_release(&cflags);
	xb_buf_release(&ldflags);
}

/* `export K := V`: make expands := values once, so '$' is written '$$';
 * '#' would start a comment.  A newline or a final backslash cannot be
 * written on one line. */
static int make_line(xb_buf *out, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t len = strlen(eq + 1);

	if (strchr(eq + 1, '\n') || (len && eq[len] == '\\')) {
		cmd_error("%.*s: value cannot be written for make (a newline or "
			  "a final backslash)", (int)(eq - kv), kv);
		return 1;
	}
	xb_buf_addf(out, "export %.*s :=", (int)(eq - kv), kv);
	if (len)
		xb_buf_addc(out, ' ');
	for (const char *p = eq + 1; *p; p++)
		xb_buf_adds(out, *p == '$' ? "$$" : *p == '#' ? "\\#" :
			    (char[2]){ *p, 0 });
	xb_buf_addc(out, '\n');
	return 0;
}

static void json_out(xb_buf *out, const struct build_session *s,
		     const xb_plan *pl, const xb_plan_cc *cc, const char *from,
		     const xb_strv *v)
{
	xb_json j;

	xb_json_init(&j, out, true);
	xb_json_obj_begin(&j);
	xb_json_kstr(&j, "target", pl->target);
	xb_json_kstr(&j, "package", s->no_pkg ? NULL : pl->pkg);
	xb_json_key(&j, "toolchain");
	if (cc) {
		const xb_settings *st = &s->profile.targets[0].s;
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "cc", cc->cc);
		xb_json_kstr(&j, "cxx", cc->cxx);
		xb_json_kstr(&j, "kind", cc->kind);
		xb_json_kstr(&j, "libc", cc->libc);
		xb_json_kstr(&j, "triplet", cc->triplet);
		xb_json_kstr(&j, "sysroot", st->sysroot ? st->sysroot :
			     cc->libc_sysroot);
		xb_json_kstr(&j, "from", from);
		xb_json_obj_end(&j);
	} else {
		xb_json_null(&j);
	}
	xb_json_key(&j, "vars");
	xb_json_obj_begin(&j);
	for (size_t i = 0; i < v->n; i++) {
		char *k = key_of(v->v[i]);
		xb_json_kstr(&j, k, strchr(v->v[i], '=') + 1);
		free(k);
	}
	xb_json_obj_end(&j);
	xb_json_obj_end(&j);
	xb_json_finish(&j);
}

int cmd_env(int argc, char **argv)
{
	struct build_opts bo;
	struct build_session s;
	struct env_ctx ctx = { "shell" };
	xb_plan_opts po = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	xb_strv pkgs = XB_STRV_INIT, vars = XB_STRV_INIT;
	xb_buf out = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	xb_plan_cc own;
	const xb_plan_cc *cc = NULL;
	const char *from = NULL;
	const xb_plan *pl;
	int status;

	build_opts_init(&bo);
	build_session_init(&s);
	xb_plan_cc_init(&own);
	build_parse(argc, argv, env_opts, &env_help, &bo, &pkgs, env_option,
		    &ctx);
	if (strcmp(ctx.format, "shell") && strcmp(ctx.format, "make") &&
	    strcmp(ctx.format, "json")) {
		status = cmd_usage_error(&env_help, "invalid --format '%s' "
					 "(expected shell, make or json)",
					 ctx.format);
		goto done;
	}
	if (pkgs.n > 1) {
		status = cmd_usage_error(&env_help, "too many arguments (one PKG)");
		goto done;
	}
	if (bo.targets.n > 1) {
		status = cmd_usage_error(&env_help, "one target at a time (got %zu)",
					 bo.targets.n);
		goto done;
	}
	s.quiet = build_under_make();
	s.allow_no_pkg = true;
	if ((status = build_session_plan(&s, &bo, &pkgs, &po)))
		goto done;
	if (s.nplans != 1) {
		status = cmd_usage_error(&env_help, "the profile has %zu targets: "
					 "choose one with --target",
					 s.profile.ntargets);
		goto done;
	}
	pl = &s.plans[0];
	/* Without a package the errors are about how Go would build a
	 * program that is not there (static-pie needs runtime/cgo before Go
	 * 1.21): a C project can use the target anyway, once the plan got
	 * as far as the environment. */
	if (pl->errors.n && s.no_pkg && xb_strv_getenv(&pl->env, "GOOS")) {
		for (size_t e = 0; e < pl->errors.n && !s.quiet; e++)
			cmd_warn("%s: a Go program would fail: %s", pl->target,
				 pl->errors.v[e]);
	} else if (pl->errors.n) {
		for (size_t e = 0; e < pl->errors.n && s.no_pkg; e++)
			cmd_error("%s: %s", pl->target, pl->errors.v[e]);
		status = EXIT_FAIL; /* the session printed the others */
		goto done;
	}
	if (!find_cc(&s, pl, &own, &from, &err)) {
		cc = pl->has_cc ? &pl->cc : &own;
	} else if (s.no_pkg) {
		/* describing a target for C: a compiler is the point */
		status = cmd_report(&err);
		goto done;
	} else if (!s.quiet) {
		cmd_warn("%s: no C compiler (the Go build needs none): %s",
			 pl->target, xb_errmsg(&err));
	}

	collect(&s, pl, cc, &vars);
	if (!strcmp(ctx.format, "json")) {
		json_out(&out, &s, pl, cc, from, &vars);
	} else {
		for (size_t i = 0; i < vars.n; i++) {
			const char *kv = vars.v[i], *eq = strchr(kv, '=');
			if (!strcmp(ctx.format, "make")) {
				if (make_line(&out, kv)) {
					status = EXIT_FAIL;
					goto done;
				}
				continue;
			}
			xb_buf_addf(&out, "export %.*s=", (int)(eq - kv), kv);
			xb_shell_quote(&out, eq + 1);
			xb_buf_addc(&out, '\n');
		}
	}
	status = cmd_write_out(&out);
done:
	xb_buf_release(&out);
	xb_strv_release(&pkgs);
	xb_strv_release(&vars);
	xb_plan_cc_release(&own);
	build_session_release(&s);
	build_opts_release(&bo);
	return status;
}
