/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checkpoint LSM: the policy, its text forms and the decision table.
 *
 * Everything declared here is pure: no globals, no locking, no allocation,
 * so that KUnit can walk it exhaustively.
 */
#ifndef _SECURITY_CHECKPOINT_POLICY_H
#define _SECURITY_CHECKPOINT_POLICY_H

#include <linux/cr_op.h>
#include <linux/capability.h>
#include <linux/types.h>

/* Longest accepted line of the policy file, newline excluded. */
#define CHECKPOINT_MAX_LINE 64

/* First bit of the gate's audit half: bit 0 + op is "off", bit 16 + op "log". */
#define CHECKPOINT_GATE_AUDIT 16

/**
 * enum checkpoint_mode - how an operation treats CAP_CHECKPOINT_RESTORE
 * @CHECKPOINT_MODE_OFF: only the legacy capability allows the operation
 * @CHECKPOINT_MODE_ON: CAP_CHECKPOINT_RESTORE in the checked namespace too
 * @CHECKPOINT_MODE_USERNS: as @CHECKPOINT_MODE_ON, and also
 *	CAP_CHECKPOINT_RESTORE in the target's user namespace for a caller
 *	that may ptrace-attach the target (only for operations whose
 *	cr_op_info[] row sets target_userns: map_files, suspend_seccomp,
 *	seccomp_dump)
 * @CHECKPOINT_MODE_COUNT: number of modes
 */
enum checkpoint_mode {
	CHECKPOINT_MODE_OFF,
	CHECKPOINT_MODE_ON,
	CHECKPOINT_MODE_USERNS,
	CHECKPOINT_MODE_COUNT
};

/**
 * struct checkpoint_policy - the mode of every operation
 * @mode: enum checkpoint_mode of each enum cr_op; [CR_OP_NONE] is unused
 */
struct checkpoint_policy {
	u8 mode[CR_OP_COUNT];
};

/**
 * struct checkpoint_facts - what the kernel knows about one tagged check
 * @legacy_cap: the caller has the legacy capability in the checked namespace
 * @cr_cap: the caller has CAP_CHECKPOINT_RESTORE in the checked namespace
 * @has_target: the operation acts on a task
 * @cr_cap_target: the caller has CAP_CHECKPOINT_RESTORE in the target's
 *	user namespace
 * @may_attach: the caller may ptrace-attach the target
 */
struct checkpoint_facts {
	bool legacy_cap;
	bool cr_cap;
	bool has_target;
	bool cr_cap_target;
	bool may_attach;
};

/**
 * enum checkpoint_verdict - outcome of a tagged check
 * @CHECKPOINT_DENY: the operation is refused
 * @CHECKPOINT_ALLOW_LEGACY: allowed by the legacy capability (row 1)
 * @CHECKPOINT_ALLOW_CR: allowed by CAP_CHECKPOINT_RESTORE (row 3)
 * @CHECKPOINT_ALLOW_USERNS: allowed by CAP_CHECKPOINT_RESTORE in the
 *	target's user namespace (row 4)
 */
enum checkpoint_verdict {
	CHECKPOINT_DENY,
	CHECKPOINT_ALLOW_LEGACY,
	CHECKPOINT_ALLOW_CR,
	CHECKPOINT_ALLOW_USERNS
};

const char *checkpoint_op_name(enum cr_op op);
const char *checkpoint_mode_name(enum checkpoint_mode mode);
bool checkpoint_op_accepts_mode(enum cr_op op, enum checkpoint_mode mode);

void checkpoint_policy_set_defaults(struct checkpoint_policy *policy);
int checkpoint_policy_parse(struct checkpoint_policy *policy,
			    const char *buf, size_t len);
u32 checkpoint_policy_diff(const struct checkpoint_policy *a,
			   const struct checkpoint_policy *b);
int checkpoint_policy_parse_boot(struct checkpoint_policy *policy,
				 const char *str);
int checkpoint_policy_format(const struct checkpoint_policy *policy,
			     char *buf, size_t size);
u32 checkpoint_policy_gate(const struct checkpoint_policy *policy, bool audit);

/**
 * checkpoint_op_valid - whether @op names a checkpoint/restore operation
 * @op: operation
 *
 * Return: true for every operation of enum cr_op, false for CR_OP_NONE and
 * out-of-range values.
 */
static inline bool checkpoint_op_valid(enum cr_op op)
{
	return op > CR_OP_NONE && op < CR_OP_COUNT;
}

/**
 * checkpoint_op_cr_in_mainline - whether mainline accepts CAP_CHECKPOINT_RESTORE
 * @op: a valid operation
 *
 * Return: true if the kernel accepts CAP_CHECKPOINT_RESTORE for @op without
 * any LSM; such operations default to "on", the others to "off".
 */
static inline bool checkpoint_op_cr_in_mainline(enum cr_op op)
{
	return checkpoint_op_valid(op) && cr_op_info[op].cr_in_mainline;
}

/**
 * checkpoint_policy_refuses - whether the capable hook refuses @op's CR check
 * @policy: policy
 * @op: a valid operation
 *
 * Return: true if @op is "off": CAP_CHECKPOINT_RESTORE does not pass its
 * check, even where mainline accepts it.
 */
static inline bool checkpoint_policy_refuses(const struct checkpoint_policy *policy,
					     enum cr_op op)
{
	return policy->mode[op] == CHECKPOINT_MODE_OFF;
}

/**
 * checkpoint_policy_widen - what the cr_op_widen hook answers for @op
 * @policy: policy
 * @op: a valid operation
 *
 * Return: a mask of CR_WIDEN_* bits: none for "off", CR_WIDEN_NS for "on",
 * and CR_WIDEN_TARGET_USERNS on top of it for "userns".  Never negative.
 */
static inline int checkpoint_policy_widen(const struct checkpoint_policy *policy,
					  enum cr_op op)
{
	switch (policy->mode[op]) {
	case CHECKPOINT_MODE_ON:
		return CR_WIDEN_NS;
	case CHECKPOINT_MODE_USERNS:
		return CR_WIDEN_NS | CR_WIDEN_TARGET_USERNS;
	default:
		return 0;
	}
}

enum checkpoint_verdict checkpoint_decide(const struct checkpoint_policy *policy,
					  enum cr_op op,
					  const struct checkpoint_facts *facts);

#endif /* _SECURITY_CHECKPOINT_POLICY_H */
