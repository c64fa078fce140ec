/* test_base.c: buffers, string vectors, errors, JSON, SHA-256, spawning. */
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "json.h"
#include "unit.h"

static void buf_grows_and_caps(void **state)
{
	xb_buf b;

	(void)state;
	xb_buf_init(&b, 10);
	assert_string_equal(xb_buf_str(&b), "");
	assert_int_equal(xb_buf_adds(&b, "hello"), XB_OK);
	assert_int_equal(xb_buf_addf(&b, "%d", 1234), XB_OK);
	assert_string_equal(xb_buf_str(&b), "hello1234");
	assert_int_equal(xb_buf_adds(&b, "xy"), XB_ERR_TOO_BIG);
	assert_string_equal(xb_buf_str(&b), "hello1234"); /* unchanged */
	/* '!' would fit, but after "xy" was dropped it would lie */
	assert_int_equal(xb_buf_addc(&b, '!'), XB_ERR_TOO_BIG);
	assert_int_equal(b.len, 9);
	xb_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(xb_buf_str(&b), "");
	assert_int_equal(xb_buf_adds(&b, "0123456789"), XB_OK);
	assert_int_equal(xb_buf_addc(&b, '!'), XB_ERR_TOO_BIG);
	xb_buf_release(&b);
}

/* The first failed append sticks: nothing after it goes in, and whoever
 * uses the buffer sees it instead of a string with a hole in it. */
static void buf_failure_sticks_until_used(void **state)
{
	xb_buf b;
	xb_strv sv = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;

	(void)state;
	xb_buf_init(&b, 12);
	assert_int_equal(xb_buf_adds(&b, "-tags="), XB_OK);
	assert_int_equal(xb_buf_failed(&b), XB_OK);
	assert_int_equal(xb_buf_check(&b, &err, "the tags"), XB_OK);
	assert_int_equal(xb_buf_adds(&b, "netgo,osusergo"), XB_ERR_TOO_BIG);
	/* these fit the cap, but would follow what was dropped */
	assert_int_equal(xb_buf_adds(&b, "go"), XB_ERR_TOO_BIG);
	assert_int_equal(xb_buf_addf(&b, "%d", 1), XB_ERR_TOO_BIG);
	assert_int_equal(xb_buf_add(&b, "", 0), XB_ERR_TOO_BIG);
	assert_int_equal(xb_buf_grow(&b, 0), XB_ERR_TOO_BIG);
	assert_string_equal(xb_buf_str(&b), "-tags=");
	assert_int_equal(xb_buf_failed(&b), XB_ERR_TOO_BIG);
	assert_int_equal(xb_buf_check(&b, &err, "the tags"), XB_ERR_TOO_BIG);
	assert_string_equal(err.msg, "the tags is larger than 12 bytes");
	/* its users refuse it: a vector it goes into fails, take gives NULL */
	assert_int_equal(xb_strv_push(&sv, "go"), XB_OK);
	assert_int_equal(xb_strv_push_buf(&sv, &b), XB_ERR_TOO_BIG);
	assert_int_equal(sv.n, 1);
	assert_ptr_equal(xb_strv_argv(&sv), XB_STRV_FAILED);
	assert_null(xb_buf_take(&b));
	assert_int_equal(xb_buf_failed(&b), XB_ERR_TOO_BIG);
	/* a format the C library cannot print is a failure too */
	xb_buf_reset(&b);
	assert_int_equal(xb_buf_failed(&b), XB_OK);
	assert_int_equal(xb_buf_addf(&b, "%ls", (const wchar_t[]){ 0x100, 0 }),
			 XB_ERR_FORMAT);
	assert_int_equal(xb_buf_adds(&b, "x"), XB_ERR_FORMAT);
	assert_int_equal(xb_buf_check(&b, &err, "the name"), XB_ERR_FORMAT);
	assert_string_equal(err.msg, "the name: malformed input");
	xb_buf_release(&b);
	assert_int_equal(xb_buf_adds(&b, "x"), XB_OK);
	xb_buf_release(&b);
	xb_strv_release(&sv);
}

