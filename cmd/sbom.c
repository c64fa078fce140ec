/* sbom.c: `xbuild sbom [--format cyclonedx|spdx] [-o FILE|DIR] BINARY...`:
 * a CycloneDX or SPDX document of what each Go binary links, read from
 * the binary itself (never run). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"

enum { OPT_FORMAT = 256 };

static const struct cmd_opt sbom_opts[] = {
	{ "format", OPT_FORMAT, required_argument, "FORMAT",
	  "cyclonedx (CycloneDX 1.5 JSON, the default) or spdx (SPDX 2.3 JSON)" },
	{ "output", 'o', required_argument, "FILE|DIR",
	  "write to FILE (one binary) or into DIR as NAME.cdx.json or "
	  "NAME.spdx.json (several)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help sbom_help = {
	"sbom", "[--format cyclonedx|spdx] [-o FILE|DIR] BINARY...",
	"write a bill of materials of what a Go binary links, read from the binary",
	sbom_opts,
	"The modules, their versions and go.sum hashes, the Go release, the\n"
	"build settings, the libc and the linkage come from the binary's Go\n"
	"build info and headers, not from go.mod.  One binary's document goes\n"
	"to standard output unless -o names a file; several binaries need -o\n"
	"DIR.  The time is SOURCE_DATE_EPOCH when set, else CycloneDX has\n"
	"none and SPDX has the current time.\n",
};

static const char *base_name(const char *path)
{
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

/* Where the SBOM of path goes: out itself for one binary, else
 * out/BASENAME.SUFFIX.  Caller frees. */
static char *dest(const char *out, bool many, const char *path,
		  const char *format)
{
	xb_buf b = XB_BUF_INIT;

	if (!many)
		return strdup(out);
	xb_buf_addf(&b, "%s/%s%s", out, base_name(path), xb_sbom_suffix(format));
	return xb_buf_take(&b);
}

/* One binary's SBOM into b; EXIT_OK or EXIT_FAIL (with a message). */
static int one(const char *path, const char *format, long long epoch,
	       xb_buf *b)
{
	const char *base = base_name(path);
	xb_err err = XB_ERR_INIT;
	unsigned char d[32];
	char hex[65];
	xb_facts f;
	xb_code rc;
	xb_sbom_opts o = { format, base, hex, epoch, NULL };

	xb_facts_init(&f);
	rc = xb_inspect(path, &f, &err);
	if (!rc)
		rc = xb_sha256_file(path, d, &err);
	if (!rc) {
		xb_hex(d, 32, hex);
		rc = xb_sbom_write(&f, &o, b, &err);
	}
	xb_facts_release(&f);
	if (rc) {
		cmd_error("%s: %s", cmd_safe(path), cmd_safe(xb_errmsg(&err)));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* The document time: SOURCE_DATE_EPOCH, else -1 (none). */
static int sde_epoch(long long *epoch)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;

	*epoch = -1;
	if (!s || !*s)
		return EXIT_OK;
	errno = 0;
	*epoch = strtoll(s, &end, 10);
	if (errno || *end || *epoch < 0) {
		cmd_error("SOURCE_DATE_EPOCH '%s' is not a number of seconds",
			  cmd_safe(s));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Write b to file, or to stdout when file is NULL. */
static int emit(const xb_buf *b, const char *file)
{
	xb_err err = XB_ERR_INIT;

	if (!file)
		return cmd_write_out(b);
	if (xb_write_file_atomic(file, b->data, b->len, 0644, &err)) {
		cmd_error("%s", cmd_safe(xb_errmsg(&err)));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_sbom(int argc, char **argv)
{
	const char *format = "cyclonedx", *out = NULL;
	struct cmd_once fo = { 0 };
	struct cmd_getopt g;
	long long epoch;
	int c, status = EXIT_OK, nops;
	bool many;

	cmd_getopt_init(&g, sbom_opts);
	while ((c = cmd_getopt(argc, argv, &sbom_help, &g)) != -1) {
		if (c == OPT_FORMAT) {
			cmd_once(&sbom_help, &fo, "--format", optarg);
			format = optarg;
		} else if (c == 'o') {
			out = optarg;
		}
	}
	nops = argc - optind;
	if (nops == 0)
		return cmd_usage_error(&sbom_help, "no binary to describe");
	if (!xb_sbom_format_ok(format))
		return cmd_usage_error(&sbom_help, "unknown SBOM format '%s' "
				       "(expected cyclonedx or spdx)",
				       cmd_safe(format));
	many = nops > 1;
	if (many && !out)
		return cmd_usage_error(&sbom_help, "several binaries need "
				       "-o DIR");
	if ((status = sde_epoch(&epoch)))
		return status;
	for (int i = optind; many && i < argc; i++)
		for (int k = optind; k < i; k++)
			if (!strcmp(base_name(argv[i]), base_name(argv[k])))
				return cmd_usage_error(&sbom_help, "'%s' and "
						       "'%s' would write one "
						       "file in '%s'",
						       cmd_safe(argv[k]),
						       cmd_safe(argv[i]),
						       cmd_safe(out));
	if (many && xb_mkdir_p(out, NULL)) {
		cmd_error("cannot make folder '%s': %s", cmd_safe(out),
			  strerror(errno));
		return EXIT_FAIL;
	}
	for (int i = optind; i < argc; i++) {
		xb_buf b = XB_BUF_INIT;
		char *file = out ? dest(out, many, argv[i], format) : NULL;

		xb_buf_init(&b, 256u << 20);
		if (out && !file) {
			cmd_error("out of memory");
			status = EXIT_FAIL;
		} else if (one(argv[i], format, epoch, &b) || emit(&b, file))
			status = EXIT_FAIL;
		free(file);
		xb_buf_release(&b);
	}
	return status;
}
