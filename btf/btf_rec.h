/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_rec.h - reading BTF type records in host byte order.
 *
 * Small inline accessors over the UAPI structs of <linux/btf.h>, shared by
 * every module of btf/ and by its users. They never check bounds: a record
 * comes from a builder, whose parser has already checked it. The names avoid
 * libbpf's (btf_kind(), btf_vlen(), ...), so a test may include both.
 */
#ifndef BTFENC_BTF_REC_H
#define BTFENC_BTF_REC_H

#include <stdint.h>

#include <linux/btf.h>

/* Info bits the kernel requires to be zero. */
#define BTF_INFO_RESERVED 0x60ff0000u

static inline uint32_t btf_info_make(uint32_t kind, uint32_t vlen, uint32_t kflag)
{
	return (kflag ? 1u << 31 : 0) | (kind & 0x1f) << 24 | (vlen & 0xffff);
}

static inline uint32_t btf_type_kind(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}

static inline uint32_t btf_type_vlen(const struct btf_type *t)
{
	return BTF_INFO_VLEN(t->info);
}

static inline uint32_t btf_type_kflag(const struct btf_type *t)
{
	return BTF_INFO_KFLAG(t->info);
}

/*
 * Bytes of trailing data per vlen item and fixed, for a kind.
 * Returns: 0 on success, -1 for an unknown kind.
 */
static inline int btf_kind_layout(uint32_t kind, uint32_t *fixed, uint32_t *per_vlen)
{
	*fixed = 0;
	*per_vlen = 0;
	switch (kind) {
	case BTF_KIND_INT:
		*fixed = sizeof(uint32_t);
		return 0;
	case BTF_KIND_ARRAY:
		*fixed = sizeof(struct btf_array);
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*per_vlen = sizeof(struct btf_member);
		return 0;
	case BTF_KIND_ENUM:
		*per_vlen = sizeof(struct btf_enum);
		return 0;
	case BTF_KIND_ENUM64:
		*per_vlen = sizeof(struct btf_enum64);
		return 0;
	case BTF_KIND_FUNC_PROTO:
		*per_vlen = sizeof(struct btf_param);
		return 0;
	case BTF_KIND_VAR:
		*fixed = sizeof(struct btf_var);
		return 0;
	case BTF_KIND_DATASEC:
		*per_vlen = sizeof(struct btf_var_secinfo);
		return 0;
	case BTF_KIND_DECL_TAG:
		*fixed = sizeof(struct btf_decl_tag);
		return 0;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

/* Bytes of a record whose info word is known good. */
static inline uint32_t btf_type_size_of(const struct btf_type *t)
{
	uint32_t fixed, per_vlen;

	btf_kind_layout(btf_type_kind(t), &fixed, &per_vlen);
	return sizeof(*t) + fixed + per_vlen * btf_type_vlen(t);
}

static inline void *btf_type_data(const struct btf_type *t)
{
	return (void *)(t + 1);
}

static inline uint32_t btf_int_data(const struct btf_type *t)
{
	return *(const uint32_t *)(t + 1);
}

/* Enumerator i of an ENUM or ENUM64 t: its name offset, and its value
 * (sign-extended from 32 bits for a signed ENUM, kind_flag set). */
static inline uint64_t btf_enum_value(const struct btf_type *t, uint32_t i, uint32_t *name_off)
{
	if (btf_type_kind(t) == BTF_KIND_ENUM64) {
		const struct btf_enum64 *e = (const struct btf_enum64 *)(t + 1) + i;

		*name_off = e->name_off;
		return (uint64_t)e->val_hi32 << 32 | e->val_lo32;
	} else {
		const struct btf_enum *e = (const struct btf_enum *)(t + 1) + i;

		*name_off = e->name_off;
		return btf_type_kflag(t) ? (uint64_t)(int64_t)e->val : (uint32_t)e->val;
	}
}

/* Member bit offset and bitfield size, decoded by the owner's kind_flag. */
static inline uint32_t btf_member_offset(const struct btf_type *t, const struct btf_member *m)
{
	return btf_type_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

static inline uint32_t btf_member_bits(const struct btf_type *t, const struct btf_member *m)
{
	return btf_type_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

/* Kinds whose size/type word is a type id. */
static inline int btf_kind_has_ref(uint32_t kind)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return 1;
	default:
		return 0;
	}
}

#endif
