// SPDX-License-Identifier: GPL-2.0-only
/*
 * parse.c - a raw BTF blob into a read-only struct btf_builder.
 *
 * The input may be hostile (a file, a fuzzer), so the parser trusts nothing:
 *  1. the header, read from a copy of its first 24 bytes, in either byte
 *     order; the sections must tile the bytes after it as the kernel demands
 *     (BTF.md 2.2): no gap, no overlap, strings last and ending the blob;
 *  2. the blob is copied once into an aligned buffer, converted to host order
 *     if it is foreign (header and type records; strings are bytes);
 *  3. the string section: NUL rules of base or split BTF, and the logical end
 *     within BTF_MAX_NAME_OFFSET;
 *  4. the records, in order: each whole, reserved info bits clear, a known
 *     kind; this indexes them and so counts the types;
 *  5. with the count known, every name offset and type id reference.
 * Semantic kernel rules (names, sizes, linkage, BTF_MAX_TYPE) are left to
 * the verifier: a parsed blob is one whose every offset and id can be
 * followed safely. So is the kernel's "No type found": an empty type
 * section is accepted, as libbpf accepts it (its btf__new_empty() writes
 * one). One rule is stricter than the kernel's: hdr_len must be a multiple
 * of 4, so that the records in the copy are aligned. All arithmetic on
 * input values is done in 64 bits.
 */
#include <byteswap.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_priv.h"
#include "grow.h"

#define HDR_MIN ((uint32_t)sizeof(struct btf_header))

/* One section of the blob, in bytes after the header. */
struct sec {
	const char *name;
	uint64_t off;
	uint64_t len;
};

/* Step 1, the sections: sorted by offset (empty first on a tie), each must
 * start where the previous ended, and together fill the blob. */
static int parse_check_sections(const struct btf_header *h, uint64_t avail)
{
	struct sec s[2] = {{"type", h->type_off, h->type_len}, {"string", h->str_off, h->str_len}};
	uint64_t total = 0;
	int i;

	if (s[1].off < s[0].off || (s[1].off == s[0].off && s[1].len < s[0].len)) {
		struct sec tmp = s[0];

		s[0] = s[1];
		s[1] = tmp;
	}
	for (i = 0; i < 2; i++) {
		if (s[i].off > total) {
			btf_log("btf: gap of %" PRIu64
				" bytes before the %s section at byte %" PRIu64,
				s[i].off - total, s[i].name, h->hdr_len + s[i].off);
			return -EINVAL;
		}
		if (s[i].off < total) {
			btf_log("btf: the %s section at offset %" PRIu64 " overlaps the %s section",
				s[i].name, s[i].off, s[1 - i].name);
			return -EINVAL;
		}
		if (s[i].len > avail - total) {
			btf_log("btf: the %s section (%" PRIu64 " bytes at offset %" PRIu64
				") runs past the blob end",
				s[i].name, s[i].len, s[i].off);
			return -EINVAL;
		}
		total += s[i].len;
	}
	if (total != avail) {
		btf_log("btf: trailing bytes after the last section: %" PRIu64, avail - total);
		return -EINVAL;
	}
	if ((uint64_t)h->str_off + h->str_len != avail) {
		btf_log("btf: the string section is not at the blob end");
		return -EINVAL;
	}
	return 0;
}

/* Step 1, the fixed header fields. h is in host order. */
static int parse_check_header_fields(const struct btf_header *h, const uint8_t *data, size_t size)
{
	uint32_t i;

	if (h->version != BTF_VERSION) {
		btf_log("btf: unsupported version %u", h->version);
		return -EINVAL;
	}
	if (h->flags) {
		btf_log("btf: unsupported flags 0x%x", h->flags);
		return -EINVAL;
	}
	if (h->hdr_len < HDR_MIN || h->hdr_len > size) {
		btf_log("btf: header length %u is outside %u..%zu", h->hdr_len, HDR_MIN, size);
		return -EINVAL;
	}
	/* Not a kernel rule, but the records that follow must be 4-byte aligned. */
	if (h->hdr_len % 4) {
		btf_log("btf: header length %u is not a multiple of 4", h->hdr_len);
		return -EINVAL;
	}
	for (i = HDR_MIN; i < h->hdr_len; i++) {
		if (data[i]) {
			btf_log("btf: header byte %u, past the known 24, is not zero", i);
			return -EINVAL;
		}
	}
	if (h->type_off % 4) {
		btf_log("btf: type section offset %u is not a multiple of 4", h->type_off);
		return -EINVAL;
	}
	return parse_check_sections(h, size - h->hdr_len);
}

