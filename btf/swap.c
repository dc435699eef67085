// SPDX-License-Identifier: GPL-2.0-only
/*
 * swap.c - byte order conversion of a BTF header and of type records.
 *
 * Every field after the magic is a u32, and so is every item of trailing
 * data (INT word, member offset, enum values and ENUM64 halves, VAR linkage,
 * DATASEC entries, DECL_TAG component_idx, ARRAY fields, params), so a record
 * swaps as a run of whole u32s. Only the size of the run needs the kind and
 * vlen, which must be read from the info word while it is in host order.
 * Strings are bytes and never swap.
 */
#include <byteswap.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_priv.h"

/* Words go through memcpy: callers align records, but a swap must not rely on it. */
static void swap_words(uint8_t *p, size_t nwords)
{
	uint32_t w;
	size_t i;

	for (i = 0; i < nwords; i++, p += sizeof(w)) {
		memcpy(&w, p, sizeof(w));
		w = bswap_32(w);
		memcpy(p, &w, sizeof(w));
	}
}

void btf_swap_header(struct btf_header *h)
{
	/* version and flags are single bytes. */
	h->magic = bswap_16(h->magic);
	h->hdr_len = bswap_32(h->hdr_len);
	h->type_off = bswap_32(h->type_off);
	h->type_len = bswap_32(h->type_len);
	h->str_off = bswap_32(h->str_off);
	h->str_len = bswap_32(h->str_len);
}

/*
 * A record that does not fit or has an unknown kind ends the walk after its
 * common part is swapped: the parser, which swaps before it checks, then
 * finds the fault at that record and reads its fields in host order.
 */
void btf_swap_types(uint8_t *types, size_t len, bool to_host)
{
	const size_t common = sizeof(struct btf_type);
	size_t off = 0;

	while (len - off >= common) {
		uint8_t *rec = types + off;
		uint32_t info, fixed, per_vlen;
		uint64_t size;

		memcpy(&info, rec + offsetof(struct btf_type, info), sizeof(info));
		if (to_host)
			info = bswap_32(info);
		swap_words(rec, common / sizeof(uint32_t));
		if (btf_kind_layout(BTF_INFO_KIND(info), &fixed, &per_vlen))
			return;
		size = common + fixed + (uint64_t)per_vlen * BTF_INFO_VLEN(info);
		if (size > len - off)
			return;
		swap_words(rec + common, (size_t)(size - common) / sizeof(uint32_t));
		off += (size_t)size;
	}
}
