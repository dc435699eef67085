// SPDX-License-Identifier: GPL-2.0-only
/*
 * copy.c - one record of a builder appended to another as it is, with its
 * type ids renumbered through a map and its strings added to the target.
 *
 * distill.c moves types between a module's BTF and its distilled base with
 * it: unlike the typed adds, the copy takes every record of a valid blob
 * (an INT's offset bits, a struct's kind_flag) without re-deciding them.
 */
#include <errno.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_add.h"
#include "visit.h"

struct copy_ctx {
	struct btf_builder *dst;
	const struct btf_builder *src;
	const uint32_t *id_map;
	uint32_t map_len;
	uint32_t max_ref;
};

static int copy_map_id(uint32_t *id, void *data)
{
	struct copy_ctx *c = data;

	if (*id >= c->map_len || (*id && !c->id_map[*id]))
		return -ERANGE;
	*id = c->id_map[*id];
	if (*id > c->max_ref)
		c->max_ref = *id;
	return 0;
}

int builder_move_str(struct btf_builder *dst, const struct btf_builder *src, uint32_t *off)
{
	const char *s = btf_builder_str(src, *off);
	int r;

	if (!s)
		return -EINVAL;
	/* With src == dst, s lives in dst's own bytes; add_str copes with that. */
	r = btf_builder_add_str(dst, s);
	if (r < 0)
		return r;
	*off = (uint32_t)r;
	return 0;
}

static int copy_add_str(uint32_t *off, void *data)
{
	struct copy_ctx *c = data;

	return *off ? builder_move_str(c->dst, c->src, off) : 0;
}

int builder_copy_type(struct btf_builder *dst, const struct btf_builder *src, uint32_t id,
		      const uint32_t *id_map, uint32_t map_len)
{
	struct copy_ctx c = { dst, src, id_map, map_len, 0 };
	const struct btf_type *t = btf_builder_type(src, id);
	uint32_t new_id = btf_builder_type_cnt(dst), bytes;
	struct btf_type *copy;
	int err;

	if (!t)
		return -ERANGE;
	if (new_id > dst->max_id)
		return -E2BIG;
	bytes = btf_type_size_of(t);
	err = add_reserve(dst, bytes, 1);
	if (err)
		return err;
	/* src is another builder: reserving room in dst never moves t. */
	copy = (struct btf_type *)(dst->types + dst->types_len);
	memcpy(copy, t, bytes);
	err = btf_type_visit_ids(copy, copy_map_id, &c);
	if (!err)
		err = btf_type_visit_strs(copy, copy_add_str, &c);
	if (err)
		return err;
	dst->type_offs[dst->nr_types++] = (uint32_t)dst->types_len;
	dst->types_len += bytes;
	add_note_ref(dst, c.max_ref);
	return (int)new_id;
}
