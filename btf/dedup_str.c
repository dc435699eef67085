// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_str.c - pass 1 of dedup for a split builder whose strings skipped
 * its base (btf_builder_set_strs_local()): an encoder's module on a
 * vmlinux base names a few thousand of the base's 96 K strings, so rather
 * than index all of the base's strings to look each own name up, one pass
 * over the base's strings marks those the own string set has (the first
 * of duplicates, as its index would: a filter on length and the first and
 * last 8 bytes spares most base strings the hash), and each field then
 * gets the base's offset or a place in the new set, in the order adds
 * would have given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_priv.h"
#include "visit.h"

struct local_pass {
	struct dedup *d;
	struct strset *own;	/* the builder's own strings */
	uint32_t *in_base;	/* per byte of own: base offset + 1 of the string there, or 0 */
	struct strset *strs;	/* the new own strings */
};

/* The base offset + 1 of the own string at at, 0 if the base has none, or
 * -errno. The scan marked the first copy of each own string; a later copy
 * (in a set that may hold copies) or the tail of a longer string (an
 * offset may point inside one) is looked up. */
static int64_t base_off_of(struct local_pass *lp, uint32_t at)
{
	const char *own = strset_data(lp->own);
	int r;

	if (lp->in_base[at] || (strset_distinct(lp->own) && (!at || !own[at - 1])))
		return lp->in_base[at];
	r = strset_find(lp->own, own + at);
	if (r >= 0)
		return lp->in_base[r];
	if (r == -ENOENT) /* a tail only: the base's own index says */
		r = btf_builder_find_str(lp->d->base, own + at);
	return r >= 0 ? (int64_t)r + 1 : r == -ENOENT ? 0 : r;
}

static int str_field_local(uint32_t *off, void *ctx)
{
	struct local_pass *lp = ctx;
	uint32_t start = lp->d->b->start_str_off;
	int64_t in_base;
	int r;

	if (*off < start)
		return 0;
	in_base = base_off_of(lp, *off - start);
	if (in_base < 0)
		return (int)in_base;
	if (in_base) {
		*off = (uint32_t)(in_base - 1);
		return 0;
	}
	r = strset_add(lp->strs, strset_data(lp->own) + (*off - start));
	if (r < 0)
		return r;
	*off = start + (uint32_t)r;
	return 0;
}

/* A filter of strings by length and their first and last 8 bytes (two
 * loads, not a hash of every byte): few base strings but the own ones pass
 * it, so few are looked up. */
#define LOCAL_FILTER_BITS 18

static uint32_t local_filter_bit(const char *s, size_t n)
{
	uint64_t head = 0, tail = 0, k;
	size_t i;

	if (n >= 8) {
		memcpy(&head, s, 8);
		memcpy(&tail, s + n - 8, 8);
	} else {
		for (i = 0; i < n; i++)
			head = head << 8 | (unsigned char)s[i];
	}
	k = (head * 0x9E3779B97F4A7C15ull ^ tail) * 0xC2B2AE3D27D4EB4Full ^ n;
	k *= 0x165667B19E3779F9ull;
	return (uint32_t)(k >> (64 - LOCAL_FILTER_BITS));
}

int dd_strings_local(struct dedup *d, struct strset *strs)
{
	struct local_pass lp = { .d = d, .own = d->b->strs, .strs = strs };
	const char *bs = strset_data(d->base->strs), *own = strset_data(lp.own), *s;
	uint32_t id, blen = strset_len(d->base->strs), own_len = strset_len(lp.own), bit;
	uint64_t *filter = calloc((1u << LOCAL_FILTER_BITS) / 64, sizeof(*filter));
	size_t n;
	int r, err;

	lp.in_base = calloc((size_t)own_len + 1, sizeof(*lp.in_base));
	err = filter && lp.in_base ? 0 : -ENOMEM;
	for (s = own; !err && s < own + own_len; s += n + 1) {
		n = strlen(s);
		bit = local_filter_bit(s, n);
		filter[bit / 64] |= 1ull << (bit % 64);
	}
	for (s = bs; !err && s < bs + blen; s += n + 1) {
		n = strlen(s);
		bit = local_filter_bit(s, n);
		if (!(filter[bit / 64] & 1ull << (bit % 64)))
			continue;
		r = strset_find(lp.own, s);
		if (r >= 0 && !lp.in_base[r])
			lp.in_base[r] = d->base->start_str_off + (uint32_t)(s - bs) + 1;
		else if (r != -ENOENT && r < 0)
			err = r;
	}
	for (id = d->start_id; !err && id < d->total; id++)
		err = btf_type_visit_strs_inline(dd_type(d, id), str_field_local, &lp);
	free(lp.in_base);
	free(filter);
	return err;
}