/* Step 1. Returns: 0 with *h in host order and *foreign set, or -EINVAL. */
static int parse_header(const uint8_t *data, size_t size, struct btf_header *h, bool *foreign)
{
	if (size < HDR_MIN) {
		btf_log("btf: blob of %zu bytes is shorter than the %u-byte header", size, HDR_MIN);
		return -EINVAL;
	}
	if (size > UINT32_MAX) {
		btf_log("btf: blob of %zu bytes is larger than 4 GiB", size);
		return -EINVAL;
	}
	memcpy(h, data, HDR_MIN);
	*foreign = h->magic == bswap_16(BTF_MAGIC);
	if (*foreign) {
		btf_swap_header(h);
	} else if (h->magic != BTF_MAGIC) {
		btf_log("btf: bad magic 0x%04x", h->magic);
		return -EINVAL;
	}
	return parse_check_header_fields(h, data, size);
}

/* Step 3. */
static int parse_check_strings(const struct btf_builder *b, const char *s, uint32_t len)
{
	bool split = b->base != NULL;

	if (!len && !split) {
		btf_log("btf: empty string section");
		return -EINVAL;
	}
	if (len && !split && s[0]) {
		btf_log("btf: string section does not start with NUL (split BTF without base?)");
		return -EINVAL;
	}
	if (len && s[len - 1]) {
		btf_log("btf: string section does not end with NUL");
		return -EINVAL;
	}
	if ((uint64_t)b->start_str_off + len > (uint64_t)BTF_MAX_NAME_OFFSET + 1) {
		btf_log("btf: strings end at logical offset %" PRIu64 ", past the limit %u",
			(uint64_t)b->start_str_off + len, BTF_MAX_NAME_OFFSET + 1);
		return -EINVAL;
	}
	return 0;
}

/* Step 4, one record at types + off. Returns: its size, or -EINVAL. */
static int64_t parse_record_size(const struct btf_builder *b, uint32_t id, size_t off, uint64_t at)
{
	const struct btf_type *t = (const struct btf_type *)(b->types + off);
	uint64_t left = b->types_len - off, size;
	uint32_t fixed, per_vlen;

	if (left < sizeof(*t)) {
		btf_log("btf: type [%u] at byte %" PRIu64 ": %" PRIu64
			" bytes left, too short for a record",
			id, at, left);
		return -EINVAL;
	}
	if (t->info & BTF_INFO_RESERVED) {
		btf_log("btf: type [%u] at byte %" PRIu64 ": reserved info bits set (0x%08x)", id,
			at, t->info);
		return -EINVAL;
	}
	if (btf_kind_layout(btf_type_kind(t), &fixed, &per_vlen)) {
		btf_log("btf: type [%u] at byte %" PRIu64 ": unknown kind %u", id, at,
			btf_type_kind(t));
		return -EINVAL;
	}
	size = sizeof(*t) + fixed + (uint64_t)per_vlen * btf_type_vlen(t);
	if (size > left) {
		btf_log("btf: type [%u] at byte %" PRIu64 ": record of %" PRIu64
			" bytes runs past the type section end (%" PRIu64 " bytes left)",
			id, at, size, left);
		return -EINVAL;
	}
	return (int64_t)size;
}

/* Room in type_offs for as many records as the smallest (12 bytes) could
 * make: pages never written cost nothing. */
