// SPDX-License-Identifier: GPL-2.0
/*
 * The boot parameters of DESIGN.md section 4, one boot each: the plan sets
 * CKPT_BOOT to the case this boot was started for.
 *   allon:  checkpoint.policy=suspend_seccomp:on,seccomp_dump:on,set_mm:on
 *   userns: checkpoint.policy=map_files:userns,set_tid:off
 *   bad:    checkpoint.policy=set_mm:maybe,suspend_seccomp:on
 *   locked: checkpoint.policy=set_mm:on checkpoint.lock=1
 *   lockbad: checkpoint.policy=set_mm:on checkpoint.lock=2 (fails closed)
 *   lockbare: checkpoint.policy=set_mm:on checkpoint.lock (locks)
 *   notlast: lsm=yama,checkpoint,safesetid (SafeSetID's capable hook runs
 *            after ours: the counts are not final, and we say so)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

#define SET_MM_ON_POLICY \
	"map_files on\nset_tid on\nns_last_pid on\nexe_file on\n" \
	"locked_termios on\nipc_next_id on\nsuspend_seccomp off\n" \
	"seccomp_dump off\nset_mm on\nseccomp_restore off\n" \
	"amdkfd_criu on\n"

#define ORDER_WARNING "safesetid checks capabilities after checkpoint"

static const struct {
	const char *boot;
	const char *policy;
	const char *lock;
} cases[] = {
	{ "allon",
	  "map_files on\nset_tid on\nns_last_pid on\nexe_file on\n"
	  "locked_termios on\nipc_next_id on\nsuspend_seccomp on\n"
	  "seccomp_dump on\nset_mm on\nseccomp_restore on\namdkfd_criu on\n", "0\n" },
	{ "userns",
	  "map_files userns\nset_tid off\nns_last_pid on\nexe_file on\n"
	  "locked_termios on\nipc_next_id on\nsuspend_seccomp off\n"
	  "seccomp_dump off\nset_mm off\nseccomp_restore off\n"
	  "amdkfd_criu on\n", "0\n" },
	{ "bad", DEFAULT_POLICY, "0\n" },
	{ "locked", SET_MM_ON_POLICY, "1\n" },
	{ "lockbad", SET_MM_ON_POLICY, "1\n" },
	{ "lockbare", SET_MM_ON_POLICY, "1\n" },
	{ "notlast", DEFAULT_POLICY, "0\n" },
};

static bool boot_is(const char *name)
{
	const char *boot = getenv("CKPT_BOOT");

	return boot && !strcmp(boot, name);
}

static bool boot_locks(void)
{
	return boot_is("locked") || boot_is("lockbad") || boot_is("lockbare");
}

/* Kernel log records since boot that contain @needle. */
static int count_kmsg(const char *needle)
{
	char rec[1024];
	int fd, found = 0;
	ssize_t n;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		if (strstr(rec, needle))
			found++;
	}
	close(fd);
	return found;
}

static int boot_case(void)
{
	const char *boot = getenv("CKPT_BOOT");
	size_t i;

	for (i = 0; boot && i < ARRAY_SIZE(cases); i++)
		if (!strcmp(boot, cases[i].boot))
			return i;
	return -1;
}

TEST(policy_from_boot)
{
	char buf[1024];
	int c = boot_case();

	if (c < 0 || !lsm_active())
		SKIP(return, "not a boot-parameter boot");
	ASSERT_LT(0, read_file(CKPT_DIR "/policy", buf, sizeof(buf)));
	EXPECT_STREQ(cases[c].policy, buf);
	ASSERT_LT(0, read_file(CKPT_DIR "/lock", buf, sizeof(buf)));
	EXPECT_STREQ(cases[c].lock, buf);
}

/* The policy read back is the one in force. */
TEST(policy_in_force)
{
	int c = boot_case();

	if (c < 0 || !lsm_active())
		SKIP(return, "not a boot-parameter boot");
	{
	bool set_mm_on = boot_is("allon") || boot_locks();
	bool set_tid_on = strcmp(cases[c].boot, "userns");

	EXPECT_EQ(set_mm_on ? 0 : EPERM, run_op(OP_SET_MM, CALLER_CR));
	EXPECT_EQ(set_tid_on ? 0 : EPERM, run_op(OP_SET_TID, CALLER_CR));
	}
}

TEST(malformed_policy_reported)
{
	if (boot_case() < 0 || !boot_is("bad") || !lsm_active())
		SKIP(return, "not the malformed-parameter boot");
	EXPECT_EQ(1, count_kmsg("malformed checkpoint.policy=set_mm:maybe"));
}

/*
 * checkpoint.lock=1, a bare checkpoint.lock, or a value that is not a
 * boolean (reported): locked before init ran, and stays so.
 */
TEST(locked_at_boot)
{
	if (boot_case() < 0 || !boot_locks() || !lsm_active())
		SKIP(return, "not a locked boot");
	EXPECT_EQ(-EPERM, set_mode(OP_SET_MM, "off"));
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/audit", "1", 1));
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/lock", "0", 1));
	EXPECT_EQ(0, run_op(OP_SET_MM, CALLER_CR));
	EXPECT_EQ(boot_is("lockbad") ? 1 : 0,
		  count_kmsg("checkpoint.lock=2 is not a boolean: policy locked"));
}

/*
 * The counts are facts only with checkpoint last among the LSMs that have
 * a capable hook: when one comes after it, the boot log and stats say so,
 * and only then.
 */
TEST(capable_order_warning)
{
	char buf[2048];

	if (boot_case() < 0 || !lsm_active())
		SKIP(return, "not a boot-parameter boot");
	ASSERT_LT(0, read_file(CKPT_DIR "/stats", buf, sizeof(buf)));
	EXPECT_EQ(boot_is("notlast"), strstr(buf, "\nwarning: " ORDER_WARNING) != NULL)
		TH_LOG("%s", buf);
	EXPECT_EQ(boot_is("notlast") ? 1 : 0, count_kmsg(ORDER_WARNING));
}

TEST_HARNESS_MAIN
