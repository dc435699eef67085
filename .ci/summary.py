#!/usr/bin/env python3
"""Counts test cases in a meson testlog.json: each Check case of a Check
suite, and each other test as one. Prints 'N passed, N failed[, N skipped]'."""
import json
import re
import sys

CHECK = re.compile(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)")
passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        test = json.loads(line)
        result = test.get("result", "")
        m = CHECK.search(test.get("stdout", "") or "")
        if m:
            n, f, e = map(int, m.groups())
            passed += n - f - e
            failed += f + e
            if result not in ("OK", "EXPECTEDFAIL") and f + e == 0:
                failed += 1
        elif result == "SKIP":
            skipped += 1
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
