// SPDX-License-Identifier: GPL-2.0-only
/*
 * verify_resolve.c - the kernel's resolve pass and its modifier-chain pass.
 *
 * Resolve (bpf(BPF_BTF_LOAD) only) walks the types in id order; each one
 * that needs resolving and is not yet starts a depth-first walk on a stack
 * of at most 32 types. Where a walk stops depends on how it started (its
 * mode): from a PTR it goes on through modifiers and PTRs only, from a
 * STRUCT, UNION or ARRAY through modifiers, arrays and structs only, and
 * from anything else into whatever needs resolving. A type met again while
 * still on the stack is a loop; one resolved before ends the path. So,
 * e.g., a PTR to a FUNC of a higher id fails (in PTR mode the FUNC is never
 * resolved, and an unresolved FUNC has no size), while a CONST to it loads.
 * Each resolved type keeps the id its size comes from and that size, which
 * later checks read: a modifier's sized target, an array's total size.
 * Struct members are checked against their resolved types as the walk
 * comes back (check_member / check_kflag_member). FUNC_PROTOs are checked
 * when the id loop reaches them. The error of a whole walk ("Loop
 * detected", the depth) is logged on the type that started it.
 */
#include <errno.h>
#include <stdlib.h>

#include "verify_priv.h"

#define PTR_SIZE 8u

static bool is_ptr(const struct btf_type *t)
{
	return btf_type_kind(t) == BTF_KIND_PTR;
}

static bool is_struct(const struct btf_type *t)
{
	return btf_type_kind(t) == BTF_KIND_STRUCT || btf_type_kind(t) == BTF_KIND_UNION;
}

static bool is_array(const struct btf_type *t)
{
	return btf_type_kind(t) == BTF_KIND_ARRAY;
}

static bool has_size(const struct btf_type *t)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_DATASEC:
	case BTF_KIND_FLOAT:
		return true;
	default:
		return false;
	}
}

/* Resolve state of an own id (base types and void are never resolved). */
static bool is_resolved(const struct verify *v, uint32_t id)
{
	return id >= v->start_id && id - v->start_id < v->nr &&
	       v->visit[id - v->start_id] == VISIT_DONE;
}

static bool is_sink(const struct verify *v, const struct btf_type *t)
{
	switch (v->mode) {
	case MODE_PTR:
		return !verify_is_modifier(t) && !is_ptr(t);
	case MODE_STRUCT_OR_ARRAY:
		return !verify_is_modifier(t) && !is_array(t) && !is_struct(t);
	default:
		return !verify_needs_resolve(t);
	}
}

static uint32_t res_id(const struct verify *v, uint32_t id)
{
	return id >= v->start_id && id - v->start_id < v->nr ? v->resolved_id[id - v->start_id] : 0;
}

static uint32_t res_size(const struct verify *v, uint32_t id)
{
	return id >= v->start_id && id - v->start_id < v->nr ? v->resolved_size[id - v->start_id]
							      : 0;
}

/* The kernel's btf_type_id_size(): the sized type *id stands for (one
 * resolved hop through a modifier or VAR), or NULL. */
static const struct btf_type *id_size(const struct verify *v, uint32_t *id, uint32_t *size)
{
	uint32_t sid = *id, sz;
	const struct btf_type *t = verify_type(v, sid);
	int hop;

	for (hop = 0; hop < 2; hop++) {
		if (!t || verify_nosize(t))
			return NULL;
		if (has_size(t))
			sz = t->size;
		else if (is_array(t))
			sz = res_size(v, sid);
		else if (is_ptr(t))
			sz = PTR_SIZE;
		else if (hop || (!verify_is_modifier(t) && btf_type_kind(t) != BTF_KIND_VAR))
			return NULL;
		else {
			sid = res_id(v, sid);
			t = verify_type(v, sid);
			continue;
		}
		*id = sid;
		if (size)
			*size = sz;
		return t;
	}
	return NULL;
}

static int push(struct verify *v, uint32_t id)
{
	const struct btf_type *t = verify_type(v, id);
	uint32_t i = id - v->start_id;

	if (v->top == VERIFY_RESOLVE_DEPTH)
		return -E2BIG;
	if (v->visit[i] != VISIT_NONE)
		return -EEXIST;
	v->visit[i] = VISIT_BUSY;
	v->stack[v->top++] = (struct verify_vertex){ .id = id };
	if (v->mode == MODE_TBD) {
		if (is_ptr(t))
			v->mode = MODE_PTR;
		else if (is_struct(t) || is_array(t))
			v->mode = MODE_STRUCT_OR_ARRAY;
	}
	return 0;
}

