/* replay.c: a main for fuzz targets that feeds them every file of the
 * given corpus folders (or files), one TAP line each.  An input that
 * breaks an invariant is "not ok", with what broke; a crash or a sanitizer
 * report ends the run with a non-zero status.  A folder with no input in
 * it fails: a replay that tested nothing has not passed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"

/* Messages kept for one input; past this, only counted. */
#define MAX_SHOWN 20

static int n;
static xb_strv broken; /* what the current input broke */
static size_t unshown;

static void on_violation(const char *msg)
{
	if (broken.n < MAX_SHOWN)
		xb_strv_push(&broken, msg);
	else
		unshown++;
}

static int one(const char *path)
{
	xb_buf b;
	xb_err err = XB_ERR_INIT;
	unsigned char *copy;
	size_t len;
	int bad;

	xb_buf_init(&b, 64u << 20);
	if (xb_buf_read_file(&b, path, &err)) {
		printf("not ok %d - %s: %s\n", ++n, path, xb_errmsg(&err));
		xb_buf_release(&b);
		return 1;
	}
	/* an allocation of exactly the input, as libFuzzer gives: a read
	 * past its end is a sanitizer report, not slack in the buffer */
	len = b.len;
	copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	if (len)
		memcpy(copy, b.data, len);
	xb_buf_release(&b);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	bad = broken.n > 0;
	printf("%s %d - %s\n", bad ? "not ok" : "ok", ++n, path);
	for (size_t i = 0; i < broken.n; i++)
		printf("#   %s\n", broken.v[i]);
	if (unshown)
		printf("#   and %zu more\n", unshown);
	fflush(stdout);
	xb_strv_release(&broken);
	xb_strv_init(&broken);
	unshown = 0;
	return bad;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t count = 0;
	int bad = 0;
	DIR *d;

	if (stat(path, &st) < 0) {
		printf("not ok %d - %s: missing\n", ++n, path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return one(path);
	d = opendir(path);
	if (!d) {
		printf("not ok %d - %s: cannot open\n", ++n, path);
		return 1;
	}
	while ((de = readdir(d))) {
		char **grown;
		if (de->d_name[0] == '.')
			continue;
		grown = realloc(names, (count + 1) * sizeof(*names));
		if (!grown)
			abort();
		names = grown;
		names[count] = malloc(strlen(path) + strlen(de->d_name) + 2);
		if (!names[count])
			abort();
		sprintf(names[count++], "%s/%s", path, de->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof(*names), cmp);
	for (size_t i = 0; i < count; i++) {
		bad |= walk(names[i]);
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS...\n", argv[0]);
		return 2;
	}
	xb_strv_init(&broken);
	fuzz_violation_hook = on_violation;
	for (int i = 1; i < argc; i++) {
		int before = n;

		bad |= walk(argv[i]);
		if (n == before) {
			printf("not ok %d - %s: no input in it\n", ++n, argv[i]);
			bad = 1;
		}
	}
	printf("1..%d\n", n);
	return bad;
}
