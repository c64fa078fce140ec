/* extract.c: a toolchain archive unpacked into a fresh folder through
 * libarchive.  Every entry is held to our own rules before libarchive's:
 * no absolute names, no '..', no links that lead out, no special files,
 * caps on the entry count and the bytes; and the tree is hashed on the way
 * so that an install can be checked later (xb_fetch_verify_dir). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fetch.h"

#define MAX_ENTRIES 500000
/* an undeclared archive may unpack to this much whatever its size */
#define MIN_BUDGET (16ull << 20)

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

/* One extraction, carried from entry to entry. */
struct unpack {
	const xb_tc_archive *a;
	struct archive *ar;     /* the archive, read */
	struct archive *dw;     /* the folder, written */
	char dir[PATH_MAX];     /* the folder's real path */
	xb_tree tree;
	uint64_t total;         /* bytes of file data so far, holes included */
	uint64_t budget;        /* what total may reach */
	char budget_why[160];   /* where budget comes from, for messages */
	size_t count;           /* entries so far */
	uid_t uid;
	gid_t gid;
	bool secure_links;      /* libarchive refuses to write through links */
};

static xb_code open_archive(struct unpack *u, int fd, xb_err *err)
{
	u->ar = archive_read_new();
	u->dw = archive_write_disk_new();
	if (!u->ar || !u->dw)
		return xb_fail(err, XB_ERR_NOMEM, "cannot start libarchive");
	archive_read_support_filter_all(u->ar);
	archive_read_support_format_tar(u->ar);
	archive_read_support_format_gnutar(u->ar);
	archive_read_support_format_zip(u->ar);
	/* Our own checks come first; these make libarchive refuse as well. */
	archive_write_disk_set_options(u->dw, DISK_OPTS);
	/* the descriptor the sha256 was checked through, from its start */
	if (lseek(fd, 0, SEEK_SET) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot read archive '%s':",
			       u->a->id);
	if (archive_read_open_fd(u->ar, fd, 1 << 16) != ARCHIVE_OK)
		return xb_fail(err, XB_ERR_FORMAT,
			       "archive '%s' is damaged or not an archive: %s",
			       u->a->id, archive_error_string(u->ar));
	return XB_OK;
}

/* The entry's name in the tree into *rel (inside name), its path under the
 * folder set on e; *skip for the strip folder itself. */
static xb_code entry_name(struct unpack *u, struct archive_entry *e,
			  char *name, size_t n, const char **rel, bool *skip,
			  xb_err *err)
{
	const char *raw = archive_entry_pathname(e);
	char full[PATH_MAX * 2];
	int s;

	*skip = false;
	if (++u->count > MAX_ENTRIES)
		return xb_fail(err, XB_ERR_TOO_BIG,
			       "archive '%s' has more than %d entries", u->a->id,
			       MAX_ENTRIES);
	if (clean_name(raw, name, n))
		return xb_fail(err, XB_ERR_FORMAT,
			       "archive '%s' has an unsafe entry '%.200s' "
			       "(absolute, '..' or control characters)",
			       u->a->id, raw ? raw : "(none)");
	s = strip_name(name, u->a->strip, rel);
	if (s == 1 || (s == 0 && !**rel)) {
		*skip = true;
		return XB_OK;
	}
	if (s < 0)
		return xb_fail(err, XB_ERR_FORMAT,
			       "archive '%s' has entry '%.200s' outside its "
			       "folder '%s'", u->a->id, name, u->a->strip);
	if (!strcmp(*rel, XB_TC_MARKER))
		return xb_fail(err, XB_ERR_FORMAT,
			       "archive '%s' has a reserved entry '%s'", u->a->id,
			       XB_TC_MARKER);
	snprintf(full, sizeof(full), "%s/%s", u->dir, *rel);
	archive_entry_set_pathname(e, full);
	return XB_OK;
}

/* Hard links to an earlier file and symlinks that stay inside; no other
 * kind of entry but files and folders. */
