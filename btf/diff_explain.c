// SPDX-License-Identifier: GPL-2.0-only
/*
 * diff_explain.c - the first thing that differs between two types.
 *
 * Given a type of BTF a and one of BTF b with the same key but different
 * shapes, says what differs first, in the order the shape reads: a struct's
 * members in order (name, type, bit offset, bitfield size), then their
 * number, then its size. Members and enumerators are matched by position,
 * and where the names at one position differ, the name decides: missing on
 * the other side is "added"/"removed", present elsewhere is "position i -> j".
 * A member whose type is an anonymous struct or union on both sides is
 * looked into, so a change deep in "struct page" reads
 * "member '#1.#0.lru' type ..." (an anonymous member is '#' and its index)
 * rather than as two long shapes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_priv.h"

/* Anonymous struct members nest this deep at most before shapes are shown. */
#define EXPLAIN_MAX_DEPTH 32

/* The two sides and the scratch text for their renderings. */
struct ex {
	struct shaper *sa;	/* BTF a */
	struct shaper *sb;	/* BTF b */
	struct dstr *out;	/* the explanation */
};

/* Its kind if id is an anonymous STRUCT or UNION, else 0. */
static uint32_t anon_composite(struct shaper *sh, uint32_t id)
{
	const struct btf_type *t = btf_builder_type(sh->b, id);
	uint32_t kind = t ? btf_type_kind(t) : 0;

	if ((kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) && !shape_is_named(sh, t))
		return kind;
	return 0;
}

/* Index of the member or enumerator called name, or -1. */
static int64_t item_index(struct shaper *sh, const struct btf_type *t, const char *name)
{
	uint32_t i, vlen = btf_type_vlen(t), kind = btf_type_kind(t);

	for (i = 0; i < vlen; i++) {
		uint32_t off;

		if (kind == BTF_KIND_ENUM)
			off = ((const struct btf_enum *)btf_type_data(t))[i].name_off;
		else if (kind == BTF_KIND_ENUM64)
			off = ((const struct btf_enum64 *)btf_type_data(t))[i].name_off;
		else
			off = ((const struct btf_member *)btf_type_data(t))[i].name_off;
		if (!strcmp(shape_str(sh, off), name))
			return i;
	}
	return -1;
}

/*
 * Position i holds different names na (in ta) and nb (in tb): says whether
 * na was removed, nb added, or na moved. what is "member" or "enumerator".
 */
static void explain_names(struct ex *x, const struct btf_type *ta, const struct btf_type *tb,
			  uint32_t i, const char *na, const char *nb, const char *what,
			  const char *path)
{
	int64_t j = na[0] ? item_index(x->sb, tb, na) : -1;

	if (na[0] && j < 0)
		dstr_addf(x->out, "%s '%s%s' removed", what, path, na);
	else if (nb[0] && item_index(x->sa, ta, nb) < 0)
		dstr_addf(x->out, "%s '%s%s' added", what, path, nb);
	else if (na[0] && nb[0])
		dstr_addf(x->out, "%s '%s%s' position %u -> %" PRId64, what, path, na, i, j);
	else
		dstr_addf(x->out, "%s '%s#%u' name '%s' -> '%s'", what, path, i, na, nb);
}

static bool explain_members(struct ex *x, const struct btf_type *ta, const struct btf_type *tb,
			    const char *path, int depth);

/* Member i of ta and tb, whose names are equal (label). Returns: differs. */
static bool explain_member(struct ex *x, const struct btf_type *ta, const struct btf_type *tb,
			   uint32_t i, const char *label, const char *path, int depth)
{
	const struct btf_member *ma = (const struct btf_member *)btf_type_data(ta) + i;
	const struct btf_member *mb = (const struct btf_member *)btf_type_data(tb) + i;
	struct dstr ra = { 0 }, rb = { 0 }, sub = { 0 };
	uint32_t bits_a, bits_b, oa, ob, kind;
	bool found = true;

	bits_a = shape_member_type(x->sa, ta, ma, &ra);
	bits_b = shape_member_type(x->sb, tb, mb, &rb);
	oa = btf_member_offset(ta, ma);
	ob = btf_member_offset(tb, mb);
	if (ra.err || rb.err) {
		x->out->err = ra.err ? ra.err : rb.err;
	} else if (strcmp(ra.buf, rb.buf)) {
		kind = anon_composite(x->sa, ma->type);
		if (kind && kind == anon_composite(x->sb, mb->type) && depth < EXPLAIN_MAX_DEPTH) {
			const struct btf_type *sa = btf_builder_type(x->sa->b, ma->type);
			const struct btf_type *sb = btf_builder_type(x->sb->b, mb->type);

			dstr_addf(&sub, "%s%s.", path, label);
			if (!sub.err && explain_members(x, sa, sb, sub.buf, depth + 1))
				goto out;
		}
		dstr_addf(x->out, "member '%s%s' type '", path, label);
		dstr_adds(x->out, ra.buf);
		dstr_adds(x->out, "' -> '");
		dstr_adds(x->out, rb.buf);
		dstr_adds(x->out, "'");
	} else if (oa != ob) {
		dstr_addf(x->out, "member '%s%s' bit offset %u -> %u", path, label, oa, ob);
	} else if (bits_a != bits_b) {
		dstr_addf(x->out, "member '%s%s' bitfield %u -> %u", path, label, bits_a, bits_b);
	} else {
		found = false;
	}
out:
	dstr_release(&ra);
	dstr_release(&rb);
	dstr_release(&sub);
	return found;
}

