// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_builder - adds of every kind, as dump text, and the table of calls the
 * kernel would reject: each returns its documented error and leaves the
 * builder byte-for-byte as it was.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Ids of the fixture every reject case starts from. */
enum { INT = 1, PTR, S, FWD, PROTO, VAR, TAG, PROTO_ANON, TDEF, ENUM };

static struct btf_builder *fixture(void)
{
	struct btf_builder *b;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), INT);
	ck_assert_int_eq(btf_builder_add_ptr(b, INT), PTR);
	ck_assert_int_eq(btf_builder_add_struct(b, "s", 8), S);
	ck_assert_int_eq(btf_builder_add_member(b, "a", INT, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_fwd(b, "f", false), FWD);
	ck_assert_int_eq(btf_builder_add_func_proto(b, INT), PROTO);
	ck_assert_int_eq(btf_builder_add_param(b, "x", INT), 0);
	ck_assert_int_eq(btf_builder_add_var(b, "v", BTF_BUILDER_GLOBAL, INT), VAR);
	ck_assert_int_eq(btf_builder_add_type_tag(b, "user", INT), TAG);
	ck_assert_int_eq(btf_builder_add_func_proto(b, INT), PROTO_ANON);
	ck_assert_int_eq(btf_builder_add_param(b, NULL, INT), 0);
	ck_assert_int_eq(btf_builder_add_typedef(b, "t", INT), TDEF);
	ck_assert_int_eq(btf_builder_add_enum(b, "e", 4), ENUM);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "A", 1), 0);
	return b;
}

static const char fixture_dump[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] PTR '(anon)' type_id=1\n"
	"[3] STRUCT 's' size=8 vlen=1\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"[4] FWD 'f' fwd_kind=struct\n"
	"[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'x' type_id=1\n"
	"[6] VAR 'v' type_id=1, linkage=global\n"
	"[7] TYPE_TAG 'user' type_id=1\n"
	"[8] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'(anon)' type_id=1\n"
	"[9] TYPEDEF 't' type_id=1\n"
	"[10] ENUM 'e' encoding=UNSIGNED size=4 vlen=1\n"
	"\t'A' val=1\n";

START_TEST(fixture_dumps)
{
	struct btf_builder *b = fixture();
	char *text = test_dump(b);

	ck_assert_str_eq(text, fixture_dump);
	free(text);
	btf_builder_free(b);
}
END_TEST

struct reject {
	const char *what;
	int (*prep)(struct btf_builder *b);	/* valid steps before the snapshot */
	int (*call)(struct btf_builder *b);	/* the call the kernel would refuse */
	int err;
};

#define REJECT(n, prep_body, call_expr, e)                                        \
	static int prep_##n(struct btf_builder *b) { (void)b; prep_body; return 0; } \
	static int call_##n(struct btf_builder *b) { return call_expr; }             \
	static const struct reject r_##n = { #n, prep_##n, call_##n, e };

#define OK(x) ck_assert_int_ge((x), 0)

static char long_name[600];

REJECT(int_anon, , btf_builder_add_int(b, "", 4, 32, 0), -EINVAL)
REJECT(int_size_3, , btf_builder_add_int(b, "i3", 3, 24, 0), -EINVAL)
REJECT(int_size_32, , btf_builder_add_int(b, "i256", 32, 128, 0), -EINVAL)
REJECT(int_bits_0, , btf_builder_add_int(b, "i", 4, 0, 0), -EINVAL)
REJECT(int_bits_129, , btf_builder_add_int(b, "i", 16, 129, 0), -EINVAL)
REJECT(int_bits_over_size, , btf_builder_add_int(b, "i", 4, 33, 0), -EINVAL)
REJECT(int_two_encodings, , btf_builder_add_int(b, "i", 4, 32, 3), -EINVAL)
REJECT(float_size_3, , btf_builder_add_float(b, "f3", 3), -EINVAL)
REJECT(ptr_id_too_big, , btf_builder_add_ptr(b, BTF_MAX_TYPE + 1), -ERANGE)
REJECT(ptr_to_var, , btf_builder_add_ptr(b, VAR), -EINVAL)
REJECT(typedef_anon, , btf_builder_add_typedef(b, "", INT), -EINVAL)
REJECT(typedef_digit, , btf_builder_add_typedef(b, "1abc", INT), -EINVAL)
REJECT(typedef_dot, , btf_builder_add_typedef(b, "a.b", INT), -EINVAL)
REJECT(typedef_too_long, memset(long_name, 'a', 599), btf_builder_add_typedef(b, long_name, INT),
       -EINVAL)