/* A plan's shell line is built in the caller's buffer: when an argument
 * does not fit, the line is refused, not printed without it. */
static void plan_shell_refuses_a_short_line(void **state)
{
	const char *words[] = { "go", "build", "-tags=netgo,osusergo", ".", NULL };
	xb_plan pl;
	xb_buf out;

	(void)state;
	xb_plan_init(&pl);
	assert_int_equal(xb_strv_pushv(&pl.argv, words), XB_OK);
	xb_buf_init(&out, 0);
	assert_int_equal(xb_plan_shell(&pl, &out), XB_OK);
	assert_string_equal(xb_buf_str(&out),
			    "env -i go build -tags=netgo,osusergo .\n");
	xb_buf_release(&out);
	/* "-tags=..." does not fit in 30 bytes, " .\n" would */
	xb_buf_init(&out, 30);
	assert_int_equal(xb_plan_shell(&pl, &out), XB_ERR_TOO_BIG);
	assert_null(strstr(xb_buf_str(&out), " ."));
	xb_buf_release(&out);
	xb_plan_release(&pl);
}

static void buf_take_hands_over(void **state)
{
	xb_buf b = XB_BUF_INIT;
	char *s;

	(void)state;
	s = xb_buf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(xb_buf_addf(&b, "%04d", i), XB_OK);
	assert_int_equal(b.len, 4000);
	s = xb_buf_take(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_memory_equal(s + 3996, "0999", 5);
	free(s);
}

static void buf_reads_files_with_cap(void **state)
{
	char path[] = "/tmp/xbuild-unit-XXXXXX";
	xb_err err = XB_ERR_INIT;
	xb_buf b;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	xb_buf_init(&b, 100);
	assert_int_equal(xb_buf_read_file(&b, path, &err), XB_OK);
	assert_string_equal(xb_buf_str(&b), "0123456789");
	xb_buf_release(&b);
	xb_buf_init(&b, 5);
	assert_int_equal(xb_buf_read_file(&b, path, &err), XB_ERR_TOO_BIG);
	assert_non_null(strstr(err.msg, path));
	xb_buf_release(&b);
	assert_int_equal(xb_buf_read_file(&b, "/tmp", &err), XB_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(xb_buf_read_file(&b, "/nonexistent/x", &err),
			 XB_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "No such file"));
	unlink(path);
}

/* A step that reports its inner failure with context, as lib/ does. */
static xb_code step_with_context(xb_err *err)
{
	xb_code rc = xb_fail(err, XB_ERR_EXPECT, "inner");

	return xb_prefix(err, rc, "outer %d", 2);
}

static void err_prefix_keeps_the_failure(void **state)
{
	xb_err err = XB_ERR_INIT;
	char big[600];

	(void)state;
	/* no err to fill (the caller wants the code only): still a failure */
	assert_int_equal(step_with_context(NULL), XB_ERR_EXPECT);
	assert_int_equal(step_with_context(&err), XB_ERR_EXPECT);
	assert_int_equal(err.code, XB_ERR_EXPECT);
	assert_string_equal(err.msg, "outer 2: inner");
	/* the code given wins over what err held */
	assert_int_equal(xb_prefix(&err, XB_ERR_IO, "again"), XB_ERR_IO);
	assert_int_equal(err.code, XB_ERR_IO);
	assert_string_equal(err.msg, "again: outer 2: inner");
	/* a prefix longer than the message room cuts the old text, not the code */
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(xb_prefix(&err, XB_ERR_NET, "%s", big), XB_ERR_NET);
	assert_true(strlen(err.msg) < sizeof(err.msg));
}

static void err_appends_errno(void **state)
{
	xb_err err = XB_ERR_INIT;

	(void)state;
	errno = ENOENT;
	assert_int_equal(xb_fail(&err, XB_ERR_IO, "cannot open '%s':", "x"),
			 XB_ERR_IO);
	assert_string_equal(err.msg, "cannot open 'x': No such file or directory");
	assert_int_equal(xb_prefix(&err, XB_ERR_IO, "profile %d", 1), XB_ERR_IO);
	assert_string_equal(err.msg,
			    "profile 1: cannot open 'x': No such file or directory");
	assert_int_equal(xb_fail(NULL, XB_ERR_HASH, "x"), XB_ERR_HASH);
	assert_string_equal(xb_strerror(XB_ERR_HASH), "checksum mismatch");
	assert_string_equal(xb_strerror((xb_code)999), "unknown error");
	for (int c = 0; c < XB_CODE_MAX; c++)
		assert_string_not_equal(xb_strerror((xb_code)c), "unknown error");
	err.msg[0] = '\0';
	err.code = XB_ERR_NET;
	assert_string_equal(xb_errmsg(&err), "network transfer failed");
}

/* A vector remembers its first failed push the same way; xb_run and
 * xb_spawn refuse it rather than run a command with an argument missing. */
static void spawn_refuses_a_vector_with_a_failed_push(void **state)
{
	const char *ok[] = { "sh", "-c", "echo ran", NULL };
	xb_strv argv, env;
	xb_spawn_opts o = XB_SPAWN_OPTS_INIT;
	xb_buf out = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	int code = -1;
	pid_t pid = -1;

	(void)state;
	xb_strv_init_max(&argv, 3);
	assert_int_equal(xb_strv_push(&argv, "printf"), XB_OK);
	assert_int_equal(xb_strv_push(&argv, "%s|"), XB_OK);
	assert_int_equal(xb_strv_push(&argv, "build"), XB_OK);
	assert_int_equal(xb_strv_push(&argv, "-tags=netgo"), XB_ERR_TOO_BIG);
	assert_int_equal(xb_strv_pushf(&argv, "%s", "."), XB_ERR_TOO_BIG);
	assert_int_equal(xb_strv_setenv(&argv, "A", "1"), XB_ERR_TOO_BIG);
	assert_int_equal(argv.n, 3);
	assert_int_equal(xb_strv_failed(&argv), XB_ERR_TOO_BIG);
	assert_int_equal(xb_strv_check(&argv, &err, "go build's arguments"),
			 XB_ERR_TOO_BIG);
	assert_string_equal(err.msg, "go build's arguments has more than 3 items");
	assert_ptr_equal(xb_strv_argv(&argv), XB_STRV_FAILED);
	assert_int_equal(xb_run(xb_strv_argv(&argv), NULL, &out, &out, &code,
				&err), XB_ERR_SPAWN);
	assert_non_null(strstr(err.msg, "refusing to run"));
	assert_int_equal(out.len, 0);
	assert_int_equal(code, -1);
	assert_int_equal(xb_spawn(xb_strv_argv(&argv), NULL, &pid, &err),
			 XB_ERR_SPAWN);
	assert_int_equal(pid, -1);
	/* copied into another vector, the failure goes along */
	xb_strv_init(&env);
	assert_int_equal(xb_strv_pushsv(&env, &argv), XB_ERR_TOO_BIG);
	assert_int_equal(env.n, 3);
	xb_strv_release(&env);
	assert_int_equal(xb_strv_pushv(&env, xb_strv_argv(&argv)), XB_ERR_NOMEM);
	xb_strv_release(&env);
	/* released, it is empty, whole and keeps its cap */
	xb_strv_release(&argv);
	assert_int_equal(xb_strv_failed(&argv), XB_OK);
	assert_int_equal(argv.max, 3);
	/* an environment with a variable missing: refused as well */
	xb_strv_init_max(&env, 1);
	assert_int_equal(xb_strv_push(&env, "PATH=/usr/bin:/bin"), XB_OK);
	assert_int_equal(xb_strv_setenv(&env, "GOFLAGS", "-mod=vendor"),
			 XB_ERR_TOO_BIG);
	o.envp = xb_strv_argv(&env);
	assert_int_equal(xb_run(ok, &o, &out, NULL, &code, &err), XB_ERR_SPAWN);
	assert_non_null(strstr(err.msg, "environment"));
	assert_int_equal(out.len, 0);
	xb_strv_release(&env);
	o.envp = xb_strv_argv(&env);
	assert_int_equal(xb_run(ok, &o, &out, NULL, &code, &err), XB_OK);
	assert_string_equal(xb_buf_str(&out), "ran\n");
	xb_buf_release(&out);
}

/* Without a cap, a push fails when its format cannot be printed: the
 * arguments after it must not run without it. */
static void spawn_refuses_an_argv_with_a_failed_format(void **state)
{
	xb_strv argv = XB_STRV_INIT;
	xb_buf out = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	int code = -1;

	(void)state;
	xb_strv_push(&argv, "printf");
	xb_strv_push(&argv, "%s|");
	xb_strv_pushf(&argv, "%ls", (const wchar_t[]){ 0x100, 0 });
	xb_strv_push(&argv, "after");
	assert_int_not_equal(xb_run(xb_strv_argv(&argv), NULL, &out, NULL,
				    &code, &err), XB_OK);
	assert_string_equal(xb_buf_str(&out), "");
	xb_buf_release(&out);
	xb_strv_release(&argv);
}

/* xb_prefix with no err (a caller that wants the code only) must still
 * return the failure, never XB_OK. */
static void err_prefix_without_err_is_a_failure(void **state)
{
	(void)state;
	for (int c = 1; c < XB_CODE_MAX; c++)
		assert_int_equal(xb_prefix(NULL, (xb_code)c, "x %d", c), c);
	assert_int_equal(xb_prefix(NULL, XB_OK, "x"), XB_OK);
}

static void strv_env(void **state)
{
	xb_strv sv = XB_STRV_INIT;

	(void)state;
	assert_null(xb_strv_argv(&sv)[0]);
	xb_strv_push(&sv, "A=1");
	xb_strv_push(&sv, "B=2");
	xb_strv_push(&sv, "A=3");
	assert_string_equal(xb_strv_getenv(&sv, "A"), "3");
	assert_int_equal(xb_strv_setenv(&sv, "A", "x"), XB_OK);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "A=x");
	assert_string_equal(sv.v[1], "B=2");
	assert_null(sv.v[2]);
	xb_strv_setenv(&sv, "C", "y=z");
	assert_string_equal(xb_strv_getenv(&sv, "C"), "y=z");
	assert_null(xb_strv_getenv(&sv, "AB"));
	xb_strv_unsetenv(&sv, "B");
	assert_int_equal(sv.n, 2);
	assert_true(xb_strv_contains(&sv, "C=y=z"));
	assert_false(xb_strv_contains(&sv, "B=2"));
	xb_strv_pushf(&sv, "%s-%d", "n", 7);
	assert_string_equal(sv.v[2], "n-7");
	xb_strv_release(&sv);
	assert_int_equal(sv.n, 0);
}

