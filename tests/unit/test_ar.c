/* test_ar.c: the archive symbol index reader, on archives made by ar and
 * by hand (BSD, 64-bit), and on hostile ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "bin/ar.h"

static char tmp[] = "/tmp/xb-test-ar.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return xb_rm_rf(tmp, NULL) == XB_OK ? 0 : -1;
}

static void sh(const char *const *argv)
{
	xb_err err = XB_ERR_INIT;
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	int code = -1;

	so.cwd = tmp;
	assert_int_equal(xb_run(argv, &so, NULL, NULL, &code, &err), XB_OK);
	assert_int_equal(code, 0);
}

static void write_file(const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void gnu_archive_from_ar(void **state)
{
	const char *cc1[] = { "cc", "-c", "-o", "a.o", "a.c", NULL };
	const char *cc2[] = { "cc", "-c", "-o", "b.o", "b.c", NULL };
	const char *ar[] = { "ar", "rcs", "libab.a", "a.o", "b.o", NULL };
	const char *ars[] = { "ar", "rcS", "libnoidx.a", "a.o", NULL };
	const char *a = "int alpha_fn(void) { return 1; }\nint alpha_data = 3;\n";
	const char *b = "static int hidden(void) { return 2; }\n"
			"int beta_fn(void) { return hidden(); }\n";
	char path[256];
	xb_ar_symtab st;
	xb_err err = XB_ERR_INIT;

	(void)state;
	write_file("a.c", a, strlen(a));
	write_file("b.c", b, strlen(b));
	sh(cc1);
	sh(cc2);
	sh(ar);
	sh(ars);
	xb_ar_symtab_init(&st);
	snprintf(path, sizeof(path), "%s/libab.a", tmp);
	assert_int_equal(xb_ar_symtab_read(&st, path, &err), XB_OK);
	assert_int_equal(st.format, XB_AR_GNU);
	assert_false(st.thin);
	assert_int_equal(st.names.n, 3);
	assert_true(xb_ar_symtab_has(&st, "alpha_fn"));
	assert_true(xb_ar_symtab_has(&st, "alpha_data"));
	assert_true(xb_ar_symtab_has(&st, "beta_fn"));
	assert_false(xb_ar_symtab_has(&st, "hidden"));
	/* alpha's are in the first member, beta in the second */
	assert_int_equal(st.offsets[0], st.offsets[1]);
	assert_true(st.offsets[2] > st.offsets[0]);
	snprintf(path, sizeof(path), "%s/libnoidx.a", tmp);
	assert_int_equal(xb_ar_symtab_read(&st, path, &err), XB_OK);
	assert_int_equal(st.format, XB_AR_NONE);
	assert_int_equal(st.names.n, 0);
	snprintf(path, sizeof(path), "%s/a.c", tmp);
	assert_int_equal(xb_ar_symtab_read(&st, path, &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "not an ar archive"));
	snprintf(path, sizeof(path), "%s/missing.a", tmp);
	assert_int_equal(xb_ar_symtab_read(&st, path, &err), XB_ERR_NOTFOUND);
	xb_ar_symtab_release(&st);
}

/* ---- archives built by hand ------------------------------------------ */

typedef struct img {
	unsigned char d[4096];
	size_t n;
} img;

static void put(img *m, const void *p, size_t n)
{
	assert_true(m->n + n <= sizeof(m->d));
	memcpy(m->d + m->n, p, n);
	m->n += n;
}

static void hdr(img *m, const char *name, size_t size)
{
	char h[61];

	snprintf(h, sizeof(h), "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", name, "0", "0",
		 "0", "644", size);
	put(m, h, 60);
}

static void be32(img *m, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };
	put(m, b, 4);
}

static void be64(img *m, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	put(m, b, 8);
}

static void le32(img *m, uint32_t v)
{
	unsigned char b[4] = { v, v >> 8, v >> 16, v >> 24 };
	put(m, b, 4);
}

static void le64(img *m, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(m, b, 8);
}

/* A member after the index, at offset off, so the offsets are valid. */
static void tail_member(img *m)
{
	hdr(m, "x.o/", 4);
	put(m, "ELF!", 4);
}

