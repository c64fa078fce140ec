/* samples.h: small, exact ELF, Mach-O and PE images built in memory for the
 * checker's unit, hostile-input and fuzz-seed tests.  Every table sits at a
 * known offset (the S_* constants) so a test can damage one field at a time.
 * The last loaded segment runs to the end of each image, so any truncation
 * is detectable. */
#ifndef XBUILD_SAMPLES_H
#define XBUILD_SAMPLES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct smp {
	unsigned char b[16384];
	size_t n;
	int be, is64;
} smp;

static void sp(smp *s, size_t off, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		s->b[off + (size_t)(s->be ? bytes - 1 - i : i)] = (unsigned char)(v >> (8 * i));
}
#define P8(s, o, v) ((s)->b[o] = (unsigned char)(v))
#define P16(s, o, v) sp(s, o, v, 2)
#define P32(s, o, v) sp(s, o, v, 4)
#define P64(s, o, v) sp(s, o, v, 8)
#define PA(s, o, v) sp(s, o, v, (s)->is64 ? 8 : 4)

static const char go_modinfo[] =
	"0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6"
	"path\texample.com/hello\n"
	"mod\texample.com/hello\t(devel)\t\n"
	"dep\tgolang.org/x/sys\tv0.1.0\th1:abc=\n"
	"=>\t../sys\t(devel)\t\n"
	"build\t-compiler=gc\n"
	"build\t-ldflags=\"-s -w\"\n"
	"build\t-tags=netgo\n"
	"build\tCGO_ENABLED=0\n"
	"build\tGOARCH=amd64\n"
	"build\tGOOS=linux\n"
	"\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2";
#define GO_MODINFO_LEN (sizeof(go_modinfo) - 1)

/* Go build info at off (16-aligned, loaded at base + off): inline (Go
 * 1.18+) or the pointer layout (pointers to string headers after it). */
static size_t smp_goinfo(smp *s, size_t off, uint64_t base, int inline_fmt,
			 const char *version)
{
	int ps = s->is64 ? 8 : 4;
	size_t p = off + 32, vl = strlen(version);

	memcpy(s->b + off, "\xff Go buildinf:", 14);
	P8(s, off + 14, ps);
	P8(s, off + 15, (s->be ? 1 : 0) | (inline_fmt ? 2 : 0));
	if (inline_fmt) {
		P8(s, p++, vl);
		memcpy(s->b + p, version, vl);
		p += vl;
		/* modinfo is < 16384 bytes: two-byte varint */
		P8(s, p++, (GO_MODINFO_LEN & 0x7f) | 0x80);
		P8(s, p++, GO_MODINFO_LEN >> 7);
		memcpy(s->b + p, go_modinfo, GO_MODINFO_LEN);
		return p + GO_MODINFO_LEN;
	}
	/* pointer layout: [16] -> {ptr,len} of version, [16+ps] -> modinfo */
	{
		size_t hv = off + 32, hm = hv + 2 * (size_t)ps, sv = hm + 2 * (size_t)ps;
		size_t sm = sv + vl;

		sp(s, off + 16, base + hv, ps);
		sp(s, off + 16 + (size_t)ps, base + hm, ps);
		sp(s, hv, base + sv, ps);
		sp(s, hv + (size_t)ps, vl, ps);
		sp(s, hm, base + sm, ps);
		sp(s, hm + (size_t)ps, GO_MODINFO_LEN, ps);
		memcpy(s->b + sv, version, vl);
		memcpy(s->b + sm, go_modinfo, GO_MODINFO_LEN);
		return sm + GO_MODINFO_LEN;
	}
}

/* ---- ELF -------------------------------------------------------------- */

enum {
	S_PHOFF = 0x40, S_INTERP = 0x200, S_DYNSTR = 0x240, S_DYN = 0x300,
	S_VERNEED = 0x400, S_NOTES = 0x440, S_BUILDINFO = 0x500,
	S_SHSTR = 0x700, S_SHOFF = 0x800, S_ELF_END = 0xb00,
	S_NPH = 8, S_NSH = 11,
};
#define S_BASE 0x400000u

