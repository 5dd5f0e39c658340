// SPDX-License-Identifier: GPL-2.0
/*
 * regload: load generator for rup-opsd over HTTPS (libcurl multi, one
 * thread, connections kept alive and reused).
 *
 *   regload register URL CA TOKEN COUNT CONC OUT
 *       COUNT new nodes register, CONC requests in flight at a time; prints
 *       registrations/s and request latency p50/p99; writes
 *       "node_id region_id node_token" lines to OUT.
 *   regload longpoll URL CA NODES COUNT HOLD_S
 *       the first COUNT nodes of NODES (from register) each claim RVS of
 *       their region at term 1 and hold GET /api/v1/tasks?wait=...; after
 *       HOLD_S seconds prints how many answered with which status and how
 *       many were still held.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <curl/curl.h>

#include "bench-common.h"

struct xfer {
	CURL *e;
	struct curl_slist *hdr;
	char body[512], resp[2048];
	size_t rlen;
	char id[33];
	uint64_t t0;
};

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = sz * n, room = sizeof(x->resp) - 1 - x->rlen;

	memcpy(x->resp + x->rlen, p, len < room ? len : room);
	x->rlen += len < room ? len : room;
	x->resp[x->rlen] = '\0';
	return len;
}

static CURL *easy(const char *ca, struct xfer *x)
{
	CURL *e = curl_easy_init();

	if (!e)
		bench_die("curl_easy_init failed");
	curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 600L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	return e;
}

/* Pulls a JSON string or number member out of a small, trusted reply. */
static bool member(const char *json, const char *name, char *out, size_t len)
{
	char pat[64];
	const char *p;
	size_t i = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", name);
	p = strstr(json, pat);
	if (!p)
		return false;
	p += strlen(pat);
	while (*p == ' ' || *p == '"')
		p++;
	while (*p && *p != '"' && *p != ',' && *p != '}' && i + 1 < len)
		out[i++] = *p++;
	out[i] = '\0';
	return i > 0;
}

static void start_register(CURLM *m, struct xfer *x, const char *url,
			   const uint8_t salt[8], unsigned long i)
{
	snprintf(x->id, sizeof(x->id), "%02x%02x%02x%02x%02x%02x%02x%02x%016lx",
		 salt[0], salt[1], salt[2], salt[3], salt[4], salt[5], salt[6],
		 salt[7], i);
	snprintf(
		x->body, sizeof(x->body),
		"{\"node_id\":\"%s\",\"score\":%lu,\"version\":\"1.0.0\",\"addresses\":[\"10.1.%lu.%lu\"]}",
		x->id, (i * 2654435761ul) % 1000000, (i >> 8) & 255, i & 255);
	x->rlen = 0;
	x->t0 = bench_now_ns();
	curl_easy_setopt(x->e, CURLOPT_URL, url);
	curl_easy_setopt(x->e, CURLOPT_HTTPHEADER, x->hdr);
	curl_easy_setopt(x->e, CURLOPT_POSTFIELDS, x->body);
	curl_multi_add_handle(m, x->e);
}

static int do_register(char **a)
{
	const char *base = a[0], *ca = a[1], *token = a[2];
	unsigned long count = bench_parse_u("COUNT", a[3], 10000000);
	unsigned long conc = bench_parse_u("CONC", a[4], 4096);
	FILE *out = fopen(a[5], "w");
	unsigned long started = 0, done = 0, failed = 0, i;
	char url[512], auth[512];
	uint64_t t0, t1, *lat;
	struct xfer *xs;
	uint8_t salt[8];
	CURLM *m;

	if (!out)
		bench_die("%s: %m", a[5]);
	if (!conc || !count)
		bench_die("COUNT and CONC must be at least 1");
	if (getrandom(salt, sizeof(salt), 0) != sizeof(salt))
		bench_die("getrandom failed");
	snprintf(url, sizeof(url), "%s/api/v1/register", base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	xs = calloc(conc, sizeof(*xs));
	lat = malloc(count * sizeof(*lat));
	if (!xs || !lat)
		bench_die("out of memory");
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)conc);
	for (i = 0; i < conc; i++) {
		xs[i].e = easy(ca, &xs[i]);
		xs[i].hdr = curl_slist_append(NULL, auth);
		xs[i].hdr = curl_slist_append(xs[i].hdr,
					      "Content-Type: application/json");
	}
	t0 = bench_now_ns();
	for (i = 0; i < conc && started < count; i++)
		start_register(m, &xs[i], url, salt, started++);
	while (done < count) {
		struct CURLMsg *msg;
		int running, left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			struct xfer *x;
			long code = 0;
			char region[16];

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  (char **)&x);
			curl_easy_getinfo(msg->easy_handle,
					  CURLINFO_RESPONSE_CODE, &code);
			curl_multi_remove_handle(m, x->e);
			lat[done++] = bench_now_ns() - x->t0;
			if (msg->data.result != CURLE_OK || code != 201 ||
			    !member(x->resp, "region_id", region,
				    sizeof(region))) {
				if (failed++ < 3)
					fprintf(stderr,
						"regload: register %s: %s, HTTP %ld: %s\n",
						x->id,
						curl_easy_strerror(
							msg->data.result),
						code, x->resp);
			} else {
				char tok[80];

				if (member(x->resp, "node_token", tok,
					   sizeof(tok)))
					fprintf(out, "%s %s %s\n", x->id,
						region, tok);
			}
			if (started < count)
				start_register(m, x, url, salt, started++);
		}
		if (done < count)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	t1 = bench_now_ns();
	printf("registered %lu failed %lu conc %lu seconds %.3f rate %.1f lat_p50_ms %.2f lat_p99_ms %.2f\n",
	       count - failed, failed, conc, (double)(t1 - t0) / 1e9,
	       (double)(count - failed) * 1e9 / (double)(t1 - t0),
	       (double)bench_percentile(lat, count, 50) / 1e6,
	       (double)bench_percentile(lat, count, 99) / 1e6);
	for (i = 0; i < conc; i++) {
		curl_easy_cleanup(xs[i].e);
		curl_slist_free_all(xs[i].hdr);
	}
	curl_multi_cleanup(m);
	fclose(out);
	free(xs);
	free(lat);
	return failed ? 1 : 0;
}

