// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"
#include "rpt.h"

static struct kmod_module *get_mod(struct kmod_ctx **ctxp)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;

	ctx = kmod_new(NULL, NULL);
	KT_ASSERT_MSG(ctx, "kmod_new failed");
	kmod_set_log_priority(ctx, 2);	/* LOG_CRIT: callers report errors */
	KT_ASSERT_MSG(kmod_module_new_from_name(ctx, RPT_MODULE, &mod) == 0,
		      "kmod_module_new_from_name(%s) failed", RPT_MODULE);
	*ctxp = ctx;
	return mod;
}

static void put_mod(struct kmod_ctx *ctx, struct kmod_module *mod)
{
	kmod_module_unref(mod);
	kmod_unref(ctx);
}

int rpt_modprobe(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	int ret;

	ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	put_mod(ctx, mod);
	return ret > 0 ? -EINVAL : ret;
}

int rpt_rmmod(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	int ret;

	ret = kmod_module_remove_module(mod, 0);
	put_mod(ctx, mod);
	return ret;
}

bool rpt_module_live(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	bool live;

	live = kmod_module_get_initstate(mod) == KMOD_MODULE_LIVE;
	put_mod(ctx, mod);
	return live;
}

int rpt_module_refcnt(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	int ret;

	ret = kmod_module_get_refcnt(mod);
	put_mod(ctx, mod);
	return ret;
}

const char *rpt_module_path(void)
{
	static char path[512];
	struct kmod_ctx *ctx;
	struct kmod_module *mod = get_mod(&ctx);
	const char *p = kmod_module_get_path(mod);

	KT_ASSERT_MSG(p, "libkmod does not know where %s is installed", RPT_MODULE);
	snprintf(path, sizeof(path), "%s", p);
	put_mod(ctx, mod);
	return path;
}

void rpt_need_module(void)
{
	int ret;

	if (rpt_module_live())
		return;
	ret = rpt_modprobe();
	KT_ASSERT_MSG(ret == 0, "modprobe %s: %s", RPT_MODULE, strerror(-ret));
}

int rpt_open_dev(void)
{
	int fd;

	rpt_need_module();
	fd = open(RPT_DEV, O_RDWR | O_CLOEXEC);
	KT_ASSERT_MSG(fd >= 0, "open %s: %s", RPT_DEV, strerror(errno));
	return fd;
}
