// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_util.c - the helpers of fuzz.h.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "encode.h"
#include "fuzz.h"

static void drop(void *ctx, const char *msg)
{
}

void fuzz_quiet(void)
{
	encode_log_set(drop, NULL);
}

int fuzz_file(const uint8_t *data, size_t size, char *path, size_t path_len)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t done = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (done < size) {
		n = write(fd, data + done, size - done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, path_len, "/proc/self/fd/%d", fd);
	return fd;
}

void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: oracle failed: %s\n", what);
	abort();
}
