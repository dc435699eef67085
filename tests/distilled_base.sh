#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# distilled_base.sh BTFENC LOADER - --btf_features=distilled_base and
# "btfenc relocate" on a small "kernel" (an executable) and "module" (an
# ET_REL object) written below and built by gcc:
#  - the module gets .BTF (split on the distilled base) and .BTF.base, whose
#    dump is exactly the named types the module needs, memberless;
#  - with pahole v1.31 at hand ($PAHOLE131, or /work/ext/pahole-1.31/pahole,
#    never part of the project), both sections are byte-identical to its;
#  - "btfenc relocate" moves the module onto the kernel, onto a rebuilt
#    kernel whose structs moved and grew (ids change, what the module only
#    points to may change size), and refuses a kernel where a struct the
#    module embeds changed size, naming it; relocated BTF, flattened, loads
#    into the running kernel (LOADER) and differs from the module encoded
#    without distilled_base only by the reference types the distillation
#    moved out of the base;
#  - encoding again gives the same bytes; encoding without the feature over
#    a .BTF.base is refused (the file stays as it was); a detached output
#    ignores the feature, as pahole does.
# Prints "ok"/"FAIL" lines, then "N passed, N failed".
set -u

btfenc=${1:?usage: distilled_base.sh BTFENC LOADER}
loader=${2:?usage: distilled_base.sh BTFENC LOADER}
pahole131=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() {
	echo "ok   $*"
	passed=$((passed + 1))
}

fail() {
	echo "FAIL $*"
	failed=$((failed + 1))
}

# check WHAT COMMAND...: ok when COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		ok "$what"
	else
		fail "$what: $(head -n 3 "$tmp/out")"
	fi
}

# section FILE NAME: the bytes of section NAME.
section() {
	objcopy -O binary --only-section="$2" --set-section-flags "$2"=alloc "$1" /dev/stdout
}

if ! command -v gcc >/dev/null || ! command -v objcopy >/dev/null; then
	echo "SKIP: gcc and objcopy are needed"
	exit 77
fi

# The kernel: KSIZE sets the size of struct device, which the module only
# points to; ESIZE that of struct embedded, which the module holds by value.
cat >"$tmp/shared.h" <<'EOF'
typedef unsigned int u32;
typedef unsigned long long u64;
enum state { ST_OFF, ST_ON = 1ULL << 40 };
struct embedded { u32 a; u32 more[ESIZE]; };
struct device { u64 id; char pad[KSIZE]; struct embedded e; };
struct list { struct list *next; };
EOF
cat >"$tmp/kernel.c" <<'EOF'
#include "shared.h"
struct unused_by_module { int x; };
struct device dev0;
struct unused_by_module unused0;
struct list list0;
u64 kernel_fn(struct device *d, enum state s) { return d->id + s; }
int main(void) { return (int)kernel_fn(&dev0, ST_OFF) + unused0.x; }
EOF
cat >"$tmp/module.c" <<'EOF'
#include "shared.h"
struct mod_state {
	struct device *dev;
	const struct list *head;
	struct embedded copy;
	enum state st;
	u32 flags;
	struct { int anon_a; } anon;
	int (*cb)(struct device *, u64);
};
struct mod_state mod0;
int mod_fn(struct mod_state *m, u32 how) { return m->flags + how + m->anon.anon_a; }
EOF
build() { # build NAME SRC KSIZE ESIZE [-c]
	gcc -g -O1 -gdwarf-5 -DKSIZE="$3" -DESIZE="$4" ${5:-} -o "$tmp/$1" "$tmp/$2"
}
if ! build kernel kernel.c 8 2 || ! build kernel2 kernel.c 24 2 ||
	! build kernel3 kernel.c 8 5 || ! build module.o module.c 8 2 -c; then
	echo "FAIL cannot build the test objects"
	echo "0 passed, 1 failed"
	exit 1
fi
for k in kernel kernel2 kernel3; do
	"$btfenc" "--btf_features=$features" "$tmp/$k" || fail "encode $k"
done

cp "$tmp/module.o" "$tmp/plain.o"
"$btfenc" "--btf_features=$features" --btf_base "$tmp/kernel" "$tmp/plain.o" ||
	fail "encode the module without distilled_base"
cp "$tmp/module.o" "$tmp/dist.o"
check "encode with distilled_base" \
	"$btfenc" "--btf_features=$features,distilled_base" --btf_base "$tmp/kernel" "$tmp/dist.o"

# The distilled base: the named types the module needs, nothing more.
section "$tmp/dist.o" .BTF.base >"$tmp/base.btf" 2>/dev/null
"$btfenc" dump "$tmp/base.btf" >"$tmp/base.txt" 2>&1
cat >"$tmp/base.expect" <<'EOF'
[1] INT 'long long unsigned int' size=8 bits_offset=0 nr_bits=64 encoding=(none)
[2] STRUCT 'device' size=32 vlen=0
[3] STRUCT 'list' size=8 vlen=0
[4] STRUCT 'embedded' size=12 vlen=0
[5] ENUM 'state' encoding=UNSIGNED size=8 vlen=0
[6] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)
[7] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED
EOF
sed 's/^\[[0-9]*\] //' "$tmp/base.expect" | sort >"$tmp/a"
sed 's/^\[[0-9]*\] //' "$tmp/base.txt" | sort >"$tmp/b"
if diff -u "$tmp/a" "$tmp/b" >"$tmp/d"; then
	ok ".BTF.base holds the named types the module needs, without members"
