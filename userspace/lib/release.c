// SPDX-License-Identifier: GPL-2.0
/* Release manifests: strict JSON parsing, canonical output, rollback check. */
#include "release.h"
#include "release_err.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *release_reason(int rc)
{
	switch (rc) {
	case 0:
		return "ok";
	case -EINVAL:
	case -E2BIG:
		return "malformed_manifest";
	case -ENOKEY:
		return "no_trusted_keys";
	case -EKEYREJECTED:
		return "bad_signature";
	case -EBADMSG:
		return "hash_mismatch";
	case -EFBIG:
		return "size_exceeded";
	case -ENODATA:
		return "size_short";
	case -ESTALE:
		return "downgrade";
	case -EALREADY:
		return "already_installed";
	default:
		return "io_error";
	}
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int release_check_rfc3339(const char *s)
{
	size_t len = strnlen(s, RELEASE_CREATED_MAX + 1);
	const char *p;

	/* 2026-11-25T14:16:53 then [.frac] then Z or +hh:mm / -hh:mm */
	if (len > RELEASE_CREATED_MAX || len < 20)
		return -EINVAL;
	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || s[10] != 'T' || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return -EINVAL;
	if (num(s + 5, 2) < 1 || num(s + 5, 2) > 12 || num(s + 8, 2) < 1 ||
	    num(s + 8, 2) > 31 || num(s + 11, 2) > 23 || num(s + 14, 2) > 59 ||
	    num(s + 17, 2) > 60)
		return -EINVAL;
	p = s + 19;
	if (*p == '.') {
		if (!digits(++p, 1))
			return -EINVAL;
		while (digits(p, 1))
			p++;
	}
	if (!strcmp(p, "Z"))
		return 0;
	if ((*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' &&
	    digits(p + 4, 2) && !p[6] && num(p + 1, 2) <= 23 &&
	    num(p + 4, 2) <= 59)
		return 0;
	return -EINVAL;
}

/* Printable text: no control characters except newline and tab. */
static bool text_ok(const char *s, bool allow_nl)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && !(allow_nl && (c == '\n' || c == '\t'))) ||
		    c == 0x7f)
			return false;
	}
	return true;
}

/* Names become file names in package stores: a safe, short alphabet. */
static bool name_ok(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		      *s == '-' || *s == '+'))
			return false;
	return true;
}

static int hex_decode(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++) {
		char c = hex[i];
		int v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return -EINVAL; /* lowercase only: one spelling per hash */
		if (i % 2)
			out[i / 2] |= (uint8_t)v;
		else
			out[i / 2] = (uint8_t)(v << 4);
	}
	return hex[2 * n] ? -EINVAL : 0;
}

/* Copy a JSON string field of at most @max bytes into @dst. */
static int get_str(json_t *v, const char *key, char *dst, size_t max, char *err,
		   size_t errlen)
{
	const char *s;

	if (!json_is_string(v))
		return rel_err(err, errlen, -EINVAL,
			       "manifest: \"%s\" must be a string", key);
	s = json_string_value(v);
	if (json_string_length(v) > max)
		return rel_err(err, errlen, -EINVAL,
			       "manifest: \"%s\" is longer than %zu bytes", key,
			       max);
	memcpy(dst, s, json_string_length(v) + 1);
	return 0;
}

enum {
	F_FORMAT,
	F_NAME,
	F_VERSION,
	F_RANGE,
	F_SUMMARY,
	F_SHA256,
	F_SIZE,
	F_CREATED,
	F_ARGS,
	F_COUNT
};
static const char *const field_names[F_COUNT] = {
	"format", "name", "version", "range",	     "summary",
	"sha256", "size", "created", "install_args",
};

static int parse_args(json_t *v, struct release_manifest *m, char *err,
		      size_t errlen)
{
	size_t i;
	json_t *a;

	if (!json_is_array(v))
		return rel_err(
			err, errlen, -EINVAL,
			"manifest: \"install_args\" must be an array of strings");
	if (json_array_size(v) > RELEASE_ARGS_MAX)
		return rel_err(
			err, errlen, -EINVAL,
			"manifest: \"install_args\" has more than %d entries",
			RELEASE_ARGS_MAX);
	json_array_foreach(v, i, a)
	{
		int rc = get_str(a, "install_args", m->args[i], RELEASE_ARG_MAX,
				 err, errlen);

		if (rc)
			return rc;
		if (!text_ok(m->args[i], false))
			return rel_err(
				err, errlen, -EINVAL,
				"manifest: install_args[%zu] has control characters",
				i);
	}
	m->n_args = (unsigned int)json_array_size(v);
	return 0;
}

