// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_ref.c - pass 5 of dedup: reference types (PTR, the qualifiers,
 * TYPE_TAG, FUNC, DECL_TAG, ARRAY, FUNC_PROTO) merged bottom-up. Each type's
 * references are made canonical first (rewriting them in the working copy),
 * then the type itself is looked up by exact equality.
 */
#include <errno.h>

#include "dedup_priv.h"

static int ref_dedup(struct dedup *d, uint32_t id, int depth);

/* Canonicalizes one reference field in place. Returns: 0 or -errno. */
static int ref_field(struct dedup *d, uint32_t *field, int depth)
{
	int r = ref_dedup(d, *field, depth + 1);

	if (r < 0)
		return r;
	*field = (uint32_t)r;
	return 0;
}

static int ref_fields(struct dedup *d, struct btf_type *t, int depth)
{
	struct btf_array *a;
	struct btf_param *p;
	uint32_t i;
	int err;

	switch (btf_type_kind(t)) {
	case BTF_KIND_ARRAY:
		a = btf_type_data(t);
		err = ref_field(d, &a->type, depth);
		return err ? err : ref_field(d, &a->index_type, depth);
	case BTF_KIND_FUNC_PROTO:
		err = ref_field(d, &t->type, depth);
		p = btf_type_data(t);
		for (i = 0; !err && i < btf_type_vlen(t); i++)
			err = ref_field(d, &p[i].type, depth);
		return err;
	default:
		return ref_field(d, &t->type, depth);
	}
}

static bool ref_equal(const struct btf_type *a, const struct btf_type *b)
{
	switch (btf_type_kind(a)) {
	case BTF_KIND_DECL_TAG:
		return dd_equal_int_tag(a, b);
	case BTF_KIND_ARRAY:
		return dd_equal_array(a, b);
	case BTF_KIND_FUNC_PROTO:
		return dd_equal_fnproto(a, b);
	default:
		return dd_equal_common(a, b);
	}
}

/* Returns: the canonical id of id, or -ELOOP for a reference cycle without a
 * struct on it, -ENOMEM. */
static int ref_dedup(struct dedup *d, uint32_t id, int depth)
{
	struct btf_type *t;
	uint32_t h, node, new_id = id;
	int err;

	if (dd_map(d, id) == DD_IN_PROGRESS || depth > DD_MAX_DEPTH) {
		btf_log("btf: dedup: type [%u] is on a reference loop or a chain too deep", id);
		return -ELOOP;
	}
	if (DD_IS_MAPPED(dd_map(d, id)))
		return (int)dd_resolve(d, id);
	t = dd_type(d, id);
	if (!dd_kind_is_ref(btf_type_kind(t))) {
		btf_log("btf: dedup: type [%u] was left unprocessed", id);
		return -EINVAL;
	}
	dd_map_set(d, id, DD_IN_PROGRESS);
	err = ref_fields(d, t, depth);
	if (err)
		return err;
	h = dd_hash(t);
	for (node = dd_table_first(&d->table, h); node; node = dd_table_next(&d->table, node, h)) {
		uint32_t cand = dd_table_id(&d->table, node);

		if (ref_equal(t, dd_type(d, cand))) {
			new_id = cand;
			break;
		}
	}
	dd_map_set(d, id, new_id);
	if (new_id == id) {
		err = dd_table_add(&d->table, h, id);
		if (err)
			return err;
	}
	return (int)new_id;
}

int dd_ref_pass(struct dedup *d)
{
	uint32_t id;
	int r;

	for (id = d->start_id; id < d->total; id++) {
		if (!dd_kind_is_ref(btf_type_kind(dd_type(d, id))))
			continue;
		r = ref_dedup(d, id, 0);
		if (r < 0)
			return r;
	}
	return 0;
}
