/* test_goenv.c: goenv against a stand-in go command: version, GOROOT,
 * host, `go tool dist list -json`, `go list -deps` and its cache. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "cgolink.h"
#include "goenv.h"

static char dir[64], gopath[96], logpath[96];

static const char script[] =
	"#!/bin/sh\n"
	"echo \"$GOTOOLCHAIN|$GOFLAGS|$GOOS/$GOARCH/$CGO_ENABLED $*\" >>\"$LOG\"\n"
	"case \"$1\" in\n"
	"env)\n"
	"  [ \"$2\" = GOMODCACHE ] && { echo /fake/mod; exit 0; }\n"
	"  case $GOTOOLCHAIN in\n"
	"  go1.27.9) echo 'go: downloading go1.27.9 (linux/amd64)' >&2\n"
	"    echo 'go: download go1.27.9 for linux/amd64: toolchain not available' >&2\n"
	"    exit 1 ;;\n"
	"  go1.*) printf '%s\\n/fake/mod/golang.org/toolchain@v0.0.1-%s.linux-amd64\\n"
	"linux\\namd64\\n' $GOTOOLCHAIN $GOTOOLCHAIN ;;\n"
	"  *) printf 'go1.21.4\\n/fake/goroot\\nlinux\\namd64\\n' ;;\n"
	"  esac ;;\n"
	"tool) cat <<'J'\n"
	"[\n"
	"\t{\n\t\t\"GOOS\": \"linux\",\n\t\t\"GOARCH\": \"amd64\",\n"
	"\t\t\"CgoSupported\": true,\n\t\t\"FirstClass\": true\n\t},\n"
	"\t{\n\t\t\"GOOS\": \"windows\",\n\t\t\"GOARCH\": \"arm64\",\n"
	"\t\t\"CgoSupported\": false,\n\t\t\"FirstClass\": false\n\t}\n"
	"]\n"
	"J\n"
	";;\n"
	"list)\n"
	"  case \"$3\" in -json=*)\n"
	"    echo \"cgolink CC=$CC GOFLAGS=$GOFLAGS\" >>\"$LOG\"\n"
	"    case \"$*\" in *broken*) echo 'no Go files' >&2; exit 1;; esac\n"
	"    printf '{\"ImportPath\": \"runtime/cgo\", \"Standard\": true}\\n"
	"{\"ImportPath\": \"example.com/m/c\", \"CgoFiles\": [\"c.go\"], "
	"\"CgoLDFLAGS\": [\"-lfoo\"], \"CgoPkgConfig\": [\"bar\"]}\\n'\n"
	"    exit 0;;\n"
	"  esac\n"
	"  case \"$*\" in *broken*) echo 'cannot find package \"broken\"' >&2; exit 1;; esac\n"
	"  case \"$*\" in *remembered*) [ -n \"$EDIT\" ] && echo '// edited' >>\"$EDIT\"\n"
	"    echo \"example.com/m/remembered|false|0|fmt||$PKGDIR\"; exit 0;; esac\n"
	"  case \"$*\" in *rtcgo*) printf 'runtime/cgo|true|3|runtime\\nexample.com/m/rtcgo|false|0|fmt,runtime/cgo\\n'; exit 0;; esac\n"
	"  printf 'runtime|true|0|internal/abi\\nruntime/cgo|true|3|runtime\\n"
	"net|true|2|runtime/cgo\\nos/user|true|1|runtime/cgo\\n"
	"example.com/m/c|false|1|runtime/cgo\\n"
	"example.com/m/cmd/app|false|0|example.com/m/c,net,os/user\\n'\n"
	";;\n"
	"esac\n";

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/xb-goenv-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(gopath, sizeof(gopath), "%s/go", dir);
	snprintf(logpath, sizeof(logpath), "%s/log", dir);
	f = fopen(gopath, "w");
	if (!f)
		return -1;
	fputs(script, f);
	fclose(f);
	chmod(gopath, 0755);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(gopath);
	unlink(logpath);
	rmdir(dir);
	return 0;
}

/* What the stand-in go logged: one line per run, with its environment. */
static void read_log(char *buf, size_t n)
{
	FILE *f = fopen(logpath, "r");

	assert_non_null(f);
	buf[fread(buf, 1, n - 1, f)] = '\0';
	fclose(f);
}

