/* toolchain.h: the options of `xbuild toolchain`, whose table and help
 * (toolchain-help.c) both programs carry; the command itself is
 * toolchain.c, in the complete program only. */
#ifndef XBUILD_TOOLCHAIN_H
#define XBUILD_TOOLCHAIN_H

enum {
	OPT_JSON = 256,
	OPT_OFFLINE,
	OPT_LIBC,
	OPT_STATIC,
	OPT_GLIBC,
	OPT_CC,
	OPT_FETCH,
	OPT_FROM,
	OPT_ALL,
	OPT_NO_PROBE_CACHE,
};

#endif
