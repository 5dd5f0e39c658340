#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# Debug-kernel self-test: load the broken module with bug=leak and unload
# it; the test passes, and the harness's kmemleak scan after the last test
# must report the leak (its backtrace is the unloaded module's code).
insmod "$RUP_SRC/tests/vm/selftest/bugs/rup_selftest_bugs.ko" bug=leak
rmmod rup_selftest_bugs
exit 0
