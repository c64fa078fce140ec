/* release.c: `xbuild release -p PROFILE [-o dist] [--version V]
 * [--shard K/N] [--verify-repro] [--json]`: build the profile's matrix (or
 * one shard of it) into a temporary folder beside the release folder, pack
 * the archives the profile asks for, write manifest.json and the checksum
 * file, and only then put the folder in place.  A failure leaves no dist. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildrun.h"
#include "release.h"


/* Outside the builds (which stop their children and report a signal
 * themselves) a stopping signal is held until the temporary folders are
 * gone: then it takes effect. */
static void hold_signals(bool on)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(on ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

struct rel_opts {
	struct build_opts *bo;   /* the version goes there */
	const char *shard;
	const char *repro_cache;
	bool verify_repro;
	bool snapshot; /* a dirty tree is allowed; the version says so */
	bool json;
	bool quiet;    /* errors only: no progress, table or last line */
	bool verbose;
	int jobs;
	struct cmd_once once_jobs, once_shard, once_loud;
};

static int release_option(int key, const char *arg, void *ctx)
{
	struct rel_opts *r = ctx;
	char *end;

	switch (key) {
	case OPT_VERSION:
		/* --build-version by its release name */
		cmd_once(&release_help, &r->bo->once_version, "--version", arg);
		r->bo->build_version = arg;
		return 1;
	case OPT_SHARD:
		cmd_once(&release_help, &r->once_shard, "--shard", arg);
		r->shard = arg;
		return 1;
	case OPT_VERIFY_REPRO:
		r->verify_repro = true;
		return 1;
	case OPT_SNAPSHOT:
		r->snapshot = true;
		return 1;
	case OPT_REPRO_CACHE:
		r->repro_cache = arg;
		return 1;
	case OPT_JSON:
		r->json = true;
		return 1;
	case OPT_QUIET:
	case OPT_VERBOSE:
		cmd_once(&release_help, &r->once_loud, key == OPT_QUIET ?
			 "--quiet" : "--verbose", NULL);
		r->quiet = key == OPT_QUIET;
		r->verbose = key == OPT_VERBOSE;
		return 1;
	case 'j':
		cmd_once(&release_help, &r->once_jobs, "--jobs", arg);
		r->jobs = (int)strtol(arg, &end, 10);
		if (*end || r->jobs < 1 || r->jobs > 1024)
			exit(cmd_usage_error(&release_help, "invalid --jobs '%s' "
					     "(expected 1 to 1024)", arg));
		return 1;
	default:
		return 0;
	}
}

/* A failed run: the table and each failure on stderr (with --json, only
 * the failures). */
static void failures(const xb_run_target *rt, size_t n, bool json)
{
	FILE *f;

	if (!rt)
		return;
	if (!json) {
		build_summary(stderr, rt, n);
		return;
	}
	if ((f = fopen("/dev/null", "w"))) {
		build_summary(f, rt, n);
		fclose(f);
	}
}


static void print_json(const char *dist, const struct rel_opts *r, int status,
		       const xb_profile *p, const xb_release *rel,
		       const xb_run_target *rt, size_t nrt)
{
	xb_buf b = XB_BUF_INIT;
	xb_json j;

	xb_json_init(&j, &b, true);
	xb_json_obj_begin(&j);
	xb_json_kbool(&j, "ok", status == EXIT_OK);
	xb_json_kstr(&j, "output", status == EXIT_OK ? dist : NULL);
	xb_json_kstr(&j, "profile", p->files.n ? p->files.v[0] : NULL);
	xb_json_kbool(&j, "snapshot", r->snapshot);
	xb_json_kstr(&j, "shard", r->shard);
	xb_json_kbool(&j, "verified_repro", status == EXIT_OK && r->verify_repro);
	xb_json_key(&j, "artifacts");
	xb_json_arr_begin(&j);
	for (size_t i = 0; status == EXIT_OK && i < rel->nartifacts; i++) {
		const xb_release_artifact *o = &rel->artifacts[i];

		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "path", o->path);
		xb_json_kstr(&j, "target", o->target);
		xb_json_kstr(&j, "kind", o->kind);
		xb_json_kint(&j, "size", (long long)o->size);
		xb_json_kstr(&j, "sha256", o->sha256);
		xb_json_obj_end(&j);
	}
	xb_json_arr_end(&j);
	xb_json_key(&j, "builds");
	if (rt)
		build_summary_json(&j, rt, nrt);
	else {
		xb_json_arr_begin(&j);
		xb_json_arr_end(&j);
	}
	xb_json_obj_end(&j);
	xb_json_finish(&j);
	cmd_write_out(&b);
	xb_buf_release(&b);
}

