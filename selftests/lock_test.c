// SPDX-License-Identifier: GPL-2.0
/*
 * The one-way lock of DESIGN.md section 4.  Locking lasts until reboot, so
 * this program must be the last of its boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "common.h"
#include "../build/linux/tools/testing/selftests/kselftest_harness.h"

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
	char policy[1024];

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	expect_file(_metadata, LOCK, "0\n");
	EXPECT_EQ(0, write_file(LOCK, "0\n", 2));	/* unlocked: a no-op */
	EXPECT_EQ(-EINVAL, write_file(LOCK, "2\n", 2));
	EXPECT_EQ(-EINVAL, write_file(LOCK, "on", 2));
	expect_file(_metadata, LOCK, "0\n");

	ASSERT_EQ(0, set_mode(OP_SUSPEND_SECCOMP, "on"));
	ASSERT_LT(0, read_file(CKPT_DIR "/policy", policy, sizeof(policy)));
	ASSERT_EQ(0, write_file(LOCK, "1\n", 2));
	expect_file(_metadata, LOCK, "1\n");

	EXPECT_EQ(-EPERM, set_mode(OP_SUSPEND_SECCOMP, "off"));
	EXPECT_EQ(-EPERM, set_mode(OP_SET_MM, "on"));
	/* even a bad write reports the lock, not its content */
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/policy", "bogus\n", 6));
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/audit", "1\n", 2));
	EXPECT_EQ(-EPERM, write_file(LOCK, "0\n", 2));
	EXPECT_EQ(0, write_file(LOCK, "1\n", 2));	/* locking again is fine */
	expect_file(_metadata, LOCK, "1\n");
	expect_file(_metadata, CKPT_DIR "/policy", policy);
	expect_file(_metadata, CKPT_DIR "/audit", "0\n");

	/* the locked policy is the one in force */
	EXPECT_EQ(0, run_op(OP_SUSPEND_SECCOMP, CALLER_CR));
}

TEST_HARNESS_MAIN
