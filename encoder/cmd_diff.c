// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_diff.c - "btfenc diff": what differs between two BTFs, by name and
 * shape rather than by type id (btf/diff.h has the model).
 *
 * The exit code tells a difference from an error, like diff(1) and cmp(1):
 * 0 the BTFs are equal, 1 they differ, 2 the command line is wrong, 3 an
 * input could not be read or parsed (or anything else failed). This is why
 * the command has its own codes rather than cmd.h's CMD_FAIL, which is 1.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "cmd.h"
#include "diff.h"
#include "elf_btf.h"

#define SYSFS_BTF "/sys/kernel/btf/"
#define SYSFS_VMLINUX SYSFS_BTF "vmlinux"

enum diff_exit {
	DIFF_SAME = 0,		/* no difference */
	DIFF_DIFFERENT = 1,	/* at least one difference */
	DIFF_USAGE = CMD_USAGE,	/* 2: bad command line */
	DIFF_ERROR = 3,		/* bad input, or a failure */
};

struct diff_args {
	const char *file[2];		/* A and B */
	const char *base[2];		/* their bases, or NULL */
	bool base_both;			/* --base given */
	bool json;			/* --json */
	bool verbose;			/* -v: the number of differences at the end */
	struct btf_diff_opts opts;	/* --ignore-kinds */
};

void cmd_diff_usage(FILE *f)
{
	fputs("usage: btfenc diff [OPTIONS] A B\n"
	      "\n"
	      "Compares the BTF of A and B by type name and shape, never by type id,\n"
	      "and prints one line per difference, sorted by kind and name:\n"
	      "  + struct foo size=16 vlen=2                    only in B\n"
	      "  - typedef bar type='unsigned int'              only in A\n"
	      "  ~ struct baz: member 'x' type 'int' -> 'long int'   changed\n"
	      "A and the bases are raw BTF or ELF objects with a .BTF section; with a\n"
	      "base, a file is split BTF and only its own types are compared.\n"
	      "\n"
	      "  -B, --base BASE        the base of both A and B\n"
	      "      --base-a BASEA     the base of A\n"
	      "      --base-b BASEB     the base of B\n"
	      "      --ignore-kinds=K,...  leave out top-level types of these kinds\n"
	      "                         (func, var, datasec, decl_tag, struct, ...)\n"
	      "      --ignore-strings-order  accepted; string offsets never count\n"
	      "      --json             a JSON array of {op, kind, name, detail}\n"
	      "  -v, --verbose          end with the number of differences\n"
	      "\n"
	      "Exit status: 0 equal, 1 different, 2 usage error, 3 bad input or other\n"
	      "failure.\n", f);
}

/* Returns: true, or false after the usage error. */
static bool parse_kinds(const char *list, uint32_t *mask)
{
	char *copy = strdup(list), *tok, *save = NULL;
	bool ok = copy != NULL;

	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && ok;
	     tok = strtok_r(NULL, ",", &save)) {
		int kind = btf_diff_kind_parse(tok);

		if (kind < 0) {
			cmd_error("diff: unknown kind '%s' in --ignore-kinds", tok);
			ok = false;
		} else {
			*mask |= 1u << kind;
		}
	}
	free(copy);
	return ok;
}

/* One option at argv[*i]. Returns: -1 to go on, or the exit code. */
static int parse_opt(int argc, char **argv, int *i, struct diff_args *a)
{
	const char *arg = argv[*i], *v;
	int r;

	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		cmd_diff_usage(stdout);
		return DIFF_SAME;
	} else if ((r = cmd_opt("diff", argc, argv, i, "-B", "--base", &v))) {
		if (r < 0)
			return DIFF_USAGE;
		a->base[0] = a->base[1] = v;
		a->base_both = true;
	} else if ((r = cmd_opt("diff", argc, argv, i, NULL, "--base-a", &v)) ||
		   (r = cmd_opt("diff", argc, argv, i, NULL, "--base-b", &v))) {
		if (r < 0)
			return DIFF_USAGE;
		a->base[arg[7] == 'b'] = v;
	} else if ((r = cmd_opt("diff", argc, argv, i, NULL, "--ignore-kinds", &v))) {
		if (r < 0 || !parse_kinds(v, &a->opts.ignore_kinds))
			return DIFF_USAGE;
	} else if (!strcmp(arg, "--ignore-strings-order")) {
		/* Always so: string offsets are never compared. */
	} else if (!strcmp(arg, "--json")) {
		a->json = true;
	} else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
		a->verbose = true;
	} else {
		cmd_error("diff: unknown option '%s'", arg);
		return DIFF_USAGE;
	}
	return -1;
}

