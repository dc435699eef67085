// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode_premap_fields.c - a unit's record against a g type, one level
 * deep: the BTF kind, name, size, members' names and offsets, values the
 * encoder would write for it (encode_types.c's rules, which this must
 * follow), and the index key it would be filed under (see
 * encode_premap.c).
 */
#include <errno.h>
#include <string.h>

#include "encode_premap_priv.h"

/*
 * Where name s is in g's strings. Returns: -1 when g has no such string
 * (no g type can be named so), else whether it is an identifier, and its
 * offset in *off.
 */
int premap_name_in_g(struct premap *pm, const char *s, uint32_t *off)
{
	const void *key = ptrmap_str_key(s);
	uint32_t v;
	int r;
	bool ident;

	if (ptrmap_get(&pm->names, key, &v)) {
		if (!(v & NAME_ABSENT)) {
			*off = (v - 1) >> 1;
			return (v - 1) & 1;
		}
		/* Absent then; g may have it since. */
		if ((v & ~NAME_ABSENT) == pm->pg->gen)
			return -1;
	}
	r = btf_builder_find_str(pm->g, s);
	if (r < 0 || (uint32_t)r >= NAME_ABSENT >> 1) {
		if (ptrmap_put(&pm->names, key, NAME_ABSENT | pm->pg->gen))
			pm->err = -ENOMEM;
		return -1;
	}
	ident = btf_name_is_ident(s);
	if (ptrmap_put(&pm->names, key, ((uint32_t)r << 1 | ident) + 1))
		pm->err = -ENOMEM;
	*off = (uint32_t)r;
	return ident;
}

int premap_name(struct premap *pm, const struct dwt_type *t, int i, uint32_t *off)
{
	uint32_t *slot = i < 0 ? &pm->rec_names[t - pm->recs] : &pm->item_names[t->first + i];
	const char *s = i < 0 ? t->name : dwt_cu_items(pm->cu, t)[i].name;
	int r;

	if (*slot) {
		if (*slot == NAME_ABSENT)
			return -1;
		*off = (*slot - 1) >> 1;
		return (int)((*slot - 1) & 1);
	}
	/* No name: no g string is it (callers mostly rule this out first). */
	if (!s)
		return -1;
	r = premap_name_in_g(pm, s, off);
	*slot = r < 0 ? NAME_ABSENT : (*off << 1 | (uint32_t)r) + 1;
	return r;
}

/* The offset the name of record t (i < 0) or of its item i gets as a
 * struct, union, enum, member or param name: 0 for none or one that is not
 * an identifier. Returns: false if g lacks it. */
static bool ident_name(struct premap *pm, const struct dwt_type *t, int i, uint32_t *off)
{
	const char *s = i < 0 ? t->name : dwt_cu_items(pm->cu, t)[i].name;
	int r;

	*off = 0;
	if (!s)
		return true;
	r = premap_name(pm, t, i, off);
	if (r == 0)
		*off = 0;
	/* Not an identifier: encoded nameless; absent but not an identifier
	 * is just as nameless. */
	return r >= 0 || !btf_name_is_ident(s);
}

/*
 * Whether the name of record t (i < 0) or of its item i, as ident_name()
 * takes it, is g's string at want: by the name's address first, the one
 * last found equal to that string (a vmlinux keeps one copy of each name in
 * .debug_str, so the same address recurs unit after unit); else by lookup.
 * Threads share the addresses: any one stored was found equal.
 */
static bool ident_name_is(struct premap *pm, const struct dwt_type *t, int i, uint32_t want)
{
	const char *s = i < 0 ? t->name : dwt_cu_items(pm->cu, t)[i].name;
	const char **rep = want < pm->pg->reps_len ? &pm->pg->reps[want] : NULL;
	uint32_t off;

	if (want && s && rep && __atomic_load_n(rep, __ATOMIC_RELAXED) == s)
		return true;
	if (!ident_name(pm, t, i, &off) || off != want)
		return false;
	if (want && rep)
		__atomic_store_n(rep, s, __ATOMIC_RELAXED);
	return true;
}

/* Follows records that emit no type of their own (see emits() in
 * encode_types.c) to the one they stand for. Returns: a record + 1, 0 for
 * void, PM_NONE for a loop. */
uint32_t premap_alias_walk(const struct premap *pm, uint32_t ref)
{
	size_t steps = 0, n = dwt_cu_type_count(pm->cu);

	uint32_t target;

	while (ref) {
		if (!encode_is_alias(dwt_cu_type(pm->cu, ref - 1), &target))
			return ref;
		if (++steps > n)
			return PM_NONE;
		ref = target;
	}
	return 0;
}

