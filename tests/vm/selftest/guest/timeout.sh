#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 3
# Harness self-test: a hanging test must be stopped and reported failed.
sleep 60
