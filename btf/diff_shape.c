// SPDX-License-Identifier: GPL-2.0-only
/*
 * diff_shape.c - the shape of a type: a text that names no type id.
 *
 * Where a type refers to another, a named one reads as its kind and name
 * ("struct bar", "typedef u32", "fwd union u", "enum64 e"; an INT or FLOAT by
 * its bare name, "unsigned int") and an anonymous one structurally, with
 * every operator after what it applies to, so the text is unambiguous:
 *   PTR         "int *", and to a FUNC_PROTO "int (*)(struct foo * f, ...)"
 *   qualifiers  "char const *" (pointer to const), "char * const"
 *   TYPE_TAG    "int type_tag(user) *"; kind_flag 1: "int attr(user) *"
 *   ARRAY       "char [16]" (the index type never counts)
 *   FUNC_PROTO  "void (int a, long int)"; a vararg is "..."
 *   STRUCT      "struct {int a:0; int b:32:3} size=8": TYPE NAME:BIT_OFFSET,
 *               then :BITFIELD_SIZE for a bitfield. A kind_flag=0 bitfield
 *               (an INT with fewer bits than its size) reads like the
 *               kind_flag=1 one, so the two encodings compare equal.
 *   ENUM        "enum {A=0, B=-1} size=4" (signed values if kind_flag)
 * A top-level named type is shown whole: "struct foo {...} size=16",
 * "typedef u32 = unsigned int", "func f global int (int a)".
 *
 * Anonymous renderings are cached per id, so each is built once. A loop of
 * anonymous types (which C cannot write, but a blob can) reads "<loop>" where
 * it closes, and nesting past SHAPE_MAX_DEPTH reads "<deep>". Such a text
 * depends on where the walk entered, so it is never cached: the shape of a
 * type then still depends on the type graph alone, not on the walk order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_priv.h"
#include "grow.h"

#define SHAPE_MAX_DEPTH 200

enum { SHAPE_NEW, SHAPE_BUSY, SHAPE_CACHED };

int shaper_init(struct shaper *sh, const struct btf_builder *b)
{
	memset(sh, 0, sizeof(*sh));
	sh->b = b;
	sh->type_cnt = btf_builder_type_cnt(b);
	sh->cache_off = calloc(sh->type_cnt, sizeof(*sh->cache_off));
	sh->cache_len = calloc(sh->type_cnt, sizeof(*sh->cache_len));
	sh->state = calloc(sh->type_cnt, sizeof(*sh->state));
	if (!sh->cache_off || !sh->cache_len || !sh->state) {
		shaper_release(sh);
		return -ENOMEM;
	}
	return 0;
}

void shaper_release(struct shaper *sh)
{
	dstr_release(&sh->cache);
	free(sh->cache_off);
	free(sh->cache_len);
	free(sh->state);
	memset(sh, 0, sizeof(*sh));
}

const char *shape_str(const struct shaper *sh, uint32_t off)
{
	const char *s = btf_builder_str(sh->b, off);

	return s ? s : "";
}

const char *shape_name(const struct shaper *sh, const struct btf_type *t)
{
	return shape_str(sh, t->name_off);
}

bool shape_is_named(const struct shaper *sh, const struct btf_type *t)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_ARRAY:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_TYPE_TAG:
		return false;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		return shape_name(sh, t)[0] != 0;
	default:
		return true;
	}
}

const char *shape_linkage(uint32_t linkage)
{
	static const char *const names[] = { "static", "global", "extern" };

	return linkage < 3 ? names[linkage] : "linkage?";
}

const char *shape_int_encoding(uint32_t encoding)
{
	switch (encoding) {
	case 0:
		return "none";
	case BTF_INT_SIGNED:
		return "signed";
	case BTF_INT_CHAR:
		return "char";
	case BTF_INT_BOOL:
		return "bool";
	default:
		return "mixed";
	}
}

/* Whether an INT holds exactly its size's bits: not an old-style bitfield. */
static bool int_is_regular(const struct btf_type *t)
{
	uint32_t data = btf_int_data(t);

	return !BTF_INT_OFFSET(data) && BTF_INT_BITS(data) == t->size * 8;
}

