// SPDX-License-Identifier: GPL-2.0
/* The address the package service listens on: the region interface's. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pkgsrv.h"

/* The first IPv4 address of @ifname (the one the kernel beacons from). */
static int iface_addr(const char *ifname, struct in_addr *out, char *err,
		      size_t errlen)
{
	struct ifaddrs *ifa, *i;
	int found = 0;

	if (getifaddrs(&ifa)) {
		snprintf(err, errlen, "package service: interfaces: %s",
			 strerror(errno));
		return -1;
	}
	for (i = ifa; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    strcmp(i->ifa_name, ifname))
			continue;
		*out = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		found = 1;
	}
	freeifaddrs(ifa);
	if (!found) {
		snprintf(err, errlen,
			 "package service: interface %s has no IPv4 address",
			 ifname);
		return -1;
	}
	return 0;
}

/* No interface named: the source address the route to @group picks. */
static int route_addr(struct in_addr group, struct in_addr *out, char *err,
		      size_t errlen)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_addr = group,
				  .sin_port = htons(9) };
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	char g[INET_ADDRSTRLEN];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;

	if (fd >= 0 && !connect(fd, (struct sockaddr *)&to, sizeof(to)) &&
	    !getsockname(fd, (struct sockaddr *)&me, &len)) {
		*out = me.sin_addr;
		rc = 0;
	} else {
		snprintf(err, errlen,
			 "package service: no address routes to the region's "
			 "group %s: %s",
			 inet_ntop(AF_INET, &group, g, sizeof(g)),
			 strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

int pkgsrv_region_addr(const char *ifname, struct in_addr group,
		       struct in_addr *out, char *err, size_t errlen)
{
	if (ifname && ifname[0])
		return iface_addr(ifname, out, err, errlen);
	return route_addr(group, out, err, errlen);
}
