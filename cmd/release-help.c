/* release-help.c: the options and help of `xbuild release` (release.h),
 * in both programs; the command itself is release.c, in the complete
 * program only. */
#include "buildopt.h"
#include "release.h"

static const struct cmd_opt release_opts[] = {
	BUILD_OPTS_SHARED,
	{ "output", 'o', required_argument, "DIR",
	  "the release folder (default: dist)" },
	{ "version", OPT_VERSION, required_argument, "VERSION",
	  "the release version: {version} and XBUILD_VERSION (default: dev)" },
	{ "snapshot", OPT_SNAPSHOT, no_argument, NULL,
	  "release uncommitted changes, as version TAG-SNAPSHOT-COMMIT" },
	{ "shard", OPT_SHARD, required_argument, "K/N",
	  "build only shard K of N of the matrix" },
	{ "verify-repro", OPT_VERIFY_REPRO, no_argument, NULL,
	  "build everything twice and compare the bytes" },
	{ "repro-cache", OPT_REPRO_CACHE, required_argument, "DIR",
	  "the second build's Go cache (default: a new empty one)" },
	{ "jobs", 'j', required_argument, "N",
	  "most builds at once (default: make's, else CPUs)" },
	{ "json", OPT_JSON, no_argument, NULL, "print the result as JSON" },
	{ "quiet", OPT_QUIET, no_argument, NULL,
	  "print only errors (the default under make)" },
	{ "verbose", OPT_VERBOSE, no_argument, NULL,
	  "print each target's environment and command as it starts" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help release_help = {
	"release", "[-p PROFILE] [-o DIR] [--version V] [--snapshot] [--shard K/N] "
	"[--verify-repro] [--json] [options] [PKG...]",
	"build the profile's matrix into a verified, reproducible release folder",
	release_opts,
	"Artifacts are named by the profile's output template, less a leading\n"
	"'dist/', inside DIR; the folder also holds the archives the profile\n"
	"asks for, manifest.json and a checksum file (SHA256SUMS unless the\n"
	"profile names another), and appears whole or not at all.  Binary and\n"
	"archive times come from SOURCE_DATE_EPOCH, else the commit time.\n"
	"Exit 0 ok, 1 a build failed, 2 usage or profile error, 3 an artifact\n"
	"broke its expectation or was not reproducible.\n",
};
