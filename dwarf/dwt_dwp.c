// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_dwp.c - split units out of a .dwp package, which libdw (0.188)
 * cannot read: each one lifted into a .dwo of its own, in memory.
 *
 * A package (made by dwp or llvm-dwp from the .dwo files of an object,
 * named OBJECT.dwp beside it) holds every unit's sections back to back;
 * .debug_cu_index maps a unit's DWO id, which its skeleton carries, to its
 * contribution to each section (GNU version 2 for DWARF 4, version 5):
 *   header: version, (unused), columns, units, slots (u32 each)
 *   slots x u64 DWO ids, slots x u32 rows (1-based, 0 for an empty slot),
 *   columns x u32 section ids, units x columns u32 offsets, the same sizes.
 * The slot of an id is found by open addressing: start at id & mask, step
 * ((id >> 32) & mask) | 1. For the unit, an ELF image is made with its
 * contribution to each per-unit section and the whole .debug_str.dwo, and
 * libdw reads that as the .dwo it is. Its addresses (DW_FORM_addrx) stay
 * unresolved: they are in the object's .debug_addr, which only a skeleton
 * that found its .dwo itself links to; types and names need none.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <gelf.h>

#include "dwt_priv.h"
#include "grow.h"

/* Per-unit sections: v5 ids (v2 ids where they differ in brackets). */
static const struct {
	const char *name;
	unsigned v5, v2;
} cols[] = {
	{ ".debug_info.dwo", 1, 1 },	  { ".debug_abbrev.dwo", 3, 3 },
	{ ".debug_line.dwo", 4, 4 },	  { ".debug_loclists.dwo", 5, 0 },
	{ ".debug_loc.dwo", 0, 5 },	  { ".debug_str_offsets.dwo", 6, 6 },
	{ ".debug_rnglists.dwo", 8, 0 },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

struct dwp {
	int fd;
	Elf *elf;
	const uint8_t *index;	/* .debug_cu_index */
	size_t index_size;
	const uint8_t *sec[NCOLS];	/* the package's sections, by cols[] */
	size_t sec_size[NCOLS];
	const uint8_t *str;	/* .debug_str.dwo */
	size_t str_size;
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static const uint8_t *section(Elf *elf, size_t shstrndx, const char *want, size_t *size)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *d;
	const char *name;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, want) || sh.sh_type == SHT_NOBITS)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			return NULL;
		*size = d->d_size;
		return d->d_buf;
	}
	return NULL;
}

void dwt_dwp_free(struct dwt_dwp *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->units_len; i++) {
		dwarf_end(p->units[i].dw);
		elf_end(p->units[i].elf);
		free(p->units[i].image);
	}
	free(p->units);
	if (p->pkg) {
		elf_end(p->pkg->elf);
		if (p->pkg->fd >= 0)
			close(p->pkg->fd);
		free(p->pkg);
	}
	free(p);
}

/* Opens path.dwp if there is one. Returns: 0 (p->pkg NULL when none), -errno. */
static int dwp_open(struct dwt_dwp *p, const char *path)
{
	struct dwp *k = calloc(1, sizeof(*k));
	size_t shstrndx, i, n = strlen(path);
	char *name = malloc(n + 5);

	if (!k || !name) {
		free(k);
		free(name);
		return -ENOMEM;
	}
	memcpy(name, path, n);
	memcpy(name + n, ".dwp", 5);
	k->fd = open(name, O_RDONLY | O_CLOEXEC);
	free(name);
	if (k->fd < 0) {
		free(k);
		return 0;
	}
	k->elf = elf_begin(k->fd, ELF_C_READ_MMAP, NULL);
	if (!k->elf || elf_kind(k->elf) != ELF_K_ELF || elf_getshdrstrndx(k->elf, &shstrndx) ||
	    !(k->index = section(k->elf, shstrndx, ".debug_cu_index", &k->index_size)) ||
	    !(k->str = section(k->elf, shstrndx, ".debug_str.dwo", &k->str_size))) {
		elf_end(k->elf);
		close(k->fd);
		free(k);
		return -EBADMSG;
	}
	for (i = 0; i < NCOLS; i++)
		k->sec[i] = section(k->elf, shstrndx, cols[i].name, &k->sec_size[i]);
	p->pkg = k;
	return 0;
}

