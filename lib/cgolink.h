/* cgolink.h: the C libraries of a static cgo link, private to lib/ (the
 * planner, goenv's cache, the link diagnosis) and the tests; and what the
 * module's two files share: cgolink.c (the package graph, library
 * folders, the -ldflags word) and cgolink-resolve.c (pkg-config,
 * archives, the link's flags). */
#ifndef XB_CGOLINK_H
#define XB_CGOLINK_H

#include "xbuild.h"

/*
 * Use (the planner, per target with cgo):
 *
 *	xb_cgolink q; xb_cgolink_init(&q);
 *	xb_cgolink_query(go, dir, pkg, build_env, &q, &err);   // go list once
 *	o.linkage = XB_CGOLINK_STATIC; o.cross = ...; o.sysroot = ...;
 *	xb_cgolink_out r; xb_cgolink_out_init(&r);
 *	rc = xb_cgolink_resolve(&q, &o, &r, &err);
 *	// rc != XB_OK with r.errors: refuse the plan, print each error
 *	// r.env: set in the go build's environment (pkg-config for cgo)
 *	// r.extldflags: all of -extldflags; xb_cgolink_ldflag() makes
 *	//   the word for -ldflags "-linkmode external <word>"
 *	// (static-pie also needs -buildmode=pie: the planner's)
 *	// r.reasons: into the plan's reasons
 */

/* The cgo link inputs of one non-standard package of the graph. */
typedef struct xb_cgolink_pkg {
	char *import_path;
	xb_strv ldflags;    /* CgoLDFLAGS, as go list evaluated them */
	xb_strv pkg_config; /* CgoPkgConfig: "#cgo pkg-config:" words */
	bool cxx;           /* has C++ files (CXXFiles, SwigCXXFiles) */
	bool fortran;       /* has Fortran files (FFiles) */
} xb_cgolink_pkg;

/* What `go list -deps -json` says about a program's cgo link. */
typedef struct xb_cgolink {
	xb_cgolink_pkg *pkgs; /* packages with cgo link inputs, in go
			       * list's order (dependencies first) */
	size_t n, cap;
	bool cgo;         /* some non-standard package uses cgo */
	bool runtime_cgo; /* runtime/cgo is in the graph */
	bool cxx, fortran; /* some package has C++ / Fortran files */
} xb_cgolink;

void xb_cgolink_init(xb_cgolink *q);
void xb_cgolink_release(xb_cgolink *q);
/*
 * Run `go list -deps -json=... -- pkg` once in dir (NULL: here) with the
 * build's environment envp (GOOS, GOARCH, CGO_ENABLED=1, CC, GOFLAGS
 * with -tags...; NULL: this process's) and collect, over every package
 * outside the standard library, its CgoLDFLAGS, CgoPkgConfig and whether
 * it has C++ or Fortran files.  go is the go command (NULL: "go").
 * A failing go list gives XB_ERR_CHILD with the end of its stderr.
 */
xb_code xb_cgolink_query(const char *go, const char *dir, const char *pkg,
			 const char *const *envp, xb_cgolink *q, xb_err *err);
/* Parse go list -json output (a stream of objects) into q; for tests. */
xb_code xb_cgolink_parse(const char *json, size_t len, xb_cgolink *q,
			 xb_err *err);

typedef enum xb_cgolink_linkage {
	XB_CGOLINK_DYNAMIC = 0,
	XB_CGOLINK_STATIC,
	XB_CGOLINK_STATIC_PIE,
} xb_cgolink_linkage;

