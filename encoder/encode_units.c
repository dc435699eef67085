// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode_units.c - every compile unit of an object, walked and encoded on
 * several threads, merged in unit order.
 *
 * Each of -jN threads (the calling one too) does whichever is due: when
 * the next unit in file order is walked and nobody is merging, it merges
 * it; else it takes the next unit not yet taken, walks it and encodes its
 * types into a builder of its own. So N threads keep N cores busy with no
 * thread of their own for the merge. libdw reads distinct units in parallel
 * safely once every unit is listed and its abbreviations loaded
 * (dwt_file_open() does both), except for location lists, which dwarf/
 * reads under a lock where libdw reads them. Merges happen one at a time,
 * strictly in file order: the unit's types are appended to the object's
 * builder, its variables added and its functions saved, exactly what a
 * sequential run does after each unit. So the result, down to every byte,
 * is the same whatever the number of threads and however they are
 * scheduled; messages too are held back per unit and replayed in unit
 * order (log_capture_*).
 *
 * A window of slots bounds the memory: unit i may be taken only once unit
 * i - window is merged (each slot keeps its unit's records and types until
 * the merge; the walk's scratch is the thread's). With one thread, no other is started and the
 * calling thread walks and merges each unit in turn, through the same code.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_syms.h"
#include "grow.h"
#include "encode.h"
#include "log.h"

/* The most threads btfenc starts, whatever -j says. */
#define UNITS_MAX_THREADS 64
/* Units in flight at least, with more than one thread. */
#define UNITS_WINDOW_MIN 32

/* A slot goes FREE -> BUSY (walked) -> WALKED -> BUSY (matched, premap)
 * -> READY -> BUSY (merged) -> FREE; a WALKED one may be merged too. */
enum slot_state { SLOT_FREE, SLOT_BUSY, SLOT_WALKED, SLOT_READY };

/* One unit in flight: what its worker made of it. */
struct slot {
	enum slot_state state;
	size_t unit;			/* its index in the file */
	struct dwt_cu *cu;		/* the walked unit (kept, reused) */
	struct btf_builder *types;	/* its types, on the object's base */
	uint32_t *ids;			/* dwt record index -> id in types */
	uint32_t *gids;			/* premap_unit()'s matches, as of premapped_at */
	size_t gids_cap;
	size_t matched;			/* records matched */
	unsigned premapped_at;		/* batches deduplicated when matched; 0: not */
	bool skipped;			/* a unit of an excluded language */
	int err;
	struct log_capture log;		/* its messages, replayed at the merge */
	double t_walk, t_types;		/* seconds the worker spent on each */
};

/*
 * Deduplication as the units arrive: the merger appends units to a batch,
 * split BTF on the object's builder (the canonical types so far), and every
 * STREAM_UNITS units deduplicates the batch against them and appends what
 * is new. The object's builder so holds about the final number of types
 * instead of every unit's copy (3.4 M for a vmlinux). Types keep the order
 * of their first appearance, as in one deduplication of everything, which
 * still runs at the end (for what only the whole can decide: a forward
 * declaration whose definition came in a later batch, the functions).
 * Only without a base: on a module's split BTF, a second deduplication
 * merges more into the base than one does (seen on mlx4_ib, kvm), and
 * pahole deduplicates once; modules are small, so their units go straight
 * into the object's builder, deduplicated once at the end.
 */
#define STREAM_UNITS 64

struct stream {
	struct btf_builder *c;		/* the object's builder */
	struct btf_builder *s;		/* the batch, split on c, or NULL */
	size_t units;			/* units in the batch */
	size_t fs_mark;			/* function states saved before the batch */
	bool batches;			/* deduplicate every batch_units units */
	size_t batch_units;		/* STREAM_UNITS, or BTFENC_BATCH_UNITS for tests */
	struct btf_str_memo *memo;	/* names met before, in the object's builder or base */
	struct premap_g *pg;		/* with batches: c, units matched to it before encoding */
	struct premap *pm;		/* the merger's matcher, for units not matched as of now */
	unsigned flushes;		/* batches deduplicated into c */
	pthread_rwlock_t *c_lock;	/* with threads: held to read c in premap, to change it */
	struct encode_stats *stats;
};

