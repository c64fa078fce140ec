/* buildrun.c: the build engine shared by `xbuild build` and `xbuild
 * release`.  Each plan's `go build` writes a temporary file beside its
 * output; only an artifact the checker has proven (and, with --smoke, that
 * ran) is renamed into place. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildrun.h"

struct run {
	struct build_session *s;
	const struct run_opts *o;
	struct run_target *t;
	size_t n;
	xb_job *jobs;     /* what runs: copies of the targets' jobs */
	size_t njobs;
	bool drawn;       /* a status line is on the terminal */
};

/* ---- progress ------------------------------------------------------------ */

static void clear_status(struct run *r)
{
	if (r->drawn) {
		fputs("\r\033[K", stderr);
		r->drawn = false;
	}
}

static void draw_status(struct run *r, const xb_exec_event *ev)
{
	char line[512];
	size_t k = 0;

	k += (size_t)snprintf(line + k, sizeof(line) - k, "[%zu/%zu] building",
			      ev->finished, ev->total);
	for (size_t i = 0; i < r->njobs && k < sizeof(line) - 32; i++)
		if (r->jobs[i].state == XB_JOB_RUNNING)
			k += (size_t)snprintf(line + k, sizeof(line) - k, " %s",
					      r->jobs[i].name);
	if (k >= sizeof(line) - 32)
		snprintf(line + sizeof(line) - 8, 8, " ...");
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	r->drawn = true;
}

static void on_event(const xb_exec_event *ev, void *ctx)
{
	struct run *r = ctx;
	struct run_target *t;

	if (r->o->quiet)
		return;
	switch (ev->kind) {
	case XB_EXEC_STARTED:
		if (r->o->status_line)
			draw_status(r, ev);
		break;
	case XB_EXEC_FINISHED:
		t = ev->job->user;
		if (r->o->status_line)
			clear_status(r);
		fprintf(stderr, "xbuild: %s: %s in %.1fs\n", t->plan->target,
			ev->job->state == XB_JOB_OK ? "built and verified" :
			"failed", xb_job_seconds(ev->job));
		if (r->o->status_line && ev->running)
			draw_status(r, ev);
		break;
	case XB_EXEC_STOPPING:
		clear_status(r);
		fprintf(stderr, "xbuild: stopping every build (signal %d)\n",
			ev->signal);
		break;
	case XB_EXEC_OUTPUT:
		break;
	}
}

/* ---- after a build: link output, checker, smoke run, rename -------------- */

/* Read what the linker said (the whole log: undefined symbols come early)
 * into t->diagnoses; returns the number of errors among them. */
static size_t read_link_output(struct run_target *t)
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

