// SPDX-License-Identifier: GPL-2.0-only
/*
 * verify.c - btf_verify(): the kernel's BTF loader, offline (see verify.h).
 *
 * The passes, in the kernel's order (Linux 6.18, kernel/bpf/btf.c):
 *  1. the header: long enough, zero past the fields we know, magic,
 *     version, flags, and the two sections tiling the rest exactly;
 *  2. the strings: last in the blob, NUL first (standalone) and last;
 *  3. the meta pass (verify_meta.c): each record whole, its info word,
 *     kind and name offset, then its kind's own rules;
 *  4. standalone BTF only, as bpf(BPF_BTF_LOAD) does: the resolve pass
 *     (verify_resolve.c), a depth-first walk from each type in id order
 *     that sizes every type and checks every reference, member and
 *     function prototype;
 *  5. the modifier chains: TYPE_TAGs first, at most 32 links.
 * The kernel stops at its first error and so do passes 1, 2, 4 and 5; the
 * meta pass goes on past a record whose length it knows, so one run lists
 * every record with a rule of its own broken.
 *
 * What no log line says is not checked: the special fields of the BPF
 * runtime (bpf_spin_lock, kptr tags, graph roots), whose failures leave the
 * kernel's log empty and depend on the running kernel's own BTF.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_priv.h"

#define HDR_LEN ((uint32_t)sizeof(struct btf_header))

static uint32_t ld32(const uint8_t *p)
{
	uint32_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

uint32_t verify_kind_max(const struct verify *v)
{
	unsigned k = v->o->kernel;

	if (!k || k >= 600)
		return BTF_KIND_ENUM64;
	if (k >= 517)
		return BTF_KIND_TYPE_TAG;
	if (k >= 515)
		return BTF_KIND_DECL_TAG;
	if (k >= 513)
		return BTF_KIND_FLOAT;
	return BTF_KIND_DATASEC;
}

bool verify_tag_kflag_ok(const struct verify *v)
{
	return !v->o->kernel || v->o->kernel >= 614;
}

static const struct btf_type void_type;

const struct btf_type *verify_type(const struct verify *v, uint32_t id)
{
	if (id < v->start_id) {
		if (!id)
			return &void_type;
		return v->base ? btf_builder_type(v->base, id) : NULL;
	}
	id -= v->start_id;
	return id < v->nr ? (const struct btf_type *)(v->types + v->recs[id]) : NULL;
}

bool verify_name_off_ok(const struct verify *v, uint32_t off)
{
	if (off > BTF_MAX_NAME_OFFSET)
		return false;
	if (off < v->start_str_off)
		return true;
	return off - v->start_str_off < v->str_len;
}

const char *verify_str(const struct verify *v, uint32_t off)
{
	const char *s;

	if (off < v->start_str_off) {
		s = btf_builder_str(v->base, off);
		return s ? s : "";
	}
	return v->strs + (off - v->start_str_off);
}

/* The kernel's ctype: Latin-1 letters count as letters. */
static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

static bool is_print(unsigned char c)
{
	return (c >= 0x20 && c <= 0x7e) || c >= 0xa0;
}

static unsigned name_max(const struct verify *v)
{
	return v->o->kernel && v->o->kernel < 601 ? 128 : 512;
}

static bool name_char_ok(const struct verify *v, unsigned char c, bool first)
{
	if (c == '_' || (c == '.' && (!v->o->kernel || v->o->kernel >= 611)))
		return true;
	return first ? is_alpha(c) : is_alpha(c) || (c >= '0' && c <= '9');
}

bool verify_ident_ok(const struct verify *v, uint32_t off)
{
	const unsigned char *s = (const unsigned char *)verify_str(v, off);
	unsigned n;

	if (!name_char_ok(v, s[0], true))
		return false;
	for (n = 1; s[n] && n < name_max(v); n++)
		if (!name_char_ok(v, s[n], false))
			return false;
	return !s[n];
}

bool verify_section_name_ok(const struct verify *v, uint32_t off)
{
	const unsigned char *s = (const unsigned char *)verify_str(v, off);
	unsigned n;

	if (!s[0])
		return false;
	for (n = 0; s[n] && n < name_max(v); n++)
		if (!is_print(s[n]))
			return false;
	return !s[n];
}

