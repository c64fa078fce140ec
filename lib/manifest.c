/* manifest.c: release manifests (manifest.json), SHA256SUMS, and the merge
 * of shard releases built on different machines.
 *
 * A manifest is a JSON object (schema "xbuild-manifest/1"): project,
 * version, source {revision, epoch}, matrix (every target of the whole
 * release), optional shard {index, count}, and artifacts sorted by path,
 * each {target, kind, path, size, sha256, ...details}.  Keys are written
 * sorted, so equal releases give equal bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "manifest.h"

#define SCHEMA "xbuild-manifest/1"
#define MANIFEST_MAX (64u << 20)

struct xb_manifest {
	json_t *root;
	char *dir; /* where it was loaded from, or NULL */
};

xb_manifest *xb_manifest_new(const char *project, const char *version,
			     const char *revision, long long epoch,
			     const xb_strv *matrix, int shard_index,
			     int shard_count)
{
	xb_manifest *m = calloc(1, sizeof(*m));
	json_t *mx = json_array();

	if (!m || !mx)
		goto fail;
	for (size_t i = 0; i < matrix->n; i++)
		json_array_append_new(mx, json_string(matrix->v[i]));
	m->root = json_pack("{s:s, s:s?, s:s?, s:{s:s?, s:I}, s:o, s:[]}",
			    "schema", SCHEMA, "project", project,
			    "version", version, "source", "revision", revision,
			    "epoch", (json_int_t)epoch, "matrix", mx,
			    "artifacts");
	mx = NULL;
	if (!m->root)
		goto fail;
	if (shard_count > 1 &&
	    json_object_set_new(m->root, "shard",
				json_pack("{s:i, s:i}", "index", shard_index,
					  "count", shard_count)))
		goto fail;
	return m;
fail:
	json_decref(mx);
	xb_manifest_free(m);
	return NULL;
}

void xb_manifest_free(xb_manifest *m)
{
	if (!m)
		return;
	json_decref(m->root);
	free(m->dir);
	free(m);
}

/* Record dir/path with its size and sha256 and the keys of details (an
 * object, whose reference this takes). */
static xb_code add_artifact(xb_manifest *m, const char *dir, const char *path,
			    const char *target, const char *kind,
			    json_t *details, xb_err *err)
{
	unsigned char d[32];
	char hex[65];
	xb_buf full = XB_BUF_INIT;
	struct stat st;
	json_t *a = details;
	xb_code rc;

	if (!a)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (xb_buf_addf(&full, "%s/%s", dir, path)) {
		json_decref(a);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	if (stat(xb_buf_str(&full), &st) < 0) {
		rc = xb_fail(err, XB_ERR_IO, "cannot stat '%s':", xb_buf_str(&full));
		xb_buf_release(&full);
		json_decref(a);
		return rc;
	}
	rc = xb_sha256_file(xb_buf_str(&full), d, err);
	xb_buf_release(&full);
	if (rc) {
		json_decref(a);
		return rc;
	}
	xb_hex(d, 32, hex);
	if (json_object_set_new(a, "target", json_string(target)) ||
	    json_object_set_new(a, "kind", json_string(kind)) ||
	    json_object_set_new(a, "path", json_string(path)) ||
	    json_object_set_new(a, "size", json_integer((json_int_t)st.st_size)) ||
	    json_object_set_new(a, "sha256", json_string(hex)) ||
	    json_array_append_new(json_object_get(m->root, "artifacts"), a))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

xb_code xb_manifest_add(xb_manifest *m, const char *dir, const char *path,
			const char *target, const char *kind,
			const char *details_json, xb_err *err)
{
	json_t *details;
	json_error_t je;

	if (!details_json)
		return add_artifact(m, dir, path, target, kind, json_object(),
				    err);
	details = json_loads(details_json, 0, &je);
	if (!json_is_object(details)) {
		json_decref(details);
		return xb_fail(err, XB_ERR_FORMAT,
			       "artifact details for '%s' are not a JSON object: %s",
			       path, je.text);
	}
	return add_artifact(m, dir, path, target, kind, details, err);
}

/* A string, or null for NULL (jansson has no string of NULL). */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Every string of v, then of w (w may be NULL); NULL when out of memory. */
static json_t *str_array(const xb_strv *v, const xb_strv *w)
{
	json_t *a = json_array();

	for (size_t i = 0; a && v && i < v->n; i++)
		if (json_array_append_new(a, json_string(v->v[i])))
			goto fail;
	for (size_t i = 0; a && w && i < w->n; i++)
		if (json_array_append_new(a, json_string(w->v[i])))
			goto fail;
	return a;
fail:
	json_decref(a);
	return NULL;
}

/* What the checker read of a binary. */
static json_t *facts_json(const xb_facts *f)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "format", str_or_null(f->format),
			 "arch", str_or_null(f->arch),
			 "linkage", str_or_null(f->linkage),
			 "interpreter", str_or_null(f->interpreter),
			 "needed", str_array(&f->needed, NULL),
			 "glibc_max", str_or_null(f->glibc_max),
			 "libc", str_or_null(f->libc),
			 "stripped", f->stripped == XB_NA ? json_null() :
			 json_boolean(f->stripped == 1));
}

