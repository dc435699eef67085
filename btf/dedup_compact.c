// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_compact.c - pass 7 of dedup: canonical own types move to dense ids
 * in their order, every type-id field is remapped, and the result replaces
 * the builder's types and strings in one step.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_priv.h"
#include "visit.h"

struct remap {
	const struct dedup *d;
	const uint32_t *new_ids; /* per own id: new id, or DD_UNPROCESSED if dropped */
};

/* The new id of any old one: base ids stay. */
static uint32_t new_id_of(const struct remap *r, uint32_t id)
{
	id = dd_resolve(r->d, id);
	return id < r->d->start_id ? id : r->new_ids[id - r->d->start_id];
}

static int remap_field(uint32_t *field, void *ctx)
{
	const struct remap *r = ctx;
	uint32_t to = new_id_of(r, *field);

	if (to == DD_UNPROCESSED) {
		btf_log("btf: dedup: type [%u] resolves to a dropped type", *field);
		return -EINVAL;
	}
	*field = to;
	return 0;
}

/* New ids for canonical own types; returns the bytes they take, via *len. */
static uint32_t *assign_ids(const struct dedup *d, size_t *len, size_t *count)
{
	uint32_t *new_ids = malloc(sizeof(*new_ids) * (d->total - d->start_id + 1)), id,
		 next = d->start_id;

	if (!new_ids)
		return NULL;
	*len = 0;
	for (id = d->start_id; id < d->total; id++) {
		if (dd_map(d, id) != id) {
			new_ids[id - d->start_id] = DD_UNPROCESSED;
			continue;
		}
		new_ids[id - d->start_id] = next++;
		*len += btf_type_size_of(dd_type(d, id));
	}
	*count = next - d->start_id;
	return new_ids;
}

/* The caller's old -> new id map: every id through its canonical type. */
static uint32_t *old_to_new(const struct remap *r)
{
	uint32_t *out = malloc(sizeof(*out) * r->d->total), id;

	if (!out)
		return NULL;
	for (id = 0; id < r->d->total; id++)
		out[id] = new_id_of(r, id);
	return out;
}

static void commit(struct btf_builder *b, uint8_t *types, size_t len, uint32_t *offs,
		   size_t count, struct strset *strs)
{
	free(b->types);
	free(b->type_offs);
	strset_free(b->strs);
	b->types = types;
	b->types_len = len;
	b->types_cap = len;
	b->type_offs = offs;
	b->nr_types = count;
	b->type_offs_cap = count;
	b->strs = strs;
	b->max_ref = 0;
	b->relaxed = false;
	b->strs_local = false;
	b->max_id = BTF_BUILDER_MAX_ID;
}

int dd_compact(struct dedup *d, struct strset *strs, uint32_t **id_map)
{
	struct remap r = { .d = d };
	size_t len = 0, count = 0, pos = 0, n = 0;
	uint32_t *new_ids, *offs, *map_out = NULL, id;
	uint8_t *types;
	int err = 0;

	new_ids = assign_ids(d, &len, &count);
	r.new_ids = new_ids;
	types = malloc(len ? len : 1);
	offs = malloc(sizeof(*offs) * (count ? count : 1));
	if (id_map && new_ids)
		map_out = old_to_new(&r);
	if (!new_ids || !types || !offs || (id_map && !map_out))
		err = -ENOMEM;
	for (id = d->start_id; !err && id < d->total; id++) {
		const struct btf_type *t = dd_type(d, id);
		uint32_t size = btf_type_size_of(t);

		if (dd_map(d, id) != id)
			continue;
		memcpy(types + pos, t, size);
		offs[n++] = (uint32_t)pos;
		err = btf_type_visit_ids((struct btf_type *)(types + pos), remap_field, &r);
		pos += size;
	}
	free(new_ids);
	if (err) {
		free(types);
		free(offs);
		free(map_out);
		return err;
	}
	commit(d->b, types, len, offs, count, strs);
	if (id_map)
		*id_map = map_out;
	return 0;
}
