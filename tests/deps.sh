#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package that building, testing and the demo need
# (flex, bison, bc, libelf-dev: the debug kernel of make check-kernels;
# dwarves: pahole, which 6.12's modpost needs for BTF).
# Idempotent: when everything is present it only asks dpkg.
set -eu

PKGS="build-essential pkg-config gcc make git
jq libmnl-dev libnl-3-dev libnl-route-3-dev libssl-dev openssl
libcurl4-openssl-dev curl libevent-dev libjansson-dev libsqlite3-dev sqlite3
libinih-dev libcmocka-dev clang libclang-rt-14-dev
linux-headers-amd64 qemu-system-x86 busybox-static kmod cpio dkms
iproute2 procps psmisc coreutils util-linux time xz-utils zstd sparse clang-format linux-source-6.1 gnuplot-nox
flex bison bc libelf-dev dwarves"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi
echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