static xb_code entry_kind(struct unpack *u, struct archive_entry *e,
			  const char *rel, xb_err *err)
{
	const char *hl = archive_entry_hardlink(e);
	mode_t type = archive_entry_filetype(e);

	if (hl) {
		char linkname[PATH_MAX], full[PATH_MAX * 2];
		const char *hrel, *hinfo;

		if (clean_name(hl, linkname, sizeof(linkname)) ||
		    strip_name(linkname, u->a->strip, &hrel) != 0 ||
		    !(hinfo = tree_find_file(&u->tree, hrel)))
			return xb_fail(err, XB_ERR_FORMAT,
				       "archive '%s' has a hard link '%.200s' "
				       "to '%.200s' outside it or to no earlier "
				       "file", u->a->id, rel, hl);
		snprintf(full, sizeof(full), "%s/%s", u->dir, hrel);
		archive_entry_set_hardlink(e, full);
		xb_strv_pushf(&u->tree.lines, "%s\t%s", rel, hinfo);
	} else if (type == AE_IFLNK) {
		const char *target = archive_entry_symlink(e);

		if (!link_ok(rel, target))
			return xb_fail(err, XB_ERR_FORMAT,
				       "archive '%s' has a symlink '%.200s' -> "
				       "'%.200s' that leaves its folder",
				       u->a->id, rel, target ? target : "");
		xb_strv_pushf(&u->tree.lines, "%s\tL %s", rel, target);
		if (!u->secure_links) {
			/* from now on, refuse to write through links */
			archive_write_disk_set_options(
				u->dw, DISK_OPTS | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
			u->secure_links = true;
		}
	} else if (type != AE_IFREG && type != AE_IFDIR) {
		return xb_fail(err, XB_ERR_FORMAT,
			       "archive '%s' has a special file '%.200s' "
			       "(only files, folders and links)", u->a->id, rel);
	}
	return XB_OK;
}

/* More than the archive may unpack to, counting what entry e would add. */
static xb_code too_much(struct unpack *u, const char *rel, xb_err *err)
{
	return xb_fail(err, XB_ERR_TOO_BIG,
		       "archive '%s' unpacks to more than %llu bytes (%s) at "
		       "'%.200s'", u->a->id, (unsigned long long)u->budget,
		       u->budget_why, rel);
}

/* A file's bytes to the folder, hashed into its tree line on the way.
 * What it takes counts up to its last byte, holes included, so that a
 * sparse entry cannot claim more than the budget either. */
static xb_code copy_data(struct unpack *u, struct archive_entry *e,
			 const char *rel, xb_err *err)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	uint64_t end = 0;
	unsigned char d[32];
	char hex[65];
	xb_sha256 h;
	int r;

	xb_sha256_init(&h);
	while ((r = archive_read_data_block(u->ar, &buf, &len, &off)) ==
	       ARCHIVE_OK) {
		if (off < 0 || (uint64_t)off + len > u->budget - u->total) {
			xb_sha256_release(&h);
			return too_much(u, rel, err);
		}
		if ((uint64_t)off + len > end)
			end = (uint64_t)off + len;
		xb_sha256_update(&h, buf, len);
		if (archive_write_data_block(u->dw, buf, len, off) != ARCHIVE_OK) {
			xb_sha256_release(&h);
			return xb_fail(err, XB_ERR_IO, "cannot write '%.200s': %s",
				       rel, archive_error_string(u->dw));
		}
	}
	if (r != ARCHIVE_EOF) {
		xb_sha256_release(&h);
		return xb_fail(err, XB_ERR_FORMAT,
			       "archive '%s' is damaged at '%.200s': %s", u->a->id,
			       rel, archive_error_string(u->ar));
	}
	u->total += end;
	xb_sha256_final(&h, d);
	xb_hex(d, 32, hex);
	xb_strv_pushf(&u->tree.lines, "%s\tF %c %s", rel,
		      archive_entry_perm(e) & 0100 ? 'x' : '-', hex);
	return XB_OK;
}

