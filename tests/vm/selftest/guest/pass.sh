#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 30
# Harness self-test: a test that passes.
. "$RUP_SRC/tests/guest/lib.sh"
rup_load
assert_eq "$(cat /sys/module/rup/initstate)" live "rup initstate"
