// SPDX-License-Identifier: GPL-2.0-only
/*
 * func_policy.c - the function rules of func_policy.h.
 */
#include <elf.h>
#include <string.h>

#include "btf_rec.h"
#include "func_policy.h"

/* DWARF register numbers of the x86-64 argument registers rdi, rsi, rdx,
 * rcx, r8, r9. */
static const int x86_64_regs[] = { 5, 4, 1, 2, 8, 9 };

unsigned func_policy_nr_regs(uint16_t machine)
{
	switch (machine) {
	case EM_S390:
		return 5;
	case EM_SPARC:
	case EM_SPARCV9:
	case EM_X86_64:
		return 6;
	case EM_AARCH64:
	case EM_ARM:
	case EM_ARC:
	case EM_MIPS:
	case EM_PPC:
	case EM_PPC64:
	case EM_RISCV:
		return 8;
	default:
		return 0;
	}
}

int func_policy_reg(uint16_t machine, unsigned index)
{
	if (index >= func_policy_nr_regs(machine))
		return -1;
	switch (machine) {
	case EM_X86_64:
		return x86_64_regs[index];
	case EM_AARCH64:
	case EM_ARM:
		return (int)index;
	case EM_S390:
		return (int)index + 2;
	default:
		return -1;
	}
}

bool func_policy_param_unexpected(uint16_t machine, unsigned index, uint64_t loc)
{
	int want = func_policy_reg(machine, index);
	unsigned reg;

	if (want < 0 || dwt_loc_kind(loc) != DWT_LOC_EXPR)
		return false;
	/* The expected register anywhere it can be named wins. */
	if (dwt_loc_first_reg(loc) == (unsigned)want ||
	    (want < 32 && (dwt_loc_entry_regs(loc) & (1u << want))))
		return false;
	reg = dwt_loc_last_reg(loc);
	/* No register at all: optimized away, which optimized_func allows. */
	return reg != DWT_NO_REG && reg != (unsigned)want;
}

bool func_policy_is_struct(const struct btf_builder *b, uint32_t id)
{
	const struct btf_type *t;
	int n;

	for (n = 0; n < 32 && id; n++) {
		t = btf_builder_type(b, id);
		if (!t)
			return false;
		if (btf_type_kind(t) != BTF_KIND_CONST && btf_type_kind(t) != BTF_KIND_TYPEDEF)
			return btf_type_kind(t) == BTF_KIND_STRUCT;
		id = t->type;
	}
	return false;
}

/* Natural alignment of a type, as a compiler lays it out unpacked. */
static uint32_t natural_align(const struct btf_builder *b, uint32_t id, int depth)
{
	const struct btf_type *t = btf_builder_type(b, id);
	const struct btf_member *m;
	uint32_t i, a, max = 1;

	if (!t || depth > 32)
		return 1;
	switch (btf_type_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return t->size ? t->size : 1;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY:
		return natural_align(b, ((const struct btf_array *)btf_type_data(t))->type, depth + 1);
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return natural_align(b, t->type, depth + 1);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		m = btf_type_data(t);
		for (i = 0; i < btf_type_vlen(t); i++) {
			a = natural_align(b, m[i].type, depth + 1);
			max = a > max ? a : max;
		}
		return max;
	default:
		return 1;
	}
}

static uint32_t type_bytes(const struct btf_builder *b, uint32_t id)
{
	const struct btf_type *t;
	int n;

	for (n = 0; n < 32; n++) {
		t = btf_builder_type(b, id);
		if (!t)
			return 0;
		switch (btf_type_kind(t)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_PTR:
			return 8;
		case BTF_KIND_ARRAY:
			return ((const struct btf_array *)btf_type_data(t))->nelems *
			       type_bytes(b, ((const struct btf_array *)btf_type_data(t))->type);
		default:
			return t->size;
		}
	}
	return 0;
}

/* pahole's inference: no holes and no tail padding, yet a member off its
 * natural alignment or a size that is not a multiple of the largest one. */
bool func_policy_is_packed(const struct btf_builder *b, uint32_t id)
{
	const struct btf_type *t = btf_builder_type(b, id);
	const struct btf_member *m;
	uint32_t i, end = 0, max = 1, a, off;
	bool misaligned = false;

	if (!t || btf_type_kind(t) != BTF_KIND_STRUCT || !t->name_off)
		return false;
	m = btf_type_data(t);
	for (i = 0; i < btf_type_vlen(t); i++) {
		if (btf_member_bits(t, &m[i]))
			return false;
		off = btf_member_offset(t, &m[i]) / 8;
		if (off > end)
			return false;
		a = natural_align(b, m[i].type, 0);
		max = a > max ? a : max;
		misaligned = misaligned || (a > 1 && off % a);
		if (off + type_bytes(b, m[i].type) > end)
			end = off + type_bytes(b, m[i].type);
	}
	if (end < t->size)
		return false;
	return misaligned || t->size % max;
}

static uint32_t match_kind(const struct btf_type *t)
{
	if (btf_type_kind(t) == BTF_KIND_FWD)
		return btf_type_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
	return btf_type_kind(t);
}

static bool match(const struct btf_builder *b, uint32_t a, uint32_t c, int depth)
{
	const struct btf_type *ta, *tc;

	if (a == c)
		return true;
	if (!a || !c || depth > 64)
		return false;
	ta = btf_builder_type(b, a);
	tc = btf_builder_type(b, c);
	if (!ta || !tc)
		return false;
	if (match_kind(ta) != match_kind(tc)) {
		/* const is looked through, on either side */
		if (btf_type_kind(ta) == BTF_KIND_CONST)
			return match(b, ta->type, c, depth + 1);
		if (btf_type_kind(tc) == BTF_KIND_CONST)
			return match(b, a, tc->type, depth + 1);
		return false;
	}
	switch (match_kind(ta)) {
	case BTF_KIND_INT:
		return ta->size == tc->size && btf_int_data(ta) == btf_int_data(tc) &&
		       ta->name_off == tc->name_off;
	case BTF_KIND_FLOAT:
		return ta->size == tc->size && ta->name_off == tc->name_off;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		/* by name only, as pahole compares them */
		return ta->name_off == tc->name_off;
	case BTF_KIND_PTR:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return match(b, ta->type, tc->type, depth + 1);
	case BTF_KIND_ARRAY:
		return ((const struct btf_array *)btf_type_data(ta))->nelems ==
			       ((const struct btf_array *)btf_type_data(tc))->nelems &&
		       match(b, ((const struct btf_array *)btf_type_data(ta))->type,
			     ((const struct btf_array *)btf_type_data(tc))->type, depth + 1);
	case BTF_KIND_FUNC_PROTO:
		/* pahole compares the count and the return type only */
		return btf_type_vlen(ta) == btf_type_vlen(tc) &&
		       match(b, ta->type, tc->type, depth + 1);
	default:
		return false;
	}
}

bool func_policy_types_match(const struct btf_builder *b, uint32_t a, uint32_t c)
{
	return match(b, a, c, 0);
}