typedef struct elf_opts {
	int is64, be;
	unsigned machine;
	unsigned type;        /* 2 exec, 3 dyn */
	int interp, dynamic, needed, sections, pie_flag, bind_now;
	int go;               /* 0 none, 1 inline, 2 pointer layout */
	uint32_t eflags;
	int c_link;           /* a .comment section: a C linker wrote it */
} elf_opts;

static const char s_dynstr[] = "\0libc.so.6\0libm.so.6\0/opt/lib\0GLIBC_2.17\0"
			       "GLIBC_2.34\0__stack_chk_fail\0libfoo.so.1";
/* offsets in s_dynstr */
enum { DS_LIBC = 1, DS_LIBM = 11, DS_RUNPATH = 21, DS_G217 = 30, DS_G234 = 41,
       DS_SOFOO = 69 };
static const char s_shstr[] = "\0.interp\0.dynstr\0.dynamic\0.note.gnu.build-id\0"
			      ".go.buildinfo\0.symtab\0.zdebug_info\0.shstrtab\0"
			      ".strtab\0.debug_info\0.comment\0";

static size_t shstr_off(const char *name)
{
	for (size_t i = 0; i < sizeof(s_shstr); i += strlen(s_shstr + i) + 1)
		if (!strcmp(s_shstr + i, name))
			return i;
	return 0;
}

static void elf_ph(smp *s, int i, uint32_t type, uint32_t flags, uint64_t off,
		   uint64_t size, uint64_t align)
{
	size_t o = S_PHOFF + (size_t)i * (s->is64 ? 56 : 32);

	P32(s, o, type);
	if (s->is64) {
		P32(s, o + 4, flags);
		P64(s, o + 8, off);
		P64(s, o + 16, S_BASE + off);
		P64(s, o + 24, S_BASE + off);
		P64(s, o + 32, size);
		P64(s, o + 40, size);
		P64(s, o + 48, align);
	} else {
		P32(s, o + 4, off);
		P32(s, o + 8, S_BASE + off);
		P32(s, o + 12, S_BASE + off);
		P32(s, o + 16, size);
		P32(s, o + 20, size);
		P32(s, o + 24, flags);
		P32(s, o + 28, align);
	}
}

static void elf_sh(smp *s, int i, const char *name, uint32_t type, uint64_t flags,
		   uint64_t off, uint64_t size, uint32_t link, uint64_t entsize)
{
	size_t o = S_SHOFF + (size_t)i * (s->is64 ? 64 : 40);

	P32(s, o, shstr_off(name));
	P32(s, o + 4, type);
	if (s->is64) {
		P64(s, o + 8, flags);
		P64(s, o + 16, flags & 2 ? S_BASE + off : 0);
		P64(s, o + 24, off);
		P64(s, o + 32, size);
		P32(s, o + 40, link);
		P64(s, o + 48, 4);
		P64(s, o + 56, entsize);
	} else {
		P32(s, o + 8, flags);
		P32(s, o + 12, flags & 2 ? S_BASE + off : 0);
		P32(s, o + 16, off);
		P32(s, o + 20, size);
		P32(s, o + 24, link);
		P32(s, o + 32, 4);
		P32(s, o + 36, entsize);
	}
}

static size_t elf_dyn(smp *s, size_t at, uint64_t tag, uint64_t val)
{
	PA(s, at, tag);
	PA(s, at + (s->is64 ? 8 : 4), val);
	return at + (s->is64 ? 16 : 8);
}

