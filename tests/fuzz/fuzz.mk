# SPDX-License-Identifier: GPL-2.0
# libFuzzer harnesses, built with clang whatever CC is. A fragment adds its
# harness binary to FUZZ_TARGETS; `make fuzz` runs each for FUZZ_SECONDS
# (default 600) on a corpus kept in $(O)/fuzz/corpus-NAME, seeded from
# tests/fuzz/seeds/NAME/ when that exists, and fails on any finding.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iinclude/uapi -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS :=

# The beacon codec: the parser rup.ko runs on every received datagram.
FUZZ_BEACON := $(O)/fuzz/fuzz_beacon
$(FUZZ_BEACON): tests/fuzz/fuzz_beacon.c include/rup/beacon.h include/uapi/linux/rup.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $<
TEST_TOOLS += $(FUZZ_BEACON)
FUZZ_TARGETS += $(FUZZ_BEACON)

# Recipe variables expand when it runs, after every fragment has been read.
fuzz:
	$(MAKE) $(FUZZ_TARGETS)
	set -e; for f in $(FUZZ_TARGETS); do \
		tests/fuzz/run-fuzz.sh $$f $(FUZZ_SECONDS) $(O)/fuzz/corpus-$$(basename $$f); \
	done
