// SPDX-License-Identifier: GPL-2.0
/*
 * pkgsrv-run: the agent's package service alone, for host tests on
 * loopback (the agent itself needs the kernel module). The region's peer
 * table is the -m addresses.
 *
 *   pkgsrv-run -i IFACE -p PORT -s STORE [-m ADDR]... [-c MAX_CONNS]
 *              [-I MAX_PER_IP] [-t REQUEST_TIMEOUT_S] [-o 0|1]
 */
#include <arpa/inet.h>
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../userspace/agent/log.h"
#include "../../userspace/agent/pkgsrv.h"

#define MAX_MEMBERS 64

struct members {
	struct in_addr a[MAX_MEMBERS];
	size_t n;
};

static bool is_member(void *arg, struct in_addr ip)
{
	const struct members *m = arg;

	for (size_t i = 0; i < m->n; i++)
		if (m->a[i].s_addr == ip.s_addr)
			return true;
	return false;
}

static void on_term(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	event_base_loopbreak(arg);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: pkgsrv-run -i IFACE -p PORT -s STORE [-m ADDR]... "
		"[-c N] [-I N] [-t S] [-o 0|1]\n");
	return 2;
}

static int parse(int argc, char **argv, struct pkgsrv_opts *o,
		 struct members *m, const char **ifname)
{
	int c;

	while ((c = getopt(argc, argv, "i:p:s:m:c:I:t:o:")) != -1) {
		switch (c) {
		case 'i':
			*ifname = optarg;
			break;
		case 'p':
			o->port = (uint16_t)atoi(optarg);
			break;
		case 's':
			o->store = optarg;
			break;
		case 'm':
			if (m->n == MAX_MEMBERS ||
			    inet_pton(AF_INET, optarg, &m->a[m->n++]) != 1)
				return -1;
			break;
		case 'c':
			o->lim.max_conns = (unsigned int)atoi(optarg);
			break;
		case 'I':
			o->lim.max_per_ip = (unsigned int)atoi(optarg);
			break;
		case 't':
			o->lim.request_timeout_s = (unsigned int)atoi(optarg);
			break;
		case 'o':
			o->lim.members_only = atoi(optarg) != 0;
			break;
		default:
			return -1;
		}
	}
	return *ifname && o->port && o->store ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct pkgsrv_opts o = { .lim = { .max_conns = 64,
					  .max_per_ip = 4,
					  .request_timeout_s = 10,
					  .members_only = true } };
	struct members m = { .n = 0 };
	const char *ifname = NULL;
	struct event_base *base;
	struct event *term;
	struct pkgsrv *s;
	struct in_addr none = { 0 };
	char err[256];

	if (parse(argc, argv, &o, &m, &ifname))
		return usage();
	o.is_member = is_member;
	o.arg = &m;
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	term = evsignal_new(base, SIGTERM, on_term, base);
	if (!base || !term || event_add(term, NULL))
		return 1;
	if (pkgsrv_region_addr(ifname, none, &o.addr, err, sizeof(err)) ||
	    !(s = pkgsrv_start(base, &o, err, sizeof(err)))) {
		aerr("%s", err);
		return 1;
	}
	ainfo("package service on %s port %u", inet_ntoa(o.addr), o.port);
	event_base_dispatch(base);
	pkgsrv_stop(s);
	event_free(term);
	event_base_free(base);
	return 0;
}
