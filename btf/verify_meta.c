// SPDX-License-Identifier: GPL-2.0-only
/*
 * verify_meta.c - the kernel's meta pass: each type record on its own.
 *
 * Records are read in order, ids counting from the first own id. The
 * common checks come first (the record's 12 bytes are there, no reserved
 * info bit, a kind this kernel knows, a name offset inside the strings);
 * a record failing them has no trustworthy length, so the pass ends there.
 * Then the kind's own rules, in the order the kernel checks them, each
 * with the kernel's words (BTF.md 2.4). After a kind rule fails, the
 * record's length is still known and the pass goes on to the next.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verify_priv.h"

#define INFO_MASK 0x9f00ffffu

static bool pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

static int meta_int(struct verify *v, const struct btf_type *t, uint32_t left)
{
	uint32_t d, bits, off;

	if (left < 4)
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left, 4u);
	if (btf_type_vlen(t))
		return verify_type_fail(v, t, "vlen != 0");
	if (btf_type_kflag(t))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	d = btf_int_data(t);
	if (d & 0xf0000000u)
		return verify_basic_fail(v, t, "Invalid int_data:%x", d);
	bits = BTF_INT_BITS(d);
	off = BTF_INT_OFFSET(d);
	if (bits + off > 128)
		return verify_type_fail(v, t, "nr_bits exceeds %u", 128u);
	if ((bits + off + 7) / 8 > t->size)
		return verify_type_fail(v, t, "nr_bits exceeds type_size");
	switch (BTF_INT_ENCODING(d)) {
	case 0:
	case BTF_INT_SIGNED:
	case BTF_INT_CHAR:
	case BTF_INT_BOOL:
		return 4;
	default:
		return verify_type_fail(v, t, "Unsupported encoding");
	}
}

/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
static int meta_ref(struct verify *v, const struct btf_type *t)
{
	uint32_t kind = btf_type_kind(t);

	if (btf_type_vlen(t))
		return verify_type_fail(v, t, "vlen != 0");
	if (btf_type_kflag(t) && (kind != BTF_KIND_TYPE_TAG || !verify_tag_kflag_ok(v)))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	if (t->type > BTF_MAX_TYPE)
		return verify_type_fail(v, t, "Invalid type_id");
	if (kind == BTF_KIND_TYPEDEF) {
		if (!t->name_off || !verify_ident_ok(v, t->name_off))
			return verify_type_fail(v, t, "Invalid name");
	} else if (kind == BTF_KIND_TYPE_TAG) {
		if (!t->name_off || !*verify_str(v, t->name_off))
			return verify_type_fail(v, t, "Invalid name");
	} else if (t->name_off) {
		return verify_type_fail(v, t, "Invalid name");
	}
	return 0;
}

static int meta_array(struct verify *v, const struct btf_type *t, uint32_t left)
{
	const struct btf_array *a = btf_type_data(t);

	if (left < sizeof(*a))
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left,
					 (uint32_t)sizeof(*a));
	if (t->name_off)
		return verify_type_fail(v, t, "Invalid name");
	if (btf_type_vlen(t))
		return verify_type_fail(v, t, "vlen != 0");
	if (btf_type_kflag(t))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	if (t->size)
		return verify_type_fail(v, t, "size != 0");
	if (!a->type || a->type > BTF_MAX_TYPE)
		return verify_type_fail(v, t, "Invalid elem");
	if (!a->index_type || a->index_type > BTF_MAX_TYPE)
		return verify_type_fail(v, t, "Invalid index");
	return sizeof(*a);
}

static int meta_struct(struct verify *v, const struct btf_type *t, uint32_t left)
{
	const struct btf_member *m = btf_type_data(t);
	uint32_t n = btf_type_vlen(t), need = n * (uint32_t)sizeof(*m), i, last = 0, off;
	bool is_union = btf_type_kind(t) == BTF_KIND_UNION;

	if (left < need)
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left, need);
	if (t->name_off && !verify_ident_ok(v, t->name_off))
		return verify_type_fail(v, t, "Invalid name");
	for (i = 0; i < n; i++, m++) {
		if (!verify_name_off_ok(v, m->name_off))
			return verify_member_fail(v, t, m, "Invalid member name_offset:%u",
						  m->name_off);
		if (m->name_off && !verify_ident_ok(v, m->name_off))
			return verify_member_fail(v, t, m, "Invalid name");
		if (!m->type || m->type > BTF_MAX_TYPE)
			return verify_member_fail(v, t, m, "Invalid type_id");
		off = btf_member_offset(t, m);
		if (is_union && off)
			return verify_member_fail(v, t, m, "Invalid member bits_offset");
		if (last > off)
			return verify_member_fail(v, t, m, "Invalid member bits_offset");
		if (((uint64_t)off + 7) / 8 > t->size)
			return verify_member_fail(v, t, m, "Member bits_offset exceeds its struct size");
		last = off;
	}
	return (int)need;
}

static int meta_enum(struct verify *v, const struct btf_type *t, uint32_t left)
{
	bool is64 = btf_type_kind(t) == BTF_KIND_ENUM64;
	uint32_t each = is64 ? sizeof(struct btf_enum64) : sizeof(struct btf_enum);
	uint32_t n = btf_type_vlen(t), need = n * each, i;
	const uint8_t *p = btf_type_data(t);

	if (left < need)
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left, need);
	if (t->size > 8 || !pow2(t->size))
		return verify_type_fail(v, t, "Unexpected size");
	if (t->name_off && !verify_ident_ok(v, t->name_off))
		return verify_type_fail(v, t, "Invalid name");
	for (i = 0; i < n; i++, p += each) {
		uint32_t name_off = ((const struct btf_enum *)p)->name_off;

		if (!verify_name_off_ok(v, name_off))
			return verify_plain_fail(v, v->log_id, "\tInvalid name_offset:%u", name_off);
		if (!name_off || !verify_ident_ok(v, name_off))
			return verify_type_fail(v, t, "Invalid name");
	}
	return (int)need;
}

static int meta_fwd(struct verify *v, const struct btf_type *t)
{
	if (btf_type_vlen(t))
		return verify_type_fail(v, t, "vlen != 0");
	if (t->type)
		return verify_type_fail(v, t, "type != 0");
	if (!t->name_off || !verify_ident_ok(v, t->name_off))
		return verify_type_fail(v, t, "Invalid name");
	return 0;
}

static int meta_func(struct verify *v, const struct btf_type *t)
{
	if (!t->name_off || !verify_ident_ok(v, t->name_off))
		return verify_type_fail(v, t, "Invalid name");
	if (btf_type_vlen(t) > BTF_FUNC_GLOBAL)
		return verify_type_fail(v, t, "Invalid func linkage");
	if (btf_type_kflag(t))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	return 0;
}

static int meta_proto(struct verify *v, const struct btf_type *t, uint32_t left)
{
	uint32_t need = btf_type_vlen(t) * (uint32_t)sizeof(struct btf_param);

	if (left < need)
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left, need);
	if (t->name_off)
		return verify_type_fail(v, t, "Invalid name");
	if (btf_type_kflag(t))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	return (int)need;
}

static int meta_var(struct verify *v, const struct btf_type *t, uint32_t left)
{
	const struct btf_var *var = btf_type_data(t);

	if (left < sizeof(*var))
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left,
					 (uint32_t)sizeof(*var));
	if (btf_type_vlen(t))
		return verify_type_fail(v, t, "vlen != 0");
	if (btf_type_kflag(t))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	if (!t->name_off || !verify_ident_ok(v, t->name_off))
		return verify_type_fail(v, t, "Invalid name");
	if (!t->type || t->type > BTF_MAX_TYPE)
		return verify_type_fail(v, t, "Invalid type_id");
	if (var->linkage != BTF_VAR_STATIC && var->linkage != BTF_VAR_GLOBAL_ALLOCATED)
		return verify_type_fail(v, t, "Linkage not supported");
	return sizeof(*var);
}

static int meta_datasec(struct verify *v, const struct btf_type *t, uint32_t left)
{
	const struct btf_var_secinfo *s = btf_type_data(t);
	uint32_t n = btf_type_vlen(t), need = n * (uint32_t)sizeof(*s), i;
	uint64_t end = 0, sum = 0;

	if (left < need)
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left, need);
	if (!t->size)
		return verify_type_fail(v, t, "size == 0");
	if (btf_type_kflag(t))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	if (!t->name_off || !verify_section_name_ok(v, t->name_off))
		return verify_type_fail(v, t, "Invalid name");
	for (i = 0; i < n; i++, s++) {
		if (!s->type || s->type > BTF_MAX_TYPE)
			return verify_vsi_fail(v, t, s, "Invalid type_id");
		if (s->offset < end || s->offset >= t->size)
			return verify_vsi_fail(v, t, s, "Invalid offset");
		if (!s->size || s->size > t->size)
			return verify_vsi_fail(v, t, s, "Invalid size");
		end = (uint64_t)s->offset + s->size;
		if (end > t->size)
			return verify_vsi_fail(v, t, s, "Invalid offset+size");
		sum += s->size;
	}
	if (sum > t->size)
		return verify_type_fail(v, t, "Invalid btf_info size");
	return (int)need;
}

static int meta_float(struct verify *v, const struct btf_type *t)
{
	if (btf_type_vlen(t))
		return verify_type_fail(v, t, "vlen != 0");
	if (btf_type_kflag(t))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	switch (t->size) {
	case 2:
	case 4:
	case 8:
	case 12:
	case 16:
		return 0;
	default:
		return verify_type_fail(v, t, "Invalid type_size");
	}
}

static int meta_decl_tag(struct verify *v, const struct btf_type *t, uint32_t left)
{
	const struct btf_decl_tag *tag = btf_type_data(t);

	if (left < sizeof(*tag))
		return verify_basic_fail(v, t, "meta_left:%u meta_needed:%u", left,
					 (uint32_t)sizeof(*tag));
	if (!t->name_off || !*verify_str(v, t->name_off))
		return verify_type_fail(v, t, "Invalid value");
	if (btf_type_vlen(t))
		return verify_type_fail(v, t, "vlen != 0");
	if (btf_type_kflag(t) && !verify_tag_kflag_ok(v))
		return verify_type_fail(v, t, "Invalid btf_info kind_flag");
	if (tag->component_idx < -1)
		return verify_type_fail(v, t, "Invalid component_idx");
	return sizeof(*tag);
}

int verify_kind_meta(struct verify *v, const struct btf_type *t, uint32_t left)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
		return meta_int(v, t, left);
	case BTF_KIND_ARRAY:
		return meta_array(v, t, left);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return meta_struct(v, t, left);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return meta_enum(v, t, left);
	case BTF_KIND_FWD:
		return meta_fwd(v, t);
	case BTF_KIND_FUNC:
		return meta_func(v, t);
	case BTF_KIND_FUNC_PROTO:
		return meta_proto(v, t, left);
	case BTF_KIND_VAR:
		return meta_var(v, t, left);
	case BTF_KIND_DATASEC:
		return meta_datasec(v, t, left);
	case BTF_KIND_FLOAT:
		return meta_float(v, t);
	case BTF_KIND_DECL_TAG:
		return meta_decl_tag(v, t, left);
	default:
		return meta_ref(v, t);
	}
}

/* A record's trailing bytes by its kind, if they are all there: the pass
 * can go on past it. Returns: the bytes, or -1. */
