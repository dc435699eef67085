/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz.h - what the fuzz targets share. Each target is one
 * LLVMFuzzerTestOneInput(); built with -Dfuzz=true (clang, libFuzzer) it
 * is a fuzzer, and in every build it is also linked with replay.c into a
 * program that runs it once on each file it is given (the committed
 * regression inputs, in the test suite).
 *
 * A target aborts only when btfenc is wrong: a crash, a sanitizer report,
 * or an oracle failing (a blob btfenc accepted and wrote that it cannot
 * read back). Rejecting the input is the expected outcome for most.
 */
#ifndef BTFENC_FUZZ_H
#define BTFENC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Drops every message of btf/, dwarf/ and encoder/ (the inputs are
 * mostly garbage; printing would be most of the time spent). */
void fuzz_quiet(void);

/* The input as a file: an anonymous memory file, and a path naming it
 * (/proc/self/fd/N). Returns: the descriptor (close it), or -1. */
int fuzz_file(const uint8_t *data, size_t size, char *path, size_t path_len);

/* Aborts with a message: btfenc broke an oracle on this input. */
void fuzz_fail(const char *what) __attribute__((noreturn));

#endif
