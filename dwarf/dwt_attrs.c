// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_attrs.c - the attributes of one DIE in one dwarf_getattrs() pass.
 *
 * libdw has no attribute index: dwarf_attr(), dwarf_hasattr() and
 * dwarf_diename() decode the DIE from its start for each attribute, and an
 * integrating lookup that misses does it three times (the attribute, then
 * DW_AT_abstract_origin, then DW_AT_specification). The walk asks a member
 * or a type DIE for up to nine attributes, most of them missing, 14 M DIEs
 * long. One pass finds them all.
 *
 * The result is what the named lookups would return, to the byte:
 * - dwarf_attr() returns the first attribute of that name, so the pass keeps
 *   the first one;
 * - an integrating lookup returns the DIE's own attribute when it has one,
 *   and follows the DIE's abstract origin or specification only when it
 *   has none, so only a slot missing from a DIE that has one of those is
 *   looked up again, with the integrating call itself;
 * - a DIE the pass cannot decode to its end gets each lookup as before,
 *   which finds whatever lies before the damage.
 */
#include <dwarf.h>

#include "dwt_priv.h"

/* Each slot's DW_AT_*. */
static const unsigned slot_at[DWT_AT_NR] = {
#define DWT_AT_CODE(slot, at) [DWT_AT_##slot] = at,
	DWT_ATTRS(DWT_AT_CODE)
#undef DWT_AT_CODE
};

struct gather {
	struct dwt_attrs *out;
	uint32_t want;		/* the slots asked for */
	bool inherits;		/* the DIE has an abstract origin or specification */
};

static int gather_one(Dwarf_Attribute *a, void *arg)
{
	struct gather *g = arg;
	unsigned at = dwarf_whatattr(a);
	uint32_t bit;
	int slot;

	switch (at) {
#define DWT_AT_CASE(name, code)                                                                    \
	case code:                                                                                 \
		slot = DWT_AT_##name;                                                              \
		break;
		DWT_ATTRS(DWT_AT_CASE)
#undef DWT_AT_CASE
	default:
		slot = -1;
		break;
	}
	if (at == DW_AT_abstract_origin || at == DW_AT_specification)
		g->inherits = true;
	if (slot < 0)
		return DWARF_CB_OK;
	bit = DWT_AT_BIT(slot);
	if ((g->want & bit) && !(g->out->seen & bit)) {
		g->out->seen |= bit;
		g->out->a[slot] = *a;
	}
	return DWARF_CB_OK;
}

/* The lookup of one slot, as libdw's own functions do it. */
static void lookup(Dwarf_Die *die, const struct dwt_attrs_how *how, int slot,
		   struct dwt_attrs *out)
{
	uint32_t bit = DWT_AT_BIT(slot);
	unsigned at = slot_at[slot];
	bool found;

	if (how->flag & bit)
		found = ((how->integrate & bit) ? dwarf_hasattr_integrate(die, at)
						: dwarf_hasattr(die, at)) > 0;
	else
		found = ((how->integrate & bit) ? dwarf_attr_integrate(die, at, &out->a[slot])
						: dwarf_attr(die, at, &out->a[slot])) != NULL;
	if (found)
		out->seen |= bit;
}

void dwt_attrs_read(Dwarf_Die *die, const struct dwt_attrs_how *how, struct dwt_attrs *out)
{
	struct gather g = { out, how->want, false };
	uint32_t redo;
	int slot;

	out->seen = 0;
	if (dwarf_getattrs(die, gather_one, &g, 0) == 1) {
		if (!g.inherits)
			return;
		redo = how->want & how->integrate & ~out->seen;
	} else {
		out->seen = 0;
		redo = how->want;
	}
	for (slot = 0; slot < DWT_AT_NR; slot++)
		if (redo & DWT_AT_BIT(slot))
			lookup(die, how, slot, out);
}

bool dwt_attrs_udata(struct dwt_attrs *as, int slot, uint64_t *v)
{
	Dwarf_Word w;

	if (!dwt_attrs_has(as, slot) || dwarf_formudata(&as->a[slot], &w))
		return false;
	*v = w;
	return true;
}

const char *dwt_attrs_str(struct dwt_attrs *as, int slot)
{
	return dwt_attrs_has(as, slot) ? dwarf_formstring(&as->a[slot]) : NULL;
}
