/* profile.h: what the rest of lib/ and the tests use of the profile
 * module beyond xbuild.h (private to them): diagnostics, the settings'
 * merge and defaults, loading from memory, JSON of settings and
 * expectations.  What only the module's own files share is in
 * profile-int.h. */
#ifndef XB_PROFILE_H
#define XB_PROFILE_H

#include "xbuild.h"

/* Free a target's names and both settings. */
void xb_target_release(xb_target *t);

/* Add one; severity 'e' (error) or 'w' (warning). */
void xb_diag(xb_diags *d, char severity, xb_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Copy every setting src sets into dst: scalars and lists replace, env
 * and expect merge by key.  strip: true and debug: true exclude each
 * other: the one src sets turns off the other when src leaves it. */
xb_code xb_settings_merge(xb_settings *dst, const xb_settings *src);
/* The name of a setting ("linkage"); NULL for a bad id. */
const char *xb_setting_name(xb_setting_id id);
/* The built-in defaults every profile starts from. */
xb_code xb_settings_builtin(xb_settings *s);

/* xb_profile_load for a profile held in memory, named name (for extends:
 * and messages). */
xb_code xb_profile_load_mem(xb_profile *p, const char *name, const char *data,
			    size_t len, const xb_profile_opts *o, xb_diags *d,
			    xb_err *err);

/* The settings as a JSON object, as xb_profile_json writes them. */
void xb_settings_json(const xb_settings *s, xb_json *j);
/* An expectation as a JSON object (every field, null for "any"). */
void xb_expect_json(const xb_expect *e, xb_json *j);

/* What Go makes on an operating system, whatever the program. */
typedef struct xb_osinfo {
	const char *os;
	const char *format;  /* "elf", "macho", "pe"; NULL: a format the
			      * checker does not read */
	const char *what;    /* that format, for messages ("a WebAssembly
			      * module"); NULL when the checker reads it */
	const char *dynamic; /* why every program is dynamic, pure Go too
			      * ("it links libc.so"); NULL: pure Go is static */
	bool pie;            /* go's default buildmode is pie */
} xb_osinfo;
/* The facts of GOOS os; NULL for one xbuild does not know. */
const xb_osinfo *xb_os_info(const char *os);

#endif
