// SPDX-License-Identifier: GPL-2.0
/*
 * I1 and review finding 4: the capability checks each checkpoint/restore
 * call site makes, in order, read from a kprobe event on security_capable()
 * (every capability check made through capable() and its variants goes
 * there, whatever LSMs run).
 *
 * The expected sequences are mainline 6.12's, written out by hand from its
 * call sites (DESIGN.md section 3): checkpoint_restore_ns_capable() asks
 * CAP_CHECKPOINT_RESTORE then CAP_SYS_ADMIN; the other sites ask their
 * legacy capability alone.  With the default policy, and with checkpoint
 * out of lsm=, the patched kernel must ask exactly these.  With an op on,
 * CAP_CHECKPOINT_RESTORE comes first (so a MAC policy that allows it never
 * sees a sys_admin check from its holders); seccomp_restore keeps
 * CAP_SYS_ADMIN first, whose holders must stay on mainline's path.
 *
 * Also finding 8: the map_files userns path asks ptrace attach rights
 * exactly once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

#define TRACING "/sys/kernel/tracing"
#define CR 40		/* CAP_CHECKPOINT_RESTORE */
#define SA 21		/* CAP_SYS_ADMIN */
#define SR 24		/* CAP_SYS_RESOURCE */
#define MAX_CHECKS 16

/* One capability check: the capability and whether it was unaudited. */
struct check {
	int cap;
	bool noaudit;
};

struct sequence {
	int n;
	struct check c[MAX_CHECKS];
};

static int tracing_write(const char *file, const char *s)
{
	char path[128];

	snprintf(path, sizeof(path), TRACING "/%s", file);
	return write_file(path, s, strlen(s));
}

/*
 * A kprobe on security_capable(): every check made through capable() and
 * friends, and not cap_vm_enough_memory()'s direct cap_capable() calls,
 * which every fork and mmap makes (x86_64: cap in arg3, opts in arg4).
 */
static int tracing_setup(void)
{
	struct stat st;
	int fd;

	if (stat(TRACING "/kprobe_events", &st) &&
	    mount("tracefs", TRACING, "tracefs", 0, NULL))
		return -errno;
	/* disabled probes can go: truncating kprobe_events removes them all */
	tracing_write("events/ckpt/enable", "0\n");
	fd = open(TRACING "/kprobe_events", O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	if (tracing_write("kprobe_events",
			  "p:ckpt/cap security_capable cap=$arg3:s32 opts=$arg4:x32\n") ||
	    tracing_write("kprobe_events",
			  "p:ckpt/ptrace ptrace_may_access mode=$arg2:x32\n"))
		return -EINVAL;
	return 0;
}

/*
 * Run @op as @caller with the probes on; the caller marks the start and the
 * end of the operation itself in trace_marker (opened before it drops its
 * capabilities), so that the checks of becoming @caller are left out.
 */
static int traced_run(enum op op, enum caller caller, char *trace, size_t size)
{
	int marker, status, ret;
	pid_t pid;

	if (tracing_write("trace", "\n") || tracing_write("events/ckpt/enable", "1\n"))
		return -1;
	marker = open(TRACING "/trace_marker", O_WRONLY | O_CLOEXEC);
	if (marker < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (become(caller, op))
			_exit(250);
		if (write(marker, "ckpt-begin\n", 11) != 11)
			_exit(250);
		ret = perform_op(op);
		if (write(marker, "ckpt-end\n", 9) != 9)
			_exit(250);
		_exit(ret);
	}
	close(marker);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	tracing_write("events/ckpt/enable", "0\n");
	if (read_file(TRACING "/trace", trace, size) < 0)
		return -1;
	last_op_pid = pid;
	return WEXITSTATUS(status) >= 250 ? -1 : WEXITSTATUS(status);
}

/*
 * The checks of @cap in {CR, SA, SR} made by @pid between its markers, and
 * the number of ptrace attach checks (PTRACE_MODE_ATTACH) among them.
 */
static int parse_trace(char *trace, pid_t pid, struct sequence *seq,
		       int *attach_checks)
{
	char tag[32], *line, *save;
	bool inside = false, done = false;

	seq->n = 0;
	*attach_checks = 0;
	snprintf(tag, sizeof(tag), "-%d ", pid);
	for (line = strtok_r(trace, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int opts, mode;
		char *p;
		int cap;

		if (line[0] == '#' || !strstr(line, tag))
			continue;
		if (strstr(line, "ckpt-begin")) {
			inside = true;
			continue;
		}
		if (strstr(line, "ckpt-end")) {
			done = inside;
			break;
		}
		if (!inside)
			continue;
		p = strstr(line, " mode=0x");
		if (p && sscanf(p, " mode=0x%x", &mode) == 1) {
			*attach_checks += !!(mode & 0x2);
			continue;
		}
		p = strstr(line, " cap=");
		if (!p || sscanf(p, " cap=%d opts=0x%x", &cap, &opts) != 2)
			continue;
		if (cap != CR && cap != SA && cap != SR)
			continue;
		if (seq->n == MAX_CHECKS)
			return -1;
		seq->c[seq->n].cap = cap;
		seq->c[seq->n].noaudit = opts & 0x2;
		seq->n++;
	}
	return done ? 0 : -1;
}

static void format_sequence(const struct sequence *seq, char *out, size_t size)
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < seq->n && len < size; i++)
		len += snprintf(out + len, size - len, "%s%s%s",
				i ? "," : "",
				seq->c[i].cap == CR ? "checkpoint_restore" :
				seq->c[i].cap == SA ? "sys_admin" : "sys_resource",
				seq->c[i].noaudit ? "(noaudit)" : "");
}

