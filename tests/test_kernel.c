// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kernel - the running kernel's BTF loader (bpf(BPF_BTF_LOAD)) as the
 * oracle: a blob with every kind built through the API loads, a parsed
 * vmlinux with one more type loads, and a broken blob does not. Skips where
 * the syscall is not permitted.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

static char klog[1 << 16];

#define OK(x) ck_assert_int_ge((x), 0)

/* One type of every kind, wired together the way a kernel image would be. */
static void add_every_kind(struct btf_builder *b)
{
	int i32, u8, chr, flt, arr, node, pnode, un, en, en64, fwd, tdef, vol, cnst, tag, ptag;
	int rptr, pfwd, proto, fn, var, u64;

	i32 = btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED);
	u8 = btf_builder_add_int(b, "_Bool", 1, 8, BTF_INT_BOOL);
	chr = btf_builder_add_int(b, "char", 1, 8, BTF_INT_CHAR);
	u64 = btf_builder_add_int(b, "long long unsigned int", 8, 64, 0);
	flt = btf_builder_add_float(b, "double", 8);
	arr = btf_builder_add_array(b, chr, i32, 16);
	fwd = btf_builder_add_fwd(b, "file", false);
	pnode = btf_builder_add_ptr(b, btf_builder_type_cnt(b) + 1);
	node = btf_builder_add_struct(b, "node", 48);
	OK(btf_builder_add_member(b, "next", pnode, 0, 0));
	OK(btf_builder_add_member(b, "name", arr, 64, 0));
	OK(btf_builder_add_member(b, "flag", u8, 192, 1));
	OK(btf_builder_add_member(b, "prio", i32, 193, 7));
	OK(btf_builder_add_member(b, "weight", flt, 256, 0));
	OK(btf_builder_add_member(b, "big", u64, 320, 0));
	un = btf_builder_add_union(b, NULL, 8);
	OK(btf_builder_add_member(b, "i", i32, 0, 0));
	OK(btf_builder_add_member(b, "d", flt, 0, 0));
	en = btf_builder_add_enum(b, "state", 4);
	OK(btf_builder_add_enum_value(b, "S_OFF", 0));
	OK(btf_builder_add_enum_value(b, "S_ERR", -1));
	en64 = btf_builder_add_enum64(b, "mask", 8, false);
	OK(btf_builder_add_enum64_value(b, "M_HIGH", 1ull << 63));
	tdef = btf_builder_add_typedef(b, "node_t", node);
	vol = btf_builder_add_volatile(b, i32);
	cnst = btf_builder_add_const(b, tdef);
	tag = btf_builder_add_type_tag(b, "user", cnst);
	ptag = btf_builder_add_ptr(b, tag);
	rptr = btf_builder_add_restrict(b, ptag);
	pfwd = btf_builder_add_ptr(b, fwd);
	proto = btf_builder_add_func_proto(b, i32);
	OK(btf_builder_add_param(b, "n", rptr));
	OK(btf_builder_add_param(b, "f", pfwd));
	fn = btf_builder_add_func(b, "node_walk", BTF_BUILDER_GLOBAL, proto);
	var = btf_builder_add_var(b, "node_count", BTF_BUILDER_STATIC, vol);
	OK(btf_builder_add_datasec(b, ".data", 64));
	OK(btf_builder_add_datasec_var(b, var, 8, 4));
	OK(btf_builder_add_decl_tag(b, "bpf_kfunc", fn, -1));
	OK(btf_builder_add_decl_tag(b, "noderef", node, 1));
	OK(btf_builder_add_decl_tag(b, "arg", fn, 0));
	OK(btf_builder_add_var(b, "node_state", BTF_BUILDER_GLOBAL, en));
	OK(btf_builder_add_var(b, "node_mask", BTF_BUILDER_GLOBAL, en64));
	OK(btf_builder_add_var(b, "node_un", BTF_BUILDER_GLOBAL, un));
}

