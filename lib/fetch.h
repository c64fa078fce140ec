/* fetch.h: what the toolchain fetch shares between its files, private to
 * lib/: fetch.c (HTTP), tccache.c (the cache) and extract.c (unpacking). */
#ifndef XB_FETCH_H
#define XB_FETCH_H

#include "xbuild.h"

/* Written last into an install folder: a folder without it is incomplete.
 * No archive may hold an entry of that name. */
#define XB_TC_MARKER ".xbuild-complete"

/* An install's files and links, one line each ("path\tF x sha" for a file,
 * x or - for its owner's execute bit; "path\tL target" for a link). */
typedef struct xb_tree {
	xb_strv lines;
} xb_tree;

/* The sha256 (hex) of t's lines, sorted first so that the order of the
 * archive or of a folder walk does not matter. */
void xb_tree_hash(xb_tree *t, char hex[65]);

/*
 * Unpack file (checked against a's sha256 already) into the empty folder
 * dir, dropping a->strip, and give the tree hash in tree_hex.  Refuses an
 * unsafe entry (XB_ERR_FORMAT) or too much (XB_ERR_TOO_BIG); what was
 * written is left for the caller to remove.
 */
xb_code xb_extract(const xb_tc_archive *a, const char *file, const char *dir,
		   char tree_hex[65], xb_err *err);

#endif
