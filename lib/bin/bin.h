/* bin.h: what the binary readers share, private to lib/ and the tests:
 * the bounded reader every byte goes through (src.c), the Go build info
 * (goinfo.c), one reader per format behind the dispatch (inspect.c), and
 * how a reader records its facts (facts.c).  cmd/ sees xb_inspect and the
 * facts in xbuild.h only.  xb_inspect runs in several threads at once
 * (xbuild inspect -j): nothing here keeps state outside its arguments. */
#ifndef XB_BIN_H
#define XB_BIN_H

#include <string.h>

#include "xbuild.h"

/*
 * Where a parser reads from: an open file (pread) or a memory buffer (fuzz
 * targets, tests).  base/size select a window (a fat Mach-O slice); every
 * read is range-checked without overflow and never goes past size.  The
 * source does not own the fd or the memory.
 */
typedef struct xb_src {
	int fd;                   /* -1: read from mem */
	const unsigned char *mem;
	uint64_t base;            /* offset of the window in the fd or mem */
	uint64_t size;            /* bytes readable from base */
	struct xb_src_cache *cache; /* NULL, or blocks of the fd kept between
				     * reads (small reads cost no syscall) */
} xb_src;

#define XB_SRC_BLK 8192u /* bytes of a block */
#define XB_SRC_BLOCKS 6
#define XB_SRC_SPAN (120u << 10) /* the most xb_src_hint reads (under
				  * malloc's mmap threshold) */
#define XB_SRC_SPAN_FEW (24u << 10) /* a span up to this size needs no
				     * malloc (the tables of most files) */

/* What xb_src_cache_on needs: the caller gives the memory (its stack),
 * src.c alone reads and writes it. */
struct xb_src_cache {
	uint64_t end;          /* bytes of the fd the blocks may hold */
	uint64_t at[XB_SRC_BLOCKS];   /* file offset of each block */
	size_t len[XB_SRC_BLOCKS];    /* bytes in it; 0: empty */
	unsigned used[XB_SRC_BLOCKS]; /* last use, for replacement */
	unsigned clock;
	int last;              /* the block used last */
	unsigned char *span;   /* a bigger read announced (xb_src_hint): */
	uint64_t span_at;      /* span_len bytes at span_at, in span_few */
	size_t span_len;       /* or span_own */
	unsigned char *span_own; /* malloc'd, span_cap bytes */
	size_t span_cap;
	unsigned char data[XB_SRC_BLOCKS][XB_SRC_BLK];
	unsigned char span_few[XB_SRC_SPAN_FEW];
};

/* A source on fd with no cache; xb_inspect adds one for its file. */
void xb_src_fd(xb_src *s, int fd, uint64_t size);
void xb_src_mem(xb_src *s, const void *mem, size_t size);
/* Give an fd source the block cache c (the caller's, for as long as
 * the source is read).  The blocks may hold the file up to the window's
 * end when the cache is made; a narrower window made from the source
 * later (a fat slice) shares them. */
void xb_src_cache_on(xb_src *s, struct xb_src_cache *c);
/* Free what the cache took beside its blocks (after the last read). */
void xb_src_cache_release(struct xb_src_cache *c);
/* True when [off, off + n) lies inside the window (overflow-safe). */
static inline bool xb_src_has(const xb_src *s, uint64_t off, uint64_t n)
{
	return off <= s->size && n <= s->size - off;
}
/* The reads that come next will be inside [off, off + n): read it at
 * once, into one block when it fits one (XB_SRC_BLK), else, up to
 * XB_SRC_SPAN bytes, into the span, and nothing when the cache holds it
 * already, so that they cost one syscall together.  keep: into the span
 * whatever the size, where the bytes stay (xb_src_pinned) and are used
 * without a copy.  Nothing for a memory source or one without a cache.
 * What is read is the file's: no answer changes, and a file that shrank
 * leaves a shorter block. */
void xb_src_hint(const xb_src *s, uint64_t off, uint64_t n, bool keep);
/* How many bytes from off the source holds without a syscall (in a
 * block, or all for memory), inside the window. */
uint64_t xb_src_held(const xb_src *s, uint64_t off);
/* The n bytes at off when the source holds them where they stay, in
 * the memory or the span (valid until the next xb_src_hint or
 * xb_src_cache_release): no copy needed.  Else NULL. */
