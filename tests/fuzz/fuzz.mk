# SPDX-License-Identifier: GPL-2.0
# libFuzzer harness of the beacon codec. Built with clang whatever CC is;
# `make fuzz` runs it for FUZZ_SECONDS (default 600) on a corpus kept in
# $(O)/fuzz/corpus, seeded from tests/fuzz/seeds.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iinclude/uapi -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_BEACON := $(O)/fuzz/fuzz_beacon

$(FUZZ_BEACON): tests/fuzz/fuzz_beacon.c include/rup/beacon.h include/uapi/linux/rup.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $<
TEST_TOOLS += $(FUZZ_BEACON)

fuzz: $(FUZZ_BEACON)
	tests/fuzz/run-fuzz.sh $(FUZZ_BEACON) $(FUZZ_SECONDS) $(O)/fuzz/corpus
