# SPDX-License-Identifier: GPL-2.0
# The node daemon (election, score, RVS and member duties). It runs as
# `rupctl agent` (one binary, as the design has it): rupctl.mk links these
# objects; this fragment only names them.
AGENT_SRCS := $(wildcard userspace/agent/*.c)
AGENT_PKGS := libmnl jansson openssl libcurl libevent libevent_openssl \
	libnl-3.0 libnl-route-3.0 inih
