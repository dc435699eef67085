// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd.c - what the subcommands share: the error line and the log callback.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "cmd.h"
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

static void log_keep(void *ctx, const char *msg)
{
	if (!strncmp(msg, "btf: ", 5))
		msg += 5;
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

void cmd_error_detail(const char *what)
{
	if (last_log[0])
		cmd_error("%s: %s", what, last_log);
	else
		cmd_error("%s", what);
	last_log[0] = 0;
}