/* One release, from options to the folder in place. */
struct release {
	struct rel_opts r;
	struct build_opts bo;
	struct build_session s;
	xb_source src;
	xb_strv pkgs, matrix;
	xb_release rel;
	xb_run_target *rt, *rt2; /* the build, and --verify-repro's second */
	size_t nrt;
	char *tmp, *tmp2;        /* folders beside dist, removed at the end */
	const char *dist, *version;
	char *snapshot_version;  /* --snapshot without --version */
	int shard_k, shard_n;
};

/* Plan the matrix (or this machine's shard of it) and lay out the
 * release folder. */
static int plan_release(struct release *x)
{
	struct build_session *s = &x->s;
	xb_plan_opts po = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	xb_err err = XB_ERR_INIT;
	int status;

	if (xb_source_read(&x->src, getenv("SOURCE_DATE_EPOCH"), &err))
		return cmd_report(&err);
	if (x->src.dirty && !x->r.snapshot) {
		cmd_error("the git work tree has uncommitted changes: nothing "
			  "released (commit them, or release a snapshot with "
			  "--snapshot)");
		return EXIT_FAIL;
	}
	if (x->r.snapshot && !x->bo.build_version) {
		if (!(x->snapshot_version =
		      xb_source_snapshot_version(&x->src))) {
			cmd_error("out of memory");
			return EXIT_FAIL;
		}
		x->bo.build_version = x->snapshot_version;
		x->bo.snapshot = true;
	}
	/* names, ${XBUILD_VERSION} and the manifest: one version */
	x->version = build_opts_version(&x->bo);
	if (x->r.snapshot)
		x->bo.rel.snapshot = true; /* templates' .IsSnapshot */
	if ((status = build_session_plan(s, &x->bo, &x->pkgs, &po)))
		return status;
	x->version = x->bo.build_version; /* the profile's snapshot template */
	if (s->failed) {
		cmd_error("%zu of %zu target%s cannot be built as asked; nothing "
			  "released", s->failed, s->nplans,
			  s->nplans == 1 ? "" : "s");
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < s->profile.ntargets; i++)
		xb_strv_push(&x->matrix, s->profile.targets[i].name);
	if (x->shard_n > 1 &&
	    xb_release_shard(s->plans, &s->nplans, &s->profile, &x->matrix,
			     x->shard_k, x->shard_n, &err))
		return cmd_report(&err);
	if (x->shard_n > 1 && s->nplans == 0)
		cmd_warn("shard %d/%d has no targets (%zu targets in %d shards): "
			 "its release is empty", x->shard_k, x->shard_n,
			 x->matrix.n, x->shard_n);
	if (xb_release_layout(&x->rel, s->plans, s->nplans, x->dist, &err) ||
	    xb_release_assets(&x->rel, &s->profile, s->plans,
			      x->bo.have_rel ? &x->bo.rel : NULL, &err))
		return cmd_report(&err);
	return EXIT_OK;
}

/* Build into folder, signals let through while the builds run (they stop
 * their children and report a signal themselves).  A failed run names
 * artifacts where they would have gone, not in a folder about to be
 * removed. */
