// SPDX-License-Identifier: GPL-2.0-only
/*
 * builder_add.c - one add per kind of single-record type. Each checks what
 * the kernel would reject before it touches the builder, then appends the
 * record in one step (see add_record()).
 */
#include <errno.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_priv.h"
#include "builder_add.h"
#include "grow.h"

/* A record being added: common part and at most three words of trailing data. */
struct rec {
	struct btf_type t;
	uint32_t data[3];
};

int add_reserve(struct btf_builder *b, size_t bytes, size_t slots)
{
	int err = 0;

	if (b->types_len + bytes > UINT32_MAX)
		return -E2BIG;
	/* Every member of every unit comes through here: most of the time
	 * there is room and nothing cached to drop. */
	if (!b->writable || b->out || b->out_valid)
		err = btf_builder_ensure_writable(b);
	if (!err && b->types_len + bytes > b->types_cap)
		err = grow_array_raw((void **)&b->types, &b->types_cap, 1, b->types_len + bytes);
	if (!err && b->nr_types + slots > b->type_offs_cap)
		err = grow_array_raw((void **)&b->type_offs, &b->type_offs_cap, sizeof(uint32_t),
				     b->nr_types + slots);
	return err;
}

int add_name(struct btf_builder *b, const char *name, uint32_t *off)
{
	int r;

	if (!name || !*name) {
		*off = 0;
		return 0;
	}
	r = btf_builder_add_str(b, name);
	if (r < 0)
		return r;
	*off = (uint32_t)r;
	return 0;
}

int add_check_ref(const struct btf_builder *b, uint32_t id)
{
	return id > b->max_id + 1 ? -ERANGE : 0;
}

void add_note_ref(struct btf_builder *b, uint32_t id)
{
	if (id > b->max_ref)
		b->max_ref = id;
}

/*
 * Appends r (name_off filled from name) with data_words of trailing data.
 * ref is the largest type id it refers to. Returns: the new id or -errno,
 * with the builder's content unchanged on failure.
 */
static int add_record(struct btf_builder *b, const char *name, struct rec *r, size_t data_words,
		      uint32_t ref)
{
	size_t bytes = sizeof(r->t) + data_words * sizeof(uint32_t);
	uint32_t id = btf_builder_type_cnt(b);
	int err;

	if (id > b->max_id)
		return -E2BIG;
	err = add_reserve(b, bytes, 1);
	if (!err)
		err = add_name(b, name, &r->t.name_off);
	if (err)
		return err;
	memcpy(b->types + b->types_len, r, bytes);
	b->type_offs[b->nr_types++] = (uint32_t)b->types_len;
	b->types_len += bytes;
	add_note_ref(b, ref);
	return (int)id;
}

int add_simple(struct btf_builder *b, uint32_t info, const char *name, uint32_t size_or_type,
	       uint32_t ref)
{
	struct rec r = { .t.info = info, .t.size = size_or_type };

	return add_record(b, name, &r, 0, ref);
}

int btf_builder_add_int(struct btf_builder *b, const char *name, uint32_t size,
			uint32_t nr_bits, uint32_t encoding)
{
	struct rec r = { .t.info = btf_info_make(BTF_KIND_INT, 0, 0), .t.size = size };

	if (!name || !*name)
		return -EINVAL;
	if (size == 0 || size > 16 || (size & (size - 1)))
		return -EINVAL;
	if (nr_bits == 0 || nr_bits > 128 || (nr_bits + 7) / 8 > size)
		return -EINVAL;
	if (encoding != 0 && encoding != BTF_INT_SIGNED && encoding != BTF_INT_CHAR &&
	    encoding != BTF_INT_BOOL)
		return -EINVAL;
	r.data[0] = encoding << 24 | nr_bits;
	return add_record(b, name, &r, 1, 0);
}

int btf_builder_add_float(struct btf_builder *b, const char *name, uint32_t size)
{
	if (!name || !*name)
		return -EINVAL;
	if (size != 2 && size != 4 && size != 8 && size != 12 && size != 16)
		return -EINVAL;
	return add_simple(b, btf_info_make(BTF_KIND_FLOAT, 0, 0), name, size, 0);
}

/* PTR and the modifiers: a target the kernel can resolve, tags first in chains. */
static int add_ref_kind_flag(struct btf_builder *b, uint32_t kind, const char *name, uint32_t type,
			     uint32_t kflag)
{
	int err = add_check_ref(b, type);

	if (err)
		return err;
	if (builder_check_ref_target(b, type) == -EINVAL)
		return -EINVAL;
	if (kind != BTF_KIND_PTR && builder_check_tag_chain(b, kind, type))
		return -EINVAL;
	return add_simple(b, btf_info_make(kind, 0, kflag), name, type, type);
}

static int add_ref_kind(struct btf_builder *b, uint32_t kind, const char *name, uint32_t type)
{
	return add_ref_kind_flag(b, kind, name, type, 0);
}

int btf_builder_add_ptr(struct btf_builder *b, uint32_t type)
{
	return add_ref_kind(b, BTF_KIND_PTR, NULL, type);
}

int btf_builder_add_const(struct btf_builder *b, uint32_t type)
{
	return add_ref_kind(b, BTF_KIND_CONST, NULL, type);
}

int btf_builder_add_volatile(struct btf_builder *b, uint32_t type)
{
	return add_ref_kind(b, BTF_KIND_VOLATILE, NULL, type);
}

