/* run-artifact.h: what runs on a built artifact besides go (run-artifact.c),
 * private to the run engine (run.c). */
#ifndef XB_RUN_ARTIFACT_H
#define XB_RUN_ARTIFACT_H

#include "xbuild.h"

/* Run hooks (t's plan's pre or post; what names them in messages) in
 * turn on the artifact at path, with the build's environment; the first
 * that fails stops them. */
xb_code xb_run_hooks(const xb_run_target *t, const xb_strv *hooks,
		     const char *what, const char *path, xb_err *err);

/* Run the artifact at t->tmp with the profile's smoke arguments: natively
 * on the host's OS and arch (o->hostos, o->hostarch), and for 386 on
 * amd64 when the host can (its kernel and loader decide); under
 * qemu-user otherwise, for Linux targets.  Its exit code goes in
 * t->smoke_exit; a non-zero one fails. */
xb_code xb_run_smoke(const xb_run_opts *o, xb_run_target *t, xb_err *err);

#endif
