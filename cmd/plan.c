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
	"one runnable `env -i ... go build ...` line per target.  Exit 0 when\n"
	"every target can be built, 1 when one cannot, 2 for usage or profile\n"
	"errors.\n",
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
	for (size_t i = 0; i < e->go_settings.n; i++)
		xb_buf_addf(b, ",go:%s", e->go_settings.v[i]);
}

static void print_text(xb_buf *out, const xb_plan *pl)
{
	xb_buf_addf(out, "%s: %s -> %s\n", pl->target, pl->pkg,
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
	if (pl->warnings.n)
		xb_buf_adds(out, "  warnings:\n");
	for (size_t i = 0; i < pl->warnings.n; i++)
		xb_buf_addf(out, "    %s\n", pl->warnings.v[i]);
	if (pl->errors.n)
		xb_buf_adds(out, "  errors:\n");
	for (size_t i = 0; i < pl->errors.n; i++)
		xb_buf_addf(out, "    %s\n", pl->errors.v[i]);
}

/* LINUX_ARM_7_, or HELLO_LINUX_ARM_7_ when several packages are planned:
 * capitals, one '_' for any run of other characters. */
static void make_prefix(char *buf, size_t n, const xb_plan *pl, bool multi)
{
	size_t k = 0;
	const char *parts[2] = { multi ? pl->pkg : "", pl->target };

	for (int p = 0; p < 2; p++) {
		if (p == 1 && k && buf[k - 1] != '_')
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

int cmd_plan(int argc, char **argv)
{
	struct build_opts bo;
	struct cmd_getopt g;
	const char *format = "text";
	xb_profile p;
	xb_goenv ge;
	xb_err err = XB_ERR_INIT;
	xb_plan_opts po = { NULL, NULL, NULL, NULL };
	xb_buf out = XB_BUF_INIT, hostb = XB_BUF_INIT;
	xb_json j;
	xb_strv pkgs = XB_STRV_INIT;
	int c, status = EXIT_OK, failed = 0;
	const char *go;

	build_opts_init(&bo);
	cmd_getopt_init(&g, plan_opts);
	/* options may follow PKG */
	for (;;) {
		c = cmd_getopt(argc, argv, &plan_help, &g);
		if (c == -1) {
			if (optind < argc && strcmp(argv[optind - 1], "--")) {
				xb_strv_push(&pkgs, argv[optind++]);
				continue;
			}
			while (optind < argc)
				xb_strv_push(&pkgs, argv[optind++]);
			break;
		}
		if (build_opts_handle(&bo, c, optarg, &plan_help))
			continue;
		if (c == OPT_FORMAT)
			format = optarg;
	}
	if (strcmp(format, "text") && strcmp(format, "shell") &&
	    strcmp(format, "make") && strcmp(format, "json")) {
		xb_strv_release(&pkgs);
		build_opts_release(&bo);
		return cmd_usage_error(&plan_help, "invalid --format '%s' "
				       "(expected text, shell, make or json)",
				       format);
	}
	if (pkgs.n > 1) {
		xb_strv_release(&pkgs);
		build_opts_release(&bo);
		return cmd_usage_error(&plan_help, "too many arguments (one PKG)");
	}
	xb_profile_init(&p);
	xb_goenv_init(&ge);
	if ((status = build_opts_profile(&bo, &p)))
		goto done;
	go = bo.go ? bo.go : p.defaults.go && strchr(p.defaults.go, '/') ?
		p.defaults.go : NULL;
	if (xb_goenv_open(&ge, go, NULL, &err)) {
		status = cmd_report(&err);
		goto done;
	}
	if (p.ntargets == 0) {
		xb_strv host = XB_STRV_INIT;
		xb_diags d;

		xb_diags_init(&d);
		xb_strv_pushf(&host, "%s/%s", ge.hostos, ge.hostarch);
		if (xb_profile_override(&p, NULL, &host, &d, &err)) {
			build_print_diags(&d);
			status = EXIT_USAGE;
		}
		xb_diags_release(&d);
		xb_strv_release(&host);
		if (status)
			goto done;
	}
	if (pkgs.n)
		;
	else if (p.main.n)
		xb_strv_pushv(&pkgs, xb_strv_argv(&p.main));
	else
		xb_strv_push(&pkgs, ".");
	po.build_version = bo.build_version;

	xb_json_init(&j, &out, true);
	if (!strcmp(format, "json")) {
		xb_json_obj_begin(&j);
		xb_json_key(&j, "go");
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "path", ge.go);
		xb_json_kstr(&j, "version", ge.version);
		xb_json_kstr(&j, "goroot", ge.goroot);
		xb_buf_reset(&hostb);
		xb_buf_addf(&hostb, "%s/%s", ge.hostos, ge.hostarch);
		xb_json_kstr(&j, "host", xb_buf_str(&hostb));
		xb_json_obj_end(&j);
		xb_json_key(&j, "plans");
		xb_json_arr_begin(&j);
	}
	for (size_t k = 0; k < pkgs.n; k++) {
		for (size_t i = 0; i < p.ntargets; i++) {
			xb_plan pl;

			xb_plan_init(&pl);
			if (xb_plan_target(&pl, &p, &p.targets[i], pkgs.v[k], &ge,
					   &po, &err)) {
				xb_plan_release(&pl);
				status = cmd_report(&err);
				goto done;
			}
			for (size_t w = 0; w < pl.warnings.n; w++)
				cmd_warn("%s: %s", pl.target, pl.warnings.v[w]);
			for (size_t e = 0; e < pl.errors.n; e++)
				cmd_error("%s: %s", pl.target, pl.errors.v[e]);
			failed |= pl.errors.n > 0;
			if (!strcmp(format, "json")) {
				xb_plan_json(&pl, &j);
			} else if (!strcmp(format, "text")) {
				if (out.len)
					xb_buf_addc(&out, '\n');
				print_text(&out, &pl);
			} else if (!pl.errors.n && !strcmp(format, "shell")) {
				xb_plan_shell(&pl, &out);
			} else if (!pl.errors.n) {
				char prefix[128];
				make_prefix(prefix, sizeof(prefix), &pl, pkgs.n > 1);
				xb_plan_make(&pl, prefix, &out);
			}
			xb_plan_release(&pl);
		}
	}
	if (!strcmp(format, "json")) {
		xb_json_arr_end(&j);
		xb_json_kint(&j, "go_list_runs", ge.list_runs);
		xb_json_obj_end(&j);
		xb_json_finish(&j);
	}
	status = cmd_write_out(&out);
	if (!status && failed)
		status = EXIT_FAIL;
done:
	xb_buf_release(&out);
	xb_buf_release(&hostb);
	xb_strv_release(&pkgs);
	xb_goenv_release(&ge);
	xb_profile_release(&p);
	build_opts_release(&bo);
	return status;
}
