#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# encode.sh [-n RUNS] [-j N] [FILE] - encode time and peak memory of btfenc
# against pahole on the same object (default: the vmlinux of
# linux-image-6.1.0-56-cloud-amd64-dbg, fetched by scripts/fetch-kernel-dbg.sh),
# alternating the programs run by run, so that only ratios taken in one run
# count. pahole is Debian's (/usr/bin/pahole) and v1.31 where $PAHOLE131 or
# /work/ext/pahole-1.31/pahole exists (built outside the project). Every
# program writes a detached blob with the kernel's feature set.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
btfenc=${BTFENC:-$repo/build/btfenc}
runs=3
jobs=1
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=${2:?}; shift ;;
	-j) jobs=${2:?}; shift ;;
	*) break ;;
	esac
	shift
done
file=${1:-}
if [ -z "$file" ]; then
	dir=$(BTFENC_CACHE=${BTFENC_CACHE:-$repo/cache} bash "$repo/scripts/fetch-kernel-dbg.sh" | tail -n 1)
	file=$dir/usr/lib/debug/vmlinux-6.1.0-56-cloud-amd64
fi
[ -r "$file" ] || { echo "encode.sh: no $file"; exit 1; }
command -v /usr/bin/time >/dev/null || apt-get install -y -q time >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs

progs=("btfenc")
cmds=("$btfenc -j$jobs --lang_exclude=rust --btf_features=$features --btf_encode_detached=$tmp/out.btf $file")
if command -v pahole >/dev/null; then
	progs+=("pahole-$(pahole --version)")
	cmds+=("pahole -J -j$jobs --btf_gen_floats --lang_exclude=rust --btf_encode_detached=$tmp/out.btf $file")
fi
p131=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
if [ -x "$p131" ]; then
	progs+=("pahole-v1.31")
	cmds+=("$p131 -J -j$jobs --btf_features=$features --lang_exclude=rust --btf_encode_detached=$tmp/out.btf $file")
fi

declare -A walls rss
for ((r = 0; r < runs; r++)); do
	for i in "${!progs[@]}"; do
		rm -f "$tmp/out.btf"
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %M' -o "$tmp/t" ${cmds[$i]} >/dev/null 2>&1
		read -r w m <"$tmp/t"
		walls[$i]+="$w "
		rss[$i]+="$m "
	done
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "$(basename "$file"), -j$jobs, median of $runs runs, programs alternating"
base_w=$(echo "${walls[0]}" | median)
base_m=$(echo "${rss[0]}" | median)
for i in "${!progs[@]}"; do
	w=$(echo "${walls[$i]}" | median)
	m=$(echo "${rss[$i]}" | median)
	printf '%-16s %7.2f s %8.1f MB' "${progs[$i]}" "$w" "$(echo "$m / 1024" | bc -l)"
	[ "$i" -gt 0 ] && printf '   btfenc/this: wall %.2f, rss %.2f' \
		"$(echo "$base_w / $w" | bc -l)" "$(echo "$base_m / $m" | bc -l)"
	echo
done
