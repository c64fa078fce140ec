/*
 * xbuild.h: the one public header of libxbuild.
 *
 * The library never prints, exits or prompts.  Functions that can fail
 * return an xb_code and, when given one, fill a caller-owned xb_err with a
 * message that names what failed and where.  cmd/ turns these into text,
 * JSON and exit codes.
 *
 * Naming: a struct S has S_init (make it empty and usable), S_release (free
 * what it owns, leave it empty and reusable) and S_free (release, then free
 * the struct itself).  Every function returning a pointer says who frees it.
 *
 * The header is grouped by module, in pipeline order.
 */
#ifndef XBUILD_H
#define XBUILD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define XB_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* err.c: result codes and detailed messages                          */
/* ------------------------------------------------------------------ */

typedef enum xb_code {
	XB_OK = 0,           /* 0: success */
	XB_ERR_NOMEM = 1,    /* 1: out of memory */
	XB_ERR_IO = 2,       /* 2: a read, write or system call failed */
	XB_ERR_FORMAT = 3,   /* 3: input is malformed */
	XB_ERR_UNSUPPORTED = 4, /* 4: well-formed but not something we handle */
	XB_ERR_TOO_BIG = 5,  /* 5: input over a size or count cap */
	XB_ERR_USAGE = 6,    /* 6: a bad argument or option value */
	XB_ERR_PROFILE = 7,  /* 7: the profile is invalid */
	XB_ERR_SPAWN = 8,    /* 8: a child process could not be started */
	XB_ERR_CHILD = 9,    /* 9: a child process failed */
	XB_ERR_NET = 10,     /* 10: a network transfer failed */
	XB_ERR_HASH = 11,    /* 11: a checksum did not match */
	XB_ERR_NOTFOUND = 12, /* 12: a file, tool or entry does not exist */
	XB_ERR_EXPECT = 13,  /* 13: an artifact broke its expectation */
	XB_ERR_INTERRUPTED = 14, /* 14: stopped by a signal */
	XB_ERR_TIMEOUT = 15, /* 15: an operation took too long */
	XB_ERR_OFFLINE = 16, /* 16: needs the network, but offline mode is on */
	XB_ERR_CONFLICT = 17, /* 17: two inputs disagree */
	XB_CODE_MAX
} xb_code;

/* Generic text for a code: never NULL, static storage. */
const char *xb_strerror(xb_code code);

/* A caller-owned error: the code and a message with the details. */
typedef struct xb_err {
	xb_code code;
	char msg[1024];
} xb_err;

#define XB_ERR_INIT { XB_OK, { 0 } }

/*
 * Set *err (which may be NULL) and return code.  A format that ends in ':'
 * gets ": strerror(errno)" appended, with errno as it was on entry.
 */
