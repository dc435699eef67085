// SPDX-License-Identifier: GPL-2.0-only
/*
 * elf_write.c - new BTF sections (.BTF, .BTF.base) in an ELF object, written
 * beside it and renamed.
 *
 * libelf reads the headers (either class and byte order, the SHN_XINDEX
 * escapes) and translates the new headers back to the file's format; the
 * bytes are copied by the kernel (copy_file_range), never through libelf's
 * elf_update(), which would lay out and rewrite the whole file.
 *
 * Layout. The file is split at a "tail start": what lies before it is copied
 * byte for byte, what lies after it is laid out anew. Before it lies all that
 * is fixed: the ELF and program headers, every byte the program headers map,
 * and every section but the movable ones: the old .BTF (unless SHF_ALLOC in
 * an executable or mapped by a segment), the section name table when ".BTF"
 * must be added to it, and the section header table. Data after all of these
 * that belongs to none of them (an appended signature) counts as fixed too.
 * After the tail start come, each aligned, in this order:
 *   1. the name table with ".BTF\0" appended, if the name was missing;
 *   2. the blob, unless it stays where the old .BTF was: always when a
 *      segment maps the old .BTF (the blob may then fill the bytes up to
 *      whatever comes next in the segment, and is refused if larger), and
 *      when the old .BTF lies before the tail start and the blob fits in it;
 *      old .BTF bytes the blob no longer covers become zeros;
 *   3. the section header table, unless it lies before the tail start and
 *      no section is added.
 * Example: gcc's x.o is [ehdr .text ... .symtab .strtab .shstrtab shdrs].
 * The first write appends ".BTF\0" to .shstrtab and makes it
 * [ehdr .text ... .symtab .strtab .shstrtab' .BTF shdrs']. A second write
 * finds the name, so .shstrtab' is fixed, .BTF and the headers follow it
 * and are laid out at the same offsets: the same blob gives the same file,
 * a larger or smaller one moves only the section headers.
 *
 * Several sections. ".BTF" above stands for the section being written, which
 * struct src names. Sections are written one pass each, a pass reading the
 * temporary file the pass before it wrote: so a pass sees the sections
 * already written as fixed and lays out only its own, and the file is still
 * renamed once. Example: writing .BTF then .BTF.base into x.o above gives
 * [... .shstrtab' .BTF .shstrtab'' .BTF.base shdrs''], where .shstrtab' is
 * left as bytes no section owns; writing both again lays each out where it
 * already is, as for one section.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "elf_write.h"
#include "replace.h"

#define BTF_ALIGN 4
#define ALIGN_MAX 65536 /* larger sh_addralign values are not honoured */

/* The old file, as far as the layout needs it. */
struct src {
	const char *path;     /* the name in messages */
	const char *sec_name; /* the section to write: ".BTF", ".BTF.base" */
	size_t sec_name_len;  /* its bytes, the NUL included */
	int fd;		      /* open for reading */
	uint64_t size;	      /* bytes in the file */
	Elf *elf;	      /* a read-only view of fd */
	GElf_Ehdr eh;	      /* its ELF header */
	uint64_t ehsize;      /* bytes of ELF header in the file format */
	uint64_t shentsize;   /* bytes per section header in the file format */
	size_t phnum;	      /* program headers */
	GElf_Phdr *phdrs;     /* phnum entries */
	size_t shnum;	      /* sections, the null section included */
	GElf_Shdr *shdrs;     /* shnum + 1 entries, the last one for a new section */
	size_t shstrndx;      /* the section name table */
	const char *names;    /* its bytes, inside libelf's mapping */
	size_t names_len;     /* how many */
	size_t btf;	      /* the old section's index, 0 if there is none */
};

/* Where things go in the new file. */
struct plan {
	size_t shnum;	    /* sections in the new file */
	uint64_t copy_len;  /* bytes copied from the old file's start: the tail start */
	uint64_t btf_off;   /* the blob's offset */
	bool btf_in_place;  /* it lies before the tail start */
	uint64_t zero_off;  /* old .BTF bytes to clear, before the tail start */
	uint64_t zero_len;  /* how many */
	bool names_grow;    /* ".BTF\0" is appended to the name table, which moves */
	uint64_t names_off; /* the name table's new offset if names_grow */
	uint64_t shoff;	    /* the section header table's offset */
	uint64_t size;	    /* bytes in the new file */
};

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* x rounded up to a, a power of two; x is at most a file size plus a blob. */
static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* sh_addralign as an alignment to honour: 1 for 0 and nonsense values. */
static uint64_t sane_align(uint64_t a)
{
	return a && !(a & (a - 1)) && a <= ALIGN_MAX ? a : 1;
}