/* Members of two STRUCTs or two UNIONs, then their size. Returns: differs. */
static bool explain_members(struct ex *x, const struct btf_type *ta, const struct btf_type *tb,
			    const char *path, int depth)
{
	const struct btf_member *ma = btf_type_data(ta), *mb = btf_type_data(tb);
	uint32_t va = btf_type_vlen(ta), vb = btf_type_vlen(tb), i;
	char label[16];

	for (i = 0; i < va && i < vb; i++) {
		const char *na = shape_str(x->sa, ma[i].name_off);
		const char *nb = shape_str(x->sb, mb[i].name_off);

		if (strcmp(na, nb)) {
			explain_names(x, ta, tb, i, na, nb, "member", path);
			return true;
		}
		snprintf(label, sizeof(label), "#%u", i);
		if (explain_member(x, ta, tb, i, na[0] ? na : label, path, depth))
			return true;
	}
	if (va != vb) {
		const char *n = va > vb ? shape_str(x->sa, ma[i].name_off) :
					  shape_str(x->sb, mb[i].name_off);

		snprintf(label, sizeof(label), "#%u", i);
		dstr_addf(x->out, "member '%s%s' %s", path, n[0] ? n : label,
			  va > vb ? "removed" : "added");
		return true;
	}
	if (ta->size != tb->size) {
		if (path[0])
			dstr_addf(x->out, "member '%.*s' size %u -> %u", (int)strlen(path) - 1,
				  path, ta->size, tb->size);
		else
			dstr_addf(x->out, "size %u -> %u", ta->size, tb->size);
		return true;
	}
	return false;
}

/* Enumerator i: its name and value as the shape shows it. */
static const char *enumerator(struct shaper *sh, const struct btf_type *t, uint32_t i,
			      char *val, size_t val_size)
{
	uint32_t name_off;
	uint64_t v = btf_enum_value(t, i, &name_off);

	if (btf_type_kflag(t))
		snprintf(val, val_size, "%" PRId64, (int64_t)v);
	else
		snprintf(val, val_size, "%" PRIu64, v);
	return shape_str(sh, name_off);
}

static bool explain_enum(struct ex *x, const struct btf_type *ta, const struct btf_type *tb)
{
	uint32_t va = btf_type_vlen(ta), vb = btf_type_vlen(tb), i;
	char vala[24], valb[24];

	for (i = 0; i < va && i < vb; i++) {
		const char *na = enumerator(x->sa, ta, i, vala, sizeof(vala));
		const char *nb = enumerator(x->sb, tb, i, valb, sizeof(valb));

		if (strcmp(na, nb)) {
			explain_names(x, ta, tb, i, na, nb, "enumerator", "");
			return true;
		}
		if (strcmp(vala, valb)) {
			dstr_addf(x->out, "enumerator '%s' value %s -> %s", na, vala, valb);
			return true;
		}
	}
	if (va != vb) {
		const char *n = va > vb ? enumerator(x->sa, ta, i, vala, sizeof(vala)) :
					  enumerator(x->sb, tb, i, valb, sizeof(valb));

		dstr_addf(x->out, "enumerator '%s' %s", n, va > vb ? "removed" : "added");
		return true;
	}
	if (ta->size != tb->size) {
		dstr_addf(x->out, "size %u -> %u", ta->size, tb->size);
		return true;
	}
	return false;
}

/*
 * How ida (in a) and idb (in b) read where what refers to them; if the texts
 * differ, says "WHAT 'A' -> 'B'", or for two anonymous structs or unions the
 * first difference inside them. Returns: differs.
 */
