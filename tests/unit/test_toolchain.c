/* test_toolchain.c: toolchain data, the Content-Range parser, the probe's
 * binary reader, pins, zig wrappers, the cache folder and offline mode. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "tcdata.h"
#include "fetch.h"
#include "tcprobe.h"
#include "zig.h"

static const char good[] =
	"version: 1\n"
	"targets:\n"
	"  - target: linux/arm\n"
	"    variant: \"7\"\n"
	"    machine: 0x28\n"
	"    bits: 32\n"
	"    glibc:\n"
	"      triplets: [arm-linux-gnueabihf]\n"
	"      zig: arm-linux-gnueabihf\n"
	"    musl: {triplets: armv7l-linux-musleabihf, wrappers: [musl-gcc]}\n"
	"  - target: linux/arm\n"
	"    variant: \"6\"\n"
	"    machine: 40\n"
	"    bits: 32\n"
	"    glibc: {triplets: [arm-linux-gnueabi]}\n"
	"archives:\n"
	"  - id: zig-9\n"
	"    kind: zig\n"
	"    host: linux/amd64\n"
	"    sha256: 2D00E789FEC4F71790A6E7BF83FF91D564943C5EE843C5FD966EFC474B423047\n"
	"    size: 44961892\n"
	"    unpacked_size: 400000000\n"
	"    strip: zig-linux-x86_64-0.11.0\n"
	"    bin: zig\n"
	"    urls: [https://example.org/a.tar.xz, http://mirror.example/a.tar.xz]\n";

static void data_parses(void **state)
{
	xb_tc_data d;
	xb_err err = XB_ERR_INIT;
	const xb_tc_target *t;
	const xb_tc_archive *a;

	(void)state;
	xb_tc_data_init(&d);
	assert_int_equal(xb_tc_data_parse(&d, "t.yaml", good, strlen(good), &err),
			 XB_OK);
	assert_int_equal(d.ntargets, 2);
	t = xb_tc_target_find(&d, "linux", "arm", "6");
	assert_non_null(t);
	assert_string_equal(t->libcs[0].triplets.v[0], "arm-linux-gnueabi");
	t = xb_tc_target_find(&d, "linux", "arm", NULL);
	assert_string_equal(t->variant, "7");
	assert_int_equal(t->machine, 40);
	assert_string_equal(t->format, "elf");
	assert_int_equal(t->nlibcs, 2);
	assert_string_equal(t->libcs[1].libc, "musl");
	assert_string_equal(t->libcs[1].triplets.v[0], "armv7l-linux-musleabihf");
	assert_string_equal(t->libcs[1].wrappers.v[0], "musl-gcc");
	assert_null(xb_tc_target_find(&d, "linux", "arm64", NULL));
	a = xb_tc_archive_find(&d, "zig-9", "linux/amd64");
	assert_non_null(a);
	assert_string_equal(a->sha256,
			    "2d00e789fec4f71790a6e7bf83ff91d564943c5ee843c5fd966efc474b423047");
	assert_int_equal(a->size, 44961892);
	assert_int_equal(a->unpacked, 400000000);
	assert_int_equal(a->urls.n, 2);
	assert_null(xb_tc_archive_find(&d, "zig-9", "linux/riscv64"));
	xb_tc_data_release(&d);
}

static void data_reports_every_error(void **state)
{
	static const char bad[] =
		"version: 1\n"
		"targets:\n"
		"  - target: linux\n"
		"    machine: lots\n"
		"    bits: 16\n"
		"    glibc: {triplets: [\"a b\"], frob: 1}\n"
		"archives:\n"
		"  - id: ../x\n"
		"    kind: rust\n"
		"    host: linux/amd64\n"
		"    sha256: 1234\n"
		"    strip: ../up\n"
		"    bin: /abs\n"
		"    urls: [ftp://x]\n";
	xb_tc_data d;
	xb_err err = XB_ERR_INIT;

	(void)state;
	xb_tc_data_init(&d);
	assert_int_equal(xb_tc_data_parse(&d, "bad.yaml", bad, strlen(bad), &err),
			 XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "bad.yaml:3:13: invalid target 'linux' "
				       "(expected GOOS/GOARCH)"));
	assert_non_null(strstr(err.msg, "bad.yaml:4:14: 'machine' must be a number"));
	assert_non_null(strstr(err.msg, "unknown key 'frob' in glibc"));
	assert_non_null(strstr(err.msg, "unsafe name 'a b'"));
	assert_non_null(strstr(err.msg, "unsafe archive id '../x'"));
	assert_non_null(strstr(err.msg, "invalid kind 'rust'"));
	assert_non_null(strstr(err.msg, "invalid sha256 '1234'"));
	xb_tc_data_release(&d);
}

/* No archive may declare more than every extraction's bound. */
static void data_bounds_unpacked_size(void **state)
{
	static const char big[] =
		"version: 1\n"
		"archives:\n"
		"  - {id: x, kind: go, host: linux/amd64, bin: bin/go,\n"
		"     sha256: 2d00e789fec4f71790a6e7bf83ff91d564943c5ee843c5fd966efc474b423047,\n"
		"     unpacked_size: 17179869185, urls: [https://example.org/x]}\n";
	xb_tc_data d;
	xb_err err = XB_ERR_INIT;

	(void)state;
	xb_tc_data_init(&d);
	assert_int_equal(xb_tc_data_parse(&d, "big.yaml", big, strlen(big), &err),
			 XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "big.yaml:5:21: 'unpacked_size' must be a "
				       "number up to 17179869184"));
	xb_tc_data_release(&d);
}

