// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the checkpoint LSM's hooks, end to end through the seam:
 * checkpoint_restore_op_grant() called with synthetic credentials, so that
 * commoncap, the cr_op_widen hook and the capable hook all take part.
 *
 * The expected verdicts are DESIGN.md section 5 for a caller in the initial
 * user namespace without a target (rows 1, 2, 3 and 5).  The suite needs
 * the LSM active (checkpoint in lsm=) and the policy unlocked: it skips
 * otherwise.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/security.h>

#include "checkpoint.h"

struct hooks_ctx {
	struct checkpoint_policy saved;
};

static int hooks_init(struct kunit *test)
{
	struct hooks_ctx *ctx;

	if (!checkpoint_lsm_enabled)
		kunit_skip(test, "checkpoint is not in lsm=");
	if (checkpoint_policy_locked())
		kunit_skip(test, "the policy is locked");
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	checkpoint_policy_get(&ctx->saved);
	test->priv = ctx;
	return 0;
}

static void hooks_exit(struct kunit *test)
{
	struct hooks_ctx *ctx = test->priv;

	if (ctx)
		KUNIT_EXPECT_EQ(test, checkpoint_policy_replace(&ctx->saved), 0);
}

/* Credentials like init's, with exactly the listed effective caps. */
static struct cred *cred_with(struct kunit *test, bool legacy_sys_admin,
			      bool legacy_sys_resource, bool cr)
{
	struct cred *cred = prepare_kernel_cred(&init_task);

	KUNIT_ASSERT_NOT_NULL(test, cred);
	cred->cap_effective = CAP_EMPTY_SET;
	if (legacy_sys_admin)
		cap_raise(cred->cap_effective, CAP_SYS_ADMIN);
	if (legacy_sys_resource)
		cap_raise(cred->cap_effective, CAP_SYS_RESOURCE);
	if (cr)
		cap_raise(cred->cap_effective, CAP_CHECKPOINT_RESTORE);
	return cred;
}

static void set_policy(struct kunit *test, enum cr_op op, enum checkpoint_mode mode)
{
	struct checkpoint_policy policy;

	checkpoint_policy_set_defaults(&policy);
	policy.mode[op] = mode;
	KUNIT_ASSERT_EQ(test, checkpoint_policy_replace(&policy), 0);
}

struct counters {
	long legacy, cr, refused;
};

static void read_counters(enum cr_op op, struct counters *c)
{
	struct checkpoint_stats s;

	checkpoint_stats_read(op, &s);
	c->legacy = s.legacy;
	c->cr = s.cr;
	c->refused = s.refused;
}

static enum cr_grant op_grant_as(const struct cred *cred, enum cr_op op)
{
	const struct cred *old = override_creds(cred);
	enum cr_grant ret = checkpoint_restore_op_grant(op, &init_user_ns, NULL);

	revert_creds(old);
	return ret;
}

static bool op_capable_as(const struct cred *cred, enum cr_op op)
{
	return op_grant_as(cred, op) != CR_GRANT_NONE;
}

/* DESIGN.md section 3, written out by hand: the legacy capability of each op. */
static const int legacy_cap_of[CR_OP_COUNT] = {
	[CR_OP_MAP_FILES] = CAP_SYS_ADMIN,
	[CR_OP_SET_TID] = CAP_SYS_ADMIN,
	[CR_OP_NS_LAST_PID] = CAP_SYS_ADMIN,
	[CR_OP_EXE_FILE] = CAP_SYS_ADMIN,
	[CR_OP_LOCKED_TERMIOS] = CAP_SYS_ADMIN,
	[CR_OP_IPC_NEXT_ID] = CAP_SYS_ADMIN,
	[CR_OP_SUSPEND_SECCOMP] = CAP_SYS_ADMIN,
	[CR_OP_SECCOMP_DUMP] = CAP_SYS_ADMIN,
	[CR_OP_SET_MM] = CAP_SYS_RESOURCE,
	[CR_OP_SECCOMP_RESTORE] = CAP_SYS_ADMIN,
	[CR_OP_AMDKFD_CRIU] = CAP_SYS_ADMIN,
};

/* DESIGN.md section 3: ops where mainline accepts CAP_CHECKPOINT_RESTORE. */
static bool mainline_accepts_cr(enum cr_op op)
{
	switch (op) {
	case CR_OP_MAP_FILES:
	case CR_OP_SET_TID:
	case CR_OP_NS_LAST_PID:
	case CR_OP_EXE_FILE:
	case CR_OP_LOCKED_TERMIOS:
	case CR_OP_IPC_NEXT_ID:
	case CR_OP_AMDKFD_CRIU:
		return true;
	default:
		return false;
	}
}

