// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_dump - btf_dump_raw() prints bpftool 7.1's raw "btf dump file" text.
 *
 * One type of every kind is built through the API and its dump compared
 * with text written out by hand; then the finalized blob goes through the
 * real bpftool (the oracle), whose output must be the same bytes. The
 * oracle part is skipped, with a note, where bpftool is not installed.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* Every kind, with the edge values of each format: signed and unsigned
 * enums, kind_flag bitfields, a vararg, anonymous names, INT64_MIN. */
static const char all_kinds_text[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=CHAR\n"
	"[3] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL\n"
	"[4] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
	"[5] PTR '(anon)' type_id=1\n"
	"[6] ARRAY '(anon)' type_id=2 index_type_id=4 nr_elems=16\n"
	"[7] UNION '(anon)' size=8 vlen=2\n"
	"\t'i' type_id=1 bits_offset=0\n"
	"\t'p' type_id=5 bits_offset=0\n"
	"[8] STRUCT 's' size=40 vlen=6\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"\t'b' type_id=4 bits_offset=32 bitfield_size=3\n"
	"\t'c' type_id=4 bits_offset=35 bitfield_size=29\n"
	"\t'(anon)' type_id=7 bits_offset=64\n"
	"\t'name' type_id=6 bits_offset=128\n"
	"\t'e' type_id=9 bits_offset=256 bitfield_size=2\n"
	"[9] ENUM 'e' encoding=SIGNED size=4 vlen=3\n"
	"\t'E_NEG' val=-1\n"
	"\t'E_MIN' val=-2147483648\n"
	"\t'E_ONE' val=1\n"
	"[10] ENUM 'eu' encoding=UNSIGNED size=4 vlen=2\n"
	"\t'EU_MAX' val=4294967295\n"
	"\t'EU_ZERO' val=0\n"
	"[11] ENUM 'efwd' encoding=UNSIGNED size=4 vlen=0\n"
	"[12] ENUM64 'e64s' encoding=SIGNED size=8 vlen=3\n"
	"\t'S_MIN' val=-9223372036854775808LL\n"
	"\t'S_NEG' val=-5LL\n"
	"\t'S_BIG' val=4294967296LL\n"
	"[13] ENUM64 '(anon)' encoding=UNSIGNED size=8 vlen=2\n"
	"\t'U_MAX' val=18446744073709551615ULL\n"
	"\t'U_TEN' val=10ULL\n"
	"[14] FWD 'fs' fwd_kind=struct\n"
	"[15] FWD 'fu' fwd_kind=union\n"
	"[16] TYPEDEF 'myint' type_id=1\n"
	"[17] VOLATILE '(anon)' type_id=1\n"
	"[18] CONST '(anon)' type_id=17\n"
	"[19] RESTRICT '(anon)' type_id=5\n"
	"[20] FUNC_PROTO '(anon)' ret_type_id=1 vlen=3\n"
	"\t'fmt' type_id=5\n"
	"\t'n' type_id=16\n"
	"\t'(anon)' type_id=0\n"
	"[21] FUNC 'f_static' type_id=20 linkage=static\n"
	"[22] FUNC 'f_global' type_id=20 linkage=global\n"
	"[23] FUNC_PROTO '(anon)' ret_type_id=0 vlen=0\n"
	"[24] VAR 'v_global' type_id=1, linkage=global\n"
	"[25] VAR 'v_static' type_id=8, linkage=static\n"
	"[26] DATASEC '.data' size=64 vlen=2\n"
	"\ttype_id=24 offset=0 size=4 (VAR 'v_global')\n"
	"\ttype_id=25 offset=8 size=40 (VAR 'v_static')\n"
	"[27] FLOAT 'double' size=8\n"
	"[28] DECL_TAG 'whole' type_id=8 component_idx=-1\n"
	"[29] DECL_TAG 'member' type_id=8 component_idx=1\n"
	"[30] DECL_TAG 'param' type_id=22 component_idx=0\n"
	"[31] TYPE_TAG 'user' type_id=1\n"
	"[32] PTR '(anon)' type_id=31\n";

static void add_all_kinds(struct btf_builder *b)
{
	ck_assert_int_eq(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ck_assert_int_eq(btf_builder_add_int(b, "char", 1, 8, BTF_INT_CHAR), 2);
	ck_assert_int_eq(btf_builder_add_int(b, "_Bool", 1, 8, BTF_INT_BOOL), 3);
	ck_assert_int_eq(btf_builder_add_int(b, "unsigned int", 4, 32, 0), 4);
	ck_assert_int_eq(btf_builder_add_ptr(b, 1), 5);
	ck_assert_int_eq(btf_builder_add_array(b, 2, 4, 16), 6);
	ck_assert_int_eq(btf_builder_add_union(b, NULL, 8), 7);
	ck_assert_int_eq(btf_builder_add_member(b, "i", 1, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "p", 5, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_struct(b, "s", 40), 8);
	ck_assert_int_eq(btf_builder_add_member(b, "a", 1, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "b", 4, 32, 3), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "c", 4, 35, 29), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "", 7, 64, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "name", 6, 128, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "e", 9, 256, 2), 0);
	ck_assert_int_eq(btf_builder_add_enum(b, "e", 4), 9);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "E_NEG", -1), 0);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "E_MIN", INT32_MIN), 0);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "E_ONE", 1), 0);
	ck_assert_int_eq(btf_builder_add_enum(b, "eu", 4), 10);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "EU_MAX", UINT32_MAX), 0);
	ck_assert_int_eq(btf_builder_add_enum_value(b, "EU_ZERO", 0), 0);
	ck_assert_int_eq(btf_builder_add_enum(b, "efwd", 4), 11);
	ck_assert_int_eq(btf_builder_add_enum64(b, "e64s", 8, true), 12);
	ck_assert_int_eq(btf_builder_add_enum64_value(b, "S_MIN", (uint64_t)INT64_MIN), 0);
	ck_assert_int_eq(btf_builder_add_enum64_value(b, "S_NEG", (uint64_t)-5), 0);
	ck_assert_int_eq(btf_builder_add_enum64_value(b, "S_BIG", 1ull << 32), 0);
	ck_assert_int_eq(btf_builder_add_enum64(b, NULL, 8, false), 13);
	ck_assert_int_eq(btf_builder_add_enum64_value(b, "U_MAX", UINT64_MAX), 0);
	ck_assert_int_eq(btf_builder_add_enum64_value(b, "U_TEN", 10), 0);
}

