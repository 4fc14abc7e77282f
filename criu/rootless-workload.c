// SPDX-License-Identifier: GPL-2.0
/*
 * The rootless story's programs (criu/rootless-story.sh), one static
 * binary with three commands:
 *
 *   rootless-workload run [--listener] STATE_FILE PID_FILE
 *	The workload of a rootless container: a daemon (its own session, no
 *	terminal, stdio on /dev/null) with two threads and two stacked
 *	seccomp filters, after PR_SET_NO_NEW_PRIVS:
 *	  filter 1, installed by the main thread alone: getppid -> EPERM;
 *	  filter 2, installed with SECCOMP_FILTER_FLAG_TSYNC:
 *	    getpriority -> EACCES, which also gives the second thread the
 *	    whole chain (both threads end with both filters).
 *	With --listener, a third filter (it allows everything) is installed
 *	with SECCOMP_FILTER_FLAG_NEW_LISTENER and the daemon keeps the
 *	listener open, as a supervisor would.  Neither syscall fails
 *	otherwise, and neither CRIU's parasite nor its restorer calls them
 *	once the filters are back.  Every 100 ms the main thread bumps its
 *	counter and rewrites STATE_FILE (through a rename) with
 *	  counter=N beat2=M getppid=E getpriority=E getcpu=E
 *	  t2getppid=E t2getpriority=E nnp=0|1 pid=P
 *	where E is "ok" or the errno name a probe of that syscall got, the
 *	t2 ones and beat2 (a counter of its own) coming from the second
 *	thread.  getcpu is the syscall the wrapper's filter ("confine")
 *	denies.  The parent returns once the daemon has written PID_FILE.
 *
 *   rootless-workload init [-- COMMAND [ARGS...]]
 *	PID 1 of a pid namespace: runs COMMAND as its child, if given, and
 *	reaps every child and orphan, forever.
 *
 *   rootless-workload confine -- COMMAND [ARGS...]
 *	A wrapper's (or sandbox's) filter: sets no_new_privs, installs a
 *	filter that makes getcpu fail with EPERM (nothing else), then
 *	executes COMMAND under it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER 8UL
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };

/* one filter: syscall @nr fails with @err, everything else is allowed */
static int install_filter(int nr, int err, unsigned int flags)
{
	struct sock_filter deny[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = nr < 0 ? 1 : ARRAY_SIZE(deny),
		.filter = nr < 0 ? allow : deny,
	};

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* "ok", or the name of the errno a probe of syscall @nr got */
static const char *probe(long nr)
{
	long ret;

	errno = 0;
	switch (nr) {
	case SYS_getpriority:
		ret = syscall(nr, PRIO_PROCESS, 0);
		break;
	case SYS_getcpu: {
		unsigned int cpu, node;

		ret = syscall(nr, &cpu, &node, NULL);
		break;
	}
	default:
		ret = syscall(nr);
	}
	if (ret != -1 || !errno)
		return "ok";
	switch (errno) {
	case EPERM:
		return "EPERM";
	case EACCES:
		return "EACCES";
	default:
		return strerror(errno);
	}
}

/* the second thread's view, read by the main thread (atomically) */
static const char *t2_getppid = "none";
static const char *t2_getpriority = "none";
static unsigned long beat2;

#define SHARE(var, val) __atomic_store_n(&(var), (val), __ATOMIC_RELAXED)
#define SHARED(var) __atomic_load_n(&(var), __ATOMIC_RELAXED)

static void *second_thread(void *arg)
{
	(void)arg;
	for (;;) {
		SHARE(t2_getppid, probe(SYS_getppid));
		SHARE(t2_getpriority, probe(SYS_getpriority));
		__atomic_add_fetch(&beat2, 1, __ATOMIC_RELAXED);
		nanosleep(&tick, NULL);
	}
	return NULL;
}

static void write_state(const char *path, unsigned long counter)
{
	char buf[512], tmp[4096];
	int fd, n;

	n = snprintf(buf, sizeof(buf),
		     "counter=%lu beat2=%lu getppid=%s getpriority=%s getcpu=%s t2getppid=%s t2getpriority=%s nnp=%d pid=%d\n",
		     counter, SHARED(beat2), probe(SYS_getppid), probe(SYS_getpriority),
		     probe(SYS_getcpu), SHARED(t2_getppid), SHARED(t2_getpriority),
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

static int publish_pid(const char *path)
{
	char pidbuf[32], tmp[4096];
	int fd, n;

	n = snprintf(pidbuf, sizeof(pidbuf), "%d\n", getpid());
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, pidbuf, n) != n)
		return -1;
	close(fd);
	return rename(tmp, path);
}

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

static int run(int argc, char **argv)
{
	unsigned long counter = 0;
	int listener = 0, fd, n, status;
	const char *state, *pidfile;
	pthread_t t2;
	pid_t child;

	if (argc > 1 && !strcmp(argv[1], "--listener")) {
		listener = 1;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fputs("usage: rootless-workload run [--listener] STATE_FILE PID_FILE\n",
		      stderr);
		return 2;
	}
	state = argv[1];
	pidfile = argv[2];

	/* a daemon of its own session, with no terminal: a tree CRIU can dump */
	child = fork();
	if (child < 0)
		fail("fork");
	if (child > 0) {
		/* wait until the daemon has published its pid */
		for (n = 0; n < 100; n++) {
			if (access(pidfile, R_OK) == 0)
				return 0;
			if (waitpid(child, &status, WNOHANG) == child) {
				fprintf(stderr,
					"rootless-workload: the daemon failed (status %#x)\n",
					status);
				return 1;
			}
			nanosleep(&tick, NULL);
		}
		return 1;
	}
	setsid();
	/* nothing inherited but stdio: the listener, if any, is the only fd */
	syscall(SYS_close_range, 3, ~0U, 0);

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		fail("PR_SET_NO_NEW_PRIVS");
	if (pthread_create(&t2, NULL, second_thread, NULL))
		fail("pthread_create");
	/* filter 1: this thread only */
	if (install_filter(SYS_getppid, EPERM, 0))
		fail("seccomp filter 1");
	/* filter 2: TSYNC hands the whole chain to the second thread */
	if (install_filter(SYS_getpriority, EACCES, SECCOMP_FILTER_FLAG_TSYNC))
		fail("seccomp filter 2 (TSYNC)");
	/* a supervisor's filter: the listener stays open in this process */
	if (listener && install_filter(-1, 0, SECCOMP_FILTER_FLAG_NEW_LISTENER) < 0)
		fail("seccomp filter 3 (NEW_LISTENER)");

	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return 1;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	/* the second thread has probed under both filters */
	while (SHARED(beat2) < 2)
		nanosleep(&tick, NULL);
	write_state(state, counter);
	if (publish_pid(pidfile))
		return 1;
	for (;;) {
		nanosleep(&tick, NULL);
		write_state(state, ++counter);
	}
}

static void __attribute__((noreturn)) init(int argc, char **argv)
{
	pid_t child;

	if (argc > 2 && !strcmp(argv[1], "--")) {
		child = fork();
		if (child < 0)
			fail("fork");
		if (child == 0) {
			execvp(argv[2], argv + 2);
			fail(argv[2]);
		}
	}
	/* every orphan of the namespace comes here: reap it */
	for (;;) {
		if (wait(NULL) < 0 && errno == ECHILD)
			nanosleep(&tick, NULL);
	}
}

static int confine(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "--")) {
		fprintf(stderr, "usage: rootless-workload confine -- COMMAND [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		fail("PR_SET_NO_NEW_PRIVS");
	if (install_filter(SYS_getcpu, EPERM, 0))
		fail("seccomp");
	execvp(argv[2], argv + 2);
	fail(argv[2]);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "run"))
		return run(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "init"))
		init(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "confine"))
		return confine(argc - 1, argv + 1);
	fprintf(stderr, "usage: rootless-workload run|init|confine ...\n");
	return 2;
}
