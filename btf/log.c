// SPDX-License-Identifier: GPL-2.0-only
#include "builder_priv.h"
#include "log.h"

static struct log_sink sink;

void btf_log_set(btf_log_fn fn, void *ctx)
{
	sink.fn = fn;
	sink.ctx = ctx;
}

void btf_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_sink_emit(&sink, fmt, ap);
	va_end(ap);
}
