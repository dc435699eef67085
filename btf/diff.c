// SPDX-License-Identifier: GPL-2.0-only
/*
 * diff.c - the semantic diff of two BTFs (diff.h): keys, multisets, items.
 *
 * Passes, each linear or n log n in the number of types:
 *  1. per side, mark every own type some own type refers to, and check that
 *     every reference exists;
 *  2. per side, make one entry per reported top-level type: its key (kind and
 *     name; a DECL_TAG's key names its target and component; an unreferenced
 *     anonymous type's key is its shape) and its shape (diff_shape.c), with a
 *     64-bit hash of the shape;
 *  3. sort each side by key, hash and shape, and walk both in step: a key on
 *     one side only gives a '-' or '+' per entry; a key on both sides gives,
 *     per shape present on both sides with different counts, one
 *     "copies N -> M"; the shapes present on one side only are paired with
 *     those of the other side (most similar first) into '~' items
 *     (diff_explain.c), and the rest are '-' or '+';
 *  4. sort the items for output.
 * Example: a has struct point {int x;} and struct point {long y;}, b has the
 * second unchanged and the first as struct point {long x;}. Key "struct
 * point" holds two shapes on each side; "{long y}" is on both and drops out,
 * "{int x}" and "{long x}" pair up: "~ struct point: member 'x' type 'int' ->
 * 'long int'".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder_priv.h"
#include "diff.h"
#include "diff_priv.h"
#include "grow.h"

/* Leftover shapes of one key are paired by similarity up to this many pairs
 * tried; past it, in sorted order (to stay clear of n^2). */
#define PAIR_TRIES_MAX 1024

static const char *const kind_names[] = {
	NULL, "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef", "volatile",
	"const", "restrict", "func", "func_proto", "var", "datasec", "float", "decl_tag",
	"type_tag", "enum64",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == BTF_KIND_ENUM64 + 1,
	       "a name for every kind");

const char *btf_diff_kind_name(uint32_t kind)
{
	return kind <= BTF_KIND_ENUM64 ? kind_names[kind] : NULL;
}

int btf_diff_kind_parse(const char *name)
{
	uint32_t k;

	for (k = 1; k <= BTF_KIND_ENUM64; k++)
		if (!strcmp(name, kind_names[k]))
			return (int)k;
	return -EINVAL;
}

/* One top-level type of one side. */
struct entry {
	uint32_t id;		/* type id */
	uint32_t kind;		/* BTF_KIND_* */
	bool anon;		/* keyed by its shape */
	uint64_t hash;		/* of the shape */
	size_t name_off;	/* key name in the side's pool */
	size_t shape_off;	/* shape in the side's pool */
	size_t shape_len;	/* its length */
	const char *name;	/* pool + name_off, once the pool is complete */
	const char *shape;	/* pool + shape_off, likewise */
};

struct side {
	const struct btf_builder *b;	/* the BTF */
	struct shaper sh;		/* its renderer */
	struct entry *ents;		/* reported types, then sorted */
	size_t ents_len;		/* entries used */
	size_t ents_cap;		/* entries allocated */
	struct dstr pool;		/* key names and shapes, NUL after each */
	uint8_t *refd;			/* per own type: some own type refers to it */
};

/* An item while the diff is built: strings as offsets into strs. */
struct item_rec {
	char op;		/* '+', '-', '~' */
	uint32_t kind;		/* BTF_KIND_* */
	size_t name_off;	/* in strs */
	size_t detail_off;	/* in strs */
};

struct diff_ctx {
	struct side a, b;		/* the two BTFs */
	const struct btf_diff_opts *opts;	/* never NULL */
	struct item_rec *items;		/* differences found */
	size_t items_len;		/* used */
	size_t items_cap;		/* allocated */
	struct dstr strs;		/* names and details of items */
	uint32_t *left_a, *left_b;	/* one key's shapes on one side only */
	size_t left_a_len, left_a_cap;	/* entries of left_a */
	size_t left_b_len, left_b_cap;	/* entries of left_b */
};

