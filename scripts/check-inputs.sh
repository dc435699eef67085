#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-inputs.sh [--build DIR] [MODULE...] - real objects of Debian 6.1's
# debug package (scripts/fetch-kernel-dbg.sh) in the forms distributions
# ship them:
#  - modules gzip-compressed, encoded on its vmlinux detached and in place:
#    each must give the bytes the plain module gives (default modules: tun,
#    nfs, btrfs, virtio_net);
#  - the vmlinux run through dwz (dwz 0.15 refuses relocatable objects, so a
#    module cannot be): encoded with the kernel's flags, "btfenc diff"
#    against the plain vmlinux's BTF must be empty, and it must load.
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

if command -v dwz >/dev/null; then
	kflags=(-J --btf_gen_floats --lang_exclude=rust --skip_encoding_btf_inconsistent_proto
		--btf_gen_optimized)
	cp "$vmlinux" "$tmp/vmlinux"
	start=$(date +%s)
	dwz -L none "$tmp/vmlinux"
	echo "     dwz vmlinux: $(($(date +%s) - start)) s, $(readelf --debug-dump=info "$tmp/vmlinux" |
		grep -c DW_TAG_partial_unit) partial units"
	"$btfenc" "${kflags[@]}" --btf_encode_detached="$tmp/dwz.btf" "$tmp/vmlinux"
	rm -f "$tmp/vmlinux"
	cp "$vmlinux" "$tmp/vmlinux"
	"$btfenc" "${kflags[@]}" --btf_encode_detached="$tmp/plain.btf" "$tmp/vmlinux"
	rm -f "$tmp/vmlinux"
	if "$btfenc" diff -v "$tmp/plain.btf" "$tmp/dwz.btf"; then
		echo "ok   vmlinux through dwz: the same BTF as the plain vmlinux"
	else
		echo "FAIL vmlinux through dwz: its BTF differs from the plain vmlinux's"
		failed=$((failed + 1))
	fi
	if [ -x "$build/tests/btf_load" ]; then
		"$build/tests/btf_load" "$tmp/dwz.btf" && echo "ok   vmlinux through dwz: loads" ||
			{ [ $? = 77 ] || failed=$((failed + 1)); }
	fi
else
	echo "SKIP vmlinux through dwz: dwz not installed"
fi
[ $failed = 0 ]
