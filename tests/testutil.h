/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * testutil.h - helpers shared by the Check suites: BTF as dump text, and the
 * kernel's BTF loader as an oracle.
 */
#ifndef BTFENC_TESTUTIL_H
#define BTFENC_TESTUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <check.h>

#include "btf.h"

/* The bytes of path in a malloc'd buffer (*size), or NULL with errno set. */
void *test_read_file(const char *path, size_t *size);

/* Runs s and frees it. Returns: the exit code, failure if any test failed. */
int test_run(Suite *s);

/* Own types of b in btfenc's dump text; NULL on failure. Caller frees. */
char *test_dump(const struct btf_builder *b);

/*
 * Loads a blob with bpf(BPF_BTF_LOAD). log receives the kernel's verifier
 * log (may be NULL).
 * Returns: 0 when the kernel accepts it, -EPERM/-ENOSYS when the syscall is
 * not permitted here (tests skip), another -errno when the kernel rejects it.
 */
int test_kernel_load(const void *data, uint32_t size, char *log, uint32_t log_size);

/*
 * The last line of a kernel verifier log, where the reason of a refusal
 * is (trailing newlines cut, in place); *id (if not NULL) gets the id of
 * the log's last "[N] ..." type line, or -1.
 */
char *test_log_last_line(char *log, long *id);

/* Whether BPF_BTF_LOAD can be tried here; prints a skip note once if not. */
bool test_kernel_available(void);

/* Finalizes b and loads it into the kernel; returns test_kernel_load()'s result. */
int test_kernel_load_builder(struct btf_builder *b, char *log, uint32_t log_size);

#endif
