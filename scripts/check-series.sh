#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the series make-series.sh generates for one base kernel:
#  1. each patch applies with git am to the pristine tree, passes
#     checkpatch --strict, and the tree configures and builds after it
#     (incremental, ccache; tinyconfig + configs/series.config, which holds
#     every file the series touches that x86 builds without a driver);
#  2. on the last commit: kernel-doc on what the series adds, the selftests
#     with the kselftest Makefile against the series' own headers, and the
#     admin guide through the kernel's own Sphinx build
#     (make SPHINXDIRS=admin-guide htmldocs) with no warning from our files;
#  3. the result is the workbench's tree: every file the series changes is
#     the file the workbench builds and tests, and the other way round.
#   check-series.sh KVER        (6.12 or 7.2)
# Exits non-zero on the first failure of a step; times each step.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
# checkpatch's spdxcheck.py and Sphinx: Debian's python3 and its modules
export PATH=/usr/bin:$PATH
KVER=${1:?usage: check-series.sh KVER}
SERIES=$BUILD/series/$KVER
C=$BUILD/series-$KVER/check
OBJ=$BUILD/series-$KVER/obj
case "$KVER" in
6.12) TREE=$BUILD/linux ;;
7.2) TREE=$BUILD/linux-7.2 ;;
*) echo "no series for Linux $KVER" >&2; exit 1 ;;
esac

log() { echo "[check-series $KVER] $*"; }
die() { echo "[check-series $KVER] FAILED: $*" >&2; exit 1; }
start=$(date +%s)

"$ROOT/scripts/deps.sh" python3-sphinx python3-sphinx-rtd-theme python3-yaml
"$ROOT/scripts/make-series.sh" "$KVER" "$SERIES"

export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-lsm/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP="checkpoint-lsm"
export KBUILD_BUILD_USER=checkpoint KBUILD_BUILD_HOST=workbench
KMAKE=(make -s -C "$C" O="$OBJ" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)")

git -C "$TREE" worktree remove --force "$C" 2>/dev/null || rm -rf "$C"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$C" base
mkdir -p "$OBJ"
if [ ! -f "$OBJ/tiny.config" ]; then
	"${KMAKE[@]}" tinyconfig >/dev/null
	cp "$OBJ/.config" "$OBJ/tiny.config"
fi

# tinyconfig with the fragment on top; what a commit's Kconfig does not
# know yet is dropped by olddefconfig, and asked for again at the next one.
configure() {
	cat "$OBJ/tiny.config" "$ROOT/configs/series.config" >"$OBJ/.config"
	"${KMAKE[@]}" olddefconfig >"$OBJ/config.log" 2>&1 ||
		{ cat "$OBJ/config.log" >&2; die "olddefconfig"; }
}

# checkpatch's findings on a patch.  Its question whether MAINTAINERS needs
# updating for added files (FILE_PATH_CHANGES) is answered by
# get_maintainer.pl instead: every file the commit adds must belong to a
# MAINTAINERS section (not THE REST) in the tree of that commit.
# The selftests generate their kselftest_harness variants with macros
# (FIXTURE_VARIANT_ADD() blocks), which checkpatch's macro rules for kernel
# code cannot accept; those three rules are off for a patch that touches
# only tools/testing/selftests/ (and MAINTAINERS).
checkpatch() {
	local ignore=FILE_PATH_CHANGES
	if ! grep '^diff --git' "$1" |
	     grep -qv -e ' a/tools/testing/selftests/' -e ' a/MAINTAINERS '; then
		ignore=$ignore,COMPLEX_MACRO,MULTISTATEMENT_MACRO_USE_DO_WHILE,MACRO_ARG_REUSE
	fi
	(cd "$C" && ./scripts/checkpatch.pl --strict --quiet --show-types \
		--ignore "$ignore" "$1" 2>&1) || true
}
unmaintained() {
	local f
	for f in $(git -C "$C" diff --name-only --diff-filter=A HEAD~1 HEAD); do
		(cd "$C" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--sections -f "$f" 2>/dev/null) |
			grep -v '^THE REST$' | grep -q '^[A-Z0-9].*[A-Z]$' || echo "$f"
	done
}

n=0
for p in "$SERIES"/0*.patch; do
	case "$p" in */0000-cover-letter.patch) continue ;; esac
	n=$((n + 1))
	t=$(date +%s)
	git -C "$C" am -q "$p" || die "$(basename "$p") does not apply"
	subject=$(git -C "$C" log -1 --format=%s)
	out=$(checkpatch "$p")
	[ -z "$out" ] || { echo "$out"; die "checkpatch --strict: $(basename "$p")"; }
	out=$(unmaintained)
	[ -z "$out" ] || { echo "$out"; die "files in no MAINTAINERS section: $(basename "$p")"; }
	configure
	if ! "${KMAKE[@]}" >"$OBJ/build-$n.log" 2>&1; then
		tail -30 "$OBJ/build-$n.log" >&2
		die "build after $(basename "$p")"
	fi
	if grep -E "warning:" "$OBJ/build-$n.log" | grep -v "^make" >&2; then
		die "compiler warnings after $(basename "$p")"
	fi
	log "$(printf '%2d' $n) ok: applies, checkpatch --strict clean, maintained, builds ($(( $(date +%s) - t ))s): $subject"
