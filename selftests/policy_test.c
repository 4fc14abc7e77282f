// SPDX-License-Identifier: GPL-2.0
/*
 * The securityfs interface of DESIGN.md section 4: policy, audit and stats
 * files, who may write them, and what a rejected write leaves behind.
 * The lock file is exercised by lock_test, which must run last in a boot.
 */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

#define POLICY CKPT_DIR "/policy"

static void read_policy(struct __test_metadata *_metadata, char *buf, size_t size)
{
	ASSERT_LT(0, read_file(POLICY, buf, size));
}

FIXTURE(policy) {};

FIXTURE_SETUP(policy)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, snapshot_policy());
}

FIXTURE_TEARDOWN(policy)
{
	EXPECT_EQ(0, restore_policy());
}

TEST_F(policy, lsm_listed)
{
	char buf[512];

	ASSERT_LT(0, read_file("/sys/kernel/security/lsm", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "checkpoint"));
}

TEST_F(policy, defaults)
{
	char buf[1024];

	read_policy(_metadata, buf, sizeof(buf));
	EXPECT_STREQ(DEFAULT_POLICY, buf);
}

TEST_F(policy, file_modes)
{
	static const struct { const char *name; mode_t mode; } files[] = {
		{ "policy", 0600 }, { "lock", 0600 }, { "audit", 0600 },
		{ "stats", 0400 },
	};
	char path[128];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), CKPT_DIR "/%s", files[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(files[i].mode, st.st_mode & 07777) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
	}
}

TEST_F(policy, write_read_back)
{
	char buf[1024];

	ASSERT_EQ(0, set_mode(OP_SET_MM, "on"));
	read_policy(_metadata, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "\nset_mm on\n"));
	/* the other ops kept their modes */
	EXPECT_NE(NULL, strstr(buf, "map_files on\nset_tid on\n"));
	EXPECT_NE(NULL, strstr(buf, "\nsuspend_seccomp off\nseccomp_dump off\n"));
}

TEST_F(policy, multi_line_write)
{
	static const char lines[] =
		"suspend_seccomp on\nseccomp_dump on\nmap_files userns\nset_tid off\n";
	char buf[1024];

	ASSERT_EQ(0, write_file(POLICY, lines, strlen(lines)));
	read_policy(_metadata, buf, sizeof(buf));
	EXPECT_STREQ("map_files userns\nset_tid off\nns_last_pid on\nexe_file on\n"
		     "locked_termios on\nipc_next_id on\nsuspend_seccomp on\n"
		     "seccomp_dump on\nset_mm off\nseccomp_restore off\n"
		     "amdkfd_criu on\n", buf);
}

TEST_F(policy, bad_writes_change_nothing)
{
	static const struct { const char *buf; size_t len; } bad[] = {
		{ "", 0 }, { "\n", 1 }, { "bogus on\n", 9 }, { "set_mm maybe\n", 13 },
		{ "set_mm userns\n", 14 }, { "set_mm on\nset_mm off\n", 21 },
		{ "set_mm on\nbogus on\n", 19 }, { "set_mm\n", 7 },
		{ "set_mm on extra\n", 16 }, { "set_mm on\0", 10 },
		{ "SET_MM on\n", 10 }, { "set_mm:on\n", 10 },
		{ "set_mm on\r\n", 11 }, { "set_mm on\n\n", 11 },
	};
	char before[1024], after[1024];
	size_t i;

	ASSERT_EQ(0, set_mode(OP_SECCOMP_DUMP, "on"));
	read_policy(_metadata, before, sizeof(before));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int fd = open(POLICY, O_WRONLY);
		ssize_t n;

		ASSERT_LE(0, fd);
		n = write(fd, bad[i].buf, bad[i].len);
		/* write(2) of 0 bytes never reaches the file: 0 is fine */
		if (bad[i].len) {
			EXPECT_EQ(-1, n) TH_LOG("bad write %zu accepted", i);
			EXPECT_EQ(EINVAL, errno) TH_LOG("bad write %zu", i);
		}
		close(fd);
		read_policy(_metadata, after, sizeof(after));
		EXPECT_STREQ(before, after) TH_LOG("bad write %zu changed policy", i);
	}
}

TEST_F(policy, offset_and_size_limits)
{
	char before[1024], after[1024], *big;
	int fd;

	read_policy(_metadata, before, sizeof(before));
	fd = open(POLICY, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pwrite(fd, "set_mm on\n", 10, 1));
	EXPECT_EQ(EINVAL, errno);
	big = malloc(2 * 4096);
	ASSERT_NE(NULL, big);
	memset(big, ' ', 2 * 4096);
	memcpy(big, "set_mm on\n", 10);
	EXPECT_EQ(-1, write(fd, big, 2 * 4096));
	EXPECT_EQ(EINVAL, errno);
	free(big);
	close(fd);
	read_policy(_metadata, after, sizeof(after));
	EXPECT_STREQ(before, after);
}

/* Run @fn in a child that became @caller; return its exit status. */
static int as_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Exit with the errno of writing set_mm on, 0 on success. */
static int try_write_policy(void)
{
	int ret = set_mode(OP_SET_MM, "on");

	return ret < 0 ? -ret : 0;
}

static int unprivileged_writer(void *arg)
{
	(void)arg;
	if (become(CALLER_NONE, OP_SET_MM))
		return 255;
	return try_write_policy();
}

static int cr_holder_writer(void *arg)
{
	(void)arg;
	if (become(CALLER_CR, OP_SET_MM))
		return 255;
	return try_write_policy();
}

static int drop_caps(int keep_dac)
{
	capng_get_caps_process();
	capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
		     CAPNG_BOUNDING_SET, CAP_MAC_ADMIN);
	if (!keep_dac)
		capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
			     CAPNG_BOUNDING_SET, CAP_DAC_OVERRIDE);
	return capng_apply(CAPNG_SELECT_BOTH);
}

