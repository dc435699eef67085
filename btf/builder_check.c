// SPDX-License-Identifier: GPL-2.0-only
/*
 * builder_check.c - the kernel's rules that need the type graph, applied by
 * adds to the types that already exist (see builder_priv.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_priv.h"

/* The kernel follows at most this many modifiers in one chain. */
#define CHAIN_LIMIT 32
/* The kernel's pointer size (64-bit targets). */
#define PTR_SIZE 8

static bool kind_is_modifier(uint32_t kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG;
}

/* Follows modifiers from id; all: look at every type, relaxed or not. */
static int skip_mods(const struct btf_builder *b, uint32_t id, uint32_t *out, bool all)
{
	int n;

	for (n = 0; n <= CHAIN_LIMIT && id; n++) {
		const struct btf_type *t = all ? btf_builder_type(b, id) : builder_known(b, id);

		if (!t)
			return -ENOENT;
		if (!kind_is_modifier(btf_type_kind(t)))
			break;
		id = t->type;
	}
	if (n > CHAIN_LIMIT)
		return -ELOOP;
	*out = id;
	return 0;
}

int builder_skip_mods(const struct btf_builder *b, uint32_t id, uint32_t *out)
{
	return skip_mods(b, id, out, false);
}

static int type_size(const struct btf_builder *b, uint32_t id, uint32_t *size, bool all)
{
	uint64_t mult = 1;
	int depth, err;

	for (depth = 0; depth <= CHAIN_LIMIT; depth++) {
		const struct btf_type *t;
		const struct btf_array *a;

		err = skip_mods(b, id, &id, all);
		if (err)
			return err == -ELOOP ? -EINVAL : err;
		if (!id)
			return -EINVAL;
		t = btf_builder_type(b, id);
		switch (btf_type_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_FLOAT:
			mult *= t->size;
			break;
		case BTF_KIND_PTR:
			mult *= PTR_SIZE;
			break;
		case BTF_KIND_ARRAY:
			a = btf_type_data(t);
			mult *= a->nelems;
			if (mult > UINT32_MAX)
				return -E2BIG;
			id = a->type;
			continue;
		default:
			return -EINVAL;
		}
		if (mult > UINT32_MAX)
			return -E2BIG;
		*size = (uint32_t)mult;
		return 0;
	}
	return -EINVAL;
}

int builder_type_size(const struct btf_builder *b, uint32_t id, uint32_t *size)
{
	return type_size(b, id, size, false);
}

int btf_builder_type_size(const struct btf_builder *b, uint32_t id, uint32_t *size)
{
	return type_size(b, id, size, true);
}

int builder_check_tag_chain(const struct btf_builder *b, uint32_t kind, uint32_t target)
{
	bool in_tags = kind == BTF_KIND_TYPE_TAG;
	int n;

	for (n = 1; target; n++) {
		const struct btf_type *t = builder_known(b, target);

		if (!t || !kind_is_modifier(btf_type_kind(t)))
			return 0;
		if (n >= CHAIN_LIMIT)
			return -EINVAL;
		if (btf_type_kind(t) == BTF_KIND_TYPE_TAG) {
			if (!in_tags)
				return -EINVAL;
		} else {
			in_tags = false;
		}
		target = t->type;
	}
	return 0;
}

int builder_check_ref_target(const struct btf_builder *b, uint32_t id)
{
	const struct btf_type *t;

	if (!id)
		return 0;
	t = builder_known(b, id);
	if (!t)
		return -ENOENT;
	switch (btf_type_kind(t)) {
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_FUNC:
		return -EINVAL;
	default:
		return 0;
	}
}

/* Character classes of names, one load per character on the hot path
 * (every name of every DWARF unit is checked): bit 0 may start an
 * identifier, bit 1 may continue one, bit 2 is the '.' of section names. */
#define NC_FIRST 1
#define NC_NEXT 2
#define NC_DOT 4
#define NC_RANGE(a, b, v) [a ... b] = (v)
static const unsigned char name_class[256] = {
	NC_RANGE('a', 'z', NC_FIRST | NC_NEXT),
	NC_RANGE('A', 'Z', NC_FIRST | NC_NEXT),
	NC_RANGE('0', '9', NC_NEXT),
	['_'] = NC_FIRST | NC_NEXT,
	['.'] = NC_DOT,
};

static bool name_chars_ok(const char *s, bool dot_ok)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned first = NC_FIRST | (dot_ok ? NC_DOT : 0), next = NC_NEXT | (dot_ok ? NC_DOT : 0);
	size_t n;

	if (!p || !(name_class[p[0]] & first))
		return false;
	for (n = 1; p[n]; n++)
		if (n >= BTF_BUILDER_MAX_NAME - 1 || !(name_class[p[n]] & next))
			return false;
	return true;
}

bool builder_name_is_ident(const char *s)
{
	return name_chars_ok(s, false);
}

bool builder_name_is_section(const char *s)
{
	return name_chars_ok(s, true);
}

bool btf_name_is_ident(const char *s)
{
	return name_chars_ok(s, false);
}

/* The type id's chain goes on to: a modifier's or PTR's target, an ARRAY's
 * element; 0 where it ends (struct, union and function types end it). */
static uint32_t chain_next(const struct btf_type *t)
{
	uint32_t kind = btf_type_kind(t);

	if (kind_is_modifier(kind) || kind == BTF_KIND_PTR)
		return t->type;
	if (kind == BTF_KIND_ARRAY)
		return ((const struct btf_array *)btf_type_data(t))->type;
	return 0;
}

/* Each own type has at most one chain edge, so each walk ends at a type
 * seen before (a loop if it is on this walk), a base type, or an end. */
int btf_builder_find_loop(const struct btf_builder *b, uint32_t *at)
{
	return btf_builder_find_loop_from(b, b->start_id, at);
}

int btf_builder_find_loop_from(const struct btf_builder *b, uint32_t from, uint32_t *at)
{
	enum { UNSEEN, ON_WALK, DONE };
	uint32_t start = from < b->start_id ? b->start_id : from, i, id, next;
	uint32_t n = start - b->start_id > b->nr_types ? 0 : (uint32_t)(b->nr_types - (start - b->start_id));
	uint8_t *state = calloc(n ? n : 1, 1);
	int ret = -ENOENT;

	if (!state)
		return -ENOMEM;
	for (i = 0; i < n && ret == -ENOENT; i++) {
		for (id = start + i; id >= start && id < start + n && state[id - start] == UNSEEN;
		     id = next) {
			state[id - start] = ON_WALK;
			next = chain_next(btf_builder_type(b, id));
		}
		if (id >= start && id < start + n && state[id - start] == ON_WALK) {
			*at = id;
			ret = 0;
		}
		for (id = start + i; id >= start && id < start + n && state[id - start] == ON_WALK;
		     id = chain_next(btf_builder_type(b, id)))
			state[id - start] = DONE;
	}
	free(state);
	return ret;
}
