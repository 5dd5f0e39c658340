#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Kernel release to build against: the running kernel's if its build dir
# exists, else the newest stock Debian linux-headers-N.N.N-N-amd64 installed
# (not -rt, -cloud or backports: those are chosen explicitly by KVER=).
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
	exit 0
fi
ls -d /usr/src/linux-headers-*-amd64 2>/dev/null |
	sed 's|/usr/src/linux-headers-||' | grep -E '^[0-9.]+-[0-9]+-amd64$' |
	sort -V | tail -n 1