/* GNU 64-bit: "/SYM64/", count, offsets, names. */
static size_t make_sym64(img *m)
{
	const char names[] = "one\0two\0";
	size_t body = 8 + 2 * 8 + sizeof(names) - 1, off;

	m->n = 0;
	put(m, "!<arch>\n", 8);
	off = 8 + 60 + body + (body & 1);
	hdr(m, "/SYM64/", body);
	be64(m, 2);
	be64(m, off);
	be64(m, off);
	put(m, names, sizeof(names) - 1);
	if (body & 1)
		put(m, "\n", 1);
	tail_member(m);
	return off;
}

/* BSD: "__.SYMDEF SORTED" behind a "#1/20" long name, little-endian. */
static size_t make_bsd(img *m, bool wide)
{
	const char strtab[] = "_foo\0_bar\0\0\0"; /* 12 bytes */
	const char *name = wide ? "__.SYMDEF_64\0\0\0\0\0\0\0\0"
				: "__.SYMDEF SORTED\0\0\0\0";
	int w = wide ? 8 : 4;
	size_t body = 20 + (size_t)w + 2 * 2 * (size_t)w + (size_t)w + 12, off;

	m->n = 0;
	put(m, "!<arch>\n", 8);
	off = 8 + 60 + body;
	hdr(m, "#1/20", body);
	put(m, name, 20);
	if (wide) {
		le64(m, 32);
		le64(m, 0); le64(m, off);
		le64(m, 5); le64(m, off);
		le64(m, 12);
	} else {
		le32(m, 16);
		le32(m, 0); le32(m, (uint32_t)off);
		le32(m, 5); le32(m, (uint32_t)off);
		le32(m, 12);
	}
	put(m, strtab, 12);
	tail_member(m);
	return off;
}

static void handmade_formats(void **state)
{
	xb_ar_symtab st;
	xb_err err = XB_ERR_INIT;
	img m;
	size_t off;

	(void)state;
	xb_ar_symtab_init(&st);
	off = make_sym64(&m);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_OK);
	assert_int_equal(st.format, XB_AR_GNU64);
	assert_int_equal(st.names.n, 2);
	assert_string_equal(st.names.v[1], "two");
	assert_int_equal(st.offsets[0], off);

	off = make_bsd(&m, false);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_OK);
	assert_int_equal(st.format, XB_AR_BSD);
	assert_int_equal(st.names.n, 2);
	assert_string_equal(st.names.v[0], "_foo");
	assert_string_equal(st.names.v[1], "_bar");
	assert_int_equal(st.offsets[1], off);

	make_bsd(&m, true);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_OK);
	assert_int_equal(st.format, XB_AR_BSD64);
	assert_true(xb_ar_symtab_has(&st, "_bar"));

	/* the file reader on a handmade one */
	write_file("bsd.a", m.d, m.n);
	{
		char path[256];
		snprintf(path, sizeof(path), "%s/bsd.a", tmp);
		assert_int_equal(xb_ar_symtab_read(&st, path, &err), XB_OK);
		assert_int_equal(st.format, XB_AR_BSD64);
		assert_int_equal(st.names.n, 2);
	}
	/* thin archives and empty ones */
	assert_int_equal(xb_ar_symtab_parse(&st, (const unsigned char *)"!<thin>\n",
					    8, 8, &err), XB_OK);
	assert_true(st.thin);
	assert_int_equal(st.format, XB_AR_NONE);
	xb_ar_symtab_release(&st);
}

/* Every prefix of a valid archive, parsed as a whole file: an error or a
 * success, never a crash (ASan watches). */