static void opens(void **state)
{
	char logenv[128];
	const char *envp[] = { "PATH=/usr/bin:/bin", logenv, "GOFLAGS=-race",
			       NULL };
	xb_err err = XB_ERR_INIT;
	xb_goenv g;
	const xb_pkginfo *i, *i2;
	char buf[4096] = "";

	(void)state;
	snprintf(logenv, sizeof(logenv), "LOG=%s", logpath);
	xb_goenv_init(&g);
	assert_int_equal(xb_goenv_open(&g, gopath, envp, &err), XB_OK);
	assert_string_equal(g.version, "go1.21.4");
	assert_int_equal(g.minor, 21);
	assert_int_equal(g.patch, 4);
	assert_string_equal(g.goroot, "/fake/goroot");
	assert_string_equal(g.hostos, "linux");
	assert_string_equal(g.hostarch, "amd64");
	assert_int_equal(g.nports, 2);
	assert_true(xb_goenv_port(&g, "linux", "amd64")->cgo);
	assert_false(xb_goenv_port(&g, "windows", "arm64")->cgo);
	assert_null(xb_goenv_port(&g, "plan9", "arm64"));

	assert_int_equal(xb_goenv_pkginfo(&g, "./cmd/app", "linux", "arm64",
					  "a,b", &i, &err), XB_OK);
	assert_true(i->ok);
	assert_string_equal(i->name, "app");
	assert_true(i->net_cgo);
	assert_true(i->osuser_cgo);
	assert_true(i->rtcgo);
	assert_false(i->rtcgo_direct);
	assert_false(i->plugin);
	assert_int_equal(i->user_cgo.n, 1);
	assert_string_equal(i->user_cgo.v[0], "example.com/m/c");
	assert_int_equal(g.list_runs, 1);
	/* the same question is answered from the cache */
	assert_int_equal(xb_goenv_pkginfo(&g, "./cmd/app", "linux", "arm64",
					  "a,b", &i2, &err), XB_OK);
	assert_int_equal(g.list_runs, 1);
	/* another GOARCH or other tags can differ: asked again */
	assert_int_equal(xb_goenv_pkginfo(&g, "./cmd/app", "linux", "386",
					  "a,b", &i2, &err), XB_OK);
	assert_int_equal(xb_goenv_pkginfo(&g, "./cmd/app", "linux", "arm64",
					  "", &i2, &err), XB_OK);
	assert_int_equal(g.list_runs, 3);
	/* import _ "runtime/cgo" from a package without C */
	assert_int_equal(xb_goenv_pkginfo(&g, "./rtcgo", "linux", "amd64",
					  NULL, &i2, &err), XB_OK);
	assert_true(i2->rtcgo_direct);
	assert_int_equal(i2->user_cgo.n, 0);
	/* a package that cannot be loaded is an answer, not a failure */
	assert_int_equal(xb_goenv_pkginfo(&g, "./broken", "linux", "amd64",
					  NULL, &i2, &err), XB_OK);
	assert_false(i2->ok);
	assert_string_equal(i2->error, "cannot find package \"broken\"");

	/* what go ran with: no GOFLAGS leak, GOTOOLCHAIN=local, cgo
	 * visible, the target's GOOS/GOARCH, the tags */
	read_log(buf, sizeof(buf));
	assert_non_null(strstr(buf, "local||// env GOVERSION GOROOT GOHOSTOS GOHOSTARCH\n"));
	assert_non_null(strstr(buf, "local||linux/arm64/1 list -deps -buildvcs=false -f "));
	assert_non_null(strstr(buf, "-tags a,b -- ./cmd/app\n"));
	xb_goenv_release(&g);
}

