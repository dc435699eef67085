// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_diff - btf_diff_new(): two BTFs compared by name and shape.
 *
 * Each test builds a pair through the builder API. Pairs whose ids and
 * string offsets differ but whose types are the same C types must give no
 * difference; pairs with one change must give exactly the expected lines,
 * as "btfenc diff" prints them (btf_diff_item_format()).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "testutil.h"

#define ADD(expr, id) ck_assert_int_eq((expr), (id))
#define OK(expr) ck_assert_int_eq((expr), 0)

static struct btf_builder *fresh(void)
{
	struct btf_builder *b;

	OK(btf_builder_new(&b));
	return b;
}

/* The lines of the diff of a and b, each ending in a newline. */
static char *diff_text(struct btf_builder *a, struct btf_builder *b, uint32_t ignore_kinds)
{
	struct btf_diff_opts opts = { .ignore_kinds = ignore_kinds };
	struct btf_diff *d;
	size_t i, len = 0, n;
	char *text = calloc(1, 1);

	OK(btf_diff_new(a, b, &opts, &d));
	for (i = 0; i < d->items_len; i++) {
		n = btf_diff_item_format(&d->items[i], NULL, 0);
		text = realloc(text, len + n + 2);
		ck_assert_ptr_nonnull(text);
		btf_diff_item_format(&d->items[i], text + len, n + 1);
		len += n;
		text[len++] = '\n';
		text[len] = 0;
	}
	btf_diff_free(d);
	return text;
}

/* Asserts the diff of a and b, then frees both. */
static void expect_ignoring(struct btf_builder *a, struct btf_builder *b, uint32_t ignore,
			    const char *expect)
{
	char *text = diff_text(a, b, ignore);

	ck_assert_msg(!strcmp(text, expect), "diff differs\n--- expected\n%s--- actual\n%s",
		      expect, text);
	free(text);
	btf_builder_free(a);
	btf_builder_free(b);
}

static void expect(struct btf_builder *a, struct btf_builder *b, const char *text)
{
	expect_ignoring(a, b, 0, text);
}

/* int 1, long int 2, char 3: the scalars most tests use. */
static struct btf_builder *scalars(void)
{
	struct btf_builder *b = fresh();

	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_int(b, "long int", 8, 64, BTF_INT_SIGNED), 2);
	ADD(btf_builder_add_int(b, "char", 1, 8, BTF_INT_SIGNED), 3);
	return b;
}

/* struct s { TYPE x; int y; } at id 4 on top of scalars(); y at y_off. */
static struct btf_builder *struct_s(uint32_t x_type, uint32_t y_off, uint32_t size)
{
	struct btf_builder *b = scalars();

	ADD(btf_builder_add_struct(b, "s", size), 4);
	OK(btf_builder_add_member(b, "x", x_type, 0, 0));
	OK(btf_builder_add_member(b, "y", 1, y_off, 0));
	return b;
}

/* One graph, emitted in two orders with strings added in other orders:
 * struct list { struct list *next; const char *name; }; typedef struct list L;
 * int f(L *l, ...); */