static void named_ref(const struct shaper *sh, const struct btf_type *t, struct dstr *out)
{
	uint32_t kind = btf_type_kind(t);

	switch (kind) {
	case BTF_KIND_INT:
		dstr_adds(out, shape_name(sh, t));
		if (!int_is_regular(t))
			dstr_addf(out, "(bits=%u)", BTF_INT_BITS(btf_int_data(t)));
		return;
	case BTF_KIND_FLOAT:
		break;
	case BTF_KIND_FWD:
		dstr_adds(out, btf_type_kflag(t) ? "fwd union " : "fwd struct ");
		break;
	default:
		dstr_adds(out, btf_diff_kind_name(kind));
		dstr_adds(out, " ");
		break;
	}
	dstr_adds(out, shape_name(sh, t));
}

static bool ref_at(struct shaper *sh, uint32_t id, struct dstr *out, int depth);

/* A member's type and bitfield size; *tainted collects ref_at()'s result. */
static uint32_t member_at(struct shaper *sh, const struct btf_type *owner,
			  const struct btf_member *m, struct dstr *out, int depth, bool *tainted)
{
	const struct btf_type *mt = btf_builder_type(sh->b, m->type);

	if (!btf_type_kflag(owner) && mt && btf_type_kind(mt) == BTF_KIND_INT &&
	    !int_is_regular(mt)) {
		dstr_adds(out, shape_name(sh, mt));
		return BTF_INT_BITS(btf_int_data(mt));
	}
	*tainted |= ref_at(sh, m->type, out, depth);
	return btf_member_bits(owner, m);
}

uint32_t shape_member_type(struct shaper *sh, const struct btf_type *owner,
			   const struct btf_member *m, struct dstr *out)
{
	bool tainted = false;

	return member_at(sh, owner, m, out, 0, &tainted);
}

/* STRUCT or UNION, anonymous if name is NULL. Returns: tainted. */
static bool composite_at(struct shaper *sh, const struct btf_type *t, const char *name,
			 struct dstr *out, int depth)
{
	const struct btf_member *m = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t), bits;
	bool tainted = false;

	dstr_adds(out, btf_type_kind(t) == BTF_KIND_UNION ? "union" : "struct");
	if (name) {
		dstr_adds(out, " ");
		dstr_adds(out, name);
	}
	dstr_adds(out, " {");
	for (i = 0; i < vlen && !out->err; i++) {
		if (i)
			dstr_adds(out, "; ");
		bits = member_at(sh, t, &m[i], out, depth, &tainted);
		dstr_adds(out, " ");
		dstr_adds(out, shape_str(sh, m[i].name_off));
		dstr_addf(out, ":%u", btf_member_offset(t, &m[i]));
		if (bits)
			dstr_addf(out, ":%u", bits);
	}
	dstr_addf(out, "} size=%u", t->size);
	return tainted;
}

/* ENUM or ENUM64, anonymous if name is NULL. */
static void enum_shape(const struct shaper *sh, const struct btf_type *t, const char *name,
		       struct dstr *out)
{
	uint32_t i, vlen = btf_type_vlen(t);
	bool is64 = btf_type_kind(t) == BTF_KIND_ENUM64, sign = btf_type_kflag(t);

	dstr_adds(out, is64 ? "enum64" : "enum");
	if (name) {
		dstr_adds(out, " ");
		dstr_adds(out, name);
	}
	dstr_adds(out, " {");
	for (i = 0; i < vlen && !out->err; i++) {
		uint32_t name_off;
		uint64_t v;

		if (is64) {
			const struct btf_enum64 *e = btf_type_data(t);

			name_off = e[i].name_off;
			v = (uint64_t)e[i].val_hi32 << 32 | e[i].val_lo32;
		} else {
			const struct btf_enum *e = (const struct btf_enum *)btf_type_data(t) + i;

			name_off = e->name_off;
			v = sign ? (uint64_t)(int64_t)e->val : (uint32_t)e->val;
		}
		if (i)
			dstr_adds(out, ", ");
		dstr_adds(out, shape_str(sh, name_off));
		if (sign)
			dstr_addf(out, "=%" PRId64, (int64_t)v);
		else
			dstr_addf(out, "=%" PRIu64, v);
	}
	dstr_addf(out, "} size=%u", t->size);
}

/* INT and FLOAT in full (also the text of an anonymous one). */
static void scalar_shape(const struct shaper *sh, const struct btf_type *t, struct dstr *out)
{
	uint32_t data;

	dstr_adds(out, btf_type_kind(t) == BTF_KIND_INT ? "int '" : "float '");
	dstr_adds(out, shape_name(sh, t));
	dstr_addf(out, "' size=%u", t->size);
	if (btf_type_kind(t) != BTF_KIND_INT)
		return;
	data = btf_int_data(t);
	dstr_addf(out, " bits=%u encoding=%s", BTF_INT_BITS(data),
		  shape_int_encoding(BTF_INT_ENCODING(data)));
	if (BTF_INT_OFFSET(data))
		dstr_addf(out, " offset=%u", BTF_INT_OFFSET(data));
}

