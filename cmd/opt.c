/* opt.c: option parsing and help text from one table per subcommand. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

void cmd_getopt_init(struct cmd_getopt *g, const struct cmd_opt *opts)
{
	size_t n = 0, s = 0;

	memset(g, 0, sizeof(*g));
	/* '-': operands come back in order as key 1 (cmd_getopt keeps them),
	 * so no second pass over argv and no POSIXLY_CORRECT to obey */
	g->shortopts[s++] = '-';
	g->shortopts[s++] = ':';
	for (; opts && opts[n].name && n < CMD_MAX_OPTS; n++) {
		struct option *o = &g->longopts[n];

		o->name = opts[n].name;
		o->has_arg = opts[n].has_arg;
		o->val = opts[n].key;
		if (opts[n].key > 0 && opts[n].key < 256) {
			g->shortopts[s++] = (char)opts[n].key;
			if (opts[n].has_arg == required_argument)
				g->shortopts[s++] = ':';
			else if (opts[n].has_arg == optional_argument) {
				g->shortopts[s++] = ':';
				g->shortopts[s++] = ':';
			}
		}
	}
	g->longopts[n].name = "help";
	g->longopts[n].val = OPT_HELP;
	g->shortopts[s++] = 'h';
}

/* The option of key as the user wrote it: "-t", or "--target" for any
 * abbreviation of it. */
static void opt_name(char *buf, size_t n, const struct cmd_getopt *g, int key,
		     const char *written)
{
	if (key > 0 && key < 256 && strncmp(written, "--", 2)) {
		snprintf(buf, n, "-%c", key);
		return;
	}
	for (const struct option *o = g->longopts; o->name; o++)
		if (o->val == key) {
			snprintf(buf, n, "--%s", o->name);
			return;
		}
	snprintf(buf, n, "%s", written);
}

/* A value that is empty, or that is itself one of the options ("--target
 * --static"): the value was left out. */
static bool missing_value(const struct cmd_getopt *g, const char *v)
{
	size_t n;

	if (!*v)
		return true;
	if (strncmp(v, "--", 2) || !v[2])
		return false;
	n = strcspn(v + 2, "=");
	for (const struct option *o = g->longopts; o->name; o++)
		if (strlen(o->name) == n && !strncmp(o->name, v + 2, n))
			return true;
	return false;
}

int cmd_getopt(int argc, char **argv, const struct cmd_help *h,
	       struct cmd_getopt *g)
{
	char name[64];
	int c;

	opterr = 0;
	/* An operand moves down to argv[1 + nops]: a slot getopt has read
	 * past (the operand's own or an earlier one). */
	while ((c = getopt_long(argc, argv, g->shortopts, g->longopts,
				NULL)) == 1)
		argv[1 + g->nops++] = optarg;
	switch (c) {
	case -1:
		/* the operands before "--" join those after it */
		memmove(&argv[optind - g->nops], &argv[1],
			(size_t)g->nops * sizeof(*argv));
		optind -= g->nops;
		g->nops = 0;
		return -1;
	case OPT_HELP:
		cmd_print_help(stdout, h);
		exit(EXIT_OK);
	case ':':
		/* name the option as it was written: --target, not -t */
		opt_name(name, sizeof(name), g, optopt, argv[optind - 1]);
		exit(cmd_usage_error(h, "option '%s' needs a value", name));
	case '?':
		if (optopt && optopt < 256)
			exit(cmd_usage_error(h, "unknown option '-%c'", optopt));
		exit(cmd_usage_error(h, "unknown option '%s'",
				     argv[optind - 1]));
	default:
		if (optarg && missing_value(g, optarg)) {
			/* "--target=" is one word; "--target --static" two */
			const char *w = argv[optind - (optarg == argv[optind - 1] ? 2 : 1)];
			opt_name(name, sizeof(name), g, c, w);
			exit(cmd_usage_error(h, "option '%s' needs a value", name));
		}
		return c;
	}
}

void cmd_once(const struct cmd_help *h, struct cmd_once *seen,
	      const char *opt, const char *arg)
{
	/* two values differ, or two options without one */
	if (seen->opt && (strcmp(seen->arg ? seen->arg : "", arg ? arg : "") ||
			  (!arg && !seen->arg && strcmp(seen->opt, opt))))
		exit(cmd_usage_error(h, "options '%s%s%s' and '%s%s%s' conflict",
				     seen->opt, seen->arg ? " " : "",
				     seen->arg ? seen->arg : "", opt,
				     arg ? " " : "", arg ? arg : ""));
	seen->opt = opt;
	seen->arg = arg;
}

void cmd_print_usage(FILE *f, const struct cmd_help *h)
{
	fprintf(f, "usage: xbuild %s%s%s\n", h->name, h->synopsis ? " " : "",
		h->synopsis ? h->synopsis : "");
}

void cmd_print_help(FILE *f, const struct cmd_help *h)
{
	cmd_print_usage(f, h);
	fprintf(f, "\n%s\n", h->summary);
	if (h->opts && h->opts[0].name) {
		fprintf(f, "\noptions:\n");
		for (const struct cmd_opt *o = h->opts; o->name; o++) {
			char left[64];
			int n = 0;

			if (o->key > 0 && o->key < 256)
				n = snprintf(left, sizeof(left), "-%c, ", o->key);
			else
				n = snprintf(left, sizeof(left), "    ");
			snprintf(left + n, sizeof(left) - (size_t)n, "--%s%s%s",
				 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
			if (strlen(left) > 26)
				fprintf(f, "  %s\n  %-26s %s\n", left, "", o->help);
			else
				fprintf(f, "  %-26s %s\n", left, o->help);
		}
		fprintf(f, "  -h, --help                 show this help\n");
	}
	if (h->details)
		fprintf(f, "\n%s", h->details);
}

int cmd_usage_error(const struct cmd_help *h, const char *fmt, ...)
{
	va_list ap;

	fputs("xbuild: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (h)
		cmd_print_usage(stderr, h);
	return EXIT_USAGE;
}

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fputs("xbuild: ", stderr);
	if (kind)
		fputs(kind, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(NULL, fmt, ap);
	va_end(ap);
}

void cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int cmd_report(const xb_err *err)
{
	cmd_error("%s", xb_errmsg(err));
	if (err->code == XB_ERR_USAGE || err->code == XB_ERR_PROFILE)
		return EXIT_USAGE;
	if (err->code == XB_ERR_EXPECT)
		return EXIT_EXPECT;
	return EXIT_FAIL;
}

int cmd_write_out(const xb_buf *b)
{
	if ((b->len && fwrite(b->data, 1, b->len, stdout) != b->len) ||
	    fflush(stdout) != 0) {
		cmd_error("cannot write output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