START_TEST(equal_in_other_order)
{
	struct btf_builder *a = fresh(), *b = fresh();

	ADD(btf_builder_add_int(a, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_int(a, "char", 1, 8, BTF_INT_SIGNED), 2);
	ADD(btf_builder_add_struct(a, "list", 16), 3);
	OK(btf_builder_add_member(a, "next", 4, 0, 0));
	OK(btf_builder_add_member(a, "name", 6, 64, 0));
	ADD(btf_builder_add_ptr(a, 3), 4);
	ADD(btf_builder_add_const(a, 2), 5);
	ADD(btf_builder_add_ptr(a, 5), 6);
	ADD(btf_builder_add_typedef(a, "L", 3), 7);
	ADD(btf_builder_add_ptr(a, 7), 8);
	ADD(btf_builder_add_func_proto(a, 1), 9);
	OK(btf_builder_add_param(a, "l", 8));
	OK(btf_builder_add_param(a, NULL, 0));
	ADD(btf_builder_add_func(a, "f", BTF_BUILDER_GLOBAL, 9), 10);

	ck_assert_int_gt(btf_builder_add_str(b, "zzz"), 0);
	ck_assert_int_gt(btf_builder_add_str(b, "f"), 0);
	ADD(btf_builder_add_func_proto(b, 9), 1);
	OK(btf_builder_add_param(b, "l", 2));
	OK(btf_builder_add_param(b, NULL, 0));
	ADD(btf_builder_add_ptr(b, 3), 2);
	ADD(btf_builder_add_typedef(b, "L", 4), 3);
	ADD(btf_builder_add_struct(b, "list", 16), 4);
	OK(btf_builder_add_member(b, "next", 5, 0, 0));
	OK(btf_builder_add_member(b, "name", 7, 64, 0));
	ADD(btf_builder_add_ptr(b, 4), 5);
	ADD(btf_builder_add_func(b, "f", BTF_BUILDER_GLOBAL, 1), 6);
	ADD(btf_builder_add_ptr(b, 8), 7);
	ADD(btf_builder_add_const(b, 10), 8);
	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 9);
	ADD(btf_builder_add_int(b, "char", 1, 8, BTF_INT_SIGNED), 10);
	expect(a, b, "");
}
END_TEST

/* Two different struct point, in either order: the multiset of shapes. */
static struct btf_builder *two_points(bool swap, uint32_t first_x)
{
	struct btf_builder *b = scalars();

	ADD(btf_builder_add_struct(b, "point", swap ? 8 : 4), 4);
	OK(btf_builder_add_member(b, "x", swap ? 2 : first_x, 0, 0));
	ADD(btf_builder_add_struct(b, "point", swap ? 4 : 8), 5);
	OK(btf_builder_add_member(b, "x", swap ? first_x : 2, 0, 0));
	return b;
}

START_TEST(same_name_structs_equal)
{
	expect(two_points(false, 1), two_points(true, 1), "");
}
END_TEST

START_TEST(same_name_structs_one_changes)
{
	expect(two_points(false, 1), two_points(true, 3),
	       "~ struct point: member 'x' type 'int' -> 'char'\n");
}
END_TEST

/* Both change: each pairs with its most similar counterpart. */
START_TEST(same_name_structs_both_change)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_struct(a, "point", 4), 4);
	OK(btf_builder_add_member(a, "x", 1, 0, 0));
	ADD(btf_builder_add_struct(a, "point", 16), 5);
	OK(btf_builder_add_member(a, "y", 2, 0, 0));
	OK(btf_builder_add_member(a, "z", 2, 64, 0));
	ADD(btf_builder_add_struct(b, "point", 16), 4);
	OK(btf_builder_add_member(b, "y", 2, 0, 0));
	OK(btf_builder_add_member(b, "z", 1, 64, 0));
	ADD(btf_builder_add_struct(b, "point", 4), 5);
	OK(btf_builder_add_member(b, "x", 3, 0, 0));
	expect(a, b, "~ struct point: member 'x' type 'int' -> 'char'\n"
		     "~ struct point: member 'z' type 'long int' -> 'int'\n");
}
END_TEST

/* A struct twice in b, identical: the multiset counts copies. */
START_TEST(identical_copy_counted)
{
	struct btf_builder *a = struct_s(1, 32, 8), *b = struct_s(1, 32, 8);

	ADD(btf_builder_add_struct(b, "s", 8), 5);
	OK(btf_builder_add_member(b, "x", 1, 0, 0));
	OK(btf_builder_add_member(b, "y", 1, 32, 0));
	expect(a, b, "~ struct s: copies 1 -> 2\n");
}
END_TEST

START_TEST(member_type)
{
	expect(struct_s(1, 64, 16), struct_s(2, 64, 16),
	       "~ struct s: member 'x' type 'int' -> 'long int'\n");
}
END_TEST

