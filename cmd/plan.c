/* plan.c: `xbuild plan [options] [PKG]`: show, for every target, the
 * environment, the go build command, the C toolchain and the expectation
 * xbuild would use, and why. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buildopt.h"

enum { OPT_FORMAT = 256 };

static const struct cmd_opt plan_opts[] = {
	BUILD_OPTS,
	{ "format", OPT_FORMAT, required_argument, "text|shell|make|json",
	  "output form (default text)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help plan_help = {
	"plan", "[options] [PKG]",
	"show the environment, command and expectation of every target, and why",
	plan_opts,
	"PKG defaults to the profile's main, else \".\".  --format shell prints\n"
	"one runnable `env -i ... go build ...` line per target.  The Go release\n"
	"is part of the plan: go_version (--set go_version=1.27.3), else a newer\n"
	"one go.mod's toolchain line names, else the local go; its reason says\n"
	"which and why.  Exit 0 when every target can be built, 1 when one\n"
	"cannot, 2 for usage or profile errors.\n",
};

static void expect_text(xb_buf *b, const xb_expect *e)
{
	const char *const kv[] = { "format", e->format, "arch", e->arch,
		"linkage", e->linkage, "libc", e->libc, "interpreter",
		e->interpreter, "max-glibc", e->max_glibc, "relro", e->relro };
	size_t start = b->len;

	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i += 2)
		if (kv[i + 1])
			xb_buf_addf(b, "%s%s=%s", b->len > start ? "," : "", kv[i],
				    kv[i + 1]);
	if (e->stripped >= 0)
		xb_buf_addf(b, ",stripped=%s", e->stripped ? "true" : "false");
	if (e->pie >= 0)
		xb_buf_addf(b, ",pie=%s", e->pie ? "true" : "false");
	if (e->needed_set) {
		xb_buf_adds(b, ",needed=");
		for (size_t i = 0; i < e->needed.n; i++)
			xb_buf_addf(b, "%s%s", i ? ":" : "", e->needed.v[i]);
	}
	if (e->go_version)
		xb_buf_addf(b, ",go-version=%s", e->go_version);
	for (size_t i = 0; i < e->go_settings.n; i++)
		xb_buf_addf(b, ",go:%s", e->go_settings.v[i]);
}

static void print_text(xb_buf *out, const xb_plan *pl)
{
	xb_buf_addf(out, "%s%s%s: %s -> %s\n", pl->target,
		    pl->build_id ? " build " : "",
		    pl->build_id ? pl->build_id : "", pl->pkg,
		    pl->output ? pl->output : "(none)");
	if (pl->argv.n) {
		xb_buf_adds(out, "  env:     ");
		for (size_t i = 0; i < pl->env.n; i++) {
			if (i)
				xb_buf_addc(out, ' ');
			xb_shell_quote(out, pl->env.v[i]);
		}
		xb_buf_adds(out, "\n  command:");
		for (size_t i = 0; i < pl->argv.n; i++) {
			xb_buf_addc(out, ' ');
			xb_shell_quote(out, pl->argv.v[i]);
		}
		xb_buf_adds(out, "\n  expect:  ");
		expect_text(out, &pl->expect);
		xb_buf_adds(out, "\n");
	}
	if (pl->reasons.n)
		xb_buf_adds(out, "  reasons:\n");
	for (size_t i = 0; i < pl->reasons.n; i++)
		xb_buf_addf(out, "    %s\n", pl->reasons.v[i]);
	if (pl->golist_note)
		xb_buf_addf(out, "  %s\n", pl->golist_note);
	if (pl->warnings.n)
		xb_buf_adds(out, "  warnings:\n");
	for (size_t i = 0; i < pl->warnings.n; i++)
		xb_buf_addf(out, "    %s\n", pl->warnings.v[i]);
	if (pl->errors.n)
		xb_buf_adds(out, "  errors:\n");
	for (size_t i = 0; i < pl->errors.n; i++)
		xb_buf_addf(out, "    %s\n", pl->errors.v[i]);
}

/* Another plan of pl's build is for its target (a main of several
 * packages): the prefix then names the package. */
static bool shares_target(const xb_plan *plans, size_t n, const xb_plan *pl)
{
	for (size_t i = 0; i < n; i++)
		if (&plans[i] != pl && !strcmp(plans[i].target, pl->target) &&
		    ((!plans[i].build_id && !pl->build_id) ||
		     (plans[i].build_id && pl->build_id &&
		      !strcmp(plans[i].build_id, pl->build_id))))
			return true;
	return false;
}

