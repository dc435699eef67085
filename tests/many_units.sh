#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# many_units.sh BTFENC LOADER - an executable of 300 compile units, written
# here, each using a share of one header's types (structs that point at each
# other, forward declarations completed by some units only, typedefs, enums,
# unions, arrays, function pointers) plus types of its own. btfenc
# deduplicates such an object in batches of units as they arrive (encoder/
# encode_units.c), which only an object of more than one batch exercises:
#  - the blob loads into the kernel (LOADER; 77 = not permitted, skipped);
#  - the same bytes for -j1, -j2, -j7, and with every record encoded rather
#    than matched to earlier batches' types first (BTFENC_PREMAP=0), also
#    with a batch per unit (BTFENC_BATCH_UNITS=1);
#  - by name and shape ("btfenc diff"), the types are those of pahole 1.24
#    (Debian's, with -J --btf_gen_floats, against btfenc with the features
#    that implies) leaving out FUNC, whose rules differ between 1.24 and
#    1.31; and with pahole v1.31 at hand ($PAHOLE131 or
#    /work/ext/pahole-1.31/pahole, never part of the project) the whole
#    dump is identical, type ids included.
# Prints "ok"/"FAIL"/"skip" lines, then "N passed, N failed".
set -u

btfenc=${1:?usage: many_units.sh BTFENC LOADER}
loader=${2:?usage: many_units.sh BTFENC LOADER}
pahole124=${PAHOLE:-$(command -v pahole)}
pahole131=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
units=300
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v gcc >/dev/null || { echo "SKIP: no gcc"; exit 77; }

# The header: struct s0..s29 in a ring of pointers, every third one only
# declared unless the unit defines FULL_<n>.
{
	echo 'typedef unsigned long ulong_t;'
	echo 'enum colour { RED, GREEN, BLUE = 1 << 20 };'
	echo 'typedef int (*handler_t)(void *ctx, ulong_t arg);'
	for i in $(seq 0 29); do echo "struct s$i;"; done
	for i in $(seq 0 29); do
		n=$(((i + 1) % 30))
		m=$(((i + 7) % 30))
		body="struct s$i { struct s$n *next; const struct s$m *peer; ulong_t v[$((i % 4 + 1))];
	enum colour c; handler_t h; union { int i; float f; } u$i; unsigned flag : $((i % 7 + 1)); };"
		if [ $((i % 3)) = 0 ]; then
			printf '#ifdef FULL_%d\n%s\n#endif\n' "$i" "$body"
		else
			echo "$body"
		fi
	done
} >"$tmp/shared.h"
for u in $(seq 0 $((units - 1))); do
	a=$((u % 30))
	b=$(((u * 7) % 30))
	full=""
	[ $((u % 5)) = 0 ] && full="#define FULL_$a"
	[ $((u % 11)) = 0 ] && full="$full
#define FULL_$((a / 3 * 3))"
	cat >"$tmp/u$u.c" <<EOF
$full
#include "shared.h"
struct own$u { struct s$a *a; struct s$b *b; int n[$((u % 3 + 1))]; };
typedef struct own$u own${u}_t;
int f$u(own${u}_t *o, struct s$b *x)
{
	return o->n[0] + (x != 0) + (o->a != 0);
}
EOF
done
{
	echo '#include "shared.h"'
	for u in $(seq 0 $((units - 1))); do echo "struct own$u; int f$u(struct own$u *o, struct s$(((u * 7) % 30)) *x);"; done
	echo 'int main(void) { return 0'
	for u in $(seq 0 $((units - 1))); do echo "	+ f$u(0, 0) * 0"; done
	echo '	; }'
} >"$tmp/main.c"
if ! (cd "$tmp" && gcc -g -O1 -fno-inline -o many main.c u*.c 2>"$tmp/gcc.err"); then
	echo "FAIL cannot build: $(head -n 3 "$tmp/gcc.err")"
	echo "0 passed, 1 failed"
	exit 1
