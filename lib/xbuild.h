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
 * The header is grouped by module, in pipeline order.  It holds what cmd/
 * calls, the types those need, and the basics (err, buf, strv, json, hash,
 * version, fs) and spawn.c whole; what only lib/ and the tests use is
 * declared in a private header beside its module (lib/NAME.h, lib/bin/).
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
/*
 * Prepend "prefix: " to the message of the failure code already in err
 * (which may be NULL) and return code.  The code is passed, not read from
 * err, so that `return xb_prefix(err, rc, ...)` stays a failure when the
 * caller's caller gave no err.
 */
xb_code xb_prefix(xb_err *err, xb_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The message, or the generic text when there is none. */
const char *xb_errmsg(const xb_err *err);

/* ------------------------------------------------------------------ */
/* buf.c: growable byte buffer with a size cap                        */
/* ------------------------------------------------------------------ */

/*
 * Always NUL-terminated once anything was added (data may be NULL while
 * empty; use xb_buf_str() for a string that is never NULL).  Adding past
 * max fails with XB_ERR_TOO_BIG and leaves the buffer as it was.
 *
 * The first failed append (past max, out of memory, a bad format) is
 * remembered in status, and every append after it does nothing and returns
 * it, so that the appends of one string need no check each: whoever uses
 * the result checks once, with xb_buf_failed() or xb_buf_check(), and
 * xb_buf_take() gives NULL.  xb_buf_reset() and xb_buf_release() forget it.
 */
typedef struct xb_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;     /* cap on len; 0 means SIZE_MAX / 2 */
	xb_code status; /* the first failed append; XB_OK when none */
} xb_buf;

#define XB_BUF_INIT { NULL, 0, 0, 0, XB_OK }