static void cgo_link_cache(void **state)
{
	char logenv[128];
	const char *envp[] = { "PATH=/usr/bin:/bin", logenv, NULL };
	const char *build[] = { "PATH=/usr/bin:/bin", logenv, "GOFLAGS=-x",
				"CC=wrong", NULL };
	xb_err err = XB_ERR_INIT;
	xb_goenv g;
	const xb_cgolink *q, *q2;
	const char *error;
	char buf[8192] = "";

	(void)state;
	unlink(logpath);
	snprintf(logenv, sizeof(logenv), "LOG=%s", logpath);
	xb_goenv_init(&g);
	assert_int_equal(xb_goenv_open(&g, gopath, envp, &err), XB_OK);
	assert_int_equal(xb_goenv_cgolink(&g, "./cmd/app", "linux", "arm64",
					  "a,b", "aarch64-linux-gnu-gcc", build,
					  &q, &error, &err), XB_OK);
	assert_null(error);
	assert_non_null(q);
	assert_true(q->cgo);
	assert_true(q->runtime_cgo);
	assert_int_equal(q->n, 1);
	assert_string_equal(q->pkgs[0].import_path, "example.com/m/c");
	assert_string_equal(q->pkgs[0].ldflags.v[0], "-lfoo");
	assert_string_equal(q->pkgs[0].pkg_config.v[0], "bar");
	assert_int_equal(g.list_runs, 1);
	/* the same question: from the cache */
	assert_int_equal(xb_goenv_cgolink(&g, "./cmd/app", "linux", "arm64",
					  "a,b", "aarch64-linux-gnu-gcc", build,
					  &q2, &error, &err), XB_OK);
	assert_ptr_equal(q, q2);
	assert_int_equal(g.list_runs, 1);
	/* another compiler or other tags: asked again */
	assert_int_equal(xb_goenv_cgolink(&g, "./cmd/app", "linux", "arm64",
					  "a,b", "aarch64-linux-musl-gcc", build,
					  &q2, &error, &err), XB_OK);
	assert_int_equal(xb_goenv_cgolink(&g, "./cmd/app", "linux", "arm64",
					  NULL, "aarch64-linux-gnu-gcc", build,
					  &q2, &error, &err), XB_OK);
	assert_int_equal(g.list_runs, 3);
	/* a package go list cannot load: an answer, cached too */
	assert_int_equal(xb_goenv_cgolink(&g, "./broken", "linux", "amd64",
					  NULL, "gcc", NULL, &q2, &error, &err),
			 XB_OK);
	assert_null(q2);
	assert_non_null(strstr(error, "no Go files"));
	assert_int_equal(xb_goenv_cgolink(&g, "./broken", "linux", "amd64",
					  NULL, "gcc", NULL, &q2, &error, &err),
			 XB_OK);
	assert_int_equal(g.list_runs, 4);
	/* it ran with the build's CC, the tags in GOFLAGS, nothing else */
	read_log(buf, sizeof(buf));
	assert_non_null(strstr(buf, "cgolink CC=aarch64-linux-gnu-gcc GOFLAGS=-buildvcs=false -tags=a,b\n"));
	assert_non_null(strstr(buf, "cgolink CC=aarch64-linux-musl-gcc GOFLAGS=-buildvcs=false -tags=a,b\n"));
	assert_non_null(strstr(buf, "cgolink CC=aarch64-linux-gnu-gcc GOFLAGS=-buildvcs=false\n"));
	assert_non_null(strstr(buf, "linux/arm64/1 list -deps -json="));
	xb_goenv_release(&g);
}

/* One run of xb_goenv_pkginfo in moddir with envp: how many times go
 * list ran, and what the go list cache said. */
static unsigned one_run(const char *const *envp, const char *moddir,
			const char **cache)
{
	xb_err err = XB_ERR_INIT;
	const xb_pkginfo *i;
	xb_goenv g;
	unsigned runs;

	xb_goenv_init(&g);
	assert_int_equal(xb_goenv_open(&g, gopath, envp, &err), XB_OK);
	g.dir = strdup(moddir);
	assert_int_equal(xb_goenv_pkginfo(&g, "./remembered", "linux", "amd64",
					  NULL, &i, &err), XB_OK);
	assert_true(i->ok);
	assert_string_equal(i->name, "remembered");
	*cache = i->cache;
	runs = g.list_runs;
	xb_goenv_release(&g);
	return runs;
}

static void write_aged(const char *path, const char *text)
{
	struct timespec t[2];
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 60;
	t[1] = t[0];
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	/* and its folder */
	{
		char *folder = strdup(path);
		*strrchr(folder, '/') = '\0';
		assert_int_equal(utimensat(AT_FDCWD, folder, t, 0), 0);
		free(folder);
	}
}

/* Answers remembered across runs (the go list cache): a second run asks
 * go nothing; an answer given while go.mod changed under go is not kept
 * under go.mod's earlier state; XBUILD_GOLIST_CACHE=off asks go. */
