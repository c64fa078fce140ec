/* pkg.h: the Linux packages of a release, private to lib/ and the tests:
 * what goes into each package and its names (pkg.c), the .deb (pkg-deb.c)
 * and the .rpm (pkg-rpm.c) writers. */
#ifndef XB_PKG_H
#define XB_PKG_H

#include "xbuild.h"

#define XB_PKG_MAX_FILES 1024   /* files in one package */
#define XB_PKG_MAX_DEPS 256     /* dependencies of one package */

/* One dependency: "libc6 (>= 2.34)" is { "libc6", ">=", "2.34" }; op ""
 * for any version.  op is one of >=, <=, =, >>, << (Debian's words). */
typedef struct xb_pkg_dep {
	char name[128];
	char op[3];
	char ver[64];
} xb_pkg_dep;

/* One file of a package. */
typedef struct xb_pkg_file {
	char *src;         /* on disk; NULL: data */
	char *data;        /* the bytes of a file xbuild writes (size) */
	char *dst;         /* absolute path in the package, no trailing '/' */
	unsigned mode;     /* permission bits */
	uint64_t size;
	char sha256[65];   /* hex */
} xb_pkg_file;

/* One package to write: every string owned by its xb_pkg. */
typedef struct xb_pkg {
	const char *format;      /* "deb", "rpm" */
	char *name, *version;    /* version: the format's (xb_pkg_version) */
	const char *arch;        /* the format's (xb_pkg_arch) */
	const char *maintainer, *description, *license, *vendor, *homepage;
	xb_pkg_file *files;      /* sorted by dst */
	size_t nfiles;
	xb_pkg_dep *deps;        /* the profile's, then the binaries' */
	size_t ndeps;
	bool bits64;             /* the binaries are 64-bit (RPM's (64bit)) */
	long long mtime;         /* every time in it */
} xb_pkg;

/* "NAME", "NAME (OP VER)" or "NAME OP VER" into d; on a mistake
 * XB_ERR_USAGE with the reason in err.  > and < are read as >> and <<. */
xb_code xb_pkg_dep_parse(const char *s, xb_pkg_dep *d, xb_err *err);

/* A package name both formats take: lowercase letters, digits, '+', '-'
 * and '.', two or more (at most 100), starting with a letter or digit. */
bool xb_pkg_name_ok(const char *s);

/* The architecture name format ("deb", "rpm") gives Go's goarch with
 * variant (GOARM's "7", GOAMD64's "v3", or NULL); NULL when it has none. */
const char *xb_pkg_arch(const char *format, const char *goarch,
			const char *variant);

/* The release version v as format writes it: a leading 'v' dropped, '-'
 * made '~' (a pre-release sorts before its release), characters the
 * format refuses made '.', and "0~" before one that does not start with a
 * digit.  Caller frees; NULL when out of memory. */
char *xb_pkg_version(const char *format, const char *v);

/* One entry of an archive xb_pkg_mem_* write. */
typedef struct xb_pkg_entry {
	const char *name;
	unsigned mode;           /* with its type: S_IFREG | 0644 */
	uint64_t size;
	const char *src;         /* the bytes: this file's, else data */
	const void *data;
	uint64_t ino;            /* 0: none (cpio entries have one) */
	bool owner_names;        /* "root" as its user and group name */
	long long mtime;
} xb_pkg_entry;

struct archive;
/* An archive of libarchive's format name ("paxr", "arbsd", "newc", "raw")
 * appending to out, gzip'd (no timestamp) when gzip; no padding after
 * its end.  NULL with err set when it cannot be made. */
struct archive *xb_pkg_mem_open(xb_buf *out, const char *format, bool gzip,
				xb_err *err);
xb_code xb_pkg_mem_entry(struct archive *a, const xb_pkg_entry *e,
			 xb_err *err);
/* Finish and free a; returns rc, else the failure to finish. */
xb_code xb_pkg_mem_close(struct archive *a, xb_code rc, xb_err *err);

/* Write the package p as path (beside it, then renamed into place). */
xb_code xb_pkg_write_deb(const xb_pkg *p, const char *path, xb_err *err);
xb_code xb_pkg_write_rpm(const xb_pkg *p, const char *path, xb_err *err);

/* How many packages xb_pkg_write_all writes for the plans (for the
 * caller's list of artifacts). */
size_t xb_pkg_count(const xb_pkgconf *c, const xb_plan *plans, size_t n);

/* One package found by xb_pkg_write_all, for the release's list. */
typedef struct xb_pkg_out {
	char *path;              /* inside the release folder */
	const char *target;
	uint64_t size;
	char sha256[65];
} xb_pkg_out;

/*
 * Write the packages of c into the release folder dir: for each format,
 * one per linux target of the plans, holding that target's binaries
 * (rels: their paths inside dir) at /usr/bin/BASE and c's contents, with
 * dependencies from c and from each binary's facts (rt), version from
 * version, every time epoch.  Each is recorded in m (kind "package") and
 * in out[*nout] (room for xb_pkg_count entries; paths owned by the
 * caller).
 */
xb_code xb_pkg_write_all(const xb_pkgconf *c, const char *dir,
			 const xb_plan *plans, char *const *rels,
			 const xb_run_target *rt, size_t n,
			 const char *version, long long epoch, xb_manifest *m,
			 xb_pkg_out *out, size_t *nout, xb_err *err);

#endif
