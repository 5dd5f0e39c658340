# SPDX-License-Identifier: GPL-2.0
# libFuzzer harness of the release parsers (manifest, signature text,
# versions, ranges); run for 20 s by tests/host/fuzz-manifest.sh.
FUZZ_MANIFEST := $(O)/fuzz/fuzz_manifest
FUZZ_MANIFEST_SRCS := tests/fuzz/fuzz_manifest.c userspace/lib/release.c \
	userspace/lib/release_sig.c userspace/lib/semver.c

$(FUZZ_MANIFEST): $(FUZZ_MANIFEST_SRCS) userspace/lib/release.h userspace/lib/semver.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -Iuserspace/lib \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(FUZZ_MANIFEST_SRCS) $(call libs,jansson openssl)
TEST_TOOLS += $(FUZZ_MANIFEST)
