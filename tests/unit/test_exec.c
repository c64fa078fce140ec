/* test_exec.c: the executor (parallel jobs, tails and logs, hooks,
 * signals) and make's jobserver client.  Children are `sh -c` scripts that
 * write timestamps, so overlap is measured by the children themselves. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "exec-jobs.h"

/* Appends "S <ns>" when it starts and "E <ns>" when it ends to $1. */
#define TIMED(secs)                                                       \
	"echo \"S $(date +%s%N)\" >> \"$1\"; sleep " secs                 \
	"; echo \"E $(date +%s%N)\" >> \"$1\""

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/xbuild-exec-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *argv[] = { "rm", "-rf", dir, NULL };
	int code;

	(void)state;
	return xb_run(argv, NULL, NULL, NULL, &code, NULL) == XB_OK && code == 0
		       ? 0 : -1;
}

static const char *path(const char *name)
{
	static char p[4][PATH_MAX];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/*
 * The most intervals open at once in a file of "S t" / "E t" lines.  Ends
 * are encoded as 2t and starts as 2t+1, so an end sorts before a start at
 * the same instant.
 */
static int max_overlap(const char *file)
{
	long long ev[256];
	size_t n = 0;
	char kind;
	long long t;
	int cur = 0, max = 0;
	FILE *f = fopen(file, "r");

	assert_non_null(f);
	while (n < 256 && fscanf(f, " %c %lld", &kind, &t) == 2)
		ev[n++] = kind == 'S' ? 2 * t + 1 : 2 * t;
	fclose(f);
	qsort(ev, n, sizeof(ev[0]), cmp_ll);
	for (size_t i = 0; i < n; i++) {
		cur += ev[i] & 1 ? 1 : -1;
		if (cur > max)
			max = cur;
	}
	return max;
}

static void parallelism_is_bounded(void **state)
{
	const char *log2 = path("t2"), *log1 = path("t1");
	const char *two[] = { "sh", "-c", TIMED("0.2"), "sh", log2, NULL };
	const char *one[] = { "sh", "-c", TIMED("0.1"), "sh", log1, NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_job jobs[5];

	(void)state;
	set_jobs(jobs, 5, two);
	o.jobs = 2;
	assert_int_equal(xb_exec_run(jobs, 5, &o, &res, &err), XB_OK);
	assert_int_equal(res.ok, 5);
	assert_int_equal(res.limit, 2);
	assert_int_equal(res.max_running, 2);
	assert_int_equal(max_overlap(log2), 2);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(jobs[i].state, XB_JOB_OK);
		assert_true(xb_job_seconds(&jobs[i]) >= 0.2);
	}
	release_jobs(jobs, 5);

	set_jobs(jobs, 3, one);
	o.jobs = 1;
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_OK);
	assert_int_equal(res.max_running, 1);
	assert_int_equal(max_overlap(log1), 1);
	release_jobs(jobs, 3);

	/* the default is the CPU count, never more than there are jobs */
	set_jobs(jobs, 1, one);
	assert_int_equal(xb_exec_run(jobs, 1, NULL, &res, &err), XB_OK);
	assert_int_equal(res.limit, 1);
	assert_true(xb_cpu_count() >= 1);
	release_jobs(jobs, 1);
}

