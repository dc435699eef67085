// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_func.c - subprograms and top-scope variables into neutral records:
 * names through abstract origins and specifications, parameters with the
 * registers their locations name, variables with their static address.
 */
#include <errno.h>
#include <string.h>

#include <dwarf.h>

#include "dwt_priv.h"
#include "grow.h"

/* The register a one-operation DW_OP_entry_value expression names: regN,
 * regx, or regval_type's register; DWT_OTHER_REG for anything else (the
 * value is not simply a register's on entry). */
static unsigned entry_value_reg(const Dwarf_Op *op)
{
	if (op->atom >= DW_OP_reg0 && op->atom <= DW_OP_reg31)
		return op->atom - DW_OP_reg0;
	if ((op->atom == DW_OP_regx || op->atom == DW_OP_regval_type ||
	     op->atom == DW_OP_GNU_regval_type) && op->number < DWT_OTHER_REG)
		return (unsigned)op->number;
	return DWT_OTHER_REG;
}

/* The registers a location list names, packed as dwt.h describes. */
static uint64_t param_location(Dwarf_Die *param)
{
	unsigned first = DWT_NO_REG, last = DWT_NO_REG;
	uint32_t entry_regs = 0;
	Dwarf_Addr base, start, end;
	Dwarf_Attribute a, sub;
	Dwarf_Op *expr, *sexpr;
	size_t len, slen;
	ptrdiff_t off = 0;
	int i = 0;

	if (!dwarf_attr(param, DW_AT_location, &a))
		return (uint64_t)(dwarf_hasattr(param, DW_AT_const_value) ? DWT_LOC_CONST
									    : DWT_LOC_NONE) << 48 |
		       (uint64_t)DWT_NO_REG << 40 | (uint64_t)DWT_NO_REG << 32;
	while ((off = dwarf_getlocations(&a, off, &base, &start, &end, &expr, &len)) > 0) {
		if (len && expr[len - 1].atom == DW_OP_stack_value)
			len--;
		if (len == 1 && expr[0].atom >= DW_OP_reg0 && expr[0].atom <= DW_OP_reg31 && !i) {
			first = last = expr[0].atom - DW_OP_reg0;
		} else if (len == 1 && (expr[0].atom == DW_OP_entry_value ||
					expr[0].atom == DW_OP_GNU_entry_value) &&
			   !dwarf_getlocation_attr(&a, &expr[0], &sub) &&
			   !dwarf_getlocation(&sub, &sexpr, &slen) && slen == 1) {
			last = entry_value_reg(&sexpr[0]);
			if (last < 32)
				entry_regs |= 1u << last;
		}
		i++;
	}
	return (uint64_t)DWT_LOC_EXPR << 48 | (uint64_t)first << 40 | (uint64_t)last << 32 |
	       entry_regs;
}

static int read_params(struct dwt_cu *cu, Dwarf_Die *die, struct dwt_func *fn)
{
	Dwarf_Die child;
	int r, n;

	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		struct dwt_item *it;
		int64_t ref;

		if (dwarf_tag(&child) == DW_TAG_unspecified_parameters)
			fn->flags |= DWT_FN_VARARGS;
		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		ref = dwt_type_ref(cu, &child);
		if (ref < 0)
			return (int)ref;
		if (grow_array((void **)&cu->items, &cu->items_cap, sizeof(*cu->items),
			       cu->items_len + 1))
			return -ENOMEM;
		it = &cu->items[cu->items_len++];
		memset(it, 0, sizeof(*it));
		/* A concrete copy's param names its abstract origin's. */
		it->name = dwarf_diename(&child);
		it->type = (uint32_t)ref;
		it->value = param_location(&child);
		if (!it->name || !*it->name)
			fn->flags |= DWT_FN_UNNAMED;
		n = dwt_read_tags(cu, &child, (int32_t)fn->nparams);
		if (n < 0)
			return n;
		fn->ntags += (uint32_t)n;
		fn->nparams++;
	}
	return r < 0 ? -EINVAL : 0;
}

int dwt_read_func(struct dwt_cu *cu, Dwarf_Die *die)
{
	struct dwt_func fn = { 0 };
	int64_t ref;
	int err, n;

	if (dwarf_hasattr(die, DW_AT_declaration))
		return 0;
	fn.name = dwarf_diename(die);
	fn.die = dwarf_dieoffset(die);
	if (dwarf_hasattr_integrate(die, DW_AT_external))
		fn.flags |= DWT_FN_EXTERNAL;
	ref = dwt_type_ref(cu, die);
	if (ref < 0)
		return (int)ref;
	fn.ret = (uint32_t)ref;
	fn.first = (uint32_t)cu->items_len;
	fn.first_tag = (uint32_t)cu->tags_len;
	n = dwt_read_tags(cu, die, -1);
	if (n < 0)
		return n;
	fn.ntags = (uint32_t)n;
	err = read_params(cu, die, &fn);
	if (err)
		return err;
	err = grow_array((void **)&cu->funcs, &cu->funcs_cap, sizeof(*cu->funcs), cu->funcs_len + 1);
	if (err)
		return err;
	cu->funcs[cu->funcs_len++] = fn;
	return 0;
}

/* The static address of a location whose first operation gives one. */
static bool var_address(Dwarf_Die *die, uint64_t *addr)
{
	Dwarf_Attribute a, sub;
	Dwarf_Op *expr;
	Dwarf_Addr v;
	size_t len;

	if (!dwarf_attr(die, DW_AT_location, &a) || dwarf_getlocation(&a, &expr, &len) || !len)
		return false;
	if (expr[0].atom == DW_OP_addr) {
		*addr = expr[0].number;
		return true;
	}
	if ((expr[0].atom == DW_OP_addrx || expr[0].atom == DW_OP_GNU_addr_index) &&
	    !dwarf_getlocation_attr(&a, &expr[0], &sub) && !dwarf_formaddr(&sub, &v)) {
		*addr = v;
		return true;
	}
	return false;
}

int dwt_read_var(struct dwt_cu *cu, Dwarf_Die *die)
{
	struct dwt_var v = { 0 };
	Dwarf_Attribute a;
	Dwarf_Die spec, *named = die;
	int64_t ref;
	int err, n;

	if (dwarf_hasattr(die, DW_AT_artificial) || !var_address(die, &v.addr))
		return 0;
	/* A definition out of its declaration: name, type, linkage and tags
	 * are the declaration's. An abstract origin is not followed (gcc LTO's
	 * late copies have only that): pahole skips those as unnamed. */
	if (dwarf_attr(die, DW_AT_specification, &a) && dwarf_formref_die(&a, &spec))
		named = &spec;
	v.name = dwarf_attr(named, DW_AT_name, &a) ? dwarf_formstring(&a) : NULL;
	v.die = dwarf_dieoffset(die);
	v.external = dwarf_hasattr(named, DW_AT_external);
	ref = dwt_type_ref(cu, named);
	if (ref < 0)
		return (int)ref;
	v.type = (uint32_t)ref;
	v.first_tag = (uint32_t)cu->tags_len;
	n = dwt_read_tags(cu, named, -1);
	if (n < 0)
		return n;
	v.ntags = (uint32_t)n;
	err = grow_array((void **)&cu->vars, &cu->vars_cap, sizeof(*cu->vars), cu->vars_len + 1);
	if (err)
		return err;
	cu->vars[cu->vars_len++] = v;
	return 0;
}