/* Lines for a fixed-size message: repeats counted, the rest summed up,
 * never a line cut. */
static void strv_lines_fit(void **state)
{
	xb_strv v = XB_STRV_INIT;
	xb_buf b = XB_BUF_INIT;

	(void)state;
	xb_strv_push(&v, "u1: HTTP 500");
	xb_strv_push(&v, "u1: HTTP 500");
	xb_strv_push(&v, "u1: HTTP 500");
	xb_strv_push(&v, "u2: HTTP 404");
	xb_buf_adds(&b, "head:");
	xb_strv_add_lines(&b, &v, "  ", 1024);
	assert_string_equal(xb_buf_str(&b),
			    "head:\n  u1: HTTP 500 (3 times)\n  u2: HTTP 404");
	for (int i = 0; i < 40; i++)
		xb_strv_pushf(&v, "u%d: a reason long enough to fill the room", i);
	xb_buf_reset(&b);
	xb_strv_add_lines(&b, &v, "  ", 200);
	assert_true(b.len <= 200);
	assert_non_null(strstr(xb_buf_str(&b), "\n  u1: HTTP 500 (3 times)\n"));
	assert_non_null(strstr(xb_buf_str(&b), "\n  and 38 more"));
	assert_null(strstr(xb_buf_str(&b), "u2: a reason"));
	xb_buf_release(&b);
	xb_strv_release(&v);
}

