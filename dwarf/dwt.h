/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dwt.h - the DWARF walker's neutral records: one compile unit's types as a
 * table, for an encoder to turn into whatever it encodes (btfenc: BTF).
 *
 * This layer reads DWARF through libdw and must never include a BTF header.
 * A struct dwt_cu holds the records of one compile unit: types[] in the
 * order the walker met them, each referring to others by index + 1 (0 is
 * void), and items[] holding the members, enumerators, params and array
 * dimensions that types point into. Names point into libdw's string data
 * and live as long as the struct dwt_file. A dwt_cu belongs to one thread
 * at a time; different CUs may be walked on different threads.
 */
#ifndef BTFENC_DWT_H
#define BTFENC_DWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dwt_kind {
	DWT_PENDING = 0,	/* referenced, not read yet (never left after a walk) */
	DWT_VOID,		/* DW_TAG_unspecified_type, or what can only be void */
	DWT_BASE,		/* name, size, bits, encoding (DW_ATE_*) */
	DWT_PTR,		/* pointer, C++ reference: type; tags = type tags */
	DWT_CONST,
	DWT_VOLATILE,
	DWT_RESTRICT,
	DWT_ATOMIC,
	DWT_TYPEDEF,		/* name, type */
	DWT_STRUCT,		/* name, size, items = members (DWT_DECL: declaration) */
	DWT_UNION,
	DWT_ENUM,		/* name, size, items = enumerators, DWT_SIGNED */
	DWT_ARRAY,		/* type = element, items = dimensions (value = count) */
	DWT_FUNC_TYPE,		/* type = return, items = params, DWT_VARARGS */
};

/* dwt_type.flags */
#define DWT_DECL	0x01	/* a declaration only (DW_AT_declaration) */
#define DWT_SIGNED	0x02	/* enum: its values are signed */
#define DWT_VARARGS	0x04	/* function type: ends in "..." */

/* dwt_item.flags */
#define DWT_ITEM_FLEX	0x01	/* array dimension without a count */

struct dwt_type {
	uint8_t kind;		/* enum dwt_kind */
	uint8_t flags;		/* DWT_DECL, DWT_SIGNED, DWT_VARARGS */
	uint16_t encoding;	/* DWT_BASE: DW_ATE_* */
	uint32_t type;		/* referred type: index + 1, 0 for void */
	const char *name;	/* NULL when anonymous */
	uint64_t size;		/* bytes: base, struct, union, enum */
	uint32_t bits;		/* DWT_BASE: value bits */
	uint32_t first;		/* first of its items */
	uint32_t nitems;	/* how many items */
	uint32_t first_tag;	/* first of its tags */
	uint32_t ntags;		/* how many tags */
	uint64_t die;		/* DIE offset, for messages */
};

struct dwt_item {
	const char *name;	/* member, enumerator or param name; NULL if none */
	uint32_t type;		/* member or param type: index + 1 */
	uint32_t bit_size;	/* member: bitfield width, 0 if not a bitfield */
	uint64_t value;		/* member: bit offset; enumerator: value; dimension: count */
	uint8_t flags;		/* DWT_ITEM_FLEX */
};

/* A btf_type_tag or btf_decl_tag annotation (clang DW_TAG_LLVM_annotation,
 * gcc DW_TAG_GNU_annotation). */
struct dwt_tag {
	const char *value;	/* the tag's string */
	int32_t component;	/* decl tags: member or param index, -1 for the whole */
	bool type_tag;		/* btf_type_tag (on a pointer) rather than btf_decl_tag */
};

/* Where a parameter lives on entry, as far as BTF's function rules care:
 * the registers its location list names. Packed in dwt_item.value of a
 * param; read with the DWT_LOC_* helpers. */
#define DWT_LOC_NONE	0	/* no location and no constant */
#define DWT_LOC_CONST	1	/* optimized to a constant (DW_AT_const_value) */
#define DWT_LOC_EXPR	2	/* a location, in registers DWT_LOC_* tell or elsewhere */
#define DWT_NO_REG	0xff
#define DWT_OTHER_REG	0xfe	/* an entry value that is not a plain register */
static inline unsigned dwt_loc_kind(uint64_t v) { return (unsigned)(v >> 48) & 0xff; }
/* DW_OP_regN of the first location entry, or DWT_NO_REG. */
static inline unsigned dwt_loc_first_reg(uint64_t v) { return (unsigned)(v >> 40) & 0xff; }
/* The register of the last entry that is a lone register or entry value. */
static inline unsigned dwt_loc_last_reg(uint64_t v) { return (unsigned)(v >> 32) & 0xff; }
/* Bit N: some entry is DW_OP_entry_value(DW_OP_regN). */
static inline uint32_t dwt_loc_entry_regs(uint64_t v) { return (uint32_t)v; }

/* dwt_func.flags */
#define DWT_FN_VARARGS	0x01	/* ends in "..." */
#define DWT_FN_UNNAMED	0x02	/* some parameter has no name */
#define DWT_FN_EXTERNAL	0x04	/* DW_AT_external */

/* A DW_TAG_subprogram that is not only a declaration: a definition, an
 * abstract instance (inline) or a concrete out-of-line copy of one. */
