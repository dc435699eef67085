// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_parse - btf_builder_parse() and the byte swapping behind it: blobs
 * built through the API parse back to the same dump text and the same
 * bytes, in either byte order; split blobs sit on their base; corrupt and
 * mutated blobs fail with -EINVAL and never read outside the input. The
 * byte-swapped inputs come from a swapper written here, independently of
 * btf/swap.c.
 */
#include <byteswap.h>
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_priv.h"
#include "testutil.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The last message of the layer's log, for checks on its wording. */
static char last_log[512];

static void log_keep(void *ctx, const char *msg)
{
	(void)ctx;
	snprintf(last_log, sizeof(last_log), "%s", msg);
}

/* --- an independent swapper: the layout of every kind, spelled out --- */

/* u32 words of trailing data: fixed, and per vlen item, by kind. */
/* clang-format off */
static const struct {
	uint32_t fixed, per_item;
} kind_words[NR_BTF_KINDS] = {
	[BTF_KIND_INT] = { 1, 0 },	[BTF_KIND_ARRAY] = { 3, 0 },
	[BTF_KIND_STRUCT] = { 0, 3 },	[BTF_KIND_UNION] = { 0, 3 },
	[BTF_KIND_ENUM] = { 0, 2 },	[BTF_KIND_FUNC_PROTO] = { 0, 2 },
	[BTF_KIND_VAR] = { 1, 0 },	[BTF_KIND_DATASEC] = { 0, 3 },
	[BTF_KIND_DECL_TAG] = { 1, 0 },	[BTF_KIND_ENUM64] = { 0, 3 },
};
/* clang-format on */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* A foreign-order copy of a well-formed host-order blob with a 24-byte header. */
static uint8_t *swap_blob(const void *data, uint32_t size)
{
	uint8_t *s = malloc(size);
	uint32_t type_off, type_len, off, i, words;

	ck_assert_ptr_nonnull(s);
	memcpy(s, data, size);
	type_off = 24 + rd32(s + 8);
	type_len = rd32(s + 12);
	for (off = type_off; off < type_off + type_len; off += 4 * words) {
		uint32_t info = rd32(s + off + 4), kind = BTF_INFO_KIND(info);

		ck_assert_uint_lt(kind, NR_BTF_KINDS);
		words = 3 + kind_words[kind].fixed;
		words += kind_words[kind].per_item * BTF_INFO_VLEN(info);
		for (i = 0; i < words; i++)
			wr32(s + off + 4 * i, bswap_32(rd32(s + off + 4 * i)));
	}
	ck_assert_uint_eq(off, type_off + type_len);
	s[0] = ((const uint8_t *)data)[1];
	s[1] = ((const uint8_t *)data)[0];
	for (off = 4; off < 24; off += 4)
		wr32(s + off, bswap_32(rd32(s + off)));
	return s;
}

static enum btf_endian foreign_endian(void)
{
	return btf_host_endian() == BTF_ENDIAN_LITTLE ? BTF_ENDIAN_BIG : BTF_ENDIAN_LITTLE;
}

/* --- (a) a blob of every kind, built through the API --- */

static struct btf_builder *all_kinds(void)
{
	struct btf_builder *b;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ck_assert_int_eq(btf_builder_add_ptr(b, 1), 2);
	ck_assert_int_eq(btf_builder_add_struct(b, "pair", 16), 3);
	ck_assert_int_eq(btf_builder_add_member(b, "a", 1, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "b", 1, 32, 3), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "p", 2, 64, 0), 0);
	ck_assert_int_eq(btf_builder_add_array(b, 1, 1, 4), 4);
	ck_assert_int_eq(btf_builder_add_func_proto(b, 1), 5);
	ck_assert_int_eq(btf_builder_add_param(b, "x", 1), 0);
	ck_assert_int_eq(btf_builder_add_param(b, NULL, 0), 0);
	ck_assert_int_eq(btf_builder_add_func(b, "f", BTF_BUILDER_GLOBAL, 5), 6);
	ck_assert_int_eq(btf_builder_add_enum(b, "e", 4), 7);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "A", 0), 0);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "B", -1), 0);
	ck_assert_int_eq(btf_builder_add_enum64(b, "e64", 8, false), 8);
	ck_assert_int_eq(btf_builder_add_enum64_value(b, "X", 0x100000002ull), 0);
	ck_assert_int_eq(btf_builder_add_fwd(b, "fw", true), 9);
	ck_assert_int_eq(btf_builder_add_typedef(b, "t", 1), 10);
	ck_assert_int_eq(btf_builder_add_volatile(b, 1), 11);
	ck_assert_int_eq(btf_builder_add_const(b, 1), 12);
	ck_assert_int_eq(btf_builder_add_restrict(b, 2), 13);
	ck_assert_int_eq(btf_builder_add_float(b, "float", 4), 14);
	ck_assert_int_eq(btf_builder_add_type_tag(b, "user", 1), 15);
	ck_assert_int_eq(btf_builder_add_var(b, "v", BTF_BUILDER_GLOBAL, 1), 16);
	ck_assert_int_eq(btf_builder_add_datasec(b, ".data", 8), 17);
	ck_assert_int_eq(btf_builder_add_datasec_var(b, 16, 4, 4), 0);
	ck_assert_int_eq(btf_builder_add_decl_tag(b, "tag", 3, 1), 18);
	ck_assert_int_eq(btf_builder_add_union(b, "u", 4), 19);
	ck_assert_int_eq(btf_builder_add_member(b, "i", 1, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "fl", 14, 0, 0), 0);
	return b;
}

