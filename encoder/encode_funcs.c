// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode_funcs.c - FUNC and FUNC_PROTO for the functions func_policy.h
 * keeps. Each unit's functions are saved as states with that unit's type
 * ids; after the last unit, states are put in name order (stable: unit order
 * within a name), states of one name are combined, and a kept function is
 * emitted once, with its first state's prototype.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "elf_syms.h"
#include "encode.h"
#include "func_policy.h"
#include "grow.h"

/* Strings are copied into func_states.strs when saved: the DWARF they come
 * from is given back unit by unit (a DW_FORM_string lies in .debug_info),
 * and reading it again at the end would bring back most of the file. */
struct fn_param {
	uint32_t name;		/* 1 + offset in strs, or 0 */
	uint32_t type;		/* BTF id */
};

struct fn_tag {
	uint32_t value;		/* decl tag: 1 + offset in strs */
	int32_t component;	/* param index or -1 */
};

struct fn_state {
	struct elf_func *elf;	/* the ELF function of this name */
	uint32_t ret;		/* BTF id of the return type */
	uint32_t first_param;	/* into params */
	uint32_t nparams;
	uint32_t first_tag;	/* into tags */
	uint32_t ntags;
	uint32_t flags;		/* FN_* of func_policy.h */
	bool varargs;
	size_t seq;		/* save order, for a stable sort */
};

struct func_states {
	struct fn_state *states;
	size_t states_len, states_cap;
	struct fn_param *params;
	size_t params_len, params_cap;
	struct fn_tag *tags;
	size_t tags_len, tags_cap;
	char *strs;		/* param names and tag values */
	size_t strs_len, strs_cap;
	uint16_t machine;	/* e_machine, for the register rules */
};

/* A copy of s in fs->strs: 1 + its offset, 0 for NULL; -ENOMEM. */
static int64_t keep_str(struct func_states *fs, const char *s)
{
	size_t n;

	if (!s)
		return 0;
	n = strlen(s) + 1;
	if (fs->strs_len + n > UINT32_MAX - 1 ||
	    grow_array_raw((void **)&fs->strs, &fs->strs_cap, 1, fs->strs_len + n))
		return -ENOMEM;
	memcpy(fs->strs + fs->strs_len, s, n);
	fs->strs_len += n;
	return (int64_t)(fs->strs_len - n) + 1;
}

static const char *kept_str(const struct func_states *fs, uint32_t v)
{
	return v ? fs->strs + v - 1 : NULL;
}