static int pop_resolved(struct verify *v, uint32_t rid, uint32_t size)
{
	uint32_t i = v->stack[--v->top].id - v->start_id;

	v->visit[i] = VISIT_DONE;
	v->resolved_id[i] = rid;
	v->resolved_size[i] = size;
	return 0;
}

/* Whether next (of id) must be walked first. */
static bool must_push(const struct verify *v, const struct btf_type *next, uint32_t id)
{
	return !is_sink(v, next) && !is_resolved(v, id);
}

/* A modifier or PTR to a type without a size: fine if that is void, a FWD
 * or a FUNC_PROTO, seen through one resolved hop. */
static bool sizeless_ok(const struct verify *v, uint32_t id)
{
	const struct btf_type *t = verify_type(v, id);

	if (is_resolved(v, id))
		t = verify_type(v, res_id(v, id));
	if (!t)
		return false;
	return btf_type_kind(t) == BTF_KIND_UNKN || btf_type_kind(t) == BTF_KIND_FWD ||
	       btf_type_kind(t) == BTF_KIND_FUNC_PROTO;
}

/* A modifier resolved inside a struct walk may point at a PTR that was a
 * sink there: a PTR or VAR walk resolves that PTR first. Returns: 1 if it
 * pushed, 0, or the push's error. */
static int repush_ptr(struct verify *v, const struct btf_type *next, uint32_t next_id)
{
	uint32_t rid;
	const struct btf_type *r;

	if (!verify_is_modifier(next))
		return 0;
	rid = res_id(v, next_id);
	r = verify_type(v, rid);
	if (r && is_ptr(r) && !is_sink(v, r) && !is_resolved(v, rid)) {
		int err = push(v, rid);

		return err ? err : 1;
	}
	return 0;
}

/* Modifiers, PTR (with_repush) and VAR (var). */
static int resolve_ref(struct verify *v, const struct btf_type *t, bool with_repush, bool var)
{
	uint32_t next_id = t->type, sid;
	const struct btf_type *next = verify_type(v, next_id);
	int r;

	if (!next || verify_is_source_only(next))
		return verify_type_fail(v, t, "Invalid type_id");
	if (must_push(v, next, next_id))
		return push(v, next_id);
	if (with_repush) {
		r = repush_ptr(v, next, next_id);
		if (r)
			return r < 0 ? r : 0;
	}
	sid = next_id;
	if (id_size(v, &sid, NULL))
		return pop_resolved(v, sid, 0);
	if (var || !sizeless_ok(v, next_id))
		return verify_type_fail(v, t, "Invalid type_id");
	return pop_resolved(v, is_resolved(v, next_id) ? res_id(v, next_id) : next_id, 0);
}

static int resolve_array(struct verify *v, const struct btf_type *t)
{
	const struct btf_array *a = btf_type_data(t);
	uint32_t index_id = a->index_type, elem_id = a->type, size = 0;
	const struct btf_type *x = verify_type(v, index_id);

	if (!x || verify_nosize(x) || verify_is_source_only(x))
		return verify_type_fail(v, t, "Invalid index");
	if (must_push(v, x, index_id))
		return push(v, index_id);
	x = id_size(v, &index_id, NULL);
	if (!x || btf_type_kind(x) != BTF_KIND_INT || !verify_int_regular(x))
		return verify_type_fail(v, t, "Invalid index");
	x = verify_type(v, elem_id);
	if (!x || verify_nosize(x) || verify_is_source_only(x))
		return verify_type_fail(v, t, "Invalid elem");
	if (must_push(v, x, elem_id))
		return push(v, elem_id);
	x = id_size(v, &elem_id, &size);
	if (!x)
		return verify_type_fail(v, t, "Invalid elem");
	if (btf_type_kind(x) == BTF_KIND_INT && !verify_int_regular(x))
		return verify_type_fail(v, t, "Invalid array of int");
	if (a->nelems && size > UINT32_MAX / a->nelems)
		return verify_type_fail(v, t, "Array size overflows U32_MAX");
	return pop_resolved(v, elem_id, size * a->nelems);
}

/* ---- Member checks (check_member, check_kflag_member) ---- */

static int member_bytes(struct verify *v, const struct btf_type *s, const struct btf_member *m,
			uint32_t off, uint32_t size)
{
	if (off % 8)
		return verify_member_fail(v, s, m, "Member is not byte aligned");
	if (s->size - off / 8 < size)
		return verify_member_fail(v, s, m, "Member exceeds struct_size");
	return 0;
}

