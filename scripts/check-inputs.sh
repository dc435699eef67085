#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-inputs.sh [--build DIR] [MODULE...] - real modules of Debian 6.1's
# debug package (scripts/fetch-kernel-dbg.sh), gzip-compressed as
# distributions ship them, encoded on its vmlinux: detached and in place,
# each must give the bytes the plain module gives. (dwz 0.15 refuses
# relocatable objects, so a module cannot be run through dwz; tests/inputs.sh
# covers dwz on shared objects.) Default modules: tun, nfs, btrfs, virtio_net.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build
if [ "${1:-}" = --build ]; then
	build=$2
	shift 2
fi
btfenc=$build/btfenc
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
deb=$("$repo/scripts/fetch-kernel-dbg.sh")
moddir=$deb/usr/lib/debug/lib/modules/$kver/kernel
vmlinux=$deb/usr/lib/debug/boot/vmlinux-$kver
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp/tmpdir
mkdir -p "$TMPDIR"
objcopy --dump-section .BTF="$tmp/vmlinux.btf" "$vmlinux" "$tmp/elf.o"
mods=("$@")
[ ${#mods[@]} -gt 0 ] || mods=(drivers/net/tun.ko fs/nfs/nfs.ko fs/btrfs/btrfs.ko
			      drivers/net/virtio_net.ko)
flags=(-J --btf_gen_floats --lang_exclude=rust --skip_encoding_btf_inconsistent_proto
       --btf_base "$tmp/vmlinux.btf")
failed=0
for m in "${mods[@]}"; do
	n=$(basename "$m")
	cp "$moddir/$m" "$tmp/$n"
	"$btfenc" "${flags[@]}" --btf_encode_detached="$tmp/$n.btf" "$tmp/$n"
	gzip -9 -n -k "$tmp/$n"
	"$btfenc" "${flags[@]}" --btf_encode_detached="$tmp/$n.gz.btf" "$tmp/$n.gz"
	"$btfenc" "${flags[@]}" "$tmp/$n.gz"
	gzip -dc "$tmp/$n.gz" >"$tmp/back.ko"
	objcopy --dump-section .BTF="$tmp/back.btf" "$tmp/back.ko" "$tmp/elf.o"
	if cmp -s "$tmp/$n.btf" "$tmp/$n.gz.btf" && cmp -s "$tmp/$n.btf" "$tmp/back.btf" &&
	   [ -z "$(ls -A "$TMPDIR")" ]; then
		echo "ok   $m: .ko.gz detached and in place = plain ($(stat -c %s "$tmp/$n.btf") bytes)"
	else
		echo "FAIL $m: the .ko.gz's BTF differs from the plain module's"
		failed=$((failed + 1))
	fi
	rm -f "$tmp/$n" "$tmp/$n.gz"
done
echo "${#mods[@]} modules, $failed failed"
[ $failed = 0 ]