/* Marks id referred to by own type from; fails if id does not exist. */
static int mark_ref(struct side *s, uint32_t from, uint32_t id)
{
	uint32_t start = btf_builder_start_id(s->b);

	if (id >= s->sh.type_cnt) {
		btf_log("btf: type [%u] refers to type %u past the last id %u", from, id,
			s->sh.type_cnt - 1);
		return -EINVAL;
	}
	if (id >= start)
		s->refd[id - start] = 1;
	return 0;
}

static int mark_refs(struct side *s, uint32_t id, const struct btf_type *t)
{
	uint32_t i, vlen = btf_type_vlen(t), kind = btf_type_kind(t);
	int err = btf_kind_has_ref(kind) ? mark_ref(s, id, t->type) : 0;

	if (kind == BTF_KIND_ARRAY) {
		const struct btf_array *a = btf_type_data(t);

		err = mark_ref(s, id, a->type);
		err = err ? err : mark_ref(s, id, a->index_type);
	}
	for (i = 0; i < vlen && !err; i++) {
		const void *items = btf_type_data(t);

		if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
			err = mark_ref(s, id, ((const struct btf_member *)items)[i].type);
		else if (kind == BTF_KIND_FUNC_PROTO)
			err = mark_ref(s, id, ((const struct btf_param *)items)[i].type);
		else if (kind == BTF_KIND_DATASEC)
			err = mark_ref(s, id, ((const struct btf_var_secinfo *)items)[i].type);
	}
	return err;
}

/* "tag on KIND NAME[ component N]": a DECL_TAG's key name. */
static void decl_tag_key(struct side *s, const struct btf_type *t, struct dstr *out)
{
	const struct btf_type *target = btf_builder_type(s->b, t->type);
	int comp = ((const struct btf_decl_tag *)btf_type_data(t))->component_idx;

	dstr_adds(out, shape_name(&s->sh, t));
	dstr_adds(out, " on ");
	if (target && shape_is_named(&s->sh, target) &&
	    btf_type_kind(target) != BTF_KIND_INT && btf_type_kind(target) != BTF_KIND_FLOAT)
		shape_ref(&s->sh, t->type, out);
	else if (target)
		shape_body(&s->sh, t->type, out);
	else
		dstr_adds(out, "void");
	if (comp >= 0)
		dstr_addf(out, " component %d", comp);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* Adds the entry of own type id, unless it is left out. Returns: 0, -errno. */
static int add_entry(struct side *s, const struct btf_diff_opts *opts, uint32_t id)
{
	const struct btf_type *t = btf_builder_type(s->b, id);
	uint32_t kind = btf_type_kind(t);
	struct entry *e;
	int err;

	if (opts->ignore_kinds & (1u << kind))
		return 0;
	/* An anonymous type shows inside the shapes that refer to it. On its
	 * own only when nothing does -- and not at all when kinds are ignored,
	 * since what referred to it may be one of them (a FUNC_PROTO kept
	 * on one side only for a FUNC the caller does not compare). */
	if (!shape_is_named(&s->sh, t) &&
	    (opts->ignore_kinds || s->refd[id - btf_builder_start_id(s->b)]))
		return 0;
	err = grow_array((void **)&s->ents, &s->ents_cap, sizeof(*s->ents), s->ents_len + 1);
	if (err)
		return err;
	e = &s->ents[s->ents_len++];
	e->id = id;
	e->kind = kind;
	e->anon = !shape_is_named(&s->sh, t);
	e->name_off = s->pool.len;
	if (kind == BTF_KIND_DECL_TAG)
		decl_tag_key(s, t, &s->pool);
	else if (!e->anon)
		dstr_adds(&s->pool, shape_name(&s->sh, t));
	if (!e->anon)
		dstr_add(&s->pool, "", 1);
	e->shape_off = s->pool.len;
	shape_body(&s->sh, id, &s->pool);
	e->shape_len = s->pool.len - e->shape_off;
	dstr_add(&s->pool, "", 1);
	if (e->anon)
		e->name_off = e->shape_off;
	return s->pool.err;
}

static int entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int r;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	r = strcmp(a->name, b->name);
	if (r)
		return r;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return strcmp(a->shape, b->shape);
}

