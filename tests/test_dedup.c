// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_dedup - btf_builder_dedup(), one rule per test.
 *
 * Each input is built the way an encoder emits it: one compile unit (CU) at a
 * time in a builder of its own, numbered from 1 (or from the base's next id),
 * then appended to one builder. Comments give each type's id in the combined
 * input. The expected dumps follow from the algorithm of libbpf's dedup
 * (docs: BTF.md part 3): the first copy in id order is canonical, compaction
 * keeps the order of the survivors, strings are rebuilt in first-use order.
 * Every standalone result must also load into the running kernel.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

START_TEST(strings_deduped_unreferenced_dropped)
{
	struct btf_builder *all = cu(), *u;

	ck_assert_int_gt(btf_builder_add_str(all, "unused"), 0);
	cat(all, cu_int_s());			/* 1 int, 2 s */
	u = cu_int_s();				/* 3 int, 4 s */
	ADD(btf_builder_add_typedef(u, "T", 2), 3);	/* 5 T -> 4 */
	ck_assert_int_gt(btf_builder_add_str(u, "not copied"), 0);
	cat(all, u);
	assert_strs(all, "\0unused\0int\0s\0x\0T", sizeof("\0unused\0int\0s\0x\0T"));

	dedup_expect(all, INT_LINE(1)
		     "[2] STRUCT 's' size=4 vlen=1\n"
		     "\t'x' type_id=1 bits_offset=0\n"
		     "[3] TYPEDEF 'T' type_id=2\n");
	assert_strs(all, "\0int\0s\0x\0T", sizeof("\0int\0s\0x\0T"));
	btf_builder_free(all);
}
END_TEST

/* A parsed blob may hold a string twice; types naming either copy merge. */
START_TEST(strings_duplicated_in_blob)
{
	static const struct {
		struct btf_header h;
		uint32_t types[8];
		char strs[10];
	} __attribute__((packed)) blob = {
		{ BTF_MAGIC, 1, 0, sizeof(struct btf_header), 0, 32, 32, 10 },
		{ 1, BTF_KIND_INT << 24, 4, (1u << 24) | 32,
		  5, BTF_KIND_INT << 24, 4, (1u << 24) | 32 },
		"\0int\0int\0",
	};
	struct btf_builder *b;

	OK(btf_builder_parse(&blob, sizeof(blob), NULL, &b));
	dedup_expect(b, INT_LINE(1));
	assert_strs(b, "\0int", sizeof("\0int"));
	btf_builder_free(b);
}
END_TEST

/* int, double, enum e, enum64 e64, fwd struct fs, fwd union fu. */
static struct btf_builder *cu_prims(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_float(u, "double", 8), 2);
	ADD(btf_builder_add_enum(u, "e", 4), 3);
	OK(btf_builder_add_enum_value(u, "A", 1));
	OK(btf_builder_add_enum_value(u, "B", 2));
	ADD(btf_builder_add_enum64(u, "e64", 8, false), 4);
	OK(btf_builder_add_enum64_value(u, "X", 1ull << 40));
	ADD(btf_builder_add_fwd(u, "fs", false), 5);
	ADD(btf_builder_add_fwd(u, "fu", true), 6);
	return u;
}

START_TEST(primitives_merge_by_equality)
{
	struct btf_builder *all = cu(), *u;

	cat(all, cu_prims());	/* 1-6 */
	cat(all, cu_prims());	/* 7-12: all merge */
	u = cu();		/* 13-18: each differs in one field */
	ADD(btf_builder_add_int(u, "int", 4, 32, 0), 1);
	ADD(btf_builder_add_int(u, "int", 8, 64, BTF_INT_SIGNED), 2);
	ADD(btf_builder_add_int(u, "int", 4, 16, BTF_INT_SIGNED), 3);
	ADD(btf_builder_add_float(u, "double", 4), 4);
	ADD(btf_builder_add_enum(u, "e", 4), 5);
	OK(btf_builder_add_enum_value(u, "A", 1));
	OK(btf_builder_add_enum_value(u, "B", 3));
	ADD(btf_builder_add_fwd(u, "fs", true), 6);
	cat(all, u);

	dedup_expect(all, INT_LINE(1)
		     "[2] FLOAT 'double' size=8\n"
		     "[3] ENUM 'e' encoding=UNSIGNED size=4 vlen=2\n"
		     "\t'A' val=1\n"
		     "\t'B' val=2\n"
		     "[4] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=1\n"
		     "\t'X' val=1099511627776ULL\n"
		     "[5] FWD 'fs' fwd_kind=struct\n"
		     "[6] FWD 'fu' fwd_kind=union\n"
		     "[7] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
		     "[8] INT 'int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		     "[9] INT 'int' size=4 bits_offset=0 nr_bits=16 encoding=SIGNED\n"
		     "[10] FLOAT 'double' size=4\n"
		     "[11] ENUM 'e' encoding=UNSIGNED size=4 vlen=2\n"
		     "\t'A' val=1\n"
		     "\t'B' val=3\n"
		     "[12] FWD 'fs' fwd_kind=union\n");
	btf_builder_free(all);
}
END_TEST

/* enum e: a forward declaration (vlen 0), or { A = 0 }; then a pointer to it. */
static struct btf_builder *cu_enum(bool fwd)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_enum(u, "e", 4), 1);
	if (!fwd)
		OK(btf_builder_add_enum_value(u, "A", 0));
	ADD(btf_builder_add_ptr(u, 1), 2);
	return u;
}

/* enum64 e { X = 1 << 33 } and a pointer to it. */
static struct btf_builder *cu_enum64(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_enum64(u, "e", 8, false), 1);
	OK(btf_builder_add_enum64_value(u, "X", 1ull << 33));
	ADD(btf_builder_add_ptr(u, 1), 2);
	return u;
}

static const char enum_def_first[] = "[1] ENUM 'e' encoding=UNSIGNED size=4 vlen=1\n"
				     "\t'A' val=0\n"
				     "[2] PTR '(anon)' type_id=1\n";

