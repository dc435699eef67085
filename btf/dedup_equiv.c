// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_equiv.c - pass 3 of dedup: STRUCT, UNION and TYPEDEF merged by
 * graph equivalence (see dedup.c for the whole algorithm).
 *
 * A candidate type's graph is walked side by side with a canonical type's.
 * hypot[] records which candidate each canonical id was paired with; a
 * canonical id paired twice with different candidates breaks equivalence,
 * unless the two candidates are identical copies a compiler emitted twice.
 */
#include <errno.h>
#include <stdlib.h>

#include "dedup_priv.h"
#include "grow.h"

static void hypot_clear(struct dedup *d)
{
	size_t i;

	for (i = 0; i < d->hypot_len; i++)
		dd_hypot_set(d, d->hypot_list[i], DD_UNPROCESSED);
	d->hypot_len = 0;
	d->hypot_adjust_canon = false;
}

static int hypot_add(struct dedup *d, uint32_t canon, uint32_t cand)
{
	int err = grow_array((void **)&d->hypot_list, &d->hypot_cap, sizeof(uint32_t),
			     d->hypot_len + 1);

	if (err)
		return err;
	d->hypot_list[d->hypot_len++] = canon;
	dd_hypot_set(d, canon, cand);
	return 0;
}

/* For a FWD resolved to a struct/union, that type; else id. */
static uint32_t resolve_fwd(const struct dedup *d, uint32_t id)
{
	uint32_t r = dd_resolve(d, id);

	if (btf_type_kind(dd_type(d, id)) == BTF_KIND_FWD && r != id &&
	    btf_type_kind(dd_type(d, r)) != BTF_KIND_FWD)
		return r;
	return id;
}

/* Identical records but for references to other identical copies: what a
 * compiler emitting one type twice in a unit leaves. */
static bool identical(const struct dedup *d, uint32_t a, uint32_t b, int depth)
{
	const struct btf_type *ta, *tb;
	const struct btf_member *ma, *mb;
	const struct btf_param *pa, *pb;
	const struct btf_array *aa, *ab;
	uint32_t i;

	if (a == b)
		return true;
	if (depth <= 0 || !a || !b)
		return false;
	ta = dd_type(d, a);
	tb = dd_type(d, b);
	if (btf_type_kind(ta) != btf_type_kind(tb))
		return false;
	switch (btf_type_kind(ta)) {
	case BTF_KIND_INT:
		return dd_equal_int_tag(ta, tb);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return dd_compat_enum(ta, tb);
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT:
		return dd_equal_common(ta, tb);
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FUNC:
	case BTF_KIND_TYPE_TAG:
		return ta->name_off == tb->name_off && ta->info == tb->info &&
		       identical(d, ta->type, tb->type, depth - 1);
	case BTF_KIND_ARRAY:
		aa = btf_type_data(ta);
		ab = btf_type_data(tb);
		return dd_compat_array(ta, tb) && identical(d, aa->index_type, ab->index_type, depth - 1) &&
		       identical(d, aa->type, ab->type, depth - 1);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (!dd_shallow_equal_struct(ta, tb))
			return false;
		ma = btf_type_data(ta);
		mb = btf_type_data(tb);
		for (i = 0; i < btf_type_vlen(ta); i++)
			if (!identical(d, ma[i].type, mb[i].type, depth - 1))
				return false;
		return true;
	case BTF_KIND_FUNC_PROTO:
		if (!dd_compat_fnproto(ta, tb) || !identical(d, ta->type, tb->type, depth - 1))
			return false;
		pa = btf_type_data(ta);
		pb = btf_type_data(tb);
		for (i = 0; i < btf_type_vlen(ta); i++)
			if (!identical(d, pa[i].type, pb[i].type, depth - 1))
				return false;
		return true;
	default:
		return false;
	}
}

static int equiv(struct dedup *d, uint32_t cand, uint32_t canon, int depth);

/* A FWD on one side: equivalent when it declares the other side's kind. */
static int equiv_fwd(struct dedup *d, const struct btf_type *ct, const struct btf_type *nt,
		     uint32_t canon)
{
	uint32_t real_kind, fwd_kind;

	if (btf_type_kind(ct) == BTF_KIND_FWD) {
		real_kind = btf_type_kind(nt);
		fwd_kind = btf_type_kflag(ct) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
	} else {
		real_kind = btf_type_kind(ct);
		fwd_kind = btf_type_kflag(nt) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
		/* A base FWD would have to resolve to this split type: refused. */
		if (fwd_kind == real_kind && canon < d->start_id)
			d->hypot_adjust_canon = true;
	}
	return fwd_kind == real_kind;
}

static int equiv_members(struct dedup *d, const struct btf_type *ct, const struct btf_type *nt,
			 int depth)
{
	const struct btf_member *cm = btf_type_data(ct), *nm = btf_type_data(nt);
	uint32_t i;
	int eq;

	if (!dd_shallow_equal_struct(ct, nt))
		return 0;
	for (i = 0; i < btf_type_vlen(ct); i++) {
		eq = equiv(d, cm[i].type, nm[i].type, depth + 1);
		if (eq <= 0)
			return eq;
	}
	return 1;
}

static int equiv_proto(struct dedup *d, const struct btf_type *ct, const struct btf_type *nt,
		       int depth)
{
	const struct btf_param *cp = btf_type_data(ct), *np = btf_type_data(nt);
	uint32_t i;
	int eq;

	if (!dd_compat_fnproto(ct, nt))
		return 0;
	eq = equiv(d, ct->type, nt->type, depth + 1);
	for (i = 0; eq > 0 && i < btf_type_vlen(ct); i++)
		eq = equiv(d, cp[i].type, np[i].type, depth + 1);
	return eq;
}