typedef struct xb_cgolink_opts {
	xb_cgolink_linkage linkage;
	bool cross;            /* the target is not the host: link only the
				* target's libraries, never the host's */
	/*
	 * Where the target's libraries and .pc files are: a profile's
	 * `sysroot:` or the toolchain's.  pkg-config runs with
	 * PKG_CONFIG_LIBDIR=<sysroot>/usr/lib/pkgconfig:
	 * <sysroot>/usr/lib/<triplet>/pkgconfig:<sysroot>/usr/share/pkgconfig
	 * (after pkg_config_path) and PKG_CONFIG_SYSROOT_DIR=<sysroot>, and
	 * its existing library folders are added as -L.  NULL: none (a
	 * cross link then has no .pc files but pkg_config_path's).
	 */
	const char *sysroot;
	/*
	 * The compiler's own libc sysroot (/usr/aarch64-linux-gnu), when
	 * it is not sysroot: its paths are allowed in a cross link.  The
	 * two combine: libc and the C runtime come from here through the
	 * compiler; everything else from sysroot.
	 */
	const char *toolchain_sysroot;
	const char *triplet;   /* "aarch64-linux-gnu": multiarch folders;
				* /usr/lib/<triplet> is the target's */
	const char *const *pkg_config_path; /* profile's, searched first */
	const char *const *extra_libs; /* profile's: "-lfoo", "foo" or a
					* path, linked after the rest */
	bool static_libstdcxx; /* profile: C++ runtime static in dynamic
				* builds too */
	const char *pkg_config; /* program; NULL: $PKG_CONFIG or pkg-config */
	const char *const *envp; /* the build's environment, for PATH and
				  * (host builds) PKG_CONFIG_PATH; NULL:
				  * this process's */
} xb_cgolink_opts;

#define XB_CGOLINK_OPTS_INIT { XB_CGOLINK_DYNAMIC, false, NULL, NULL, NULL, \
			       NULL, NULL, false, NULL, NULL }

/* What the link needs. */
typedef struct xb_cgolink_out {
	xb_strv extldflags; /* for the external linker, in link order;
			     * libraries deduplicated keeping the last */
	xb_strv env;        /* "KEY=VALUE" for the go build's environment
			     * (PKG_CONFIG_* so that cgo's own pkg-config
			     * calls see the target's .pc files) */
	xb_strv reasons;    /* one line per decision, where each library
			     * came from */
	xb_strv errors;     /* why this link cannot be right (a host
			     * library path in a cross link, a missing
			     * pkg-config module) */
} xb_cgolink_out;

void xb_cgolink_out_init(xb_cgolink_out *r);
void xb_cgolink_out_release(xb_cgolink_out *r);
/*
 * Compute the external linker flags for q under o: for static and
 * static-pie links `#cgo pkg-config: X` becomes `pkg-config --static
 * --libs X`, and each -lX with an X.pc or libX.pc gets that file's
 * private libraries and requirements; C++ gets its runtime linked
 * statically (-static-libstdc++ -static-libgcc -lstdc++), in dynamic
 * builds only with static_libstdcxx.  Static links start with -static
 * or -static-pie, so r->extldflags is the whole -extldflags.  Returns
 * XB_ERR_CONFLICT (first one in err, all in r->errors) when the link
 * cannot be right; XB_ERR_SPAWN when pkg-config cannot run.
 */
xb_code xb_cgolink_resolve(const xb_cgolink *q, const xb_cgolink_opts *o,
			   xb_cgolink_out *r, xb_err *err);
/*
 * Append "-extldflags=F1 F2..." to b, quoted for go's -ldflags (a flag
 * with a space in single quotes, the whole in double quotes when
 * needed), to go after "-linkmode external" in one -ldflags value.
 */
xb_code xb_cgolink_ldflag(const xb_strv *extldflags, xb_buf *b, xb_err *err);
/* The existing library folders of a sysroot ("/" for the host) for
 * triplet, most specific first: usr/lib/<multiarch>, usr/lib,
 * lib/<multiarch>, lib, usr/local/lib (host only). */
xb_code xb_cgolink_lib_dirs(const char *sysroot, const char *triplet,
			    xb_strv *dirs);
/* Debian's multiarch name of a GNU triplet into out (n bytes): the
 * vendor field dropped, every 32-bit x86 as i386 (i686-linux-gnu ->
 * i386-linux-gnu); any other name as it is. */
void xb_cgolink_multiarch(const char *triplet, char *out, size_t n);

/* The stderr kept of go list and pkg-config, for their failures. */
#define CGOLINK_STDERR_MAX (256u << 10)

#endif
