#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# encode_vs_pahole.sh BTFENC FIXTURES [LOADER] - btfenc against pahole, the
# oracle, on objects built now from the C sources in FIXTURES.
#
# Each group of fixtures below is built by gcc and clang, with -gdwarf-4 and
# -gdwarf-5, at -O0 and -O2: one source as an ET_REL object, several linked
# with "ld -r" (multi-unit objects), as an executable (like vmlinux) or as a
# shared object. Each of those cases is encoded by each oracle:
#  1.24        Debian's pahole (what CI has), "-J --btf_gen_floats", against
#              btfenc with the features pahole 1.31 reads from those options
#              (var,float,enum64,decl_tag,type_tag: no function policy);
#  1.24-kernel the same pahole blob against btfenc without options, that is
#              with the kernel's features (consistent_func, decl_tag_kfuncs);
# and where $PAHOLE131 or /work/ext/pahole-1.31/pahole is (never part of the
# project), by pahole v1.31 and btfenc with the same options:
#  1.31        -J with the kernel's --btf_features list and attributes (the
#              newest kernels' list);
#  1.31-plain  -J --btf_features=var,float,enum64,decl_tag,type_tag,global_var:
#              no function policy, no kfunc tags, variables of every section.
# Then
#  (0) btfenc must write the same bytes and messages with BTFENC_WALK=libdw
#      (every unit walked through libdw rather than its own DIE decoder);
#  (a) the kernel's BTF loader must accept btfenc's blob (LOADER; its exit
#      77, not permitted here, is noted and not a failure);
#  (b) both blobs are listed by "btfenc dump" with every type id replaced by
#      what it refers to (awk below), sorted, and compared by name and shape:
#      the types (struct, union, enum, typedef, fwd and every type they use,
#      with multiplicity, so a missed deduplication shows) must be identical,
#      and "btfenc diff" must find nothing when the FUNCs and VARs agree;
#  (c) with $include_funcs, FUNCs (with their decl tags), VARs and DATASECs
#      are compared too: against pahole 1.24 a difference passes only when the
#      table of known differences names the pahole 1.31 rule (what btfenc
#      implements) that explains it; against pahole 1.31 only deliberate
#      improvements are listed there.
# Deliberate improvements over pahole are stated with their reason: in the
# improvements table when pahole cannot encode a construct at all (pahole then
# encodes the group built with flags that take it out, btfenc the group
# itself), else as "deliberate improvement:" entries of the known table.
#
# One line per case and oracle ("ok", "FAIL" with the first differences,
# "skip" with why), then "N passed, N failed". Exit 0 if all passed, 1 on a
# failure, 77 (skip) without gcc, ld or pahole or when nothing was compared.
# KEEP=DIR keeps the objects, blobs and listings in DIR.
set -u

# Compare FUNC/VAR/DATASEC too: 1 yes, 0 types only, auto: when
# "btfenc --help-encode" mentions variables (it did not before they existed).
include_funcs=${BTFENC_TEST_FUNCS:-auto}

btfenc=${1:?usage: encode_vs_pahole.sh BTFENC FIXTURES [LOADER]}
fixtures=${2:?usage: encode_vs_pahole.sh BTFENC FIXTURES [LOADER]}
loader=${3:-}
pahole124=${PAHOLE:-$(command -v pahole)}
pahole131=${PAHOLE131:-/work/ext/pahole-1.31/pahole}
kernel_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs
plain_features=var,float,enum64,decl_tag,type_tag,global_var

for tool in gcc ld; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool not found"
		exit 77
	fi
done
if [ -z "$pahole124" ] || [ ! -x "$pahole124" ]; then
	echo "SKIP: pahole not found"
	exit 77
fi
oracles="1.24 1.24-kernel"
if [ -x "$pahole131" ] && "$pahole131" --version 2>/dev/null | grep -q '^v1\.31'; then
	oracles="1.24 1.24-kernel 1.31 1.31-plain"