/* bpftool 7.1 "btf dump file" of all_kinds()'s blob, verbatim. */
/* clang-format off */
static const char all_kinds_text[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] PTR '(anon)' type_id=1\n"
	"[3] STRUCT 'pair' size=16 vlen=3\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"\t'b' type_id=1 bits_offset=32 bitfield_size=3\n"
	"\t'p' type_id=2 bits_offset=64\n"
	"[4] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=4\n"
	"[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=2\n"
	"\t'x' type_id=1\n"
	"\t'(anon)' type_id=0\n"
	"[6] FUNC 'f' type_id=5 linkage=global\n"
	"[7] ENUM 'e' encoding=SIGNED size=4 vlen=2\n"
	"\t'A' val=0\n"
	"\t'B' val=-1\n"
	"[8] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=1\n"
	"\t'X' val=4294967298ULL\n"
	"[9] FWD 'fw' fwd_kind=union\n"
	"[10] TYPEDEF 't' type_id=1\n"
	"[11] VOLATILE '(anon)' type_id=1\n"
	"[12] CONST '(anon)' type_id=1\n"
	"[13] RESTRICT '(anon)' type_id=2\n"
	"[14] FLOAT 'float' size=4\n"
	"[15] TYPE_TAG 'user' type_id=1\n"
	"[16] VAR 'v' type_id=1, linkage=global\n"
	"[17] DATASEC '.data' size=8 vlen=1\n"
	"\ttype_id=16 offset=4 size=4 (VAR 'v')\n"
	"[18] DECL_TAG 'tag' type_id=3 component_idx=1\n"
	"[19] UNION 'u' size=4 vlen=2\n"
	"\t'i' type_id=1 bits_offset=0\n"
	"\t'fl' type_id=14 bits_offset=0\n";
/* clang-format on */

/* A copy of b's finalized blob; the copy outlives b. */
static void *blob_of(struct btf_builder *b, uint32_t *size)
{
	const void *data;
	void *copy;

	ck_assert_int_eq(btf_builder_finalize(b, &data, size), 0);
	copy = malloc(*size);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, data, *size);
	return copy;
}

static void assert_dump(const struct btf_builder *b, const char *want)
{
	char *text = test_dump(b);

	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, want);
	free(text);
}

START_TEST(parse_dumps_all_kinds)
{
	struct btf_builder *built = all_kinds(), *b;
	uint32_t size;
	void *blob = blob_of(built, &size);

	ck_assert_int_eq(btf_builder_parse(blob, size, NULL, &b), 0);
	free(blob); /* parse copies */
	ck_assert(!btf_builder_is_writable(b));
	ck_assert_uint_eq(btf_builder_start_id(b), 1);
	ck_assert_uint_eq(btf_builder_type_cnt(b), 20);
	ck_assert_uint_eq(btf_builder_endian(b), btf_host_endian());
	ck_assert_str_eq(btf_builder_str(b, btf_builder_type(b, 17)->name_off), ".data");
	assert_dump(b, all_kinds_text);
	assert_dump(built, all_kinds_text);
	btf_builder_free(b);
	btf_builder_free(built);
}
END_TEST

/* --- (b) round trip --- */

START_TEST(round_trip_same_bytes)
{
	struct btf_builder *built = all_kinds(), *b;
	const void *data;
	uint32_t size, size2;
	uint8_t *blob = blob_of(built, &size);
	uint32_t type_len = rd32(blob + 12);

	ck_assert_int_eq(btf_builder_parse(blob, size, NULL, &b), 0);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size2), 0);
	ck_assert_uint_eq(size2, size);
	ck_assert_int_eq(memcmp(data, blob, size), 0);
	/* After a change the blob is rebuilt, with the new type at the end. */
	ck_assert_int_eq(btf_builder_add_ptr(b, 3), 20);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size2), 0);
	ck_assert_uint_eq(size2, size + 12);
	ck_assert_int_eq(memcmp((const uint8_t *)data + 24, blob + 24, type_len), 0);
	free(blob);
	btf_builder_free(b);
	btf_builder_free(built);
}
END_TEST

/* A longer header with zero extra bytes is kept as it is, also when swapped. */
START_TEST(round_trip_long_header)
{
	struct btf_builder *built = all_kinds(), *b;
	const void *data;
	uint32_t size, out_size;
	uint8_t *blob = blob_of(built, &size), *longer = calloc(1, size + 8), *swapped;

	memcpy(longer, blob, 24);
	memcpy(longer + 32, blob + 24, size - 24);
	wr32(longer + 4, 32);
	ck_assert_int_eq(btf_builder_parse(longer, size + 8, NULL, &b), 0);
	assert_dump(b, all_kinds_text);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, size + 8);
	ck_assert_int_eq(memcmp(data, longer, size + 8), 0);
	btf_builder_free(b);

	/* swap_blob knows 24-byte headers only: swap that, then move the types. */
	swapped = swap_blob(blob, size);
	memcpy(longer, swapped, 24);
	memcpy(longer + 32, swapped + 24, size - 24);
	wr32(longer + 4, bswap_32(32));
	ck_assert_int_eq(btf_builder_parse(longer, size + 8, NULL, &b), 0);
	assert_dump(b, all_kinds_text);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, size + 8);
	ck_assert_int_eq(memcmp(data, longer, size + 8), 0);
	btf_builder_free(b);
	free(swapped);
	free(longer);
	free(blob);
	btf_builder_free(built);
}
END_TEST

