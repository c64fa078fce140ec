/* cmd.h: what the xbuild program's subcommands share.  Only cmd/ prints,
 * exits or picks exit codes; lib/ returns xb_code and xb_err. */
#ifndef XBUILD_CMD_H
#define XBUILD_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "../lib/xbuild.h"

/* Exit codes, documented in docs/xbuild.1 (EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,   /* a build, check or download failed */
	EXIT_USAGE = 2,  /* bad usage or an invalid profile */
	EXIT_EXPECT = 3, /* an artifact broke its expectation */
	EXIT_SIGINT = 130,
	EXIT_SIGTERM = 143,
};

/* One option of a subcommand: drives getopt_long and the help text. */
struct cmd_opt {
	const char *name; /* long name, without "--" */
	int key;          /* short option character, or a value >= 256 */
	int has_arg;      /* no_argument, required_argument */
	const char *arg;  /* shown in help: "FILE" */
	const char *help; /* one line */
};

struct cmd_help {
	const char *name;     /* subcommand */
	const char *synopsis; /* after "xbuild NAME " */
	const char *summary;  /* one line, lowercase, no full stop */
	const struct cmd_opt *opts; /* terminated by { NULL } */
	const char *details;  /* optional paragraphs after the options */
};

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const struct cmd_help *help;
};

/* The table in main.c, terminated by { NULL }. */
extern const struct cmd cmd_table[];
const struct cmd *cmd_find(const char *name);

/* Built from a cmd_opt table for getopt_long; "--help" / "-h" are always
 * added.  Options may come before, between and after operands (as GNU
 * tools take them, whatever POSIXLY_CORRECT says); "--" ends them. */
#define CMD_MAX_OPTS 64
struct cmd_getopt {
	struct option longopts[CMD_MAX_OPTS + 2];
	char shortopts[3 * CMD_MAX_OPTS + 4];
	int nops; /* operands seen so far, kept in argv[1..nops] */
};
#define OPT_HELP 'h'
void cmd_getopt_init(struct cmd_getopt *g, const struct cmd_opt *opts);

/*
 * Parse one option.  Returns the key, or -1 when every argument was read:
 * then the operands, in the order given, are argv[optind..argc-1] (argv
 * is reordered).  Call it until it returns -1, once per argv.  --help
 * prints the help and exits 0; an unknown option or a missing argument
 * prints one line and the usage to stderr and exits 2.
 */
int cmd_getopt(int argc, char **argv, const struct cmd_help *h,
	       struct cmd_getopt *g);

/*
 * One choice the command line makes once: options that exclude one
 * another (--print, --json), or options that give one value (--format,
 * or --version and --build-version).  The first is remembered as written
 * ("--cgo on"); a second with another value, or another option without
 * one, is a usage error naming both (exit 2).  opt and arg must outlive
 * *seen (option names and argv do).
 */
struct cmd_once {
	const char *opt, *arg;
};
void cmd_once(const struct cmd_help *h, struct cmd_once *seen,
	      const char *opt, const char *arg);

void cmd_print_help(FILE *f, const struct cmd_help *h);
void cmd_print_usage(FILE *f, const struct cmd_help *h);
/* "xbuild: <message>" and the usage on stderr; returns EXIT_USAGE. */
int cmd_usage_error(const struct cmd_help *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Text read from a file (a binary's interpreter, library names, a path
 * from a tree), made safe for a terminal: every byte that is not
 * printable ASCII or part of a printable UTF-8 character (control
 * characters, C1 controls, bidirectional overrides, invalid sequences)
 * is written \xHH, so no escape sequence, carriage return or newline
 * gets through.  cmd_text appends to b; cmd_safe returns the text in one
 * of 8 buffers used in turn (enough for the fields of one line), NULL for
 * NULL.
 */
void cmd_text(xb_buf *b, const char *s);
const char *cmd_safe(const char *s);

/*
 * A status word ("ok", "built and verified", "failed", "broken",
 * "skipped", ...) on f, in green, red or yellow when f is a terminal,
 * TERM is not dumb and NO_COLOR is unset or empty; plain otherwise.
 */
void cmd_put_status(FILE *f, const char *word);

/* "xbuild: <message>" on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print err's message; returns EXIT_FAIL, or EXIT_USAGE for usage and
 * profile errors. */
int cmd_report(const xb_err *err);
/* Write a finished buffer to stdout; EXIT_FAIL (with a message) if that
 * fails, e.g. on a closed pipe, or if an append to b failed (nothing is
 * written then). */
int cmd_write_out(const xb_buf *b);

/*
 * Two programs: `xbuild`, the front, which links neither libcurl nor
 * libarchive and so starts in a fraction of the time, and the complete
 * program, xbuild-full (in LIBEXECDIR/xbuild, or beside xbuild in the
 * source tree), with every command.  The front hands a command line it
 * cannot run (release, toolchain, a build that may download a C
 * toolchain) to the complete program whole, before it has done anything.
 * front.c and full.c each make one of them.
 */
/* The command line and the environment as main got them. */
extern char **cmd_argv, **cmd_envp;
/* In the front: run cmd_argv with cmd_envp in the complete program, since
 * `what` needs it; returns only when that fails, with EXIT_FAIL and a
 * message.  In the complete program: 0, at once. */
int cmd_need_full(const char *what);
/* xb_fetch_archive in the complete program; NULL in the front. */
extern const xb_fetch_fn cmd_fetcher;

/* Subcommands, one file each. */
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_toolchain(int argc, char **argv);
extern const struct cmd_help help_help, version_help;
int cmd_merge(int argc, char **argv);
extern const struct cmd_help merge_help;
int cmd_check(int argc, char **argv);
extern const struct cmd_help check_help;
int cmd_plan(int argc, char **argv);
extern const struct cmd_help plan_help;
int cmd_build(int argc, char **argv);
extern const struct cmd_help build_help;
int cmd_env(int argc, char **argv);
extern const struct cmd_help env_help;
int cmd_inspect(int argc, char **argv);
int cmd_verify(int argc, char **argv);
extern const struct cmd_help inspect_help, verify_help;
extern const struct cmd_help toolchain_help;
int cmd_release(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
extern const struct cmd_help release_help, matrix_help;
int cmd_sbom(int argc, char **argv);
extern const struct cmd_help sbom_help;

#endif
