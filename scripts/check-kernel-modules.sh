#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kernel-modules.sh [--all | N | MODULE...] [--build DIR] [--pahole PAHOLE] -
# btfenc on the modules of Debian's 6.1 cloud kernel (scripts/fetch-kernel-dbg.sh;
# the cache is $BTFENC_CACHE, else /work/cache if it holds one, else <repo>/cache).
#
# Modules: by default 50 spread evenly over the sorted list plus the 5 largest;
# N: N spread plus the 5 largest; --all: every one; MODULE...: those (paths
# under .../kernel/, e.g. fs/xfs/xfs.ko). For each module, btfenc
# encodes split BTF on the vmlinux (--btf_base VMLINUX, detached) twice: as
# the kernel's pahole (DIR/pahole with 6.1's flags for pahole v1.31) and under
# its own name with its defaults. Each blob is
#  - timed, then flattened onto the vmlinux .BTF (Debian's reference, which
#    btfenc read as the base) and loaded into the kernel (DIR/tests/btf_load;
#    a host that does not permit bpf() skips the loads);
#  - compared by name and shape (btfenc diff) with the module's reference
#    .BTF, written by Debian's pahole 1.24; the differences are tallied by
#    kind: FUNC sets and the anonymous types only they use follow pahole
#    1.24's rules against 1.31's, VAR/DATASEC/DECL_TAG differences are
#    listed, and a difference in a STRUCT, UNION, ENUM, ENUM64, TYPEDEF, FWD,
#    INT or FLOAT is a bug;
#  - the kernel-flags blob, if pahole v1.31 is there (--pahole, $PAHOLE131,
#    or /work/ext/pahole-1.31/pahole), compared with its output for the same
#    module and flags: any difference is a bug.
# On two modules (the largest, and the middle one of the sorted list),
# the bytes must not depend on the base's form (the ELF vmlinux or its raw
# .BTF), on -j1/-j2/-j8, on the run, or on spelling out the default features.
#
# Prints one line per module (ok, or FAIL and the first differences), one per
# same-bytes check, the totals and tallies, then "N passed, N failed": one item
# per module and per same-bytes check. A module fails on an encode or load
# failure, a type difference from the reference, or any difference from pahole
# v1.31. Exits 1 if anything failed, 2 on a usage or setup error.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
build=$repo/build
ref131=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
count=50
all=false
picked=()

usage() { awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"; }
while [ $# -gt 0 ]; do
	case $1 in
	--all) all=true ;;
	--build) build=${2:?--build needs a directory}; shift ;;
	--build=*) build=${1#--build=} ;;
	--pahole) ref131=${2:?--pahole needs a path}; shift ;;
	--pahole=*) ref131=${1#--pahole=} ;;
	-h|--help) usage; exit 0 ;;
	*.ko|*.ko.*) picked+=("$1") ;;
	*[!0-9]*|'') echo "check-kernel-modules: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	*) count=$1 ;;
	esac
	shift
done
[ "$count" -gt 0 ] || { echo "check-kernel-modules: N must be at least 1" >&2; exit 2; }
build=$(cd "$build" 2>/dev/null && pwd) || { echo "check-kernel-modules: no build directory" >&2; exit 2; }
btfenc=$build/btfenc
pahole_link=$build/pahole
loader=$build/tests/btf_load
for f in "$btfenc" "$pahole_link" "$loader"; do
	[ -x "$f" ] || { echo "check-kernel-modules: no $f (build btfenc and its tests)" >&2; exit 2; }
done
[ -x "$ref131" ] || ref131=

dir=$("$repo/scripts/fetch-kernel-dbg.sh") || exit 2
vmlinux=$dir/usr/lib/debug/boot/vmlinux-$kver
moddir=$dir/usr/lib/debug/lib/modules/$kver/kernel

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# 6.1's scripts/pahole-flags.sh for pahole v1.31, and btfenc's own defaults
# spelled out (the same as giving no --btf_features).
kflags=(--btf_gen_floats -j --lang_exclude=rust --skip_encoding_btf_inconsistent_proto
	--btf_gen_optimized)
features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs

# --- which modules ---------------------------------------------------------