static void smp_elf(smp *s, const elf_opts *o)
{
	size_t d = S_DYN, nte;
	int ph = 0;

	memset(s, 0, sizeof(*s));
	s->is64 = o->is64;
	s->be = o->be;
	s->n = S_ELF_END;
	memcpy(s->b, "\177ELF", 4);
	s->b[4] = o->is64 ? 2 : 1;
	s->b[5] = o->be ? 2 : 1;
	s->b[6] = 1;
	P16(s, 16, o->type);
	P16(s, 18, o->machine);
	P32(s, 20, 1);
	if (o->is64) {
		P64(s, 32, S_PHOFF);
		P64(s, 40, o->sections ? S_SHOFF : 0);
		P32(s, 48, o->eflags);
		P16(s, 52, 64);
		P16(s, 54, 56);
		P16(s, 58, 64);
	} else {
		P32(s, 28, S_PHOFF);
		P32(s, 32, o->sections ? S_SHOFF : 0);
		P32(s, 36, o->eflags);
		P16(s, 40, 52);
		P16(s, 42, 32);
		P16(s, 46, 40);
	}
	/* program headers */
	elf_ph(s, ph++, 6, 4, S_PHOFF, (s->is64 ? 56 : 32) * S_NPH, 8); /* PT_PHDR */
	if (o->interp)
		elf_ph(s, ph++, 3, 4, S_INTERP, 27, 1);
	elf_ph(s, ph++, 1, 5, 0, S_BUILDINFO, 0x1000);           /* text R+X */
	elf_ph(s, ph++, 1, 6, S_BUILDINFO, S_ELF_END - S_BUILDINFO, 0x1000); /* data RW */
	if (o->dynamic)
		elf_ph(s, ph++, 2, 6, S_DYN, 0x100, 8);
	elf_ph(s, ph++, 4, 4, S_NOTES, 0x60, 4);
	elf_ph(s, ph++, 0x6474e551, 6, 0, 0, 16);                 /* GNU_STACK RW */
	elf_ph(s, ph++, 0x6474e552, 4, S_DYN, 0x100, 1);          /* GNU_RELRO */
	P16(s, o->is64 ? 56 : 44, ph);
	memcpy(s->b + S_INTERP, "/lib/ld-linux-aarch64.so.1", 27);
	memcpy(s->b + S_DYNSTR, s_dynstr, sizeof(s_dynstr));
	if (o->dynamic) {
		if (o->needed) {
			d = elf_dyn(s, d, 1, DS_LIBC);
			d = elf_dyn(s, d, 1, DS_LIBM);
		}
		d = elf_dyn(s, d, 29, DS_RUNPATH);
		d = elf_dyn(s, d, 5, S_BASE + S_DYNSTR);
		d = elf_dyn(s, d, 10, sizeof(s_dynstr));
		if (o->needed) {
			d = elf_dyn(s, d, 0x6ffffffe, S_BASE + S_VERNEED);
			d = elf_dyn(s, d, 0x6fffffff, 1);
		}
		if (o->bind_now)
			d = elf_dyn(s, d, 24, 0);
		if (o->pie_flag)
			d = elf_dyn(s, d, 0x6ffffffb, 0x08000001);
		d = elf_dyn(s, d, 0, 0);
	}
	/* verneed: libc.so.6 needs GLIBC_2.17 and GLIBC_2.34 */
	P16(s, S_VERNEED, 1);
	P16(s, S_VERNEED + 2, 2);
	P32(s, S_VERNEED + 4, DS_LIBC);
	P32(s, S_VERNEED + 8, 16);
	P32(s, S_VERNEED + 12, 0);
	P32(s, S_VERNEED + 16 + 8, DS_G217);
	P32(s, S_VERNEED + 16 + 12, 16);
	P32(s, S_VERNEED + 32 + 8, DS_G234);
	P32(s, S_VERNEED + 32 + 12, 0);
	/* notes: GNU build id (20 bytes), Go build id */
	nte = S_NOTES;
	P32(s, nte, 4);
	P32(s, nte + 4, 20);
	P32(s, nte + 8, 3);
	memcpy(s->b + nte + 12, "GNU", 4);
	for (int i = 0; i < 20; i++)
		s->b[nte + 16 + (size_t)i] = (unsigned char)(0xa0 + i);
	nte += 36;
	P32(s, nte, 4);
	P32(s, nte + 4, 11);
	P32(s, nte + 8, 4);
	memcpy(s->b + nte + 12, "Go\0\0", 4);
	memcpy(s->b + nte + 16, "actA/contB", 11);
	if (o->go)
		smp_goinfo(s, S_BUILDINFO, S_BASE, o->go == 1,
			   o->go == 1 ? "go1.21.0" : "go1.16.5");
	memcpy(s->b + S_SHSTR, s_shstr, sizeof(s_shstr));
	if (o->sections) {
		int sh = 1;

		elf_sh(s, sh++, ".interp", 1, 2, S_INTERP, 27, 0, 0);
		elf_sh(s, sh++, ".dynstr", 3, 2, S_DYNSTR, sizeof(s_dynstr), 0, 0);
		if (o->dynamic)
			elf_sh(s, sh++, ".dynamic", 6, 3, S_DYN, d - S_DYN, 2, s->is64 ? 16 : 8);
		else
			elf_sh(s, sh++, ".dynamic", 1, 3, S_DYN, 0x10, 0, 0);
		elf_sh(s, sh++, ".note.gnu.build-id", 7, 2, S_NOTES, 0x60, 0, 0);
		if (o->go)
			elf_sh(s, sh++, ".go.buildinfo", 1, 3, S_BUILDINFO, 0x200, 0, 0);
		else
			elf_sh(s, sh++, ".strtab", 3, 0, S_BUILDINFO, 0x10, 0, 0);
		elf_sh(s, sh++, ".symtab", 2, 0, S_BUILDINFO + 0x100, s->is64 ? 24 : 16,
		       9, s->is64 ? 24 : 16);
		elf_sh(s, sh++, ".zdebug_info", 1, 0x800, S_BUILDINFO + 0x180, 0x20, 0, 0);
		elf_sh(s, sh++, ".shstrtab", 3, 0, S_SHSTR, sizeof(s_shstr), 0, 0);
		elf_sh(s, sh++, ".strtab", 3, 0, S_BUILDINFO + 0x1f0, 0x10, 0, 0);
		elf_sh(s, sh++, ".debug_info", 1, 0x800, S_BUILDINFO + 0x1a0, 0x20, 0, 0);
		if (o->c_link)
			elf_sh(s, sh++, ".comment", 1, 0x30, S_BUILDINFO + 0x1c0, 0x10, 0, 1);
		P16(s, s->is64 ? 60 : 48, sh);
		P16(s, s->is64 ? 62 : 50, 8);
		/* a SHF_COMPRESSED header claiming a 1 TiB payload: never inflated */
		P32(s, S_BUILDINFO + 0x1a0, 1);
		P64(s, S_BUILDINFO + 0x1a8, 1ull << 40);
	}
}

