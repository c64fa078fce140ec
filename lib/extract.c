/* extract.c: a toolchain archive unpacked into a fresh folder through
 * libarchive.  Every entry is held to our own rules before libarchive's:
 * no absolute names, no '..', no links that lead out, no special files,
 * caps on the entry count and the bytes; and the tree is hashed on the way
 * so that an install can be checked later (xb_fetch_verify_dir). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fetch.h"

#define MAX_ENTRIES 500000
#define MAX_TREE_BYTES (16ull << 30)

/* A relative name with no '..', no absolute start and no control bytes,
 * normalised: "./" and duplicate slashes dropped.  Returns 0 when safe. */
static int clean_name(const char *in, char *out, size_t n)
{
	size_t o = 0;
	const char *p = in;

	if (!in || !*in || *in == '/')
		return -1;
	while (*p) {
		size_t len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return -1;
		if (len && !(len == 1 && p[0] == '.')) {
			if (o + len + 2 > n)
				return -1;
			if (o)
				out[o++] = '/';
			for (size_t i = 0; i < len; i++) {
				if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
					return -1;
				out[o++] = p[i];
			}
		}
		p += len;
		while (*p == '/')
			p++;
	}
	out[o] = '\0';
	return 0;
}

/* Drop the strip prefix: 1 if name is the prefix itself (skip it), 0 and
 * the rest in *rest, -1 if name is outside it. */
static int strip_name(const char *name, const char *strip, const char **rest)
{
	size_t n;

	if (!strip) {
		*rest = name;
		return 0;
	}
	n = strlen(strip);
	if (strncmp(name, strip, n))
		return -1;
	if (!name[n])
		return 1;
	if (name[n] != '/')
		return -1;
	*rest = name + n + 1;
	return 0;
}

/*
 * A symlink at rel (inside the tree) pointing at target stays inside when
 * target is relative, has its '..' components only at the start, and has
 * no more of them than rel has parent folders.  Components after those
 * may be links themselves; each of them is held to the same rule, and a
 * relative link resolves from the folder it lives in, so none can lead out.
 */
