// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_encode.c - "btfenc [OPTIONS] FILE": the main job. FILE's DWARF becomes
 * BTF, deduplicated, written into FILE's .BTF section in place (or to a
 * detached file), in FILE's byte order.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>

#include "btf_rec.h"
#include "cmd.h"
#include "elf_btf.h"
#include "gz.h"
#include "elf_write.h"
#include "encode.h"

struct encode_args {
	const char *file;	/* the object to encode */
	const char *base;	/* --btf_base: split BTF on this (ELF or raw BTF) */
	const char *detached;	/* --btf_encode_detached: raw blob here, FILE untouched */
	bool stats;		/* -v: counts per kind and time per phase */
	bool features_seen;	/* a --btf_features came already */
	struct encode_opts opts;
};

void cmd_encode_usage(FILE *f)
{
	fputs("usage: btfenc [OPTIONS] FILE\n"
	      "\n"
	      "Encodes FILE's DWARF as BTF, deduplicated, into FILE's .BTF section.\n"
	      "\n"
	      "  --btf_base FILE              split BTF on FILE's BTF (ELF or raw)\n"
	      "  --btf_encode_detached=OUT    write the raw BTF to OUT, leave FILE alone\n"
	      "  --lang_exclude=rust          skip compile units of that language\n"
	      "  --btf_features=LIST          the features to encode (unknown names ignored);\n"
	      "                               the default is the kernel's: encode_force,var,\n"
	      "                               float,enum64,decl_tag,type_tag,optimized_func,\n"
	      "                               consistent_func,decl_tag_kfuncs\n"
	      "                               distilled_base: with --btf_base, an ELF FILE\n"
	      "                               also gets .BTF.base (not with a detached OUT)\n"
	      "  --btf_features_strict=LIST   the same, unknown names are an error\n"
	      "  --supported_btf_features     list the feature names\n"
	      "  --skip_encoding_btf_{enum64,type_tag,decl_tag,vars}, --btf_gen_floats,\n"
	      "  --skip_encoding_btf_inconsistent_proto   pahole's older switches\n"
	      "  -j[N]                        N threads (-j: one per CPU, the default);\n"
	      "                               the output is the same for any N\n"
	      "  -J, --btf_gen_optimized      accepted, as pahole's\n"
	      "  -v, --stats                  type counts per kind and time per phase\n"
	      "\n"
	      "Where the DWARF is when FILE has none (a stripped object) or names dwz's\n"
	      "supplementary file: given, or searched by build id and by the name FILE\n"
	      "records, in FILE's directory, its .debug/ and /usr/lib/debug (never\n"
	      "debuginfod). The BTF goes into FILE.\n"
	      "  --debuginfo=DEBUG            FILE's separate debug file\n"
	      "  --dwz-alt=ALT                the supplementary file of dwz -m\n"
	      "  --debuginfo-path=PATH        where to search (\":.debug:/usr/lib/debug\")\n", f);
}

/* --btf_features: a comma list; names btfenc does not know are ignored. The
 * first one switches every feature off (flags before it included), as
 * pahole does; later ones add to it. */
/* The feature names pahole v1.31 knows; btfenc acts on those it encodes. */
static const char supported_features[] =
	"encode_force,var,float,decl_tag,type_tag,enum64,optimized_func,consistent_func,"
	"decl_tag_kfuncs,reproducible_build,distilled_base,global_var,attributes";

