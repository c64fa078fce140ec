/* profile-int.h: what the files of the profile module share (lib/ only):
 * the schema of the settings and the checks on their values, targets,
 * reading one file into a layer, resolution. */
#ifndef XB_PROFILE_INT_H
#define XB_PROFILE_INT_H

#include "profile.h"
#include "yamltree.h"

/* profile-schema.c: the settings ---------------------------------------- */

enum kind { K_ENUM, K_BOOL, K_STR, K_LIST, K_ENV, K_TOOLCHAIN, K_EXPECT };
enum split { SPLIT_NONE, SPLIT_COMMA, SPLIT_SPACE };

struct sdef {
	const char *name;
	enum kind kind;
	size_t off;
	const char *const *allowed;
	enum split split;
	bool expand; /* ${VAR} expansion happens here */
};

/* One per xb_setting_id, in its order. */
extern const struct sdef xb_sdefs[XB_S_COUNT];
/* Their names, NULL-terminated, for "did you mean". */
extern const char *const xb_setting_names[];

/* The field of setting id in s, by its kind. */
static inline char **str_field(xb_settings *s, int id)
{
	return (char **)((char *)s + xb_sdefs[id].off);
}
static inline int *int_field(xb_settings *s, int id)
{
	return (int *)((char *)s + xb_sdefs[id].off);
}
static inline xb_strv *strv_field(xb_settings *s, int id)
{
	return (xb_strv *)((char *)s + xb_sdefs[id].off);
}
#define CSTR(s, id) (*str_field((xb_settings *)(s), id))
#define CINT(s, id) (*int_field((xb_settings *)(s), id))
#define CSTRV(s, id) (strv_field((xb_settings *)(s), id))

/* "a, b or c" into b */
void xb_list_words(xb_buf *b, const char *const *list);
/* The xb_closest of list to v, or NULL when nothing is close. */
const char *xb_closest(const char *v, const char *const *list);
/* v is letters, digits and characters of extra, and not empty. */
int xb_valid_word(const char *v, const char *extra);

/*
 * Setters of one setting id of s from a value a profile or the command
 * line wrote.  They return XB_ERR_PROFILE with the reason in msg (n
 * bytes), or XB_ERR_NOMEM.
 */
/* One list item, checked. */
xb_code xb_setting_push(xb_settings *s, int id, const char *v, char *msg,
			size_t n);
/* text split into list items as the setting splits (commas, spaces). */
xb_code xb_setting_split(xb_settings *s, int id, const char *text,
			 char *msg, size_t n);
/* A single value (enum, bool, string). */
xb_code xb_setting_scalar(xb_settings *s, int id, const char *v, char *msg,
			  size_t n);
/* Checks KEY=VALUE for env: (only the check; nothing is set). */
xb_code xb_env_check(const char *kv, char *msg, size_t n);

/* profile-target.c: targets --------------------------------------------- */

/* Set t's names from its parts, each checked; err lists what is known. */
xb_code xb_target_set(xb_target *t, const char *os, const char *arch,
		      const char *variant, xb_err *err);
/* '*' matches any one part; a pattern without a variant matches every
 * variant. */
int xb_target_match(const char *pattern, const xb_target *t);
void xb_target_free_names(xb_target *t);

/* profile-layer.c: one file's tree into a layer --------------------------- */

#define MAX_EXTENDS 16       /* length of an extends: chain */

/* The keys of a profile's top level, NULL-terminated. */
extern const char *const xb_top_keys[];

/* What one file sets (has_*: it sets that key, and replaces what the
 * files it extends set). */
struct layer {
	bool has_version, has_name, has_main, has_output, has_targets,
	     has_ignore, has_builds, has_before, has_universal;
	bool universal;
	int version;
	char *name, *output;
	xb_pos name_pos, main_pos, output_pos, version_pos;
	xb_strv main, ignore;
	xb_pos ignore_pos;
	xb_settings defaults;
	xb_target *targets;
	size_t ntargets;
	char *extends;
	xb_pos extends_pos;
	/* builds: each item a layer over this one's keys */
	struct layer *builds;
	size_t nbuilds;
	char *id;                 /* an item of builds: */
	xb_pos id_pos;
	xb_strv hooks_pre, hooks_post; /* an item of builds: */
	xb_strv before;           /* before: hooks: */
	char *snapshot_version;   /* snapshot: version_template: */
	xb_pos snapshot_pos;
	bool has_archives;
	xb_archive_spec *archives;
	size_t narchives;
	xb_checksum_spec *checksum; /* NULL: not set here */
	xb_pkgconf *packages;     /* packages:; NULL: not set here */
};

