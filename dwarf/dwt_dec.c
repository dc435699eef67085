// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_dec.c - the fast path: a unit's DIEs decoded in one linear pass.
 *
 * libdw finds an attribute by decoding the DIE from its start, for each
 * attribute asked, and skips a DIE's children by decoding them too. The
 * walk asks a DIE for several attributes and its parent walks its children
 * twice, over 14 M DIEs in a vmlinux: most of the walk's time. Here each DIE
 * is decoded once, into a record that keeps where the attributes the walk
 * reads lie (dwt_priv.h's slots), its next sibling and whether it has a
 * child. Values stay where they are: the walk reads them as libdw's
 * Dwarf_Attribute, so what a value means is still libdw's to say.
 *
 * Only what is certain to read as libdw reads it takes this path: a file in
 * the host's byte order whose .debug_info is the buffer libdw reads; units
 * of DWARF 4 or 5, 32-bit format, compile units, whose abbreviations and
 * forms are all known here and whose DW_AT_sibling attributes agree with the
 * tree. Anything else -- or any doubt met later in the walk -- and the unit
 * is walked through libdw, as before.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <gelf.h>

#include "dwt_bytes.h"
#include "dwt_priv.h"
#include "grow.h"

/* Deeper DIE trees are walked through libdw, which says what is wrong. */
#define DEC_MAX_DEPTH 200
/* Abbreviation codes are dense from 1 in what compilers write. */
#define DEC_MAX_CODE 65536

/* The value's bytes of a form with a fixed size (32-bit DWARF 4/5); 0 for
 * one of variable size (or the address: per unit); -1 for a form not
 * known here. */
static int form_size(unsigned form)
{
	switch (form) {
	case DW_FORM_data1:
	case DW_FORM_ref1:
	case DW_FORM_flag:
	case DW_FORM_strx1:
	case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2:
	case DW_FORM_ref2:
	case DW_FORM_strx2:
	case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3:
	case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4:
	case DW_FORM_ref4:
	case DW_FORM_sec_offset:
	case DW_FORM_ref_addr:
	case DW_FORM_strp:
	case DW_FORM_line_strp:
	case DW_FORM_strx4:
	case DW_FORM_addrx4:
	case DW_FORM_ref_sup4:
	case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		return 4;
	case DW_FORM_data8:
	case DW_FORM_ref8:
	case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
	case DW_FORM_sdata:
	case DW_FORM_udata:
	case DW_FORM_ref_udata:
	case DW_FORM_strx:
	case DW_FORM_addrx:
	case DW_FORM_loclistx:
	case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
	case DW_FORM_string:
	case DW_FORM_exprloc:
	case DW_FORM_block:
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4:
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		return 0;
	default:
		return -1;
	}
}

/* The decoder's slot of an attribute, or -1. */
static int slot_of(unsigned at)
{
	switch (at) {
#define DWT_AT_CASE(name, code)                                                                    \
	case code:                                                                                 \
		return DWT_AT_##name;
		DWT_ATTRS(DWT_AT_CASE)
#undef DWT_AT_CASE
	case DW_AT_abstract_origin:
		return DWT_DEC_ORIGIN;
	case DW_AT_sibling:
		return DWT_DEC_SIBLING;
	default:
		return -1;
	}
}

/* The abbreviation spelt by the n bytes at raw, parsed into a new one. */
static struct dwt_abbrev *parse_abbrev(const uint8_t *raw, size_t n)
{
	const uint8_t *p = raw, *end = raw + n, *ic;
	struct dwt_abbrev *ab;
	uint64_t tag = 0, at = 0, form = 0;
	size_t nspecs = 0, off = 0;
	bool fixed = true;
	int size, slot;

	/* Each spec is two bytes at least. */
	ab = calloc(1, sizeof(*ab) + (n / 2) * sizeof(ab->specs[0]));
	if (!ab)
		return NULL;
	memset(ab->pos, -1, sizeof(ab->pos));
	ab->raw = raw;
	ab->raw_len = n;
	dwt_uleb(&p, end, &tag);
	ab->tag = (uint32_t)tag;
	ab->children = *p++ == DW_CHILDREN_yes;
	for (;;) {
		dwt_uleb(&p, end, &at);
		dwt_uleb(&p, end, &form);
		ic = p;
		if (form == DW_FORM_implicit_const)
			dwt_leb_skip(&p, end);
		if (!at && !form)
			break;
		size = form_size((unsigned)form);
		slot = slot_of((unsigned)at);
		ab->specs[nspecs].form = (uint16_t)form;
		ab->specs[nspecs].size = (uint8_t)size;
		ab->specs[nspecs].keep = -1;
		/* libdw finds an attribute's first occurrence. */
		if (slot >= 0 && ab->pos[slot] < 0) {
			ab->pos[slot] = (int8_t)ab->nkeep;
			if (slot < DWT_AT_NR)
				ab->present |= DWT_AT_BIT(slot);
			ab->keep_form[ab->nkeep] = (uint16_t)form;
			ab->keep_at[ab->nkeep] = (uint16_t)at;
			ab->keep_ic[ab->nkeep] = form == DW_FORM_implicit_const ? ic : NULL;
			ab->keep_off[ab->nkeep] = (uint16_t)off;
			ab->specs[nspecs].keep = (int8_t)ab->nkeep++;
		}
		/* Values in the DIE itself of a size the form gives alone. */
		if (size || form == DW_FORM_flag_present || form == DW_FORM_implicit_const)
			off += (size_t)size;
		else
			fixed = false;
		nspecs++;
	}
	ab->nspecs = (uint16_t)nspecs;
	ab->fixed = fixed && off <= INT16_MAX ? (int32_t)off : -1;
	ab->inherits = ab->pos[DWT_DEC_ORIGIN] >= 0 || ab->pos[DWT_AT_SPECIFICATION] >= 0;
	return ab;
}

/* Past the abbreviation's bytes after its code at p, checked as libdw
 * checks them and for what the fast path knows; NULL if not for it. */
static const uint8_t *check_abbrev(const uint8_t *p, const uint8_t *end)
{
	uint64_t tag, at, form;
	size_t nspecs = 0;

	if (!dwt_uleb(&p, end, &tag) || tag > UINT32_MAX || p + 1 >= end)
		return NULL;
	p++;
	for (;;) {
		if (!dwt_uleb(&p, end, &at) || !dwt_uleb(&p, end, &form))
			return NULL;
		if (form == DW_FORM_implicit_const && !dwt_leb_skip(&p, end))
			return NULL;
		if (!at && !form)
			return p;
		if (form_size((unsigned)form) < 0 || at > 0xffff || ++nspecs >= 0xffff)
			return NULL;
	}
}

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static int intern_grow(struct dwt_dec *dec)
{
	size_t n = dec->intern ? (dec->intern_mask + 1) * 2 : 4096, i, j;
	uint32_t *t = calloc(n, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < dec->pool_len; i++) {
		const struct dwt_abbrev *ab = dec->pool[i];

		for (j = hash_bytes(ab->raw, ab->raw_len) & (n - 1); t[j]; j = (j + 1) & (n - 1))
			;
		t[j] = (uint32_t)i + 1;
	}
	free(dec->intern);
	dec->intern = t;
	dec->intern_mask = n - 1;
	return 0;
}

/* The one abbreviation spelt by the n bytes at raw. */
static const struct dwt_abbrev *intern_abbrev(struct dwt_dec *dec, const uint8_t *raw, size_t n)
{
	struct dwt_abbrev *ab;
	size_t j;

	if ((dec->pool_len + 1) * 2 > dec->intern_mask + 1 && intern_grow(dec))
		return NULL;
	for (j = hash_bytes(raw, n) & dec->intern_mask; dec->intern[j];
	     j = (j + 1) & dec->intern_mask) {
		ab = dec->pool[dec->intern[j] - 1];
		if (ab->raw_len == n && !memcmp(ab->raw, raw, n))
			return ab;
	}
	if (grow_array_raw((void **)&dec->pool, &dec->pool_cap, sizeof(*dec->pool),
			   dec->pool_len + 1) ||
	    !(ab = parse_abbrev(raw, n)))
		return NULL;
	dec->pool[dec->pool_len++] = ab;
	dec->intern[j] = (uint32_t)dec->pool_len;
	return ab;
}

/* The table at off, as libdw reads it: up to a code that starts with 0. */
static int parse_table(struct dwt_dec *dec, uint64_t off, struct dwt_abbrevs *t)
{
	const uint8_t *p, *q, *end = dec->abbrev + dec->abbrev_size;
	uint64_t code;

	memset(t, 0, sizeof(*t));
	t->off = off;
	if (off >= dec->abbrev_size)
		goto bad;
	p = dec->abbrev + off;
	while (p < end && *p) {
		if (!dwt_uleb(&p, end, &code) || !code || code >= DEC_MAX_CODE)
			goto bad;
		if (code >= t->n) {
			size_t n = t->n ? t->n : 64;

			while (n <= code)
				n *= 2;
			if (grow_array((void **)&t->by_code, &t->n, sizeof(*t->by_code), n))
				return -ENOMEM;
		}
		/* A code defined twice: libdw refuses the second. */
		q = check_abbrev(p, end);
		if (!q || t->by_code[code])
			goto bad;
		t->by_code[code] = intern_abbrev(dec, p, (size_t)(q - p));
		if (!t->by_code[code])
			return -ENOMEM;
		p = q;
	}
	if (p >= end)
		goto bad;
	return 0;
bad:
	t->bad = true;
	return 0;
}

/* The index of the table at off, read if new; -ENOMEM. */
static int64_t table_at(struct dwt_dec *dec, uint64_t off, size_t *cap)
{
	size_t i;

	/* Units mostly come with a table each, in order: look back a little. */
	for (i = dec->ntabs; i-- > 0 && dec->ntabs - i <= 8;)
		if (dec->tabs[i].off == off)
			return (int64_t)i;
	for (i = 0; i < dec->ntabs; i++)
		if (dec->tabs[i].off == off)
			return (int64_t)i;
	if (grow_array((void **)&dec->tabs, cap, sizeof(*dec->tabs), dec->ntabs + 1) ||
	    parse_table(dec, off, &dec->tabs[dec->ntabs]))
		return -ENOMEM;
	return (int64_t)dec->ntabs++;
}

/* The header of the unit at *off; moves *off to the next one. false when
 * the rest of the section cannot be followed. */
static bool read_header(const struct dwt_dec *dec, uint64_t *off, struct dwt_dec_unit *u,
			uint64_t *abbrev_off, bool *fast)
{
	const uint8_t *p = dec->info + *off;
	uint32_t len;
	uint16_t version;

	*fast = false;
	if (dec->info_size - *off < 11)
		return false;
	len = dwt_rd4(p);
	if (len >= 0xfffffff0u || len > dec->info_size - *off - 4)
		return false;
	u->start = *off;
	u->end = *off + 4 + len;
	*off = u->end;
	version = dwt_rd2(p + 4);
	u->version = (uint8_t)version;
	if (version == 5 && len >= 8 && p[6] == DW_UT_compile) {
		u->addr_size = p[7];
		*abbrev_off = dwt_rd4(p + 8);
		u->die = u->start + 12;
	} else if (version == 4 && len >= 7) {
		*abbrev_off = dwt_rd4(p + 6);
		u->addr_size = p[10];
		u->die = u->start + 11;
	} else {
		return true;
	}
	*fast = (u->addr_size == 4 || u->addr_size == 8) && u->die < u->end;
	return true;
}

/* Past the value of one spec at p; NULL when it is cut short. */
static inline const uint8_t *skip_value(const struct dwt_spec *sp, const uint8_t *p,
					const uint8_t *end, uint8_t addr_size)
{
	uint64_t n;

	if (sp->size) {
		p += sp->size;
		return p > end ? NULL : p;
	}
	switch (sp->form) {
	case DW_FORM_addr:
		p += addr_size;
		break;
	case DW_FORM_string:
		p = memchr(p, 0, (size_t)(end - p));
		if (!p)
			return NULL;
		p++;
		break;
	case DW_FORM_exprloc:
	case DW_FORM_block:
		if (!dwt_uleb(&p, end, &n) || n > (uint64_t)(end - p))
			return NULL;
		p += n;
		break;
	case DW_FORM_block1:
		if (p >= end)
			return NULL;
		p += 1 + *p;
		break;
	case DW_FORM_block2:
		if (end - p < 2)
			return NULL;
		p += 2 + dwt_rd2(p);
		break;
	case DW_FORM_block4:
		if (end - p < 4 || dwt_rd4(p) > (uint64_t)(end - p - 4))
			return NULL;
		p += 4 + dwt_rd4(p);
		break;
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		break;
	default: /* the LEB128 forms */
		if (!dwt_leb_skip(&p, end))
			return NULL;
		break;
	}
	return p > end ? NULL : p;
}

/* Skips the values of one DIE, noting where the kept ones lie: at once
 * for an abbreviation whose values all have a fixed size (most of the
 * type DIEs), else value by value. */
static const uint8_t *skip_values(const struct dwt_abbrev *ab, const uint8_t *p,
				  const uint8_t *end, uint8_t addr_size, const uint8_t **vals)
{
	const struct dwt_spec *sp = ab->specs, *last = sp + ab->nspecs;
	unsigned k;

	if (ab->fixed >= 0) {
		if (ab->fixed > end - p)
			return NULL;
		for (k = 0; k < ab->nkeep; k++)
			vals[k] = ab->keep_ic[k] ? ab->keep_ic[k] : p + ab->keep_off[k];
		return p + ab->fixed;
	}

	for (; sp < last && p; sp++) {
		if (sp->keep >= 0)
			vals[sp->keep] = sp->form == DW_FORM_implicit_const ? ab->keep_ic[sp->keep] : p;
		p = skip_value(sp, p, end, addr_size);
	}
	return p;
}

/*
 * Whether .debug_str found by name is the buffer libdw reads: a DW_FORM_strp
 * of the first unit's DIE read both ways must give the same pointer. Without
 * one to compare, strings are left to libdw.
 */
static bool str_is_libdw(const struct dwt_file *f)
{
	const struct dwt_dec *dec = &f->dec;
	const struct dwt_dec_unit *u = NULL;
	const struct dwt_abbrev *ab;
	const struct dwt_spec *sp;
	const uint8_t *p, *end;
	Dwarf_Attribute a;
	uint64_t code;
	size_t i;

	for (i = 0; i < f->cus_len && !u; i++)
		if (dec->units[i].tab)
			u = &dec->units[i];
	if (!u || !dec->str)
		return false;
	p = dec->info + u->die;
	end = dec->info + u->end;
	if (!dwt_uleb(&p, end, &code) || code >= u->tab->n || !u->tab->by_code[code])
		return false;
	ab = u->tab->by_code[code];
	for (sp = ab->specs; sp < ab->specs + ab->nspecs && p; sp++) {
		if (sp->form == DW_FORM_strp && end - p >= 4) {
			a.code = DW_AT_name;
			a.form = DW_FORM_strp;
			a.valp = (unsigned char *)p;
			a.cu = f->cus[u - dec->units].cu;
			return dwt_rd4(p) < dec->str_size &&
			       dwarf_formstring(&a) == (const char *)dec->str + dwt_rd4(p);
		}
		p = skip_value(sp, p, end, u->addr_size);
	}
	return false;
}

static const uint8_t *section_data(Elf *elf, size_t shstrndx, const char *want, size_t *size)
{
	Elf_Scn *scn = NULL;
	const char *name;
	GElf_Shdr sh;
	Elf_Data *d;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, want))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || sh.sh_type == SHT_NOBITS)
			return NULL;
		*size = d->d_size;
		return d->d_buf;
	}
	return NULL;
}

