// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_dump.c - "btfenc dump": a BTF file as bpftool 7.1's raw text.
 *
 * The output matches "bpftool btf dump file FILE" (and "bpftool -B BASE btf
 * dump file FILE") byte for byte. Like bpftool, a module's BTF under
 * /sys/kernel/btf/ is dumped on top of /sys/kernel/btf/vmlinux when no base
 * is given. An ELF object without .BTF has its DWARF encoded first, as
 * "btfenc FILE" would encode it, so "dump --format c" makes a vmlinux.h
 * from a kernel's debug info in one step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "cmd.h"
#include "elf_btf.h"
#include "encode.h"

#define SYSFS_BTF "/sys/kernel/btf/"
#define SYSFS_VMLINUX SYSFS_BTF "vmlinux"

struct dump_args {
	const char *file;	/* the BTF to dump */
	const char *base;	/* its base, or NULL */
	const char *format;	/* "raw" (the default), "c" or "json" */
};

void cmd_dump_usage(FILE *f)
{
	fputs("usage: btfenc dump FILE [--base BASE | -B BASE] [--format raw|c|json]\n"
	      "\n"
	      "Prints the types of FILE's BTF like \"bpftool btf dump file FILE\".\n"
	      "FILE and BASE are raw BTF or ELF objects with a .BTF section. With a\n"
	      "base, FILE is split BTF on top of it. An ELF object without .BTF has\n"
	      "its DWARF encoded first, as \"btfenc FILE\" would encode it.\n"
	      "\n"
	      "  -B, --base BASE     FILE is split BTF on BASE\n"
	      "      --format raw    one line per type and member (the default)\n"
	      "      --format c      a C header that compiles (vmlinux.h), base types too\n"
	      "      --format json   as \"bpftool -j btf dump file\"\n", f);
}

/* Returns: -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct dump_args *a)
{
	bool opts = true;
	int i, r;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (opts && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
			cmd_dump_usage(stdout);
			return CMD_OK;
		} else if (opts &&
			   (r = cmd_opt("dump", argc, argv, &i, "-B", "--base", &a->base))) {
			if (r < 0)
				return CMD_USAGE;
		} else if (opts && (r = cmd_opt("dump", argc, argv, &i, NULL, "--format",
						 &a->format))) {
			if (r < 0)
				return CMD_USAGE;
			if (strcmp(a->format, "raw") && strcmp(a->format, "c") &&
			    strcmp(a->format, "json")) {
				cmd_error("dump: unknown format '%s' (raw, c or json)", a->format);
				return CMD_USAGE;
			}
		} else if (opts && !strcmp(arg, "--")) {
			opts = false;
		} else if (opts && arg[0] == '-' && arg[1]) {
			cmd_error("dump: unknown option '%s'", arg);
			return CMD_USAGE;
		} else if (a->file) {
			cmd_error("dump: one FILE only, '%s' is extra", arg);
			return CMD_USAGE;
		} else {
			a->file = arg;
		}
	}
	if (!a->file) {
		cmd_error("dump: no FILE given");
		cmd_dump_usage(stderr);
		return CMD_USAGE;
	}
	if (a->base && !a->base[0]) {
		cmd_error("dump: empty BASE");
		return CMD_USAGE;
	}
	return -1;
}

/* path's BTF, or its DWARF encoded if it has none. Returns: 0, or -1
 * after the error line. */
static int load_or_encode(const char *path, struct btf_builder *base, struct btf_builder **out)
{
	struct encode_opts o;
	char err[512];
	int r = elfbtf_load(path, base, out, err, sizeof(err));

	if (r != -ENODATA) {
		if (r)
			cmd_error_detail(err);
		return r ? -1 : 0;
	}
	encode_opts_default(&o);
	if (encode_file(path, base, &o, out, NULL)) {
		cmd_error_file(path, "no .BTF section, and its DWARF cannot be encoded");
		return -1;
	}
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	struct dump_args a = { 0 };
	struct btf_builder *base = NULL, *b = NULL;
	int ret, err;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (!a.base && !strncmp(a.file, SYSFS_BTF, strlen(SYSFS_BTF)) &&
	    strcmp(a.file, SYSFS_VMLINUX))
		a.base = SYSFS_VMLINUX;
	if (a.base && cmd_load(a.base, NULL, &base))
		return CMD_FAIL;
	ret = load_or_encode(a.file, base, &b) ? CMD_FAIL : CMD_OK;
	if (!ret) {
		if (a.format && !strcmp(a.format, "c"))
			err = btf_dump_c(b, stdout);
		else if (a.format && !strcmp(a.format, "json"))
			err = btf_dump_json(b, stdout);
		else
			err = btf_dump_raw(b, stdout);
		if (err) {
			cmd_error("cannot write the dump: %s", strerror(-err));
			ret = CMD_FAIL;
		}
	}
	btf_builder_free(b);
	btf_builder_free(base);
	return ret;
}