static void first_failure_stops_unless_keep_going(void **state)
{
	const char *f[] = { "false", NULL }, *t[] = { "true", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_job jobs[4];

	(void)state;
	set_jobs(jobs, 4, t);
	jobs[0].argv = f;
	jobs[2].argv = f;
	jobs[0].name = "linux/arm64";
	o.jobs = 1;
	assert_int_equal(xb_exec_run(jobs, 4, &o, &res, &err), XB_ERR_CHILD);
	assert_string_equal(err.msg, "linux/arm64: 'false' exited with status 1");
	assert_int_equal(jobs[0].state, XB_JOB_FAILED);
	for (int i = 1; i < 4; i++) {
		assert_int_equal(jobs[i].state, XB_JOB_SKIPPED);
		assert_int_equal(jobs[i].pid, 0);
	}
	assert_int_equal(res.failed, 1);
	assert_int_equal(res.skipped, 3);

	o.keep_going = true;
	assert_int_equal(xb_exec_run(jobs, 4, &o, &res, &err), XB_ERR_CHILD);
	assert_int_equal(jobs[1].state, XB_JOB_OK);
	assert_int_equal(jobs[2].state, XB_JOB_FAILED);
	assert_int_equal(jobs[3].state, XB_JOB_OK);
	assert_int_equal(res.ok, 2);
	assert_int_equal(res.failed, 2);
	assert_non_null(strstr(err.msg, "(and 1 more failed)"));
	release_jobs(jobs, 4);
}

static void exit_codes_and_signals_are_recorded(void **state)
{
	const char *seven[] = { "sh", "-c", "exit 7", NULL };
	const char *killed[] = { "sh", "-c", "kill -KILL $$", NULL };
	const char *ok[] = { "true", NULL };
	const char *missing[] = { "xbuild-no-such-program", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_job jobs[4];

	(void)state;
	set_jobs(jobs, 4, ok);
	jobs[0].argv = seven;
	jobs[1].argv = killed;
	jobs[3].argv = missing;
	o.keep_going = true;
	assert_int_equal(xb_exec_run(jobs, 4, &o, &res, &err), XB_ERR_CHILD);
	assert_int_equal(jobs[0].exit_code, 7);
	assert_int_equal(jobs[0].signal, 0);
	assert_int_equal(jobs[0].err.code, XB_ERR_CHILD);
	assert_int_equal(jobs[1].exit_code, 128 + SIGKILL);
	assert_int_equal(jobs[1].signal, SIGKILL);
	assert_string_equal(jobs[1].err.msg,
			    "'sh' was killed by SIGKILL (signal 9)");
	assert_int_equal(jobs[2].state, XB_JOB_OK);
	assert_int_equal(jobs[2].exit_code, 0);
	assert_int_equal(jobs[2].err.code, XB_OK);
	assert_int_equal(jobs[3].state, XB_JOB_FAILED);
	assert_int_equal(jobs[3].err.code, XB_ERR_NOTFOUND);
	assert_int_equal(jobs[3].exit_code, -1);
	assert_int_equal(jobs[3].pid, 0);
	assert_int_equal(res.failed, 3);
	release_jobs(jobs, 4);
}

static void tails_are_bounded_and_logs_complete(void **state)
{
	const char *seq[] = { "seq", "1", "1000", NULL };
	const char *wide[] = { "sh", "-c",
			       "head -c 100000 /dev/zero | tr '\\0' x", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_err err = XB_ERR_INIT;
	xb_buf log = XB_BUF_INIT;
	xb_job jobs[2];
	const char *t;

	(void)state;
	set_jobs(jobs, 2, seq);
	jobs[0].log_path = path("seq.log");
	jobs[1].argv = wide;
	jobs[1].log_path = path("wide.log");
	assert_int_equal(xb_exec_run(jobs, 2, &o, NULL, &err), XB_OK);

	assert_int_equal(jobs[0].lines, 1000);
	assert_int_equal(jobs[0].tail_count, XB_EXEC_TAIL_LINES);
	t = xb_buf_str(&jobs[0].tail);
	assert_int_equal(strncmp(t, "961\n962\n", 8), 0);
	assert_string_equal(t + strlen(t) - 9, "999\n1000\n");
	assert_int_equal(xb_buf_read_file(&log, jobs[0].log_path, &err), XB_OK);
	assert_int_equal(log.len, 3893); /* what `seq 1 1000 | wc -c` says */
	assert_string_equal(log.data + log.len - 9, "999\n1000\n");
	xb_buf_release(&log);

	/* a 100000-byte line without a newline: split into lines of
	 * XB_EXEC_LINE_MAX, each cut in the tail; the log has it all */
	assert_int_equal(jobs[1].lines, (100000 + XB_EXEC_LINE_MAX - 1) /
					       XB_EXEC_LINE_MAX);
	assert_true(jobs[1].tail.len <=
		    jobs[1].tail_count * (XB_EXEC_TAIL_LINE_MAX + 4));
	t = xb_buf_str(&jobs[1].tail);
	assert_int_equal(strcspn(t, "."), XB_EXEC_TAIL_LINE_MAX);
	assert_int_equal(strncmp(t + XB_EXEC_TAIL_LINE_MAX, "...\n", 4), 0);
	assert_int_equal(xb_buf_read_file(&log, jobs[1].log_path, &err), XB_OK);
	assert_int_equal(log.len, 100000);
	xb_buf_release(&log);

	/* fewer tail lines on request */
	o.tail_lines = 3;
	assert_int_equal(xb_exec_run(jobs, 1, &o, NULL, &err), XB_OK);
	assert_string_equal(xb_buf_str(&jobs[0].tail), "998\n999\n1000\n");

	/* a log that cannot be created fails the job without running it */
	jobs[0].log_path = path("no/such/dir/x.log");
	assert_int_equal(xb_exec_run(jobs, 1, &o, NULL, &err), XB_ERR_IO);
	assert_int_equal(jobs[0].state, XB_JOB_FAILED);
	assert_int_equal(jobs[0].pid, 0);
	assert_non_null(strstr(err.msg, "cannot create log"));
	release_jobs(jobs, 2);
}

struct hook_ctx {
	int calls;
	size_t started, outputs, finished, last_finished, total;
	char line[256];
};

static xb_code hook(xb_job *job, void *ctx, xb_err *err)
{
	struct hook_ctx *h = ctx;

	h->calls++;
	assert_int_equal(job->exit_code, 0);
	if (job->user)
		return xb_fail(err, XB_ERR_EXPECT,
			       "expected static, got dynamic: interpreter %s",
			       (const char *)job->user);
	return XB_OK;
}

static void on_event(const xb_exec_event *ev, void *ctx)
{
	struct hook_ctx *h = ctx;

	switch (ev->kind) {
	case XB_EXEC_STARTED:
		h->started++;
		assert_true(ev->job->pid > 0);
		assert_int_equal(ev->job->state, XB_JOB_RUNNING);
		break;
	case XB_EXEC_OUTPUT:
		h->outputs++;
		assert_int_equal(strlen(ev->line), ev->len);
		snprintf(h->line, sizeof(h->line), "%s", ev->line);
		break;
	case XB_EXEC_FINISHED:
		h->finished++;
		h->last_finished = ev->finished;
		h->total = ev->total;
		break;
	case XB_EXEC_STOPPING:
		fail();
	}
}

static void hook_failure_fails_the_job(void **state)
{
	static char interp[] = "/lib/ld-linux-aarch64.so.1";
	const char *ok[] = { "true", NULL }, *f[] = { "false", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct hook_ctx h = { 0 };
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_job jobs[3];

	(void)state;
	set_jobs(jobs, 3, ok);
	jobs[1].user = interp;
	jobs[2].argv = f;
	o.keep_going = true;
	o.jobs = 1;
	o.on_success = hook;
	o.on_event = on_event;
	o.ctx = &h;
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_ERR_EXPECT);
	assert_int_equal(h.calls, 2); /* not for the job that failed itself */
	assert_int_equal(jobs[0].state, XB_JOB_OK);
	assert_int_equal(jobs[1].state, XB_JOB_FAILED);
	assert_int_equal(jobs[1].exit_code, 0);
	assert_int_equal(jobs[1].err.code, XB_ERR_EXPECT);
	assert_string_equal(jobs[1].err.msg, "expected static, got dynamic: "
					     "interpreter /lib/ld-linux-aarch64.so.1");
	assert_string_equal(err.msg, "true: expected static, got dynamic: "
				     "interpreter /lib/ld-linux-aarch64.so.1 "
				     "(and 1 more failed)");
	assert_int_equal(res.ok, 1);
	assert_int_equal(res.failed, 2);
	assert_int_equal(h.started, 3);
	assert_int_equal(h.finished, 3);
	assert_int_equal(h.last_finished, 3);
	assert_int_equal(h.total, 3);
	release_jobs(jobs, 3);
}

static void env_and_cwd_are_honoured(void **state)
{
	const char *argv[] = { "sh", "-c",
			       "printf '%s %s\\r\\n' \"$FOO\" \"$(pwd)\"; "
			       "printf 'no newline'", NULL };
	const char *envp[] = { "FOO=bar", "PATH=/usr/bin:/bin", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct hook_ctx h = { 0 };
	xb_err err = XB_ERR_INIT;
	char want[PATH_MAX + 16], real[PATH_MAX];
	xb_job job;

	(void)state;
	assert_non_null(realpath(dir, real));
	set_jobs(&job, 1, argv);
	job.envp = envp;
	job.cwd = dir;
	o.on_event = on_event;
	o.ctx = &h;
	assert_int_equal(xb_exec_run(&job, 1, &o, NULL, &err), XB_OK);
	snprintf(want, sizeof(want), "bar %s\nno newline\n", real);
	assert_string_equal(xb_buf_str(&job.tail), want); /* \r dropped */
	assert_int_equal(h.outputs, 2);
	assert_string_equal(h.line, "no newline");

	/* a cwd that does not exist: the job fails, nothing runs */
	job.cwd = path("missing");
	assert_int_equal(xb_exec_run(&job, 1, &o, NULL, &err), XB_ERR_SPAWN);
	assert_int_equal(job.state, XB_JOB_FAILED);
	release_jobs(&job, 1);
}

/* A job's watch_fd is polled while it runs: on_watch is called while the
 * job still runs (state: the job's then), not again once it gives the
 * descriptor up. */
struct watch_ctx { int calls; xb_job_state state; char got[16]; };

static void on_watch(xb_job *job, void *ctx)
{
	struct watch_ctx *w = ctx;
	ssize_t n;

	if (!w->calls++)
		w->state = job->state;
	n = read(job->watch_fd, w->got, sizeof(w->got) - 1);
	w->got[n > 0 ? n : 0] = '\0';
	job->watch_fd = -1;
}

static void watched_descriptor_is_polled(void **state)
{
	/* writes the pipe's other end (fd 9 of the child), then waits:
	 * on_watch must come before the job ends */
	const char *argv[] = { "sh", "-c", "echo ready >&9; exec 9>&-; "
			       "sleep 0.3; echo done", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct watch_ctx w = { 0, XB_JOB_PENDING, "" };
	xb_err err = XB_ERR_INIT;
	xb_job job;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	/* the write end as the child's fd 9 (inherited: no CLOEXEC) */
	assert_true(p[0] != 9 && p[1] != 9 && fcntl(9, F_GETFD) < 0);
	assert_int_equal(dup2(p[1], 9), 9);
	set_jobs(&job, 1, argv);
	job.watch_fd = p[0];
	o.on_watch = on_watch;
	o.ctx = &w;
	assert_int_equal(xb_exec_run(&job, 1, &o, NULL, &err), XB_OK);
	close(9);
	close(p[1]);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.state, XB_JOB_RUNNING);
	assert_string_equal(w.got, "ready\n");
	assert_string_equal(xb_buf_str(&job.tail), "done\n");
	close(p[0]);
	release_jobs(&job, 1);
}

/* ---- signals -------------------------------------------------------- */

struct sig_ctx {
	int raise_on_start; /* raise this when want jobs are ready */
	int raise_on_stop;  /* raise this again when stopping */
	size_t started, ready, want;
	int cleaned;
	pid_t pids[8];
};

static void sig_event(const xb_exec_event *ev, void *ctx)
{
	struct sig_ctx *s = ctx;

	if (ev->kind == XB_EXEC_STARTED) {
		s->pids[s->started++] = ev->job->pid;
	} else if (ev->kind == XB_EXEC_OUTPUT && strcmp(ev->line, "ready") == 0) {
		/* each child says when its traps are set */
		if (++s->ready == s->want && s->raise_on_start)
			raise(s->raise_on_start);
	} else if (ev->kind == XB_EXEC_STOPPING && s->raise_on_stop) {
		raise(s->raise_on_stop);
		s->raise_on_stop = 0;
	}
}

static void sig_cleanup(int sig, void *ctx)
{
	struct sig_ctx *s = ctx;

	s->cleaned = sig;
}

/* Whether a process of group pgid still runs (a zombie waiting for init
 * to reap it does not), by /proc/PID/stat: "pid (comm) state ppid pgrp". */
static bool group_running_now(pid_t pgid)
{
	bool found = false;
	struct dirent *d;
	DIR *proc = opendir("/proc");

	assert_non_null(proc);
	while (!found && (d = readdir(proc))) {
		char p[300], line[512], state;
		const char *rp;
		long ppid, pgrp;
		FILE *f;

		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/stat", d->d_name);
		if (!(f = fopen(p, "r")))
			continue;
		if (fgets(line, sizeof(line), f) && (rp = strrchr(line, ')')) &&
		    sscanf(rp + 1, " %c %ld %ld", &state, &ppid, &pgrp) == 3 &&
		    pgrp == pgid && state != 'Z')
			found = true;
		fclose(f);
	}
	closedir(proc);
	return found;
}

/* The same, giving a process that was sent SIGKILL a second to go. */
static bool group_alive(pid_t pgid)
{
	struct timespec ts = { 0, 10000000 };

	for (int i = 0; i < 100; i++) {
		if (!group_running_now(pgid))
			return false;
		nanosleep(&ts, NULL);
	}
	return true;
}

static void interrupt_stops_every_child(void **state)
{
	const char *plain[] = { "sh", "-c", "sleep 30 & echo ready; wait", NULL };
	const char *stubborn[] = { "sh", "-c",
				   "trap '' TERM; sleep 30 & echo ready; wait",
				   NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct sig_ctx s = { 0 };
	struct sigaction old, dfl, now;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_job jobs[3];
	int64_t t0;

	(void)state;
	/* as a foreground program has it, whatever started the tests */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGINT, &dfl, &old);

	set_jobs(jobs, 3, plain);
	jobs[1].argv = stubborn;
	o.jobs = 2;
	o.grace_ms = 200;
	o.on_event = sig_event;
	o.on_interrupt = sig_cleanup;
	o.ctx = &s;
	s.want = 2;
	s.raise_on_start = SIGINT;
	t0 = unit_mono_ms();
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err),
			 XB_ERR_INTERRUPTED);
	assert_true(unit_mono_ms() - t0 < 5000);
	assert_string_equal(err.msg, "interrupted by SIGINT");
	assert_int_equal(res.signal, SIGINT);
	assert_int_equal(s.cleaned, SIGINT);
	assert_int_equal(res.stopped, 2);
	assert_int_equal(res.skipped, 1);
	assert_int_equal(jobs[0].state, XB_JOB_STOPPED);
	assert_int_equal(jobs[0].signal, SIGTERM);
	assert_int_equal(jobs[1].state, XB_JOB_STOPPED);
	assert_int_equal(jobs[1].signal, SIGKILL); /* after the grace */
	assert_int_equal(jobs[1].err.code, XB_ERR_INTERRUPTED);
	assert_int_equal(jobs[2].state, XB_JOB_SKIPPED);
	for (size_t i = 0; i < s.started; i++)
		assert_false(group_alive(s.pids[i]));

	/* the handlers are back as they were */
	sigaction(SIGINT, NULL, &now);
	assert_true(now.sa_handler == SIG_DFL);
	sigaction(SIGINT, &old, NULL);
	release_jobs(jobs, 3);
}

static void second_signal_kills_at_once(void **state)
{
	const char *stubborn[] = { "sh", "-c", "trap '' TERM; echo ready; sleep 30",
				   NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct sig_ctx s = { 0 };
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_job job;
	int64_t t0;

	(void)state;
	set_jobs(&job, 1, stubborn);
	o.grace_ms = 20000;
	o.on_event = sig_event;
	o.ctx = &s;
	s.want = 1;
	s.raise_on_start = SIGTERM;
	s.raise_on_stop = SIGTERM;
	t0 = unit_mono_ms();
	assert_int_equal(xb_exec_run(&job, 1, &o, &res, &err),
			 XB_ERR_INTERRUPTED);
	assert_true(unit_mono_ms() - t0 < 5000);
	assert_int_equal(res.signal, SIGTERM);
	assert_int_equal(job.signal, SIGKILL);
	assert_false(group_alive(s.pids[0]));
	release_jobs(&job, 1);
}

static void leftovers_of_a_finished_job_are_killed(void **state)
{
	const char *argv[] = { "sh", "-c", "sleep 30 & echo started", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct sig_ctx s = { 0 };
	xb_err err = XB_ERR_INIT;
	xb_job job;
	int64_t t0;

	(void)state;
	set_jobs(&job, 1, argv);
	o.on_event = sig_event;
	o.ctx = &s;
	t0 = unit_mono_ms();
	/* the background sleep holds the output pipe open: the run must not
	 * wait for its EOF, and must not leave it running */
	assert_int_equal(xb_exec_run(&job, 1, &o, NULL, &err), XB_OK);
	assert_true(unit_mono_ms() - t0 < 5000);
	assert_string_equal(xb_buf_str(&job.tail), "started\n");
	assert_false(group_alive(s.pids[0]));
	release_jobs(&job, 1);
}

static void ignored_signal_stays_ignored(void **state)
{
	const char *argv[] = { "sh", "-c", "echo ready; sleep 0.2", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct sig_ctx s = { 0 };
	struct sigaction ign, old;
	xb_err err = XB_ERR_INIT;
	xb_job job;

	(void)state;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &ign, &old);
	set_jobs(&job, 1, argv);
	o.on_event = sig_event;
	o.ctx = &s;
	s.want = 1;
	s.raise_on_start = SIGHUP; /* as under nohup */
	assert_int_equal(xb_exec_run(&job, 1, &o, NULL, &err), XB_OK);
	assert_int_equal(job.state, XB_JOB_OK);
	sigaction(SIGHUP, &old, NULL);
	release_jobs(&job, 1);
}

/* ---- the jobserver -------------------------------------------------- */

/* Tokens readable from fd now (read and written back). */
static int count_tokens(int fd)
{
	char buf[64];
	int fl = fcntl(fd, F_GETFL);
	ssize_t r;

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	r = read(fd, buf, sizeof(buf));
	fcntl(fd, F_SETFL, fl);
	if (r <= 0)
		return 0;
	return (int)r;
}

static void put_tokens(int fd, const char *t)
{
	assert_int_equal(write(fd, t, strlen(t)), (ssize_t)strlen(t));
}

static void jobserver_parses_makeflags(void **state)
{
	xb_jobserver js;
	xb_err err = XB_ERR_INIT;
	char flags[PATH_MAX + 64];
	int p[2], q[2], dn;

	(void)state;
	assert_int_equal(xb_jobserver_open(&js, NULL, &err), XB_OK);
	assert_false(js.active);
	assert_int_equal(js.make_jobs, 0);
	assert_int_equal(xb_jobserver_open(&js, "", &err), XB_OK);
	assert_int_equal(xb_jobserver_open(&js, "s -j1", &err), XB_OK);
	assert_int_equal(js.make_jobs, 1);
	assert_false(js.active);
	assert_int_equal(xb_jobserver_open(&js, "ks -j4 -j", &err), XB_OK);
	assert_int_equal(js.make_jobs, 0); /* make -j: no limit */
	/* variable definitions after "--" are not flags */
	assert_int_equal(xb_jobserver_open(&js, "-j3 -- X=--jobserver-auth=9,9",
					   &err), XB_OK);
	assert_int_equal(js.make_jobs, 3);
	assert_false(js.active);

	/* the parser alone: quoting, the last value wins */
	{
		xb_buf auth = XB_BUF_INIT;
		int j;

		xb_buf_init(&auth, 4096);
		assert_true(xb_makeflags_parse("s -j2 --jobserver-auth=5,6 "
					       "--jobserver-auth=fifo:/t/a\\ b",
					       &j, &auth));
		assert_int_equal(j, 2);
		assert_string_equal(xb_buf_str(&auth), "fifo:/t/a b");
		assert_false(xb_makeflags_parse("-j5", &j, &auth));
		assert_int_equal(auth.len, 0);
		xb_buf_release(&auth);
	}

	/* fds that are closed, not pipes, or two different pipes */
	assert_int_equal(xb_jobserver_open(&js, "-j2 --jobserver-auth=900,901",
					   &err), XB_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "fd 900 is closed"));
	assert_false(js.active);
	assert_int_equal(js.make_jobs, 1); /* as make does */
	dn = open("/dev/null", O_RDWR);
	assert_true(dn >= 0);
	snprintf(flags, sizeof(flags), "--jobserver-auth=%d,%d", dn, dn);
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "are not the two ends of one pipe"));
	close(dn);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(pipe(q), 0);
	snprintf(flags, sizeof(flags), "--jobserver-auth=%d,%d", p[0], q[1]);
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_ERR_UNSUPPORTED);
	snprintf(flags, sizeof(flags), "--jobserver-auth=%d,%d", p[1], p[0]);
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "wrong way round"));
	assert_int_equal(xb_jobserver_open(&js, "--jobserver-auth=-2,-2", &err),
			 XB_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "did not pass its jobserver"));
	assert_int_equal(xb_jobserver_open(&js, "--jobserver-auth=3", &err),
			 XB_ERR_FORMAT);

	/* the older spelling, and the last one wins */
	snprintf(flags, sizeof(flags),
		 "--jobserver-auth=900,901 --jobserver-fds=%d,%d", p[0], p[1]);
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_OK);
	assert_true(js.active);
	assert_int_not_equal(js.rfd, p[0]); /* a description of our own */
	xb_jobserver_release(&js);
	assert_int_equal(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0); /* untouched */

	/* fifo form: missing, not a fifo, a path with a quoted space */
	snprintf(flags, sizeof(flags), "--jobserver-auth=fifo:%s",
		 path("nofifo"));
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_ERR_NOTFOUND);
	dn = open(path("plain"), O_CREAT | O_WRONLY, 0644);
	close(dn);
	snprintf(flags, sizeof(flags), "--jobserver-auth=fifo:%s", path("plain"));
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "is not a fifo"));
	assert_int_equal(mkfifo(path("a b"), 0600), 0);
	snprintf(flags, sizeof(flags), "-j2 --jobserver-auth=fifo:%s/a\\ b", dir);
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_OK);
	assert_true(js.active);
	xb_jobserver_release(&js);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

