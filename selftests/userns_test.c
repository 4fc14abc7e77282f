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
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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
	OUTER_FILE,	/* the C/R task's child in U, mapping a file opened outside U */
};

/*
 * A file that uid 1000 may read but not reach by its path: mode 0644 in a
 * directory of mode 0700 owned by root.  Opened by root before the
 * container starts, it is what a file handed into a container looks like.
 */
#define HIDDEN_DIR "/tmp/userns_test.hidden"
#define HIDDEN_FILE HIDDEN_DIR "/file"

struct report {
	unsigned long start, end;
	pid_t pid;
};

/*
 * Map a page of a file and report where; then wait to be killed.  The file
 * is @file if not negative (opened by the caller, then closed here once
 * mapped), else the workload's own executable, opened here.
 */
static void map_and_wait(int fd, bool dumpable, int file)
{
	struct report r = { .pid = getpid() };
	void *addr;

	if (file < 0)
		file = open("/proc/self/exe", O_RDONLY);

	capng_clear(CAPNG_SELECT_CAPS);
	if (file < 0 || capng_apply(CAPNG_SELECT_CAPS))
		_exit(1);
	addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, file, 0);
	if (addr == MAP_FAILED || close(file))
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

static void workload(int fd, bool dumpable)
{
	map_and_wait(fd, dumpable, -1);
}

static pid_t start_workload_on(bool dumpable, int file, struct report *r)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		map_and_wait(p[1], dumpable, file);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], r, sizeof(*r)) != sizeof(*r)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

static pid_t start_workload(bool dumpable, struct report *r)
{
	return start_workload_on(dumpable, -1, r);
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

/* The hidden file is out of the C/R task's reach by its path. */
static bool hidden_file_unreachable(void)
{
	int fd = open(HIDDEN_FILE, O_RDONLY);

	if (fd >= 0)
		close(fd);
	return fd < 0 && errno == EACCES;
}

/* The container's init: starts the workload and the C/R task. */
static int container(enum target_kind kind, const struct report *outside,
		     int hidden)
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
		} else if (kind == OUTER_FILE) {
			work = start_workload_on(true, hidden, &r);
			if (work < 0)
				_exit(252);
			close(hidden);
			if (!hidden_file_unreachable())
				_exit(249);
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
	int hidden;	/* HIDDEN_FILE, opened by root, or -1 */
	int kmsg;
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
	ASSERT_EQ(0, mkdir(HIDDEN_DIR, 0700) && errno != EEXIST);
	ASSERT_EQ(0, chmod(HIDDEN_DIR, 0700));
	self->hidden = open(HIDDEN_FILE, O_RDWR | O_CREAT, 0644);
	ASSERT_LE(0, self->hidden);
	ASSERT_EQ(0, fchmod(self->hidden, 0644));
	ASSERT_EQ(0, ftruncate(self->hidden, 4096));
	self->kmsg = open_kmsg_at_end();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(rootless)
{
	write_file(YAMA_SCOPE, self->scope, strlen(self->scope));
	close(self->hidden);
	close(self->kmsg);
	EXPECT_EQ(0, restore_policy());
}

TEST_F(rootless, open_map_files)
{
	struct report outside = { 0 };
	pid_t out = -1, pid;
	int status, ret;
	char *rec;

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
		_exit(container(variant->target, &outside, self->hidden));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (out > 0) {
		kill(out, SIGKILL);
		waitpid(out, NULL, 0);
	}
	ASSERT_TRUE(WIFEXITED(status));
	ret = WEXITSTATUS(status);
	TH_LOG("map_files %s, target %d, yama %s: got %s", variant->mode,
	       variant->target, variant->yama_scope, ret ? strerror(ret) : "allowed");
	ASSERT_GT(249, ret) TH_LOG("setup failed (%d)", ret);
	EXPECT_EQ(variant->expect, ret);
	/*
	 * The attach check behind the link is a probe made for an open(), not
	 * an attach: Yama must not report an attach attempt for it.
	 */
	rec = new_records(self->kmsg);
	ASSERT_NE(NULL, rec);
	EXPECT_EQ(0, count_in(rec, "ptrace attach of", "was attempted by", ""))
		TH_LOG("%s", rec);
	free(rec);
}

/*
 * A file opened outside U: following the link would open it afresh with
 * the C/R task's credentials, past a directory it cannot search.  Row 4
 * does not extend to it (DESIGN.md section 4, the v3 correction).
 */
FIXTURE_VARIANT_ADD(rootless, userns_outer_file) {
	.mode = "userns", .target = OUTER_FILE, .yama_scope = "0", .expect = EPERM,
};

FIXTURE_VARIANT_ADD(rootless, off_child) {
	.mode = "off", .target = CHILD, .yama_scope = "0", .expect = EPERM,
};

TEST_HARNESS_MAIN
