/* SPDX-License-Identifier: GPL-2.0-only */
/* dwt_priv.h - the inside of the walker's objects, for dwarf/ only. */
#ifndef BTFENC_DWT_PRIV_H
#define BTFENC_DWT_PRIV_H

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "dwt.h"

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

/* Each slot's DW_AT_* (dwt_attrs.c). */
extern const unsigned dwt_slot_at[DWT_AT_NR];

#define DWT_AT_BIT(slot) (1u << (slot))
#define DWT_AT(name) DWT_AT_BIT(DWT_AT_##name) /* DWT_AT(TYPE): the bit of a named slot */

/*
 * dwt_dec.c: the fast path. Each unit's DIEs are decoded in one linear pass
 * into an array of records that keep where the attributes the walk reads
 * lie; the walk then reads them as libdw's own Dwarf_Attribute values, so
 * what a value means stays libdw's. A unit the decoder does not know how to
 * read exactly as libdw would (another DWARF version or format, an unknown
 * form, a reference it cannot place) is walked through libdw instead.
 */
#define DWT_DEC_ORIGIN DWT_AT_NR	   /* DW_AT_abstract_origin */
#define DWT_DEC_SIBLING (DWT_AT_NR + 1) /* DW_AT_sibling */
#define DWT_DEC_SLOTS (DWT_AT_NR + 2)

/* One attribute of an abbreviation, for skipping its value. */
struct dwt_spec {
	uint16_t form;
	uint8_t size;		/* the value's bytes when fixed, 0 when not */
	int8_t keep;		/* its place among the DIE's kept values, or -1 */
};

/* An abbreviation; one for all tables that spell it the same. */
struct dwt_abbrev {
	uint32_t tag;
	uint16_t nspecs;
	uint8_t nkeep;			/* values kept per DIE */
	bool children;
	bool inherits;			/* has DW_AT_abstract_origin or DW_AT_specification */
	uint32_t present;		/* DWT_AT_BIT() of each slot it has */
	int8_t pos[DWT_DEC_SLOTS];	/* slot -> kept value, -1 when absent */
	uint16_t keep_form[DWT_DEC_SLOTS];
	uint16_t keep_at[DWT_DEC_SLOTS];
	const uint8_t *keep_ic[DWT_DEC_SLOTS]; /* DW_FORM_implicit_const: its value */
	int32_t fixed;			/* the values' bytes if all have a fixed size, else -1 */
	uint16_t keep_off[DWT_DEC_SLOTS]; /* with fixed: where each kept value starts */
	const uint8_t *raw;		/* its bytes after the code, in .debug_abbrev */
	size_t raw_len;
	struct dwt_spec specs[];
};

/* One abbreviation table, by code. */
struct dwt_abbrevs {
	uint64_t off;			/* in .debug_abbrev */
	const struct dwt_abbrev **by_code; /* NULL: no abbreviation has this code */
	size_t n;			/* codes 0..n-1 */
	bool bad;			/* not for the fast path */
};

/* A listed unit as the fast path sees it; tab NULL when it is not for it. */
struct dwt_dec_unit {
	const struct dwt_abbrevs *tab;
	size_t tabi;			/* tab's index, while the tables grow */
	uint64_t start;			/* unit header offset */
	uint64_t die;			/* its unit DIE */
	uint64_t end;			/* the next unit's header */
	uint8_t addr_size;
	uint8_t version;
};

struct dwt_dec {
	const uint8_t *info;		/* NULL: no fast path for this file */
	const uint8_t *str;		/* .debug_str as libdw reads it, or NULL */
	size_t info_size, str_size;
	const uint8_t *abbrev;
	size_t abbrev_size;
	const uint8_t *loc, *loclists;	/* .debug_loc, .debug_loclists, or NULL */
	size_t loc_size, loclists_size;
	struct dwt_abbrevs *tabs;
	size_t ntabs;
	struct dwt_abbrev **pool;	/* every distinct abbreviation */
	size_t pool_len, pool_cap;
	uint32_t *intern;		/* hash of their bytes -> 1 + pool index */
	size_t intern_mask;
	struct dwt_dec_unit *units;	/* one per listed unit */
};

