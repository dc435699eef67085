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

#include "dwt_bytes.h"
#include "dwt_priv.h"

const unsigned dwt_slot_at[DWT_AT_NR] = {
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
	unsigned at = dwt_slot_at[slot];
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

/* The wanted slots of a libdw DIE. */
static void read_libdw(Dwarf_Die *die, const struct dwt_attrs_how *how, struct dwt_attrs *out)
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

/* The kept value k of a fast-path record as libdw's attribute. */
static void fast_attr(const struct dwt_cu *cu, const struct dwt_fdie *fd, int k,
		      Dwarf_Attribute *a)
{
	a->code = fd->ab->keep_at[k];
	a->form = fd->ab->keep_form[k];
	a->valp = (unsigned char *)cu->w->fvals[fd->vals + k];
	a->cu = cu->dwcu;
}

/*
 * dwarf_attr_integrate() (or, for a flag, dwarf_hasattr_integrate()) of a
 * slot from fast-path record i: the DIE's own attribute, or its abstract
 * origin's, or else its specification's, and so on, 17 DIEs at most. A
 * chain that leaves the unit is libdw's to follow: the unit goes to libdw.
 */
static bool fast_integrate(struct dwt_cu *cu, uint32_t i, int slot, Dwarf_Attribute *a)
{
	const struct dwt_fdie *fd = &cu->w->fdies[i];
	struct dwt_die next;
	Dwarf_Attribute ref;
	int chain = 16, k;

	do {
		if (fd->ab->pos[slot] >= 0) {
			fast_attr(cu, fd, fd->ab->pos[slot], a);
			return true;
		}
		k = fd->ab->pos[DWT_DEC_ORIGIN];
		if (k < 0)
			k = fd->ab->pos[DWT_AT_SPECIFICATION];
		if (k < 0)
			return false;
		fast_attr(cu, fd, k, &ref);
		if (!dwt_die_ref(cu, &ref, &next))
			return false;
		if (!next.fast) {
			cu->fast_failed = true;
			return false;
		}
		fd = &cu->w->fdies[next.fast - 1];
	} while (chain-- != 0);
	return false;
}

void dwt_attrs_read(struct dwt_cu *cu, struct dwt_die *die, const struct dwt_attrs_how *how,
		    struct dwt_attrs *out)
{
	const struct dwt_fdie *fd;
	uint32_t bits, redo;
	int slot;

	if (!die->fast) {
		read_libdw(&die->d, how, out);
		return;
	}
	fd = &cu->w->fdies[die->fast - 1];
	out->seen = bits = how->want & fd->ab->present;
	for (bits &= ~how->flag; bits; bits &= bits - 1) {
		slot = __builtin_ctz(bits);
		fast_attr(cu, fd, fd->ab->pos[slot], &out->a[slot]);
	}
	if (!fd->ab->inherits)
		return;
	for (redo = how->want & how->integrate & ~out->seen; redo; redo &= redo - 1) {
		slot = __builtin_ctz(redo);
		if (fast_integrate(cu, die->fast - 1, slot, &out->a[slot]))
			out->seen |= DWT_AT_BIT(slot);
	}
}

bool dwt_attrs_udata(struct dwt_attrs *as, int slot, uint64_t *v)
{
	Dwarf_Word w;

	if (!dwt_attrs_has(as, slot) || dwarf_formudata(&as->a[slot], &w))
		return false;
	*v = w;
	return true;
}

const char *dwt_attrs_str(const struct dwt_cu *cu, struct dwt_attrs *as, int slot)
{
	const Dwarf_Attribute *a = &as->a[slot];
	const struct dwt_dec *dec = &cu->f->dec;
	uint32_t off;

	if (!dwt_attrs_has(as, slot))
		return NULL;
	/* The names of the fast path's own unit: what dwarf_formstring()
	 * returns for a DW_FORM_strp, without its checks of the section. */
	if (a->form == DW_FORM_strp && dec->str && a->cu == cu->dwcu && cu->unit) {
		off = dwt_rd4(a->valp);
		if (off < dec->str_size)
			return (const char *)dec->str + off;
	}
	return dwarf_formstring(&as->a[slot]);
}
