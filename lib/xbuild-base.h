/*
 * xbuild-base.h: the basics of libxbuild, public through xbuild.h: result
 * codes and messages, capped buffers, string vectors, the JSON writer,
 * hashes, version numbers, child processes and files.  Nothing here knows
 * of Go or of a build.
 */
#ifndef XBUILD_BASE_H
#define XBUILD_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
/*
 * Split a command line into words onto sv, as a shell would without
 * running one: blanks separate words; '...' keeps its text as it is;
 * "..." too, but for \" and \\; a backslash elsewhere keeps the next
 * character.  No expansion of any kind.  *why says what is wrong with
 * line (an unterminated quote), NULL when nothing is.  Fails only for lack
 * of memory.
 */
xb_code xb_strv_split_words(xb_strv *sv, const char *line, const char **why);
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
/* key: an array of v's strings */
void xb_json_kstrv(xb_json *j, const char *key, const xb_strv *v);
/* Finish: adds a newline when pretty; returns the first failure. */
xb_code xb_json_finish(xb_json *j);
/* Append s as a quoted, escaped JSON string to b (invalid UTF-8 bytes
 * become U+FFFD so the output is always valid JSON). */
xb_code xb_json_quote(xb_buf *b, const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* hash.c: SHA-256 through libcrypto                                  */
/* ------------------------------------------------------------------ */

typedef struct xb_sha256 {
	void *ctx; /* SHA256_CTX */
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
/* The sha256 of the file at path, computed in a thread while the caller
 * goes on: the file is opened here (renaming it meanwhile changes
 * nothing); xb_sha256_wait gives the digest and the bytes read, and
 * frees the task (NULL: the start failed and said why in *err).  A file
 * written to between the start and the wait (its size or mtime moved) fails with
 * XB_ERR_CONFLICT.  xb_sha256_same: path still names the file the task
 * opened, unchanged since (its ctime too). */
typedef struct xb_sha256_task xb_sha256_task;
xb_sha256_task *xb_sha256_start(const char *path, xb_err *err);
bool xb_sha256_same(const xb_sha256_task *task, const char *path);
xb_code xb_sha256_wait(xb_sha256_task *task, unsigned char out[32],
		       uint64_t *len, xb_err *err);
/* The digest ("sha256" or "sha512") of the file path, in lowercase hex
 * (hex: 129 bytes). */
xb_code xb_digest_file(const char *path, const char *algorithm, char *hex,
		       xb_err *err);
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
	int cancel_fd;     /* xb_run with out or errb: stop the child as
			    * soon as this is readable; -1: none */
} xb_spawn_opts;

#define XB_SPAWN_OPTS_INIT { NULL, NULL, -1, -1, -1, false, 0, -1 }

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
 * broke a buffer cap, it ran out of time (XB_ERR_TIMEOUT: killed after
 * o->timeout_s, by default xb_run_timeout()) or o->cancel_fd stopped it
 * (XB_ERR_INTERRUPTED); a non-zero exit is not a failure here.
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
/* The same, leaving the file's access time as it was (O_NOATIME) where
 * the kernel allows it (the file's owner, or CAP_FOWNER): a look at a
 * binary is no use of it, and each read costs less. */
xb_code xb_open_stat_noatime(const char *path, int *fd, struct stat *st,
			     xb_err *err);
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
/* The same without the fsync, for a cache's entries (mode 0644): one lost
 * or torn by a crash is read as a miss, and a build waits on no disk. */
xb_code xb_write_cache_file(const char *path, const void *data, size_t len,
			    xb_err *err);
/* The folder this program runs from (/proc/self/exe, links resolved),
 * or "" when it cannot be read. */
const char *xb_self_dir(void);
/* Hard-link src to dst, or copy it (dst must not exist). */
xb_code xb_copy_file(const char *src, const char *dst, xb_err *err);
/* A new empty folder "PATH.tmp-XXXXXX" beside path; caller frees the
 * returned name (NULL on failure). */
char *xb_mktemp_dir_beside(const char *path, xb_err *err);
/* Put the finished folder tmp at final, replacing a folder there; a
 * failure leaves final as it was. */
xb_code xb_dir_commit(const char *tmp, const char *final, xb_err *err);

#endif /* XBUILD_BASE_H */
