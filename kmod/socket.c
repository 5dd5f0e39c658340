// SPDX-License-Identifier: GPL-2.0
/*
 * One kernel UDP socket per region: bound to the group and port, joined to
 * the group on the region's interface, and turned into an encapsulation
 * socket so beacons are handled in softirq by rup_receive(). This is what
 * setup_udp_tunnel_sock() does, written out so rup.ko does not depend on
 * the udp_tunnel module.
 */
#include <linux/in.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include "receive.h"
#include "region.h"
#include "socket.h"

static int rup_setsockopt(struct socket *sock, int level, int name,
			  void *val, unsigned int len)
{
	return sock->ops->setsockopt(sock, level, name, KERNEL_SOCKPTR(val),
				     len);
}

int rup_socket_open(struct rup_region *r, struct netlink_ext_ack *extack)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = r->group,
		.sin_port = htons(r->port),
	};
	struct ip_mreqn mreq = {
		.imr_multiaddr.s_addr = r->group,
		.imr_ifindex = r->ifindex,
	};
	struct socket *sock;
	int err;

	err = sock_create_kern(r->net, AF_INET, SOCK_DGRAM, IPPROTO_UDP, &sock);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot create the region's UDP socket");
		return err;
	}
	/* Bound to the group: only this group's datagrams reach us. */
	err = kernel_bind(sock, (struct sockaddr *)&sin, sizeof(sin));
	if (err) {
		if (err == -EADDRINUSE)
			NL_SET_ERR_MSG_MOD(extack, "group and port already used in this namespace");
		else
			NL_SET_ERR_MSG_MOD(extack, "cannot bind to the group and port");
		goto err;
	}
	err = rup_setsockopt(sock, SOL_IP, IP_ADD_MEMBERSHIP, &mreq,
			     sizeof(mreq));
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot join the multicast group on the interface");
		goto err;
	}
	if (r->ifindex) {
		err = rup_setsockopt(sock, SOL_IP, IP_MULTICAST_IF, &mreq,
				     sizeof(mreq));
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "cannot send multicast on the interface");
			goto err;
		}
	}

	rcu_assign_sk_user_data(sock->sk, r);
	udp_sk(sock->sk)->encap_type = 1;
	udp_sk(sock->sk)->encap_rcv = rup_receive;
	udp_tunnel_encap_enable(sock->sk);
	r->sock = sock;
	return 0;
err:
	sock_release(sock);
	return err;
}

/* After this no new receive path starts on @r; running ones hold RCU. */
void rup_socket_close(struct rup_region *r)
{
	struct socket *sock = r->sock;

	if (!sock)
		return;
	rcu_assign_sk_user_data(sock->sk, NULL);
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
	r->sock = NULL;
}
