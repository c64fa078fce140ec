/* test_hostile.c: hostile inputs.  Every prefix of every sample, every byte
 * and every 2/4/8-byte field set to hostile values, and each item of the
 * checklist in binary-formats.md §4 on its own.  Each input must give an
 * error or facts with the problem named: never a crash (ASan/UBSan in
 * `make SANITIZE=...`), a hang, a silently wrong answer, an answer
 * that breaks an invariant of tests/fuzz/invariants.c, or one that is
 * not the same read from a file (tests/fuzz/samefd.h). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "samples.h"
#include "../fuzz/invariants.h"
#include "../fuzz/samefd.h"

static xb_strv broken; /* what the input being probed broke */
static unsigned long probes;

static void record(const char *msg)
{
	if (broken.n < 4)
		xb_strv_push(&broken, msg);
}

/* Inspect, then hold the answer to the invariants every answer keeps
 * (tests/fuzz/invariants.c: the facts against each other and the input,
 * the error, the JSON parsed back, verify). */
static xb_code probe(const unsigned char *p, size_t n, xb_facts *f, xb_err *err)
{
	fuzz_answer a;
	xb_src src;
	xb_code rc;

	xb_facts_init(f);
	err->code = XB_OK;
	err->msg[0] = '\0';
	xb_src_mem(&src, p, n);
	rc = xb_inspect_src(&src, f, err);
	a.data = p;
	a.size = n;
	a.rc = rc;
	a.err = err;
	a.whole = true;
	/* JSON and verify for one input in 16: they cost ten times the
	 * rest, and depend little on the bytes */
	a.facts_only = probes++ % 16 != 0;
	xb_strv_release(&broken);
	xb_strv_init(&broken);
	fuzz_violation_hook = record;
	if (fuzz_check_facts(f, &a) +
	    (a.facts_only ? 0 : fuzz_check_fd(xb_inspect_src, p, n, f, rc, err)))
		fail_msg("%zu bytes (%s): %s%s%s", n, rc ? err->msg : "ok", broken.v[0],
			 broken.n > 1 ? "; " : "", broken.n > 1 ? broken.v[1] : "");
	return rc;
}

/* Does f->problems or err hold s? */
static bool says(const xb_facts *f, const xb_err *err, const char *s)
{
	for (size_t i = 0; i < f->problems.n; i++)
		if (strstr(f->problems.v[i], s))
			return true;
	return strstr(err->msg, s) != NULL;
}

#define EXPECT_SAYS(s, what)                                                   \
	do {                                                                   \
		xb_facts f_;                                                   \
		xb_err e_ = XB_ERR_INIT;                                       \
		xb_code rc_ = probe((s)->b, (s)->n, &f_, &e_);                 \
		if (rc_ == XB_OK || !says(&f_, &e_, what))                     \
			fail_msg("expected '%s', got rc %d: %s", what, rc_,    \
				 xb_errmsg(&e_));                              \
		xb_facts_release(&f_);                                         \
	} while (0)

static void samples(smp *s, int i)
{
	elf_opts o = elf_default;

	switch (i) {
	case 0: smp_elf(s, &o); break;
	case 1: o.is64 = 0, o.be = 1, o.machine = 8, o.go = 2; smp_elf(s, &o); break;
	case 2: o.sections = 0; smp_elf(s, &o); break;
	case 3: o.be = 1, o.machine = 21, o.go = 2; smp_elf(s, &o); break;
	case 4: smp_macho(s, 0x0100000c); break;
	case 5: smp_fat(s); break;
	case 6: smp_pe(s); break;
	case 7: smp_macho32(s, 7, 0); break;
	case 8: smp_pe32(s); break;
	case 9: smp_fat64(s); break;
	}
}
#define NSAMPLES 10

/* Every prefix: a cut artifact is never reported as a sound one. */
static void every_truncation(void **state)
{
	smp s;

	(void)state;
	for (int k = 0; k < NSAMPLES; k++) {
		samples(&s, k);
		for (size_t n = 0; n < s.n; n++) {
			xb_facts f;
			xb_err err = XB_ERR_INIT;

			if (probe(s.b, n, &f, &err) == XB_OK)
				fail_msg("sample %d cut to %zu of %zu bytes passed as sound", k, n, s.n);
			xb_facts_release(&f);
		}
	}
}