static void data_refuses_aliases_and_depth(void **state)
{
	static const char alias[] = "version: 1\nx: &a [1]\ny: *a\n";
	char deep[400];
	xb_tc_data d;
	xb_err err = XB_ERR_INIT;
	size_t n = 0;

	(void)state;
	xb_tc_data_init(&d);
	assert_int_equal(xb_tc_data_parse(&d, "a", alias, strlen(alias), &err),
			 XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "aliases are not allowed"));
	n += (size_t)sprintf(deep, "version: 1\ntargets: ");
	for (int i = 0; i < 40; i++)
		deep[n++] = '[';
	for (int i = 0; i < 40; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	assert_int_equal(xb_tc_data_parse(&d, "d", deep, n, &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "nested deeper than"));
	xb_tc_data_release(&d);
}

static void data_of_the_tree_loads(void **state)
{
	const char *top = getenv("TOP");
	xb_tc_data d;
	xb_err err = XB_ERR_INIT;
	const xb_tc_archive *a = NULL;

	(void)state;
	if (!top)
		top = ".";
	xb_tc_data_init(&d);
	assert_int_equal(xb_tc_data_load(&d, top, &err), XB_OK);
	assert_non_null(xb_tc_target_find(&d, "linux", "arm64", NULL));
	assert_non_null(xb_tc_target_find(&d, "windows", "amd64", NULL));
	assert_int_equal(xb_tc_pin(&d, "zig-0.11.0",
				   "2d00e789fec4f71790a6e7bf83ff91d564943c5ee843c5fd966efc474b423047",
				   &a, &err), strcmp(xb_host_target(), "linux/amd64") ? XB_ERR_HASH : XB_OK);
	xb_tc_data_release(&d);
}

static void pins(void **state)
{
	xb_tc_data d;
	xb_err err = XB_ERR_INIT;
	const xb_tc_archive *a = NULL;
	const char *sha = "2d00e789fec4f71790a6e7bf83ff91d564943c5ee843c5fd966efc474b423047";

	(void)state;
	xb_tc_data_init(&d);
	assert_int_equal(xb_tc_data_parse(&d, "t", good, strlen(good), NULL), XB_OK);
	if (strcmp(xb_host_target(), "linux/amd64") == 0) {
		assert_int_equal(xb_tc_pin(&d, "zig-9", sha, &a, &err), XB_OK);
		assert_non_null(a);
		assert_int_equal(xb_tc_pin(&d, "zig-9",
					   "0000000000000000000000000000000000000000000000000000000000000000",
					   &a, &err), XB_ERR_HASH);
		assert_non_null(strstr(err.msg, "pinned to sha256 0000"));
		assert_int_equal(xb_tc_pin(&d, "zig-9", "xyz", &a, &err), XB_ERR_USAGE);
	}
	assert_int_equal(xb_tc_pin(&d, "nosuch", sha, &a, &err), XB_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "unknown toolchain 'nosuch'"));
	xb_tc_data_release(&d);
}

