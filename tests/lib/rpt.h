/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/* Helpers shared by the in-guest test programs. */
#ifndef _REMOTE_PROC_RPT_H
#define _REMOTE_PROC_RPT_H

#include <stdbool.h>

#define RPT_MODULE "remote_proc"
#define RPT_DEV "/dev/remote-proc"

/* Load the module the way users do (libkmod modprobe semantics); 0 or -errno. */
int rpt_modprobe(void);
/* Unload it; 0 or -errno (-EBUSY while in use). */
int rpt_rmmod(void);
/* Whether /sys/module/remote_proc exists and is live. */
bool rpt_module_live(void);
/* Reference count of the module, or -errno. */
int rpt_module_refcnt(void);
/* Ensure the module is loaded; fails the test otherwise. */
void rpt_need_module(void);
/* Open the device (fails the test on error). */
int rpt_open_dev(void);
/* Path of the installed module file, from libkmod. */
const char *rpt_module_path(void);

#endif /* _REMOTE_PROC_RPT_H */

#include <stdint.h>
#include <sys/types.h>

/* Open the device and negotiate; returns the fd (fails the test otherwise). */
int rpt_dev(void);
/* REMOTE_PROC_IOC_ATTACH by pid / by mem fd: the mirror fd, or -errno. */
int rpt_attach_pid(int dev, pid_t pid, unsigned int flags);
int rpt_attach_memfd(int dev, int memfd, unsigned int flags);
/* Open /proc/<pid>/mem (O_RDONLY or O_RDWR); fd or -errno. */
int rpt_open_mem(pid_t pid, int oflags);
/* Map [taddr, taddr + len) of a mirror fd; MAP_FAILED on error. */
void *rpt_map(int mirror, uint64_t taddr, size_t len, int prot);

/*
 * Access memory that may raise SIGBUS or SIGSEGV: returns 0, or the signal
 * the access raised.
 */
int rpt_try_load(const volatile void *p, uint64_t *val);
int rpt_try_store(volatile void *p, uint64_t val);
/* memcpy() that may fault: 0, or the signal the source raised. */
int rpt_try_copy(void *dst, const volatile void *src, size_t len);
/* Expect a load to succeed and return the value. */
uint64_t rpt_load(const volatile void *p);

/* Physical frame of a target address (root only), 0 when not present. */
uint64_t rpt_pfn(pid_t pid, uint64_t addr);
/* Write a string to a file (sysfs/procfs knobs); 0 or -errno. */
int rpt_write_file(const char *path, const char *val);
/* Read an integer from a file; -1 on error. */
long long rpt_read_ll(const char *path);
/* The kernel release the tests run on, e.g. "6.1.0-56-amd64". */
const char *rpt_kernel_release(void);
/* Pass an fd over a unix socket (SCM_RIGHTS); the receiver gets a new fd. */
void rpt_send_fd(int sock, int fd);
int rpt_recv_fd(int sock);
/* A counter of the module's debugfs stats file; reset them all. */
uint64_t rpt_stat(const char *name);
void rpt_stats_reset(void);
/* Whether the module maps THPs with 2 MiB entries here (FEATURE_PMD). */
uint64_t rpt_features(int dev);
/* Whether the running kernel's release is at least major.minor. */
bool rpt_kernel_at_least(unsigned int major, unsigned int minor);
/* Kernel log lines with needle after the line with marker (taint notices aside). */
int rpt_kmsg_count_after(const char *marker, const char *needle);
bool rpt_have_pmd(int dev);
/* Whether the page at addr of process pid is part of a THP (kpageflags). */
bool rpt_is_thp(pid_t pid, uint64_t addr);
/* The page's /proc/kpageflags bits (0 when nothing is mapped at addr). */
uint64_t rpt_kpageflags(pid_t pid, uint64_t addr);
/* Whether addr of process pid maps the huge zero page. */
bool rpt_is_huge_zero(pid_t pid, uint64_t addr);
