// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_var.c - pass 6b of dedup, beyond libbpf: a DATASEC that repeats a
 * canonical one (same name, size, and entry by entry the same offset, size
 * and variable: name, linkage, canonical type) is the same section seen
 * twice, so it and its VARs map onto the canonical copies. A VAR only
 * merges together with its place in a section, so two distinct static
 * variables that share a name and type never do. DECL_TAGs on variables
 * that merged are merged again afterwards.
 */
#include <errno.h>

#include "dedup_priv.h"

static bool var_same(const struct dedup *d, uint32_t a, uint32_t b)
{
	const struct btf_type *ta, *tb;

	if (dd_resolve(d, a) == dd_resolve(d, b))
		return true;
	if (!a || !b) /* void is no variable */
		return false;
	ta = dd_type(d, a);
	tb = dd_type(d, b);
	return btf_type_kind(ta) == BTF_KIND_VAR && btf_type_kind(tb) == BTF_KIND_VAR &&
	       ta->name_off == tb->name_off && dd_resolve(d, ta->type) == dd_resolve(d, tb->type) &&
	       ((const struct btf_var *)btf_type_data(ta))->linkage ==
		       ((const struct btf_var *)btf_type_data(tb))->linkage;
}

static bool datasec_same(const struct dedup *d, const struct btf_type *a,
			 const struct btf_type *b)
{
	const struct btf_var_secinfo *va = btf_type_data(a), *vb = btf_type_data(b);
	uint32_t i;

	if (!dd_equal_common(a, b))
		return false;
	for (i = 0; i < btf_type_vlen(a); i++)
		if (va[i].offset != vb[i].offset || va[i].size != vb[i].size ||
		    !var_same(d, va[i].type, vb[i].type))
			return false;
	return true;
}

static void datasec_merge(struct dedup *d, uint32_t id, uint32_t canon)
{
	const struct btf_var_secinfo *v = btf_type_data(dd_type(d, id));
	const struct btf_var_secinfo *cv = btf_type_data(dd_type(d, canon));
	uint32_t i;

	for (i = 0; i < btf_type_vlen(dd_type(d, id)); i++) {
		uint32_t var = dd_resolve(d, v[i].type), cvar = dd_resolve(d, cv[i].type);

		if (var != cvar && var >= d->start_id)
			dd_map_set(d, var, cvar);
	}
	dd_map_set(d, id, canon);
}

/* Hashes on the common part only: DATASECs are few. */
/* One DATASEC: merged onto an equal one before it (own ones only), else
 * a candidate for those after. */
static int datasec_one(struct dedup *d, struct dd_table *t, uint32_t id)
{
	const struct btf_type *s = dd_type(d, id);
	uint32_t node, h = mix_common(s);

	for (node = dd_table_first(t, h); node && id >= d->start_id;
	     node = dd_table_next(t, node, h)) {
		uint32_t cand = dd_table_id(t, node);

		if (datasec_same(d, s, dd_type(d, cand))) {
			datasec_merge(d, id, cand);
			break;
		}
	}
	return dd_map(d, id) == id ? dd_table_add(t, h, id) : 0;
}

/* The base's DATASECs (pass 2 listed them), then the own ones. */
static int datasecs_pass(struct dedup *d, struct dd_table *t)
{
	uint32_t id;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < d->base_datasecs_len; i++)
		err = datasec_one(d, t, d->base_datasecs[i]);
	for (id = d->start_id; !err && id < d->total; id++)
		if (btf_type_kind(dd_type(d, id)) == BTF_KIND_DATASEC)
			err = datasec_one(d, t, id);
	return err;
}

/* DECL_TAGs whose target variable merged: the same tag again, merged. */
static int var_tags_pass(struct dedup *d, struct dd_table *t)
{
	uint32_t id, node, h;
	int err;

	for (id = d->start_id; id < d->total; id++) {
		struct btf_type *s = dd_type(d, id);

		if (btf_type_kind(s) != BTF_KIND_DECL_TAG || dd_map(d, id) != id || !s->type ||
		    btf_type_kind(dd_type(d, s->type)) != BTF_KIND_VAR)
			continue;
		s->type = dd_resolve(d, s->type);
		h = dd_hash(s);
		for (node = dd_table_first(t, h); node; node = dd_table_next(t, node, h)) {
			if (dd_equal_int_tag(s, dd_type(d, dd_table_id(t, node)))) {
				dd_map_set(d, id, dd_table_id(t, node));
				break;
			}
		}
		if (dd_map(d, id) == id) {
			err = dd_table_add(t, h, id);
			if (err)
				return err;
		}
	}
	return 0;
}

int dd_var_pass(struct dedup *d)
{
	struct dd_table t = { 0 };
	int err = dd_table_init(&t, 64);

	err = err ? err : datasecs_pass(d, &t);
	dd_table_release(&t);
	if (!err)
		err = dd_table_init(&t, 64);
	err = err ? err : var_tags_pass(d, &t);
	dd_table_release(&t);
	return err;
}
