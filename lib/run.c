/* run.c: the build engine of `xbuild build` and `xbuild release`.  Each
 * plan's `go build` writes a temporary file beside its output; only an
 * artifact the checker has proven (and, with smoke, that ran) is renamed
 * into place.  Progress goes to the caller's on_event; nothing here
 * prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xbuild.h"
#include "linkdiag.h"
#include "exec.h"
#include "plan.h"
#include "run-artifact.h"
#include "uptodate.h"

/* An artifact's sha256, started as go puts the file in its temporary
 * folder (a rename or a copy's close, seen by inotify) rather than after
 * go exits: go still writes its cache and ends meanwhile, some
 * milliseconds, longer than the hash takes. */
struct aside {
	int ifd;              /* inotify on the temporary folder; -1 */
	xb_sha256_task *sha;  /* on the artifact, once it is there */
};

struct run {
	const xb_run_opts *o;
	xb_run_target *t;
	size_t n;
	xb_job *jobs;     /* what runs: copies of the targets' jobs */
	size_t njobs;
	xb_uptodate *ud;  /* per target, with o->record */
	xb_uptodate_run ur; /* what their records share */
	const char *tmpdir; /* the builds' TMPDIR */
	struct aside *aside; /* per target; NULL: none */
	/* admitting plans as they are made (o->feed) */
	struct scratch *sc;
	xb_run_result *res;
	size_t seen;      /* plans looked at */
	bool closed;      /* a pre hook failed: no more plan is built */
	int limit;        /* builds at once (xb_exec_limit); 0: make's
			   * jobserver alone says */
	size_t ready;     /* jobs the executor may start */
	bool refused;     /* admitting failed: the run stopped */
};

static void emit(const struct run *r, xb_run_event *ev)
{
	ev->jobs = r->jobs;
	ev->njobs = r->njobs;
	if (r->o->on_event)
		r->o->on_event(ev, r->o->ctx);
}

/* What a finished job means for its artifact. */
static const char *verdict_of(const xb_job *job)
{
	switch (job->state) {
	case XB_JOB_OK:
		return "ok";
	case XB_JOB_FAILED:
		return job->err.code == XB_ERR_EXPECT ? "broken" : "failed";
	case XB_JOB_STOPPED:
		return "stopped";
	default:
		return "skipped";
	}
}

static void on_exec_event(const xb_exec_event *xev, void *ctx)
{
	struct run *r = ctx;
	xb_run_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.running = xev->running;
	ev.finished = xev->finished;
	ev.total = xev->total;
	switch (xev->kind) {
	case XB_EXEC_STARTED:
	case XB_EXEC_FINISHED:
		ev.kind = xev->kind == XB_EXEC_STARTED ? XB_RUN_STARTED
						       : XB_RUN_FINISHED;
		ev.target = xev->job->user;
		ev.job = xev->job;
		ev.verdict = xev->kind == XB_EXEC_FINISHED ?
			verdict_of(xev->job) : NULL;
		break;
	case XB_EXEC_STOPPING:
		ev.kind = XB_RUN_STOPPING;
		ev.signal = xev->signal;
		break;
	case XB_EXEC_OUTPUT:
		return;
	}
	/* go list says what the artifact is built from while it builds */
	if (xev->kind == XB_EXEC_STARTED && r->o->record)
		xb_uptodate_start(&r->ud[(xb_run_target *)xev->job->user - r->t],
				  ev.target->plan, xev->job->envp, r->tmpdir,
				  &r->ur);
	emit(r, &ev);
}

/* ---- after a build: link output, checker, smoke run, rename -------------- */

/* Read what the linker said (the whole log: undefined symbols come early)
 * into t->diagnoses; returns the number of errors among them. */