REJECT(const_over_tag, , btf_builder_add_const(b, TAG), -EINVAL)
REJECT(type_tag_empty, , btf_builder_add_type_tag(b, "", INT), -EINVAL)
REJECT(array_elem_void, , btf_builder_add_array(b, 0, INT, 1), -EINVAL)
REJECT(array_index_ptr, , btf_builder_add_array(b, INT, PTR, 1), -EINVAL)
REJECT(array_of_fwd, , btf_builder_add_array(b, FWD, INT, 1), -EINVAL)
REJECT(array_over_4g, , btf_builder_add_array(b, INT, INT, 0x40000000), -EINVAL)
REJECT(fwd_anon, , btf_builder_add_fwd(b, NULL, false), -EINVAL)
REJECT(struct_bad_name, , btf_builder_add_struct(b, "a b", 4), -EINVAL)
REJECT(member_not_struct, , btf_builder_add_member(b, "m", INT, 0, 0), -EINVAL)
REJECT(member_void, OK(btf_builder_add_struct(b, "m", 8)), btf_builder_add_member(b, "m", 0, 0, 0),
       -EINVAL)
REJECT(member_backwards, OK(btf_builder_add_struct(b, "m", 8));
       OK(btf_builder_add_member(b, "a", INT, 32, 0)), btf_builder_add_member(b, "b", INT, 0, 0),
       -EINVAL)
REJECT(member_past_size, OK(btf_builder_add_struct(b, "m", 8)),
       btf_builder_add_member(b, "a", INT, 72, 0), -EINVAL)
REJECT(member_int_overflows, OK(btf_builder_add_struct(b, "m", 8)),
       btf_builder_add_member(b, "a", INT, 40, 0), -EINVAL)
REJECT(bitfield_256, OK(btf_builder_add_struct(b, "m", 64)),
       btf_builder_add_member(b, "a", INT, 0, 256), -E2BIG)
REJECT(bitfield_wider_than_int, OK(btf_builder_add_struct(b, "m", 8)),
       btf_builder_add_member(b, "a", INT, 0, 33), -EINVAL)
REJECT(unaligned_not_bitfield, OK(btf_builder_add_struct(b, "m", 8)),
       btf_builder_add_member(b, "a", INT, 3, 0), -EINVAL)
REJECT(union_offset, OK(btf_builder_add_union(b, "u", 8)),
       btf_builder_add_member(b, "a", INT, 8, 0), -EINVAL)
REJECT(member_fwd, OK(btf_builder_add_struct(b, "m", 8)), btf_builder_add_member(b, "a", FWD, 0, 0),
       -EINVAL)
REJECT(bitfield_ptr, OK(btf_builder_add_struct(b, "m", 8)),
       btf_builder_add_member(b, "a", PTR, 0, 3), -EINVAL)
REJECT(bitfield_past_16m, OK(btf_builder_add_struct(b, "m", 1u << 22)),
       btf_builder_add_member(b, "a", INT, 1u << 24, 3), -E2BIG)
REJECT(enum_size_3, , btf_builder_add_enum(b, "e3", 3), -EINVAL)
REJECT(enum_value_2p32, , btf_builder_add_enum_value(b, "B", 1ll << 32), -E2BIG)
REJECT(enum_value_anon, , btf_builder_add_enum_value(b, NULL, 2), -EINVAL)
REJECT(enum64_value_on_enum, , btf_builder_add_enum64_value(b, "B", 2), -EINVAL)
REJECT(func_extern, , btf_builder_add_func(b, "fn", 2, PROTO), -EINVAL)
REJECT(func_not_proto, , btf_builder_add_func(b, "fn", 0, INT), -EINVAL)
REJECT(func_unnamed_param, , btf_builder_add_func(b, "fn", 0, PROTO_ANON), -EINVAL)
REJECT(param_after_vararg, OK(btf_builder_add_func_proto(b, 0));
       OK(btf_builder_add_param(b, NULL, 0)), btf_builder_add_param(b, "x", INT), -EINVAL)
