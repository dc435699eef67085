/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strset.h - a set of NUL-terminated strings addressed by byte offset.
 *
 * The bytes are a BTF string section: strings back to back, each ending in
 * NUL. Offsets never move; adding a string that is present returns its first
 * offset (a hash index over string starts, amortised O(1)). A set may borrow
 * read-only bytes (a parsed blob) and only index them; the first add copies
 * them. Duplicates already present in borrowed bytes are kept, and the index
 * holds the first of them, so every offset a reader has stays valid.
 */
#ifndef BTFENC_STRSET_H
#define BTFENC_STRSET_H

#include <stdbool.h>
#include <stdint.h>

struct strset;

/* An empty set: no bytes at all (a base BTF adds "" first). Returns: 0, -ENOMEM. */
int strset_new(uint32_t max_len, struct strset **out);
/* A set over data[0..len), which must end in NUL (or be empty) and outlive
 * the set or its first add. max_len bounds the bytes adds may grow it to.
 * Returns: 0, -ENOMEM. */
int strset_new_borrowed(const char *data, uint32_t len, uint32_t max_len, struct strset **out);
void strset_free(struct strset *s);

/* Returns: the offset of s, or -ENOENT; -ENOMEM if the index cannot be built. */
int strset_find(struct strset *set, const char *s);
/* Returns: the offset of s (existing or new), -E2BIG past max_len, -ENOMEM. */
int strset_add(struct strset *set, const char *s);
/* Copies borrowed bytes into an owned buffer. Returns: 0, -ENOMEM. */
int strset_own(struct strset *set);

/* True if no string is in the set twice (it was built by adds alone, not
 * over borrowed bytes): each string's offset is then its only one. */
bool strset_distinct(const struct strset *set);
const char *strset_data(const struct strset *set);
uint32_t strset_len(const struct strset *set);

#endif
