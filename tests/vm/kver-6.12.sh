#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the release of Debian's newest 6.12 LTS kernel in bookworm-backports
# (e.g. 6.12.118+deb12-amd64): the second kernel generation the module is
# built and tested on. tests/vm/headers.sh gives its kbuild tree.
set -euo pipefail
here=$(dirname "$0")
"$here/backports.sh" >&2
pkg=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
	awk '{ print $1 }' | sort -V | tail -n 1)
[ -n "$pkg" ] || { echo "kver-6.12: no 6.12 headers in bookworm-backports" >&2; exit 1; }
echo "${pkg#linux-headers-}"
