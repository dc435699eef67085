// SPDX-License-Identifier: GPL-2.0-only
/*
 * mutate.c - damaged copies of a valid BTF blob (see mutate.h).
 *
 * Record-level damage (drop, swap, move, double) rebuilds the type section
 * from the source's records in a new order with a header that fits, so the
 * blob stays well-formed and what breaks is the meaning: ids that now name
 * other types, references past the end, loops. Field damage picks one
 * 32-bit word of one record and gives it a value a checker may miss: 0, 1,
 * all ones, one bit flipped, one more or less, another type's id, another
 * string's offset, or anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "mutate.h"

#define HDR ((uint32_t)sizeof(struct btf_header))

static const char *const kind_names[MUTATE_KINDS] = {
	[MUTATE_FLIP_HDR] = "flip-header",	[MUTATE_FLIP_TYPES] = "flip-types",
	[MUTATE_FLIP_STRS] = "flip-strings",	[MUTATE_FIELD] = "field",
	[MUTATE_INFO] = "info",			[MUTATE_TRUNCATE] = "truncate",
	[MUTATE_DROP_TAIL] = "drop-tail",	[MUTATE_SWAP] = "swap",
	[MUTATE_MOVE] = "move",			[MUTATE_DOUBLE] = "double",
	[MUTATE_HDR_FIELD] = "header-field",
};

const char *mutate_kind_name(enum mutate_kind k)
{
	return k < MUTATE_KINDS ? kind_names[k] : "?";
}

uint64_t mutate_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint32_t below(uint64_t *rng, uint32_t n)
{
	return n ? (uint32_t)(mutate_rand(rng) % n) : 0;
}

static const struct btf_header *hdr_of(const struct mutate_src *src)
{
	return (const struct btf_header *)src->data;
}

int mutate_src_init(struct mutate_src *src, const void *data, size_t size)
{
	const struct btf_header *h = data;
	uint32_t off, cap = 0, scap = 0, end;

	memset(src, 0, sizeof(*src));
	if (size < HDR || h->magic != BTF_MAGIC || h->hdr_len != HDR || h->type_off ||
	    (uint64_t)HDR + h->type_len != HDR + (uint64_t)h->str_off ||
	    (uint64_t)HDR + h->str_off + h->str_len != size)
		return -EINVAL;
	src->data = data;
	src->size = size;
	src->type_start = HDR;
	for (off = 0; off < h->type_len; off += btf_type_size_of((const void *)(src->data + HDR + off))) {
		const struct btf_type *t = (const void *)(src->data + HDR + off);
		uint32_t fixed, per;

		if (h->type_len - off < sizeof(*t) ||
		    btf_kind_layout(btf_type_kind(t), &fixed, &per) ||
		    btf_type_size_of(t) > h->type_len - off)
			goto bad;
		if (src->recs_len == cap) {
			uint32_t *p = realloc(src->recs, (cap = cap * 2 + 1024) * sizeof(*p));

			if (!p)
				goto nomem;
			src->recs = p;
		}
		src->recs[src->recs_len++] = off;
	}
	end = h->str_len;
	for (off = 1; off < end; off += (uint32_t)strnlen((const char *)src->data + HDR + h->str_off + off,
							  end - off) + 1) {
		if (src->strs_len == scap) {
			uint32_t *p = realloc(src->strs, (scap = scap * 2 + 1024) * sizeof(*p));

			if (!p)
				goto nomem;
			src->strs = p;
		}
		src->strs[src->strs_len++] = off;
	}
	return 0;
bad:
	mutate_src_release(src);
	return -EINVAL;
nomem:
	mutate_src_release(src);
	return -ENOMEM;
}

void mutate_src_release(struct mutate_src *src)
{
	free(src->recs);
	free(src->strs);
	memset(src, 0, sizeof(*src));
}

static uint32_t rec_len(const struct mutate_src *src, uint32_t i)
{
	return btf_type_size_of((const void *)(src->data + src->type_start + src->recs[i]));
}

/* A blob of src's records in the order of idx (n of them), its strings. */
static int rebuild(const struct mutate_src *src, const uint32_t *idx, uint32_t n, uint8_t **out,
		   size_t *out_size)
{
	const struct btf_header *h = hdr_of(src);
	struct btf_header nh = *h;
	uint32_t i, tl = 0, at;
	uint8_t *p;

	for (i = 0; i < n; i++)
		tl += rec_len(src, idx[i]);
	p = malloc((size_t)HDR + tl + h->str_len);
	if (!p)
		return -ENOMEM;
	nh.type_len = tl;
	nh.str_off = tl;
	memcpy(p, &nh, HDR);
	for (i = 0, at = HDR; i < n; at += rec_len(src, idx[i]), i++)
		memcpy(p + at, src->data + src->type_start + src->recs[idx[i]], rec_len(src, idx[i]));
	memcpy(p + at, src->data + HDR + h->str_off, h->str_len);
	*out = p;
	*out_size = (size_t)HDR + tl + h->str_len;
	return 0;
}