else
	fail ".BTF.base differs from the expected types:"
	sed -n '3,12p' "$tmp/d"
fi

if [ -x "$pahole131" ]; then
	cp "$tmp/module.o" "$tmp/pahole.o"
	if LLVM_OBJCOPY=objcopy "$pahole131" -J "--btf_features=$features,distilled_base" \
		--btf_base "$tmp/kernel" "$tmp/pahole.o" >"$tmp/out" 2>&1; then
		for s in .BTF .BTF.base; do
			if cmp -s <(section "$tmp/pahole.o" $s) <(section "$tmp/dist.o" $s); then
				ok "$s is byte-identical to pahole v1.31's"
			else
				fail "$s differs from pahole v1.31's"
			fi
		done
	else
		fail "pahole v1.31 fails: $(head -n 1 "$tmp/out")"
	fi
else
	echo "skip pahole v1.31 comparison: $pahole131 not found"
fi

# Relocation onto the kernel it was built on, and onto a rebuilt one.
for k in kernel kernel2; do
	if "$btfenc" relocate --base "$tmp/$k" -o "$tmp/rel.$k" "$tmp/dist.o" >"$tmp/out" 2>&1 &&
		"$btfenc" flatten --base "$tmp/$k" -o "$tmp/flat.$k" "$tmp/dist.o" >>"$tmp/out" 2>&1; then
		ok "relocate onto $k"
	else
		fail "relocate onto $k: $(head -n 2 "$tmp/out")"
		continue
	fi
	"$loader" "$tmp/flat.$k" 2>"$tmp/load"
	case $? in
	0) ok "relocated onto $k and flattened, the kernel loads it" ;;
	77) echo "skip loading onto $k: not permitted here" ;;
	*) fail "the kernel refuses the module relocated onto $k: $(tail -n 2 "$tmp/load")" ;;
	esac
done
# By name and shape, relocated = plain, but for the types moved out of the base.
"$btfenc" diff --base "$tmp/kernel" "$tmp/rel.kernel" "$tmp/plain.o" >"$tmp/diff" 2>&1
extra=$(grep -v "^- \(typedef\|ptr\|const\|volatile\|array\|func_proto\|struct (anon)\|union (anon)\) " \
	"$tmp/diff")
if [ -z "$extra" ] && grep -q "^- typedef u32 " "$tmp/diff"; then
	ok "relocated BTF = plain BTF but for $(wc -l <"$tmp/diff") moved reference types"
else
	fail "relocated BTF differs from the plain encoding:"
	head -n 6 <<<"${extra:-$(cat "$tmp/diff")}"
fi
if "$btfenc" relocate --base "$tmp/kernel3" -o "$tmp/rel.kernel3" "$tmp/dist.o" 2>"$tmp/err"; then
	fail "relocate onto a kernel whose embedded struct grew succeeds"
elif grep -q "'embedded'" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 2 ]; then
	ok "relocate refuses a changed embedded struct: $(head -n 1 "$tmp/err")"
else
	fail "relocate's refusal does not name the struct: $(cat "$tmp/err")"
fi
if "$btfenc" relocate --base "$tmp/kernel" -o "$tmp/x" "$tmp/plain.o" 2>"$tmp/err"; then
	fail "relocate of a module without .BTF.base succeeds"
else
	ok "relocate without .BTF.base: $(head -n 1 "$tmp/err")"
fi

# Again on the encoded object: same bytes. Detached: no .BTF.base anywhere.
cp "$tmp/dist.o" "$tmp/again.o"
"$btfenc" "--btf_features=$features,distilled_base" --btf_base "$tmp/kernel" "$tmp/again.o"
check "a second encode gives the same bytes" cmp "$tmp/dist.o" "$tmp/again.o"
cp "$tmp/dist.o" "$tmp/stale.o"
if "$btfenc" "--btf_features=$features" --btf_base "$tmp/kernel" "$tmp/stale.o" 2>"$tmp/err"; then
	fail "a plain encode over a .BTF.base succeeds (the kernel would misread it)"
elif cmp -s "$tmp/dist.o" "$tmp/stale.o" && grep -q "\.BTF\.base" "$tmp/err"; then
	ok "a plain encode over a .BTF.base is refused, file unchanged: $(head -n 1 "$tmp/err")"
else
	fail "a plain encode over a .BTF.base: $(head -n 1 "$tmp/err")"
fi
cp "$tmp/module.o" "$tmp/det.o"
"$btfenc" "--btf_features=$features,distilled_base" --btf_base "$tmp/kernel" \
	--btf_encode_detached="$tmp/det.btf" "$tmp/det.o"
if cmp -s "$tmp/module.o" "$tmp/det.o" && "$btfenc" diff --base "$tmp/kernel" "$tmp/det.btf" \
	"$tmp/plain.o" >/dev/null; then
	ok "detached output ignores distilled_base and leaves the object alone"
else
	fail "detached output with distilled_base"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
