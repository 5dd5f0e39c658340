/* SPDX-License-Identifier: GPL-2.0 */
/* Bounded, checked reads of request JSON fields; errors name the field. */
#ifndef RUP_OPSD_JFIELD_H
#define RUP_OPSD_JFIELD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Required string of 1..max bytes copied into @out (max + 1 bytes). */
int jf_str(json_t *o, const char *name, char *out, size_t max, char *err,
	   size_t errlen);
/* Optional string: absent leaves @out "" and returns 0. */
int jf_str_opt(json_t *o, const char *name, char *out, size_t max, char *err,
	       size_t errlen);
/* Required integer in [min, max]. */
int jf_uint(json_t *o, const char *name, uint64_t min, uint64_t max,
	    uint64_t *out, char *err, size_t errlen);
/* Optional integer: absent gives @def. */
int jf_uint_opt(json_t *o, const char *name, uint64_t min, uint64_t max,
		uint64_t def, uint64_t *out, char *err, size_t errlen);
/* Reject any key not in the NULL-terminated @allowed list. */
int jf_only(json_t *o, const char *const *allowed, char *err, size_t errlen);

#endif