struct units {
	struct dwt_file *f;
	struct btf_builder *base;	/* the object's base, or NULL */
	const struct encode_opts *o;
	size_t n;			/* units in the file */
	size_t next;			/* the next unit to take */
	size_t next_merge;		/* the next unit to merge */
	bool merging;			/* a thread is merging */
	struct slot *slots;
	size_t window;
	int err;			/* the first failed merge: everyone stops */
	bool threaded;			/* other threads run: lock */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_rwlock_t c_lock;
	/* As of the last merge (under mu): batches deduplicated, and units
	 * the open batch takes still (as if none were skipped). */
	unsigned flushes;
	size_t batch_left;
	/* What the merges build, one merge at a time. */
	struct stream st;
	const struct elf_syms *syms;
	struct func_states *fs;
	struct var_secs *vs;
};

/* Encodes walked unit s into a builder of its own. */
static int unit_encode(struct units *u, struct slot *s)
{
	int err = u->base ? btf_builder_new_split(u->base, &s->types) : btf_builder_new(&s->types);

	if (err)
		return err;
	btf_builder_set_unlimited(s->types);
	/* Its names are the file's, alive until the end: strings by address,
	 * added by content only at the merge. */
	err = btf_builder_set_strs_by_ptr(s->types);
	return err ? err : encode_cu_types(s->types, s->cu, u->o, NULL, &s->ids);
}

/* Walks unit s->unit into s, and encodes it unless the merger will.
 * Runs on any thread. */
static void unit_work(struct units *u, struct slot *s, struct dwt_walker *w)
{
	int err;

	log_capture_begin(&s->log);
	btf_builder_free(s->types);
	s->types = NULL;
	free(s->ids);
	s->ids = NULL;
	s->premapped_at = 0;
	double t0 = encode_now(), t1;

	err = dwt_cu_walk(u->f, s->unit, u->o->exclude_lang, w, s->cu, &s->skipped);
	t1 = encode_now();
	/* With premap, the merger encodes what it does not match. */
	if (!err && !s->skipped && !u->st.pg)
		err = unit_encode(u, s);
	s->t_walk = t1 - t0;
	s->t_types = encode_now() - t1;
	log_capture_end();
	s->err = err;
}

/*
 * Matches walked unit s against c as of flushes batches, with pm (the
 * thread's). c changes only when a batch is deduplicated, after the
 * batch's units are merged: for a unit of the open batch, the merger finds
 * the same c and takes the matches; else it matches the unit again itself.
 * Returns: 0, -ENOMEM.
 */
static int unit_premap(struct slot *s, struct premap *pm, unsigned flushes,
		       const struct encode_opts *o)
{
	const uint32_t *gids;
	size_t n = dwt_cu_type_count(s->cu);
	int err;

	s->premapped_at = 0;
	err = premap_unit(pm, s->cu, o, &gids, &s->matched);
	if (!err && n && grow_array((void **)&s->gids, &s->gids_cap, sizeof(*s->gids), n))
		err = -ENOMEM;
	if (err)
		return err;
	if (n)
		memcpy(s->gids, gids, n * sizeof(*s->gids));
	s->premapped_at = flushes;
	return 0;
}

/* The batch deduplicated and appended to the object's builder; the ids
 * of what was saved meanwhile follow. */
static int stream_flush(struct stream *st, struct func_states *fs, struct var_secs *vs)
{
	double t = encode_now();
	uint32_t *map = NULL, n;
	int err;

	if (!st->s)
		return 0;
	n = btf_builder_type_cnt(st->s);
	err = btf_builder_dedup(st->s, &map);
	st->stats->t_batches += encode_now() - t;
	if (!err) {
		func_states_remap(fs, st->fs_mark, map, n);
		var_secs_remap(vs, map, n);
		/* Threads matching units read c meanwhile. */
		if (st->c_lock)
			pthread_rwlock_wrlock(st->c_lock);
		err = btf_builder_add_btf(st->c, st->s);
		err = err < 0 ? err : 0;
		if (!err && st->pg) {
			err = premap_g_index(st->pg);
			st->flushes++;
		}
		if (st->c_lock)
			pthread_rwlock_unlock(st->c_lock);
	}
	free(map);
	btf_builder_free(st->s);
	st->s = NULL;
	st->units = 0;
	return err;
}