static const char *qemu_for(const char *arch)
{
	static const char *const m[][2] = {
		{ "arm64", "qemu-aarch64" }, { "arm", "qemu-arm" },
		{ "386", "qemu-i386" }, { "amd64", "qemu-x86_64" },
		{ "riscv64", "qemu-riscv64" }, { "ppc64le", "qemu-ppc64le" },
		{ "ppc64", "qemu-ppc64" }, { "s390x", "qemu-s390x" },
		{ "mips", "qemu-mips" }, { "mipsle", "qemu-mipsel" },
		{ "mips64", "qemu-mips64" }, { "mips64le", "qemu-mips64el" },
		{ "loong64", "qemu-loongarch64" },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (!strcmp(m[i][0], arch))
			return m[i][1];
	return NULL;
}

/* Run the artifact with the profile's smoke arguments: natively on the
 * host's OS and arch, under qemu-user for other Linux arches. */
static xb_code smoke(struct run *r, struct run_target *t, xb_err *err)
{
	const xb_plan *pl = t->plan;
	xb_strv argv = XB_STRV_INIT;
	xb_buf out;
	int code = -1;
	xb_code rc;
	bool native = !strcmp(pl->goos, r->s->go.hostos) &&
		(!strcmp(pl->goarch, r->s->go.hostarch) ||
		 (!strcmp(pl->goarch, "386") && !strcmp(r->s->go.hostarch, "amd64")));

	if (!native && strcmp(pl->goos, "linux")) {
		/* proven by the checker, but nothing here can run it */
		xb_strv_pushf(&t->diagnoses, "smoke run skipped: nothing here "
			      "runs %s binaries", pl->goos);
		return XB_OK;
	}
	/* a hung artifact must not hang the build */
	xb_strv_push(&argv, "timeout");
	xb_strv_push(&argv, "120");
	if (!native) {
		const char *q = qemu_for(pl->goarch);
		if (!q)
			return xb_fail(err, XB_ERR_UNSUPPORTED,
				       "smoke run: no qemu-user for %s", pl->goarch);
		xb_strv_push(&argv, q);
		if (t->facts.interpreter) {
			/* dynamic: the loader and libraries of the target */
			xb_strv_push(&argv, "-L");
			xb_strv_push(&argv, pl->cc.libc_sysroot ? pl->cc.libc_sysroot :
				     "/");
		}
	}
	xb_strv_push(&argv, t->tmp);
	xb_strv_pushv(&argv, xb_strv_argv(&pl->smoke));
	xb_buf_init(&out, 64 * 1024);
	rc = xb_run(xb_strv_argv(&argv), NULL, &out, &out, &code, err);
	if (rc == XB_ERR_TOO_BIG)
		rc = XB_OK; /* lots of output is fine */
	if (!rc) {
		t->smoke_exit = code;
		if (code != 0) {
			size_t len = out.len > 400 ? 400 : out.len;
			rc = xb_fail(err, XB_ERR_CHILD, "smoke run exited %d%s%.*s",
				     code, len ? ": " : "", (int)len,
				     xb_buf_str(&out));
		}
	}
	xb_buf_release(&out);
	xb_strv_release(&argv);
	return rc;
}

static xb_code on_success(xb_job *job, void *ctx, xb_err *err)
{
	struct run *r = ctx;
	struct run_target *t = job->user;
	const xb_plan *pl = t->plan;
	unsigned char d[32];
	struct stat st;
	xb_code rc;

	(void)r;
	/* glibc's static NSS warnings: explained always, fatal on request */
	read_link_output(t);
	for (size_t i = 0; i < t->diagnoses.n; i++)
		if (xb_linkdiag_nss(t->diagnoses.v[i]) && pl->nss_fatal)
			return xb_fail(err, XB_ERR_EXPECT, "the linker warned "
				       "about glibc NSS and nss_warnings is "
				       "error: %s", t->diagnoses.v[i]);

	rc = xb_inspect(t->tmp, &t->facts, err);
	if (rc)
		return xb_prefix(err, "checking the artifact");
	if (xb_verify(&t->facts, &pl->expect, &t->violations)) {
		xb_buf b = XB_BUF_INIT;
		for (size_t i = 0; i < t->violations.n; i++)
			xb_buf_addf(&b, "%s%s", i ? "; " : "", t->violations.v[i]);
		rc = xb_fail(err, XB_ERR_EXPECT, "%s", xb_buf_str(&b));
		xb_buf_release(&b);
		return rc;
	}
	if (r->o->smoke && (rc = smoke(r, t, err)))
		return rc;
	if ((rc = xb_sha256_file(t->tmp, d, err)))
		return rc;
	xb_hex(d, 32, t->sha256);
	if (stat(t->tmp, &st) == 0)
		t->size = (uint64_t)st.st_size;
	if (rename(t->tmp, pl->output) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot rename '%s' to '%s':",
			       t->tmp, pl->output);
	free(t->tmp);
	t->tmp = NULL;
	return XB_OK;
}

static void on_interrupt(int sig, void *ctx)
{
	struct run *r = ctx;

	(void)sig;
	for (size_t i = 0; i < r->n; i++)
		if (r->t[i].tmp)
			unlink(r->t[i].tmp);
}

/* ---- setting up ---------------------------------------------------------- */

/* The plan's argv with -o pointing at the temporary file. */
static xb_code job_argv(struct run_target *t, xb_strv *argv)
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
 * number: how many plans of that target come before t, or -1 when t is
 * its target's only plan.  Counted from the plans themselves: a shard
 * keeps only some of them, so a position in the profile says nothing. */
static size_t log_index(const struct run *r, const struct run_target *t)
{
	size_t before = 0, same = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->t[i].plan->target, t->plan->target))
			continue;
		same++;
		if (&r->t[i] < t)
			before++;
	}
	return same > 1 ? before : (size_t)-1;
}

