// SPDX-License-Identifier: GPL-2.0-only
/*
 * elf_btf.c - a BTF blob from a raw BTF file or an ELF object's .BTF section.
 *
 * A regular ELF file is mapped by libelf (ELF_C_READ_MMAP), so only the
 * headers and the .BTF bytes are touched even in a 600 MB debug vmlinux.
 * elfbtf_load() maps an uncompressed .BTF of a regular file on its own and
 * parses it there: a module's base is the same 4 MB for every module, and a
 * copy of it would cost more than the reading.
 * Anything else (a pipe, a raw BTF file) is read whole. libelf checks that
 * section data lies inside the file; the sizes it returns are still checked
 * here against what BTF can hold before anything is allocated.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "elf_btf.h"
#include "gz.h"
#include "replace.h"

/* The largest blob accepted: the builder counts bytes in 32 bits. */
#define BLOB_MAX ((uint64_t)UINT32_MAX)

/* A blob read: malloc'd data, or data inside a file mapping (map). */
struct blob {
	void *data;
	size_t size;
	void *map;
	size_t map_len;
};

static void blob_release(struct blob *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	else
		free(b->data);
	memset(b, 0, sizeof(*b));
}

/* The file bytes [off, off + size) mapped read-only, if they lie inside the
 * file and at an offset BTF records can be read at. Returns: 0 or -errno
 * (then the caller copies instead). */
static int map_range(int fd, uint64_t file_size, uint64_t off, uint64_t size, struct blob *out)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t start, len;
	void *map;

	if (fd < 0 || page <= 0 || !size || off % 4 || off > file_size || size > file_size - off)
		return -EINVAL;
	start = off - off % (uint64_t)page;
	len = off - start + size;
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, (off_t)start);
	if (map == MAP_FAILED)
		return -errno;
	out->map = map;
	out->map_len = len;
	out->data = (char *)map + (off - start);
	out->size = size;
	return 0;
}

static bool is_btf_magic(const unsigned char *p, size_t n)
{
	return n >= 2 && ((p[0] == 0x9f && p[1] == 0xeb) || (p[0] == 0xeb && p[1] == 0x9f));
}

static bool is_elf_magic(const unsigned char *p, size_t n)
{
	return n >= SELFMAG && !memcmp(p, ELFMAG, SELFMAG);
}

static bool is_btf_or_elf(const unsigned char *p, size_t n)
{
	return is_btf_magic(p, n) || is_elf_magic(p, n);
}

/*
 * Reads fd from the current position to its end into a new buffer; size_hint
 * (st_size, which may be 0 or wrong for special files) sizes the first try.
 * With sniff, it gives up as soon as the first bytes show neither BTF nor
 * ELF, so that /dev/zero is refused at once rather than read to the limit.
 * Returns: 0, -EINVAL (sniff), -EFBIG past BLOB_MAX, -ENOMEM, a read error.
 */
static int read_all(int fd, uint64_t size_hint, bool sniff, unsigned char **data, size_t *size)
{
	size_t len = 0, cap = size_hint && size_hint <= BLOB_MAX ? size_hint + 1 : 1u << 16;
	unsigned char *buf = malloc(cap), *tmp;
	ssize_t n;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			tmp = cap > BLOB_MAX ? NULL : realloc(buf, cap * 2);
			if (!tmp) {
				ret = cap > BLOB_MAX ? -EFBIG : -ENOMEM;
				break;
			}
			buf = tmp;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = -errno;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (sniff && len >= SELFMAG && !is_btf_or_elf(buf, len)) {
			ret = -EINVAL;
			break;
		}
	}
	if (!ret && sniff && len && !is_btf_or_elf(buf, len))
		ret = -EINVAL;
	if (ret) {
		free(buf);
		return ret;
	}
	*data = buf;
	*size = len;
	return 0;
}

/* The first section named .BTF. Returns: 0, -ENODATA if none, -EINVAL. */
static int find_btf_section(Elf *elf, const char *path, const char *sec, Elf_Scn **out, char *err,
			    size_t err_len)
{
	Elf_Scn *scn = NULL;
	size_t shnum, shstrndx;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	const char *name;

	if (elf_getshdrnum(elf, &shnum) || elf_getshdrstrndx(elf, &shstrndx) ||
	    !gelf_getehdr(elf, &eh))
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': cannot read the ELF section headers: %s", path,
				    elf_errmsg(-1));
	/* libelf shows a section table past the end of the file as none. */
	if (!shnum && eh.e_shoff)
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': the ELF section headers lie past the end of the file",
				    path);
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return replace_fail(err, err_len, -EINVAL,
					    "'%s': cannot read section %zu's header: %s", path,
					    elf_ndxscn(scn), elf_errmsg(-1));
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, sec)) {
			*out = scn;
			return 0;
		}
	}
	return replace_fail(err, err_len, -ENODATA, "'%s': no %s section", path, sec);
}

