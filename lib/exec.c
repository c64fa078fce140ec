/* exec.c: runs many commands at once.  One poll loop watches a self-pipe
 * for signals, one output pipe per job and make's jobserver (jobserver.c),
 * and never blocks anywhere else, so a ^C is seen at once and every child
 * is stopped and reaped before the run returns.  Starting, killing and
 * reaping processes and catching signals live in spawn.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"

#define DEFAULT_GRACE_MS 2000

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGKILL: return "SIGKILL";
	case SIGSEGV: return "SIGSEGV";
	case SIGABRT: return "SIGABRT";
	case SIGPIPE: return "SIGPIPE";
	default: return "a signal";
	}
}

/* ---- jobs ------------------------------------------------------------- */

static void reset_results(xb_job *job)
{
	xb_buf_release(&job->tail);
	xb_buf_release(&job->line);
	job->state = XB_JOB_PENDING;
	job->pid = 0;
	job->exit_code = -1;
	job->signal = 0;
	job->start_ns = job->end_ns = 0;
	job->lines = 0;
	job->tail_count = 0;
	job->err.code = XB_OK;
	job->err.msg[0] = '\0';
	job->out_fd = job->log_fd = -1;
}

void xb_job_init(xb_job *job)
{
	memset(job, 0, sizeof(*job));
	job->watch_fd = -1;
	xb_buf_init(&job->tail, 0);
	xb_buf_init(&job->line, 0);
	reset_results(job);
}

void xb_job_release(xb_job *job)
{
	if (job->out_fd >= 0)
		close(job->out_fd);
	if (job->log_fd >= 0)
		close(job->log_fd);
	reset_results(job);
}

double xb_job_seconds(const xb_job *job)
{
	if (!job->start_ns || job->end_ns < job->start_ns)
		return 0;
	return (double)(job->end_ns - job->start_ns) / 1e9;
}

static const char *job_name(const xb_job *job)
{
	if (job->name)
		return job->name;
	return job->argv && job->argv[0] ? job->argv[0] : "job";
}

/* ---- the run ---------------------------------------------------------- */

struct run {
	xb_job *jobs;
	size_t n;
	const xb_exec_opts *o;
	xb_jobserver *js;   /* active jobserver, or NULL */
	int limit;
	size_t tail_lines;
	size_t next;        /* the next job to start */
	size_t avail;       /* jobs[0..avail) may start (o->admit) */
	bool fed;           /* no more will come: avail is final */
	bool feed_ready;    /* feed_fd was readable: admit may have more */
	xb_err why;         /* why admit stopped the run; code XB_OK: it
			     * did not */
	size_t running;
	size_t finished;
	bool stop;          /* start nothing more */
	bool want_token;    /* waiting for the jobserver */
	int sig;            /* the first stopping signal caught */
	bool killed;        /* SIGKILL sent to every running group */
	int64_t kill_at;
	size_t first_failed;
	xb_exec_result res;
};

