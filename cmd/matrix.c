/* matrix.c: `xbuild matrix -p PROFILE --shards N --format
 * github|gitlab|json`: the CI job matrix of a sharded release.  Each job
 * runs `xbuild release --shard K/N`; the split is the one release makes
 * (xb_shard_split_profile over the profile's targets, cgo targets weighing more),
 * computed without asking Go or planning, so it is instant. */
#include <stdlib.h>
#include <string.h>

#include "buildopt.h"

enum { OPT_SHARDS = 256, OPT_FORMAT };

static const struct cmd_opt matrix_opts[] = {
	{ "profile", 'p', required_argument, "FILE",
	  "load a profile (repeatable: later ones override)" },
	{ "target", 't', required_argument, "OS/ARCH[/VARIANT]",
	  "use this target instead of the profile's (repeatable)" },
	{ "set", BOPT_SET, required_argument, "KEY=VALUE",
	  "set any profile setting" },
	{ "shards", OPT_SHARDS, required_argument, "N",
	  "how many jobs share the release (default 1)" },
	{ "format", OPT_FORMAT, required_argument, "github|gitlab|json",
	  "output form (default json)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help matrix_help = {
	"matrix", "[-p PROFILE] --shards N [--format github|gitlab|json]",
	"print the CI job matrix of a release split into N shards",
	matrix_opts,
	"github: one line of JSON for strategy.matrix through fromJSON,\n"
	"{\"include\": [{\"shard\": \"K/N\", \"index\": K, \"targets\": \"...\"}]}.\n"
	"gitlab: a parallel:matrix block (SHARD: [\"1/N\", ...]) to put under a\n"
	"job.  json: {\"shards\": N, \"matrix\": [targets], \"jobs\": [{\"shard\",\n"
	"\"index\", \"targets\": [...], \"weight\"}]}.  The same profile always gives\n"
	"the same split, the one `xbuild release --shard K/N` builds.\n",
};

struct mopts {
	int shards;
	const char *format;
};

static int matrix_option(int key, const char *arg, void *ctx)
{
	static struct cmd_once shards, format;
	struct mopts *m = ctx;
	char *end;

	if (key == OPT_SHARDS || key == OPT_FORMAT)
		cmd_once(&matrix_help, key == OPT_SHARDS ? &shards : &format,
			 key == OPT_SHARDS ? "--shards" : "--format", arg);
	if (key == OPT_SHARDS) {
		long n = strtol(arg, &end, 10);
		if (*end || n < 1 || n > 1000)
			exit(cmd_usage_error(&matrix_help, "invalid --shards '%s' "
					     "(expected 1 to 1000)", arg));
		m->shards = (int)n;
		return 1;
	}
	if (key == OPT_FORMAT) {
		m->format = arg;
		return 1;
	}
	return 0;
}

/* The split: shard of[i] (1..shards) builds targets->v[i], of weight w[i]. */
struct split {
	const xb_strv *targets;
	const unsigned *w;
	const int *of;
	int shards;
};

/* A parallel:matrix block, the split in a comment above it. */
static void write_gitlab(xb_buf *out, const struct split *sp)
{
	xb_buf_addf(out, "# %d shard%s of %zu targets; one job each runs\n"
		    "# xbuild release --shard \"$SHARD\"\n",
		    sp->shards, sp->shards == 1 ? "" : "s", sp->targets->n);
	for (int k = 1; k <= sp->shards; k++) {
		xb_buf_addf(out, "#   %d/%d:", k, sp->shards);
		for (size_t i = 0; i < sp->targets->n; i++)
			if (sp->of[i] == k)
				xb_buf_addf(out, " %s", sp->targets->v[i]);
		xb_buf_adds(out, "\n");
	}
	xb_buf_adds(out, "parallel:\n  matrix:\n    - SHARD:\n");
	for (int k = 1; k <= sp->shards; k++)
		xb_buf_addf(out, "        - \"%d/%d\"\n", k, sp->shards);
}

/* JSON, or for github (gh) the one line strategy.matrix reads. */
static void write_json(xb_buf *out, const struct split *sp, bool gh)
{
	xb_json j;

	xb_json_init(&j, out, !gh);
	xb_json_obj_begin(&j);
	if (!gh) {
		xb_json_kint(&j, "shards", sp->shards);
		xb_json_key(&j, "matrix");
		xb_json_arr_begin(&j);
		for (size_t i = 0; i < sp->targets->n; i++)
			xb_json_str(&j, sp->targets->v[i]);
		xb_json_arr_end(&j);
	}
	xb_json_key(&j, gh ? "include" : "jobs");
	xb_json_arr_begin(&j);
	for (int k = 1; k <= sp->shards; k++) {
		xb_buf spec = XB_BUF_INIT, list = XB_BUF_INIT;
		unsigned weight = 0;

		xb_buf_addf(&spec, "%d/%d", k, sp->shards);
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "shard", xb_buf_str(&spec));
		xb_json_kint(&j, "index", k);
		xb_json_key(&j, "targets");
		if (!gh)
			xb_json_arr_begin(&j);
		for (size_t i = 0; i < sp->targets->n; i++) {
			if (sp->of[i] != k)
				continue;
			weight += sp->w[i];
			if (gh)
				xb_buf_addf(&list, "%s%s", list.len ? " " : "",
					    sp->targets->v[i]);
			else
				xb_json_str(&j, sp->targets->v[i]);
		}
		if (gh)
			xb_json_str(&j, xb_buf_str(&list));
		else {
			xb_json_arr_end(&j);
			xb_json_kint(&j, "weight", weight);
		}
		xb_json_obj_end(&j);
		/* out takes a failure of theirs: cmd_write_out refuses */
		if (xb_buf_failed(&spec))
			xb_buf_addb(out, &spec);
		if (xb_buf_failed(&list))
			xb_buf_addb(out, &list);
		xb_buf_release(&spec);
		xb_buf_release(&list);
	}
	xb_json_arr_end(&j);
	xb_json_obj_end(&j);
	xb_json_finish(&j);
	if (gh)
		xb_buf_adds(out, "\n");
}

