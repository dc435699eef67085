// SPDX-License-Identifier: GPL-2.0-only
/*
 * replace.c - a file replaced through a temporary file beside it, renamed
 * over it once complete (see replace.h), and the I/O helpers that fill one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "replace.h"

#define COPY_CHUNK (1u << 30)

int replace_fail(char *err, size_t err_len, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && err_len) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* ---- I/O ---------------------------------------------------------------- */

int replace_write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int replace_write_zeros(int fd, uint64_t off, uint64_t len)
{
	static const char zeros[65536];
	size_t n;
	int ret;

	while (len) {
		n = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
		ret = replace_write_all(fd, zeros, n, off);
		if (ret)
			return ret;
		off += n;
		len -= n;
	}
	return 0;
}

/* Copies through a buffer where copy_file_range() cannot (another file system). */
static int copy_buffered(int in, int out, uint64_t off, uint64_t len)
{
	size_t cap = 1u << 20, n;
	char *buf = malloc(cap);
	ssize_t got;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	while (len && !ret) {
		n = len < cap ? (size_t)len : cap;
		got = pread(in, buf, n, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			ret = got ? -errno : -EIO; /* EIO: the file shrank */
			break;
		}
		ret = replace_write_all(out, buf, (size_t)got, off);
		off += (uint64_t)got;
		len -= (uint64_t)got;
	}
	free(buf);
	return ret;
}

int replace_copy_prefix(int in, int out, uint64_t len)
{
	off64_t in_off = 0, out_off = 0;
	ssize_t n;

	while ((uint64_t)in_off < len) {
		n = copy_file_range(in, &in_off, out, &out_off,
				    len - (uint64_t)in_off < COPY_CHUNK
					    ? (size_t)(len - (uint64_t)in_off)
					    : COPY_CHUNK,
				    0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 &&
		    (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL))
			return copy_buffered(in, out, (uint64_t)in_off, len - (uint64_t)in_off);
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
	}
	return 0;
}

/* ---- the temporary file --------------------------------------------------- */

int replace_file_create(struct replace_file *rf, const char *target)
{
	size_t len = strlen(target);
	int ret;

	rf->fd = -1;
	rf->name = malloc(len + sizeof(".XXXXXX"));
	if (!rf->name)
		return -ENOMEM;
	memcpy(rf->name, target, len);
	memcpy(rf->name + len, ".XXXXXX", sizeof(".XXXXXX"));
	rf->fd = mkostemp(rf->name, O_CLOEXEC);
	if (rf->fd < 0) {
		ret = -errno;
		free(rf->name);
		rf->name = NULL;
		return ret;
	}
	return 0;
}

void replace_file_discard(struct replace_file *rf)
{
	if (rf->fd >= 0)
		close(rf->fd);
	if (rf->name) {
		unlink(rf->name);
		free(rf->name);
	}
	rf->fd = -1;
	rf->name = NULL;
}

/* Makes the rename durable; a failure here cannot undo it, so it is ignored. */
static void sync_dir(const char *target)
{
	const char *slash = strrchr(target, '/');
	char *dir = slash ? strndup(target, (size_t)(slash - target) + 1) : NULL;
	int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int replace_file_commit(struct replace_file *rf, const char *target, mode_t mode,
			const struct stat *owner, bool sync)
{
	int fd = rf->fd;

	/* chown first: it may clear the set-user-ID bit that fchmod sets. */
	if (owner && !geteuid() && fchown(fd, owner->st_uid, owner->st_gid))
		return -errno;
	if (fchmod(fd, mode) || (sync && fsync(fd)))
		return -errno;
	rf->fd = -1;
	if (close(fd) || rename(rf->name, target))
		return -errno;
	free(rf->name);
	rf->name = NULL;
	if (sync)
		sync_dir(target);
	return 0;
}

/* ---- a whole file at once ------------------------------------------------ */

/* Writes to a FIFO or device as it is: it cannot be renamed over. */
static int write_direct(const char *path, const void *blob, size_t size, char *err, size_t err_len)
{
	const char *p = blob;
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return replace_fail(err, err_len, -errno, "'%s': %s", path, strerror(errno));
	while (size) {
		n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			n = n ? -errno : -EIO;
			close(fd);
			return replace_fail(err, err_len, (int)n, "'%s': cannot write: %s", path,
					    strerror((int)-n));
		}
		p += n;
		size -= (size_t)n;
	}
	if (close(fd))
		return replace_fail(err, err_len, -errno, "'%s': cannot write: %s", path,
				    strerror(errno));
	return 0;
}

int replace_write_file(const char *path, const void *buf, size_t len, char *err, size_t err_len)
{
	struct replace_file rf = {.fd = -1};
	const struct stat *owner = NULL;
	char *target = NULL;
	mode_t mode = 0644;
	struct stat st;
	int ret;

	if (err && err_len)
		err[0] = 0;
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return replace_fail(err, err_len, -EISDIR, "'%s': %s", path,
					    strerror(EISDIR));
		if (!S_ISREG(st.st_mode))
			return write_direct(path, buf, len, err, err_len);
		if (access(path, W_OK))
			return replace_fail(err, err_len, -errno, "'%s': cannot write: %s", path,
					    strerror(errno));
		mode = st.st_mode & 07777;
		owner = &st;
		target = realpath(path, NULL);
	} else if (errno == ENOENT) {
		target = strdup(path);
	} else {
		return replace_fail(err, err_len, -errno, "'%s': %s", path, strerror(errno));
	}
	if (!target)
		return replace_fail(err, err_len, -errno, "'%s': %s", path, strerror(errno));
	ret = replace_file_create(&rf, target);
	if (ret) {
		replace_fail(err, err_len, ret, "'%s': cannot create a temporary file: %s", path,
			     strerror(-ret));
	} else {
		ret = replace_write_all(rf.fd, buf, len, 0);
		if (!ret)
			ret = replace_file_commit(&rf, target, mode, owner, false);
		if (ret)
			replace_fail(err, err_len, ret, "'%s': cannot write: %s", path,
				     strerror(-ret));
	}
	replace_file_discard(&rf);
	free(target);
	return ret;
}
