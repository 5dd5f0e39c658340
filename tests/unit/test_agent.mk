# SPDX-License-Identifier: GPL-2.0
# Unit tests of the agent's pure parts. The agent's own fragment lives one
# level deeper than the top Makefile's glob, so it is pulled in from here.
include userspace/rupctl/agent/agent.mk

$(O)/tests/unit/test_agent_need: $(call objs,tests/unit/test_agent_need.c \
	userspace/rupctl/agent/need.c) $(COMMON_LIB)
	$(call link_prog,cmocka jansson openssl)
UNIT_TESTS += $(O)/tests/unit/test_agent_need

$(O)/tests/unit/test_agent_backoff: $(call objs,tests/unit/test_agent_backoff.c \
	userspace/rupctl/agent/backoff.c)
	$(call link_prog,cmocka)
UNIT_TESTS += $(O)/tests/unit/test_agent_backoff
