// SPDX-License-Identifier: GPL-2.0
/*
 * Every checkpoint/restore operation, through its real system call, under
 * each policy mode, for each kind of caller.  Expected verdicts are
 * DESIGN.md section 5 applied to the callers below; none is computed by
 * the LSM's code.
 *
 * Callers (all start from the root test process):
 *  - nothing: uid 1000 without capabilities: rows 2/5, always denied;
 *  - cr: uid 1000 with CAP_CHECKPOINT_RESTORE (+ CAP_SYS_PTRACE for the
 *    ptrace ops): row 3, allowed unless the op is off;
 *  - legacy: uid 1000 with CAP_SYS_ADMIN (CAP_SYS_RESOURCE for set_mm):
 *    row 1, always allowed;
 * PR_SET_MM_EXE_FILE is set_mm, and through CAP_CHECKPOINT_RESTORE also
 * exe_file (DESIGN.md section 3); here exe_file keeps its default, on;
 * exe_file_test covers exe_file off.
 *  - userns_root: uid 1000 that became root of its own user namespace: it
 *    has the legacy capability only where the kernel checks that
 *    namespace (exe_file), and CAP_CHECKPOINT_RESTORE in the target's
 *    namespace for map_files of itself (row 4, userns mode only).
 *
 * "default" variants leave the policy as booted; they also run when the
 * LSM is absent, where they must give mainline's verdicts (I1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "../kselftest_harness.h"

enum mode { DEFAULT, OFF, ON, USERNS };

static const char *const mode_names[] = { "default", "off", "on", "userns" };

static const char *const op_call_names[OP_ALL_COUNT] = {
	"open /proc/self/map_files/*", "clone3 set_tid",
	"write ns_last_pid", "PR_SET_MM_MAP exe_fd", "TIOCSLCKTRMIOS",
	"write msg_next_id", "PTRACE_SEIZE + O_SUSPEND_SECCOMP",
	"PTRACE_SECCOMP_GET_FILTER", "PR_SET_MM_ARG_START",
	"PR_SET_SECCOMP without no_new_privs", "(no /dev/kfd)",
	"clone3 set_tid from a child pid ns", "write sem_next_id",
	"write shm_next_id", "PTRACE_SETOPTIONS + O_SUSPEND_SECCOMP",
	"PTRACE_SECCOMP_GET_METADATA", "PR_SET_MM_EXE_FILE",
};

/* The errno a refused operation reports, negated. */
static int denial_errno(enum op op)
{
	switch (policy_op(op)) {
	case OP_IPC_NEXT_ID:		/* the sysctl's mode stays 0644 */
	case OP_SECCOMP_DUMP:		/* seccomp_get_filter() */
	case OP_SECCOMP_RESTORE:	/* seccomp_prepare_filter() */
		return -EACCES;
	default:
		return -EPERM;
	}
}

/*
 * DESIGN.md section 4: the six mainline ops default to on.  A boot whose
 * plan sets CKPT_BOOT_POLICY=allon booted with every op on instead.
 */
static bool default_on(enum op op)
{
	const char *boot = getenv("CKPT_BOOT_POLICY");

	if (boot && !strcmp(boot, "allon"))
		return true;
	return policy_op(op) <= OP_IPC_NEXT_ID || policy_op(op) == OP_AMDKFD_CRIU;
}

/* DESIGN.md section 5 for the callers of this file. */
static bool expect_allowed(enum op op, enum mode mode, enum caller caller)
{
	bool on = mode == DEFAULT ? default_on(op) : mode != OFF;

	op = policy_op(op);
	switch (caller) {
	case CALLER_LEGACY:
		return true;				/* row 1 */
	case CALLER_CR:
		return on;				/* rows 2, 3 */
	case CALLER_USERNS_ROOT:
		/* row 1: these two check the caller's own namespace */
		if (op == OP_EXE_FILE || op == OP_SECCOMP_RESTORE)
			return true;
		return op == OP_MAP_FILES && mode == USERNS;	/* row 4 */
	default:
		return false;				/* row 5 */
	}
}

FIXTURE(ops) {};

FIXTURE_VARIANT(ops) {
	enum op op;
	enum mode mode;
	enum caller caller;
};

FIXTURE_SETUP(ops)
{
	if (variant->mode != DEFAULT) {
		if (!lsm_active())
			SKIP(return, "checkpoint LSM not active");
		ASSERT_EQ(0, set_mode(policy_op(variant->op),
				      mode_names[variant->mode]));
	}
}

FIXTURE_TEARDOWN(ops)
{
	if (variant->mode != DEFAULT)
		EXPECT_EQ(0, restore_policy());
}

TEST_F(ops, verdict)
{
	bool allowed = expect_allowed(variant->op, variant->mode, variant->caller);
	int ret = run_op(variant->op, variant->caller);

	TH_LOG("%s (%s) %s as %s: expected %s, got %s",
	       op_names[variant->op], op_call_names[variant->op],
	       mode_names[variant->mode], caller_names[variant->caller],
	       allowed ? "allowed" : "denied", ret ? strerror(ret) : "allowed");
	ASSERT_NE(-1, ret) TH_LOG("caller setup failed");
	ASSERT_EQ(allowed ? 0 : -denial_errno(variant->op), ret);
}

#define VARIANT(o, m, c)						\
	FIXTURE_VARIANT_ADD(ops, o##_##m##_##c) {			\
		.op = OP_##o, .mode = m, .caller = CALLER_##c,		\
	}

#define VARIANTS_MODE(o, m)						\
	VARIANT(o, m, NONE);						\
	VARIANT(o, m, CR);						\
	VARIANT(o, m, LEGACY);						\
	VARIANT(o, m, USERNS_ROOT)

#define VARIANTS_OP(o)							\
	VARIANTS_MODE(o, DEFAULT);					\
	VARIANTS_MODE(o, OFF);						\
	VARIANTS_MODE(o, ON)

VARIANTS_OP(MAP_FILES);
VARIANTS_MODE(MAP_FILES, USERNS);
VARIANTS_OP(SET_TID);
VARIANTS_OP(NS_LAST_PID);
VARIANTS_OP(EXE_FILE);
VARIANTS_OP(LOCKED_TERMIOS);
VARIANTS_OP(IPC_NEXT_ID);
VARIANTS_OP(SUSPEND_SECCOMP);
VARIANTS_OP(SECCOMP_DUMP);
VARIANTS_OP(SET_MM);
VARIANTS_OP(SET_TID_NESTED);
VARIANTS_OP(SEM_NEXT_ID);
VARIANTS_OP(SHM_NEXT_ID);
VARIANTS_OP(SUSPEND_SECCOMP_SETOPT);
VARIANTS_OP(SECCOMP_METADATA);
VARIANTS_OP(SECCOMP_RESTORE);
VARIANTS_OP(SET_MM_EXE_FILE);

TEST_HARNESS_MAIN
