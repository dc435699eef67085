// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_btf.c - the BTF parser: the input as a raw blob, as split BTF on a
 * small base, and as a file (raw BTF or an ELF object with .BTF, through
 * elfbtf_load(), which maps the section of a regular file); and the
 * verifier on the raw bytes, standalone and split. What parses is dumped
 * (raw and as C) and finalized; a finalized blob must parse again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "btf.h"
#include "elf_btf.h"
#include "fuzz.h"
#include "verify.h"

/* int, FWD list_head, PTR to it, struct list_head { next, prev }. */
static struct btf_builder *small_base(void)
{
	static struct btf_builder *base;

	if (base)
		return base;
	if (btf_builder_new(&base) || btf_builder_add_int(base, "int", 4, 32, BTF_INT_SIGNED) != 1 ||
	    btf_builder_add_fwd(base, "list_head", false) != 2 || btf_builder_add_ptr(base, 2) != 3 ||
	    btf_builder_add_struct(base, "list_head", 16) != 4 ||
	    btf_builder_add_member(base, "next", 3, 0, 0) ||
	    btf_builder_add_member(base, "prev", 3, 64, 0))
		fuzz_fail("cannot build the base");
	return base;
}

/* Dumped, finalized, and the finalized blob parsed back on the same base. */
static void exercise(struct btf_builder *b)
{
	struct btf_builder *again;
	FILE *null = fopen("/dev/null", "w");
	const void *data;
	uint32_t size;

	if (null) {
		btf_dump_raw(b, null);
		btf_dump_c(b, null);
		fclose(null);
	}
	if (btf_builder_finalize(b, &data, &size))
		return;
	if (btf_builder_parse(data, size, btf_builder_base(b), &again))
		fuzz_fail("a finalized blob does not parse");
	btf_builder_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_builder *b;
	char path[64];
	int fd;

	fuzz_quiet();
	btf_verify(data, size, NULL, NULL, NULL, NULL);
	btf_verify(data, size, small_base(), NULL, NULL, NULL);
	if (!btf_builder_parse(data, size, NULL, &b)) {
		exercise(b);
		btf_builder_free(b);
	}
	if (!btf_builder_parse(data, size, small_base(), &b)) {
		exercise(b);
		btf_builder_free(b);
	}
	fd = fuzz_file(data, size, path, sizeof(path));
	if (fd >= 0) {
		if (!elfbtf_load(path, NULL, &b, NULL, 0)) {
			exercise(b);
			btf_builder_free(b);
		}
		close(fd);
	}
	return 0;
}
