/* test_reprodiff.c: naming where two builds differ (ELF, PE and Mach-O
 * sections from hand-made images, hostile headers), comparing files, and
 * the release helpers of manifest.c and shard.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "bin/reprodiff.h"
#include "manifest.h"

static void put(unsigned char *p, uint64_t v, int n, bool be)
{
	for (int i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static char *at(const unsigned char *img, size_t n, uint64_t off)
{
	xb_src s;

	xb_src_mem(&s, img, n);
	return xb_section_at(&s, off);
}

static void expect_at(const unsigned char *img, size_t n, uint64_t off,
		      const char *want)
{
	char *got = at(img, n, off);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/*
 * An ELF image: header at 0, 2 program headers, .text at 0x200 (0x100
 * bytes), .data at 0x300 (0x80), .bss (NOBITS) claiming 0x300 too,
 * .shstrtab at 0x380, section headers at 0x400.
 */
static size_t make_elf(unsigned char *img, size_t cap, bool is64, bool be)
{
	static const char strtab[] = "\0.text\0.data\0.bss\0.shstrtab";
	size_t ehsize = is64 ? 64 : 52, phent = is64 ? 56 : 32,
	       shent = is64 ? 64 : 40, shoff = 0x400, n = shoff + 5 * shent;
	struct { uint32_t name, type; uint64_t off, size; } sh[5] = {
		{ 0, 0, 0, 0 },
		{ 1, 1, 0x200, 0x100 },
		{ 7, 1, 0x300, 0x80 },
		{ 13, 8, 0x300, 0x1000 },
		{ 18, 3, 0x380, sizeof(strtab) },
	};

	assert_true(n <= cap);
	memset(img, 0, n);
	memcpy(img, "\177ELF", 4);
	img[4] = is64 ? 2 : 1;
	img[5] = be ? 2 : 1;
	img[6] = 1;
	put(img + (is64 ? 32 : 28), ehsize, is64 ? 8 : 4, be);      /* phoff */
	put(img + (is64 ? 40 : 32), shoff, is64 ? 8 : 4, be);       /* shoff */
	put(img + (is64 ? 54 : 42), phent, 2, be);
	put(img + (is64 ? 56 : 44), 2, 2, be);
	put(img + (is64 ? 58 : 46), shent, 2, be);
	put(img + (is64 ? 60 : 48), 5, 2, be);
	put(img + (is64 ? 62 : 50), 4, 2, be);
	memcpy(img + 0x380, strtab, sizeof(strtab));
	for (size_t i = 0; i < 5; i++) {
		unsigned char *h = img + shoff + i * shent;
		put(h, sh[i].name, 4, be);
		put(h + 4, sh[i].type, 4, be);
		put(h + (is64 ? 24 : 16), sh[i].off, is64 ? 8 : 4, be);
		put(h + (is64 ? 32 : 20), sh[i].size, is64 ? 8 : 4, be);
	}
	return n;
}

static void test_elf_sections(void **state)
{
	unsigned char img[0x800];
	(void)state;

	for (int v = 0; v < 3; v++) {
		bool is64 = v != 1, be = v == 2;
		size_t n = make_elf(img, sizeof(img), is64, be);

		expect_at(img, n, 0, "ELF header");
		expect_at(img, n, is64 ? 63 : 51, "ELF header");
		expect_at(img, n, is64 ? 64 : 52, "program headers");
		expect_at(img, n, 0x200, "section .text");
		expect_at(img, n, 0x2ff, "section .text");
		/* .bss occupies no file bytes: .data holds 0x300 */
		expect_at(img, n, 0x300, "section .data");
		expect_at(img, n, 0x390, "section .shstrtab");
		expect_at(img, n, 0x400, "section headers");
		expect_at(img, n, 0x1f0, NULL);
	}
}