bool verify_is_modifier(const struct btf_type *t)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

bool verify_needs_resolve(const struct btf_type *t)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ARRAY:
	case BTF_KIND_VAR:
	case BTF_KIND_FUNC:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_DATASEC:
		return true;
	default:
		return verify_is_modifier(t);
	}
}

bool verify_is_source_only(const struct btf_type *t)
{
	uint32_t k = btf_type_kind(t);

	return k == BTF_KIND_VAR || k == BTF_KIND_DECL_TAG || k == BTF_KIND_DATASEC;
}

bool verify_nosize(const struct btf_type *t)
{
	switch (btf_type_kind(t)) {
	case BTF_KIND_UNKN:
	case BTF_KIND_FWD:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_DECL_TAG:
		return true;
	default:
		return false;
	}
}

bool verify_int_regular(const struct btf_type *t)
{
	uint32_t d = btf_int_data(t), bits = BTF_INT_BITS(d), bytes = (bits + 7) / 8;

	return !(bits % 8) && !BTF_INT_OFFSET(d) &&
	       (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8 || bytes == 16);
}

/* ---- Findings: the kernel's log lines ---- */

/* The kernel's names of kinds are bpftool's. */
static const char *kind_name(const struct btf_type *t)
{
	return btf_kind_name(btf_type_kind(t));
}

/* A name as the log shows it. */
static const char *log_name(const struct verify *v, uint32_t off)
{
	if (!off)
		return "(anon)";
	return verify_name_off_ok(v, off) ? verify_str(v, off) : "(invalid-name-offset)";
}

static void proto_details(const struct verify *v, const struct btf_type *t, struct dstr *d)
{
	const struct btf_param *p = btf_type_data(t);
	uint32_t n = btf_type_vlen(t), i;

	dstr_addf(d, "return=%u args=(", t->type);
	if (!n)
		dstr_adds(d, "void");
	else if (n == 1 && !p[0].type)
		dstr_adds(d, "vararg");
	for (i = 0; i < n && !(n == 1 && !p[0].type); i++) {
		if (i)
			dstr_adds(d, ", ");
		if (i && i == n - 1 && !p[i].type) {
			dstr_adds(d, "vararg");
			break;
		}
		dstr_addf(d, "%u ", p[i].type);
		dstr_adds(d, log_name(v, p[i].name_off));
	}
	dstr_adds(d, ")");
}

static void details(const struct verify *v, const struct btf_type *t, struct dstr *d)
{
	uint32_t x;

	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
		x = btf_int_data(t);
		dstr_addf(d, "size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size,
			  BTF_INT_OFFSET(x), BTF_INT_BITS(x),
			  btf_int_encoding_name(BTF_INT_ENCODING(x)));
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_type_data(t);

		dstr_addf(d, "type_id=%u index_type_id=%u nr_elems=%u", a->type, a->index_type,
			  a->nelems);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_DATASEC:
		dstr_addf(d, "size=%u vlen=%u", t->size, btf_type_vlen(t));
		break;
	case BTF_KIND_FWD:
		dstr_adds(d, btf_type_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC_PROTO:
		proto_details(v, t, d);
		break;
	case BTF_KIND_VAR:
		dstr_addf(d, "type_id=%u linkage=%u", t->type,
			  ((const struct btf_var *)btf_type_data(t))->linkage);
		break;
	case BTF_KIND_FLOAT:
		dstr_addf(d, "size=%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		dstr_addf(d, "type=%u component_idx=%d", t->type,
			  ((const struct btf_decl_tag *)btf_type_data(t))->component_idx);
		break;
	default:
		dstr_addf(d, "type_id=%u", t->type);
		break;
	}
}

/* "[id] KIND name[ details]" into d. */
static void type_head(const struct verify *v, const struct btf_type *t, bool with_details,
		      struct dstr *d)
{
	dstr_reset(d);
	dstr_addf(d, "[%u] %s ", v->log_id, kind_name(t));
	dstr_adds(d, log_name(v, t->name_off));
	if (with_details) {
		dstr_adds(d, " ");
		details(v, t, d);
	}
}

