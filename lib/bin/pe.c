/* pe.c: PE/COFF facts from the headers, the section table and the import
 * descriptors (walked here: objdump 2.40 misparses Go's import table). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bin.h"

#define MAX_SECTIONS 96
#define MAX_IMPORTS 1024
#define MAX_NAME 256

enum {
	DLL = 0x2000, DYNAMIC_BASE = 0x40, NX_COMPAT = 0x100,
	SCN_ALIGN_MASK = 0x00F00000,
};

#define SCN_DATA_RW 0xC0000040u

typedef struct pesec {
	char name[MAX_NAME];
	uint32_t vsize, va, rawsize, rawoff, chars;
} pesec;

static uint16_t l16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t l32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t l64(const unsigned char *p) { return l32(p) | (uint64_t)l32(p + 4) << 32; }

static bool rva2off(const pesec *sec, size_t n, uint32_t rva, uint64_t *off,
		    uint64_t *avail)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t size = sec[i].vsize > sec[i].rawsize || !sec[i].vsize
					? sec[i].rawsize : sec[i].vsize;

		if (rva >= sec[i].va && rva - sec[i].va < size) {
			*off = (uint64_t)sec[i].rawoff + (rva - sec[i].va);
			*avail = size - (rva - sec[i].va);
			return true;
		}
	}
	return false;
}

/* Is rva inside a section that has no bytes in the file? */
static bool virtual_only(const pesec *sec, size_t n, uint32_t rva)
{
	for (size_t i = 0; i < n; i++)
		if (rva >= sec[i].va && rva - sec[i].va < sec[i].vsize)
			return sec[i].rawsize == 0;
	return false;
}

/* A NUL-terminated name at rva, at most MAX_NAME bytes. */
static char *rva_str(const xb_src *s, const pesec *sec, size_t n, uint32_t rva)
{
	unsigned char buf[MAX_NAME];
	uint64_t off, avail;
	size_t len;
	const unsigned char *z;

	if (!rva2off(sec, n, rva, &off, &avail))
		return NULL;
	len = avail < MAX_NAME ? (size_t)avail : MAX_NAME;
	if (off < s->size && len > s->size - off)
		len = (size_t)(s->size - off);
	if (xb_src_read(s, off, buf, len) || !(z = memchr(buf, '\0', len)))
		return NULL;
	return strndup((char *)buf, (size_t)(z - buf));
}

static void imports(const xb_src *s, xb_facts *f, const pesec *sec, size_t n,
		    uint32_t rva, bool delay)
{
	size_t esz = delay ? 32 : 20;

	for (int i = 0;; i++) {
		unsigned char d[32], zero[32] = { 0 };
		uint64_t off, avail;
		uint32_t name;
		char *str;

		if (i >= MAX_IMPORTS) {
			xb_facts_problem(f, "more than %d import descriptors (no terminator?)", MAX_IMPORTS);
			return;
		}
		if (virtual_only(sec, n, rva)) {
			/* a debug file keeps the section table, not the bytes */
			f->debug_only = true;
			return;
		}
		if (!rva2off(sec, n, rva + (uint32_t)(i * esz), &off, &avail) ||
		    avail < esz || xb_src_read(s, off, d, esz)) {
			xb_facts_problem(f, "%simport descriptor %d at RVA 0x%x is not in any section",
					 delay ? "delay " : "", i, rva + (uint32_t)(i * esz));
			return;
		}
		if (!memcmp(d, zero, esz))
			return;
		name = l32(d + (delay ? 4 : 12));
		if (!(str = rva_str(s, sec, n, name))) {
			xb_facts_problem(f, "DLL name at RVA 0x%x is unmapped or unterminated", name);
			return;
		}
		if (!xb_strv_contains(&f->needed, str))
			xb_strv_push(&f->needed, str);
		free(str);
	}
}

/* What the headers say, for the steps after them. */
typedef struct pe {
	const xb_src *s;
	xb_facts *f;
	uint32_t lfanew, symptr, nsyms, ndirs, dirs_at;
	uint16_t nsec, optsize;
	uint64_t image_base;
	pesec *sec;
	size_t nsecs;
} pe;

static void set_machine(xb_facts *f, uint16_t machine)
{
	f->machine = machine;
	switch (machine) {
	case 0x8664: f->arch = "amd64"; f->machine_name = "x86-64"; break;
	case 0x14c: f->arch = "386"; f->machine_name = "i386"; break;
	case 0xaa64: f->arch = "arm64"; f->machine_name = "ARM64"; break;
	case 0x1c0: case 0x1c4: f->arch = "arm"; f->machine_name = "ARM"; break;
	case 0xa641: f->arch = NULL; f->machine_name = "ARM64EC"; break;
	case 0x5064: f->arch = "riscv64"; f->machine_name = "RISC-V 64"; break;
	default: xb_facts_problem(f, "unknown PE machine 0x%x", machine);
	}
}

