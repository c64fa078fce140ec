/* tmpl.h: the bounded template language of names, ldflags and env values
 * (tmpl.c), private to lib/ and the tests: a subset of Go's text/template
 * with fixed fields and a few string functions, no loops, no variables. */
#ifndef XB_TMPL_H
#define XB_TMPL_H

#include "xbuild.h"

#define XB_TMPL_IN_MAX (64u * 1024)  /* longest template text */
#define XB_TMPL_OUT_MAX (64u * 1024) /* longest expansion, and any value */
#define XB_TMPL_DEPTH_MAX 32         /* nested if and ( ) */

/*
 * The values of the fields.  A NULL string expands to "".  env: the
 * variables of .Env.NAME ("NAME=VALUE"); NULL: the process environment.
 */
typedef struct xb_tmpl_vars {
	const char *project_name, *version, *raw_version, *tag;
	const char *commit, *short_commit, *full_commit;
	const char *date, *commit_date, *timestamp, *commit_timestamp;
	const char *os, *arch, *arm, *amd64, *arm64, *target, *binary;
	const char *path, *name; /* a hook's artifact: its path, file name */
	const char *mips;  /* GOMIPS or GOMIPS64 of a mips target; else NULL */
	bool is_snapshot;
	bool git_dirty;    /* tracked files differ from the commit */
	const char *const *env;
} xb_tmpl_vars;

/*
 * Expand text with v.  v NULL only checks: every field, function, argument
 * count and the syntax, in every branch, with no value looked up.  On
 * success *out (when out is not NULL) is the expansion, which the caller
 * frees.  On failure err says what is wrong and *at (when not NULL) is the
 * byte offset in text where it is.
 */
xb_code xb_tmpl_expand(const char *text, const xb_tmpl_vars *v, char **out,
		       size_t *at, xb_err *err);

/* The release's fields of v from r (.Version, .Tag, .Commit, ...). */
void xb_tmpl_set_release(xb_tmpl_vars *v, const xb_relver *r);
/* The target's fields of v (.Os, .Arch, .Arm, .Amd64, .Arm64, .Mips,
 * .Target); target receives .Target's text, which v points into. */
void xb_tmpl_set_target(xb_tmpl_vars *v, const char *os, const char *arch,
			const char *variant, xb_buf *target);

/* True when text has an action ("{{"): only then is it a template. */
bool xb_tmpl_has_action(const char *text);

#endif
