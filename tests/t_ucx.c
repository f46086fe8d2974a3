// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * UCX, built unmodified from Debian's source over libxpmem-remoteproc
 * (scripts/build-ucx.sh, in the guest under /opt/ucx): its xpmem transport
 * runs on remote-proc. ucx_perftest's server and client talk over
 * 127.0.0.1 with the xpmem transport and, side by side, with cma
 * (process_vm_readv/writev); rp_ucx_check (tests/ucx/) checks every byte
 * of tag messages, puts, gets and racing atomic adds through UCP.
 *
 * With RP_UCX_BENCH set (the benchmark boot), bench_figures prints the
 * benchmark's table instead of the suite's shorter runs.
 */
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lib/ktap.h"
#include "lib/proc.h"
#include "lib/rpt.h"

#define UCX_BIN "/opt/ucx/bin/"
#define CHECK_BIN "/tests/rp_ucx_check"

static void need_ucx(void)
{
	rpt_need_module();
	KT_ASSERT_MSG(access(UCX_BIN "ucx_perftest", X_OK) == 0 &&
		      access(CHECK_BIN, X_OK) == 0,
		      "UCX is not in the guest image (scripts/build-ucx.sh failed?)");
}

/*
 * What the peers need from the kernel: cma is process_vm_readv/writev
 * (CONFIG_CROSS_MEMORY_ATTACH), sysv UCX's System V shared memory
 * (CONFIG_SYSVIPC), and ucx_perftest exchanges its parameters over TCP
 * (CONFIG_INET). Every Debian kernel and the debug kernel have all three;
 * a kernel without one skips what needs it.
 */
static bool have_cma(void)
{
	char a = 1, b = 0;
	struct iovec l = { &b, 1 }, r = { &a, 1 };

	return process_vm_readv(getpid(), &l, 1, &r, 1, 0) == 1 || errno != ENOSYS;
}

static bool have_sysv(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);

	if (id < 0)
		return errno != ENOSYS;
	shmctl(id, IPC_RMID, NULL);
	return true;
}

static bool have_inet(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return errno != EAFNOSUPPORT;
	close(s);
	return true;
}

/* Skip (naming the missing kernel feature) unless the cma peer can run. */
static void need_cma_peer(bool tcp)
{
	if (!have_cma())
		kt_skip("kernel without process_vm_readv (CONFIG_CROSS_MEMORY_ATTACH): no cma");
	if (!have_sysv())
		kt_skip("kernel without System V IPC (CONFIG_SYSVIPC): no sysv transport");
	if (tcp && !have_inet())
		kt_skip("kernel without TCP/IP (CONFIG_INET): ucx_perftest cannot connect");
}

/* The guest's /init leaves the loopback interface down. */
static void loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	KT_ASSERT(s >= 0);
	strcpy(ifr.ifr_name, "lo");
	KT_ASSERT_OK(ioctl(s, SIOCGIFFLAGS, &ifr));
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		KT_ASSERT_OK(ioctl(s, SIOCSIFFLAGS, &ifr));
	}
	close(s);
}

/* Whether something listens on TCP port (IPv4) here. */
static bool listening(unsigned int port)
{
	char line[256], want[16];
	bool found = false;
	FILE *f = fopen("/proc/net/tcp", "re");

	if (!f)
		return false;
	snprintf(want, sizeof(want), ":%04X ", port);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, want) && strstr(line, " 0A "))
			found = true;
	fclose(f);
	return found;
}

struct run {
	const char *name;	/* for messages */
	const char *tls;	/* UCX_TLS, or NULL for the UCT tests */
	const char *args;	/* ucx_perftest's client arguments */
	bool latency;		/* report latency (us) rather than bandwidth */
};

struct figure {
	double lat_us, bw_mbs;
};

static unsigned int next_port = 13400;

/*
 * Run ucx_perftest's server and client with args as uid (-1: root); the
 * client's final CSV line gives the figures. Fails the test unless both
 * exit 0 with a result.
 */
static struct figure perftest(const struct run *r, int uid)
{
	char *sargv[] = { UCX_BIN "ucx_perftest", "-p", NULL, NULL };
	char *cargv[48], buf[512], port[16], *save, *tok, *line;
	struct rpt_proc *srv = calloc(1, sizeof(*srv)), *cli = calloc(1, sizeof(*cli));
	struct figure fig = { 0 };
	unsigned int p = next_port++;
	int n = 0, st, waited;
	size_t len;
	double v[8];

