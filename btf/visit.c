// SPDX-License-Identifier: GPL-2.0-only
#include "visit.h"

#include "btf_rec.h"

int btf_type_visit_ids(struct btf_type *t, btf_field_fn fn, void *ctx)
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

int btf_type_visit_strs(struct btf_type *t, btf_field_fn fn, void *ctx)
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
