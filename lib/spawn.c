/* spawn.c: the one place that starts child processes.  posix_spawn with an
 * argv array; nothing ever goes through a shell. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xbuild.h"

extern char **environ;

static const char *env_path(const char *const *envp)
{
	if (!envp)
		return getenv("PATH");
	for (; *envp; envp++)
		if (strncmp(*envp, "PATH=", 5) == 0)
			return *envp + 5;
	return NULL;
}

static int is_exec(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

char *xb_which(const char *name, const char *path)
{
	xb_buf b = XB_BUF_INIT;
	const char *p, *end;

	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return is_exec(name) ? strdup(name) : NULL;
	if (!path)
		path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		xb_buf_reset(&b);
		if (end == p)
			xb_buf_adds(&b, "."); /* empty element: current dir */
		else
			xb_buf_add(&b, p, (size_t)(end - p));
		if (xb_buf_addf(&b, "/%s", name) == XB_OK &&
		    is_exec(xb_buf_str(&b)))
			return xb_buf_take(&b);
		if (!*end)
			break;
	}
	xb_buf_release(&b);
	return NULL;
}

xb_code xb_spawn(const char *const argv[], const xb_spawn_opts *o, pid_t *pid,
		 xb_err *err)
{
	static const xb_spawn_opts defaults = XB_SPAWN_OPTS_INIT;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	char *exe;
	int rc;
	short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;

	if (!o)
		o = &defaults;
	if (argv == XB_STRV_FAILED)
		return xb_fail(err, XB_ERR_SPAWN, "refusing to run a command "
			       "whose arguments could not all be added");
	if (!argv || !argv[0])
		return xb_fail(err, XB_ERR_USAGE, "empty command");
	if (o->envp == XB_STRV_FAILED)
		return xb_fail(err, XB_ERR_SPAWN, "refusing to run '%s': its "
			       "environment could not all be added", argv[0]);
	exe = xb_which(argv[0], env_path(o->envp));
	if (!exe)
		return xb_fail(err, XB_ERR_NOTFOUND,
			       "cannot run '%s': not found in PATH", argv[0]);

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	if (o->stdin_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, o->stdin_fd, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (o->stdout_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, o->stdout_fd, 1);
	if (o->stderr_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, o->stderr_fd, 2);
	if (o->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
	/* The child starts with no blocked signals and default handlers,
	 * whatever this process has installed. */
	sigemptyset(&none);
	sigfillset(&dfl);
	sigdelset(&dfl, SIGKILL);
	sigdelset(&dfl, SIGSTOP);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	if (o->new_pgrp) {
		flags |= POSIX_SPAWN_SETPGROUP;
		posix_spawnattr_setpgroup(&attr, 0);
	}
	posix_spawnattr_setflags(&attr, flags);

	/* posix_spawn's prototype lacks const; it does not write them */
	rc = posix_spawn(pid, exe, &fa, &attr, (char *const *)argv,
			 o->envp ? (char *const *)o->envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		/* ENOEXEC: a binary for another machine, never a shell's */
		xb_code code = rc == ENOEXEC ? XB_ERR_UNSUPPORTED : XB_ERR_SPAWN;

		errno = rc;
		xb_fail(err, code, "cannot run '%s':", exe);
		free(exe);
		return code;
	}
	free(exe);
	return XB_OK;
}

int xb_kill_group(pid_t pgid, int sig)
{
	if (pgid <= 1) { /* kill(0 or -1, ...) would hit far too much */
		errno = EINVAL;
		return -1;
	}
	return kill(-pgid, sig);
}

int xb_reap_group(pid_t pid, int *status)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si,
			   WEXITED | WNOHANG | WNOWAIT) == 0)
			break;
		if (errno != EINTR)
			return -1;
	}
	if (si.si_pid == 0)
		return 0;
	xb_kill_group(pid, SIGKILL);
	return xb_wait(pid, status, NULL) == XB_OK ? 1 : -1;
}

int xb_cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 4096 ? (int)n : 1;
}

/* The self-pipe's write end, for the handler; -1 when no catcher runs.
 * The pipe only wakes the loop: stopping signals are also counted here,
 * so none is lost even if SIGCHLDs filled the pipe. */
