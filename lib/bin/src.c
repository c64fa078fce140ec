/* src.c: the bounded reader every binary parser reads through: an fd or
 * a memory buffer behind one range check that cannot overflow, with a
 * small block cache for the many small reads of headers and tables. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bin.h"

/* Headers, tables and notes are many small reads close together: keep a
 * few aligned blocks of the file so that most of them cost no syscall. */
#define CACHE_BLOCK 4096u
#define CACHE_BLOCKS 8

struct xb_src_cache {
	uint64_t at[CACHE_BLOCKS];   /* file offset of each block */
	size_t len[CACHE_BLOCKS];    /* bytes in it; 0: empty */
	unsigned used[CACHE_BLOCKS]; /* last use, for replacement */
	unsigned clock;
	unsigned char data[CACHE_BLOCKS][CACHE_BLOCK];
};

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

/* Copy [off, off + n) of the file through the cache. */
static xb_code cached_read(const xb_src *s, uint64_t off, unsigned char *dst,
			   size_t n)
{
	struct xb_src_cache *c = s->cache;

	while (n > 0) {
		uint64_t at = off - off % CACHE_BLOCK;
		size_t in = (size_t)(off - at), k, got;
		int b = -1, lru = 0;

		for (int i = 0; i < CACHE_BLOCKS; i++) {
			if (c->len[i] && c->at[i] == at)
				b = i;
			if (c->used[i] < c->used[lru])
				lru = i;
		}
		if (b < 0) {
			b = lru;
			c->len[b] = 0;
			if (pread_all(s->fd, c->data[b], CACHE_BLOCK, at, &got))
				return XB_ERR_IO;
			c->at[b] = at;
			c->len[b] = got;
		}
		c->used[b] = ++c->clock;
		if (in >= c->len[b])
			return XB_ERR_FORMAT; /* the file shrank */
		k = c->len[b] - in < n ? c->len[b] - in : n;
		memcpy(dst, c->data[b] + in, k);
		dst += k;
		n -= k;
		off += k;
	}
	return XB_OK;
}

void xb_src_cache_on(xb_src *s)
{
	s->cache = malloc(sizeof(*s->cache));
	if (s->cache)
		memset(s->cache, 0, offsetof(struct xb_src_cache, data));
}

void xb_src_cache_off(xb_src *s)
{
	free(s->cache);
	s->cache = NULL;
}

bool xb_src_has(const xb_src *s, uint64_t off, uint64_t n)
{
	return off <= s->size && n <= s->size - off;
}

xb_code xb_src_read(const xb_src *s, uint64_t off, void *dst, size_t n)
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
	if (s->cache && n <= CACHE_BLOCK)
		return cached_read(s, off, p, n);
	{
		size_t got;

		if (pread_all(s->fd, p, n, off, &got))
			return XB_ERR_IO;
		return got == n ? XB_OK : XB_ERR_FORMAT;
	}
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
