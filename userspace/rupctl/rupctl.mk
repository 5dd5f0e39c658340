# SPDX-License-Identifier: GPL-2.0
# rupctl: every .c in userspace/rupctl (CLI, genl client, agent, release).
# The agent parts need the extra libraries; linking them unused is harmless.
RUPCTL_SRCS := $(wildcard userspace/rupctl/*.c)
RUPCTL_PKGS := libmnl jansson openssl libcurl libevent libevent_openssl \
	libnl-3.0 libnl-route-3.0 inih

$(O)/rupctl: $(call objs,$(RUPCTL_SRCS)) $(COMMON_LIB)
	$(call link_prog,$(RUPCTL_PKGS))
PROGRAMS += $(O)/rupctl
