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
/* tcdata.c, fetch.c, toolchain.c: C cross toolchains                 */
/* ------------------------------------------------------------------ */

/*
 * The data in toolchains/NAME.yaml (documented at the top of each file): for each Go
 * target the compilers that can serve it, and the pinned archives xbuild
 * may fetch.  Strings are owned by the structs.
 */
typedef struct xb_tc_libc {
	char *libc;        /* "glibc", "musl", "mingw", "macos" */
	xb_strv triplets;  /* GNU triplets, vendor optional: "aarch64-linux-gnu" */
	xb_strv wrappers;  /* whole compiler names: "musl-gcc" */
	char *zig;         /* zig cc -target value, "aarch64-linux-musl"; or NULL */
	char *clang;       /* clang --target value; or NULL */
} xb_tc_libc;

typedef struct xb_tc_target {
	char *goos, *goarch; /* "linux", "arm64" */
	char *variant;     /* GOARM and friends ("7"); NULL: any */
	char *format;      /* "elf", "pe", "macho" */
	unsigned machine;  /* ELF e_machine, PE Machine or Mach-O cputype */
	int bits;          /* 32 or 64 */
	xb_tc_libc *libcs; /* in order of preference */
	size_t nlibcs;
} xb_tc_target;

typedef struct xb_tc_archive {
	char *id;          /* "zig-0.11.0": what users name */
	char *kind;        /* "zig", "gcc" (a cross gcc tree) or "go" */
	char *version;
	char *host;        /* "linux/amd64": where it runs */
	char sha256[65];   /* lowercase hex */
	uint64_t size;     /* exact size in bytes; 0: unknown (capped) */
	char *strip;       /* leading folder to drop; NULL: none */
	char *bin;         /* main executable inside: "zig", "bin/go" */
	char *target;      /* gcc: the Go target it serves; else NULL */
	char *libc;        /* gcc: its libc; else NULL */
	char *triplet;     /* gcc: tool prefix, "aarch64-linux-musl" */
	xb_strv urls;      /* tried in order: mirrors after the first */
} xb_tc_archive;

typedef struct xb_tc_data {
	xb_tc_target *targets;
	size_t ntargets;
	xb_tc_archive *archives;
	size_t narchives;
	char *dir;         /* where it was loaded from; NULL when parsed */
} xb_tc_data;

#define XB_TC_DATA_MAX (1u << 20) /* bytes per data file */

void xb_tc_data_init(xb_tc_data *d);
void xb_tc_data_release(xb_tc_data *d);
/*
 * Parse one data file's text (name is used in messages) and add what it
 * holds to d.  Every error is reported, with its line and column, before
 * it gives up (XB_ERR_FORMAT).
 */
xb_code xb_tc_data_parse(xb_tc_data *d, const char *name, const char *text,
			 size_t len, xb_err *err);
/* Load every toolchains/NAME.yaml of dir (NULL: xb_datadir()), sorted. */
xb_code xb_tc_data_load(xb_tc_data *d, const char *dir, xb_err *err);
/*
 * Where the data lives: $XBUILD_DATADIR, else the source tree the binary
 * runs from (the folder of /proc/self/exe when it has toolchains/), else
 * the compiled-in XB_DATADIR.  Static storage.
 */
const char *xb_datadir(void);
/* The target entry for goos/goarch/variant (variant NULL: the first). */
const xb_tc_target *xb_tc_target_find(const xb_tc_data *d, const char *goos,
				      const char *goarch, const char *variant);
/* The archive with that id for host ("linux/amd64"; NULL: this host). */
const xb_tc_archive *xb_tc_archive_find(const xb_tc_data *d, const char *id,
					const char *host);
/* This machine as a Go target, "linux/amd64".  Static storage. */
const char *xb_host_target(void);

/*
 * The cache: $XBUILD_CACHE, else $XDG_CACHE_HOME/xbuild, else
 * ~/.cache/xbuild.  Layout:
 *   dl/<sha256>.part        a download in progress (resumed)
 *   tc/<id>-<sha256:12>/    an install; .xbuild-complete is written last
 *   tc/.tmp-*               extraction in progress (gc removes stale ones)
 *   locks/<id>-<sha:12>.lock  flock: one process fetches, the rest wait
 *   probe/<key>             remembered probe results
 *   zig/<target>/cc, c++    generated zig wrappers; zig/cache: zig's cache
 * Caller frees.  NULL when no home can be found.
 */
char *xb_cache_dir(void);

