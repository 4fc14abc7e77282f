// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checkpoint LSM: lets CAP_CHECKPOINT_RESTORE pass the checkpoint/restore
 * capability checks that the administrator's policy names.
 *
 * The kernel sends every checkpoint/restore capability decision through
 * checkpoint_restore_op_capable(), which tells LSMs, through cr_op_vouch,
 * whether the caller holds the operation's legacy capability and asks
 * whether CAP_CHECKPOINT_RESTORE suffices.  This file answers from the
 * policy, counts every decision and logs the grants made through
 * CAP_CHECKPOINT_RESTORE.  It does not hook capable(): the capability
 * checks of the rest of the system never reach it.  The policy is one
 * RCU-protected object, replaced whole under checkpoint_mutex.
 */

#define pr_fmt(fmt) "checkpoint: " fmt

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/lsm.h>

#include "checkpoint.h"

struct checkpoint_rcu_policy {
	struct rcu_head rcu;
	struct checkpoint_policy policy;
};

/* The boot policy is never freed: the hooks can always dereference. */
static struct checkpoint_rcu_policy checkpoint_boot_policy;
static struct checkpoint_rcu_policy __rcu *checkpoint_active =
	RCU_INITIALIZER(&checkpoint_boot_policy);

/* Serialises policy replacement, the lock and the audit switch. */
static DEFINE_MUTEX(checkpoint_mutex);
static bool checkpoint_locked;
static bool checkpoint_audit;

bool checkpoint_lsm_enabled __ro_after_init;
/* Per CPU: counting must not bounce a cache line between CPUs. */
static DEFINE_PER_CPU(struct checkpoint_stats, checkpoint_stats[CR_OP_COUNT]);

static char *checkpoint_boot_policy_str __initdata;
static bool checkpoint_boot_lock __initdata;

/**
 * checkpoint_stats_read - sum the per-CPU counts of one operation
 * @op: a valid operation
 * @sum: where to store the sums
 *
 * Each count is exact once the decisions it counts have returned; a read
 * racing with decisions may miss the ones still under way.
 */
void checkpoint_stats_read(enum cr_op op, struct checkpoint_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct checkpoint_stats *s = per_cpu_ptr(&checkpoint_stats[op], cpu);

		sum->legacy += READ_ONCE(s->legacy);
		sum->cr += READ_ONCE(s->cr);
		sum->denied += READ_ONCE(s->denied);
	}
}
EXPORT_SYMBOL_IF_KUNIT(checkpoint_stats_read);

/**
 * checkpoint_policy_get - copy the policy in force
 * @policy: where to copy it
 */
