/* xb-exec-driver: runs COUNT copies of a command through xb_exec_run, for
 * the end-to-end tests of the executor (make's jobserver, signals).
 *
 *   xb-exec-driver [-j N] [-k] [-g GRACE_MS] [-p PIDFILE] [-c CLEANFILE]
 *                  COUNT CMD [ARG...]
 *
 * Each copy gets XB_JOB=<index> in its environment.  The jobserver comes
 * from MAKEFLAGS, as in xbuild.  Prints one line per event on stdout;
 * exits 0 when all succeeded, 1 when one failed, 128 + the signal when
 * interrupted.  -p appends each child's pid to PIDFILE as it starts; -c
 * writes "interrupted N" to CLEANFILE from the on_interrupt hook. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xbuild.h"
#include "exec.h"

extern char **environ;

static const char *pidfile, *cleanfile;

static void on_event(const xb_exec_event *ev, void *ctx)
{
	(void)ctx;
	switch (ev->kind) {
	case XB_EXEC_STARTED:
		printf("start %zu pid %ld\n", ev->index, (long)ev->job->pid);
		if (pidfile) {
			FILE *f = fopen(pidfile, "a");

			if (f) {
				fprintf(f, "%ld\n", (long)ev->job->pid);
				fclose(f);
			}
		}
		break;
	case XB_EXEC_OUTPUT:
		printf("line %zu %s\n", ev->index, ev->line);
		break;
	case XB_EXEC_FINISHED:
		printf("done %zu state %d exit %d\n", ev->index,
		       (int)ev->job->state, ev->job->exit_code);
		break;
	case XB_EXEC_STOPPING:
		printf("stopping on signal %d\n", ev->signal);
		break;
	}
	fflush(stdout);
}

static void on_interrupt(int sig, void *ctx)
{
	FILE *f;

	(void)ctx;
	if (!cleanfile || !(f = fopen(cleanfile, "w")))
		return;
	fprintf(f, "interrupted %d\n", sig);
	fclose(f);
}

static void usage(void)
{
	fprintf(stderr, "usage: xb-exec-driver [-j N] [-k] [-g GRACE_MS] "
			"[-p PIDFILE] [-c CLEANFILE] COUNT CMD [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	xb_exec_opts o = XB_EXEC_OPTS_INIT;
	xb_exec_result res;
	xb_err err = XB_ERR_INIT;
	xb_jobserver js;
	xb_strv env = XB_STRV_INIT;
	xb_strv *envs;
	xb_job *jobs;
	size_t n;
	xb_code rc;
	int c, status;

	while ((c = getopt(argc, argv, "+j:kg:p:c:")) != -1) {
		switch (c) {
		case 'j': o.jobs = atoi(optarg); break;
		case 'k': o.keep_going = true; break;
		case 'g': o.grace_ms = atoi(optarg); break;
		case 'p': pidfile = optarg; break;
		case 'c': cleanfile = optarg; break;
		default: usage();
		}
	}
	if (argc - optind < 2)
		usage();
	n = (size_t)strtoul(argv[optind], NULL, 10);
	if (n == 0 || n > 1000)
		usage();

	if (xb_jobserver_open(&js, getenv("MAKEFLAGS"), &err))
		fprintf(stderr, "xb-exec-driver: jobserver ignored: %s\n",
			xb_errmsg(&err));
	o.jobserver = &js;
	o.on_event = on_event;
	o.on_interrupt = on_interrupt;

	jobs = calloc(n, sizeof(*jobs));
	envs = calloc(n, sizeof(*envs));
	if (!jobs || !envs)
		return 1;
	xb_strv_pushv(&env, (const char *const *)environ);
	for (size_t i = 0; i < n; i++) {
		char num[32];

		xb_strv_init(&envs[i]);
		xb_strv_pushv(&envs[i], xb_strv_argv(&env));
		snprintf(num, sizeof(num), "%zu", i);
		xb_strv_setenv(&envs[i], "XB_JOB", num);
		xb_job_init(&jobs[i]);
		jobs[i].argv = (const char *const *)argv + optind + 1;
		jobs[i].envp = xb_strv_argv(&envs[i]);
	}

	rc = xb_exec_run(jobs, n, &o, &res, &err);
	printf("limit %d max_running %d ok %zu failed %zu skipped %zu stopped %zu\n",
	       res.limit, res.max_running, res.ok, res.failed, res.skipped,
	       res.stopped);
	if (rc)
		fprintf(stderr, "xb-exec-driver: %s\n", xb_errmsg(&err));
	status = rc == XB_OK ? 0 : rc == XB_ERR_INTERRUPTED ? 128 + res.signal : 1;

	xb_jobserver_release(&js);
	for (size_t i = 0; i < n; i++) {
		xb_job_release(&jobs[i]);
		xb_strv_release(&envs[i]);
	}
	xb_strv_release(&env);
	free(jobs);
	free(envs);
	return status;
}
