// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_sig.c - per-kind signatures and equalities of dedup. Strings are
 * deduplicated before any of these run, so equal names have equal offsets.
 *
 * Signatures deliberately leave out what a later check compares through the
 * graph: member types of structs (equivalence decides), and everything of an
 * enum but its name (so a forward declaration meets its definition, and an
 * ENUM meets an ENUM64).
 */
#include <string.h>

#include "dedup_priv.h"

static inline uint32_t mix(uint32_t h, uint32_t v)
{
	h = (h ^ v) * 0x01000193u;
	return h ^ (h >> 16);
}

uint32_t mix_common(const struct btf_type *t)
{
	return mix(mix(mix(0x811c9dc5u, t->name_off), t->info), t->size);
}

uint32_t dd_hash(const struct btf_type *t)
{
	uint32_t h, i, n = btf_type_vlen(t);
	const struct btf_member *m;
	const struct btf_param *p;
	const struct btf_array *a;

	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_DECL_TAG:
		return mix(mix_common(t), *(const uint32_t *)btf_type_data(t));
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return mix(0x811c9dc5u, t->name_off);
	case BTF_KIND_TYPEDEF:
		return mix(mix(0x811c9dc5u, t->name_off), t->info);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		h = mix_common(t);
		m = btf_type_data(t);
		for (i = 0; i < n; i++)
			h = mix(mix(h, m[i].name_off), m[i].offset);
		return h;
	case BTF_KIND_ARRAY:
		a = btf_type_data(t);
		return mix(mix(mix(mix_common(t), a->type), a->index_type), a->nelems);
	case BTF_KIND_FUNC_PROTO:
		h = mix_common(t);
		p = btf_type_data(t);
		for (i = 0; i < n; i++)
			h = mix(mix(h, p[i].name_off), p[i].type);
		return h;
	default:
		return mix_common(t);
	}
}

bool dd_equal_common(const struct btf_type *a, const struct btf_type *b)
{
	return a->name_off == b->name_off && a->info == b->info && a->size == b->size;
}

bool dd_equal_int_tag(const struct btf_type *a, const struct btf_type *b)
{
	return dd_equal_common(a, b) &&
	       *(const uint32_t *)btf_type_data(a) == *(const uint32_t *)btf_type_data(b);
}

bool dd_equal_enum(const struct btf_type *a, const struct btf_type *b)
{
	size_t item = btf_type_kind(a) == BTF_KIND_ENUM64 ? sizeof(struct btf_enum64)
							   : sizeof(struct btf_enum);

	return dd_equal_common(a, b) &&
	       !memcmp(btf_type_data(a), btf_type_data(b), item * btf_type_vlen(a));
}

static bool kind_is_enum(const struct btf_type *t)
{
	return btf_type_kind(t) == BTF_KIND_ENUM || btf_type_kind(t) == BTF_KIND_ENUM64;
}

bool dd_enum_is_fwd(const struct btf_type *t)
{
	return kind_is_enum(t) && btf_type_vlen(t) == 0;
}

/* Equal, or one side a forward declaration (any size, ENUM or ENUM64) of the
 * same name. */
bool dd_compat_enum(const struct btf_type *a, const struct btf_type *b)
{
	if (!dd_enum_is_fwd(a) && !dd_enum_is_fwd(b))
		return dd_equal_enum(a, b);
	return a->name_off == b->name_off && kind_is_enum(a) && kind_is_enum(b);
}

/* Name, kind, size and every member's name and offset; not member types. */
bool dd_shallow_equal_struct(const struct btf_type *a, const struct btf_type *b)
{
	const struct btf_member *ma = btf_type_data(a), *mb = btf_type_data(b);
	uint32_t i;

	if (!dd_equal_common(a, b))
		return false;
	for (i = 0; i < btf_type_vlen(a); i++)
		if (ma[i].name_off != mb[i].name_off || ma[i].offset != mb[i].offset)
			return false;
	return true;
}

bool dd_compat_array(const struct btf_type *a, const struct btf_type *b)
{
	return dd_equal_common(a, b) && ((const struct btf_array *)btf_type_data(a))->nelems ==
						((const struct btf_array *)btf_type_data(b))->nelems;
}

bool dd_equal_array(const struct btf_type *a, const struct btf_type *b)
{
	return dd_equal_common(a, b) &&
	       !memcmp(btf_type_data(a), btf_type_data(b), sizeof(struct btf_array));
}

/* Return type and every param's name and type. */
bool dd_equal_fnproto(const struct btf_type *a, const struct btf_type *b)
{
	return dd_equal_common(a, b) &&
	       !memcmp(btf_type_data(a), btf_type_data(b),
		       sizeof(struct btf_param) * btf_type_vlen(a));
}

/* Like dd_equal_fnproto, but types are left to an equivalence check. */
bool dd_compat_fnproto(const struct btf_type *a, const struct btf_type *b)
{
	const struct btf_param *pa = btf_type_data(a), *pb = btf_type_data(b);
	uint32_t i;

	if (a->name_off != b->name_off || a->info != b->info)
		return false;
	for (i = 0; i < btf_type_vlen(a); i++)
		if (pa[i].name_off != pb[i].name_off)
			return false;
	return true;
}
