// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode_types.c - one compile unit's DWARF type records as BTF types.
 *
 * Ids are planned before anything is added: each record takes as many ids
 * as it emits (a pointer one more per type tag, a struct one more per decl
 * tag), or none when it stands for another type (_Atomic for its base,
 * unspecified types for void). The records are then added in order, and
 * each add must land on its planned id.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>

#include "encode.h"

/* An alias record's id, before resolution: index + 1 of what it stands for. */
#define ALIAS_FLAG 0x80000000u

struct plan {
	const struct dwt_cu *cu;
	const uint32_t *pre;	/* per record: a type of b's to take, or PREMAP_NONE */
	struct btf_builder *b;
	const struct encode_opts *o;
	uint32_t *ids;		/* per record: its BTF id (0 for void) */
	uint32_t index_type;	/* the ARRAY index type of this unit */
};

void encode_opts_default(struct encode_opts *o)
{
	/* Every switch not named below is off (attributes, distilled_base). */
	memset(o, 0, sizeof(*o));
	o->enum64 = true;
	o->floats = true;
	o->type_tags = true;
	o->decl_tags = true;
	o->vars = true;
	o->global_vars = false;
	o->consistent = true;
	o->kfunc_tags = true;
	o->exclude_lang = 0;
	o->jobs = 0;
}

static bool is_float(const struct dwt_type *t)
{
	return t->encoding == DW_ATE_float || t->encoding == DW_ATE_complex_float ||
	       t->encoding == DW_ATE_imaginary_float;
}

/* A size BTF takes for a FLOAT. */
static bool float_size(uint64_t s)
{
	return s == 2 || s == 4 || s == 8 || s == 12 || s == 16;
}

/* How many type tags of a PTR record are encoded. */
static uint32_t type_tags(const struct plan *p, const struct dwt_type *t)
{
	const struct dwt_tag *tags = dwt_cu_tags(p->cu, t);
	uint32_t n = 0, i;

	for (i = 0; t->kind == DWT_PTR && p->o->type_tags && i < t->ntags; i++)
		n += tags[i].type_tag;
	return n;
}

/* How many BTF types record t emits: 0 means it stands for another. Decl
 * tags come after all of the unit's types and are not counted. */
bool encode_is_alias(const struct dwt_type *t, uint32_t *target)
{
	switch (t->kind) {
	case DWT_VOID:
		*target = 0;
		return true;
	case DWT_ATOMIC:
		*target = t->type;
		return true;
	case DWT_BASE:
		/* pahole gives up on a nameless one; it can only be void. */
		*target = 0;
		return !t->name;
	case DWT_TYPEDEF:
		*target = t->type;
		return !btf_name_is_ident(t->name);
	default:
		return false;
	}
}

static uint32_t emits(const struct plan *p, const struct dwt_type *t)
{
	uint32_t target;

	if (encode_is_alias(t, &target))
		return 0;
	return t->kind == DWT_PTR ? 1 + type_tags(p, t) : 1;
}

/* Follows alias records to the id they stand for; loops become void. */
static uint32_t alias_target(const struct plan *p, uint32_t idx)
{
	size_t steps = 0, n = dwt_cu_type_count(p->cu);

	while (p->ids[idx] & ALIAS_FLAG) {
		uint32_t next = p->ids[idx] & ~ALIAS_FLAG;

		if (!next || ++steps > n)
			return 0;
		idx = next - 1;
	}
	return p->ids[idx];
}

uint32_t encode_index_int(const struct dwt_cu *cu)
{
	size_t i, n = dwt_cu_type_count(cu);

	for (i = 0; i < n; i++) {
		const struct dwt_type *t = dwt_cu_type(cu, (uint32_t)i);

		if (t->kind == DWT_BASE && t->name && !strcmp(t->name, "int") && t->size == 4)
			return (uint32_t)i + 1;
	}
	return 0;
}

static bool needs_index_type(const struct dwt_cu *cu, uint32_t *int_idx)
{
	size_t i, n = dwt_cu_type_count(cu);

	*int_idx = encode_index_int(cu) - 1;
	for (i = 0; i < n; i++)
		if (dwt_cu_type(cu, (uint32_t)i)->kind == DWT_ARRAY)
			return true;
	return false;
}

/* Plans every record's id. Returns: the first id after the unit's types
 * (and after its own "int" index type, if it needs one). */
