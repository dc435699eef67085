// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump_c_decl.c - one C declaration from a BTF type: the declarator, and
 * the bodies of structs, unions and enums with the layout BTF records.
 *
 * A declarator is built inside out. From the declared type, each PTR puts
 * a '*' before what has been built so far (in parentheses when an array or
 * a function is pointed to), each ARRAY appends "[n]", each FUNC_PROTO
 * appends its parameter list, each qualifier goes after the '*' it
 * qualifies or, on the base type, before it; TYPE_TAGs are left out. What
 * is left is the base: a C type name, or an anonymous body written in
 * place. So PTR -> ARRAY[4] -> PTR -> FUNC_PROTO(int) returning void
 * declared as "f" reads "void (*(*f)[4])(int)".
 *
 * Layout: members sit where BTF says. Where a C compiler would put a member
 * elsewhere (a gap the natural alignment does not explain), unnamed
 * bitfields ("long: 24;") fill the gap; where a member sits below its
 * natural alignment, or the size is not a multiple of it, the struct is
 * __attribute__((packed)) and its alignment 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump_c_priv.h"

#define MAX_DEPTH 64	/* declarator and body nesting followed */

static void indent_to(struct dstr *s, int indent)
{
	while (indent-- > 0)
		dstr_add(s, "\t", 1);
}

static bool is_qual(uint32_t kind)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

/* The kind under qualifiers and tags. */
static uint32_t kind_below_quals(const struct cdump *d, uint32_t id)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		t = cd_type(d, id);
		if (!t || !is_qual(btf_type_kind(t)))
			return t ? btf_type_kind(t) : BTF_KIND_UNKN;
		id = t->type;
	}
	return BTF_KIND_UNKN;
}

static uint32_t align_of(struct cdump *d, uint32_t id, int depth);

static uint32_t composite_align(struct cdump *d, uint32_t id, int depth);

static uint32_t align_of(struct cdump *d, uint32_t id, int depth)
{
	const struct btf_type *t = cd_type(d, id);

	if (!t || depth > MAX_DEPTH)
		return 1;
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
		/* Its size: __int128 is 16-byte aligned on the BPF target too. */
		return t->size && t->size <= 16 && !(t->size & (t->size - 1)) ? t->size : 1;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		/* At most 8: long double is a double on the BPF target. */
		return t->size && !(t->size & (t->size - 1)) ? (t->size < 8 ? t->size : 8) : 1;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY:
		return align_of(d, ((const struct btf_array *)btf_type_data(t))->type, depth + 1);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return composite_align(d, id, depth + 1);
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return align_of(d, t->type, depth + 1);
	default:
		return 1;
	}
}

/* A member's width in bits: its bitfield size, or its type's size. */
static uint32_t member_bits(const struct cdump *d, const struct btf_type *s,
			    const struct btf_member *m, uint32_t *bitfield)
{
	uint32_t size = 0;

	*bitfield = btf_member_bits(s, m);
	if (!*bitfield) {
		const struct btf_type *mt = cd_type(d, m->type);

		int depth = 0;

		/* A kind_flag 0 bitfield: an INT of fewer bits than its size. */
		while (mt && (btf_type_kind(mt) == BTF_KIND_TYPEDEF || is_qual(btf_type_kind(mt))) &&
		       depth++ < MAX_DEPTH)
			mt = cd_type(d, mt->type);
		if (!btf_type_kflag(s) && mt && btf_type_kind(mt) == BTF_KIND_INT &&
		    BTF_INT_BITS(btf_int_data(mt)) < mt->size * 8)
			*bitfield = BTF_INT_BITS(btf_int_data(mt));
	}
	if (*bitfield)
		return *bitfield;
	btf_builder_type_size(d->b, m->type, &size);
	return size * 8;
}

/* Alignment of a struct or union, and whether it must be packed. */
static uint32_t composite_align(struct cdump *d, uint32_t id, int depth)
{
	const struct btf_type *t = cd_type(d, id);
	const struct btf_member *m = btf_type_data(t);
	uint32_t i, a, max = 1, off, bits, bitfield, unit;
	bool packed = false;

	if (d->state[id] & CD_ALIGN_KNOWN)
		return d->align[id];
	d->state[id] |= CD_ALIGN_KNOWN;	/* a loop by value reads 1 */
	d->align[id] = 1;
	for (i = 0; i < btf_type_vlen(t); i++) {
		a = align_of(d, m[i].type, depth + 1);
		off = btf_member_offset(t, &m[i]);
		bits = member_bits(d, t, &m[i], &bitfield);
		if (a > max)
			max = a;
		unit = a * 8;
		if (!bitfield && off % unit)
			packed = true;
		if (bitfield && bits && off / unit != (off + bits - 1) / unit)
			packed = true;
	}
	if (t->size % max)
		packed = true;
	d->align[id] = (uint8_t)(packed ? 1 : max);
	if (packed)
		d->state[id] |= CD_PACKED;
	return d->align[id];
}

