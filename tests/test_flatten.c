// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_flatten - btf_builder_flatten(): a split BTF and its base as one
 * standalone BTF with every id and string offset unchanged, which the
 * kernel's loader accepts on its own.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "testutil.h"

#define ADD(expr, id) ck_assert_int_eq((expr), (id))
#define OK(expr) ck_assert_int_eq((expr), 0)

/* [1] int, [2] fwd task_struct, [3] task_struct *: 17 string bytes. */
static struct btf_builder *base_fixture(void)
{
	struct btf_builder *b;

	OK(btf_builder_new(&b));
	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_fwd(b, "task_struct", false), 2);
	ADD(btf_builder_add_ptr(b, 2), 3);
	return b;
}

static const char base_dump[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] FWD 'task_struct' fwd_kind=struct\n"
	"[3] PTR '(anon)' type_id=2\n";

/* Module-like types on base: a struct naming base types and a base string
 * ("int" as a member name), a function, a variable in a section. */
static struct btf_builder *split_fixture(struct btf_builder *base)
{
	struct btf_builder *s;

	OK(btf_builder_new_split(base, &s));
	ADD(btf_builder_add_struct(s, "mod_state", 16), 4);
	OK(btf_builder_add_member(s, "task", 3, 0, 0));
	OK(btf_builder_add_member(s, "int", 1, 64, 0));
	ADD(btf_builder_add_ptr(s, 4), 5);
	ADD(btf_builder_add_func_proto(s, 1), 6);
	OK(btf_builder_add_param(s, "st", 5));
	ADD(btf_builder_add_func(s, "mod_init", BTF_BUILDER_GLOBAL, 6), 7);
	ADD(btf_builder_add_var(s, "mod_count", BTF_BUILDER_STATIC, 1), 8);
	ADD(btf_builder_add_datasec(s, ".bss", 4), 9);
	OK(btf_builder_add_datasec_var(s, 8, 0, 4));
	return s;
}

static const char split_dump[] =
	"[4] STRUCT 'mod_state' size=16 vlen=2\n"
	"\t'task' type_id=3 bits_offset=0\n"
	"\t'int' type_id=1 bits_offset=64\n"
	"[5] PTR '(anon)' type_id=4\n"
	"[6] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'st' type_id=5\n"
	"[7] FUNC 'mod_init' type_id=6 linkage=global\n"
	"[8] VAR 'mod_count' type_id=1, linkage=static\n"
	"[9] DATASEC '.bss' size=4 vlen=1\n"
	"\ttype_id=8 offset=0 size=4 (VAR 'mod_count')\n";

static void assert_text(const char *what, const char *actual, const char *expect)
{
	ck_assert_ptr_nonnull(actual);
	ck_assert_msg(!strcmp(actual, expect), "%s differs\n--- expected\n%s--- actual\n%s", what,
		      expect, actual);
}

static void assert_dump(const struct btf_builder *b, const char *expect)
{
	char *text = test_dump(b);

	assert_text("dump", text, expect);
	free(text);
}

/* Every id of split's chain has the same record bytes in flat and names the
 * same strings (offsets unchanged, so the name words are equal too). */
static void assert_same_ids(const struct btf_builder *split, const struct btf_builder *flat)
{
	uint32_t id, cnt = btf_builder_type_cnt(split);

	ck_assert_uint_eq(btf_builder_type_cnt(flat), cnt);
	ck_assert_uint_eq(btf_builder_start_id(flat), 1);
	ck_assert_ptr_null(btf_builder_base(flat));
	for (id = 1; id < cnt; id++) {
		const struct btf_type *a = btf_builder_type(split, id);
		const struct btf_type *b = btf_builder_type(flat, id);

		ck_assert_ptr_nonnull(b);
		ck_assert_uint_eq(btf_type_size_of(a), btf_type_size_of(b));
		ck_assert_msg(!memcmp(a, b, btf_type_size_of(a)), "type [%u] differs", id);
		ck_assert_str_eq(btf_builder_str(split, a->name_off),
				 btf_builder_str(flat, b->name_off));
	}
	ck_assert_ptr_null(btf_builder_type(flat, cnt));
}

static void assert_loads(struct btf_builder *b)
{
	static char log[1 << 16];
	int err;

	if (!test_kernel_available())
		return;
	err = test_kernel_load_builder(b, log, sizeof(log));
	ck_assert_msg(!err, "kernel refused (%d):\n%s", err, log);
}

