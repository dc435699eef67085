// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwt_file.c - opening an object's DWARF through libdwfl (which applies the
 * relocations of ET_REL objects, like kernel modules) and listing its
 * compile units. libdw's 0/-1 results are translated here to -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <dwarf.h>
#include <elfutils/libdwelf.h>
#include <gelf.h>

#include "dwt_priv.h"
#include "grow.h"
#include "log.h"

static struct log_sink sink;

void dwt_log_set(dwt_log_fn fn, void *ctx)
{
	sink.fn = fn;
	sink.ctx = ctx;
}

/* The unit this thread walks on the fast path, if any. */
static __thread struct dwt_cu *held;

void dwt_log_hold(struct dwt_cu *cu)
{
	held = cu;
}

void dwt_log(const char *fmt, ...)
{
	va_list ap;

	if (held) {
		held->fast_failed = true;
		return;
	}

	va_start(ap, fmt);
	log_sink_emit(&sink, fmt, ap);
	va_end(ap);
}

/*
 * libdwfl asks for a separate debug file when the object has no DWARF of
 * its own, and for dwz's supplementary file when its DWARF names one (then
 * with a zero CRC). A file given is opened; else libdwfl's own search runs
 * (build id, then the recorded name, in each directory of the path), which
 * never goes to debuginfod: btfenc clears DEBUGINFOD_URLS before it starts.
 */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			  Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	struct dwt_file *f = *userdata;
	const char *given = debuglink_crc || !debuglink_file ? f->debuginfo : f->alt;
	int fd;

	if (given) {
		fd = open(given, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			*debuginfo_file_name = strdup(given);
		else
			f->given_err = errno, f->given_bad = given;
		return fd;
	}
	return dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name,
					    debuglink_file, debuglink_crc, debuginfo_file_name);
}

/* Whether the supplementary file dwz -m left the DWARF depending on (its
 * .gnu_debugaltlink) was found; if not, says so. */
static bool alt_found(struct dwt_file *f, const char *path)
{
	const char *name;
	const void *id;

	if (dwelf_dwarf_gnu_debugaltlink(f->dw, &name, &id) <= 0 || dwarf_getalt(f->dw))
		return true;
	dwt_log("'%s': its supplementary file '%s' (dwz -m) is not found; give it with --dwz-alt",
		path, name);
	return false;
}

/* Its options into f, the callbacks with them. Returns: 0, -ENOMEM. */
static int set_callbacks(struct dwt_file *f, const struct dwt_open_opts *o)
{
	static const char default_path[] = ":.debug:/usr/lib/debug";

	f->debuginfo_path = strdup(o && o->debuginfo_path ? o->debuginfo_path : default_path);
	f->debuginfo = o && o->debuginfo ? strdup(o->debuginfo) : NULL;
	f->alt = o && o->alt ? strdup(o->alt) : NULL;
	if (!f->debuginfo_path || (o && o->debuginfo && !f->debuginfo) || (o && o->alt && !f->alt))
		return -ENOMEM;
	f->callbacks = (Dwfl_Callbacks){
		.find_debuginfo = find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &f->debuginfo_path,
	};
	return 0;
}

/*
 * Reads the whole abbreviation table of cudie's unit into libdw's hash of
 * it. libdw otherwise reads a table lazily, advancing a cursor kept in the
 * unit, which two threads must not do at once; a unit is read by the thread
 * that walks it, but also by any thread that follows a reference into it.
 * Preloaded, every later lookup is a read.
 */
static void preload_abbrevs(Dwarf_Die *cudie)
{
	Dwarf_Off off = 0;
	size_t len;
	Dwarf_Abbrev *a;

	while ((a = dwarf_getabbrev(cudie, off, &len)) && a != DWARF_END_ABBREV && len)
		off += len;
}

/*
 * Why an ELF object gave no DWARF: none there (-ENODATA), or DWARF libdw
 * could not take (-EBADMSG, said): a section table past the end of the
 * file, or .debug_info present but cut, past the end or not relocatable.
 */
static int dwarf_unreadable(Elf *elf, const char *path)
{
	const char *msg = dwfl_errmsg(-1);
	size_t shnum, shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	const char *name;

	if (!gelf_getehdr(elf, &eh) || elf_getshdrnum(elf, &shnum) ||
	    elf_getshdrstrndx(elf, &shstrndx)) {
		dwt_log("'%s': cannot read the ELF section headers: %s", path, elf_errmsg(-1));
		return -EBADMSG;
	}
	if (!shnum && eh.e_shoff) {
		dwt_log("'%s': the ELF section headers lie past the end of the file", path);
		return -EBADMSG;
	}
	if (shnum && shstrndx >= shnum) {
		dwt_log("'%s': the ELF section name table is section %zu of %zu", path, shstrndx,
			shnum);
		return -EBADMSG;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".debug_info") && sh.sh_type != SHT_NOBITS) {
			dwt_log("'%s': cannot read its DWARF (.debug_info, %llu bytes at %llu): %s",
				path, (unsigned long long)sh.sh_size,
				(unsigned long long)sh.sh_offset, msg ? msg : "unknown error");
			return -EBADMSG;
		}
	}
	return -ENODATA;
}