/* Returns: -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct diff_args *a)
{
	bool opts = true, base_ab = false;
	int i, nr_files = 0, ret;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (opts && !strcmp(arg, "--")) {
			opts = false;
		} else if (opts && arg[0] == '-' && arg[1]) {
			base_ab |= !strncmp(arg, "--base-", 7);
			ret = parse_opt(argc, argv, &i, a);
			if (ret >= 0)
				return ret;
		} else if (nr_files == 2) {
			cmd_error("diff: two files only, '%s' is extra", arg);
			return DIFF_USAGE;
		} else {
			a->file[nr_files++] = arg;
		}
	}
	if (nr_files < 2) {
		cmd_error("diff: %s", nr_files ? "no B given" : "no A and B given");
		cmd_diff_usage(stderr);
		return DIFF_USAGE;
	}
	if (a->base_both && base_ab) {
		cmd_error("diff: --base cannot go with --base-a or --base-b");
		return DIFF_USAGE;
	}
	if ((a->base[0] && !a->base[0][0]) || (a->base[1] && !a->base[1][0]) ||
	    !a->file[0][0] || !a->file[1][0]) {
		cmd_error("diff: empty file name");
		return DIFF_USAGE;
	}
	return -1;
}

/* A module's BTF under /sys/kernel/btf/ sits on vmlinux, as in "dump". */
static const char *default_base(const char *file)
{
	if (!strncmp(file, SYSFS_BTF, strlen(SYSFS_BTF)) && strcmp(file, SYSFS_VMLINUX))
		return SYSFS_VMLINUX;
	return NULL;
}

/* Loads A, B and their bases (one builder when both name the same base).
 * Returns: the exit code; bld[0..1] the bases, bld[2..3] A and B. */
static int load_all(struct diff_args *a, struct btf_builder *bld[4])
{
	int i;

	for (i = 0; i < 2; i++)
		if (!a->base[i])
			a->base[i] = default_base(a->file[i]);
	if (a->base[0] && cmd_load(a->base[0], NULL, &bld[0]))
		return DIFF_ERROR;
	if (a->base[1] && !(a->base[0] && !strcmp(a->base[0], a->base[1])) &&
	    cmd_load(a->base[1], NULL, &bld[1]))
		return DIFF_ERROR;
	for (i = 0; i < 2; i++)
		if (cmd_load(a->file[i], bld[i] ? bld[i] : a->base[i] ? bld[0] : NULL, &bld[2 + i]))
			return DIFF_ERROR;
	return DIFF_SAME;
}

/* s as a JSON string. */
static void json_str(const char *s, FILE *f)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void print_json(const struct btf_diff *d, FILE *f)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < d->items_len; i++) {
		const struct btf_diff_item *it = &d->items[i];

		fprintf(f, "%s\n{\"op\":\"%c\",\"kind\":", i ? "," : "", it->op);
		json_str(btf_diff_kind_name(it->kind), f);
		fputs(",\"name\":", f);
		json_str(it->name, f);
		fputs(",\"detail\":", f);
		json_str(it->detail, f);
		fputc('}', f);
	}
	fputs(d->items_len ? "\n]\n" : "]\n", f);
}

/* Returns: 0, or -ENOMEM. */
static int print_text(const struct btf_diff *d, FILE *f)
{
	size_t i, n, cap = 0;
	char *line = NULL, *p;

	for (i = 0; i < d->items_len; i++) {
		n = btf_diff_item_format(&d->items[i], line, cap);
		if (n >= cap) {
			p = realloc(line, n + 1);
			if (!p) {
				free(line);
				return -ENOMEM;
			}
			line = p;
			cap = n + 1;
			btf_diff_item_format(&d->items[i], line, cap);
		}
		fwrite(line, 1, n, f);
		fputc('\n', f);
	}
	free(line);
	return 0;
}

/* Prints d as asked. Returns: the exit code. */
static int print_diff(const struct diff_args *a, const struct btf_diff *d)
{
	size_t n = d->items_len;
	int err = 0;

	if (a->json)
		print_json(d, stdout);
	else
		err = print_text(d, stdout);
	if (a->verbose && !err)
		fprintf(a->json ? stderr : stdout, "%s%zu difference%s\n",
			a->json ? "btfenc: diff: " : "", n, n == 1 ? "" : "s");
	if (!err && (fflush(stdout) || ferror(stdout)))
		err = -EIO;
	if (err) {
		cmd_error("diff: cannot write the differences: %s", strerror(-err));
		return DIFF_ERROR;
	}
	return n ? DIFF_DIFFERENT : DIFF_SAME;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { 0 };
	struct btf_builder *bld[4] = { NULL };
	struct btf_diff *d = NULL;
	int ret, err, i;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	ret = load_all(&a, bld);
	if (!ret) {
		err = btf_diff_new(bld[2], bld[3], &a.opts, &d);
		if (err == -EINVAL) {
			cmd_error_detail("diff: invalid BTF");
			ret = DIFF_ERROR;
		} else if (err) {
			cmd_error("diff: cannot compare '%s' and '%s': %s", a.file[0], a.file[1],
				  strerror(-err));
			ret = DIFF_ERROR;
		} else {
			ret = print_diff(&a, d);
		}
	}
	btf_diff_free(d);
	for (i = 3; i >= 0; i--)
		btf_builder_free(bld[i]);
	return ret;
}