/* A decoded DIE. */
struct dwt_fdie {
	const struct dwt_abbrev *ab;
	uint32_t off;			/* in .debug_info */
	uint32_t next;			/* index of its next sibling, 0 for none */
	uint32_t vals;			/* its first kept value in dwt_cu.fvals */
	uint32_t child;			/* 1 when the next record is its first child */
};

/* Split units lifted out of a .dwp package (dwt_dwp.c). */
struct dwt_dwp_unit {
	uint8_t *image;		/* its .dwo, an ELF image in memory */
	size_t image_size;
	Elf *elf;
	Dwarf *dw;
};

struct dwt_dwp {
	struct dwp *pkg;	/* OBJECT.dwp, or NULL when there is none */
	struct dwt_dwp_unit *units;
	size_t units_len;
	size_t units_cap;
};

struct dwt_file {
	Dwfl *dwfl;		/* owns the ELF and its relocated DWARF */
	Dwfl_Callbacks callbacks; /* dwfl's, with the search path below */
	char *debuginfo_path;	/* where separate and supplementary files are searched */
	char *debuginfo;	/* the separate debug file given, or NULL */
	char *alt;		/* dwz's supplementary file given, or NULL */
	int given_err;		/* errno of opening a file given, or 0 */
	const char *given_bad;	/* that file (debuginfo or alt) */
	Dwarf *dw;		/* the module's DWARF */
	Dwarf_Die *cus;		/* compile unit DIEs, in file order */
	Dwarf_Die *splits;	/* per unit: its split unit (-gsplit-dwarf), addr NULL if none */
	struct dwt_dwp *dwp;	/* the .dwp package split units came from, or NULL */
	size_t cus_len;		/* how many */
	size_t cus_cap;		/* slots allocated */
	bool big_endian;	/* the target's byte order (DWARF 2/3 bitfields) */
	Elf *elf;		/* the object, as libdwfl relocated it */
	const char *info;	/* .debug_info inside the file's read-only mapping, or NULL */
	size_t info_size;	/* its bytes */
	const char *image;	/* that mapping (elf_rawfile()) when info is set */
	size_t image_size;
	bool host_big_endian;
	struct dwt_dec dec;	/* the fast path */
};

/*
 * The split unit of skeleton from path.dwp, if there is such a package
 * and it holds the unit (libdw reads .dwo files only).
 * Returns: 0 and *out; -ENOENT (no package, or not in it), -EBADMSG for a
 * broken package, -ENOMEM.
 */
int dwt_dwp_split(struct dwt_file *f, const char *path, Dwarf_Die *skeleton, Dwarf_Die *out);
void dwt_dwp_free(struct dwt_dwp *p);

/* DIE offset -> type index, open addressing; keys are offset + 1. */
struct offmap {
	uint64_t *keys;		/* 0 for an empty slot */
	uint32_t *vals;		/* type index */
	size_t mask;		/* slots - 1 */
	size_t used;		/* occupied slots */
};

/* What a walk needs only while it runs: the fast path's decode, DIE
 * offsets to records, their order. One per thread, reused. */
struct dwt_walker {
	uint32_t *order;	/* per record: its place in DIE post-order */
	size_t order_cap;
	uint32_t next_order;	/* the next place to hand out */
	uint64_t *imported;	/* dwz partial units this walk went into (offsets) */
	size_t imported_len;
	size_t imported_cap;
	uint32_t *pending;	/* indices referenced before they were read */
	size_t pending_len;
	size_t pending_cap;
	struct offmap map;	/* which DIE has which index */
	struct dwt_fdie *fdies;	/* the fast path's decode of the unit */
	size_t fdies_len;
	size_t fdies_cap;
	const uint8_t **fvals;	/* where each kept value lies */
	size_t fvals_len;
	size_t fvals_cap;
};

struct dwt_cu {
	struct dwt_file *f;	/* the file of the last walk */
	Dwarf *dw;		/* the DWARF its DIEs are in: the file's, or a .dwo's */
	struct dwt_walker *w;	/* during a walk, its scratch */
	const char *name;	/* DW_AT_name of the CU */
	struct dwt_type *types;	/* records, by index */
	size_t types_len;
	size_t types_cap;
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
	/* The fast path's unit being walked. */
	const struct dwt_dec_unit *unit; /* NULL when it is walked through libdw */
	struct Dwarf_CU *dwcu;		/* libdw's unit, for the values */
	bool fast_failed;		/* something the fast path cannot read exactly */
};

