// SPDX-License-Identifier: GPL-2.0-only
#include "log.h"

#include <stdio.h>

void log_sink_emit(const struct log_sink *s, const char *fmt, va_list ap)
{
	char msg[512];

	if (!s->fn)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	s->fn(s->ctx, msg);
}