/* The contribution of the unit with id to each section (offsets, sizes by
 * cols[]). Returns: 0, -ENOENT (not in the package), -EBADMSG. */
static int lookup(const struct dwp *k, uint64_t id, uint32_t *off, uint32_t *size)
{
	const uint8_t *h = k->index;
	uint32_t version, ncol, nunit, nslot, mask, slot, step, row, i, c, tries;
	const uint8_t *ids, *rows, *colids, *offs, *sizes;

	if (k->index_size < 16)
		return -EBADMSG;
	/* v2: version u32, columns u32, units u32, slots u32; v5: version
	 * u16 + padding u16, then the same. */
	version = rd32(h) & 0xffff;
	ncol = rd32(h + 4);
	nunit = rd32(h + 8);
	nslot = rd32(h + 12);
	if ((version != 2 && version != 5) || !nslot || (nslot & (nslot - 1)) || ncol > 64 ||
	    (uint64_t)16 + (uint64_t)nslot * 12 + (uint64_t)ncol * 4 +
			    (uint64_t)nunit * ncol * 8 > k->index_size)
		return -EBADMSG;
	ids = h + 16;
	rows = ids + (size_t)nslot * 8;
	colids = rows + (size_t)nslot * 4;
	offs = colids + (size_t)ncol * 4;
	sizes = offs + (size_t)nunit * ncol * 4;
	mask = nslot - 1;
	slot = (uint32_t)id & mask;
	step = ((uint32_t)(id >> 32) & mask) | 1;
	for (tries = 0; tries < nslot; tries++, slot = (slot + step) & mask) {
		if (rd64(ids + (size_t)slot * 8) == id && rd32(rows + (size_t)slot * 4))
			break;
		if (!rd64(ids + (size_t)slot * 8) && !rd32(rows + (size_t)slot * 4))
			return -ENOENT;
	}
	if (tries == nslot)
		return -ENOENT;
	row = rd32(rows + (size_t)slot * 4) - 1;
	if (row >= nunit)
		return -EBADMSG;
	memset(off, 0, NCOLS * sizeof(*off));
	memset(size, 0, NCOLS * sizeof(*size));
	for (c = 0; c < ncol; c++) {
		uint32_t sid = rd32(colids + (size_t)c * 4);

		for (i = 0; i < NCOLS; i++)
			if (sid && sid == (version == 5 ? cols[i].v5 : cols[i].v2))
				break;
		if (i == NCOLS)
			continue;
		off[i] = rd32(offs + ((size_t)row * ncol + c) * 4);
		size[i] = rd32(sizes + ((size_t)row * ncol + c) * 4);
		if (!k->sec[i] || (uint64_t)off[i] + size[i] > k->sec_size[i])
			return -EBADMSG;
	}
	return size[0] ? 0 : -EBADMSG;
}