START_TEST(enum_fwd_then_definition)
{
	struct btf_builder *all = cu();

	cat(all, cu_enum(true));	/* 1 enum e (fwd), 2 ptr -> 1 */
	cat(all, cu_enum(false));	/* 3 enum e { A }, 4 ptr -> 3 */
	/* The definition takes the declaration's place as canonical copy. */
	dedup_expect(all, "[1] PTR '(anon)' type_id=2\n"
			  "[2] ENUM 'e' encoding=UNSIGNED size=4 vlen=1\n"
			  "\t'A' val=0\n");
	btf_builder_free(all);
}
END_TEST

START_TEST(enum_definition_then_fwd)
{
	struct btf_builder *all = cu();

	cat(all, cu_enum(false));	/* 1 enum e { A }, 2 ptr -> 1 */
	cat(all, cu_enum(true));	/* 3 enum e (fwd), 4 ptr -> 3 */
	dedup_expect(all, enum_def_first);
	btf_builder_free(all);
}
END_TEST

START_TEST(enum_fwd_meets_enum64)
{
	struct btf_builder *all = cu();

	cat(all, cu_enum(true));	/* 1 enum e (fwd, size 4), 2 ptr -> 1 */
	cat(all, cu_enum64());		/* 3 enum64 e, 4 ptr -> 3 */
	dedup_expect(all, "[1] PTR '(anon)' type_id=2\n"
			  "[2] ENUM64 'e' encoding=UNSIGNED size=8 vlen=1\n"
			  "\t'X' val=8589934592ULL\n");
	btf_builder_free(all);

	all = cu();
	cat(all, cu_enum64());		/* 1 enum64 e, 2 ptr -> 1 */
	cat(all, cu_enum(true));	/* 3 enum e (fwd), 4 ptr -> 3 */
	dedup_expect(all, "[1] ENUM64 'e' encoding=UNSIGNED size=8 vlen=1\n"
			  "\t'X' val=8589934592ULL\n"
			  "[2] PTR '(anon)' type_id=1\n");
	btf_builder_free(all);
}
END_TEST

/* A full enum and an enum64 of the same name are different types. */
START_TEST(enum_and_enum64_definitions_stay_apart)
{
	struct btf_builder *all = cu();

	cat(all, cu_enum(false));	/* 1 enum e { A }, 2 ptr -> 1 */
	cat(all, cu_enum64());		/* 3 enum64 e, 4 ptr -> 3 */
	dedup_expect(all, "[1] ENUM 'e' encoding=UNSIGNED size=4 vlen=1\n"
			  "\t'A' val=0\n"
			  "[2] PTR '(anon)' type_id=1\n"
			  "[3] ENUM64 'e' encoding=UNSIGNED size=8 vlen=1\n"
			  "\t'X' val=8589934592ULL\n"
			  "[4] PTR '(anon)' type_id=3\n");
	btf_builder_free(all);
}
END_TEST

/*
 * struct s { int a; struct s *p; }; union u { int i; float f; };
 * typedef struct s s_t; typedef union u u_t;
 */
static struct btf_builder *cu_graph(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(u, "s", 16), 2);
	OK(btf_builder_add_member(u, "a", 1, 0, 0));
	OK(btf_builder_add_member(u, "p", 3, 64, 0));
	ADD(btf_builder_add_ptr(u, 2), 3);
	ADD(btf_builder_add_union(u, "u", 4), 4);
	OK(btf_builder_add_member(u, "i", 1, 0, 0));
	OK(btf_builder_add_member(u, "f", 5, 0, 0));
	ADD(btf_builder_add_float(u, "float", 4), 5);
	ADD(btf_builder_add_typedef(u, "s_t", 2), 6);
	ADD(btf_builder_add_typedef(u, "u_t", 4), 7);
	return u;
}

START_TEST(struct_union_typedef_graph_equivalence)
{
	struct btf_builder *all = cu(), *u;

	cat(all, cu_graph());	/* 1-7 */
	cat(all, cu_graph());	/* 8-14: all merge */
	/* 15-18: struct s { float a; struct s *p; } and its typedef: same
	 * names, sizes and offsets, another graph. */
	u = cu();
	ADD(btf_builder_add_float(u, "float", 4), 1);
	ADD(btf_builder_add_struct(u, "s", 16), 2);
	OK(btf_builder_add_member(u, "a", 1, 0, 0));
	OK(btf_builder_add_member(u, "p", 3, 64, 0));
	ADD(btf_builder_add_ptr(u, 2), 3);
	ADD(btf_builder_add_typedef(u, "s_t", 2), 4);
	cat(all, u);

	dedup_expect(all, INT_LINE(1)
		     "[2] STRUCT 's' size=16 vlen=2\n"
		     "\t'a' type_id=1 bits_offset=0\n"
		     "\t'p' type_id=3 bits_offset=64\n"
		     "[3] PTR '(anon)' type_id=2\n"
		     "[4] UNION 'u' size=4 vlen=2\n"
		     "\t'i' type_id=1 bits_offset=0\n"
		     "\t'f' type_id=5 bits_offset=0\n"
		     "[5] FLOAT 'float' size=4\n"
		     "[6] TYPEDEF 's_t' type_id=2\n"
		     "[7] TYPEDEF 'u_t' type_id=4\n"
		     "[8] STRUCT 's' size=16 vlen=2\n"
		     "\t'a' type_id=5 bits_offset=0\n"
		     "\t'p' type_id=9 bits_offset=64\n"
		     "[9] PTR '(anon)' type_id=8\n"
		     "[10] TYPEDEF 's_t' type_id=8\n");
	btf_builder_free(all);
}
END_TEST

/*
 * struct bar { struct foo *f; }; with foo either a forward declaration or
 * struct foo { int x; }. Ids: 1 int, 2 foo, 3 foo *, 4 bar.
 */
static struct btf_builder *cu_bar(bool foo_fwd)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	if (foo_fwd) {
		ADD(btf_builder_add_fwd(u, "foo", false), 2);
	} else {
		ADD(btf_builder_add_struct(u, "foo", 4), 2);
		OK(btf_builder_add_member(u, "x", 1, 0, 0));
	}
	ADD(btf_builder_add_ptr(u, 2), 3);
	ADD(btf_builder_add_struct(u, "bar", 8), 4);
	OK(btf_builder_add_member(u, "f", 3, 0, 0));
	return u;
}

