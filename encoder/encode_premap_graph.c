// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode_premap_graph.c - a unit's record against a g type, their whole
 * graphs walked side by side the way the deduplication's equivalence
 * check walks a candidate's and a canonical type's (see encode_premap.c
 * and btf/dedup_equiv.c).
 */
#include <errno.h>
#include <string.h>

#include "encode_premap_priv.h"
#include "grow.h"

/* References of record t against g type gt's. */
bool premap_refs_same(struct premap *pm, const struct dwt_type *t, const struct btf_type *gt,
		      int depth)
{
	const struct dwt_item *it = dwt_cu_items(pm->cu, t);
	uint32_t i;

	switch (btf_type_kind(gt)) {
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
		return premap_same(pm, t->type, gt->type, depth);
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_type_data(gt);

		return premap_same(pm, pm->int_ref, a->index_type, depth) &&
		       premap_same(pm, t->type, a->type, depth);
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *gm = btf_type_data(gt);

		for (i = 0; i < t->nitems; i++)
			if (!premap_same(pm, it[i].type, gm[i].type, depth))
				return false;
		return true;
	}
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *gp = btf_type_data(gt);

		if (!premap_same(pm, t->type, gt->type, depth))
			return false;
		for (i = 0; i < t->nitems; i++)
			if (!premap_same(pm, it[i].type, gp[i].type, depth))
				return false;
		return true;
	}
	default:
		return true;
	}
}

/* Pairs g type g with record idx for the check under way, as the
 * deduplication's hypot[] does; the record's first pairing is what a
 * successful check makes permanent. Returns: 0, -ENOMEM. */
static int pair(struct premap *pm, uint32_t g, uint32_t idx)
{
	if (grow_array((void **)&pm->canon_list, &pm->canon_list_cap, sizeof(*pm->canon_list),
		       pm->canon_len + 1) ||
	    grow_array((void **)&pm->hyp_list, &pm->hyp_cap, sizeof(*pm->hyp_list),
		       pm->hyp_len + 1)) {
		pm->err = -ENOMEM;
		return -ENOMEM;
	}
	pm->canon_list[pm->canon_len++] = g;
	pm->canon[g] = idx + 1;
	if (pm->hyp[idx] == PM_UNKNOWN) {
		pm->hyp_list[pm->hyp_len++] = idx;
		pm->hyp[idx] = g;
	}
	return 0;
}

/*
 * Ends a check: forgets its pairings, or with keep makes permanent those
 * the deduplication's merge of a successful check does (libbpf's): a
 * struct or union not decided yet takes its first pairing, a declaration
 * the definition it was paired with.
 */
void premap_pairs_end(struct premap *pm, bool keep)
{
	size_t i;

	for (i = 0; i < pm->hyp_len; i++) {
		uint32_t idx = pm->hyp_list[i], g = pm->hyp[idx];
		const struct dwt_type *t = dwt_cu_type(pm->cu, idx);
		uint32_t gk = btf_type_kind(btf_builder_type(pm->g, g));

		if (keep && (t->kind == DWT_STRUCT || t->kind == DWT_UNION) &&
		    (pm->gid[idx] == PM_UNKNOWN || pm->gid[idx] == PM_BUSY) &&
		    (gk == BTF_KIND_STRUCT || gk == BTF_KIND_UNION))
			pm->gid[idx] = g;
		pm->hyp[idx] = PM_UNKNOWN;
	}
	for (i = 0; i < pm->canon_len; i++)
		pm->canon[pm->canon_list[i]] = 0;
	pm->hyp_len = 0;
	pm->canon_len = 0;
}

/*
 * A declaration in the unit against a definition in g, or a definition
 * against a declaration: the deduplication takes them as equivalent when
 * the names agree and both are structs or both unions (and a declaration
 * no g one matched resolves to the definition). A definition of the name
 * in the unit as well would pair with the same g type: the
 * one-record-per-g-type rule catches that.
 */
static bool fwd_pairs(struct premap *pm, const struct dwt_type *t, const struct btf_type *gt)
{
	uint32_t off, gk = btf_type_kind(gt);
	bool g_union = gk == BTF_KIND_FWD ? btf_type_kflag(gt) : gk == BTF_KIND_UNION;

	if (g_union != (t->kind == DWT_UNION))
		return false;
	return t->name && premap_name(pm, t, -1, &off) == 1 && off == gt->name_off;
}

/* A failure where the deduplication might not fail. Returns: false. */
static bool unsure(struct premap *pm)
{
	pm->unsure = true;
	return false;
}

/* The newest typedef in g named as typedef record t, or 0. */
static uint32_t first_typedef(struct premap *pm, const struct dwt_type *t)
{
	uint32_t *first = &pm->firsts[t - pm->recs];

	if (!*first)
		*first = premap_candidate(pm, t, BTF_KIND_TYPEDEF) + 1;
	return *first - 1;
}

/* Whether references a and b (records + 1) are copies of one type the
 * compiler wrote twice: equal records whose references are equal or such
 * copies again (the deduplication lets them pair with one g type). At
 * most depth levels and *budget records deep: past them, not copies. */