static void remembers_across_runs(void **state)
{
	char top[64], moddir[96], p[160], env_pkg[192], env_home[96],
	     env_edit[192];
	const char *envp[] = { "PATH=/usr/bin:/bin", env_pkg, env_home, NULL,
			       NULL };
	const char *cache;

	(void)state;
	snprintf(top, sizeof(top), "/tmp/xb-goenv-rem-XXXXXX");
	assert_non_null(mkdtemp(top));
	snprintf(moddir, sizeof(moddir), "%s/mod", top);
	snprintf(p, sizeof(p), "%s/mod/p", top);
	assert_int_equal(xb_mkdir_p(p, NULL), XB_OK);
	snprintf(env_pkg, sizeof(env_pkg), "PKGDIR=%s", p);
	snprintf(env_home, sizeof(env_home), "HOME=%s", top);
	snprintf(p, sizeof(p), "%s/cache", top);
	setenv("XBUILD_CACHE", p, 1);
	snprintf(p, sizeof(p), "%s/mod/go.mod", top);
	write_aged(p, "module example.com/m\n");
	snprintf(env_edit, sizeof(env_edit), "EDIT=%s", p);
	snprintf(p, sizeof(p), "%s/mod/p/p.go", top);
	write_aged(p, "package p\n");

	assert_int_equal(one_run(envp, moddir, &cache), 1);
	assert_string_equal(cache, "miss");
	assert_int_equal(one_run(envp, moddir, &cache), 0);
	assert_string_equal(cache, "hit");
	/* the folder changes, and go.mod while go runs */
	snprintf(p, sizeof(p), "%s/mod/p/q.go", top);
	write_aged(p, "package p\n");
	envp[3] = env_edit;
	assert_int_equal(one_run(envp, moddir, &cache), 1);
	envp[3] = NULL;
	/* go.mod as it was: that answer was not kept under it */
	snprintf(p, sizeof(p), "%s/mod/go.mod", top);
	write_aged(p, "module example.com/m\n");
	assert_int_equal(one_run(envp, moddir, &cache), 1);
	assert_string_equal(cache, "miss");
	assert_int_equal(one_run(envp, moddir, &cache), 0);
	/* turned off */
	setenv("XBUILD_GOLIST_CACHE", "off", 1);
	assert_int_equal(one_run(envp, moddir, &cache), 1);
	assert_null(cache);
	unsetenv("XBUILD_GOLIST_CACHE");
	unsetenv("XBUILD_CACHE");
	assert_int_equal(xb_rm_rf(top, NULL), XB_OK);
}

/* The release a run uses: go runs with GOTOOLCHAIN=<release> and is asked
 * again; a release it cannot fetch is named with how to fetch it. */