xb_code xb_fail(xb_err *err, xb_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
xb_code xb_vfail(xb_err *err, xb_code code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Prepend "prefix: " to the message already in err; returns err->code. */
xb_code xb_prefix(xb_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The message, or the generic text when there is none. */
const char *xb_errmsg(const xb_err *err);

/* ------------------------------------------------------------------ */
/* buf.c: growable byte buffer with a size cap                        */
/* ------------------------------------------------------------------ */

/*
 * Always NUL-terminated once anything was added (data may be NULL while
 * empty; use xb_buf_str() for a string that is never NULL).  Adding past
 * max fails with XB_ERR_TOO_BIG and leaves the buffer as it was.
 */
typedef struct xb_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* cap on len; 0 means SIZE_MAX / 2 */
} xb_buf;

#define XB_BUF_INIT { NULL, 0, 0, 0 }

void xb_buf_init(xb_buf *b, size_t max);
void xb_buf_release(xb_buf *b);
void xb_buf_reset(xb_buf *b); /* len = 0, keeps memory */
xb_code xb_buf_grow(xb_buf *b, size_t extra);
xb_code xb_buf_add(xb_buf *b, const void *data, size_t len);
xb_code xb_buf_adds(xb_buf *b, const char *s);
xb_code xb_buf_addc(xb_buf *b, char c);
xb_code xb_buf_addf(xb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
xb_code xb_buf_vaddf(xb_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The contents as a string; "" when empty.  Owned by the buffer. */
const char *xb_buf_str(const xb_buf *b);
/* Hand the contents to the caller (who frees them); the buffer is left
 * empty.  Never NULL unless out of memory. */
char *xb_buf_take(xb_buf *b);
/* Read fd to EOF (appending), failing with XB_ERR_TOO_BIG past b->max. */
xb_code xb_buf_read_fd(xb_buf *b, int fd, xb_err *err);
/* Read a regular file whole (appending); refuses FIFOs, devices, dirs. */
xb_code xb_buf_read_file(xb_buf *b, const char *path, xb_err *err);

/* ------------------------------------------------------------------ */
/* strv.c: NULL-terminated string vectors (argv, envp)                */
/* ------------------------------------------------------------------ */

typedef struct xb_strv {
	char **v;   /* NULL-terminated once anything was pushed */
	size_t n;
	size_t cap;
} xb_strv;

#define XB_STRV_INIT { NULL, 0, 0 }

void xb_strv_init(xb_strv *sv);
void xb_strv_release(xb_strv *sv);
xb_code xb_strv_push(xb_strv *sv, const char *s);
xb_code xb_strv_pushf(xb_strv *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
xb_code xb_strv_pushv(xb_strv *sv, const char *const *v);
/* For "KEY=VALUE" vectors: the value of key, or NULL. */
const char *xb_strv_getenv(const xb_strv *sv, const char *key);
/* Replace or append KEY=VALUE. */
xb_code xb_strv_setenv(xb_strv *sv, const char *key, const char *value);
/* Remove every KEY=... entry. */
void xb_strv_unsetenv(xb_strv *sv, const char *key);
/* A vector that is never NULL (an empty one is { NULL }). */
const char *const *xb_strv_argv(const xb_strv *sv);
int xb_strv_contains(const xb_strv *sv, const char *s);

/* ------------------------------------------------------------------ */
/* json.c: a streaming JSON writer                                    */
/* ------------------------------------------------------------------ */

#define XB_JSON_MAX_DEPTH 64

typedef struct xb_json {
	xb_buf *out;
	int depth;
	bool pretty;
	bool first[XB_JSON_MAX_DEPTH]; /* no element written yet at depth */
	bool after_key;
	xb_code status; /* first failure; later calls do nothing */
} xb_json;

void xb_json_init(xb_json *j, xb_buf *out, bool pretty);
void xb_json_obj_begin(xb_json *j);
void xb_json_obj_end(xb_json *j);
void xb_json_arr_begin(xb_json *j);
void xb_json_arr_end(xb_json *j);
void xb_json_key(xb_json *j, const char *key);
void xb_json_str(xb_json *j, const char *s); /* NULL writes null */
void xb_json_strn(xb_json *j, const char *s, size_t len);
void xb_json_int(xb_json *j, long long v);
void xb_json_uint(xb_json *j, unsigned long long v);
void xb_json_bool(xb_json *j, bool v);
void xb_json_null(xb_json *j);
/* key + value shorthands */
void xb_json_kstr(xb_json *j, const char *key, const char *s);
void xb_json_kint(xb_json *j, const char *key, long long v);
void xb_json_kbool(xb_json *j, const char *key, bool v);
/* Finish: adds a newline when pretty; returns the first failure. */
xb_code xb_json_finish(xb_json *j);
/* Append s as a quoted, escaped JSON string to b (invalid UTF-8 bytes
 * become U+FFFD so the output is always valid JSON). */
xb_code xb_json_quote(xb_buf *b, const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* hash.c: SHA-256 through libcrypto                                  */
/* ------------------------------------------------------------------ */

typedef struct xb_sha256 {
	void *ctx; /* EVP_MD_CTX */
} xb_sha256;

xb_code xb_sha256_init(xb_sha256 *h);
xb_code xb_sha256_update(xb_sha256 *h, const void *data, size_t len);
/* Writes 32 bytes and releases the context. */
xb_code xb_sha256_final(xb_sha256 *h, unsigned char out[32]);
void xb_sha256_release(xb_sha256 *h);
xb_code xb_sha256_file(const char *path, unsigned char out[32], xb_err *err);
void xb_hex(const unsigned char *d, size_t n, char *hex /* 2n + 1 */);
/* Parse 64 hex digits into 32 bytes; -1 when s is not exactly that. */
int xb_unhex32(const char *s, unsigned char out[32]);

/* ------------------------------------------------------------------ */
/* spawn.c: every child process (posix_spawn, argv only, no shell)    */
/* ------------------------------------------------------------------ */

typedef struct xb_spawn_opts {
	const char *const *envp; /* NULL: inherit this process's environment */
	const char *cwd;   /* NULL: this process's */
	int stdin_fd;      /* -1: /dev/null */
	int stdout_fd;     /* -1: inherit */
	int stderr_fd;     /* -1: inherit */
	bool new_pgrp;     /* put the child in its own process group */
} xb_spawn_opts;

#define XB_SPAWN_OPTS_INIT { NULL, NULL, -1, -1, -1, false }

/* Start argv[0] (searched in PATH of envp, or of this process). */
xb_code xb_spawn(const char *const argv[], const xb_spawn_opts *o, pid_t *pid,
		 xb_err *err);
/* Wait for pid, retrying on EINTR; *status as from waitpid. */
xb_code xb_wait(pid_t pid, int *status, xb_err *err);
/*
 * Run argv to completion, collecting stdout into out and stderr into errb
 * (either may be NULL: then that stream goes to /dev/null; they may be the
 * same buffer to interleave).  *exit_code is the exit status, or 128 + the
 * signal number.  Fails only when the child could not be run or its output
 * broke a buffer cap; a non-zero exit is not a failure here.
 */
xb_code xb_run(const char *const argv[], const xb_spawn_opts *o, xb_buf *out,
	       xb_buf *errb, int *exit_code, xb_err *err);
/* The exit code convention of xb_run for a waitpid status. */
int xb_exit_code(int status);
/* Full path of an executable found in the PATH string (NULL: $PATH);
 * names with a '/' are checked as they are.  Caller frees; NULL if none. */
char *xb_which(const char *name, const char *path);

/* ------------------------------------------------------------------ */
/* inspect.c, elf.c, macho.c, pe.c, goinfo.c: facts about a binary     */
/* ------------------------------------------------------------------ */

/*
 * Where a parser reads from: an open file (pread) or a memory buffer (fuzz
 * targets, tests).  base/size select a window (a fat Mach-O slice); every
 * read is range-checked without overflow and never goes past size.  The
 * source does not own the fd or the memory.
 */
typedef struct xb_src {
	int fd;                   /* -1: read from mem */
	const unsigned char *mem;
	uint64_t base;            /* offset of the window in the fd or mem */
	uint64_t size;            /* bytes readable from base */
	struct xb_src_cache *cache; /* NULL, or blocks of the fd kept between
				     * reads (small reads cost no syscall) */
} xb_src;

/* A source on fd with no cache; xb_inspect adds one for its file. */
void xb_src_fd(xb_src *s, int fd, uint64_t size);
void xb_src_mem(xb_src *s, const void *mem, size_t size);
/* True when [off, off + n) lies inside the window (overflow-safe). */
bool xb_src_has(const xb_src *s, uint64_t off, uint64_t n);
/* Read exactly n bytes at off; XB_ERR_FORMAT when outside the window. */
xb_code xb_src_read(const xb_src *s, uint64_t off, void *dst, size_t n);
/* Read n bytes at off into a new buffer with a NUL after them, refusing
 * n > cap (XB_ERR_TOO_BIG).  Caller frees *out. */
xb_code xb_src_dup(const xb_src *s, uint64_t off, uint64_t n, uint64_t cap,
		   unsigned char **out);

/* One module of the Go build info ("dep" or "mod" line). */
typedef struct xb_gomod {
	char *path;
	char *version;
	char *sum;      /* may be "" */
	char *replace;  /* "path version" of a => line, or NULL */
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

void xb_goinfo_init(xb_goinfo *g);
void xb_goinfo_release(xb_goinfo *g);
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
/* For the parsers: record what is malformed (f->problems). */
void xb_facts_problem(xb_facts *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Read path (a regular file; FIFOs, devices and directories are refused
 * without blocking) into f, which must be initialised.  Only headers,
 * tables, the dynamic segment, notes and the Go build info are read; the
 * file is never executed or mapped.  Returns XB_ERR_UNSUPPORTED when it is
 * not ELF, Mach-O or PE, XB_ERR_FORMAT when it is malformed: then f holds
 * the facts that could be read and f->problems says what is wrong.
 */
xb_code xb_inspect(const char *path, xb_facts *f, xb_err *err);
/* The same from a source (f->path is left alone). */
xb_code xb_inspect_src(const xb_src *s, xb_facts *f, xb_err *err);
/* One format each; xb_inspect_src dispatches on the magic. */
xb_code xb_elf_inspect(const xb_src *s, xb_facts *f, xb_err *err);
xb_code xb_macho_inspect(const xb_src *s, xb_facts *f, xb_err *err);
xb_code xb_pe_inspect(const xb_src *s, xb_facts *f, xb_err *err);
/* Is this a magic number xb_inspect_src understands?  (4+ bytes) */
bool xb_inspect_magic(const unsigned char *p, size_t n);

/* A file range loaded at a virtual address: ELF PT_LOAD, Mach-O segment,
 * PE section (ImageBase included). */
typedef struct xb_vseg {
	uint64_t vaddr, off, filesz;
} xb_vseg;

/*
 * Go build info in the file range [off, off + len) loaded at vaddr: finds
 * "\xff Go buildinf:" at a 16-byte aligned address and decodes the inline
 * (1.18+) or pointer layout, mapping pointers through segs.  XB_ERR_NOTFOUND
 * when there is none; XB_ERR_FORMAT when it is damaged.
 */
xb_code xb_goinfo_read(const xb_src *s, uint64_t off, uint64_t len,
		       uint64_t vaddr, const xb_vseg *segs, size_t nsegs,
		       xb_goinfo *g, xb_err *err);
/* Decode modinfo text (with or without its sentinels) into g. */
xb_code xb_goinfo_parse_mod(xb_goinfo *g, const char *mod, size_t len);
/* The Go build id at the start of a text section
 * ("\xff Go build ID: \"...\"\n \xff"); caller frees; NULL if none. */
char *xb_go_buildid_text(const xb_src *s, uint64_t off, uint64_t len);

/* Write f as one JSON object (the contract in xbuild(1)). */
void xb_facts_json(const xb_facts *f, xb_json *j);
/* The same with an "error" key holding err's message when err->code is
 * set (a file that could not be read, or is malformed). */
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
} xb_expect;

void xb_expect_init(xb_expect *e);
void xb_expect_release(xb_expect *e);
/*
 * Add "key=value,key=value" to e.  Keys: format, arch, linkage, libc,
 * interpreter, max-glibc, needed (colon-separated; empty for none),
 * stripped, pie (true/false), relro, cgo (0/1, short for
 * go:CGO_ENABLED=...), go:KEY (a Go build setting, e.g. go:-tags=netgo).
 * Later keys override earlier ones.
 */
xb_code xb_expect_parse(xb_expect *e, const char *spec, xb_err *err);
/* Copy every field that src sets into dst (go_settings are merged by key,
 * src winning). */
xb_code xb_expect_merge(xb_expect *dst, const xb_expect *src);
/* Set one key (the names of xb_expect_parse) to a value. */
xb_code xb_expect_set(xb_expect *e, const char *key, const char *value,
		      xb_err *err);
/* Compare two dotted versions ("2.17" < "2.34"): <0, 0, >0. */
int xb_version_cmp(const char *a, const char *b);

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

/* ------------------------------------------------------------------ */
/* embed.c (generated by scripts/embed): data inside the binary        */
/* ------------------------------------------------------------------ */

typedef struct xb_embedded {
	const char *name; /* path in the source tree, "profiles/default.yaml" */
	const unsigned char *data; /* NUL-terminated */
	size_t len;
} xb_embedded;

extern const xb_embedded xb_embedded_files[]; /* ends with name NULL */
const xb_embedded *xb_embedded_find(const char *name);

#endif /* XBUILD_H */
