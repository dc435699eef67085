// SPDX-License-Identifier: GPL-2.0-only
/*
 * relocate.c - btf_builder_relocate(): split BTF written on a distilled base
 * (a module's .BTF on its .BTF.base, see distill.c) moved onto a full base,
 * the vmlinux BTF of the kernel that is to load the module.
 *
 * The rules are those of the kernel's module loader and libbpf's
 * btf__relocate(), which share one implementation; btfenc follows them so
 * that "btfenc relocate" accepts and refuses what the kernel would:
 *  - each distilled base type is a named INT, FLOAT, ENUM, STRUCT, UNION or
 *    FWD, and is matched in the base by name: INT by encoding and size,
 *    FLOAT by size, ENUM by size with an ENUM or ENUM64, FWD by its kind
 *    flag with a FWD, with a STRUCT whose kind_flag is 0 or a UNION whose
 *    kind_flag is 1; STRUCT and UNION by name only, by size too where the
 *    base has several of that name or where the split BTF embeds the type (a
 *    member of that type, through modifiers, typedefs and arrays but no
 *    pointer, needs the same layout);
 *  - a distilled type that matches nothing, or two base types at once, is an
 *    error naming it;
 *  - the split types keep their records and order; ids of distilled types
 *    become their matches', own ids shift by the difference of the bases'
 *    type counts; the split strings stay as they are, after the base's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_priv.h"
#include "visit.h"

#define EMBEDDED UINT32_MAX	/* a distilled composite the split embeds */

struct name_ref {
	const char *name;
	uint32_t size;
	uint32_t id;
};

struct reloc {
	const struct btf_builder *split;
	const struct btf_builder *dist;
	const struct btf_builder *base;
	uint32_t nr_dist;	/* the distilled base's type count, void included */
	uint32_t nr_base;
	uint32_t *id_map;	/* split's ids (distilled base's included) -> new */
	uint32_t *str_map;	/* distilled name offset -> base name offset */
	uint32_t dist_str_len;	/* logical string bytes below split's own */
	uint32_t base_str_len;
	struct name_ref *names;	/* the distilled types, by name then size */
};

static int check_distilled(const struct reloc *r)
{
	uint32_t id;

	for (id = 1; id < r->nr_dist; id++) {
		const struct btf_type *t = btf_builder_type(r->dist, id);
		uint32_t kind = btf_type_kind(t);

		if (kind != BTF_KIND_INT && kind != BTF_KIND_FLOAT && kind != BTF_KIND_ENUM &&
		    kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION && kind != BTF_KIND_FWD) {
			btf_log("distilled base type [%u]: a %s cannot be in a distilled base", id,
				btf_kind_name(kind));
			return -EINVAL;
		}
		if (!t->name_off) {
			btf_log("distilled base type [%u]: an anonymous %s cannot be matched", id,
				btf_kind_name(kind));
			return -EINVAL;
		}
	}
	return 0;
}

/* Marks the distilled composites that split composite id holds by value. */
static void mark_embedded(struct reloc *r, uint32_t id)
{
	const struct btf_type *t = btf_builder_type(r->split, id);
	const struct btf_member *m = btf_type_data(t);
	uint32_t i, n = btf_type_vlen(t), kind = btf_type_kind(t);

	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION)
		return;
	for (i = 0; i < n; i++) {
		uint32_t next = m[i].type, hops;

		/* A bound on the walk: a corrupt loop of modifiers ends it. */
		for (hops = 0; next && hops < 64; hops++) {
			const struct btf_type *u = btf_builder_type(r->split, next);

			if (!u)
				break;
			kind = btf_type_kind(u);
			if (kind == BTF_KIND_ARRAY) {
				next = ((const struct btf_array *)btf_type_data(u))->type;
			} else if (kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
				   kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPEDEF ||
				   kind == BTF_KIND_TYPE_TAG) {
				next = u->type;
			} else {
				if ((kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) &&
				    next < r->nr_dist)
					r->id_map[next] = EMBEDDED;
				break;
			}
		}
	}
}

static int by_name_size(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return (x->size < y->size) - (x->size > y->size);
}