static bool overlaps(uint64_t a_off, uint64_t a_len, uint64_t b_off, uint64_t b_len)
{
	return a_len && b_len && a_off < b_off + b_len && b_off < a_off + a_len;
}

/* Bytes a section occupies in the file. */
static uint64_t file_len(const GElf_Shdr *sh)
{
	return sh->sh_type == SHT_NOBITS ? 0 : sh->sh_size;
}

/* ---- reading the old file ------------------------------------------------- */

static int read_program_headers(struct src *s, char *err, size_t err_len)
{
	uint64_t phentsize;
	size_t i;

	if (elf_getphdrnum(s->elf, &s->phnum))
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': cannot read the program headers: %s", s->path,
				    elf_errmsg(-1));
	if (!s->phnum)
		return 0;
	phentsize = gelf_fsize(s->elf, ELF_T_PHDR, 1, EV_CURRENT);
	if (s->eh.e_phentsize != phentsize || s->eh.e_phoff > s->size ||
	    s->phnum > (s->size - s->eh.e_phoff) / phentsize)
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': the program headers lie past the end of the file",
				    s->path);
	s->phdrs = calloc(s->phnum, sizeof(*s->phdrs));
	if (!s->phdrs)
		return replace_fail(err, err_len, -ENOMEM, "'%s': %s", s->path, strerror(ENOMEM));
	for (i = 0; i < s->phnum; i++) {
		GElf_Phdr *ph = &s->phdrs[i];

		if (!gelf_getphdr(s->elf, (int)i, ph))
			return replace_fail(err, err_len, -EINVAL,
					    "'%s': cannot read program header %zu: %s", s->path, i,
					    elf_errmsg(-1));
		if (ph->p_offset > s->size || ph->p_filesz > s->size - ph->p_offset)
			return replace_fail(err, err_len, -EINVAL,
					    "'%s': segment %zu lies past the end of the file",
					    s->path, i);
	}
	return 0;
}

static int read_section_headers(struct src *s, char *err, size_t err_len)
{
	size_t i;

	if (elf_getshdrnum(s->elf, &s->shnum) || elf_getshdrstrndx(s->elf, &s->shstrndx))
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': cannot read the section headers: %s", s->path,
				    elf_errmsg(-1));
	s->shentsize = gelf_fsize(s->elf, ELF_T_SHDR, 1, EV_CURRENT);
	if (!s->shnum)
		return replace_fail(
			err, err_len, -EINVAL,
			s->eh.e_shoff ? "'%s': the section headers lie past the end of the file"
				      : "'%s': no section headers",
			s->path);
	if (s->eh.e_shentsize != s->shentsize || s->eh.e_shoff > s->size ||
	    s->shnum > (s->size - s->eh.e_shoff) / s->shentsize)
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': the section headers lie past the end of the file",
				    s->path);
	s->shdrs = calloc(s->shnum + 1, sizeof(*s->shdrs));
	if (!s->shdrs)
		return replace_fail(err, err_len, -ENOMEM, "'%s': %s", s->path, strerror(ENOMEM));
	for (i = 0; i < s->shnum; i++) {
		Elf_Scn *scn = elf_getscn(s->elf, i);
		GElf_Shdr *sh = &s->shdrs[i];

		if (!scn || !gelf_getshdr(scn, sh))
			return replace_fail(err, err_len, -EINVAL,
					    "'%s': cannot read section [%zu]'s header: %s", s->path,
					    i, elf_errmsg(-1));
		if (file_len(sh) &&
		    (sh->sh_offset > s->size || sh->sh_size > s->size - sh->sh_offset))
			return replace_fail(err, err_len, -EINVAL,
					    "'%s': section [%zu] lies past the end of the file",
					    s->path, i);
	}
	return 0;
}

