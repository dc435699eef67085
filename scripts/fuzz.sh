#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz.sh [--build DIR] TARGET SECONDS [LIBFUZZER_ARGS...] - a fuzzing
# campaign of one target (btf, dedup or encode; see tests/fuzz/) with
# libFuzzer, ASan and UBSan, for SECONDS.
#
# DIR (default build-fuzz) is configured if it does not exist: clang,
# -Dfuzz=true, -Db_sanitize=address,undefined, every file compiled with
# -fsanitize=fuzzer-no-link for coverage and -fno-sanitize-recover=all (a
# UBSan report stops the campaign and saves its input, as a crash does).
# The campaign keeps its corpus
# in $BTFENC_FUZZ_DIR/TARGET/corpus (default fuzz-work/, ignored by git),
# started from tests/fuzz/regress/TARGET and, on the first run, from seeds
# made now: the test fixtures built by gcc and clang (objects for encode,
# their BTF for btf and dedup) and the smallest modules of the Debian
# kernel in the cache if it is there (nothing is downloaded). Failing
# inputs land in $BTFENC_FUZZ_DIR/TARGET/crashes/; a fixed one is copied
# into tests/fuzz/regress/TARGET/ so that the suite replays it.
# Allocations above 2 GB and inputs running over 20 s count as failures.
# Prints libFuzzer's final statistics: executions, coverage (cov), corpus.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
if [ "${1:-}" = --build ]; then
	build=$2
	shift 2
fi
target=${1:?usage: fuzz.sh [--build DIR] TARGET SECONDS [ARGS...]}
seconds=${2:?usage: fuzz.sh [--build DIR] TARGET SECONDS [ARGS...]}
shift 2
case $target in btf | dedup | encode) ;; *)
	echo "fuzz.sh: unknown target '$target' (btf, dedup, encode)" >&2
	exit 2
	;;
esac

if [ ! -d "$build" ]; then
	CC=clang meson setup "$build" "$root" -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" \
		>/dev/null
fi
ninja -C "$build" "tests/fuzz/fuzz_$target" >/dev/null

work=${BTFENC_FUZZ_DIR:-$root/fuzz-work}/$target
mkdir -p "$work/corpus" "$work/crashes" "$work/seeds"

# Seeds, once.
if [ -z "$(ls -A "$work/seeds")" ]; then
	ninja -C "$build" btfenc >/dev/null
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	for src in "$root"/tests/fixtures/*.c; do
		name=$(basename "$src" .c)
		for cc in gcc clang; do
			for dw in 4 5; do
				obj=$tmp/$name-$cc-$dw.o
				"$cc" -g -gdwarf-$dw -O1 -c -o "$obj" "$src" 2>/dev/null || continue
				if [ "$target" = encode ]; then
					cp "$obj" "$work/seeds/$name-$cc-$dw"
				else
					"$build/btfenc" -J --btf_encode_detached="$work/seeds/$name-$cc-$dw.btf" \
						"$obj" >/dev/null 2>&1 || true
				fi
			done
		done
	done
	# dedup: split pairs too, each fixture's BTF on the one before it
	# ("BTFSPLIT", the base's length as a little-endian u32, base, split).
	if [ "$target" = dedup ]; then
		prev=
		for btf in "$work"/seeds/*-gcc-5.btf; do
			obj=$tmp/$(basename "$btf" .btf).o
			if [ -n "$prev" ] && "$build/btfenc" -J --btf_base "$prev" \
				--btf_encode_detached="$tmp/split.btf" "$obj" >/dev/null 2>&1; then
				n=$(stat -c %s "$prev")
				{
					printf 'BTFSPLIT'
					printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((n & 255)) \
						$((n >> 8 & 255)) $((n >> 16 & 255)) $((n >> 24 & 255)))"
					cat "$prev" "$tmp/split.btf"
				} >"$work/seeds/split-$(basename "$btf")"
			fi
			prev=$btf
		done
	fi
	cache=${BTFENC_CACHE:-/work/cache}
	mods=$cache/deb/usr/lib/debug/lib/modules
	if [ -d "$mods" ]; then
		find "$mods" -name '*.ko' -size -120k | sort | head -8 | while read -r ko; do
			if [ "$target" = encode ]; then
				cp "$ko" "$work/seeds/$(basename "$ko" .ko)"
			else
				objcopy -O binary --only-section=.BTF "$ko" \
					"$work/seeds/$(basename "$ko" .ko).btf" 2>/dev/null || true
			fi
		done
	fi
fi

cd "$work"
exec "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=20 \
	-rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=1048576 -print_final_stats=1 \
	-artifact_prefix="$work/crashes/" "$@" \
	"$work/corpus" "$work/seeds" "$root/tests/fuzz/regress/$target"
