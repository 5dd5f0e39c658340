#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# Debug-kernel self-test: load the broken module with bug=abba; the harness
# must report this test failed because of the kernel's report.
insmod "$RUP_SRC/tests/vm/selftest/bugs/rup_selftest_bugs.ko" bug=abba
rmmod rup_selftest_bugs
exit 0
