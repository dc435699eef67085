// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_verify.c - "btfenc verify": would the kernel load this BTF, and if
 * not, why; and the same check on every blob btfenc writes.
 *
 * A standalone blob is checked as bpf(BPF_BTF_LOAD) checks it (resolve
 * pass included); split BTF on its base as a module load checks it. A
 * module under /sys/kernel/btf/ gets /sys/kernel/btf/vmlinux as its base,
 * and an ELF object with a .BTF.base section (a module encoded with
 * distilled_base) its distilled base, unless --base says otherwise. A blob
 * in the other byte order is checked as the kernel of its own machine reads
 * it, converted. Findings go to stdout as the kernel's log lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "cmd.h"
#include "elf_btf.h"
#include "verify.h"

#define SYSFS_BTF "/sys/kernel/btf/"
#define SYSFS_VMLINUX SYSFS_BTF "vmlinux"

/* Exit codes of "btfenc verify". */
enum { VERIFY_OK = 0, VERIFY_REFUSED = 1, VERIFY_USAGE = 2, VERIFY_BAD = 3 };

struct verify_args {
	const char *file;
	const char *base;
	struct btf_verify_opts opts;
	bool verbose;
};

void cmd_verify_usage(FILE *f)
{
	fputs("usage: btfenc verify [--base BASE] [--kernel X.Y] [--boot] [--max N] [-v] FILE\n"
	      "\n"
	      "Checks FILE's BTF (raw, or an ELF object's .BTF) against every rule of the\n"
	      "kernel's BTF loader, offline, and prints what the kernel would refuse, as\n"
	      "its log would say it: \"[id] KIND name details reason\", a member's line\n"
	      "after its type's. Standalone BTF is checked as bpf(BPF_BTF_LOAD) does;\n"
	      "split BTF on BASE as a module load does.\n"
	      "\n"
	      "  -B, --base BASE   FILE is split BTF on BASE\n"
	      "      --kernel X.Y  the rules of Linux X.Y where they differ (kinds it\n"
	      "                    knows, name rules, kind_flag on tags); default 6.18\n"
	      "      --boot        as the kernel checks its own BTF at boot: no resolve pass\n"
	      "      --max N       stop after N findings (default 20; 0: all)\n"
	      "  -v, --verbose     say so when FILE is valid\n"
	      "\n"
	      "Exit status: 0 valid, 1 the kernel would refuse it, 2 usage, 3 FILE or BASE\n"
	      "cannot be read.\n", f);
}

/* "6.1" -> 601. Returns: 0, or -1. */
static int parse_kernel(const char *s, unsigned *out)
{
	unsigned major, minor;
	char end;

	if (sscanf(s, "%u.%u%c", &major, &minor, &end) != 2 || major < 4 || major > 99 ||
	    minor > 99)
		return -1;
	*out = major * 100 + minor;
	return 0;
}

/* Returns: -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct verify_args *a)
{
	const char *kernel = NULL, *max = NULL;
	bool opts = true;
	char *end;
	int i, r;

	a->opts.max_findings = 20;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (opts && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
			cmd_verify_usage(stdout);
			return VERIFY_OK;
		} else if (opts && ((r = cmd_opt("verify", argc, argv, &i, "-B", "--base", &a->base)) ||
				    (r = cmd_opt("verify", argc, argv, &i, NULL, "--kernel", &kernel)) ||
				    (r = cmd_opt("verify", argc, argv, &i, NULL, "--max", &max)))) {
			if (r < 0)
				return VERIFY_USAGE;
		} else if (opts && !strcmp(arg, "--boot")) {
			a->opts.module = true;
		} else if (opts && (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))) {
			a->verbose = true;
		} else if (opts && !strcmp(arg, "--")) {
			opts = false;
		} else if (opts && arg[0] == '-' && arg[1]) {
			cmd_error("verify: unknown option '%s'", arg);
			return VERIFY_USAGE;
		} else if (a->file) {
			cmd_error("verify: one FILE only, '%s' is extra", arg);
			return VERIFY_USAGE;
		} else {
			a->file = arg;
		}
	}
	if (kernel && parse_kernel(kernel, &a->opts.kernel)) {
		cmd_error("verify: --kernel takes a release such as 6.1, not '%s'", kernel);
		return VERIFY_USAGE;
	}
	if (max) {
		unsigned long n = strtoul(max, &end, 10);

		if (!*max || *end || n > 1000000) {
			cmd_error("verify: --max takes a number, not '%s'", max);
			return VERIFY_USAGE;
		}
		a->opts.max_findings = (unsigned)n;
	}
	if (!a->file) {
		cmd_error("verify: no FILE given");
		cmd_verify_usage(stderr);
		return VERIFY_USAGE;
	}
	return -1;
}

static void print_finding(void *ctx, const struct btf_finding *f)
{
	(void)ctx;
	if (f->type_line)
		printf("%s\n", f->type_line);
	printf("%s\n", f->line);
}

/* The blob in host byte order: data itself, or a converted copy in *copy.
 * Returns: 0; -1 after the error line (a foreign blob too broken to convert). */
