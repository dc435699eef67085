// SPDX-License-Identifier: GPL-2.0-only
/*
 * builder.c - life cycle, lookups, strings and the switch from the read-only
 * to the writable representation of struct btf_builder.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "builder_priv.h"
#include "grow.h"

enum btf_endian btf_host_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one ? BTF_ENDIAN_LITTLE : BTF_ENDIAN_BIG;
}

/* Bytes adds may grow own strings to: logical offsets stay <= BTF_MAX_NAME_OFFSET. */
static uint32_t str_room(uint32_t start_str_off)
{
	return start_str_off > BTF_MAX_NAME_OFFSET ? 0 : BTF_MAX_NAME_OFFSET + 1 - start_str_off;
}

int btf_builder_alloc(struct btf_builder *base, struct btf_builder **out)
{
	struct btf_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->base = base;
	b->start_id = base ? btf_builder_type_cnt(base) : 1;
	b->start_str_off = base ? base->start_str_off + btf_builder_str_len(base) : 0;
	b->endian = base ? base->endian : btf_host_endian();
	b->max_id = BTF_BUILDER_MAX_ID;
	*out = b;
	return 0;
}

static int builder_new_empty(struct btf_builder *base, struct btf_builder **out)
{
	struct btf_builder *b;
	int err = btf_builder_alloc(base, &b);

	if (err)
		return err;
	err = strset_new(str_room(b->start_str_off), &b->strs);
	/* Base BTF starts its strings with "" at offset 0; split BTF has it in the base. */
	if (!err && !base)
		err = strset_add(b->strs, "");
	if (err) {
		btf_builder_free(b);
		return err;
	}
	b->writable = true;
	*out = b;
	return 0;
}

int btf_builder_new(struct btf_builder **out)
{
	return builder_new_empty(NULL, out);
}

int btf_builder_new_split(struct btf_builder *base, struct btf_builder **out)
{
	if (btf_builder_type_cnt(base) > BTF_BUILDER_MAX_ID + 1 ||
	    base->start_str_off + btf_builder_str_len(base) > BTF_MAX_NAME_OFFSET + 1)
		return -E2BIG;
	return builder_new_empty(base, out);
}

void btf_builder_free(struct btf_builder *b)
{
	if (!b)
		return;
	if (b->writable)
		free(b->types);
	btf_raw_release(b->raw, b->raw_map, b->raw_map_len);
	free(b->type_offs);
	strset_free(b->strs);
	free(b->str_ptrs);
	free(b->str_keys);
	ptrmap_free(&b->str_ptr_index);
	free(b->out);
	if (b->owns_base)
		btf_builder_free(b->base);
	free(b);
}

void btf_builder_set_strs_local(struct btf_builder *b)
{
	b->strs_local = b->base != NULL;
}

void btf_raw_release(void *raw, void *map, size_t map_len)
{
	if (map)
		munmap(map, map_len);
	else
		free(raw);
}

void btf_builder_own_base(struct btf_builder *b)
{
	b->owns_base = b->base != NULL;
}

uint32_t btf_builder_type_cnt(const struct btf_builder *b)
{
	return b->start_id + (uint32_t)b->nr_types;
}

uint32_t btf_builder_start_id(const struct btf_builder *b)
{
	return b->start_id;
}

uint32_t btf_builder_start_str_off(const struct btf_builder *b)
{
	return b->start_str_off;
}

struct btf_builder *btf_builder_base(const struct btf_builder *b)
{
	return b->base;
}

bool btf_builder_is_writable(const struct btf_builder *b)
{
	return b->writable;
}

const struct btf_type *btf_builder_type(const struct btf_builder *b, uint32_t id)
{
	while (id < b->start_id) {
		if (!b->base)
			return NULL;
		b = b->base;
	}
	id -= b->start_id;
	if (id >= b->nr_types)
		return NULL;
	return (const struct btf_type *)(b->types + b->type_offs[id]);
}

const char *btf_builder_str(const struct btf_builder *b, uint32_t off)
{
	while (off < b->start_str_off) {
		if (!b->base)
			return NULL;
		b = b->base;
	}
	off -= b->start_str_off;
	if (b->strs_by_ptr)
		return !off ? "" : off <= b->str_ptrs_len ? b->str_ptrs[off - 1] : NULL;
	if (off >= strset_len(b->strs))
		return NULL;
	return strset_data(b->strs) + off;
}

uint32_t btf_builder_str_len(const struct btf_builder *b)
{
	return b->strs_by_ptr ? (uint32_t)b->str_ptrs_len + 1 : strset_len(b->strs);
}

