/* buildrun.h: running plans with the build engine (lib/run.c) as `xbuild
 * build` and `xbuild release` show it: progress on stderr, a closing
 * table, exit statuses. */
#ifndef XBUILD_BUILDRUN_H
#define XBUILD_BUILDRUN_H

#include "buildopt.h"

struct run_opts {
	int jobs;              /* most builds at once; 0: make's or CPUs */
	bool keep_going;       /* a failed target does not stop the others */
	bool smoke;            /* run each artifact (qemu for foreign arches) */
	bool quiet;            /* no progress, no summary: errors only */
	bool status_line;      /* a terminal: one progress line, redrawn
				* every second (phase, done/total, elapsed
				* time, what runs) */
	const char *logdir;    /* per-target logs; NULL: a temporary folder
				* removed afterwards unless a target failed */
	bool verbose;          /* each target's environment and command as
				* it starts */
	const char *phase;     /* of the progress line; NULL: "building" */
	bool record;           /* skip artifacts that are up to date, and
				* record what each one was built from
				* (build, never release) */
	bool force;            /* with record: build them all the same */
};

/* The progress line for o: on when stderr is a terminal (not TERM=dumb)
 * and the run is not quiet. */
bool build_status_line(const struct run_opts *o);

/*
 * Run the session's plans (those without errors; the others count as
 * failed).  *out receives an array of s->nplans results (free with
 * build_run_free).  Returns the exit status: EXIT_OK, EXIT_FAIL (a build
 * or smoke run failed, or a plan had errors), EXIT_EXPECT (an artifact
 * broke its expectation), EXIT_USAGE (two plans write one file), or 128 +
 * signal.
 */
int build_run(struct build_session *s, const struct run_opts *o,
	      xb_run_target **out);
void build_run_free(xb_run_target *t, size_t n);
/* The closing table (target, linkage, size, sha256 prefix, time, verdict)
 * and each failure's details, on f. */
void build_summary(FILE *f, const xb_run_target *t, size_t n);
/* The same as a JSON array of objects. */
void build_summary_json(xb_json *j, const xb_run_target *t, size_t n);

#endif