/* Unnamed bitfields from bit pos to bit end; a gap of more than
 * PAD_WORDS_MAX whole 64-bit words (only in a made-up layout: 4 GiB structs)
 * is one named array instead of a line per word. */
#define PAD_WORDS_MAX 256

static void pad(struct cdump *d, uint32_t pos, uint32_t end, int indent)
{
	while (pos < end) {
		uint32_t room = 64 - pos % 64, n = end - pos < room ? end - pos : room;

		if (n == 64 && (end - pos) / 64 > PAD_WORDS_MAX) {
			indent_to(&d->out, indent);
			dstr_addf(&d->out, "long __pad_%u[%u];\n", pos / 8, (end - pos) / 64);
			pos += (end - pos) / 64 * 64;
			continue;
		}
		indent_to(&d->out, indent);
		dstr_addf(&d->out, "long: %u;\n", n);
		pos += n;
	}
}

/* Where a compiler puts a member of a bits at bit pos (a the type's
 * alignment in bytes; bitfield or not), absent padding. */
static uint32_t natural_at(uint32_t pos, uint32_t a, uint32_t bits, bool bitfield, bool packed)
{
	uint32_t unit = a * 8;

	if (packed)
		return bitfield ? pos : (pos + 7) / 8 * 8;
	if (bitfield && bits && pos / unit == (pos + bits - 1) / unit)
		return pos;
	return (pos + unit - 1) / unit * unit;
}

void cd_composite(struct cdump *d, uint32_t id, int indent)
{
	const struct btf_type *t = cd_type(d, id);
	const struct btf_member *m = btf_type_data(t);
	bool is_union = btf_type_kind(t) == BTF_KIND_UNION, packed;
	uint32_t i, pos = 0, off, bits, bitfield, a, max = composite_align(d, id, 0);

	packed = d->state[id] & CD_PACKED;
	dstr_adds(&d->out, is_union ? "union" : "struct");
	if (d->names[id]) {
		dstr_adds(&d->out, " ");
		dstr_adds(&d->out, d->names[id]);
	}
	dstr_adds(&d->out, " {\n");
	for (i = 0; i < btf_type_vlen(t); i++) {
		off = btf_member_offset(t, &m[i]);
		bits = member_bits(d, t, &m[i], &bitfield);
		a = align_of(d, m[i].type, 0);
		if (!is_union && off > pos && natural_at(pos, a, bits, bitfield, packed) != off)
			pad(d, pos, off, indent + 1);
		indent_to(&d->out, indent + 1);
		cd_decl(d, m[i].type, cd_str(d, m[i].name_off), indent + 1);
		if (bitfield)
			dstr_addf(&d->out, ": %u", bitfield);
		dstr_adds(&d->out, ";\n");
		if (!is_union && off + bits > pos)
			pos = off + bits;
	}
	/* Tail padding a compiler would not add by itself. */
	if (!is_union && t->size * 8 > (packed ? (pos + 7) / 8 * 8 : natural_at(pos, max, 0, false, false)))
		pad(d, pos, t->size * 8, indent + 1);
	indent_to(&d->out, indent);
	dstr_adds(&d->out, packed ? "} __attribute__((packed))" : "}");
}

