/* SPDX-License-Identifier: GPL-2.0 */
/* What the `rupctl ops` subcommands share: the server, the HTTPS request. */
#ifndef RUPCTL_OPS_H
#define RUPCTL_OPS_H

#include <stddef.h>
#include <jansson.h>

struct ops {
	const char *server;
	const char *cacert;
	char token[512];
};

/* A binary request body (one payload chunk) and its Content-Range header. */
struct upload {
	const void *data;
	size_t len;
	const char *range; /* "Content-Range: ..." or NULL */
};

/*
 * One request. @body (JSON text) or @up (a file, PUT) may be given.
 * On success *reply is the parsed JSON reply; otherwise the error is
 * printed as "rupctl: ops: WHAT: ..." and an exit code returned.
 */
int ops_request(const struct ops *o, const char *what, const char *method,
		const char *path, const char *body, const struct upload *up,
		json_t **reply);

/* Close the connection ops_request keeps between requests. */
void ops_http_close(void);

/* A whole local file, or RUPCTL_EXIT_IO after saying why. */
int ops_read_file(const char *path, size_t max, char **out, size_t *len);

/* The subcommands: argv starts at the subcommand's name. */
int ops_publish(const struct ops *o, int argc, char **argv);
int ops_rollout(const struct ops *o, int argc, char **argv);

#endif
