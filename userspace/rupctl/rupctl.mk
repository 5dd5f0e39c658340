# SPDX-License-Identifier: GPL-2.0
# rupctl: the CLI (userspace/rupctl) with the node daemon (userspace/agent)
# linked in, since `rupctl agent` runs it.
RUPCTL_SRCS := $(wildcard userspace/rupctl/*.c)

$(O)/rupctl: $(call objs,$(RUPCTL_SRCS) $(AGENT_SRCS)) $(RUP_LIB)
	$(call link_prog,$(AGENT_PKGS))
PROGRAMS += $(O)/rupctl
