/* test_goenv.c: goenv against a stand-in go command: version, GOROOT,
 * host, `go tool dist list -json`, `go list -deps` and its cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opens),
		cmocka_unit_test(cgo_link_cache),
		cmocka_unit_test(switches_release),
		cmocka_unit_test(missing_go),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