/* Where the next unit goes: the open batch (opened if need be), or without
 * batches the object's builder itself. Returns: 0 and *dst, or -errno. */
static int stream_target(struct stream *st, const struct func_states *fs,
			 struct btf_builder **dst)
{
	int err;

	if (st->batches && !st->s) {
		err = btf_builder_new_split(st->c, &st->s);
		if (err)
			return err;
		btf_builder_set_unlimited(st->s);
		st->fs_mark = func_states_count(fs);
	}
	*dst = st->batches ? st->s : st->c;
	return 0;
}

/* Unit s's types into dst: with premap, matched to c and the rest encoded
 * there; else its builder's appended, ids shifted to dst's. */
static int unit_types(struct slot *s, struct stream *st, struct btf_builder *dst,
		      const struct encode_opts *o)
{
	uint32_t start, shift, i, n, before = btf_builder_type_cnt(dst);
	const uint32_t *gids;
	size_t matched;
	double t;
	int first, err;

	if (st->pg) {
		t = encode_now();
		gids = s->gids;
		matched = s->matched;
		err = 0;
		/* Before the first batch's end, c is empty: nothing to match.
		 * Matched by a worker against another c, or not at all: again,
		 * against this one. */
		if (!st->flushes) {
			gids = NULL;
			matched = 0;
		} else if (s->premapped_at != st->flushes) {
			err = premap_unit(st->pm, s->cu, o, &gids, &matched);
		}
		err = err ? err : encode_cu_types(dst, s->cu, o, gids, &s->ids);
		st->stats->t_types += encode_now() - t;
		st->stats->premapped += matched;
		st->stats->raw_types += btf_builder_type_cnt(dst) - before + matched;
		return err;
	}
	st->stats->raw_types += btf_builder_type_cnt(s->types) - btf_builder_start_id(s->types);
	start = btf_builder_start_id(s->types);
	first = btf_builder_add_btf_memo(dst, s->types, st->memo);
	if (first < 0)
		return first;
	shift = (uint32_t)first - start;
	n = (uint32_t)dwt_cu_type_count(s->cu);
	for (i = 0; i < n; i++)
		if (s->ids[i] >= start)
			s->ids[i] += shift;
	btf_builder_free(s->types);
	s->types = NULL;
	return 0;
}

/* The merger's part of a unit, in file order: its types into the batch,
 * its variables, its functions saved. */
static int unit_merge(struct slot *s, struct stream *st, const struct elf_syms *syms,
		      struct func_states *fs, struct var_secs *vs, const struct encode_opts *o)
{
	struct btf_builder *dst;
	int err;

	log_capture_replay(&s->log);
	st->stats->t_walk += s->t_walk;
	st->stats->t_types += s->t_types;
	if (s->err || s->skipped)
		return s->err;
	err = stream_target(st, fs, &dst);
	err = err ? err : unit_types(s, st, dst, o);
	err = err ? err : var_secs_add(vs, dst, s->cu, s->ids, o);
	err = err ? err : func_states_save(fs, dst, syms, s->cu, s->ids);
	if (!err && st->batches && ++st->units == st->batch_units)
		err = stream_flush(st, fs, vs);
	return err;
}

static int slots_new(struct units *u)
{
	size_t i;
	int err = 0;

	u->slots = calloc(u->window, sizeof(*u->slots));
	if (!u->slots)
		return -ENOMEM;
	for (i = 0; !err && i < u->window; i++)
		err = dwt_cu_new(&u->slots[i].cu);
	return err;
}

