// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint LSM selftests: callers, policy files and the operations, each
 * performed through its real system call by a forked caller.
 */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

/* Exit codes of a caller that failed before reaching the operation. */
#define SETUP_FAILED 250

/* Why a caller could not get to the operation: shown in the TAP log. */
#define setup_failed(what)						\
	({ fprintf(stderr, "# setup: %s: %s (%s:%d)\n", what,		\
		   strerror(errno), __func__, __LINE__); SETUP_FAILED; })

const char *const op_names[OP_ALL_COUNT] = {
	"map_files", "set_tid", "ns_last_pid", "exe_file", "locked_termios",
	"ipc_next_id", "suspend_seccomp", "seccomp_dump", "set_mm",
	"seccomp_restore", "amdkfd_criu",
	"set_tid", "ipc_next_id", "ipc_next_id", "suspend_seccomp",
	"seccomp_dump", "set_mm",
};

enum op policy_op(enum op op)
{
	switch (op) {
	case OP_SET_TID_NESTED:
		return OP_SET_TID;
	case OP_SEM_NEXT_ID:
	case OP_SHM_NEXT_ID:
		return OP_IPC_NEXT_ID;
	case OP_SUSPEND_SECCOMP_SETOPT:
		return OP_SUSPEND_SECCOMP;
	case OP_SECCOMP_METADATA:
		return OP_SECCOMP_DUMP;
	case OP_SET_MM_EXE_FILE:
		return OP_SET_MM;
	default:
		return op;
	}
}

const char *const caller_names[CALLER_COUNT] = {
	"nothing", "cr", "legacy", "root_no_admin", "userns_root",
	"nested_userns_root",
};

bool lsm_active(void)
{
	char buf[512];

	if (read_file("/sys/kernel/security/lsm", buf, sizeof(buf)) < 0)
		return false;
	return strstr(buf, "checkpoint");
}

int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/* Returns 0 or -errno of open or the (single) write. */
int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* The policy this process found in force, restored by restore_policy(). */
static char saved_policy[1024];
static int saved_len;

int snapshot_policy(void)
{
	int n;

	if (saved_len)
		return 0;
	n = read_file(CKPT_DIR "/policy", saved_policy, sizeof(saved_policy));
	if (n <= 0)
		return n ? n : -EIO;
	saved_len = n;
	return 0;
}

int set_mode(enum op op, const char *mode)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s %s\n", op_names[op], mode);
	int ret = snapshot_policy();

	return ret ? ret : write_file(CKPT_DIR "/policy", line, n);
}

int restore_policy(void)
{
	if (!saved_len)
		return 0;
	return write_file(CKPT_DIR "/policy", saved_policy, saved_len);
}

/* One counter of stats ("legacy", "cr" or "refused"), or -1. */
long stat_counter(enum op op, const char *which)
{
	char buf[2048], key[64], *line;
	long value;

	if (read_file(CKPT_DIR "/stats", buf, sizeof(buf)) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s ", op_names[op]);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *p;

		if (strncmp(line, key, strlen(key)))
			continue;
		snprintf(key, sizeof(key), " %s=", which);
		p = strstr(line, key);
		if (!p || sscanf(p + strlen(key), "%ld", &value) != 1)
			return -1;
		return value;
	}
	return -1;
}

static bool op_needs_tracer(enum op op)
{
	op = policy_op(op);
	return op == OP_SUSPEND_SECCOMP || op == OP_SECCOMP_DUMP;
}

static int write_proc(const char *path, const char *s)
{
	return write_file(path, s, strlen(s)) ? -1 : 0;
}

/*
 * A new user namespace whose root is our current uid: @outer is that uid as
 * the parent namespace sees it ("1000" from the initial one, "0" from a
 * user namespace where we are root already).
 */
static int enter_userns(const char *outer)
{
	char map[32];

	snprintf(map, sizeof(map), "0 %s 1", outer);
	if (unshare(CLONE_NEWUSER))
		return -1;
	if (write_proc("/proc/self/setgroups", "deny") ||
	    write_proc("/proc/self/uid_map", map) ||
	    write_proc("/proc/self/gid_map", map))
		return -1;
	return 0;
}

/*
 * Turn the calling (forked, root) process into @caller for @op.
 * Returns 0 or -1.
 */
