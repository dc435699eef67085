// SPDX-License-Identifier: GPL-2.0-only
#include "ptrmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t slot_of(const struct ptrmap *m, const void *key)
{
	size_t i = ((uintptr_t)key * 0x9E3779B97F4A7C15ull) >> 24 & m->mask;

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	return i;
}

static int grow(struct ptrmap *m)
{
	size_t n = m->keys ? (m->mask + 1) * 2 : 1024, i, j;
	struct ptrmap nm = { calloc(n, sizeof(*nm.keys)), malloc(n * sizeof(*nm.vals)), n - 1,
			     m->used };

	if (!nm.keys || !nm.vals) {
		free(nm.keys);
		free(nm.vals);
		return -ENOMEM;
	}
	for (i = 0; m->keys && i <= m->mask; i++) {
		if (!m->keys[i])
			continue;
		j = slot_of(&nm, m->keys[i]);
		nm.keys[j] = m->keys[i];
		nm.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = nm;
	return 0;
}

int ptrmap_put(struct ptrmap *m, const void *key, uint32_t val)
{
	size_t i;

	if ((!m->keys || (m->used + 1) * 2 > m->mask + 1) && grow(m))
		return -ENOMEM;
	i = slot_of(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->used++;
	}
	m->vals[i] = val;
	return 0;
}

void ptrmap_clear(struct ptrmap *m)
{
	if (m->keys)
		memset(m->keys, 0, (m->mask + 1) * sizeof(*m->keys));
	m->used = 0;
}

void ptrmap_free(struct ptrmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
