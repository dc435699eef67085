// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_loc.c - the registers a parameter's location names, read on the fast
 * path without libdw.
 *
 * libdw parses each location expression into an array of operations that it
 * keeps in a per-unit search tree until the file is closed: for a vmlinux
 * about 50 MB, and a fifth of the walk's time. The walk needs far less: of
 * each entry of the list, whether it is one register, or one entry value of
 * one register. This reads the list and its expressions in place, for the
 * forms and operations whose reading by libdw is plain (DWARF 4 and 5
 * lists, an expression of known operations); at anything else it says so,
 * and the caller asks libdw, which then reads that location as before.
 */
#include <dwarf.h>
#include <string.h>

#include "dwt_bytes.h"
#include "dwt_priv.h"

/* The first and last operation of an expression, and how many it has. */
struct ops {
	int n;
	const uint8_t *first;	/* the first operation's opcode */
	uint8_t last;		/* the last opcode */
};

/*
 * Steps over the expression [p, end) operation by operation, each as libdw
 * reads its operands. false when an operation is not one known here or its
 * operands do not fit: libdw's reading is then the one to have.
 */
static bool scan(const uint8_t *p, const uint8_t *end, uint8_t addr_size, bool sub,
		 struct ops *o)
{
	uint64_t v;

	o->n = 0;
	while (p < end) {
		uint8_t op = *p++;

		if (!o->n)
			o->first = p - 1;
		o->last = op;
		o->n++;
		switch (op) {
		case DW_OP_lit0 ... DW_OP_lit31:
		case DW_OP_reg0 ... DW_OP_reg31:
		case DW_OP_deref:
		case DW_OP_dup:
		case DW_OP_drop:
		case DW_OP_over:
		case DW_OP_swap:
		case DW_OP_rot:
		case DW_OP_abs:
		case DW_OP_and:
		case DW_OP_div:
		case DW_OP_minus:
		case DW_OP_mod:
		case DW_OP_mul:
		case DW_OP_neg:
		case DW_OP_not:
		case DW_OP_or:
		case DW_OP_plus:
		case DW_OP_shl:
		case DW_OP_shr:
		case DW_OP_shra:
		case DW_OP_xor:
		case DW_OP_eq:
		case DW_OP_ge:
		case DW_OP_gt:
		case DW_OP_le:
		case DW_OP_lt:
		case DW_OP_ne:
		case DW_OP_nop:
		case DW_OP_call_frame_cfa:
		case DW_OP_stack_value:
			break;
		case DW_OP_addr:
			/* Inside an entry value libdw reads with another unit's
			 * address size. */
			if (sub || (size_t)(end - p) < addr_size)
				return false;
			p += addr_size;
			break;
		case DW_OP_const1u:
		case DW_OP_const1s:
		case DW_OP_pick:
		case DW_OP_deref_size:
			if (p >= end)
				return false;
			p++;
			break;
		case DW_OP_const2u:
		case DW_OP_const2s:
			if (end - p < 2)
				return false;
			p += 2;
			break;
		case DW_OP_const4u:
		case DW_OP_const4s:
			if (end - p < 4)
				return false;
			p += 4;
			break;
		case DW_OP_const8u:
		case DW_OP_const8s:
			if (end - p < 8)
				return false;
			p += 8;
			break;
		case DW_OP_constu:
		case DW_OP_plus_uconst:
		case DW_OP_regx:
		case DW_OP_piece:
		case DW_OP_convert:
		case DW_OP_GNU_convert:
		case DW_OP_consts:
		case DW_OP_breg0 ... DW_OP_breg31:
		case DW_OP_fbreg:
			if (!dwt_uleb(&p, end, &v))
				return false;
			break;
		case DW_OP_bregx:
		case DW_OP_bit_piece:
		case DW_OP_regval_type:
		case DW_OP_GNU_regval_type:
			if (!dwt_uleb(&p, end, &v) || p >= end || !dwt_uleb(&p, end, &v))
				return false;
			break;
		case DW_OP_implicit_value:
		case DW_OP_entry_value:
		case DW_OP_GNU_entry_value:
			if (!dwt_uleb(&p, end, &v) || (uint64_t)(end - p) < v)
				return false;
			p += v;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* The register an entry value's one operation names (dwt_func.c's
 * entry_value_reg() on libdw's reading of it). */
static unsigned entry_reg(const uint8_t *op, const uint8_t *end)
{
	uint64_t v;

	if (*op >= DW_OP_reg0 && *op <= DW_OP_reg31)
		return *op - DW_OP_reg0;
	if (*op == DW_OP_regx || *op == DW_OP_regval_type || *op == DW_OP_GNU_regval_type) {
		op++;
		if (dwt_uleb(&op, end, &v) && v < DWT_OTHER_REG)
			return (unsigned)v;
	}
	return DWT_OTHER_REG;
}

struct regs {
	unsigned first, last;
	uint32_t entry_regs;
	int i;			/* entries so far */
};

/* One entry's expression [p, end) into r, as dwt_func.c's param_location()
 * takes libdw's reading of it. false: not for this path. */
static bool entry(const uint8_t *p, const uint8_t *end, uint8_t addr_size, struct regs *r)
{
	struct ops o, so;
	const uint8_t *q, *sub_end;
	unsigned reg;
	uint64_t len;
	int n;

	if (!scan(p, end, addr_size, false, &o))
		return false;
	n = o.n && o.last == DW_OP_stack_value ? o.n - 1 : o.n;
	if (n == 1 && *o.first >= DW_OP_reg0 && *o.first <= DW_OP_reg31 && !r->i) {
		r->first = r->last = *o.first - DW_OP_reg0;
	} else if (n == 1 && (*o.first == DW_OP_entry_value || *o.first == DW_OP_GNU_entry_value)) {
		q = o.first + 1;
		if (!dwt_uleb(&q, end, &len))
			return false;
		sub_end = q + len;
		if (!scan(q, sub_end, addr_size, true, &so))
			return false;
		reg = so.n == 1 ? entry_reg(so.first, sub_end) : DWT_NO_REG;
		if (reg != DWT_NO_REG) {
			r->last = reg;
			if (reg < 32)
				r->entry_regs |= 1u << reg;
		}
	}
	r->i++;
	return true;
}

/* A DWARF 4 .debug_loc list at p. */
static bool list_v4(const uint8_t *p, const uint8_t *end, uint8_t w, struct regs *r)
{
	uint64_t escape = w == 8 ? UINT64_MAX : UINT32_MAX, begin, stop;
	uint16_t len;

	for (;;) {
		if (end - p < 2 * w)
			return false;
		begin = dwt_rd_addr(p, w);
		stop = dwt_rd_addr(p + w, w);
		p += 2 * w;
		if (begin == escape) {
			if (stop == escape)
				return false;
			continue;
		}
		if (!begin && !stop)
			return true;
		if (end - p < 2)
			return false;
		len = dwt_rd2(p);
		p += 2;
		if (end - p < len || !entry(p, p + len, w, r))
			return false;
		p += len;
	}
}

/* A DWARF 5 .debug_loclists list at p: the entries without .debug_addr. */
static bool list_v5(const uint8_t *p, const uint8_t *end, uint8_t w, struct regs *r)
{
	uint64_t v;

	for (;;) {
		if (p >= end)
			return false;
		switch (*p++) {
		case DW_LLE_end_of_list:
			return true;
		case DW_LLE_base_address:
			if (end - p < w)
				return false;
			p += w;
			continue;
		case DW_LLE_offset_pair:
			if (p >= end || !dwt_uleb(&p, end, &v) || p >= end || !dwt_uleb(&p, end, &v))
				return false;
			break;
		case DW_LLE_default_location:
			break;
		case DW_LLE_start_end:
			if (end - p < 2 * w)
				return false;
			p += 2 * w;
			break;
		case DW_LLE_start_length:
			if (end - p < w)
				return false;
			p += w;
			if (p >= end || !dwt_uleb(&p, end, &v))
				return false;
			break;
		default:
			return false;
		}
		if (p >= end || !dwt_uleb(&p, end, &v) || (uint64_t)(end - p) < v ||
		    !entry(p, p + v, w, r))
			return false;
		p += v;
	}
}

bool dwt_loc_regs(const struct dwt_cu *cu, const Dwarf_Attribute *a, uint64_t *packed)
{
	const struct dwt_dec *dec = &cu->f->dec;
	const struct dwt_dec_unit *u = cu->unit;
	struct regs r = { DWT_NO_REG, DWT_NO_REG, 0, 0 };
	const uint8_t *p = a->valp, *end;
	uint32_t off;
	uint64_t len;
	bool ok;

	if (!u || a->cu != cu->dwcu)
		return false;
	end = dec->info + u->end;
	if (a->form == DW_FORM_exprloc) {
		/* One expression for everywhere. */
		ok = dwt_uleb(&p, end, &len) && len <= (uint64_t)(end - p) && len &&
		     entry(p, p + len, u->addr_size, &r);
	} else if (a->form == DW_FORM_sec_offset) {
		off = dwt_rd4(p);
		if (u->version >= 5)
			ok = dec->loclists && off < dec->loclists_size &&
			     list_v5(dec->loclists + off, dec->loclists + dec->loclists_size,
				     u->addr_size, &r);
		else
			ok = dec->loc && off < dec->loc_size &&
			     list_v4(dec->loc + off, dec->loc + dec->loc_size, u->addr_size, &r);
	} else {
		ok = false;
	}
	if (!ok)
		return false;
	*packed = (uint64_t)DWT_LOC_EXPR << 48 | (uint64_t)r.first << 40 | (uint64_t)r.last << 32 |
		  r.entry_regs;
	return true;
}

bool dwt_loc_addr(const struct dwt_cu *cu, const Dwarf_Attribute *a, bool *has, uint64_t *addr)
{
	const struct dwt_dec_unit *u = cu->unit;
	const uint8_t *p = a->valp, *end;
	struct ops o;
	uint64_t len;

	if (!u || a->cu != cu->dwcu || a->form != DW_FORM_exprloc)
		return false;
	end = cu->f->dec.info + u->end;
	/* libdw's dwarf_getlocation() reads the whole expression or fails. */
	if (!dwt_uleb(&p, end, &len) || len > (uint64_t)(end - p) || !len ||
	    !scan(p, p + len, u->addr_size, false, &o))
		return false;
	/* A first DW_OP_addrx is read through .debug_addr: libdw's. */
	if (*o.first == DW_OP_addrx || *o.first == DW_OP_GNU_addr_index)
		return false;
	*has = *o.first == DW_OP_addr;
	if (*has)
		*addr = dwt_rd_addr(o.first + 1, u->addr_size);
	return true;
}