/* Another struct foo { float y; }: ids 1 float, 2 foo. With it, the name foo
 * is ambiguous, so only the graph comparison can resolve a FWD foo. */
static struct btf_builder *cu_other_foo(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_float(u, "float", 4), 1);
	ADD(btf_builder_add_struct(u, "foo", 4), 2);
	OK(btf_builder_add_member(u, "y", 1, 0, 0));
	return u;
}

START_TEST(fwd_resolved_in_graph_fwd_first)
{
	struct btf_builder *all = cu();

	cat(all, cu_bar(true));		/* 1 int, 2 fwd foo, 3 ptr, 4 bar */
	cat(all, cu_bar(false));	/* 5 int, 6 foo { x }, 7 ptr, 8 bar */
	cat(all, cu_other_foo());	/* 9 float, 10 foo { y } */
	dedup_expect(all, INT_LINE(1)
		     "[2] PTR '(anon)' type_id=4\n"
		     "[3] STRUCT 'bar' size=8 vlen=1\n"
		     "\t'f' type_id=2 bits_offset=0\n"
		     "[4] STRUCT 'foo' size=4 vlen=1\n"
		     "\t'x' type_id=1 bits_offset=0\n"
		     "[5] FLOAT 'float' size=4\n"
		     "[6] STRUCT 'foo' size=4 vlen=1\n"
		     "\t'y' type_id=5 bits_offset=0\n");
	btf_builder_free(all);
}
END_TEST

START_TEST(fwd_resolved_in_graph_struct_first)
{
	struct btf_builder *all = cu();

	cat(all, cu_bar(false));	/* 1 int, 2 foo { x }, 3 ptr, 4 bar */
	cat(all, cu_bar(true));		/* 5 int, 6 fwd foo, 7 ptr, 8 bar */
	cat(all, cu_other_foo());	/* 9 float, 10 foo { y } */
	dedup_expect(all, INT_LINE(1)
		     "[2] STRUCT 'foo' size=4 vlen=1\n"
		     "\t'x' type_id=1 bits_offset=0\n"
		     "[3] PTR '(anon)' type_id=2\n"
		     "[4] STRUCT 'bar' size=8 vlen=1\n"
		     "\t'f' type_id=3 bits_offset=0\n"
		     "[5] FLOAT 'float' size=4\n"
		     "[6] STRUCT 'foo' size=4 vlen=1\n"
		     "\t'y' type_id=5 bits_offset=0\n");
	btf_builder_free(all);
}
END_TEST

/* A FWD of union kind against a union, inside a graph. */
START_TEST(fwd_union_resolved_in_graph)
{
	struct btf_builder *all = cu(), *u;
	int i;

	for (i = 0; i < 2; i++) {	/* 1 u, 2 u *, 3 holder; then 4 int, 5 u { x }, ... */
		u = cu();
		if (i == 0) {
			ADD(btf_builder_add_fwd(u, "u", true), 1);
		} else {
			ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
			ADD(btf_builder_add_union(u, "u", 4), 2);
			OK(btf_builder_add_member(u, "x", 1, 0, 0));
		}
		ADD(btf_builder_add_ptr(u, (uint32_t)i + 1), i + 2);
		ADD(btf_builder_add_struct(u, "holder", 8), i + 3);
		OK(btf_builder_add_member(u, "p", (uint32_t)i + 2, 0, 0));
		cat(all, u);
	}
	dedup_expect(all, "[1] PTR '(anon)' type_id=4\n"
			  "[2] STRUCT 'holder' size=8 vlen=1\n"
			  "\t'p' type_id=1 bits_offset=0\n"
			  INT_LINE(3)
			  "[4] UNION 'u' size=4 vlen=1\n"
			  "\t'x' type_id=3 bits_offset=0\n");
	btf_builder_free(all);
}
END_TEST

/* A pointer to a forward declaration, never inside a compared graph. */
static struct btf_builder *cu_fwd_ptr(const char *name, bool is_union)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_fwd(u, name, is_union), 1);
	ADD(btf_builder_add_ptr(u, 1), 2);
	return u;
}

/* int, then a struct or union name { int x; }. */
static struct btf_builder *cu_named(const char *name, bool is_union)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(is_union ? btf_builder_add_union(u, name, 4) : btf_builder_add_struct(u, name, 4), 2);
	OK(btf_builder_add_member(u, "x", 1, 0, 0));
	return u;
}

START_TEST(unique_name_fwd_resolved)
{
	struct btf_builder *all = cu();

	cat(all, cu_fwd_ptr("foo", false));	/* 1 fwd foo, 2 ptr */
	cat(all, cu_fwd_ptr("un", true));	/* 3 fwd union un, 4 ptr */
	cat(all, cu_named("foo", false));	/* 5 int, 6 struct foo */
	cat(all, cu_named("un", true));		/* 7 int, 8 union un */
	dedup_expect(all, "[1] PTR '(anon)' type_id=4\n"
			  "[2] PTR '(anon)' type_id=5\n"
			  INT_LINE(3)
			  "[4] STRUCT 'foo' size=4 vlen=1\n"
			  "\t'x' type_id=3 bits_offset=0\n"
			  "[5] UNION 'un' size=4 vlen=1\n"
			  "\t'x' type_id=3 bits_offset=0\n");
	btf_builder_free(all);
}
END_TEST

START_TEST(unique_name_fwd_ambiguous_stays)
{
	struct btf_builder *all = cu();

	cat(all, cu_fwd_ptr("foo", false));	/* 1 fwd foo, 2 ptr */
	cat(all, cu_named("foo", false));	/* 3 int, 4 foo { int x } */
	cat(all, cu_other_foo());		/* 5 float, 6 foo { float y } */
	dedup_expect(all, "[1] FWD 'foo' fwd_kind=struct\n"
			  "[2] PTR '(anon)' type_id=1\n"
			  INT_LINE(3)
			  "[4] STRUCT 'foo' size=4 vlen=1\n"
			  "\t'x' type_id=3 bits_offset=0\n"
			  "[5] FLOAT 'float' size=4\n"
			  "[6] STRUCT 'foo' size=4 vlen=1\n"
			  "\t'y' type_id=5 bits_offset=0\n");
	btf_builder_free(all);
}
END_TEST