static bool copies(const struct premap *pm, uint32_t a, uint32_t b, int depth, uint32_t *budget)
{
	const struct dwt_type *ta, *tb;
	const struct dwt_item *ia, *ib;
	uint64_t n;
	uint32_t i;

	a = premap_alias_of(pm, a);
	b = premap_alias_of(pm, b);
	if (a == b)
		return a != PM_NONE;
	if (!a || !b || a == PM_NONE || b == PM_NONE || depth <= 0 || !*budget)
		return false;
	--*budget;
	ta = dwt_cu_type(pm->cu, a - 1);
	tb = dwt_cu_type(pm->cu, b - 1);
	/* Arrays are encoded with their dimensions folded into one. */
	if (ta->kind == DWT_ARRAY && tb->kind == DWT_ARRAY) {
		n = encode_array_count(pm->cu, ta);
		return !ta->ntags && !tb->ntags && n <= UINT32_MAX &&
		       n == encode_array_count(pm->cu, tb) &&
		       copies(pm, ta->type, tb->type, depth - 1, budget);
	}
	if (ta->kind != tb->kind || ta->flags != tb->flags || ta->encoding != tb->encoding ||
	    ta->size != tb->size || ta->bits != tb->bits || ta->nitems != tb->nitems ||
	    ta->ntags || tb->ntags || (!ta->name != !tb->name) ||
	    (ta->name && strcmp(ta->name, tb->name)) || !copies(pm, ta->type, tb->type, depth - 1, budget))
		return false;
	ia = dwt_cu_items(pm->cu, ta);
	ib = dwt_cu_items(pm->cu, tb);
	for (i = 0; i < ta->nitems; i++)
		if (ia[i].value != ib[i].value || ia[i].bit_size != ib[i].bit_size ||
		    ia[i].flags != ib[i].flags || (!ia[i].name != !ib[i].name) ||
		    (ia[i].name && strcmp(ia[i].name, ib[i].name)) ||
		    !copies(pm, ia[i].type, ib[i].type, depth - 1, budget))
			return false;
	return true;
}

/* Whether reference ref (a record + 1, 0 for void) is encoded as g type g,
 * pairing undecided records with g types on the way. */
bool premap_same(struct premap *pm, uint32_t ref, uint32_t g, int depth)
{
	const struct dwt_type *t;
	const struct btf_type *gt;
	uint32_t idx, kind, gk, d, off;

	ref = premap_alias_of(pm, ref);
	if (ref == PM_NONE)
		return unsure(pm);
	if (!ref || !g)
		return !ref && !g;
	idx = ref - 1;
	d = pm->gid[idx];
	if (d == g)
		return true;
	if (depth >= PM_MAX_DEPTH)
		return unsure(pm);
	/* What failed on its own fails again (more pairings only add
	 * constraints). */
	if (d == PM_NONE && (pm->failed[idx] & ~FAILED_UNSURE) == g) {
		pm->unsure |= !!(pm->failed[idx] & FAILED_UNSURE);
		return false;
	}
	/* Else compared as the deduplication compares a candidate that does
	 * not resolve to g: by its record, g paired with one record only
	 * (or copies of it). */
	if (pm->canon[g])
		return pm->canon[g] == ref ||
		       copies(pm, pm->canon[g], ref, PM_COPIES_DEPTH, &(uint32_t){ PM_COPIES_BUDGET }) ||
		       unsure(pm);
	if (pair(pm, g, idx))
		return unsure(pm);
	t = dwt_cu_type(pm->cu, idx);
	kind = premap_enc_kind(pm, t);
	gt = btf_builder_type(pm->g, g);
	gk = btf_type_kind(gt);
	if (!kind)
		return unsure(pm);
	if (kind == BTF_KIND_FWD && (gk == BTF_KIND_STRUCT || gk == BTF_KIND_UNION))
		return fwd_pairs(pm, t, gt) || unsure(pm);
	/* A definition against a declaration in g of its name: taken as
	 * equivalent. The batch deduplication refuses the first such pair it
	 * meets in a batch (it completes the declaration with the definition
	 * and goes on to its next candidate) and takes the later ones; the
	 * final deduplication merges what it kept apart. */
	if (gk == BTF_KIND_FWD && (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) &&
	    fwd_pairs(pm, t, gt))
		return true;
	if (premap_file_kind(kind) != premap_file_kind(gk))
		return false;
	/* Enums as the deduplication's check takes them: a declaration on
	 * either side stands for any enum of its name. */
	if (kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64) {
		if (t->nitems && btf_type_vlen(gt))
			return premap_enum_equal(pm, t, gt);
		return t->name && premap_name(pm, t, -1, &off) >= 0 && off == gt->name_off;
	}
	/* A struct or union pairs as in the deduplication's graph check,
	 * which then makes the pairing permanent; a typedef's is not, so it
	 * must be the one its own turn picks. */
	if (kind == BTF_KIND_TYPEDEF)
		return (first_typedef(pm, t) == g || unsure(pm)) && premap_refs_same(pm, t, gt, depth + 1);
	if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION ? !premap_struct_shallow(pm, t, gt)
							      : !premap_equal_fields(pm, t, kind, gt))
		return false;
	return premap_refs_same(pm, t, gt, depth + 1);
}
