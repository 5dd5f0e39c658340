// SPDX-License-Identifier: GPL-2.0
/* rupctl version / --version: the tool's version and the loaded module's. */
#include <stdio.h>
#include <string.h>

#include "rupctl.h"

#define MODULE_VERSION_FILE "/sys/module/rup/version"

/* Reads the module's MODULE_VERSION; false when the module is not loaded. */
static bool module_version(char *buf, size_t len)
{
	FILE *f = fopen(MODULE_VERSION_FILE, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

int cmd_version(int argc, char **argv)
{
	char mod[64];
	bool loaded;

	if (argc > 1) {
		if (rupctl_is_help(argv[1])) {
			printf("Usage: rupctl version\n"
			       "Prints rupctl's version and the rup module's "
			       "(from " MODULE_VERSION_FILE ").\n");
			return RUPCTL_EXIT_OK;
		}
		rupctl_err("version: unexpected argument \"%s\"", argv[1]);
		return RUPCTL_EXIT_USAGE;
	}
	loaded = module_version(mod, sizeof(mod));
	if (rupctl_opts.json) {
		json_t *j = json_pack("{s:s}", "rupctl", RUP_VERSION);

		json_object_set_new(j, "module",
				    loaded ? json_string(mod) : json_null());
		rupctl_json_print(j);
		return RUPCTL_EXIT_OK;
	}
	printf("rupctl %s\n", RUP_VERSION);
	if (loaded)
		printf("rup module %s\n", mod);
	else
		printf("rup module not loaded\n");
	return RUPCTL_EXIT_OK;
}
