#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# verify_cli.sh BTFENC VERIFY_AGREE FIXTURES - "btfenc verify" on the
# command line (exit codes, lines, bases), then a bounded slice of
# scripts/check-verify.sh: damaged copies of blobs btfenc encodes from the
# fixtures and of /sys/kernel/btf/vmlinux, each judged by btf_verify() and
# by the kernel's loader, which must agree (99.5%, reasons 90%). The
# kernel part skips (and says so) where bpf(BPF_BTF_LOAD) is not permitted.
set -u

btfenc=${1:?usage: verify_cli.sh BTFENC VERIFY_AGREE FIXTURES}
agree=${2:?}
fixtures=${3:?}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail() { result 1 "$*"; }

# run EXPECT_RC EXPECT_STDOUT ARGS...: btfenc verify ARGS.
run() { cli_run "$1" "$2" verify "${@:3}"; }

command -v gcc >/dev/null || { echo "SKIP: no gcc"; exit 77; }
blobs=()
for f in bitfields enums funcptr btf_tags percpu recursive; do
	gcc -g -O1 -c -o "$tmp/$f.o" "$fixtures/$f.c" 2>/dev/null || continue
	"$btfenc" --btf_encode_detached="$tmp/$f.btf" "$tmp/$f.o" || fail "encode $f"
	run 0 "$tmp/$f.btf: valid BTF" -v "$tmp/$f.btf"
	blobs+=("$tmp/$f.btf")
done
"$btfenc" "$tmp/enums.o" || fail "encode enums.o in place"
run 0 "$tmp/enums.o: valid BTF" -v "$tmp/enums.o"
# enums.btf's first type with its info word's reserved bits set.
cp "$tmp/enums.btf" "$tmp/bad.btf"
printf '\x01' | dd of="$tmp/bad.btf" bs=1 seek=$((24 + 6)) conv=notrunc status=none
info=$(od -An -tx4 -j $((24 + 4)) -N4 "$tmp/bad.btf" | tr -d ' ' | sed 's/^0*//')
run 1 "[1] Invalid btf_info:$info" "$tmp/bad.btf"
grep -q "^btfenc: '$tmp/bad.btf': the kernel would refuse this BTF (1 finding)$" "$tmp/err" ||
	fail "refusal line: $(cat "$tmp/err")"
# Split BTF: valid on its base; alone, its first own type is read as [1].
"$btfenc" --btf_base "$tmp/enums.btf" --btf_encode_detached="$tmp/split.btf" "$tmp/bitfields.o" ||
	fail "encode split"
run 0 "$tmp/split.btf: valid split BTF" -v --base "$tmp/enums.btf" "$tmp/split.btf"
"$btfenc" verify "$tmp/split.btf" >/dev/null 2>&1
result $((! $?)) "verify split.btf without its base refuses it"
run 2 "" --kernel 6 "$tmp/enums.btf"
run 2 "" --max x "$tmp/enums.btf"
run 2 "" "$tmp/enums.btf" "$tmp/enums.btf"
run 2 ""
run 3 "" "$tmp/missing.btf"
run 3 "" --base "$tmp/missing.btf" "$tmp/enums.btf"
printf 'not btf at all, just text' >"$tmp/junk"
run 1 "btf_header not found" "$tmp/junk"
: >"$tmp/empty"
run 1 "hdr_len not found" "$tmp/empty"
run 3 "" "$tmp"

# A blob larger than any read buffer, raw and copied byte for byte.
if [ -r /sys/kernel/btf/vmlinux ]; then
	cat /sys/kernel/btf/vmlinux >"$tmp/vmlinux.btf"
	run 0 "$tmp/vmlinux.btf: valid BTF" -v "$tmp/vmlinux.btf"
	run 0 "/sys/kernel/btf/vmlinux: valid BTF" -v /sys/kernel/btf/vmlinux
fi

# Through a pipe: nothing may read ahead of the reader (a .ko.gz probe once
# ate the first two bytes).
[ "$(cat "$tmp/enums.btf" | "$btfenc" verify -v /dev/stdin)" = "/dev/stdin: valid BTF" ]
result $? "verify of a pipe"
cmp -s <(cat "$tmp/enums.btf" | "$btfenc" dump /dev/stdin) <("$btfenc" dump "$tmp/enums.btf")
result $? "dump of a pipe"

# The kernel as the judge, on damaged copies.
if [ -r /sys/kernel/btf/vmlinux ]; then
	"$agree" -n 150 -s 11 -v /sys/kernel/btf/vmlinux >"$tmp/agree" 2>&1
	rc=$?
	tail -n 3 "$tmp/agree"
	[ $rc = 77 ] && echo "SKIP: bpf(BPF_BTF_LOAD) not permitted" ||
		{ [ $rc = 0 ] || { cat "$tmp/agree"; fail "vmlinux: verify and the kernel disagree"; }; }
fi
"$agree" -n 600 -s 5 -v "${blobs[@]}" >"$tmp/agree" 2>&1
rc=$?
tail -n 3 "$tmp/agree"
if [ $rc = 77 ]; then
	echo "SKIP: bpf(BPF_BTF_LOAD) not permitted"
elif [ $rc != 0 ]; then
	cat "$tmp/agree"
	fail "fixtures: verify and the kernel disagree"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
