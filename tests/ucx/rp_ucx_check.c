// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * rp_ucx_check: two processes talk through UCP (UCX's MPI-facing API) over
 * whatever transports UCX_TLS selects, and check every byte: tag messages
 * of 8 B to 8 MiB each way, RMA put and get into the peer's registered
 * buffer, and 64-bit atomic adds by the client racing the server's own
 * atomic adds on the same word (a read-modify-write on memory the client
 * reaches through its transport: with xpmem, a mirror of the server).
 * Built against the UCX that scripts/build-ucx.sh makes, run by t_ucx.
 *
 * Usage: rp_ucx_check. Prints one line per check; exit 0 if all passed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <ucp/api/ucp.h>

#define BUF_SIZE (8u << 20)
#define ADDS 20000
#define TAG_DATA 1
#define TAG_SYNC 2

static const size_t sizes[] = { 8, 4096, 65536, 1 << 20, BUF_SIZE };

struct peer {
	const char *who;
	int sock;
	ucp_context_h ctx;
	ucp_worker_h worker;
	ucp_ep_h ep;
	uint64_t *buf;		/* BUF_SIZE, registered */
	ucp_mem_h memh;
	uint64_t raddr;		/* the peer's buffer */
	ucp_rkey_h rkey;
	int failed;
};

static void die(struct peer *p, const char *what)
{
	fprintf(stderr, "%s: %s\n", p->who, what);
	exit(2);
}

static void check(struct peer *p, int ok, const char *fmt, size_t arg)
{
	printf("%s %s: ", ok ? "ok" : "FAILED", p->who);
	printf(fmt, arg);
	printf("\n");
	fflush(stdout);
	if (!ok)
		p->failed = 1;
}

static void xwrite(struct peer *p, const void *b, size_t n)
{
	if (write(p->sock, b, n) != (ssize_t)n)
		die(p, "socket write");
}

static void xread(struct peer *p, void *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(p->sock, (char *)b + got, n - got);

		if (r <= 0)
			die(p, "socket read");
		got += r;
	}
}

/* Send a length-prefixed blob to the peer and receive the peer's. */
static void *swap_blob(struct peer *p, const void *mine, size_t len)
{
	uint64_t n = len;
	void *theirs;

	xwrite(p, &n, sizeof(n));
	xwrite(p, mine, len);
	xread(p, &n, sizeof(n));
	theirs = malloc(n);
	if (!theirs)
		die(p, "malloc");
	xread(p, theirs, n);
	return theirs;
}

static ucs_status_t wait_req(struct peer *p, void *req)
{
	ucs_status_t st;

	if (req == NULL)
		return UCS_OK;
	if (UCS_PTR_IS_ERR(req))
		return UCS_PTR_STATUS(req);
	do {
		ucp_worker_progress(p->worker);
		st = ucp_request_check_status(req);
	} while (st == UCS_INPROGRESS);
	ucp_request_free(req);
	return st;
}

static uint64_t word(size_t i, uint64_t seed)
{
	return (i + 1) * 0x9e3779b97f4a7c15ull ^ seed;
}

static void fill(uint64_t *b, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len / 8; i++)
		b[i] = word(i, seed);
}

static int matches(const uint64_t *b, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len / 8; i++)
		if (b[i] != word(i, seed))
			return 0;
	return 1;
}

static void send_tag(struct peer *p, const void *b, size_t len, ucp_tag_t tag)
{
	ucp_request_param_t prm = { 0 };

	if (wait_req(p, ucp_tag_send_nbx(p->ep, b, len, tag, &prm)) != UCS_OK)
		die(p, "tag send");
}

static void recv_tag(struct peer *p, void *b, size_t len, ucp_tag_t tag)
{
	ucp_request_param_t prm = { 0 };

	if (wait_req(p, ucp_tag_recv_nbx(p->worker, b, len, tag, ~0ull, &prm)) != UCS_OK)
		die(p, "tag recv");
}