/* Hands the finding in v->line (and v->type_line if has_type_line) over. */
static int report(struct verify *v, uint32_t id, const struct btf_type *t, const char *rule,
		  bool has_type_line)
{
	struct btf_finding f = {
		.id = id,
		.kind = t ? kind_name(t) : NULL,
		.name = t ? log_name(v, t->name_off) : NULL,
		.rule = rule,
		.line = v->line.buf ? v->line.buf : rule,
		.type_line = has_type_line ? v->type_line.buf : NULL,
	};

	if (v->line.err || v->type_line.err) {
		v->err = -ENOMEM;
		return -ENOMEM;
	}
	v->found++;
	if (v->fn)
		v->fn(v->ctx, &f);
	if (v->o->max_findings && (unsigned)v->found >= v->o->max_findings)
		v->stop = true;
	return -EINVAL;
}

/* The finding's line in v->line (and the type's in v->type_line). */
static bool format_line(struct verify *v, enum verify_line k, uint32_t id,
			const struct btf_type *t, const void *item, const char *rule)
{
	const struct btf_member *m = item;
	const struct btf_var_secinfo *s = item;

	dstr_reset(&v->line);
	switch (k) {
	case LINE_PLAIN:
		dstr_adds(&v->line, rule);
		return false;
	case LINE_ID:
		dstr_addf(&v->line, "[%u] ", id);
		break;
	case LINE_TYPE:
	case LINE_BASIC:
		type_head(v, t, k == LINE_TYPE, &v->line);
		dstr_adds(&v->line, " ");
		break;
	case LINE_MEMBER:
		type_head(v, t, true, &v->type_line);
		dstr_adds(&v->line, "\t");
		dstr_adds(&v->line, log_name(v, m->name_off));
		if (btf_type_kflag(t))
			dstr_addf(&v->line, " type_id=%u bitfield_size=%u bits_offset=%u ", m->type,
				  BTF_MEMBER_BITFIELD_SIZE(m->offset), BTF_MEMBER_BIT_OFFSET(m->offset));
		else
			dstr_addf(&v->line, " type_id=%u bits_offset=%u ", m->type, m->offset);
		break;
	case LINE_VSI:
		type_head(v, t, true, &v->type_line);
		dstr_addf(&v->line, "\t type_id=%u offset=%u size=%u ", s->type, s->offset, s->size);
		break;
	}
	dstr_adds(&v->line, rule);
	return k == LINE_MEMBER || k == LINE_VSI;
}

int verify_fail(struct verify *v, enum verify_line k, uint32_t id, const struct btf_type *t,
		const void *item, const char *fmt, ...)
{
	char rule[256];
	va_list ap;
	bool has_type_line;

	va_start(ap, fmt);
	vsnprintf(rule, sizeof(rule), fmt, ap);
	va_end(ap);
	if (t)
		id = v->log_id;
	has_type_line = format_line(v, k, id, t, item, rule);
	return report(v, id, t, rule, has_type_line);
}

/* ---- Passes 1 and 2: header, sections, strings ---- */

struct sec {
	uint32_t off, len;
};

static int sec_cmp(const struct sec *a, const struct sec *b)
{
	return a->off != b->off ? (int32_t)(a->off - b->off) : (int32_t)(a->len - b->len);
}

static int check_sections(struct verify *v, size_t size)
{
	struct sec s[2] = { { v->hdr.type_off, v->hdr.type_len }, { v->hdr.str_off, v->hdr.str_len } };
	uint32_t expected = (uint32_t)size - v->hdr.hdr_len, total = 0;
	int i;

	if (sec_cmp(&s[0], &s[1]) >= 0) {
		struct sec t = s[0];

		s[0] = s[1];
		s[1] = t;
	}
	for (i = 0; i < 2; i++) {
		if (expected < s[i].off)
			return verify_plain_fail(v, 0, "Invalid section offset");
		if (total < s[i].off)
			return verify_plain_fail(v, 0, "Unsupported section found");
		if (total > s[i].off)
			return verify_plain_fail(v, 0, "Section overlap found");
		if (expected - total < s[i].len)
			return verify_plain_fail(v, 0, "Total section length too long");
		total += s[i].len;
	}
	if (expected != total)
		return verify_plain_fail(v, 0, "Unsupported section found");
	return 0;
}