/* Every byte and every aligned field of each header region set to
 * hostile values. */
static void every_field(void **state)
{
	/* small, sign-bit, all-ones and page-sized values */
	static const uint64_t vals[] = { 0, 0x80, 0xff, 0x7fffffff, 0xffffffffu,
					 0x8000000000000000ull, 0xffffffffffffffffull,
					 0x1000 };
	smp s;
	unsigned char keep[8];
	unsigned long runs = 0;

	(void)state;
	for (int k = 0; k < NSAMPLES; k++) {
		samples(&s, k);
		for (size_t off = 0; off < s.n; off++) {
			/* the fat file: its header and the first slice's
			 * headers; the rest repeats the thin sample */
			if ((k == 5 || k == 9) && off >= 0x200 && (off < 0x1000 || off >= 0x1200))
				continue;
			for (int w = 1; w <= 8; w *= 2) {
				if (off % (size_t)w || off + (size_t)w > s.n)
					continue;
				for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
					xb_facts f;
					xb_err err = XB_ERR_INIT;

					if (w == 1 && vals[v] > 0xff)
						continue;
					/* skip bytes no parser reads (zero padding) */
					if (w > 1 && off > 0x100 && !memcmp(s.b + off, "\0\0\0\0\0\0\0\0", (size_t)w) && (off & 63))
						continue;
					/* mutate in place and restore: no copies */
					memcpy(keep, s.b + off, (size_t)w);
					sp(&s, off, vals[v], w);
					probe(s.b, s.n, &f, &err);
					memcpy(s.b + off, keep, (size_t)w);
					xb_facts_release(&f);
					runs++;
				}
			}
		}
	}
	printf("# %lu mutated inputs\n", runs);
}

/* A real library whose dynamic string table is read string by string
 * (over 4 KiB) and whose imports are found through its GNU hash: its
 * headers, hash table, symbols and section headers damaged word by word. */
static void real_library_fields(void **state)
{
	static const uint32_t vals[] = { 0, 0xffffffffu, 0x80000000u, 0x1000 };
	const char *top = getenv("TOP");
	static unsigned char b[65536];
	char path[4096];
	xb_buf buf;
	xb_err err = XB_ERR_INIT;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/fuzz_elf/real-lib-big-dynstr",
		 top ? top : ".");
	xb_buf_init(&buf, sizeof(b));
	if (xb_buf_read_file(&buf, path, &err))
		fail_msg("%s", xb_errmsg(&err));
	n = buf.len;
	memcpy(b, buf.data, n);
	xb_buf_release(&buf);
	for (size_t off = 0; off + 4 <= n; off += 4) {
		if (off >= 0x4000 && off < n - 0x1000)
			continue;
		for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
			unsigned char keep[4];
			xb_facts f;

			memcpy(keep, b + off, 4);
			memcpy(b + off, &vals[v], 4);
			probe(b, n, &f, &err);
			xb_facts_release(&f);
			memcpy(b + off, keep, 4);
		}
	}
}

