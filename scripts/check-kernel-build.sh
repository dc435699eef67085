#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kernel-build.sh [--pahole PAHOLE] [--build DIR] - builds Debian's linux-source-6.1
# from tinyconfig with DWARF 5, BTF and a dozen modules, with btfenc as the
# kernel's pahole (make PAHOLE=build/pahole), then checks that:
#  - BTF survives olddefconfig, the build succeeds with no resolve_btfids
#    warning, and vmlinux and every module carry .BTF (split on vmlinux);
#  - vmlinux's BTF loads into the running kernel (bpf(BPF_BTF_LOAD));
#  - with a reference pahole (--pahole, or $PAHOLE131, or /work/ext/...),
#    running it with the flags the kernel passed on .tmp_vmlinux.btf and on
#    each module gives the same BTF (btfenc dump compared line for line);
#  - the newest kernels' flow (scripts/gen-btf.sh): detached raw BTF with
#    their flags, the ELF untouched, vmlinux's blob loads, modules' split
#    blobs load flattened, the same as the reference pahole's.
# Needs root for apt-get (linux-source-6.1 flex bison bc libssl-dev cpio) and
# about 2 GB in $KBUILD_DIR (default: <repo>/cache/kbuild). --build names
# btfenc's meson build directory (default <repo>/build). Prints a line per
# check and "N passed, N failed". As a meson test (suite kernel) it runs only
# with CI=true or BTFENC_KERNEL_BUILD=1, else it skips (77): it takes minutes.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build
ref=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
while [ $# -gt 0 ]; do
	case $1 in
	--pahole) ref=${2:?--pahole needs a path}; shift ;;
	--build) build=${2:?--build needs a directory}; shift ;;
	--meson-test)
		if [ "${CI:-}" != true ] && [ -z "${BTFENC_KERNEL_BUILD:-}" ]; then
			echo "SKIP: a kernel build takes minutes; set BTFENC_KERNEL_BUILD=1 (CI does)"
			exit 77
		fi ;;
	*) echo "usage: check-kernel-build.sh [--pahole PAHOLE] [--build DIR]"; exit 2 ;;
	esac
	shift
done
build=$(cd "$build" && pwd)
btfenc=$build/btfenc
pahole_link=$build/pahole
loader=$build/tests/btf_load
dir=${KBUILD_DIR:-$repo/cache/kbuild}
# shellcheck source=../tests/lib.sh
. "$repo/tests/lib.sh"

[ -x "$pahole_link" ] || { echo "no $pahole_link: build btfenc first"; exit 1; }
if [ ! -r /usr/src/linux-source-6.1.tar.xz ]; then
	apt-get install -y -q linux-source-6.1 flex bison bc libssl-dev cpio >/dev/null || exit 1
fi
mkdir -p "$dir"
src=$dir/linux-source-6.1
[ -d "$src" ] || tar -C "$dir" -xaf /usr/src/linux-source-6.1.tar.xz || exit 1
cd "$src" || exit 1
make -s ARCH=x86_64 tinyconfig >/dev/null
./scripts/config -e 64BIT -e BPF_SYSCALL -e DEBUG_KERNEL -e DEBUG_INFO -e DEBUG_INFO_DWARF5 \
	-d DEBUG_INFO_NONE -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -e DEBUG_INFO_BTF -e MODULES \
	-e MODULE_UNLOAD -e DEBUG_INFO_BTF_MODULES -e PRINTK -e NET -e TMPFS -e PROC_FS -e SYSFS \
	-m CRC_ITU_T -m CRC7 -m CRC8 -m CRC4 -m CRC64 -m LIBCRC32C -m CRC_CCITT -m CRC16 \
	-m CRC32 -m XXHASH -m CRYPTO -m CRYPTO_CRC32C
make -s ARCH=x86_64 PAHOLE="$pahole_link" olddefconfig >/dev/null
check "BTF survives olddefconfig ($(grep PAHOLE_VERSION .config))" \
	grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' .config
start=$(date +%s)
check "kernel build with PAHOLE=build/pahole" \
	bash -c "make -s ARCH=x86_64 PAHOLE='$pahole_link' -j$(nproc) >'$dir/build.log' 2>&1"
echo "     build took $(($(date +%s) - start)) s"
check "no resolve_btfids warning" bash -c "! grep -i -B1 -A1 'warn' '$dir/build.log' | grep -qi 'btfids\|btf'"
flags=$(PAHOLE="$pahole_link" bash scripts/pahole-flags.sh)
echo "     the kernel passes: $flags"
check "vmlinux has BTF ($("$btfenc" dump vmlinux | grep -c '^\[') types)" \
	bash -c "'$btfenc' dump vmlinux >/dev/null"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objcopy --dump-section .BTF="$tmp/vmlinux.btf" vmlinux