/* The section name table's bytes, and the first section named sec_name. */
static int read_names(struct src *s, char *err, size_t err_len)
{
	const GElf_Shdr *sh;
	Elf_Data *d;
	size_t i;

	if (!s->shstrndx || s->shstrndx >= s->shnum)
		return replace_fail(err, err_len, -EINVAL, "'%s': no section name table", s->path);
	sh = &s->shdrs[s->shstrndx];
	/* As libelf's elf_strptr(), which readers of the new .BTF will use. */
	if (sh->sh_type != SHT_STRTAB || (sh->sh_flags & SHF_COMPRESSED))
		return replace_fail(err, err_len, -EINVAL, "'%s': unusable section name table",
				    s->path);
	d = elf_rawdata(elf_getscn(s->elf, s->shstrndx), NULL);
	if (!d || d->d_size != sh->sh_size || (d->d_size && !d->d_buf))
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': cannot read the section names: %s", s->path,
				    elf_errmsg(-1));
	s->names = d->d_buf;
	s->names_len = d->d_size;
	for (i = 1; i < s->shnum; i++) {
		uint64_t name = s->shdrs[i].sh_name;

		if (i != s->shstrndx && name < s->names_len &&
		    s->names_len - name >= s->sec_name_len &&
		    !memcmp(s->names + name, s->sec_name, s->sec_name_len)) {
			s->btf = i;
			break;
		}
	}
	return 0;
}

static int src_load(struct src *s, char *err, size_t err_len)
{
	const char *ident;
	int ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return replace_fail(err, err_len, -EINVAL, "'%s': libelf: %s", s->path,
				    elf_errmsg(-1));
	s->elf = elf_begin(s->fd, ELF_C_READ_MMAP, NULL);
	if (!s->elf || elf_kind(s->elf) != ELF_K_ELF)
		return replace_fail(err, err_len, -EINVAL, "'%s': not an ELF object", s->path);
	ident = elf_getident(s->elf, NULL);
	if (!ident || !gelf_getehdr(s->elf, &s->eh) ||
	    (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64) ||
	    (ident[EI_DATA] != ELFDATA2LSB && ident[EI_DATA] != ELFDATA2MSB))
		return replace_fail(err, err_len, -EINVAL, "'%s': cannot read the ELF header",
				    s->path);
	s->ehsize = gelf_fsize(s->elf, ELF_T_EHDR, 1, EV_CURRENT);
	ret = read_program_headers(s, err, err_len);
	if (!ret)
		ret = read_section_headers(s, err, err_len);
	if (!ret)
		ret = read_names(s, err, err_len);
	return ret;
}

static void src_release(struct src *s)
{
	if (s->elf)
		elf_end(s->elf);
	if (s->fd >= 0)
		close(s->fd);
	free(s->phdrs);
	free(s->shdrs);
}

/* ---- the layout ------------------------------------------------------------- */

/* Whether bytes at off must keep their offset: a segment maps them. */
static bool is_pinned(const struct src *s, const GElf_Shdr *sh)
{
	size_t i;

	if ((s->eh.e_type == ET_EXEC || s->eh.e_type == ET_DYN) && (sh->sh_flags & SHF_ALLOC))
		return true;
	for (i = 0; i < s->phnum; i++)
		if (overlaps(sh->sh_offset, file_len(sh), s->phdrs[i].p_offset,
			     s->phdrs[i].p_filesz))
			return true;
	return false;
}

/* The first section other than skip whose bytes overlap [off, off + len), or 0. */
static size_t overlapping_section(const struct src *s, size_t skip, uint64_t off, uint64_t len)
{
	size_t i;

	for (i = 1; i < s->shnum; i++)
		if (i != skip && overlaps(off, len, s->shdrs[i].sh_offset, file_len(&s->shdrs[i])))
			return i;
	return 0;
}

/*
 * Whether [off, off + len) holds nothing but the bytes of section skip: no
 * other section's, and none of the ELF header, program or section headers.
 */
static bool only_section(const struct src *s, size_t skip, uint64_t off, uint64_t len)
{
	return !overlapping_section(s, skip, off, len) && !overlaps(off, len, 0, s->ehsize) &&
	       !overlaps(off, len, s->eh.e_phoff, s->phnum * s->eh.e_phentsize) &&
	       !overlaps(off, len, s->eh.e_shoff, s->shnum * s->shentsize);
}

/*
 * The end of what is fixed, see the top of the file; btf_moves and names_move
 * say whether the old .BTF and the name table are movable.
 */
