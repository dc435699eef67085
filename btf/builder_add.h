/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * builder_add.h - the append steps shared by builder_add.c (single records)
 * and builder_compose.c (types with members, values, params or variables).
 */
#ifndef BTFENC_BUILDER_ADD_H
#define BTFENC_BUILDER_ADD_H

#include "builder_priv.h"

/* Switches to writable and makes room for bytes more type data and slots
 * more types; invalidates every struct btf_type pointer. Returns: 0, -E2BIG,
 * -ENOMEM. */
int add_reserve(struct btf_builder *b, size_t bytes, size_t slots);
/* The logical offset of name, added if new; NULL or "" is 0. Returns: 0,
 * -E2BIG, -ENOMEM. */
int add_name(struct btf_builder *b, const char *name, uint32_t *off);
/* Returns: 0, or -ERANGE for an id past the builder's limit (BTF_MAX_TYPE). */
int add_check_ref(const struct btf_builder *b, uint32_t id);
/* Records that a type refers to id, for finalize's check. */
void add_note_ref(struct btf_builder *b, uint32_t id);
/* Appends a record without trailing data. Returns: the new id or -errno. */
int add_simple(struct btf_builder *b, uint32_t info, const char *name, uint32_t size_or_type,
	       uint32_t ref);

/*
 * Appends a copy of src's type id to dst (copy.c): its type ids go through
 * id_map (map_len entries; 0 stays 0, any other id must map to nonzero), its
 * strings are added to dst. src must not be dst. Returns: the new id;
 * -ERANGE for an id outside the map, -EINVAL for a bad string offset,
 * -E2BIG, -ENOMEM.
 */
/* The string at src's offset *off added to dst, *off then dst's offset for
 * it (copy.c). Returns: 0, -EINVAL for an offset src has no string at,
 * -E2BIG, -ENOMEM. */
int builder_move_str(struct btf_builder *dst, const struct btf_builder *src, uint32_t *off);

int builder_copy_type(struct btf_builder *dst, const struct btf_builder *src, uint32_t id,
		      const uint32_t *id_map, uint32_t map_len);

#endif
