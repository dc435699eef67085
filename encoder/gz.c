// SPDX-License-Identifier: GPL-2.0-only
/*
 * gz.c - gzip-compressed objects in and out (see gz.h), through zlib.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <zlib.h>

#include "gz.h"

#define CHUNK (1 << 16)

bool gz_is(const char *path)
{
	unsigned char m[2];
	struct stat st;
	FILE *f;
	bool is;

	/* Only a regular file: reading a pipe's first bytes would lose them. */
	if (stat(path, &st) || !S_ISREG(st.st_mode) || !(f = fopen(path, "rb")))
		return false;
	is = fread(m, 1, 2, f) == 2 && m[0] == 0x1f && m[1] == 0x8b;
	fclose(f);
	return is;
}

/* Writes all n bytes. Returns: 0, or -errno. */
static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int gz_unpack(const char *path, char *tmp, size_t tmp_len, char *err, size_t err_len)
{
	const char *dir = getenv("TMPDIR");
	static char buf[CHUNK];
	unsigned long long total = 0;
	int fd, n, ret = 0, zerr;
	gzFile gz;

	snprintf(tmp, tmp_len, "%s/btfenc-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, err_len, "'%s': cannot make a temporary file: %s", tmp, strerror(-ret));
		return ret;
	}
	gz = gzopen(path, "rb");
	if (!gz) {
		ret = errno ? -errno : -ENOMEM;
		snprintf(err, err_len, "'%s': %s", path, strerror(-ret));
	}
	while (!ret && (n = gzread(gz, buf, sizeof(buf))) > 0) {
		total += (unsigned)n;
		if (total > GZ_MAX_PLAIN) {
			ret = -EFBIG;
			snprintf(err, err_len, "'%s': decompresses to more than %llu bytes", path,
				 GZ_MAX_PLAIN);
			break;
		}
		ret = write_all(fd, buf, (size_t)n);
		if (ret)
			snprintf(err, err_len, "'%s': cannot write: %s", tmp, strerror(-ret));
	}
	/* A stream cut short ends in Z_BUF_ERROR: only Z_OK is a whole one. */
	if (!ret && gz && (n < 0 || (gzerror(gz, &zerr), zerr != Z_OK))) {
		const char *why = gzerror(gz, &zerr);
		size_t n = strlen(path);

		/* zlib's message starts with the path: not twice. */
		if (!strncmp(why, path, n) && !strncmp(why + n, ": ", 2))
			why += n + 2;
		ret = -EINVAL;
		snprintf(err, err_len, "'%s': broken gzip data: %s", path, why);
	}
	if (gz)
		gzclose(gz);
	if (close(fd) && !ret) {
		ret = -errno;
		snprintf(err, err_len, "'%s': cannot write: %s", tmp, strerror(-ret));
	}
	if (ret)
		unlink(tmp);
	return ret;
}

int gz_pack(const char *plain, const char *path, char *err, size_t err_len)
{
	static char buf[CHUNK];
	char tmp[PATH_MAX];
	struct stat st;
	int in, fd, ret = 0;
	gzFile gz = NULL;
	ssize_t n;

	if (stat(path, &st)) {
		ret = -errno;
		snprintf(err, err_len, "'%s': %s", path, strerror(-ret));
		return ret;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.btfenc-XXXXXX", path) >= (int)sizeof(tmp)) {
		snprintf(err, err_len, "'%s': path too long", path);
		return -ENAMETOOLONG;
	}
	in = open(plain, O_RDONLY | O_CLOEXEC);
	fd = in < 0 ? -1 : mkstemp(tmp);
	if (in < 0 || fd < 0) {
		ret = -errno;
		snprintf(err, err_len, "'%s': %s", in < 0 ? plain : tmp, strerror(-ret));
		if (in >= 0)
			close(in);
		return ret;
	}
	/* gzdopen() owns fd from here on. zlib writes neither a name nor a
	 * time into the header: the same bytes every run. */
	gz = gzdopen(fd, "wb9");
	if (!gz) {
		close(fd);
		ret = -ENOMEM;
	}
	while (!ret && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			ret = errno == EINTR ? 0 : -errno;
			continue;
		}
		if (gzwrite(gz, buf, (unsigned)n) != (int)n)
			ret = -EIO;
	}
	if (gz && gzclose(gz) != Z_OK && !ret)
		ret = -EIO;
	close(in);
	if (!ret && (chmod(tmp, st.st_mode & 07777) || rename(tmp, path)))
		ret = -errno;
	if (ret) {
		snprintf(err, err_len, "'%s': cannot write it compressed: %s", path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}
