#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# test_elf_write.sh DRIVER BLOB - elfbtf_write() and elfbtf_write_sections()
# (encoder/elf_write.c) through tests/elf_write_driver, checked with binutils,
# bpftool and eu-elflint where they are here, and by running what was written
# to.
#
# Fixtures are C compiled now: by gcc for x86-64 (ET_REL, ET_EXEC, ET_DYN,
# an executable whose .BTF lies in a loadable segment like a linked vmlinux,
# objects with 0xfeff and 65300+ sections), and by clang when it can for
# i386 (ELF32 LSB), s390x (ELF64 MSB), ppc32 (ELF32 MSB) and bpfel/bpfeb
# (objects that already have a .BTF, not at the end). For each:
#  - .BTF holds exactly the blob (by offset, and objcopy --dump-section);
#  - every other section keeps its header and bytes (only .shstrtab may move),
#    the program headers do not change, readelf warns of nothing, eu-elflint
#    says what it said before;
#  - a smaller and a larger blob, then the first again, give the first file;
#    the same blob twice gives the same bytes;
#  - bpftool btf dump file reads the object as it reads the raw blob;
#  - the mode survives; executables still run (exit 42).
# Then the errors: a missing file, a read-only directory, a full disk
# (RLIMIT_FSIZE), files that are not ELF or are broken: exit 1, one line
# naming the file, the file untouched and no temporary file left.
# Then elfbtf_write_sections() (driver --sections): .BTF and .BTF.base added
# to gcc and clang objects that have neither, or beside an existing .BTF (one
# in a loadable segment too), rewritten with other sizes; one call gives the
# bytes of one call per section, the same blobs twice give the same bytes;
# a failure in the second section (no room in its segment, a full disk)
# leaves the file byte for byte as it was, mode and all, with no temporary
# file left.
# Exit 0 if all passed, 1 on a failure, 77 (skip) without gcc or readelf.
set -u

driver=${1:?usage: test_elf_write.sh DRIVER BLOB}
blob=${2:?usage: test_elf_write.sh DRIVER BLOB}
for tool in gcc readelf cmp; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool not found"
		exit 77
	fi
done
driver=$(realpath "$driver") && blob=$(realpath "$blob") || exit 1
bpftool=${BPFTOOL:-$(command -v bpftool || command -v /usr/sbin/bpftool || command -v /sbin/bpftool)}
elflint=$(command -v eu-elflint)
objcopy=$(command -v objcopy)
clang=$(command -v clang)

tmp=$(mktemp -d) || exit 1
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	echo "ok   $*"
}

bad() {
	failed=$((failed + 1))
	echo "FAIL $*"
}

# sections FILE: "index name type address offset size ..." from readelf -SW.
sections() {
	readelf -SW "$1" | sed -n 's/^ *\[ *\([0-9][0-9]*\)\] /\1 /p' | awk '$1 > 0'
}

