/* front.c: what makes the front program, `xbuild` (cmd.h): the commands
 * that need libcurl or libarchive (release; toolchain fetch, verify, gc)
 * run in the complete program, found
 * beside this one as it is installed (../libexec/xbuild/xbuild-full) or
 * as the source tree builds it (xbuild-full in the same folder). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "toolchain.h"

#define FULL_NAME "xbuild-full"

const xb_fetch_fn cmd_fetcher = NULL;

int cmd_need_full(const char *what)
{
	static const char *const rel[] = { "/../libexec/xbuild/" FULL_NAME,
		"/" FULL_NAME };
	const char *dir = xb_self_dir();
	char path[PATH_MAX + 64];
	int first = 0;

	fflush(stdout);
	for (size_t i = 0; dir[0] && i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, rel[i]);
		execve(path, cmd_argv, cmd_envp);
		/* a missing file: the next place; anything else is news */
		if (errno != ENOENT && !first)
			first = errno;
	}
	if (first)
		cmd_error("%s needs the complete program, %s: %s", what,
			  FULL_NAME, strerror(first));
	else
		cmd_error("%s needs the complete program, %s, which is neither "
			  "in '%s/../libexec/xbuild' nor in '%s' (reinstall "
			  "xbuild)", what, FULL_NAME, dir, dir);
	return EXIT_FAIL;
}

int cmd_release(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_need_full("xbuild release");
}

int cmd_toolchain_full(const struct tc_args *a, const char *action, int n,
		       char **operands)
{
	char what[64];

	(void)a;
	(void)n;
	(void)operands;
	snprintf(what, sizeof(what), "xbuild toolchain %s", action);
	return cmd_need_full(what);
}
