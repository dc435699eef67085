/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * encode.h - DWARF records to BTF: the mapping rules (after pahole v1.31 with
 * the kernel's features) and the whole-object driver.
 *
 * encode_cu_types() appends one compile unit's types to a builder; the
 * driver walks every unit, deduplicates, and hands the blob to the writer.
 */
#ifndef BTFENC_ENCODE_H
#define BTFENC_ENCODE_H

#include <stdbool.h>

#include "btf.h"
#include "dwt.h"

/* What to encode: the --btf_features switches that affect types. */
struct encode_opts {
	bool enum64;		/* 8-byte enums as ENUM64 (else ENUM, values cut to 32 bits) */
	bool floats;		/* floating types as FLOAT (else skipped, as void) */
	bool type_tags;		/* btf_type_tag annotations as TYPE_TAG */
	bool decl_tags;		/* btf_decl_tag annotations as DECL_TAG */
	bool vars;		/* per-CPU variables as VAR + DATASEC */
	bool global_vars;	/* global_var: variables of every data section too */
	bool consistent;	/* consistent_func: drop functions flagged by the policy */
	bool kfunc_tags;	/* decl_tag_kfuncs: bpf_kfunc tags from .BTF_ids */
	bool attributes;	/* attributes: arena kfunc pointers tagged address_space(1) */
	bool distilled_base;	/* distilled_base: split BTF in an ELF gets a .BTF.base */
	unsigned exclude_lang;	/* a DW_LANG_* whose units are skipped, 0 for none */
	unsigned jobs;		/* threads: -jN; 0 for one per CPU (never changes the output) */
	struct dwt_open_opts dwarf; /* where a stripped object's DWARF is (--debuginfo ...) */
};

struct elf_syms;
struct func_states;
struct var_secs;

/* Where the encoder's, btf/'s and dwarf/'s messages go (one callback). */
void encode_log_set(btf_log_fn fn, void *ctx);

/* Reports one message (printf-like) through the btf/ layer's log. */
void encode_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The kernel's feature set, as the kernel build asks for it. */
void encode_opts_default(struct encode_opts *o);

/*
 * Appends the types of one walked unit to b. Each record gets its BTF id
 * before any is added, so references may point forward. With pre (from
 * premap_unit()), a record matched to a type of b (or its base) takes that
 * id and is not added.
 * Returns: 0, or -errno with the DIE at fault logged.
 */
int encode_cu_types(struct btf_builder *b, const struct dwt_cu *cu, const struct encode_opts *o,
		    const uint32_t *pre, uint32_t **ids);

/* Whether record t emits no BTF type of its own but stands for another:
 * *target, a record + 1, or 0 for void (void, a nameless base type,
 * _Atomic, a typedef whose name BTF cannot hold). */
bool encode_is_alias(const struct dwt_type *t, uint32_t *target);

/* The unit's "int" (+ 1; 0: none), which indexes its arrays. */
uint32_t encode_index_int(const struct dwt_cu *cu);

/* How a DWT_BASE record is encoded, as pahole does: a FLOAT with the
 * float feature and a size BTF takes; else an INT of the returned name
 * (the record's, or "__SANITIZED_FAKE_INT__" for a size BTF cannot hold),
 * *size bytes of *size * 8 bits, BTF_INT_* encoding *enc. */
bool encode_base_is_float(const struct encode_opts *o, const struct dwt_type *t);
const char *encode_int_shape(const struct dwt_type *t, uint32_t *size, uint32_t *enc);

/* The element count ARRAY record t is encoded with: its dimensions'
 * counts multiplied (a flexible one counts 0); UINT64_MAX past 32 bits. */
uint64_t encode_array_count(const struct dwt_cu *cu, const struct dwt_type *t);

/* encode_premap.c: a unit's records matched, before they are encoded, to
 * the types of g (an object's canonical types so far) the deduplication
 * would merge their encoding onto. */
#define PREMAP_NONE (UINT32_MAX - 2)	/* a record to encode */
struct premap_g;
struct premap;
/* g and its index, shared by the threads; premap_g_index() makes g's
 * types added since known, while no premap_unit() runs. Returns: 0,
 * -ENOMEM. */
int premap_g_new(struct btf_builder *g, struct premap_g **out);
void premap_g_free(struct premap_g *pg);
int premap_g_index(struct premap_g *pg);
/* One thread's matcher on pg. Returns: 0, -ENOMEM. */
int premap_new(const struct premap_g *pg, struct premap **out);
void premap_free(struct premap *pm);
/* Per record of cu, in *gids (valid until the next call): the g id, or
 * PREMAP_NONE; *matched counts the matches. Returns: 0, -ENOMEM. */
int premap_unit(struct premap *pm, const struct dwt_cu *cu, const struct encode_opts *o,
		const uint32_t **gids, size_t *matched);

/* encode_funcs.c: functions are saved per unit (with the unit's type ids,
 * *ids from encode_cu_types) and emitted after all units, in name order. */
int func_states_new(struct func_states **out);
void func_states_free(struct func_states *fs);
int func_states_save(struct func_states *fs, const struct btf_builder *b,
		     const struct elf_syms *syms, const struct dwt_cu *cu, const uint32_t *ids);
int func_states_emit(struct func_states *fs, struct btf_builder *b, const struct encode_opts *o);
/* States saved so far, and their type ids from state from on renumbered
 * through map (map_len entries; ids past it stay): after a dedup. */
size_t func_states_count(const struct func_states *fs);
void func_states_remap(struct func_states *fs, size_t from, const uint32_t *map,
		       uint32_t map_len);

/* encode_vars.c: per-CPU variables of a unit as VARs (with the unit's ids);
 * their DATASECs after all units. */
int var_secs_new(const struct elf_syms *syms, struct var_secs **out);
void var_secs_free(struct var_secs *vs);
int var_secs_add(struct var_secs *vs, struct btf_builder *b, const struct dwt_cu *cu,
		 const uint32_t *ids, const struct encode_opts *o);
int var_secs_emit(struct var_secs *vs, struct btf_builder *b);
/* The VAR ids kept so far renumbered through map, as func_states_remap(). */
void var_secs_remap(struct var_secs *vs, const uint32_t *map, uint32_t map_len);

/*
 * encode_units.c: every unit of f walked and encoded on o->jobs threads,
 * merged into b in file order: each unit's types, then its variables (vs),
 * its functions saved (fs). The result does not depend on the threads.
 * Returns: 0, or the first unit's error (in file order), its messages out.
 */
struct dwt_file;
struct encode_stats;
int encode_units_merged(struct dwt_file *f, struct btf_builder *b, const struct elf_syms *syms,
			struct func_states *fs, struct var_secs *vs, const struct encode_opts *o,
			struct encode_stats *st);

/* Monotonic seconds, for timing phases. */
double encode_now(void);

/* What encode_file() did, for -v. */
struct encode_stats {
	size_t units;		/* compile units encoded */
	unsigned threads;	/* that walked and encoded them */
	uint64_t raw_types;	/* types the units had, before any deduplication */
	uint64_t premapped;	/* of their records, matched before encoding */
	double t_open;		/* seconds: opening the object and its DWARF */
	double t_units;		/* wall: every unit walked, encoded and merged */
	double t_walk;		/* summed over units, on any thread: the DWARF walk */
	double t_types;		/* the same for encoding the types */
	double t_merge;		/* the merger's own work, batch deduplication aside */
	double t_batches;	/* deduplication of the batches */
	double t_funcs;		/* functions and DATASECs, after the units */
	double t_dedup;		/* the final deduplication */
};

/*
 * Encodes every unit of the DWARF of path into a new builder (split on base
 * if not NULL), deduplicated. stats may be NULL.
 * Returns: 0 and *out, or -errno (logged).
 */
int encode_file(const char *path, struct btf_builder *base, const struct encode_opts *o,
		struct btf_builder **out, struct encode_stats *stats);

#endif