static uint64_t fixed_end(const struct src *s, bool btf_moves, bool names_move)
{
	uint64_t end = s->ehsize, movable_end = 0;
	size_t i;

	if (s->phnum)
		end = max_u64(end, s->eh.e_phoff + s->phnum * s->eh.e_phentsize);
	for (i = 0; i < s->phnum; i++)
		end = max_u64(end, s->phdrs[i].p_offset + s->phdrs[i].p_filesz);
	for (i = 1; i < s->shnum; i++) {
		const GElf_Shdr *sh = &s->shdrs[i];
		uint64_t sh_end = sh->sh_offset + file_len(sh);

		if (!file_len(sh))
			continue;
		if ((i == s->btf && btf_moves) || (i == s->shstrndx && names_move))
			movable_end = max_u64(movable_end, sh_end);
		else
			end = max_u64(end, sh_end);
	}
	movable_end = max_u64(movable_end, s->eh.e_shoff + s->shnum * s->shentsize);
	/* Bytes after everything known are kept where they are. */
	if (s->size > max_u64(end, movable_end))
		end = s->size;
	return end;
}

/*
 * The name's offset in the name table: an existing "<sec_name>\0" (perhaps
 * the tail of a longer name) or a new one appended. Appending must not
 * rename a section: refused when a name runs to the table's end
 * unterminated, or starts past it.
 * Returns: 0 and *name, *grow; -EINVAL.
 */
static int btf_name_offset(const struct src *s, uint64_t *name, bool *grow, char *err,
			   size_t err_len)
{
	const char *hit;
	size_t i;

	*grow = false;
	if (s->btf) {
		*name = s->shdrs[s->btf].sh_name;
		return 0;
	}
	hit = s->names_len ? memmem(s->names, s->names_len, s->sec_name, s->sec_name_len) : NULL;
	if (hit) {
		*name = (uint64_t)(hit - s->names);
		return 0;
	}
	if (!s->names_len || s->names[s->names_len - 1])
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': the section name table does not end with a NUL",
				    s->path);
	for (i = 0; i < s->shnum; i++)
		if (s->shdrs[i].sh_name >= s->names_len)
			return replace_fail(
				err, err_len, -EINVAL,
				"'%s': section [%zu]'s name lies past the section name table",
				s->path, i);
	*grow = true;
	*name = s->names_len;
	return 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Bytes an old .BTF that must keep its offset may fill: its old size, or up
 * to whatever comes next in the file (a section, a header table), within the
 * PT_LOAD segment that maps it. The bytes in between belong to nothing:
 * padding, or the rest of a .BTF shrunk by an earlier write.
 */
static uint64_t pinned_room(const struct src *s, const GElf_Shdr *sh)
{
	uint64_t off = sh->sh_offset, limit = UINT64_MAX;
	bool mapped = false;
	size_t i;

	for (i = 0; i < s->phnum; i++) {
		const GElf_Phdr *ph = &s->phdrs[i];

		if (ph->p_type == PT_LOAD && ph->p_offset <= off &&
		    off - ph->p_offset < ph->p_filesz) {
			limit = min_u64(limit, ph->p_offset + ph->p_filesz);
			mapped = true;
		}
	}
	if (!mapped)
		return file_len(sh);
	for (i = 1; i < s->shnum; i++)
		if (i != s->btf && file_len(&s->shdrs[i]) && s->shdrs[i].sh_offset >= off)
			limit = min_u64(limit, s->shdrs[i].sh_offset);
	if (s->phnum && s->eh.e_phoff >= off)
		limit = min_u64(limit, s->eh.e_phoff);
	if (s->eh.e_shoff >= off)
		limit = min_u64(limit, s->eh.e_shoff);
	return max_u64(file_len(sh), limit - off);
}

