# SPDX-License-Identifier: GPL-2.0
# Unit tests of the agent's pure parts.

$(O)/tests/unit/test_agent_need: $(call objs,tests/unit/test_agent_need.c \
	userspace/agent/need.c) $(RUP_LIB)
	$(call link_prog,cmocka jansson openssl)
UNIT_TESTS += $(O)/tests/unit/test_agent_need

$(O)/tests/unit/test_agent_backoff: $(call objs,tests/unit/test_agent_backoff.c \
	userspace/agent/backoff.c)
	$(call link_prog,cmocka)
UNIT_TESTS += $(O)/tests/unit/test_agent_backoff

$(O)/tests/unit/test_agent_store: $(call objs,tests/unit/test_agent_store.c \
	userspace/agent/store.c userspace/agent/store_check.c) $(RUP_LIB)
	$(call link_prog,cmocka jansson openssl libevent)
UNIT_TESTS += $(O)/tests/unit/test_agent_store
