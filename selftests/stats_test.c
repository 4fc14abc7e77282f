// SPDX-License-Identifier: GPL-2.0
/*
 * stats and audit (DESIGN.md section 4): every grant through
 * CAP_CHECKPOINT_RESTORE moves cr= of its op by one, a legacy grant moves
 * legacy=, a refusal refused=; with audit 1, a CAP_CHECKPOINT_RESTORE grant
 * logs exactly one record naming op, pid and target, other outcomes none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cap-ng.h>

#include "common.h"
#include "../kselftest_harness.h"

struct counters {
	long legacy, cr, refused;
};

static void read_counters(struct __test_metadata *_metadata, enum op op,
			  struct counters *c)
{
	c->legacy = stat_counter(op, "legacy");
	c->cr = stat_counter(op, "cr");
	c->refused = stat_counter(op, "refused");
	ASSERT_LE(0, c->legacy);
	ASSERT_LE(0, c->cr);
	ASSERT_LE(0, c->refused);
}

FIXTURE(stats) {};

FIXTURE_VARIANT(stats) {
	enum op op;
	const char *mode;
	enum caller caller;
	bool allowed;
	int legacy, cr, refused;	/* expected moves */
};

FIXTURE_SETUP(stats)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, set_mode(policy_op(variant->op), variant->mode));
}

FIXTURE_TEARDOWN(stats)
{
	EXPECT_EQ(0, restore_policy());
}

TEST_F(stats, moves)
{
	enum op op = policy_op(variant->op);
	struct counters before, after;
	int ret;

	read_counters(_metadata, op, &before);
	ret = run_op(variant->op, variant->caller);
	read_counters(_metadata, op, &after);
	ASSERT_NE(-1, ret);
	EXPECT_EQ(variant->allowed, ret == 0);
	EXPECT_EQ(variant->legacy, after.legacy - before.legacy);
	EXPECT_EQ(variant->cr, after.cr - before.cr);
	EXPECT_EQ(variant->refused, after.refused - before.refused);
}

/*
 * DESIGN.md section 4: stats count the capability checks at the op's sites
 * that were granted (legacy=, cr=) or refused by the LSM because the op is
 * off while the caller held CAP_CHECKPOINT_RESTORE (refused=).  A caller
 * with nothing is refused by commoncap: nothing is counted.
 */
#define STATS(o, m, c, a, l, g, r)					\
	FIXTURE_VARIANT_ADD(stats, o##_##m##_##c) {			\
		.op = OP_##o, .mode = #m, .caller = CALLER_##c,		\
		.allowed = a, .legacy = l, .cr = g, .refused = r,	\
	}

#define STATS_ON(o)							\
	STATS(o, on, CR, true, 0, 1, 0);				\
	STATS(o, on, LEGACY, true, 1, 0, 0);				\
	STATS(o, on, NONE, false, 0, 0, 0)

STATS_ON(MAP_FILES);
STATS_ON(SET_TID);
STATS_ON(NS_LAST_PID);
STATS_ON(EXE_FILE);
STATS_ON(LOCKED_TERMIOS);
STATS_ON(SUSPEND_SECCOMP);
STATS_ON(SECCOMP_DUMP);
STATS_ON(SET_MM);
STATS_ON(SECCOMP_RESTORE);
/*
 * A sysctl is permission-checked at open and again at write: a write to
 * msg_next_id makes two tagged checks.
 */
STATS(IPC_NEXT_ID, on, CR, true, 0, 2, 0);
STATS(IPC_NEXT_ID, on, LEGACY, true, 2, 0, 0);
STATS(IPC_NEXT_ID, on, NONE, false, 0, 0, 0);
/*
 * Off: where mainline asks for CAP_CHECKPOINT_RESTORE the LSM refuses it
 * (refused=); where mainline does not, nobody asks for it, and only the
 * legacy capability is checked.
 */
STATS(MAP_FILES, off, CR, false, 0, 0, 1);
STATS(SET_TID, off, CR, false, 0, 0, 1);
STATS(EXE_FILE, off, CR, false, 0, 0, 1);
STATS(IPC_NEXT_ID, off, CR, false, 0, 0, 1);
STATS(MAP_FILES, off, LEGACY, true, 1, 0, 0);
STATS(SUSPEND_SECCOMP, off, CR, false, 0, 0, 0);
STATS(SET_MM, off, CR, false, 0, 0, 0);
STATS(SECCOMP_RESTORE, off, CR, false, 0, 0, 0);
STATS(SET_MM, off, LEGACY, true, 1, 0, 0);

/* ---- audit records ------------------------------------------------------- */

FIXTURE(audit) {
	int kmsg;
};

FIXTURE_VARIANT(audit) {
	const char *audit;
	enum op op;
	enum caller caller;
	int records;
	bool target_is_caller;	/* else the task the caller spawned */
};

FIXTURE_SETUP(audit)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, set_mode(policy_op(variant->op), "on"));
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", variant->audit, 1));
	self->kmsg = open_kmsg_at_end();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(audit)
{
	write_file(CKPT_DIR "/audit", "0", 1);
	close(self->kmsg);
	EXPECT_EQ(0, restore_policy());
}

