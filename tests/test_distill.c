// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_distill - btf_builder_distill() and btf_builder_relocate(): a
 * module's BTF on the smallest base it needs (.BTF.base), and moved back
 * onto a full base, as the kernel does when it loads the module.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* [1] int, [2] struct device { int x; }, [3] device *, [4] typedef u32,
 * [5] enum64 e, [6] struct { int a; }, [7] struct unused, [8] FUNC_PROTO. */
static struct btf_builder *vmlinux(void)
{
	struct btf_builder *b = cu();

	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(b, "device", 4), 2);
	OK(btf_builder_add_member(b, "x", 1, 0, 0));
	ADD(btf_builder_add_ptr(b, 2), 3);
	ADD(btf_builder_add_typedef(b, "u32", 1), 4);
	ADD(btf_builder_add_enum64(b, "e", 8, false), 5);
	OK(btf_builder_add_enum64_value(b, "E_BIG", 1ULL << 40));
	ADD(btf_builder_add_struct(b, NULL, 4), 6);
	OK(btf_builder_add_member(b, "a", 1, 0, 0));
	ADD(btf_builder_add_struct(b, "unused", 4), 7);
	OK(btf_builder_add_member(b, "u", 1, 0, 0));
	ADD(btf_builder_add_func_proto(b, 1), 8);
	return b;
}

/* [9] struct m { device *d; u32 v; enum e e; struct {..} a; int i; } */
static struct btf_builder *module_on(struct btf_builder *base)
{
	struct btf_builder *m = cu_on(base);

	ADD(btf_builder_add_struct(m, "m", 32), 9);
	OK(btf_builder_add_member(m, "d", 3, 0, 0));
	OK(btf_builder_add_member(m, "v", 4, 64, 0));
	OK(btf_builder_add_member(m, "e", 5, 128, 0));
	OK(btf_builder_add_member(m, "a", 6, 192, 0));
	OK(btf_builder_add_member(m, "i", 1, 224, 0));
	return m;
}

/* A module on vmlinux() and its distillation, freed together. */
struct kit {
	struct btf_builder *base, *m, *dbase, *dsplit;
};

static void kit_distill(struct kit *k)
{
	OK(btf_builder_distill(k->m, &k->dbase, &k->dsplit));
}

static void kit_free(struct kit *k)
{
	btf_builder_free(k->dsplit);
	btf_builder_free(k->dbase);
	btf_builder_free(k->m);
	btf_builder_free(k->base);
}

static const char distilled_split[] = "[4] STRUCT 'm' size=32 vlen=5\n"
				      "\t'd' type_id=5 bits_offset=0\n"
				      "\t'v' type_id=6 bits_offset=64\n"
				      "\t'e' type_id=3 bits_offset=128\n"
				      "\t'a' type_id=7 bits_offset=192\n"
				      "\t'i' type_id=1 bits_offset=224\n"
				      "[5] PTR '(anon)' type_id=2\n"
				      "[6] TYPEDEF 'u32' type_id=1\n"
				      "[7] STRUCT '(anon)' size=4 vlen=1\n"
				      "\t'a' type_id=1 bits_offset=0\n";

START_TEST(distill_keeps_names_moves_references)
{
	struct kit k = { .base = vmlinux() };

	k.m = module_on(k.base);
	kit_distill(&k);
	assert_dump(k.dbase, INT_LINE(1)
		    "[2] STRUCT 'device' size=4 vlen=0\n"
		    "[3] ENUM 'e' encoding=UNSIGNED size=8 vlen=0\n");
	assert_dump(k.dsplit, distilled_split);
	ck_assert_ptr_eq(btf_builder_base(k.dsplit), k.dbase);
	/* The original is untouched. */
	ck_assert_uint_eq(btf_builder_type_cnt(k.m), 10);
	kit_free(&k);
}
END_TEST

/* Back onto the same base: the moved types stay in the split, on base ids. */
START_TEST(relocate_onto_original_base)
{
	struct kit k = { .base = vmlinux() };
	struct btf_builder *r, *flat;

	k.m = module_on(k.base);
	kit_distill(&k);
	OK(btf_builder_relocate(k.dsplit, k.base, &r));
	ck_assert_ptr_eq(btf_builder_base(r), k.base);
	assert_dump(r, "[9] STRUCT 'm' size=32 vlen=5\n"
		       "\t'd' type_id=10 bits_offset=0\n"
		       "\t'v' type_id=11 bits_offset=64\n"
		       "\t'e' type_id=5 bits_offset=128\n"
		       "\t'a' type_id=12 bits_offset=192\n"
		       "\t'i' type_id=1 bits_offset=224\n"
		       "[10] PTR '(anon)' type_id=2\n"
		       "[11] TYPEDEF 'u32' type_id=1\n"
		       "[12] STRUCT '(anon)' size=4 vlen=1\n"
		       "\t'a' type_id=1 bits_offset=0\n");
	OK(btf_builder_flatten(r, &flat));
	assert_loads(flat);
	btf_builder_free(flat);
	btf_builder_free(r);
	kit_free(&k);
}
END_TEST

