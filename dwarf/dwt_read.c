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

/* What dwarf_diename() returns, from a read that wanted DWT_AT_NAME
 * integrated; NULL for an empty name too. */
static const char *attrs_name(const struct dwt_cu *cu, struct dwt_attrs *as)
{
	const char *n = dwt_attrs_str(cu, as, DWT_AT_NAME);

	return n && *n ? n : NULL;
}

int64_t dwt_attrs_type_ref(struct dwt_cu *cu, struct dwt_die *die, struct dwt_attrs *as)
{
	return dwt_attrs_has(as, DWT_AT_TYPE) ? dwt_type_ref_attr(cu, die, &as->a[DWT_AT_TYPE])
					      : 0;
}

int64_t dwt_type_ref(struct dwt_cu *cu, struct dwt_die *die)
{
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(TYPE),
		.integrate = DWT_AT(TYPE),
	};
	struct dwt_attrs as;

	dwt_attrs_read(cu, die, &how, &as);
	return dwt_attrs_type_ref(cu, die, &as);
}

int64_t dwt_type_ref_attr(struct dwt_cu *cu, struct dwt_die *die, Dwarf_Attribute *a)
{
	uint64_t target;
	bool is_new;
	int64_t idx;
	int err;

	if (!dwt_die_ref_off(cu, a, &target)) {
		dwt_log("DIE 0x%llx: bad type reference: %s",
			(unsigned long long)dwt_die_offset(cu, die), dwarf_errmsg(-1));
		return -EINVAL;
	}
	idx = dwt_index_of(cu, target, &is_new);
	if (idx < 0)
		return idx;
	if (is_new) {
		err = grow_array((void **)&cu->w->pending, &cu->w->pending_cap, sizeof(*cu->w->pending),
				 cu->w->pending_len + 1);
		if (err)
			return err;
		cu->w->pending[cu->w->pending_len++] = (uint32_t)idx;
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
int dwt_read_tags(struct dwt_cu *cu, struct dwt_die *die, int32_t component)
{
	/* dwarf_diename() and dwarf_attr(DW_AT_const_value). */
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(NAME) | DWT_AT(CONST_VALUE),
		.integrate = DWT_AT(NAME),
	};
	struct dwt_attrs as;
	struct dwt_die child;
	int r, err, n = 0;

	/* Most DIEs asked have no child: the abbreviation says so. */
	if (dwt_die_haschildren(cu, die) <= 0)
		return 0;
	for (r = dwt_die_child(cu, die, &child); r == 0; r = dwt_die_sibling(cu, &child, &child)) {
		const char *kind, *value;
		struct dwt_tag *tg;

		/* The tag first: the name is a scan of the DIE, the tag is not. */
		if (!dwt_tag_is_annotation(dwt_die_tag(cu, &child)))
			continue;
		dwt_attrs_read(cu, &child, &how, &as);
		kind = dwt_attrs_str(cu, &as, DWT_AT_NAME);
		if (!kind || (strcmp(kind, "btf_type_tag") && strcmp(kind, "btf_decl_tag")))
			continue;
		value = dwt_attrs_str(cu, &as, DWT_AT_CONST_VALUE);
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

static int read_tags(struct dwt_cu *cu, struct dwt_die *die, uint32_t idx, int32_t component)
{
	int n = dwt_read_tags(cu, die, component);

	if (n < 0)
		return n;
	cu->types[idx].ntags += (uint32_t)n;
	return 0;
}

/*
 * A member's attributes: 6 M members make them the walk's largest cost.
 * The location, external and declaration were never inherited.
 */
static const struct dwt_attrs_how member_how = {
	.want = DWT_AT(TYPE) | DWT_AT(NAME) | DWT_AT(MEMBER_LOCATION) | DWT_AT(DATA_BIT_OFFSET) |
		DWT_AT(BIT_SIZE) | DWT_AT(BIT_OFFSET) | DWT_AT(BYTE_SIZE) | DWT_AT(EXTERNAL) |
		DWT_AT(DECLARATION),
	.integrate = DWT_AT(TYPE) | DWT_AT(NAME) | DWT_AT(DATA_BIT_OFFSET) | DWT_AT(BIT_SIZE) |
		     DWT_AT(BIT_OFFSET) | DWT_AT(BYTE_SIZE),
	.flag = DWT_AT(EXTERNAL) | DWT_AT(DECLARATION),
};

/* Member offset in bits from the struct start, DW_AT_data_bit_offset
 * meaning; DWARF 2/3 bit offsets count from the storage unit's MSB. */
static int member_offset(struct dwt_cu *cu, struct dwt_attrs *m, uint64_t bit_size,
			 uint64_t *bits)
{
	Dwarf_Attribute *loc = &m->a[DWT_AT_MEMBER_LOCATION];
	uint64_t byte_off = 0, storage, bit_off;
	Dwarf_Op *ops;
	size_t nops;

	if (dwt_attrs_udata(m, DWT_AT_DATA_BIT_OFFSET, bits))
		return 0;
	if (dwt_attrs_has(m, DWT_AT_MEMBER_LOCATION) && dwarf_formudata(loc, &byte_off)) {
		/* DWARF 2: a location expression, DW_OP_plus_uconst N. */
		if (dwarf_getlocation(loc, &ops, &nops) || nops != 1 ||
		    (ops[0].atom != DW_OP_plus_uconst && ops[0].atom != DW_OP_constu))
			return -EINVAL;
		byte_off = ops[0].number;
	}
	*bits = byte_off * 8;
	if (bit_size && dwt_attrs_udata(m, DWT_AT_BIT_OFFSET, &bit_off)) {
		if (!dwt_attrs_udata(m, DWT_AT_BYTE_SIZE, &storage)) {
			struct dwt_die type;

			if (!dwt_attrs_has(m, DWT_AT_TYPE) ||
			    !dwt_die_ref(cu, &m->a[DWT_AT_TYPE], &type))
				return -EINVAL;
			storage = (uint64_t)dwt_die_bytesize(cu, &type);
		}
		if (cu->f->big_endian)
			*bits += bit_off;
		else
			*bits += storage * 8 - bit_off - bit_size;
	}
	return 0;
}

/* One member of struct or union idx: its item, or nothing for what is no
 * data member (a static member, a declaration without location). */
static int read_member(struct dwt_cu *cu, struct dwt_die *child, uint32_t idx, int *n)
{
	struct dwt_attrs m;
	struct dwt_item *it;
	uint64_t bit_size = 0;
	int64_t ref;

	dwt_attrs_read(cu, child, &member_how, &m);
	if (dwt_attrs_has(&m, DWT_AT_EXTERNAL) ||
	    (dwt_attrs_has(&m, DWT_AT_DECLARATION) && !dwt_attrs_has(&m, DWT_AT_MEMBER_LOCATION)))
		return 0;
	ref = dwt_attrs_type_ref(cu, child, &m);
	if (ref < 0)
		return (int)ref;
	dwt_attrs_udata(&m, DWT_AT_BIT_SIZE, &bit_size);
	it = item_new(cu, &cu->types[idx]);
	if (!it)
		return -ENOMEM;
	it->name = attrs_name(cu, &m);
	it->type = (uint32_t)ref;
	it->bit_size = (uint32_t)bit_size;
	if (member_offset(cu, &m, bit_size, &it->value)) {
		dwt_log("DIE 0x%llx: member location not understood",
			(unsigned long long)dwt_die_offset(cu, child));
		return -EINVAL;
	}
	return read_tags(cu, child, idx, (*n)++);
}

/* The children loops below also note whether die has an annotation child
 * in *tagged: without one, its own tags need no second pass. */
static int read_members(struct dwt_cu *cu, struct dwt_die *die, uint32_t idx, bool *tagged)
{
	struct dwt_die child;
	int r, n = 0, err;

	cu->types[idx].first = (uint32_t)cu->items_len;
	*tagged = false;
	for (r = dwt_die_child(cu, die, &child); r == 0; r = dwt_die_sibling(cu, &child, &child)) {
		int tag = dwt_die_tag(cu, &child);

		if (tag != DW_TAG_member) {
			*tagged |= dwt_tag_is_annotation(tag);
			continue;
		}
		err = read_member(cu, &child, idx, &n);
		if (err)
			return err;
	}
	return r < 0 ? -EINVAL : 0;
}

/* Whether the enum's underlying type, DWT_AT_TYPE of its read, is signed. */
static bool enum_is_signed(struct dwt_cu *cu, struct dwt_attrs *as)
{
	static const struct dwt_attrs_how type_how = {
		.want = DWT_AT(TYPE),
		.integrate = DWT_AT(TYPE),
	};
	static const struct dwt_attrs_how enc_how = { .want = DWT_AT(ENCODING) };
	struct dwt_attrs a;
	struct dwt_die base;
	uint64_t enc;
	int steps;

	if (!dwt_attrs_has(as, DWT_AT_TYPE) || !dwt_die_ref(cu, &as->a[DWT_AT_TYPE], &base))
		return false;
	/* Through typedefs and qualifiers to the base type (a chain that
	 * goes on and on is hostile: no base type). */
	for (steps = 0; dwt_die_tag(cu, &base) != DW_TAG_base_type; steps++) {
		if (steps == 64)
			return false;
		dwt_attrs_read(cu, &base, &type_how, &a);
		if (!dwt_attrs_has(&a, DWT_AT_TYPE) || !dwt_die_ref(cu, &a.a[DWT_AT_TYPE], &base))
			return false;
	}
	dwt_attrs_read(cu, &base, &enc_how, &a);
	if (!dwt_attrs_udata(&a, DWT_AT_ENCODING, &enc))
		return false;
	return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
}

/* An enumerator's value: libdw sign-extends the fixed-size data forms,
 * which compilers use for unsigned values too; only sdata is signed. */
static bool enumerator_value(Dwarf_Attribute *a, uint64_t *v)
{
	Dwarf_Sword s;

	if (dwarf_whatform(a) == DW_FORM_sdata || dwarf_whatform(a) == DW_FORM_implicit_const) {
		if (dwarf_formsdata(a, &s))
			return false;
		*v = (uint64_t)s;
		return true;
	}
	return !dwarf_formudata(a, v);
}

static int read_enumerators(struct dwt_cu *cu, struct dwt_die *die, uint32_t idx,
			    struct dwt_attrs *as, bool *tagged)
{
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(CONST_VALUE) | DWT_AT(NAME),
		.integrate = DWT_AT(NAME),
	};
	struct dwt_die child;
	int r;

	cu->types[idx].first = (uint32_t)cu->items_len;
	if (enum_is_signed(cu, as))
		cu->types[idx].flags |= DWT_SIGNED;
	*tagged = false;
	for (r = dwt_die_child(cu, die, &child); r == 0; r = dwt_die_sibling(cu, &child, &child)) {
		int tag = dwt_die_tag(cu, &child);
		struct dwt_attrs e;
		struct dwt_item *it;
		uint64_t v;

		if (tag != DW_TAG_enumerator) {
			*tagged |= dwt_tag_is_annotation(tag);
			continue;
		}
		dwt_attrs_read(cu, &child, &how, &e);
		if (!dwt_attrs_has(&e, DWT_AT_CONST_VALUE) ||
		    !enumerator_value(&e.a[DWT_AT_CONST_VALUE], &v))
			return -EINVAL;
		it = item_new(cu, &cu->types[idx]);
		if (!it)
			return -ENOMEM;
		it->name = attrs_name(cu, &e);
		it->value = v;
	}
	return r < 0 ? -EINVAL : 0;
}

/* DW_AT_upper_bound: libdw sign-extends the fixed-size data forms, but
 * compilers write bounds like 143 as DW_FORM_data1; only sdata is signed,
 * and all-ones in data4/data8 is the -1 of a zero-length array. */
static bool upper_bound(Dwarf_Attribute *a, int64_t *v)
{
	Dwarf_Word u;
	Dwarf_Sword s;

	switch (dwarf_whatform(a)) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formsdata(a, &s))
			return false;
		*v = s;
		return true;
	case DW_FORM_data4:
		if (dwarf_formudata(a, &u))
			return false;
		*v = u == 0xffffffffu ? -1 : (int64_t)u;
		return true;
	default:
		if (dwarf_formudata(a, &u))
			return false;
		*v = (int64_t)u;
		return true;
	}
}

