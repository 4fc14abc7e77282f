#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the workbench needs from Debian's archive, if missing, and
# the extra packages named as arguments (check-series.sh: Sphinx).
# Quiet when everything is present.
set -euo pipefail

PKGS=(linux-source-6.12 qemu-system-x86 busybox-static libcap-ng-dev libcap-dev
      build-essential flex bison bc libelf-dev libssl-dev cpio rsync ccache
      sparse python3 python3-ply python3-git git xz-utils file criu util-linux iproute2
      mmdebstrap patch "$@")

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "[deps] installing: ${missing[*]}"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "[deps] done"