static int build_into(struct release *x, const char *folder,
		      xb_run_target **rt)
{
	struct run_opts ro;
	xb_err err = XB_ERR_INIT;
	int status;

	memset(&ro, 0, sizeof(ro));
	ro.jobs = x->r.jobs;
	ro.quiet = x->r.json || x->r.quiet;
	ro.verbose = x->r.verbose && !x->r.json;
	ro.status_line = build_status_line(&ro);
	ro.phase = x->rt ? "building again" : "building";

	if (xb_release_retarget(&x->rel, x->s.plans, folder, true, &err))
		return cmd_report(&err);
	hold_signals(false);
	status = build_run(&x->s, &ro, rt);
	hold_signals(true);
	if (status) {
		xb_release_retarget(&x->rel, x->s.plans, x->dist, false, NULL);
		failures(*rt, x->nrt, x->r.json || x->r.quiet);
	}
	return status;
}

/* --verify-repro: build again with another Go cache and compare. */
static int verify_repro(struct release *x)
{
	xb_buf out2 = XB_BUF_INIT, cache = XB_BUF_INIT;
	xb_strv probs = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	size_t bad = 0;
	int status;

	if (!(x->tmp2 = xb_mktemp_dir_beside(x->dist, &err)))
		return cmd_report(&err);
	xb_buf_addf(&out2, "%s/out", x->tmp2);
	/* go wants an absolute GOCACHE */
	if ((x->r.repro_cache ? x->r.repro_cache : x->tmp2)[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		xb_buf_addf(&cache, "%s/", cwd ? cwd : ".");
		free(cwd);
	}
	if (x->r.repro_cache)
		xb_buf_adds(&cache, x->r.repro_cache);
	else
		xb_buf_addf(&cache, "%s/gocache", x->tmp2);
	if (xb_buf_failed(&out2) || xb_buf_failed(&cache)) {
		cmd_error("--verify-repro: out of memory");
		xb_buf_release(&out2);
		xb_buf_release(&cache);
		return EXIT_FAIL;
	}
	/* a plan whose pass failed to take GOCACHE fails its build
	 * (xb_plan_envp), it does not share the first build's cache */
	for (size_t i = 0; i < x->s.nplans; i++)
		xb_strv_setenv(&x->s.plans[i].pass, "GOCACHE",
			       xb_buf_str(&cache));
	if (!x->r.json && !x->r.quiet)
		fprintf(stderr, "xbuild: --verify-repro: building again in %s "
			"with the Go cache %s\n", xb_buf_str(&out2),
			xb_buf_str(&cache));
	status = build_into(x, xb_buf_str(&out2), &x->rt2);
	if (!status)
		bad = xb_release_compare(&x->rel, x->s.plans, x->tmp,
					 xb_buf_str(&out2), &probs);
	for (size_t i = 0; i < probs.n; i++)
		cmd_error("%s", probs.v[i]);
	if (bad) {
		cmd_error("%zu of %zu artifact%s not reproducible; nothing "
			  "released", bad, x->s.nplans,
			  x->s.nplans == 1 ? " is" : "s are");
		status = EXIT_EXPECT;
	}
	xb_strv_release(&probs);
	xb_buf_release(&out2);
	xb_buf_release(&cache);
	return status;
}

/* The manifest, archives and checksum file, then the folder in place. */
static int write_release(struct release *x)
{
	const struct build_session *s = &x->s;
	xb_err err = XB_ERR_INIT;
	xb_manifest *m;
	int status = EXIT_OK;

	m = xb_manifest_new(s->profile.name, x->version, x->src.revision,
			    x->src.epoch, &x->matrix, x->shard_k, x->shard_n);
	if (!m) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	x->rel.packages = s->profile.packages;
	x->rel.version = x->version;
	/* the Go choice by its source (profile, --set, go.mod or local),
	 * not where it is, which would name this machine's folders */
	if (xb_manifest_set_source(m, x->src.dirty, x->r.snapshot,
				   x->src.epoch_from, &err) ||
	    xb_manifest_set_tools(m, s->go.version, s->go.chosen.source,
				  XB_VERSION, &err) ||
	    xb_release_write(&x->rel, x->tmp, s->plans, x->rt, s->go.version,
			     x->src.epoch, m, &err) ||
	    xb_dir_commit(x->tmp, x->dist, &err)) {
		status = cmd_report(&err);
	} else {
		free(x->tmp);
		x->tmp = NULL;
		/* what the summary shows: the artifacts where they now are */
		if (xb_release_retarget(&x->rel, x->s.plans, x->dist, false, &err))
			status = cmd_report(&err);
	}
	xb_manifest_free(m);
	return status;
}


/* The targets the plans are for (several builds may share one). */
static size_t distinct_targets(const struct build_session *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nplans; i++) {
		size_t k = 0;

		while (k < i && strcmp(s->plans[k].target, s->plans[i].target))
			k++;
		n += k == i;
	}
	return n;
}

