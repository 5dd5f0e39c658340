# SPDX-License-Identifier: GPL-2.0
# beacon-craft: builds valid or broken beacons with the shared codec and
# sends them to a group (guest tests), or dumps them (host tests, seeds).
$(O)/tests/tools/beacon-craft: $(call objs,tests/tools/beacon-craft.c tests/tools/beacon-craft-opts.c) $(RUP_LIB)
	$(call link_prog,libcrypto)
TEST_TOOLS += $(O)/tests/tools/beacon-craft
