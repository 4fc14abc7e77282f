#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CRIU's own test suite, zdtm, as Debian 13 ships it: the test/ tree of
# trixie's criu 4.1.1 source (the orig tarball, checked against its
# sha256), with the test-side patches of patches/zdtm applied, built with
# the host's gcc and packed as a tar that keeps mtimes (so that zdtm.py's
# own "make -C zdtm/static TEST.pid" in the guest finds nothing to
# rebuild; the guest has no compiler).
#   build-tests.sh [smoke|all]
#     smoke (default): umount2, zdtm_ct, zdtm/lib and the smoke set
#                      -> build/zdtm/zdtm-4.1.1.tar
#     all:             also every zdtm/static test that builds (make -k)
#                      -> build/zdtm/zdtm-4.1.1-all.tar
# The tar holds criu-4.1.1/test/ (unpack with tar -C /opt -xf) and, in it,
# zdtm-tests.smoke and zdtm-tests.all: the test names (zdtm/static/NAME),
# one a line, the second one every built test whose flavours include h
# and that is not "noauto" (what zdtm.py run -a -f h would pick).
#
# criu's source comes from trixie's deb-src on the host's own Debian mirror
# (scripts/host-mirror.sh), with a private sources list and private apt
# state under build/apt-trixie-src: the host's apt sources are untouched.
# Cached: nothing is done when the tar's .sum (this script, the patches,
# the test list, the tarball's sum) matches.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build
OUTDIR=$BUILD/zdtm
SET=${1:-smoke}
VERSION=4.1.1
ORIG=criu_$VERSION.orig.tar.xz
ORIG_SHA256=f80a66cb3726bb2116266d4759ce3bcbfab7abdb6b6d430bf20dd41911717afe
SUITE=trixie
# Keep in step with criu/zdtm-run.sh's default.
SMOKE="env00 pthread00 maps00 maps_file_prot zombie00 selfexe00 cmdlinenv00
pty00 tty00 seccomp_no_new_privs seccomp_strict seccomp_filter
seccomp_filter_tsync seccomp_filter_threads seccomp_filter_inheritance"

case "$SET" in
smoke) OUT=$OUTDIR/zdtm-$VERSION.tar ;;
all) OUT=$OUTDIR/zdtm-$VERSION-all.tar ;;
*) echo "usage: build-tests.sh [smoke|all]" >&2; exit 2 ;;
esac

log() { echo "[zdtm] $*" >&2; }
die() { echo "[zdtm] error: $*" >&2; exit 1; }
start=$(date +%s)

