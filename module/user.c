// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * What one user may pin: windows, counted per real uid across every open
 * of the device (max_views_per_fd and max_windows_per_view bound one fd
 * and one view; reopening the device gives new ones). A window pins
 * kernel memory and at most one target, so counting windows bounds both.
 * Like epoll's max_user_watches, on top of the memory cgroup charge.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "internal.h"

unsigned int remote_proc_max_windows_per_user = 262144;
module_param_named(max_windows_per_user, remote_proc_max_windows_per_user, uint, 0644);
MODULE_PARM_DESC(max_windows_per_user,
		 "Most windows (of views and mirrors) alive that one user may have created (ENOSPC beyond). Default 262144.");

struct remote_proc_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int windows;	/* protected by users_lock; freed at 0 */
};

static DEFINE_HASHTABLE(users, 6);
static DEFINE_SPINLOCK(users_lock);

static struct remote_proc_user *user_find(kuid_t uid)
{
	struct remote_proc_user *u;

	lockdep_assert_held(&users_lock);
	hash_for_each_possible(users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/*
 * Count one more window for the calling user. Returns the user to give to
 * remote_proc_user_uncharge() when the window goes, ERR_PTR(-ENOSPC) at
 * max_windows_per_user, or ERR_PTR(-ENOMEM).
 */
struct remote_proc_user *remote_proc_user_charge(void)
{
	struct remote_proc_user *u, *fresh = NULL;
	kuid_t uid = current_uid();

	for (;;) {
		spin_lock(&users_lock);
		u = user_find(uid);
		if (!u && fresh) {
			u = fresh;
			fresh = NULL;
			hash_add(users, &u->node, __kuid_val(uid));
		}
		if (u) {
			if (u->windows >= READ_ONCE(remote_proc_max_windows_per_user))
				u = ERR_PTR(-ENOSPC);
			else
				u->windows++;
			spin_unlock(&users_lock);
			kfree(fresh);
			return u;
		}
		spin_unlock(&users_lock);

		/* A first window of this user: allocate outside the lock. */
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
		if (!fresh)
			return ERR_PTR(-ENOMEM);
		fresh->uid = uid;
	}
}

void remote_proc_user_uncharge(struct remote_proc_user *u)
{
	spin_lock(&users_lock);
	if (!--u->windows) {
		hash_del(&u->node);
		kfree(u);
	}
	spin_unlock(&users_lock);
}
