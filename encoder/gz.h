/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gz.h - gzip-compressed objects, as distributions ship kernel modules
 * (.ko.gz): read through a plain copy in a temporary file, and written back
 * compressed when encoded in place, through a temporary file beside the
 * original and rename(), its mode kept. A copy may not grow past
 * GZ_MAX_PLAIN bytes (a hostile stream is a zip bomb, not a module).
 */
#ifndef BTFENC_GZ_H
#define BTFENC_GZ_H

#include <stdbool.h>
#include <stddef.h>

#define GZ_MAX_PLAIN (4ull << 30)

/* Whether path is a regular file starting with gzip's magic bytes. */
bool gz_is(const char *path);

/*
 * Decompresses path into a new temporary file (tmp, tmp_len bytes; the
 * caller unlink()s it).
 * Returns: 0; -errno with err set (naming path) on failure, no file left.
 */
int gz_unpack(const char *path, char *tmp, size_t tmp_len, char *err, size_t err_len);

/*
 * Compresses plain into path in place of path's old content (best
 * compression, no name or time in the header: the same bytes every run).
 * Returns: 0; -errno with err set on failure, path unchanged.
 */
int gz_pack(const char *plain, const char *path, char *err, size_t err_len);

#endif