static size_t read_link_output(xb_run_target *t)
{
	xb_linkdiag_opts lo = { NULL, NULL, NULL, 0 };
	xb_buf log;
	size_t errors;

	xb_buf_init(&log, 16u << 20);
	if (!t->log || xb_buf_read_file(&log, t->log, NULL)) {
		xb_buf_release(&log);
		return 0;
	}
	/* the plan knows where the target's archives are (xb_plan) */
	lo.lib_dirs = t->plan->lib_dirs.n ? xb_strv_argv(&t->plan->lib_dirs)
					  : NULL;
	lo.sysroot = t->plan->sysroot;
	lo.triplet = t->plan->triplet;
	xb_strv_release(&t->diagnoses);
	errors = xb_linkdiag(xb_buf_str(&log), log.len, &lo, &t->diagnoses);
	xb_buf_release(&log);
	return errors;
}

/* Remove the temporary output and its folder (a signal may be handled:
 * nothing here allocates). */
static void drop_tmp(char *tmp)
{
	char *slash = strrchr(tmp, '/');

	unlink(tmp);
	if (slash) {
		*slash = '\0';
		rmdir(tmp);
		*slash = '/';
	}
}

/* Watch t's temporary folder for its artifact.  Not with post hooks (they
 * change it first); without inotify the hash starts after go exits. */
