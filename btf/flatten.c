// SPDX-License-Identifier: GPL-2.0-only
/*
 * flatten.c - btf_builder_flatten(): split BTF and its base(s) as one
 * standalone BTF, every type id and string offset unchanged.
 *
 * A split builder's ids continue its base's, and its logical string offsets
 * continue the base's string section. So laying the levels' own type records
 * back to back, root first, and their string sections back to back the same
 * way gives a non-split blob in which every record reads exactly as before:
 * nothing is renumbered or rewritten. For example, a base with [1] INT 'int'
 * and strings "\0int\0" (5 bytes) under a split with [2] PTR -> 1 and
 * [3] TYPEDEF 'int_p' -> 2 whose strings are "int_p\0" (name offset 5) flattens
 * to types [1] [2] [3] and strings "\0int\0int_p\0", where offset 5 is still
 * "int_p". The composed blob then goes through btf_builder_parse(), which
 * checks it like any other input.
 *
 * Strings that a split level repeats from its base stay repeated (the kernel
 * accepts that; a dedup drops them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "builder_priv.h"

/* The most levels a chain may have here: the kernel knows two (vmlinux and
 * a module); more is still fine, but deeper than this is a corrupt chain. */
#define FLATTEN_MAX_LEVELS 64

/* Own type record bytes of one level: from its first record to its end. */
static size_t level_types_len(const struct btf_builder *b)
{
	return b->nr_types ? b->types_len - b->type_offs[0] : 0;
}

static const uint8_t *level_types(const struct btf_builder *b)
{
	return b->nr_types ? b->types + b->type_offs[0] : b->types;
}

/*
 * The levels of split's chain, root first, into levels[] (*n of them).
 * Returns: 0, or -EINVAL for a chain deeper than FLATTEN_MAX_LEVELS.
 */
static int flatten_levels(const struct btf_builder *split,
			  const struct btf_builder **levels, size_t *n)
{
	const struct btf_builder *b;
	size_t depth = 0, i;

	for (b = split; b; b = b->base) {
		if (depth == FLATTEN_MAX_LEVELS)
			return -EINVAL;
		levels[depth++] = b;
	}
	for (i = 0; i < depth / 2; i++) {
		b = levels[i];
		levels[i] = levels[depth - 1 - i];
		levels[depth - 1 - i] = b;
	}
	*n = depth;
	return 0;
}

/*
 * The standalone blob of levels[0..n), host order: a 24-byte header, every
 * level's types, then every level's strings.
 * Returns: 0 and *blob (malloc'd, *size bytes); -E2BIG past 4 GiB; -ENOMEM.
 */
static int flatten_compose(const struct btf_builder **levels, size_t n, uint8_t **blob,
			   size_t *size)
{
	uint64_t types_len = 0, str_len = 0, total;
	struct btf_header h = { 0 };
	uint8_t *out, *p;
	size_t i;

	for (i = 0; i < n; i++) {
		types_len += level_types_len(levels[i]);
		str_len += btf_builder_str_len(levels[i]);
	}
	total = sizeof(h) + types_len + str_len;
	if (types_len > UINT32_MAX || str_len > UINT32_MAX || total > UINT32_MAX)
		return -E2BIG;
	out = malloc(total);
	if (!out)
		return -ENOMEM;
	h.magic = BTF_MAGIC;
	h.version = BTF_VERSION;
	h.hdr_len = sizeof(h);
	h.type_off = 0;
	h.type_len = (uint32_t)types_len;
	h.str_off = (uint32_t)types_len;
	h.str_len = (uint32_t)str_len;
	memcpy(out, &h, sizeof(h));
	p = out + sizeof(h);
	for (i = 0; i < n; i++) {
		size_t len = level_types_len(levels[i]);

		if (len)
			memcpy(p, level_types(levels[i]), len);
		p += len;
	}
	for (i = 0; i < n; i++) {
		size_t len = btf_builder_str_len(levels[i]);

		if (len)
			memcpy(p, strset_data(levels[i]->strs), len);
		p += len;
	}
	*blob = out;
	*size = (size_t)total;
	return 0;
}

int btf_builder_flatten(const struct btf_builder *split, struct btf_builder **out)
{
	const struct btf_builder *levels[FLATTEN_MAX_LEVELS];
	struct btf_builder *flat;
	size_t n, size;
	uint8_t *blob;
	int err;

	err = flatten_levels(split, levels, &n);
	if (err) {
		btf_log("btf: flatten: a chain of more than %d bases", FLATTEN_MAX_LEVELS);
		return err;
	}
	err = flatten_compose(levels, n, &blob, &size);
	if (err)
		return err;
	err = btf_builder_parse(blob, size, NULL, &flat);
	free(blob);
	if (err)
		return err;
	btf_builder_set_endian(flat, split->endian);
	*out = flat;
	return 0;
}
