/* reprodiff.c: where two builds of one artifact differ.  `xbuild release
 * --verify-repro` builds everything twice; when the bytes differ, the first
 * differing offset is named by the section (ELF, PE) or section and segment
 * (Mach-O) that holds it, read from the headers through xb_src. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reprodiff.h"

#define MAX_SECTIONS 4096u

static uint64_t rd(const unsigned char *p, int n, bool be)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

static char *fmt(const char *f, const char *a)
{
	size_t n = strlen(f) + strlen(a) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, f, a);
	return s;
}

/* A name from a string table, printable and bounded, or "?". */
static char *strtab_name(const xb_src *s, uint64_t tab, uint64_t tabsz,
			 uint64_t idx)
{
	char name[128];
	size_t k = 0;

	if (idx >= tabsz)
		return strdup("section ?");
	for (; k + 1 < sizeof(name) && idx + k < tabsz; k++) {
		unsigned char c;
		if (xb_src_read(s, tab + idx + k, &c, 1) || c == 0)
			break;
		name[k] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	name[k] = '\0';
	return fmt("section %s", k ? name : "?");
}

static char *elf_at(const xb_src *s, const unsigned char *h, uint64_t off)
{
	bool is64 = h[4] == 2, be = h[5] == 2;
	uint64_t ehsize = is64 ? 64 : 52, phoff, shoff, phentsize, phnum,
		 shentsize, shnum, shstrndx, tab = 0, tabsz = 0;
	unsigned char sh[64];

	if (off < ehsize)
		return strdup("ELF header");
	phoff = rd(h + (is64 ? 32 : 28), is64 ? 8 : 4, be);
	shoff = rd(h + (is64 ? 40 : 32), is64 ? 8 : 4, be);
	phentsize = rd(h + (is64 ? 54 : 42), 2, be);
	phnum = rd(h + (is64 ? 56 : 44), 2, be);
	shentsize = rd(h + (is64 ? 58 : 46), 2, be);
	shnum = rd(h + (is64 ? 60 : 48), 2, be);
	shstrndx = rd(h + (is64 ? 62 : 50), 2, be);
	if (phoff && off >= phoff && off - phoff < phentsize * phnum)
		return strdup("program headers");
	if (shoff && off >= shoff && off - shoff < shentsize * shnum)
		return strdup("section headers");
	if (shentsize < (is64 ? 64u : 40u) || shnum > MAX_SECTIONS)
		return NULL;
	if (shstrndx < shnum &&
	    !xb_src_read(s, shoff + shstrndx * shentsize, sh, is64 ? 64 : 40)) {
		tab = rd(sh + (is64 ? 24 : 16), is64 ? 8 : 4, be);
		tabsz = rd(sh + (is64 ? 32 : 20), is64 ? 8 : 4, be);
	}
	for (uint64_t i = 1; i < shnum; i++) {
		uint64_t type, o, sz;
		if (xb_src_read(s, shoff + i * shentsize, sh, is64 ? 64 : 40))
			return NULL;
		type = rd(sh + 4, 4, be);
		o = rd(sh + (is64 ? 24 : 16), is64 ? 8 : 4, be);
		sz = rd(sh + (is64 ? 32 : 20), is64 ? 8 : 4, be);
		if (type == 8 /* SHT_NOBITS */ || off < o || off - o >= sz)
			continue;
		return tabsz ? strtab_name(s, tab, tabsz, rd(sh, 4, be))
			     : strdup("section ?");
	}
	return NULL;
}

static char *pe_at(const xb_src *s, const unsigned char *h, uint64_t off)
{
	uint64_t pe = rd(h + 0x3c, 4, false), nsec, optsz, table;
	unsigned char coff[24], sec[40];

	if (off < 0x40)
		return strdup("DOS header");
	if (xb_src_read(s, pe, coff, sizeof(coff)) || memcmp(coff, "PE\0\0", 4))
		return NULL;
	nsec = rd(coff + 6, 2, false);
	optsz = rd(coff + 20, 2, false);
	table = pe + 24 + optsz;
	if (off >= pe && off < table)
		return strdup("PE headers");
	if (off >= table && off - table < 40 * nsec)
		return strdup("section table");
	for (uint64_t i = 0; i < nsec && i < MAX_SECTIONS; i++) {
		uint64_t o, sz;
		char name[9];
		if (xb_src_read(s, table + 40 * i, sec, sizeof(sec)))
			return NULL;
		sz = rd(sec + 16, 4, false);
		o = rd(sec + 20, 4, false);
		if (off < o || off - o >= sz)
			continue;
		for (int k = 0; k < 8; k++)
			name[k] = sec[k] >= 0x20 && sec[k] < 0x7f ? (char)sec[k] : 0;
		name[8] = '\0';
		return fmt("section %s", name[0] ? name : "?");
	}
	return NULL;
}

/* Thin 64-bit little-endian Mach-O (what Go writes for darwin). */
static char *macho_at(const xb_src *s, const unsigned char *h, uint64_t off)
{
	uint64_t ncmds = rd(h + 16, 4, false), sizeofcmds = rd(h + 20, 4, false),
		 p = 32;
	char *seg_hit = NULL;

	if (off < 32)
		return strdup("Mach-O header");
	if (off - 32 < sizeofcmds)
		return strdup("load commands");
	for (uint64_t i = 0; i < ncmds && i < MAX_SECTIONS; i++) {
		unsigned char lc[72], sect[80];
		uint64_t cmd, size;
		if (xb_src_read(s, p, lc, 8))
			break;
		cmd = rd(lc, 4, false);
		size = rd(lc + 4, 4, false);
		if (size < 8)
			break;
		if (cmd == 0x19 /* LC_SEGMENT_64 */ && !xb_src_read(s, p, lc, 72)) {
			uint64_t fo = rd(lc + 40, 8, false), fs = rd(lc + 48, 8, false);
			uint64_t nsects = rd(lc + 64, 4, false);
			char seg[17];
			memcpy(seg, lc + 8, 16);
			seg[16] = '\0';
			for (uint64_t k = 0; k < nsects && k < MAX_SECTIONS; k++) {
				uint64_t so, ss;
				char name[40];
				if (xb_src_read(s, p + 72 + 80 * k, sect, 80))
					break;
				ss = rd(sect + 40, 8, false);
				so = rd(sect + 48, 4, false);
				if (so && off >= so && off - so < ss) {
					char sn[17];
					memcpy(sn, sect, 16);
					sn[16] = '\0';
					snprintf(name, sizeof(name), "%s,%s", seg, sn);
					free(seg_hit);
					return fmt("section %s", name);
				}
			}
			if (!seg_hit && off >= fo && off - fo < fs)
				seg_hit = fmt("segment %s", seg);
		}
		p += size;
	}
	return seg_hit;
}

char *xb_section_at(const xb_src *s, uint64_t off)
{
	unsigned char h[64];

	if (xb_src_read(s, 0, h, sizeof(h)))
		return NULL;
	if (!memcmp(h, "\177ELF", 4) && (h[4] == 1 || h[4] == 2))
		return elf_at(s, h, off);
	if (h[0] == 'M' && h[1] == 'Z')
		return pe_at(s, h, off);
	if (rd(h, 4, false) == 0xfeedfacfu)
		return macho_at(s, h, off);
	return NULL;
}

static xb_code open_size(const char *path, int *fd, uint64_t *size,
			 xb_err *err)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open '%s':", path);
	if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(*fd);
		return xb_fail(err, XB_ERR_IO, "'%s' is not a regular file", path);
	}
	*size = (uint64_t)st.st_size;
	return XB_OK;
}

