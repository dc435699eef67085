#!/usr/bin/env python3
"""Counts test cases in meson testlog.json files (one per build): each
Check case of a Check suite, each case of a script that ends with "N passed,
N failed", and each other test as one. Prints 'N passed, N failed[, N
skipped]' over all of them."""
import json
import re
import sys

CHECK = re.compile(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)")
SCRIPT = re.compile(r"^(\d+) passed, (\d+) failed", re.M)
passed = failed = skipped = 0
for path in sys.argv[1:]:
    for line in open(path):
        test = json.loads(line)
        result = test.get("result", "")
        out = test.get("stdout", "") or ""
        m = CHECK.search(out)
        counts = SCRIPT.findall(out)
        if counts and not m:
            p, f = map(int, counts[-1])
            passed += p
            failed += f
            if result not in ("OK", "EXPECTEDFAIL", "SKIP") and f == 0:
                failed += 1
        elif m:
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