void cd_enum(struct cdump *d, uint32_t id, int indent)
{
	const struct btf_type *t = cd_type(d, id);
	bool is64 = btf_type_kind(t) == BTF_KIND_ENUM64, sign = btf_type_kflag(t);
	uint32_t i;

	dstr_adds(&d->out, "enum");
	if (d->names[id]) {
		dstr_adds(&d->out, " ");
		dstr_adds(&d->out, d->names[id]);
	}
	dstr_adds(&d->out, " {\n");
	for (i = 0; i < btf_type_vlen(t); i++) {
		uint32_t name_off;
		uint64_t v = btf_enum_value(t, i, &name_off);
		char *name;

		name = cd_names_take(d, &d->idents, cd_str(d, name_off), BTF_KIND_ENUM);
		if (!name)
			return;
		indent_to(&d->out, indent + 1);
		dstr_adds(&d->out, name);
		free(name);
		if (sign)
			dstr_addf(&d->out, " = %" PRId64 "%s,\n", (int64_t)v,
				  is64 && (int64_t)v != (int32_t)v ? "LL" : "");
		else
			dstr_addf(&d->out, " = %" PRIu64 "%s,\n", v, is64 && v > UINT32_MAX ? "ULL" : "");
	}
	indent_to(&d->out, indent);
	dstr_adds(&d->out, "}");
	/* An enum of other than 4 bytes keeps its size (and the layouts of the
	 * structs around it). */
	if (t->size == 1)
		dstr_adds(&d->out, " __attribute__((mode(byte)))");
	else if (t->size == 2)
		dstr_adds(&d->out, " __attribute__((mode(HI)))");
	else if (t->size == 8)
		dstr_adds(&d->out, " __attribute__((mode(DI)))");
}

/* The base type of a declaration, inline bodies at indent. */
static void base(struct cdump *d, uint32_t id, int indent)
{
	const struct btf_type *t = cd_type(d, id);
	static const char *const uints[] = { "unsigned char", "short unsigned int", "",
					     "unsigned int", "", "", "",
					     "long long unsigned int" };

	if (!t) {
		dstr_adds(&d->out, "void");
		return;
	}
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		dstr_adds(&d->out, t->name_off ? cd_str(d, t->name_off) : "int");
		return;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (d->names[id] || indent > MAX_DEPTH || (d->state[id] & CD_BUSY)) {
			dstr_adds(&d->out, btf_type_kind(t) == BTF_KIND_UNION ? "union " : "struct ");
			dstr_adds(&d->out, d->names[id] ? d->names[id] : "__anon_loop");
			return;
		}
		d->state[id] |= CD_BUSY;
		cd_composite(d, id, indent);
		d->state[id] &= (uint16_t)~CD_BUSY;
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (d->names[id]) {
			dstr_adds(&d->out, "enum ");
			dstr_adds(&d->out, d->names[id]);
		} else if (!(d->state[id] & CD_INLINED) && btf_type_vlen(t)) {
			d->state[id] |= CD_INLINED;
			cd_enum(d, id, indent);
		} else {
			/* Its enumerators are out already: the integer of its size. */
			dstr_adds(&d->out, t->size && t->size <= 8 && uints[t->size - 1][0]
						   ? uints[t->size - 1] : "unsigned int");
		}
		return;
	case BTF_KIND_FWD:
		if (!d->names[id]) {
			dstr_adds(&d->out, "void");
			return;
		}
		dstr_adds(&d->out, btf_type_kflag(t) ? "union " : "struct ");
		dstr_adds(&d->out, d->names[id]);
		return;
	case BTF_KIND_TYPEDEF:
		dstr_adds(&d->out, d->names[id] ? d->names[id] : "int");
		return;
	default:
		dstr_adds(&d->out, "void");
		return;
	}
}

/* s = prefix + s + suffix. */
static void wrap(struct dstr *s, const char *prefix, const char *suffix)
{
	struct dstr n = { 0 };

	dstr_adds(&n, prefix);
	if (s->len)
		dstr_add(&n, s->buf, s->len);
	dstr_adds(&n, suffix);
	if (n.err && !s->err)
		s->err = n.err;
	dstr_release(s);
	*s = n;
}

static void params(struct cdump *d, const struct btf_type *t, struct dstr *inner, int indent)
{
	const struct btf_param *p = btf_type_data(t);
	uint32_t n = btf_type_vlen(t), i;
	struct dstr saved = d->out;

	/* Each parameter renders through d->out: borrow it. */
	d->out = (struct dstr){ 0 };
	dstr_adds(&d->out, "(");
	/* Only "...": C wants a named parameter first; bpftool writes (void). */
	if (n == 1 && !p[0].type)
		n = 0;
	for (i = 0; i < n; i++) {
		if (i)
			dstr_adds(&d->out, ", ");
		if (!p[i].type && i == n - 1)
			dstr_adds(&d->out, "...");
		else
			cd_decl(d, p[i].type, "", indent);
	}
	if (!n)
		dstr_adds(&d->out, "void");
	dstr_adds(&d->out, ")");
	wrap(inner, "", d->out.buf ? d->out.buf : "");
	if (d->out.err && !inner->err)
		inner->err = d->out.err;
	dstr_release(&d->out);
	d->out = saved;
}

