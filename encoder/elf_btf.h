/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf_btf.h - reading a BTF blob from a file, for the command line.
 *
 * A BTF file is either raw BTF (it starts with the BTF magic, in either byte
 * order, like /sys/kernel/btf/vmlinux) or an ELF object of either class and
 * byte order whose .BTF section holds the blob, possibly SHF_COMPRESSED.
 * Relocations are never applied: a .BTF section has none. Nothing here trusts
 * the file: every failure is an error with a one-line message that names the
 * file, worded like git's ("'foo.ko': no .BTF section"), and never a crash.
 * The functions are named elfbtf_, not elf_btf_, because elf_ is libelf's.
 */
#ifndef BTFENC_ELF_BTF_H
#define BTFENC_ELF_BTF_H

#include <stddef.h>

#include "btf.h"

/*
 * Reads path's BTF blob into a new buffer (*data, *size; free() it). On
 * failure err receives the message (err_len may be 0 to drop it).
 * Returns: 0; -ENOENT/-EACCES/-EISDIR/... from the file system; -ENODATA for
 * an empty file, or an ELF without .BTF bytes (no section, SHT_NOBITS, empty);
 * -EINVAL for a file that is neither BTF nor ELF, or a broken ELF; -EFBIG
 * for a blob too large for BTF; -ENOMEM.
 */
int elfbtf_read(const char *path, void **data, size_t *size, char *err, size_t err_len);

/* The same, but a file that is not ELF is taken whole whatever its bytes
 * (empty included): what "btfenc verify" judges. */
int elfbtf_read_any(const char *path, void **data, size_t *size, char *err, size_t err_len);

/* The same for another section of an ELF object, such as ".BTF.base";
 * -ENODATA when path is not an ELF regular file or has no such section. */
int elfbtf_read_section(const char *path, const char *sec, void **data, size_t *size, char *err,
			size_t err_len);

/*
 * Reads path's blob with elfbtf_read() and parses it into a new builder,
 * split on base if base is not NULL. The parser's details go to the btf/ log
 * callback; err gets one summary line. An ELF object with a .BTF.base
 * section (a module encoded with distilled_base) has its .BTF read on that
 * distilled base and, when base is given, relocated onto base as the
 * kernel's module loader does; without base the result owns the distilled
 * base.
 * Returns: 0 and *out; or a negative errno as above, -EINVAL for corrupt BTF,
 * -ENOENT when .BTF.base names a type base does not have.
 */
int elfbtf_load(const char *path, struct btf_builder *base, struct btf_builder **out,
		 char *err, size_t err_len);

#endif