else
	pahole131=
fi
compilers=gcc
if command -v clang >/dev/null; then
	compilers="gcc clang"
fi
if [ "$include_funcs" = auto ]; then
	include_funcs=0
	if "$btfenc" --help-encode 2>&1 | grep -Eqi '(^|[^a-z_])vars?([^a-z_]|$)'; then
		include_funcs=1
	fi
fi
has_diff=0
if "$btfenc" --help 2>&1 | grep -Eq '^ +diff '; then
	has_diff=1
fi

# Groups: name | how linked (obj: the one source compiled -c; rel: ld -r;
# exe: an executable; so: a shared object; lto: an executable built with
# link-time optimization, clang's through ld.lld) | sources | extra cflags.
groups=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' <<'EOF'
bitfields       | obj | bitfields.c       |
anon_unions     | obj | anon_unions.c     |
flex_arrays     | obj | flex_arrays.c     |
multidim        | obj | multidim.c        |
funcptr         | obj | funcptr.c         |
varargs         | obj | varargs.c         |
packed          | obj | packed.c          |
enums           | obj | enums.c           |
percpu          | obj | percpu.c          |
globals         | obj | globals.c         |
atomic          | obj | atomic.c          |
btf_tags        | obj | btf_tags.c        |
clones          | obj | clones.c          |
kfuncs          | obj | kfuncs.c          |
typedefs        | obj | typedefs.c        |
qualifiers      | obj | qualifiers.c      |
recursive       | obj | recursive.c       |
zero_size       | obj | zero_size.c       |
large           | obj | large.c           |
struct_arrays   | obj | struct_arrays.c   |
union_bitfields | obj | union_bitfields.c |
retstruct       | obj | retstruct.c       |
manyparams      | obj | manyparams.c      |
floats          | obj | floats.c          |
chars_bools     | obj | chars_bools.c     |
chars_unsigned  | obj | chars_bools.c     | -funsigned-char
int128          | obj | int128.c          |
local_types     | obj | local_types.c     |
static_dup      | rel | static_dup_a.c static_dup_b.c |
fwd             | rel | fwd_a.c fwd_b.c   |
btf_tags2       | rel | btf_tags.c btf_tags_b.c |
multi           | rel | bitfields.c anon_unions.c typedefs.c recursive.c percpu.c globals.c struct_arrays.c fwd_a.c fwd_b.c enums.c btf_tags.c btf_tags_b.c |
vmlinux_like    | exe | main.c kfuncs.c clones.c percpu.c static_dup_a.c static_dup_b.c typedefs.c |
shared          | so  | globals.c funcptr.c fwd_a.c fwd_b.c retstruct.c varargs.c manyparams.c |
lto             | lto | main.c kfuncs.c clones.c percpu.c static_dup_a.c static_dup_b.c typedefs.c fwd_a.c fwd_b.c |
EOF
)

# Deliberate improvements: group | case globs | cflags for the object pahole
# encodes instead | why btfenc's BTF is right where pahole's differs.
improvements=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' <<'EOF'
# gcc 12 and clang 14 emit DW_TAG_atomic_type for DWARF 5 only (with DWARF 4
# the qualifier is not in the DWARF at all), so that is where it matters.
atomic | *-dwarf5-* | -D_Atomic= | _Atomic: pahole 1.24 encodes references to DW_TAG_atomic_type as void and pahole 1.31 aborts the whole encoding ("Unsupported DW_TAG_atomic_type"); btfenc drops _Atomic to its base type (BTF has no atomic kind), so its BTF equals pahole's of the same source without _Atomic
EOF
)

