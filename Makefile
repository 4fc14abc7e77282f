# SPDX-License-Identifier: GPL-2.0
#
# checkpoint LSM workbench.  Everything runs as root on Debian 12 with
# Debian's linux-source-6.12; QEMU runs with TCG only.
#
#   make test     install deps, build the 6.12 and 7.2 kernels, boot the
#                 test guests on each, summarise (TEST_KERNELS=base for 6.12
#                 only; the sanitizer kernels run in make test-hardened and
#                 make test-kcsan)
#   make demo     CRIU checkpoints and restores a seccomp'd process
#   make kernel   build the guest kernel (build/bzImage)
#   make run      boot the kernel with an interactive shell
#   make check    checkpatch --strict and sparse on the LSM and patches
#   make mutation break the LSM and the seam on purpose (scripts/mutation-check.sh)
#   make series   the upstream series with a cover letter, for 6.12 and 7.2,
#                 in build/series/ (From/Signed-off-by: your git identity)
#   make check-series  each patch of both series applies, passes checkpatch
#                 --strict and builds; kernel-doc, kselftest build, htmldocs;
#                 the result is the tree make test builds
#   make zdtm     CRIU's own test suite (zdtm) as root and as an ordinary
#                 user, default policy and seccomp ops on, on the 6.12 kernel
#                 (ZDTM_KERNEL=base-7.2, ZDTM_TESTS=a,b): build/reports/zdtm.md
#   make clean    remove build/ except the unpacked tree and ccache

SHELL := /bin/bash
BUILD := build

.PHONY: all deps tree kernel selftests initramfs test test-hardened test-kcsan demo bench run check mutation series check-series zdtm clean distclean

all: test

deps:
	@scripts/deps.sh

tree: deps
	@scripts/prepare-tree.sh

kernel: deps
	@scripts/build-kernel.sh base

selftests: deps
	@$(MAKE) -s -C selftests OUT=$(CURDIR)/$(BUILD)/selftests

initramfs: selftests
	@scripts/build-initramfs.sh $(BUILD)/initramfs.cpio.gz

test:
	@scripts/test.sh

test-hardened:
	@TEST_KERNELS=hardened scripts/test.sh

test-kcsan:
	@TEST_KERNELS=kcsan scripts/test.sh

demo:
	@scripts/demo.sh

bench:
	@scripts/bench.sh

run: kernel initramfs
	@scripts/run-guest.sh $(BUILD)/bzImage $(BUILD)/initramfs.cpio.gz - 0 \
		"lsm=checkpoint cktest=shell"

check: tree
	@scripts/check.sh

mutation: deps
	@scripts/mutation-check.sh

series: deps
	@scripts/make-series.sh 6.12
	@scripts/make-series.sh 7.2

check-series: deps
	@scripts/check-series.sh 6.12
	@scripts/check-series.sh 7.2

zdtm: deps
	@scripts/zdtm/run.sh

clean:
	rm -rf $(BUILD)/obj-* $(BUILD)/selftests $(BUILD)/logs $(BUILD)/*.cpio.gz \
		$(BUILD)/bzImage*

distclean:
	rm -rf $(BUILD)