START_TEST(member_offset)
{
	expect(struct_s(1, 32, 8), struct_s(1, 64, 16),
	       "~ struct s: member 'y' bit offset 32 -> 64\n");
}
END_TEST

START_TEST(struct_size)
{
	expect(struct_s(1, 32, 8), struct_s(1, 32, 16), "~ struct s: size 8 -> 16\n");
}
END_TEST

START_TEST(member_added_removed)
{
	struct btf_builder *a = struct_s(1, 32, 16), *b = struct_s(1, 32, 16);

	OK(btf_builder_add_member(b, "z", 1, 64, 0));
	expect(a, b, "~ struct s: member 'z' added\n");
	a = struct_s(1, 32, 16);
	b = struct_s(1, 32, 16);
	OK(btf_builder_add_member(a, "z", 1, 64, 0));
	expect(a, b, "~ struct s: member 'z' removed\n");
}
END_TEST

START_TEST(member_moved_and_bitfield)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_struct(a, "s", 8), 4);
	OK(btf_builder_add_member(a, "x", 1, 0, 0));
	OK(btf_builder_add_member(a, "y", 1, 32, 0));
	ADD(btf_builder_add_struct(b, "s", 8), 4);
	OK(btf_builder_add_member(b, "y", 1, 0, 0));
	OK(btf_builder_add_member(b, "x", 1, 32, 0));
	expect(a, b, "~ struct s: member 'x' position 0 -> 1\n");

	a = scalars();
	b = scalars();
	ADD(btf_builder_add_struct(a, "s", 4), 4);
	OK(btf_builder_add_member(a, "f", 1, 0, 3));
	ADD(btf_builder_add_struct(b, "s", 4), 4);
	OK(btf_builder_add_member(b, "f", 1, 0, 4));
	expect(a, b, "~ struct s: member 'f' bitfield 3 -> 4\n");
}
END_TEST

/* An old-style bitfield (kind_flag 0, a 3-bit INT) reads like kind_flag 1;
 * only the extra INT shows. */
START_TEST(bitfield_encodings_equal)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_int(a, "int", 4, 3, BTF_INT_SIGNED), 4);
	ADD(btf_builder_add_struct(a, "s", 4), 5);
	OK(btf_builder_add_member(a, "f", 4, 0, 0));
	ADD(btf_builder_add_struct(b, "s", 4), 4);
	OK(btf_builder_add_member(b, "f", 1, 0, 3));
	expect(a, b, "- int int size=4 bits=3 encoding=signed\n");
}
END_TEST

/* struct s { int a; union { int b; char c; }; }: a change inside is named
 * by the path to it. */
static struct btf_builder *nested(uint32_t c_type)
{
	struct btf_builder *b = scalars();

	ADD(btf_builder_add_struct(b, "s", 8), 4);
	OK(btf_builder_add_member(b, "a", 1, 0, 0));
	OK(btf_builder_add_member(b, NULL, 5, 32, 0));
	ADD(btf_builder_add_union(b, NULL, 4), 5);
	OK(btf_builder_add_member(b, "b", 1, 0, 0));
	OK(btf_builder_add_member(b, "c", c_type, 0, 0));
	return b;
}

START_TEST(anonymous_member_path)
{
	expect(nested(3), nested(1), "~ struct s: member '#1.c' type 'char' -> 'int'\n");
}
END_TEST

static struct btf_builder *enum_e(int64_t b_val, bool with_c)
{
	struct btf_builder *b = fresh();

	ADD(btf_builder_add_enum(b, "e", 4), 1);
	OK(btf_builder_add_enum_value(b, "A", 1));
	OK(btf_builder_add_enum_value(b, "B", b_val));
	if (with_c)
		OK(btf_builder_add_enum_value(b, "C", 7));
	return b;
}