/* The MZ stub, the COFF header and the optional header. */
static xb_code read_headers(pe *x, xb_err *err)
{
	const xb_src *s = x->s;
	xb_facts *f = x->f;
	unsigned char mz[64], coff[24], opt[240];
	uint16_t chars, magic, dllchars;
	bool pe64;

	if (xb_src_read(s, 0, mz, 64))
		return xb_fail(err, XB_ERR_FORMAT, "truncated MZ header");
	x->lfanew = l32(mz + 0x3c);
	if (xb_src_read(s, x->lfanew, coff, 24) || memcmp(coff, "PE\0\0", 4))
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "an MZ file without a PE header (e_lfanew %u)", x->lfanew);
	x->nsec = l16(coff + 6);
	x->symptr = l32(coff + 12);
	x->nsyms = l32(coff + 16);
	x->optsize = l16(coff + 20);
	chars = l16(coff + 22);
	f->endian = "little";
	set_machine(f, l16(coff + 4));
	if (x->optsize < 2 ||
	    xb_src_read(s, (uint64_t)x->lfanew + 24, opt, x->optsize < sizeof(opt) ? x->optsize : sizeof(opt)))
		return xb_fail(err, XB_ERR_FORMAT, "optional header of %u bytes is truncated or odd", x->optsize);
	memset(opt + (x->optsize < sizeof(opt) ? x->optsize : sizeof(opt)), 0,
	       sizeof(opt) - (x->optsize < sizeof(opt) ? x->optsize : sizeof(opt)));
	magic = l16(opt);
	if (magic != 0x10b && magic != 0x20b)
		return xb_fail(err, XB_ERR_FORMAT, "bad optional header magic 0x%x", magic);
	pe64 = magic == 0x20b;
	f->bits = pe64 ? 64 : 32;
	/* Windows loads AMD64 and ARM64 images only as PE32+ */
	if (f->arch && !xb_goarch_fits(f->arch, f->bits, false))
		f->arch = NULL;
	x->image_base = pe64 ? l64(opt + 24) : l32(opt + 28);
	dllchars = l16(opt + 70);
	x->ndirs = l32(opt + (pe64 ? 108 : 92));
	x->dirs_at = pe64 ? 112 : 96;
	if (x->ndirs > 16) {
		xb_facts_problem(f, "NumberOfRvaAndSizes %u (more than 16)", x->ndirs);
		x->ndirs = 16;
	}
	if (x->dirs_at + x->ndirs * 8 > x->optsize) {
		xb_facts_problem(f, "data directories run past the optional header");
		x->ndirs = x->optsize > x->dirs_at ? (x->optsize - x->dirs_at) / 8 : 0;
	}
	f->type = chars & DLL ? "shared" : "exec";
	f->pie = (dllchars & DYNAMIC_BASE) != 0;
	f->nx_stack = (dllchars & NX_COMPAT) != 0;
	return XB_OK;
}

/* A long name: "/N" is an offset in the COFF string table. */
static void long_name(const pe *x, pesec *p)
{
	const xb_src *s = x->s;
	uint64_t st = (uint64_t)x->symptr + (uint64_t)x->nsyms * 18;
	unsigned long o = strtoul(p->name + 1, NULL, 10);
	unsigned char nb[MAX_NAME];
	size_t len = MAX_NAME - 1;

	if (st + o < s->size && len > s->size - st - o)
		len = (size_t)(s->size - st - o);
	if (!xb_src_read(s, st + o, nb, len)) {
		nb[len] = '\0';
		memcpy(p->name, nb, len + 1);
	}
}

/* The section table into x->sec: the sections whose bytes are in the
 * file. */