START_TEST(unique_name_fwd_kind_differs_stays)
{
	static const char expect[] = "[1] FWD 'foo' fwd_kind=union\n"
				     "[2] PTR '(anon)' type_id=1\n"
				     INT_LINE(3)
				     "[4] STRUCT 'foo' size=4 vlen=1\n"
				     "\t'x' type_id=3 bits_offset=0\n";
	struct btf_builder *all = cu();

	cat(all, cu_fwd_ptr("foo", true));	/* 1 fwd union foo, 2 ptr */
	cat(all, cu_named("foo", false));	/* 3 int, 4 struct foo */
	dedup_expect(all, expect);
	btf_builder_free(all);

	/* A struct and a union of one name: the name is not unique. */
	all = cu();
	cat(all, cu_fwd_ptr("foo", false));	/* 1 fwd struct foo, 2 ptr */
	cat(all, cu_named("foo", false));	/* 3 int, 4 struct foo */
	cat(all, cu_named("foo", true));	/* 5 int, 6 union foo */
	dedup_expect(all, "[1] FWD 'foo' fwd_kind=struct\n"
			  "[2] PTR '(anon)' type_id=1\n"
			  INT_LINE(3)
			  "[4] STRUCT 'foo' size=4 vlen=1\n"
			  "\t'x' type_id=3 bits_offset=0\n"
			  "[5] UNION 'foo' size=4 vlen=1\n"
			  "\t'x' type_id=3 bits_offset=0\n");
	btf_builder_free(all);
}
END_TEST

/* Every reference kind over int; ids 1-13. */
static struct btf_builder *cu_refs(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_ptr(u, 1), 2);
	ADD(btf_builder_add_const(u, 1), 3);
	ADD(btf_builder_add_volatile(u, 3), 4);
	ADD(btf_builder_add_restrict(u, 2), 5);
	ADD(btf_builder_add_array(u, 1, 1, 4), 6);
	ADD(btf_builder_add_func_proto(u, 1), 7);
	OK(btf_builder_add_param(u, "a", 2));
	OK(btf_builder_add_param(u, "b", 4));
	ADD(btf_builder_add_func(u, "fn", BTF_BUILDER_STATIC, 7), 8);
	ADD(btf_builder_add_type_tag(u, "user", 1), 9);
	ADD(btf_builder_add_ptr(u, 9), 10);
	ADD(btf_builder_add_decl_tag(u, "tag", 8, -1), 11);
	ADD(btf_builder_add_struct(u, "st", 24), 12);
	OK(btf_builder_add_member(u, "p", 10, 0, 0));
	OK(btf_builder_add_member(u, "arr", 6, 64, 0));
	ADD(btf_builder_add_decl_tag(u, "mtag", 12, 1), 13);
	return u;
}

START_TEST(reference_types_bottom_up)
{
	struct btf_builder *all = cu(), *u;

	cat(all, cu_refs());	/* 1-13 */
	cat(all, cu_refs());	/* 14-26: all merge */
	u = cu();		/* 27-34 */
	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_array(u, 1, 1, 5), 2);		/* new: 5 elements */
	ADD(btf_builder_add_ptr(u, 1), 3);			/* merges */
	ADD(btf_builder_add_func_proto(u, 1), 4);		/* new: one param */
	OK(btf_builder_add_param(u, "a", 3));
	ADD(btf_builder_add_func(u, "fn", BTF_BUILDER_GLOBAL, 4), 5);	/* new */
	ADD(btf_builder_add_type_tag(u, "user", 1), 6);		/* merges */
	ADD(btf_builder_add_type_tag(u, "rcu", 1), 7);		/* new */
	ADD(btf_builder_add_decl_tag(u, "tag", 5, 0), 8);	/* new */
	cat(all, u);

	dedup_expect(all, INT_LINE(1)
		     "[2] PTR '(anon)' type_id=1\n"
		     "[3] CONST '(anon)' type_id=1\n"
		     "[4] VOLATILE '(anon)' type_id=3\n"
		     "[5] RESTRICT '(anon)' type_id=2\n"
		     "[6] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=4\n"
		     "[7] FUNC_PROTO '(anon)' ret_type_id=1 vlen=2\n"
		     "\t'a' type_id=2\n"
		     "\t'b' type_id=4\n"
		     "[8] FUNC 'fn' type_id=7 linkage=static\n"
		     "[9] TYPE_TAG 'user' type_id=1\n"
		     "[10] PTR '(anon)' type_id=9\n"
		     "[11] DECL_TAG 'tag' type_id=8 component_idx=-1\n"
		     "[12] STRUCT 'st' size=24 vlen=2\n"
		     "\t'p' type_id=10 bits_offset=0\n"
		     "\t'arr' type_id=6 bits_offset=64\n"
		     "[13] DECL_TAG 'mtag' type_id=12 component_idx=1\n"
		     "[14] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=5\n"
		     "[15] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'a' type_id=2\n"
		     "[16] FUNC 'fn' type_id=15 linkage=global\n"
		     "[17] TYPE_TAG 'rcu' type_id=1\n"
		     "[18] DECL_TAG 'tag' type_id=16 component_idx=0\n");
	btf_builder_free(all);
}
END_TEST

/* int v; in section .data. */
static struct btf_builder *cu_var(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_var(u, "v", BTF_BUILDER_GLOBAL, 1), 2);
	ADD(btf_builder_add_datasec(u, ".data", 4), 3);
	OK(btf_builder_add_datasec_var(u, 2, 0, 4));
	return u;
}

/*
 * VARs never merge by type equality (libbpf keeps them all). A DATASEC that
 * repeats a canonical one entry for entry (same name, size, offsets, and
 * variables of the same name, linkage and type) is the same section seen
 * twice, as in a BTF appended to itself: it merges with its VARs, which is
 * what lets vmlinux appended to itself dedup back to its own type count
 * (issue 3). A section that differs in anything keeps its own VARs.
 */