static void switches_release(void **state)
{
	char logenv[128];
	const char *envp[] = { "PATH=/usr/bin:/bin", logenv, "GOPROXY=off", NULL };
	xb_err err = XB_ERR_INIT;
	xb_goenv g;
	xb_gochoice c;
	char buf[4096] = "";

	(void)state;
	unlink(logpath);
	snprintf(logenv, sizeof(logenv), "LOG=%s", logpath);
	xb_goenv_init(&g);
	xb_gochoice_init(&c);
	assert_int_equal(xb_goenv_open(&g, gopath, envp, &err), XB_OK);
	assert_string_equal(g.version, "go1.21.4");
	/* the local release: GOTOOLCHAIN=local, nothing asked again */
	c.version = strdup("go1.21.4");
	c.why = strdup("the local go");
	assert_int_equal(xb_goenv_use(&g, &c, &err), XB_OK);
	assert_string_equal(g.toolchain, "local");
	assert_string_equal(g.chosen.source, "local");
	assert_string_equal(xb_strv_getenv(&g.envp, "GOTOOLCHAIN"), "local");
	/* another one: go switches, and its answers are that release's */
	xb_gochoice_release(&c);
	c.version = strdup("go1.27.3");
	c.source = "--set";
	c.why = strdup("--set go_version=go1.27.3");
	assert_int_equal(xb_goenv_use(&g, &c, &err), XB_OK);
	assert_string_equal(g.version, "go1.27.3");
	assert_int_equal(g.minor, 27);
	assert_string_equal(g.toolchain, "go1.27.3");
	assert_string_equal(g.local_version, "go1.21.4");
	assert_string_equal(g.chosen.why, "--set go_version=go1.27.3");
	assert_non_null(strstr(g.goroot, "toolchain@v0.0.1-go1.27.3.linux-amd64"));
	assert_string_equal(xb_strv_getenv(&g.envp, "GOTOOLCHAIN"), "go1.27.3");
	assert_int_equal(g.nports, 2);
	read_log(buf, sizeof(buf));
	assert_non_null(strstr(buf, "go1.27.3||// env GOVERSION GOROOT GOHOSTOS GOHOSTARCH\n"));
	assert_non_null(strstr(buf, "go1.27.3||// tool dist list -json\n"));

	/* one go cannot fetch, offline: the release, why and how */
	xb_gochoice_release(&c);
	c.version = strdup("go1.27.9");
	c.source = "profile";
	c.why = strdup("go_version: go1.27.9 at p.yaml:3:3");
	assert_int_equal(xb_goenv_use(&g, &c, &err), XB_ERR_OFFLINE);
	assert_string_equal(err.msg, "cannot get Go go1.27.9 (go_version: "
			    "go1.27.9 at p.yaml:3:3): it is not in the module "
			    "cache, and GOPROXY=off forbids downloading it (go: "
			    "download go1.27.9 for linux/amd64: toolchain not "
			    "available); fetch it once where the module proxy is "
			    "reachable: GOTOOLCHAIN=go1.27.9 go version");
	xb_goenv_release(&g);

	/* go cannot fetch releases older than Go 1.21 */
	xb_goenv_init(&g);
	assert_int_equal(xb_goenv_open(&g, gopath, envp, &err), XB_OK);
	xb_gochoice_release(&c);
	c.version = strdup("go1.20.5");
	assert_int_equal(xb_goenv_use(&g, &c, &err), XB_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "go fetches releases from Go 1.21.0 on"));
	/* nor does a go command older than 1.21 switch at all */
	xb_goenv_release(&g);
	xb_goenv_init(&g);
	assert_int_equal(xb_goenv_open(&g, gopath, envp, &err), XB_OK);
	assert_int_equal(xb_goenv_set_version(&g, "go1.19.8", &err), XB_OK);
	xb_gochoice_release(&c);
	c.version = strdup("go1.27.3");
	assert_int_equal(xb_goenv_use(&g, &c, &err), XB_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "is go1.19.8, which cannot switch to "
			       "another release (GOTOOLCHAIN needs Go 1.21)"));
	xb_gochoice_release(&c);
	xb_goenv_release(&g);
}

static void missing_go(void **state)
{
	const char *envp[] = { "PATH=/nonexistent", NULL };
	xb_err err = XB_ERR_INIT;
	xb_goenv g;

	(void)state;
	xb_goenv_init(&g);
	/* a name that is not "go": no fallback to the installer's place */
	assert_int_equal(xb_goenv_open(&g, "no-such-go", envp, &err), XB_ERR_NOTFOUND);
	assert_string_equal(err.msg, "cannot find the go command 'no-such-go' in "
			    "PATH (use --go PATH)");
	xb_goenv_release(&g);
}

/* A go whose `go tool dist list -json` prints the file $DIST. */
static const char dist_script[] =
	"#!/bin/sh\n"
	"case \"$1\" in\n"
	"env) printf 'go1.21.4\\n/fake/goroot\\nlinux\\namd64\\n' ;;\n"
	"tool) cat \"$DIST\" ;;\n"
	"esac\n";

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Open goenv on root/go, whose dist list is text, with the answers cache
 * under cache (XBUILD_CACHE). */
static xb_code open_with_dist(const char *root, const char *cache,
			      const char *text, xb_goenv *g, xb_err *err)
{
	char go[128], dist[128], distenv[160];
	const char *envp[] = { "PATH=/usr/bin:/bin", distenv, NULL };

	snprintf(go, sizeof(go), "%s/go", root);
	snprintf(dist, sizeof(dist), "%s/dist.json", root);
	snprintf(distenv, sizeof(distenv), "DIST=%s", dist);
	write_text(dist, text);
	assert_int_equal(setenv("XBUILD_CACHE", cache, 1), 0);
	xb_goenv_init(g);
	return xb_goenv_open(g, go, envp, err);
}

/* The one answers file under cache/goenv into buf. */
static void read_answers(const char *cache, char *buf, size_t n)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	FILE *f;

	snprintf(path, sizeof(path), "%s/goenv", cache);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) && de->d_name[0] == '.')
		;
	assert_non_null(de);
	snprintf(path, sizeof(path), "%s/goenv/%s", cache, de->d_name);
	closedir(d);
	f = fopen(path, "r");
	assert_non_null(f);
	buf[fread(buf, 1, n - 1, f)] = '\0';
	fclose(f);
}