/* "__attribute__((btf_type_tag(\"v\"))) " (malloc'd, v escaped), or NULL. */
static char *tag_attr(const char *v)
{
	static const char pre[] = "__attribute__((btf_type_tag(\"", post[] = "\"))) ";
	char *s = malloc(sizeof(pre) + 2 * strlen(v) + sizeof(post)), *p = s;

	if (!s)
		return NULL;
	p += sprintf(p, "%s", pre);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			*p++ = '\\';
		*p++ = *v;
	}
	sprintf(p, "%s", post);
	return s;
}

void cd_decl(struct cdump *d, uint32_t id, const char *name, int indent)
{
	struct dstr inner = { 0 }, tags = { 0 };
	const char *quals = "";
	const struct btf_type *t;
	char num[24];
	int depth;

	/* Parameters of parameters: a loop (a prototype taking a pointer to
	 * itself) is cut short, C cannot write one; so is a definition that
	 * would take more than DECL_BUDGET declarators (prototypes of many
	 * parameters pointing at each other make that many without a loop). */
	if (d->decl_depth > MAX_DEPTH || !d->decl_budget) {
		dstr_adds(&d->out, "void");
		return;
	}
	d->decl_budget--;
	d->decl_depth++;
	dstr_adds(&inner, name);
	for (depth = 0; depth < MAX_DEPTH && (t = cd_type(d, id)); depth++) {
		uint32_t kind = btf_type_kind(t), below;

		if (kind == BTF_KIND_PTR) {
			below = kind_below_quals(d, t->type);
			if (below == BTF_KIND_ARRAY || below == BTF_KIND_FUNC_PROTO)
				wrap(&inner, "(*", ")");
			else
				wrap(&inner, "*", "");
		} else if (is_qual(kind) && kind != BTF_KIND_TYPE_TAG) {
			const char *q = kind == BTF_KIND_CONST ? "const " :
					kind == BTF_KIND_VOLATILE ? "volatile " : "restrict ";

			if (kind_below_quals(d, t->type) == BTF_KIND_PTR)
				wrap(&inner, q, "");
			else if (kind != BTF_KIND_RESTRICT &&
				 kind_below_quals(d, t->type) != BTF_KIND_FUNC_PROTO)
				quals = kind == BTF_KIND_CONST && !strcmp(quals, "volatile ")
						? "const volatile " :
					kind == BTF_KIND_VOLATILE && !strcmp(quals, "const ")
						? "const volatile " : q;
		} else if (kind == BTF_KIND_ARRAY) {
			const struct btf_array *a = btf_type_data(t);

			snprintf(num, sizeof(num), "[%u]", a->nelems);
			wrap(&inner, "", num);
			id = a->type;
			continue;
		} else if (kind == BTF_KIND_FUNC_PROTO) {
			params(d, t, &inner, indent);
		} else if (kind == BTF_KIND_TYPEDEF && !d->names[id]) {
			/* No name (not from C): it stands for its type. */
		} else if (kind == BTF_KIND_TYPE_TAG) {
			/* Like a qualifier: after the '*' it tags, or after the base. */
			struct dstr *to = kind_below_quals(d, t->type) == BTF_KIND_PTR ? &inner : &tags;
			char *attr = tag_attr(cd_str(d, t->name_off));

			if (!attr) {
				d->out.err = -ENOMEM;
			} else if (to == &inner) {
				wrap(&inner, attr, "");
			} else {
				/* After the base: " attr", without the trailing space. */
				dstr_adds(&tags, " ");
				dstr_add(&tags, attr, strlen(attr) - 1);
			}
			free(attr);
		} else {
			break;
		}
		id = t->type;
	}
	dstr_adds(&d->out, quals);
	base(d, id, indent);
	if (tags.len)
		dstr_add(&d->out, tags.buf, tags.len);
	dstr_release(&tags);
	if (inner.len) {
		dstr_adds(&d->out, " ");
		dstr_add(&d->out, inner.buf, inner.len);
	}
	if (inner.err && !d->out.err)
		d->out.err = inner.err;
	dstr_release(&inner);
	d->decl_depth--;
}