	KT_ASSERT(srv && cli);
	snprintf(port, sizeof(port), "%u", p);
	sargv[2] = port;
	if (r->tls)
		setenv("UCX_TLS", r->tls, 1);
	else
		unsetenv("UCX_TLS");
	rpt_proc_start(srv, uid, false, sargv);
	for (waited = 0; !listening(p) && waited < 300; waited++)
		usleep(100 * 1000);
	KT_ASSERT_MSG(listening(p), "%s: the perftest server did not listen on %u", r->name, p);

	snprintf(buf, sizeof(buf), "%s -p %s -v -f %s", UCX_BIN "ucx_perftest", port, r->args);
	cargv[n++] = strtok_r(buf, " ", &save);
	cargv[n++] = "127.0.0.1";
	while ((tok = strtok_r(NULL, " ", &save)) && n < 46)
		cargv[n++] = tok;
	cargv[n] = NULL;
	rpt_proc_start(cli, uid, false, cargv);
	st = rpt_proc_finish(cli, 120 * 1000);
	if (st != 0)
		kt_diag("%s client stdout: %.2000s\nstderr: %.2000s", r->name, cli->obuf, cli->ebuf);
	KT_ASSERT_MSG(st == 0, "%s: the perftest client exited with %d", r->name, st);
	st = rpt_proc_finish(srv, 30 * 1000);
	if (st != 0)
		kt_diag("%s server stdout: %.2000s\nstderr: %.2000s", r->name, srv->obuf, srv->ebuf);
	KT_ASSERT_MSG(st == 0, "%s: the perftest server exited with %d", r->name, st);

	/* -v -f: a CSV header, then "iters,pctile,avg_lat,lat,avg_bw,bw,avg_mr,mr" */
	len = strlen(cli->obuf);
	while (len && cli->obuf[len - 1] == '\n')
		cli->obuf[--len] = 0;
	line = strrchr(cli->obuf, '\n');
	line = line ? line + 1 : cli->obuf;
	KT_ASSERT_MSG(sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &v[1],
				     &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8,
		      "%s: no result line in the client's output: %.1000s", r->name, cli->obuf);
	KT_ASSERT_MSG(v[0] > 0 && v[3] > 0 && v[5] > 0,
		      "%s: implausible figures: %s", r->name, line);
	fig.lat_us = v[3];
	fig.bw_mbs = v[5];
	free(srv);
	free(cli);
	return fig;
}

#ifndef RP_UCX_BENCH
/* The module served this many faults since the last reset. */
static uint64_t faults_since(void)
{
	return rpt_stat("faults") + rpt_stat("pmd_faults");
}

/* The device node as the guest boots with it (and the later tests expect). */
static void device_root_only(void *arg)
{
	(void)arg;
	if (chown(RPT_DEV, 0, 0) || chmod(RPT_DEV, 0600))
		kt_diag("could not restore %s", RPT_DEV);
}

static int run_check(int uid, const char *tls, struct rpt_proc *p)
{
	char *argv[] = { CHECK_BIN, NULL };

	setenv("UCX_TLS", tls, 1);
	rpt_proc_start(p, uid, false, argv);
	return rpt_proc_finish(p, 240 * 1000);
}

KT_TEST(info_lists_xpmem, "ucx_info finds the xpmem transport (libxpmem.so.0 is remote-proc's) and cma")
{
	struct rpt_proc *p = calloc(1, sizeof(*p));
	char *argv[] = { UCX_BIN "ucx_info", "-d", NULL };
	char *vargv[] = { UCX_BIN "ucx_info", "-v", NULL };

	need_ucx();
	rpt_proc_start(p, -1, false, vargv);
	KT_ASSERT_EQ(rpt_proc_finish(p, 60 * 1000), 0);
	KT_ASSERT_MSG(strstr(p->obuf, "1.13.1"), "not UCX 1.13.1: %s", p->obuf);
	rpt_proc_start(p, -1, false, argv);
	KT_ASSERT_EQ(rpt_proc_finish(p, 60 * 1000), 0);
	KT_ASSERT_MSG(strstr(p->obuf, "Transport: xpmem"),
		      "no xpmem transport in ucx_info -d: %.3000s", p->obuf);
	if (have_cma())
		KT_ASSERT_MSG(strstr(p->obuf, "Transport: cma"), "no cma transport in ucx_info -d");
	free(p);
}

