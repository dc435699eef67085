// SPDX-License-Identifier: GPL-2.0-only
#include "strset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

#define SLOT_EMPTY UINT32_MAX

struct slot {
	uint32_t off;	/* string offset, or SLOT_EMPTY */
	uint32_t hash;	/* hash of the string at off */
};

struct strset {
	char *data;		/* owned bytes, or NULL while borrowing */
	const char *view;	/* the bytes: data or the borrowed ones */
	size_t data_len;	/* bytes used */
	size_t data_cap;	/* bytes allocated in data */
	uint32_t max_len;	/* adds may not grow data_len past this */
	struct slot *slots;	/* open-addressing index, NULL until first needed */
	uint32_t slots_mask;	/* slot count - 1 (a power of two) */
	uint32_t slots_used;	/* occupied slots */
	bool distinct;		/* no string twice: built by adds alone */
};

static inline uint64_t load8(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* The string's length and a hash of all its bytes, 8 at a time: strlen
 * first (so nothing past the terminator is read), then whole words, the
 * last one overlapping. A vmlinux's 96 K names hash in half the time a
 * byte at a time takes, which every module pays for its base. */
static uint32_t str_hash(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s, *last;
	size_t n = strlen(s);
	uint64_t h = n * 0x9E3779B97F4A7C15ull, w;

	*len = n;
	if (n >= 8) {
		for (last = p + n - 8; p < last; p += 8) {
			h = (h ^ load8(p)) * 0xC2B2AE3D27D4EB4Full;
			h ^= h >> 32;
		}
		w = load8(last);
	} else if (n >= 4) {
		uint32_t a, b;

		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		w = n ? (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 | (uint64_t)p[n - 1] << 16 : 0;
	}
	h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
	return (uint32_t)(h ^ (h >> 32));
}

/* Returns: the slot holding s, or the empty slot where s belongs. */
static struct slot *index_probe(const struct strset *set, const char *s, size_t len, uint32_t h)
{
	uint32_t i = h & set->slots_mask;

	for (;; i = (i + 1) & set->slots_mask) {
		struct slot *sl = &set->slots[i];

		if (sl->off == SLOT_EMPTY)
			return sl;
		if (sl->hash == h && !memcmp(set->view + sl->off, s, len + 1))
			return sl;
	}
}

static int index_resize(struct strset *set, uint32_t nslots)
{
	struct slot *old = set->slots;
	uint32_t old_n = old ? set->slots_mask + 1 : 0, i;

	set->slots = malloc(sizeof(*set->slots) * (size_t)nslots);
	if (!set->slots) {
		set->slots = old;
		return -ENOMEM;
	}
	for (i = 0; i < nslots; i++)
		set->slots[i].off = SLOT_EMPTY;
	set->slots_mask = nslots - 1;
	for (i = 0; i < old_n; i++) {
		uint32_t j = old[i].hash & set->slots_mask;

		if (old[i].off == SLOT_EMPTY)
			continue;
		while (set->slots[j].off != SLOT_EMPTY)
			j = (j + 1) & set->slots_mask;
		set->slots[j] = old[i];
	}
	free(old);
	return 0;
}

/* Room for one more entry at a load factor of at most 3/4. */
static int index_reserve(struct strset *set)
{
	uint32_t n = set->slots_mask + 1;

	if ((uint64_t)(set->slots_used + 1) * 4 <= (uint64_t)n * 3)
		return 0;
	if (n >= 1u << 31)
		return -ENOMEM;
	return index_resize(set, n * 2);
}

/* The NUL bytes among n, 8 at a time: a byte's top bit survives the
 * expression below only when the byte is 0; the multiply adds up those
 * bits (at most 8) in the top byte. */
static size_t count_nuls(const unsigned char *p, size_t n)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full, ones = 0x0101010101010101ull;
	size_t count = 0, i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v = load8(p + i), z = ~(((v & low7) + low7) | v | low7);

		count += (size_t)(((z >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		count += !p[i];
	return count;
}

/* Indexes every string start of the bytes; the first of duplicates wins. */
#define INDEX_AHEAD 16

static int index_build(struct strset *set)
{
	struct pending {
		size_t off, len;
		uint32_t hash;
	} ahead[INDEX_AHEAD], *p;
	size_t off = 0, head = 0, tail = 0;
	uint32_t n = 1024;
	int err;

	size_t count = count_nuls((const unsigned char *)set->view, set->data_len);

	/* Sized for the strings there are, at the load adds allow (3/4): half
	 * the table one string per 16 bytes asked for. */
	while ((uint64_t)n * 3 < (uint64_t)count * 4 && n < 1u << 30)
		n *= 2;
	err = index_resize(set, n);
	if (err)
		return err;
	/* Hashed a few strings ahead of their insert, whose slot is fetched
	 * meanwhile: the table (2 MB for a vmlinux) is mostly cache misses. */
	while (off < set->data_len || head != tail) {
		const char *s;
		struct slot *sl;

		while (off < set->data_len && head - tail < INDEX_AHEAD) {
			struct pending *p = &ahead[head++ % INDEX_AHEAD];

			p->off = off;
			p->hash = str_hash(set->view + off, &p->len);
			__builtin_prefetch(&set->slots[p->hash & set->slots_mask]);
			off += p->len + 1;
		}
		p = &ahead[tail++ % INDEX_AHEAD];
		s = set->view + p->off;
		sl = index_probe(set, s, p->len, p->hash);
		if (sl->off == SLOT_EMPTY) {
			err = index_reserve(set);
			if (err)
				return err;
			sl = index_probe(set, s, p->len, p->hash);
			sl->off = (uint32_t)p->off;
			sl->hash = p->hash;
			set->slots_used++;
		}
	}
	return 0;
}

static int strset_init(const char *data, uint32_t len, uint32_t max_len, struct strset **out)
{
	struct strset *set = calloc(1, sizeof(*set));

	if (!set)
		return -ENOMEM;
	set->view = data;
	set->data_len = len;
	set->distinct = !len;
	set->max_len = max_len;
	*out = set;
	return 0;
}

int strset_new(uint32_t max_len, struct strset **out)
{
	return strset_init(NULL, 0, max_len, out);
}

int strset_new_borrowed(const char *data, uint32_t len, uint32_t max_len, struct strset **out)
{
	return strset_init(len ? data : NULL, len, max_len, out);
}

void strset_free(struct strset *set)
{
	if (!set)
		return;
	free(set->data);
	free(set->slots);
	free(set);
}

int strset_own(struct strset *set)
{
	int err;

	if (set->data || !set->data_len)
		return 0;
	err = grow_array((void **)&set->data, &set->data_cap, 1, set->data_len);
	if (err)
		return err;
	memcpy(set->data, set->view, set->data_len);
	set->view = set->data;
	return 0;
}

int strset_find(struct strset *set, const char *s)
{
	struct slot *sl;
	size_t len;
	uint32_t h;
	int err;

	if (!set->slots) {
		err = index_build(set);
		if (err)
			return err;
	}
	h = str_hash(s, &len);
	sl = index_probe(set, s, len, h);
	return sl->off == SLOT_EMPTY ? -ENOENT : (int)sl->off;
}

int strset_add(struct strset *set, const char *s)
{
	struct slot *sl;
	size_t len, off;
	uint32_t h;
	int err;

	if (!set->slots) {
		err = index_build(set);
		if (err)
			return err;
	}
	h = str_hash(s, &len);
	sl = index_probe(set, s, len, h);
	if (sl->off != SLOT_EMPTY)
		return (int)sl->off;
	off = set->data_len;
	if (len + 1 > set->max_len || off > set->max_len - len - 1)
		return -E2BIG;
	err = strset_own(set);
	if (!err)
		err = index_reserve(set);
	if (!err && set->data && s >= set->data && s < set->data + set->data_len) {
		/* s lives in our own bytes, which the grow below may move. */
		size_t s_off = (size_t)(s - set->data);

		err = grow_array((void **)&set->data, &set->data_cap, 1, off + len + 1);
		s = set->data + s_off;
	} else if (!err) {
		err = grow_array((void **)&set->data, &set->data_cap, 1, off + len + 1);
	}
	if (err)
		return err;
	memcpy(set->data + off, s, len + 1);
	set->view = set->data;
	set->data_len = off + len + 1;
	sl = index_probe(set, s, len, h);
	sl->off = (uint32_t)off;
	sl->hash = h;
	set->slots_used++;
	return (int)off;
}

bool strset_distinct(const struct strset *set)
{
	return set->distinct;
}

const char *strset_data(const struct strset *set)
{
	return set->view;
}

uint32_t strset_len(const struct strset *set)
{
	return (uint32_t)set->data_len;
}
