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
 * before any is added, so references may point forward.
 * Returns: 0, or -errno with the DIE at fault logged.
 */
int encode_cu_types(struct btf_builder *b, const struct dwt_cu *cu, const struct encode_opts *o,
		    uint32_t **ids);

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
