// SPDX-License-Identifier: GPL-2.0-only
/*
 * mksample - builds a small BTF through the btf/ library and writes it raw:
 *
 *	struct list { struct list *next; unsigned int flags:3, prio:5; };
 *	enum state { IDLE, RUNNING = -1 };
 *	int list_len(const struct list *head);
 *
 * It is the README's bundled example and the smallest use of the API.
 * Usage: mksample OUT.btf
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"

static int build(struct btf_builder *b)
{
	int uint, sint, list, plist, cplist, proto, err;

	uint = btf_builder_add_int(b, "unsigned int", 4, 32, 0);
	sint = btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED);
	if (uint < 0 || sint < 0)
		return -EINVAL;
	/* Members follow their struct, so the pointer to it refers forward. */
	plist = btf_builder_add_ptr(b, btf_builder_type_cnt(b) + 1);
	list = plist < 0 ? plist : btf_builder_add_struct(b, "list", 16);
	err = list < 0 ? list : btf_builder_add_member(b, "next", plist, 0, 0);
	err = err ? err : btf_builder_add_member(b, "flags", uint, 64, 3);
	err = err ? err : btf_builder_add_member(b, "prio", uint, 67, 5);
	err = err ? err : btf_builder_add_enum(b, "state", 4);
	err = err < 0 ? err : btf_builder_add_enum_value(b, "IDLE", 0);
	err = err ? err : btf_builder_add_enum_value(b, "RUNNING", -1);
	cplist = err ? err : btf_builder_add_const(b, list);
	cplist = cplist < 0 ? cplist : btf_builder_add_ptr(b, cplist);
	proto = cplist < 0 ? cplist : btf_builder_add_func_proto(b, sint);
	err = proto < 0 ? proto : btf_builder_add_param(b, "head", cplist);
	err = err ? err : btf_builder_add_func(b, "list_len", BTF_BUILDER_GLOBAL, proto);
	return err < 0 ? err : 0;
}

int main(int argc, char **argv)
{
	struct btf_builder *b;
	const void *data;
	uint32_t size;
	FILE *f;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: mksample OUT.btf\n");
		return 2;
	}
	err = btf_builder_new(&b);
	err = err ? err : build(b);
	err = err ? err : btf_builder_finalize(b, &data, &size);
	if (err) {
		fprintf(stderr, "mksample: %s\n", strerror(-err));
		return 1;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "mksample: '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	btf_builder_free(b);
	return 0;
}