static void sync_peer(struct peer *p, int send_first)
{
	uint64_t v = 0;

	if (send_first) {
		send_tag(p, &v, sizeof(v), TAG_SYNC);
		recv_tag(p, &v, sizeof(v), TAG_SYNC);
	} else {
		recv_tag(p, &v, sizeof(v), TAG_SYNC);
		send_tag(p, &v, sizeof(v), TAG_SYNC);
	}
}

static void flush_ep(struct peer *p)
{
	ucp_request_param_t prm = { 0 };

	if (wait_req(p, ucp_ep_flush_nbx(p->ep, &prm)) != UCS_OK)
		die(p, "flush");
}

static void setup(struct peer *p)
{
	ucp_params_t params = {
		.field_mask = UCP_PARAM_FIELD_FEATURES,
		.features = UCP_FEATURE_TAG | UCP_FEATURE_RMA | UCP_FEATURE_AMO64,
	};
	ucp_worker_params_t wp = {
		.field_mask = UCP_WORKER_PARAM_FIELD_THREAD_MODE,
		.thread_mode = UCS_THREAD_MODE_SINGLE,
	};
	ucp_mem_map_params_t mp = {
		.field_mask = UCP_MEM_MAP_PARAM_FIELD_ADDRESS |
			      UCP_MEM_MAP_PARAM_FIELD_LENGTH,
		.length = BUF_SIZE,
	};
	ucp_ep_params_t ep = { .field_mask = UCP_EP_PARAM_FIELD_REMOTE_ADDRESS };
	ucp_address_t *addr;
	size_t alen, rlen;
	void *rk, *theirs;
	uint64_t mine_addr;

	if (ucp_init(&params, NULL, &p->ctx) != UCS_OK)
		die(p, "ucp_init");
	if (ucp_worker_create(p->ctx, &wp, &p->worker) != UCS_OK)
		die(p, "ucp_worker_create");
	if (ucp_worker_get_address(p->worker, &addr, &alen) != UCS_OK)
		die(p, "ucp_worker_get_address");
	theirs = swap_blob(p, addr, alen);
	ucp_worker_release_address(p->worker, addr);
	ep.address = theirs;
	if (ucp_ep_create(p->worker, &ep, &p->ep) != UCS_OK)
		die(p, "ucp_ep_create");
	free(theirs);

	p->buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->buf == MAP_FAILED)
		die(p, "mmap");
	memset(p->buf, 0, BUF_SIZE);
	mp.address = p->buf;
	if (ucp_mem_map(p->ctx, &mp, &p->memh) != UCS_OK)
		die(p, "ucp_mem_map");
	if (ucp_rkey_pack(p->ctx, p->memh, &rk, &rlen) != UCS_OK)
		die(p, "ucp_rkey_pack");
	theirs = swap_blob(p, rk, rlen);
	ucp_rkey_buffer_release(rk);
	if (ucp_ep_rkey_unpack(p->ep, theirs, &p->rkey) != UCS_OK)
		die(p, "ucp_ep_rkey_unpack");
	free(theirs);
	mine_addr = (uintptr_t)p->buf;
	xwrite(p, &mine_addr, sizeof(mine_addr));
	xread(p, &p->raddr, sizeof(p->raddr));
}

static void teardown(struct peer *p)
{
	ucp_request_param_t prm = {
		.op_attr_mask = UCP_OP_ATTR_FIELD_FLAGS,
		.flags = UCP_EP_CLOSE_FLAG_FORCE,
	};

	sync_peer(p, 1);
	ucp_rkey_destroy(p->rkey);
	wait_req(p, ucp_ep_close_nbx(p->ep, &prm));
	ucp_mem_unmap(p->ctx, p->memh);
	ucp_worker_destroy(p->worker);
	ucp_cleanup(p->ctx);
}