static void add_all_kinds_rest(struct btf_builder *b)
{
	ck_assert_int_eq(btf_builder_add_fwd(b, "fs", false), 14);
	ck_assert_int_eq(btf_builder_add_fwd(b, "fu", true), 15);
	ck_assert_int_eq(btf_builder_add_typedef(b, "myint", 1), 16);
	ck_assert_int_eq(btf_builder_add_volatile(b, 1), 17);
	ck_assert_int_eq(btf_builder_add_const(b, 17), 18);
	ck_assert_int_eq(btf_builder_add_restrict(b, 5), 19);
	ck_assert_int_eq(btf_builder_add_func_proto(b, 1), 20);
	ck_assert_int_eq(btf_builder_add_param(b, "fmt", 5), 0);
	ck_assert_int_eq(btf_builder_add_param(b, "n", 16), 0);
	ck_assert_int_eq(btf_builder_add_param(b, NULL, 0), 0);
	ck_assert_int_eq(btf_builder_add_func(b, "f_static", BTF_BUILDER_STATIC, 20), 21);
	ck_assert_int_eq(btf_builder_add_func(b, "f_global", BTF_BUILDER_GLOBAL, 20), 22);
	ck_assert_int_eq(btf_builder_add_func_proto(b, 0), 23);
	ck_assert_int_eq(btf_builder_add_var(b, "v_global", BTF_BUILDER_GLOBAL, 1), 24);
	ck_assert_int_eq(btf_builder_add_var(b, "v_static", BTF_BUILDER_STATIC, 8), 25);
	ck_assert_int_eq(btf_builder_add_datasec(b, ".data", 64), 26);
	ck_assert_int_eq(btf_builder_add_datasec_var(b, 24, 0, 4), 0);
	ck_assert_int_eq(btf_builder_add_datasec_var(b, 25, 8, 40), 0);
	ck_assert_int_eq(btf_builder_add_float(b, "double", 8), 27);
	ck_assert_int_eq(btf_builder_add_decl_tag(b, "whole", 8, -1), 28);
	ck_assert_int_eq(btf_builder_add_decl_tag(b, "member", 8, 1), 29);
	ck_assert_int_eq(btf_builder_add_decl_tag(b, "param", 22, 0), 30);
	ck_assert_int_eq(btf_builder_add_type_tag(b, "user", 1), 31);
	ck_assert_int_eq(btf_builder_add_ptr(b, 31), 32);
}

static struct btf_builder *all_kinds(void)
{
	struct btf_builder *b;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	add_all_kinds(b);
	add_all_kinds_rest(b);
	return b;
}

