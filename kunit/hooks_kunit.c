// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the checkpoint LSM's hooks, end to end through the seam:
 * checkpoint_restore_op_capable() called with synthetic credentials, so
 * that commoncap, the cr_op_vouch hook and the capable hook all take part.
 *
 * The expected verdicts are DESIGN.md section 5 for a caller in the initial
 * user namespace without a target (rows 1, 2, 3 and 5).  The suite needs
 * the LSM active (checkpoint in lsm=) and the policy unlocked: it skips
 * otherwise.
 */

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
	long legacy, cr, denied;
};

static void read_counters(enum cr_op op, struct counters *c)
{
	struct checkpoint_stats s;

	checkpoint_stats_read(op, &s);
	c->legacy = s.legacy;
	c->cr = s.cr;
	c->denied = s.denied;
}

static bool op_capable_as(const struct cred *cred, enum cr_op op)
{
	const struct cred *old = override_creds(cred);
	bool ret = checkpoint_restore_op_capable(op, &init_user_ns, NULL);

	revert_creds(old);
	return ret;
}

/*
 * Every op, every mode it takes, callers with nothing, the legacy cap only,
 * CAP_CHECKPOINT_RESTORE only, and both: the verdict is the table's and the
 * stats move by exactly one in the right column.
 */
static void op_capable_matrix_test(struct kunit *test)
{
	enum checkpoint_mode mode;
	enum cr_op op;
	unsigned int caps;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		/* DESIGN.md section 3: set_mm's legacy cap is CAP_SYS_RESOURCE */
		bool resource = op == CR_OP_SET_MM;

		for (mode = 0; mode < CHECKPOINT_MODE_COUNT; mode++) {
			if (!checkpoint_op_accepts_mode(op, mode))
				continue;
			set_policy(test, op, mode);
			for (caps = 0; caps < 4; caps++) {
				bool legacy = caps & 1, cr = caps & 2;
				/* rows 1, 2, 3, 5 */
				bool expect = legacy || (mode != CHECKPOINT_MODE_OFF && cr);
				struct cred *cred = cred_with(test, legacy && !resource,
							      legacy && resource, cr);
				struct counters before, after;
				bool got;

				read_counters(op, &before);
				got = op_capable_as(cred, op);
				read_counters(op, &after);
				put_cred(cred);

				KUNIT_EXPECT_EQ_MSG(test, got, expect,
						    "op %s mode %s legacy %d cr %d",
						    checkpoint_op_name(op),
						    checkpoint_mode_name(mode), legacy, cr);
				KUNIT_EXPECT_EQ(test, after.legacy - before.legacy,
						legacy ? 1 : 0);
				KUNIT_EXPECT_EQ(test, after.denied - before.denied,
						expect ? 0 : 1);
				KUNIT_EXPECT_EQ(test, after.cr - before.cr,
						!legacy && expect ? 1 : 0);
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
 * The LSM does not hook capable(): a tagged check is commoncap's alone, and
 * "off" works through the vouch answer, which the seam honours.
 */
static void capable_untouched_test(struct kunit *test)
{
	struct cred *cr_only = cred_with(test, false, false, true);
	unsigned int opts = CAP_OPT_CR_OP(CR_OP_SET_TID);

	set_policy(test, CR_OP_SET_TID, CHECKPOINT_MODE_OFF);
	KUNIT_EXPECT_EQ(test, security_capable(cr_only, &init_user_ns,
					       CAP_CHECKPOINT_RESTORE, opts), 0);
	KUNIT_EXPECT_FALSE(test, op_capable_as(cr_only, CR_OP_SET_TID));
	set_policy(test, CR_OP_SET_TID, CHECKPOINT_MODE_ON);
	KUNIT_EXPECT_TRUE(test, op_capable_as(cr_only, CR_OP_SET_TID));
	put_cred(cr_only);
}

/* The vouch hook answers from the policy in force, whole-object swaps. */
static void vouch_hook_test(struct kunit *test)
{
	struct cred *none = cred_with(test, false, false, false);
	struct counters before, after;

	set_policy(test, CR_OP_MAP_FILES, CHECKPOINT_MODE_USERNS);
	KUNIT_EXPECT_EQ(test, security_cr_op_vouch(none, CR_OP_MAP_FILES,
						   &init_user_ns, current, false),
			CR_VOUCH_NS | CR_VOUCH_TARGET_USERNS);
	set_policy(test, CR_OP_SET_MM, CHECKPOINT_MODE_ON);
	KUNIT_EXPECT_EQ(test, security_cr_op_vouch(none, CR_OP_SET_MM,
						   &init_user_ns, NULL, false),
			CR_VOUCH_NS);
	KUNIT_EXPECT_EQ(test, security_cr_op_vouch(none, CR_OP_SUSPEND_SECCOMP,
						   &init_user_ns, NULL, false),
			CR_VOUCH_DENY);
	KUNIT_EXPECT_EQ(test, security_cr_op_vouch(none, CR_OP_NONE,
						   &init_user_ns, NULL, false), 0);
	KUNIT_EXPECT_EQ(test, security_cr_op_vouch(none, CR_OP_COUNT,
						   &init_user_ns, NULL, false), 0);
	/* a legacy holder is only counted */
	read_counters(CR_OP_SUSPEND_SECCOMP, &before);
	KUNIT_EXPECT_EQ(test, security_cr_op_vouch(none, CR_OP_SUSPEND_SECCOMP,
						   &init_user_ns, NULL, true), 0);
	read_counters(CR_OP_SUSPEND_SECCOMP, &after);
	KUNIT_EXPECT_EQ(test, after.legacy - before.legacy, 1);
	KUNIT_EXPECT_EQ(test, after.cr - before.cr, 0);
	KUNIT_EXPECT_EQ(test, after.denied - before.denied, 0);
	put_cred(none);
}

static struct kunit_case checkpoint_hooks_cases[] = {
	KUNIT_CASE(op_capable_matrix_test),
	KUNIT_CASE(wrong_legacy_cap_test),
	KUNIT_CASE(untagged_checks_untouched_test),
	KUNIT_CASE(capable_untouched_test),
	KUNIT_CASE(vouch_hook_test),
	{}
};

static struct kunit_suite checkpoint_hooks_suite = {
	.name = "checkpoint_hooks",
	.init = hooks_init,
	.exit = hooks_exit,
	.test_cases = checkpoint_hooks_cases,
};

kunit_test_suite(checkpoint_hooks_suite);
