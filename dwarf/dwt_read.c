// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_read.c - one type DIE into one neutral record: what each DWARF tag
 * means, attribute by attribute (DWARF 2 to 5, gcc and clang).
 */
#include <errno.h>
#include <string.h>

#include <dwarf.h>

#include "dwt_priv.h"
#include "grow.h"

/* Vendor tags that may be missing from an older dwarf.h. */
#define TAG_LLVM_ANNOTATION 0x6000
#define TAG_GNU_ANNOTATION 0x6001

static bool attr_udata(Dwarf_Die *die, unsigned at, uint64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Word w;

	if (!dwarf_attr_integrate(die, at, &a) || dwarf_formudata(&a, &w))
		return false;
	*v = w;
	return true;
}

static const char *die_name(Dwarf_Die *die)
{
	const char *n = dwarf_diename(die);

	return n && *n ? n : NULL;
}

int64_t dwt_type_ref(struct dwt_cu *cu, Dwarf_Die *die)
{
	Dwarf_Attribute a;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a))
		return 0;
	return dwt_type_ref_attr(cu, die, &a);
}

int64_t dwt_type_ref_attr(struct dwt_cu *cu, Dwarf_Die *die, Dwarf_Attribute *a)
{
	Dwarf_Die target;
	bool is_new;
	int64_t idx;
	int err;

	if (!dwarf_formref_die(a, &target)) {
		dwt_log("DIE 0x%llx: bad type reference: %s",
			(unsigned long long)dwarf_dieoffset(die), dwarf_errmsg(-1));
		return -EINVAL;
	}
	idx = dwt_index_of(cu, dwarf_dieoffset(&target), &is_new);
	if (idx < 0)
		return idx;
	if (is_new) {
		err = grow_array((void **)&cu->pending, &cu->pending_cap, sizeof(*cu->pending),
				 cu->pending_len + 1);
		if (err)
			return err;
		cu->pending[cu->pending_len++] = (uint32_t)idx;
	}
	return idx + 1;
}

static struct dwt_item *item_new(struct dwt_cu *cu, struct dwt_type *t)
{
	struct dwt_item *it;

	if (grow_array((void **)&cu->items, &cu->items_cap, sizeof(*cu->items),
		       cu->items_len + 1))
		return NULL;
	it = &cu->items[cu->items_len++];
	memset(it, 0, sizeof(*it));
	t->nitems++;
	return it;
}

/* clang's DW_TAG_LLVM_annotation / gcc's DW_TAG_GNU_annotation children:
 * name "btf_type_tag" or "btf_decl_tag", the tag in DW_AT_const_value. */
int dwt_read_tags(struct dwt_cu *cu, Dwarf_Die *die, int32_t component)
{
	Dwarf_Attribute a;
	Dwarf_Die child;
	int r, err, n = 0;

	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		int tag = dwarf_tag(&child);
		const char *kind = dwarf_diename(&child), *value;
		struct dwt_tag *tg;

		if ((tag != TAG_LLVM_ANNOTATION && tag != TAG_GNU_ANNOTATION) || !kind)
			continue;
		if (strcmp(kind, "btf_type_tag") && strcmp(kind, "btf_decl_tag"))
			continue;
		value = dwarf_attr(&child, DW_AT_const_value, &a) ? dwarf_formstring(&a) : NULL;
		if (!value || !*value)
			continue;
		err = grow_array((void **)&cu->tags, &cu->tags_cap, sizeof(*cu->tags),
				 cu->tags_len + 1);
		if (err)
			return err;
		tg = &cu->tags[cu->tags_len++];
		tg->value = value;
		tg->component = component;
		tg->type_tag = kind[4] == 't';
		n++;
	}
	return n;
}

static int read_tags(struct dwt_cu *cu, Dwarf_Die *die, uint32_t idx, int32_t component)
{
	int n = dwt_read_tags(cu, die, component);

	if (n < 0)
		return n;
	cu->types[idx].ntags += (uint32_t)n;
	return 0;
}

