// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_encode.c - the whole encoder on an ELF object (the kernel's
 * features, one thread, a batch per unit so that from the second unit on
 * records are matched to the earlier units' types, encoder/encode_premap.c):
 * whatever it encodes must finalize into a blob that parses again.
 */
#include <stdlib.h>
#include <unistd.h>

#include "btf.h"
#include "encode.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_builder *b, *again;
	struct encode_opts o;
	const void *out;
	uint32_t out_size;
	char path[64];
	int fd;

	fuzz_quiet();
	setenv("BTFENC_BATCH_UNITS", "1", 0);
	fd = fuzz_file(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	encode_opts_default(&o);
	o.jobs = 1;
	if (!encode_file(path, NULL, &o, &b, NULL)) {
		if (!btf_builder_finalize(b, &out, &out_size)) {
			if (btf_builder_parse(out, out_size, NULL, &again))
				fuzz_fail("an encoded blob does not parse");
			btf_builder_free(again);
		}
		btf_builder_free(b);
	}
	close(fd);
	return 0;
}
