/* inspect.c: `xbuild inspect`: what file, ldd, readelf and `go version -m`
 * say about binaries, in one pass and without executing anything. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

enum { OPT_JSON = 256 };

static const struct cmd_opt inspect_opts[] = {
	{ "recursive", 'r', no_argument, NULL,
	  "walk directories; skip files that are not binaries" },
	{ "json", OPT_JSON, no_argument, NULL,
	  "print the facts as JSON (an object, or an array for several files)" },
	{ "verbose", 'v', no_argument, NULL, "print every fact, one per line" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help inspect_help = {
	"inspect", "[-r] [--json] [-v] FILE|DIR|-...",
	"read ELF, Mach-O and PE binaries and their Go build info, without running them",
	inspect_opts,
	"A path of '-' reads paths from standard input, one per line.  A file\n"
	"that cannot be read or is malformed gets a one-line reason on stderr;\n"
	"the others are still inspected, and the exit status is 1.\n",
};

struct inspect_run {
	bool json, verbose, recursive, array;
	size_t printed;
	int status;
	xb_buf out; /* the output not yet written, of many files */
};

/* Output is written when this much has gathered (one write for many
 * files), before a message on stderr (which follows its file) and at
 * the end. */
#define OUT_FLUSH 65536

static void flush_out(struct inspect_run *r)
{
	if ((r->out.len || xb_buf_failed(&r->out)) && cmd_write_out(&r->out))
		r->status = EXIT_FAIL;
	xb_buf_reset(&r->out);
}

static const char *type_words(const char *t)
{
	if (!t)
		return "unknown type";
	if (!strcmp(t, "exec"))
		return "executable";
	if (!strcmp(t, "pie"))
		return "pie executable";
	if (!strcmp(t, "shared"))
		return "shared object";
	if (!strcmp(t, "core"))
		return "core file";
	return t;
}

static void summary_one(xb_buf *b, const xb_facts *f)
{
	const char *fmt = !strcmp(f->format, "elf") ? "ELF" :
			  !strcmp(f->format, "pe") ? (f->bits == 64 ? "PE32+" : "PE32") :
			  "Mach-O";

	if (f->bits && strcmp(f->format, "pe"))
		xb_buf_addf(b, "%s %d-bit %s %s", fmt, f->bits,
			    f->endian && !strcmp(f->endian, "big") ? "MSB" : "LSB",
			    cmd_safe(type_words(f->type)));
	else
		xb_buf_addf(b, "%s %s", fmt, cmd_safe(type_words(f->type)));
	/* every string below may come from the file: cmd_safe */
	xb_buf_addf(b, ", %s", cmd_safe(f->arch ? f->arch :
		    f->machine_name ? f->machine_name : "unknown machine"));
	if (f->abi)
		xb_buf_addf(b, " (%s)", cmd_safe(f->abi));
	if (f->linkage)
		xb_buf_addf(b, ", %s", cmd_safe(f->linkage));
	if (f->interpreter)
		xb_buf_addf(b, ", interpreter %s", cmd_safe(f->interpreter));
	if (f->needed.n) {
		xb_buf_adds(b, ", needs ");
		for (size_t i = 0; i < f->needed.n && i < 6; i++)
			xb_buf_addf(b, "%s%s", i ? " " : "", cmd_safe(f->needed.v[i]));
		if (f->needed.n > 6)
			xb_buf_addf(b, " (+%zu)", f->needed.n - 6);
	}
	if (f->glibc_max)
		xb_buf_addf(b, ", glibc %s+", cmd_safe(f->glibc_max));
	else if (f->libc && !strcmp(f->libc, "musl"))
		xb_buf_adds(b, ", musl");
	if (f->go) {
		const char *cgo = xb_goinfo_setting(f->go, "CGO_ENABLED");

		xb_buf_addf(b, ", Go %s", f->go->version ? cmd_safe(f->go->version) : "?");
		if (cgo)
			xb_buf_addf(b, " cgo=%s", cmd_safe(cgo));
	} else if (f->go_build_id) {
		xb_buf_adds(b, ", Go");
	}
	if (f->debug_info)
		xb_buf_adds(b, ", with debug_info");
	if (f->stripped != XB_NA)
		xb_buf_adds(b, f->stripped ? ", stripped" : ", not stripped");
	else if (!strcmp(f->format, "elf"))
		xb_buf_adds(b, ", no section header");
}

