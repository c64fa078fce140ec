/* pack.h: deterministic release archives (pack.c), private to lib/ (the
 * release) and the tests. */
#ifndef XB_PACK_H
#define XB_PACK_H

#include "xbuild.h"

typedef struct xb_pack_entry {
	const char *src;  /* file on disk */
	const char *name; /* path inside the archive */
	bool executable;  /* mode 0755, else 0644 */
	int mode;         /* permission bits; 0: by executable */
	bool has_mtime;   /* mtime, not the archive's */
	long long mtime;
} xb_pack_entry;

/*
 * Write out (format "tar.gz", "tar.xz", "tar.zst" or "zip") from entries,
 * sorted by name, every entry with mtime (seconds since the epoch) unless
 * it has its own, owner 0:0 and a fixed mode; the same inputs give the
 * same bytes.  Written beside out and
 * renamed into place, so out is never half-written.
 */
xb_code xb_pack(const char *out, const char *format,
		const xb_pack_entry *entries, size_t n, long long mtime,
		xb_err *err);

#endif