"$loader" "$tmp/vmlinux.btf"
case $? in
0) check "vmlinux's BTF loads into the running kernel" true ;;
77) echo "skip vmlinux's BTF load: bpf(BPF_BTF_LOAD) not permitted here" ;;
*) check "vmlinux's BTF loads into the running kernel" false ;;
esac
while IFS= read -r m; do
	check "module ${m#./} carries split BTF" \
		bash -c "'$btfenc' dump '$m' --base vmlinux >/dev/null"
done < <(find . -name '*.ko' | sort)
if [ ! -x "$ref" ]; then
	echo "skip comparison: no reference pahole at $ref"
else
	cp .tmp_vmlinux.btf "$tmp/ref.o"
	# shellcheck disable=SC2086
	"$ref" -J $flags "$tmp/ref.o" >/dev/null 2>&1
	check "vmlinux: same BTF as $("$ref" --version)" \
		cmp -s <("$btfenc" dump vmlinux) <("$btfenc" dump "$tmp/ref.o")
	while IFS= read -r m; do
		cp "$m" "$tmp/m.ko"
		# shellcheck disable=SC2086
		"$ref" -J $flags --btf_base vmlinux "$tmp/m.ko" >/dev/null 2>&1
		check "module ${m#./}: same split BTF" \
			cmp -s <("$btfenc" dump "$m" --base vmlinux) \
			<("$btfenc" dump "$tmp/m.ko" --base vmlinux)
	done < <(find . -name '*.ko' | sort)
fi
# The newest kernels' flow (scripts/gen-btf.sh): pahole writes detached raw
# BTF, which resolve_btfids post-processes; the ELF stays as it was. Flags as
# their Makefile.btf passes them to a pahole >= 1.31.
newflags="-j2 --btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func
	--btf_features=attributes --btf_features=layout --lang_exclude=rust"
cp .tmp_vmlinux.btf "$tmp/v.o"
# shellcheck disable=SC2086
"$pahole_link" -J $newflags --btf_encode_detached="$tmp/v.BTF.1" "$tmp/v.o"
check "gen-btf.sh flow: vmlinux left as it was" cmp -s .tmp_vmlinux.btf "$tmp/v.o"
# Every record encoded, none matched to earlier batches' types first
# (encoder/encode_premap.c): the same bytes.
# shellcheck disable=SC2086
BTFENC_PREMAP=0 "$btfenc" -J $newflags --btf_encode_detached="$tmp/v.BTF.0" "$tmp/v.o"
check "gen-btf.sh flow: vmlinux the same with every record encoded (BTFENC_PREMAP=0)" \
	cmp -s "$tmp/v.BTF.1" "$tmp/v.BTF.0"
"$loader" "$tmp/v.BTF.1"
case $? in
0) check "gen-btf.sh flow: detached vmlinux BTF loads" true ;;
77) ;;
*) check "gen-btf.sh flow: detached vmlinux BTF loads" false ;;
esac
while IFS= read -r m; do
	cp "$m" "$tmp/m.ko"
	# shellcheck disable=SC2086
	"$pahole_link" -J $newflags --btf_base "$tmp/v.BTF.1" --btf_encode_detached="$tmp/m.BTF.1" \
		"$tmp/m.ko"
	# distilled_base is resolve_btfids' job there: a detached pahole ignores it.
	# shellcheck disable=SC2086
	"$pahole_link" -J $newflags --btf_features=distilled_base --btf_base "$tmp/v.BTF.1" \
		--btf_encode_detached="$tmp/m.BTF.2" "$tmp/m.ko"
	check "gen-btf.sh flow: module ${m#./} detached split BTF, flattened, loads" \
		bash -c "cmp -s '$m' '$tmp/m.ko' && cmp -s '$tmp/m.BTF.1' '$tmp/m.BTF.2' &&
			'$btfenc' flatten --base '$tmp/v.BTF.1' -o '$tmp/m.flat' '$tmp/m.BTF.1' &&
			{ '$loader' '$tmp/m.flat'; r=\$?; [ \$r = 0 ] || [ \$r = 77 ]; }"
	if [ -x "$ref" ]; then
		# pahole's detached write does not truncate an existing file.
		rm -f "$tmp/m.ref"
		# shellcheck disable=SC2086
		"$ref" -J $newflags --btf_base "$tmp/v.BTF.1" --btf_encode_detached="$tmp/m.ref" \
			"$tmp/m.ko" >/dev/null 2>&1
		check "gen-btf.sh flow: module ${m#./} same as $("$ref" --version)" \
			cmp -s <("$btfenc" dump "$tmp/m.BTF.1" --base "$tmp/v.BTF.1") \
			<("$btfenc" dump "$tmp/m.ref" --base "$tmp/v.BTF.1")
	fi
done < <(find . -name '*.ko' | sort)
if [ -x "$ref" ]; then
	# shellcheck disable=SC2086
	"$ref" -J $newflags --btf_encode_detached="$tmp/v.ref" "$tmp/v.o" >/dev/null 2>&1
	check "gen-btf.sh flow: vmlinux same as $("$ref" --version)" \
		cmp -s <("$btfenc" dump "$tmp/v.BTF.1") <("$btfenc" dump "$tmp/v.ref")
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
