/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * encode.h - DWARF records to BTF: the mapping rules (after pahole v1.31 with
 * the kernel's features) and the whole-object driver.
 *
 * encode_cu_types() appends one compile unit's types to a builder; the
 * driver walks every unit, deduplicates, and hands the blob to the writer.
 */
#ifndef BTFENC_ENCODE_H
#define BTFENC_ENCODE_H

#include <stdbool.h>

#include "btf.h"
#include "dwt.h"

/* What to encode: the --btf_features switches that affect types. */
struct encode_opts {
	bool enum64;		/* 8-byte enums as ENUM64 (else ENUM, values cut to 32 bits) */
	bool floats;		/* floating types as FLOAT (else skipped, as void) */
	bool type_tags;		/* btf_type_tag annotations as TYPE_TAG */
	bool decl_tags;		/* btf_decl_tag annotations as DECL_TAG */
	unsigned exclude_lang;	/* a DW_LANG_* whose units are skipped, 0 for none */
};

/* Where the encoder's, btf/'s and dwarf/'s messages go (one callback). */
void encode_log_set(btf_log_fn fn, void *ctx);

/* Reports one message (printf-like) through the btf/ layer's log. */
void encode_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The kernel's feature set, as the kernel build asks for it. */
void encode_opts_default(struct encode_opts *o);

/*
 * Appends the types of one walked unit to b. Each record gets its BTF id
 * before any is added, so references may point forward.
 * Returns: 0, or -errno with the DIE at fault logged.
 */
int encode_cu_types(struct btf_builder *b, const struct dwt_cu *cu, const struct encode_opts *o);

/*
 * Encodes every unit of the DWARF of path into a new builder (split on base
 * if not NULL), deduplicated.
 * Returns: 0 and *out, or -errno (logged).
 */
int encode_file(const char *path, struct btf_builder *base, const struct encode_opts *o,
		struct btf_builder **out);

#endif
