#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kill.sh [--build DIR] [TRIALS] - SIGKILL during in-place encodes of
# a real module: fs/nfs/nfs.ko of Debian's 6.1 cloud kernel (13 MB; fetched
# by scripts/fetch-kernel-dbg.sh if missing) encoded as the kernel's build
# does (DIR/pahole -J --btf_gen_floats --btf_base vmlinux), killed TRIALS
# times (default 100) at random moments; every time the module must be the
# original or the complete result, its mode kept (tests/kill_inplace.sh).
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
build=$repo/build
if [ "${1:-}" = --build ]; then
	build=$2
	shift 2
fi
trials=${1:-100}
dir=$("$repo/scripts/fetch-kernel-dbg.sh") || exit 2
module=$dir/usr/lib/debug/lib/modules/$kver/kernel/fs/nfs/nfs.ko
vmlinux=$dir/usr/lib/debug/boot/vmlinux-$kver
exec "$repo/tests/kill_inplace.sh" "$build/pahole" "$module" "$trials" \
	-J --btf_gen_floats --lang_exclude=rust --skip_encoding_btf_inconsistent_proto \
	--btf_gen_optimized --btf_base "$vmlinux"
