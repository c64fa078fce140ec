/* check.c: `xbuild check PROFILE...`: validate profiles without building
 * (like `doas -C`), or print them resolved. */
#include <string.h>

#include "buildopt.h"

extern char **environ;

enum { OPT_PRINT = 256, OPT_JSON, OPT_GO, OPT_NO_GO };

static const struct cmd_opt check_opts[] = {
	{ "print", OPT_PRINT, no_argument, NULL,
	  "print each resolved profile (YAML)" },
	{ "json", OPT_JSON, no_argument, NULL, "print resolved profiles as JSON" },
	{ "quiet", 'q', no_argument, NULL, "no summary line when valid" },
	{ "verbose", 'v', no_argument, NULL,
	  "with each summary line, the targets the profile resolves to" },
	{ "go", OPT_GO, required_argument, "PATH",
	  "ask this go which targets it supports" },
	{ "no-go", OPT_NO_GO, no_argument, NULL,
	  "do not ask a Go toolchain at all" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help check_help = {
	"check", "[--print | --json] [-q | -v] [--go PATH | --no-go] [PROFILE...]",
	"validate profiles without building anything",
	check_opts,
	"Each PROFILE is checked on its own (with what it extends); every\n"
	"problem is printed as FILE:LINE:COL: MESSAGE.  With no PROFILE the\n"
	"embedded default is checked.  When a Go toolchain is found (--go, or\n"
	"go on PATH) targets it does not support are errors too, asked of the\n"
	"release the run would use (go_version, or go.mod's toolchain line)\n"
	"when the module cache has it: a check never downloads Go.  A check\n"
	"runs nothing a profile names: a go: path must be an executable file,\n"
	"and is asked only with --go.  Exit 0 when all are valid, 2 when not.\n",
};

/* The targets against the Go release: those of a GoReleaser matrix this
 * Go has no port for are passed over (said as warnings), the rest
 * checked. */
static void check_ports(xb_profile *p, const xb_goenv *g, xb_diags *d)
{
	xb_strv said = XB_STRV_INIT;

	xb_plan_drop_missing(p, g, &said);
	for (size_t i = 0; i < said.n; i++) {
		fprintf(stderr, "xbuild: warning: %s\n", said.v[i]);
		d->warnings++;
	}
	xb_strv_release(&said);
	xb_plan_check_targets(p, g, d);
}

/* Check p's targets against the Go release a run would use (go, given
 * with --go, else go on PATH): d gets what it cannot build, and *rc
 * XB_ERR_PROFILE then.  False (said on stderr) when --go cannot be
 * asked. */
static bool check_go(xb_profile *p, xb_diags *d, const char *go,
		     const xb_strv *no_fetch, xb_code *rc)
{
	xb_goenv ge;
	xb_gochoice gc;
	xb_err gerr = XB_ERR_INIT;
	bool ok = true;

	xb_goenv_init(&ge);
	xb_gochoice_init(&gc);
	if (xb_goenv_open(&ge, go, xb_strv_argv(no_fetch), &gerr) == XB_OK) {
		size_t before = d->errors;
		/* the run's release, when this machine has it: a check
		 * fetches nothing */
		if (xb_gover_choose(p, NULL, ge.version, &gc, &gerr) ||
		    xb_goenv_use(&ge, &gc, &gerr))
			cmd_warn("targets not checked against a Go release: %s",
				 xb_errmsg(&gerr));
		else
			check_ports(p, &ge, d);
		if (d->errors > before)
			*rc = XB_ERR_PROFILE;
	} else if (go) {
		cmd_error("%s", xb_errmsg(&gerr));
		ok = false;
	}
	xb_goenv_release(&ge);
	xb_gochoice_release(&gc);
	return ok;
}


/* "FILE: ok (N builds, N targets, N warnings)" and with verbose the
 * targets, each with the builds that build it. */
static void check_summary(const xb_profile *p, const char *file,
			  const xb_diags *d, bool verbose)
{
	printf("%s: ok (", file ? file : "<builtin>/profiles/default.yaml");
	if (p->nbuilds)
		printf("%zu build%s, ", p->nbuilds, p->nbuilds == 1 ? "" : "s");
	printf("%zu target%s, %zu warning%s)\n", p->ntargets,
	       p->ntargets == 1 ? "" : "s", d->warnings,
	       d->warnings == 1 ? "" : "s");
	for (size_t t = 0; verbose && t < p->ntargets; t++) {
		printf("  %s", p->targets[t].name);
		for (size_t b = 0, k = 0; b < p->nbuilds; b++)
			for (size_t i = 0; i < p->builds[b].ntargets; i++)
				if (!strcmp(p->builds[b].targets[i].name,
					    p->targets[t].name))
					printf("%s%s", k++ ? ", " : " (builds ",
					       p->builds[b].id);
		printf("%s\n", p->nbuilds ? ")" : "");
	}
}

int cmd_check(int argc, char **argv)
{
	struct cmd_getopt g;
	struct cmd_once form = { 0 }, which_go = { 0 }, loud = { 0 };
	int c, print = 0, json = 0, quiet = 0, verbose = 0, no_go = 0, status = EXIT_OK;
	const char *go = NULL;
	xb_buf out = XB_BUF_INIT;
	xb_strv no_fetch = XB_STRV_INIT;
	xb_json j;
	int nfiles;

	cmd_getopt_init(&g, check_opts);
	while ((c = cmd_getopt(argc, argv, &check_help, &g)) != -1) {
		if (c == OPT_PRINT || c == OPT_JSON)
			cmd_once(&check_help, &form, c == OPT_PRINT ? "--print" :
				 "--json", NULL);
		if (c == OPT_GO || c == OPT_NO_GO)
			cmd_once(&check_help, &which_go, c == OPT_GO ? "--go" :
				 "--no-go", optarg);
		if (c == OPT_PRINT)
			print = 1;
		else if (c == OPT_JSON)
			json = 1;
		else if (c == 'q' || c == 'v')
			cmd_once(&check_help, &loud, c == 'q' ? "--quiet" :
				 "--verbose", NULL);
		if (c == 'q')
			quiet = 1;
		else if (c == 'v')
			verbose = 1;
		else if (c == OPT_GO)
			go = optarg;
		else if (c == OPT_NO_GO)
			no_go = 1;
	}
	nfiles = argc - optind;
	/* go_version may name a release go would download: never here */
	if (xb_strv_pushv(&no_fetch, (const char *const *)environ) ||
	    xb_strv_setenv(&no_fetch, "GOPROXY", "off")) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	xb_json_init(&j, &out, true);
	if (json && nfiles > 1)
		xb_json_arr_begin(&j);
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *file = nfiles ? argv[optind + i] :
			xb_profile_discover(NULL);
		xb_err err = XB_ERR_INIT;
		xb_profile p;
		xb_diags d;
		xb_code rc;

		xb_profile_init(&p);
		xb_diags_init(&d);
		if (!nfiles && !quiet)
			build_say_profile(file);
		rc = xb_profile_load(&p, file ? &file : NULL, file ? 1 : 0, NULL,
				     &d, &err);
		const char *pinned = rc ? NULL : xb_goenv_profile_go(&p, &d);

		if (!rc && d.errors)
			rc = XB_ERR_PROFILE;
		if (!rc && !no_go && pinned && !go) {
			/* an untrusted profile must not get a program run */
			cmd_warn("%s: targets not checked against a Go release: "
				 "check does not run the profile's go '%s' (--go "
				 "PATH asks it)", file ? file : "<builtin>", pinned);
		} else if (!rc && !no_go && !check_go(&p, &d, go, &no_fetch, &rc)) {
			/* a target this Go cannot build is named, when Go can
			 * be asked; without one, the rest still holds */
			xb_diags_release(&d);
			xb_profile_release(&p);
			xb_buf_release(&out);
			xb_strv_release(&no_fetch);
			return EXIT_FAIL;
		}
		build_print_diags(&d);
		if (rc) {
			if (rc != XB_ERR_PROFILE)
				cmd_report(&err);
			else if (!d.errors)
				cmd_error("%s", xb_errmsg(&err));
			status = EXIT_USAGE;
		} else if (json) {
			xb_profile_json(&p, &j);
		} else if (print) {
			if (nfiles > 1)
				xb_buf_adds(&out, "---\n");
			xb_profile_yaml(&p, &out);
		} else if (!quiet) {
			check_summary(&p, file, &d, verbose);
		}
		xb_diags_release(&d);
		xb_profile_release(&p);
	}
	if (json && nfiles > 1)
		xb_json_arr_end(&j);
	if (json)
		xb_json_finish(&j);
	if (status == EXIT_OK && (print || json) && cmd_write_out(&out))
		status = EXIT_FAIL;
	else if (status == EXIT_OK && fflush(stdout))
		status = EXIT_FAIL;
	xb_buf_release(&out);
	xb_strv_release(&no_fetch);
	return status;
}
