// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup.c - BTF type deduplication: the design and the driver.
 *
 * An encoder emits every compile unit's types on their own, so the BTF of a
 * kernel holds each header's types thousands of times. Dedup keeps one
 * canonical copy per C type and points every reference at it. It follows
 * libbpf's algorithm (shared/docs/BTF.md part 3); this implementation works
 * on a copy of the records, so a failure leaves the builder as it was.
 *
 * State: map[id] is the canonical id of each type (itself if canonical);
 * resolve(id) follows map to its end. A table maps a signature hash of each
 * canonical type to its id, newest first; a hash hit is only a candidate,
 * confirmed by an equality (or, for structs, an equivalence) check.
 *
 * The passes, in the order the driver runs them:
 *  1. strings: every name is re-added to a fresh string set in type order,
 *     so equal names get equal offsets and unreferenced strings vanish. In
 *     split BTF a name the base has takes the base's offset.
 *  2. base: (split only) every base type is its own canonical type and goes
 *     into the table, so split types can map onto it. The base never changes.
 *  3. primitives: INT, FLOAT, FWD by equality; ENUM/ENUM64 by equality, or
 *     an enum forward declaration (vlen 0) onto the definition of that name.
 *  4. structs: STRUCT, UNION and TYPEDEF by graph equivalence. The new
 *     type's graph and a candidate's are walked side by side; a FWD on one
 *     side matches a struct/union of its name and kind on the other. Each
 *     canonical id may pair with one candidate id only (hypot[]), unless the
 *     two candidates are identical copies a compiler emitted twice in one
 *     unit. A match makes the pairings permanent, resolving the FWDs in them.
 *  5. fwds: a FWD still unresolved maps to the one canonical struct/union of
 *     its name and kind, if exactly one type has that name.
 *  6. references: PTR, qualifiers, TYPE_TAG, ARRAY, FUNC_PROTO, FUNC and
 *     DECL_TAG, depth first: references are made canonical, then the type is
 *     found by exact equality. VAR and DATASEC are not merged here.
 *  6b. variables (beyond libbpf): a DATASEC repeating a canonical one entry
 *     for entry maps onto it with its VARs (dedup_var.c).
 *  7. compact and remap: canonical own types keep their order and get dense
 *     ids from start_id; every type-id field is rewritten to
 *     new_id(resolve(old)).
 *
 * A worked example, two units that both saw "struct list { struct list
 * *next; }", the second also "struct list *head" through a forward:
 *
 *	[1] STRUCT 'list' size=8 { 'next' [2] }   unit 1
 *	[2] PTR -> [1]
 *	[3] STRUCT 'list' size=8 { 'next' [4] }   unit 2
 *	[4] PTR -> [3]
 *	[5] FWD 'list' struct                      unit 2, another header
 *	[6] PTR -> [5]
 *
 * Pass 3 leaves FWD [5] canonical (nothing equal came before). Pass 4: [1]
 * is canonical; [3] hashes like [1] (name, size, member names and offsets)
 * and equiv(3, 1) pairs 1<-3, then walks the members: equiv(4, 2) pairs
 * 2<-4, and equiv(3, 1) again finds the pair 1<-3 already made: equivalent,
 * so map[3] = 1. Pass 5 finds one struct named 'list' and maps [5] to [1].
 * Pass 6: [2] is canonical; [4] points at resolve(3) = 1 now, equals [2],
 * so map[4] = 2; [6] points at resolve(5) = 1, equals [2] too. Pass 7
 * keeps [1] and [2]: two types where there were six.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_priv.h"
#include "grow.h"
#include "visit.h"

