# SPDX-License-Identifier: GPL-2.0
# pkgsrv-run: the agent's package service alone on a host interface, for
# the host test tests/host/pkgsrv-load.sh.
$(O)/tests/tools/pkgsrv-run: $(call objs,tests/tools/pkgsrv-run.c \
	userspace/agent/pkgsrv.c userspace/agent/pkgsrv_conn.c \
	userspace/agent/pkgsrv_addr.c userspace/agent/store.c \
	userspace/agent/store_check.c \
	userspace/agent/log.c) $(RUP_LIB)
	$(call link_prog,libevent openssl jansson)
TEST_TOOLS += $(O)/tests/tools/pkgsrv-run