static void dist_list_escapes_and_odd_input(void **state)
{
	static const char escaped[] =
		"[{\"GOOS\": \"li\\u006eux\", \"GOARCH\": \"arm\\u0036\\u0034\", "
		"\"Note\": \"a \\\"quoted\\\" } ] value\", \"CgoSupported\": true, "
		"\"FirstClass\": false},\n"
		" {\"FirstClass\": true, \"GOARCH\": \"386\", \"GOOS\": \"plan9\", "
		"\"CgoSupported\": false, \"Extra\": {\"GOOS\": \"x\"}}]\n";
	static const struct { const char *text, *msg; } bad[] = {
		{ "", "go tool dist list -json: line 1:" },
		{ "{\"GOOS\": \"linux\"}", "expected a JSON array" },
		{ "[1]", "entry 1 is not an object" },
		{ "[{\"GOOS\": \"linux\", \"GOARCH\": \"amd64\"}, {\"GOOS\": \"linux\"}]",
		  "entry 2 has no GOOS/GOARCH string" },
		{ "[{\"GOOS\": 5, \"GOARCH\": \"amd64\"}]", "entry 1 has no GOOS" },
		{ "[{\"GOOS\": \"linux\", \"GOARCH\": \"amd64\"", "line 1:" },
		{ "[{\"GOOS\": \"li\\u0000nux\", \"GOARCH\": \"amd64\"}]", "line 1:" },
		{ "[{\"GOOS\": \"linux\", \"GOARCH\": \"amd64\"}] trailing", "line 1:" },
	};
	const char *old = getenv("XBUILD_CACHE");
	char *saved = old ? strdup(old) : NULL;
	char root[128], cache[160], go[160], answers[4096];
	xb_err err = XB_ERR_INIT;
	xb_goenv g;
	const xb_goport *p;

	(void)state;
	snprintf(root, sizeof(root), "%s/dist", dir);
	assert_int_equal(xb_mkdir_p(root, NULL), XB_OK);
	snprintf(go, sizeof(go), "%s/go", root);
	write_text(go, dist_script);
	assert_int_equal(chmod(go, 0755), 0);

	/* escapes are decoded; a quote and brackets inside a string are text */
	snprintf(cache, sizeof(cache), "%s/cache-ok", root);
	assert_int_equal(open_with_dist(root, cache, escaped, &g, &err), XB_OK);
	assert_int_equal(g.nports, 2);
	p = xb_goenv_port(&g, "linux", "arm64");
	assert_non_null(p);
	assert_true(p->cgo);
	assert_false(p->first_class);
	p = xb_goenv_port(&g, "plan9", "386");
	assert_non_null(p);
	assert_false(p->cgo);
	assert_true(p->first_class);
	xb_goenv_release(&g);
	/* the answers cache keeps go's text as it was, readable, and is read
	 * back by the same parser: the dist list changed, the answer did not */
	assert_int_equal(open_with_dist(root, cache, "[]", &g, &err), XB_OK);
	assert_int_equal(g.nports, 2);
	assert_non_null(xb_goenv_port(&g, "linux", "arm64"));
	xb_goenv_release(&g);
	read_answers(cache, answers, sizeof(answers));
	assert_non_null(strstr(answers, "\n--\n"));
	assert_string_equal(strstr(answers, "\n--\n") + 4, escaped);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cache, sizeof(cache), "%s/cache-%zu", root, i);
		memset(&err, 0, sizeof(err));
		assert_int_equal(open_with_dist(root, cache, bad[i].text, &g,
						&err), XB_ERR_FORMAT);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, bad[i].msg);
		xb_goenv_release(&g);
	}

	if (saved)
		setenv("XBUILD_CACHE", saved, 1);
	else
		unsetenv("XBUILD_CACHE");
	free(saved);
	assert_int_equal(xb_rm_rf(root, NULL), XB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opens),
		cmocka_unit_test(cgo_link_cache),
		cmocka_unit_test(remembers_across_runs),
		cmocka_unit_test(switches_release),
		cmocka_unit_test(missing_go),
		cmocka_unit_test(dist_list_escapes_and_odd_input),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
