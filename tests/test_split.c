// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_split - split BTF: ids and string offsets continue the base's,
 * lookups fall through to it, its strings are reused, it never changes.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "testutil.h"

static struct btf_builder *base_fixture(void)
{
	struct btf_builder *b;

	ck_assert_int_eq(btf_builder_new(&b), 0);
	ck_assert_int_eq(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ck_assert_int_eq(btf_builder_add_fwd(b, "task_struct", false), 2);
	ck_assert_int_eq(btf_builder_add_ptr(b, 2), 3);
	return b;
}

START_TEST(ids_and_strings_continue)
{
	struct btf_builder *base = base_fixture(), *split;
	const void *data;
	uint32_t size, base_str;
	char *text;

	base_str = btf_builder_str_len(base);
	ck_assert_uint_eq(base_str, sizeof("\0int\0task_struct"));
	ck_assert_int_eq(btf_builder_new_split(base, &split), 0);
	ck_assert_uint_eq(btf_builder_start_id(split), 4);
	ck_assert_uint_eq(btf_builder_start_str_off(split), base_str);
	ck_assert_uint_eq(btf_builder_str_len(split), 0);

	/* Base strings are reused: nothing new in the split's section. */
	ck_assert_int_eq(btf_builder_add_str(split, "task_struct"), 5);
	ck_assert_int_eq(btf_builder_add_str(split, ""), 0);
	ck_assert_uint_eq(btf_builder_str_len(split), 0);

	ck_assert_int_eq(btf_builder_add_struct(split, "mod_state", 16), 4);
	ck_assert_int_eq(btf_builder_add_member(split, "task", 3, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(split, "int", 1, 64, 0), 0);
	ck_assert_int_eq(btf_builder_add_typedef(split, "task_struct", 4), 5);
	ck_assert_uint_eq(btf_builder_type_cnt(split), 6);
	ck_assert_int_eq(btf_builder_find_str(split, "mod_state"), (int)base_str);
	ck_assert_str_eq(btf_builder_str(split, base_str), "mod_state");
	ck_assert_str_eq(btf_builder_str(split, 1), "int");
	ck_assert_ptr_eq(btf_builder_type(split, 2), btf_builder_type(base, 2));
	ck_assert_ptr_null(btf_builder_type(split, 6));

	text = test_dump(split);
	ck_assert_str_eq(text, "[4] STRUCT 'mod_state' size=16 vlen=2\n"
			       "\t'task' type_id=3 bits_offset=0\n"
			       "\t'int' type_id=1 bits_offset=64\n"
			       "[5] TYPEDEF 'task_struct' type_id=4\n");
	free(text);

	/* The split blob: only own types and own strings ("mod_state", "task"). */
	ck_assert_int_eq(btf_builder_finalize(split, &data, &size), 0);
	ck_assert_uint_eq(size, 24 + (12 + 24) + 12 + sizeof("mod_state\0task"));
	ck_assert_int_eq(memcmp((const char *)data + 24 + 48, "mod_state\0task", 15), 0);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

START_TEST(base_never_changes)
{
	struct btf_builder *base = base_fixture(), *split;
	const void *data;
	uint32_t size, cnt;
	void *before;

	ck_assert_int_eq(btf_builder_finalize(base, &data, &size), 0);
	before = malloc(size);
	memcpy(before, data, size);
	cnt = btf_builder_type_cnt(base);

	ck_assert_int_eq(btf_builder_new_split(base, &split), 0);
	ck_assert_int_ge(btf_builder_add_str(split, "int"), 0);
	ck_assert_int_ge(btf_builder_add_str(split, "new_name"), 0);
	ck_assert_int_ge(btf_builder_add_ptr(split, 1), 0);
	ck_assert_int_ge(btf_builder_add_struct(split, "task_struct", 8), 0);

	ck_assert_uint_eq(btf_builder_type_cnt(base), cnt);
	ck_assert_int_eq(btf_builder_find_str(base, "new_name"), -ENOENT);
	ck_assert_int_eq(btf_builder_finalize(base, &data, &size), 0);
	ck_assert_int_eq(memcmp(before, data, size), 0);
	free(before);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

/* A parsed base stays read-only while splits look things up in it. */
START_TEST(parsed_base_stays_read_only)
{
	struct btf_builder *built = base_fixture(), *base, *split, *reparsed;
	const void *data, *sdata;
	uint32_t size, ssize;
	char *a, *b2;

	ck_assert_int_eq(btf_builder_finalize(built, &data, &size), 0);
	ck_assert_int_eq(btf_builder_parse(data, size, NULL, &base), 0);
	ck_assert(!btf_builder_is_writable(base));
	ck_assert_int_eq(btf_builder_new_split(base, &split), 0);
	ck_assert_int_eq(btf_builder_add_ptr(split, 1), 4);
	ck_assert_int_eq(btf_builder_add_typedef(split, "task_struct", 2), 5);
	ck_assert(!btf_builder_is_writable(base));
	ck_assert_uint_eq(btf_builder_str_len(split), 0);

	/* Its blob parses back on the same base to the same types. */
	ck_assert_int_eq(btf_builder_finalize(split, &sdata, &ssize), 0);
	ck_assert_int_eq(btf_builder_parse(sdata, ssize, base, &reparsed), 0);
	a = test_dump(split);
	b2 = test_dump(reparsed);
	ck_assert_str_eq(a, b2);
	ck_assert_str_eq(a, "[4] PTR '(anon)' type_id=1\n[5] TYPEDEF 'task_struct' type_id=2\n");
	free(a);
	free(b2);
	btf_builder_free(reparsed);
	btf_builder_free(split);
	btf_builder_free(base);
	btf_builder_free(built);
}
END_TEST

/* A base parsed from a blob it takes (no copy), and a corrupt blob given
 * the same way: refused, and freed (valgrind sees no leak). */
START_TEST(parse_owned_takes_the_blob)
{
	struct btf_builder *built = base_fixture(), *base;
	const void *data;
	uint32_t size;
	void *copy;
	char *text;

	ck_assert_int_eq(btf_builder_finalize(built, &data, &size), 0);
	copy = malloc(size);
	memcpy(copy, data, size);
	ck_assert_int_eq(btf_builder_parse_owned(copy, size, NULL, &base), 0);
	text = test_dump(base);
	ck_assert_str_eq(text, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
			       "[2] FWD 'task_struct' fwd_kind=struct\n"
			       "[3] PTR '(anon)' type_id=2\n");
	free(text);
	btf_builder_free(base);

	copy = malloc(size);
	memcpy(copy, data, size);
	((unsigned char *)copy)[0] ^= 0xff; /* the magic */
	ck_assert_int_eq(btf_builder_parse_owned(copy, size, NULL, &base), -EINVAL);
	btf_builder_free(built);
}
END_TEST

/* The blob written to a file at an offset that is no page boundary (as
 * a .BTF section lies in a vmlinux) and mapped read-only from the page
 * before it, the mapping given to btf_builder_parse_mapped(). */
static const void *map_blob(const void *blob, uint32_t size, void **map, size_t *map_len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t off = (size_t)page + 8;
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)off, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(blob, 1, size, f), size);
	ck_assert_int_eq(fflush(f), 0);
	*map_len = 8 + size;
	*map = mmap(NULL, *map_len, PROT_READ, MAP_PRIVATE, fileno(f), page);
	ck_assert_ptr_ne(*map, MAP_FAILED);
	fclose(f);
	return (const char *)*map + 8;
}

/* A base parsed where a file mapping holds it: read in place (the mapping
 * is read-only, so a write would fault), copied at the first change, and
 * unmapped by the builder; a corrupt one is refused and unmapped; one in
 * the other byte order is copied to be swapped. */
START_TEST(parse_mapped_reads_in_place)
{
	struct btf_builder *built = base_fixture(), *base;
	const void *data, *blob;
	uint32_t size;
	size_t map_len;
	void *map;
	char *text;

	ck_assert_int_eq(btf_builder_finalize(built, &data, &size), 0);
	blob = map_blob(data, size, &map, &map_len);
	ck_assert_int_eq(btf_builder_parse_mapped(blob, size, map, map_len, NULL, &base), 0);
	ck_assert_ptr_eq(btf_builder_str(base, 1), (const char *)blob + sizeof(struct btf_header) +
							  3 * sizeof(struct btf_type) + 4 + 1);
	ck_assert_int_eq(btf_builder_add_typedef(base, "task_t", 2), 4);
	text = test_dump(base);
	ck_assert_str_eq(text, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
			       "[2] FWD 'task_struct' fwd_kind=struct\n"
			       "[3] PTR '(anon)' type_id=2\n"
			       "[4] TYPEDEF 'task_t' type_id=2\n");
	free(text);
	btf_builder_free(base);

	btf_builder_set_endian(built, btf_builder_endian(built) == BTF_ENDIAN_LITTLE
					      ? BTF_ENDIAN_BIG
					      : BTF_ENDIAN_LITTLE);
	ck_assert_int_eq(btf_builder_finalize(built, &data, &size), 0);
	blob = map_blob(data, size, &map, &map_len);
	ck_assert_int_eq(btf_builder_parse_mapped(blob, size, map, map_len, NULL, &base), 0);
	text = test_dump(base);
	ck_assert_str_eq(text, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
			       "[2] FWD 'task_struct' fwd_kind=struct\n"
			       "[3] PTR '(anon)' type_id=2\n");
	free(text);
	btf_builder_free(base);

	blob = map_blob(data, size - 1, &map, &map_len);
	ck_assert_int_eq(btf_builder_parse_mapped(blob, size - 1, map, map_len, NULL, &base),
			 -EINVAL);
	btf_builder_free(built);
}
END_TEST

/* Adds to two splits on the same base, one with its strings local. */
static void local_fixture_adds(struct btf_builder *b)
{
	ck_assert_int_eq(btf_builder_add_struct(b, "mod_state", 16), 4);
	ck_assert_int_eq(btf_builder_add_member(b, "task", 3, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(b, "int", 1, 64, 0), 0);
	ck_assert_int_eq(btf_builder_add_typedef(b, "task_struct", 4), 5);
	ck_assert_int_eq(btf_builder_add_typedef(b, "mod_state_t", 4), 6);
}

/* a and b finalize to the same bytes; both freed. */
static void assert_same_blob_free(struct btf_builder *a, struct btf_builder *b)
{
	const void *da, *db;
	uint32_t sa, sb;

	ck_assert_int_eq(btf_builder_finalize(a, &da, &sa), 0);
	ck_assert_int_eq(btf_builder_finalize(b, &db, &sb), 0);
	ck_assert_uint_eq(sa, sb);
	ck_assert_int_eq(memcmp(da, db, sa), 0);
	btf_builder_free(a);
	btf_builder_free(b);
}

/* A split whose strings skip the base until its dedup: before, its own
 * section repeats the base's names; after, it is byte for byte the split
 * that looked in the base at each add, each name at the first of the
 * base's duplicates ("int" is in the base twice). */
START_TEST(strs_local_matches_base_at_dedup)
{
	struct btf_builder *built = base_fixture(), *base, *plain, *local;
	const void *data;
	uint32_t size, str_len;
	const struct btf_member *m;
	unsigned char *dup;

	ck_assert_int_eq(btf_builder_finalize(built, &data, &size), 0);
	dup = malloc(size + 4);
	memcpy(dup, data, size);
	memcpy(dup + size, "int", 4);
	memcpy(&str_len, dup + 20, 4);
	str_len += 4;
	memcpy(dup + 20, &str_len, 4);
	ck_assert_int_eq(btf_builder_parse(dup, size + 4, NULL, &base), 0);
	free(dup);

	ck_assert_int_eq(btf_builder_new_split(base, &plain), 0);
	ck_assert_int_eq(btf_builder_new_split(base, &local), 0);
	btf_builder_set_strs_local(local);
	local_fixture_adds(plain);
	local_fixture_adds(local);
	ck_assert_uint_eq(btf_builder_str_len(plain), sizeof("mod_state\0task\0mod_state_t"));
	ck_assert_uint_eq(btf_builder_str_len(local),
			  sizeof("mod_state\0task\0int\0task_struct\0mod_state_t"));

	ck_assert_int_eq(btf_builder_dedup(plain, NULL), 0);
	ck_assert_int_eq(btf_builder_dedup(local, NULL), 0);
	m = (const struct btf_member *)(btf_builder_type(local, 4) + 1);
	ck_assert_uint_eq(m[1].name_off, 1);
	ck_assert_uint_eq(btf_builder_type(local, 5)->name_off, 5);
	assert_same_blob_free(plain, local);
	btf_builder_free(base);
	btf_builder_free(built);
}
END_TEST

/* Local strings over a parsed split section that holds a name twice and
 * a name that is the tail of another: the second copy, which the
 * section's index does not point at, and the tail ("int" inside "my_int")
 * still take the base's offsets, as the dedup that looks names up gives. */
START_TEST(strs_local_copies_and_tails_in_own_section)
{
	struct btf_builder *base = base_fixture(), *built, *plain, *local;
	uint32_t size, str_len, own;
	const void *data;
	struct btf_member *m;
	unsigned char *dup;

	ck_assert_int_eq(btf_builder_new_split(base, &built), 0);
	btf_builder_set_strs_local(built);
	ck_assert_int_eq(btf_builder_add_struct(built, "mod_state", 8), 4);
	ck_assert_int_eq(btf_builder_add_member(built, "task_struct", 3, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(built, "my_int", 1, 32, 0), 0);
	ck_assert_int_eq(btf_builder_finalize(built, &data, &size), 0);
	/* "task_struct" once more at the end; the first member names that
	 * copy, the second the "int" in "my_int". */
	dup = malloc(size + sizeof("task_struct"));
	memcpy(dup, data, size);
	memcpy(dup + size, "task_struct", sizeof("task_struct"));
	memcpy(&str_len, dup + 20, 4);
	own = btf_builder_start_str_off(built);
	m = (struct btf_member *)(dup + 24 + sizeof(struct btf_type));
	ck_assert_uint_eq(m[0].name_off, own + sizeof("mod_state"));
	ck_assert_uint_eq(m[1].name_off, own + sizeof("mod_state") + sizeof("task_struct"));
	m[0].name_off = own + str_len;
	m[1].name_off += 3;
	str_len += sizeof("task_struct");
	memcpy(dup + 20, &str_len, 4);

	ck_assert_int_eq(btf_builder_parse(dup, size + sizeof("task_struct"), base, &plain), 0);
	ck_assert_int_eq(btf_builder_parse(dup, size + sizeof("task_struct"), base, &local), 0);
	free(dup);
	btf_builder_set_strs_local(local);
	ck_assert_int_eq(btf_builder_dedup(plain, NULL), 0);
	ck_assert_int_eq(btf_builder_dedup(local, NULL), 0);
	m = (struct btf_member *)(btf_builder_type(local, 4) + 1);
	ck_assert_uint_eq(m[0].name_off, 5);
	ck_assert_uint_eq(m[1].name_off, 1);
	ck_assert_str_eq(btf_builder_str(local, m[0].name_off), "task_struct");
	ck_assert_str_eq(btf_builder_str(local, m[1].name_off), "int");
	assert_same_blob_free(plain, local);
	btf_builder_free(built);
	btf_builder_free(base);
}
END_TEST

/* A module that only declares a base struct still reaches the base's
 * pointer to it and a prototype over that pointer: the declaration
 * resolves by name, whatever members the base struct has (names the
 * module never uses), and the unnamed types over it are candidates. */
START_TEST(declared_struct_reaches_base_references)
{
	struct btf_builder *base, *split;
	const void *data;
	uint32_t size;
	char *text;

	ck_assert_int_eq(btf_builder_new(&base), 0);
	ck_assert_int_eq(btf_builder_add_int(base, "int", 4, 32, BTF_INT_SIGNED), 1);
	ck_assert_int_eq(btf_builder_add_struct(base, "pollfd", 8), 2);
	ck_assert_int_eq(btf_builder_add_member(base, "fd", 1, 0, 0), 0);
	ck_assert_int_eq(btf_builder_add_member(base, "events", 1, 32, 0), 0);
	ck_assert_int_eq(btf_builder_add_ptr(base, 2), 3);
	ck_assert_int_eq(btf_builder_add_func_proto(base, 1), 4);
	ck_assert_int_eq(btf_builder_add_param(base, "p", 3), 0);
	ck_assert_int_eq(btf_builder_add_ptr(base, 4), 5);
	ck_assert_int_eq(btf_builder_finalize(base, &data, &size), 0);

	ck_assert_int_eq(btf_builder_new_split(base, &split), 0);
	btf_builder_set_strs_local(split);
	ck_assert_int_eq(btf_builder_add_fwd(split, "pollfd", false), 6);
	ck_assert_int_eq(btf_builder_add_ptr(split, 6), 7);
	ck_assert_int_eq(btf_builder_add_func_proto(split, 1), 8);
	ck_assert_int_eq(btf_builder_add_param(split, "p", 7), 0);
	ck_assert_int_eq(btf_builder_add_ptr(split, 8), 9);
	ck_assert_int_eq(btf_builder_add_typedef(split, "poll_fn", 9), 10);
	ck_assert_int_eq(btf_builder_dedup(split, NULL), 0);
	text = test_dump(split);
	ck_assert_str_eq(text, "[6] TYPEDEF 'poll_fn' type_id=5\n");
	free(text);
	btf_builder_free(split);
	btf_builder_free(base);
}
END_TEST

/* Split on split: ids and string offsets are cumulative. */
START_TEST(two_levels)
{
	struct btf_builder *base = base_fixture(), *mid, *top;
	uint32_t mid_str;

	ck_assert_int_eq(btf_builder_new_split(base, &mid), 0);
	ck_assert_int_eq(btf_builder_add_typedef(mid, "mid_t", 1), 4);
	mid_str = btf_builder_start_str_off(mid) + btf_builder_str_len(mid);
	ck_assert_int_eq(btf_builder_new_split(mid, &top), 0);
	ck_assert_uint_eq(btf_builder_start_id(top), 5);
	ck_assert_uint_eq(btf_builder_start_str_off(top), mid_str);
	ck_assert_int_eq(btf_builder_add_typedef(top, "top_t", 4), 5);
	ck_assert_int_eq(btf_builder_add_typedef(top, "mid_t", 1), 6);
	ck_assert_uint_eq(btf_builder_str_len(top), sizeof("top_t"));
	ck_assert_str_eq(btf_builder_str(top, btf_builder_type(top, 6)->name_off), "mid_t");
	ck_assert_str_eq(btf_builder_str(top, btf_builder_type(top, 2)->name_off), "task_struct");
	btf_builder_free(top);
	btf_builder_free(mid);
	btf_builder_free(base);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("split");
	TCase *tc = tcase_create("split");

	tcase_add_test(tc, ids_and_strings_continue);
	tcase_add_test(tc, base_never_changes);
	tcase_add_test(tc, parsed_base_stays_read_only);
	tcase_add_test(tc, parse_owned_takes_the_blob);
	tcase_add_test(tc, parse_mapped_reads_in_place);
	tcase_add_test(tc, strs_local_matches_base_at_dedup);
	tcase_add_test(tc, strs_local_copies_and_tails_in_own_section);
	tcase_add_test(tc, declared_struct_reaches_base_references);
	tcase_add_test(tc, two_levels);
	suite_add_tcase(s, tc);
	return test_run(s);
}
