#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-verify.sh [--count N] [--seed S] [--build DIR] - "btfenc verify"
# against the running kernel's BTF loader on real blobs: Debian 6.1's
# vmlinux BTF, modules of it flattened onto it (btfenc flatten), and this
# machine's /sys/kernel/btf/vmlinux. N damaged copies (default 2000; bit
# flips, fields, truncation, records dropped, swapped, moved, doubled,
# header fields) go to bpf(BPF_BTF_LOAD) and to btf_verify(); the script
# prints how often the verdicts agree (target 99.5%) and how often, where
# both refuse, the first finding is the kernel's reason (target 90%).
# Disagreeing blobs are kept in DIR/verify-disagree/. The Debian package
# comes from scripts/fetch-kernel-dbg.sh (about 300 MB, downloaded once).
# Needs root (BPF_BTF_LOAD). Exit 0 when both targets are met.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
count=2000
seed=1
build=$repo/build
while [ $# -gt 0 ]; do
	case $1 in
	--count) count=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) echo "usage: check-verify.sh [--count N] [--seed S] [--build DIR]" >&2; exit 2 ;;
	esac
done
btfenc=$build/btfenc
agree=$build/tests/verify_agree
for f in "$btfenc" "$agree"; do
	[ -x "$f" ] || { echo "check-verify: no $f (build first: ninja -C $build)" >&2; exit 2; }
done
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
deb=$("$repo/scripts/fetch-kernel-dbg.sh")
vmlinux=$deb/usr/lib/debug/boot/vmlinux-$kver
moddir=$deb/usr/lib/debug/lib/modules/$kver/kernel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

objcopy --dump-section .BTF="$tmp/vmlinux61.btf" "$vmlinux" "$tmp/elf.o"
blobs=("$tmp/vmlinux61.btf")
for m in fs/nfs/nfs.ko net/netfilter/nf_tables.ko drivers/net/virtio_net.ko \
	 fs/btrfs/btrfs.ko net/sched/act_ife.ko; do
	out=$tmp/$(basename "$m" .ko).flat.btf
	"$btfenc" flatten --base "$tmp/vmlinux61.btf" -o "$out" "$moddir/$m"
	blobs+=("$out")
done
if [ -r /sys/kernel/btf/vmlinux ]; then
	blobs+=(/sys/kernel/btf/vmlinux)
fi
echo "blobs: ${blobs[*]##*/}"
for b in "${blobs[@]}"; do
	"$btfenc" verify "$b" || { echo "check-verify: $b itself does not verify" >&2; exit 1; }
done
keep=$build/verify-disagree
rm -rf "$keep"
mkdir -p "$keep"
rc=0
"$agree" -n "$count" -s "$seed" -v -k "$keep" "${blobs[@]}" || rc=$?
rmdir "$keep" 2>/dev/null || echo "disagreeing blobs: $keep"
exit $rc