/* Passes 1 and 2, and the sort of pass 3, for one side. Returns: 0, -errno. */
static int side_build(struct side *s, const struct btf_builder *b,
		      const struct btf_diff_opts *opts)
{
	uint32_t start = btf_builder_start_id(b), cnt = btf_builder_type_cnt(b), id;
	size_t i;
	int err;

	s->b = b;
	err = shaper_init(&s->sh, b);
	if (err)
		return err;
	s->refd = calloc(cnt - start + 1, 1);
	if (!s->refd)
		return -ENOMEM;
	for (id = start; id < cnt && !err; id++)
		err = mark_refs(s, id, btf_builder_type(b, id));
	for (id = start; id < cnt && !err; id++)
		err = add_entry(s, opts, id);
	if (err)
		return err;
	for (i = 0; i < s->ents_len; i++) {
		s->ents[i].name = s->pool.buf + s->ents[i].name_off;
		s->ents[i].shape = s->pool.buf + s->ents[i].shape_off;
		s->ents[i].hash = hash_str(s->ents[i].shape);
	}
	if (s->ents_len) /* none: ents may be NULL, which qsort may not get */
		qsort(s->ents, s->ents_len, sizeof(*s->ents), entry_cmp);
	return 0;
}

static void side_release(struct side *s)
{
	shaper_release(&s->sh);
	free(s->ents);
	dstr_release(&s->pool);
	free(s->refd);
}

/* Starts an item for entry e; its detail is appended to c->strs next, and
 * item_end() closes it. */
static void item_begin(struct diff_ctx *c, char op, const struct entry *e)
{
	struct item_rec *it;
	int err;

	err = grow_array((void **)&c->items, &c->items_cap, sizeof(*c->items), c->items_len + 1);
	if (err) {
		c->strs.err = c->strs.err ? c->strs.err : err;
		return;
	}
	it = &c->items[c->items_len++];
	it->op = op;
	it->kind = e->kind;
	it->name_off = c->strs.len;
	dstr_adds(&c->strs, e->anon ? "" : e->name);
	dstr_add(&c->strs, "", 1);
	it->detail_off = c->strs.len;
}

static void item_end(struct diff_ctx *c)
{
	dstr_add(&c->strs, "", 1);
}

/* '-' or '+' for an entry of a or b alone. */
static void item_alone(struct diff_ctx *c, char op, const struct entry *e)
{
	item_begin(c, op, e);
	shape_summary(op == '-' ? &c->a.sh : &c->b.sh, e->id, &c->strs);
	item_end(c);
}

static void item_copies(struct diff_ctx *c, const struct entry *e, size_t na, size_t nb)
{
	item_begin(c, '~', e);
	dstr_addf(&c->strs, "copies %zu -> %zu", na, nb);
	if (e->anon) {
		dstr_adds(&c->strs, " of '");
		dstr_adds(&c->strs, e->shape);
		dstr_adds(&c->strs, "'");
	}
	item_end(c);
}

/* How alike two shapes are: the bytes of their common prefix and, after it,
 * of their common suffix. A change in the middle of a long shape leaves
 * both long. */
static size_t likeness(const struct entry *a, const struct entry *b)
{
	size_t n = 0, m = 0;

	while (n < a->shape_len && n < b->shape_len && a->shape[n] == b->shape[n])
		n++;
	while (m < a->shape_len - n && m < b->shape_len - n &&
	       a->shape[a->shape_len - 1 - m] == b->shape[b->shape_len - 1 - m])
		m++;
	return n + m;
}

/*
 * Pairs one key's leftover shapes of a with those of b: each of a, in order,
 * with the most alike unpaired one of b (in order when there are too many
 * to try), then the unpaired ones alone.
 */