/* Tag messages: each side sends every size, the other checks every byte. */
static void tags(struct peer *p, int server)
{
	uint64_t *b = malloc(BUF_SIZE);

	if (!b)
		die(p, "malloc");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int dir = 0; dir < 2; dir++) {
			uint64_t seed = 0x7a6 + s * 2 + dir;

			if ((dir == 0) == server) {
				memset(b, 0, sizes[s]);
				recv_tag(p, b, sizes[s], TAG_DATA);
				check(p, matches(b, sizes[s], seed),
				      "tag message of %zu bytes arrived intact", sizes[s]);
			} else {
				fill(b, sizes[s], seed);
				send_tag(p, b, sizes[s], TAG_DATA);
			}
		}
	}
	free(b);
}

/* The client puts into and gets from the server's buffer. */
static void rma(struct peer *p, int server)
{
	ucp_request_param_t prm = { 0 };
	uint64_t *b = malloc(BUF_SIZE);

	if (!b)
		die(p, "malloc");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t seed = 0x9b1 + s;

		/* put: the client writes, the server reads its own buffer */
		if (!server) {
			fill(b, sizes[s], seed);
			if (wait_req(p, ucp_put_nbx(p->ep, b, sizes[s], p->raddr,
						    p->rkey, &prm)) != UCS_OK)
				die(p, "put");
			flush_ep(p);
		}
		sync_peer(p, !server);
		if (server)
			check(p, matches(p->buf, sizes[s], seed),
			      "a put of %zu bytes landed intact", sizes[s]);

		/* get: the server writes its buffer, the client reads it */
		if (server)
			fill(p->buf, sizes[s], ~seed);
		sync_peer(p, server);
		if (!server) {
			memset(b, 0, sizes[s]);
			if (wait_req(p, ucp_get_nbx(p->ep, b, sizes[s], p->raddr,
						    p->rkey, &prm)) != UCS_OK)
				die(p, "get");
			flush_ep(p);
			check(p, matches(b, sizes[s], ~seed),
			      "a get of %zu bytes read the peer's data", sizes[s]);
		}
		sync_peer(p, !server);
	}
	free(b);
}

/* Both add 1 to the same word ADDS times, at the same time. */
static void atomics(struct peer *p, int server)
{
	uint64_t one = 1, result;
	ucp_request_param_t prm = {
		.op_attr_mask = UCP_OP_ATTR_FIELD_DATATYPE,
		.datatype = ucp_dt_make_contig(sizeof(uint64_t)),
	};

	if (server)
		p->buf[0] = 0;
	sync_peer(p, server);
	for (int i = 0; i < ADDS; i++) {
		if (server) {
			__atomic_fetch_add(&p->buf[0], 1, __ATOMIC_SEQ_CST);
		} else {
			void *r = ucp_atomic_op_nbx(p->ep, UCP_ATOMIC_OP_ADD, &one, 1,
						    p->raddr, p->rkey, &prm);

			if (wait_req(p, r) != UCS_OK)
				die(p, "atomic add");
		}
	}
	if (!server)
		flush_ep(p);
	sync_peer(p, !server);
	result = __atomic_load_n(&p->buf[0], __ATOMIC_SEQ_CST);
	if (server)
		check(p, result == 2 * ADDS,
		      "atomic adds of both sides on one word: %zu (expected 40000)",
		      (size_t)result);
}

static int run(const char *who, int sock, int server)
{
	struct peer p = { .who = who, .sock = sock };

	setup(&p);
	tags(&p, server);
	rma(&p, server);
	atomics(&p, server);
	teardown(&p);
	return p.failed;
}

int main(void)
{
	int sv[2], st, rc;
	pid_t child;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 2;
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		close(sv[0]);
		_exit(run("client", sv[1], 0));
	}
	close(sv[1]);
	rc = run("server", sv[0], 1);
	if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st))
		rc = 1;
	printf("%s\n", rc ? "FAILED" : "all checks passed");
	return rc;
}