void xb_buf_init(xb_buf *b, size_t max);
void xb_buf_release(xb_buf *b);
void xb_buf_reset(xb_buf *b); /* len = 0 and no failure; keeps memory */
xb_code xb_buf_grow(xb_buf *b, size_t extra);
xb_code xb_buf_add(xb_buf *b, const void *data, size_t len);
xb_code xb_buf_adds(xb_buf *b, const char *s);
xb_code xb_buf_addc(xb_buf *b, char c);
/* Append from's contents; when from failed, its failure becomes b's. */
xb_code xb_buf_addb(xb_buf *b, const xb_buf *from);
xb_code xb_buf_addf(xb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
xb_code xb_buf_vaddf(xb_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The first failed append, or XB_OK: whether the contents are whole. */
xb_code xb_buf_failed(const xb_buf *b);
/* XB_OK, or the first failed append as an error on err (which may be
 * NULL) that names the buffer's use, what ("go build's -ldflags"). */
xb_code xb_buf_check(const xb_buf *b, xb_err *err, const char *what);
/* The contents as a string; "" when empty.  Owned by the buffer. */
const char *xb_buf_str(const xb_buf *b);
/* Hand the contents to the caller (who frees them); the buffer is left
 * empty.  NULL when out of memory, or when an append failed (the contents
 * are freed; xb_buf_failed() still says why). */
char *xb_buf_take(xb_buf *b);
/* Read fd to EOF (appending), failing with XB_ERR_TOO_BIG past b->max. */
xb_code xb_buf_read_fd(xb_buf *b, int fd, xb_err *err);
/* The most bytes b may hold: b->max, or SIZE_MAX / 2 when that is 0. */
size_t xb_buf_limit(const xb_buf *b);

/* ------------------------------------------------------------------ */
/* strv.c: NULL-terminated string vectors (argv, envp)                */
/* ------------------------------------------------------------------ */

/*
 * Like xb_buf, a vector remembers its first failed push (out of memory, or
 * more than max strings) in status; every push after it does nothing and
 * returns it.  Check once where the vector is used: xb_strv_failed(),
 * xb_strv_check(), or hand it on: xb_strv_argv() of a failed vector is
 * XB_STRV_FAILED, an empty vector that xb_spawn and xb_run refuse and
 * that xb_strv_pushv turns into a failure of its own.
 */
typedef struct xb_strv {
	char **v;   /* NULL-terminated once anything was pushed */
	size_t n;
	size_t cap;
	size_t max;     /* cap on n; 0: none but memory */
	xb_code status; /* the first failed push; XB_OK when none */
} xb_strv;

#define XB_STRV_INIT { NULL, 0, 0, 0, XB_OK }

void xb_strv_init(xb_strv *sv);
/* An empty vector that holds at most max strings (0: no cap). */
void xb_strv_init_max(xb_strv *sv, size_t max);
void xb_strv_release(xb_strv *sv); /* keeps max, forgets the failure */
xb_code xb_strv_push(xb_strv *sv, const char *s);
xb_code xb_strv_pushf(xb_strv *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
xb_code xb_strv_pushv(xb_strv *sv, const char *const *v);
/* Push every string of from; from's failure becomes sv's. */
xb_code xb_strv_pushsv(xb_strv *sv, const xb_strv *from);
/* Push b's contents; when b failed, its failure becomes sv's. */
xb_code xb_strv_push_buf(xb_strv *sv, const xb_buf *b);
/* The first failed push, or XB_OK: whether the vector is whole. */
xb_code xb_strv_failed(const xb_strv *sv);
/* XB_OK, or the first failed push as an error on err (which may be NULL)
 * that names the vector's use, what ("go build's environment"). */
xb_code xb_strv_check(const xb_strv *sv, xb_err *err, const char *what);
/* For "KEY=VALUE" vectors: the value of key, or NULL. */
const char *xb_strv_getenv(const xb_strv *sv, const char *key);
/* Replace or append KEY=VALUE. */
xb_code xb_strv_setenv(xb_strv *sv, const char *key, const char *value);
/* Remove every KEY=... entry. */
void xb_strv_unsetenv(xb_strv *sv, const char *key);
/* A vector that is never NULL (an empty one is { NULL }); XB_STRV_FAILED
 * when a push failed. */
const char *const *xb_strv_argv(const xb_strv *sv);
extern const char *const xb_strv_failed_argv[1];
#define XB_STRV_FAILED xb_strv_failed_argv
int xb_strv_contains(const xb_strv *sv, const char *s);
/*
 * Append "\n<indent>ITEM" to b for each item of v (a run of equal items
 * once, with "(N times)") while b stays within room bytes; the items that
 * do not fit are counted on one last line, so that a message bound for a
 * fixed-size xb_err is whole, never cut mid-word.
 */
void xb_strv_add_lines(xb_buf *b, const xb_strv *v, const char *indent,
		       size_t room);
/* Whether v is one of the NULL-terminated list (NULL: none). */
bool xb_str_in(const char *v, const char *const *list);
/* Replace *dst (freed) with a copy of v, or NULL; on failure *dst stays. */
xb_code xb_set_str(char **dst, const char *v);

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
/* The sha256 of what the open file fd holds, read from its start whatever
 * its offset (which stays), and in *len (may be NULL) how many bytes that
 * was; name is for messages.  Hashing a descriptor, not a path, is what
 * lets a caller use the same bytes it checked. */
xb_code xb_sha256_fd(int fd, const char *name, unsigned char out[32],
		    uint64_t *len, xb_err *err);
void xb_hex(const unsigned char *d, size_t n, char *hex /* 2n + 1 */);
/* Parse 64 hex digits into 32 bytes; -1 when s is not exactly that. */
int xb_unhex32(const char *s, unsigned char out[32]);

/* ------------------------------------------------------------------ */
/* version.c: dotted version numbers                                  */
/* ------------------------------------------------------------------ */

/* Compare two dotted versions ("2.17" < "2.34"): <0, 0, >0. */
int xb_version_cmp(const char *a, const char *b);

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
	int timeout_s;     /* xb_run: stop the child after this many
			    * seconds; 0: xb_run_timeout(), -1: never */
} xb_spawn_opts;

#define XB_SPAWN_OPTS_INIT { NULL, NULL, -1, -1, -1, false, 0 }

/* Seconds a child of xb_run may take unless its options say otherwise:
 * $XBUILD_CHILD_TIMEOUT, else XB_CHILD_TIMEOUT; 0 means no limit. */
#define XB_CHILD_TIMEOUT 600
int xb_run_timeout(void);
/* The environment variable name as a number >= 0, else dflt. */
long xb_env_long(const char *name, long dflt);

/* Start argv[0] (searched in PATH of envp, or of this process).  A file
 * the kernel cannot execute (ENOEXEC: another arch, no #! line) fails
 * with XB_ERR_UNSUPPORTED, and is never handed to a shell.  An argv or
 * envp that is XB_STRV_FAILED (a vector a push failed to complete) is
 * refused with XB_ERR_SPAWN: nothing runs with an argument dropped. */
xb_code xb_spawn(const char *const argv[], const xb_spawn_opts *o, pid_t *pid,
		 xb_err *err);
/* Wait for pid, retrying on EINTR; *status as from waitpid. */
xb_code xb_wait(pid_t pid, int *status, xb_err *err);
/*
 * Run argv to completion, collecting stdout into out and stderr into errb
 * (either may be NULL: then that stream goes to /dev/null; they may be the
 * same buffer to interleave).  *exit_code is the exit status, or 128 + the
 * signal number.  Fails only when the child could not be run, its output
 * broke a buffer cap, or it ran out of time (XB_ERR_TIMEOUT: killed after
 * o->timeout_s, by default xb_run_timeout()); a non-zero exit is not a
 * failure here.
 */
xb_code xb_run(const char *const argv[], const xb_spawn_opts *o, xb_buf *out,
	       xb_buf *errb, int *exit_code, xb_err *err);
/* The exit code convention of xb_run for a waitpid status. */
int xb_exit_code(int status);
/* Full path of an executable found in the PATH string (NULL: $PATH);
 * names with a '/' are checked as they are.  Caller frees; NULL if none. */
char *xb_which(const char *name, const char *path);

/*
 * Process groups and signals, for runners of many children (exec.c).
 *
 * xb_kill_group sends sig to every process in the group whose leader is
 * pgid (a child spawned with new_pgrp); 0, or -1 with errno.
 */
int xb_kill_group(pid_t pgid, int sig);
/*
 * Without blocking: has the group leader pid exited?  If so, SIGKILL what
 * is left of its group (a grandchild that outlived it) while the unreaped
 * leader still keeps the id from being reused, then reap it into *status.
 * 1: reaped; 0: still running; -1: waitid failed (errno).
 */
int xb_reap_group(pid_t pid, int *status);
/* Online CPUs this process may run on; at least 1. */
int xb_cpu_count(void);

/*
 * SIGINT, SIGTERM, SIGHUP and SIGCHLD caught into a self-pipe, so that a
 * poll loop wakes for them: poll fd for POLLIN, then xb_sigcatch_read.
 * A stopping signal that was ignored on entry (nohup, an asynchronous
 * command of a non-interactive shell) stays ignored.  One catcher per
 * process at a time; xb_sigcatch_stop restores the previous handlers.
 */
typedef struct xb_sigcatch {
	int fd;      /* read end of the self-pipe; -1 when not started */
	int wfd;     /* write end, used by the handler */
	void *saved; /* the previous sigactions */
	int seen;    /* stopping signals counted at the last read */
} xb_sigcatch;

xb_code xb_sigcatch_start(xb_sigcatch *sc, xb_err *err);
/* Drain the pipe: the latest stopping signal if one was caught since the
 * last call, or 0 when there was none (only SIGCHLD, or nothing). */
int xb_sigcatch_read(xb_sigcatch *sc);
void xb_sigcatch_stop(xb_sigcatch *sc);

/* ------------------------------------------------------------------ */
/* fs.c: files and folders that appear whole or not at all            */
/* ------------------------------------------------------------------ */

/* mkdir -p */
xb_code xb_mkdir_p(const char *path, xb_err *err);
/* mkdir -p, creating the folders with mode (less the umask) */
xb_code xb_mkdir_p_mode(const char *path, int mode, xb_err *err);
/* rm -rf, never following symbolic links; a missing path is fine. */
xb_code xb_rm_rf(const char *path, xb_err *err);
struct stat;
/* Open path read-only (never waiting for a FIFO's writer nor taking a
 * terminal) and fstat it into *st; the caller closes *fd. */
xb_code xb_open_stat(const char *path, int *fd, struct stat *st, xb_err *err);
/* Read a regular file whole into b (appending); refuses FIFOs, devices,
 * dirs.  (Here rather than in buf.c, which uses no file functions.) */
xb_code xb_buf_read_file(xb_buf *b, const char *path, xb_err *err);
/* Whether path is a folder (following symbolic links). */
bool xb_is_dir(const char *path);
/* root + "/" + rel, without a doubled '/'; caller frees (NULL: out of
 * memory). */
char *xb_path_join(const char *root, const char *rel);
/* Push dir onto dirs when it is a folder not listed yet, also under
 * another name (/lib is /usr/lib on merged-/usr systems). */
xb_code xb_push_dir_once(xb_strv *dirs, const char *dir);
/* Create a new file "PATH.tmp-XXXXXXXX" beside path (random name, O_EXCL,
 * never through a link) with mode (less the umask); its name into name.
 * The open descriptor, or -1 with err filled. */
int xb_create_beside(const char *path, int mode, xb_buf *name, xb_err *err);
/* Write a file beside path (xb_create_beside), fsync it and rename it
 * into place. */
xb_code xb_write_file_atomic(const char *path, const void *data, size_t len,
			     int mode, xb_err *err);
/* Hard-link src to dst, or copy it (dst must not exist). */
xb_code xb_copy_file(const char *src, const char *dst, xb_err *err);
/* A new empty folder "PATH.tmp-XXXXXX" beside path; caller frees the
 * returned name (NULL on failure). */
char *xb_mktemp_dir_beside(const char *path, xb_err *err);
/* Put the finished folder tmp at final, replacing a folder there; a
 * failure leaves final as it was. */
xb_code xb_dir_commit(const char *tmp, const char *final, xb_err *err);

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

/* profile.c: YAML build profiles, resolved per target                 */
/* ------------------------------------------------------------------ */

/* Where a value came from.  line 0: not from a file ("<built-in>",
 * "<command line>"); file points into xb_profile.files or is static. */
typedef struct xb_pos {
	const char *file;
	unsigned line, col;
} xb_pos;

/*
 * Diagnostics of a profile: every error and warning, already formatted as
 * "file:line:col: message" (or "file:line:col: warning: message"), in the
 * order found, without duplicates, capped at XB_DIAGS_MAX.
 */
#define XB_DIAGS_MAX 200
typedef struct xb_diags {
	xb_strv lines;
	size_t errors;
	size_t warnings;
} xb_diags;

void xb_diags_init(xb_diags *d);
void xb_diags_release(xb_diags *d);

/* The settings, in the order the man page and --print list them. */
typedef enum xb_setting_id {
	XB_S_LINKAGE, XB_S_CGO, XB_S_LINKER, XB_S_LIBC, XB_S_BUILDMODE,
	XB_S_STRIP, XB_S_DEBUG, XB_S_TRIMPATH, XB_S_REPRODUCIBLE,
	XB_S_TAGS, XB_S_LDFLAGS, XB_S_GCFLAGS, XB_S_EXTLDFLAGS, XB_S_ENV,
	XB_S_GO, XB_S_GO_VERSION, XB_S_TOOLCHAIN, XB_S_FETCH, XB_S_SYSROOT,
	XB_S_PKG_CONFIG_PATH,
	XB_S_EXTRA_LIBS, XB_S_STATIC_LIBSTDCXX, XB_S_NSS_WARNINGS,
	XB_S_SMOKE, XB_S_ARCHIVES, XB_S_EXPECT,
	XB_S_COUNT
} xb_setting_id;

/*
 * One layer of settings (built-in defaults, `defaults:`, a target's
 * overrides, the command line) or their merge.  A setting counts only when
 * its bit is in `set`.  Enumerated settings are kept as their (validated)
 * spelling: linkage "auto", "static", "static-pie", "dynamic"; cgo "auto",
 * "on", "off"; linker "auto", "internal", "external"; libc "auto",
 * "glibc", "musl"; buildmode "default", "exe", "pie", "c-archive",
 * "c-shared", "plugin"; nss_warnings "warn", "error".  Strings are owned.
 */
typedef struct xb_settings {
	uint32_t set;            /* 1u << xb_setting_id */
	xb_pos pos[XB_S_COUNT];  /* where each set value was written */
	char *linkage, *cgo, *linker, *libc, *buildmode, *nss_warnings;
	int strip, debug, trimpath, reproducible, static_libstdcxx; /* 0/1 */
	int fetch;               /* 1: a C toolchain the machine lacks may be
				  * downloaded (a pinned archive); else
				  * never, only the cache is used */
	char *go;                /* "1.21", "go1.21.3" or a path to `go` */
	char *go_version;        /* the Go release to build with, as
				  * xb_gover_release spells it: "go1.27.3" */
	char *sysroot;           /* for the C toolchain */
	char *pkg_config_path;   /* PKG_CONFIG_PATH for cgo builds */
	xb_strv tags;            /* build tags, one per item */
	xb_strv ldflags, gcflags, extldflags; /* one word per item */
	xb_strv env;             /* "KEY=VALUE", merged by key */
	xb_strv toolchain;       /* preference: "system", "zig", "ID@SHA256" */
	xb_strv extra_libs;      /* "ssl" or "-lssl": linked with cgo */
	xb_strv smoke;           /* arguments to run the artifact with */
	xb_strv archives;        /* "tar.gz", "tar.xz", "zip" */
	xb_expect expect;        /* merged field by field */
} xb_settings;

#define XB_SETTING_SET(s, id) (((s)->set >> (id)) & 1u)

void xb_settings_init(xb_settings *s);
void xb_settings_release(xb_settings *s);
/*
 * Set one setting from text, as the command line gives it: lists are
 * comma-separated (ldflags, gcflags and extldflags split into go's quoted
 * words), env is KEY=VALUE (added), expect is the xb_expect_parse form.
 * Validates like the profile loader; pos says where the value came from.
 */
xb_code xb_settings_set(xb_settings *s, const char *key, const char *value,
			xb_pos pos, xb_err *err);

/* A target: os/arch[/variant] with its settings. */
typedef struct xb_target {
	char *os, *arch;
	char *variant;     /* "7", "v3", "softfloat"; NULL when none */
	char *name;        /* "linux/arm/7" */
	xb_pos pos;
	xb_settings over;  /* what the target entry itself sets */
	xb_settings s;     /* resolved: built-in < defaults < over < command line */
} xb_target;

/*
 * A resolved profile.  files holds the path of every file loaded (the
 * embedded default is "<builtin>/profiles/default.yaml"); every xb_pos of
 * the profile points into it.
 */
typedef struct xb_profile {
	int version;
	char *name;        /* NULL: from the package */
	xb_strv main;      /* packages to build; empty: "." */
	char *output;      /* template; see xbuild-profile(5) */
	xb_settings defaults; /* built-in defaults with `defaults:` applied */
	xb_settings cli;   /* command-line overrides, over every target */
	xb_target *targets;
	size_t ntargets;
	xb_strv ignore;    /* os/arch[/variant] patterns, '*' per part */
	xb_strv files;
	/* internal: layers as written, before resolution */
	xb_settings raw_defaults;
	xb_pos name_pos, main_pos, output_pos;
} xb_profile;

/* Default output template. */
#define XB_DEFAULT_OUTPUT "dist/{target}/{name}{ext}"

typedef struct xb_profile_opts {
	/* ${VAR} expansion reads this "KEY=VALUE" vector; NULL: environ */
	const char *const *envp;
	size_t max_size;   /* per file; 0: 1 MiB */
	bool no_extends;   /* extends: is an error (fuzzing, untrusted input) */
} xb_profile_opts;

void xb_profile_init(xb_profile *p);
void xb_profile_release(xb_profile *p);
/*
 * Load files as layers, each over the ones before (maps merge, lists
 * replace); nfiles 0 loads the embedded profiles/default.yaml.  Every
 * problem goes to d; XB_ERR_PROFILE (with err saying how many) when any is
 * an error.  Targets are resolved and checked for conflicts.
 */
xb_code xb_profile_load(xb_profile *p, const char *const *files,
			size_t nfiles, const xb_profile_opts *o, xb_diags *d,
			xb_err *err);
/*
 * The profile a run uses when none is named, in dir (NULL: the current
 * folder): "xbuild.yaml", else ".goreleaser.yaml", else ".goreleaser.yml";
 * NULL when there is none (the embedded default applies).
 */
const char *xb_profile_discover(const char *dir);
/*
 * Apply command-line overrides: cli over every target, and when targets is
 * non-empty it replaces the target list (a target the profile lists keeps
 * its overrides).  Re-resolves and re-checks; problems go to d.
 */
xb_code xb_profile_override(xb_profile *p, const xb_settings *cli,
			    const xb_strv *targets, xb_diags *d, xb_err *err);
/* Parse "os/arch[/variant]" into t (names only).  Returns XB_ERR_PROFILE
 * with a message listing what is known. */
xb_code xb_target_parse(xb_target *t, const char *spec, xb_err *err);

/* The resolved profile as YAML (loadable again) or JSON. */
xb_code xb_profile_yaml(const xb_profile *p, xb_buf *out);
void xb_profile_json(const xb_profile *p, xb_json *j);

/* ------------------------------------------------------------------ */
/* gover.c: Go releases, the one a run uses, the ones this machine has */
/* ------------------------------------------------------------------ */

/* The Go release a run uses, and why.  Strings are owned. */
typedef struct xb_gochoice {
	char *version;      /* "go1.27.3" */
	const char *source; /* "profile", "--set", "go.mod" or "local" */
	char *origin;       /* where it was asked: "p.yaml:3:15",
			     * "/src/go.mod:5"; NULL for local */
	char *why;          /* one phrase for reasons and messages: "--set
			     * go_version=go1.27.3", "the local go (toolchain
			     * go1.25.0 in /src/go.mod:5 is not newer)" */
} xb_gochoice;

void xb_gochoice_init(xb_gochoice *c);
void xb_gochoice_release(xb_gochoice *c);
/*
 * Choose the run's Go release: go_version from the command line (--set),
 * else from the profile (defaults:, else the first target that sets it),
 * else the toolchain line of dir's go.mod when it names a release newer
 * than local (as go itself would switch), else local, the version of the
 * go command (xb_goenv_open).  One run uses one Go: a target asking for
 * another is a plan error (xb_plan_target).
 */
xb_code xb_gover_choose(const xb_profile *p, const char *dir,
			const char *local, xb_gochoice *c, xb_err *err);

/* One Go release on this machine. */
typedef struct xb_goinst {
	char *version;   /* "go1.26.8" */
	char *path;      /* its go command */
	bool cached;     /* downloaded by go into the module cache
			  * (GOTOOLCHAIN); else installed here */
	bool on_path;    /* the go of PATH */
} xb_goinst;

/*
 * The Go releases this machine has, each once: go on PATH (envp's; NULL:
 * this process's), /usr/local/go/bin/go, /usr/lib/go-1.N/bin/go (newest
 * first), then the releases go downloaded into its module cache for this
 * host (golang.org/toolchain@v0.0.1-goX.Y.Z.OS-ARCH, newest first).  Each
 * installed go is asked its release; one that cannot answer is left out.
 * Free *out with xb_goinst_free.
 */
xb_code xb_go_installed(const char *const *envp, xb_goinst **out, size_t *n,
			xb_err *err);
void xb_goinst_free(xb_goinst *v, size_t n);

/* ------------------------------------------------------------------ */
/* goenv.c: what the selected Go toolchain is and what a package needs */
/* ------------------------------------------------------------------ */

/* One line of `go tool dist list -json`. */
typedef struct xb_goport {
	char *goos, *goarch;
	bool cgo;         /* CgoSupported */
	bool first_class; /* FirstClass */
} xb_goport;

/*
 * What `go list -deps` says about a package for one GOOS/GOARCH/tags,
 * asked with CGO_ENABLED=1 so that the cgo files are visible.
 */
typedef struct xb_pkginfo {
	bool ok;            /* go list succeeded */
	char *error;        /* its message when not */
	char *name;         /* last element of the main package's path */
	xb_strv user_cgo;   /* non-standard packages with import "C" */
	bool net_cgo;       /* net is in the graph and uses cgo */
	bool osuser_cgo;    /* os/user is in the graph and uses cgo */
	bool plugin;        /* plugin is in the graph */
	bool rtcgo;         /* runtime/cgo is in the graph */
	bool rtcgo_direct;  /* imported by a package without cgo files (import _ "runtime/cgo") */
} xb_pkginfo;

/* Where Go's own installer puts the go command: used when go is not on
 * PATH and no --go was given. */
#define XB_GO_INSTALL "/usr/local/go/bin/go"

/* The Go toolchain xbuild drives, and its cached answers. */
typedef struct xb_goenv {
	char *go;           /* path of the go command */
	char *version;      /* "go1.19.8" */
	int major, minor, patch;
	char *goroot, *hostos, *hostarch;
	xb_goport *ports;
	size_t nports;
	char *dir;          /* where go list runs; NULL: the current directory */
	xb_strv envp;       /* the environment go runs with */
	/* go list answers by package, GOOS, GOARCH and tags */
	struct xb_goenv_entry { char *key; xb_pkginfo info; } *cache;
	size_t ncache;
	/* cgo link inputs (xb_goenv_cgolink) by package, GOOS, GOARCH,
	 * tags and CC; error set when go list could not load them */
	struct xb_goenv_cgo {
		char *key;
		struct xb_cgolink *q;
		char *error;
	} *cgo_cache;
	size_t ncgo_cache;
	unsigned list_runs; /* how many times go list ran */
	/* the release the run uses (xb_goenv_use); version and the
	 * answers above are that release's */
	char *toolchain;    /* GOTOOLCHAIN go runs with: "local", or the
			     * release it switches to ("go1.27.3"); NULL
			     * before xb_goenv_use: local */
	char *local_version; /* the go command's own release */
	bool from_modcache; /* go is the release's own go command in the
			     * module cache, run with GOTOOLCHAIN=local: go
			     * will not switch with GOSUMDB=off */
	xb_gochoice chosen; /* which release, from where, and why */
} xb_goenv;

void xb_goenv_init(xb_goenv *g);
void xb_goenv_release(xb_goenv *g);
/*
 * Ask go (a path or a name looked up in PATH; NULL: "go") for its version,
 * GOROOT, host and ports.  envp: the environment to run it with (NULL:
 * this process's).
 */
xb_code xb_goenv_open(xb_goenv *g, const char *go, const char *const *envp,
		      xb_err *err);
/* The go: paths p names (defaults:, then each target's, those with a
 * '/'): each must be an executable regular file, checked without running
 * it (an error to d at its line when not).  The first, or NULL when none
 * names a path. */
const char *xb_goenv_profile_go(const xb_profile *p, xb_diags *d);
/*
 * Use the release c chose for everything go does from now on: when it is
 * not g's own, go runs with GOTOOLCHAIN=<release> (fetching it into the
 * module cache once, through the module proxy) and g is asked again;
 * else with GOTOOLCHAIN=local.  go switches only through the checksum
 * database: with GOSUMDB=off, a release the module cache has runs from
 * there, its own go command with GOTOOLCHAIN=local (g->go is then that
 * one, g->from_modcache true).  Fails when the go command is older than
 * Go 1.21 (it cannot switch), when the release is older than Go 1.21 (go
 * cannot fetch it), and when go cannot fetch it (XB_ERR_OFFLINE with
 * GOPROXY=off, else XB_ERR_NET; XB_ERR_UNSUPPORTED with GOSUMDB=off): the
 * message names the release, why it was chosen and how to fetch it.  c
 * is copied into g->chosen.  Call it once, after xb_goenv_open.
 */
xb_code xb_goenv_use(xb_goenv *g, const xb_gochoice *c, xb_err *err);
/* Put an answer into the cache (for tests). */
xb_code xb_goenv_cache_put(xb_goenv *g, const char *pkg, const char *goos,
			   const char *goarch, const char *tags,
			   const xb_pkginfo *info);
void xb_pkginfo_init(xb_pkginfo *i);

/* ------------------------------------------------------------------ */
/* plan.c: per target, the environment, go build argv, C toolchain,  */
/* expectation, and a reason for every choice                        */
/* ------------------------------------------------------------------ */

/*
 * A C toolchain for one cgo target.  The planner fills the request fields
 * before it calls an xb_cc_lookup; the lookup fills the rest.
 */
typedef struct xb_plan_cc {
	/* request (borrowed, may be NULL) */
	const char *const *prefer; /* the profile's toolchain preference */
	const char *sysroot;       /* the profile's sysroot */
	bool want_static;          /* the link will be static */
	bool want_static_pie;      /* the link will use -static-pie */
	bool fetch;                /* the profile's fetch: a pinned toolchain
				      may be downloaded; else only the
				      cache is used */
	const char *glibc;         /* glibc floor ("2.17"): a compiler with a
				    * newer glibc is rejected, zig targets it */
	/* answer (owned) */
	char *cc, *cxx;    /* command lines: "aarch64-linux-gnu-gcc", "zig cc -target x86-linux-musl" */
	char *kind;        /* "gcc", "musl-gcc", "musl-cross", "mingw", "zig", "osxcross" */
	char *libc;        /* "glibc", "musl", "mingw", "macos" */
	char *triplet;     /* "aarch64-linux-gnu" */
	char *cflags;      /* extra CGO_CFLAGS ("-march=armv7-a ..."), or NULL */
	bool static_pie;   /* can link -static-pie */
	xb_strv env;       /* extra KEY=VALUE it needs (ZIG_GLOBAL_CACHE_DIR) */
	char *libc_sysroot; /* where the compiler's libc lives; NULL: unknown */
	char *hash;        /* sha256 of the compiler executable; NULL: unknown */
} xb_plan_cc;

void xb_plan_cc_init(xb_plan_cc *cc);
void xb_plan_cc_release(xb_plan_cc *cc);

/*
 * The toolchain manager's interface: find a C compiler for a target.
 * libc is "glibc", "musl", or NULL for the lookup's choice; variant may be
 * NULL.  On success fill out's answer fields; XB_ERR_NOTFOUND with a
 * message that says what to install when there is none.
 */
typedef xb_code (*xb_cc_lookup)(void *ctx, const char *goos,
				const char *goarch, const char *variant,
				const char *libc, xb_plan_cc *out, xb_err *err);

/* One target's plan.  Everything is owned. */
typedef struct xb_plan {
	char *target;      /* "linux/arm/7" */
	char *goos, *goarch, *variant;
	char *pkg;         /* what go build builds */
	char *output;      /* -o */
	bool cgo;          /* CGO_ENABLED=1 */
	char *linkmode;    /* "internal", "external" */
	char *linkage;     /* what results: "static", "static-pie", "dynamic" */
	char *buildmode;   /* as passed, or NULL for the default */
	xb_strv tags;      /* final build tags */
	xb_strv env;       /* KEY=VALUE that xbuild decides, in a fixed order */
	xb_strv pass;      /* KEY=VALUE passed through from the host (PATH, HOME, GOCACHE...) */
	xb_strv argv;      /* go build ... */
	bool has_cc;
	xb_plan_cc cc;
	xb_expect expect;
	xb_strv smoke;
	/* The target's own settings the run engine and release need, resolved
	 * here so that nothing downstream looks back into the profile (whose
	 * targets a shard or a package list no longer line up with) */
	bool nss_fatal;    /* nss_warnings: error: a linker warning about
			    * glibc NSS breaks the artifact */
	xb_strv archives;  /* the archive formats to pack it in */
	xb_strv reasons;   /* one line per decision */
	xb_strv warnings;
	xb_strv errors;    /* the target cannot be built as asked */
	/*
	 * The C link of a cgo target, for the build engine to explain a
	 * failed one with xb_linkdiag (linkdiag.c):
	 *
	 *	xb_linkdiag_opts lo = { 0 };
	 *	lo.lib_dirs = pl->lib_dirs.n ? xb_strv_argv(&pl->lib_dirs) : NULL;
	 *	lo.sysroot = pl->sysroot;
	 *	lo.triplet = pl->triplet;
	 *	nerr = xb_linkdiag(log, len, &lo, &diagnoses);
	 *
	 * Empty for targets without cgo.
	 */
	xb_strv extldflags; /* every -extldflags word, in link order, as the
			     * resolver (xb_cgolink_resolve) and the profile's
			     * extldflags gave them; empty under the internal
			     * linker */
	xb_strv lib_dirs;  /* folders whose static archives are searched for
			    * the symbols a failed link misses, most specific
			    * first: the -L folders of extldflags, the
			    * sysroot's, then the compiler's own (for a
			    * cross target never the host's) */
	char *sysroot;     /* where the target's libraries and .pc files
			    * are: the profile's sysroot, else for a cross
			    * target the compiler's; NULL: the host's */
	char *triplet;     /* the compiler's, "aarch64-linux-gnu"; NULL:
			    * unknown */
} xb_plan;

void xb_plan_init(xb_plan *pl);
void xb_plan_release(xb_plan *pl);

typedef struct xb_plan_opts {
	/* NULL: xb_cc_lookup_toolchain over the PATH of envp: compilers
	 * found on this machine and proved by a test link, none fetched */
	xb_cc_lookup cc_lookup;
	void *cc_ctx;
	const char *build_version; /* {version}; NULL: "dev" */
	/* host environment the pass-through variables come from; NULL: environ */
	const char *const *envp;
	/* the templates' release fields (.Version, .Tag, .Commit, ...);
	 * NULL: .Version is build_version, the others empty */
	const struct xb_relver *rel;
} xb_plan_opts;

/*
 * Plan pkg (NULL: the profile's first main, else ".") for target t of p.
 * Returns XB_OK when a plan was made, even if it holds errors (then
 * pl->errors says why the target cannot be built); fails only when the
 * planning itself failed (memory, go list could not run).
 */
xb_code xb_plan_target(xb_plan *pl, const xb_profile *p, const xb_target *t,
		       const char *pkg, xb_goenv *g, const xb_plan_opts *o,
		       xb_err *err);
/* One shell line: `env -i K=V ... go build ...`, every word quoted as
 * needed; appended to out. */
xb_code xb_plan_shell(const xb_plan *pl, xb_buf *out);
/* make variable assignments, prefixed with prefix ("LINUX_ARM64_"). */
xb_code xb_plan_make(const xb_plan *pl, const char *prefix, xb_buf *out);
/* The plan as a JSON object (the schema in xbuild(1)). */
void xb_plan_json(const xb_plan *pl, xb_json *j);
/*
 * What can be told about p's targets from the Go toolchain alone, without
 * a package: ports this Go lacks, variants it does not know, a pinned
 * version it is not.  Errors go to d at each target's position.
 */
void xb_plan_check_targets(const xb_profile *p, const xb_goenv *g,
			   xb_diags *d);
/* Quote s for a POSIX shell when it needs it; appended to out. */
xb_code xb_shell_quote(xb_buf *out, const char *s);

/* ------------------------------------------------------------------ */
/* manifest.c: release manifests, SHA256SUMS, merging shards          */
/* ------------------------------------------------------------------ */

typedef struct xb_manifest xb_manifest;

/* A new, empty manifest for a release of the targets in matrix; a shard
 * count above 1 marks it as shard index/count.  Free with
 * xb_manifest_free; NULL when out of memory. */
xb_manifest *xb_manifest_new(const char *project, const char *version,
			     const char *revision, long long epoch,
			     const xb_strv *matrix, int shard_index,
			     int shard_count);
void xb_manifest_free(xb_manifest *m);
/* Add to "source" whether the tree had uncommitted changes, whether this
 * is a snapshot release (--snapshot) and where the epoch came from
 * ("SOURCE_DATE_EPOCH", "commit", "none"). */
xb_code xb_manifest_set_source(xb_manifest *m, bool dirty, bool snapshot,
			       const char *epoch_from, xb_err *err);
/* Set "tools": the Go version, where its choice came from (profile, go.mod,
 * local: not a path), and xbuild's version. */
xb_code xb_manifest_set_tools(xb_manifest *m, const char *go,
			      const char *go_source, const char *xbuild,
			      xb_err *err);
/*
 * Merge shard releases into out: refuses (XB_ERR_CONFLICT, one line per
 * problem in probs, nothing written) on an invalid manifest, shards of
 * different releases, a missing or repeated shard, one path with two
 * hashes, a target built twice, a target of the matrix built by none, or a
 * file whose hash does not match its manifest.  out appears whole.
 */
xb_code xb_merge(const char *const *dirs, size_t n, const char *out,
		 xb_strv *probs, xb_err *err);

/* ------------------------------------------------------------------ */
/* shard.c: splitting a release across CI machines                    */
/* ------------------------------------------------------------------ */

/*
 * Assign each of targets (weights[i]: relative cost, NULL or 0 for 1) to a
 * shard 1..count in shard_of[i], balancing the total weight; the same
 * input always gives the same split.
 */
xb_code xb_shard_split(const xb_strv *targets, const unsigned *weights,
		       int count, int *shard_of, xb_err *err);
/* A target's weight in a release split, from its resolved settings alone
 * (no planning, so `xbuild matrix` and `xbuild release --shard` agree):
 * 4 when cgo is on (C compiles and an external link), else 1. */
unsigned xb_shard_weight(const xb_target *t);
/* Parse "K/N". */
xb_code xb_shard_parse(const char *spec, int *index, int *count, xb_err *err);

/* ------------------------------------------------------------------ */
/* exec.c: run many commands at once, under make's jobserver, safely  */
/* ------------------------------------------------------------------ */

/* What happened to a job. */
typedef enum xb_job_state {
	XB_JOB_PENDING = 0, /* not started yet */
	XB_JOB_RUNNING,
	XB_JOB_OK,          /* exited 0 and on_success (if any) passed */
	XB_JOB_FAILED,      /* could not start, exited non-zero, was killed,
			     * or on_success failed: see err */
	XB_JOB_SKIPPED,     /* never started: an earlier job failed (without
			     * keep_going) or the run was interrupted */
	XB_JOB_STOPPED,     /* running when the run was interrupted; killed */
} xb_job_state;

/*
 * One command to run.  The caller sets the inputs (which must outlive the
 * run; the job does not own them); xb_exec_run fills the results.
 * stdout and stderr are merged, written to the log and split into lines.
 */
typedef struct xb_job {
	/* inputs */
	const char *name;          /* for messages ("linux/arm64"); NULL: argv[0] */
	const char *const *argv;
	const char *const *envp;   /* NULL: inherit this process's */
	const char *cwd;           /* NULL: this process's */
	const char *log_path;      /* NULL: no log; created or truncated */
	void *user;                /* the caller's, untouched */
	/* results */
	xb_job_state state;
	pid_t pid;                 /* also its process group; 0 before start */
	int exit_code;             /* exit status, 128 + signal, -1 not run */
	int signal;                /* the signal that ended it, 0 none */
	int64_t start_ns, end_ns;  /* CLOCK_MONOTONIC; 0 when not run */
	xb_buf tail;               /* the last tail_lines lines of output,
				    * each ending in '\n', long ones cut */
	size_t lines;              /* output lines seen in all */
	xb_err err;                /* why it failed (code XB_OK otherwise):
				    * XB_ERR_SPAWN/NOTFOUND, XB_ERR_CHILD,
				    * XB_ERR_IO (log), on_success's code,
				    * XB_ERR_INTERRUPTED */
	/* private to exec.c */
	int out_fd;
	int log_fd;
	xb_buf line;       /* the line being assembled */
	size_t tail_count; /* lines in tail */
} xb_job;

/* Seconds between start and end (0 when it never ran). */
double xb_job_seconds(const xb_job *job);

/* ------------------------------------------------------------------ */
/* run.c: build plans, prove each artifact, put it in place           */
/* ------------------------------------------------------------------ */

/*
 * Every plan's `go build` in parallel (under make's jobserver), its
 * output written under a temporary name, checked against the plan's
 * expectation, optionally run (smoke), and only then renamed into place.
 * A failure, a broken expectation or a signal leaves no partial artifact.
 * Everything the engine needs of a target is in its plan: it never sees
 * the profile.
 */

/* One plan's run, in the order of the plans. */
typedef struct xb_run_target {
	xb_plan *plan;         /* the caller's */
	xb_job job;
	char *tmp;             /* the temporary output; NULL after rename */
	char *log;             /* the log file; NULL once a temporary log
				* folder is gone */
	xb_facts facts;        /* what the checker read */
	xb_strv violations;    /* of the expectation */
	xb_strv diagnoses;     /* read from the linker's output */
	char sha256[65];       /* "" when not built */
	uint64_t size;
	int smoke_exit;        /* -1: not run */
	const char *verdict;   /* "ok", "failed", "broken" (expectation),
				* "not planned", "skipped", "stopped" */
} xb_run_target;

typedef enum xb_run_event_kind {
	XB_RUN_STARTED,    /* target's go build began */
	XB_RUN_FINISHED,   /* target is done: verdict and job say how */
	XB_RUN_STOPPING,   /* a signal: every build is being stopped */
	XB_RUN_WARNING,    /* message: the run goes on regardless */
	XB_RUN_LOGS_KEPT,  /* something failed: message is the temporary log
			    * folder, kept for the user to read */
} xb_run_event_kind;

/* Valid during the call only. */
typedef struct xb_run_event {
	xb_run_event_kind kind;
	const xb_run_target *target; /* STARTED, FINISHED */
	const xb_job *job;     /* STARTED, FINISHED: the running copy */
	const char *verdict;   /* FINISHED */
	const char *message;   /* WARNING, LOGS_KEPT */
	int signal;            /* STOPPING */
	const xb_job *jobs;    /* every job of the run, for a status line of
				* those XB_JOB_RUNNING; NULL before any */
	size_t njobs;
	size_t running, finished, total;
} xb_run_event;

typedef struct xb_run_opts {
	int jobs;              /* most builds at once; 0: make's or CPUs */
	bool keep_going;       /* a failed target does not stop the others */
	bool smoke;            /* run each artifact (qemu for foreign arches) */
	const char *logdir;    /* per-target logs; NULL: a temporary folder
				* removed afterwards unless a target failed */
	const char *makeflags; /* MAKEFLAGS, for make's jobserver; NULL: none */
	const char *hostos, *hostarch; /* where smoke runs natively (GOOS,
					* GOARCH of this machine) */
	void (*on_event)(const xb_run_event *ev, void *ctx); /* may be NULL */
	void *ctx;
} xb_run_opts;

typedef struct xb_run_result {
	size_t failed;         /* builds, smoke runs, plans with errors */
	size_t broken;         /* artifacts that broke their expectation */
	int signal;            /* that stopped the run; 0: none */
} xb_run_result;

/*
 * Run plans[0..n) (those without errors; the others count as failed).
 * *out receives n results even on failure (free with
 * xb_run_targets_free).  Returns XB_OK when every build ran to its
 * verdict (see res for failures), XB_ERR_INTERRUPTED when a signal
 * stopped it (res->signal), XB_ERR_USAGE when two plans write one
 * output, or another code when the run could not be set up.
 */
xb_code xb_run_plans(xb_plan *plans, size_t n, const xb_run_opts *o,
		     xb_run_target **out, xb_run_result *res, xb_err *err);
void xb_run_targets_free(xb_run_target *t, size_t n);

/* ------------------------------------------------------------------ */
/* gitsrc.c: the source of a release                                  */
/* ------------------------------------------------------------------ */

typedef struct xb_source {
	char *revision;         /* git's HEAD; NULL outside a work tree */
	bool dirty;             /* tracked files have uncommitted changes */
	long long epoch;        /* the time of archive entries */
	const char *epoch_from; /* "SOURCE_DATE_EPOCH", "commit", "none" */
} xb_source;

void xb_source_init(xb_source *src);
void xb_source_release(xb_source *src);
/* Ask git (in the current folder) for the revision and dirtiness; the
 * epoch is sde (SOURCE_DATE_EPOCH's value) when set, else the commit
 * time, else 0.  XB_ERR_USAGE when sde is not a number of seconds. */
xb_code xb_source_read(xb_source *src, const char *sde, xb_err *err);
/* The version of a snapshot release of src: the last tag (less a leading
 * 'v'), else 0.0.0, then "-SNAPSHOT-" and the short commit ("1.2.3-
 * SNAPSHOT-abc1234"; no commit outside a work tree).  Caller frees; NULL
 * when out of memory. */
char *xb_source_snapshot_version(const xb_source *src);

/*
 * The one version of a run and what templates say of the release (.Version,
 * .Tag, .Commit, .Date, ...): the version given (--version or
 * --build-version, else XBUILD_VERSION), else the tag at HEAD, else a
 * snapshot version ("TAG-SNAPSHOT-SHORTCOMMIT" after the last tag, or
 * "0.0.0-SNAPSHOT-SHORTCOMMIT"; "dev" outside a git work tree).
 * Strings owned; NULL when unknown.
 */
typedef struct xb_relver {
	char *version;          /* without a leading "v" */
	char *raw_version;      /* as given or tagged */
	char *tag;              /* the tag at HEAD, else the version given */
	char *commit, *short_commit;
	char *date, *commit_date;           /* RFC 3339, UTC */
	char *timestamp, *commit_timestamp; /* seconds since 1970 */
	bool snapshot;
	const char *from;       /* "given", "tag", "snapshot" */
} xb_relver;

void xb_relver_init(xb_relver *v);
void xb_relver_release(xb_relver *v);
/* Fill v in the current folder: given (NULL: none) is the version asked
 * for; the date is sde (SOURCE_DATE_EPOCH) when set, else now. */
xb_code xb_relver_read(xb_relver *v, const char *given, const char *sde,
		       xb_err *err);

/* ------------------------------------------------------------------ */
/* release.c: the release folder: layout, shard, manifest, archives   */
/* ------------------------------------------------------------------ */

/* One archive: binaries of the release packed as path. */
typedef struct xb_release_archive {
	char *path;            /* inside the release */
	const char *format;    /* "tar.gz", "tar.xz", "zip" (the plan's) */
	const char *target;    /* the plan's */
	xb_strv srcs;          /* release-relative sources */
	xb_strv names;         /* their names inside the archive */
} xb_release_archive;

/* One file of a written release, for the caller to list. */
typedef struct xb_release_artifact {
	const char *path, *target; /* the release's */
	const char *kind;      /* "binary", "archive" */
	char sha256[65];
	uint64_t size;
} xb_release_artifact;

typedef struct xb_release {
	char **rels;           /* per plan: its path inside the release */
	size_t n;
	xb_release_archive *archives;
	size_t narchives;
	xb_release_artifact *artifacts; /* after xb_release_write */
	size_t nartifacts;
} xb_release;

void xb_release_init(xb_release *r);
void xb_release_release(xb_release *r);
/* Keep only the plans of shard k of count of the matrix (the profile's
 * targets, in its order), split as xb_shard_split does; the others are
 * released and *n shrinks. */
xb_code xb_release_shard(xb_plan *plans, size_t *n, const xb_profile *p,
			 const xb_strv *matrix, int k, int count, xb_err *err);
/* Where each plan's output goes inside the release folder dist (its path
 * less a leading "dist/" or "DIST/") and the archives of its plan's
 * formats.  XB_ERR_USAGE for an output outside the folder, one of the
 * release's own names, one written twice, an unknown archive format or an
 * archive that would overwrite a binary. */
xb_code xb_release_layout(xb_release *r, const xb_plan *plans, size_t n,
			  const char *dist, xb_err *err);
/* Point each plan's output (and its -o) at folder/its path, making the
 * folders when mkdirs. */
xb_code xb_release_retarget(const xb_release *r, xb_plan *plans,
			    const char *folder, bool mkdirs, xb_err *err);
/* Compare every binary of two builds, folders a and b; each difference
 * is a line in probs.  Returns how many differ. */
size_t xb_release_compare(const xb_release *r, const xb_plan *plans,
			  const char *a, const char *b, xb_strv *probs);
/* With every binary built into dir by plans (results rt): record them in
 * m, pack the archives with times epoch, write manifest.json and
 * SHA256SUMS into dir, and list everything in r->artifacts. */
xb_code xb_release_write(xb_release *r, const char *dir, const xb_plan *plans,
			 const xb_run_target *rt, const char *go_version,
			 long long epoch, xb_manifest *m, xb_err *err);

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
	uint64_t unpacked; /* bytes of file data it unpacks to, at most (links
			      and holes count); 0: undeclared, then at most
			      XB_TC_RATIO times its size (and 16 MiB) */
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
#define XB_TC_RATIO 20             /* unpacked/packed bound when undeclared */
#define XB_TC_MAX_UNPACKED (16ull << 30) /* bound of every extraction */

void xb_tc_data_init(xb_tc_data *d);
void xb_tc_data_release(xb_tc_data *d);
/* Load every toolchains/NAME.yaml of dir (NULL: xb_datadir()), sorted. */
xb_code xb_tc_data_load(xb_tc_data *d, const char *dir, xb_err *err);
/*
 * Where the data lives: $XBUILD_DATADIR, else the source tree the binary
 * runs from (the folder of /proc/self/exe when it has toolchains/), else
 * the compiled-in XB_DATADIR.  Static storage.
 */
const char *xb_datadir(void);

/*
 * The cache: $XBUILD_CACHE, else $XDG_CACHE_HOME/xbuild, else
 * ~/.cache/xbuild.  Layout:
 *   dl/<sha256>.part        a download in progress (resumed)
 *   tc/<id>-<sha256:12>/    an install; .xbuild-complete is written last
 *   tc/.tmp-*               extraction in progress (gc removes stale ones)
 *   locks/<id>-<sha:12>.lock  flock: one process fetches, the rest wait
 *   locks/dl-<sha256>.lock    flock: one process writes dl/<sha256>.part
 *                             (ids pinning the same bytes share it)
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
	long stall_secs;    /* abort a transfer slower than min_speed for this
			       long, and try the next URL; 0: 30
			       ($XBUILD_STALL_TIMEOUT) */
	long lock_secs;     /* wait this long for another process; 0: 3600 */
	uint64_t max_size;  /* cap when the entry has no size; 0: 2 GiB */
	xb_progress_fn progress; /* NULL: none */
	void *progress_ctx;
	long min_speed;     /* bytes per second, averaged over stall_secs;
			       0: 1024 ($XBUILD_MIN_SPEED) */
	long deadline_secs; /* abort a transfer that lasts longer, and try the
			       next URL; 0: 1800 ($XBUILD_FETCH_TIMEOUT) */
} xb_fetch_opts;

#define XB_FETCH_OPTS_INIT { NULL, false, 0, 0, 0, 0, 0, NULL, NULL, 0, 0 }

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
 * checks and extraction as a download, on a private copy of the file
 * read once (a pipe works too), so that what was checked is what is
 * extracted whatever happens to the path meanwhile.
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
	/* which kinds to try, in order: "system" (PATH, prefixes, cache) and
	 * "zig"; NULL: system, then zig */
	const char *const *prefer;
} xb_tc_opts;

#define XB_TC_OPTS_INIT { NULL, NULL, NULL, NULL, NULL, NULL, false, false, \
			  NULL, XB_FETCH_OPTS_INIT, NULL }

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
 * An xb_cc_lookup over xb_toolchain_find (ctx: an xb_tc_opts, or NULL):
 * the compilers the toolchain manager finds and proves, in the order of
 * out->prefer.  A pinned "ID@SHA256" preference is fetched into the cache
 * (gcc and zig archives) and used.
 */
xb_code xb_cc_lookup_toolchain(void *ctx, const char *goos,
			       const char *goarch, const char *variant,
			       const char *libc, xb_plan_cc *out, xb_err *err);

#endif /* XBUILD_H */