static const elf_opts elf_default = {
	1, 0, 183, 3, 1, 1, 1, 1, 1, 1, 1, 0, 1,
};

/* ---- Mach-O ----------------------------------------------------------- */

enum { M_TEXT = 0x300, M_DATA = 0x400, M_END = 0x600 };

static size_t macho_lcstr(smp *s, size_t at, uint32_t cmd, const char *str, size_t hdr)
{
	size_t len = hdr + strlen(str) + 1;

	len = (len + 7) & ~(size_t)7;
	P32(s, at, cmd);
	P32(s, at + 4, len);
	P32(s, at + 8, hdr);
	memcpy(s->b + at + hdr, str, strlen(str) + 1);
	return at + len;
}

static size_t macho_seg(smp *s, size_t at, const char *seg, const char *sect,
			uint64_t off, uint64_t size, uint32_t prot)
{
	P32(s, at, 0x19);
	P32(s, at + 4, 72 + 80);
	memcpy(s->b + at + 8, seg, strlen(seg));
	P64(s, at + 24, 0x100000000ull + off);
	P64(s, at + 32, size);
	P64(s, at + 40, off);
	P64(s, at + 48, size);
	P32(s, at + 56, prot);
	P32(s, at + 60, prot);
	P32(s, at + 64, 1);
	memcpy(s->b + at + 72, sect, strlen(sect));
	memcpy(s->b + at + 72 + 16, seg, strlen(seg));
	P64(s, at + 72 + 32, 0x100000000ull + off);
	P64(s, at + 72 + 40, size);
	P32(s, at + 72 + 48, off);
	return at + 72 + 80;
}