START_TEST(repeated_datasec_merges_with_its_vars)
{
	struct btf_builder *all = cu(), *u;

	cat(all, cu_var());	/* 1 int, 2 v, 3 .data */
	cat(all, cu_var());	/* 4 int, 5 v, 6 .data: the same section again */
	u = cu();		/* 7 int, 8 v, 9 .data of size 8, v at 4: another */
	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_var(u, "v", BTF_BUILDER_GLOBAL, 1), 2);
	ADD(btf_builder_add_datasec(u, ".data", 8), 3);
	OK(btf_builder_add_datasec_var(u, 2, 4, 4));
	cat(all, u);
	dedup_expect(all, INT_LINE(1)
		     "[2] VAR 'v' type_id=1, linkage=global\n"
		     "[3] DATASEC '.data' size=4 vlen=1\n"
		     "\ttype_id=2 offset=0 size=4 (VAR 'v')\n"
		     "[4] VAR 'v' type_id=1, linkage=global\n"
		     "[5] DATASEC '.data' size=8 vlen=1\n"
		     "\ttype_id=4 offset=4 size=4 (VAR 'v')\n");
	btf_builder_free(all);
}
END_TEST

/* Two static variables v of one unit share a name, a type and .bss; the
 * next unit has one v of its own. Each is a variable of its own. */
START_TEST(identical_vars_kept)
{
	struct btf_builder *all = cu(), *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_var(u, "v", BTF_BUILDER_STATIC, 1), 2);
	ADD(btf_builder_add_var(u, "v", BTF_BUILDER_STATIC, 1), 3);
	ADD(btf_builder_add_datasec(u, ".bss", 8), 4);
	OK(btf_builder_add_datasec_var(u, 2, 0, 4));
	OK(btf_builder_add_datasec_var(u, 3, 4, 4));
	cat(all, u);		/* 1-4 */
	u = cu();		/* 5 int, 6 v, 7 .bss */
	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_var(u, "v", BTF_BUILDER_STATIC, 1), 2);
	ADD(btf_builder_add_datasec(u, ".bss", 4), 3);
	OK(btf_builder_add_datasec_var(u, 2, 0, 4));
	cat(all, u);
	dedup_expect(all, INT_LINE(1)
		     "[2] VAR 'v' type_id=1, linkage=static\n"
		     "[3] VAR 'v' type_id=1, linkage=static\n"
		     "[4] DATASEC '.bss' size=8 vlen=2\n"
		     "\ttype_id=2 offset=0 size=4 (VAR 'v')\n"
		     "\ttype_id=3 offset=4 size=4 (VAR 'v')\n"
		     "[5] VAR 'v' type_id=1, linkage=static\n"
		     "[6] DATASEC '.bss' size=4 vlen=1\n"
		     "\ttype_id=5 offset=0 size=4 (VAR 'v')\n");
	btf_builder_free(all);
}
END_TEST

/*
 * struct node { int a[4]; int b[4]; struct node *next; };
 * struct user { struct node *p; struct node *q; };
 * Clean: ids 1 int, 2 int[4], 3 node, 4 node *, 5 user. Quirky, as compilers
 * sometimes emit it: int[4] for b and node * for q are second copies: ids
 * 1 int, 2 int[4], 3 int[4], 4 node, 5 node *, 6 node *, 7 user.
 */
static struct btf_builder *cu_node(bool quirky)
{
	struct btf_builder *u = cu();
	uint32_t arr_b = quirky ? 3 : 2, node = arr_b + 1, ptr_q = quirky ? 6 : 4;

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_array(u, 1, 1, 4), 2);
	if (quirky)
		ADD(btf_builder_add_array(u, 1, 1, 4), 3);
	ADD(btf_builder_add_struct(u, "node", 40), (int)node);
	OK(btf_builder_add_member(u, "a", 2, 0, 0));
	OK(btf_builder_add_member(u, "b", arr_b, 128, 0));
	OK(btf_builder_add_member(u, "next", node + 1, 256, 0));
	ADD(btf_builder_add_ptr(u, node), (int)node + 1);
	if (quirky)
		ADD(btf_builder_add_ptr(u, node), 6);
	ADD(btf_builder_add_struct(u, "user", 16), (int)ptr_q + 1);
	OK(btf_builder_add_member(u, "p", node + 1, 0, 0));
	OK(btf_builder_add_member(u, "q", ptr_q, 64, 0));
	return u;
}

static const char node_dump[] = INT_LINE(1)
	"[2] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=4\n"
	"[3] STRUCT 'node' size=40 vlen=3\n"
	"\t'a' type_id=2 bits_offset=0\n"
	"\t'b' type_id=2 bits_offset=128\n"
	"\t'next' type_id=4 bits_offset=256\n"
	"[4] PTR '(anon)' type_id=3\n"
	"[5] STRUCT 'user' size=16 vlen=2\n"
	"\t'p' type_id=4 bits_offset=0\n"
	"\t'q' type_id=4 bits_offset=64\n";

START_TEST(duplicates_in_one_unit_clean_first)
{
	struct btf_builder *all = cu();

	cat(all, cu_node(false));	/* 1-5 */
	cat(all, cu_node(true));	/* 6-12 */
	dedup_expect(all, node_dump);
	btf_builder_free(all);
}
END_TEST

START_TEST(duplicates_in_one_unit_quirky_first)
{
	struct btf_builder *all = cu();

	cat(all, cu_node(true));	/* 1-7 */
	cat(all, cu_node(false));	/* 8-12 */
	dedup_expect(all, node_dump);
	btf_builder_free(all);
}
END_TEST

/*
 * struct list { struct list *next; }; int; in one unit; the same in another
 * order; then a unit that knows list only by a forward declaration.
 */
