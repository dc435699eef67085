#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-inputs.sh [--build DIR] [MODULE...] - real objects of Debian 6.1's
# debug package (scripts/fetch-kernel-dbg.sh) in the forms distributions
# ship them:
#  - modules gzip-compressed, encoded on its vmlinux detached and in place:
#    each must give the bytes the plain module gives (default modules: tun,
#    nfs, btrfs, virtio_net);
#  - modules run through dwz: dwz 0.15 refuses relocatable objects, so each
#    module is first linked alone into an executable (ld -e 0
#    --unresolved-symbols=ignore-all, which applies its relocations, the
#    debug sections' too), whose BTF must be the plain module's bytes; then
#    dwz -L none, and all of them together dwz -m (a supplementary file next
#    to them; dwz leaves out those it finds not worth it): "btfenc diff"
#    against the plain module's BTF must be empty (dwz's imported units
#    change the type order) and "btfenc verify" must accept it on vmlinux;
#  - the vmlinux run through dwz: encoded with the kernel's flags, "btfenc
#    diff" against the plain vmlinux's BTF must be empty, and it must load.
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

# The same BTF as the plain module's ($tmp/NAME.btf, kept by the loop above)
# and accepted on vmlinux by the kernel's rules: 0, else prints why.
same_mod() {
	local out
	out=$("$btfenc" diff --base "$tmp/vmlinux.btf" "$tmp/$1.btf" "$2" 2>&1) || {
		echo "$out" | head -n 10
		return 1
	}
	out=$("$btfenc" verify --base "$tmp/vmlinux.btf" "$2" 2>&1) || {
		echo "$out" | head -n 10
		return 1
	}
}
if command -v dwz >/dev/null; then
	mkdir "$tmp/multi"
	for m in "${mods[@]}"; do
		n=$(basename "$m")
		ld -o "$tmp/multi/$n" --unresolved-symbols=ignore-all -e 0 "$moddir/$m"
		cp "$tmp/multi/$n" "$tmp/$n"
		"$btfenc" "${flags[@]}" --btf_encode_detached="$tmp/$n.ld.btf" "$tmp/$n"
		if ! cmp -s "$tmp/$n.btf" "$tmp/$n.ld.btf"; then
			echo "FAIL $m: linked into an executable, its BTF differs from the module's"
			failed=$((failed + 1))
		fi
		dwz -L none "$tmp/$n"
		"$btfenc" "${flags[@]}" --btf_encode_detached="$tmp/$n.dwz.btf" "$tmp/$n"
		units="$(readelf --debug-dump=info "$tmp/$n" | grep -c DW_TAG_partial_unit) partial, $(
			readelf --debug-dump=info "$tmp/$n" | grep -c DW_TAG_imported_unit) imported units"
		rm -f "$tmp/$n"
		if same_mod "$n" "$tmp/$n.dwz.btf"; then
			echo "ok   $m: linked, through dwz ($units): the same BTF, verified"
		else
			echo "FAIL $m: linked, through dwz ($units): its BTF differs or is refused"
			failed=$((failed + 1))
		fi
	done
	if [ ${#mods[@]} -ge 2 ]; then
		(cd "$tmp/multi" && dwz -L none -m common.dwz -M common.dwz "${mods[@]##*/}" \
			2>"$tmp/dwz.err") || { cat "$tmp/dwz.err"; failed=$((failed + 1)); }
		sed 's/^/     /' "$tmp/dwz.err"
	fi
	shared=0
	for m in "${mods[@]}"; do
		n=$(basename "$m")
		readelf -S "$tmp/multi/$n" | grep -q .gnu_debugaltlink || continue
		shared=$((shared + 1))
		"$btfenc" "${flags[@]}" --btf_encode_detached="$tmp/$n.dwzm.btf" "$tmp/multi/$n"
		if same_mod "$n" "$tmp/$n.dwzm.btf"; then
			echo "ok   $m: linked, through dwz -m: the same BTF, verified"
		else
			echo "FAIL $m: linked, through dwz -m: its BTF differs or is refused"
			failed=$((failed + 1))
		fi
	done
	[ ! -e "$tmp/multi/common.dwz" ] ||
		echo "     dwz -m: $shared of ${#mods[@]} modules share common.dwz ($(readelf \
			--debug-dump=info "$tmp/multi/common.dwz" | grep -c DW_TAG_partial_unit) partial units)"
	rm -rf "$tmp/multi"
else
	echo "SKIP modules through dwz: dwz not installed"
fi

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