static void pair_leftovers(struct diff_ctx *c)
{
	size_t i, j, best, best_len, len;
	bool similar = c->left_a_len * c->left_b_len <= PAIR_TRIES_MAX;
	const struct entry *ea, *eb;

	for (i = 0; i < c->left_a_len; i++) {
		ea = &c->a.ents[c->left_a[i]];
		best = !similar && i < c->left_b_len ? i : SIZE_MAX;
		best_len = 0;
		for (j = 0; similar && j < c->left_b_len; j++) {
			if (c->left_b[j] == UINT32_MAX)
				continue;
			len = likeness(ea, &c->b.ents[c->left_b[j]]);
			if (best == SIZE_MAX || len > best_len) {
				best = j;
				best_len = len;
			}
		}
		if (best == SIZE_MAX) {
			item_alone(c, '-', ea);
			continue;
		}
		eb = &c->b.ents[c->left_b[best]];
		c->left_b[best] = UINT32_MAX;
		item_begin(c, '~', ea);
		diff_explain(&c->a.sh, ea->id, &c->b.sh, eb->id, &c->strs);
		item_end(c);
	}
	for (j = 0; j < c->left_b_len; j++)
		if (c->left_b[j] != UINT32_MAX)
			item_alone(c, '+', &c->b.ents[c->left_b[j]]);
}

/* End of the run of entries from i with the same key (same shape too if
 * shape is set). */
static size_t run_end(const struct side *s, size_t i, size_t end, bool shape)
{
	const struct entry *e = &s->ents[i];
	size_t j;

	for (j = i + 1; j < end; j++) {
		const struct entry *f = &s->ents[j];

		if (f->kind != e->kind || strcmp(f->name, e->name) ||
		    (shape && (f->hash != e->hash || strcmp(f->shape, e->shape))))
			break;
	}
	return j;
}

static int push_left(uint32_t **arr, size_t *len, size_t *cap, size_t from, size_t to)
{
	int err = grow_array((void **)arr, cap, sizeof(**arr), *len + (to - from));

	for (; !err && from < to; from++)
		(*arr)[(*len)++] = (uint32_t)from;
	return err;
}

/* One key with entries a[ia, ea) and b[ib, eb): pass 3 on it. */
static int compare_key(struct diff_ctx *c, size_t ia, size_t ea, size_t ib, size_t eb)
{
	size_t ra, rb;
	int cmp, err = 0;

	c->left_a_len = c->left_b_len = 0;
	while (!err && (ia < ea || ib < eb)) {
		if (ia < ea && ib < eb)
			cmp = entry_cmp(&c->a.ents[ia], &c->b.ents[ib]);
		else
			cmp = ia < ea ? -1 : 1;
		ra = ia < ea ? run_end(&c->a, ia, ea, true) : ia;
		rb = ib < eb ? run_end(&c->b, ib, eb, true) : ib;
		if (cmp < 0) {
			err = push_left(&c->left_a, &c->left_a_len, &c->left_a_cap, ia, ra);
			ia = ra;
		} else if (cmp > 0) {
			err = push_left(&c->left_b, &c->left_b_len, &c->left_b_cap, ib, rb);
			ib = rb;
		} else {
			if (ra - ia != rb - ib)
				item_copies(c, &c->a.ents[ia], ra - ia, rb - ib);
			ia = ra;
			ib = rb;
		}
	}
	if (!err)
		pair_leftovers(c);
	return err ? err : c->strs.err;
}