/* Decompresses a SHF_COMPRESSED .BTF in place, after checking its size. */
static int decompress_section(Elf_Scn *scn, const char *path, const char *sec, char *err,
			      size_t err_len)
{
	GElf_Chdr ch;

	if (!gelf_getchdr(scn, &ch))
		return replace_fail(err, err_len, -EINVAL,
				    "'%s': cannot read the compressed %s header: %s", path, sec,
				    elf_errmsg(-1));
	if (ch.ch_size > BLOB_MAX)
		return replace_fail(err, err_len, -EFBIG,
				    "'%s': %s of %llu bytes is too large for BTF", path, sec,
				    (unsigned long long)ch.ch_size);
	if (elf_compress(scn, 0, 0) < 0)
		return replace_fail(err, err_len, -EINVAL, "'%s': cannot decompress %s: %s", path, sec,
				    elf_errmsg(-1));
	return 0;
}

/* The .BTF bytes of an ELF object, copied into a new buffer, or with
 * file_size (fd's size; 0 for none) mapped where they lie. */
static int read_elf_btf(Elf *elf, int fd, uint64_t file_size, const char *path, const char *sec,
			struct blob *out, char *err, size_t err_len)
{
	Elf_Scn *scn = NULL;
	Elf_Data *d;
	GElf_Shdr sh;
	int ret;

	if (elf_kind(elf) != ELF_K_ELF)
		return replace_fail(err, err_len, -EINVAL, "'%s': not an ELF object", path);
	ret = find_btf_section(elf, path, sec, &scn, err, err_len);
	if (ret)
		return ret;
	if (!gelf_getshdr(scn, &sh))
		return replace_fail(err, err_len, -EINVAL, "'%s': cannot read the %s header: %s",
				    path, sec, elf_errmsg(-1));
	if (sh.sh_type == SHT_NOBITS)
		return replace_fail(err, err_len, -ENODATA,
				    "'%s': %s section has no data (SHT_NOBITS)", path, sec);
	if (sh.sh_flags & SHF_COMPRESSED) {
		ret = decompress_section(scn, path, sec, err, err_len);
		if (ret)
			return ret;
	} else if (sh.sh_size > BLOB_MAX) {
		return replace_fail(err, err_len, -EFBIG,
				    "'%s': %s of %llu bytes is too large for BTF", path, sec,
				    (unsigned long long)sh.sh_size);
	}
	if (file_size && !(sh.sh_flags & SHF_COMPRESSED) &&
	    !map_range(fd, file_size, sh.sh_offset, sh.sh_size, out))
		return 0;
	d = elf_getdata(scn, NULL);
	if (!d)
		return replace_fail(err, err_len, -EINVAL, "'%s': cannot read %s: %s", path, sec,
				    elf_errmsg(-1));
	if (!d->d_buf || !d->d_size)
		return replace_fail(err, err_len, -ENODATA, "'%s': %s section is empty", path, sec);
	out->data = malloc(d->d_size);
	if (!out->data)
		return replace_fail(err, err_len, -ENOMEM, "'%s': %s", path, strerror(ENOMEM));
	memcpy(out->data, d->d_buf, d->d_size);
	out->size = d->d_size;
	return 0;
}

/* Either a mapped regular file (fd) or a buffer already read (buf). */
static int read_elf(int fd, uint64_t file_size, unsigned char *buf, size_t len, const char *path,
		    const char *sec, struct blob *out, char *err, size_t err_len)
{
	Elf *elf;
	int ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return replace_fail(err, err_len, -EINVAL, "'%s': libelf: %s", path,
				    elf_errmsg(-1));
	elf = buf ? elf_memory((char *)buf, len) : elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return replace_fail(err, err_len, -EINVAL, "'%s': not a valid ELF object: %s", path,
				    elf_errmsg(-1));
	ret = read_elf_btf(elf, fd, file_size, path, sec, out, err, err_len);
	elf_end(elf);
	return ret;
}

/* Sorts the opened file into raw BTF, ELF or neither, by its first bytes;
 * with may_map, an ELF section may be mapped rather than copied. */
/* any: a file that is not ELF is taken whole, whatever its bytes (for
 * verify, which says what is wrong with them), an empty one too. */
