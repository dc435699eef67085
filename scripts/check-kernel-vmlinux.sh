#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kernel-vmlinux.sh [--build DIR] [--pahole PAHOLE] - btfenc on the
# vmlinux of Debian's 6.1 cloud kernel (linux-image-6.1.0-56-cloud-amd64-dbg,
# scripts/fetch-kernel-dbg.sh; the cache is $BTFENC_CACHE, else /work/cache if
# it holds one, else <repo>/cache), as the kernel's build runs it: DIR/pahole
# (the link) with the flags 6.1's scripts/pahole-flags.sh gives pahole v1.31
# plus --lang_exclude=rust, written detached. Checks, one line each:
#  - the blob loads into the running kernel (DIR/tests/btf_load);
#  - by name and shape against the reference .BTF that Debian's build wrote
#    with pahole 1.24 (boot/vmlinux-*): no STRUCT, UNION, ENUM, ENUM64,
#    TYPEDEF, FWD, INT or FLOAT differs, every reference VAR is present, and
#    the type count is within 0.5% of the reference's; the FUNC differences
#    (1.24's function rules against 1.31's) are counted;
#  - with pahole v1.31 (--pahole, $PAHOLE131 or /work/ext/pahole-1.31/pahole,
#    never part of the project) on the same file and flags: "btfenc diff"
#    finds nothing and the dumps are identical line for line;
#  - the bytes are the same for -j1, -j2, -j8 and from run to run.
# Prints "N passed, N failed" last; exits 1 on a failure, 2 on a setup error.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
build=$repo/build
ref131=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=${2:?--build needs a directory}; shift ;;
	--pahole) ref131=${2:?--pahole needs a path}; shift ;;
	*) echo "usage: check-kernel-vmlinux.sh [--build DIR] [--pahole PAHOLE]" >&2; exit 2 ;;
	esac
	shift
done
dir=$("$repo/scripts/fetch-kernel-dbg.sh") || exit 2
dbg=$dir/usr/lib/debug/vmlinux-$kver
reference=$dir/usr/lib/debug/boot/vmlinux-$kver
btfenc=$build/btfenc
pahole_link=$build/pahole
loader=$build/tests/btf_load
for f in "$dbg" "$reference" "$btfenc" "$pahole_link" "$loader"; do
	[ -e "$f" ] || { echo "check-kernel-vmlinux: $f is missing" >&2; exit 2; }
done
flags=(-J --btf_gen_floats -j --lang_exclude=rust --skip_encoding_btf_inconsistent_proto
	--btf_gen_optimized)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../tests/lib.sh
. "$repo/tests/lib.sh"

types() { "$btfenc" dump "$1" | grep -c '^\['; }

start=$(date +%s.%N)
"$pahole_link" "${flags[@]}" --btf_encode_detached="$tmp/v.btf" "$dbg" 2>"$tmp/err"
result $? "encode vmlinux ($(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s)$(
	[ -s "$tmp/err" ] && echo ": $(head -n 1 "$tmp/err")")"
"$loader" "$tmp/v.btf" 2>"$tmp/load"
st=$?
if [ $st = 77 ]; then
	echo "skip load: bpf(BPF_BTF_LOAD) not permitted here"
else
	result $st "the running kernel loads it"
fi

n_ref=$(types "$reference")
n_new=$(types "$tmp/v.btf")
"$btfenc" diff "$reference" "$tmp/v.btf" >"$tmp/ref.diff"
shape=$(grep -E '^[-+~] (struct|union|enum|enum64|typedef|fwd|int|float) ' "$tmp/ref.diff")
result "$([ -z "$shape" ] && echo 0 || echo 1)" \
	"reference: STRUCT, UNION, ENUM, ENUM64, TYPEDEF, FWD, INT, FLOAT identical$(
	[ -n "$shape" ] && printf '\n%s' "$(head -n 5 <<<"$shape")")"
lost=$(grep -E '^- var ' "$tmp/ref.diff")
added_vars=$(grep -E '^\+ var ' "$tmp/ref.diff" | sed 's/^+ var //; s/ .*//' | paste -sd, -)
result "$([ -z "$lost" ] && echo 0 || echo 1)" \
	"reference: every VAR present (added: ${added_vars:-none})$(
	[ -n "$lost" ] && printf '\n%s' "$(head -n 5 <<<"$lost")")"
pct=$(echo "scale=3; 100 * ($n_new - $n_ref) / $n_ref" | bc)
result "$(echo "${pct#-} <= 0.5" | bc | grep -q 1 && echo 0 || echo 1)" \
	"reference: $n_new types against $n_ref ($pct%)"
ref_funcs=$("$btfenc" dump "$reference" | grep -c '^\[[0-9]*\] FUNC ')
echo "     FUNCs: reference $ref_funcs; only in the reference $(grep -c '^- func ' "$tmp/ref.diff"), only in btfenc's $(grep -c '^+ func ' "$tmp/ref.diff"), changed $(grep -c '^~ func ' "$tmp/ref.diff")"

if [ -x "$ref131" ]; then
	start=$(date +%s.%N)
	"$ref131" "${flags[@]}" --btf_encode_detached="$tmp/p.btf" "$dbg" >/dev/null 2>&1
	echo "     pahole $("$ref131" --version): $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s"
	"$btfenc" diff "$tmp/p.btf" "$tmp/v.btf" >"$tmp/ph.diff"
	result $? "pahole $("$ref131" --version): btfenc diff finds nothing$(
		[ -s "$tmp/ph.diff" ] && printf '\n%s' "$(head -n 5 "$tmp/ph.diff")")"
	cmp -s <("$btfenc" dump "$tmp/p.btf") <("$btfenc" dump "$tmp/v.btf")
	result $? "pahole $("$ref131" --version): identical dump ($n_new types)$(
		cmp -s "$tmp/p.btf" "$tmp/v.btf" && echo ", identical bytes")"
else
	echo "skip pahole v1.31 comparison: $ref131 not found"
fi

for j in -j1 -j2 -j8 -j2; do
	"$pahole_link" "${flags[@]}" "$j" --btf_encode_detached="$tmp/j.btf" "$dbg" 2>/dev/null
	cmp -s "$tmp/v.btf" "$tmp/j.btf"
	result $? "same bytes with $j"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
