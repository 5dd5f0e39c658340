#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 170
# The demo, run inside the guest by `make demo`.
. "$RUP_SRC/tests/guest/lib.sh"
echo "== rup demo: loading rup.ko"
rup_load
echo "rup $(cat /sys/module/rup/version) loaded; parameters:"
grep -H . /sys/module/rup/parameters/* 2>/dev/null | sed 's|/sys/module/rup/parameters/|  |'
rup_unload
echo "== rup.ko unloaded"
