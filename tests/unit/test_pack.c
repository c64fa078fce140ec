/* test_pack.c: release archives are deterministic and never half-written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <archive.h>
#include <archive_entry.h>

#include "unit.h"
#include "pack.h"

static char dir[] = "/tmp/xbuild-pack-XXXXXX";

static void put(const char *name, const char *text, time_t mtime)
{
	char path[256];
	struct utimbuf t = { mtime, mtime };
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	utime(path, &t);
}

static char *slurp(const char *path, size_t *len)
{
	xb_buf b = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;

	assert_int_equal(xb_buf_read_file(&b, path, &err), XB_OK);
	*len = b.len;
	return xb_buf_take(&b);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *const argv[] = { "rm", "-rf", dir, NULL };

	(void)state;
	return xb_run(argv, NULL, NULL, NULL, NULL, NULL);
}

static void pack_twice(const char *format)
{
	char a_src[256], b_src[256], out1[256], out2[256];
	xb_err err = XB_ERR_INIT;
	size_t l1, l2;
	char *d1, *d2;

	snprintf(a_src, sizeof(a_src), "%s/app", dir);
	snprintf(b_src, sizeof(b_src), "%s/README", dir);
	snprintf(out1, sizeof(out1), "%s/one.%s", dir, format);
	snprintf(out2, sizeof(out2), "%s/two.%s", dir, format);
	put("app", "#!binary\n", 1000);
	put("README", "read me\n", 2000);
	{
		xb_pack_entry e[] = { { a_src, "app", true, 0, false, 0 },
				      { b_src, "README.md", false, 0, false, 0 } };
		assert_int_equal(xb_pack(out1, format, e, 2, 1700000000, &err),
				 XB_OK);
	}
	/* other file times and order, same content: same bytes */
	put("app", "#!binary\n", 5000);
	put("README", "read me\n", 9000);
	sleep(1);
	{
		xb_pack_entry e[] = { { b_src, "README.md", false, 0, false,
					0 },
				      { a_src, "app", true, 0, false, 0 } };
		assert_int_equal(xb_pack(out2, format, e, 2, 1700000000, &err),
				 XB_OK);
	}
	d1 = slurp(out1, &l1);
	d2 = slurp(out2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(d1, d2, l1);
	free(d1);
	free(d2);
}

static void check_entries(const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	const char *names[] = { "README.md", "app" };
	int modes[] = { 0644, 0755 }, i = 0;

	archive_read_support_format_all(a);
	archive_read_support_filter_all(a);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	while (archive_read_next_header(a, &ae) == ARCHIVE_OK) {
		assert_true(i < 2);
		assert_string_equal(archive_entry_pathname(ae), names[i]);
		assert_int_equal(archive_entry_perm(ae), modes[i]);
		assert_int_equal(archive_entry_mtime(ae), 1700000000);
		assert_int_equal(archive_entry_uid(ae), 0);
		assert_int_equal(archive_entry_gid(ae), 0);
		i++;
	}
	assert_int_equal(i, 2);
	archive_read_free(a);
}

static void tar_gz_is_deterministic(void **state)
{
	char out[256];

	(void)state;
	pack_twice("tar.gz");
	snprintf(out, sizeof(out), "%s/one.tar.gz", dir);
	check_entries(out);
}

static void zip_is_deterministic(void **state)
{
	char out[256];

	(void)state;
	pack_twice("zip");
	snprintf(out, sizeof(out), "%s/one.zip", dir);
	check_entries(out);
}

static void tar_zst_is_deterministic(void **state)
{
	char out[256];

	(void)state;
	pack_twice("tar.zst");
	snprintf(out, sizeof(out), "%s/one.tar.zst", dir);
	check_entries(out);
}