(cd "$moddir" && find . -type f -name '*.ko*' -printf '%P\n' | LC_ALL=C sort) >"$tmp/all"
total=$(wc -l <"$tmp/all")
[ "$total" -gt 0 ] || { echo "check-kernel-modules: no modules under $moddir" >&2; exit 2; }
(cd "$moddir" && find . -type f -name '*.ko*' -printf '%s %P\n' | sort -k1,1n -k2 |
	tail -n 5 | cut -d' ' -f2-) >"$tmp/largest"
if [ ${#picked[@]} -gt 0 ]; then
	printf '%s\n' "${picked[@]}" >"$tmp/list"
	while read -r rel; do
		[ -f "$moddir/$rel" ] || { echo "check-kernel-modules: no module '$rel' under $moddir" >&2; exit 2; }
	done <"$tmp/list"
elif $all || [ "$count" -ge "$total" ]; then
	cp "$tmp/all" "$tmp/list"
else
	# Line i*total/count + 1 for i < count: evenly spread, first line first.
	awk -v n="$count" -v t="$total" 'BEGIN { for (i = 0; i < n; i++) print int(i * t / n) + 1 }' |
		while read -r i; do sed -n "${i}p" "$tmp/all"; done >"$tmp/list"
	cat "$tmp/largest" >>"$tmp/list"
	awk '!seen[$0]++' "$tmp/list" >"$tmp/list.u" && mv "$tmp/list.u" "$tmp/list"
fi
nmods=$(wc -l <"$tmp/list")
echo "vmlinux: $vmlinux"
echo "modules: $nmods of $total under $moddir"
echo "pahole v1.31: ${ref131:-not found, its comparisons are skipped}"

# --- helpers ---------------------------------------------------------------

passed=0
failed=0
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
secs() { printf '%d.%02d' $(($1 / 1000000)) $(($1 % 1000000 / 10000)); }

# run_timed VAR CMD... - runs CMD with stderr to $tmp/err, adds its wall time
# in microseconds to VAR and sets last_us. Returns: CMD's status.
last_us=0
run_timed() {
	local var=$1 t0 st
	shift
	t0=$(now_us)
	"$@" 2>"$tmp/err" >/dev/null
	st=$?
	last_us=$(($(now_us) - t0))
	printf -v "$var" '%d' $((${!var} + last_us))
	return $st
}

first_err() { head -n 1 "$tmp/err" | cut -c1-200; }

# load_flat BLOB - flattens BLOB onto the vmlinux and loads it.
# Returns: 0 loaded, 77 not permitted here, 1 refused or failed (msg set).
load_flat() {
	local st
	if ! "$btfenc" flatten --base "$vmlinux" -o "$tmp/flat.btf" "$1" 2>"$tmp/err"; then
		msg="flatten: $(first_err)"
		return 1
	fi
	"$loader" "$tmp/flat.btf" >/dev/null 2>"$tmp/err"
	st=$?
	case $st in
	0|77) return $st ;;
	*) msg="the kernel refuses it: $(head -n 3 "$tmp/err" | tr '\n' ' ' | cut -c1-200)"
	   return 1 ;;
	esac
}

# classify < DIFF - one category per diff line: "<category> <op>".
#  func    FUNC sets (pahole 1.24's rules against 1.31's)
#  anon    anonymous PTR/CONST/VOLATILE/RESTRICT/ARRAY/FUNC_PROTO/TYPE_TAG
#          (the types only those FUNCs refer to)
#  var, datasec, decl_tag
#  type    STRUCT, UNION, ENUM, ENUM64, TYPEDEF, FWD, INT, FLOAT: a bug
classify() {
	awk '{
		op = $1; kind = $2
		if (kind ~ /:$/) sub(/:$/, "", kind)
		if (kind == "func") c = "func"
		else if (kind ~ /^(ptr|const|volatile|restrict|array|func_proto|type_tag)$/) c = "anon"
		else if (kind == "var" || kind == "datasec" || kind == "decl_tag") c = kind
		else c = "type"
		print c, op
	}'
}

# Per mode (k: kernel flags, d: defaults) and category: modules and lines.
declare -A tally_mods tally_lines
enc_ok=0 load_ok=0 load_skip=0 ref_same_k=0 ref_same_d=0 ph_same=0 ph_bytes=0 ph_dump=0 ph_cmp=0
us_k=0 us_d=0 us_p=0 us_k_ph=0 type_mods=0 type_shared=0