static int check_int(struct verify *v, const struct btf_type *s, const struct btf_member *m,
		     const struct btf_type *mt)
{
	uint32_t d = btf_int_data(mt), off = m->offset, copy;

	if (UINT32_MAX - off < BTF_INT_OFFSET(d))
		return verify_member_fail(v, s, m, "bits_offset exceeds U32_MAX");
	off += BTF_INT_OFFSET(d);
	copy = BTF_INT_BITS(d) + off % 8;
	if (copy > 128)
		return verify_member_fail(v, s, m, "nr_copy_bits exceeds 128");
	if (s->size < off / 8 || s->size - off / 8 < (copy + 7) / 8)
		return verify_member_fail(v, s, m, "Member exceeds struct_size");
	return 0;
}

static int check_int_kflag(struct verify *v, const struct btf_type *s, const struct btf_member *m,
			   const struct btf_type *mt)
{
	uint32_t bits = BTF_MEMBER_BITFIELD_SIZE(m->offset), off = BTF_MEMBER_BIT_OFFSET(m->offset);
	uint32_t int_bits = BTF_INT_BITS(btf_int_data(mt)), copy;

	if (!verify_int_regular(mt))
		return verify_member_fail(v, s, m, "Invalid member base type");
	if (!bits) {
		if (off % 8)
			return verify_member_fail(v, s, m, "Invalid member offset");
		bits = int_bits;
	} else if (bits > int_bits) {
		return verify_member_fail(v, s, m, "Invalid member bitfield_size");
	}
	copy = bits + off % 8;
	if (copy > 128)
		return verify_member_fail(v, s, m, "nr_copy_bits exceeds 128");
	if (s->size < off / 8 || s->size - off / 8 < (copy + 7) / 8)
		return verify_member_fail(v, s, m, "Member exceeds struct_size");
	return 0;
}

static int check_enum_kflag(struct verify *v, const struct btf_type *s, const struct btf_member *m)
{
	uint32_t bits = BTF_MEMBER_BITFIELD_SIZE(m->offset), off = BTF_MEMBER_BIT_OFFSET(m->offset);

	if (!bits) {
		if (off % 8)
			return verify_member_fail(v, s, m, "Member is not byte aligned");
		bits = 32;
	} else if (bits > 32) {
		return verify_member_fail(v, s, m, "Invalid member bitfield_size");
	}
	if (s->size < ((uint64_t)off + bits + 7) / 8)
		return verify_member_fail(v, s, m, "Member exceeds struct_size");
	return 0;
}

static int check_float(struct verify *v, const struct btf_type *s, const struct btf_member *m,
		       const struct btf_type *mt)
{
	uint32_t align = mt->size < PTR_SIZE ? mt->size : PTR_SIZE;

	if (m->offset % (align * 8))
		return verify_member_fail(v, s, m, "Member is not properly aligned");
	if ((uint64_t)m->offset / 8 + mt->size > s->size)
		return verify_member_fail(v, s, m, "Member exceeds struct_size");
	return 0;
}

/* check_member of the member's type, or check_kflag_member in a kind_flag
 * struct; m->type is mt's id (after a modifier, the resolved one). */
static int check_member(struct verify *v, const struct btf_type *s, const struct btf_member *m,
			const struct btf_type *mt, bool kflag)
{
	struct btf_member r = *m;
	uint32_t kind = btf_type_kind(mt);

	if (verify_is_modifier(mt)) {
		mt = id_size(v, &r.type, NULL);
		if (!mt)
			return verify_member_fail(v, s, m, "Invalid member");
		return check_member(v, s, &r, mt, kflag);
	}
	if (kflag && kind == BTF_KIND_INT)
		return check_int_kflag(v, s, m, mt);
	if (kflag && (kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64))
		return check_enum_kflag(v, s, m);
	if (kflag) {
		if (BTF_MEMBER_BITFIELD_SIZE(m->offset))
			return verify_member_fail(v, s, m, "Invalid member bitfield_size");
		r.offset = BTF_MEMBER_BIT_OFFSET(m->offset);
		m = &r;
	}
	switch (kind) {
	case BTF_KIND_INT:
		return check_int(v, s, m, mt);
	case BTF_KIND_PTR:
		return member_bytes(v, s, m, m->offset, PTR_SIZE);
	case BTF_KIND_ARRAY:
		return member_bytes(v, s, m, m->offset, res_size(v, m->type));
	case BTF_KIND_FLOAT:
		return check_float(v, s, m, mt);
	default:
		/* STRUCT, UNION, ENUM, ENUM64: others are "Invalid member" before. */
		return member_bytes(v, s, m, m->offset, mt->size);
	}
}