START_TEST(compaction_and_id_map)
{
	static const uint32_t expect[] = { 0, 1, 2, 3, 3, 1, 2, 1, 2, 4, 5 };
	struct btf_builder *all = cu(), *u;
	uint32_t *map = NULL, i;

	u = cu();	/* 1 list, 2 list * (a forward reference), 3 int */
	ADD(btf_builder_add_struct(u, "list", 8), 1);
	OK(btf_builder_add_member(u, "next", 2, 0, 0));
	ADD(btf_builder_add_ptr(u, 1), 2);
	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 3);
	cat(all, u);
	u = cu();	/* 4 int, 5 list, 6 list * */
	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(u, "list", 8), 2);
	OK(btf_builder_add_member(u, "next", 3, 0, 0));
	ADD(btf_builder_add_ptr(u, 2), 3);
	cat(all, u);
	cat(all, cu_fwd_ptr("list", false));	/* 7 fwd list, 8 list * */
	u = cu();	/* 9 int *, 10 var p */
	ADD(btf_builder_add_ptr(u, 0), 1);
	ADD(btf_builder_add_var(u, "p", BTF_BUILDER_STATIC, 1), 2);
	cat(all, u);
	ck_assert_uint_eq(btf_builder_type_cnt(all), 11);

	OK(btf_builder_dedup(all, &map));
	ck_assert_ptr_nonnull(map);
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		ck_assert_msg(map[i] == expect[i], "id_map[%u] = %u, expected %u", i, map[i],
			      expect[i]);
	free(map);
	assert_dump(all, "[1] STRUCT 'list' size=8 vlen=1\n"
			 "\t'next' type_id=2 bits_offset=0\n"
			 "[2] PTR '(anon)' type_id=1\n"
			 INT_LINE(3)
			 "[4] PTR '(anon)' type_id=0\n"
			 "[5] VAR 'p' type_id=4, linkage=static\n");
	assert_loads(all);
	btf_builder_free(all);
}
END_TEST

/*
 * struct a { struct b *b; }; struct b { struct a *a; };
 * a first: ids 1 a, 2 b *, 3 b, 4 a *. b first: 1 b, 2 a *, 3 a, 4 b *.
 */
static struct btf_builder *cu_ab(const char *first, const char *second)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_struct(u, first, 8), 1);
	OK(btf_builder_add_member(u, second, 2, 0, 0));
	ADD(btf_builder_add_ptr(u, 3), 2);
	ADD(btf_builder_add_struct(u, second, 8), 3);
	OK(btf_builder_add_member(u, first, 4, 0, 0));
	ADD(btf_builder_add_ptr(u, 1), 4);
	return u;
}

static const char ab_dump[] = "[1] STRUCT 'a' size=8 vlen=1\n"
			      "\t'b' type_id=2 bits_offset=0\n"
			      "[2] PTR '(anon)' type_id=3\n"
			      "[3] STRUCT 'b' size=8 vlen=1\n"
			      "\t'a' type_id=4 bits_offset=0\n"
			      "[4] PTR '(anon)' type_id=1\n";

START_TEST(mutually_recursive_structs)
{
	struct btf_builder *all = cu(), *u;

	cat(all, cu_ab("a", "b"));	/* 1-4 */
	cat(all, cu_ab("b", "a"));	/* 5-8 */
	cat(all, cu_ab("a", "b"));	/* 9-12 */
	/* 13 b, 14 a *, 15 fwd a: struct a known only by name here. */
	u = cu();
	ADD(btf_builder_add_struct(u, "b", 8), 1);
	OK(btf_builder_add_member(u, "a", 2, 0, 0));
	ADD(btf_builder_add_ptr(u, 3), 2);
	ADD(btf_builder_add_fwd(u, "a", false), 3);
	cat(all, u);
	dedup_expect(all, ab_dump);
	btf_builder_free(all);
}
END_TEST

START_TEST(mutually_recursive_structs_other_order)
{
	struct btf_builder *all = cu();

	cat(all, cu_ab("b", "a"));	/* 1 b, 2 a *, 3 a, 4 b * */
	cat(all, cu_ab("a", "b"));	/* 5-8 */
	dedup_expect(all, "[1] STRUCT 'b' size=8 vlen=1\n"
			  "\t'a' type_id=2 bits_offset=0\n"
			  "[2] PTR '(anon)' type_id=3\n"
			  "[3] STRUCT 'a' size=8 vlen=1\n"
			  "\t'b' type_id=4 bits_offset=0\n"
			  "[4] PTR '(anon)' type_id=1\n");
	btf_builder_free(all);
}
END_TEST

/*
 * struct point { T x, y; }; struct line { struct point *p; }; with T int or
 * float: two different structs point (and line) that must stay two.
 */
static struct btf_builder *cu_point(bool is_float)
{
	struct btf_builder *u = cu();

	ADD(is_float ? btf_builder_add_float(u, "float", 4)
		     : btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(u, "point", 8), 2);
	OK(btf_builder_add_member(u, "x", 1, 0, 0));
	OK(btf_builder_add_member(u, "y", 1, 32, 0));
	ADD(btf_builder_add_ptr(u, 2), 3);
	ADD(btf_builder_add_struct(u, "line", 8), 4);
	OK(btf_builder_add_member(u, "p", 3, 0, 0));
	return u;
}

START_TEST(same_name_different_structs)
{
	struct btf_builder *all = cu();

	cat(all, cu_point(false));	/* 1-4 */
	cat(all, cu_point(true));	/* 5-8 */
	cat(all, cu_point(false));	/* 9-12: merge with 1-4 */
	cat(all, cu_point(true));	/* 13-16: merge with 5-8 */
	dedup_expect(all, INT_LINE(1)
		     "[2] STRUCT 'point' size=8 vlen=2\n"
		     "\t'x' type_id=1 bits_offset=0\n"
		     "\t'y' type_id=1 bits_offset=32\n"
		     "[3] PTR '(anon)' type_id=2\n"
		     "[4] STRUCT 'line' size=8 vlen=1\n"
		     "\t'p' type_id=3 bits_offset=0\n"
		     "[5] FLOAT 'float' size=4\n"
		     "[6] STRUCT 'point' size=8 vlen=2\n"
		     "\t'x' type_id=5 bits_offset=0\n"
		     "\t'y' type_id=5 bits_offset=32\n"
		     "[7] PTR '(anon)' type_id=6\n"
		     "[8] STRUCT 'line' size=8 vlen=1\n"
		     "\t'p' type_id=7 bits_offset=0\n");
	btf_builder_free(all);
}
END_TEST