START_TEST(every_kind_loads)
{
	struct btf_builder *b;
	uint32_t seen = 0, id;
	int err;

	if (!test_kernel_available())
		return;
	ck_assert_int_eq(btf_builder_new(&b), 0);
	add_every_kind(b);
	for (id = 1; id < btf_builder_type_cnt(b); id++)
		seen |= 1u << BTF_INFO_KIND(btf_builder_type(b, id)->info);
	ck_assert_uint_eq(seen, ((1u << 20) - 1) & ~1u);
	err = test_kernel_load_builder(b, klog, sizeof(klog));
	ck_assert_msg(!err, "kernel refused (%d):\n%s", err, klog);
	/* The same types in the other byte order do not load: the kernel never swaps. */
	btf_builder_set_endian(b, btf_builder_endian(b) == BTF_ENDIAN_LITTLE ? BTF_ENDIAN_BIG
									 : BTF_ENDIAN_LITTLE);
	ck_assert_int_eq(test_kernel_load_builder(b, NULL, 0), -EINVAL);
	btf_builder_free(b);
}
END_TEST

/* The oracle can say no: a struct whose member runs past its end. */
START_TEST(broken_blob_refused)
{
	struct btf_builder *b;
	const void *data;
	uint32_t size;
	char *copy;

	if (!test_kernel_available())
		return;
	ck_assert_int_eq(btf_builder_new(&b), 0);
	OK(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED));
	OK(btf_builder_add_struct(b, "s", 4));
	OK(btf_builder_add_member(b, "a", 1, 0, 0));
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	ck_assert_int_eq(test_kernel_load(data, size, NULL, 0), 0);
	copy = malloc(size);
	memcpy(copy, data, size);
	/* struct s's size word: header, INT record (16 bytes), then name and info. */
	*(uint32_t *)(copy + 24 + 16 + 8) = 2;
	ck_assert_int_eq(test_kernel_load(copy, size, klog, sizeof(klog)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(klog, "Member exceeds struct_size"));
	free(copy);
	btf_builder_free(b);
}
END_TEST

START_TEST(vmlinux_plus_one_type_loads)
{
	struct btf_builder *b;
	const void *data;
	uint32_t size, cnt;
	size_t fsize;
	void *file = test_read_file(VMLINUX, &fsize);
	int task, ptr, err;

	if (!file) {
		fprintf(stderr, "SKIP: %s not readable\n", VMLINUX);
		return;
	}
	ck_assert_int_eq(btf_builder_parse(file, fsize, NULL, &b), 0);
	cnt = btf_builder_type_cnt(b);
	/* An existing string changes nothing: same bytes, still read-only. */
	ck_assert_int_eq(btf_builder_add_str(b, "task_struct"),
			 btf_builder_find_str(b, "task_struct"));
	ck_assert(!btf_builder_is_writable(b));
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	ck_assert_uint_eq(size, fsize);
	ck_assert_int_eq(memcmp(data, file, fsize), 0);

	/* One new struct pointing at task_struct. */
	for (task = 1; task < (int)cnt; task++) {
		const struct btf_type *t = btf_builder_type(b, task);

		if (BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT &&
		    !strcmp(btf_builder_str(b, t->name_off), "task_struct"))
			break;
	}
	ck_assert_int_lt(task, (int)cnt);
	ptr = btf_builder_add_ptr(b, task);
	ck_assert_int_eq(ptr, (int)cnt);
	ck_assert(btf_builder_is_writable(b));
	ck_assert_int_eq(btf_builder_add_struct(b, "btfenc_probe", 8), (int)cnt + 1);
	ck_assert_int_eq(btf_builder_add_member(b, "task", ptr, 0, 0), 0);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	ck_assert_uint_eq(size, fsize + 12 + 12 + 12 + sizeof("btfenc_probe"));
	if (test_kernel_available()) {
		err = test_kernel_load(data, size, klog, sizeof(klog));
		ck_assert_msg(!err, "kernel refused (%d):\n%.2000s", err, klog);
	}
	btf_builder_free(b);
	free(file);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = tcase_create("load");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_kind_loads);
	tcase_add_test(tc, broken_blob_refused);
	tcase_add_test(tc, vmlinux_plus_one_type_loads);
	suite_add_tcase(s, tc);
	return test_run(s);
}