/* The units of the file that the fast path reads, each with its table. */
static int list_units(struct dwt_file *f)
{
	struct dwt_dec *dec = &f->dec;
	uint64_t off = 0, aoff = 0;
	size_t i = 0, cap = 0;
	struct dwt_dec_unit u = { 0 };
	int64_t tabi;
	bool fast;

	dec->units = calloc(f->cus_len ? f->cus_len : 1, sizeof(*dec->units));
	if (!dec->units)
		return -ENOMEM;
	while (i < f->cus_len && read_header(dec, &off, &u, &aoff, &fast)) {
		/* The listed units are the section's compile units, in order. */
		if (u.start > dwarf_dieoffset(&f->cus[i]))
			return 0;
		if (u.end <= dwarf_dieoffset(&f->cus[i]))
			continue;
		if (i % 32 == 31)
			dwt_file_release_below(f, u.start);
		if (fast && u.die == dwarf_dieoffset(&f->cus[i])) {
			tabi = table_at(dec, aoff, &cap);
			if (tabi < 0)
				return (int)tabi;
			u.tabi = (size_t)tabi;
			dec->units[i] = u;
		}
		i++;
	}
	for (i = 0; i < f->cus_len; i++)
		if (dec->units[i].die && !dec->tabs[dec->units[i].tabi].bad)
			dec->units[i].tab = &dec->tabs[dec->units[i].tabi];
	return 0;
}