static void summary(xb_buf *b, const xb_facts *f)
{
	if (f->nslices) {
		xb_buf_addf(b, "Mach-O universal binary with %zu architectures", f->nslices);
		for (size_t i = 0; i < f->nslices; i++) {
			xb_buf_adds(b, i ? "; [" : ": [");
			if (f->slices[i].format)
				summary_one(b, &f->slices[i]);
			else
				xb_buf_adds(b, "unreadable");
			xb_buf_adds(b, "]");
		}
		return;
	}
	summary_one(b, f);
}

static const char *tri(int v)
{
	return v == XB_NA ? "n/a" : v ? "yes" : "no";
}

static void kv(xb_buf *b, const char *ind, const char *k, const char *v)
{
	xb_buf_addf(b, "%s%-16s %s\n", ind, k, v ? cmd_safe(v) : "-");
}

static void verbose(xb_buf *b, const xb_facts *f, const char *ind)
{
#define KV(k, v) kv(b, ind, k ":", v)
	char num[32];

	KV("format", f->format);
	snprintf(num, sizeof(num), "%d", f->bits);
	KV("class", f->bits ? num : NULL);
	KV("endian", f->endian);
	KV("type", f->type);
	KV("arch", f->arch);
	snprintf(num, sizeof(num), "%u", f->machine);
	xb_buf_addf(b, "%s%-16s %s (%s)\n", ind, "machine:", num,
		    f->machine_name ? cmd_safe(f->machine_name) : "unknown");
	if (f->abi)
		KV("abi", f->abi);
	KV("linkage", f->linkage);
	KV("interpreter", f->interpreter);
	for (size_t i = 0; i < f->needed.n; i++)
		KV("needed", f->needed.v[i]);
	if (!f->needed.n)
		KV("needed", NULL);
	KV("rpath", f->rpath);
	KV("runpath", f->runpath);
	KV("soname", f->soname);
	KV("stripped", tri(f->stripped));
	KV("debug_info", f->debug_info ? (f->debug_compressed ? "yes (compressed)" : "yes") : "no");
	KV("build id (gnu)", f->gnu_build_id);
	KV("build id (go)", f->go_build_id);
	if (f->uuid)
		KV("uuid", f->uuid);
	if (f->min_os)
		KV("min_os", f->min_os);
	KV("glibc_max", f->glibc_max);
	KV("libc", f->libc);
	KV("pie", tri(f->pie));
	KV("relro", f->relro ? f->relro : "n/a");
	KV("bind_now", tri(f->bind_now));
	KV("nx_stack", tri(f->nx_stack));
	KV("textrel", tri(f->textrel));
	KV("stack_protector", tri(f->stack_protector));
	KV("ld_preload", f->ld_preload ? "exposed (has an interpreter)" : "no");
	snprintf(num, sizeof(num), "%llu", (unsigned long long)f->size);
	KV("size", num);
	if (f->go) {
		const xb_goinfo *g = f->go;

		KV("go.version", g->version);
		KV("go.path", g->path);
		if (g->main.path)
			xb_buf_addf(b, "%s%-16s %s %s %s\n", ind, "go.main:",
				    cmd_safe(g->main.path), cmd_safe(g->main.version),
				    cmd_safe(g->main.sum));
		for (size_t i = 0; i < g->ndeps; i++)
			xb_buf_addf(b, "%s%-16s %s %s %s%s%s\n", ind, "go.dep:",
				    cmd_safe(g->deps[i].path),
				    cmd_safe(g->deps[i].version),
				    cmd_safe(g->deps[i].sum),
				    g->deps[i].replace ? " => " : "",
				    g->deps[i].replace ? cmd_safe(g->deps[i].replace) : "");
		for (size_t i = 0; i < g->settings.n; i++)
			KV("go.setting", g->settings.v[i]);
	} else {
		KV("go", NULL);
	}
	for (size_t i = 0; i < f->problems.n; i++)
		KV("problem", f->problems.v[i]);
	for (size_t i = 0; i < f->nslices; i++) {
		char sub[64];

		xb_buf_addf(b, "%sslice %zu:\n", ind, i);
		snprintf(sub, sizeof(sub), "%s    ", ind);
		verbose(b, &f->slices[i], sub);
	}
#undef KV
}

