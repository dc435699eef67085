// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_flatten.c - "btfenc flatten": split BTF and its base as one standalone
 * BTF (btf_builder_flatten()), every type id and string offset unchanged;
 * and "btfenc relocate": a module's BTF written on its distilled base
 * (.BTF.base) moved onto a vmlinux BTF, as the kernel does at module load.
 * Both take SPLIT, --base BASE and -o OUT.
 *
 * The point is the kernel: BPF_BTF_LOAD takes no split BTF from user space,
 * but it takes the flat blob of a module's BTF on its vmlinux, and accepts it
 * exactly when the split is valid on that base. OUT is written in SPLIT's
 * byte order and replaced atomically (a temporary file renamed over it).
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

struct flatten_args {
	const char *cmd;	/* "flatten" or "relocate" */
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

void cmd_relocate_usage(FILE *f)
{
	fputs("usage: btfenc relocate --base BASE -o OUT MODULE\n"
	      "\n"
	      "Moves MODULE's split BTF, written on the distilled base in its .BTF.base\n"
	      "section (--btf_features=distilled_base), onto BASE, the vmlinux BTF of\n"
	      "the kernel that is to load it, with the kernel's matching rules, and\n"
	      "writes it as raw split BTF on BASE to OUT (replaced atomically).\n"
	      "\n"
	      "  -o, --output OUT   where to write the result\n"
	      "  -B, --base BASE    the vmlinux BTF (raw, or an ELF with .BTF)\n", f);
}

static void usage(const struct flatten_args *a, FILE *f)
{
	if (!strcmp(a->cmd, "relocate"))
		cmd_relocate_usage(f);
	else
		cmd_flatten_usage(f);
}

/* Returns: the usage error to exit with, or -1 when every argument is there. */
static int check_args(const struct flatten_args *a)
{
	const char *missing = !a->base	 ? "no --base BASE given"
			      : !a->out	 ? "no -o OUT given"
			      : !a->split ? "no SPLIT given"
					  : NULL;

	if (missing) {
		cmd_error("%s: %s", a->cmd, missing);
		usage(a, stderr);
		return CMD_USAGE;
	}
	if (!a->base[0] || !a->out[0] || !a->split[0]) {
		cmd_error("%s: empty %s", a->cmd, !a->base[0] ? "BASE" : !a->out[0] ? "OUT" : "SPLIT");
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
			usage(a, stdout);
			return CMD_OK;
		} else if (opts &&
			   (r = cmd_opt(a->cmd, argc, argv, &i, "-o", "--output", &a->out))) {
			if (r < 0)
				return CMD_USAGE;
		} else if (opts &&
			   (r = cmd_opt(a->cmd, argc, argv, &i, "-B", "--base", &a->base))) {
			if (r < 0)
				return CMD_USAGE;
		} else if (opts && !strcmp(arg, "--")) {
			opts = false;
		} else if (opts && arg[0] == '-' && arg[1]) {
			cmd_error("%s: unknown option '%s'", a->cmd, arg);
			return CMD_USAGE;
		} else if (a->split) {
			cmd_error("%s: one input only, '%s' is extra", a->cmd, arg);
			return CMD_USAGE;
		} else {
			a->split = arg;
		}
	}
	return check_args(a);
}

/* Writes b's own BTF (split on its base) to a->out. Returns: the exit code. */
static int write_blob(const struct flatten_args *a, struct btf_builder *b)
{
	const void *data;
	char err[512];
	uint32_t size;
	int r;

	r = cmd_verify_builder(b, a->out);
	if (r > 0)
		return CMD_FAIL;
	r = r ? r : btf_builder_finalize(b, &data, &size);
	if (r) {
		snprintf(err, sizeof(err), "'%s': cannot build the BTF", a->out);
		cmd_error_detail(err);
		return CMD_FAIL;
	}
	r = elfbtf_write_detached(a->out, data, size, err, sizeof(err));
	if (r) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	return CMD_OK;
}

/* Flattens split and writes the blob to a->out. Returns: the exit code. */
static int flatten_write(const struct flatten_args *a, const struct btf_builder *split)
{
	struct btf_builder *flat;
	char err[512];
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
	r = write_blob(a, flat);
	btf_builder_free(flat);
	return r;
}

/* Whether path is an ELF object with a .BTF.base section (errors: let the
 * loader report them). */
static bool has_distilled_base(const char *path)
{
	void *data = NULL;
	size_t size;
	int r = elfbtf_read_section(path, ".BTF.base", &data, &size, NULL, 0);

	free(data);
	return r != -ENODATA;
}

static int run(int argc, char **argv, const char *cmd)
{
	struct flatten_args a = { .cmd = cmd };
	struct btf_builder *base = NULL, *split = NULL;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (!strcmp(cmd, "relocate") && !has_distilled_base(a.split)) {
		cmd_error("'%s': no .BTF.base section: nothing to relocate", a.split);
		return CMD_FAIL;
	}
	/* A module with .BTF.base is relocated onto base by the loader. */
	ret = cmd_load(a.base, NULL, &base) || cmd_load(a.split, base, &split) ? CMD_FAIL
										: CMD_OK;
	if (!ret)
		ret = strcmp(cmd, "relocate") ? flatten_write(&a, split) : write_blob(&a, split);
	btf_builder_free(split);
	btf_builder_free(base);
	return ret;
}

int cmd_flatten(int argc, char **argv)
{
	return run(argc, argv, "flatten");
}

int cmd_relocate(int argc, char **argv)
{
	return run(argc, argv, "relocate");
}
