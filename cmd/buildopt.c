/* buildopt.c: the options shared by every subcommand that builds or plans
 * builds, and turning them into a resolved profile. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildopt.h"

static const xb_pos cli_pos = { "<command line>", 0, 0 };

void build_opts_init(struct build_opts *o)
{
	memset(o, 0, sizeof(*o));
	xb_strv_init(&o->profiles);
	xb_strv_init(&o->targets);
	xb_settings_init(&o->over);
	xb_strv_init(&o->given);
	xb_strv_init(&o->given_by);
	xb_relver_init(&o->rel);
}

void build_opts_release(struct build_opts *o)
{
	xb_strv_release(&o->profiles);
	xb_strv_release(&o->targets);
	xb_settings_release(&o->over);
	xb_strv_release(&o->given);
	xb_strv_release(&o->given_by);
	xb_relver_release(&o->rel);
	build_opts_init(o);
}

/* opt (with arg, as written) sets key to value.  A setting set twice
 * must be set the same way, except env and expect, which add up. */
static void set(struct build_opts *o, const struct cmd_help *h,
		const char *opt, const char *arg, const char *key,
		const char *value)
{
	xb_err err = XB_ERR_INIT;
	xb_buf as = XB_BUF_INIT;
	const char *prev = xb_strv_getenv(&o->given, key);

	xb_buf_addf(&as, "%s%s%s", opt, arg ? " " : "", arg ? arg : "");
	if (prev && strcmp(prev, value) && strcmp(key, "env") &&
	    strcmp(key, "expect"))
		exit(cmd_usage_error(h, "options '%s' and '%s' conflict (%s %s "
				     "or %s)", xb_strv_getenv(&o->given_by, key),
				     xb_buf_str(&as), key, prev, value));
	if (xb_settings_set(&o->over, key, value, cli_pos, &err))
		exit(cmd_usage_error(h, "%s: %s", opt, xb_errmsg(&err)));
	if (xb_strv_setenv(&o->given, key, value) ||
	    xb_strv_setenv(&o->given_by, key, xb_buf_str(&as)))
		exit(cmd_usage_error(h, "out of memory"));
	xb_buf_release(&as);
}

int build_opts_handle(struct build_opts *o, int key, const char *arg,
		      const struct cmd_help *h)
{
	const char *eq;
	char *k;

	switch (key) {
	case 'p':
		xb_strv_push(&o->profiles, arg);
		return 1;
	case 't': {
		/* --target a,b is two targets; linux/arm/7,softfloat is one */
		char *copy = strdup(arg), *save = NULL, *t;
		for (t = copy ? strtok_r(copy, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save)) {
			if (!strchr(t, '/') && o->targets.n) {
				char **last = &o->targets.v[o->targets.n - 1];
				char *joined = malloc(strlen(*last) + strlen(t) + 2);
				if (!joined)
					exit(EXIT_FAIL);
				sprintf(joined, "%s,%s", *last, t);
				free(*last);
				*last = joined;
			} else {
				xb_strv_push(&o->targets, t);
			}
		}
		free(copy);
		return 1;
	}
	case BOPT_STATIC:
		set(o, h, "--static", NULL, "linkage", "static");
		return 1;
	case BOPT_STATIC_PIE:
		set(o, h, "--static-pie", NULL, "linkage", "static-pie");
		return 1;
	case BOPT_DYNAMIC:
		set(o, h, "--dynamic", NULL, "linkage", "dynamic");
		return 1;
	case BOPT_CGO:
		set(o, h, "--cgo", arg, "cgo", arg);
		return 1;
	case BOPT_LINKER:
		set(o, h, "--linker", arg, "linker", arg);
		return 1;
	case BOPT_LIBC:
		set(o, h, "--libc", arg, "libc", arg);
		return 1;
	case BOPT_BUILDMODE:
		set(o, h, "--buildmode", arg, "buildmode", arg);
		return 1;
	case BOPT_TAGS:
		set(o, h, "--tags", arg, "tags", arg);
		return 1;
	case BOPT_LDFLAGS:
		set(o, h, "--ldflags", arg, "ldflags", arg);
		return 1;
	case BOPT_STRIP:
		set(o, h, "--strip", NULL, "strip", "true");
		set(o, h, "--strip", NULL, "debug", "false");
		return 1;
	case BOPT_TOOLCHAIN:
		set(o, h, "--toolchain", arg, "toolchain", arg);
		return 1;
	case BOPT_FETCH:
		set(o, h, "--fetch", NULL, "fetch", "true");
		return 1;
	case BOPT_GO:
		cmd_once(h, &o->once_go, "--go", arg);
		o->go = arg;
		return 1;
	case 'o':
		cmd_once(h, &o->once_output, "-o", arg);
		o->output = arg;
		return 1;
	case BOPT_BUILD_VERSION:
		cmd_once(h, &o->once_version, "--build-version", arg);
		o->build_version = arg;
		return 1;
	case BOPT_SET:
		eq = strchr(arg, '=');
		if (!eq || eq == arg)
			exit(cmd_usage_error(h, "--set: '%s' is not KEY=VALUE", arg));
		k = strndup(arg, (size_t)(eq - arg));
		if (!k)
			exit(EXIT_FAIL);
		set(o, h, "--set", arg, k, eq + 1);
		free(k);
		return 1;
	default:
		return 0;
	}
}

