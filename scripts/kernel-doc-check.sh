#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-doc -Wall on what the project adds: every file of the LSM, and
# the seam's functions in mainline's files (mainline's own functions there
# are not ours to judge).  Prints the findings; empty output is clean.
#   kernel-doc-check.sh TREE LSM_DIR
set -uo pipefail

TREE=${1:?usage: kernel-doc-check.sh TREE LSM_DIR}
LSM=${2:?usage: kernel-doc-check.sh TREE LSM_DIR}

# kernel-doc turns KBUILD_BUILD_TIMESTAMP into a man-page date with date(1),
# which complains about check-series' fixed stamp on stderr: not a finding.
unset KBUILD_BUILD_TIMESTAMP
{
	"$TREE/scripts/kernel-doc" -none -Wall "$LSM"/*.[ch] "$TREE/include/linux/cr_op.h" 2>&1
	"$TREE/scripts/kernel-doc" -none -Wall "$TREE/kernel/capability.c" \
		"$TREE/security/security.c" "$TREE/include/linux/security.h" 2>&1 |
		grep -E "checkpoint_restore_op_|lsm_cr_op_widen|cap_opt_cr_op|cr_op"
} | grep -v "^$"
exit 0