/* struct sock { int state; union { int fd; struct { unsigned lo:16, hi:16; }; }; }; */
static struct btf_builder *cu_sock(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(u, "sock", 8), 2);
	OK(btf_builder_add_member(u, "state", 1, 0, 0));
	OK(btf_builder_add_member(u, NULL, 3, 32, 0));
	ADD(btf_builder_add_union(u, NULL, 4), 3);
	OK(btf_builder_add_member(u, "fd", 1, 0, 0));
	OK(btf_builder_add_member(u, NULL, 5, 0, 0));
	ADD(btf_builder_add_int(u, "unsigned int", 4, 32, 0), 4);
	ADD(btf_builder_add_struct(u, NULL, 4), 5);
	OK(btf_builder_add_member(u, "lo", 4, 0, 16));
	OK(btf_builder_add_member(u, "hi", 4, 16, 16));
	return u;
}

START_TEST(anonymous_nested_unions)
{
	struct btf_builder *all = cu();

	cat(all, cu_sock());	/* 1-5 */
	cat(all, cu_sock());	/* 6-10 */
	dedup_expect(all, INT_LINE(1)
		     "[2] STRUCT 'sock' size=8 vlen=2\n"
		     "\t'state' type_id=1 bits_offset=0\n"
		     "\t'(anon)' type_id=3 bits_offset=32\n"
		     "[3] UNION '(anon)' size=4 vlen=2\n"
		     "\t'fd' type_id=1 bits_offset=0\n"
		     "\t'(anon)' type_id=5 bits_offset=0\n"
		     "[4] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
		     "[5] STRUCT '(anon)' size=4 vlen=2\n"
		     "\t'lo' type_id=4 bits_offset=0 bitfield_size=16\n"
		     "\t'hi' type_id=4 bits_offset=16 bitfield_size=16\n");
	btf_builder_free(all);
}
END_TEST

/* Base: 1 int, 2 int *, 3 struct foo { int *p; }, 4 fwd task_struct,
 * 5 task_struct *, 6 typedef foo_t, 7 enum e { A }. */
static struct btf_builder *split_base(void)
{
	struct btf_builder *b = cu();

	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_ptr(b, 1), 2);
	ADD(btf_builder_add_struct(b, "foo", 8), 3);
	OK(btf_builder_add_member(b, "p", 2, 0, 0));
	ADD(btf_builder_add_fwd(b, "task_struct", false), 4);
	ADD(btf_builder_add_ptr(b, 4), 5);
	ADD(btf_builder_add_typedef(b, "foo_t", 3), 6);
	ADD(btf_builder_add_enum(b, "e", 4), 7);
	OK(btf_builder_add_enum_value(b, "A", 0));
	return b;
}

/* The base's types again, in a split unit: ids 8 int, 9 foo, 10 int *,
 * 11 foo_t, 12 enum e (a declaration only). */
static struct btf_builder *cu_base_copy(struct btf_builder *base)
{
	struct btf_builder *u = cu_on(base);

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 8);
	ADD(btf_builder_add_struct(u, "foo", 8), 9);
	OK(btf_builder_add_member(u, "p", 10, 0, 0));
	ADD(btf_builder_add_ptr(u, 8), 10);
	ADD(btf_builder_add_typedef(u, "foo_t", 9), 11);
	ADD(btf_builder_add_enum(u, "e", 4), 12);
	return u;
}

START_TEST(split_equal_types_map_to_base)
{
	static const uint32_t copy_map[] = { 1, 3, 2, 6, 7 };
	struct btf_builder *base = split_base(), *all;
	uint32_t size, *map = NULL, i;
	void *before = blob_copy(base, &size);

	all = cu_on(base);
	cat(all, cu_base_copy(base));	/* 8-12 */
	cat(all, cu_base_copy(base));	/* 13-17 */
	OK(btf_builder_dedup(all, &map));
	assert_dump(all, "");
	ck_assert_uint_eq(btf_builder_type_cnt(all), 8);
	ck_assert_uint_eq(btf_builder_str_len(all), 0);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(map[i], i);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(map[8 + i], copy_map[i % 5]);
	free(map);
	assert_blob(base, before, size);
	free(before);
	btf_builder_free(all);
	btf_builder_free(base);
}
END_TEST

/* Split BTF with no types of its own (an encoder's batch whose every
 * type was already in its base): nothing to do, an identity map. */
START_TEST(split_empty)
{
	struct btf_builder *base = split_base(), *all;
	uint32_t *map = NULL, i;
	int relaxed;

	/* Worked on in a copy, and in place (an encoder's batch). */
	for (relaxed = 0; relaxed < 2; relaxed++) {
		all = cu_on(base);
		if (relaxed)
			btf_builder_set_unlimited(all);
		OK(btf_builder_dedup(all, &map));
		assert_dump(all, "");
		ck_assert_uint_eq(btf_builder_type_cnt(all), 8);
		for (i = 0; i < 8; i++)
			ck_assert_uint_eq(map[i], i);
		free(map);
		map = NULL;
		btf_builder_free(all);
	}
	btf_builder_free(base);
}
END_TEST

START_TEST(split_new_types_and_base_strings)
{
	struct btf_builder *base = split_base(), *all, *u;
	uint32_t size;
	void *before = blob_copy(base, &size);

	all = cu_on(base);
	cat(all, cu_base_copy(base));	/* 8-12 */
	/* 13 int *, 14 struct mod { int *t; }, 15 struct task_struct { int pid; },
	 * 16 task_struct *; numbered 8-11 in their unit. */
	u = cu_on(base);
	ADD(btf_builder_add_ptr(u, 1), 8);
	ADD(btf_builder_add_struct(u, "mod", 8), 9);
	OK(btf_builder_add_member(u, "t", 8, 0, 0));
	ADD(btf_builder_add_struct(u, "task_struct", 4), 10);
	OK(btf_builder_add_member(u, "pid", 1, 0, 0));
	ADD(btf_builder_add_ptr(u, 10), 11);
	cat(all, u);

	/* The base FWD task_struct stays; the split keeps its definition. */
	dedup_expect(all, "[8] STRUCT 'mod' size=8 vlen=1\n"
			  "\t't' type_id=2 bits_offset=0\n"
			  "[9] STRUCT 'task_struct' size=4 vlen=1\n"
			  "\t'pid' type_id=1 bits_offset=0\n"
			  "[10] PTR '(anon)' type_id=9\n");
	/* Only the names the base lacks, in first-use order. */
	assert_strs(all, "mod\0t\0pid", sizeof("mod\0t\0pid"));
	assert_blob(base, before, size);
	free(before);
	btf_builder_free(all);
	btf_builder_free(base);
}
END_TEST

