// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_func.c - subprograms and top-scope variables into neutral records:
 * names through abstract origins and specifications, parameters with the
 * registers their locations name, variables with their static address.
 */
#include <errno.h>
#include <pthread.h>
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

/*
 * libdw interns the expression inside a DW_OP_entry_value of a location
 * list in a cache of one fake unit that the whole file shares, which two
 * threads must not fill at once (unlocked, it crashed: a corrupted search
 * tree). Units are walked in parallel, so that one lookup takes a lock; the
 * lists themselves are cached per unit, which one thread walks.
 */
static pthread_mutex_t entry_value_lock = PTHREAD_MUTEX_INITIALIZER;

/* The register of a one-operation DW_OP_entry_value op of a's list, or
 * DWT_NO_REG when the expression inside is not a single operation. */
static unsigned entry_value_of(Dwarf_Attribute *a, Dwarf_Op *op)
{
	unsigned reg = DWT_NO_REG;
	Dwarf_Attribute sub;
	Dwarf_Op *sexpr;
	size_t slen;

	pthread_mutex_lock(&entry_value_lock);
	if (!dwarf_getlocation_attr(a, op, &sub) && !dwarf_getlocation(&sub, &sexpr, &slen) &&
	    slen == 1)
		reg = entry_value_reg(&sexpr[0]);
	pthread_mutex_unlock(&entry_value_lock);
	return reg;
}

/* The registers a param's location list names, packed as dwt.h describes,
 * from a read of DWT_AT_LOCATION and the flag DWT_AT_CONST_VALUE. */
static uint64_t param_location(const struct dwt_cu *cu, struct dwt_attrs *p)
{
	unsigned first = DWT_NO_REG, last = DWT_NO_REG, reg;
	Dwarf_Attribute *a = &p->a[DWT_AT_LOCATION];
	uint32_t entry_regs = 0;
	Dwarf_Addr base, start, end;
	Dwarf_Op *expr;
	uint64_t packed;
	size_t len;
	ptrdiff_t off = 0;
	int i = 0;

	if (!dwt_attrs_has(p, DWT_AT_LOCATION))
		return (uint64_t)(dwt_attrs_has(p, DWT_AT_CONST_VALUE) ? DWT_LOC_CONST
								       : DWT_LOC_NONE) << 48 |
		       (uint64_t)DWT_NO_REG << 40 | (uint64_t)DWT_NO_REG << 32;
	if (dwt_loc_regs(cu, a, &packed))
		return packed;
	while ((off = dwarf_getlocations(a, off, &base, &start, &end, &expr, &len)) > 0) {
		if (len && expr[len - 1].atom == DW_OP_stack_value)
			len--;
		if (len == 1 && expr[0].atom >= DW_OP_reg0 && expr[0].atom <= DW_OP_reg31 && !i) {
			first = last = expr[0].atom - DW_OP_reg0;
		} else if (len == 1 && (expr[0].atom == DW_OP_entry_value ||
					expr[0].atom == DW_OP_GNU_entry_value) &&
			   (reg = entry_value_of(a, &expr[0])) != DWT_NO_REG) {
			last = reg;
			if (last < 32)
				entry_regs |= 1u << last;
		}
		i++;
	}
	return (uint64_t)DWT_LOC_EXPR << 48 | (uint64_t)first << 40 | (uint64_t)last << 32 |
	       entry_regs;
}

/* The params of subprogram die; *tagged tells whether die has an
 * annotation child (a tag of the function's own). */
