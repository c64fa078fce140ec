/* toolchain-help.c: the options and help of `xbuild toolchain`
 * (toolchain.h), in both programs. */
#include "cmd.h"
#include "toolchain.h"

static const struct cmd_opt toolchain_opts[] = {
	{ "json", OPT_JSON, no_argument, NULL,
	  "print JSON (list, find, fetch, path, verify)" },
	{ "offline", OPT_OFFLINE, no_argument, NULL,
	  "never use the network (also XBUILD_OFFLINE=1)" },
	{ "libc", OPT_LIBC, required_argument, "LIBC",
	  "find: glibc, musl, mingw or auto (default)" },
	{ "static", OPT_STATIC, no_argument, NULL,
	  "find: the compiler must link statically" },
	{ "glibc", OPT_GLIBC, required_argument, "VERSION",
	  "find: glibc floor for zig (2.17)" },
	{ "cc", OPT_CC, required_argument, "CC",
	  "find: prove this compiler instead of searching" },
	{ "fetch", OPT_FETCH, no_argument, NULL,
	  "find: fetch the pinned zig when nothing else works" },
	{ "from", OPT_FROM, required_argument, "FILE",
	  "fetch: install from a local archive file" },
	{ "all", OPT_ALL, no_argument, NULL,
	  "gc: also remove installs and downloads the data no longer names" },
	{ "no-probe-cache", OPT_NO_PROBE_CACHE, no_argument, NULL,
	  "find: prove candidates again, ignoring remembered results" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help toolchain_help = {
	"toolchain", "list | find TARGET | fetch ID | path ID | verify [ID...] | gc",
	"find, prove, fetch and cache the C cross compilers cgo needs",
	toolchain_opts,
	"actions:\n"
	"  list         targets, the compilers on PATH for each, the pinned\n"
	"               archives with their cache state, and the Go releases\n"
	"               go_version can use: installed (local) or downloaded by\n"
	"               go into its module cache (cached)\n"
	"  find TARGET  the compiler chosen for TARGET (linux/arm64, linux/arm/v7)\n"
	"               and why, with every rejected candidate and the reason\n"
	"  fetch ID     download, verify and install a pinned archive\n"
	"  path ID      the install folder of a cached archive (fails if absent)\n"
	"  verify       re-hash every install in the cache (or the IDs given)\n"
	"  gc           remove stale temp folders and incomplete installs\n",
};
