// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs rup/regions and rup/peers: tables for a person at a shell. Each
 * file shows the network namespace of the process that opens it (so
 * `ip netns exec NS cat /sys/kernel/debug/rup/peers` shows NS). genl is the
 * real interface; these are read-only windows.
 */
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include "debugfs.h"
#include "peer.h"
#include "region.h"

static struct dentry *rup_debugfs_dir;

static int rup_regions_show(struct seq_file *m, void *v)
{
	struct rup_net *rn = rup_net(m->private);
	struct rup_region *r;

	seq_puts(m, "region\tgroup\tport\tifindex\tinterval_ms\tdead_ms\twindow_ms\tpeers\ttx\trx\n");
	mutex_lock(&rn->lock);
	list_for_each_entry(r, &rn->regions, list)
		seq_printf(m, "%u\t%pI4\t%u\t%d\t%u\t%u\t%u\t%u\t%lld\t%lld\n",
			   r->id, &r->group, r->port, r->ifindex,
			   r->interval_ms, r->dead_ms, r->window_ms,
			   READ_ONCE(r->npeers),
			   atomic64_read(&r->stats[RUP_STAT_TX]),
			   atomic64_read(&r->stats[RUP_STAT_RX]));
	mutex_unlock(&rn->lock);
	return 0;
}

static int rup_peers_show(struct seq_file *m, void *v)
{
	struct rup_net *rn = rup_net(m->private);
	struct rup_peer_state st;
	struct rup_region *r;
	struct rup_peer *p;
	int i;

	seq_puts(m, "region\tnode_id\t\t\t\t\taddr\tversion\tscore\trole\tterm\toffer\tlast_seen_ms\n");
	mutex_lock(&rn->lock);
	list_for_each_entry(r, &rn->regions, list) {
		rcu_read_lock();
		for (i = 0; i < ARRAY_SIZE(r->peers); i++) {
			hlist_for_each_entry_rcu(p, &r->peers[i], node) {
				rup_peer_snapshot(p, &st);
				seq_printf(m, "%u\t%*phN\t%pI4\t%s\t%u\t%#x\t%llu\t%s\t%u\n",
					   r->id, RUP_NODE_ID_LEN, st.node_id,
					   &st.addr, st.version, st.score,
					   st.role, st.term,
					   st.has_offer ? st.offer.version : "-",
					   jiffies_to_msecs(jiffies - st.last_seen));
			}
		}
		rcu_read_unlock();
	}
	mutex_unlock(&rn->lock);
	return 0;
}

/* Pin the opener's namespace for the life of the open file. */
static int rup_open(struct inode *inode, struct file *file,
		    int (*show)(struct seq_file *, void *))
{
	struct net *net = get_net(current->nsproxy->net_ns);
	int err;

	err = single_open(file, show, net);
	if (err)
		put_net(net);
	return err;
}

static int rup_release(struct inode *inode, struct file *file)
{
	struct net *net = ((struct seq_file *)file->private_data)->private;

	put_net(net);
	return single_release(inode, file);
}

static int rup_regions_open(struct inode *inode, struct file *file)
{
	return rup_open(inode, file, rup_regions_show);
}

static int rup_peers_open(struct inode *inode, struct file *file)
{
	return rup_open(inode, file, rup_peers_show);
}

static const struct file_operations rup_regions_fops = {
	.owner = THIS_MODULE,
	.open = rup_regions_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = rup_release,
};

static const struct file_operations rup_peers_fops = {
	.owner = THIS_MODULE,
	.open = rup_peers_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = rup_release,
};

/* debugfs is best effort: the module works without it. */
void rup_debugfs_init(void)
{
	rup_debugfs_dir = debugfs_create_dir("rup", NULL);
	debugfs_create_file("regions", 0444, rup_debugfs_dir, NULL,
			    &rup_regions_fops);
	debugfs_create_file("peers", 0444, rup_debugfs_dir, NULL,
			    &rup_peers_fops);
}

void rup_debugfs_exit(void)
{
	debugfs_remove_recursive(rup_debugfs_dir);
}
