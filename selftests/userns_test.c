// SPDX-License-Identifier: GPL-2.0
/*
 * map_files in "userns" mode: the rootless-container case (DESIGN.md
 * section 4, row 4 of section 5, invariant I3).
 *
 * An unprivileged user (uid 1000) creates a user namespace U and becomes
 * root there: the "container".  Inside it, a workload task maps a file,
 * and a C/R task holding CAP_CHECKPOINT_RESTORE in U (and nothing in the
 * initial namespace) opens the workload's /proc/PID/map_files link.
 *
 * Yama's relational scope separates the two ptrace modes: PTRACE_MODE_READ
 * (needed to see map_files at all) is not restricted by it, attaching to a
 * task that is not a descendant is.  With scope 1 and a C/R task without
 * CAP_SYS_PTRACE, a sibling workload is readable but not attachable.
 */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

#define YAMA_SCOPE "/proc/sys/kernel/yama/ptrace_scope"

enum target_kind {
	CHILD,		/* the C/R task's own child, in U */
	SIBLING,	/* another task of the container, in U */
	NONDUMPABLE,	/* a child in U that made itself non-dumpable */
	OUTSIDE,	/* a uid-1000 task in the initial user namespace */
};

struct report {
	unsigned long start, end;
	pid_t pid;
};

/* Map a page of a file and report where; then wait to be killed. */
static void workload(int fd, bool dumpable)
{
	struct report r = { .pid = getpid() };
	void *addr;
	int file = open("/proc/self/exe", O_RDONLY);

	capng_clear(CAPNG_SELECT_CAPS);
	if (file < 0 || capng_apply(CAPNG_SELECT_CAPS))
		_exit(1);
	addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, file, 0);
	if (addr == MAP_FAILED)
		_exit(1);
	if (!dumpable && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		_exit(1);
	r.start = (unsigned long)addr;
	r.end = r.start + 4096;
	if (write(fd, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	for (;;)
		pause();
}

static pid_t start_workload(bool dumpable, struct report *r)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		workload(p[1], dumpable);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], r, sizeof(*r)) != sizeof(*r)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

/* The C/R task: CAP_CHECKPOINT_RESTORE in U, no CAP_SYS_PTRACE. */
static int open_map_file(const struct report *r)
{
	char path[128];
	int fd;

	capng_get_caps_process();
	capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_SYS_PTRACE);
	if (capng_apply(CAPNG_SELECT_CAPS))
		return 250;
	snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", r->pid,
		 r->start, r->end);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The container's init: starts the workload and the C/R task. */
static int container(enum target_kind kind, const struct report *outside)
{
	struct report r;
	pid_t work = -1, cr;
	int status, ret;

	/* uid 1000, root of its own user namespace U */
	if (become(CALLER_USERNS_ROOT, OP_MAP_FILES))
		return 251;
	if (kind == SIBLING) {
		work = start_workload(true, &r);
		if (work < 0)
			return 252;
	}
	cr = fork();
	if (cr == 0) {
		if (kind == CHILD || kind == NONDUMPABLE) {
			/* the workload is the C/R task's child */
			work = start_workload(kind == CHILD, &r);
			if (work < 0)
				_exit(252);
		} else if (kind == OUTSIDE) {
			r = *outside;
		}
		ret = open_map_file(&r);
		if (work > 0)
			kill(work, SIGKILL);
		_exit(ret);
	}
	if (cr < 0 || waitpid(cr, &status, 0) != cr || !WIFEXITED(status))
		ret = 253;
	else
		ret = WEXITSTATUS(status);
	if (work > 0) {
		kill(work, SIGKILL);
		waitpid(work, NULL, 0);
	}
	return ret;
}

FIXTURE(rootless) {
	char scope[8];
};

FIXTURE_VARIANT(rootless) {
	const char *mode;
	enum target_kind target;
	const char *yama_scope;
	int expect;	/* 0: allowed, else the errno */
};

