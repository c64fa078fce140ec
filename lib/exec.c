/* exec.c: runs many commands at once.  One poll loop watches a self-pipe
 * for signals, one output pipe per job and make's jobserver, and never
 * blocks anywhere else, so a ^C is seen at once and every child is
 * stopped and reaped before the run returns.  Starting, killing and
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

#include "xbuild.h"

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

/* ---- make's jobserver ------------------------------------------------ */

void xb_jobserver_init(xb_jobserver *js)
{
	memset(js, 0, sizeof(*js));
	js->rfd = js->wfd = -1;
}

/*
 * The next word of MAKEFLAGS into w: words are split on blanks and a
 * backslash quotes the next character (make writes "a\ b" for a space).
 * Returns the position after the word, or NULL at the end.
 */
static const char *next_word(const char *p, xb_buf *w)
{
	xb_buf_reset(w);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	for (; *p && *p != ' ' && *p != '\t'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (xb_buf_addc(w, *p))
			return NULL;
	}
	return p;
}

/* A whole non-negative decimal int, or -1. */
static int parse_int(const char *s, const char **end)
{
	long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	if (end)
		*end = p;
	else if (*p)
		return -1;
	return (int)v;
}

/* The pipe form "R,W": two fds of one pipe, open for reading and for
 * writing.  make 4.3 leaves MAKEFLAGS alone but closes the fds for a
 * recipe that is not marked recursive, and another file may then hold
 * those numbers, so each is checked before a byte is read from it. */
static xb_code open_pipe(xb_jobserver *js, const char *auth, xb_err *err)
{
	struct stat rst, wst, ost;
	const char *comma;
	char proc[64];
	int r, w, rfl, wfl;

	r = parse_int(auth, &comma);
	w = r >= 0 && *comma == ',' ? parse_int(comma + 1, NULL) : -1;
	if (r < 0 || w < 0) {
		if (auth[0] == '-')
			return xb_fail(err, XB_ERR_UNSUPPORTED,
				       "make did not pass its jobserver to this command (mark the recipe with '+' or use $(MAKE))");
		return xb_fail(err, XB_ERR_FORMAT,
			       "malformed jobserver '%s' in MAKEFLAGS (expected R,W or fifo:PATH)",
			       auth);
	}
	rfl = fcntl(r, F_GETFL);
	wfl = fcntl(w, F_GETFL);
	if (rfl < 0 || wfl < 0)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fd %d is closed (mark the recipe that runs xbuild with '+')",
			       rfl < 0 ? r : w);
	if (fstat(r, &rst) < 0 || fstat(w, &wst) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot stat jobserver fds %d,%d:",
			       r, w);
	if (!S_ISFIFO(rst.st_mode) || !S_ISFIFO(wst.st_mode) ||
	    rst.st_dev != wst.st_dev || rst.st_ino != wst.st_ino)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fds %d,%d are not the two ends of one pipe (mark the recipe that runs xbuild with '+')",
			       r, w);
	if ((rfl & O_ACCMODE) == O_WRONLY || (wfl & O_ACCMODE) == O_RDONLY)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fds %d,%d are open the wrong way round",
			       r, w);
	/*
	 * The read end's file description is shared with make and every
	 * other client, so making it non-blocking would change it for them,
	 * and a blocking read after poll can hang when another client takes
	 * the token first.  Opening the pipe again through /proc gives a
	 * description of our own, non-blocking.
	 */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", r);
	js->rfd = open(proc, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (js->rfd < 0)
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "cannot reopen jobserver fd %d through /proc:", r);
	if (fstat(js->rfd, &ost) < 0 || ost.st_ino != rst.st_ino ||
	    ost.st_dev != rst.st_dev) {
		close(js->rfd);
		js->rfd = -1;
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver fd %d changed while being opened", r);
	}
	/* our children have no business with make's tokens */
	fcntl(r, F_SETFD, fcntl(r, F_GETFD) | FD_CLOEXEC);
	fcntl(w, F_SETFD, fcntl(w, F_GETFD) | FD_CLOEXEC);
	js->wfd = w;
	js->own_wfd = false;
	return XB_OK;
}

/* make 4.4's "fifo:PATH": opened read-write, which never blocks and keeps
 * the FIFO alive while we hold tokens. */