void dwt_dec_open(struct dwt_file *f)
{
	struct dwt_dec *dec = &f->dec;
	Elf *elf = dwarf_getelf(f->dw);
	const char *ident;
	size_t shstrndx;

	if (!f->cus_len || !elf || elf_getshdrstrndx(elf, &shstrndx) ||
	    !(ident = elf_getident(elf, NULL)) ||
	    ident[EI_DATA] != (f->host_big_endian ? ELFDATA2MSB : ELFDATA2LSB))
		return;
	dec->info = section_data(elf, shstrndx, ".debug_info", &dec->info_size);
	dec->abbrev = section_data(elf, shstrndx, ".debug_abbrev", &dec->abbrev_size);
	/* The very buffer libdw reads, or no fast path. */
	if (!dec->info || !dec->abbrev || dec->info_size >= UINT32_MAX ||
	    (const uint8_t *)f->cus[0].addr != dec->info + dwarf_dieoffset(&f->cus[0]) ||
	    list_units(f)) {
		dwt_dec_free(dec);
		return;
	}
	dec->str = section_data(elf, shstrndx, ".debug_str", &dec->str_size);
	dec->loc = section_data(elf, shstrndx, ".debug_loc", &dec->loc_size);
	dec->loclists = section_data(elf, shstrndx, ".debug_loclists", &dec->loclists_size);
	if (!str_is_libdw(f))
		dec->str = NULL;
}

