#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# encode.sh [--runs N] [--modules N|all] [--quick] [--build DIR] - encode
# time and peak memory of btfenc against pahole, run as Linux 6.1's build
# runs them, on Debian's debug kernel linux-image-6.1.0-56-cloud-amd64-dbg
# (fetched by scripts/fetch-kernel-dbg.sh if missing; the cache is
# $BTFENC_CACHE, else /work/cache if it holds one, else <repo>/cache).
#
# Programs, each that is present: btfenc as DIR/pahole (the link, as the
# kernel runs it; DIR defaults to build), Debian's pahole (the one in PATH)
# and pahole v1.31 ($PAHOLE131 or /work/ext/pahole-1.31/pahole, built
# outside the project). Flags: -J --btf_gen_floats --lang_exclude=rust
# --skip_encoding_btf_inconsistent_proto --btf_gen_optimized, less any that
# a program rejects (printed), and --btf_encode_detached=TMP.
#
# The programs take turns run by run (A B C A B C ...); figures are medians
# of N runs (default 3). Timed commands never overlap. Report:
#  1. vmlinux, 1 thread (-j1; the PATH pahole: no -j) and 2 threads (-j2):
#     wall, user time, peak RSS (/usr/bin/time), and the floor: a bare libdw
#     walk of every DIE (bench/barewalk.c, built with cc -ldw -lelf);
#     ratios btfenc/pahole and btfenc/floor;
#  2. modules: the first N .ko files in sorted path order (default 100,
#     "all": 1121), each with --btf_base boot/vmlinux, one after another,
#     1 thread: total wall and user time, largest peak RSS, ratios;
#  3. scaling: btfenc's wall per .debug_info byte for those modules by size
#     quarter, for vmlinux cut (objcopy) to the units of its first quarter and
#     first half of .debug_info, and for the whole vmlinux;
#  4. determinism: btfenc's bytes for vmlinux with -j1, -j2 and -j8 and from
#     run to run, and for each module from run to run and with -j8.
# --quick is --runs 1 --modules 10, a smoke test. Run it on an idle machine:
# the load average is printed at the start and the end.
# Exits 0; 1 when a program fails or btfenc's bytes differ; 2 on a setup error.
set -u
export LC_ALL=C

repo=$(cd "$(dirname "$0")/.." && pwd)
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
build=$repo/build
runs=3
nmod=100
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=${2:?--runs needs a number}; shift ;;
	--modules) nmod=${2:?--modules needs a number or "all"}; shift ;;
	--quick) runs=1; nmod=10 ;;
	--build) build=${2:?--build needs a directory}; shift ;;
	-h|--help) sed -n '4,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-encode: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ "$runs" -ge 1 ] 2>/dev/null || { echo "bench-encode: --runs must be a positive number" >&2; exit 2; }
[ "$nmod" = all ] || [ "$nmod" -ge 1 ] 2>/dev/null ||
	{ echo "bench-encode: --modules must be a positive number or 'all'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-encode: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
for t in readelf objcopy cmp; do
	command -v $t >/dev/null || { echo "bench-encode: $t not found (binutils, diffutils)" >&2; exit 2; }
done

dir=$("$repo/scripts/fetch-kernel-dbg.sh") || exit 2
vmlinux=$dir/usr/lib/debug/vmlinux-$kver
base=$dir/usr/lib/debug/boot/vmlinux-$kver
moddir=$dir/usr/lib/debug/lib/modules/$kver
btfenc=$build/pahole
for f in "$vmlinux" "$base" "$moddir" "$btfenc"; do
	[ -e "$f" ] || { echo "bench-encode: $f is missing" >&2; exit 2; }
done

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pick KEY COLUMN - the median of COLUMN (2 wall, 3 user, 4 peak RSS KB) of
# the results filed under KEY
pick() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$tmp/res" | median; }

# div A B - A / B to two decimals, or "-" when either is missing
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }

