// SPDX-License-Identifier: GPL-2.0-only
/*
 * append.c - btf_builder_add_btf(): the own types of one builder appended to
 * another, the way an encoder concatenates compile units (or modules) before
 * deduplicating them.
 *
 * The copy is one memcpy of src's records into room reserved past dst's used
 * bytes, then two walks over the copies: one shifts own type ids (and finds
 * dangling ones before anything else changes), one re-adds the strings they
 * name, through a cache of src offset -> dst offset because the same names
 * recur thousands of times. Nothing is published (types_len, nr_types) until
 * both walks have succeeded, so a failure leaves dst's types as they were.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_rec.h"
#include "builder_add.h"
#include "visit.h"

/* What the field callbacks need to rewrite one record. */
struct append_ctx {
	struct btf_builder *dst;
	const struct btf_builder *src;
	uint32_t src_start;	/* src's first own id */
	uint32_t src_end;	/* src's type count: ids at or past it dangle */
	uint32_t shift;		/* added to own src ids */
	uint32_t max_ref;	/* highest id referred to after the shift */
	uint32_t *str_cache;	/* src own string offset -> dst offset + 1, or 0 */
	uint32_t src_str_len;	/* entries of str_cache */
	struct btf_str_memo *memo; /* for a by-address src, or NULL */
};

struct btf_str_memo {
	struct ptrmap map;		/* string address -> offset below the destination's own */
	const struct btf_builder *base;	/* the destinations' base */
	uint64_t lookups, hits, puts;
	bool off;			/* it did not pay: no longer used */
	uint32_t *cache;		/* the str_cache of each call, reused */
	size_t cache_len;
};

/* Look-ups after which a memo that hits less than one in MEMO_MIN_HIT_RATE
 * gives up: strings not shared between sources by address (an object
 * linked with "ld -r" keeps each unit's .debug_str apart), where it would
 * only grow. Only look-ups in a memo holding something count: a vmlinux's
 * first batch of units meets an empty object builder, so nothing can be
 * remembered yet. */
#define MEMO_TRIAL (1u << 16)
#define MEMO_MIN_HIT_RATE 4

