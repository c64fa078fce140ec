/*
 * xbuild-run.h: running plans and releasing their artifacts, public
 * through xbuild.h (which includes it after the types it needs): manifests,
 * shards, the job executor, the run engine, the release's source and
 * folder.
 */
#ifndef XBUILD_RUN_H
#define XBUILD_RUN_H

#ifndef XBUILD_H
#error "include xbuild.h, not xbuild-run.h"
#endif

/* ------------------------------------------------------------------ */
/* manifest.c: release manifests, SHA256SUMS, merging shards          */
/* ------------------------------------------------------------------ */

typedef struct xb_manifest xb_manifest;

/* A new, empty manifest for a release of the targets in matrix; a shard
 * count above 1 marks it as shard index/count.  Free with
 * xb_manifest_free; NULL when out of memory. */
xb_manifest *xb_manifest_new(const char *project, const char *version,
			     const char *revision, long long epoch,
			     const xb_strv *matrix, int shard_index,
			     int shard_count);
void xb_manifest_free(xb_manifest *m);
/* Add to "source" whether the tree had uncommitted changes, whether this
 * is a snapshot release (--snapshot) and where the epoch came from
 * ("SOURCE_DATE_EPOCH", "commit", "none"). */
xb_code xb_manifest_set_source(xb_manifest *m, bool dirty, bool snapshot,
			       const char *epoch_from, xb_err *err);
/* Set "tools": the Go version, where its choice came from (profile, go.mod,
 * local: not a path), and xbuild's version. */
xb_code xb_manifest_set_tools(xb_manifest *m, const char *go,
			      const char *go_source, const char *xbuild,
			      xb_err *err);
/*
 * Merge shard releases into out: refuses (XB_ERR_CONFLICT, one line per
 * problem in probs, nothing written) on an invalid manifest, shards of
 * different releases, a missing or repeated shard, one path with two
 * hashes, a target built twice, a target of the matrix built by none, or a
 * file whose hash does not match its manifest.  out appears whole.
 */
xb_code xb_merge(const char *const *dirs, size_t n, const char *out,
		 xb_strv *probs, xb_err *err);

/* ------------------------------------------------------------------ */
/* shard.c: splitting a release across CI machines                    */
/* ------------------------------------------------------------------ */

/* xb_shard_split of p's matrix, where the darwin/arm64 target of a
 * universal build and its darwin/amd64 one are one unit (their weights
 * summed): the shard that builds both makes their fat file. */
xb_code xb_shard_split_profile(const xb_profile *p, const xb_strv *matrix,
			       const unsigned *weights, int count, int *shard_of,
			       xb_err *err);
/* A target's weight in a release split, from its resolved settings alone
 * (no planning, so `xbuild matrix` and `xbuild release --shard` agree):
 * 4 when cgo is on (C compiles and an external link), else 1. */
unsigned xb_shard_weight(const xb_target *t);
/* Parse "K/N". */
xb_code xb_shard_parse(const char *spec, int *index, int *count, xb_err *err);

/* ------------------------------------------------------------------ */
/* exec.c: run many commands at once, under make's jobserver, safely  */
/* ------------------------------------------------------------------ */

/* What happened to a job. */
typedef enum xb_job_state {
	XB_JOB_PENDING = 0, /* not started yet */
	XB_JOB_RUNNING,
	XB_JOB_OK,          /* exited 0 and on_success (if any) passed */
	XB_JOB_FAILED,      /* could not start, exited non-zero, was killed,
			     * or on_success failed: see err */
	XB_JOB_SKIPPED,     /* never started: an earlier job failed (without
			     * keep_going) or the run was interrupted */
	XB_JOB_STOPPED,     /* running when the run was interrupted; killed */
} xb_job_state;

/*
 * One command to run.  The caller sets the inputs (which must outlive the
 * run; the job does not own them); xb_exec_run fills the results.
 * stdout and stderr are merged, written to the log and split into lines.
 */
