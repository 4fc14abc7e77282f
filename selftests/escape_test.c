// SPDX-License-Identifier: GPL-2.0
/*
 * Escape attempts (I3, I4): each must stay refused.
 *  - root of a nested user namespace against the ancestors' namespaces and
 *    tasks, for all nine ops, with every op on (map_files, suspend_seccomp
 *    and seccomp_dump in userns mode), past mainline's ptrace checks;
 *  - a CAP_CHECKPOINT_RESTORE holder writing policy, lock and audit:
 *    directly, through a descriptor root opened and passed over a unix
 *    socket, and from a child user namespace;
 *  - the boot parameters are not a runtime path.
 * A policy write racing the lock is lockrace_test, the last of its boot.
 */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "common.h"
#include "../kselftest_harness.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif
#ifndef PTRACE_SECCOMP_GET_METADATA
#define PTRACE_SECCOMP_GET_METADATA 0x420d
#endif

static const char *const all_on =
	"map_files userns\nset_tid on\nns_last_pid on\nexe_file on\n"
	"locked_termios on\nipc_next_id on\nsuspend_seccomp userns\n"
	"seccomp_dump userns\nset_mm on\nseccomp_restore on\namdkfd_criu on\n";

FIXTURE(nested) {};

FIXTURE_SETUP(nested)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, snapshot_policy());
	ASSERT_EQ(0, write_file(CKPT_DIR "/policy", all_on, strlen(all_on)));
}

FIXTURE_TEARDOWN(nested)
{
	EXPECT_EQ(0, restore_policy());
}

/* Ops without a target: the namespaces they check belong to ancestors. */
TEST_F(nested, untargeted_ops)
{
	static const enum op ops[] = {
		OP_SET_TID, OP_SET_TID_NESTED, OP_NS_LAST_PID, OP_LOCKED_TERMIOS,
		OP_IPC_NEXT_ID, OP_SEM_NEXT_ID, OP_SHM_NEXT_ID, OP_SET_MM,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		int ret = run_op(ops[i], CALLER_NESTED_USERNS_ROOT);

		EXPECT_NE(-1, ret) TH_LOG("%s: setup", op_names[ops[i]]);
		EXPECT_NE(0, ret) TH_LOG("%s: escaped", op_names[ops[i]]);
	}
	/* exe_file is checked in the caller's own namespace: mainline allows */
	EXPECT_EQ(0, run_op(OP_EXE_FILE, CALLER_NESTED_USERNS_ROOT));
}

static int allow_all_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = insns };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/*
 * A uid-1000 task of the initial namespace, mapping a file, under a filter.
 * It lets any task of its uid attach as far as Yama is concerned, so that
 * what refuses an attacker of its uid is the layer the test names.
 */
static pid_t outside_target(unsigned long *start)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd = open("/proc/self/exe", O_RDONLY);
		void *addr;

		close(p[0]);
		if (become(CALLER_NONE, OP_MAP_FILES) || fd < 0 ||
		    prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0) ||
		    allow_all_filter())
			_exit(1);
		addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		if (addr == MAP_FAILED ||
		    write(p[1], &addr, sizeof(addr)) != sizeof(addr))
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], start, sizeof(*start)) != sizeof(*start)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

/* Bits of attack()'s exit status: an escape, or a control that failed. */
enum {
	ESCAPED_MAP_FILES = 1,
	ESCAPED_SUSPEND = 2,
	ESCAPED_DUMP = 4,
	ESCAPED_METADATA = 8,
	NO_READLINK = 16,	/* mainline's ptrace read check refused */
	NO_SEIZE = 32,		/* mainline's attach check refused */
	NO_STOP = 64,
};

/*
 * The targeted ops against a task of the initial namespace, from root of a
 * user namespace of the same uid.  Mainline's ptrace checks refuse such a
 * caller even a ptrace read of a task outside its namespace (commoncap
 * wants CAP_SYS_PTRACE in the target's namespace): the map_files link does
 * not resolve and the target cannot be seized, whatever the policy.  The
 * one C/R check reached is the suspend option, checked before the attach,
 * which the seam must refuse.  The exit status says which layer refused:
 * the controls' bits must be set (mainline's layer), the escapes' never.
 * Where mainline does let such a caller attach (a target inside its
 * namespace), crossns_test and rootless_test attack the seam itself.
 */