/* Progress of a download: done of total bytes (total 0: unknown).
 * Return non-zero to abort. */
typedef int (*xb_progress_fn)(void *ctx, const char *id, uint64_t done,
			      uint64_t total);

typedef struct xb_fetch_opts {
	const char *cache;  /* NULL: xb_cache_dir() */
	bool offline;       /* never open a socket; also $XBUILD_OFFLINE=1 */
	int retries;        /* attempts per URL; 0: 3 ($XBUILD_RETRIES) */
	long backoff_ms;    /* first retry delay, doubled, with jitter; 0: 500
			       ($XBUILD_BACKOFF_MS) */
	long stall_secs;    /* abort a transfer below 1 byte/s for this long;
			       0: 30 ($XBUILD_STALL_TIMEOUT) */
	long lock_secs;     /* wait this long for another process; 0: 3600 */
	uint64_t max_size;  /* cap when the entry has no size; 0: 2 GiB */
	xb_progress_fn progress; /* NULL: none */
	void *progress_ctx;
} xb_fetch_opts;

#define XB_FETCH_OPTS_INIT { NULL, false, 0, 0, 0, 0, 0, NULL, NULL }

/* What a fetch did, for messages and tests. */
typedef struct xb_fetch_info {
	bool cached;        /* it was installed already: nothing was done */
	int attempts;       /* HTTP transfers made */
	int resumed;        /* transfers that continued a partial download */
	char *url;          /* the URL that worked; NULL when cached */
	xb_strv notes;      /* one line per failed attempt, "URL: why" */
} xb_fetch_info;

void xb_fetch_info_init(xb_fetch_info *fi);
void xb_fetch_info_release(xb_fetch_info *fi);

/* True when the options or $XBUILD_OFFLINE=1 say offline. */
bool xb_fetch_offline(const xb_fetch_opts *o);
/*
 * Make sure archive a is installed in the cache and return its folder in
 * *dir (caller frees).  Downloads into dl/ (resuming, retrying with
 * backoff, then trying the next URL), checks size and sha256 before
 * anything is extracted, extracts into a temp folder (refusing absolute
 * paths, '..' and links that leave it), renames it into place and writes
 * the completion marker last.  Concurrent xbuild processes wait on one
 * lock; one downloads, all succeed.  Call it from one thread at a time
 * (libcurl's global setup is done on first use).  Offline with a cold cache
 * fails with XB_ERR_OFFLINE naming the archive.  info may be NULL.
 */
xb_code xb_fetch_archive(const xb_tc_archive *a, const xb_fetch_opts *o,
			 char **dir, xb_fetch_info *info, xb_err *err);
/*
 * Install archive a from a local file (air-gapped machines): the same
 * checks and extraction as a download.
 */
xb_code xb_fetch_from_file(const xb_tc_archive *a, const char *file,
			   const xb_fetch_opts *o, char **dir, xb_err *err);
/* The install folder of a if it is complete in the cache, else NULL.
 * Checks the marker only (cheap).  Caller frees. */
char *xb_fetch_installed(const xb_tc_archive *a, const char *cache);
/*
 * Re-hash an install against the tree hash its marker recorded at
 * extraction.  XB_ERR_HASH when anything differs.  Not thread-safe.
 */
xb_code xb_fetch_verify_dir(const char *dir, xb_err *err);
/*
 * A pin from a profile: the archive id must exist for this host and its
 * sha256 must equal sha256 (hex; NULL: no check).  On success *out is the
 * entry.  To use it: xb_fetch_archive(), then <dir>/<bin> is the zig to
 * pass as xb_tc_opts.zig (kind zig), the compiler for xb_tc_opts.cc (kind
 * gcc), or the go command to build with (kind go).
 */
xb_code xb_tc_pin(const xb_tc_data *d, const char *id, const char *sha256,
		  const xb_tc_archive **out, xb_err *err);
/*
 * Remove what is stale from the cache: temp folders and partial downloads
 * no process holds a lock on, incomplete installs, and (all) installs
 * not named by d.  *removed counts folders and files removed.
 */
xb_code xb_cache_gc(const char *cache, const xb_tc_data *d, bool all,
		    xb_strv *removed, xb_err *err);
/*
 * Parse an HTTP Content-Range value ("bytes 100-199/1000", total may be
 * '*', giving UINT64_MAX).  -1 when malformed.
 */
int xb_http_content_range(const char *s, size_t len, uint64_t *first,
			  uint64_t *last, uint64_t *total);