/*
 * The capability that grants, in mainline's order (DESIGN.md section 2):
 * CAP_CHECKPOINT_RESTORE first where it is accepted, then the legacy one;
 * seccomp_restore's CAP_SYS_ADMIN holders keep mainline's path (section 3).
 */
static enum cr_grant expected_grant(enum cr_op op, enum checkpoint_mode mode,
				    bool legacy, bool cr)
{
	if (op == CR_OP_SECCOMP_RESTORE && legacy)
		return CR_GRANT_LEGACY;
	if (cr && mode != CHECKPOINT_MODE_OFF)
		return CR_GRANT_CR;
	return legacy ? CR_GRANT_LEGACY : CR_GRANT_NONE;
}

/*
 * Every op, every mode it takes, callers with nothing, the legacy cap only,
 * CAP_CHECKPOINT_RESTORE only, and both.  The verdict is the table's
 * (rows 1, 2, 3 and 5), the capability that grants follows mainline's order,
 * and the stats move by exactly what the capable hook saw: a grant in its
 * column, and a refusal only where CAP_CHECKPOINT_RESTORE was asked for (the
 * six mainline ops) while off.
 */
static void op_grant_matrix_test(struct kunit *test)
{
	enum checkpoint_mode mode;
	enum cr_op op;
	unsigned int caps;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		for (mode = 0; mode < CHECKPOINT_MODE_COUNT; mode++) {
			if (!checkpoint_op_accepts_mode(op, mode))
				continue;
			set_policy(test, op, mode);
			for (caps = 0; caps < 4; caps++) {
				bool legacy = caps & 1, cr = caps & 2;
				bool verdict = legacy || (mode != CHECKPOINT_MODE_OFF && cr);
				enum cr_grant want = expected_grant(op, mode, legacy, cr);
				bool refused = cr && mode == CHECKPOINT_MODE_OFF &&
					       mainline_accepts_cr(op);
				struct cred *cred;
				struct counters before, after;
				enum cr_grant got;

				cred = cred_with(test,
						 legacy && legacy_cap_of[op] == CAP_SYS_ADMIN,
						 legacy && legacy_cap_of[op] == CAP_SYS_RESOURCE,
						 cr);
				read_counters(op, &before);
				got = op_grant_as(cred, op);
				read_counters(op, &after);
				put_cred(cred);

				KUNIT_EXPECT_EQ_MSG(test, got != CR_GRANT_NONE, verdict,
						    "op %s mode %s legacy %d cr %d",
						    checkpoint_op_name(op),
						    checkpoint_mode_name(mode), legacy, cr);
				KUNIT_EXPECT_EQ_MSG(test, got, want,
						    "op %s mode %s legacy %d cr %d",
						    checkpoint_op_name(op),
						    checkpoint_mode_name(mode), legacy, cr);
				KUNIT_EXPECT_EQ(test, after.legacy - before.legacy,
						want == CR_GRANT_LEGACY ? 1 : 0);
				KUNIT_EXPECT_EQ(test, after.cr - before.cr,
						want == CR_GRANT_CR ? 1 : 0);
				KUNIT_EXPECT_EQ(test, after.refused - before.refused,
						refused ? 1 : 0);
			}
		}
	}
}

/* The other legacy capability is not the op's: SYS_ADMIN does not do for set_mm. */
static void wrong_legacy_cap_test(struct kunit *test)
{
	struct cred *admin = cred_with(test, true, false, false);
	struct cred *resource = cred_with(test, false, true, false);

	KUNIT_EXPECT_FALSE(test, op_capable_as(admin, CR_OP_SET_MM));
	KUNIT_EXPECT_FALSE(test, op_capable_as(resource, CR_OP_SUSPEND_SECCOMP));
	KUNIT_EXPECT_TRUE(test, op_capable_as(resource, CR_OP_SET_MM));
	put_cred(admin);
	put_cred(resource);
}

