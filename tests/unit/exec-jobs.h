/* exec-jobs.h: jobs for the executor's tests (test_exec, test_exec_feed). */
#ifndef XBUILD_EXEC_JOBS_H
#define XBUILD_EXEC_JOBS_H

#include "exec.h"

/* n jobs, each xb_job_init'ed, running argv (NULL: none set). */
static inline void set_jobs(xb_job *jobs, size_t n, const char *const *argv)
{
	for (size_t i = 0; i < n; i++) {
		xb_job_init(&jobs[i]);
		jobs[i].argv = argv;
	}
}

static inline void release_jobs(xb_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		xb_job_release(&jobs[i]);
}

#endif
