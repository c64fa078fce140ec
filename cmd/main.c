/* main.c: the xbuild program: global options and the subcommand table. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

/* One row per subcommand, in the order `xbuild --help` lists them. */
const struct cmd cmd_table[] = {
	{ "build", cmd_build, &build_help },
	{ "plan", cmd_plan, &plan_help },
	{ "env", cmd_env, &env_help },
	{ "check", cmd_check, &check_help },
	{ "inspect", cmd_inspect, &inspect_help },
	{ "verify", cmd_verify, &verify_help },
	{ "sbom", cmd_sbom, &sbom_help },
	{ "toolchain", cmd_toolchain, &toolchain_help },
	{ "release", cmd_release, &release_help },
	{ "matrix", cmd_matrix, &matrix_help },
	{ "merge", cmd_merge, &merge_help },
	{ "help", cmd_help, &help_help },
	{ "version", cmd_version, &version_help },
	{ NULL, NULL, NULL },
};

static const struct cmd_help main_help = {
	"", "[--help | --version | --mk-path | SUBCOMMAND [ARGS...]]",
	"build Go programs for many targets, static or cgo-linked, and prove "
	"each artifact is what was asked for",
	NULL, NULL,
};

const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *c = cmd_table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void main_usage(FILE *f)
{
	fprintf(f, "usage: xbuild [--help | --version | --mk-path] "
		"SUBCOMMAND [ARGS...]\n"
		"       xbuild [build options] [PKG...]\n\n"
		"%s\n\nsubcommands:\n", main_help.summary);
	for (const struct cmd *c = cmd_table; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->help->summary);
	fprintf(f, "\n--mk-path prints the path of xbuild.mk, for Makefiles:\n"
		"  include $(or $(shell xbuild --mk-path),$(error xbuild not found))\n"
		"\nRun 'xbuild help SUBCOMMAND' for a subcommand's options.\n"
		"Exit status: 0 ok, 1 failure, 2 usage or profile error,\n"
		"3 an artifact broke its expectation.  See xbuild(1).\n");
}

int cmd_help(int argc, char **argv)
{
	const struct cmd *c;
	struct cmd_getopt g;

	cmd_getopt_init(&g, NULL);
	while (cmd_getopt(argc, argv, &help_help, &g) != -1)
		;
	if (optind >= argc) {
		main_usage(stdout);
		return EXIT_OK;
	}
	if (optind + 1 < argc)
		return cmd_usage_error(&help_help, "too many arguments");
	c = cmd_find(argv[optind]);
	if (!c)
		return cmd_usage_error(&help_help, "unknown subcommand '%s'",
				       argv[optind]);
	cmd_print_help(stdout, c->help);
	return EXIT_OK;
}

/* xbuild.mk: installed in the data folder, share/ of the source tree. */
static int mk_path(int argc)
{
	const char *dir = xb_datadir();
	xb_buf b = XB_BUF_INIT;
	int status = EXIT_FAIL;

	if (argc > 2) {
		cmd_error("--mk-path takes no arguments");
		main_usage(stderr);
		return EXIT_USAGE;
	}
	for (int i = 0; i < 2 && status; i++) {
		xb_buf_reset(&b);
		xb_buf_addf(&b, i ? "%s/share/xbuild.mk" : "%s/xbuild.mk", dir);
		if (access(xb_buf_str(&b), R_OK) == 0) {
			xb_buf_addc(&b, '\n');
			status = cmd_write_out(&b);
		}
	}
	if (status && b.len)
		cmd_error("cannot find xbuild.mk in '%s' or '%s/share' (install "
			  "xbuild, or set XBUILD_DATADIR)", dir, dir);
	xb_buf_release(&b);
	return status;
}

char **cmd_argv, **cmd_envp;

/* A copy of the array v of n pointers and its NULL (getopt reorders argv,
 * setenv changes environ; the strings themselves stay). */
static char **keep(char **v, size_t n)
{
	char **k = calloc(n + 1, sizeof(*k));

	if (!k) {
		cmd_error("out of memory");
		exit(EXIT_FAIL);
	}
	memcpy(k, v, n * sizeof(*k));
	return k;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	size_t nenv = 0;

	while (environ[nenv])
		nenv++;
	cmd_argv = keep(argv, (size_t)argc);
	cmd_envp = keep(environ, nenv);
	/* A closed pipe should give an error from write, not kill us. */
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		/* a reminder, not the manual: that is --help */
		fprintf(stderr, "usage: xbuild [--help | --version | --mk-path] "
			"SUBCOMMAND [ARGS...]\n"
			"       xbuild [build options] [PKG...]\n"
			"Run 'xbuild --help' for the subcommands.\n");
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		main_usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(1, argv);
	if (strcmp(argv[1], "--mk-path") == 0)
		return mk_path(argc);
	/* build is the default: `xbuild --target linux/arm64 --static
	 * ./cmd/app` and `xbuild ./cmd/app` work as written */
	if (argv[1][0] == '-' || argv[1][0] == '.' || argv[1][0] == '/') {
		optind = 1;
		return cmd_build(argc, argv);
	}
	c = cmd_find(argv[1]);
	if (!c) {
		cmd_error("unknown subcommand '%s'", argv[1]);
		main_usage(stderr);
		return EXIT_USAGE;
	}
	optind = 1;
	return c->run(argc - 1, argv + 1);
}