/* A thin 64-bit little-endian Mach-O: arm64 (0x0100000c) or amd64. */
static void smp_macho(smp *s, uint32_t cpu)
{
	size_t c = 32;

	memset(s, 0, sizeof(*s));
	s->is64 = 1;
	s->n = M_END;
	P32(s, 0, 0xfeedfacf);
	P32(s, 4, cpu);
	P32(s, 12, 2);
	P32(s, 24, 0x200085);
	c = macho_seg(s, c, "__TEXT", "__text", 0, M_DATA, 5);
	c = macho_seg(s, c, "__DATA", "__go_buildinfo", M_DATA, M_END - M_DATA, 3);
	c = macho_lcstr(s, c, 0xe, "/usr/lib/dyld", 12);
	c = macho_lcstr(s, c, 0xc, "/usr/lib/libSystem.B.dylib", 24);
	P32(s, c, 0x1b);
	P32(s, c + 4, 24);
	memset(s->b + c + 8, 0x5a, 16);
	c += 24;
	P32(s, c, 0x2);
	P32(s, c + 4, 24);
	P32(s, c + 12, 3);
	c += 24;
	P32(s, 16, 6);
	P32(s, 20, c - 32);
	memcpy(s->b + M_TEXT, "\xff Go build ID: \"macA/macB\"\n \xff", 29);
	smp_goinfo(s, M_DATA, 0x100000000ull, 1, "go1.21.0");
}

static size_t macho_seg32(smp *s, size_t at, const char *seg, const char *sect,
			  uint32_t off, uint32_t size, uint32_t prot)
{
	P32(s, at, 0x1);
	P32(s, at + 4, 56 + 68);
	memcpy(s->b + at + 8, seg, strlen(seg));
	P32(s, at + 24, 0x1000 + off);
	P32(s, at + 28, size);
	P32(s, at + 32, off);
	P32(s, at + 36, size);
	P32(s, at + 40, prot);
	P32(s, at + 44, prot);
	P32(s, at + 48, 1);
	memcpy(s->b + at + 56, sect, strlen(sect));
	memcpy(s->b + at + 56 + 16, seg, strlen(seg));
	P32(s, at + 56 + 32, 0x1000 + off);
	P32(s, at + 56 + 36, size);
	P32(s, at + 56 + 40, off);
	return at + 56 + 68;
}

/* A thin 32-bit Mach-O (i386, or big-endian ppc when be): old Go layout. */
static void smp_macho32(smp *s, uint32_t cpu, int be)
{
	size_t c = 28;

	memset(s, 0, sizeof(*s));
	s->be = be;
	s->n = M_END;
	P32(s, 0, 0xfeedface);
	P32(s, 4, cpu);
	P32(s, 12, 2);
	c = macho_seg32(s, c, "__TEXT", "__text", 0, M_DATA, 5);
	c = macho_seg32(s, c, "__DATA", "__data", M_DATA, M_END - M_DATA, 3);
	P32(s, c, 0xe);
	P32(s, c + 4, 28);
	P32(s, c + 8, 12);
	memcpy(s->b + c + 12, "/usr/lib/dyld", 14);
	c += 28;
	P32(s, 16, 3);
	P32(s, 20, c - 28);
	memcpy(s->b + M_TEXT, "\xff Go build ID: \"m32A/m32B\"\n \xff", 29);
	smp_goinfo(s, M_DATA, 0x1000, 0, "go1.15.15");
}

/* Fat: an arm64 and an amd64 slice at 0x1000 and 0x2000 (big-endian). */
static void smp_fat(smp *s)
{
	smp a;

	memset(s, 0, sizeof(*s));
	s->be = 1;
	P32(s, 0, 0xcafebabe);
	P32(s, 4, 2);
	smp_macho(&a, 0x0100000c);
	s->be = 1;
	P32(s, 8, 0x0100000c);
	P32(s, 16, 0x1000);
	P32(s, 20, a.n);
	P32(s, 24, 12);
	memcpy(s->b + 0x1000, a.b, a.n);
	smp_macho(&a, 0x01000007);
	s->be = 1;
	P32(s, 28, 0x01000007);
	P32(s, 36, 0x2000);
	P32(s, 40, a.n);
	P32(s, 44, 12);
	memcpy(s->b + 0x2000, a.b, a.n);
	s->n = 0x2000 + a.n;
}

/* The same two slices behind a 64-bit fat header (0xcafebabf). */
static void smp_fat64(smp *s)
{
	smp a;

	smp_fat(&a);
	memset(s, 0, sizeof(*s));
	memcpy(s->b + 0x1000, a.b + 0x1000, a.n - 0x1000);
	s->n = a.n;
	s->be = 1;
	P32(s, 0, 0xcafebabf);
	P32(s, 4, 2);
	for (int i = 0; i < 2; i++) {
		size_t o = 8 + (size_t)i * 32;

		P32(s, o, i ? 0x01000007 : 0x0100000c);
		P64(s, o + 8, 0x1000u * (unsigned)(i + 1));
		P64(s, o + 16, M_END);
		P32(s, o + 24, 12);
	}
}

