/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded parsers for command-line values. They return 0 or -1 and print
 * nothing; the caller reports the bad value with its context.
 */
#ifndef RUPCTL_PARSE_H
#define RUPCTL_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* C literal (decimal, 0x hex or 0 octal) at most @max: the CLI's numbers. */
int parse_u64(const char *s, uint64_t max, uint64_t *out);
int parse_u32(const char *s, uint32_t max, uint32_t *out);
int parse_u16(const char *s, uint16_t *out);
/* Milliseconds: "250", "250ms" or "3s". */
int parse_ms(const char *s, uint32_t *out);
/* Even number of hex digits, at most @max bytes; *len gets the byte count. */
int parse_hex(const char *s, uint8_t *out, size_t max, size_t *len);
/* A file holding hex digits (surrounding white space ignored). On failure
 * @err says why ("PATH: file too long").
 */
int read_hex_file(const char *path, uint8_t *out, size_t max, size_t *len,
		  char *err, size_t errlen);
int parse_ipv4(const char *s, struct in_addr *out);
/* Lower-case hex of @len bytes into @out (2 * len + 1 bytes). */
void hex_encode(const uint8_t *in, size_t len, char *out);

/*
 * Strict decimal within @min..@max: digits only (no sign, blank, "0x" or
 * octal), as config files, query strings and plan files hold them. Return
 * 0, -EINVAL when not a number, -ERANGE when outside the bounds (so the
 * caller can say which). The _n forms read exactly @len characters of @s
 * (a token inside a line, no NUL needed).
 */
int parse_dec_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_dec_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_dec_u64n(const char *s, size_t len, uint64_t min, uint64_t max,
		   uint64_t *out);
int parse_dec_u32n(const char *s, size_t len, uint32_t min, uint32_t max,
		   uint32_t *out);

/* Copy @s into @dst of @len bytes; -1 (nothing copied) when it does not fit. */
int str_copy(char *dst, size_t len, const char *s);

#endif
