// SPDX-License-Identifier: GPL-2.0
/*
 * Race stress (I4, I5): CAP_CHECKPOINT_RESTORE-only callers run map_files,
 * set_tid, ns_last_pid and suspend_seccomp in tight loops while the test
 * process flips those ops between on and off.  Every verdict must be one
 * the table allows under the policy before or after a flip (allowed, or
 * refused with the op's errno, nothing else), and stats must have counted
 * exactly the grants the callers saw, and the refusals the LSM made.
 * Bounded: RACE_SCALE (default 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

struct tally {
	long allowed, denied, other, last_other;
};

static const struct {
	enum op op;
	long iters;
} workers[] = {
	{ OP_MAP_FILES, 3000 }, { OP_MAP_FILES, 3000 },
	{ OP_NS_LAST_PID, 3000 }, { OP_NS_LAST_PID, 3000 },
	{ OP_SET_TID, 400 }, { OP_SUSPEND_SECCOMP, 300 },
};

#define NWORKERS ARRAY_SIZE(workers)

static const enum op flipped[] = {
	OP_MAP_FILES, OP_NS_LAST_PID, OP_SET_TID, OP_SUSPEND_SECCOMP,
};

static void worker(int w, long iters, struct tally *t)
{
	long i;

	if (become(CALLER_CR, workers[w].op))
		_exit(1);
	for (i = 0; i < iters; i++) {
		int ret = perform_op(workers[w].op);

		if (ret == 0)
			t->allowed++;
		else if (ret == EPERM)
			t->denied++;
		else
			t->other++, t->last_other = ret;
	}
	_exit(0);
}

FIXTURE(race) {};

FIXTURE_SETUP(race)
{
}

FIXTURE_TEARDOWN(race)
{
}

TEST_F_TIMEOUT(race, flip_under_load, 900)
{
	long scale = getenv("RACE_SCALE") ? atol(getenv("RACE_SCALE")) : 1;
	struct tally *t = mmap(NULL, sizeof(*t) * NWORKERS, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long cr0[OP_COUNT], den0[OP_COUNT], leg0[OP_COUNT], flips = 0, ops = 0;
	pid_t pids[NWORKERS];
	size_t w, f;
	int running;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_NE(MAP_FAILED, t);
	memset(t, 0, sizeof(*t) * NWORKERS);
	ASSERT_EQ(0, snapshot_policy());
	for (f = 0; f < ARRAY_SIZE(flipped); f++) {
		enum op op = flipped[f];

		cr0[op] = stat_counter(op, "cr");
		den0[op] = stat_counter(op, "refused");
		leg0[op] = stat_counter(op, "legacy");
	}
	for (w = 0; w < NWORKERS; w++) {
		pids[w] = fork();
		ASSERT_LE(0, pids[w]);
		if (pids[w] == 0)
			worker(w, workers[w].iters * scale, &t[w]);
	}
	/* flip until every worker is done */
	for (running = NWORKERS; running; ) {
		for (f = 0; f < ARRAY_SIZE(flipped); f++)
			ASSERT_EQ(0, set_mode(flipped[f], flips & 1 ? "on" : "off"));
		flips++;
		for (w = 0, running = 0; w < NWORKERS; w++) {
			int status;

			if (pids[w] && waitpid(pids[w], &status, WNOHANG) == pids[w]) {
				EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
				pids[w] = 0;
			}
			running += pids[w] != 0;
		}
	}
	EXPECT_EQ(0, restore_policy());
	for (f = 0; f < ARRAY_SIZE(flipped); f++) {
		enum op op = flipped[f];
		long allowed = 0, denied = 0, other = 0;

		for (w = 0; w < NWORKERS; w++) {
			if (workers[w].op != op)
				continue;
			allowed += t[w].allowed;
			denied += t[w].denied;
			other += t[w].other;
			EXPECT_EQ(0, t[w].other) TH_LOG("worker %zu: errno %ld",
							w, t[w].last_other);
		}
		ops += allowed + denied + other;
		TH_LOG("%s: %ld allowed, %ld denied, %ld other", op_names[op],
		       allowed, denied, other);
		/* each operation is one decision, counted once */
		EXPECT_EQ(allowed, stat_counter(op, "cr") - cr0[op]) TH_LOG("%s cr=", op_names[op]);
		/*
		 * Where mainline asks for CAP_CHECKPOINT_RESTORE, every refusal
		 * is the LSM's.  Elsewhere the seam asks for it only when the
		 * widen hook said on: a flip to off before the capable hook
		 * makes a refusal the LSM counts, else commoncap refuses alone.
		 */
		if (op == OP_SUSPEND_SECCOMP) {
			EXPECT_GE(denied, stat_counter(op, "refused") - den0[op]);
		} else {
			EXPECT_EQ(denied, stat_counter(op, "refused") - den0[op])
				TH_LOG("%s refused=", op_names[op]);
		}
		EXPECT_EQ(0, stat_counter(op, "legacy") - leg0[op]);
	}
	printf("# race: %ld operations by %zu callers, %ld policy flips\n", ops,
	       NWORKERS, flips);
	EXPECT_LT(1, flips);
}

TEST_HARNESS_MAIN
