// SPDX-License-Identifier: GPL-2.0
/*
 * I2 (DESIGN.md section 6): untagged capability checks are untouched.
 * Whatever the policy, a CAP_CHECKPOINT_RESTORE holder gets nothing that
 * needs CAP_SYS_ADMIN or CAP_SYS_RESOURCE outside the tagged C/R checks,
 * and a CAP_SYS_ADMIN holder keeps what it had.
 */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

enum untagged { SETHOSTNAME, MOUNT, RAISE_RLIMIT };

static const char *const all_on =
	"suspend_seccomp on\nseccomp_dump on\nset_mm on\nseccomp_restore on\n"
	"map_files userns\n";
static const char *const all_off =
	"map_files off\nset_tid off\nns_last_pid off\nexe_file off\n"
	"locked_termios off\nipc_next_id off\namdkfd_criu off\n";

static int do_untagged(enum untagged what)
{
	struct rlimit rl;
	char name[64];

	switch (what) {
	case SETHOSTNAME:
		if (gethostname(name, sizeof(name)))
			return 250;
		return sethostname(name, strlen(name)) ? errno : 0;
	case MOUNT:
		if (mount("none", "/mnt", "tmpfs", 0, NULL))
			return errno;
		umount("/mnt");
		return 0;
	case RAISE_RLIMIT:
		if (getrlimit(RLIMIT_NOFILE, &rl))
			return 250;
		rl.rlim_max += 1;
		return setrlimit(RLIMIT_NOFILE, &rl) ? errno : 0;
	}
	return 250;
}

/*
 * @caller is CALLER_CR or CALLER_LEGACY (CAP_SYS_ADMIN, or CAP_SYS_RESOURCE
 * for the rlimit).
 */
static int run_untagged(enum untagged what, enum caller caller)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (become(caller, what == RAISE_RLIMIT ? OP_SET_MM : OP_MAP_FILES))
			_exit(251);
		_exit(do_untagged(what));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(i2) {};

FIXTURE_VARIANT(i2) {
	const char *policy;	/* NULL: as booted */
};

FIXTURE_SETUP(i2)
{
	mkdir("/mnt", 0755);
	if (variant->policy) {
		if (!lsm_active())
			SKIP(return, "checkpoint LSM not active");
		ASSERT_EQ(0, snapshot_policy());
		ASSERT_EQ(0, write_file(CKPT_DIR "/policy", variant->policy,
					strlen(variant->policy)));
	}
}

FIXTURE_TEARDOWN(i2)
{
	EXPECT_EQ(0, restore_policy());
}

TEST_F(i2, cr_holder_gets_no_admin)
{
	EXPECT_EQ(EPERM, run_untagged(SETHOSTNAME, CALLER_CR));
	EXPECT_EQ(EPERM, run_untagged(MOUNT, CALLER_CR));
	EXPECT_EQ(EPERM, run_untagged(RAISE_RLIMIT, CALLER_CR));
}

TEST_F(i2, legacy_holder_keeps_admin)
{
	EXPECT_EQ(0, run_untagged(SETHOSTNAME, CALLER_LEGACY));
	EXPECT_EQ(0, run_untagged(MOUNT, CALLER_LEGACY));
	EXPECT_EQ(0, run_untagged(RAISE_RLIMIT, CALLER_LEGACY));
}

FIXTURE_VARIANT_ADD(i2, as_booted) {
	.policy = NULL,
};

FIXTURE_VARIANT_ADD(i2, all_on) {
	.policy = all_on,
};

FIXTURE_VARIANT_ADD(i2, all_off) {
	.policy = all_off,
};

TEST_HARNESS_MAIN
