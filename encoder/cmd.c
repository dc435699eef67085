// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd.c - what the subcommands share: the error line and the log callback.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "cmd.h"
#include "elf_btf.h"
#include "encode.h"

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("btfenc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The btf/ layer's latest message: the detail of the error that follows it. */
static char last_log[512];

/* A temporary file's path, and the file it stands for in messages. */
static const char *alias_from, *alias_to;

void cmd_alias(const char *tmp_path, const char *path)
{
	alias_from = tmp_path;
	alias_to = path;
}

static void log_keep(void *ctx, const char *msg)
{
	const char *at;

	if (!strncmp(msg, "btf: ", 5))
		msg += 5;
	at = alias_from ? strstr(msg, alias_from) : NULL;
	if (at)
		snprintf(last_log, sizeof(last_log), "%.*s%s%s", (int)(at - msg), msg, alias_to,
			 at + strlen(alias_from));
	else
		snprintf(last_log, sizeof(last_log), "%s", msg);
}

void cmd_log_install(void)
{
	encode_log_set(log_keep, NULL);
}

void cmd_error_last(const char *fallback)
{
	cmd_error("%s", last_log[0] ? last_log : fallback);
	last_log[0] = 0;
}

void cmd_error_file(const char *path, const char *fallback)
{
	if (!last_log[0])
		cmd_error("'%s': %s", path, fallback);
	else if (last_log[0] == '\'')
		cmd_error("%s", last_log);
	else
		cmd_error("'%s': %s", path, last_log);
	last_log[0] = 0;
}

void cmd_error_detail(const char *what)
{
	if (last_log[0])
		cmd_error("%s: %s", what, last_log);
	else
		cmd_error("%s", what);
	last_log[0] = 0;
}

int cmd_opt(const char *cmd, int argc, char **argv, int *i, const char *s, const char *l,
	    const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(l);

	if (!strncmp(arg, l, n) && arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if ((!s || strcmp(arg, s)) && strcmp(arg, l))
		return 0;
	if (*i + 1 >= argc) {
		cmd_error("%s%soption '%s' needs a value", cmd ? cmd : "", cmd ? ": " : "", arg);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int cmd_load(const char *path, struct btf_builder *base, struct btf_builder **out)
{
	char err[512];

	if (!elfbtf_load(path, base, out, err, sizeof(err)))
		return 0;
	cmd_error_detail(err);
	return -1;
}