static void jobserver_takes_and_puts_back(void **state)
{
	xb_jobserver js;
	xb_err err = XB_ERR_INIT;
	char flags[64], back[4] = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	put_tokens(p[1], "ab");
	snprintf(flags, sizeof(flags), "-j3 --jobserver-auth=%d,%d", p[0], p[1]);
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_OK);
	assert_int_equal(xb_jobserver_take(&js), 1);
	assert_int_equal(xb_jobserver_take(&js), 1);
	assert_int_equal(xb_jobserver_take(&js), 0); /* none left: no wait */
	assert_int_equal(js.held, 2);
	xb_jobserver_put(&js);
	assert_int_equal(js.held, 1);
	assert_int_equal(read(p[0], back, 1), 1);
	assert_string_equal(back, "b"); /* the very byte taken */
	xb_jobserver_release(&js); /* gives back "a" */
	assert_int_equal(read(p[0], back, 1), 1);
	assert_string_equal(back, "a");
	assert_int_equal(js.rfd, -1);
	assert_true(fcntl(p[0], F_GETFD) >= 0); /* make's fds stay open */
	xb_jobserver_put(&js); /* nothing held: nothing happens */
	close(p[0]);
	close(p[1]);
}

static void jobserver_bounds_the_total(void **state)
{
	const char *log = path("js");
	const char *argv[] = { "sh", "-c", TIMED("0.2"), "sh", log, NULL };
	const char *f[] = { "false", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_jobserver js;
	xb_job jobs[4];
	char flags[64];
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	snprintf(flags, sizeof(flags), "--jobserver-auth=%d,%d", p[0], p[1]);

	/* two tokens in the pipe: three at once, though -j asks for four */
	put_tokens(p[1], "+-");
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_OK);
	set_jobs(jobs, 4, argv);
	o.jobserver = &js;
	o.jobs = 4;
	assert_int_equal(xb_exec_run(jobs, 4, &o, &res, &err), XB_OK);
	assert_int_equal(res.max_running, 3);
	assert_true(max_overlap(log) <= 3);
	assert_int_equal(js.held, 0);
	xb_jobserver_release(&js);
	assert_int_equal(count_tokens(p[0]), 2); /* all given back */

	/* no token free: one at a time, on our implicit token */
	unlink(log);
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_OK);
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_OK);
	assert_int_equal(res.max_running, 1);
	assert_int_equal(max_overlap(log), 1);
	xb_jobserver_release(&js);

	/* a failure gives the tokens back as well */
	put_tokens(p[1], "++");
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_OK);
	release_jobs(jobs, 4);
	set_jobs(jobs, 3, f);
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err), XB_ERR_CHILD);
	assert_int_equal(js.held, 0);
	xb_jobserver_release(&js);
	assert_int_equal(count_tokens(p[0]), 2);
	release_jobs(jobs, 3);
	close(p[0]);
	close(p[1]);
}

