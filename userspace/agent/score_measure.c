// SPDX-License-Identifier: GPL-2.0
/* Measurements for the composite score: /proc, statvfs, ethtool, rtnetlink. */
#include "score_measure.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

int score_read_meminfo(const char *path, uint64_t *avail_kb)
{
	FILE *f = fopen(path ? path : "/proc/meminfo", "re");
	char line[256];
	int rc = -ENODATA;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long kb;

		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			*avail_kb = kb;
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

int score_read_loadavg(const char *path, double *load1)
{
	FILE *f = fopen(path ? path : "/proc/loadavg", "re");
	double v;
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%lf", &v);
	fclose(f);
	if (n != 1 || !(v >= 0))
		return -ENODATA;
	*load1 = v;
	return 0;
}

int score_read_cpus(uint32_t *cpus)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return -ENODATA;
	*cpus = (uint32_t)n;
	return 0;
}

int score_read_disk(const char *dir, uint64_t *free_bytes)
{
	struct statvfs st;

	if (statvfs(dir, &st))
		return -errno;
	*free_bytes = (uint64_t)st.f_bavail * st.f_frsize;
	return 0;
}

int score_read_speed(const char *ifname, int64_t *mbps)
{
	struct {
		struct ethtool_link_settings req;
		uint32_t masks[3 *
			       127]; /* the most nwords the kernel may ask for */
	} ecmd;
	struct ifreq ifr;
	int fd, rc = 0;

	if (strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_data = (void *)&ecmd;
	/* Handshake: the first call answers with -nwords of its masks. */
	memset(&ecmd, 0, sizeof(ecmd));
	ecmd.req.cmd = ETHTOOL_GLINKSETTINGS;
	if (ioctl(fd, SIOCETHTOOL, &ifr)) {
		rc = errno == EOPNOTSUPP ? 0 : -errno;
		*mbps = -1; /* no ethtool: speed unknown */
		goto out;
	}
	if (ecmd.req.link_mode_masks_nwords >= 0 ||
	    -ecmd.req.link_mode_masks_nwords > 127) {
		*mbps = -1;
		goto out;
	}
	ecmd.req.link_mode_masks_nwords =
		(int8_t)-ecmd.req.link_mode_masks_nwords;
	ecmd.req.cmd = ETHTOOL_GLINKSETTINGS;
	if (ioctl(fd, SIOCETHTOOL, &ifr)) {
		rc = -errno;
		goto out;
	}
	*mbps = ecmd.req.speed == 0 ||
				ecmd.req.speed == (uint32_t)SPEED_UNKNOWN ?
			-1 :
			(int64_t)ecmd.req.speed;
out:
	close(fd);
	return rc;
}

int score_read_link(const char *ifname, struct score_link_info *info)
{
	struct rtnl_link *link = NULL;
	struct nl_sock *sk;
	int rc;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (!rc)
		rc = rtnl_link_get_kernel(sk, 0, ifname, &link);
	if (rc) {
		rc = rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV ? -ENODEV :
								   -EIO;
		goto out;
	}
	info->ifindex = rtnl_link_get_ifindex(link);
	info->up = (rtnl_link_get_flags(link) & IFF_UP) &&
		   rtnl_link_get_carrier(link);
	info->packets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS) +
			rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS);
	info->bad = rtnl_link_get_stat(link, RTNL_LINK_RX_ERRORS) +
		    rtnl_link_get_stat(link, RTNL_LINK_TX_ERRORS) +
		    rtnl_link_get_stat(link, RTNL_LINK_RX_DROPPED) +
		    rtnl_link_get_stat(link, RTNL_LINK_TX_DROPPED);
	rtnl_link_put(link);
out:
	nl_socket_free(sk);
	return rc;
}

void score_measure(struct score_inputs *in, const char *store,
		   const char *ifname, struct score_link_info *prev)
{
	struct score_link_info li;

	in->cpu_known = !score_read_cpus(&in->cpus);
	in->mem_known = !score_read_meminfo(NULL, &in->mem_avail_kb);
	in->load_known = !score_read_loadavg(NULL, &in->load1);
	in->disk_known = store && !score_read_disk(store, &in->disk_free_bytes);
	in->link_known = false;
	if (!ifname || score_read_link(ifname, &li))
		return;
	in->link_known = true;
	in->link_up = li.up;
	if (score_read_speed(ifname, &in->link_mbps))
		in->link_mbps = -1;
	in->link_packets = li.packets;
	in->link_bad = li.bad;
	if (prev && prev->ifindex == li.ifindex &&
	    li.packets >= prev->packets && li.bad >= prev->bad) {
		in->link_packets = li.packets - prev->packets;
		in->link_bad = li.bad - prev->bad;
	}
	if (prev)
		*prev = li;
}
