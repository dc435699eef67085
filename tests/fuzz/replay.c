// SPDX-License-Identifier: GPL-2.0-only
/*
 * replay.c - runs a fuzz target once on each file named on the command
 * line, or on each file of each directory named (not recursively): the
 * regression inputs in the test suite, in any build. Prints how many
 * inputs ran; a failing input aborts, naming it first.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "replay: '%s': %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	size_t inputs = 0;
	int i, err = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *e;
		DIR *dir;

		if (stat(argv[i], &st) || !S_ISDIR(st.st_mode)) {
			err |= run_file(argv[i]);
			inputs++;
			continue;
		}
		dir = opendir(argv[i]);
		while (dir && (e = readdir(dir))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			err |= run_file(path);
			inputs++;
		}
		if (dir)
			closedir(dir);
	}
	printf("%zu inputs\n", inputs);
	return err ? 1 : 0;
}
