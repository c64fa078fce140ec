/* help.c: `xbuild help` and `xbuild version`. */
#include "cmd.h"

const struct cmd_help help_help = {
	"help", "[SUBCOMMAND]", "show the subcommands, or one subcommand's options",
	NULL, NULL,
};

static const struct cmd_opt version_opts[] = {
	{ "json", 256, no_argument, NULL, "print the version as JSON" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help version_help = {
	"version", "[--json]", "print the version of xbuild",
	version_opts, NULL,
};

int cmd_version(int argc, char **argv)
{
	struct cmd_getopt g;
	int c, json = 0;

	cmd_getopt_init(&g, version_opts);
	while ((c = cmd_getopt(argc, argv, &version_help, &g)) != -1)
		if (c == 256)
			json = 1;
	if (optind < argc)
		return cmd_usage_error(&version_help, "unexpected argument '%s'",
				       argv[optind]);
	if (json)
		printf("{\"version\":\"%s\"}\n", XB_VERSION);
	else
		printf("xbuild %s\n", XB_VERSION);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