void checkpoint_policy_get(struct checkpoint_policy *policy)
{
	rcu_read_lock();
	*policy = rcu_dereference(checkpoint_active)->policy;
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(checkpoint_policy_get);

/* Called with checkpoint_mutex held; consumes @new. */
static void checkpoint_policy_swap(struct checkpoint_rcu_policy *new)
{
	struct checkpoint_rcu_policy *old;

	old = rcu_replace_pointer(checkpoint_active, new,
				  lockdep_is_held(&checkpoint_mutex));
	if (old != &checkpoint_boot_policy)
		kfree_rcu(old, rcu);
}

/**
 * checkpoint_policy_replace - put a whole new policy in force
 * @policy: the complete new policy
 *
 * Readers never wait: they keep the old object until a grace period ends.
 *
 * Return: 0, -EPERM once the policy is locked, -ENOMEM.
 */
int checkpoint_policy_replace(const struct checkpoint_policy *policy)
{
	struct checkpoint_rcu_policy *new;
	int ret = 0;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->policy = *policy;

	mutex_lock(&checkpoint_mutex);
	if (checkpoint_locked)
		ret = -EPERM;
	else
		checkpoint_policy_swap(new);
	mutex_unlock(&checkpoint_mutex);

	if (ret)
		kfree(new);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(checkpoint_policy_replace);

/**
 * checkpoint_policy_write_lines - apply lines written to the policy file
 * @buf: the written bytes
 * @len: their number
 *
 * The lines are applied to the policy in force, all or nothing, under the
 * same mutex as the lock: a write either completes before the policy is
 * locked or fails with -EPERM.
 *
 * Return: 0, -EPERM once the policy is locked, -EINVAL for a bad write,
 * -ENOMEM.
 */
int checkpoint_policy_write_lines(const char *buf, size_t len)
{
	struct checkpoint_rcu_policy *new, *cur;
	int ret = 0;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	mutex_lock(&checkpoint_mutex);
	if (checkpoint_locked) {
		ret = -EPERM;
	} else {
		cur = rcu_dereference_protected(checkpoint_active,
						lockdep_is_held(&checkpoint_mutex));
		new->policy = cur->policy;
		ret = checkpoint_policy_parse(&new->policy, buf, len);
		if (!ret)
			checkpoint_policy_swap(new);
	}
	mutex_unlock(&checkpoint_mutex);

	if (ret)
		kfree(new);
	return ret;
}

/**
 * checkpoint_lock_policy - freeze the policy and the audit switch
 *
 * One way: nothing unlocks it until reboot.  Taking checkpoint_mutex makes
 * the transition atomic with respect to every writer.
 *
 * Return: 0.
 */
int checkpoint_lock_policy(void)
{
	mutex_lock(&checkpoint_mutex);
	if (!checkpoint_locked)
		pr_notice("policy locked\n");
	checkpoint_locked = true;
	mutex_unlock(&checkpoint_mutex);
	return 0;
}

/**
 * checkpoint_policy_locked - whether the policy is locked
 *
 * Return: true once checkpoint_lock_policy() ran or checkpoint.lock=1.
 */
bool checkpoint_policy_locked(void)
{
	return READ_ONCE(checkpoint_locked);
}

/**
 * checkpoint_set_audit - switch logging of CAP_CHECKPOINT_RESTORE grants
 * @on: the new setting
 *
 * Return: 0, or -EPERM once the policy is locked.
 */
int checkpoint_set_audit(bool on)
{
	int ret = 0;

	mutex_lock(&checkpoint_mutex);
	if (checkpoint_locked)
		ret = -EPERM;
	else
		WRITE_ONCE(checkpoint_audit, on);
	mutex_unlock(&checkpoint_mutex);
	return ret;
}

/**
 * checkpoint_audit_enabled - whether grants are logged
 *
 * Return: the audit switch.
 */
bool checkpoint_audit_enabled(void)
{
	return READ_ONCE(checkpoint_audit);
}

/*
 * Runs in whatever context the capability check runs in: no sleeping, and
 * an allocation only when the administrator asked for audit records.
 */
static void checkpoint_log_grant(enum cr_op op, struct task_struct *target)
{
	pid_t opid = target ? task_tgid_nr(target) : 0;
#ifdef CONFIG_AUDIT
	char comm[TASK_COMM_LEN];
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_ATOMIC | __GFP_NOWARN,
			     AUDIT_AVC);
	if (!ab)
		return;
	audit_log_format(ab, "lsm=checkpoint op=%s cap=checkpoint_restore pid=%d comm=",
			 checkpoint_op_name(op), task_tgid_nr(current));
	audit_log_untrustedstring(ab, get_task_comm(comm, current));
	audit_log_format(ab, " opid=%d", opid);
	audit_log_end(ab);
#else
	pr_notice_ratelimited("op=%s cap=checkpoint_restore pid=%d comm=%s opid=%d\n",
			      checkpoint_op_name(op), task_tgid_nr(current),
			      current->comm, opid);
#endif
}

/* commoncap's verdict, without audit or side effects, as the kernel will ask. */
static bool checkpoint_holds_cr(const struct cred *cred,
				struct user_namespace *ns)
{
	return !cap_capable(cred, ns, CAP_CHECKPOINT_RESTORE, CAP_OPT_NOAUDIT);
}

static bool checkpoint_holds_cr_in_target_ns(const struct cred *cred,
					     struct task_struct *target)
{
	bool ret;

	rcu_read_lock();
	ret = checkpoint_holds_cr(cred, __task_cred(target)->user_ns);
	rcu_read_unlock();
	return ret;
}

/*
 * The decision checkpoint_restore_op_capable() is about to make, from the
 * facts it will find.  Facts are gathered lazily, in the order the kernel
 * uses them; the ptrace check only for a userns-mode op whose caller lacks
 * CAP_CHECKPOINT_RESTORE in the checked namespace.
 */
static enum checkpoint_verdict
checkpoint_foresee(const struct cred *cred, const struct checkpoint_policy *policy,
		   enum cr_op op, struct user_namespace *ns,
		   struct task_struct *target)
{
	struct checkpoint_facts facts = { .has_target = !!target };
	int vouch = checkpoint_policy_vouch(policy, op);

	if (vouch & CR_VOUCH_DENY)
		return CHECKPOINT_DENY;
	facts.cr_cap = checkpoint_holds_cr(cred, ns);
	if (!facts.cr_cap && target && (vouch & CR_VOUCH_TARGET_USERNS)) {
		facts.may_attach = ptrace_may_access(target,
						     PTRACE_MODE_ATTACH_FSCREDS);
		facts.cr_cap_target = facts.may_attach &&
			checkpoint_holds_cr_in_target_ns(cred, target);
	}
	return checkpoint_decide(policy, op, &facts);
}

/* Rows 2-5: answer from the policy, and count what the kernel will decide. */
static noinline int checkpoint_vouch_and_account(const struct cred *cred,
						 enum cr_op op,
						 struct user_namespace *ns,
						 struct task_struct *target)
{
	struct checkpoint_policy policy;
	enum checkpoint_verdict verdict;

	rcu_read_lock();
	policy = rcu_dereference(checkpoint_active)->policy;
	rcu_read_unlock();

	verdict = checkpoint_foresee(cred, &policy, op, ns, target);
	if (verdict == CHECKPOINT_DENY) {
		this_cpu_inc(checkpoint_stats[op].denied);
	} else {
		this_cpu_inc(checkpoint_stats[op].cr);
		if (READ_ONCE(checkpoint_audit) && !cr_op_info[op].noaudit)
			checkpoint_log_grant(op, target);
	}
	return checkpoint_policy_vouch(&policy, op);
}

static int checkpoint_cr_op_vouch(const struct cred *cred, enum cr_op op,
				  struct user_namespace *ns,
				  struct task_struct *target, bool legacy)
{
	if (!checkpoint_op_valid(op))
		return 0;
	/* Row 1: allowed whatever we answer; only counted. */
	if (legacy) {
		this_cpu_inc(checkpoint_stats[op].legacy);
		return 0;
	}
	return checkpoint_vouch_and_account(cred, op, ns, target);
}

static struct security_hook_list checkpoint_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(cr_op_vouch, checkpoint_cr_op_vouch),
};

