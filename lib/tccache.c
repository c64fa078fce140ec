/* tccache.c: the toolchain cache.  An archive is installed once: fetched
 * into dl/<sha256>.part (kept for resume), extracted into a temporary
 * folder, renamed into place and marked complete last, all under a lock so
 * that concurrent processes download once.  Also the check of an install
 * against its recorded tree and the removal of what is stale.  Layout: see
 * xb_cache_dir() in xbuild.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* rm -rf, never following symlinks. */
static void rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	/* a tree extracted read-only would refuse unlink; ours is 0755 */
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *cache_of(const xb_fetch_opts *o)
{
	return o && o->cache ? strdup(o->cache) : xb_cache_dir();
}

bool xb_fetch_offline(const xb_fetch_opts *o)
{
	const char *v = getenv("XBUILD_OFFLINE");

	if (o && o->offline)
		return true;
	return v && *v && strcmp(v, "0") != 0;
}

/* ---- the lock ----------------------------------------------------- */

/* flock on locks/<name>.lock; the holder writes its pid for messages. */
static xb_code lock_take(const char *cache, const char *name, long secs,
			 int *fd_out, xb_err *err)
{
	char path[PATH_MAX], pid[32];
	long waited = 0;
	int fd;
	xb_code rc;

	snprintf(path, sizeof(path), "%s/locks", cache);
	if ((rc = xb_mkdir_p_mode(path, 0755, err)))
		return rc;
	snprintf(path, sizeof(path), "%s/locks/%s.lock", cache, name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open lock '%s':", path);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return xb_fail(err, XB_ERR_IO, "cannot lock '%s':", path);
		}
		if (waited >= secs * 1000) {
			ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			close(fd);
			return xb_fail(err, XB_ERR_TIMEOUT,
				       "gave up after %lds waiting for lock '%s' "
				       "(held by pid %s)", secs, path,
				       pid[0] ? pid : "?");
		}
		xb_fetch_sleep_ms(50);
		waited += 50;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, strlen(pid), 0) < 0) {
		/* only informative */
	}
	*fd_out = fd;
	return XB_OK;
}