static int parse_reserve_offs(struct btf_builder *b)
{
	return grow_array_raw((void **)&b->type_offs, &b->type_offs_cap, sizeof(*b->type_offs),
			      b->types_len / sizeof(struct btf_type) + 1);
}

/* Step 4: indexes every record. at0 is the blob offset of the type section. */
static int parse_index_types(struct btf_builder *b, uint64_t at0)
{
	size_t off = 0;
	int64_t size;

	while (off < b->types_len) {
		uint64_t id = (uint64_t)b->start_id + b->nr_types;

		/* type_cnt (the id after the last) must fit in a u32 too. */
		if (id >= UINT32_MAX) {
			btf_log("btf: type at byte %" PRIu64 ": too many types for 32-bit ids",
				at0 + off);
			return -EINVAL;
		}
		size = parse_record_size(b, (uint32_t)id, off, at0 + off);
		if (size < 0)
			return (int)size;
		b->type_offs[b->nr_types++] = (uint32_t)off;
		off += (size_t)size;
	}
	return 0;
}

/* Limits for step 5: strings end at str_end, ids end before type_cnt. */
struct limits {
	uint64_t str_end;  /* logical offset past the last string byte */
	uint32_t type_cnt; /* ids below this exist */
	uint32_t max_ref;  /* highest id referred to so far */
};

/* what names the field; idx is its item number, or -1 for the type itself. */
static int check_name(uint32_t id, const char *what, int idx, uint32_t off, const struct limits *l)
{
	if (off < l->str_end)
		return 0;
	if (idx < 0)
		btf_log("btf: type [%u]: %s offset %u is past the strings end %" PRIu64, id, what,
			off, l->str_end);
	else
		btf_log("btf: type [%u]: %s %d name offset %u is past the strings end %" PRIu64, id,
			what, idx, off, l->str_end);
	return -EINVAL;
}

static int check_ref(uint32_t id, const char *what, int idx, uint32_t ref, struct limits *l)
{
	if (ref < l->type_cnt) {
		if (ref > l->max_ref)
			l->max_ref = ref;
		return 0;
	}
	if (idx < 0)
		btf_log("btf: type [%u]: %s refers to type %u past the last id %u", id, what, ref,
			l->type_cnt - 1);
	else
		btf_log("btf: type [%u]: %s %d refers to type %u past the last id %u", id, what,
			idx, ref, l->type_cnt - 1);
	return -EINVAL;
}

/* Step 5, the vlen items of t: names and ids. */
static int check_items(uint32_t id, const struct btf_type *t, struct limits *l)
{
	const void *data = btf_type_data(t);
	int i, n = (int)btf_type_vlen(t), err = 0;

	switch (btf_type_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < n && !err; i++) {
			const struct btf_member *m = (const struct btf_member *)data + i;

			err = check_name(id, "member", i, m->name_off, l);
			err = err ? err : check_ref(id, "member", i, m->type, l);
		}
		return err;
	case BTF_KIND_ENUM:
		for (i = 0; i < n && !err; i++)
			err = check_name(id, "enumerator", i,
					 ((const struct btf_enum *)data)[i].name_off, l);
		return err;
	case BTF_KIND_ENUM64:
		for (i = 0; i < n && !err; i++)
			err = check_name(id, "enumerator", i,
					 ((const struct btf_enum64 *)data)[i].name_off, l);
		return err;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < n && !err; i++) {
			const struct btf_param *p = (const struct btf_param *)data + i;

			err = check_name(id, "param", i, p->name_off, l);
			err = err ? err : check_ref(id, "param", i, p->type, l);
		}
		return err;
	case BTF_KIND_DATASEC:
		for (i = 0; i < n && !err; i++)
			err = check_ref(id, "variable", i,
					((const struct btf_var_secinfo *)data)[i].type, l);
		return err;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = data;

		err = check_ref(id, "element type", -1, a->type, l);
		return err ? err : check_ref(id, "index type", -1, a->index_type, l);
	}
	default:
		return 0;
	}
}

