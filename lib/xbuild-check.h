/* xbuild-check.h: the checker's part of the public interface (see
 * xbuild.h, which includes it): the facts read from a binary without
 * running it, the expectations an artifact must meet, and the check of
 * one against the other. */
#ifndef XBUILD_CHECK_H
#define XBUILD_CHECK_H

#include "xbuild-base.h"

/* ------------------------------------------------------------------ */
/* bin/: facts about a binary (src.c, facts.c, inspect.c, elf.c,      */
/* elf-dyn.c, macho.c, pe.c, goinfo.c)                                */
/* ------------------------------------------------------------------ */

/* One module of the Go build info ("dep" or "mod" line). */
typedef struct xb_gomod {
	char *path;
	char *version;
	char *sum;      /* may be "" */
	char *replace;  /* "path version" of a => line, or NULL */
	char *replace_sum; /* the go.sum hash on the => line, or NULL */
} xb_gomod;

/* What `go version -m` shows: all strings owned, NULL when absent. */
typedef struct xb_goinfo {
	char *version;       /* "go1.19.8" */
	char *path;          /* main package, "example.com/cmd/server" */
	xb_gomod main;       /* main module; path NULL when not recorded */
	xb_gomod *deps;
	size_t ndeps;
	xb_strv settings;    /* "KEY=VALUE" in recorded order, unquoted */
	bool inline_format;  /* Go 1.18+ layout; false: the pointer layout */
	int ptr_size;        /* 4 or 8 */
	bool big_endian;
} xb_goinfo;

/* A setting's value ("CGO_ENABLED" gives "0"), or NULL. */
const char *xb_goinfo_setting(const xb_goinfo *g, const char *key);

/* Hardening flags: -1 not applicable or unknown, 0 no, 1 yes. */
#define XB_NA (-1)

/*
 * Everything the checker knows about one file.  Enumerated values point to
 * static strings (the JSON values of xbuild(1)); NULL means unknown or not
 * applicable.  Other strings are owned.
 */
typedef struct xb_facts {
	char *path;
	uint64_t size;           /* bytes in the file (or slice) */
	const char *format;      /* "elf", "macho", "macho-fat", "pe" */
	int bits;                /* 32 or 64; 0 unknown */
	const char *endian;      /* "little", "big" */
	const char *type;        /* "exec", "pie", "shared", "relocatable", "core" */
	const char *arch;        /* Go's GOARCH name; NULL if Go has none */
	unsigned machine;        /* e_machine, cputype or PE Machine */
	const char *machine_name; /* "x86-64", "AArch64", ... */
	char *abi;               /* from e_flags: "hard-float", "o32", "lp64d"... */
	const char *linkage;     /* "static", "static-pie", "dynamic" */
	char *interpreter;       /* PT_INTERP or LC_LOAD_DYLINKER */
	xb_strv needed;          /* DT_NEEDED, Mach-O dylibs, PE DLLs, in order */
	char *rpath, *runpath, *soname;
	int stripped;            /* 1 no symbol table; XB_NA when unknowable */
	bool debug_info;         /* .debug_*, .zdebug_*, __debug_*, __zdebug_* */
	bool debug_compressed;   /* SHF_COMPRESSED or .zdebug_: never inflated */
	char *gnu_build_id;      /* hex of NT_GNU_BUILD_ID */
	char *go_build_id;       /* the Go build id string */
	char *uuid;              /* Mach-O LC_UUID, hex */
	char *min_os;            /* Mach-O: the oldest macOS it runs on,
				  * "11.0" (LC_BUILD_VERSION or
				  * LC_VERSION_MIN_MACOSX) */
	char *glibc_max;         /* highest GLIBC_x.y needed: "2.34" */
	const char *libc;        /* "glibc", "musl", "libsystem", "msvcrt",
				  * "ucrt", "none", "unknown" */
	int pie;                 /* hardening, each XB_NA, 0 or 1 */
	const char *relro;       /* "none", "partial", "full"; NULL: n/a */
	int bind_now;
	int nx_stack;
	int textrel;
	int stack_protector;
	bool ld_preload;         /* exactly: there is an interpreter */
	bool go_internal_link;   /* Go's own linker wrote it: hardening n/a */
	bool debug_only;         /* a separate debug file: headers without
				  * the code, so no linkage facts */
	xb_goinfo *go;           /* NULL: no Go build info */
	xb_strv problems;        /* what is malformed; facts are partial then */
	struct xb_facts *slices; /* fat Mach-O: one per architecture */
	size_t nslices;
} xb_facts;

