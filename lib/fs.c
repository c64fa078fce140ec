/* fs.c: file-system helpers with the atomicity a release needs: whole
 * files and whole folders appear complete or not at all; and reading a
 * whole file into a buffer, with the checks opening a path needs. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xbuild.h"

xb_code xb_mkdir_p(const char *path, xb_err *err)
{
	return xb_mkdir_p_mode(path, 0777, err);
}

xb_code xb_mkdir_p_mode(const char *path, int mode, xb_err *err)
{
	char *p = strdup(path), *s;
	struct stat st;

	if (!p)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST) {
			xb_fail(err, XB_ERR_IO, "cannot create folder '%s':", p);
			free(p);
			return XB_ERR_IO;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return xb_fail(err, XB_ERR_IO, "'%s' is not a folder", path);
	return XB_OK;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

xb_code xb_rm_rf(const char *path, xb_err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? XB_OK
				       : xb_fail(err, XB_ERR_IO, "cannot remove '%s':", path);
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0)
			return xb_fail(err, XB_ERR_IO, "cannot remove '%s':", path);
		return XB_OK;
	}
	if (rmdir(path) == 0 || errno == ENOENT)
		return XB_OK; /* empty: no walk */
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot remove '%s':", path);
	return XB_OK;
}

/* Set once O_NOATIME was refused (EPERM: another user's file): from then
 * on files are opened without it, not twice each. */
static atomic_bool noatime_refused;

static int open_read(const char *path, bool noatime)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, fd;

	if (noatime && !atomic_load_explicit(&noatime_refused, memory_order_relaxed)) {
		fd = open(path, flags | O_NOATIME);
		if (fd >= 0 || errno != EPERM)
			return fd;
		atomic_store_explicit(&noatime_refused, true, memory_order_relaxed);
	}
	return open(path, flags);
}

static xb_code open_stat(const char *path, bool noatime, int *fd,
			 struct stat *st, xb_err *err)
{
	xb_code rc;

	*fd = open_read(path, noatime);
	if (*fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			       "cannot open '%s':", path);
	if (fstat(*fd, st) < 0) {
		rc = xb_fail(err, XB_ERR_IO, "cannot stat '%s':", path);
		close(*fd);
		*fd = -1;
		return rc;
	}
	return XB_OK;
}

xb_code xb_open_stat(const char *path, int *fd, struct stat *st, xb_err *err)
{
	return open_stat(path, false, fd, st, err);
}

xb_code xb_open_stat_noatime(const char *path, int *fd, struct stat *st,
			     xb_err *err)
{
	return open_stat(path, true, fd, st, err);
}

xb_code xb_buf_read_file(xb_buf *b, const char *path, xb_err *err)
{
	struct stat st;
	xb_code rc;
	int fd;

	if ((rc = xb_open_stat(path, &fd, &st, err)))
		return rc;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return xb_fail(err, XB_ERR_FORMAT, "'%s' is not a regular file",
			       path);
	}
	if ((unsigned long long)st.st_size > xb_buf_limit(b) - b->len) {
		close(fd);
		return xb_fail(err, XB_ERR_TOO_BIG,
			       "'%s' is larger than %zu bytes", path,
			       xb_buf_limit(b));
	}
	rc = xb_buf_grow(b, (size_t)st.st_size);
	if (!rc)
		rc = xb_buf_read_fd(b, fd, err);
	else
		xb_fail(err, rc, "cannot read '%s': %s", path, xb_strerror(rc));
	if (rc == XB_ERR_TOO_BIG || rc == XB_ERR_IO)
		xb_prefix(err, rc, "'%s'", path);
	close(fd);
	return rc;
}

bool xb_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *xb_path_join(const char *root, const char *rel)
{
	xb_buf b = XB_BUF_INIT;
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		n = 0;
	if (xb_buf_add(&b, root, n) || xb_buf_addf(&b, "/%s", rel)) {
		xb_buf_release(&b);
		return NULL;
	}
	return xb_buf_take(&b);
}

xb_code xb_push_dir_once(xb_strv *dirs, const char *dir)
{
	char *real = realpath(dir, NULL);
	bool seen = !real || !xb_is_dir(dir);
	xb_code rc = XB_OK;

	for (size_t i = 0; i < dirs->n && !seen; i++) {
		char *other = realpath(dirs->v[i], NULL);
		seen = other && strcmp(other, real) == 0;
		free(other);
	}
	if (!seen)
		rc = xb_strv_push(dirs, dir);
	free(real);
	return rc;
}