# compare_ref MODE BLOB - the reference diff of one blob: tallies it; sets
# summary (category counts) and, for a type difference, bad (the lines).
compare_ref() {
	local mode=$1 blob=$2 st c n cats
	"$btfenc" diff --base "$vmlinux" "$mod" "$blob" >"$tmp/ref.diff" 2>"$tmp/err"
	st=$?
	if [ $st -eq 0 ]; then
		[ "$mode" = k ] && ref_same_k=$((ref_same_k + 1))
		[ "$mode" = d ] && ref_same_d=$((ref_same_d + 1))
		summary="same"
		return 0
	elif [ $st -ne 1 ]; then
		bad="diff with the reference failed: $(first_err)"
		return 1
	fi
	classify <"$tmp/ref.diff" | sort | uniq -c >"$tmp/cls"
	summary=
	cats=$(awk '{print $2}' "$tmp/cls" | uniq)
	for c in $cats; do
		n=$(awk -v c="$c" '$2 == c { s += $1 } END { print s }' "$tmp/cls")
		tally_mods[$mode.$c]=$((${tally_mods[$mode.$c]:-0} + 1))
		tally_lines[$mode.$c]=$((${tally_lines[$mode.$c]:-0} + n))
		summary+="${summary:+, }$n $c"
	done
	awk '{ tally[$2 " " $3] += $1 } END { for (k in tally) print k, tally[k] }' "$tmp/cls" |
		while read -r c op n; do echo "$mode.$c.$op $n"; done >>"$tmp/ops"
	if grep -q '^type ' <(classify <"$tmp/ref.diff"); then
		bad="type differences from the reference ($([ "$mode" = k ] && echo kernel flags || echo defaults)):"
		bad+=$'\n'$(paste -d' ' <(classify <"$tmp/ref.diff") "$tmp/ref.diff" |
			awk '$1 == "type"' | cut -d' ' -f3- | head -n 5 | sed 's/^/       /')
		return 1
	fi
	return 0
}

# --- one module ----------------------------------------------------------

