/* fetch.h: what the toolchain fetch shares between its files, private to
 * lib/ and the tests: fetch.c (HTTP), tccache.c (the cache) and
 * extract.c (unpacking). */
#ifndef XB_FETCH_H
#define XB_FETCH_H

#include "xbuild.h"

/* Written last into an install folder: a folder without it is incomplete.
 * No archive may hold an entry of that name. */
#define XB_TC_MARKER ".xbuild-complete"

/* "<id>-<first 12 of sha256>" of a into out: names its install, its lock
 * and its temporary folders. */
void xb_tc_entry_name(const xb_tc_archive *a, char *out, size_t n);

/* An install's files and links, one line each ("path\tF x sha" for a file,
 * x or - for its owner's execute bit; "path\tL target" for a link). */
typedef struct xb_tree {
	xb_strv lines;
} xb_tree;

/* The sha256 (hex) of t's lines, sorted first so that the order of the
 * archive or of a folder walk does not matter. */
void xb_tree_hash(xb_tree *t, char hex[65]);

/*
 * Unpack the archive open on fd (read from its start; checked against a's
 * sha256 through this same descriptor already, never reopened by name)
 * into the empty folder dir, dropping a->strip, and give the tree hash in
 * tree_hex.  Refuses an unsafe entry (XB_ERR_FORMAT) or too much
 * (XB_ERR_TOO_BIG); what was written is left for the caller to remove.
 * fd stays open.
 */
xb_code xb_extract(const xb_tc_archive *a, int fd, const char *dir,
		   char tree_hex[65], xb_err *err);

/* The value of the environment variable name when it is a number >= 0,
 * else dflt. */
long xb_fetch_env_long(const char *name, long dflt);
/* The most bytes archive a may have: its size, else the options' cap
 * (2 GiB by default). */
uint64_t xb_fetch_limit(const xb_tc_archive *a, const xb_fetch_opts *o);
/* Sleep ms milliseconds, through signals. */
void xb_fetch_sleep_ms(long ms);

/*
 * XB_OK when the file open on fd (named name in messages) has a's size
 * (when a has one) and sha256; XB_ERR_HASH with the difference in why when
 * not (err untouched); another code with err set when it cannot be read.
 */
xb_code xb_fetch_check_fd(int fd, const char *name, const xb_tc_archive *a,
			  xb_buf *why, xb_err *err);
/*
 * Download a into the file open on fd (read-write; what it holds is
 * resumed; part names it in messages) from a's URLs in order, retrying
 * each with backoff, until the file is complete and checked through fd.
 * One thread at a time: libcurl's global setup is done on first use.
 * info counts the attempts and notes each failure.
 */
xb_code xb_fetch_download(const xb_tc_archive *a, int fd, const char *part,
			  const xb_fetch_opts *o, xb_fetch_info *info,
			  xb_err *err);

/* tccache.c: true when the options or $XBUILD_OFFLINE=1 say offline. */
bool xb_fetch_offline(const xb_fetch_opts *o);
/*
 * fetch.c: parse an HTTP Content-Range value ("bytes 100-199/1000", total may be
 * '*', giving UINT64_MAX).  -1 when malformed.
 */
int xb_http_content_range(const char *s, size_t len, uint64_t *first,
			  uint64_t *last, uint64_t *total);

#endif