REJECT(vararg_named, OK(btf_builder_add_func_proto(b, 0)), btf_builder_add_param(b, "x", 0),
       -EINVAL)
REJECT(param_fwd_by_value, OK(btf_builder_add_func_proto(b, 0)),
       btf_builder_add_param(b, "x", FWD), -EINVAL)
REJECT(proto_returns_fwd, , btf_builder_add_func_proto(b, FWD), -EINVAL)
REJECT(var_extern, , btf_builder_add_var(b, "w", 2, INT), -EINVAL)
REJECT(var_void, , btf_builder_add_var(b, "w", 0, 0), -EINVAL)
REJECT(var_of_proto, , btf_builder_add_var(b, "w", 0, PROTO), -EINVAL)
REJECT(datasec_empty_size, , btf_builder_add_datasec(b, ".data", 0), -EINVAL)
REJECT(datasec_anon, , btf_builder_add_datasec(b, "", 8), -EINVAL)
REJECT(datasec_overlap, OK(btf_builder_add_datasec(b, ".data", 16));
       OK(btf_builder_add_datasec_var(b, VAR, 0, 8)), btf_builder_add_datasec_var(b, VAR, 4, 4),
       -EINVAL)
REJECT(datasec_past_end, OK(btf_builder_add_datasec(b, ".data", 16)),
       btf_builder_add_datasec_var(b, VAR, 14, 4), -EINVAL)
REJECT(datasec_not_var, OK(btf_builder_add_datasec(b, ".data", 16)),
       btf_builder_add_datasec_var(b, INT, 0, 4), -EINVAL)
REJECT(datasec_var_too_small, OK(btf_builder_add_datasec(b, ".data", 16)),
       btf_builder_add_datasec_var(b, VAR, 0, 2), -EINVAL)
REJECT(decl_tag_empty, , btf_builder_add_decl_tag(b, "", S, -1), -EINVAL)
REJECT(decl_tag_idx_minus_2, , btf_builder_add_decl_tag(b, "tag", S, -2), -EINVAL)
REJECT(decl_tag_var_member, , btf_builder_add_decl_tag(b, "tag", VAR, 0), -EINVAL)
REJECT(decl_tag_idx_past_vlen, , btf_builder_add_decl_tag(b, "tag", S, 1), -EINVAL)
REJECT(decl_tag_on_int, , btf_builder_add_decl_tag(b, "tag", INT, -1), -EINVAL)

static const struct reject *const rejects[] = {
	&r_int_anon, &r_int_size_3, &r_int_size_32, &r_int_bits_0, &r_int_bits_129,
	&r_int_bits_over_size, &r_int_two_encodings, &r_float_size_3, &r_ptr_id_too_big,
	&r_ptr_to_var, &r_typedef_anon, &r_typedef_digit, &r_typedef_dot, &r_typedef_too_long,
	&r_const_over_tag, &r_type_tag_empty, &r_array_elem_void, &r_array_index_ptr,
	&r_array_of_fwd, &r_array_over_4g, &r_fwd_anon, &r_struct_bad_name, &r_member_not_struct,
	&r_member_void, &r_member_backwards, &r_member_past_size, &r_member_int_overflows,
	&r_bitfield_256, &r_bitfield_wider_than_int, &r_unaligned_not_bitfield, &r_union_offset,
	&r_member_fwd, &r_bitfield_ptr, &r_bitfield_past_16m, &r_enum_size_3, &r_enum_value_2p32,
	&r_enum_value_anon, &r_enum64_value_on_enum, &r_func_extern, &r_func_not_proto,
	&r_func_unnamed_param, &r_param_after_vararg, &r_vararg_named, &r_param_fwd_by_value,
	&r_proto_returns_fwd, &r_var_extern, &r_var_void, &r_var_of_proto, &r_datasec_empty_size,
	&r_datasec_anon, &r_datasec_overlap, &r_datasec_past_end, &r_datasec_not_var,
	&r_datasec_var_too_small, &r_decl_tag_empty, &r_decl_tag_idx_minus_2,
	&r_decl_tag_var_member, &r_decl_tag_idx_past_vlen, &r_decl_tag_on_int,
};