int cmd_matrix(int argc, char **argv)
{
	struct mopts mo = { 1, "json" };
	struct build_opts bo;
	xb_profile p;
	xb_strv pkgs = XB_STRV_INIT, targets = XB_STRV_INIT;
	xb_buf out = XB_BUF_INIT;
	unsigned *w = NULL;
	int *of = NULL, status;
	xb_err err = XB_ERR_INIT;
	struct split sp;

	build_opts_init(&bo);
	xb_profile_init(&p);
	build_parse(argc, argv, matrix_opts, &matrix_help, &bo, &pkgs,
		    matrix_option, &mo);
	if (pkgs.n) {
		status = cmd_usage_error(&matrix_help, "unexpected argument '%s'",
					 pkgs.v[0]);
		goto done;
	}
	if (strcmp(mo.format, "github") && strcmp(mo.format, "gitlab") &&
	    strcmp(mo.format, "json")) {
		status = cmd_usage_error(&matrix_help, "invalid --format '%s' "
					 "(expected github, gitlab or json)",
					 mo.format);
		goto done;
	}
	bo.quiet = build_under_make();
	if ((status = build_opts_profile(&bo, &p)))
		goto done;
	if (p.ntargets == 0) {
		cmd_error("the profile names no targets (a release needs a "
			  "matrix)");
		status = EXIT_USAGE;
		goto done;
	}
	w = calloc(p.ntargets, sizeof(*w));
	of = calloc(p.ntargets, sizeof(*of));
	if (!w || !of) {
		cmd_error("out of memory");
		status = EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < p.ntargets; i++) {
		xb_strv_push(&targets, p.targets[i].name);
		w[i] = xb_shard_weight(&p.targets[i]);
	}
	if (xb_strv_failed(&targets)) { /* a target would be in no shard */
		cmd_error("out of memory");
		status = EXIT_FAIL;
		goto done;
	}
	if (xb_shard_split_profile(&p, &targets, w, mo.shards, of, &err)) {
		status = cmd_report(&err);
		goto done;
	}

	sp.targets = &targets;
	sp.w = w;
	sp.of = of;
	sp.shards = mo.shards;
	if (!strcmp(mo.format, "gitlab"))
		write_gitlab(&out, &sp);
	else
		write_json(&out, &sp, !strcmp(mo.format, "github"));
	status = cmd_write_out(&out);
done:
	free(w);
	free(of);
	xb_buf_release(&out);
	xb_strv_release(&targets);
	xb_strv_release(&pkgs);
	xb_profile_release(&p);
	build_opts_release(&bo);
	return status;
}
