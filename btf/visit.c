// SPDX-License-Identifier: GPL-2.0-only
#include "visit.h"

#include "btf_rec.h"

int btf_type_visit_ids(struct btf_type *t, btf_field_fn fn, void *ctx)
{
	return btf_type_visit_ids_inline(t, fn, ctx);
}

int btf_type_visit_strs(struct btf_type *t, btf_field_fn fn, void *ctx)
{
	return btf_type_visit_strs_inline(t, fn, ctx);
}
