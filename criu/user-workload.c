// SPDX-License-Identifier: GPL-2.0
/*
 * The CRIU stories' workload: a daemon that confines itself the
 * unprivileged way (no_new_privs, then a seccomp filter) and keeps a
 * counter in memory.
 *
 * The filter makes getppid(2) fail with EPERM: getppid never fails
 * otherwise, and neither CRIU's parasite nor its restorer calls it.  Every
 * 100 ms the workload bumps its counter, probes the filter and rewrites
 * STATE_FILE (through a rename, so readers never see half a line) with
 *   counter=N filter=1|0 nnp=1|0 pid=P
 * where filter=1 means getppid still failed with EPERM.
 *   user-workload STATE_FILE PID_FILE
 * The parent returns once the daemon (its own session, no terminal, stdio
 * on /dev/null) has written PID_FILE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int install_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(insns) / sizeof(insns[0]),
		.filter = insns,
	};

	/* the only way an ordinary user may install a filter */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static int filter_in_force(void)
{
	return syscall(SYS_getppid) == -1 && errno == EPERM;
}

static void write_state(const char *path, unsigned long counter)
{
	char buf[128], tmp[4096];
	int fd, n;

	n = snprintf(buf, sizeof(buf), "counter=%lu filter=%d nnp=%d pid=%d\n",
		     counter, filter_in_force(),
		     prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), getpid());
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	if (write(fd, buf, n) != n) {
		close(fd);
		return;
	}
	close(fd);
	rename(tmp, path);
}

int main(int argc, char **argv)
{
	struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };
	unsigned long counter = 0;
	char pidbuf[32], tmp[4096];
	int fd, n, status;
	pid_t child;

	if (argc != 3) {
		fprintf(stderr, "usage: %s STATE_FILE PID_FILE\n", argv[0]);
		return 2;
	}
	if (install_filter()) {
		perror("seccomp");
		return 1;
	}
	/* a daemon of its own session, with no terminal: a tree CRIU can dump */
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child > 0) {
		/* wait until the daemon has published its pid */
		for (n = 0; n < 100; n++) {
			if (access(argv[2], R_OK) == 0)
				return 0;
			if (waitpid(child, &status, WNOHANG) == child)
				return 1;
			nanosleep(&tick, NULL);
		}
		return 1;
	}
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return 1;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	write_state(argv[1], counter);
	n = snprintf(pidbuf, sizeof(pidbuf), "%d\n", getpid());
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, pidbuf, n) != n)
		return 1;
	close(fd);
	if (rename(tmp, argv[2]))
		return 1;
	for (;;) {
		nanosleep(&tick, NULL);
		write_state(argv[1], ++counter);
	}
}
