#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bad_input.sh BTFENC FIXTURES - the bad-input table: every way in which a
# file given to btfenc can be wrong that we know of, one case each, made now
# from a fixture compiled by gcc (FIXTURES/enums.c) or written byte by byte.
#
# For each case btfenc runs under a 4 GB address-space limit and must:
#  - exit with the documented status: 1 for a bad input or a failed write,
#    2 for a command line it cannot make sense of (README, "Exit status");
#  - print exactly one line on stderr, which names the file at fault and
#    matches what is wrong (the DIE or the type id where there is one);
#  - leave every input byte-identical, and write no output it announced.
# One line per case ("ok"/"FAIL" and why), then "N passed, N failed";
# exit 0 if all passed, 1 if not, 77 (skip) without gcc or python3.
set -u

btfenc=${1:?usage: bad_input.sh BTFENC FIXTURES}
fixtures=${2:?usage: bad_input.sh BTFENC FIXTURES}
for tool in gcc python3 readelf; do
	command -v "$tool" >/dev/null || { echo "skip: no $tool"; exit 77; }
done

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
mounted=
cleanup() {
	[ -z "$mounted" ] || umount "$mounted" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1

pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# expect NAME STATUS REGEX KEEP... -- ARGS...: runs btfenc ARGS; each KEEP
# file must keep its bytes, and out.btf (where ARGS write) must not appear.
expect() {
	local name=$1 status=$2 regex=$3 keep=() sums=() f i got lines
	shift 3
	while [ "$1" != -- ]; do
		keep+=("$1")
		shift
	done
	shift
	for f in "${keep[@]}"; do sums+=("$(sha256sum <"$f" 2>/dev/null || echo none)"); done
	rm -f out.btf
	capped "$btfenc" "$@" >stdout 2>stderr
	got=$?
	lines=$(wc -l <stderr)
	if [ "$got" != "$status" ]; then
		bad "$name" "exit $got, not $status ($(head -c 300 stderr))"
		return
	fi
	if [ "$lines" != 1 ] || ! grep -Eq -- "$regex" stderr; then
		bad "$name" "stderr is not one line matching /$regex/: $(head -c 300 stderr)"
		return
	fi
	for i in "${!keep[@]}"; do
		if [ "$(sha256sum <"${keep[$i]}" 2>/dev/null || echo none)" != "${sums[$i]}" ]; then
			bad "$name" "${keep[$i]} changed"
			return
		fi
	done
	if [ -e out.btf ]; then
		bad "$name" "out.btf was written"
		return
	fi
	ok "$name: $(cat stderr)"
}

# --- Inputs ------------------------------------------------------------------
gcc -g -gdwarf-5 -O1 -c -o ok.o "$fixtures/enums.c" || { echo "skip: gcc failed"; exit 77; }
printf 'typedef int myint;\nmyint x;\nstruct s { myint a; struct s *n; } *sp;\n' >tiny.c
gcc -g -c -o tiny.o tiny.c || exit 1
"$btfenc" --btf_encode_detached=tiny.btf tiny.o || exit 1
"$btfenc" --btf_encode_detached=ok.btf ok.o || exit 1
cp ok.o inplace.o
"$btfenc" inplace.o || exit 1
"$btfenc" --btf_base tiny.btf --btf_encode_detached=split.btf ok.o || exit 1
: >empty.o
mkdir dir.o
printf 'not an object\n' >text.o
head -c 20 ok.o >trunc.o
head -c 64 ok.o >hdronly.o
cp ok.o stripped.o && strip -g stripped.o
readelf --debug-dump=info ok.o >info.txt
# Big types, beyond BTF's counts and sizes.
printf 'typedef char huge_t[1UL << 40];\nhuge_t *hp;\n' >bigarray.c
python3 -c "
print('struct many {'); [print(f' int m{i};') for i in range(65536)]; print('} *manyp;')
" >manymembers.c
python3 -c "
print('enum manye {'); [print(f' E{i},') for i in range(65536)]; print('} me;')
" >manyenums.c
for src in bigarray manymembers manyenums; do gcc -g -c -o $src.o $src.c || exit 1; done

python3 - <<'EOF' || exit 1
import re, struct

d = bytes(open('ok.o', 'rb').read())
shoff = struct.unpack_from('<Q', d, 0x28)[0]
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
def sh(i):
    return struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * shentsize)
names = sh(shstrndx)[4]
def name(i):
    off = names + sh(i)[0]
    return d[off:d.index(b'\0', off)].decode()
secs = {name(i): (i, sh(i)) for i in range(shnum)}
info_i, info = secs['.debug_info']
abbrev = secs['.debug_abbrev'][1]