static int root_without_mac_admin(void *arg)
{
	(void)arg;
	if (drop_caps(0))
		return 255;
	return try_write_policy();
}

/* uid 1000 that DAC lets open the file, without CAP_MAC_ADMIN. */
static int user_with_dac_override(void *arg)
{
	(void)arg;
	capng_clear(CAPNG_SELECT_BOTH);
	capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		     CAP_DAC_OVERRIDE);
	if (capng_change_id(CKPT_UID, CKPT_UID,
			    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING))
		return 255;
	return try_write_policy();
}

/* A descriptor opened by full root, written after CAP_MAC_ADMIN is gone. */
static int inherited_fd_writer(void *arg)
{
	int fd = open(POLICY, O_WRONLY);

	(void)arg;
	if (fd < 0 || drop_caps(1))
		return 255;
	if (write(fd, "set_mm on\n", 10) == 10)
		return 0;
	return errno;
}

TEST_F(policy, who_may_write)
{
	char before[1024], after[1024];

	read_policy(_metadata, before, sizeof(before));
	/* DAC stops uid 1000 at open(); CAP_MAC_ADMIN stops everyone else */
	EXPECT_EQ(EACCES, as_child(unprivileged_writer, NULL));
	EXPECT_EQ(EACCES, as_child(cr_holder_writer, NULL));
	EXPECT_EQ(EPERM, as_child(root_without_mac_admin, NULL));
	EXPECT_EQ(EPERM, as_child(user_with_dac_override, NULL));
	EXPECT_EQ(EPERM, as_child(inherited_fd_writer, NULL));
	read_policy(_metadata, after, sizeof(after));
	EXPECT_STREQ(before, after);
}

TEST_F(policy, audit_switch)
{
	char buf[16];

	ASSERT_EQ(2, read_file(CKPT_DIR "/audit", buf, sizeof(buf)));
	EXPECT_STREQ("0\n", buf);
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", "1\n", 2));
	ASSERT_EQ(2, read_file(CKPT_DIR "/audit", buf, sizeof(buf)));
	EXPECT_STREQ("1\n", buf);
	EXPECT_EQ(-EINVAL, write_file(CKPT_DIR "/audit", "2\n", 2));
	EXPECT_EQ(-EINVAL, write_file(CKPT_DIR "/audit", "yes", 3));
	EXPECT_EQ(-EINVAL, write_file(CKPT_DIR "/audit", "1\n\n", 3));
	ASSERT_EQ(2, read_file(CKPT_DIR "/audit", buf, sizeof(buf)));
	EXPECT_STREQ("1\n", buf);
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", "0", 1));
	ASSERT_EQ(2, read_file(CKPT_DIR "/audit", buf, sizeof(buf)));
	EXPECT_STREQ("0\n", buf);
}

TEST_F(policy, stats_format)
{
	char buf[2048], *line, *save;
	int lines = 0;

	ASSERT_LT(0, read_file(CKPT_DIR "/stats", buf, sizeof(buf)));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[32];
		long legacy, cr, refused;
		int fields;

		fields = sscanf(line, "%31s legacy=%ld cr=%ld refused=%ld",
				name, &legacy, &cr, &refused);
		ASSERT_EQ(4, fields) TH_LOG("%s", line);
		ASSERT_LT(lines, OP_COUNT);
		EXPECT_STREQ(op_names[lines], name);
		lines++;
	}
	EXPECT_EQ(OP_COUNT, lines);
}

/* root's CAP_DAC_OVERRIDE opens it; the file has no write method. */
TEST_F(policy, stats_writes_refused)
{
	EXPECT_EQ(-EINVAL, write_file(CKPT_DIR "/stats", "0", 1));
}

/*
 * The opener half of the permission rule: a root task without
 * CAP_MAC_ADMIN opens the files (file owner: DAC lets it), and full root,
 * which could write them itself, writes through those descriptors: EPERM,
 * nothing changes.  (escape_test covers the writer half.)
 */
static int opener_without_mac_admin(int sock)
{
	static const char *const names[] = { "policy", "lock", "audit" };
	int i;

	if (drop_caps(1))
		return 1;
	for (i = 0; i < 3; i++) {
		char path[128];
		int fd;

		snprintf(path, sizeof(path), CKPT_DIR "/%s", names[i]);
		fd = open(path, O_WRONLY);
		if (fd < 0 || send_fd(sock, fd))
			return 2;
		close(fd);
	}
	return 0;
}

TEST(opened_without_mac_admin)
{
	static const char *const payload[] = { "set_mm on\n", "1\n", "1\n" };
	char before[1024], after[1024], lock[8], audit[8];
	int sv[2], status, i;
	pid_t pid;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_LT(0, read_file(POLICY, before, sizeof(before)));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		_exit(opener_without_mac_admin(sv[1]));
	}
	close(sv[1]);
	for (i = 0; i < 3; i++) {
		int fd = recv_fd(sv[0]);

		ASSERT_LE(0, fd);
		EXPECT_EQ(-1, write(fd, payload[i], strlen(payload[i])));
		EXPECT_EQ(EPERM, errno);
		close(fd);
	}
	close(sv[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_LT(0, read_file(POLICY, after, sizeof(after)));
	EXPECT_STREQ(before, after);
	ASSERT_LT(0, read_file(CKPT_DIR "/lock", lock, sizeof(lock)));
	EXPECT_STREQ("0\n", lock);
	ASSERT_LT(0, read_file(CKPT_DIR "/audit", audit, sizeof(audit)));
	EXPECT_STREQ("0\n", audit);
}

TEST_HARNESS_MAIN