KT_TEST_TIMEOUT(ucp_data_xpmem, 300,
		"UCP over xpmem,self: tag messages 8 B-8 MiB, puts, gets and racing atomic adds arrive intact")
{
	struct rpt_proc *p = calloc(1, sizeof(*p));
	int st;

	need_ucx();
	rpt_stats_reset();
	st = run_check(-1, "xpmem,self", p);
	kt_diag("%.4000s", p->obuf);
	KT_ASSERT_MSG(st == 0, "rp_ucx_check over xpmem exited with %d: %.2000s", st, p->ebuf);
	KT_ASSERT(strstr(p->obuf, "all checks passed"));
	KT_ASSERT_MSG(faults_since() > 0, "no fault reached remote-proc: xpmem was not used");
	free(p);
}

KT_TEST_TIMEOUT(ucp_data_xpmem_user, 300,
		"the same as an unprivileged user in the device's group (an MPI job's ranks)")
{
	struct rpt_proc *p = calloc(1, sizeof(*p));
	int st;

	need_ucx();
	kt_set_cleanup(device_root_only, NULL);
	rpt_share_device();
	st = run_check(RPT_USER, "xpmem,self", p);
	KT_ASSERT_MSG(st == 0, "rp_ucx_check as uid %d exited with %d: %.2000s%.2000s",
		      RPT_USER, st, p->obuf, p->ebuf);
	KT_ASSERT(strstr(p->obuf, "all checks passed"));
	free(p);
	kt_set_cleanup(NULL, NULL);
	device_root_only(NULL);
}

KT_TEST_TIMEOUT(ucp_needs_the_device, 300,
		"without access to /dev/remote-proc, UCX_TLS=xpmem,self cannot connect (xpmem really is used)")
{
	struct rpt_proc *p = calloc(1, sizeof(*p));
	int st;

	need_ucx();
	KT_ASSERT_OK(chown(RPT_DEV, 0, 0));
	KT_ASSERT_OK(chmod(RPT_DEV, 0600));
	st = run_check(RPT_USER, "xpmem,self", p);
	KT_ASSERT_MSG(st != 0 && !strstr(p->obuf, "all checks passed"),
		      "rp_ucx_check passed over xpmem without the device: %s", p->obuf);
	free(p);
}

KT_TEST_TIMEOUT(ucp_data_cma, 300,
		"the same checks over sysv,cma,self (the peer the benchmark compares with)")
{
	struct rpt_proc *p = calloc(1, sizeof(*p));
	int st;

	need_ucx();
	need_cma_peer(false);
	st = run_check(-1, "sysv,cma,self", p);
	KT_ASSERT_MSG(st == 0, "rp_ucx_check over cma exited with %d: %.2000s%.2000s",
		      st, p->obuf, p->ebuf);
	free(p);
}

/* Each xpmem run beside the cma (for active messages: sysv) run it is compared with. */
static const struct { struct run xpmem, peer; } runs[] = {
	{ { "put_bw xpmem 1 MiB", NULL, "-t put_bw -d memory -x xpmem -D bcopy -s 1048576 -n 200 -w 20" },
	  { "put_bw cma 1 MiB", NULL, "-t put_bw -d memory -x cma -D zcopy -s 1048576 -n 200 -w 20" } },
	{ { "put_lat xpmem 8 B", NULL, "-t put_lat -d memory -x xpmem -D short -s 8 -n 2000 -w 200", true },
	  { "put_lat cma 8 B", NULL, "-t put_lat -d memory -x cma -D zcopy -s 8 -n 2000 -w 200", true } },
	{ { "am_lat xpmem 8 B", NULL, "-t am_lat -d memory -x xpmem -s 8 -n 2000 -w 200", true },
	  { "am_lat sysv 8 B", NULL, "-t am_lat -d memory -x sysv -s 8 -n 2000 -w 200", true } },
	{ { "tag_lat xpmem 64 KiB", "xpmem,self", "-t tag_lat -s 65536 -n 200 -w 20", true },
	  { "tag_lat cma 64 KiB", "sysv,cma,self", "-t tag_lat -s 65536 -n 200 -w 20", true } },
	{ { "tag_bw xpmem 1 MiB", "xpmem,self", "-t tag_bw -s 1048576 -n 100 -w 10" },
	  { "tag_bw cma 1 MiB", "sysv,cma,self", "-t tag_bw -s 1048576 -n 100 -w 10" } },
};

