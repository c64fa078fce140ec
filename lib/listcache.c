/* listcache.c: go list answers remembered across runs.  An entry is named
 * by what can change the answer and is known before go runs (the go
 * binary, its environment, the module files: xb_listcache_key), and holds
 * a fingerprint of every package folder the answer lists (names, sizes,
 * times and inodes of their entries), checked again at each lookup: a
 * new file with a build tag, an edited import or import "C" make a miss.
 * It holds a second one, of what go list reads of those entries (a Go
 * file's header, goheader.c): when only the first differs, as after an
 * edit inside a function, the answer stands and the entry takes the new
 * stats.
 * An entry file is read bounded and trusted for nothing: a damaged one is
 * a miss and is written over. */
#include <dirent.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "listcache.h"

#define ENTRY_MAX (16u << 20)    /* one entry file */
#define MODFILE_MAX (16u << 20)  /* go.mod, go.sum, go.work... */
#define DIR_ENTRIES_MAX 100000   /* names in one package folder */
#define LINES_MAX 100000         /* packages in one answer */
#define RECENT_SECS 2            /* see xb_listcache_put */
#define TRIM_EVERY 600           /* seconds between looks for the bound */
#define TRIM_STAMP ".trimmed"    /* when the last look began */
#define MAGIC "xbuild go list 2 "
#define GOFILE_MAX (16u << 20)   /* a Go file read for its header */

bool xb_listcache_enabled(void)
{
	const char *v = getenv("XBUILD_GOLIST_CACHE");

	return !v || strcmp(v, "off");
}

/* ---- the key ------------------------------------------------------------ */