int become(enum caller caller, enum op op)
{
	int legacy = policy_op(op) == OP_SET_MM ? CAP_SYS_RESOURCE : CAP_SYS_ADMIN;

	capng_clear(CAPNG_SELECT_BOTH);
	switch (caller) {
	case CALLER_NONE:
	case CALLER_USERNS_ROOT:
	case CALLER_NESTED_USERNS_ROOT:
		break;
	case CALLER_CR:
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     CAP_CHECKPOINT_RESTORE);
		break;
	case CALLER_LEGACY:
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, legacy);
		break;
	case CALLER_ROOT_NO_ADMIN:
		capng_fill(CAPNG_SELECT_BOTH);
		capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
			     CAPNG_BOUNDING_SET, CAP_SYS_ADMIN);
		capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
			     CAPNG_BOUNDING_SET, CAP_SYS_RESOURCE);
		capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
			     CAPNG_BOUNDING_SET, CAP_CHECKPOINT_RESTORE);
		if (capng_apply(CAPNG_SELECT_BOTH))
			return setup_failed("capng_apply"), -1;
		return 0;
	default:
		return -1;
	}
	if (op_needs_tracer(op) && caller != CALLER_NONE &&
	    caller != CALLER_USERNS_ROOT && caller != CALLER_NESTED_USERNS_ROOT)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     CAP_SYS_PTRACE);
	if (capng_change_id(CKPT_UID, CKPT_UID,
			    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING))
		return setup_failed("capng_change_id"), -1;
	/* setuid made us non-dumpable: /proc/self would belong to root. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return setup_failed("PR_SET_DUMPABLE"), -1;
	if ((caller == CALLER_USERNS_ROOT || caller == CALLER_NESTED_USERNS_ROOT) &&
	    enter_userns("1000"))
		return setup_failed("user namespace"), -1;
	if (caller == CALLER_NESTED_USERNS_ROOT && enter_userns("0"))
		return setup_failed("nested user namespace"), -1;
	return 0;
}

/* ---- the operations: each returns 0 or an errno ------------------------ */

static int op_map_files(void)
{
	char path[128];
	void *addr;
	int fd, link;

	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0)
		return setup_failed("open /proc/self/exe");
	addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (addr == MAP_FAILED)
		return setup_failed("mmap");
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)addr, (unsigned long)addr + 4096);
	link = open(path, O_RDONLY);
	if (link < 0)
		return errno;
	close(link);
	return 0;
}

static pid_t free_pid(void)
{
	char path[64];
	pid_t pid;

	for (pid = 30000 + getpid() % 2000; pid < 32000; pid++) {
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (access(path, F_OK))
			return pid;
	}
	return 0;
}

/* clone3() with set_tid: @tids[0] in the innermost pid namespace. */
static int clone3_set_tid(pid_t *tids, int n)
{
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)tids,
		.set_tid_size = n,
	};
	int status;
	pid_t pid;

	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		return setup_failed("waitpid");
	return pid == tids[0] ? 0 : setup_failed("pid differs from set_tid");
}

static int op_set_tid(void)
{
	pid_t tid = free_pid();

	if (!tid)
		return setup_failed("no free pid");
	return clone3_set_tid(&tid, 1);
}

static int op_ns_last_pid(void)
{
	char buf[32];
	int n = read_file("/proc/sys/kernel/ns_last_pid", buf, sizeof(buf));
	int ret;

	if (n <= 0)
		return setup_failed("read ns_last_pid");
	ret = write_file("/proc/sys/kernel/ns_last_pid", buf, n);
	return ret ? -ret : 0;
}

/* Fields of /proc/self/stat, 1-based as in proc(5). */
static int self_stat(unsigned long *fields, int max)
{
	char buf[2048], *p;
	int i;

	if (read_file("/proc/self/stat", buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2;	/* field 3 */
	for (i = 3; i <= max && *p; i++) {
		if (i == 3) {
			fields[i] = 0;
			p++;
		} else {
			fields[i] = strtoul(p, &p, 10);
		}
		while (*p == ' ')
			p++;
	}
	return i > max ? 0 : -1;
}

static int op_exe_file(void)
{
	unsigned long f[52];
	struct prctl_mm_map map;
	int fd, ret;

	if (self_stat(f, 51))
		return setup_failed("/proc/self/stat");
	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0)
		return setup_failed("open /proc/self/exe");
	memset(&map, 0, sizeof(map));
	map.start_code = f[26];
	map.end_code = f[27];
	map.start_stack = f[28];
	map.start_data = f[45];
	map.end_data = f[46];
	map.start_brk = f[47];
	map.brk = syscall(SYS_brk, 0);
	map.arg_start = f[48];
	map.arg_end = f[49];
	map.env_start = f[50];
	map.env_end = f[51];
	map.exe_fd = fd;
	ret = prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof(map), 0);
	ret = ret ? errno : 0;
	/*
	 * The kernel refuses to replace the link while the old executable is
	 * still mapped, as ours is: -EBUSY comes from replace_mm_exe_file(),
	 * after the capability check passed.  A refused check is -EPERM.
	 */
	if (ret == EBUSY)
		ret = 0;
	close(fd);
	return ret;
}