static int dd_init(struct dedup *d, struct btf_builder *b)
{
	uint32_t id;
	int err;

	memset(d, 0, sizeof(*d));
	d->b = b;
	d->base = b->base;
	d->start_id = b->start_id;
	d->total = btf_builder_type_cnt(b);
	if (b->max_ref >= d->total) {
		btf_log("btf: dedup: a type refers to id %u but the last id is %u", b->max_ref,
			d->total - 1);
		return -ERANGE;
	}
	err = btf_builder_ensure_writable(b);
	if (err)
		return err;
	/* A scratch builder (relaxed: an encoder's whole object before dedup)
	 * is worked on in place, which saves a copy of its largest buffer;
	 * any other gets a working copy, so that a failure leaves it as it was. */
	d->types_owned = !b->relaxed;
	d->types = d->types_owned ? malloc(b->types_len ? b->types_len : 1) : b->types;
	d->map = calloc(d->total, sizeof(*d->map));
	d->hypot = calloc(d->total, sizeof(*d->hypot));
	/* In place, a builder without types of its own has no buffer. */
	if ((d->types_owned && !d->types) || !d->map || !d->hypot)
		return -ENOMEM;
	if (d->types_owned && b->types_len) /* no types: b->types may be NULL */
		memcpy(d->types, b->types, b->types_len);
	/* Zeroed, every id is its own and unpaired: own types are unprocessed,
	 * but for VARs and DATASECs, which stay as they are. */
	for (id = d->start_id; id < d->total; id++) {
		uint32_t kind = btf_type_kind(dd_type(d, id));

		if (kind != BTF_KIND_VAR && kind != BTF_KIND_DATASEC)
			dd_map_set(d, id, DD_UNPROCESSED);
	}
	return 0;
}

static void dd_release(struct dedup *d)
{
	if (d->types_owned)
		free(d->types);
	free(d->map);
	free(d->hypot);
	free(d->hypot_list);
	free(d->base_datasecs);
	free(d->base_ids);
	dd_table_release(&d->table);
}

struct str_pass {
	struct dedup *d;
	struct strset *strs;	/* the new own strings */
};

static int str_field(uint32_t *off, void *ctx)
{
	struct str_pass *sp = ctx;
	struct btf_builder *b = sp->d->b;
	const char *s;
	int r;

	if (*off < b->start_str_off)
		return 0;
	s = btf_builder_str(b, *off);
	if (b->base) {
		r = btf_builder_find_str(b->base, s);
		if (r != -ENOENT) {
			*off = (uint32_t)r;
			return r < 0 ? r : 0;
		}
	}
	r = strset_add(sp->strs, s);
	if (r < 0)
		return r;
	*off = b->start_str_off + (uint32_t)r;
	return 0;
}

/* Pass 1. Returns: 0 and the new string set, or -errno. */
static int dd_strings_pass(struct dedup *d, struct strset **out)
{
	struct str_pass sp = { .d = d };
	uint32_t id;
	int err = strset_new(d->b->start_str_off > BTF_MAX_NAME_OFFSET
				     ? 0
				     : BTF_MAX_NAME_OFFSET + 1 - d->b->start_str_off,
			     &sp.strs);

	if (!err && !d->base)
		err = strset_add(sp.strs, "");
	if (!err && d->base && d->b->strs_local && !d->base->base)
		err = dd_strings_local(d, sp.strs);
	else
		for (id = d->start_id; !err && id < d->total; id++)
			err = btf_type_visit_strs(dd_type(d, id), str_field, &sp);
	if (err < 0) {
		strset_free(sp.strs);
		return err;
	}
	*out = sp.strs;
	return 0;
}

/* Pass 2, which base types could ever be a candidate. Every signature
 * mixes in the name and every check compares it: a named base type no own
 * type has the name of can never be a candidate. An unnamed struct, union
 * or prototype is compared member by member, names included, and an
 * unnamed reference type by its referenced ids, made canonical on the own
 * side: if one of them is a base type no own type can resolve to, neither
 * can the type be a candidate. Own types reach a base type through a
 * reference to it, or by its name (a declaration resolves by name alone,
 * whatever members the base type has), or as a candidate themselves. A
 * vmlinux base has 42 K FUNCs, 22 K prototypes and 12 K pointers; a
 * module meets few of them. */
struct base_filter {
	uint64_t *named;	/* per base string offset: an own name has it */
	uint32_t names;		/* base string bytes */
	uint64_t *reach;	/* per base id: own types may resolve to it */
	uint32_t start_id;	/* the first own id */
	uint32_t id;		/* the base type being checked */
};

static inline bool bit_get(const uint64_t *bits, uint32_t i)
{
	return bits[i / 64] & 1ull << (i % 64);
}

static inline void bit_set(uint64_t *bits, uint32_t i)
{
	bits[i / 64] |= 1ull << (i % 64);
}

static int name_mark(uint32_t *off, void *ctx)
{
	struct base_filter *f = ctx;

	if (*off < f->names)
		bit_set(f->named, *off);
	return 0;
}

