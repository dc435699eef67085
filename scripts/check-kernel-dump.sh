#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kernel-dump.sh [--all] [--btfenc PATH] - "btfenc dump" against
# bpftool 7.1 on real kernel BTF: the .BTF of Debian's debug vmlinux, a few
# of its modules as split BTF on that vmlinux (or, with --all, every module),
# and the running kernel's /sys/kernel/btf/vmlinux. Each file must dump to
# the same bytes as "bpftool [-B vmlinux] btf dump file FILE".
#
# The kernel package comes from scripts/fetch-kernel-dbg.sh (BTFENC_CACHE
# chooses its cache). The modules are ET_REL objects with relocations, but
# .BTF has none, so its bytes are the BTF as built.
#
# Prints one line per file and "N passed, N failed"; exits 1 on a failure.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
btfenc=${BTFENC:-$repo/build/btfenc}
all=false

while [ $# -gt 0 ]; do
	case $1 in
	--all) all=true ;;
	--btfenc) btfenc=${2:?--btfenc needs a path}; shift ;;
	--btfenc=*) btfenc=${1#--btfenc=} ;;
	-h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "check-kernel-dump: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

bpftool=${BPFTOOL:-$(command -v bpftool || command -v /usr/sbin/bpftool)}
[ -n "$bpftool" ] || { echo "check-kernel-dump: bpftool not found" >&2; exit 2; }
[ -x "$btfenc" ] || { echo "check-kernel-dump: no btfenc at '$btfenc' (build it, or pass --btfenc)" >&2; exit 2; }

dir=$("$repo/scripts/fetch-kernel-dbg.sh") || exit 1
vmlinux=$dir/usr/lib/debug/boot/vmlinux-$kver
moddir=$dir/usr/lib/debug/lib/modules/$kver/kernel

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# check LABEL [BASE] FILE
check() {
	local label=$1 base=$2 file=$3 b=() e=()

	if [ -n "$base" ]; then
		b=(-B "$base")
		e=(--base "$base")
	fi
	if ! "$bpftool" "${b[@]}" btf dump file "$file" >"$tmp/expect" 2>"$tmp/err"; then
		echo "FAIL $label: bpftool: $(head -n 1 "$tmp/err")"
		failed=$((failed + 1))
		return
	fi
	if ! "$btfenc" dump "$file" "${e[@]}" >"$tmp/actual" 2>"$tmp/err"; then
		echo "FAIL $label: $(head -n 1 "$tmp/err")"
		failed=$((failed + 1))
	elif cmp -s "$tmp/expect" "$tmp/actual"; then
		echo "ok   $label ($(wc -l <"$tmp/actual") lines)"
		passed=$((passed + 1))
	else
		echo "FAIL $label: differs from bpftool: $(cmp "$tmp/expect" "$tmp/actual" 2>&1)"
		failed=$((failed + 1))
	fi
}

check "vmlinux-$kver" "" "$vmlinux"
if $all; then
	while IFS= read -r mod; do
		check "${mod#"$moddir"/}" "$vmlinux" "$mod"
	done < <(find "$moddir" -name '*.ko' | sort)
else
	# Big to tiny: the largest .BTF, a file system, a mid-size and a 94-byte one.
	for mod in drivers/net/ethernet/mellanox/mlx5/core/mlx5_core.ko fs/btrfs/btrfs.ko \
		   net/sched/act_ife.ko lib/crc-itu-t.ko; do
		check "$mod" "$vmlinux" "$moddir/$mod"
	done
fi
if [ -r /sys/kernel/btf/vmlinux ]; then
	check /sys/kernel/btf/vmlinux "" /sys/kernel/btf/vmlinux
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
