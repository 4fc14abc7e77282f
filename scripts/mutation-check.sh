#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Break the LSM on purpose and show the tests notice.  Each mutation is a
# sed on the overlaid copy in build/linux (never on the repo's sources);
# the kernel is rebuilt, the main and fuzz boots run, and the failing
# tests are listed.  The tree is restored at the end.  Exit 0 only if
# every mutation made at least one test fail.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
TREE=$BUILD/linux/security/checkpoint
LOGS=$BUILD/logs

declare -A MUTATIONS=(
	[parser-accepts-unknown-op]="policy.c|s/if (op == CR_OP_NONE \\|\\| mode < 0/if (op == CR_OP_NONE)\\n\\t\\treturn 0;\\n\\tif (mode < 0/"
	[off-is-ignored]="policy.h|/^\\tdefault:\$/{n;s/return CR_VOUCH_DENY;/return 0;/}"
)

"$ROOT/scripts/build-kernel.sh" base >/dev/null
make -s -C "$ROOT/selftests" OUT="$BUILD/selftests"
"$ROOT/scripts/build-initramfs.sh" "$BUILD/initramfs.cpio.gz" >/dev/null
mkdir -p "$LOGS"
caught=0
for name in "${!MUTATIONS[@]}"; do
	file=${MUTATIONS[$name]%%|*}
	expr=${MUTATIONS[$name]#*|}
	"$ROOT/scripts/prepare-tree.sh" >/dev/null
	cp "$TREE/$file" "$BUILD/mutation.orig"
	sed -i "$expr" "$TREE/$file"
	if cmp -s "$TREE/$file" "$BUILD/mutation.orig"; then
		echo "[mutation] $name: the sed did not apply" >&2
		exit 2
	fi
	SKIP_PREPARE=1 "$ROOT/scripts/build-kernel.sh" base >/dev/null
	specs=()
	for plan in main fuzz; do
		log=$LOGS/mutation-$name-$plan.log
		args="lsm=yama,checkpoint cktest=$plan"
		[ $plan = main ] && args="kunit.filter=speed>slow $args"
		[ $plan = fuzz ] && args="kunit.enable=0 $args"
		"$ROOT/scripts/run-guest.sh" "$BUILD/bzImage" "$BUILD/initramfs.cpio.gz" \
			"$log" 600 "$args" || true
		specs+=("$plan:$log:$ROOT/guest/plans/$plan:")
	done
	out=$(python3 "$ROOT/scripts/tap-summary.py" "${specs[@]}" || true)
	failed=$(echo "$out" | tail -n 1 | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	echo "[mutation] $name: $(echo "$out" | tail -n 1)"
	echo "$out" | grep -- '- failed:' | head -n 12 | sed 's/^/    /'
	[ "${failed:-0}" -gt 0 ] && caught=$((caught + 1))
done
"$ROOT/scripts/prepare-tree.sh" >/dev/null
"$ROOT/scripts/build-kernel.sh" base >/dev/null
echo "[mutation] $caught of ${#MUTATIONS[@]} mutations caught"
[ "$caught" -eq "${#MUTATIONS[@]}" ]