static void elf_checklist(void **state)
{
	const size_t e64 = 64;
	smp s;

	(void)state;
	/* 1. shorter than EI_NIDENT or the Ehdr */
	smp_elf(&s, &elf_default);
	s.n = 10;
	EXPECT_SAYS(&s, "truncated ELF identification");
	s.n = 40;
	EXPECT_SAYS(&s, "truncated ELF header");
	/* 2. bad class, data, version; unknown machine */
	smp_elf(&s, &elf_default);
	s.b[4] = 3;
	EXPECT_SAYS(&s, "bad ELF class 3");
	smp_elf(&s, &elf_default);
	s.b[5] = 0;
	EXPECT_SAYS(&s, "bad ELF data encoding 0");
	smp_elf(&s, &elf_default);
	s.b[6] = 2;
	EXPECT_SAYS(&s, "bad ELF version 2");
	smp_elf(&s, &elf_default);
	P16(&s, 18, 0x4242);
	EXPECT_SAYS(&s, "unknown ELF machine 16962");
	/* 3. entry sizes */
	smp_elf(&s, &elf_default);
	P16(&s, 54, 32);
	EXPECT_SAYS(&s, "program header size 32 (expected 56)");
	smp_elf(&s, &elf_default);
	P16(&s, 58, 40);
	EXPECT_SAYS(&s, "section header size 40 (expected 64)");
	/* 4. tables past EOF, overflowing, at 0, overlapping the header */
	smp_elf(&s, &elf_default);
	P64(&s, 32, 0xfffffffffffffff0ull);
	EXPECT_SAYS(&s, "program headers at 18446744073709551600 past the end");
	smp_elf(&s, &elf_default);
	P64(&s, 32, 0);
	EXPECT_SAYS(&s, "program headers at offset 0");
	smp_elf(&s, &elf_default);
	P64(&s, 40, 8);
	EXPECT_SAYS(&s, "overlap the ELF header");
	smp_elf(&s, &elf_default);
	P64(&s, 40, s.n - 10);
	EXPECT_SAYS(&s, "section headers at");
	/* shoff 0 is legal (no sections): stripped is unknown, not "stripped" */
	{
		xb_facts f;
		xb_err err = XB_ERR_INIT;

		smp_elf(&s, &elf_default);
		P64(&s, 40, 0);
		assert_int_equal(probe(s.b, s.n, &f, &err), XB_OK);
		assert_int_equal(f.stripped, XB_NA);
		assert_string_equal(f.linkage, "dynamic");
		xb_facts_release(&f);
	}
	/* 5. shstrndx out of range */
	smp_elf(&s, &elf_default);
	P16(&s, 62, 40);
	EXPECT_SAYS(&s, "section name table index 40 out of range");
	/* 6. huge counts */
	smp_elf(&s, &elf_default);
	P16(&s, 56, 0xfff0);
	EXPECT_SAYS(&s, "65520 program headers");
	smp_elf(&s, &elf_default);
	P16(&s, 60, 0);
	P64(&s, S_SHOFF + 32, 1u << 30); /* extended count in section 0 */
	EXPECT_SAYS(&s, "1073741824 section headers");
	/* 7. names out of range, unterminated string tables */
	smp_elf(&s, &elf_default);
	P32(&s, S_SHOFF + 64, 0x100000);
	EXPECT_SAYS(&s, "section name at 1048576 outside");
	smp_elf(&s, &elf_default);
	P64(&s, S_DYN + 16 * 4 + 8, DS_SOFOO + 5); /* DT_STRSZ cuts libfoo */
	P64(&s, S_DYN + 8, DS_SOFOO);              /* NEEDED -> libfoo */
	EXPECT_SAYS(&s, "runs off the end of DT_STRTAB");
	/* 8. section past EOF, offset overflow */
	smp_elf(&s, &elf_default);
	P64(&s, S_SHOFF + 64 * 6 + 24, 0xffffffffffffff00ull);
	EXPECT_SAYS(&s, "runs past the end of the file");
	/* 9. entsize 0, links out of range */
	smp_elf(&s, &elf_default);
	P64(&s, S_SHOFF + 64 * 6 + 56, 0);
	EXPECT_SAYS(&s, "has entry size 0");
	smp_elf(&s, &elf_default);
	P32(&s, S_SHOFF + 64 * 6 + 40, 99);
	EXPECT_SAYS(&s, "links to section 99");
	/* 10. PT_DYNAMIC outside the file, oversized, no DT_NULL, moved */
	smp_elf(&s, &elf_default);
	P64(&s, S_PHOFF + 56 * 4 + 8, 0x100000);
	EXPECT_SAYS(&s, "dynamic segment at 1048576");
	smp_elf(&s, &elf_default);
	P64(&s, S_PHOFF + 56 * 4 + 32, 1ull << 40);
	EXPECT_SAYS(&s, "dynamic segment of 1099511627776 bytes");
	smp_elf(&s, &elf_default);
	for (size_t o = S_DYN; o < S_DYN + 0x100; o += 16)
		if (!memcmp(s.b + o, "\0\0\0\0\0\0\0\0", 8))
			P64(&s, o, 21); /* every DT_NULL becomes DT_DEBUG */
	EXPECT_SAYS(&s, "no DT_NULL terminator");
	smp_elf(&s, &elf_default);
	P64(&s, S_PHOFF + 56 * 4 + 8, S_DYN + 16);
	EXPECT_SAYS(&s, "the .dynamic section (at 768) and PT_DYNAMIC (at 784) disagree");
	/* 11. DT_STRTAB outside every PT_LOAD; NEEDED offset past DT_STRSZ */
	smp_elf(&s, &elf_default);
	P64(&s, S_DYN + 16 * 3 + 8, 0x10);
	EXPECT_SAYS(&s, "DT_STRTAB 0x10 is not inside any PT_LOAD");
	smp_elf(&s, &elf_default);
	P64(&s, S_DYN + 8, 5000);
	EXPECT_SAYS(&s, "DT_NEEDED string at 5000 outside DT_STRTAB");
	/* 12. PT_INTERP unterminated, empty, oversized, twice */
	smp_elf(&s, &elf_default);
	memset(s.b + S_INTERP, 'x', 27);
	EXPECT_SAYS(&s, "PT_INTERP is empty or not NUL-terminated");
	smp_elf(&s, &elf_default);
	P64(&s, S_PHOFF + 56 + 32, 0);
	EXPECT_SAYS(&s, "PT_INTERP at 512 (0 bytes) is empty");
	smp_elf(&s, &elf_default);
	P64(&s, S_PHOFF + 56 + 32, 1u << 20);
	EXPECT_SAYS(&s, "too long or outside the file");
	smp_elf(&s, &elf_default);
	memcpy(s.b + S_PHOFF + 56 * 6, s.b + S_PHOFF + 56, 56); /* GNU_STACK -> INTERP */
	EXPECT_SAYS(&s, "more than one PT_INTERP");
	/* 13. notes: huge sizes, build id too long, note floods */
	smp_elf(&s, &elf_default);
	P32(&s, S_NOTES + 4, 0xfffffff0u);
	EXPECT_SAYS(&s, "runs past its section");
	smp_elf(&s, &elf_default);
	P32(&s, S_NOTES, 0x80000000u);
	EXPECT_SAYS(&s, "runs past its section");
	smp_elf(&s, &elf_default);
	P32(&s, S_NOTES + 4, 24);
	P32(&s, S_NOTES + 36, 0); /* keep the walk in bounds */
	EXPECT_SAYS(&s, "GNU build id of 24 bytes");
	{
		/* 8-byte aligned notes (p_align 8) parse like GNU ld's */
		xb_facts f;
		xb_err err = XB_ERR_INIT;
		elf_opts o = elf_default;

		o.sections = 0;
		smp_elf(&s, &o);
		P32(&s, S_NOTES + 36, 0); /* only the build id, 36 bytes: no padding change */
		P64(&s, S_PHOFF + 56 * 5 + 48, 8);
		assert_int_equal(probe(s.b, s.n, &f, &err), XB_OK);
		assert_non_null(f.gnu_build_id);
		xb_facts_release(&f);
	}
	{
		/* 300 empty notes in a section: capped and named */
		elf_opts o = elf_default;

		o.sections = 0;
		smp_elf(&s, &o);
		memset(s.b + S_NOTES, 0, 0x60);
		P64(&s, S_PHOFF + 56 * 5 + 32, 12 * 300);
		P64(&s, S_PHOFF + 56 * 5 + 8, 0x800);
		memset(s.b + 0x800, 0, 12 * 300);
		s.n = 0x800 + 12 * 300;
		EXPECT_SAYS(&s, "more than 256 notes");
	}
	/* 14. SHF_COMPRESSED with a 1 TiB ch_size: detected, not inflated
	 * (the default sample has it; ASan would catch a huge allocation) */
	{
		xb_facts f;
		xb_err err = XB_ERR_INIT;

		smp_elf(&s, &elf_default);
		assert_int_equal(probe(s.b, s.n, &f, &err), XB_OK);
		assert_true(f.debug_compressed);
		xb_facts_release(&f);
	}
	/* 15. no PT_LOAD; PT_LOAD past EOF */
	smp_elf(&s, &elf_default);
	P32(&s, S_PHOFF + 56 * 2, 0x70000000u);
	P32(&s, S_PHOFF + 56 * 3, 0x70000000u);
	EXPECT_SAYS(&s, "no loadable segment");
	smp_elf(&s, &elf_default);
	P64(&s, S_PHOFF + 56 * 3 + 32, S_ELF_END);
	EXPECT_SAYS(&s, "PT_LOAD at 1280 (2816 bytes) runs past the end of the file (truncated?)");
	(void)e64;
}

