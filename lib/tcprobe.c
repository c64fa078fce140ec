/* tcprobe.c: prove a C compiler for a Go target.  The test program is
 * compiled and linked, dynamically and statically, and what came out is
 * read by the checker (xb_inspect), never run: the format, machine and
 * interpreter say which target and libc the compiler really serves.
 * Proofs are remembered under cache/probe, keyed by the compiler's path,
 * size and mtime. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tcprobe.h"

#define PROBE_VERSION "4"
#define OUT_MAX (64 * 1024)

/* ---- reading what the test link produced ---------------------------- */

/* What the probe needs of a test link, read by the checker. */
xb_code xb_tc_read_binary(const char *path, xb_tc_binfo *bi, xb_err *err)
{
	xb_facts f;
	xb_code rc;

	memset(bi, 0, sizeof(*bi));
	xb_facts_init(&f);
	rc = xb_inspect(path, &f, err);
	if (rc == XB_ERR_UNSUPPORTED)
		xb_fail(err, XB_ERR_FORMAT, "'%s' is not ELF, PE or Mach-O", path);
	if (!rc || rc == XB_ERR_FORMAT) {
		if (f.format)
			snprintf(bi->format, sizeof(bi->format), "%s",
				 !strcmp(f.format, "macho-fat") ? "macho" : f.format);
		bi->bits = f.bits;
		bi->machine = f.machine;
		if (f.interpreter)
			snprintf(bi->interp, sizeof(bi->interp), "%s", f.interpreter);
	}
	xb_facts_release(&f);
	return rc == XB_ERR_UNSUPPORTED ? XB_ERR_FORMAT : rc;
}

