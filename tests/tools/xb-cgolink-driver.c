/* xb-cgolink-driver: the cgo link resolver, the linker output diagnosis
 * and the archive index reader, for the end-to-end tests.
 *
 *   xb-cgolink-driver resolve [--static|--static-pie] [--cross]
 *       [--sysroot S] [--toolchain-sysroot S] [--triplet T]
 *       [--pc-path DIR]... [--extra-lib L]... [--static-libstdcxx]
 *       [-C DIR] [PKG]
 *     runs go list in DIR (environment as given) and prints
 *       flag <f>, env <K=V>, reason <text>, error <text> lines, and
 *       ldflag <the -extldflags word for go's -ldflags>;
 *     exits 1 when there are errors.
 *   xb-cgolink-driver diag [--sysroot S] [--triplet T] [-L DIR]...
 *       [--max N] FILE
 *     prints one diagnosis per line; exits 1 when the output shows
 *     errors (undefined symbols, missing libraries), else 0.
 *   xb-cgolink-driver symbols ARCHIVE
 *     prints "format N" and the index's names, one a line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "bin/ar.h"
#include "cgolink.h"
#include "linkdiag.h"

static int usage(void)
{
	fprintf(stderr, "usage: xb-cgolink-driver resolve|diag|symbols ...\n");
	return 2;
}

static int cmd_resolve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "static", no_argument, NULL, 's' },
		{ "static-pie", no_argument, NULL, 'P' },
		{ "cross", no_argument, NULL, 'x' },
		{ "sysroot", required_argument, NULL, 'S' },
		{ "toolchain-sysroot", required_argument, NULL, 'T' },
		{ "triplet", required_argument, NULL, 't' },
		{ "pc-path", required_argument, NULL, 'p' },
		{ "extra-lib", required_argument, NULL, 'e' },
		{ "static-libstdcxx", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	xb_cgolink_opts o = XB_CGOLINK_OPTS_INIT;
	xb_strv pcpath = XB_STRV_INIT, extra = XB_STRV_INIT;
	const char *dir = NULL;
	xb_err err = XB_ERR_INIT;
	xb_cgolink q;
	xb_cgolink_out r;
	xb_buf word = XB_BUF_INIT;
	xb_code rc;
	int c;

	while ((c = getopt_long(argc, argv, "C:", opts, NULL)) != -1) {
		switch (c) {
		case 's': o.linkage = XB_CGOLINK_STATIC; break;
		case 'P': o.linkage = XB_CGOLINK_STATIC_PIE; break;
		case 'x': o.cross = true; break;
		case 'S': o.sysroot = optarg; break;
		case 'T': o.toolchain_sysroot = optarg; break;
		case 't': o.triplet = optarg; break;
		case 'p': xb_strv_push(&pcpath, optarg); break;
		case 'e': xb_strv_push(&extra, optarg); break;
		case 'X': o.static_libstdcxx = true; break;
		case 'C': dir = optarg; break;
		default: return usage();
		}
	}
	o.pkg_config_path = pcpath.n ? xb_strv_argv(&pcpath) : NULL;
	o.extra_libs = extra.n ? xb_strv_argv(&extra) : NULL;
	xb_cgolink_init(&q);
	xb_cgolink_out_init(&r);
	rc = xb_cgolink_query(NULL, dir, optind < argc ? argv[optind] : ".",
			      NULL, &q, &err);
	if (rc) {
		fprintf(stderr, "xb-cgolink-driver: %s\n", xb_errmsg(&err));
		return 1;
	}
	printf("cgo %d runtime_cgo %d cxx %d fortran %d packages %zu\n",
	       q.cgo, q.runtime_cgo, q.cxx, q.fortran, q.n);
	rc = xb_cgolink_resolve(&q, &o, &r, &err);
	for (size_t i = 0; i < r.extldflags.n; i++)
		printf("flag %s\n", r.extldflags.v[i]);
	for (size_t i = 0; i < r.env.n; i++)
		printf("env %s\n", r.env.v[i]);
	for (size_t i = 0; i < r.reasons.n; i++)
		printf("reason %s\n", r.reasons.v[i]);
	for (size_t i = 0; i < r.errors.n; i++)
		printf("error %s\n", r.errors.v[i]);
	if (!xb_cgolink_ldflag(&r.extldflags, &word, NULL))
		printf("ldflag %s\n", xb_buf_str(&word));
	if (rc)
		fprintf(stderr, "xb-cgolink-driver: %s\n", xb_errmsg(&err));
	xb_buf_release(&word);
	xb_cgolink_out_release(&r);
	xb_cgolink_release(&q);
	xb_strv_release(&pcpath);
	xb_strv_release(&extra);
	return rc ? 1 : 0;
}

static int cmd_diag(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "triplet", required_argument, NULL, 't' },
		{ "max", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	xb_linkdiag_opts o = { NULL, NULL, NULL, 0 };
	xb_strv dirs = XB_STRV_INIT, out = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	xb_buf b;
	size_t errors;
	int c;

	while ((c = getopt_long(argc, argv, "L:", opts, NULL)) != -1) {
		switch (c) {
		case 'S': o.sysroot = optarg; break;
		case 't': o.triplet = optarg; break;
		case 'm': o.max = (size_t)strtoul(optarg, NULL, 10); break;
		case 'L': xb_strv_push(&dirs, optarg); break;
		default: return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if (dirs.n)
		o.lib_dirs = xb_strv_argv(&dirs);
	xb_buf_init(&b, 64u << 20);
	if (xb_buf_read_file(&b, argv[optind], &err)) {
		fprintf(stderr, "xb-cgolink-driver: %s\n", xb_errmsg(&err));
		return 2;
	}
	errors = xb_linkdiag(b.data, b.len, &o, &out);
	for (size_t i = 0; i < out.n; i++)
		printf("%s\n", out.v[i]);
	xb_strv_release(&out);
	xb_strv_release(&dirs);
	xb_buf_release(&b);
	return errors ? 1 : 0;
}

static int cmd_symbols(int argc, char **argv)
{
	xb_ar_symtab st;
	xb_err err = XB_ERR_INIT;

	if (argc != 2)
		return usage();
	xb_ar_symtab_init(&st);
	if (xb_ar_symtab_read(&st, argv[1], &err)) {
		fprintf(stderr, "xb-cgolink-driver: %s\n", xb_errmsg(&err));
		return 1;
	}
	printf("format %d\n", (int)st.format);
	for (size_t i = 0; i < st.names.n; i++)
		printf("%s\n", st.names.v[i]);
	xb_ar_symtab_release(&st);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "resolve") == 0)
		return cmd_resolve(argc - 1, argv + 1);
	if (strcmp(argv[1], "diag") == 0)
		return cmd_diag(argc - 1, argv + 1);
	if (strcmp(argv[1], "symbols") == 0)
		return cmd_symbols(argc - 1, argv + 1);
	return usage();
}
