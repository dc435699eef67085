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
