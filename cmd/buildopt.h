/* buildopt.h: the options every building subcommand shares (plan, and
 * later build): profiles, targets and setting overrides.  One table, one
 * parser, so `xbuild plan` and `xbuild build` cannot drift apart. */
#ifndef XBUILD_BUILDOPT_H
#define XBUILD_BUILDOPT_H

#include "cmd.h"

enum {
	BOPT_STATIC = 300, BOPT_STATIC_PIE, BOPT_DYNAMIC, BOPT_CGO, BOPT_LINKER,
	BOPT_LIBC, BOPT_TAGS, BOPT_LDFLAGS, BOPT_STRIP, BOPT_GO, BOPT_SET,
	BOPT_BUILD_VERSION, BOPT_BUILDMODE, BOPT_TOOLCHAIN, BOPT_FETCH,
};

/* Spliced into a subcommand's cmd_opt table.  BUILD_OPTS_SHARED leaves out
 * -o, which `xbuild release` takes for its release folder. */
#define BUILD_OPTS BUILD_OPTS_SHARED, BUILD_OPT_OUTPUT
#define BUILD_OPT_OUTPUT \
	{ "output", 'o', required_argument, "TEMPLATE", \
	  "output path template" }
#define BUILD_OPTS_SHARED \
	{ "profile", 'p', required_argument, "FILE", \
	  "load a profile (repeatable: later ones override)" }, \
	{ "target", 't', required_argument, "OS/ARCH[/VARIANT]", \
	  "build for this target instead of the profile's (repeatable)" }, \
	{ "static", BOPT_STATIC, no_argument, NULL, "linkage: static" }, \
	{ "static-pie", BOPT_STATIC_PIE, no_argument, NULL, \
	  "linkage: static-pie" }, \
	{ "dynamic", BOPT_DYNAMIC, no_argument, NULL, "linkage: dynamic" }, \
	{ "cgo", BOPT_CGO, required_argument, "auto|on|off", "cgo setting" }, \
	{ "linker", BOPT_LINKER, required_argument, "auto|internal|external", \
	  "linker setting" }, \
	{ "libc", BOPT_LIBC, required_argument, "auto|glibc|musl", \
	  "C library for cgo targets" }, \
	{ "buildmode", BOPT_BUILDMODE, required_argument, "MODE", \
	  "go build -buildmode" }, \
	{ "tags", BOPT_TAGS, required_argument, "TAG,...", "build tags" }, \
	{ "ldflags", BOPT_LDFLAGS, required_argument, "FLAGS", \
	  "extra linker flags" }, \
	{ "strip", BOPT_STRIP, no_argument, NULL, \
	  "strip symbols and debug information" }, \
	{ "toolchain", BOPT_TOOLCHAIN, required_argument, "PREF,...", \
	  "C toolchain preference (system, zig)" }, \
	{ "fetch", BOPT_FETCH, no_argument, NULL, \
	  "download a pinned C toolchain when none works (fetch: true)" }, \
	{ "go", BOPT_GO, required_argument, "PATH", "the go command to use" }, \
	{ "build-version", BOPT_BUILD_VERSION, required_argument, "VERSION", \
	  "the {version} of output names" }, \
	{ "set", BOPT_SET, required_argument, "KEY=VALUE", \
	  "set any profile setting" }

struct build_opts {
	xb_strv profiles;
	xb_strv targets;
	xb_settings over;  /* command-line settings */
	xb_strv given;     /* KEY=VALUE of each setting the options set */
	xb_strv given_by;  /* KEY=the option that set it, as written */
	const char *go;
	const char *output;
	const char *build_version; /* see build_opts_version */
	bool quiet;        /* no line saying which profile was found */
	xb_relver rel;     /* the templates' release fields */
	bool have_rel;
	bool snapshot;     /* a snapshot release with no version given: the
			    * profile's snapshot template names it */
	struct cmd_once once_go, once_output, once_version;
};

void build_opts_init(struct build_opts *o);
void build_opts_release(struct build_opts *o);
/* Handle one option key; 1 when it was a build option, 0 when not.  A bad
 * value, or two options that set one setting two ways (--static
 * --dynamic), prints a usage error and exits 2. */
int build_opts_handle(struct build_opts *o, int key, const char *arg,
		      const struct cmd_help *h);
/*
 * The version of the run, one for output names ({version}), the profile's
 * ${XBUILD_VERSION}, templates' .Version and a release's manifest:
 * --build-version (release's --version), else XBUILD_VERSION from the
 * environment, else the tag at HEAD, else a snapshot version (see
 * xb_relver_read).  Sets o->build_version and o->rel, and exports
 * XBUILD_VERSION.
 */
