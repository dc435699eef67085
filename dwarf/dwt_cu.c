// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_cu.c - walking one compile unit into its table of type records.
 *
 * One pass over the DIE tree in order: each type DIE becomes the record at
 * its index. A reference to a DIE not read yet (a forward reference, or one
 * into another unit) allocates its index at once and queues it; the queue
 * is drained after the tree, so no reference recurses.
 */
#define _GNU_SOURCE /* qsort_r */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>

#include "dwt_priv.h"
#include "grow.h"

/* DIE nesting the walk follows; deeper scopes are hostile input. */
#define MAX_NESTING 256

int dwt_cu_new(struct dwt_cu **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void dwt_cu_free(struct dwt_cu *cu)
{
	if (!cu)
		return;
	free(cu->types);
	free(cu->items);
	free(cu->tags);
	free(cu->funcs);
	free(cu->vars);
	free(cu);
}

/* Record bytes past which dwt_cu_trim() frees: a few times a typical
 * vmlinux unit's (~250 KB). */
#define TRIM_BYTES (1u << 20)

static void trim_array(void **arr, size_t *len, size_t *cap, size_t elem)
{
	if (*cap * elem <= TRIM_BYTES)
		return;
	free(*arr);
	*arr = NULL;
	*len = 0;
	*cap = 0;
}

void dwt_cu_trim(struct dwt_cu *cu)
{
	trim_array((void **)&cu->types, &cu->types_len, &cu->types_cap, sizeof(*cu->types));
	trim_array((void **)&cu->items, &cu->items_len, &cu->items_cap, sizeof(*cu->items));
	trim_array((void **)&cu->tags, &cu->tags_len, &cu->tags_cap, sizeof(*cu->tags));
	trim_array((void **)&cu->funcs, &cu->funcs_len, &cu->funcs_cap, sizeof(*cu->funcs));
	trim_array((void **)&cu->vars, &cu->vars_len, &cu->vars_cap, sizeof(*cu->vars));
}

int dwt_walker_new(struct dwt_walker **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void dwt_walker_free(struct dwt_walker *w)
{
	if (!w)
		return;
	free(w->order);
	free(w->pending);
	free(w->imported);
	free(w->map.keys);
	free(w->map.vals);
	free(w->fdies);
	free(w->fvals);
	free(w);
}

static void cu_reset(struct dwt_cu *cu, struct dwt_file *f, struct dwt_walker *w)
{
	cu->f = f;
	cu->dw = f->dw;
	cu->w = w;
	cu->name = NULL;
	cu->types_len = 0;
	cu->items_len = 0;
	cu->tags_len = 0;
	cu->funcs_len = 0;
	cu->vars_len = 0;
	cu->unit = NULL;
	cu->fast_failed = false;
	w->next_order = 0;
	w->pending_len = 0;
	w->imported_len = 0;
	if (w->map.keys)
		memset(w->map.keys, 0, sizeof(*w->map.keys) * (w->map.mask + 1));
	w->map.used = 0;
	w->fdies_len = 0;
	w->fvals_len = 0;
}

static size_t map_slot(const struct offmap *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & m->mask;

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	return i;
}

static int map_grow(struct offmap *m)
{
	size_t n = m->keys ? (m->mask + 1) * 2 : 4096, i, j;
	uint64_t *keys = calloc(n, sizeof(*keys));
	uint32_t *vals = malloc(n * sizeof(*vals));
	struct offmap nm = { keys, vals, n - 1, m->used };

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (i = 0; m->keys && i <= m->mask; i++) {
		if (!m->keys[i])
			continue;
		j = map_slot(&nm, m->keys[i]);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = nm;
	return 0;
}

int64_t dwt_index_of(struct dwt_cu *cu, Dwarf_Off off, bool *is_new)
{
	struct dwt_type *t;
	size_t slot;
	int err;

	if (!cu->w->map.keys || (cu->w->map.used + 1) * 2 > cu->w->map.mask + 1) {
		err = map_grow(&cu->w->map);
		if (err)
			return err;
	}
	slot = map_slot(&cu->w->map, off + 1);
	*is_new = !cu->w->map.keys[slot];
	if (!*is_new)
		return cu->w->map.vals[slot];
	if (cu->types_len >= UINT32_MAX - 1)
		return -E2BIG;
	err = grow_array((void **)&cu->types, &cu->types_cap, sizeof(*cu->types),
			 cu->types_len + 1);
	if (!err)
		err = grow_array((void **)&cu->w->order, &cu->w->order_cap, sizeof(*cu->w->order),
				 cu->types_len + 1);
	if (err)
		return err;
	cu->w->order[cu->types_len] = UINT32_MAX;
	t = &cu->types[cu->types_len];
	memset(t, 0, sizeof(*t));
	t->die = off;
	cu->w->map.keys[slot] = off + 1;
	cu->w->map.vals[slot] = (uint32_t)cu->types_len;
	cu->w->map.used++;
	return (int64_t)cu->types_len++;
}

static bool tag_is_type(int tag)
{
	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
	case DW_TAG_ptr_to_member_type:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
	case DW_TAG_typedef:
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
	case DW_TAG_array_type:
	case DW_TAG_subroutine_type:
	case DW_TAG_unspecified_type:
		return true;
	default:
		return false;
	}
}

/* Scopes that may hold type DIEs of their own. */
static bool tag_has_types(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_namespace:
	case DW_TAG_subprogram:
	case DW_TAG_lexical_block:
	case DW_TAG_inlined_subroutine:
		return true;
	default:
		return false;
	}
}

static int walk_type(struct dwt_cu *cu, struct dwt_die *die)
{
	bool is_new;
	int64_t idx = dwt_index_of(cu, dwt_die_offset(cu, die), &is_new);

	if (idx < 0)
		return (int)idx;
	if (cu->types[idx].kind != DWT_PENDING)
		return 0;
	cu->w->order[idx] = cu->w->next_order++;
	return dwt_read_type(cu, die, (uint32_t)idx);
}

static int walk_children(struct dwt_cu *cu, struct dwt_die *parent, int depth);

/*
 * DW_TAG_imported_unit (dwz): the partial unit it names holds DIEs moved
 * out of this unit and its like; its children are walked as this unit's
 * own, once per walk however often the unit is imported, so the unit has
 * every type it had before dwz, referenced or not. Returns: 0, -errno.
 */
static int walk_imported(struct dwt_cu *cu, struct dwt_die *imp, int depth)
{
	uint64_t off = dwt_die_offset(cu, imp);
	struct dwt_die unit = { .fast = 0 };
	Dwarf *dw = off & DWT_ALT_OFF ? dwarf_getalt(cu->f->dw) : cu->dw;
	Dwarf_Attribute a;
	Dwarf_Die d;
	size_t i;
	int err;

	if (!dw || !dwarf_offdie(dw, off & ~DWT_ALT_OFF, &d) || !dwarf_attr(&d, DW_AT_import, &a) ||
	    !dwarf_formref_die(&a, &unit.d)) {
		dwt_log("DIE 0x%llx: imported unit not found: %s", (unsigned long long)off,
			dwarf_errmsg(-1));
		return -EINVAL;
	}
	off = dwt_libdw_offset(cu, &unit.d);
	for (i = 0; i < cu->w->imported_len; i++)
		if (cu->w->imported[i] == off)
			return 0;
	err = grow_array((void **)&cu->w->imported, &cu->w->imported_cap,
			 sizeof(*cu->w->imported), cu->w->imported_len + 1);
	if (err)
		return err;
	cu->w->imported[cu->w->imported_len++] = off;
	return walk_children(cu, &unit, depth + 1);
}

static int walk_children(struct dwt_cu *cu, struct dwt_die *parent, int depth)
{
	struct dwt_die child;
	int r, err;

	if (depth > MAX_NESTING) {
		dwt_log("DIE 0x%llx: scopes nested more than %d deep",
			(unsigned long long)dwt_die_offset(cu, parent), MAX_NESTING);
		return -EINVAL;
	}
	r = dwt_die_child(cu, parent, &child);
	while (r == 0) {
		int tag = dwt_die_tag(cu, &child);

		/* Nested types first: they take their place in DIE post-order
		 * before the type or scope that holds them. */
		if (tag_has_types(tag) && dwt_die_haschildren(cu, &child)) {
			err = walk_children(cu, &child, depth + 1);
			if (err)
				return err;
		}
		if (tag_is_type(tag))
			err = walk_type(cu, &child);
		else if (tag == DW_TAG_subprogram)
			err = dwt_read_func(cu, &child);
		else if (tag == DW_TAG_variable && !depth)
			err = dwt_read_var(cu, &child);
		else if (tag == DW_TAG_imported_unit)
			err = walk_imported(cu, &child, depth);
		else
			err = 0;
		if (err)
			return err;
		r = dwt_die_sibling(cu, &child, &child);
	}
	if (r < 0) {
		dwt_log("DIE 0x%llx: cannot read its children: %s",
			(unsigned long long)dwt_die_offset(cu, parent), dwarf_errmsg(-1));
		return -EINVAL;
	}
	return 0;
}

/* Reads what was referenced but not met in the tree walk. */
static int drain_pending(struct dwt_cu *cu)
{
	struct dwt_die die;
	int err;

	while (cu->w->pending_len) {
		uint32_t idx = cu->w->pending[--cu->w->pending_len];

		if (cu->types[idx].kind != DWT_PENDING)
			continue;
		if (!dwt_die_at(cu, cu->types[idx].die, &die)) {
			dwt_log("DIE 0x%llx: referenced but unreadable: %s",
				(unsigned long long)cu->types[idx].die, dwarf_errmsg(-1));
			return -EINVAL;
		}
		cu->w->order[idx] = cu->w->next_order++;
		err = dwt_read_type(cu, &die, idx);
		if (err)
			return err;
	}
	return 0;
}

static int by_order(const void *a, const void *b, void *order)
{
	uint32_t x = ((const uint32_t *)order)[*(const uint32_t *)a];
	uint32_t y = ((const uint32_t *)order)[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

static uint32_t remap_one(uint32_t ref, const uint32_t *new_index)
{
	return ref ? new_index[ref - 1] + 1 : 0;
}

static void remap_refs(struct dwt_cu *cu, const uint32_t *new_index)
{
	size_t i, j;

	for (i = 0; i < cu->funcs_len; i++) {
		struct dwt_func *fn = &cu->funcs[i];

		fn->ret = remap_one(fn->ret, new_index);
		for (j = fn->first; j < fn->first + fn->nparams; j++)
			cu->items[j].type = remap_one(cu->items[j].type, new_index);
	}
	for (i = 0; i < cu->vars_len; i++)
		cu->vars[i].type = remap_one(cu->vars[i].type, new_index);

	for (i = 0; i < cu->types_len; i++) {
		struct dwt_type *t = &cu->types[i];

		if (t->type)
			t->type = new_index[t->type - 1] + 1;
		if (t->kind != DWT_STRUCT && t->kind != DWT_UNION && t->kind != DWT_FUNC_TYPE)
			continue;
		for (j = t->first; j < t->first + t->nitems; j++)
			if (cu->items[j].type)
				cu->items[j].type = new_index[cu->items[j].type - 1] + 1;
	}
}

/*
 * Puts the records in DIE post-order -- the order the unit declares its
 * types in, nested types before their parent, as pahole numbers them --
 * where forward references had them numbered as first referred to.
 */
static int renumber(struct dwt_cu *cu)
{
	size_t i, n = cu->types_len;
	uint32_t *order, *new_index;
	struct dwt_type *sorted;

	for (i = 1; i < n && cu->w->order[i - 1] < cu->w->order[i]; i++)
		;
	if (i >= n)
		return 0;
	order = malloc(sizeof(*order) * n);
	new_index = malloc(sizeof(*new_index) * n);
	sorted = malloc(sizeof(*sorted) * n);
	if (!order || !new_index || !sorted) {
		free(order);
		free(new_index);
		free(sorted);
		return -ENOMEM;
	}
	/* Every record was read once, each taking the next order number: the
	 * orders are a permutation of 0..n-1 and give the new indexes as they
	 * are. A record never read (which cannot happen) makes it a sort. */
	for (i = 0; i < n && cu->w->order[i] < n; i++)
		;
	if (i == n) {
		for (i = 0; i < n; i++) {
			new_index[i] = cu->w->order[i];
			sorted[cu->w->order[i]] = cu->types[i];
		}
	} else {
		for (i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		qsort_r(order, n, sizeof(*order), by_order, cu->w->order);
		for (i = 0; i < n; i++) {
			new_index[order[i]] = (uint32_t)i;
			sorted[i] = cu->types[order[i]];
		}
	}
	for (i = 0; i < n; i++)
		cu->w->order[i] = (uint32_t)i;
	free(cu->types);
	cu->types = sorted;
	cu->types_cap = n;
	remap_refs(cu, new_index);
	free(order);
	free(new_index);
	return 0;
}

/* The records of the unit below top, in the order pahole numbers them. */
static int walk_unit(struct dwt_cu *cu, struct dwt_die *top)
{
	int err = walk_children(cu, top, 0);

	err = err ? err : drain_pending(cu);
	return err ? err : renumber(cu);
}

int dwt_cu_walk(struct dwt_file *f, size_t i, unsigned exclude_lang, struct dwt_walker *w,
		struct dwt_cu *cu, bool *skipped)
{
	struct dwt_die top = { .fast = 0, .d = f->cus[i] };
	int err;

	cu_reset(cu, f, w);
	if (f->splits && f->splits[i].addr) {
		/* -gsplit-dwarf: the skeleton's split unit, in its .dwo, read by
		 * libdw (the fast path knows the object's .debug_info only). */
		top.d = f->splits[i];
		cu->dw = dwarf_cu_getdwarf(top.d.cu);
	}
	*skipped = exclude_lang && dwarf_srclang(&top.d) == (int)exclude_lang;
	if (!*skipped) {
		cu->name = dwarf_diename(&top.d);
		err = cu->dw == f->dw ? dwt_dec_unit(f, i, cu) : -EAGAIN;
		if (err == -ENOMEM)
			goto out;
		if (!err) {
			struct dwt_die fast_top = { .fast = 1 };

			dwt_log_hold(cu);
			err = walk_unit(cu, &fast_top);
			dwt_log_hold(NULL);
			if (!cu->fast_failed)
				goto out;
			/* Whatever the fast path met, libdw reads it its own way. */
			cu_reset(cu, f, w);
			cu->name = dwarf_diename(&top.d);
		}
		err = walk_unit(cu, &top);
	} else {
		err = 0;
	}
out:
	/* The scratch is the thread's: the records are all that stays. */
	cu->w = NULL;
	cu->unit = NULL;
	return err;
}

size_t dwt_cu_type_count(const struct dwt_cu *cu)
{
	return cu->types_len;
}

const struct dwt_type *dwt_cu_type(const struct dwt_cu *cu, uint32_t index)
{
	return &cu->types[index];
}

/* Element i of an array that is NULL while empty (then i is 0, and NULL is
 * what the caller gets: C has no NULL + 0). */
#define at(arr, i) ((arr) ? (arr) + (i) : NULL)

const struct dwt_item *dwt_cu_items(const struct dwt_cu *cu, const struct dwt_type *t)
{
	return at(cu->items, t->first);
}

const struct dwt_tag *dwt_cu_tags(const struct dwt_cu *cu, const struct dwt_type *t)
{
	return at(cu->tags, t->first_tag);
}

const char *dwt_cu_name(const struct dwt_cu *cu)
{
	return cu->name;
}

size_t dwt_cu_func_count(const struct dwt_cu *cu)
{
	return cu->funcs_len;
}

const struct dwt_func *dwt_cu_func(const struct dwt_cu *cu, size_t i)
{
	return &cu->funcs[i];
}

const struct dwt_item *dwt_cu_params(const struct dwt_cu *cu, const struct dwt_func *fn)
{
	return at(cu->items, fn->first);
}

const struct dwt_tag *dwt_cu_func_tags(const struct dwt_cu *cu, const struct dwt_func *fn)
{
	return at(cu->tags, fn->first_tag);
}

size_t dwt_cu_var_count(const struct dwt_cu *cu)
{
	return cu->vars_len;
}

const struct dwt_var *dwt_cu_var(const struct dwt_cu *cu, size_t i)
{
	return &cu->vars[i];
}

const struct dwt_tag *dwt_cu_var_tags(const struct dwt_cu *cu, const struct dwt_var *v)
{
	return at(cu->tags, v->first_tag);
}