/* Where the blob goes when an old .BTF exists; sets p->btf_* and p->zero_*. */
static int plan_old_btf(const struct src *s, size_t size, uint64_t end, struct plan *p, char *err,
			size_t err_len)
{
	const GElf_Shdr *sh = &s->shdrs[s->btf];
	uint64_t old_len = file_len(sh), room;
	bool pinned = is_pinned(s, sh);

	if (!pinned && (sh->sh_offset >= end || size > old_len)) {
		/* To the tail: clear the old bytes left behind before it. */
		if (sh->sh_offset < end && only_section(s, s->btf, sh->sh_offset, old_len)) {
			p->zero_off = sh->sh_offset;
			p->zero_len = old_len;
		}
		return 0;
	}
	room = pinned ? pinned_room(s, sh) : old_len;
	if (size > room)
		return replace_fail(
			err, err_len, -EFBIG,
			"'%s': %s lies in a loadable segment with room for %llu bytes, not %zu",
			s->path, s->sec_name, (unsigned long long)room, size);
	if (!only_section(s, s->btf, sh->sh_offset, size))
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': %s overlaps other data in the file", s->path,
				    s->sec_name);
	p->btf_in_place = true;
	p->btf_off = sh->sh_offset;
	if (size < old_len && only_section(s, s->btf, sh->sh_offset + size, old_len - size)) {
		p->zero_off = sh->sh_offset + size;
		p->zero_len = old_len - size;
	}
	return 0;
}

/* Updates the section headers and the ELF header to the plan. */
static void apply_plan(struct src *s, const struct plan *p, size_t size, uint64_t name,
		       uint64_t btf_align)
{
	GElf_Shdr *sh;

	if (p->names_grow) {
		s->shdrs[s->shstrndx].sh_offset = p->names_off;
		s->shdrs[s->shstrndx].sh_size = s->names_len + s->sec_name_len;
	}
	sh = &s->shdrs[s->btf ? s->btf : s->shnum];
	if (!s->btf) {
		memset(sh, 0, sizeof(*sh));
		sh->sh_name = (GElf_Word)name;
		sh->sh_type = SHT_PROGBITS;
	} else if (sh->sh_type == SHT_NOBITS) {
		sh->sh_type = SHT_PROGBITS;
	}
	if (!p->btf_in_place)
		sh->sh_addralign = btf_align;
	sh->sh_flags &= ~(GElf_Xword)SHF_COMPRESSED;
	sh->sh_offset = p->btf_off;
	sh->sh_size = size;
	s->eh.e_shoff = p->shoff;
	/* Keep an escaped count escaped; escape one that no longer fits. */
	if (!s->eh.e_shnum || p->shnum >= SHN_LORESERVE) {
		s->eh.e_shnum = 0;
		s->shdrs[0].sh_size = p->shnum;
	} else {
		s->eh.e_shnum = (GElf_Half)p->shnum;
	}
}

static int plan_layout(struct src *s, size_t size, struct plan *p, char *err, size_t err_len)
{
	const GElf_Shdr *names = &s->shdrs[s->shstrndx];
	bool btf_moves = s->btf && !is_pinned(s, &s->shdrs[s->btf]);
	uint64_t end, name = 0, off, btf_align = BTF_ALIGN, word;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = btf_name_offset(s, &name, &p->names_grow, err, err_len);
	if (ret)
		return ret;
	if (p->names_grow && is_pinned(s, names))
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': the section name table lies in a loadable segment",
				    s->path);
	if (name > UINT32_MAX || s->names_len > UINT32_MAX ||
	    s->sec_name_len > UINT32_MAX - s->names_len)
		return replace_fail(err, err_len, -EFBIG, "'%s': section name table too large",
				    s->path);
	p->shnum = s->shnum + !s->btf;
	end = fixed_end(s, btf_moves, p->names_grow);
	if (s->btf) {
		btf_align = max_u64(BTF_ALIGN, sane_align(s->shdrs[s->btf].sh_addralign));
		ret = plan_old_btf(s, size, end, p, err, err_len);
		if (ret)
			return ret;
		if (p->btf_in_place)
			end = max_u64(end, p->btf_off + max_u64(size, file_len(&s->shdrs[s->btf])));
	}
	/* A section header table before the tail start stays if it does not grow. */
	if (s->eh.e_shoff < end && p->shnum == s->shnum) {
		p->shoff = s->eh.e_shoff;
		end = max_u64(end, s->eh.e_shoff + s->shnum * s->shentsize);
	}
	p->copy_len = end;
	off = end;
	if (p->names_grow) {
		p->names_off = off = align_up(off, sane_align(names->sh_addralign));
		off += s->names_len + s->sec_name_len;
	}
	if (!p->btf_in_place) {
		p->btf_off = off = align_up(off, btf_align);
		off += size;
	}
	if (!p->shoff) {
		word = gelf_getclass(s->elf) == ELFCLASS64 ? 8 : 4;
		p->shoff = off = align_up(off, word);
		off += p->shnum * s->shentsize;
	}
	p->size = off;
	if (gelf_getclass(s->elf) == ELFCLASS32 && p->size > UINT32_MAX)
		return replace_fail(err, err_len, -EFBIG,
				    "'%s': too large for a 32-bit ELF with the new %s", s->path,
				    s->sec_name);
	apply_plan(s, p, size, name, btf_align);
	return 0;
}

