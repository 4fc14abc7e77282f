// SPDX-License-Identifier: GPL-2.0
/*
 * Review finding 6 (DESIGN.md section 3, composition): single-field
 * PR_SET_MM_EXE_FILE replaces the exe link, so when it is allowed through
 * CAP_CHECKPOINT_RESTORE it needs both set_mm and exe_file on; "exe_file
 * off" cannot be sidestepped with "set_mm on".  A CAP_SYS_RESOURCE holder
 * keeps mainline's verdict (row 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "common.h"
#include "../kselftest_harness.h"

FIXTURE(exe) {};

FIXTURE_VARIANT(exe) {
	const char *set_mm, *exe_file;
	enum caller caller;
	int expect;	/* 0 or the errno */
};

FIXTURE_SETUP(exe)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_EQ(0, set_mode(OP_SET_MM, variant->set_mm));
	ASSERT_EQ(0, set_mode(OP_EXE_FILE, variant->exe_file));
}

FIXTURE_TEARDOWN(exe)
{
	EXPECT_EQ(0, restore_policy());
}

TEST_F(exe, set_mm_exe_file)
{
	int ret = run_op(OP_SET_MM_EXE_FILE, variant->caller);

	ASSERT_NE(-1, ret);
	EXPECT_EQ(variant->expect, ret) TH_LOG("got %s", strerror(ret));
}

#define EXE(name, s, e, c, x)						\
	FIXTURE_VARIANT_ADD(exe, name) {				\
		.set_mm = s, .exe_file = e, .caller = CALLER_##c,	\
		.expect = x,						\
	}

EXE(cr_both_on, "on", "on", CR, 0);
EXE(cr_exe_file_off, "on", "off", CR, EPERM);
EXE(cr_set_mm_off, "off", "on", CR, EPERM);
EXE(legacy_exe_file_off, "on", "off", LEGACY, 0);
EXE(legacy_both_off, "off", "off", LEGACY, 0);
EXE(nothing_both_on, "on", "on", NONE, EPERM);

TEST_HARNESS_MAIN