static int release(struct release *x)
{
	xb_err err = XB_ERR_INIT;
	int status;

	if ((status = plan_release(x)))
		return status;
	/* build into a folder beside dist */
	hold_signals(true);
	if (!(x->tmp = xb_mktemp_dir_beside(x->dist, &err)))
		return cmd_report(&err);
	x->nrt = x->s.nplans;
	if ((status = build_into(x, x->tmp, &x->rt)) ||
	    (x->r.verify_repro && (status = verify_repro(x))) ||
	    (status = write_release(x)))
		return status;
	if (!x->r.json && !x->r.quiet) {
		size_t n = x->rel.nartifacts, t = distinct_targets(&x->s);

		build_summary(stdout, x->rt, x->nrt);
		printf("released %zu artifact%s (%zu target%s%s%s) into %s%s\n",
		       n, n == 1 ? "" : "s", t, t == 1 ? "" : "s",
		       x->r.shard ? ", shard " : "", x->r.shard ? x->r.shard : "",
		       x->dist, x->r.verify_repro ?
		       ", reproduced byte for byte" : "");
	}
	return EXIT_OK;
}

int cmd_release(int argc, char **argv)
{
	struct release x;
	xb_err err = XB_ERR_INIT;
	int status;

	memset(&x, 0, sizeof(x));
	x.shard_k = x.shard_n = 1;
	build_opts_init(&x.bo);
	build_session_init(&x.s);
	x.s.run_before = true;
	xb_source_init(&x.src);
	xb_strv_init(&x.pkgs);
	xb_strv_init(&x.matrix);
	xb_release_init(&x.rel);
	x.r.bo = &x.bo;
	build_parse(argc, argv, release_help.opts, &release_help, &x.bo, &x.pkgs,
		    release_option, &x.r);
	/* under make: errors only, unless asked otherwise */
	if (!x.r.verbose && build_under_make())
		x.r.quiet = true;
	x.s.quiet = x.r.quiet;
	/* -o is the release folder here, not the output template */
	x.dist = x.bo.output ? x.bo.output : "dist";
	x.bo.output = NULL;
	if (!*x.dist)
		status = cmd_usage_error(&release_help, "-o: empty folder name");
	else if (x.r.shard &&
		 xb_shard_parse(x.r.shard, &x.shard_k, &x.shard_n, &err))
		status = cmd_usage_error(&release_help, "--shard: %s",
					 xb_errmsg(&err));
	else
		status = release(&x);
	if (x.r.json)
		print_json(x.dist, &x.r, status, &x.s.profile, &x.rel, x.rt,
			   x.nrt);
	if (x.tmp)
		xb_rm_rf(x.tmp, NULL);
	if (x.tmp2)
		xb_rm_rf(x.tmp2, NULL);
	free(x.tmp);
	free(x.tmp2);
	hold_signals(false);
	if (x.rt)
		build_run_free(x.rt, x.nrt);
	if (x.rt2)
		build_run_free(x.rt2, x.nrt);
	xb_release_release(&x.rel);
	xb_source_release(&x.src);
	free(x.snapshot_version);
	xb_strv_release(&x.matrix);
	xb_strv_release(&x.pkgs);
	build_session_release(&x.s);
	build_opts_release(&x.bo);
	return status;
}