/* I2: untagged checks are untouched by any policy. */
static void untagged_checks_untouched_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	struct cred *cr_only = cred_with(test, false, false, true);
	enum cr_op op;

	/* Everything off: CAP_CHECKPOINT_RESTORE asked by other code passes. */
	memset(&policy, CHECKPOINT_MODE_OFF, sizeof(policy));
	KUNIT_ASSERT_EQ(test, checkpoint_policy_replace(&policy), 0);
	KUNIT_EXPECT_EQ(test, security_capable(cr_only, &init_user_ns,
					       CAP_CHECKPOINT_RESTORE, CAP_OPT_NONE), 0);
	KUNIT_EXPECT_EQ(test, security_capable(cr_only, &init_user_ns,
					       CAP_CHECKPOINT_RESTORE, CAP_OPT_NOAUDIT), 0);

	/* Everything on: no CAP_SYS_ADMIN or CAP_SYS_RESOURCE appears. */
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
		policy.mode[op] = CHECKPOINT_MODE_ON;
	KUNIT_ASSERT_EQ(test, checkpoint_policy_replace(&policy), 0);
	KUNIT_EXPECT_NE(test, security_capable(cr_only, &init_user_ns,
					       CAP_SYS_ADMIN, CAP_OPT_NONE), 0);
	KUNIT_EXPECT_NE(test, security_capable(cr_only, &init_user_ns,
					       CAP_SYS_RESOURCE, CAP_OPT_NONE), 0);
	/* Nor through a tagged legacy check: the LSM never grants by itself. */
	KUNIT_EXPECT_NE(test, security_capable(cr_only, &init_user_ns, CAP_SYS_ADMIN,
					       CAP_OPT_CR_OP(CR_OP_SUSPEND_SECCOMP)), 0);
	put_cred(cr_only);
}

/*
 * The capable hook restricts tagged checks only: CAP_CHECKPOINT_RESTORE at
 * an "off" op is refused (row 2), the legacy capability never is (row 1).
 */
static void capable_hook_refuses_off_test(struct kunit *test)
{
	struct cred *both = cred_with(test, true, false, true);
	unsigned int opts = CAP_OPT_CR_OP(CR_OP_SET_TID);

	set_policy(test, CR_OP_SET_TID, CHECKPOINT_MODE_OFF);
	KUNIT_EXPECT_NE(test, security_capable(both, &init_user_ns,
					       CAP_CHECKPOINT_RESTORE, opts), 0);
	KUNIT_EXPECT_EQ(test, security_capable(both, &init_user_ns,
					       CAP_SYS_ADMIN, opts), 0);
	set_policy(test, CR_OP_SET_TID, CHECKPOINT_MODE_ON);
	KUNIT_EXPECT_EQ(test, security_capable(both, &init_user_ns,
					       CAP_CHECKPOINT_RESTORE, opts), 0);
	put_cred(both);
}

/* The widen hook answers from the policy in force, never negative. */
static void widen_hook_test(struct kunit *test)
{
	struct cred *none = cred_with(test, false, false, false);

	set_policy(test, CR_OP_MAP_FILES, CHECKPOINT_MODE_USERNS);
	KUNIT_EXPECT_EQ(test, checkpoint_cr_op_widen(none, CR_OP_MAP_FILES,
						     &init_user_ns, current),
			CR_WIDEN_NS | CR_WIDEN_TARGET_USERNS);
	set_policy(test, CR_OP_SET_MM, CHECKPOINT_MODE_ON);
	KUNIT_EXPECT_EQ(test, checkpoint_cr_op_widen(none, CR_OP_SET_MM,
						     &init_user_ns, NULL),
			CR_WIDEN_NS);
	KUNIT_EXPECT_EQ(test, checkpoint_cr_op_widen(none, CR_OP_SUSPEND_SECCOMP,
						     &init_user_ns, NULL), 0);
	KUNIT_EXPECT_EQ(test, checkpoint_cr_op_widen(none, CR_OP_NONE,
						     &init_user_ns, NULL), 0);
	KUNIT_EXPECT_EQ(test, checkpoint_cr_op_widen(none, CR_OP_COUNT,
						     &init_user_ns, NULL), 0);
	put_cred(none);
}

static int stub_answer;

static int stub_widen(const struct cred *cred, enum cr_op op,
		      struct user_namespace *ns, struct task_struct *target)
{
	return stub_answer;
}

/*
 * Review finding 1: an LSM (a BPF program can only return [-MAX_ERRNO, 0])
 * that answers with an error code widens nothing, and CAP_CHECKPOINT_RESTORE
 * alone then does not pass a check mainline keeps for CAP_SYS_ADMIN.
 */
static void widen_negative_answer_test(struct kunit *test)
{
	static const int answers[] = { -EACCES, -EPERM, -1, -MAX_ERRNO, INT_MIN };
	struct cred *cr_only = cred_with(test, false, false, true);
	enum cr_op op;
	int i;

	set_policy(test, CR_OP_SUSPEND_SECCOMP, CHECKPOINT_MODE_OFF);
	kunit_activate_static_stub(test, checkpoint_cr_op_widen, stub_widen);
	for (i = 0; i < ARRAY_SIZE(answers); i++) {
		stub_answer = answers[i];
		for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
			KUNIT_EXPECT_EQ_MSG(test, lsm_cr_op_widen(cr_only, op,
								  &init_user_ns,
								  current), 0,
					    "answer %d op %s", answers[i],
					    checkpoint_op_name(op));
		KUNIT_EXPECT_FALSE(test, op_capable_as(cr_only, CR_OP_SUSPEND_SECCOMP));
		KUNIT_EXPECT_FALSE(test, op_capable_as(cr_only, CR_OP_SET_MM));
	}
	kunit_deactivate_static_stub(test, checkpoint_cr_op_widen);
	put_cred(cr_only);
}