/*
 * A member's attributes, gathered in one dwarf_getattrs() pass: libdw finds
 * each attribute by scanning the DIE from its start, and a member is asked
 * for up to nine, most of them missing (a miss that could be inherited
 * scans three times). 6 M members make that the walk's largest cost.
 */
struct member_attrs {
	Dwarf_Attribute type, name, loc, data_bit_offset, bit_size, bit_offset, byte_size;
	unsigned seen;		/* 1 << index in the list above, for each found */
	bool external, declaration, inherits;
};

enum {
	MA_TYPE, MA_NAME, MA_LOC, MA_DATA_BIT_OFFSET, MA_BIT_SIZE, MA_BIT_OFFSET, MA_BYTE_SIZE,
};

static int member_attr(Dwarf_Attribute *a, void *data)
{
	struct member_attrs *m = data;
	Dwarf_Attribute *slot = NULL;
	int bit = 0;

	switch (dwarf_whatattr(a)) {
	case DW_AT_type: slot = &m->type; bit = MA_TYPE; break;
	case DW_AT_name: slot = &m->name; bit = MA_NAME; break;
	case DW_AT_data_member_location: slot = &m->loc; bit = MA_LOC; break;
	case DW_AT_data_bit_offset: slot = &m->data_bit_offset; bit = MA_DATA_BIT_OFFSET; break;
	case DW_AT_bit_size: slot = &m->bit_size; bit = MA_BIT_SIZE; break;
	case DW_AT_bit_offset: slot = &m->bit_offset; bit = MA_BIT_OFFSET; break;
	case DW_AT_byte_size: slot = &m->byte_size; bit = MA_BYTE_SIZE; break;
	case DW_AT_external: m->external = true; break;
	case DW_AT_declaration: m->declaration = true; break;
	/* What libdw's integrating lookups would follow: then ask them. */
	case DW_AT_abstract_origin:
	case DW_AT_specification: m->inherits = true; break;
	default: break;
	}
	if (slot) {
		*slot = *a;
		m->seen |= 1u << bit;
	}
	return DWARF_CB_OK;
}

/* The attributes of member die; with an abstract origin or specification,
 * each looked up through libdw's integrating lookups instead. */
static int member_attrs_read(Dwarf_Die *die, struct member_attrs *m)
{
	static const unsigned ats[] = {
		[MA_TYPE] = DW_AT_type, [MA_NAME] = DW_AT_name,
		[MA_LOC] = DW_AT_data_member_location,
		[MA_DATA_BIT_OFFSET] = DW_AT_data_bit_offset, [MA_BIT_SIZE] = DW_AT_bit_size,
		[MA_BIT_OFFSET] = DW_AT_bit_offset, [MA_BYTE_SIZE] = DW_AT_byte_size,
	};
	Dwarf_Attribute *slots[] = {
		&m->type, &m->name, &m->loc, &m->data_bit_offset, &m->bit_size, &m->bit_offset,
		&m->byte_size,
	};
	unsigned i;

	memset(m, 0, sizeof(*m));
	if (dwarf_getattrs(die, member_attr, m, 0) != 1)
		return -EINVAL;
	if (!m->inherits)
		return 0;
	/* external and declaration were never inherited: they stay as read. */
	m->seen = 0;
	for (i = 0; i < sizeof(ats) / sizeof(ats[0]); i++) {
		/* The location was never inherited before: keep it so. */
		bool found = i == MA_LOC ? dwarf_attr(die, ats[i], slots[i]) != NULL
					 : dwarf_attr_integrate(die, ats[i], slots[i]) != NULL;

		if (found)
			m->seen |= 1u << i;
	}
	return 0;
}

static bool member_udata(const struct member_attrs *m, int bit, Dwarf_Attribute *a,
			 uint64_t *v)
{
	Dwarf_Word w;

	if (!(m->seen & (1u << bit)) || dwarf_formudata(a, &w))
		return false;
	*v = w;
	return true;
}

