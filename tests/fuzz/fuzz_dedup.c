// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_dedup.c - the parser followed by dedup and finalize: whatever blob
 * parses, dedup either refuses it or gives BTF that finalizes into a blob
 * that parses again, and that a second dedup accepts without adding types
 * (it may merge more: FWDs resolved by the first pass can make structs
 * equal that were not).
 */
#include "btf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_builder *b, *again;
	const void *out;
	uint32_t out_size, types;

	fuzz_quiet();
	if (btf_builder_parse(data, size, NULL, &b))
		return 0;
	if (btf_builder_dedup(b, NULL) || btf_builder_finalize(b, &out, &out_size)) {
		btf_builder_free(b);
		return 0;
	}
	if (btf_builder_parse(out, out_size, NULL, &again))
		fuzz_fail("a deduplicated blob does not parse");
	types = btf_builder_type_cnt(again);
	if (btf_builder_dedup(again, NULL))
		fuzz_fail("a deduplicated blob cannot be deduplicated again");
	if (btf_builder_type_cnt(again) > types)
		fuzz_fail("a second dedup added types");
	btf_builder_free(again);
	btf_builder_free(b);
	return 0;
}