def write(path, patches=(), data=None):
    b = bytearray(d if data is None else data)
    for off, fmt, val in patches:
        struct.pack_into(fmt, b, off, val)
    open(path, 'wb').write(b)

def shdr_field(i, off):
    return shoff + i * shentsize + off

write('shoff.o', [(0x28, '<Q', len(d) + 4096)])
write('shnum.o', [(0x3c, '<H', 0xffff)])
write('shstrndx.o', [(0x3e, '<H', 0x7ff0)])
write('info_cut.o', [(shdr_field(info_i, 0x20), '<Q', info[5] // 2)])
write('info_past.o', [(shdr_field(info_i, 0x18), '<Q', len(d) + 100)])
write('info_huge.o', [(shdr_field(info_i, 0x20), '<Q', 1 << 40)])
write('unit_len.o', [(info[4], '<I', 0xfffffff0)])
b = bytearray(d)
b[abbrev[4]:abbrev[4] + abbrev[5]] = b'\xff' * abbrev[5]
write('abbrev.o', data=b)
write('file_cut.o', data=d[:info[4] + info[5] // 2])

# Typedef DIEs and the offset of their DW_AT_type (ref4, unit-relative:
# the fixture has one unit at 0).
txt = open('info.txt').read()
tds = []
for m in re.finditer(r'<1><([0-9a-f]+)>: Abbrev Number: \d+ \(DW_TAG_typedef\)((?:\n {4,}<[0-9a-f]+>.*)+)', txt):
    t = re.search(r'<([0-9a-f]+)> +DW_AT_type', m.group(2))
    tds.append((int(m.group(1), 16), int(t.group(1), 16)))
(d1, a1), (d2, a2) = tds[0], tds[1]
base = info[4]
write('selfref.o', [(base + a1, '<I', d1)])
write('typedef_loop.o', [(base + a1, '<I', d2), (base + a2, '<I', d1)])
write('ref_past.o', [(base + a1, '<I', 0x7fffffff)])
open('dies.txt', 'w').write('%x %x\n' % (d1, d2))

# BTF blobs: tiny.btf is [1] TYPEDEF myint -> 2, [2] INT, [3] STRUCT s, [4] PTR.
t = bytes(open('tiny.btf', 'rb').read())
hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from('<IIIII', t, 4)
rec = hdr_len + type_off
write('magic.btf', [(0, '<H', 0x1234)], data=t)
write('btf_cut.btf', data=t[:len(t) // 2])
write('hdr_len.btf', [(4, '<I', 0x7ffffff0)], data=t)
write('ref_past.btf', [(rec + 8, '<I', 999)], data=t)
write('name_past.btf', [(rec, '<I', 0x00ffffff)], data=t)
write('kind.btf', [(rec + 4, '<I', 31 << 24)], data=t)
write('reserved.btf', [(rec + 4, '<I', (8 << 24) | (1 << 20))], data=t)
write('overlap.btf', [(16, '<I', str_off - 4)], data=t)
write('typedef_loop.btf', [(rec + 8, '<I', 1)], data=t)

def blob(types, strs):
    h = struct.pack('<HBBIIIII', 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strs))
    return h + types + strs

open('one.btf', 'wb').write(blob(struct.pack('<IIII', 1, 1 << 24, 4, 32), b'\0int\0'))
# Loops the kernel refuses: a PTR to itself, an ARRAY of itself, a CONST of itself.
open('ptr_loop.btf', 'wb').write(blob(struct.pack('<III', 0, 2 << 24, 1), b'\0'))
open('array_loop.btf', 'wb').write(blob(struct.pack('<IIII', 1, 1 << 24, 4, 32) +
                                        struct.pack('<IIIIII', 0, 3 << 24, 0, 2, 1, 1), b'\0int\0'))
open('const_loop.btf', 'wb').write(blob(struct.pack('<III', 0, 10 << 24, 1), b'\0'))

# 1,048,576 types (one more than the kernel's 1,048,575): an INT and a
# chain of PTRs, each to the one before, which no dedup can merge.
n = 1 << 20
types = bytearray(struct.pack('<IIII', 1, 1 << 24, 4, 32))
types += b''.join(struct.pack('<III', 0, 2 << 24, i) for i in range(1, n))
open('many_types.btf', 'wb').write(blob(bytes(types), b'\0int\0'))
# A string section past 16 MiB, the kernel's limit.
open('long_strs.btf', 'wb').write(blob(struct.pack('<IIII', 1, 1 << 24, 4, 32),
                                       b'\0int\0' + b'x' * (16 << 20) + b'\0'))
EOF
read -r die1 die2 <dies.txt

# --- The table ---------------------------------------------------------------
echo "# the object to encode"
expect "no such file" 1 "'missing.o': .*No such file" -- --btf_encode_detached=out.btf missing.o
expect "empty file" 1 "'empty.o': not an ELF object" empty.o -- --btf_encode_detached=out.btf empty.o
expect "a directory" 1 "'dir.o': .*Is a directory" -- --btf_encode_detached=out.btf dir.o
expect "not ELF" 1 "'text.o': not an ELF object" text.o -- --btf_encode_detached=out.btf text.o
expect "truncated ELF header" 1 "'trunc.o': not an ELF object" trunc.o -- \
	--btf_encode_detached=out.btf trunc.o
expect "ELF header only" 1 "'hdronly.o': the ELF section headers lie past the end" hdronly.o -- \
	--btf_encode_detached=out.btf hdronly.o
expect "section headers past the end" 1 "'shoff.o': the ELF section headers lie past the end" \
	shoff.o -- --btf_encode_detached=out.btf shoff.o
expect "impossible section count" 1 "'shnum.o': the ELF section headers lie past the end" \
	shnum.o -- --btf_encode_detached=out.btf shnum.o
expect "section name table out of range" 1 "'shstrndx.o': the ELF section name table is section" \
	shstrndx.o -- --btf_encode_detached=out.btf shstrndx.o
expect "file cut in the middle of .debug_info" 1 "'file_cut.o': the ELF section headers lie past" \
	file_cut.o -- --btf_encode_detached=out.btf file_cut.o
expect ".debug_info cut in the middle" 1 "'info_cut.o': cannot read its DWARF \(.debug_info" \
	info_cut.o -- --btf_encode_detached=out.btf info_cut.o
expect ".debug_info past the end" 1 "'info_past.o': cannot read its DWARF \(.debug_info" \
	info_past.o -- --btf_encode_detached=out.btf info_past.o
expect ".debug_info of 1 TB" 1 "'info_huge.o': cannot read its DWARF \(.debug_info" \
	info_huge.o -- --btf_encode_detached=out.btf info_huge.o
expect "unit length past the section" 1 "'unit_len.o': cannot read its compile units" \
	unit_len.o -- --btf_encode_detached=out.btf unit_len.o
expect "abbreviations destroyed" 1 "'abbrev.o': DIE 0x[0-9a-f]+: .*invalid DWARF" abbrev.o -- \
	--btf_encode_detached=out.btf abbrev.o
expect "no DWARF" 1 "'stripped.o': no DWARF debug info" stripped.o -- \
	--btf_encode_detached=out.btf stripped.o
expect "typedef of itself" 1 "'selfref.o': DIE 0x$die1 .*refers back to itself" selfref.o -- \
	--btf_encode_detached=out.btf selfref.o
expect "two typedefs of each other" 1 "'typedef_loop.o': DIE 0x($die1|$die2) .*refers back to itself" \
	typedef_loop.o -- --btf_encode_detached=out.btf typedef_loop.o
expect "type reference out of its unit" 1 "'ref_past.o': DIE 0x$die1: bad type reference" \
	ref_past.o -- --btf_encode_detached=out.btf ref_past.o
expect "array of 2^40 elements" 1 "'bigarray.o': DIE 0x[0-9a-f]+ .*more than 4294967295 elements" \
	bigarray.o -- --btf_encode_detached=out.btf bigarray.o
expect "struct of 65536 members" 1 "'manymembers.o': DIE 0x[0-9a-f]+ .*more than 65535 members" \
	manymembers.o -- --btf_encode_detached=out.btf manymembers.o
expect "enum of 65536 values" 1 "'manyenums.o': DIE 0x[0-9a-f]+ .*more than 65535 enumerators" \
	manyenums.o -- --btf_encode_detached=out.btf manyenums.o

echo "# the base"
expect "base missing" 1 "'missing.btf': No such file" ok.o -- \
	--btf_base missing.btf --btf_encode_detached=out.btf ok.o
expect "base not BTF" 1 "'text.o': not a BTF file or an ELF object" ok.o text.o -- \
	--btf_base text.o --btf_encode_detached=out.btf ok.o
expect "base a directory" 1 "'dir.o': Is a directory" ok.o -- \
	--btf_base dir.o --btf_encode_detached=out.btf ok.o
expect "base ELF without .BTF" 1 "'tiny.o': no .BTF section" ok.o tiny.o -- \
	--btf_base tiny.o --btf_encode_detached=out.btf ok.o
expect "base BTF cut in half" 1 "'btf_cut.btf': invalid BTF data" ok.o btf_cut.btf -- \
	--btf_base btf_cut.btf --btf_encode_detached=out.btf ok.o
expect "base that does not match the split BTF" 1 "'split.btf': invalid BTF data: type \[[0-9]+\]: .*past the last id" \
	split.btf one.btf -- dump split.btf --base one.btf

echo "# BTF read"
expect "bad magic" 1 "'magic.btf': not a BTF file or an ELF object" magic.btf -- dump magic.btf
expect "BTF cut in half" 1 "'btf_cut.btf': invalid BTF data" btf_cut.btf -- dump btf_cut.btf
expect "header length of 2 GB" 1 "'hdr_len.btf': invalid BTF data" hdr_len.btf -- dump hdr_len.btf
expect "type id past the last" 1 "'ref_past.btf': invalid BTF data: type \[1\]: .*999 past the last id" \
	ref_past.btf -- dump ref_past.btf
expect "name past the strings" 1 "'name_past.btf': invalid BTF data: type \[1\]: name offset" \
	name_past.btf -- dump name_past.btf
expect "unknown kind" 1 "'kind.btf': invalid BTF data: type \[1\].*unknown kind 31" kind.btf -- \
	dump kind.btf
expect "reserved info bits" 1 "'reserved.btf': invalid BTF data: type \[1\].*reserved info bits" \
	reserved.btf -- dump reserved.btf
expect "sections overlapping" 1 "'overlap.btf': invalid BTF data" overlap.btf -- dump overlap.btf
expect "typedef of itself, deduplicated" 1 "'typedef_loop.btf': cannot build the BTF: type \[1\] TYPEDEF is on a reference loop" \
	typedef_loop.btf -- dedup -o out.btf typedef_loop.btf
expect "PTR to itself, deduplicated" 1 "'ptr_loop.btf': cannot deduplicate: .*type \[1\] is on a reference loop" \
	ptr_loop.btf -- dedup -o out.btf ptr_loop.btf
expect "ARRAY of itself, deduplicated" 1 "'array_loop.btf': cannot deduplicate: .*type \[2\] is on a reference loop" \
	array_loop.btf -- dedup -o out.btf array_loop.btf
expect "CONST of itself, deduplicated" 1 "'const_loop.btf': cannot deduplicate: .*type \[1\] is on a reference loop" \
	const_loop.btf -- dedup -o out.btf const_loop.btf
expect "1,048,576 types" 1 "1048576 types are left after deduplication, more than the kernel takes" many_types.btf -- \
	dedup -o out.btf many_types.btf
expect "strings past 16 MiB" 1 "'long_strs.btf': invalid BTF data: strings end at .*past the limit" \
	long_strs.btf -- dump long_strs.btf

echo "# the output"
expect "output directory missing" 1 "nodir/out.btf" ok.o -- --btf_encode_detached=nodir/out.btf ok.o
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	# As nobody: the file and its directory are root's.
	mkdir ro && cp ok.o ro/ok.o && chmod 755 "$tmp" ro && chmod 644 ro/ok.o
	sum=$(sha256sum <ro/ok.o)
	if setpriv --reuid=65534 --regid=65534 --clear-groups "$btfenc" ro/ok.o 2>stderr; then
		bad "read-only input, in place" "encoded"
	elif [ "$(wc -l <stderr)" = 1 ] && grep -q "ro/ok.o" stderr &&
	     [ "$(sha256sum <ro/ok.o)" = "$sum" ]; then
		ok "read-only input, in place: $(cat stderr)"
	else
		bad "read-only input, in place" "$(head -c 300 stderr)"
	fi
else
	echo "skip read-only input: not root or no setpriv"
fi
mkdir full
if mount -t tmpfs -o size=16k tmpfs full 2>/dev/null; then
	mounted=$tmp/full
	cp ok.o full/ok.o
	dd if=/dev/zero of=full/fill bs=1k count=100 2>/dev/null
	expect "full disk, in place" 1 "'full/ok.o': cannot write: No space left" full/ok.o -- full/ok.o
	expect "full disk, detached" 1 "full/big.btf.*No space left" ok.o -- \
		--btf_encode_detached=full/big.btf ok.o
	[ -e full/big.btf ] && bad "full disk, detached" "full/big.btf left behind"
	leftover=$(find full -name '*.btf*' -o -name 'ok.o.*' | head -1)
	[ -z "$leftover" ] || bad "full disk" "temporary file $leftover left behind"
else
	echo "skip full disk: cannot mount a tmpfs here"
fi

echo "# the command line"
expect "unknown option" 2 "unknown option '--frobnicate'" ok.o -- --frobnicate ok.o
expect "two files" 2 "one FILE only, 'tiny.o' is extra" ok.o tiny.o -- ok.o tiny.o
expect "no file" 2 "no FILE to encode" -- --btf_encode_detached=out.btf
expect "bad thread count" 2 "unknown option '-jx'" ok.o -- -jx --btf_encode_detached=out.btf ok.o
expect "unknown language" 2 "--lang_exclude: only 'rust' is known" ok.o -- \
	--lang_exclude=cobol --btf_encode_detached=out.btf ok.o

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