/* Whether distilled type d may stand for base type b (same name already). */
static bool kinds_match(const struct reloc *r, uint32_t did, const struct btf_type *d,
			const struct btf_type *b)
{
	uint32_t dk = btf_type_kind(d), bk = btf_type_kind(b);

	switch (dk) {
	case BTF_KIND_FWD:
		if (bk == BTF_KIND_FWD)
			return btf_type_kflag(d) == btf_type_kflag(b);
		if (bk == BTF_KIND_STRUCT)
			return !btf_type_kflag(b);
		return bk == BTF_KIND_UNION && btf_type_kflag(b);
	case BTF_KIND_INT:
		return bk == BTF_KIND_INT && BTF_INT_ENCODING(btf_int_data(b)) ==
						     BTF_INT_ENCODING(btf_int_data(d));
	case BTF_KIND_FLOAT:
		return bk == BTF_KIND_FLOAT;
	case BTF_KIND_ENUM:
		return bk == BTF_KIND_ENUM || bk == BTF_KIND_ENUM64;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return r->id_map[did] != EMBEDDED || b->size == d->size;
	default:
		return false;
	}
}

/* Maps the distilled types that base type id (of name, sized or not) matches. */
static int match_base_type(struct reloc *r, uint32_t id, const char *name, bool sized)
{
	const struct btf_type *b = btf_builder_type(r->base, id);
	struct name_ref key = { name, b->size, 0 }, *lo = r->names, *hi = r->names + r->nr_dist - 1;
	struct name_ref *e;

	/* The first distilled entry of this name (entries are sorted by name). */
	while (lo < hi) {
		struct name_ref *mid = lo + (hi - lo) / 2;

		if (strcmp(mid->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (e = lo; e < r->names + r->nr_dist - 1 && !strcmp(e->name, name); e++) {
		const struct btf_type *d = btf_builder_type(r->dist, e->id);

		if ((sized && e->size != key.size) || !kinds_match(r, e->id, d, b))
			continue;
		if (r->id_map[e->id] && r->id_map[e->id] != EMBEDDED) {
			btf_log("distilled base type '%s' [%u] of size %u: base types [%u] and [%u] "
				"both match it",
				name, e->id, b->size, r->id_map[e->id], id);
			return -EINVAL;
		}
		r->id_map[e->id] = id;
		r->str_map[d->name_off] = b->name_off;
	}
	return 0;
}

static int map_distilled(struct reloc *r)
{
	uint32_t id, n = btf_builder_type_cnt(r->split), str_end = r->base_str_len;
	uint8_t *name_cnt = calloc(str_end ? str_end : 1, 1);
	int err = 0;

	r->names = calloc(r->nr_dist, sizeof(*r->names));
	if (!name_cnt || !r->names) {
		free(name_cnt);
		return -ENOMEM;
	}
	for (id = 1; id < r->nr_dist; id++) {
		const struct btf_type *t = btf_builder_type(r->dist, id);

		r->names[id - 1] = (struct name_ref){ btf_builder_str(r->dist, t->name_off), t->size,
						       id };
	}
	if (r->nr_dist > 1)
		qsort(r->names, r->nr_dist - 1, sizeof(*r->names), by_name_size);
	for (id = r->nr_dist; id < n; id++)
		mark_embedded(r, id);
	for (id = 1; id < r->nr_base; id++) {
		const struct btf_type *t = btf_builder_type(r->base, id);
		uint32_t kind = btf_type_kind(t);

		if ((kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) && t->name_off &&
		    t->name_off < str_end && name_cnt[t->name_off] < UINT8_MAX)
			name_cnt[t->name_off]++;
	}
	for (id = 1; id < r->nr_base && !err; id++) {
		const struct btf_type *t = btf_builder_type(r->base, id);
		const char *name = btf_builder_str(r->base, t->name_off);
		uint32_t kind = btf_type_kind(t);
		bool sized;

		if (!t->name_off || !name || r->nr_dist < 2)
			continue;
		if (kind == BTF_KIND_INT || kind == BTF_KIND_FLOAT || kind == BTF_KIND_ENUM ||
		    kind == BTF_KIND_ENUM64)
			sized = true;
		else if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
			sized = t->name_off < str_end && name_cnt[t->name_off] > 1;
		else if (kind == BTF_KIND_FWD)
			sized = false;
		else
			continue;
		err = match_base_type(r, id, name, sized);
	}
	free(name_cnt);
	for (id = 1; id < r->nr_dist && !err; id++) {
		if (r->id_map[id] && r->id_map[id] != EMBEDDED)
			continue;
		btf_log("distilled base type '%s' [%u]: no type of the base matches it",
			btf_builder_str(r->dist, btf_builder_type(r->dist, id)->name_off), id);
		err = -ENOENT;
	}
	return err;
}

static int rewrite_id(uint32_t *id, void *data)
{
	struct reloc *r = data;
	uint32_t n = btf_builder_type_cnt(r->split);

	if (*id >= n)
		return -ERANGE;
	*id = r->id_map[*id];
	return 0;
}

static int rewrite_str(uint32_t *off, void *data)
{
	struct reloc *r = data;

	if (!*off)
		return 0;
	if (*off >= r->dist_str_len) {
		*off += r->base_str_len - r->dist_str_len;
		return 0;
	}
	if (!r->str_map[*off]) {
		btf_log("string at offset %u of the distilled base names no distilled type", *off);
		return -ENOENT;
	}
	*off = r->str_map[*off];
	return 0;
}

/* The relocated blob: the split's records rewritten, its strings as they are. */
static int compose(struct reloc *r, uint8_t **blob, size_t *size)
{
	const struct btf_builder *s = r->split;
	size_t types_len = s->nr_types ? s->types_len - s->type_offs[0] : 0;
	uint32_t str_len = btf_builder_str_len(s);
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h) };
	uint8_t *out, *p, *end;
	int err = 0;

	if (types_len > UINT32_MAX - sizeof(h) - str_len)
		return -E2BIG;
	out = malloc(sizeof(h) + types_len + str_len);
	if (!out)
		return -ENOMEM;
	h.type_len = (uint32_t)types_len;
	h.str_off = (uint32_t)types_len;
	h.str_len = str_len;
	memcpy(out, &h, sizeof(h));
	p = out + sizeof(h);
	if (types_len)
		memcpy(p, s->types + s->type_offs[0], types_len);
	for (end = p + types_len; p < end && !err; p += btf_type_size_of((struct btf_type *)p)) {
		err = btf_type_visit_ids((struct btf_type *)p, rewrite_id, r);
		if (!err)
			err = btf_type_visit_strs((struct btf_type *)p, rewrite_str, r);
	}
	if (str_len)
		memcpy(end, strset_data(s->strs), str_len);
	if (err) {
		free(out);
		return err;
	}
	*blob = out;
	*size = sizeof(h) + types_len + str_len;
	return 0;
}

int btf_builder_relocate(const struct btf_builder *split, struct btf_builder *base,
			 struct btf_builder **out)
{
	struct reloc r = { .split = split, .dist = split->base, .base = base };
	uint32_t n = btf_builder_type_cnt(split), id;
	struct btf_builder *res;
	uint8_t *blob = NULL;
	size_t size;
	int err;

	*out = NULL;
	if (!r.dist || r.dist->base || r.dist == base)
		return -EINVAL;
	r.nr_dist = btf_builder_type_cnt(r.dist);
	r.nr_base = btf_builder_type_cnt(base);
	r.dist_str_len = split->start_str_off;
	r.base_str_len = base->start_str_off + btf_builder_str_len(base);
	err = check_distilled(&r);
	if (err)
		return err;
	r.id_map = calloc(n, sizeof(*r.id_map));
	r.str_map = calloc(r.dist_str_len ? r.dist_str_len : 1, sizeof(*r.str_map));
	if (!r.id_map || !r.str_map) {
		err = -ENOMEM;
		goto out;
	}
	for (id = r.nr_dist; id < n; id++)
		r.id_map[id] = id - r.nr_dist + r.nr_base;
	err = map_distilled(&r);
	if (!err)
		err = compose(&r, &blob, &size);
	if (!err)
		err = btf_builder_parse(blob, size, base, &res);
	if (!err) {
		btf_builder_set_endian(res, split->endian);
		*out = res;
	}
out:
	free(blob);
	free(r.names);
	free(r.id_map);
	free(r.str_map);
	return err;
}