static volatile sig_atomic_t sigcatch_wfd = -1;
static volatile sig_atomic_t stop_count, stop_sig;
static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	int fd = sigcatch_wfd;

	if (sig != SIGCHLD) {
		stop_sig = sig;
		stop_count++;
	}
	/* a full pipe already holds a wake-up */
	if (fd >= 0 && write(fd, &b, 1) < 0) {
		/* nothing to do in a handler */
	}
	errno = saved;
}

xb_code xb_sigcatch_start(xb_sigcatch *sc, xb_err *err)
{
	struct sigaction sa, *saved;
	int p[2];

	sc->fd = sc->wfd = -1;
	sc->saved = NULL;
	sc->seen = 0;
	if (sigcatch_wfd >= 0)
		return xb_fail(err, XB_ERR_USAGE,
			       "signals are already caught by another run");
	saved = calloc(NCAUGHT, sizeof(*saved));
	if (!saved)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(saved);
		return xb_fail(err, XB_ERR_IO, "pipe:");
	}
	sc->fd = p[0];
	sc->wfd = p[1];
	sc->saved = saved;
	sc->seen = stop_count;
	sigcatch_wfd = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCAUGHT; i++) /* one handler at a time */
		sigaddset(&sa.sa_mask, caught[i]);
	for (size_t i = 0; i < NCAUGHT; i++) {
		sigaction(caught[i], NULL, &saved[i]);
		if (caught[i] != SIGCHLD && saved[i].sa_handler == SIG_IGN)
			continue;
		sa.sa_flags = SA_RESTART |
			      (caught[i] == SIGCHLD ? SA_NOCLDSTOP : 0);
		sigaction(caught[i], &sa, NULL);
	}
	return XB_OK;
}

int xb_sigcatch_read(xb_sigcatch *sc)
{
	unsigned char b[256];
	ssize_t r;

	while ((r = read(sc->fd, b, sizeof(b))) > 0 || (r < 0 && errno == EINTR))
		;
	if (stop_count == sc->seen)
		return 0;
	sc->seen = stop_count;
	return stop_sig;
}

void xb_sigcatch_stop(xb_sigcatch *sc)
{
	struct sigaction *saved = sc->saved;

	if (sc->fd < 0)
		return;
	for (size_t i = 0; saved && i < NCAUGHT; i++)
		sigaction(caught[i], &saved[i], NULL);
	sigcatch_wfd = -1;
	close(sc->fd);
	close(sc->wfd);
	free(saved);
	sc->fd = sc->wfd = -1;
	sc->saved = NULL;
}

xb_code xb_wait(pid_t pid, int *status, xb_err *err)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			return xb_fail(err, XB_ERR_IO, "waitpid %ld:", (long)pid);
	}
	return XB_OK;
}

int xb_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

long xb_env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long x;

	if (!v || !*v)
		return dflt;
	errno = 0;
	x = strtol(v, &end, 10);
	return errno || *end || x < 0 ? dflt : x;
}

int xb_run_timeout(void)
{
	long s = xb_env_long("XBUILD_CHILD_TIMEOUT", XB_CHILD_TIMEOUT);

	return s > 86400 * 7 ? XB_CHILD_TIMEOUT : (int)s;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drain the child's pipes into the buffers until both reach EOF, or until
 * the monotonic deadline (ms; -1: none) passes: then XB_ERR_TIMEOUT, with
 * nothing said in err.  A buffer over its cap stops collecting but keeps
 * draining, so the child never blocks on a full pipe. */
static xb_code drain(int fds[2], xb_buf *bufs[2], int64_t deadline,
		     int cancel_fd, xb_err *err)
{
	xb_code over = XB_OK;
	char chunk[16384];

	for (;;) {
		struct pollfd p[3];
		nfds_t n = 0;
		int map[3], wait_ms = -1, got;

		for (int i = 0; i < 2; i++) {
			if (fds[i] < 0)
				continue;
			p[n].fd = fds[i];
			p[n].events = POLLIN;
			map[n++] = i;
		}
		if (n == 0)
			break;
		if (cancel_fd >= 0) {
			p[n].fd = cancel_fd;
			p[n].events = POLLIN;
			map[n++] = -1;
		}
		if (deadline >= 0) {
			int64_t left = deadline - mono_ms();

			if (left <= 0)
				return XB_ERR_TIMEOUT;
			wait_ms = left > INT32_MAX ? INT32_MAX : (int)left;
		}
		got = poll(p, n, wait_ms);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return xb_fail(err, XB_ERR_IO, "poll:");
		}
		for (nfds_t k = 0; k < n; k++) {
			int i = map[k];
			ssize_t r;

			if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (i < 0)
				return XB_ERR_INTERRUPTED;
			r = read(fds[i], chunk, sizeof(chunk));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			if (!over && xb_buf_add(bufs[i], chunk, (size_t)r))
				over = xb_buf_check(bufs[i], err,
						    "child output");
		}
	}
	return over;
}