static const struct lsm_id checkpoint_lsmid = {
	.name = "checkpoint",
	.id = LSM_ID_CHECKPOINT,
};

static int __init checkpoint_policy_setup(char *str)
{
	checkpoint_boot_policy_str = str;
	return 1;
}
__setup("checkpoint.policy=", checkpoint_policy_setup);

static int __init checkpoint_lock_setup(char *str)
{
	if (kstrtobool(str, &checkpoint_boot_lock))
		pr_err("checkpoint.lock=%s is not a boolean: policy not locked\n",
		       str);
	return 1;
}
__setup("checkpoint.lock=", checkpoint_lock_setup);

static void __init checkpoint_apply_boot_policy(struct checkpoint_policy *policy)
{
	struct checkpoint_policy parsed = *policy;

	if (!checkpoint_boot_policy_str)
		return;
	if (checkpoint_policy_parse_boot(&parsed, checkpoint_boot_policy_str)) {
		pr_err("malformed checkpoint.policy=%s: keeping the defaults\n",
		       checkpoint_boot_policy_str);
		return;
	}
	*policy = parsed;
	pr_info("boot policy applied: %s\n", checkpoint_boot_policy_str);
}

static int __init checkpoint_init(void)
{
	struct checkpoint_policy *policy = &checkpoint_boot_policy.policy;

	checkpoint_policy_set_defaults(policy);
	checkpoint_apply_boot_policy(policy);
	checkpoint_locked = checkpoint_boot_lock;

	security_add_hooks(checkpoint_hooks, ARRAY_SIZE(checkpoint_hooks),
			   &checkpoint_lsmid);
	checkpoint_lsm_enabled = true;
	pr_info("initialized%s\n", checkpoint_locked ? ", policy locked" : "");
	return 0;
}

DEFINE_LSM(checkpoint) = {
	.name = "checkpoint",
	.init = checkpoint_init,
};
