// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checkpoint LSM: lets CAP_CHECKPOINT_RESTORE pass the checkpoint/restore
 * capability checks that the administrator's policy names, and only those.
 *
 * The kernel tags every checkpoint/restore capability check with its
 * operation and asks for capabilities in mainline's order
 * (checkpoint_restore_op_grant()).  This LSM answers two hooks:
 *  - cr_op_widen, which only widens: for an operation that is "on", it lets
 *    CAP_CHECKPOINT_RESTORE count where mainline does not accept it;
 *  - capable, which only restricts: an untagged check returns on one
 *    branch; at a tagged check it refuses CAP_CHECKPOINT_RESTORE for an
 *    "off" operation, and counts (and, if asked, audits) the grants when
 *    they happen.  Listed last in lsm=, it sees exactly the grants that
 *    commoncap and every earlier LSM allowed.
 * The policy is one RCU-protected object, replaced whole under
 * checkpoint_mutex.
 */

#define pr_fmt(fmt) "checkpoint: " fmt

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/static_stub.h>
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

/*
 * The configuration as the capable hook reads it: checkpoint_policy_gate()
 * of the policy in force and of the audit switch, in one word, so that a
 * tagged check costs one load and no pointer chase.  Rewritten under
 * checkpoint_mutex whenever either changes.  A check racing with a change
 * reads the old word or the new one.  Where it also asked the widen hook,
 * which reads the policy object, it may pair one policy's widening with the
 * other's gate: since an op's gate bit is set exactly when its policy
 * widens nothing, the pair grants what the widening policy grants, or
 * nothing.
 */
static u32 checkpoint_gate;

bool checkpoint_lsm_enabled __ro_after_init;
const char *checkpoint_capable_after __ro_after_init;

/* What the capable hook counts at each tagged check. */
enum checkpoint_tally {
	CHECKPOINT_TALLY_LEGACY,
	CHECKPOINT_TALLY_CR,
	CHECKPOINT_TALLY_REFUSED,
	CHECKPOINT_TALLIES
};

/* Per CPU: counting must not bounce a cache line between CPUs. */
static DEFINE_PER_CPU(unsigned long,
		      checkpoint_counts[CR_OP_COUNT][CHECKPOINT_TALLIES]);

static char *checkpoint_boot_policy_str __initdata;
static bool checkpoint_boot_lock __initdata;

/*
 * Every attempt to change the configuration is audited, whatever the audit
 * switch says: each change made, with its old and new value (res=1), and
 * each write refused (res=0, with the errno and, when known, what it asked
 * for).  A write that changes nothing leaves no record.  The fields are the
 * ones the kernel's other configuration records carry, so that ausearch and
 * aureport read them: who (pid, uid, auid, ses, subj, comm), what, and res.
 *
 * Called with checkpoint_mutex held for the changes, so that the records
 * come out in the order the changes were made.  Process context: may sleep.
 */
static void checkpoint_audit_config(const char *file, const char *op,
				    const char *old, const char *new,
				    int err)
{
#ifdef CONFIG_AUDIT
	char comm[TASK_COMM_LEN];
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_CHECKPOINT_CONFIG);
	if (!ab)
		return;
	audit_log_format(ab, "lsm=checkpoint file=%s", file);
	if (op)
		audit_log_format(ab, " op=%s", op);
	if (old)
		audit_log_format(ab, " old=%s", old);
	if (new)
		audit_log_format(ab, " new=%s", new);
	audit_log_format(ab, " pid=%d uid=%u auid=%u ses=%u",
			 task_tgid_nr(current),
			 from_kuid(&init_user_ns, current_uid()),
			 from_kuid(&init_user_ns, audit_get_loginuid(current)),
			 audit_get_sessionid(current));
	audit_log_task_context(ab);
	audit_log_format(ab, " comm=");
	audit_log_untrustedstring(ab, get_task_comm(comm, current));
	audit_log_format(ab, " res=%d", !err);
	if (err)
		audit_log_format(ab, " errno=%d", err);
	audit_log_end(ab);
#else
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, current);
	pr_notice("config file=%s op=%s old=%s new=%s pid=%d comm=%*pE res=%d errno=%d\n",
		  file, op ? op : "-", old ? old : "-", new ? new : "-",
		  task_tgid_nr(current), (int)strnlen(comm, sizeof(comm)), comm,
		  !err, err);
#endif
}

/**
 * checkpoint_audit_refused - audit a write to a configuration file refused
 * before it reached the configuration
 * @file: the file's name
 * @err: the error the writer gets
 *
 * For refusals the file handlers decide themselves (no CAP_MAC_ADMIN, a
 * malformed write): the writer learns of it from the errno, the
 * administrator from this record.
 */