static void lock_drop(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

static long lock_secs(const xb_fetch_opts *o)
{
	return o && o->lock_secs > 0
		       ? o->lock_secs
		       : xb_fetch_env_long("XBUILD_LOCK_TIMEOUT", 3600);
}

/* The lock of dl/<sha256>.part is named after what the file is named
 * after: two ids pinning the same bytes share the file, so they must share
 * its lock too (their installs have locks of their own). */
static void dl_lock_name(const char *sha256, char *out, size_t n)
{
	snprintf(out, n, "dl-%.64s", sha256);
}

static xb_code write_marker(const char *dir, const xb_tc_archive *a,
			    const char *tree, const char *url, xb_err *err)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	xb_buf b = XB_BUF_INIT;
	int fd;
	xb_code rc = XB_OK;

	snprintf(path, sizeof(path), "%s/" XB_TC_MARKER, dir);
	snprintf(tmp, sizeof(tmp), "%s/" XB_TC_MARKER ".%ld", dir, (long)getpid());
	xb_buf_addf(&b, "xbuild-install 1\nid %s\nkind %s\nsha256 %s\ntree %s\n"
		    "bin %s\nurl %s\n", a->id, a->kind, a->sha256, tree, a->bin,
		    url ? url : "(local file)");
	if (xb_buf_failed(&b)) { /* never a marker with a line missing */
		rc = xb_buf_check(&b, err, "the install marker");
		xb_buf_release(&b);
		return rc;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len ||
	    fsync(fd) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", tmp);
	if (fd >= 0)
		close(fd);
	if (!rc && rename(tmp, path) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot rename '%s':", tmp);
	if (rc)
		unlink(tmp);
	xb_buf_release(&b);
	return rc;
}

/* Extract the archive open on fd (its sha256 checked through fd) and move
 * it into place as final. */
static xb_code install(const xb_tc_archive *a, int fd, const char *cache,
		       const char *final, const char *url, xb_err *err)
{
	char tmp[PATH_MAX], name[256], tree[65];
	xb_code rc;

	xb_tc_entry_name(a, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s/tc/.tmp-%s-%ld-XXXXXX", cache, name,
		 (long)getpid());
	if (!mkdtemp(tmp))
		return xb_fail(err, XB_ERR_IO, "cannot create '%s':", tmp);
	rc = xb_extract(a, fd, tmp, tree, err);
	if (!rc) {
		/* a folder left without its marker by a crash: replace it */
		struct stat st;
		if (lstat(final, &st) == 0) {
			char old[PATH_MAX + 8];
			snprintf(old, sizeof(old), "%s.old", tmp);
			if (rename(final, old) == 0)
				rm_rf(old);
		}
		if (rename(tmp, final) < 0)
			rc = xb_fail(err, XB_ERR_IO, "cannot move '%s' into place:",
				     tmp);
	}
	if (rc) {
		rm_rf(tmp);
		return rc;
	}
	return write_marker(final, a, tree, url, err);
}

/* Copy at most cap + 1 bytes of from into to. */
static xb_code copy_fd(int from, int to, const char *name, uint64_t cap,
		       uint64_t *len, xb_err *err)
{
	char chunk[1 << 16];
	ssize_t n;

	*len = 0;
	while (*len <= cap) {
		n = read(from, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return xb_fail(err, XB_ERR_IO, "cannot read '%s':", name);
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(to, chunk + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return xb_fail(err, XB_ERR_IO, "cannot copy '%s':",
					       name);
			off += w;
		}
		*len += (uint64_t)n;
	}
	return XB_OK;
}

/*
 * A private copy of the local file in the cache, in *out: created with
 * O_EXCL and unlinked at once, so that nothing can change or replace the
 * bytes between their check and their extraction, as the user's own path
 * could (or a pipe that answers each open differently).
 */
static xb_code copy_local(const xb_tc_archive *a, const char *file,
			  const char *cache, const xb_fetch_opts *o, int *out,
			  xb_err *err)
{
	char tmp[PATH_MAX];
	uint64_t cap = xb_fetch_limit(a, o), len;
	int in, fd;
	xb_code rc;

	*out = -1;
	in = open(file, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open '%s':", file);
	snprintf(tmp, sizeof(tmp), "%s/dl/.from-XXXXXX", cache);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		close(in);
		return xb_fail(err, XB_ERR_IO, "cannot create '%s':", tmp);
	}
	unlink(tmp);
	rc = copy_fd(in, fd, file, cap, &len, err);
	close(in);
	if (!rc && len > cap)
		rc = xb_fail(err, XB_ERR_HASH, "'%s' is not toolchain '%s': more "
			     "than its %llu bytes", file, a->id,
			     (unsigned long long)cap);
	if (rc) {
		close(fd);
		return rc;
	}
	*out = fd;
	return XB_OK;
}

static xb_code from_local(const xb_tc_archive *a, const char *file,
			  const char *cache, const char *final,
			  const xb_fetch_opts *o, xb_err *err)
{
	xb_buf why = XB_BUF_INIT;
	xb_code rc;
	int fd;

	if ((rc = copy_local(a, file, cache, o, &fd, err)))
		return rc;
	rc = xb_fetch_check_fd(fd, file, a, &why, err);
	if (rc == XB_ERR_HASH)
		rc = xb_fail(err, XB_ERR_HASH, "'%s' is not toolchain '%s': %s",
			     file, a->id, xb_buf_str(&why));
	if (!rc)
		rc = install(a, fd, cache, final, NULL, err);
	close(fd);
	xb_buf_release(&why);
	return rc;
}

/* Download into dl/<sha256>.part, opened once: the bytes checked are the
 * bytes extracted, whatever happens to the name meanwhile. */
static xb_code from_download(const xb_tc_archive *a, const char *cache,
			     const char *final, const xb_fetch_opts *o,
			     xb_fetch_info *info, xb_err *err)
{
	char part[PATH_MAX], lname[80];
	xb_buf why = XB_BUF_INIT;
	struct stat st;
	xb_code rc;
	int fd, lock = -1;

	dl_lock_name(a->sha256, lname, sizeof(lname));
	if ((rc = lock_take(cache, lname, lock_secs(o), &lock, err)))
		return rc;
	snprintf(part, sizeof(part), "%s/dl/%s.part", cache, a->sha256);
	fd = open(part, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		rc = xb_fail(err, XB_ERR_IO, "cannot open '%s':", part);
		lock_drop(lock);
		return rc;
	}
	/* a partial download that is whole and right needs no transfer */
	if (!(a->size && fstat(fd, &st) == 0 &&
	      (uint64_t)st.st_size == a->size &&
	      xb_fetch_check_fd(fd, part, a, &why, NULL) == XB_OK)) {
		if (xb_fetch_offline(o)) {
			unlink(part);
			rc = xb_fail(err, XB_ERR_OFFLINE,
				     "toolchain '%s' is not in the cache and "
				     "offline mode is on", a->id);
		} else {
			rc = xb_fetch_download(a, fd, part, o, info, err);
		}
	}
	if (!rc)
		rc = install(a, fd, cache, final, info->url, err);
	/* verified bytes were extracted, or were bad: drop them either way
	 * unless a transfer can still be resumed */
	if (!rc || rc == XB_ERR_FORMAT || rc == XB_ERR_HASH ||
	    rc == XB_ERR_TOO_BIG)
		unlink(part);
	close(fd);
	lock_drop(lock);
	xb_buf_release(&why);
	return rc;
}

static xb_code fetch_common(const xb_tc_archive *a, const char *local,
			    const xb_fetch_opts *o, char **dir,
			    xb_fetch_info *info, xb_err *err)
{
	char name[256], part[PATH_MAX], final[PATH_MAX], sub[PATH_MAX];
	xb_fetch_info own_info;
	char *cache, *done;
	int lock = -1;
	xb_code rc;

	if (!info) {
		xb_fetch_info_init(&own_info);
		info = &own_info;
	}
	*dir = NULL;
	cache = cache_of(o);
	if (!cache) {
		rc = xb_fail(err, XB_ERR_NOTFOUND,
			     "no cache folder (set XBUILD_CACHE or HOME)");
		goto out;
	}
	/* the fast path: installed already, no lock needed */
	if ((done = xb_fetch_installed(a, cache))) {
		info->cached = true;
		*dir = done;
		rc = XB_OK;
		goto out;
	}
	xb_tc_entry_name(a, name, sizeof(name));
	snprintf(part, sizeof(part), "%s/dl/%s.part", cache, a->sha256);
	snprintf(final, sizeof(final), "%s/tc/%s", cache, name);
	if (!local && xb_fetch_offline(o)) {
		struct stat st;
		/* a complete download waiting to be extracted needs no network */
		if (!(a->size && stat(part, &st) == 0 &&
		      (uint64_t)st.st_size == a->size)) {
			rc = xb_fail(err, XB_ERR_OFFLINE,
				     "toolchain '%s' (sha256 %s) is not in the cache "
				     "'%s' and offline mode is on (run 'xbuild "
				     "toolchain fetch %s' online, or fetch --from "
				     "FILE with %s)", a->id, a->sha256, cache,
				     a->id, a->urls.n ? a->urls.v[0] : "the archive");
			goto out;
		}
	}
	snprintf(sub, sizeof(sub), "%s/dl", cache);
	if ((rc = xb_mkdir_p_mode(sub, 0755, err)))
		goto out;
	snprintf(sub, sizeof(sub), "%s/tc", cache);
	if ((rc = xb_mkdir_p_mode(sub, 0755, err)))
		goto out;
	rc = lock_take(cache, name, lock_secs(o), &lock, err);
	if (rc)
		goto out;
	/* another process may have finished while we waited */
	if ((done = xb_fetch_installed(a, cache))) {
		info->cached = true;
		*dir = done;
		goto out;
	}
	if (local)
		rc = from_local(a, local, cache, final, o, err);
	else
		rc = from_download(a, cache, final, o, info, err);
	if (!rc)
		*dir = strdup(final);
out:
	lock_drop(lock);
	free(cache);
	if (info == &own_info)
		xb_fetch_info_release(&own_info);
	return rc;
}

xb_code xb_fetch_archive(const xb_tc_archive *a, const xb_fetch_opts *o,
			 char **dir, xb_fetch_info *info, xb_err *err)
{
	return fetch_common(a, NULL, o, dir, info, err);
}

xb_code xb_fetch_from_file(const xb_tc_archive *a, const char *file,
			   const xb_fetch_opts *o, char **dir, xb_err *err)
{
	return fetch_common(a, file, o, dir, NULL, err);
}

/* ---- verify and gc ------------------------------------------------------ */

static xb_tree *walk_tree;
static const char *walk_root;
static xb_code walk_rc;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	const char *rel = path + strlen(walk_root);

	(void)ftw;
	if (*rel == '/')
		rel++;
	if (!*rel || !strcmp(rel, XB_TC_MARKER))
		return 0;
	if (flag == FTW_SL) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0) {
			walk_rc = XB_ERR_IO;
			return 1;
		}
		target[n] = '\0';
		xb_strv_pushf(&walk_tree->lines, "%s\tL %s", rel, target);
	} else if (flag == FTW_F && S_ISREG(st->st_mode)) {
		unsigned char d[32];
		char hex[65];
		if (xb_sha256_file(path, d, NULL)) {
			walk_rc = XB_ERR_IO;
			return 1;
		}
		xb_hex(d, 32, hex);
		xb_strv_pushf(&walk_tree->lines, "%s\tF %c %s", rel,
			      st->st_mode & 0100 ? 'x' : '-', hex);
	} else if (flag == FTW_F) {
		xb_strv_pushf(&walk_tree->lines, "%s\t? special", rel);
	}
	return 0;
}

