/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ptrmap.h - addresses to 32-bit values: an open-addressing hash that reads
 * the key's address only, never what it points to.
 */
#ifndef BTFENC_PTRMAP_H
#define BTFENC_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptrmap {
	const void **keys;	/* NULL for an empty slot */
	uint32_t *vals;
	size_t mask;		/* slots - 1, or 0 before the first put */
	size_t used;
};

/* The value of key (never NULL) in *val; false when absent. */
static inline bool ptrmap_get(const struct ptrmap *m, const void *key, uint32_t *val)
{
	size_t i;

	if (!m->keys)
		return false;
	for (i = ((uintptr_t)key * 0x9E3779B97F4A7C15ull) >> 24 & m->mask; m->keys[i];
	     i = (i + 1) & m->mask)
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return true;
		}
	return false;
}

/*
 * The key of a string that must stay alive: its address, or for a string of
 * at most 7 bytes its bytes themselves (with the top bit set, which no
 * address has), so that the same short name written at many addresses --
 * DWARF's inline names -- is one key.
 */
static inline const void *ptrmap_str_key(const char *s)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		if (!s[i])
			return (const void *)(uintptr_t)(v | 1ull << 63);
		v |= (uint64_t)(unsigned char)s[i] << (8 * i);
	}
	return s;
}

/* Sets key (never NULL) to val. Returns: 0 or -ENOMEM. */
int ptrmap_put(struct ptrmap *m, const void *key, uint32_t val);
/* Forgets every key, keeping the memory. */
void ptrmap_clear(struct ptrmap *m);
void ptrmap_free(struct ptrmap *m);

#endif
