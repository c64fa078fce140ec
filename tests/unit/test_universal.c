/* test_universal.c: the fat Mach-O writer on synthetic slices: the layout
 * lipo gives (header, alignment, order by alignment), read back by the
 * checker; and what it refuses, leaving nothing behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "release.h"

static char dir[] = "/tmp/xbuild-universal-XXXXXX";

/* A thin 64-bit Mach-O header of cpu, padded to size bytes. */
static void thin(const char *name, uint32_t cpu, uint32_t sub, size_t size)
{
	char path[256];
	unsigned char *b = calloc(1, size);
	const uint32_t h[8] = { 0xfeedfacfu, cpu, sub, 2, 0, 0, 0, 0 };
	FILE *f;

	assert_non_null(b);
	memcpy(b, h, size < sizeof(h) ? size : sizeof(h)); /* little-endian host */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(b, 1, size, f), size);
	fclose(f);
	free(b);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	       p[3];
}

static char *path_of(const char *name)
{
	static char buf[4][256];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static void layout_as_lipo(void **state)
{
	const char *in[2];
	unsigned char h[48];
	FILE *f;
	xb_err err = XB_ERR_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	thin("arm", 0x0100000c, 0, 5000);
	thin("x86", 0x01000007, 3, 7000);
	/* given arm64 first: x86_64 (2^12) still comes before arm64 (2^14) */
	in[0] = path_of("arm");
	in[1] = path_of("x86");
	assert_int_equal(xb_universal_write(path_of("fat"), in, 2, &err), XB_OK);
	assert_non_null(f = fopen(path_of("fat"), "rb"));
	assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
	fseek(f, 0, SEEK_END);
	assert_int_equal(be32(h), 0xcafebabe);
	assert_int_equal(be32(h + 4), 2);
	assert_int_equal(be32(h + 8), 0x01000007);
	assert_int_equal(be32(h + 12), 3);
	assert_int_equal(be32(h + 16), 4096);
	assert_int_equal(be32(h + 20), 7000);
	assert_int_equal(be32(h + 24), 12);
	assert_int_equal(be32(h + 28), 0x0100000c);
	assert_int_equal(be32(h + 36), 16384);
	assert_int_equal(be32(h + 40), 5000);
	assert_int_equal(be32(h + 44), 14);
	assert_int_equal(ftell(f), 16384 + 5000);
	fclose(f);
}

static void refused(void **state)
{
	const char *in[2];
	xb_err err = XB_ERR_INIT;

	(void)state;
	thin("x86b", 0x01000007, 3, 100);
	/* two of one architecture */
	in[0] = path_of("x86");
	in[1] = path_of("x86b");
	assert_int_equal(xb_universal_write(path_of("bad"), in, 2, &err),
			 XB_ERR_USAGE);
	assert_non_null(strstr(xb_errmsg(&err), "the same architecture"));
	/* not a thin 64-bit Mach-O: the fat file itself, a short file */
	in[0] = path_of("fat");
	assert_int_equal(xb_universal_write(path_of("bad"), in, 1, &err),
			 XB_ERR_FORMAT);
	thin("short", 0x01000007, 3, 6);
	in[0] = path_of("short");
	assert_int_equal(xb_universal_write(path_of("bad"), in, 1, &err),
			 XB_ERR_FORMAT);
	assert_int_equal(xb_universal_write(path_of("bad"), in, 0, &err),
			 XB_ERR_USAGE);
	in[0] = path_of("missing");
	assert_int_equal(xb_universal_write(path_of("bad"), in, 1, &err),
			 XB_ERR_IO);
	/* nothing half-written */
	assert_int_equal(access(path_of("bad"), F_OK), -1);
}

static void cleanup(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s", dir);
	assert_int_equal(xb_rm_rf(cmd, NULL), XB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_as_lipo),
		cmocka_unit_test(refused),
		cmocka_unit_test(cleanup),
	};
	return RUN(tests);
}