int func_states_new(struct func_states **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void func_states_free(struct func_states *fs)
{
	if (!fs)
		return;
	free(fs->states);
	free(fs->params);
	free(fs->tags);
	free(fs->strs);
	free(fs);
}

static uint32_t id_of(const uint32_t *ids, uint32_t ref)
{
	return ref ? ids[ref - 1] : 0;
}

/* R4 and R5 for one state. */
static uint32_t state_flags(const struct func_states *fs, const struct btf_builder *b,
			    const struct dwt_item *p, uint32_t n, const uint32_t *ids)
{
	unsigned i, regs = func_policy_nr_regs(fs->machine);
	bool unexpected = false, any_struct = false;
	uint32_t flags = 0;

	for (i = 0; i < n; i++) {
		uint32_t type = id_of(ids, p[i].type);

		any_struct = any_struct || func_policy_is_struct(b, type);
		if (i < regs)
			unexpected = unexpected || func_policy_param_unexpected(fs->machine, i,
										p[i].value);
		else if (func_policy_is_packed(b, type))
			flags |= FN_UNCERTAIN_LOC;
	}
	if (unexpected && !any_struct)
		flags |= FN_UNEXPECTED_REG;
	return flags;
}

static int save_one(struct func_states *fs, const struct btf_builder *b, struct elf_func *elf,
		    const struct dwt_cu *cu, const struct dwt_func *fn, const uint32_t *ids)
{
	const struct dwt_item *p = dwt_cu_params(cu, fn);
	const struct dwt_tag *tg = dwt_cu_func_tags(cu, fn);
	struct fn_state *s;
	uint32_t i;
	int err;

	err = grow_array((void **)&fs->states, &fs->states_cap, sizeof(*fs->states),
			 fs->states_len + 1);
	err = err ? err : grow_array((void **)&fs->params, &fs->params_cap, sizeof(*fs->params),
				     fs->params_len + fn->nparams);
	err = err ? err : grow_array((void **)&fs->tags, &fs->tags_cap, sizeof(*fs->tags),
				     fs->tags_len + fn->ntags);
	if (err)
		return err;
	s = &fs->states[fs->states_len];
	memset(s, 0, sizeof(*s));
	s->elf = elf;
	s->ret = id_of(ids, fn->ret);
	s->first_param = (uint32_t)fs->params_len;
	s->nparams = fn->nparams;
	s->first_tag = (uint32_t)fs->tags_len;
	s->varargs = fn->flags & DWT_FN_VARARGS;
	s->flags = state_flags(fs, b, p, fn->nparams, ids);
	s->seq = fs->states_len++;
	for (i = 0; i < fn->nparams; i++) {
		int64_t name = keep_str(fs, p[i].name);

		if (name < 0)
			return (int)name;
		fs->params[fs->params_len].name = (uint32_t)name;
		fs->params[fs->params_len++].type = id_of(ids, p[i].type);
	}
	for (i = 0; i < fn->ntags; i++) {
		int64_t value;

		if (tg[i].type_tag)
			continue;
		value = keep_str(fs, tg[i].value);
		if (value < 0)
			return (int)value;
		fs->tags[fs->tags_len].value = (uint32_t)value;
		fs->tags[fs->tags_len++].component = tg[i].component;
		s->ntags++;
	}
	return 0;
}

int func_states_save(struct func_states *fs, const struct btf_builder *b,
		     const struct elf_syms *syms, const struct dwt_cu *cu, const uint32_t *ids)
{
	size_t i;
	int err;

	fs->machine = syms->machine;
	for (i = 0; i < dwt_cu_func_count(cu); i++) {
		const struct dwt_func *fn = dwt_cu_func(cu, i);
		struct elf_func *elf;

		/* R2, R3 */
		if (fn->flags & DWT_FN_UNNAMED)
			continue;
		elf = elf_syms_func(syms, fn->name);
		if (!elf)
			continue;
		err = save_one(fs, b, elf, cu, fn, ids);
		if (err)
			return err;
	}
	return 0;
}

static int by_name_then_seq(const void *a, const void *b)
{
	const struct fn_state *x = a, *y = b;
	int c = strcmp(x->elf->name, y->elf->name);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* R7: the same count (varargs included), return and parameter types. */
static bool states_match(const struct func_states *fs, const struct btf_builder *b,
			 const struct fn_state *x, const struct fn_state *y)
{
	uint32_t i;

	if (x->nparams + x->varargs != y->nparams + y->varargs ||
	    !func_policy_types_match(b, x->ret, y->ret))
		return false;
	for (i = 0; i < x->nparams && i < y->nparams; i++)
		if (!func_policy_types_match(b, fs->params[x->first_param + i].type,
					     fs->params[y->first_param + i].type))
			return false;
	return true;
}

/* The flags of a name's states [first, end): R6 and R7 on top of each. */
static uint32_t group_flags(const struct func_states *fs, const struct btf_builder *b,
			    size_t first, size_t end)
{
	const struct fn_state *rep = &fs->states[first];
	uint32_t flags = rep->flags;
	size_t i;

	for (i = first + 1; i < end; i++) {
		const struct fn_state *s = &fs->states[i];

		if (!(flags & (FN_UNEXPECTED_REG | FN_INCONSISTENT)) &&
		    !(s->flags & (FN_UNEXPECTED_REG | FN_INCONSISTENT)) &&
		    !states_match(fs, b, rep, s))
			flags |= FN_INCONSISTENT;
		flags |= s->flags;
	}
	if (rep->elf->ambiguous)
		flags |= FN_AMBIGUOUS;
	return flags;
}

/*
 * attributes (pahole v1.30+): a kfunc flagged KF_ARENA_* returns or takes a
 * pointer into a BPF arena, which BTF says with a pointer to the pointee
 * tagged "address_space(1)" as a C attribute (TYPE_TAG, kind_flag 1).
 * Returns: the type to use instead of ptr, or -EINVAL if ptr is no pointer.
 */
static int arena_ptr(struct btf_builder *b, uint32_t ptr)
{
	const struct btf_type *t = btf_builder_type(b, ptr);
	int tag;

	if (!t || btf_type_kind(t) != BTF_KIND_PTR)
		return -EINVAL;
	tag = btf_builder_add_type_attr(b, "address_space(1)", t->type);
	return tag < 0 ? tag : btf_builder_add_ptr(b, (uint32_t)tag);
}

/* The return and first two parameter types, arena-tagged where flagged. */
static int arena_types(const struct func_states *fs, struct btf_builder *b,
		       const struct fn_state *s, const struct encode_opts *o, uint32_t types[3])
{
	static const uint32_t flags[3] = { KF_ARENA_RET, KF_ARENA_ARG1, KF_ARENA_ARG2 };
	const struct fn_param *p = fs->params ? fs->params + s->first_param : NULL;
	uint32_t i;
	int r;

	types[0] = s->ret;
	for (i = 1; i < 3; i++)
		types[i] = i <= s->nparams ? p[i - 1].type : 0;
	if (!s->elf->kfunc || !o->attributes || !o->kfunc_tags)
		return 0;
	for (i = 0; i < 3; i++) {
		if (!(s->elf->kfunc_flags & flags[i]))
			continue;
		r = arena_ptr(b, types[i]);
		if (r < 0) {
			encode_log("kfunc '%s': %s is flagged as an arena pointer but is none",
				   s->elf->name, i ? "a parameter" : "the return type");
			return r;
		}
		types[i] = (uint32_t)r;
	}
	return 0;
}

static int emit_one(const struct func_states *fs, struct btf_builder *b,
		    const struct fn_state *s, const struct encode_opts *o)
{
	const struct fn_param *p = fs->params ? fs->params + s->first_param : NULL;
	const struct fn_tag *t = fs->tags ? fs->tags + s->first_tag : NULL;
	uint32_t types[3];
	int proto, fn, r;
	uint32_t i;

	r = arena_types(fs, b, s, o, types);
	if (r < 0)
		return r;
	proto = btf_builder_add_func_proto(b, types[0]);
	for (i = 0; proto >= 0 && r >= 0 && i < s->nparams; i++)
		r = btf_builder_add_param(b, kept_str(fs, p[i].name),
					  i < 2 ? types[i + 1] : p[i].type);
	if (proto >= 0 && r >= 0 && s->varargs)
		r = btf_builder_add_param(b, NULL, 0);
	if (proto < 0 || r < 0)
		return proto < 0 ? proto : r;
	fn = btf_builder_add_func(b, s->elf->name, BTF_BUILDER_STATIC, (uint32_t)proto);
	if (fn < 0)
		return fn;
	if (s->elf->kfunc && o->kfunc_tags && o->decl_tags) {
		r = btf_builder_add_decl_tag(b, "bpf_kfunc", (uint32_t)fn, -1);
		if (r >= 0 && (s->elf->kfunc_flags & KF_FASTCALL))
			r = btf_builder_add_decl_tag(b, "bpf_fastcall", (uint32_t)fn, -1);
	}
	for (i = 0; r >= 0 && o->decl_tags && i < s->ntags; i++)
		r = btf_builder_add_decl_tag(b, kept_str(fs, t[i].value), (uint32_t)fn,
					     t[i].component);
	return r < 0 ? r : 0;
}

int func_states_emit(struct func_states *fs, struct btf_builder *b, const struct encode_opts *o)
{
	size_t i, end;
	int err;

	if (fs->states_len)
		qsort(fs->states, fs->states_len, sizeof(*fs->states), by_name_then_seq);
	for (i = 0; i < fs->states_len; i = end) {
		for (end = i + 1; end < fs->states_len && fs->states[end].elf == fs->states[i].elf;
		     end++)
			;
		if (!func_policy_keep(group_flags(fs, b, i, end), o->consistent))
			continue;
		err = emit_one(fs, b, &fs->states[i], o);
		if (err) {
			encode_log("function '%s': cannot encode as BTF: %s", fs->states[i].elf->name,
				   strerror(-err));
			return err;
		}
	}
	return 0;
}

size_t func_states_count(const struct func_states *fs)
{
	return fs->states_len;
}

void func_states_remap(struct func_states *fs, size_t from, const uint32_t *map,
		       uint32_t map_len)
{
	size_t i, j;

	for (i = from; i < fs->states_len; i++) {
		struct fn_state *s = &fs->states[i];

		if (s->ret < map_len)
			s->ret = map[s->ret];
		for (j = s->first_param; j < s->first_param + s->nparams; j++)
			if (fs->params[j].type < map_len)
				fs->params[j].type = map[fs->params[j].type];
	}
}