static char *json_of(void (*fn)(xb_json *), bool pretty)
{
	xb_buf b = XB_BUF_INIT;
	xb_json j;

	xb_json_init(&j, &b, pretty);
	fn(&j);
	assert_int_equal(xb_json_finish(&j), XB_OK);
	return xb_buf_take(&b);
}

static void doc(xb_json *j)
{
	xb_json_obj_begin(j);
	xb_json_kstr(j, "s", "a\"b\\c\n\x01");
	xb_json_kint(j, "i", -5);
	xb_json_kint(j, "min", LLONG_MIN);
	xb_json_kint(j, "z", 0);
	xb_json_kstr(j, "k\"\xc3\xa9", "v");
	xb_json_kbool(j, "t", true);
	xb_json_kstr(j, "n", NULL);
	xb_json_key(j, "a");
	xb_json_arr_begin(j);
	xb_json_uint(j, 18446744073709551615ULL);
	xb_json_arr_begin(j);
	xb_json_arr_end(j);
	xb_json_obj_begin(j);
	xb_json_obj_end(j);
	xb_json_str(j, "p");
	xb_json_arr_end(j);
	/* keys known when compiling: the same bytes as xb_json_key's */
	XB_JSON_KSTR(j, "l", "x");
	XB_JSON_KSTR(j, "le", "\t");
	XB_JSON_KSTR(j, "ln", NULL);
	XB_JSON_KEY(j, "lk");
	xb_json_obj_begin(j);
	XB_JSON_KSTR(j, "m", "y");
	xb_json_obj_end(j);
	xb_json_obj_end(j);
}

