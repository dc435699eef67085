#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dump_c.sh BTFENC FIXTURES [BTF...] - "btfenc dump --format c" against
# bpftool's "format c" and the compiler: for the BTF of every fixture (gcc
# and clang, DWARF 5), of /sys/kernel/btf/vmlinux and of each BTF given,
#  - the header defines the same structs, unions, enums and typedefs as
#    bpftool's (tests/c_defs.py prints any difference);
#  - it compiles with clang -target bpf wherever bpftool's does, and for a
#    vmlinux inside a small CO-RE program;
#  - every struct and union has the size BTF gives it (tests/c_sizes.py:
#    _Static_assert per type), except where bpftool's header is wrong too
#    (va_list is 8 bytes on the BPF target, 24 on x86-64).
# Exit 77 (skip) without clang, bpftool or python3.
set -u

btfenc=${1:?usage: dump_c.sh BTFENC FIXTURES [BTF...]}
fixtures=${2:?}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
for tool in clang bpftool python3 gcc; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
. "$here/lib.sh"

cat >"$tmp/core.c" <<'C'
#include "vmlinux.h"
#define SEC(n) __attribute__((section(n), used))
char LICENSE[] SEC("license") = "GPL";
SEC("tp_btf/sched_switch")
int on_switch(unsigned long long *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx[1];
	int pid = __builtin_preserve_access_index(prev->pid);

	return pid + (int)sizeof(struct sk_buff);
}
C

# The names in failed size assertions of a compile.
size_failures() {
	grep -o 'requirement .sizeof([a-z]* [A-Za-z0-9_]*)' "$1" | sed 's/.*sizeof(//' | sort
}

# check_btf LABEL BTF: the three checks on one blob.
check_btf() {
	local label=$1 btf=$2 d=$tmp/$1
	mkdir -p "$d/ours" "$d/bpftool"
	if ! "$btfenc" dump --format c "$btf" >"$d/ours/vmlinux.h" 2>"$d/err"; then
		result 1 "$label: dump --format c: $(head -n1 "$d/err")"
		return
	fi
	bpftool btf dump file "$btf" format c >"$d/bpftool/vmlinux.h" 2>/dev/null ||
		{ echo "     $label: bpftool cannot dump it, skipped"; return; }
	python3 "$here/c_defs.py" "$d/bpftool/vmlinux.h" "$d/ours/vmlinux.h" >"$d/defs"
	result $? "$label: the same definitions as bpftool ($(tail -n1 "$d/defs" | cut -d, -f1))"
	grep '^[-+] ' "$d/defs" | head -n 20
	echo '#include "vmlinux.h"' >"$d/inc.c"
	local ours=0 theirs=0
	clang -target bpf -O2 -c -I"$d/ours" "$d/inc.c" -o /dev/null 2>"$d/cc.ours" || ours=1
	clang -target bpf -O2 -c -I"$d/bpftool" "$d/inc.c" -o /dev/null 2>/dev/null || theirs=1
	if [ $theirs = 1 ]; then
		echo "     $label: bpftool's header does not compile either, compile left out"
	else
		result $ours "$label: compiles with clang -target bpf"
		[ $ours = 0 ] || grep -m3 error "$d/cc.ours"
	fi
	"$btfenc" dump "$btf" >"$d/raw"
	python3 "$here/c_sizes.py" "$d/raw" >"$d/sizes.c"
	clang -target bpf -O2 -c -I"$d/ours" "$d/sizes.c" -o /dev/null 2>"$d/sz.ours"
	clang -target bpf -O2 -c -I"$d/bpftool" "$d/sizes.c" -o /dev/null 2>"$d/sz.theirs"
	size_failures "$d/sz.ours" >"$d/bad.ours"
	size_failures "$d/sz.theirs" >"$d/bad.theirs"
	local extra
	extra=$(comm -23 "$d/bad.ours" "$d/bad.theirs")
	[ -z "$extra" ]
	result $? "$label: $(($(wc -l <"$d/sizes.c") - 1)) struct/union sizes as BTF says ($(wc -l <"$d/bad.ours") wrong here, $(wc -l <"$d/bad.theirs") in bpftool's)"
	[ -z "$extra" ] || echo "$extra" | head -n 10
	if grep -q '^struct task_struct {' "$d/ours/vmlinux.h"; then
		cp "$tmp/core.c" "$d/core.c"
		clang -target bpf -O2 -g -c -I"$d/ours" "$d/core.c" -o "$d/core.o" 2>"$d/core.err"
		result $? "$label: a CO-RE program builds on it"
	fi
}

for f in "$fixtures"/*.c; do
	n=$(basename "$f" .c)
	for cc in gcc clang; do
		$cc -g -gdwarf-5 -O1 -c -o "$tmp/$n.$cc.o" "$f" 2>/dev/null || continue
		"$btfenc" --btf_encode_detached="$tmp/$n.$cc.btf" "$tmp/$n.$cc.o" 2>/dev/null ||
			{ result 1 "$n ($cc): encode"; continue; }
		check_btf "$n.$cc" "$tmp/$n.$cc.btf"
	done
done
# From DWARF in one step: an object without .BTF is encoded first.
gcc -g -O1 -c -o "$tmp/onestep.o" "$fixtures/typedefs.c" &&
	"$btfenc" --btf_encode_detached="$tmp/onestep.btf" "$tmp/onestep.o" &&
	cmp -s <("$btfenc" dump --format c "$tmp/onestep.o") <("$btfenc" dump --format c "$tmp/onestep.btf")
result $? "dump --format c of an object's DWARF = of its encoded BTF"

if [ -r /sys/kernel/btf/vmlinux ]; then
	check_btf sys-vmlinux /sys/kernel/btf/vmlinux
else
	echo "SKIP /sys/kernel/btf/vmlinux: not readable"
fi
i=0
for b in "$@"; do
	i=$((i + 1))
	check_btf "arg$i-$(basename "$b")" "$b"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
