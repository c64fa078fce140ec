/* test_manifest.c: manifests, SHA256SUMS, and merging shard releases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "manifest.h"

static char top[] = "/tmp/xbuild-manifest-XXXXXX";
static const char *const targets[] = { "linux/amd64", "linux/arm64",
				       "windows/amd64" };

static char *path_of(const char *a, const char *b)
{
	static char p[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s%s%s", top, a, b ? "/" : "", b ? b : "");
	return p[i];
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	xb_buf b = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;

	assert_int_equal(xb_buf_read_file(&b, path, &err), XB_OK);
	return xb_buf_take(&b);
}

static void matrix(xb_strv *m)
{
	xb_strv_init(m);
	for (size_t i = 0; i < 3; i++)
		xb_strv_push(m, targets[i]);
}

static const char *artifact_name(size_t i)
{
	static const char *const names[] = { "app_linux_amd64", "app_linux_arm64",
					     "app_windows_amd64.exe" };
	return names[i];
}

/* A release folder holding the artifacts of targets[from..to). */
static void make_release(const char *name, size_t from, size_t to, int k, int n)
{
	xb_err err = XB_ERR_INIT;
	xb_manifest *m;
	xb_strv mx;
	char *dir = path_of(name, NULL);

	matrix(&mx);
	assert_int_equal(xb_mkdir_p(dir, &err), XB_OK);
	m = xb_manifest_new("app", "1.0.0", "abc123", 1700000000, &mx, k, n);
	assert_non_null(m);
	for (size_t i = from; i < to; i++) {
		char text[64];
		snprintf(text, sizeof(text), "binary for %s\n", targets[i]);
		write_text(path_of(name, artifact_name(i)), text);
		assert_int_equal(xb_manifest_add(m, dir, artifact_name(i), targets[i],
						 "binary", "{\"linkage\":\"static\"}",
						 &err), XB_OK);
	}
	assert_int_equal(xb_manifest_write(m, dir, &err), XB_OK);
	xb_manifest_free(m);
	xb_strv_release(&mx);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(top) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return xb_rm_rf(top, NULL);
}

static void sums_are_sha256sum_format(void **state)
{
	char *sums;
	const char *const argv[] = { "sha256sum", "--quiet", "-c", "SHA256SUMS", NULL };
	xb_spawn_opts o = XB_SPAWN_OPTS_INIT;
	xb_err err = XB_ERR_INIT;
	int code = -1;

	(void)state;
	make_release("single", 0, 3, 1, 1);
	sums = slurp(path_of("single", "SHA256SUMS"));
	/* sorted by path, two spaces */
	assert_non_null(strstr(sums, "  app_linux_amd64\n"));
	assert_true(strstr(sums, "app_linux_amd64") < strstr(sums, "app_windows"));
	free(sums);
	o.cwd = path_of("single", NULL);
	assert_int_equal(xb_run(argv, &o, NULL, NULL, &code, &err), XB_OK);
	assert_int_equal(code, 0);
}