/* An empty base (no types, just "") and an empty split are valid, as in libbpf. */
START_TEST(round_trip_empty)
{
	struct btf_builder *built, *b, *split_built, *split;
	uint32_t size, ssize, out_size;
	const void *data;
	void *blob, *sblob;

	ck_assert_int_eq(btf_builder_new(&built), 0);
	blob = blob_of(built, &size);
	ck_assert_uint_eq(size, 25);
	ck_assert_int_eq(btf_builder_parse(blob, size, NULL, &b), 0);
	ck_assert_uint_eq(btf_builder_type_cnt(b), 1);
	assert_dump(b, "");
	ck_assert_int_eq(btf_builder_new_split(b, &split_built), 0);
	sblob = blob_of(split_built, &ssize);
	ck_assert_uint_eq(ssize, 24);
	ck_assert_int_eq(btf_builder_parse(sblob, ssize, b, &split), 0);
	ck_assert_uint_eq(btf_builder_start_id(split), 1);
	ck_assert_uint_eq(btf_builder_str_len(split), 0);
	ck_assert_int_eq(btf_builder_finalize(split, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, 24);
	ck_assert_int_eq(memcmp(data, sblob, 24), 0);
	btf_builder_free(split);
	btf_builder_free(split_built);
	btf_builder_free(b);
	btf_builder_free(built);
	free(sblob);
	free(blob);
}
END_TEST

/* --- (c) the other byte order --- */

START_TEST(swapped_blob)
{
	struct btf_builder *built = all_kinds(), *b;
	const void *data;
	uint32_t size, out_size;
	uint8_t *blob = blob_of(built, &size), *swapped = swap_blob(blob, size);

	ck_assert_int_eq(btf_builder_parse(swapped, size, NULL, &b), 0);
	ck_assert_uint_eq(btf_builder_endian(b), foreign_endian());
	assert_dump(b, all_kinds_text);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, size);
	ck_assert_int_eq(memcmp(data, swapped, size), 0);
	/* Asked for host order, the same builder writes the native blob. */
	btf_builder_set_endian(b, btf_host_endian());
	ck_assert_int_eq(btf_builder_finalize(b, &data, &out_size), 0);
	ck_assert_int_eq(memcmp(data, blob, size), 0);
	btf_builder_free(b);

	/* And a native blob can be written swapped. */
	ck_assert_int_eq(btf_builder_parse(blob, size, NULL, &b), 0);
	btf_builder_set_endian(b, foreign_endian());
	ck_assert_int_eq(btf_builder_finalize(b, &data, &out_size), 0);
	ck_assert_int_eq(memcmp(data, swapped, size), 0);
	btf_builder_free(b);
	free(swapped);
	free(blob);
	btf_builder_free(built);
}
END_TEST

/* btf_swap_types against the independent swapper, both directions. */
START_TEST(swap_types_matches)
{
	struct btf_builder *built = all_kinds();
	uint32_t size, type_len;
	uint8_t *blob = blob_of(built, &size), *swapped = swap_blob(blob, size);
	uint8_t *work = malloc(size);

	type_len = rd32(blob + 12);
	memcpy(work, blob, size);
	btf_swap_types(work + 24, type_len, false);
	btf_swap_header((struct btf_header *)work);
	ck_assert_int_eq(memcmp(work, swapped, size), 0);
	btf_swap_header((struct btf_header *)work);
	btf_swap_types(work + 24, type_len, true);
	ck_assert_int_eq(memcmp(work, blob, size), 0);
	free(work);
	free(swapped);
	free(blob);
	btf_builder_free(built);
}
END_TEST

/* --- (d) corrupt blobs --- */

/* clang-format off */
/* An info word, as a constant expression. */
#define INFO(kind, vlen, kflag) ((uint32_t)(kflag) << 31 | (uint32_t)BTF_KIND_##kind << 24 | (vlen))

/* A base blob laid out by hand, so that a test can patch any field by name. */
struct hand_blob {
	struct btf_header h;
	struct { struct btf_type t; uint32_t data; } int_t;			/* [1] */
	struct btf_type ptr;							/* [2] */
	struct { struct btf_type t; struct btf_array a; } arr;		/* [3] */
	struct { struct btf_type t; struct btf_param p[1]; } proto;		/* [4] */
	struct { struct btf_type t; struct btf_var v; } var;			/* [5] */
	struct { struct btf_type t; struct btf_var_secinfo s[1]; } sec;	/* [6] */
	struct { struct btf_type t; struct btf_enum e[1]; } en;		/* [7] */
	struct btf_type func;							/* [8] */
	struct { struct btf_type t; struct btf_member m[2]; } st;		/* [9] */
	char strs[22];
} __attribute__((packed));

