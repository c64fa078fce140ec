/* release.c: `xbuild release -p PROFILE [-o dist] [--version V]
 * [--shard K/N] [--verify-repro] [--json]`: build the profile's matrix (or
 * one shard of it) into a temporary folder beside the release folder, pack
 * the archives the profile asks for, write manifest.json and SHA256SUMS,
 * and only then put the folder in place.  A failure leaves no dist. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildrun.h"

enum {
	OPT_VERSION = 256, OPT_SHARD, OPT_VERIFY_REPRO, OPT_REPRO_CACHE,
	OPT_JSON, OPT_JOBS,
};

static const struct cmd_opt release_opts[] = {
	BUILD_OPTS_SHARED,
	{ "output", 'o', required_argument, "DIR",
	  "the release folder (default: dist)" },
	{ "version", OPT_VERSION, required_argument, "VERSION",
	  "the release version: {version} and XBUILD_VERSION (default: dev)" },
	{ "shard", OPT_SHARD, required_argument, "K/N",
	  "build only shard K of N of the matrix" },
	{ "verify-repro", OPT_VERIFY_REPRO, no_argument, NULL,
	  "build everything twice and compare the bytes" },
	{ "repro-cache", OPT_REPRO_CACHE, required_argument, "DIR",
	  "the second build's Go cache (default: a new empty one)" },
	{ "jobs", 'j', required_argument, "N",
	  "most builds at once (default: make's, else CPUs)" },
	{ "json", OPT_JSON, no_argument, NULL, "print the result as JSON" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help release_help = {
	"release", "-p PROFILE [-o DIR] [--version V] [--shard K/N] "
	"[--verify-repro] [--json] [options] [PKG...]",
	"build the profile's matrix into a verified, reproducible release folder",
	release_opts,
	"Artifacts are named by the profile's output template, less a leading\n"
	"'dist/', inside DIR; the folder also holds the archives the profile\n"
	"asks for, manifest.json and SHA256SUMS, and appears whole or not at\n"
	"all.  Archive times come from SOURCE_DATE_EPOCH, else the commit time.\n"
	"Exit 0 ok, 1 a build failed, 2 usage or profile error, 3 an artifact\n"
	"broke its expectation or was not reproducible.\n",
};

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

/* Archive formats xb_pack writes. */
static bool pack_format(const char *f)
{
	return !strcmp(f, "tar.gz") || !strcmp(f, "zip");
}

struct rel_opts {
	const char *version;
	const char *shard;
	const char *repro_cache;
	bool verify_repro;
	bool json;
	int jobs;
};

static int release_option(int key, const char *arg, void *ctx)
{
	struct rel_opts *r = ctx;
	char *end;

	switch (key) {
	case OPT_VERSION:
		r->version = arg;
		return 1;
	case OPT_SHARD:
		r->shard = arg;
		return 1;
	case OPT_VERIFY_REPRO:
		r->verify_repro = true;
		return 1;
	case OPT_REPRO_CACHE:
		r->repro_cache = arg;
		return 1;
	case OPT_JSON:
		r->json = true;
		return 1;
	case 'j':
		r->jobs = (int)strtol(arg, &end, 10);
		if (*end || r->jobs < 1 || r->jobs > 1024)
			exit(cmd_usage_error(&release_help, "invalid --jobs '%s' "
					     "(expected 1 to 1024)", arg));
		return 1;
	default:
		return 0;
	}
}

/* One line of a command's output, trailing newline dropped; NULL when it
 * failed or printed nothing. */
static char *run_line(const char *const *argv)
{
	xb_buf out;
	int code = -1;
	char *s = NULL;

	xb_buf_init(&out, 1 << 16);
	if (!xb_run(argv, NULL, &out, NULL, &code, NULL) && code == 0 &&
	    out.len) {
		size_t n = strcspn(xb_buf_str(&out), "\n");
		if (n)
			s = strndup(xb_buf_str(&out), n);
	}
	xb_buf_release(&out);
	return s;
}

/* The source: revision and dirtiness from git; the epoch from
 * SOURCE_DATE_EPOCH, else the commit time, else 0. */
struct source {
	char *revision;
	bool dirty;
	long long epoch;
	const char *epoch_from; /* "SOURCE_DATE_EPOCH", "commit", "none" */
};