static void json_writes_valid_documents(void **state)
{
	char *s;

	(void)state;
	s = json_of(doc, false);
	assert_string_equal(s, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"i\":-5,"
			       "\"min\":-9223372036854775808,\"z\":0,"
			       "\"k\\\"\xc3\xa9\":\"v\","
			       "\"t\":true,\"n\":null,"
			       "\"a\":[18446744073709551615,[],{},\"p\"],"
			       "\"l\":\"x\",\"le\":\"\\t\",\"ln\":null,"
			       "\"lk\":{\"m\":\"y\"}}");
	free(s);
	s = json_of(doc, true);
	assert_string_equal(s, "{\n  \"s\": \"a\\\"b\\\\c\\n\\u0001\",\n"
			       "  \"i\": -5,\n  \"min\": -9223372036854775808,\n"
			       "  \"z\": 0,\n  \"k\\\"\xc3\xa9\": \"v\",\n"
			       "  \"t\": true,\n  \"n\": null,\n"
			       "  \"a\": [\n    18446744073709551615,\n    [],\n"
			       "    {},\n    \"p\"\n  ],\n  \"l\": \"x\",\n"
			       "  \"le\": \"\\t\",\n  \"ln\": null,\n"
			       "  \"lk\": {\n    \"m\": \"y\"\n  }\n}\n");
	free(s);
}

/* The literal writes check their room: after any number of bytes
 * already in the buffer (so that each write meets the end of its
 * memory somewhere), the same document, and nothing written past the
 * buffer (the sanitizers' build sees every byte). */
static void json_literals_fit_any_room(void **state)
{
	char *want = json_of(doc, false);

	(void)state;
	for (size_t k = 0; k < 300; k++) {
		xb_buf b = XB_BUF_INIT;
		xb_json j;

		for (size_t i = 0; i < k; i++)
			xb_buf_addc(&b, 'x');
		xb_json_init(&j, &b, false);
		doc(&j);
		assert_int_equal(xb_json_finish(&j), XB_OK);
		assert_int_equal(b.len, k + strlen(want));
		assert_string_equal(b.data + k, want);
		xb_buf_release(&b);
	}
	free(want);
}

static void json_replaces_bad_utf8(void **state)
{
	xb_buf b = XB_BUF_INIT;

	(void)state;
	/* valid 2/3/4-byte sequences pass; stray, overlong, surrogate and
	 * truncated ones become U+FFFD */
	assert_int_equal(xb_json_quote(&b, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				       "\xff\xc0\xaf\xed\xa0\x80\xe2\x82", 17),
			 XB_OK);
	assert_string_equal(xb_buf_str(&b),
			    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
			    "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
			    "\\ufffd\\ufffd\"");
	xb_buf_release(&b);
}