/* The BTF kind record t is encoded as; 0 for records premap leaves to the
 * encoder (tags, enums without enumerators, arrays of a unit without its
 * own "int"). */
uint32_t premap_kind_of(const struct premap *pm, const struct dwt_type *t)
{
	if (t->ntags)
		return 0;
	switch (t->kind) {
	case DWT_BASE:
		return encode_base_is_float(pm->o, t) ? BTF_KIND_FLOAT : BTF_KIND_INT;
	case DWT_PTR:
		return BTF_KIND_PTR;
	case DWT_CONST:
		return BTF_KIND_CONST;
	case DWT_VOLATILE:
		return BTF_KIND_VOLATILE;
	case DWT_RESTRICT:
		return BTF_KIND_RESTRICT;
	case DWT_TYPEDEF:
		return BTF_KIND_TYPEDEF;
	case DWT_STRUCT:
	case DWT_UNION:
		/* A declaration without a name: the encoder's error. */
		if (t->flags & DWT_DECL)
			return t->name ? BTF_KIND_FWD : 0;
		return t->kind == DWT_STRUCT ? BTF_KIND_STRUCT : BTF_KIND_UNION;
	case DWT_ENUM:
		/* A declaration without a name cannot be matched. */
		if (!t->nitems && !t->name)
			return 0;
		return t->size == 8 && pm->o->enum64 ? BTF_KIND_ENUM64 : BTF_KIND_ENUM;
	case DWT_ARRAY:
		return pm->int_ref ? BTF_KIND_ARRAY : 0;
	case DWT_FUNC_TYPE:
		return BTF_KIND_FUNC_PROTO;
	default:
		return 0;
	}
}

/* Name, size and members' names and offsets of struct/union record t
 * against g type gt: what the deduplication's shallow check compares. */
bool premap_struct_shallow(struct premap *pm, const struct dwt_type *t, const struct btf_type *gt)
{
	const struct dwt_item *m = dwt_cu_items(pm->cu, t);
	const struct btf_member *gm = btf_type_data(gt);
	uint32_t i, kflag = 0;

	if (t->size != gt->size || t->nitems != btf_type_vlen(gt))
		return false;
	if (!ident_name_is(pm, t, -1, gt->name_off))
		return false;
	for (i = 0; i < t->nitems; i++) {
		if (m[i].value > BTF_MEMBER_BIT_OFFSET(~0u) || m[i].bit_size > 255)
			return false;
		kflag |= m[i].bit_size;
	}
	if (!!kflag != !!btf_type_kflag(gt))
		return false;
	for (i = 0; i < t->nitems; i++) {
		if ((uint32_t)m[i].value + (m[i].bit_size << 24) != gm[i].offset)
			return false;
		if (!ident_name_is(pm, t, (int)i, gm[i].name_off))
			return false;
	}
	return true;
}

/* Enum record t against g enum gt, every field. */
bool premap_enum_equal(struct premap *pm, const struct dwt_type *t, const struct btf_type *gt)
{
	const struct dwt_item *e = dwt_cu_items(pm->cu, t);
	bool wide = btf_type_kind(gt) == BTF_KIND_ENUM64, neg = false;
	uint32_t i, want;

	if ((t->size ? t->size : 4) != gt->size || t->nitems != btf_type_vlen(gt))
		return false;
	if (!ident_name_is(pm, t, -1, gt->name_off))
		return false;
	for (i = 0; i < t->nitems; i++) {
		int64_t v = (int64_t)e[i].value;
		uint32_t lo = (uint32_t)e[i].value;

		if (wide) {
			const struct btf_enum64 *g64 = (const struct btf_enum64 *)btf_type_data(gt) + i;

			want = g64->name_off;
			if (g64->val_lo32 != lo || g64->val_hi32 != (uint32_t)(e[i].value >> 32))
				return false;
		} else {
			const struct btf_enum *g32 = (const struct btf_enum *)btf_type_data(gt) + i;

			want = g32->name_off;
			neg = neg || (v < 0 && v >= INT32_MIN);
			if ((uint32_t)g32->val != lo)
				return false;
		}
		/* Enumerator names are identifiers (or encoding fails): g's
		 * are never 0. */
		if (!e[i].name || !want || !ident_name_is(pm, t, (int)i, want))
			return false;
	}
	return wide ? !!(t->flags & DWT_SIGNED) == !!btf_type_kflag(gt)
		    : neg == !!btf_type_kflag(gt);
}

/* Everything of record t but its references against g type gt, for the
 * kinds the deduplication merges by equality. */