# section_field FILE NAME FIELD: offset or size (decimal) of the first section
# called NAME, or of the section with index NAME if it is a number.
section_field() {
	local field=$3 line
	line=$(sections "$1" | awk -v n="$2" '$2 == n || $1 == n { print; exit }')
	[ -n "$line" ] || return 1
	# shellcheck disable=SC2086 # split into fields
	set -- $line
	case $field in
	offset) echo $((16#$5)) ;;
	size) echo $((16#$6)) ;;
	esac
}

# section_is FILE NAME BLOB: FILE's section NAME holds exactly BLOB's bytes.
section_is() {
	local off size
	off=$(section_field "$1" "$2" offset) || return 1
	size=$(section_field "$1" "$2" size) || return 1
	[ "$size" -eq "$(wc -c <"$3")" ] || return 1
	cmp -s -n "$size" -i "$off:0" "$1" "$3" || return 1
	# objcopy knows some of the foreign targets only: a second opinion where it can.
	if [ -n "$objcopy" ] && "$objcopy" --dump-section "$2=$tmp/dumped" "$1" "$tmp/objcopy.out" \
		2>/dev/null; then
		cmp -s "$tmp/dumped" "$3" || return 1
	fi
	return 0
}

# btf_is FILE BLOB: FILE's .BTF holds exactly BLOB's bytes.
btf_is() {
	section_is "$1" .BTF "$2"
}

# strndx FILE: the index of FILE's section name table.
strndx() {
	readelf -hW "$1" | sed -n 's/.*string table index: *//p' | tr -d '()' | awk '{ print $NF }'
}

# others_same BEFORE AFTER [SECTIONS]: what lies outside the sections written
# (a space-separated list, .BTF by default) did not change. Prints why not.
others_same() {
	local before=$1 after=$2 written=" ${3:-.BTF} " names off1 off2 size
	names=$(strndx "$before")
	sections "$before" >"$tmp/s1"
	sections "$after" >"$tmp/s2"
	# Headers: all equal but .BTF's, and the name table's offset and size.
	if ! awk -v names="$names" -v written="$written" 'function norm(line, f, n, i, out) {
			n = split(line, f); out = f[1]
			for (i = 2; i <= n; i++) out = out " " f[i]
			return out
		  }
		  NR == FNR { a[$1] = $0; next }
		  ($1 in a) && !index(written, " " $2 " ") {
			b = a[$1]
			if ($1 == names) { split(b, f); $5 = f[5]; $6 = f[6] }
			if (norm($0) != norm(b)) { print "header changed: " $0 " -> " b; bad = 1; exit }
		  }
		  END { exit bad }' "$tmp/s2" "$tmp/s1"; then
		return 1
	fi
	if [ "$(wc -l <"$tmp/s2")" -lt "$(wc -l <"$tmp/s1")" ]; then
		echo "sections lost"
		return 1
	fi
	# Bytes: no differing byte lies in a section that kept its offset. The
	# ranges (start, end) of such sections, merged, swept along cmp -l's offsets.
	awk -v written="$written" 'function hex(s, i, n) {
			n = 0
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
	     }
	     NR == FNR { o[$1] = $5; next }
	     !index(written, " " $2 " ") && $3 != "NOBITS" && o[$1] == $5 && $6 !~ /^0+$/ {
		printf "%.0f %.0f\n", hex($5), hex($5) + hex($6)
	     }' "$tmp/s2" "$tmp/s1" | sort -n -k1,1 >"$tmp/ranges"
	if ! awk -v size="$(wc -c <"$after")" '$2 > size { exit 1 }' "$tmp/ranges"; then
		echo "file too short"
		return 1
	fi
	cmp -l "$before" "$after" 2>/dev/null | awk -v ranges="$tmp/ranges" '
		BEGIN { n = 0; while ((getline line < ranges) > 0) { split(line, r, " ");
			if (n && r[1] <= e[n]) { if (r[2] > e[n]) e[n] = r[2] }
			else { n++; s[n] = r[1]; e[n] = r[2] } } i = 1 }
		{ off = $1 - 1; while (i <= n && e[i] <= off) i++
		  if (i <= n && s[i] <= off) { printf "byte %d changed\n", off; bad = 1; exit } }
		END { exit bad }' || return 1
	# A moved name table keeps its old bytes (then ".BTF\0" and the like).
	off1=$(section_field "$before" "$names" offset)
	off2=$(section_field "$after" "$names" offset)
	size=$(section_field "$before" "$names" size)
	if [ "$off1" != "$off2" ] && ! cmp -s -n "$size" -i "$off1:$off2" "$before" "$after"; then
		echo "the section name table's bytes changed"
		return 1
	fi
	if ! diff <(readelf -lW "$before" 2>&1) <(readelf -lW "$after" 2>&1) >/dev/null; then
		echo "program headers changed"
		return 1
	fi
	if ! diff <(readelf -hW "$before" | grep -v 'section headers') \
		<(readelf -hW "$after" | grep -v 'section headers') >/dev/null; then
		echo "ELF header changed"
		return 1
	fi
	return 0
}

# sane BEFORE AFTER: readelf and eu-elflint find nothing new to complain of.
sane() {
	local warn
	warn=$(readelf -aW "$2" 2>&1 >/dev/null | head -n1)
	if [ -n "$warn" ] && [ -z "$(readelf -aW "$1" 2>&1 >/dev/null | head -n1)" ]; then
		echo "readelf: $warn"
		return 1
	fi
	if [ -n "$elflint" ] && ! diff <("$elflint" --gnu-ld "$1" 2>&1 | sed "s|$1|F|g") \
		<("$elflint" --gnu-ld "$2" 2>&1 | sed "s|$2|F|g") >"$tmp/lint.diff"; then
		echo "eu-elflint: $(grep '^>' "$tmp/lint.diff" | head -n1)"
		return 1
	fi
	return 0
}

