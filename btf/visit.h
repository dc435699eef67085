/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * visit.h - every type-id field and every string-offset field of a record.
 *
 * One place that knows which words of which kind are references, for the
 * passes that rewrite them all (dedup's remap and string passes). A record
 * must be whole and in host order.
 */
#ifndef BTFENC_VISIT_H
#define BTFENC_VISIT_H

#include <stdint.h>

#include <linux/btf.h>

#include "btf_rec.h"

/* Called per field; a nonzero return stops the walk and is returned. */
typedef int (*btf_field_fn)(uint32_t *field, void *ctx);

/* Type ids: the size/type word of reference kinds, ARRAY element and index,
 * member, param and DATASEC variable types. A void (0) field is visited too. */
int btf_type_visit_ids(struct btf_type *t, btf_field_fn fn, void *ctx);

/* String offsets: the type's name, member, enumerator and param names. */
int btf_type_visit_strs(struct btf_type *t, btf_field_fn fn, void *ctx);

/* The same, inline: where fn is a constant, the compiler calls it directly
 * (a hot loop over every record, as appending a unit). */
static inline int btf_type_visit_ids_inline(struct btf_type *t, btf_field_fn fn, void *ctx)
{
	uint32_t i, n = btf_type_vlen(t);
	struct btf_member *m;
	struct btf_param *p;
	struct btf_array *a;
	struct btf_var_secinfo *v;
	int err = 0;

	if (btf_kind_has_ref(btf_type_kind(t))) {
		err = fn(&t->type, ctx);
		if (err)
			return err;
	}
	switch (btf_type_kind(t)) {
	case BTF_KIND_ARRAY:
		a = btf_type_data(t);
		err = fn(&a->type, ctx);
		return err ? err : fn(&a->index_type, ctx);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		m = btf_type_data(t);
		for (i = 0; i < n && !err; i++)
			err = fn(&m[i].type, ctx);
		return err;
	case BTF_KIND_FUNC_PROTO:
		p = btf_type_data(t);
		for (i = 0; i < n && !err; i++)
			err = fn(&p[i].type, ctx);
		return err;
	case BTF_KIND_DATASEC:
		v = btf_type_data(t);
		for (i = 0; i < n && !err; i++)
			err = fn(&v[i].type, ctx);
		return err;
	default:
		return 0;
	}
}

static inline int btf_type_visit_strs_inline(struct btf_type *t, btf_field_fn fn, void *ctx)
{
	uint32_t i, n = btf_type_vlen(t);
	struct btf_member *m;
	struct btf_param *p;
	struct btf_enum *e;
	struct btf_enum64 *e64;
	int err = fn(&t->name_off, ctx);

	switch (btf_type_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		m = btf_type_data(t);
		for (i = 0; i < n && !err; i++)
			err = fn(&m[i].name_off, ctx);
		return err;
	case BTF_KIND_ENUM:
		e = btf_type_data(t);
		for (i = 0; i < n && !err; i++)
			err = fn(&e[i].name_off, ctx);
		return err;
	case BTF_KIND_ENUM64:
		e64 = btf_type_data(t);
		for (i = 0; i < n && !err; i++)
			err = fn(&e64[i].name_off, ctx);
		return err;
	case BTF_KIND_FUNC_PROTO:
		p = btf_type_data(t);
		for (i = 0; i < n && !err; i++)
			err = fn(&p[i].name_off, ctx);
		return err;
	default:
		return err;
	}
}

#endif