static void one(struct inspect_run *r, const char *path, bool from_walk)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;
	xb_code rc;
	xb_buf *outp = &r->out;
#define out (*outp)

	xb_facts_init(&f);
	rc = xb_inspect(path, &f, &err);
	if (rc == XB_ERR_UNSUPPORTED && from_walk) {
		xb_facts_release(&f);
		return; /* a tree holds scripts and data: not our business */
	}
	if (r->json) {
		xb_json j;

		if (r->array)
			xb_buf_adds(&out, r->printed ? ",\n" : "[\n");
		xb_json_init(&j, &out, false);
		xb_facts_json_err(&f, rc ? &err : NULL, &j);
		xb_json_finish(&j);
		if (!r->array)
			xb_buf_addc(&out, '\n');
	} else if (f.format) {
		xb_buf_addf(&out, "%s: ", cmd_safe(path));
		summary(&out, &f);
		xb_buf_addc(&out, '\n');
		if (r->verbose)
			verbose(&out, &f, "  ");
	}
	if (rc || out.len >= OUT_FLUSH)
		flush_out(r); /* the reason follows its file */
	if (rc) {
		cmd_error("%s: %s", cmd_safe(path), cmd_safe(xb_errmsg(&err)));
		r->status = EXIT_FAIL;
	}
	r->printed++;
	xb_facts_release(&f);
#undef out
}

static struct inspect_run *walk_run;

static int walk_cb(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		one(walk_run, path, true);
	else if (flag == FTW_DNR) {
		flush_out(walk_run);
		cmd_error("%s: cannot read directory", cmd_safe(path));
		walk_run->status = EXIT_FAIL;
	}
	return 0;
}

static void operand(struct inspect_run *r, const char *path)
{
	struct stat st;

	if (r->recursive && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		walk_run = r;
		if (nftw(path, walk_cb, 32, FTW_PHYS) != 0) {
			flush_out(r);
			cmd_error("%s: cannot walk: %s", cmd_safe(path), strerror(errno));
			r->status = EXIT_FAIL;
		}
		return;
	}
	one(r, path, false);
}

int cmd_inspect(int argc, char **argv)
{
	struct inspect_run r = { 0 };
	int status;
	struct cmd_getopt g;
	struct cmd_once form = { 0 };
	int c, nops;

	xb_buf_init(&r.out, 0);
	cmd_getopt_init(&g, inspect_opts);
	while ((c = cmd_getopt(argc, argv, &inspect_help, &g)) != -1) {
		switch (c) {
		case 'r': r.recursive = true; break;
		case 'v': r.verbose = true; break;
		case OPT_JSON: r.json = true; break;
		default: break;
		}
		/* JSON holds every fact: -v has nothing to add */
		if (c == 'v' || c == OPT_JSON)
			cmd_once(&inspect_help, &form, c == 'v' ? "-v" : "--json",
				 NULL);
	}
	nops = argc - optind;
	if (nops == 0)
		return cmd_usage_error(&inspect_help, "no file to inspect");
	/* one object for one file; an array for several, trees and lists */
	r.array = nops > 1 || r.recursive || !strcmp(argv[optind], "-");
	for (int i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			char *line = NULL;
			size_t cap = 0;
			ssize_t n;

			while ((n = getline(&line, &cap, stdin)) > 0) {
				if (line[n - 1] == '\n')
					line[--n] = '\0';
				if (n > 0)
					operand(&r, line);
			}
			free(line);
		} else {
			operand(&r, argv[i]);
		}
	}
	if (r.json && r.array)
		xb_buf_adds(&r.out, r.printed ? "\n]\n" : "[]\n");
	flush_out(&r);
	xb_buf_release(&r.out);
	if (fflush(stdout) != 0) {
		cmd_error("cannot write output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	status = r.status;
	return status;
}