# Known differences in FUNC/VAR/DATASEC lines: group globs | case globs
# (compiler-dwarfN-On) | oracle globs | side that has the line (pahole,
# btfenc) | one glob on the line | the rule of pahole 1.31 that explains it,
# or "deliberate improvement:" and why. Globs in a list are separated by
# blanks. Oracle 1.24 gives btfenc the features pahole 1.31 reads from
# pahole 1.24's options (no function policy); 1.24-kernel gives it none, so
# the kernel's features (consistent_func, decl_tag_kfuncs) apply.
known=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' <<'EOF'
# Functions that exist only under a suffixed symbol: gcc -O2 clones
# (cl_check.constprop.0, cl_cost.constprop.0.isra.0, ...), gcc LTO's
# cl_fail.isra.0 and sd_dup.lto_priv.0, clang thin LTO's cl_cost.llvm.<hash>.
clones vmlinux_like lto | gcc-*-O2 clang-*-O2 | 1.24 1.24-kernel | btfenc | FUNC 'cl_check' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
clones vmlinux_like lto | gcc-*-O2 clang-*-O2 | 1.24 1.24-kernel | btfenc | FUNC 'cl_scale' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
clones vmlinux_like lto | gcc-*-O2 | 1.24 | btfenc | FUNC 'cl_cost' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
clones vmlinux_like lto | gcc-*-O2 | 1.24 | btfenc | FUNC 'cl_key' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
lto | clang-*-O2 | 1.24 1.24-kernel | btfenc | FUNC 'cl_cost' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
lto | clang-*-O2 | 1.24 1.24-kernel | btfenc | FUNC 'cl_key' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
lto | gcc-*-O2 | 1.24 | btfenc | FUNC 'cl_fail' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
lto | gcc-*-O0 | 1.24 | btfenc | FUNC 'sd_dup' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
lto | gcc-*-O0 | 1.24 | btfenc | FUNC 'sd_same' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
lto | gcc-*-O0 | 1.24 1.24-kernel | btfenc | FUNC 'zz_sd_last' * | pahole 1.31 names an ELF function by its symbol cut at the first '.' (funcs notes 1), pahole 1.24 wants the exact symbol
# pahole 1.24 knows no kfuncs.
kfuncs vmlinux_like lto | * | 1.24-kernel | btfenc | DECL_TAG 'bpf_kfunc' type_id=<FUNC '*'> component_idx=-1 | pahole 1.31 decl_tag_kfuncs: a FUNC in a .BTF_ids set8 with BTF_SET8_KFUNCS gets "bpf_kfunc" (funcs notes 8, 9)
kfuncs vmlinux_like lto | * | 1.24-kernel | btfenc | DECL_TAG 'bpf_fastcall' type_id=<FUNC '*'> component_idx=-1 | pahole 1.31 decl_tag_kfuncs: a kfunc with KF_FASTCALL also gets "bpf_fastcall" (funcs notes 8, 9)
# The packed struct is the 7th parameter, on the stack (all cases).
manyparams shared | * | 1.24-kernel | pahole | FUNC 'mp_packed_7th' * | pahole 1.31 consistent_func drops a function with a packed struct parameter beyond the register ones: uncertain location (funcs notes 4, 7)
# Optimized code keeps floating-point arguments in xmm registers, not in the
# integer register pahole expects for the parameter's index.
manyparams shared | *-O2 | 1.24-kernel | pahole | FUNC 'mp_mixed' * | pahole 1.31 consistent_func drops a function whose parameter is not in the register its index expects: unexpected register (funcs notes 3, 7)
floats | *-O2 | 1.24-kernel | pahole | FUNC 'fl_half' * | pahole 1.31 consistent_func drops a function whose parameter is not in the register its index expects: unexpected register (funcs notes 3, 7)
floats | *-O2 | 1.24-kernel | pahole | FUNC 'fl_mix' * | pahole 1.31 consistent_func drops a function whose parameter is not in the register its index expects: unexpected register (funcs notes 3, 7)
# b's location is rdx:rcx (two pieces, ignored), then DW_OP_entry_value
# (DW_OP_regval_type rdx): pahole takes that single op for the register.
int128 | gcc-*-O2 | 1.24-kernel | pahole | FUNC 'i128_mul' * | pahole 1.31 consistent_func: an entry value of one op that is not the expected DW_OP_regN makes the register unexpected (funcs notes 3.2, dwarf_loader.c parameter__reg)
# Two units each have static sd_dup and sd_same at different addresses.
static_dup vmlinux_like | * | 1.24-kernel | pahole | FUNC 'sd_dup' * | pahole 1.31 consistent_func drops a name with several ELF symbols at different addresses: ambiguous address (funcs notes 1, 7); pahole 1.24 keeps the first unit's
static_dup vmlinux_like | * | 1.24-kernel | pahole | FUNC 'sd_same' * | pahole 1.31 consistent_func drops a name with several ELF symbols at different addresses: ambiguous address (funcs notes 1, 7); pahole 1.24 keeps the first unit's
# zz_sd_last is ambiguous too, but it is the alphabetically last ELF function
# name, which pahole 1.31 never marks ambiguous (funcs notes 1, quirk).
static_dup vmlinux_like | * | 1.24-kernel 1.31 | pahole | FUNC 'zz_sd_last' * | deliberate improvement: zz_sd_last has ELF symbols at two addresses like every other ambiguous name; pahole 1.31 misses it only because its grouping loop never flags the last name, so btfenc drops it as consistent_func asks (encoder/elf_syms.c)
lto | gcc-*-O0 | 1.31 | pahole | FUNC 'zz_sd_last' * | deliberate improvement: zz_sd_last has ELF symbols at two addresses like every other ambiguous name; pahole 1.31 misses it only because its grouping loop never flags the last name, so btfenc drops it as consistent_func asks (encoder/elf_syms.c)
# clang's LTO splits pc_stats (24 bytes at .data+16) into two 8-byte pieces
# and puts pc_static_count at .data+32, inside pc_stats' DWARF extent.
lto | clang-*-O2 | 1.31-plain | pahole | DATASEC '.data' size=80 {type_id=<VAR 'pc_stats'> offset=16 size=24; type_id=<VAR 'pc_static_count'> offset=32 size=8; type_id=<VAR 'pc_array'> offset=48 size=32} | deliberate improvement: btfenc leaves out a DATASEC entry that overlaps an earlier one (encoder/encode_vars.c), the kernel refuses pahole's DATASEC ("Invalid offset")
lto | clang-*-O2 | 1.31-plain | btfenc | DATASEC '.data' size=80 {type_id=<VAR 'pc_stats'> offset=16 size=24; type_id=<VAR 'pc_array'> offset=48 size=32} | deliberate improvement: btfenc leaves out a DATASEC entry that overlaps an earlier one (encoder/encode_vars.c), the kernel refuses pahole's DATASEC ("Invalid offset")
EOF
)

