# SPDX-License-Identifier: GPL-2.0
# librup: the userspace library every program and tool links (userspace/lib):
# the genl client, release manifests, versions, number parsers. Static, so a
# program pulls in only the objects it uses.
LIB_SRCS := $(wildcard userspace/lib/*.c)
RUP_LIB := $(O)/librup.a

$(RUP_LIB): $(call objs,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	$(if $^,ar rcs $@ $^,ar rcs $@)

# Link rule body: $(call link_prog,PKGS) links $^ into $@ with pkg-config PKGS.
define link_prog
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call libs,$(1))
endef
