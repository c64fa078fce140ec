/* buildrun.c: what `xbuild build` and `xbuild release` show of a run of
 * the build engine (lib/run.c): progress lines or a status line redrawn
 * on a terminal, the closing table and each failure's details. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buildrun.h"

/* The display of one run.  On a terminal a thread redraws the progress
 * line every second, so everything this file writes to stderr while the
 * run goes on holds mu. */
struct view {
	const struct run_opts *o;
	bool drawn;       /* a status line is on the terminal */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool ticking;     /* the thread runs */
	bool stop;        /* asks it to end */
	int64_t start_ns;
	size_t finished, total;
	char running[256]; /* the targets being built, by name; "" when
			    * none is */
};

/* ---- progress ------------------------------------------------------------ */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool build_status_line(const struct run_opts *o)
{
	const char *term = getenv("TERM");

	return !o->quiet && isatty(STDERR_FILENO) && term && strcmp(term, "dumb");
}

static void clear_status(struct view *v)
{
	if (v->drawn) {
		fputs("\r\033[K", stderr);
		v->drawn = false;
	}
}

/* "[1/3] building, 1m05s: linux/arm64 windows/amd64", cut to the width
 * of the terminal (a line that wraps cannot be redrawn). */
static void draw_status(struct view *v)
{
	struct winsize ws;
	int64_t secs = (now_ns() - v->start_ns) / 1000000000;
	size_t width = 80;
	char line[512], took[32];
	int k;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 8)
		width = ws.ws_col;
	if (secs < 60)
		snprintf(took, sizeof(took), "%llds", (long long)secs);
	else
		snprintf(took, sizeof(took), "%lldm%02llds", (long long)secs / 60,
			 (long long)secs % 60);
	k = snprintf(line, sizeof(line), "[%zu/%zu] %s, %s:%s", v->finished,
		     v->total, v->o->phase ? v->o->phase : "building", took,
		     v->running);
	if (k < 0)
		return;
	if ((size_t)k >= width) {
		/* room for " ..." inside the width and the buffer */
		size_t cut = width - 1 < sizeof(line) - 1 ? width - 1 : sizeof(line) - 1;
		memcpy(line + cut - 4, " ...", 5);
	}
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	v->drawn = true;
}

static void *ticker(void *ctx)
{
	struct view *v = ctx;
	struct timespec at;

	pthread_mutex_lock(&v->mu);
	while (!v->stop) {
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_sec += 1;
		pthread_cond_timedwait(&v->cv, &v->mu, &at);
		/* while something runs: not after the last one finished */
		if (!v->stop && v->running[0])
			draw_status(v);
	}
	pthread_mutex_unlock(&v->mu);
	return NULL;
}

/* The ticker, with every signal blocked: they are the run's to catch. */
static void start_ticker(struct view *v, pthread_t *t)
{
	pthread_condattr_t ca;
	sigset_t all, old;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&v->cv, &ca);
	pthread_condattr_destroy(&ca);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	v->ticking = pthread_create(t, NULL, ticker, v) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void stop_ticker(struct view *v, pthread_t t)
{
	if (v->ticking) {
		pthread_mutex_lock(&v->mu);
		v->stop = true;
		pthread_cond_signal(&v->cv);
		pthread_mutex_unlock(&v->mu);
		pthread_join(t, NULL);
		v->ticking = false;
	}
	pthread_cond_destroy(&v->cv);
}

/* What the progress line shows, from the event. */
static void take_counts(struct view *v, const xb_run_event *ev)
{
	size_t k = 0;

	v->finished = ev->finished;
	v->total = ev->total;
	v->running[0] = '\0';
	for (size_t i = 0; i < ev->njobs && k + 2 < sizeof(v->running); i++)
		if (ev->jobs[i].state == XB_JOB_RUNNING)
			k += (size_t)snprintf(v->running + k, sizeof(v->running) - k,
					      " %s", ev->jobs[i].name);
	if (k >= sizeof(v->running))
		memcpy(v->running + sizeof(v->running) - 5, " ...", 5);
}

/* -v: the target's environment and command, as a shell would take them */
/* "xbuild: TARGET: ", with the build's id when the profile has builds. */
static void put_label(FILE *f, const xb_plan *pl)
{
	fprintf(f, "xbuild: %s", pl->target);
	if (pl->build_id)
		fprintf(f, " (build %s)", pl->build_id);
	fputs(": ", f);
}

