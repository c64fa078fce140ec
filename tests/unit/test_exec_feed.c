/* test_exec_feed.c: the executor taking jobs while it runs (admit and
 * feed_fd), as the run engine does for plans still being made.  The
 * feed is a pipe the test writes to from the executor's own events. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "exec-jobs.h"

/* What admit hands out: steps[k] jobs ready (and whether that is all)
 * once k bytes were written to the feed; fail_at: the step at which it
 * fails instead. */
struct feed {
	int pipe[2];
	size_t step, nsteps;
	size_t ready[4];
	bool all[4];
	size_t fail_at;      /* SIZE_MAX: never */
	size_t calls;
	size_t write_on_start; /* a byte when this job starts */
	size_t started[8];   /* job index by order of start */
	size_t nstarted;
	size_t ready_at_start[8]; /* what admit had said when each started */
};

static xb_code feed_admit(void *ctx, size_t *ready, bool *all, xb_err *err)
{
	struct feed *f = ctx;
	char b[16];

	f->calls++;
	while (read(f->pipe[0], b, sizeof(b)) > 0)
		f->step++;
	if (f->step >= f->nsteps)
		f->step = f->nsteps - 1;
	if (f->step == f->fail_at)
		return xb_fail(err, XB_ERR_USAGE, "a and b would both write 'x'");
	*ready = f->ready[f->step];
	*all = f->all[f->step];
	return XB_OK;
}

static void feed_event(const xb_exec_event *ev, void *ctx)
{
	struct feed *f = ctx;

	if (ev->kind != XB_EXEC_STARTED || f->nstarted >= 8)
		return;
	f->ready_at_start[f->nstarted] = f->ready[f->step];
	f->started[f->nstarted++] = ev->index;
	if (ev->index == f->write_on_start)
		assert_int_equal(write(f->pipe[1], "", 1), 1);
}

static void feed_init(struct feed *f, xb_exec_opts *o)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(pipe2(f->pipe, O_NONBLOCK | O_CLOEXEC), 0);
	f->fail_at = SIZE_MAX;
	f->write_on_start = SIZE_MAX;
	o->admit = feed_admit;
	o->feed_fd = f->pipe[0];
	o->on_event = feed_event;
	o->ctx = f;
}

static void feed_release(struct feed *f)
{
	close(f->pipe[0]);
	close(f->pipe[1]);
}

/* Jobs start only once admitted, and in order; the run ends when admit
 * says all came. */
static void jobs_start_as_admitted(void **state)
{
	const char *quick[] = { "true", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	struct feed f;
	xb_job jobs[3];

	(void)state;
	set_jobs(jobs, 3, quick);
	o.jobs = 3;
	feed_init(&f, &o);
	/* one job, then (once it started) all three */
	f.nsteps = 2;
	f.ready[0] = 1;
	f.ready[1] = 3;
	f.all[1] = true;
	f.write_on_start = 0;
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_OK);
	assert_int_equal(res.ok, 3);
	assert_int_equal(f.nstarted, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(f.started[i], i);
	/* the first started while only it was admitted, with room for 3 */
	assert_int_equal(f.ready_at_start[0], 1);
	assert_int_equal(f.ready_at_start[1], 3);
	assert_true(f.calls >= 2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(jobs[i].state, XB_JOB_OK);
	release_jobs(jobs, 3);
	feed_release(&f);
}

/* Fewer jobs than there is room for: those never admitted are not
 * touched (no command: the executor would refuse them). */
static void all_with_fewer_jobs(void **state)
{
	const char *quick[] = { "true", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	struct feed f;
	xb_job jobs[3];

	(void)state;
	set_jobs(jobs, 3, NULL);
	jobs[0].argv = quick;
	feed_init(&f, &o);
	f.nsteps = 1;
	f.ready[0] = 1;
	f.all[0] = true;
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_OK);
	assert_int_equal(res.ok, 1);
	assert_int_equal(res.skipped, 0);
	assert_int_equal(jobs[0].state, XB_JOB_OK);
	assert_int_equal(jobs[1].state, XB_JOB_PENDING);
	assert_int_equal(jobs[2].state, XB_JOB_PENDING);
	/* nothing at all */
	f.ready[0] = 0;
	xb_job_release(&jobs[0]);
	xb_job_init(&jobs[0]);
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_OK);
	assert_int_equal(res.ok, 0);
	assert_int_equal(jobs[0].state, XB_JOB_PENDING);
	release_jobs(jobs, 3);
	feed_release(&f);
}

/* A failing admit stops the jobs running (as a signal would, within the
 * grace) and is the run's result; nothing more starts. */
static void failing_admit_stops_the_run(void **state)
{
	const char *slow[] = { "sleep", "30", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	int64_t t0;
	struct feed f;
	xb_job jobs[3];

	(void)state;
	set_jobs(jobs, 3, slow);
	o.jobs = 3;
	o.grace_ms = 300;
	feed_init(&f, &o);
	f.nsteps = 2;
	f.ready[0] = 1;
	f.fail_at = 1;
	f.write_on_start = 0;
	t0 = unit_mono_ms();
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_ERR_USAGE);
	assert_true(unit_mono_ms() - t0 < 10000);
	assert_string_equal(err.msg, "a and b would both write 'x'");
	assert_int_equal(res.stopped, 1);
	assert_int_equal(res.signal, 0);
	assert_int_equal(jobs[0].state, XB_JOB_STOPPED);
	assert_non_null(strstr(jobs[0].err.msg, "both write"));
	assert_int_equal(jobs[1].state, XB_JOB_PENDING);
	/* failing at the start: nothing runs */
	release_jobs(jobs, 3);
	set_jobs(jobs, 3, slow);
	f.step = 0;
	f.fail_at = 0;
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_ERR_USAGE);
	assert_int_equal(res.ok + res.failed + res.stopped, 0);
	assert_int_equal(jobs[0].state, XB_JOB_PENDING);
	release_jobs(jobs, 3);
	feed_release(&f);
}

/* An admit that says more jobs than there is room for, or a job
 * without a command, is refused as a failure. */
static void bad_admits_are_refused(void **state)
{
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	struct feed f;
	xb_job jobs[2];

	(void)state;
	set_jobs(jobs, 2, NULL);
	feed_init(&f, &o);
	f.nsteps = 1;
	f.ready[0] = 3;
	f.all[0] = true;
	assert_int_equal(xb_exec_run(jobs, 2, &o, &res, &err), XB_ERR_USAGE);
	assert_non_null(strstr(err.msg, "room for 2"));
	f.ready[0] = 1;
	assert_int_equal(xb_exec_run(jobs, 2, &o, &res, &err), XB_ERR_USAGE);
	assert_non_null(strstr(err.msg, "no command"));
	release_jobs(jobs, 2);
	feed_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jobs_start_as_admitted),
		cmocka_unit_test(all_with_fewer_jobs),
		cmocka_unit_test(failing_admit_stops_the_run),
		cmocka_unit_test(bad_admits_are_refused),
	};

	return RUN(tests);
}
