// SPDX-License-Identifier: GPL-2.0-only
/*
 * builder_compose.c - types built in steps: STRUCT/UNION and members,
 * ENUM/ENUM64 and values, FUNC_PROTO and params, DATASEC and variables.
 * The first step adds the type; each later step appends one item to the
 * last type, which must be of the right kind, and bumps its vlen.
 */
#include <errno.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_add.h"

static struct btf_type *last_type(struct btf_builder *b, uint32_t kind, uint32_t kind2)
{
	struct btf_type *t;

	if (!b->nr_types)
		return NULL;
	t = (struct btf_type *)(b->types + b->type_offs[b->nr_types - 1]);
	if (btf_type_kind(t) != kind && btf_type_kind(t) != kind2)
		return NULL;
	return t;
}

static bool name_ok_or_anon(const char *name)
{
	return !name || !*name || builder_name_is_ident(name);
}

/*
 * Appends item (item_size bytes; its first word is a name offset if named)
 * to the last type, bumping vlen and or-ing set_kflag into kind_flag.
 * Returns: 0 or -errno, with the builder's content unchanged on failure.
 */
static int append_item(struct btf_builder *b, const char *name, void *item, size_t item_size,
		       bool named, uint32_t set_kflag, uint32_t ref)
{
	struct btf_type *t;
	int err = add_reserve(b, item_size, 0);

	if (!err && named)
		err = add_name(b, name, (uint32_t *)item);
	if (err)
		return err;
	memcpy(b->types + b->types_len, item, item_size);
	b->types_len += item_size;
	/* The reserve may have moved the buffer: find the owner again. */
	t = (struct btf_type *)(b->types + b->type_offs[b->nr_types - 1]);
	t->info = btf_info_make(btf_type_kind(t), btf_type_vlen(t) + 1,
				btf_type_kflag(t) | set_kflag);
	add_note_ref(b, ref);
	return 0;
}

static int add_composite(struct btf_builder *b, uint32_t kind, const char *name, uint32_t size)
{
	if (!name_ok_or_anon(name))
		return -EINVAL;
	return add_simple(b, btf_info_make(kind, 0, 0), name, size, 0);
}

int btf_builder_add_struct(struct btf_builder *b, const char *name, uint32_t size)
{
	return add_composite(b, BTF_KIND_STRUCT, name, size);
}

int btf_builder_add_union(struct btf_builder *b, const char *name, uint32_t size)
{
	return add_composite(b, BTF_KIND_UNION, name, size);
}

static bool int_is_regular(const struct btf_type *t)
{
	uint32_t s = t->size;

	return (btf_int_data(t) & 0x00ff00ffu) == s * 8 && s && s <= 16 && !(s & (s - 1));
}

/* Whether [off, off + bits) fits in a struct of ssize bytes. */
static bool member_fits(uint32_t ssize, uint64_t off, uint64_t bits)
{
	return (off + bits + 7) / 8 <= ssize;
}

