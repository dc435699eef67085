#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# diff_cli.sh BTFENC - "btfenc diff" on the command line: its output and its
# exit codes (0 equal, 1 different, 2 usage error, 3 bad input), on tiny raw
# BTF blobs written here byte by byte (little-endian; btfenc reads either
# order on any host), plus split inputs on a base. Then, if readable,
# /sys/kernel/btf/vmlinux against itself and against "btfenc dedup" of it,
# which must both be empty and fast.
set -u

btfenc=${1:?usage: diff_cli.sh BTFENC}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail() { result 1 "$*"; }

# le32 N...: each N as 4 little-endian bytes.
le32() {
	local n
	for n; do
		printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((n & 255)) $((n >> 8 & 255)) \
			$((n >> 16 & 255)) $((n >> 24 & 255)))"
	done
}

# blob FILE TYPE_LEN STR_LEN TYPE_WORDS... -- STRINGS: a BTF header, the
# type words, then the strings (printf format, NULs as \0).
blob() {
	local file=$1 type_len=$2 str_len=$3 words=()
	shift 3
	while [ "$1" != -- ]; do words+=("$1"); shift; done
	{
		printf '\x9f\xeb\x01\x00'
		le32 24 0 "$type_len" "$type_len" "$str_len" "${words[@]}"
		printf "$2"
	} >"$file"
}

INT=$((1 << 24))
PTR=$((2 << 24))
SIGNED=$((1 << 24))
# A: int 'int' (4 bytes). B: int 'long' (8 bytes). S: split, one PTR to type 1.
blob "$tmp/a" 16 5 1 $INT 4 $((SIGNED | 32)) -- '\0int\0'
blob "$tmp/b" 16 6 1 $INT 8 $((SIGNED | 64)) -- '\0long\0'
blob "$tmp/s" 12 0 0 $PTR 1 -- ''
printf 'not btf at all' >"$tmp/junk"

# run EXPECT_RC EXPECT_STDOUT ARGS...: btfenc diff ARGS.
run() { cli_run "$1" "$2" diff "${@:3}"; }

ab='- int int size=4 bits=32 encoding=signed
+ int long size=8 bits=64 encoding=signed'
run 0 '' "$tmp/a" "$tmp/a"
run 1 "$ab" "$tmp/a" "$tmp/b"
run 1 "$ab
2 differences" -v "$tmp/a" "$tmp/b"
run 0 '0 differences' -v "$tmp/b" "$tmp/b"
run 0 '' --ignore-kinds=int,func "$tmp/a" "$tmp/b"
run 0 '' --ignore-kinds int --ignore-strings-order "$tmp/a" "$tmp/b"
run 1 '[
{"op":"-","kind":"int","name":"int","detail":"size=4 bits=32 encoding=signed"},
{"op":"+","kind":"int","name":"long","detail":"size=8 bits=64 encoding=signed"}
]' --json "$tmp/a" "$tmp/b"
run 0 '[]' --json "$tmp/a" "$tmp/a"
# Split: only own types count, base types read by name.
run 0 '' --base "$tmp/a" "$tmp/s" "$tmp/s"
run 1 "- ptr (anon) 'int *'
+ ptr (anon) 'long *'" --base-a "$tmp/a" --base-b "$tmp/b" "$tmp/s" "$tmp/s"
run 1 "+ int int size=4 bits=32 encoding=signed
- ptr (anon) 'int *'" --base-a "$tmp/a" "$tmp/s" "$tmp/a"

# Usage errors.
run 2 ''
run 2 '' "$tmp/a"
run 2 '' "$tmp/a" "$tmp/b" "$tmp/b"
run 2 '' --bogus "$tmp/a" "$tmp/b"
run 2 '' --ignore-kinds=int,structs "$tmp/a" "$tmp/b"
run 2 '' --base "$tmp/a" --base-b "$tmp/b" "$tmp/s" "$tmp/s"
run 2 '' "$tmp/a" --base
# Bad input.
run 3 '' "$tmp/a" "$tmp/missing"
run 3 '' "$tmp/junk" "$tmp/a"
run 3 '' --base "$tmp/missing" "$tmp/s" "$tmp/s"
run 3 '' "$tmp/s" "$tmp/a"
if ! grep -q "^btfenc: .*junk" <(
	"$btfenc" diff "$tmp/junk" "$tmp/a" 2>&1 >/dev/null); then
	fail "no error line names the bad file"
fi

# Two builds of one source that differ in one struct member (its type, the
# layout unchanged): the diff of their BTF names that member and nothing
# else, by gcc and clang, DWARF 4 and 5, and from the objects themselves.
cat >"$tmp/two.c" <<'EOF'
struct inner { int x; unsigned int y; };
struct conn {
	int id;
#ifdef BUILD_B
	unsigned int flags;
#else
	int flags;
#endif
	struct inner in;
	struct conn *next;
};
struct conn conn_head;
int conn_id(struct conn *c) { return c->id + c->flags; }
EOF
for cc in gcc clang; do
	for dw in 4 5; do
		command -v $cc >/dev/null || { echo "SKIP two builds: no $cc"; continue; }
		for v in a b; do
			def=; [ $v = b ] && def=-DBUILD_B
			$cc -g -gdwarf-$dw -O1 $def -c -o "$tmp/two_$v.o" "$tmp/two.c" &&
				"$btfenc" "$tmp/two_$v.o" 2>"$tmp/err" ||
				fail "two builds ($cc, DWARF $dw): build $v: $(head -n1 "$tmp/err")"
		done
		run 1 "~ struct conn: member 'flags' type 'int' -> 'unsigned int'" \
			"$tmp/two_a.o" "$tmp/two_b.o"
		run 1 '[
{"op":"~","kind":"struct","name":"conn","detail":"member '"'flags'"' type '"'int'"' -> '"'unsigned int'"'"}
]' --json "$tmp/two_a.o" "$tmp/two_b.o"
	done
done

vmlinux=/sys/kernel/btf/vmlinux
if [ -r "$vmlinux" ]; then
	start=$(date +%s%N)
	run 0 '' "$vmlinux" "$vmlinux"
	ms=$((($(date +%s%N) - start) / 1000000))
	echo "     vmlinux against itself: $ms ms"
	if [ "$ms" -gt 2000 ]; then
		fail "vmlinux against itself took $ms ms"
	fi
	if "$btfenc" dedup -o "$tmp/vmlinux.dedup" "$vmlinux" 2>"$tmp/err"; then
		run 0 '' "$vmlinux" "$tmp/vmlinux.dedup"
		run 0 '[]' --json --ignore-kinds=func,var,datasec,decl_tag \
			"$tmp/vmlinux.dedup" "$vmlinux"
	else
		fail "btfenc dedup $vmlinux: $(head -n1 "$tmp/err")"
	fi
else
	echo "SKIP vmlinux: $vmlinux is not readable"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] || exit 1