int btf_builder_set_strs_by_ptr(struct btf_builder *b)
{
	if (b->nr_types || !b->writable || strset_len(b->strs) > 1)
		return -EINVAL;
	b->strs_by_ptr = true;
	return 0;
}

bool btf_builder_strs_by_ptr(const struct btf_builder *b)
{
	return b->strs_by_ptr;
}

/* add_str() of a builder whose strings are their addresses. */
static int add_str_ptr(struct btf_builder *b, const char *s)
{
	const void *key;
	uint32_t k;

	if (!*s)
		return 0;
	key = ptrmap_str_key(s);
	if (ptrmap_get(&b->str_ptr_index, key, &k))
		return (int)(b->start_str_off + 1 + k);
	if ((uint64_t)b->start_str_off + 1 + b->str_ptrs_len > INT32_MAX)
		return -E2BIG;
	k = (uint32_t)b->str_ptrs_len;
	if (b->str_ptrs_len >= b->str_ptrs_cap) {
		size_t cap = b->str_ptrs_cap;

		if (grow_array_raw((void **)&b->str_ptrs, &b->str_ptrs_cap, sizeof(*b->str_ptrs),
				   b->str_ptrs_len + 1) ||
		    grow_array_raw((void **)&b->str_keys, &cap, sizeof(*b->str_keys),
				   b->str_ptrs_cap))
			return -ENOMEM;
	}
	if (ptrmap_put(&b->str_ptr_index, key, k))
		return -ENOMEM;
	b->str_keys[k] = key;
	b->str_ptrs[b->str_ptrs_len++] = s;
	return (int)(b->start_str_off + 1 + k);
}

int btf_builder_find_str(struct btf_builder *b, const char *s)
{
	int off;

	if (b->base) {
		off = btf_builder_find_str(b->base, s);
		if (off != -ENOENT)
			return off;
	}
	off = strset_find(b->strs, s);
	return off < 0 ? off : (int)b->start_str_off + off;
}

int btf_builder_add_str(struct btf_builder *b, const char *s)
{
	int off;

	if (b->strs_by_ptr)
		return add_str_ptr(b, s);
	if (b->base && !b->strs_local) {
		off = btf_builder_find_str(b->base, s);
		if (off != -ENOENT)
			return off;
	}
	/* Writable: strset_add() finds an existing string itself, with one
	 * hash; every name of every unit comes through here. */
	if (b->writable) {
		uint32_t len = strset_len(b->strs);

		off = strset_add(b->strs, s);
		if (off < 0)
			return off;
		/* A string added changes the blob: drop the finalized one. */
		if (strset_len(b->strs) != len && b->out_valid)
			btf_builder_ensure_writable(b);
		return (int)b->start_str_off + off;
	}
	off = strset_find(b->strs, s);
	if (off != -ENOENT)
		return off < 0 ? off : (int)b->start_str_off + off;
	/* s may point into the read-only blob that the switch frees. */
	if (!b->writable && strset_len(b->strs) && s >= strset_data(b->strs) &&
	    s < strset_data(b->strs) + strset_len(b->strs)) {
		size_t at = (size_t)(s - strset_data(b->strs));

		off = btf_builder_ensure_writable(b);
		s = strset_data(b->strs) + at;
	} else {
		off = btf_builder_ensure_writable(b);
	}
	if (off)
		return off;
	off = strset_add(b->strs, s);
	return off < 0 ? off : (int)b->start_str_off + off;
}

void btf_builder_set_endian(struct btf_builder *b, enum btf_endian e)
{
	if (b->endian == e)
		return;
	b->endian = e;
	free(b->out);
	b->out = NULL;
	b->out_valid = false;
}

void btf_builder_set_unlimited(struct btf_builder *b)
{
	b->max_id = UINT32_MAX - 2;
	b->relaxed = true;
}

enum btf_endian btf_builder_endian(const struct btf_builder *b)
{
	return b->endian;
}

int btf_builder_ensure_writable(struct btf_builder *b)
{
	uint8_t *types = NULL;
	size_t cap = 0;
	int err;

	free(b->out);
	b->out = NULL;
	b->out_valid = false;
	if (b->writable)
		return 0;
	err = grow_array((void **)&types, &cap, 1, b->types_len);
	if (err)
		return err;
	if (b->types_len)
		memcpy(types, b->types, b->types_len);
	err = strset_own(b->strs);
	if (err) {
		free(types);
		return err;
	}
	b->types = types;
	b->types_cap = cap;
	btf_raw_release(b->raw, b->raw_map, b->raw_map_len);
	b->raw = NULL;
	b->raw_map = NULL;
	b->raw_map_len = 0;
	b->raw_size = 0;
	b->writable = true;
	return 0;
}
