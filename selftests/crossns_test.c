// SPDX-License-Identifier: GPL-2.0
/*
 * I3 at the seam: refusals across a user-namespace boundary that mainline's
 * ptrace rules let through, so that the seam itself must refuse.
 *
 * The caller is uid 1000 made root of a user namespace U (a rootless
 * container's C/R task).  Its target is its own child, which entered a
 * user namespace V nested in U, mapped a file and installed a seccomp
 * filter.  Root of U has every capability over V, so the ptrace read and
 * attach checks pass (each step's control shows it); what remains is the
 * C/R capability check, made in the initial namespace, where the caller
 * holds nothing.  With every op on, the seam must refuse each targeted op
 * with its call site's errno; only map_files in userns mode may pass
 * (row 4: CAP_CHECKPOINT_RESTORE in V, attach allowed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "common.h"
#include "../kselftest_harness.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

static const char *const all_on =
	"suspend_seccomp on\nseccomp_dump on\nset_mm on\nseccomp_restore on\n";

struct target {
	pid_t pid;
	unsigned long start;
};

static int write_str(const char *path, const char *s)
{
	return write_file(path, s, strlen(s));
}

/*
 * The target: root of V (nested in U), a mapped file, a filter; waits.  The
 * file is opened in U (before the unshare) or in V (after it): finding 2 of
 * the review, a map_files link followed through row 4 may reach only a file
 * opened inside the target's namespace.
 */
static void target_main(int fd, bool open_in_v)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = insns };
	struct target t = { .pid = getpid() };
	int exe = open_in_v ? -1 : open("/proc/self/exe", O_RDONLY);
	void *addr;

	if ((!open_in_v && exe < 0) || unshare(CLONE_NEWUSER) ||
	    write_str("/proc/self/setgroups", "deny") ||
	    write_str("/proc/self/uid_map", "0 0 1") ||
	    write_str("/proc/self/gid_map", "0 0 1"))
		_exit(1);
	if (open_in_v)
		exe = open("/proc/self/exe", O_RDONLY);
	if (exe < 0)
		_exit(1);
	addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, exe, 0);
	if (addr == MAP_FAILED || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		_exit(1);
	t.start = (unsigned long)addr;
	if (write(fd, &t, sizeof(t)) != sizeof(t))
		_exit(1);
	for (;;)
		pause();
}

static int start_target(struct target *t, bool open_in_v)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		target_main(p[1], open_in_v);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], t, sizeof(*t)) != sizeof(*t)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return 0;
}

/* Step results, packed: 4 bits per step (0 ok, else an errno code). */
enum step { READLINK, OPEN_LINK, SEIZE, SEIZE_SUSPEND, GET_FILTER, NSTEPS };

static int errno_code(int err)
{
	switch (err) {
	case 0: return 0;
	case EPERM: return 1;
	case EACCES: return 2;
	default: return 15;
	}
}

/* As root of U: every step against the target in V. */
static int attack(bool open_in_v)
{
	struct target t;
	char path[128], buf[256];
	int codes = 0, fd, status;

	if (become(CALLER_USERNS_ROOT, OP_MAP_FILES) || start_target(&t, open_in_v))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", t.pid,
		 t.start, t.start + 4096);
	/* control: the ptrace read check (lookup, readlink) passes */
	codes |= errno_code(readlink(path, buf, sizeof(buf)) < 0 ? errno : 0)
		 << (4 * READLINK);
	fd = open(path, O_RDONLY);
	codes |= errno_code(fd < 0 ? errno : 0) << (4 * OPEN_LINK);
	if (fd >= 0)
		close(fd);
	/* control: attaching passes */
	if (ptrace(PTRACE_SEIZE, t.pid, 0, 0)) {
		codes |= errno_code(errno) << (4 * SEIZE);
	} else {
		if (ptrace(PTRACE_INTERRUPT, t.pid, 0, 0) ||
		    waitpid(t.pid, &status, __WALL) != t.pid)
			return -1;
		codes |= errno_code(ptrace(PTRACE_SECCOMP_GET_FILTER, t.pid, 0, NULL) < 0 ?
				    errno : 0) << (4 * GET_FILTER);
		ptrace(PTRACE_DETACH, t.pid, 0, 0);
	}
	/* the options are checked before the attach itself */
	if (ptrace(PTRACE_SEIZE, t.pid, 0, PTRACE_O_SUSPEND_SECCOMP))
		codes |= errno_code(errno) << (4 * SEIZE_SUSPEND);
	else
		ptrace(PTRACE_DETACH, t.pid, 0, 0);
	kill(t.pid, SIGKILL);
	waitpid(t.pid, NULL, __WALL);
	return codes;
}

static int run_attack(bool open_in_v)
{
	int p[2], codes = -1, status;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		codes = attack(open_in_v);
		_exit(write(p[1], &codes, sizeof(codes)) == sizeof(codes) ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &codes, sizeof(codes)) != sizeof(codes))
		codes = -1;
	close(p[0]);
	waitpid(pid, &status, 0);
	return codes;
}

static int step(int codes, enum step s)
{
	return (codes >> (4 * s)) & 15;
}

FIXTURE(crossns) {};

FIXTURE_VARIANT(crossns) {
	const char *map_files;
	bool open_in_v;	/* the target maps a file it opened inside V */
	int open_link;	/* errno code of opening the link */
};

FIXTURE_SETUP(crossns)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, snapshot_policy());
	ASSERT_EQ(0, write_file(CKPT_DIR "/policy", all_on, strlen(all_on)));
	ASSERT_EQ(0, set_mode(OP_MAP_FILES, variant->map_files));
}

FIXTURE_TEARDOWN(crossns)
{
	EXPECT_EQ(0, restore_policy());
}

TEST_F(crossns, nested_target)
{
	int codes = run_attack(variant->open_in_v);

	ASSERT_LE(0, codes) TH_LOG("setup failed");
	/* mainline's layers let every step through ... */
	EXPECT_EQ(0, step(codes, READLINK)) TH_LOG("ptrace read refused");
	EXPECT_EQ(0, step(codes, SEIZE)) TH_LOG("ptrace attach refused");
	/* ... and the seam refuses the C/R checks in the initial namespace */
	EXPECT_EQ(variant->open_link, step(codes, OPEN_LINK));
	EXPECT_EQ(errno_code(EPERM), step(codes, SEIZE_SUSPEND));
	EXPECT_EQ(errno_code(EACCES), step(codes, GET_FILTER));
}

/* on: CAP_CHECKPOINT_RESTORE in V is not in the initial namespace */
FIXTURE_VARIANT_ADD(crossns, map_files_on) {
	.map_files = "on", .open_link = 1,
};

/* userns: row 4, inside the caller's own container, for a file V opened */
FIXTURE_VARIANT_ADD(crossns, map_files_userns) {
	.map_files = "userns", .open_in_v = true, .open_link = 0,
};

/*
 * userns, but the file was opened in U and carried across the unshare:
 * following the link would be an open V never made, so row 4 refuses it.
 */
FIXTURE_VARIANT_ADD(crossns, map_files_userns_outer_file) {
	.map_files = "userns", .open_in_v = false, .open_link = 1,
};

TEST_HARNESS_MAIN
