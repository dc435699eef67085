#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install.sh BUILD SRC - "meson install" into a scratch directory, then what
# a user of it does: build the README's example program (the ```c block of
# "Using the library") with the installed pkg-config file and run it, its
# output must be the README's ```text block; the man page must cover every
# subcommand and encoding option btfenc's own help lists; bash completion
# must offer the subcommands and their options; the installed btfenc and
# pahole link must run.
set -u

build=${1:?usage: install.sh BUILD SRC}
src=${2:?}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v pkg-config >/dev/null || { echo "SKIP: no pkg-config"; exit 77; }

dest=$tmp/dest
meson install -C "$build" --no-rebuild --destdir "$dest" >"$tmp/log" 2>&1
result $? "meson install --destdir" || { tail -n 5 "$tmp/log"; }
pc=$(find "$dest" -name btfenc.pc | head -n 1)
[ -n "$pc" ]
result $? "btfenc.pc installed"
bin=$(find "$dest" -path '*/bin/btfenc' | head -n 1)
libdir=$(dirname "$(find "$dest" -name 'libbtfenc.so*' -o -name 'libbtfenc.a' | head -n 1)")

# The README's example, as it stands there.
awk '/^## Using the library/ { on = 1 } on && /^```c$/ { c = 1; next }
     c && /^```$/ { exit } c { print }' "$src/README.md" >"$tmp/pair.c"
awk '/^## Using the library/ { on = 1 } on && /^```text$/ { c = 1; next }
     c && /^```$/ { exit } c { print }' "$src/README.md" >"$tmp/expect"
[ -s "$tmp/pair.c" ] && [ -s "$tmp/expect" ]
result $? "README has the example and its output"
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest \
	pkg-config --cflags --libs btfenc)
result $? "pkg-config --cflags --libs btfenc: $flags"
# A sanitized build's library needs the sanitizers in the program too.
san=
ldd "$libdir/libbtfenc.so" 2>/dev/null | grep -q libasan && san=-fsanitize=address,undefined
# shellcheck disable=SC2086
cc -Wall -Werror $san -o "$tmp/pair" "$tmp/pair.c" $flags 2>"$tmp/cc"
result $? "the README example builds against the installed library"
[ -s "$tmp/cc" ] && cat "$tmp/cc"
LD_LIBRARY_PATH=$libdir "$tmp/pair" >"$tmp/out"
result $? "the README example runs"
diff -u "$tmp/expect" "$tmp/out"
result $? "its output is the README's"

# The man page: every subcommand of "btfenc --help", every option of
# "btfenc --help-encode".
man=$(find "$dest" -name btfenc.1 | head -n 1)
[ -n "$man" ]
result $? "man page installed"
text=$(sed 's/\\-/-/g' "$man")
missing=
for c in $("$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
	grep -q "^\.B $c$" <<<"$text" || missing="$missing $c"
done
for o in $("$bin" --help-encode | grep -o -- '--[a-z_]*' | sort -u); do
	grep -q -- "$o" <<<"$text" || missing="$missing $o"
done
[ -z "$missing" ]
result $? "man page covers every subcommand and encoding option${missing:+ (missing:$missing)}"
if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww "$man" >/dev/null 2>"$tmp/groff"
	[ ! -s "$tmp/groff" ]
	result $? "man page renders without warnings"
	cat "$tmp/groff"
fi

# Bash completion.
comp=$(find "$dest" -path '*/completions/btfenc' | head -n 1)
complete_words() { # complete_words WORD...: what completion offers for the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _btfenc
		 printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@" 2>/dev/null | sort | tr '\n' ' '
}
[ "$(complete_words btfenc ver)" = "verify " ]
result $? "completion: btfenc ver -> verify"
[ "$(complete_words btfenc dump --fo)" = "--format " ]
result $? "completion: btfenc dump --fo -> --format"
[ "$(complete_words btfenc dump x --format '')" = "c json raw " ]
result $? "completion: --format -> c json raw"
[ "$(complete_words btfenc --btf_ba)" = "--btf_base " ]
result $? "completion: --btf_ba -> --btf_base"

"$bin" --version >/dev/null
result $? "installed btfenc runs"
[ "$("$(find "$dest" -path '*/btfenc/pahole' | head -n 1)" --version)" = v1.31 ]
result $? "installed pahole link says v1.31"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