static int read_params(struct dwt_cu *cu, struct dwt_die *die, struct dwt_func *fn, bool *tagged)
{
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(TYPE) | DWT_AT(NAME) | DWT_AT(LOCATION) | DWT_AT(CONST_VALUE),
		.integrate = DWT_AT(TYPE) | DWT_AT(NAME),
		.flag = DWT_AT(CONST_VALUE),
	};
	struct dwt_die child;
	int r, n;

	*tagged = false;
	for (r = dwt_die_child(cu, die, &child); r == 0; r = dwt_die_sibling(cu, &child, &child)) {
		int tag = dwt_die_tag(cu, &child);
		struct dwt_attrs p;
		struct dwt_item *it;
		int64_t ref;

		if (tag == DW_TAG_unspecified_parameters)
			fn->flags |= DWT_FN_VARARGS;
		if (tag != DW_TAG_formal_parameter) {
			*tagged |= dwt_tag_is_annotation(tag);
			continue;
		}
		dwt_attrs_read(cu, &child, &how, &p);
		ref = dwt_attrs_type_ref(cu, &child, &p);
		if (ref < 0)
			return (int)ref;
		if (grow_array((void **)&cu->items, &cu->items_cap, sizeof(*cu->items),
			       cu->items_len + 1))
			return -ENOMEM;
		it = &cu->items[cu->items_len++];
		memset(it, 0, sizeof(*it));
		/* A concrete copy's param names its abstract origin's. */
		it->name = dwt_attrs_str(cu, &p, DWT_AT_NAME);
		it->type = (uint32_t)ref;
		it->value = param_location(cu, &p);
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

static void tags_reverse(struct dwt_tag *tags, size_t i, size_t j)
{
	struct dwt_tag t;

	for (; i + 1 < j; i++, j--) {
		t = tags[i];
		tags[i] = tags[j - 1];
		tags[j - 1] = t;
	}
}

/* Moves the last n tags in front of the others from first on. */
static void tags_rotate(struct dwt_cu *cu, size_t first, size_t n)
{
	size_t mid = cu->tags_len - n;

	tags_reverse(cu->tags, first, mid);
	tags_reverse(cu->tags, mid, cu->tags_len);
	tags_reverse(cu->tags, first, cu->tags_len);
}

int dwt_read_func(struct dwt_cu *cu, struct dwt_die *die)
{
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(NAME) | DWT_AT(EXTERNAL) | DWT_AT(TYPE),
		.integrate = DWT_AT(NAME) | DWT_AT(EXTERNAL) | DWT_AT(TYPE),
		.flag = DWT_AT(EXTERNAL),
	};
	struct dwt_func fn = { 0 };
	struct dwt_attrs as;
	bool tagged;
	int64_t ref;
	int err, n;

	/* dwarf_hasattr() reads the abbreviation only, not the DIE: the
	 * cheapest way past the many declarations. */
	if (dwt_die_hasattr(cu, die, DWT_AT_DECLARATION))
		return 0;
	dwt_attrs_read(cu, die, &how, &as);
	fn.name = dwt_attrs_str(cu, &as, DWT_AT_NAME);
	fn.die = dwt_die_offset(cu, die);
	if (dwt_attrs_has(&as, DWT_AT_EXTERNAL))
		fn.flags |= DWT_FN_EXTERNAL;
	ref = dwt_attrs_type_ref(cu, die, &as);
	if (ref < 0)
		return (int)ref;
	fn.ret = (uint32_t)ref;
	fn.first = (uint32_t)cu->items_len;
	fn.first_tag = (uint32_t)cu->tags_len;
	err = read_params(cu, die, &fn, &tagged);
	if (err)
		return err;
	/* The function's own tags go before its params' tags. One pass over
	 * the children found whether it has any: read them now, then move them
	 * in front, rather than pass over every child once more. */
	if (tagged) {
		n = dwt_read_tags(cu, die, -1);
		if (n < 0)
			return n;
		tags_rotate(cu, fn.first_tag, (size_t)n);
		fn.ntags += (uint32_t)n;
	}
	err = grow_array((void **)&cu->funcs, &cu->funcs_cap, sizeof(*cu->funcs), cu->funcs_len + 1);
	if (err)
		return err;
	cu->funcs[cu->funcs_len++] = fn;
	return 0;
}

/* The static address of a location, DWT_AT_LOCATION of a read, whose first
 * operation gives one. */
static bool var_address(const struct dwt_cu *cu, struct dwt_attrs *as, uint64_t *addr)
{
	Dwarf_Attribute *a = &as->a[DWT_AT_LOCATION], sub;
	Dwarf_Op *expr;
	Dwarf_Addr v;
	size_t len;
	bool has;

	if (!dwt_attrs_has(as, DWT_AT_LOCATION))
		return false;
	if (dwt_loc_addr(cu, a, &has, addr))
		return has;
	if (dwarf_getlocation(a, &expr, &len) || !len)
		return false;
	if (expr[0].atom == DW_OP_addr) {
		*addr = expr[0].number;
		return true;
	}
	if ((expr[0].atom == DW_OP_addrx || expr[0].atom == DW_OP_GNU_addr_index) &&
	    !dwarf_getlocation_attr(a, &expr[0], &sub) && !dwarf_formaddr(&sub, &v)) {
		*addr = v;
		return true;
	}
	return false;
}

int dwt_read_var(struct dwt_cu *cu, struct dwt_die *die)
{
	/* All on the DIE alone but the type, which a missing DW_AT_type
	 * leaves to dwt_type_ref() (integrating) below. */
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(ARTIFICIAL) | DWT_AT(LOCATION) | DWT_AT(SPECIFICATION) |
			DWT_AT(NAME) | DWT_AT(EXTERNAL) | DWT_AT(TYPE),
		.flag = DWT_AT(ARTIFICIAL) | DWT_AT(EXTERNAL),
	};
	static const struct dwt_attrs_how named_how = {
		.want = DWT_AT(NAME) | DWT_AT(EXTERNAL) | DWT_AT(TYPE),
		.flag = DWT_AT(EXTERNAL),
	};
	struct dwt_var v = { 0 };
	struct dwt_die spec, *named = die;
	struct dwt_attrs as;
	int64_t ref;
	int err, n;

	dwt_attrs_read(cu, die, &how, &as);
	if (dwt_attrs_has(&as, DWT_AT_ARTIFICIAL) || !var_address(cu, &as, &v.addr))
		return 0;
	/* A definition out of its declaration: name, type, linkage and tags
	 * are the declaration's. An abstract origin is not followed (gcc LTO's
	 * late copies have only that): pahole skips those as unnamed. */
	if (dwt_attrs_has(&as, DWT_AT_SPECIFICATION) &&
	    dwt_die_ref(cu, &as.a[DWT_AT_SPECIFICATION], &spec)) {
		named = &spec;
		dwt_attrs_read(cu, named, &named_how, &as);
	}
	v.name = dwt_attrs_str(cu, &as, DWT_AT_NAME);
	v.die = dwt_die_offset(cu, die);
	v.external = dwt_attrs_has(&as, DWT_AT_EXTERNAL);
	ref = dwt_attrs_has(&as, DWT_AT_TYPE)
		      ? dwt_type_ref_attr(cu, named, &as.a[DWT_AT_TYPE])
		      : dwt_type_ref(cu, named);
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