static ssize_t read_full(int fd, unsigned char *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

xb_code xb_file_diff(const char *a, const char *b, bool *same, uint64_t *off,
		     char **where, xb_err *err)
{
	enum { CHUNK = 1 << 16 };
	unsigned char *x = NULL, *y = NULL;
	uint64_t sa, sb, pos = 0;
	int fa = -1, fb = -1;
	xb_code rc;

	*same = false;
	*off = 0;
	if (where)
		*where = NULL;
	if ((rc = open_size(a, &fa, &sa, err)))
		return rc;
	if ((rc = open_size(b, &fb, &sb, err)))
		goto out;
	x = malloc(CHUNK);
	y = malloc(CHUNK);
	if (!x || !y) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t na = read_full(fa, x, CHUNK), nb = read_full(fb, y, CHUNK);
		ssize_t n = na < nb ? na : nb, i;
		if (na < 0 || nb < 0) {
			rc = xb_fail(err, XB_ERR_IO, "cannot read '%s':",
				     na < 0 ? a : b);
			goto out;
		}
		for (i = 0; i < n && x[i] == y[i]; i++)
			;
		if (i < n || na != nb) {
			*off = pos + (uint64_t)i;
			break;
		}
		if (na == 0) {
			*same = true;
			goto out;
		}
		pos += (uint64_t)na;
	}
	if (where) {
		xb_src s;
		xb_src_fd(&s, fa, sa);
		*where = xb_section_at(&s, *off);
	}
out:
	free(x);
	free(y);
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return rc;
}