#define HAND_TYPE_LEN (offsetof(struct hand_blob, strs) - sizeof(struct btf_header))

static const struct hand_blob hand = {
	.h = { BTF_MAGIC, BTF_VERSION, 0, 24, 0, HAND_TYPE_LEN, HAND_TYPE_LEN, 22 },
	.int_t = { { 1, INFO(INT, 0, 0), { 4 } }, BTF_INT_SIGNED << 24 | 32 },
	.ptr = { 0, INFO(PTR, 0, 0), { 1 } },
	.arr = { { 0, INFO(ARRAY, 0, 0), { 0 } }, { 1, 1, 2 } },
	.proto = { { 0, INFO(FUNC_PROTO, 1, 0), { 1 } }, { { 7, 1 } } },
	.var = { { 11, INFO(VAR, 0, 0), { 1 } }, { 1 } },
	.sec = { { 13, INFO(DATASEC, 1, 0), { 4 } }, { { 5, 0, 4 } } },
	.en = { { 16, INFO(ENUM, 1, 0), { 4 } }, { { 18, 0 } } },
	.func = { 20, INFO(FUNC, 0, 0), { 4 } },
	.st = { { 5, INFO(STRUCT, 2, 0), { 16 } }, { { 7, 1, 0 }, { 9, 2, 64 } } },
	.strs = "\0int\0s\0a\0b\0v\0.d\0e\0A\0f",
};

static const char hand_text[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] PTR '(anon)' type_id=1\n"
	"[3] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=2\n"
	"[4] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'a' type_id=1\n"
	"[5] VAR 'v' type_id=1, linkage=global\n"
	"[6] DATASEC '.d' size=4 vlen=1\n"
	"\ttype_id=5 offset=0 size=4 (VAR 'v')\n"
	"[7] ENUM 'e' encoding=UNSIGNED size=4 vlen=1\n"
	"\t'A' val=0\n"
	"[8] FUNC 'f' type_id=4 linkage=static\n"
	"[9] STRUCT 's' size=16 vlen=2\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"\t'b' type_id=2 bits_offset=64\n";

/* Split BTF on top of hand (ids 10.., strings at 22..): own strings "n", "x". */
struct split_blob {
	struct btf_header h;
	struct btf_type ptr;						/* [10] */
	struct { struct btf_type t; struct btf_member m[1]; } st;	/* [11] */
	char strs[4];
} __attribute__((packed));

#define SPLIT_TYPE_LEN (offsetof(struct split_blob, strs) - sizeof(struct btf_header))

static const struct split_blob hand_split = {
	.h = { BTF_MAGIC, BTF_VERSION, 0, 24, 0, SPLIT_TYPE_LEN, SPLIT_TYPE_LEN, 4 },
	.ptr = { 0, INFO(PTR, 0, 0), { 9 } },
	.st = { { 22, INFO(STRUCT, 1, 0), { 8 } }, { { 24, 10, 0 } } },
	.strs = "n\0x",
};

static const char hand_split_text[] =
	"[10] PTR '(anon)' type_id=9\n"
	"[11] STRUCT 'n' size=8 vlen=1\n"
	"\t'x' type_id=10 bits_offset=0\n";

struct patch {
	uint32_t at;		/* byte offset in the blob */
	uint32_t val;
	uint8_t width;		/* 1, 2 or 4; 0 ends the list */
};

struct corrupt {
	const char *what;
	bool split;		/* patch hand_split, parse on top of hand */
	int resize;		/* bytes added (zeros) or cut at the end, after patching */
	struct patch p[4];
};

#define HB(field) ((uint32_t)offsetof(struct hand_blob, field))
#define SB(field) ((uint32_t)offsetof(struct split_blob, field))
#define P4(at, v) { (at), (v), 4 }
#define HAND_SIZE ((int)sizeof(struct hand_blob))

