# SPDX-License-Identifier: GPL-2.0
# rupctl agent: the node daemon's objects, linked into $(O)/rupctl (whose
# recipe links $^). Included from tests/unit/test_agent.mk as well, since
# the top Makefile only globs userspace/*/*.mk: the guard keeps it single.
ifndef RUP_AGENT_MK
RUP_AGENT_MK := 1
AGENT_SRCS := $(wildcard userspace/rupctl/agent/*.c)
$(O)/rupctl: $(call objs,$(AGENT_SRCS))
endif
