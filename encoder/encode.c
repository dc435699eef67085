// SPDX-License-Identifier: GPL-2.0-only
/*
 * encode.c - the whole object: every compile unit's types into one builder,
 * then deduplication. Units go in file order, so the result depends on the
 * input only.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elf_syms.h"
#include "encode.h"
#include "log.h"

/* The encoder's messages travel on the btf/ layer's log callback. */
static struct log_sink sink;

void encode_log_set(btf_log_fn fn, void *ctx)
{
	sink.fn = fn;
	sink.ctx = ctx;
	btf_log_set(fn, ctx);
	dwt_log_set(fn, ctx);
}

void encode_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_sink_emit(&sink, fmt, ap);
	va_end(ap);
}

/* Every unit in file order, then the functions in name order, then the
 * DATASECs: the order pahole v1.31 emits them in. */
static int encode_units(struct dwt_file *f, struct btf_builder *b, const struct elf_syms *syms,
			const struct encode_opts *o, struct encode_stats *st)
{
	struct func_states *fs = NULL;
	struct var_secs *vs = NULL;
	int err = func_states_new(&fs);
	double t;

	err = err ? err : var_secs_new(syms, &vs);
	t = encode_now();
	err = err ? err : encode_units_merged(f, b, syms, fs, vs, o, st);
	st->t_units = encode_now() - t;
	err = err ? err : func_states_emit(fs, b, o);
	err = err ? err : var_secs_emit(vs, b);
	st->t_funcs = encode_now() - t - st->t_units;
	var_secs_free(vs);
	func_states_free(fs);
	return err;
}

double encode_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int encode_file(const char *path, struct btf_builder *base, const struct encode_opts *o,
		struct btf_builder **out, struct encode_stats *stats)
{
	struct encode_stats st = { 0 };
	struct btf_builder *b = NULL;
	struct elf_syms syms;
	struct dwt_file *f;
	double t0 = encode_now(), t1, t2;
	int err = dwt_file_open(path, &o->dwarf, &f);

	if (err == -ENODATA) {
		encode_log("'%s': no DWARF debug info", path);
		return err;
	}
	if (err == -EBADMSG)
		return err; /* said, with what is wrong */
	if (err == -EINVAL) {
		encode_log("'%s': not an ELF object, or a broken one", path);
		return err;
	}
	if (err) {
		encode_log("'%s': cannot read DWARF: %s", path, strerror(-err));
		return err;
	}
	err = elf_syms_load(dwt_file_elf(f), &syms);
	if (err == -EINVAL) {
		/* No symbol table: types only, no functions or variables. */
		encode_log("'%s': no symbol table: no functions or variables encoded", path);
		memset(&syms, 0, sizeof(syms));
		err = 0;
	}
	err = err ? err : base ? btf_builder_new_split(base, &b) : btf_builder_new(&b);
	t1 = encode_now();
	if (!err) {
		btf_builder_set_unlimited(b);
		/* On a base, names are matched with the base's at the dedup. */
		btf_builder_set_strs_local(b);
		err = encode_units(f, b, &syms, o, &st);
	}
	elf_syms_release(&syms);
	/* Every string the builder keeps is its own copy by now, and the
	 * functions and variables are emitted: the DWARF (a module's relocated
	 * sections: tens of MB) goes before the deduplication's peak. */
	st.units = dwt_file_cu_count(f);
	dwt_file_free(f);
	t2 = encode_now();
	if (!err)
		err = btf_builder_dedup(b, NULL);
	st.t_open = t1 - t0;
	st.t_dedup = encode_now() - t2;
	if (stats)
		*stats = st;
	if (err) {
		btf_builder_free(b);
		return err;
	}
	*out = b;
	return 0;
}
