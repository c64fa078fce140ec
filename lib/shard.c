/* shard.c: split a release matrix across CI machines.  Deterministic:
 * every machine computes the same split from the same profile, so shard K
 * of N needs no coordination. */
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"

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
