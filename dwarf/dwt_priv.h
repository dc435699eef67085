/* SPDX-License-Identifier: GPL-2.0-only */
/* dwt_priv.h - the inside of the walker's objects, for dwarf/ only. */
#ifndef BTFENC_DWT_PRIV_H
#define BTFENC_DWT_PRIV_H

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "dwt.h"

struct dwt_file {
	Dwfl *dwfl;		/* owns the ELF and its relocated DWARF */
	Dwarf *dw;		/* the module's DWARF */
	Dwarf_Die *cus;		/* compile unit DIEs, in file order */
	size_t cus_len;		/* how many */
	size_t cus_cap;		/* slots allocated */
	bool big_endian;	/* the target's byte order (DWARF 2/3 bitfields) */
	Elf *elf;		/* the object, as libdwfl relocated it */
};

/* DIE offset -> type index, open addressing; keys are offset + 1. */
struct offmap {
	uint64_t *keys;		/* 0 for an empty slot */
	uint32_t *vals;		/* type index */
	size_t mask;		/* slots - 1 */
	size_t used;		/* occupied slots */
};

struct dwt_cu {
	struct dwt_file *f;	/* the file of the last walk */
	const char *name;	/* DW_AT_name of the CU */
	struct dwt_type *types;	/* records, by index */
	size_t types_len;
	size_t types_cap;
	uint32_t *order;	/* per record: its place in DIE post-order */
	size_t order_cap;
	uint32_t next_order;	/* the next place to hand out */
	struct dwt_item *items;	/* members, enumerators, params, dimensions */
	size_t items_len;
	size_t items_cap;
	struct dwt_tag *tags;	/* annotations */
	size_t tags_len;
	size_t tags_cap;
	struct dwt_func *funcs;	/* subprograms, in DIE order */
	size_t funcs_len;
	size_t funcs_cap;
	struct dwt_var *vars;	/* top-scope variables with an address, in DIE order */
	size_t vars_len;
	size_t vars_cap;
	uint32_t *pending;	/* indices referenced before they were read */
	size_t pending_len;
	size_t pending_cap;
	struct offmap map;	/* which DIE has which index */
};

void dwt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* dwt_func.c: a subprogram and a top-scope variable. Returns: 0 or -errno. */
int dwt_read_func(struct dwt_cu *cu, Dwarf_Die *die);
int dwt_read_var(struct dwt_cu *cu, Dwarf_Die *die);
/* dwt_read.c: decl tags of die into cu->tags. Returns: how many, or -errno. */
int dwt_read_tags(struct dwt_cu *cu, Dwarf_Die *die, int32_t component);

/* dwt_read.c: fills the record at index from die. Returns: 0 or -errno. */
int dwt_read_type(struct dwt_cu *cu, Dwarf_Die *die, uint32_t index);
/* The index + 1 of die's type attribute (allocating a pending record for a
 * DIE not read yet), 0 for void or none. Returns: >= 0, or -errno. */
int64_t dwt_type_ref(struct dwt_cu *cu, Dwarf_Die *die);
/* The same for a DW_AT_type attribute a of die, already looked up. */
int64_t dwt_type_ref_attr(struct dwt_cu *cu, Dwarf_Die *die, Dwarf_Attribute *a);
/* The record index of die, allocated (pending) if new. Returns: >= 0 or -errno. */
int64_t dwt_index_of(struct dwt_cu *cu, Dwarf_Off off, bool *is_new);

#endif