/* ---- writing the new file ------------------------------------------------- */

/* Converts n records of type from memory to the file's class and byte order. */
static int to_file(const struct src *s, Elf_Type type, void *mem, size_t mem_size, void *out,
		   size_t out_size)
{
	Elf_Data from = {.d_buf = mem, .d_type = type, .d_size = mem_size, .d_version = EV_CURRENT};
	Elf_Data to = {.d_buf = out, .d_type = type, .d_size = out_size, .d_version = EV_CURRENT};

	return gelf_xlatetof(s->elf, &to, &from, s->eh.e_ident[EI_DATA]) ? 0 : -EINVAL;
}

/* The ELF header and section header table in the file's format, in new buffers. */
static int encode_headers(const struct src *s, const struct plan *p, void **ehdr, void **shdrs)
{
	size_t i, shdrs_size = p->shnum * s->shentsize;
	Elf32_Shdr *sh32 = NULL;
	Elf32_Ehdr eh32;
	int ret;

	*ehdr = malloc(s->ehsize);
	*shdrs = malloc(shdrs_size);
	if (!*ehdr || !*shdrs)
		return -ENOMEM;
	if (gelf_getclass(s->elf) == ELFCLASS64) {
		GElf_Ehdr eh = s->eh;

		ret = to_file(s, ELF_T_EHDR, &eh, sizeof(eh), *ehdr, s->ehsize);
		if (!ret)
			ret = to_file(s, ELF_T_SHDR, s->shdrs, p->shnum * sizeof(*s->shdrs), *shdrs,
				      shdrs_size);
		return ret;
	}
	/* ELFCLASS32: every value came from the file or was checked to fit. */
	memcpy(eh32.e_ident, s->eh.e_ident, EI_NIDENT);
	eh32.e_type = s->eh.e_type;
	eh32.e_machine = s->eh.e_machine;
	eh32.e_version = (Elf32_Word)s->eh.e_version;
	eh32.e_entry = (Elf32_Addr)s->eh.e_entry;
	eh32.e_phoff = (Elf32_Off)s->eh.e_phoff;
	eh32.e_shoff = (Elf32_Off)s->eh.e_shoff;
	eh32.e_flags = (Elf32_Word)s->eh.e_flags;
	eh32.e_ehsize = s->eh.e_ehsize;
	eh32.e_phentsize = s->eh.e_phentsize;
	eh32.e_phnum = s->eh.e_phnum;
	eh32.e_shentsize = s->eh.e_shentsize;
	eh32.e_shnum = s->eh.e_shnum;
	eh32.e_shstrndx = s->eh.e_shstrndx;
	sh32 = calloc(p->shnum, sizeof(*sh32));
	if (!sh32)
		return -ENOMEM;
	for (i = 0; i < p->shnum; i++) {
		const GElf_Shdr *g = &s->shdrs[i];

		sh32[i] = (Elf32_Shdr){
			.sh_name = g->sh_name,
			.sh_type = g->sh_type,
			.sh_flags = (Elf32_Word)g->sh_flags,
			.sh_addr = (Elf32_Addr)g->sh_addr,
			.sh_offset = (Elf32_Off)g->sh_offset,
			.sh_size = (Elf32_Word)g->sh_size,
			.sh_link = g->sh_link,
			.sh_info = g->sh_info,
			.sh_addralign = (Elf32_Word)g->sh_addralign,
			.sh_entsize = (Elf32_Word)g->sh_entsize,
		};
	}
	ret = to_file(s, ELF_T_EHDR, &eh32, sizeof(eh32), *ehdr, s->ehsize);
	if (!ret)
		ret = to_file(s, ELF_T_SHDR, sh32, p->shnum * sizeof(*sh32), *shdrs, shdrs_size);
	free(sh32);
	return ret;
}