static void test_elf_hostile(void **state)
{
	unsigned char img[0x800];
	size_t n;
	char *s;
	(void)state;

	/* a name index past the string table */
	n = make_elf(img, sizeof(img), true, false);
	put(img + 0x400 + 64, 0xffffff, 4, false);
	expect_at(img, n, 0x200, "section ?");
	/* section headers past the end of the file */
	n = make_elf(img, sizeof(img), true, false);
	put(img + 40, 0xfffffffffffff000ull, 8, false);
	assert_null(at(img, n, 0x200));
	/* a huge section count, a tiny entry size */
	n = make_elf(img, sizeof(img), true, false);
	put(img + 60, 0xffff, 2, false);
	assert_null(at(img, n, 0x200));
	n = make_elf(img, sizeof(img), true, false);
	put(img + 58, 8, 2, false);
	assert_null(at(img, n, 0x200));
	/* no shstrtab: sections without names */
	n = make_elf(img, sizeof(img), true, false);
	put(img + 62, 0, 2, false);
	expect_at(img, n, 0x200, "section ?");
	/* a string table name without its NUL, and unprintable bytes */
	n = make_elf(img, sizeof(img), true, false);
	memset(img + 0x381, 0x01, 0x7f);
	s = at(img, n, 0x200);
	assert_non_null(s);
	/* read no further than the table: 27 bytes after index 1 */
	assert_int_equal(strlen(s), strlen("section ") + 27);
	assert_int_equal(strspn(s + 8, "?"), 27);
	free(s);
	/* truncated: only the header is readable */
	n = make_elf(img, sizeof(img), true, false);
	assert_null(at(img, 64, 0x200));
	/* not a binary at all */
	assert_null(at((const unsigned char *)"hello, this is text, not code "
		       "at all, long enough to read 64 bytes of header", 76, 3));
}

/* A PE: DOS header, "PE\0\0" at 0x80, COFF header, an optional header of
 * 0xf0 bytes, two sections: .text at 0x400 (0x200), .rdata at 0x600. */
static size_t make_pe(unsigned char *img)
{
	size_t n = 0x800;
	unsigned char *sec;

	memset(img, 0, n);
	img[0] = 'M';
	img[1] = 'Z';
	put(img + 0x3c, 0x80, 4, false);
	memcpy(img + 0x80, "PE\0\0", 4);
	put(img + 0x80 + 6, 2, 2, false);
	put(img + 0x80 + 20, 0xf0, 2, false);
	sec = img + 0x80 + 24 + 0xf0;
	memcpy(sec, ".text", 5);
	put(sec + 16, 0x200, 4, false);
	put(sec + 20, 0x400, 4, false);
	memcpy(sec + 40, ".rdata\0\0", 8);
	put(sec + 40 + 16, 0x200, 4, false);
	put(sec + 40 + 20, 0x600, 4, false);
	return n;
}

static void test_pe_sections(void **state)
{
	unsigned char img[0x800];
	size_t n = make_pe(img);
	(void)state;

	expect_at(img, n, 0x10, "DOS header");
	expect_at(img, n, 0x90, "PE headers");
	expect_at(img, n, 0x80 + 24 + 0xf0 + 3, "section table");
	expect_at(img, n, 0x400, "section .text");
	expect_at(img, n, 0x7ff, "section .rdata");
	expect_at(img, n, 0x300, NULL);
	/* the PE signature missing */
	img[0x80] = 'X';
	assert_null(at(img, n, 0x400));
}

/* A thin 64-bit Mach-O: one LC_SEGMENT_64 __TEXT (file 0..0x1000) with
 * __text at 0x800 (0x100 bytes). */
static size_t make_macho(unsigned char *img)
{
	size_t n = 0x1000;
	unsigned char *lc = img + 32;

	memset(img, 0, n);
	put(img, 0xfeedfacf, 4, false);
	put(img + 16, 1, 4, false);           /* ncmds */
	put(img + 20, 72 + 80, 4, false);     /* sizeofcmds */
	put(lc, 0x19, 4, false);
	put(lc + 4, 72 + 80, 4, false);
	memcpy(lc + 8, "__TEXT", 6);
	put(lc + 40, 0, 8, false);
	put(lc + 48, 0x1000, 8, false);
	put(lc + 64, 1, 4, false);
	memcpy(lc + 72, "__text", 6);
	memcpy(lc + 72 + 16, "__TEXT", 6);
	put(lc + 72 + 40, 0x100, 8, false);
	put(lc + 72 + 48, 0x800, 4, false);
	return n;
}

static void test_macho_sections(void **state)
{
	unsigned char img[0x1000];
	size_t n = make_macho(img);
	(void)state;

	expect_at(img, n, 4, "Mach-O header");
	expect_at(img, n, 40, "load commands");
	expect_at(img, n, 0x880, "section __TEXT,__text");
	expect_at(img, n, 0x400, "segment __TEXT");
	/* a load command of size 0 stops the walk */
	put(img + 32 + 4, 0, 4, false);
	assert_null(at(img, n, 0x880));
}