static int read_fd(int fd, const struct stat *st, const char *path, const char *sec, bool may_map,
		   bool any, struct blob *out, char *err, size_t err_len)
{
	unsigned char magic[SELFMAG], *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int ret;

	if (S_ISREG(st->st_mode)) {
		do
			n = pread(fd, magic, sizeof(magic), 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return replace_fail(err, err_len, -errno, "'%s': %s", path,
					    strerror(errno));
		len = (size_t)n;
		if (is_elf_magic(magic, len))
			return read_elf(fd, may_map ? (uint64_t)st->st_size : 0, NULL, 0, path, sec,
					out, err, err_len);
		if (strcmp(sec, ".BTF"))
			return replace_fail(err, err_len, -ENODATA, "'%s': not ELF, no %s",
					    path, sec);
		if (any || is_btf_magic(magic, len))
			ret = read_all(fd, (uint64_t)st->st_size, false, &buf, &len);
		else
			ret = len ? -EINVAL : -ENODATA;
	} else if (strcmp(sec, ".BTF")) {
		/* A pipe is read once, for its .BTF. */
		return replace_fail(err, err_len, -ENODATA, "'%s': not a file, no %s", path, sec);
	} else {
		ret = read_all(fd, 0, !any, &buf, &len);
		if (!ret && is_elf_magic(buf, len)) {
			ret = read_elf(-1, 0, buf, len, path, sec, out, err, err_len);
			free(buf);
			return ret;
		}
		if (!ret && !len && !any)
			ret = -ENODATA;
	}
	if (ret) {
		free(buf);
		if (ret == -EINVAL)
			return replace_fail(err, err_len, ret,
					    "'%s': not a BTF file or an ELF object", path);
		if (ret == -ENODATA)
			return replace_fail(err, err_len, ret, "'%s': file is empty", path);
		if (ret == -EFBIG)
			return replace_fail(err, err_len, ret, "'%s': file too large for BTF",
					    path);
		return replace_fail(err, err_len, ret, "'%s': %s", path, strerror(-ret));
	}
	out->data = buf;
	out->size = len;
	return 0;
}

static int read_path(const char *path, const char *sec, bool may_map, bool any, struct blob *out,
		     char *err, size_t err_len)
{
	struct stat st;
	int fd, ret;

	if (err && err_len)
		err[0] = 0;
	if (gz_is(path)) {
		/* A .ko.gz: its plain copy, gone once open; messages name path. */
		char tmp[PATH_MAX], msg[512];

		ret = gz_unpack(path, tmp, sizeof(tmp), msg, sizeof(msg));
		if (ret)
			return replace_fail(err, err_len, ret, "%s", msg);
		fd = open(tmp, O_RDONLY | O_CLOEXEC);
		unlink(tmp);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return replace_fail(err, err_len, -errno, "'%s': %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		ret = replace_fail(err, err_len, -errno, "'%s': %s", path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		ret = replace_fail(err, err_len, -EISDIR, "'%s': %s", path, strerror(EISDIR));
	} else {
		ret = read_fd(fd, &st, path, sec, may_map, any, out, err, err_len);
	}
	close(fd);
	return ret;
}

int elfbtf_read_section(const char *path, const char *sec, void **data, size_t *size, char *err,
			size_t err_len)
{
	struct blob b = { 0 };
	int ret = read_path(path, sec, false, false, &b, err, err_len);

	if (!ret) {
		*data = b.data;
		*size = b.size;
	}
	return ret;
}

int elfbtf_read(const char *path, void **data, size_t *size, char *err, size_t err_len)
{
	return elfbtf_read_section(path, ".BTF", data, size, err, err_len);
}

int elfbtf_read_any(const char *path, void **data, size_t *size, char *err, size_t err_len)
{
	struct blob b = { 0 };
	int ret = read_path(path, ".BTF", false, true, &b, err, err_len);

	if (!ret) {
		*data = b.data;
		*size = b.size;
	}
	return ret;
}

/* Parses .BTF on the distilled base in .BTF.base (bdata), then moves it
 * onto base if there is one, as libbpf and the kernel's module loader do. */
static int load_distilled(const void *data, size_t size, const void *bdata, size_t bsize,
			  struct btf_builder *base, struct btf_builder **out)
{
	struct btf_builder *dist, *split;
	int ret;

	ret = btf_builder_parse(bdata, bsize, NULL, &dist);
	if (ret)
		return ret;
	ret = btf_builder_parse(data, size, dist, &split);
	if (ret) {
		btf_builder_free(dist);
		return ret;
	}
	if (!base) {
		btf_builder_own_base(split);
		*out = split;
		return 0;
	}
	ret = btf_builder_relocate(split, base, out);
	btf_builder_free(split);
	btf_builder_free(dist);
	return ret;
}

int elfbtf_load(const char *path, struct btf_builder *base, struct btf_builder **out, char *err,
		size_t err_len)
{
	struct blob b = { 0 };
	void *bdata = NULL;
	size_t bsize = 0;
	int ret;

	ret = read_path(path, ".BTF", true, false, &b, err, err_len);
	if (ret)
		return ret;
	ret = elfbtf_read_section(path, ".BTF.base", &bdata, &bsize, err, err_len);
	if (ret && ret != -ENODATA) {
		blob_release(&b);
		return ret;
	}
	if (!ret) {
		ret = load_distilled(b.data, b.size, bdata, bsize, base, out);
		blob_release(&b);
	} else if (b.map) {
		ret = btf_builder_parse_mapped(b.data, b.size, b.map, b.map_len, base, out);
	} else {
		ret = btf_builder_parse_owned(b.data, b.size, base, out);
	}
	free(bdata);
	if (err && err_len)
		err[0] = 0;
	if (ret == -EINVAL)
		return replace_fail(err, err_len, ret, "'%s': invalid BTF data", path);
	if (ret == -ENOENT)
		return replace_fail(err, err_len, ret,
				    "'%s': its .BTF.base does not match the base BTF", path);
	if (ret)
		return replace_fail(err, err_len, ret, "'%s': cannot load BTF: %s", path,
				    strerror(-ret));
	return 0;
}
