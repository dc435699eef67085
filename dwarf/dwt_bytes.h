/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dwt_bytes.h - reading DWARF's encodings in place, for dwarf/'s own
 * readers (the DIE decoder, the location reader, the DIE handles): the host
 * byte order, which the fast path requires, and every read bounded.
 */
#ifndef BTFENC_DWT_BYTES_H
#define BTFENC_DWT_BYTES_H

#include <dwarf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* An unsigned LEB128 in [*pp, end) as libdw reads one that is whole: false
 * (and *pp unmoved) for one cut short or longer than 10 bytes. */
static inline bool dwt_uleb(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t r = 0;
	unsigned shift = 0;

	while (p < end && shift < 64) {
		uint8_t b = *p++;

		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*v = r;
			return true;
		}
		shift += 7;
	}
	return false;
}

/* Past a LEB128 of either sign, under the same rule. */
static inline bool dwt_leb_skip(const uint8_t **pp, const uint8_t *end)
{
	uint64_t v;

	return dwt_uleb(pp, end, &v);
}

static inline uint16_t dwt_rd2(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static inline uint32_t dwt_rd4(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t dwt_rd8(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* An address of width 4 or 8 bytes. */
static inline uint64_t dwt_rd_addr(const uint8_t *p, uint8_t width)
{
	return width == 8 ? dwt_rd8(p) : dwt_rd4(p);
}

/* The unit-relative offset of a reference of one of the unit-relative
 * forms at v (ending before end); false for any other form. */
static inline bool dwt_unit_ref(unsigned form, const uint8_t *v, const uint8_t *end,
				uint64_t *rel)
{
	switch (form) {
	case DW_FORM_ref1:
		*rel = *v;
		return true;
	case DW_FORM_ref2:
		*rel = dwt_rd2(v);
		return true;
	case DW_FORM_ref4:
		*rel = dwt_rd4(v);
		return true;
	case DW_FORM_ref8:
		*rel = dwt_rd8(v);
		return true;
	case DW_FORM_ref_udata:
		return dwt_uleb(&v, end, rel);
	default:
		return false;
	}
}

#endif
