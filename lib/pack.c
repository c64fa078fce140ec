/* pack.c: deterministic release archives through libarchive.  The same
 * inputs give the same bytes on any machine: entries sorted by name, one
 * mtime for all (SOURCE_DATE_EPOCH), owner 0:0 with no names, fixed modes,
 * no gzip timestamp, written to a temporary file and renamed into place. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "pack.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const xb_pack_entry *)a)->name,
		      ((const xb_pack_entry *)b)->name);
}

static xb_code arch_fail(xb_err *err, struct archive *a, const char *what,
			 const char *path)
{
	return xb_fail(err, XB_ERR_IO, "cannot write archive '%s': %s: %s",
		       path, what, archive_error_string(a) ?
		       archive_error_string(a) : "unknown error");
}

static xb_code add_file(struct archive *a, const xb_pack_entry *e,
			long long mtime, const char *out, xb_err *err)
{
	struct archive_entry *ae;
	char chunk[65536];
	struct stat st;
	xb_code rc = XB_OK;
	ssize_t n;
	int fd;

	fd = open(e->src, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open '%s':", e->src);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return xb_fail(err, XB_ERR_IO, "'%s' is not a regular file",
			       e->src);
	}
	ae = archive_entry_new();
	if (!ae) {
		close(fd);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	archive_entry_set_pathname(ae, e->name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, e->mode ? (mode_t)e->mode :
			       e->executable ? 0755 : 0644);
	archive_entry_set_size(ae, st.st_size);
	archive_entry_set_mtime(ae, (time_t)(e->has_mtime ? e->mtime : mtime), 0);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	if (archive_write_header(a, ae) != ARCHIVE_OK)
		rc = arch_fail(err, a, e->name, out);
	while (!rc) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = xb_fail(err, XB_ERR_IO, "cannot read '%s':", e->src);
			break;
		}
		if (n == 0)
			break;
		if (archive_write_data(a, chunk, (size_t)n) != n)
			rc = arch_fail(err, a, e->name, out);
	}
	archive_entry_free(ae);
	close(fd);
	return rc;
}

xb_code xb_pack(const char *out, const char *format,
		const xb_pack_entry *entries, size_t n, long long mtime,
		xb_err *err)
{
	xb_pack_entry *sorted = NULL;
	struct archive *a = NULL;
	xb_buf tmp = XB_BUF_INIT;
	int fd = -1;
	xb_code rc = XB_OK;
	int zip, xz = 0, zst = 0;

	if (!strcmp(format, "zip"))
		zip = 1;
	else if (!strcmp(format, "tar.gz"))
		zip = 0;
	else if (!strcmp(format, "tar.xz"))
		zip = 0, xz = 1;
	else if (!strcmp(format, "tar.zst"))
		zip = 0, zst = 1;
	else
		return xb_fail(err, XB_ERR_USAGE,
			       "unknown archive format '%s' (expected tar.gz, "
			       "tar.xz, tar.zst or zip)", format);
	if (n == 0)
		return xb_fail(err, XB_ERR_USAGE, "archive '%s' has no entries", out);
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	memcpy(sorted, entries, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_name);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(sorted[i - 1].name, sorted[i].name)) {
			rc = xb_fail(err, XB_ERR_CONFLICT,
				     "archive '%s' would hold '%s' twice", out,
				     sorted[i].name);
			goto done;
		}

	a = archive_write_new();
	if (!a) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto done;
	}
	if (zip) {
		if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
		    archive_write_set_options(a, "zip:compression=deflate") !=
			    ARCHIVE_OK) {
			rc = arch_fail(err, a, "zip format", out);
			goto done;
		}
	} else if (xz) {
		/* xz records no time; one thread gives one block layout */
		if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
		    archive_write_add_filter_xz(a) != ARCHIVE_OK ||
		    archive_write_set_options(a, "xz:threads=1") != ARCHIVE_OK) {
			rc = arch_fail(err, a, "tar.xz format", out);
			goto done;
		}
	} else if (zst) {
		/* zstd records no time either; one thread, one layout */
		if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
		    archive_write_add_filter_zstd(a) != ARCHIVE_OK) {
			rc = arch_fail(err, a, "tar.zst format", out);
			goto done;
		}
	} else if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
		   archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		   archive_write_set_options(a, "gzip:!timestamp") != ARCHIVE_OK) {
		rc = arch_fail(err, a, "tar.gz format", out);
		goto done;
	}
	if ((fd = xb_create_beside(out, 0666, &tmp, err)) < 0) {
		rc = err ? err->code : XB_ERR_IO;
		goto done;
	}
	if (archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		rc = arch_fail(err, a, "open", xb_buf_str(&tmp));
		goto done;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = add_file(a, &sorted[i], mtime, out, err);
	if (archive_write_close(a) != ARCHIVE_OK && !rc)
		rc = arch_fail(err, a, "close", out);
	if (close(fd) < 0 && !rc)
		rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", out);
	fd = -1;
	if (!rc && rename(xb_buf_str(&tmp), out) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot rename to '%s':", out);
done:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (rc && tmp.len)
		unlink(xb_buf_str(&tmp));
	xb_buf_release(&tmp);
	free(sorted);
	return rc;
}
