// SPDX-License-Identifier: GPL-2.0
/*
 * seccomp_restore (DESIGN.md section 3): a task without no_new_privs may
 * install a seccomp filter through CAP_CHECKPOINT_RESTORE when the op is
 * on, and the install then sets no_new_privs, so the task ends where
 * prctl(PR_SET_NO_NEW_PRIVS) followed by the install would have put it.
 * Mainline's paths are untouched: a CAP_SYS_ADMIN holder (even one that
 * also holds CAP_CHECKPOINT_RESTORE) installs without getting no_new_privs,
 * and a task with no_new_privs needs no capability at all.
 */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

/* getppid() fails with E2BIG under the filter; everything else runs. */
static int install_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | E2BIG),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = ARRAY_SIZE(insns), .filter = insns,
	};

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) ? errno : 0;
}

enum who { NOTHING, CR_ONLY, ADMIN_ONLY, CR_AND_ADMIN, NOTHING_WITH_NNP };

static int become_who(enum who who)
{
	capng_clear(CAPNG_SELECT_BOTH);
	if (who == CR_ONLY || who == CR_AND_ADMIN)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     CAP_CHECKPOINT_RESTORE);
	if (who == ADMIN_ONLY || who == CR_AND_ADMIN)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     CAP_SYS_ADMIN);
	if (capng_change_id(CKPT_UID, CKPT_UID,
			    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING))
		return -1;
	if (who == NOTHING_WITH_NNP && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return 0;
}

/* Outcome, packed in the caller's exit status. */
#define INSTALLED	0x01
#define NNP		0x02
#define FILTERED	0x04
#define EACCES_SEEN	0x08
#define SETUP		0x80

static int try_install(enum who who)
{
	pid_t pid = fork();
	int status, ret;

	if (pid == 0) {
		int out = 0;

		if (become_who(who))
			_exit(SETUP);
		ret = install_filter();
		if (!ret)
			out |= INSTALLED;
		else if (ret == EACCES)
			out |= EACCES_SEEN;
		if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
			out |= NNP;
		if (syscall(SYS_getppid) == -1 && errno == E2BIG)
			out |= FILTERED;
		_exit(out);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return SETUP;
	return WEXITSTATUS(status);
}

FIXTURE(install) {};

FIXTURE_VARIANT(install) {
	const char *mode;	/* seccomp_restore's mode; NULL: as booted */
	enum who who;
	int outcome;
};

FIXTURE_SETUP(install)
{
	if (variant->mode) {
		if (!lsm_active())
			SKIP(return, "checkpoint LSM not active");
		ASSERT_EQ(0, set_mode(OP_SECCOMP_RESTORE, variant->mode));
	}
}

FIXTURE_TEARDOWN(install)
{
	if (variant->mode)
		EXPECT_EQ(0, restore_policy());
}

TEST_F(install, outcome)
{
	int got = try_install(variant->who);

	ASSERT_NE(SETUP, got);
	EXPECT_EQ(variant->outcome, got) TH_LOG("installed %d nnp %d filtered %d eacces %d",
						!!(got & INSTALLED), !!(got & NNP),
						!!(got & FILTERED), !!(got & EACCES_SEEN));
}

#define OUTCOME(name, m, w, o)						\
	FIXTURE_VARIANT_ADD(install, name) {				\
		.mode = m, .who = w, .outcome = o,			\
	}

/* default policy: mainline (I1) */
OUTCOME(default_nothing, NULL, NOTHING, EACCES_SEEN);
OUTCOME(default_cr, NULL, CR_ONLY, EACCES_SEEN);
OUTCOME(default_admin, NULL, ADMIN_ONLY, INSTALLED | FILTERED);
OUTCOME(default_nnp, NULL, NOTHING_WITH_NNP, INSTALLED | NNP | FILTERED);
/* on: CAP_CHECKPOINT_RESTORE installs, and no_new_privs comes with it */
OUTCOME(on_cr, "on", CR_ONLY, INSTALLED | NNP | FILTERED);
OUTCOME(on_nothing, "on", NOTHING, EACCES_SEEN);
OUTCOME(on_admin, "on", ADMIN_ONLY, INSTALLED | FILTERED);
OUTCOME(on_cr_and_admin, "on", CR_AND_ADMIN, INSTALLED | FILTERED);
OUTCOME(on_nnp, "on", NOTHING_WITH_NNP, INSTALLED | NNP | FILTERED);
/* off: as mainline */
OUTCOME(off_cr, "off", CR_ONLY, EACCES_SEEN);
OUTCOME(off_admin, "off", ADMIN_ONLY, INSTALLED | FILTERED);

TEST_HARNESS_MAIN