static int do_longpoll(char **a)
{
	const char *base = a[0], *ca = a[1];
	FILE *in = fopen(a[2], "r");
	unsigned long count = bench_parse_u("COUNT", a[3], 1000000);
	uint64_t hold = bench_parse_u("HOLD_S", a[4], 3600), end;
	unsigned long n = 0, codes[6] = { 0 }, errors = 0, done = 0;
	struct xfer *xs;
	CURLM *m;

	if (!in)
		bench_die("%s: %m", a[2]);
	xs = calloc(count ? count : 1, sizeof(*xs));
	if (!xs)
		bench_die("out of memory");
	m = curl_multi_init();
	/* One connection per poll: they are held, never reused meanwhile. */
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
	while (n < count) {
		char id[64], region[16], tok[80], url[512], h[160];
		struct xfer *x = &xs[n];

		if (fscanf(in, "%63s %15s %79s", id, region, tok) != 3)
			break;
		x->e = easy(ca, x);
		snprintf(h, sizeof(h), "Authorization: Bearer %s", tok);
		x->hdr = curl_slist_append(NULL, h);
		snprintf(h, sizeof(h), "X-Rup-Node: %s", id);
		x->hdr = curl_slist_append(x->hdr, h);
		snprintf(url, sizeof(url),
			 "%s/api/v1/tasks?region=%s&term=1&wait=3600", base,
			 region);
		curl_easy_setopt(x->e, CURLOPT_URL, url);
		curl_easy_setopt(x->e, CURLOPT_HTTPHEADER, x->hdr);
		curl_easy_setopt(x->e, CURLOPT_FORBID_REUSE, 1L);
		curl_multi_add_handle(m, x->e);
		n++;
	}
	fclose(in);
	if (n < count)
		bench_die("%s: only %lu nodes, %lu wanted", a[2], n, count);
	printf("polling %lu\n", n);
	fflush(stdout);
	end = bench_now_ns() + hold * 1000000000ull;
	while (bench_now_ns() < end && done < n) {
		struct CURLMsg *msg;
		int running, left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			long code = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			done++;
			curl_easy_getinfo(msg->easy_handle,
					  CURLINFO_RESPONSE_CODE, &code);
			if (msg->data.result != CURLE_OK)
				errors++;
			else if (code >= 100 && code < 600)
				codes[code / 100]++;
			if (code == 503 || code / 100 == 4)
				codes[0]++;
		}
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	printf("held %lu answered_2xx %lu answered_4xx %lu answered_5xx %lu errors %lu\n",
	       n - done, codes[2], codes[4], codes[5], errors);
	fflush(stdout);
	for (unsigned long i = 0; i < n; i++) {
		curl_multi_remove_handle(m, xs[i].e);
		curl_easy_cleanup(xs[i].e);
		curl_slist_free_all(xs[i].hdr);
	}
	curl_multi_cleanup(m);
	free(xs);
	return 0;
}

int main(int argc, char **argv)
{
	int r;

	bench_prog = "regload";
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc == 8 && !strcmp(argv[1], "register"))
		r = do_register(argv + 2);
	else if (argc == 7 && !strcmp(argv[1], "longpoll"))
		r = do_longpoll(argv + 2);
	else {
		fprintf(stderr,
			"usage: regload register URL CA TOKEN COUNT CONC OUT\n"
			"       regload longpoll URL CA NODES COUNT HOLD_S\n");
		r = 2;
	}
	curl_global_cleanup();
	return r;
}