START_TEST(reject_leaves_builder_unchanged)
{
	const struct reject *r = rejects[_i];
	struct btf_builder *b = fixture();
	const void *data;
	uint32_t size, cnt;
	void *before;
	char *text;

	r->prep(b);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	before = malloc(size);
	memcpy(before, data, size);
	cnt = btf_builder_type_cnt(b);

	ck_assert_msg(r->call(b) == r->err, "%s: got %d, want %d", r->what, r->call(b), r->err);

	ck_assert_uint_eq(btf_builder_type_cnt(b), cnt);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	ck_assert_msg(!memcmp(before, data, size), "%s changed the builder", r->what);
	text = test_dump(b);
	ck_assert_msg(!strncmp(text, fixture_dump, sizeof(fixture_dump) - 1), "%s", r->what);
	free(text);
	free(before);
	btf_builder_free(b);
}
END_TEST

/* kind_flag follows the first bitfield, as libbpf and pahole set it. */
START_TEST(kflag_from_bitfields)
{
	struct btf_builder *b;
	char *text;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	OK(btf_builder_add_int(b, "unsigned int", 4, 32, 0));
	OK(btf_builder_add_struct(b, "plain", 8));
	OK(btf_builder_add_member(b, "a", 1, 0, 0));
	OK(btf_builder_add_member(b, "b", 1, 32, 0));
	OK(btf_builder_add_struct(b, "bits", 4));
	OK(btf_builder_add_member(b, "a", 1, 0, 3));
	OK(btf_builder_add_member(b, "b", 1, 3, 5));
	OK(btf_builder_add_union(b, "u", 4));
	OK(btf_builder_add_member(b, "x", 1, 0, 0));
	OK(btf_builder_add_member(b, "y", 1, 0, 7));
	text = test_dump(b);
	ck_assert_str_eq(text, "[1] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
			       "[2] STRUCT 'plain' size=8 vlen=2\n"
			       "\t'a' type_id=1 bits_offset=0\n"
			       "\t'b' type_id=1 bits_offset=32\n"
			       "[3] STRUCT 'bits' size=4 vlen=2\n"
			       "\t'a' type_id=1 bits_offset=0 bitfield_size=3\n"
			       "\t'b' type_id=1 bits_offset=3 bitfield_size=5\n"
			       "[4] UNION 'u' size=4 vlen=2\n"
			       "\t'x' type_id=1 bits_offset=0\n"
			       "\t'y' type_id=1 bits_offset=0 bitfield_size=7\n");
	ck_assert_uint_eq(btf_builder_type(b, 2)->info >> 31, 0);
	ck_assert_uint_eq(btf_builder_type(b, 3)->info >> 31, 1);
	ck_assert_uint_eq(btf_builder_type(b, 4)->info >> 31, 1);
	free(text);
	btf_builder_free(b);
}
END_TEST

