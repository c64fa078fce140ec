/* release.h: the options of `xbuild release`, whose table and help
 * (release-help.c) both programs carry: the front program lists and
 * explains the command that the complete one runs (release.c). */
#ifndef XBUILD_RELEASE_H
#define XBUILD_RELEASE_H

enum {
	OPT_VERSION = 256, OPT_SHARD, OPT_VERIFY_REPRO, OPT_REPRO_CACHE,
	OPT_JSON, OPT_JOBS, OPT_SNAPSHOT,
};
enum { OPT_QUIET = 'q', OPT_VERBOSE = 'v' };

#endif