static void emit(struct run *r, xb_exec_event_kind kind, size_t i,
		 const char *line, size_t len)
{
	xb_exec_event ev;

	if (!r->o->on_event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.job = kind == XB_EXEC_STOPPING ? NULL : &r->jobs[i];
	ev.index = i;
	ev.line = line;
	ev.len = len;
	ev.signal = r->sig;
	ev.running = r->running;
	ev.finished = r->finished;
	ev.total = r->fed ? r->avail : r->n;
	r->o->on_event(&ev, r->o->ctx);
}

/* Keep the last tail_lines lines, each cut to XB_EXEC_TAIL_LINE_MAX. */
static void tail_add(struct run *r, xb_job *job, const char *s, size_t len)
{
	xb_buf *t = &job->tail;
	bool cut = len > XB_EXEC_TAIL_LINE_MAX;

	if (job->tail_count >= r->tail_lines && t->len) {
		char *nl = memchr(t->data, '\n', t->len);
		size_t drop = nl ? (size_t)(nl - t->data) + 1 : t->len;

		memmove(t->data, t->data + drop, t->len - drop + 1);
		t->len -= drop;
		job->tail_count--;
	}
	if (cut)
		len = XB_EXEC_TAIL_LINE_MAX;
	if (xb_buf_add(t, s, len) || (cut && xb_buf_adds(t, "...")) ||
	    xb_buf_addc(t, '\n'))
		return; /* out of memory: the tail is only a courtesy */
	job->tail_count++;
}

static void deliver_line(struct run *r, size_t i)
{
	xb_job *job = &r->jobs[i];
	xb_buf *l = &job->line;
	size_t len = l->len;
	const char *s = xb_buf_str(l);

	if (len && s[len - 1] == '\r')
		len--;
	job->lines++;
	tail_add(r, job, s, len);
	if (l->data)
		l->data[len] = '\0';
	emit(r, XB_EXEC_OUTPUT, i, s, len);
	xb_buf_reset(l);
}

static void log_write(xb_job *job, const char *p, size_t len)
{
	while (job->log_fd >= 0 && len) {
		ssize_t w = write(job->log_fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (job->err.code == XB_OK)
				xb_fail(&job->err, XB_ERR_IO,
					"cannot write log '%s':", job->log_path);
			close(job->log_fd);
			job->log_fd = -1;
			return;
		}
		p += w;
		len -= (size_t)w;
	}
}

static void take_output(struct run *r, size_t i, const char *p, size_t len)
{
	xb_job *job = &r->jobs[i];

	log_write(job, p, len);
	while (len) {
		const char *nl = memchr(p, '\n', len);
		size_t take = nl ? (size_t)(nl - p) : len;
		size_t room = XB_EXEC_LINE_MAX - job->line.len;

		if (take > room)
			take = room;
		xb_buf_add(&job->line, p, take);
		p += take;
		len -= take;
		if (len && *p == '\n') {
			p++;
			len--;
			deliver_line(r, i);
		} else if (job->line.len >= XB_EXEC_LINE_MAX) {
			deliver_line(r, i); /* a very long line, in pieces */
		}
	}
}

/* Read what job i wrote, until none is left but at most max_reads
 * chunks, so that one chatty job cannot starve the loop. */
static void read_output(struct run *r, size_t i, int max_reads)
{
	xb_job *job = &r->jobs[i];
	char chunk[16384];

	for (int k = 0; job->out_fd >= 0 && k < max_reads; k++) {
		ssize_t got = read(job->out_fd, chunk, sizeof(chunk));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			return;
		if (got <= 0) {
			close(job->out_fd);
			job->out_fd = -1;
			return;
		}
		take_output(r, i, chunk, (size_t)got);
	}
}

static void count_failure(struct run *r, size_t i)
{
	r->res.failed++;
	if (r->first_failed == SIZE_MAX)
		r->first_failed = i;
	if (!r->o->keep_going)
		r->stop = true;
}

static void start_job(struct run *r, size_t i)
{
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_job *job = &r->jobs[i];
	int p[2];

	reset_results(job);
	xb_buf_init(&job->tail,
		    r->tail_lines * (XB_EXEC_TAIL_LINE_MAX + 4) + 1);
	xb_buf_init(&job->line, XB_EXEC_LINE_MAX);
	job->start_ns = now_ns();
	if (job->log_path) {
		job->log_fd = open(job->log_path,
				   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (job->log_fd < 0) {
			xb_fail(&job->err, XB_ERR_IO, "cannot create log '%s':",
				job->log_path);
			goto failed;
		}
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		xb_fail(&job->err, XB_ERR_IO, "pipe:");
		goto failed;
	}
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	so.envp = job->envp;
	so.cwd = job->cwd;
	so.stdout_fd = so.stderr_fd = p[1];
	so.new_pgrp = true;
	if (xb_spawn(job->argv, &so, &job->pid, &job->err)) {
		close(p[0]);
		close(p[1]);
		job->pid = 0;
		goto failed;
	}
	close(p[1]);
	job->out_fd = p[0];
	job->state = XB_JOB_RUNNING;
	r->running++;
	if ((int)r->running > r->res.max_running)
		r->res.max_running = (int)r->running;
	emit(r, XB_EXEC_STARTED, i, NULL, 0);
	return;
failed:
	if (job->log_fd >= 0) {
		/* the reason, where the log reader will look */
		log_write(job, job->err.msg, strlen(job->err.msg));
		log_write(job, "\n", 1);
		close(job->log_fd);
		job->log_fd = -1;
	}
	job->end_ns = now_ns();
	job->state = XB_JOB_FAILED;
	r->finished++;
	count_failure(r, i);
	emit(r, XB_EXEC_FINISHED, i, NULL, 0);
}

static void finish_job(struct run *r, size_t i, int status)
{
	xb_job *job = &r->jobs[i];
	const char *prog = job->argv[0];

	/* what is left in the pipe; bounded, for a writer that escaped the
	 * group may still hold it open */
	read_output(r, i, 64);
	if (job->line.len)
		deliver_line(r, i); /* the last line had no newline */
	if (job->out_fd >= 0)
		close(job->out_fd);
	job->out_fd = -1;
	if (job->log_fd >= 0 && close(job->log_fd) < 0 && job->err.code == XB_OK)
		xb_fail(&job->err, XB_ERR_IO, "cannot write log '%s':",
			job->log_path);
	job->log_fd = -1;
	job->end_ns = now_ns();
	job->exit_code = xb_exit_code(status);
	job->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	r->running--;

	if (r->sig || r->why.code) {
		/* even a job that just made it is not trusted to be whole:
		 * no on_success after an interrupt */
		job->state = XB_JOB_STOPPED;
		if (r->sig)
			xb_fail(&job->err, XB_ERR_INTERRUPTED, "stopped by %s",
				signame(r->sig));
		else
			xb_fail(&job->err, XB_ERR_INTERRUPTED, "stopped: %s",
				xb_errmsg(&r->why));
		r->res.stopped++;
	} else if (job->signal) {
		job->state = XB_JOB_FAILED;
		xb_fail(&job->err, XB_ERR_CHILD,
			"'%s' was killed by %s (signal %d)", prog,
			signame(job->signal), job->signal);
	} else if (job->exit_code != 0) {
		job->state = XB_JOB_FAILED;
		xb_fail(&job->err, XB_ERR_CHILD, "'%s' exited with status %d",
			prog, job->exit_code);
	} else if (job->err.code != XB_OK) {
		job->state = XB_JOB_FAILED; /* its log could not be written */
	} else if (r->o->on_success &&
		   r->o->on_success(job, r->o->ctx, &job->err) != XB_OK) {
		job->state = XB_JOB_FAILED;
		if (job->err.code == XB_OK) /* a hook that forgot to say */
			xb_fail(&job->err, XB_ERR_CHILD, "check after '%s' failed",
				prog);
	} else {
		job->state = XB_JOB_OK;
		job->err.code = XB_OK;
		job->err.msg[0] = '\0';
		r->res.ok++;
	}
	if (job->state == XB_JOB_FAILED)
		count_failure(r, i);
	r->finished++;
	emit(r, XB_EXEC_FINISHED, i, NULL, 0);
}

static void reap_all(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		int status = 0, got;

		if (r->jobs[i].state != XB_JOB_RUNNING)
			continue;
		got = xb_reap_group(r->jobs[i].pid, &status);
		if (got == 0)
			continue;
		if (got < 0) /* not ours to wait for any more (ECHILD) */
			status = 255 << 8;
		finish_job(r, i, status);
	}
}

static void signal_all(struct run *r, int sig)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->jobs[i].state != XB_JOB_RUNNING)
			continue;
		xb_kill_group(r->jobs[i].pid, sig);
		if (sig == SIGTERM) /* a stopped job must wake to die */
			xb_kill_group(r->jobs[i].pid, SIGCONT);
	}
}

