/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checkpoint LSM: state shared between the hooks and securityfs.
 */
#ifndef _SECURITY_CHECKPOINT_CHECKPOINT_H
#define _SECURITY_CHECKPOINT_CHECKPOINT_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <kunit/visibility.h>

#include "policy.h"

/**
 * struct checkpoint_stats - per-operation counts of tagged capability checks
 * @legacy: granted by the legacy capability
 * @cr: granted through CAP_CHECKPOINT_RESTORE
 * @refused: CAP_CHECKPOINT_RESTORE held, refused because the op is off
 */
struct checkpoint_stats {
	unsigned long legacy;
	unsigned long cr;
	unsigned long refused;
};

extern bool checkpoint_lsm_enabled;
/* The first LSM with a capable hook listed after this one, or NULL. */
extern const char *checkpoint_capable_after;

void checkpoint_stats_read(enum cr_op op, struct checkpoint_stats *sum);

void checkpoint_policy_get(struct checkpoint_policy *policy);
int checkpoint_policy_replace(const struct checkpoint_policy *policy);
int checkpoint_policy_write_lines(const char *buf, size_t len);
int checkpoint_lock_policy(void);
bool checkpoint_policy_locked(void);
int checkpoint_set_audit(bool on);
bool checkpoint_audit_enabled(void);
void checkpoint_audit_refused(const char *file, int err);

#if IS_ENABLED(CONFIG_KUNIT)
int checkpoint_cr_op_widen(const struct cred *cred, enum cr_op op,
			   struct user_namespace *ns, struct task_struct *target);
#endif

#endif /* _SECURITY_CHECKPOINT_CHECKPOINT_H */
