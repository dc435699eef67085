/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mutate.h - damaged copies of a valid raw BTF blob, for checking a verifier
 * against the kernel's loader: bit flips, one field of one record set to a
 * telling value, truncation, records dropped, swapped, moved or doubled,
 * header fields changed. The same seed gives the same blobs.
 */
#ifndef BTFENC_MUTATE_H
#define BTFENC_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* A valid host-order blob, its records indexed. */
struct mutate_src {
	const uint8_t *data;
	size_t size;
	uint32_t type_start;	/* byte offset of the type section */
	uint32_t *recs;		/* byte offset of each record in the types */
	uint32_t recs_len;	/* records (types, void not counted) */
	uint32_t *strs;		/* offset of each string in the strings */
	uint32_t strs_len;
};

/*
 * Indexes a blob (not copied: it must outlive src).
 * Returns: 0; -EINVAL if it is not a valid host-order blob, -ENOMEM.
 */
int mutate_src_init(struct mutate_src *src, const void *data, size_t size);
void mutate_src_release(struct mutate_src *src);

/* The kinds of damage, chosen in turn or at random. */
enum mutate_kind {
	MUTATE_FLIP_HDR,
	MUTATE_FLIP_TYPES,
	MUTATE_FLIP_STRS,
	MUTATE_FIELD,
	MUTATE_INFO,
	MUTATE_TRUNCATE,
	MUTATE_DROP_TAIL,
	MUTATE_SWAP,
	MUTATE_MOVE,
	MUTATE_DOUBLE,
	MUTATE_HDR_FIELD,
	MUTATE_KINDS
};

const char *mutate_kind_name(enum mutate_kind k);

/*
 * One damaged copy of src: *out (malloc'd, *out_size bytes) and a short
 * description of what was done in desc.
 * Returns: 0, -ENOMEM.
 */
int mutate_one(const struct mutate_src *src, enum mutate_kind k, uint64_t *rng, uint8_t **out,
	       size_t *out_size, char *desc, size_t desc_size);

/* xorshift64*: the next pseudo-random number of *state (never 0). */
uint64_t mutate_rand(uint64_t *state);

#endif
