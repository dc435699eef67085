#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""c_defs.py A.h B.h - the types two vmlinux.h-style headers define, compared.

Reads each header's top-level statements (bpftool and btfenc both end each
with ";" and a blank line) and keeps what they define: "struct NAME",
"union NAME", "enum NAME", "typedef NAME", and "enum {FIRST...}" for an
anonymous enum by its first enumerator. Prints the definitions only A has
("- ") and only B has ("+ "), then a count; exit 0 when the sets are equal.
"""
import re
import sys

TAG = re.compile(r'^(struct|union|enum)\s+(\w+)\s*\{')
ANON_ENUM = re.compile(r'^enum\s*\{\s*(\w+)')
FUNC_PTR = re.compile(r'\(\s*\*+\s*(?:const\s+)?(\w+)\s*\)')
PLAIN = re.compile(r'(\w+)\s*[\[(;]')
ATTR = re.compile(r'__attribute__\(\((?:[^()]|\([^()]*\))*\)\)')


def strip_bodies(text):
    out, depth = [], 0
    for c in text:
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
        elif depth == 0:
            out.append(c)
    return ''.join(out)


def definitions(path):
    defs = set()
    with open(path, encoding='latin-1') as f:
        text = f.read()
    for stmt in re.split(r';\n\n', text):
        stmt = '\n'.join(l for l in stmt.split('\n') if not l.startswith('#')).strip()
        if not stmt:
            continue
        m = TAG.match(stmt)
        if m:
            defs.add(m.group(1) + ' ' + m.group(2))
            continue
        m = ANON_ENUM.match(stmt)
        if m:
            defs.add('enum {' + m.group(1) + '...}')
            continue
        if stmt.startswith('typedef'):
            flat = ATTR.sub('', strip_bodies(stmt[len('typedef'):])) + ';'
            m = FUNC_PTR.search(flat) or PLAIN.search(flat)
            if m:
                defs.add('typedef ' + m.group(1))
    return defs


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().split('\n')[0], file=sys.stderr)
        return 2
    a, b = definitions(sys.argv[1]), definitions(sys.argv[2])
    for d in sorted(a - b):
        print('- ' + d)
    for d in sorted(b - a):
        print('+ ' + d)
    print('%d definitions in %s, %d in %s, %d differ' %
          (len(a), sys.argv[1], len(b), sys.argv[2], len(a ^ b)))
    return 0 if a == b else 1


if __name__ == '__main__':
    sys.exit(main())