/* LINUX_ARM_7_, or HELLO_LINUX_ARM_7_ when several packages are planned,
 * SERVER_LINUX_ARM_7_ for build "server" of several: capitals, one '_'
 * for any run of other characters. */
static void make_prefix(char *buf, size_t n, const xb_plan *pl, bool multi)
{
	size_t k = 0;
	const char *parts[3] = { pl->build_id ? pl->build_id : "",
		multi ? pl->pkg : "", pl->target };

	for (int p = 0; p < 3; p++) {
		if (p > 0 && k && buf[k - 1] != '_')
			buf[k++] = '_';
		for (const char *s = parts[p]; *s && k + 2 < n; s++) {
			if (isalnum((unsigned char)*s))
				buf[k++] = (char)toupper((unsigned char)*s);
			else if (k && buf[k - 1] != '_')
				buf[k++] = '_';
		}
	}
	if (k && buf[k - 1] != '_' && k + 1 < n)
		buf[k++] = '_';
	buf[k] = '\0';
}

static int plan_option(int key, const char *arg, void *ctx)
{
	static struct cmd_once once;

	if (key != OPT_FORMAT)
		return 0;
	cmd_once(&plan_help, &once, "--format", arg);
	*(const char **)ctx = arg;
	return 1;
}

int cmd_plan(int argc, char **argv)
{
	struct build_opts bo;
	struct build_session s;
	const char *format = "text";
	xb_plan_opts po = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	xb_buf out = XB_BUF_INIT, hostb = XB_BUF_INIT;
	xb_strv pkgs = XB_STRV_INIT;
	xb_json j;
	int status;

	build_opts_init(&bo);
	build_session_init(&s);
	build_parse(argc, argv, plan_opts, &plan_help, &bo, &pkgs, plan_option,
		    &format);
	if (strcmp(format, "text") && strcmp(format, "shell") &&
	    strcmp(format, "make") && strcmp(format, "json")) {
		status = cmd_usage_error(&plan_help, "invalid --format '%s' "
					 "(expected text, shell, make or json)",
					 format);
		goto done;
	}
	if (pkgs.n > 1) {
		status = cmd_usage_error(&plan_help, "too many arguments (one PKG)");
		goto done;
	}
	if ((status = build_session_plan(&s, &bo, &pkgs, &po)))
		goto done;

	xb_json_init(&j, &out, true);
	if (!strcmp(format, "json")) {
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "profile", s.profile.files.n ?
			     s.profile.files.v[0] : NULL);
		xb_json_key(&j, "go");
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "path", s.go.go);
		xb_json_kstr(&j, "version", s.go.version);
		xb_json_kstr(&j, "source", s.go.chosen.source);
		xb_json_kstr(&j, "origin", s.go.chosen.origin);
		xb_json_kstr(&j, "why", s.go.chosen.why);
		xb_json_kstr(&j, "toolchain", s.go.toolchain);
		xb_json_kstr(&j, "local_version", s.go.local_version);
		xb_json_kstr(&j, "goroot", s.go.goroot);
		xb_buf_addf(&hostb, "%s/%s", s.go.hostos, s.go.hostarch);
		xb_json_kstr(&j, "host", xb_buf_str(&hostb));
		if (xb_buf_failed(&hostb)) /* cmd_write_out refuses out */
			xb_buf_addb(&out, &hostb);
		xb_json_obj_end(&j);
		xb_json_key(&j, "plans");
		xb_json_arr_begin(&j);
	}
	for (size_t i = 0; i < s.nplans; i++) {
		const xb_plan *pl = &s.plans[i];

		if (!strcmp(format, "json")) {
			xb_plan_json(pl, &j);
		} else if (!strcmp(format, "text")) {
			if (out.len)
				xb_buf_addc(&out, '\n');
			print_text(&out, pl);
		} else if (!pl->errors.n && !strcmp(format, "shell")) {
			xb_plan_shell(pl, &out);
		} else if (!pl->errors.n) {
			char prefix[128];
			make_prefix(prefix, sizeof(prefix), pl,
				    shares_target(s.plans, s.nplans, pl));
			xb_plan_make(pl, prefix, &out);
		}
	}
	if (!strcmp(format, "json")) {
		xb_json_arr_end(&j);
		xb_json_kint(&j, "go_list_runs", s.go.list_runs);
		xb_json_obj_end(&j);
		xb_json_finish(&j);
	}
	status = cmd_write_out(&out);
	if (!status && s.failed)
		status = EXIT_FAIL;
done:
	xb_buf_release(&out);
	xb_buf_release(&hostb);
	xb_strv_release(&pkgs);
	build_session_release(&s);
	build_opts_release(&bo);
	return status;
}
