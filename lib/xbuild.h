/*
 * xbuild.h: the public interface of libxbuild, the one header cmd/
 * includes.  It is four files, by stage: xbuild-base.h (the basics:
 * err, buf, strv, json, hash, version, spawn, fs), xbuild-check.h (the
 * checker: facts, expectations), this one (profile, Go, plan, toolchains)
 * and xbuild-run.h (run and release), which this one includes.
 *
 * The library never prints, exits or prompts.  Functions that can fail
 * return an xb_code and, when given one, fill a caller-owned xb_err with a
 * message that names what failed and where.  cmd/ turns these into text,
 * JSON and exit codes.
 *
 * Naming: a struct S has S_init (make it empty and usable), S_release (free
 * what it owns, leave it empty and reusable) and S_free (release, then free
 * the struct itself).  Every function returning a pointer says who frees it.
 *
 * The header is grouped by module, in pipeline order.  It holds what cmd/
 * calls, the types those need, and the basics (err, buf, strv, json, hash,
 * version, fs) and spawn.c whole; what only lib/ and the tests use is
 * declared in a private header beside its module (lib/NAME.h, lib/bin/).
 */
#ifndef XBUILD_H
#define XBUILD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "xbuild-base.h"

#define XB_VERSION "0.1.0"

#include "xbuild-check.h"

/* ------------------------------------------------------------------ */
/* profile.c: YAML build profiles, resolved per target                 */
/* ------------------------------------------------------------------ */

/* Where a value came from.  line 0: not from a file ("<built-in>",
 * "<command line>"); file points into xb_profile.files or is static. */
typedef struct xb_pos {
	const char *file;
	unsigned line, col;
} xb_pos;

/*
 * Diagnostics of a profile: every error and warning, already formatted as
 * "file:line:col: message" (or "file:line:col: warning: message"), in the
 * order found, without duplicates, capped at XB_DIAGS_MAX.
 */
#define XB_DIAGS_MAX 200
typedef struct xb_diags {
	xb_strv lines;
	size_t errors;
	size_t warnings;
} xb_diags;

void xb_diags_init(xb_diags *d);
void xb_diags_release(xb_diags *d);

/* The settings, in the order the man page and --print list them. */
typedef enum xb_setting_id {
	XB_S_LINKAGE, XB_S_CGO, XB_S_LINKER, XB_S_LIBC, XB_S_BUILDMODE,
	XB_S_STRIP, XB_S_DEBUG, XB_S_TRIMPATH, XB_S_REPRODUCIBLE,
	XB_S_TAGS, XB_S_LDFLAGS, XB_S_GCFLAGS, XB_S_EXTLDFLAGS, XB_S_ENV,
	XB_S_GO, XB_S_GO_VERSION, XB_S_TOOLCHAIN, XB_S_FETCH, XB_S_SYSROOT,
	XB_S_PKG_CONFIG_PATH,
	XB_S_EXTRA_LIBS, XB_S_STATIC_LIBSTDCXX, XB_S_NSS_WARNINGS,
	XB_S_SMOKE, XB_S_ARCHIVES, XB_S_SBOM, XB_S_EXPECT,
	XB_S_COUNT
} xb_setting_id;

/*
 * One layer of settings (built-in defaults, `defaults:`, a target's
 * overrides, the command line) or their merge.  A setting counts only when
 * its bit is in `set`.  Enumerated settings are kept as their (validated)
 * spelling: linkage "auto", "static", "static-pie", "dynamic"; cgo "auto",
 * "on", "off"; linker "auto", "internal", "external"; libc "auto",
 * "glibc", "musl"; buildmode "default", "exe", "pie", "c-archive",
 * "c-shared", "plugin"; nss_warnings "warn", "error"; sbom "cyclonedx",
 * "spdx", "none".  Strings are owned.
 */
typedef struct xb_settings {
	uint32_t set;            /* 1u << xb_setting_id */
	xb_pos pos[XB_S_COUNT];  /* where each set value was written */
	char *linkage, *cgo, *linker, *libc, *buildmode, *nss_warnings;
	char *sbom;              /* the SBOM a release writes of the binary */
	int strip, debug, trimpath, reproducible, static_libstdcxx; /* 0/1 */
	int fetch;               /* 1: a C toolchain the machine lacks may be
				  * downloaded (a pinned archive); else
				  * never, only the cache is used */
	char *go;                /* "1.21", "go1.21.3" or a path to `go` */
	char *go_version;        /* the Go release to build with, as
				  * xb_gover_release spells it: "go1.27.3" */
	char *sysroot;           /* for the C toolchain */
	char *pkg_config_path;   /* PKG_CONFIG_PATH for cgo builds */
	xb_strv tags;            /* build tags, one per item */
	xb_strv ldflags, gcflags, extldflags; /* one word per item */
	xb_strv env;             /* "KEY=VALUE", merged by key */
	xb_strv toolchain;       /* preference: "system", "zig", "ID@SHA256" */
	xb_strv extra_libs;      /* "ssl" or "-lssl": linked with cgo */
	xb_strv smoke;           /* arguments to run the artifact with */
	xb_strv archives;        /* "tar.gz", "tar.xz", "zip" */
	xb_expect expect;        /* merged field by field */
} xb_settings;

