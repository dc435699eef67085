/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf_syms.h - what the encoder needs from an object's ELF symbol table and
 * sections: the functions (by name, suffixes cut), whether a name has
 * several addresses, the sections variables may live in, object symbols,
 * and the kfuncs its .BTF_ids set8 sets flag.
 *
 * Built from the Elf that libdwfl relocated, so that for ET_REL objects the
 * section addresses match the addresses DWARF gives.
 */
#ifndef BTFENC_ELF_SYMS_H
#define BTFENC_ELF_SYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gelf.h>

/* kfunc flags from a set8 pair (include/linux/btf_ids.h, linux/btf.h) */
#define KF_FASTCALL (1u << 12)
#define KF_ARENA_RET (1u << 13)	/* returns a pointer into a BPF arena */
#define KF_ARENA_ARG1 (1u << 14)	/* the first argument points into an arena */
#define KF_ARENA_ARG2 (1u << 15)	/* the second one does */

struct elf_func {
	const char *name;	/* symbol name cut at its first '.'; owned by the table */
	bool ambiguous;		/* several symbols of this name at different addresses */
	bool kfunc;		/* listed in a .BTF_ids set8 flagged as kfuncs */
	uint32_t kfunc_flags;	/* the set8 pair's flags */
};

struct elf_sec {
	const char *name;	/* section name */
	uint64_t addr;		/* sh_addr (relocated for ET_REL) */
	uint64_t size;		/* sh_size */
	uint32_t type;		/* sh_type */
	size_t index;		/* section index */
};

struct elf_obj {
	const char *name;	/* symbol name */
	size_t shndx;		/* its section index */
};

struct elf_syms {
	struct elf_func *funcs;	/* sorted by name, one per name */
	size_t nfuncs;
	struct elf_sec *secs;	/* every section, in index order */
	size_t nsecs;
	struct elf_obj *objects; /* STT_OBJECT symbols, sorted by name */
	size_t nobjects;
	uint16_t machine;	/* e_machine */
	char *names;		/* storage of the cut function names */
};

/* Returns: 0, -EINVAL for an object without a symbol table, -ENOMEM. */
int elf_syms_load(Elf *elf, struct elf_syms *s);
void elf_syms_release(struct elf_syms *s);
/* Returns: the function named name, or NULL. */
struct elf_func *elf_syms_func(const struct elf_syms *s, const char *name);
/* Whether an STT_OBJECT symbol named name lies in section index shndx. */
bool elf_syms_has_object(const struct elf_syms *s, const char *name, size_t shndx);

#endif
