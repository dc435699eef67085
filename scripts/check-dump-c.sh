#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-dump-c.sh [--build DIR] - "btfenc dump --format c" on Debian 6.1's
# vmlinux BTF (scripts/fetch-kernel-dbg.sh's package) and on the suite's
# inputs, through tests/dump_c.sh: the same definitions as bpftool's
# vmlinux.h, a header that compiles with clang -target bpf inside a CO-RE
# program, every struct and union of the size BTF gives it.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build
[ "${1:-}" = --build ] && build=$2
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
deb=$("$repo/scripts/fetch-kernel-dbg.sh")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objcopy --dump-section .BTF="$tmp/vmlinux-$kver.btf" "$deb/usr/lib/debug/boot/vmlinux-$kver" \
	"$tmp/elf.o"
exec "$repo/tests/dump_c.sh" "$build/btfenc" "$repo/tests/fixtures" "$tmp/vmlinux-$kver.btf"