/* Another kernel: types at other ids, a struct that grew, an enum now ENUM. */
START_TEST(relocate_onto_another_kernel)
{
	struct kit k = { .base = vmlinux() };
	struct btf_builder *other, *r;

	k.m = module_on(k.base);
	kit_distill(&k);
	other = cu();
	ADD(btf_builder_add_struct(other, "device", 8), 1);
	OK(btf_builder_add_member(other, "x", 3, 0, 0));
	OK(btf_builder_add_member(other, "y", 3, 32, 0));
	ADD(btf_builder_add_enum(other, "e", 8), 2);
	OK(btf_builder_add_enum_value(other, "E_X", 1));
	ADD(btf_builder_add_int(other, "int", 4, 32, BTF_INT_SIGNED), 3);
	OK(btf_builder_relocate(k.dsplit, other, &r));
	assert_dump(r, "[4] STRUCT 'm' size=32 vlen=5\n"
		       "\t'd' type_id=5 bits_offset=0\n"
		       "\t'v' type_id=6 bits_offset=64\n"
		       "\t'e' type_id=2 bits_offset=128\n"
		       "\t'a' type_id=7 bits_offset=192\n"
		       "\t'i' type_id=3 bits_offset=224\n"
		       "[5] PTR '(anon)' type_id=1\n"
		       "[6] TYPEDEF 'u32' type_id=3\n"
		       "[7] STRUCT '(anon)' size=4 vlen=1\n"
		       "\t'a' type_id=3 bits_offset=0\n");
	btf_builder_free(r);
	btf_builder_free(other);
	kit_free(&k);
}
END_TEST

/* A split struct holding a base struct by value needs the same size. */
START_TEST(relocate_embedded_needs_same_size)
{
	struct kit k = { .base = vmlinux() };
	struct btf_builder *other, *r;

	k.m = cu_on(k.base);
	ADD(btf_builder_add_typedef(k.m, "dev_t", 2), 9);
	ADD(btf_builder_add_struct(k.m, "holder", 4), 10);
	OK(btf_builder_add_member(k.m, "dev", 9, 0, 0));
	kit_distill(&k);
	other = cu();
	ADD(btf_builder_add_struct(other, "device", 8), 1);
	ck_assert_int_eq(btf_builder_relocate(k.dsplit, other, &r), -ENOENT);
	ck_assert_ptr_null(r);
	/* Same size: it matches. */
	OK(btf_builder_relocate(k.dsplit, k.base, &r));
	assert_dump(r, "[9] TYPEDEF 'dev_t' type_id=2\n"
		       "[10] STRUCT 'holder' size=4 vlen=1\n"
		       "\t'dev' type_id=9 bits_offset=0\n");
	btf_builder_free(r);
	btf_builder_free(other);
	kit_free(&k);
}
END_TEST

START_TEST(relocate_refuses_missing_and_ambiguous)
{
	struct kit k = { .base = vmlinux() };
	struct btf_builder *other, *r;

	k.m = module_on(k.base);
	kit_distill(&k);
	/* No 'e' in the base. */
	other = cu();
	ADD(btf_builder_add_int(other, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(other, "device", 4), 2);
	ck_assert_int_eq(btf_builder_relocate(k.dsplit, other, &r), -ENOENT);
	/* An 'int' of another encoding is no match either. */
	btf_builder_free(other);
	other = cu();
	ADD(btf_builder_add_int(other, "int", 4, 32, 0), 1);
	ADD(btf_builder_add_struct(other, "device", 4), 2);
	ADD(btf_builder_add_enum(other, "e", 8), 3);
	ck_assert_int_eq(btf_builder_relocate(k.dsplit, other, &r), -ENOENT);
	/* Two 'device' of one size: which one is meant cannot be told. */
	btf_builder_free(other);
	other = cu();
	ADD(btf_builder_add_int(other, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(other, "device", 4), 2);
	ADD(btf_builder_add_struct(other, "device", 4), 3);
	ADD(btf_builder_add_enum(other, "e", 8), 4);
	ck_assert_int_eq(btf_builder_relocate(k.dsplit, other, &r), -EINVAL);
	/* A split not on a distilled base. */
	ck_assert_int_eq(btf_builder_relocate(k.m, other, &r), -EINVAL);
	btf_builder_free(other);
	kit_free(&k);
}
END_TEST

START_TEST(distill_refuses_base_func_and_no_base)
{
	struct btf_builder *base = vmlinux(), *m, *dbase, *dsplit;

	ADD(btf_builder_add_func(base, "f", BTF_BUILDER_GLOBAL, 8), 9);
	m = cu_on(base);
	ADD(btf_builder_add_decl_tag(m, "tag", 9, -1), 10);
	ck_assert_int_eq(btf_builder_distill(m, &dbase, &dsplit), -EINVAL);
	ck_assert_ptr_null(dbase);
	ck_assert_int_eq(btf_builder_distill(base, &dbase, &dsplit), -EINVAL);
	btf_builder_free(m);
	btf_builder_free(base);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("distill");
	TCase *tc = tcase_create("distill");

	tcase_add_test(tc, distill_keeps_names_moves_references);
	tcase_add_test(tc, relocate_onto_original_base);
	tcase_add_test(tc, relocate_onto_another_kernel);
	tcase_add_test(tc, relocate_embedded_needs_same_size);
	tcase_add_test(tc, relocate_refuses_missing_and_ambiguous);
	tcase_add_test(tc, distill_refuses_base_func_and_no_base);
	suite_add_tcase(s, tc);
	return test_run(s);
}
