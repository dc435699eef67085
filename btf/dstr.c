// SPDX-License-Identifier: GPL-2.0-only
/*
 * dstr.c - text that grows (see dstr.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dstr.h"
#include "grow.h"

void dstr_add(struct dstr *s, const char *p, size_t n)
{
	int err;

	if (s->err)
		return;
	if (n > DSTR_MAX - s->len) {
		s->err = -E2BIG;
		return;
	}
	err = grow_array((void **)&s->buf, &s->cap, 1, s->len + n + 1);
	if (err) {
		s->err = err;
		return;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = 0;
}

void dstr_adds(struct dstr *s, const char *p)
{
	dstr_add(s, p, strlen(p));
}

void dstr_addf(struct dstr *s, const char *fmt, ...)
{
	char small[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(small)) {
		if (!s->err)
			s->err = -E2BIG;
		return;
	}
	dstr_add(s, small, (size_t)n);
}

void dstr_reset(struct dstr *s)
{
	s->len = 0;
	if (s->buf)
		s->buf[0] = 0;
}

void dstr_release(struct dstr *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}
