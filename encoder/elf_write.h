/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf_write.h - putting a BTF blob into an ELF object's .BTF section (or
 * several blobs into named sections at once: a module's .BTF and .BTF.base),
 * or into a file of its own, the way "pahole -J" leaves .tmp_vmlinux.btf and
 * modules.
 *
 * The file is never edited in place (replace.h does the replacing): the new
 * contents go to a temporary file beside it ("<file>.XXXXXX"), which is
 * fsync()ed, given the old file's mode (and owner, when run as root) and
 * renamed over it; on any failure the temporary file is removed and the old
 * file is left as it was. A symbolic link is followed: the file it names is
 * replaced and the link stays. Hard links to the old file keep the old
 * contents.
 *
 * In an ELF object, every byte outside the sections written, the section
 * headers and, when a name has to be added, the section name table is copied
 * as it is. No other section moves, the program headers are not touched, and
 * data the program headers map keeps its offset; what moves or grows goes
 * after everything else. The result depends only on the old file and the
 * blobs: writing the same blobs twice gives the same bytes as writing them
 * once.
 *
 * Every failure returns -errno and, unless err_len is 0, one line in err that
 * names the file, worded like git's ("'vmlinux': cannot write: No space left
 * on device"); nothing here trusts the file or prints.
 */
#ifndef BTFENC_ELF_WRITE_H
#define BTFENC_ELF_WRITE_H

#include <stddef.h>

struct Elf;

/* One section for elfbtf_write_sections() to write. */
struct elfbtf_section {
	const char *name; /* ".BTF", ".BTF.base": not empty */
	const void *blob; /* what the section is to hold */
	size_t size;	  /* bytes at blob, 1 to 4 GiB - 1 */
};

/*
 * Makes the .BTF section of the ELF object at path hold exactly blob. An
 * existing .BTF (the first one, if there are several) gets the new contents
 * and size and loses SHF_COMPRESSED; its other header fields stay. Without
 * one, a section ".BTF" is added: SHT_PROGBITS, flags 0, sh_addralign 4.
 *
 * The blob stays where the old .BTF was when it fits there (the rest of the
 * old bytes become zeros) or when .BTF lies at the end of the file; otherwise
 * it goes to the end, 4-byte aligned. A .BTF inside a loadable segment (a
 * linked vmlinux) never moves: it takes a blob up to its old size, or up to
 * the next thing in the segment (so a shrunk .BTF can grow back), no larger.
 *
 * Both ELF classes and byte orders, and any e_type, are accepted, including
 * objects with 0xff00 sections or more (the SHN_XINDEX escapes).
 * Returns: 0; -ENOENT/-EACCES/-EROFS/... from the file system, -ENOSPC/-EIO/
 * -EFBIG/... from writing; -EINVAL for an empty blob, a file that is not an
 * ELF object, a broken one or one without section headers; -EFBIG when the
 * blob does not fit in a loadable segment, exceeds 4 GiB, or would push an
 * ELFCLASS32 file past 4 GiB; -ENOMEM.
 */
int elfbtf_write(const char *path, const void *blob, size_t size, char *err, size_t err_len);

/*
 * Like elfbtf_write() for each of secs[0..n) in order, with the section named
 * secs[i].name instead of .BTF (added, when missing, as .BTF is), but as one
 * replacement: the file is renamed once, at the end, keeping its mode and
 * owner; on any failure it is left exactly as it was. Each section is a pass
 * that reads the previous pass's temporary file (the file at path for the
 * first) and writes a new one beside path; every temporary file but the last,
 * which is renamed, is removed. elfbtf_write() is this with one section.
 * Returns: as elfbtf_write(); -EINVAL also for n == 0 or a section without a
 * name. Messages name the section ("'m.ko': .BTF.base lies in a loadable
 * segment with room for ...").
 */
int elfbtf_write_sections(const char *path, const struct elfbtf_section *secs, size_t n, char *err,
			  size_t err_len);

/*
 * Makes path hold exactly the raw blob (for "btfenc encode --btf_encode_detached"),
 * through a temporary file as above: an existing file keeps its mode, a new
 * one gets 0644. An existing path that is not a regular file (a FIFO,
 * /dev/stdout) is written to directly instead. A wrapper around
 * replace_write_file(), kept for its callers.
 * Returns: 0, or -errno from the file system; -EISDIR for a directory.
 */
int elfbtf_write_detached(const char *path, const void *blob, size_t size, char *err,
			  size_t err_len);

/*
 * The byte order of the ELF object at path (EI_DATA), in which its BTF must
 * be written: the kernel never swaps BTF.
 * Returns: 0 and *big_endian (1 for ELFDATA2MSB, 0 for ELFDATA2LSB); -errno
 * from opening or reading; -EINVAL when path is not an ELF object or EI_DATA
 * is neither value.
 */
int elfbtf_target_endian(const char *path, int *big_endian, char *err, size_t err_len);

/* The same for an ELF object libelf has open. Returns: 0 or -EINVAL. */
int elfbtf_target_endian_elf(struct Elf *elf, int *big_endian);

#endif