/*
 * Whether the graph from candidate cand matches the graph from canonical
 * canon. Returns: 1 equivalent, 0 not, -errno.
 */
static int equiv(struct dedup *d, uint32_t cand, uint32_t canon, int depth)
{
	const struct btf_type *ct, *nt;
	uint32_t seen;
	int eq;

	if (dd_resolve(d, cand) == dd_resolve(d, canon))
		return 1;
	if (depth > DD_MAX_DEPTH || !cand || !canon)
		return 0;
	canon = resolve_fwd(d, canon);
	seen = dd_hypot(d, canon);
	if (DD_IS_MAPPED(seen))
		return seen == cand || identical(d, seen, cand, DD_IDENTICAL_DEPTH);
	eq = hypot_add(d, canon, cand);
	if (eq)
		return eq;
	ct = dd_type(d, cand);
	nt = dd_type(d, canon);
	if (ct->name_off != nt->name_off)
		return 0;
	if ((btf_type_kind(ct) == BTF_KIND_FWD) != (btf_type_kind(nt) == BTF_KIND_FWD))
		return equiv_fwd(d, ct, nt, canon);
	if (btf_type_kind(ct) != btf_type_kind(nt))
		return 0;
	switch (btf_type_kind(ct)) {
	case BTF_KIND_INT:
		return dd_equal_int_tag(ct, nt);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return dd_compat_enum(ct, nt);
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT:
		return dd_equal_common(ct, nt);
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FUNC:
	case BTF_KIND_TYPE_TAG:
		if (ct->info != nt->info)
			return 0;
		return equiv(d, ct->type, nt->type, depth + 1);
	case BTF_KIND_ARRAY: {
		const struct btf_array *ca = btf_type_data(ct), *na = btf_type_data(nt);

		if (!dd_compat_array(ct, nt))
			return 0;
		eq = equiv(d, ca->index_type, na->index_type, depth + 1);
		return eq <= 0 ? eq : equiv(d, ca->type, na->type, depth + 1);
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return equiv_members(d, ct, nt, depth);
	case BTF_KIND_FUNC_PROTO:
		return equiv_proto(d, ct, nt, depth);
	default:
		/* VAR, DATASEC and DECL_TAG are never reached from a type graph. */
		return 0;
	}
}

/* Makes the pairings of a successful check permanent (libbpf's merge). */
static void hypot_merge(struct dedup *d)
{
	size_t i;

	for (i = 0; i < d->hypot_len; i++) {
		uint32_t canon = d->hypot_list[i];
		uint32_t c = dd_resolve(d, canon), t = dd_resolve(d, dd_hypot(d, canon));
		uint32_t ck = btf_type_kind(dd_type(d, c)), tk = btf_type_kind(dd_type(d, t));

		if (!c || !t)
			continue;
		/* A canonical FWD now has a definition (also a base FWD). */
		if (tk != BTF_KIND_FWD && ck == BTF_KIND_FWD)
			dd_map_set(d, c, t);
		if (d->hypot_adjust_canon)
			continue;
		if (tk == BTF_KIND_FWD && ck != BTF_KIND_FWD && t >= d->start_id)
			dd_map_set(d, t, c);
		/* A shortcut for later checks, safe because c is final. */
		if ((tk == BTF_KIND_STRUCT || tk == BTF_KIND_UNION) && ck != BTF_KIND_FWD &&
		    DD_IS_MAPPED(dd_map(d, c)) && !DD_IS_MAPPED(dd_map(d, t)))
			dd_map_set(d, t, c);
	}
}

static bool kind_in_pass(uint32_t kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_TYPEDEF;
}

/* Shallow agreement before a full check; keeps a FWD colliding on the hash
 * from becoming a candidate (a FWD <-> struct loop). */
static bool shallow_match(const struct btf_type *t, const struct btf_type *c)
{
	if (btf_type_kind(t) == BTF_KIND_TYPEDEF)
		return t->name_off == c->name_off && t->info == c->info;
	return dd_shallow_equal_struct(t, c);
}

static int struct_dedup_one(struct dedup *d, uint32_t id)
{
	const struct btf_type *t = dd_type(d, id);
	uint32_t h = dd_hash(t), node, new_id = id;
	int eq;

	for (node = dd_table_first(&d->table, h); node; node = dd_table_next(&d->table, node, h)) {
		uint32_t cand = dd_table_id(&d->table, node);

		if (!shallow_match(t, dd_type(d, cand)))
			continue;
		hypot_clear(d);
		eq = equiv(d, id, cand, 0);
		if (eq < 0)
			return eq;
		if (!eq)
			continue;
		hypot_merge(d);
		if (d->hypot_adjust_canon)
			continue;
		new_id = cand;
		break;
	}
	dd_map_set(d, id, new_id);
	return new_id == id ? dd_table_add(&d->table, h, id) : 0;
}

int dd_struct_pass(struct dedup *d)
{
	uint32_t id;
	int err;

	for (id = d->start_id; id < d->total; id++) {
		if (DD_IS_MAPPED(dd_map(d, id)) || !kind_in_pass(btf_type_kind(dd_type(d, id))))
			continue;
		err = struct_dedup_one(d, id);
		if (err)
			return err;
	}
	hypot_clear(d);
	return 0;
}
