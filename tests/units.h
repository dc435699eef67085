/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * units.h - building BTF the way an encoder emits it, one compile unit at a
 * time, and checking the result as text: shared by the dedup and append
 * suites.
 */
#ifndef BTFENC_TEST_UNITS_H
#define BTFENC_TEST_UNITS_H

#include <stdint.h>

#include "testutil.h"

#define ADD(expr, id) ck_assert_int_eq((expr), (id))
#define OK(expr) ck_assert_int_eq((expr), 0)

#define INT_LINE(id) "[" #id "] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"

/* One compile unit: a new builder, on base if not NULL. */
struct btf_builder *cu_on(struct btf_builder *base);
struct btf_builder *cu(void);
/* Appends unit to all and frees it. */
void cat(struct btf_builder *all, struct btf_builder *unit);
void assert_text(const char *what, const char *actual, const char *expect);
void assert_dump(struct btf_builder *b, const char *expect);
/* Standalone BTF must load into the kernel (where it can be tried). */
void assert_loads(struct btf_builder *b);
/* Deduplicates b, compares its dump with expect, checks that it loads. */
void dedup_expect(struct btf_builder *b, const char *expect);
/* The own string section b writes. */
const char *own_strs(struct btf_builder *b, uint32_t *len);
void assert_strs(struct btf_builder *b, const char *expect, uint32_t expect_len);
/* A malloc'd copy of b's finalized blob, and a check against one. */
void *blob_copy(struct btf_builder *b, uint32_t *size);
void assert_blob(struct btf_builder *b, const void *expect, uint32_t expect_size);
/* A unit with int 1 and struct s { int x; } 2. */
struct btf_builder *cu_int_s(void);

#endif