#define XB_SETTING_SET(s, id) (((s)->set >> (id)) & 1u)

void xb_settings_init(xb_settings *s);
void xb_settings_release(xb_settings *s);
/*
 * Set one setting from text, as the command line gives it: lists are
 * comma-separated (ldflags, gcflags and extldflags split into go's quoted
 * words), env is KEY=VALUE (added), expect is the xb_expect_parse form.
 * Validates like the profile loader; pos says where the value came from.
 */
xb_code xb_settings_set(xb_settings *s, const char *key, const char *value,
			xb_pos pos, xb_err *err);

/* A target: os/arch[/variant] with its settings. */
typedef struct xb_target {
	char *os, *arch;
	char *variant;     /* "7", "v3", "softfloat"; NULL when none */
	char *name;        /* "linux/arm/7" */
	bool optional;     /* of a GoReleaser matrix: passed over when this Go
			    * has no such port (xb_plan_drop_missing) */
	xb_pos pos;
	xb_settings over;  /* what the target entry itself sets */
	xb_settings s;     /* resolved: built-in < defaults < over < command line */
} xb_target;

/*
 * A resolved profile.  files holds the path of every file loaded (the
 * embedded default is "<builtin>/profiles/default.yaml"); every xb_pos of
 * the profile points into it.
 */
typedef struct xb_profile {
	int version;
	char *name;        /* NULL: from the package */
	xb_strv main;      /* packages to build; empty: "." */
	char *output;      /* template; see xbuild-profile(5) */
	xb_settings defaults; /* built-in defaults with `defaults:` applied */
	xb_settings cli;   /* command-line overrides, over every target */
	xb_target *targets;
	size_t ntargets;
	xb_strv ignore;    /* os/arch[/variant] patterns, '*' per part */
	/* archives: and checksum: (their types are in xbuild-run.h) */
	bool has_archives; /* given: the targets' archives setting is unused */
	struct xb_archive_spec *archives;
	size_t narchives;
	struct xb_checksum_spec *checksum; /* NULL: SHA256SUMS of every file */
	xb_strv files;
	/* Several builds (builds:): each a whole profile of one build, its
	 * keys over the top level's; then targets is the union of theirs,
	 * for the matrix, shards and the choice of Go.  nbuilds 0: this
	 * profile is its one build. */
	char *id;          /* the build's id; NULL for the top level */
	struct xb_profile *builds;
	size_t nbuilds;
	xb_strv hooks_pre, hooks_post; /* a build's, run around each of its
				       * targets' builds */
	xb_strv before;    /* run once before any build */
	bool universal;    /* a release joins the build's darwin/amd64 and
			    * darwin/arm64 artifacts into a fat Mach-O */
	char *snapshot_version; /* template of a snapshot's version (a
				 * GoReleaser file's snapshot:); NULL: none */
	xb_pos snapshot_pos;
	struct xb_pkgconf *packages; /* packages: (xbuild-run.h); NULL: none */
	/* internal: layers as written, before resolution */
	xb_settings raw_defaults;
	xb_pos name_pos, main_pos, output_pos;
} xb_profile;

/* The builds of p: its builds: list, else p itself as its one build. */
size_t xb_profile_nbuilds(const xb_profile *p);
const xb_profile *xb_profile_build(const xb_profile *p, size_t i);

/* Default output template. */
#define XB_DEFAULT_OUTPUT "dist/{target}/{name}{ext}"

typedef struct xb_profile_opts {
	/* ${VAR} expansion reads this "KEY=VALUE" vector; NULL: environ */
	const char *const *envp;
	size_t max_size;   /* per file; 0: 1 MiB */
	bool no_extends;   /* extends: is an error (fuzzing, untrusted input) */
	/* asked first for each ${VAR}: a value of the caller's own, worked
	 * out on first use (XBUILD_VERSION); NULL from it, or no var: envp */
	const char *(*var)(void *ctx, const char *name);
	void *var_ctx;
} xb_profile_opts;

void xb_profile_init(xb_profile *p);
void xb_profile_release(xb_profile *p);
/*
 * Load files as layers, each over the ones before (maps merge, lists
 * replace); nfiles 0 loads the embedded profiles/default.yaml.  Every
 * problem goes to d; XB_ERR_PROFILE (with err saying how many) when any is
 * an error.  Targets are resolved and checked for conflicts.
 */
xb_code xb_profile_load(xb_profile *p, const char *const *files,
			size_t nfiles, const xb_profile_opts *o, xb_diags *d,
			xb_err *err);
/*
 * The profile a run uses when none is named, in dir (NULL: the current
 * folder): "xbuild.yaml", else ".goreleaser.yaml", else ".goreleaser.yml";
 * NULL when there is none (the embedded default applies).
 */
const char *xb_profile_discover(const char *dir);
/*
 * Apply command-line overrides: cli over every target, and when targets is
 * non-empty it replaces the target list (a target the profile lists keeps
 * its overrides).  Re-resolves and re-checks; problems go to d.
 */
xb_code xb_profile_override(xb_profile *p, const xb_settings *cli,
			    const xb_strv *targets, xb_diags *d, xb_err *err);