START_TEST(enum_values)
{
	expect(enum_e(2, false), enum_e(3, false), "~ enum e: enumerator 'B' value 2 -> 3\n");
	expect(enum_e(2, false), enum_e(-1, false), "~ enum e: enumerator 'B' value 2 -> -1\n");
	expect(enum_e(2, false), enum_e(2, true), "~ enum e: enumerator 'C' added\n");
}
END_TEST

START_TEST(typedef_target)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_typedef(a, "t", 1), 4);
	ADD(btf_builder_add_typedef(b, "t", 2), 4);
	expect(a, b, "~ typedef t: type 'int' -> 'long int'\n");
}
END_TEST

/* long f(int n, char *p): param n of type n_type, varargs if asked. */
static struct btf_builder *func_f(uint32_t n_type, bool varargs, enum btf_linkage linkage)
{
	struct btf_builder *b = scalars();

	ADD(btf_builder_add_ptr(b, 3), 4);
	ADD(btf_builder_add_func_proto(b, 2), 5);
	OK(btf_builder_add_param(b, "n", n_type));
	OK(btf_builder_add_param(b, "p", 4));
	if (varargs)
		OK(btf_builder_add_param(b, NULL, 0));
	ADD(btf_builder_add_func(b, "f", linkage, 5), 6);
	return b;
}

START_TEST(func_proto)
{
	expect(func_f(1, false, BTF_BUILDER_GLOBAL), func_f(2, false, BTF_BUILDER_GLOBAL),
	       "~ func f: param 'n' type 'int' -> 'long int'\n");
	expect(func_f(1, false, BTF_BUILDER_GLOBAL), func_f(1, true, BTF_BUILDER_GLOBAL),
	       "~ func f: param '...' added\n");
	expect(func_f(1, false, BTF_BUILDER_GLOBAL), func_f(1, false, BTF_BUILDER_STATIC),
	       "~ func f: linkage global -> static\n");
}
END_TEST

START_TEST(func_ignored)
{
	struct btf_builder *b = func_f(1, false, BTF_BUILDER_GLOBAL);

	expect_ignoring(func_f(1, false, BTF_BUILDER_GLOBAL), func_f(2, false, BTF_BUILDER_GLOBAL),
			1u << BTF_KIND_FUNC, "");
	/* A pointer nothing compared refers to, on one side only: left out. */
	ck_assert_int_gt(btf_builder_add_ptr(b, 1), 0);
	expect_ignoring(func_f(1, false, BTF_BUILDER_GLOBAL), b, 1u << BTF_KIND_FUNC, "");
}
END_TEST

/* int v at 0 and char w at w_off of DATASEC .data. */
static struct btf_builder *vars(uint32_t v_type, uint32_t w_off)
{
	struct btf_builder *b = scalars();

	ADD(btf_builder_add_var(b, "v", BTF_BUILDER_GLOBAL, v_type), 4);
	ADD(btf_builder_add_var(b, "w", BTF_BUILDER_STATIC, 3), 5);
	ADD(btf_builder_add_datasec(b, ".data", 16), 6);
	OK(btf_builder_add_datasec_var(b, 4, 0, 8));
	OK(btf_builder_add_datasec_var(b, 5, w_off, 1));
	return b;
}

START_TEST(var_and_datasec)
{
	expect(vars(1, 8), vars(2, 8), "~ var v: type 'int' -> 'long int'\n");
	expect(vars(1, 8), vars(1, 12), "~ datasec .data: variable 'w' offset 8 -> 12\n");
	expect_ignoring(vars(1, 8), vars(2, 12),
			1u << BTF_KIND_VAR | 1u << BTF_KIND_DATASEC, "");
}
END_TEST

START_TEST(renamed_struct)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_struct(a, "old", 4), 4);
	OK(btf_builder_add_member(a, "x", 1, 0, 0));
	ADD(btf_builder_add_struct(b, "new", 4), 4);
	OK(btf_builder_add_member(b, "x", 1, 0, 0));
	expect(a, b, "+ struct new size=4 vlen=1\n"
		     "- struct old size=4 vlen=1\n");
}
END_TEST

