/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf_write.h - putting a BTF blob into an ELF object's .BTF section, or into
 * a file of its own, the way "pahole -J" leaves .tmp_vmlinux.btf and modules.
 *
 * The file is never edited in place (replace.h does the replacing): the new
 * contents go to a temporary file beside it ("<file>.XXXXXX"), which is
 * fsync()ed, given the old file's mode (and owner, when run as root) and
 * renamed over it; on any failure the temporary file is removed and the old
 * file is left as it was. A symbolic link is followed: the file it names is
 * replaced and the link stays. Hard links to the old file keep the old
 * contents.
 *
 * In an ELF object, every byte outside .BTF, the section headers and, when
 * the name ".BTF" has to be added, the section name table is copied as it is.
 * No other section moves, the program headers are not touched, and data the
 * program headers map keeps its offset; what moves or grows goes after
 * everything else. The result depends only on the old file and the blob:
 * writing the same blob twice gives the same bytes as writing it once.
 *
 * Every failure returns -errno and, unless err_len is 0, one line in err that
 * names the file, worded like git's ("'vmlinux': cannot write: No space left
 * on device"); nothing here trusts the file or prints.
 */
#ifndef BTFENC_ELF_WRITE_H
#define BTFENC_ELF_WRITE_H

#include <stddef.h>

struct Elf;

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