static uint32_t plan_ids(struct plan *p, uint32_t next)
{
	size_t i, n = dwt_cu_type_count(p->cu);
	uint32_t int_idx, target;
	bool fake;

	p->index_type = 0;
	fake = needs_index_type(p->cu, &int_idx) && int_idx == UINT32_MAX;
	for (i = 0; i < n; i++) {
		const struct dwt_type *t = dwt_cu_type(p->cu, (uint32_t)i);
		uint32_t k = emits(p, t);

		if (k && p->pre && p->pre[i] != PREMAP_NONE) {
			p->ids[i] = p->pre[i];
		} else if (k) {
			/* A pointer's type tags come right before it. */
			next += k;
			p->ids[i] = next - 1;
		} else {
			encode_is_alias(t, &target);
			p->ids[i] = ALIAS_FLAG | target;
		}
	}
	for (i = 0; i < n; i++)
		if (p->ids[i] & ALIAS_FLAG)
			p->ids[i] = alias_target(p, (uint32_t)i);
	if (int_idx != UINT32_MAX)
		p->index_type = p->ids[int_idx];
	/* Without an "int" of its own, the unit gets one after its types, as
	 * pahole adds it, to index its arrays. */
	if (fake)
		p->index_type = next++;
	return next;
}

static uint32_t ref_id(const struct plan *p, uint32_t ref)
{
	return ref ? p->ids[ref - 1] : 0;
}

/*
 * Base types as pahole encodes them: floats as FLOAT with the float feature
 * (complex ones too, where pahole gives up on the whole object), else as
 * unsigned INTs; an INT size BTF cannot hold (0, not a power of two, over
 * 16) becomes a 4-byte "__SANITIZED_FAKE_INT__"; char is SIGNED, never CHAR.
 */
bool encode_base_is_float(const struct encode_opts *o, const struct dwt_type *t)
{
	return is_float(t) && o->floats && float_size(t->size);
}

const char *encode_int_shape(const struct dwt_type *t, uint32_t *size, uint32_t *enc)
{
	*enc = 0;
	if (t->encoding == DW_ATE_boolean)
		*enc = BTF_INT_BOOL;
	else if (t->encoding == DW_ATE_signed || t->encoding == DW_ATE_signed_char)
		*enc = BTF_INT_SIGNED;
	if (!t->size || t->size > 16 || (t->size & (t->size - 1))) {
		*size = 4;
		return "__SANITIZED_FAKE_INT__";
	}
	*size = (uint32_t)t->size;
	return t->name;
}

static int add_base(const struct plan *p, const struct dwt_type *t)
{
	uint32_t size, enc;
	const char *name;

	if (encode_base_is_float(p->o, t))
		return btf_builder_add_float(p->b, t->name, (uint32_t)t->size);
	name = encode_int_shape(t, &size, &enc);
	return btf_builder_add_int(p->b, name, size, size * 8, enc);
}

/* A pointer's type tags in DWARF order, each on the one before (the first
 * on the pointee), then the pointer on the last: PTR -> tag_n -> ... ->
 * tag_1 -> pointee, as pahole chains clang's annotations. */
static int add_ptr(const struct plan *p, const struct dwt_type *t)
{
	const struct dwt_tag *tags = dwt_cu_tags(p->cu, t);
	uint32_t i, target = ref_id(p, t->type);
	int r = 0;

	for (i = 0; p->o->type_tags && i < t->ntags && r >= 0; i++) {
		if (!tags[i].type_tag)
			continue;
		r = btf_builder_add_type_tag(p->b, tags[i].value, target);
		target = (uint32_t)r;
	}
	return r < 0 ? r : btf_builder_add_ptr(p->b, target);
}

static int add_members(const struct plan *p, const struct dwt_type *t)
{
	const struct dwt_item *m = dwt_cu_items(p->cu, t);
	uint32_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < t->nitems; i++) {
		if (m[i].value > UINT32_MAX)
			return -E2BIG;
		r = btf_builder_add_member(p->b, btf_name_is_ident(m[i].name) ? m[i].name : NULL,
					   ref_id(p, m[i].type), (uint32_t)m[i].value,
					   m[i].bit_size);
	}
	return r;
}

static int add_composite(const struct plan *p, const struct dwt_type *t)
{
	const char *name = btf_name_is_ident(t->name) ? t->name : NULL;
	int id, r;

	if (t->flags & DWT_DECL) {
		if (!name)
			return -EINVAL;
		return btf_builder_add_fwd(p->b, name, t->kind == DWT_UNION);
	}
	if (t->size > UINT32_MAX)
		return -E2BIG;
	id = t->kind == DWT_UNION ? btf_builder_add_union(p->b, name, (uint32_t)t->size)
				  : btf_builder_add_struct(p->b, name, (uint32_t)t->size);
	if (id < 0)
		return id;
	r = add_members(p, t);
	return r < 0 ? r : id;
}

