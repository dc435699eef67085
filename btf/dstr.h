/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dstr.h - text that grows, for the messages and renderings of btf/ (diff,
 * verify). Always NUL-terminated once anything was added. err sticks: after
 * a failed add (-ENOMEM, -E2BIG past DSTR_MAX) later adds do nothing, so
 * callers check once at the end. An add may move buf.
 */
#ifndef BTFENC_DSTR_H
#define BTFENC_DSTR_H

#include <stddef.h>

/* No text buffer grows past this: a bound on adversarial input. */
#define DSTR_MAX (256u << 20)

struct dstr {
	char *buf;	/* the text */
	size_t len;	/* bytes used, without the NUL */
	size_t cap;	/* bytes allocated */
	int err;	/* 0, or the first add's negative errno */
};

void dstr_add(struct dstr *s, const char *p, size_t n);
void dstr_adds(struct dstr *s, const char *p);
/* A short formatted piece (numbers and fixed words: under 128 bytes). */
void dstr_addf(struct dstr *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties s, keeping its memory; a failed add still shows in err. */
void dstr_reset(struct dstr *s);
void dstr_release(struct dstr *s);

#endif
