// SPDX-License-Identifier: GPL-2.0
/*
 * The one-way lock of DESIGN.md section 4.  Locking lasts until reboot, so
 * this program must be the last of its boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

#define LOCK CKPT_DIR "/lock"

static void expect_file(struct __test_metadata *_metadata, const char *path,
			const char *want)
{
	char buf[1024];

	ASSERT_LT(0, read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ(want, buf) TH_LOG("%s", path);
}

TEST(lock_is_one_way)
{
	char policy[1024], pid_field[32], *rec;
	int kmsg;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	expect_file(_metadata, LOCK, "0\n");
	EXPECT_EQ(0, write_file(LOCK, "0\n", 2));	/* unlocked: a no-op */
	EXPECT_EQ(-EINVAL, write_file(LOCK, "2\n", 2));
	EXPECT_EQ(-EINVAL, write_file(LOCK, "on", 2));
	expect_file(_metadata, LOCK, "0\n");

	ASSERT_EQ(0, set_mode(OP_SUSPEND_SECCOMP, "on"));
	ASSERT_LT(0, read_file(CKPT_DIR "/policy", policy, sizeof(policy)));
	/* kauditd prints asynchronously: let the records so far come out */
	usleep(500000);
	kmsg = open_kmsg_at_end();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, write_file(LOCK, "1\n", 2));
	expect_file(_metadata, LOCK, "1\n");

	EXPECT_EQ(-EPERM, set_mode(OP_SUSPEND_SECCOMP, "off"));
	EXPECT_EQ(-EPERM, set_mode(OP_SET_MM, "on"));
	/* even a bad write reports the lock, not its content */
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/policy", "bogus\n", 6));
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/audit", "1\n", 2));
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/audit", "2\n", 2));
	EXPECT_EQ(-EPERM, write_file(LOCK, "0\n", 2));
	EXPECT_EQ(0, write_file(LOCK, "1\n", 2));	/* locking again is fine */
	expect_file(_metadata, LOCK, "1\n");
	expect_file(_metadata, CKPT_DIR "/policy", policy);
	expect_file(_metadata, CKPT_DIR "/audit", "0\n");

	/*
	 * Audited: the lock once, with who locked it; each refused write
	 * once, res=0 with -EPERM; locking again changes nothing and leaves
	 * no record.
	 */
	usleep(500000);
	rec = new_records(kmsg);
	close(kmsg);
	ASSERT_NE(NULL, rec);
	snprintf(pid_field, sizeof(pid_field), " pid=%d ", getpid());
	EXPECT_EQ(1, count_in(rec, "type=1428 ", "lsm=checkpoint file=lock old=0 new=1 ",
			      pid_field)) TH_LOG("%s", rec);
	EXPECT_EQ(1, count_in(rec, "type=1428 ", "file=lock ", "res=1"));
	EXPECT_EQ(3, count_in(rec, "type=1428 ", "file=policy pid=", "res=0 errno=-1"));
	EXPECT_EQ(2, count_in(rec, "type=1428 ", "file=audit ", "res=0 errno=-1"));
	EXPECT_EQ(1, count_in(rec, "type=1428 ", "file=lock pid=", "res=0 errno=-1"));
	EXPECT_EQ(7, count_in(rec, "type=1428 ", "", ""));
	free(rec);

	/* the locked policy is the one in force */
	EXPECT_EQ(0, run_op(OP_SUSPEND_SECCOMP, CALLER_CR));
}

TEST_HARNESS_MAIN