static void on_stop_signal(struct run *r, int sig, int grace_ms)
{
	if (!r->sig) {
		r->sig = sig;
		r->stop = true;
		emit(r, XB_EXEC_STOPPING, 0, NULL, 0);
		signal_all(r, SIGTERM);
		r->kill_at = now_ns() + (int64_t)grace_ms * 1000000;
	} else if (!r->killed) {
		signal_all(r, SIGKILL); /* a second ^C: no more patience */
		r->killed = true;
	}
}

/* More jobs the caller has ready (o->admit): each checked as xb_exec_run
 * checks them all without it.  A failure stops the run as a signal
 * would, with the caller's reason. */
static void admit_more(struct run *r, int grace_ms)
{
	size_t avail = r->avail;
	bool all = false;
	xb_err err = XB_ERR_INIT;

	if (r->fed || r->stop || !r->feed_ready)
		return;
	r->feed_ready = false;
	if (r->o->admit(r->o->ctx, &avail, &all, &err) == XB_OK &&
	    avail > r->n)
		xb_fail(&err, XB_ERR_USAGE, "%zu jobs admitted, room for %zu",
			avail, r->n);
	for (size_t i = r->avail; !err.code && i < avail; i++) {
		reset_results(&r->jobs[i]);
		if (!r->jobs[i].argv || !r->jobs[i].argv[0])
			xb_fail(&err, XB_ERR_USAGE, "job %zu has no command", i);
	}
	if (err.code) {
		if (!err.msg[0])
			xb_fail(&err, err.code, "%s", xb_strerror(err.code));
		r->why = err;
		r->stop = r->fed = true;
		signal_all(r, SIGTERM);
		r->kill_at = now_ns() + (int64_t)grace_ms * 1000000;
		return;
	}
	if (avail > r->avail)
		r->avail = avail;
	r->fed = all;
}