/*
 * A grant through CAP_CHECKPOINT_RESTORE: one record of the LSM's own type
 * (1427, not AVC) naming op, caller and the task acted on; nothing else.
 * Every count is made on the one read of the records the operation left.
 */
TEST_F(audit, records)
{
	char op_field[128], pid_field[32], target_field[32], *rec;
	pid_t target;
	int ret;

	ret = run_op(variant->op, variant->caller);
	ASSERT_NE(-1, ret);
	target = variant->target_is_caller ? last_op_pid : last_target_pid();
	/* kauditd prints the record asynchronously */
	usleep(500000);
	rec = new_records(self->kmsg);
	ASSERT_NE(NULL, rec);
	snprintf(op_field, sizeof(op_field),
		 "lsm=checkpoint op=%s capability=40 capname=checkpoint_restore ",
		 op_names[policy_op(variant->op)]);
	snprintf(pid_field, sizeof(pid_field), " pid=%d ", last_op_pid);
	snprintf(target_field, sizeof(target_field), " opid=%d", target);
	EXPECT_EQ(variant->records,
		  count_in(rec, "type=1427 ", op_field, pid_field)) TH_LOG("%s", rec);
	EXPECT_EQ(variant->records, count_in(rec, "type=1427 ", "", ""));
	if (variant->records) {
		ASSERT_LT(0, target);
		if (!variant->target_is_caller)
			ASSERT_NE(last_op_pid, target);
		EXPECT_EQ(1, count_in(rec, "type=1427 ", op_field, target_field));
	}
	/* the grant is the LSM's record, never an AVC */
	EXPECT_EQ(0, count_in(rec, "type=1400 ", "", ""));
	free(rec);
}

FIXTURE_VARIANT_ADD(audit, map_files_cr) {
	.audit = "1", .op = OP_MAP_FILES, .caller = CALLER_CR, .records = 1,
	.target_is_caller = true,
};

/* the tracee, not the tracer, is the target */
FIXTURE_VARIANT_ADD(audit, suspend_seccomp_cr) {
	.audit = "1", .op = OP_SUSPEND_SECCOMP, .caller = CALLER_CR, .records = 1,
};

FIXTURE_VARIANT_ADD(audit, seccomp_dump_cr) {
	.audit = "1", .op = OP_SECCOMP_DUMP, .caller = CALLER_CR, .records = 1,
};

FIXTURE_VARIANT_ADD(audit, set_mm_cr) {
	.audit = "1", .op = OP_SET_MM, .caller = CALLER_CR, .records = 1,
	.target_is_caller = true,
};

FIXTURE_VARIANT_ADD(audit, map_files_legacy) {
	.audit = "1", .op = OP_MAP_FILES, .caller = CALLER_LEGACY, .records = 0,
};

FIXTURE_VARIANT_ADD(audit, map_files_denied) {
	.audit = "1", .op = OP_MAP_FILES, .caller = CALLER_NONE, .records = 0,
};

FIXTURE_VARIANT_ADD(audit, map_files_cr_audit_off) {
	.audit = "0", .op = OP_MAP_FILES, .caller = CALLER_CR, .records = 0,
};

/*
 * The ipc sysctl check is noaudit at its site and mainline grants it to
 * CAP_CHECKPOINT_RESTORE: it stays quiet.  The seccomp install check is
 * noaudit too, but a grant there is the administrator's widening (review
 * finding 4): with audit on it is logged like any other.
 */
FIXTURE_VARIANT_ADD(audit, ipc_next_id_noaudit) {
	.audit = "1", .op = OP_IPC_NEXT_ID, .caller = CALLER_CR, .records = 0,
};

FIXTURE_VARIANT_ADD(audit, seccomp_restore_cr) {
	.audit = "1", .op = OP_SECCOMP_RESTORE, .caller = CALLER_CR, .records = 1,
	.target_is_caller = true,
};

/*
 * A record and a count are capability decisions, not outcomes: an ordinary
 * user holding only CAP_CHECKPOINT_RESTORE asks PTRACE_SEIZE with
 * PTRACE_O_SUSPEND_SECCOMP of root's task.  Mainline checks the option
 * before the attach, so CAP_CHECKPOINT_RESTORE passes (cr= moves by one and
 * one record says so, as a capability record: capability=40), then the
 * attach is refused.
 */
