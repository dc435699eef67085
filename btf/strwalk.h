/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strwalk.h - the strings of a BTF string section, found 8 bytes at a time.
 *
 * A vmlinux has 96 K strings of 17 bytes on average: a strlen() call per
 * string costs more than finding the NULs of a whole word at once. Also the
 * word tricks strset.c hashes and counts with.
 *
 *	struct str_walk w;
 *	const char *s;
 *	size_t n;
 *
 *	for (str_walk_init(&w, data, len); str_walk_next(&w, &s, &n);)
 *		... s is a string of n bytes (s[n] is its NUL) ...
 *
 * Bytes after the last NUL are not a string and are not visited.
 */
#ifndef BTFENC_STRWALK_H
#define BTFENC_STRWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 8 bytes from p, the first of them in the low byte on any host. */
static inline uint64_t str_load8(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* 0x80 in each byte of v that is 0, and 0 elsewhere: (b & 0x7f) + 0x7f has
 * its high bit set unless b & 0x7f is 0, and b's own high bit is or'ed in,
 * so the complement's high bit is set only for b == 0 (no carry crosses a
 * byte, so every byte is exact). */
static inline uint64_t str_word_nuls(uint64_t v)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;

	return ~(((v & low7) + low7) | v | low7);
}

struct str_walk {
	const unsigned char *next;	/* the first byte not yet loaded */
	const unsigned char *end;	/* one past the section */
	const unsigned char *word;	/* where the loaded word starts */
	const unsigned char *start;	/* where the current string starts */
	uint64_t nuls;			/* the loaded word's NULs not yet visited */
};

static inline void str_walk_init(struct str_walk *w, const char *data, size_t len)
{
	w->next = (const unsigned char *)data;
	w->end = w->next + len;
	w->word = w->next;
	w->start = w->next;
	w->nuls = 0;
}

/* The next string, as *s and its length *n. Returns: false after the last. */
static inline bool str_walk_next(struct str_walk *w, const char **s, size_t *n)
{
	const unsigned char *nul;

	while (!w->nuls) {
		size_t left = (size_t)(w->end - w->next);
		unsigned char tail[8];

		if (!left)
			return false;
		w->word = w->next;
		if (left >= 8) {
			w->nuls = str_word_nuls(str_load8(w->next));
			w->next += 8;
		} else {
			/* A short last word, filled with bytes that are not NULs. */
			memset(tail, 0xff, sizeof(tail));
			memcpy(tail, w->next, left);
			w->nuls = str_word_nuls(str_load8(tail));
			w->next = w->end;
		}
	}
	nul = w->word + __builtin_ctzll(w->nuls) / 8;
	w->nuls &= w->nuls - 1;
	*s = (const char *)w->start;
	*n = (size_t)(nul - w->start);
	w->start = nul + 1;
	return true;
}

#endif