FIXTURE(order) {};

FIXTURE_VARIANT(order) {
	enum op op;
	enum caller caller;
	const char *mode;	/* NULL: the policy as booted (default) */
	const char *expect;	/* as format_sequence() writes it */
};

FIXTURE_SETUP(order)
{
	int ret;

	if (variant->mode && !lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ret = tracing_setup();
	ASSERT_EQ(0, ret) TH_LOG("kprobe events: %s", strerror(-ret));
	if (variant->mode)
		ASSERT_EQ(0, set_mode(policy_op(variant->op), variant->mode));
}

FIXTURE_TEARDOWN(order)
{
	if (variant->mode)
		EXPECT_EQ(0, restore_policy());
}

TEST_F(order, checks)
{
	static char trace[1 << 20];
	struct sequence seq;
	char got[512];
	int attach;

	ASSERT_LE(0, traced_run(variant->op, variant->caller, trace, sizeof(trace)));
	ASSERT_EQ(0, parse_trace(trace, last_op_pid, &seq, &attach))
		TH_LOG("no complete trace for pid %d", last_op_pid);
	format_sequence(&seq, got, sizeof(got));
	EXPECT_STREQ(variant->expect, got) TH_LOG("%s as %s",
						  op_names[variant->op],
						  caller_names[variant->caller]);
}

#define ORDER(o, c, m, e)						\
	FIXTURE_VARIANT_ADD(order, o##_##c##_##m) {			\
		.op = OP_##o, .caller = CALLER_##c, .mode = m##_MODE,	\
		.expect = e,						\
	}
#define default_MODE NULL
#define on_MODE "on"
#define off_MODE "off"

#define MAINLINE_PAIR "checkpoint_restore,sys_admin"
#define IPC_PAIR "checkpoint_restore(noaudit),sys_admin(noaudit)"

/* mainline's questions: a caller with nothing is asked all of them */
ORDER(MAP_FILES, NONE, default, MAINLINE_PAIR);
ORDER(SET_TID, NONE, default, MAINLINE_PAIR);
ORDER(NS_LAST_PID, NONE, default, MAINLINE_PAIR);
ORDER(EXE_FILE, NONE, default, MAINLINE_PAIR);
ORDER(LOCKED_TERMIOS, NONE, default, MAINLINE_PAIR);
/* a sysctl is checked at open and at write; the open is refused */
ORDER(IPC_NEXT_ID, NONE, default, IPC_PAIR);
ORDER(SUSPEND_SECCOMP, NONE, default, "sys_admin");
ORDER(SUSPEND_SECCOMP_SETOPT, NONE, default, "sys_admin");
ORDER(SECCOMP_DUMP, NONE, default, "sys_admin");
ORDER(SECCOMP_METADATA, NONE, default, "sys_admin");
ORDER(SET_MM, NONE, default, "sys_resource");
ORDER(SECCOMP_RESTORE, NONE, default, "sys_admin(noaudit)");
/* a holder of CAP_CHECKPOINT_RESTORE stops at the first question */
ORDER(MAP_FILES, CR, default, "checkpoint_restore");
ORDER(SET_TID, CR, default, "checkpoint_restore");
ORDER(IPC_NEXT_ID, CR, default, "checkpoint_restore(noaudit),checkpoint_restore(noaudit)");
ORDER(SUSPEND_SECCOMP, CR, default, "sys_admin");
ORDER(SET_MM, CR, default, "sys_resource");
ORDER(SECCOMP_RESTORE, CR, default, "sys_admin(noaudit)");
/* a holder of the legacy capability is asked for CR first, as in mainline */
ORDER(MAP_FILES, LEGACY, default, MAINLINE_PAIR);
ORDER(EXE_FILE, LEGACY, default, MAINLINE_PAIR);
ORDER(SUSPEND_SECCOMP, LEGACY, default, "sys_admin");
ORDER(SET_MM, LEGACY, default, "sys_resource");

/* widened: CAP_CHECKPOINT_RESTORE first, its holders never asked more */
ORDER(SUSPEND_SECCOMP, CR, on, "checkpoint_restore");
ORDER(SECCOMP_DUMP, CR, on, "checkpoint_restore");
ORDER(SET_MM, CR, on, "checkpoint_restore");
ORDER(SUSPEND_SECCOMP, LEGACY, on, "checkpoint_restore,sys_admin");
ORDER(SET_MM, NONE, on, "checkpoint_restore,sys_resource");
/* seccomp_restore: the legacy capability first, unaudited */
ORDER(SECCOMP_RESTORE, CR, on, "sys_admin(noaudit),checkpoint_restore(noaudit)");
ORDER(SECCOMP_RESTORE, LEGACY, on, "sys_admin(noaudit)");
/* off: the same questions as mainline, the LSM refuses CR in capable */
ORDER(MAP_FILES, CR, off, MAINLINE_PAIR);
ORDER(SUSPEND_SECCOMP, CR, off, "sys_admin");
/*
 * PR_SET_MM_EXE_FILE through CAP_CHECKPOINT_RESTORE also asks exe_file's
 * question (DESIGN.md section 3, composition).
 */
ORDER(SET_MM_EXE_FILE, CR, on, "checkpoint_restore,checkpoint_restore");
ORDER(SET_MM_EXE_FILE, LEGACY, on, "checkpoint_restore,sys_resource");

/*
 * Finding 8: in userns mode, the root of a user namespace opening its own
 * map_files makes one attach check (the seam's), not two.
 */
TEST(map_files_userns_one_attach_check)
{
	static char trace[1 << 20];
	struct sequence seq;
	int attach, ret;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, tracing_setup());
	ASSERT_EQ(0, set_mode(OP_MAP_FILES, "userns"));
	ret = traced_run(OP_MAP_FILES, CALLER_USERNS_ROOT, trace, sizeof(trace));
	EXPECT_EQ(0, restore_policy());
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, parse_trace(trace, last_op_pid, &seq, &attach));
	EXPECT_EQ(1, attach);
}

TEST_HARNESS_MAIN
