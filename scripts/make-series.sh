#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the upstream series for one base kernel from the project's
# layout: the seam (patches/KVER), then the LSM with its MAINTAINERS entry,
# its KUnit suites, its admin guide and its selftests (as
# tools/testing/selftests/checkpoint/), each as one commit on a pristine
# tree, exported with git format-patch and a cover letter (patches/series/).
#   make-series.sh KVER [OUTDIR]   KVER 6.12 or 7.2; OUTDIR defaults to
#                                  build/series/KVER
# From: and Signed-off-by: are the submitter's git identity (user.name,
# user.email as git config resolves them in this repository); without one
# the script refuses to run.  The commits stay in build/series-KVER/linux
# (a worktree of the workbench tree) for scripts/check-series.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
KVER=${1:?usage: make-series.sh KVER [OUTDIR]}
OUT=${2:-$BUILD/series/$KVER}
PATCHES=$ROOT/patches/$KVER
MSGS=$ROOT/patches/series

log() { echo "[series $KVER] $*"; }
die() { echo "[series $KVER] error: $*" >&2; exit 1; }

case "$KVER" in
6.12) TREE=$BUILD/linux ;;
7.2) TREE=$BUILD/linux-7.2 ;;
*) die "no series for Linux $KVER" ;;
esac
[ -d "$PATCHES" ] || die "no patches/$KVER"

NAME=$(git -C "$ROOT" config user.name || true)
EMAIL=$(git -C "$ROOT" config user.email || true)
[ -n "$NAME" ] && [ -n "$EMAIL" ] ||
	die "no git identity: set git config user.name and user.email (they sign the series)"
export GIT_AUTHOR_NAME=$NAME GIT_AUTHOR_EMAIL=$EMAIL
export GIT_COMMITTER_NAME=$NAME GIT_COMMITTER_EMAIL=$EMAIL

# The pristine tree (and the workbench's own copy of the sources, which
# check-series.sh compares the result with).
"$ROOT/scripts/prepare-tree.sh" "$KVER" >/dev/null

