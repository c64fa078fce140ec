/* shard.h: the split of a matrix across machines (shard.c), private to
 * lib/ and the tests; xb_shard_split_profile is the split the commands
 * use. */
#ifndef XB_SHARD_H
#define XB_SHARD_H

#include "xbuild.h"

/*
 * Assign each of targets (weights[i]: relative cost, NULL or 0 for 1) to a
 * shard 1..count in shard_of[i], balancing the total weight; the same
 * input always gives the same split.
 */
xb_code xb_shard_split(const xb_strv *targets, const unsigned *weights,
		       int count, int *shard_of, xb_err *err);

#endif
