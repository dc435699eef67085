// SPDX-License-Identifier: GPL-2.0-only
/*
 * finalize.c - the contiguous blob: header, types, strings, nothing after,
 * in the builder's byte order, cached until the next modification.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_priv.h"

/* Unmodified parse in its own order: the blob is raw itself, header and all. */
static bool finalize_is_raw(const struct btf_builder *b)
{
	return !b->writable && b->endian == btf_host_endian();
}

/* Returns: 0, or -ELOOP naming a type on a reference loop, -ENOMEM. */
static int finalize_check_loops(const struct btf_builder *b)
{
	uint32_t at;
	int err = btf_builder_find_loop(b, &at);

	if (err)
		return err == -ENOENT ? 0 : err;
	btf_log("btf: type [%u] %s is on a reference loop with no struct, union or function "
		"on it, which the kernel refuses", at,
		btf_kind_name(btf_type_kind(btf_builder_type(b, at))));
	return -ELOOP;
}

/* Returns: 0, or -ERANGE naming the first type that refers past the last id. */
static int finalize_check_refs(const struct btf_builder *b)
{
	uint32_t cnt = btf_builder_type_cnt(b);

	if (cnt > BTF_BUILDER_MAX_ID + 1) {
		btf_log("btf: %u types, more than the kernel's limit of %u", cnt - 1,
			BTF_BUILDER_MAX_ID);
		return -E2BIG;
	}
	if (b->max_ref >= cnt) {
		btf_log("btf: a type refers to id %u but the last id is %u", b->max_ref, cnt - 1);
		return -ERANGE;
	}
	return finalize_check_loops(b);
}

static int finalize_build(struct btf_builder *b)
{
	uint32_t hdr_len = b->writable ? sizeof(struct btf_header) : b->hdr_len;
	uint32_t str_len = btf_builder_str_len(b);
	uint64_t total = (uint64_t)hdr_len + b->types_len + str_len;
	struct btf_header *h;
	uint8_t *out;

	if (total > UINT32_MAX)
		return -E2BIG;
	out = calloc(1, total);
	if (!out)
		return -ENOMEM;
	h = (struct btf_header *)out;
	if (b->writable) {
		h->magic = BTF_MAGIC;
		h->version = BTF_VERSION;
		h->flags = 0;
		h->hdr_len = hdr_len;
		h->type_off = 0;
		h->type_len = (uint32_t)b->types_len;
		h->str_off = (uint32_t)b->types_len;
		h->str_len = str_len;
	} else {
		/* An untouched parse keeps its header; its sections tile as parsed. */
		memcpy(h, b->raw, hdr_len);
	}
	if (b->types_len)
		memcpy(out + hdr_len, b->types, b->types_len);
	if (str_len)
		memcpy(out + hdr_len + b->types_len, strset_data(b->strs), str_len);
	if (b->endian != btf_host_endian()) {
		btf_swap_types(out + hdr_len, b->types_len, false);
		btf_swap_header(h);
	}
	free(b->out);
	b->out = out;
	b->out_size = (uint32_t)total;
	return 0;
}

int btf_builder_finalize(struct btf_builder *b, const void **data, uint32_t *size)
{
	int err;

	if (b->strs_by_ptr)
		return -EINVAL;
	if (!b->out_valid) {
		err = finalize_check_refs(b);
		if (err)
			return err;
		if (!finalize_is_raw(b)) {
			err = finalize_build(b);
			if (err)
				return err;
		}
		b->out_valid = true;
	}
	if (finalize_is_raw(b)) {
		*data = b->raw;
		*size = b->raw_size;
	} else {
		*data = b->out;
		*size = b->out_size;
	}
	return 0;
}
