// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_append - btf_builder_add_btf(): one BTF appended to another, the way
 * an encoder's units are joined before dedup.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* btf_builder_add_btf: own ids shift, base ids stay, strings move over. */
START_TEST(append_split_shifts_own_ids)
{
	struct btf_builder *base = cu(), *dst, *src;

	ADD(btf_builder_add_int(base, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_ptr(base, 1), 2);
	dst = cu_on(base);
	ADD(btf_builder_add_typedef(dst, "x", 1), 3);
	src = cu_on(base);
	ADD(btf_builder_add_struct(src, "s", 16), 3);
	OK(btf_builder_add_member(src, "int", 2, 0, 0));
	OK(btf_builder_add_member(src, "q", 4, 64, 0));
	ADD(btf_builder_add_ptr(src, 3), 4);

	ck_assert_int_eq(btf_builder_add_btf(dst, src), 4);
	assert_dump(dst, "[3] TYPEDEF 'x' type_id=1\n"
			 "[4] STRUCT 's' size=16 vlen=2\n"
			 "\t'int' type_id=2 bits_offset=0\n"
			 "\t'q' type_id=5 bits_offset=64\n"
			 "[5] PTR '(anon)' type_id=4\n");
	assert_strs(dst, "x\0s\0q", sizeof("x\0s\0q"));
	/* src is unchanged. */
	assert_dump(src, "[3] STRUCT 's' size=16 vlen=2\n"
			 "\t'int' type_id=2 bits_offset=0\n"
			 "\t'q' type_id=4 bits_offset=64\n"
			 "[4] PTR '(anon)' type_id=3\n");
	btf_builder_free(src);
	btf_builder_free(dst);
	btf_builder_free(base);
}
END_TEST

START_TEST(append_self_and_parsed)
{
	struct btf_builder *b = cu_int_s(), *parsed;
	const void *data;
	uint32_t size;

	ck_assert_int_eq(btf_builder_add_btf(b, b), 3);
	assert_dump(b, INT_LINE(1)
		       "[2] STRUCT 's' size=4 vlen=1\n"
		       "\t'x' type_id=1 bits_offset=0\n"
		       INT_LINE(3)
		       "[4] STRUCT 's' size=4 vlen=1\n"
		       "\t'x' type_id=3 bits_offset=0\n");
	ck_assert_uint_eq(btf_builder_str_len(b), sizeof("\0int\0s\0x"));

	/* A read-only parsed builder, appended to itself and to another. */
	OK(btf_builder_finalize(b, &data, &size));
	OK(btf_builder_parse(data, size, NULL, &parsed));
	ck_assert_int_eq(btf_builder_add_btf(parsed, parsed), 5);
	ck_assert_int_eq(btf_builder_add_btf(b, parsed), 5);
	ck_assert_uint_eq(btf_builder_type_cnt(b), 13);
	ck_assert_uint_eq(btf_builder_str_len(b), sizeof("\0int\0s\0x"));
	dedup_expect(b, INT_LINE(1)
		     "[2] STRUCT 's' size=4 vlen=1\n"
		     "\t'x' type_id=1 bits_offset=0\n");
	btf_builder_free(parsed);
	btf_builder_free(b);
}
END_TEST

/* Standalone src into split dst, and a split appended to its own base
 * (the streaming dedup's two steps): ids below src's own mean the same. */
START_TEST(append_standalone_into_split_and_split_into_base)
{
	struct btf_builder *base = cu_int_s(), *split = cu_on(base), *unit = cu();

	ADD(btf_builder_add_int(unit, "long", 8, 64, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_ptr(unit, 1), 2);
	ck_assert_int_eq(btf_builder_add_btf(split, unit), 3);
	assert_dump(split, "[3] INT 'long' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
			   "[4] PTR '(anon)' type_id=3\n");
	ADD(btf_builder_add_ptr(split, 2), 5);
	ck_assert_int_eq(btf_builder_add_btf(base, split), 3);
	assert_dump(base, INT_LINE(1)
			  "[2] STRUCT 's' size=4 vlen=1\n"
			  "\t'x' type_id=1 bits_offset=0\n"
			  "[3] INT 'long' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
			  "[4] PTR '(anon)' type_id=3\n"
			  "[5] PTR '(anon)' type_id=2\n");
	btf_builder_free(unit);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

START_TEST(append_errors_leave_dst_unchanged)
{
	struct btf_builder *base = cu(), *other = cu(), *dst = cu_int_s(), *src, *empty = cu();
	struct btf_builder *split = cu_on(base);
	uint32_t size;
	void *before = blob_copy(dst, &size);

	ck_assert_int_eq(btf_builder_add_btf(dst, empty), 3);
	/* Different bases, or a base on src's side only. */
	src = cu_on(base);
	ck_assert_int_eq(btf_builder_add_btf(dst, src), -EINVAL);
	btf_builder_free(src);
	src = cu_on(other);
	ck_assert_int_eq(btf_builder_add_btf(split, src), -EINVAL);
	btf_builder_free(src);
	btf_builder_free(split);
	/* A reference to a type src does not have. */
	src = cu();
	ADD(btf_builder_add_typedef(src, "t", 1), 1);
	ADD(btf_builder_add_ptr(src, 3), 2);
	ck_assert_int_eq(btf_builder_add_btf(dst, src), -ERANGE);
	btf_builder_free(src);
	assert_blob(dst, before, size);
	free(before);
	btf_builder_free(empty);
	btf_builder_free(dst);
	btf_builder_free(other);
	btf_builder_free(base);
}
END_TEST

/* The last id the kernel takes is BTF_BUILDER_MAX_ID; one more is -E2BIG. */
/* A builder that keeps strings by address (an encoder's unit): a long name
 * at two addresses is two strings there and one once appended by content;
 * short names count by their bytes. It cannot be finalized or deduped. */
START_TEST(append_strs_by_ptr)
{
	char a[] = "counter_value", b[] = "counter_value", id1[] = "id", id2[] = "id";
	struct btf_builder *unit = cu(), *dst = cu();
	const char *expect = INT_LINE(1)
			     "[2] STRUCT 'counter_value' size=8 vlen=2\n"
			     "\t'id' type_id=1 bits_offset=0\n"
			     "\t'counter_value' type_id=1 bits_offset=32\n"
			     "[3] TYPEDEF 'id' type_id=2\n";
	const void *data;
	uint32_t size, *map;

	OK(btf_builder_set_strs_by_ptr(unit));
	ck_assert(btf_builder_strs_by_ptr(unit));
	ADD(btf_builder_add_int(unit, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(unit, a, 8), 2);
	OK(btf_builder_add_member(unit, id1, 1, 0, 0));
	OK(btf_builder_add_member(unit, b, 1, 32, 0));
	ADD(btf_builder_add_typedef(unit, id2, 2), 3);
	/* "", then "int", a, "id", b. */
	ck_assert_uint_eq(btf_builder_str_len(unit), 5);
	assert_dump(unit, expect);
	ck_assert_int_eq(btf_builder_finalize(unit, &data, &size), -EINVAL);
	ck_assert_int_eq(btf_builder_dedup(unit, &map), -EINVAL);

	ck_assert_int_eq(btf_builder_add_btf(dst, unit), 1);
	assert_dump(dst, expect);
	assert_strs(dst, "\0int\0counter_value\0id", sizeof("\0int\0counter_value\0id"));
	ck_assert_int_eq(btf_builder_set_strs_by_ptr(dst), -EINVAL);
	btf_builder_free(unit);
	btf_builder_free(dst);
}
END_TEST

/* One unit of name_buf's text appended to a batch on c through memo. */
static void memo_batch(struct btf_builder *c, char *name_buf, struct btf_str_memo *memo,
		       const char *expect)
{
	struct btf_builder *unit = cu(), *batch = cu_on(c);

	OK(btf_builder_set_strs_by_ptr(unit));
	ADD(btf_builder_add_int(unit, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_typedef(unit, name_buf, 1), 2);
	ck_assert_int_eq(btf_builder_add_btf_memo(batch, unit, memo), 3);
	assert_dump(batch, expect);
	btf_builder_free(unit);
	btf_builder_free(batch);
}

/* The memo answers for an address it met, below the destination's own
 * strings and on the same base: shown by changing the bytes behind that
 * address, which the contract forbids, so that only the memo knows. */
START_TEST(append_memo_across_batches)
{
	struct btf_builder *c = cu(), *other = cu();
	char name[] = "shared_name";
	struct btf_str_memo *memo;

	ADD(btf_builder_add_int(c, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_typedef(c, name, 1), 2);
	ADD(btf_builder_add_int(other, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_typedef(other, "other", 1), 2);
	OK(btf_str_memo_new(&memo));
	memo_batch(c, name, memo, INT_LINE(3) "[4] TYPEDEF 'shared_name' type_id=3\n");
	name[0] = 'X';
	memo_batch(c, name, memo, INT_LINE(3) "[4] TYPEDEF 'shared_name' type_id=3\n");
	/* Another base: the memo starts over, the name is read again. */
	memo_batch(other, name, memo, INT_LINE(3) "[4] TYPEDEF 'Xhared_name' type_id=3\n");
	/* Without the memo, by content. */
	btf_str_memo_free(memo);
	memo_batch(c, name, NULL, INT_LINE(3) "[4] TYPEDEF 'Xhared_name' type_id=3\n");
	btf_builder_free(c);
	btf_builder_free(other);
}
END_TEST

START_TEST(append_id_limit)
{
	struct btf_builder *b = cu(), *one = cu();
	uint32_t half = BTF_BUILDER_MAX_ID / 2, i, size;
	void *before;

	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	for (i = 2; i <= half; i++)
		ADD(btf_builder_add_ptr(b, 1), (int)i);
	ck_assert_int_eq(btf_builder_add_btf(b, b), (int)half + 1);
	ck_assert_uint_eq(btf_builder_type_cnt(b), 2 * half + 1);
	ck_assert_uint_eq(2 * half, BTF_BUILDER_MAX_ID);
	ADD(btf_builder_add_typedef(one, "t", 0), 1);
	before = blob_copy(b, &size);
	ck_assert_int_eq(btf_builder_add_btf(b, one), -E2BIG);
	assert_blob(b, before, size);
	free(before);
	/* A builder for a whole object may go past it until dedup. */
	btf_builder_set_unlimited(b);
	ck_assert_int_eq(btf_builder_add_btf(b, one), BTF_BUILDER_MAX_ID + 1);
	btf_builder_free(one);
	btf_builder_free(b);
}
END_TEST

/* A string that does not fit: the types stay as they were. */
START_TEST(append_string_limit)
{
	struct btf_builder *dst = cu(), *src = cu();
	uint32_t fill = BTF_MAX_NAME_OFFSET - 8, size;
	char *big = malloc(fill + 1);
	void *before;

	memset(big, 'a', fill);
	big[fill] = 0;
	ck_assert_int_eq(btf_builder_add_str(dst, big), 1);
	free(big);
	ADD(btf_builder_add_int(dst, "i", 4, 32, 0), 1);
	ADD(btf_builder_add_typedef(src, "t", 0), 1);
	ADD(btf_builder_add_typedef(src, "too_long", 1), 2);
	before = blob_copy(dst, &size);
	ck_assert_int_eq(btf_builder_add_btf(dst, src), -E2BIG);
	ck_assert_uint_eq(btf_builder_type_cnt(dst), 2);
	assert_dump(dst, "[1] INT 'i' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n");
	free(before);
	btf_builder_free(src);
	btf_builder_free(dst);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("append");
	TCase *tc = tcase_create("append");

	tcase_add_test(tc, append_split_shifts_own_ids);
	tcase_add_test(tc, append_self_and_parsed);
	tcase_add_test(tc, append_standalone_into_split_and_split_into_base);
	tcase_add_test(tc, append_errors_leave_dst_unchanged);
	tcase_add_test(tc, append_strs_by_ptr);
	tcase_add_test(tc, append_memo_across_batches);
	tcase_add_test(tc, append_id_limit);
	tcase_add_test(tc, append_string_limit);
	suite_add_tcase(s, tc);
	return test_run(s);
}