static int parse_field(int f, json_t *v, struct release_manifest *m, char *err,
		       size_t errlen)
{
	char sub[200];
	int rc = 0;

	switch (f) {
	case F_FORMAT:
		if (!json_is_integer(v) ||
		    json_integer_value(v) != RELEASE_FORMAT)
			return rel_err(err, errlen, -EINVAL,
				       "manifest: \"format\" must be %d",
				       RELEASE_FORMAT);
		m->format = RELEASE_FORMAT;
		return 0;
	case F_NAME:
		rc = get_str(v, "name", m->name, RELEASE_NAME_MAX, err, errlen);
		if (!rc && !name_ok(m->name))
			rc = rel_err(
				err, errlen, -EINVAL,
				"manifest: \"name\" must be letters, digits and ._+-, "
				"not starting with . or -");
		return rc;
	case F_VERSION:
		rc = get_str(v, "version", m->version, SEMVER_MAX_LEN, err,
			     errlen);
		if (!rc && semver_parse(m->version, &m->ver, sub, sizeof(sub)))
			rc = rel_err(err, errlen, -EINVAL, "manifest: %s", sub);
		return rc;
	case F_RANGE:
		rc = get_str(v, "range", m->range, RANGE_MAX_LEN, err, errlen);
		if (!rc && range_parse(m->range, &m->rng, sub, sizeof(sub)))
			rc = rel_err(err, errlen, -EINVAL, "manifest: %s", sub);
		return rc;
	case F_SUMMARY:
		rc = get_str(v, "summary", m->summary, RELEASE_SUMMARY_MAX, err,
			     errlen);
		if (!rc && !text_ok(m->summary, true))
			rc = rel_err(
				err, errlen, -EINVAL,
				"manifest: \"summary\" has control characters");
		return rc;
	case F_SHA256:
		rc = get_str(v, "sha256", m->sha256_hex, 2 * RELEASE_SHA256_LEN,
			     err, errlen);
		if (!rc &&
		    (strlen(m->sha256_hex) != 2 * RELEASE_SHA256_LEN ||
		     hex_decode(m->sha256_hex, m->sha256, RELEASE_SHA256_LEN)))
			rc = rel_err(
				err, errlen, -EINVAL,
				"manifest: \"sha256\" must be 64 lowercase hex digits");
		return rc;
	case F_SIZE:
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    (uint64_t)json_integer_value(v) > RELEASE_SIZE_MAX)
			return rel_err(
				err, errlen, -EINVAL,
				"manifest: \"size\" must be an integer from 1 to %llu",
				(unsigned long long)RELEASE_SIZE_MAX);
		m->size = (uint64_t)json_integer_value(v);
		return 0;
	case F_CREATED:
		rc = get_str(v, "created", m->created, RELEASE_CREATED_MAX, err,
			     errlen);
		if (!rc && release_check_rfc3339(m->created))
			rc = rel_err(
				err, errlen, -EINVAL,
				"manifest: \"created\" is not an RFC 3339 time: \"%s\"",
				m->created);
		return rc;
	case F_ARGS:
		return parse_args(v, m, err, errlen);
	}
	return -EINVAL;
}

int release_manifest_parse(const void *buf, size_t len,
			   struct release_manifest *m, char *err, size_t errlen)
{
	bool seen[F_COUNT] = { false };
	json_error_t jerr;
	const char *key;
	json_t *root, *v;
	int rc = 0;

	if (len > RELEASE_MANIFEST_MAX)
		return rel_err(err, errlen, -E2BIG,
			       "manifest: larger than %d bytes",
			       RELEASE_MANIFEST_MAX);
	memset(m, 0, sizeof(*m));
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return rel_err(err, errlen, -EINVAL, "manifest: line %d: %s",
			       jerr.line, jerr.text);
	if (!json_is_object(root)) {
		rc = rel_err(err, errlen, -EINVAL,
			     "manifest: not a JSON object");
		goto out;
	}
	json_object_foreach(root, key, v)
	{
		int f;

		for (f = 0; f < F_COUNT; f++)
			if (!strcmp(key, field_names[f]))
				break;
		if (f == F_COUNT) {
			rc = rel_err(err, errlen, -EINVAL,
				     "manifest: unknown field \"%.64s\"", key);
			goto out;
		}
		rc = parse_field(f, v, m, err, errlen);
		if (rc)
			goto out;
		seen[f] = true;
	}
	for (int f = 0; f < F_ARGS; f++) {
		if (!seen[f]) {
			rc = rel_err(err, errlen, -EINVAL,
				     "manifest: missing field \"%s\"",
				     field_names[f]);
			goto out;
		}
	}
out:
	json_decref(root);
	return rc;
}

char *release_manifest_dump(const struct release_manifest *m, size_t *len,
			    char *err, size_t errlen)
{
	json_t *root, *args = NULL;
	char *text = NULL, *out = NULL;

	root = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "format",
			 RELEASE_FORMAT, "name", m->name, "version", m->version,
			 "range", m->range, "summary", m->summary, "sha256",
			 m->sha256_hex, "size", (json_int_t)m->size, "created",
			 m->created);
	if (!root) {
		rel_err(err, errlen, -EINVAL,
			"manifest: cannot build JSON (bad UTF-8?)");
		return NULL;
	}
	if (m->n_args) {
		args = json_array();
		/* set_new takes the reference even when it fails. */
		if (json_object_set_new(root, "install_args", args))
			goto fail;
		for (unsigned int i = 0; i < m->n_args; i++)
			if (json_array_append_new(args,
						  json_string(m->args[i])))
				goto fail;
	}
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		goto fail;
	*len = strlen(text) + 1;
	out = malloc(*len + 1);
	if (!out)
		goto fail;
	memcpy(out, text, *len - 1);
	out[*len - 1] = '\n';
	out[*len] = '\0';
	free(text);
	json_decref(root);
	return out;
fail:
	free(text);
	json_decref(root);
	rel_err(err, errlen, -ENOMEM, "manifest: cannot build JSON");
	return NULL;
}

int release_check_rollback(const struct semver *release,
			   const struct semver *highest, char *err,
			   size_t errlen)
{
	char rbuf[SEMVER_MAX_LEN + 1], hbuf[SEMVER_MAX_LEN + 1];
	int c;

	if (!highest)
		return 0;
	c = semver_cmp(release, highest);
	if (c > 0)
		return 0;
	semver_format(release, rbuf, sizeof(rbuf));
	semver_format(highest, hbuf, sizeof(hbuf));
	if (c == 0)
		return rel_err(err, errlen, -EALREADY,
			       "release %s: already installed", rbuf);
	return rel_err(
		err, errlen, -ESTALE,
		"release %s: lower than %s, the highest version installed "
		"(rollback refused)",
		rbuf, hbuf);
}