START_TEST(enum_signedness)
{
	struct btf_builder *b;
	char *text;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	OK(btf_builder_add_enum(b, "u", 4));
	OK(btf_builder_add_enum_value(b, "BIG", 0xffffffffll));
	OK(btf_builder_add_enum(b, "s", 4));
	OK(btf_builder_add_enum_value(b, "NEG", -5));
	OK(btf_builder_add_enum(b, "fwd", 4));
	OK(btf_builder_add_enum64(b, "s64", 8, true));
	OK(btf_builder_add_enum64_value(b, "M", (uint64_t)-2));
	OK(btf_builder_add_enum64(b, "u64", 8, false));
	OK(btf_builder_add_enum64_value(b, "H", 1ull << 40));
	text = test_dump(b);
	ck_assert_str_eq(text, "[1] ENUM 'u' encoding=UNSIGNED size=4 vlen=1\n"
			       "\t'BIG' val=4294967295\n"
			       "[2] ENUM 's' encoding=SIGNED size=4 vlen=1\n"
			       "\t'NEG' val=-5\n"
			       "[3] ENUM 'fwd' encoding=UNSIGNED size=4 vlen=0\n"
			       "[4] ENUM64 's64' encoding=SIGNED size=8 vlen=1\n"
			       "\t'M' val=-2LL\n"
			       "[5] ENUM64 'u64' encoding=UNSIGNED size=8 vlen=1\n"
			       "\t'H' val=1099511627776ULL\n");
	free(text);
	btf_builder_free(b);
}
END_TEST

/* A forward reference is fine while adding; finalize wants it to exist. */
START_TEST(forward_refs_checked_at_finalize)
{
	struct btf_builder *b;
	const void *data;
	uint32_t size;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_ptr(b, 2), 1);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), -ERANGE);
	ck_assert_int_eq(btf_builder_add_struct(b, "node", 8), 2);
	ck_assert_int_eq(btf_builder_add_member(b, "next", 1, 0, 0), 0);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	ck_assert_uint_eq(size, 24 + 12 + 12 + 12 + sizeof("\0node\0next"));
	btf_builder_free(b);
}
END_TEST

/* Chains of PTRs, qualifiers, typedefs and array elements that come back
 * to where they started: found, and refused at finalize; a struct on the
 * way breaks the chain (a list node points at itself through one). */
START_TEST(reference_loops_refused)
{
	struct btf_builder *b;
	const void *data;
	uint32_t size, at;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	btf_builder_set_unlimited(b);
	ck_assert_int_eq(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ck_assert_int_eq(btf_builder_add_struct(b, "node", 8), 2);
	ck_assert_int_eq(btf_builder_add_member(b, "next", 3, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_ptr(b, 2), 3);
	ck_assert_int_eq(btf_builder_find_loop(b, &at), -ENOENT);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	/* [4] PTR -> [5] CONST -> [6] ARRAY of [7] TYPEDEF -> [4] */
	ck_assert_int_eq(btf_builder_add_ptr(b, 5), 4);
	ck_assert_int_eq(btf_builder_add_const(b, 6), 5);
	ck_assert_int_eq(btf_builder_add_array(b, 7, 1, 2), 6);
	ck_assert_int_eq(btf_builder_add_typedef(b, "loop_t", 4), 7);
	ck_assert_int_eq(btf_builder_find_loop(b, &at), 0);
	ck_assert_uint_eq(at, 4);
	/* Looked for among the types from the loop's first on, or past it. */
	ck_assert_int_eq(btf_builder_find_loop_from(b, 4, &at), 0);
	ck_assert_uint_eq(at, 4);
	ck_assert_int_eq(btf_builder_find_loop_from(b, 8, &at), -ENOENT);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), -ELOOP);
	btf_builder_free(b);

	ck_assert_int_eq(btf_builder_new(&b), 0);
	btf_builder_set_unlimited(b);
	ck_assert_int_eq(btf_builder_add_typedef(b, "self_t", 1), 1);
	ck_assert_int_eq(btf_builder_find_loop(b, &at), 0);
	ck_assert_uint_eq(at, 1);
	btf_builder_free(b);
}
END_TEST

START_TEST(vlen_limit)
{
	struct btf_builder *b;
	uint32_t i;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	OK(btf_builder_add_int(b, "char", 1, 8, 0));
	OK(btf_builder_add_struct(b, "wide", BTF_MAX_VLEN + 1));
	for (i = 0; i < BTF_MAX_VLEN; i++)
		ck_assert_int_eq(btf_builder_add_member(b, NULL, 1, i * 8, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, NULL, 1, i * 8, 0), -E2BIG);
	ck_assert_uint_eq(btf_builder_type(b, 2)->info & 0xffff, BTF_MAX_VLEN);
	btf_builder_free(b);
}
END_TEST

