// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace loops for make bench: operations per second of C/R-heavy
 * system calls and of an untagged capability check, printed as
 * "BENCH-US name ops_per_second" lines.  Run as root; the same program
 * runs in boots with and without checkpoint in lsm=.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *name, long n, double secs)
{
	printf("BENCH-US %s %.0f\n", name, n / secs);
	fflush(stdout);
}

static int map_files_loop(const char *name, long n)
{
	char path[128];
	double t0;
	void *addr;
	long i;
	int fd;

	fd = open("/proc/self/exe", O_RDONLY);
	addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (addr == MAP_FAILED)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)addr, (unsigned long)addr + 4096);
	t0 = now();
	for (i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -1;
		close(fd);
	}
	report(name, n, now() - t0);
	return 0;
}

static int set_tid_loop(long n)
{
	pid_t tid = 31000 + getpid() % 500;
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&tid,
		.set_tid_size = 1,
	};
	double t0 = now();
	long i;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid < 0)
			return -1;
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	report("clone3_set_tid", n, now() - t0);
	return 0;
}

static int suspend_seccomp_loop(long n)
{
	double t0;
	pid_t pid;
	long i;
	int status;

	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_SUSPEND_SECCOMP) ||
		    ptrace(PTRACE_INTERRUPT, pid, 0, 0) ||
		    waitpid(pid, &status, __WALL) != pid ||
		    ptrace(PTRACE_DETACH, pid, 0, 0)) {
			kill(pid, SIGKILL);
			return -1;
		}
	}
	report("ptrace_seize_suspend_seccomp", n, now() - t0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

static int sethostname_loop(long n)
{
	double t0 = now();
	long i;

	for (i = 0; i < n; i++)
		if (sethostname("bench", 5))
			return -1;
	report("sethostname", n, now() - t0);
	return 0;
}

static int getppid_loop(long n)
{
	double t0 = now();
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	report("getppid_control", n, now() - t0);
	return 0;
}

/* The map_files loop once more, as a uid-1000 CAP_CHECKPOINT_RESTORE caller. */
static int map_files_cr_loop(long n)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (become(CALLER_CR, OP_MAP_FILES))
			_exit(1);
		_exit(map_files_loop("map_files_open_cr_caller", n) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) ? -1 : 0;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? atol(argv[1]) : 1;
	int bad = 0;

	printf("TAP version 13\n1..6\n");
#define RUN(i, expr, name)						\
	do {								\
		int __r = (expr);					\
		printf("%sok %d - %s\n", __r ? "not " : "", i, name);	\
		bad |= __r;						\
	} while (0)
	RUN(1, getppid_loop(200000 * scale), "getppid control loop");
	RUN(2, sethostname_loop(100000 * scale), "sethostname loop (untagged)");
	RUN(3, map_files_loop("map_files_open_root", 20000 * scale),
	    "map_files open loop, root");
	RUN(4, map_files_cr_loop(20000 * scale), "map_files open loop, CR caller");
	RUN(5, set_tid_loop(2000 * scale), "clone3 set_tid loop");
	RUN(6, suspend_seccomp_loop(2000 * scale), "PTRACE_SEIZE+SUSPEND_SECCOMP loop");
	return bad;
}
