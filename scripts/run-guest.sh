#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel and initramfs under QEMU (TCG only: KVM is not usable on
# the build machines) and capture the serial console.
#   run-guest.sh KERNEL INITRAMFS LOG TIMEOUT_SECONDS "KERNEL ARGS"
# Exits with QEMU's status, or 124 on timeout.  LOG=- for an interactive
# console on the terminal.  MEM sets the guest's memory (default 1G).
set -uo pipefail

KERNEL=$1 INITRD=$2 LOG=$3 TIMEOUT=$4 ARGS=$5
QEMU=(qemu-system-x86_64 -accel tcg -M pc -smp 2 -m "${MEM:-1G}" -nodefaults
      -no-reboot -display none -kernel "$KERNEL" -initrd "$INITRD"
      -append "console=ttyS0 panic=-1 oops=panic $ARGS")

if [ "$LOG" = - ]; then
	exec "${QEMU[@]}" -serial mon:stdio
fi
timeout -k 10 "$TIMEOUT" "${QEMU[@]}" -serial stdio </dev/null >"$LOG" 2>&1