START_TEST(type_id_limit)
{
	struct btf_builder *b;
	uint32_t i;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	OK(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED));
	for (i = 2; i <= BTF_BUILDER_MAX_ID; i++)
		ck_assert_int_eq(btf_builder_add_ptr(b, 1), (int)i);
	ck_assert_int_eq(btf_builder_add_ptr(b, 1), -E2BIG);
	ck_assert_uint_eq(btf_builder_type_cnt(b), BTF_MAX_TYPE);
	btf_builder_free(b);
}
END_TEST

START_TEST(string_limit)
{
	struct btf_builder *b;
	char name[4096];
	int off = 0, n = 0;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	while (off >= 0) {
		snprintf(name, 16, "n%08d", n++);
		name[9] = 'a';
		off = btf_builder_add_str(b, name);
	}
	ck_assert_int_eq(off, -E2BIG);
	ck_assert_uint_le(btf_builder_str_len(b), BTF_MAX_NAME_OFFSET + 1);
	ck_assert_uint_gt(btf_builder_str_len(b), BTF_MAX_NAME_OFFSET + 1 - sizeof(name));
	/* An existing string is still found. */
	ck_assert_int_eq(btf_builder_add_str(b, ""), 0);
	btf_builder_free(b);
}
END_TEST

START_TEST(strings_dedup)
{
	struct btf_builder *b;
	int a;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_str(b, ""), 0);
	a = btf_builder_add_str(b, "task_struct");
	ck_assert_int_eq(a, 1);
	ck_assert_int_eq(btf_builder_add_str(b, "task_struct"), a);
	ck_assert_int_eq(btf_builder_find_str(b, "task_struct"), a);
	ck_assert_int_eq(btf_builder_find_str(b, "mm_struct"), -ENOENT);
	/* A string that lives in the builder's own buffer. */
	ck_assert_int_eq(btf_builder_add_str(b, btf_builder_str(b, a) + 5), a + 12);
	ck_assert_str_eq(btf_builder_str(b, a + 12), "struct");
	ck_assert_uint_eq(btf_builder_str_len(b), 1 + 12 + 7);
	ck_assert_ptr_null(btf_builder_str(b, 1 + 12 + 7));
	btf_builder_free(b);
}
END_TEST

/* A finalized blob is cached: an existing string keeps it, a new one drops it. */
START_TEST(new_string_drops_the_finalized_blob)
{
	struct btf_builder *b = fixture();
	const void *d1, *d2;
	uint32_t n1, n2;

	ck_assert_int_eq(btf_builder_finalize(b, &d1, &n1), 0);
	ck_assert_int_eq(btf_builder_add_str(b, "int"), 1);
	ck_assert_int_eq(btf_builder_finalize(b, &d2, &n2), 0);
	ck_assert_ptr_eq(d1, d2);
	ck_assert_uint_eq(n1, n2);
	ck_assert_int_gt(btf_builder_add_str(b, "brand_new"), 0);
	ck_assert_int_eq(btf_builder_finalize(b, &d2, &n2), 0);
	ck_assert_uint_eq(n2, n1 + sizeof("brand_new"));
	btf_builder_free(b);
}
END_TEST

static Suite *builder_suite(void)
{
	Suite *s = suite_create("builder");
	TCase *tc = tcase_create("adds");

	tcase_add_test(tc, fixture_dumps);
	tcase_add_test(tc, new_string_drops_the_finalized_blob);
	tcase_add_loop_test(tc, reject_leaves_builder_unchanged, 0,
			    (int)(sizeof(rejects) / sizeof(rejects[0])));
	tcase_add_test(tc, kflag_from_bitfields);
	tcase_add_test(tc, enum_signedness);
	tcase_add_test(tc, forward_refs_checked_at_finalize);
	tcase_add_test(tc, reference_loops_refused);
	tcase_add_test(tc, strings_dedup);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, vlen_limit);
	tcase_add_test(tc, type_id_limit);
	tcase_add_test(tc, string_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run(builder_suite());
}