if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP" && tmp=$(realpath "$KEEP") || exit 1
else
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
fi

# canon.awk: "btfenc dump" text in, one line per type out, "CATEGORY<TAB>TEXT":
# TEXT is the type's kind, name and shape with each type_id replaced by what it
# refers to (named types by kind and name, anonymous ones in full), so that two
# dumps compare without ids. CATEGORY: "func" for FUNCs and decl tags on them,
# "var" for VARs, DATASECs and decl tags on VARs, "skip" for the FUNC_PROTOs of
# FUNCs (shown in their FUNC's line), "type" for everything else.
cat >"$tmp/canon.awk" <<'EOF'
function ref(id, depth) {
	if (id == 0)
		return "void"
	if (!(id in K))
		return "<missing " id ">"
	if (N[id] != "(anon)" && K[id] ~ /^(STRUCT|UNION|ENUM|ENUM64|FWD|TYPEDEF|INT|FLOAT|FUNC|VAR|DATASEC)$/)
		return K[id] " '" N[id] "'"
	if (depth > 40)
		return "<too deep>"
	return full(id, depth + 1)
}
function subst(s, depth,    out, t, head) {
	out = ""
	while (match(s, /type_id=[0-9]+/)) {
		# ref() calls match() too: take what is needed first
		t = substr(s, RSTART + 8, RLENGTH - 8) + 0
		head = substr(s, 1, RSTART + 7)
		s = substr(s, RSTART + RLENGTH)
		out = out head "<" ref(t, depth) ">"
	}
	return out s
}
function full(id, depth,    s, i) {
	s = K[id] " '" N[id] "'" subst(A[id], depth)
	if (M[id] > 0) {
		s = s " {"
		for (i = 1; i <= M[id]; i++)
			s = s (i > 1 ? "; " : "") subst(L[id, i], depth)
		s = s "}"
	}
	return s
}
function note_refs(id, s,    t) {
	while (match(s, /type_id=[0-9]+/)) {
		t = substr(s, RSTART + 8, RLENGTH - 8) + 0
		if (K[id] != "FUNC")
			by_type[t] = 1
		s = substr(s, RSTART + RLENGTH)
	}
}
/^\[[0-9]+\] / {
	id = substr($1, 2, length($1) - 2) + 0
	K[id] = $2
	rest = substr($0, length($1) + length($2) + 3)
	q = index(substr(rest, 2), "'")
	N[id] = substr(rest, 2, q - 1)
	rest = substr(rest, q + 2)
	gsub(/ vlen=[0-9]+/, "", rest)
	A[id] = rest
	M[id] = 0
	order[++n] = id
	next
}
/^\t/ {
	line = substr($0, 2)
	sub(/ \((VAR|FUNC) '[^']*'\)$/, "", line)
	L[id, ++M[id]] = line
	next
}
END {
	for (i = 1; i <= n; i++) {
		id = order[i]
		note_refs(id, A[id])
		for (j = 1; j <= M[id]; j++)
			note_refs(id, L[id, j])
	}
	for (i = 1; i <= n; i++) {
		id = order[i]
		k = K[id]
		cat = "type"
		if (k == "FUNC")
			cat = "func"
		else if (k == "FUNC_PROTO" && !(id in by_type))
			cat = "skip"
		else if (k == "VAR" || k == "DATASEC")
			cat = "var"
		else if (k == "DECL_TAG" && match(A[id], /type_id=[0-9]+/)) {
			t = substr(A[id], RSTART + 8, RLENGTH - 8) + 0
			if (K[t] == "FUNC")
				cat = "func"
			else if (K[t] == "VAR")
				cat = "var"
		}
		print cat "\t" full(id, 0)
	}
}
EOF

# canon BLOB OUT: the sorted listing of BLOB.
canon() {
	"$btfenc" dump "$1" >"$2.dump" 2>"$2.err" || return 1
	awk -f "$tmp/canon.awk" "$2.dump" | LC_ALL=C sort >"$2"
}

# field LINE N: the Nth "|"-separated field of LINE, trimmed.
field() {
	local f
	f=$(cut -d'|' -f"$2" <<<"$1")
	f=${f#"${f%%[![:space:]]*}"}
	printf '%s' "${f%"${f##*[![:space:]]}"}"
}

# matches VALUE GLOBS: VALUE matches one of the blank-separated GLOBS.
matches() {
	local - g
	set -f
	for g in $2; do
		# shellcheck disable=SC2254
		case $1 in $g) return 0 ;; esac
	done
	return 1
}

# known_reason GROUP CASE ORACLE SIDE LINE: the reason of the first entry of
# the known table that explains LINE; fails when none does.
known_reason() {
	local entry
	while IFS= read -r entry; do
		[ -n "$entry" ] || continue
		matches "$1" "$(field "$entry" 1)" || continue
		matches "$2" "$(field "$entry" 2)" || continue
		matches "$3" "$(field "$entry" 3)" || continue
		matches "$4" "$(field "$entry" 4)" || continue
		# shellcheck disable=SC2254
		case $5 in $(field "$entry" 5)) ;; *) continue ;; esac
		field "$entry" 6
		return 0
	done <<<"$known"
	return 1
}