void checkpoint_audit_refused(const char *file, int err)
{
	checkpoint_audit_config(file, NULL, NULL, NULL, err);
}

static void checkpoint_audit_policy(const struct checkpoint_policy *old,
				    const struct checkpoint_policy *new,
				    u32 changed)
{
	enum cr_op op;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
		if (changed & BIT(op))
			checkpoint_audit_config("policy", checkpoint_op_name(op),
						checkpoint_mode_name(old->mode[op]),
						checkpoint_mode_name(new->mode[op]), 0);
}

static const char *checkpoint_bit_name(bool bit)
{
	return bit ? "1" : "0";
}

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
		const unsigned long *n = per_cpu_ptr(&checkpoint_counts[op][0], cpu);

		sum->legacy += READ_ONCE(n[CHECKPOINT_TALLY_LEGACY]);
		sum->cr += READ_ONCE(n[CHECKPOINT_TALLY_CR]);
		sum->refused += READ_ONCE(n[CHECKPOINT_TALLY_REFUSED]);
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

/* Called with checkpoint_mutex held, after any change of what it reads. */
static void checkpoint_gate_update(void)
{
	const struct checkpoint_rcu_policy *active;

	active = rcu_dereference_protected(checkpoint_active,
					   lockdep_is_held(&checkpoint_mutex));
	WRITE_ONCE(checkpoint_gate,
		   checkpoint_policy_gate(&active->policy, checkpoint_audit));
}

