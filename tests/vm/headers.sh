#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print a kbuild tree for KVER: /lib/modules/KVER/build when its headers
# are installed, else Debian's linux-headers-KVER with its -common and
# linux-kbuild packages unpacked into a git-ignored cache. Unpacked, not
# installed: the 6.12 headers from bookworm-backports depend on their
# kernel image, and installing that makes it the machine's boot kernel.
#   tests/vm/headers.sh KVER
set -euo pipefail
kver=$1
if [ -f "/lib/modules/$kver/build/Makefile" ]; then
	echo "/lib/modules/$kver/build"
	exit 0
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
cache=${RUP_VM_CACHE:-$src/.cache/vm}/headers-$kver
kdir=$cache/root/usr/src/linux-headers-$kver
if [ -f "$cache/.done" ]; then
	echo "$kdir"
	exit 0
fi
pkg=linux-headers-$kver
apt-cache show "$pkg" >/dev/null 2>&1 || apt-get update -qq >&2
# The trees it needs: its -common headers and the kbuild scripts.
deps=$(apt-cache depends "$pkg" |
	awk '$1 == "Depends:" && $2 ~ /^linux-(headers-.*common|kbuild-)/ { print $2 }' | sort -u)
rm -rf "$cache.tmp"
mkdir -p "$cache.tmp"
(
	cd "$cache.tmp"
	# shellcheck disable=SC2086
	apt-get download "$pkg" $deps >&2
	for d in ./*.deb; do
		dpkg -x "$d" root
	done
	rm -f ./*.deb
	# Its Makefile includes the -common tree by absolute path.
	sed -i "s|^include /usr/src/|include $cache/root/usr/src/|" \
		"root/usr/src/linux-headers-$kver/Makefile"
	test -f "root/usr/src/linux-headers-$kver/Module.symvers"
)
touch "$cache.tmp/.done"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "$kdir"