static bool explain_ref(struct ex *x, uint32_t ida, uint32_t idb, const char *what)
{
	struct dstr ra = { 0 }, rb = { 0 };
	uint32_t kind;
	bool found = false;

	shape_ref(x->sa, ida, &ra);
	shape_ref(x->sb, idb, &rb);
	if (ra.err || rb.err) {
		x->out->err = ra.err ? ra.err : rb.err;
	} else if (strcmp(ra.buf, rb.buf)) {
		found = true;
		kind = anon_composite(x->sa, ida);
		if (!kind || kind != anon_composite(x->sb, idb) ||
		    !explain_members(x, btf_builder_type(x->sa->b, ida),
				     btf_builder_type(x->sb->b, idb), "", 0)) {
			dstr_addf(x->out, "%s '", what);
			dstr_adds(x->out, ra.buf);
			dstr_adds(x->out, "' -> '");
			dstr_adds(x->out, rb.buf);
			dstr_adds(x->out, "'");
		}
	}
	dstr_release(&ra);
	dstr_release(&rb);
	return found;
}

/* Return type, then params by position, then their number. */
static bool explain_proto(struct ex *x, const struct btf_type *ta, const struct btf_type *tb)
{
	const struct btf_param *pa = btf_type_data(ta), *pb = btf_type_data(tb);
	uint32_t va = btf_type_vlen(ta), vb = btf_type_vlen(tb), i;
	struct dstr what = { 0 };
	bool found = false;

	if (explain_ref(x, ta->type, tb->type, "return type"))
		return true;
	for (i = 0; i < va && i < vb && !found; i++) {
		const char *na = shape_str(x->sa, pa[i].name_off);
		const char *nb = shape_str(x->sb, pb[i].name_off);

		if (strcmp(na, nb)) {
			dstr_addf(x->out, "param #%u name '%s' -> '%s'", i, na, nb);
			found = true;
			break;
		}
		dstr_reset(&what);
		if (na[0])
			dstr_addf(&what, "param '%s' type", na);
		else
			dstr_addf(&what, "param #%u type", i);
		found = !what.err && explain_ref(x, pa[i].type, pb[i].type, what.buf);
	}
	dstr_release(&what);
	if (!found && va != vb) {
		const struct btf_param *p = va > vb ? &pa[i] : &pb[i];
		const char *n = shape_str(va > vb ? x->sa : x->sb, p->name_off);

		if (!p->type)
			dstr_addf(x->out, "param '...' %s", va > vb ? "removed" : "added");
		else if (n[0])
			dstr_addf(x->out, "param '%s' %s", n, va > vb ? "removed" : "added");
		else
			dstr_addf(x->out, "param #%u %s", i, va > vb ? "removed" : "added");
		found = true;
	}
	return found;
}

/* FUNC and VAR: linkage, then the proto or the variable's type. */
static bool explain_linked(struct ex *x, const struct btf_type *ta, const struct btf_type *tb)
{
	const struct btf_type *pa, *pb;
	uint32_t la, lb;

	if (btf_type_kind(ta) == BTF_KIND_FUNC) {
		la = btf_type_vlen(ta);
		lb = btf_type_vlen(tb);
	} else {
		la = ((const struct btf_var *)btf_type_data(ta))->linkage;
		lb = ((const struct btf_var *)btf_type_data(tb))->linkage;
	}
	if (la != lb) {
		dstr_addf(x->out, "linkage %s -> %s", shape_linkage(la), shape_linkage(lb));
		return true;
	}
	pa = btf_builder_type(x->sa->b, ta->type);
	pb = btf_builder_type(x->sb->b, tb->type);
	if (btf_type_kind(ta) == BTF_KIND_FUNC && pa && pb &&
	    btf_type_kind(pa) == BTF_KIND_FUNC_PROTO && btf_type_kind(pb) == BTF_KIND_FUNC_PROTO)
		return explain_proto(x, pa, pb);
	return explain_ref(x, ta->type, tb->type, "type");
}

/* A variable of a DATASEC: entry i's name, offset and size. */
static const char *sec_var(struct shaper *sh, const struct btf_type *t, uint32_t i,
			   uint32_t *offset, uint32_t *size)
{
	const struct btf_var_secinfo *v = (const struct btf_var_secinfo *)btf_type_data(t) + i;
	const struct btf_type *var = btf_builder_type(sh->b, v->type);

	*offset = v->offset;
	*size = v->size;
	return var ? shape_name(sh, var) : "<missing>";
}

/* Index of the variable called name in t, or -1. Linear, but only once per
 * changed DATASEC: explanations are made for differing pairs only. */
static int64_t sec_find(struct shaper *sh, const struct btf_type *t, const char *name)
{
	uint32_t i, off, size;

	for (i = 0; i < btf_type_vlen(t); i++)
		if (!strcmp(sec_var(sh, t, i, &off, &size), name))
			return i;
	return -1;
}