static int prepare(struct run *r, struct run_target *t, const char *logdir,
		   xb_strv *argv, xb_strv *envp)
{
	const xb_plan *pl = t->plan;
	xb_err err = XB_ERR_INIT;
	xb_buf b = XB_BUF_INIT;
	char *slash;

	(void)r;
	/* the folder of the output, and a temporary name beside it */
	xb_buf_adds(&b, pl->output);
	slash = strrchr(b.data, '/');
	if (slash) {
		*slash = '\0';
		if (xb_mkdir_p(b.data, &err)) {
			xb_buf_release(&b);
			return cmd_report(&err);
		}
	}
	xb_buf_reset(&b);
	xb_buf_addf(&b, "%s.xbuild-tmp-%ld", pl->output, (long)getpid());
	t->tmp = xb_buf_take(&b);
	xb_buf_addf(&b, "%s/", logdir);
	for (const char *p = pl->target; *p; p++)
		xb_buf_addc(&b, *p == '/' ? '-' : *p);
	if (log_index(r, t) != (size_t)-1)
		xb_buf_addf(&b, "-%zu", log_index(r, t));
	xb_buf_adds(&b, ".log");
	t->log = xb_buf_take(&b);
	if (!t->tmp || !t->log || job_argv(t, argv) || xb_plan_envp(pl, envp)) {
		cmd_error("out of memory");
		return EXIT_FAIL;
	}
	/* a build never stops to ask for credentials on a terminal */
	xb_strv_setenv(envp, "GIT_TERMINAL_PROMPT", "0");
	t->job.name = pl->target;
	t->job.argv = xb_strv_argv(argv);
	t->job.envp = xb_strv_argv(envp);
	t->job.log_path = t->log;
	t->job.user = t;
	return EXIT_OK;
}

/* Two plans writing one file would silently overwrite each other. */
static int outputs_collide(const struct build_session *s)
{
	for (size_t i = 0; i < s->nplans; i++)
		for (size_t j = i + 1; j < s->nplans; j++)
			if (s->plans[i].output && s->plans[j].output &&
			    !strcmp(s->plans[i].output, s->plans[j].output)) {
				cmd_error("%s and %s would both write '%s' (use an "
					  "output template with {target}, e.g. "
					  "-o 'dist/{target}/{name}{ext}')",
					  s->plans[i].target, s->plans[j].target,
					  s->plans[i].output);
				return 1;
			}
	return 0;
}

int build_run(struct build_session *s, const struct run_opts *o,
	      struct run_target **out)
{
	struct run r = { s, o, NULL, s->nplans, NULL, 0, false };
	xb_exec_opts eo = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_jobserver js;
	xb_err err = XB_ERR_INIT;
	xb_strv *argvs = NULL, *envps = NULL;
	xb_job *jobs = NULL;
	size_t *map = NULL, njobs = 0;
	char logtmp[] = "/tmp/xbuild-logs-XXXXXX";
	const char *logdir = o->logdir;
	bool failed = false, broken = false;
	int status = EXIT_OK;
	xb_code rc;

	*out = r.t = calloc(s->nplans ? s->nplans : 1, sizeof(*r.t));
	argvs = calloc(s->nplans ? s->nplans : 1, sizeof(*argvs));
	envps = calloc(s->nplans ? s->nplans : 1, sizeof(*envps));
	jobs = calloc(s->nplans ? s->nplans : 1, sizeof(*jobs));
	map = calloc(s->nplans ? s->nplans : 1, sizeof(*map));
	xb_jobserver_init(&js);
	if (!r.t || !argvs || !envps || !jobs || !map) {
		cmd_error("out of memory");
		status = EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < s->nplans; i++) {
		r.t[i].plan = &s->plans[i];
		r.t[i].smoke_exit = -1;
		r.t[i].verdict = s->plans[i].errors.n ? "not planned" : "skipped";
		xb_job_init(&r.t[i].job);
		xb_facts_init(&r.t[i].facts);
	}
	if (outputs_collide(s)) {
		status = EXIT_USAGE;
		goto done;
	}
	if (!logdir) {
		if (!mkdtemp(logtmp)) {
			cmd_error("cannot create a folder for logs: %s",
				  strerror(errno));
			status = EXIT_FAIL;
			goto done;
		}
		logdir = logtmp;
	} else if (xb_mkdir_p(logdir, &err)) {
		status = cmd_report(&err);
		goto done;
	}
	for (size_t i = 0; i < s->nplans; i++) {
		if (s->plans[i].errors.n) {
			failed = true;
			continue;
		}
		xb_strv_init(&argvs[i]);
		xb_strv_init(&envps[i]);
		if ((status = prepare(&r, &r.t[i], logdir, &argvs[i], &envps[i])))
			goto done;
		map[njobs++] = i;
	}
	if (njobs == 0) {
		status = failed ? EXIT_FAIL : EXIT_OK;
		goto done;
	}