TEST(seize_of_root_task)
{
	char opid[32], *rec;
	struct counters before, after;
	pid_t root_task, caller;
	int kmsg, status;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, snapshot_policy());
	ASSERT_EQ(0, set_mode(OP_SUSPEND_SECCOMP, "on"));
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", "1", 1));
	root_task = fork();
	if (root_task == 0) {
		pause();
		_exit(0);
	}
	ASSERT_LT(0, root_task);
	read_counters(_metadata, OP_SUSPEND_SECCOMP, &before);
	kmsg = open_kmsg_at_end();
	ASSERT_LE(0, kmsg);
	caller = fork();
	if (caller == 0) {
		/* uid 1000 with CAP_CHECKPOINT_RESTORE only: no CAP_SYS_PTRACE */
		if (become(CALLER_CR, OP_SUSPEND_SECCOMP))
			_exit(250);
		capng_get_caps_process();
		capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     CAP_SYS_PTRACE);
		if (capng_apply(CAPNG_SELECT_CAPS))
			_exit(251);
		if (ptrace(PTRACE_SEIZE, root_task, 0, PTRACE_O_SUSPEND_SECCOMP) == 0)
			_exit(0);
		_exit(errno);
	}
	ASSERT_LT(0, caller);
	ASSERT_EQ(caller, waitpid(caller, &status, 0));
	kill(root_task, SIGKILL);
	waitpid(root_task, NULL, 0);
	usleep(500000);
	rec = new_records(kmsg);
	close(kmsg);
	read_counters(_metadata, OP_SUSPEND_SECCOMP, &after);
	write_file(CKPT_DIR "/audit", "0", 1);
	EXPECT_EQ(0, restore_policy());
	ASSERT_NE(NULL, rec);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
	EXPECT_EQ(before.cr + 1, after.cr);
	EXPECT_EQ(before.refused, after.refused);
	snprintf(opid, sizeof(opid), " opid=%d", root_task);
	EXPECT_EQ(1, count_in(rec, "type=1427 ",
			      "lsm=checkpoint op=suspend_seccomp capability=40 capname=checkpoint_restore ",
			      opid)) TH_LOG("%s", rec);
	EXPECT_EQ(1, count_in(rec, "type=1427 ", "", ""));
	free(rec);
}

/*
 * Every change of policy, lock or audit is audited (type 1428) with old and
 * new value, who made it and res=1, whatever the audit switch says; a write
 * that changes nothing leaves no record; a rejected write changes nothing
 * and leaves one record, res=0 with its errno.  The records come out in
 * the order of the writes.  (lock_test checks the lock's records.)
 */
TEST(config_changes_audited)
{
	char who[96], *rec, *p;
	int kmsg;
	/* one write's records come in table order: seccomp_dump, set_mm */
	static const char *const in_order[] = {
		"file=policy op=seccomp_dump old=off new=on ",
		"file=policy op=set_mm old=off new=on ",
		"file=policy pid=",
		"file=audit old=0 new=1 ",
		"file=audit pid=",
		"file=audit old=1 new=0 ",
	};
	unsigned int i;

	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, snapshot_policy());
	/* kauditd prints asynchronously: let earlier tests' records come out */
	usleep(500000);
	kmsg = open_kmsg_at_end();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, write_file(CKPT_DIR "/policy", "set_mm on\nseccomp_dump on\n", 26));
	ASSERT_EQ(-EINVAL, write_file(CKPT_DIR "/policy", "set_mm off\nbogus on\n", 20));
	ASSERT_EQ(0, write_file(CKPT_DIR "/policy", "set_mm on\n", 10));
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", "1", 1));
	ASSERT_EQ(-EINVAL, write_file(CKPT_DIR "/audit", "2", 1));
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", "1", 1));
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", "0", 1));
	usleep(500000);
	rec = new_records(kmsg);
	close(kmsg);
	EXPECT_EQ(0, restore_policy());
	ASSERT_NE(NULL, rec);
	/* the guest's tests run as root of a boot without a login: auid unset */
	snprintf(who, sizeof(who), " pid=%d uid=0 auid=4294967295 ses=4294967295 comm=\"stats_test\" ",
		 getpid());
	EXPECT_EQ(1, count_in(rec, "type=1428 ",
			      "lsm=checkpoint file=policy op=set_mm old=off new=on ",
			      who)) TH_LOG("%s", rec);
	EXPECT_EQ(1, count_in(rec, "type=1428 ",
			      "file=policy op=seccomp_dump old=off new=on ", who));
	EXPECT_EQ(0, count_in(rec, "type=1428 ", "new=off", ""));
	EXPECT_EQ(0, count_in(rec, "op=bogus", "", ""));
	EXPECT_EQ(1, count_in(rec, "type=1428 ", "file=policy pid=",
			      "res=0 errno=-22"));
	EXPECT_EQ(1, count_in(rec, "type=1428 ", "file=audit old=0 new=1 ", who));
	EXPECT_EQ(1, count_in(rec, "type=1428 ", "file=audit pid=",
			      "res=0 errno=-22"));
	EXPECT_EQ(1, count_in(rec, "type=1428 ", "file=audit old=1 new=0 ", who));
	EXPECT_EQ(4, count_in(rec, "type=1428 ", who, "res=1"));
	EXPECT_EQ(6, count_in(rec, "type=1428 ", "", ""));
	/* in the order of the writes */
	p = rec;
	for (i = 0; i < ARRAY_SIZE(in_order); i++) {
		p = strstr(p, in_order[i]);
		EXPECT_NE(NULL, p) TH_LOG("record %u (%s) missing or out of order", i, in_order[i]);
		if (!p)
			break;
		p++;
	}
	free(rec);
}

TEST_HARNESS_MAIN