struct dwt_func {
	const char *name;	/* through abstract origin and specification */
	uint32_t ret;		/* return type: index + 1, 0 for void */
	uint32_t first;		/* first param in the unit's items (name, type, location) */
	uint32_t nparams;	/* formal parameters, without the "..." */
	uint32_t first_tag;	/* first decl tag (component: param index or -1) */
	uint32_t ntags;		/* how many */
	uint32_t flags;		/* DWT_FN_* */
	uint64_t die;		/* DIE offset, for messages */
};

/* A variable of the unit's top scope with a static address. */
struct dwt_var {
	const char *name;	/* through the specification */
	uint32_t type;		/* index + 1 */
	bool external;		/* DW_AT_external */
	uint64_t addr;		/* DW_OP_addr/addrx, as relocated for the object */
	uint32_t first_tag;	/* first decl tag */
	uint32_t ntags;		/* how many */
	uint64_t die;		/* DIE offset, for messages */
};

struct dwt_file;
struct dwt_cu;

/* Log callback of this layer (one line per message, no newline). */
typedef void (*dwt_log_fn)(void *ctx, const char *msg);
void dwt_log_set(dwt_log_fn fn, void *ctx);

/*
 * Where an object's DWARF may be besides the object: a stripped object's
 * separate debug file, and dwz's supplementary file (.gnu_debugaltlink).
 * Each is the file given, or searched: by build id (.build-id/xx/rest.debug)
 * and by the name the object records, in each directory of the path
 * (libdwfl's syntax: an empty entry is the object's directory, a relative
 * one is taken there, "/usr/lib/debug" mirrors the object's path). Only
 * the local file system: never debuginfod.
 */
struct dwt_open_opts {
	const char *debuginfo;		/* the separate debug file, or NULL: searched */
	const char *alt;		/* dwz's supplementary file, or NULL: searched */
	const char *debuginfo_path;	/* NULL: ":.debug:/usr/lib/debug" */
};

/*
 * Opens path's DWARF, relocated for ET_REL objects, looking for it as o
 * says (NULL: the defaults) when path has none.
 * Returns: 0; -ENOENT/-EACCES/... for the file; -ENODATA without DWARF;
 * -EINVAL for a broken object; -EBADMSG for DWARF that cannot be read
 * (sections cut or past the end, a broken unit header), with a message
 * naming path and what is wrong; -ENOMEM.
 */
int dwt_file_open(const char *path, const struct dwt_open_opts *o, struct dwt_file **out);
void dwt_file_free(struct dwt_file *f);
/* How many compile units the file has. */
size_t dwt_file_cu_count(const struct dwt_file *f);
/*
 * Gives back the memory of unit i's DWARF once it is walked (a vmlinux's
 * .debug_info is 156 MB, all of it resident otherwise). Only where that is
 * safe, and then reading it again still works (it comes from the file). */
void dwt_file_release_unit(struct dwt_file *f, size_t i);
/* The same for every page of the file read so far (strings, location
 * lists...): what is used again is read again. */
void dwt_file_release_all(struct dwt_file *f);

/*
 * The scratch memory of walks, reused from one to the next: what a walk
 * needs only while it runs. One per thread; a unit's records live in its
 * struct dwt_cu, which may then go to another thread.
 */
struct dwt_walker;
int dwt_walker_new(struct dwt_walker **out);
void dwt_walker_free(struct dwt_walker *w);

/*
 * Walks compile unit i (0-based, in file order) into cu, which is reset
 * first, with w's scratch. exclude_lang, if nonzero, skips a CU of that
 * DW_AT_language (*skipped is then true and cu empty).
 * Returns: 0; -EINVAL for DWARF it cannot make sense of (logged with the
 * DIE offset); -ENOMEM.
 */
int dwt_cu_walk(struct dwt_file *f, size_t i, unsigned exclude_lang, struct dwt_walker *w,
		struct dwt_cu *cu, bool *skipped);

int dwt_cu_new(struct dwt_cu **out);
void dwt_cu_free(struct dwt_cu *cu);
/* Gives back the record arrays of a unit much larger than most (they keep
 * their size for the next walk otherwise). The records are gone after it. */
void dwt_cu_trim(struct dwt_cu *cu);

/* The records of the last walk. */
size_t dwt_cu_type_count(const struct dwt_cu *cu);
const struct dwt_type *dwt_cu_type(const struct dwt_cu *cu, uint32_t index);
const struct dwt_item *dwt_cu_items(const struct dwt_cu *cu, const struct dwt_type *t);
const struct dwt_tag *dwt_cu_tags(const struct dwt_cu *cu, const struct dwt_type *t);
const char *dwt_cu_name(const struct dwt_cu *cu);
size_t dwt_cu_func_count(const struct dwt_cu *cu);
const struct dwt_func *dwt_cu_func(const struct dwt_cu *cu, size_t i);
const struct dwt_item *dwt_cu_params(const struct dwt_cu *cu, const struct dwt_func *fn);
const struct dwt_tag *dwt_cu_func_tags(const struct dwt_cu *cu, const struct dwt_func *fn);
size_t dwt_cu_var_count(const struct dwt_cu *cu);
const struct dwt_var *dwt_cu_var(const struct dwt_cu *cu, size_t i);
const struct dwt_tag *dwt_cu_var_tags(const struct dwt_cu *cu, const struct dwt_var *v);

/* The object as libdwfl relocated it: for ET_REL files its sections have
 * the addresses that DWARF addresses refer to. Owned by f. */
struct Elf *dwt_file_elf(const struct dwt_file *f);

#endif
