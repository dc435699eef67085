// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_verify - btf_verify(): one hand-written blob per rule, the expected
 * finding as the kernel's log line; where bpf(BPF_BTF_LOAD) can be used,
 * the kernel must refuse the same blob and end its log with the same line.
 *
 * Blobs are written word by word: T(...) is a type record, S is the string
 * section (NULs as \0, the first byte included).
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "testutil.h"
#include "verify.h"

#define INFO(kind, vlen, kflag) btf_info_make(BTF_KIND_##kind, vlen, kflag)
#define INT_DATA(enc, off, bits) ((uint32_t)(enc) << 24 | (off) << 16 | (bits))

/* The header, the words, the strings (len bytes). Caller frees. */
static uint8_t *blob(const uint32_t *w, size_t nw, const char *strs, size_t len, size_t *size)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h),
		.type_len = (uint32_t)(nw * 4), .str_off = (uint32_t)(nw * 4),
		.str_len = (uint32_t)len,
	};
	uint8_t *p;

	*size = sizeof(h) + nw * 4 + len;
	p = malloc(*size);
	ck_assert_ptr_nonnull(p);
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), w, nw * 4);
	memcpy(p + sizeof(h) + nw * 4, strs, len);
	return p;
}

struct got {
	int n;
	char line[512];
	char type_line[512];
};

static void first(void *ctx, const struct btf_finding *f)
{
	struct got *g = ctx;

	if (g->n++)
		return;
	snprintf(g->line, sizeof(g->line), "%s", f->line);
	snprintf(g->type_line, sizeof(g->type_line), "%s", f->type_line ? f->type_line : "");
}

/* Asserts the first finding on p is expect ("" for none), and that the
 * kernel agrees where it can be asked. */
static void expect(uint8_t *p, size_t size, const char *expect_line)
{
	static char log[1 << 16];
	struct got g = { 0 };
	int n, err;

	n = btf_verify(p, size, NULL, NULL, first, &g);
	ck_assert_int_ge(n, 0);
	ck_assert_msg(!strcmp(g.line, expect_line), "finding differs\n--- expected\n%s\n--- actual\n%s",
		      expect_line, g.line);
	if (test_kernel_available()) {
		log[0] = 0;
		err = test_kernel_load(p, (uint32_t)size, log, sizeof(log));
		ck_assert_msg(!err == !*expect_line, "the kernel %s it: %s",
			      err ? "refuses" : "accepts", test_log_last_line(log, NULL));
		if (err)
			ck_assert_str_eq(test_log_last_line(log, NULL), expect_line);
	}
	free(p);
}

#define EXPECT(strs, line, ...)                                                          \
	do {                                                                             \
		const uint32_t w_[] = { __VA_ARGS__ };                                   \
		size_t size_;                                                            \
		uint8_t *p_ = blob(w_, sizeof(w_) / 4, strs, sizeof(strs), &size_);     \
		expect(p_, size_, line);                                                 \
	} while (0)

/* Strings: 1 "int", 5 "foo", 9 "a", 11 "b", 13 "td", 16 "x.y". */
#define STRS "\0int\0foo\0a\0b\0td\0x.y"
#define INT32 1, INFO(INT, 0, 0), 4, INT_DATA(BTF_INT_SIGNED, 0, 32)

START_TEST(accepts)
{
	/* int; struct foo { int a; int b; }; typedef foo td; foo *; */
	EXPECT(STRS, "", INT32, 5, INFO(STRUCT, 2, 0), 8, 9, 1, 0, 11, 1, 32, 13,
	       INFO(TYPEDEF, 0, 0), 2, 0, INFO(PTR, 0, 0), 3);
}
END_TEST

START_TEST(header)
{
	const uint32_t w[] = { INT32 };
	size_t size;
	uint8_t *p = blob(w, 4, STRS, sizeof(STRS), &size);

	p[0] ^= 1;
	expect(p, size, "Invalid magic");
	p = blob(w, 4, STRS, sizeof(STRS), &size);
	((struct btf_header *)p)->str_len += 4;
	expect(p, size, "Total section length too long");
	p = blob(w, 4, STRS, sizeof(STRS), &size);
	p[size - 1] = 'x';
	expect(p, size, "Invalid string section");
	p = blob(w, 4, STRS, sizeof(STRS), &size);
	expect(p, 7, "hdr_len not found");
}
END_TEST

START_TEST(meta)
{
	EXPECT(STRS, "[2] Invalid btf_info:2100000", INT32, 0, 0x02100000, 1);
	EXPECT(STRS, "[1] INT int Invalid int_data:10000020", 1, INFO(INT, 0, 0), 4, 0x10000020);
	EXPECT(STRS, "[1] INT int size=16 bits_offset=0 nr_bits=129 encoding=(none) nr_bits exceeds 128",
	       1, INFO(INT, 0, 0), 16, INT_DATA(0, 0, 129));
	EXPECT(STRS, "[2] PTR (anon) type_id=1 vlen != 0", INT32, 0, INFO(PTR, 1, 0), 1);
	EXPECT(STRS, "[2] TYPEDEF (anon) type_id=1 Invalid name", INT32, 0, INFO(TYPEDEF, 0, 0), 1);
	EXPECT(STRS, "[1] ENUM foo size=3 vlen=0 Unexpected size", 5, INFO(ENUM, 0, 0), 3);
	/* struct foo { int a @32; int b @0; }: offsets go back */
	EXPECT(STRS, "\tb type_id=1 bits_offset=0 Invalid member bits_offset", INT32, 5,
	       INFO(STRUCT, 2, 0), 8, 9, 1, 32, 11, 1, 0);
	EXPECT(STRS, "[2] meta_left:4 meta_needed:12", INT32, 0);
}
END_TEST

