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
 * struct checkpoint_stats - per-operation counts of decisions
 * @legacy: allowed by the legacy capability
 * @cr: allowed through CAP_CHECKPOINT_RESTORE
 * @denied: refused
 */
struct checkpoint_stats {
	unsigned long legacy;
	unsigned long cr;
	unsigned long denied;
};

extern bool checkpoint_lsm_enabled;

void checkpoint_stats_read(enum cr_op op, struct checkpoint_stats *sum);

void checkpoint_policy_get(struct checkpoint_policy *policy);
int checkpoint_policy_replace(const struct checkpoint_policy *policy);
int checkpoint_policy_write_lines(const char *buf, size_t len);
int checkpoint_lock_policy(void);
bool checkpoint_policy_locked(void);
int checkpoint_set_audit(bool on);
bool checkpoint_audit_enabled(void);

#endif /* _SECURITY_CHECKPOINT_CHECKPOINT_H */
