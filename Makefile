# SPDX-License-Identifier: GPL-2.0
#
# rup top-level Makefile.
#
#   make              build rup.ko and every userspace program
#   make deps         install every Debian package build, tests and demo need
#   make check        deps + build + unit, host and guest tests; prints "N passed, N failed"
#   make lint         checkpatch, sparse, W=1, clang-format
#   make check-kernels the guest suite on stock, PREEMPT_RT, 6.12 and debug kernels
#   make check-load   long guest runs under load (tests/load: CPU hogs, 108 nodes)
#   make demo         the fleet demo in a QEMU guest
#   make install      userspace into $(PREFIX), module via modules_install
#
# Userspace is one non-recursive make: each component adds its programs and
# rules in a fragment (userspace/*/*.mk, tests/*/*.mk) so owners do not edit
# this file to add a program.

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
KVER ?= $(shell tests/vm/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
DESTDIR ?=
# Output folder for userspace; `make check` builds a sanitizer copy in build/san.
O ?= build
SAN ?=

CC ?= gcc
PKGS := libmnl libnl-route-3.0 libnl-3.0 openssl libcurl libevent libevent_openssl jansson sqlite3 inih
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude/uapi -Iinclude -Iuserspace/lib \
	  -DRUP_VERSION=\"$(VERSION)\" $(PKG_CFLAGS) -MMD -MP
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# $(call objs,SRCS): object paths for sources
objs = $(patsubst %.c,$(O)/obj/%.o,$(1))
# $(call libs,PKGS): linker flags for pkg-config packages
libs = $(shell pkg-config --libs $(1))

PROGRAMS :=
UNIT_TESTS :=
TEST_TOOLS :=

.PHONY: all module module-clean userspace tests deps check check-unit check-host check-guest \
	demo clean install help lint fuzz bench check-kernels check-load
all: module userspace

include mk/lib.mk
-include $(sort $(wildcard userspace/*/*.mk tests/*/*.mk bench/*.mk))

userspace: $(PROGRAMS)
tests: $(UNIT_TESTS) $(TEST_TOOLS)

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# O= : our O (the userspace build folder) must not become kbuild's.
module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) O= modules

deps:
	tests/deps.sh

# The guest runs the plain build; host tests run the sanitizer build.
check: deps
	$(MAKE) all tests
	$(MAKE) O=build/san SAN=1 userspace tests
	tests/run-all.sh

check-unit:
	tests/run-unit.sh
check-host:
	tests/run-host.sh
check-guest:
	tests/vm/run.sh

# checkpatch --strict, sparse, W=1 (module) and clang-format (userspace).
lint:
	tests/lint.sh

# The guest suite on stock 6.1, 6.1 PREEMPT_RT, 6.12 LTS and a debug 6.1
# (KASAN, lockdep, kmemleak, ...). KERNELS="stock rt" picks some.
check-kernels: deps
	$(MAKE) all tests
	tests/vm/check-kernels.sh

# Too long for `make check` (docs/DEVELOPING.md, "Load runs"): a quiet host.
check-load: deps
	$(MAKE) all tests
	VM_MEM=$${VM_MEM:-4096} tests/vm/run.sh --tag load tests/load/*.sh

demo: deps
	$(MAKE) all tests
	tests/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin
	for p in $(PROGRAMS); do install -m 0755 $$p $(DESTDIR)$(PREFIX)/sbin/; done
	$(MAKE) -C $(KDIR) M=$(CURDIR) O= modules_install

# Not kbuild's "clean" with M=: it deletes every *.ko and *.o below this
# folder, and the guest kernels cached in .cache/ hold thousands.
module-clean:
	rm -f rup.ko rup.mod rup.mod.c rup.mod.o rup.o modules.order Module.symvers \
		.rup*.cmd .modules.order.cmd .Module.symvers.cmd
	rm -f kmod/*.o kmod/.*.cmd kmod/*.mod kmod/*.mod.c
	rm -rf .tmp_versions

clean: module-clean
	rm -rf build

help:
	@sed -n '3,11p' Makefile

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