static int source_read(struct source *src)
{
	static const char *const rev[] = { "git", "rev-parse", "HEAD", NULL };
	static const char *const ct[] = { "git", "log", "-1", "--format=%ct",
		NULL };
	static const char *const st[] = { "git", "status", "--porcelain",
		"--untracked-files=no", NULL };
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end, *s;

	src->revision = run_line(rev);
	if (src->revision && (s = run_line(st))) {
		src->dirty = true;
		free(s);
	}
	if (sde && *sde) {
		src->epoch = strtoll(sde, &end, 10);
		if (*end || src->epoch < 0) {
			cmd_error("SOURCE_DATE_EPOCH '%s' is not a number of "
				  "seconds", sde);
			return EXIT_USAGE;
		}
		src->epoch_from = "SOURCE_DATE_EPOCH";
	} else if (src->revision && (s = run_line(ct))) {
		src->epoch = strtoll(s, &end, 10);
		src->epoch_from = *end ? "none" : "commit";
		if (*end)
			src->epoch = 0;
		free(s);
	} else {
		src->epoch = 0;
		src->epoch_from = "none";
	}
	return EXIT_OK;
}

/* Where plan output `out` goes inside the release folder: the template's
 * path less a leading "dist/" (or "DIR/" of -o).  NULL when it would leave
 * the folder. */
static const char *relpath(const char *out, const char *dist)
{
	size_t n = strlen(dist);

	while (n > 1 && dist[n - 1] == '/')
		n--;
	while (!strncmp(out, "./", 2))
		out += 2;
	if (!strncmp(out, dist, n) && out[n] == '/')
		out += n + 1;
	else if (!strncmp(out, "dist/", 5))
		out += 5;
	if (!*out || *out == '/')
		return NULL;
	for (const char *p = out; *p;) {
		size_t k = strcspn(p, "/");
		if (k == 0 || (k == 2 && !strncmp(p, "..", 2)) ||
		    (k == 1 && *p == '.'))
			return NULL;
		p += k + (p[k] == '/');
	}
	return out;
}

static xb_code mkparent(const char *path, xb_err *err)
{
	char *d = strdup(path), *slash;
	xb_code rc = XB_OK;

	if (!d)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if ((slash = strrchr(d, '/')) && slash != d) {
		*slash = '\0';
		rc = xb_mkdir_p(d, err);
	}
	free(d);
	return rc;
}

/* Point every plan's output (and its -o) at folder/rel. */
static xb_code retarget(struct build_session *s, char **rels,
			const char *folder, bool mkdirs, xb_err *err)
{
	for (size_t i = 0; i < s->nplans; i++) {
		xb_plan *pl = &s->plans[i];
		xb_buf b = XB_BUF_INIT;

		if (xb_buf_addf(&b, "%s/%s", folder, rels[i]))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		free(pl->output);
		pl->output = xb_buf_take(&b);
		for (size_t k = 0; k + 1 < pl->argv.n; k++) {
			if (strcmp(pl->argv.v[k], "-o"))
				continue;
			free(pl->argv.v[k + 1]);
			pl->argv.v[k + 1] = strdup(pl->output);
			if (!pl->argv.v[k + 1])
				return xb_fail(err, XB_ERR_NOMEM, "out of memory");
			break;
		}
		if (mkdirs && mkparent(pl->output, err))
			return XB_ERR_IO;
	}
	return XB_OK;
}

/* One archive: a folder of the release packed as path. */
struct archive {
	char *path;        /* inside the release */
	const char *format;
	const char *target;
	xb_strv srcs;      /* release-relative sources */
	xb_strv names;     /* names inside the archive */
};

static void archives_free(struct archive *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].path);
		xb_strv_release(&a[i].srcs);
		xb_strv_release(&a[i].names);
	}
	free(a);
}

/* The binary at rel goes into "DIR.FORMAT" as "BASE/FILE" when rel is
 * "PARENT/DIR/FILE" ("BASE" the last part of DIR), else "NAME.FORMAT"
 * beside it (NAME: rel without its .exe). */