typedef struct xb_job {
	/* inputs */
	const char *name;          /* for messages ("linux/arm64"); NULL: argv[0] */
	const char *const *argv;
	const char *const *envp;   /* NULL: inherit this process's */
	const char *cwd;           /* NULL: this process's */
	const char *log_path;      /* NULL: no log; created or truncated */
	void *user;                /* the caller's, untouched */
	int watch_fd;              /* polled while the job runs (the
				    * executor's on_watch); -1: none */
	/* results */
	xb_job_state state;
	pid_t pid;                 /* also its process group; 0 before start */
	int exit_code;             /* exit status, 128 + signal, -1 not run */
	int signal;                /* the signal that ended it, 0 none */
	int64_t start_ns, end_ns;  /* CLOCK_MONOTONIC; 0 when not run */
	xb_buf tail;               /* the last tail_lines lines of output,
				    * each ending in '\n', long ones cut */
	size_t lines;              /* output lines seen in all */
	xb_err err;                /* why it failed (code XB_OK otherwise):
				    * XB_ERR_SPAWN/NOTFOUND, XB_ERR_CHILD,
				    * XB_ERR_IO (log), on_success's code,
				    * XB_ERR_INTERRUPTED */
	/* private to exec.c */
	int out_fd;
	int log_fd;
	xb_buf line;       /* the line being assembled */
	size_t tail_count; /* lines in tail */
} xb_job;

/* Seconds between start and end (0 when it never ran). */
double xb_job_seconds(const xb_job *job);

/* ------------------------------------------------------------------ */
/* run.c: build plans, prove each artifact, put it in place           */
/* ------------------------------------------------------------------ */

/*
 * Every plan's `go build` in parallel (under make's jobserver), its
 * output written under a temporary name, checked against the plan's
 * expectation, optionally run (smoke), and only then renamed into place.
 * A failure, a broken expectation or a signal leaves no partial artifact.
 * Everything the engine needs of a target is in its plan: it never sees
 * the profile.
 */

/* One plan's run, in the order of the plans. */
typedef struct xb_run_target {
	xb_plan *plan;         /* the caller's */
	xb_job job;
	char *tmp;             /* the temporary output; NULL after rename */
	char *log;             /* the log file; NULL once a temporary log
				* folder is gone */
	xb_facts facts;        /* what the checker read */
	xb_strv violations;    /* of the expectation */
	xb_strv diagnoses;     /* read from the linker's output */
	char sha256[65];       /* "" when not built */
	uint64_t size;
	int smoke_exit;        /* -1: not run */
	const char *verdict;   /* "ok", "failed", "broken" (expectation),
				* "not planned", "skipped", "stopped", "up
				* to date" (not built: see record) */
} xb_run_target;

typedef enum xb_run_event_kind {
	XB_RUN_STARTED,    /* target's go build began */
	XB_RUN_FINISHED,   /* target is done: verdict and job say how
			    * ("up to date": its job never ran) */
	XB_RUN_STOPPING,   /* a signal: every build is being stopped */
	XB_RUN_WARNING,    /* message: the run goes on regardless */
	XB_RUN_LOGS_KEPT,  /* something failed: message is the temporary log
			    * folder, kept for the user to read */
} xb_run_event_kind;

/* Valid during the call only. */
typedef struct xb_run_event {
	xb_run_event_kind kind;
	const xb_run_target *target; /* STARTED, FINISHED */
	const xb_job *job;     /* STARTED, FINISHED: the running copy */
	const char *verdict;   /* FINISHED */
	const char *message;   /* WARNING, LOGS_KEPT */
	int signal;            /* STOPPING */
	const xb_job *jobs;    /* every job of the run, for a status line of
				* those XB_JOB_RUNNING; NULL before any */
	size_t njobs;
	size_t running, finished, total;
} xb_run_event;

/* Plans still being made when the run starts: the first builds run
 * meanwhile.  ready sets *made to how many of the first plans are made
 * now (it may make more first; never fewer than it said before, n once
 * all are); fd is readable when more may be.  A failure stops the run:
 * the builds running are stopped and xb_run_plans returns it. */
typedef struct xb_run_feed {
	int fd;
	xb_code (*ready)(void *ctx, size_t *made, xb_err *err);
	void *ctx;
} xb_run_feed;

typedef struct xb_run_opts {
	int jobs;              /* most builds at once; 0: make's or CPUs */
	bool keep_going;       /* a failed target does not stop the others */
	bool smoke;            /* run each artifact (qemu for foreign arches) */
	const char *logdir;    /* per-target logs; NULL: a temporary folder
				* removed afterwards unless a target failed */
	const char *makeflags; /* MAKEFLAGS, for make's jobserver; NULL: none */
	const char *hostos, *hostarch; /* where smoke runs natively (GOOS,
					* GOARCH of this machine) */
	const char *go_version, *goroot; /* the go the plans run (with
					  * record: the go list cache's
					  * key); NULL: not known */
	bool record;           /* `xbuild build`: remember in the cache what
				* each artifact put in place was built from,
				* and build none whose record still holds
				* (its verdict "up to date", no hook run) */
	bool force;            /* with record: build every target all the
				* same */
	void (*on_event)(const xb_run_event *ev, void *ctx); /* may be NULL */
	void *ctx;
	const xb_run_feed *feed; /* NULL: every plan is made */
} xb_run_opts;

