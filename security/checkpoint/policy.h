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
#include <linux/types.h>

/* Longest accepted line of the policy file, newline excluded. */
#define CHECKPOINT_MAX_LINE 64

/**
 * enum checkpoint_mode - how an operation treats CAP_CHECKPOINT_RESTORE
 * @CHECKPOINT_MODE_OFF: only the legacy capability allows the operation
 * @CHECKPOINT_MODE_ON: CAP_CHECKPOINT_RESTORE in the checked namespace too
 * @CHECKPOINT_MODE_USERNS: as @CHECKPOINT_MODE_ON, and also
 *	CAP_CHECKPOINT_RESTORE in the target's user namespace for a caller
 *	that may ptrace-attach the target (map_files only)
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
bool checkpoint_op_valid(enum cr_op op);
bool checkpoint_op_cr_in_mainline(enum cr_op op);
bool checkpoint_op_accepts_mode(enum cr_op op, enum checkpoint_mode mode);

void checkpoint_policy_set_defaults(struct checkpoint_policy *policy);
int checkpoint_policy_parse(struct checkpoint_policy *policy,
			    const char *buf, size_t len);
int checkpoint_policy_parse_boot(struct checkpoint_policy *policy,
				 const char *str);
int checkpoint_policy_format(const struct checkpoint_policy *policy,
			     char *buf, size_t size);

int checkpoint_policy_vouch(const struct checkpoint_policy *policy,
			    enum cr_op op);
enum checkpoint_verdict
checkpoint_decide(const struct checkpoint_policy *policy, enum cr_op op,
		  const struct checkpoint_facts *facts);

#endif /* _SECURITY_CHECKPOINT_POLICY_H */
