#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kill_inplace.sh BTFENC OBJECT [TRIALS] [FLAGS...] - SIGKILL during an
# in-place encode. OBJECT is copied to a victim (mode 0751) and encoded in
# place by "BTFENC FLAGS victim", killed after a random delay between 0 and
# twice the time a whole encode takes; TRIALS times (default 50). After each
# kill the victim must be byte for byte either the original or the complete
# result of an encode that was not killed, with its mode still 0751. How
# many kills landed before, during and after the rename is counted (by which
# of the two the victim is); temporary files left beside it by a kill are
# counted too (a SIGKILL leaves no chance to remove them; the next run does
# not reuse them).
# One line per trial that failed, then "N passed, N failed"; exit 0 if all
# passed.
set -u

btfenc=${1:?usage: kill_inplace.sh BTFENC OBJECT [TRIALS] [FLAGS...]}
object=${2:?usage: kill_inplace.sh BTFENC OBJECT [TRIALS] [FLAGS...]}
trials=${3:-50}
shift $(($# < 3 ? $# : 3))
flags=("$@")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp "$object" "$tmp/original"
cp "$object" "$tmp/done"
t0=$EPOCHREALTIME
"$btfenc" "${flags[@]}" "$tmp/done" || { echo "FAIL: the encode itself failed"; exit 1; }
t1=$EPOCHREALTIME
# Microseconds of one encode, at least 1 ms.
us=$(awk -v a="$t0" -v b="$t1" 'BEGIN { u = (b - a) * 1e6; print (u < 1000 ? 1000 : int(u)) }')
if cmp -s "$tmp/original" "$tmp/done"; then
	echo "FAIL: the encode changed nothing, so a kill cannot be told apart"
	exit 1
fi

pass=0
fail=0
before=0
after=0
for ((i = 0; i < trials; i++)); do
	mkdir "$tmp/t$i"
	victim=$tmp/t$i/victim
	cp "$tmp/original" "$victim"
	chmod 0751 "$victim"
	delay=$(awk -v r="$RANDOM$RANDOM" -v us="$us" 'BEGIN { printf "%.6f", (r % (2 * us)) / 1e6 }')
	"$btfenc" "${flags[@]}" "$victim" 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	mode=$(stat -c %a "$victim")
	if [ "$mode" != 751 ]; then
		echo "FAIL trial $i (kill after ${delay}s): mode $mode, not 751"
		fail=$((fail + 1))
	elif cmp -s "$victim" "$tmp/original"; then
		before=$((before + 1))
		pass=$((pass + 1))
	elif cmp -s "$victim" "$tmp/done"; then
		after=$((after + 1))
		pass=$((pass + 1))
	else
		echo "FAIL trial $i (kill after ${delay}s): the file is neither the original nor the result"
		cp "$victim" "${KEEP:-/tmp}/kill_inplace.trial$i" 2>/dev/null
		fail=$((fail + 1))
	fi
done
left=$(find "$tmp"/t* -type f ! -name victim | wc -l)
echo "$trials kills over 0..$((2 * us)) us (one encode: $us us): $before left the original," \
	"$after the result; $left temporary files left beside"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