xb_code xb_fetch_verify_dir(const char *dir, xb_err *err)
{
	char path[PATH_MAX], want[65] = "", got[65];
	xb_tree t = { XB_STRV_INIT };
	xb_buf m;
	const char *p;
	xb_code rc;

	xb_buf_init(&m, 64 * 1024);
	snprintf(path, sizeof(path), "%s/" XB_TC_MARKER, dir);
	if ((rc = xb_buf_read_file(&m, path, err))) {
		xb_buf_release(&m);
		return xb_fail(err, XB_ERR_NOTFOUND,
			       "'%s' is not a complete install (no marker)", dir);
	}
	p = strstr(xb_buf_str(&m), "\ntree ");
	if (p && strlen(p + 6) >= 64) {
		memcpy(want, p + 6, 64);
		want[64] = '\0';
	}
	xb_buf_release(&m);
	if (!want[0])
		return xb_fail(err, XB_ERR_FORMAT, "'%s' has no tree hash", path);
	walk_tree = &t;
	walk_root = dir;
	walk_rc = XB_OK;
	if (nftw(dir, walk_one, 16, FTW_PHYS) != 0 || walk_rc ||
	    xb_strv_failed(&t.lines)) {
		xb_strv_release(&t.lines);
		return xb_fail(err, XB_ERR_IO, "cannot read the tree '%s'", dir);
	}
	xb_tree_hash(&t, got);
	xb_strv_release(&t.lines);
	if (strcmp(want, got))
		return xb_fail(err, XB_ERR_HASH,
			       "'%s' was changed after it was installed (tree hash "
			       "%s, recorded %s); remove it or run 'xbuild "
			       "toolchain gc --all' and fetch again", dir, got, want);
	return XB_OK;
}