static void truncations(void **state)
{
	xb_ar_symtab st;
	xb_err err = XB_ERR_INIT;
	img m;

	(void)state;
	xb_ar_symtab_init(&st);
	for (int kind = 0; kind < 3; kind++) {
		if (kind == 0)
			make_sym64(&m);
		else
			make_bsd(&m, kind == 2);
		for (size_t n = 0; n < m.n; n++) {
			unsigned char *copy = malloc(n ? n : 1);
			memcpy(copy, m.d, n);
			xb_code rc = xb_ar_symtab_parse(&st, copy, n, n, &err);
			/* the index ends 68 + body bytes in: shorter must fail
			 * (but the magic alone is a valid empty archive) */
			if (n < 100 && n != 8)
				assert_int_not_equal(rc, XB_OK);
			free(copy);
			/* a prefix of a longer file: truncated index */
			copy = malloc(n ? n : 1);
			memcpy(copy, m.d, n);
			rc = xb_ar_symtab_parse(&st, copy, n, m.n, &err);
			if (n < 100)
				assert_int_not_equal(rc, XB_OK);
			free(copy);
		}
	}
	xb_ar_symtab_release(&st);
}

static void hostile(void **state)
{
	xb_ar_symtab st;
	xb_err err = XB_ERR_INIT;
	img m;

	(void)state;
	xb_ar_symtab_init(&st);

	/* GNU: a count far larger than the member */
	m.n = 0;
	put(&m, "!<arch>\n", 8);
	hdr(&m, "/", 12);
	be32(&m, 0xffffffffu);
	be32(&m, 8);
	put(&m, "ab\0\0", 4);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "claims 4294967295 entries"));

	/* GNU: an offset past the end of the file */
	m.n = 0;
	put(&m, "!<arch>\n", 8);
	hdr(&m, "/", 12);
	be32(&m, 1);
	be32(&m, 0x7fffffffu);
	put(&m, "ab\0\0", 4);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "outside the file"));

	/* GNU: an unterminated name */
	m.n = 0;
	put(&m, "!<arch>\n", 8);
	hdr(&m, "/", 12);
	be32(&m, 1);
	be32(&m, 8);
	put(&m, "abcd", 4);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n + 100, &err),
			 XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "unterminated name"));

	/* GNU: two entries, one name */
	m.n = 0;
	put(&m, "!<arch>\n", 8);
	hdr(&m, "/", 16);
	be32(&m, 2);
	be32(&m, 8);
	be32(&m, 8);
	put(&m, "abc\0", 4);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, 1000, &err), XB_ERR_FORMAT);

	/* a member size past the end, a bad size field, a bad terminator */
	m.n = 0;
	put(&m, "!<arch>\n", 8);
	hdr(&m, "/", 99999);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "past the end"));
	memcpy(m.d + 8 + 48, "12x       ", 10);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	memcpy(m.d + 8 + 48, "99999999999999999999", 10);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	memcpy(m.d + 8 + 48, "0         ", 10);
	m.d[8 + 58] = 'x';
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);

	/* BSD: ranlib size not a whole number of entries; a name offset past
	 * the string table; a huge string table; huge 64-bit sizes */
	make_bsd(&m, false);
	m.d[8 + 60 + 20] = 15;
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	make_bsd(&m, false);
	m.d[8 + 60 + 20 + 4 + 8] = 200; /* second strx */
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "past the string table"));
	make_bsd(&m, false);
	memset(m.d + 8 + 60 + 20 + 4 + 16, 0xff, 4); /* strtab size */
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	make_bsd(&m, true);
	memset(m.d + 8 + 60 + 20, 0xff, 8); /* ranlib size */
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	make_bsd(&m, true);
	memset(m.d + 8 + 60 + 20 + 8 + 8, 0xff, 8); /* first member offset */
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	/* a long name longer than the member */
	m.n = 0;
	put(&m, "!<arch>\n", 8);
	hdr(&m, "#1/50", 10);
	put(&m, "__.SYMDEF\0", 10);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	/* SYM64 count over the cap */
	m.n = 0;
	put(&m, "!<arch>\n", 8);
	hdr(&m, "/SYM64/", 16);
	be64(&m, UINT64_MAX);
	be64(&m, 8);
	assert_int_equal(xb_ar_symtab_parse(&st, m.d, m.n, m.n, &err), XB_ERR_FORMAT);
	assert_int_equal(st.names.n, 0);
	assert_null(st.offsets);
	xb_ar_symtab_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gnu_archive_from_ar),
		cmocka_unit_test(handmade_formats),
		cmocka_unit_test(truncations),
		cmocka_unit_test(hostile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