void build_print_diags(const xb_diags *d)
{
	for (size_t i = 0; i < d->lines.n; i++)
		fprintf(stderr, "xbuild: %s\n", d->lines.v[i]);
}

int build_discover(xb_strv *profiles)
{
	const char *found = xb_profile_discover(NULL);

	if (found && xb_strv_push(profiles, found)) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

void build_say_profile(const char *found)
{
	fprintf(stderr, "xbuild: profile: %s\n", found ? found : "built-in "
		"default (no xbuild.yaml or .goreleaser.yaml here)");
}

const char *build_opts_version(struct build_opts *o)
{
	const char *env = getenv("XBUILD_VERSION");

	if (!o->have_rel) {
		/* the version given, else git's: a bad SOURCE_DATE_EPOCH
		 * leaves the dates unknown (release reports it) */
		o->have_rel = true;
		xb_relver_read(&o->rel, o->build_version ? o->build_version :
			       env && *env ? env : NULL,
			       getenv("SOURCE_DATE_EPOCH"), NULL);
		if (!o->build_version && !(env && *env))
			o->build_version = o->rel.raw_version;
	}
	if (!o->build_version)
		o->build_version = env && *env ? env : "dev";
	if ((!env || strcmp(env, o->build_version)) &&
	    setenv("XBUILD_VERSION", o->build_version, 1) != 0) {
		/* the profile's ${XBUILD_VERSION} would read another value */
		cmd_error("cannot set XBUILD_VERSION: %s", strerror(errno));
		exit(EXIT_FAIL);
	}
	return o->build_version;
}

/* Whether a target of p may fetch a C toolchain (fetch: true, --fetch),
 * the host target a profile without targets gets included. */
static bool may_fetch(const xb_profile *p)
{
	if (p->defaults.fetch == 1 || p->cli.fetch == 1)
		return true;
	for (size_t b = 0; b < xb_profile_nbuilds(p); b++) {
		const xb_profile *bp = xb_profile_build(p, b);

		if (bp->defaults.fetch == 1)
			return true;
		for (size_t i = 0; i < bp->ntargets; i++)
			if (bp->targets[i].s.fetch == 1)
				return true;
	}
	return false;
}

/* ${XBUILD_VERSION} of a profile: the run's version, worked out now. */
static const char *profile_var(void *ctx, const char *name)
{
	return strcmp(name, "XBUILD_VERSION") ? NULL : build_opts_version(ctx);
}

/* The run's release fields and version, for the planner on first use. */
static void release_fields(void *ctx, const xb_relver **rel,
			   const char **version)
{
	struct build_opts *o = ctx;

	build_opts_version(o);
	*rel = &o->rel;
	*version = o->build_version;
}

int build_opts_profile(struct build_opts *o, xb_profile *p)
{
	xb_profile_opts po = { NULL, 0, false, NULL, NULL };
	xb_err err = XB_ERR_INIT;
	bool discovered = false;
	int status;
	xb_diags d;
	xb_code rc;

	/* the options were pushed without a check each: a profile or target
	 * left out would build something other than what was asked */
	if (xb_strv_failed(&o->profiles) || xb_strv_failed(&o->targets)) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	/* named after the hand-over to the complete program, if any */
	if (!o->profiles.n) {
		discovered = true;
		if (build_discover(&o->profiles))
			return EXIT_FAIL;
	}
	xb_diags_init(&d);
	/* the version (git's, unless given) only when the profile reads
	 * ${XBUILD_VERSION} */
	po.var = profile_var;
	po.var_ctx = o;
	rc = xb_profile_load(p, xb_strv_argv(&o->profiles), o->profiles.n,
			     &po, &d, &err);
	if (!rc && o->output) {
		free(p->output);
		p->output = strdup(o->output);
	}
	if (!rc)
		rc = xb_profile_override(p, &o->over, &o->targets, &d, &err);
	if (!rc && o->snapshot && p->snapshot_version && build_opts_version(o) &&
	    !(rc = xb_relver_snapshot(&o->rel, p->name, p->snapshot_version,
				      &err))) {
		o->build_version = o->rel.raw_version;
		if (setenv("XBUILD_VERSION", o->build_version, 1) != 0)
			rc = xb_fail(&err, XB_ERR_IO, "cannot set XBUILD_VERSION:");
	}
	/* a run that may download a C toolchain runs in the complete
	 * program, before any message or hook */
	if (!rc && may_fetch(p) && (status = cmd_need_full("a download "
							   "(fetch: true, --fetch)"))) {
		xb_diags_release(&d);
		return status;
	}
	if (discovered && !o->quiet)
		build_say_profile(o->profiles.n ? o->profiles.v[0] : NULL);
	build_print_diags(&d);
	xb_diags_release(&d);
	if (rc) {
		if (rc != XB_ERR_PROFILE)
			return cmd_report(&err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void build_parse(int argc, char **argv, const struct cmd_opt *table,
		 const struct cmd_help *h, struct build_opts *o, xb_strv *pkgs,
		 int (*extra)(int key, const char *arg, void *ctx), void *ctx)
{
	struct cmd_getopt g;
	int c;

	cmd_getopt_init(&g, table);
	while ((c = cmd_getopt(argc, argv, h, &g)) != -1) {
		if (build_opts_handle(o, c, optarg, h))
			continue;
		if (!extra || !extra(c, optarg, ctx))
			exit(cmd_usage_error(h, "unhandled option"));
	}
	while (optind < argc)
		xb_strv_push(pkgs, argv[optind++]);
}

void build_session_init(struct build_session *s)
{
	memset(s, 0, sizeof(*s));
	xb_profile_init(&s->profile);
	xb_goenv_init(&s->go);
	xb_strv_init(&s->pkgs);
}

void build_session_release(struct build_session *s)
{
	build_session_end(s);
	free(s->asks);
	for (size_t i = 0; i < s->nplans; i++)
		xb_plan_release(&s->plans[i]);
	free(s->plans);
	xb_strv_release(&s->pkgs);
	xb_goenv_release(&s->go);
	xb_profile_release(&s->profile);
	build_session_init(s);
}

/* No target in the profile or on the command line: the host. */
static int default_target(struct build_session *s)
{
	xb_strv host = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	int status = EXIT_OK;
	xb_diags d;

	xb_diags_init(&d);
	if (xb_strv_pushf(&host, "%s/%s", s->go.hostos, s->go.hostarch)) {
		cmd_error("out of memory");
		status = EXIT_FAIL;
	} else if (xb_profile_override(&s->profile, NULL, &host, &d, &err)) {
		build_print_diags(&d);
		status = EXIT_USAGE;
	}
	xb_diags_release(&d);
	xb_strv_release(&host);
	return status;
}

bool build_under_make(void)
{
	const char *level = getenv("MAKELEVEL"), *flags = getenv("MAKEFLAGS");

	return (level && *level) || (flags && *flags);
}

/* A Go file in the current directory: "." is a package go list can load. */
static bool go_files_here(void)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(".");

	while (d && !found && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		found = n > 3 && !strcmp(de->d_name + n - 3, ".go");
	}
	if (d)
		closedir(d);
	return found;
}

/* Answer go list's question for a package that is not there: a pure Go
 * main package without imports, named for the current directory. */
static xb_code stub_pkginfo(struct build_session *s, const xb_target *t,
			    const char *pkg)
{
	xb_pkginfo info;
	xb_buf tags = XB_BUF_INIT;
	char *cwd = getcwd(NULL, 0), *slash = cwd ? strrchr(cwd, '/') : NULL;
	xb_code rc;

	xb_pkginfo_init(&info);
	info.ok = true;
	info.name = (char *)(slash && slash[1] ? slash + 1 : "app");
	/* the same key the planner asks with: the tags joined by ',' */
	for (size_t i = 0; i < t->s.tags.n; i++)
		xb_buf_addf(&tags, "%s%s", i ? "," : "", t->s.tags.v[i]);
	rc = xb_buf_failed(&tags) ? xb_buf_failed(&tags) : xb_goenv_cache_put(&s->go, pkg, t->os, t->arch, xb_buf_str(&tags),
				&info);
	xb_buf_release(&tags);
	free(cwd);
	return rc;
}

int build_choose_go(xb_goenv *g, const xb_profile *p)
{
	xb_gochoice c;
	xb_err err = XB_ERR_INIT;
	xb_code rc;

	xb_gochoice_init(&c);
	rc = xb_gover_choose(p, g->dir, g->version, &c, &err);
	if (!rc)
		rc = xb_goenv_use(g, &c, &err);
	xb_gochoice_release(&c);
	return rc ? cmd_report(&err) : EXIT_OK;
}

/* What build b builds: the packages the command line names, else its
 * main, else ".". */
static const xb_strv *build_pkgs(const xb_profile *b, const xb_strv *pkgs)
{
	static const char *const dot_v[] = { ".", NULL };
	static const xb_strv dot = { (char **)dot_v, 1, 0, 0, XB_OK };

	if (pkgs && pkgs->n)
		return pkgs;
	return b->main.n ? &b->main : &dot;
}

static bool any_main(const xb_profile *p)
{
	for (size_t b = 0; b < xb_profile_nbuilds(p); b++)
		if (xb_profile_build(p, b)->main.n)
			return true;
	return false;
}

/* A GoReleaser matrix's pairs this Go has no port for are passed over,
 * with a warning each. */
static int drop_missing(struct build_session *s, xb_profile *p)
{
	xb_strv said = XB_STRV_INIT;

	xb_plan_drop_missing(p, &s->go, &said);
	for (size_t i = 0; i < said.n && !s->quiet; i++)
		cmd_warn("%s", said.v[i]);
	if (xb_strv_failed(&said)) {
		xb_strv_release(&said);
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	xb_strv_release(&said);
	return EXIT_OK;
}

/* The plan of pkg for target t of build b, its problems printed. */
static int plan_one(struct build_session *s, const xb_plan_ask *a,
		    const xb_plan_opts *po)
{
	xb_plan *pl = &s->plans[s->nplans];
	const xb_profile *b = a->p;
	const xb_target *t = a->t;
	const char *pkg = a->pkg;
	xb_err err = XB_ERR_INIT;

	xb_plan_init(pl);
	s->nplans++;
	if (s->no_pkg && stub_pkginfo(s, t, pkg)) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	if (xb_plan_target(pl, b, t, pkg, &s->go, po, &err))
		return cmd_report(&err);
	if (b->id && !(pl->build_id = strdup(b->id))) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	for (size_t w = 0; w < pl->warnings.n; w++)
		if (!s->quiet && !s->no_pkg)
			cmd_warn("%s: %s", pl->target, pl->warnings.v[w]);
	for (size_t e = 0; e < pl->errors.n && !s->no_pkg; e++)
		cmd_error("%s: %s", pl->target, pl->errors.v[e]);
	if (pl->errors.n)
		s->failed++;
	return EXIT_OK;
}

/* What each of the n plans to come is of: build, target and package, in
 * the order of s->plans. */
static int list_asks(struct build_session *s, const xb_strv *pkgs, size_t n)
{
	xb_profile *p = &s->profile;
	size_t k = 0;

	if (!(s->asks = calloc(n ? n : 1, sizeof(*s->asks)))) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	for (size_t b = 0; b < xb_profile_nbuilds(p); b++) {
		const xb_profile *bp = xb_profile_build(p, b);
		const xb_strv *bpkgs = build_pkgs(bp, pkgs);

		for (size_t j = 0; j < bpkgs->n; j++) {
			if (!xb_strv_contains(&s->pkgs, bpkgs->v[j]))
				xb_strv_push(&s->pkgs, bpkgs->v[j]);
			for (size_t i = 0; i < bp->ntargets && k < n; i++)
				s->asks[k++] = (xb_plan_ask){ bp, &bp->targets[i],
							      bpkgs->v[j] };
		}
	}
	if (xb_strv_failed(&s->pkgs)) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int build_session_fd(const struct build_session *s)
{
	return s->answers ? xb_plan_answers_fd(s->answers) : -1;
}

int build_session_more(struct build_session *s, size_t *made)
{
	xb_err err = XB_ERR_INIT;
	size_t ready = s->ntotal;
	int status = EXIT_OK;

	if (s->answers && xb_plan_answers_take(s->answers, &ready, &err))
		status = cmd_report(&err);
	while (!status && s->nplans < ready)
		status = plan_one(s, &s->asks[s->nplans], &s->po);
	if (s->nplans == s->ntotal)
		build_session_end(s);
	*made = s->nplans;
	return status;
}

int build_session_finish(struct build_session *s)
{
	while (s->nplans < s->ntotal) {
		struct pollfd pfd = { build_session_fd(s), POLLIN, 0 };
		size_t made;
		int status;

		if ((status = build_session_more(s, &made)))
			return status;
		if (made < s->ntotal && poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			cmd_error("poll: %s", strerror(errno));
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

void build_session_end(struct build_session *s)
{
	xb_plan_answers_end(s->answers);
	s->answers = NULL;
}

int build_session_plan(struct build_session *s, struct build_opts *o,
		       const xb_strv *pkgs, const xb_plan_opts *po)
{
	static xb_tc_opts tc = XB_TC_OPTS_INIT;
	xb_plan_opts dflt = { xb_cc_lookup_toolchain, &tc, NULL, NULL, NULL,
			      NULL, NULL };
	xb_profile *p = &s->profile;
	xb_err err = XB_ERR_INIT;
	const char *go;
	size_t n;
	int status;

	o->quiet = o->quiet || s->quiet;
	if ((status = build_opts_profile(o, p)))
		return status;
	tc.fetcher = cmd_fetcher;
	/* C compilers come from the toolchain manager: found, proved by a
	 * test link, or fetched when nothing on the machine works and the
	 * target's settings allow it (fetch: true, --fetch) */
	if (!po->cc_lookup) {
		dflt.build_version = o->build_version;
		dflt.rel = o->have_rel ? &o->rel : NULL;
		dflt.release = release_fields;
		dflt.release_ctx = o;
		dflt.envp = po->envp;
		po = &dflt;
	}
	go = o->go ? o->go : p->defaults.go && strchr(p->defaults.go, '/') ?
		p->defaults.go : NULL;
	/* before: hooks (go generate, say) may change what go list says */
	if (s->run_before && p->before.n && build_opts_version(o) &&
	    xb_run_before(p, &o->rel, o->build_version, &err))
		return cmd_report(&err);
	if (xb_goenv_open(&s->go, go, NULL, &err) ||
	    (status = build_choose_go(&s->go, p)))
		return status ? status : cmd_report(&err);
	if ((status = drop_missing(s, p)))
		return status;
	if (p->ntargets == 0 && (status = default_target(s)))
		return status;
	if (pkgs && pkgs->n && p->nbuilds > 1) {
		cmd_error("the profile has %zu builds, each with its own main: "
			  "name no package on the command line", p->nbuilds);
		return EXIT_USAGE;
	}
	if (xb_strv_failed(pkgs)) { /* never a package left out */
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	s->no_pkg = s->allow_no_pkg && !(pkgs && pkgs->n) && !any_main(p) &&
		!go_files_here();
	n = 0;
	for (size_t b = 0; b < xb_profile_nbuilds(p); b++) {
		const xb_profile *bp = xb_profile_build(p, b);

		n += build_pkgs(bp, pkgs)->n * bp->ntargets;
	}
	s->plans = calloc(n ? n : 1, sizeof(*s->plans));
	if (!s->plans) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	s->ntotal = n;
	s->po = *po;
	if ((status = list_asks(s, pkgs, n)))
		return status;
	/* the go list answers of every plan asked at once (as many at a
	 * time as there are CPUs) rather than each as its plan is made */
	if (n > 1 && !s->no_pkg &&
	    xb_plan_answers_start(&s->go, s->asks, n, xb_cpu_count(),
				  &s->answers, &err))
		return cmd_report(&err);
	if (s->stream && s->answers)
		return EXIT_OK;
	return build_session_finish(s);
}
