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
	const char *info;	/* .debug_info inside the file's read-only mapping, or NULL */
	size_t info_size;	/* its bytes */
	const char *image;	/* that mapping (elf_rawfile()) when info is set */
	size_t image_size;
	bool host_big_endian;
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

/*
 * dwt_attrs.c: the attributes the walker reads, each a slot of struct
 * dwt_attrs, gathered in one pass over the DIE. A read names the slots it
 * wants and how libdw's own lookup would find each one, and gets exactly
 * what that lookup returns.
 */
#define DWT_ATTRS(X)                                                                               \
	X(TYPE, DW_AT_type)                                                                        \
	X(NAME, DW_AT_name)                                                                        \
	X(BYTE_SIZE, DW_AT_byte_size)                                                              \
	X(BIT_SIZE, DW_AT_bit_size)                                                                \
	X(ENCODING, DW_AT_encoding)                                                                \
	X(DECLARATION, DW_AT_declaration)                                                          \
	X(EXTERNAL, DW_AT_external)                                                                \
	X(ARTIFICIAL, DW_AT_artificial)                                                            \
	X(MEMBER_LOCATION, DW_AT_data_member_location)                                             \
	X(DATA_BIT_OFFSET, DW_AT_data_bit_offset)                                                  \
	X(BIT_OFFSET, DW_AT_bit_offset)                                                            \
	X(CONST_VALUE, DW_AT_const_value)                                                          \
	X(LOWER_BOUND, DW_AT_lower_bound)                                                          \
	X(UPPER_BOUND, DW_AT_upper_bound)                                                          \
	X(COUNT, DW_AT_count)                                                                      \
	X(LOCATION, DW_AT_location)                                                                \
	X(SPECIFICATION, DW_AT_specification)

enum dwt_at_slot {
#define DWT_AT_SLOT(slot, at) DWT_AT_##slot,
	DWT_ATTRS(DWT_AT_SLOT)
#undef DWT_AT_SLOT
	DWT_AT_NR
};

#define DWT_AT_BIT(slot) (1u << (slot))
#define DWT_AT(name) DWT_AT_BIT(DWT_AT_##name) /* DWT_AT(TYPE): the bit of a named slot */

/* How to look up the slots of one read. */
struct dwt_attrs_how {
	uint32_t want;		/* DWT_AT_BIT() of each slot to read */
	uint32_t integrate;	/* those looked up through an abstract origin or specification
				 * (dwarf_attr_integrate, dwarf_diename, dwarf_hasattr_integrate),
				 * the others on the DIE alone (dwarf_attr, dwarf_hasattr) */
	uint32_t flag;		/* those only tested for presence (dwarf_hasattr*): no value */
};

struct dwt_attrs {
	uint32_t seen;			/* DWT_AT_BIT() of each wanted slot found */
	Dwarf_Attribute a[DWT_AT_NR];	/* the value of each found slot that is no flag */
};

/* The wanted attributes of die into out. A DIE libdw cannot decode has no
 * error of its own here: each slot is what the lookup would have found. */
void dwt_attrs_read(Dwarf_Die *die, const struct dwt_attrs_how *how, struct dwt_attrs *out);

static inline bool dwt_attrs_has(const struct dwt_attrs *as, int slot)
{
	return as->seen & DWT_AT_BIT(slot);
}

/* The slot's value as dwarf_formudata reads it; false when absent or no
 * constant. */
bool dwt_attrs_udata(struct dwt_attrs *as, int slot, uint64_t *v);
/* The slot's string as dwarf_formstring reads it; NULL when absent. */
const char *dwt_attrs_str(struct dwt_attrs *as, int slot);

/* dwt_func.c: a subprogram and a top-scope variable. Returns: 0 or -errno. */
int dwt_read_func(struct dwt_cu *cu, Dwarf_Die *die);
int dwt_read_var(struct dwt_cu *cu, Dwarf_Die *die);
/* dwt_read.c: decl tags of die into cu->tags. Returns: how many, or -errno. */
int dwt_read_tags(struct dwt_cu *cu, Dwarf_Die *die, int32_t component);

/* Vendor tags that may be missing from an older dwarf.h. */
#define TAG_LLVM_ANNOTATION 0x6000
#define TAG_GNU_ANNOTATION 0x6001

/* Whether a child with this tag is one that dwt_read_tags() reads. */
static inline bool dwt_tag_is_annotation(int tag)
{
	return tag == TAG_LLVM_ANNOTATION || tag == TAG_GNU_ANNOTATION;
}

/* dwt_read.c: fills the record at index from die. Returns: 0 or -errno. */
int dwt_read_type(struct dwt_cu *cu, Dwarf_Die *die, uint32_t index);
/* The index + 1 of die's type attribute (allocating a pending record for a
 * DIE not read yet), 0 for void or none. Returns: >= 0, or -errno. */
int64_t dwt_type_ref(struct dwt_cu *cu, Dwarf_Die *die);
/* The same for a DW_AT_type attribute a of die, already looked up. */
int64_t dwt_type_ref_attr(struct dwt_cu *cu, Dwarf_Die *die, Dwarf_Attribute *a);
/* The same for the DWT_AT_TYPE slot of a read of die: what dwt_type_ref()
 * returns when the read integrated the slot. */
int64_t dwt_attrs_type_ref(struct dwt_cu *cu, Dwarf_Die *die, struct dwt_attrs *as);
/* The record index of die, allocated (pending) if new. Returns: >= 0 or -errno. */
int64_t dwt_index_of(struct dwt_cu *cu, Dwarf_Off off, bool *is_new);

#endif