/* An entry's own mode and time (an archive's files: with info:). */
static void entry_mode_and_time(void **state)
{
	char src[256], out[256];
	xb_err err = XB_ERR_INIT;
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	xb_pack_entry e[] = {
		{ .src = src, .name = "doc/a.txt", .mode = 0600,
		  .has_mtime = true, .mtime = 1577934245 },
		{ .src = src, .name = "z", .executable = true },
	};

	(void)state;
	snprintf(src, sizeof(src), "%s/README", dir);
	snprintf(out, sizeof(out), "%s/info.tar.zst", dir);
	put("README", "read me\n", 2000);
	assert_int_equal(xb_pack(out, "tar.zst", e, 2, 1700000000, &err), XB_OK);
	archive_read_support_format_all(a);
	archive_read_support_filter_all(a);
	assert_int_equal(archive_read_open_filename(a, out, 10240), ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(a, &ae), ARCHIVE_OK);
	assert_int_equal(archive_filter_code(a, 0), ARCHIVE_FILTER_ZSTD);
	assert_string_equal(archive_entry_pathname(ae), "doc/a.txt");
	assert_int_equal(archive_entry_perm(ae), 0600);
	assert_int_equal(archive_entry_mtime(ae), 1577934245);
	assert_int_equal(archive_read_next_header(a, &ae), ARCHIVE_OK);
	assert_int_equal(archive_entry_perm(ae), 0755);
	assert_int_equal(archive_entry_mtime(ae), 1700000000);
	archive_read_free(a);
}

static void failures_leave_nothing(void **state)
{
	char src[256], out[256], missing[256];
	xb_err err = XB_ERR_INIT;
	struct stat st;

	(void)state;
	snprintf(src, sizeof(src), "%s/app", dir);
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	snprintf(out, sizeof(out), "%s/bad.tar.gz", dir);
	put("app", "x", 1);
	{
		xb_pack_entry e[] = { { src, "app", true, 0, false, 0 },
				      { missing, "m", false, 0, false, 0 } };
		assert_int_equal(xb_pack(out, "tar.gz", e, 2, 0, &err), XB_ERR_IO);
		assert_non_null(strstr(err.msg, "missing"));
		assert_int_equal(stat(out, &st), -1);
	}
	{
		xb_pack_entry e[] = { { src, "app", true, 0, false, 0 },
				      { src, "app", false, 0, false, 0 } };
		assert_int_equal(xb_pack(out, "zip", e, 2, 0, &err),
				 XB_ERR_CONFLICT);
		assert_non_null(strstr(err.msg, "'app' twice"));
	}
	{
		xb_pack_entry e[] = { { src, "app", true, 0, false, 0 } };
		assert_int_equal(xb_pack(out, "rar", e, 1, 0, &err), XB_ERR_USAGE);
		assert_int_equal(xb_pack(out, "zip", e, 0, 0, &err), XB_ERR_USAGE);
	}
	/* no temporary left behind either */
	{
		const char *const argv[] = { "sh", "-c", "ls \"$0\" | grep -c tmp",
					     dir, NULL };
		xb_buf o = XB_BUF_INIT;
		int code;

		xb_run(argv, NULL, &o, NULL, &code, &err);
		assert_string_equal(xb_buf_str(&o), "0\n");
		xb_buf_release(&o);
	}
}

/* A link planted where a temporary could be, named after the pid as a
 * predictable name would be, and the files it points at: neither the
 * archive nor xb_write_file_atomic writes through it. */
static void no_write_through_planted_links(void **state)
{
	char src[256], out[256], link[300], victim[256], man[256], mlink[300];
	xb_err err = XB_ERR_INIT;
	size_t len;
	char *text;

	(void)state;
	snprintf(src, sizeof(src), "%s/app", dir);
	snprintf(out, sizeof(out), "%s/planted.tar.gz", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(man, sizeof(man), "%s/manifest.json", dir);
	put("app", "x", 1);
	put("victim", "keep me", 1);
	snprintf(link, sizeof(link), "%s.tmp.%ld", out, (long)getpid());
	snprintf(mlink, sizeof(mlink), "%s.tmp.%ld", man, (long)getpid());
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(symlink(victim, mlink), 0);
	{
		xb_pack_entry e[] = { { src, "app", true, 0, false, 0 } };
		assert_int_equal(xb_pack(out, "tar.gz", e, 1, 0, &err), XB_OK);
	}
	assert_int_equal(xb_write_file_atomic(man, "{}", 2, 0644, &err), XB_OK);
	text = slurp(victim, &len);
	assert_string_equal(text, "keep me");
	free(text);
	text = slurp(man, &len);
	assert_string_equal(text, "{}");
	free(text);
	unlink(link);
	unlink(mlink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tar_gz_is_deterministic),
		cmocka_unit_test(zip_is_deterministic),
		cmocka_unit_test(tar_zst_is_deterministic),
		cmocka_unit_test(entry_mode_and_time),
		cmocka_unit_test(failures_leave_nothing),
		cmocka_unit_test(no_write_through_planted_links),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