/* Record damage: the order of records after a drop, swap, move or double. */
static int reorder(const struct mutate_src *src, enum mutate_kind k, uint64_t *rng,
		   uint8_t **out, size_t *out_size, char *desc, size_t desc_size)
{
	uint32_t n = src->recs_len, i = below(rng, n), j, m = 0, r;
	uint32_t *idx = malloc(((size_t)n + 1) * sizeof(*idx));
	int err;

	if (!idx)
		return -ENOMEM;
	/* Mostly near neighbours: ids shift by a little, as an encoder bug would. */
	j = i + 1 + below(rng, below(rng, 4) ? 8 : n);
	if (j >= n)
		j = n - 1;
	for (r = 0; r < n; r++) {
		if (k == MUTATE_DROP_TAIL && r == i)
			break;
		if (k == MUTATE_MOVE && r == i)
			continue;
		idx[m++] = k == MUTATE_SWAP && r == i ? j : k == MUTATE_SWAP && r == j ? i : r;
		if (k == MUTATE_DOUBLE && r == i)
			idx[m++] = r;
	}
	if (k == MUTATE_MOVE)
		idx[m++] = i;
	if (k == MUTATE_DROP_TAIL)
		snprintf(desc, desc_size, "types from [%u] on dropped", i + 1);
	else if (k == MUTATE_SWAP)
		snprintf(desc, desc_size, "[%u] and [%u] swapped", i + 1, j + 1);
	else
		snprintf(desc, desc_size, "[%u] %s", i + 1,
			 k == MUTATE_MOVE ? "moved to the end" : "doubled");
	err = rebuild(src, idx, m, out, out_size);
	free(idx);
	return err;
}

/* A value for a word that was old: the kinds of wrong an encoder writes. */
static uint32_t telling_value(const struct mutate_src *src, uint32_t old, uint64_t *rng)
{
	switch (below(rng, 9)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return UINT32_MAX;
	case 3: return old ^ (1u << below(rng, 32));
	case 4: return old + 1;
	case 5: return old - 1;
	case 6: return below(rng, src->recs_len + 3);
	case 7: return src->strs_len ? src->strs[below(rng, src->strs_len)] : 0;
	default: return (uint32_t)mutate_rand(rng);
	}
}

/* A new info word: another kind, vlen, kind_flag or a reserved bit. */
static uint32_t info_value(uint32_t old, uint64_t *rng)
{
	uint32_t vlen = BTF_INFO_VLEN(old);

	switch (below(rng, 5)) {
	case 0: return (old & ~(0x1fu << 24)) | (below(rng, 32) << 24);
	case 1: return (old & ~0xffffu) | ((vlen + (below(rng, 2) ? 1 : 0xffff)) & 0xffff);
	case 2: return old & ~0xffffu;
	case 3: return old ^ (1u << 31);
	default: return old | (1u << (16 + below(rng, 8))) | (below(rng, 2) ? 1u << 29 : 0);
	}
}

static uint32_t hdr_value(uint32_t old, size_t size, uint64_t *rng)
{
	static const int32_t deltas[] = { 1, -1, 4, -4, 8, -8 };

	switch (below(rng, 4)) {
	case 0: return old + (uint32_t)deltas[below(rng, 6)];
	case 1: return below(rng, 2) ? 0 : UINT32_MAX;
	case 2: return (uint32_t)size;
	default: return below(rng, (uint32_t)size + 16);
	}
}

static int copy_of(const struct mutate_src *src, size_t size, uint8_t **out, size_t *out_size)
{
	*out = malloc(size ? size : 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, src->data, size);
	*out_size = size;
	return 0;
}

static int damage_words(const struct mutate_src *src, enum mutate_kind k, uint64_t *rng,
			uint8_t *p, char *desc, size_t desc_size)
{
	const struct btf_header *h = hdr_of(src);
	uint32_t i = below(rng, src->recs_len), w, old, *word;

	if (k == MUTATE_HDR_FIELD) {
		/* version+flags share a word with magic: change one byte of it. */
		w = 1 + below(rng, 6);
		word = (uint32_t *)p + w - 1;
		old = *word;
		*word = w == 1 ? old ^ (0x100u << (8 * below(rng, 3))) : hdr_value(old, src->size, rng);
		snprintf(desc, desc_size, "header word %u: %#x -> %#x", w - 1, old, *word);
		return 0;
	}
	if (k == MUTATE_INFO)
		w = 1;
	else
		w = below(rng, rec_len(src, i) / 4);
	word = (uint32_t *)(p + HDR + h->type_off + src->recs[i]) + w;
	old = *word;
	*word = k == MUTATE_INFO ? info_value(old, rng) : telling_value(src, old, rng);
	snprintf(desc, desc_size, "[%u] word %u: %#x -> %#x", i + 1, w, old, *word);
	return 0;
}

int mutate_one(const struct mutate_src *src, enum mutate_kind k, uint64_t *rng, uint8_t **out,
	       size_t *out_size, char *desc, size_t desc_size)
{
	const struct btf_header *h = hdr_of(src);
	uint32_t lo = 0, len = HDR, bit;
	int err;

	switch (k) {
	case MUTATE_DROP_TAIL:
	case MUTATE_SWAP:
	case MUTATE_MOVE:
	case MUTATE_DOUBLE:
		return reorder(src, k, rng, out, out_size, desc, desc_size);
	case MUTATE_TRUNCATE:
		len = below(rng, (uint32_t)src->size);
		snprintf(desc, desc_size, "truncated to %u of %zu bytes", len, src->size);
		return copy_of(src, len, out, out_size);
	default:
		break;
	}
	err = copy_of(src, src->size, out, out_size);
	if (err)
		return err;
	if (k == MUTATE_FIELD || k == MUTATE_INFO || k == MUTATE_HDR_FIELD)
		return damage_words(src, k, rng, *out, desc, desc_size);
	if (k == MUTATE_FLIP_TYPES) {
		lo = HDR + h->type_off;
		len = h->type_len;
	} else if (k == MUTATE_FLIP_STRS) {
		lo = HDR + h->str_off;
		len = h->str_len;
	}
	bit = below(rng, len * 8);
	(*out)[lo + bit / 8] ^= (uint8_t)(1u << (bit % 8));
	snprintf(desc, desc_size, "bit %u of byte %u flipped", bit % 8, lo + bit / 8);
	return 0;
}