static int archive_add(struct archive **v, size_t *n, const char *rel,
		       const char *format, const char *target)
{
	const char *slash = strrchr(rel, '/'), *name;
	xb_buf path = XB_BUF_INIT;
	struct archive *a = NULL;

	if (slash) {
		const char *base = slash;
		while (base > rel && base[-1] != '/')
			base--;
		xb_buf_add(&path, rel, (size_t)(slash - rel));
		name = base;
	} else {
		size_t k = strlen(rel);
		if (k > 4 && !strcmp(rel + k - 4, ".exe"))
			k -= 4;
		xb_buf_add(&path, rel, k);
		name = rel;
	}
	xb_buf_addf(&path, ".%s", format);
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].path, xb_buf_str(&path)))
			a = &(*v)[i];
	if (!a) {
		struct archive *nv = realloc(*v, (*n + 1) * sizeof(**v));
		if (!nv) {
			xb_buf_release(&path);
			return -1;
		}
		*v = nv;
		a = &nv[(*n)++];
		a->path = xb_buf_take(&path);
		a->format = format;
		a->target = target;
		xb_strv_init(&a->srcs);
		xb_strv_init(&a->names);
	}
	xb_buf_release(&path);
	xb_strv_push(&a->srcs, rel);
	xb_strv_push(&a->names, name);
	return 0;
}

/* Compare the two builds of every binary; each difference is printed.
 * Returns how many differ. */
static size_t compare_builds(const struct build_session *s, char **rels,
			     const char *a, const char *b)
{
	size_t bad = 0;

	for (size_t i = 0; i < s->nplans; i++) {
		xb_buf pa = XB_BUF_INIT, pb = XB_BUF_INIT;
		xb_err err = XB_ERR_INIT;
		bool same = false;
		uint64_t off = 0;
		char *where = NULL;

		xb_buf_addf(&pa, "%s/%s", a, rels[i]);
		xb_buf_addf(&pb, "%s/%s", b, rels[i]);
		if (xb_file_diff(xb_buf_str(&pa), xb_buf_str(&pb), &same, &off,
				 &where, &err)) {
			cmd_error("%s", xb_errmsg(&err));
			bad++;
		} else if (!same) {
			cmd_error("not reproducible: %s (%s): the two builds differ "
				  "first at byte %llu, in %s", rels[i],
				  s->plans[i].target, (unsigned long long)off,
				  where ? where : "no known section");
			bad++;
		}
		free(where);
		xb_buf_release(&pa);
		xb_buf_release(&pb);
	}
	return bad;
}

/* Keep only the plans of shard k/n of the matrix, split the way `xbuild
 * matrix` prints it (a cgo target weighs more than a pure Go one). */