FIXTURE_SETUP(rootless)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_LT(0, read_file(YAMA_SCOPE, self->scope, sizeof(self->scope)));
	ASSERT_EQ(0, set_mode(OP_MAP_FILES, variant->mode));
	ASSERT_EQ(0, write_file(YAMA_SCOPE, variant->yama_scope, 1));
}

FIXTURE_TEARDOWN(rootless)
{
	write_file(YAMA_SCOPE, self->scope, strlen(self->scope));
	EXPECT_EQ(0, restore_policy());
}

TEST_F(rootless, open_map_files)
{
	struct report outside = { 0 };
	pid_t out = -1, pid;
	int status, ret;

	if (variant->target == OUTSIDE) {
		/* a uid-1000 task outside U, dumpable, without capabilities */
		int p[2];

		ASSERT_EQ(0, pipe(p));
		out = fork();
		if (out == 0) {
			close(p[0]);
			if (become(CALLER_NONE, OP_MAP_FILES))
				_exit(1);
			workload(p[1], true);
		}
		close(p[1]);
		ASSERT_LT(0, out);
		ASSERT_EQ(sizeof(outside), read(p[0], &outside, sizeof(outside)));
		close(p[0]);
	}
	pid = fork();
	if (pid == 0)
		_exit(container(variant->target, &outside));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (out > 0) {
		kill(out, SIGKILL);
		waitpid(out, NULL, 0);
	}
	ASSERT_TRUE(WIFEXITED(status));
	ret = WEXITSTATUS(status);
	TH_LOG("map_files %s, target %d, yama %s: got %s", variant->mode,
	       variant->target, variant->yama_scope, ret ? strerror(ret) : "allowed");
	ASSERT_GT(250, ret) TH_LOG("setup failed (%d)", ret);
	EXPECT_EQ(variant->expect, ret);
}

/* on: CAP_CHECKPOINT_RESTORE in U is not the one in the initial ns */
FIXTURE_VARIANT_ADD(rootless, on_child) {
	.mode = "on", .target = CHILD, .yama_scope = "0", .expect = EPERM,
};

/* userns: row 4 */
FIXTURE_VARIANT_ADD(rootless, userns_child) {
	.mode = "userns", .target = CHILD, .yama_scope = "0", .expect = 0,
};

FIXTURE_VARIANT_ADD(rootless, userns_sibling_attachable) {
	.mode = "userns", .target = SIBLING, .yama_scope = "0", .expect = 0,
};

/* readable (map_files lookup works) but not attachable: row 4 says no */
FIXTURE_VARIANT_ADD(rootless, userns_sibling_not_attachable) {
	.mode = "userns", .target = SIBLING, .yama_scope = "1", .expect = EPERM,
};

FIXTURE_VARIANT_ADD(rootless, on_sibling_attachable) {
	.mode = "on", .target = SIBLING, .yama_scope = "0", .expect = EPERM,
};

/*
 * Refused by mainline, before the seam: the lookup of the map_files entry
 * needs PTRACE_MODE_READ (proc_map_files_lookup(), -EACCES), which a
 * non-dumpable target and a task outside U both refuse (commoncap: no
 * CAP_SYS_PTRACE over them).  crossns_test has the cases that reach the
 * seam across a namespace boundary.
 */
FIXTURE_VARIANT_ADD(rootless, userns_nondumpable) {
	.mode = "userns", .target = NONDUMPABLE, .yama_scope = "0", .expect = EACCES,
};

/* I3: nothing against a task outside U, whatever the mode */
FIXTURE_VARIANT_ADD(rootless, userns_outside) {
	.mode = "userns", .target = OUTSIDE, .yama_scope = "0", .expect = EACCES,
};

FIXTURE_VARIANT_ADD(rootless, on_outside) {
	.mode = "on", .target = OUTSIDE, .yama_scope = "0", .expect = EACCES,
};

FIXTURE_VARIANT_ADD(rootless, off_child) {
	.mode = "off", .target = CHILD, .yama_scope = "0", .expect = EPERM,
};

TEST_HARNESS_MAIN