static int64_t known_length(const struct btf_type *t, uint32_t left)
{
	uint32_t fixed, per;
	uint64_t n;

	if (btf_kind_layout(btf_type_kind(t), &fixed, &per))
		return -1;
	n = fixed + (uint64_t)per * btf_type_vlen(t);
	return n <= left ? (int64_t)n : -1;
}

int verify_meta(struct verify *v)
{
	uint32_t cur = 0, end = v->type_len, left;
	const struct btf_type *t;
	int64_t extra;
	uint32_t id;

	while (cur < end && !v->stop) {
		id = v->start_id + v->nr;
		v->log_id = id;
		left = end - cur;
		if (left < sizeof(*t))
			return verify_id_fail(v, id, "meta_left:%u meta_needed:%zu", left, sizeof(*t));
		left -= sizeof(*t);
		t = (const struct btf_type *)((const uint8_t *)v->types + cur);
		if (t->info & ~INFO_MASK)
			return verify_id_fail(v, id, "Invalid btf_info:%x", t->info);
		if (!btf_type_kind(t) || btf_type_kind(t) > verify_kind_max(v))
			return verify_id_fail(v, id, "Invalid kind:%u", btf_type_kind(t));
		if (!verify_name_off_ok(v, t->name_off))
			return verify_id_fail(v, id, "Invalid name_offset:%u", t->name_off);
		if ((uint64_t)id < BTF_MAX_TYPE)
			v->recs[v->nr++] = cur / 4;
		extra = verify_kind_meta(v, t, left);
		if (extra == -EINVAL)
			extra = known_length(t, left);
		if (extra < 0)
			return v->err ? v->err : -EINVAL;
		cur += (uint32_t)sizeof(*t) + (uint32_t)extra;
	}
	return v->err;
}