# write_checked NAME OBJ BLOB: one write, checked against the object before it.
write_checked() {
	local name=$1 obj=$2 b=$3 why
	cp -p "$obj" "$tmp/before"
	if ! "$driver" "$obj" "$b" 2>"$tmp/err"; then
		bad "$name: $(cat "$tmp/err")"
		return 1
	fi
	if ! btf_is "$obj" "$b"; then
		bad "$name: .BTF does not hold the blob"
		return 1
	fi
	if ! why=$(others_same "$tmp/before" "$obj") || ! why=$(sane "$tmp/before" "$obj"); then
		bad "$name: $why"
		return 1
	fi
	return 0
}

# dump_same NAME OBJ BLOB: bpftool reads OBJ's .BTF as it reads BLOB.
dump_same() {
	[ -n "$bpftool" ] || return 0
	if ! "$bpftool" btf dump file "$3" >"$tmp/dump.blob" 2>/dev/null; then
		echo "skip $1: bpftool cannot read the blob"
		return 0
	fi
	if "$bpftool" btf dump file "$2" >"$tmp/dump.obj" 2>&1 &&
		cmp -s "$tmp/dump.blob" "$tmp/dump.obj"; then
		ok "$1: bpftool dump ($(wc -l <"$tmp/dump.obj") lines)"
	else
		bad "$1: bpftool dumps the object differently: $(head -n1 "$tmp/dump.obj")"
	fi
}

# leftovers DIR: files in DIR other than those listed in $tmp/listing.
no_leftovers() {
	ls -A "$1" | diff - "$tmp/listing" >/dev/null
}