static int add_enum(const struct plan *p, const struct dwt_type *t)
{
	const struct dwt_item *e = dwt_cu_items(p->cu, t);
	const char *name = btf_name_is_ident(t->name) ? t->name : NULL;
	uint32_t size = t->size ? (uint32_t)t->size : 4, i;
	bool wide = size == 8 && p->o->enum64;
	int id, r = 0;

	id = wide ? btf_builder_add_enum64(p->b, name, size, t->flags & DWT_SIGNED)
		  : btf_builder_add_enum(p->b, name, size);
	for (i = 0; id >= 0 && r >= 0 && i < t->nitems; i++) {
		int64_t v = (int64_t)e[i].value;

		if (wide)
			r = btf_builder_add_enum64_value(p->b, e[i].name, e[i].value);
		else if (v >= INT32_MIN && v <= (int64_t)UINT32_MAX)
			/* Signed only by a negative value, as libbpf marks it. */
			r = btf_builder_add_enum_value(p->b, e[i].name, v);
		else
			/* An 8-byte enum without ENUM64: cut to 32 bits, as pahole does. */
			r = btf_builder_add_enum_value(p->b, e[i].name, (uint32_t)e[i].value);
	}
	return r < 0 ? r : id;
}

uint64_t encode_array_count(const struct dwt_cu *cu, const struct dwt_type *t)
{
	const struct dwt_item *d = dwt_cu_items(cu, t);
	uint64_t n = 1;
	uint32_t i;

	for (i = 0; i < t->nitems; i++) {
		n *= (d[i].flags & DWT_ITEM_FLEX) ? 0 : d[i].value;
		if (n > UINT32_MAX)
			return UINT64_MAX;
	}
	return n;
}

/* Every dimension folded into one: nelems is their product, as pahole does. */
static int add_array(const struct plan *p, const struct dwt_type *t)
{
	uint64_t n = encode_array_count(p->cu, t);

	if (n > UINT32_MAX)
		return -E2BIG;
	return btf_builder_add_array(p->b, ref_id(p, t->type), p->index_type, (uint32_t)n);
}

static int add_func_type(const struct plan *p, const struct dwt_type *t)
{
	const struct dwt_item *a = dwt_cu_items(p->cu, t);
	uint32_t i;
	int id = btf_builder_add_func_proto(p->b, ref_id(p, t->type)), r = 0;

	for (i = 0; id >= 0 && r >= 0 && i < t->nitems; i++)
		r = btf_builder_add_param(p->b, btf_name_is_ident(a[i].name) ? a[i].name : NULL,
					  ref_id(p, a[i].type));
	if (id >= 0 && r >= 0 && (t->flags & DWT_VARARGS))
		r = btf_builder_add_param(p->b, NULL, 0);
	return r < 0 ? r : id;
}

/* DECL_TAGs of a struct, union or typedef, after all of the unit's types. */
static int add_decl_tags(const struct plan *p, const struct dwt_type *t, uint32_t id)
{
	const struct dwt_tag *tags = dwt_cu_tags(p->cu, t);
	uint32_t i;
	int r = 0;

	if (!p->o->decl_tags || !t->ntags || (t->kind != DWT_STRUCT && t->kind != DWT_UNION &&
				 t->kind != DWT_TYPEDEF) || (t->flags & DWT_DECL) || !emits(p, t))
		return 0;
	for (i = 0; r >= 0 && i < t->ntags; i++)
		if (!tags[i].type_tag)
			r = btf_builder_add_decl_tag(p->b, tags[i].value, id, tags[i].component);
	return r < 0 ? r : 0;
}

static int add_record(const struct plan *p, const struct dwt_type *t, uint32_t id)
{
	uint32_t ref = ref_id(p, t->type);

	switch (t->kind) {
	case DWT_BASE:
		return add_base(p, t);
	case DWT_PTR:
		return add_ptr(p, t);
	case DWT_CONST:
		return btf_builder_add_const(p->b, ref);
	case DWT_VOLATILE:
		return btf_builder_add_volatile(p->b, ref);
	case DWT_RESTRICT:
		return btf_builder_add_restrict(p->b, ref);
	case DWT_TYPEDEF:
		return btf_builder_add_typedef(p->b, t->name, ref);
	case DWT_STRUCT:
	case DWT_UNION:
		return add_composite(p, t);
	case DWT_ENUM:
		return add_enum(p, t);
	case DWT_ARRAY:
		return add_array(p, t);
	case DWT_FUNC_TYPE:
		return add_func_type(p, t);
	default:
		return -EINVAL;
	}
}