fi

plain=var,float,enum64,decl_tag,type_tag
"$btfenc" -j1 "--btf_features=$plain" --btf_encode_detached="$tmp/j1.btf" "$tmp/many"
result $? "encode $units units"
"$loader" "$tmp/j1.btf" 2>"$tmp/load"
case $? in
0) result 0 "the kernel loads it" ;;
77) echo "skip load: not permitted here" ;;
*) result 1 "the kernel loads it: $(tail -n 2 "$tmp/load")" ;;
esac
for j in -j2 -j7; do
	"$btfenc" $j "--btf_features=$plain" --btf_encode_detached="$tmp/jn.btf" "$tmp/many"
	cmp -s "$tmp/j1.btf" "$tmp/jn.btf"
	result $? "$j gives the bytes of -j1"
done
# Records matched to the types of earlier batches before they are encoded
# (encoder/encode_premap.c): the same bytes as encoding every record.
matched=$("$btfenc" -v -j1 "--btf_features=$plain" --btf_encode_detached="$tmp/jn.btf" \
	"$tmp/many" 2>&1 | sed -n 's/.*(\([0-9]*\) matched before encoding).*/\1/p')
[ "${matched:-0}" -gt 0 ]
result $? "records matched before encoding: ${matched:-none}"
BTFENC_PREMAP=0 "$btfenc" -j1 "--btf_features=$plain" --btf_encode_detached="$tmp/jn.btf" "$tmp/many"
cmp -s "$tmp/j1.btf" "$tmp/jn.btf"
result $? "every record encoded (BTFENC_PREMAP=0) gives the same bytes"
# A batch per unit (a test hook): every unit but the first matched against
# the ones before it, at any -j, and the same bytes as encoding every record.
BTFENC_BATCH_UNITS=1 "$btfenc" -j1 "--btf_features=$plain" --btf_encode_detached="$tmp/b1.btf" \
	"$tmp/many"
BTFENC_BATCH_UNITS=1 "$btfenc" -j7 "--btf_features=$plain" --btf_encode_detached="$tmp/b7.btf" \
	"$tmp/many"
BTFENC_BATCH_UNITS=1 BTFENC_PREMAP=0 "$btfenc" -j1 "--btf_features=$plain" \
	--btf_encode_detached="$tmp/b0.btf" "$tmp/many"
cmp -s "$tmp/b1.btf" "$tmp/b0.btf" && cmp -s "$tmp/b1.btf" "$tmp/b7.btf" &&
	"$btfenc" diff "$tmp/j1.btf" "$tmp/b1.btf" >/dev/null
result $? "a batch per unit: -j1 = -j7 = every record encoded, and the types of 64-unit batches"
if [ -n "$pahole124" ] && "$pahole124" -J --btf_gen_floats --btf_encode_detached="$tmp/p124.btf" \
	"$tmp/many" >/dev/null 2>&1; then
	"$btfenc" diff --ignore-kinds=func "$tmp/p124.btf" "$tmp/j1.btf" >"$tmp/d124" 2>&1
	result $? "types as pahole $("$pahole124" --version)'s by name and shape$(
		[ -s "$tmp/d124" ] && printf '\n%s' "$(head -n 5 "$tmp/d124")")"
else
	echo "skip pahole 1.24: not found or failed"
fi
if [ -x "$pahole131" ]; then
	"$pahole131" -J "--btf_features=$plain" --btf_encode_detached="$tmp/p131.btf" \
		"$tmp/many" >/dev/null 2>&1
	cmp -s <("$btfenc" dump "$tmp/p131.btf") <("$btfenc" dump "$tmp/j1.btf")
	result $? "the dump of pahole v1.31's, type ids included$(
		cmp -s "$tmp/p131.btf" "$tmp/j1.btf" && echo ", and its bytes")"
else
	echo "skip pahole v1.31: $pahole131 not found"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
