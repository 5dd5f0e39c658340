// SPDX-License-Identifier: GPL-2.0
/* Bounded, checked reads of request JSON fields. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "jfield.h"

int jf_str_opt(json_t *o, const char *name, char *out, size_t max, char *err,
	       size_t errlen)
{
	json_t *v = json_object_get(o, name);
	size_t n;

	out[0] = 0;
	if (!v)
		return 0;
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s: must be a string", name);
		return -1;
	}
	n = json_string_length(v);
	if (n > max || strlen(json_string_value(v)) != n) {
		snprintf(err, errlen,
			 "%s: longer than %zu bytes or holds a NUL", name, max);
		return -1;
	}
	memcpy(out, json_string_value(v), n + 1);
	return 0;
}

int jf_str(json_t *o, const char *name, char *out, size_t max, char *err,
	   size_t errlen)
{
	if (!json_object_get(o, name)) {
		snprintf(err, errlen, "%s: missing", name);
		return -1;
	}
	if (jf_str_opt(o, name, out, max, err, errlen))
		return -1;
	if (!out[0]) {
		snprintf(err, errlen, "%s: must not be empty", name);
		return -1;
	}
	return 0;
}

int jf_uint_opt(json_t *o, const char *name, uint64_t min, uint64_t max,
		uint64_t def, uint64_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, name);
	json_int_t x;

	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "%s: must be an integer", name);
		return -1;
	}
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x < min || (uint64_t)x > max) {
		snprintf(err, errlen,
			 "%s: %" JSON_INTEGER_FORMAT " is outside [%" PRIu64
			 ", %" PRIu64 "]",
			 name, x, min, max);
		return -1;
	}
	*out = (uint64_t)x;
	return 0;
}

int jf_uint(json_t *o, const char *name, uint64_t min, uint64_t max,
	    uint64_t *out, char *err, size_t errlen)
{
	if (!json_object_get(o, name)) {
		snprintf(err, errlen, "%s: missing", name);
		return -1;
	}
	return jf_uint_opt(o, name, min, max, 0, out, err, errlen);
}

int jf_only(json_t *o, const char *const *allowed, char *err, size_t errlen)
{
	const char *const *a;
	const char *k;
	void *it;

	for (it = json_object_iter(o); it; it = json_object_iter_next(o, it)) {
		k = json_object_iter_key(it);
		for (a = allowed; *a; a++)
			if (!strcmp(*a, k))
				break;
		if (!*a) {
			snprintf(err, errlen, "%s: unknown field", k);
			return -1;
		}
	}
	return 0;
}