static const struct corrupt corrupts[] = {
	{ "empty input", false, -HAND_SIZE, { { 0 } } },
	{ "truncated header", false, 12 - HAND_SIZE, { { 0 } } },
	{ "header only", false, 24 - HAND_SIZE, { { 0 } } },
	{ "bad magic", false, 0, { { 0, 0xeb9e, 2 } } },
	{ "magic bytes equal", false, 0, { { 0, 0x9f9f, 2 } } },
	{ "version 2", false, 0, { { 2, 2, 1 } } },
	{ "version 0", false, 0, { { 2, 0, 1 } } },
	{ "flags 1", false, 0, { { 3, 1, 1 } } },
	{ "hdr_len 23", false, 0, { P4(4, 23) } },
	{ "hdr_len 0", false, 0, { P4(4, 0) } },
	{ "hdr_len past the blob", false, 0, { P4(4, HAND_SIZE + 4) } },
	{ "hdr_len huge", false, 0, { P4(4, 0xfffffffc) } },
	{ "hdr_len 26", false, 0, { P4(4, 26) } },
	{ "type_off unaligned", false, 0, { P4(8, 2) } },
	{ "sections overlap", false, 0, { P4(16, HAND_TYPE_LEN - 4) } },
	{ "types inside strings", false, 0, { P4(8, 4), P4(12, 4), P4(16, 0) } },
	{ "gap between sections", false, 0, { P4(12, HAND_TYPE_LEN - 4) } },
	{ "gap before types", false, 0, { P4(8, 4), P4(12, HAND_TYPE_LEN - 4) } },
	{ "trailing bytes after strings", false, 4, { { 0 } } },
	{ "strings shorter than blob", false, 0, { P4(20, 18) } },
	{ "strings past the blob", false, 0, { P4(20, 26) } },
	{ "str_off huge", false, 0, { P4(16, 0xfffffff0) } },
	{ "str_len huge", false, 0, { P4(20, 0xffffffff) } },
	{ "type_len huge", false, 0, { P4(12, 0xfffffff0) } },
	{ "strings before types", false, 2, { P4(8, 24), P4(16, 0), P4(20, 24) } },
	{ "blob cut in strings", false, -1, { { 0 } } },
	{ "no string section", false, 0, { P4(12, HAND_TYPE_LEN + 22), P4(16, HAND_TYPE_LEN + 22),
					   P4(20, 0) } },
	{ "strings not starting with NUL", false, 0, { { HB(strs[0]), 'x', 1 } } },
	{ "strings not ending with NUL", false, 0, { { HB(strs[21]), 'x', 1 } } },
	{ "record cut in its common part", false, 0, { P4(12, HAND_TYPE_LEN + 4),
						       P4(16, HAND_TYPE_LEN + 4), P4(20, 18) } },
	{ "record cut in its members", false, 0, { P4(HB(st.t.info), INFO(STRUCT, 3, 0)) } },
	{ "enum with 65535 values", false, 0, { P4(HB(en.t.info), INFO(ENUM, 0xffff, 0)) } },
	{ "reserved info bit 16", false, 0, { P4(HB(ptr.info), INFO(PTR, 0, 0) | 1u << 16) } },
	{ "reserved info bit 29", false, 0, { P4(HB(ptr.info), INFO(PTR, 0, 0) | 1u << 29) } },
	{ "kind 0", false, 0, { P4(HB(ptr.info), 0) } },
	{ "kind 20", false, 0, { P4(HB(ptr.info), 20u << 24) } },
	{ "kind 31", false, 0, { P4(HB(ptr.info), 31u << 24) } },
	{ "type name past strings", false, 0, { P4(HB(int_t.t.name_off), 22) } },
	{ "type name offset huge", false, 0, { P4(HB(int_t.t.name_off), 0xffffffff) } },
	{ "member name past strings", false, 0, { P4(HB(st.m[1].name_off), 22) } },
	{ "enumerator name past strings", false, 0, { P4(HB(en.e[0].name_off), 1000) } },
	{ "param name past strings", false, 0, { P4(HB(proto.p[0].name_off), 0x1000000) } },
	{ "ptr type past last id", false, 0, { P4(HB(ptr.type), 10) } },
	{ "member type past last id", false, 0, { P4(HB(st.m[1].type), 10) } },
	{ "array element past last id", false, 0, { P4(HB(arr.a.type), 0xffffffff) } },
	{ "array index past last id", false, 0, { P4(HB(arr.a.index_type), 10) } },
	{ "return type past last id", false, 0, { P4(HB(proto.t.type), 10) } },
	{ "param type past last id", false, 0, { P4(HB(proto.p[0].type), 10) } },
	{ "var type past last id", false, 0, { P4(HB(var.t.type), 11) } },
	{ "func type past last id", false, 0, { P4(HB(func.type), 12) } },
	{ "datasec var past last id", false, 0, { P4(HB(sec.s[0].type), 10) } },
	{ "split: name past own strings", true, 0, { P4(SB(st.t.name_off), 26) } },
	{ "split: member name past own strings", true, 0, { P4(SB(st.m[0].name_off), 30) } },
	{ "split: member type past last id", true, 0, { P4(SB(st.m[0].type), 12) } },
	{ "split: ptr type past last id", true, 0, { P4(SB(ptr.type), 0x80000000) } },
	{ "split: strings not ending with NUL", true, 0, { { SB(strs[3]), 'y', 1 } } },
	{ "split: trailing byte", true, 1, { { 0 } } },
	{ "split: record cut", true, 0, { P4(SB(st.t.info), INFO(STRUCT, 2, 0)) } },
};
/* clang-format on */

static void apply_patch(uint8_t *blob, const struct patch *p)
{
	if (p->width == 1) {
		blob[p->at] = (uint8_t)p->val;
	} else if (p->width == 2) {
		uint16_t v = (uint16_t)p->val;

		memcpy(blob + p->at, &v, 2);
	} else {
		wr32(blob + p->at, p->val);
	}
}

/* The corrupt blob of case c, in a buffer of exactly its size (for ASan). */
static uint8_t *corrupt_blob(const struct corrupt *c, size_t *size)
{
	const void *src = c->split ? (const void *)&hand_split : (const void *)&hand;
	size_t src_size = c->split ? sizeof(hand_split) : sizeof(hand);
	uint8_t *tmp = calloc(1, src_size + 16), *blob;
	int i;

	memcpy(tmp, src, src_size);
	for (i = 0; i < 4 && c->p[i].width; i++)
		apply_patch(tmp, &c->p[i]);
	*size = (size_t)((long)src_size + c->resize);
	blob = malloc(*size ? *size : 1);
	memcpy(blob, tmp, *size);
	free(tmp);
	return blob;
}

