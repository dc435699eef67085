// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump_json.c - own types as the JSON of bpftool 7.1's "-j btf dump file".
 *
 * One object per type in id order: "id", "kind", "name" ("(anon)" without
 * one), then the kind's fields in bpftool's order, members, enumerators,
 * parameters and section variables as arrays of objects; compact, the
 * whole document on one line. Strings are escaped as bpftool's JSON writer
 * escapes them: \t \n \r \f \b \\ \" and nothing else. bpftool's quirks are
 * kept: an unsigned ENUM's value 0xffffffff reads 18446744073709551615.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "btf.h"
#include "btf_rec.h"
#include "dstr.h"

#define FLUSH_AT (1u << 20)

static void str(struct dstr *o, const char *s)
{
	const char *run = s;

	dstr_add(o, "\"", 1);
	for (; *s; s++) {
		const char *esc = NULL;

		switch (*s) {
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\f': esc = "\\f"; break;
		case '\b': esc = "\\b"; break;
		case '\\': esc = "\\\\"; break;
		case '"': esc = "\\\""; break;
		default: continue;
		}
		dstr_add(o, run, (size_t)(s - run));
		dstr_adds(o, esc);
		run = s + 1;
	}
	dstr_add(o, run, (size_t)(s - run));
	dstr_add(o, "\"", 1);
}

/* ,"key": */
static void key(struct dstr *o, const char *k)
{
	dstr_adds(o, ",\"");
	dstr_adds(o, k);
	dstr_adds(o, "\":");
}

static void name(struct dstr *o, const struct btf_builder *b, uint32_t off)
{
	const char *s = off ? btf_builder_str(b, off) : NULL;

	str(o, s && *s ? s : "(anon)");
}

/* The start of array item i: {"name":"..." */
static void item(struct dstr *o, const struct btf_builder *b, uint32_t i, uint32_t name_off)
{
	dstr_adds(o, i ? ",{\"name\":" : "{\"name\":");
	name(o, b, name_off);
}

static void members(struct dstr *o, const struct btf_builder *b, const struct btf_type *t)
{
	const struct btf_member *m = btf_type_data(t);
	uint32_t i;

	dstr_addf(o, ",\"size\":%u,\"vlen\":%u,\"members\":[", t->size, btf_type_vlen(t));
	for (i = 0; i < btf_type_vlen(t); i++) {
		item(o, b, i, m[i].name_off);
		dstr_addf(o, ",\"type_id\":%u,\"bits_offset\":%u", m[i].type,
			  btf_member_offset(t, &m[i]));
		if (btf_member_bits(t, &m[i]))
			dstr_addf(o, ",\"bitfield_size\":%u", btf_member_bits(t, &m[i]));
		dstr_adds(o, "}");
	}
	dstr_adds(o, "]");
}

static void enums(struct dstr *o, const struct btf_builder *b, const struct btf_type *t)
{
	uint32_t i, name_off;
	uint64_t v;

	key(o, "encoding");
	str(o, btf_type_kflag(t) ? "SIGNED" : "UNSIGNED");
	dstr_addf(o, ",\"size\":%u,\"vlen\":%u,\"values\":[", t->size, btf_type_vlen(t));
	for (i = 0; i < btf_type_vlen(t); i++) {
		v = btf_enum_value(t, i, &name_off);
		item(o, b, i, name_off);
		/* bpftool widens an unsigned ENUM's 32-bit value as signed. */
		if (btf_type_kind(t) == BTF_KIND_ENUM)
			v = (uint64_t)(int64_t)(int32_t)(uint32_t)v;
		if (btf_type_kflag(t))
			dstr_addf(o, ",\"val\":%" PRId64 "}", (int64_t)v);
		else
			dstr_addf(o, ",\"val\":%" PRIu64 "}", v);
	}
	dstr_adds(o, "]");
}

