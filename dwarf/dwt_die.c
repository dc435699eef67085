// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_die.c - a DIE of either kind: a record of the fast path's decode of
 * the unit being walked (dwt_dec.c), or libdw's Dwarf_Die for any other
 * (a unit walked through libdw, a DIE of another unit). Each call answers
 * as the libdw call of the same name would; what the fast path cannot
 * answer exactly marks the unit for a walk through libdw.
 */
#include <dwarf.h>

#include "dwt_bytes.h"
#include "dwt_priv.h"

bool dwt_die_hasattr(const struct dwt_cu *cu, struct dwt_die *d, int slot)
{
	if (d->fast)
		return cu->w->fdies[d->fast - 1].ab->pos[slot] >= 0;
	return dwarf_hasattr(&d->d, dwt_slot_at[slot]) > 0;
}

/* Whether off lies in the unit the fast path decoded. */
static bool in_unit(const struct dwt_cu *cu, uint64_t off)
{
	return cu->unit && off >= cu->unit->start && off < cu->unit->end;
}

bool dwt_die_at(struct dwt_cu *cu, uint64_t off, struct dwt_die *out)
{
	int64_t i;

	if (in_unit(cu, off)) {
		/* What libdw would make of an offset that is no DIE of the
		 * decode is its own to say. */
		i = dwt_dec_find(cu, off);
		if (i < 0) {
			cu->fast_failed = true;
			return false;
		}
		out->fast = (uint32_t)i + 1;
		return true;
	}
	out->fast = 0;
	if (off & DWT_ALT_OFF) {
		Dwarf *alt = dwarf_getalt(cu->f->dw);

		return alt && dwarf_offdie(alt, off & ~DWT_ALT_OFF, &out->d) != NULL;
	}
	return dwarf_offdie(cu->dw, off, &out->d) != NULL;
}

bool dwt_die_ref_off(struct dwt_cu *cu, Dwarf_Attribute *a, uint64_t *off)
{
	Dwarf_Die target;
	uint64_t rel;

	if (cu->unit && a->cu == cu->dwcu &&
	    dwt_unit_ref(a->form, a->valp, cu->f->dec.info + cu->unit->end, &rel)) {
		if (rel >= cu->unit->end - cu->unit->start) {
			cu->fast_failed = true;
			return false;
		}
		*off = cu->unit->start + rel;
		return true;
	}
	if (!dwarf_formref_die(a, &target))
		return false;
	*off = dwt_libdw_offset(cu, &target);
	return true;
}

bool dwt_die_ref(struct dwt_cu *cu, Dwarf_Attribute *a, struct dwt_die *target)
{
	uint64_t off;

	if (cu->unit && a->cu == cu->dwcu)
		return dwt_die_ref_off(cu, a, &off) && dwt_die_at(cu, off, target);
	target->fast = 0;
	return dwarf_formref_die(a, &target->d) != NULL;
}

int dwt_die_bytesize(struct dwt_cu *cu, struct dwt_die *d)
{
	static const struct dwt_attrs_how how = {
		.want = DWT_AT(BYTE_SIZE),
		.integrate = DWT_AT(BYTE_SIZE),
	};
	struct dwt_attrs as;
	uint64_t v;

	if (!d->fast)
		return dwarf_bytesize(&d->d);
	dwt_attrs_read(cu, d, &how, &as);
	return dwt_attrs_udata(&as, DWT_AT_BYTE_SIZE, &v) ? (int)v : -1;
}
