/* listcache.h: go list answers remembered across runs (listcache.c),
 * private to lib/ and the tests.  goenv asks it before it runs go list
 * -deps: one planned target then costs a few hundred stat calls instead
 * of a go process. */
#ifndef XB_LISTCACHE_H
#define XB_LISTCACHE_H

#include <time.h>

#include "xbuild.h"

/*
 * The output of go list the cache holds, in one of two forms: lines of
 * fields separated by '|', the package's folder ({{.Dir}}) the rest of
 * the line after the XB_LISTCACHE_DIR_FIELD-th '|', and before it
 * XB_LISTCACHE_SEALED: "sealed" for a folder of go's own read-only trees
 * (the standard library, a module in the module cache), else empty; or
 * go list -json's objects (the text starts with '{'), each with its
 * "Dir" (sealed by "Standard" and "Module" as XB_LISTCACHE_SEALED says),
 * whose "EmbedFiles" add the folders on the way to each embedded file.
 * A line or object without a folder makes the output one the cache does
 * not keep.
 */
#define XB_LISTCACHE_DIR_FIELD 5
#define XB_LISTCACHE_SEALED \
	"{{if .Standard}}sealed{{else}}{{with .Module}}{{if and (not .Main) " \
	"(not .Replace) .Dir}}sealed{{end}}{{end}}{{end}}"

/* What a go list answer can depend on that is known before go runs. */
typedef struct xb_listcache_q {
	const char *go;           /* the go command's path */
	const char *version;      /* the release it runs ("go1.26.1") */
	const char *goroot;       /* its GOROOT */
	const char *dir;          /* where go list runs; NULL: here */
	const char *const *envp;  /* the environment it runs with */
	const char *const *args;  /* its arguments, NULL-terminated */
} xb_listcache_q;

/*
 * The key of q: sha256 of the go binary's path, size, times and inode,
 * its release and GOROOT (with GOROOT/go.env; the standard library's
 * folders are sealed, see xb_listcache_get), the folder (made
 * absolute) and arguments, every GO* (but GOTMPDIR and GOMAXPROCS) and CGO_* variable
 * of envp and CC, CXX, HOME and XDG_CONFIG_HOME (sorted), the go env
 * file ($GOENV, else the user's config), and the contents of the go.mod,
 * go.sum and vendor/modules.txt that govern the folder and of the go.work
 * in use (with its go.work.sum).  64 hex digits and a NUL into key.  Fails
 * (nothing is cached then) when one of them cannot be read: a go that
 * cannot be stat'ed, a go.mod over 16 MiB, a pattern with "..." among the
 * arguments (it could match a folder the answer does not list).
 */
xb_code xb_listcache_key(const xb_listcache_q *q, char key[65]);

/* The folders fingerprinted in one run: targets whose answers list the
 * same folders look at each once. */
typedef struct xb_listcache_memo xb_listcache_memo;
void xb_listcache_memo_free(xb_listcache_memo *m);

/*
 * The answer remembered under key into out (appended), when the entry
 * is whole and every folder it lists holds the same names with the same
 * sizes, times and inodes as when it was written (a sealed folder: when
 * the folder itself has the same times and inode, which a file added,
 * removed or renamed in it changes; go's own trees are not edited in
 * place, and the key holds the go release and the module files).  XB_ERR_NOTFOUND
 * otherwise: no entry, a changed folder, or a damaged or foreign file
 * (read bounded, never trusted).  A hit marks the entry as recently used.
 * cache: the cache folder (NULL: xb_cache_dir()).  memo (may be NULL):
 * where the folders seen in this run are remembered, made on first use;
 * the caller frees it with xb_listcache_memo_free.
 */
xb_code xb_listcache_get(const char *cache, const char *key,
			 xb_listcache_memo **memo, xb_buf *out);

/*
 * Remember text (go list's output) under key, best effort: written beside
 * and renamed into place, then, on the first write of a process and when
 * no process did it in the last ten minutes (a stamp in the folder), the
 * least recently used entries are removed while the entries pass
 * XB_LISTCACHE_MAX bytes.  Not written when a folder it lists
 * changed after started or in the two seconds before (go may have read
 * it half changed), or when a line has no folder.  The folders are looked
 * at afresh.  True when it was written.
 */
bool xb_listcache_put(const char *cache, const char *key, const char *text,
		      const struct timespec *started);

#define XB_LISTCACHE_MAX (64u << 20)

/* Remove the least recently used entries of the cache's go list folder
 * until they hold at most max bytes together; returns how many went. */
size_t xb_listcache_trim(const char *cache, uint64_t max);

/*
 * What go list reads of a Go source file (goheader.c): xb_goheader_len
 * is how many bytes of p come before its first declaration other than an
 * import (a line that starts with func, type, var or const outside every
 * comment and literal; *cut false and n when there is none), which hold
 * its build constraints, package clause, imports and cgo preamble.
 * xb_goheader_digest is the sha256 of those bytes, of where they end and
 * of every line that holds //go:embed: equal digests, the same answer.
 */
size_t xb_goheader_len(const char *p, size_t n, bool *cut);
xb_code xb_goheader_digest(const char *p, size_t n, unsigned char out[32]);

/* True unless XBUILD_GOLIST_CACHE is "off". */
bool xb_listcache_enabled(void);

#endif
