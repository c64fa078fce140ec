/* toolchain.h: the options of `xbuild toolchain`, whose table and help
 * (toolchain-help.c) both programs carry, and what the command's two
 * halves share: toolchain.c (list, find, path; in both programs) and
 * toolchain-full.c (fetch, verify, gc; in the complete one only). */
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

struct tc_args {
	bool json, offline, need_static, fetch, all, no_probe_cache;
	const char *libc, *glibc, *cc, *from;
};

/* The toolchain data (the .yaml files of toolchains/) into d: EXIT_OK, or the exit
 * code after saying why (d then holds nothing). */
int tc_load_data(xb_tc_data *d);
/* The archive id of d, or NULL after saying why (*rc: the exit code). */
const xb_tc_archive *tc_find_archive(const xb_tc_data *d, const char *id,
				     int *rc);
/* The two above: the archive id of the data loaded into d (released
 * again when there is no such archive), or NULL after saying why. */
const xb_tc_archive *tc_load_archive(xb_tc_data *d, const char *id, int *rc);
/* fetch (one operand), verify (n) or gc: in xbuild-full, else handed to
 * it whole (cmd_need_full). */
int cmd_toolchain_full(const struct tc_args *a, const char *action, int n,
		       char **operands);

#endif