typedef struct xb_run_result {
	size_t failed;         /* builds, smoke runs, plans with errors */
	size_t broken;         /* artifacts that broke their expectation */
	int signal;            /* that stopped the run; 0: none */
} xb_run_result;

/*
 * Run p's before: hooks in turn, in the current folder, their output on
 * stderr; templates take the release's fields (rel, else build_version as
 * the version) and .ProjectName.  The first that fails stops them, with
 * XB_ERR_CHILD.
 */
xb_code xb_run_before(const xb_profile *p, const struct xb_relver *rel,
		      const char *build_version, xb_err *err);
/*
 * Run plans[0..n) (those without errors; the others count as failed),
 * with o->feed as they are made.  *out receives n results even on
 * failure (free with xb_run_targets_free; a plan never made is
 * "skipped").  Returns XB_OK when every build ran to its verdict (see
 * res for failures), XB_ERR_INTERRUPTED when a signal stopped it
 * (res->signal), XB_ERR_USAGE when two plans write one output (found
 * before either builds, or with a feed when the second is made: the
 * builds running are then stopped), the feed's failure, or another code
 * when the run could not be set up.
 */
xb_code xb_run_plans(xb_plan *plans, size_t n, const xb_run_opts *o,
		     xb_run_target **out, xb_run_result *res, xb_err *err);
void xb_run_targets_free(xb_run_target *t, size_t n);

/* ------------------------------------------------------------------ */
/* gitsrc.c: the source of a release                                  */
/* ------------------------------------------------------------------ */

typedef struct xb_source {
	char *revision;         /* git's HEAD; NULL outside a work tree */
	bool dirty;             /* tracked files have uncommitted changes */
	long long epoch;        /* the time of archive entries */
	const char *epoch_from; /* "SOURCE_DATE_EPOCH", "commit", "none" */
} xb_source;

void xb_source_init(xb_source *src);
void xb_source_release(xb_source *src);
/* Ask git (in the current folder) for the revision and dirtiness; the
 * epoch is sde (SOURCE_DATE_EPOCH's value) when set, else the commit
 * time, else 0.  XB_ERR_USAGE when sde is not a number of seconds. */
xb_code xb_source_read(xb_source *src, const char *sde, xb_err *err);
/* The version of a snapshot release of src: the last tag (less a leading
 * 'v'), else 0.0.0, then "-SNAPSHOT-" and the short commit ("1.2.3-
 * SNAPSHOT-abc1234"; no commit outside a work tree).  Caller frees; NULL
 * when out of memory. */
char *xb_source_snapshot_version(const xb_source *src);

/*
 * The one version of a run and what templates say of the release (.Version,
 * .Tag, .Commit, .Date, ...): the version given (--version or
 * --build-version, else XBUILD_VERSION), else the tag at HEAD, else a
 * snapshot version ("TAG-SNAPSHOT-SHORTCOMMIT" after the last tag, or
 * "0.0.0-SNAPSHOT-SHORTCOMMIT"; "dev" outside a git work tree).
 * Strings owned; NULL when unknown.
 */
typedef struct xb_relver {
	char *version;          /* without a leading "v" */
	char *raw_version;      /* as given or tagged */
	char *tag;              /* the tag at HEAD, else the version given */
	char *commit, *short_commit;
	char *date, *commit_date;           /* RFC 3339, UTC */
	char *timestamp, *commit_timestamp; /* seconds since 1970 */
	bool snapshot;
	bool dirty;             /* tracked files differ from the commit */
	const char *from;       /* "given", "tag", "snapshot" */
} xb_relver;

void xb_relver_init(xb_relver *v);
void xb_relver_release(xb_relver *v);
/* Fill v in the current folder: given (NULL: none) is the version asked
 * for; the date is sde (SOURCE_DATE_EPOCH) when set, else now. */
xb_code xb_relver_read(xb_relver *v, const char *given, const char *sde,
		       xb_err *err);
/* A snapshot's version named by a template (a profile's
 * snapshot_version): tmpl expanded with v's fields (.Version the snapshot
 * version xb_relver_read made) and project, then made v's version and
 * raw version.  XB_ERR_USAGE for a template that does not expand. */
xb_code xb_relver_snapshot(xb_relver *v, const char *project, const char *tmpl,
			   xb_err *err);

/* ------------------------------------------------------------------ */
/* profile-archive.c: a profile's archives: and checksum:             */
/* ------------------------------------------------------------------ */