/* Writes bytes at off, after zeros from *pos up to off when off is past it. */
static int put(int fd, uint64_t *pos, uint64_t off, const void *buf, size_t len)
{
	int ret = off > *pos ? replace_write_zeros(fd, *pos, off - *pos) : 0;

	if (!ret)
		ret = replace_write_all(fd, buf, len, off);
	*pos = max_u64(*pos, off + len);
	return ret;
}

/* Fills fd, empty, with the new file. Returns: 0 or -errno. */
static int write_file(const struct src *s, const struct plan *p, const void *blob, size_t size,
		      int fd)
{
	void *ehdr = NULL, *shdrs = NULL;
	char *names = NULL;
	uint64_t pos = p->copy_len;
	int ret;

	ret = encode_headers(s, p, &ehdr, &shdrs);
	if (!ret && p->names_grow) {
		names = malloc(s->names_len + s->sec_name_len);
		if (names) {
			if (s->names_len)
				memcpy(names, s->names, s->names_len);
			memcpy(names + s->names_len, s->sec_name, s->sec_name_len);
		} else {
			ret = -ENOMEM;
		}
	}
	if (!ret)
		ret = replace_copy_prefix(s->fd, fd, p->copy_len);
	if (!ret)
		ret = replace_write_all(fd, ehdr, s->ehsize, 0);
	if (!ret && p->zero_len)
		ret = replace_write_zeros(fd, p->zero_off, p->zero_len);
	if (!ret && p->names_grow)
		ret = put(fd, &pos, p->names_off, names, s->names_len + s->sec_name_len);
	if (!ret)
		ret = put(fd, &pos, p->btf_off, blob, size);
	if (!ret)
		ret = put(fd, &pos, p->shoff, shdrs, p->shnum * s->shentsize);
	if (!ret && ftruncate(fd, (off_t)p->size))
		ret = -errno;
	free(names);
	free(ehdr);
	free(shdrs);
	return ret;
}

/*
 * Opens file for reading and reads its headers: the target, or the temporary
 * file an earlier pass wrote (s->path names the target in messages either
 * way). *st gets the file's status.
 */
