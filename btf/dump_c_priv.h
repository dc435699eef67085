/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dump_c_priv.h - what the two halves of the C dumper share: the order of
 * definitions (dump_c.c) and the text of one declaration (dump_c_decl.c).
 */
#ifndef BTFENC_DUMP_C_PRIV_H
#define BTFENC_DUMP_C_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "btf.h"
#include "btf_rec.h"
#include "dstr.h"

/* Declarators one definition may write (a real one writes a few hundred). */
#define DECL_BUDGET 100000

/* Per-type state bits. */
enum {
	CD_DEFINED = 1,		/* its definition is out */
	CD_DECLARED = 2,	/* its forward declaration is out */
	CD_BUSY = 4,		/* being defined: its dependencies are going out */
	CD_INLINED = 8,		/* an anonymous enum whose body is out */
	CD_REFERRED = 16,	/* another type refers to it */
	CD_ALIGN_KNOWN = 32,	/* align[] and packed bit hold its layout */
	CD_PACKED = 64,		/* a struct that needs __attribute__((packed)) */
	CD_NEEDED = 128,	/* need() went through it for a declaration */
	CD_NEEDED_FULL = 256,	/* the same for a complete type */
};

/* Names of one C namespace with how often each was taken. */
struct cd_names {
	char **keys;
	uint32_t *counts;
	uint8_t *kinds;		/* the BTF kind of the name's first taker */
	uint32_t cap;		/* a power of two */
	uint32_t len;
};

struct cdump {
	const struct btf_builder *b;
	uint32_t n;		/* type ids 0 .. n-1 */
	uint16_t *state;	/* per id: CD_* */
	uint8_t *align;		/* per id: alignment in bytes, once CD_ALIGN_KNOWN */
	char **names;		/* per id: the C name of a named tag type or typedef */
	struct cd_names tags;	/* struct, union and enum tags */
	struct cd_names idents;	/* typedefs and enumerators */
	uint32_t body;		/* the named struct or union whose members' needs are
				 * being met (its tag is in scope there), or 0 */
	int decl_depth;		/* declarations inside declarations (parameters) */
	uint32_t decl_budget;	/* declarators the current definition may still write */
	struct dstr out;	/* the definition being written */
	FILE *f;
	int err;
};

/* The name a tag or ordinary identifier gets: itself, or name___N for the
 * N-th distinct one. Returns: a malloc'd name, or NULL (d->err set). */
char *cd_names_take(struct cdump *d, struct cd_names *ns, const char *name, uint32_t kind);
/* The kind of name's first taker (who has it unsuffixed), or 0. */
uint32_t cd_names_first(const struct cd_names *ns, const char *name);

/* The type of id, NULL for void and ids past the end. */
const struct btf_type *cd_type(const struct cdump *d, uint32_t id);
const char *cd_str(const struct cdump *d, uint32_t off);

/* Appends the declaration of name (may be "") as type id to d->out: base
 * type, qualifiers, pointers, arrays, function prototypes, and inline the
 * bodies of anonymous structs, unions and enums at indent. */
void cd_decl(struct cdump *d, uint32_t id, const char *name, int indent);

/* Appends a struct or union body "struct name {...}" (name NULL: anonymous). */
void cd_composite(struct cdump *d, uint32_t id, int indent);
/* Appends an enum body "enum name {...}". */
void cd_enum(struct cdump *d, uint32_t id, int indent);

#endif
