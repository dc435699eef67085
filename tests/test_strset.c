// SPDX-License-Identifier: GPL-2.0-only
/* test_strset - the string set: offsets, dedup, borrowed bytes, limits. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "testutil.h"

START_TEST(offsets_never_move)
{
	struct strset *s;
	char name[32];
	int offs[2000], i;

	ck_assert_int_eq(strset_new(1 << 20, &s), 0);
	ck_assert_int_eq(strset_add(s, ""), 0);
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "name_%d", i);
		offs[i] = strset_add(s, name);
		ck_assert_int_gt(offs[i], 0);
	}
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "name_%d", i);
		ck_assert_int_eq(strset_add(s, name), offs[i]);
		ck_assert_int_eq(strset_find(s, name), offs[i]);
		ck_assert_str_eq(strset_data(s) + offs[i], name);
	}
	ck_assert_int_eq(strset_find(s, "name_2000"), -ENOENT);
	strset_free(s);
}
END_TEST

/* Borrowed bytes keep their duplicates; the index answers the first. */
START_TEST(borrowed_duplicates_kept)
{
	static const char blob[] = "\0int\0long\0int\0";
	struct strset *s;

	ck_assert_int_eq(strset_new_borrowed(blob, sizeof(blob) - 1, 1 << 20, &s), 0);
	ck_assert_ptr_eq(strset_data(s), blob);
	ck_assert_int_eq(strset_find(s, "int"), 1);
	ck_assert_int_eq(strset_find(s, "long"), 5);
	ck_assert_int_eq(strset_find(s, ""), 0);
	/* Finding does not copy; adding an existing string neither. */
	ck_assert_int_eq(strset_add(s, "long"), 5);
	ck_assert_ptr_eq(strset_data(s), blob);
	ck_assert_int_eq(strset_add(s, "char"), (int)sizeof(blob) - 1);
	ck_assert_ptr_ne(strset_data(s), blob);
	ck_assert_int_eq(memcmp(strset_data(s), blob, sizeof(blob) - 1), 0);
	ck_assert_str_eq(strset_data(s) + 10, "int");
	ck_assert_uint_eq(strset_len(s), sizeof(blob) - 1 + 5);
	strset_free(s);
}
END_TEST

START_TEST(add_from_own_bytes)
{
	struct strset *s;
	int i, off;

	ck_assert_int_eq(strset_new(1 << 20, &s), 0);
	off = strset_add(s, "prefix_suffix");
	/* Grow many times while adding a suffix of our own bytes. */
	for (i = 0; i < 100; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "s%d", i);
		ck_assert_int_ge(strset_add(s, buf), 0);
	}
	ck_assert_int_gt(strset_add(s, strset_data(s) + off + 7), 0);
	ck_assert_int_eq(strset_find(s, "suffix"), strset_add(s, "suffix"));
	strset_free(s);
}
END_TEST

START_TEST(max_len_enforced)
{
	struct strset *s;

	ck_assert_int_eq(strset_new(8, &s), 0);
	ck_assert_int_eq(strset_add(s, ""), 0);
	ck_assert_int_eq(strset_add(s, "abc"), 1);
	ck_assert_int_eq(strset_add(s, "abcd"), -E2BIG);
	ck_assert_int_eq(strset_add(s, "ab"), 5);
	ck_assert_int_eq(strset_add(s, "x"), -E2BIG);
	ck_assert_int_eq(strset_add(s, "abc"), 1);
	ck_assert_uint_eq(strset_len(s), 8);
	strset_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("strset");
	TCase *tc = tcase_create("strset");

	tcase_add_test(tc, offsets_never_move);
	tcase_add_test(tc, borrowed_duplicates_kept);
	tcase_add_test(tc, add_from_own_bytes);
	tcase_add_test(tc, max_len_enforced);
	suite_add_tcase(s, tc);
	return test_run(s);
}