static int ref_mark(uint32_t *id, void *ctx)
{
	struct base_filter *f = ctx;

	if (*id < f->start_id)
		bit_set(f->reach, *id);
	return 0;
}

static int name_unmet(uint32_t *off, void *ctx)
{
	const struct base_filter *f = ctx;

	return *off && (*off >= f->names || !bit_get(f->named, *off));
}

/* A referenced id after the type's own is not decided yet: it may be. */
static int ref_unmet(uint32_t *id, void *ctx)
{
	const struct base_filter *f = ctx;

	return *id && *id < f->id && !bit_get(f->reach, *id);
}

static bool base_may_match(struct base_filter *f, struct btf_type *t, uint32_t kind)
{
	if (kind == BTF_KIND_VAR || kind == BTF_KIND_DATASEC)
		return false;
	if (t->name_off)
		return !name_unmet(&t->name_off, f);
	if (kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64)
		return true; /* an enum declaration matches any of its name */
	if (btf_type_visit_strs_inline(t, name_unmet, f))
		return false;
	return !dd_kind_is_ref(kind) || !btf_type_visit_ids_inline(t, ref_unmet, f);
}

static int dd_base_pass(struct dedup *d)
{
	struct base_filter f = { .names = d->b->start_str_off, .start_id = d->start_id };
	uint32_t id, kind, count = 0, i;
	size_t cap = 0;
	int err;

	f.named = calloc(f.names / 64 + 1, sizeof(*f.named));
	f.reach = calloc(d->start_id / 64 + 1, sizeof(*f.reach));
	d->base_ids = malloc(sizeof(*d->base_ids) * d->start_id);
	err = f.named && f.reach && d->base_ids ? 0 : -ENOMEM;
	for (id = d->start_id; !err && id < d->total; id++) {
		btf_type_visit_strs_inline(dd_type(d, id), name_mark, &f);
		btf_type_visit_ids_inline(dd_type(d, id), ref_mark, &f);
	}
	for (id = 1; !err && id < d->start_id; id++) {
		struct btf_type *t = dd_type(d, id);

		kind = btf_type_kind(t);
		if (kind == BTF_KIND_DATASEC)
			err = grow_array_raw((void **)&d->base_datasecs, &cap, sizeof(uint32_t),
					     d->base_datasecs_len + 1);
		if (kind == BTF_KIND_DATASEC && !err)
			d->base_datasecs[d->base_datasecs_len++] = id;
		f.id = id;
		if (!base_may_match(&f, t, kind))
			continue;
		bit_set(f.reach, id);
		d->base_ids[count++] = id;
	}
	d->base_ids_len = count;
	err = err ? err : dd_table_init(&d->table, (size_t)count + (d->total - d->start_id));
	for (i = 0; !err && i < count; i++)
		err = dd_table_add(&d->table, dd_hash(dd_type(d, d->base_ids[i])), d->base_ids[i]);
	free(f.named);
	free(f.reach);
	return err;
}

/* Pass 3, one type: the candidate it equals, or id itself. */
static uint32_t prim_match(struct dedup *d, uint32_t id, uint32_t h)
{
	const struct btf_type *t = dd_type(d, id);
	uint32_t node, kind = btf_type_kind(t);

	for (node = dd_table_first(&d->table, h); node; node = dd_table_next(&d->table, node, h)) {
		uint32_t cand = dd_table_id(&d->table, node);
		const struct btf_type *c = dd_type(d, cand);

		if (kind == BTF_KIND_INT) {
			if (dd_equal_int_tag(t, c))
				return cand;
		} else if (kind == BTF_KIND_FLOAT || kind == BTF_KIND_FWD) {
			if (dd_equal_common(t, c))
				return cand;
		} else if (dd_equal_enum(t, c)) {
			return cand;
		} else if (dd_compat_enum(t, c)) {
			if (dd_enum_is_fwd(t))
				return cand;
			/* The canonical one was a forward declaration: now it has
			 * its definition. */
			dd_map_set(d, cand, id);
		}
	}
	return id;
}