/* A skeleton unit's .dwo, as it names it. */
static const char *dwo_name(Dwarf_Die *skeleton)
{
	Dwarf_Attribute a;
	const char *s = NULL;

	if (dwarf_attr(skeleton, DW_AT_dwo_name, &a) || dwarf_attr(skeleton, DW_AT_GNU_dwo_name, &a))
		s = dwarf_formstring(&a);
	return s ? s : "(unnamed)";
}

static int list_cus(struct dwt_file *f, const char *path)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, subdie;
	uint8_t unit_type;
	Dwarf_Half version;
	int r, err;

	while ((r = dwarf_get_units(f->dw, cu, &cu, &version, &unit_type, &cudie, &subdie)) == 0) {
		size_t cap = f->cus_cap;

		preload_abbrevs(&cudie);
		/* Type units are reached through references, dwz's partial
		 * units too (their DIEs are walked where a unit refers to them). */
		if (unit_type != DW_UT_compile && unit_type != DW_UT_skeleton)
			continue;
		err = grow_array((void **)&f->cus, &f->cus_cap, sizeof(*f->cus), f->cus_len + 1);
		err = err ? err : grow_array_raw((void **)&f->splits, &cap, sizeof(*f->splits),
						  f->cus_cap);
		if (err)
			return err;
		memset(&f->splits[f->cus_len], 0, sizeof(*f->splits));
		if (unit_type == DW_UT_skeleton) {
			/* No .dwo found by libdw: the package, if any. */
			if (!subdie.addr) {
				err = dwt_dwp_split(f, path, &cudie, &subdie);
				if (err == -ENOMEM)
					return err;
				if (err == -EBADMSG) {
					dwt_log("'%s.dwp': a broken package", path);
					return err;
				}
			}
			if (!subdie.addr) {
				dwt_log("'%s': unit 0x%llx: its split DWARF '%s' is not found", path,
					(unsigned long long)dwarf_dieoffset(&cudie), dwo_name(&cudie));
				return -EBADMSG;
			}
			preload_abbrevs(&subdie);
			f->splits[f->cus_len] = subdie;
		}
		f->cus[f->cus_len++] = cudie;
		/* Each header read maps the pages around it: give them back as
		 * the listing goes, not most of the section at once. */
		if (f->cus_len % 32 == 0)
			dwt_file_release_below(f, dwarf_dieoffset(&cudie));
	}
	if (r < 0) {
		dwt_log("'%s': cannot read its compile units: %s", path, dwarf_errmsg(-1));
		return -EBADMSG;
	}
	return 0;
}

/*
 * dwz -m's supplementary file: every unit of it interned and its
 * abbreviations read now, before threads follow references into it. libdw
 * does both lazily, on first use, and not under a lock (two threads
 * importing partial units from it at once corrupted its tree of units).
 */
static void list_alt_units(struct dwt_file *f)
{
	Dwarf *alt = dwarf_getalt(f->dw);
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, subdie;
	Dwarf_Half version;
	uint8_t unit_type;

	while (alt && dwarf_get_units(alt, cu, &cu, &version, &unit_type, &cudie, &subdie) == 0)
		preload_abbrevs(&cudie);
}

/*
 * Where .debug_info lies when libdw reads it straight from libelf's mapping
 * of the file: an object nobody relocated (not ET_REL), in the host's byte
 * order, the section neither compressed nor converted (it is inside
 * elf_rawfile()'s image). Only then
 * may a walked unit's pages be given back (dwt_file_release_unit()): a
 * clean page of a file mapping that is touched again is read again from the
 * file, where a relocated or converted copy would come back as zeros.
 */
static void find_info_map(struct dwt_file *f)
{
	Elf *elf = dwarf_getelf(f->dw);
	Elf_Scn *scn = NULL;
	size_t shstrndx, raw_size;
	const char *raw, *name;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf_Data *d;

	/* libdwfl maps the file privately, and libelf converts headers of
	 * the other byte order in place there: only a host-order file's pages
	 * are all as in the file. */
	if (!elf || !gelf_getehdr(elf, &eh) || eh.e_type == ET_REL ||
	    eh.e_ident[EI_DATA] != (f->host_big_endian ? ELFDATA2MSB : ELFDATA2LSB) ||
	    elf_getshdrstrndx(elf, &shstrndx) || !(raw = elf_rawfile(elf, &raw_size)))
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".debug_info"))
			continue;
		if (sh.sh_flags & SHF_COMPRESSED)
			return;
		d = elf_getdata(scn, NULL);
		if (d && d->d_buf && (const char *)d->d_buf >= raw &&
		    (const char *)d->d_buf + d->d_size <= raw + raw_size) {
			f->info = d->d_buf;
			f->info_size = d->d_size;
			f->image = raw;
			f->image_size = raw_size;
		}
		return;
	}
}

