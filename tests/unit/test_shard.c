/* test_shard.c: splitting a matrix across machines. */
#include <string.h>

#include "unit.h"
#include "shard.h"

static void split_is_balanced_and_complete(void **state)
{
	const char *names[] = { "linux/amd64", "linux/arm64", "linux/386",
				"windows/amd64", "darwin/arm64", "linux/riscv64",
				"linux/arm/7" };
	unsigned w[] = { 3, 3, 1, 1, 1, 1, 3 };
	int shard[7], again[7], load[4] = { 0 };
	xb_err err = XB_ERR_INIT;
	xb_strv t = XB_STRV_INIT;

	(void)state;
	for (int i = 0; i < 7; i++)
		xb_strv_push(&t, names[i]);
	assert_int_equal(xb_shard_split(&t, w, 3, shard, &err), XB_OK);
	for (int i = 0; i < 7; i++) {
		assert_true(shard[i] >= 1 && shard[i] <= 3);
		load[shard[i]] += (int)w[i];
	}
	/* 13 units over 3 shards: no shard above 5 */
	for (int k = 1; k <= 3; k++)
		assert_true(load[k] >= 4 && load[k] <= 5);
	assert_int_equal(xb_shard_split(&t, w, 3, again, &err), XB_OK);
	assert_memory_equal(shard, again, sizeof(shard));
	/* more shards than targets: each target alone */
	assert_int_equal(xb_shard_split(&t, NULL, 10, shard, &err), XB_OK);
	for (int i = 0; i < 7; i++)
		for (int j = i + 1; j < 7; j++)
			assert_int_not_equal(shard[i], shard[j]);
	assert_int_equal(xb_shard_split(&t, NULL, 0, shard, &err), XB_ERR_USAGE);
	xb_strv_release(&t);
}

static void parse_k_of_n(void **state)
{
	xb_err err = XB_ERR_INIT;
	int k, n;

	(void)state;
	assert_int_equal(xb_shard_parse("2/3", &k, &n, &err), XB_OK);
	assert_int_equal(k, 2);
	assert_int_equal(n, 3);
	assert_int_equal(xb_shard_parse("1/1", &k, &n, &err), XB_OK);
	const char *bad[] = { "0/3", "4/3", "3", "/3", "a/b", "1/0", "1/3x",
			      "-1/3", "1/100000", "", NULL };
	for (int i = 0; bad[i]; i++)
		assert_int_equal(xb_shard_parse(bad[i], &k, &n, &err), XB_ERR_USAGE);
	assert_non_null(strstr(err.msg, "expected K/N"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_is_balanced_and_complete),
		cmocka_unit_test(parse_k_of_n),
	};
	return RUN(tests);
}
