// SPDX-License-Identifier: GPL-2.0-only
/* units.c - the helpers of units.h. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

struct btf_builder *cu_on(struct btf_builder *base)
{
	struct btf_builder *b;

	OK(base ? btf_builder_new_split(base, &b) : btf_builder_new(&b));
	return b;
}

struct btf_builder *cu(void)
{
	return cu_on(NULL);
}

/* Appends unit to all and frees it. */
void cat(struct btf_builder *all, struct btf_builder *unit)
{
	uint32_t cnt = btf_builder_type_cnt(all);

	ck_assert_int_eq(btf_builder_add_btf(all, unit), (int)cnt);
	btf_builder_free(unit);
}

void assert_text(const char *what, const char *actual, const char *expect)
{
	ck_assert_ptr_nonnull(actual);
	ck_assert_msg(!strcmp(actual, expect), "%s differs\n--- expected\n%s--- actual\n%s", what,
		      expect, actual);
}

void assert_dump(struct btf_builder *b, const char *expect)
{
	char *text = test_dump(b);

	assert_text("dump", text, expect);
	free(text);
}

void assert_loads(struct btf_builder *b)
{
	static char log[1 << 16];
	int err;

	if (btf_builder_base(b) || !test_kernel_available())
		return;
	err = test_kernel_load_builder(b, log, sizeof(log));
	ck_assert_msg(!err, "kernel refused (%d):\n%s", err, log);
}

/* Deduplicates b, compares its dump with expect; standalone BTF must load. */
void dedup_expect(struct btf_builder *b, const char *expect)
{
	OK(btf_builder_dedup(b, NULL));
	assert_dump(b, expect);
	assert_loads(b);
}

/* The own string section b writes. */
const char *own_strs(struct btf_builder *b, uint32_t *len)
{
	const struct btf_header *h;
	const void *data;
	uint32_t size;

	OK(btf_builder_finalize(b, &data, &size));
	h = data;
	*len = h->str_len;
	ck_assert_uint_eq(btf_builder_str_len(b), h->str_len);
	return (const char *)data + h->hdr_len + h->str_off;
}

void assert_strs(struct btf_builder *b, const char *expect, uint32_t expect_len)
{
	uint32_t len;
	const char *s = own_strs(b, &len);

	ck_assert_uint_eq(len, expect_len);
	ck_assert_msg(!memcmp(s, expect, len), "string bytes differ");
}

/* A copy of b's finalized blob. */
void *blob_copy(struct btf_builder *b, uint32_t *size)
{
	const void *data;
	void *copy;

	OK(btf_builder_finalize(b, &data, size));
	copy = malloc(*size);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, data, *size);
	return copy;
}

void assert_blob(struct btf_builder *b, const void *expect, uint32_t expect_size)
{
	const void *data;
	uint32_t size;

	OK(btf_builder_finalize(b, &data, &size));
	ck_assert_uint_eq(size, expect_size);
	ck_assert_msg(!memcmp(data, expect, size), "blob bytes differ");
}

/* struct s { int x; } preceded by int: ids 1, 2 of a fresh unit. */
struct btf_builder *cu_int_s(void)
{
	struct btf_builder *u = cu();

	ADD(btf_builder_add_int(u, "int", 4, 32, BTF_INT_SIGNED), 1);
	ADD(btf_builder_add_struct(u, "s", 4), 2);
	OK(btf_builder_add_member(u, "x", 1, 0, 0));
	return u;
}
