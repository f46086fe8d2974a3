// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Test-only hooks, compiled in only with REMOTE_PROC_TESTING=1 (the test
 * harness build). They let the harness prove that it notices kernel splats.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

static int inject_warn_set(const char *val, const struct kernel_param *kp)
{
	/* Fires once per load, on purpose: the harness must report it. */
	WARN_ON_ONCE(1);
	return 0;
}

static const struct kernel_param_ops inject_warn_ops = {
	.set = inject_warn_set,
};

module_param_cb(inject_warn, &inject_warn_ops, NULL, 0200);
MODULE_PARM_DESC(inject_warn, "Test harness only: writing any value triggers WARN_ON_ONCE(1)");
