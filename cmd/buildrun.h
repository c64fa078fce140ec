/* buildrun.h: running plans.  The engine of `xbuild build` and `xbuild
 * release`: every plan's `go build` in parallel (under make's jobserver),
 * its output written under a temporary name, checked against the plan's
 * expectation, optionally run (--smoke), and only then renamed into place.
 * A failure, a broken expectation or a signal leaves no partial artifact. */
#ifndef XBUILD_BUILDRUN_H
#define XBUILD_BUILDRUN_H

#include "buildopt.h"

struct run_opts {
	int jobs;              /* most builds at once; 0: make's or CPUs */
	bool keep_going;       /* a failed target does not stop the others */
	bool smoke;            /* run each artifact (qemu for foreign arches) */
	bool quiet;            /* no progress, no summary: errors only */
	bool status_line;      /* redraw one line per target (a terminal) */
	const char *logdir;    /* per-target logs; NULL: a temporary folder
				* removed afterwards unless a target failed */
};

/* One target's run, in the order of the session's plans. */
struct run_target {
	xb_plan *plan;         /* the session's */
	xb_job job;
	char *tmp;             /* the temporary output; NULL after rename */
	char *log;             /* the log file */
	xb_facts facts;        /* what the checker read */
	xb_strv violations;    /* of the expectation */
	xb_strv diagnoses;     /* read from the linker's output */
	char sha256[65];       /* "" when not built */
	uint64_t size;
	int smoke_exit;        /* -1: not run */
	const char *verdict;   /* "ok", "failed", "broken" (expectation),
				* "not planned", "skipped", "stopped" */
};

/*
 * Run the session's plans (those without errors; the others count as
 * failed).  *out receives an array of s->nplans results (free with
 * build_run_free).  Returns the exit status: EXIT_OK, EXIT_FAIL (a build
 * or smoke run failed, or a plan had errors), EXIT_EXPECT (an artifact
 * broke its expectation), or 128 + signal.
 */
int build_run(struct build_session *s, const struct run_opts *o,
	      struct run_target **out);
void build_run_free(struct run_target *t, size_t n);
/* The closing table (target, linkage, size, sha256 prefix, time, verdict)
 * and each failure's details, on f. */
void build_summary(FILE *f, const struct run_target *t, size_t n);
/* The same as a JSON array of objects. */
void build_summary_json(xb_json *j, const struct run_target *t, size_t n);

#endif