static struct btf_builder *parse_ok(const void *data, size_t size, struct btf_builder *base)
{
	struct btf_builder *b = NULL;
	int err;

	last_log[0] = 0;
	err = btf_builder_parse(data, size, base, &b);
	ck_assert_msg(err == 0, "parse failed (%d): %s", err, last_log);
	return b;
}

START_TEST(hand_blobs_parse)
{
	struct btf_builder *base = parse_ok(&hand, sizeof(hand), NULL);
	struct btf_builder *split = parse_ok(&hand_split, sizeof(hand_split), base);
	uint8_t strs_empty[sizeof(hand_split)];

	assert_dump(base, hand_text);
	assert_dump(split, hand_split_text);
	btf_builder_free(split);

	/* Split strings may be empty; names then all come from the base. */
	memcpy(strs_empty, &hand_split, sizeof(hand_split));
	wr32(strs_empty + 20, 0);
	wr32(strs_empty + SB(st.t.name_off), 1);
	wr32(strs_empty + SB(st.m[0].name_off), 7);
	split = parse_ok(strs_empty, sizeof(hand_split) - 4, base);
	assert_dump(split, "[10] PTR '(anon)' type_id=9\n"
			   "[11] STRUCT 'int' size=8 vlen=1\n"
			   "\t'a' type_id=10 bits_offset=0\n");
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

START_TEST(corrupt_blobs_fail)
{
	const struct corrupt *c = &corrupts[_i];
	struct btf_builder *base = parse_ok(&hand, sizeof(hand), NULL);
	struct btf_builder *b = (struct btf_builder *)&b; /* must stay untouched */
	size_t size;
	uint8_t *blob = corrupt_blob(c, &size);
	int err;

	last_log[0] = 0;
	err = btf_builder_parse(blob, size, c->split ? base : NULL, &b);
	ck_assert_msg(err == -EINVAL, "%s: parse returned %d", c->what, err);
	ck_assert_msg(b == (struct btf_builder *)&b, "%s: *out changed on failure", c->what);
	ck_assert_msg(!strncmp(last_log, "btf: ", 5), "%s: log '%s'", c->what, last_log);
	free(blob);
	btf_builder_free(base);
}
END_TEST

/* The log names the type and the field, the wording of btf.h's promise. */
START_TEST(corrupt_messages)
{
	struct hand_blob bad = hand;
	struct btf_builder *b;

	bad.st.m[1].type = 99999;
	ck_assert_int_eq(btf_builder_parse(&bad, sizeof(hand), NULL, &b), -EINVAL);
	ck_assert_str_eq(last_log,
			 "btf: type [9]: member 1 refers to type 99999 past the last id 9");
	bad = hand;
	bad.ptr.info = 20u << 24;
	ck_assert_int_eq(btf_builder_parse(&bad, sizeof(hand), NULL, &b), -EINVAL);
	ck_assert_str_eq(last_log, "btf: type [2] at byte 40: unknown kind 20");
}
END_TEST

/* A foreign-order corrupt blob fails the same way: swapping stops safely. */
START_TEST(corrupt_swapped_fail)
{
	uint8_t *swapped = swap_blob(&hand, sizeof(hand));
	struct btf_builder *b;

	/* An enum whose values run past the section, in foreign order. */
	wr32(swapped + HB(en.t.info), bswap_32(INFO(ENUM, 0xffff, 0)));
	ck_assert_int_eq(btf_builder_parse(swapped, sizeof(hand), NULL, &b), -EINVAL);
	ck_assert_ptr_nonnull(strstr(last_log, "type [7]"));
	wr32(swapped + HB(en.t.info), bswap_32(INFO(ENUM, 1, 0)));
	wr32(swapped + HB(func.info), bswap_32(25u << 24));
	ck_assert_int_eq(btf_builder_parse(swapped, sizeof(hand), NULL, &b), -EINVAL);
	ck_assert_str_eq(last_log, "btf: type [8] at byte 156: unknown kind 25");
	wr32(swapped + HB(func.info), bswap_32(INFO(FUNC, 0, 0)));
	ck_assert_int_eq(btf_builder_parse(swapped, sizeof(hand), NULL, &b), 0);
	assert_dump(b, hand_text);
	btf_builder_free(b);
	free(swapped);
}
END_TEST

/* The logical end of the strings may reach BTF_MAX_NAME_OFFSET + 1, no further. */
START_TEST(string_section_limit)
{
	size_t len = (size_t)BTF_MAX_NAME_OFFSET + 1;
	uint8_t *blob = calloc(1, 24 + len + 1);
	struct btf_builder *b;

	ck_assert_ptr_nonnull(blob);
	memcpy(blob, &hand.h, 24);
	wr32(blob + 12, 0);
	wr32(blob + 16, 0);
	wr32(blob + 20, (uint32_t)len);
	ck_assert_int_eq(btf_builder_parse(blob, 24 + len, NULL, &b), 0);
	ck_assert_uint_eq(btf_builder_str_len(b), len);
	btf_builder_free(b);
	wr32(blob + 20, (uint32_t)len + 1);
	ck_assert_int_eq(btf_builder_parse(blob, 24 + len + 1, NULL, &b), -EINVAL);
	free(blob);
}
END_TEST

/*
 * Every prefix of a valid blob fails; random byte mutations either fail with
 * -EINVAL or give a builder that dumps and finalizes. Run under ASan or
 * valgrind, this is the out-of-bounds check.
 */
static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void mutant_check(const uint8_t *src, size_t size, struct btf_builder *base, uint32_t *seed)
{
	uint8_t *m = malloc(size);
	struct btf_builder *b;
	const void *data;
	uint32_t out_size;
	int i, n = 1 + (int)(rng_next(seed) % 4), err;

	memcpy(m, src, size);
	for (i = 0; i < n; i++) {
		uint32_t r = rng_next(seed);

		/* Mostly a random byte, else one flipped bit. */
		if ((r >> 16) % 3)
			m[r % size] = (uint8_t)(r >> 24);
		else
			m[r % size] ^= (uint8_t)(1u << (r >> 24) % 8);
	}
	err = btf_builder_parse(m, size, base, &b);
	ck_assert(err == 0 || err == -EINVAL);
	if (!err) {
		uint32_t at;

		free(test_dump(b));
		/* Parsed, it finalizes as it was, unless the kernel would
		 * refuse it for a reference loop, which must then be there. */
		err = btf_builder_finalize(b, &data, &out_size);
		if (err == -ELOOP) {
			ck_assert_int_eq(btf_builder_find_loop(b, &at), 0);
		} else {
			ck_assert_int_eq(err, 0);
			ck_assert_uint_eq(out_size, size);
		}
		btf_builder_free(b);
	}
	free(m);
}

START_TEST(prefixes_and_mutants)
{
	struct btf_builder *built = all_kinds(), *base = parse_ok(&hand, sizeof(hand), NULL), *b;
	uint32_t size, i, seed = 0x2545f491;
	uint8_t *blob = blob_of(built, &size), *swapped = swap_blob(blob, size);

	for (i = 0; i < size; i++) {
		uint8_t *cut = malloc(i ? i : 1);

		memcpy(cut, blob, i);
		ck_assert_int_eq(btf_builder_parse(cut, i, NULL, &b), -EINVAL);
		memcpy(cut, swapped, i);
		ck_assert_int_eq(btf_builder_parse(cut, i, NULL, &b), -EINVAL);
		free(cut);
	}
	for (i = 0; i < 20000; i++) {
		mutant_check(blob, size, NULL, &seed);
		mutant_check(swapped, size, NULL, &seed);
		mutant_check((const uint8_t *)&hand_split, sizeof(hand_split), base, &seed);
	}
	free(swapped);
	free(blob);
	btf_builder_free(base);
	btf_builder_free(built);
}
END_TEST

/* btf_swap_types on garbage stays inside the buffer in both directions. */
START_TEST(swap_garbage)
{
	uint32_t seed = 12345, i, j;

	for (i = 0; i < 2000; i++) {
		size_t len = rng_next(&seed) % 200;
		uint8_t *buf = malloc(len ? len : 1);

		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)rng_next(&seed);
		/* Small vlens, so that records often fit and the walk goes on. */
		for (j = 4; j + 4 <= len; j += 12)
			buf[j + (btf_host_endian() == BTF_ENDIAN_LITTLE ? 1 : 2)] = 0;
		btf_swap_types(buf, len, i % 2);
		free(buf);
	}
}
END_TEST

