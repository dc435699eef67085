// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_dedup.c - the parser followed by dedup and finalize: whatever blob
 * parses, dedup either refuses it or gives BTF that finalizes into a blob
 * that parses again, and that a second dedup accepts without adding types
 * (it may merge more: FWDs resolved by the first pass can make structs
 * equal that were not).
 *
 * An input starting "BTFSPLIT" is a base and a split on it: a little-endian
 * u32 length, the base blob, the split blob. The split is deduplicated
 * twice, as parsed and with its strings local (btf_builder_set_strs_local(),
 * which a module's encoder uses: names are matched with the base's by
 * another pass): both refuse it or both give the same bytes, and those
 * pass the checks above on the base.
 */
#include <string.h>

#include "btf.h"
#include "fuzz.h"

#define SPLIT_MAGIC "BTFSPLIT"
#define SPLIT_HEAD (sizeof(SPLIT_MAGIC) - 1 + 4)

/* b deduplicated and finalized is read back on base and deduplicated again
 * without growing; b is freed. */
static void check_deduped(struct btf_builder *b, struct btf_builder *base)
{
	struct btf_builder *again;
	const void *out;
	uint32_t out_size, types;

	if (btf_builder_finalize(b, &out, &out_size)) {
		btf_builder_free(b);
		return;
	}
	if (btf_builder_parse(out, out_size, base, &again))
		fuzz_fail("a deduplicated blob does not parse");
	types = btf_builder_type_cnt(again);
	if (btf_builder_dedup(again, NULL))
		fuzz_fail("a deduplicated blob cannot be deduplicated again");
	if (btf_builder_type_cnt(again) > types)
		fuzz_fail("a second dedup added types");
	btf_builder_free(again);
	btf_builder_free(b);
}

static void split_pair(const uint8_t *data, size_t size)
{
	struct btf_builder *base, *plain, *local;
	const void *d_plain, *d_local;
	uint32_t s_plain, s_local;
	size_t base_len;
	int r_plain, r_local;

	base_len = (size_t)data[8] | (size_t)data[9] << 8 | (size_t)data[10] << 16 |
		   (size_t)data[11] << 24;
	if (base_len > size - SPLIT_HEAD || btf_builder_parse(data + SPLIT_HEAD, base_len, NULL, &base))
		return;
	data += SPLIT_HEAD + base_len;
	size -= SPLIT_HEAD + base_len;
	if (btf_builder_parse(data, size, base, &plain)) {
		btf_builder_free(base);
		return;
	}
	if (btf_builder_parse(data, size, base, &local))
		fuzz_fail("a split parses once but not twice");
	btf_builder_set_strs_local(local);
	r_plain = btf_builder_dedup(plain, NULL);
	r_local = btf_builder_dedup(local, NULL);
	if (r_plain != r_local)
		fuzz_fail("a split's dedup with local strings ends otherwise than without");
	if (!r_plain) {
		r_plain = btf_builder_finalize(plain, &d_plain, &s_plain);
		r_local = btf_builder_finalize(local, &d_local, &s_local);
		if (r_plain != r_local ||
		    (!r_plain && (s_plain != s_local || memcmp(d_plain, d_local, s_plain))))
			fuzz_fail("a split's dedup with local strings differs from without");
		check_deduped(plain, base);
	} else {
		btf_builder_free(plain);
	}
	btf_builder_free(local);
	btf_builder_free(base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_builder *b;

	fuzz_quiet();
	if (size >= SPLIT_HEAD && !memcmp(data, SPLIT_MAGIC, SPLIT_HEAD - 4)) {
		split_pair(data, size);
		return 0;
	}
	if (btf_builder_parse(data, size, NULL, &b))
		return 0;
	if (btf_builder_dedup(b, NULL)) {
		btf_builder_free(b);
		return 0;
	}
	check_deduped(b, NULL);
	return 0;
}
