// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checkpoint LSM: lets CAP_CHECKPOINT_RESTORE pass the checkpoint/restore
 * capability checks that the administrator's policy names.
 *
 * The kernel tags each checkpoint/restore capability check with its
 * operation (enum cr_op) and asks LSMs, through cr_op_vouch, whether
 * CAP_CHECKPOINT_RESTORE suffices.  This file answers from the policy,
 * restricts tagged CAP_CHECKPOINT_RESTORE checks of "off" operations in the
 * capable hook, counts every tagged grant and logs those made through
 * CAP_CHECKPOINT_RESTORE.  The policy is one RCU-protected object, replaced
 * whole under checkpoint_mutex.
 */

#define pr_fmt(fmt) "checkpoint: " fmt

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <uapi/linux/lsm.h>

#include "checkpoint.h"

struct checkpoint_rcu_policy {
	struct rcu_head rcu;
	struct checkpoint_policy policy;
};

/* Per-task note of the last vouched operation, for the audit record. */
struct checkpoint_task {
	enum cr_op op;
	pid_t target;
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
struct checkpoint_stats checkpoint_stats[CR_OP_COUNT];

static char *checkpoint_boot_policy_str __initdata;
static bool checkpoint_boot_lock __initdata;

static struct lsm_blob_sizes checkpoint_blob_sizes __ro_after_init = {
	.lbs_task = sizeof(struct checkpoint_task),
};

static struct checkpoint_task *checkpoint_task(struct task_struct *task)
{
	return task->security + checkpoint_blob_sizes.lbs_task;
}

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
static void checkpoint_log_grant(enum cr_op op)
{
	const struct checkpoint_task *note = checkpoint_task(current);
	pid_t target = note->op == op ? note->target : 0;
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
	audit_log_format(ab, " opid=%d", target);
	audit_log_end(ab);
#else
	pr_notice_ratelimited("op=%s cap=checkpoint_restore pid=%d comm=%s opid=%d\n",
			      checkpoint_op_name(op), task_tgid_nr(current),
			      current->comm, target);
#endif
}

static noinline int checkpoint_tagged_capable(enum cr_op op, int cap,
					      unsigned int opts)
{
	bool allowed;

	if (!checkpoint_op_valid(op))
		return 0;

	/* commoncap granted the legacy capability: row 1, never denied. */
	if (cap != CAP_CHECKPOINT_RESTORE) {
		atomic_long_inc(&checkpoint_stats[op].legacy);
		return 0;
	}

	rcu_read_lock();
	allowed = checkpoint_policy_cr_allowed(&rcu_dereference(checkpoint_active)->policy,
					       op);
	rcu_read_unlock();
	if (!allowed)
		return -EPERM;

	atomic_long_inc(&checkpoint_stats[op].cr);
	if (READ_ONCE(checkpoint_audit) && !(opts & CAP_OPT_NOAUDIT))
		checkpoint_log_grant(op);
	return 0;
}

/*
 * Untagged checks, nearly all of them, cost one predictable branch: the
 * tagged path is out of line.  Only checks commoncap granted get here.
 */
static int checkpoint_capable(const struct cred *cred,
			      struct user_namespace *ns, int cap,
			      unsigned int opts)
{
	enum cr_op op = cap_opt_cr_op(opts);

	if (likely(op == CR_OP_NONE))
		return 0;
	return checkpoint_tagged_capable(op, cap, opts);
}

static int checkpoint_cr_op_vouch(enum cr_op op, struct task_struct *target)
{
	struct checkpoint_task *note = checkpoint_task(current);
	int vouch;

	if (!checkpoint_op_valid(op))
		return 0;

	atomic_long_inc(&checkpoint_stats[op].attempts);
	note->op = op;
	note->target = target ? task_tgid_nr(target) : 0;

	rcu_read_lock();
	vouch = checkpoint_policy_vouch(&rcu_dereference(checkpoint_active)->policy,
					op);
	rcu_read_unlock();
	return vouch;
}

static struct security_hook_list checkpoint_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(capable, checkpoint_capable),
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
	.blobs = &checkpoint_blob_sizes,
};
