#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# The module loads, shows its version in sysfs, registers the genl family
# "rup", and unloads cleanly.
. "$RUP_SRC/tests/guest/lib.sh"

want=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$RUP_SRC/dkms.conf")
rup_load
have=$(cat /sys/module/rup/version)
assert_eq "$have" "$want" "module version in sysfs"
echo "module version $have loaded"
rup_unload
[ ! -d /sys/module/rup ] || fail "module still present after rmmod"
echo "module unloaded"