# The LSM's sources as a tree of the kernel's layout, ported to KVER.
STAGE=$BUILD/series-$KVER/stage
"$ROOT/scripts/stage-sources.sh" "$KVER" "$STAGE" || die "cannot stage the sources"
mkdir -p "$STAGE/tools/testing/selftests/checkpoint"
KS=$STAGE/tools/testing/selftests/checkpoint
cp -p "$ROOT"/selftests/*.c "$ROOT"/selftests/*.h "$KS/"
cp -p "$ROOT"/selftests/kselftest/{Makefile,config,settings} "$KS/"
cp -p "$ROOT/selftests/kselftest/gitignore" "$KS/.gitignore"

W=$BUILD/series-$KVER/linux
git -C "$TREE" worktree remove --force "$W" 2>/dev/null || rm -rf "$W"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$W" base
cd "$W"

# The seam, except the patches that only make sense with the LSM's files:
# the room patch (its LSM id, Kconfig and Makefile entries go with the LSM),
# the documentation index and the MAINTAINERS entry.
room=$(grep -l '^Subject: .*lsm: make room for the checkpoint LSM' "$PATCHES"/*.patch)
docs=$(grep -l '^Subject: .*Documentation: list the checkpoint LSM' "$PATCHES"/*.patch)
maint=$(grep -l '^Subject: .*MAINTAINERS: add an entry for the checkpoint LSM' "$PATCHES"/*.patch)
[ -n "$room" ] && [ -n "$docs" ] && [ -n "$maint" ] ||
	die "patches/$KVER lacks the room, documentation or MAINTAINERS patch"
for p in "$PATCHES"/*.patch; do
	case "$p" in "$room"|"$docs"|"$maint") continue ;; esac
	git am -q "$p" || die "$(basename "$p") does not apply"
done

# Kconfig and Makefile without the KUnit options: those come with the suites.
lsm_only() {
	sed -i '/^config SECURITY_CHECKPOINT_KUNIT_TEST$/,$d' security/checkpoint/Kconfig
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' security/checkpoint/Kconfig
	sed -i '/KUNIT_TEST\|_BENCH\|hooks_kunit/d' security/checkpoint/Makefile
}

# The MAINTAINERS entry names the submitter and, in each commit, the files
# that exist at that commit: checkpatch asks for it whenever files are added.
MAINT_DOC='F:	Documentation/admin-guide/LSM/checkpoint.rst'
MAINT_KSFT='F:	tools/testing/selftests/checkpoint/'
maint_entry() {
	awk -v who="$NAME <$EMAIL>" -v doc="$1" -v ksft="$2" '
		/^CHECKPOINT SECURITY MODULE$/ { inside = 1 }
		inside && /^M:\t/ { print "M:\t" who; next }
		inside && $0 == "'"$MAINT_DOC"'" && !doc { next }
		inside && $0 == "'"$MAINT_KSFT"'" && !ksft { next }
		/^$/ { inside = 0 }
		{ print }' "$STAGE/MAINTAINERS.full" >MAINTAINERS
	git add -f MAINTAINERS
}

commit_files() {
	local msg=$1
	shift
	git add -f "$@"
	git commit -q -F "$msg"
}

# the LSM, with its id, Kconfig, Makefile and MAINTAINERS entry
git apply "$maint" || die "$(basename "$maint") does not apply"
cp MAINTAINERS "$STAGE/MAINTAINERS.full"
git checkout -q -- MAINTAINERS
git am -q "$room" || die "$(basename "$room") does not apply"
maint_entry 0 0
mkdir -p security/checkpoint
for f in Kconfig Makefile checkpoint.h lsm.c policy.c policy.h securityfs.c; do
	cp -p "$STAGE/security/checkpoint/$f" security/checkpoint/
done
lsm_only
# checkpatch wants __setup parameters documented in the patch that adds them
git apply --index --include=Documentation/admin-guide/kernel-parameters.txt "$docs" ||
	die "$(basename "$docs"): kernel-parameters.txt does not apply"
git add -f security/checkpoint
git commit -q --amend -F "$MSGS/lsm.txt"

# the KUnit suites
cp -p "$STAGE"/security/checkpoint/{Kconfig,Makefile,.kunitconfig,*_kunit.c} security/checkpoint/
commit_files "$MSGS/kunit.txt" security/checkpoint

# the admin guide
git apply --index --exclude=Documentation/admin-guide/kernel-parameters.txt "$docs" ||
	die "$(basename "$docs") does not apply"
cp -p "$STAGE/Documentation/admin-guide/LSM/checkpoint.rst" Documentation/admin-guide/LSM/
git add -f Documentation/admin-guide/LSM/checkpoint.rst
maint_entry 1 0
git commit -q -F "$MSGS/docs.txt"

# the selftests, listed in the kselftest targets
mkdir -p tools/testing/selftests/checkpoint
cp -rp "$KS/." tools/testing/selftests/checkpoint/
awk '!done && /^TARGETS \+= / && $3 > "checkpoint" { print "TARGETS += checkpoint"; done = 1 } { print }' \
	tools/testing/selftests/Makefile >"$STAGE/ksft.mk"
cat "$STAGE/ksft.mk" >tools/testing/selftests/Makefile
maint_entry 1 1
commit_files "$MSGS/selftests.txt" tools/testing/selftests/checkpoint tools/testing/selftests/Makefile

# Every commit is the submitter's, signed off by them.
git -c core.hooksPath=/dev/null rebase -q base \
	--exec 'git commit -q --amend --no-edit --reset-author --signoff' \
	>"$STAGE/rebase.log" 2>&1 || { cat "$STAGE/rebase.log" >&2; die "signing off failed"; }

count=$(git rev-list --count base..HEAD)
rm -rf "$OUT"
mkdir -p "$OUT"
case "$KVER" in
7.2) prefix="RFC PATCH" ;;
*) prefix="RFC PATCH $KVER" ;;
esac
git format-patch -q --cover-letter --no-signature --zero-commit \
	--subject-prefix="$prefix" -o "$OUT" base..HEAD

# The cover letter: our text in place of git's placeholders.
version=$(make -s kernelversion)
case "$KVER" in
7.2) basenote="This series is against Linux $version as packaged by Debian (linux-source-7.2), the newest tree we could build and test; it is the one for review." ;;
*) basenote="This series is the same work on Linux $version as packaged by Debian (linux-source-6.12), the kernel of Debian 13, for those who want to deploy it today; the series for review is the one against 7.2." ;;
esac
cover=$(ls "$OUT"/0000-cover-letter.patch)
python3 - "$cover" "$MSGS/cover-letter.txt" "Linux $version" "$basenote" <<'EOF'
import sys, textwrap
cover, body, base, note = sys.argv[1:5]
text = open(body).read().replace('@BASE@', base)
note = textwrap.fill(note, 72, break_on_hyphens=False)
text = '\n'.join(note if l.strip() == '@BASENOTE@' else l for l in text.split('\n'))
c = open(cover).read()
c = c.replace('*** SUBJECT HERE ***',
              'checkpoint: CAP_CHECKPOINT_RESTORE for the rest of checkpoint/restore')
c = c.replace('*** BLURB HERE ***', text.rstrip('\n'))
open(cover, 'w').write(c)
EOF
grep -q '\*\*\*' "$cover" && die "placeholder left in the cover letter"
log "$count patches and a cover letter in ${OUT#"$ROOT"/} (From/Signed-off-by: $NAME <$EMAIL>)"
