/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * log.h - where a layer's messages go. Lower layers never print: each keeps
 * one sink, which its user sets to a callback (or leaves empty to drop the
 * messages). A message is one line, without its newline.
 */
#ifndef BTFENC_LOG_H
#define BTFENC_LOG_H

#include <stdarg.h>

struct log_sink {
	void (*fn)(void *ctx, const char *msg);	/* NULL: drop */
	void *ctx;				/* passed to fn */
};

/* Formats a message (printf-like, at most 511 bytes) and hands it to s. */
void log_sink_emit(const struct log_sink *s, const char *fmt, va_list ap);

#endif