static void goinfo_checklist(void **state)
{
	smp s;

	(void)state;
	/* 16. misaligned magic in .go.buildinfo: named, not silently absent */
	smp_elf(&s, &elf_default);
	memmove(s.b + S_BUILDINFO + 4, s.b + S_BUILDINFO, 0x100);
	memset(s.b + S_BUILDINFO, 0, 4);
	EXPECT_SAYS(&s, "a .go.buildinfo section without Go build info");
	/* varint overrun */
	smp_elf(&s, &elf_default);
	memset(s.b + S_BUILDINFO + 32, 0xff, 10);
	EXPECT_SAYS(&s, "build info lengths run past the section");
	/* a length beyond the section */
	smp_elf(&s, &elf_default);
	P8(&s, S_BUILDINFO + 32 + 9, 0xff);
	P8(&s, S_BUILDINFO + 32 + 10, 0x7f);
	EXPECT_SAYS(&s, "build info lengths run past the section");
	/* bad pointer size */
	smp_elf(&s, &elf_default);
	P8(&s, S_BUILDINFO + 14, 16);
	EXPECT_SAYS(&s, "bad pointer size 16");
	/* an empty Go version: Go's own reader says no Go binary */
	smp_elf(&s, &elf_default);
	P8(&s, S_BUILDINFO + 32, 0);
	EXPECT_SAYS(&s, "build info without a Go version");
	/* unmapped pointers in the old layout */
	{
		elf_opts o = elf_default;

		o.go = 2;
		smp_elf(&s, &o);
		P64(&s, S_BUILDINFO + 16, 0x10);
		EXPECT_SAYS(&s, "string header at 0x10 is not mapped");
		smp_elf(&s, &o);
		P64(&s, S_BUILDINFO + 32, 0xdead0000);
		EXPECT_SAYS(&s, "string data at 0xdead0000");
		smp_elf(&s, &o);
		P64(&s, S_BUILDINFO + 40, 1ull << 40);
		EXPECT_SAYS(&s, "string data at");
	}
	/* bad framing: no sentinels is still read, but never past its length */
	{
		xb_goinfo g;

		xb_goinfo_init(&g);
		assert_int_equal(xb_goinfo_parse_mod(&g, "path\tx\nmod\ty\tv1\t", 16), XB_OK);
		assert_string_equal(g.path, "x");
		assert_string_equal(g.main.version, "v1");
		xb_goinfo_release(&g);
	}
}

