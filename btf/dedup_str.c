// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_str.c - pass 1 of dedup for a split builder whose strings skipped
 * its base (btf_builder_set_strs_local()): an encoder's module on a
 * vmlinux base names a few thousand of the base's 96 K strings, so rather
 * than index all of the base's strings to look each own name up, the own
 * names are gathered (distinct, each field pointing at its name among
 * them), one pass over the base's strings marks those it has (the first
 * of duplicates, as its index would: a filter on length and end bytes
 * spares most base strings the hash), and each field then gets the base's
 * offset or a place in the new set, in the order adds would have given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_priv.h"
#include "visit.h"

struct local_pass {
	struct dedup *d;
	struct strset *names;	/* the own names, distinct */
	uint32_t *in_base;	/* per byte of names: base offset + 1 of the name there, or 0 */
	struct strset *strs;	/* the new own strings */
};

static int str_field_gather(uint32_t *off, void *ctx)
{
	struct local_pass *lp = ctx;
	struct btf_builder *b = lp->d->b;
	int r;

	if (*off < b->start_str_off)
		return 0;
	r = strset_add(lp->names, btf_builder_str(b, *off));
	if (r < 0)
		return r;
	*off = b->start_str_off + (uint32_t)r;
	return 0;
}

static int str_field_local(uint32_t *off, void *ctx)
{
	struct local_pass *lp = ctx;
	uint32_t start = lp->d->b->start_str_off, at;
	int r;

	if (*off < start)
		return 0;
	at = *off - start;
	if (lp->in_base[at]) {
		*off = lp->in_base[at] - 1;
		return 0;
	}
	r = strset_add(lp->strs, strset_data(lp->names) + at);
	if (r < 0)
		return r;
	*off = start + (uint32_t)r;
	return 0;
}

/* A filter of names by length, first and last byte: most base strings
 * fail it, and are not hashed. */
#define LOCAL_FILTER_BITS 16

static uint32_t local_filter_bit(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t k = (uint32_t)n * 0x9E3779B1u ^ p[0] * 0x85EBCA6Bu ^
		     p[n ? n - 1 : 0] * 0xC2B2AE35u;

	return k >> (32 - LOCAL_FILTER_BITS);
}

int dd_strings_local(struct dedup *d, struct strset *strs)
{
	struct local_pass lp = { .d = d, .strs = strs };
	const char *bs = strset_data(d->base->strs), *p;
	uint32_t id, blen = strset_len(d->base->strs), names_len, bit;
	uint64_t filter[(1u << LOCAL_FILTER_BITS) / 64] = { 0 };
	int r, err = strset_new(UINT32_MAX, &lp.names);
	size_t n;

	for (id = d->start_id; !err && id < d->total; id++)
		err = btf_type_visit_strs(dd_type(d, id), str_field_gather, &lp);
	names_len = err ? 0 : strset_len(lp.names);
	for (p = strset_data(lp.names); p && p < strset_data(lp.names) + names_len; p += n + 1) {
		n = strlen(p);
		bit = local_filter_bit(p, n);
		filter[bit / 64] |= 1ull << (bit % 64);
	}
	if (!err) {
		lp.in_base = calloc(names_len + 1, sizeof(*lp.in_base));
		err = lp.in_base ? 0 : -ENOMEM;
	}
	for (p = bs; !err && p < bs + blen; p += n + 1) {
		n = strlen(p);
		bit = local_filter_bit(p, n);
		if (!(filter[bit / 64] & 1ull << (bit % 64)))
			continue;
		r = strset_find(lp.names, p);
		if (r >= 0 && !lp.in_base[r])
			lp.in_base[r] = d->base->start_str_off + (uint32_t)(p - bs) + 1;
		else if (r != -ENOENT && r < 0)
			err = r;
	}
	for (id = d->start_id; !err && id < d->total; id++)
		err = btf_type_visit_strs(dd_type(d, id), str_field_local, &lp);
	free(lp.in_base);
	strset_free(lp.names);
	return err;
}
