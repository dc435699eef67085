#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""c_sizes.py RAW_DUMP - a C file asserting the size of every struct and union.

RAW_DUMP is "btfenc dump" (or "bpftool btf dump file") text. For each struct
and union whose tag name no other struct, union or enum has (so that its C
name carries no "___N"), prints _Static_assert(sizeof(...) == size): compiled
after a header "btfenc dump --format c" wrote, it fails wherever the header's
layout differs from the BTF's.
"""
import collections
import re
import sys

LINE = re.compile(r"^\[\d+\] (STRUCT|UNION|ENUM|ENUM64) '([^']*)'(?: encoding=\w+)? size=(\d+)")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().split('\n')[0], file=sys.stderr)
        return 2
    seen = collections.Counter()
    types = []
    with open(sys.argv[1], encoding='latin-1') as f:
        for line in f:
            m = LINE.match(line)
            if not m or m.group(2) == '(anon)':
                continue
            seen[m.group(2)] += 1
            if m.group(1) in ('STRUCT', 'UNION'):
                types.append((m.group(1).lower(), m.group(2), int(m.group(3))))
    print('#include "vmlinux.h"')
    for kind, name, size in types:
        if seen[name] == 1:
            print('_Static_assert(sizeof(%s %s) == %d, "%s %s");' % (kind, name, size, kind, name))
    return 0


if __name__ == '__main__':
    sys.exit(main())