/* Parse "os/arch[/variant]" into t (names only).  Returns XB_ERR_PROFILE
 * with a message listing what is known. */
xb_code xb_target_parse(xb_target *t, const char *spec, xb_err *err);

/* The resolved profile as YAML (loadable again) or JSON. */
xb_code xb_profile_yaml(const xb_profile *p, xb_buf *out);
void xb_profile_json(const xb_profile *p, xb_json *j);

/* ------------------------------------------------------------------ */
/* gover.c: Go releases, the one a run uses, the ones this machine has */
/* ------------------------------------------------------------------ */

/* The Go release a run uses, and why.  Strings are owned. */
typedef struct xb_gochoice {
	char *version;      /* "go1.27.3" */
	const char *source; /* "profile", "--set", "go.mod" or "local" */
	char *origin;       /* where it was asked: "p.yaml:3:15",
			     * "/src/go.mod:5"; NULL for local */
	char *why;          /* one phrase for reasons and messages: "--set
			     * go_version=go1.27.3", "the local go (toolchain
			     * go1.25.0 in /src/go.mod:5 is not newer)" */
} xb_gochoice;

void xb_gochoice_init(xb_gochoice *c);
void xb_gochoice_release(xb_gochoice *c);
/*
 * Choose the run's Go release: go_version from the command line (--set),
 * else from the profile (defaults:, else the first target that sets it),
 * else the toolchain line of dir's go.mod when it names a release newer
 * than local (as go itself would switch), else local, the version of the
 * go command (xb_goenv_open).  One run uses one Go: a target asking for
 * another is a plan error (xb_plan_target).
 */
xb_code xb_gover_choose(const xb_profile *p, const char *dir,
			const char *local, xb_gochoice *c, xb_err *err);

/* One Go release on this machine. */
typedef struct xb_goinst {
	char *version;   /* "go1.26.8" */
	char *path;      /* its go command */
	bool cached;     /* downloaded by go into the module cache
			  * (GOTOOLCHAIN); else installed here */
	bool on_path;    /* the go of PATH */
} xb_goinst;

/*
 * The Go releases this machine has, each once: go on PATH (envp's; NULL:
 * this process's), /usr/local/go/bin/go, /usr/lib/go-1.N/bin/go (newest
 * first), then the releases go downloaded into its module cache for this
 * host (golang.org/toolchain@v0.0.1-goX.Y.Z.OS-ARCH, newest first).  Each
 * installed go is asked its release; one that cannot answer is left out.
 * Free *out with xb_goinst_free.
 */
xb_code xb_go_installed(const char *const *envp, xb_goinst **out, size_t *n,
			xb_err *err);
void xb_goinst_free(xb_goinst *v, size_t n);

/* ------------------------------------------------------------------ */
/* goenv.c: what the selected Go toolchain is and what a package needs */
/* ------------------------------------------------------------------ */

/* One line of `go tool dist list -json`. */
typedef struct xb_goport {
	char *goos, *goarch;
	bool cgo;         /* CgoSupported */
	bool first_class; /* FirstClass */
} xb_goport;

/*
 * What `go list -deps` says about a package for one GOOS/GOARCH/tags,
 * asked with CGO_ENABLED=1 so that the cgo files are visible.
 */
typedef struct xb_pkginfo {
	bool ok;            /* go list succeeded */
	char *error;        /* its message when not */
	char *name;         /* last element of the main package's path */
	xb_strv user_cgo;   /* non-standard packages with import "C" */
	bool net_cgo;       /* net is in the graph and uses cgo */
	bool osuser_cgo;    /* os/user is in the graph and uses cgo */
	bool plugin;        /* plugin is in the graph */
	bool rtcgo;         /* runtime/cgo is in the graph */
	bool rtcgo_direct;  /* imported by a package without cgo files (import _ "runtime/cgo") */
	/* the go list cache across runs: "hit" (an earlier run's answer,
	 * every package folder unchanged), "miss" (go list ran); NULL: not
	 * used (XBUILD_GOLIST_CACHE=off, a key that could not be made) */
	const char *cache;
	char cache_key[17]; /* the first 16 hex digits of its key */
} xb_pkginfo;

/* Where Go's own installer puts the go command: used when go is not on
 * PATH and no --go was given. */
#define XB_GO_INSTALL "/usr/local/go/bin/go"

