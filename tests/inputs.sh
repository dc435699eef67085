#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# inputs.sh BTFENC BTF_LOAD FIXTURES - debug info in the forms distributions
# ship, built here with the real tools, each encoding to the BTF of the same
# sources built plainly ("btfenc diff" empty) and loading into the kernel:
#  - dwz: one shared object, and two sharing a supplementary file (dwz -m),
#    found next to them, given with --dwz-alt, or named by build id;
#  - split DWARF: gcc and clang -gsplit-dwarf, DWARF 4 and 5, with .dwo
#    files and with a .dwp package (llvm-dwp; but gcc's DWARF 5);
#  - separate debug info: objcopy --only-keep-debug / --strip-debug, the
#    debug file found by .gnu_debuglink next to the object, in .debug/, by
#    build id under --debuginfo-path, or given with --debuginfo; the BTF
#    goes into the stripped object;
#  - compressed debug sections: -gz=zlib (SHF_COMPRESSED), -gz=zlib-gnu
#    (.zdebug_*);
#  - gzip: an object (ET_REL, as modules are) compressed whole, encoded to a
#    detached file and in place (written back compressed, mode kept).
set -u

btfenc=${1:?usage: inputs.sh BTFENC BTF_LOAD FIXTURES}
btf_load=${2:?}
fixtures=${3:?}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for tool in gcc objcopy gzip; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
cd "$tmp" || exit 1
srcs="bitfields enums typedefs recursive funcptr"

# same LABEL PLAIN.btf OTHER.btf: the diff is empty, and OTHER loads.
same() {
	local out rc
	out=$("$btfenc" diff "$2" "$3" 2>&1)
	result $? "$1: the same BTF as the plain build"
	[ -n "$out" ] && echo "$out" | head -n 10
	"$btf_load" "$3" 2>"$tmp/load.err"
	rc=$?
	if [ $rc = 77 ]; then
		echo "     $1: kernel load skipped: $(head -n1 "$tmp/load.err")"
	else
		result $rc "$1: loads into the kernel"
	fi
}

# encode LABEL OBJ OUT [OPTIONS...]: detached BTF of OBJ.
encode() {
	local label=$1 obj=$2 out=$3
	shift 3
	"$btfenc" "$@" --btf_encode_detached="$out" "$obj" 2>"$tmp/enc.err"
	result $? "$label: encodes" || head -n 3 "$tmp/enc.err"
}

# objs CC FLAGS... : the fixtures compiled with -fPIC into *.o of this dir.
objs() {
	local cc=$1 f
	shift
	for f in $srcs; do
		$cc -g -O1 -fPIC "$@" -c -o "$f.o" "$fixtures/$f.c" || return 1
	done
}