/* True when the lock for name is free (nobody is working on it). */
static bool lock_free(const char *cache, const char *name)
{
	char path[PATH_MAX];
	int fd;
	bool free_ = true;

	snprintf(path, sizeof(path), "%s/locks/%s.lock", cache, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return true;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		free_ = false;
	close(fd);
	return free_;
}

static bool pid_alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

xb_code xb_cache_gc(const char *cache, const xb_tc_data *d, bool all,
		    xb_strv *removed, xb_err *err)
{
	char path[PATH_MAX];
	char *own = NULL;
	struct dirent *de;
	DIR *dh;

	if (!cache)
		cache = own = xb_cache_dir();
	if (!cache)
		return xb_fail(err, XB_ERR_NOTFOUND, "no cache folder");
	snprintf(path, sizeof(path), "%s/tc", cache);
	if ((dh = opendir(path))) {
		while ((de = readdir(dh))) {
			char full[PATH_MAX + 256], marker[PATH_MAX + 300];
			struct stat st;
			bool drop = false;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
			if (!strncmp(de->d_name, ".tmp-", 5)) {
				/* .tmp-<name>-<pid>-XXXXXX: stale when pid is gone */
				const char *dash = strrchr(de->d_name, '-');
				const char *p = dash;
				while (p > de->d_name + 5 && p[-1] != '-')
					p--;
				drop = !(dash && p < dash && pid_alive(atol(p)));
			} else {
				snprintf(marker, sizeof(marker), "%s/" XB_TC_MARKER, full);
				if (stat(marker, &st) < 0) {
					drop = lock_free(cache, de->d_name);
				} else if (all) {
					drop = true;
					for (size_t i = 0; d && i < d->narchives; i++) {
						char n[256];
						xb_tc_entry_name(&d->archives[i], n, sizeof(n));
						if (!strcmp(n, de->d_name))
							drop = false;
					}
				}
			}
			if (drop) {
				rm_rf(full);
				if (removed)
					xb_strv_push(removed, full);
			}
		}
		closedir(dh);
	}
	snprintf(path, sizeof(path), "%s/dl", cache);
	if ((dh = opendir(path))) {
		while ((de = readdir(dh))) {
			char full[PATH_MAX * 2], lname[80];
			if (de->d_name[0] == '.')
				continue;
			/* a partial download is kept for resume unless all,
			 * and one a process is writing always */
			dl_lock_name(de->d_name, lname, sizeof(lname));
			if (!all || !lock_free(cache, lname))
				continue;
			snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
			unlink(full);
			if (removed)
				xb_strv_push(removed, full);
		}
		closedir(dh);
	}
	free(own);
	return XB_OK;
}
