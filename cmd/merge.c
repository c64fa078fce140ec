/* merge.c: `xbuild merge DIR... -o dist`: shard releases built on several
 * machines become one release, after every shard is proven consistent. */
#include <stdlib.h>

#include "cmd.h"

enum { OPT_JSON = 256 };

static const struct cmd_opt opts[] = {
	{ "output", 'o', required_argument, "DIR",
	  "write the merged release to DIR (default: dist)" },
	{ "json", OPT_JSON, no_argument, NULL,
	  "print the result as JSON" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help merge_help = {
	"merge", "[-o DIR] [--json] SHARD-DIR...",
	"merge shard releases into one manifest and SHA256SUMS",
	opts,
	"Each SHARD-DIR is the output of 'xbuild release --shard K/N'.  The merge\n"
	"refuses shards of different releases, a missing or repeated shard, one\n"
	"artifact with two hashes, a target built twice, and any file whose\n"
	"hash does not match its manifest; it then lists every problem and\n"
	"writes nothing.\n",
};

int cmd_merge(int argc, char **argv)
{
	const char *out = "dist";
	xb_strv probs = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	struct cmd_getopt g;
	int c, json = 0, status;
	xb_code rc;

	cmd_getopt_init(&g, opts);
	while ((c = cmd_getopt(argc, argv, &merge_help, &g)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == OPT_JSON)
			json = 1;
	}
	if (optind >= argc)
		return cmd_usage_error(&merge_help, "no shard folders given");
	rc = xb_merge((const char *const *)argv + optind,
		      (size_t)(argc - optind), out, &probs, &err);
	if (json) {
		xb_buf b = XB_BUF_INIT;
		xb_json j;

		xb_json_init(&j, &b, true);
		xb_json_obj_begin(&j);
		xb_json_kbool(&j, "ok", rc == XB_OK);
		xb_json_kstr(&j, "output", rc == XB_OK ? out : NULL);
		xb_json_key(&j, "problems");
		xb_json_arr_begin(&j);
		for (size_t i = 0; i < probs.n; i++)
			xb_json_str(&j, probs.v[i]);
		if (rc && probs.n == 0)
			xb_json_str(&j, xb_errmsg(&err));
		xb_json_arr_end(&j);
		xb_json_obj_end(&j);
		xb_json_finish(&j);
		status = cmd_write_out(&b);
		xb_buf_release(&b);
		if (status)
			rc = rc ? rc : XB_ERR_IO;
	} else {
		for (size_t i = 0; i < probs.n; i++)
			cmd_error("%s", probs.v[i]);
		if (rc)
			cmd_error("%s", xb_errmsg(&err));
		else
			printf("merged %d shard%s into %s\n", argc - optind,
			       argc - optind == 1 ? "" : "s", out);
	}
	xb_strv_release(&probs);
	if (rc == XB_ERR_CONFLICT || rc == XB_ERR_HASH)
		return EXIT_EXPECT;
	return rc ? EXIT_FAIL : EXIT_OK;
}