static bool feature_known(const char *name)
{
	size_t n = strlen(name);
	const char *p = supported_features;

	while ((p = strstr(p, name))) {
		if ((p == supported_features || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/* Returns: 0, or -EINVAL for an unknown name when strict. */
static int set_features(struct encode_opts *o, const char *list, bool first, bool strict)
{
	char buf[512], *save, *name;

	if (first) {
		o->enum64 = o->floats = o->type_tags = o->decl_tags = false;
		o->vars = o->global_vars = o->consistent = o->kfunc_tags = false;
		o->attributes = o->distilled_base = false;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		if (!strcmp(name, "enum64"))
			o->enum64 = true;
		else if (!strcmp(name, "float"))
			o->floats = true;
		else if (!strcmp(name, "type_tag"))
			o->type_tags = true;
		else if (!strcmp(name, "decl_tag"))
			o->decl_tags = true;
		else if (!strcmp(name, "var"))
			o->vars = true;
		else if (!strcmp(name, "global_var"))
			o->global_vars = true;
		else if (!strcmp(name, "consistent_func"))
			o->consistent = true;
		else if (!strcmp(name, "decl_tag_kfuncs"))
			o->kfunc_tags = true;
		else if (!strcmp(name, "attributes"))
			o->attributes = true;
		else if (!strcmp(name, "distilled_base"))
			o->distilled_base = true;
		else if (strict && !feature_known(name)) {
			cmd_error("--btf_features_strict: unknown feature '%s'", name);
			return -EINVAL;
		}
	}
	return 0;
}

/* The options that take a value ("--opt=V" or "--opt V"). */
static const char *const value_opts[] = {
	"--btf_base", "--btf_encode_detached", "--btf_features", "--btf_features_strict",
	"--lang_exclude", "--debuginfo", "--debuginfo-path", "--dwz-alt",
};

/* Applies value option opt. Returns: -1 to go on, or the exit code. */
static int apply_value(struct encode_args *a, const char *opt, const char *v)
{
	bool strict = !strcmp(opt, "--btf_features_strict");

	if (!strcmp(opt, "--btf_base")) {
		a->base = v;
	} else if (!strcmp(opt, "--btf_encode_detached")) {
		a->detached = v;
	} else if (!strcmp(opt, "--debuginfo")) {
		a->opts.dwarf.debuginfo = v;
	} else if (!strcmp(opt, "--debuginfo-path")) {
		a->opts.dwarf.debuginfo_path = v;
	} else if (!strcmp(opt, "--dwz-alt")) {
		a->opts.dwarf.alt = v;
	} else if (strict || !strcmp(opt, "--btf_features")) {
		if (set_features(&a->opts, v, !a->features_seen, strict))
			return CMD_USAGE;
		a->features_seen = true;
	} else if (strcmp(v, "rust")) {
		cmd_error("--lang_exclude: only 'rust' is known, not '%s'", v);
		return CMD_USAGE;
	} else {
		a->opts.exclude_lang = DW_LANG_Rust;
	}
	return -1;
}

/* A value option at argv[*i]. Returns: -1 for none, or after applying it
 * (the exit code when it was wrong, else -2). */
static int value_option(int argc, char **argv, int *i, struct encode_args *a)
{
	const char *v;
	size_t k;
	int r;

	for (k = 0; k < sizeof(value_opts) / sizeof(value_opts[0]); k++) {
		r = cmd_opt(NULL, argc, argv, i, NULL, value_opts[k], &v);
		if (r < 0)
			return CMD_USAGE;
		if (r) {
			r = apply_value(a, value_opts[k], v);
			return r >= 0 ? r : -2;
		}
	}
	return -1;
}

/* -j (one thread per CPU) or -jN; anything else is no option of ours. */
static bool parse_jobs(const char *arg, unsigned *jobs)
{
	char *end;
	unsigned long n;

	if (!arg[2]) {
		*jobs = 0;
		return true;
	}
	if (arg[2] < '0' || arg[2] > '9')
		return false;
	n = strtoul(arg + 2, &end, 10);
	if (*end || n > 65535)
		return false;
	*jobs = (unsigned)n;
	return true;
}

static bool parse_flag(struct encode_args *a, const char *arg)
{
	if (!strcmp(arg, "-v") || !strcmp(arg, "--stats"))
		a->stats = true;
	else if (!strcmp(arg, "--skip_encoding_btf_enum64"))
		a->opts.enum64 = false;
	else if (!strcmp(arg, "--skip_encoding_btf_type_tag"))
		a->opts.type_tags = false;
	else if (!strcmp(arg, "--skip_encoding_btf_decl_tag"))
		a->opts.decl_tags = false;
	else if (!strcmp(arg, "--skip_encoding_btf_vars"))
		a->opts.vars = false;
	else if (!strcmp(arg, "--skip_encoding_btf_inconsistent_proto"))
		a->opts.consistent = true;
	else if (!strcmp(arg, "--btf_gen_floats"))
		a->opts.floats = true;
	else if (!strncmp(arg, "-j", 2))
		/* Threads change nothing in the output; -j alone: one per CPU. */
		return parse_jobs(arg, &a->opts.jobs);
	else if (!strcmp(arg, "-J") || !strcmp(arg, "--btf_encode") ||
		 !strcmp(arg, "--btf_gen_optimized"))
		/* optimized_func changes nothing in the output either. */
		return true;
	else
		return false;
	return true;
}

/* Returns: -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct encode_args *a)
{
	int i, r;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			cmd_encode_usage(stdout);
			return CMD_OK;
		} else if ((r = value_option(argc, argv, &i, a)) != -1) {
			if (r >= 0)
				return r;
		} else if (!strcmp(arg, "--supported_btf_features")) {
			printf("%s\n", supported_features);
			return CMD_OK;
		} else if (parse_flag(a, arg)) {
			continue;
		} else if (arg[0] == '-') {
			cmd_error("unknown option '%s'", arg);
			return CMD_USAGE;
		} else if (a->file) {
			cmd_error("one FILE only, '%s' is extra", arg);
			return CMD_USAGE;
		} else {
			a->file = arg;
		}
	}
	if (!a->file) {
		cmd_error("no FILE to encode (btfenc --help lists the options)");
		return CMD_USAGE;
	}
	return -1;
}

static void print_stats(const struct btf_builder *b, const struct encode_stats *st,
			double t_write)
{
	uint32_t counts[20] = { 0 }, id, k;

	for (id = btf_builder_start_id(b); id < btf_builder_type_cnt(b); id++) {
		k = btf_type_kind(btf_builder_type(b, id));
		counts[k < 20 ? k : 0]++;
	}
	fprintf(stderr, "btfenc: %u types, %u bytes of strings\n",
		btf_builder_type_cnt(b) - btf_builder_start_id(b), btf_builder_str_len(b));
	for (k = 1; k < 20; k++)
		if (counts[k])
			fprintf(stderr, "btfenc:   %-10s %u\n", btf_kind_name(k), counts[k]);
	fprintf(stderr, "btfenc: %zu units on %u thread%s, %llu types before dedup (%llu matched "
		"before encoding)\n", st->units, st->threads, st->threads == 1 ? "" : "s",
		(unsigned long long)st->raw_types, (unsigned long long)st->premapped);
	fprintf(stderr, "btfenc: seconds: open %.3f, units %.3f (walk %.3f + types %.3f on the "
		"workers; merge %.3f + batch dedup %.3f on one), functions %.3f, final dedup "
		"%.3f, write %.3f\n",
		st->t_open, st->t_units, st->t_walk, st->t_types, st->t_merge, st->t_batches,
		st->t_funcs, st->t_dedup, t_write);
}

/* Finalizes b in the byte order of the object. Returns: 0, or -1 (printed). */
static int finalize_for(struct btf_builder *b, int big, const void **blob, uint32_t *size,
			const char *what)
{
	int r = cmd_verify_builder(b, what);

	if (r > 0)
		return -1;
	btf_builder_set_endian(b, big ? BTF_ENDIAN_BIG : BTF_ENDIAN_LITTLE);
	if (r || btf_builder_finalize(b, blob, size)) {
		cmd_error_detail("cannot finalize the BTF");
		return -1;
	}
	return 0;
}

/*
 * distilled_base, as pahole does it: in an ELF object (not a detached file),
 * split BTF goes in as .BTF on a distilled base written to .BTF.base, both
 * in one replacement of the file.
 */
static int write_distilled(const struct encode_args *a, struct btf_builder *b, int big)
{
	struct btf_builder *dbase, *dsplit;
	struct elfbtf_section secs[2] = { { .name = ".BTF" }, { .name = ".BTF.base" } };
	uint32_t split_size, base_size;
	char err[512];
	int r;

	if (btf_builder_distill(b, &dbase, &dsplit)) {
		cmd_error_last("cannot distill the base BTF");
		return CMD_FAIL;
	}
	r = finalize_for(dsplit, big, &secs[0].blob, &split_size, a->file) ||
	    finalize_for(dbase, big, &secs[1].blob, &base_size, a->file);
	if (!r) {
		secs[0].size = split_size;
		secs[1].size = base_size;
		r = elfbtf_write_sections(a->file, secs, 2, err, sizeof(err));
		if (r)
			cmd_error("%s", err);
	}
	btf_builder_free(dsplit);
	btf_builder_free(dbase);
	return r ? CMD_FAIL : CMD_OK;
}

/* Whether the ELF object at path has a section named sec with bytes. */
static bool has_section(const char *path, const char *sec)
{
	void *data = NULL;
	size_t size;
	int r = elfbtf_read_section(path, sec, &data, &size, NULL, 0);

	free(data);
	return r == 0;
}

static int write_out(const struct encode_args *a, struct btf_builder *b)
{
	char err[512];
	const void *blob;
	uint32_t size;
	int big, r;

	r = elfbtf_target_endian(a->file, &big, err, sizeof(err));
	if (r) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (a->opts.distilled_base && btf_builder_base(b) && !a->detached)
		return write_distilled(a, b, big);
	if (!a->detached && has_section(a->file, ".BTF.base")) {
		/* The kernel would read the new .BTF on that stale distilled base. */
		cmd_error("'%s': has a .BTF.base section that a new .BTF would not match; "
			  "encode with --btf_features=distilled_base, or remove it first "
			  "(objcopy --remove-section .BTF.base)",
			  a->file);
		return CMD_FAIL;
	}
	if (finalize_for(b, big, &blob, &size, a->detached ? a->detached : a->file))
		return CMD_FAIL;
	r = a->detached ? elfbtf_write_detached(a->detached, blob, size, err, sizeof(err))
			: elfbtf_write(a->file, blob, size, err, sizeof(err));
	if (r) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	return CMD_OK;
}

/* pahole v1.31's defaults without --btf_features: what "make PAHOLE=" gets
 * from a kernel that passes only the older switches (6.1's pahole-flags.sh). */
static void pahole_defaults(struct encode_opts *o)
{
	encode_opts_default(o);
	o->jobs = 1;	/* pahole runs one thread unless given -j */
	o->floats = false;
	o->consistent = false;
	o->kfunc_tags = false;
}

static int encode_main(int argc, char **argv, bool pahole)
{
	struct encode_args a = { 0 }, w;	/* w: a, FILE's plain copy if any */
	char plain[PATH_MAX];
	struct btf_builder *base = NULL, *b = NULL;
	struct encode_stats st;
	char err[512];
	double t1;
	int ret;

	if (pahole)
		pahole_defaults(&a.opts);
	else
		encode_opts_default(&a.opts);
	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	w = a;
	if (a.base && elfbtf_load(a.base, NULL, &base, err, sizeof(err))) {
		cmd_error_detail(err);
		return CMD_FAIL;
	}
	/* A gzip-compressed module (.ko.gz): encoded from a plain copy, the
	 * result written into the copy and compressed back into FILE. */
	if (gz_is(a.file)) {
		if (gz_unpack(a.file, plain, sizeof(plain), err, sizeof(err))) {
			cmd_error("%s", err);
			btf_builder_free(base);
			return CMD_FAIL;
		}
		w.file = plain;
		cmd_alias(plain, a.file);
	}
	if (encode_file(w.file, base, &a.opts, &b, &st)) {
		cmd_error_file(a.file, "cannot encode BTF");
		ret = CMD_FAIL;
		goto out;
	}
	t1 = encode_now();
	ret = write_out(&w, b);
	if (!ret && w.file != a.file && !a.detached && gz_pack(plain, a.file, err, sizeof(err))) {
		cmd_error("%s", err);
		ret = CMD_FAIL;
	}
	if (a.stats && !ret)
		print_stats(b, &st, encode_now() - t1);
out:
	if (w.file != a.file)
		unlink(plain);
	cmd_alias(NULL, NULL);
	btf_builder_free(b);
	btf_builder_free(base);
	return ret;
}

int cmd_encode(int argc, char **argv)
{
	return encode_main(argc, argv, false);
}

int cmd_pahole(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		/* The kernel turns this into CONFIG_PAHOLE_VERSION. */
		if (!strcmp(argv[i], "--version")) {
			printf("v1.31\n");
			return CMD_OK;
		}
	}
	return encode_main(argc - 1, argv + 1, true);
}