int xb_create_beside(const char *path, int mode, xb_buf *name, xb_err *err)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[8];
		int fd;

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			xb_fail(err, XB_ERR_IO, "getrandom:");
			return -1;
		}
		xb_buf_reset(name);
		xb_buf_addf(name, "%s.tmp-", path);
		for (size_t i = 0; i < sizeof(r); i++)
			xb_buf_addc(name, abc[r[i] % (sizeof(abc) - 1)]);
		if (xb_buf_check(name, err, "a temporary name"))
			return -1;
		/* O_EXCL: a name someone else made, a link among them, is
		 * never opened */
		fd = open(xb_buf_str(name), O_WRONLY | O_CREAT | O_EXCL |
			  O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST) {
			xb_fail(err, XB_ERR_IO, "cannot create '%s':",
				xb_buf_str(name));
			return -1;
		}
	}
	xb_fail(err, XB_ERR_IO, "cannot create a file beside '%s': every name "
		"tried exists", path);
	return -1;
}

/* xb_write_file_atomic, and xb_write_cache_file when !sync. */
static xb_code write_beside(const char *path, const void *data, size_t len,
			    int mode, bool sync, xb_err *err)
{
	xb_buf tmp = XB_BUF_INIT;
	const char *p = data;
	xb_code rc = XB_OK;
	int fd = xb_create_beside(path, mode, &tmp, err);

	if (fd < 0) {
		xb_buf_release(&tmp);
		return err ? err->code : XB_ERR_IO;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", path);
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (!rc && sync && fsync(fd) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", path);
	if (close(fd) < 0 && !rc)
		rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", path);
	if (!rc && rename(xb_buf_str(&tmp), path) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot rename to '%s':", path);
	if (rc)
		unlink(xb_buf_str(&tmp));
	xb_buf_release(&tmp);
	return rc;
}

xb_code xb_write_file_atomic(const char *path, const void *data, size_t len,
			     int mode, xb_err *err)
{
	return write_beside(path, data, len, mode, true, err);
}

xb_code xb_write_cache_file(const char *path, const void *data, size_t len,
			    xb_err *err)
{
	return write_beside(path, data, len, 0644, false, err);
}

const char *xb_self_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	dir[n > 0 ? n : 0] = '\0';
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	else
		dir[0] = '\0';
	return dir;
}

xb_code xb_copy_file(const char *src, const char *dst, xb_err *err)
{
	char chunk[1 << 16];
	struct stat st;
	xb_code rc = XB_OK;
	int in, out;
	ssize_t n;

	if (link(src, dst) == 0)
		return XB_OK;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open '%s':", src);
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return xb_fail(err, XB_ERR_IO, "'%s' is not a regular file", src);
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		   st.st_mode & 0777);
	if (out < 0) {
		close(in);
		return xb_fail(err, XB_ERR_IO, "cannot create '%s':", dst);
	}
	while ((n = read(in, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write(out, chunk, (size_t)n) != n) {
			rc = xb_fail(err, XB_ERR_IO, "cannot copy '%s' to '%s':",
				     src, dst);
			break;
		}
	}
	close(in);
	if (close(out) < 0 && !rc)
		rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", dst);
	if (rc)
		unlink(dst);
	return rc;
}

char *xb_mktemp_dir_beside(const char *path, xb_err *err)
{
	xb_buf b = XB_BUF_INIT;

	if (xb_buf_addf(&b, "%s.tmp-XXXXXX", path)) {
		xb_fail(err, XB_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (!mkdtemp(b.data)) {
		xb_fail(err, XB_ERR_IO, "cannot create a folder beside '%s':", path);
		xb_buf_release(&b);
		return NULL;
	}
	return xb_buf_take(&b);
}

xb_code xb_dir_commit(const char *tmp, const char *final, xb_err *err)
{
	xb_buf old = XB_BUF_INIT;
	struct stat st;
	xb_code rc = XB_OK;
	int had_old = 0;

	if (lstat(final, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return xb_fail(err, XB_ERR_IO, "'%s' exists and is not a folder",
				       final);
		if (xb_buf_addf(&old, "%s.old-%ld", final, (long)getpid()))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		if (rename(final, xb_buf_str(&old)) < 0) {
			rc = xb_fail(err, XB_ERR_IO, "cannot move '%s' aside:", final);
			goto out;
		}
		had_old = 1;
	}
	if (rename(tmp, final) < 0) {
		rc = xb_fail(err, XB_ERR_IO, "cannot rename '%s' to '%s':", tmp,
			     final);
		if (had_old)
			rename(xb_buf_str(&old), final);
		goto out;
	}
	if (had_old)
		xb_rm_rf(xb_buf_str(&old), NULL);
out:
	xb_buf_release(&old);
	return rc;
}