/* The Go toolchain xbuild drives, and its cached answers. */
typedef struct xb_goenv {
	char *go;           /* path of the go command */
	char *version;      /* "go1.19.8" */
	int major, minor, patch;
	char *goroot, *hostos, *hostarch;
	xb_goport *ports;
	size_t nports;
	char *dir;          /* where go list runs; NULL: the current directory */
	xb_strv envp;       /* the environment go runs with */
	/* go list answers by package, GOOS, GOARCH and tags */
	struct xb_goenv_entry { char *key; xb_pkginfo info; } *cache;
	size_t ncache;
	/* cgo link inputs (xb_goenv_cgolink) by package, GOOS, GOARCH,
	 * tags and CC; error set when go list could not load them */
	struct xb_goenv_cgo {
		char *key;
		struct xb_cgolink *q;
		char *error;
	} *cgo_cache;
	size_t ncgo_cache;
	unsigned list_runs; /* how many times go list ran */
	/* the package folders the go list cache looked at in this run
	 * (listcache.h), each once */
	struct xb_listcache_memo *listmemo;
	/* the release the run uses (xb_goenv_use); version and the
	 * answers above are that release's */
	char *toolchain;    /* GOTOOLCHAIN go runs with: "local", or the
			     * release it switches to ("go1.27.3"); NULL
			     * before xb_goenv_use: local */
	char *local_version; /* the go command's own release */
	bool from_modcache; /* go is the release's own go command in the
			     * module cache, run with GOTOOLCHAIN=local: go
			     * will not switch with GOSUMDB=off */
	xb_gochoice chosen; /* which release, from where, and why */
} xb_goenv;

void xb_goenv_init(xb_goenv *g);
void xb_goenv_release(xb_goenv *g);
/*
 * Ask go (a path or a name looked up in PATH; NULL: "go") for its version,
 * GOROOT, host and ports.  envp: the environment to run it with (NULL:
 * this process's).
 */
xb_code xb_goenv_open(xb_goenv *g, const char *go, const char *const *envp,
		      xb_err *err);
/* The go: paths p names (defaults:, then each target's, those with a
 * '/'): each must be an executable regular file, checked without running
 * it (an error to d at its line when not).  The first, or NULL when none
 * names a path. */
const char *xb_goenv_profile_go(const xb_profile *p, xb_diags *d);
/*
 * Use the release c chose for everything go does from now on: when it is
 * not g's own, go runs with GOTOOLCHAIN=<release> (fetching it into the
 * module cache once, through the module proxy) and g is asked again;
 * else with GOTOOLCHAIN=local.  go switches only through the checksum
 * database: with GOSUMDB=off, a release the module cache has runs from
 * there, its own go command with GOTOOLCHAIN=local (g->go is then that
 * one, g->from_modcache true).  Fails when the go command is older than
 * Go 1.21 (it cannot switch), when the release is older than Go 1.21 (go
 * cannot fetch it), and when go cannot fetch it (XB_ERR_OFFLINE with
 * GOPROXY=off, else XB_ERR_NET; XB_ERR_UNSUPPORTED with GOSUMDB=off): the
 * message names the release, why it was chosen and how to fetch it.  c
 * is copied into g->chosen.  Call it once, after xb_goenv_open.
 */
xb_code xb_goenv_use(xb_goenv *g, const xb_gochoice *c, xb_err *err);
/* Put an answer into the cache (for tests). */
xb_code xb_goenv_cache_put(xb_goenv *g, const char *pkg, const char *goos,
			   const char *goarch, const char *tags,
			   const xb_pkginfo *info);
void xb_pkginfo_init(xb_pkginfo *i);

/* ------------------------------------------------------------------ */
/* plan.c: per target, the environment, go build argv, C toolchain,  */
/* expectation, and a reason for every choice                        */
/* ------------------------------------------------------------------ */

/*
 * A C toolchain for one cgo target.  The planner fills the request fields
 * before it calls an xb_cc_lookup; the lookup fills the rest.
 */
typedef struct xb_plan_cc {
	/* request (borrowed, may be NULL) */
	const char *const *prefer; /* the profile's toolchain preference */
	const char *sysroot;       /* the profile's sysroot */
	bool want_static;          /* the link will be static */
	bool want_static_pie;      /* the link will use -static-pie */
	bool fetch;                /* the profile's fetch: a pinned toolchain
				      may be downloaded; else only the
				      cache is used */
	const char *glibc;         /* glibc floor ("2.17"): a compiler with a
				    * newer glibc is rejected, zig targets it */
	/* answer (owned) */
	char *cc, *cxx;    /* command lines: "aarch64-linux-gnu-gcc", "zig cc -target x86-linux-musl" */
	char *kind;        /* "gcc", "musl-gcc", "musl-cross", "mingw", "zig", "osxcross" */
	char *libc;        /* "glibc", "musl", "mingw", "macos" */
	char *triplet;     /* "aarch64-linux-gnu" */
	char *cflags;      /* extra CGO_CFLAGS ("-march=armv7-a ..."), or NULL */
	bool static_pie;   /* can link -static-pie */
	xb_strv env;       /* extra KEY=VALUE it needs (ZIG_GLOBAL_CACHE_DIR) */
	char *libc_sysroot; /* where the compiler's libc lives; NULL: unknown */
	char *hash;        /* sha256 of the compiler executable; NULL: unknown */
} xb_plan_cc;

void xb_plan_cc_init(xb_plan_cc *cc);
void xb_plan_cc_release(xb_plan_cc *cc);

/*
 * The toolchain manager's interface: find a C compiler for a target.
 * libc is "glibc", "musl", or NULL for the lookup's choice; variant may be
 * NULL.  On success fill out's answer fields; XB_ERR_NOTFOUND with a
 * message that says what to install when there is none.
 */
typedef xb_code (*xb_cc_lookup)(void *ctx, const char *goos,
				const char *goarch, const char *variant,
				const char *libc, xb_plan_cc *out, xb_err *err);

