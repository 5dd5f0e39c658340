#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 30
# Harness self-test: a test that exits non-zero must be reported as failed.
echo "failing on purpose"
exit 3
