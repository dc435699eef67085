// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode_vars.c - per-CPU variables as VAR types, and one DATASEC per
 * section that got some, as pahole v1.31 encodes them with "var" (and
 * "global_var"):
 *  - a top-scope variable with a static address inside .data..percpu (with
 *    global_var: inside any data section);
 *  - named, not one of the generated names pahole filters, a valid
 *    identifier, with a sized, non-void type;
 *  - at section offset 0 only if an object symbol of that name is in the
 *    section (vmlinux links .data..percpu at 0: DWARF of other sections'
 *    variables can look like it);
 *  - linkage global if external, else static.
 * Beyond pahole: entries that overlap an earlier one (two VARs at one
 * offset) are dropped, since the kernel refuses such a DATASEC.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_syms.h"
#include "encode.h"
#include "grow.h"

struct var_entry {
	uint32_t var;		/* VAR id */
	uint32_t offset;	/* from the section start */
	uint32_t size;		/* of the variable's type */
	size_t seq;		/* add order, for a stable sort */
};

struct var_sec {
	struct var_entry *entries;
	size_t len, cap;
};

struct var_secs {
	const struct elf_syms *syms;
	bool all_sections;	/* global_var: variables of every data section */
	struct var_sec *secs;	/* per ELF section (syms->secs order) */
};

static const char *const filtered_prefixes[] = {
	"__UNIQUE_ID", "__tpstrtab_", "__exitcall_", "__gendwarfksyms_ptr_",
	"__func_stack_frame_non_standard_",
};

int var_secs_new(const struct elf_syms *syms, struct var_secs **out)
{
	struct var_secs *vs = calloc(1, sizeof(*vs));

	if (!vs)
		return -ENOMEM;
	vs->syms = syms;
	vs->secs = calloc(syms->nsecs ? syms->nsecs : 1, sizeof(*vs->secs));
	if (!vs->secs) {
		free(vs);
		return -ENOMEM;
	}
	*out = vs;
	return 0;
}

void var_secs_free(struct var_secs *vs)
{
	size_t i;

	if (!vs)
		return;
	for (i = 0; i < vs->syms->nsecs; i++)
		free(vs->secs[i].entries);
	free(vs->secs);
	free(vs);
}

static bool sec_included(const struct var_secs *vs, const struct elf_sec *s)
{
	return s->name && (vs->all_sections || !strcmp(s->name, ".data..percpu")) &&
	       (s->type == SHT_PROGBITS || s->type == SHT_NOBITS);
}

/* The included section holding addr, or -1. */
static long sec_of(const struct var_secs *vs, uint64_t addr)
{
	size_t i;

	for (i = 0; i < vs->syms->nsecs; i++) {
		const struct elf_sec *s = &vs->syms->secs[i];

		if (sec_included(vs, s) && addr >= s->addr && addr - s->addr < s->size)
			return (long)i;
	}
	return -1;
}

static bool name_filtered(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(filtered_prefixes) / sizeof(filtered_prefixes[0]); i++)
		if (!strncmp(name, filtered_prefixes[i], strlen(filtered_prefixes[i])))
			return true;
	return false;
}

static int add_var(struct var_secs *vs, struct btf_builder *b, const struct dwt_cu *cu,
		   const struct dwt_var *v, uint32_t type, const struct encode_opts *o)
{
	const struct dwt_tag *tg = dwt_cu_var_tags(cu, v);
	long si = sec_of(vs, v->addr);
	struct var_sec *sec;
	uint32_t size, i;
	uint64_t off;
	int id, r = 0;

	if (si < 0 || !v->name || name_filtered(v->name) || !btf_name_is_ident(v->name) || !type)
		return 0;
	off = v->addr - vs->syms->secs[si].addr;
	if (off > UINT32_MAX ||
	    (!off && !elf_syms_has_object(vs->syms, v->name, vs->syms->secs[si].index)))
		return 0;
	if (btf_builder_type_size(b, type, &size) || !size)
		return 0;
	id = btf_builder_add_var(b, v->name, v->external ? BTF_BUILDER_GLOBAL : BTF_BUILDER_STATIC,
				 type);
	for (i = 0; id >= 0 && r >= 0 && o->decl_tags && i < v->ntags; i++)
		if (!tg[i].type_tag)
			r = btf_builder_add_decl_tag(b, tg[i].value, (uint32_t)id, -1);
	if (id < 0 || r < 0)
		return id < 0 ? id : r;
	sec = &vs->secs[si];
	r = grow_array((void **)&sec->entries, &sec->cap, sizeof(*sec->entries), sec->len + 1);
	if (r)
		return r;
	sec->entries[sec->len] = (struct var_entry){ (uint32_t)id, (uint32_t)off, size, sec->len };
	sec->len++;
	return 0;
}

int var_secs_add(struct var_secs *vs, struct btf_builder *b, const struct dwt_cu *cu,
		 const uint32_t *ids, const struct encode_opts *o)
{
	size_t i;
	int err;

	if (!o->vars && !o->global_vars)
		return 0;
	vs->all_sections = o->global_vars;
	for (i = 0; i < dwt_cu_var_count(cu); i++) {
		const struct dwt_var *v = dwt_cu_var(cu, i);

		err = add_var(vs, b, cu, v, v->type ? ids[v->type - 1] : 0, o);
		if (err) {
			encode_log("variable '%s' (DIE 0x%llx): cannot encode as BTF: %s",
				   v->name ? v->name : "?", (unsigned long long)v->die,
				   strerror(-err));
			return err;
		}
	}
	return 0;
}

static int by_offset(const void *a, const void *b)
{
	const struct var_entry *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int emit_sec(struct btf_builder *b, const struct elf_sec *s, struct var_sec *vs)
{
	struct var_entry *e = vs->entries;
	size_t i, n = 0;
	uint64_t end = 0;
	int r;

	if (vs->len)
		qsort(e, vs->len, sizeof(*e), by_offset);
	for (i = 0; i < vs->len; i++) {
		if (n && e[i].offset < end)
			continue;
		e[n++] = e[i];
		end = (uint64_t)e[i].offset + e[i].size;
	}
	if (end > UINT32_MAX)
		return -E2BIG;
	r = btf_builder_add_datasec(b, s->name, (uint32_t)end);
	for (i = 0; r >= 0 && i < n; i++)
		r = btf_builder_add_datasec_var(b, e[i].var, e[i].offset, e[i].size);
	return r < 0 ? r : 0;
}

int var_secs_emit(struct var_secs *vs, struct btf_builder *b)
{
	size_t i;
	int err;

	for (i = 0; i < vs->syms->nsecs; i++) {
		if (!vs->secs[i].len)
			continue;
		err = emit_sec(b, &vs->syms->secs[i], &vs->secs[i]);
		if (err) {
			encode_log("section '%s': cannot encode its DATASEC: %s",
				   vs->syms->secs[i].name, strerror(-err));
			return err;
		}
	}
	return 0;
}

void var_secs_remap(struct var_secs *vs, const uint32_t *map, uint32_t map_len)
{
	size_t s, i;

	for (s = 0; s < vs->syms->nsecs; s++)
		for (i = 0; i < vs->secs[s].len; i++)
			if (vs->secs[s].entries[i].var < map_len)
				vs->secs[s].entries[i].var = map[vs->secs[s].entries[i].var];
}
