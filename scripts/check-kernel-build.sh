#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kernel-build.sh [--pahole PAHOLE] - builds Debian's linux-source-6.1
# from tinyconfig with DWARF 5, BTF and a dozen modules, with btfenc as the
# kernel's pahole (make PAHOLE=build/pahole), then checks that:
#  - the build succeeds and vmlinux and every module carry .BTF;
#  - vmlinux's BTF loads into the running kernel (bpf(BPF_BTF_LOAD));
#  - with a reference pahole (--pahole, or $PAHOLE131, or /work/ext/...),
#    running it with the flags the kernel passed on .tmp_vmlinux.btf and on
#    each module gives the same BTF (btfenc dump compared line for line).
# Needs root for apt-get (linux-source-6.1 flex bison bc libssl-dev cpio) and
# about 2 GB in $KBUILD_DIR (default: <repo>/cache/kbuild). Prints a line per
# check and "N passed, N failed".
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
btfenc=$repo/build/btfenc
pahole_link=$repo/build/pahole
ref=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
[ "${1:-}" = --pahole ] && ref=${2:?--pahole needs a path}
dir=${KBUILD_DIR:-$repo/cache/kbuild}
passed=0
failed=0
check() { # NAME COMMAND...
	local name=$1
	shift
	if "$@"; then echo "ok   $name"; passed=$((passed + 1));
	else echo "FAIL $name"; failed=$((failed + 1)); fi
}

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
start=$(date +%s)
check "kernel build with PAHOLE=build/pahole ($(grep PAHOLE_VERSION .config))" \
	make -s ARCH=x86_64 PAHOLE="$pahole_link" -j"$(nproc)"
echo "     build took $(($(date +%s) - start)) s"
flags=$(PAHOLE="$pahole_link" bash scripts/pahole-flags.sh)
echo "     the kernel passes: $flags"
check "vmlinux has BTF ($("$btfenc" dump vmlinux | grep -c '^\[') types)" \
	bash -c "'$btfenc' dump vmlinux >/dev/null"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objcopy --dump-section .BTF="$tmp/vmlinux.btf" vmlinux
check "vmlinux's BTF loads into the running kernel" "$repo/build/tests/btf_load" "$tmp/vmlinux.btf"
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
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