/* Trim and keep the first line of s in out. */
static void first_line(const char *s, char *out, size_t n)
{
	size_t len;

	while (*s == ' ' || *s == '\n' || *s == '\t')
		s++;
	len = strcspn(s, "\r\n");
	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* Run the compiler with args in cwd: its exit code, or -1.  A compiler
 * that hangs is stopped (xb_run's time limit), said in pr->why, and not
 * run again for this probe. */
static int run_cc(const struct cand *c, const char *const *args,
		  const char *cwd, xb_buf *out, xb_buf *errb, struct probe *pr)
{
	xb_strv argv = XB_STRV_INIT;
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_err e = XB_ERR_INIT;
	int code = -1;

	xb_buf_reset(out);
	xb_buf_reset(errb);
	if (pr->hung)
		return -1;
	xb_strv_pushsv(&argv, &c->cc);
	xb_strv_pushv(&argv, args);
	so.cwd = cwd;
	if (xb_run(xb_strv_argv(&argv), &so, out, errb, &code, &e)) {
		code = -1;
		if (e.code == XB_ERR_TIMEOUT) {
			pr->hung = true;
			snprintf(pr->why, sizeof(pr->why), "%s", xb_errmsg(&e));
		}
	}
	xb_strv_release(&argv);
	return code;
}

static const char *const probe_c =
	"#include <stdio.h>\n"
	"#include <limits.h>\n"
	"int main(void) { puts(\"xbuild probe\"); return 0; }\n";

static const char *libc_of_interp(const char *interp)
{
	if (strstr(interp, "ld-musl"))
		return "musl";
	if (strstr(interp, "ld-linux") || strstr(interp, "ld64.so") ||
	    strstr(interp, "/ld.so"))
		return "glibc";
	return NULL;
}

static const char *macro(const char *defs, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = defs; (p = strstr(p, "#define ")); p++) {
		p += 8;
		if (!strncmp(p, name, n) && p[n] == ' ')
			return p + n + 1;
	}
	return NULL;
}

/* Which libc the test link uses: glibc announces itself in its headers,
 * the interpreter tells musl from glibc; false when the two disagree. */
static bool probe_libc(const struct cand *c, const xb_tc_target *t,
		       const xb_tc_binfo *bi, const char *dir, xb_buf *out,
		       xb_buf *errb, struct probe *pr)
{
	/* glibc announces itself in its headers; musl deliberately does not */
	if (run_cc(c, (const char *const[]){ "-E", "-dM", "probe.c", NULL }, dir,
		   out, errb, pr) == 0) {
		const char *maj = macro(xb_buf_str(out), "__GLIBC__");
		const char *min = macro(xb_buf_str(out), "__GLIBC_MINOR__");
		if (maj && min)
			snprintf(pr->libc_version, sizeof(pr->libc_version), "%d.%d",
				 atoi(maj), atoi(min));
		if (maj)
			strcpy(pr->libc, "glibc");
	}
	if (!strcmp(t->format, "pe"))
		strcpy(pr->libc, "mingw");
	else if (!strcmp(t->format, "macho"))
		strcpy(pr->libc, "macos");
	else if (bi->interp[0] && libc_of_interp(bi->interp)) {
		const char *l = libc_of_interp(bi->interp);
		if (pr->libc[0] && strcmp(pr->libc, l)) {
			snprintf(pr->why, sizeof(pr->why),
				 "headers say %s but it links against %s", pr->libc,
				 bi->interp);
			return false;
		}
		snprintf(pr->libc, sizeof(pr->libc), "%s", l);
	} else if (!pr->libc[0])
		strcpy(pr->libc, "musl");
	return true;
}

/* Why a test link failed: its first line that says error. */
static void link_failed(int code, const xb_buf *out, const xb_buf *errb,
			struct probe *pr)
{
	char line[200];
	const char *msg = errb->len ? xb_buf_str(errb) : xb_buf_str(out);
	const char *e1 = strstr(msg, "error");

	while (e1 && e1 > msg && e1[-1] != '\n')
		e1--;
	first_line(e1 ? e1 : msg, line, sizeof(line));
	if (pr->hung)
		return; /* pr->why says so */
	if (code < 0)
		snprintf(pr->why, sizeof(pr->why), "cannot run it");
	else
		snprintf(pr->why, sizeof(pr->why),
			 "cannot link a test program (exit %d%s%s)", code,
			 line[0] ? ": " : "", line);
}

/* Compile and link the test program with c and judge the result. */
static void prove(const struct cand *c, const xb_tc_target *t,
		  struct probe *pr)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], path[PATH_MAX + 32];
	xb_buf out, errb;
	xb_tc_binfo bi;
	xb_err e = XB_ERR_INIT;
	int fd, code;
	bool made;

	memset(pr, 0, sizeof(*pr));
	xb_buf_init(&out, OUT_MAX);
	xb_buf_init(&errb, OUT_MAX);
	snprintf(dir, sizeof(dir), "%s/xbuild-probe-XXXXXX",
		 tmp && *tmp == '/' && strlen(tmp) < 512 ? tmp : "/tmp");
	made = mkdtemp(dir) != NULL;
	if (!made) {
		snprintf(pr->why, sizeof(pr->why), "cannot create a temp folder");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/probe.c", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, probe_c, strlen(probe_c)) < 0) {
		if (fd >= 0)
			close(fd);
		snprintf(pr->why, sizeof(pr->why), "cannot write the test program");
		goto out;
	}
	close(fd);

	if (run_cc(c, (const char *const[]){ "-dumpmachine", NULL }, dir, &out,
		   &errb, pr) == 0)
		first_line(xb_buf_str(&out), pr->machine, sizeof(pr->machine));

	code = run_cc(c, (const char *const[]){ "-o", "t-dyn", "probe.c", NULL },
		      dir, &out, &errb, pr);
	if (code != 0) {
		link_failed(code, &out, &errb, pr);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/t-dyn", dir);
	if (access(path, F_OK) < 0) /* mingw gcc adds .exe */
		snprintf(path, sizeof(path), "%s/t-dyn.exe", dir);
	if (xb_tc_read_binary(path, &bi, &e)) {
		snprintf(pr->why, sizeof(pr->why), "its test program is unreadable: %s",
			 xb_errmsg(&e));
		goto out;
	}
	if (strcmp(bi.format, t->format) || bi.machine != t->machine ||
	    bi.bits != t->bits) {
		snprintf(pr->why, sizeof(pr->why),
			 "links %s machine %#x %d-bit, not %s machine %#x %d-bit "
			 "(%s/%s)", bi.format, bi.machine, bi.bits, t->format,
			 t->machine, t->bits, t->goos, t->goarch);
		goto out;
	}
	snprintf(pr->interp, sizeof(pr->interp), "%s", bi.interp);

	if (!probe_libc(c, t, &bi, dir, &out, &errb, pr) || pr->hung)
		goto out;

	code = run_cc(c, (const char *const[]){ "-static", "-o", "t-static",
						"probe.c", NULL },
		      dir, &out, &errb, pr);
	snprintf(path, sizeof(path), "%s/t-static", dir);
	if (access(path, F_OK) < 0)
		snprintf(path, sizeof(path), "%s/t-static.exe", dir);
	if (code == 0 && xb_tc_read_binary(path, &bi, NULL) == XB_OK &&
	    !bi.interp[0])
		pr->can_static = true;

	if (run_cc(c, (const char *const[]){ "-print-sysroot", NULL }, dir, &out,
		   &errb, pr) == 0)
		first_line(xb_buf_str(&out), pr->sysroot, sizeof(pr->sysroot));
	pr->ok = !pr->hung;
out:
	xb_buf_release(&out);
	xb_buf_release(&errb);
	if (made) {
		const char *files[] = { "probe.c", "t-dyn", "t-static", "t-dyn.exe",
					"t-static.exe" };
		for (size_t i = 0; i < 5; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			unlink(path);
		}
		rmdir(dir);
	}
}

/* ---- the probe cache ----------------------------------------------------- */