const char *build_opts_version(struct build_opts *o);
/*
 * Load the profiles (or the embedded default), apply the command line,
 * print every diagnostic to stderr.  Returns EXIT_OK, or EXIT_USAGE when
 * the profile or the options are invalid.
 */
int build_opts_profile(struct build_opts *o, xb_profile *p);
/*
 * Choose the Go release of the run (go_version, go.mod's toolchain line,
 * the local go) and make g use it, fetching it when go must.  Returns
 * EXIT_OK, or an exit status after printing why it cannot.
 */
int build_choose_go(xb_goenv *g, const xb_profile *p);
/*
 * With no -p: push the profile xb_profile_discover finds (none: the
 * embedded default; build_say_profile says which).  EXIT_OK or EXIT_FAIL.
 */
int build_discover(xb_strv *profiles);
/* Say which profile discovery found (NULL: the embedded default). */
void build_say_profile(const char *found);
/* Print diagnostics to stderr. */
void build_print_diags(const xb_diags *d);

/*
 * Parse a building subcommand's arguments: options (which may follow the
 * package) into o, packages into pkgs.  Keys that are not build options go
 * to extra (which returns 1 when it took one); usage errors exit 2.
 */
void build_parse(int argc, char **argv, const struct cmd_opt *table,
		 const struct cmd_help *h, struct build_opts *o, xb_strv *pkgs,
		 int (*extra)(int key, const char *arg, void *ctx), void *ctx);

/* Everything a building subcommand plans with. */
struct build_session {
	xb_profile profile;
	xb_goenv go;
	xb_strv pkgs;     /* what to build; the profile's main, else "." */
	xb_plan *plans;   /* one per package and target, in that order */
	size_t nplans;
	size_t failed;    /* plans holding errors */
	bool quiet;       /* in: print errors only, no warnings (under make) */
	bool run_before;  /* in: run the profile's before: hooks first (build,
			   * release) */
	bool allow_no_pkg; /* in: with no package given, none in the profile
			    * and no Go file in the current directory, plan
			    * the targets alone, as for a pure Go main package
			    * without imports (xbuild env for C projects) */
	bool no_pkg;      /* out: that happened; plan warnings and errors
			   * (about a program that is not there) were not
			   * printed: the caller decides what they mean */
	bool stream;      /* in: with many plans, make none yet: they are
			   * made as their go list answers come
			   * (build_session_more), while the first builds
			   * run */
	size_t ntotal;    /* out: the plans to make; nplans of them are
			   * (with stream, build_run's results are
			   * ntotal) */
	int plan_status;  /* out, of build_run: with stream, a plan that
			   * could not be made stopped the run (exit
			   * status; 0: none did) */
	/* private */
	xb_plan_ask *asks;  /* what each plan is of */
	xb_plan_answers *answers; /* the go list answers still coming */
	xb_plan_opts po;
};

void build_session_init(struct build_session *s);
void build_session_release(struct build_session *s);
/*
 * Load the profile, ask Go, default to the host target when the profile
 * names none, and plan every package for every target (pkgs given on the
 * command line, else the profile's).  Warnings and plan errors are printed.
 * Returns EXIT_OK (some plans may still hold errors: s->failed),
 * EXIT_USAGE, or EXIT_FAIL.
 */
int build_session_plan(struct build_session *s, struct build_opts *o,
		       const xb_strv *pkgs, const xb_plan_opts *po);
/* With stream: make the plans whose go list answers came, in order,
 * printing their warnings and errors; *made is how many are made in all
 * (ntotal once every one is).  Never waits for go list: fd() is readable
 * when more answers came.  Returns an exit status as build_session_plan
 * does (a plan that could not be made at all: printed). */
int build_session_more(struct build_session *s, size_t *made);
int build_session_fd(const struct build_session *s);
/* The same for every plan still to make, waiting for go list. */
int build_session_finish(struct build_session *s);
/* No more plans are wanted: wait for the go lists still running. */
void build_session_end(struct build_session *s);

/*
 * True when make runs xbuild (MAKELEVEL or MAKEFLAGS in the environment):
 * then output stays quiet (errors only, on stderr, prefixed "xbuild:"), so
 * make's log stays make's.  Set run_opts.quiet and build_session.quiet
 * from it.
 */
bool build_under_make(void);

#endif