static void slots_free(struct units *u)
{
	size_t i;

	for (i = 0; u->slots && i < u->window; i++) {
		dwt_cu_free(u->slots[i].cu);
		btf_builder_free(u->slots[i].types);
		free(u->slots[i].ids);
		free(u->slots[i].gids);
		log_capture_free(&u->slots[i].log);
	}
	free(u->slots);
}

/* Units per batch: BTFENC_BATCH_UNITS=N (1 to STREAM_UNITS) lets tests and
 * fuzzing reach the batch and premap paths with objects of a few units. */
static size_t batch_units(void)
{
	const char *s = getenv("BTFENC_BATCH_UNITS");
	long n = s ? strtol(s, NULL, 10) : 0;

	return n >= 1 && n <= STREAM_UNITS ? (size_t)n : STREAM_UNITS;
}

/* How many threads to run: -jN, or every CPU for 0, at most one per unit. */
static unsigned thread_count(unsigned jobs, size_t units)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = jobs ? jobs : cpus > 0 ? (unsigned)cpus : 1;

	if (n > UNITS_MAX_THREADS)
		n = UNITS_MAX_THREADS;
	return units < n ? (units ? (unsigned)units : 1) : n;
}

static void units_lock(struct units *u)
{
	if (u->threaded)
		pthread_mutex_lock(&u->mu);
}

static void units_unlock(struct units *u)
{
	if (u->threaded)
		pthread_mutex_unlock(&u->mu);
}

/* Merges unit s->unit, the next in file order. Runs on any thread, one at a
 * time. */
static int merge_one(struct units *u, struct slot *s)
{
	struct encode_stats *stats = u->st.stats;
	double t = encode_now(), t_batches = stats->t_batches, t_types = stats->t_types + s->t_types;
	size_t i = s->unit;
	int err;

	err = unit_merge(s, &u->st, u->syms, u->fs, u->vs, u->o);
	dwt_cu_trim(s->cu);
	dwt_file_release_unit(u->f, i);
	if (i % (4 * STREAM_UNITS) == 4 * STREAM_UNITS - 1)
		dwt_file_release_all(u->f);
	/* The merger's encoding (premap) is counted with the workers'. */
	stats->t_merge += encode_now() - t - (stats->t_batches - t_batches) -
			  (stats->t_types - t_types);
	return err;
}

/* A walked unit of the open batch (as far as can be told) to match, once
 * c holds something: its slot, or NULL. Under mu. */
static struct slot *premap_due(struct units *u)
{
	size_t i, end = u->next_merge + u->batch_left;

	if (!u->st.pg || !u->flushes)
		return NULL;
	for (i = u->next_merge; i < u->next && i < end; i++)
		if (u->slots[i % u->window].state == SLOT_WALKED)
			return &u->slots[i % u->window];
	return NULL;
}

/* Matches walked unit s with the thread's pm, c read under c_lock. */
static void premap_work(struct units *u, struct slot *s, struct premap *pm, unsigned flushes)
{
	double t = encode_now();

	if (u->threaded)
		pthread_rwlock_rdlock(&u->c_lock);
	s->err = unit_premap(s, pm, flushes, u->o);
	if (u->threaded)
		pthread_rwlock_unlock(&u->c_lock);
	s->t_types += encode_now() - t;
}

/*
 * One thread's share, until every unit is merged or a merge failed: merge
 * what is due; else match a walked unit of the open batch against c (with
 * premap); else walk the next unit.
 */
