# SPDX-License-Identifier: GPL-2.0
# Shared userspace library: every .c under userspace/common.
COMMON_SRCS := $(wildcard userspace/common/*.c)
COMMON_LIB := $(O)/librupcommon.a

$(COMMON_LIB): $(call objs,$(COMMON_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	$(if $^,ar rcs $@ $^,ar rcs $@)

# Link rule body: $(call link_prog,PKGS) links $^ into $@ with pkg-config PKGS.
define link_prog
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call libs,$(1))
endef
