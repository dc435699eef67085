// SPDX-License-Identifier: GPL-2.0-only
/*
 * elf_syms.c - the symbol table and sections of an object, for the
 * function and variable rules of the encoder (see elf_syms.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_syms.h"
#include "grow.h"

#define SET8_PREFIX "__BTF_ID__set8__"
#define FUNC_PREFIX "__BTF_ID__func__"
#define SET8_KFUNCS 1u

struct raw_func {
	const char *name;	/* full symbol name */
	size_t len;		/* up to the first '.' */
	uint64_t addr;		/* st_value */
};

static Elf_Scn *find_symtab(Elf *elf, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == SHT_SYMTAB)
			return scn;
	return NULL;
}

/* ".cold" and ".part" copies are pieces of a function, not functions. */
static bool is_piece(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot && (strstr(dot, ".cold") || strstr(dot, ".part"));
}

static int by_raw_name(const void *a, const void *b)
{
	const struct raw_func *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Groups the raw functions by cut name into s->funcs. */
static int group_funcs(struct elf_syms *s, struct raw_func *raw, size_t n)
{
	size_t i, j, bytes = 0;
	char *p;

	if (n) /* none: raw may be NULL, which qsort may not get */
		qsort(raw, n, sizeof(*raw), by_raw_name);
	for (i = 0; i < n; i++)
		bytes += raw[i].len + 1;
	s->names = malloc(bytes ? bytes : 1);
	s->funcs = calloc(n ? n : 1, sizeof(*s->funcs));
	if (!s->names || !s->funcs)
		return -ENOMEM;
	for (i = 0, p = s->names; i < n; i = j) {
		struct elf_func *f = &s->funcs[s->nfuncs++];
		uint64_t seen = 0;

		memcpy(p, raw[i].name, raw[i].len);
		p[raw[i].len] = 0;
		f->name = p;
		p += raw[i].len + 1;
		for (j = i; j < n && !by_raw_name(&raw[i], &raw[j]); j++) {
			/* Address 0 is "not placed yet" in ET_REL: never a conflict. */
			if (raw[j].addr && seen && raw[j].addr != seen)
				f->ambiguous = true;
			if (raw[j].addr)
				seen = raw[j].addr;
		}
	}
	return 0;
}

static int load_sections(Elf *elf, struct elf_syms *s)
{
	size_t shstrndx, cap = 0;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int err;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return -EINVAL;
	while ((scn = elf_nextscn(elf, scn))) {
		struct elf_sec *sec;

		if (!gelf_getshdr(scn, &sh))
			return -EINVAL;
		err = grow_array((void **)&s->secs, &cap, sizeof(*s->secs), s->nsecs + 1);
		if (err)
			return err;
		sec = &s->secs[s->nsecs++];
		sec->name = elf_strptr(elf, shstrndx, sh.sh_name);
		sec->addr = sh.sh_addr;
		sec->size = sh.sh_size;
		sec->type = sh.sh_type;
		sec->index = elf_ndxscn(scn);
	}
	return 0;
}

static int by_obj_name(const void *a, const void *b)
{
	const struct elf_obj *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->shndx > y->shndx) - (x->shndx < y->shndx);
}

/* Reads the symbol table: functions into raw[], objects into s->objects. */
static int load_symbols(Elf *elf, struct elf_syms *s, struct raw_func **raw, size_t *nraw)
{
	size_t i, n, cap = 0, ocap = 0;
	Elf_Data *data;
	Elf_Scn *scn;
	GElf_Shdr sh;
	GElf_Sym sym;
	int err;

	scn = find_symtab(elf, &sh);
	if (!scn || !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
		return -EINVAL;
	n = sh.sh_size / sh.sh_entsize;
	for (i = 1; i < n; i++) {
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym))
			return -EINVAL;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (GELF_ST_TYPE(sym.st_info) == STT_OBJECT) {
			err = grow_array((void **)&s->objects, &ocap, sizeof(*s->objects),
					 s->nobjects + 1);
			if (err)
				return err;
			s->objects[s->nobjects].name = name;
			s->objects[s->nobjects++].shndx = sym.st_shndx;
		}
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || is_piece(name))
			continue;
		err = grow_array((void **)raw, &cap, sizeof(**raw), *nraw + 1);
		if (err)
			return err;
		(*raw)[*nraw].name = name;
		(*raw)[*nraw].len = strcspn(name, ".");
		(*raw)[(*nraw)++].addr = sym.st_value;
	}
	if (s->nobjects)
		qsort(s->objects, s->nobjects, sizeof(*s->objects), by_obj_name);
	return 0;
}

static int by_func_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct elf_func *)elem)->name);
}

struct elf_func *elf_syms_func(const struct elf_syms *s, const char *name)
{
	if (!name || !s->nfuncs)
		return NULL;
	return bsearch(name, s->funcs, s->nfuncs, sizeof(*s->funcs), by_func_name);
}

bool elf_syms_has_object(const struct elf_syms *s, const char *name, size_t shndx)
{
	struct elf_obj key = { name, shndx };

	return s->nobjects &&
	       bsearch(&key, s->objects, s->nobjects, sizeof(*s->objects), by_obj_name);
}

