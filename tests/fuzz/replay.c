/* replay.c: a main for fuzz targets that feeds them every file of the
 * given corpus folders (or files), one TAP line each.  A crash or a
 * sanitizer report ends the run with a non-zero status. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xbuild.h"
#include "fuzz.h"

static int n;

static int one(const char *path)
{
	xb_buf b;
	xb_err err = XB_ERR_INIT;

	xb_buf_init(&b, 64u << 20);
	if (xb_buf_read_file(&b, path, &err)) {
		printf("not ok %d - %s: %s\n", ++n, path, xb_errmsg(&err));
		xb_buf_release(&b);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)b.data ? (const uint8_t *)b.data
						       : (const uint8_t *)"",
			       b.len);
	printf("ok %d - %s\n", ++n, path);
	xb_buf_release(&b);
	return 0;
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
	if (!d)
		return 1;
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
	for (int i = 1; i < argc; i++)
		bad |= walk(argv[i]);
	printf("1..%d\n", n);
	return bad;
}
