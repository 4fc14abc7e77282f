/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint LSM selftests: callers, policy files and the operations.
 */
#ifndef CHECKPOINT_SELFTEST_COMMON_H
#define CHECKPOINT_SELFTEST_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CKPT_DIR "/sys/kernel/security/checkpoint"
#define CKPT_UID 1000

enum op {
	OP_MAP_FILES,
	OP_SET_TID,
	OP_NS_LAST_PID,
	OP_EXE_FILE,
	OP_LOCKED_TERMIOS,
	OP_IPC_NEXT_ID,
	OP_SUSPEND_SECCOMP,
	OP_SECCOMP_DUMP,
	OP_SET_MM,
	OP_SECCOMP_RESTORE,
	OP_AMDKFD_CRIU,		/* no /dev/kfd in the guest: never performed */
	OP_COUNT,
	/* the same checks reached through other call paths */
	OP_SET_TID_NESTED = OP_COUNT,	/* clone3 set_tid from a child pid ns */
	OP_SEM_NEXT_ID,			/* kernel.sem_next_id */
	OP_SHM_NEXT_ID,			/* kernel.shm_next_id */
	OP_SUSPEND_SECCOMP_SETOPT,	/* PTRACE_SETOPTIONS */
	OP_SECCOMP_METADATA,		/* PTRACE_SECCOMP_GET_METADATA */
	OP_SET_MM_EXE_FILE,		/* PR_SET_MM_EXE_FILE: set_mm and exe_file */
	OP_ALL_COUNT
};

/* Who performs an operation. */
enum caller {
	CALLER_NONE,		/* uid 1000, no capability */
	CALLER_CR,		/* uid 1000, CAP_CHECKPOINT_RESTORE (+SYS_PTRACE) */
	CALLER_LEGACY,		/* uid 1000, the op's legacy cap (+SYS_PTRACE) */
	CALLER_ROOT_NO_ADMIN,	/* uid 0, every cap but SYS_ADMIN/SYS_RESOURCE/CR */
	CALLER_USERNS_ROOT,	/* uid 1000 -> root of a new user namespace */
	CALLER_NESTED_USERNS_ROOT, /* and root of another one below it */
	CALLER_COUNT
};

extern const char *const op_names[OP_ALL_COUNT];

/* The policy op whose check a call path reaches. */
enum op policy_op(enum op op);
extern const char *const caller_names[CALLER_COUNT];

bool lsm_active(void);
int read_file(const char *path, char *buf, size_t size);
int write_file(const char *path, const char *buf, size_t len);
int set_mode(enum op op, const char *mode);
int snapshot_policy(void);
int restore_policy(void);
long stat_counter(enum op op, const char *which);

int become(enum caller caller, enum op op);
int run_op(enum op op, enum caller caller);
int perform_op(enum op op);	/* in this process, already become() */
bool op_performable(enum op op);
extern pid_t last_op_pid;	/* the caller process of the last run_op() */
pid_t last_target_pid(void);	/* the task it spawned to act on, or 0 */
int send_fd(int sock, int fd);	/* 0 or -1 */
int recv_fd(int sock);		/* the descriptor or -1 */
int open_kmsg_at_end(void);	/* /dev/kmsg, non-blocking, at its end */
char *new_records(int fd);	/* records after @fd's position (malloc'ed) */
/* lines of @records that contain all three strings */
int count_in(const char *records, const char *a, const char *b, const char *c);

#define DEFAULT_POLICY \
	"map_files on\nset_tid on\nns_last_pid on\nexe_file on\n" \
	"locked_termios on\nipc_next_id on\nsuspend_seccomp off\n" \
	"seccomp_dump off\nset_mm off\nseccomp_restore off\n" \
	"amdkfd_criu on\n"

#endif
