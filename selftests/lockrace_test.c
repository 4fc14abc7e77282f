// SPDX-License-Identifier: GPL-2.0
/*
 * A policy write racing the lock (I4): two threads write the policy as
 * fast as they can while the lock is set; once the lock write returned, no
 * policy write may succeed and the policy must stay as it was.  This locks
 * the policy: it must be the last program of its boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

struct racer {
	int stop;
	long ok_after_lock, writes;
	int locked_seen;
};

static void *policy_writer(void *arg)
{
	struct racer *r = arg;
	int fd = open(CKPT_DIR "/policy", O_WRONLY);
	long i;

	for (i = 0; !__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST) && fd >= 0; i++) {
		const char *line = i & 1 ? "set_mm on\n" : "set_mm off\n";
		int locked_before = __atomic_load_n(&r->locked_seen, __ATOMIC_SEQ_CST);
		ssize_t n = pwrite(fd, line, strlen(line), 0);

		r->writes++;
		/* once the lock write returned, no write may succeed */
		if (n >= 0 && locked_before)
			r->ok_after_lock++;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

FIXTURE(lockrace) {};

FIXTURE_SETUP(lockrace)
{
}

FIXTURE_TEARDOWN(lockrace)
{
}

TEST_F_TIMEOUT(lockrace, policy_write_races_lock, 300)
{
	struct racer r = { 0 };
	char locked_policy[1024], later[1024];
	pthread_t th[2];
	int i;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, policy_writer, &r));
	usleep(100000);
	ASSERT_EQ(0, write_file(CKPT_DIR "/lock", "1", 1));
	__atomic_store_n(&r.locked_seen, 1, __ATOMIC_SEQ_CST);
	ASSERT_LT(0, read_file(CKPT_DIR "/policy", locked_policy, sizeof(locked_policy)));
	usleep(100000);
	__atomic_store_n(&r.stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	ASSERT_LT(0, read_file(CKPT_DIR "/policy", later, sizeof(later)));
	EXPECT_STREQ(locked_policy, later);
	EXPECT_EQ(0, r.ok_after_lock);
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/lock", "0", 1));
	printf("# lock race: %ld policy writes around the lock\n", r.writes);
}

TEST_HARNESS_MAIN