mkdir -p "$OUTDIR"
sum=$( (echo "$SET $VERSION $ORIG_SHA256 $SMOKE"; cd "$ROOT" &&
	sha256sum scripts/zdtm/build-tests.sh patches/zdtm/*.patch) |
	sha256sum | cut -d' ' -f1)
if [ -s "$OUT" ] && [ "$(cat "$OUT.sum" 2>/dev/null)" = "$sum" ]; then
	log "$(du -h "$OUT" | cut -f1) ${OUT#"$ROOT"/} is up to date"
	echo "$OUT"
	exit 0
fi

# 1. the orig tarball from trixie's sources
APT=$BUILD/apt-$SUITE-src
TARBALL=$APT/source/$ORIG
check_sum() { echo "$ORIG_SHA256  $1" | sha256sum -c --status; }
if ! [ -s "$TARBALL" ] || ! check_sum "$TARBALL"; then
	# shellcheck source=scripts/host-mirror.sh
	. "$ROOT/scripts/host-mirror.sh"
	MIRROR=$(host_mirror)
	[ -n "$MIRROR" ] || die "no Debian apt source in the host's apt configuration"
	mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/etc" "$APT/source"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR%/} $SUITE main" \
		>"$APT/etc/sources.list"
	OPTS=(-o "Dir::Etc::SourceList=$APT/etc/sources.list"
	      -o "Dir::Etc::SourceParts=-"
	      -o "Dir::State::Lists=$APT/lists"
	      -o "Dir::Cache::Archives=$APT/archives"
	      -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
	      -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root"
	      -o "Acquire::Languages=none")
	log "apt-get update ($SUITE deb-src, private lists under ${APT#"$ROOT"/})"
	apt-get -qq "${OPTS[@]}" update
	log "downloading criu's source from $SUITE"
	# The .dsc and the Debian tarball may be missing from the mirror; the
	# upstream (orig) tarball is all we use.
	(cd "$APT/source" || exit 1
	 apt-get -qq "${OPTS[@]}" source --download-only criu >/dev/null 2>&1 || true)
	[ -s "$TARBALL" ] || die "no $ORIG from $SUITE's sources"
	check_sum "$TARBALL" || die "$ORIG: sha256 is not $ORIG_SHA256"
fi
log "$ORIG: sha256 $ORIG_SHA256 ok"

# 2. the tree: test/ only, Debian's python3-pycriu instead of the link
SRC=$OUTDIR/src-$SET
rm -rf "$SRC"
mkdir -p "$SRC"
tar -C "$SRC" -xJf "$TARBALL" "criu-$VERSION/test"
T=$SRC/criu-$VERSION/test
rm "$T/pycriu"
for p in "$ROOT"/patches/zdtm/*.patch; do
	log "applying ${p#"$ROOT"/}"
	patch -s -p1 -d "$SRC/criu-$VERSION" <"$p"
done

# 3. build: the harness, the library, the tests
JOBS=$(nproc)
make -s -C "$T" umount2 zdtm_ct >&2
make -s -j"$JOBS" -C "$T/zdtm/lib" >&2
# shellcheck disable=SC2086  # the list
make -s -j"$JOBS" -C "$T/zdtm/static" $SMOKE >&2
if [ "$SET" = all ]; then
	log "building every zdtm/static test that builds (make -k)"
	make -s -k -j"$JOBS" -C "$T/zdtm/static" >"$OUTDIR/build-all.log" 2>&1 || true
fi
# the lists: names as zdtm.py run -t takes them
for t in $SMOKE; do echo "zdtm/static/$t"; done >"$T/zdtm-tests.smoke"
(cd "$T" && python3 - <<'EOF' >zdtm-tests.all
import os
excl = {'zdtm/static/route_rules', 'zdtm/static/criu-rtc.so'}
for f in sorted(os.listdir('zdtm/static')):
    p = 'zdtm/static/' + f
    st = os.lstat(p)
    if not (st.st_mode & 0o100) or not os.path.isfile(p) or os.path.islink(p):
        continue
    if f.endswith(('.checkskip', '.hook', '.sh', '.py')) or p in excl:
        continue
    with open(p, 'rb') as fd:
        if fd.read(4) != b'\x7fELF':
            continue
    desc = {}
    if os.path.exists(p + '.desc') and os.path.getsize(p + '.desc') > 0:
        with open(p + '.desc') as fd:
            desc = eval(fd.read())
    flags = desc.get('flags', '').split()
    if 'h' not in desc.get('flavor', 'h ns uns').split() or 'noauto' in flags:
        continue
    print(p)
EOF
)
for t in $SMOKE; do
	[ -x "$T/zdtm/static/$t" ] || die "smoke test $t did not build"
done
log "$(wc -l <"$T/zdtm-tests.smoke") smoke tests, $(wc -l <"$T/zdtm-tests.all") h-flavour tests built"

# 4. the tar, mtimes kept
tar -C "$SRC" --owner=0 --group=0 --numeric-owner -cf "$OUT.tmp" "criu-$VERSION/test"
mv "$OUT.tmp" "$OUT"
echo "$sum" >"$OUT.sum"
rm -rf "$SRC"
log "$(du -h "$OUT" | cut -f1) ${OUT#"$ROOT"/} in $(( $(date +%s) - start ))s"
echo "$OUT"