/* FUNC_PROTO; mid goes between return type and params, "(*)" for a pointer. */
static bool proto_at(struct shaper *sh, const struct btf_type *t, const char *mid,
		     struct dstr *out, int depth)
{
	const struct btf_param *p = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t);
	bool tainted;

	tainted = ref_at(sh, t->type, out, depth);
	dstr_adds(out, " ");
	dstr_adds(out, mid);
	dstr_adds(out, "(");
	for (i = 0; i < vlen && !out->err; i++) {
		const char *name = shape_str(sh, p[i].name_off);

		if (i)
			dstr_adds(out, ", ");
		if (!p[i].type) {
			dstr_adds(out, "...");
			continue;
		}
		tainted |= ref_at(sh, p[i].type, out, depth);
		if (name[0]) {
			dstr_adds(out, " ");
			dstr_adds(out, name);
		}
	}
	dstr_adds(out, ")");
	return tainted;
}

/* Appends an anonymous type's structure. Returns: tainted. */
static bool anon_at(struct shaper *sh, const struct btf_type *t, struct dstr *out, int depth)
{
	const struct btf_type *to;
	bool tainted;

	switch (btf_type_kind(t)) {
	case BTF_KIND_PTR:
		to = btf_builder_type(sh->b, t->type);
		if (to && btf_type_kind(to) == BTF_KIND_FUNC_PROTO)
			return proto_at(sh, to, "(*)", out, depth);
		tainted = ref_at(sh, t->type, out, depth);
		dstr_adds(out, " *");
		return tainted;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		tainted = ref_at(sh, t->type, out, depth);
		dstr_adds(out, " ");
		dstr_adds(out, btf_diff_kind_name(btf_type_kind(t)));
		return tainted;
	case BTF_KIND_TYPE_TAG:
		tainted = ref_at(sh, t->type, out, depth);
		dstr_adds(out, btf_type_kflag(t) ? " attr(" : " type_tag(");
		dstr_adds(out, shape_name(sh, t));
		dstr_adds(out, ")");
		return tainted;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_type_data(t);

		tainted = ref_at(sh, a->type, out, depth);
		dstr_addf(out, " [%u]", a->nelems);
		return tainted;
	}
	case BTF_KIND_FUNC_PROTO:
		return proto_at(sh, t, "", out, depth);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return composite_at(sh, t, NULL, out, depth);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		enum_shape(sh, t, NULL, out);
		return false;
	default:
		scalar_shape(sh, t, out);
		return false;
	}
}

static bool ref_at(struct shaper *sh, uint32_t id, struct dstr *out, int depth)
{
	const struct btf_type *t;
	size_t start = out->len;
	bool tainted;

	if (!id) {
		dstr_adds(out, "void");
		return false;
	}
	t = btf_builder_type(sh->b, id);
	if (!t) {
		dstr_adds(out, "<missing>");
		return false;
	}
	if (shape_is_named(sh, t)) {
		named_ref(sh, t, out);
		return false;
	}
	if (sh->state[id] == SHAPE_CACHED) {
		dstr_add(out, sh->cache.buf + sh->cache_off[id], sh->cache_len[id]);
		return false;
	}
	if (sh->state[id] == SHAPE_BUSY || depth >= SHAPE_MAX_DEPTH) {
		dstr_adds(out, sh->state[id] == SHAPE_BUSY ? "<loop>" : "<deep>");
		return true;
	}
	sh->state[id] = SHAPE_BUSY;
	tainted = anon_at(sh, t, out, depth + 1);
	sh->state[id] = SHAPE_NEW;
	if (tainted || out->err || out->len - start > UINT32_MAX)
		return tainted;
	sh->cache_off[id] = (uint32_t)sh->cache.len;
	dstr_add(&sh->cache, out->buf + start, out->len - start);
	/* A full cache just means no more caching: the text stays right. */
	if (!sh->cache.err) {
		sh->cache_len[id] = (uint32_t)(out->len - start);
		sh->state[id] = SHAPE_CACHED;
	}
	return false;
}

void shape_ref(struct shaper *sh, uint32_t id, struct dstr *out)
{
	ref_at(sh, id, out, 0);
}

