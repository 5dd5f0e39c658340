// SPDX-License-Identifier: GPL-2.0
/* Unit tests: composite score combination, measurement parsers, link watch. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"

#include "../../userspace/agent/score.h"
#include "../../userspace/agent/score_linkwatch.h"
#include "../../userspace/agent/score_measure.h"

static struct score_config cfg;

static int setup(void **state)
{
	(void)state;
	score_config_default(&cfg);
	return 0;
}

/* Every part measured at exactly its reference. */
static struct score_inputs best(void)
{
	struct score_inputs in = {
		.cpu_known = true,
		.cpus = 16,
		.mem_known = true,
		.mem_avail_kb = 8ULL << 20,
		.disk_known = true,
		.disk_free_bytes = 32ULL << 30,
		.link_known = true,
		.link_up = true,
		.link_mbps = 10000,
		.load_known = true,
		.load1 = 0,
		.rtt_known = true,
		.rtt_ms = 0,
		.loss_pct = 0,
	};
	return in;
}

static void test_unknown_gets_half(void **state)
{
	struct score_inputs in = { 0 };
	struct score_result r;

	(void)state;
	score_combine(&cfg, &in, &r);
	for (int p = 0; p < SCORE_PARTS; p++)
		assert_int_equal(r.points[p], SCORE_UNKNOWN_POINTS);
	assert_int_equal(r.score, 1000 * 500);
	assert_false(r.abnormal);
}

static void test_best_and_scaling(void **state)
{
	struct score_inputs in = best();
	struct score_result r;

	(void)state;
	score_combine(&cfg, &in, &r);
	assert_int_equal(r.score, 1000000);
	in.cpus = 64; /* above the reference: capped */
	in.mem_avail_kb = 1ULL << 40;
	score_combine(&cfg, &in, &r);
	assert_int_equal(r.score, 1000000);
	in = best();
	in.cpus = 8;
	in.mem_avail_kb = 4ULL << 20;
	in.disk_free_bytes = 0;
	score_combine(&cfg, &in, &r);
	assert_int_equal(r.points[SCORE_CPU], 500);
	assert_int_equal(r.points[SCORE_MEM], 500);
	assert_int_equal(r.points[SCORE_DISK], 0);
	assert_int_equal(r.score, 1000000 - 200 * 500 - 200 * 500 - 150 * 1000);
}

static void test_link(void **state)
{
	/* Link speed and bad packets (of the ones sent) against points. */
	static const struct {
		int64_t mbps;
		uint64_t packets, bad;
		uint32_t points;
	} links[] = {
		{ 1000, 0, 0, 100 },
		{ -1, 0, 0, 500 }, /* veth and friends: unknown speed */
		/* 5 % bad packets halve it; 10 % and more zero it. */
		{ 10000, 1000, 50, 500 },
		{ 10000, 1000, 100, 0 },
		{ 10000, 1000, 5000, 0 },
	};
	struct score_inputs in = best();
	struct score_result r;

	(void)state;
	for (size_t i = 0; i < UNIT_LEN(links); i++) {
		in.link_mbps = links[i].mbps;
		in.link_packets = links[i].packets;
		in.link_bad = links[i].bad;
		score_combine(&cfg, &in, &r);
		assert_int_equal(r.points[SCORE_LINK], links[i].points);
	}
	assert_false(r.abnormal);
	/* Down: score 0 and abnormal, whatever else. */
	in = best();
	in.link_up = false;
	score_combine(&cfg, &in, &r);
	assert_int_equal(r.score, 0);
	assert_true(r.abnormal);
	assert_string_equal(r.why, "link down");
	assert_int_equal(r.points[SCORE_LINK], 0);
}

