/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * func_policy.h - which functions get a FUNC in BTF, as pahole v1.31 decides
 * with the kernel's features (optimized_func, consistent_func). Each rule has
 * a test in tests/test_func_policy.c.
 *
 * Per DWARF function (one "state" per compile unit that has it):
 *  R1  a declaration gets nothing (the walker drops those);
 *  R2  every parameter must have a name, or the function is skipped;
 *  R3  its name must be an STT_FUNC symbol of the object once a ".suffix"
 *      is cut (foo.isra.0, foo.constprop.0 -> foo); symbols whose suffix holds
 *      ".cold" or ".part" are pieces, not functions;
 *  R4  a parameter among the first N (the ABI's argument registers: 6 on
 *      x86-64) that does not sit in its expected register on entry marks the
 *      function "unexpected register" -- unless a parameter is a struct passed
 *      by value (through const and typedef), which may take several registers;
 *      a parameter optimized away (no register, a constant) is allowed
 *      (optimized_func): the declared prototype is encoded;
 *  R5  a named packed struct passed by value beyond the register parameters
 *      (on the stack) makes the location uncertain;
 * Per function name, all states together:
 *  R6  several symbols of the name at different addresses: ambiguous;
 *  R7  (consistent_func) states whose prototypes disagree (parameter count,
 *      return or parameter types by pahole's loose match) are inconsistent;
 *  R8  a function flagged by R4 to R7 gets no FUNC; the others get one, with
 *      the first state's prototype, linkage static, in name order.
 */
#ifndef BTFENC_FUNC_POLICY_H
#define BTFENC_FUNC_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "btf.h"
#include "dwt.h"

#define FN_UNEXPECTED_REG	0x01	/* R4 */
#define FN_UNCERTAIN_LOC	0x02	/* R5 */
#define FN_AMBIGUOUS		0x04	/* R6 */
#define FN_INCONSISTENT		0x08	/* R7 */

/* The argument registers of an ELF machine: how many, and the DWARF
 * register number each is expected in (-1: unknown, no check). */
unsigned func_policy_nr_regs(uint16_t machine);
int func_policy_reg(uint16_t machine, unsigned index);

/* R4 for one parameter. Returns: true if it is in an unexpected register. */
bool func_policy_param_unexpected(uint16_t machine, unsigned index, uint64_t loc);

/* R4's exception and R5 need the types: ids of this unit in b. */
bool func_policy_is_struct(const struct btf_builder *b, uint32_t id);
bool func_policy_is_packed(const struct btf_builder *b, uint32_t id);

/* R7: pahole's loose comparison of two types of one builder. */
bool func_policy_types_match(const struct btf_builder *b, uint32_t a, uint32_t c);

/* R8 with or without consistent_func. */
static inline bool func_policy_keep(uint32_t flags, bool consistent)
{
	return !consistent || !flags;
}

#endif
