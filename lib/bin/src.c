/* src.c: the bounded reader every binary parser reads through: an fd or
 * a memory buffer behind one range check that cannot overflow, with a
 * small block cache for the many small reads of headers and tables. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bin.h"

/* Headers, tables, notes and strings are many small reads in a few
 * places of the file: its first pages (the headers, notes, dynamic
 * symbols and strings, version needs), its last ones (the section
 * headers, their names, often the dynamic segment) and a few in between.
 * What a read costs the kernel grows with the bytes and pages it copies
 * more than with the number of reads, so: a read inside the first HEAD
 * or the last TAIL bytes reads all of them once; another small read
 * reads the MID-byte block (or two) it is in (half a page: what is
 * copied costs more than another read of a block the tables' small reads
 * rarely leave); a bigger one is one pread
 * of exactly its bytes.  A file of up to BLK bytes is read whole at
 * once.  The blocks are the caller's (xb_inspect's stack): a file costs
 * no malloc, mmap or page fault for them. */
#define HEAD 4096u
#define TAIL 4096u
#define MID 2048u
#define BLK XB_SRC_BLK      /* at least HEAD, TAIL and 2 * MID */
#define SMALL 512u     /* reads up to this size go through the blocks */
#define BLOCKS XB_SRC_BLOCKS

void xb_src_fd(xb_src *s, int fd, uint64_t size)
{
	s->fd = fd;
	s->mem = NULL;
	s->base = 0;
	s->size = size;
	s->cache = NULL;
}

void xb_src_mem(xb_src *s, const void *mem, size_t size)
{
	s->fd = -1;
	s->mem = mem;
	s->base = 0;
	s->size = size;
	s->cache = NULL;
}