static xb_code read_sections(pe *x, xb_err *err)
{
	xb_facts *f = x->f;
	uint64_t sec_at;

	if (x->nsec > MAX_SECTIONS) {
		xb_facts_problem(f, "%u sections (more than %d)", x->nsec, MAX_SECTIONS);
		x->nsec = 0;
	}
	x->sec = calloc(x->nsec ? x->nsec : 1, sizeof(*x->sec));
	if (!x->sec)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	sec_at = (uint64_t)x->lfanew + 24 + x->optsize;
	for (uint16_t i = 0; i < x->nsec; i++) {
		unsigned char h[40];
		pesec *p = &x->sec[x->nsecs];

		if (xb_src_read(x->s, sec_at + i * 40u, h, 40)) {
			xb_facts_problem(f, "section table truncated at section %u", i);
			break;
		}
		memcpy(p->name, h, 8);
		p->name[8] = '\0';
		p->vsize = l32(h + 8);
		p->va = l32(h + 12);
		p->rawsize = l32(h + 16);
		p->rawoff = l32(h + 20);
		p->chars = l32(h + 36);
		if (p->name[0] == '/' && x->symptr)
			long_name(x, p);
		if (p->rawsize && !xb_src_has(x->s, p->rawoff, p->rawsize)) {
			xb_facts_problem(f, "section '%.40s' at %u (%u bytes) runs past the end of the file",
					 p->name, p->rawoff, p->rawsize);
			continue;
		}
		if (!strncmp(p->name, ".debug_", 7) || !strncmp(p->name, ".zdebug_", 8)) {
			f->debug_info = true;
			if (p->name[1] == 'z')
				f->debug_compressed = true;
		}
		x->nsecs++;
	}
	return XB_OK;
}

/* The import (1) and delay-load import (13) directories. */
static void read_imports(const pe *x)
{
	for (uint32_t d = 0; d < x->ndirs; d++) {
		unsigned char e[8];
		uint32_t rva, size;

		if (d != 1 && d != 13)
			continue;
		if (xb_src_read(x->s, (uint64_t)x->lfanew + 24 + x->dirs_at + d * 8, e, 8))
			break;
		rva = l32(e);
		size = l32(e + 4);
		if (rva && size)
			imports(x->s, x->f, x->sec, x->nsecs, rva, d == 13);
	}
}

static void set_libc(xb_facts *f)
{
	f->libc = "none";
	for (size_t i = 0; i < f->needed.n; i++) {
		const char *n = f->needed.v[i];

		if (!strncasecmp(n, "msvcr", 5) || !strncasecmp(n, "msvcrt", 6))
			f->libc = "msvcrt";
		else if (!strncasecmp(n, "ucrtbase", 8) || !strncasecmp(n, "api-ms-win-crt-", 15))
			f->libc = "ucrt";
	}
}

/* The Go build id and build info.  Not only when there is a Go build
 * id: -ldflags=-buildid= (what reproducible builds use) leaves an empty
 * one. */
static xb_code read_go(const pe *x, xb_err *err)
{
	const pesec *sec = x->sec;
	size_t nsecs = x->nsecs;
	xb_facts *f = x->f;
	xb_vseg *segs;
	xb_goinfo *g;
	xb_code rc = XB_ERR_NOTFOUND;
	xb_err e2 = XB_ERR_INIT;

	for (size_t i = 0; i < nsecs; i++)
		if (!strcmp(sec[i].name, ".text")) {
			f->go_build_id = xb_go_buildid_text(x->s, sec[i].rawoff, sec[i].rawsize);
			break;
		}
	segs = calloc(nsecs ? nsecs : 1, sizeof(*segs));
	g = calloc(1, sizeof(*g));
	if (!segs || !g) {
		free(segs);
		free(g);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	xb_goinfo_init(g);
	for (size_t i = 0; i < nsecs; i++)
		segs[i] = (xb_vseg){ x->image_base + sec[i].va, sec[i].rawoff,
				     sec[i].vsize && sec[i].vsize < sec[i].rawsize
					     ? sec[i].vsize : sec[i].rawsize };
	for (size_t i = 0; i < nsecs && rc == XB_ERR_NOTFOUND; i++)
		if ((sec[i].chars & ~(uint32_t)SCN_ALIGN_MASK) == SCN_DATA_RW)
			rc = xb_goinfo_read(x->s, segs[i].off, segs[i].filesz,
					    segs[i].vaddr, segs, nsecs, g, &e2);
	if (xb_facts_take_go(f, g, rc, &e2))
		f->go_internal_link = true;
	free(segs);
	return XB_OK;
}

xb_code xb_pe_inspect(const xb_src *s, xb_facts *f, xb_err *err)
{
	pe x;
	xb_code rc;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.f = f;
	f->format = "pe";
	if ((rc = read_headers(&x, err)) || (rc = read_sections(&x, err)))
		return rc;
	/* Go sets IMAGE_FILE_DEBUG_STRIPPED yet keeps symbols and DWARF */
	f->stripped = x.nsyms == 0 && !f->debug_info;
	read_imports(&x);
	f->linkage = f->debug_only ? NULL : f->needed.n ? "dynamic" : "static";
	set_libc(f);
	rc = read_go(&x, err);
	free(x.sec);
	return rc;
}
