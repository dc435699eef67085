/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dedup_priv.h - the state of one deduplication run, shared by the files of
 * btf/dedup*.c. See dedup.c for the algorithm.
 */
#ifndef BTFENC_DEDUP_PRIV_H
#define BTFENC_DEDUP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "btf_rec.h"
#include "builder_priv.h"
#include "strset.h"

/* map[] values that are not ids. Ids are < BTF_MAX_TYPE + 1 < these. */
#define DD_UNPROCESSED UINT32_MAX
#define DD_IN_PROGRESS (UINT32_MAX - 1)
#define DD_IS_MAPPED(v) ((v) < DD_IN_PROGRESS)

/* How deep the recursive walks may go before giving up (hostile chains). */
#define DD_MAX_DEPTH 4096
/* How deep the "identical but for duplicated types" check looks. */
#define DD_IDENTICAL_DEPTH 16

/* One entry of a dd_table. */
struct dd_node {
	uint32_t id;		/* the type id */
	uint32_t hash;		/* its full hash */
	uint32_t next;		/* next node index + 1 in the bucket, or 0 */
};

/* A multimap from signature hash to canonical ids, newest first. */
struct dd_table {
	uint32_t *heads;	/* per bucket: node index + 1 of the newest entry, or 0 */
	uint32_t mask;		/* bucket count - 1 */
	struct dd_node *nodes;
	size_t nodes_len;	/* nodes used */
	size_t nodes_cap;	/* nodes allocated */
};

struct dedup {
	struct btf_builder *b;	/* the BTF being deduplicated */
	struct btf_builder *base; /* its base, or NULL */
	uint8_t *types;		/* own records, rewritten by the passes: a copy, or the
				 * builder's own buffer for a relaxed builder */
	bool types_owned;	/* types is a copy to free */
	uint32_t start_id;	/* first own id */
	uint32_t total;		/* base and own ids, void included */
	uint32_t *map;		/* per id: canonical id, or DD_UNPROCESSED / DD_IN_PROGRESS,
				 * xor'ed with the id (dd_map()) */
	uint32_t *hypot;	/* per canonical id: the candidate it was paired with, or
				 * DD_UNPROCESSED, complemented (dd_hypot()) */
	uint32_t *hypot_list;	/* ids set in hypot, to clear them */
	size_t hypot_len;	/* entries in hypot_list */
	size_t hypot_cap;	/* slots in hypot_list */
	bool hypot_adjust_canon; /* the pairing would need a base FWD resolved */
	struct dd_table table;	/* canonical types by signature */
	uint32_t *base_ids;	/* the base types pass 2 found could be candidates */
	size_t base_ids_len;
	uint32_t *base_datasecs; /* the base's DATASEC ids, in order */
	size_t base_datasecs_len;
};

/* The record of any id but void: base records for base ids. */
static inline struct btf_type *dd_type(const struct dedup *d, uint32_t id)
{
	if (id < d->start_id)
		return (struct btf_type *)btf_builder_type(d->base, id);
	return (struct btf_type *)(d->types + d->b->type_offs[id - d->start_id]);
}

/* map and hypot are stored so that a zero word holds what most of a split
 * BTF's base ids keep (a base type is its own canonical type, paired with
 * nothing): allocated zeroed, the pages of base ids a run never meets are
 * never touched. */
static inline uint32_t dd_map(const struct dedup *d, uint32_t id)
{
	return d->map[id] ^ id;
}

static inline void dd_map_set(struct dedup *d, uint32_t id, uint32_t to)
{
	d->map[id] = to ^ id;
}

static inline uint32_t dd_hypot(const struct dedup *d, uint32_t id)
{
	return ~d->hypot[id];
}

static inline void dd_hypot_set(struct dedup *d, uint32_t id, uint32_t cand)
{
	d->hypot[id] = ~cand;
}

/* Follows map to the canonical id. Unprocessed ids are their own. */
static inline uint32_t dd_resolve(const struct dedup *d, uint32_t id)
{
	while (DD_IS_MAPPED(dd_map(d, id)) && dd_map(d, id) != id)
		id = dd_map(d, id);
	return id;
}

/* The kinds pass 6 merges by equality of their made-canonical references. */
static inline bool dd_kind_is_ref(uint32_t kind)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_ARRAY:
	case BTF_KIND_FUNC_PROTO:
		return true;
	default:
		return false;
	}
}

/* dedup_table.c. Returns: 0 or -ENOMEM. */
int dd_table_init(struct dd_table *t, size_t expect);
void dd_table_release(struct dd_table *t);
int dd_table_add(struct dd_table *t, uint32_t hash, uint32_t id);
/* Iteration: for (n = dd_table_first(t, h); n; n = dd_table_next(t, n, h))
 * visits every id added with hash h, newest first, as dd_table_id(t, n). */
uint32_t dd_table_first(const struct dd_table *t, uint32_t hash);
uint32_t dd_table_next(const struct dd_table *t, uint32_t node, uint32_t hash);
static inline uint32_t dd_table_id(const struct dd_table *t, uint32_t node)
{
	return t->nodes[node - 1].id;
}

/* dedup_sig.c: signatures (hash) and equalities per kind. */
uint32_t dd_hash(const struct btf_type *t);
uint32_t mix_common(const struct btf_type *t);
bool dd_equal_common(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_int_tag(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_enum(const struct btf_type *a, const struct btf_type *b);
bool dd_compat_enum(const struct btf_type *a, const struct btf_type *b);
bool dd_enum_is_fwd(const struct btf_type *t);
bool dd_shallow_equal_struct(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_array(const struct btf_type *a, const struct btf_type *b);
bool dd_compat_array(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_fnproto(const struct btf_type *a, const struct btf_type *b);
bool dd_compat_fnproto(const struct btf_type *a, const struct btf_type *b);

/* dedup_str.c: pass 1 into strs for a strs_local split on a base without
 * a base. Returns: 0 or -errno. */
int dd_strings_local(struct dedup *d, struct strset *strs);

/* dedup_equiv.c: the struct/union/typedef pass. Returns: 0 or -errno. */
int dd_struct_pass(struct dedup *d);

/* dedup_ref.c: the reference-type pass. Returns: 0 or -errno. */
int dd_ref_pass(struct dedup *d);

/* dedup_var.c: DATASECs seen twice, with their VARs. Returns: 0 or -errno. */
int dd_var_pass(struct dedup *d);

/* dedup_compact.c: compaction, remap, and the switch to the result; takes
 * strs on success. Returns: 0 or -errno, the builder unchanged on failure. */
int dd_compact(struct dedup *d, struct strset *strs, uint32_t **id_map);

#endif