# build CC CFLAGS OUT SRC: one object, compiled once per configuration (and
# again in a KEEP directory when the source is newer).
build() {
	[ "$3" -nt "$fixtures/$4" ] && return 0
	# shellcheck disable=SC2086
	"$1" $2 -c "$fixtures/$4" -o "$3" 2>"$3.err" || {
		echo "$1 fails on $4: $(grep -m1 -i error "$3.err")"
		return 1
	}
	if [ -s "$3.err" ]; then
		# Fixtures are warning-free: a warning is worth a look.
		echo "warning from $1 on $4: $(head -n1 "$3.err")" >&2
	fi
}

# link DIR NAME LINK CC CFLAGS LDFLAGS SOURCES...: prints the path of the
# case's file.
link() {
	local dir=$1 name=$2 how=$3 cc=$4 cflags=$5 ldflags=$6 objs=() src obj key
	shift 6
	key=$(printf '%s' "$cflags" | cksum | cut -d' ' -f1)
	for src in "$@"; do
		obj=$dir/${src%.c}.$key.o
		build "$cc" "$cflags" "$obj" "$src" || return 1
		objs+=("$obj")
	done
	case $how in
	obj)
		echo "${objs[0]}"
		;;
	rel)
		ld -r "${objs[@]}" -o "$dir/$name.$key.o" || return 1
		echo "$dir/$name.$key.o"
		;;
	exe | lto)
		# shellcheck disable=SC2086
		"$cc" -no-pie $cflags $ldflags "${objs[@]}" -o "$dir/$name.$key" || return 1
		echo "$dir/$name.$key"
		;;
	so)
		"$cc" -shared "${objs[@]}" -o "$dir/$name.$key.so" || return 1
		echo "$dir/$name.$key.so"
		;;
	esac
}