check_module() {
	local rel=$1 fails=() msg summary_k summary_d summary bad st line t_k t_d t_p
	mod=$moddir/$rel

	# 1. encode, both ways
	if ! run_timed us_k "$pahole_link" "${kflags[@]}" --btf_base "$vmlinux" \
		--btf_encode_detached="$tmp/k.btf" "$mod"; then
		fails+=("encode (kernel flags): $(first_err)")
	fi
	t_k=$last_us
	if ! run_timed us_d "$btfenc" --lang_exclude=rust --btf_base "$vmlinux" \
		--btf_encode_detached="$tmp/d.btf" "$mod"; then
		fails+=("encode (defaults): $(first_err)")
	fi
	t_d=$last_us
	if [ ${#fails[@]} -gt 0 ]; then
		report "$rel" "${fails[@]}"
		return
	fi
	enc_ok=$((enc_ok + 1))

	# 2. flatten onto the reference vmlinux .BTF and load
	local loaded=0 skipped=0 b
	for b in k d; do
		load_flat "$tmp/$b.btf"
		case $? in
		0) loaded=$((loaded + 1)) ;;
		77) skipped=1 ;;
		*) fails+=("load ($([ $b = k ] && echo kernel flags || echo defaults)): $msg") ;;
		esac
	done
	[ $loaded -eq 2 ] && load_ok=$((load_ok + 1))
	[ $skipped -eq 1 ] && load_skip=$((load_skip + 1))

	# 3. the reference (pahole 1.24); its failures are reported after step 4,
	# which tells whether pahole v1.31 has the same differences.
	local ref_fails=() ph_match=0
	bad=
	compare_ref k "$tmp/k.btf" || ref_fails+=("$bad")
	summary_k=$summary
	bad=
	compare_ref d "$tmp/d.btf" || ref_fails+=("$bad")
	summary_d=$summary

	# 4. pahole v1.31, kernel flags
	summary="v1.31 skipped"
	if [ -n "$ref131" ]; then
		rm -f "$tmp/p.btf"
		t_p=0
		if ! run_timed t_p "$ref131" "${kflags[@]}" --btf_base "$vmlinux" \
			--btf_encode_detached="$tmp/p.btf" "$mod"; then
			summary="v1.31 failed: $(first_err)"
		else
			us_p=$((us_p + t_p))
			us_k_ph=$((us_k_ph + t_k))
			ph_cmp=$((ph_cmp + 1))
			"$btfenc" diff --base "$vmlinux" "$tmp/p.btf" "$tmp/k.btf" >"$tmp/ph.diff" 2>"$tmp/err"
			st=$?
			if [ $st -eq 0 ]; then
				ph_same=$((ph_same + 1))
				ph_match=1
				if cmp -s "$tmp/p.btf" "$tmp/k.btf"; then
					ph_bytes=$((ph_bytes + 1))
					summary="v1.31 same bytes"
				elif cmp -s <("$btfenc" dump --base "$vmlinux" "$tmp/p.btf") \
					<("$btfenc" dump --base "$vmlinux" "$tmp/k.btf"); then
					ph_dump=$((ph_dump + 1))
					summary="v1.31 same dump"
				else
					summary="v1.31 same shapes"
				fi
			elif [ $st -eq 1 ]; then
				fails+=("differs from pahole v1.31 (- pahole, + btfenc; $(wc -l <"$tmp/ph.diff") lines):"$'\n'"$(head -n 5 "$tmp/ph.diff" | cut -c1-200 | sed 's/^/       /')")
				summary="v1.31 differs"
			else
				fails+=("diff with pahole v1.31 failed: $(first_err)")
			fi
			summary+=" ($(secs "$t_p")s)"
		fi
	fi
	if [ ${#ref_fails[@]} -gt 0 ]; then
		type_mods=$((type_mods + 1))
		if [ $ph_match -eq 1 ]; then
			type_shared=$((type_shared + 1))
			ref_fails+=("(pahole v1.31 has the same types as btfenc here)")
		fi
		fails=("${ref_fails[@]}" "${fails[@]}")
	fi
	line="$(secs "$t_k")s/$(secs "$t_d")s; ref: kernel flags $summary_k"
	[ "$summary_d" != "$summary_k" ] && line+=", defaults $summary_d"
	line+="; $summary"
	if [ ${#fails[@]} -gt 0 ]; then
		report "$rel" "${fails[@]}"
	else
		echo "ok   $rel: $line"
		passed=$((passed + 1))
	fi
}

# report MODULE REASON... - a FAIL line and its reasons
report() {
	local rel=$1 r
	shift
	echo "FAIL $rel"
	for r in "$@"; do
		echo "     $r"
	done
	failed=$((failed + 1))
}

# --- same bytes however btfenc is run ---------------------------------------

# same_bytes MODULE - the kernel-flags encode of MODULE with the raw .BTF as
# base, with -j1/-j2/-j8, twice, and with the features spelled out.
same_bytes() {
	local rel=$1 m=$moddir/$1 ref=$tmp/sb0.btf j bad=() out t=0
	if ! objcopy --only-section=.BTF --dump-section .BTF="$tmp/raw-vmlinux.btf" \
		"$vmlinux" "$tmp/objcopy.o" 2>/dev/null || [ ! -s "$tmp/raw-vmlinux.btf" ]; then
		report "same bytes: $rel" "cannot extract the vmlinux .BTF with objcopy"
		return
	fi
	rm -f "$tmp/objcopy.o"
	if ! run_timed t "$pahole_link" "${kflags[@]}" --btf_base "$vmlinux" \
		--btf_encode_detached="$ref" "$m"; then
		report "same bytes: $rel" "encode: $(first_err)"
		return
	fi
	# NAME OUT COMMAND...: one more encode that must give ref's bytes
	try() {
		local name=$1 o=$2
		shift 2
		rm -f "$o"
		if ! "$@" 2>"$tmp/err" >/dev/null; then
			bad+=("$name: $(first_err)")
		elif ! cmp -s "$ref" "$o"; then
			bad+=("$name: other bytes ($(stat -c %s "$o") vs $(stat -c %s "$ref"))")
		fi
	}
	out=$tmp/sb.btf
	try "raw .BTF as base" "$out" "$pahole_link" "${kflags[@]}" \
		--btf_base "$tmp/raw-vmlinux.btf" --btf_encode_detached="$out" "$m"
	for j in -j1 -j2 -j8; do
		try "$j" "$out" "$pahole_link" "${kflags[@]/#-j/$j}" --btf_base "$vmlinux" \
			--btf_encode_detached="$out" "$m"
	done
	try "second run" "$out" "$pahole_link" "${kflags[@]}" --btf_base "$vmlinux" \
		--btf_encode_detached="$out" "$m"
	# The defaults: no --btf_features, the list spelled out, raw base, -j8.
	"$btfenc" --lang_exclude=rust --btf_base "$vmlinux" --btf_encode_detached="$ref" "$m" \
		2>/dev/null
	try "defaults spelled out" "$out" "$btfenc" --lang_exclude=rust --btf_features=$features \
		--btf_base "$tmp/raw-vmlinux.btf" -j8 --btf_encode_detached="$out" "$m"
	if [ ${#bad[@]} -gt 0 ]; then
		report "same bytes: $rel" "${bad[@]}"
	else
		echo "ok   same bytes: $rel: ELF or raw base, -j1/-j2/-j8, two runs, features spelled out"
		passed=$((passed + 1))
	fi
}

# --- run -------------------------------------------------------------------

: >"$tmp/ops"
while read -r rel; do
	check_module "$rel"
done <"$tmp/list"

# The largest module and the middle one of the sorted list.
same_bytes "$(tail -n 1 "$tmp/largest")"
same_bytes "$(sed -n "$(((total + 1) / 2))p" "$tmp/all")"

# --- totals ----------------------------------------------------------------

op_count() { awk -v k="$1" '$1 == k { s += $2 } END { print s + 0 }' "$tmp/ops"; }
tally() {
	local mode=$1 c label
	for c in func anon var datasec decl_tag type; do
		[ -n "${tally_mods[$mode.$c]:-}" ] || continue
		case $c in
		func) label="FUNC sets (pahole 1.24's rules vs 1.31's)" ;;
		anon) label="anonymous PTR/FUNC_PROTO/... (used by those FUNCs)" ;;
		var) label="VAR" ;;
		datasec) label="DATASEC" ;;
		decl_tag) label="DECL_TAG" ;;
		type) label="TYPES (STRUCT/UNION/ENUM/TYPEDEF/...): failures" ;;
		esac
		printf '    %-52s %4d modules, %6d lines (+%d only btfenc, -%d only 1.24, ~%d changed)\n' \
			"$label:" "${tally_mods[$mode.$c]}" "${tally_lines[$mode.$c]}" \
			"$(op_count "$mode.$c.+")" "$(op_count "$mode.$c.-")" "$(op_count "$mode.$c.~")"
	done
}