void xb_facts_init(xb_facts *f);
void xb_facts_release(xb_facts *f);

/*
 * Read path (a regular file; FIFOs, devices and directories are refused
 * without blocking) into f, which must be initialised.  Only headers,
 * tables, the dynamic segment, notes and the Go build info are read; the
 * file is never executed or mapped.  Returns XB_ERR_UNSUPPORTED when it is
 * not ELF, Mach-O or PE, XB_ERR_FORMAT when it is malformed: then f holds
 * the facts that could be read and f->problems says what is wrong.
 */
xb_code xb_inspect(const char *path, xb_facts *f, xb_err *err);
/* For a thread with a file table of its own (unshare(CLONE_FILES)) that
 * inspects files by the thousand: xb_inspect then closes them 64 at a
 * time (close_range), not one by one.  Off again (false) closes what is
 * left; a thread must turn it off before it ends. */
void xb_inspect_close_later(bool on);

/* Write f as one JSON object (the contract in xbuild(1)), with an "error"
 * key holding err's message when err->code is set (a file that could not
 * be read, or is malformed). */
void xb_facts_json_err(const xb_facts *f, const xb_err *err, xb_json *j);

/* ------------------------------------------------------------------ */
/* expect.c: what an artifact must prove                              */
/* ------------------------------------------------------------------ */

/*
 * An expectation, held by the checker against an artifact's facts.  The
 * planner derives one from each plan; a profile's `expect:` and
 * `xbuild verify --expect` add to it.  Every field has an "any" value.
 * Strings are owned (malloc'd) by the struct.
 */
typedef struct xb_expect {
	char *format;      /* "elf", "macho", "pe"; NULL: any */
	char *arch;        /* Go's name ("arm64"); NULL: any */
	char *linkage;     /* "static", "static-pie", "dynamic"; NULL: any */
	char *libc;        /* "glibc", "musl", "none"; NULL: any */
	char *interpreter; /* exact PT_INTERP path; NULL: any */
	char *max_glibc;   /* "2.17": highest GLIBC_x.y allowed; NULL: any */
	bool needed_set;   /* needed is an allow-list (may be empty) */
	xb_strv needed;    /* shared libraries allowed */
	int stripped;      /* -1 any, 0 must have a symbol table, 1 must not */
	int pie;           /* -1 any, 0 must not be PIE, 1 must be */
	char *relro;       /* "none", "partial", "full"; NULL: any */
	xb_strv go_settings; /* "KEY=VALUE" the Go build info must record */
	char *go_version;  /* "go1.27.3": the Go release that built it; NULL: any */
} xb_expect;

void xb_expect_init(xb_expect *e);
void xb_expect_release(xb_expect *e);
/*
 * Add "key=value,key=value" to e.  Keys: format, arch, linkage, libc,
 * interpreter, max-glibc, needed (colon-separated; empty for none),
 * stripped, pie (true/false), relro, cgo (0/1, short for
 * go:CGO_ENABLED=...), go-version (or go: the Go release that built it,
 * 1.27.3 or go1.27.3), go:KEY (a Go build setting, e.g. go:-tags=netgo).
 * Later keys override earlier ones.
 */
xb_code xb_expect_parse(xb_expect *e, const char *spec, xb_err *err);

/* ------------------------------------------------------------------ */
/* verify.c: facts against an expectation                             */
/* ------------------------------------------------------------------ */

/*
 * Compare f with e and push one human line per violation onto violations
 * ("expected static, got dynamic: interpreter /lib/ld-linux-aarch64.so.1,
 * needs libc.so.6").  A fat Mach-O must have a slice of the expected arch
 * and every slice must meet the rest; its lines start "slice ARCH: ".
 * Returns XB_ERR_EXPECT when anything was pushed, XB_OK when f meets e,
 * XB_ERR_NOMEM.
 */
xb_code xb_verify(const xb_facts *f, const xb_expect *e, xb_strv *violations);

#endif