/* One target's plan.  Everything is owned. */
typedef struct xb_plan {
	char *target;      /* "linux/arm/7" */
	char *build_id;    /* the build it belongs to (a profile's builds:
			    * list); NULL: the profile's one build */
	char *goos, *goarch, *variant;
	char *pkg;         /* what go build builds */
	char *output;      /* -o */
	bool cgo;          /* CGO_ENABLED=1 */
	char *linkmode;    /* "internal", "external" */
	char *linkage;     /* what results: "static", "static-pie", "dynamic" */
	char *buildmode;   /* as passed, or NULL for the default */
	xb_strv tags;      /* final build tags */
	xb_strv env;       /* KEY=VALUE that xbuild decides, in a fixed order */
	xb_strv pass;      /* KEY=VALUE passed through from the host (PATH, HOME, GOCACHE...) */
	xb_strv argv;      /* go build ... */
	const char *golist_cache; /* "hit", "miss" or NULL: xb_pkginfo's cache */
	char *golist_note; /* that, said for people (not in reasons, which a
			    * release records) */
	bool has_cc;
	xb_plan_cc cc;
	xb_expect expect;
	xb_strv smoke;
	/* The target's own settings the run engine and release need, resolved
	 * here so that nothing downstream looks back into the profile (whose
	 * targets a shard or a package list no longer line up with) */
	bool nss_fatal;    /* nss_warnings: error: a linker warning about
			    * glibc NSS breaks the artifact */
	xb_strv archives;  /* the archive formats to pack it in */
	/* its build's hooks: pre runs before its go build, post on the
	 * artifact before the checker; hook_fields: their template fields */
	xb_strv hooks_pre, hooks_post, hook_fields;
	bool universal;    /* its build's universal: (darwin/amd64, arm64) */
	char *sbom;        /* the SBOM a release writes beside it:
			    * "cyclonedx", "spdx" or "none" */
	xb_strv reasons;   /* one line per decision */
	xb_strv warnings;
	xb_strv errors;    /* the target cannot be built as asked */
	/*
	 * The C link of a cgo target, for the build engine to explain a
	 * failed one with xb_linkdiag (linkdiag.c):
	 *
	 *	xb_linkdiag_opts lo = { 0 };
	 *	lo.lib_dirs = pl->lib_dirs.n ? xb_strv_argv(&pl->lib_dirs) : NULL;
	 *	lo.sysroot = pl->sysroot;
	 *	lo.triplet = pl->triplet;
	 *	nerr = xb_linkdiag(log, len, &lo, &diagnoses);
	 *
	 * Empty for targets without cgo.
	 */
	xb_strv extldflags; /* every -extldflags word, in link order, as the
			     * resolver (xb_cgolink_resolve) and the profile's
			     * extldflags gave them; empty under the internal
			     * linker */
	xb_strv lib_dirs;  /* folders whose static archives are searched for
			    * the symbols a failed link misses, most specific
			    * first: the -L folders of extldflags, the
			    * sysroot's, then the compiler's own (for a
			    * cross target never the host's) */
	char *sysroot;     /* where the target's libraries and .pc files
			    * are: the profile's sysroot, else for a cross
			    * target the compiler's; NULL: the host's */
	char *triplet;     /* the compiler's, "aarch64-linux-gnu"; NULL:
			    * unknown */
} xb_plan;

void xb_plan_init(xb_plan *pl);
void xb_plan_release(xb_plan *pl);

typedef struct xb_plan_opts {
	/* NULL: xb_cc_lookup_toolchain over the PATH of envp: compilers
	 * found on this machine and proved by a test link, none fetched */
	xb_cc_lookup cc_lookup;
	void *cc_ctx;
	const char *build_version; /* {version}; NULL: "dev" */
	/* host environment the pass-through variables come from; NULL: environ */
	const char *const *envp;
	/* the templates' release fields (.Version, .Tag, .Commit, ...);
	 * NULL: .Version is build_version, the others empty */
	const struct xb_relver *rel;
	/* when rel is NULL: asked for rel and build_version on first use (a
	 * template action, a {version}), so that a plan that reads neither
	 * asks git nothing; NULL: none */
	void (*release)(void *ctx, const struct xb_relver **rel,
			const char **build_version);
	void *release_ctx;
} xb_plan_opts;

/*
 * Plan pkg (NULL: the profile's first main, else ".") for target t of p.
 * Returns XB_OK when a plan was made, even if it holds errors (then
 * pl->errors says why the target cannot be built); fails only when the
 * planning itself failed (memory, go list could not run).
 */
xb_code xb_plan_target(xb_plan *pl, const xb_profile *p, const xb_target *t,
		       const char *pkg, xb_goenv *g, const xb_plan_opts *o,
		       xb_err *err);
/*
 * What xb_plan_target will ask go list for each of n (build, target,
 * package), asked before: the answers the go list cache has are taken at
 * the start, go list runs for the others at most jobs at once (worker
 * threads) while the caller goes on, say building the plans already
 * made, and every answer is kept in g.  Planning many targets then waits
 * for the slowest answer, not for each in turn.  take says how many of
 * the first plans will now find their answers in g (*ready; it never
 * waits), the fd is readable when more may, and end waits for the go
 * lists still running and frees (NULL: nothing).  What asks point to
 * must outlive *pa.
 */