/* Step 5 over every own type. */
static int parse_check_refs(struct btf_builder *b, uint32_t str_len)
{
	struct limits l = {(uint64_t)b->start_str_off + str_len, btf_builder_type_cnt(b), 0};
	size_t i;
	int err;

	for (i = 0; i < b->nr_types; i++) {
		const struct btf_type *t = (const struct btf_type *)(b->types + b->type_offs[i]);
		uint32_t id = b->start_id + (uint32_t)i, kind = btf_type_kind(t);
		const char *what = kind == BTF_KIND_FUNC_PROTO ? "return type" : "type";

		err = check_name(id, "name", -1, t->name_off, &l);
		if (!err && btf_kind_has_ref(kind))
			err = check_ref(id, what, -1, t->type, &l);
		if (!err)
			err = check_items(id, t, &l);
		if (err)
			return err;
	}
	b->max_ref = l.max_ref;
	return 0;
}

/*
 * Steps 4 and 5 in one pass without a message: records indexed, names and
 * ids checked with the failures or'ed together. A vmlinux base is parsed
 * for every module, and this costs half of the two passes that name the
 * fault. Returns: 0 with type_offs and max_ref set, or -EINVAL for "look
 * again with parse_index_types() and parse_check_refs()".
 */
static int parse_quick(struct btf_builder *b, uint32_t str_len)
{
	const uint64_t str_end = (uint64_t)b->start_str_off + str_len;
	const uint64_t nr_max = (uint64_t)UINT32_MAX - b->start_id;
	uint64_t type_cnt;
	uint32_t max_ref = 0, bad = 0, fixed, per_vlen, i, n, nr = 0;
	size_t off = 0;

	/* Ids end at start_id + records, which the pass counts: bounded by
	 * the most records the section could hold. */
	type_cnt = (uint64_t)b->start_id + b->types_len / sizeof(struct btf_type);
	while (off < b->types_len) {
		const struct btf_type *t = (const struct btf_type *)(b->types + off);
		const uint32_t *item;
		uint64_t size;
		uint32_t kind;

		if (b->types_len - off < sizeof(*t) || (t->info & BTF_INFO_RESERVED) ||
		    nr >= nr_max)
			return -EINVAL;
		kind = btf_type_kind(t);
		if (btf_kind_layout(kind, &fixed, &per_vlen))
			return -EINVAL;
		n = btf_type_vlen(t);
		size = sizeof(*t) + fixed + (uint64_t)per_vlen * n;
		if (size > b->types_len - off)
			return -EINVAL;
		b->type_offs[nr++] = (uint32_t)off;
		off += (size_t)size;
		bad |= t->name_off >= str_end;
		if (btf_kind_has_ref(kind)) {
			bad |= t->type >= type_cnt;
			max_ref = t->type > max_ref ? t->type : max_ref;
		}
		item = (const uint32_t *)btf_type_data(t);
		switch (kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_FUNC_PROTO:
			/* name, type (and a member's offset): per_vlen / 4 words. */
			for (i = 0; i < n; i++, item += per_vlen / 4) {
				bad |= item[0] >= str_end || item[1] >= type_cnt;
				max_ref = item[1] > max_ref ? item[1] : max_ref;
			}
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			for (i = 0; i < n; i++, item += per_vlen / 4)
				bad |= item[0] >= str_end;
			break;
		case BTF_KIND_DATASEC:
			for (i = 0; i < n; i++, item += 3) {
				bad |= item[0] >= type_cnt;
				max_ref = item[0] > max_ref ? item[0] : max_ref;
			}
			break;
		case BTF_KIND_ARRAY:
			for (i = 0; i < 2; i++) {
				bad |= item[i] >= type_cnt;
				max_ref = item[i] > max_ref ? item[i] : max_ref;
			}
			break;
		default:
			break;
		}
	}
	/* Now that the count is known, the ids checked against the bound. */
	if (bad || max_ref >= (uint64_t)b->start_id + nr)
		return -EINVAL;
	b->nr_types = nr;
	b->max_ref = max_ref;
	return 0;
}

