// SPDX-License-Identifier: GPL-2.0-only
/*
 * barewalk.c - the floor for bench/encode.sh: the least work any libdw-based
 * encoder must do. It opens FILE as btfenc does (libdwfl offline, which
 * relocates ET_REL objects; no debug-info search, no debuginfod), then visits
 * every DIE of every compile unit with dwarf_child()/dwarf_siblingof(),
 * reading DW_AT_name and following DW_AT_type, and prints the counts.
 * Nothing is kept, so its peak RSS is libdw's own plus the mapped sections.
 *
 * Build: cc -O2 -o barewalk bench/barewalk.c -ldw -lelf
 * Usage: barewalk FILE; prints "N units, N DIEs, N named, N with DW_AT_type"
 * and exits 0, or prints why not and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

struct counts {
	unsigned long units;	/* compile units walked */
	unsigned long dies;	/* DIEs below the unit DIEs */
	unsigned long named;	/* DIEs with a DW_AT_name */
	unsigned long typed;	/* DIEs whose DW_AT_type resolves to a DIE */
	unsigned long sink;	/* keeps the reads from being optimised away */
};

/* Debug info is where the object is, or nowhere, as in dwarf/dwt_file.c. */
static int find_no_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			     Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			     GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	return -1;
}

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = find_no_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* Returns: 0, or -1 when libdw cannot read a sibling (the message is libdw's). */
static int walk(Dwarf_Die *parent, struct counts *c)
{
	Dwarf_Attribute attr;
	Dwarf_Die die, type;
	const char *name;
	int r;

	if (dwarf_child(parent, &die) != 0)
		return 0;
	do {
		c->dies++;
		name = dwarf_diename(&die);
		if (name) {
			c->named++;
			c->sink += (unsigned char)name[0];
		}
		if (dwarf_attr(&die, DW_AT_type, &attr) && dwarf_formref_die(&attr, &type)) {
			c->typed++;
			c->sink += dwarf_dieoffset(&type) & 1;
		}
		if (dwarf_haschildren(&die) && walk(&die, c))
			return -1;
	} while ((r = dwarf_siblingof(&die, &die)) == 0);
	return r < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct counts c = { 0 };
	Dwarf_CU *cu = NULL;
	Dwarf_Half version;
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	Dwarf_Die cudie;
	uint8_t unit_type;
	Dwarf *dw;
	Dwfl *dwfl;
	int fd, r, bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: barewalk FILE\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "barewalk: cannot open '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	dwfl = dwfl_begin(&offline_callbacks);
	if (!dwfl) {
		close(fd);
		fprintf(stderr, "barewalk: %s\n", dwfl_errmsg(-1));
		return 1;
	}
	/* dwfl owns fd from here on. */
	mod = dwfl_report_offline(dwfl, argv[1], argv[1], fd);
	dw = mod && !dwfl_report_end(dwfl, NULL, NULL) ? dwfl_module_getdwarf(mod, &bias) : NULL;
	if (!dw) {
		fprintf(stderr, "barewalk: '%s': %s\n", argv[1], dwfl_errmsg(-1));
		dwfl_end(dwfl);
		return 1;
	}
	while ((r = dwarf_get_units(dw, cu, &cu, &version, &unit_type, &cudie, NULL)) == 0) {
		/* The units btfenc walks; type units are reached by reference. */
		if (unit_type != DW_UT_compile && unit_type != DW_UT_skeleton)
			continue;
		c.units++;
		if (walk(&cudie, &c)) {
			bad = 1;
			break;
		}
	}
	if (r < 0 || bad) {
		fprintf(stderr, "barewalk: '%s': %s\n", argv[1], dwarf_errmsg(-1));
		dwfl_end(dwfl);
		return 1;
	}
	printf("%lu units, %lu DIEs, %lu named, %lu with DW_AT_type (%lu)\n",
	       c.units, c.dies, c.named, c.typed, c.sink & 1);
	dwfl_end(dwfl);
	return 0;
}