static void json_catches_misuse(void **state)
{
	xb_buf b = XB_BUF_INIT;
	xb_json j;

	(void)state;
	xb_json_init(&j, &b, false);
	xb_json_obj_begin(&j);
	assert_int_equal(xb_json_finish(&j), XB_ERR_FORMAT); /* unclosed */
	xb_buf_release(&b);
	xb_json_init(&j, &b, false);
	for (int i = 0; i < XB_JSON_MAX_DEPTH + 5; i++)
		xb_json_arr_begin(&j);
	assert_int_equal(xb_json_finish(&j), XB_ERR_TOO_BIG);
	xb_buf_release(&b);
	xb_buf_init(&b, 4);
	xb_json_init(&j, &b, false);
	xb_json_str(&j, "too long for the cap");
	assert_int_equal(xb_json_finish(&j), XB_ERR_TOO_BIG);
	xb_buf_release(&b);
	xb_buf_init(&b, 8);
	xb_json_init(&j, &b, false);
	xb_json_obj_begin(&j);
	xb_json_key(&j, "a key too long for the cap");
	xb_json_kint(&j, "k", 1);
	xb_json_obj_end(&j);
	assert_int_equal(xb_json_finish(&j), XB_ERR_TOO_BIG);
	assert_int_equal(xb_buf_failed(&b), XB_ERR_TOO_BIG);
	xb_buf_release(&b);
}

