#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's linux-source-VERSION package from SUITE without touching
# the host's apt sources: apt-get runs with a private sources list and
# private state and cache directories under build/apt-SUITE, pointed at the
# host's own Debian mirror (scripts/host-mirror.sh), and the package is
# unpacked with dpkg-deb.  Prints the path of the source tarball.
#   fetch-linux-source.sh VERSION SUITE       e.g. 7.2 unstable
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
VERSION=${1:?usage: fetch-linux-source.sh VERSION SUITE}
SUITE=${2:?usage: fetch-linux-source.sh VERSION SUITE}
PKG=linux-source-$VERSION
DEST=$BUILD/src-$VERSION
TARBALL=$DEST/usr/src/linux-source-$VERSION.tar.xz

log() { echo "[fetch] $*" >&2; }
die() { echo "[fetch] error: $*" >&2; exit 1; }

if [ -s "$TARBALL" ]; then
	echo "$TARBALL"
	exit 0
fi

# shellcheck source=scripts/host-mirror.sh
. "$ROOT/scripts/host-mirror.sh"
MIRROR=$(host_mirror)
[ -n "$MIRROR" ] || die "no Debian apt source in the host's apt configuration"

APT=$BUILD/apt-$SUITE
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/etc"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR%/} $SUITE main" \
	>"$APT/etc/sources.list"
OPTS=(-o "Dir::Etc::SourceList=$APT/etc/sources.list"
      -o "Dir::Etc::SourceParts=-"
      -o "Dir::State::Lists=$APT/lists"
      -o "Dir::Cache::Archives=$APT/archives"
      -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
      -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root" -o "Acquire::Languages=none")

log "apt-get update ($SUITE, private lists under ${APT#"$ROOT"/})"
apt-get -qq "${OPTS[@]}" update
log "downloading $PKG from $SUITE"
(cd "$APT/archives" && apt-get -qq "${OPTS[@]}" download "$PKG")
deb=$(ls -t "$APT/archives/${PKG}"_*.deb | head -n 1)
[ -s "$deb" ] || die "$PKG: no package downloaded"
rm -rf "$DEST"
dpkg-deb -x "$deb" "$DEST"
[ -s "$TARBALL" ] || die "$deb has no $TARBALL"
log "$(basename "$deb"): $(du -h "$TARBALL" | cut -f1)"
echo "$TARBALL"