/* An ELF64 image holding the given sections. Returns: it (malloc'd), or NULL. */
static uint8_t *make_image(const struct dwp *k, const uint32_t *off, const uint32_t *size,
			   bool big_endian, size_t *image_size)
{
	/* Sections: null, the per-unit ones, .debug_str.dwo, .shstrtab. */
	GElf_Ehdr pkg_eh;
	Elf64_Ehdr eh = { 0 };
	Elf64_Shdr sh[NCOLS + 3] = { { 0 } };
	const uint8_t *src[NCOLS + 3];	/* each section's bytes in the package */
	char names[256];
	size_t nlen = 1, data = sizeof(eh), i, n = 1, total;
	uint8_t *img;

	/* The image's headers are in the host's order, like its DWARF must be. */
	if (!gelf_getehdr(k->elf, &pkg_eh) || big_endian != (pkg_eh.e_ident[EI_DATA] == ELFDATA2MSB) ||
	    big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
		return NULL;
	names[0] = 0;
	total = data;
	for (i = 0; i <= NCOLS; i++) {
		const char *name = i < NCOLS ? cols[i].name : ".debug_str.dwo";
		size_t len = i < NCOLS ? size[i] : k->str_size;

		if (i < NCOLS && !size[i])
			continue;
		sh[n].sh_name = (Elf64_Word)nlen;
		sh[n].sh_type = SHT_PROGBITS;
		sh[n].sh_offset = total;
		sh[n].sh_size = len;
		sh[n].sh_addralign = 1;
		src[n] = i < NCOLS ? k->sec[i] + off[i] : k->str;
		memcpy(names + nlen, name, strlen(name) + 1);
		nlen += strlen(name) + 1;
		total += len;
		n++;
	}
	sh[n].sh_name = (Elf64_Word)nlen;
	memcpy(names + nlen, ".shstrtab", 10);
	nlen += 10;
	sh[n].sh_type = SHT_STRTAB;
	sh[n].sh_offset = total;
	sh[n].sh_size = nlen;
	sh[n].sh_addralign = 1;
	total += nlen;
	total = (total + 7) & ~(size_t)7;
	memcpy(eh.e_ident, pkg_eh.e_ident, EI_NIDENT);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_type = ET_REL;
	eh.e_machine = pkg_eh.e_machine;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof(eh);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shoff = total;
	eh.e_shnum = (Elf64_Half)(n + 1);
	eh.e_shstrndx = (Elf64_Half)n;
	img = calloc(1, total + sizeof(Elf64_Shdr) * (n + 1));
	if (!img)
		return NULL;
	memcpy(img, &eh, sizeof(eh));
	for (i = 1; i < n; i++)
		memcpy(img + sh[i].sh_offset, src[i], sh[i].sh_size);
	memcpy(img + sh[n].sh_offset, names, nlen);
	memcpy(img + total, sh, sizeof(Elf64_Shdr) * (n + 1));
	*image_size = total + sizeof(Elf64_Shdr) * (n + 1);
	return img;
}

int dwt_dwp_split(struct dwt_file *f, const char *path, Dwarf_Die *skeleton, Dwarf_Die *out)
{
	struct dwt_dwp *p = f->dwp;
	struct dwt_dwp_unit *u;
	uint32_t off[NCOLS], size[NCOLS];
	uint64_t id;
	uint8_t unit_type;
	Dwarf_CU *cu = NULL;
	Dwarf_Die sub;
	int err;

	if (!p) {
		p = f->dwp = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		err = dwp_open(p, path);
		if (err)
			return err;
	}
	if (!p->pkg)
		return -ENOENT;
	if (dwarf_cu_info(skeleton->cu, NULL, NULL, NULL, NULL, &id, NULL, NULL))
		return -EBADMSG;
	err = lookup(p->pkg, id, off, size);
	if (err)
		return err;
	err = grow_array((void **)&p->units, &p->units_cap, sizeof(*p->units), p->units_len + 1);
	if (err)
		return err;
	u = &p->units[p->units_len];
	memset(u, 0, sizeof(*u));
	u->image = make_image(p->pkg, off, size, f->big_endian, &u->image_size);
	if (!u->image)
		return -ENOMEM;
	u->elf = elf_memory((char *)u->image, u->image_size);
	u->dw = u->elf ? dwarf_begin_elf(u->elf, DWARF_C_READ, NULL) : NULL;
	p->units_len++;
	if (!u->dw)
		return -EBADMSG;
	while (dwarf_get_units(u->dw, cu, &cu, NULL, &unit_type, &sub, NULL) == 0) {
		if (unit_type == DW_UT_split_compile || unit_type == DW_UT_compile) {
			*out = sub;
			return 0;
		}
	}
	return -EBADMSG;
}