/* Called with checkpoint_mutex held; consumes @new. */
static void checkpoint_policy_swap(struct checkpoint_rcu_policy *new)
{
	struct checkpoint_rcu_policy *old;

	old = rcu_replace_pointer(checkpoint_active, new,
				  lockdep_is_held(&checkpoint_mutex));
	checkpoint_gate_update();
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
	struct checkpoint_policy prev;
	struct checkpoint_rcu_policy *new;
	int ret = 0;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->policy = *policy;

	mutex_lock(&checkpoint_mutex);
	if (checkpoint_locked) {
		ret = -EPERM;
		checkpoint_audit_config("policy", NULL, NULL, NULL, ret);
	} else {
		prev = rcu_dereference_protected(checkpoint_active,
						 lockdep_is_held(&checkpoint_mutex))->policy;
		checkpoint_policy_swap(new);
		checkpoint_audit_policy(&prev, policy,
					checkpoint_policy_diff(&prev, policy));
	}
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
 * Every op whose mode the lines change is audited, with its old and new
 * mode; a refused write is audited as such.
 *
 * Return: 0, -EPERM once the policy is locked, -EINVAL for a bad write,
 * -ENOMEM.
 */
int checkpoint_policy_write_lines(const char *buf, size_t len)
{
	struct checkpoint_policy prev, next;
	struct checkpoint_rcu_policy *new;
	int ret = 0;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	mutex_lock(&checkpoint_mutex);
	if (checkpoint_locked) {
		ret = -EPERM;
	} else {
		prev = rcu_dereference_protected(checkpoint_active,
						 lockdep_is_held(&checkpoint_mutex))->policy;
		next = prev;
		ret = checkpoint_policy_parse(&next, buf, len);
		if (!ret) {
			new->policy = next;
			checkpoint_policy_swap(new);
			checkpoint_audit_policy(&prev, &next,
						checkpoint_policy_diff(&prev, &next));
		}
	}
	if (ret)
		checkpoint_audit_config("policy", NULL, NULL, NULL, ret);
	mutex_unlock(&checkpoint_mutex);

	if (ret)
		kfree(new);
	return ret;
}

/**
 * checkpoint_lock_policy - freeze the policy and the audit switch
 *
 * One way: nothing unlocks it until reboot.  Taking checkpoint_mutex makes
 * the transition atomic with respect to every writer.  Locking a locked
 * policy changes nothing and is not audited.
 *
 * Return: 0.
 */
int checkpoint_lock_policy(void)
{
	bool was;

	mutex_lock(&checkpoint_mutex);
	was = checkpoint_locked;
	WRITE_ONCE(checkpoint_locked, true);
	if (!was)
		checkpoint_audit_config("lock", NULL, "0", "1", 0);
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
	bool was;

	mutex_lock(&checkpoint_mutex);
	was = checkpoint_audit;
	if (checkpoint_locked) {
		ret = -EPERM;
		checkpoint_audit_config("audit", NULL, checkpoint_bit_name(was),
					checkpoint_bit_name(on), ret);
	} else if (was != on) {
		WRITE_ONCE(checkpoint_audit, on);
		checkpoint_gate_update();
		checkpoint_audit_config("audit", NULL, checkpoint_bit_name(was),
					checkpoint_bit_name(on), 0);
	}
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
 * The task a grant acts on, noted by the widen hook, which the seam calls
 * before the capability checks of every operation that has a target: the
 * capable hook is not told.  A task blob, because the two calls may run
 * on different CPUs.
 */
struct checkpoint_task {
	enum cr_op op;
	pid_t target;
};

static struct lsm_blob_sizes checkpoint_blob_sizes __ro_after_init = {
	.lbs_task = sizeof(struct checkpoint_task),
};

static struct checkpoint_task *checkpoint_task(struct task_struct *task)
{
	return task->security + checkpoint_blob_sizes.lbs_task;
}

static void checkpoint_note_target(enum cr_op op, struct task_struct *target)
{
	struct checkpoint_task *ct = checkpoint_task(current);

	ct->op = op;
	ct->target = target ? task_tgid_nr(target) : 0;
}

/* 0 when the widen hook did not run for @op in this task's last check. */
static pid_t checkpoint_noted_target(enum cr_op op)
{
	const struct checkpoint_task *ct = checkpoint_task(current);

	return ct->op == op ? ct->target : 0;
}

/*
 * A record of a capability decision, like the kernel's own capability
 * records: CAP_CHECKPOINT_RESTORE passed this check.  The operation may
 * still fail on its own later checks (a PTRACE_SEIZE whose attach is then
 * refused), and the record does not claim otherwise.  opid= is the task the
 * operation acts on, when it has one.
 *
 * A call site's NOAUDIT keeps quiet the checks mainline makes there; a
 * grant mainline would not make (an op it does not accept
 * CAP_CHECKPOINT_RESTORE for: seccomp_restore's filter install) is the
 * administrator's widening, and with audit on it is logged like any other.
 *
 * Runs in whatever context the capability check runs in: no sleeping, and
 * an allocation only when the administrator asked for audit records.  Out
 * of line, and handed the options to test NOAUDIT here, so that the tagged
 * path keeps nothing alive for it; it returns the grant, so that the
 * tagged path can tail-call it.
 */
static noinline __cold int checkpoint_log_grant(enum cr_op op, unsigned int opts)
{
	pid_t opid = checkpoint_noted_target(op);
	char comm[TASK_COMM_LEN];
#ifdef CONFIG_AUDIT
	struct audit_buffer *ab;
#endif

	if ((opts & CAP_OPT_NOAUDIT) && checkpoint_op_cr_in_mainline(op))
		return 0;
#ifdef CONFIG_AUDIT
	ab = audit_log_start(audit_context(), GFP_ATOMIC | __GFP_NOWARN,
			     AUDIT_CHECKPOINT_GRANT);
	if (!ab)
		return 0;
	audit_log_format(ab, "lsm=checkpoint op=%s capability=%d capname=checkpoint_restore",
			 checkpoint_op_name(op), CAP_CHECKPOINT_RESTORE);
	audit_log_format(ab, " pid=%d comm=", task_tgid_nr(current));
	audit_log_untrustedstring(ab, get_task_comm(comm, current));
	if (opid)
		audit_log_format(ab, " opid=%d", opid);
	audit_log_end(ab);
#else
	get_task_comm(comm, current);
	pr_notice_ratelimited("op=%s capability=%d capname=checkpoint_restore pid=%d comm=%*pE opid=%d\n",
			      checkpoint_op_name(op), CAP_CHECKPOINT_RESTORE,
			      task_tgid_nr(current),
			      (int)strnlen(comm, sizeof(comm)), comm, opid);
#endif
	return 0;
}

/*
 * A tagged check that commoncap and every LSM before this one allowed: the
 * legacy capability always passes (row 1); CAP_CHECKPOINT_RESTORE passes
 * unless the op is off (row 2).  Counted here, when the decision is made.
 *
 * One load of the gate decides; the NOAUDIT option is looked at only when
 * audit is on.  The op indexes per-CPU memory, hence array_index_nospec();
 * a tag out of range folds onto CR_OP_NONE, whose gate bits are never set:
 * neither refused nor logged.
 */
static __noipa int
checkpoint_capable_tagged(const struct cred *cred, struct user_namespace *ns,
			  int cap, unsigned int opts)
{
	unsigned int op = array_index_nospec(cap_opt_cr_op(opts), CR_OP_COUNT);
	u32 gate;

	if (cap != CAP_CHECKPOINT_RESTORE) {
		this_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_LEGACY]);
		return 0;
	}
	gate = READ_ONCE(checkpoint_gate) >> op;
	if (gate & BIT(0)) {
		this_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_REFUSED]);
		return -EPERM;
	}
	this_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_CR]);
	if (unlikely(gate & BIT(CHECKPOINT_GATE_AUDIT)))
		return checkpoint_log_grant(op, opts);
	return 0;
}