static void sha256_known_answers(void **state)
{
	unsigned char d[32], back[32];
	char hex[65], path[] = "/tmp/xbuild-unit-XXXXXX";
	xb_err err = XB_ERR_INIT;
	xb_sha256 h;
	int fd;

	(void)state;
	assert_int_equal(xb_sha256_init(&h), XB_OK);
	assert_int_equal(xb_sha256_update(&h, "abc", 3), XB_OK);
	assert_int_equal(xb_sha256_final(&h, d), XB_OK);
	xb_hex(d, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(xb_unhex32(hex, back), 0);
	assert_memory_equal(back, d, 32);
	assert_int_equal(xb_unhex32("abc", back), -1);
	hex[5] = 'g';
	assert_int_equal(xb_unhex32(hex, back), -1);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(xb_sha256_file(path, d, &err), XB_OK);
	xb_hex(d, 32, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
	/* a descriptor is hashed from its start, and its offset stays */
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	{
		uint64_t len = 0;
		assert_int_equal(xb_sha256_fd(fd, path, d, &len, &err), XB_OK);
		assert_int_equal(len, 3);
	}
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 3);
	xb_hex(d, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	close(fd);
	unlink(path);
	assert_int_equal(xb_sha256_file(path, d, &err), XB_ERR_NOTFOUND);
}

/* The hash of a file read in a thread: the same digest as in turn; a
 * rename meanwhile changes nothing; a write meanwhile fails it; same
 * says whether the path still names the file, unchanged. */
static void sha256_task_reads_beside(void **state)
{
	char path[] = "/tmp/xbuild-unit-XXXXXX", moved[64], hex[65];
	unsigned char d[32];
	xb_err err = XB_ERR_INIT;
	xb_sha256_task *k;
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	uint64_t len = 0;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	snprintf(moved, sizeof(moved), "%s.moved", path);
	assert_non_null(k = xb_sha256_start(path, &err));
	assert_true(xb_sha256_same(k, path));
	assert_int_equal(rename(path, moved), 0);
	assert_false(xb_sha256_same(k, path));
	assert_int_equal(xb_sha256_wait(k, d, &len, &err), XB_OK);
	assert_int_equal(len, 3);
	xb_hex(d, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	/* written to after the start: refused, whenever the thread ran */
	assert_non_null(k = xb_sha256_start(moved, &err));
	fd = open(moved, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "d", 1), 1);
	close(fd);
	assert_false(xb_sha256_same(k, moved));
	assert_int_equal(xb_sha256_wait(k, d, NULL, &err), XB_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "changed while its sha256 was read"));
	/* a file whose times alone moved is not the same either */
	assert_non_null(k = xb_sha256_start(moved, &err));
	assert_int_equal(utimensat(AT_FDCWD, moved, ts, 0), 0);
	assert_false(xb_sha256_same(k, moved));
	assert_int_equal(xb_sha256_wait(k, d, NULL, &err), XB_ERR_CONFLICT);
	unlink(moved);
	assert_null(xb_sha256_start(moved, &err));
	assert_int_equal(err.code, XB_ERR_NOTFOUND);
	assert_int_equal(xb_sha256_wait(NULL, d, NULL, NULL), XB_ERR_NOMEM);
}

static void versions_compare_numerically(void **state)
{
	(void)state;
	assert_true(xb_version_cmp("2.17", "2.34") < 0);
	assert_true(xb_version_cmp("2.4", "2.17") < 0);
	assert_true(xb_version_cmp("2.17", "2.17") == 0);
	assert_true(xb_version_cmp("2.17.1", "2.17") > 0);
	assert_true(xb_version_cmp("3", "2.99") > 0);
	assert_true(xb_version_cmp("1.19.8", "1.21") < 0);
	/* numbers as strtoul reads them: past the range is its largest
	 * value, leading zeros count for nothing, a sign first is read; what
	 * is not a number after a dot is compared as text */
	assert_true(xb_version_cmp("2.0017", "2.17") == 0);
	assert_true(xb_version_cmp("2.99999999999999999999999", "2.18446744073709551615") == 0);
	assert_true(xb_version_cmp("2.99999999999999999999999", "2.18446744073709551614") > 0);
	assert_true(xb_version_cmp("+5", "5") == 0);
	assert_true(xb_version_cmp("2. 5", "2.5") < 0);
	assert_true(xb_version_cmp("2.+5", "2.4") < 0);
	assert_true(xb_version_cmp("2.x", "2.y") < 0);
}

static void spawn_captures_both_streams(void **state)
{
	const char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 7", NULL };
	xb_buf out = XB_BUF_INIT, errb = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	int code = -1;

	(void)state;
	assert_int_equal(xb_run(argv, NULL, &out, &errb, &code, &err), XB_OK);
	assert_int_equal(code, 7);
	assert_string_equal(xb_buf_str(&out), "out\n");
	assert_string_equal(xb_buf_str(&errb), "err\n");
	xb_buf_reset(&out);
	assert_int_equal(xb_run(argv, NULL, &out, &out, &code, &err), XB_OK);
	assert_string_equal(xb_buf_str(&out), "out\nerr\n");
	xb_buf_release(&out);
	xb_buf_release(&errb);
}

static void spawn_env_cwd_and_signals(void **state)
{
	const char *argv[] = { "sh", "-c", "printf '%s %s' \"$FOO\" \"$(pwd)\"", NULL };
	const char *killer[] = { "sh", "-c", "kill -TERM $$", NULL };
	const char *env[] = { "FOO=bar", "PATH=/usr/bin:/bin", NULL };
	xb_spawn_opts o = XB_SPAWN_OPTS_INIT;
	xb_buf out = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	int code;

	(void)state;
	o.envp = env;
	o.cwd = "/tmp";
	assert_int_equal(xb_run(argv, &o, &out, NULL, &code, &err), XB_OK);
	assert_int_equal(code, 0);
	assert_string_equal(xb_buf_str(&out), "bar /tmp");
	assert_int_equal(xb_run(killer, NULL, NULL, NULL, &code, &err), XB_OK);
	assert_int_equal(code, 128 + 15);
	xb_buf_release(&out);
}

static void spawn_missing_program_and_caps(void **state)
{
	const char *missing[] = { "xbuild-no-such-program", NULL };
	/* more output than the cap: the child must still finish */
	const char *big[] = { "sh", "-c", "head -c 1000000 /dev/zero; exit 3", NULL };
	xb_buf out;
	xb_err err = XB_ERR_INIT;
	int code = -1;

	(void)state;
	assert_int_equal(xb_run(missing, NULL, NULL, NULL, &code, &err),
			 XB_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "xbuild-no-such-program"));
	xb_buf_init(&out, 1000);
	assert_int_equal(xb_run(big, NULL, &out, NULL, &code, &err),
			 XB_ERR_TOO_BIG);
	assert_int_equal(code, 3);
	assert_true(out.len <= 1000);
	xb_buf_release(&out);
}

