/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * encode_premap_priv.h - what encode_premap.c (the index of g and the
 * driver), encode_premap_fields.c (a record against a g type, field by
 * field) and encode_premap_graph.c (a record's graph against a g type's)
 * share. A record is a unit's dwt_type, named by its index or, as a
 * reference, index + 1 (0 for void); g is the builder of the object's
 * canonical types so far, read only while a unit is matched.
 */
#ifndef BTFENC_ENCODE_PREMAP_PRIV_H
#define BTFENC_ENCODE_PREMAP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "btf_rec.h"
#include "encode.h"
#include "ptrmap.h"

#define NAME_ABSENT 0x80000000u	/* in names: g had no such string */
#define PM_NONE PREMAP_NONE		/* no g type: encode it */
#define PM_UNKNOWN UINT32_MAX		/* not looked at yet */
#define PM_BUSY (UINT32_MAX - 1)	/* being resolved */
#define FAILED_UNSURE 0x80000000u	/* in failed[]: the deduplication might not fail */
/* Deeper than this, a comparison gives up (a fall back, not an error). */
#define PM_MAX_DEPTH 256
/* How deep two records are compared as copies of one type. */
#define PM_COPIES_DEPTH 8
/* And at most so many records in all. */
#define PM_COPIES_BUDGET 4096

struct pm_node {
	uint32_t id, hash, next;	/* next: node index + 1, 0 ends the chain */
};

/* g and its index, shared by every thread's premap: extended by
 * premap_g_index() between batches, when no premap reads it. */
struct premap_g {
	struct btf_builder *g;
	uint32_t indexed;		/* g's ids below it are in the index */
	uint32_t *heads;		/* bucket -> node index + 1, newest first */
	size_t mask;
	struct pm_node *nodes;
	size_t nodes_len, nodes_cap;
	uint32_t gen;			/* premap_g_index() calls, mod 2^31 */
	const char **reps;		/* per g string offset: a DWARF name seen equal to it */
	size_t reps_len;		/* entries (NULL past the strings) */
};

/* One thread's: what it knows of g's names, and one unit's scratch. */
struct premap {
	const struct premap_g *pg;
	struct btf_builder *g;		/* pg->g */
	struct ptrmap names;		/* string key -> (g offset << 1 | is ident) + 1,
					 * or NAME_ABSENT | pg->gen then */
	/* One unit's. */
	const struct dwt_cu *cu;
	const struct encode_opts *o;
	/* Per record, in one block of cap records from gid on: */
	uint32_t *gid;			/* the g id, PM_NONE, PM_UNKNOWN, PM_BUSY */
	uint32_t *hyp;			/* its first pairing in this check, or PM_UNKNOWN */
	uint32_t *failed;		/* the g id its own check failed on (| FAILED_UNSURE) */
	uint32_t *rec_names;		/* its name as names holds it, 0 unknown */
	uint32_t *alias;		/* premap_alias_walk() of it */
	uint32_t *firsts;		/* a typedef's premap_candidate() + 1, 0 unknown */
	uint8_t *kinds;			/* premap_kind_of() it */
	size_t cap;
	uint32_t *item_names;		/* per item: its name as names holds it, 0 unknown */
	size_t item_names_cap;
	const struct dwt_type *recs;	/* the unit's first record */
	uint32_t *hyp_list;
	size_t hyp_len, hyp_cap;
	uint32_t *canon;		/* per g id: the record + 1 it is paired with, or 0 */
	size_t canon_cap;
	uint32_t *canon_list;		/* g ids paired in this check */
	size_t canon_len, canon_list_cap;
	uint32_t int_ref;		/* the unit's "int" record + 1, or 0 */
	bool unsure;			/* the last check failed where the deduplication might not */
	int err;			/* -ENOMEM met on the way */
};


static inline uint32_t premap_mix(uint32_t h, uint32_t v)
{
	return (h ^ v) * 0x9E3779B1u + (h >> 15);
}

/* The kind a record is filed under: ENUM64 with ENUM (they compete). */
static inline uint32_t premap_file_kind(uint32_t kind)
{
	return kind == BTF_KIND_ENUM64 ? BTF_KIND_ENUM : kind;
}

/* Kinds the deduplication settles by trying candidates newest first and
 * taking the first of the same shape that passes its graph check. */
static inline bool premap_by_shape(uint32_t kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_TYPEDEF;
}

/* The first g id filed under hash, or 0; then the next one after id. */
static inline uint32_t premap_chain_first(const struct premap *pm, uint32_t hash, uint32_t *node)
{
	const struct premap_g *pg = pm->pg;
	uint32_t n = pg->heads ? pg->heads[hash & pg->mask] : 0;

	while (n && pg->nodes[n - 1].hash != hash)
		n = pg->nodes[n - 1].next;
	*node = n;
	return n ? pg->nodes[n - 1].id : 0;
}

static inline uint32_t premap_chain_next(const struct premap *pm, uint32_t hash, uint32_t *node)
{
	const struct premap_g *pg = pm->pg;
	uint32_t n = pg->nodes[*node - 1].next;

	while (n && pg->nodes[n - 1].hash != hash)
		n = pg->nodes[n - 1].next;
	*node = n;
	return n ? pg->nodes[n - 1].id : 0;
}

/* What premap_alias_walk() and premap_kind_of() found for the unit's
 * records, at its start. */
static inline uint32_t premap_alias_of(const struct premap *pm, uint32_t ref)
{
	return ref ? pm->alias[ref - 1] : 0;
}

static inline uint32_t premap_enc_kind(const struct premap *pm, const struct dwt_type *t)
{
	return pm->kinds[t - pm->recs];
}

/* encode_premap_fields.c */
int premap_name_in_g(struct premap *pm, const char *s, uint32_t *off);
/* premap_name_in_g() of record t's name (i < 0, t->name set) or of its
 * item i's (set), remembered for the unit. */
int premap_name(struct premap *pm, const struct dwt_type *t, int i, uint32_t *off);
uint32_t premap_alias_walk(const struct premap *pm, uint32_t ref);
uint32_t premap_kind_of(const struct premap *pm, const struct dwt_type *t);
bool premap_struct_shallow(struct premap *pm, const struct dwt_type *t, const struct btf_type *gt);
bool premap_enum_equal(struct premap *pm, const struct dwt_type *t, const struct btf_type *gt);
bool premap_equal_fields(struct premap *pm, const struct dwt_type *t, uint32_t kind,
			 const struct btf_type *gt);
uint32_t premap_ref_gid(const struct premap *pm, uint32_t ref);
bool premap_unit_key(struct premap *pm, const struct dwt_type *t, uint32_t kind, uint32_t *hash);
bool premap_shape_agrees(struct premap *pm, const struct dwt_type *t, uint32_t kind, uint32_t g);
uint32_t premap_candidate(struct premap *pm, const struct dwt_type *t, uint32_t kind);

/* encode_premap_graph.c */
bool premap_refs_same(struct premap *pm, const struct dwt_type *t, const struct btf_type *gt,
		      int depth);
bool premap_same(struct premap *pm, uint32_t ref, uint32_t g, int depth);
void premap_pairs_end(struct premap *pm, bool keep);

#endif