void dwt_file_release_unit(struct dwt_file *f, size_t i)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (!f->info || i >= f->cus_len)
		return;
	start = (uintptr_t)f->info + dwarf_dieoffset(&f->cus[i]);
	end = (uintptr_t)f->info +
	      (i + 1 < f->cus_len ? dwarf_dieoffset(&f->cus[i + 1]) : f->info_size);
	/* Whole pages inside the unit only; a neighbour's pages stay. */
	start = (start + page - 1) & ~(page - 1);
	end &= ~(page - 1);
	if (start < end)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

void dwt_file_release_below(struct dwt_file *f, uint64_t off)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (!f->info || off > f->info_size)
		return;
	start = ((uintptr_t)f->info + page - 1) & ~(page - 1);
	end = ((uintptr_t)f->info + off) & ~(page - 1);
	if (start < end)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

void dwt_file_release_all(struct dwt_file *f)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (!f->image)
		return;
	start = ((uintptr_t)f->image + page - 1) & ~(page - 1);
	end = ((uintptr_t)f->image + f->image_size) & ~(page - 1);
	if (start < end)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

int dwt_file_open(const char *path, const struct dwt_open_opts *o, struct dwt_file **out)
{
	struct dwt_file *f = calloc(1, sizeof(*f));
	void **userdata;
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	const char *ident;
	struct stat st;
	Elf *elf;
	int fd, err;

	if (!f)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || S_ISDIR(st.st_mode)) {
		err = fd < 0 || !S_ISDIR(st.st_mode) ? -errno : -EISDIR;
		if (fd >= 0)
			close(fd);
		free(f);
		return err;
	}
	if (set_callbacks(f, o) || !(f->dwfl = dwfl_begin(&f->callbacks))) {
		close(fd);
		dwt_file_free(f);
		return -ENOMEM;
	}
	/* dwfl owns fd from here on. */
	mod = dwfl_report_offline(f->dwfl, path, path, fd);
	if (!mod || dwfl_report_end(f->dwfl, NULL, NULL)) {
		dwt_log("'%s': %s", path, dwfl_errmsg(-1));
		dwt_file_free(f);
		return -EINVAL;
	}
	/* The module's userdata is how find_debuginfo() finds f. */
	dwfl_module_info(mod, &userdata, NULL, NULL, NULL, NULL, NULL, NULL);
	*userdata = f;
	f->dw = dwfl_module_getdwarf(mod, &bias);
	elf = dwfl_module_getelf(mod, &bias);
	f->elf = elf;
	ident = elf ? elf_getident(elf, NULL) : NULL;
	f->big_endian = ident && ident[EI_DATA] == ELFDATA2MSB;
	if (f->given_err) {
		/* A file named on the command line that is not there is an
		 * error, even where libdw would find another by itself. */
		dwt_log("'%s': %s", f->given_bad, strerror(f->given_err));
		dwt_file_free(f);
		return -EBADMSG;
	}
	if (!f->dw && f->alt) {
		dwt_log("'%s': its DWARF cannot be read with '%s' as its supplementary file", path,
			f->alt);
		dwt_file_free(f);
		return -EBADMSG;
	}
	if (f->dw && !alt_found(f, path)) {
		dwt_file_free(f);
		return -EBADMSG;
	}
	if (!f->dw && f->debuginfo) {
		dwt_log("'%s': no DWARF debug info, nor in '%s'", path, f->debuginfo);
		dwt_file_free(f);
		return -EBADMSG;
	}
	if (!f->dw) {
		err = elf ? dwarf_unreadable(elf, path) : -ENODATA;
		dwt_file_free(f);
		return err;
	}
	f->host_big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	find_info_map(f);
	err = list_cus(f, path);
	if (err) {
		dwt_file_free(f);
		return err;
	}
	list_alt_units(f);
	/* BTFENC_WALK=libdw: every unit through libdw (to compare the two). */
	ident = getenv("BTFENC_WALK");
	if (!ident || strcmp(ident, "libdw"))
		dwt_dec_open(f);
	/* Listing the units touched each one's header, and the kernel maps
	 * the pages around each touch: most of a vmlinux's .debug_info. The
	 * walk reads each unit again when its turn comes. */
	dwt_file_release_all(f);
	*out = f;
	return 0;
}

void dwt_file_free(struct dwt_file *f)
{
	if (!f)
		return;
	if (f->dwfl)
		dwfl_end(f->dwfl);
	free(f->debuginfo_path);
	free(f->debuginfo);
	free(f->alt);
	dwt_dec_free(&f->dec);
	free(f->cus);
	free(f->splits);
	dwt_dwp_free(f->dwp);
	free(f);
}

size_t dwt_file_cu_count(const struct dwt_file *f)
{
	return f->cus_len;
}

Elf *dwt_file_elf(const struct dwt_file *f)
{
	return f->elf;
}
