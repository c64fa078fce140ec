/* run-artifact.c: what runs on a built artifact besides go: the
 * profile's pre and post hooks, and the smoke run (natively, or under
 * qemu-user with the target's loader). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xbuild.h"
#include "plan.h"
#include "run-artifact.h"

extern char **environ;

static const char *qemu_for(const char *arch)
{
	static const char *const m[][2] = {
		{ "arm64", "qemu-aarch64" }, { "arm", "qemu-arm" },
		{ "386", "qemu-i386" }, { "amd64", "qemu-x86_64" },
		{ "riscv64", "qemu-riscv64" }, { "ppc64le", "qemu-ppc64le" },
		{ "ppc64", "qemu-ppc64" }, { "s390x", "qemu-s390x" },
		{ "mips", "qemu-mips" }, { "mipsle", "qemu-mipsel" },
		{ "mips64", "qemu-mips64" }, { "mips64le", "qemu-mips64el" },
		{ "loong64", "qemu-loongarch64" },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (!strcmp(m[i][0], arch))
			return m[i][1];
	return NULL;
}

/* The folder qemu-user takes as -L for a dynamic artifact: the first of
 * the profile's sysroot, the compiler's libc and Debian's cross folder
 * /usr/<triplet> that holds its interpreter; "/" when none does.  Caller
 * frees. */
static char *loader_root(const xb_plan *pl, const char *interp)
{
	xb_buf b = XB_BUF_INIT;
	char *cand[3] = { NULL, NULL, NULL }, *root = NULL;

	cand[0] = pl->sysroot ? strdup(pl->sysroot) : NULL;
	cand[1] = pl->cc.libc_sysroot ? strdup(pl->cc.libc_sysroot) : NULL;
	if (pl->cc.triplet && *pl->cc.triplet &&
	    !xb_buf_addf(&b, "/usr/%s", pl->cc.triplet))
		cand[2] = xb_buf_take(&b);
	for (size_t i = 0; i < 3; i++) {
		char *p = cand[i] && strcmp(cand[i], "/") ?
			xb_path_join(cand[i], interp) : NULL;

		if (!root && p && access(p, F_OK) == 0) {
			root = cand[i];
			cand[i] = NULL;
		}
		free(p);
		free(cand[i]);
	}
	xb_buf_release(&b);
	return root ? root : strdup("/");
}

/* One smoke run of argv, its exit code in t->smoke_exit; a non-zero one
 * fails with what the artifact said. */
static xb_code smoke_run(xb_run_target *t, const xb_strv *argv,
			  const xb_strv *envp, xb_err *err)
{
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_buf out;
	int code = -1;
	xb_code rc;

	so.envp = envp ? xb_strv_argv(envp) : NULL;
	xb_buf_init(&out, 64 * 1024);
	rc = xb_run(xb_strv_argv(argv), &so, &out, &out, &code, err);
	if (rc == XB_ERR_TOO_BIG)
		rc = XB_OK; /* lots of output is fine */
	if (!rc) {
		t->smoke_exit = code;
		if (code != 0) {
			size_t len = out.len > 400 ? 400 : out.len;
			rc = xb_fail(err, XB_ERR_CHILD, "smoke run exited %d%s%.*s",
				     code, len ? ": " : "", (int)len,
				     xb_buf_str(&out));
		}
	}
	xb_buf_release(&out);
	return rc;
}

xb_code xb_run_smoke(const xb_run_opts *o, xb_run_target *t, xb_err *err)
{
	const xb_plan *pl = t->plan;
	const char *hostos = o->hostos ? o->hostos : "";
	const char *hostarch = o->hostarch ? o->hostarch : "";
	const char *interp = t->facts.interpreter, *godebug;
	xb_strv argv = XB_STRV_INIT, envp = XB_STRV_INIT;
	xb_buf gd = XB_BUF_INIT;
	xb_code rc = XB_OK;
	bool same_os = !strcmp(pl->goos, hostos);
	bool native = same_os && !strcmp(pl->goarch, hostarch);
	bool compat = same_os && !strcmp(pl->goarch, "386") &&
		!strcmp(hostarch, "amd64");
	const char *q;

	if (!native && strcmp(pl->goos, "linux")) {
		/* proven by the checker, but nothing here can run it */
		xb_strv_pushf(&t->diagnoses, "smoke run skipped: nothing here "
			      "runs %s binaries", pl->goos);
		return XB_OK;
	}
	if (native || compat) {
		/* a path, so that it is never looked up in PATH */
		if (!strchr(t->tmp, '/'))
			xb_strv_pushf(&argv, "./%s", t->tmp);
		else
			xb_strv_push(&argv, t->tmp);
		xb_strv_pushsv(&argv, &pl->smoke);
		rc = smoke_run(t, &argv, NULL, err);
		xb_strv_release(&argv);
		/* a kernel without 32-bit support, or no such loader here */
		if (native || (rc != XB_ERR_UNSUPPORTED && rc != XB_ERR_SPAWN))
			return rc;
		rc = XB_OK;
	}
	if (!(q = qemu_for(pl->goarch)))
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "smoke run: no qemu-user for %s", pl->goarch);
	xb_strv_push(&argv, q);
	if (interp) {
		/* dynamic: the loader and libraries of the target */
		char *root = loader_root(pl, interp);


		xb_strv_push(&argv, "-L");
		xb_strv_push(&argv, root ? root : "/");
		free(root);
	}
	xb_strv_push(&argv, t->tmp);
	xb_strv_pushsv(&argv, &pl->smoke);
	/* qemu-user's signal delivery breaks Go's asynchronous preemption
	 * (386 artifacts die in mcall): the run goes without it */
	xb_strv_pushv(&envp, (const char *const *)environ);
	godebug = xb_strv_getenv(&envp, "GODEBUG");
	xb_buf_addf(&gd, "%s%sasyncpreemptoff=1", godebug ? godebug : "",
		    godebug && *godebug ? "," : "");
	xb_strv_setenv(&envp, "GODEBUG", xb_buf_str(&gd));
	rc = smoke_run(t, &argv, &envp, err);
	xb_strv_release(&argv);
	xb_strv_release(&envp);
	xb_buf_release(&gd);
	return rc;
}

/* The last line of a hook's output, for its error. */
static const char *last_line(xb_buf *b)
{
	char *s = b->data, *nl;

	if (!s || !b->len)
		return "";
	while (b->len && (s[b->len - 1] == '\n' || s[b->len - 1] == '\r'))
		s[--b->len] = '\0';
	nl = strrchr(s, '\n');
	return nl ? nl + 1 : s;
}

xb_code xb_run_hooks(const xb_run_target *t, const xb_strv *hooks,
		     const char *what, const char *path, xb_err *err)
{
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_code rc = XB_OK;

	so.envp = t->job.envp;
	for (size_t i = 0; i < hooks->n && !rc; i++) {
		xb_strv argv = XB_STRV_INIT;
		xb_buf out = XB_BUF_INIT;
		int code = 0;

		if (!(rc = xb_plan_hook(t->plan, hooks->v[i], path, &argv, err)))
			rc = xb_run(xb_strv_argv(&argv), &so, &out, &out, &code,
				    err);
		if (rc)
			rc = xb_prefix(err, rc, "%s hook '%s'", what, hooks->v[i]);
		else if (code)
			rc = xb_fail(err, XB_ERR_CHILD, "%s hook '%s' exited %d%s%s",
				     what, hooks->v[i], code, out.len ? ": " : "",
				     last_line(&out));
		xb_strv_release(&argv);
		xb_buf_release(&out);
	}
	return rc;
}

