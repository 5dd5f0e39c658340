# SPDX-License-Identifier: GPL-2.0
$(O)/tests/unit/test_election: $(call objs,tests/unit/test_election.c userspace/agent/election.c)
	$(call link_prog,cmocka)
UNIT_TESTS += $(O)/tests/unit/test_election