static void print_command(const xb_plan *pl)
{
	xb_buf b = XB_BUF_INIT;

	for (size_t i = 0; i < pl->env.n; i++) {
		xb_shell_quote(&b, pl->env.v[i]);
		xb_buf_addc(&b, ' ');
	}
	for (size_t i = 0; i < pl->argv.n; i++) {
		if (i)
			xb_buf_addc(&b, ' ');
		xb_shell_quote(&b, pl->argv.v[i]);
	}
	/* a command with a word missing is not shown as the command */
	put_label(stderr, pl);
	fprintf(stderr, "%s\n", xb_buf_failed(&b) ?
		xb_strerror(xb_buf_failed(&b)) : xb_buf_str(&b));
	xb_buf_release(&b);
}

static void on_event_locked(const xb_run_event *ev, struct view *v)
{
	bool ok;

	switch (ev->kind) {
	case XB_RUN_WARNING:
		/* said even when quiet: the run is slower than asked */
		clear_status(v);
		cmd_warn("%s", ev->message);
		return;
	case XB_RUN_LOGS_KEPT:
		clear_status(v);
		if (!v->o->quiet)
			fprintf(stderr, "xbuild: logs are in %s\n", ev->message);
		return;
	default:
		break;
	}
	if (v->o->quiet)
		return;
	switch (ev->kind) {
	case XB_RUN_STARTED:
		take_counts(v, ev);
		if (v->o->verbose) {
			clear_status(v);
			print_command(ev->target->plan);
		}
		if (v->o->status_line)
			draw_status(v);
		break;
	case XB_RUN_FINISHED:
		take_counts(v, ev);
		clear_status(v);
		ok = ev->job->state == XB_JOB_OK;
		put_label(stderr, ev->target->plan);
		if (!strcmp(ev->verdict, "up to date")) {
			cmd_put_status(stderr, ev->verdict);
			fputc('\n', stderr);
			break;
		}
		cmd_put_status(stderr, ok ? "built and verified" : "failed");
		fprintf(stderr, " in %.1fs\n", xb_job_seconds(ev->job));
		if (v->o->status_line && ev->running)
			draw_status(v);
		break;
	case XB_RUN_STOPPING:
		clear_status(v);
		fprintf(stderr, "xbuild: stopping every build (signal %d)\n",
			ev->signal);
		break;
	default:
		break;
	}
}

static void on_event(const xb_run_event *ev, void *ctx)
{
	struct view *v = ctx;

	pthread_mutex_lock(&v->mu);
	on_event_locked(ev, v);
	pthread_mutex_unlock(&v->mu);
}

/* The plans made while the run goes on (build_session_more), what they
 * say printed between the run's own lines. */
struct feeding {
	struct build_session *s;
	struct view *v;
};

static xb_code feed_ready(void *ctx, size_t *made, xb_err *err)
{
	struct feeding *f = ctx;

	pthread_mutex_lock(&f->v->mu);
	clear_status(f->v);
	f->s->plan_status = build_session_more(f->s, made);
	pthread_mutex_unlock(&f->v->mu);
	if (f->s->plan_status)
		return xb_fail(err, XB_ERR_USAGE, "a target could not be "
			       "planned");
	return XB_OK;
}

