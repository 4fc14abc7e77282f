// SPDX-License-Identifier: GPL-2.0
/*
 * Rootless checkpoint of a seccomp-confined task: suspend_seccomp and
 * seccomp_dump in "userns" mode (DESIGN.md section 4b, row 4 of section 5,
 * invariant I3).
 *
 * The workload W is an ordinary user's (uid 1000) task that made itself
 * root of its own user namespace U and installed seccomp filters there, as
 * a rootless container's processes do.  The tracer T, with the same uid,
 * joins U (its owner may) and so holds every capability in U and none
 * outside: a rootless C/R tool.  T asks PTRACE_SEIZE with
 * PTRACE_O_SUSPEND_SECCOMP, then, attached, PTRACE_SECCOMP_GET_FILTER of
 * each filter and PTRACE_SECCOMP_GET_METADATA of the oldest (filter_off
 * counts from the first filter installed).
 *
 * In userns mode T may suspend and dump the filters installed in U; never
 * a filter installed outside U (before the unshare), a filter with a
 * user-notification listener, a task outside U, another user's task, nor
 * anything while T is confined itself.  With the default policy, on, or
 * without the LSM, everything is refused as on mainline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cap-ng.h>
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
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER 8UL
#endif

#define YAMA_SCOPE "/proc/sys/kernel/yama/ptrace_scope"
#define BOB_UID 1001

enum workload_kind {
	OWN,		/* W's two filters are installed in U */
	OUTER,		/* W's older filter was installed before the unshare */
	LISTENER,	/* W's newer filter has a user-notification listener */
	OUTSIDE,	/* W (uid 1000, a filter) stays in the initial namespace */
	BOB,		/* W is uid 1001's, in bob's own namespace */
	CONFINED,	/* as OWN, but T runs under a filter itself */
	PLAIN,		/* no namespace, no filter: T and W are plain uid 1000 */
};

/* What T saw: 0 or an errno for each step, -1 for a step not reached. */
struct outcome {
	int suspend;	/* PTRACE_SEIZE with PTRACE_O_SUSPEND_SECCOMP */
	int seize;	/* control: PTRACE_SEIZE alone */
	int filter[2];	/* PTRACE_SECCOMP_GET_FILTER, oldest (0) first */
	int metadata;	/* PTRACE_SECCOMP_GET_METADATA of the oldest */
};

static int install_filter(unsigned int flags)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = insns };

	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static int write_proc(const char *path, const char *s)
{
	return write_file(path, s, strlen(s)) ? -1 : 0;
}

/* uid @uid, no capability, dumpable */
static int become_user(uid_t uid)
{
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_change_id(uid, uid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING))
		return -1;
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/* Root of a new user namespace, over our own uid. */
static int own_userns(uid_t uid)
{
	char map[32];

	snprintf(map, sizeof(map), "0 %d 1", uid);
	if (unshare(CLONE_NEWUSER) || write_proc("/proc/self/setgroups", "deny") ||
	    write_proc("/proc/self/uid_map", map) ||
	    write_proc("/proc/self/gid_map", map))
		return -1;
	return 0;
}