/* --- (e) the running kernel's BTF --- */

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n;

	*size = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*size == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		n = fread(buf + *size, 1, cap - *size, f);
		if (!n)
			break;
		*size += n;
	}
	fclose(f);
	return buf;
}

START_TEST(vmlinux_round_trip)
{
	struct btf_builder *b, *sb;
	const void *data;
	uint32_t out_size;
	size_t size;
	uint8_t *blob = read_file(VMLINUX, &size), *swapped;
	char *text, *stext;

	if (!blob || !size) {
		fprintf(stderr, "SKIP: %s not readable\n", VMLINUX);
		free(blob);
		return;
	}
	b = parse_ok(blob, size, NULL);
	ck_assert_uint_gt(btf_builder_type_cnt(b), 1000);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, size);
	ck_assert_int_eq(memcmp(data, blob, size), 0);

	swapped = swap_blob(blob, (uint32_t)size);
	sb = parse_ok(swapped, size, NULL);
	ck_assert_uint_eq(btf_builder_endian(sb), foreign_endian());
	ck_assert_uint_eq(btf_builder_type_cnt(sb), btf_builder_type_cnt(b));
	text = test_dump(b);
	stext = test_dump(sb);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(stext);
	ck_assert_uint_eq(strlen(text), strlen(stext));
	ck_assert(!strcmp(text, stext));
	ck_assert_int_eq(btf_builder_finalize(sb, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, size);
	ck_assert_int_eq(memcmp(data, swapped, size), 0);
	free(stext);
	free(text);
	btf_builder_free(sb);
	btf_builder_free(b);
	free(swapped);
	free(blob);
}
END_TEST

/* --- (f) split BTF built through the API, parsed on its base --- */