/* Member offset in bits from the struct start, DW_AT_data_bit_offset
 * meaning; DWARF 2/3 bit offsets count from the storage unit's MSB. */
static int member_offset(struct member_attrs *m, bool big_endian, uint64_t bit_size,
			 uint64_t *bits)
{
	uint64_t byte_off = 0, storage, bit_off;
	Dwarf_Op *ops;
	size_t nops;

	if (member_udata(m, MA_DATA_BIT_OFFSET, &m->data_bit_offset, bits))
		return 0;
	if ((m->seen & (1u << MA_LOC)) && dwarf_formudata(&m->loc, &byte_off)) {
		/* DWARF 2: a location expression, DW_OP_plus_uconst N. */
		if (dwarf_getlocation(&m->loc, &ops, &nops) || nops != 1 ||
		    (ops[0].atom != DW_OP_plus_uconst && ops[0].atom != DW_OP_constu))
			return -EINVAL;
		byte_off = ops[0].number;
	}
	*bits = byte_off * 8;
	if (bit_size && member_udata(m, MA_BIT_OFFSET, &m->bit_offset, &bit_off)) {
		if (!member_udata(m, MA_BYTE_SIZE, &m->byte_size, &storage)) {
			Dwarf_Die type;

			if (!(m->seen & (1u << MA_TYPE)) || !dwarf_formref_die(&m->type, &type))
				return -EINVAL;
			storage = (uint64_t)dwarf_bytesize(&type);
		}
		if (big_endian)
			*bits += bit_off;
		else
			*bits += storage * 8 - bit_off - bit_size;
	}
	return 0;
}

/* One member of struct or union idx: its item, or nothing for what is no
 * data member (a static member, a declaration without location). */
static int read_member(struct dwt_cu *cu, Dwarf_Die *child, uint32_t idx, int *n)
{
	struct member_attrs m;
	struct dwt_item *it;
	uint64_t bit_size = 0;
	const char *name;
	int64_t ref;

	if (member_attrs_read(child, &m)) {
		dwt_log("DIE 0x%llx: cannot read the member's attributes: %s",
			(unsigned long long)dwarf_dieoffset(child), dwarf_errmsg(-1));
		return -EINVAL;
	}
	if (m.external || (m.declaration && !(m.seen & (1u << MA_LOC))))
		return 0;
	ref = (m.seen & (1u << MA_TYPE)) ? dwt_type_ref_attr(cu, child, &m.type) : 0;
	if (ref < 0)
		return (int)ref;
	member_udata(&m, MA_BIT_SIZE, &m.bit_size, &bit_size);
	it = item_new(cu, &cu->types[idx]);
	if (!it)
		return -ENOMEM;
	name = (m.seen & (1u << MA_NAME)) ? dwarf_formstring(&m.name) : NULL;
	it->name = name && *name ? name : NULL;
	it->type = (uint32_t)ref;
	it->bit_size = (uint32_t)bit_size;
	if (member_offset(&m, cu->f->big_endian, bit_size, &it->value)) {
		dwt_log("DIE 0x%llx: member location not understood",
			(unsigned long long)dwarf_dieoffset(child));
		return -EINVAL;
	}
	return read_tags(cu, child, idx, (*n)++);
}

static int read_members(struct dwt_cu *cu, Dwarf_Die *die, uint32_t idx)
{
	Dwarf_Die child;
	int r, n = 0, err;

	cu->types[idx].first = (uint32_t)cu->items_len;
	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		err = read_member(cu, &child, idx, &n);
		if (err)
			return err;
	}
	return r < 0 ? -EINVAL : 0;
}

static bool enum_is_signed(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	Dwarf_Die base;
	Dwarf_Word enc;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, &base))
		return false;
	/* Through typedefs and qualifiers to the base type. */
	while (dwarf_tag(&base) != DW_TAG_base_type) {
		if (!dwarf_attr_integrate(&base, DW_AT_type, &a) || !dwarf_formref_die(&a, &base))
			return false;
	}
	if (!dwarf_attr(&base, DW_AT_encoding, &a) || dwarf_formudata(&a, &enc))
		return false;
	return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
}