static void *close_later(void *fd)
{
	struct timespec t = { 0, 300 * 1000000 };

	nanosleep(&t, NULL);
	close(*(int *)fd);
	return NULL;
}

/* A child of xb_run is stopped once its cancel_fd is readable (here: its
 * write end closed), however long it would run; until then it runs. */
static void spawn_stops_on_cancel(void **state)
{
	const char *slow[] = { "sh", "-c", "echo started; exec sleep 30", NULL };
	const char *quick[] = { "sh", "-c", "echo done", NULL };
	xb_spawn_opts o = XB_SPAWN_OPTS_INIT;
	xb_buf out = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	int64_t t0;
	pthread_t th;
	int p[2], code = -1;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	o.cancel_fd = p[0];
	assert_int_equal(xb_run(quick, &o, &out, NULL, &code, &err), XB_OK);
	assert_string_equal(xb_buf_str(&out), "done\n");
	xb_buf_reset(&out);
	t0 = unit_mono_ms();
	assert_int_equal(pthread_create(&th, NULL, close_later, &p[1]), 0);
	assert_int_equal(xb_run(slow, &o, &out, NULL, &code, &err),
			 XB_ERR_INTERRUPTED);
	pthread_join(th, NULL);
	assert_true(unit_mono_ms() - t0 >= 300);
	assert_true(unit_mono_ms() - t0 < 10000);
	assert_int_equal(code, 128 + 9);
	assert_string_equal(xb_buf_str(&out), "started\n");
	assert_non_null(strstr(err.msg, "no longer wanted"));
	/* readable before it starts: stopped at once */
	t0 = unit_mono_ms();
	assert_int_equal(xb_run(slow, &o, NULL, &out, &code, &err),
			 XB_ERR_INTERRUPTED);
	assert_true(unit_mono_ms() - t0 < 10000);
	close(p[0]);
	xb_buf_release(&out);
}

static void which_searches_path(void **state)
{
	char *p;

	(void)state;
	p = xb_which("sh", "/nonexistent:/bin:/usr/bin");
	assert_non_null(p);
	assert_string_equal(p, "/bin/sh");
	free(p);
	assert_null(xb_which("sh", "/nonexistent"));
	assert_null(xb_which("", NULL));
	assert_null(xb_which("/etc/passwd", NULL)); /* not executable */
	p = xb_which("/bin/sh", "");
	assert_string_equal(p, "/bin/sh");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_caps),
		cmocka_unit_test(buf_failure_sticks_until_used),
		cmocka_unit_test(plan_shell_refuses_a_short_line),
		cmocka_unit_test(spawn_refuses_a_vector_with_a_failed_push),
		cmocka_unit_test(spawn_refuses_an_argv_with_a_failed_format),
		cmocka_unit_test(err_prefix_without_err_is_a_failure),
		cmocka_unit_test(buf_take_hands_over),
		cmocka_unit_test(buf_reads_files_with_cap),
		cmocka_unit_test(err_appends_errno),
		cmocka_unit_test(err_prefix_keeps_the_failure),
		cmocka_unit_test(strv_env),
		cmocka_unit_test(strv_lines_fit),
		cmocka_unit_test(json_writes_valid_documents),
		cmocka_unit_test(json_literals_fit_any_room),
		cmocka_unit_test(json_replaces_bad_utf8),
		cmocka_unit_test(json_catches_misuse),
		cmocka_unit_test(sha256_known_answers),
		cmocka_unit_test(sha256_task_reads_beside),
		cmocka_unit_test(versions_compare_numerically),
		cmocka_unit_test(spawn_captures_both_streams),
		cmocka_unit_test(spawn_env_cwd_and_signals),
		cmocka_unit_test(spawn_missing_program_and_caps),
		cmocka_unit_test(spawn_stops_on_cancel),
		cmocka_unit_test(which_searches_path),
	};
	return RUN(tests);
}
