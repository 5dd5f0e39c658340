#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 30
# Harness self-test: exits 0 but makes the kernel WARN; must be reported failed.
insmod "$RUP_SRC/tests/vm/selftest/module/rup_selftest_warn.ko" || exit 0
rmmod rup_selftest_warn
exit 0
