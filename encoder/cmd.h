/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmd.h - the subcommands of the btfenc command line, and what they share.
 *
 * A subcommand gets the arguments from its own name on (argv[0] is "dump")
 * and returns the process exit code: CMD_OK, CMD_FAIL when the input is bad
 * or a write failed, CMD_USAGE for a command line it cannot make sense of.
 * Every message goes to stderr as one line starting "btfenc: "; only the
 * result goes to stdout.
 */
#ifndef BTFENC_CMD_H
#define BTFENC_CMD_H

#include <stdio.h>

enum cmd_exit {
	CMD_OK = 0,
	CMD_FAIL = 1,
	CMD_USAGE = 2,
};

/* Prints "btfenc: <message>\n" to stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct btf_builder;

/*
 * Matches argv[*i] against a short option s (NULL for none), a long one l,
 * or "l=VALUE"; the value is after the '=' or the next argument (*i moves
 * on to it).
 * Returns: 1 matched and *value set; 0 another argument; -1 matched but no
 * value follows (the usage error, naming cmd unless NULL, is printed).
 */
int cmd_opt(const char *cmd, int argc, char **argv, int *i, const char *s, const char *l,
	    const char **value);

/* Reads path's BTF (raw or ELF), split on base if not NULL, printing the
 * one error line on failure. Returns: 0, or -1. */
int cmd_load(const char *path, struct btf_builder *base, struct btf_builder **out);

/* Messages naming tmp_path name path instead (a .ko.gz's plain copy);
 * NULL, NULL ends it. */
void cmd_alias(const char *tmp_path, const char *path);

/* Keeps the btf/ layer's log messages as details for cmd_error_detail(). */
void cmd_log_install(void);

/* Prints what, with the btf/ layer's latest message appended as its
 * detail, as one error line: "btfenc: 'f.btf': invalid BTF data: type [9]: ...". */
void cmd_error_detail(const char *what);

/* Prints the btf/, dwarf/ or encoder layer's latest message, which names
 * what failed, or fallback if there is none. */
void cmd_error_last(const char *fallback);

/* The same about a file: the message as it is when it names a file
 * ('...': ...), else prefixed with path's name; fallback if none. */
void cmd_error_file(const char *path, const char *fallback);

/* btfenc [OPTIONS] FILE: the main job (cmd_encode.c). */
int cmd_encode(int argc, char **argv);
/* Run as "pahole" (a link named so): pahole v1.31's version and defaults. */
int cmd_pahole(int argc, char **argv);
void cmd_encode_usage(FILE *f);

/* btfenc dump FILE [--base BASE]: bpftool's raw dump of FILE's BTF. */
int cmd_dump(int argc, char **argv);
void cmd_dump_usage(FILE *f);

/* btfenc dedup [--base BASE] -o OUT FILE...: FILEs concatenated, deduplicated. */
int cmd_dedup(int argc, char **argv);
void cmd_dedup_usage(FILE *f);

/* btfenc flatten --base BASE -o OUT SPLIT: SPLIT and BASE as one standalone
 * BTF, ids unchanged, for the kernel's loader. */
int cmd_flatten(int argc, char **argv);
void cmd_flatten_usage(FILE *f);

/* btfenc relocate --base BASE -o OUT MODULE: MODULE's BTF, on its .BTF.base,
 * moved onto BASE. */
int cmd_relocate(int argc, char **argv);
void cmd_relocate_usage(FILE *f);

/* btfenc diff [--base BASE | --base-a A --base-b B] A B: the semantic diff of
 * two BTFs. Its own exit codes: 0 equal, 1 different, 2 usage, 3 bad input. */
int cmd_diff(int argc, char **argv);
void cmd_diff_usage(FILE *f);

/* btfenc verify [--base BASE] FILE: the kernel's BTF loader, offline. Its own
 * exit codes: 0 valid, 1 the kernel would refuse it, 2 usage, 3 unreadable. */
int cmd_verify(int argc, char **argv);
void cmd_verify_usage(FILE *f);

/* Checks b (split on its base, if any) as the kernel will before it is
 * written; what names the output in the error line. Leaves b's byte order
 * as it was; the caller's btf_builder_finalize() then gives the blob.
 * Returns: 0; 1 after the error line when the kernel would refuse it; the
 * -errno of btf_builder_finalize(), unsaid, when b cannot be built. */
int cmd_verify_builder(struct btf_builder *b, const char *what);

#endif
