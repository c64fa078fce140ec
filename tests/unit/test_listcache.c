/* test_listcache.c: the go list cache: what its key changes with and what
 * it does not, the fingerprint of the listed folders at lookup, entries
 * refused when a folder changed while go ran, the size bound, and what
 * go list reads of a Go file (an answer kept across an edit outside it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "listcache.h"

static char root[64];

/* root/NAME with text, or made a folder when text is NULL */
static void put_file(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, name);
	if (!text) {
		assert_int_equal(xb_mkdir_p(p, NULL), XB_OK);
		return;
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* every time under root a minute back: not changed while go ran */
static void age(const char *name)
{
	char p[256];
	struct timespec t[2];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 60;
	t[1] = t[0];
	snprintf(p, sizeof(p), "%s/%s", root, name);
	assert_int_equal(utimensat(AT_FDCWD, p, t, 0), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/xb-listcache-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	setenv("XBUILD_CACHE", root, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return xb_rm_rf(root, NULL) ? -1 : 0;
}

struct qs {
	char go[128], mod[128];
	const char *env[8];
	const char *args[6];
	xb_listcache_q q;
};

static void q_init(struct qs *s)
{
	static const char *const env[] = { "PATH=/bin", "GOOS=linux",
		"GOARCH=arm64", "CGO_ENABLED=1", "GOFLAGS=", "TERM=xterm",
		NULL };
	static const char *const args[] = { "list", "-deps", "-f", "{{.Dir}}",
		"./cmd/app", NULL };

	memset(s, 0, sizeof(*s));
	snprintf(s->go, sizeof(s->go), "%s/bin/go", root);
	snprintf(s->mod, sizeof(s->mod), "%s/mod/sub", root);
	memcpy(s->env, env, sizeof(env));
	memcpy(s->args, args, sizeof(args));
	s->q.go = s->go;
	s->q.version = "go1.26.1";
	s->q.goroot = "/nonexistent/goroot";
	s->q.dir = s->mod;
	s->q.envp = s->env;
	s->q.args = s->args;
}

static void key_of(const struct qs *s, char key[65])
{
	assert_int_equal(xb_listcache_key(&s->q, key), XB_OK);
	assert_int_equal(strlen(key), 64);
}

/* The key of s differs from k0; s is made as q_init made it again. */
static void changes(struct qs *s, const char *k0, const char *what)
{
	char k[65];

	key_of(s, k);
	if (!strcmp(k, k0))
		fail_msg("the key does not change with %s", what);
	q_init(s);
}

/* The key changes with each thing the answer can depend on, and with
 * nothing else. */
static void key_changes(void **state)
{
	struct qs s;
	char k0[65], k[65];

	(void)state;
	put_file("bin", NULL);
	put_file("bin/go", "#!/bin/sh\n");
	put_file("mod/sub", NULL);
	put_file("mod/go.mod", "module example.com/m\n\ngo 1.21\n");
	q_init(&s);
	key_of(&s, k0);
	key_of(&s, k);
	assert_string_equal(k, k0);

	/* another order of the environment, another unrelated variable */
	s.env[0] = "TERM=dumb";
	s.env[5] = "PATH=/usr/bin";
	key_of(&s, k);
	assert_string_equal(k, k0);
	/* go's scratch folder, a new one each build */
	s.env[6] = "GOTMPDIR=/tmp/xbuild-123/tmp";
	key_of(&s, k);
	assert_string_equal(k, k0);
	q_init(&s);

	s.env[2] = "GOARCH=amd64";             changes(&s, k0, "goarch");
	s.env[3] = "CGO_ENABLED=0";            changes(&s, k0, "cgo");
	s.env[4] = "GOFLAGS=-mod=vendor";      changes(&s, k0, "goflags");
	s.env[6] = "GOEXPERIMENT=arenas";      changes(&s, k0, "goexperiment");
	s.env[6] = "CC=clang";                 changes(&s, k0, "cc");
	s.env[6] = "GOWORK=off";               changes(&s, k0, "gowork");
	s.args[4] = "./cmd/other";             changes(&s, k0, "package");
	s.args[3] = "{{.ImportPath}}";         changes(&s, k0, "template");
	s.q.version = "go1.26.2";              changes(&s, k0, "version");
	s.q.goroot = "/other/goroot";          changes(&s, k0, "goroot");
	s.q.dir = root;                        changes(&s, k0, "dir");
	put_file("bin/go", "#!/bin/sh\n# another go\n");
	changes(&s, k0, "go binary");
	key_of(&s, k0);
	put_file("mod/go.mod", "module example.com/m\n\ngo 1.22\n");
	changes(&s, k0, "go.mod");
	key_of(&s, k0);
	put_file("mod/go.sum", "example.com/x v1.0.0 h1:x=\n");
	changes(&s, k0, "go.sum");
	key_of(&s, k0);
	put_file("mod/vendor", NULL);
	put_file("mod/vendor/modules.txt", "# example.com/x v1.0.0\n");
	changes(&s, k0, "vendor/modules.txt");
	key_of(&s, k0);
	put_file("go.work", "go 1.22\n\nuse ./mod\n");
	changes(&s, k0, "a go.work in a parent");
	key_of(&s, k0);
	/* the go env file: $GOENV, and the user's config */
	put_file("goenv", "GOFLAGS=-tags=x\n");
	{
		char v[128];
		snprintf(v, sizeof(v), "GOENV=%s/goenv", root);
		s.env[6] = v;
		key_of(&s, k0);
		put_file("goenv", "GOFLAGS=-tags=y\n");
		s.env[6] = v;
		changes(&s, k0, "the go env file");
		put_file("cfg", NULL);
		put_file("cfg/go", NULL);
		snprintf(v, sizeof(v), "XDG_CONFIG_HOME=%s/cfg", root);
		s.env[6] = v;
		key_of(&s, k0);
		put_file("cfg/go/env", "CGO_ENABLED=0\n");
		s.env[6] = v;
		changes(&s, k0, "the user's go env file");
	}

	/* what cannot be keyed is not cached */
	s.args[4] = "./...";
	assert_int_not_equal(xb_listcache_key(&s.q, k), XB_OK);
	q_init(&s);
	s.q.go = "/nonexistent/go";
	assert_int_not_equal(xb_listcache_key(&s.q, k), XB_OK);
}

/* A remembered answer holds while each folder it lists is as it was. */
static void fingerprint(void **state)
{
	static const char key[] = "0123456789abcdef0123456789abcdef"
				  "0123456789abcdef0123456789abcdef";
	char text[512], cache[128];
	struct timespec now;
	xb_buf out = XB_BUF_INIT;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/cache", root);
	put_file("pkg", NULL);
	put_file("pkg/a", NULL);
	put_file("pkg/a/a.go", "package a\n");
	put_file("pkg/b", NULL);
	put_file("pkg/b/b.go", "package b\n");
	snprintf(text, sizeof(text), "example.com/a|false|0|||%s/pkg/a\n"
		 "example.com/b|false|0|example.com/a||%s/pkg/b\n", root, root);
	clock_gettime(CLOCK_REALTIME, &now);
	/* just written: go may have read them half written */
	assert_false(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_ERR_NOTFOUND);
	age("pkg/a/a.go");
	age("pkg/a");
	age("pkg/b/b.go");
	age("pkg/b");
	assert_true(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	assert_string_equal(xb_buf_str(&out), text);
	xb_buf_reset(&out);
	/* another key, nothing */
	assert_int_equal(xb_listcache_get(cache, "f123456789abcdef0123456789abcdef"
					  "0123456789abcdef0123456789abcdef",
					  NULL, &out), XB_ERR_NOTFOUND);
	/* a new file in a listed folder, even one with an old time */
	put_file("pkg/b/extra_linux.go", "package b\n");
	age("pkg/b/extra_linux.go");
	age("pkg/b");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_ERR_NOTFOUND);
	assert_true(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	xb_buf_reset(&out);
	/* a file of another size with its old time */
	put_file("pkg/a/a.go", "package a // longer\n");
	age("pkg/a/a.go");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_ERR_NOTFOUND);
	/* one run looks at each folder once (the memo): a change after
	 * that is for the next run, which sees it */
	{
		xb_listcache_memo *memo = NULL;
		put_file("pkg/a/a.go", "package a\n");
		age("pkg/a/a.go");
		assert_true(xb_listcache_put(cache, key, text, &now));
		xb_buf_reset(&out);
		assert_int_equal(xb_listcache_get(cache, key, &memo, &out), XB_OK);
		assert_non_null(memo);
		put_file("pkg/a/new.go", "package a\n");
		age("pkg/a/new.go");
		assert_int_equal(xb_listcache_get(cache, key, &memo, &out), XB_OK);
		xb_listcache_memo_free(memo);
		memo = NULL;
		assert_int_equal(xb_listcache_get(cache, key, &memo, &out),
				 XB_ERR_NOTFOUND);
		xb_listcache_memo_free(memo);
	}
	/* a line without a folder is never remembered */
	assert_false(xb_listcache_put(cache, key, "example.com/a|false|0||\n",
				      &now));
	assert_false(xb_listcache_put(cache, key, "", &now));
	xb_buf_release(&out);
}

/* A sealed folder (go's own trees) is looked at as one entry: a file
 * added, removed or renamed in it is seen, an edit in place is not (go
 * does not edit them); the same folder unsealed sees both. */
static void sealed(void **state)
{
	static const char key[] = "5555555555555555555555555555555555555555"
				  "555555555555555555555555";
	char text[512], open_text[512], cache[128];
	struct timespec now;
	xb_buf out = XB_BUF_INIT;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/cache", root);
	put_file("mod", NULL);
	put_file("mod/m", NULL);
	put_file("mod/m/m.go", "package m\n");
	age("mod/m/m.go");
	age("mod/m");
	snprintf(text, sizeof(text), "example.com/m|false|0||sealed|%s/mod/m\n",
		 root);
	snprintf(open_text, sizeof(open_text),
		 "example.com/m|false|0|||%s/mod/m\n", root);
	clock_gettime(CLOCK_REALTIME, &now);
	assert_true(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	assert_string_equal(xb_buf_str(&out), text);
	/* edited in place, the folder's entry unchanged: still a hit */
	put_file("mod/m/m.go", "package m // edited\n");
	age("mod/m/m.go");
	xb_buf_reset(&out);
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	/* unsealed, the same edit is a miss */
	assert_true(xb_listcache_put(cache, key, open_text, &now));
	put_file("mod/m/m.go", "package m // edited again\n");
	age("mod/m/m.go");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out),
			 XB_ERR_NOTFOUND);
	/* sealed, a file added is a miss */
	assert_true(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	put_file("mod/m/new.go", "package m\n");
	age("mod/m/new.go");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out),
			 XB_ERR_NOTFOUND);
	xb_buf_release(&out);
}

/* go list -json's answer: each object's "Dir", and the folders on the
 * way to its embedded files, which a file added deep in them changes. */
static void json_form(void **state)
{
	static const char key[] = "1123456789abcdef0123456789abcdef"
				  "0123456789abcdef0123456789abcdef";
	char text[1024], cache[128];
	struct timespec now;
	xb_buf out = XB_BUF_INIT;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/cache", root);
	put_file("j", NULL);
	put_file("j/static", NULL);
	put_file("j/static/deep", NULL);
	put_file("j/static/deep/a.txt", "a\n");
	put_file("j/main.go", "package main\n");
	snprintf(text, sizeof(text),
		 "{\n\t\"Dir\": \"%s/j\",\n\t\"ImportPath\": \"m\",\n"
		 "\t\"EmbedFiles\": [\n\t\t\"static/deep/a.txt\"\n\t]\n}\n"
		 "{\n\t\"Dir\": \"%s/j/static\",\n\t\"ImportPath\": \"s\"\n}\n",
		 root, root);
	age("j/static/deep/a.txt");
	age("j/static/deep");
	age("j/static");
	age("j/main.go");
	age("j");
	clock_gettime(CLOCK_REALTIME, &now);
	assert_true(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	assert_string_equal(xb_buf_str(&out), text);
	xb_buf_reset(&out);
	/* a file in the embedded folder's folder: neither package folder's
	 * names change */
	put_file("j/static/deep/b.txt", "b\n");
	age("j/static/deep/b.txt");
	age("j/static/deep");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_ERR_NOTFOUND);
	assert_true(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	/* objects without a folder, or not objects, are never remembered */
	assert_false(xb_listcache_put(cache, key, "{\"ImportPath\": \"m\"}\n",
				      &now));
	assert_false(xb_listcache_put(cache, key, "{\"Dir\": \"rel\"}\n", &now));
	assert_false(xb_listcache_put(cache, key, "{\"Dir\": \"/\"} [1]\n",
				      &now));
	assert_false(xb_listcache_put(cache, key, "{\"Dir\": \"/\"", &now));
	xb_buf_release(&out);
}

/* Past the bound, the least recently used entries go first. */
static void trims(void **state)
{
	char name[256], cache[128];
	struct timespec t[2];
	struct stat st;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/trim", root);
	put_file("trim", NULL);
	put_file("trim/golist", NULL);
	for (int i = 0; i < 4; i++) {
		char p[256], rel[32];
		snprintf(rel, sizeof(rel), "trim/golist/e%d", i);
		put_file(rel, "0123456789"); /* 10 bytes each */
		snprintf(p, sizeof(p), "%s/%s", root, rel);
		/* e0 oldest ... e3 newest, but e1 used last */
		t[0].tv_sec = 1000000 + (i == 1 ? 100 : i);
		t[0].tv_nsec = 0;
		t[1] = t[0];
		assert_int_equal(utimensat(AT_FDCWD, p, t, 0), 0);
	}
	assert_int_equal(xb_listcache_trim(cache, 40), 0);
	assert_int_equal(xb_listcache_trim(cache, 25), 2);
	snprintf(name, sizeof(name), "%s/trim/golist/e0", root);
	assert_int_not_equal(stat(name, &st), 0);
	snprintf(name, sizeof(name), "%s/trim/golist/e2", root);
	assert_int_not_equal(stat(name, &st), 0);
	snprintf(name, sizeof(name), "%s/trim/golist/e1", root);
	assert_int_equal(stat(name, &st), 0);
	snprintf(name, sizeof(name), "%s/trim/golist/e3", root);
	assert_int_equal(stat(name, &st), 0);
}

/* Where what go list reads of a Go file ends (goheader.c): at the first
 * line that starts a declaration other than an import, not at a word in
 * a comment, a string or a cgo preamble; rest is what follows, NULL when
 * the whole file is read. */
static void go_header_ends(void **state)
{
	static const struct { const char *text, *rest; } c[] = {
		{ "package a\n\nimport \"fmt\"\n\nfunc main() {}\n",
		  "func main() {}\n" },
		{ "package a\n/*\nfunc x\n*/\nimport `os`\nfunc f() {}\n",
		  "func f() {}\n" },
		{ "package a\n// func x\nimport \"os\"\nvar x = 1\n",
		  "var x = 1\n" },
		{ "package a\n/*\nconst int n = 1;\n*/\nimport \"C\"\n"
		  "const N = 1\n", "const N = 1\n" },
		{ "package a\nimport \"a\\\"\nfunc\"\ntype T int\n",
		  "type T int\n" },
		{ "package a\nimport `a\nvar b`\nvar c int\n", "var c int\n" },
		{ "package a\nvar r = '\"'\n", "var r = '\"'\n" },
		{ "package a\n\nfunc (t T) M() {}\n", "func (t T) M() {}\n" },
		{ "package a\nconst(\n\tA = 1\n)\n", "const(\n\tA = 1\n)\n" },
		{ "package a\nimport \"x\"\n", NULL },
		{ "package a\nfunction()\nfuncs x\n  func f() {}\n", NULL },
		{ "", NULL },
	};
	bool cut;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = strlen(c[i].text);
		size_t want = c[i].rest ? n - strlen(c[i].rest) : n;

		assert_int_equal(xb_goheader_len(c[i].text, n, &cut), want);
		assert_int_equal(cut, c[i].rest != NULL);
	}
}

static bool same_header(const char *a, const char *b)
{
	unsigned char da[32], db[32];

	assert_int_equal(xb_goheader_digest(a, strlen(a), da), XB_OK);
	assert_int_equal(xb_goheader_digest(b, strlen(b), db), XB_OK);
	return !memcmp(da, db, sizeof(da));
}

/* An edit inside a function keeps go list's answer: a remembered one
 * stands, and the entry takes the files' new stats; an edit of what go
 * reads (an import, a build constraint, a //go:embed line, where the
 * header ends), or one in the last seconds, does not. */
static void go_header_edits(void **state)
{
	static const char key[] = "1123456789abcdef0123456789abcdef"
				  "0123456789abcdef0123456789abcdef";
	static const char v1[] = "package a\n\nimport \"os\"\n\n"
				 "func F() { os.Exit(1) }\n";
	char text[256], cache[128], entry[256];
	struct timespec now;
	struct stat st0, st1;
	xb_buf out = XB_BUF_INIT;

	(void)state;
	assert_true(same_header(v1, "package a\n\nimport \"os\"\n\n"
				"func F() { os.Exit(2) }\n\nfunc G() {}\n"));
	assert_false(same_header(v1, "package a\n\nimport (\n\t\"os\"\n"
				 "\t\"io\"\n)\n\nfunc F() { os.Exit(1) }\n"));
	assert_false(same_header(v1, "//go:build linux\n\n" "package a\n\n"
				 "import \"os\"\n\nfunc F() { os.Exit(1) }\n"));
	assert_false(same_header(v1, "package a\n\nimport \"os\"\n\n"
				 "func F() { os.Exit(1) }\n//go:embed x\n"
				 "var x string\n"));
	assert_false(same_header("package a\nimport \"x\"\n",
				 "package a\nimport \"x\"\nfunc F() {}\n"));
	/* the cgo preamble (its #cgo lines) is read */
	assert_false(same_header("package a\n// #cgo LDFLAGS: -lm\n"
				 "import \"C\"\nfunc F() {}\n",
				 "package a\n// #cgo LDFLAGS: -lz\n"
				 "import \"C\"\nfunc F() {}\n"));

	snprintf(cache, sizeof(cache), "%s/cache", root);
	snprintf(entry, sizeof(entry), "%s/golist/%s", cache, key);
	put_file("hdr", NULL);
	put_file("hdr/a.go", v1);
	put_file("hdr/data.txt", "one\n");
	age("hdr/a.go");
	age("hdr/data.txt");
	age("hdr");
	snprintf(text, sizeof(text), "example.com/a|false|0|os||%s/hdr\n", root);
	clock_gettime(CLOCK_REALTIME, &now);
	assert_true(xb_listcache_put(cache, key, text, &now));
	assert_int_equal(stat(entry, &st0), 0);
	/* a body edit, an asset edited: the same answer, the entry
	 * written again (with the new stats) */
	put_file("hdr/a.go", "package a\n\nimport \"os\"\n\n"
		 "func F() { os.Exit(3) } // longer now\n");
	put_file("hdr/data.txt", "two, longer\n");
	age("hdr/a.go");
	age("hdr/data.txt");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	assert_string_equal(xb_buf_str(&out), text);
	assert_int_equal(stat(entry, &st1), 0);
	assert_true(st1.st_ino != st0.st_ino);
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out), XB_OK);
	/* the same edit, just made: not trusted yet */
	put_file("hdr/a.go", "package a\n\nimport \"os\"\n\n"
		 "func F() { os.Exit(4) } // longer now\n");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out),
			 XB_ERR_NOTFOUND);
	/* a C file edited, its time put back: go reads its build
	 * constraints, so its stats count */
	put_file("hdr/a.go", "package a\n\nimport \"os\"\n\n"
		 "func F() { os.Exit(3) } // longer now\n");
	age("hdr/a.go");
	put_file("hdr/c.c", "int one(void) { return 1; }\n");
	age("hdr/c.c");
	age("hdr");
	assert_true(xb_listcache_put(cache, key, text, &now));
	put_file("hdr/c.c", "//go:build ignore\nint one(void) { return 1; }\n");
	age("hdr/c.c");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out),
			 XB_ERR_NOTFOUND);
	/* an import added, the time put back: a miss */
	put_file("hdr/a.go", "package a\n\nimport \"os\"\nimport \"io\"\n\n"
		 "func F() { os.Exit(4) } // longer now\n");
	age("hdr/a.go");
	assert_int_equal(xb_listcache_get(cache, key, NULL, &out),
			 XB_ERR_NOTFOUND);
	xb_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_changes),
		cmocka_unit_test(fingerprint),
		cmocka_unit_test(sealed),
		cmocka_unit_test(json_form),
		cmocka_unit_test(trims),
		cmocka_unit_test(go_header_ends),
		cmocka_unit_test(go_header_edits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