typedef struct xb_plan_ask {
	const xb_profile *p;
	const xb_target *t;
	const char *pkg;    /* NULL: as xb_plan_target */
} xb_plan_ask;
typedef struct xb_plan_answers xb_plan_answers;
xb_code xb_plan_answers_start(xb_goenv *g, const xb_plan_ask *asks, size_t n,
			      int jobs, xb_plan_answers **pa, xb_err *err);
int xb_plan_answers_fd(const xb_plan_answers *pa);
xb_code xb_plan_answers_take(xb_plan_answers *pa, size_t *ready, xb_err *err);
void xb_plan_answers_end(xb_plan_answers *pa);
/* One shell line: `env -i K=V ... go build ...`, every word quoted as
 * needed; appended to out. */
xb_code xb_plan_shell(const xb_plan *pl, xb_buf *out);
/* make variable assignments, prefixed with prefix ("LINUX_ARM64_"). */
xb_code xb_plan_make(const xb_plan *pl, const char *prefix, xb_buf *out);
/* The plan as a JSON object (the schema in xbuild(1)). */
void xb_plan_json(const xb_plan *pl, xb_json *j);
/*
 * What can be told about p's targets from the Go toolchain alone, without
 * a package: ports this Go lacks, variants it does not know, a pinned
 * version it is not.  Errors go to d at each target's position.
 */
/* Remove from p (every build, and the union) the optional targets this Go
 * has no port for, as GoReleaser passes them over; one line for each onto
 * said ("darwin/s390x skipped: go1.26.8 has no such port"). */
void xb_plan_drop_missing(xb_profile *p, const xb_goenv *g, xb_strv *said);
void xb_plan_check_targets(const xb_profile *p, const xb_goenv *g,
			   xb_diags *d);
/* Quote s for a POSIX shell when it needs it; appended to out. */
xb_code xb_shell_quote(xb_buf *out, const char *s);

/* ------------------------------------------------------------------ */
/* tcdata.c, fetch.c, toolchain.c: C cross toolchains                 */
/* ------------------------------------------------------------------ */

/*
 * The data in toolchains/NAME.yaml (documented at the top of each file): for each Go
 * target the compilers that can serve it, and the pinned archives xbuild
 * may fetch.  Strings are owned by the structs.
 */
typedef struct xb_tc_libc {
	char *libc;        /* "glibc", "musl", "mingw", "macos" */
	xb_strv triplets;  /* GNU triplets, vendor optional: "aarch64-linux-gnu" */
	xb_strv wrappers;  /* whole compiler names: "musl-gcc" */
	char *zig;         /* zig cc -target value, "aarch64-linux-musl"; or NULL */
	char *clang;       /* clang --target value; or NULL */
} xb_tc_libc;

typedef struct xb_tc_target {
	char *goos, *goarch; /* "linux", "arm64" */
	char *variant;     /* GOARM and friends ("7"); NULL: any */
	char *format;      /* "elf", "pe", "macho" */
	unsigned machine;  /* ELF e_machine, PE Machine or Mach-O cputype */
	int bits;          /* 32 or 64 */
	xb_tc_libc *libcs; /* in order of preference */
	size_t nlibcs;
} xb_tc_target;

typedef struct xb_tc_archive {
	char *id;          /* "zig-0.11.0": what users name */
	char *kind;        /* "zig", "gcc" (a cross gcc tree) or "go" */
	char *version;
	char *host;        /* "linux/amd64": where it runs */
	char sha256[65];   /* lowercase hex */
	uint64_t size;     /* exact size in bytes; 0: unknown (capped) */
	uint64_t unpacked; /* bytes of file data it unpacks to, at most (links
			      and holes count); 0: undeclared, then at most
			      XB_TC_RATIO times its size (and 16 MiB) */
	char *strip;       /* leading folder to drop; NULL: none */
	char *bin;         /* main executable inside: "zig", "bin/go" */
	char *target;      /* gcc: the Go target it serves; else NULL */
	char *libc;        /* gcc: its libc; else NULL */
	char *triplet;     /* gcc: tool prefix, "aarch64-linux-musl" */
	xb_strv urls;      /* tried in order: mirrors after the first */
} xb_tc_archive;

typedef struct xb_tc_data {
	xb_tc_target *targets;
	size_t ntargets;
	xb_tc_archive *archives;
	size_t narchives;
	char *dir;         /* where it was loaded from; NULL when parsed */
} xb_tc_data;

#define XB_TC_DATA_MAX (1u << 20) /* bytes per data file */
#define XB_TC_RATIO 20             /* unpacked/packed bound when undeclared */
#define XB_TC_MAX_UNPACKED (16ull << 30) /* bound of every extraction */

void xb_tc_data_init(xb_tc_data *d);
void xb_tc_data_release(xb_tc_data *d);
/* Load every toolchains/NAME.yaml of dir (NULL: xb_datadir()), sorted. */
xb_code xb_tc_data_load(xb_tc_data *d, const char *dir, xb_err *err);
/*
 * Where the data lives: $XBUILD_DATADIR, else the source tree the binary
 * runs from (the folder of /proc/self/exe when it has toolchains/), else
 * the compiled-in XB_DATADIR.  Static storage.
 */
