/* exec.h: running many commands at once, under make's jobserver
 * (exec.c), private to lib/ (the run engine) and the tests.  The job
 * itself (xb_job), which the run engine's events show, is in xbuild.h. */
#ifndef XB_EXEC_H
#define XB_EXEC_H

#include "xbuild.h"
#include "jobserver.h"

/*
 * Use:
 *
 *	xb_jobserver js;
 *	if (xb_jobserver_open(&js, getenv("MAKEFLAGS"), &err))
 *		warn("jobserver ignored: %s", err.msg);  // runs one at a time
 *	for each target: xb_job_init(&jobs[i]); set argv, envp, log_path...
 *	o.jobs = -j; o.keep_going = ...; o.jobserver = &js;
 *	o.on_event = draw; o.on_success = verify_and_rename;
 *	o.on_interrupt = remove_temporaries; o.ctx = build;
 *	rc = xb_exec_run(jobs, n, &o, &res, &err);
 *	xb_jobserver_release(&js);
 *	if (rc == XB_ERR_INTERRUPTED) exit(128 + res.signal);
 *	report each XB_JOB_FAILED job: err.msg and its tail; xb_job_release.
 */

#define XB_EXEC_TAIL_LINES 40   /* default lines kept in a job's tail */
#define XB_EXEC_LINE_MAX 4096   /* longer output lines are split */
#define XB_EXEC_TAIL_LINE_MAX 512 /* longer lines are cut in the tail */

void xb_job_init(xb_job *job);
/* Free the results (tail and buffers), leaving the inputs; reusable. */
void xb_job_release(xb_job *job);

typedef enum xb_exec_event_kind {
	XB_EXEC_STARTED,   /* job is running (pid set) */
	XB_EXEC_OUTPUT,    /* job printed line */
	XB_EXEC_FINISHED,  /* job is done: state, exit_code, err are set */
	XB_EXEC_STOPPING,  /* signal caught: every running job is being
			    * stopped (job is NULL) */
} xb_exec_event_kind;

typedef struct xb_exec_event {
	xb_exec_event_kind kind;
	xb_job *job;       /* NULL for XB_EXEC_STOPPING */
	size_t index;      /* job's index in the array */
	const char *line;  /* XB_EXEC_OUTPUT: NUL-terminated, no newline;
			    * valid during the call only */
	size_t len;
	int signal;        /* XB_EXEC_STOPPING: the signal */
	size_t running;    /* progress, for a status line */
	size_t finished;
	size_t total;
} xb_exec_event;

typedef struct xb_exec_opts {
	int jobs;          /* most jobs at once; 0: make's -jN when it
			    * passed one, no limit but the jobserver's when
			    * there is one, else xb_cpu_count() */
	bool keep_going;   /* after a failure, still start the rest;
			    * without it nothing new starts and the jobs
			    * already running finish (as make does) */
	xb_jobserver *jobserver; /* from xb_jobserver_open; NULL: none */
	int grace_ms;      /* SIGTERM to SIGKILL on interrupt; 0: 2000 */
	int tail_lines;    /* 0: XB_EXEC_TAIL_LINES */
	void *ctx;         /* passed to every callback */
	/* Progress, for a status line or plain lines; called in this
	 * process, between polls (keep it quick).  May be NULL. */
	void (*on_event)(const xb_exec_event *ev, void *ctx);
	/* After a job exits 0, before it counts as done: the place to
	 * verify and rename its artifact.  A failure (code and message in
	 * err) fails the job.  May be NULL. */
	xb_code (*on_success)(xb_job *job, void *ctx, xb_err *err);
	/* While a job runs, its watch_fd (when >= 0) became readable: read
	 * it here, and set job->watch_fd to -1 when done with it (the
	 * caller closes it).  May be NULL. */
	void (*on_watch)(xb_job *job, void *ctx);
	/* After an interrupt, once every child has ended and before the run
	 * returns, with the signal handlers still in place (a second ^C
	 * cannot cut it short): remove temporaries here.  May be NULL. */
	void (*on_interrupt)(int sig, void *ctx);
	/* Jobs that come while the run goes on (NULL: all n are ready at
	 * the start): called at the start and whenever feed_fd is
	 * readable, it sets *ready to how many of the first jobs may now
	 * start (it never takes one back; those past it are not touched)
	 * and *all once no more will come (*ready is then the run's
	 * count).  A failure stops the run as a signal would (every
	 * running job stopped, nothing more started) and is its result. */
	xb_code (*admit)(void *ctx, size_t *ready, bool *all, xb_err *err);
	int feed_fd;
} xb_exec_opts;

#define XB_EXEC_OPTS_INIT { 0, false, NULL, 0, 0, NULL, NULL, NULL, NULL, \
			    NULL, NULL, -1 }

/* What a run did, for summaries and tests. */
typedef struct xb_exec_result {
	size_t ok, failed, skipped, stopped;
	int limit;         /* the job limit used (jobserver aside) */
	int max_running;   /* the most jobs that ran at once */
	int signal;        /* the signal that interrupted the run; 0 none */
} xb_exec_result;

/*
 * Run jobs[0..n) (each xb_job_init'ed, inputs set; with admit, those it
 * admits), at most the limit at once and, with an active jobserver, only
 * as many as it grants.  Each child gets its own process group, stdin
 * from /dev/null, and stdout and stderr into a pipe read here.  On
 * SIGINT, SIGTERM or SIGHUP no new job starts, every running group gets
 * SIGTERM, then SIGKILL after grace_ms (at once on a second signal);
 * on_interrupt runs once all are reaped.  Every token is given back and
 * the signal handlers restored before it returns; no child outlives it
 * (what is left of a job's process group when its first process exits is
 * killed; only a process that leaves the group, by setsid, is out of
 * reach).
 *
 * Returns XB_OK when every job is XB_JOB_OK; XB_ERR_INTERRUPTED (signal
 * in result) when stopped by a signal; admit's failure; else the code of
 * the first failed job's err, with a message naming it.  result may be
 * NULL.
 */
/* How many of n jobs xb_exec_run runs at once at most under o; 0 when
 * make's jobserver decides alone (it gave no -jN). */
int xb_exec_limit(const xb_exec_opts *o, size_t n);

xb_code xb_exec_run(xb_job *jobs, size_t n, const xb_exec_opts *o,
		    xb_exec_result *result, xb_err *err);

#endif
