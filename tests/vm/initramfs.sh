#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once, cached by content) the guest's initramfs: busybox, the modules
# needed to mount the host over 9p and an overlay on top, and tests/vm/init.
# Prints the path of the cpio.gz.
#   tests/vm/initramfs.sh KERNEL_CACHE_DIR KVER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kcache=$1
kver=$2
img=$kcache/root
mods="virtio_pci 9pnet_virtio 9p overlay"
key=$( (cat "$here/init" "$0"; echo "$kver $mods") | sha256sum | cut -c1-16)
out=$kcache/initramfs-$key.cpio.gz
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,lower,upper,newroot,modules}
cp /bin/busybox "$work/bin/busybox"
# Load order from modprobe, each module once, as plain insmod lines.
# shellcheck disable=SC2086
modprobe -d "$img" -S "$kver" -a --show-depends $mods |
	awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
	while read -r ko; do
		# busybox insmod takes plain .ko only (6.12 ships .ko.xz).
		base=$(basename "$ko")
		case $ko in
		*.xz) xz -dc "$ko" >"$work/modules/${base%.xz}"; base=${base%.xz} ;;
		*.zst) zstd -qdc "$ko" >"$work/modules/${base%.zst}"; base=${base%.zst} ;;
		*) cp "$ko" "$work/modules/" ;;
		esac
		echo "$base" >>"$work/modules/order"
	done
cp "$here/init" "$work/init"
chmod +x "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