int build_run(struct build_session *s, const struct run_opts *o,
	      xb_run_target **out)
{
	struct view v;
	struct feeding f = { s, &v };
	xb_run_feed feed = { build_session_fd(s), feed_ready, &f };
	bool streaming = s->answers != NULL;
	pthread_t ticking;
	xb_run_opts ro;
	xb_run_result res;
	xb_err err = XB_ERR_INIT;
	xb_code rc;

	memset(&v, 0, sizeof(v));
	v.o = o;
	v.start_ns = now_ns();
	pthread_mutex_init(&v.mu, NULL);
	if (o->status_line)
		start_ticker(&v, &ticking);

	memset(&ro, 0, sizeof(ro));
	ro.jobs = o->jobs;
	ro.keep_going = o->keep_going;
	ro.smoke = o->smoke;
	ro.logdir = o->logdir;
	ro.makeflags = getenv("MAKEFLAGS");
	ro.hostos = s->go.hostos;
	ro.hostarch = s->go.hostarch;
	ro.go_version = s->go.version;
	ro.goroot = s->go.goroot;
	ro.record = o->record;
	ro.force = o->force;
	ro.on_event = on_event;
	ro.ctx = &v;
	/* plans still to come are made as the first builds run; else the
	 * plans are what the caller kept (a release's shard) */
	ro.feed = streaming ? &feed : NULL;
	rc = xb_run_plans(s->plans, streaming ? s->ntotal : s->nplans, &ro,
			  out, &res, &err);
	if (o->status_line)
		stop_ticker(&v, ticking);
	pthread_mutex_destroy(&v.mu);
	clear_status(&v);
	if (rc == XB_ERR_INTERRUPTED) {
		build_session_end(s);
		return 128 + res.signal;
	}
	if (s->plan_status) { /* said as it happened */
		build_session_end(s);
		return s->plan_status;
	}
	/* a run that stopped early still lists every target */
	if (streaming && (s->plan_status = build_session_finish(s)))
		return s->plan_status;
	if (rc)
		return cmd_report(&err);
	return res.failed ? EXIT_FAIL : res.broken ? EXIT_EXPECT : EXIT_OK;
}

void build_run_free(xb_run_target *t, size_t n)
{
	xb_run_targets_free(t, n);
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

/* The width of the BUILD column: 0 when no plan names a build. */
static int build_width(const xb_run_target *t, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (t[i].plan->build_id && strlen(t[i].plan->build_id) > w)
			w = strlen(t[i].plan->build_id);
	return w ? (int)(w < 5 ? 5 : w > 24 ? 24 : w) : 0;
}

void build_summary(FILE *f, const xb_run_target *t, size_t n)
{
	int bw = build_width(t, n);

	if (bw)
		fprintf(f, "%-*s ", bw, "BUILD");
	fprintf(f, "%-18s %-11s %7s  %-12s %6s  %s\n", "TARGET", "LINKAGE",
		"SIZE", "SHA256", "TIME", "VERDICT");
	for (size_t i = 0; i < n; i++) {
		char size[16] = "-", secs[16] = "-";

		if (t[i].size)
			human_size(size, sizeof(size), t[i].size);
		if (t[i].job.start_ns)
			snprintf(secs, sizeof(secs), "%.1fs",
				 xb_job_seconds(&t[i].job));
		if (bw)
			fprintf(f, "%-*.*s ", bw, bw, t[i].plan->build_id ?
				t[i].plan->build_id : "-");
		fprintf(f, "%-18s %-11s %7s  %-12.12s %6s  ",
			t[i].plan->target,
			t[i].facts.linkage ? t[i].facts.linkage : "-", size,
			t[i].sha256[0] ? t[i].sha256 : "-", secs);
		cmd_put_status(f, t[i].verdict);
		fputc('\n', f);
	}
	/* then what went wrong, target by target */
	for (size_t i = 0; i < n; i++) {
		const xb_run_target *x = &t[i];

		if (!strcmp(x->verdict, "up to date"))
			continue; /* not built: nothing to say */
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
			for (size_t k = 0; k < x->violations.n; k++) {
				put_label(stderr, x->plan);
				fprintf(stderr, "%s: %s\n", x->plan->output,
					x->violations.v[k]);
			}
			if (!x->violations.n) {
				put_label(stderr, x->plan);
				fprintf(stderr, "%s\n", xb_errmsg(&x->job.err));
			}
			continue;
		}
		put_label(stderr, x->plan);
		fprintf(stderr, "%s\n", xb_errmsg(&x->job.err));
		for (size_t k = 0; k < x->diagnoses.n; k++) {
			put_label(stderr, x->plan);
			fprintf(stderr, "%s\n", x->diagnoses.v[k]);
		}
		if (x->job.tail.len) {
			put_label(stderr, x->plan);
			fprintf(stderr, "last lines of its log%s%s:\n",
				x->log ? " " : "", x->log ? x->log : "");
			fprintf(stderr, "%s", xb_buf_str(&x->job.tail));
		}
	}
}

void build_summary_json(xb_json *j, const xb_run_target *t, size_t n)
{
	xb_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		const xb_run_target *x = &t[i];

		xb_json_obj_begin(j);
		xb_json_kstr(j, "target", x->plan->target);
		xb_json_kstr(j, "build", x->plan->build_id);
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
