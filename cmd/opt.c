/* opt.c: option parsing and help text from one table per subcommand. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The length of the printable UTF-8 character at s, 0 when there is
 * none: a valid sequence (no overlong form, surrogate or code point past
 * U+10FFFF) of a character that is neither a C1 control nor a
 * bidirectional control. */
static size_t printable_utf8(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	unsigned lo = 0x80, hi = 0xbf;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	cp = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf))
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < 0xa0 || (cp >= 0x200e && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return n;
}

void cmd_text(xb_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p >= 0x20 && *p < 0x7f ? 1 :
			*p >= 0x80 ? printable_utf8(p) : 0;

		if (n) {
			xb_buf_add(b, p, n);
			p += n;
		} else {
			xb_buf_addf(b, "\\x%02x", *p++);
		}
	}
}

const char *cmd_safe(const char *s)
{
	static xb_buf ring[8];
	static size_t next;
	xb_buf *b;

	if (!s)
		return NULL;
	b = &ring[next++ % 8];
	xb_buf_reset(b);
	cmd_text(b, s);
	return xb_buf_str(b);
}

void cmd_put_status(FILE *f, const char *word)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	int sgr = !strcmp(word, "ok") || !strcmp(word, "built and verified") ||
		!strcmp(word, "up to date") ?
		32 : !strcmp(word, "failed") || !strcmp(word, "broken") ? 31 : 33;

	if ((nc && *nc) || !term || !strcmp(term, "dumb") || !isatty(fileno(f)))
		fputs(word, f);
	else
		fprintf(f, "\033[%dm%s\033[0m", sgr, word);
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
	/* never output with a piece missing: the appends were not checked */
	if (xb_buf_failed(b)) {
		cmd_error("cannot write output: %s", xb_strerror(xb_buf_failed(b)));
		return EXIT_FAIL;
	}
	if ((b->len && fwrite(b->data, 1, b->len, stdout) != b->len) ||
	    fflush(stdout) != 0) {
		cmd_error("cannot write output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