/* One candidate compiler that was tried and not chosen. */
typedef struct xb_tc_reject {
	char *cc;          /* the command as it would be used */
	char *why;         /* "not found", "links x86-64, not aarch64", ... */
} xb_tc_reject;

typedef struct xb_tc_opts {
	const char *cc;     /* explicit compiler (profile or $CC); tried first */
	const char *cxx;    /* with cc */
	const char *path;   /* PATH to search; NULL: $PATH */
	const char *const *prefixes; /* glob patterns of bin folders; NULL:
					~/x-tools/x/bin, /opt/x/bin,
					/usr/local/x/bin (x = '*') */
	const char *zig;    /* zig executable; NULL: PATH, then the cache */
	const char *glibc;  /* glibc floor, "2.17": zig targets it, and a
			       compiler with a newer glibc is rejected */
	bool no_probe_cache; /* always run the probes */
	bool fetch;         /* fetch the pinned zig when nothing else works */
	const xb_tc_data *data; /* NULL: load xb_datadir() */
	xb_fetch_opts fetch_opts; /* cache, offline, ... */
} xb_tc_opts;

#define XB_TC_OPTS_INIT { NULL, NULL, NULL, NULL, NULL, NULL, false, false, \
			  NULL, XB_FETCH_OPTS_INIT }

typedef struct xb_tc_result {
	char *cc;          /* value for CC: a path, with flags for clang
			      (--target=...); zig: a generated wrapper */
	char *cxx;         /* value for CXX; NULL when there is none */
	char *sysroot;     /* from -print-sysroot; NULL when unknown */
	char *kind;        /* "gcc", "clang", "zig", "musl-gcc", "cc" */
	char *source;      /* "explicit", "path", "prefix", "cache", "zig" */
	char *libc;        /* "glibc", "musl", "mingw", ... as proved */
	char *libc_version; /* "2.36" for glibc; NULL when unknown */
	char *interp;      /* PT_INTERP of a dynamic test link; NULL: none */
	char *machine;     /* dumpmachine, "aarch64-linux-gnu" */
	bool can_static;   /* a -static test link worked and has no PT_INTERP */
	char *id;          /* archive id when it came from the cache, else NULL */
	char hash[65];     /* sha256 of the compiler executable (provenance) */
	xb_tc_reject *rejected; /* every candidate tried before, with why */
	size_t nrejected;
} xb_tc_result;

void xb_tc_result_init(xb_tc_result *r);
void xb_tc_result_release(xb_tc_result *r);
/*
 * Find a C compiler for goos/goarch (variant: GOARM etc., or NULL) whose
 * C library is libc ("glibc", "musl", "mingw", or NULL/"auto": any, in the
 * data's order), and that can link statically when need_static.  Tries,
 * in order: o->cc, PATH (triplet-gcc, -gcc-N, -cc, vendor aliases,
 * wrappers), the prefixes, gcc archives in the cache, zig (PATH, then the
 * cache; fetched when o->fetch).  Each candidate is proved by compiling
 * and linking a test program and reading the result; results are
 * remembered by the compiler's path, size and mtime.  XB_ERR_NOTFOUND
 * when none works: r->rejected says why for each.
 */
xb_code xb_toolchain_find(const char *goos, const char *goarch,
			  const char *variant, const char *libc,
			  bool need_static, const xb_tc_opts *o,
			  xb_tc_result *r, xb_err *err);
/*
 * Write (or reuse) the zig wrappers for a zig target ("aarch64-linux-musl")
 * under cache/zig/<target>/: cc and c++, small sh scripts that exec
 * `zig cc -target T` with flags zig rejects dropped or translated, and
 * ZIG_GLOBAL_CACHE_DIR/ZIG_LOCAL_CACHE_DIR pointed into the cache unless
 * already set.  *cc and *cxx: caller frees.
 */
xb_code xb_zig_wrappers(const char *zig, const char *zig_target,
			const char *cache, char **cc, char **cxx, xb_err *err);

/*
 * What a test link produced, read from the file.  The probe's one reader
 * of binaries: switch it to the checker (xb_inspect) when that lands.
 */
typedef struct xb_tc_binfo {
	char format[8];    /* "elf", "pe", "macho" */
	unsigned machine;
	int bits;
	char interp[256];  /* PT_INTERP, "" when none */
} xb_tc_binfo;

xb_code xb_tc_read_binary(const char *path, xb_tc_binfo *bi, xb_err *err);

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