/* Steps 2-5 on a builder whose raw is a host-order copy with a good header. */
static int parse_body(struct btf_builder *b, const struct btf_header *h)
{
	uint8_t *raw = b->raw;
	const char *strs = (const char *)raw + h->hdr_len + h->str_off;
	uint32_t max_len;
	int err;

	b->types = raw + h->hdr_len + h->type_off;
	b->types_len = h->type_len;
	b->types_cap = 0;
	err = parse_check_strings(b, strs, h->str_len);
	if (!err)
		err = parse_reserve_offs(b);
	if (!err && parse_quick(b, h->str_len)) {
		/* Something is wrong: the passes that say what. */
		b->nr_types = 0;
		err = parse_index_types(b, (uint64_t)h->hdr_len + h->type_off);
		if (!err)
			err = parse_check_refs(b, h->str_len);
	}
	if (err)
		return err;
	max_len =
	    b->start_str_off > BTF_MAX_NAME_OFFSET ? 0 : BTF_MAX_NAME_OFFSET + 1 - b->start_str_off;
	return strset_new_borrowed(strs, h->str_len, max_len, &b->strs);
}

/* The builder of the blob at raw (malloc'd, or inside the file mapping map
 * of map_len bytes; size bytes, taken in every case). */
static int parse_raw(void *raw, size_t size, void *map, size_t map_len, struct btf_builder *base,
		     struct btf_builder **out)
{
	struct btf_builder *b;
	struct btf_header h;
	bool foreign;
	int err;

	err = parse_header(raw, size, &h, &foreign);
	if (!err && foreign && map) {
		/* Swapped in place: a mapping is read-only, so a copy. */
		void *copy = malloc(size);

		if (!copy) {
			btf_raw_release(raw, map, map_len);
			return -ENOMEM;
		}
		memcpy(copy, raw, size);
		btf_raw_release(raw, map, map_len);
		raw = copy;
		map = NULL;
	}
	if (!err)
		err = btf_builder_alloc(base, &b);
	if (err) {
		btf_raw_release(raw, map, map_len);
		return err;
	}
	b->raw = raw;
	b->raw_map = map;
	b->raw_map_len = map_len;
	b->raw_size = (uint32_t)size;
	b->hdr_len = h.hdr_len;
	if (foreign) {
		btf_swap_header(b->raw);
		btf_swap_types((uint8_t *)b->raw + h.hdr_len + h.type_off, h.type_len, true);
	}
	err = parse_body(b, &h);
	if (err) {
		btf_builder_free(b);
		return err;
	}
	b->endian = btf_host_endian();
	if (foreign)
		b->endian = b->endian == BTF_ENDIAN_LITTLE ? BTF_ENDIAN_BIG : BTF_ENDIAN_LITTLE;
	/* Native order: finalize hands out raw itself; foreign: it rebuilds the input. */
	b->out = NULL;
	b->out_valid = !foreign;
	b->writable = false;
	*out = b;
	return 0;
}

int btf_builder_parse(const void *data, size_t size, struct btf_builder *base,
		      struct btf_builder **out)
{
	struct btf_header h;
	bool foreign;
	void *raw;
	int err;

	/* A bad header fails before any copy. */
	err = parse_header(data, size, &h, &foreign);
	if (err)
		return err;
	raw = malloc(size); /* malloc's alignment covers u32 records */
	if (!raw)
		return -ENOMEM;
	memcpy(raw, data, size);
	return parse_raw(raw, size, NULL, 0, base, out);
}

int btf_builder_parse_owned(void *data, size_t size, struct btf_builder *base,
			    struct btf_builder **out)
{
	return parse_raw(data, size, NULL, 0, base, out);
}

int btf_builder_parse_mapped(const void *data, size_t size, void *map, size_t map_len,
			     struct btf_builder *base, struct btf_builder **out)
{
	return parse_raw((void *)data, size, map, map_len, base, out);
}
