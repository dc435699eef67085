#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dump-vs-bpftool.sh [--btfenc PATH] [--runs N] [FILE] - wall time of
# "btfenc dump FILE" against "bpftool btf dump file FILE" (default FILE:
# /sys/kernel/btf/vmlinux), each parse plus full raw dump.
#
# Two measurements, both printed:
#  - output to a file: the real use, and the acceptance figure (btfenc must
#    take at most half of bpftool's time). bpftool line-buffers stdout, so it
#    pays one write() per line here; that is part of what it costs.
#  - output to /dev/null: writes are nearly free, so this isolates reading,
#    parsing and formatting; the stricter comparison.
# The programs alternate run by run (after one untimed warm-up each) so that
# drift in machine load hits both alike; medians of N runs (default 11).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
btfenc=${BTFENC:-$repo/build/btfenc}
runs=11
file=/sys/kernel/btf/vmlinux

while [ $# -gt 0 ]; do
	case $1 in
	--btfenc) btfenc=${2:?--btfenc needs a path}; shift ;;
	--runs) runs=${2:?--runs needs a number}; shift ;;
	-h|--help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "dump-vs-bpftool: unknown option '$1'" >&2; exit 2 ;;
	*) file=$1 ;;
	esac
	shift
done
[ "$runs" -ge 5 ] 2>/dev/null || { echo "dump-vs-bpftool: --runs must be at least 5" >&2; exit 2; }
bpftool=${BPFTOOL:-$(command -v bpftool || command -v /usr/sbin/bpftool)}
[ -n "$bpftool" ] || { echo "dump-vs-bpftool: bpftool not found" >&2; exit 2; }
[ -x "$btfenc" ] || { echo "dump-vs-bpftool: no btfenc at '$btfenc'" >&2; exit 2; }
[ -r "$file" ] || { echo "dump-vs-bpftool: cannot read '$file'" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_ms OUT CMD... - runs CMD with stdout to OUT; prints its wall time in ms
run_ms() {
	local out=$1 t0 t1
	shift
	t0=$(date +%s%N)
	"$@" >"$out"
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }'
}

# bench LABEL OUT - prints medians and the ratio for one output target
bench() {
	local label=$1 out=$2 i e b
	: >"$tmp/btfenc.us"
	: >"$tmp/bpftool.us"
	run_ms "$out" "$btfenc" dump "$file" >/dev/null
	run_ms "$out" "$bpftool" btf dump file "$file" >/dev/null
	for ((i = 0; i < runs; i++)); do
		run_ms "$out" "$btfenc" dump "$file" >>"$tmp/btfenc.us"
		run_ms "$out" "$bpftool" btf dump file "$file" >>"$tmp/bpftool.us"
	done
	e=$(median <"$tmp/btfenc.us")
	b=$(median <"$tmp/bpftool.us")
	printf '%-10s btfenc %7.1f ms   bpftool %7.1f ms   btfenc/bpftool %.3f\n' \
		"$label" "$e" "$b" "$(awk -v e="$e" -v b="$b" 'BEGIN { print e / b }')"
}

"$btfenc" dump "$file" >"$tmp/a"
"$bpftool" btf dump file "$file" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || echo "warning: the two dumps differ" >&2
echo "$file, $(wc -l <"$tmp/b") lines, median of $runs runs, alternating"
bench "to a file" "$tmp/out"
bench "/dev/null" /dev/null
