/* build.c: `xbuild [build] [options] [PKG...]`, the command users type:
 * plan every target, build them in parallel, prove each artifact, and only
 * then put it in place. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildrun.h"

enum { OPT_JOBS = 'j', OPT_KEEP_GOING = 'k', OPT_QUIET = 'q',
       OPT_VERBOSE = 'v', OPT_SMOKE = 400, OPT_JSON, OPT_LOG_DIR, OPT_FORCE };

static const struct cmd_opt build_opts[] = {
	BUILD_OPTS,
	{ "jobs", OPT_JOBS, required_argument, "N",
	  "build N targets at once (default: make's -j, else the CPUs)" },
	{ "keep-going", OPT_KEEP_GOING, no_argument, NULL,
	  "build the other targets when one fails" },
	{ "smoke", OPT_SMOKE, no_argument, NULL,
	  "run each artifact (under qemu-user for other arches)" },
	{ "json", OPT_JSON, no_argument, NULL, "print the results as JSON" },
	{ "quiet", OPT_QUIET, no_argument, NULL,
	  "print only errors (the default under make)" },
	{ "verbose", OPT_VERBOSE, no_argument, NULL,
	  "print each target's environment and command as it starts" },
	{ "log-dir", OPT_LOG_DIR, required_argument, "DIR",
	  "keep each target's build log in DIR" },
	{ "force", OPT_FORCE, no_argument, NULL,
	  "build every target, also those up to date" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help build_help = {
	"build", "[options] [PKG...]",
	"build every target in parallel and prove each artifact (the default "
	"subcommand)",
	build_opts,
	"Each target is built under a temporary name, read by the checker and\n"
	"held to its plan's expectation (and the profile's expect:), run with\n"
	"--smoke, and only then renamed into place.  A target whose artifact in\n"
	"place was built from what it would be built from now is up to date\n"
	"and not built (--force builds it).  Exit 0 when every artifact is\n"
	"proven or up to date, 1 when a build failed, 2 for usage or profile\n"
	"errors, 3 when an artifact broke its expectation, 130/143 when\n"
	"interrupted.\n",
};

struct build_cli {
	struct run_opts run;
	bool json;
	bool quiet_set;
	struct cmd_once once_jobs, once_loud;
};

static int build_option(int key, const char *arg, void *ctx)
{
	struct build_cli *c = ctx;
	char *end;
	long n;

	switch (key) {
	case OPT_JOBS:
		cmd_once(&build_help, &c->once_jobs, "--jobs", arg);
		n = strtol(arg, &end, 10);
		if (*end || n < 1 || n > 1024)
			exit(cmd_usage_error(&build_help, "invalid --jobs '%s' "
					     "(expected 1 to 1024)", arg));
		c->run.jobs = (int)n;
		return 1;
	case OPT_KEEP_GOING:
		c->run.keep_going = true;
		return 1;
	case OPT_SMOKE:
		c->run.smoke = true;
		return 1;
	case OPT_JSON:
		c->json = true;
		return 1;
	case OPT_QUIET:
		cmd_once(&build_help, &c->once_loud, "--quiet", NULL);
		c->run.quiet = true;
		c->quiet_set = true;
		return 1;
	case OPT_VERBOSE:
		cmd_once(&build_help, &c->once_loud, "--verbose", NULL);
		c->run.verbose = true;
		c->quiet_set = true; /* asked for: under make too */
		return 1;
	case OPT_LOG_DIR:
		c->run.logdir = arg;
		return 1;
	case OPT_FORCE:
		c->run.force = true;
		return 1;
	default:
		return 0;
	}
}

int cmd_build(int argc, char **argv)
{
	struct build_cli c;
	struct build_opts bo;
	struct build_session s;
	xb_run_target *t = NULL;
	xb_plan_opts po = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	xb_strv pkgs = XB_STRV_INIT;
	int status;

	memset(&c, 0, sizeof(c));
	c.run.record = true;
	build_opts_init(&bo);
	build_session_init(&s);
	s.run_before = true;
	s.stream = true;
	build_parse(argc, argv, build_opts, &build_help, &bo, &pkgs,
		    build_option, &c);
	/* under make: errors only, unless asked otherwise */
	if (!c.quiet_set && (build_under_make() || c.json))
		c.run.quiet = true;
	/* errors only: the plan's warnings too (JSON keeps its own) */
	s.quiet = c.run.quiet && !c.json;
	c.run.status_line = build_status_line(&c.run);
	if ((status = build_session_plan(&s, &bo, &pkgs, &po)))
		goto done;
	status = build_run(&s, &c.run, &t);
	if (status == EXIT_USAGE || s.plan_status)
		goto done;
	if (c.json) {
		xb_buf out = XB_BUF_INIT;
		xb_json j;
		int w;

		xb_json_init(&j, &out, true);
		build_summary_json(&j, t, s.nplans);
		xb_json_finish(&j);
		w = cmd_write_out(&out);
		xb_buf_release(&out);
		if (w && !status)
			status = w;
	} else if (!c.run.quiet) {
		build_summary(stdout, t, s.nplans);
	} else {
		/* quiet: the failures still need saying */
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			build_summary(null, t, s.nplans);
			fclose(null);
		}
	}
done:
	build_run_free(t, s.ntotal);
	xb_strv_release(&pkgs);
	build_session_release(&s);
	build_opts_release(&bo);
	return status;
}