static int check_header(struct verify *v, const uint8_t *data, size_t size)
{
	uint32_t hdr_len, i;

	if (size > VERIFY_MAX_SIZE)
		return verify_plain_fail(v, 0, "BTF is larger than the kernel's %u bytes",
					 VERIFY_MAX_SIZE);
	if (size < 8)
		return verify_plain_fail(v, 0, "hdr_len not found");
	hdr_len = ld32(data + 4);
	if (size < hdr_len)
		return verify_plain_fail(v, 0, "btf_header not found");
	for (i = HDR_LEN; i < hdr_len; i++)
		if (data[i])
			return verify_plain_fail(v, 0, "Unsupported btf_header");
	memcpy(&v->hdr, data, hdr_len < HDR_LEN ? hdr_len : HDR_LEN);
	if (v->hdr.magic != BTF_MAGIC)
		return verify_plain_fail(v, 0, "Invalid magic");
	if (v->hdr.version != BTF_VERSION)
		return verify_plain_fail(v, 0, "Unsupported version");
	if (v->hdr.flags)
		return verify_plain_fail(v, 0, "Unsupported flags");
	if (size == v->hdr.hdr_len)
		return verify_plain_fail(v, 0, "No data");
	return check_sections(v, size);
}

static int check_strings(struct verify *v, const uint8_t *data, size_t size)
{
	uint64_t start = (uint64_t)v->hdr.hdr_len + v->hdr.str_off;
	uint32_t len = v->hdr.str_len;

	if (start + len != size)
		return verify_plain_fail(v, 0, "String section is not at the end");
	v->strs = (const char *)data + start;
	v->str_len = len;
	if (v->base && !len)
		return 0;
	if (!len || len - 1 > BTF_MAX_NAME_OFFSET - v->start_str_off || v->strs[len - 1])
		return verify_plain_fail(v, 0, "Invalid string section");
	if (!v->base && v->strs[0])
		return verify_plain_fail(v, 0, "Invalid string section");
	return 0;
}

static int copy_types(struct verify *v, const uint8_t *data)
{
	if (v->hdr.type_off & 3)
		return verify_plain_fail(v, 0, "Unaligned type_off");
	if (!v->base && !v->hdr.type_len)
		return verify_plain_fail(v, 0, "No type found");
	v->type_len = v->hdr.type_len;
	v->types = calloc((size_t)v->type_len / 4 + 1, sizeof(uint32_t));
	v->recs_cap = v->type_len / (uint32_t)sizeof(struct btf_type) + 1;
	v->recs = calloc(v->recs_cap, sizeof(*v->recs));
	if (!v->types || !v->recs)
		return -ENOMEM;
	memcpy(v->types, data + v->hdr.hdr_len + v->hdr.type_off, v->type_len);
	return 0;
}

static int resolve_state_new(struct verify *v)
{
	v->visit = calloc((size_t)v->nr + 1, 1);
	v->resolved_id = calloc((size_t)v->nr + 1, sizeof(*v->resolved_id));
	v->resolved_size = calloc((size_t)v->nr + 1, sizeof(*v->resolved_size));
	return v->visit && v->resolved_id && v->resolved_size ? 0 : -ENOMEM;
}

static void verify_release(struct verify *v)
{
	free(v->types);
	free(v->recs);
	free(v->visit);
	free(v->resolved_id);
	free(v->resolved_size);
	dstr_release(&v->line);
	dstr_release(&v->type_line);
}

int btf_verify(const void *data, size_t size, struct btf_builder *base,
	       const struct btf_verify_opts *opts, btf_verify_fn fn, void *ctx)
{
	static const struct btf_verify_opts none;
	struct verify v = { .o = opts ? opts : &none, .fn = fn, .ctx = ctx, .base = base };
	int err;

	if (base) {
		v.start_id = btf_builder_type_cnt(base);
		v.start_str_off = btf_builder_start_str_off(base) + btf_builder_str_len(base);
	} else {
		v.start_id = 1;
	}
	err = check_header(&v, data, size);
	err = err ? err : check_strings(&v, data, size);
	err = err ? err : copy_types(&v, data);
	err = err ? err : verify_meta(&v);
	if (!err && !v.found && !base && !v.o->module)
		err = resolve_state_new(&v) ?: verify_resolve_all(&v);
	if (!err && !v.found)
		err = verify_type_tags(&v);
	verify_release(&v);
	if (v.err || err == -ENOMEM)
		return -ENOMEM;
	return v.found;
}