objs gcc || exit 1
gcc -shared -o plain.so ./*.o
encode plain plain.so plain.btf

if command -v dwz >/dev/null; then
	cp plain.so dwz.so && dwz dwz.so
	encode "dwz" dwz.so dwz.btf && same "dwz" plain.btf dwz.btf
	# Types no DIE refers to, kept (as the kernel keeps them) and the same in
	# three units: dwz moves them to a partial unit each unit imports; they
	# must stay (btfenc before imported units were walked lost 35 of them).
	for i in $(seq 1 30); do
		echo "struct sh$i { int a$i; long b$i; char c$i[$i]; struct sh$i *next; };"
	done >shared.h
	echo "enum { SHARED_A, SHARED_B, SHARED_C };" >>shared.h
	for u in u1 u2 u3; do
		printf '#include "shared.h"\nenum { %s_ONLY = 1 };\nint %s_fn(int x) { return x + %s_ONLY; }\n' \
			$u $u $u >$u.c
		gcc -g -O1 -fPIC -fno-eliminate-unused-debug-types -c -o "$u.o" "$u.c"
	done
	gcc -shared -o unref.so u1.o u2.o u3.o && cp unref.so unrefdz.so && dwz unrefdz.so
	grep -q DW_TAG_imported_unit <(readelf --debug-dump=info unrefdz.so)
	result $? "dwz: unreferenced shared types went to an imported partial unit"
	encode "dwz unreferenced plain" unref.so unref.btf
	encode "dwz unreferenced" unrefdz.so unrefdz.btf && same "dwz unreferenced" unref.btf unrefdz.btf
	gcc -shared -o m1.so bitfields.o enums.o typedefs.o
	gcc -shared -o m2.so bitfields.o recursive.o funcptr.o typedefs.o
	cp m1.so m1plain.so
	encode "dwz -m base" m1plain.so m1plain.btf
	mkdir -p multi && cp m1.so m2.so multi/ &&
		(cd multi && dwz -m common.debug -M common.debug m1.so m2.so)
	grep -q .gnu_debugaltlink <(readelf -S multi/m1.so)
	result $? "dwz -m: m1.so names a supplementary file"
	encode "dwz -m, next to it" multi/m1.so m1.btf && same "dwz -m" m1plain.btf m1.btf
	mkdir -p elsewhere && mv multi/common.debug elsewhere/
	encode "dwz -m, --dwz-alt" multi/m1.so m1alt.btf --dwz-alt=elsewhere/common.debug &&
		same "dwz -m --dwz-alt" m1plain.btf m1alt.btf
	"$btfenc" --btf_encode_detached=none.btf multi/m1.so 2>"$tmp/err"
	[ $? = 1 ] && grep -q "^btfenc: 'multi/m1.so': its supplementary file 'common.debug' (dwz -m) is not found" "$tmp/err"
	result $? "dwz -m without its supplementary file: one error line ($(head -n1 "$tmp/err"))"
	"$btfenc" --dwz-alt=elsewhere/nothing.debug --btf_encode_detached=none.btf multi/m1.so 2>"$tmp/err"
	[ $? = 1 ] && grep -q "^btfenc: 'elsewhere/nothing.debug': No such file" "$tmp/err"
	result $? "dwz -m, --dwz-alt naming no file: an error ($(head -n1 "$tmp/err"))"
	# Threads importing partial units of one supplementary file at once:
	# libdw reads its units lazily, without a lock, which crashed or
	# misread about one run in 15 before btfenc read them all at open.
	mkdir -p race && cd race || exit 1
	for u in $(seq 1 12); do
		printf '#include "../shared.h"\nint r%s_fn(struct sh%s *p) { return p->a%s; }\n' \
			"$u" "$u" "$u" >"r$u.c"
		gcc -g -O1 -fPIC -fno-eliminate-unused-debug-types -c -o "r$u.o" "r$u.c"
	done
	gcc -shared -o r1.so r?.o r1?.o && gcc -shared -o r2.so r[1-6].o &&
		dwz -m common.debug -M common.debug r1.so r2.so
	"$btfenc" -j1 --btf_encode_detached=r1.btf r1.so 2>"$tmp/err"
	result $? "dwz -m, 12 units importing from it: encodes ($(head -n1 "$tmp/err"))"
	bad=0
	for i in $(seq 1 100); do
		"$btfenc" -j8 --btf_encode_detached=rn.btf r1.so 2>/dev/null && cmp -s r1.btf rn.btf ||
			bad=$((bad + 1))
	done
	[ $bad = 0 ]
	result $? "dwz -m, 12 units on 8 threads: 100 runs, the bytes of one thread each time ($bad not)"
	cd "$tmp" || exit 1
else
	echo "SKIP dwz: not installed"
fi

for cc in gcc clang; do
	command -v $cc >/dev/null || continue
	for dw in 4 5; do
		mkdir -p "split-$cc-$dw" && cd "split-$cc-$dw" || exit 1
		objs $cc -gdwarf-$dw && $cc -shared -o plain.so ./*.o
		rm -f ./*.o
		objs $cc -gdwarf-$dw -gsplit-dwarf && $cc -shared -o split.so ./*.o
		ls ./*.dwo >/dev/null 2>&1
		result $? "$cc DWARF $dw -gsplit-dwarf: .dwo files made"
		encode "split $cc $dw plain" plain.so plain.btf
		encode "split $cc $dw" split.so split.btf && same "split $cc DWARF $dw" plain.btf split.btf
		# A .dwp package instead of the .dwo files. The tools here fail
		# on gcc's DWARF 5 (gold's dwp crashes, llvm-dwp 14 hangs).
		if [ "$cc $dw" = "gcc 5" ]; then
			echo "     split gcc DWARF 5 .dwp: no tool here makes one"
		elif timeout 60 "$(command -v llvm-dwp || command -v llvm-dwp-14 || echo dwp)" \
				-e split.so -o split.so.dwp >/dev/null 2>&1; then
			mkdir -p dwo && mv ./*.dwo dwo/
			encode "split $cc $dw .dwp" split.so dwp.btf &&
				same "split $cc DWARF $dw .dwp" plain.btf dwp.btf
			rm -f split.so.dwp
		else
			result 1 "split $cc DWARF $dw: the .dwp package could not be made"
		fi
		rm -f ./*.dwo
		"$btfenc" --btf_encode_detached=none.btf split.so 2>"$tmp/err"
		[ $? = 1 ] && grep -q "split DWARF '.*\.dwo' is not found" "$tmp/err"
		result $? "split $cc DWARF $dw without its .dwo: named ($(head -n1 "$tmp/err"))"
		cd "$tmp" || exit 1
	done
done

# Separate debug info.
gcc -g -O1 -Wl,--build-id -o exe "$fixtures/main.c" "$fixtures"/{bitfields,enums,typedefs}.c 2>/dev/null ||
	gcc -g -O1 -Wl,--build-id -shared -fPIC -o exe ./*.o
encode "separate: plain" exe exe.btf
objcopy --only-keep-debug exe exe.debug
objcopy --strip-debug --add-gnu-debuglink=exe.debug exe stripped
cp stripped stripped.orig
"$btfenc" stripped 2>"$tmp/err"
result $? "separate: debuglink next to it, encoded in place ($(head -n1 "$tmp/err"))"
"$btfenc" dump stripped >stripped.dump 2>/dev/null && "$btfenc" dump exe.btf >exe.dump &&
	cmp -s stripped.dump exe.dump
result $? "separate: the stripped object's .BTF is the plain build's"
mkdir -p sub/.debug && cp stripped.orig sub/stripped && mv exe.debug sub/.debug/exe.debug
encode "separate: in .debug/" sub/stripped dotdebug.btf && same "separate .debug/" exe.btf dotdebug.btf
id=$(readelf -n exe | awk '/Build ID/ { print $3 }')
if [ -n "$id" ]; then
	mkdir -p "root/.build-id/${id:0:2}" && cp sub/.debug/exe.debug "root/.build-id/${id:0:2}/${id:2}.debug"
	objcopy --remove-section .gnu_debuglink stripped.orig bid
	encode "separate: by build id" bid bid.btf --debuginfo-path="$tmp/root" &&
		same "separate build id" exe.btf bid.btf
fi
encode "separate: --debuginfo" bid given.btf --debuginfo=sub/.debug/exe.debug &&
	same "separate --debuginfo" exe.btf given.btf
"$btfenc" --btf_encode_detached=none.btf bid 2>"$tmp/err"
[ $? = 1 ]
result $? "separate: not found is an error ($(head -n1 "$tmp/err"))"
"$btfenc" --debuginfo=exe.btf --btf_encode_detached=none.btf bid 2>"$tmp/err"
[ $? = 1 ] && grep -q "no DWARF debug info, nor in 'exe.btf'" "$tmp/err"
result $? "separate: --debuginfo of a file without DWARF ($(head -n1 "$tmp/err"))"

# Compressed debug sections.
for gz in zlib zlib-gnu; do
	rm -f ./*.o
	objs gcc -gz=$gz 2>/dev/null || { echo "SKIP -gz=$gz"; continue; }
	gcc -shared -o "z-$gz.so" ./*.o
	encode "-gz=$gz" "z-$gz.so" "z-$gz.btf" && same "-gz=$gz" plain.btf "z-$gz.btf"
done

# A gzip-compressed relocatable object, as modules are shipped; btfenc's
# temporary copies go to $TMPDIR, which must be empty after each run.
export TMPDIR=$tmp/tmpdir
mkdir -p "$TMPDIR"
gcc -g -O1 -c -o rel.o "$fixtures/typedefs.c"
encode "gzip: plain" rel.o rel.btf
gzip -9 -n -k rel.o && chmod 640 rel.o.gz
encode "gzip: detached" rel.o.gz relgz.btf && cmp -s rel.btf relgz.btf
result $? "gzip: the same bytes as from the plain object"
"$btfenc" rel.o.gz 2>"$tmp/err"
result $? "gzip: encoded in place ($(head -n1 "$tmp/err"))"
gzip -t rel.o.gz && [ "$(stat -c %a rel.o.gz)" = 640 ]
result $? "gzip: still gzip, mode kept"
gzip -dc rel.o.gz >relback.o && cmp -s <("$btfenc" dump relback.o) <("$btfenc" dump rel.btf)
result $? "gzip: its .BTF is the plain object's"
cmp -s <("$btfenc" dump rel.o.gz) <("$btfenc" dump rel.btf) &&
	"$btfenc" verify rel.o.gz && "$btfenc" diff rel.o.gz rel.btf
result $? "gzip: dump, verify and diff read the .BTF of the compressed object"
[ -z "$(ls -A "$TMPDIR")" ]
result $? "gzip: no temporary file left"
printf '\037\213broken' >bad.o.gz
cp bad.o.gz bad.orig
"$btfenc" bad.o.gz 2>"$tmp/err"
[ $? = 1 ] && cmp -s bad.o.gz bad.orig && [ "$(wc -l <"$tmp/err")" = 1 ]
result $? "gzip: broken data, one error line, file untouched ($(head -n1 "$tmp/err"))"
head -c 200 rel.o.gz >cut.o.gz
"$btfenc" cut.o.gz 2>"$tmp/err"
[ $? = 1 ] && grep -q "^btfenc: 'cut.o.gz': broken gzip data" "$tmp/err"
result $? "gzip: a cut stream is an error ($(head -n1 "$tmp/err"))"
[ -z "$(ls -A "$TMPDIR")" ]
result $? "gzip: no temporary file left after a failure"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