static xb_code extract_entry(struct unpack *u, struct archive_entry *e,
			     xb_err *err)
{
	char name[PATH_MAX];
	const char *rel = NULL;
	mode_t type = archive_entry_filetype(e);
	bool hard = archive_entry_hardlink(e) != NULL;
	bool skip;
	xb_code rc;

	if ((rc = entry_name(u, e, name, sizeof(name), &rel, &skip, err)) ||
	    skip)
		return rc;
	if ((rc = entry_kind(u, e, rel, err)))
		return rc;
	/* no setuid, setgid or sticky bits; never world-writable */
	archive_entry_set_perm(e, archive_entry_perm(e) & 0755);
	archive_entry_set_uid(e, u->uid);
	archive_entry_set_gid(e, u->gid);
	if (type == AE_IFDIR)
		archive_entry_set_perm(e, 0755);
	/* a size the header claims is refused before a byte is written */
	if (type == AE_IFREG && !hard && archive_entry_size_is_set(e) &&
	    (archive_entry_size(e) < 0 ||
	     (uint64_t)archive_entry_size(e) > u->budget - u->total))
		return too_much(u, rel, err);
	if (archive_write_header(u->dw, e) != ARCHIVE_OK)
		return xb_fail(err, XB_ERR_FORMAT,
			       "cannot extract '%.200s' from '%s': %s", rel,
			       u->a->id, archive_error_string(u->dw));
	if (type == AE_IFREG && !hard &&
	    (rc = copy_data(u, e, rel, err)))
		return rc;
	if (archive_write_finish_entry(u->dw) != ARCHIVE_OK)
		return xb_fail(err, XB_ERR_IO, "cannot finish '%.200s': %s", rel,
			       archive_error_string(u->dw));
	return XB_OK;
}

/*
 * What the archive may unpack to: what its data declares (unpacked_size),
 * else XB_TC_RATIO times its own size (at least MIN_BUDGET), never more
 * than XB_TC_MAX_UNPACKED: a small archive that expands a thousandfold is
 * refused, not written until the disk is full.
 */
static xb_code set_budget(struct unpack *u, int fd, xb_err *err)
{
	struct stat st;
	uint64_t packed;

	if (fstat(fd, &st) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot stat archive '%s':",
			       u->a->id);
	packed = (uint64_t)st.st_size;
	if (u->a->unpacked) {
		u->budget = u->a->unpacked;
		snprintf(u->budget_why, sizeof(u->budget_why),
			 "its declared unpacked_size");
	} else {
		u->budget = packed > XB_TC_MAX_UNPACKED / XB_TC_RATIO
				    ? XB_TC_MAX_UNPACKED
				    : packed * XB_TC_RATIO;
		if (u->budget < MIN_BUDGET)
			u->budget = MIN_BUDGET;
		snprintf(u->budget_why, sizeof(u->budget_why),
			 "%d times its %llu bytes; declare unpacked_size in the "
			 "toolchain data if it is right", XB_TC_RATIO,
			 (unsigned long long)packed);
	}
	if (u->budget > XB_TC_MAX_UNPACKED)
		u->budget = XB_TC_MAX_UNPACKED;
	return XB_OK;
}

xb_code xb_extract(const xb_tc_archive *a, int fd, const char *tmpdir_in,
		   char tree_hex[65], xb_err *err)
{
	struct unpack u = { .a = a, .tree = { XB_STRV_INIT } };
	struct archive_entry *e;
	xb_code rc;
	int r;

	u.uid = getuid();
	u.gid = getgid();
	/* Entry paths are built on the real path of the folder, so that a
	 * symlinked cache (~/.cache -> /data) is no "symlink in the way". */
	if (!realpath(tmpdir_in, u.dir)) {
		rc = xb_fail(err, XB_ERR_IO, "cannot resolve '%s':", tmpdir_in);
		goto out;
	}
	if ((rc = set_budget(&u, fd, err)) || (rc = open_archive(&u, fd, err)))
		goto out;
	while ((r = archive_read_next_header(u.ar, &e)) == ARCHIVE_OK)
		if ((rc = extract_entry(&u, e, err)))
			goto out;
	if (r != ARCHIVE_EOF) {
		rc = xb_fail(err, XB_ERR_FORMAT, "archive '%s' is damaged: %s",
			     a->id, archive_error_string(u.ar));
		goto out;
	}
	if (archive_write_close(u.dw) != ARCHIVE_OK) {
		rc = xb_fail(err, XB_ERR_IO, "cannot finish extracting '%s': %s",
			     a->id, archive_error_string(u.dw));
		goto out;
	}
	/* a tree with a line missing would record a hash no check repeats */
	if ((rc = xb_strv_check(&u.tree.lines, err, "the installed tree")))
		goto out;
	xb_tree_hash(&u.tree, tree_hex);
out:
	if (u.ar)
		archive_read_free(u.ar);
	if (u.dw)
		archive_write_free(u.dw);
	xb_strv_release(&u.tree.lines);
	return rc;
}
