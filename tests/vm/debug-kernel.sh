#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once, cached by config) a debug 6.1 kernel from Debian's
# linux-source-6.1: tinyconfig + tests/vm/debug-kernel.config (KASAN, UBSAN,
# lockdep, DEBUG_OBJECTS, kmemleak, ...). Lays it out like tests/vm/kernel.sh
# does (root/boot/vmlinuz-KVER, root/lib/modules/KVER) and prints
# "CACHE_DIR KVER BUILD_TREE". The first time: 18 minutes on 2 cores in the
# background of the rt and 6.12 suites (4.5 alone on an idle machine).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
frag=$src/tests/vm/debug-kernel.config
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || {
	apt-get install -y -qq --no-install-recommends linux-source-6.1 >&2
}
key=$( (cat "$frag"; ls -l --time-style=+%s "$tarball") | sha256sum | cut -c1-12)
cache=$src/.cache/vm/kernel-debug-$key
tree=$src/.cache/vm/linux-debug-$key
if [ -f "$cache/.done" ]; then
	echo "$cache $(cat "$cache/kver") $tree"
	exit 0
fi
log() { echo "debug-kernel: $*" >&2; }
if [ ! -f "$tree/.extracted" ]; then
	log "extracting $tarball"
	rm -rf "$tree"
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1
	touch "$tree/.extracted"
fi
cd "$tree"
make -s tinyconfig >&2
scripts/kconfig/merge_config.sh -m .config "$frag" >&2
make -s olddefconfig >&2
# Every option of the fragment must have stuck (Kconfig drops what it cannot
# satisfy without a word).
missing=0
while read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF "$line" .config || { log "option did not stick: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" .config || { log "option not unset: $opt"; missing=1; } ;;
	esac
done <"$frag"
[ $missing = 0 ] || exit 1
jobs=$(($(nproc) + 1))
log "building bzImage and modules with -j$jobs (minutes: 4.5 on 2 idle cores)"
nice -n 10 make -s -j"$jobs" bzImage modules >&2
kver=$(make -s kernelrelease)
rm -rf "$cache"
mkdir -p "$cache/root/boot"
cp arch/x86/boot/bzImage "$cache/root/boot/vmlinuz-$kver"
cp .config "$cache/root/boot/config-$kver"
make -s modules_install INSTALL_MOD_PATH="$cache/root" INSTALL_MOD_STRIP=1 >&2
depmod -b "$cache/root" "$kver"
echo "$kver" >"$cache/kver"
touch "$cache/.done"
echo "$cache $kver $tree"