/*
 * A DIE as the walk reads it: a record of the fast path's decode of the
 * unit being walked, or libdw's Dwarf_Die for any other.
 */
struct dwt_die {
	uint32_t fast;		/* 1 + index in cu->w->fdies, or 0 */
	Dwarf_Die d;		/* when fast is 0 */
};

void dwt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* dwt_file_release_unit() for every page of .debug_info below off. */
void dwt_file_release_below(struct dwt_file *f, uint64_t off);


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
void dwt_attrs_read(struct dwt_cu *cu, struct dwt_die *die,
		    const struct dwt_attrs_how *how, struct dwt_attrs *out);

/*
 * dwt_die.c: a DIE of either kind, as libdw's calls of the same names see
 * it. In the fast path, whatever it cannot answer exactly sets
 * cu->fast_failed (the unit is then walked again through libdw).
 */
static inline const struct dwt_fdie *dwt_fdie(const struct dwt_cu *cu, const struct dwt_die *d)
{
	return &cu->w->fdies[d->fast - 1];
}

static inline int dwt_die_tag(const struct dwt_cu *cu, struct dwt_die *d)
{
	return d->fast ? (int)dwt_fdie(cu, d)->ab->tag : dwarf_tag(&d->d);
}

static inline int dwt_die_haschildren(const struct dwt_cu *cu, struct dwt_die *d)
{
	return d->fast ? dwt_fdie(cu, d)->ab->children : dwarf_haschildren(&d->d);
}

/* dwarf_child(), dwarf_siblingof(): 0, 1 for none, -1 for an error. */
static inline int dwt_die_child(const struct dwt_cu *cu, struct dwt_die *d,
				struct dwt_die *child)
{
	int r;

	if (d->fast) {
		if (!dwt_fdie(cu, d)->child)
			return 1;
		child->fast = d->fast + 1;
		return 0;
	}
	r = dwarf_child(&d->d, &child->d);
	child->fast = 0;
	return r;
}

static inline int dwt_die_sibling(const struct dwt_cu *cu, struct dwt_die *d,
				  struct dwt_die *next)
{
	uint32_t n;
	int r;

	if (d->fast) {
		/* Record 0 is the unit DIE, nobody's sibling. */
		n = dwt_fdie(cu, d)->next;
		if (!n)
			return 1;
		next->fast = n + 1;
		return 0;
	}
	r = dwarf_siblingof(&d->d, &next->d);
	next->fast = 0;
	return r;
}

/*
 * DIE offsets name DIEs everywhere (records, references): a DIE of dwz's
 * supplementary file (reached through DW_FORM_GNU_ref_alt) has this bit
 * set on its offset there, so that it never meets a DIE of the object.
 */
#define DWT_ALT_OFF (1ULL << 62)

static inline uint64_t dwt_libdw_offset(const struct dwt_cu *cu, Dwarf_Die *d)
{
	Dwarf *alt = d->cu && dwarf_cu_getdwarf(d->cu) != cu->dw ? dwarf_getalt(cu->f->dw) : NULL;

	return dwarf_dieoffset(d) | (alt && dwarf_cu_getdwarf(d->cu) == alt ? DWT_ALT_OFF : 0);
}

static inline uint64_t dwt_die_offset(const struct dwt_cu *cu, struct dwt_die *d)
{
	return d->fast ? dwt_fdie(cu, d)->off : dwt_libdw_offset(cu, &d->d);
}

/* dwarf_hasattr() of a slot's attribute. */
bool dwt_die_hasattr(const struct dwt_cu *cu, struct dwt_die *d, int slot);
/* The DIE at off: dwarf_offdie(), or the fast path's record. false when
 * there is none. */
