# SPDX-License-Identifier: GPL-2.0
# rup-opsd: the ops server (every .c in userspace/opsd, including assign and plan).
OPSD_SRCS := $(wildcard userspace/opsd/*.c)
$(O)/rup-opsd: $(call objs,$(OPSD_SRCS)) $(RUP_LIB)
	$(call link_prog,libevent libevent_openssl openssl jansson sqlite3 inih)
PROGRAMS += $(O)/rup-opsd
