/* buildrun.c: what `xbuild build` and `xbuild release` show of a run of
 * the build engine (lib/run.c): progress lines or a status line redrawn
 * on a terminal, the closing table and each failure's details. */
#include <stdlib.h>
#include <string.h>

#include "buildrun.h"

/* The display of one run. */
struct view {
	const struct run_opts *o;
	bool drawn;       /* a status line is on the terminal */
};

/* ---- progress ------------------------------------------------------------ */

static void clear_status(struct view *v)
{
	if (v->drawn) {
		fputs("\r\033[K", stderr);
		v->drawn = false;
	}
}

static void draw_status(struct view *v, const xb_run_event *ev)
{
	char line[512];
	size_t k = 0;

	k += (size_t)snprintf(line + k, sizeof(line) - k, "[%zu/%zu] building",
			      ev->finished, ev->total);
	for (size_t i = 0; i < ev->njobs && k < sizeof(line) - 32; i++)
		if (ev->jobs[i].state == XB_JOB_RUNNING)
			k += (size_t)snprintf(line + k, sizeof(line) - k, " %s",
					      ev->jobs[i].name);
	if (k >= sizeof(line) - 32)
		snprintf(line + sizeof(line) - 8, 8, " ...");
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	v->drawn = true;
}

static void on_event(const xb_run_event *ev, void *ctx)
{
	struct view *v = ctx;

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
		if (v->o->status_line)
			draw_status(v, ev);
		break;
	case XB_RUN_FINISHED:
		if (v->o->status_line)
			clear_status(v);
		fprintf(stderr, "xbuild: %s: %s in %.1fs\n",
			ev->target->plan->target,
			ev->job->state == XB_JOB_OK ? "built and verified" :
			"failed", xb_job_seconds(ev->job));
		if (v->o->status_line && ev->running)
			draw_status(v, ev);
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

int build_run(struct build_session *s, const struct run_opts *o,
	      xb_run_target **out)
{
	struct view v = { o, false };
	xb_run_opts ro;
	xb_run_result res;
	xb_err err = XB_ERR_INIT;
	xb_code rc;

	memset(&ro, 0, sizeof(ro));
	ro.jobs = o->jobs;
	ro.keep_going = o->keep_going;
	ro.smoke = o->smoke;
	ro.logdir = o->logdir;
	ro.makeflags = getenv("MAKEFLAGS");
	ro.hostos = s->go.hostos;
	ro.hostarch = s->go.hostarch;
	ro.on_event = on_event;
	ro.ctx = &v;
	rc = xb_run_plans(s->plans, s->nplans, &ro, out, &res, &err);
	clear_status(&v);
	if (rc == XB_ERR_INTERRUPTED)
		return 128 + res.signal;
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

void build_summary(FILE *f, const xb_run_target *t, size_t n)
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
		const xb_run_target *x = &t[i];

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

void build_summary_json(xb_json *j, const xb_run_target *t, size_t n)
{
	xb_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		const xb_run_target *x = &t[i];

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