static void macho_checklist(void **state)
{
	smp s;

	(void)state;
	/* 17. cmdsize < 8, unaligned, past sizeofcmds */
	smp_macho(&s, 0x0100000c);
	P32(&s, 32 + 4, 0);
	EXPECT_SAYS(&s, "load command 0 has size 0");
	smp_macho(&s, 0x0100000c);
	P32(&s, 32 + 4, 153);
	EXPECT_SAYS(&s, "load command 0 has size 153");
	smp_macho(&s, 0x0100000c);
	P32(&s, 32 + 4, 0x10000);
	EXPECT_SAYS(&s, "load command 0 has size 65536");
	smp_macho(&s, 0x0100000c);
	P32(&s, 20, 0x7fffffff);
	EXPECT_SAYS(&s, "too many");
	smp_macho(&s, 0x0100000c);
	P32(&s, 20, 0x10000);
	EXPECT_SAYS(&s, "run past the end of the file");
	smp_macho(&s, 0x0100000c);
	P32(&s, 16, 100); /* more commands than sizeofcmds holds */
	EXPECT_SAYS(&s, "past sizeofcmds");
	/* lc_str offset >= cmdsize */
	smp_macho(&s, 0x0100000c);
	P32(&s, 32 + 304 + 8, 200);
	EXPECT_SAYS(&s, "dylinker name at 200 outside its load command");
	/* lc_str without a NUL inside the command */
	smp_macho(&s, 0x0100000c);
	memset(s.b + 32 + 304 + 12, 'x', 20);
	EXPECT_SAYS(&s, "dylinker name at 12 outside");
	/* nsects larger than the command */
	smp_macho(&s, 0x0100000c);
	P32(&s, 32 + 64, 1000);
	EXPECT_SAYS(&s, "segment claims 1000 sections");
	/* segment past EOF */
	smp_macho(&s, 0x0100000c);
	P64(&s, 32 + 152 + 48, 0x100000);
	EXPECT_SAYS(&s, "segment at 1024 (1048576 bytes) runs past the end");
	/* fat: huge nfat_arch, slice past EOF */
	smp_fat(&s);
	P32(&s, 4, 0x10000);
	EXPECT_SAYS(&s, "fat header with 65536 architectures");
	smp_fat(&s);
	P32(&s, 36, 0xfffff000u);
	EXPECT_SAYS(&s, "slice 1 at 4294963200");
	smp_fat(&s);
	P32(&s, 40, 0xffffffffu);
	EXPECT_SAYS(&s, "is outside the file");
}