/* One load: where problems go, and the extends: chain being followed. */
struct lctx {
	xb_profile *p;
	/* the builds: of the last layer that has them, and before: hooks;
	 * made into p->builds once every file is read */
	struct layer *builds;
	size_t nbuilds;
	xb_diags *d;
	const xb_profile_opts *o;
	const char *file;         /* interned in p->files */
	const char *chain[MAX_EXTENDS + 1]; /* real paths */
	const char *shown[MAX_EXTENDS + 1]; /* as named */
	int depth;
};

void xb_layer_init(struct layer *l);
void xb_layer_release(struct layer *l);
/* Walk root (of file c->file) into l; every problem goes to c->d. */
void xb_layer_parse(struct lctx *c, struct layer *l, const xb_ynode *root);
/* The items of builds: (node v) into l->builds; parse_item walks one
 * item's mapping into its layer (profiles and GoReleaser files differ). */
void xb_layer_builds(struct lctx *c, struct layer *l, const xb_ynode *v,
		     void (*parse_item)(struct lctx *, struct layer *,
					const xb_ynode *, void *), void *arg);
/* Merge a layer into the profile: scalars and lists replace, defaults:
 * merges setting by setting; the layer's targets are taken. */
void xb_layer_apply(xb_profile *p, struct layer *l);
/* A mapping of settings (defaults:, x-xbuild:) into s. */
void xb_layer_settings(struct lctx *c, xb_settings *s, const xb_ynode *n,
		       const char *where);
/* The quoting of hook text (node n), its template actions aside. */
void xb_check_hook_words(struct lctx *c, const xb_ynode *n, const char *text);
/* A hooks list (one command line per item, split into words when run) */
void xb_layer_hooks(struct lctx *c, xb_strv *out, const char *key,
		    const xb_ynode *v);

/* profile-pkg.c: packages: ---------------------------------------------- */

/* packages: (node v) into *out (replacing it); problems go to c->d. */
void xb_layer_packages(struct lctx *c, xb_pkgconf **out, const xb_ynode *v);
/* A GoReleaser file's nfpms: (node v, a list of one entry) into *out:
 * package_name, formats (deb and rpm; others are skipped), maintainer,
 * description, license, vendor, homepage, contents (src, dst, file_info:
 * mode, type: a file or config) and dependencies; the rest is reported as
 * not handled. */
void xb_goreleaser_nfpms(struct lctx *c, xb_pkgconf **out, const xb_ynode *v);
/* Free c and what it owns (NULL: nothing). */
void xb_pkgconf_free(xb_pkgconf *c);

/* profile-goreleaser.c: a GoReleaser configuration into a layer ----------- */

/* The template in node n's text checked (fields, functions, syntax); a
 * mistake reported at its line and column. */
void xb_check_tmpl(struct lctx *c, const xb_ynode *n, const char *text);
/* Walk root (of the .goreleaser.yaml c->file) into l, as xb_layer_parse. */
void xb_goreleaser_parse(struct lctx *c, struct layer *l, const xb_ynode *root);

/* profile-archive.c: archives: and checksum: ---------------------------- */

/* The two spellings: a profile's keys, or a .goreleaser.yaml's. */
enum archive_dialect { AD_XBUILD, AD_GORELEASER };

void xb_archive_spec_release(xb_archive_spec *a);
void xb_checksum_spec_free(xb_checksum_spec *c);
void xb_archive_specs_free(xb_archive_spec *a, size_t n);
/* archives: (a list) into l, replacing what l had. */
void xb_parse_archives(struct lctx *c, struct layer *l, const xb_ynode *v,
		       enum archive_dialect d);
/* checksum: (a mapping) into l. */
void xb_parse_checksum(struct lctx *c, struct layer *l, const xb_ynode *v,
		       enum archive_dialect d);
/* What a .goreleaser.yaml without archives: or checksum: gets. */
void xb_archives_goreleaser_defaults(struct lctx *c, struct layer *l,
				     const xb_ynode *root);

/* profile-resolve.c: resolution ----------------------------------------- */

/* Resolve every target's settings (p->ignore is applied and emptied) and
 * report the conflicts to d.  Fails only for lack of memory. */
xb_code xb_profile_resolve(xb_profile *p, xb_diags *d);
/* p->builds made from the layers of builds: (whose targets are taken),
 * each resolved; p is the top level, not yet resolved.  Problems go to d;
 * fails only for lack of memory. */
xb_code xb_profile_builds(xb_profile *p, struct layer *builds, size_t n,
			  xb_diags *d);
/* p->targets made the union of its builds' resolved targets, each with
 * the first build's settings that lists it (a profile with builds: only).
 * Fails only for lack of memory. */
xb_code xb_profile_union(xb_profile *p, xb_diags *d);

#endif