static void watch_tmp(struct run *r, xb_run_target *t)
{
	struct aside *e = r->aside ? &r->aside[t - r->t] : NULL;
	char *slash = strrchr(t->tmp, '/');

	if (!e || !slash || t->plan->hooks_post.n)
		return;
	if ((e->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return;
	*slash = '\0';
	if (inotify_add_watch(e->ifd, t->tmp, IN_MOVED_TO | IN_CLOSE_WRITE |
			      IN_ONLYDIR) < 0) {
		close(e->ifd);
		e->ifd = -1;
	}
	*slash = '/';
	t->job.watch_fd = e->ifd;
}

/* The temporary folder changed: once the artifact is there, its hash
 * starts (a failed start is no matter: on_success hashes). */
static void on_watch(xb_job *job, void *ctx)
{
	struct run *r = ctx;
	xb_run_target *t = job->user;
	struct aside *e = &r->aside[t - r->t];
	const char *base = strrchr(t->tmp, '/') + 1;
	_Alignas(struct inotify_event) char buf[4096];
	ssize_t n;

	while ((n = read(job->watch_fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->len && !strcmp(ev->name, base) && !e->sha)
				e->sha = xb_sha256_start(t->tmp, NULL);
			p += sizeof(*ev) + ev->len;
		}
	if (e->sha || n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		job->watch_fd = -1; /* done with it; closed with the run */
}

/* The hash on_watch started, when t->tmp is still the file it read;
 * else NULL (and one that read something else is dropped). */
static xb_sha256_task *take_early(struct run *r, xb_run_target *t)
{
	struct aside *e = r->aside ? &r->aside[t - r->t] : NULL;
	xb_sha256_task *sha = e ? e->sha : NULL;
	unsigned char d[32];

	if (!sha)
		return NULL;
	e->sha = NULL;
	if (xb_sha256_same(sha, t->tmp))
		return sha;
	xb_sha256_wait(sha, d, NULL, NULL);
	return NULL;
}

static void aside_release(struct run *r)
{
	unsigned char d[32];

	for (size_t i = 0; r->aside && i < r->n; i++) {
		struct aside *e = &r->aside[i];

		if (e->sha)
			xb_sha256_wait(e->sha, d, NULL, NULL);
		if (e->ifd >= 0)
			close(e->ifd);
	}
	free(r->aside);
	r->aside = NULL;
}

/* What the checker finds in the built artifact meets the plan's
 * expectations, and a smoke run (--smoke, or the profile's smoke:
 * arguments) passes. */
static xb_code prove(const struct run *r, xb_run_target *t, xb_err *err)
{
	const xb_plan *pl = t->plan;
	xb_code rc = xb_inspect(t->tmp, &t->facts, err);

	if (rc)
		return xb_prefix(err, rc, "checking the artifact");
	if (xb_verify(&t->facts, &pl->expect, &t->violations)) {
		xb_buf b = XB_BUF_INIT;
		for (size_t i = 0; i < t->violations.n; i++)
			xb_buf_addf(&b, "%s%s", i ? "; " : "", t->violations.v[i]);
		rc = xb_fail(err, XB_ERR_EXPECT, "%s", xb_buf_str(&b));
		xb_buf_release(&b);
		return rc;
	}
	if (r->o->smoke || pl->smoke.n)
		return xb_run_smoke(r->o, t, err);
	return XB_OK;
}

static xb_code on_success(xb_job *job, void *ctx, xb_err *err)
{
	struct run *r = ctx;
	xb_run_target *t = job->user;
	const xb_plan *pl = t->plan;
	xb_sha256_task *sha;
	unsigned char d[32];
	xb_code rc;

	/* glibc's static NSS warnings: explained always, fatal on request */
	read_link_output(t);
	/* a diagnosis that could not be kept may be the NSS warning */
	if (pl->nss_fatal && xb_strv_failed(&t->diagnoses))
		return xb_strv_check(&t->diagnoses, err, "the linker's diagnoses");
	for (size_t i = 0; i < t->diagnoses.n; i++)
		if (xb_linkdiag_nss(t->diagnoses.v[i]) && pl->nss_fatal)
			return xb_fail(err, XB_ERR_EXPECT, "the linker warned "
				       "about glibc NSS and nss_warnings is "
				       "error: %s", t->diagnoses.v[i]);
	/* post hooks change the artifact, if they do, before it is proved */
	if ((rc = xb_run_hooks(t, &pl->hooks_post, "post", t->tmp, err)))
		return rc;

	/* its sha256: read as go put the file there (on_watch), or now */
	sha = take_early(r, t);
	if ((rc = prove(r, t, err))) {
		xb_sha256_wait(sha, d, NULL, NULL);
		return rc;
	}
	if ((rc = sha ? xb_sha256_wait(sha, d, NULL, err)
		      : xb_sha256_file(t->tmp, d, err)))
		return rc;
	t->size = t->facts.size; /* as the checker read it */
	xb_hex(d, 32, t->sha256);
	if (rename(t->tmp, pl->output) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot rename '%s' to '%s':",
			       t->tmp, pl->output);
	drop_tmp(t->tmp); /* its folder */
	free(t->tmp);
	t->tmp = NULL;
	/* without a record the next run builds again: nothing fails */
	if (r->o->record)
		xb_uptodate_record(&r->ud[t - r->t], pl, job->envp,
				   r->o->hostos, r->o->hostarch, &r->ur, t,
				   NULL);
	return XB_OK;
}

static void on_interrupt(int sig, void *ctx)
{
	struct run *r = ctx;

	(void)sig;
	for (size_t i = 0; i < r->n; i++)
		if (r->t[i].tmp)
			drop_tmp(r->t[i].tmp);
}

/* ---- setting up ---------------------------------------------------------- */

/* The plan's argv with -o pointing at the temporary file. */
static xb_code job_argv(xb_run_target *t, xb_strv *argv)
{
	const xb_plan *pl = t->plan;

	for (size_t i = 0; i < pl->argv.n; i++) {
		if (i > 0 && !strcmp(pl->argv.v[i - 1], "-o")) {
			if (xb_strv_push(argv, t->tmp))
				return XB_ERR_NOMEM;
		} else if (xb_strv_push(argv, pl->argv.v[i])) {
			return XB_ERR_NOMEM;
		}
	}
	return XB_OK;
}

/* Plans of one target (one per package) share a log name but for a
 * number: how many plans of that target come before t, or -1 when none
 * does (only those before: the plans after may not be made yet).
 * Counted from the plans themselves: a shard keeps only some of them, so
 * a position in the profile says nothing. */
static size_t log_index(const struct run *r, const xb_run_target *t)
{
	size_t before = 0;

	for (const xb_run_target *x = r->t; x < t; x++)
		if (!strcmp(x->plan->target, t->plan->target))
			before++;
	return before ? before : (size_t)-1;
}

/* The first folder on the way to dir that does not exist yet (what
 * mkdir -p creates first), or NULL when all do.  Caller frees. */
static char *first_missing(const char *dir)
{
	char *p = strdup(dir);

	for (char *s = p ? p + 1 : NULL; s; s++) {
		char c = *s;

		if (c != '/' && c)
			continue;
		*s = '\0';
		if (!xb_is_dir(p))
			return p; /* cut there */
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return NULL;
}

/* Remove dir and its parents up to made, a folder the run created on the
 * way to it, while they are empty. */
static void remove_made(const char *dir, const char *made)
{
	char *p = strdup(dir), *slash;
	size_t n = strlen(made);

	while (p && strlen(p) >= n && rmdir(p) == 0 && (slash = strrchr(p, '/')))
		*slash = '\0';
	free(p);
}

static xb_code prepare(struct run *r, xb_run_target *t, const char *logdir,
		       const char *tmpdir, char **made, xb_strv *argv,
		       xb_strv *envp, xb_err *err)
{
	const xb_plan *pl = t->plan;
	xb_buf b = XB_BUF_INIT;
	char *slash, *dir;
	const char *base;

	/* the folder of the output, and a temporary name beside it; what
	 * had to be created goes again when no artifact comes to it */
	if (xb_buf_adds(&b, pl->output))
		return xb_buf_check(&b, err, "the output path");
	slash = strrchr(b.data, '/');
	if (slash) {
		*slash = '\0';
		*made = first_missing(b.data);
		if (xb_mkdir_p(b.data, err)) {
			xb_buf_release(&b);
			return err->code;
		}
	}
	xb_buf_reset(&b);
	/* go writes into a folder of its own beside the output, made with
	 * a random name: nothing another user put there is written through */
	if (!(dir = xb_mktemp_dir_beside(pl->output, err))) {
		xb_buf_release(&b);
		return err->code;
	}
	base = strrchr(pl->output, '/');
	xb_buf_addf(&b, "%s/%s", dir, base ? base + 1 : pl->output);
	free(dir);
	t->tmp = xb_buf_take(&b);
	if (t->tmp)
		watch_tmp(r, t);
	xb_buf_addf(&b, "%s/", logdir);
	for (const char *p = pl->target; *p; p++)
		xb_buf_addc(&b, *p == '/' ? '-' : *p);
	if (log_index(r, t) != (size_t)-1)
		xb_buf_addf(&b, "-%zu", log_index(r, t));
	xb_buf_adds(&b, ".log");
	t->log = xb_buf_take(&b);
	if (!t->tmp || !t->log || job_argv(t, argv) || xb_plan_envp(pl, envp))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	/* a build never stops to ask for credentials on a terminal */
	xb_strv_setenv(envp, "GIT_TERMINAL_PROMPT", "0"); /* xb_spawn checks */
	/* go's $WORK and the C compiler's files go in the run's own folder,
	 * removed whatever happens: go keeps $WORK when it is killed */
	xb_strv_setenv(envp, "TMPDIR", tmpdir);
	xb_strv_setenv(envp, "GOTMPDIR", tmpdir);
	t->job.name = pl->target;
	t->job.argv = xb_strv_argv(argv);
	t->job.envp = xb_strv_argv(envp);
	t->job.log_path = t->log;
	t->job.user = t;
	return XB_OK;
}

/* Two plans writing one file would silently overwrite each other: plan
 * i against those before it. */
static xb_code collides(const struct run *r, size_t i, xb_err *err)
{
	const xb_plan *pi = r->t[i].plan, *pj;

	for (size_t j = 0; pi->output && j < i; j++)
		if ((pj = r->t[j].plan)->output && !strcmp(pi->output, pj->output))
			return xb_fail(err, XB_ERR_USAGE, "%s and %s would "
				       "both write '%s' (use an output "
				       "template with {target}, e.g. -o "
				       "'dist/{target}/{name}{ext}')",
				       pj->target, pi->target, pi->output);
	return XB_OK;
}

/* ---- running ------------------------------------------------------------- */

/* The artifact in place is what plan i would build (uptodate.c): no
 * build, no hook. */
static bool up_to_date(struct run *r, size_t i)
{
	xb_run_target *t = &r->t[i];
	xb_run_event ev;

	if (!xb_uptodate_check(&r->ud[i], t->plan, r->o->smoke, r->o->force, t))
		return false;
	t->verdict = "up to date";
	memset(&ev, 0, sizeof(ev));
	ev.kind = XB_RUN_FINISHED;
	ev.target = t;
	ev.job = &t->job;
	ev.verdict = t->verdict;
	emit(r, &ev);
	return true;
}

/* What one run holds besides its results. */
struct scratch {
	xb_strv *argvs, *envps; /* per plan: what its job points into */
	xb_job *jobs;           /* per job: copies handed to xb_exec_run */
	size_t *map;            /* job -> plan */
	size_t njobs;
	char **made;            /* per plan: the first folder created for
				 * its output, or NULL */
	char *rundir;           /* the run's folder in $TMPDIR: the logs
				 * unless o->logdir, and tmp/ */
	char *tmpdir;           /* rundir/tmp, the builds' TMPDIR */
	const char *logdir;
};

static xb_code scratch_alloc(struct scratch *sc, size_t n, xb_err *err)
{
	size_t k = n ? n : 1;

	sc->argvs = calloc(k, sizeof(*sc->argvs));
	sc->envps = calloc(k, sizeof(*sc->envps));
	sc->jobs = calloc(k, sizeof(*sc->jobs));
	sc->map = calloc(k, sizeof(*sc->map));
	sc->made = calloc(k, sizeof(*sc->made));
	if (!sc->argvs || !sc->envps || !sc->jobs || !sc->map || !sc->made)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		xb_strv_init(&sc->argvs[i]);
		xb_strv_init(&sc->envps[i]);
	}
	return XB_OK;
}

/* The run's folder in $TMPDIR, with tmp/ for the builds; the logs go in
 * logdir when given, else in the run's folder. */
static xb_code open_rundir(struct scratch *sc, const char *logdir,
			   xb_err *err)
{
	const char *tmp = getenv("TMPDIR");
	xb_buf b = XB_BUF_INIT;

	if (!tmp || *tmp != '/')
		tmp = "/tmp";
	if (xb_buf_addf(&b, "%s/xbuild-XXXXXX", tmp))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	sc->rundir = xb_buf_take(&b);
	if (!mkdtemp(sc->rundir)) {
		free(sc->rundir);
		sc->rundir = NULL;
		return xb_fail(err, XB_ERR_IO, "cannot create a folder in '%s':",
			       tmp);
	}
	sc->tmpdir = xb_path_join(sc->rundir, "tmp");
	if (!sc->tmpdir)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (mkdir(sc->tmpdir, 0700) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot create folder '%s':",
			       sc->tmpdir);
	sc->logdir = logdir ? logdir : sc->rundir;
	return logdir ? xb_mkdir_p(logdir, err) : XB_OK;
}

/* Copy the jobs' results back into their targets and count them. */
static void collect(struct run *r, struct scratch *sc, xb_run_result *res)
{
	for (size_t k = 0; k < sc->njobs; k++) {
		xb_run_target *t = &r->t[sc->map[k]];

		t->job = sc->jobs[k];
		t->verdict = verdict_of(&t->job);
		if (!strcmp(t->verdict, "broken")) {
			res->broken++;
		} else if (!strcmp(t->verdict, "failed")) {
			res->failed++;
			if (t->job.exit_code > 0)
				read_link_output(t);
		}
		if (t->tmp && t->job.state != XB_JOB_OK)
			drop_tmp(t->tmp);
	}
}

/* Builds at once share the CPUs: each go gets GOMAXPROCS of its share
 * (CPUs / builds at once, at least 1) unless the plan's env sets it, so
 * that parallel linkers do not fight over the same cores.  Nothing when
 * one build runs at a time, or when make's jobserver alone decides.  A
 * plan not made yet counts as a build (unless found up to date, it will
 * be one): a build starts with the share known when it starts. */
static xb_code publish(struct run *r)
{
	struct scratch *sc = r->sc;
	size_t builds = sc->njobs + (r->closed ? 0 : r->n - r->seen);
	int cpus = xb_cpu_count();
	int at_once = builds < (size_t)r->limit ? (int)builds : r->limit;
	int share = at_once > 1 ? cpus / at_once : cpus;
	char n[16];

	snprintf(n, sizeof(n), "%d", share < 1 ? 1 : share);
	for (; r->ready < sc->njobs; r->ready++) {
		xb_strv *env = &sc->envps[sc->map[r->ready]];

		if (r->limit <= 0 || share >= cpus ||
		    xb_strv_getenv(env, "GOMAXPROCS"))
			continue;
		if (xb_strv_setenv(env, "GOMAXPROCS", n))
			return XB_ERR_NOMEM;
		sc->jobs[r->ready].envp = xb_strv_argv(env);
	}
	return XB_OK;
}

/* Plans up to made (the first made of n are): one writing another's
 * output stops the run, one with errors fails, one up to date is not
 * built; the others are prepared, their pre hooks run, and they become
 * jobs (publish lets them start). */
static xb_code admit_plans(struct run *r, size_t made, xb_err *err)
{
	struct scratch *sc = r->sc;
	xb_code rc;

	/* all of them before any is prepared or runs a hook */
	for (size_t i = r->seen; i < made; i++)
		if ((rc = collides(r, i, err)))
			return rc;
	for (; r->seen < made; r->seen++) {
		size_t i = r->seen;
		xb_run_target *t = &r->t[i];

		if (t->plan->errors.n) {
			t->verdict = "not planned";
			r->res->failed++;
			continue;
		}
		if (r->closed)
			continue;
		if (r->o->record && up_to_date(r, i))
			continue;
		if ((rc = prepare(r, t, sc->logdir, sc->tmpdir, &sc->made[i],
				  &sc->argvs[i], &sc->envps[i], err)))
			return rc;
		/* a failed pre hook fails its target, which is not built */
		if (xb_run_hooks(t, &t->plan->hooks_pre, "pre", t->plan->output,
				 &t->job.err)) {
			t->verdict = "failed";
			r->res->failed++;
			r->closed = !r->o->keep_going;
			continue;
		}
		sc->map[sc->njobs] = i;
		sc->jobs[sc->njobs++] = t->job;
	}
	return XB_OK;
}

/* The executor's admit (with o->feed only): the plans made since, as
 * jobs. */
static xb_code on_admit(void *ctx, size_t *ready, bool *all, xb_err *err)
{
	struct run *r = ctx;
	size_t made = r->n;
	xb_code rc = r->o->feed->ready(r->o->feed->ctx, &made, err);

	if (!rc && !(rc = admit_plans(r, made, err)))
		rc = publish(r);
	if (rc == XB_ERR_NOMEM && !err->msg[0])
		xb_fail(err, rc, "out of memory");
	r->refused = rc != XB_OK;
	*ready = r->ready;
	*all = !rc && (made >= r->n || r->closed);
	return rc;
}

/* Start every prepared job under make's jobserver and wait for them. */
static xb_code run_jobs(struct run *r, struct scratch *sc,
			xb_run_result *res, xb_err *err)
{
	xb_exec_opts eo = XB_EXEC_OPTS_INIT;
	xb_exec_result xr;
	xb_jobserver js;
	xb_err jerr = XB_ERR_INIT;
	xb_code rc;

	xb_jobserver_init(&js);
	if (xb_jobserver_open(&js, r->o->makeflags, &jerr)) {
		xb_run_event ev;
		xb_buf msg = XB_BUF_INIT;

		memset(&ev, 0, sizeof(ev));
		xb_buf_addf(&msg, "jobserver ignored, building one target at a "
			    "time: %s", xb_errmsg(&jerr));
		ev.kind = XB_RUN_WARNING;
		ev.message = xb_buf_str(&msg);
		emit(r, &ev);
		xb_buf_release(&msg);
	}
	/* the jobs array holds copies (admit_plans makes them); results
	 * are copied back after */
	r->jobs = sc->jobs;
	eo.jobs = r->o->jobs;
	eo.keep_going = r->o->keep_going;
	eo.jobserver = &js;
	eo.ctx = r;
	eo.on_event = on_exec_event;
	eo.on_success = on_success;
	eo.on_interrupt = on_interrupt;
	eo.on_watch = r->aside ? on_watch : NULL;
	r->limit = xb_exec_limit(&eo, r->n);
	if (r->seen < r->n && !r->closed) {
		/* plans still to come: the executor asks for them */
		eo.admit = on_admit;
		eo.feed_fd = r->o->feed->fd;
		r->njobs = r->n;
		rc = xb_exec_run(sc->jobs, r->n, &eo, &xr, err);
	} else if ((rc = publish(r)) == XB_OK) { /* all admitted */
		r->njobs = sc->njobs;
		rc = xb_exec_run(sc->jobs, sc->njobs, &eo, &xr, err);
	} else {
		xb_jobserver_release(&js);
		return xb_fail(err, rc, "out of memory");
	}
	xb_jobserver_release(&js);
	r->njobs = sc->njobs;
	collect(r, sc, res);
	if (rc == XB_ERR_INTERRUPTED) {
		res->signal = xr.signal;
		return rc;
	}
	/* a failed build is its target's (collected); what stopped the
	 * admitting of plans is the run's */
	return r->refused ? rc : XB_OK;
}

/* Drop what the run no longer needs: the builds' temporary files, the
 * folders made for outputs that got no artifact, and the run's folder
 * unless its logs explain a failure (keep; never after an interrupt). */
static void scratch_release(struct run *r, struct scratch *sc, bool keep)
{
	bool drop_logs = sc->rundir && sc->logdir == sc->rundir &&
		(!keep || sc->njobs == 0);

	if (sc->tmpdir)
		xb_rm_rf(sc->tmpdir, NULL);
	if (sc->rundir && (drop_logs || sc->logdir != sc->rundir)) {
		/* what the run put there by name, then what else is left */
		for (size_t i = 0; drop_logs && r->t && i < r->n; i++)
			if (r->t[i].log)
				unlink(r->t[i].log);
		xb_rm_rf(sc->rundir, NULL);
	} else if (sc->rundir) {
		xb_run_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.kind = XB_RUN_LOGS_KEPT;
		ev.message = sc->rundir;
		emit(r, &ev);
	}
	/* the last made first: an earlier plan's folder may hold it */
	for (size_t i = r->n; r->t && sc->made && i-- > 0;) {
		char *slash;

		if (!sc->made[i])
			continue;
		if (r->t[i].tmp && (slash = strrchr(r->t[i].plan->output, '/'))) {
			char *dir = strndup(r->t[i].plan->output,
					    (size_t)(slash - r->t[i].plan->output));

			if (dir)
				remove_made(dir, sc->made[i]);
			free(dir);
		}
		free(sc->made[i]);
	}
	for (size_t i = 0; r->t && sc->argvs && sc->envps && i < r->n; i++) {
		/* the jobs point into these; they are done with them now */
		r->t[i].job.argv = NULL;
		r->t[i].job.envp = NULL;
		xb_strv_release(&sc->argvs[i]);
		xb_strv_release(&sc->envps[i]);
		if (drop_logs) {
			free(r->t[i].log);
			r->t[i].log = NULL;
		}
	}
	free(sc->argvs);
	free(sc->envps);
	free(sc->jobs);
	free(sc->map);
	free(sc->made);
	free(sc->rundir);
	free(sc->tmpdir);
}

xb_code xb_run_plans(xb_plan *plans, size_t n, const xb_run_opts *o,
		     xb_run_target **out, xb_run_result *res, xb_err *err)
{
	struct run r;
	struct scratch sc;
	size_t made = n;
	xb_code rc;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.n = n;
	r.ur.go_version = o->go_version;
	r.ur.goroot = o->goroot;
	r.sc = &sc;
	r.res = res;
	memset(&sc, 0, sizeof(sc));
	memset(res, 0, sizeof(*res));
	/* the results first: whatever fails below, the caller gets a
	 * verdict for every plan */
	*out = r.t = calloc(n ? n : 1, sizeof(*r.t));
	if (!r.t)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		r.t[i].plan = &plans[i];
		r.t[i].smoke_exit = -1;
		r.t[i].verdict = "skipped"; /* until admitted */
		xb_job_init(&r.t[i].job);
		xb_facts_init(&r.t[i].facts);
	}
	if (o->record && (r.ud = calloc(n ? n : 1, sizeof(*r.ud))))
		for (size_t i = 0; i < n; i++)
			xb_uptodate_init(&r.ud[i]);
	/* without it all is done in turn */
	if ((r.aside = calloc(n ? n : 1, sizeof(*r.aside))))
		for (size_t i = 0; i < n; i++)
			r.aside[i].ifd = -1;
	if ((o->record && !r.ud && (rc = xb_fail(err, XB_ERR_NOMEM, "out of "
						   "memory"))) ||
	    (rc = scratch_alloc(&sc, n, err)) ||
	    (rc = open_rundir(&sc, o->logdir, err)))
		goto done;
	r.tmpdir = sc.tmpdir;
	/* the plans made so far (all of them without a feed) */
	if ((o->feed && (rc = o->feed->ready(o->feed->ctx, &made, err))) ||
	    (rc = admit_plans(&r, made, err)))
		goto done;
	if (sc.njobs || (r.seen < n && !r.closed))
		rc = run_jobs(&r, &sc, res, err);
done:
	scratch_release(&r, &sc, rc != XB_ERR_INTERRUPTED &&
			(rc || res->failed || res->broken));
	aside_release(&r);
	for (size_t i = 0; r.ud && i < n; i++)
		xb_uptodate_release(&r.ud[i]);
	free(r.ud);
	xb_uptodate_run_release(&r.ur);
	return rc;
}

xb_code xb_run_before(const xb_profile *p, const xb_relver *rel,
		      const char *build_version, xb_err *err)
{
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_tmpl_vars v;
	xb_code rc = XB_OK;

	xb_plan_release_vars(&v, rel, build_version);
	v.project_name = p->name;
	so.stdout_fd = 2; /* stdout may be JSON */
	for (size_t i = 0; i < p->before.n && !rc; i++) {
		xb_strv argv = XB_STRV_INIT;
		const char *why = NULL;
		char *line = NULL;
		size_t at;
		pid_t pid;
		int st;

		if ((rc = xb_tmpl_expand(p->before.v[i], &v, &line, &at, err)))
			rc = xb_prefix(err, rc, "before hook '%s'", p->before.v[i]);
		else if ((rc = xb_strv_split_words(&argv, line, &why)))
			rc = xb_fail(err, rc, "out of memory");
		else if (why || !argv.n)
			rc = xb_fail(err, XB_ERR_USAGE, "before hook '%s': %s",
				     p->before.v[i], why ? why : "empty");
		else if (!(rc = xb_spawn(xb_strv_argv(&argv), &so, &pid, err)) &&
			 !(rc = xb_wait(pid, &st, err)) && xb_exit_code(st))
			rc = xb_fail(err, XB_ERR_CHILD, "before hook '%s' exited "
				     "%d", p->before.v[i], xb_exit_code(st));
		else if (rc)
			rc = xb_prefix(err, rc, "before hook '%s'", p->before.v[i]);
		free(line);
		xb_strv_release(&argv);
	}
	return rc;
}

void xb_run_targets_free(xb_run_target *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		if (t[i].tmp)
			drop_tmp(t[i].tmp);
		free(t[i].tmp);
		free(t[i].log);
		xb_job_release(&t[i].job);
		xb_facts_release(&t[i].facts);
		xb_strv_release(&t[i].violations);
		xb_strv_release(&t[i].diagnoses);
	}
	free(t);
}