# fixture NAME OBJ BLOB SMALL LARGE [RUN...]: the whole round on OBJ.
fixture() {
	local name=$1 obj=$2 b=$3 small=$4 large=$5 endian rc had_btf
	shift 5
	endian=$("$driver" --endian "$obj" 2>&1)
	if readelf -hW "$obj" | grep -q "big endian"; then
		[ "$endian" = big ] || bad "$name: --endian says '$endian', not big"
	else
		[ "$endian" = little ] || bad "$name: --endian says '$endian', not little"
	fi
	had_btf=$(section_field "$obj" .BTF offset)
	chmod 0751 "$obj"
	write_checked "$name" "$obj" "$b" || return
	ok "$name: .BTF written, nothing else changed"
	cp "$obj" "$tmp/first"
	if [ "$(stat -c %a "$obj")" = 751 ]; then
		ok "$name: mode 0751 kept"
	else
		bad "$name: mode is now $(stat -c %a "$obj")"
	fi
	if [ $# -gt 0 ]; then
		"$@"
		rc=$?
		if [ $rc -eq 42 ]; then ok "$name: still runs"; else bad "$name: exits $rc, not 42"; fi
	fi
	dump_same "$name" "$obj" "$b"
	write_checked "$name (again)" "$obj" "$b" || return
	if cmp -s "$obj" "$tmp/first"; then
		ok "$name: the same blob again gives the same bytes"
	else
		bad "$name: the second write changed the file"
	fi
	write_checked "$name (smaller)" "$obj" "$small" || return
	write_checked "$name (larger)" "$obj" "$large" || return
	write_checked "$name (first blob)" "$obj" "$b" || return
	ok "$name: smaller and larger blobs"
	# Only when .BTF was added: an old one may have been replaced in place.
	if cmp -s "$obj" "$tmp/first"; then
		ok "$name: back to the first blob gives the first file"
	elif [ -z "$had_btf" ]; then
		bad "$name: after other blobs, the first one gives another file"
	fi
	if [ $# -gt 0 ]; then
		"$@"
		rc=$?
		if [ $rc -eq 42 ]; then ok "$name: still runs at the end"; else bad "$name: exits $rc"; fi
	fi
}

# ---- blobs -------------------------------------------------------------------
# A 45-byte BTF ("int"), both byte orders, and a larger one.
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x10\x00\x00\x00\x05\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x04\x00\x00\x00\x20\x00\x00\x01\x00int\x00' >"$tmp/small.btf"
printf '\xeb\x9f\x01\x00\x00\x00\x00\x18\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x10\x00\x00\x00\x05\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00\x00\x04\x01\x00\x00\x20\x00int\x00' >"$tmp/small-be.btf"
cp "$blob" "$tmp/sample.btf"
large="$tmp/large.btf"
for i in $(seq 64); do cat "$blob"; done >"$large"

cat >"$tmp/fixture.c" <<'EOF'
struct point { int x, y; };
struct point origin = { 1, 2 };
static int twice(int v) { return v * 2; }
int answer(void) { return twice(origin.x + 20); }
EOF
cat >"$tmp/main.c" <<'EOF'
int answer(void);
int main(void) { return answer(); }
EOF
# Objects whose own .BTF comes first, for the BTF-format blobs of other targets.
cat >"$tmp/types.c" <<'EOF'
struct list { struct list *next; int v : 3; unsigned w : 5; };
enum color { RED = -1, GREEN, BLUE = 100 };
union u { long l; char c[8]; };
struct list head; enum color c; union u uu;
int f(struct list *l, int n) { return l->v + n; }
EOF

# ---- x86-64 by gcc -------------------------------------------------------------
cd "$tmp" || exit 1
if gcc -g -c fixture.c -o rel.o; then
	fixture "x86-64 ET_REL" rel.o sample.btf small.btf large.btf
fi
if gcc -g fixture.c main.c -o exe; then
	fixture "x86-64 ET_EXEC" exe sample.btf small.btf large.btf ./exe
fi
if gcc -g -shared -fPIC fixture.c -o libfix.so &&
	gcc main.c -L. -lfix -Wl,-rpath,"$tmp" -o uselib; then
	fixture "x86-64 ET_DYN" libfix.so sample.btf small.btf large.btf ./uselib
fi

# A .BTF in a loadable segment, like a linked vmlinux's: it keeps its offset,
# takes a blob no larger than the old one, and refuses a larger one.
cat >pinned.c <<EOF
int answer(void) { return 42; }
__asm__(".section .BTF, \"a\"\n.balign 4\n.fill $(($(wc -c <sample.btf) + 16)), 1, 1\n.previous");
EOF
if gcc -g pinned.c main.c -o pinned && readelf -lW pinned | grep -q ' \.BTF'; then
	chmod 0751 pinned
	off=$(section_field pinned .BTF offset)
	if write_checked "ET_EXEC, .BTF in a segment" pinned sample.btf && cp pinned pinned.first &&
		write_checked "ET_EXEC, .BTF in a segment (smaller)" pinned small.btf &&
		write_checked "ET_EXEC, .BTF in a segment (back)" pinned sample.btf &&
		[ "$(section_field pinned .BTF offset)" = "$off" ]; then
		ok "ET_EXEC, .BTF in a segment: replaced in place"
		if cmp -s pinned pinned.first; then
			ok "ET_EXEC, .BTF in a segment: shrunk and grown back to the same bytes"
		else
			bad "ET_EXEC, .BTF in a segment: shrunk and grown back, the file differs"
		fi
	fi
	./pinned
	rc=$?
	if [ $rc -eq 42 ]; then ok "ET_EXEC, .BTF in a segment: still runs"; else bad "pinned exits $rc"; fi
	cp pinned pinned.before
	if "$driver" pinned large.btf 2>err; then
		bad "ET_EXEC, .BTF in a segment: a larger blob was accepted"
	elif grep -q "^elf_write_driver: 'pinned': .*room for" err && cmp -s pinned pinned.before; then
		ok "ET_EXEC, .BTF in a segment: a larger blob is refused ($(cut -d: -f3- err))"
	else
		bad "ET_EXEC, .BTF in a segment: $(cat err)"
	fi
fi

# ---- other targets by clang -------------------------------------------------------
if [ -n "$clang" ]; then
	for t in bpfel bpfeb; do
		if "$clang" -target $t -g -O2 -c types.c -o own-$t.o 2>/dev/null &&
			readelf -SW own-$t.o | grep -q ' \.BTF '; then
			be=$( [ $t = bpfeb ] && echo -be)
			off=$(section_field own-$t.o .BTF offset)
			size=$(section_field own-$t.o .BTF size)
			tail -c +$((off + 1)) own-$t.o | head -c "$size" >$t.btf
			fixture "$t ELF64, .BTF by clang" own-$t.o "small$be.btf" $t.btf large.btf
		else
			echo "skip $t: clang cannot build it"
		fi
	done
	for t in i386-linux-gnu s390x-linux-gnu powerpc-linux-gnu; do
		if ! "$clang" -target $t -g -c fixture.c -o $t.o 2>/dev/null; then
			echo "skip $t: clang cannot build it"
			continue
		fi
		b=sample.btf s=small.btf
		if readelf -hW $t.o | grep -q "big endian"; then
			b=bpfeb.btf s="small-be.btf"
			[ -f $b ] || b="small-be.btf"
		fi
		fixture "$t $(readelf -hW $t.o | sed -n 's/.*Class: *//p')" $t.o $b $s large.btf
	done
else
	echo "skip i386, s390x, ppc32, bpf: no clang"
fi

# ---- many sections: the SHN_XINDEX escapes ---------------------------------------
# 0xfeff sections become 0xff00 (now escaped), and 65300+ stay escaped.
gen_sections() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "int v$i __attribute__((section(\".s$i\"))) = 1;"
	done >many.c
	gcc -c many.c -o many.o 2>/dev/null
}
section_count() {
	readelf -hW "$1" | sed -n 's/.*Number of section headers: *\(.*\)/\1/p' | tr -d '()' |
		awk '{ print $NF }'
}
if gen_sections 65270; then
	n=$(section_count many.o)
	gen_sections $((65270 + 65279 - n))
	if [ "$(section_count many.o)" = 65279 ]; then
		if write_checked "0xfeff sections" many.o sample.btf &&
			[ "$(section_count many.o)" = 65280 ] &&
			readelf -hW many.o | grep -q 'Number of section headers: *0 (65280)'; then
			ok "0xfeff sections: the 0xff00th is escaped"
		else
			bad "0xfeff sections: $(readelf -hW many.o | grep 'section headers')"
		fi
	fi
	if gen_sections 65300 && write_checked "65300+ sections" many.o sample.btf &&
		write_checked "65300+ sections (larger)" many.o large.btf; then
		ok "65300+ sections: $(section_count many.o) sections, escapes kept"
		dump_same "65300+ sections" many.o large.btf
	fi
fi

# ---- detached ----------------------------------------------------------------------
if "$driver" --detached raw.btf sample.btf && cmp -s raw.btf sample.btf &&
	[ "$(stat -c %a raw.btf)" = 644 ]; then
	chmod 0640 raw.btf
	if "$driver" --detached raw.btf small.btf && cmp -s raw.btf small.btf &&
		[ "$(stat -c %a raw.btf)" = 640 ]; then
		ok "detached: new file 0644, rewritten file keeps its mode"
	else
		bad "detached: rewrite"
	fi
else
	bad "detached: new file ($(stat -c %a raw.btf 2>&1))"
fi

if command -v mkfifo >/dev/null && mkfifo fifo; then
	cat fifo >from-fifo &
	reader=$!
	"$driver" --detached fifo sample.btf
	wait $reader
	if [ -p fifo ] && cmp -s from-fifo sample.btf; then
		ok "detached: a FIFO is written to, not replaced"
	else
		bad "detached: FIFO"
	fi
fi

# A symbolic link is followed: its target gets the .BTF, the link stays.
if gcc -c fixture.c -o target.o && ln -s target.o link.o && write_checked "symlink" link.o sample.btf &&
	[ -L link.o ] && btf_is target.o sample.btf; then
	ok "symlink: the file it names is written, the link stays"
fi

# As root, the owner is kept too, and set-ID bits with it.
if [ "$(id -u)" = 0 ] && cp rel.o owned.o && chown 65534:65534 owned.o && chmod 6751 owned.o &&
	write_checked "owner" owned.o sample.btf; then
	if [ "$(stat -c %u:%g:%a owned.o)" = 65534:65534:6751 ]; then
		ok "owner and set-ID bits kept"
	else
		bad "owner: now $(stat -c %u:%g:%a owned.o)"
	fi
fi

# ---- errors ----------------------------------------------------------------------
# expect_error NAME WANT OBJ BLOB [RUNNER...]: exit 1, one line naming OBJ
# that contains WANT, OBJ unchanged, nothing new in OBJ's directory.
expect_error() {
	local name=$1 want=$2 obj=$3 b=$4 dir rc
	shift 4
	dir=$(dirname "$obj")
	ls -A "$dir" >"$tmp/listing"
	[ -e "$obj" ] && cp "$obj" "$tmp/saved"
	"$@" "$driver" "$obj" "$b" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		bad "$name: exit $rc, not 1 ($(head -c 200 "$tmp/err"))"
	elif [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -qF "'$obj': " "$tmp/err" ||
		! grep -qF -- "$want" "$tmp/err"; then
		bad "$name: message: $(cat "$tmp/err")"
	elif [ -e "$obj" ] && ! cmp -s "$obj" "$tmp/saved"; then
		bad "$name: the file changed"
	elif ! no_leftovers "$dir"; then
		bad "$name: files left behind: $(ls -A "$dir" | diff - "$tmp/listing" | head -n3)"
	else
		ok "$name: $(cut -d' ' -f2- "$tmp/err")"
	fi
}

mkdir -p errs && cp rel.o errs/ && cp exe errs/ 2>/dev/null
expect_error "missing file" "No such file" "$tmp/errs/missing.o" sample.btf
printf 'not an ELF file\n' >errs/text.o
expect_error "not ELF" "not an ELF object" "$tmp/errs/text.o" sample.btf
: >errs/empty.o
expect_error "empty file" "not an ELF object" "$tmp/errs/empty.o" sample.btf
head -c 100 rel.o >errs/short.o
expect_error "truncated ELF" "" "$tmp/errs/short.o" sample.btf
cp rel.o errs/shoff.o
# e_shoff (at 40 in ELF64) far past the end of the file.
printf '\xff\xff\xff\x7f' | dd of=errs/shoff.o bs=1 seek=40 conv=notrunc 2>/dev/null
expect_error "section headers past the end" "past the end" "$tmp/errs/shoff.o" sample.btf
cp rel.o errs/shsize.o
# The first real section's sh_size (at e_shoff + 64 + 32) made huge.
shoff=$(readelf -hW rel.o | sed -n 's/.*Start of section headers: *\([0-9]*\).*/\1/p')
printf '\xff\xff\xff\xff\xff\xff' | dd of=errs/shsize.o bs=1 seek=$((shoff + 64 + 32)) \
	conv=notrunc 2>/dev/null
expect_error "section past the end" "past the end" "$tmp/errs/shsize.o" sample.btf
if [ -f errs/exe ]; then
	expect_error "full disk" "cannot write" "$tmp/errs/exe" sample.btf \
		bash -c 'ulimit -f 8 && trap "" XFSZ && exec "$@"' -
fi

# A directory the writer cannot write to (as root, run as nobody).
mkdir ro && cp rel.o ro/ && chmod 0666 ro/rel.o && chmod 0555 ro
if [ "$(id -u)" != 0 ]; then
	expect_error "read-only directory" "cannot create a temporary file" "$tmp/ro/rel.o" \
		sample.btf
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups \
	test -x "$driver" 2>/dev/null; then
	expect_error "read-only directory" "cannot create a temporary file" "$tmp/ro/rel.o" \
		"$tmp/sample.btf" setpriv --reuid=65534 --regid=65534 --clear-groups
	chmod 0644 ro/rel.o
	expect_error "read-only file" "Permission denied" "$tmp/ro/rel.o" "$tmp/sample.btf" \
		setpriv --reuid=65534 --regid=65534 --clear-groups
else
	echo "skip read-only directory: root without setpriv"
fi

# ---- several sections in one replacement -------------------------------------------
# elfbtf_write_sections(), as a module's .BTF and .BTF.base are written: each
# section holds its blob and nothing else changes; the file is renamed once,
# keeps its mode and leaves no temporary file; one call gives the bytes of one
# call per section; a failure in any section leaves the file as it was. The
# objects live in multi/, so that the directory can be checked for leftovers.
mkdir multi

# sections_write NAME OBJ SECTION BLOB [SECTION BLOB...]: one call, checked.
sections_write() {
	local name=$1 obj=$2 dir written="" why
	shift 2
	dir=$(dirname "$obj")
	ls -A "$dir" >"$tmp/listing"
	cp -p "$obj" "$tmp/before"
	if ! "$driver" --sections "$obj" "$@" 2>"$tmp/err"; then
		bad "$name: $(cat "$tmp/err")"
		return 1
	fi
	while [ $# -ge 2 ]; do
		if ! section_is "$obj" "$1" "$2"; then
			bad "$name: $1 does not hold exactly $(basename "$2")"
			return 1
		fi
		written="$written $1"
		shift 2
	done
	if ! why=$(others_same "$tmp/before" "$obj" "$written") ||
		! why=$(sane "$tmp/before" "$obj"); then
		bad "$name: $why"
		return 1
	fi
	if ! no_leftovers "$dir"; then
		bad "$name: files left behind: $(ls -A "$dir" | diff - "$tmp/listing" | head -n3)"
		return 1
	fi
	return 0
}

# added_as_btf FILE NAME: section NAME is PROGBITS, without flags, 4-aligned.
added_as_btf() {
	sections "$1" | awk -v n="$2" '
		$2 == n { found = 1; good = $3 == "PROGBITS" && NF == 10 && $NF == 4 }
		END { exit !(found && good) }'
}

# runs NAME [RUN...]: RUN, if given, exits 42.
runs() {
	local name=$1 rc
	shift
	[ $# -gt 0 ] || return 0
	"$@"
	rc=$?
	if [ $rc -eq 42 ]; then ok "$name: still runs"; else bad "$name: exits $rc, not 42"; fi
}

# sections_round NAME OBJ [RUN...]: .BTF and .BTF.base added to OBJ, which
# has neither, then rewritten with other sizes.
sections_round() {
	local name=$1 obj=$2
	shift 2
	cp "$obj" "$tmp/round.orig"
	chmod 0751 "$obj"
	sections_write "$name" "$obj" .BTF sample.btf .BTF.base small.btf || return
	ok "$name: .BTF and .BTF.base added, nothing else changed"
	if added_as_btf "$obj" .BTF && added_as_btf "$obj" .BTF.base; then
		ok "$name: both PROGBITS, no flags, aligned to 4"
	else
		bad "$name: $(sections "$obj" | grep ' \.BTF')"
	fi
	if [ "$(stat -c %a "$obj")" = 751 ]; then
		ok "$name: mode 0751 kept"
	else
		bad "$name: mode is now $(stat -c %a "$obj")"
	fi
	runs "$name" "$@"
	cp "$obj" "$tmp/round.first"
	cp "$tmp/round.orig" "$tmp/round.seq"
	if "$driver" --sections "$tmp/round.seq" .BTF sample.btf &&
		"$driver" --sections "$tmp/round.seq" .BTF.base small.btf &&
		cmp -s "$tmp/round.seq" "$obj"; then
		ok "$name: one call gives the bytes of one call per section"
	else
		bad "$name: one call and one call per section differ"
	fi
	sections_write "$name (again)" "$obj" .BTF sample.btf .BTF.base small.btf || return
	if cmp -s "$obj" "$tmp/round.first"; then
		ok "$name: the same blobs again give the same bytes"
	else
		bad "$name: the same blobs again changed the file"
	fi
	sections_write "$name (larger .BTF)" "$obj" .BTF large.btf .BTF.base sample.btf || return
	cp "$obj" "$tmp/round.larger"
	sections_write "$name (larger .BTF again)" "$obj" .BTF large.btf .BTF.base sample.btf ||
		return
	if cmp -s "$obj" "$tmp/round.larger"; then
		ok "$name: other sizes, written twice, give the same bytes"
	else
		bad "$name: other sizes, written twice, differ"
	fi
	sections_write "$name (larger .BTF.base)" "$obj" .BTF small.btf .BTF.base large.btf &&
		sections_write "$name (first blobs)" "$obj" .BTF sample.btf .BTF.base small.btf &&
		ok "$name: smaller and larger blobs in both sections"
	runs "$name (at the end)" "$@"
}

runner=()
# sections_error NAME WANT OBJ [SECTION BLOB...]: the driver, run under
# "${runner[@]}", exits 1 with one line naming OBJ that contains WANT; OBJ
# keeps its bytes and mode; nothing new in its directory.
sections_error() {
	local name=$1 want=$2 obj=$3 dir rc mode
	shift 3
	dir=$(dirname "$obj")
	ls -A "$dir" >"$tmp/listing"
	cp "$obj" "$tmp/saved"
	mode=$(stat -c %a "$obj")
	"${runner[@]}" "$driver" --sections "$obj" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		bad "$name: exit $rc, not 1 ($(head -c 200 "$tmp/err"))"
	elif [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -qF "'$obj': " "$tmp/err" ||
		! grep -qF -- "$want" "$tmp/err"; then
		bad "$name: message: $(cat "$tmp/err")"
	elif ! cmp -s "$obj" "$tmp/saved"; then
		bad "$name: the file changed"
	elif [ "$(stat -c %a "$obj")" != "$mode" ]; then
		bad "$name: mode $mode is now $(stat -c %a "$obj")"
	elif ! no_leftovers "$dir"; then
		bad "$name: files left behind: $(ls -A "$dir" | diff - "$tmp/listing" | head -n3)"
	else
		ok "$name: $(cut -d' ' -f2- "$tmp/err")"
	fi
}

if gcc -g -c fixture.c -o multi/rel.o; then
	sections_round "two sections, ET_REL" multi/rel.o
fi
if gcc -g fixture.c main.c -o multi/exe; then
	sections_round "two sections, ET_EXEC" multi/exe multi/exe
fi
if [ -n "$clang" ]; then
	for t in i386-linux-gnu s390x-linux-gnu; do
		"$clang" -target $t -g -c fixture.c -o multi/$t.o 2>/dev/null &&
			sections_round "two sections, $t" multi/$t.o
	done
fi

# One section there already, one new, in either order.
if gcc -g -c fixture.c -o multi/has-btf.o && "$driver" multi/has-btf.o sample.btf &&
	sections_write "existing .BTF, new .BTF.base" multi/has-btf.o .BTF.base small.btf \
		.BTF large.btf; then
	if added_as_btf multi/has-btf.o .BTF.base; then
		ok "existing .BTF, new .BTF.base: added, .BTF grown"
	else
		bad "existing .BTF, new .BTF.base: $(sections multi/has-btf.o | grep ' \.BTF')"
	fi
fi
if [ -f own-bpfel.o ] && [ -f bpfel.btf ] && cp own-bpfel.o multi/own-bpfel.o &&
	sections_write "clang's .BTF, new .BTF.base" multi/own-bpfel.o .BTF bpfel.btf \
		.BTF.base small.btf; then
	ok "clang's .BTF, new .BTF.base: written"
fi
if gcc -g pinned.c main.c -o multi/pinned && chmod 0751 multi/pinned; then
	off=$(section_field multi/pinned .BTF offset)
	if sections_write "ET_EXEC, .BTF in a segment, new .BTF.base" multi/pinned \
		.BTF small.btf .BTF.base sample.btf &&
		[ "$(section_field multi/pinned .BTF offset)" = "$off" ]; then
		ok "ET_EXEC, .BTF in a segment, new .BTF.base: .BTF kept its offset"
	fi
	runs "ET_EXEC, .BTF in a segment, new .BTF.base" ./multi/pinned
	# The second section fails once the first is written: nothing changes.
	sections_error "second section too large for its segment" \
		".BTF lies in a loadable segment with room for" "$tmp/multi/pinned" \
		.BTF.base large.btf .BTF large.btf
fi
# A message names the section that failed.
cat >pinned-base.c <<EOF
int answer(void) { return 42; }
__asm__(".section .BTF.base, \"a\"\n.balign 4\n.fill 64, 1, 1\n.previous");
EOF
if gcc -g pinned-base.c main.c -o multi/pinned-base; then
	sections_error ".BTF.base too large for its segment" \
		"'$tmp/multi/pinned-base': .BTF.base lies in a loadable segment" \
		"$tmp/multi/pinned-base" .BTF sample.btf .BTF.base large.btf
fi

# A full disk in the second pass: the limit lets the first pass's file be
# written, as the same write of the first section alone shows, but not the
# second's, which is larger by large.btf.
if cp multi/exe multi/full && cp multi/exe "$tmp/probe" &&
	"$driver" --sections "$tmp/probe" .BTF small.btf; then
	limit=$((($(wc -c <"$tmp/probe") + 1023) / 1024))
	runner=(bash -c 'ulimit -f '"$limit"' && trap "" XFSZ && exec "$@"' -)
	cp multi/exe "$tmp/probe"
	if "${runner[@]}" "$driver" --sections "$tmp/probe" .BTF small.btf; then
		ok "full disk in the second pass: the first section alone fits"
	else
		bad "full disk in the second pass: the first section alone does not fit"
	fi
	sections_error "full disk in the second pass" "cannot write" "$tmp/multi/full" \
		.BTF small.btf .BTF.base large.btf
	runner=()
fi

# What no pass could write is refused before anything is written.
: >empty.btf
sections_error "no sections" "no section to write" "$tmp/multi/rel.o"
sections_error "second blob empty" "no BTF to write to .BTF.base" "$tmp/multi/rel.o" \
	.BTF sample.btf .BTF.base empty.btf
sections_error "section without a name" "has no name" "$tmp/multi/rel.o" "" sample.btf

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
