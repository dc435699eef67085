// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_func_policy - the function rules of encoder/func_policy.h, one test
 * per rule that can be shown on synthetic input (R4, R5, R7, R8); R1, R2,
 * R3, R5 and R6 on compiled C are in tests/func_policy.sh.
 */
#include <check.h>
#include <elf.h>
#include <stdlib.h>

#include "func_policy.h"
#include "testutil.h"

/* A location as the walker packs it (dwt.h). */
static uint64_t loc(unsigned kind, unsigned first, unsigned last, uint32_t entry)
{
	return (uint64_t)kind << 48 | (uint64_t)first << 40 | (uint64_t)last << 32 | entry;
}

/* R4: x86-64 passes the first six in rdi, rsi, rdx, rcx, r8, r9 (DWARF 5, 4,
 * 1, 2, 8, 9). */
START_TEST(r4_registers)
{
	ck_assert_uint_eq(func_policy_nr_regs(EM_X86_64), 6);
	ck_assert_int_eq(func_policy_reg(EM_X86_64, 0), 5);
	ck_assert_int_eq(func_policy_reg(EM_X86_64, 5), 9);
	ck_assert_int_eq(func_policy_reg(EM_X86_64, 6), -1);
	ck_assert_uint_eq(func_policy_nr_regs(EM_386), 0);
	/* in rdi: expected */
	ck_assert(!func_policy_param_unexpected(EM_X86_64, 0, loc(DWT_LOC_EXPR, 5, 5, 0)));
	/* first param in rsi: a reordered clone */
	ck_assert(func_policy_param_unexpected(EM_X86_64, 0, loc(DWT_LOC_EXPR, 4, 4, 0)));
	/* moved to rbx later, but DW_OP_entry_value(rdi) names the entry register */
	ck_assert(!func_policy_param_unexpected(EM_X86_64, 0,
						loc(DWT_LOC_EXPR, DWT_NO_REG, 3, 1u << 5)));
	/* on the stack (fbreg) at -O0: no register at all, nothing to say */
	ck_assert(!func_policy_param_unexpected(EM_X86_64, 1,
						loc(DWT_LOC_EXPR, DWT_NO_REG, DWT_NO_REG, 0)));
	/* optimized out: a constant, or no location: allowed (optimized_func) */
	ck_assert(!func_policy_param_unexpected(EM_X86_64, 2,
						loc(DWT_LOC_CONST, DWT_NO_REG, DWT_NO_REG, 0)));
	ck_assert(!func_policy_param_unexpected(EM_X86_64, 2,
						loc(DWT_LOC_NONE, DWT_NO_REG, DWT_NO_REG, 0)));
	/* an architecture without a register table checks nothing */
	ck_assert(!func_policy_param_unexpected(EM_386, 0, loc(DWT_LOC_EXPR, 4, 4, 0)));
}
END_TEST

/* Types for R4's struct exception, R5 and R7. */
enum { INT = 1, LONG, S, TD_S, C_TD_S, PK, PTR_S, U, FWD_S, C_INT, PROTO1, PROTO2, ARR4, ARR8 };

static struct btf_builder *types(void)
{
	struct btf_builder *b;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), INT);
	ck_assert_int_eq(btf_builder_add_int(b, "long", 8, 64, BTF_INT_SIGNED), LONG);
	ck_assert_int_eq(btf_builder_add_struct(b, "s", 16), S);
	ck_assert_int_eq(btf_builder_add_member(b, "a", INT, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "b", LONG, 64, 0), 0);
	ck_assert_int_eq(btf_builder_add_typedef(b, "s_t", S), TD_S);
	ck_assert_int_eq(btf_builder_add_const(b, TD_S), C_TD_S);
	/* struct pk { char c; long l; } __packed: 9 bytes, l misaligned */
	ck_assert_int_eq(btf_builder_add_struct(b, "pk", 9), PK);
	ck_assert_int_eq(btf_builder_add_member(b, "c", INT, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "l", LONG, 8, 0), 0);
	ck_assert_int_eq(btf_builder_add_ptr(b, S), PTR_S);
	ck_assert_int_eq(btf_builder_add_union(b, "u", 8), U);
	ck_assert_int_eq(btf_builder_add_fwd(b, "s", false), FWD_S);
	ck_assert_int_eq(btf_builder_add_const(b, INT), C_INT);
	ck_assert_int_eq(btf_builder_add_func_proto(b, INT), PROTO1);
	ck_assert_int_eq(btf_builder_add_param(b, NULL, INT), 0);
	ck_assert_int_eq(btf_builder_add_func_proto(b, INT), PROTO2);
	ck_assert_int_eq(btf_builder_add_param(b, NULL, LONG), 0);
	ck_assert_int_eq(btf_builder_add_array(b, INT, INT, 4), ARR4);
	ck_assert_int_eq(btf_builder_add_array(b, INT, INT, 8), ARR8);
	return b;
}

/* R4's exception: a struct by value, through const and typedef only. */
START_TEST(r4_struct_params)
{
	struct btf_builder *b = types();

	ck_assert(func_policy_is_struct(b, S));
	ck_assert(func_policy_is_struct(b, C_TD_S));
	ck_assert(!func_policy_is_struct(b, PTR_S));
	ck_assert(!func_policy_is_struct(b, U));
	ck_assert(!func_policy_is_struct(b, INT));
	btf_builder_free(b);
}
END_TEST

/* R5: a packed struct (no holes, a member off its alignment) is uncertain
 * on the stack; an ordinary one is not. */
START_TEST(r5_packed)
{
	struct btf_builder *b = types();

	ck_assert(func_policy_is_packed(b, PK));
	ck_assert(!func_policy_is_packed(b, S));
	ck_assert(!func_policy_is_packed(b, TD_S)); /* the direct type only */
	btf_builder_free(b);
}
END_TEST

/* R7: pahole's loose match. */
START_TEST(r7_types_match)
{
	struct btf_builder *b = types();

	ck_assert(func_policy_types_match(b, INT, INT));
	ck_assert(!func_policy_types_match(b, INT, LONG));
	ck_assert(!func_policy_types_match(b, INT, 0));
	ck_assert(func_policy_types_match(b, C_INT, INT)); /* const looked through */
	ck_assert(func_policy_types_match(b, S, FWD_S));   /* a FWD is its struct */
	ck_assert(!func_policy_types_match(b, S, U));
	ck_assert(func_policy_types_match(b, ARR4, ARR4));
	ck_assert(!func_policy_types_match(b, ARR4, ARR8));
	/* pahole compares a proto's count and return type, not its params */
	ck_assert(func_policy_types_match(b, PROTO1, PROTO2));
	btf_builder_free(b);
}
END_TEST

/* R8 */
START_TEST(r8_keep)
{
	ck_assert(func_policy_keep(0, true));
	ck_assert(!func_policy_keep(FN_UNEXPECTED_REG, true));
	ck_assert(!func_policy_keep(FN_UNCERTAIN_LOC, true));
	ck_assert(!func_policy_keep(FN_AMBIGUOUS, true));
	ck_assert(!func_policy_keep(FN_INCONSISTENT, true));
	ck_assert(func_policy_keep(FN_INCONSISTENT | FN_AMBIGUOUS, false));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("func_policy");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, r4_registers);
	tcase_add_test(tc, r4_struct_params);
	tcase_add_test(tc, r5_packed);
	tcase_add_test(tc, r7_types_match);
	tcase_add_test(tc, r8_keep);
	suite_add_tcase(s, tc);
	return test_run(s);
}