/* DESIGN.md section 3, by hand: how far the widen hook may widen each op. */
static const int widen_allowed_of[CR_OP_COUNT] = {
	[CR_OP_MAP_FILES] = CR_WIDEN_TARGET_USERNS,
	[CR_OP_SUSPEND_SECCOMP] = CR_WIDEN_NS | CR_WIDEN_TARGET_USERNS,
	[CR_OP_SECCOMP_DUMP] = CR_WIDEN_NS | CR_WIDEN_TARGET_USERNS,
	[CR_OP_SET_MM] = CR_WIDEN_NS,
	[CR_OP_SECCOMP_RESTORE] = CR_WIDEN_NS,
};

/*
 * Review finding 2 of v1: whatever an LSM answers, the seam widens an op
 * only as far as DESIGN.md sections 3 and 4b allow: the target's user
 * namespace for map_files and the two seccomp ops of a tracer alone, the
 * plain widening only where mainline refuses CAP_CHECKPOINT_RESTORE.  The
 * hook loop reports every positive bit; the row bounds them.
 */
static void widen_scope_test(struct kunit *test)
{
	struct cred *none = cred_with(test, false, false, false);
	enum cr_op op;

	kunit_activate_static_stub(test, checkpoint_cr_op_widen, stub_widen);
	stub_answer = INT_MAX;
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		KUNIT_EXPECT_EQ_MSG(test, cr_op_widen_allowed(op),
				    widen_allowed_of[op], "op %s",
				    checkpoint_op_name(op));
		KUNIT_EXPECT_EQ_MSG(test,
				    lsm_cr_op_widen(none, op, &init_user_ns, current),
				    CR_WIDEN_MASK, "op %s", checkpoint_op_name(op));
	}
	kunit_deactivate_static_stub(test, checkpoint_cr_op_widen);
	put_cred(none);
}

static enum cr_grant op_grant_on_as(const struct cred *cred, enum cr_op op,
				    struct task_struct *target)
{
	const struct cred *old = override_creds(cred);
	enum cr_grant ret = checkpoint_restore_op_grant(op, &init_user_ns, target);

	revert_creds(old);
	return ret;
}

/*
 * Review finding 1 of v2: the grant path bounds the hook's answer by the
 * row, whatever produced the answer (a BPF program once could).  An answer
 * of the target's user namespace for an op whose row does not allow it
 * grants nothing, even to a caller that holds CAP_CHECKPOINT_RESTORE there
 * and may attach to the target; the same answer for map_files does.
 */
static void widen_bounded_at_caller_test(struct kunit *test)
{
	struct cred *cr_only = cred_with(test, false, false, true);
	enum cr_op op;

	kunit_activate_static_stub(test, checkpoint_cr_op_widen, stub_widen);
	stub_answer = CR_WIDEN_TARGET_USERNS;
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		if (widen_allowed_of[op] != CR_WIDEN_NS)
			continue;
		/* on: the capable hook lets CAP_CHECKPOINT_RESTORE through */
		set_policy(test, op, CHECKPOINT_MODE_ON);
		KUNIT_EXPECT_EQ_MSG(test, op_grant_on_as(cr_only, op, current),
				    CR_GRANT_NONE, "op %s", checkpoint_op_name(op));
	}
	kunit_deactivate_static_stub(test, checkpoint_cr_op_widen);
	put_cred(cr_only);
}

static struct kunit_case checkpoint_hooks_cases[] = {
	KUNIT_CASE(op_grant_matrix_test),
	KUNIT_CASE(wrong_legacy_cap_test),
	KUNIT_CASE(untagged_checks_untouched_test),
	KUNIT_CASE(capable_hook_refuses_off_test),
	KUNIT_CASE(widen_hook_test),
	KUNIT_CASE(widen_negative_answer_test),
	KUNIT_CASE(widen_scope_test),
	KUNIT_CASE(widen_bounded_at_caller_test),
	{}
};

static struct kunit_suite checkpoint_hooks_suite = {
	.name = "checkpoint_hooks",
	.init = hooks_init,
	.exit = hooks_exit,
	.test_cases = checkpoint_hooks_cases,
};

kunit_test_suite(checkpoint_hooks_suite);