/* ---- PE ----------------------------------------------------------------- */

enum { PE_LFANEW = 0x80, PE_SECT = 0x80 + 24 + 240, PE_END = 0xa00 };

static void pe_sec(smp *s, int i, const char *name, uint32_t va, uint32_t off,
		   uint32_t size, uint32_t chars)
{
	size_t o = PE_SECT + (size_t)i * 40;

	memcpy(s->b + o, name, strlen(name));
	P32(s, o + 8, size);
	P32(s, o + 12, va);
	P32(s, o + 16, size);
	P32(s, o + 20, off);
	P32(s, o + 36, chars);
}

static void smp_pe(smp *s)
{
	size_t opt = PE_LFANEW + 24;

	memset(s, 0, sizeof(*s));
	s->is64 = 1;
	s->n = PE_END;
	memcpy(s->b, "MZ", 2);
	P32(s, 0x3c, PE_LFANEW);
	memcpy(s->b + PE_LFANEW, "PE\0\0", 4);
	P16(s, PE_LFANEW + 4, 0x8664);
	P16(s, PE_LFANEW + 6, 3);
	P16(s, PE_LFANEW + 20, 240);
	P16(s, PE_LFANEW + 22, 0x22);
	P16(s, opt, 0x20b);
	P64(s, opt + 24, 0x140000000ull);
	P16(s, opt + 70, 0x160);
	P32(s, opt + 108, 16);
	P32(s, opt + 112 + 8, 0x3000);  /* imports */
	P32(s, opt + 112 + 12, 40);
	pe_sec(s, 0, ".text", 0x1000, 0x400, 0x200, 0x60000020);
	pe_sec(s, 1, ".data", 0x2000, 0x600, 0x200, 0xC0000040);
	pe_sec(s, 2, ".idata", 0x3000, 0x800, 0x200, 0xC0000040);
	memcpy(s->b + 0x400 + 0x40, "\xff Go build ID: \"peA/peB\"\n \xff", 27);
	smp_goinfo(s, 0x600, 0x140000000ull + 0x2000 - 0x600, 1, "go1.21.0");
	P32(s, 0x800 + 12, 0x3100);     /* descriptor 0: Name */
	P32(s, 0x800 + 16, 0x3080);     /* FirstThunk */
	memcpy(s->b + 0x900, "KERNEL32.dll", 13);
}

/* PE32 (i386): the 32-bit optional header, ImageBase 0x400000. */
static void smp_pe32(smp *s)
{
	size_t opt = PE_LFANEW + 24, sect = opt + 224;

	smp_pe(s);
	memset(s->b + PE_LFANEW + 4, 0, PE_SECT + 120 - PE_LFANEW - 4);
	P16(s, PE_LFANEW + 4, 0x14c);
	P16(s, PE_LFANEW + 6, 3);
	P16(s, PE_LFANEW + 20, 224);
	P16(s, PE_LFANEW + 22, 0x102);
	P16(s, opt, 0x10b);
	P32(s, opt + 28, 0x400000);
	P16(s, opt + 70, 0x140);
	P32(s, opt + 92, 16);
	P32(s, opt + 96 + 8, 0x3000);
	P32(s, opt + 96 + 12, 40);
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = { ".text", ".data", ".idata" };
		static const uint32_t chars[] = { 0x60000020, 0xC0000040, 0xC0000040 };
		size_t o = sect + (size_t)i * 40;

		memcpy(s->b + o, names[i], strlen(names[i]));
		P32(s, o + 8, 0x200);
		P32(s, o + 12, 0x1000u * (uint32_t)(i + 1));
		P32(s, o + 16, 0x200);
		P32(s, o + 20, 0x400u + 0x200u * (uint32_t)i);
		P32(s, o + 36, chars[i]);
	}
	memset(s->b + 0x600, 0, 0x200);
	s->is64 = 0;
	smp_goinfo(s, 0x600, 0x400000 + 0x2000 - 0x600, 0, "go1.17.13");
}

#endif
