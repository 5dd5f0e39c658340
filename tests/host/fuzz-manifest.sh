#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# Fuzz the release parsers (manifest JSON, signature text, versions,
# ranges) for a bounded 20 s (FUZZ_SECONDS overrides), starting from real
# manifests, and fail on any finding.
. "${RUP_SRC:?}/tests/host/fuzz-lib.sh"
cat >"$FUZZ_CORPUS/m1" <<'JSON'
{"format":1,"name":"fw","version":"2.0.5-rc.1+b7","range":">=2.0.0,<2.1.0","summary":"x\ny",
"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","size":5,
"created":"2026-11-25T14:16:53.25+01:00","install_args":["--a","b c"]}
JSON
printf '1.0.0-alpha.1 1.0.0-alpha.beta' >"$FUZZ_CORPUS/v1"
printf '>= 1.0.0 , <2.0.0-0,=1.5.0' >"$FUZZ_CORPUS/r1"
printf 'rlMCW3Bgu4sXm4NwADSn+uDpxHZsJGoE/v7q2c4veFNxdyIPjkV1ZwsjMiM+kaqMhp7GDWnkNdVEZ+2xSJlvDA==\n' \
	>"$FUZZ_CORPUS/s1"
fuzz_run fuzz_manifest 20 2048 c
