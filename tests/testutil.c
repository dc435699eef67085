// SPDX-License-Identifier: GPL-2.0-only
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <linux/bpf.h>

char *test_dump(const struct btf_builder *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (btf_dump_raw(b, f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

static int kernel_load_once(const void *data, uint32_t size, char *log, uint32_t log_size)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = size;
	if (log && log_size) {
		log[0] = 0;
		attr.btf_log_buf = (uint64_t)(uintptr_t)log;
		attr.btf_log_size = log_size;
		attr.btf_log_level = 1;
	}
	fd = (int)syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int test_kernel_load(const void *data, uint32_t size, char *log, uint32_t log_size)
{
	/* The verdict comes from a load without a log: a log that overflows
	 * fails the load with ENOSPC. On refusal, load again for the reason,
	 * which the kernel keeps at the log's end. */
	int err = kernel_load_once(data, size, NULL, 0);

	if (err && log && log_size)
		kernel_load_once(data, size, log, log_size);
	return err;
}

char *test_log_last_line(char *log, long *id)
{
	char *end = log + strlen(log), *p, *q;

	while (end > log && end[-1] == '\n')
		*--end = 0;
	p = end;
	while (p > log && p[-1] != '\n')
		p--;
	if (id) {
		*id = -1;
		for (q = log; q && *q; q = strchr(q, '\n') ? strchr(q, '\n') + 1 : NULL)
			if (*q == '[')
				*id = strtol(q + 1, NULL, 10);
	}
	return p;
}

bool test_kernel_available(void)
{
	static int state; /* 0 unknown, 1 yes, -1 no */
	/* The smallest valid blob: one INT "int". */
	static const struct {
		struct btf_header h;
		uint32_t type[4];
		char str[5];
	} __attribute__((packed)) tiny = {
		{ BTF_MAGIC, 1, 0, sizeof(struct btf_header), 0, 16, 16, 5 },
		{ 1, BTF_KIND_INT << 24, 4, (1u << 24) | 32 },
		"\0int",
	};
	int err;

	if (state)
		return state > 0;
	err = test_kernel_load(&tiny, sizeof(tiny), NULL, 0);
	state = err ? -1 : 1;
	if (err)
		fprintf(stderr, "SKIP: bpf(BPF_BTF_LOAD) not available here (%s)\n",
			strerror(-err));
	return state > 0;
}

int test_kernel_load_builder(struct btf_builder *b, char *log, uint32_t log_size)
{
	const void *data;
	uint32_t size;
	int err = btf_builder_finalize(b, &data, &size);

	if (err)
		return err;
	return test_kernel_load(data, size, log, log_size);
}

int test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void *test_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *grown;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			grown = realloc(buf, cap);
			if (!grown)
				break;
			buf = grown;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				break;
			fclose(f);
			*size = len;
			return buf;
		}
	}
	fclose(f);
	free(buf);
	return NULL;
}
