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

# name -> file@@exact text@@replacement (python string escapes)
declare -A MUTATIONS=(
	[parser-accepts-unknown-op]='policy.c@@\tif (op == CR_OP_NONE || mode < 0@@\tif (op == CR_OP_NONE)\n\t\treturn 0;\n\tif (mode < 0'
	[off-is-ignored]='policy.h@@\tdefault:\n\t\treturn CR_VOUCH_DENY;@@\tdefault:\n\t\treturn 0;'
)

mutate() {
	python3 - "$1" "$2" "$3" <<'PY'
import sys
path, old, new = sys.argv[1], *(bytes(a, "utf-8").decode("unicode_escape") for a in sys.argv[2:])
text = open(path).read()
if text.count(old) != 1:
    sys.exit(f"mutation text found {text.count(old)} times in {path}")
open(path, "w").write(text.replace(old, new))
PY
}

"$ROOT/scripts/build-kernel.sh" base >/dev/null
make -s -C "$ROOT/selftests" OUT="$BUILD/selftests"
"$ROOT/scripts/build-initramfs.sh" "$BUILD/initramfs.cpio.gz" >/dev/null
mkdir -p "$LOGS"
caught=0
for name in "${!MUTATIONS[@]}"; do
	spec=${MUTATIONS[$name]}
	file=${spec%%@@*}
	spec=${spec#*@@}
	old=${spec%%@@*}
	new=${spec#*@@}
	"$ROOT/scripts/prepare-tree.sh" >/dev/null
	mutate "$TREE/$file" "$old" "$new" || exit 2
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
