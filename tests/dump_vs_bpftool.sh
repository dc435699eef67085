#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dump_vs_bpftool.sh BTFENC - "btfenc dump" must print exactly what
# "bpftool btf dump file" prints (Debian bookworm's bpftool 7.1, the oracle).
#
# Compared, as far as the tools are here:
#  - /sys/kernel/btf/vmlinux (raw BTF, big) and one module there (split BTF,
#    on vmlinux by default like bpftool);
#  - objects built now from a C fixture: clang -target bpf/bpfeb (.BTF in
#    ELF64, both byte orders); pahole -J on clang objects for i386, ppc32,
#    s390x and x86_64 (ELF32/ELF64, both byte orders); the .BTF of one of
#    them as a raw file, both byte orders; and with a zlib-compressed .BTF
#    (ELF64 both orders, ELF32 and ELF64 x86), compared with bpftool's dump of
#    the uncompressed object (libbpf 1.1 cannot read a compressed section);
#  - --format json against "bpftool -j" for vmlinux and the clang objects.
# Exit 0 if all compared files match, 1 on a mismatch, 77 (skip) when
# bpftool is missing or nothing could be compared.
set -u

btfenc=${1:?usage: dump_vs_bpftool.sh BTFENC}
bpftool=${BPFTOOL:-$(command -v bpftool || command -v /usr/sbin/bpftool || command -v /sbin/bpftool)}
if [ -z "$bpftool" ]; then
	echo "SKIP: bpftool not found"
	exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# compare NAME EXPECT_CMD... -- ACTUAL_CMD...
compare() {
	local name=$1 expect=() actual=()
	shift
	while [ "$1" != -- ]; do expect+=("$1"); shift; done
	shift
	actual=("$@")
	if ! "${expect[@]}" >"$tmp/expect" 2>"$tmp/expect.err"; then
		echo "SKIP $name: bpftool fails: $(head -n1 "$tmp/expect.err")"
		return
	fi
	if ! "${actual[@]}" >"$tmp/actual" 2>"$tmp/actual.err"; then
		echo "FAIL $name: btfenc fails: $(head -n1 "$tmp/actual.err")"
		failed=$((failed + 1))
		return
	fi
	if cmp -s "$tmp/expect" "$tmp/actual"; then
		echo "ok   $name ($(wc -l <"$tmp/actual") lines)"
		passed=$((passed + 1))
	else
		echo "FAIL $name: output differs from bpftool's:"
		diff "$tmp/expect" "$tmp/actual" | head -n 10
		failed=$((failed + 1))
	fi
}

vmlinux=/sys/kernel/btf/vmlinux
if [ -r "$vmlinux" ]; then
	compare vmlinux "$bpftool" btf dump file "$vmlinux" -- "$btfenc" dump "$vmlinux"
	compare "vmlinux json" "$bpftool" -j btf dump file "$vmlinux" -- \
		"$btfenc" dump --format json "$vmlinux"
	for mod in /sys/kernel/btf/*; do
		if [ "$mod" = "$vmlinux" ] || [ ! -r "$mod" ]; then
			continue
		fi
		compare "module ${mod##*/}" "$bpftool" btf dump file "$mod" -- \
			"$btfenc" dump "$mod"
		compare "module ${mod##*/} -B" "$bpftool" -B "$vmlinux" btf dump file "$mod" -- \
			"$btfenc" dump "$mod" --base "$vmlinux"
		break
	done
else
	echo "SKIP vmlinux: $vmlinux is missing"
fi

cat >"$tmp/fixture.c" <<'EOF'
struct list { struct list *next; int v : 3; unsigned w : 5; };
enum color { RED = -1, GREEN, BLUE = 100 };
enum big { HUGE = 0xffffffffffffULL };
union u { long l; char c[8]; };
typedef unsigned long long u64;
struct list head;
const volatile u64 counter = 7;
int arr[4][5];
enum big big;
float f;
double d;
int entry(union u *p, enum color c) { return head.v + c + (int)p->l + (int)counter; }
EOF

if command -v clang >/dev/null; then
	for target in bpf bpfeb; do
		obj=$tmp/$target.o
		clang -target $target -g -O2 -c "$tmp/fixture.c" -o "$obj" 2>/dev/null || continue
		compare "clang $target ELF" "$bpftool" btf dump file "$obj" -- "$btfenc" dump "$obj"
		compare "clang $target ELF json" "$bpftool" -j btf dump file "$obj" -- \
			"$btfenc" dump --format json "$obj"
	done
	if command -v pahole >/dev/null; then
		for target in i386-linux-gnu powerpc-linux-gnu s390x-linux-gnu x86_64-linux-gnu; do
			obj=$tmp/$target.o
			clang -target $target -g -O2 -c "$tmp/fixture.c" -o "$obj" 2>/dev/null || continue
			pahole -J "$obj" >/dev/null 2>&1 || continue
			compare "pahole $target ELF" "$bpftool" btf dump file "$obj" -- \
				"$btfenc" dump "$obj"
			# GNU objcopy knows x86 only; it makes ELF32 compressed sections
			# right (llvm-objcopy 14 leaves 12 stray bytes after the stream).
			case $target in i386-*|x86_64-*) ;; *) continue ;; esac
			if command -v objcopy >/dev/null &&
			   objcopy --rename-section .BTF=.debug_btf "$obj" "$tmp/g1.o" &&
			   objcopy --compress-debug-sections=zlib-gabi "$tmp/g1.o" "$tmp/g2.o" &&
			   objcopy --rename-section .debug_btf=.BTF "$tmp/g2.o" "$tmp/g.o"; then
				compare "compressed .BTF of pahole $target" \
					"$bpftool" btf dump file "$obj" -- "$btfenc" dump "$tmp/g.o"
			fi
		done
	else
		echo "SKIP pahole objects: no pahole"
	fi
	objcopy=$(command -v llvm-objcopy || command -v llvm-objcopy-14)
	if [ -n "$objcopy" ]; then
		for target in bpf bpfeb; do
			obj=$tmp/$target.o
			[ -f "$obj" ] || continue
			"$objcopy" --dump-section .BTF="$tmp/$target.btf" "$obj" || continue
			compare "raw .BTF of $target" "$bpftool" btf dump file "$tmp/$target.btf" -- \
				"$btfenc" dump "$tmp/$target.btf"
			# Only .debug* sections can be compressed, hence the renames.
			if ! "$objcopy" --rename-section .BTF=.debug_btf "$obj" "$tmp/z1.o" ||
			   ! "$objcopy" --compress-debug-sections=zlib "$tmp/z1.o" "$tmp/z2.o" ||
			   ! "$objcopy" --rename-section .debug_btf=.BTF "$tmp/z2.o" "$tmp/z.o"; then
				continue
			fi
			compare "compressed .BTF of $target" "$bpftool" btf dump file "$obj" -- \
				"$btfenc" dump "$tmp/z.o"
		done
	else
		echo "SKIP raw and compressed .BTF: no llvm-objcopy"
	fi
else
	echo "SKIP built objects: no clang"
fi

echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
	exit 1
fi
if [ "$passed" -eq 0 ]; then
	echo "SKIP: nothing to compare here"
	exit 77
fi
exit 0