static void test_load_and_rtt(void **state)
{
	/* On 4 CPUs: load, round trip and loss against one part's points. */
	/* clang-format off */
	static const struct {
		double load1;
		uint32_t rtt_ms, loss_pct;
		int part;
		uint32_t points;
	} cases[] = {
		{ 2.0, 0, 0, SCORE_LOAD, 500 },
		{ 9.0, 0, 0, SCORE_LOAD, 0 },
		{ 9.0, 50, 0, SCORE_RTT, 500 },
		{ 9.0, 50, 50, SCORE_RTT, 250 },
		{ 9.0, 50, 300, SCORE_RTT, 0 },
	};
	/* clang-format on */
	struct score_inputs in = best();
	struct score_result r;

	(void)state;
	in.cpus = 4;
	for (size_t i = 0; i < UNIT_LEN(cases); i++) {
		in.load1 = cases[i].load1;
		in.rtt_ms = cases[i].rtt_ms;
		in.loss_pct = cases[i].loss_pct;
		score_combine(&cfg, &in, &r);
		assert_int_equal(r.points[cases[i].part], cases[i].points);
	}
}

static void test_monotonic(void **state)
{
	struct score_inputs in = best();
	struct score_result r;
	uint32_t last = 0;

	(void)state;
	/* More of a good thing never lowers the score. */
	in.mem_avail_kb = 0;
	for (int i = 0; i < 100; i++) {
		in.mem_avail_kb = (uint64_t)i * 100000;
		score_combine(&cfg, &in, &r);
		assert_true(r.score >= last);
		last = r.score;
	}
	last = UINT32_MAX;
	for (uint32_t rtt = 0; rtt < 2000; rtt += 7) {
		in.rtt_ms = rtt;
		score_combine(&cfg, &in, &r);
		assert_true(r.score <= last);
		last = r.score;
	}
}

static void test_config(void **state)
{
	struct score_config c;
	struct score_inputs in = best();
	struct score_result r;

	(void)state;
	score_config_default(&c);
	assert_int_equal(score_config_set(&c, "memory", "0"), 0);
	assert_int_equal(score_config_set(&c, "cpu", "1000"), 0);
	assert_int_equal(score_config_set(&c, "cpu", "1001"), -EINVAL);
	assert_int_equal(score_config_set(&c, "cpu", "-1"), -EINVAL);
	assert_int_equal(score_config_set(&c, "cpu", "12x"), -EINVAL);
	assert_int_equal(score_config_set(&c, "cpu", ""), -EINVAL);
	assert_int_equal(score_config_set(&c, "gpu", "5"), -ENOENT);
	in.mem_avail_kb = 0; /* weight 0: does not matter */
	score_combine(&c, &in, &r);
	assert_int_equal(r.score, (1000 + 150 + 200 + 100 + 150) * 1000);
	/* Out-of-range weights in the struct are capped, never overflow. */
	for (int p = 0; p < SCORE_PARTS; p++)
		c.weight[p] = UINT32_MAX;
	score_combine(&c, &in, &r);
	assert_int_equal(r.score, 5 * 1000 * 1000);
	/* Fixed score replaces the sum; a down link still wins. */
	assert_int_equal(score_config_set(&c, "fixed", "4242"), 0);
	assert_true(c.fixed);
	score_combine(&c, &in, &r);
	assert_int_equal(r.score, 4242);
	in.link_up = false;
	score_combine(&c, &in, &r);
	assert_int_equal(r.score, 0);
	assert_true(r.abnormal);
	assert_string_equal(score_part_name(SCORE_MEM), "memory");
}