static void shards_merge_to_the_single_release(void **state)
{
	const char *dirs[3];
	xb_strv probs = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	char *a, *b;

	(void)state;
	make_release("single", 0, 3, 1, 1);
	make_release("s2", 1, 2, 2, 3);
	make_release("s1", 0, 1, 1, 3);
	make_release("s3", 2, 3, 3, 3);
	dirs[0] = strdup(path_of("s2", NULL));
	dirs[1] = strdup(path_of("s1", NULL));
	dirs[2] = strdup(path_of("s3", NULL));
	assert_int_equal(xb_merge(dirs, 3, path_of("merged", NULL), &probs, &err),
			 XB_OK);
	assert_int_equal(probs.n, 0);
	a = slurp(path_of("single", "SHA256SUMS"));
	b = slurp(path_of("merged", "SHA256SUMS"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = slurp(path_of("single", "manifest.json"));
	b = slurp(path_of("merged", "manifest.json"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* merging again replaces the folder whole */
	assert_int_equal(xb_merge(dirs, 3, path_of("merged", NULL), &probs, &err),
			 XB_OK);
	for (int i = 0; i < 3; i++)
		free((char *)dirs[i]);
	xb_strv_release(&probs);
}

static int has(const xb_strv *probs, const char *needle)
{
	for (size_t i = 0; i < probs->n; i++)
		if (strstr(probs->v[i], needle))
			return 1;
	return 0;
}

static void merge_refuses_bad_shards(void **state)
{
	const char *dirs[3];
	xb_strv probs = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	struct stat st;

	(void)state;
	make_release("t1", 0, 1, 1, 3);
	make_release("t2", 1, 2, 2, 3);
	make_release("t3", 2, 3, 3, 3);
	dirs[0] = strdup(path_of("t1", NULL));
	dirs[1] = strdup(path_of("t2", NULL));
	dirs[2] = strdup(path_of("t3", NULL));

	/* a missing shard */
	assert_int_equal(xb_merge(dirs, 2, path_of("out1", NULL), &probs, &err),
			 XB_ERR_CONFLICT);
	assert_true(has(&probs, "shard 3/3 is missing"));
	assert_true(has(&probs, "target windows/amd64 of the matrix"));
	assert_int_equal(stat(path_of("out1", NULL), &st), -1);
	xb_strv_release(&probs);

	/* a shard given twice */
	{
		const char *twice[] = { dirs[0], dirs[1], dirs[1], dirs[2] };
		assert_int_equal(xb_merge(twice, 4, path_of("out2", NULL), &probs,
					  &err), XB_ERR_CONFLICT);
		assert_true(has(&probs, "shard 2/3 given twice"));
		assert_true(has(&probs, "conflict: 'app_linux_arm64'"));
		assert_true(has(&probs, "duplicated target: binary linux/arm64"));
		xb_strv_release(&probs);
	}

	/* a tampered artifact */
	write_text(path_of("t2", "app_linux_arm64"), "evil\n");
	assert_int_equal(xb_merge(dirs, 3, path_of("out3", NULL), &probs, &err),
			 XB_ERR_CONFLICT);
	assert_true(has(&probs, "app_linux_arm64: sha256 is"));
	assert_int_equal(stat(path_of("out3", NULL), &st), -1);
	xb_strv_release(&probs);

	/* one artifact, two hashes: t2 rebuilt differently claims t1's path */
	make_release("t2", 0, 2, 2, 3);
	write_text(path_of("t2", "app_linux_amd64"), "other bytes\n");
	assert_int_equal(xb_merge(dirs, 3, path_of("out4", NULL), &probs, &err),
			 XB_ERR_CONFLICT);
	assert_true(has(&probs, "duplicated target: binary linux/amd64"));
	assert_true(has(&probs, "conflict: 'app_linux_amd64' is in both"));
	xb_strv_release(&probs);

	/* not a manifest at all, and a manifest of another release */
	write_text(path_of("t3", "manifest.json"), "{\"schema\": 1");
	assert_int_equal(xb_merge(dirs, 3, path_of("out5", NULL), &probs, &err),
			 XB_ERR_CONFLICT);
	assert_true(has(&probs, "manifest.json:1:"));
	xb_strv_release(&probs);
	write_text(path_of("t3", "manifest.json"),
		   "{\"schema\":\"xbuild-manifest/1\",\"artifacts\":[{\"path\":\"../x\"}],"
		   "\"matrix\":[],\"source\":{}}");
	assert_int_equal(xb_merge(dirs, 3, path_of("out6", NULL), &probs, &err),
			 XB_ERR_CONFLICT);
	assert_true(has(&probs, "artifacts[0] is not a valid artifact"));
	xb_strv_release(&probs);
	assert_int_equal(xb_merge(dirs, 1, path_of("out7", NULL), &probs, &err),
			 XB_ERR_CONFLICT);
	xb_strv_release(&probs);
	{
		const char *none[] = { path_of("nonexistent", NULL) };
		assert_int_equal(xb_merge(none, 1, path_of("out8", NULL), &probs,
					  &err), XB_ERR_CONFLICT);
		assert_true(has(&probs, "cannot open"));
		xb_strv_release(&probs);
	}
	for (int i = 0; i < 3; i++)
		free((char *)dirs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sums_are_sha256sum_format),
		cmocka_unit_test(shards_merge_to_the_single_release),
		cmocka_unit_test(merge_refuses_bad_shards),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
