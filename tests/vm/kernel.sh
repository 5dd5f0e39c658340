#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's kernel image for KVER (matching the installed headers) into
# a git-ignored cache, without installing it into /boot. Prints the cache dir.
#   tests/vm/kernel.sh [KVER]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
kver=${1:-${KVER:-$("$src/tests/vm/kver.sh")}}
cache=${RUP_VM_CACHE:-$src/.cache/vm}/kernel-$kver
# Whole, or fetched again (a stray "make -C KDIR M=. clean" deletes *.ko here).
if [ -f "$cache/.done" ] &&
	[ -f "$cache/root/lib/modules/$kver/$(sed -n '1s/:.*//p' "$cache/root/lib/modules/$kver/modules.dep")" ]; then
	echo "$cache"
	exit 0
fi
rm -rf "$cache.tmp"
mkdir -p "$cache.tmp"
(
	cd "$cache.tmp"
	pkg=linux-image-$kver
	apt-get download "$pkg" >&2 || {
		# The package lists may be old or missing on a fresh machine.
		apt-get update -qq >&2
		apt-get download "$pkg" >&2
	}
	dpkg -x ./*.deb root
	rm -f ./*.deb
	depmod -b root "$kver"
	test -f "root/boot/vmlinuz-$kver"
)
touch "$cache.tmp/.done"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "$cache"