static void pe_checklist(void **state)
{
	smp s;

	(void)state;
	/* 18. e_lfanew past EOF */
	smp_pe(&s);
	P32(&s, 0x3c, 0xfffffff0u);
	EXPECT_SAYS(&s, "without a PE header");
	smp_pe(&s);
	s.n = 0x30;
	EXPECT_SAYS(&s, "truncated MZ header");
	/* NumberOfSections > 96 */
	smp_pe(&s);
	P16(&s, PE_LFANEW + 6, 1000);
	EXPECT_SAYS(&s, "1000 sections (more than 96)");
	/* NumberOfRvaAndSizes > 16 */
	smp_pe(&s);
	P32(&s, PE_LFANEW + 24 + 108, 0x10000);
	EXPECT_SAYS(&s, "NumberOfRvaAndSizes 65536");
	/* import RVA in no section */
	smp_pe(&s);
	P32(&s, PE_LFANEW + 24 + 112 + 8, 0x90000);
	EXPECT_SAYS(&s, "import descriptor 0 at RVA 0x90000 is not in any section");
	/* an unterminated descriptor list runs off its section */
	smp_pe(&s);
	for (int i = 1; i < 30; i++)
		memcpy(s.b + 0x800 + (size_t)i * 20, s.b + 0x800, 20);
	EXPECT_SAYS(&s, "is not in any section");
	/* an unterminated DLL name */
	smp_pe(&s);
	memset(s.b + 0x900, 'A', 0x100);
	EXPECT_SAYS(&s, "DLL name at RVA 0x3100 is unmapped or unterminated");
	/* a section past EOF */
	smp_pe(&s);
	P32(&s, PE_SECT + 40 + 20, 0xfffff000u);
	EXPECT_SAYS(&s, "section '.data' at 4294963200");
	/* bad optional header magic */
	smp_pe(&s);
	P16(&s, PE_LFANEW + 24, 0x999);
	EXPECT_SAYS(&s, "bad optional header magic 0x999");
}

/* Non-regular files never block: a FIFO without a writer. */
static void fifo_does_not_block(void **state)
{
	char dir[] = "/tmp/xbuild-hostile.XXXXXX", path[64];
	xb_err err = XB_ERR_INIT;
	xb_facts f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	xb_facts_init(&f);
	alarm(10); /* a hang ends the test instead of the run */
	assert_int_equal(xb_inspect(path, &f, &err), XB_ERR_UNSUPPORTED);
	alarm(0);
	assert_string_equal(err.msg, "not a regular file");
	xb_facts_release(&f);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_truncation),
		cmocka_unit_test(every_field),
		cmocka_unit_test(real_library_fields),
		cmocka_unit_test(elf_checklist),
		cmocka_unit_test(goinfo_checklist),
		cmocka_unit_test(macho_checklist),
		cmocka_unit_test(pe_checklist),
		cmocka_unit_test(fifo_does_not_block),
	};
	return RUN(tests);
}