static void content_range(void **state)
{
	uint64_t f, l, t;
	const char *ok = " bytes 100-199/1000\r\n";

	(void)state;
	assert_int_equal(xb_http_content_range(ok, strlen(ok), &f, &l, &t), 0);
	assert_int_equal(f, 100);
	assert_int_equal(l, 199);
	assert_int_equal(t, 1000);
	assert_int_equal(xb_http_content_range("bytes 0-0/*", 11, &f, &l, &t), 0);
	assert_true(t == UINT64_MAX);
	assert_int_equal(xb_http_content_range("bytes 5-4/10", 12, &f, &l, &t), -1);
	assert_int_equal(xb_http_content_range("bytes 0-10/10", 13, &f, &l, &t), -1);
	assert_int_equal(xb_http_content_range("bytes */10", 10, &f, &l, &t), -1);
	assert_int_equal(xb_http_content_range("bytes 99999999999999999999-1/2",
					       30, &f, &l, &t), -1);
	assert_int_equal(xb_http_content_range("bytes 1-2/3x", 12, &f, &l, &t), -1);
	assert_int_equal(xb_http_content_range("bytes 1-2", 9, &f, &l, &t), -1);
	/* not NUL-terminated: only len bytes are read */
	assert_int_equal(xb_http_content_range("bytes 1-2/39999", 11, &f, &l, &t), 0);
	assert_int_equal(t, 3);
}

static void write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

static void binary_reader(void **state)
{
	char path[] = "/tmp/xbuild-unit-bin-XXXXXX";
	unsigned char h[128];
	xb_tc_binfo bi;
	xb_err err = XB_ERR_INIT;
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	/* this test program itself */
	assert_int_equal(xb_tc_read_binary("/proc/self/exe", &bi, &err), XB_OK);
	assert_string_equal(bi.format, "elf");
	assert_int_equal(bi.bits, (int)(sizeof(void *) * 8));
	/* program headers far past the end of the file */
	memset(h, 0, sizeof(h));
	memcpy(h, "\177ELF\2\1\1", 7);
	h[18] = 183;
	h[32] = 0xf0; h[39] = 0x7f;     /* e_phoff huge */
	h[54] = 56; h[56] = 0xff; h[57] = 0x0f; /* e_phnum 4095 */
	write_file(path, h, sizeof(h));
	assert_int_equal(xb_tc_read_binary(path, &bi, &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "past the end"));
	/* a PT_INTERP whose size runs past the end */
	memset(h, 0, sizeof(h));
	memcpy(h, "\177ELF\2\1\1", 7);
	h[18] = 183;
	h[32] = 64;                     /* e_phoff */
	h[54] = 56; h[56] = 1;          /* one program header */
	h[64] = 3;                      /* PT_INTERP */
	h[72] = 120;                    /* p_offset */
	h[96] = 200;                    /* p_filesz */
	write_file(path, h, sizeof(h));
	assert_int_equal(xb_tc_read_binary(path, &bi, &err), XB_ERR_FORMAT);
	h[96] = 7;
	memcpy(h + 120, "/ld.so", 7);
	write_file(path, h, sizeof(h));
	/* no PT_LOAD: malformed, but what the probe needs is read */
	assert_int_equal(xb_tc_read_binary(path, &bi, &err), XB_ERR_FORMAT);
	assert_int_equal(bi.machine, 183);
	assert_string_equal(bi.interp, "/ld.so");
	/* PE with e_lfanew past the end */
	memset(h, 0, sizeof(h));
	h[0] = 'M'; h[1] = 'Z'; h[0x3c] = 0xff; h[0x3f] = 0x7f;
	write_file(path, h, sizeof(h));
	assert_int_equal(xb_tc_read_binary(path, &bi, &err), XB_ERR_FORMAT);
	write_file(path, "short", 5);
	assert_int_equal(xb_tc_read_binary(path, &bi, &err), XB_ERR_FORMAT);
	unlink(path);
}