static bool keyed_var(const char *kv)
{
	static const char *const names[] = { "CC=", "CXX=", "HOME=",
		"XDG_CONFIG_HOME=", NULL };

	/* where go writes its scratch files, a new folder each build, and
	 * how many threads it runs (its share of the CPUs in a run of
	 * several builds) are in no answer */
	if (!strncmp(kv, "GOTMPDIR=", 9) || !strncmp(kv, "GOMAXPROCS=", 11))
		return false;
	if (!strncmp(kv, "GO", 2) || !strncmp(kv, "CGO_", 4))
		return true;
	for (size_t i = 0; names[i]; i++)
		if (!strncmp(kv, names[i], strlen(names[i])))
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "name\n" and the file's bytes (or "-" when it does not exist) into k;
 * a file that exists but cannot be read fails the key. */
static xb_code add_file(xb_buf *k, const char *name)
{
	xb_buf f = XB_BUF_INIT;
	xb_code rc;

	xb_buf_init(&f, MODFILE_MAX);
	rc = xb_buf_read_file(&f, name, NULL);
	xb_buf_addf(k, "%s\n", name);
	if (rc == XB_ERR_NOTFOUND) {
		rc = XB_OK;
		xb_buf_adds(k, "-\n");
	} else if (!rc) {
		xb_buf_addf(k, "%zu\n", f.len);
		xb_buf_add(k, f.data, f.len);
	}
	xb_buf_release(&f);
	return rc;
}

static xb_code add_file_in(xb_buf *k, const char *dir, const char *name)
{
	xb_buf p = XB_BUF_INIT;
	xb_code rc;

	xb_buf_addf(&p, "%s/%s", dir, name);
	rc = xb_buf_failed(&p) ? XB_ERR_NOMEM : add_file(k, xb_buf_str(&p));
	xb_buf_release(&p);
	return rc;
}

static bool exists_in(const char *dir, const char *name)
{
	xb_buf p = XB_BUF_INIT;
	struct stat st;
	bool yes;

	xb_buf_addf(&p, "%s/%s", dir, name);
	yes = !xb_buf_failed(&p) && stat(xb_buf_str(&p), &st) == 0;
	xb_buf_release(&p);
	return yes;
}

/* The module files that govern dir, found as go finds them: the nearest
 * go.mod (with go.sum and vendor/modules.txt beside it) and, unless
 * GOWORK names one or is off, the nearest go.work. */
static xb_code add_module_files(xb_buf *k, const char *dir, const char *gowork)
{
	char *d = strdup(dir);
	bool mod = false, work = gowork && *gowork;
	xb_code rc = XB_OK;

	if (!d)
		return XB_ERR_NOMEM;
	if (work && strcmp(gowork, "off"))
		rc = add_file(k, gowork);
	if (!rc && work && strcmp(gowork, "off")) {
		xb_buf s = XB_BUF_INIT;
		xb_buf_addf(&s, "%s.sum", gowork);
		rc = xb_buf_failed(&s) ? XB_ERR_NOMEM : add_file(k, xb_buf_str(&s));
		xb_buf_release(&s);
	}
	while (!rc && (!mod || !work)) {
		char *slash;
		if (!mod && exists_in(d, "go.mod")) {
			mod = true;
			if (!(rc = add_file_in(k, d, "go.mod")) &&
			    !(rc = add_file_in(k, d, "go.sum")))
				rc = add_file_in(k, d, "vendor/modules.txt");
		}
		if (!rc && !work && exists_in(d, "go.work")) {
			work = true;
			if (!(rc = add_file_in(k, d, "go.work")))
				rc = add_file_in(k, d, "go.work.sum");
		}
		/* up to the root, which is looked at too */
		if (!strcmp(d, "/") || !(slash = strrchr(d, '/')))
			break;
		slash[slash == d] = '\0';
	}
	free(d);
	return rc;
}

/* The go env file (go env -w writes it): $GOENV, else the user's config
 * folder's go/env. */
static xb_code add_goenv_file(xb_buf *k, const xb_strv *env)
{
	const char *goenv = xb_strv_getenv(env, "GOENV");
	const char *xdg = xb_strv_getenv(env, "XDG_CONFIG_HOME");
	const char *home = xb_strv_getenv(env, "HOME");
	xb_buf p = XB_BUF_INIT;
	xb_code rc;

	if (goenv && !strcmp(goenv, "off"))
		return XB_OK;
	if (goenv && *goenv)
		xb_buf_adds(&p, goenv);
	else if (xdg && *xdg == '/')
		xb_buf_addf(&p, "%s/go/env", xdg);
	else if (home && *home)
		xb_buf_addf(&p, "%s/.config/go/env", home);
	else
		return XB_OK;
	rc = xb_buf_failed(&p) ? XB_ERR_NOMEM : add_file(k, xb_buf_str(&p));
	xb_buf_release(&p);
	return rc;
}

/* The go binary, its release and GOROOT, the folder, the arguments. */
static xb_code add_command(xb_buf *k, const xb_listcache_q *q, char **absdir)
{
	struct stat st;

	if (!q->go || stat(q->go, &st) < 0)
		return XB_ERR_NOTFOUND;
	*absdir = realpath(q->dir ? q->dir : ".", NULL);
	if (!*absdir)
		return XB_ERR_NOTFOUND;
	xb_buf_addf(k, "%s\n%lld %lld.%09ld %lld.%09ld %llu\n%s\n%s\n%s\n",
		    q->go, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
		    st.st_ctim.tv_nsec, (unsigned long long)st.st_ino,
		    q->version ? q->version : "", q->goroot ? q->goroot : "",
		    *absdir);
	for (const char *const *a = q->args; a && *a; a++) {
		/* a pattern can match a folder the answer does not list */
		if (strstr(*a, "..."))
			return XB_ERR_UNSUPPORTED;
		xb_buf_addf(k, "arg %s\n", *a);
	}
	return q->goroot ? add_file_in(k, q->goroot, "go.env") : XB_OK;
}

static xb_code digest_hex(const xb_buf *b, char hex[65])
{
	unsigned char d[32];
	xb_sha256 h;

	if (xb_buf_failed(b) || xb_sha256_init(&h))
		return XB_ERR_NOMEM;
	if (xb_sha256_update(&h, b->data ? b->data : "", b->len)) {
		xb_sha256_release(&h);
		return XB_ERR_IO;
	}
	if (xb_sha256_final(&h, d))
		return XB_ERR_IO;
	xb_hex(d, 32, hex);
	return XB_OK;
}

xb_code xb_listcache_key(const xb_listcache_q *q, char key[65])
{
	xb_buf k = XB_BUF_INIT;
	xb_strv env = XB_STRV_INIT, all = XB_STRV_INIT;
	char *absdir = NULL;
	xb_code rc;

	xb_buf_adds(&k, MAGIC "\n");
	rc = add_command(&k, q, &absdir);
	for (const char *const *e = q->envp; !rc && e && *e; e++)
		if (keyed_var(*e))
			xb_strv_push(&env, *e);
	if (!rc && !(rc = xb_strv_failed(&env)) && env.n) {
		qsort(env.v, env.n, sizeof(*env.v), cmp_str);
		for (size_t i = 0; i < env.n; i++)
			xb_buf_addf(&k, "env %s\n", env.v[i]);
	}
	/* the same variables, as a lookup table for the files they name */
	if (!rc)
		rc = xb_strv_pushv(&all, q->envp);
	if (!rc)
		rc = add_goenv_file(&k, &all);
	if (!rc)
		rc = add_module_files(&k, absdir, xb_strv_getenv(&all, "GOWORK"));
	if (!rc)
		rc = digest_hex(&k, key);
	free(absdir);
	xb_strv_release(&env);
	xb_strv_release(&all);
	xb_buf_release(&k);
	return rc;
}

/* ---- the folders an answer lists ----------------------------------------- */

/* The folder of one line: after its XB_LISTCACHE_DIR_FIELD-th '|'; NULL
 * when it has none.  *sealed: the field before it says "sealed". */
static const char *line_dir(const char *line, const char *end, size_t *n,
			    bool *sealed)
{
	const char *field = line;
	int bars = 0;

	for (const char *p = line; p < end; p++) {
		if (*p != '|')
			continue;
		if (++bars == XB_LISTCACHE_DIR_FIELD) {
			*sealed = p - field == 6 && !memcmp(field, "sealed", 6);
			*n = (size_t)(end - p - 1);
			return *n && p[1] == '/' ? p + 1 : NULL;
		}
		field = p + 1;
	}
	return NULL;
}

/* A folder into dirs as the memo names it: 's' (sealed) or 'd', then
 * its path. */
static xb_code push_dir(xb_strv *dirs, bool sealed, const char *dir, int n)
{
	if (xb_strv_pushf(dirs, "%c%.*s", sealed ? 's' : 'd', n, dir))
		return xb_strv_failed(dirs);
	return XB_OK;
}

static xb_code line_dirs(const char *text, xb_strv *dirs)
{
	const char *end, *dp;
	bool sealed = false;
	size_t n = 0;
	xb_code rc = XB_OK;

	for (const char *p = text; !rc && *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "\n");
		if (!(dp = line_dir(p, end, &n, &sealed)))
			return XB_ERR_FORMAT;
		rc = push_dir(dirs, sealed, dp, (int)n);
	}
	return rc;
}

