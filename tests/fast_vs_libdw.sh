#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fast_vs_libdw.sh BTFENC FIXTURES - btfenc's own DIE decoder (the fast path,
# dwarf/dwt_dec.c and dwt_loc.c) against libdw's walk (BTFENC_WALK=libdw) on
# damaged DWARF: the fast path must read a unit exactly as libdw does or
# hand it to libdw, so for any input both write the same bytes and the same
# messages and exit the same way.
#
# Objects are built here from FIXTURES (gcc with DWARF 5 and 4, an ET_REL
# object and a linked executable; clang's DWARF 5 where clang is), then each
# gets MUTANTS copies with three bytes changed at positions spread over its
# .debug_info, .debug_abbrev, .debug_str and location lists, chosen by a fixed
# rule (the same mutants every run). About half of them no longer encode;
# each mutant is one check. Runs under a 4 GB address-space cap: hostile
# sizes must fail, not allocate. Prints "ok"/"FAIL" lines (failures only,
# and one line per object), then "N passed, N failed".
set -u

btfenc=${1:?usage: fast_vs_libdw.sh BTFENC FIXTURES}
fixtures=${2:?usage: fast_vs_libdw.sh BTFENC FIXTURES}
mutants=${MUTANTS:-120}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v gcc >/dev/null || { echo "SKIP: no gcc"; exit 77; }
srcs="$fixtures/bitfields.c $fixtures/anon_unions.c $fixtures/enums.c $fixtures/btf_tags.c
      $fixtures/funcptr.c $fixtures/varargs.c $fixtures/manyparams.c $fixtures/percpu.c"

# btfenc on FILE, libdw's walk or not: exit status, messages, BTF into DIR.
# Both write to one path, which messages may name.
encode() {
	local dir=$1 file=$2 walk=$3

	mkdir -p "$dir"
	rm -f "$dir/btf" "$tmp/out.btf"
	BTFENC_WALK=$walk capped "$btfenc" -J --btf_encode_detached="$tmp/out.btf" \
		"$file" >"$dir/out" 2>"$dir/err"
	echo $? >"$dir/rc"
	[ ! -e "$tmp/out.btf" ] || mv "$tmp/out.btf" "$dir/btf"
}

same() {
	local a=$1 b=$2

	cmp -s "$a/rc" "$b/rc" && cmp -s "$a/out" "$b/out" && cmp -s "$a/err" "$b/err" &&
		{ [ ! -e "$a/btf" ] && [ ! -e "$b/btf" ] || cmp -s "$a/btf" "$b/btf"; }
}

# The DWARF sections of OBJ: "name offset size" lines (readelf's hex).
sections() {
	local name off size

	readelf -SW "$1" | awk '{
		for (i = 1; i <= NF; i++)
			if ($i ~ /^\.debug_(info|abbrev|str|loc|loclists)$/)
				print $i, $(i + 3), $(i + 4)
	}' | while read -r name off size; do
		echo "$name $((16#$off)) $((16#$size))"
	done
}

# Mutant I of OBJ into FILE: three bytes of one section, by a fixed rule.
mutate() {
	local obj=$1 i=$2 file=$3 secs=$4 nsec line name off size k pos byte

	cp "$obj" "$file"
	nsec=$(wc -l <<<"$secs")
	line=$(sed -n "$((i % nsec + 1))p" <<<"$secs")
	read -r name off size <<<"$line"
	for k in 1 2 3; do
		pos=$((off + (i * 7919 * k + k * 104729) % size))
		byte=$(((i * 31 + k * 17) % 256))
		printf "$(printf '\\%03o' "$byte")" |
			dd of="$file" bs=1 seek="$pos" conv=notrunc status=none
	done
}

run_object() {
	local what=$1 obj=$2 secs i broken=0

	secs=$(sections "$obj")
	if [ -z "$secs" ]; then
		result 1 "$what: no DWARF sections found"
		return
	fi
	encode "$tmp/fast" "$obj" fast
	encode "$tmp/libdw" "$obj" libdw
	same "$tmp/fast" "$tmp/libdw"
	result $? "$what: undamaged, fast path = libdw"
	for i in $(seq 1 "$mutants"); do
		mutate "$obj" "$i" "$tmp/m.o" "$secs"
		encode "$tmp/fast" "$tmp/m.o" fast
		encode "$tmp/libdw" "$tmp/m.o" libdw
		[ "$(cat "$tmp/fast/rc")" = 0 ] || broken=$((broken + 1))
		if same "$tmp/fast" "$tmp/libdw"; then
			passed=$((passed + 1))
		else
			result 1 "$what: mutant $i: fast path and libdw differ (exit $(cat "$tmp/fast/rc") vs $(cat "$tmp/libdw/rc"))"
			head -n 2 "$tmp/fast/err" "$tmp/libdw/err" | sed 's/^/  /'
			cp "$tmp/m.o" "$tmp/../fast_vs_libdw.$i.o" 2>/dev/null
		fi
	done
	echo "ok   $what: $mutants mutants compared, $broken of them refused"
}

build() {
	local cc=$1 out=$2

	shift 2
	# shellcheck disable=SC2086
	"$cc" "$@" -w -o "$out" $srcs 2>"$tmp/cc.err"
}

if build gcc "$tmp/gcc5.exe" -g -gdwarf-5 -O2 -nostdlib -Wl,-e,0 -Wl,--unresolved-symbols=ignore-all; then
	run_object "gcc DWARF 5 executable" "$tmp/gcc5.exe"
else
	result 1 "gcc DWARF 5 executable: cannot build: $(head -n1 "$tmp/cc.err")"
fi
if gcc -g -gdwarf-4 -O2 -w -c -o "$tmp/gcc4.o" "$fixtures/bitfields.c" 2>"$tmp/cc.err"; then
	run_object "gcc DWARF 4 object" "$tmp/gcc4.o"
else
	result 1 "gcc DWARF 4 object: cannot build: $(head -n1 "$tmp/cc.err")"
fi
if command -v clang >/dev/null; then
	if clang -g -gdwarf-5 -O2 -w -c -o "$tmp/clang5.o" "$fixtures/manyparams.c" 2>"$tmp/cc.err"; then
		run_object "clang DWARF 5 object" "$tmp/clang5.o"
	else
		result 1 "clang DWARF 5 object: cannot build: $(head -n1 "$tmp/cc.err")"
	fi
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