static int dd_prim_pass(struct dedup *d)
{
	uint32_t id, kind, h;
	int err;

	for (id = d->start_id; id < d->total; id++) {
		kind = btf_type_kind(dd_type(d, id));
		if (kind != BTF_KIND_INT && kind != BTF_KIND_FLOAT && kind != BTF_KIND_FWD &&
		    kind != BTF_KIND_ENUM && kind != BTF_KIND_ENUM64)
			continue;
		h = dd_hash(dd_type(d, id));
		dd_map_set(d, id, prim_match(d, id, h));
		if (dd_map(d, id) == id) {
			err = dd_table_add(&d->table, h, id);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Pass 5: name -> the one canonical struct/union of that name, or 0 if several. */
struct name_map {
	uint32_t *keys;		/* name offsets, 0 for an empty slot */
	uint32_t *vals;		/* type ids, 0 for an ambiguous name */
	uint32_t mask;		/* slots - 1 */
};

/* The slot of name, or the empty slot where it would go. */
static uint32_t name_slot(const struct name_map *nm, uint32_t name)
{
	uint32_t i = (uint32_t)(((uint64_t)name * 0x9E3779B97F4A7C15ull) >> 32) & nm->mask;

	while (nm->keys[i] && nm->keys[i] != name)
		i = (i + 1) & nm->mask;
	return i;
}

static void name_map_put(struct dedup *d, struct name_map *nm, uint32_t id)
{
	const struct btf_type *t = dd_type(d, id);
	uint32_t kind = btf_type_kind(t), i;

	if ((kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION) || !t->name_off || dd_map(d, id) != id)
		return;
	i = name_slot(nm, t->name_off);
	nm->keys[i] = t->name_off;
	nm->vals[i] = nm->vals[i] ? UINT32_MAX : id; /* seen twice: ambiguous */
}

/* Of the base, the types pass 2 kept are enough: a declaration's name is
 * an own one, and pass 2 keeps every base type of such a name. */
static int name_map_fill(struct dedup *d, struct name_map *nm)
{
	uint32_t id, n = 1024, i;

	while (n < 2 * (d->base_ids_len + d->total - d->start_id) && n < 1u << 31)
		n *= 2;
	nm->keys = calloc(n, sizeof(*nm->keys));
	nm->vals = calloc(n, sizeof(*nm->vals));
	nm->mask = n - 1;
	if (!nm->keys || !nm->vals)
		return -ENOMEM;
	for (i = 0; i < d->base_ids_len; i++)
		name_map_put(d, nm, d->base_ids[i]);
	for (id = d->start_id; id < d->total; id++)
		name_map_put(d, nm, id);
	return 0;
}

static int dd_fwd_pass(struct dedup *d)
{
	struct name_map nm = { 0 };
	uint32_t id, target;
	int err;

	/* The map is built only when a FWD needs it. */
	for (id = d->start_id; id < d->total; id++)
		if (btf_type_kind(dd_type(d, id)) == BTF_KIND_FWD && dd_map(d, id) == id)
			break;
	if (id == d->total)
		return 0;
	err = name_map_fill(d, &nm);
	for (id = d->start_id; !err && id < d->total; id++) {
		const struct btf_type *t = dd_type(d, id);

		if (btf_type_kind(t) != BTF_KIND_FWD || dd_map(d, id) != id)
			continue;
		target = nm.vals[name_slot(&nm, t->name_off)];
		if (!target || target == UINT32_MAX)
			continue;
		if (btf_type_kind(dd_type(d, target)) ==
		    (btf_type_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT))
			dd_map_set(d, id, target);
	}
	free(nm.keys);
	free(nm.vals);
	return err;
}

int btf_builder_dedup(struct btf_builder *b, uint32_t **id_map)
{
	struct strset *strs = NULL;
	struct dedup d;
	int err;

	if (b->strs_by_ptr)
		return -EINVAL;
	err = dd_init(&d, b);
	err = err ? err : dd_strings_pass(&d, &strs);
	err = err ? err : dd_base_pass(&d);
	err = err ? err : dd_prim_pass(&d);
	err = err ? err : dd_struct_pass(&d);
	err = err ? err : dd_fwd_pass(&d);
	err = err ? err : dd_ref_pass(&d);
	err = err ? err : dd_var_pass(&d);
	err = err ? err : dd_compact(&d, strs, id_map);
	if (err)
		strset_free(strs);
	dd_release(&d);
	return err;
}
