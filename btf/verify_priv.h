/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verify_priv.h - what the passes of btf_verify() share: the blob as the
 * kernel sees it, the resolve state, and the kernel's log lines.
 *
 * Own types are the records that passed the meta pass, ids start_id and up;
 * a split blob's lower ids are its base's. The type section is copied into an
 * aligned buffer; strings are read where they are (bytes).
 */
#ifndef BTFENC_VERIFY_PRIV_H
#define BTFENC_VERIFY_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "btf.h"
#include "btf_rec.h"
#include "dstr.h"
#include "verify.h"

/* The kernel's limits (6.18). */
#define VERIFY_MAX_SIZE (16u << 20)	/* BTF_MAX_SIZE */
#define VERIFY_RESOLVE_DEPTH 32	/* MAX_RESOLVE_DEPTH */
#define VERIFY_CHAIN_LIMIT 32

enum verify_visit { VISIT_NONE, VISIT_BUSY, VISIT_DONE };
enum verify_mode { MODE_TBD, MODE_PTR, MODE_STRUCT_OR_ARRAY };

/* One entry of the resolve stack. */
struct verify_vertex {
	uint32_t id;
	uint32_t next_member;	/* where a struct or DATASEC resumes */
};

struct verify {
	const struct btf_verify_opts *o;
	btf_verify_fn fn;
	void *ctx;
	int found;			/* findings so far */
	int err;			/* -ENOMEM once an allocation failed */
	bool stop;			/* max_findings reached */

	struct btf_builder *base;	/* split: the base, else NULL */
	uint32_t start_id;		/* first own id */
	uint32_t start_str_off;		/* first own string offset */
	struct btf_header hdr;		/* the kernel's copy of the header */
	const char *strs;		/* own strings */
	uint32_t str_len;
	uint32_t *types;		/* the type section, aligned copy */
	uint32_t type_len;
	uint32_t *recs;			/* own type i: word offset in types */
	uint32_t nr;			/* own types */
	uint32_t recs_cap;

	/* Resolve state per own type (index id - start_id). */
	uint8_t *visit;
	uint32_t *resolved_id;
	uint32_t *resolved_size;
	struct verify_vertex stack[VERIFY_RESOLVE_DEPTH];
	unsigned top;
	enum verify_mode mode;
	uint32_t log_id;		/* the id the kernel's log names now */

	struct dstr line, type_line;	/* scratch for findings */
};

/* Kernel feature levels by opts->kernel. */
uint32_t verify_kind_max(const struct verify *v);
bool verify_tag_kflag_ok(const struct verify *v);

/* Types and strings, base included. The void type for 0; NULL past the end. */
const struct btf_type *verify_type(const struct verify *v, uint32_t id);
bool verify_name_off_ok(const struct verify *v, uint32_t off);
/* The string at a valid offset. */
const char *verify_str(const struct verify *v, uint32_t off);
bool verify_ident_ok(const struct verify *v, uint32_t off);
bool verify_section_name_ok(const struct verify *v, uint32_t off);

/* Kind classes of the kernel. */
bool verify_is_modifier(const struct btf_type *t);
bool verify_needs_resolve(const struct btf_type *t);
bool verify_is_source_only(const struct btf_type *t);
bool verify_nosize(const struct btf_type *t);	/* void, FWD, FUNC, FUNC_PROTO, DECL_TAG */
bool verify_int_regular(const struct btf_type *t);

/* The shapes of the kernel's log lines. */
enum verify_line {
	LINE_PLAIN,	/* the reason alone: header, sections, strings, chains */
	LINE_ID,	/* "[id] reason": a record too broken to show */
	LINE_TYPE,	/* "[id] KIND name details reason" */
	LINE_BASIC,	/* "[id] KIND name reason" */
	LINE_MEMBER,	/* "\tname type_id=.. bits_offset=.. reason" after the type's */
	LINE_VSI,	/* "\t type_id=.. offset=.. size=.. reason" after the type's */
};

/*
 * Records a finding, formatted as the kernel's log line of shape k about
 * type t (logged as v->log_id) or, without t, about id; item is the member
 * (struct btf_member) or DATASEC entry (struct btf_var_secinfo). fmt is
 * the reason.
 * Returns: -EINVAL (the kernel's result, so that a check can end with
 * "return verify_fail(...)"), or -ENOMEM.
 */
int verify_fail(struct verify *v, enum verify_line k, uint32_t id, const struct btf_type *t,
		const void *item, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#define verify_plain_fail(v, id, ...) verify_fail(v, LINE_PLAIN, id, NULL, NULL, __VA_ARGS__)
#define verify_id_fail(v, id, ...) verify_fail(v, LINE_ID, id, NULL, NULL, __VA_ARGS__)
#define verify_type_fail(v, t, ...) verify_fail(v, LINE_TYPE, 0, t, NULL, __VA_ARGS__)
#define verify_basic_fail(v, t, ...) verify_fail(v, LINE_BASIC, 0, t, NULL, __VA_ARGS__)
#define verify_member_fail(v, t, m, ...) verify_fail(v, LINE_MEMBER, 0, t, m, __VA_ARGS__)
#define verify_vsi_fail(v, t, s, ...) verify_fail(v, LINE_VSI, 0, t, s, __VA_ARGS__)

/* The passes. Returns: 0, or -EINVAL after a finding, -ENOMEM. */
int verify_meta(struct verify *v);
int verify_resolve_all(struct verify *v);
int verify_type_tags(struct verify *v);

/* In verify_meta.c: one record's kind checks. Returns: its trailing bytes, or -EINVAL. */
int verify_kind_meta(struct verify *v, const struct btf_type *t, uint32_t meta_left);

#endif
