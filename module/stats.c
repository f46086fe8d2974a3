// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Event counters, per CPU, summed in debugfs: remote_proc/stats has one
 * "name value" line per counter; writing anything to it resets them.
 * Benchmarks and tests use them to tell how data was obtained.
 */
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "internal.h"

DEFINE_PER_CPU(u64 [RP_NR_STATS], remote_proc_stats);

static const char *const stat_names[RP_NR_STATS] = {
	[RP_STAT_FAULTS] = "faults",
	[RP_STAT_MKWRITES] = "mkwrites",
	[RP_STAT_FAULT_PAGES] = "fault_pages",
	[RP_STAT_PMD_FAULTS] = "pmd_faults",
	[RP_STAT_PMD_FALLBACKS] = "pmd_fallbacks",
	[RP_STAT_POPULATE_PAGES] = "populate_pages",
	[RP_STAT_RETRIES] = "retries",
	[RP_STAT_SEQ_RETRIES] = "seq_retries",
	[RP_STAT_INVALIDATIONS] = "invalidations",
	[RP_STAT_ZAPS] = "zaps",
	[RP_STAT_NONBLOCK_REFUSED] = "nonblock_refused",
	[RP_STAT_REVOKES] = "revokes",
	[RP_STAT_SIGBUS_HOLE] = "sigbus_hole",
	[RP_STAT_SIGBUS_RIGHTS] = "sigbus_rights",
	[RP_STAT_SIGBUS_SOURCE] = "sigbus_source",
	[RP_STAT_SIGBUS_HMM] = "sigbus_hmm",
	[RP_STAT_SIGBUS_NORETRY] = "sigbus_noretry",
	[RP_STAT_SIGBUS_DEAD] = "sigbus_dead",
};

static struct dentry *stats_dir;

static int stats_show(struct seq_file *m, void *v)
{
	int s, cpu;

	for (s = 0; s < RP_NR_STATS; s++) {
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu(remote_proc_stats, cpu)[s];
		seq_printf(m, "%s %llu\n", stat_names[s], sum);
	}
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_show, NULL);
}

static ssize_t stats_write(struct file *file, const char __user *buf,
			   size_t count, loff_t *ppos)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu(remote_proc_stats, cpu), 0, sizeof(u64) * RP_NR_STATS);
	return count;
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.write = stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};

int remote_proc_stats_init(void)
{
	/* debugfs is optional: counters work without it. */
	stats_dir = debugfs_create_dir("remote_proc", NULL);
	debugfs_create_file("stats", 0600, stats_dir, NULL, &stats_fops);
	return 0;
}

void remote_proc_stats_exit(void)
{
	debugfs_remove_recursive(stats_dir);
}