int btf_str_memo_new(struct btf_str_memo **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void btf_str_memo_free(struct btf_str_memo *m)
{
	if (!m)
		return;
	ptrmap_free(&m->map);
	free(m->cache);
	free(m);
}

/* src's string at *off moved to dst by content, or through the memo. */
static int move_str_memo(struct append_ctx *c, uint32_t *off)
{
	const char *s = btf_builder_str(c->src, *off);
	uint32_t own = *off - c->src->start_str_off, v;
	const void *key;
	int r;

	if (!s)
		return -EINVAL;
	/* The key the source computed when the string was added: the
	 * string's bytes need not be read again for a name met before. */
	key = own ? c->src->str_keys[own - 1] : ptrmap_str_key(s);
	c->memo->lookups += c->memo->puts != 0;
	if (ptrmap_get(&c->memo->map, key, &v)) {
		c->memo->hits++;
		*off = v;
		return 0;
	}
	r = btf_builder_add_str(c->dst, s);
	if (r < 0)
		return r;
	*off = (uint32_t)r;
	if (*off >= c->dst->start_str_off)
		return 0;
	c->memo->puts++;
	return ptrmap_put(&c->memo->map, key, *off) ? -ENOMEM : 0;
}

static int append_fix_id(uint32_t *id, void *data)
{
	struct append_ctx *c = data;

	if (*id >= c->src_end)
		return -ERANGE;
	if (*id >= c->src_start)
		*id += c->shift;
	if (*id > c->max_ref)
		c->max_ref = *id;
	return 0;
}

static int append_fix_str(uint32_t *off, void *data)
{
	struct append_ctx *c = data;
	uint32_t own = *off - c->src->start_str_off;
	int r;

	/* Offset 0 and base strings mean the same in dst: same base. */
	if (*off == 0 || *off < c->src->start_str_off)
		return 0;
	if (own >= c->src_str_len)
		return -EINVAL;
	if (c->str_cache[own]) {
		*off = c->str_cache[own] - 1;
		return 0;
	}
	r = c->memo ? move_str_memo(c, off) : builder_move_str(c->dst, c->src, off);
	if (!r)
		c->str_cache[own] = *off + 1;
	return r;
}

/* A zeroed cache of len entries: the memo's, kept between calls (a
 * series of units would otherwise fault in fresh pages for each), or a
 * fresh one without a memo. Returns: it, NULL without memory. */
static uint32_t *str_cache_get(struct btf_str_memo *memo, size_t len)
{
	uint32_t *p;

	if (!len)
		len = 1;
	if (!memo)
		return calloc(len, sizeof(uint32_t));
	if (memo->cache_len < len) {
		p = realloc(memo->cache, len * sizeof(uint32_t));
		if (!p)
			return NULL;
		memo->cache = p;
		memo->cache_len = len;
	}
	memset(memo->cache, 0, len * sizeof(uint32_t));
	return memo->cache;
}

static int append_fix_ids(struct append_ctx *c, struct btf_type *t)
{
	return btf_type_visit_ids_inline(t, append_fix_id, c);
}

static int append_fix_strs(struct append_ctx *c, struct btf_type *t)
{
	return btf_type_visit_strs_inline(t, append_fix_str, c);
}

/* fix(c, t) on each copied record at types[from .. from + len). Returns: 0
 * or the first error. */
static int append_walk(struct append_ctx *c, size_t from, size_t len,
		       int (*fix)(struct append_ctx *, struct btf_type *))
{
	size_t pos = from, end = from + len;
	int err;

	while (pos < end) {
		/* Re-fetched each round; adding a string never moves types, though. */
		struct btf_type *t = (struct btf_type *)(c->dst->types + pos);

		err = fix(c, t);
		if (err)
			return err;
		pos += btf_type_size_of(t);
	}
	return 0;
}

/* Whether every id and string offset below src's own ones means the same in
 * dst: src sits on no base (below its own ids is only void), on dst's base,
 * on dst itself, or on a lower level of dst's. */
static bool base_shared(const struct btf_builder *dst, const struct btf_builder *src)
{
	const struct btf_builder *p;

	if (!src->base || src->base == dst->base)
		return true;
	for (p = dst; src->base && p; p = p->base)
		if (p == src->base)
			return true;
	return false;
}

int btf_builder_add_btf(struct btf_builder *dst, const struct btf_builder *src)
{
	return btf_builder_add_btf_memo(dst, src, NULL);
}

int btf_builder_add_btf_memo(struct btf_builder *dst, const struct btf_builder *src,
			     struct btf_str_memo *memo)
{
	uint32_t first = btf_builder_type_cnt(dst), n = (uint32_t)src->nr_types, i, src_off0;
	struct append_ctx c = { .dst = dst, .src = src };
	size_t bytes, at;
	int err;

	if (!base_shared(dst, src))
		return -EINVAL;
	if (memo && !memo->off && memo->lookups >= MEMO_TRIAL &&
	    memo->hits * MEMO_MIN_HIT_RATE < memo->lookups) {
		memo->off = true;
		ptrmap_free(&memo->map);
	}
	/* The memo holds addresses of by-address strings, for one base. */
	if (memo && !memo->off && src->strs_by_ptr && dst != src) {
		if (memo->base != dst->base) {
			ptrmap_clear(&memo->map);
			memo->base = dst->base;
		}
		c.memo = memo;
	}
	if (!n)
		return (int)first;
	if ((uint64_t)first + n - 1 > dst->max_id)
		return -E2BIG;
	/* Own records are back to back from the first one's offset. */
	src_off0 = src->type_offs[0];
	bytes = src->types_len - src_off0;
	c.src_start = src->start_id;
	c.src_end = btf_builder_type_cnt(src);
	c.shift = first - src->start_id;
	c.src_str_len = btf_builder_str_len(src);
	c.str_cache = str_cache_get(memo, c.src_str_len);
	if (!c.str_cache)
		return -ENOMEM;
	/* With src == dst, this may move the buffers src reads from: read after it. */
	err = add_reserve(dst, bytes, n);
	if (err)
		goto out;
	at = dst->types_len;
	memcpy(dst->types + at, src->types + src_off0, bytes);
	for (i = 0; i < n; i++)
		dst->type_offs[dst->nr_types + i] = (uint32_t)(at + src->type_offs[i] - src_off0);
	/* Ids first: a dangling reference then fails before any string is added. */
	err = append_walk(&c, at, bytes, append_fix_ids);
	if (!err)
		err = append_walk(&c, at, bytes, append_fix_strs);
	if (err)
		goto out;
	dst->types_len = at + bytes;
	dst->nr_types += n;
	add_note_ref(dst, c.max_ref);
	err = (int)first;
out:
	if (!memo)
		free(c.str_cache);
	return err;
}