static int host_order(const char *path, void *data, size_t size, struct btf_builder *base,
		      const void **out, uint32_t *out_size, struct btf_builder **copy)
{
	const uint8_t *p = data;

	*copy = NULL;
	*out = data;
	*out_size = (uint32_t)size;
	/* The magic 0xeB9F in the other order: bytes eb 9f on a little-endian host. */
	if (size < 2 || !(btf_host_endian() == BTF_ENDIAN_LITTLE ? p[0] == 0xeb && p[1] == 0x9f
								: p[0] == 0x9f && p[1] == 0xeb))
		return 0;
	if (btf_builder_parse(data, size, base, copy)) {
		cmd_error_detail("the BTF is in the other byte order and too broken to convert");
		(void)path;
		return -1;
	}
	btf_builder_set_endian(*copy, btf_host_endian());
	if (btf_builder_finalize(*copy, out, out_size)) {
		cmd_error_detail("cannot convert the BTF to this machine's byte order");
		return -1;
	}
	return 0;
}

/* The base to use: --base, /sys/kernel/btf/vmlinux for a sysfs module, an
 * ELF object's .BTF.base, or none. Returns: 0, or -1 after the error line. */
static int load_base(struct verify_args *a, struct btf_builder **base)
{
	void *data = NULL;
	size_t size;

	*base = NULL;
	if (!a->base && !strncmp(a->file, SYSFS_BTF, strlen(SYSFS_BTF)) &&
	    strcmp(a->file, SYSFS_VMLINUX))
		a->base = SYSFS_VMLINUX;
	if (a->base)
		return cmd_load(a->base, NULL, base);
	if (elfbtf_read_section(a->file, ".BTF.base", &data, &size, NULL, 0))
		return 0;
	if (btf_builder_parse_owned(data, size, NULL, base)) {
		cmd_error_detail("cannot read the .BTF.base section");
		return -1;
	}
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = { 0 };
	struct btf_builder *base = NULL, *copy = NULL;
	const void *blob;
	uint32_t blob_size;
	char err[512];
	void *data = NULL;
	size_t size;
	int ret, n;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (load_base(&a, &base))
		return VERIFY_BAD;
	if (elfbtf_read_any(a.file, &data, &size, err, sizeof(err))) {
		cmd_error("%s", err);
		btf_builder_free(base);
		return VERIFY_BAD;
	}
	ret = VERIFY_REFUSED;
	if (!host_order(a.file, data, size, base, &blob, &blob_size, &copy)) {
		n = btf_verify(blob, blob_size, base, &a.opts, print_finding, NULL);
		if (n < 0)
			cmd_error("'%s': cannot verify: %s", a.file, strerror(-n));
		else if (n)
			cmd_error("'%s': the kernel would refuse this BTF (%d finding%s%s)", a.file,
				  n, n == 1 ? "" : "s",
				  a.opts.max_findings && (unsigned)n >= a.opts.max_findings
					  ? ", stopped there" : "");
		else
			ret = VERIFY_OK;
		if (!n && a.verbose)
			printf("%s: valid %sBTF\n", a.file, base ? "split " : "");
	}
	btf_builder_free(copy);
	btf_builder_free(base);
	free(data);
	return ret;
}

static void keep_line(void *ctx, const struct btf_finding *f)
{
	char *line = ctx;

	if (!line[0])
		snprintf(line, 512, "%s%s%s", f->type_line ? f->type_line : "",
			 f->type_line ? ": " : "", f->line[0] == '\t' ? f->line + 1 : f->line);
}

int cmd_verify_builder(struct btf_builder *b, const char *what)
{
	struct btf_verify_opts o = { .max_findings = 1 };
	enum btf_endian saved = btf_builder_endian(b);
	char line[512] = "";
	const void *blob;
	uint32_t size;
	int n;

	btf_builder_set_endian(b, btf_host_endian());
	n = btf_builder_finalize(b, &blob, &size);
	if (n) {
		btf_builder_set_endian(b, saved);
		return n;
	}
	n = btf_verify(blob, size, btf_builder_base(b), &o, keep_line, line);
	btf_builder_set_endian(b, saved);
	if (n < 0) {
		cmd_error("'%s': cannot verify the BTF: %s", what, strerror(-n));
		return 1;
	}
	if (n) {
		cmd_error("'%s': the kernel would refuse this BTF, not written: %s", what, line);
		return 1;
	}
	return 0;
}