static xb_code pread_all(int fd, unsigned char *p, size_t n, uint64_t off,
			 size_t *got)
{
	*got = 0;
	while (n > 0) {
		ssize_t r = pread(fd, p, n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return XB_ERR_IO;
		if (r == 0)
			break;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
		*got += (size_t)r;
	}
	return XB_OK;
}

/* Does block i hold all of [off, off + n)? */
static inline bool holds(const struct xb_src_cache *c, int i, uint64_t off,
			 size_t n)
{
	return c->len[i] && off >= c->at[i] && off - c->at[i] <= c->len[i] &&
	       n <= c->len[i] - (off - c->at[i]);
}

/* The block holding all of [off, off + n), or -1: the last one used
 * first (reads come in runs in one place). */
static int block_of(const struct xb_src_cache *c, uint64_t off, size_t n)
{
	if (holds(c, c->last, off, n))
		return c->last;
	for (int i = 0; i < BLOCKS; i++)
		if (holds(c, i, off, n))
			return i;
	return -1;
}

/* [off, off + n) in the span, or NULL. */
static inline const unsigned char *in_span(const struct xb_src_cache *c,
					   uint64_t off, size_t n)
{
	if (c->span && off >= c->span_at && off - c->span_at <= c->span_len &&
	    n <= c->span_len - (off - c->span_at))
		return c->span + (off - c->span_at);
	return NULL;
}

/* Where the block for [off, off + n) starts and how long it is; false
 * when the read is for a plain pread.  off + n <= c->end. */
static bool block_span(const struct xb_src_cache *c, uint64_t off, size_t n,
		       uint64_t *at, size_t *len)
{
	uint64_t end = c->end;

	if (end <= BLK) {
		*at = 0;
		*len = (size_t)end;
	} else if (off + n <= HEAD) {
		*at = 0;
		*len = HEAD;
	} else if (end - off <= TAIL) {
		*at = end - TAIL;
		*len = TAIL;
	} else if (n <= SMALL) {
		/* the page or two that hold it */
		*at = off - off % MID;
		*len = off + n - *at <= MID ? MID : 2 * MID;
		if (end - *at < *len)
			*len = (size_t)(end - *at);
	} else {
		return false;
	}
	return true;
}

/* Read the n bytes at at (absolute) into dst, which is not block skip's:
 * the start of them that another block holds copied from it, only the
 * rest read (the head block often holds the start of the tables read
 * next); *got as pread_all's. */
static xb_code fill(const xb_src *s, unsigned char *dst, uint64_t at, size_t n,
		    int skip, size_t *got)
{
	const struct xb_src_cache *c = s->cache;
	size_t have = 0;
	int from = -1;
	xb_code rc;

	for (int i = 0; i < BLOCKS; i++)
		if (i != skip && c->len[i] && at >= c->at[i] && at - c->at[i] < c->len[i] &&
		    c->len[i] - (at - c->at[i]) > have) {
			have = c->len[i] - (size_t)(at - c->at[i]);
			from = i;
		}
	if (from < 0 || have >= n)
		return pread_all(s->fd, dst, n, at, got);
	memcpy(dst, c->data[from] + (at - c->at[from]), have);
	rc = pread_all(s->fd, dst + have, n - have, at + have, got);
	*got += have;
	return rc;
}

/* The least recently used block, emptied for a read; the file's first
 * block last of all (the headers and the hash table there are read again
 * after a run of reads elsewhere, the names of a big string table). */
static int victim(struct xb_src_cache *c)
{
	int b = -1;

	for (int i = 0; i < BLOCKS; i++)
		if (!(c->len[i] && c->at[i] == 0) && (b < 0 || c->used[i] < c->used[b]))
			b = i;
	if (b < 0)
		b = 0;
	c->len[b] = 0;
	return b;
}

/* Read the block for [off, off + n) (off + n <= c->end) into the least
 * recently used slot: its index, or 0x100 when the read is for a plain
 * pread, -1 when the file shrank, -2 when reading failed. */
static int block_fill(const xb_src *s, uint64_t off, size_t n)
{
	struct xb_src_cache *c = s->cache;
	uint64_t at;
	size_t want, got;
	int b;

	if (!block_span(c, off, n, &at, &want))
		return 0x100;
	b = victim(c);
	if (fill(s, c->data[b], at, want, b, &got))
		return -2;
	c->at[b] = at;
	c->len[b] = got;
	/* a short read: the file shrank under us, and what it lost is
	 * no answer */
	return block_of(c, off, n) == b ? b : -1;
}

/* Copy [off, off + n) of the file (off absolute) through the cache:
 * 1 when done, 0 when it is for a plain pread, else block_fill's -1 or
 * -2. */
static int cached_read(const xb_src *s, uint64_t off, unsigned char *dst,
		       size_t n)
{
	struct xb_src_cache *c = s->cache;
	const unsigned char *sp = in_span(c, off, n);
	int b;

	if (sp) {
		memcpy(dst, sp, n);
		return 1;
	}
	if ((b = block_of(c, off, n)) < 0) {
		if (off > c->end || n > c->end - off)
			return 0;
		if ((b = block_fill(s, off, n)) < 0)
			return b;
		if (b == 0x100)
			return 0;
	}
	c->used[b] = ++c->clock;
	c->last = b;
	memcpy(dst, c->data[b] + (off - c->at[b]), n);
	return 1;
}

void xb_src_cache_on(xb_src *s, struct xb_src_cache *c)
{
	memset(c, 0, offsetof(struct xb_src_cache, data));
	c->end = s->base + s->size;
	s->cache = c;
}

void xb_src_cache_release(struct xb_src_cache *c)
{
	free(c->span_own);
	c->span = c->span_own = NULL;
	c->span_cap = c->span_len = 0;
}

xb_code xb_src_read_slow(const xb_src *s, uint64_t off, void *dst, size_t n)
{
	unsigned char *p = dst;

	if (!xb_src_has(s, off, n))
		return XB_ERR_FORMAT;
	if (n == 0)
		return XB_OK;
	off += s->base;
	if (s->fd < 0) {
		memcpy(dst, s->mem + off, n);
		return XB_OK;
	}
	if (s->cache) {
		int r = cached_read(s, off, p, n);

		if (r)
			return r > 0 ? XB_OK : r == -1 ? XB_ERR_FORMAT : XB_ERR_IO;
	}
	{
		size_t got;

		if (s->cache ? fill(s, p, off, n, -1, &got)
			     : pread_all(s->fd, p, n, off, &got))
			return XB_ERR_IO;
		return got == n ? XB_OK : XB_ERR_FORMAT;
	}
}

/* Read the n bytes at at (absolute) into the span: span_few when they
 * fit, else the malloc'd memory, reused when it is big enough. */
static void span_fill(const xb_src *s, uint64_t at, size_t n)
{
	struct xb_src_cache *c = s->cache;
	size_t got;

	c->span_len = 0;
	if (n <= sizeof(c->span_few)) {
		c->span = c->span_few;
	} else {
		if (n > c->span_cap) {
			free(c->span_own);
			c->span_cap = 0;
			c->span = NULL;
			if (!(c->span_own = malloc(n)))
				return;
			c->span_cap = n;
		}
		c->span = c->span_own;
	}
	if (fill(s, c->span, at, n, -1, &got))
		return;
	c->span_at = at;
	c->span_len = got;
}

void xb_src_hint(const xb_src *s, uint64_t off, uint64_t n, bool keep)
{
	struct xb_src_cache *c = s->cache;
	uint64_t at = s->base + off;
	size_t got;
	int b;

	if (!c || s->fd < 0 || !n || n > XB_SRC_SPAN || !xb_src_has(s, off, n) ||
	    at > c->end || n > c->end - at || in_span(c, at, (size_t)n) ||
	    block_of(c, at, (size_t)n) >= 0)
		return;
	if (keep || n > BLK) {
		span_fill(s, at, (size_t)n);
		return;
	}
	b = victim(c);
	if (fill(s, c->data[b], at, (size_t)n, b, &got))
		return;
	/* (short when the file shrank: what it holds is still the file's) */
	c->at[b] = at;
	c->len[b] = got;
	c->used[b] = ++c->clock;
	c->last = b;
}

uint64_t xb_src_held(const xb_src *s, uint64_t off)
{
	const struct xb_src_cache *c = s->cache;
	uint64_t at = s->base + off, best = 0;

	if (s->fd < 0)
		return off <= s->size ? s->size - off : 0;
	if (!c || off > s->size)
		return 0;
	if (c->span && at >= c->span_at && at - c->span_at < c->span_len)
		best = c->span_len - (at - c->span_at);
	for (int i = 0; i < BLOCKS; i++)
		if (c->len[i] && at >= c->at[i] && at - c->at[i] < c->len[i] &&
		    c->len[i] - (at - c->at[i]) > best)
			best = c->len[i] - (at - c->at[i]);
	return best < s->size - off ? best : s->size - off;
}

const unsigned char *xb_src_pinned(const xb_src *s, uint64_t off, uint64_t n)
{
	if (!xb_src_has(s, off, n) || n > SIZE_MAX)
		return NULL;
	if (s->fd < 0)
		return s->mem + s->base + off;
	return s->cache ? in_span(s->cache, s->base + off, (size_t)n) : NULL;
}

const unsigned char *xb_src_view(const xb_src *s, uint64_t off, uint64_t n,
				 uint64_t cap, unsigned char **own)
{
	struct xb_src_cache *c = s->cache;
	uint64_t at = s->base + off;
	const unsigned char *p;
	int b = -1;

	*own = NULL;
	if (n > cap || !xb_src_has(s, off, n))
		return NULL;
	if (s->fd < 0)
		return s->mem + at;
	if (c && n <= SIZE_MAX && (p = in_span(c, at, (size_t)n)))
		return p;
	/* in a block, or what a block is read for */
	if (c && n && n <= c->end && at <= c->end - n &&
	    (b = block_of(c, at, (size_t)n)) < 0)
		b = block_fill(s, at, (size_t)n);
	if (b >= 0 && b != 0x100) {
		c->used[b] = ++c->clock;
		c->last = b;
		return c->data[b] + (at - c->at[b]);
	}
	if (xb_src_dup(s, off, n, cap, own))
		return NULL;
	return *own;
}

xb_code xb_src_dup(const xb_src *s, uint64_t off, uint64_t n, uint64_t cap,
		   unsigned char **out)
{
	unsigned char *p;
	xb_code rc;

	*out = NULL;
	if (n > cap)
		return XB_ERR_TOO_BIG;
	if (!xb_src_has(s, off, n))
		return XB_ERR_FORMAT;
	p = malloc((size_t)n + 1);
	if (!p)
		return XB_ERR_NOMEM;
	rc = xb_src_read(s, off, p, (size_t)n);
	if (rc) {
		free(p);
		return rc;
	}
	p[n] = '\0';
	*out = p;
	return XB_OK;
}