	if (xb_jobserver_open(&js, getenv("MAKEFLAGS"), &err))
		cmd_warn("jobserver ignored, building one target at a time: %s",
			 xb_errmsg(&err));
	/* the jobs array holds copies; results are copied back below */
	for (size_t k = 0; k < njobs; k++)
		jobs[k] = r.t[map[k]].job;
	r.jobs = jobs;
	r.njobs = njobs;
	eo.jobs = o->jobs;
	eo.keep_going = o->keep_going;
	eo.jobserver = &js;
	eo.ctx = &r;
	eo.on_event = on_event;
	eo.on_success = on_success;
	eo.on_interrupt = on_interrupt;
	rc = xb_exec_run(jobs, njobs, &eo, &res, &err);
	clear_status(&r);
	for (size_t k = 0; k < njobs; k++) {
		struct run_target *t = &r.t[map[k]];

		t->job = jobs[k];
		switch (t->job.state) {
		case XB_JOB_OK:
			t->verdict = "ok";
			break;
		case XB_JOB_FAILED:
			if (t->job.err.code == XB_ERR_EXPECT) {
				t->verdict = "broken";
				broken = true;
			} else {
				t->verdict = "failed";
				failed = true;
				if (t->job.exit_code > 0)
					read_link_output(t);
			}
			break;
		case XB_JOB_STOPPED:
			t->verdict = "stopped";
			break;
		default:
			t->verdict = "skipped";
			break;
		}
		if (t->tmp && t->job.state != XB_JOB_OK)
			unlink(t->tmp);
	}
	if (rc == XB_ERR_INTERRUPTED) {
		status = 128 + res.signal;
		goto done;
	}
	status = failed ? EXIT_FAIL : broken ? EXIT_EXPECT : EXIT_OK;
done:
	xb_jobserver_release(&js);
	if (logdir == logtmp) {
		if (status == EXIT_OK || njobs == 0) /* no log to keep */
			xb_rm_rf(logtmp, NULL);
		else if (!o->quiet)
			fprintf(stderr, "xbuild: logs are in %s\n", logtmp);
	}
	for (size_t i = 0; argvs && envps && i < s->nplans; i++) {
		/* the jobs point into these; they are done with them now */
		r.t[i].job.argv = NULL;
		r.t[i].job.envp = NULL;
		xb_strv_release(&argvs[i]);
		xb_strv_release(&envps[i]);
	}
	if (r.t && logdir == logtmp)
		for (size_t i = 0; i < s->nplans; i++) {
			if (status == EXIT_OK || njobs == 0) {
				free(r.t[i].log);
				r.t[i].log = NULL;
			}
		}
	free(argvs);
	free(envps);
	free(jobs);
	free(map);
	return status;
}

void build_run_free(struct run_target *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		if (t[i].tmp)
			unlink(t[i].tmp);
		free(t[i].tmp);
		free(t[i].log);
		xb_job_release(&t[i].job);
		xb_facts_release(&t[i].facts);
		xb_strv_release(&t[i].violations);
		xb_strv_release(&t[i].diagnoses);
	}
	free(t);
}

/* ---- reporting ------------------------------------------------------------ */

static void human_size(char *buf, size_t n, uint64_t size)
{
	if (size >= 10u << 20)
		snprintf(buf, n, "%.0fM", size / 1048576.0);
	else if (size >= 1u << 20)
		snprintf(buf, n, "%.1fM", size / 1048576.0);
	else
		snprintf(buf, n, "%.0fK", size / 1024.0);
}