/* The kernel's checks of a member against its type, where that type exists. */
static int member_check_type(const struct btf_builder *b, uint32_t ssize, uint32_t type,
			     uint32_t off, uint32_t bits)
{
	const struct btf_type *t;
	uint32_t id, size;
	int err = builder_skip_mods(b, type, &id);

	if (err)
		return err == -ENOENT ? 0 : -EINVAL;
	t = builder_known(b, id);
	if (!t)
		return id ? 0 : -EINVAL;
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
		if (bits && (!int_is_regular(t) || bits > t->size * 8))
			return -EINVAL;
		return member_fits(ssize, off, bits ? bits : t->size * 8ull) ? 0 : -EINVAL;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (bits > 32)
			return -EINVAL;
		return member_fits(ssize, off, bits ? bits : t->size * 8ull) ? 0 : -EINVAL;
	case BTF_KIND_FLOAT:
		if (bits || (off / 8) % (t->size < 8 ? t->size : 8))
			return -EINVAL;
		/* fall through */
	case BTF_KIND_PTR:
	case BTF_KIND_ARRAY:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (bits)
			return -EINVAL;
		err = builder_type_size(b, id, &size);
		if (err)
			return err == -ENOENT ? 0 : -EINVAL;
		return member_fits(ssize, off, size * 8ull) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* Switching a struct to kind_flag mode needs every offset below 2^24. */
static int members_fit_kflag(const struct btf_type *t)
{
	const struct btf_member *m = btf_type_data(t);
	uint32_t i;

	for (i = 0; i < btf_type_vlen(t); i++)
		if (m[i].offset > BTF_MEMBER_BIT_OFFSET(~0u))
			return -E2BIG;
	return 0;
}

int btf_builder_add_member(struct btf_builder *b, const char *name, uint32_t type,
			   uint32_t bit_offset, uint32_t bit_size)
{
	struct btf_type *t = last_type(b, BTF_KIND_STRUCT, BTF_KIND_UNION);
	struct btf_member m = { .type = type, .offset = bit_offset };
	uint32_t vlen, kflag;

	if (!t || !type || !name_ok_or_anon(name))
		return -EINVAL;
	vlen = btf_type_vlen(t);
	if (vlen >= BTF_MAX_VLEN)
		return -E2BIG;
	if (add_check_ref(b, type))
		return -ERANGE;
	if ((btf_type_kind(t) == BTF_KIND_UNION && bit_offset) || (!bit_size && bit_offset % 8))
		return -EINVAL;
	if (vlen && bit_offset < btf_member_offset(t, (struct btf_member *)btf_type_data(t) + vlen - 1))
		return -EINVAL;
	if ((bit_offset + 7ull) / 8 > t->size)
		return -EINVAL;
	kflag = btf_type_kflag(t) || bit_size;
	if (bit_size > 255 || (kflag && bit_offset > BTF_MEMBER_BIT_OFFSET(~0u)))
		return -E2BIG;
	if (kflag && !btf_type_kflag(t) && members_fit_kflag(t))
		return -E2BIG;
	if (member_check_type(b, t->size, type, bit_offset, bit_size))
		return -EINVAL;
	if (bit_size)
		m.offset |= bit_size << 24;
	return append_item(b, name, &m, sizeof(m), true, kflag, type);
}

static int add_enum_kind(struct btf_builder *b, uint32_t kind, const char *name, uint32_t size,
			 bool is_signed)
{
	if (!name_ok_or_anon(name))
		return -EINVAL;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	return add_simple(b, btf_info_make(kind, 0, is_signed), name, size, 0);
}

int btf_builder_add_enum(struct btf_builder *b, const char *name, uint32_t size)
{
	return add_enum_kind(b, BTF_KIND_ENUM, name, size, false);
}

int btf_builder_add_enum64(struct btf_builder *b, const char *name, uint32_t size,
			   bool is_signed)
{
	return add_enum_kind(b, BTF_KIND_ENUM64, name, size, is_signed);
}

int btf_builder_add_enum_value(struct btf_builder *b, const char *name, int64_t value)
{
	struct btf_type *t = last_type(b, BTF_KIND_ENUM, BTF_KIND_ENUM);
	struct btf_enum e = { .val = (int32_t)(uint32_t)value };

	if (!t || !builder_name_is_ident(name))
		return -EINVAL;
	if (btf_type_vlen(t) >= BTF_MAX_VLEN || value < INT32_MIN || value > UINT32_MAX)
		return -E2BIG;
	return append_item(b, name, &e, sizeof(e), true, value < 0, 0);
}

int btf_builder_add_enum64_value(struct btf_builder *b, const char *name, uint64_t value)
{
	struct btf_type *t = last_type(b, BTF_KIND_ENUM64, BTF_KIND_ENUM64);
	struct btf_enum64 e = { .val_lo32 = (uint32_t)value, .val_hi32 = (uint32_t)(value >> 32) };

	if (!t || !builder_name_is_ident(name))
		return -EINVAL;
	if (btf_type_vlen(t) >= BTF_MAX_VLEN)
		return -E2BIG;
	return append_item(b, name, &e, sizeof(e), true, 0, 0);
}

int btf_builder_add_func_proto(struct btf_builder *b, uint32_t ret)
{
	uint32_t size;

	if (add_check_ref(b, ret))
		return -ERANGE;
	/* The return type is void or sized. */
	if (ret && builder_type_size(b, ret, &size) == -EINVAL)
		return -EINVAL;
	return add_simple(b, btf_info_make(BTF_KIND_FUNC_PROTO, 0, 0), NULL, ret, ret);
}

int btf_builder_add_param(struct btf_builder *b, const char *name, uint32_t type)
{
	struct btf_type *t = last_type(b, BTF_KIND_FUNC_PROTO, BTF_KIND_FUNC_PROTO);
	struct btf_param p = { .type = type };
	const struct btf_param *ps;
	uint32_t vlen, size;

	if (!t || !name_ok_or_anon(name))
		return -EINVAL;
	vlen = btf_type_vlen(t);
	ps = btf_type_data(t);
	if (vlen >= BTF_MAX_VLEN)
		return -E2BIG;
	if (add_check_ref(b, type))
		return -ERANGE;
	/* A vararg (no name, type 0) only comes last; params are sized. */
	if ((vlen && !ps[vlen - 1].type) || (!type && name && *name))
		return -EINVAL;
	if (type && builder_type_size(b, type, &size) == -EINVAL)
		return -EINVAL;
	return append_item(b, name, &p, sizeof(p), true, 0, type);
}

int btf_builder_add_datasec(struct btf_builder *b, const char *name, uint32_t size)
{
	if (!builder_name_is_section(name) || !size)
		return -EINVAL;
	return add_simple(b, btf_info_make(BTF_KIND_DATASEC, 0, 0), name, size, 0);
}

/* A section variable: a VAR whose type fits in size. */
static int datasec_check_var(const struct btf_builder *b, uint32_t var, uint32_t size)
{
	const struct btf_type *t = builder_known(b, var);
	uint32_t tsize;

	if (!t)
		return 0;
	if (btf_type_kind(t) != BTF_KIND_VAR)
		return -EINVAL;
	if (!builder_type_size(b, t->type, &tsize) && tsize > size)
		return -EINVAL;
	return 0;
}

int btf_builder_add_datasec_var(struct btf_builder *b, uint32_t var, uint32_t offset,
				uint32_t size)
{
	struct btf_type *t = last_type(b, BTF_KIND_DATASEC, BTF_KIND_DATASEC);
	struct btf_var_secinfo v = { .type = var, .offset = offset, .size = size };
	const struct btf_var_secinfo *prev;
	uint32_t vlen;

	if (!t || !var || !size)
		return -EINVAL;
	vlen = btf_type_vlen(t);
	if (vlen >= BTF_MAX_VLEN)
		return -E2BIG;
	if (add_check_ref(b, var))
		return -ERANGE;
	/* Sorted, not overlapping, inside the section. */
	if (vlen) {
		prev = (const struct btf_var_secinfo *)btf_type_data(t) + vlen - 1;
		if (offset < (uint64_t)prev->offset + prev->size)
			return -EINVAL;
	}
	if (offset >= t->size || (uint64_t)offset + size > t->size)
		return -EINVAL;
	if (datasec_check_var(b, var, size))
		return -EINVAL;
	return append_item(b, NULL, &v, sizeof(v), false, 0, var);
}
