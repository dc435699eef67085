#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-dedup-kernel.sh [--btfenc PATH] - "btfenc dedup" on real kernel BTF,
# the acceptance points of the dedup issue:
#  (a) deduplicating a vmlinux BTF changes nothing: the same dump (and the
#      same bytes, but for strings no type names, which dedup drops);
#  (b) vmlinux appended to itself deduplicates back to exactly the original
#      type count and dump, and the result loads into the running kernel
#      (bpf(BPF_BTF_LOAD) through build/tests/btf_load; skipped where
#      the syscall is not permitted);
#  (c) the .BTF of 20 modules concatenated on their vmlinux base: no named
#      struct/union appears twice in the result with the same shape (kind,
#      name, size, vlen, member names, offsets and bitfield sizes).
# (a) and (b) run on the running kernel's /sys/kernel/btf/vmlinux and on the
# .BTF of Debian's debug vmlinux; (c) on that vmlinux and its modules, from
# scripts/fetch-kernel-dbg.sh (BTFENC_CACHE chooses its cache).
#
# Prints one line per check with its numbers and "N passed, N failed"; exits
# 1 on a failure.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
btfenc=${BTFENC:-$repo/build/btfenc}

while [ $# -gt 0 ]; do
	case $1 in
	--btfenc) btfenc=${2:?--btfenc needs a path}; shift ;;
	--btfenc=*) btfenc=${1#--btfenc=} ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "check-dedup-kernel: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$btfenc" ] || { echo "check-dedup-kernel: no btfenc at '$btfenc' (build it, or pass --btfenc)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "check-dedup-kernel: python3 not found" >&2; exit 2; }

dir=$("$repo/scripts/fetch-kernel-dbg.sh") || exit 1
vmlinux=$dir/usr/lib/debug/boot/vmlinux-$kver
moddir=$dir/usr/lib/debug/lib/modules/$kver/kernel
# Twenty modules that share many headers: file systems, networking, drivers.
modules="fs/btrfs/btrfs.ko fs/xfs/xfs.ko fs/nfs/nfs.ko fs/fuse/fuse.ko fs/overlayfs/overlay.ko
	net/netfilter/nf_tables.ko net/netfilter/nf_conntrack.ko net/bridge/bridge.ko
	net/openvswitch/openvswitch.ko net/sctp/sctp.ko net/tls/tls.ko net/8021q/8021q.ko
	drivers/net/ethernet/mellanox/mlx5/core/mlx5_core.ko drivers/net/virtio_net.ko
	drivers/block/virtio_blk.ko drivers/md/dm-mod.ko drivers/net/tun.ko
	drivers/net/vxlan/vxlan.ko net/sched/act_ife.ko lib/crc-itu-t.ko"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
skipped=0

pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "skip $*"; skipped=$((skipped + 1)); }

# The loader the test suite builds: exit 0 loaded, 77 not permitted here,
# 1 refused (log on stderr).
loader=$repo/build/tests/btf_load
if [ ! -x "$loader" ]; then
	echo "check-dedup-kernel: no $loader (build btfenc with its tests)" >&2
	loader=
fi

# Own types of a dump: its "[id] ..." lines.
ntypes() { grep -c '^\[' "$1"; }

# strings_diff IN OUT - how the string sections of two raw blobs whose
# dumps are equal differ: strings no type names (dropped), or their order
# (dedup rebuilds them in first-use order; pahole may write another).
strings_diff() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
def parts(p):
    d = open(p, "rb").read()
    order = "<" if d[:2] == b"\x9f\xeb" else ">"
    hl, to, tl, so, sl = struct.unpack(order + "5I", d[4:24])
    return d[hl + to:hl + to + tl], d[hl + so:hl + so + sl].split(b"\0")
try:
    (ta, sa), (tb, sb) = parts(sys.argv[1]), parts(sys.argv[2])
except Exception:
    print("an unreadable input")
    sys.exit(0)
kept = set(sb)
gone = [s for s in sa if s not in kept]
if gone:
    print("%d strings that no type names, dropped" % len(gone))
elif sa != sb:
    print("the order of the strings (same set, first-use order now)")
else:
    print("type bytes only")
PY
}

