#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dedup.sh [--btfenc PATH] [--runs N] [--all] - wall time and peak RSS of
# "btfenc dedup" on large inputs, median of N runs (default 5):
#  - /sys/kernel/btf/vmlinux appended to itself (twice its types in);
#  - the .BTF of 20 modules of Debian's debug kernel on their vmlinux base;
#  - with --all, the .BTF of every module of that kernel on the same base.
# Module and vmlinux .BTF sections are first copied out to raw files, so
# the figures are parsing, appending, dedup and writing, not ELF reading.
# The kernel package comes from scripts/fetch-kernel-dbg.sh (BTFENC_CACHE
# chooses its cache); inputs that are missing are skipped.
#
# Prints one line per input: types in and out, median wall time, median
# peak RSS (from /usr/bin/time, package "time").
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
btfenc=${BTFENC:-$repo/build/btfenc}
runs=5
all=false

while [ $# -gt 0 ]; do
	case $1 in
	--btfenc) btfenc=${2:?--btfenc needs a path}; shift ;;
	--runs) runs=${2:?--runs needs a number}; shift ;;
	--all) all=true ;;
	-h|--help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-dedup: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ "$runs" -ge 1 ] 2>/dev/null || { echo "bench-dedup: --runs must be a positive number" >&2; exit 2; }
[ -x "$btfenc" ] || { echo "bench-dedup: no btfenc at '$btfenc'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-dedup: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() {
	sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench LABEL ARGS... - runs "btfenc dedup -o OUT ARGS..." and prints a line
bench() {
	local label=$1 i t0 t1 counts
	shift
	: >"$tmp/ms"
	: >"$tmp/kb"
	# Warm-up, and the counts from -v.
	"$btfenc" dedup -v -o "$tmp/out.btf" "$@" 2>"$tmp/v"
	counts=$(sed -n 's/^btfenc: dedup: [0-9]* files\{0,1\}: \([0-9]*\) types -> \([0-9]*\),.*/\1 -> \2/p' "$tmp/v")
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		/usr/bin/time -f %M -o "$tmp/rss" "$btfenc" dedup -o "$tmp/out.btf" "$@"
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000)) >>"$tmp/ms"
		tail -n 1 "$tmp/rss" >>"$tmp/kb"
	done
	printf '%-30s %17s types  %8.1f ms  %7.1f MB peak RSS\n' "$label" "$counts" \
		"$(median <"$tmp/ms" | awk '{ print $1 / 1000 }')" \
		"$(median <"$tmp/kb" | awk '{ print $1 / 1024 }')"
}

# raw_btf ELF OUT - copies ELF's .BTF section to OUT
raw_btf() {
	objcopy --dump-section .BTF="$2" "$1" "$tmp/elf.o" && rm -f "$tmp/elf.o"
}

echo "btfenc dedup, median of $runs runs (wall time of the whole command)"
if [ -r /sys/kernel/btf/vmlinux ]; then
	bench "/sys/kernel/btf/vmlinux x2" /sys/kernel/btf/vmlinux /sys/kernel/btf/vmlinux
else
	echo "skip: /sys/kernel/btf/vmlinux is not readable"
fi

cache=${BTFENC_CACHE:-$repo/cache}
dir=$cache/deb
vmlinux=$dir/usr/lib/debug/boot/vmlinux-$kver
moddir=$dir/usr/lib/debug/lib/modules/$kver/kernel
if [ ! -e "$vmlinux" ]; then
	echo "skip: no $vmlinux (run scripts/fetch-kernel-dbg.sh)"
	exit 0
fi
command -v objcopy >/dev/null || { echo "skip: objcopy not found for the module inputs"; exit 0; }
raw_btf "$vmlinux" "$tmp/vmlinux.btf"
# The 20 modules of scripts/check-dedup-kernel.sh.
files=()
for m in fs/btrfs/btrfs.ko fs/xfs/xfs.ko fs/nfs/nfs.ko fs/fuse/fuse.ko fs/overlayfs/overlay.ko \
	 net/netfilter/nf_tables.ko net/netfilter/nf_conntrack.ko net/bridge/bridge.ko \
	 net/openvswitch/openvswitch.ko net/sctp/sctp.ko net/tls/tls.ko net/8021q/8021q.ko \
	 drivers/net/ethernet/mellanox/mlx5/core/mlx5_core.ko drivers/net/virtio_net.ko \
	 drivers/block/virtio_blk.ko drivers/md/dm-mod.ko drivers/net/tun.ko \
	 drivers/net/vxlan/vxlan.ko net/sched/act_ife.ko lib/crc-itu-t.ko; do
	files+=("$tmp/m${#files[@]}.btf")
	raw_btf "$moddir/$m" "${files[-1]}"
done
bench "20 modules on Debian vmlinux" --base "$tmp/vmlinux.btf" "${files[@]}"

# The encoder's own raw output: every unit of vmlinux's DWARF, before dedup
# (millions of types, more than a blob may hold), deduplicated in memory;
# btfenc -v times that phase on its own.
dedup_times=()
for ((r = 0; r < runs; r++)); do
	"$btfenc" -v --lang_exclude=rust --btf_encode_detached="$tmp/enc.btf" "$vmlinux" \
		2>"$tmp/enc.log"
	dedup_times+=("$(sed -n 's/.*dedup \([0-9.]*\) s,.*/\1/p' "$tmp/enc.log")")
done
raw=$(sed -n 's/.* \([0-9]*\) types before dedup/\1/p' "$tmp/enc.log")
out=$(sed -n 's/^btfenc: \([0-9]*\) types,.*/\1/p' "$tmp/enc.log")
med=$(printf '%s\n' "${dedup_times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
printf '%-31s %8s -> %-8s types %8.1f ms  (dedup phase of btfenc -v, median)\n' \
	"vmlinux DWARF, encoder output" "$raw" "$out" "$(echo "$med * 1000" | bc -l)"
if $all; then
	mkdir "$tmp/all"
	files=()
	while IFS= read -r m; do
		files+=("$tmp/all/${#files[@]}.btf")
		raw_btf "$m" "${files[-1]}"
	done < <(find "$moddir" -name '*.ko' | sort)
	bench "all ${#files[@]} modules on vmlinux" --base "$tmp/vmlinux.btf" "${files[@]}"
fi
