#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# encode_in_place.sh BTFENC FIXTURES - "btfenc FILE" on objects gcc builds now
# (ET_REL and a linked executable): .BTF is added or replaced in place, every
# other section keeps its bytes (objcopy --dump-section, cmp), the program
# headers do not change and the program still runs, the mode survives, the
# BTF equals --btf_encode_detached's, and a second run gives the same bytes;
# and the same bytes for any number of threads (-jN) on a many-unit program.
# Prints a line per check and "N passed, N failed"; 77 without gcc/objcopy.
set -u
btfenc=${1:?usage: encode_in_place.sh BTFENC FIXTURES}
fx=${2:?usage: encode_in_place.sh BTFENC FIXTURES}
for t in gcc objcopy readelf; do
	command -v $t >/dev/null || { echo "SKIP: no $t"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# sections OBJ: names of the sections with bytes in the file
sections() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) *\([A-Z_]*\) .*/\1 \2/p' |
		awk '$2 != "NOBITS" && $1 != "NULL" && $2 != "NULL" {print $1}'
}

# same_sections OLD NEW: every section but .BTF and the name table has its bytes
same_sections() {
	local s n=0
	for s in $(sections "$1"); do
		case $s in .BTF | .shstrtab) continue ;; esac
		objcopy --dump-section "$s=$tmp/a.sec" "$1" "$tmp/junk.o" 2>/dev/null || return 1
		objcopy --dump-section "$s=$tmp/b.sec" "$2" "$tmp/junk.o" 2>/dev/null || return 1
		cmp -s "$tmp/a.sec" "$tmp/b.sec" || { echo "     section $s changed"; return 1; }
		n=$((n + 1))
	done
	echo "     $n sections compared"
}

gcc -g -O2 -c "$fx/bitfields.c" -o "$tmp/rel.o" -I"$fx" || exit 1
cat >"$tmp/prog.c" <<'C'
struct flags { unsigned a : 3, b : 5; } prog_flags;
int prog_table[4];
int main(void) { return 42 + prog_flags.a + prog_table[0]; }
C
gcc -g -O2 "$tmp/prog.c" -o "$tmp/exe" || exit 1
for obj in rel.o exe; do
	cp "$tmp/$obj" "$tmp/w.$obj"
	chmod 0751 "$tmp/w.$obj"
	check "$obj: encoded in place" "$btfenc" "$tmp/w.$obj"
	check "$obj: other sections byte-identical" same_sections "$tmp/$obj" "$tmp/w.$obj"
	check "$obj: mode kept" test "$(stat -c %a "$tmp/w.$obj")" = 751
	"$btfenc" --btf_encode_detached="$tmp/d.btf" "$tmp/$obj"
	check "$obj: same BTF as detached" cmp -s <("$btfenc" dump "$tmp/w.$obj") \
		<("$btfenc" dump "$tmp/d.btf")
	cp "$tmp/w.$obj" "$tmp/w2.$obj"
	"$btfenc" "$tmp/w2.$obj"
	check "$obj: a second run gives the same bytes" cmp -s "$tmp/w.$obj" "$tmp/w2.$obj"
done
check "exe: program headers unchanged" cmp -s <(readelf -lW "$tmp/exe") <(readelf -lW "$tmp/w.exe")
"$tmp/w.exe"
check "exe: still runs (exit 42)" test $? = 42

# Threads: the units of a many-unit executable, encoded with 1 to 8 threads
# (and with more threads than units), give the same bytes every time.
if gcc -g -O2 -I"$fx" -o "$tmp/many" "$fx/main.c" "$fx/kfuncs.c" "$fx/clones.c" \
	"$fx/percpu.c" "$fx/static_dup_a.c" "$fx/static_dup_b.c" "$fx/typedefs.c" \
	"$fx/bitfields.c" "$fx/enums.c" 2>"$tmp/gcc.err"; then
	"$btfenc" -j1 --btf_encode_detached="$tmp/j1.btf" "$tmp/many"
	for j in -j2 -j3 -j8 -j64 -j; do
		"$btfenc" $j --btf_encode_detached="$tmp/jn.btf" "$tmp/many"
		check "many units: $j gives the bytes of -j1" cmp -s "$tmp/j1.btf" "$tmp/jn.btf"
	done
else
	check "many units: build ($(head -n 1 "$tmp/gcc.err"))" false
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