/* A u32 of the object's data at byte offset off of a section, in its order. */
static bool read_u32(Elf *elf, Elf_Scn *scn, uint64_t off, uint32_t *v)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	const unsigned char *p;
	const char *ident = elf_getident(elf, NULL);

	if (!d || !d->d_buf || off > d->d_size || d->d_size - off < 4 || !ident)
		return false;
	p = (const unsigned char *)d->d_buf + off;
	*v = ident[EI_DATA] == ELFDATA2MSB
		     ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		     : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
	return true;
}

struct range {
	uint64_t start;		/* first address of a kfunc set8 */
	uint64_t end;		/* one past its last */
};

/* The .BTF_ids section and the base its symbol values count from. */
static Elf_Scn *btf_ids_section(Elf *elf, const struct elf_syms *s, uint64_t *base)
{
	GElf_Ehdr eh;
	size_t i;

	if (!gelf_getehdr(elf, &eh))
		return NULL;
	for (i = 0; i < s->nsecs; i++) {
		if (s->secs[i].name && !strcmp(s->secs[i].name, ".BTF_ids")) {
			*base = eh.e_type == ET_REL ? 0 : s->secs[i].addr;
			return elf_getscn(elf, s->secs[i].index);
		}
	}
	return NULL;
}

/* Pass 1: the set8 sets flagged as kfunc sets. */
static int kfunc_ranges(Elf *elf, Elf_Scn *ids, uint64_t base, struct range **out, size_t *n)
{
	size_t i, cnt, cap = 0, ndx = elf_ndxscn(ids);
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Data *data;
	Elf_Scn *scn = find_symtab(elf, &sh);
	uint32_t flags;
	int err;

	data = scn ? elf_getdata(scn, NULL) : NULL;
	cnt = data && sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
	for (i = 1; i < cnt; i++) {
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx != ndx)
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || strncmp(name, SET8_PREFIX, strlen(SET8_PREFIX)) ||
		    sym.st_value < base || !read_u32(elf, ids, sym.st_value - base + 4, &flags) ||
		    !(flags & SET8_KFUNCS))
			continue;
		err = grow_array((void **)out, &cap, sizeof(**out), *n + 1);
		if (err)
			return err;
		(*out)[*n].start = sym.st_value;
		(*out)[(*n)++].end = sym.st_value + sym.st_size;
	}
	return 0;
}

static bool in_ranges(const struct range *r, size_t n, uint64_t addr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (addr >= r[i].start && addr < r[i].end)
			return true;
	return false;
}

/* Pass 2: __BTF_ID__func__<name>__<n> symbols inside those sets. */
static int collect_kfuncs(Elf *elf, struct elf_syms *s)
{
	struct range *ranges = NULL;
	size_t i, cnt, nranges = 0, ndx;
	uint64_t base = 0;
	Elf_Scn *ids = btf_ids_section(elf, s, &base), *scn;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Data *data;
	int err;

	if (!ids)
		return 0;
	ndx = elf_ndxscn(ids);
	err = kfunc_ranges(elf, ids, base, &ranges, &nranges);
	scn = find_symtab(elf, &sh);
	data = scn ? elf_getdata(scn, NULL) : NULL;
	cnt = data && sh.sh_entsize && nranges ? sh.sh_size / sh.sh_entsize : 0;
	for (i = 1; !err && i < cnt; i++) {
		const char *name, *end;
		char fname[512];
		struct elf_func *f;
		uint32_t flags;

		if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx != ndx)
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || strncmp(name, FUNC_PREFIX, strlen(FUNC_PREFIX)) ||
		    !in_ranges(ranges, nranges, sym.st_value))
			continue;
		name += strlen(FUNC_PREFIX);
		for (end = name + strlen(name); end > name + 1 && memcmp(end - 2, "__", 2); end--)
			;
		if (end <= name + 2 || (size_t)(end - 2 - name) >= sizeof(fname))
			continue;
		memcpy(fname, name, (size_t)(end - 2 - name));
		fname[end - 2 - name] = 0;
		f = elf_syms_func(s, fname);
		if (f && sym.st_value >= base && read_u32(elf, ids, sym.st_value - base + 4, &flags)) {
			f->kfunc = true;
			f->kfunc_flags = flags;
		}
	}
	free(ranges);
	return err;
}

int elf_syms_load(Elf *elf, struct elf_syms *s)
{
	struct raw_func *raw = NULL;
	size_t nraw = 0;
	GElf_Ehdr eh;
	int err;

	memset(s, 0, sizeof(*s));
	if (!gelf_getehdr(elf, &eh))
		return -EINVAL;
	s->machine = eh.e_machine;
	err = load_sections(elf, s);
	if (!err)
		err = load_symbols(elf, s, &raw, &nraw);
	if (!err)
		err = group_funcs(s, raw, nraw);
	free(raw);
	if (!err)
		err = collect_kfuncs(elf, s);
	if (err)
		elf_syms_release(s);
	return err;
}

void elf_syms_release(struct elf_syms *s)
{
	free(s->funcs);
	free(s->secs);
	free(s->objects);
	free(s->names);
	memset(s, 0, sizeof(*s));
}