START_TEST(split_on_built_base)
{
	struct btf_builder *base = base_fixture(), *split = split_fixture(base), *flat;
	char expect[sizeof(base_dump) + sizeof(split_dump)];
	uint32_t str_base = btf_builder_str_len(base), str_split = btf_builder_str_len(split);
	const void *data;
	uint32_t size;

	OK(btf_builder_flatten(split, &flat));
	snprintf(expect, sizeof(expect), "%s%s", base_dump, split_dump);
	assert_dump(flat, expect);
	assert_same_ids(split, flat);

	/* Strings: the base's section, then the split's, back to back. */
	ck_assert_uint_eq(str_base, sizeof("\0int\0task_struct"));
	ck_assert_uint_eq(btf_builder_str_len(flat), str_base + str_split);
	ck_assert_str_eq(btf_builder_str(flat, str_base), "mod_state");
	ck_assert_int_eq(btf_builder_find_str(flat, "mod_count"),
			 btf_builder_find_str(split, "mod_count"));

	/* The blob: header, the base's types (INT, FWD, PTR), the split's
	 * (STRUCT, PTR, FUNC_PROTO, FUNC, VAR, DATASEC), both string sections. */
	OK(btf_builder_finalize(flat, &data, &size));
	ck_assert_uint_eq(size, 24 + (16 + 12 + 12) + (36 + 12 + 20 + 12 + 16 + 24) + str_base +
					str_split);
	ck_assert_int_eq(memcmp((const char *)data + size - str_base - str_split,
				"\0int\0task_struct\0mod_state", 27), 0);
	assert_loads(flat);

	/* Neither input changed. */
	assert_dump(base, base_dump);
	assert_dump(split, split_dump);
	btf_builder_free(flat);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

/* Both levels parsed from blobs (read-only), as btfenc flatten reads them. */
START_TEST(split_on_parsed_base)
{
	struct btf_builder *built = base_fixture(), *built_split = split_fixture(built);
	struct btf_builder *base, *split, *flat;
	const void *bdata, *sdata;
	uint32_t bsize, ssize;
	char expect[sizeof(base_dump) + sizeof(split_dump)];

	OK(btf_builder_finalize(built, &bdata, &bsize));
	OK(btf_builder_finalize(built_split, &sdata, &ssize));
	OK(btf_builder_parse(bdata, bsize, NULL, &base));
	OK(btf_builder_parse(sdata, ssize, base, &split));
	OK(btf_builder_flatten(split, &flat));
	ck_assert(!btf_builder_is_writable(base));
	ck_assert(!btf_builder_is_writable(split));
	snprintf(expect, sizeof(expect), "%s%s", base_dump, split_dump);
	assert_dump(flat, expect);
	assert_same_ids(split, flat);
	assert_loads(flat);
	btf_builder_free(flat);
	btf_builder_free(split);
	btf_builder_free(base);
	btf_builder_free(built_split);
	btf_builder_free(built);
}
END_TEST

/* A split that repeats a base string in its own section keeps both copies:
 * each offset still names what it named. */
START_TEST(repeated_string_kept)
{
	struct btf_builder *built = base_fixture(), *base, *split, *flat;
	static const uint8_t split_blob[] = {
		/* header: 12 bytes of types at 0, 8 bytes of strings at 12 */
		0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0,
		12, 0, 0, 0, 8, 0, 0, 0,
		/* [4] TYPEDEF 'x' (name_off 21) -> [1] */
		21, 0, 0, 0, 0, 0, 0, 8, 1, 0, 0, 0,
		/* own strings from logical offset 17: "int" again, "x", padding */
		'i', 'n', 't', 0, 'x', 0, 0, 0,
	};
	const void *bdata;
	uint32_t bsize;

	OK(btf_builder_finalize(built, &bdata, &bsize));
	OK(btf_builder_parse(bdata, bsize, NULL, &base));
	/* Little-endian blob; on a big-endian host the parser swaps it. */
	OK(btf_builder_parse(split_blob, sizeof(split_blob), base, &split));
	ck_assert_str_eq(btf_builder_str(split, btf_builder_type(split, 4)->name_off), "x");
	OK(btf_builder_flatten(split, &flat));
	assert_same_ids(split, flat);
	ck_assert_uint_eq(btf_builder_str_len(flat), 17 + 8);
	ck_assert_str_eq(btf_builder_str(flat, 1), "int");
	ck_assert_str_eq(btf_builder_str(flat, 17), "int");
	ck_assert_str_eq(btf_builder_str(flat, 21), "x");
	assert_dump(flat, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
			  "[2] FWD 'task_struct' fwd_kind=struct\n"
			  "[3] PTR '(anon)' type_id=2\n"
			  "[4] TYPEDEF 'x' type_id=1\n");
	assert_loads(flat);
	btf_builder_free(flat);
	btf_builder_free(split);
	btf_builder_free(base);
	btf_builder_free(built);
}
END_TEST

/* Split on split: all three levels, in id order. */
START_TEST(two_levels)
{
	struct btf_builder *base = base_fixture(), *mid, *top, *flat;

	OK(btf_builder_new_split(base, &mid));
	ADD(btf_builder_add_typedef(mid, "mid_t", 1), 4);
	OK(btf_builder_new_split(mid, &top));
	ADD(btf_builder_add_typedef(top, "top_t", 4), 5);
	ADD(btf_builder_add_ptr(top, 3), 6);
	OK(btf_builder_flatten(top, &flat));
	assert_same_ids(top, flat);
	assert_dump(flat, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
			  "[2] FWD 'task_struct' fwd_kind=struct\n"
			  "[3] PTR '(anon)' type_id=2\n"
			  "[4] TYPEDEF 'mid_t' type_id=1\n"
			  "[5] TYPEDEF 'top_t' type_id=4\n"
			  "[6] PTR '(anon)' type_id=3\n");
	assert_loads(flat);
	btf_builder_free(flat);
	btf_builder_free(top);
	btf_builder_free(mid);
	btf_builder_free(base);
}
END_TEST

/* No own types in the split, and a base with no base: copies of the base. */
START_TEST(degenerate_inputs)
{
	struct btf_builder *base = base_fixture(), *split, *flat;
	const void *a, *b;
	uint32_t asize, bsize;

	OK(btf_builder_new_split(base, &split));
	OK(btf_builder_flatten(split, &flat));
	assert_dump(flat, base_dump);
	btf_builder_free(flat);

	OK(btf_builder_flatten(base, &flat));
	assert_dump(flat, base_dump);
	OK(btf_builder_finalize(base, &a, &asize));
	OK(btf_builder_finalize(flat, &b, &bsize));
	ck_assert_uint_eq(asize, bsize);
	ck_assert_int_eq(memcmp(a, b, asize), 0);
	btf_builder_free(flat);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

/* The result takes the split's byte order; it parses back to the same types. */
START_TEST(byte_order_kept)
{
	struct btf_builder *base = base_fixture(), *split = split_fixture(base), *flat, *back;
	enum btf_endian foreign = btf_builder_endian(split) == BTF_ENDIAN_LITTLE
					  ? BTF_ENDIAN_BIG
					  : BTF_ENDIAN_LITTLE;
	char expect[sizeof(base_dump) + sizeof(split_dump)];
	const void *data;
	uint32_t size;

	btf_builder_set_endian(split, foreign);
	OK(btf_builder_flatten(split, &flat));
	ck_assert_int_eq(btf_builder_endian(flat), foreign);
	OK(btf_builder_finalize(flat, &data, &size));
	OK(btf_builder_parse(data, size, NULL, &back));
	ck_assert_int_eq(btf_builder_endian(back), foreign);
	snprintf(expect, sizeof(expect), "%s%s", base_dump, split_dump);
	assert_dump(back, expect);
	btf_builder_free(back);
	btf_builder_free(flat);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

/* A split that refers to an id nobody has is not valid BTF once flat. */
START_TEST(dangling_id_refused)
{
	struct btf_builder *base = base_fixture(), *split, *flat = NULL;

	OK(btf_builder_new_split(base, &split));
	ADD(btf_builder_add_ptr(split, 40), 4);
	ck_assert_int_eq(btf_builder_flatten(split, &flat), -EINVAL);
	ck_assert_ptr_null(flat);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("flatten");
	TCase *tc = tcase_create("flatten");

	tcase_add_test(tc, split_on_built_base);
	tcase_add_test(tc, split_on_parsed_base);
	tcase_add_test(tc, repeated_string_kept);
	tcase_add_test(tc, two_levels);
	tcase_add_test(tc, degenerate_inputs);
	tcase_add_test(tc, byte_order_kept);
	tcase_add_test(tc, dangling_id_refused);
	suite_add_tcase(s, tc);
	return test_run(s);
}