static xb_code open_fifo(xb_jobserver *js, const char *path, xb_err *err)
{
	struct stat st;
	int fd;

	if (!*path)
		return xb_fail(err, XB_ERR_FORMAT,
			       "jobserver fifo in MAKEFLAGS has no path");
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			       "cannot open jobserver fifo '%s':", path);
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "jobserver '%s' is not a fifo", path);
	}
	js->rfd = js->wfd = fd;
	js->own_wfd = true;
	return XB_OK;
}

xb_code xb_jobserver_open(xb_jobserver *js, const char *makeflags,
			  xb_err *err)
{
	xb_buf w = XB_BUF_INIT, auth = XB_BUF_INIT;
	const char *p = makeflags;
	bool have_auth = false, first = true;
	xb_code rc = XB_OK;

	xb_jobserver_init(js);
	if (!p)
		return XB_OK;
	xb_buf_init(&w, 4096);
	xb_buf_init(&auth, 4096);
	while ((p = next_word(p, &w))) {
		const char *s = xb_buf_str(&w);

		if (strcmp(s, "--") == 0)
			break; /* variable definitions follow */
		if (first && s[0] != '-') {
			first = false; /* make's single-letter flags: "ks" */
			continue;
		}
		first = false;
		if (strncmp(s, "-j", 2) == 0) {
			/* the last -j wins; a bare -j means no limit */
			js->make_jobs = s[2] ? parse_int(s + 2, NULL) : 0;
			if (js->make_jobs < 0)
				js->make_jobs = 0;
		} else if (strncmp(s, "--jobserver-auth=", 17) == 0 ||
			   strncmp(s, "--jobserver-fds=", 16) == 0) {
			/* make documents that the last one counts */
			xb_buf_reset(&auth);
			xb_buf_adds(&auth, strchr(s, '=') + 1);
			have_auth = true;
		}
	}
	if (have_auth) {
		const char *a = xb_buf_str(&auth);

		if (strncmp(a, "fifo:", 5) == 0)
			rc = open_fifo(js, a + 5, err);
		else
			rc = open_pipe(js, a, err);
		if (rc) {
			js->make_jobs = 1; /* what make does without one */
		} else {
			js->active = true;
		}
	}
	xb_buf_release(&w);
	xb_buf_release(&auth);
	return rc;
}

/* Read one token without blocking: 1 got one, 0 none now, -1 broken. */
static int js_take(xb_jobserver *js)
{
	char c;
	ssize_t r;

	if (js->held == js->cap) {
		size_t cap = js->cap ? js->cap * 2 : 16;
		char *t = realloc(js->tokens, cap);

		if (!t)
			return -1; /* run with what we hold */
		js->tokens = t;
		js->cap = cap;
	}
	do
		r = read(js->rfd, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r == 1) {
		js->tokens[js->held++] = c;
		return 1;
	}
	if (r < 0 && errno == EAGAIN)
		return 0;
	return -1;
}

/* Give the last token back, the byte we read (make 4.4 tells tokens
 * apart).  The pipe holds far more than make's tokens, so a write waits
 * only if some client misbehaves; then we retry for a while. */
static void js_put(xb_jobserver *js)
{
	char c;

	if (!js->held)
		return;
	c = js->tokens[--js->held];
	for (int tries = 0; tries < 100; tries++) {
		struct pollfd p = { js->wfd, POLLOUT, 0 };
		ssize_t r = write(js->wfd, &c, 1);

		if (r == 1)
			return;
		if (r < 0 && errno != EINTR && errno != EAGAIN)
			return; /* make is gone; nobody needs the token */
		if (r < 0 && errno == EAGAIN)
			poll(&p, 1, 100);
	}
}