static void *run(void *arg)
{
	struct units *u = arg;
	struct dwt_walker *w;
	struct premap *pm = NULL;
	struct slot *s;
	unsigned flushes;
	int err = dwt_walker_new(&w);

	if (!err && u->st.pg)
		err = premap_new(u->st.pg, &pm);
	units_lock(u);
	if (err)
		u->err = err;
	while (!u->err && u->next_merge < u->n) {
		s = &u->slots[u->next_merge % u->window];
		if (!u->merging && (s->state == SLOT_READY || s->state == SLOT_WALKED)) {
			u->merging = true;
			s->state = SLOT_BUSY;
			units_unlock(u);
			err = merge_one(u, s);
			units_lock(u);
			s->state = SLOT_FREE;
			u->merging = false;
			u->next_merge++;
			u->flushes = u->st.flushes;
			u->batch_left = u->st.batch_units - u->st.units;
			if (err)
				u->err = err;
		} else if ((s = premap_due(u))) {
			s->state = SLOT_BUSY;
			flushes = u->flushes;
			units_unlock(u);
			premap_work(u, s, pm, flushes);
			units_lock(u);
			s->state = SLOT_READY;
		} else if (u->next < u->n && u->slots[u->next % u->window].state == SLOT_FREE) {
			s = &u->slots[u->next % u->window];
			s->state = SLOT_BUSY;
			s->unit = u->next++;
			units_unlock(u);
			unit_work(u, s, w);
			units_lock(u);
			s->state = u->st.pg && !s->err && !s->skipped ? SLOT_WALKED : SLOT_READY;
		} else if (u->threaded) {
			pthread_cond_wait(&u->cv, &u->mu);
			continue;
		} else {
			/* Alone, one of the three is always due. */
			u->err = -EDEADLK;
			break;
		}
		if (u->threaded)
			pthread_cond_broadcast(&u->cv);
	}
	units_unlock(u);
	premap_free(pm);
	dwt_walker_free(w);
	return NULL;
}

int encode_units_merged(struct dwt_file *f, struct btf_builder *b, const struct elf_syms *syms,
			struct func_states *fs, struct var_secs *vs, const struct encode_opts *o,
			struct encode_stats *stats)
{
	struct units u = { .f = f, .base = btf_builder_base(b), .o = o, .syms = syms, .fs = fs,
			   .vs = vs };
	pthread_t threads[UNITS_MAX_THREADS];
	unsigned nthreads, started = 0, t;
	int err;

	u.st = (struct stream){ .c = b, .batches = !btf_builder_base(b), .stats = stats,
				.batch_units = batch_units() };
	u.n = dwt_file_cu_count(f);
	nthreads = thread_count(o->jobs, u.n);
	stats->threads = nthreads;
	/* Room for the other threads to walk ahead while one merges a batch
	 * deduplication (~20 ms for a vmlinux: 32 units' walking). */
	u.window = nthreads > 1 ? 2 * (size_t)nthreads + 1 : 1;
	if (nthreads > 1 && u.window < UNITS_WINDOW_MIN)
		u.window = UNITS_WINDOW_MIN;
	/* The workers' builders keep names by address and never look up the
	 * base's strings; the object's builder leaves them to its dedup. */
	err = btf_str_memo_new(&u.st.memo);
	/* BTFENC_PREMAP=0 encodes every record (tests compare the two). */
	if (!err && u.st.batches && !(getenv("BTFENC_PREMAP") && !strcmp(getenv("BTFENC_PREMAP"), "0")))
		err = premap_g_new(b, &u.st.pg);
	if (!err && u.st.pg)
		err = premap_new(u.st.pg, &u.st.pm);
	err = err ? err : slots_new(&u);
	u.batch_left = u.st.batch_units;
	if (!err && nthreads > 1) {
		pthread_mutex_init(&u.mu, NULL);
		pthread_cond_init(&u.cv, NULL);
		pthread_rwlock_init(&u.c_lock, NULL);
		u.st.c_lock = &u.c_lock;
		u.threaded = true;
		for (t = 0; t + 1 < nthreads; t++, started++)
			if (pthread_create(&threads[t], NULL, run, &u))
				break;
	}
	if (!err) {
		run(&u);
		for (t = 0; t < started; t++)
			pthread_join(threads[t], NULL);
		err = u.err ? u.err : stream_flush(&u.st, fs, vs);
	}
	if (u.threaded) {
		pthread_cond_destroy(&u.cv);
		pthread_mutex_destroy(&u.mu);
		pthread_rwlock_destroy(&u.c_lock);
	}
	btf_builder_free(u.st.s);
	btf_str_memo_free(u.st.memo);
	premap_free(u.st.pm);
	premap_g_free(u.st.pg);
	slots_free(&u);
	return err;
}