const char *xb_datadir(void);

/*
 * The cache: $XBUILD_CACHE, else $XDG_CACHE_HOME/xbuild, else
 * ~/.cache/xbuild.  Layout:
 *   dl/<sha256>.part        a download in progress (resumed)
 *   tc/<id>-<sha256:12>/    an install; .xbuild-complete is written last
 *   tc/.tmp-*               extraction in progress (gc removes stale ones)
 *   locks/<id>-<sha:12>.lock  flock: one process fetches, the rest wait
 *   locks/dl-<sha256>.lock    flock: one process writes dl/<sha256>.part
 *                             (ids pinning the same bytes share it)
 *   probe/<key>             remembered probe results
 *   zig/<target>/cc, c++    generated zig wrappers; zig/cache: zig's cache
 *   golist/<key>            remembered go list answers (listcache.h)
 * Caller frees.  NULL when no home can be found.
 */
char *xb_cache_dir(void);

/* Progress of a download: done of total bytes (total 0: unknown).
 * Return non-zero to abort. */
typedef int (*xb_progress_fn)(void *ctx, const char *id, uint64_t done,
			      uint64_t total);

typedef struct xb_fetch_opts {
	const char *cache;  /* NULL: xb_cache_dir() */
	bool offline;       /* never open a socket; also $XBUILD_OFFLINE=1 */
	int retries;        /* attempts per URL; 0: 3 ($XBUILD_RETRIES) */
	long backoff_ms;    /* first retry delay, doubled, with jitter; 0: 500
			       ($XBUILD_BACKOFF_MS) */
	long stall_secs;    /* abort a transfer slower than min_speed for this
			       long, and try the next URL; 0: 30
			       ($XBUILD_STALL_TIMEOUT) */
	long lock_secs;     /* wait this long for another process; 0: 3600 */
	uint64_t max_size;  /* cap when the entry has no size; 0: 2 GiB */
	xb_progress_fn progress; /* NULL: none */
	void *progress_ctx;
	long min_speed;     /* bytes per second, averaged over stall_secs;
			       0: 1024 ($XBUILD_MIN_SPEED) */
	long deadline_secs; /* abort a transfer that lasts longer, and try the
			       next URL; 0: 1800 ($XBUILD_FETCH_TIMEOUT) */
} xb_fetch_opts;

#define XB_FETCH_OPTS_INIT { NULL, false, 0, 0, 0, 0, 0, NULL, NULL, 0, 0 }

/* What a fetch did, for messages and tests. */
typedef struct xb_fetch_info {
	bool cached;        /* it was installed already: nothing was done */
	int attempts;       /* HTTP transfers made */
	int resumed;        /* transfers that continued a partial download */
	char *url;          /* the URL that worked; NULL when cached */
	xb_strv notes;      /* one line per failed attempt, "URL: why" */
} xb_fetch_info;

void xb_fetch_info_init(xb_fetch_info *fi);
void xb_fetch_info_release(xb_fetch_info *fi);

/*
 * Make sure archive a is installed in the cache and return its folder in
 * *dir (caller frees).  Downloads into dl/ (resuming, retrying with
 * backoff, then trying the next URL), checks size and sha256 before
 * anything is extracted, extracts into a temp folder (refusing absolute
 * paths, '..' and links that leave it), renames it into place and writes
 * the completion marker last.  Concurrent xbuild processes wait on one
 * lock; one downloads, all succeed.  Call it from one thread at a time
 * (libcurl's global setup is done on first use).  Offline with a cold cache
 * fails with XB_ERR_OFFLINE naming the archive.  info may be NULL.
 */
xb_code xb_fetch_archive(const xb_tc_archive *a, const xb_fetch_opts *o,
			 char **dir, xb_fetch_info *info, xb_err *err);
/* What installs an archive for the toolchain manager: xb_fetch_archive,
 * in a program that links libcurl and libarchive (the front program,
 * which links neither, hands a run that may download to the complete
 * one before it starts). */
typedef xb_code (*xb_fetch_fn)(const xb_tc_archive *a,
			       const xb_fetch_opts *o, char **dir,
			       xb_fetch_info *info, xb_err *err);
/*
 * Install archive a from a local file (air-gapped machines): the same
 * checks and extraction as a download, on a private copy of the file
 * read once (a pipe works too), so that what was checked is what is
 * extracted whatever happens to the path meanwhile.
 */
xb_code xb_fetch_from_file(const xb_tc_archive *a, const char *file,
			   const xb_fetch_opts *o, char **dir, xb_err *err);
/* The install folder of a if it is complete in the cache, else NULL.
 * Checks the marker only (cheap).  Caller frees. */
char *xb_fetch_installed(const xb_tc_archive *a, const char *cache);
/*
 * Re-hash an install against the tree hash its marker recorded at
 * extraction.  XB_ERR_HASH when anything differs.  Not thread-safe.
 */