/* The bpftool to compare with, or NULL (and a note on stderr, once). */
static const char *bpftool_path(void)
{
	static const char *const paths[] = { "/usr/sbin/bpftool", "/sbin/bpftool",
					     "/usr/local/sbin/bpftool", "/usr/bin/bpftool" };
	static bool noted;
	const char *env = getenv("BPFTOOL");
	size_t i;

	if (env && *env)
		return env;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	if (!noted)
		fprintf(stderr, "SKIP: bpftool not found, not comparing with it\n");
	noted = true;
	return NULL;
}

/* Writes b's finalized blob to a new temporary file; returns its path. */
static char *write_blob(struct btf_builder *b)
{
	char *path = strdup("/tmp/test_dump.XXXXXX");
	const void *data;
	uint32_t size;
	FILE *f;
	int fd;

	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, size, f), size);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* bpftool's dump of file (on base if not NULL), as a string. */
static char *bpftool_dump(const char *bpftool, const char *base, const char *file)
{
	char cmd[1024], *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *in, *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	if (base)
		snprintf(cmd, sizeof(cmd), "'%s' -B '%s' btf dump file '%s'", bpftool, base, file);
	else
		snprintf(cmd, sizeof(cmd), "'%s' btf dump file '%s'", bpftool, file);
	in = popen(cmd, "r");
	ck_assert_ptr_nonnull(in);
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		fwrite(chunk, 1, n, out);
	ck_assert_int_eq(pclose(in), 0);
	fclose(out);
	return buf;
}

/* b's dump must equal bpftool's dump of b's finalized blob (on base's). */
static void assert_same_as_bpftool(struct btf_builder *b, struct btf_builder *base)
{
	const char *bpftool = bpftool_path();
	char *path, *base_path = NULL, *ours, *theirs;

	if (!bpftool)
		return;
	if (base)
		base_path = write_blob(base);
	path = write_blob(b);
	ours = test_dump(b);
	theirs = bpftool_dump(bpftool, base_path, path);
	ck_assert_ptr_nonnull(ours);
	ck_assert_str_eq(ours, theirs);
	free(ours);
	free(theirs);
	unlink(path);
	free(path);
	if (base_path)
		unlink(base_path);
	free(base_path);
}

START_TEST(every_kind)
{
	struct btf_builder *b = all_kinds();
	char *text = test_dump(b);

	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, all_kinds_text);
	free(text);
	btf_builder_free(b);
}
END_TEST

START_TEST(every_kind_bpftool)
{
	struct btf_builder *b = all_kinds();

	assert_same_as_bpftool(b, NULL);
	btf_builder_free(b);
}
END_TEST

/* A parsed blob dumps like the builder it came from. */
START_TEST(every_kind_parsed)
{
	struct btf_builder *b = all_kinds(), *p;
	const void *data;
	uint32_t size;
	char *text;

	ck_assert_int_eq(btf_builder_finalize(b, &data, &size), 0);
	ck_assert_int_eq(btf_builder_parse(data, size, NULL, &p), 0);
	text = test_dump(p);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, all_kinds_text);
	free(text);
	btf_builder_free(p);
	btf_builder_free(b);
}
END_TEST

static const char split_text[] =
	"[33] STRUCT 'mod' size=16 vlen=2\n"
	"\t'v_global' type_id=5 bits_offset=0\n"
	"\t'tag' type_id=9 bits_offset=64 bitfield_size=4\n"
	"[34] VAR 'mod_var' type_id=33, linkage=global\n"
	"[35] DATASEC '.bss' size=32 vlen=2\n"
	"\ttype_id=24 offset=0 size=4 (VAR 'v_global')\n"
	"\ttype_id=34 offset=8 size=16 (VAR 'mod_var')\n"
	"[36] DECL_TAG 'split' type_id=22 component_idx=1\n";

/* Split BTF: ids go on from the base's, names and kinds come from both. */
START_TEST(split)
{
	struct btf_builder *base = all_kinds(), *b;
	char *text;

	ck_assert_int_eq(btf_builder_new_split(base, &b), 0);
	ck_assert_int_eq(btf_builder_add_struct(b, "mod", 16), 33);
	ck_assert_int_eq(btf_builder_add_member(b, "v_global", 5, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "tag", 9, 64, 4), 0);
	ck_assert_int_eq(btf_builder_add_var(b, "mod_var", BTF_BUILDER_GLOBAL, 33), 34);
	ck_assert_int_eq(btf_builder_add_datasec(b, ".bss", 32), 35);
	ck_assert_int_eq(btf_builder_add_datasec_var(b, 24, 0, 4), 0);
	ck_assert_int_eq(btf_builder_add_datasec_var(b, 34, 8, 16), 0);
	ck_assert_int_eq(btf_builder_add_decl_tag(b, "split", 22, 1), 36);
	text = test_dump(b);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, split_text);
	free(text);
	assert_same_as_bpftool(b, base);
	btf_builder_free(b);
	btf_builder_free(base);
}
END_TEST

