/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to release*.c: fill the caller's error buffer and return @rc. */
#ifndef RUP_RELEASE_ERR_H
#define RUP_RELEASE_ERR_H

#include <stdarg.h>
#include <stdio.h>

static inline int rel_err(char *err, size_t errlen, int rc, const char *fmt,
			  ...) __attribute__((format(printf, 4, 5)));

static inline int rel_err(char *err, size_t errlen, int rc, const char *fmt,
			  ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

#endif