void xb_jobserver_release(xb_jobserver *js)
{
	while (js->held)
		js_put(js);
	if (js->rfd >= 0)
		close(js->rfd);
	if (js->own_wfd && js->wfd >= 0 && js->wfd != js->rfd)
		close(js->wfd);
	free(js->tokens);
	xb_jobserver_init(js);
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
	ev.total = r->n;
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

/* Read what job i wrote; at most max_reads chunks (0: until none is
 * left), so that one chatty job cannot starve the loop. */
static void read_output(struct run *r, size_t i, int max_reads)
{
	xb_job *job = &r->jobs[i];
	char chunk[16384];

	for (int k = 0; job->out_fd >= 0 && (!max_reads || k < max_reads); k++) {
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

	read_output(r, i, 0);
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

	if (r->sig) {
		/* even a job that just made it is not trusted to be whole:
		 * no on_success after an interrupt */
		job->state = XB_JOB_STOPPED;
		xb_fail(&job->err, XB_ERR_INTERRUPTED, "stopped by %s",
			signame(r->sig));
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

/* Start jobs while the limit and the jobserver allow. */
static void start_more(struct run *r)
{
	r->want_token = false;
	while (!r->stop && r->next < r->n && r->running < (size_t)r->limit) {
		if (r->js && r->running >= 1 + r->js->held) {
			int t = js_take(r->js);

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
		js_put(r->js);
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

static int resolve_limit(const xb_exec_opts *o, size_t n)
{
	const xb_jobserver *js = o->jobserver;
	long limit;

	if (o->jobs > 0)
		limit = o->jobs;
	else if (js && js->make_jobs > 0)
		limit = js->make_jobs;
	else if (js && js->active)
		limit = (long)(n < INT_MAX ? n : INT_MAX);
	else
		limit = xb_cpu_count();
	if ((size_t)limit > n)
		limit = (long)n;
	return limit < 1 ? 1 : (int)limit;
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
	grace_ms = o->grace_ms > 0 ? o->grace_ms : DEFAULT_GRACE_MS;
	for (size_t i = 0; i < n; i++) {
		reset_results(&jobs[i]);
		if (!jobs[i].argv || !jobs[i].argv[0])
			return xb_fail(err, XB_ERR_USAGE, "job %zu has no command", i);
	}

	pfd = calloc(n + 2, sizeof(*pfd));
	who = calloc(n + 2, sizeof(*who));
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

	for (;;) {
		nfds_t np = 0, first_job;
		int sig, timeout = -1;

		sig = xb_sigcatch_read(&sc);
		if (sig)
			on_stop_signal(&r, sig, grace_ms);
		reap_all(&r);
		start_more(&r);
		give_back(&r);
		if (r.running == 0 && (r.stop || r.next >= n))
			break;
		if (r.sig && !r.killed) {
			int64_t left = r.kill_at - now_ns();

			if (left <= 0) {
				signal_all(&r, SIGKILL);
				r.killed = true;
			} else {
				timeout = (int)(left / 1000000) + 1;
			}
		}

		pfd[np].fd = sc.fd;
		pfd[np++].events = POLLIN;
		if (r.want_token && !r.stop) {
			pfd[np].fd = r.js->rfd;
			pfd[np++].events = POLLIN;
		}
		first_job = np;
		for (size_t i = 0; i < n; i++) {
			if (jobs[i].state != XB_JOB_RUNNING || jobs[i].out_fd < 0)
				continue;
			who[np] = i;
			pfd[np].fd = jobs[i].out_fd;
			pfd[np++].events = POLLIN;
		}
		if (poll(pfd, np, timeout) < 0) {
			if (errno == EINTR)
				continue;
			rc = xb_fail(err, XB_ERR_IO, "poll:");
			kill_and_reap_all(&r);
			break;
		}
		/* signals and tokens are looked at on the next round */
		for (nfds_t k = first_job; k < np; k++)
			if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
				read_output(&r, who[k], 4);
	}

	for (size_t i = 0; i < n; i++) {
		if (jobs[i].state == XB_JOB_PENDING) {
			jobs[i].state = XB_JOB_SKIPPED;
			r.res.skipped++;
		}
	}
	if (r.sig && o->on_interrupt)
		o->on_interrupt(r.sig, o->ctx);
	while (r.js && r.js->held)
		js_put(r.js);
	xb_sigcatch_stop(&sc);
	free(pfd);
	free(who);

	r.res.signal = r.sig;
	if (result)
		*result = r.res;
	if (rc)
		return rc;
	if (r.sig)
		return xb_fail(err, XB_ERR_INTERRUPTED, "interrupted by %s",
			       signame(r.sig));
	if (r.first_failed != SIZE_MAX) {
		const xb_job *f = &jobs[r.first_failed];

		xb_fail(err, f->err.code, "%s: %s", job_name(f),
			xb_errmsg(&f->err));
		if (r.res.failed > 1 && err) {
			size_t len = strlen(err->msg);

			snprintf(err->msg + len, sizeof(err->msg) - len,
				 " (and %zu more failed)", r.res.failed - 1);
		}
		return f->err.code;
	}
	return XB_OK;
}