KT_TEST_TIMEOUT(perftest_xpmem_and_cma, 600,
		"ucx_perftest put_bw, put_lat, am_lat and UCP tag tests complete over xpmem and over cma")
{
	struct figure x, c;
	uint64_t faults, inval;

	need_ucx();
	need_cma_peer(true);
	loopback_up();
	kt_diag("%-22s %14s %14s  %s", "ucx_perftest", "xpmem", "cma (am: sysv)",
		"module faults / invalidations during the xpmem run");
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run *xr = &runs[i].xpmem;

		rpt_stats_reset();
		x = perftest(xr, -1);
		faults = faults_since();
		inval = rpt_stat("invalidations");
		KT_ASSERT_MSG(faults > 0, "%s: no fault reached remote-proc", xr->name);
		c = perftest(&runs[i].peer, -1);
		if (xr->latency)
			kt_diag("%-22s %11.2f us %11.2f us  %llu / %llu", xr->name,
				x.lat_us, c.lat_us, (unsigned long long)faults,
				(unsigned long long)inval);
		else
			kt_diag("%-22s %9.0f MB/s %9.0f MB/s  %llu / %llu", xr->name,
				x.bw_mbs, c.bw_mbs, (unsigned long long)faults,
				(unsigned long long)inval);
	}
}

#else /* RP_UCX_BENCH: the benchmark's UCX part (make bench) */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median over reps runs of one figure. */
static double median_of(const struct run *r, int reps)
{
	double v[9];
	struct figure f;

	for (int i = 0; i < reps; i++) {
		f = perftest(r, -1);
		v[i] = r->latency ? f.lat_us : f.bw_mbs;
	}
	qsort(v, reps, sizeof(v[0]), cmp_double);
	return v[reps / 2];
}

KT_TEST_TIMEOUT(bench_figures, 3000,
		"ucx_perftest over xpmem on remote-proc against cma: bandwidth and latency at 8 B, 64 KiB, 1 MiB")
{
	static const struct { size_t size; const char *label, *bw_n, *lat_n; } sz[] = {
		{ 8, "8 B", "-n 100000 -w 10000", "-n 10000 -w 1000" },
		{ 65536, "64 KiB", "-n 3000 -w 300", "-n 1000 -w 100" },
		{ 1048576, "1 MiB", "-n 300 -w 30", "-n 200 -w 20" },
	};
	const char *env = getenv("RP_BENCH_REPS");
	int reps = env ? atoi(env) : 3;
	char xa[160], ca[160], name[64];

	if (reps < 1 || reps > 9)
		reps = 3;
	need_ucx();
	need_cma_peer(true);
	loopback_up();
	kt_diag("ucx_perftest (UCX 1.13.1), median of %d runs    xpmem on remote-proc        cma    ratio  target", reps);
	for (int t = 0; t < 4; t++) {
		bool lat = t & 1, ucp = t >= 2;
		const char *test = ucp ? (lat ? "tag_lat" : "tag_bw") : (lat ? "put_lat" : "put_bw");

		for (size_t i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
			const char *n = lat ? sz[i].lat_n : sz[i].bw_n;
			struct run x = { name, ucp ? "xpmem,self" : NULL, xa, lat };
			struct run c = { name, ucp ? "sysv,cma,self" : NULL, ca, lat };
			const char *target = "";
			double xv, cv, ratio;

			snprintf(name, sizeof(name), "%s %s", test, sz[i].label);
			if (ucp) {
				snprintf(xa, sizeof(xa), "-t %s -s %zu %s", test, sz[i].size, n);
				snprintf(ca, sizeof(ca), "-t %s -s %zu %s", test, sz[i].size, n);
			} else {
				snprintf(xa, sizeof(xa), "-t %s -d memory -x xpmem -D %s -s %zu %s",
					 test, sz[i].size <= 8 ? "short" : "bcopy", sz[i].size, n);
				snprintf(ca, sizeof(ca), "-t %s -d memory -x cma -D zcopy -s %zu %s",
					 test, sz[i].size, n);
			}
			xv = median_of(&x, reps);
			cv = median_of(&c, reps);
			ratio = cv > 0 ? xv / cv : 0;
			if (!lat && sz[i].size == 1048576)
				target = ">= 2x";
			if (lat && sz[i].size == 65536)
				target = "<= 1x";
			kt_diag("  %-16s %s %26.2f %10.2f %7.2fx  %s", name, lat ? "(us)  " : "(MB/s)",
				xv, cv, ratio, target);
		}
	}
}
#endif

int main(int argc, char **argv)
{
	return kt_main(argc, argv);
}