static bool probe_key(const struct cand *c, const xb_tc_target *t,
		      char key[65], char *real, size_t realn)
{
	struct stat st;
	xb_sha256 h;
	unsigned char d[32];
	char *cc = joined(&c->cc), *rp;
	xb_buf b = XB_BUF_INIT;

	if (!cc) /* the key would not name this compiler */
		return false;
	rp = realpath(c->keyexe ? c->keyexe : c->cc.v[0], NULL);
	if (!rp || stat(rp, &st) < 0) {
		free(rp);
		free(cc);
		return false;
	}
	snprintf(real, realn, "%s", rp);
	xb_buf_addf(&b, "v" PROBE_VERSION "\n%s\n%s/%s/%s\n%s\n%lld\n%lld.%09ld\n",
		    cc, t->goos, t->goarch, t->variant ? t->variant : "", rp,
		    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec);
	if (c->cc.v[0] != c->keyexe && c->keyexe) {
		/* a wrapper: its own text matters too */
		if (stat(c->cc.v[0], &st) == 0)
			xb_buf_addf(&b, "%lld.%09ld\n", (long long)st.st_mtim.tv_sec,
				    st.st_mtim.tv_nsec);
	}
	free(rp);
	free(cc);
	if (xb_buf_failed(&b)) {
		xb_buf_release(&b);
		return false;
	}
	xb_sha256_init(&h);
	xb_sha256_update(&h, b.data, b.len);
	xb_sha256_final(&h, d);
	xb_hex(d, 32, key);
	xb_buf_release(&b);
	return true;
}

static void field(const char *text, const char *name, char *out, size_t n)
{
	size_t len = strlen(name);

	out[0] = '\0';
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, name, len) && p[len] == '=') {
			/* not first_line(): it would skip an empty value's
			 * newline and read the next field as this one */
			size_t vlen = strcspn(p + len + 1, "\r\n");
			if (vlen >= n)
				vlen = n - 1;
			memcpy(out, p + len + 1, vlen);
			out[vlen] = '\0';
			return;
		}
	}
}

static bool probe_load(const char *file, struct probe *pr)
{
	xb_buf b;
	char v[16];

	xb_buf_init(&b, 8192);
	if (xb_buf_read_file(&b, file, NULL)) {
		xb_buf_release(&b);
		return false;
	}
	memset(pr, 0, sizeof(*pr));
	field(b.data, "ok", v, sizeof(v));
	pr->ok = !strcmp(v, "1");
	field(b.data, "static", v, sizeof(v));
	pr->can_static = !strcmp(v, "1");
	field(b.data, "why", pr->why, sizeof(pr->why));
	field(b.data, "machine", pr->machine, sizeof(pr->machine));
	field(b.data, "libc", pr->libc, sizeof(pr->libc));
	field(b.data, "libc_version", pr->libc_version, sizeof(pr->libc_version));
	field(b.data, "interp", pr->interp, sizeof(pr->interp));
	field(b.data, "sysroot", pr->sysroot, sizeof(pr->sysroot));
	field(b.data, "hash", pr->hash, sizeof(pr->hash));
	xb_buf_release(&b);
	return true;
}

static void probe_store(const char *dir, const char *file,
			const struct probe *pr)
{
	char tmp[PATH_MAX + 160];
	xb_buf b = XB_BUF_INIT;
	int fd;

	mkdir(dir, 0755);
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", file, (long)getpid());
	xb_buf_addf(&b, "ok=%d\nstatic=%d\nwhy=%s\nmachine=%s\nlibc=%s\n"
		    "libc_version=%s\ninterp=%s\nsysroot=%s\nhash=%s\n", pr->ok,
		    pr->can_static, pr->why, pr->machine, pr->libc,
		    pr->libc_version, pr->interp, pr->sysroot, pr->hash);
	/* a record with a field missing is not stored */
	fd = xb_buf_failed(&b) ? -1 :
		open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		bool ok = write(fd, b.data, b.len) == (ssize_t)b.len;
		close(fd);
		if (!ok || rename(tmp, file) < 0)
			unlink(tmp);
	}
	xb_buf_release(&b);
}

void xb_tc_prove(const struct cand *c, const xb_tc_target *t,
		 const char *cache, bool fresh, struct probe *pr)
{
	char key[65], real[PATH_MAX], file[PATH_MAX + 80], dir[PATH_MAX];
	unsigned char d[32];
	bool keyed = cache && probe_key(c, t, key, real, sizeof(real));

	if (keyed) {
		snprintf(dir, sizeof(dir), "%s/probe", cache);
		snprintf(file, sizeof(file), "%s/%s", dir, key);
		if (!fresh && probe_load(file, pr))
			return;
	}
	prove(c, t, pr);
	if (pr->ok && keyed && xb_sha256_file(real, d, NULL) == XB_OK)
		xb_hex(d, 32, pr->hash);
	if (keyed && !pr->hung) { /* a hang may not happen again */
		mkdir(cache, 0755);
		probe_store(dir, file, pr);
	}
}
