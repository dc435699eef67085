// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode_premap.c - a unit's type records matched against the object's
 * canonical types before they are encoded.
 *
 * A vmlinux's units repeat each header's types: 97% of what they would
 * encode is a copy of a type an earlier unit brought, which the batch
 * deduplication throws away after it was encoded, appended and compared.
 * Here each record of a unit is compared with the canonical types so far
 * (the object's builder, "g"), and a record the deduplication would merge
 * onto a g type takes that type's id and is not encoded at all. Only the
 * rest is encoded, into the batch, where the deduplication decides as
 * before. The rules are the deduplication's (btf/dedup.c), applied to the
 * records as encode_types.c would encode them, in its pass order:
 *
 *  1. primitives: an INT, FLOAT or FWD onto the g type equal to its
 *     encoding, an enum onto the newest equal one (a declaration onto the
 *     newest enum of its name). A FWD g has no copy of stays open.
 *  2. structs, unions, typedefs, in record order: candidates of the same
 *     shape (name, size, member names and offsets), newest first, as the
 *     deduplication tries them; the first whose graph check passes wins.
 *     The check walks the record's graph and the candidate's side by side,
 *     pairing each g type with one record (or copies of it); a pointer,
 *     array or prototype must equal its g side field for field, a
 *     declaration pairs with a definition of its name. On success, the
 *     structs and unions paired go with their g types, as the
 *     deduplication's merge of a passed check makes them.
 *  3. references (PTR, qualifiers, ARRAY, FUNC_PROTO), depth first: once
 *     what they refer to is matched, onto the g type equal to their
 *     encoding, found by an index of g keyed like the record.
 *
 * Where the deduplication might decide otherwise than these rules -- a
 * check failing on something it might accept (a pairing conflict, a
 * record premap does not handle: tags, arrays of a unit without its own
 * "int", a loop), a typedef not the first of its name -- the record is
 * left to it (encoded), and so is everything whose check needs it. A
 * check failing on what the deduplication refuses too (shapes, kinds,
 * fields that differ) goes on to the next candidate, as it does.
 *
 * Example: unit 2 of "struct list { struct list *next; }" after unit 1's
 * made g [1] STRUCT list { next [2] }, [2] PTR -> [1]. Records: 0 struct
 * list, 1 pointer to 0. Pass 2: candidate [1] has list's shape; the check
 * pairs [1] with 0, walks the member: [2] with 1 (a PTR, equal fields),
 * its target [1] is paired with 0 already: passed; 0 goes to [1]. Pass 3:
 * 1 refers to 0 = [1]; the PTR to [1] in g is [2]. Nothing is encoded.
 *
 * The vmlinux of Debian's 6.1 package: 3.18 of 3.33 million records
 * matched, the output byte for byte what encoding every record gives
 * (BTFENC_PREMAP=0), with batches of 64 units and of 1 and 7
 * (BTFENC_BATCH_UNITS); the suite compares the two on a 300-unit object
 * and a kernel build's vmlinux, and the encode fuzz target runs with a
 * batch per unit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "encode_premap_priv.h"
#include "grow.h"
int premap_g_new(struct btf_builder *g, struct premap_g **out)
{
	struct premap_g *pg = calloc(1, sizeof(*pg));

	if (!pg)
		return -ENOMEM;
	pg->g = g;
	pg->indexed = btf_builder_start_id(g);
	*out = pg;
	return 0;
}

void premap_g_free(struct premap_g *pg)
{
	if (!pg)
		return;
	free(pg->heads);
	free(pg->nodes);
	free(pg->reps);
	free(pg);
}

int premap_new(const struct premap_g *pg, struct premap **out)
{
	struct premap *pm = calloc(1, sizeof(*pm));

	if (!pm)
		return -ENOMEM;
	pm->pg = pg;
	pm->g = pg->g;
	*out = pm;
	return 0;
}

void premap_free(struct premap *pm)
{
	if (!pm)
		return;
	ptrmap_free(&pm->names);
	free(pm->gid);
	free(pm->item_names);
	free(pm->hyp_list);
	free(pm->canon);
	free(pm->canon_list);
	free(pm);
}

/* The index key of g type id: its kind and name, or for anonymous types
 * their references and shape. Returns: false for kinds not filed. */
static bool g_key(const struct btf_type *t, uint32_t *hash)
{
	uint32_t kind = btf_type_kind(t), h = premap_mix(0, premap_file_kind(kind)), i, n = btf_type_vlen(t);

	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
		*hash = premap_mix(h, t->name_off);
		return true;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_type_data(t);

		if (t->name_off) {
			*hash = premap_mix(h, t->name_off);
			return true;
		}
		h = premap_mix(premap_mix(h, t->size), n);
		for (i = 0; i < n; i++)
			h = premap_mix(premap_mix(h, m[i].name_off), m[i].offset);
		*hash = h;
		return true;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		/* Enumerators are 8 or 12 bytes: their first name only. */
		*hash = t->name_off ? premap_mix(h, t->name_off)
				    : premap_mix(premap_mix(premap_mix(h, t->size), n),
					  n ? ((const struct btf_enum *)btf_type_data(t))->name_off : 0);
		return true;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		*hash = premap_mix(h, t->type);
		return true;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_type_data(t);

		*hash = premap_mix(premap_mix(premap_mix(h, a->type), a->index_type), a->nelems);
		return true;
	}
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *p = btf_type_data(t);

		h = premap_mix(premap_mix(h, t->type), n);
		for (i = 0; i < n; i++)
			h = premap_mix(premap_mix(h, p[i].name_off), p[i].type);
		*hash = h;
		return true;
	}
	default:
		return false;
	}
}

