// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump_c.c - BTF as a C header that compiles: the vmlinux.h of CO-RE BPF
 * programs, with bpftool's frame (include guard, preserve_access_index).
 *
 * Every named struct, union, enum and typedef is defined once, in id order
 * except where C needs another type first. Each definition first asks for
 * what it needs (need()): complete types for what it holds by value
 * (members, array elements, a typedef used by value), only a declaration
 * for what it points to. A struct pointed to before it is defined gets a
 * forward declaration ("struct foo;"); a typedef is defined before any use,
 * even behind a pointer, since C knows no forward typedef. Anonymous
 * structs and unions are written inside what uses them, anonymous enums
 * too, or at the top level when nothing uses them (their enumerators are
 * still constants a program may use). So for
 *   [1] STRUCT a { [2] *b }, [2] TYPEDEF b -> [3], [3] STRUCT c { [1] x }
 * the output is "struct c;", "typedef struct c b;", "struct a {...};",
 * "struct c {...};".
 *
 * Names: C has one namespace for struct, union and enum tags and one for
 * typedefs and enumerators. A name BTF gives to two different types gets
 * "___2", "___3"... on the later ones, as bpftool does (libbpf's rule), so
 * the header compiles and CO-RE still matches the type by its name before
 * the "___". A FWD takes the name of the struct or union it declares.
 * FUNC, VAR, DATASEC and DECL_TAG have no C type to write and are skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump_c_priv.h"
#include "visit.h"

#define NEED_DEPTH 2048	/* need() recursion followed, for hostile chains */

const struct btf_type *cd_type(const struct cdump *d, uint32_t id)
{
	return id && id < d->n ? btf_builder_type(d->b, id) : NULL;
}

const char *cd_str(const struct cdump *d, uint32_t off)
{
	const char *s = btf_builder_str(d->b, off);

	return s ? s : "";
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int names_grow(struct cd_names *ns)
{
	uint32_t cap = ns->cap ? ns->cap * 2 : 1024, i, j;
	char **keys = calloc(cap, sizeof(*keys));
	uint32_t *counts = calloc(cap, sizeof(*counts));
	uint8_t *kinds = calloc(cap, sizeof(*kinds));

	if (!keys || !counts || !kinds) {
		free(keys);
		free(counts);
		free(kinds);
		return -ENOMEM;
	}
	for (i = 0; i < ns->cap; i++) {
		if (!ns->keys[i])
			continue;
		for (j = name_hash(ns->keys[i]) & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
			;
		keys[j] = ns->keys[i];
		counts[j] = ns->counts[i];
		kinds[j] = ns->kinds[i];
	}
	free(ns->keys);
	free(ns->counts);
	free(ns->kinds);
	ns->keys = keys;
	ns->counts = counts;
	ns->kinds = kinds;
	ns->cap = cap;
	return 0;
}

/* The slot of name: its own, or the empty one it would take. */
static uint32_t names_slot(const struct cd_names *ns, const char *name)
{
	uint32_t i;

	for (i = name_hash(name) & (ns->cap - 1); ns->keys[i] && strcmp(ns->keys[i], name);
	     i = (i + 1) & (ns->cap - 1))
		;
	return i;
}

uint32_t cd_names_first(const struct cd_names *ns, const char *name)
{
	uint32_t i;

	if (!ns->cap)
		return 0;
	i = names_slot(ns, name);
	return ns->keys[i] ? ns->kinds[i] : 0;
}

char *cd_names_take(struct cdump *d, struct cd_names *ns, const char *name, uint32_t kind)
{
	uint32_t i, count;
	char *out;

	if ((ns->len + 1) * 2 > ns->cap && names_grow(ns)) {
		d->err = -ENOMEM;
		return NULL;
	}
	i = names_slot(ns, name);
	if (!ns->keys[i]) {
		ns->keys[i] = strdup(name);
		if (!ns->keys[i]) {
			d->err = -ENOMEM;
			return NULL;
		}
		ns->kinds[i] = (uint8_t)kind;
		ns->len++;
	}
	count = ++ns->counts[i];
	out = malloc(strlen(name) + 16);
	if (!out) {
		d->err = -ENOMEM;
		return NULL;
	}
	if (count == 1)
		strcpy(out, name);
	else
		sprintf(out, "%s___%u", name, count);
	return out;
}

static void names_release(struct cd_names *ns)
{
	uint32_t i;

	for (i = 0; i < ns->cap; i++)
		free(ns->keys[i]);
	free(ns->keys);
	free(ns->counts);
	free(ns->kinds);
}

/* Names of tag types and typedefs, in id order; FWDs after definitions. */
static void assign_names(struct cdump *d)
{
	uint32_t id, k;
	int pass;

	for (pass = 0; pass < 2 && !d->err; pass++) {
		for (id = 1; id < d->n && !d->err; id++) {
			const struct btf_type *t = cd_type(d, id);
			const char *name = cd_str(d, t->name_off);

			k = btf_type_kind(t);
			if (!*name || (pass == 1) != (k == BTF_KIND_FWD))
				continue;
			if (k == BTF_KIND_STRUCT || k == BTF_KIND_UNION || k == BTF_KIND_ENUM ||
			    k == BTF_KIND_ENUM64) {
				d->names[id] = cd_names_take(d, &d->tags, name, k);
			} else if (k == BTF_KIND_TYPEDEF) {
				d->names[id] = cd_names_take(d, &d->idents, name, k);
			} else if (k == BTF_KIND_FWD) {
				/* The name of the struct or union it declares (taken
				 * first, so unsuffixed), or one of its own. */
				k = btf_type_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
				d->names[id] = cd_names_first(&d->tags, name) == k
						       ? strdup(name)
						       : cd_names_take(d, &d->tags, name, k);
				if (!d->names[id])
					d->err = -ENOMEM;
			}
		}
	}
}

static int mark_one(uint32_t *field, void *ctx)
{
	struct cdump *d = ctx;

	if (*field < d->n)
		d->state[*field] |= CD_REFERRED;
	return 0;
}

/* Marks every type another one refers to (anonymous enums used inline). */
static void mark_referred(struct cdump *d)
{
	uint32_t id;

	/* The visitor takes writable records; mark_one() only reads. */
	for (id = 1; id < d->n; id++)
		btf_type_visit_ids((struct btf_type *)cd_type(d, id), mark_one, d);
}

/* The definition in d->out goes out, with a blank line after it. */
static void flush(struct cdump *d)
{
	d->decl_budget = DECL_BUDGET;
	dstr_adds(&d->out, ";\n\n");
	if (d->out.err && !d->err)
		d->err = d->out.err;
	if (!d->err && fwrite(d->out.buf, 1, d->out.len, d->f) != d->out.len)
		d->err = -EIO;
	dstr_reset(&d->out);
}

static void need(struct cdump *d, uint32_t id, bool complete, int depth);

/* A struct's or union's members' needs (its own or an anonymous one's). */
static void need_members(struct cdump *d, uint32_t id, int depth)
{
	const struct btf_type *t = cd_type(d, id);
	const struct btf_member *m = btf_type_data(t);
	uint32_t i;

	d->state[id] |= CD_BUSY;
	for (i = 0; i < btf_type_vlen(t); i++)
		need(d, m[i].type, true, depth + 1);
	d->state[id] &= (uint16_t)~CD_BUSY;
}

static void declare(struct cdump *d, uint32_t id, bool is_union)
{
	/* Inside its own body the tag needs no declaration; anywhere printed
	 * before that body (a typedef, another struct) it does. */
	if (d->state[id] & (CD_DEFINED | CD_DECLARED) || id == d->body)
		return;
	d->state[id] |= CD_DECLARED;
	dstr_adds(&d->out, is_union ? "union " : "struct ");
	dstr_adds(&d->out, d->names[id]);
	flush(d);
}

static void define(struct cdump *d, uint32_t id, int depth)
{
	const struct btf_type *t = cd_type(d, id);
	uint32_t k = btf_type_kind(t);

	if (d->state[id] & (CD_DEFINED | CD_BUSY))
		return;
	if (k == BTF_KIND_STRUCT || k == BTF_KIND_UNION) {
		uint32_t outer = d->body;

		d->body = id;
		need_members(d, id, depth);
		d->body = outer;
		cd_composite(d, id, 0);
	} else if (k == BTF_KIND_TYPEDEF) {
		uint32_t outer = d->body;

		d->state[id] |= CD_BUSY;
		d->body = 0;
		need(d, t->type, false, depth + 1);
		d->body = outer;
		d->state[id] &= (uint16_t)~CD_BUSY;
		if (!strncmp(d->names[id], "__builtin_", 10)) {
			/* The compiler's own (__builtin_va_list): used, never defined. */
			d->state[id] |= CD_DEFINED;
			return;
		}
		dstr_adds(&d->out, "typedef ");
		cd_decl(d, t->type, d->names[id], 0);
	} else if (!btf_type_vlen(t)) {
		/* An enum without enumerators: only declared where it came from. */
		dstr_adds(&d->out, "enum ");
		dstr_adds(&d->out, d->names[id]);
	} else {
		d->state[id] |= CD_INLINED;
		cd_enum(d, id, 0);
	}
	d->state[id] |= CD_DEFINED;
	flush(d);
}

static void need(struct cdump *d, uint32_t id, bool complete, int depth)
{
	const struct btf_type *t = cd_type(d, id);
	const struct btf_param *p;
	uint32_t i;

	if (!t || depth > NEED_DEPTH || d->err)
		return;
	/* Every type's needs are met once: prototypes whose parameters point
	 * back at them would fan out without end. */
	if (d->state[id] & (complete ? CD_NEEDED_FULL : CD_NEEDED))
		return;
	d->state[id] |= complete ? CD_NEEDED_FULL | CD_NEEDED : CD_NEEDED;
	switch (btf_type_kind(t)) {
	case BTF_KIND_PTR:
		need(d, t->type, false, depth + 1);
		return;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		need(d, t->type, complete, depth + 1);
		return;
	case BTF_KIND_ARRAY:
		need(d, ((const struct btf_array *)btf_type_data(t))->type, true, depth + 1);
		return;
	case BTF_KIND_FUNC_PROTO:
		p = btf_type_data(t);
		need(d, t->type, false, depth + 1);
		for (i = 0; i < btf_type_vlen(t); i++)
			need(d, p[i].type, false, depth + 1);
		return;
	case BTF_KIND_FWD:
		if (d->names[id])
			declare(d, id, btf_type_kflag(t));
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (d->names[id])
			define(d, id, depth);
		return;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (!d->names[id]) {
			if (!(d->state[id] & CD_BUSY))
				need_members(d, id, depth);
		} else if (complete) {
			define(d, id, depth);
		} else {
			declare(d, id, btf_type_kind(t) == BTF_KIND_UNION);
		}
		return;
	case BTF_KIND_TYPEDEF:
		/* A typedef without a name (not from C) stands for its type. */
		if (d->names[id])
			define(d, id, depth);
		if (complete || !d->names[id])
			need(d, t->type, true, depth + 1);
		return;
	default:
		return;
	}
}

static const char prologue[] =
	"#ifndef __VMLINUX_H__\n"
	"#define __VMLINUX_H__\n"
	"\n"
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n"
	"\n";

static const char epilogue[] =
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute pop\n"
	"#endif\n"
	"\n"
	"#endif /* __VMLINUX_H__ */\n";

int btf_dump_c(const struct btf_builder *b, FILE *f)
{
	struct cdump d = { .b = b, .n = btf_builder_type_cnt(b), .f = f };
	uint32_t id;

	d.decl_budget = DECL_BUDGET;
	d.state = calloc(d.n, sizeof(*d.state));
	d.align = calloc(d.n, 1);
	d.names = calloc(d.n, sizeof(*d.names));
	if (!d.state || !d.align || !d.names)
		d.err = -ENOMEM;
	if (!d.err)
		assign_names(&d);
	mark_referred(&d);
	if (!d.err && fputs(prologue, f) == EOF)
		d.err = -EIO;
	for (id = 1; id < d.n && !d.err; id++) {
		const struct btf_type *t = cd_type(&d, id);
		uint32_t k = btf_type_kind(t);

		if (d.names[id] || k == BTF_KIND_FWD)
			need(&d, id, k != BTF_KIND_FWD, 0);
		else if ((k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64) && btf_type_vlen(t) &&
			 !(d.state[id] & (CD_REFERRED | CD_INLINED)))
			define(&d, id, 0);
	}
	if (!d.err && fputs(epilogue, f) == EOF)
		d.err = -EIO;
	for (id = 0; d.names && id < d.n; id++)
		free(d.names[id]);
	free(d.names);
	free(d.state);
	free(d.align);
	names_release(&d.tags);
	names_release(&d.idents);
	dstr_release(&d.out);
	return d.err;
}