xb_code xb_run(const char *const argv[], const xb_spawn_opts *o, xb_buf *out,
	       xb_buf *errb, int *exit_code, xb_err *err)
{
	xb_spawn_opts opts = XB_SPAWN_OPTS_INIT;
	int p_out[2] = { -1, -1 }, p_err[2] = { -1, -1 };
	int fds[2] = { -1, -1 };
	xb_buf *bufs[2] = { out, errb };
	int devnull = -1, status = 0, limit;
	xb_code rc, rc2;
	pid_t pid;

	if (o)
		opts = *o;
	if ((out || errb) && pipe2(p_out, O_CLOEXEC) < 0)
		return xb_fail(err, XB_ERR_IO, "pipe:");
	if (out && errb && out != errb && pipe2(p_err, O_CLOEXEC) < 0) {
		close(p_out[0]);
		close(p_out[1]);
		return xb_fail(err, XB_ERR_IO, "pipe:");
	}
	if (!out || !errb) {
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (devnull < 0) {
			rc = xb_fail(err, XB_ERR_IO, "cannot open /dev/null:");
			goto fail;
		}
	}
	opts.stdout_fd = out ? p_out[1] : devnull;
	if (!errb)
		opts.stderr_fd = devnull;
	else if (errb == out)
		opts.stderr_fd = p_out[1];
	else if (out)
		opts.stderr_fd = p_err[1];
	else
		opts.stderr_fd = p_out[1], bufs[0] = errb;

	rc = xb_spawn(argv, &opts, &pid, err);
	if (devnull >= 0)
		close(devnull);
	if (p_out[1] >= 0)
		close(p_out[1]);
	if (p_err[1] >= 0)
		close(p_err[1]);
	fds[0] = p_out[0];
	fds[1] = p_err[0];
	if (rc) {
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		return rc;
	}
	if (out == errb)
		bufs[1] = NULL;
	limit = opts.timeout_s ? opts.timeout_s : xb_run_timeout();
	rc = drain(fds, bufs, limit > 0 ? mono_ms() + (int64_t)limit * 1000 : -1,
		   opts.cancel_fd, err);
	if (rc == XB_ERR_TIMEOUT || rc == XB_ERR_INTERRUPTED) {
		/* a hung compiler or go, or one no longer wanted: it goes,
		 * and what it started gets a moment to let go of the pipes */
		kill(pid, SIGKILL);
		drain(fds, bufs, mono_ms() + 1000, -1, NULL);
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		if (rc == XB_ERR_INTERRUPTED)
			xb_fail(err, rc, "'%s%s%s' was stopped: no longer "
				"wanted", argv[0], argv[1] ? " " : "",
				argv[1] ? argv[1] : "");
		else
			xb_fail(err, rc, "'%s%s%s' did not finish in %d s and "
				"was stopped (XBUILD_CHILD_TIMEOUT sets the "
				"limit)", argv[0], argv[1] ? " " : "",
				argv[1] ? argv[1] : "", limit);
	}
	rc2 = xb_wait(pid, &status, rc ? NULL : err);
	if (!rc)
		rc = rc2;
	if (exit_code)
		*exit_code = xb_exit_code(status);
	return rc;
fail:
	for (int i = 0; i < 2; i++) {
		if (p_out[i] >= 0)
			close(p_out[i]);
		if (p_err[i] >= 0)
			close(p_err[i]);
	}
	return rc;
}
