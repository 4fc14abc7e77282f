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
timeout -k 10 "$TIMEOUT" "${QEMU[@]}" -serial stdio </dev/null >"$LOG" 2>&1 &
qemu=$!
# Under TCG, QEMU has been seen not to exit after the guest's kernel said
# "reboot: Power down" (once in make demo, its act having passed): the
# guest is done by then, so give QEMU 15 s more, then stop it and say so in
# the log.  A guest that panicked says so on its console, which the
# summary reads; a guest that never gets there still meets the timeout.
while kill -0 "$qemu" 2>/dev/null; do
	if grep -aq -e '^reboot: Power down' -e '^reboot: Restarting system' "$LOG" 2>/dev/null; then
		for _ in $(seq 30); do
			kill -0 "$qemu" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$qemu" 2>/dev/null; then
			kill "$qemu" 2>/dev/null
			wait "$qemu" 2>/dev/null
			echo "[run-guest] QEMU still ran 15 s after the guest powered off: stopped" >>"$LOG"
			exit 0
		fi
		break
	fi
	sleep 1
done
wait "$qemu"