static int index_put(struct premap_g *pg, uint32_t id, uint32_t hash)
{
	size_t i;
	int err;

	if ((pg->nodes_len + 1) * 2 > pg->mask + 1) {
		size_t n = pg->heads ? (pg->mask + 1) * 2 : 1 << 16;
		uint32_t *heads = calloc(n, sizeof(*heads));

		if (!heads)
			return -ENOMEM;
		free(pg->heads);
		pg->heads = heads;
		pg->mask = n - 1;
		/* Refiled oldest first, so chains stay newest first. */
		for (i = 0; i < pg->nodes_len; i++) {
			struct pm_node *nd = &pg->nodes[i];

			nd->next = heads[nd->hash & pg->mask];
			heads[nd->hash & pg->mask] = (uint32_t)i + 1;
		}
	}
	err = grow_array((void **)&pg->nodes, &pg->nodes_cap, sizeof(*pg->nodes),
			 pg->nodes_len + 1);
	if (err)
		return err;
	pg->nodes[pg->nodes_len] = (struct pm_node){ id, hash, pg->heads[hash & pg->mask] };
	pg->heads[hash & pg->mask] = (uint32_t)++pg->nodes_len;
	return 0;
}

int premap_g_index(struct premap_g *pg)
{
	uint32_t end = btf_builder_type_cnt(pg->g), hash;
	uint32_t strs = btf_builder_start_str_off(pg->g) + btf_builder_str_len(pg->g);
	int err;

	/* Its strings' index built now, not by the first of several threads
	 * to look a name up. */
	btf_builder_find_str(pg->g, "");
	err = grow_array((void **)&pg->reps, &pg->reps_len, sizeof(*pg->reps), strs);
	if (err)
		return err;
	pg->gen = (pg->gen + 1) & ~NAME_ABSENT;
	for (; pg->indexed < end; pg->indexed++) {
		if (!g_key(btf_builder_type(pg->g, pg->indexed), &hash))
			continue;
		err = index_put(pg, pg->indexed, hash);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A struct, union or typedef: the first candidate of its shape, newest
 * first, whose graph check passes, as the deduplication picks; a check
 * failing where the deduplication's might pass ends the search.
 */
static uint32_t resolve_by_shape(struct premap *pm, uint32_t idx, const struct dwt_type *t,
				 uint32_t kind, int depth)
{
	uint32_t hash, node, g, tried = 0;
	bool ok = false;

	pm->unsure = !premap_unit_key(pm, t, kind, &hash);
	for (g = pm->unsure ? 0 : premap_chain_first(pm, hash, &node); g && !ok && !pm->unsure;
	     g = premap_chain_next(pm, hash, &node)) {
		if (!premap_shape_agrees(pm, t, kind, g))
			continue;
		tried = g;
		ok = premap_same(pm, idx + 1, g, depth);
		premap_pairs_end(pm, ok);
		if (ok)
			break;
	}
	pm->gid[idx] = ok ? g : PM_NONE;
	if (!ok)
		pm->failed[idx] = tried | (pm->unsure ? FAILED_UNSURE : 0);
	return pm->gid[idx];
}

/* Decides record idx, and first the records its key needs. */
static uint32_t resolve(struct premap *pm, uint32_t idx, int depth)
{
	const struct dwt_type *t = dwt_cu_type(pm->cu, idx);
	uint32_t kind = premap_enc_kind(pm, t), g, i, r;
	const struct dwt_item *it;

	if (pm->gid[idx] != PM_UNKNOWN)
		return pm->gid[idx] == PM_BUSY ? PM_NONE : pm->gid[idx];
	if (!kind || depth >= PM_MAX_DEPTH)
		return pm->gid[idx] = PM_NONE;
	pm->gid[idx] = PM_BUSY;
	/* A reference is filed by what it refers to: decide that first. */
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_ARRAY:
	case BTF_KIND_FUNC_PROTO:
		it = dwt_cu_items(pm->cu, t);
		for (i = 0; i <= (kind == BTF_KIND_FUNC_PROTO ? t->nitems : 0); i++) {
			r = premap_alias_of(pm, i ? it[i - 1].type : t->type);
			if (r == PM_NONE || (r && resolve(pm, r - 1, depth + 1) == PM_NONE))
				return pm->gid[idx] = PM_NONE;
		}
		if (kind == BTF_KIND_ARRAY && resolve(pm, pm->int_ref - 1, depth + 1) == PM_NONE)
			return pm->gid[idx] = PM_NONE;
		break;
	default:
		break;
	}
	if (premap_by_shape(kind))
		return resolve_by_shape(pm, idx, t, kind, depth);
	g = premap_candidate(pm, t, kind);
	return pm->gid[idx] = g ? g : PM_NONE;
}

/* Per-record arrays for a unit of n records and its items, cleared.
 * Returns: 0, -ENOMEM. */
static int unit_scratch(struct premap *pm, const struct dwt_cu *cu, size_t n)
{
	size_t i, items = 0;
	uint32_t *block;

	if (grow_array((void **)&pm->canon, &pm->canon_cap, sizeof(*pm->canon), pm->pg->indexed))
		return -ENOMEM;
	if (n > pm->cap) {
		/* gid, hyp, failed, rec_names, firsts, alias, then kinds. */
		block = realloc(pm->gid, n * (6 * sizeof(uint32_t) + 1));
		if (!block)
			return -ENOMEM;
		pm->gid = block;
		pm->cap = n;
	}
	pm->hyp = pm->gid + n;
	pm->failed = pm->hyp + n;
	pm->rec_names = pm->failed + n;
	pm->firsts = pm->rec_names + n;
	pm->alias = pm->firsts + n;
	pm->kinds = (uint8_t *)(pm->alias + n);
	memset(pm->gid, 0xff, 2 * n * sizeof(uint32_t));
	memset(pm->failed, 0, 3 * n * sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		const struct dwt_type *t = dwt_cu_type(cu, (uint32_t)i);

		if (t->first + (size_t)t->nitems > items)
			items = t->first + (size_t)t->nitems;
	}
	if (grow_array((void **)&pm->item_names, &pm->item_names_cap, sizeof(*pm->item_names),
		       items))
		return -ENOMEM;
	if (items)
		memset(pm->item_names, 0, items * sizeof(*pm->item_names));
	return 0;
}

int premap_unit(struct premap *pm, const struct dwt_cu *cu, const struct encode_opts *o,
		const uint32_t **gids, size_t *matched)
{
	size_t i, n = dwt_cu_type_count(cu);
	int err;

	*gids = NULL;
	*matched = 0;
	if (!n)
		return 0;
	err = unit_scratch(pm, cu, n);
	if (err)
		return err;
	pm->recs = n ? dwt_cu_type(cu, 0) : NULL;
	pm->cu = cu;
	pm->o = o;
	pm->err = 0;
	pm->int_ref = encode_index_int(cu);
	for (i = 0; i < n; i++) {
		pm->kinds[i] = (uint8_t)premap_kind_of(pm, dwt_cu_type(cu, (uint32_t)i));
		pm->alias[i] = premap_alias_walk(pm, (uint32_t)i + 1);
	}
	/* In the deduplication's order: primitives, then structs, unions
	 * and typedefs by graph, then the references (a declaration g has no
	 * copy of stays open for the graphs to pair with a definition). */
	for (i = 0; i < n; i++) {
		const struct dwt_type *t = dwt_cu_type(cu, (uint32_t)i);
		uint32_t kind = premap_enc_kind(pm, t);

		if (premap_alias_of(pm, (uint32_t)i + 1) != i + 1)
			pm->gid[i] = PM_NONE;
		else if (kind == BTF_KIND_FWD)
			pm->gid[i] = premap_candidate(pm, t, kind) ?: PM_UNKNOWN;
		else if (kind == BTF_KIND_INT || kind == BTF_KIND_FLOAT || kind == BTF_KIND_ENUM ||
			 kind == BTF_KIND_ENUM64)
			resolve(pm, (uint32_t)i, 0);
	}
	for (i = 0; i < n; i++)
		if (premap_by_shape(premap_enc_kind(pm, dwt_cu_type(cu, (uint32_t)i))))
			resolve(pm, (uint32_t)i, 0);
	for (i = 0; i < n; i++)
		if (resolve(pm, (uint32_t)i, 0) != PM_NONE)
			(*matched)++;
	err = pm->err;
	if (err)
		return err;
	*gids = pm->gid;
	return 0;
}
