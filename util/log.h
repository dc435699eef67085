/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * log.h - where a layer's messages go. Lower layers never print: each keeps
 * one sink, which its user sets to a callback (or leaves empty to drop the
 * messages). A message is one line, without its newline.
 */
#ifndef BTFENC_LOG_H
#define BTFENC_LOG_H

#include <stdarg.h>
#include <stddef.h>

struct log_sink {
	void (*fn)(void *ctx, const char *msg);	/* NULL: drop */
	void *ctx;				/* passed to fn */
};

/* Formats a message (printf-like, at most 511 bytes) and hands it to s. */
void log_sink_emit(const struct log_sink *s, const char *fmt, va_list ap);

/*
 * Holding a thread's messages back: between log_capture_begin(c) and
 * log_capture_end() on one thread, every message that thread emits (to any
 * sink) is kept in c instead; log_capture_replay(c) hands them, in order, to
 * the sink they were meant for. This is how messages of work done in
 * parallel reach the user in the order of a sequential run. The sinks
 * must still exist at the replay.
 */
struct log_capture {
	char *buf;		/* entries: a sink pointer, a NUL-terminated message */
	size_t len, cap;
};

void log_capture_begin(struct log_capture *c);
void log_capture_end(void);
void log_capture_replay(struct log_capture *c);
void log_capture_free(struct log_capture *c);

#endif
