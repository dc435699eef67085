// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_load FILE - hands a raw BTF blob to the running kernel's BTF loader
 * (bpf(BPF_BTF_LOAD)), the independent oracle of the script tests.
 *
 * Exit 0 when the kernel accepts the blob; 1 when it refuses it, after
 * printing the reason (the tail of the kernel's verifier log) on stderr;
 * 2 on a usage or I/O error; 77 when the syscall is not permitted or not
 * there, so the caller can skip rather than fail.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

#define LOG_SIZE (1u << 22) /* large enough that vmlinux-sized logs do not overflow */
#define LOG_TAIL 1500	    /* bytes of the log printed on refusal */

int main(int argc, char **argv)
{
	size_t size, len;
	void *data;
	char *log;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: btf_load FILE\n");
		return 2;
	}
	data = test_read_file(argv[1], &size);
	if (!data) {
		fprintf(stderr, "btf_load: cannot read '%s': %s\n", argv[1], strerror(errno));
		return 2;
	}
	if ((uint32_t)size != size) {
		fprintf(stderr, "btf_load: '%s' is too large for the kernel\n", argv[1]);
		free(data);
		return 1;
	}
	/* The verdict comes from a load without a log: a log that overflows
	 * fails the load with ENOSPC. */
	err = test_kernel_load(data, (uint32_t)size, NULL, 0);
	if (err == -EPERM || err == -EACCES || err == -ENOSYS) {
		fprintf(stderr, "btf_load: bpf(BPF_BTF_LOAD) not permitted here: %s\n",
			strerror(-err));
		free(data);
		return 77;
	}
	if (err) {
		log = calloc(1, LOG_SIZE);
		if (log)
			test_kernel_load(data, (uint32_t)size, log, LOG_SIZE);
		fprintf(stderr, "btf_load: the kernel refuses '%s': %s\n", argv[1], strerror(-err));
		if (log) {
			len = strlen(log);
			fputs(len > LOG_TAIL ? log + len - LOG_TAIL : log, stderr);
			if (len && log[len - 1] != '\n')
				fputc('\n', stderr);
			free(log);
		}
		free(data);
		return 1;
	}
	free(data);
	return 0;
}