# compare GROUP CASE ORACLE PAHOLE_BLOB BTFENC_BLOB: prints the differences
# that fail the case (nothing if none) on stdout, the known ones on fd 3.
compare() {
	local group=$1 case=$2 oracle=$3 p=$4 b=$5 line side text reason
	if ! canon "$p" "$p.canon"; then
		echo "btfenc dump fails on pahole's blob: $(head -n1 "$p.canon.err")"
		return
	fi
	if ! canon "$b" "$b.canon"; then
		echo "btfenc dump fails on its own blob: $(head -n1 "$b.canon.err")"
		return
	fi
	diff <(grep '^type' "$p.canon") <(grep '^type' "$b.canon") |
		sed -n -e 's/^< type\t/  pahole only: /p' -e 's/^> type\t/  btfenc only: /p'
	# "btfenc diff" lists the types no other type refers to, so a type that
	# only a FUNC refers to on one side is missing there even with
	# --ignore-kinds=func: it is asked only when FUNCs and VARs are the same.
	if [ "$has_diff" = 1 ] && [ "$include_funcs" = 1 ] &&
	   cmp -s <(grep -v '^type\|^skip' "$p.canon") <(grep -v '^type\|^skip' "$b.canon"); then
		"$btfenc" diff "$p" "$b" >"$b.diff" 2>&1
		case $? in
		0) ;;
		1) sed -e 's/^/  btfenc diff: /' "$b.diff" ;;
		*) echo "  btfenc diff fails: $(head -n1 "$b.diff")" ;;
		esac
	fi
	[ "$include_funcs" = 1 ] || return
	diff <(grep -v '^type\|^skip' "$p.canon") <(grep -v '^type\|^skip' "$b.canon") |
		sed -n -e 's/^< [a-z]*\t/pahole /p' -e 's/^> [a-z]*\t/btfenc /p' |
		while IFS= read -r line; do
			side=${line%% *}
			text=${line#* }
			if reason=$(known_reason "$group" "$case" "$oracle" "$side" "$text"); then
				echo "$reason" >&3
			else
				echo "  $side only: $text"
			fi
		done
}

