/* uptodate.h: whether an artifact `xbuild build` put in place still is
 * what its plan would build (uptodate.c), private to lib/ (the run
 * engine) and the tests.
 *
 * Use (run.c, per plan of `xbuild build`):
 *
 *	xb_uptodate_run ur = { go_version, goroot, NULL };  // per run
 *	xb_uptodate u; xb_uptodate_init(&u);
 *	if (xb_uptodate_check(&u, pl, smoke, force, t))
 *		// verdict "up to date": no build, no hook
 *	xb_uptodate_start(&u, pl, envp, tmpdir, &ur);  // as the build starts
 *	... build, prove, rename into place ...
 *	xb_uptodate_record(&u, pl, envp, hostos, hostarch, &ur, t, &err);
 *	xb_uptodate_release(&u);
 *	xb_uptodate_run_release(&ur);  // after every check and record
 */
#ifndef XB_UPTODATE_H
#define XB_UPTODATE_H

#include <time.h>

#include "xbuild.h"

typedef struct xb_uptodate {
	char *output;         /* the output's absolute path */
	char *outdir;         /* its folder, or the first of its parents
			       * there is: what the build's own files
			       * change */
	char *record;         /* the record's path in the cache; NULL: no
			       * cache (no HOME) */
	char identity[65];    /* sha256 of what the plan says */
	struct timespec since; /* CLOCK_REALTIME when checked, before the
				* build: an input changed after it may not
				* be what the build read */
	xb_strv outdir_names; /* outdir's names then: the build's own
			       * files change its mtime */
	bool checked;         /* the fields above are set */
	pid_t list_pid;       /* go list, running beside the build; 0: none */
	char *list_out;       /* the file it writes */
	char *list_text;      /* go list's answer from the go list cache;
			       * NULL: go runs */
	char list_key[65];    /* the answer's key in that cache; "": none */
	struct timespec list_started; /* when go list started */
} xb_uptodate;

/*
 * What the records of one run share: the go that builds (for the go list
 * cache's key) and the package folders the cache looked at, each once.
 * Those are looked at after every check of the run (xb_uptodate_check):
 * a change after its check that alters go list's answer changes a file or
 * folder the record lists after the check, and no record is written.
 */
typedef struct xb_uptodate_run {
	const char *go_version;        /* "go1.26.1"; NULL: not known */
	const char *goroot;            /* its GOROOT; NULL: not known */
	struct xb_listcache_memo *memo; /* made on first use */
} xb_uptodate_run;

void xb_uptodate_run_release(xb_uptodate_run *ur);

void xb_uptodate_init(xb_uptodate *u);
void xb_uptodate_release(xb_uptodate *u);
/*
 * Whether the artifact at pl->output is the one its record says was built
 * from what pl says now (smoke: the run smoke-tests it), with every input
 * file the record lists unchanged: then t's sha256, size and
 * facts.linkage are the record's and true is returned.  Any doubt (no
 * record, a damaged one, an I/O error) is false, and so is force.  Also
 * notes what xb_uptodate_record needs from before the build.
 */
bool xb_uptodate_check(xb_uptodate *u, const xb_plan *pl, bool smoke,
		       bool force, xb_run_target *t);
/*
 * As t's build starts: take go list's answer (envp: the build's
 * environment) from the go list cache, when an earlier run remembered it
 * and no folder it lists changed since; else start go list, its output
 * into a new file in dir, so that xb_uptodate_record need not wait for
 * it.  A go list that cannot start runs there instead.  ur: the run's
 * (may be NULL).
 */
xb_code xb_uptodate_start(xb_uptodate *u, const xb_plan *pl,
			  const char *const *envp, const char *dir,
			  xb_uptodate_run *ur);
/*
 * After t's artifact was renamed into place: ask go list what the
 * package was built from (envp: the build's environment; the answer
 * xb_uptodate_start found or started, remembered in the go list cache
 * when go gave it) and write the record atomically.  XB_ERR_CONFLICT
 * (and no record) when an input changed while the build ran; any failure
 * leaves no record.
 */
xb_code xb_uptodate_record(xb_uptodate *u, const xb_plan *pl,
			   const char *const *envp, const char *hostos,
			   const char *hostarch, xb_uptodate_run *ur,
			   const xb_run_target *t, xb_err *err);
/* The hash of a folder's names that pass the filter spec ("*": all;
 * "go" and '\n'-separated patterns: what go build reads, and the names
 * matching a pattern), as 64 hex digits.  For the tests. */
xb_code xb_uptodate_dir_hash(const char *dir, const char *spec,
			     const xb_strv *names, char hex[65]);

#endif
