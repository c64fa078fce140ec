/* invariants.c: the rules every answer of the binary readers keeps.  Each
 * one is guaranteed by lib/bin/ (read off elf.c, macho.c, pe.c, goinfo.c,
 * inspect.c and the facts of xbuild(1)), so a broken one is a reader bug,
 * not a strict test.  The table of Go's ports is kept here apart from
 * lib/'s, so that a mistake there shows here. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin/bin.h"
#include "invariants.h"

/* Strings read from the input are looked up in it: a file that names more
 * libraries or modules than this is checked on the first ones, so that a
 * hostile count cannot make one input cost seconds. */
#define MAX_LOOKUPS 64

void (*fuzz_violation_hook)(const char *msg);
static unsigned long broken;

void fuzz_violation(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	broken++;
	if (fuzz_violation_hook) {
		fuzz_violation_hook(msg);
		return;
	}
	fprintf(stderr, "invariant broken: %s\n", msg);
	abort();
}

typedef struct ctx {
	const unsigned char *data; /* the input */
	size_t size;
	char where[64];            /* "" or "slice 2: " */
} ctx;

static void report(const ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(const ctx *c, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fuzz_violation("%s%s", c->where, msg);
}

#define CHECK(c, cond, ...)                                                    \
	do {                                                                   \
		if (!(cond))                                                   \
			report((c), __VA_ARGS__);                              \
	} while (0)

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

static bool is(const char *s, const char *v)
{
	return s && !strcmp(s, v);
}

static bool oneof(const char *s, const char *const *set)
{
	if (!s)
		return true;
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

/* Go's ports, by pointer size and byte order. */
static const struct port {
	const char *arch;
	int bits;
	bool be;
} ports[] = {
	{ "386", 32, false }, { "amd64", 64, false }, { "arm", 32, false },
	{ "arm64", 64, false }, { "loong64", 64, false }, { "mips", 32, true },
	{ "mipsle", 32, false }, { "mips64", 64, true }, { "mips64le", 64, false },
	{ "ppc64", 64, true }, { "ppc64le", 64, false }, { "riscv64", 64, false },
	{ "s390x", 64, true },
};

static const struct port *port_of(const char *arch)
{
	for (size_t i = 0; arch && i < sizeof(ports) / sizeof(ports[0]); i++)
		if (!strcmp(arch, ports[i].arch))
			return &ports[i];
	return NULL;
}

/* Are the bytes of s (NULL and "" are) somewhere in the input? */
static bool in_input(const ctx *c, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return !n || (n <= c->size && memmem(c->data, c->size, s, n));
}

static int unhex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Lowercase hex of min to max bytes that are in the input. */
static bool hex_in_input(const ctx *c, const char *hex, size_t min, size_t max)
{
	unsigned char b[64];
	size_t n = strlen(hex);

	if (n % 2 || n / 2 < min || n / 2 > max || n / 2 > sizeof(b))
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = unhex(hex[2 * i]), lo = unhex(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	return memmem(c->data, c->size, b, n / 2) != NULL;
}

/* ---- Go build info -------------------------------------------------------- */

static void mod_checks(const ctx *c, const xb_gomod *m, const char *what,
		       bool optional)
{
	if (!m->path) {
		/* only the main module can be missing, and then wholly */
		CHECK(c, optional && !m->version && !m->sum && !m->replace,
		      "Go %s without a path, yet with a version, sum or replacement", what);
		return;
	}
	CHECK(c, m->path[0] && in_input(c, m->path),
	      "Go %s path '%.80s' is empty or not in the input", what, m->path);
	CHECK(c, m->version && in_input(c, m->version),
	      "Go %s version '%.80s' is missing or not in the input", what, str(m->version));
	CHECK(c, m->sum && in_input(c, m->sum),
	      "Go %s sum '%.80s' is missing or not in the input", what, str(m->sum));
}

static void go_checks(const ctx *c, const xb_goinfo *g, bool read)
{
	if (read) {
		CHECK(c, g->version && g->version[0], "Go build info without a Go version");
		CHECK(c, g->ptr_size == 4 || g->ptr_size == 8,
		      "Go build info with pointer size %d", g->ptr_size);
	}
	CHECK(c, in_input(c, g->version), "Go version '%.80s' is not in the input",
	      str(g->version));
	CHECK(c, !g->path || (g->path[0] && in_input(c, g->path)),
	      "Go main package '%.80s' is empty or not in the input", str(g->path));
	mod_checks(c, &g->main, "main module", true);
	CHECK(c, !g->ndeps || g->deps, "%zu Go dependencies but no array", g->ndeps);
	CHECK(c, g->ndeps <= 100000, "%zu Go dependencies (more than the cap)", g->ndeps);
	for (size_t i = 0; g->deps && i < g->ndeps && i < MAX_LOOKUPS; i++)
		mod_checks(c, &g->deps[i], "dependency", false);
	for (size_t i = 0; i < g->settings.n; i++)
		CHECK(c, g->settings.v[i] && strchr(g->settings.v[i], '='),
		      "Go build setting '%.80s' is not KEY=VALUE", str(g->settings.v[i]));
}

/* ---- the facts ------------------------------------------------------------ */

static void enum_checks(const ctx *c, const xb_facts *f)
{
	static const char *const formats[] = { "elf", "macho", "macho-fat", "pe", NULL };
	static const char *const types[] = { "exec", "pie", "shared", "relocatable",
					     "core", NULL };
	static const char *const linkages[] = { "static", "static-pie", "dynamic", NULL };
	static const char *const libcs[] = { "glibc", "musl", "libsystem", "msvcrt",
					     "ucrt", "none", "unknown", NULL };
	static const char *const relros[] = { "none", "partial", "full", NULL };
	static const char *const endians[] = { "little", "big", NULL };
	const struct {
		const char *name;
		int v;
	} tri[] = {
		{ "stripped", f->stripped }, { "pie", f->pie }, { "bind_now", f->bind_now },
		{ "nx_stack", f->nx_stack }, { "textrel", f->textrel },
		{ "stack_protector", f->stack_protector },
	};

	CHECK(c, oneof(f->format, formats), "format '%s' is not one of xbuild(1)'s", f->format);
	CHECK(c, oneof(f->type, types), "type '%s' is not one of xbuild(1)'s", f->type);
	CHECK(c, oneof(f->linkage, linkages), "linkage '%s' is not one of xbuild(1)'s", f->linkage);
	CHECK(c, oneof(f->libc, libcs), "libc '%s' is not one of xbuild(1)'s", f->libc);
	CHECK(c, oneof(f->relro, relros), "relro '%s' is not one of xbuild(1)'s", f->relro);
	CHECK(c, oneof(f->endian, endians), "endian '%s' is not one of xbuild(1)'s", f->endian);
	CHECK(c, !f->arch || port_of(f->arch), "arch '%s' is not a Go port", f->arch);
	CHECK(c, f->bits == 0 || f->bits == 32 || f->bits == 64, "class %d", f->bits);
	for (size_t i = 0; i < sizeof(tri) / sizeof(tri[0]); i++)
		CHECK(c, tri[i].v == XB_NA || tri[i].v == 0 || tri[i].v == 1,
		      "%s is %d (expected -1, 0 or 1)", tri[i].name, tri[i].v);
	CHECK(c, f->problems.n <= 32, "%zu problems (more than the cap)", f->problems.n);
	for (size_t i = 0; i < f->problems.n; i++)
		CHECK(c, f->problems.v[i] && f->problems.v[i][0], "problem %zu is empty", i);
}

/* Class, byte order and machine.  done: the reader got past the headers. */
static void machine_checks(const ctx *c, const xb_facts *f, bool done)
{
	const struct port *p = port_of(f->arch);
	bool fat = is(f->format, "macho-fat");

	if (p && f->bits)
		CHECK(c, p->bits == f->bits, "arch %s in a %d-bit file (Go's port is %d-bit)",
		      f->arch, f->bits, p->bits);
	if (p && f->endian)
		CHECK(c, p->be == is(f->endian, "big"),
		      "arch %s in a %s-endian file", f->arch, f->endian);
	CHECK(c, !f->arch || f->machine_name, "arch %s without a machine name", str(f->arch));
	if (done && !fat) {
		CHECK(c, f->bits == 32 || f->bits == 64, "a %s file read without a class",
		      str(f->format));
		CHECK(c, f->endian != NULL, "a %s file read without a byte order", str(f->format));
		CHECK(c, f->machine_name || f->problems.n,
		      "machine %u has no name and no problem says it is unknown", f->machine);
	}
}

/* What only one format has. */
static void format_checks(const ctx *c, const xb_facts *f)
{
	bool elf = is(f->format, "elf"), thin = is(f->format, "macho"),
	     fat = is(f->format, "macho-fat"), pe = is(f->format, "pe");

	if (!elf) {
		CHECK(c, !f->abi && !f->runpath && !f->glibc_max && !f->gnu_build_id,
		      "a %s file with an ELF-only fact (abi, runpath, glibc_max, GNU build id)",
		      str(f->format));
		CHECK(c, !f->relro && f->bind_now == XB_NA && f->textrel == XB_NA &&
			 f->stack_protector == XB_NA,
		      "a %s file with ELF hardening facts", str(f->format));
	}
	if (!thin)
		CHECK(c, !f->uuid && !f->min_os, "a %s file with a Mach-O UUID or minimum macOS",
		      str(f->format));
	if (pe)
		CHECK(c, !f->interpreter && !f->soname && !f->rpath,
		      "a PE file with an interpreter, soname or rpath");
	if (!elf && !pe)
		CHECK(c, !f->debug_only, "a %s file said to be a separate debug file",
		      str(f->format));
	if (fat) {
		/* the top of a fat file summarises its slices, nothing more */
		CHECK(c, !f->interpreter && !f->needed.n && !f->soname && !f->rpath &&
			 !f->go && !f->go_build_id && !f->libc && !f->bits &&
			 f->stripped == XB_NA && f->pie == XB_NA,
		      "a fat file with facts of its own beyond type and linkage");
		CHECK(c, f->nslices <= 64, "%zu slices (more than the cap)", f->nslices);
		CHECK(c, !f->nslices || is(f->endian, "big"), "a fat header that is not big-endian");
	} else {
		CHECK(c, !f->nslices && !f->slices, "a %s file with %zu slices",
		      str(f->format), f->nslices);
	}
	if (!f->format)
		CHECK(c, !f->type && !f->linkage && !f->go && !f->interpreter &&
			 !f->needed.n && !f->libc,
		      "facts derived from a file of no format");
}

static void linkage_checks(const ctx *c, const xb_facts *f, bool done)
{
	bool elf = is(f->format, "elf"), pe = is(f->format, "pe"),
	     fat = is(f->format, "macho-fat");
	bool uses = f->interpreter || f->needed.n;

	CHECK(c, f->ld_preload == (f->interpreter != NULL),
	      "ld_preload %d with interpreter '%.80s' (true exactly when there is one)",
	      f->ld_preload, str(f->interpreter));
	if (fat)
		return; /* a summary: see fat_checks */
	if (is(f->linkage, "static") || is(f->linkage, "static-pie"))
		CHECK(c, !uses, "a %s binary with interpreter '%.80s' and %zu needed libraries",
		      f->linkage, str(f->interpreter), f->needed.n);
	if (f->linkage && uses)
		CHECK(c, is(f->linkage, "dynamic"),
		      "linkage %s, yet an interpreter or a needed library", f->linkage);
	if (is(f->linkage, "dynamic"))
		CHECK(c, uses || (elf && is(f->type, "shared")),
		      "dynamic without an interpreter or a needed library, and no shared object");
	if (is(f->linkage, "static-pie"))
		CHECK(c, elf && is(f->type, "pie") && f->pie == 1,
		      "static-pie, yet format %s, type %s, pie %d", str(f->format), str(f->type), f->pie);
	if (elf && f->linkage && is(f->type, "pie"))
		CHECK(c, !is(f->linkage, "static"), "a PIE (a dynamic section) called static");
	if (f->linkage)
		CHECK(c, f->type && !is(f->type, "relocatable") && !is(f->type, "core") &&
			 !f->debug_only,
		      "linkage %s for a %s%s", f->linkage, str(f->type),
		      f->debug_only ? " separate debug file" : "");
	if (f->debug_only)
		CHECK(c, !f->linkage, "a separate debug file with linkage %s", f->linkage);
	/* ELF and PE always classify what they read; Mach-O stops at load
	 * commands it cannot read */
	if (done && elf)
		CHECK(c, f->linkage || !f->type || is(f->type, "relocatable") ||
			 is(f->type, "core") || f->debug_only,
		      "an ELF %s without linkage", str(f->type));
	if (done && pe)
		CHECK(c, f->linkage || f->debug_only, "a PE file without linkage");

	/* libc */
	if (elf) {
		static const char *const libcs[] = { "glibc", "musl", "none", "unknown", NULL };

		CHECK(c, oneof(f->libc, libcs), "libc %s in an ELF file", f->libc);
		CHECK(c, !f->libc == !f->linkage, "ELF libc %s with linkage %s", str(f->libc),
		      str(f->linkage));
		if (is(f->libc, "none"))
			CHECK(c, is(f->linkage, "static") && f->go,
			      "libc none for a binary that is not static Go (%s)", str(f->linkage));
	} else if (is(f->format, "macho")) {
		static const char *const libcs[] = { "none", "libsystem", NULL };
		bool sys = false;

		for (size_t i = 0; i < f->needed.n; i++)
			sys |= strstr(f->needed.v[i], "libSystem") != NULL;
		CHECK(c, oneof(f->libc, libcs), "libc %s in a Mach-O file", f->libc);
		if (f->libc)
			CHECK(c, is(f->libc, "libsystem") == sys,
			      "libc %s, and libSystem is%s needed", f->libc, sys ? "" : " not");
	} else if (pe) {
		static const char *const libcs[] = { "none", "msvcrt", "ucrt", NULL };

		CHECK(c, oneof(f->libc, libcs), "libc %s in a PE file", f->libc);
		if (is(f->libc, "msvcrt") || is(f->libc, "ucrt"))
			CHECK(c, f->needed.n, "libc %s without any DLL", f->libc);
		if (done)
			CHECK(c, f->libc != NULL, "a PE file read without a libc");
	}
}

static void pie_checks(const ctx *c, const xb_facts *f)
{
	bool elf = is(f->format, "elf"), thin = is(f->format, "macho");

	if ((elf || thin) && f->pie != XB_NA)
		CHECK(c, (is(f->type, "pie") && f->pie == 1) || (is(f->type, "exec") && f->pie == 0),
		      "pie %d for type %s", f->pie, str(f->type));
	if (elf && f->linkage)
		CHECK(c, f->pie != XB_NA || is(f->type, "shared"),
		      "an ELF %s with linkage but no PIE fact", str(f->type));
	if (is(f->format, "pe") && f->type)
		CHECK(c, (is(f->type, "exec") || is(f->type, "shared")) && f->pie != XB_NA,
		      "a PE %s with pie %d", f->type, f->pie);
}

static void hardening_checks(const ctx *c, const xb_facts *f)
{
	CHECK(c, f->stripped != 1 || !f->debug_info, "stripped, yet with debug information");
	CHECK(c, !f->debug_compressed || f->debug_info, "compressed debug information but none");
	if (is(f->relro, "full"))
		CHECK(c, f->bind_now == 1, "full RELRO without BIND_NOW (bind_now %d)", f->bind_now);
	if (is(f->relro, "partial"))
		CHECK(c, f->bind_now != 1, "partial RELRO with BIND_NOW");
	if (is(f->format, "elf") && f->linkage) {
		/* only Go's own linker leaves RELRO unknown, and then the
		 * canary too */
		if (!f->relro)
			CHECK(c, f->stack_protector == XB_NA,
			      "RELRO not applicable but stack_protector %d", f->stack_protector);
		CHECK(c, f->nx_stack != XB_NA && f->textrel != XB_NA,
		      "a classified ELF file without nx_stack or textrel");
	}
}

/* Everything a string fact holds was read from the input. */
static void string_checks(const ctx *c, const xb_facts *f)
{
	const char *const read[] = { f->rpath, f->runpath, f->soname, f->go_build_id };
	const char *const names[] = { "rpath", "runpath", "soname", "Go build id" };

	/* "?": a PT_INTERP that could not be read, and a problem says so */
	CHECK(c, in_input(c, f->interpreter) ||
		 (is(f->interpreter, "?") && is(f->format, "elf") && f->problems.n),
	      "interpreter '%.80s' is not in the input", f->interpreter);
	for (size_t i = 0; i < sizeof(read) / sizeof(read[0]); i++)
		CHECK(c, in_input(c, read[i]), "%s '%.80s' is not in the input", names[i],
		      read[i]);
	for (size_t i = 0; i < f->needed.n && i < MAX_LOOKUPS; i++)
		CHECK(c, f->needed.v[i] && in_input(c, f->needed.v[i]),
		      "needed library '%.80s' is not in the input", str(f->needed.v[i]));
	if (is(f->format, "pe"))
		for (size_t i = 0; i < f->needed.n && i < MAX_LOOKUPS; i++)
			for (size_t k = 0; k < i; k++)
				CHECK(c, strcmp(f->needed.v[i], f->needed.v[k]),
				      "DLL '%.80s' is listed twice", f->needed.v[i]);
	if (f->glibc_max) {
		char ver[32];
		size_t n = strlen(f->glibc_max);

		CHECK(c, n > 0 && n <= 15 && f->glibc_max[0] >= '0' && f->glibc_max[0] <= '9' &&
			 strspn(f->glibc_max, "0123456789.") == n,
		      "glibc_max '%.80s' is not a version", f->glibc_max);
		snprintf(ver, sizeof(ver), "GLIBC_%.20s", f->glibc_max);
		CHECK(c, in_input(c, ver), "%s is not in the input", ver);
	}
	if (f->gnu_build_id)
		CHECK(c, hex_in_input(c, f->gnu_build_id, 4, 20),
		      "GNU build id %.80s is not the hex of 4 to 20 bytes of the input",
		      f->gnu_build_id);
	if (f->uuid)
		CHECK(c, hex_in_input(c, f->uuid, 16, 16),
		      "UUID %.80s is not the hex of 16 bytes of the input", f->uuid);
	CHECK(c, !f->abi || f->abi[0], "an empty ABI");
	CHECK(c, !f->path || f->path[0], "an empty path");
}

static void fat_checks(const ctx *c, const xb_facts *f)
{
	for (size_t i = 0; i < f->nslices; i++) {
		const xb_facts *s = &f->slices[i];

		CHECK(c, !s->format || is(s->format, "macho"),
		      "slice %zu is %s, not a thin Mach-O", i, s->format);
		CHECK(c, s->size <= f->size, "slice %zu has %llu bytes, the file %llu", i,
		      (unsigned long long)s->size, (unsigned long long)f->size);
		CHECK(c, !s->problems.n || f->problems.n,
		      "slice %zu has problems the fat file does not list", i);
		if (f->type)
			CHECK(c, is(s->type, f->type), "type %s, yet slice %zu is %s", f->type,
			      i, str(s->type));
		if (f->linkage)
			CHECK(c, is(s->linkage, f->linkage), "linkage %s, yet slice %zu is %s",
			      f->linkage, i, str(s->linkage));
	}
}

static void facts_checks(const ctx *c, const xb_facts *f, bool done)
{
	enum_checks(c, f);
	machine_checks(c, f, done);
	format_checks(c, f);
	linkage_checks(c, f, done);
	pie_checks(c, f);
	hardening_checks(c, f);
	string_checks(c, f);
	fat_checks(c, f);
	CHECK(c, f->size <= c->size, "size %llu, the input has %zu bytes",
	      (unsigned long long)f->size, c->size);
	if (f->go)
		go_checks(c, f->go, true);
}

/* The error against the facts. */
static void answer_checks(const ctx *c, const xb_facts *f, const fuzz_answer *a)
{
	xb_code rc = a->rc;

	CHECK(c, rc == XB_OK || rc == XB_ERR_FORMAT || rc == XB_ERR_UNSUPPORTED ||
		 rc == XB_ERR_NOMEM,
	      "returned %d (%s), not a code a reader returns", rc, xb_strerror(rc));
	if (rc) {
		CHECK(c, a->err->code == rc, "returned %d, but the error holds %d", rc,
		      a->err->code);
		CHECK(c, a->err->msg[0], "returned %d with no message", rc);
	} else {
		CHECK(c, a->err->code == XB_OK, "succeeded, but the error holds %d: %.80s",
		      a->err->code, a->err->msg);
	}
	if (a->whole) {
		CHECK(c, !f->problems.n || rc == XB_ERR_FORMAT,
		      "%zu problems, yet returned %d", f->problems.n, rc);
		CHECK(c, f->size == a->size, "size %llu, the input has %zu bytes",
		      (unsigned long long)f->size, a->size);
	} else if (rc && rc != XB_ERR_NOMEM) {
		/* a reader gives up only on the first headers: what it says
		 * then is the error alone, no fact derived from the rest */
		CHECK(c, !f->type && !f->linkage && !f->libc && !f->relro,
		      "failed (%.80s), yet type %s, linkage %s, libc %s, relro %s",
		      a->err->msg, str(f->type), str(f->linkage), str(f->libc), str(f->relro));
		CHECK(c, !f->interpreter && !f->needed.n && !f->soname && !f->rpath &&
			 !f->runpath && !f->glibc_max,
		      "failed (%.80s), yet an interpreter, needed libraries or dynamic strings",
		      a->err->msg);
		CHECK(c, !f->go && !f->go_build_id && !f->gnu_build_id && !f->uuid &&
			 !f->min_os,
		      "failed (%.80s), yet build ids or Go build info", a->err->msg);
		CHECK(c, f->pie == XB_NA && f->stripped == XB_NA && !f->ld_preload &&
			 !f->nslices,
		      "failed (%.80s), yet pie %d, stripped %d, ld_preload %d, %zu slices",
		      a->err->msg, f->pie, f->stripped, f->ld_preload, f->nslices);
	}
}

/* ---- JSON ------------------------------------------------------------------ */

static bool ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* A string key: null exactly when s is NULL, and s itself when it went
 * through unchanged (invalid UTF-8 from a file is replaced). */
static void jstr(const ctx *c, json_t *o, const char *key, const char *s)
{
	json_t *v = json_object_get(o, key);

	if (!s) {
		CHECK(c, json_is_null(v), "JSON %s is not null", key);
		return;
	}
	CHECK(c, json_is_string(v), "JSON %s is not a string", key);
	if (json_is_string(v) && ascii(s))
		CHECK(c, !strcmp(json_string_value(v), s), "JSON %s is '%.80s', the facts '%.80s'",
		      key, json_string_value(v), s);
}

static void jtri(const ctx *c, json_t *o, const char *key, int v)
{
	json_t *j = json_object_get(o, key);

	if (v == XB_NA)
		CHECK(c, json_is_null(j), "JSON %s is not null", key);
	else
		CHECK(c, json_is_boolean(j) && json_is_true(j) == (v != 0),
		      "JSON %s does not say %d", key, v);
}

static void jbool(const ctx *c, json_t *o, const char *key, bool v)
{
	json_t *j = json_object_get(o, key);

	CHECK(c, json_is_boolean(j) && json_is_true(j) == v, "JSON %s does not say %d", key, v);
}

static void jint(const ctx *c, json_t *o, const char *key, long long v, bool null)
{
	json_t *j = json_object_get(o, key);

	if (null)
		CHECK(c, json_is_null(j), "JSON %s is not null", key);
	else
		CHECK(c, json_is_integer(j) && json_integer_value(j) == v,
		      "JSON %s is not %lld", key, v);
}

static void jarr(const ctx *c, json_t *o, const char *key, size_t n, bool present)
{
	json_t *j = json_object_get(o, key);

	if (!present) {
		CHECK(c, !j, "JSON has a %s key", key);
		return;
	}
	CHECK(c, json_is_array(j) && json_array_size(j) == n,
	      "JSON %s is not an array of %zu", key, n);
	for (size_t i = 0; json_is_array(j) && i < json_array_size(j); i++)
		CHECK(c, json_is_string(json_array_get(j, i)) || json_is_object(json_array_get(j, i)),
		      "JSON %s[%zu] is neither a string nor an object", key, i);
}

static void json_go(const ctx *c, json_t *o, const xb_goinfo *g)
{
	json_t *m = json_object_get(o, "main"), *s = json_object_get(o, "settings");

	CHECK(c, json_is_object(o), "JSON go is not an object");
	jstr(c, o, "version", g->version);
	jstr(c, o, "path", g->path);
	if (!g->main.path) {
		CHECK(c, json_is_null(m), "JSON go.main is not null");
	} else {
		CHECK(c, json_is_object(m), "JSON go.main is not an object");
		jstr(c, m, "path", g->main.path);
		jstr(c, m, "version", g->main.version);
	}
	/* a key recorded twice is one key */
	CHECK(c, json_is_object(s) && json_object_size(s) <= g->settings.n &&
		 (json_object_size(s) > 0) == (g->settings.n > 0),
	      "JSON go.settings does not hold the %zu settings", g->settings.n);
	jarr(c, o, "deps", g->ndeps, true);
}

static void json_facts(const ctx *c, json_t *o, const xb_facts *f, const xb_err *err)
{
	json_t *ids = json_object_get(o, "build_ids"), *go = json_object_get(o, "go");

	if (!json_is_object(o)) {
		report(c, "the facts JSON is not an object");
		return;
	}
	jstr(c, o, "path", f->path);
	jstr(c, o, "format", f->format);
	jint(c, o, "class", f->bits, !f->bits);
	jstr(c, o, "endian", f->endian);
	jstr(c, o, "type", f->type);
	jstr(c, o, "arch", f->arch);
	jint(c, o, "machine", f->machine, !f->format);
	jstr(c, o, "machine_name", f->machine_name);
	jstr(c, o, "abi", f->abi);
	jstr(c, o, "linkage", f->linkage);
	jstr(c, o, "interpreter", f->interpreter);
	jarr(c, o, "needed", f->needed.n, true);
	jstr(c, o, "rpath", f->rpath);
	jstr(c, o, "runpath", f->runpath);
	jstr(c, o, "soname", f->soname);
	jtri(c, o, "stripped", f->stripped);
	jbool(c, o, "debug_info", f->debug_info);
	CHECK(c, json_is_object(ids), "JSON build_ids is not an object");
	jstr(c, ids, "gnu", f->gnu_build_id);
	jstr(c, ids, "go", f->go_build_id);
	if (f->uuid)
		jstr(c, ids, "uuid", f->uuid);
	jstr(c, o, "glibc_max", f->glibc_max);
	jstr(c, o, "min_os", f->min_os);
	jstr(c, o, "libc", f->libc);
	jtri(c, o, "pie", f->pie);
	jstr(c, o, "relro", f->relro);
	jtri(c, o, "bind_now", f->bind_now);
	jtri(c, o, "nx_stack", f->nx_stack);
	jtri(c, o, "textrel", f->textrel);
	jtri(c, o, "stack_protector", f->stack_protector);
	jbool(c, o, "ld_preload", f->ld_preload);
	if (f->debug_only)
		jbool(c, o, "debug_only", true);
	else
		CHECK(c, !json_object_get(o, "debug_only"), "JSON debug_only for a file that is not");
	jint(c, o, "size", (long long)f->size, false);
	if (f->go)
		json_go(c, go, f->go);
	else
		CHECK(c, json_is_null(go), "JSON go is not null");
	jarr(c, o, "problems", f->problems.n, f->problems.n > 0);
	jarr(c, o, "slices", f->nslices, f->nslices > 0);
	for (size_t i = 0; i < f->nslices; i++) {
		ctx sc = *c;

		snprintf(sc.where, sizeof(sc.where), "%.30sslice %zu: ", c->where, i);
		json_facts(&sc, json_array_get(json_object_get(o, "slices"), i),
			   &f->slices[i], NULL);
	}
	if (err && err->code) {
		json_t *e = json_object_get(o, "error");

		CHECK(c, json_is_string(e) && json_string_length(e) > 0,
		      "JSON has no error, but the reader failed (%.80s)", err->msg);
	} else {
		CHECK(c, !json_object_get(o, "error"), "JSON has an error, but the reader did not fail");
	}
}

static unsigned check_json(const ctx *c, const char *json, size_t len, const xb_facts *f,
			   const xb_err *err)
{
	unsigned long before = broken;
	json_error_t jerr;
	json_t *o = json_loadb(json, len, 0, &jerr);

	if (!o) {
		report(c, "the facts JSON does not parse: %s at byte %d", jerr.text,
		       jerr.position);
		return (unsigned)(broken - before);
	}
	json_facts(c, o, f, err);
	json_decref(o);
	return (unsigned)(broken - before);
}

unsigned fuzz_check_json(const char *json, size_t len, const xb_facts *f,
			 const xb_err *err)
{
	ctx c = { NULL, 0, "" };

	return check_json(&c, json, len, f, err);
}

/* Written compact and pretty, each parses back to what f says. */
static void json_checks(const ctx *c, const xb_facts *f, const xb_err *err)
{
	for (int pretty = 0; pretty < 2; pretty++) {
		xb_buf b;
		xb_json j;
		xb_code rc;

		xb_buf_init(&b, 0);
		xb_json_init(&j, &b, pretty);
		xb_facts_json_err(f, err, &j);
		rc = xb_json_finish(&j);
		CHECK(c, rc == XB_OK, "the JSON writer failed: %s", xb_strerror(rc));
		check_json(c, xb_buf_str(&b), b.len, f, err);
		xb_buf_release(&b);
	}
}

/* ---- verify ---------------------------------------------------------------- */

/* The expectation f describes: what it says of format, arch, linkage,
 * libc, interpreter, glibc, needed libraries, stripped, PIE, RELRO and
 * Go settings (for a fat file, what all slices agree on). */
static void described(const xb_facts *f, xb_expect *e)
{
	const xb_facts *all = f->nslices ? f->slices : f;
	size_t n = f->nslices ? f->nslices : 1;
	bool fmt = true, libc = true, interp = true, relro = true, strip = true, pie = true;

	e->needed_set = true;
	for (size_t i = 0; i < n; i++) {
		const xb_facts *s = &all[i];

		fmt &= s->format != NULL;
		libc &= is(s->libc, all[0].libc ? all[0].libc : "");
		interp &= is(s->interpreter, all[0].interpreter ? all[0].interpreter : "");
		relro &= is(s->relro, all[0].relro ? all[0].relro : "");
		strip &= s->stripped != XB_NA && s->stripped == all[0].stripped;
		pie &= s->pie != XB_NA && s->pie == all[0].pie;
		for (size_t k = 0; k < s->needed.n; k++)
			if (!xb_strv_contains(&e->needed, s->needed.v[k]))
				xb_strv_push(&e->needed, s->needed.v[k]);
		if (!e->arch && s->arch)
			e->arch = strdup(s->arch);
	}
	if (f->format && fmt)
		e->format = strdup(is(f->format, "macho-fat") ? "macho" : f->format);
	if (f->linkage)
		e->linkage = strdup(f->linkage);
	if (libc)
		e->libc = strdup(all[0].libc);
	if (interp)
		e->interpreter = strdup(all[0].interpreter);
	if (relro)
		e->relro = strdup(all[0].relro);
	if (strip)
		e->stripped = all[0].stripped;
	if (pie)
		e->pie = all[0].pie;
	if (f->glibc_max)
		e->max_glibc = strdup(f->glibc_max);
	for (size_t i = 0; f->go && i < f->go->settings.n; i++) {
		/* the key as verify splits it; only the value verify will
		 * find for it (the last of a key recorded twice) */
		const char *kv = f->go->settings.v[i];
		const char *eq = strchr(kv + (kv[0] == '-'), '=');
		char key[256];
		const char *got;

		if (!eq || (size_t)(eq - kv) >= sizeof(key))
			continue;
		memcpy(key, kv, (size_t)(eq - kv));
		key[eq - kv] = '\0';
		got = xb_goinfo_setting(f->go, key);
		if (got && !strcmp(got, eq + 1))
			xb_strv_push(&e->go_settings, kv);
	}
}

static void verify_checks(const ctx *c, const xb_facts *f)
{
	xb_err err = XB_ERR_INIT;
	xb_expect e;
	xb_strv v;
	xb_code rc;

	/* an expectation about everything: met or broken, each with a line */
	xb_expect_init(&e);
	xb_strv_init(&v);
	if (xb_expect_parse(&e, "linkage=static,arch=arm64,max-glibc=2.17,needed=libc.so.6,"
				"stripped=true,pie=true,relro=full,libc=musl,cgo=0", &err))
		report(c, "the test expectation does not parse: %s", err.msg);
	rc = xb_verify(f, &e, &v);
	CHECK(c, rc == XB_OK || rc == XB_ERR_EXPECT, "verify returned %d", rc);
	CHECK(c, (rc == XB_ERR_EXPECT) == (v.n > 0), "verify returned %d with %zu violations",
	      rc, v.n);
	for (size_t i = 0; i < v.n; i++)
		CHECK(c, v.v[i] && v.v[i][0], "verify gave an empty violation");
	xb_strv_release(&v);
	xb_expect_release(&e);

	/* the expectation the facts describe is met */
	xb_expect_init(&e);
	xb_strv_init(&v);
	described(f, &e);
	rc = xb_verify(f, &e, &v);
	CHECK(c, rc == XB_OK, "the facts break the expectation they describe: %.200s",
	      v.n ? v.v[0] : xb_strerror(rc));
	xb_strv_release(&v);
	xb_expect_release(&e);
}

/* ---- entry points ---------------------------------------------------------- */

unsigned fuzz_check_facts(const xb_facts *f, const fuzz_answer *a)
{
	unsigned long before = broken;
	ctx c = { a->data, a->size, "" };
	/* past the headers: xb_inspect_src's error for problems is the
	 * first of them, a reader's own failure is not */
	bool done = a->rc == XB_OK ||
		    (a->whole && a->rc == XB_ERR_FORMAT && f->problems.n &&
		     !strcmp(a->err->msg, f->problems.v[0]));

	answer_checks(&c, f, a);
	facts_checks(&c, f, done);
	for (size_t i = 0; f->slices && i < f->nslices; i++) {
		ctx sc = c;

		snprintf(sc.where, sizeof(sc.where), "slice %zu: ", i);
		/* a slice's reader fails before it knows the class, and
		 * never after */
		facts_checks(&sc, &f->slices[i], f->slices[i].bits != 0);
	}
	if (!a->facts_only) {
		json_checks(&c, f, a->err);
		verify_checks(&c, f);
	}
	return (unsigned)(broken - before);
}

unsigned fuzz_check_goinfo(const xb_goinfo *g, const unsigned char *data,
			   size_t size, bool read)
{
	unsigned long before = broken;
	ctx c = { data, size, "" };

	go_checks(&c, g, read);
	return (unsigned)(broken - before);
}