START_TEST(resolve)
{
	/* struct foo { td a; } with typedef td foo: by value, a loop */
	EXPECT(STRS, "[2] STRUCT foo size=8 vlen=1 Loop detected", INT32, 5, INFO(STRUCT, 1, 0), 8,
	       9, 3, 0, 13, INFO(TYPEDEF, 0, 0), 2);
	/* PTR -> CONST -> PTR */
	EXPECT(STRS, "[1] PTR (anon) type_id=2 Loop detected", 0, INFO(PTR, 0, 0), 2, 0,
	       INFO(CONST, 0, 0), 1);
	/* struct foo { int a @0; } of size 2 */
	EXPECT(STRS, "\ta type_id=1 bits_offset=0 Member exceeds struct_size", INT32, 5,
	       INFO(STRUCT, 1, 0), 2, 9, 1, 0);
	/* a kind_flag bitfield wider than its int */
	EXPECT(STRS, "\ta type_id=1 bitfield_size=33 bits_offset=0 Invalid member bitfield_size",
	       INT32, 5, INFO(STRUCT, 1, 1), 8, 9, 1, 33u << 24);
	/* int x(int, void): void not last */
	EXPECT(STRS, "[2] FUNC_PROTO (anon) return=1 args=(0 (anon), 1 b) Invalid arg#1", INT32, 0,
	       INFO(FUNC_PROTO, 2, 0), 1, 0, 0, 11, 1);
	/* FUNC foo of a proto with an unnamed int param */
	EXPECT(STRS, "[3] FUNC foo type_id=2 Invalid arg#1", INT32, 0, INFO(FUNC_PROTO, 1, 0), 1, 0,
	       1, 5, INFO(FUNC, 0, 0), 2);
	/* PTR to a FUNC of a higher id: never resolved in PTR mode */
	EXPECT(STRS, "[2] PTR (anon) type_id=4 Invalid type_id", INT32, 0, INFO(PTR, 0, 0), 4, 0,
	       INFO(FUNC_PROTO, 0, 0), 1, 5, INFO(FUNC, 0, 0), 3);
	/* array of int indexed by a PTR */
	EXPECT(STRS, "[3] ARRAY (anon) type_id=1 index_type_id=2 nr_elems=4 Invalid index", INT32,
	       0, INFO(PTR, 0, 0), 1, 0, INFO(ARRAY, 0, 0), 0, 1, 2, 4);
}
END_TEST

START_TEST(type_tags)
{
	/* CONST -> TYPE_TAG -> int */
	EXPECT(STRS, "Type tags don't precede modifiers", INT32, 0, INFO(CONST, 0, 0), 3, 5,
	       INFO(TYPE_TAG, 0, 0), 1);
	/* and the other way round is fine */
	EXPECT(STRS, "", INT32, 5, INFO(TYPE_TAG, 0, 0), 3, 0, INFO(CONST, 0, 0), 1);
}
END_TEST

START_TEST(datasec)
{
	/* VAR x of int, DATASEC .bss of 4 bytes with x in 2 */
	EXPECT("\0int\0x\0.bss", "\t type_id=2 offset=0 size=2 Invalid size", INT32, 5,
	       INFO(VAR, 0, 0), 1, 1, 7, INFO(DATASEC, 1, 0), 4, 2, 0, 2);
}
END_TEST

START_TEST(older_kernels)
{
	/* "x.y" is an identifier since 6.11, not on 6.1 */
	const uint32_t w[] = { 16, INFO(STRUCT, 0, 0), 0 };
	struct btf_verify_opts o = { .kernel = 601 };
	struct got g = { 0 };
	size_t size;
	uint8_t *p = blob(w, 3, STRS, sizeof(STRS), &size);

	ck_assert_int_eq(btf_verify(p, size, NULL, NULL, first, &g), 0);
	ck_assert_int_eq(btf_verify(p, size, NULL, &o, first, &g), 1);
	ck_assert_str_eq(g.line, "[1] STRUCT x.y size=0 vlen=0 Invalid name");
	free(p);
}
END_TEST

START_TEST(hostile_sizes)
{
	/* vlen 65535 with no bytes behind it, every prefix of a blob */
	const uint32_t w[] = { INT32, 5, INFO(STRUCT, 0xffff, 0), 8 };
	struct got g = { 0 };
	size_t size, n;
	uint8_t *p = blob(w, 7, STRS, sizeof(STRS), &size);

	for (n = 0; n <= size; n++)
		ck_assert_int_ge(btf_verify(p, n, NULL, NULL, first, &g), 1);
	free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, accepts);
	tcase_add_test(tc, header);
	tcase_add_test(tc, meta);
	tcase_add_test(tc, resolve);
	tcase_add_test(tc, type_tags);
	tcase_add_test(tc, datasec);
	tcase_add_test(tc, older_kernels);
	tcase_add_test(tc, hostile_sizes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run(suite());
}
