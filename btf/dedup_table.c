// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_table.c - dedup's multimap from signature hash to canonical ids.
 * Chained buckets; each add goes to its bucket's head, so candidates come
 * newest first, as in libbpf. Equal hashes do not mean equal types: every
 * candidate is confirmed by an equality or equivalence check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_priv.h"
#include "grow.h"

static uint32_t bucket_of(const struct dd_table *t, uint32_t hash)
{
	return (uint32_t)(((uint64_t)hash * 0x9E3779B97F4A7C15ull) >> 32) & t->mask;
}

int dd_table_init(struct dd_table *t, size_t expect)
{
	size_t n = 1024;

	while (n < expect && n < (1u << 26))
		n *= 2;
	t->heads = calloc(n, sizeof(*t->heads));
	if (!t->heads)
		return -ENOMEM;
	t->mask = (uint32_t)n - 1;
	/* Nodes for the expected entries at once: no regrowing copies. */
	return grow_array_raw((void **)&t->nodes, &t->nodes_cap, sizeof(*t->nodes), expect);
}

void dd_table_release(struct dd_table *t)
{
	free(t->heads);
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

static int table_grow(struct dd_table *t)
{
	uint32_t *heads, n = (t->mask + 1) * 2, i;

	heads = calloc(n, sizeof(*heads));
	if (!heads)
		return -ENOMEM;
	free(t->heads);
	t->heads = heads;
	t->mask = n - 1;
	/* Re-link oldest first so that each bucket stays newest first. */
	for (i = 0; i < t->nodes_len; i++) {
		uint32_t bk = bucket_of(t, t->nodes[i].hash);

		t->nodes[i].next = heads[bk];
		heads[bk] = i + 1;
	}
	return 0;
}

int dd_table_add(struct dd_table *t, uint32_t hash, uint32_t id)
{
	struct dd_node *node;
	uint32_t bk;
	int err;

	if (t->nodes_len >= (size_t)t->mask + 1 && t->mask < (1u << 30)) {
		err = table_grow(t);
		if (err)
			return err;
	}
	if (t->nodes_len >= t->nodes_cap) {
		err = grow_array_raw((void **)&t->nodes, &t->nodes_cap, sizeof(*t->nodes),
				     t->nodes_len + 1);
		if (err)
			return err;
	}
	bk = bucket_of(t, hash);
	node = &t->nodes[t->nodes_len];
	node->id = id;
	node->hash = hash;
	node->next = t->heads[bk];
	t->heads[bk] = (uint32_t)++t->nodes_len;
	return 0;
}

uint32_t dd_table_next(const struct dd_table *t, uint32_t node, uint32_t hash)
{
	for (node = t->nodes[node - 1].next; node; node = t->nodes[node - 1].next)
		if (t->nodes[node - 1].hash == hash)
			return node;
	return 0;
}

uint32_t dd_table_first(const struct dd_table *t, uint32_t hash)
{
	uint32_t node = t->heads[bucket_of(t, hash)];

	if (node && t->nodes[node - 1].hash != hash)
		node = dd_table_next(t, node, hash);
	return node;
}
