// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_dedup.c - "btfenc dedup": BTF files concatenated and deduplicated.
 *
 * The files are read in command-line order and appended one after another
 * (btf_builder_add_btf()), so the first copy of a type in that order is the
 * one that stays. With --base they are split BTF on that base, and so is the
 * result. OUT is replaced atomically: the blob goes to a temporary file in
 * OUT's directory, which is renamed over OUT only once it is complete.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "cmd.h"
#include "elf_btf.h"
#include "elf_write.h"

struct dedup_args {
	const char *out;	/* -o OUT */
	const char *base;	/* --base BASE, or NULL */
	char **files;		/* the inputs, in order */
	int nr_files;		/* entries of files */
	bool verbose;		/* -v: print a summary line */
};

void cmd_dedup_usage(FILE *f)
{
	fputs("usage: btfenc dedup [--base BASE | -B BASE] [-v] -o OUT FILE...\n"
	      "\n"
	      "Concatenates the BTF of each FILE in order, deduplicates the types and\n"
	      "writes the raw BTF to OUT (replaced atomically). FILE and BASE are raw\n"
	      "BTF or ELF objects with a .BTF section. With a base, every FILE is split\n"
	      "BTF on top of it, and so is OUT.\n"
	      "\n"
	      "  -o, --output OUT   where to write the result\n"
	      "  -B, --base BASE    the base of FILEs and OUT\n"
	      "  -v, --verbose      print type and string counts before and after\n", f);
}

/* Returns: -1 to go on, or the exit code. Files are collected in argv's slots. */
static int parse_args(int argc, char **argv, struct dedup_args *a)
{
	bool opts = true;
	int i, r;

	a->files = argv + 1;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (opts && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
			cmd_dedup_usage(stdout);
			return CMD_OK;
		} else if (opts &&
			   (r = cmd_opt("dedup", argc, argv, &i, "-o", "--output", &a->out))) {
			if (r < 0)
				return CMD_USAGE;
		} else if (opts &&
			   (r = cmd_opt("dedup", argc, argv, &i, "-B", "--base", &a->base))) {
			if (r < 0)
				return CMD_USAGE;
		} else if (opts && (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))) {
			a->verbose = true;
		} else if (opts && !strcmp(arg, "--")) {
			opts = false;
		} else if (opts && arg[0] == '-' && arg[1]) {
			cmd_error("dedup: unknown option '%s'", arg);
			return CMD_USAGE;
		} else {
			a->files[a->nr_files++] = argv[i];
		}
	}
	if (!a->out || !a->out[0]) {
		cmd_error("dedup: %s", a->out ? "empty OUT" : "no -o OUT given");
		cmd_dedup_usage(stderr);
		return CMD_USAGE;
	}
	if (!a->nr_files) {
		cmd_error("dedup: no FILE given");
		cmd_dedup_usage(stderr);
		return CMD_USAGE;
	}
	if (a->base && !a->base[0]) {
		cmd_error("dedup: empty BASE");
		return CMD_USAGE;
	}
	return -1;
}

/*
 * Reads every file into one builder: the first file's own builder, with the
 * others appended to it (its byte order is the output's).
 * Returns: the exit code; *out on CMD_OK.
 */
static int load_all(const struct dedup_args *a, struct btf_builder *base,
		    struct btf_builder **out)
{
	struct btf_builder *all = NULL, *b;
	int i, ret, err;

	ret = cmd_load(a->files[0], base, &all) ? CMD_FAIL : CMD_OK;
	/* Before dedup, the files together may hold more types than the kernel
	 * takes; finalize checks the limit on what is left. */
	if (!ret)
		btf_builder_set_unlimited(all);
	for (i = 1; !ret && i < a->nr_files; i++) {
		ret = cmd_load(a->files[i], base, &b) ? CMD_FAIL : CMD_OK;
		if (ret)
			break;
		err = btf_builder_add_btf(all, b);
		btf_builder_free(b);
		if (err < 0) {
			cmd_error("'%s': cannot append its types: %s", a->files[i],
				  strerror(-err));
			ret = CMD_FAIL;
		}
	}
	if (ret) {
		btf_builder_free(all);
		return ret;
	}
	*out = all;
	return CMD_OK;
}

static void print_summary(const struct dedup_args *a, uint32_t types_in, uint32_t strs_in,
			  struct btf_builder *b)
{
	uint32_t types_out = btf_builder_type_cnt(b) - btf_builder_start_id(b);

	fprintf(stderr, "btfenc: dedup: %d file%s: %u types -> %u, %u string bytes -> %u\n",
		a->nr_files, a->nr_files == 1 ? "" : "s", types_in, types_out, strs_in,
		btf_builder_str_len(b));
}

/* Deduplicates b and writes it to a->out. Returns: the exit code. */
static int dedup_write(const struct dedup_args *a, struct btf_builder *b)
{
	uint32_t types_in = btf_builder_type_cnt(b) - btf_builder_start_id(b);
	uint32_t strs_in = btf_builder_str_len(b), size;
	const void *data;
	char msg[512];
	int err;

	err = btf_builder_dedup(b, NULL);
	if (err) {
		if (a->nr_files == 1)
			snprintf(msg, sizeof(msg), "'%s': cannot deduplicate", a->files[0]);
		else
			snprintf(msg, sizeof(msg), "'%s' and %d more: cannot deduplicate", a->files[0],
				 a->nr_files - 1);
		cmd_error_detail(msg);
		return CMD_FAIL;
	}
	err = cmd_verify_builder(b, a->out);
	if (err > 0)
		return CMD_FAIL;
	err = err ? err : btf_builder_finalize(b, &data, &size);
	if (err == -E2BIG) {
		cmd_error("'%s': %u types are left after deduplication, more than the kernel takes",
			  a->out, btf_builder_type_cnt(b) - 1);
		return CMD_FAIL;
	} else if (err) {
		if (a->nr_files == 1)
			snprintf(msg, sizeof(msg), "'%s': cannot build the BTF", a->files[0]);
		else
			snprintf(msg, sizeof(msg), "'%s' and %d more: cannot build the BTF",
				 a->files[0], a->nr_files - 1);
		cmd_error_detail(msg);
		return CMD_FAIL;
	}
	if (elfbtf_write_detached(a->out, data, size, msg, sizeof(msg))) {
		cmd_error("%s", msg);
		return CMD_FAIL;
	}
	if (a->verbose)
		print_summary(a, types_in, strs_in, b);
	return CMD_OK;
}

int cmd_dedup(int argc, char **argv)
{
	struct dedup_args a = { 0 };
	struct btf_builder *base = NULL, *b = NULL;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (a.base && cmd_load(a.base, NULL, &base))
		return CMD_FAIL;
	ret = load_all(&a, base, &b);
	if (!ret)
		ret = dedup_write(&a, b);
	btf_builder_free(b);
	btf_builder_free(base);
	return ret;
}