/* One files: entry of an archive. */
typedef struct xb_archive_file {
	char *src;         /* a glob(3) pattern, relative to the project */
	char *dst;         /* the folder it goes to; NULL: its own path */
	bool strip_parent; /* under dst by its file name alone */
	int mode;          /* permission bits; -1: 0755 when executable,
			    * else 0644 */
	bool has_mtime;
	long long mtime;   /* seconds since 1970; else the release's epoch */
} xb_archive_file;

/* format_overrides: the formats of one GOOS. */
typedef struct xb_archive_override {
	char *goos;
	xb_strv formats;
} xb_archive_override;

/* One archives: entry: an archive per target of the builds it names. */
typedef struct xb_archive_spec {
	char *id;
	xb_strv builds;    /* build ids; empty: every build */
	char *name;        /* template, without the extension; NULL: the
			    * first binary's folder, as the archives
			    * setting names an archive */
	xb_strv formats;   /* "tar.gz", "tar.xz", "tar.zst", "zip",
			    * "binary" (released as it is, renamed) */
	xb_archive_override *overrides;
	size_t noverrides;
	xb_archive_file *files;
	size_t nfiles;
	char *wrap;        /* NULL: no folder; "": one named as the
			    * archive; else a template of its name */
	bool strip_binary_directory; /* binaries by their file name */
	xb_pos pos;
} xb_archive_spec;

/* checksum: the file of the released assets' hashes. */
typedef struct xb_checksum_spec {
	char *name;        /* template; NULL: SHA256SUMS */
	char *algorithm;   /* "sha256", "sha512" */
	xb_strv ids;       /* archive ids covered; empty: every asset */
	bool disable;      /* no checksum file */
	xb_pos pos;
} xb_checksum_spec;

/* ------------------------------------------------------------------ */
/* release.c: the release folder: layout, shard, manifest, archives   */
/* ------------------------------------------------------------------ */

/* packages: the Linux packages a release writes of each linux target
 * (lib/pkg.c).  Strings NULL: unset (name: the profile's, else the first
 * binary's; description: a line naming the package). */
typedef struct xb_pkg_content {
	char *src;         /* a file, relative to the current folder */
	char *dst;         /* an absolute path in the package */
	unsigned mode;     /* permission bits */
} xb_pkg_content;

typedef struct xb_pkgconf {
	xb_strv formats;   /* "deb", "rpm" */
	char *name, *maintainer, *description, *license, *vendor, *homepage;
	xb_pkg_content *contents;
	size_t ncontents;
	xb_strv depends;   /* "NAME", "NAME (OP VERSION)" or "NAME OP VERSION" */
} xb_pkgconf;

/* One archive: binaries of the release packed as path, with files of the
 * project; format "binary": the one binary of srcs copied to path. */
typedef struct xb_release_archive {
	char *path;            /* inside the release */
	const char *format;    /* "tar.gz", "tar.xz", "tar.zst", "zip",
				* "binary" */
	const char *target;    /* the plan's */
	const char *id;        /* its archives: entry's; NULL: none */
	bool asset;            /* the checksum file lists it */
	xb_strv srcs;          /* release-relative sources */
	xb_strv names;         /* their names inside the archive */
	xb_strv files;         /* project files, as found */
	xb_strv file_names;    /* their names inside the archive */
	int *file_modes;       /* per file: permission bits */
	long long *file_mtimes; /* per file: its time; -1: the epoch */
} xb_release_archive;

/* One file of a written release, for the caller to list. */
typedef struct xb_release_artifact {
	const char *path, *target; /* the release's */
	const char *kind;      /* "binary", "archive", "universal", "sbom",
				* "package", "checksum" */
	char sha256[65];
	uint64_t size;
} xb_release_artifact;

/* A fat Mach-O the release makes of two of its binaries. */
typedef struct xb_release_universal {
	char *path;            /* inside the release */
	size_t amd64, arm64;   /* the plans of its slices */
} xb_release_universal;

typedef struct xb_release {
	char **rels;           /* per plan: its path inside the release */
	size_t n;
	xb_release_archive *archives;
	size_t narchives;
	xb_release_universal *universals;
	size_t nuniversals;
	xb_release_artifact *artifacts; /* after xb_release_write */
	size_t nartifacts;
	xb_strv sbom_paths;    /* the SBOMs' paths, which artifacts use */
	/* the checksum file, when archives: or checksum: is given
	 * (xb_release_assets); else SHA256SUMS lists every file */
	bool assets;           /* the checksum file lists the assets */
	bool *raw;             /* per plan: its binary is an asset */
	char *sums;            /* the checksum file; NULL: none */
	const char *algorithm; /* "sha256", "sha512" */
	/* set by the caller before xb_release_write: the profile's
	 * packages: (NULL: none) and the version they carry */
	const xb_pkgconf *packages;
	const char *version;
	xb_strv pkg_paths;     /* the packages written (artifacts' paths) */
} xb_release;