void dwt_dec_free(struct dwt_dec *dec)
{
	size_t i;

	for (i = 0; i < dec->ntabs; i++) {
		free(dec->tabs[i].by_code);
	}
	free(dec->tabs);
	for (i = 0; i < dec->pool_len; i++)
		free(dec->pool[i]);
	free(dec->pool);
	free(dec->intern);
	free(dec->units);
	memset(dec, 0, sizeof(*dec));
}

/* A DW_AT_sibling value: where libdw's dwarf_siblingof() goes next. */
static bool sibling_target(const struct dwt_dec_unit *u, unsigned form, const uint8_t *v,
			   const uint8_t *end, uint64_t *off)
{
	uint64_t r;

	if (!dwt_unit_ref(form, v, end, &r))
		return false;
	*off = u->start + r;
	return true;
}

struct level {
	uint32_t last;		/* 1 + the last DIE met on this level, 0 for none */
	uint64_t sibling;	/* that DIE's DW_AT_sibling, 0 for none */
};

/* The DIE or null entry at off ends the level's last DIE: it must be where
 * that DIE's DW_AT_sibling, if any, says. */
static bool sibling_agrees(const struct level *lv, uint64_t off)
{
	return !lv->sibling || lv->sibling == off;
}

int dwt_dec_unit(struct dwt_file *f, size_t i, struct dwt_cu *cu)
{
	const struct dwt_dec *dec = &f->dec;
	const struct dwt_dec_unit *u = dec->units ? &dec->units[i] : NULL;
	struct level lv[DEC_MAX_DEPTH + 1];
	const uint8_t *p, *end;
	const struct dwt_abbrev *ab;
	struct dwt_fdie *fd;
	uint64_t code, off;
	int depth = 0;

	cu->unit = NULL;
	cu->w->fdies_len = 0;
	cu->w->fvals_len = 0;
	if (!u || !u->tab)
		return -EAGAIN;
	p = dec->info + u->die;
	end = dec->info + u->end;
	lv[0].last = 0;
	lv[0].sibling = 0;
	while (p < end) {
		off = (uint64_t)(p - dec->info);
		if (!*p) {
			/* A null entry closes the level (never the unit DIE's). */
			if (!depth || !sibling_agrees(&lv[depth], off))
				return -EAGAIN;
			p++;
			if (!--depth)
				break;
			continue;
		}
		/* A zero code spelt in more bytes than one is read as a null
		 * entry by some of libdw's calls and not by others. */
		if (!dwt_uleb(&p, end, &code) || !code || code >= u->tab->n)
			return -EAGAIN;
		ab = u->tab->by_code[code];
		if (!ab)
			return -EAGAIN;
		if ((cu->w->fdies_len >= cu->w->fdies_cap &&
		     grow_array_raw((void **)&cu->w->fdies, &cu->w->fdies_cap, sizeof(*cu->w->fdies),
				    cu->w->fdies_len + 1)) ||
		    (cu->w->fvals_len + ab->nkeep > cu->w->fvals_cap &&
		     grow_array_raw((void **)&cu->w->fvals, &cu->w->fvals_cap, sizeof(*cu->w->fvals),
				    cu->w->fvals_len + ab->nkeep)))
			return -ENOMEM;
		if (lv[depth].last) {
			if (!sibling_agrees(&lv[depth], off))
				return -EAGAIN;
			cu->w->fdies[lv[depth].last - 1].next = (uint32_t)cu->w->fdies_len;
		} else if (depth) {
			cu->w->fdies[lv[depth - 1].last - 1].child = 1;
		}
		fd = &cu->w->fdies[cu->w->fdies_len];
		fd->ab = ab;
		fd->off = (uint32_t)off;
		fd->next = 0;
		fd->child = 0;
		fd->vals = (uint32_t)cu->w->fvals_len;
		p = skip_values(ab, p, end, u->addr_size,
				cu->w->fvals ? cu->w->fvals + cu->w->fvals_len : NULL);
		if (!p)
			return -EAGAIN;
		cu->w->fvals_len += ab->nkeep;
		lv[depth].last = (uint32_t)++cu->w->fdies_len;
		lv[depth].sibling = 0;
		if (ab->pos[DWT_DEC_SIBLING] >= 0 &&
		    !sibling_target(u, ab->keep_form[ab->pos[DWT_DEC_SIBLING]],
				    cu->w->fvals[fd->vals + ab->pos[DWT_DEC_SIBLING]], end,
				    &lv[depth].sibling))
			return -EAGAIN;
		if (ab->children) {
			if (++depth > DEC_MAX_DEPTH)
				return -EAGAIN;
			lv[depth].last = 0;
			lv[depth].sibling = 0;
		} else if (!depth) {
			break;
		}
	}
	/* A unit cut short of its null entries ends its open levels, as libdw
	 * reads it; a sibling promised past the end is one libdw refuses. */
	for (; depth > 0; depth--)
		if (lv[depth].sibling)
			return -EAGAIN;
	if (!cu->w->fdies_len)
		return -EAGAIN;
	cu->unit = u;
	cu->dwcu = f->cus[i].cu;
	return 0;
}

int64_t dwt_dec_find(const struct dwt_cu *cu, uint64_t off)
{
	size_t lo = 0, hi = cu->w->fdies_len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cu->w->fdies[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cu->w->fdies_len && cu->w->fdies[lo].off == off ? (int64_t)lo : -1;
}
