// SPDX-License-Identifier: GPL-2.0
/*
 * rupctl ops publish: a signed release to the ops server, then its payload
 * in chunks (docs/API.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api.h"
#include "ops.h"
#include "release.h"
#include "rupctl.h"

struct publish_args {
	const char *manifest;
	const char *sig;
	const char *payload;
	size_t chunk;
	char sigdef[1024];
};

/* The next chunk of @f as a request body, with its range when partial. */
static int read_chunk(FILE *f, const char *file, char *buf, size_t chunk,
		      uint64_t off, uint64_t size, char *range, size_t rlen,
		      struct upload *up)
{
	size_t n = fread(buf, 1, chunk, f);

	if (ferror(f) || (!n && size)) {
		rupctl_err("ops: publish: %s: read error", file);
		return RUPCTL_EXIT_IO;
	}
	up->data = buf;
	up->len = n;
	up->range = NULL;
	if (n < size) {
		snprintf(range, rlen,
			 "Content-Range: bytes %" PRIu64 "-%" PRIu64
			 "/%" PRIu64,
			 off, off + n - 1, size);
		up->range = range;
	}
	return 0;
}

/* A reply that api.h refuses: exit 11, like one that is not JSON. */
static int check_reply(json_t *reply, bool upload)
{
	struct api_released rd;
	struct api_upload up;
	char err[256];
	int rc = upload ? api_upload_decode(reply, &up, err, sizeof(err)) :
			  api_released_decode(reply, &rd, err, sizeof(err));

	if (rc)
		rupctl_err("ops: %s", err);
	return rc ? RUPCTL_EXIT_UNREACHABLE : 0;
}

/*
 * PUT the payload in requests of at most @chunk bytes (Content-Range when
 * more than one), so no request exceeds the server's max_chunk.
 */
static int upload_payload(const struct ops *o, const char *version,
			  const char *file, size_t chunk)
{
	char path[256], range[128];
	struct upload up = { NULL, 0, NULL };
	uint64_t size, off = 0;
	json_t *reply = NULL;
	struct stat st;
	char *buf = NULL;
	FILE *f;
	int rc = 0;

	f = fopen(file, "rb");
	if (!f || fstat(fileno(f), &st)) {
		rupctl_err("ops: publish: %s: %s", file, strerror(errno));
		if (f)
			fclose(f);
		return RUPCTL_EXIT_IO;
	}
	size = (uint64_t)st.st_size;
	buf = malloc(chunk);
	if (!buf) {
		fclose(f);
		return RUPCTL_EXIT_IO;
	}
	snprintf(path, sizeof(path), "/api/v1/releases/%s/payload", version);
	do {
		rc = read_chunk(f, file, buf, chunk, off, size, range,
				sizeof(range), &up);
		if (rc)
			break;
		rc = ops_request(o, "payload", "PUT", path, NULL, &up, &reply);
		if (!rc)
			rc = check_reply(reply, true);
		json_decref(reply);
		reply = NULL;
		off += up.len;
	} while (!rc && off < size);
	free(buf);
	fclose(f);
	return rc;
}

static void publish_usage(FILE *f)
{
	fprintf(f, "Usage: rupctl ops publish MANIFEST [--sig FILE] "
		   "[--payload FILE] [--chunk BYTES]\n");
}

/* --chunk: how many bytes one request uploads at the most. */
static int opt_chunk(const struct cli_opt *opt, const char *value)
{
	size_t *chunk = opt->target;
	char *end;

	errno = 0;
	*chunk = strtoul(value, &end, 10);
	if (errno || *end || *value == '-' || *chunk < 4096 ||
	    *chunk > (1u << 30))
		return rupctl_bad_value("ops publish", "--chunk", value,
					"4096..1073741824 bytes");
	return 0;
}

/* 0, an exit code, or -1 when help was asked for (and printed). */
static int publish_parse(int argc, char **argv, struct publish_args *a)
{
	const struct cli_opt opts[] = {
		{ "sig", 's', CLI_STR, .target = &a->sig },
		{ "payload", 'P', CLI_STR, .target = &a->payload },
		{ "chunk", 'C', CLI_CALL, .target = &a->chunk,
		  .call = opt_chunk },
		{ NULL },
	};
	int rc;

	a->chunk = 8u << 20;
	rc = rupctl_options_arg(argc, argv, opts, publish_usage,
				"ops: publish: needs one MANIFEST",
				&a->manifest);
	if (rc)
		return rc;
	if (!a->sig) {
		snprintf(a->sigdef, sizeof(a->sigdef), "%s.sig", a->manifest);
		a->sig = a->sigdef;
	}
	return 0;
}

/* The POST body: the manifest's exact bytes (base64 on the wire), the signature. */
static char *publish_body(const char *man, size_t mlen, char *sig)
{
	struct api_release r = {
		.manifest = (uint8_t *)man,
		.manifest_len = mlen,
	};
	char *body;
	json_t *j;

	sig[strcspn(sig, "\r\n")] = 0;
	if (strlen(sig) >= sizeof(r.signature)) {
		rupctl_err("ops: publish: signature too long");
		return NULL;
	}
	memcpy(r.signature, sig, strlen(sig) + 1);
	j = api_release_encode(&r);
	body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return body;
}

static int publish(const struct ops *o, const struct publish_args *a,
		   const char *man, size_t mlen, char *sig)
{
	struct release_manifest *m = calloc(1, sizeof(*m));
	char err[256], *body = NULL;
	json_t *reply = NULL;
	int rc;

	if (!m || release_manifest_parse(man, mlen, m, err, sizeof(err))) {
		rupctl_err("ops: publish: %s: %s", a->manifest,
			   m ? err : "out of memory");
		free(m);
		return RUPCTL_EXIT_IO;
	}
	body = publish_body(man, mlen, sig);
	rc = body ? ops_request(o, "publish", "POST", "/api/v1/releases", body,
				NULL, &reply) :
		    RUPCTL_EXIT_IO;
	if (!rc)
		rc = check_reply(reply, false);
	json_decref(reply);
	free(body);
	if (!rc && a->payload)
		rc = upload_payload(o, m->version, a->payload, a->chunk);
	if (!rc && rupctl_opts.json)
		rupctl_json_print(json_pack("{s:s,s:b}", "version", m->version,
					    "payload", a->payload != NULL));
	else if (!rc)
		printf("release %s published%s\n", m->version,
		       a->payload ? " with its payload" :
				    " (payload not uploaded)");
	free(m);
	return rc;
}

/* Read MANIFEST and its signature, then publish them. */
static int publish_files(const struct ops *o, const struct publish_args *a)
{
	char *man = NULL, *sig = NULL;
	size_t mlen, slen;
	int rc;

	rc = ops_read_file(a->manifest, RELEASE_MANIFEST_MAX, &man, &mlen);
	if (!rc)
		rc = ops_read_file(a->sig, 4096, &sig, &slen);
	if (!rc)
		rc = publish(o, a, man, mlen, sig);
	free(man);
	free(sig);
	return rc;
}

int ops_publish(const struct ops *o, int argc, char **argv)
{
	struct publish_args a = { 0 };
	int rc;

	rc = publish_parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? RUPCTL_EXIT_OK : rc;
	return publish_files(o, &a);
}