/* Which of the kernel's limits a type the builder refused (-E2BIG) is past. */
static const char *past_limit(const struct dwt_cu *cu, const struct dwt_type *t)
{
	const struct dwt_item *it = dwt_cu_items(cu, t);
	uint32_t i;

	if ((t->kind == DWT_STRUCT || t->kind == DWT_UNION) && t->nitems > BTF_MAX_VLEN)
		return "more than 65535 members, the most a BTF struct or union holds";
	if (t->kind == DWT_ENUM && t->nitems > BTF_MAX_VLEN)
		return "more than 65535 enumerators, the most a BTF enum holds";
	if (t->kind == DWT_FUNC_TYPE && t->nitems > BTF_MAX_VLEN)
		return "more than 65535 parameters, the most a BTF function holds";
	if (t->size > UINT32_MAX)
		return "a size past 4 GiB, the most BTF holds";
	for (i = 0; t->kind == DWT_ARRAY && it && i < t->nitems; i++)
		if (it[i].value > UINT32_MAX)
			return "an array of more than 4294967295 elements, the most BTF holds";
	return "past one of BTF's limits (a count or a size)";
}

/* DWARF whose types refer back to themselves through typedefs, qualifiers,
 * pointers or array elements (no struct between): BTF the kernel refuses,
 * so an error naming a DIE on the loop. Only the unit's own types, from id
 * first, can be on one. Returns: 0, -ELOOP, -ENOMEM. */
static int refuse_loops(const struct plan *p, size_t n, uint32_t first)
{
	uint32_t at;
	size_t i;
	int r = btf_builder_find_loop_from(p->b, first, &at);

	if (r)
		return r == -ENOENT ? 0 : r;
	for (i = 0; i < n; i++) {
		const struct dwt_type *t = dwt_cu_type(p->cu, (uint32_t)i);

		if (p->ids[i] != at || !emits(p, t))
			continue;
		encode_log("DIE 0x%llx of '%s': its type refers back to itself (a loop with "
			   "no struct on it, which BTF cannot hold)",
			   (unsigned long long)t->die, dwt_cu_name(p->cu) ? dwt_cu_name(p->cu) : "?");
		return -ELOOP;
	}
	encode_log("type [%u] of unit '%s' refers back to itself", at,
		   dwt_cu_name(p->cu) ? dwt_cu_name(p->cu) : "?");
	return -ELOOP;
}

int encode_cu_types(struct btf_builder *b, const struct dwt_cu *cu, const struct encode_opts *o,
		    const uint32_t *pre, uint32_t **ids)
{
	size_t i, n = dwt_cu_type_count(cu);
	struct plan p = { .cu = cu, .pre = pre, .b = b, .o = o };
	uint32_t end, first = btf_builder_type_cnt(b);
	int r = 0;

	p.ids = malloc(sizeof(*p.ids) * (n ? n : 1));
	if (!p.ids)
		return -ENOMEM;
	end = plan_ids(&p, first);
	for (i = 0; r >= 0 && i < n; i++) {
		const struct dwt_type *t = dwt_cu_type(cu, (uint32_t)i);
		uint32_t id = p.ids[i];

		if (!emits(&p, t) || (pre && pre[i] != PREMAP_NONE))
			continue;
		r = add_record(&p, t, id);
		if (r >= 0 && (uint32_t)r != id)
			r = -EPROTO;
		if (r < 0)
			encode_log("DIE 0x%llx of '%s': cannot encode as BTF: %s",
				   (unsigned long long)t->die, dwt_cu_name(cu) ? dwt_cu_name(cu) : "?",
				   r == -E2BIG ? past_limit(cu, t) : strerror(-r));
	}
	if (r >= 0 && p.index_type == end - 1 && btf_builder_type_cnt(b) == end - 1)
		r = btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED);
	for (i = 0; r >= 0 && i < n; i++)
		r = add_decl_tags(&p, dwt_cu_type(cu, (uint32_t)i), p.ids[i]);
	if (r >= 0)
		r = refuse_loops(&p, n, first);
	if (r < 0) {
		free(p.ids);
		return r;
	}
	*ids = p.ids;
	return 0;
}