static int key_cmp(const struct entry *a, const struct entry *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Pass 3: both sides' keys in step. */
static int compare_sides(struct diff_ctx *c)
{
	size_t ia = 0, ib = 0, ea, eb;
	int cmp, err = 0;

	while (!err && (ia < c->a.ents_len || ib < c->b.ents_len)) {
		if (ia < c->a.ents_len && ib < c->b.ents_len)
			cmp = key_cmp(&c->a.ents[ia], &c->b.ents[ib]);
		else
			cmp = ia < c->a.ents_len ? -1 : 1;
		ea = cmp <= 0 ? run_end(&c->a, ia, c->a.ents_len, false) : ia;
		eb = cmp >= 0 ? run_end(&c->b, ib, c->b.ents_len, false) : ib;
		err = compare_key(c, ia, ea, ib, eb);
		ia = ea;
		ib = eb;
	}
	return err;
}

static int op_rank(char op)
{
	return op == '~' ? 0 : op == '-' ? 1 : 2;
}

static int item_cmp(const void *x, const void *y)
{
	const struct btf_diff_item *a = x, *b = y;
	int r = strcmp(kind_names[a->kind], kind_names[b->kind]);

	if (!r)
		r = strcmp(a->name, b->name);
	if (!r)
		r = op_rank(a->op) - op_rank(b->op);
	return r ? r : strcmp(a->detail, b->detail);
}

/* Pass 4: the public list, sorted; takes c->strs. Returns: 0, -ENOMEM. */
static int publish(struct diff_ctx *c, struct btf_diff **out)
{
	struct btf_diff *d = calloc(1, sizeof(*d));
	size_t i;

	if (!d)
		return -ENOMEM;
	d->items = calloc(c->items_len ? c->items_len : 1, sizeof(*d->items));
	if (!d->items) {
		free(d);
		return -ENOMEM;
	}
	dstr_add(&c->strs, "", 1);	/* a buffer even with no items */
	if (c->strs.err) {
		btf_diff_free(d);
		return c->strs.err;
	}
	for (i = 0; i < c->items_len; i++) {
		d->items[i].op = c->items[i].op;
		d->items[i].kind = c->items[i].kind;
		d->items[i].name = c->strs.buf + c->items[i].name_off;
		d->items[i].detail = c->strs.buf + c->items[i].detail_off;
	}
	d->items_len = c->items_len;
	if (d->items_len)
		qsort(d->items, d->items_len, sizeof(*d->items), item_cmp);
	d->strs = c->strs.buf;
	memset(&c->strs, 0, sizeof(c->strs));
	*out = d;
	return 0;
}

int btf_diff_new(const struct btf_builder *a, const struct btf_builder *b,
		 const struct btf_diff_opts *opts, struct btf_diff **out)
{
	static const struct btf_diff_opts no_opts;
	struct diff_ctx c = { .opts = opts ? opts : &no_opts };
	int err;

	err = side_build(&c.a, a, c.opts);
	if (!err)
		err = side_build(&c.b, b, c.opts);
	if (!err)
		err = compare_sides(&c);
	if (!err)
		err = publish(&c, out);
	side_release(&c.a);
	side_release(&c.b);
	free(c.items);
	free(c.left_a);
	free(c.left_b);
	dstr_release(&c.strs);
	return err;
}

void btf_diff_free(struct btf_diff *d)
{
	if (!d)
		return;
	free(d->items);
	free(d->strs);
	free(d);
}

/* Whether a name reads unquoted: letters, digits, '_' and '.' only. */
static bool name_is_plain(const char *s)
{
	for (; *s; s++) {
		char ch = *s;

		if (!(ch == '_' || ch == '.' || (ch >= '0' && ch <= '9') ||
		      ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')))
			return false;
	}
	return true;
}

size_t btf_diff_item_format(const struct btf_diff_item *it, char *buf, size_t size)
{
	const char *kind = btf_diff_kind_name(it->kind);
	const char *name = it->name[0] ? it->name : "(anon)";
	const char *q = it->name[0] && !name_is_plain(it->name) ? "'" : "";
	const char *sep = it->op == '~' ? ": " : it->detail[0] ? " " : "";
	int n;

	n = snprintf(buf, size, "%c %s %s%s%s%s%s", it->op, kind ? kind : "?", q, name, q, sep,
		     it->detail);
	return n < 0 ? 0 : (size_t)n;
}
