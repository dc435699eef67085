/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diff.h - a semantic diff of two BTFs: by name and shape, never by type id.
 *
 * For "btfenc diff" and for tests that compare two encoders' output. Every
 * type gets a canonical text, its shape, that names no id: a named type is
 * shown by kind and name where another type refers to it ("struct bar",
 * "typedef u32", "enum e"; an INT or FLOAT by its bare name, "unsigned int"),
 * an anonymous one structurally, inline ("int const *", "char [16]",
 * "int (*)(struct foo * p, ...)", "union {int a:0; long int b:0} size=8").
 * Top-level types are keyed by (kind, name); C allows several distinct types
 * with one name, so each key holds a multiset of shapes, and the diff reports
 * what differs between the two multisets of each key:
 *   '-'  a shape only in a ("size=16 vlen=2"),
 *   '+'  a shape only in b,
 *   '~'  a shape of a and one of b with the same key, and the first thing
 *        that differs between them ("member 'x' type 'int' -> 'long int'"),
 *        or the number of identical copies ("copies 1 -> 2").
 * Anonymous types are part of the shapes that refer to them; one that no
 * type refers to is keyed by its shape (name "", never '~'). String offsets,
 * type order, ARRAY index types and struct kind_flag encodings of bitfields
 * never count. For split BTF, only own types are compared; references into
 * the base are followed like any other. This module never prints: the result
 * is a list, and btf_diff_item_format() makes one line of an item.
 */
#ifndef BTFENC_DIFF_H
#define BTFENC_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "btf.h"

struct btf_diff_item {
	char op;		/* '+' only in b, '-' only in a, '~' in both, changed */
	uint32_t kind;		/* BTF_KIND_* of the top-level type */
	const char *name;	/* key name, "" if anonymous ("tag on KIND NAME" for a DECL_TAG) */
	const char *detail;	/* '+'/'-': a summary or the quoted shape; '~': what differs */
};

struct btf_diff_opts {
	uint32_t ignore_kinds;	/* bits 1 << BTF_KIND_*: top-level types left out;
				 * with any, anonymous types are compared only
				 * inside the named types that refer to them */
};

/* The differences, sorted by kind name, name, op ('~', '-', '+') and detail. */
struct btf_diff {
	struct btf_diff_item *items;	/* the differences */
	size_t items_len;		/* entries of items */
	char *strs;			/* names and details of items point in here */
};

/*
 * Compares a's own types with b's. opts may be NULL. The builders are only
 * read; they must not change while this runs.
 * Returns: 0 and *out (free it with btf_diff_free()); -EINVAL if a type
 * refers to an id that does not exist (logged); -E2BIG for a shape past
 * 256 MiB of text; -ENOMEM.
 */
int btf_diff_new(const struct btf_builder *a, const struct btf_builder *b,
		 const struct btf_diff_opts *opts, struct btf_diff **out);
void btf_diff_free(struct btf_diff *d);

/*
 * One item as a line without newline, into buf (size may be 0), like
 * snprintf: "+ struct foo size=16 vlen=2", "~ struct baz: size 8 -> 16",
 * "- ptr (anon) 'int *'". A name that is not made of letters, digits, '_'
 * and '.' is quoted: "+ int 'unsigned int' size=4 bits=32 encoding=signed".
 * Returns: the length of the whole line.
 */
size_t btf_diff_item_format(const struct btf_diff_item *it, char *buf, size_t size);

/* The lower-case kind name ("struct", "func_proto", "enum64"), or NULL. */
const char *btf_diff_kind_name(uint32_t kind);
/* Returns: the BTF_KIND_* of a kind name, or -EINVAL. */
int btf_diff_kind_parse(const char *name);

#endif