/* A DATASEC entry, as the shape sorts and shows them. */
struct sec_ent {
	uint32_t offset;	/* in the section */
	uint32_t size;		/* bytes */
	const char *name;	/* the VAR's name */
};

static int sec_ent_cmp(const void *x, const void *y)
{
	const struct sec_ent *a = x, *b = y;

	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* "datasec .data size=16 {a@0+4, b@8+8}": variables sorted by offset. */
static void datasec_shape(struct shaper *sh, const struct btf_type *t, struct dstr *out)
{
	const struct btf_var_secinfo *v = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t);
	struct sec_ent *e = calloc(vlen ? vlen : 1, sizeof(*e));

	if (!e) {
		out->err = out->err ? out->err : -ENOMEM;
		return;
	}
	for (i = 0; i < vlen; i++) {
		const struct btf_type *var = btf_builder_type(sh->b, v[i].type);

		e[i].offset = v[i].offset;
		e[i].size = v[i].size;
		e[i].name = var ? shape_name(sh, var) : "<missing>";
	}
	if (vlen)
		qsort(e, vlen, sizeof(*e), sec_ent_cmp);
	dstr_adds(out, "datasec ");
	dstr_adds(out, shape_name(sh, t));
	dstr_addf(out, " size=%u {", t->size);
	for (i = 0; i < vlen; i++) {
		if (i)
			dstr_adds(out, ", ");
		dstr_adds(out, e[i].name);
		dstr_addf(out, "@%u+%u", e[i].offset, e[i].size);
	}
	dstr_adds(out, "}");
	free(e);
}

void shape_body(struct shaper *sh, uint32_t id, struct dstr *out)
{
	const struct btf_type *t = btf_builder_type(sh->b, id);
	uint32_t kind;

	if (!t || !shape_is_named(sh, t)) {
		shape_ref(sh, id, out);
		return;
	}
	kind = btf_type_kind(t);
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		composite_at(sh, t, shape_name(sh, t), out, 0);
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		enum_shape(sh, t, shape_name(sh, t), out);
		return;
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		scalar_shape(sh, t, out);
		return;
	case BTF_KIND_DATASEC:
		datasec_shape(sh, t, out);
		return;
	default:
		break;
	}
	named_ref(sh, t, out);
	if (kind == BTF_KIND_TYPEDEF) {
		dstr_adds(out, " = ");
	} else if (kind == BTF_KIND_FUNC || kind == BTF_KIND_VAR) {
		uint32_t linkage = kind == BTF_KIND_FUNC ? btf_type_vlen(t) :
				   ((const struct btf_var *)btf_type_data(t))->linkage;

		dstr_addf(out, " %s ", shape_linkage(linkage));
	} else {
		/* FWD; a DECL_TAG's target is in its key, only kind_flag is left. */
		if (kind == BTF_KIND_DECL_TAG && btf_type_kflag(t))
			dstr_adds(out, " attr");
		return;
	}
	shape_ref(sh, t->type, out);
}

void shape_summary(struct shaper *sh, uint32_t id, struct dstr *out)
{
	const struct btf_type *t = btf_builder_type(sh->b, id);
	uint32_t kind = t ? btf_type_kind(t) : 0, linkage;

	if (!t || !shape_is_named(sh, t)) {
		dstr_adds(out, "'");
		shape_ref(sh, id, out);
		dstr_adds(out, "'");
		return;
	}
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_DATASEC:
		dstr_addf(out, "size=%u vlen=%u", t->size, btf_type_vlen(t));
		return;
	case BTF_KIND_INT:
		dstr_addf(out, "size=%u bits=%u encoding=%s", t->size,
			  BTF_INT_BITS(btf_int_data(t)),
			  shape_int_encoding(BTF_INT_ENCODING(btf_int_data(t))));
		return;
	case BTF_KIND_FLOAT:
		dstr_addf(out, "size=%u", t->size);
		return;
	case BTF_KIND_FWD:
		dstr_adds(out, btf_type_kflag(t) ? "union" : "struct");
		return;
	case BTF_KIND_DECL_TAG:
		dstr_adds(out, btf_type_kflag(t) ? "kind_flag=1" : "");
		return;
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
		linkage = kind == BTF_KIND_FUNC ? btf_type_vlen(t) :
			  ((const struct btf_var *)btf_type_data(t))->linkage;
		dstr_addf(out, "linkage=%s ", shape_linkage(linkage));
		break;
	default:
		break;
	}
	dstr_adds(out, "type='");
	shape_ref(sh, t->type, out);
	dstr_adds(out, "'");
}