done
# at the last commit every option of the fragment is in force
lost=$(grep '^CONFIG_' "$ROOT/configs/series.config" | while read -r opt; do
	grep -qxF "$opt" "$OBJ/.config" || echo "$opt"; done)
[ -z "$lost" ] || die "the last commit's config lost: $lost"
[ -f "$OBJ/security/checkpoint/lsm.o" ] || die "security/checkpoint was not built"

# kernel-doc on what the series adds
kd=$("$ROOT/scripts/kernel-doc-check.sh" "$C" "$C/security/checkpoint")
[ -z "$kd" ] || { echo "$kd"; die "kernel-doc"; }
log "kernel-doc: clean"

# the selftests, with the kselftest Makefile, against the series' headers
t=$(date +%s)
"${KMAKE[@]}" headers_install INSTALL_HDR_PATH="$OBJ/usr" >/dev/null
rm -rf "$OBJ/kselftest"
mkdir -p "$OBJ/kselftest"
make -s -C "$C/tools/testing/selftests/checkpoint" OUTPUT="$OBJ/kselftest" \
	KHDR_INCLUDES="-isystem $OBJ/usr/include" >"$OBJ/kselftest.log" 2>&1 ||
	{ tail -20 "$OBJ/kselftest.log" >&2; die "kselftest build"; }
grep -E "warning:" "$OBJ/kselftest.log" >&2 && die "kselftest build warnings"
built=$(ls "$OBJ/kselftest" | wc -l)
want=$(ls "$C"/tools/testing/selftests/checkpoint/*_test.c | wc -l)
[ "$built" -eq $((want + 1)) ] || die "kselftest built $built programs, want $((want + 1))"
log "kselftest: $want tests and bench built with tools/testing/selftests/checkpoint/Makefile ($(( $(date +%s) - t ))s)"

# the admin guide through the kernel's Sphinx build
t=$(date +%s)
if ! make -s -C "$C" O="$OBJ/docs" SPHINXDIRS=admin-guide htmldocs \
	>"$OBJ/htmldocs.log" 2>&1; then
	tail -20 "$OBJ/htmldocs.log" >&2
	die "make SPHINXDIRS=admin-guide htmldocs"
fi
ours=$(grep -iE "checkpoint" "$OBJ/htmldocs.log" | grep -iE "warning|error" || true)
[ -z "$ours" ] || { echo "$ours"; die "Sphinx warnings from our files"; }
html=$(find "$OBJ/docs/Documentation/output" -path '*LSM/checkpoint.html' | head -n 1)
[ -n "$html" ] || die "no LSM/checkpoint.html in the htmldocs output"
log "htmldocs (admin-guide): no warning from our files, ${html#"$OBJ"/} ($(( $(date +%s) - t ))s; $(grep -ciE 'warning|error' "$OBJ/htmldocs.log" || true) warnings from mainline's files)"

# the series' tree is the workbench's tree
"$ROOT/scripts/prepare-tree.sh" "$KVER" >/dev/null
diffs=0
same() {
	if ! cmp -s "$1" "$2"; then
		echo "differs: ${1#"$BUILD"/} ${2#"$ROOT"/}" >&2
		diffs=$((diffs + 1))
	fi
}
# MAINTAINERS differs only in who maintains it: the submitter
maint_norm() { sed '/^CHECKPOINT SECURITY MODULE$/,/^$/{/^M:/d}' "$1"; }
while read -r f; do
	case "$f" in
	tools/testing/selftests/checkpoint/Makefile) same "$C/$f" "$ROOT/selftests/kselftest/Makefile" ;;
	tools/testing/selftests/checkpoint/config) same "$C/$f" "$ROOT/selftests/kselftest/config" ;;
	tools/testing/selftests/checkpoint/settings) same "$C/$f" "$ROOT/selftests/kselftest/settings" ;;
	tools/testing/selftests/checkpoint/.gitignore) same "$C/$f" "$ROOT/selftests/kselftest/gitignore" ;;
	tools/testing/selftests/checkpoint/*) same "$C/$f" "$ROOT/selftests/${f##*/}" ;;
	tools/testing/selftests/Makefile)
		[ "$(git -C "$C" diff base -- "$f" | grep -c '^[-+][^-+]')" = 1 ] &&
			git -C "$C" diff base -- "$f" | grep -q '^+TARGETS += checkpoint$' ||
			{ echo "differs: $f adds more than the checkpoint target" >&2; diffs=$((diffs + 1)); } ;;
	MAINTAINERS)
		cmp -s <(maint_norm "$C/$f") <(maint_norm "$TREE/$f") ||
			{ echo "differs: MAINTAINERS" >&2; diffs=$((diffs + 1)); } ;;
	*) same "$C/$f" "$TREE/$f" ;;
	esac
done < <(git -C "$C" diff --name-only base HEAD)
# and nothing the workbench changes is missing from the series
while read -r f; do
	[ -e "$C/$f" ] || { echo "missing from the series: $f" >&2; diffs=$((diffs + 1)); }
done < <( (git -C "$TREE" diff --name-only base; git -C "$TREE" ls-files -o -- security/checkpoint Documentation/admin-guide) | sort -u)
[ $diffs = 0 ] || die "$diffs files differ from the workbench's tree"
log "the series' tree is the workbench's tree ($(git -C "$C" diff --name-only base HEAD | wc -l) files)"
log "passed: $n patches in $(( $(date +%s) - start ))s"
