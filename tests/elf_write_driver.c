// SPDX-License-Identifier: GPL-2.0-only
/*
 * elf_write_driver.c - the elf_write.h functions from the shell, for
 * test_elf_write.sh:
 *   elf_write_driver OBJ BLOB             puts BLOB's bytes into OBJ's .BTF
 *   elf_write_driver --sections OBJ NAME BLOB [NAME BLOB...]
 *                                         puts each BLOB's bytes into OBJ's
 *                                         section NAME, in one
 *                                         elfbtf_write_sections() call
 *   elf_write_driver --detached OUT BLOB  makes OUT a copy of BLOB
 *   elf_write_driver --endian OBJ         prints "little" or "big", checking
 *                                         that both elfbtf_target_endian*() agree
 * BLOB is read as plain bytes. Errors go to stderr as one line; exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_write.h"

static int usage(void)
{
	fputs("usage: elf_write_driver OBJ BLOB | --detached OUT BLOB | --endian OBJ |\n"
	      "       --sections OBJ NAME BLOB [NAME BLOB...]\n",
	      stderr);
	return 2;
}

/* The whole file at path in a new buffer. Returns: 0 or -errno. */
static int slurp(const char *path, void **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t len = 0, cap = 1 << 16, n;
	char *buf = NULL, *tmp;
	int ret = 0;

	if (!f)
		return -errno;
	for (;;) {
		if (!buf || len == cap) {
			cap = buf ? cap * 2 : cap;
			tmp = realloc(buf, cap);
			if (!tmp) {
				ret = -ENOMEM;
				break;
			}
			buf = tmp;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				ret = -EIO;
			break;
		}
	}
	fclose(f);
	if (ret) {
		free(buf);
		return ret;
	}
	*data = buf;
	*size = len;
	return 0;
}

/* Whether elfbtf_target_endian_elf() on path opened by libelf also says big. */
static bool endian_elf_agrees(const char *path, int big)
{
	int fd = open(path, O_RDONLY), other = -1;
	Elf *elf;

	if (fd < 0 || elf_version(EV_CURRENT) == EV_NONE)
		return false;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elfbtf_target_endian_elf(elf, &other))
		other = -1;
	elf_end(elf);
	close(fd);
	if (other != big)
		fprintf(stderr, "elf_write_driver: '%s': elfbtf_target_endian_elf() says %d\n",
			path, other);
	return other == big;
}

/* --sections: the NAME BLOB pairs of argv[3..argc), read, in one call. Returns: the exit code. */
static int write_sections(int argc, char **argv)
{
	size_t i, n = (size_t)(argc - 3) / 2;
	struct elfbtf_section *secs = calloc(n + 1, sizeof(*secs)); /* n may be 0 */
	char err[512];
	int ret = 0;

	if (!secs) {
		fprintf(stderr, "elf_write_driver: %s\n", strerror(ENOMEM));
		return 1;
	}
	for (i = 0; i < n && !ret; i++) {
		const char *in = argv[4 + 2 * i];
		void *blob = NULL;

		secs[i].name = argv[3 + 2 * i];
		ret = slurp(in, &blob, &secs[i].size);
		secs[i].blob = blob;
		if (ret)
			fprintf(stderr, "elf_write_driver: '%s': %s\n", in, strerror(-ret));
	}
	if (!ret) {
		ret = elfbtf_write_sections(argv[2], secs, n, err, sizeof(err));
		if (ret)
			fprintf(stderr, "elf_write_driver: %s\n", err);
	}
	for (i = 0; i < n; i++)
		free((void *)secs[i].blob);
	free(secs);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool detached = argc == 4 && !strcmp(argv[1], "--detached");
	const char *out, *in;
	char err[512];
	void *blob = NULL;
	size_t size = 0;
	int ret, big;

	if (argc >= 3 && !strcmp(argv[1], "--sections"))
		return argc % 2 ? write_sections(argc, argv) : usage();
	if (argc == 3 && !strcmp(argv[1], "--endian")) {
		ret = elfbtf_target_endian(argv[2], &big, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "elf_write_driver: %s\n", err);
			return 1;
		}
		puts(big ? "big" : "little");
		return endian_elf_agrees(argv[2], big) ? 0 : 1;
	}
	if (argc != 3 && !detached)
		return usage();
	out = argv[argc - 2];
	in = argv[argc - 1];
	ret = slurp(in, &blob, &size);
	if (ret) {
		fprintf(stderr, "elf_write_driver: '%s': %s\n", in, strerror(-ret));
		return 1;
	}
	if (detached)
		ret = elfbtf_write_detached(out, blob, size, err, sizeof(err));
	else
		ret = elfbtf_write(out, blob, size, err, sizeof(err));
	free(blob);
	if (ret) {
		fprintf(stderr, "elf_write_driver: %s\n", err);
		return 1;
	}
	return 0;
}