static int op_locked_termios(void)
{
	char termios[256];
	int fd, ret = 0;

	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return setup_failed("open /dev/ptmx");
	if (ioctl(fd, TIOCGLCKTRMIOS, termios)) {
		ret = setup_failed("TIOCGLCKTRMIOS");
		close(fd);
		return ret;
	}
	if (ioctl(fd, TIOCSLCKTRMIOS, termios))
		ret = errno;
	close(fd);
	return ret;
}

/* 0 is the lowest value the sysctls take; nothing here uses IPC ids. */
static int write_next_id(const char *name)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s_next_id", name);
	ret = write_file(path, "0\n", 2);
	return ret ? -ret : 0;
}

static int op_ipc_next_id(void)
{
	return write_next_id("msg");
}

static int op_sem_next_id(void)
{
	return write_next_id("sem");
}

static int op_shm_next_id(void)
{
	return write_next_id("shm");
}

/* The pid of the last target spawned by run_op()'s caller, shared memory. */
static pid_t *shared_target;

pid_t last_target_pid(void)
{
	return shared_target ? *shared_target : 0;
}

/* A child of the caller, with its creds, stopped in pause(). */
static pid_t spawn_target(bool with_filter)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = insns };
	int sync[2];
	pid_t pid;
	char c;

	if (pipe(sync))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(sync[0]);
		if (with_filter &&
		    (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		     prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)))
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1) {
		close(sync[0]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(sync[0]);
	if (shared_target)
		*shared_target = pid;
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, __WALL);
}

static int op_suspend_seccomp(void)
{
	pid_t pid = spawn_target(false);
	int ret = 0;

	if (pid < 0)
		return setup_failed("target");
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_SUSPEND_SECCOMP))
		ret = errno;
	reap(pid);
	return ret;
}

static int op_seccomp_dump(void)
{
	pid_t pid = spawn_target(true);
	int status, ret = 0;
	long n;

	if (pid < 0)
		return setup_failed("target");
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) ||
	    waitpid(pid, &status, __WALL) != pid) {
		ret = setup_failed("seize and stop the target");
		reap(pid);
		return ret;
	}
	n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, NULL);
	if (n < 0)
		ret = errno;
	else if (n != 1)
		ret = setup_failed("filter length");
	reap(pid);
	return ret;
}

/* Seize @pid and stop it, so that it accepts ptrace requests. */
static int seize_and_stop(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_SEIZE, pid, 0, 0) ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) ||
	    waitpid(pid, &status, __WALL) != pid)
		return -1;
	return 0;
}

/*
 * Run @request on a stopped tracee of ours (with a filter if asked):
 * returns 0 or the errno of @request, or a setup failure.
 */
static int on_stopped_tracee(bool with_filter, long (*request)(pid_t))
{
	pid_t pid = spawn_target(with_filter);
	int ret;

	if (pid < 0)
		return setup_failed("target");
	if (seize_and_stop(pid))
		ret = setup_failed("seize and stop the target");
	else
		ret = request(pid);
	reap(pid);
	return ret;
}

static long set_suspend_seccomp(pid_t pid)
{
	return ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_SUSPEND_SECCOMP) ? errno : 0;
}

static long get_metadata(pid_t pid)
{
	struct __ptrace_seccomp_metadata md = { .filter_off = 0 };
	long n = ptrace(PTRACE_SECCOMP_GET_METADATA, pid, sizeof(md), &md);

	if (n < 0)
		return errno;
	return n == sizeof(md) ? 0 : setup_failed("metadata size");
}

static int op_suspend_seccomp_setopt(void)
{
	return on_stopped_tracee(false, set_suspend_seccomp);
}

static int op_seccomp_metadata(void)
{
	return on_stopped_tracee(true, get_metadata);
}

static int op_set_mm(void)
{
	unsigned long f[52];

	if (self_stat(f, 51))
		return setup_failed("/proc/self/stat");
	if (prctl(PR_SET_MM, PR_SET_MM_ARG_START, f[48], 0, 0))
		return errno;
	return 0;
}

/*
 * Replacing the exe link with the same file: -EBUSY, from
 * replace_mm_exe_file() after the capability checks, means they passed.
 */