/* Start jobs while the limit and the jobserver allow. */
static void start_more(struct run *r)
{
	r->want_token = false;
	while (!r->stop && r->next < r->avail && r->running < (size_t)r->limit) {
		if (r->js && r->running >= 1 + r->js->held) {
			int t = xb_jobserver_take(r->js);

			if (t == 0) {
				r->want_token = true;
				break;
			}
			if (t < 0) {
				/* broken: go on with the tokens we hold */
				r->limit = (int)(1 + r->js->held);
				break;
			}
		}
		start_job(r, r->next++);
	}
}

/* Hold no token that no running job needs. */
static void give_back(struct run *r)
{
	size_t need = r->running ? r->running - 1 : 0;

	while (r->js && r->js->held > need)
		xb_jobserver_put(r->js);
}

/* The last resort when the loop itself fails: no child may outlive us. */
static void kill_and_reap_all(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		xb_job *job = &r->jobs[i];
		int status = 0;

		if (job->state != XB_JOB_RUNNING)
			continue;
		xb_kill_group(job->pid, SIGKILL);
		xb_wait(job->pid, &status, NULL);
		finish_job(r, i, status);
	}
}

int xb_exec_limit(const xb_exec_opts *o, size_t n)
{
	const xb_jobserver *js = o->jobserver;
	long limit;

	if (o->jobs > 0)
		limit = o->jobs;
	else if (js && js->make_jobs > 0)
		limit = js->make_jobs;
	else if (js && js->active)
		return 0;
	else
		limit = xb_cpu_count();
	if ((size_t)limit > n)
		limit = (long)n;
	return limit < 1 ? 1 : (int)limit;
}

static int resolve_limit(const xb_exec_opts *o, size_t n)
{
	int limit = xb_exec_limit(o, n);

	/* the jobserver's tokens alone say how many */
	if (!limit)
		return n < INT_MAX ? (n ? (int)n : 1) : INT_MAX;
	return limit;
}

/* After a stop signal: the milliseconds until the jobs get SIGKILL
 * (sent when that time has come), or -1 to wait without a limit. */
static int kill_timeout(struct run *r)
{
	if ((r->sig || r->why.code) && !r->killed) {
		int64_t left = r->kill_at - now_ns();

		if (left <= 0) {
			signal_all(r, SIGKILL);
			r->killed = true;
		} else {
			return (int)(left / 1000000) + 1;
		}
	}
	return -1;
}

/* What to wait for: the signal pipe, the caller's feed_fd while more
 * jobs may come, make's jobserver when a token is wanted, then the output
 * of each running job (who[k]: its index), then the watch_fd of those
 * that have one (from *first_watch on).  Returns how many; *first_job is
 * where the jobs start. */
static nfds_t poll_set(const struct run *r, int sigfd, struct pollfd *pfd,
		       size_t *who, nfds_t *first_job, nfds_t *first_watch)
{
	nfds_t np = 0;

	pfd[np].fd = sigfd;
	pfd[np++].events = POLLIN;
	if (!r->fed && !r->stop) {
		pfd[np].fd = r->o->feed_fd;
		pfd[np++].events = POLLIN;
	}
	if (r->want_token && !r->stop) {
		pfd[np].fd = r->js->rfd;
		pfd[np++].events = POLLIN;
	}
	*first_job = np;
	for (size_t i = 0; i < r->n; i++) {
		if (r->jobs[i].state != XB_JOB_RUNNING || r->jobs[i].out_fd < 0)
			continue;
		who[np] = i;
		pfd[np].fd = r->jobs[i].out_fd;
		pfd[np++].events = POLLIN;
	}
	*first_watch = np;
	for (size_t i = 0; r->o->on_watch && i < r->n; i++) {
		if (r->jobs[i].state != XB_JOB_RUNNING || r->jobs[i].watch_fd < 0)
			continue;
		who[np] = i;
		pfd[np].fd = r->jobs[i].watch_fd;
		pfd[np++].events = POLLIN;
	}
	return np;
}