const unsigned char *xb_src_pinned(const xb_src *s, uint64_t off, uint64_t n);
/* Read exactly n bytes at off; XB_ERR_FORMAT when outside the window.
 * Inline, what most reads are: inside the block used last. */
xb_code xb_src_read_slow(const xb_src *s, uint64_t off, void *dst, size_t n);
static inline xb_code xb_src_read(const xb_src *s, uint64_t off, void *dst,
				  size_t n)
{
	struct xb_src_cache *c = s->cache;
	uint64_t at = s->base + off;
	int b;

	if (c && s->fd >= 0 && xb_src_has(s, off, n)) {
		b = c->last;
		if (c->len[b] && at >= c->at[b] && at - c->at[b] <= c->len[b] &&
		    n <= c->len[b] - (at - c->at[b])) {
			c->used[b] = ++c->clock;
			memcpy(dst, c->data[b] + (at - c->at[b]), n);
			return XB_OK;
		}
	}
	return xb_src_read_slow(s, off, dst, n);
}
/* The n bytes at off without a copy when they can be had so: a pointer
 * into the memory or the cache's blocks, valid until the next read from
 * s; else read into a new buffer, *own, which the caller frees.  NULL
 * when they cannot be read or n > cap. */
const unsigned char *xb_src_view(const xb_src *s, uint64_t off, uint64_t n,
				 uint64_t cap, unsigned char **own);
/* Read n bytes at off into a new buffer with a NUL after them, refusing
 * n > cap (XB_ERR_TOO_BIG).  Caller frees *out. */
xb_code xb_src_dup(const xb_src *s, uint64_t off, uint64_t n, uint64_t cap,
		   unsigned char **out);

void xb_goinfo_init(xb_goinfo *g);
void xb_goinfo_release(xb_goinfo *g);

/* For the parsers: record what is malformed (f->problems). */
/* Hand xb_goinfo_read's answer (rc, err) for the heap-allocated g to f:
 * on success f owns g and true is returned; otherwise g is freed, and a
 * failure other than XB_ERR_NOTFOUND is recorded as a problem. */
bool xb_facts_take_go(xb_facts *f, xb_goinfo *g, xb_code rc,
		      const xb_err *err);
void xb_facts_problem(xb_facts *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* xb_inspect from a source (f->path is left alone). */
xb_code xb_inspect_src(const xb_src *s, xb_facts *f, xb_err *err);
/* One format each; xb_inspect_src dispatches on the magic. */
xb_code xb_elf_inspect(const xb_src *s, xb_facts *f, xb_err *err);
xb_code xb_macho_inspect(const xb_src *s, xb_facts *f, xb_err *err);
xb_code xb_pe_inspect(const xb_src *s, xb_facts *f, xb_err *err);
/* Is this a magic number xb_inspect_src understands?  (4+ bytes) */
bool xb_inspect_magic(const unsigned char *p, size_t n);
/* Does a binary of this class (32 or 64) and byte order belong to Go's
 * port goarch?  An x32 or big-endian AArch64 file has the machine number
 * of amd64 or arm64 but runs on neither. */
bool xb_goarch_fits(const char *goarch, int bits, bool big_endian);

/* A file range loaded at a virtual address: ELF PT_LOAD, Mach-O segment,
 * PE section (ImageBase included). */
typedef struct xb_vseg {
	uint64_t vaddr, off, filesz;
} xb_vseg;

/*
 * Go build info in the file range [off, off + len) loaded at vaddr: finds
 * "\xff Go buildinf:" at a 16-byte aligned address and decodes the inline
 * (1.18+) or pointer layout, mapping pointers through segs.  XB_ERR_NOTFOUND
 * when there is none; XB_ERR_FORMAT when it is damaged.
 */
xb_code xb_goinfo_read(const xb_src *s, uint64_t off, uint64_t len,
		       uint64_t vaddr, const xb_vseg *segs, size_t nsegs,
		       xb_goinfo *g, xb_err *err);
/* Decode modinfo text (with or without its sentinels) into g. */
xb_code xb_goinfo_parse_mod(xb_goinfo *g, const char *mod, size_t len);
/* The Go build id at the start of a text section
 * ("\xff Go build ID: \"...\"\n \xff"); caller frees; NULL if none. */
char *xb_go_buildid_text(const xb_src *s, uint64_t off, uint64_t len);

/* Write f as one JSON object (xb_facts_json_err without an error). */
void xb_facts_json(const xb_facts *f, xb_json *j);

#endif
