/* shard.c: split a release matrix across CI machines.  Deterministic:
 * every machine computes the same split from the same profile, so shard K
 * of N needs no coordination. */
#include <stdlib.h>
#include <string.h>

#include "shard.h"

struct item {
	const char *target;
	unsigned weight;
};

/* Heaviest first, then by name: the greedy split below is then stable. */
static int by_weight(const void *x, const void *y)
{
	const struct item *a = x, *b = y;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return strcmp(a->target, b->target);
}

xb_code xb_shard_split(const xb_strv *targets, const unsigned *weights,
		       int count, int *shard_of, xb_err *err)
{
	struct item *items;
	unsigned long long *load;

	if (count < 1 || count > 1000)
		return xb_fail(err, XB_ERR_USAGE,
			       "invalid shard count %d (expected 1 to 1000)", count);
	if (targets->n == 0)
		return XB_OK;
	items = calloc(targets->n, sizeof(*items));
	load = calloc((size_t)count, sizeof(*load));
	if (!items || !load) {
		free(items);
		free(load);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < targets->n; i++) {
		items[i].target = targets->v[i];
		items[i].weight = weights && weights[i] ? weights[i] : 1;
	}
	qsort(items, targets->n, sizeof(*items), by_weight);
	/* longest-processing-time first: each target to the least-loaded
	 * shard, the lowest index on ties */
	for (size_t i = 0; i < targets->n; i++) {
		int best = 0;
		for (int k = 1; k < count; k++)
			if (load[k] < load[best])
				best = k;
		load[best] += items[i].weight;
		for (size_t j = 0; j < targets->n; j++)
			if (targets->v[j] == items[i].target)
				shard_of[j] = best + 1;
	}
	free(items);
	free(load);
	return XB_OK;
}

unsigned xb_shard_weight(const xb_target *t)
{
	return t->s.cgo && !strcmp(t->s.cgo, "on") ? 4 : 1;
}

xb_code xb_shard_parse(const char *spec, int *index, int *count, xb_err *err)
{
	char *end;
	long k, n;

	k = strtol(spec, &end, 10);
	if (end == spec || *end != '/')
		goto bad;
	n = strtol(end + 1, &end, 10);
	if (*end || n < 1 || n > 1000 || k < 1 || k > n)
		goto bad;
	*index = (int)k;
	*count = (int)n;
	return XB_OK;
bad:
	return xb_fail(err, XB_ERR_USAGE,
		       "invalid shard '%s' (expected K/N with 1 <= K <= N <= 1000)",
		       spec);
}

/* The matrix index of name; matrix->n when none. */
static size_t index_of(const xb_strv *matrix, const char *name)
{
	size_t i = 0;

	while (i < matrix->n && strcmp(matrix->v[i], name))
		i++;
	return i;
}

/* The matrix index of the darwin/amd64 target of p's universal build
 * that also builds darwin/arm64 target t, else matrix->n. */
static size_t paired_with(const xb_profile *p, const xb_strv *matrix,
			  const char *t)
{
	for (size_t b = 0; b < xb_profile_nbuilds(p); b++) {
		const xb_profile *bp = xb_profile_build(p, b);
		size_t amd = matrix->n;
		bool has = false;

		if (!bp->universal)
			continue;
		for (size_t i = 0; i < bp->ntargets; i++) {
			const xb_target *x = &bp->targets[i];

			if (strcmp(x->os, "darwin"))
				continue;
			if (!strcmp(x->arch, "amd64") && amd == matrix->n)
				amd = index_of(matrix, x->name);
			has = has || !strcmp(x->name, t);
		}
		if (has && amd < matrix->n)
			return amd;
	}
	return matrix->n;
}

xb_code xb_shard_split_profile(const xb_profile *p, const xb_strv *matrix,
			       const unsigned *weights, int count, int *shard_of,
			       xb_err *err)
{
	xb_strv units = XB_STRV_INIT;
	size_t *unit_of = calloc(matrix->n ? matrix->n : 1, sizeof(*unit_of));
	unsigned *w = calloc(matrix->n ? matrix->n : 1, sizeof(*w));
	int *of = calloc(matrix->n ? matrix->n : 1, sizeof(*of));
	xb_code rc = XB_OK;

	if (!unit_of || !w || !of)
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	/* a darwin/arm64 target of a universal build is one unit with its
	 * darwin/amd64 one: the shard that builds both makes the fat file */
	for (size_t i = 0; !rc && i < matrix->n; i++) {
		const char *t = matrix->v[i];
		size_t amd = strncmp(t, "darwin/arm64", 12) ? matrix->n :
			paired_with(p, matrix, t);
		unsigned wi = weights && weights[i] ? weights[i] : 1;

		if (amd < matrix->n && amd < i) {
			unit_of[i] = unit_of[amd];
			w[unit_of[i]] += wi;
			continue;
		}
		unit_of[i] = units.n;
		w[units.n] += wi;
		xb_strv_push(&units, t);
	}
	/* an arm64 target listed before its amd64 one joins it now */
	for (size_t i = 0; !rc && i < matrix->n; i++) {
		size_t amd = strncmp(matrix->v[i], "darwin/arm64", 12) ?
			matrix->n : paired_with(p, matrix, matrix->v[i]);
		if (amd < matrix->n && amd > i)
			unit_of[i] = unit_of[amd];
	}
	if (!rc && !(rc = xb_strv_check(&units, err, "the shard units")) &&
	    !(rc = xb_shard_split(&units, w, count, of, err)))
		for (size_t i = 0; i < matrix->n; i++)
			shard_of[i] = of[unit_of[i]];
	xb_strv_release(&units);
	free(unit_of);
	free(w);
	free(of);
	return rc;
}