/* Variables of a by name, then those only in b, then the section size. */
static bool explain_datasec(struct ex *x, const struct btf_type *ta, const struct btf_type *tb)
{
	uint32_t i, oa, ob, za, zb;
	int64_t j;

	for (i = 0; i < btf_type_vlen(ta); i++) {
		const char *n = sec_var(x->sa, ta, i, &oa, &za);

		j = sec_find(x->sb, tb, n);
		if (j < 0) {
			dstr_addf(x->out, "variable '%s' removed", n);
			return true;
		}
		sec_var(x->sb, tb, (uint32_t)j, &ob, &zb);
		if (oa != ob || za != zb) {
			dstr_addf(x->out, "variable '%s' %s %u -> %u", n,
				  oa != ob ? "offset" : "size", oa != ob ? oa : za,
				  oa != ob ? ob : zb);
			return true;
		}
	}
	for (i = 0; i < btf_type_vlen(tb); i++) {
		const char *n = sec_var(x->sb, tb, i, &ob, &zb);

		if (sec_find(x->sa, ta, n) < 0) {
			dstr_addf(x->out, "variable '%s' added", n);
			return true;
		}
	}
	if (ta->size != tb->size) {
		dstr_addf(x->out, "size %u -> %u", ta->size, tb->size);
		return true;
	}
	return false;
}

/* INT, FLOAT, FWD and DECL_TAG: their few fields. */
static bool explain_scalar(struct ex *x, const struct btf_type *ta, const struct btf_type *tb)
{
	uint32_t kind = btf_type_kind(ta), da, db;

	if (btf_type_kflag(ta) != btf_type_kflag(tb)) {
		if (kind == BTF_KIND_FWD)
			dstr_addf(x->out, "%s -> %s", btf_type_kflag(ta) ? "union" : "struct",
				  btf_type_kflag(tb) ? "union" : "struct");
		else
			dstr_addf(x->out, "kind_flag %u -> %u", btf_type_kflag(ta),
				  btf_type_kflag(tb));
		return true;
	}
	if ((kind == BTF_KIND_INT || kind == BTF_KIND_FLOAT) && ta->size != tb->size) {
		dstr_addf(x->out, "size %u -> %u", ta->size, tb->size);
		return true;
	}
	if (kind != BTF_KIND_INT)
		return false;
	da = btf_int_data(ta);
	db = btf_int_data(tb);
	if (BTF_INT_BITS(da) != BTF_INT_BITS(db))
		dstr_addf(x->out, "bits %u -> %u", BTF_INT_BITS(da), BTF_INT_BITS(db));
	else if (BTF_INT_ENCODING(da) != BTF_INT_ENCODING(db))
		dstr_addf(x->out, "encoding %s -> %s", shape_int_encoding(BTF_INT_ENCODING(da)),
			  shape_int_encoding(BTF_INT_ENCODING(db)));
	else if (BTF_INT_OFFSET(da) != BTF_INT_OFFSET(db))
		dstr_addf(x->out, "offset %u -> %u", BTF_INT_OFFSET(da), BTF_INT_OFFSET(db));
	else
		return false;
	return true;
}

static bool explain_kind(struct ex *x, uint32_t ida, uint32_t idb)
{
	const struct btf_type *ta = btf_builder_type(x->sa->b, ida);
	const struct btf_type *tb = btf_builder_type(x->sb->b, idb);

	if (!ta || !tb || btf_type_kind(ta) != btf_type_kind(tb))
		return false;
	switch (btf_type_kind(ta)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return explain_members(x, ta, tb, "", 0);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return explain_enum(x, ta, tb);
	case BTF_KIND_TYPEDEF:
		return explain_ref(x, ta->type, tb->type, "type");
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
		return explain_linked(x, ta, tb);
	case BTF_KIND_DATASEC:
		return explain_datasec(x, ta, tb);
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_FWD:
	case BTF_KIND_DECL_TAG:
		return explain_scalar(x, ta, tb);
	default:
		return false;
	}
}

void diff_explain(struct shaper *sa, uint32_t ida, struct shaper *sb, uint32_t idb,
		  struct dstr *out)
{
	struct ex x = { sa, sb, out };
	size_t start = out->len;

	if (explain_kind(&x, ida, idb) || out->err)
		return;
	/* Nothing specific found: the whole shapes say it. */
	out->len = start;
	dstr_adds(out, "shape '");
	shape_body(sa, ida, out);
	dstr_adds(out, "' -> '");
	shape_body(sb, idb, out);
	dstr_adds(out, "'");
}