START_TEST(empty)
{
	struct btf_builder *b, *s;
	char *text;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	text = test_dump(b);
	ck_assert_str_eq(text, "");
	free(text);
	ck_assert_int_eq(btf_builder_new_split(b, &s), 0);
	text = test_dump(s);
	ck_assert_str_eq(text, "");
	free(text);
	btf_builder_free(s);
	btf_builder_free(b);
}
END_TEST

/*
 * Integer formatting at every digit-count boundary, checked against
 * snprintf: 10^k - 1 and 10^k for each k, both signs, and the extremes.
 */
START_TEST(numbers)
{
	struct btf_builder *b;
	char *expect = NULL, *text, name[32];
	size_t len = 0;
	FILE *f = open_memstream(&expect, &len);
	uint64_t p = 1;
	int k, n = 0;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_enum64(b, "u", 8, false), 1);
	fprintf(f, "[1] ENUM64 'u' encoding=UNSIGNED size=8 vlen=41\n");
	for (k = 0; k <= 19; k++, p *= 10) {
		uint64_t v[2] = { p - 1, p };

		for (int j = 0; j < 2; j++) {
			snprintf(name, sizeof(name), "U%d", n++);
			ck_assert_int_eq(btf_builder_add_enum64_value(b, name, v[j]), 0);
			fprintf(f, "\t'%s' val=%lluULL\n", name, (unsigned long long)v[j]);
		}
	}
	ck_assert_int_eq(btf_builder_add_enum64_value(b, "UMAX", UINT64_MAX), 0);
	fprintf(f, "\t'UMAX' val=%lluULL\n", (unsigned long long)UINT64_MAX);
	ck_assert_int_eq(btf_builder_add_enum64(b, "s", 8, true), 2);
	fprintf(f, "[2] ENUM64 's' encoding=SIGNED size=8 vlen=38\n");
	for (k = 0, p = 1; k <= 18; k++, p *= 10) {
		int64_t v[2] = { -(int64_t)p, -(int64_t)p + 1 };

		for (int j = 0; j < 2; j++) {
			snprintf(name, sizeof(name), "S%d", n++);
			ck_assert_int_eq(btf_builder_add_enum64_value(b, name, (uint64_t)v[j]), 0);
			fprintf(f, "\t'%s' val=%lldLL\n", name, (long long)v[j]);
		}
	}
	fclose(f);
	text = test_dump(b);
	ck_assert_str_eq(text, expect);
	free(text);
	free(expect);
	assert_same_as_bpftool(b, NULL);
	btf_builder_free(b);
}
END_TEST

/* More than the dump's 1 MiB buffer: the flushes join up seamlessly. */
START_TEST(large)
{
	struct btf_builder *b;
	char *expect = NULL, *text, name[32];
	size_t len = 0;
	FILE *f = open_memstream(&expect, &len);
	int i, id;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	fprintf(f, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n");
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "struct_%d", i);
		id = btf_builder_add_struct(b, name, 16);
		ck_assert_int_eq(id, i + 2);
		fprintf(f, "[%d] STRUCT '%s' size=16 vlen=4\n", id, name);
		for (int m = 0; m < 4; m++) {
			snprintf(name, sizeof(name), "member_%d", m);
			ck_assert_int_eq(btf_builder_add_member(b, name, 1, 32u * m, 0), 0);
			fprintf(f, "\t'%s' type_id=1 bits_offset=%d\n", name, 32 * m);
		}
	}
	fclose(f);
	ck_assert_uint_gt(len, 2u << 20);
	text = test_dump(b);
	ck_assert_str_eq(text, expect);
	free(text);
	free(expect);
	btf_builder_free(b);
}
END_TEST

/* A failed write is -EIO, not a crash or a silent success. */
START_TEST(write_error)
{
	struct btf_builder *b = all_kinds();
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		fprintf(stderr, "SKIP: no /dev/full\n");
		btf_builder_free(b);
		return;
	}
	ck_assert_int_eq(btf_dump_raw(b, f), -EIO);
	fclose(f);
	f = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(btf_dump_raw(b, f), -EIO);
	fclose(f);
	btf_builder_free(b);
}
END_TEST

static Suite *dump_suite(void)
{
	Suite *s = suite_create("dump");
	TCase *tc = tcase_create("raw");

	tcase_add_test(tc, every_kind);
	tcase_add_test(tc, every_kind_bpftool);
	tcase_add_test(tc, every_kind_parsed);
	tcase_add_test(tc, split);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, large);
	tcase_add_test(tc, write_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run(dump_suite());
}