void xb_release_init(xb_release *r);
void xb_release_release(xb_release *r);
/* Keep only the plans of shard k of count of the matrix (the profile's
 * targets, in its order), split as xb_shard_split does; the others are
 * released and *n shrinks. */
xb_code xb_release_shard(xb_plan *plans, size_t *n, const xb_profile *p,
			 const xb_strv *matrix, int k, int count, xb_err *err);
/* Where each plan's output goes inside the release folder dist (its path
 * less a leading "dist/" or "DIST/") and the archives of its plan's
 * formats.  XB_ERR_USAGE for an output outside the folder, one of the
 * release's own names, one written twice, an unknown archive format or an
 * archive that would overwrite a binary. */
xb_code xb_release_layout(xb_release *r, const xb_plan *plans, size_t n,
			  const char *dist, xb_err *err);
/* After xb_release_layout, when p has archives: or checksum:: the
 * archives of its archives: list (in place of the targets' archives
 * setting), one per entry and target of the builds it names, named by
 * its templates filled with rv (NULL: version "dev") and the target's
 * fields, with the project's files it lists; and the checksum file's
 * name.  XB_ERR_USAGE for a name that leaves the folder, clashes with a
 * file of the release or fails its template, and for a files: glob that
 * cannot be read. */
xb_code xb_release_assets(xb_release *r, const xb_profile *p,
			  const xb_plan *plans, const xb_relver *rv,
			  xb_err *err);
/* Point each plan's output (and its -o) at folder/its path, making the
 * folders when mkdirs. */
xb_code xb_release_retarget(const xb_release *r, xb_plan *plans,
			    const char *folder, bool mkdirs, xb_err *err);
/* Compare every binary of two builds, folders a and b; each difference
 * is a line in probs.  Returns how many differ. */
size_t xb_release_compare(const xb_release *r, const xb_plan *plans,
			  const char *a, const char *b, xb_strv *probs);
/* With every binary built into dir by plans (results rt): set their
 * times to epoch, record them in m, write each one's SBOM (as its plan's
 * sbom says), pack the archives and write the packages (r->packages) with
 * times epoch, make the universal binaries, write the checksum file and
 * manifest.json into dir, and list everything in r->artifacts. */
xb_code xb_release_write(xb_release *r, const char *dir, const xb_plan *plans,
			 const xb_run_target *rt, const char *go_version,
			 long long epoch, xb_manifest *m, xb_err *err);

/* ------------------------------------------------------------------ */
/* sbom.c: a bill of materials read from the artifact itself          */
/* ------------------------------------------------------------------ */

/* How to write one SBOM.  Strings are the caller's. */
typedef struct xb_sbom_opts {
	const char *format;  /* "cyclonedx" (also NULL) or "spdx" */
	const char *name;    /* the artifact's name: its path in a release,
			      * else its file name */
	const char *sha256;  /* hex SHA-256 of the artifact: its hash in the
			      * document and the seed of the serial number */
	long long epoch;     /* the document's time (seconds since 1970);
			      * < 0: none (CycloneDX leaves it out, SPDX,
			      * which requires one, takes the current time) */
	const xb_plan *plan; /* the plan that built it (C compiler, static
			      * C libraries, target), or NULL */
} xb_sbom_opts;

/* Whether format is one xb_sbom_write writes ("cyclonedx", "spdx"). */
bool xb_sbom_format_ok(const char *format);
/* The file name suffix of format: ".cdx.json" or ".spdx.json". */
const char *xb_sbom_suffix(const char *format);
/*
 * Append to out a CycloneDX 1.5 or SPDX 2.3 JSON document of the artifact
 * described by f: its main module, every module its Go build info lists
 * (version, package URL, go.sum hash), the Go release, the build settings,
 * the libc and linkage the checker read and, with a plan, the C compiler
 * and the static C libraries of the link.  The same facts and options
 * give the same bytes.  XB_ERR_NOTFOUND when f has no Go build info.
 */
xb_code xb_sbom_write(const xb_facts *f, const xb_sbom_opts *o, xb_buf *out,
		      xb_err *err);

#endif /* XBUILD_RUN_H */