static int src_open(struct src *s, const char *file, struct stat *st, char *err, size_t err_len)
{
	s->fd = open(file, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return replace_fail(err, err_len, -errno, "'%s': %s", s->path, strerror(errno));
	if (fstat(s->fd, st))
		return replace_fail(err, err_len, -errno, "'%s': %s", s->path, strerror(errno));
	if (!S_ISREG(st->st_mode))
		return replace_fail(err, err_len, S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL,
				    "'%s': not a regular file", s->path);
	if (access(file, W_OK))
		return replace_fail(err, err_len, -errno, "'%s': cannot write: %s", s->path,
				    strerror(errno));
	s->size = (uint64_t)st->st_size;
	return src_load(s, err, err_len);
}

/*
 * One pass: the ELF object at from (the target, or the previous pass's
 * temporary file) with sec written into it, as a new temporary file *out
 * beside target; *st gets from's status. *out starts empty (name NULL) and,
 * on failure, may hold a file for the caller to discard.
 * Returns: 0 or -errno, with err set.
 */
static int write_pass(const char *path, const char *target, const char *from,
		      const struct elfbtf_section *sec, struct replace_file *out, struct stat *st,
		      char *err, size_t err_len)
{
	struct src s = {.path = path,
			.sec_name = sec->name,
			.sec_name_len = strlen(sec->name) + 1,
			.fd = -1};
	struct plan p;
	int ret;

	ret = src_open(&s, from, st, err, err_len);
	if (!ret)
		ret = plan_layout(&s, sec->size, &p, err, err_len);
	if (!ret) {
		ret = replace_file_create(out, target);
		if (ret)
			replace_fail(err, err_len, ret, "'%s': cannot create a temporary file: %s",
				     path, strerror(-ret));
	}
	if (!ret) {
		ret = write_file(&s, &p, sec->blob, sec->size, out->fd);
		if (ret)
			replace_fail(err, err_len, ret, "'%s': cannot write: %s", path,
				     strerror(-ret));
	}
	src_release(&s);
	return ret;
}

/* Refuses, before any file is opened, what no pass could write. Returns: 0, -EINVAL, -EFBIG. */
static int sections_check(const char *path, const struct elfbtf_section *secs, size_t n, char *err,
			  size_t err_len)
{
	size_t i;

	if (!n)
		return replace_fail(err, err_len, -EINVAL, "'%s': no section to write", path);
	for (i = 0; i < n; i++) {
		const struct elfbtf_section *sec = &secs[i];

		/* An empty name would match the null section's. */
		if (!sec->name || !sec->name[0])
			return replace_fail(err, err_len, -EINVAL,
					    "'%s': section %zu to write has no name", path, i);
		if (!sec->size)
			return replace_fail(err, err_len, -EINVAL, "'%s': no BTF to write to %s",
					    path, sec->name);
		if (sec->size > UINT32_MAX)
			return replace_fail(err, err_len, -EFBIG,
					    "'%s': BTF of %zu bytes is too large for %s", path,
					    sec->size, sec->name);
	}
	return 0;
}

/*
 * Each pass reads the file the one before it wrote, so it sees the sections
 * already written as fixed and lays out only its own. A temporary file is
 * removed as soon as the next one is written; only the last one is renamed,
 * with the original's mode and owner, so the target changes once or not at all.
 */
int elfbtf_write_sections(const char *path, const struct elfbtf_section *secs, size_t n, char *err,
			  size_t err_len)
{
	struct replace_file prev = {.fd = -1}, next;
	struct stat st, tmp_st;
	char *target;
	size_t i;
	int ret;

	if (err && err_len)
		err[0] = 0;
	ret = sections_check(path, secs, n, err, err_len);
	if (ret)
		return ret;
	target = realpath(path, NULL);
	if (!target)
		return replace_fail(err, err_len, -errno, "'%s': %s", path, strerror(errno));
	for (i = 0; !ret && i < n; i++) {
		next = (struct replace_file){.fd = -1};
		ret = write_pass(path, target, i ? prev.name : target, &secs[i], &next,
				 i ? &tmp_st : &st, err, err_len);
		replace_file_discard(&prev);
		prev = next;
	}
	if (!ret) {
		ret = replace_file_commit(&prev, target, st.st_mode & 07777, &st, true);
		if (ret)
			replace_fail(err, err_len, ret, "'%s': cannot write: %s", path,
				     strerror(-ret));
	}
	replace_file_discard(&prev);
	free(target);
	return ret;
}

/* The single-section case, kept for its callers. */
int elfbtf_write(const char *path, const void *blob, size_t size, char *err, size_t err_len)
{
	const struct elfbtf_section sec = {.name = ".BTF", .blob = blob, .size = size};

	return elfbtf_write_sections(path, &sec, 1, err, err_len);
}

/* The blob is no ELF matter: replace.c writes it. */
int elfbtf_write_detached(const char *path, const void *blob, size_t size, char *err,
			  size_t err_len)
{
	return replace_write_file(path, blob, size, err, err_len);
}

/* EI_DATA of the n identification bytes at id. */
static int ident_endian(const unsigned char *id, size_t n, int *big_endian)
{
	if (n < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG))
		return -EINVAL;
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return -EINVAL;
	*big_endian = id[EI_DATA] == ELFDATA2MSB;
	return 0;
}

int elfbtf_target_endian(const char *path, int *big_endian, char *err, size_t err_len)
{
	unsigned char id[EI_NIDENT];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (err && err_len)
		err[0] = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return replace_fail(err, err_len, -errno, "'%s': %s", path, strerror(errno));
	while (len < sizeof(id)) {
		n = read(fd, id + len, sizeof(id) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return replace_fail(err, err_len, (int)n, "'%s': %s", path,
					    strerror((int)-n));
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (ident_endian(id, len, big_endian))
		return replace_fail(err, err_len, -EINVAL,
				    len >= EI_NIDENT && !memcmp(id, ELFMAG, SELFMAG)
					    ? "'%s': unknown ELF byte order"
					    : "'%s': not an ELF object",
				    path);
	return 0;
}

int elfbtf_target_endian_elf(struct Elf *elf, int *big_endian)
{
	size_t n = 0;
	const char *id = elf ? elf_getident(elf, &n) : NULL;

	return id ? ident_endian((const unsigned char *)id, n, big_endian) : -EINVAL;
}
