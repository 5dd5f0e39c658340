/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hex and base64 text, bounded and checked, through OpenSSL's own coders
 * (EVP_EncodeBlock/EVP_DecodeBlock, OPENSSL_hexstr2buf_ex). Hex is written
 * in lower case (node ids, keys and tokens are stored that way, docs/API.md)
 * and read in either case. Base64 is RFC 4648 with padding, no line breaks:
 * the manifest, signature and task fields of docs/API.md.
 *
 * Every function returns 0 on success and -1 on bad input or a too small
 * output buffer, prints nothing and leaves the caller to name the field.
 */
#ifndef RUP_HEXB64_H
#define RUP_HEXB64_H

#include <stddef.h>
#include <stdint.h>

/* Text length, without the NUL, of @n bytes. */
#define HEX_LEN(n) (2 * (n))
#define B64_LEN(n) (4 * (((n) + 2) / 3))

/* Lower-case hex of @len bytes; @outsz must be at least HEX_LEN(len) + 1. */
int hex_to_text(const void *in, size_t len, char *out, size_t outsz);

/*
 * The bytes of the hex string @in (an even, non-zero number of digits, no
 * separators or blanks), at most @max of them; *n gets the count.
 */
int hex_from_text(const char *in, void *out, size_t max, size_t *n);

/* Like hex_from_text, but exactly @len bytes (a node id, a key). */
int hex_exact(const char *in, void *out, size_t len);

/* Padded base64 of @len bytes; @outsz at least B64_LEN(len) + 1. */
int b64_to_text(const void *in, size_t len, char *out, size_t outsz);

/*
 * The bytes of the first @inlen characters of @in: non-empty, a multiple of
 * 4 characters from the base64 alphabet, "=" only as the last one or two;
 * at most @max decoded bytes. *n gets the decoded length.
 */
int b64_from_text(const char *in, size_t inlen, void *out, size_t max,
		  size_t *n);

/*
 * b64_from_text into a fresh buffer with a NUL after the last byte (for
 * text such as a manifest); *out is the caller's to free().
 */
int b64_from_text_alloc(const char *in, size_t max, uint8_t **out, size_t *n);

#endif
