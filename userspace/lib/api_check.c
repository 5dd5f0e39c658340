// SPDX-License-Identifier: GPL-2.0
/* Field checks and error texts shared by the API codec. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_check.h"

int api_fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s: ", name);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * The key whose value spec ends at @pos in @fmt (jansson's error position
 * for a wrong type), found by walking @fmt and the arguments alike. NULL
 * when not found.
 */
static const char *key_at(const char *fmt, int pos, va_list *ap)
{
	const char *key = NULL, *p;
	bool want_key = false;
	int end;

	for (p = fmt; *p; p++) {
		switch (*p) {
		case '{':
			want_key = true;
			continue;
		case '}':
		case ' ':
		case ',':
		case ':':
		case '?':
			continue;
		}
		if (want_key) {
			key = va_arg(*ap, const char *);
			want_key = false;
			continue;
		}
		/* A value: jansson points just past its letter ("s" of "s%"). */
		end = (int)(p + 1 - fmt);
		if (*p == 's') {
			(void)va_arg(*ap, const char **);
			if (p[1] == '%') {
				(void)va_arg(*ap, size_t *);
				p++;
			}
		} else if (*p == 'I') {
			(void)va_arg(*ap, json_int_t *);
		} else if (*p == 'b') {
			(void)va_arg(*ap, int *);
		} else if (*p == 'o') {
			(void)va_arg(*ap, json_t **);
		} else {
			return NULL; /* a letter the codec does not use */
		}
		if (end == pos)
			return key;
		want_key = true;
	}
	return NULL;
}

static int unpack_fail(const char *name, const json_error_t *je,
		       const char *fmt, va_list *ap, char *err, size_t errlen)
{
	/* jansson: "N object item(s) left unpacked: KEY, KEY" */
	const char *keys = strstr(je->text, "left unpacked: "), *key;

	if (json_error_code(je) == json_error_end_of_input_expected && keys) {
		keys += strlen("left unpacked: ");
		return api_fail(err, errlen, name, "%.*s: unknown field",
				(int)strcspn(keys, ","), keys);
	}
	if (json_error_code(je) == json_error_wrong_type &&
	    (key = key_at(fmt, je->position, ap)))
		return api_fail(err, errlen, name, "%s: %s", key, je->text);
	return api_fail(err, errlen, name, "%s", je->text);
}

int api_unpack(const char *name, json_t *j, char *err, size_t errlen,
	       const char *fmt, ...)
{
	json_error_t je;
	va_list ap, again;
	int rc;

	va_start(ap, fmt);
	va_copy(again, ap);
	rc = json_vunpack_ex(j, &je, JSON_STRICT, fmt, ap);
	va_end(ap);
	if (rc)
		unpack_fail(name, &je, fmt, &again, err, errlen);
	va_end(again);
	return rc ? -1 : 0;
}

int api_str(const char *name, const char *field, const char *s, size_t len,
	    char *out, size_t max, bool required, char *err, size_t errlen)
{
	if (len > max || strlen(s) != len)
		return api_fail(err, errlen, name,
				"%s: longer than %zu bytes or holds a NUL",
				field, max);
	if (required && !len)
		return api_fail(err, errlen, name, "%s: must not be empty",
				field);
	memcpy(out, s, len + 1);
	return 0;
}

int api_uint(const char *name, const char *field, json_int_t v, uint64_t min,
	     uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	if (v < 0 || (uint64_t)v < min || (uint64_t)v > max)
		return api_fail(err, errlen, name,
				"%s: %" JSON_INTEGER_FORMAT
				" is outside [%" PRIu64 ", %" PRIu64 "]",
				field, v, min, max);
	*out = (uint64_t)v;
	return 0;
}

int api_u32(const char *name, const char *field, json_int_t v, uint32_t min,
	    uint32_t *out, char *err, size_t errlen)
{
	uint64_t u = 0;

	if (api_uint(name, field, v, min, UINT32_MAX, &u, err, errlen))
		return -1;
	*out = (uint32_t)u;
	return 0;
}

int api_i64(const char *name, const char *field, json_int_t v, int64_t min,
	    int64_t *out, char *err, size_t errlen)
{
	uint64_t u = 0;

	if (api_uint(name, field, v, (uint64_t)min, INT64_MAX, &u, err, errlen))
		return -1;
	*out = (int64_t)u;
	return 0;
}

int api_items(const char *name, json_t *a, size_t size, api_item_fn *fn,
	      void *items, size_t *n, char *err, size_t errlen)
{
	size_t i, len = json_array_size(a);
	char *p;

	if (!len)
		return 0;
	p = calloc(len, size);
	if (!p)
		return api_fail(err, errlen, name, "out of memory");
	memcpy(items, &p, sizeof(p));
	for (i = 0; i < len; i++) {
		if (fn(json_array_get(a, i), i, p + i * size, err, errlen))
			return -1;
		(*n)++;
	}
	return 0;
}

int api_hex(const char *name, const char *field, const char *s, size_t len,
	    char *out, char *err, size_t errlen)
{
	size_t i;

	if (strlen(s) != len || strspn(s, "0123456789abcdefABCDEF") != len)
		return api_fail(err, errlen, name, "%s: must be %zu hex digits",
				field, len);
	for (i = 0; i <= len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	return 0;
}

int api_hex32_or_null(const char *name, const char *field, json_t *v, char *out,
		      char *err, size_t errlen)
{
	out[0] = '\0';
	if (json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return api_fail(err, errlen, name,
				"%s: must be 64 hex digits or null", field);
	return api_hex(name, field, json_string_value(v), API_HEX32_LEN, out,
		       err, errlen);
}

json_t *api_string_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

json_t *api_u32_array(const uint32_t *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

json_t *api_string_rows(const char *rows, size_t stride, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(rows + i * stride));
	return a;
}

int api_version(const char *name, const char *field, const char *s, size_t len,
		char *out, char *err, size_t errlen)
{
	struct semver v;
	char why[160];

	if (api_str(name, field, s, len, out, SEMVER_MAX_LEN, true, err,
		    errlen))
		return -1;
	if (semver_parse(out, &v, why, sizeof(why)))
		return api_fail(err, errlen, name, "%s", why);
	return 0;
}