static int op_set_mm_exe_file(void)
{
	int fd = open("/proc/self/exe", O_RDONLY), ret = 0;

	if (fd < 0)
		return setup_failed("open /proc/self/exe");
	if (prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, fd, 0, 0))
		ret = errno == EBUSY ? 0 : errno;
	close(fd);
	return ret;
}

/*
 * A filter installed without no_new_privs: 0 if it was installed, the
 * errno otherwise.  What the install did to no_new_privs is
 * seccomp_restore_test's business.
 */
static int op_seccomp_restore(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = insns };

	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0)
		return setup_failed("no_new_privs already set");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return errno;
	return 0;
}

static int (*const op_funcs[OP_ALL_COUNT])(void) = {
	op_map_files, op_set_tid, op_ns_last_pid, op_exe_file,
	op_locked_termios, op_ipc_next_id, op_suspend_seccomp,
	op_seccomp_dump, op_set_mm, op_seccomp_restore, NULL,
	NULL, op_sem_next_id, op_shm_next_id, op_suspend_seccomp_setopt,
	op_seccomp_metadata, op_set_mm_exe_file,
};

bool op_performable(enum op op)
{
	return op < OP_ALL_COUNT && (op_funcs[op] || op == OP_SET_TID_NESTED);
}

int perform_op(enum op op)
{
	if (op >= OP_ALL_COUNT || !op_funcs[op])
		return SETUP_FAILED;
	return op_funcs[op]();
}

/*
 * set_tid from inside a child pid namespace (owned by the initial user
 * namespace): the caller, pid 1 there, asks for a pid in both levels.
 * Runs as the root test process's child; returns like run_op().
 */
static int op_set_tid_nested(enum caller caller)
{
	pid_t pid, tids[2];
	int status;

	if (unshare(CLONE_NEWPID))
		return setup_failed("unshare(CLONE_NEWPID)");
	tids[1] = free_pid();
	if (!tids[1])
		return setup_failed("no free pid");
	pid = fork();
	if (pid < 0)
		return setup_failed("fork");
	if (pid == 0) {
		if (become(caller, OP_SET_TID_NESTED))
			_exit(SETUP_FAILED);
		tids[0] = 2;	/* we are 1 */
		_exit(clone3_set_tid(tids, 2));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return setup_failed("waitpid");
	return WEXITSTATUS(status);
}

/*
 * Perform @op as @caller in a forked child.  Returns 0 if the operation
 * succeeded, its errno if it failed, or -1 if the test could not set up.
 */
pid_t last_op_pid;

int run_op(enum op op, enum caller caller)
{
	int status;
	pid_t pid;

	if (!shared_target) {
		shared_target = mmap(NULL, sizeof(*shared_target),
				     PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared_target == MAP_FAILED)
			shared_target = NULL;
	}
	if (shared_target)
		*shared_target = 0;
	pid = fork();
	if (pid < 0)
		return -1;
	last_op_pid = pid;
	if (pid == 0) {
		if (op == OP_SET_TID_NESTED)
			_exit(op_set_tid_nested(caller));
		if (become(caller, op))
			_exit(SETUP_FAILED);
		_exit(op_funcs[op]());
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	if (WEXITSTATUS(status) >= SETUP_FAILED)
		return -1;
	return WEXITSTATUS(status);
}

/* ---- descriptors over a unix socket ------------------------------------ */

int send_fd(int sock, int fd)
{
	char c = 'x';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

int recv_fd(int sock)
{
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* ---- kernel log records ------------------------------------------------ */

/* The records in /dev/kmsg after @fd's position, one per line (malloc'ed). */
char *new_records(int fd)
{
	size_t size = 1 << 20, used = 0;
	char *buf = malloc(size);
	ssize_t len;

	if (!buf)
		return NULL;
	for (;;) {
		if (size - used < 4096)
			break;
		len = read(fd, buf + used, 4095);
		if (len < 0) {
			if (errno == EPIPE)
				continue;	/* overwritten records */
			break;			/* EAGAIN: the end */
		}
		used += len;
		if (used && buf[used - 1] != '\n')
			buf[used++] = '\n';
	}
	buf[used] = '\0';
	return buf;
}

/* Lines of @records that contain all three strings. */
int count_in(const char *records, const char *a, const char *b,
	     const char *c)
{
	const char *line = records;
	char one[4096];
	int n = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len >= sizeof(one))
			len = sizeof(one) - 1;
		memcpy(one, line, len);
		one[len] = '\0';
		if (strstr(one, a) && strstr(one, b) && strstr(one, c))
			n++;
		line = nl ? nl + 1 : NULL;
	}
	return n;
}

int open_kmsg_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
