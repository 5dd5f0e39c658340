#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make Debian's bookworm-backports suite known to apt (for the 6.12 LTS
# kernel), from the same archive the machine already uses for bookworm.
set -euo pipefail
if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	exit 0
fi
uri=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	uri=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
		/etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
	uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
fi
[ -n "$uri" ] || { echo "backports: no bookworm archive found in apt's sources" >&2; exit 1; }
cat >/etc/apt/sources.list.d/rup-bookworm-backports.sources <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt-get update -qq