static char *tmpfile_with(const void *data, size_t n)
{
	char *p = strdup("/tmp/xbuild-reprodiff-XXXXXX");
	int fd = mkstemp(p);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return p;
}

static void test_file_diff(void **state)
{
	unsigned char a[0x800], b[0x800];
	size_t n = make_elf(a, sizeof(a), true, false);
	char *pa, *pb, *pc, *where = NULL;
	xb_err err = XB_ERR_INIT;
	uint64_t off = 0;
	bool same = false;
	(void)state;

	memcpy(b, a, n);
	pa = tmpfile_with(a, n);
	pb = tmpfile_with(b, n);
	assert_int_equal(xb_file_diff(pa, pb, &same, &off, &where, &err), XB_OK);
	assert_true(same);
	assert_null(where);
	free(pb);

	b[0x250] ^= 1;
	pb = tmpfile_with(b, n);
	assert_int_equal(xb_file_diff(pa, pb, &same, &off, &where, &err), XB_OK);
	assert_false(same);
	assert_int_equal(off, 0x250);
	assert_string_equal(where, "section .text");
	free(where);

	/* one a prefix of the other: they differ where the shorter ends */
	pc = tmpfile_with(a, 0x300);
	assert_int_equal(xb_file_diff(pa, pc, &same, &off, NULL, &err), XB_OK);
	assert_false(same);
	assert_int_equal(off, 0x300);

	assert_int_equal(xb_file_diff(pa, "/nonexistent/x", &same, &off, NULL,
				      &err), XB_ERR_IO);
	assert_non_null(strstr(xb_errmsg(&err), "/nonexistent/x"));
	unlink(pa);
	unlink(pb);
	unlink(pc);
	free(pa);
	free(pb);
	free(pc);
}

static void test_manifest_set(void **state)
{
	char dir[] = "/tmp/xbuild-mset-XXXXXX", path[64];
	xb_strv m = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	xb_manifest *mf;
	xb_buf text = XB_BUF_INIT;
	(void)state;

	assert_non_null(mkdtemp(dir));
	xb_strv_push(&m, "linux/amd64");
	mf = xb_manifest_new("app", "1.0", "abc", 42, &m, 1, 1);
	assert_non_null(mf);
	assert_int_equal(xb_manifest_set(mf, "source", "{\"dirty\": true}", &err),
			 XB_OK);
	assert_int_equal(xb_manifest_set(mf, "tools", "{\"go\": \"go1.19.8\"}",
					 &err), XB_OK);
	assert_int_equal(xb_manifest_set(mf, "note", "\"text\"", &err), XB_OK);
	assert_int_equal(xb_manifest_set(mf, "bad", "{nope", &err), XB_ERR_FORMAT);
	assert_int_equal(xb_manifest_write(mf, dir, &err), XB_OK);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	assert_int_equal(xb_buf_read_file(&text, path, &err), XB_OK);
	/* source keeps revision and epoch and gains dirty */
	assert_non_null(strstr(xb_buf_str(&text), "\"dirty\": true"));
	assert_non_null(strstr(xb_buf_str(&text), "\"revision\": \"abc\""));
	assert_non_null(strstr(xb_buf_str(&text), "\"epoch\": 42"));
	assert_non_null(strstr(xb_buf_str(&text), "\"go\": \"go1.19.8\""));
	assert_null(strstr(xb_buf_str(&text), "\"bad\""));
	xb_buf_release(&text);
	xb_manifest_free(mf);
	xb_strv_release(&m);
	assert_int_equal(xb_rm_rf(dir, &err), XB_OK);
}

static void test_shard_weight(void **state)
{
	xb_target t;
	(void)state;

	memset(&t, 0, sizeof(t));
	assert_int_equal(xb_shard_weight(&t), 1);
	t.s.cgo = (char *)"off";
	assert_int_equal(xb_shard_weight(&t), 1);
	t.s.cgo = (char *)"auto";
	assert_int_equal(xb_shard_weight(&t), 1);
	t.s.cgo = (char *)"on";
	assert_int_equal(xb_shard_weight(&t), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_sections),
		cmocka_unit_test(test_elf_hostile),
		cmocka_unit_test(test_pe_sections),
		cmocka_unit_test(test_macho_sections),
		cmocka_unit_test(test_file_diff),
		cmocka_unit_test(test_manifest_set),
		cmocka_unit_test(test_shard_weight),
	};
	return RUN(tests);
}
