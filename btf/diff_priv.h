/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diff_priv.h - the parts of the BTF diff (diff.h): a growable text buffer,
 * the shape renderer of one BTF (diff_shape.c) and the first-difference
 * explainer of two (diff_explain.c). Nothing here is for users of the layer.
 */
#ifndef BTFENC_DIFF_PRIV_H
#define BTFENC_DIFF_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf.h"
#include "btf_rec.h"
#include "dstr.h"


/* Renders the shapes of one BTF's types; caches anonymous renderings per id. */
struct shaper {
	const struct btf_builder *b;	/* the BTF, base included */
	uint32_t type_cnt;		/* ids 0 .. type_cnt-1 */
	struct dstr cache;		/* cached renderings, back to back */
	uint32_t *cache_off;		/* per id: offset in cache */
	uint32_t *cache_len;		/* per id: length in cache */
	uint8_t *state;			/* per id: SHAPE_NEW, SHAPE_BUSY or SHAPE_CACHED */
};

/* Returns: 0, -ENOMEM. */
int shaper_init(struct shaper *sh, const struct btf_builder *b);
void shaper_release(struct shaper *sh);

/* The string at off, or the type's name ("" for none or a bad offset). */
const char *shape_str(const struct shaper *sh, uint32_t off);
const char *shape_name(const struct shaper *sh, const struct btf_type *t);
/* Whether t is shown by kind and name where it is referred to. */
bool shape_is_named(const struct shaper *sh, const struct btf_type *t);
/* Appends how id reads where a type refers to it ("struct foo", "int *"). */
void shape_ref(struct shaper *sh, uint32_t id, struct dstr *out);
/* Appends the whole shape of a top-level type (a named one in full). */
void shape_body(struct shaper *sh, uint32_t id, struct dstr *out);
/* Appends the '+'/'-' summary of a top-level type ("size=16 vlen=2"). */
void shape_summary(struct shaper *sh, uint32_t id, struct dstr *out);
/* Appends a member's bitfield size and type as shapes show them: a
 * kind_flag=0 bitfield's INT by its bare name. Returns: the bitfield size. */
uint32_t shape_member_type(struct shaper *sh, const struct btf_type *owner,
			   const struct btf_member *m, struct dstr *out);
/* FUNC/VAR linkage and INT encoding as shapes say them: "static", "signed". */
const char *shape_linkage(uint32_t linkage);
const char *shape_int_encoding(uint32_t encoding);

/*
 * Appends to out the first difference between type ida of sa and idb of sb,
 * two top-level types with the same key whose shapes differ.
 */
void diff_explain(struct shaper *sa, uint32_t ida, struct shaper *sb, uint32_t idb,
		  struct dstr *out);

#endif