static char *fixture(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/rup-test-score.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_proc_parsers(void **state)
{
	uint64_t kb = 0, free_bytes = 0;
	double load = -1;
	uint32_t cpus = 0;
	char *p;

	(void)state;
	p = fixture(
		"MemTotal:       16000000 kB\nMemFree:  100 kB\nMemAvailable:    1234567 kB\n");
	assert_int_equal(score_read_meminfo(p, &kb), 0);
	assert_int_equal(kb, 1234567);
	unlink(p);
	p = fixture("MemTotal:       16000000 kB\n"); /* kernels before 3.14 */
	assert_int_equal(score_read_meminfo(p, &kb), -ENODATA);
	unlink(p);
	p = fixture("0.75 0.50 0.25 1/123 4567\n");
	assert_int_equal(score_read_loadavg(p, &load), 0);
	assert_true(load > 0.74 && load < 0.76);
	unlink(p);
	p = fixture("garbage\n");
	assert_int_equal(score_read_loadavg(p, &load), -ENODATA);
	unlink(p);
	assert_int_equal(score_read_meminfo("/nonexistent", &kb), -ENOENT);
	/* The real ones on this machine. */
	assert_int_equal(score_read_meminfo(NULL, &kb), 0);
	assert_true(kb > 0);
	assert_int_equal(score_read_loadavg(NULL, &load), 0);
	assert_int_equal(score_read_cpus(&cpus), 0);
	assert_true(cpus >= 1);
	assert_int_equal(score_read_disk("/tmp", &free_bytes), 0);
	assert_int_equal(score_read_disk("/nonexistent", &free_bytes), -ENOENT);
}

static int link_events, link_last;

static void on_link(void *arg, const char *ifname, bool up)
{
	(void)arg;
	assert_string_equal(ifname, "lo");
	link_events++;
	link_last = up;
}

static void wait_event(struct score_linkwatch *lw, int want)
{
	struct pollfd pfd = { .fd = score_linkwatch_fd(lw), .events = POLLIN };

	for (int i = 0; i < 50 && link_events < want; i++)
		if (poll(&pfd, 1, 100) > 0)
			assert_int_equal(score_linkwatch_process(lw), 0);
	assert_int_equal(link_events, want);
}

/*
 * The watch and score_measure() both see "lo" @up; the score is abnormal
 * while it is down, above 0 once it is up.
 */
static void expect_lo(struct score_linkwatch *lw, struct score_link_info *prev,
		      bool up)
{
	struct score_inputs in = { 0 };
	struct score_result r;
	bool got = !up;

	assert_int_equal(score_linkwatch_get(lw, &got), 0);
	assert_int_equal(got, up);
	score_measure(&in, "/tmp", "lo", prev);
	assert_true(in.link_known);
	assert_int_equal(in.link_up, up);
	assert_true(in.disk_known);
	score_combine(&cfg, &in, &r);
	assert_int_equal(r.abnormal, !up);
	if (up)
		assert_true(r.score > 0);
}

/*
 * In a fresh network namespace (needs CAP_SYS_ADMIN; skipped without it):
 * "lo" starts down; the watch sees it come up and go down as it happens,
 * and the one-shot query and score_measure() agree.
 */
static void test_linkwatch_netns(void **state)
{
	struct score_linkwatch *lw;
	struct score_link_info li, prev = { 0 };

	(void)state;
	if (unshare(CLONE_NEWNET)) {
		print_message("no network namespace (%s): skipped\n",
			      strerror(errno));
		skip();
	}
	assert_int_equal(score_read_link("lo", &li), 0);
	assert_false(li.up);
	assert_int_equal(score_read_link("nosuch0", &li), -ENODEV);
	assert_int_equal(score_linkwatch_open(&lw, "lo", on_link, NULL), 0);
	expect_lo(lw, &prev, false);

	assert_int_equal(system("ip link set lo up"), 0);
	wait_event(lw, 1);
	assert_true(link_last);
	expect_lo(lw, &prev, true);

	assert_int_equal(system("ip link set lo down"), 0);
	wait_event(lw, 2);
	assert_false(link_last);
	score_linkwatch_close(lw);
}

UNIT_MAIN(setup, NULL, cmocka_unit_test(test_unknown_gets_half),
	  cmocka_unit_test(test_best_and_scaling), cmocka_unit_test(test_link),
	  cmocka_unit_test(test_load_and_rtt), cmocka_unit_test(test_monotonic),
	  cmocka_unit_test(test_config), cmocka_unit_test(test_proc_parsers),
	  cmocka_unit_test(test_linkwatch_netns))