static void zig_wrappers(void **state)
{
	char dir[] = "/tmp/xbuild-unit-zig-XXXXXX";
	char zig[256], *cc = NULL, *cxx = NULL;
	xb_buf out = XB_BUF_INIT, text = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	int code = -1;
	const char *argv[6];

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* a fake zig in a folder whose name needs quoting */
	snprintf(zig, sizeof(zig), "%s/it's zig", dir);
	write_file(zig, "#!/bin/sh\necho \"$ZIG_GLOBAL_CACHE_DIR|$*\"\n", 42);
	assert_int_equal(xb_zig_wrappers(zig, "aarch64-linux-musl", dir, &cc, &cxx,
					 &err), XB_OK);
	assert_non_null(strstr(cc, "/zig/aarch64-linux-musl/cc"));
	assert_non_null(strstr(cxx, "/zig/aarch64-linux-musl/c++"));
	argv[0] = cc;
	argv[1] = "-Wl,--no-undefined-version";
	argv[2] = "-lgcc_s";
	argv[3] = "a b.c";
	argv[4] = "-Wl,--undefined=foo";
	argv[5] = NULL;
	unsetenv("ZIG_GLOBAL_CACHE_DIR");
	assert_int_equal(xb_run(argv, NULL, &out, NULL, &code, &err), XB_OK);
	assert_int_equal(code, 0);
	assert_non_null(strstr(xb_buf_str(&out),
			       "/zig/cache|cc -target aarch64-linux-musl -lunwind a b.c -Wl,-u,foo\n"));
	{
		char *c2, *x2;
		assert_int_equal(xb_zig_wrappers(zig, "x;rm -rf /", dir, &c2, &x2,
						 &err), XB_ERR_USAGE);
		assert_null(c2);
	}
	unlink(cc);
	unlink(cxx);
	free(cc);
	free(cxx);
	unlink(zig);
	{
		const char *sub[] = { "zig/aarch64-linux-musl", "zig/cache", "zig", "" };
		for (int i = 0; i < 4; i++) {
			snprintf(zig, sizeof(zig), "%s/%s", dir, sub[i]);
			rmdir(zig);
		}
	}
	xb_buf_release(&out);
	xb_buf_release(&text);
}

static void cache_dir_and_offline(void **state)
{
	xb_tc_data d;
	xb_fetch_opts fo = XB_FETCH_OPTS_INIT;
	xb_err err = XB_ERR_INIT;
	char *c, *dir = NULL;

	(void)state;
	setenv("XBUILD_CACHE", "/x/cache", 1);
	c = xb_cache_dir();
	assert_string_equal(c, "/x/cache");
	free(c);
	unsetenv("XBUILD_CACHE");
	setenv("XDG_CACHE_HOME", "/y", 1);
	c = xb_cache_dir();
	assert_string_equal(c, "/y/xbuild");
	free(c);
	unsetenv("XDG_CACHE_HOME");

	xb_tc_data_init(&d);
	assert_int_equal(xb_tc_data_parse(&d, "t", good, strlen(good), NULL), XB_OK);
	fo.cache = "/nonexistent/xbuild-cache";
	fo.offline = true;
	assert_int_equal(xb_fetch_archive(&d.archives[0], &fo, &dir, NULL, &err),
			 XB_ERR_OFFLINE);
	assert_null(dir);
	assert_non_null(strstr(err.msg, "toolchain 'zig-9'"));
	assert_non_null(strstr(err.msg, "offline mode is on"));
	fo.offline = false;
	setenv("XBUILD_OFFLINE", "1", 1);
	assert_true(xb_fetch_offline(&fo));
	unsetenv("XBUILD_OFFLINE");
	assert_false(xb_fetch_offline(&fo));
	xb_tc_data_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(data_parses),
		cmocka_unit_test(data_reports_every_error),
		cmocka_unit_test(data_bounds_unpacked_size),
		cmocka_unit_test(data_refuses_aliases_and_depth),
		cmocka_unit_test(data_of_the_tree_loads),
		cmocka_unit_test(pins),
		cmocka_unit_test(content_range),
		cmocka_unit_test(binary_reader),
		cmocka_unit_test(zig_wrappers),
		cmocka_unit_test(cache_dir_and_offline),
	};
	return RUN(tests);
}