static int resolve_struct(struct verify *v, const struct btf_type *t, struct verify_vertex *vx)
{
	const struct btf_member *m = btf_type_data(t);
	uint32_t n = btf_type_vlen(t), i = vx->next_member;
	const struct btf_type *mt;
	int err;

	if (i) {
		mt = verify_type(v, m[i - 1].type);
		err = check_member(v, t, &m[i - 1], mt, btf_type_kflag(t));
		if (err)
			return err;
	}
	for (; i < n; i++) {
		mt = verify_type(v, m[i].type);
		if (!mt || verify_nosize(mt) || verify_is_source_only(mt))
			return verify_member_fail(v, t, &m[i], "Invalid member");
		if (must_push(v, mt, m[i].type)) {
			vx->next_member = i + 1;
			return push(v, m[i].type);
		}
		err = check_member(v, t, &m[i], mt, btf_type_kflag(t));
		if (err)
			return err;
	}
	return pop_resolved(v, 0, 0);
}

static int resolve_datasec(struct verify *v, const struct btf_type *t, struct verify_vertex *vx)
{
	const struct btf_var_secinfo *s = btf_type_data(t);
	uint32_t n = btf_type_vlen(t), i, id, size = 0;
	const struct btf_type *var;

	v->mode = MODE_TBD;
	for (i = vx->next_member; i < n; i++) {
		var = verify_type(v, s[i].type);
		if (!var || btf_type_kind(var) != BTF_KIND_VAR)
			return verify_vsi_fail(v, t, &s[i], "Not a VAR kind member");
		if (must_push(v, var, s[i].type)) {
			vx->next_member = i + 1;
			return push(v, s[i].type);
		}
		id = var->type;
		if (!id_size(v, &id, &size))
			return verify_vsi_fail(v, t, &s[i], "Invalid type");
		if (s[i].size < size)
			return verify_vsi_fail(v, t, &s[i], "Invalid size");
	}
	return pop_resolved(v, 0, 0);
}

static int resolve_func(struct verify *v, const struct btf_type *t)
{
	const struct btf_type *proto = verify_type(v, t->type);
	const struct btf_param *p;
	uint32_t i;

	if (!proto || btf_type_kind(proto) != BTF_KIND_FUNC_PROTO)
		return verify_type_fail(v, t, "Invalid type_id");
	p = btf_type_data(proto);
	for (i = 0; i < btf_type_vlen(proto); i++)
		if (!p[i].name_off && p[i].type)
			return verify_type_fail(v, t, "Invalid arg#%u", i + 1);
	return pop_resolved(v, t->type, 0);
}

static int resolve_decl_tag(struct verify *v, const struct btf_type *t)
{
	int32_t idx = ((const struct btf_decl_tag *)btf_type_data(t))->component_idx;
	const struct btf_type *next = verify_type(v, t->type);
	uint32_t kind = next ? btf_type_kind(next) : 0, vlen;

	if (!next || (kind != BTF_KIND_FUNC && !is_struct(next) && kind != BTF_KIND_VAR &&
		      kind != BTF_KIND_TYPEDEF))
		return verify_type_fail(v, t, "Invalid type_id");
	if (must_push(v, next, t->type))
		return push(v, t->type);
	if (idx != -1) {
		if (kind == BTF_KIND_VAR || kind == BTF_KIND_TYPEDEF)
			return verify_type_fail(v, t, "Invalid component_idx");
		if (!is_struct(next)) {
			next = verify_type(v, next->type);
			/* A FUNC's proto exists: the FUNC resolved above. */
		}
		vlen = next ? btf_type_vlen(next) : 0;
		if ((uint32_t)idx >= vlen)
			return verify_type_fail(v, t, "Invalid component_idx");
	}
	return pop_resolved(v, t->type, 0);
}

static int resolve_top(struct verify *v, struct verify_vertex *vx)
{
	const struct btf_type *t = verify_type(v, vx->id);

	v->log_id = vx->id;
	switch (btf_type_kind(t)) {
	case BTF_KIND_PTR:
		return resolve_ref(v, t, true, false);
	case BTF_KIND_VAR:
		return resolve_ref(v, t, true, true);
	case BTF_KIND_ARRAY:
		return resolve_array(v, t);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return resolve_struct(v, t, vx);
	case BTF_KIND_DATASEC:
		return resolve_datasec(v, t, vx);
	case BTF_KIND_FUNC:
		return resolve_func(v, t);
	case BTF_KIND_DECL_TAG:
		return resolve_decl_tag(v, t);
	default:
		return resolve_ref(v, t, false, false);
	}
}

