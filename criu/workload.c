// SPDX-License-Identifier: GPL-2.0
/*
 * The CRIU scenario's workload: a daemon under a seccomp filter, as a
 * container runtime would start it, keeping a counter in memory.
 *
 * The filter makes sysinfo(2) fail with EADDRNOTAVAIL, an errno nothing
 * else gives it; every 100 ms the workload bumps its counter, probes the
 * filter and rewrites STATE_FILE with "counter=N filter=1|0 pid=P".
 *   workload STATE_FILE PID_FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

static int install_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sysinfo, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EADDRNOTAVAIL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(insns) / sizeof(insns[0]),
		.filter = insns,
	};

	/* unprivileged, as in a container without CAP_SYS_ADMIN */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static int filter_in_force(void)
{
	struct sysinfo si;

	return sysinfo(&si) == -1 && errno == EADDRNOTAVAIL;
}

static void write_state(const char *path, unsigned long counter)
{
	char buf[128], tmp[256];
	int fd, n;

	n = snprintf(buf, sizeof(buf), "counter=%lu filter=%d pid=%d\n",
		     counter, filter_in_force(), getpid());
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
	char pidbuf[32];
	int fd, n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s STATE_FILE PID_FILE\n", argv[0]);
		return 2;
	}
	if (install_filter()) {
		perror("seccomp");
		return 1;
	}
	/* a daemon of its own session, with no terminal */
	if (fork())
		return 0;
	setsid();
	fd = open("/dev/null", O_RDWR);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	n = snprintf(pidbuf, sizeof(pidbuf), "%d\n", getpid());
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, pidbuf, n) != n)
		return 1;
	close(fd);
	for (;;) {
		write_state(argv[1], ++counter);
		nanosleep(&tick, NULL);
	}
}