/* An enumerator's value: libdw sign-extends the fixed-size data forms,
 * which compilers use for unsigned values too; only sdata is signed. */
static bool enumerator_value(Dwarf_Die *die, uint64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Sword s;

	if (!dwarf_attr(die, DW_AT_const_value, &a))
		return false;
	if (dwarf_whatform(&a) == DW_FORM_sdata || dwarf_whatform(&a) == DW_FORM_implicit_const) {
		if (dwarf_formsdata(&a, &s))
			return false;
		*v = (uint64_t)s;
		return true;
	}
	return !dwarf_formudata(&a, v);
}

static int read_enumerators(struct dwt_cu *cu, Dwarf_Die *die, uint32_t idx)
{
	Dwarf_Die child;
	int r;

	cu->types[idx].first = (uint32_t)cu->items_len;
	if (enum_is_signed(die))
		cu->types[idx].flags |= DWT_SIGNED;
	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		struct dwt_item *it;
		uint64_t v;

		if (dwarf_tag(&child) != DW_TAG_enumerator)
			continue;
		if (!enumerator_value(&child, &v))
			return -EINVAL;
		it = item_new(cu, &cu->types[idx]);
		if (!it)
			return -ENOMEM;
		it->name = die_name(&child);
		it->value = v;
	}
	return r < 0 ? -EINVAL : 0;
}

/* DW_AT_upper_bound: libdw sign-extends the fixed-size data forms, but
 * compilers write bounds like 143 as DW_FORM_data1; only sdata is signed,
 * and all-ones in data4/data8 is the -1 of a zero-length array. */
static bool upper_bound(Dwarf_Die *die, int64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Word u;
	Dwarf_Sword s;

	if (!dwarf_attr_integrate(die, DW_AT_upper_bound, &a))
		return false;
	switch (dwarf_whatform(&a)) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formsdata(&a, &s))
			return false;
		*v = s;
		return true;
	case DW_FORM_data4:
		if (dwarf_formudata(&a, &u))
			return false;
		*v = u == 0xffffffffu ? -1 : (int64_t)u;
		return true;
	default:
		if (dwarf_formudata(&a, &u))
			return false;
		*v = (int64_t)u;
		return true;
	}
}

static int read_dimensions(struct dwt_cu *cu, Dwarf_Die *die, uint32_t idx)
{
	Dwarf_Die child;
	int r;

	cu->types[idx].first = (uint32_t)cu->items_len;
	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		struct dwt_item *it;
		uint64_t count = 0, lower = 0;
		int64_t upper;

		if (dwarf_tag(&child) != DW_TAG_subrange_type)
			continue;
		it = item_new(cu, &cu->types[idx]);
		if (!it)
			return -ENOMEM;
		attr_udata(&child, DW_AT_lower_bound, &lower);
		if (attr_udata(&child, DW_AT_count, &count)) {
			it->value = count;
		} else if (upper_bound(&child, &upper)) {
			/* "int a[0]" may say upper bound -1. */
			it->value = upper < (int64_t)lower ? 0 : (uint64_t)(upper - (int64_t)lower) + 1;
		} else {
			it->flags = DWT_ITEM_FLEX;
		}
	}
	if (r < 0)
		return -EINVAL;
	/* No subrange at all: one dimension of unknown size. */
	if (!cu->types[idx].nitems) {
		struct dwt_item *it = item_new(cu, &cu->types[idx]);

		if (!it)
			return -ENOMEM;
		it->flags = DWT_ITEM_FLEX;
	}
	return 0;
}

