# SPDX-License-Identifier: GPL-2.0-only
# lib.sh - sourced by the test and check scripts: counting results.
# result STATUS WHAT: "ok   WHAT" when STATUS is 0, else "FAIL WHAT";
# check WHAT COMMAND...: the same with COMMAND's exit status.
# The counts are in $passed and $failed for the "N passed, N failed" line.
passed=0
failed=0

result() {
	if [ "$1" = 0 ]; then
		echo "ok   $2"
		passed=$((passed + 1))
	else
		echo "FAIL $2"
		failed=$((failed + 1))
	fi
}

check() {
	local what=$1

	shift
	"$@"
	result $? "$what"
}

# capped PROGRAM ARGS...: runs PROGRAM with its memory capped at 4 GB, so
# that a runaway allocation on a hostile input fails it, not the machine:
# an address-space limit, or for an AddressSanitizer build (which reserves
# terabytes of address space for its shadow) ASan's own RSS limit, its
# allocator returning NULL past 4 GB as malloc would.
capped() {
	if ldd "$1" 2>/dev/null | grep -q libasan; then
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=4096:max_allocation_size_mb=4096:allocator_may_return_null=1 \
			"$@"
	else
		(ulimit -v 4194304 && exec "$@")
	fi
}

# cli_run EXPECT_RC EXPECT_STDOUT ARGS...: runs "$btfenc ARGS" (btfenc and
# tmp set by the caller), checks its exit code and its whole stdout; stderr
# is left in $tmp/err.
cli_run() {
	local rc=$1 out=$2 got
	shift 2
	"$btfenc" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$rc" ]; then
		result 1 "$*: exit $got, expected $rc ($(head -n1 "$tmp/err"))"
	elif [ "$(cat "$tmp/out")" != "$out" ]; then
		result 1 "$*: output differs:"
		printf '%s\n' "--- expected" "$out" "--- actual"
		cat "$tmp/out"
	else
		result 0 "$* -> $rc"
	fi
}
