/* verify.c: `xbuild verify`: hold artifacts to an expectation, the same
 * check the build pipeline runs on everything it produces. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { OPT_EXPECT = 'e', OPT_QUIET = 'q', OPT_VERBOSE = 'v' };

static const struct cmd_opt verify_opts[] = {
	{ "expect", OPT_EXPECT, required_argument, "SPEC",
	  "what every file must be: key=value,... (repeatable)" },
	{ "quiet", OPT_QUIET, no_argument, NULL,
	  "print only violations and errors" },
	{ "verbose", OPT_VERBOSE, no_argument, NULL,
	  "with each ok, the facts it was judged by" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help verify_help = {
	"verify", "[-q | -v] FILE... --expect SPEC",
	"check binaries against an expectation, without running them",
	verify_opts,
	"SPEC keys: format, arch, linkage, libc, interpreter, max-glibc, needed\n"
	"(colon-separated allow-list), stripped, pie, relro, cgo, go-version\n"
	"(or go: the Go release that built it), go:SETTING.\n"
	"Example: --expect linkage=static,arch=arm64,max-glibc=2.17,cgo=0\n"
	"         --expect go=1.27.3\n"
	"Exit status: 0 every file meets it, 3 some file broke it (every\n"
	"violation is listed), 1 a file could not be read.\n",
};

/* -v: what the expectation keys read in the file */
static void facts_line(const xb_facts *f)
{
	const char *const kv[] = { "format", f->format, "arch", f->arch,
		"linkage", f->linkage, "libc", f->libc, "interpreter",
		f->interpreter, "max-glibc", f->glibc_max };

	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i += 2)
		if (kv[i + 1])
			printf("%s%s=%s", i ? "," : " (", kv[i], cmd_safe(kv[i + 1]));
	if (f->go && f->go->version)
		printf(",go=%s", cmd_safe(f->go->version));
	putchar(')');
}

int cmd_verify(int argc, char **argv)
{
	struct cmd_getopt g;
	xb_expect e;
	xb_strv files;
	xb_err err = XB_ERR_INIT;
	int c, status = EXIT_OK, broken = 0, unreadable = 0;
	bool quiet = false, verbose = false, have_expect = false;
	struct cmd_once loud = { 0 };

	xb_expect_init(&e);
	xb_strv_init(&files);
	cmd_getopt_init(&g, verify_opts);
	while ((c = cmd_getopt(argc, argv, &verify_help, &g)) != -1) {
		if (c == OPT_QUIET || c == OPT_VERBOSE)
			cmd_once(&verify_help, &loud, c == OPT_QUIET ? "--quiet" :
				 "--verbose", NULL);
		if (c == OPT_QUIET)
			quiet = true;
		else if (c == OPT_VERBOSE)
			verbose = true;
		else if (c == OPT_EXPECT) {
			have_expect = true;
			if (xb_expect_parse(&e, optarg, &err)) {
				xb_expect_release(&e);
				xb_strv_release(&files);
				return cmd_usage_error(&verify_help, "%s", xb_errmsg(&err));
			}
		}
	}
	while (optind < argc)
		xb_strv_push(&files, argv[optind++]);
	if (xb_strv_failed(&files)) { /* a file left out would go unverified */
		xb_expect_release(&e);
		xb_strv_release(&files);
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	if (!have_expect || files.n == 0) {
		xb_expect_release(&e);
		xb_strv_release(&files);
		return cmd_usage_error(&verify_help, "%s",
				       have_expect ? "no file to verify"
						   : "missing --expect SPEC");
	}
	for (size_t i = 0; i < files.n; i++) {
		const char *path = files.v[i];
		xb_strv v;
		xb_facts f;
		xb_code rc;

		xb_facts_init(&f);
		xb_strv_init(&v);
		err = (xb_err)XB_ERR_INIT;
		rc = xb_inspect(path, &f, &err);
		fflush(stdout); /* keep each reason next to its file */
		/* what the file says is its own: cmd_safe */
		if (rc && !f.format) {
			cmd_error("%s: %s", cmd_safe(path), cmd_safe(xb_errmsg(&err)));
			unreadable++;
		} else {
			if (rc) /* malformed: say so, then judge what was read */
				cmd_error("%s: %s", cmd_safe(path),
					  cmd_safe(xb_errmsg(&err)));
			if (xb_verify(&f, &e, &v) == XB_ERR_EXPECT) {
				broken++;
				for (size_t k = 0; k < v.n; k++)
					printf("%s: %s\n", cmd_safe(path),
					       cmd_safe(v.v[k]));
			} else if (rc) {
				unreadable++;
			} else if (!quiet) {
				printf("%s: ", cmd_safe(path));
				cmd_put_status(stdout, "ok");
				if (verbose)
					facts_line(&f);
				putchar('\n');
			}
		}
		xb_strv_release(&v);
		xb_facts_release(&f);
	}
	fflush(stdout);
	if (broken) {
		cmd_error("%d of %zu file%s broke the expectation", broken, files.n,
			  files.n == 1 ? "" : "s");
		status = EXIT_EXPECT;
	} else if (unreadable) {
		status = EXIT_FAIL;
	}
	xb_expect_release(&e);
	xb_strv_release(&files);
	if (fflush(stdout) != 0)
		return EXIT_FAIL;
	return status;
}