/* Start, read and reap jobs until none runs and none can start. */
static xb_code event_loop(struct run *r, xb_sigcatch *sc, struct pollfd *pfd,
			  size_t *who, int grace_ms, xb_err *err)
{
	for (;;) {
		nfds_t np, first_job, first_watch;
		int sig, timeout;
		bool feeding;

		sig = xb_sigcatch_read(sc);
		if (sig)
			on_stop_signal(r, sig, grace_ms);
		reap_all(r);
		admit_more(r, grace_ms);
		start_more(r);
		give_back(r);
		if (r->running == 0 && (r->stop || (r->fed && r->next >= r->avail)))
			return XB_OK;
		timeout = kill_timeout(r);
		feeding = !r->fed && !r->stop; /* then feed_fd is pfd[1] */
		np = poll_set(r, sc->fd, pfd, who, &first_job, &first_watch);
		if (poll(pfd, np, timeout) < 0) {
			xb_code rc;

			if (errno == EINTR)
				continue;
			rc = xb_fail(err, XB_ERR_IO, "poll:");
			kill_and_reap_all(r);
			return rc;
		}
		/* signals, tokens and the feed are looked at on the next
		 * round */
		if (feeding && pfd[1].revents)
			r->feed_ready = true;
		for (nfds_t k = first_job; k < first_watch; k++)
			if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
				read_output(r, who[k], 4);
		for (nfds_t k = first_watch; k < np; k++)
			if (pfd[k].revents)
				r->o->on_watch(&r->jobs[who[k]], r->o->ctx);
	}
}

/* The run's result: a stop signal, else the first failed job's error. */
static xb_code verdict(const struct run *r, xb_err *err)
{
	if (r->sig)
		return xb_fail(err, XB_ERR_INTERRUPTED, "interrupted by %s",
			       signame(r->sig));
	if (r->why.code) {
		if (err)
			*err = r->why;
		return r->why.code;
	}
	if (r->first_failed != SIZE_MAX) {
		const xb_job *f = &r->jobs[r->first_failed];

		xb_fail(err, f->err.code, "%s: %s", job_name(f),
			xb_errmsg(&f->err));
		if (r->res.failed > 1 && err) {
			size_t len = strlen(err->msg);

			snprintf(err->msg + len, sizeof(err->msg) - len,
				 " (and %zu more failed)", r->res.failed - 1);
		}
		return f->err.code;
	}
	return XB_OK;
}

xb_code xb_exec_run(xb_job *jobs, size_t n, const xb_exec_opts *o,
		    xb_exec_result *result, xb_err *err)
{
	static const xb_exec_opts defaults = XB_EXEC_OPTS_INIT;
	struct pollfd *pfd = NULL;
	size_t *who = NULL;
	xb_sigcatch sc;
	struct run r;
	xb_code rc = XB_OK;
	int grace_ms;

	if (!o)
		o = &defaults;
	memset(&r, 0, sizeof(r));
	r.jobs = jobs;
	r.n = n;
	r.o = o;
	r.js = o->jobserver && o->jobserver->active ? o->jobserver : NULL;
	r.limit = resolve_limit(o, n);
	r.tail_lines = o->tail_lines > 0 ? (size_t)o->tail_lines
					 : XB_EXEC_TAIL_LINES;
	r.first_failed = SIZE_MAX;
	r.res.limit = r.limit;
	r.avail = o->admit ? 0 : n;
	r.fed = !o->admit;
	r.feed_ready = true;
	grace_ms = o->grace_ms > 0 ? o->grace_ms : DEFAULT_GRACE_MS;
	for (size_t i = 0; i < r.avail; i++) {
		reset_results(&jobs[i]);
		if (!jobs[i].argv || !jobs[i].argv[0])
			return xb_fail(err, XB_ERR_USAGE, "job %zu has no command", i);
	}

	pfd = calloc(2 * n + 3, sizeof(*pfd));
	who = calloc(2 * n + 3, sizeof(*who));
	if (!pfd || !who) {
		free(pfd);
		free(who);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	rc = xb_sigcatch_start(&sc, err);
	if (rc) {
		free(pfd);
		free(who);
		return rc;
	}

	rc = event_loop(&r, &sc, pfd, who, grace_ms, err);

	for (size_t i = 0; i < r.avail; i++) {
		if (jobs[i].state == XB_JOB_PENDING) {
			jobs[i].state = XB_JOB_SKIPPED;
			r.res.skipped++;
		}
	}
	if (r.sig && o->on_interrupt)
		o->on_interrupt(r.sig, o->ctx);
	while (r.js && r.js->held)
		xb_jobserver_put(r.js);
	xb_sigcatch_stop(&sc);
	free(pfd);
	free(who);

	r.res.signal = r.sig;
	if (result)
		*result = r.res;
	return rc ? rc : verdict(&r, err);
}