/*
 * Every capability check of the system comes through here: untagged ones
 * must cost one predictable branch.  The tagged path takes the same
 * arguments, and __noipa keeps the compiler from trimming them, so that
 * the branch is all that runs before the tail call.
 */
static int checkpoint_capable(const struct cred *cred, struct user_namespace *ns,
			      int cap, unsigned int opts)
{
	if (likely(!(opts & CAP_OPT_CR_OP_MASK)))
		return 0;
	return checkpoint_capable_tagged(cred, ns, cap, opts);
}

/**
 * checkpoint_cr_op_widen - the widen hook: CAP_CHECKPOINT_RESTORE for "on" ops
 * @cred: credentials of the caller
 * @op: the operation checked
 * @ns: the namespace the call site checks
 * @target: the task the operation acts on, or NULL
 *
 * Return: the CR_WIDEN_* bits of @op's mode; never negative.
 */
VISIBLE_IF_KUNIT int checkpoint_cr_op_widen(const struct cred *cred,
					    enum cr_op op,
					    struct user_namespace *ns,
					    struct task_struct *target)
{
	int widen;

	KUNIT_STATIC_STUB_REDIRECT(checkpoint_cr_op_widen, cred, op, ns, target);

	if (!checkpoint_op_valid(op))
		return 0;
	checkpoint_note_target(op, target);
	rcu_read_lock();
	widen = checkpoint_policy_widen(&rcu_dereference(checkpoint_active)->policy,
					op);
	rcu_read_unlock();
	return widen;
}
EXPORT_SYMBOL_IF_KUNIT(checkpoint_cr_op_widen);

static struct security_hook_list checkpoint_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(capable, checkpoint_capable),
	LSM_HOOK_INIT(cr_op_widen, checkpoint_cr_op_widen),
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

/*
 * Fails closed: a bare checkpoint.lock locks, and so does a value that is
 * not a boolean; only an explicit false one ("0", "n", "off") does not.
 * Registered without the "=", so @str is "" or "=VALUE" (or the rest of
 * another parameter's name, which is not ours).
 */
static int __init checkpoint_lock_setup(char *str)
{
	if (*str == '\0') {
		checkpoint_boot_lock = true;
		return 1;
	}
	if (*str++ != '=')
		return 0;
	if (kstrtobool(str, &checkpoint_boot_lock)) {
		pr_err("checkpoint.lock=%s is not a boolean: policy locked\n", str);
		checkpoint_boot_lock = true;
	}
	return 1;
}
__setup("checkpoint.lock", checkpoint_lock_setup);

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
	checkpoint_gate = checkpoint_policy_gate(policy, checkpoint_audit);

	security_add_hooks(checkpoint_hooks, ARRAY_SIZE(checkpoint_hooks),
			   &checkpoint_lsmid);
	checkpoint_lsm_enabled = true;
	pr_info("initialized%s\n", checkpoint_locked ? ", policy locked" : "");
	return 0;
}

/*
 * The counts and the records are facts only if no LSM asked later can
 * still refuse a check this one counted as granted: this LSM must be the
 * last one with a capable hook.  The order is known once every LSM has
 * registered its hooks.
 */
static int __init checkpoint_check_capable_order(void)
{
	const struct lsm_static_call *scall = static_calls_table.capable;
	const struct lsm_static_call *end = scall + MAX_LSM_COUNT;
	bool seen = false;

	if (!checkpoint_lsm_enabled)
		return 0;
	for (; scall < end && scall->hl; scall++) {
		if (scall->hl->lsmid == &checkpoint_lsmid) {
			seen = true;
		} else if (seen) {
			checkpoint_capable_after = scall->hl->lsmid->name;
			pr_warn("%s checks capabilities after checkpoint: its refusals are counted as grants; list checkpoint last in lsm=\n",
				checkpoint_capable_after);
			break;
		}
	}
	return 0;
}
late_initcall(checkpoint_check_capable_order);

DEFINE_LSM(checkpoint) = {
	.name = "checkpoint",
	.init = checkpoint_init,
	.blobs = &checkpoint_blob_sizes,
};
