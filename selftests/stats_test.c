// SPDX-License-Identifier: GPL-2.0
/*
 * stats and audit (DESIGN.md section 4): every grant through
 * CAP_CHECKPOINT_RESTORE moves cr= of its op by one, a legacy grant moves
 * legacy=, a refusal denied=; with audit 1, a CAP_CHECKPOINT_RESTORE grant
 * logs exactly one record naming op, pid and target, other outcomes none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "../build/linux/tools/testing/selftests/kselftest_harness.h"

struct counters {
	long legacy, cr, denied;
};

static void read_counters(struct __test_metadata *_metadata, enum op op,
			  struct counters *c)
{
	c->legacy = stat_counter(op, "legacy");
	c->cr = stat_counter(op, "cr");
	c->denied = stat_counter(op, "denied");
	ASSERT_LE(0, c->legacy);
	ASSERT_LE(0, c->cr);
	ASSERT_LE(0, c->denied);
}

FIXTURE(stats) {};

FIXTURE_VARIANT(stats) {
	enum op op;
	enum caller caller;
	int legacy, cr, denied;	/* expected moves */
};

FIXTURE_SETUP(stats)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, set_mode(policy_op(variant->op), "on"));
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
	EXPECT_EQ(variant->caller == CALLER_NONE, ret != 0);
	EXPECT_EQ(variant->legacy, after.legacy - before.legacy);
	EXPECT_EQ(variant->cr, after.cr - before.cr);
	EXPECT_EQ(variant->denied, after.denied - before.denied);
}

#define STATS(o, c, l, g, d)						\
	FIXTURE_VARIANT_ADD(stats, o##_##c) {				\
		.op = OP_##o, .caller = CALLER_##c,			\
		.legacy = l, .cr = g, .denied = d,			\
	}

#define STATS_OP(o)							\
	STATS(o, CR, 0, 1, 0);						\
	STATS(o, LEGACY, 1, 0, 0);					\
	STATS(o, NONE, 0, 0, 1)

STATS_OP(MAP_FILES);
STATS_OP(SET_TID);
STATS_OP(NS_LAST_PID);
STATS_OP(EXE_FILE);
STATS_OP(LOCKED_TERMIOS);
STATS_OP(SUSPEND_SECCOMP);
STATS_OP(SECCOMP_DUMP);
STATS_OP(SET_MM);
/*
 * A sysctl is permission-checked at open and again at write: a write to
 * msg_next_id makes two tagged decisions, a refused open one.
 */
STATS(IPC_NEXT_ID, CR, 0, 2, 0);
STATS(IPC_NEXT_ID, LEGACY, 2, 0, 0);
STATS(IPC_NEXT_ID, NONE, 0, 0, 1);

/* ---- audit records ------------------------------------------------------- */

/* Records in /dev/kmsg after @fd's position that contain both strings. */
static int count_records(int fd, const char *a, const char *b)
{
	char rec[2048];
	int n = 0;
	ssize_t len;

	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0) {
			if (errno == EPIPE)
				continue;	/* overwritten records */
			break;			/* EAGAIN: the end */
		}
		rec[len] = '\0';
		if (strstr(rec, a) && strstr(rec, b))
			n++;
	}
	return n;
}

FIXTURE(audit) {
	int kmsg;
};

FIXTURE_VARIANT(audit) {
	const char *audit;
	enum op op;
	enum caller caller;
	int records;
	bool names_target;	/* the op's target is the caller itself */
};

FIXTURE_SETUP(audit)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, set_mode(policy_op(variant->op), "on"));
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", variant->audit, 1));
	self->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->kmsg);
	ASSERT_LE(0, lseek(self->kmsg, 0, SEEK_END));
}

FIXTURE_TEARDOWN(audit)
{
	write_file(CKPT_DIR "/audit", "0", 1);
	close(self->kmsg);
	EXPECT_EQ(0, restore_policy());
}

TEST_F(audit, records)
{
	char op_field[64], pid_field[32], target_field[32];
	int ret, n;

	ret = run_op(variant->op, variant->caller);
	ASSERT_NE(-1, ret);
	/* kauditd prints the record asynchronously */
	usleep(500000);
	snprintf(op_field, sizeof(op_field), "lsm=checkpoint op=%s ",
		 op_names[policy_op(variant->op)]);
	snprintf(pid_field, sizeof(pid_field), " pid=%d ", last_op_pid);
	n = count_records(self->kmsg, op_field, pid_field);
	EXPECT_EQ(variant->records, n);
	if (variant->names_target && variant->records) {
		ASSERT_EQ(0, lseek(self->kmsg, 0, SEEK_SET) < 0);
		snprintf(target_field, sizeof(target_field), " opid=%d", last_op_pid);
		EXPECT_EQ(1, count_records(self->kmsg, op_field, target_field));
	}
}

FIXTURE_VARIANT_ADD(audit, map_files_cr) {
	.audit = "1", .op = OP_MAP_FILES, .caller = CALLER_CR, .records = 1,
	.names_target = true,
};
FIXTURE_VARIANT_ADD(audit, suspend_seccomp_cr) {
	.audit = "1", .op = OP_SUSPEND_SECCOMP, .caller = CALLER_CR, .records = 1,
};
FIXTURE_VARIANT_ADD(audit, set_mm_cr) {
	.audit = "1", .op = OP_SET_MM, .caller = CALLER_CR, .records = 1,
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
/* the ipc sysctl check is made without audit at its call site */
FIXTURE_VARIANT_ADD(audit, ipc_next_id_noaudit) {
	.audit = "1", .op = OP_IPC_NEXT_ID, .caller = CALLER_CR, .records = 0,
};

TEST_HARNESS_MAIN
