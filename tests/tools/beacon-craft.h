/* SPDX-License-Identifier: GPL-2.0 */
/* beacon-craft: what its option parser hands to the builder and sender. */
#ifndef BEACON_CRAFT_H
#define BEACON_CRAFT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/rup.h>
#include <rup/beacon.h>

#define PROG "beacon-craft"
/* Room for --oversize: one byte past the limit. */
#define DGRAM_MAX (RUP_BEACON_MAX + 64)

struct opts {
	struct in_addr group;
	unsigned int port;
	const char *ifname;
	struct in_addr src;
	bool have_src;
	unsigned int ttl;
	struct rup_beacon b;
	bool have_node_id;
	unsigned long random_ids;
	bool have_seq;
	long long seq_offset_sec;
	long long stale_sec;
	uint8_t key[RUP_KEY_LEN];
	bool have_key;
	/* breakages */
	long truncate;
	bool oversize, bad_magic, bad_version, wrong_region, bad_mac;
	bool replay, unknown_tlv, no_version, tlv_overrun;
	unsigned long count;
	unsigned long interval_ms;
	bool dump, list_ids;
	const char *out;
};

/* Parse argv into @o; exits with status 2 and a message on bad input. */
void parse_opts(int argc, char **argv, struct opts *o);
/* Print "beacon-craft: MESSAGE" to stderr and exit 2. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fill_random(void *p, size_t n);

#endif /* BEACON_CRAFT_H */