static int select_shard(struct build_session *s, const xb_strv *matrix,
			int k, int n)
{
	unsigned *w = calloc(matrix->n ? matrix->n : 1, sizeof(*w));
	int *of = calloc(matrix->n ? matrix->n : 1, sizeof(*of));
	xb_err err = XB_ERR_INIT;
	size_t keep = 0;

	if (!w || !of) {
		free(w);
		free(of);
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	for (size_t m = 0; m < matrix->n && m < s->profile.ntargets; m++)
		w[m] = xb_shard_weight(&s->profile.targets[m]);
	if (xb_shard_split(matrix, w, n, of, &err)) {
		free(w);
		free(of);
		return cmd_report(&err);
	}
	for (size_t i = 0; i < s->nplans; i++) {
		int mine = 0;
		for (size_t m = 0; m < matrix->n; m++)
			if (!strcmp(matrix->v[m], s->plans[i].target))
				mine = of[m] == k;
		if (mine)
			s->plans[keep++] = s->plans[i];
		else
			xb_plan_release(&s->plans[i]);
	}
	s->nplans = keep;
	free(w);
	free(of);
	return EXIT_OK;
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

static const xb_target *find_target(const xb_profile *p, const char *name)
{
	for (size_t i = 0; i < p->ntargets; i++)
		if (!strcmp(p->targets[i].name, name))
			return &p->targets[i];
	return NULL;
}

struct outcome {
	const char *path, *target, *kind;
	char sha256[65];
	uint64_t size;
};

static void print_json(const char *dist, const struct rel_opts *r, int status,
		       const struct outcome *o, size_t n,
		       const xb_run_target *rt, size_t nrt)
{
	xb_buf b = XB_BUF_INIT;
	xb_json j;

	xb_json_init(&j, &b, true);
	xb_json_obj_begin(&j);
	xb_json_kbool(&j, "ok", status == EXIT_OK);
	xb_json_kstr(&j, "output", status == EXIT_OK ? dist : NULL);
	xb_json_kstr(&j, "shard", r->shard);
	xb_json_kbool(&j, "verified_repro", status == EXIT_OK && r->verify_repro);
	xb_json_key(&j, "artifacts");
	xb_json_arr_begin(&j);
	for (size_t i = 0; status == EXIT_OK && i < n; i++) {
		xb_json_obj_begin(&j);
		xb_json_kstr(&j, "path", o[i].path);
		xb_json_kstr(&j, "target", o[i].target);
		xb_json_kstr(&j, "kind", o[i].kind);
		xb_json_kint(&j, "size", (long long)o[i].size);
		xb_json_kstr(&j, "sha256", o[i].sha256);
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

static int sha_of(const char *dir, const char *rel, struct outcome *o)
{
	xb_buf p = XB_BUF_INIT;
	unsigned char d[32];
	xb_err err = XB_ERR_INIT;
	int rc;

	xb_buf_addf(&p, "%s/%s", dir, rel);
	rc = xb_sha256_file(xb_buf_str(&p), d, &err) ? -1 : 0;
	if (!rc)
		xb_hex(d, 32, o->sha256);
	else
		cmd_error("%s", xb_errmsg(&err));
	xb_buf_release(&p);
	return rc;
}

int cmd_release(int argc, char **argv)
{
	struct rel_opts r = { NULL, NULL, NULL, false, false, 0 };
	struct build_opts bo;
	struct build_session s;
	struct source src = { NULL, false, 0, "none" };
	xb_plan_opts po = { NULL, NULL, NULL, NULL };
	xb_strv pkgs = XB_STRV_INIT, matrix = XB_STRV_INIT;
	xb_run_target *rt = NULL, *rt2 = NULL;
	size_t nrt = 0;
	struct archive *arcs = NULL;
	size_t narcs = 0, nout = 0;
	struct outcome *outs = NULL;
	char **rels = NULL, *tmp = NULL, *tmp2 = NULL;
	xb_manifest *m = NULL;
	xb_err err = XB_ERR_INIT;
	const char *dist, *version;
	int status, shard_k = 1, shard_n = 1;

	build_opts_init(&bo);
	build_session_init(&s);
	build_parse(argc, argv, release_opts, &release_help, &bo, &pkgs,
		    release_option, &r);
	/* -o is the release folder here, not the output template */
	dist = bo.output ? bo.output : "dist";
	bo.output = NULL;
	if (!*dist) {
		status = cmd_usage_error(&release_help, "-o: empty folder name");
		goto done;
	}
	if (r.shard && xb_shard_parse(r.shard, &shard_k, &shard_n, &err)) {
		status = cmd_usage_error(&release_help, "--shard: %s",
					 xb_errmsg(&err));
		goto done;
	}
	version = r.version ? r.version : bo.build_version ? bo.build_version
							   : "dev";
	bo.build_version = version;
	/* the profile's ldflags read ${XBUILD_VERSION} */
	setenv("XBUILD_VERSION", version, 1);
	if ((status = source_read(&src)))
		goto done;

	po.build_version = version;
	if ((status = build_session_plan(&s, &bo, &pkgs, &po)))
		goto done;
	if (s.failed) {
		cmd_error("%zu of %zu target%s cannot be built as asked; nothing "
			  "released", s.failed, s.nplans, s.nplans == 1 ? "" : "s");
		status = EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < s.profile.ntargets; i++)
		xb_strv_push(&matrix, s.profile.targets[i].name);
	if (shard_n > 1 && (status = select_shard(&s, &matrix, shard_k, shard_n)))
		goto done;
	if (shard_n > 1 && s.nplans == 0)
		cmd_warn("shard %d/%d has no targets (%zu targets in %d shards): "
			 "its release is empty", shard_k, shard_n, matrix.n,
			 shard_n);

	/* where each binary goes, and the archives */
	rels = calloc(s.nplans ? s.nplans : 1, sizeof(*rels));
	if (!rels) {
		status = EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < s.nplans; i++) {
		const xb_plan *pl = &s.plans[i];
		const xb_target *t = find_target(&s.profile, pl->target);
		const char *rel = relpath(pl->output ? pl->output : "", dist);

		if (!rel) {
			status = EXIT_USAGE;
			cmd_error("%s: output '%s' is not a path inside the release "
				  "folder (fix the profile's output template)",
				  pl->target, pl->output ? pl->output : "");
			goto done;
		}
		if (!strcmp(rel, "manifest.json") || !strcmp(rel, "SHA256SUMS")) {
			status = EXIT_USAGE;
			cmd_error("%s: output '%s' is a name the release uses "
				  "itself", pl->target, rel);
			goto done;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(rels[k], rel)) {
				status = EXIT_USAGE;
				cmd_error("%s and %s both write '%s' (put {target} "
					  "in the profile's output template)",
					  s.plans[k].target, pl->target, rel);
				goto done;
			}
		rels[i] = strdup(rel);
		for (size_t a = 0; t && a < t->s.archives.n; a++) {
			const char *f = t->s.archives.v[a];
			if (!pack_format(f)) {
				status = EXIT_USAGE;
				cmd_error("%s: archive format '%s' is not supported "
					  "by release (expected tar.gz or zip)",
					  pl->target, f);
				goto done;
			}
			if (archive_add(&arcs, &narcs, rel, f, pl->target)) {
				status = EXIT_FAIL;
				goto done;
			}
		}
	}
	for (size_t a = 0; a < narcs; a++)
		for (size_t i = 0; i < s.nplans; i++)
			if (!strcmp(arcs[a].path, rels[i])) {
				status = EXIT_USAGE;
				cmd_error("archive '%s' would overwrite a binary",
					  arcs[a].path);
				goto done;
			}

	/* build into a folder beside dist */
	hold_signals(true);
	if (!(tmp = xb_mktemp_dir_beside(dist, &err)) ||
	    retarget(&s, rels, tmp, true, &err)) {
		status = cmd_report(&err);
		goto done;
	}
	{
		struct run_opts ro = { r.jobs, false, false, r.json,
				       !r.json && isatty(2), NULL };
		nrt = s.nplans;
		hold_signals(false);
		status = build_run(&s, &ro, &rt);
		hold_signals(true);
		if (status) {
			/* name artifacts where they would have gone, not in a
			 * folder about to be removed */
			retarget(&s, rels, dist, false, NULL);
			failures(rt, nrt, r.json);
			goto done;
		}
		if (r.verify_repro) {
			xb_buf out2 = XB_BUF_INIT, cache = XB_BUF_INIT;
			size_t bad;

			if (!(tmp2 = xb_mktemp_dir_beside(dist, &err))) {
				status = cmd_report(&err);
				goto done;
			}
			xb_buf_addf(&out2, "%s/out", tmp2);
			/* go wants an absolute GOCACHE */
			if ((r.repro_cache ? r.repro_cache : tmp2)[0] != '/') {
				char *cwd = getcwd(NULL, 0);
				xb_buf_addf(&cache, "%s/", cwd ? cwd : ".");
				free(cwd);
			}
			if (r.repro_cache)
				xb_buf_adds(&cache, r.repro_cache);
			else
				xb_buf_addf(&cache, "%s/gocache", tmp2);
			for (size_t i = 0; i < s.nplans; i++)
				xb_strv_setenv(&s.plans[i].pass, "GOCACHE",
					       xb_buf_str(&cache));
			if (retarget(&s, rels, xb_buf_str(&out2), true, &err)) {
				xb_buf_release(&out2);
				xb_buf_release(&cache);
				status = cmd_report(&err);
				goto done;
			}
			if (!r.json)
				fprintf(stderr, "xbuild: --verify-repro: building "
					"again in %s with the Go cache %s\n",
					xb_buf_str(&out2), xb_buf_str(&cache));
			hold_signals(false);
			status = build_run(&s, &ro, &rt2);
			hold_signals(true);
			bad = status ? 0 : compare_builds(&s, rels, tmp,
							   xb_buf_str(&out2));
			xb_buf_release(&out2);
			xb_buf_release(&cache);
			if (status) {
				retarget(&s, rels, dist, false, NULL);
				failures(rt2, nrt, r.json);
				goto done;
			}
			if (bad) {
				cmd_error("%zu of %zu artifact%s not reproducible; "
					  "nothing released", bad, s.nplans,
					  s.nplans == 1 ? " is" : "s are");
				status = EXIT_EXPECT;
				goto done;
			}
		}
	}

	/* manifest, archives, SHA256SUMS */
	m = xb_manifest_new(s.profile.name, version, src.revision, src.epoch,
			    &matrix, shard_k, shard_n);
	outs = calloc(s.nplans + narcs + 1, sizeof(*outs));
	if (!m || !outs) {
		cmd_error("out of memory");
		status = EXIT_FAIL;
		goto done;
	}
	/* the Go choice by its source (profile, --set, go.mod or local),
	 * not where it is, which would name this machine's folders */
	if (xb_manifest_set_source(m, src.dirty, src.epoch_from, &err) ||
	    xb_manifest_set_tools(m, s.go.version, s.go.chosen.source,
				  XB_VERSION, &err)) {
		status = cmd_report(&err);
		goto done;
	}
	for (size_t i = 0; i < s.nplans; i++) {
		if (xb_manifest_add_binary(m, tmp, rels[i], &s.plans[i],
					   &rt[i].facts, s.go.version, &err)) {
			status = cmd_report(&err);
			goto done;
		}
		outs[nout].path = rels[i];
		outs[nout].target = s.plans[i].target;
		outs[nout].kind = "binary";
		outs[nout].size = rt[i].size;
		memcpy(outs[nout].sha256, rt[i].sha256, sizeof(rt[i].sha256));
		nout++;
	}
	for (size_t a = 0; a < narcs; a++) {
		struct archive *ar = &arcs[a];
		xb_pack_entry *e = calloc(ar->srcs.n, sizeof(*e));
		xb_strv full = XB_STRV_INIT;
		xb_buf path = XB_BUF_INIT;
		xb_code rc;

		if (!e) {
			status = EXIT_FAIL;
			goto done;
		}
		for (size_t k = 0; k < ar->srcs.n; k++)
			xb_strv_pushf(&full, "%s/%s", tmp, ar->srcs.v[k]);
		for (size_t k = 0; k < ar->srcs.n; k++) {
			e[k].src = full.v[k];
			e[k].name = ar->names.v[k];
			e[k].executable = true;
		}
		xb_buf_addf(&path, "%s/%s", tmp, ar->path);
		rc = xb_pack(xb_buf_str(&path), ar->format, e, ar->srcs.n,
			     src.epoch, &err);
		if (!rc)
			rc = xb_manifest_add_archive(m, tmp, ar->path, ar->target,
						     ar->format, &ar->names,
						     src.epoch, &err);
		free(e);
		xb_strv_release(&full);
		xb_buf_release(&path);
		if (rc) {
			status = cmd_report(&err);
			goto done;
		}
		outs[nout].path = ar->path;
		outs[nout].target = ar->target;
		outs[nout].kind = "archive";
		if (sha_of(tmp, ar->path, &outs[nout])) {
			status = EXIT_FAIL;
			goto done;
		}
		{
			xb_buf p = XB_BUF_INIT;
			struct stat st;
			xb_buf_addf(&p, "%s/%s", tmp, ar->path);
			if (stat(xb_buf_str(&p), &st) == 0)
				outs[nout].size = (uint64_t)st.st_size;
			xb_buf_release(&p);
		}
		nout++;
	}
	if (xb_manifest_write(m, tmp, &err) || xb_dir_commit(tmp, dist, &err)) {
		status = cmd_report(&err);
		goto done;
	}
	free(tmp);
	tmp = NULL;
	/* what the summary shows: the artifacts where they now are */
	if (retarget(&s, rels, dist, false, &err)) {
		status = cmd_report(&err);
		goto done;
	}
	if (!r.json)
		build_summary(stdout, rt, nrt);
	if (!r.json)
		printf("released %zu artifact%s (%zu target%s%s%s) into %s%s\n",
		       nout, nout == 1 ? "" : "s", s.nplans,
		       s.nplans == 1 ? "" : "s", r.shard ? ", shard " : "",
		       r.shard ? r.shard : "", dist,
		       r.verify_repro ? ", reproduced byte for byte" : "");
	status = EXIT_OK;
done:
	if (r.json)
		print_json(dist, &r, status, outs, nout, rt, nrt);
	if (tmp)
		xb_rm_rf(tmp, NULL);
	if (tmp2)
		xb_rm_rf(tmp2, NULL);
	free(tmp);
	free(tmp2);
	hold_signals(false);
	if (rt)
		build_run_free(rt, nrt);
	if (rt2)
		build_run_free(rt2, nrt);
	xb_manifest_free(m);
	archives_free(arcs, narcs);
	for (size_t i = 0; rels && i < s.nplans; i++)
		free(rels[i]);
	free(rels);
	free(outs);
	free(src.revision);
	xb_strv_release(&matrix);
	xb_strv_release(&pkgs);
	build_session_release(&s);
	build_opts_release(&bo);
	return status;
}