static int read_dimensions(struct dwt_cu *cu, struct dwt_die *die, uint32_t idx)
{
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(LOWER_BOUND) | DWT_AT(COUNT) | DWT_AT(UPPER_BOUND),
		.integrate = DWT_AT(LOWER_BOUND) | DWT_AT(COUNT) | DWT_AT(UPPER_BOUND),
	};
	struct dwt_die child;
	int r;

	cu->types[idx].first = (uint32_t)cu->items_len;
	for (r = dwt_die_child(cu, die, &child); r == 0; r = dwt_die_sibling(cu, &child, &child)) {
		struct dwt_attrs sr;
		struct dwt_item *it;
		uint64_t count = 0, lower = 0;
		int64_t upper;

		if (dwt_die_tag(cu, &child) != DW_TAG_subrange_type)
			continue;
		it = item_new(cu, &cu->types[idx]);
		if (!it)
			return -ENOMEM;
		dwt_attrs_read(cu, &child, &how, &sr);
		dwt_attrs_udata(&sr, DWT_AT_LOWER_BOUND, &lower);
		if (dwt_attrs_udata(&sr, DWT_AT_COUNT, &count)) {
			it->value = count;
		} else if (dwt_attrs_has(&sr, DWT_AT_UPPER_BOUND) &&
			   upper_bound(&sr.a[DWT_AT_UPPER_BOUND], &upper)) {
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

static int read_params(struct dwt_cu *cu, struct dwt_die *die, uint32_t idx)
{
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(TYPE) | DWT_AT(NAME),
		.integrate = DWT_AT(TYPE) | DWT_AT(NAME),
	};
	struct dwt_die child;
	int r;

	cu->types[idx].first = (uint32_t)cu->items_len;
	for (r = dwt_die_child(cu, die, &child); r == 0; r = dwt_die_sibling(cu, &child, &child)) {
		int tag = dwt_die_tag(cu, &child);
		struct dwt_attrs p;
		struct dwt_item *it;
		int64_t ref;

		if (tag == DW_TAG_unspecified_parameters) {
			cu->types[idx].flags |= DWT_VARARGS;
			continue;
		}
		if (tag != DW_TAG_formal_parameter)
			continue;
		dwt_attrs_read(cu, &child, &how, &p);
		ref = dwt_attrs_type_ref(cu, &child, &p);
		if (ref < 0)
			return (int)ref;
		it = item_new(cu, &cu->types[idx]);
		if (!it)
			return -ENOMEM;
		it->name = attrs_name(cu, &p);
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

/* The record's items; *tagged is false when die has no annotation child. */
static int read_body(struct dwt_cu *cu, struct dwt_die *die, uint32_t idx, uint8_t kind,
		     struct dwt_attrs *as, bool *tagged)
{
	switch (kind) {
	case DWT_STRUCT:
	case DWT_UNION:
		return read_members(cu, die, idx, tagged);
	case DWT_ENUM:
		return read_enumerators(cu, die, idx, as, tagged);
	case DWT_ARRAY:
		return read_dimensions(cu, die, idx);
	case DWT_FUNC_TYPE:
		return read_params(cu, die, idx);
	default:
		return 0;
	}
}

/* A type DIE's own attributes, by kind: only a base type has an encoding,
 * and only what is neither base nor void refers to a type. */
#define TYPE_COMMON_AT (DWT_AT(NAME) | DWT_AT(DECLARATION) | DWT_AT(BYTE_SIZE))
static const struct dwt_attrs_how void_how = {
	.want = TYPE_COMMON_AT,
	.integrate = TYPE_COMMON_AT,
	.flag = DWT_AT(DECLARATION),
};
static const struct dwt_attrs_how base_how = {
	.want = TYPE_COMMON_AT | DWT_AT(BIT_SIZE) | DWT_AT(ENCODING),
	.integrate = TYPE_COMMON_AT | DWT_AT(BIT_SIZE) | DWT_AT(ENCODING),
	.flag = DWT_AT(DECLARATION),
};
static const struct dwt_attrs_how type_how = {
	.want = TYPE_COMMON_AT | DWT_AT(TYPE),
	.integrate = TYPE_COMMON_AT | DWT_AT(TYPE),
	.flag = DWT_AT(DECLARATION),
};

int dwt_read_type(struct dwt_cu *cu, struct dwt_die *die, uint32_t idx)
{
	int tag = dwt_die_tag(cu, die);
	uint8_t kind = kind_of_tag(tag);
	struct dwt_type *t;
	struct dwt_attrs as;
	bool tagged = true;
	uint64_t v = 0;
	int64_t ref = 0;
	int err;

	if (kind == DWT_VOID && tag != DW_TAG_unspecified_type)
		dwt_log("DIE 0x%llx: tag 0x%x used as a type, read as void",
			(unsigned long long)dwt_die_offset(cu, die), tag);
	dwt_attrs_read(cu, die, kind == DWT_VOID ? &void_how : kind == DWT_BASE ? &base_how : &type_how,
		       &as);
	if (kind != DWT_VOID && kind != DWT_BASE) {
		ref = dwt_attrs_type_ref(cu, die, &as);
		if (ref < 0)
			return (int)ref;
	}
	/* Pending records are filled in place: the type's own items and tags
	 * are appended now, contiguously, since nothing here recurses. */
	t = &cu->types[idx];
	t->kind = kind;
	t->type = (uint32_t)ref;
	t->name = attrs_name(cu, &as);
	t->first_tag = (uint32_t)cu->tags_len;
	if (dwt_attrs_has(&as, DWT_AT_DECLARATION))
		t->flags |= DWT_DECL;
	if (dwt_attrs_udata(&as, DWT_AT_BYTE_SIZE, &v))
		t->size = v;
	if (kind == DWT_BASE) {
		t->bits = dwt_attrs_udata(&as, DWT_AT_BIT_SIZE, &v) ? (uint32_t)v
								    : (uint32_t)t->size * 8;
		t->encoding = dwt_attrs_udata(&as, DWT_AT_ENCODING, &v) ? (uint16_t)v : 0;
	}
	err = read_body(cu, die, idx, kind, &as, &tagged);
	if (!err && tagged &&
	    (kind == DWT_PTR || kind == DWT_STRUCT || kind == DWT_UNION || kind == DWT_TYPEDEF ||
	     kind == DWT_ENUM))
		err = read_tags(cu, die, idx, -1);
	if (err == -EINVAL)
		dwt_log("DIE 0x%llx: malformed %s", (unsigned long long)dwt_die_offset(cu, die),
			"type");
	return err;
}
