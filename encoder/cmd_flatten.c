// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_flatten.c - "btfenc flatten": split BTF and its base as one standalone
 * BTF (btf_builder_flatten()), every type id and string offset unchanged.
 *
 * The point is the kernel: BPF_BTF_LOAD takes no split BTF from user space,
 * but it takes the flat blob of a module's BTF on its vmlinux, and accepts it
 * exactly when the split is valid on that base. OUT is written in SPLIT's
 * byte order and replaced atomically (a temporary file renamed over it).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "cmd.h"
#include "elf_btf.h"
#include "elf_write.h"

struct flatten_args {
	const char *out;	/* -o OUT */
	const char *base;	/* --base BASE */
	const char *split;	/* SPLIT */
};

void cmd_flatten_usage(FILE *f)
{
	fputs("usage: btfenc flatten --base BASE -o OUT SPLIT\n"
	      "\n"
	      "Writes BASE's types then SPLIT's as one standalone raw BTF to OUT\n"
	      "(replaced atomically), type ids unchanged, strings BASE's then SPLIT's.\n"
	      "The kernel loads OUT on its own if SPLIT is valid BTF on BASE. SPLIT and\n"
	      "BASE are raw BTF or ELF objects with a .BTF section.\n"
	      "\n"
	      "  -o, --output OUT   where to write the result\n"
	      "  -B, --base BASE    SPLIT's base\n", f);
}

/* Returns: the usage error to exit with, or -1 when every argument is there. */
static int check_args(const struct flatten_args *a)
{
	const char *missing = !a->base	 ? "no --base BASE given"
			      : !a->out	 ? "no -o OUT given"
			      : !a->split ? "no SPLIT given"
					  : NULL;

	if (missing) {
		cmd_error("flatten: %s", missing);
		cmd_flatten_usage(stderr);
		return CMD_USAGE;
	}
	if (!a->base[0] || !a->out[0] || !a->split[0]) {
		cmd_error("flatten: empty %s", !a->base[0] ? "BASE" : !a->out[0] ? "OUT" : "SPLIT");
		return CMD_USAGE;
	}
	return -1;
}

/* Returns: -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct flatten_args *a)
{
	bool opts = true;
	int i, r;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (opts && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
			cmd_flatten_usage(stdout);
			return CMD_OK;
		} else if (opts &&
			   (r = cmd_opt("flatten", argc, argv, &i, "-o", "--output", &a->out))) {
			if (r < 0)
				return CMD_USAGE;
		} else if (opts &&
			   (r = cmd_opt("flatten", argc, argv, &i, "-B", "--base", &a->base))) {
			if (r < 0)
				return CMD_USAGE;
		} else if (opts && !strcmp(arg, "--")) {
			opts = false;
		} else if (opts && arg[0] == '-' && arg[1]) {
			cmd_error("flatten: unknown option '%s'", arg);
			return CMD_USAGE;
		} else if (a->split) {
			cmd_error("flatten: one SPLIT only, '%s' is extra", arg);
			return CMD_USAGE;
		} else {
			a->split = arg;
		}
	}
	return check_args(a);
}

/* Flattens split and writes the blob to a->out. Returns: the exit code. */
static int flatten_write(const struct flatten_args *a, const struct btf_builder *split)
{
	struct btf_builder *flat;
	const void *data;
	char err[512];
	uint32_t size;
	int r;

	r = btf_builder_flatten(split, &flat);
	if (r == -EINVAL) {
		/* The parser's message says which type or offset is at fault. */
		snprintf(err, sizeof(err), "'%s' on '%s': not valid BTF together", a->split,
			 a->base);
		cmd_error_detail(err);
		return CMD_FAIL;
	} else if (r) {
		cmd_error("'%s' on '%s': cannot flatten: %s", a->split, a->base, strerror(-r));
		return CMD_FAIL;
	}
	r = btf_builder_finalize(flat, &data, &size);
	if (r) {
		cmd_error("'%s': cannot build the BTF: %s", a->out, strerror(-r));
		btf_builder_free(flat);
		return CMD_FAIL;
	}
	r = elfbtf_write_detached(a->out, data, size, err, sizeof(err));
	btf_builder_free(flat);
	if (r) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	return CMD_OK;
}

int cmd_flatten(int argc, char **argv)
{
	struct flatten_args a = { 0 };
	struct btf_builder *base = NULL, *split = NULL;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	ret = cmd_load(a.base, NULL, &base) || cmd_load(a.split, base, &split) ? CMD_FAIL
										: CMD_OK;
	if (!ret)
		ret = flatten_write(&a, split);
	btf_builder_free(split);
	btf_builder_free(base);
	return ret;
}