bool premap_equal_fields(struct premap *pm, const struct dwt_type *t, uint32_t kind,
			 const struct btf_type *gt)
{
	uint32_t off, enc, size, i;
	const char *name;
	uint64_t n;

	if (kind != btf_type_kind(gt))
		return false;
	switch (kind) {
	case BTF_KIND_INT:
		name = encode_int_shape(t, &size, &enc);
		if ((name == t->name ? premap_name(pm, t, -1, &off)
				     : premap_name_in_g(pm, name, &off)) < 0)
			return false;
		return off == gt->name_off && size == gt->size &&
		       (enc << 24 | size * 8) == btf_int_data(gt) && !btf_type_kflag(gt);
	case BTF_KIND_FLOAT:
		return premap_name(pm, t, -1, &off) >= 0 && off == gt->name_off &&
		       t->size == gt->size;
	case BTF_KIND_FWD:
		return t->name && premap_name(pm, t, -1, &off) == 1 && off == gt->name_off &&
		       !!btf_type_kflag(gt) == (t->kind == DWT_UNION);
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		return !gt->name_off && !btf_type_kflag(gt);
	case BTF_KIND_ARRAY:
		n = encode_array_count(pm->cu, t);
		return !gt->name_off && n == ((const struct btf_array *)btf_type_data(gt))->nelems;
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *gp = btf_type_data(gt);

		if (gt->name_off || t->nitems + !!(t->flags & DWT_VARARGS) != btf_type_vlen(gt))
			return false;
		for (i = 0; i < t->nitems; i++)
			if (!ident_name_is(pm, t, (int)i, gp[i].name_off))
				return false;
		return !(t->flags & DWT_VARARGS) || (!gp[i].name_off && !gp[i].type);
	}
	default:
		return false;
	}
}

/* The g id reference ref (a record + 1, 0 for void) is matched to, as
 * far as known: 0 for void, PM_NONE for none, PM_UNKNOWN if undecided. */
uint32_t premap_ref_gid(const struct premap *pm, uint32_t ref)
{
	ref = premap_alias_of(pm, ref);
	if (ref == PM_NONE || !ref)
		return ref ? PM_NONE : 0;
	ref = pm->gid[ref - 1];
	return ref == PM_BUSY ? PM_UNKNOWN : ref;
}

/* The key record t of BTF kind kind is filed under in g, as g_key() files
 * the type it is encoded as. Returns: false when no g type can have it (a
 * name g lacks, a reference matched to nothing or not yet decided). */
bool premap_unit_key(struct premap *pm, const struct dwt_type *t, uint32_t kind, uint32_t *hash)
{
	const char *name;
	int r;
	const struct dwt_item *it;
	uint32_t h = premap_mix(0, premap_file_kind(kind)), off, a, b, i;

	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
		name = kind == BTF_KIND_INT ? encode_int_shape(t, &a, &b) : t->name;
		r = name == t->name ? premap_name(pm, t, -1, &off) : premap_name_in_g(pm, name, &off);
		if (r < 0)
			return false;
		*hash = premap_mix(h, off);
		return true;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!ident_name(pm, t, -1, &off))
			return false;
		if (off) {
			*hash = premap_mix(h, off);
			return true;
		}
		it = dwt_cu_items(pm->cu, t);
		if (kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64) {
			if (!t->nitems || !it[0].name || premap_name(pm, t, 0, &off) != 1)
				return false;
			*hash = premap_mix(premap_mix(premap_mix(h, t->size ? (uint32_t)t->size : 4), t->nitems), off);
			return true;
		}
		h = premap_mix(premap_mix(h, (uint32_t)t->size), t->nitems);
		for (i = 0; i < t->nitems; i++) {
			if (!ident_name(pm, t, (int)i, &off))
				return false;
			h = premap_mix(premap_mix(h, off), (uint32_t)it[i].value + (it[i].bit_size << 24));
		}
		*hash = h;
		return true;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		a = premap_ref_gid(pm, t->type);
		*hash = premap_mix(h, a);
		return a < PM_NONE;
	case BTF_KIND_ARRAY: {
		uint64_t n = encode_array_count(pm->cu, t);

		if (n > UINT32_MAX)
			return false;
		a = premap_ref_gid(pm, t->type);
		b = premap_ref_gid(pm, pm->int_ref);
		*hash = premap_mix(premap_mix(premap_mix(h, a), b), (uint32_t)n);
		return a < PM_NONE && b < PM_NONE;
	}
	case BTF_KIND_FUNC_PROTO:
		it = dwt_cu_items(pm->cu, t);
		a = premap_ref_gid(pm, t->type);
		h = premap_mix(premap_mix(h, a), t->nitems + !!(t->flags & DWT_VARARGS));
		for (i = 0; a < PM_NONE && i < t->nitems; i++) {
			if (!ident_name(pm, t, (int)i, &off))
				return false;
			a = premap_ref_gid(pm, it[i].type);
			h = premap_mix(premap_mix(h, off), a);
		}
		if (t->flags & DWT_VARARGS)
			h = premap_mix(premap_mix(h, 0), 0);
		*hash = h;
		return a < PM_NONE;
	default:
		return false;
	}
}