/* One walk from id; errors of the walk itself are logged on id. */
static int resolve(struct verify *v, uint32_t id)
{
	uint32_t saved = v->log_id;
	int err;

	v->mode = MODE_TBD;
	v->top = 0;
	err = push(v, id);
	while (!err && v->top)
		err = resolve_top(v, &v->stack[v->top - 1]);
	v->log_id = id;
	if (err == -E2BIG)
		err = verify_type_fail(v, verify_type(v, id), "Exceeded max resolving depth:%u",
				       VERIFY_RESOLVE_DEPTH);
	else if (err == -EEXIST)
		err = verify_type_fail(v, verify_type(v, id), "Loop detected");
	v->log_id = saved;
	return err;
}

static int check_proto(struct verify *v, const struct btf_type *t)
{
	const struct btf_param *p = btf_type_data(t);
	uint32_t n = btf_type_vlen(t), i, id;
	const struct btf_type *x;
	int err;

	if (t->type) {
		id = t->type;
		x = verify_type(v, id);
		if (!x || verify_is_source_only(x))
			return verify_type_fail(v, t, "Invalid return type");
		if (verify_needs_resolve(x) && !is_resolved(v, id)) {
			err = resolve(v, id);
			if (err)
				return err;
		}
		if (!id_size(v, &id, NULL))
			return verify_type_fail(v, t, "Invalid return type");
	}
	if (!n)
		return 0;
	if (!p[n - 1].type) {
		if (p[n - 1].name_off)
			return verify_type_fail(v, t, "Invalid arg#%u", n);
		n--;
	}
	for (i = 0; i < n; i++) {
		id = p[i].type;
		x = verify_type(v, id);
		if (!x || verify_is_source_only(x))
			return verify_type_fail(v, t, "Invalid arg#%u", i + 1);
		if (p[i].name_off &&
		    (!verify_name_off_ok(v, p[i].name_off) || !verify_ident_ok(v, p[i].name_off)))
			return verify_type_fail(v, t, "Invalid arg#%u", i + 1);
		if (verify_needs_resolve(x) && !is_resolved(v, id)) {
			err = resolve(v, id);
			if (err)
				return err;
		}
		if (!id_size(v, &id, NULL))
			return verify_type_fail(v, t, "Invalid arg#%u", i + 1);
	}
	return 0;
}

int verify_resolve_all(struct verify *v)
{
	uint32_t i, id;
	int err = 0;

	for (i = 0; !err && i < v->nr; i++) {
		const struct btf_type *t = verify_type(v, id = v->start_id + i);

		v->log_id = id;
		if (verify_needs_resolve(t) && !is_resolved(v, id))
			err = resolve(v, id);
		if (!err && btf_type_kind(t) == BTF_KIND_FUNC_PROTO)
			err = check_proto(v, t);
	}
	return err == -EINVAL || err == -E2BIG || err == -EEXIST ? 0 : err;
}

/* Every modifier chain: TYPE_TAGs first, at most 32 modifiers. */
int verify_type_tags(struct verify *v)
{
	uint32_t i, cur, good = v->start_id - 1;
	const struct btf_type *t;
	int limit;
	bool in_tags;

	for (i = v->start_id; i < v->start_id + v->nr; i++) {
		t = verify_type(v, i);
		if (!verify_is_modifier(t))
			continue;
		limit = VERIFY_CHAIN_LIMIT;
		in_tags = btf_type_kind(t) == BTF_KIND_TYPE_TAG;
		cur = i;
		while (t && verify_is_modifier(t)) {
			if (!limit--)
				return verify_plain_fail(v, i, "Max chain length or cycle detected");
			if (btf_type_kind(t) == BTF_KIND_TYPE_TAG) {
				if (!in_tags)
					return verify_plain_fail(v, i,
								 "Type tags don't precede modifiers");
			} else {
				in_tags = false;
			}
			if (cur <= good)
				break;
			cur = t->type;
			t = verify_type(v, cur);
		}
		if (!t)
			return verify_plain_fail(v, i, "type [%u] does not exist", cur);
		good = i;
	}
	return 0;
}
