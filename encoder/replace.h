/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * replace.h - replacing a file safely through a temporary file beside it, for
 * the writers in encoder/ (elf_write.c: a new .BTF in an ELF object, or a
 * detached BTF blob), which know what to write but not how to publish it.
 *
 * A struct replace_file is a temporary file "<target>.XXXXXX" in the target's
 * directory. The caller fills it, then replace_file_commit() gives it the old
 * file's mode (and owner, when run as root) and renames it over the target.
 * So the target is never half written: it holds its old bytes or all of the
 * new ones. On any failure replace_file_discard() removes the temporary file
 * and the target stays as it was. An object rewritten in place (an input)
 * is also fsync()ed before the rename and its directory after, so that not
 * even a power cut leaves it damaged; an output file (a detached BTF, an -o
 * file) is not: like a compiler's output, another run makes it again, and
 * the two syncs (0.7-1 ms on a plain disk) add 5-10% to a small module's
 * encode. Hard links to the old file keep the old contents; a symbolic link
 * is the caller's to resolve (realpath()) if the file it names is to be
 * replaced rather than the link.
 *
 * The functions return -errno and, where they take err and err_len, put one
 * line in err that names the file, worded like git's ("'vmlinux': cannot
 * write: No space left on device"); nothing here prints.
 */
#ifndef BTFENC_REPLACE_H
#define BTFENC_REPLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stat;

/* A file being written beside the one it will replace. */
struct replace_file {
	char *name; /* "<target>.XXXXXX", NULL when there is none */
	int fd;	    /* open for writing, -1 when closed */
};

/*
 * Creates rf's temporary file "<target>.XXXXXX", empty and open for writing.
 * rf need not be initialized; on failure it holds no file (name NULL, fd -1).
 * Returns: 0; -ENOMEM; -errno from mkostemp() (-EACCES, -EROFS, ...).
 */
int replace_file_create(struct replace_file *rf, const char *target);

/*
 * Gives rf's file mode and, as root, owner's uid and gid (owner may be NULL),
 * fsync()s it if sync, and renames it to target (then syncs the directory if
 * sync: a failure there cannot undo the rename and is ignored). On failure
 * rf's file, closed or not, is still rf's to discard.
 * Returns: 0 or -errno (-ENOSPC/-EIO from fsync() or close(), ...).
 */
int replace_file_commit(struct replace_file *rf, const char *target, mode_t mode,
			const struct stat *owner, bool sync);

/* Closes and removes rf's file if it is still there; a no-op after a commit. */
void replace_file_discard(struct replace_file *rf);

/*
 * Makes path, an output, hold exactly the len bytes at buf, through a
 * replace_file (not synced): an
 * existing file keeps its mode (and owner, as root), a new one gets 0644, and
 * a symbolic link stays while the file it names is replaced. An existing path
 * that is not a regular file (a FIFO, /dev/stdout) is written to directly.
 * Returns: 0, or -errno from the file system; -EISDIR for a directory.
 */
int replace_write_file(const char *path, const void *buf, size_t len, char *err, size_t err_len);

/* Writes len bytes at off, retrying short writes. Returns: 0 or -errno (-EIO for 0 bytes). */
int replace_write_all(int fd, const void *buf, size_t len, uint64_t off);

/* Writes len zeros at off. Returns: 0 or -errno. */
int replace_write_zeros(int fd, uint64_t off, uint64_t len);

/*
 * Copies in's first len bytes to the start of out, in the kernel
 * (copy_file_range()) if it can, through a buffer if not.
 * Returns: 0 or -errno; -EIO when in is shorter than len.
 */
int replace_copy_prefix(int in, int out, uint64_t len);

/*
 * Writes one message, formatted, to err unless err is NULL or err_len 0, for
 * every error path here and in elf_write.c.
 * Returns: ret, so that "return replace_fail(err, err_len, -EINVAL, ...)" works.
 */
int replace_fail(char *err, size_t err_len, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