/*
 * Base: struct holder { struct task_struct *t; } with task_struct a FWD.
 * The split defines task_struct: matching its holder to the base's would
 * resolve a base FWD, which the base cannot change, so the split keeps its
 * own holder (BTF.md 3.7).
 */
START_TEST(split_struct_against_base_fwd)
{
	struct btf_builder *base = cu(), *all, *u;
	uint32_t size;
	void *before;

	ADD(btf_builder_add_int(base, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_fwd(base, "task_struct", false), 2);
	ADD(btf_builder_add_ptr(base, 2), 3);
	ADD(btf_builder_add_struct(base, "holder", 8), 4);
	OK(btf_builder_add_member(base, "t", 3, 0, 0));
	before = blob_copy(base, &size);

	all = cu_on(base);
	u = cu_on(base);	/* 5 int, 6 task_struct, 7 ptr, 8 holder */
	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 5);
	ADD(btf_builder_add_struct(u, "task_struct", 4), 6);
	OK(btf_builder_add_member(u, "pid", 5, 0, 0));
	ADD(btf_builder_add_ptr(u, 6), 7);
	ADD(btf_builder_add_struct(u, "holder", 8), 8);
	OK(btf_builder_add_member(u, "t", 7, 0, 0));
	cat(all, u);

	dedup_expect(all, "[5] STRUCT 'task_struct' size=4 vlen=1\n"
			  "\t'pid' type_id=1 bits_offset=0\n"
			  "[6] PTR '(anon)' type_id=5\n"
			  "[7] STRUCT 'holder' size=8 vlen=1\n"
			  "\t't' type_id=6 bits_offset=0\n");
	assert_strs(all, "pid", sizeof("pid"));
	assert_blob(base, before, size);
	free(before);
	btf_builder_free(all);
	btf_builder_free(base);
}
END_TEST

/* The mutual-recursion and FWD input, built afresh. */
static struct btf_builder *mixed_input(void)
{
	struct btf_builder *all = cu();

	cat(all, cu_ab("b", "a"));
	cat(all, cu_bar(true));
	cat(all, cu_node(true));
	cat(all, cu_ab("a", "b"));
	cat(all, cu_bar(false));
	cat(all, cu_node(false));
	cat(all, cu_refs());
	cat(all, cu_enum(true));
	cat(all, cu_refs());
	cat(all, cu_enum(false));
	return all;
}

START_TEST(deterministic_and_idempotent)
{
	struct btf_builder *a = mixed_input(), *b = mixed_input();
	uint32_t size, cnt;
	void *first;
	char *text;

	OK(btf_builder_dedup(a, NULL));
	OK(btf_builder_dedup(b, NULL));
	first = blob_copy(a, &size);
	assert_blob(b, first, size);
	/* Deduplicated BTF has nothing left to merge. (Its strings may be
	 * reordered: their order follows the input's first uses.) */
	cnt = btf_builder_type_cnt(a);
	text = test_dump(a);
	OK(btf_builder_dedup(a, NULL));
	ck_assert_uint_eq(btf_builder_type_cnt(a), cnt);
	assert_dump(a, text);
	assert_loads(a);
	free(text);
	free(first);
	btf_builder_free(a);
	btf_builder_free(b);
}
END_TEST

/* A CONST -> CONST loop has no C meaning: dedup refuses it, changing nothing. */
START_TEST(pointer_free_loop_fails_unchanged)
{
	struct btf_builder *b = cu();
	char *before, *after;

	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_int(b, "int", 4, 32, BTF_INT_SIGNED), 2);
	ADD(btf_builder_add_const(b, 4), 3);
	ADD(btf_builder_add_const(b, 3), 4);
	/* Such BTF cannot be finalized either: compared as text. */
	before = test_dump(b);
	ck_assert_int_eq(btf_builder_dedup(b, NULL), -ELOOP);
	after = test_dump(b);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	btf_builder_free(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dedup");
	TCase *tc = tcase_create("dedup");

	tcase_add_test(tc, strings_deduped_unreferenced_dropped);
	tcase_add_test(tc, strings_duplicated_in_blob);
	tcase_add_test(tc, primitives_merge_by_equality);
	tcase_add_test(tc, enum_fwd_then_definition);
	tcase_add_test(tc, enum_definition_then_fwd);
	tcase_add_test(tc, enum_fwd_meets_enum64);
	tcase_add_test(tc, enum_and_enum64_definitions_stay_apart);
	tcase_add_test(tc, struct_union_typedef_graph_equivalence);
	tcase_add_test(tc, fwd_resolved_in_graph_fwd_first);
	tcase_add_test(tc, fwd_resolved_in_graph_struct_first);
	tcase_add_test(tc, fwd_union_resolved_in_graph);
	tcase_add_test(tc, unique_name_fwd_resolved);
	tcase_add_test(tc, unique_name_fwd_ambiguous_stays);
	tcase_add_test(tc, unique_name_fwd_kind_differs_stays);
	tcase_add_test(tc, reference_types_bottom_up);
	tcase_add_test(tc, repeated_datasec_merges_with_its_vars);
	tcase_add_test(tc, identical_vars_kept);
	tcase_add_test(tc, duplicates_in_one_unit_clean_first);
	tcase_add_test(tc, duplicates_in_one_unit_quirky_first);
	tcase_add_test(tc, compaction_and_id_map);
	tcase_add_test(tc, mutually_recursive_structs);
	tcase_add_test(tc, mutually_recursive_structs_other_order);
	tcase_add_test(tc, same_name_different_structs);
	tcase_add_test(tc, anonymous_nested_unions);
	tcase_add_test(tc, split_equal_types_map_to_base);
	tcase_add_test(tc, split_new_types_and_base_strings);
	tcase_add_test(tc, split_struct_against_base_fwd);
	tcase_add_test(tc, split_empty);
	tcase_add_test(tc, deterministic_and_idempotent);
	tcase_add_test(tc, pointer_free_loop_fails_unchanged);
	suite_add_tcase(s, tc);
	return test_run(s);
}
