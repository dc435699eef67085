// SPDX-License-Identifier: GPL-2.0-only
/*
 * distill.c - btf_builder_distill(): a module's split BTF re-based on the
 * smallest base that still says what the module needs of vmlinux, so that
 * btf_builder_relocate() (or the kernel, at module load) can later put it on
 * the vmlinux BTF of another build of the same kernel.
 *
 * The rules are libbpf's (btf__distill_base(), which pahole calls), so that
 * a kernel reads btfenc's .BTF.base as it reads pahole's:
 *  - the base types the module refers to are found, following references
 *    through base types too, but not into the members of a named struct or
 *    union: those are matched by name (and size) later, not by shape;
 *  - named INT, FLOAT and FWD go to the new base as they are; a named STRUCT
 *    or UNION as one of the same name and size without members; a named ENUM
 *    or ENUM64 as an ENUM of that name and size without values;
 *  - everything else the module needs (pointers, arrays, typedefs, function
 *    prototypes, modifiers, anonymous structs, unions and enums) is copied
 *    into the new split BTF, after the module's own types;
 *  - the module's own types keep their order; ids shift down by the types
 *    the new base no longer has.
 * Example: a module [100] STRUCT 'm' { 'd' -> [7] PTR -> [3] STRUCT
 * 'device' } on a base with 99 types gives the base [1] STRUCT 'device'
 * size=N vlen=0 and the split [2] STRUCT 'm' { 'd' -> [3] }, [3] PTR -> [1].
 */
#include <errno.h>
#include <stdlib.h>

#include "btf_rec.h"
#include "builder_add.h"
#include "visit.h"

struct distill {
	const struct btf_builder *src;
	uint32_t split_start;	/* src's first own id */
	uint32_t *map;		/* src id -> new id; for base ids, nonzero = needed */
	uint32_t *stack;	/* base ids whose references are still to mark */
	size_t depth;
};

static bool is_named_composite(const struct btf_type *t)
{
	uint32_t kind = btf_type_kind(t);

	return (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) && t->name_off;
}

/* The kinds a module's BTF may refer to in its base. */
static bool base_kind_referable(uint32_t kind)
{
	switch (kind) {
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
		return false;
	default:
		return kind != BTF_KIND_UNKN && kind <= BTF_KIND_ENUM64;
	}
}

static int mark_ref(uint32_t *id, void *data)
{
	struct distill *d = data;
	const struct btf_type *t;

	if (!*id || *id >= d->split_start || d->map[*id])
		return 0;
	t = btf_builder_type(d->src, *id);
	if (!t)
		return -ERANGE;
	if (!base_kind_referable(btf_type_kind(t))) {
		btf_log("type [%u]: a split type refers to it, but a %s cannot be in a distilled base",
			*id, btf_kind_name(btf_type_kind(t)));
		return -EINVAL;
	}
	d->map[*id] = *id;
	if (!is_named_composite(t))
		d->stack[d->depth++] = *id;
	return 0;
}

/* Marks the base types that the record of id needs, transitively. */
static int mark_needed(struct distill *d, uint32_t id)
{
	int err = 0;

	for (;;) {
		/* Marking only reads the record: the visitor's pointer is not written. */
		struct btf_type *t = (struct btf_type *)btf_builder_type(d->src, id);

		err = btf_type_visit_ids(t, mark_ref, d);
		if (err || !d->depth)
			return err;
		id = d->stack[--d->depth];
	}
}

/* Whether a needed base type stays in the distilled base (else it moves). */
static bool stays_in_base(const struct btf_type *t)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_FWD:
		return true;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return t->name_off != 0;
	default:
		return false;
	}
}

static int add_to_base(struct distill *d, struct btf_builder *base, uint32_t id)
{
	const struct btf_type *t = btf_builder_type(d->src, id);
	const char *name = btf_builder_str(d->src, t->name_off);

	switch (btf_type_kind(t)) {
	case BTF_KIND_STRUCT:
		return btf_builder_add_struct(base, name, t->size);
	case BTF_KIND_UNION:
		return btf_builder_add_union(base, name, t->size);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return btf_builder_add_enum(base, name, t->size);
	default:
		/* INT, FLOAT, FWD refer to no type: the map is not used. */
		return builder_copy_type(base, d->src, id, d->map, 1);
	}
}

/* The new base: every needed base type that stays, in id order. */
static int build_base(struct distill *d, struct btf_builder *base)
{
	uint32_t id;
	int r;

	for (id = 1; id < d->split_start; id++) {
		if (!d->map[id] || !stays_in_base(btf_builder_type(d->src, id)))
			continue;
		r = add_to_base(d, base, id);
		if (r < 0)
			return r;
		d->map[id] = (uint32_t)r;
	}
	return 0;
}

/* The new split: own types (ids shifted), then the moved base types. */
static int build_split(struct distill *d, struct btf_builder *split, uint32_t base_cnt)
{
	uint32_t n = btf_builder_type_cnt(d->src), shift = d->split_start - base_cnt, id;
	uint32_t next = n - shift;
	int r;

	for (id = 1; id < d->split_start; id++)
		if (d->map[id] && !stays_in_base(btf_builder_type(d->src, id)))
			d->map[id] = next++;
	for (id = d->split_start; id < n; id++)
		d->map[id] = id - shift;
	for (id = d->split_start; id < n; id++) {
		r = builder_copy_type(split, d->src, id, d->map, n);
		if (r < 0)
			return r;
	}
	for (id = 1; id < d->split_start; id++) {
		if (!d->map[id] || stays_in_base(btf_builder_type(d->src, id)))
			continue;
		r = builder_copy_type(split, d->src, id, d->map, n);
		if (r < 0)
			return r;
	}
	return 0;
}

int btf_builder_distill(const struct btf_builder *src, struct btf_builder **base_out,
			struct btf_builder **split_out)
{
	struct distill d = { .src = src, .split_start = src->start_id };
	struct btf_builder *base = NULL, *split = NULL;
	uint32_t n = btf_builder_type_cnt(src), id;
	int err;

	*base_out = *split_out = NULL;
	if (!src->base)
		return -EINVAL;
	d.map = calloc(n, sizeof(*d.map));
	d.stack = calloc(d.split_start, sizeof(*d.stack));
	if (!d.map || !d.stack) {
		err = -ENOMEM;
		goto out;
	}
	for (id = d.split_start, err = 0; id < n && !err; id++)
		err = mark_needed(&d, id);
	if (!err)
		err = btf_builder_new(&base);
	if (!err) {
		btf_builder_set_endian(base, btf_builder_endian(src));
		err = build_base(&d, base);
	}
	if (!err)
		err = btf_builder_new_split(base, &split);
	if (!err) {
		btf_builder_set_endian(split, btf_builder_endian(src));
		err = build_split(&d, split, btf_builder_type_cnt(base));
	}
out:
	free(d.map);
	free(d.stack);
	if (err) {
		btf_builder_free(split);
		btf_builder_free(base);
		return err;
	}
	*base_out = base;
	*split_out = split;
	return 0;
}