static void jobserver_tokens_return_on_interrupt(void **state)
{
	const char *argv[] = { "sh", "-c", "echo ready; sleep 30", NULL };
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	struct sig_ctx s = { 0 };
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_jobserver js;
	xb_job jobs[3];
	char flags[PATH_MAX + 32];
	int fd;

	(void)state;
	assert_int_equal(mkfifo(path("fifo"), 0600), 0);
	fd = open(path("fifo"), O_RDWR);
	assert_true(fd >= 0);
	put_tokens(fd, "++");
	snprintf(flags, sizeof(flags), "-j3 --jobserver-auth=fifo:%s",
		 path("fifo"));
	assert_int_equal(xb_jobserver_open(&js, flags, &err), XB_OK);
	set_jobs(jobs, 3, argv);
	o.jobserver = &js;
	o.on_event = sig_event;
	o.ctx = &s;
	s.want = 3;
	s.raise_on_start = SIGTERM;
	assert_int_equal(xb_exec_run(jobs, 3, &o, &res, &err),
			 XB_ERR_INTERRUPTED);
	assert_int_equal(res.max_running, 3);
	assert_int_equal(res.stopped, 3);
	assert_int_equal(js.held, 0);
	xb_jobserver_release(&js);
	assert_int_equal(count_tokens(fd), 2);
	close(fd);
	release_jobs(jobs, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parallelism_is_bounded),
		cmocka_unit_test(first_failure_stops_unless_keep_going),
		cmocka_unit_test(exit_codes_and_signals_are_recorded),
		cmocka_unit_test(tails_are_bounded_and_logs_complete),
		cmocka_unit_test(hook_failure_fails_the_job),
		cmocka_unit_test(env_and_cwd_are_honoured),
		cmocka_unit_test(watched_descriptor_is_polled),
		cmocka_unit_test(interrupt_stops_every_child),
		cmocka_unit_test(second_signal_kills_at_once),
		cmocka_unit_test(leftovers_of_a_finished_job_are_killed),
		cmocka_unit_test(ignored_signal_stays_ignored),
		cmocka_unit_test(jobserver_parses_makeflags),
		cmocka_unit_test(jobserver_takes_and_puts_back),
		cmocka_unit_test(jobserver_bounds_the_total),
		cmocka_unit_test(jobserver_tokens_return_on_interrupt),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