# run_case GROUP LINK CC DWARF OPT CFLAGS SOURCES...: one line per oracle.
run_case() {
	local group=$1 how=$2 cc=$3 dwarf=$4 opt=$5 extra=$6 target ref cflags dir case oracle
	local pflags bflags pahole w why load status fails known_lines improvement="" refcflags="" ldflags=""
	shift 6
	case="$cc-dwarf$dwarf-O$opt"
	dir=$tmp/$case
	mkdir -p "$dir"
	cflags="-g -gdwarf-$dwarf -O$opt -Wall -Wextra $extra"
	case $how/$cc in
	so/*) cflags="$cflags -fPIC" ;;
	lto/gcc) cflags="$cflags -flto" ;;
	lto/clang)
		if ! command -v ld.lld >/dev/null; then
			echo "skip $group $case: no ld.lld for clang's LTO"
			return
		fi
		cflags="$cflags -flto=thin"
		ldflags=-fuse-ld=lld
		;;
	esac
	if ! target=$(link "$dir" "$group" "$how" "$cc" "$cflags" "$ldflags" "$@"); then
		echo "FAIL $group $case: cannot build: $target"
		return
	fi
	ref=$target
	while IFS= read -r line; do
		[ "$(field "$line" 1)" = "$group" ] || continue
		matches "$case" "$(field "$line" 2)" || continue
		refcflags=$(field "$line" 3)
		improvement=$(field "$line" 4)
		ref=$(link "$dir" "$group" "$how" "$cc" "$cflags $refcflags" "$ldflags" "$@") || {
			echo "FAIL $group $case: cannot build pahole's object: $ref"
			return
		}
	done <<<"$improvements"
	for oracle in $oracles; do
		w=$dir/$group.$oracle
		rm -f "$w".*
		# pahole 1.31 reads "-J --btf_gen_floats" as plain_features without
		# global_var; btfenc, with no option, takes the kernel's features.
		case $oracle in
		1.24) pflags=(-J --btf_gen_floats) bflags=(-J "--btf_features=${plain_features%,global_var}") pahole=$pahole124 ;;
		1.24-kernel) pflags=() bflags=() pahole= ;;
		1.31) pflags=(-J "--btf_features=$kernel_features,attributes") bflags=("${pflags[@]}") pahole=$pahole131 ;;
		1.31-plain) pflags=(-J "--btf_features=$plain_features") bflags=("${pflags[@]}") pahole=$pahole131 ;;
		esac
		if [ -z "$pahole" ]; then
			# The same pahole 1.24 blob as the oracle before.
			[ -s "$dir/$group.1.24.pahole" ] || continue
			cp "$dir/$group.1.24.pahole" "$w.pahole"
		elif ! "$pahole" "${pflags[@]}" --btf_encode_detached="$w.pahole" "$ref" \
			>"$w.pahole.err" 2>&1 || [ ! -s "$w.pahole" ]; then
			why=$(grep -m1 -i 'error\|unsupported\|fail' "$w.pahole.err")
			echo "FAIL $group $case pahole-$oracle: pahole writes nothing: ${why:-no message}"
			continue
		fi
		if ! "$btfenc" "${bflags[@]}" --btf_encode_detached="$w.btfenc" "$target" \
			>"$w.btfenc.err" 2>&1 || [ ! -s "$w.btfenc" ]; then
			echo "FAIL $group $case pahole-$oracle: btfenc fails: $(head -n1 "$w.btfenc.err")"
			continue
		fi
		# The same bytes and messages when every unit is walked through
		# libdw instead of btfenc's own DIE decoder.
		if ! BTFENC_WALK=libdw "$btfenc" "${bflags[@]}" --btf_encode_detached="$w.libdw" \
			"$target" >"$w.libdw.err" 2>&1 || ! cmp -s "$w.btfenc" "$w.libdw" ||
			! cmp -s "$w.btfenc.err" "$w.libdw.err"; then
			echo "FAIL $group $case pahole-$oracle: btfenc's DIE decoder and libdw's walk differ"
			continue
		fi
		load=""
		if [ -n "$loader" ]; then
			"$loader" "$w.btfenc" 2>"$w.load"
			status=$?
			if [ $status = 77 ]; then
				load=", not loaded (not permitted here)"
			elif [ $status != 0 ]; then
				why="btfenc's blob does not load"
				if "$loader" "$w.pahole" 2>/dev/null; then
					why="$why, pahole's does"
				fi
				echo "FAIL $group $case pahole-$oracle: $why:"
				tail -n 4 "$w.load" | sed 's/^/  /'
				continue
			fi
		fi
		fails=$(compare "$group" "$case" "$oracle" "$w.pahole" "$w.btfenc" 3>"$w.known")
		if [ -n "$fails" ]; then
			echo "FAIL $group $case pahole-$oracle: differs:"
			head -n 8 <<<"$fails"
			[ "$(wc -l <<<"$fails")" -le 8 ] || echo "  ... $(wc -l <<<"$fails") lines"
			continue
		fi
		known_lines=""
		if [ -s "$w.known" ]; then
			known_lines=", known: $(sort "$w.known" | uniq -c |
				sed 's/^ *\([0-9]*\) \(.*\)/\1 x \2/' | paste -sd';' -)"
		fi
		echo "ok   $group $case pahole-$oracle${improvement:+, improvement: ${improvement%%:*}}$load$known_lines"
	done
}

# worker CC DWARF OPT: every group in one configuration, into its own file.
worker() {
	local entry name how srcs extra
	while IFS= read -r -u 4 entry; do
		name=$(field "$entry" 1)
		how=$(field "$entry" 2)
		srcs=$(field "$entry" 3)
		extra=$(field "$entry" 4)
		# shellcheck disable=SC2086
		run_case "$name" "$how" "$1" "$2" "$3" "$extra" $srcs
	done 4<<<"$groups" </dev/null >"$tmp/out.$1-$2-$3"
}

echo "$("$btfenc" --version 2>&1 | head -n1); oracles: pahole $oracles;" \
	"compilers: $compilers; FUNC/VAR/DATASEC compared: $([ "$include_funcs" = 1 ] && echo yes || echo no);" \
	"btfenc diff: $([ "$has_diff" = 1 ] && echo yes || echo "no (listing only)")"
[ -n "$loader" ] || echo "note: no LOADER given, blobs are not loaded into the kernel"
jobs_max=$(nproc 2>/dev/null || echo 2)
configs=()
for cc in $compilers; do
	for dwarf in 4 5; do
		for opt in 0 2; do
			configs+=("$cc-$dwarf-$opt")
			worker "$cc" "$dwarf" "$opt" &
			while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
				wait -n
			done
		done
	done
done
wait
if [ "$compilers" = gcc ]; then
	echo "skip clang cases: clang not found"
fi

passed=0
failed=0
skipped=0
for cfg in "${configs[@]}"; do
	cat "$tmp/out.$cfg"
	passed=$((passed + $(grep -c '^ok' "$tmp/out.$cfg")))
	failed=$((failed + $(grep -c '^FAIL' "$tmp/out.$cfg")))
	skipped=$((skipped + $(grep -c '^skip' "$tmp/out.$cfg")))
done
[ "$skipped" -eq 0 ] || echo "$skipped cases skipped"
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
	exit 1
fi
if [ "$passed" -eq 0 ]; then
	echo "SKIP: nothing could be compared"
	exit 77
fi
exit 0
