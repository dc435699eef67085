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

/* Called per field; a nonzero return stops the walk and is returned. */
typedef int (*btf_field_fn)(uint32_t *field, void *ctx);

/* Type ids: the size/type word of reference kinds, ARRAY element and index,
 * member, param and DATASEC variable types. A void (0) field is visited too. */
int btf_type_visit_ids(struct btf_type *t, btf_field_fn fn, void *ctx);

/* String offsets: the type's name, member, enumerator and param names. */
int btf_type_visit_strs(struct btf_type *t, btf_field_fn fn, void *ctx);

#endif