bool dwt_die_at(struct dwt_cu *cu, uint64_t off, struct dwt_die *out);
/* dwarf_formref_die() of a reference attribute of die. */
bool dwt_die_ref(struct dwt_cu *cu, Dwarf_Attribute *a, struct dwt_die *target);
/* dwarf_dieoffset(dwarf_formref_die()): false when it fails. */
bool dwt_die_ref_off(struct dwt_cu *cu, Dwarf_Attribute *a, uint64_t *off);
/* dwarf_bytesize(): -1 when it has none. */
int dwt_die_bytesize(struct dwt_cu *cu, struct dwt_die *d);
/* While cu is walked on the fast path, this thread's messages are held
 * back: a unit with one is walked again through libdw, which says it.
 * NULL ends it. */
void dwt_log_hold(struct dwt_cu *cu);

/* dwt_dec.c: the fast path's tables for f, read at open (nothing when the
 * file is not for it), and their end. */
void dwt_dec_open(struct dwt_file *f);
void dwt_dec_free(struct dwt_dec *dec);
/* Decodes unit i into cu's records. Returns: 0; -EAGAIN when the unit is
 * not for the fast path; -ENOMEM. */
int dwt_dec_unit(struct dwt_file *f, size_t i, struct dwt_cu *cu);
/* The fast path's record of the DIE at off in the unit decoded last, or -1. */
int64_t dwt_dec_find(const struct dwt_cu *cu, uint64_t off);

/* dwt_loc.c: a param's DW_AT_location a (of the fast path's unit) packed as
 * dwt.h's DWT_LOC_* read it, in *packed; false when libdw is to read it. */
bool dwt_loc_regs(const struct dwt_cu *cu, const Dwarf_Attribute *a, uint64_t *packed);
/* A variable's DW_AT_location a whose first operation is DW_OP_addr: its
 * address; false when libdw is to read it. */
bool dwt_loc_addr(const struct dwt_cu *cu, const Dwarf_Attribute *a, bool *has, uint64_t *addr);

static inline bool dwt_attrs_has(const struct dwt_attrs *as, int slot)
{
	return as->seen & DWT_AT_BIT(slot);
}

/* The slot's value as dwarf_formudata reads it; false when absent or no
 * constant. */
bool dwt_attrs_udata(struct dwt_attrs *as, int slot, uint64_t *v);
/* The slot's string as dwarf_formstring reads it; NULL when absent. */
const char *dwt_attrs_str(const struct dwt_cu *cu, struct dwt_attrs *as, int slot);

/* dwt_func.c: a subprogram and a top-scope variable. Returns: 0 or -errno. */
int dwt_read_func(struct dwt_cu *cu, struct dwt_die *die);
int dwt_read_var(struct dwt_cu *cu, struct dwt_die *die);
/* dwt_read.c: decl tags of die into cu->tags. Returns: how many, or -errno. */
int dwt_read_tags(struct dwt_cu *cu, struct dwt_die *die, int32_t component);

/* Vendor tags that may be missing from an older dwarf.h. */
#define TAG_LLVM_ANNOTATION 0x6000
#define TAG_GNU_ANNOTATION 0x6001

/* Whether a child with this tag is one that dwt_read_tags() reads. */
static inline bool dwt_tag_is_annotation(int tag)
{
	return tag == TAG_LLVM_ANNOTATION || tag == TAG_GNU_ANNOTATION;
}

/* dwt_read.c: fills the record at index from die. Returns: 0 or -errno. */
int dwt_read_type(struct dwt_cu *cu, struct dwt_die *die, uint32_t index);
/* The index + 1 of die's type attribute (allocating a pending record for a
 * DIE not read yet), 0 for void or none. Returns: >= 0, or -errno. */
int64_t dwt_type_ref(struct dwt_cu *cu, struct dwt_die *die);
/* The same for a DW_AT_type attribute a of die, already looked up. */
int64_t dwt_type_ref_attr(struct dwt_cu *cu, struct dwt_die *die, Dwarf_Attribute *a);
/* The same for the DWT_AT_TYPE slot of a read of die: what dwt_type_ref()
 * returns when the read integrated the slot. */
int64_t dwt_attrs_type_ref(struct dwt_cu *cu, struct dwt_die *die,
			   struct dwt_attrs *as);
/* The record index of die, allocated (pending) if new. Returns: >= 0 or -errno. */
int64_t dwt_index_of(struct dwt_cu *cu, Dwarf_Off off, bool *is_new);

#endif
