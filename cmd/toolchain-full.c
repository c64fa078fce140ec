/* toolchain-full.c: the actions of `xbuild toolchain` that fetch, verify
 * or remove what the cache holds (libcurl, libarchive, the hashes of
 * every file): in the complete program only (toolchain.c runs the rest
 * in both). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "toolchain.h"

/* ---- progress ------------------------------------------------------------ */

struct bar {
	time_t last;
	uint64_t shown;
};

static int draw_bar(void *ctx, const char *id, uint64_t done, uint64_t total)
{
	struct bar *b = ctx;
	time_t now = time(NULL);
	int width = 30, fill;

	if (done == b->shown || (now == b->last && done != total))
		return 0;
	b->last = now;
	b->shown = done;
	if (total) {
		fill = (int)(done * (uint64_t)width / (total ? total : 1));
		if (fill > width)
			fill = width;
		fprintf(stderr, "\r%-16.16s [%.*s%*s] %3d%% %6.1f MiB", id, fill,
			"##############################", width - fill, "",
			(int)(done * 100 / total), (double)done / (1 << 20));
	} else {
		fprintf(stderr, "\r%-16.16s %6.1f MiB", id, (double)done / (1 << 20));
	}
	fflush(stderr);
	return 0;
}

static int do_fetch(const struct tc_args *args, const char *id)
{
	xb_fetch_opts fo = XB_FETCH_OPTS_INIT;
	xb_fetch_info info;
	xb_err err = XB_ERR_INIT;
	xb_tc_data d;
	const xb_tc_archive *a;
	struct bar bar = { 0, 0 };
	bool tty = isatty(2);
	char *dir = NULL;
	xb_code code;
	int rc;

	if (!(a = tc_load_archive(&d, id, &rc)))
		return rc;
	fo.offline = args->offline;
	if (tty) {
		fo.progress = draw_bar;
		fo.progress_ctx = &bar;
	}
	xb_fetch_info_init(&info);
	if (args->from)
		code = xb_fetch_from_file(a, args->from, &fo, &dir, &err);
	else
		code = xb_fetch_archive(a, &fo, &dir, &info, &err);
	if (tty && bar.shown)
		fputc('\n', stderr);
	/* on failure the error lists every attempt; on success say what was
	 * overcome, so a flaky mirror does not go unnoticed */
	for (size_t i = 0; !code && i < info.notes.n; i++)
		cmd_warn("recovered from: %s", info.notes.v[i]);
	if (code) {
		rc = cmd_report(&err);
	} else if (args->json) {
		xb_buf out = XB_BUF_INIT;
		xb_json j;
		xb_json_init(&j, &out, true);
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "id", a->id);
		xb_json_kstr(&j, "sha256", a->sha256);
		xb_json_kstr(&j, "path", dir);
		xb_json_kbool(&j, "cached", info.cached);
		xb_json_kint(&j, "attempts", info.attempts);
		xb_json_kint(&j, "resumed", info.resumed);
		xb_json_kstr(&j, "url", info.url);
		xb_json_obj_end(&j);
		xb_json_finish(&j);
		rc = cmd_write_out(&out);
		xb_buf_release(&out);
	} else {
		printf("%s\n", dir);
		rc = fflush(stdout) ? EXIT_FAIL : EXIT_OK;
	}
	free(dir);
	xb_fetch_info_release(&info);
	xb_tc_data_release(&d);
	return rc;
}

static int do_verify(const struct tc_args *args, int n, char **ids)
{
	char *cache = xb_cache_dir();
	xb_strv dirs = XB_STRV_INIT;
	xb_buf out = XB_BUF_INIT;
	xb_json j;
	int rc = EXIT_OK;

	if (!cache) {
		cmd_error("no cache folder (set XBUILD_CACHE or HOME)");
		return EXIT_FAIL;
	}
	if (n) {
		xb_tc_data d;
		if ((rc = tc_load_data(&d))) {
			free(cache);
			return rc;
		}
		for (int i = 0; i < n; i++) {
			const xb_tc_archive *a = tc_find_archive(&d, ids[i], &rc);
			char *dir = a ? xb_fetch_installed(a, cache) : NULL;
			if (a && !dir) {
				cmd_error("toolchain '%s' is not in the cache", ids[i]);
				rc = EXIT_FAIL;
			}
			if (dir)
				xb_strv_push(&dirs, dir);
			free(dir);
		}
		xb_tc_data_release(&d);
	} else {
		char tc[4096];
		DIR *dh;
		struct dirent *de;
		snprintf(tc, sizeof(tc), "%s/tc", cache);
		if ((dh = opendir(tc))) {
			while ((de = readdir(dh)))
				if (de->d_name[0] != '.')
					xb_strv_pushf(&dirs, "%s/%s", tc, de->d_name);
			closedir(dh);
		}
	}
	if (xb_strv_failed(&dirs)) { /* an install would go unchecked */
		cmd_error("out of memory");
		rc = EXIT_FAIL;
	}
	xb_json_init(&j, &out, true);
	if (args->json)
		xb_json_arr_begin(&j);
	for (size_t i = 0; i < dirs.n; i++) {
		xb_err err = XB_ERR_INIT;
		xb_code code = xb_fetch_verify_dir(dirs.v[i], &err);

		if (args->json) {
			xb_json_obj_begin(&j);
			xb_json_kstr(&j, "path", dirs.v[i]);
			xb_json_kbool(&j, "ok", code == XB_OK);
			if (code)
				xb_json_kstr(&j, "error", xb_errmsg(&err));
			xb_json_obj_end(&j);
		} else if (code) {
			cmd_error("%s", xb_errmsg(&err));
		} else {
			xb_buf_addf(&out, "ok %s\n", dirs.v[i]);
		}
		if (code)
			rc = EXIT_FAIL;
	}
	if (args->json) {
		xb_json_arr_end(&j);
		xb_json_finish(&j);
	}
	if (cmd_write_out(&out))
		rc = EXIT_FAIL;
	xb_buf_release(&out);
	xb_strv_release(&dirs);
	free(cache);
	return rc;
}

static int do_gc(const struct tc_args *args)
{
	xb_strv removed = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	xb_tc_data d;
	int rc;

	if ((rc = tc_load_data(&d)))
		return rc;
	if (xb_cache_gc(NULL, &d, args->all, &removed, &err))
		rc = cmd_report(&err);
	for (size_t i = 0; i < removed.n; i++)
		printf("removed %s\n", removed.v[i]);
	xb_strv_release(&removed);
	xb_tc_data_release(&d);
	return rc;
}

int cmd_toolchain_full(const struct tc_args *a, const char *action, int n,
		       char **operands)
{
	if (!strcmp(action, "fetch"))
		return do_fetch(a, operands[0]);
	if (!strcmp(action, "verify"))
		return do_verify(a, n, operands);
	return do_gc(a);
}