static int read_params(struct dwt_cu *cu, Dwarf_Die *die, uint32_t idx)
{
	Dwarf_Die child;
	int r;

	cu->types[idx].first = (uint32_t)cu->items_len;
	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		struct dwt_item *it;
		int64_t ref;

		if (dwarf_tag(&child) == DW_TAG_unspecified_parameters) {
			cu->types[idx].flags |= DWT_VARARGS;
			continue;
		}
		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		ref = dwt_type_ref(cu, &child);
		if (ref < 0)
			return (int)ref;
		it = item_new(cu, &cu->types[idx]);
		if (!it)
			return -ENOMEM;
		it->name = die_name(&child);
		it->type = (uint32_t)ref;
	}
	return r < 0 ? -EINVAL : 0;
}

static uint8_t kind_of_tag(int tag)
{
	switch (tag) {
	case DW_TAG_base_type:
		return DWT_BASE;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
	case DW_TAG_ptr_to_member_type:
		return DWT_PTR;
	case DW_TAG_const_type:
		return DWT_CONST;
	case DW_TAG_volatile_type:
		return DWT_VOLATILE;
	case DW_TAG_restrict_type:
		return DWT_RESTRICT;
	case DW_TAG_atomic_type:
		return DWT_ATOMIC;
	case DW_TAG_typedef:
		return DWT_TYPEDEF;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
		return DWT_STRUCT;
	case DW_TAG_union_type:
		return DWT_UNION;
	case DW_TAG_enumeration_type:
		return DWT_ENUM;
	case DW_TAG_array_type:
		return DWT_ARRAY;
	case DW_TAG_subroutine_type:
		return DWT_FUNC_TYPE;
	default:
		return DWT_VOID;
	}
}

static int read_body(struct dwt_cu *cu, Dwarf_Die *die, uint32_t idx, uint8_t kind)
{
	switch (kind) {
	case DWT_STRUCT:
	case DWT_UNION:
		return read_members(cu, die, idx);
	case DWT_ENUM:
		return read_enumerators(cu, die, idx);
	case DWT_ARRAY:
		return read_dimensions(cu, die, idx);
	case DWT_FUNC_TYPE:
		return read_params(cu, die, idx);
	default:
		return 0;
	}
}

int dwt_read_type(struct dwt_cu *cu, Dwarf_Die *die, uint32_t idx)
{
	int tag = dwarf_tag(die);
	uint8_t kind = kind_of_tag(tag);
	uint64_t v = 0;
	int64_t ref = 0;
	int err;

	if (kind == DWT_VOID && tag != DW_TAG_unspecified_type)
		dwt_log("DIE 0x%llx: tag 0x%x used as a type, read as void",
			(unsigned long long)dwarf_dieoffset(die), tag);
	if (kind != DWT_VOID && kind != DWT_BASE) {
		ref = dwt_type_ref(cu, die);
		if (ref < 0)
			return (int)ref;
	}
	/* Pending records are filled in place: the type's own items and tags
	 * are appended now, contiguously, since nothing here recurses. */
	cu->types[idx].kind = kind;
	cu->types[idx].type = (uint32_t)ref;
	cu->types[idx].name = die_name(die);
	cu->types[idx].first_tag = (uint32_t)cu->tags_len;
	if (dwarf_hasattr_integrate(die, DW_AT_declaration))
		cu->types[idx].flags |= DWT_DECL;
	if (attr_udata(die, DW_AT_byte_size, &v))
		cu->types[idx].size = v;
	if (kind == DWT_BASE) {
		cu->types[idx].bits = attr_udata(die, DW_AT_bit_size, &v) ? (uint32_t)v
									   : (uint32_t)cu->types[idx].size * 8;
		cu->types[idx].encoding = attr_udata(die, DW_AT_encoding, &v) ? (uint16_t)v : 0;
	}
	err = read_body(cu, die, idx, kind);
	if (!err && (kind == DWT_PTR || kind == DWT_STRUCT || kind == DWT_UNION ||
		     kind == DWT_TYPEDEF || kind == DWT_ENUM))
		err = read_tags(cu, die, idx, -1);
	if (err == -EINVAL)
		dwt_log("DIE 0x%llx: malformed %s", (unsigned long long)dwarf_dieoffset(die),
			"type");
	return err;
}