/* Whether g types a and b cannot be equivalent whatever the pairings:
 * they differ in kind, name or size, or point to such. */
static bool g_differ(const struct premap *pm, uint32_t a, uint32_t b, int depth)
{
	const struct btf_type *ta, *tb;
	uint32_t k;

	if (a == b || depth <= 0)
		return false;
	if (!a || !b)
		return true;
	ta = btf_builder_type(pm->g, a);
	tb = btf_builder_type(pm->g, b);
	k = btf_type_kind(ta);
	/* A declaration may stand for either. */
	if (k == BTF_KIND_FWD || btf_type_kind(tb) == BTF_KIND_FWD)
		return ta->name_off != tb->name_off;
	if (k != btf_type_kind(tb) || ta->name_off != tb->name_off)
		return true;
	switch (k) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		return ta->size != tb->size || btf_type_vlen(ta) != btf_type_vlen(tb);
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
		return g_differ(pm, ta->type, tb->type, depth - 1);
	default:
		return false;
	}
}

/* Whether a member of struct record t is matched already to a g type that
 * cannot be gt's member: the deduplication's check of the two fails. */
static bool members_differ(const struct premap *pm, const struct dwt_type *t,
			   const struct btf_type *gt)
{
	const struct dwt_item *m = dwt_cu_items(pm->cu, t);
	const struct btf_member *gm = btf_type_data(gt);
	uint32_t i, d;

	for (i = 0; i < t->nitems; i++) {
		d = premap_ref_gid(pm, m[i].type);
		if (d != PM_NONE && d != PM_UNKNOWN && g_differ(pm, d, gm[i].type, 4))
			return true;
	}
	return false;
}

/* Whether g type g has the shape of record t (encoded as kind), as the
 * deduplication's shallow check sees it, and no member matched already
 * rules it out. */
bool premap_shape_agrees(struct premap *pm, const struct dwt_type *t, uint32_t kind, uint32_t g)
{
	const struct btf_type *gt = btf_builder_type(pm->g, g);
	uint32_t off;

	if (btf_type_kind(gt) != kind)
		return false;
	if (kind == BTF_KIND_TYPEDEF)
		return premap_name(pm, t, -1, &off) == 1 && off == gt->name_off;
	return premap_struct_shallow(pm, t, gt) && !members_differ(pm, t, gt);
}

/*
 * The g type the deduplication would first try to merge record idx
 * (encoded as kind) onto and keep if it checks out: for STRUCT, UNION and
 * TYPEDEF the newest of the same shape; for an enum the newest equal one,
 * unless a forward declaration of its name comes first (the deduplication
 * would then complete that one); for the rest the equal one (all of a
 * reference's references must be decided). Returns: the g id, or 0.
 */
uint32_t premap_candidate(struct premap *pm, const struct dwt_type *t, uint32_t kind)
{
	uint32_t hash, node, g;

	if (!premap_unit_key(pm, t, kind, &hash))
		return 0;
	for (g = premap_chain_first(pm, hash, &node); g; g = premap_chain_next(pm, hash, &node)) {
		const struct btf_type *gt = btf_builder_type(pm->g, g);
		uint32_t gk = btf_type_kind(gt);

		if (premap_file_kind(gk) != premap_file_kind(kind))
			continue;
		switch (kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_TYPEDEF:
			if (premap_shape_agrees(pm, t, kind, g))
				return g;
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			/* A declaration goes onto the newest enum of its name;
			 * a definition onto the newest equal one, unless a
			 * declaration comes first: the deduplication would
			 * complete that one with it. */
			if (!t->nitems)
				return g;
			if (!btf_type_vlen(gt))
				return 0;
			if (premap_enum_equal(pm, t, gt))
				return g;
			break;
		default:
			if (premap_equal_fields(pm, t, kind, gt) && premap_refs_same(pm, t, gt, PM_MAX_DEPTH))
				return g;
			break;
		}
	}
	return 0;
}
