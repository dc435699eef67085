// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the btfenc command: global options, then one subcommand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#ifndef BTFENC_VERSION
#define BTFENC_VERSION "unknown"
#endif

/* stdout is written in large blocks, never line by line: a vmlinux dump is
 * about a million lines. */
#define STDOUT_BUF (1u << 20)

struct subcommand {
	const char *name;		/* as typed */
	int (*run)(int argc, char **argv);
};

static const struct subcommand subcommands[] = {
	{ "dump", cmd_dump },
	{ "dedup", cmd_dedup },
	{ "diff", cmd_diff },
	{ "flatten", cmd_flatten },
	{ "relocate", cmd_relocate },
	{ "verify", cmd_verify },
};

static void usage(FILE *f)
{
	fputs("usage: btfenc [OPTIONS] FILE\n"
	      "       btfenc [--help | --version] COMMAND [ARGS]\n"
	      "\n"
	      "Without a command, encodes FILE's DWARF as BTF into its .BTF section\n"
	      "(\"btfenc --help-encode\" lists the options).\n"
	      "\n"
	      "Commands:\n"
	      "  dump FILE [--base BASE]   print FILE's BTF like \"bpftool btf dump file\"\n"
	      "  dedup -o OUT FILE...      concatenate and deduplicate BTF files into OUT\n"
	      "  diff A B                  compare two BTFs by type name and shape\n"
	      "  flatten --base BASE -o OUT SPLIT\n"
	      "                            SPLIT on BASE as one standalone BTF, ids kept\n"
	      "  relocate --base BASE -o OUT MODULE\n"
	      "                            MODULE's BTF on its .BTF.base moved onto BASE\n"
	      "  verify FILE [--base BASE] what the kernel's BTF loader would refuse, and why\n"
	      "\n"
	      "Run \"btfenc COMMAND --help\" for a command's options.\n", f);
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int main(int argc, char **argv)
{
	static char outbuf[STDOUT_BUF];
	const char *cmd;
	size_t i;

	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	/* Debug files are looked for on this machine only: libdwfl would ask
	 * the debuginfod servers this names. */
	unsetenv("DEBUGINFOD_URLS");
	cmd_log_install();
	/* A drop-in for the kernel build: make PAHOLE=/path/to/pahole-link. */
	if (argc > 0 && !strcmp(basename_of(argv[0]), "pahole"))
		return cmd_pahole(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return CMD_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return CMD_OK;
	}
	if (!strcmp(cmd, "--help-encode")) {
		cmd_encode_usage(stdout);
		return CMD_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("btfenc %s\n", BTFENC_VERSION);
		return CMD_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(cmd, subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	}
	/* Anything else is the main job: btfenc [OPTIONS] FILE. */
	return cmd_encode(argc - 1, argv + 1);
}