echo
echo "encoded:  $enc_ok of $nmods modules (both ways)"
if [ $load_skip -gt 0 ]; then
	echo "loaded:   $load_ok of $enc_ok (flattened onto the vmlinux .BTF; $load_skip not permitted here)"
else
	echo "loaded:   $load_ok of $enc_ok (flattened onto the vmlinux .BTF, both blobs)"
fi
echo "reference (Debian's pahole 1.24), kernel flags: $ref_same_k of $enc_ok match fully; the rest differ in"
tally k
echo "reference (Debian's pahole 1.24), btfenc defaults: $ref_same_d of $enc_ok match fully; the rest differ in"
tally d
if [ $type_mods -gt 0 ] && [ -n "$ref131" ]; then
	echo "type differences from the reference: $type_mods modules, in $type_shared of them pahole v1.31's output has the same types as btfenc's"
fi
if [ -n "$ref131" ]; then
	echo "pahole v1.31, kernel flags: $ph_same of $ph_cmp match fully: $ph_bytes byte for byte, $ph_dump more with the same dump (ids and names; only the string order differs), $((ph_same - ph_bytes - ph_dump)) more by name and shape"
	echo "time:     btfenc $(secs $us_k)s (kernel flags), $(secs $us_d)s (defaults); pahole v1.31 $(secs $us_p)s (btfenc $(secs $us_k_ph)s on the same modules)"
else
	echo "time:     btfenc $(secs $us_k)s (kernel flags), $(secs $us_d)s (defaults)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
