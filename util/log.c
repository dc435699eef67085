// SPDX-License-Identifier: GPL-2.0-only
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The capture of the calling thread, if any (see log_capture_begin()). */
static _Thread_local struct log_capture *capture;

void log_sink_emit(const struct log_sink *s, const char *fmt, va_list ap)
{
	char msg[512];

	if (!s->fn)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (capture) {
		/* Each entry: the sink pointer, then the message with its NUL. */
		size_t n = sizeof(s) + strlen(msg) + 1;
		char *p;

		if (capture->len + n > capture->cap) {
			size_t cap = capture->cap ? capture->cap * 2 : 1024;

			while (cap < capture->len + n)
				cap *= 2;
			p = realloc(capture->buf, cap);
			if (!p)
				return;
			capture->buf = p;
			capture->cap = cap;
		}
		memcpy(capture->buf + capture->len, &s, sizeof(s));
		memcpy(capture->buf + capture->len + sizeof(s), msg, n - sizeof(s));
		capture->len += n;
		return;
	}
	s->fn(s->ctx, msg);
}

void log_capture_begin(struct log_capture *c)
{
	c->len = 0;
	capture = c;
}

void log_capture_end(void)
{
	capture = NULL;
}

void log_capture_replay(struct log_capture *c)
{
	const struct log_sink *s;
	size_t at = 0;

	while (at < c->len) {
		memcpy(&s, c->buf + at, sizeof(s));
		at += sizeof(s);
		if (s->fn)
			s->fn(s->ctx, c->buf + at);
		at += strlen(c->buf + at) + 1;
	}
	c->len = 0;
}

void log_capture_free(struct log_capture *c)
{
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
