// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump.c - own types as the raw text of bpftool 7.1's "btf dump file".
 *
 * The format is bpftool's dump_btf_type() in plain-text mode, byte for byte:
 * one "[id] KIND 'name' ..." line per type, then one tab-indented line per
 * member, enumerator, parameter or section variable. A vmlinux dump is about
 * 12 MB of text, so nothing here goes through printf: fields are formatted by
 * hand into one large buffer that is written out in big chunks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_rec.h"

#define OUT_CAP (1u << 20)	/* bytes buffered before a write */
#define OUT_ROOM 128		/* worst case of one put_* call but names */

/* The output buffer. err sticks: after a failed write nothing more is written. */
struct out {
	char *buf;		/* OUT_CAP bytes */
	size_t len;		/* bytes used */
	FILE *f;		/* destination */
	int err;		/* 0, or -EIO once a write failed */
};

static const char digits2[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Indexed by BTF_KIND_*; bpftool calls kind 0 (void) UNKNOWN. */
static const char *const kind_names[] = {
	"UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF",
	"VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT",
	"DECL_TAG", "TYPE_TAG", "ENUM64",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == BTF_KIND_ENUM64 + 1,
	       "a name for every kind");

static void out_flush(struct out *o)
{
	if (o->len && !o->err && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->err = -EIO;
	o->len = 0;
}

/* Room for n more bytes at o->buf + o->len; n <= OUT_CAP. */
static inline char *out_room(struct out *o, size_t n)
{
	if (OUT_CAP - o->len < n)
		out_flush(o);
	return o->buf + o->len;
}

static void put_mem(struct out *o, const char *s, size_t n)
{
	if (n > OUT_CAP - o->len) {
		out_flush(o);
		if (n > OUT_CAP) {
			if (!o->err && fwrite(s, 1, n, o->f) != n)
				o->err = -EIO;
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_str(struct out *o, const char *s)
{
	put_mem(o, s, strlen(s));
}

/* A short string literal: a fixed-size copy the compiler inlines. */
#define put_lit(o, s) \
	do { \
		_Static_assert(sizeof(s) <= OUT_ROOM, "literal too long"); \
		memcpy(out_room((o), sizeof(s) - 1), (s), sizeof(s) - 1); \
		(o)->len += sizeof(s) - 1; \
	} while (0)

/* Decimal digits of v, written backwards ending at end; returns the start. */
static inline char *fmt_u64(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, digits2 + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digits2 + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

static inline void put_u64(struct out *o, uint64_t v, bool negative)
{
	char tmp[24], *end = tmp + sizeof(tmp), *p = fmt_u64(end, v);
	char *dst;

	if (negative)
		*--p = '-';
	dst = out_room(o, OUT_ROOM);
	memcpy(dst, p, (size_t)(end - p));
	o->len += (size_t)(end - p);
}

static inline void put_s64(struct out *o, int64_t v)
{
	/* 0 - (uint64_t)v is |v| even for INT64_MIN. */
	put_u64(o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

/* "'name'", or '(anon)' for offset 0 and '(invalid)' for a bad offset. */
static void put_name(struct out *o, const struct btf_builder *b, uint32_t off)
{
	const char *s = off ? btf_builder_str(b, off) : "(anon)";

	if (!s)
		s = "(invalid)";
	put_lit(o, "'");
	put_str(o, s);
	put_lit(o, "'");
}

/* " key=value": the commonest field shape. key includes the space and '='. */
#define put_field(o, key, v) \
	do { \
		put_lit((o), key); \
		put_u64((o), (v), false); \
	} while (0)

const char *btf_kind_name(uint32_t kind)
{
	return kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : "UNKNOWN";
}

const char *btf_int_encoding_name(uint32_t enc)
{
	switch (enc) {
	case 0:
		return "(none)";
	case BTF_INT_SIGNED:
		return "SIGNED";
	case BTF_INT_CHAR:
		return "CHAR";
	case BTF_INT_BOOL:
		return "BOOL";
	default:
		return "UNKN";
	}
}

/* FUNC's vlen and VAR's linkage: BTF_FUNC_* and BTF_VAR_* share values. */
const char *btf_linkage_name(uint32_t linkage)
{
	switch (linkage) {
	case BTF_FUNC_STATIC:
		return "static";
	case BTF_FUNC_GLOBAL:
		return "global";
	case BTF_FUNC_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

static void dump_members(struct out *o, const struct btf_builder *b, const struct btf_type *t)
{
	const struct btf_member *m = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t);

	put_field(o, " size=", t->size);
	put_field(o, " vlen=", vlen);
	for (i = 0; i < vlen; i++, m++) {
		uint32_t bits = btf_member_bits(t, m);

		put_lit(o, "\n\t");
		put_name(o, b, m->name_off);
		put_field(o, " type_id=", m->type);
		put_field(o, " bits_offset=", btf_member_offset(t, m));
		if (bits)
			put_field(o, " bitfield_size=", bits);
	}
}

static void dump_enum32(struct out *o, const struct btf_builder *b, const struct btf_type *t)
{
	const struct btf_enum *e = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t);

	for (i = 0; i < vlen; i++, e++) {
		put_lit(o, "\n\t");
		put_name(o, b, e->name_off);
		put_lit(o, " val=");
		if (btf_type_kflag(t))
			put_s64(o, e->val);
		else
			put_u64(o, (uint32_t)e->val, false);
	}
}

static void dump_enum64(struct out *o, const struct btf_builder *b, const struct btf_type *t)
{
	const struct btf_enum64 *e = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t);

	for (i = 0; i < vlen; i++, e++) {
		uint64_t v = (uint64_t)e->val_hi32 << 32 | e->val_lo32;

		put_lit(o, "\n\t");
		put_name(o, b, e->name_off);
		put_lit(o, " val=");
		if (btf_type_kflag(t)) {
			put_s64(o, (int64_t)v);
			put_lit(o, "LL");
		} else {
			put_u64(o, v, false);
			put_lit(o, "ULL");
		}
	}
}

/* ENUM and ENUM64: kind_flag tells signed values, and the value format. */
static void dump_enum(struct out *o, const struct btf_builder *b, const struct btf_type *t)
{
	put_str(o, btf_type_kflag(t) ? " encoding=SIGNED" : " encoding=UNSIGNED");
	put_field(o, " size=", t->size);
	put_field(o, " vlen=", btf_type_vlen(t));
	if (btf_type_kind(t) == BTF_KIND_ENUM)
		dump_enum32(o, b, t);
	else
		dump_enum64(o, b, t);
}

static void dump_proto(struct out *o, const struct btf_builder *b, const struct btf_type *t)
{
	const struct btf_param *p = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t);

	put_field(o, " ret_type_id=", t->type);
	put_field(o, " vlen=", vlen);
	for (i = 0; i < vlen; i++, p++) {
		put_lit(o, "\n\t");
		put_name(o, b, p->name_off);
		put_field(o, " type_id=", p->type);
	}
}

static void dump_datasec(struct out *o, const struct btf_builder *b, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = btf_type_data(t);
	uint32_t i, vlen = btf_type_vlen(t), cnt = btf_builder_type_cnt(b);
	const struct btf_type *vt;

	put_field(o, " size=", t->size);
	put_field(o, " vlen=", vlen);
	for (i = 0; i < vlen; i++, v++) {
		put_field(o, "\n\ttype_id=", v->type);
		put_field(o, " offset=", v->offset);
		put_field(o, " size=", v->size);
		if (v->type >= cnt)
			continue;
		/* bpftool shows void (id 0) as kind 0, "UNKNOWN", anonymous. */
		vt = btf_builder_type(b, v->type);
		put_lit(o, " (");
		put_str(o, btf_kind_name(vt ? btf_type_kind(vt) : 0));
		put_lit(o, " ");
		put_name(o, b, vt ? vt->name_off : 0);
		put_lit(o, ")");
	}
}

static void dump_int(struct out *o, const struct btf_type *t)
{
	uint32_t v = btf_int_data(t);

	put_field(o, " size=", t->size);
	put_field(o, " bits_offset=", BTF_INT_OFFSET(v));
	put_field(o, " nr_bits=", BTF_INT_BITS(v));
	put_lit(o, " encoding=");
	put_str(o, btf_int_encoding_name(BTF_INT_ENCODING(v)));
}

static void dump_array(struct out *o, const struct btf_type *t)
{
	const struct btf_array *a = btf_type_data(t);

	put_field(o, " type_id=", a->type);
	put_field(o, " index_type_id=", a->index_type);
	put_field(o, " nr_elems=", a->nelems);
}

/* What follows "[id] KIND 'name'" on a type's line, and its item lines. */
static void dump_fields(struct out *o, const struct btf_builder *b, const struct btf_type *t)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
		dump_int(o, t);
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		put_field(o, " type_id=", t->type);
		break;
	case BTF_KIND_ARRAY:
		dump_array(o, t);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		dump_members(o, b, t);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		dump_enum(o, b, t);
		break;
	case BTF_KIND_FWD:
		put_str(o, btf_type_kflag(t) ? " fwd_kind=union" : " fwd_kind=struct");
		break;
	case BTF_KIND_FUNC:
		put_field(o, " type_id=", t->type);
		put_lit(o, " linkage=");
		put_str(o, btf_linkage_name(btf_type_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		dump_proto(o, b, t);
		break;
	case BTF_KIND_VAR:
		put_field(o, " type_id=", t->type);
		put_lit(o, ", linkage=");
		put_str(o, btf_linkage_name(((const struct btf_var *)btf_type_data(t))->linkage));
		break;
	case BTF_KIND_DATASEC:
		dump_datasec(o, b, t);
		break;
	case BTF_KIND_FLOAT:
		put_field(o, " size=", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		put_field(o, " type_id=", t->type);
		put_lit(o, " component_idx=");
		put_s64(o, ((const struct btf_decl_tag *)btf_type_data(t))->component_idx);
		break;
	default:
		break;
	}
}

static void dump_type(struct out *o, const struct btf_builder *b, uint32_t id,
		      const struct btf_type *t)
{
	put_lit(o, "[");
	put_u64(o, id, false);
	put_lit(o, "] ");
	put_str(o, btf_kind_name(btf_type_kind(t)));
	put_lit(o, " ");
	put_name(o, b, t->name_off);
	dump_fields(o, b, t);
	put_lit(o, "\n");
}

int btf_dump_raw(const struct btf_builder *b, FILE *out)
{
	struct out o = { .f = out };
	uint32_t id, cnt = btf_builder_type_cnt(b);

	o.buf = malloc(OUT_CAP);
	if (!o.buf)
		return -ENOMEM;
	for (id = btf_builder_start_id(b); id < cnt && !o.err; id++) {
		const struct btf_type *t = btf_builder_type(b, id);

		if (t)
			dump_type(&o, b, id, t);
	}
	out_flush(&o);
	free(o.buf);
	if (!o.err && fflush(out))
		o.err = -EIO;
	return o.err;
}
