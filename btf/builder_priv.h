/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * builder_priv.h - the inside of struct btf_builder, for the modules of btf/.
 *
 * Two representations (see btf.h): read-only, where raw holds the whole blob
 * in host order and types/strs point into it; and writable, where types is a
 * growable buffer and strs owns its bytes. type_offs indexes own types in
 * both. Nothing here is for users of the layer.
 */
#ifndef BTFENC_BUILDER_PRIV_H
#define BTFENC_BUILDER_PRIV_H

#include "btf.h"
#include "ptrmap.h"
#include "strset.h"

struct btf_builder {
	struct btf_builder *base;	/* types below start_id, strings below start_str_off */
	bool owns_base;			/* free base with this builder */
	uint32_t start_id;		/* id of the first own type */
	uint32_t start_str_off;		/* logical offset of the first own string byte */

	void *raw;			/* read-only mode: the blob, host order; else NULL */
	uint32_t raw_size;		/* bytes of raw */
	void *raw_map;			/* raw lies in this file mapping (munmap'd), or NULL: malloc'd */
	size_t raw_map_len;		/* bytes of raw_map */
	uint32_t hdr_len;		/* header bytes at the start of raw */

	uint8_t *types;			/* own type records, host order */
	size_t types_len;		/* bytes used */
	size_t types_cap;		/* bytes allocated; 0 while types points into raw */

	uint32_t *type_offs;		/* own type i (id start_id + i) -> offset in types */
	size_t nr_types;		/* own types */
	size_t type_offs_cap;		/* slots allocated in type_offs */

	struct strset *strs;		/* own strings; borrows from raw while read-only */
	bool strs_by_ptr;		/* own strings are str_ptrs (btf_builder_set_strs_by_ptr()) */
	bool strs_local;		/* adds skip the base until the next dedup */
	const char **str_ptrs;		/* own string k at offset start_str_off + 1 + k */
	size_t str_ptrs_len;
	size_t str_ptrs_cap;
	const void **str_keys;		/* per k: its ptrmap_str_key() */
	struct ptrmap str_ptr_index;	/* address -> k */

	bool writable;			/* types and strs are owned and growable */
	enum btf_endian endian;		/* byte order finalize writes */
	uint32_t max_ref;		/* highest type id an add referred to */
	uint32_t max_id;		/* highest id adds may create (BTF_BUILDER_MAX_ID) */
	bool relaxed;			/* adds skip the checks that need the type graph */

	void *out;			/* cached finalized blob (not raw), or NULL */
	uint32_t out_size;		/* bytes of the finalized blob */
	bool out_valid;			/* the cache (out, or raw itself) is current */
};

/* Reports one message through the layer's log callback (printf-like). */
void btf_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A new, empty builder on top of base (NULL for none). Returns: 0, -ENOMEM. */
int btf_builder_alloc(struct btf_builder *base, struct btf_builder **out);

/* Switches to the writable representation and drops the finalize cache.
 * Returns: 0, or -ENOMEM with the builder unchanged. */
int btf_builder_ensure_writable(struct btf_builder *b);

/* Lets go of a blob as it came: munmap() of its mapping, or free(). */
void btf_raw_release(void *raw, void *map, size_t map_len);

/* The host byte order. */

/*
 * Byte-swaps a header and the type records of a types section in place.
 * to_host tells the direction, which decides whether the info word is read
 * before or after swapping. Records must be whole (the parser checks).
 */
void btf_swap_header(struct btf_header *h);
void btf_swap_types(uint8_t *types, size_t len, bool to_host);

/*
 * Type-graph checks that adds share (builder_check.c). A check can only see
 * types already added: where the graph leads to an id not added yet, it
 * returns -ENOENT and the add skips that check.
 */
/* The type an add's checks may look at: none in a relaxed builder (one that
 * holds types before deduplication, where a FWD may stand for a struct that
 * another unit defines), so every graph check is skipped there. */
static inline const struct btf_type *builder_known(const struct btf_builder *b, uint32_t id)
{
	return b->relaxed ? NULL : btf_builder_type(b, id);
}

/* Follows TYPEDEF, CONST, VOLATILE, RESTRICT and TYPE_TAG from id.
 * Returns: 0 with *out the first other id (0 for void), -ENOENT, or -ELOOP
 * past the kernel's chain limit. */
int builder_skip_mods(const struct btf_builder *b, uint32_t id, uint32_t *out);
/* The byte size the kernel gives id: sized kinds, PTR (8), ARRAY (elements
 * times count), modifiers followed. Returns: 0 with *size, -ENOENT, -EINVAL
 * for an unsized type (void, FWD, FUNC, FUNC_PROTO, VAR, DATASEC, DECL_TAG),
 * -E2BIG on overflow. */
int builder_type_size(const struct btf_builder *b, uint32_t id, uint32_t *size);
/* The kernel's type-tag rule for a new modifier of kind on target: a
 * TYPE_TAG may not follow a non-tag modifier in a chain. Returns: 0, -EINVAL. */
int builder_check_tag_chain(const struct btf_builder *b, uint32_t kind, uint32_t target);
/* Whether id may be the target of a PTR or modifier (exists and is not VAR,
 * DATASEC, DECL_TAG or FUNC). Returns: 0, -EINVAL, -ENOENT. */
int builder_check_ref_target(const struct btf_builder *b, uint32_t id);
/* The identifier rule: a letter or '_', then letters, digits or '_', shorter
 * than BTF_BUILDER_MAX_NAME. Section names may also hold '.'. */
bool builder_name_is_ident(const char *s);
bool builder_name_is_section(const char *s);

#endif