/* A pointer to a FWD is not a pointer to the struct; a lone FWD shows. */
START_TEST(fwd_and_kinds)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_fwd(a, "t", false), 4);
	ADD(btf_builder_add_ptr(a, 4), 5);
	ADD(btf_builder_add_typedef(a, "tp", 5), 6);
	ADD(btf_builder_add_struct(b, "t", 0), 4);
	ADD(btf_builder_add_ptr(b, 4), 5);
	ADD(btf_builder_add_typedef(b, "tp", 5), 6);
	expect(a, b, "- fwd t struct\n"
		     "+ struct t size=0 vlen=0\n"
		     "~ typedef tp: type 'fwd struct t *' -> 'struct t *'\n");
}
END_TEST

/* Types nothing refers to are keyed by their shape; decl tags by target. */
START_TEST(anonymous_and_tags)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_ptr(a, 1), 4);
	ADD(btf_builder_add_struct(a, "s", 4), 5);
	OK(btf_builder_add_member(a, "x", 1, 0, 0));
	ADD(btf_builder_add_decl_tag(a, "user", 5, 0), 6);
	ADD(btf_builder_add_ptr(b, 2), 4);
	ADD(btf_builder_add_ptr(b, 2), 5);
	ADD(btf_builder_add_struct(b, "s", 4), 6);
	OK(btf_builder_add_member(b, "x", 1, 0, 0));
	ADD(btf_builder_add_decl_tag(b, "user", 6, -1), 7);
	expect(a, b, "+ decl_tag 'user on struct s'\n"
		     "- decl_tag 'user on struct s component 0'\n"
		     "- ptr (anon) 'int *'\n"
		     "+ ptr (anon) 'long int *'\n"
		     "+ ptr (anon) 'long int *'\n");
}
END_TEST

/* How anonymous types read: unreferenced ones show their whole shape. */
START_TEST(shapes_read_like_c)
{
	struct btf_builder *a = scalars(), *b = scalars();

	ADD(btf_builder_add_const(b, 3), 4);
	ADD(btf_builder_add_ptr(b, 4), 5);
	ADD(btf_builder_add_restrict(b, 5), 6);
	ADD(btf_builder_add_func_proto(b, 1), 7);
	OK(btf_builder_add_param(b, "s", 6));
	OK(btf_builder_add_param(b, NULL, 0));
	ADD(btf_builder_add_ptr(b, 7), 8);
	ADD(btf_builder_add_type_tag(b, "user", 1), 9);
	ADD(btf_builder_add_ptr(b, 9), 10);
	ADD(btf_builder_add_array(b, 10, 1, 4), 11);
	ADD(btf_builder_add_enum64(b, NULL, 8, true), 12);
	OK(btf_builder_add_enum64_value(b, "BIG", 1ull << 40));
	ADD(btf_builder_add_struct(b, NULL, 4), 13);
	OK(btf_builder_add_member(b, "f", 1, 0, 3));
	expect(a, b, "+ array (anon) 'int type_tag(user) * [4]'\n"
		     "+ enum64 (anon) 'enum64 {BIG=1099511627776} size=8'\n"
		     "+ ptr (anon) 'int (*)(char const * restrict s, ...)'\n"
		     "+ struct (anon) 'struct {int f:0:3} size=4'\n");
}
END_TEST

/* ptr -> const -> ptr -> ...: a loop C cannot write still has one text. */
START_TEST(anonymous_loop)
{
	struct btf_builder *a = fresh(), *b = fresh();

	ADD(btf_builder_add_ptr(a, 2), 1);
	ADD(btf_builder_add_const(a, 1), 2);
	ADD(btf_builder_add_typedef(a, "T", 1), 3);
	ADD(btf_builder_add_typedef(b, "T", 3), 1);
	ADD(btf_builder_add_const(b, 3), 2);
	ADD(btf_builder_add_ptr(b, 2), 3);
	expect(a, b, "");
	a = fresh();
	ADD(btf_builder_add_ptr(a, 2), 1);
	ADD(btf_builder_add_const(a, 1), 2);
	ADD(btf_builder_add_typedef(a, "T", 2), 3);
	b = fresh();
	ADD(btf_builder_add_ptr(b, 2), 1);
	ADD(btf_builder_add_const(b, 1), 2);
	ADD(btf_builder_add_typedef(b, "T", 1), 3);
	expect(a, b, "~ typedef T: type '<loop> * const' -> '<loop> const *'\n");
}
END_TEST