/* The C toolchain a plan used, or null. */
static json_t *toolchain_json(const xb_plan *pl)
{
	if (!pl->has_cc)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o}",
			 "cc", str_or_null(pl->cc.cc),
			 "kind", str_or_null(pl->cc.kind),
			 "libc", str_or_null(pl->cc.libc),
			 "triplet", str_or_null(pl->cc.triplet),
			 "sha256", str_or_null(pl->cc.hash));
}

/* The plan's argv with go by name and -o naming path inside the release:
 * not this machine's folders. */
static json_t *argv_json(const xb_plan *pl, const char *path)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < pl->argv.n; i++) {
		const char *w = i == 0 ? "go" :
			i > 1 && !strcmp(pl->argv.v[i - 1], "-o") ? path :
			pl->argv.v[i];
		if (json_array_append_new(a, json_string(w))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

xb_code xb_manifest_add_binary(xb_manifest *m, const char *dir,
			       const char *path, const xb_plan *pl,
			       const xb_facts *f, const char *go_version,
			       xb_err *err)
{
	/* a part that could not be built (NULL: out of memory) fails the
	 * pack, and add_artifact reports it */
	json_t *d = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			      "build", str_or_null(pl->build_id),
			      "package", str_or_null(pl->pkg),
			      "go", str_or_null(go_version),
			      "facts", facts_json(f),
			      "toolchain", toolchain_json(pl),
			      "env", str_array(&pl->env, pl->has_cc ?
					       &pl->cc.env : NULL),
			      "argv", argv_json(pl, path),
			      "reasons", str_array(&pl->reasons, NULL));

	return add_artifact(m, dir, path, pl->target, "binary", d, err);
}

xb_code xb_manifest_add_archive(xb_manifest *m, const char *dir,
				const char *path, const char *target,
				const char *format, const xb_strv *contents,
				long long mtime, xb_err *err)
{
	json_t *d = json_pack("{s:s, s:o, s:I}", "format", format,
			      "contents", str_array(contents, NULL),
			      "mtime", (json_int_t)mtime);

	return add_artifact(m, dir, path, target, "archive", d, err);
}

static int by_path(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;

	return strcmp(json_string_value(json_object_get(a, "path")),
		      json_string_value(json_object_get(b, "path")));
}

/* Sort artifacts by path, so the order of building does not matter. */
static xb_code sort_artifacts(json_t *root)
{
	json_t *arts = json_object_get(root, "artifacts"), *sorted, **v;
	size_t n = json_array_size(arts);

	v = calloc(n ? n : 1, sizeof(*v));
	sorted = json_array();
	if (!v || !sorted) {
		free(v);
		json_decref(sorted);
		return XB_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(arts, i);
	qsort(v, n, sizeof(*v), by_path);
	for (size_t i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	return json_object_set_new(root, "artifacts", sorted) ? XB_ERR_NOMEM
							      : XB_OK;
}

xb_code xb_manifest_write(xb_manifest *m, const char *dir, xb_err *err)
{
	json_t *arts;
	xb_buf path = XB_BUF_INIT, sums = XB_BUF_INIT;
	char *text = NULL;
	xb_code rc;

	if (sort_artifacts(m->root))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	arts = json_object_get(m->root, "artifacts");
	for (size_t i = 0; i < json_array_size(arts); i++) {
		json_t *a = json_array_get(arts, i);
		if (xb_buf_addf(&sums, "%s  %s\n",
				json_string_value(json_object_get(a, "sha256")),
				json_string_value(json_object_get(a, "path")))) {
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	text = json_dumps(m->root, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (!text || xb_buf_addf(&path, "%s/manifest.json", dir)) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto out;
	}
	{
		size_t len = strlen(text);
		char *nl = realloc(text, len + 2);
		if (!nl) {
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
			goto out;
		}
		text = nl;
		memcpy(text + len, "\n", 2);
	}
	rc = xb_write_file_atomic(xb_buf_str(&path), text, strlen(text), 0644, err);
	if (rc)
		goto out;
	xb_buf_reset(&path);
	if (xb_buf_addf(&path, "%s/SHA256SUMS", dir))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	else
		rc = xb_write_file_atomic(xb_buf_str(&path), xb_buf_str(&sums),
					  sums.len, 0644, err);
out:
	free(text);
	xb_buf_release(&path);
	xb_buf_release(&sums);
	return rc;
}

/* A relative path that stays inside its folder. */
static int safe_relpath(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return 0;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 2 && s[0] == '.' && s[1] == '.') ||
		    (n == 1 && s[0] == '.'))
			return 0;
		s += n + (e ? 1 : 0);
	}
	return strchr(p, '\n') == NULL && strchr(p, '\\') == NULL;
}

static int is_hex64(const char *s)
{
	unsigned char d[32];

	return s && xb_unhex32(s, d) == 0;
}

/* Check the shape of a loaded manifest; every problem goes to probs. */
static void validate(const xb_manifest *m, xb_strv *probs)
{
	json_t *r = m->root, *arts, *mx, *shard;
	const char *schema = json_string_value(json_object_get(r, "schema"));

	if (!schema || strcmp(schema, SCHEMA)) {
		xb_strv_pushf(probs, "%s: schema is '%s' (expected '%s')", m->dir,
			      schema ? schema : "(missing)", SCHEMA);
		return;
	}
	mx = json_object_get(r, "matrix");
	if (!json_is_array(mx))
		xb_strv_pushf(probs, "%s: matrix is not a list", m->dir);
	for (size_t i = 0; i < json_array_size(mx); i++)
		if (!json_is_string(json_array_get(mx, i)))
			xb_strv_pushf(probs, "%s: matrix[%zu] is not a string",
				      m->dir, i);
	if (!json_is_object(json_object_get(r, "source")))
		xb_strv_pushf(probs, "%s: source is missing", m->dir);
	shard = json_object_get(r, "shard");
	if (shard) {
		json_int_t k = json_integer_value(json_object_get(shard, "index"));
		json_int_t n = json_integer_value(json_object_get(shard, "count"));
		if (n < 1 || k < 1 || k > n || n > 1000)
			xb_strv_pushf(probs, "%s: shard %lld/%lld is not valid",
				      m->dir, (long long)k, (long long)n);
	}
	arts = json_object_get(r, "artifacts");
	if (!json_is_array(arts)) {
		xb_strv_pushf(probs, "%s: artifacts is not a list", m->dir);
		return;
	}
	for (size_t i = 0; i < json_array_size(arts); i++) {
		json_t *a = json_array_get(arts, i);
		const char *p = json_string_value(json_object_get(a, "path"));
		if (!json_is_object(a) || !p || !safe_relpath(p) ||
		    !json_string_value(json_object_get(a, "target")) ||
		    !json_string_value(json_object_get(a, "kind")) ||
		    !is_hex64(json_string_value(json_object_get(a, "sha256"))) ||
		    !json_is_integer(json_object_get(a, "size")))
			xb_strv_pushf(probs, "%s: artifacts[%zu] is not a valid "
				      "artifact (needs target, kind, a relative "
				      "path, size and sha256)", m->dir, i);
	}
}

/* Set key to v (whose reference this takes); objects are merged. */
static xb_code set_value(xb_manifest *m, const char *key, json_t *v,
			 xb_err *err)
{
	json_t *old = json_object_get(m->root, key);

	if (!v)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (json_is_object(old) && json_is_object(v)) {
		int bad = json_object_update(old, v);
		json_decref(v);
		return bad ? xb_fail(err, XB_ERR_NOMEM, "out of memory") : XB_OK;
	}
	if (json_object_set_new(m->root, key, v))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

xb_code xb_manifest_set(xb_manifest *m, const char *key, const char *json,
			xb_err *err)
{
	json_error_t je;
	json_t *v = json_loads(json, JSON_DECODE_ANY, &je);

	if (!v)
		return xb_fail(err, XB_ERR_FORMAT, "manifest key '%s' is not "
			       "JSON: %s", key, je.text);
	return set_value(m, key, v, err);
}

xb_code xb_manifest_set_source(xb_manifest *m, bool dirty, bool snapshot,
			       const char *epoch_from, xb_err *err)
{
	return set_value(m, "source", json_pack("{s:b, s:b, s:o}", "dirty",
						dirty, "snapshot", snapshot,
						"epoch_from",
						str_or_null(epoch_from)), err);
}

xb_code xb_manifest_set_tools(xb_manifest *m, const char *go,
			      const char *go_source, const char *xbuild,
			      xb_err *err)
{
	return set_value(m, "tools", json_pack("{s:o, s:o, s:o}",
					       "go", str_or_null(go),
					       "go_source", str_or_null(go_source),
					       "xbuild", str_or_null(xbuild)),
			 err);
}

xb_manifest *xb_manifest_load(const char *dir, xb_err *err)
{
	xb_buf path = XB_BUF_INIT, text;
	json_error_t je;
	xb_manifest *m;

	xb_buf_init(&text, MANIFEST_MAX);
	if (xb_buf_addf(&path, "%s/manifest.json", dir)) {
		xb_fail(err, XB_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (xb_buf_read_file(&text, xb_buf_str(&path), err)) {
		xb_buf_release(&path);
		xb_buf_release(&text);
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m || !(m->dir = strdup(dir))) {
		free(m);
		xb_fail(err, XB_ERR_NOMEM, "out of memory");
		m = NULL;
		goto out;
	}
	m->root = json_loadb(text.data ? text.data : "", text.len,
			     JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(m->root)) {
		xb_fail(err, XB_ERR_FORMAT, "%s:%d:%d: %s", xb_buf_str(&path),
			je.line, je.column,
			m->root ? "manifest is not a JSON object" : je.text);
		xb_manifest_free(m);
		m = NULL;
	}
out:
	xb_buf_release(&path);
	xb_buf_release(&text);
	return m;
}

static const char *field(const xb_manifest *m, const char *a, const char *b)
{
	json_t *v = json_object_get(m->root, a);

	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* The same release: project, version, revision, Go release, epoch,
 * matrix, count.  Shards built by different Go releases are not one
 * release: the Go release is part of every plan. */
static void same_release(const xb_manifest *a, const xb_manifest *b,
			 xb_strv *probs)
{
	static const char *const keys[][2] = {
		{ "project", NULL }, { "version", NULL }, { "source", "revision" },
		{ "tools", "go" },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(field(a, keys[i][0], keys[i][1]),
			   field(b, keys[i][0], keys[i][1])))
			xb_strv_pushf(probs, "%s: %s%s%s is '%s', but %s has '%s'",
				      b->dir, keys[i][0], keys[i][1] ? "." : "",
				      keys[i][1] ? keys[i][1] : "",
				      field(b, keys[i][0], keys[i][1]), a->dir,
				      field(a, keys[i][0], keys[i][1]));
	if (!json_equal(json_object_get(json_object_get(a->root, "source"), "epoch"),
			json_object_get(json_object_get(b->root, "source"), "epoch")))
		xb_strv_pushf(probs, "%s: source.epoch differs from %s", b->dir,
			      a->dir);
	if (!json_equal(json_object_get(a->root, "matrix"),
			json_object_get(b->root, "matrix")))
		xb_strv_pushf(probs, "%s: matrix differs from %s (shards of "
			      "different releases?)", b->dir, a->dir);
	if (!json_equal(json_object_get(json_object_get(a->root, "shard"), "count"),
			json_object_get(json_object_get(b->root, "shard"), "count")))
		xb_strv_pushf(probs, "%s: shard count differs from %s", b->dir,
			      a->dir);
}

/* Every artifact's file is there with the size and hash it claims. */
static void check_files(const xb_manifest *m, xb_strv *probs)
{
	json_t *arts = json_object_get(m->root, "artifacts");
	xb_buf p = XB_BUF_INIT;

	for (size_t i = 0; i < json_array_size(arts); i++) {
		json_t *a = json_array_get(arts, i);
		const char *path = json_string_value(json_object_get(a, "path"));
		const char *want = json_string_value(json_object_get(a, "sha256"));
		unsigned char d[32];
		char hex[65];
		xb_err e = XB_ERR_INIT;

		if (!path || !want)
			continue;
		xb_buf_reset(&p);
		if (xb_buf_addf(&p, "%s/%s", m->dir, path))
			xb_fail(&e, XB_ERR_NOMEM, "%s: out of memory", m->dir);
		if (e.code || xb_sha256_file(xb_buf_str(&p), d, &e)) {
			xb_strv_pushf(probs, "%s", xb_errmsg(&e));
			continue;
		}
		xb_hex(d, 32, hex);
		if (strcmp(hex, want))
			xb_strv_pushf(probs, "%s: sha256 is %s, but the manifest "
				      "says %s (modified after the build?)",
				      xb_buf_str(&p), hex, want);
	}
	xb_buf_release(&p);
}

/* Whether problems were found since before: a problem that could not be
 * pushed counts too, or a merge could go ahead without it. */
static bool problems(const xb_strv *probs, size_t before)
{
	return probs->n > before || xb_strv_failed(probs);
}

/* Shards: one release, every index 1..count exactly once. */
static xb_code check_shards(xb_manifest *const *ms, size_t n, xb_strv *probs,
			    xb_err *err)
{
	size_t count = (size_t)json_integer_value(
		json_object_get(json_object_get(ms[0]->root, "shard"), "count"));
	unsigned char *have;

	if (count == 0)
		count = 1;
	have = calloc(count + 1, 1);
	if (!have)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_object_get(ms[i]->root, "shard");
		size_t k = s ? (size_t)json_integer_value(json_object_get(s, "index")) : 1;
		if (i > 0)
			same_release(ms[0], ms[i], probs);
		if (k >= 1 && k <= count && have[k]++)
			xb_strv_pushf(probs, "%s: shard %zu/%zu given twice",
				      ms[i]->dir, k, count);
	}
	for (size_t k = 1; k <= count; k++)
		if (!have[k])
			xb_strv_pushf(probs, "shard %zu/%zu is missing", k, count);
	free(have);
	return XB_OK;
}

/* One artifact a of the shard in dir: its path and its target's binary
 * seen once. */
static void check_artifact(json_t *a, const char *dir, json_t *seen_path,
			   json_t *seen_target, xb_strv *probs)
{
	json_t *prev;
	const char *path = json_string_value(json_object_get(a, "path"));
	const char *target = json_string_value(json_object_get(a, "target"));
	const char *kind = json_string_value(json_object_get(a, "kind"));
	xb_buf key = XB_BUF_INIT;
	const char *sha = json_string_value(json_object_get(a, "sha256"));

	if ((prev = json_object_get(seen_path, path)))
		xb_strv_pushf(probs, "conflict: '%s' is in both %s "
			      "(sha256 %.12s) and %s (sha256 %.12s)",
			      path, json_string_value(json_object_get(prev, "dir")),
			      json_string_value(json_object_get(prev, "sha256")),
			      dir, sha);
	json_object_set_new(seen_path, path,
			    json_pack("{s:s, s:s}", "dir", dir,
				      "sha256", sha));
	const char *build = json_string_value(json_object_get(a, "build"));
	const char *pkg = json_string_value(json_object_get(a, "package"));
	const char *format = json_string_value(json_object_get(a, "format"));

	/* one target's binary per build and package (several builds, or a
	 * main: of several packages, give a target several), one archive or
	 * Linux package per format */
	if (xb_buf_addf(&key, "%s %s %s %s %s", target, kind, build ? build : "",
			pkg ? pkg : "", format ? format : ""))
		xb_strv_pushf(probs, "%s: out of memory", dir);
	else if ((prev = json_object_get(seen_target, xb_buf_str(&key))))
		xb_strv_pushf(probs, "duplicated target: %s %s%s%s%s%s is built "
			      "by both %s and %s", kind, target,
			      build ? " of build " : "", build ? build : "",
			      pkg ? " package " : "", pkg ? pkg : "",
			      json_string_value(prev), dir);
	json_object_set_new(seen_target, xb_buf_str(&key),
			    json_string(dir));
	/* and "TARGET binary": the matrix's target has one */
	xb_buf_reset(&key);
	if (kind && !strcmp(kind, "binary") && target &&
	    !xb_buf_addf(&key, "%s binary", target))
		json_object_set_new(seen_target, xb_buf_str(&key),
				    json_string(dir));
	xb_buf_release(&key);
}

/* Artifacts: each path and each target's binary exactly once, and every
 * target of the matrix built. */
static xb_code check_artifacts(xb_manifest *const *ms, size_t n,
			       xb_strv *probs, xb_err *err)
{
	json_t *seen_path = json_object(), *seen_target = json_object(), *all;
	xb_code rc = XB_OK;

	if (!seen_path || !seen_target) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *arts = json_object_get(ms[i]->root, "artifacts");
		for (size_t j = 0; j < json_array_size(arts); j++)
			check_artifact(json_array_get(arts, j), ms[i]->dir,
				       seen_path, seen_target, probs);
		check_files(ms[i], probs);
	}
	all = json_object_get(ms[0]->root, "matrix");
	for (size_t i = 0; i < json_array_size(all); i++) {
		const char *t = json_string_value(json_array_get(all, i));
		xb_buf key = XB_BUF_INIT;
		if (xb_buf_addf(&key, "%s binary", t))
			xb_strv_pushf(probs, "target %s: out of memory", t);
		else if (!json_object_get(seen_target, xb_buf_str(&key)))
			xb_strv_pushf(probs, "target %s of the matrix has no "
				      "artifact in any shard", t);
		xb_buf_release(&key);
	}
out:
	json_decref(seen_path);
	json_decref(seen_target);
	return rc;
}

/* Write the merged release beside out, then put it in place. */
static xb_code write_merged(xb_manifest *const *ms, size_t n, const char *out,
			    xb_err *err)
{
	xb_manifest *merged = NULL;
	xb_code rc = XB_OK;
	char *tmp = xb_mktemp_dir_beside(out, err);

	if (!tmp)
		return XB_ERR_IO;
	merged = calloc(1, sizeof(*merged));
	if (!merged || !(merged->root = json_deep_copy(ms[0]->root))) {
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		goto out;
	}
	json_object_del(merged->root, "shard");
	json_object_set_new(merged->root, "artifacts", json_array());
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *arts = json_object_get(ms[i]->root, "artifacts");
		for (size_t j = 0; j < json_array_size(arts) && !rc; j++) {
			json_t *a = json_array_get(arts, j);
			const char *path = json_string_value(json_object_get(a, "path"));
			xb_buf src = XB_BUF_INIT, dst = XB_BUF_INIT;
			char *slash;

			xb_buf_addf(&src, "%s/%s", ms[i]->dir, path);
			xb_buf_addf(&dst, "%s/%s", tmp, path);
			if (xb_buf_failed(&src) || xb_buf_failed(&dst)) {
				rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
			} else {
				slash = strrchr(dst.data, '/');
				*slash = '\0';
				rc = xb_mkdir_p(dst.data, err);
				*slash = '/';
			}
			if (!rc)
				rc = xb_copy_file(xb_buf_str(&src), xb_buf_str(&dst), err);
			if (!rc)
				json_array_append(json_object_get(merged->root,
								  "artifacts"), a);
			xb_buf_release(&src);
			xb_buf_release(&dst);
		}
	}
	if (!rc)
		rc = xb_manifest_write(merged, tmp, err);
	if (!rc)
		rc = xb_dir_commit(tmp, out, err);
out:
	if (rc)
		xb_rm_rf(tmp, NULL);
	free(tmp);
	xb_manifest_free(merged);
	return rc;
}

xb_code xb_merge(const char *const *dirs, size_t n, const char *out,
		 xb_strv *probs, xb_err *err)
{
	xb_manifest **ms = calloc(n ? n : 1, sizeof(*ms));
	size_t before = probs->n;
	xb_code rc = XB_OK;

	if (!ms)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		xb_err e = XB_ERR_INIT;
		ms[i] = xb_manifest_load(dirs[i], &e);
		if (!ms[i]) {
			xb_strv_pushf(probs, "%s", xb_errmsg(&e));
			continue;
		}
		validate(ms[i], probs);
	}
	if (problems(probs, before))
		goto refuse;
	if ((rc = check_shards(ms, n, probs, err)) ||
	    (rc = check_artifacts(ms, n, probs, err)))
		goto out;
	if (problems(probs, before))
		goto refuse;
	rc = write_merged(ms, n, out, err);
	goto out;
refuse:
	rc = xb_fail(err, XB_ERR_CONFLICT, "refusing to merge: %zu problem%s%s",
		     probs->n - before, probs->n - before == 1 ? "" : "s",
		     xb_strv_failed(probs) ? " and more (out of memory)" : "");
out:
	for (size_t i = 0; i < n; i++)
		xb_manifest_free(ms[i]);
	free(ms);
	return rc;
}
