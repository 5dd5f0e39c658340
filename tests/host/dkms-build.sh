#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# dkms builds rup from dkms.conf against the Debian headers, into temporary
# dkms trees; the module carries the version from dkms.conf and is signed
# with a key made in the temporary folder. Nothing is left outside it
# (/var/lib/dkms and /usr/src are as before).
set -euo pipefail
cd "$RUP_SRC"
. tests/lib-assert.sh
kver=$(tests/vm/kver.sh)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
snapshot() { find /var/lib/dkms /usr/src -maxdepth 3 2>/dev/null | sort; }
snapshot >"$tmp/before"

mkdir -p "$tmp/source/rup-$ver" "$tmp/tree" "$tmp/install"
git ls-files -z -- Kbuild dkms.conf kmod include | xargs -0 cp --parents -t "$tmp/source/rup-$ver"
# dkms signs with these when set, and creates them if missing.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
trees=(--sourcetree "$tmp/source" --dkmstree "$tmp/tree" --installtree "$tmp/install")
dkms add -m rup -v "$ver" "${trees[@]}"
dkms build -m rup -v "$ver" -k "$kver" "${trees[@]}"
ko=$(find "$tmp/tree/rup/$ver/$kver" -name rup.ko | head -n 1)
[ -n "$ko" ] || fail "dkms built no rup.ko"
modinfo "$ko" | tee "$tmp/modinfo"
grep -Eq "^version: +$ver\$" "$tmp/modinfo" || fail "module version is not $ver"
grep -Eq "^vermagic: +$kver " "$tmp/modinfo" || fail "module not built for $kver"
grep -q '^sig_id:' "$tmp/modinfo" || fail "module not signed"
dkms status -m rup "${trees[@]}" | grep -q "rup/$ver, $kver, x86_64: built" ||
	fail "dkms status does not say built"

snapshot >"$tmp/after"
diff -u "$tmp/before" "$tmp/after" || fail "dkms left files outside its temporary trees"
echo "dkms built rup $ver for $kver in temporary trees"
