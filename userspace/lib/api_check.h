/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Field checks shared by the API codec (api_wire_*.c): each returns 0, or
 * -1 with @err "NAME: FIELD: why" (NAME the message, api.h API_MSG_*).
 * Internal to the library: programs use api.h.
 */
#ifndef RUP_API_CHECK_H
#define RUP_API_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int api_fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * json_unpack_ex(@j, JSON_STRICT, @fmt, ...): 0, or -1 with @err
 * "NAME: FIELD: unknown field" for the first unknown key, "NAME: FIELD:
 * Expected integer, got string" for a value of the wrong type, else
 * "NAME: " and jansson's text ("Object item not found: FIELD"). @fmt may
 * use only what the codec needs: objects of s, s%, I, b, o values, keys
 * optional with "?".
 */
int api_unpack(const char *name, json_t *j, char *err, size_t errlen,
	       const char *fmt, ...);
/* Copy @len bytes of @s (from "s%") into @out: at most @max, no NUL
 * inside, non-empty when @required.
 */
int api_str(const char *name, const char *field, const char *s, size_t len,
	    char *out, size_t max, bool required, char *err, size_t errlen);
/* @v within [min, max], as "FIELD: V is outside [MIN, MAX]". */
int api_uint(const char *name, const char *field, json_int_t v, uint64_t min,
	     uint64_t max, uint64_t *out, char *err, size_t errlen);
/* api_uint() within [min, UINT32_MAX], into a uint32_t. */
int api_u32(const char *name, const char *field, json_int_t v, uint32_t min,
	    uint32_t *out, char *err, size_t errlen);
/* api_uint() within [min, INT64_MAX], into an int64_t (an id). */
int api_i64(const char *name, const char *field, json_int_t v, int64_t min,
	    int64_t *out, char *err, size_t errlen);
/* Exactly @len hex digits, copied in lower case into @out (len + 1). */
int api_hex(const char *name, const char *field, const char *s, size_t len,
	    char *out, char *err, size_t errlen);
/* JSON null (""), or 64 hex digits: a next key. */
int api_hex32_or_null(const char *name, const char *field, json_t *v, char *out,
		      char *err, size_t errlen);
/* @s as a JSON string, or null when empty. */
json_t *api_string_or_null(const char *s);
/* A JSON array of @n integers, or NULL. */
json_t *api_u32_array(const uint32_t *v, size_t n);
/* A JSON array of the @n strings of a char[][@stride] table, or NULL. */
json_t *api_string_rows(const char *rows, size_t stride, size_t n);
/* A SemVer version into @out (SEMVER_MAX_LEN + 1). */
int api_version(const char *name, const char *field, const char *s, size_t len,
		char *out, char *err, size_t errlen);

/*
 * An array's entries, each decoded by @fn into a calloc()ed item of @size:
 * *@items (a T ** passed as void *) gets the items, *@n counts those that
 * decoded. 0, or -1 with @err; the items then stay for the caller to free.
 */
typedef int api_item_fn(json_t *e, size_t i, void *item, char *err,
			size_t errlen);
int api_items(const char *name, json_t *a, size_t size, api_item_fn *fn,
	      void *items, size_t *n, char *err, size_t errlen);
/* free() an array and empty its pointer and count. */
#define API_FREE_ARRAY(array, count) \
	do {                         \
		free(array);         \
		(array) = NULL;      \
		(count) = 0;         \
	} while (0)

#endif