/* Split BTF: only own types count; base types read by name. */
START_TEST(split_own_types_only)
{
	struct btf_builder *base_a = scalars(), *base_b = scalars(), *a, *b;

	ADD(btf_builder_add_struct(base_b, "only_in_base", 4), 4);
	OK(btf_builder_add_member(base_b, "x", 1, 0, 0));
	OK(btf_builder_new_split(base_a, &a));
	OK(btf_builder_new_split(base_b, &b));
	ADD(btf_builder_add_ptr(a, 3), 4);
	ADD(btf_builder_add_typedef(a, "str", 4), 5);
	ADD(btf_builder_add_typedef(b, "str", 6), 5);
	ADD(btf_builder_add_ptr(b, 3), 6);
	expect(a, b, "");
	btf_builder_free(base_a);
	btf_builder_free(base_b);
}
END_TEST

START_TEST(missing_type_is_an_error)
{
	struct btf_builder *a = scalars(), *b = scalars();
	struct btf_diff *d = NULL;

	ADD(btf_builder_add_ptr(b, 99), 4);
	ck_assert_int_eq(btf_diff_new(a, b, NULL, &d), -EINVAL);
	ck_assert_ptr_null(d);
	OK(btf_diff_new(a, a, NULL, &d));
	ck_assert_uint_eq(d->items_len, 0);
	btf_diff_free(d);
	btf_builder_free(a);
	btf_builder_free(b);
}
END_TEST

START_TEST(kind_names)
{
	ck_assert_int_eq(btf_diff_kind_parse("decl_tag"), BTF_KIND_DECL_TAG);
	ck_assert_int_eq(btf_diff_kind_parse("enum64"), BTF_KIND_ENUM64);
	ck_assert_int_eq(btf_diff_kind_parse("structs"), -EINVAL);
	ck_assert_str_eq(btf_diff_kind_name(BTF_KIND_FUNC_PROTO), "func_proto");
	ck_assert_ptr_null(btf_diff_kind_name(0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diff");
	TCase *te = tcase_create("equal");
	TCase *tc = tcase_create("changes");
	SRunner *sr;
	int failed;

	tcase_add_test(te, equal_in_other_order);
	tcase_add_test(te, same_name_structs_equal);
	tcase_add_test(te, bitfield_encodings_equal);
	tcase_add_test(te, split_own_types_only);
	tcase_add_test(te, func_ignored);
	tcase_add_test(tc, same_name_structs_one_changes);
	tcase_add_test(tc, same_name_structs_both_change);
	tcase_add_test(tc, identical_copy_counted);
	tcase_add_test(tc, member_type);
	tcase_add_test(tc, member_offset);
	tcase_add_test(tc, struct_size);
	tcase_add_test(tc, member_added_removed);
	tcase_add_test(tc, member_moved_and_bitfield);
	tcase_add_test(tc, anonymous_member_path);
	tcase_add_test(tc, enum_values);
	tcase_add_test(tc, typedef_target);
	tcase_add_test(tc, func_proto);
	tcase_add_test(tc, var_and_datasec);
	tcase_add_test(tc, renamed_struct);
	tcase_add_test(tc, fwd_and_kinds);
	tcase_add_test(tc, anonymous_and_tags);
	tcase_add_test(tc, shapes_read_like_c);
	tcase_add_test(tc, anonymous_loop);
	tcase_add_test(tc, missing_type_is_an_error);
	tcase_add_test(tc, kind_names);
	suite_add_tcase(s, te);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