static int link_ok(const char *rel, const char *target)
{
	int depth = 0, ups = 0;
	const char *p = target;
	bool down = false;

	if (!target || !*target || *target == '/')
		return 0;
	for (const char *c = rel; *c; c++)
		if (*c == '/')
			depth++;
	while (*p) {
		size_t len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (down)
				return 0;
			ups++;
		} else if (len && !(len == 1 && p[0] == '.')) {
			down = true;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	return ups <= depth;
}

static int cmpline(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void xb_tree_hash(xb_tree *t, char hex[65])
{
	unsigned char d[32];
	xb_sha256 h;

	if (t->lines.n)
		qsort(t->lines.v, t->lines.n, sizeof(char *), cmpline);
	xb_sha256_init(&h);
	for (size_t i = 0; i < t->lines.n; i++) {
		xb_sha256_update(&h, t->lines.v[i], strlen(t->lines.v[i]));
		xb_sha256_update(&h, "\n", 1);
	}
	xb_sha256_final(&h, d);
	xb_hex(d, 32, hex);
}

static const char *tree_find_file(const xb_tree *t, const char *rel)
{
	size_t n = strlen(rel);

	for (size_t i = 0; i < t->lines.n; i++)
		if (!strncmp(t->lines.v[i], rel, n) && t->lines.v[i][n] == '\t')
			return t->lines.v[i] + n + 1;
	return NULL;
}

/* libarchive's checks for writing: '..' always; symlinks in the way only
 * once the archive has made one (the fresh temp folder has none before,
 * and the check costs a walk of every path). */
#define DISK_OPTS (ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_NO_OVERWRITE)

xb_code xb_extract(const xb_tc_archive *a, const char *file,
		   const char *tmpdir_in, char tree_hex[65], xb_err *err)
{
	struct archive *ar = NULL, *dw = NULL;
	struct archive_entry *e;
	xb_tree t = { XB_STRV_INIT };
	char name[PATH_MAX], full[PATH_MAX * 2], linkname[PATH_MAX];
	char tmpdir[PATH_MAX];
	uid_t uid = getuid();
	gid_t gid = getgid();
	bool secure_links = false;
	uint64_t total = 0;
	size_t count = 0;
	xb_code rc = XB_OK;
	int r;

	/* Entry paths are built on the real path of the folder, so that a
	 * symlinked cache (~/.cache -> /data) is no "symlink in the way". */
	if (!realpath(tmpdir_in, tmpdir)) {
		rc = xb_fail(err, XB_ERR_IO, "cannot resolve '%s':", tmpdir_in);
		goto out;
	}
	ar = archive_read_new();
	dw = archive_write_disk_new();
	if (!ar || !dw) {
		rc = xb_fail(err, XB_ERR_NOMEM, "cannot start libarchive");
		goto out;
	}
	archive_read_support_filter_all(ar);
	archive_read_support_format_tar(ar);
	archive_read_support_format_gnutar(ar);
	archive_read_support_format_zip(ar);
	/* Our own checks come first; these make libarchive refuse as well. */
	archive_write_disk_set_options(dw, DISK_OPTS);
	if (archive_read_open_filename(ar, file, 1 << 16) != ARCHIVE_OK) {
		rc = xb_fail(err, XB_ERR_FORMAT,
			     "archive '%s' is damaged or not an archive: %s", a->id,
			     archive_error_string(ar));
		goto out;
	}
	while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *raw = archive_entry_pathname(e), *rel;
		const char *hl = archive_entry_hardlink(e);
		mode_t type = archive_entry_filetype(e);
		int s;

		if (++count > MAX_ENTRIES) {
			rc = xb_fail(err, XB_ERR_TOO_BIG,
				     "archive '%s' has more than %d entries", a->id,
				     MAX_ENTRIES);
			goto out;
		}
		if (clean_name(raw, name, sizeof(name))) {
			rc = xb_fail(err, XB_ERR_FORMAT,
				     "archive '%s' has an unsafe entry '%.200s' "
				     "(absolute, '..' or control characters)",
				     a->id, raw ? raw : "(none)");
			goto out;
		}
		s = strip_name(name, a->strip, &rel);
		if (s == 1 || (s == 0 && !*rel))
			continue;
		if (s < 0) {
			rc = xb_fail(err, XB_ERR_FORMAT,
				     "archive '%s' has entry '%.200s' outside its "
				     "folder '%s'", a->id, name, a->strip);
			goto out;
		}
		if (!strcmp(rel, XB_TC_MARKER)) {
			rc = xb_fail(err, XB_ERR_FORMAT,
				     "archive '%s' has a reserved entry '%s'", a->id,
				     XB_TC_MARKER);
			goto out;
		}
		snprintf(full, sizeof(full), "%s/%s", tmpdir, rel);
		archive_entry_set_pathname(e, full);
		if (hl) {
			const char *hrel, *hinfo;
			if (clean_name(hl, linkname, sizeof(linkname)) ||
			    strip_name(linkname, a->strip, &hrel) != 0 ||
			    !(hinfo = tree_find_file(&t, hrel))) {
				rc = xb_fail(err, XB_ERR_FORMAT,
					     "archive '%s' has a hard link '%.200s' "
					     "to '%.200s' outside it or to no earlier "
					     "file", a->id, rel, hl);
				goto out;
			}
			snprintf(full, sizeof(full), "%s/%s", tmpdir, hrel);
			archive_entry_set_hardlink(e, full);
			xb_strv_pushf(&t.lines, "%s\t%s", rel, hinfo);
		} else if (type == AE_IFLNK) {
			const char *target = archive_entry_symlink(e);
			if (!link_ok(rel, target)) {
				rc = xb_fail(err, XB_ERR_FORMAT,
					     "archive '%s' has a symlink '%.200s' -> "
					     "'%.200s' that leaves its folder",
					     a->id, rel, target ? target : "");
				goto out;
			}
			xb_strv_pushf(&t.lines, "%s\tL %s", rel, target);
			if (!secure_links) {
				/* from now on, refuse to write through links */
				archive_write_disk_set_options(
					dw, DISK_OPTS | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
				secure_links = true;
			}
		} else if (type != AE_IFREG && type != AE_IFDIR) {
			rc = xb_fail(err, XB_ERR_FORMAT,
				     "archive '%s' has a special file '%.200s' "
				     "(only files, folders and links)", a->id, rel);
			goto out;
		}
		/* no setuid, setgid or sticky bits; never world-writable */
		archive_entry_set_perm(e, archive_entry_perm(e) & 0755);
		archive_entry_set_uid(e, uid);
		archive_entry_set_gid(e, gid);
		if (type == AE_IFDIR)
			archive_entry_set_perm(e, 0755);
		if (archive_write_header(dw, e) != ARCHIVE_OK) {
			rc = xb_fail(err, XB_ERR_FORMAT,
				     "cannot extract '%.200s' from '%s': %s", rel,
				     a->id, archive_error_string(dw));
			goto out;
		}
		if (type == AE_IFREG && !hl) {
			const void *buf;
			size_t len;
			la_int64_t off;
			unsigned char d[32];
			char hex[65];
			xb_sha256 h;

			xb_sha256_init(&h);
			while ((r = archive_read_data_block(ar, &buf, &len, &off)) ==
			       ARCHIVE_OK) {
				total += len;
				if (total > MAX_TREE_BYTES) {
					xb_sha256_release(&h);
					rc = xb_fail(err, XB_ERR_TOO_BIG,
						     "archive '%s' unpacks to more "
						     "than %llu bytes", a->id,
						     (unsigned long long)MAX_TREE_BYTES);
					goto out;
				}
				xb_sha256_update(&h, buf, len);
				if (archive_write_data_block(dw, buf, len, off) !=
				    ARCHIVE_OK) {
					xb_sha256_release(&h);
					rc = xb_fail(err, XB_ERR_IO,
						     "cannot write '%.200s': %s", rel,
						     archive_error_string(dw));
					goto out;
				}
			}
			if (r != ARCHIVE_EOF) {
				xb_sha256_release(&h);
				rc = xb_fail(err, XB_ERR_FORMAT,
					     "archive '%s' is damaged at '%.200s': %s",
					     a->id, rel, archive_error_string(ar));
				goto out;
			}
			xb_sha256_final(&h, d);
			xb_hex(d, 32, hex);
			xb_strv_pushf(&t.lines, "%s\tF %c %s", rel,
				      archive_entry_perm(e) & 0100 ? 'x' : '-', hex);
		}
		if (archive_write_finish_entry(dw) != ARCHIVE_OK) {
			rc = xb_fail(err, XB_ERR_IO, "cannot finish '%.200s': %s", rel,
				     archive_error_string(dw));
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		rc = xb_fail(err, XB_ERR_FORMAT, "archive '%s' is damaged: %s",
			     a->id, archive_error_string(ar));
		goto out;
	}
	if (archive_write_close(dw) != ARCHIVE_OK) {
		rc = xb_fail(err, XB_ERR_IO, "cannot finish extracting '%s': %s",
			     a->id, archive_error_string(dw));
		goto out;
	}
	xb_tree_hash(&t, tree_hex);
out:
	if (ar)
		archive_read_free(ar);
	if (dw)
		archive_write_free(dw);
	xb_strv_release(&t.lines);
	return rc;
}