/* One object's "Dir", sealed as XB_LISTCACHE_SEALED says, and the
 * folders on the way to each of its "EmbedFiles" (a file added deep in
 * an embedded folder changes none of the package's names). */
static xb_code object_dirs(json_t *o, xb_strv *dirs)
{
	const char *dir = json_string_value(json_object_get(o, "Dir"));
	json_t *files = json_object_get(o, "EmbedFiles"), *e;
	json_t *m = json_object_get(o, "Module");
	bool sealed = json_is_true(json_object_get(o, "Standard")) ||
		(json_is_object(m) && !json_is_true(json_object_get(m, "Main")) &&
		 !json_object_get(m, "Replace") &&
		 json_string_value(json_object_get(m, "Dir")));
	size_t i;
	xb_code rc;

	if (!dir || dir[0] != '/')
		return XB_ERR_FORMAT;
	rc = push_dir(dirs, sealed, dir, (int)strlen(dir));
	json_array_foreach(files, i, e) {
		const char *f = json_string_value(e), *s;

		for (s = f ? strchr(f, '/') : NULL; !rc && s; s = strchr(s + 1, '/')) {
			xb_buf sub = XB_BUF_INIT;

			xb_buf_addf(&sub, "%s/%.*s", dir, (int)(s - f), f);
			rc = xb_buf_failed(&sub) ? XB_ERR_NOMEM :
				push_dir(dirs, sealed, xb_buf_str(&sub), (int)sub.len);
			xb_buf_release(&sub);
		}
	}
	return rc;
}

static xb_code json_dirs(const char *text, xb_strv *dirs)
{
	size_t len = strlen(text), pos = 0;
	xb_code rc = XB_OK;

	while (!rc && pos < len) {
		json_error_t je;
		json_t *o = json_loadb(text + pos, len - pos,
				       JSON_DISABLE_EOF_CHECK, &je);

		if (!json_is_object(o) || je.position <= 0)
			rc = XB_ERR_FORMAT;
		else
			rc = object_dirs(o, dirs);
		json_decref(o);
		pos += je.position > 0 ? (size_t)je.position : 0;
		while (pos < len && strchr(" \t\r\n", text[pos]))
			pos++;
	}
	return rc;
}