static int attack(pid_t target, unsigned long start, enum caller caller)
{
	struct __ptrace_seccomp_metadata md = { .filter_off = 0 };
	char path[128], link[256];
	int fd, status, ret = 0;

	if (become(caller, OP_SUSPEND_SECCOMP))
		return 250;
	snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", target,
		 start, start + 4096);
	if (readlink(path, link, sizeof(link)) < 0)
		ret |= NO_READLINK;
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		ret |= ESCAPED_MAP_FILES;
		close(fd);
	}
	if (!ptrace(PTRACE_SEIZE, target, 0, PTRACE_O_SUSPEND_SECCOMP)) {
		ret |= ESCAPED_SUSPEND;
		ptrace(PTRACE_DETACH, target, 0, 0);
	}
	if (ptrace(PTRACE_SEIZE, target, 0, 0))
		return ret | NO_SEIZE;
	if (ptrace(PTRACE_INTERRUPT, target, 0, 0) ||
	    waitpid(target, &status, __WALL) != target)
		return ret | NO_STOP;
	if (ptrace(PTRACE_SECCOMP_GET_FILTER, target, 0, NULL) >= 0 ||
	    errno != EACCES)
		ret |= ESCAPED_DUMP;
	if (ptrace(PTRACE_SECCOMP_GET_METADATA, target, sizeof(md), &md) >= 0 ||
	    errno != EACCES)
		ret |= ESCAPED_METADATA;
	ptrace(PTRACE_DETACH, target, 0, 0);
	return ret;
}

TEST_F(nested, targeted_ops_against_ancestors)
{
	static const enum caller callers[] = {
		CALLER_USERNS_ROOT, CALLER_NESTED_USERNS_ROOT,
	};
	unsigned long start;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(callers); i++) {
		pid_t target = outside_target(&start), pid;
		int status;

		ASSERT_LT(0, target);
		pid = fork();
		if (pid == 0)
			_exit(attack(target, start, callers[i]));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(NO_READLINK | NO_SEIZE, WEXITSTATUS(status))
			TH_LOG("%s: mask %d (1-8: escaped; 16, 32: mainline refused the read, the seize)",
			       caller_names[callers[i]], WEXITSTATUS(status));
	}
}

/* ---- the policy files --------------------------------------------------- */

static const char *const files[] = { "policy", "lock", "audit" };
static const char *const payload[] = { "set_mm on\n", "0\n", "1\n" };

/*
 * As @caller: write each file directly, then through a descriptor root
 * opened and passed over a unix socket.  Exit status: a bit per success.
 */
static int cr_writer(int sock, enum caller caller)
{
	int escaped = 0, i;

	if (become(caller, OP_MAP_FILES))
		return 250;
	for (i = 0; i < 3; i++) {
		char path[128];
		int fd;

		snprintf(path, sizeof(path), CKPT_DIR "/%s", files[i]);
		if (!write_file(path, payload[i], strlen(payload[i])))
			escaped |= 1 << i;
		fd = recv_fd(sock);
		if (fd < 0)
			return 251;
		if (write(fd, payload[i], strlen(payload[i])) >= 0)
			escaped |= 8 << i;
		else if (errno != EPERM)
			escaped |= 64;
		close(fd);
	}
	return escaped;
}

TEST(cr_holder_cannot_administer)
{
	static const enum caller callers[] = {
		CALLER_CR, CALLER_USERNS_ROOT, CALLER_NESTED_USERNS_ROOT,
	};
	char before[3][1024], after[1024];
	size_t c;
	int i;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	for (i = 0; i < 3; i++) {
		char path[128];

		snprintf(path, sizeof(path), CKPT_DIR "/%s", files[i]);
		ASSERT_LT(0, read_file(path, before[i], sizeof(before[i])));
	}
	for (c = 0; c < ARRAY_SIZE(callers); c++) {
		int sv[2], status;
		pid_t pid;

		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		pid = fork();
		if (pid == 0) {
			close(sv[0]);
			_exit(cr_writer(sv[1], callers[c]));
		}
		close(sv[1]);
		for (i = 0; i < 3; i++) {
			char path[128];
			int fd;

			snprintf(path, sizeof(path), CKPT_DIR "/%s", files[i]);
			fd = open(path, O_WRONLY);	/* full root opens it */
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, send_fd(sv[0], fd));
			close(fd);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		close(sv[0]);
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("%s: escape mask %d",
							 caller_names[callers[c]],
							 WEXITSTATUS(status));
	}
	for (i = 0; i < 3; i++) {
		char path[128];

		snprintf(path, sizeof(path), CKPT_DIR "/%s", files[i]);
		ASSERT_LT(0, read_file(path, after, sizeof(after)));
		EXPECT_STREQ(before[i], after);
	}
}

/* Boot parameters are read once at boot: nothing exposes them later. */
TEST(no_runtime_parameter_path)
{
	struct stat st;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	EXPECT_NE(0, stat("/sys/module/checkpoint/parameters/policy", &st));
	EXPECT_NE(0, stat("/sys/module/checkpoint/parameters/lock", &st));
}

TEST_HARNESS_MAIN