void build_summary(FILE *f, const struct run_target *t, size_t n)
{
	fprintf(f, "%-18s %-11s %7s  %-12s %6s  %s\n", "TARGET", "LINKAGE",
		"SIZE", "SHA256", "TIME", "VERDICT");
	for (size_t i = 0; i < n; i++) {
		char size[16] = "-", secs[16] = "-";

		if (t[i].size)
			human_size(size, sizeof(size), t[i].size);
		if (t[i].job.start_ns)
			snprintf(secs, sizeof(secs), "%.1fs",
				 xb_job_seconds(&t[i].job));
		fprintf(f, "%-18s %-11s %7s  %-12.12s %6s  %s\n",
			t[i].plan->target,
			t[i].facts.linkage ? t[i].facts.linkage : "-", size,
			t[i].sha256[0] ? t[i].sha256 : "-", secs, t[i].verdict);
	}
	/* then what went wrong, target by target */
	for (size_t i = 0; i < n; i++) {
		const struct run_target *x = &t[i];

		if (!strcmp(x->verdict, "ok") && !x->diagnoses.n)
			continue;
		if (!strcmp(x->verdict, "skipped") || !strcmp(x->verdict, "stopped"))
			continue;
		if (!strcmp(x->verdict, "ok")) {
			for (size_t k = 0; k < x->diagnoses.n; k++)
				fprintf(stderr, "xbuild: warning: %s: %s\n",
					x->plan->target, x->diagnoses.v[k]);
			continue;
		}
		if (!strcmp(x->verdict, "not planned"))
			continue; /* its errors were printed when planning */
		if (!strcmp(x->verdict, "broken")) {
			for (size_t k = 0; k < x->violations.n; k++)
				fprintf(stderr, "xbuild: %s: %s: %s\n",
					x->plan->target, x->plan->output,
					x->violations.v[k]);
			if (!x->violations.n)
				fprintf(stderr, "xbuild: %s: %s\n", x->plan->target,
					xb_errmsg(&x->job.err));
			continue;
		}
		fprintf(stderr, "xbuild: %s: %s\n", x->plan->target,
			xb_errmsg(&x->job.err));
		for (size_t k = 0; k < x->diagnoses.n; k++)
			fprintf(stderr, "xbuild: %s: %s\n", x->plan->target,
				x->diagnoses.v[k]);
		if (x->job.tail.len) {
			fprintf(stderr, "xbuild: %s: last lines of its log%s%s:\n",
				x->plan->target, x->log ? " " : "",
				x->log ? x->log : "");
			fprintf(stderr, "%s", xb_buf_str(&x->job.tail));
		}
	}
}

void build_summary_json(xb_json *j, const struct run_target *t, size_t n)
{
	xb_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		const struct run_target *x = &t[i];

		xb_json_obj_begin(j);
		xb_json_kstr(j, "target", x->plan->target);
		xb_json_kstr(j, "package", x->plan->pkg);
		xb_json_kstr(j, "output", x->plan->output);
		xb_json_kstr(j, "verdict", x->verdict);
		xb_json_kstr(j, "linkage", x->facts.linkage);
		xb_json_key(j, "size");
		if (x->size)
			xb_json_uint(j, x->size);
		else
			xb_json_null(j);
		xb_json_kstr(j, "sha256", x->sha256[0] ? x->sha256 : NULL);
		xb_json_key(j, "milliseconds");
		if (x->job.start_ns) {
			xb_json_int(j, (long long)(xb_job_seconds(&x->job) * 1000));
		} else {
			xb_json_null(j);
		}
		xb_json_kstr(j, "error", strcmp(x->verdict, "ok") &&
			     x->job.err.code ? xb_errmsg(&x->job.err) : NULL);
		xb_json_key(j, "violations");
		xb_json_arr_begin(j);
		for (size_t k = 0; k < x->violations.n; k++)
			xb_json_str(j, x->violations.v[k]);
		xb_json_arr_end(j);
		xb_json_key(j, "diagnoses");
		xb_json_arr_begin(j);
		for (size_t k = 0; k < x->diagnoses.n; k++)
			xb_json_str(j, x->diagnoses.v[k]);
		for (size_t k = 0; k < x->plan->errors.n; k++)
			xb_json_str(j, x->plan->errors.v[k]);
		xb_json_arr_end(j);
		xb_json_key(j, "smoke_exit");
		if (x->smoke_exit >= 0)
			xb_json_int(j, x->smoke_exit);
		else
			xb_json_null(j);
		xb_json_obj_end(j);
	}
	xb_json_arr_end(j);
}
