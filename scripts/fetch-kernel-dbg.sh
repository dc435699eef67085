#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fetch-kernel-dbg.sh - downloads and unpacks Debian's debug kernel package,
# the source of real-world vmlinux and module .BTF for the oracle scripts.
#
# The .deb goes to $BTFENC_CACHE, else /work/cache if it holds the package,
# else <repo>/cache (git-ignored), the files to
# its deb/ directory, whose path is printed on stdout; progress goes to
# stderr. Idempotent: an existing download or unpacked tree is reused. The
# unpacking happens in a temporary directory renamed into place at the end,
# so an interrupted run never leaves a half tree that looks complete.
set -eu

kver=${BTFENC_KERNEL_VERSION:-6.1.0-56-cloud-amd64}
pkg=linux-image-$kver-dbg
repo=$(cd "$(dirname "$0")/.." && pwd)
# Without $BTFENC_CACHE: a machine-wide /work/cache that already holds the
# package (the development machines keep one), else <repo>/cache.
if [ -z "${BTFENC_CACHE:-}" ] && [ -e "/work/cache/deb/usr/lib/debug/boot/vmlinux-$kver" ]; then
	BTFENC_CACHE=/work/cache
fi
cache=${BTFENC_CACHE:-$repo/cache}
dest=$cache/deb

if [ -e "$dest/usr/lib/debug/boot/vmlinux-$kver" ]; then
	echo "$dest"
	exit 0
fi

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
dest=$cache/deb
deb=$(find "$cache" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n 1)
if [ -z "$deb" ]; then
	echo "fetch-kernel-dbg: downloading $pkg (about 300 MB)" >&2
	# As root, apt's _apt sandbox user may not write here; download as root.
	(cd "$cache" && apt-get download -o APT::Sandbox::User=root "$pkg" >&2) || {
		echo "fetch-kernel-dbg: cannot download $pkg (try: apt-get update)" >&2
		exit 1
	}
	deb=$(find "$cache" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n 1)
	[ -n "$deb" ] || { echo "fetch-kernel-dbg: the download left no .deb" >&2; exit 1; }
fi

echo "fetch-kernel-dbg: unpacking ${deb##*/} (about 2 GB)" >&2
tmp=$(mktemp -d "$cache/deb.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
if [ ! -e "$tmp/usr/lib/debug/boot/vmlinux-$kver" ]; then
	echo "fetch-kernel-dbg: ${deb##*/} has no usr/lib/debug/boot/vmlinux-$kver" >&2
	exit 1
fi
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "$dest"