# debug_info_size FILE - the size in bytes of FILE's .debug_info section
debug_info_size() {
	local hex
	hex=$(readelf -SW "$1" | sed -n 's/.*\] \.debug_info  *PROGBITS  *[0-9a-f]*  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
	echo $((16#${hex:-0}))
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# The module list, and its .debug_info sizes (in bytes, one per line).
find "$moddir" -name '*.ko' | sort >"$tmp/allmods"
nall=$(wc -l <"$tmp/allmods")
[ "$nall" -gt 0 ] || { echo "bench-encode: no .ko under $moddir" >&2; exit 2; }
[ "$nmod" = all ] && nmod=$nall
head -n "$nmod" "$tmp/allmods" >"$tmp/mods"
mapfile -t mods <"$tmp/mods"
nmod=${#mods[@]}
while IFS= read -r m; do debug_info_size "$m"; done <"$tmp/mods" >"$tmp/modsizes"
probe_in=${mods[0]}

# Programs: label, path, thread flag for one thread, accepted kernel flags.
kflags=(-J --btf_gen_floats --lang_exclude=rust --skip_encoding_btf_inconsistent_proto
	--btf_gen_optimized)
label=()
bin=()
one=()
flags=()
notes=()
# add_prog LABEL PATH ONE - files a program, less the kernel flags it rejects
# (an encode of the first module fails with the flag and works without)
add_prog() {
	local f kept=() dropped=()

	if ! "$2" -J --btf_encode_detached="$tmp/probe.btf" "$probe_in" >/dev/null 2>&1; then
		notes+=("$1 ($2) cannot encode ${probe_in##*/}: left out")
		return
	fi
	for f in "${kflags[@]}" -j2 ${3:+"$3"}; do
		rm -f "$tmp/probe.btf"
		if "$2" -J "$f" --btf_encode_detached="$tmp/probe.btf" "$probe_in" >/dev/null 2>&1; then
			kept+=("$f")
		else
			dropped+=("$f")
		fi
	done
	[ ${#dropped[@]} = 0 ] || notes+=("$1 rejects ${dropped[*]}: run without")
	label+=("$1")
	bin+=("$2")
	one+=("$3")
	flags+=("$(printf '%s\n' "${kept[@]}" | grep -vx -e -j2 -e "${3:-none}" | paste -sd' ')")
}
p124=$(command -v pahole)
if [ -n "$p124" ] && [ "$(realpath "$p124")" != "$(realpath "$btfenc")" ]; then
	add_prog "pahole $("$p124" --version)" "$p124" ""
else
	notes+=("no pahole in PATH")
fi
p131=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
if [ -x "$p131" ]; then
	add_prog "pahole $("$p131" --version)" "$p131" -j1
else
	notes+=("no pahole v1.31 at $p131")
fi
add_prog "btfenc" "$btfenc" -j1
nb=$((${#label[@]} - 1))
[ "${label[$nb]}" = btfenc ] || { echo "bench-encode: ${notes[-1]}" >&2; exit 2; }

walker=$tmp/barewalk
cc -O2 -o "$walker" "$repo/bench/barewalk.c" -ldw -lelf 2>"$tmp/cc.err" ||
	{ notes+=("no floor: cc bench/barewalk.c failed: $(head -n 1 "$tmp/cc.err")"); walker=; }

# timed KEY CMD... - runs CMD under /usr/bin/time, files "KEY wall user rss"
# in $tmp/res; stdout goes to $tmp/out. Returns: CMD's status.
timed() {
	local key=$1 st
	shift
	/usr/bin/time -f '%e %U %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ $st = 0 ]; then
		echo "$key $(tail -n 1 "$tmp/time")" >>"$tmp/res"
	else
		echo "FAIL $key: exit $st: $(head -n 1 "$tmp/err")" >>"$tmp/fails"
		status=1
	fi
	return $st
}

# same A B WHAT - files WHAT as a determinism failure when A and B differ
same() {
	cmp -s "$1" "$2" && return
	echo "$3" >>"$tmp/differs"
	status=1
}

echo "btfenc encode benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "btfenc: $btfenc, $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), load average at start $(loadavg)"
echo "flags: ${kflags[*]} -jN --btf_encode_detached=TMP"
for n in "${notes[@]}"; do echo "note: $n"; done
echo "median of $runs run(s), programs in turn"

# 1. vmlinux. pahole does not truncate a detached output: remove it first.
for ((r = 0; r < runs; r++)); do
	if [ -n "$walker" ]; then
		timed "v.walk" "$walker" "$vmlinux" && [ -s "$tmp/out" ] && cp "$tmp/out" "$tmp/walk.out"
	fi
	for mode in 1 2; do
		for i in "${!label[@]}"; do
			j=${one[$i]}
			[ "$mode" = 2 ] && j=-j2
			rm -f "$tmp/v.btf"
			# shellcheck disable=SC2086
			timed "v.$i.$mode" "${bin[$i]}" ${flags[$i]} $j \
				--btf_encode_detached="$tmp/v.btf" "$vmlinux" || continue
			[ "$i" = "$nb" ] || continue
			if [ -e "$tmp/ref.btf" ]; then
				same "$tmp/ref.btf" "$tmp/v.btf" "vmlinux: run $((r + 1)) -j$mode"
			else
				cp "$tmp/v.btf" "$tmp/ref.btf"
			fi
		done
	done
done

vsize=$(debug_info_size "$vmlinux")
echo
printf 'vmlinux-%s: .debug_info %.1f MiB%s\n' "$kver" "$(echo "$vsize / 1048576" | bc -l)" \
	"$([ -s "$tmp/walk.out" ] && sed 's/^\([0-9]*\) units, \([0-9]*\) DIEs.*/, \1 units, \2 DIEs/' "$tmp/walk.out")"
printf '%-24s %7s %9s %9s %14s\n' program threads "wall s" "user s" "peak RSS MiB"
row() { # row LABEL THREADS KEY
	local w
	w=$(pick "$3" 2)
	if [ -z "$w" ]; then
		printf '%-24s %7s %9s\n' "$1" "$2" failed
		return
	fi
	printf '%-24s %7s %9.2f %9.2f %14.1f\n' "$1" "$2" "$w" "$(pick "$3" 3)" \
		"$(echo "$(pick "$3" 4) / 1024" | bc -l)"
}
[ -n "$walker" ] && row "bare libdw walk (floor)" 1 v.walk
for mode in 1 2; do
	for i in "${!label[@]}"; do row "${label[$i]}" "$mode" "v.$i.$mode"; done
done
echo
echo "ratios, btfenc / other (below 1: btfenc is faster or smaller)"
for mode in 1 2; do
	for ((i = 0; i < nb; i++)); do
		printf '  %-34s wall %5s   peak RSS %5s\n' "/ ${label[$i]}, $mode thread$([ "$mode" = 2 ] && echo s)" \
			"$(div "$(pick "v.$nb.$mode" 2)" "$(pick "v.$i.$mode" 2)")" \
			"$(div "$(pick "v.$nb.$mode" 4)" "$(pick "v.$i.$mode" 4)")"
	done
done
[ -n "$walker" ] && printf '  %-34s wall %5s   peak RSS %5s\n' "1 thread / bare libdw walk" \
	"$(div "$(pick "v.$nb.1" 2)" "$(pick v.walk 2)")" "$(div "$(pick "v.$nb.1" 4)" "$(pick v.walk 4)")"

# 2. Modules: one shell loop per program and run, timed as a whole; the
# loop also logs each encode's wall time (for the scaling table).
# shellcheck disable=SC2016
modloop='list=$1 log=$2 out=$3
shift 3
i=0
while IFS= read -r m; do
	rm -f "$out/$i.btf"
	t0=$EPOCHREALTIME
	"$@" --btf_encode_detached="$out/$i.btf" "$m" >/dev/null 2>>"$out/err" ||
		echo "failed: $m" >>"$out/err"
	echo "$i $t0 $EPOCHREALTIME" >>"$log"
	i=$((i + 1))
done <"$list"'
for ((r = 0; r < runs; r++)); do
	for i in "${!label[@]}"; do
		mkdir -p "$tmp/m$i"
		: >"$tmp/m$i/err"
		# shellcheck disable=SC2086
		timed "m.$i" bash -c "$modloop" modloop "$tmp/mods" "$tmp/m$i.log" "$tmp/m$i" \
			"${bin[$i]}" ${flags[$i]} ${one[$i]} --btf_base "$base"
		grep -c '^failed: ' "$tmp/m$i/err" >>"$tmp/m$i.failed"
		cat "$tmp/m$i/err" >>"$tmp/m$i.err"
		[ "$i" = "$nb" ] || continue
		if [ "$r" = 0 ]; then
			mv "$tmp/m$i" "$tmp/mref"
		else
			for ((k = 0; k < nmod; k++)); do
				same "$tmp/mref/$k.btf" "$tmp/m$i/$k.btf" "module ${mods[$k]}: run $((r + 1))"
			done
		fi
	done
done
echo
printf 'modules: the first %d of %d .ko (sorted by path), .debug_info %.1f MiB, each with\n' \
	"$nmod" "$nall" "$(awk '{ s += $1 } END { print s / 1048576 }' "$tmp/modsizes")"
echo "--btf_base boot/vmlinux-$kver, 1 thread, one after another"
printf '%-24s %12s %9s %18s %7s\n' program "total wall s" "user s" "largest RSS MiB" failed
for i in "${!label[@]}"; do
	w=$(pick "m.$i" 2)
	[ -n "$w" ] || { printf '%-24s %12s\n' "${label[$i]}" failed; continue; }
	printf '%-24s %12.2f %9.2f %18.1f %7s\n' "${label[$i]}" "$w" "$(pick "m.$i" 3)" \
		"$(echo "$(pick "m.$i" 4) / 1024" | bc -l)" "$(sort -n "$tmp/m$i.failed" | tail -n 1)"
	grep -m 3 -v '^failed: ' "$tmp/m$i.err" | sed 's/^/  /'
done
for ((i = 0; i < nb; i++)); do
	printf '  btfenc / %-24s total wall %5s   largest RSS %5s\n' "${label[$i]}" \
		"$(div "$(pick "m.$nb" 2)" "$(pick "m.$i" 2)")" "$(div "$(pick "m.$nb" 4)" "$(pick "m.$i" 4)")"
done

# 3. Scaling. vmlinux cut to its first units: .debug_info truncated at a
# unit boundary (no reference of 6.1's units crosses one), every other
# section whole, .rela.debug_info (relocations kept by the link, which
# nothing reads in an executable) removed.
readelf --debug-dump=info --dwarf-depth=1 "$vmlinux" 2>/dev/null |
	sed -n 's/.*Compilation Unit @ offset \(0x[0-9a-f]*\|0\):.*/\1/p' >"$tmp/units"
nunits=$(wc -l <"$tmp/units")
parts=()
off=$(readelf -SW "$vmlinux" | sed -n 's/.*\] \.debug_info  *PROGBITS  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
: >"$tmp/cut.err"
for q in 4 2; do
	bytes=0
	k=0
	while read -r o; do
		((o >= vsize / q)) && { bytes=$((o)); break; }
		k=$((k + 1))
	done <"$tmp/units"
	((bytes > 0)) || { echo "no unit boundary found" >"$tmp/cut.err"; break; }
	tail -c +$((16#${off:-0} + 1)) "$vmlinux" | head -c "$bytes" >"$tmp/info.part"
	objcopy --remove-section .rela.debug_info --update-section .debug_info="$tmp/info.part" \
		"$vmlinux" "$tmp/part$q.elf" 2>>"$tmp/cut.err" || continue
	parts+=("$q $k $bytes")
done
rm -f "$tmp/info.part"
[ ${#parts[@]} = 2 ] || echo "note: no cut vmlinux: $(head -n 1 "$tmp/cut.err")"
for ((r = 0; r < runs; r++)); do
	for p in "${parts[@]}"; do
		read -r q k bytes <<<"$p"
		rm -f "$tmp/v.btf"
		# shellcheck disable=SC2086
		timed "s.$q" "$btfenc" ${flags[$nb]} -j1 --btf_encode_detached="$tmp/v.btf" "$tmp/part$q.elf"
	done
done
rm -f "$tmp"/part*.elf
echo
echo "scaling: btfenc -j1, wall per .debug_info byte (modules: the sum of each"
echo "module's median; each pays a process start and reading the base's .BTF)"
printf '%-40s %16s %9s %9s\n' input ".debug_info MiB" "wall s" "ns/byte"
srow() { # srow LABEL BYTES SECONDS
	[ -n "$3" ] || { printf '%-40s %16s\n' "$1" failed; return; }
	printf '%-40s %16.2f %9.2f %9.1f\n' "$1" "$(echo "$2 / 1048576" | bc -l)" "$3" \
		"$(echo "$3 * 10^9 / $2" | bc -l)"
}
# Per module: its index, size and median wall over the runs, smallest first.
awk '{ d = $3 - $2; n[$1]++; t[$1, n[$1]] = d } END {
	for (i in n) { m = n[i]; for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++)
		if (t[i, b] < t[i, a]) { x = t[i, a]; t[i, a] = t[i, b]; t[i, b] = x }
		print i, m % 2 ? t[i, (m + 1) / 2] : (t[i, m / 2] + t[i, m / 2 + 1]) / 2 } }' \
	"$tmp/m$nb.log" | sort -n | paste -d' ' - "$tmp/modsizes" | sort -k3,3n >"$tmp/permod"
if [ "$(wc -l <"$tmp/permod")" = "$nmod" ]; then
	if [ "$nmod" -ge 4 ]; then
		for g in 1 2 3 4; do
			awk -v g=$g -v n="$nmod" 'NR > int((g - 1) * n / 4) && NR <= int(g * n / 4) {
				c++; b += $3; t += $2 } END { print c, b, t }' "$tmp/permod" >"$tmp/grp"
			read -r c b t <"$tmp/grp"
			srow "modules, size quarter $g ($c)" "$b" "$t"
		done
	fi
	read -r b t < <(awk '{ b += $3; t += $2 } END { print b, t }' "$tmp/permod")
	srow "modules, all $nmod" "$b" "$t"
fi
for p in "${parts[@]}"; do
	read -r q k bytes <<<"$p"
	srow "vmlinux, first $k of $nunits units (1/$q)" "$bytes" "$(pick "s.$q" 2)"
done
srow "vmlinux, all $nunits units" "$vsize" "$(pick "v.$nb.1" 2)"

# 4. Determinism: the timed runs were compared as they went; add -j8.
rm -f "$tmp/v.btf"
# shellcheck disable=SC2086
"$btfenc" ${flags[$nb]} -j8 --btf_encode_detached="$tmp/v.btf" "$vmlinux" >/dev/null 2>&1
[ -e "$tmp/ref.btf" ] && same "$tmp/ref.btf" "$tmp/v.btf" "vmlinux: -j8"
mkdir -p "$tmp/m8"
: >"$tmp/m8/err"
# shellcheck disable=SC2086
bash -c "$modloop" modloop "$tmp/mods" "$tmp/m8.log" "$tmp/m8" \
	"$btfenc" ${flags[$nb]} -j8 --btf_base "$base"
for ((k = 0; k < nmod; k++)); do
	same "$tmp/mref/$k.btf" "$tmp/m8/$k.btf" "module ${mods[$k]}: -j8"
done
echo
echo "determinism: btfenc's bytes"
if [ -e "$tmp/ref.btf" ] && ! grep -q '^vmlinux' "$tmp/differs" 2>/dev/null; then
	echo "  vmlinux, -j1 x $runs, -j2 x $runs, -j8: same bytes"
else
	echo "  vmlinux: FAIL"
fi
if [ -d "$tmp/mref" ] && ! grep -q '^module' "$tmp/differs" 2>/dev/null; then
	echo "  $nmod modules, -j1 x $runs, -j8: same bytes"
else
	echo "  modules: FAIL"
fi
[ -e "$tmp/differs" ] && sed -n '1,10s/^/  FAIL /p' "$tmp/differs"
[ -e "$tmp/fails" ] && { echo; cat "$tmp/fails"; }
echo
echo "load average at the end: $(loadavg)"
exit $status