/* W: its namespace and filters, as @kind says; then waits. */
static void workload(enum workload_kind kind, int ready)
{
	uid_t uid = kind == BOB ? BOB_UID : CKPT_UID;
	int listener = -1;

	if (become_user(uid) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(1);
	if (kind == PLAIN)
		goto ready;
	/* the filter a wrapper installs before the container starts */
	if (kind == OUTER && install_filter(0))
		_exit(2);
	if (kind != OUTSIDE && own_userns(uid))
		_exit(3);
	if (install_filter(kind == OUTER ? 0 : SECCOMP_FILTER_FLAG_TSYNC))
		_exit(4);
	if (kind != OUTER) {
		listener = install_filter(kind == LISTENER ?
					  SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
		if (listener < 0)
			_exit(5);
	}
ready:
	if (write(ready, "r", 1) != 1)
		_exit(6);
	for (;;)
		pause();
}

static int err_of(long ret)
{
	return ret < 0 ? errno : 0;
}

/* T, attached to @w and stopped: every dump step. */
static void dump_steps(pid_t w, struct outcome *o)
{
	struct __ptrace_seccomp_metadata md = { .filter_off = 0 };
	int status, i;

	if (ptrace(PTRACE_INTERRUPT, w, 0, 0) || waitpid(w, &status, __WALL) != w)
		return;
	for (i = 0; i < 2; i++)
		o->filter[i] = err_of(ptrace(PTRACE_SECCOMP_GET_FILTER, w, i, NULL));
	o->metadata = err_of(ptrace(PTRACE_SECCOMP_GET_METADATA, w, sizeof(md), &md));
	ptrace(PTRACE_DETACH, w, 0, 0);
}

/* T: joins W's namespace (or makes its own), then every step. */
static void tracer(enum workload_kind kind, pid_t w, int report)
{
	struct outcome o = { -1, -1, { -1, -1 }, -1 };
	char path[64];
	int ns;

	if (become_user(CKPT_UID))
		_exit(1);
	if (kind == OUTSIDE || kind == BOB) {
		if (own_userns(CKPT_UID))
			_exit(2);
	} else if (kind != PLAIN) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", w);
		ns = open(path, O_RDONLY);
		if (ns < 0 || setns(ns, CLONE_NEWUSER))
			_exit(3);
		close(ns);
	}
	if (kind == CONFINED &&
	    (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || install_filter(0)))
		_exit(4);

	o.suspend = err_of(ptrace(PTRACE_SEIZE, w, 0, PTRACE_O_SUSPEND_SECCOMP));
	if (!o.suspend) {
		o.seize = 0;
	} else {
		o.seize = err_of(ptrace(PTRACE_SEIZE, w, 0, 0));
		if (o.seize)
			goto out;
	}
	dump_steps(w, &o);
out:
	_exit(write(report, &o, sizeof(o)) == sizeof(o) ? 0 : 5);
}

static int run(enum workload_kind kind, struct outcome *o)
{
	int ready[2], report[2], ret = -1;
	pid_t w, t;
	char c;

	if (pipe(ready) || pipe(report))
		return -1;
	w = fork();
	if (w == 0)
		workload(kind, ready[1]);
	close(ready[1]);
	if (w < 0 || read(ready[0], &c, 1) != 1)
		goto out;
	t = fork();
	if (t == 0)
		tracer(kind, w, report[1]);
	close(report[1]);
	report[1] = -1;
	if (t > 0 && read(report[0], o, sizeof(*o)) == sizeof(*o))
		ret = 0;
	if (t > 0)
		waitpid(t, NULL, 0);
out:
	if (w > 0) {
		kill(w, SIGKILL);
		waitpid(w, NULL, 0);
	}
	close(ready[0]);
	close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	return ret;
}

FIXTURE(rootless) {
	char scope[8];
};

FIXTURE_VARIANT(rootless) {
	const char *mode;	/* both seccomp ops; NULL: the policy as booted */
	enum workload_kind kind;
	struct outcome expect;
	int suspend_cr;		/* suspend_seccomp cr= after the steps */
	int dump_cr;		/* seccomp_dump cr= after the steps */
};

FIXTURE_SETUP(rootless)
{
	bool lsm = lsm_active();

	if (variant->mode && !lsm)
		SKIP(return, "checkpoint LSM not active");
	ASSERT_LT(0, read_file(YAMA_SCOPE, self->scope, sizeof(self->scope)));
	/* classic same-uid ptrace: the tests are about the C/R checks */
	ASSERT_EQ(0, write_file(YAMA_SCOPE, "0", 1));
	if (lsm)
		ASSERT_EQ(0, snapshot_policy());
	if (variant->mode) {
		ASSERT_EQ(0, set_mode(OP_SUSPEND_SECCOMP, variant->mode));
		ASSERT_EQ(0, set_mode(OP_SECCOMP_DUMP, variant->mode));
	}
}

FIXTURE_TEARDOWN(rootless)
{
	write_file(YAMA_SCOPE, self->scope, strlen(self->scope));
	if (lsm_active())
		EXPECT_EQ(0, restore_policy());
}

TEST_F(rootless, checkpoint_seccomp)
{
	long s0 = 0, d0 = 0;
	struct outcome o;
	bool lsm = lsm_active();

	if (lsm) {
		s0 = stat_counter(OP_SUSPEND_SECCOMP, "cr");
		d0 = stat_counter(OP_SECCOMP_DUMP, "cr");
	}
	ASSERT_EQ(0, run(variant->kind, &o)) TH_LOG("a task did not start");
	EXPECT_EQ(variant->expect.suspend, o.suspend);
	EXPECT_EQ(variant->expect.seize, o.seize);
	EXPECT_EQ(variant->expect.filter[0], o.filter[0]);
	EXPECT_EQ(variant->expect.filter[1], o.filter[1]);
	EXPECT_EQ(variant->expect.metadata, o.metadata);
	if (lsm) {
		/* one count per operation, not per filter */
		EXPECT_EQ(variant->suspend_cr, stat_counter(OP_SUSPEND_SECCOMP, "cr") - s0);
		EXPECT_EQ(variant->dump_cr, stat_counter(OP_SECCOMP_DUMP, "cr") - d0);
	}
}

/* DESIGN.md section 5, row 4 with section 4b's filter rule, by hand. */
#define REFUSED { EPERM, 0, { EACCES, EACCES }, EACCES }

/* mainline (and the LSM's default policy): never in a user namespace */
FIXTURE_VARIANT_ADD(rootless, own_default) {
	.mode = NULL, .kind = OWN, .expect = REFUSED,
};

/* on: CAP_CHECKPOINT_RESTORE in U is not in the initial namespace */
FIXTURE_VARIANT_ADD(rootless, own_on) {
	.mode = "on", .kind = OWN, .expect = REFUSED,
};

FIXTURE_VARIANT_ADD(rootless, own_off) {
	.mode = "off", .kind = OWN, .expect = REFUSED,
};

/* userns: both filters were installed in U: suspended and dumped */
FIXTURE_VARIANT_ADD(rootless, own_userns) {
	.mode = "userns", .kind = OWN, .expect = { 0, 0, { 0, 0 }, 0 },
	.suspend_cr = 1, .dump_cr = 3,
};

/*
 * The older filter came from outside U: no suspend, no dump of it (nor of
 * its metadata), while the newer one, installed in U, is dumped.
 */
FIXTURE_VARIANT_ADD(rootless, outer_filter_userns) {
	.mode = "userns", .kind = OUTER,
	.expect = { EPERM, 0, { EACCES, 0 }, EACCES },
	.suspend_cr = 1, .dump_cr = 3,
};

/* a supervisor listens on the newer filter: no suspend, no dump of it */
FIXTURE_VARIANT_ADD(rootless, listener_userns) {
	.mode = "userns", .kind = LISTENER,
	.expect = { EPERM, 0, { 0, EACCES }, 0 },
	.suspend_cr = 1, .dump_cr = 3,
};

/*
 * A task of the same uid outside T's namespace: T has nothing in the
 * task's namespace.  Mainline's own ptrace check refuses the seize
 * (commoncap wants CAP_SYS_PTRACE in the tracee's namespace from a tracer
 * of another); the suspend option is checked before it, by the seam.
 */
FIXTURE_VARIANT_ADD(rootless, outside_task_userns) {
	.mode = "userns", .kind = OUTSIDE, .expect = { EPERM, EPERM, { -1, -1 }, -1 },
};

/*
 * An ordinary user and her own unconfined task, no namespace: attach
 * rights alone, without CAP_CHECKPOINT_RESTORE in the task's namespace,
 * pass nothing (a task without filters leaves the filter rule nothing to
 * refuse: only the capability stands).
 */
FIXTURE_VARIANT_ADD(rootless, plain_user_userns) {
	.mode = "userns", .kind = PLAIN, .expect = REFUSED,
};

/* bob's task in bob's namespace: not even attachable */
FIXTURE_VARIANT_ADD(rootless, bobs_task_userns) {
	.mode = "userns", .kind = BOB, .expect = { EPERM, EPERM, { -1, -1 }, -1 },
};

/*
 * A confined tracer: mainline's own rule, checked after the capability,
 * which passed (counted: a capability decision, like its record).
 */
FIXTURE_VARIANT_ADD(rootless, confined_tracer_userns) {
	.mode = "userns", .kind = CONFINED, .expect = REFUSED,
	.suspend_cr = 1, .dump_cr = 3,
};

TEST_HARNESS_MAIN
