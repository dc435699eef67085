// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>

#include "builder_priv.h"

static btf_log_fn log_fn;
static void *log_ctx;

void btf_log_set(btf_log_fn fn, void *ctx)
{
	log_fn = fn;
	log_ctx = ctx;
}

void btf_log(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!log_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_fn(log_ctx, msg);
}