static void params(struct dstr *o, const struct btf_builder *b, const struct btf_type *t)
{
	const struct btf_param *p = btf_type_data(t);
	uint32_t i;

	dstr_addf(o, ",\"ret_type_id\":%u,\"vlen\":%u,\"params\":[", t->type, btf_type_vlen(t));
	for (i = 0; i < btf_type_vlen(t); i++) {
		item(o, b, i, p[i].name_off);
		dstr_addf(o, ",\"type_id\":%u}", p[i].type);
	}
	dstr_adds(o, "]");
}

static void datasec(struct dstr *o, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = btf_type_data(t);
	uint32_t i;

	dstr_addf(o, ",\"size\":%u,\"vlen\":%u,\"vars\":[", t->size, btf_type_vlen(t));
	for (i = 0; i < btf_type_vlen(t); i++)
		dstr_addf(o, "%s{\"type_id\":%u,\"offset\":%u,\"size\":%u}", i ? "," : "",
			  v[i].type, v[i].offset, v[i].size);
	dstr_adds(o, "]");
}

static void type(struct dstr *o, const struct btf_builder *b, uint32_t id)
{
	const struct btf_type *t = btf_builder_type(b, id);
	uint32_t kind = btf_type_kind(t), x;

	dstr_addf(o, "{\"id\":%u,\"kind\":", id);
	str(o, btf_kind_name(kind));
	key(o, "name");
	name(o, b, t->name_off);
	switch (kind) {
	case BTF_KIND_INT:
		x = btf_int_data(t);
		dstr_addf(o, ",\"size\":%u,\"bits_offset\":%u,\"nr_bits\":%u", t->size,
			  BTF_INT_OFFSET(x), BTF_INT_BITS(x));
		key(o, "encoding");
		str(o, btf_int_encoding_name(BTF_INT_ENCODING(x)));
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_type_data(t);

		dstr_addf(o, ",\"type_id\":%u,\"index_type_id\":%u,\"nr_elems\":%u", a->type,
			  a->index_type, a->nelems);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		members(o, b, t);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		enums(o, b, t);
		break;
	case BTF_KIND_FWD:
		key(o, "fwd_kind");
		str(o, btf_type_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		dstr_addf(o, ",\"type_id\":%u", t->type);
		key(o, "linkage");
		str(o, btf_linkage_name(btf_type_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		params(o, b, t);
		break;
	case BTF_KIND_VAR:
		dstr_addf(o, ",\"type_id\":%u", t->type);
		key(o, "linkage");
		str(o, btf_linkage_name(((const struct btf_var *)btf_type_data(t))->linkage));
		break;
	case BTF_KIND_DATASEC:
		datasec(o, t);
		break;
	case BTF_KIND_FLOAT:
		dstr_addf(o, ",\"size\":%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		dstr_addf(o, ",\"type_id\":%u,\"component_idx\":%d", t->type,
			  ((const struct btf_decl_tag *)btf_type_data(t))->component_idx);
		break;
	default:
		/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG */
		dstr_addf(o, ",\"type_id\":%u", t->type);
		break;
	}
	dstr_adds(o, "}");
}

static int flush(struct dstr *o, FILE *f)
{
	if (o->err)
		return o->err;
	if (o->len && fwrite(o->buf, 1, o->len, f) != o->len)
		return -EIO;
	dstr_reset(o);
	return 0;
}

int btf_dump_json(const struct btf_builder *b, FILE *f)
{
	uint32_t id, n = btf_builder_type_cnt(b);
	struct dstr o = { 0 };
	int err = 0;

	dstr_adds(&o, "{\"types\":[");
	for (id = btf_builder_start_id(b); id < n && !err; id++) {
		if (id > btf_builder_start_id(b))
			dstr_adds(&o, ",");
		type(&o, b, id);
		if (o.len >= FLUSH_AT)
			err = flush(&o, f);
	}
	dstr_adds(&o, "]}\n");
	err = err ? err : flush(&o, f);
	dstr_release(&o);
	return err;
}