/* The base and split blobs of a base (int, struct task) and a split on it. */
static struct btf_builder *split_fixture(void **bblob, uint32_t *bsize, void **sblob,
					 uint32_t *ssize)
{
	struct btf_builder *base, *split;

	ck_assert_int_eq(btf_builder_new(&base), 0);
	ck_assert_int_eq(btf_builder_add_int(base, "int", 4, 32, BTF_INT_SIGNED), 1);
	ck_assert_int_eq(btf_builder_add_struct(base, "task", 4), 2);
	ck_assert_int_eq(btf_builder_add_member(base, "pid", 1, 0, 0), 0);
	ck_assert_int_eq(btf_builder_new_split(base, &split), 0);
	ck_assert_int_eq(btf_builder_add_ptr(split, 2), 3);
	ck_assert_int_eq(btf_builder_add_struct(split, "mod", 16), 4);
	ck_assert_int_eq(btf_builder_add_member(split, "task", 3, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(split, "pid", 1, 64, 0), 0);
	*bblob = blob_of(base, bsize);
	*sblob = blob_of(split, ssize);
	btf_builder_free(split);
	return base;
}

static const char split_text[] = "[3] PTR '(anon)' type_id=2\n"
				 "[4] STRUCT 'mod' size=16 vlen=2\n"
				 "\t'task' type_id=3 bits_offset=0\n"
				 "\t'pid' type_id=1 bits_offset=64\n";

START_TEST(split_parse)
{
	struct btf_builder *base_built, *base, *split, *none;
	const struct btf_type *t;
	uint32_t bsize, ssize, out_size;
	const void *data;
	void *bblob, *sblob;

	base_built = split_fixture(&bblob, &bsize, &sblob, &ssize);
	base = parse_ok(bblob, bsize, NULL);
	split = parse_ok(sblob, ssize, base);
	ck_assert_ptr_eq(btf_builder_base(split), base);
	ck_assert_uint_eq(btf_builder_start_id(split), 3);
	ck_assert_uint_eq(btf_builder_type_cnt(split), 5);
	ck_assert_uint_eq(btf_builder_start_str_off(split), btf_builder_str_len(base));
	t = btf_builder_type(split, 2);
	ck_assert_ptr_eq(t, btf_builder_type(base, 2));
	ck_assert_uint_eq(btf_type_kind(t), BTF_KIND_STRUCT);
	ck_assert_str_eq(btf_builder_str(split, t->name_off), "task");
	ck_assert_str_eq(btf_builder_str(split, btf_builder_type(split, 4)->name_off), "mod");
	ck_assert_ptr_null(btf_builder_type(split, 5));
	assert_dump(split, split_text);
	ck_assert_int_eq(btf_builder_finalize(split, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, ssize);
	ck_assert_int_eq(memcmp(data, sblob, ssize), 0);
	/* Without its base the split blob is refused: its strings lack the "". */
	ck_assert_int_eq(btf_builder_parse(sblob, ssize, NULL, &none), -EINVAL);
	btf_builder_free(split);
	btf_builder_free(base);
	btf_builder_free(base_built);
	free(sblob);
	free(bblob);
}
END_TEST

/* The same split blob on the API-built (writable) base, and byte-swapped. */
START_TEST(split_parse_other_bases)
{
	struct btf_builder *base_built, *split;
	uint32_t bsize, ssize, out_size;
	const void *data;
	void *bblob, *sblob;
	uint8_t *sswapped;

	base_built = split_fixture(&bblob, &bsize, &sblob, &ssize);
	split = parse_ok(sblob, ssize, base_built);
	ck_assert_uint_eq(btf_builder_start_id(split), 3);
	assert_dump(split, split_text);
	btf_builder_free(split);

	sswapped = swap_blob(sblob, ssize);
	split = parse_ok(sswapped, ssize, base_built);
	ck_assert_uint_eq(btf_builder_endian(split), foreign_endian());
	assert_dump(split, split_text);
	ck_assert_int_eq(btf_builder_finalize(split, &data, &out_size), 0);
	ck_assert_uint_eq(out_size, ssize);
	ck_assert_int_eq(memcmp(data, sswapped, ssize), 0);
	btf_builder_free(split);
	btf_builder_free(base_built);
	free(sswapped);
	free(sblob);
	free(bblob);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	btf_log_set(log_keep, NULL);
	tcase_add_test(tc, parse_dumps_all_kinds);
	tcase_add_test(tc, round_trip_same_bytes);
	tcase_add_test(tc, round_trip_long_header);
	tcase_add_test(tc, round_trip_empty);
	tcase_add_test(tc, swapped_blob);
	tcase_add_test(tc, swap_types_matches);
	tcase_add_test(tc, hand_blobs_parse);
	tcase_add_loop_test(tc, corrupt_blobs_fail, 0, (int)ARRAY_SIZE(corrupts));
	tcase_add_test(tc, corrupt_messages);
	tcase_add_test(tc, corrupt_swapped_fail);
	tcase_add_test(tc, string_section_limit);
	tcase_add_test(tc, prefixes_and_mutants);
	tcase_add_test(tc, swap_garbage);
	tcase_add_test(tc, vmlinux_round_trip);
	tcase_add_test(tc, split_parse);
	tcase_add_test(tc, split_parse_other_bases);
	suite_add_tcase(s, tc);
	return test_run(s);
}