xb_code xb_fetch_verify_dir(const char *dir, xb_err *err);
/*
 * A pin from a profile: the archive id must exist for this host and its
 * sha256 must equal sha256 (hex; NULL: no check).  On success *out is the
 * entry.  To use it: xb_fetch_archive(), then <dir>/<bin> is the zig to
 * pass as xb_tc_opts.zig (kind zig), the compiler for xb_tc_opts.cc (kind
 * gcc), or the go command to build with (kind go).
 */
xb_code xb_tc_pin(const xb_tc_data *d, const char *id, const char *sha256,
		  const xb_tc_archive **out, xb_err *err);
/*
 * Remove what is stale from the cache: temp folders and partial downloads
 * no process holds a lock on, incomplete installs, and (all) installs
 * not named by d.  *removed counts folders and files removed.
 */
xb_code xb_cache_gc(const char *cache, const xb_tc_data *d, bool all,
		    xb_strv *removed, xb_err *err);

/* One candidate compiler that was tried and not chosen. */
typedef struct xb_tc_reject {
	char *cc;          /* the command as it would be used */
	char *why;         /* "not found", "links x86-64, not aarch64", ... */
} xb_tc_reject;

typedef struct xb_tc_opts {
	const char *cc;     /* explicit compiler (profile or $CC); tried first */
	const char *cxx;    /* with cc */
	const char *path;   /* PATH to search; NULL: $PATH */
	const char *const *prefixes; /* glob patterns of bin folders; NULL:
					~/x-tools/x/bin, /opt/x/bin,
					/usr/local/x/bin (x = '*') */
	const char *zig;    /* zig executable; NULL: PATH, then the cache */
	const char *glibc;  /* glibc floor, "2.17": zig targets it, and a
			       compiler with a newer glibc is rejected */
	bool no_probe_cache; /* always run the probes */
	bool fetch;         /* fetch the pinned zig when nothing else works */
	xb_fetch_fn fetcher; /* how (xb_fetch_archive); NULL: nothing is
				downloaded, fetch or not */
	const xb_tc_data *data; /* NULL: load xb_datadir() */
	xb_fetch_opts fetch_opts; /* cache, offline, ... */
	/* which kinds to try, in order: "system" (PATH, prefixes, cache) and
	 * "zig"; NULL: system, then zig */
	const char *const *prefer;
} xb_tc_opts;

#define XB_TC_OPTS_INIT { NULL, NULL, NULL, NULL, NULL, NULL, false, false, \
			  NULL, NULL, XB_FETCH_OPTS_INIT, NULL }

typedef struct xb_tc_result {
	char *cc;          /* value for CC: a path, with flags for clang
			      (--target=...); zig: a generated wrapper */
	char *cxx;         /* value for CXX; NULL when there is none */
	char *sysroot;     /* from -print-sysroot; NULL when unknown */
	char *kind;        /* "gcc", "clang", "zig", "musl-gcc", "cc" */
	char *source;      /* "explicit", "path", "prefix", "cache", "zig" */
	char *libc;        /* "glibc", "musl", "mingw", ... as proved */
	char *libc_version; /* "2.36" for glibc; NULL when unknown */
	char *interp;      /* PT_INTERP of a dynamic test link; NULL: none */
	char *machine;     /* dumpmachine, "aarch64-linux-gnu" */
	bool can_static;   /* a -static test link worked and has no PT_INTERP */
	char *id;          /* archive id when it came from the cache, else NULL */
	char hash[65];     /* sha256 of the compiler executable (provenance) */
	xb_tc_reject *rejected; /* every candidate tried before, with why */
	size_t nrejected;
} xb_tc_result;

void xb_tc_result_init(xb_tc_result *r);
void xb_tc_result_release(xb_tc_result *r);
/*
 * Find a C compiler for goos/goarch (variant: GOARM etc., or NULL) whose
 * C library is libc ("glibc", "musl", "mingw", or NULL/"auto": any, in the
 * data's order), and that can link statically when need_static.  Tries,
 * in order: o->cc, PATH (triplet-gcc, -gcc-N, -cc, vendor aliases,
 * wrappers), the prefixes, gcc archives in the cache, zig (PATH, then the
 * cache; fetched when o->fetch).  Each candidate is proved by compiling
 * and linking a test program and reading the result; results are
 * remembered by the compiler's path, size and mtime.  XB_ERR_NOTFOUND
 * when none works: r->rejected says why for each.
 */
xb_code xb_toolchain_find(const char *goos, const char *goarch,
			  const char *variant, const char *libc,
			  bool need_static, const xb_tc_opts *o,
			  xb_tc_result *r, xb_err *err);

/*
 * An xb_cc_lookup over xb_toolchain_find (ctx: an xb_tc_opts, or NULL):
 * the compilers the toolchain manager finds and proves, in the order of
 * out->prefer.  A pinned "ID@SHA256" preference is fetched into the cache
 * (gcc and zig archives) and used.
 */
xb_code xb_cc_lookup_toolchain(void *ctx, const char *goos,
			       const char *goarch, const char *variant,
			       const char *libc, xb_plan_cc *out, xb_err *err);

#include "xbuild-run.h"

#endif /* XBUILD_H */