int btf_builder_add_restrict(struct btf_builder *b, uint32_t type)
{
	return add_ref_kind(b, BTF_KIND_RESTRICT, NULL, type);
}

int btf_builder_add_typedef(struct btf_builder *b, const char *name, uint32_t type)
{
	if (!builder_name_is_ident(name))
		return -EINVAL;
	return add_ref_kind(b, BTF_KIND_TYPEDEF, name, type);
}

int btf_builder_add_type_tag(struct btf_builder *b, const char *value, uint32_t type)
{
	if (!value || !*value)
		return -EINVAL;
	return add_ref_kind(b, BTF_KIND_TYPE_TAG, value, type);
}

int btf_builder_add_type_attr(struct btf_builder *b, const char *value, uint32_t type)
{
	if (!value || !*value)
		return -EINVAL;
	return add_ref_kind_flag(b, BTF_KIND_TYPE_TAG, value, type, 1);
}

int btf_builder_add_fwd(struct btf_builder *b, const char *name, bool is_union)
{
	if (!builder_name_is_ident(name))
		return -EINVAL;
	return add_simple(b, btf_info_make(BTF_KIND_FWD, 0, is_union), name, 0, 0);
}

int btf_builder_add_array(struct btf_builder *b, uint32_t elem, uint32_t index, uint32_t nelems)
{
	struct rec r = { .t.info = btf_info_make(BTF_KIND_ARRAY, 0, 0) };
	const struct btf_type *it;
	uint32_t id, size;
	int err;

	if (!elem || !index)
		return -EINVAL;
	if (add_check_ref(b, elem) || add_check_ref(b, index))
		return -ERANGE;
	/* The index must be a regular INT, modifiers skipped. */
	if (!builder_skip_mods(b, index, &id)) {
		it = builder_known(b, id);
		if (!it || btf_type_kind(it) != BTF_KIND_INT ||
		    btf_int_data(it) != ((btf_int_data(it) & 0x0f000000u) | (it->size * 8)))
			return -EINVAL;
	}
	/* The element must be sized, and the whole array fit in 32 bits. */
	err = builder_type_size(b, elem, &size);
	if (err == -EINVAL || (!err && nelems && size > UINT32_MAX / nelems))
		return -EINVAL;
	r.data[0] = elem;
	r.data[1] = index;
	r.data[2] = nelems;
	return add_record(b, NULL, &r, 3, elem > index ? elem : index);
}

int btf_builder_add_func(struct btf_builder *b, const char *name, enum btf_linkage linkage,
			 uint32_t proto)
{
	const struct btf_param *p;
	const struct btf_type *t;
	uint32_t i;

	if (!builder_name_is_ident(name))
		return -EINVAL;
	if (linkage != BTF_BUILDER_STATIC && linkage != BTF_BUILDER_GLOBAL)
		return -EINVAL;
	if (!proto)
		return -EINVAL;
	if (add_check_ref(b, proto))
		return -ERANGE;
	t = builder_known(b, proto);
	if (t) {
		if (btf_type_kind(t) != BTF_KIND_FUNC_PROTO)
			return -EINVAL;
		/* Every param of a FUNC's proto is named, but a final vararg. */
		p = btf_type_data(t);
		for (i = 0; i < btf_type_vlen(t); i++)
			if (!p[i].name_off && p[i].type)
				return -EINVAL;
	}
	return add_simple(b, btf_info_make(BTF_KIND_FUNC, linkage, 0), name, proto, proto);
}

int btf_builder_add_var(struct btf_builder *b, const char *name, enum btf_linkage linkage,
			uint32_t type)
{
	struct rec r = { .t.info = btf_info_make(BTF_KIND_VAR, 0, 0), .t.type = type };
	uint32_t size;

	if (!builder_name_is_ident(name))
		return -EINVAL;
	if (linkage != BTF_BUILDER_STATIC && linkage != BTF_BUILDER_GLOBAL)
		return -EINVAL;
	if (!type)
		return -EINVAL;
	if (add_check_ref(b, type))
		return -ERANGE;
	if (builder_type_size(b, type, &size) == -EINVAL)
		return -EINVAL;
	r.data[0] = linkage;
	return add_record(b, name, &r, 1, type);
}

/* The targets a DECL_TAG may name, and the component_idx each allows. */
static int decl_tag_check_target(const struct btf_builder *b, uint32_t type, int idx)
{
	const struct btf_type *t = builder_known(b, type);

	if (!t)
		return 0;
	switch (btf_type_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return idx < (int)btf_type_vlen(t) ? 0 : -EINVAL;
	case BTF_KIND_FUNC:
		t = builder_known(b, t->type);
		return !t || idx < (int)btf_type_vlen(t) ? 0 : -EINVAL;
	case BTF_KIND_VAR:
	case BTF_KIND_TYPEDEF:
		return idx == -1 ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

int btf_builder_add_decl_tag(struct btf_builder *b, const char *value, uint32_t type,
			     int component_idx)
{
	struct rec r = { .t.info = btf_info_make(BTF_KIND_DECL_TAG, 0, 0), .t.type = type };

	if (!value || !*value || !type || component_idx < -1)
		return -EINVAL;
	if (add_check_ref(b, type))
		return -ERANGE;
	if (decl_tag_check_target(b, type, component_idx))
		return -EINVAL;
	r.data[0] = (uint32_t)component_idx;
	return add_record(b, value, &r, 1, type);
}
