#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# func_policy.sh BTFENC - the function rules of encoder/func_policy.h on C
# that gcc compiles now: which functions get a FUNC in btfenc's BTF.
# Prints a line per rule and "N passed, N failed"; 77 without gcc.
set -u
btfenc=${1:?usage: func_policy.sh BTFENC}
command -v gcc >/dev/null || { echo "SKIP: no gcc"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# funcs OBJ: the FUNC names of OBJ's BTF, one per line
funcs() {
	"$btfenc" --btf_encode_detached="$tmp/out.btf" "$1" &&
		"$btfenc" dump "$tmp/out.btf" | sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/\1/p"
}

# expect RULE OBJ NAME yes|no
expect() {
	local have=no
	if funcs "$2" | grep -qx "$3"; then have=yes; fi
	if [ "$have" = "$4" ]; then
		echo "ok   $1: $3 $([ "$4" = yes ] && echo encoded || echo skipped)"
		passed=$((passed + 1))
	else
		echo "FAIL $1: $3 should be $([ "$4" = yes ] && echo encoded || echo skipped)"
		failed=$((failed + 1))
	fi
}

cat >"$tmp/r1.c" <<'C'
extern int ext_declared(int a);
int uses_ext(int a) { return ext_declared(a) + 1; }
C
gcc -O0 -g -c "$tmp/r1.c" -o "$tmp/r1.o"
expect "R1 declaration" "$tmp/r1.o" ext_declared no
expect "R8 plain definition" "$tmp/r1.o" uses_ext yes

cat >"$tmp/r2.c" <<'C'
int unnamed_param(int a, int) { return a; }
int named_params(int a, int b) { return a + b; }
C
gcc -std=gnu2x -O0 -g -c "$tmp/r2.c" -o "$tmp/r2.o"
expect "R2 unnamed parameter" "$tmp/r2.o" unnamed_param no
expect "R2 named parameters" "$tmp/r2.o" named_params yes

cat >"$tmp/r3.c" <<'C'
static int folded(int a) { return a * 3; }
int caller(int a) { return folded(a) + 1; }
__attribute__((noinline)) static int cloned(int a, int unused) { return a * 7 + 1; }
int call_clone1(int a) { return cloned(a, 0); }
int call_clone2(int a) { return cloned(a + 1, 0); }
C
gcc -O2 -g -c "$tmp/r3.c" -o "$tmp/r3.o"
expect "R3 inlined away, no symbol" "$tmp/r3.o" folded no
if nm "$tmp/r3.o" | grep -q ' cloned\.'; then
	expect "R3 clone symbol cut at '.'" "$tmp/r3.o" cloned yes
else
	echo "skip R3 clone: gcc made no cloned.* symbol"
fi

cat >"$tmp/r5.c" <<'C'
struct __attribute__((packed)) pk { char c; long l; };
struct plain { int a; long l; };
int stack_packed(int a, int b, int c, int d, int e, int f, struct pk p) { return a + p.c; }
int stack_plain(int a, int b, int c, int d, int e, int f, struct plain p) { return a + p.a; }
C
gcc -O0 -g -c "$tmp/r5.c" -o "$tmp/r5.o"
expect "R5 packed struct on the stack" "$tmp/r5.o" stack_packed no
expect "R5 plain struct on the stack" "$tmp/r5.o" stack_plain yes

cat >"$tmp/r6a.c" <<'C'
static int twin(int a) { return a + 1; }
int twin_a(int a) { return twin(a); }
C
cat >"$tmp/r6b.c" <<'C'
static int twin(int a) { return a + 2; }
int twin_b(int a) { return twin(a); }
C
gcc -O0 -g -c "$tmp/r6a.c" -o "$tmp/r6a.o"
gcc -O0 -g -c "$tmp/r6b.c" -o "$tmp/r6b.o"
gcc -nostdlib -shared "$tmp/r6a.o" "$tmp/r6b.o" -o "$tmp/r6.so"
expect "R6 two addresses for one name" "$tmp/r6.so" twin no
expect "R8 the others in that object" "$tmp/r6.so" twin_b yes

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