/* The folders text lists, in its order, into dirs as the memo names
 * them (bounded by LINES_MAX): lines, or go list -json's objects (text
 * starts with '{', which no line does: a line starts with an import
 * path). */
static xb_code answer_dirs(const char *text, xb_strv *dirs)
{
	xb_code rc;

	xb_strv_init_max(dirs, LINES_MAX);
	rc = text[0] == '{' ? json_dirs(text, dirs) : line_dirs(text, dirs);
	if (!rc && !dirs->n)
		rc = XB_ERR_FORMAT;
	return rc;
}

/* One folder's fingerprint: the digest of its entries, and the newest
 * modification time among them. */
struct dirfp {
	unsigned char d[32];
	struct timespec last;
};

/* The folders fingerprinted in one run, by path: an open-addressing
 * table (cap a power of two, at most half full). */
struct xb_listcache_memo {
	struct memo_ent { char *dir; struct dirfp fp; } *v;
	size_t n, cap;
};

void xb_listcache_memo_free(xb_listcache_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].dir);
	free(m->v);
	free(m);
}

static size_t memo_slot(const xb_listcache_memo *m, const char *dir)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */

	for (const char *p = dir; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	for (size_t i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
		if (!m->v[i].dir || !strcmp(m->v[i].dir, dir))
			return i;
}

static const struct dirfp *memo_get(const xb_listcache_memo *m,
				    const char *dir)
{
	size_t i;

	if (!m || !m->cap)
		return NULL;
	i = memo_slot(m, dir);
	return m->v[i].dir ? &m->v[i].fp : NULL;
}

/* Best effort: a folder not remembered is fingerprinted again. */
static void memo_put(xb_listcache_memo *m, const char *dir,
		     const struct dirfp *fp)
{
	size_t i;

	if (!m)
		return;
	if ((m->n + 1) * 2 > m->cap) {
		xb_listcache_memo big = { NULL, 0, m->cap ? m->cap * 2 : 256 };
		if (!(big.v = calloc(big.cap, sizeof(*big.v))))
			return;
		for (size_t j = 0; j < m->cap; j++)
			if (m->v[j].dir)
				big.v[memo_slot(&big, m->v[j].dir)] = m->v[j];
		free(m->v);
		m->v = big.v;
		m->cap = big.cap;
	}
	i = memo_slot(m, dir);
	if (m->v[i].dir || !(m->v[i].dir = strdup(dir)))
		return;
	m->v[i].fp = *fp;
	m->n++;
}

static void see_time(struct timespec *last, const struct timespec *t)
{
	if (t->tv_sec > last->tv_sec ||
	    (t->tv_sec == last->tv_sec && t->tv_nsec > last->tv_nsec))
		*last = *t;
}

/* The names of the folder d holds, sorted. */
static xb_code dir_names(DIR *d, xb_strv *names)
{
	struct dirent *de;
	xb_code rc;

	xb_strv_init_max(names, DIR_ENTRIES_MAX);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			xb_strv_push(names, de->d_name);
	if (!(rc = xb_strv_failed(names)) && names->n)
		qsort(names->v, names->n, sizeof(*names->v), cmp_str);
	return rc;
}

/* "name type size mtime ctime inode" of st into b. */
static void add_stat(xb_buf *b, const char *name, const struct stat *st)
{
	xb_buf_addf(b, "%s %o %lld %lld.%09ld %lld.%09ld %llu\n", name,
		    (unsigned)(st->st_mode & S_IFMT), (long long)st->st_size,
		    (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
		    (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec,
		    (unsigned long long)st->st_ino);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

/* A file whose first lines go reads for build constraints. */
static bool constrained(const char *name)
{
	static const char *const ext[] = { ".c", ".cc", ".cxx", ".cpp", ".m",
		".s", ".S", ".sx", ".h", ".hh", ".hpp", ".hxx", ".f", ".F",
		".for", ".f90", ".swig", ".swigcxx", NULL };

	for (size_t i = 0; ext[i]; i++)
		if (has_suffix(name, ext[i]))
			return true;
	return false;
}

/* What go list can read of the file name in folder d, for the header
 * fingerprint: a Go file's header digest (goheader.c); another source
 * file's type, size, times and inode (go reads its build constraints);
 * any other entry's type alone (go reads its name only). */
static void add_read(xb_buf *b, DIR *d, const char *name,
		     const struct stat *st)
{
	xb_buf f = XB_BUF_INIT;
	unsigned char dg[32];
	char hex[65];
	int fd;

	if (S_ISREG(st->st_mode) && has_suffix(name, ".go")) {
		xb_buf_init(&f, GOFILE_MAX);
		fd = openat(dirfd(d), name, O_RDONLY | O_CLOEXEC | O_NOCTTY |
						O_NONBLOCK);
		if (fd >= 0 && !xb_buf_read_fd(&f, fd, NULL) &&
		    !xb_goheader_digest(f.data ? f.data : "", f.len, dg)) {
			xb_hex(dg, 32, hex);
			xb_buf_addf(b, "%s go %s\n", name, hex);
		} else {
			add_stat(b, name, st);
		}
		if (fd >= 0)
			close(fd);
		xb_buf_release(&f);
	} else if (S_ISREG(st->st_mode) && constrained(name)) {
		add_stat(b, name, st);
	} else {
		xb_buf_addf(b, "%s %o\n", name, (unsigned)(st->st_mode & S_IFMT));
	}
}

/* One folder's entries, sorted by name, each with its type, size, times
 * and inode (following links, as go does), or with read, what go list
 * reads of it (add_read); a sealed folder's own entry alone.  b is
 * scratch. */
static xb_code fingerprint_dir(const char *path, bool sealed, bool read,
			       xb_buf *b, struct dirfp *fp)
{
	DIR *d = NULL;
	xb_strv names = XB_STRV_INIT;
	struct stat st;
	xb_sha256 h;
	xb_code rc = XB_OK;

	memset(fp, 0, sizeof(*fp));
	xb_buf_reset(b);
	xb_buf_addf(b, "%s %s\n", sealed ? "sealed" : read ? "read" : "dir",
		    path);
	if (sealed) {
		if (stat(path, &st) == 0) {
			see_time(&fp->last, &st.st_mtim);
			add_stat(b, ".", &st);
		} else {
			xb_buf_adds(b, "-\n");
		}
	} else if (!(d = opendir(path)))
		xb_buf_adds(b, "-\n");
	else if (!(rc = dir_names(d, &names)) && fstat(dirfd(d), &st) == 0)
		see_time(&fp->last, &st.st_mtim);
	for (size_t i = 0; !rc && i < names.n; i++) {
		if (fstatat(dirfd(d), names.v[i], &st, 0) < 0) {
			xb_buf_addf(b, "%s ?\n", names.v[i]);
			continue;
		}
		see_time(&fp->last, &st.st_mtim);
		if (read)
			add_read(b, d, names.v[i], &st);
		else
			add_stat(b, names.v[i], &st);
	}
	if (d)
		closedir(d);
	xb_strv_release(&names);
	if (!rc && !(rc = xb_buf_failed(b)) && !(rc = xb_sha256_init(&h))) {
		rc = xb_sha256_update(&h, b->data, b->len);
		rc = xb_sha256_final(&h, fp->d) ? XB_ERR_IO : rc;
	}
	return rc;
}

/* The fingerprint of every folder text lists, in its order (each from
 * memo when it has it, else taken and put there; NULL: one of its own),
 * of their entries' stats, or with read, of what go list reads of them;
 * in *last the newest modification time among them.  XB_ERR_FORMAT when
 * a line or object has no folder, XB_ERR_TOO_BIG past LINES_MAX
 * folders. */
static xb_code fingerprint(const char *text, xb_listcache_memo *memo,
			   bool read, char hex[65], struct timespec *last)
{
	xb_listcache_memo *own = NULL;
	xb_strv dirs = XB_STRV_INIT;
	xb_buf b = XB_BUF_INIT;
	xb_sha256 h;
	unsigned char d[32];
	xb_code rc;

	memset(last, 0, sizeof(*last));
	/* a folder listed twice (embedded files) is looked at once */
	if (!memo && !(memo = own = calloc(1, sizeof(*own))))
		return XB_ERR_NOMEM;
	xb_buf_init(&b, 64u << 20);
	if ((rc = answer_dirs(text, &dirs)) || (rc = xb_sha256_init(&h))) {
		xb_strv_release(&dirs);
		xb_listcache_memo_free(own);
		return rc;
	}
	for (size_t i = 0; !rc && i < dirs.n; i++) {
		/* 's' (sealed) or 'd', then the folder; 'r' before them
		 * names the read fingerprint in the memo */
		xb_buf nb = XB_BUF_INIT;
		const char *name = dirs.v[i];
		const struct dirfp *known;
		struct dirfp fp;

		if (read)
			name = xb_buf_addf(&nb, "r%s", dirs.v[i]) ? NULL : nb.data;
		known = name ? memo_get(memo, name) : NULL;
		if (!name)
			rc = XB_ERR_NOMEM;
		else if (known)
			fp = *known;
		else if (!(rc = fingerprint_dir(dirs.v[i] + 1,
						dirs.v[i][0] == 's', read, &b,
						&fp)))
			memo_put(memo, name, &fp);
		xb_buf_release(&nb);
		if (!rc) {
			see_time(last, &fp.last);
			rc = xb_sha256_update(&h, fp.d, sizeof(fp.d));
		}
	}
	if (!rc && !(rc = xb_sha256_final(&h, d)))
		xb_hex(d, 32, hex);
	xb_sha256_release(&h);
	xb_buf_release(&b);
	xb_strv_release(&dirs);
	xb_listcache_memo_free(own);
	return rc;
}

/* ---- entries ------------------------------------------------------------ */

static char *entry_path(const char *cache, const char *key, bool mkdir)
{
	char *own = cache ? NULL : xb_cache_dir();
	xb_buf p = XB_BUF_INIT;

	if (!cache && !(cache = own))
		return NULL;
	xb_buf_addf(&p, "%s/golist", cache);
	if (mkdir && (xb_buf_failed(&p) || xb_mkdir_p(xb_buf_str(&p), NULL))) {
		free(own);
		xb_buf_release(&p);
		return NULL;
	}
	if (key)
		xb_buf_addf(&p, "/%.64s", key);
	free(own);
	return xb_buf_take(&p);
}

/* t is in the RECENT_SECS before since, or after it. */
static bool recent(const struct timespec *t, const struct timespec *since)
{
	return t->tv_sec > since->tv_sec - RECENT_SECS ||
	       (t->tv_sec == since->tv_sec - RECENT_SECS &&
		t->tv_nsec >= since->tv_nsec);
}

/* An entry's file: MAGIC key \n the stat fingerprint, ' ', the read
 * fingerprint \n text (the key again, in case the file was renamed). */
static bool entry_write(const char *path, const char *key, const char *fp,
			const char *rfp, const char *text)
{
	xb_buf e = XB_BUF_INIT;
	bool ok;

	xb_buf_init(&e, ENTRY_MAX);
	xb_buf_addf(&e, MAGIC "%.64s\n%.64s %.64s\n%s", key, fp, rfp, text);
	ok = !xb_buf_failed(&e) &&
	     !xb_write_cache_file(path, e.data, e.len, NULL);
	xb_buf_release(&e);
	return ok;
}

xb_code xb_listcache_get(const char *cache, const char *key,
			 xb_listcache_memo **memo, xb_buf *out)
{
	struct timespec last, now;
	char *path = entry_path(cache, key, false);
	xb_listcache_memo *m;
	xb_buf e = XB_BUF_INIT;
	char hex[65], rhex[65];
	const char *p, *text;
	bool moved = false;
	xb_code rc;

	if (!path)
		return XB_ERR_NOTFOUND;
	xb_buf_init(&e, ENTRY_MAX);
	rc = xb_buf_read_file(&e, path, NULL) ? XB_ERR_NOTFOUND : XB_OK;
	p = xb_buf_str(&e);
	if (!rc && (memchr(p, '\0', e.len) || strncmp(p, MAGIC, strlen(MAGIC)) ||
		    strncmp(p + strlen(MAGIC), key, 64) ||
		    p[strlen(MAGIC) + 64] != '\n'))
		rc = XB_ERR_NOTFOUND;
	text = rc ? NULL : p + strlen(MAGIC) + 65;
	if (!rc && (strlen(text) < 130 || text[64] != ' ' || text[129] != '\n' ||
		    strspn(text, "0123456789abcdef") != 64 ||
		    strspn(text + 65, "0123456789abcdef") != 64))
		rc = XB_ERR_NOTFOUND;
	if (!rc && memo && !*memo)
		*memo = calloc(1, sizeof(**memo));
	m = memo ? *memo : NULL;
	if (!rc && fingerprint(text + 130, m, false, hex, &last))
		rc = XB_ERR_NOTFOUND;
	/* a file's times or size moved: the same answer when what go reads
	 * of every file is the same, and nothing changed in the last seconds
	 * (a file may be half written) */
	if (!rc && memcmp(hex, text, 64)) {
		clock_gettime(CLOCK_REALTIME, &now);
		moved = true;
		if (recent(&last, &now) ||
		    fingerprint(text + 130, m, true, rhex, &last) ||
		    memcmp(rhex, text + 65, 64))
			rc = XB_ERR_NOTFOUND;
	}
	if (!rc)
		rc = xb_buf_adds(out, text + 130);
	/* the least recently used go first (xb_listcache_trim); an entry
	 * whose files moved is written again with their stats, which the
	 * next lookup finds the same without reading them */
	if (!rc && moved)
		entry_write(path, key, hex, rhex, text + 130);
	else if (!rc)
		utimensat(AT_FDCWD, path, NULL, 0);
	xb_buf_release(&e);
	free(path);
	return rc;
}

/* Whether the folder is due a look for the size bound: once in a
 * process at most, and once every TRIM_EVERY seconds across processes
 * (the stamp's time, set as a look begins).  A look stats every entry:
 * made on every write, it would cost each write more as the cache grows
 * (8 ms a write at 3,500 entries); between looks the folder passes the
 * bound by what was written since at most. */
static bool trim_due(const char *cache)
{
	static atomic_flag looked = ATOMIC_FLAG_INIT;
	char *dir = entry_path(cache, NULL, false);
	xb_buf b = XB_BUF_INIT;
	struct stat st;
	time_t now = time(NULL);
	bool due = false;
	int fd;

	if (!dir || atomic_flag_test_and_set(&looked)) {
		free(dir);
		return false;
	}
	xb_buf_addf(&b, "%s/" TRIM_STAMP, dir);
	if (!xb_buf_failed(&b)) {
		due = stat(b.data, &st) < 0 || st.st_mtime > now ||
		      now - st.st_mtime >= TRIM_EVERY;
		/* the others see it at once; when it cannot be written, every
		 * process looks, as before there was one */
		if (due && (fd = open(b.data, O_WRONLY | O_CREAT | O_NOFOLLOW |
					      O_CLOEXEC, 0644)) >= 0) {
			futimens(fd, NULL);
			close(fd);
		}
	}
	xb_buf_release(&b);
	free(dir);
	return due;
}

bool xb_listcache_put(const char *cache, const char *key, const char *text,
		      const struct timespec *started)
{
	char *path = NULL, hex[65], rhex[65];
	struct timespec last;
	bool ok = false;

	if (fingerprint(text, NULL, false, hex, &last))
		return false;
	/* a folder that changed while go read it: the answer may be of
	 * neither state.  File times are coarser than the clock, and some
	 * file systems keep seconds: what changed in the two seconds before
	 * go started is not trusted either (the next run remembers it) */
	if (started && recent(&last, started))
		return false;
	if (fingerprint(text, NULL, true, rhex, &last))
		return false;
	if ((path = entry_path(cache, key, true)) &&
	    entry_write(path, key, hex, rhex, text))
		ok = true;
	if (ok && trim_due(cache))
		xb_listcache_trim(cache, XB_LISTCACHE_MAX);
	free(path);
	return ok;
}

/* ---- the size bound ------------------------------------------------------ */

struct aged {
	char *name;
	struct timespec used;
	uint64_t size;
};

static int cmp_aged(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t xb_listcache_trim(const char *cache, uint64_t max)
{
	char *dir = entry_path(cache, NULL, false);
	DIR *d = dir ? opendir(dir) : NULL;
	struct aged *v = NULL;
	size_t n = 0, cap = 0, gone = 0;
	uint64_t total = 0;
	struct dirent *de;
	struct stat st;

	while (d && (de = readdir(d))) {
		struct aged *nv;
		if (de->d_name[0] == '.' ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = realloc(v, cap * sizeof(*v))))
				break;
			v = nv;
		}
		if (!(v[n].name = strdup(de->d_name)))
			break;
		v[n].used = st.st_mtim;
		v[n].size = (uint64_t)st.st_size;
		total += v[n++].size;
	}
	if (n && total > max)
		qsort(v, n, sizeof(*v), cmp_aged);
	for (size_t i = 0; i < n && total > max; i++)
		if (unlinkat(dirfd(d), v[i].name, 0) == 0) {
			total -= v[i].size;
			gone++;
		}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	if (d)
		closedir(d);
	free(dir);
	return gone;
}