# dedup_self LABEL FILE - checks (a) and (b) on one vmlinux BTF
dedup_self() {
	local label=$1 file=$2 n1 n2 nin st

	if ! "$btfenc" dump "$file" >"$tmp/in.txt" 2>"$tmp/err"; then
		fail "$label: cannot dump the input: $(head -n 1 "$tmp/err")"
		return
	fi
	nin=$(ntypes "$tmp/in.txt")
	# The raw input blob, to compare bytes: an ELF file's .BTF section.
	if [ "$(head -c 4 "$file" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
		objcopy --dump-section .BTF="$tmp/in.btf" "$file" "$tmp/elf.o" 2>/dev/null ||
			rm -f "$tmp/in.btf"
		rm -f "$tmp/elf.o"
	else
		cp "$file" "$tmp/in.btf"
	fi
	if ! "$btfenc" dedup -v -o "$tmp/one.btf" "$file" 2>"$tmp/err"; then
		fail "(a) $label: $(head -n 1 "$tmp/err")"
	else
		"$btfenc" dump "$tmp/one.btf" >"$tmp/one.txt"
		n1=$(ntypes "$tmp/one.txt")
		st=$(sed 's/^btfenc: dedup: //' "$tmp/err")
		if ! cmp -s "$tmp/in.txt" "$tmp/one.txt"; then
			fail "(a) $label: the dump changed ($nin types in, $n1 out)"
		elif [ -f "$tmp/in.btf" ] && cmp -s "$tmp/in.btf" "$tmp/one.btf"; then
			pass "(a) $label: same bytes, same dump ($st)"
		else
			pass "(a) $label: same dump; the bytes differ in $(strings_diff "$tmp/in.btf" "$tmp/one.btf") ($st)"
		fi
	fi

	if ! "$btfenc" dedup -v -o "$tmp/two.btf" "$file" "$file" 2>"$tmp/err"; then
		fail "(b) $label: $(head -n 1 "$tmp/err")"
		return
	fi
	st=$(sed 's/^btfenc: dedup: //' "$tmp/err")
	"$btfenc" dump "$tmp/two.btf" >"$tmp/two.txt"
	n2=$(ntypes "$tmp/two.txt")
	if [ "$n2" -ne "$nin" ]; then
		fail "(b) $label twice: $n2 types, expected $nin ($st)"
	elif ! cmp -s "$tmp/in.txt" "$tmp/two.txt"; then
		fail "(b) $label twice: $n2 types, but the dump differs from the input's"
	else
		pass "(b) $label twice: back to $n2 types, same dump ($st)"
	fi
	if [ -z "$loader" ]; then
		skip "(b) $label twice: kernel load (no loader)"
		return
	fi
	"$loader" "$tmp/two.btf" 2>"$tmp/err"
	case $? in
	0) pass "(b) $label twice: loads into the running kernel ($(stat -c %s "$tmp/two.btf") bytes)" ;;
	77) skip "(b) $label twice: kernel load (bpf(BPF_BTF_LOAD) not permitted here)" ;;
	*) fail "(b) $label twice: the kernel refuses it: $(head -n 3 "$tmp/err" | tr '\n' ' ')" ;;
	esac
}

# shapes - reads a raw dump; prints "named same-shape-twice" counts and up
# to 5 examples of named STRUCT/UNION shapes that occur more than once.
shapes() {
	python3 -c '
import collections, re, sys
head = re.compile(r"^\[(\d+)\] (STRUCT|UNION) (\x27[^\x27]*\x27) size=(\d+) vlen=(\d+)$")
memb = re.compile(r"^\t(\x27[^\x27]*\x27) type_id=\d+ bits_offset=(\d+)(?: bitfield_size=(\d+))?$")
seen = collections.defaultdict(list)
cur = None
def done():
    if cur:
        seen[tuple(cur[1])].append(cur[0])
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("\t"):
        if cur:
            m = memb.match(line)
            cur[1].append(m.groups() if m else line)
        continue
    done()
    cur = None
    m = head.match(line)
    if m and m.group(3) != "\x27(anon)\x27":
        cur = (m.group(1), list(m.groups()[1:]))
done()
twice = {k: v for k, v in seen.items() if len(v) > 1}
print(sum(len(v) for v in seen.values()), len(twice))
for k, v in list(twice.items())[:5]:
    print("  %s %s size=%s vlen=%s: ids %s" % (k[0], k[1], k[2], k[3], " ".join(v)))
'
}

# (c) on Debian's vmlinux and 20 of its modules
check_modules() {
	local files=() m nin nout st named twice

	for m in $modules; do
		if [ ! -e "$moddir/$m" ]; then
			fail "(c) module $m is missing"
			return
		fi
		files+=("$moddir/$m")
	done
	# The input, for comparison: the shapes that occur twice before dedup.
	for m in "${files[@]}"; do
		"$btfenc" dump "$m" --base "$vmlinux"
	done >"$tmp/mods-in.txt"
	nin=$(ntypes "$tmp/mods-in.txt")
	read -r named twice < <(shapes <"$tmp/mods-in.txt" | head -n 1)
	echo "     (c) input: ${#files[@]} modules, $nin types, $named named structs/unions, $twice shapes more than once"
	if ! "$btfenc" dedup -v --base "$vmlinux" -o "$tmp/mods.btf" "${files[@]}" 2>"$tmp/err"; then
		fail "(c) 20 modules: $(head -n 1 "$tmp/err")"
		return
	fi
	st=$(sed 's/^btfenc: dedup: //' "$tmp/err")
	"$btfenc" dump "$tmp/mods.btf" --base "$vmlinux" >"$tmp/mods-out.txt"
	nout=$(ntypes "$tmp/mods-out.txt")
	shapes <"$tmp/mods-out.txt" >"$tmp/shapes"
	read -r named twice <"$tmp/shapes"
	if [ "$twice" -eq 0 ]; then
		pass "(c) 20 modules on vmlinux: $nin types in, $nout out; $named named structs/unions, none twice with one shape ($st)"
	else
		fail "(c) 20 modules on vmlinux: $twice named shapes occur more than once ($nin types in, $nout out)"
		tail -n +2 "$tmp/shapes"
	fi
}

if [ -r /sys/kernel/btf/vmlinux ]; then
	dedup_self /sys/kernel/btf/vmlinux /sys/kernel/btf/vmlinux
else
	skip "/sys/kernel/btf/vmlinux is not readable"
fi
dedup_self "vmlinux-$kver .BTF" "$vmlinux"
check_modules

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
