/* buildopt.h: the options every building subcommand shares (plan, and
 * later build): profiles, targets and setting overrides.  One table, one
 * parser, so `xbuild plan` and `xbuild build` cannot drift apart. */
#ifndef XBUILD_BUILDOPT_H
#define XBUILD_BUILDOPT_H

#include "cmd.h"

enum {
	BOPT_STATIC = 300, BOPT_STATIC_PIE, BOPT_DYNAMIC, BOPT_CGO, BOPT_LINKER,
	BOPT_LIBC, BOPT_TAGS, BOPT_LDFLAGS, BOPT_STRIP, BOPT_GO, BOPT_SET,
	BOPT_BUILD_VERSION, BOPT_BUILDMODE, BOPT_TOOLCHAIN,
};

/* Spliced into a subcommand's cmd_opt table. */
#define BUILD_OPTS \
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
	{ "go", BOPT_GO, required_argument, "PATH", "the go command to use" }, \
	{ "output", 'o', required_argument, "TEMPLATE", \
	  "output path template" }, \
	{ "build-version", BOPT_BUILD_VERSION, required_argument, "VERSION", \
	  "the {version} of output names" }, \
	{ "set", BOPT_SET, required_argument, "KEY=VALUE", \
	  "set any profile setting" }

struct build_opts {
	xb_strv profiles;
	xb_strv targets;
	xb_settings over;  /* command-line settings */
	const char *go;
	const char *output;
	const char *build_version;
};

void build_opts_init(struct build_opts *o);
void build_opts_release(struct build_opts *o);
/* Handle one option key; 1 when it was a build option, 0 when not.  A bad
 * value prints a usage error and exits 2. */
int build_opts_handle(struct build_opts *o, int key, const char *arg,
		      const struct cmd_help *h);
/*
 * Load the profiles (or the embedded default), apply the command line,
 * print every diagnostic to stderr.  Returns EXIT_OK, or EXIT_USAGE when
 * the profile or the options are invalid.
 */
int build_opts_profile(struct build_opts *o, xb_profile *p);
/* Print diagnostics to stderr. */
void build_print_diags(const xb_diags *d);

#endif
